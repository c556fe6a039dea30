//! The web page for more information at the foot of the page: its QR code,
//! drawn as squares in the text's colour, and its address in words beside
//! it, for anyone who cannot scan.
//!
//! The code fills a square [`CODE_SPACE_MM`] wide with its quiet zone, so
//! that a short address gets larger modules, which scan more easily. It
//! sits at the footer's end (the right, or the left on a mirrored page),
//! its modules' corner on the margins' corner, so that it lines up with
//! the text: its quiet zone reaches into the margins beside and below it,
//! which are blank paper, and costs the page nothing there. The footer's
//! lines run beside it. What may be printed, and how large a code the
//! square holds, is the content crate's rule ([`Address::parse`]).

use handout_content::more_info::{Address, CODE_SPACE_MM, QUIET_ZONE_MODULES, QrModules};

use super::INK;
use super::MM;
use super::inline::{Paragraph, Span};
use crate::fonts::Fonts;
use crate::page::{Element, Path, PathOp};
use crate::role::Role;
use crate::shape::Writing;

/// The space between the footer's lines and the code's quiet zone, in the
/// footer's size: the quiet zone is blank already, two millimetres or more,
/// and this keeps a line's end from looking as if it ran into the code.
pub(super) const TEXT_GAP_EM: f32 = 0.25;

/// The space between the rule above the footer and the code's quiet zone,
/// in the footer's size, when the code is taller than the footer's lines.
pub(super) const RULE_GAP_EM: f32 = 0.25;

/// The address for more information, shaped, and its code.
pub(super) struct MoreInfo {
    /// "More information: https://...", which breaks only after a space or
    /// a '/' of the address.
    pub text: Paragraph,
    /// The code's modules.
    pub code: QrModules,
}

impl MoreInfo {
    /// Shapes `label` and `address` as one paragraph, and makes the code.
    pub fn new(fonts: &Fonts, label: &str, address: &Address, writing: Writing) -> MoreInfo {
        let label = format!("{label}: ");
        let mut text = Paragraph::written(
            fonts,
            &[
                // Regular, not bold as the fields' labels: in large print
                // a bold label costs the address a line.
                Span {
                    text: &label,
                    bold: false,
                    fixed: true,
                },
                Span {
                    text: address.as_str(),
                    bold: false,
                    fixed: false,
                },
            ],
            writing,
        );
        text.keep_breaks(may_break_after);
        MoreInfo {
            text,
            code: address.qr_code(),
        }
    }

    /// The width of one module, in points.
    pub fn module(&self) -> f32 {
        module_of(&self.code)
    }

    /// What the code takes from the page inside the margins, across and
    /// down: its modules and the quiet zone on its inner side.
    pub fn inner_side(&self) -> f32 {
        (self.code.width() + QUIET_ZONE_MODULES) as f32 * self.module()
    }
}

/// The width of one of `code`'s modules when it fills its square, in points.
fn module_of(code: &QrModules) -> f32 {
    code_side() / code.width_with_quiet_zone() as f32
}

/// Whether a line may end after `before`: after a space, or after a '/'
/// of an address but the two of `https://`, so that a reader typing it
/// from the page sees each line end where the address has a part.
fn may_break_after(before: &str) -> bool {
    before.ends_with(char::is_whitespace) || (before.ends_with('/') && !before.ends_with("//"))
}

/// The side of the code's square, quiet zone included, in points.
pub(super) fn code_side() -> f32 {
    CODE_SPACE_MM * MM
}

/// The code drawn with its modules' bottom right corner at (`right`,
/// `bottom`), as one filled path: a rectangle for each row's run of dark
/// modules, which keeps the page's drawing short. Nothing is drawn in the
/// quiet zone.
///
/// `mirrored` draws the code flipped left to right, for a right-to-left
/// page, which is set left to right and mirrored whole afterwards: its
/// mirroring moves the square to the other side and flips the code back.
pub(super) fn code_path(code: &QrModules, right: f32, bottom: f32, mirrored: bool) -> Element {
    let module = module_of(code);
    let side = code.width() as f32 * module;
    let (x, top) = (right - side, bottom - side);
    let mut ops = Vec::with_capacity(code.dark_runs().len() * 5);
    for (row, start, length) in code.dark_runs() {
        let start = if mirrored {
            code.width() - start - length
        } else {
            start
        };
        let left = x + start as f32 * module;
        let right = left + length as f32 * module;
        let y = top + row as f32 * module;
        ops.extend([
            PathOp::Move(left, y),
            PathOp::Line(right, y),
            PathOp::Line(right, y + module),
            PathOp::Line(left, y + module),
            PathOp::Close,
        ]);
    }
    // A picture of the address: a tagged PDF gives it the address as its
    // alternative text.
    Element::Path(Path {
        ops,
        fill: Some(INK),
        stroke: None,
        role: Role::Code,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_breaks_only_after_its_slashes() {
        let address = Address::parse(
            "https://www.example-practice.org/leaflets/pregnancy/leg-cramps-in-pregnancy",
        )
        .unwrap();
        let more = MoreInfo::new(
            &Fonts::new(),
            "More information",
            &address,
            Writing::default(),
        );
        // Wide enough for the longest part, which would be cut between letters.
        for max in [20.0, 24.0, 30.0, 40.0] {
            let lines = more.text.break_lines(max);
            let ends: Vec<&str> = lines
                .iter()
                .map(|line| {
                    let last = &more.text.glyphs[line.glyphs.end - 1];
                    let start = more.text.glyphs[line.glyphs.start].cluster;
                    &more.text.text[start..=last.cluster]
                })
                .collect();
            for (line, end) in lines.iter().zip(&ends).take(lines.len() - 1) {
                assert!(line.width <= max + 0.01, "{max}: {ends:?}");
                assert!(
                    end.ends_with('/') || end.ends_with(':'),
                    "{max} em: a line ends {end:?}: {ends:?}"
                );
                assert!(!end.ends_with("//"), "{max} em: {ends:?}");
            }
        }
    }
}

#[cfg(test)]
mod page_tests {
    use handout_content::{Handout, Paper, Patient, Picks, Practice, Pregnancy, Topic};

    use super::*;
    use crate::RenderOptions;
    use crate::layout::tests::{NOTE_200, assert_well_placed};
    use crate::layout::{MARGIN_MM, MIN_BODY_PT, layout_handout};
    use crate::page::{Element, Page};
    use crate::testing::{arabic, english, handout_of};

    const ADDRESS: &str = "https://www.example.org/leaflets/leg-cramps";

    /// The example practice, naming a page for more information.
    fn practice() -> Practice {
        let example = include_str!("../../../../content/practice.example.toml");
        Practice::parse(
            "practice.toml",
            &format!("more-info = \"{ADDRESS}\"\n{example}"),
        )
        .unwrap()
    }

    /// Ana's handout of `topic` with the first `note` characters of a
    /// note, for `practice`.
    fn handout(topic: &'static Topic, practice: &Practice, note: usize) -> Handout<'static> {
        let patient = Patient {
            name: Some("Ana López".into()),
            pregnancy: Some(Pregnancy::Weeks(28)),
            note: (note > 0).then(|| NOTE_200.chars().take(note).collect()),
            midwife: None,
        };
        handout_of(topic, practice, &patient, &Picks::new())
    }

    /// The longest note that fits with the code on each paper, in
    /// characters: Letter, a little shorter than A4, has 1.3 mm to spare at
    /// 12 pt with a 200-character note and the example practice's footer,
    /// and the code costs 10.6 mm (see `the_code_costs_two_footer_lines`).
    fn note_that_fits(paper: Paper) -> usize {
        match paper {
            Paper::A4 => 200,
            Paper::Letter => 45,
        }
    }

    fn pages(handout: &Handout, paper: Paper, large_print: bool) -> Vec<Page> {
        let options = RenderOptions { paper, large_print };
        layout_handout(&crate::fonts::Fonts::new(), handout, &options)
            .unwrap()
            .pages
    }

    /// The code's path on a page, if it has one: the only path of more
    /// than a few shapes.
    fn code(page: &Page) -> Option<&Path> {
        page.elements.iter().find_map(|element| match element {
            Element::Path(path) if path.ops.len() > 100 => Some(path),
            _ => None,
        })
    }

    /// The page's elements' boxes but the code's own.
    fn boxes(page: &Page) -> Vec<[f32; 4]> {
        page.elements
            .iter()
            .filter_map(|element| match element {
                Element::Text(run) => Some(run.bounds()),
                Element::Rect(rect) => {
                    Some([rect.x, rect.y, rect.x + rect.width, rect.y + rect.height])
                }
                Element::Rule(rule) => Some([
                    rule.x,
                    rule.y - rule.thickness / 2.0,
                    rule.x_end,
                    rule.y + rule.thickness / 2.0,
                ]),
                Element::Path(path) if path.ops.len() > 100 => None,
                Element::Path(path) => Some(path.bounds()),
            })
            .collect()
    }

    /// Checks the code on `page`: modules of half a millimetre or more,
    /// inside the margins, its quiet zone with nothing in it and clear of
    /// any printer's unprintable edge (5 mm at most), and the address
    /// printed in words. Returns the quiet zone's box.
    fn assert_code(page: &Page, what: &str) -> [f32; 4] {
        let path = code(page).unwrap_or_else(|| panic!("{what}: no code"));
        let expected = Address::parse(ADDRESS).unwrap().qr_code();
        let module = module_of(&expected);
        assert!(module >= 0.5 * MM, "{what}: modules of {} mm", module / MM);
        // Every rectangle is a whole number of modules, a module high.
        for shape in path.ops.chunks(5) {
            let [PathOp::Move(left, top), _, PathOp::Line(right, bottom), ..] = *shape else {
                panic!("{what}: not a rectangle: {shape:?}");
            };
            assert!((bottom - top - module).abs() < 0.01, "{what}: {shape:?}");
            let modules = (right - left).abs() / module;
            assert!(
                modules >= 0.99 && (modules - modules.round()).abs() < 0.01,
                "{what}: {shape:?}"
            );
        }
        let [left, top, right, bottom] = path.bounds();
        assert!((right - left - expected.width() as f32 * module).abs() < 0.01);
        assert!((bottom - top - expected.width() as f32 * module).abs() < 0.01);
        let quiet = QUIET_ZONE_MODULES as f32 * module;
        let zone = [left - quiet, top - quiet, right + quiet, bottom + quiet];
        let margin = MARGIN_MM * MM;
        assert!(
            left >= margin - 0.01
                && top >= margin - 0.01
                && right <= page.width - margin + 0.01
                && bottom <= page.height - margin + 0.01,
            "{what}: the code {:?} leaves the margins",
            path.bounds()
        );
        let edge = 5.0 * MM;
        assert!(
            zone[0] >= edge
                && zone[1] >= edge
                && zone[2] <= page.width - edge
                && zone[3] <= page.height - edge,
            "{what}: the quiet zone {zone:?} reaches a printer's unprintable edge"
        );
        for other in boxes(page) {
            let apart = other[2] <= zone[0] + 0.01
                || other[0] >= zone[2] - 0.01
                || other[3] <= zone[1] + 0.01
                || other[1] >= zone[3] - 0.01;
            assert!(apart, "{what}: {other:?} is in the quiet zone {zone:?}");
        }
        let squeezed = |text: &str| text.split_whitespace().collect::<String>();
        assert!(
            squeezed(&page.text_lines().concat()).contains(&squeezed(ADDRESS)),
            "{what}: the address is not printed whole"
        );
        zone
    }

    #[test]
    fn the_code_prints_in_its_square_with_nothing_in_its_quiet_zone() {
        let practice = practice();
        for paper in [Paper::A4, Paper::Letter] {
            let with = handout(english(), &practice, note_that_fits(paper));
            let page = &pages(&with, paper, false)[0];
            let what = format!("{paper:?}");
            assert!(
                page.body_size >= MIN_BODY_PT,
                "{what}: {} pt",
                page.body_size
            );
            assert_well_placed(page);
            let zone = assert_code(page, &what);
            // At the footer's end, on the right, the quiet zone in the
            // margin.
            let right = code(page).unwrap().bounds()[2];
            assert!(
                (right - (page.width - MARGIN_MM * MM)).abs() < 0.01,
                "{what}"
            );
            assert!(zone[2] > right, "{what}");
        }
        // No address, no code.
        let without = handout(english(), &crate::layout::tests::practice(), 200);
        assert!(code(&pages(&without, Paper::A4, false)[0]).is_none());
    }

    #[test]
    fn the_code_costs_two_footer_lines() {
        use crate::layout::blocks::Prepared;
        use crate::layout::fit::Style;
        use crate::layout::pages::set_page;

        let fonts = crate::fonts::Fonts::new();
        let tightest = Style::sequence().last().unwrap();
        for paper in [Paper::A4, Paper::Letter] {
            let rule = |practice: &Practice| {
                let handout = handout(english(), practice, 200);
                let prepared = Prepared::new(&fonts, &handout, false);
                footer_rule(&set_page(&prepared, tightest, paper, true).0)
            };
            let cost = rule(&crate::layout::tests::practice()) - rule(&practice());
            // Two lines of the footer's 12 pt: the address in words, and
            // the record's second line beside the code. The code alone is
            // shorter than the lines beside it.
            assert!((cost - 30.0).abs() < 0.5, "{paper:?}: {cost} pt");
            eprintln!(
                "{paper:?}: the code costs {cost:.1} pt, {:.1} mm",
                cost / MM
            );
        }
    }

    #[test]
    fn a_page_that_holds_its_note_only_without_the_code_prints_without_it_and_says_so() {
        // Letter with the 200-character note is full: the code and the
        // address are left out, not the advice nor the note.
        let handout = handout(english(), &practice(), 200);
        let options = RenderOptions {
            paper: Paper::Letter,
            large_print: false,
        };
        let fonts = crate::fonts::Fonts::new();
        let document = layout_handout(&fonts, &handout, &options).unwrap();
        assert!(document.more_info_left_out);
        let page = &document.pages[0];
        assert!(page.body_size >= 12.0);
        assert!(code(page).is_none());
        assert!(!page.text_lines().join(" ").contains("More information"));
        assert!(
            page.text_lines()
                .join(" ")
                .contains("See you at your next visit")
        );
        // Where it fits, it prints, and nothing is said.
        let shorter = self::handout(english(), &practice(), note_that_fits(Paper::Letter));
        let document = layout_handout(&fonts, &shorter, &options).unwrap();
        assert!(!document.more_info_left_out);
        assert!(code(&document.pages[0]).is_some());
    }

    /// The y of the rule above the footer: the lowest rule on the page.
    fn footer_rule(page: &Page) -> f32 {
        page.elements
            .iter()
            .filter_map(|element| match element {
                Element::Rule(rule) => Some(rule.y),
                _ => None,
            })
            .fold(0.0, f32::max)
    }

    #[test]
    fn the_longest_address_prints_whole_broken_after_a_slash() {
        use handout_content::more_info::{MAX_ADDRESS_BYTES, MIN_MODULE_MM};

        let start = "https://www.example-midwifery-practice.org/leaflets/pregnancy/";
        let address = format!("{start}{}", "leg-cramps-".repeat(10));
        let address = &address[..MAX_ADDRESS_BYTES];
        let example = include_str!("../../../../content/practice.example.toml");
        let practice =
            Practice::parse("p.toml", &format!("more-info = \"{address}\"\n{example}")).unwrap();
        let code = practice.more_info.as_ref().unwrap().qr_code();
        assert!(module_of(&code) >= MIN_MODULE_MM * MM);
        for paper in [Paper::A4, Paper::Letter] {
            let page = &pages(&handout(english(), &practice, 0), paper, false)[0];
            assert_well_placed(page);
            let lines: Vec<String> = page
                .text_lines()
                .into_iter()
                .filter(|line| line.contains("example-midwifery") || line.contains("cramps-"))
                .collect();
            assert_eq!(
                lines.concat().replace("More information: ", ""),
                address,
                "{paper:?}"
            );
            assert!(lines.len() > 1, "{paper:?}: {lines:?}");
            for line in &lines[..lines.len() - 1] {
                assert!(line.ends_with('/'), "{paper:?}: {lines:?}");
            }
        }
    }

    #[test]
    fn large_print_prints_the_code_on_the_second_side() {
        // On A4. Letter's two sides hold the default items only with every
        // `info` item left out, and the code's lines do not fit beside them
        // (see the report of issue 22, point 2).
        let sides = pages(&handout(english(), &practice(), 0), Paper::A4, true);
        assert!(code(&sides[0]).is_none(), "the first side");
        assert_code(&sides[1], "A4 large print");
    }

    #[test]
    fn a_right_to_left_page_prints_the_code_on_the_left_unmirrored() {
        let practice = practice();
        let with = handout(arabic(), &practice, 200);
        let page = &pages(&with, Paper::A4, false)[0];
        let zone = assert_code(page, "Arabic");
        let left = code(page).unwrap().bounds()[0];
        assert!((left - MARGIN_MM * MM).abs() < 0.01, "{zone:?}");
        // The same modules as on a left-to-right page, not their mirror
        // image: the first row's runs start where the code's do.
        let expected = Address::parse(ADDRESS).unwrap().qr_code();
        let module = module_of(&expected);
        let path = code(page).unwrap();
        let [left, top, ..] = path.bounds();
        for (shape, (row, start, length)) in path.ops.chunks(5).zip(expected.dark_runs()) {
            let [PathOp::Move(x, y), PathOp::Line(x_end, _), ..] = *shape else {
                panic!("not a rectangle: {shape:?}");
            };
            let (x, x_end) = (x.min(x_end), x.max(x_end));
            assert!((x - left - start as f32 * module).abs() < 0.01, "{shape:?}");
            assert!(
                (x_end - x - length as f32 * module).abs() < 0.01,
                "{shape:?}"
            );
            assert!((y - top - row as f32 * module).abs() < 0.01, "{shape:?}");
        }
    }
}

//! Sets a resolved handout on one page, or in large print on both sides of
//! one sheet.
//!
//! Everything is shaped once; then the page is set in a series of styles,
//! from 14 pt with generous space down to 12 pt (the clear-print minimum)
//! with tight space, and the first style that fits wins. Nothing is ever
//! set below 12 pt: a selection that does not fit then is an error that
//! says by how much and which chosen items are longest.
//!
//! One job to a module, in the order the handout goes through them:
//! - [`blocks`] shapes the handout's text once and turns its sections into
//!   blocks by their role (`info`, `choose`, `urgent`), never by their names;
//! - [`inline`] breaks a paragraph into lines, and a line into text runs;
//! - [`column`] stacks paragraphs, headings and list items down a column;
//! - [`fields`] flows the parts of the byline and the footer along lines;
//! - [`flow`] sets the blocks and balances them over two columns;
//! - [`pages`] puts the header, the two columns and the footer on a page;
//! - [`sides`] sets large print down both sides of a sheet, in one column;
//! - [`more_info`] draws the QR code of a page for more information;
//! - [`fit`] searches the styles for the largest in which the page fits.
//!
//! A [`Fit`] is what the search found: a batch keeps one for every row when
//! it checks the roster, and places each row later with no search.

mod blocks;
mod column;
#[cfg(test)]
mod defects;
mod fields;
mod fit;
mod flow;
pub(crate) mod inline;
mod more_info;
mod pages;
mod sides;
mod words;

use handout_content::{Handout, Paper};

use crate::document::{Document, DocumentInfo};
use crate::fonts::Fonts;
use crate::page::Color;
use crate::{RenderError, RenderOptions};
use blocks::Prepared;

pub use fit::Fit;
#[cfg(test)]
pub(crate) use flow::GUTTER_MM;

/// Points per millimetre.
pub(crate) const MM: f32 = 72.0 / 25.4;
/// The margin on every side: clear of any office printer's unprintable
/// edge (5 mm at most) and of what a photocopier loses, with room for a
/// thumb. It was 16 mm; the millimetre went to the space between list
/// items, which a reader needs more.
pub const MARGIN_MM: f32 = 15.0;
/// The smallest body size ever set (RNIB clear print).
pub const MIN_BODY_PT: f32 = 12.0;
/// The size of every text in large print, as the American Printing House
/// for the Blind and the ACB define large print.
pub const LARGE_PRINT_PT: f32 = 18.0;

const INK: Color = Color(0x1a, 0x1a, 0x1a);
const MUTED: Color = Color(0x3d, 0x3d, 0x3d);
const ACCENT: Color = Color(0x0b, 0x5a, 0x69);
const URGENT_INK: Color = Color(0x9b, 0x1c, 0x12);
const URGENT_EDGE: Color = Color(0xb4, 0x23, 0x18);
const URGENT_FILL: Color = Color(0xfd, 0xee, 0xeb);
const NOTE_FILL: Color = Color(0xec, 0xf4, 0xf6);
const HAIRLINE: Color = Color(0x9a, 0xa5, 0xa8);

/// Page width and height in points.
pub fn paper_size(paper: Paper) -> (f32, f32) {
    match paper {
        Paper::A4 => (210.0 * MM, 297.0 * MM),
        Paper::Letter => (8.5 * 72.0, 11.0 * 72.0),
    }
}

/// Lays out a handout on one page of `paper`, or in large print on both
/// sides of a sheet, in the largest style that fits.
pub(crate) fn layout_handout(
    fonts: &Fonts,
    handout: &Handout,
    options: &RenderOptions,
) -> Result<Document, RenderError> {
    let prepared = Prepared::new(fonts, handout, options.large_print);
    let fit = fit::search(&prepared, handout, options.paper, options.large_print)?;
    Ok(place(&prepared, handout, fit))
}

/// Finds the largest style in which a handout fits `paper`, without placing
/// a glyph: what a batch does for every row before it writes anything.
pub(crate) fn fit_handout(
    fonts: &Fonts,
    handout: &Handout,
    options: &RenderOptions,
) -> Result<Fit, RenderError> {
    let prepared = Prepared::new(fonts, handout, options.large_print);
    fit::search(&prepared, handout, options.paper, options.large_print)
}

/// Lays out a handout in the style `fit` found for it, with no search.
pub(crate) fn layout_fitted(fonts: &Fonts, handout: &Handout, fit: Fit) -> Document {
    place(
        &Prepared::new(fonts, handout, fit.style.large),
        handout,
        fit,
    )
}

fn place(prepared: &Prepared, handout: &Handout, fit: Fit) -> Document {
    let pages = if fit.style.large {
        let omit = usize::from(fit.omitted);
        sides::set_sides(prepared, fit.style, fit.paper, omit, true).0
    } else {
        vec![pages::set_page(prepared, fit.style, fit.paper, true).0]
    };
    Document {
        info: DocumentInfo::of(handout),
        pages,
        omitted: fit.omitted(handout),
        more_info_left_out: fit.more_info_left_out(handout),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::{Element, Page, Rule, TextRun};
    use crate::role::{ListPart, NotePart, Role, UrgentPart};
    use column::heading_size;
    use fit::Style;
    use handout_content::{Choice, Patient, Picks, Practice, Pregnancy, SectionRole};
    use pages::set_page;

    use crate::testing::{english, handout_of, named};

    /// Lays out a handout's one page.
    fn layout_page(fonts: &Fonts, handout: &Handout, paper: Paper) -> Result<Page, RenderError> {
        let mut document = layout_handout(fonts, handout, &options(paper))?;
        assert_eq!(document.pages.len(), 1);
        Ok(document.pages.remove(0))
    }

    /// Normal print on `paper`.
    fn options(paper: Paper) -> RenderOptions {
        RenderOptions {
            paper,
            large_print: false,
        }
    }

    /// A note of exactly 200 characters.
    pub(crate) const NOTE_200: &str = "Try the calf stretches before bed and keep a glass of \
        water by your bed. Call me if the cramps wake you every night, or if one leg gets \
        swollen or red. See you at your next visit in two weeks. From Jo";

    pub(super) fn practice() -> Practice {
        Practice::parse(
            "practice.example.toml",
            include_str!("../../../../content/practice.example.toml"),
        )
        .unwrap()
    }

    fn handout(selection: Picks, note: Option<&str>) -> Handout<'static> {
        let patient = Patient {
            name: Some("Ana López".into()),
            pregnancy: Some(Pregnancy::Weeks(28)),
            note: note.map(str::to_string),
            midwife: None,
        };
        handout_of(english(), &practice(), &patient, &selection)
    }

    /// Every item of every section the midwife picks from, whatever the
    /// topic calls its sections.
    fn everything() -> Picks {
        pick(|section| section.pickable().map(|item| item.id.clone()).collect())
    }

    /// The items `choose` picks from each `choose` section of the topic.
    fn pick(choose: impl Fn(&handout_content::Section) -> Vec<String>) -> Picks {
        english()
            .sections
            .iter()
            .filter(|section| section.role == SectionRole::Choose)
            .fold(Picks::new(), |picks, section| {
                picks.with(section.key.clone(), Choice::Items(choose(section)))
            })
    }

    /// Asserts that nothing leaves the margins and no two text runs overlap.
    pub(super) fn assert_well_placed(page: &Page) {
        let (low, high_x, high_y) = (
            page.margin - 0.01,
            page.width - page.margin + 0.01,
            page.height - page.margin + 0.01,
        );
        let boxes: Vec<([f32; 4], &str)> = page
            .runs()
            .map(|run| (run.bounds(), run.text.as_str()))
            .collect();
        for (bounds, text) in &boxes {
            assert!(
                bounds[0] >= low && bounds[1] >= low,
                "{text:?} leaves the top or left margin: {bounds:?}"
            );
            assert!(
                bounds[2] <= high_x && bounds[3] <= high_y,
                "{text:?} leaves the right or bottom margin: {bounds:?}"
            );
        }
        for item in &page.elements {
            let (bounds, hang) = match item {
                Element::Rect(rect) => (
                    [rect.x, rect.y, rect.x + rect.width, rect.y + rect.height],
                    0.0,
                ),
                // A list's pictogram may hang into the margin, as hanging
                // punctuation does, by up to half a body: never further.
                Element::Path(path) if matches!(path.role, Role::ListItem(ListPart::Label)) => {
                    (path.bounds(), 0.5 * page.body_size)
                }
                Element::Path(path) => (path.bounds(), 0.0),
                Element::Text(_) | Element::Rule(_) => continue,
            };
            assert!(
                bounds[0] >= low - hang
                    && bounds[1] >= low
                    && bounds[2] <= high_x + hang
                    && bounds[3] <= high_y,
                "{item:?} leaves the margins"
            );
        }
        for (i, (a, text_a)) in boxes.iter().enumerate() {
            for (b, text_b) in &boxes[i + 1..] {
                let overlap_x = a[0] < b[2] - 0.01 && b[0] < a[2] - 0.01;
                let overlap_y = a[1] < b[3] - 0.01 && b[1] < a[3] - 0.01;
                assert!(!(overlap_x && overlap_y), "{text_a:?} overlaps {text_b:?}");
            }
        }
        // Rules (write-in lines among them) stay inside and cross no text.
        for rule in rules(page) {
            let (top, bottom) = (rule.y - rule.thickness / 2.0, rule.y + rule.thickness / 2.0);
            assert!(
                rule.x >= low && rule.x_end <= high_x && top >= low && bottom <= high_y,
                "{rule:?} leaves the margins"
            );
            for (b, text) in &boxes {
                let overlap_x = rule.x < b[2] - 0.01 && b[0] < rule.x_end - 0.01;
                let overlap_y = top < b[3] - 0.01 && b[1] < bottom - 0.01;
                assert!(!(overlap_x && overlap_y), "{rule:?} crosses {text:?}");
            }
        }
    }

    fn rules(page: &Page) -> impl Iterator<Item = &Rule> {
        page.elements.iter().filter_map(|item| match item {
            Element::Rule(rule) => Some(rule),
            _ => None,
        })
    }

    fn blank(pregnancy: Option<Pregnancy>) -> Handout<'static> {
        let patient = Patient {
            pregnancy,
            ..Patient::default()
        };
        handout_of(english(), &Practice::default(), &patient, &Picks::new())
    }

    /// The byline's write-in lines: thin rules above the thick one under the
    /// byline, left to right.
    fn byline_write_ins(page: &Page) -> Vec<&Rule> {
        let under_byline = rules(page)
            .find(|rule| rule.color == ACCENT)
            .expect("a rule under the byline");
        let mut write_ins: Vec<&Rule> =
            rules(page).filter(|rule| rule.y < under_byline.y).collect();
        write_ins.sort_by(|a, b| a.x.total_cmp(&b.x));
        write_ins
    }

    fn page_text(page: &Page) -> String {
        page.text_lines()
            .join(" ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn defaults_with_name_note_and_footer_fit_a4_and_letter() {
        assert_eq!(NOTE_200.chars().count(), 200);
        let fonts = Fonts::new();
        let handout = handout(Picks::new(), Some(NOTE_200));
        for paper in [Paper::A4, Paper::Letter] {
            let page = layout_page(&fonts, &handout, paper).unwrap();
            assert!(
                page.body_size >= MIN_BODY_PT,
                "{paper:?}: {} pt",
                page.body_size
            );
            assert!(page.runs().all(|run| run.size >= MIN_BODY_PT));
            assert_well_placed(&page);
            let text = page_text(&page);
            for section in &handout.sections {
                for item in &section.items {
                    assert!(
                        text.contains(item.lead.as_ref()),
                        "{paper:?}: {:?} missing",
                        item.lead
                    );
                }
            }
            assert!(text.contains("Prepared for Ana López · 28 weeks · 25 November 2026"));
            // The note's own runs, in order, hold it whole: its lines run
            // beside the other column's, so the page's lines mix the two.
            let note: String = page
                .runs()
                .filter(|run| run.role == Role::Note(NotePart::Text))
                .map(|run| run.text.as_str())
                .collect();
            let squeezed = |text: &str| text.split_whitespace().collect::<String>();
            assert_eq!(squeezed(&note), squeezed(NOTE_200), "{paper:?}: the note");
            let practice = practice();
            for part in [
                "Your midwife: Jo Smith".to_string(),
                practice.name.unwrap(),
                format!("Phone: {}", practice.phone.unwrap()),
                practice.address.unwrap(),
            ] {
                assert!(text.contains(&part), "{paper:?}: {part:?} missing:\n{text}");
            }
        }
    }

    /// WCAG 2's contrast ratio of two colours.
    fn contrast(a: Color, b: Color) -> f32 {
        let luminance = |Color(r, g, b): Color| {
            let linear = |channel: u8| {
                let c = f32::from(channel) / 255.0;
                if c <= 0.039_28 {
                    c / 12.92
                } else {
                    ((c + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
        };
        let (a, b) = (luminance(a), luminance(b));
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// The colour as a black-and-white printer or copier prints it: its
    /// luma (ITU-R BT.601) as a grey.
    fn greyscale(Color(r, g, b): Color) -> Color {
        let luma = 0.299 * f32::from(r) + 0.587 * f32::from(g) + 0.114 * f32::from(b);
        let grey = luma.round() as u8;
        Color(grey, grey, grey)
    }

    #[test]
    fn every_text_has_wcag_aa_contrast_in_colour_and_in_greyscale() {
        let fonts = Fonts::new();
        let handout = handout(Picks::new(), Some(NOTE_200));
        let page = layout_page(&fonts, &handout, Paper::A4).unwrap();
        let white = Color(0xff, 0xff, 0xff);
        let mut checked = 0;
        for run in page.runs() {
            // The background is the last filled box drawn under the run's
            // start, or the paper.
            let background = page
                .elements
                .iter()
                .rev()
                .filter_map(|element| match element {
                    Element::Rect(rect) => rect.fill.map(|fill| (rect, fill)),
                    _ => None,
                })
                .filter(|(rect, _)| {
                    (rect.x..=rect.x + rect.width).contains(&run.x)
                        && (rect.y..=rect.y + rect.height).contains(&run.baseline)
                })
                .map(|(_, fill)| fill)
                .next()
                .unwrap_or(white);
            for (what, text, ground) in [
                ("colour", run.color, background),
                ("greyscale", greyscale(run.color), greyscale(background)),
            ] {
                let ratio = contrast(text, ground);
                assert!(
                    ratio >= 4.5,
                    "{:?} in {what}: {ratio:.2}:1 on {ground:?}, under WCAG AA's 4.5:1",
                    run.text
                );
            }
            checked += 1;
        }
        assert!(checked > 50, "only {checked} runs checked");
    }

    /// The smallest step from body to section heading: clear-print
    /// guidance wants the levels told apart by size, not colour, and a
    /// step under a third is read as emphasis.
    const LEAST_HEADING_RATIO: f32 = 1.35;

    #[test]
    fn headings_stand_a_clear_step_above_the_body_at_every_style() {
        for style in Style::sequence() {
            let ratio = heading_size(style.body) / style.body;
            assert!(
                ratio >= LEAST_HEADING_RATIO,
                "{} pt body: heading {} pt, {ratio:.2}",
                style.body,
                heading_size(style.body)
            );
        }
        let fonts = Fonts::new();
        for paper in [Paper::A4, Paper::Letter] {
            let page = layout_page(&fonts, &handout(Picks::new(), Some(NOTE_200)), paper).unwrap();
            let headings: Vec<&TextRun> = page
                .runs()
                .filter(|run| matches!(run.role, Role::Heading | Role::Urgent(UrgentPart::Heading)))
                .collect();
            // A list that goes on in the second column repeats its heading.
            let distinct: std::collections::BTreeSet<&str> = headings
                .iter()
                .map(|run| run.text.trim_end_matches(" (continued)"))
                .collect();
            assert_eq!(distinct.len(), 4, "{paper:?}: every section's heading");
            for heading in headings {
                assert!(
                    heading.size / page.body_size >= LEAST_HEADING_RATIO,
                    "{paper:?}: {:?} at {} pt on a {} pt body",
                    heading.text,
                    heading.size,
                    page.body_size
                );
            }
        }
    }

    /// The drawn shapes on a page.
    /// The page's drawn shapes but its items' pictograms.
    fn paths(page: &Page) -> Vec<&crate::page::Path> {
        page.elements
            .iter()
            .filter_map(|item| match item {
                Element::Path(path) if path.role == Role::Decoration => Some(path),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn the_urgent_box_stands_out_on_a_black_and_white_printer() {
        let fonts = Fonts::new();
        let white = Color(0xff, 0xff, 0xff);
        for paper in [Paper::A4, Paper::Letter] {
            let page = layout_page(&fonts, &handout(Picks::new(), Some(NOTE_200)), paper).unwrap();
            let frame = page
                .elements
                .iter()
                .find_map(|item| match item {
                    Element::Rect(rect) if rect.role == Role::Urgent(UrgentPart::Box) => Some(rect),
                    _ => None,
                })
                .expect("an urgent box");
            // A heavy frame, dark in grey: WCAG's 3:1 for what is not text
            // sets it off from the paper and from the box's own tint.
            let (edge, thickness) = frame.stroke.expect("the urgent box is framed");
            assert!(thickness >= 2.0, "{paper:?}: a frame of {thickness} pt");
            let heaviest = rules(&page).map(|rule| rule.thickness).fold(0.0, f32::max);
            assert!(
                heaviest < thickness,
                "{paper:?}: the frame is the heaviest line on the page"
            );
            let fill = frame.fill.unwrap_or(white);
            for ground in [white, fill] {
                let ratio = contrast(greyscale(edge), greyscale(ground));
                assert!(ratio >= 3.0, "{paper:?}: the frame in grey, {ratio:.2}:1");
            }

            // A warning sign: a dark triangle holding a white mark, before
            // the heading on its first line and about as tall as its capitals.
            let heading = page
                .runs()
                .find(|run| run.role == Role::Urgent(UrgentPart::Heading))
                .expect("the urgent heading");
            let sign = paths(&page);
            assert_eq!(sign.len(), 2, "{paper:?}: the sign's triangle and mark");
            let (triangle, mark) = (sign[0], sign[1]);
            let [left, top, right, bottom] = triangle.bounds();
            let inside = |[l, t, r, b]: [f32; 4]| {
                l >= frame.x
                    && t >= frame.y
                    && r <= frame.x + frame.width
                    && b <= frame.y + frame.height
            };
            assert!(inside(triangle.bounds()) && inside(mark.bounds()));
            assert!(
                right < heading.x,
                "{paper:?}: the sign comes before the heading"
            );
            assert!(
                (bottom - heading.baseline).abs() < 0.1 * heading.size,
                "{paper:?}: the sign stands on the heading's baseline"
            );
            let height = bottom - top;
            assert!(
                (0.6..=0.9).contains(&(height / heading.size)),
                "{paper:?}: a sign {height:.1} pt tall by a {} pt heading",
                heading.size
            );
            assert!(
                right - left > height,
                "{paper:?}: a triangle, wider than tall"
            );
            let [mark_left, mark_top, mark_right, mark_bottom] = mark.bounds();
            assert!(
                mark_left > left && mark_right < right && mark_top > top && mark_bottom < bottom
            );
            let (Some(dark), Some(light)) = (triangle.fill, mark.fill) else {
                panic!("{paper:?}: the sign is filled")
            };
            for (what, a, b) in [("triangle on the tint", dark, fill), ("mark", light, dark)] {
                let ratio = contrast(greyscale(a), greyscale(b));
                assert!(
                    ratio >= 3.0,
                    "{paper:?}: the sign's {what} in grey, {ratio:.2}:1"
                );
            }
            // Drawn before the heading, read as nothing: it is decoration,
            // and the heading says the same in words.
            let at =
                |wanted: &dyn Fn(&Element) -> bool| page.elements.iter().position(wanted).unwrap();
            let sign_at = at(&|item| matches!(item, Element::Path(_)));
            let heading_at = at(&|item| item.role() == Role::Urgent(UrgentPart::Heading));
            assert!(sign_at < heading_at);

            // Told from the other headings in grey by more than its colour:
            // the only signs are in its frame, and no other heading is.
            for other in page.runs().filter(|run| run.role == Role::Heading) {
                assert!(
                    !inside(other.bounds()),
                    "{paper:?}: {:?} is framed",
                    other.text
                );
            }
        }
    }

    // A fifth of the body at least.
    const _: () = assert!(fit::ITEM_SPACE >= 0.2);

    #[test]
    fn list_items_are_set_apart_at_every_style() {
        let fonts = Fonts::new();
        let handout = handout(everything(), Some(NOTE_200));
        let prepared = Prepared::new(&fonts, &handout, false);
        let is_label = |role| {
            matches!(
                role,
                Role::ListItem(ListPart::Label) | Role::Urgent(UrgentPart::Item(ListPart::Label))
            )
        };
        for style in Style::sequence() {
            // Whether or not it fits, every style spaces its items alike.
            let (page, _) = set_page(&prepared, style, Paper::A4, true);
            let at = format!("{} pt, space {}", style.body, style.space);
            let runs: Vec<&TextRun> = page.runs().collect();
            let mut gaps = 0;
            for (i, label) in runs
                .iter()
                .enumerate()
                .filter(|(_, run)| is_label(run.role))
            {
                // The item's lines run to the next label, or to the end of
                // its list.
                let item: Vec<&&TextRun> = runs[i + 1..]
                    .iter()
                    .take_while(|run| !is_label(run.role) && run.role.name().ends_with("item-body"))
                    .collect();
                let Some(next) = runs[i + 1 + item.len()..].first() else {
                    continue;
                };
                if !is_label(next.role)
                    || (next.x - label.x).abs() > 1.0
                    || next.baseline < label.baseline
                {
                    continue;
                }
                let last = item
                    .iter()
                    .map(|run| run.baseline)
                    .fold(label.baseline, f32::max);
                let space = next.baseline - last - style.body * style.leading();
                assert!(
                    space >= fit::ITEM_SPACE * style.body - 0.01,
                    "{at}: {:.1} pt between items, before {:?}",
                    space,
                    runs[i + 1 + item.len() + 1].text
                );
                gaps += 1;
            }
            assert!(gaps > 10, "{at}: only {gaps} pairs of items checked");
        }
    }

    #[test]
    fn every_field_at_its_longest_prints_whole_on_a4_and_letter() {
        // Each at the most its check allows: the practice's name, midwife and
        // patient's name 80 characters, the phone 40, the address 120.
        let practice = Practice::parse(
            "p.toml",
            "name = \"The Greater Exampleton-under-Lyme and District Community Midwifery \
             Practice Team\"\n\
             phone = \"+44 1632 960 123 ext 4567 (out of hours)\"\n\
             address = \"112 Long Meadow Lane, Upper Bishopsworth Industrial Estate, Greater \
             Exampleton-under-Lyme, Westshire EX12 3AB, UK Europe\"\n\
             emergency = \"999\"\n",
        )
        .unwrap();
        let patient = Patient {
            name: Some(
                "Featherstonehaugh-Vandenberghe Ramírez de la Concepción Smythe-Jones Abernathy J"
                    .into(),
            ),
            pregnancy: Some(Pregnancy::Weeks(28)),
            note: None,
            midwife: Some(
                "Maria-Fernanda Oyelaran-Whitcombe de los Santos Nakamura-Lindqvist Barrington Sr"
                    .into(),
            ),
        };
        let fields = [
            practice.name.clone().unwrap(),
            practice.phone.clone().unwrap(),
            practice.address.clone().unwrap(),
            patient.name.clone().unwrap(),
            patient.midwife.clone().unwrap(),
        ];
        assert_eq!(
            fields.each_ref().map(|field| field.chars().count()),
            [80, 40, 120, 80, 80],
        );
        // Fewer items than the defaults, so that the page fits on Letter too:
        // the long footer takes three more lines.
        let picks = Picks::new().with("prevention", Choice::parse("walking,fluids,rest"));
        let handout = handout_of(english(), &practice, &patient, &picks);
        let fonts = Fonts::new();
        let squeezed = |text: &str| text.split_whitespace().collect::<String>();
        for paper in [Paper::A4, Paper::Letter] {
            let page = layout_page(&fonts, &handout, paper).unwrap();
            assert_well_placed(&page);
            let text = squeezed(&page.text_lines().concat());
            for field in &fields {
                assert!(
                    text.contains(&squeezed(field)),
                    "{paper:?}: {field:?} is not printed whole:\n{}",
                    page.text_lines().join("\n")
                );
            }
        }
    }

    #[test]
    fn a_blank_handout_is_set_larger() {
        let fonts = Fonts::new();
        let page_of = |patient: Patient| {
            let handout = handout_of(english(), &Practice::default(), &patient, &Picks::new());
            layout_page(&fonts, &handout, Paper::A4).unwrap()
        };
        let blank = page_of(Patient::default());
        let named = page_of(Patient {
            name: Some("Ana López".into()),
            pregnancy: Some(Pregnancy::Weeks(28)),
            note: Some(NOTE_200.into()),
            midwife: None,
        });
        assert!(
            blank.body_size > named.body_size,
            "blank at {} pt, named with a note at {} pt",
            blank.body_size,
            named.body_size
        );
        assert_well_placed(&blank);
        // Under the footer's rule, a line to write in after "Your midwife:"
        // and after "Phone:", on the label's baseline.
        let hairline = rules(&blank)
            .find(|rule| rule.color == HAIRLINE)
            .expect("the footer's rule");
        let write_ins: Vec<&Rule> = rules(&blank)
            .filter(|rule| rule.color == MUTED && rule.y > hairline.y)
            .collect();
        assert_eq!(write_ins.len(), 2, "{write_ins:?}");
        let runs: Vec<&TextRun> = blank.runs().collect();
        for (rule, label) in write_ins.iter().zip(["Your midwife:", "Phone:"]) {
            let run = runs
                .iter()
                .find(|run| run.text == label)
                .unwrap_or_else(|| panic!("no {label:?}"));
            let gap = rule.x - (run.x + run.width());
            assert!(gap > 0.0 && gap < 0.5 * run.size, "{label} gap {gap}");
            let drop = rule.y - run.baseline;
            assert!(drop > 0.0 && drop < 0.25 * run.size, "{label} drop {drop}");
            assert!(rule.x_end - rule.x >= 25.0 * MM, "{label}: {rule:?}");
        }
    }

    #[test]
    fn a_blank_byline_has_write_in_lines_at_every_size() {
        let fonts = Fonts::new();
        let handout = blank(None);
        let prepared = Prepared::new(&fonts, &handout, false);
        for paper in [Paper::A4, Paper::Letter] {
            for style in Style::sequence() {
                // Not every style fits the whole page; the title and byline must.
                let (page, _) = set_page(&prepared, style, paper, true);
                let at = format!("{paper:?} at {} pt, space {}", style.body, style.space);
                let under_byline = rules(&page).find(|rule| rule.color == ACCENT).unwrap().y;
                let top = Page {
                    elements: page
                        .elements
                        .iter()
                        .filter(|item| match item {
                            Element::Text(run) => run.baseline < under_byline,
                            Element::Rule(rule) => rule.y <= under_byline,
                            Element::Rect(_) | Element::Path(_) => false,
                        })
                        .cloned()
                        .collect(),
                    ..page.clone()
                };
                assert_well_placed(&top);
                let write_ins = byline_write_ins(&page);
                assert_eq!(write_ins.len(), 3, "{at}: {write_ins:?}");
                // Room to write a name, the weeks and a date by hand.
                let lengths: Vec<f32> = write_ins.iter().map(|r| (r.x_end - r.x) / MM).collect();
                assert!(
                    lengths[0] >= 55.0 && lengths[1] >= 15.0 && lengths[2] >= 30.0,
                    "{at}: {lengths:?} mm"
                );
                let runs: Vec<&TextRun> = page.runs().collect();
                for (rule, label) in write_ins.iter().zip(["Name:", "Weeks:", "Date:"]) {
                    // Each line follows its label on one baseline, a little below it.
                    let run = runs
                        .iter()
                        .find(|run| run.text == label)
                        .unwrap_or_else(|| panic!("{at}: no {label:?}"));
                    assert_eq!(run.size, style.body, "{at}: {label}");
                    assert_eq!(rule.y, write_ins[0].y, "{at}: {label} not on one line");
                    let gap = rule.x - (run.x + run.width());
                    assert!(gap > 0.0 && gap < 0.5 * run.size, "{at}: {label} gap {gap}");
                    let drop = rule.y - run.baseline;
                    assert!(
                        drop > 0.0 && drop < 0.25 * run.size,
                        "{at}: {label} drop {drop}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_blank_byline_prints_the_weeks_but_no_date() {
        let fonts = Fonts::new();
        let page = layout_page(&fonts, &blank(Some(Pregnancy::Weeks(28))), Paper::A4).unwrap();
        assert_well_placed(&page);
        assert_eq!(page.text_lines()[1], "Name: Weeks: 28 Date:");
        assert_eq!(byline_write_ins(&page).len(), 2);

        let page = layout_page(&fonts, &blank(None), Paper::A4).unwrap();
        assert_eq!(page.text_lines()[1], "Name: Weeks: Date:");
        // No date but the text's review record, at the foot.
        let record = "Leaflet version 4 · checked against its sources December 2026 · review due December 2028";
        assert!(page_text(&page).contains(record));
        assert!(!page_text(&page).replace(record, "").contains("November"));
    }

    #[test]
    fn a_named_byline_has_no_write_in_lines() {
        let fonts = Fonts::new();
        for paper in [Paper::A4, Paper::Letter] {
            let page = layout_page(&fonts, &handout(Picks::new(), None), paper).unwrap();
            assert_well_placed(&page);
            assert_eq!(byline_write_ins(&page), Vec::<&Rule>::new());
            assert_eq!(
                page.text_lines()[1],
                "Prepared for Ana López · 28 weeks · 25 November 2026"
            );
        }
    }

    #[test]
    fn few_items_are_set_at_14_pt() {
        let selection = pick(|section| {
            let mut items = section.defaults().map(|item| item.id.clone());
            items.next().into_iter().collect()
        });
        let page = layout_page(&Fonts::new(), &handout(selection, None), Paper::Letter).unwrap();
        assert_eq!(page.body_size, 14.0);
        assert_well_placed(&page);
    }

    #[test]
    fn everything_fits_a4_at_the_minimum_but_not_letter_with_a_long_note() {
        let fonts = Fonts::new();
        let page = layout_page(&fonts, &handout(everything(), None), Paper::A4).unwrap();
        assert_eq!(page.body_size, MIN_BODY_PT);
        assert_well_placed(&page);

        let note = "Please rest with your feet up when you can. ".repeat(14);
        let error = layout_page(
            &fonts,
            &handout(everything(), Some(note.trim())),
            Paper::Letter,
        )
        .unwrap_err();
        let RenderError::DoesNotFit {
            over_mm,
            longest,
            note_chars,
            large_print: false,
        } = &error
        else {
            panic!("{error}")
        };
        assert!(*over_mm > 10.0);
        assert_eq!(*note_chars, Some(note.trim().chars().count()));
        assert_eq!(longest.len(), 3);
        // The longest of the picks, cautions (never picked) aside.
        let ids: Vec<&str> = longest.iter().map(|item| item.id.as_str()).collect();
        assert_eq!(ids, ["herbal", "pain-relief", "calcium-magnesium"]);
        assert!(error.to_string().contains("mm too long"), "{error}");
        // Named as she sees them: by lead, under their section's heading.
        assert!(
            error.to_string().contains(
                "its longest items are 'Herbal products' and 'Paracetamol (acetaminophen)' \
                 under 'When a cramp or pain starts', 'Calcium and magnesium' under 'To \
                 prevent it'; choose fewer items or shorten the note"
            ),
            "{error}"
        );
    }

    #[test]
    fn a_heading_is_never_the_last_line_of_a_column() {
        let fonts = Fonts::new();
        for (selection, note) in [(Picks::new(), Some(NOTE_200)), (everything(), None)] {
            let page = layout_page(&fonts, &handout(selection, note), Paper::A4).unwrap();
            let runs: Vec<_> = page.runs().collect();
            // Section headings only: the title is larger, the box's heading red.
            let headings: Vec<_> = runs
                .iter()
                .filter(|run| run.size == heading_size(page.body_size) && run.color == ACCENT)
                .collect();
            // A list that goes on in the second column has its heading again.
            let mut texts: Vec<&str> = headings
                .iter()
                .map(|run| run.text.trim_end_matches(" (continued)"))
                .collect();
            texts.dedup_by(|a, b| a == b);
            texts.sort_unstable();
            texts.dedup();
            assert_eq!(texts.len(), 3, "the info and choose sections' headings");
            for heading in headings {
                let below = runs.iter().any(|run| {
                    (run.x - heading.x).abs() < 20.0
                        && run.baseline > heading.baseline
                        && run.baseline < heading.baseline + 3.0 * page.body_size
                });
                assert!(below, "heading {:?} has nothing under it", heading.text);
            }
        }
    }

    /// The roles a handout's text must come in, one for each stretch of
    /// runs, with the text of that stretch where it is the handout's own
    /// words: the reading order.
    fn reading_order(handout: &Handout) -> Vec<(Role, Option<String>)> {
        let mut expected = vec![
            (Role::Title, Some(handout.title.to_string())),
            (Role::Byline, None),
            (Role::Paragraph, Some(handout.intro.to_string())),
        ];
        for section in &handout.sections {
            let (heading, item): (Role, fn(ListPart) -> Role) = match section.role {
                SectionRole::Info | SectionRole::Choose => (Role::Heading, Role::ListItem),
                SectionRole::Urgent => {
                    expected.push((Role::Urgent(UrgentPart::Box), None));
                    (Role::Urgent(UrgentPart::Heading), |part| {
                        Role::Urgent(UrgentPart::Item(part))
                    })
                }
            };
            expected.push((heading, Some(section.heading.to_string())));
            for entry in &section.items {
                // A bullet, or a pictogram (no text) in its place.
                let label = if entry.picture.is_some() { "" } else { "•" };
                expected.push((item(ListPart::Label), Some(label.into())));
                let body = format!("{} {}", entry.lead, entry.text);
                expected.push((item(ListPart::Body), Some(body)));
            }
        }
        if let Some((heading, text)) = &handout.note {
            expected.push((Role::Note(NotePart::Heading), Some(heading.to_string())));
            expected.push((Role::Note(NotePart::Text), Some(text.clone())));
        }
        expected.push((Role::Footer, None));
        expected
    }

    #[test]
    fn items_come_in_reading_order_with_their_roles() {
        let fonts = Fonts::new();
        // Each case, with whether it fits Letter: everything picked does not.
        let cases = [
            (handout(Picks::new(), Some(NOTE_200)), true),
            (handout(everything(), None), false),
            (blank(Some(Pregnancy::Weeks(28))), true),
        ];
        let squeeze = |text: &str| text.split_whitespace().collect::<String>();
        let mut checked = 0;
        for (handout, fits_letter) in cases {
            for paper in [Paper::A4, Paper::Letter] {
                let laid_out = layout_page(&fonts, &handout, paper);
                if paper == Paper::Letter && !fits_letter {
                    assert!(matches!(laid_out, Err(RenderError::DoesNotFit { .. })));
                    continue;
                }
                let page = laid_out.unwrap_or_else(|error| panic!("{paper:?}: {error}"));
                checked += 1;
                assert!(
                    page.runs().all(|run| !run.role.is_decoration()),
                    "every text run says what it is"
                );
                for item in &page.elements {
                    match item {
                        Element::Text(_) => {}
                        Element::Rule(rule) => assert_eq!(rule.role, Role::Decoration),
                        // A shape, or an item's pictogram in its bullet's place.
                        Element::Path(path) => assert!(
                            matches!(
                                path.role,
                                Role::Decoration
                                    | Role::ListItem(ListPart::Label)
                                    | Role::Urgent(UrgentPart::Item(ListPart::Label))
                            ),
                            "{path:?}"
                        ),
                        Element::Rect(rect) => assert!(
                            matches!(rect.role, Role::Decoration | Role::Urgent(UrgentPart::Box)),
                            "{rect:?}"
                        ),
                    }
                }
                assert_eq!(
                    page.elements[0].role(),
                    Role::Title,
                    "the title comes first"
                );
                let footer = page
                    .elements
                    .iter()
                    .position(|item| item.role() == Role::Footer);
                assert!(
                    footer.is_some_and(|start| page.elements[start..]
                        .iter()
                        .all(|item| matches!(item.role(), Role::Footer | Role::Decoration))),
                    "the footer comes last, with its rule and write-in lines"
                );
                // Each stretch of items with one role, decorations aside (the
                // box is not one), with its text.
                let mut stretches: Vec<(Role, String)> = Vec::new();
                for item in page
                    .elements
                    .iter()
                    .filter(|item| !item.role().is_decoration())
                {
                    let text = match item {
                        Element::Text(run) => run.text.as_str(),
                        _ => "",
                    };
                    match stretches.last_mut() {
                        Some((role, joined)) if *role == item.role() => joined.push_str(text),
                        _ => stretches.push((item.role(), text.to_string())),
                    }
                }
                // A list that goes on in the second column has its heading
                // again there, once at most, marked so: read past it.
                let stretch_count = stretches.len();
                let mut seen = Vec::new();
                stretches.retain(|(role, text)| {
                    let heading = text.trim_end_matches(" (continued)").to_string();
                    let again = *role == Role::HeadingAgain;
                    assert!(
                        !again || seen.contains(&heading),
                        "{text} is no heading again"
                    );
                    seen.push(heading);
                    !again
                });
                assert!(stretch_count - stretches.len() <= 1, "{paper:?}");
                let expected = reading_order(&handout);
                let roles: Vec<Role> = stretches.iter().map(|(role, _)| *role).collect();
                let expected_roles: Vec<Role> = expected.iter().map(|(role, _)| *role).collect();
                assert_eq!(roles, expected_roles, "{paper:?}");
                for ((role, text), (_, words)) in stretches.iter().zip(&expected) {
                    if let Some(words) = words {
                        assert_eq!(squeeze(text), squeeze(words), "{role} on {paper:?}");
                    }
                }
            }
        }
        assert_eq!(checked, 5, "every case that fits, on both papers");
    }

    /// The label shapes of a page's list items: each item's pictogram, or
    /// nothing where a bullet is set.
    fn picture_shapes(page: &Page) -> Vec<&crate::page::Path> {
        page.elements
            .iter()
            .filter_map(|element| match element {
                Element::Path(path) if matches!(path.role, Role::ListItem(ListPart::Label)) => {
                    Some(path)
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_practice_picture_prints_in_place_of_the_built_in_one_of_its_name() {
        // A filled square the size of its box: no built-in picture is one.
        const SQUARE: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\">\
                              <rect width=\"10\" height=\"10\"/></svg>";
        let is_square = |path: &&crate::page::Path| {
            let [left, top, right, bottom] = path.bounds();
            path.fill.is_some()
                && path.ops.len() == 5
                && (right - left - (bottom - top)).abs() < 0.01
        };
        let fonts = Fonts::new();
        let built_in = layout_page(&fonts, &named("Ana"), Paper::A4).unwrap();
        assert!(!picture_shapes(&built_in).iter().any(is_square));

        let mut library = handout_content::Library::builtin();
        library.add_picture("own/pictures/walk.svg", "walk", Ok(SQUARE.as_bytes()));
        library.add_file(
            "own/leg-cramps.en.toml",
            "leg-cramps.en.toml",
            handout_content::LEG_CRAMPS_EN.as_bytes(),
        );
        let topic = library.topic(Some("leg-cramps"), Some("en")).unwrap();
        let patient = Patient {
            name: Some("Ana".into()),
            ..Patient::default()
        };
        let date = jiff::civil::date(2026, 11, 25);
        let own = Handout::resolve(
            topic,
            &Practice::default(),
            &patient,
            &Picks::new(),
            date,
            None,
        )
        .unwrap();
        let page = layout_page(&fonts, &own, Paper::A4).unwrap();
        let squares: Vec<_> = picture_shapes(&page)
            .into_iter()
            .filter(is_square)
            .collect();
        assert_eq!(
            squares.len(),
            1,
            "the practice's walk, once, for the one item naming it"
        );
        // The other pictures are the built-in ones, and every line is where
        // it was: a picture takes the bullet's place only.
        assert_eq!(
            picture_shapes(&page).len(),
            picture_shapes(&built_in).len() - shapes_of("walk") + 1
        );
        assert_eq!(page_text(&page), page_text(&built_in));
    }

    /// How many shapes the built-in picture `name` has.
    fn shapes_of(name: &str) -> usize {
        handout_content::picture::builtin(name)
            .unwrap()
            .shapes
            .len()
    }

    #[test]
    fn a_handout_without_pictures_prints_bullets_in_their_place() {
        let fonts = Fonts::new();
        let mut handout = named("Ana");
        let pictured = layout_page(&fonts, &handout, Paper::A4).unwrap();
        assert!(!picture_shapes(&pictured).is_empty());
        handout.leave_out_pictures();
        let page = layout_page(&fonts, &handout, Paper::A4).unwrap();
        assert!(picture_shapes(&page).is_empty());
        let bullets = page_text(&page).matches('•').count();
        let items: usize = handout
            .sections
            .iter()
            .map(|section| section.items.len())
            .sum();
        assert_eq!(bullets, items, "{}", page_text(&page));
    }

    #[test]
    fn a_right_to_left_leaflet_is_a_mirrored_page() {
        let patient = Patient {
            name: Some("Ana López".into()),
            ..Patient::default()
        };
        let handout = handout_of(
            crate::testing::arabic(),
            &Practice::default(),
            &patient,
            &Picks::new(),
        );
        let page = layout_page(&Fonts::new(), &handout, Paper::A4).unwrap();
        let right = page.width - page.margin;
        let runs: Vec<&TextRun> = page
            .elements
            .iter()
            .filter_map(|element| match element {
                Element::Text(run) => Some(run),
                _ => None,
            })
            .collect();
        let end = |run: &TextRun| run.x + run.width();
        // The title starts at the right margin.
        let title = runs.iter().find(|run| run.role == Role::Title).unwrap();
        assert!(
            (end(title) - right).abs() < 0.5,
            "title ends at {}",
            end(title)
        );
        // Every bullet sits right of its item's first line, and the first
        // column's bullets on the right margin's side of the page.
        let bullets: Vec<&&TextRun> = runs
            .iter()
            .filter(|run| run.role == Role::ListItem(ListPart::Label))
            .collect();
        assert!(bullets.len() > 10);
        for bullet in &bullets {
            let body = runs
                .iter()
                .filter(|run| {
                    run.role == Role::ListItem(ListPart::Body) && run.baseline == bullet.baseline
                })
                .map(|run| end(run))
                .fold(f32::MIN, f32::max);
            assert!(body <= bullet.x + 0.01, "a bullet left of its text");
        }
        // The first column, read first, is the right one.
        let first = bullets.first().unwrap();
        assert!(first.x > page.width / 2.0, "first bullet at {}", first.x);
        // Latin and numbers keep their own order inside the Arabic.
        let byline: Vec<&&TextRun> = runs.iter().filter(|run| run.role == Role::Byline).collect();
        assert!(
            byline.iter().any(|run| run.text.contains("Ana López")),
            "{byline:?}"
        );
        assert!(
            runs.iter()
                .any(|run| run.text.contains("28") || run.text.contains("2026"))
        );
        // Nothing outside the margins.
        for run in &runs {
            assert!(
                run.x >= page.margin - 0.5 && end(run) <= right + 0.5,
                "{}",
                run.text
            );
        }
    }

    #[test]
    fn unprintable_letters_are_an_error_not_boxes() {
        // U+16A0 (runic) is in no bundled face; the name around it is.
        let patient = Patient {
            name: Some("王秀英 ᚠ Ana".into()),
            ..Patient::default()
        };
        let handout = handout_of(english(), &Practice::default(), &patient, &Picks::new());
        let error = layout_page(&Fonts::new(), &handout, Paper::A4).unwrap_err();
        assert_eq!(
            error,
            RenderError::Unprintable {
                character: 'ᚠ',
                place: "the name"
            }
        );
        assert_eq!(
            error.to_string(),
            "cannot print 'ᚠ' (U+16A0) in the name: no bundled font has it"
        );
    }

    #[test]
    fn stacked_marks_never_draw_over_other_lines() {
        let fonts = Fonts::new();
        // Names whose marks are all real: each fits its line.
        for name in [
            "NGUYỄN THỊ ẤU",
            "Nguye\u{302}\u{303}n Ẫ Ǻ Ḗ Ṻ",
            "ŲĄ̄ Ų̄ Ė̃ Ą̃",
            "Zoë Ō'Brien-Łęcka",
            "Ἀθηνᾶ Ὦ Йо̄",
            "a\u{301}\u{301}",
        ] {
            assert!(
                layout_page(&fonts, &named(name), Paper::A4).is_ok(),
                "{name} was refused"
            );
        }
        for name in [
            format!("Ana{}", "\u{301}".repeat(8)),
            format!("Zoe{}", "\u{323}".repeat(8)),
            format!("A{}", "\u{30B}".repeat(4)),
        ] {
            assert_eq!(
                layout_page(&fonts, &named(&name), Paper::A4).unwrap_err(),
                RenderError::Overdrawn { place: "the name" },
                "{name}"
            );
        }
    }

    #[test]
    fn layout_matches_the_golden_dump() {
        let fonts = Fonts::new();
        let dump = layout_handout(
            &fonts,
            &handout(Picks::new(), Some(NOTE_200)),
            &options(Paper::A4),
        )
        .unwrap()
        .dump();
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/default-a4.txt");
        if std::env::var_os("UPDATE_GOLDEN").is_some()
            || std::env::var_os("HANDOUT_BLESS").is_some()
        {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &dump).unwrap();
        }
        let expected = std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("{} missing: run `scripts/bless-layouts`", path.display()));
        assert!(
            dump == expected,
            "layout changed; if on purpose, run `scripts/bless-layouts` and commit {}\n\
             --- new dump ---\n{dump}",
            path.display()
        );
    }
}

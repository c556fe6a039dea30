//! Sets large print down both sides of one sheet, in one column.
//!
//! At 18 pt, half the page's width holds four or five words a line, so
//! large print runs one column across the whole measure. The first side
//! has the title, the byline and the urgent box, and its foot says to turn
//! over; the flow goes on over the page, and the second side's foot holds
//! the practice's details. A block never breaks across the sides, and a
//! heading never ends the first.

use handout_content::Paper;

use super::blocks::{Block, FIRST_ITEM_GAP, Prepared};
use super::column::Column;
use super::fit::Style;
use super::flow::moved;
use super::inline::mirror;
use super::pages::{FOOTER_CLEARANCE, Foot, footer, header};
use super::{MARGIN_MM, MM, paper_size};
use crate::page::{Element, Page};

/// Where the flow may run on each side.
struct Frame {
    /// Where the flow starts.
    tops: [f32; 2],
    /// How low the flow may reach, the space above the footer kept.
    bottoms: [f32; 2],
}

/// A block as set at the top of the column.
struct SetBlock {
    /// Its elements, y from 0; none when only measuring.
    elements: Vec<Element>,
    height: f32,
    /// The space above it when it does not start a side.
    gap: f32,
    /// Whether it must stay with the block after it.
    heading: bool,
    /// Its place among the `info` items (see [`Prepared::large_blocks`]).
    info: Option<usize>,
    /// For an item, its section's heading set again ("To prevent it
    /// (continued)") with the space under it: what goes above the item
    /// when it starts the second side.
    continued: Option<(Vec<Element>, f32)>,
}

/// The two sides set in `style` with the last `omit` `info` items left
/// out: the pages, and by how far the flow overruns the second side (zero
/// or less when it fits). Without `emit`, only measures.
pub(super) fn set_sides(
    prepared: &Prepared,
    style: Style,
    paper: Paper,
    omit: usize,
    emit: bool,
) -> (Vec<Page>, f32) {
    let (mut columns, frame) = frame(prepared, style, paper, emit);
    let blocks = set_blocks(prepared, style, paper, emit);
    let kept = kept(&blocks, prepared.info_items(), omit);
    let Stacked {
        places,
        over,
        continued,
    } = stack(&blocks, &kept, &frame);
    for (index, (block, (side, top))) in blocks.into_iter().zip(places).enumerate() {
        if let Some(side) = side {
            let column = &mut columns[side].0;
            let x = column.left;
            if continued == Some(index)
                && let Some((heading, _)) = block.continued
            {
                let heading_top = frame.tops[1];
                column
                    .elements
                    .extend(heading.into_iter().map(|item| moved(item, x, heading_top)));
            }
            column
                .elements
                .extend(block.elements.into_iter().map(|item| moved(item, x, top)));
        }
    }
    let (width, height) = paper_size(paper);
    let pages = columns
        .into_iter()
        .map(|(mut flow, mut foot)| {
            // The footer is set first but read last.
            flow.elements.append(&mut foot.elements);
            if prepared.writing.rtl {
                mirror(&mut flow.elements, width);
            }
            Page {
                width,
                height,
                margin: MARGIN_MM * MM,
                body_size: style.body,
                elements: flow.elements,
            }
        })
        .collect();
    (pages, over)
}

/// The most generous large-print style in which the handout fits two
/// sides, leaving out as few `info` items as it can: leaving one out is
/// worse than tighter space. Or, when nothing fits, by how much the
/// tightest style with every `info` item left out overruns.
pub(super) fn search(
    prepared: &Prepared,
    paper: Paper,
    more_info: bool,
) -> Result<(Style, u16), f32> {
    let styles = Style::large_sequence().map(|style| Style { more_info, ..style });
    // Each style is measured once, when first needed, for every count of
    // items left out.
    let mut measured: Vec<Option<(Frame, Vec<SetBlock>)>> = styles.iter().map(|_| None).collect();
    let info = prepared.info_items();
    let mut overflow = 0.0;
    for omit in 0..=info {
        for (style, measured) in styles.iter().zip(&mut measured) {
            let (frame, blocks) = measured.get_or_insert_with(|| {
                let (_, frame) = frame(prepared, *style, paper, false);
                (frame, set_blocks(prepared, *style, paper, false))
            });
            let over = stack(blocks, &kept(blocks, info, omit), frame).over;
            if over <= 0.0 {
                return Ok((*style, u16::try_from(omit).unwrap_or(u16::MAX)));
            }
            overflow = over;
        }
    }
    Err(overflow)
}

/// Each side's flow column, with its header on the first side, and its
/// footer column; and where the flow may run.
fn frame<'a>(
    prepared: &'a Prepared,
    style: Style,
    paper: Paper,
    emit: bool,
) -> ([(Column<'a>, Column<'a>); 2], Frame) {
    let (width, height) = paper_size(paper);
    let margin = MARGIN_MM * MM;
    let column = || Column::new(prepared, style, margin, width - margin, margin, emit);
    let [first_foot, second_foot] = prepared
        .sides
        .as_ref()
        .map(|[first, second]| [Foot::Side(first), Foot::Whole(Some(second))])
        .unwrap_or([Foot::Whole(None), Foot::Whole(None)]);
    let (mut first, second) = (column(), column());
    let tops = [header(&mut first), margin];
    let (mut first_bottom, mut second_bottom) = (column(), column());
    let footer_tops = [
        footer(&mut first_bottom, height - margin, first_foot),
        footer(&mut second_bottom, height - margin, second_foot),
    ];
    let bottoms = footer_tops.map(|top| top - FOOTER_CLEARANCE * style.body);
    (
        [(first, first_bottom), (second, second_bottom)],
        Frame { tops, bottoms },
    )
}

/// Every block of the column, set at its top across the measure. One
/// column, not two: at 18 pt half the measure holds four or five words a
/// line, and two columns took a tenth more room than one.
fn set_blocks(prepared: &Prepared, style: Style, paper: Paper, emit: bool) -> Vec<SetBlock> {
    let (width, _) = paper_size(paper);
    let measure = width - 2.0 * MARGIN_MM * MM;
    prepared
        .large_blocks()
        .into_iter()
        .map(|(block, info)| {
            let (elements, height) = block.set(prepared, style, 0.0, measure, emit);
            let continued = block
                .continued_heading()
                .filter(|_| style.keep)
                .map(|heading| {
                    let (elements, height) =
                        Block::HeadingAgain(heading).set(prepared, style, 0.0, measure, emit);
                    (elements, height + style.gap(FIRST_ITEM_GAP * style.body))
                });
            SetBlock {
                elements,
                height,
                gap: block.gap_before(style),
                heading: matches!(block, Block::Heading(_)),
                info,
                continued,
            }
        })
        .collect()
}

/// Whether each block is kept when the last `omit` of `info` items are
/// left out.
fn kept(blocks: &[SetBlock], info: usize, omit: usize) -> Vec<bool> {
    let keep = info.saturating_sub(omit);
    blocks
        .iter()
        .map(|block| block.info.is_none_or(|place| place < keep))
        .collect()
}

/// Stacks the kept blocks down the first side and, when it is full, the
/// second: each block's side and top (none for a block left out), by how
/// far the second side overruns, and the item, if any, that starts the
/// second side under its section's heading set again.
fn stack(blocks: &[SetBlock], kept: &[bool], frame: &Frame) -> Stacked {
    let order: Vec<usize> = (0..blocks.len()).filter(|&i| kept[i]).collect();
    let mut places = vec![(None, 0.0); blocks.len()];
    let mut continued = None;
    let (mut side, mut y, mut starts) = (0, frame.tops[0], true);
    for (k, &i) in order.iter().enumerate() {
        let block = &blocks[i];
        let gap = |starts: bool| if starts { 0.0 } else { block.gap };
        // A heading goes over the page with the block it heads.
        let next = order
            .get(k + 1)
            .filter(|_| block.heading)
            .map_or(0.0, |&next| blocks[next].gap + blocks[next].height);
        if side == 0 && !starts && y + gap(starts) + block.height + next > frame.bottoms[0] {
            (side, y, starts) = (1, frame.tops[1], true);
            // A list that goes on over the page has its heading again.
            if let Some((_, height)) = &block.continued {
                y += height;
                continued = Some(i);
            }
        }
        let top = y + gap(starts);
        places[i] = (Some(side), top);
        y = top + block.height;
        starts = false;
    }
    let end = if side == 1 { y } else { frame.tops[1] };
    Stacked {
        places,
        over: end - frame.bottoms[1],
        continued,
    }
}

/// Where [`stack`] put the blocks.
struct Stacked {
    /// Each block's side and top; no side for a block left out.
    places: Vec<(Option<usize>, f32)>,
    /// By how far the second side overruns.
    over: f32,
    /// The item that starts the second side under its heading set again.
    continued: Option<usize>,
}

#[cfg(test)]
mod tests {
    use handout_content::{Choice, Handout, Patient, Picks, Pregnancy, SectionRole};

    use super::super::tests::{NOTE_200, assert_well_placed, practice};
    use super::super::{LARGE_PRINT_PT, layout_fitted, layout_handout};
    use super::*;
    use crate::fonts::Fonts;
    use crate::page::TextRun;
    use crate::role::{Role, UrgentPart};
    use crate::testing::{english, handout_of};
    use crate::{Document, RenderError, RenderOptions};

    fn large(paper: Paper) -> RenderOptions {
        RenderOptions {
            paper,
            large_print: true,
        }
    }

    fn handout(picks: &Picks, note: Option<&str>) -> Handout<'static> {
        let patient = Patient {
            name: Some("Ana López".into()),
            pregnancy: Some(Pregnancy::Weeks(28)),
            note: note.map(str::to_string),
            midwife: None,
        };
        handout_of(english(), &practice(), &patient, picks)
    }

    /// Every item of every `choose` section.
    fn everything() -> Picks {
        english()
            .sections
            .iter()
            .filter(|section| section.role == SectionRole::Choose)
            .fold(Picks::new(), |picks, section| {
                let ids = section.pickable().map(|item| item.id.clone()).collect();
                picks.with(section.key.clone(), Choice::Items(ids))
            })
    }

    /// A page's text, its white space squeezed to single spaces.
    fn text(page: &Page) -> String {
        squeezed(&page.text_lines().join(" "))
    }

    fn squeezed(text: &str) -> String {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// Asserts what a reader of large print checks: two pages, every text
    /// at 18 pt or more, every two lines at least 1.5 lines apart, nothing
    /// outside the margins or over anything else, and the foot of each
    /// side.
    fn assert_large_print(document: &Document) {
        assert_eq!(document.pages.len(), 2);
        for (number, page) in (1..).zip(&document.pages) {
            assert_well_placed(page);
            assert_eq!(page.body_size, LARGE_PRINT_PT);
            for run in page.runs() {
                assert!(
                    run.size >= LARGE_PRINT_PT,
                    "page {number}: {:?} at {} pt",
                    run.text,
                    run.size
                );
            }
            let mut baselines: Vec<f32> = page.runs().map(|run| run.baseline).collect();
            baselines.sort_by(f32::total_cmp);
            baselines.dedup_by(|a, b| (*a - *b).abs() < 0.5);
            for pair in baselines.windows(2) {
                assert!(
                    pair[1] - pair[0] >= 1.5 * LARGE_PRINT_PT - 0.01,
                    "page {number}: lines at {} and {} are closer than 1.5 lines",
                    pair[0],
                    pair[1]
                );
            }
        }
        let (first, second) = (text(&document.pages[0]), text(&document.pages[1]));
        assert!(first.ends_with("Page 1 of 2 · please turn over"), "{first}");
        assert!(second.ends_with("Page 2 of 2"), "{second}");
    }

    /// The first default of every `choose` section.
    fn a_few() -> Picks {
        english()
            .sections
            .iter()
            .filter(|section| section.role == SectionRole::Choose)
            .fold(Picks::new(), |picks, section| {
                let first = section.defaults().take(1).map(|item| item.id.clone());
                picks.with(section.key.clone(), Choice::Items(first.collect()))
            })
    }

    /// Asserts that every item prints once but the `info` items the
    /// document says it left out, which are the last in reading order.
    fn assert_items(document: &Document, handout: &Handout) {
        let both = format!("{} {}", text(&document.pages[0]), text(&document.pages[1]));
        let info: Vec<&str> = handout
            .sections
            .iter()
            .filter(|section| section.role == SectionRole::Info)
            .flat_map(|section| section.items.iter().map(|item| item.id))
            .collect();
        let left_out: Vec<&str> = document
            .omitted
            .iter()
            .map(|item| item.id.as_str())
            .collect();
        assert_eq!(left_out, info[info.len() - left_out.len()..]);
        for section in &handout.sections {
            for item in &section.items {
                let words = squeezed(&format!("{} {}", item.lead, item.text));
                let count = usize::from(!left_out.contains(&item.id));
                assert_eq!(both.matches(&words).count(), count, "{words}");
            }
        }
    }

    #[test]
    fn large_print_fills_two_sides_at_18_pt_with_the_urgent_box_and_name_first() {
        let fonts = Fonts::new();
        let handout = handout(&a_few(), Some(NOTE_200));
        for paper in [Paper::A4, Paper::Letter] {
            let document = layout_handout(&fonts, &handout, &large(paper)).unwrap();
            assert_large_print(&document);
            assert_eq!(document.omitted, [], "{paper:?}: nothing is left out");
            assert_items(&document, &handout);
            let [first, second] = [0, 1].map(|page| text(&document.pages[page]));
            assert!(first.contains("Prepared for Ana López · 28 weeks · 25 November 2026"));
            let urgent = |page: &Page| {
                page.elements
                    .iter()
                    .filter(|element| matches!(element.role(), Role::Urgent(_)))
                    .count()
            };
            assert!(
                urgent(&document.pages[0]) > 5,
                "{paper:?}: the box is on page 1"
            );
            assert_eq!(urgent(&document.pages[1]), 0, "{paper:?}: all of it");
            assert!(
                document.pages[0]
                    .elements
                    .iter()
                    .any(|element| element.role() == Role::Urgent(UrgentPart::Box))
            );
            let both = format!("{first} {second}");
            assert!(both.contains(&squeezed(NOTE_200)));
            assert!(second.contains("Phone: 01632 960 123"), "{second}");
            assert!(!first.contains("Phone:"), "{first}");
            // A list that goes on over the page is headed again there.
            let runs: Vec<&TextRun> = document.pages[1].runs().collect();
            if runs
                .first()
                .is_some_and(|run| run.role != Role::HeadingAgain)
            {
                panic!("{paper:?}: side 2 starts with no heading: {second}");
            }
            let first_heading = &runs[0].text;
            let section = first_heading.trim_end_matches(" (continued)");
            assert_eq!(
                first.contains(section),
                first_heading.ends_with(" (continued)"),
                "{paper:?}: side 2 starts with {first_heading:?}"
            );
        }
    }

    #[test]
    fn the_default_items_leave_out_info_items_before_any_chosen_one_and_name_them() {
        let fonts = Fonts::new();
        let handout = handout(&Picks::new(), None);
        let mut document = None;
        for paper in [Paper::Letter, Paper::A4] {
            let options = large(paper);
            let laid = layout_handout(&fonts, &handout, &options).unwrap();
            assert_large_print(&laid);
            assert!(!laid.omitted.is_empty());
            assert_items(&laid, &handout);
            // A batch places it later from its fit alone, the same.
            let fit = super::super::fit_handout(&fonts, &handout, &options).unwrap();
            assert_eq!(fit.pages(), 2);
            assert_eq!(fit.omitted(&handout), laid.omitted);
            assert_eq!(layout_fitted(&fonts, &handout, fit), laid);
            // "Page 2 of 2" ends the record's last line, set right, for the
            // line of advice it makes room for.
            let runs: Vec<&TextRun> = laid.pages[1].runs().collect();
            let [.., record, side] = runs[..] else {
                panic!("{paper:?}: no footer")
            };
            assert_eq!(side.baseline, record.baseline, "{paper:?}: {:?}", side.text);
            assert!(side.x > record.x + record.width(), "{paper:?}");
            document = Some(laid);
        }
        let document = document.unwrap();
        let note = crate::LongItem::omitted_note(&document.omitted).unwrap();
        assert!(
            note.starts_with("large print left out ")
                && note.ends_with(
                    " under 'Why it happens' to fit both sides of the sheet; every chosen item \
                     is printed"
                ),
            "{note}"
        );
    }

    #[test]
    fn what_two_sides_cannot_hold_is_refused_naming_the_items_to_drop() {
        let note = "Please rest with your feet up when you can. ".repeat(13);
        let handout = handout(&everything(), Some(note.trim()));
        let error = layout_handout(&Fonts::new(), &handout, &large(Paper::Letter)).unwrap_err();
        let RenderError::DoesNotFit {
            large_print: true,
            ref longest,
            ..
        } = error
        else {
            panic!("{error}")
        };
        assert_eq!(longest.len(), 3);
        assert!(
            error.to_string().starts_with(
                "the handout does not fit on both sides of the sheet in large print, even \
                 with its background items left out"
            ),
            "{error}"
        );
    }
}

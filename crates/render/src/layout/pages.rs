//! Puts the header, the two columns and the footer on a page.

use handout_content::Paper;

use super::blocks::Prepared;
use super::column::Column;
use super::fields::{flow_fields, set_fields};
use super::fit::Style;
use super::flow::set_flow;
use super::inline::{Pen, mirror};
use super::{ACCENT, HAIRLINE, MARGIN_MM, MM, MUTED, URGENT_INK, paper_size};
use crate::page::{Element, Page, Rule};
use crate::role::Role;

/// Footer text size: small print is still clear print.
const FOOTER_PT: f32 = 12.0;

/// Sets the page in one style. Returns the page and by how many points the
/// content overlaps the footer's space (zero or less when it fits). Without
/// `emit`, only measures: the page has rules and boxes but no text.
pub(super) fn set_page(prepared: &Prepared, style: Style, paper: Paper, emit: bool) -> (Page, f32) {
    let (width, height) = paper_size(paper);
    let margin = MARGIN_MM * MM;
    let body = style.body;
    let mut set = Column::new(prepared, style, margin, width - margin, margin, emit);
    let measure = set.right - set.left;

    let title = Pen {
        size: (body * 1.8).round(),
        color: ACCENT,
        role: Role::Title,
    };
    set.paragraph(&prepared.title, set.left, measure, 1.1, title);
    set.y += 0.4 * body;
    let byline = flow_fields(&prepared.byline, body, measure);
    let baseline = set.y + 0.8 * body;
    let leading = body * style.leading();
    let pen = Pen {
        size: body,
        color: MUTED,
        role: Role::Byline,
    };
    set_fields(&mut set, &prepared.byline, &byline, baseline, leading, pen);
    set.y = baseline + (byline.lines - 1) as f32 * leading + 0.25 * body;
    set.y += 0.4 * body;
    set.elements.push(Element::Rule(Rule {
        x: set.left,
        x_end: set.right,
        y: set.y,
        thickness: 1.5,
        color: ACCENT,
        role: Role::Decoration,
    }));
    set.y += 0.6 * body;
    let flow_top = set.y;
    // The columns must end above the footer, so it is set first; but it is
    // read last, so its elements go last.
    let mut bottom = Column::new(prepared, style, set.left, set.right, 0.0, emit);
    let footer_top = footer(&mut bottom, prepared, height - margin);

    let tallest = set_flow(
        &mut set,
        &prepared.blocks(),
        flow_top,
        footer_top - 0.9 * body,
    );
    set.elements.append(&mut bottom.elements);

    let over = tallest + 0.6 * body - footer_top;
    if prepared.writing.rtl {
        mirror(&mut set.elements, width);
    }
    let page = Page {
        width,
        height,
        margin,
        body_size: body,
        elements: set.elements,
    };
    (page, over)
}

/// Sets the footer so that its last line sits on the bottom margin, and
/// returns the top of its rule. From the top: a draft's warning, the
/// midwife and practice fields, the address, and the record of the text's
/// version and review, all at the footer's size.
fn footer(set: &mut Column<'_>, prepared: &Prepared, bottom: f32) -> f32 {
    let size = FOOTER_PT;
    // Its lines are short and few: a little less leading than the body's
    // leaves their space to the page.
    let leading = 1.25 * size;
    let measure = set.right - set.left;
    let flow = flow_fields(&prepared.footer, size, measure);
    let draft = prepared
        .draft
        .as_ref()
        .map(|draft| (draft, draft.break_lines(measure / size)));
    // The address and the record share the last line when they fit on one:
    // a line of the page's body is worth more than their separation.
    let shared = prepared
        .address_and_record
        .as_ref()
        .map(|both| (both, both.break_lines(measure / size)))
        .filter(|(_, lines)| lines.len() == 1);
    let (address, record) = match &shared {
        Some((both, lines)) => (Vec::new(), vec![(*both, lines[0].clone())]),
        // Every line of the address: a long one wraps, never loses its end.
        None => (
            prepared
                .address
                .iter()
                .flat_map(|address| {
                    address
                        .break_lines(measure / size)
                        .into_iter()
                        .map(move |line| (address, line))
                })
                .collect(),
            prepared
                .record
                .break_lines(measure / size)
                .into_iter()
                .map(|line| (&prepared.record, line))
                .collect(),
        ),
    };
    let lines = draft.as_ref().map_or(0, |(_, lines)| lines.len())
        + flow.lines
        + address.len()
        + record.len();
    let last_baseline = bottom - 0.25 * size;
    let first_baseline = last_baseline - (lines - 1) as f32 * leading;
    let rule_y = first_baseline - 0.8 * size - 0.6 * size;
    set.elements.push(Element::Rule(Rule {
        x: set.left,
        x_end: set.right,
        y: rule_y,
        thickness: 0.75,
        color: HAIRLINE,
        role: Role::Decoration,
    }));
    let pen = Pen {
        size,
        color: MUTED,
        role: Role::Footer,
    };
    let mut baseline = first_baseline;
    if let Some((paragraph, lines)) = &draft {
        let warning = Pen {
            color: URGENT_INK,
            ..pen
        };
        for line in lines {
            set.line(paragraph, line, set.left, baseline, warning);
            baseline += leading;
        }
    }
    set_fields(set, &prepared.footer, &flow, baseline, leading, pen);
    baseline += flow.lines as f32 * leading;
    for (paragraph, line) in address.iter().chain(&record) {
        set.line(paragraph, line, set.left, baseline, pen);
        baseline += leading;
    }
    rule_y - 0.5 * size
}

//! Puts the header, the two columns and the footer on a page; large
//! print's two sides ([`sides`](super::sides)) take the same header and
//! footer.

use handout_content::Paper;

use super::blocks::Prepared;
use super::column::Column;
use super::fields::{FieldFlow, flow_fields, set_fields};
use super::fit::Style;
use super::flow::set_flow;
use super::inline::{Line, Paragraph, Pen, mirror};
use super::more_info::{MoreInfo, RULE_GAP_EM, TEXT_GAP_EM, code_path};
use super::{ACCENT, HAIRLINE, MARGIN_MM, MM, MUTED, URGENT_INK, paper_size};
use crate::page::{Element, Page, Rule};
use crate::role::Role;

/// Space between the taller column's last line and the footer's rule, in
/// bodies.
pub(super) const FOOTER_CLEARANCE: f32 = 0.6;

/// Sets the page in one style. Returns the page and by how many points the
/// content overlaps the footer's space (zero or less when it fits). Without
/// `emit`, only measures: the page has rules and boxes but no text.
pub(super) fn set_page(prepared: &Prepared, style: Style, paper: Paper, emit: bool) -> (Page, f32) {
    let (width, height) = paper_size(paper);
    let margin = MARGIN_MM * MM;
    let body = style.body;
    let mut set = Column::new(prepared, style, margin, width - margin, margin, emit);
    let flow_top = header(&mut set);
    // The columns must end above the footer, so it is set first; but it is
    // read last, so its elements go last.
    let mut bottom = Column::new(prepared, style, set.left, set.right, 0.0, emit);
    let footer_top = footer(&mut bottom, height - margin, Foot::Whole(None));

    let tallest = set_flow(
        &mut set,
        &prepared.blocks(),
        flow_top,
        footer_top - FOOTER_CLEARANCE * body,
    );
    set.elements.append(&mut bottom.elements);

    let over = tallest + FOOTER_CLEARANCE * body - footer_top;
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

/// Sets the title, the byline and the rule under them from the column's
/// top, and returns where the flow below them starts.
pub(super) fn header(set: &mut Column<'_>) -> f32 {
    let (prepared, style) = (set.prepared, set.style);
    let body = style.body;
    let measure = set.right - set.left;
    let title = Pen {
        size: style.title_size(),
        color: ACCENT,
        role: Role::Title,
    };
    set.paragraph(
        &prepared.title,
        set.left,
        measure,
        style.at_least(1.1),
        title,
    );
    set.y += 0.4 * body;
    let byline = flow_fields(&prepared.byline, body, measure);
    let baseline = set.y + 0.8 * body;
    let leading = body * style.leading();
    let pen = Pen {
        size: body,
        color: MUTED,
        role: Role::Byline,
    };
    set_fields(set, &prepared.byline, &byline, baseline, leading, pen);
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
    set.y
}

/// The least space between the record's last line and "Page 2 of 2" set
/// at its end, in ems.
const SIDE_GAP_EM: f32 = 2.0;

/// What a page's footer holds.
#[derive(Clone, Copy)]
pub(super) enum Foot<'a> {
    /// Everything: a draft's warning, the midwife and practice, the
    /// address and the text's record; then, on large print's second side,
    /// which side it is.
    Whole(Option<&'a Paragraph>),
    /// Only which side it is and that there is more over the page: large
    /// print's first side, whose room goes to the advice.
    Side(&'a Paragraph),
}

/// Sets the footer so that its last line sits on the bottom margin, and
/// returns the top of its rule. From the top: a draft's warning, the
/// midwife and practice fields, the address, and the record of the text's
/// version and review, all at the footer's size; then, in large print,
/// which side of the sheet it is.
pub(super) fn footer(set: &mut Column<'_>, bottom: f32, foot: Foot<'_>) -> f32 {
    let prepared = set.prepared;
    let size = set.style.footer_size();
    // Its lines are short and few: a little less leading than the body's
    // leaves their space to the page (but large print's least, in large
    // print).
    let leading = set.style.at_least(1.25) * size;
    let (whole, side) = match foot {
        Foot::Whole(side) => (true, side),
        Foot::Side(side) => (false, Some(side)),
    };
    // A page for more information prints where the whole footer does: its
    // code takes a square at the footer's end, and the lines run beside it.
    let more_info = prepared
        .more_info
        .as_ref()
        .filter(|_| whole && set.style.more_info);
    let text_right = match more_info {
        Some(more) => set.right - more.inner_side() - TEXT_GAP_EM * size,
        None => set.right,
    };
    let measure = text_right - set.left;
    let side = side.map(|side| (side, side.break_lines(measure / size)));
    // The address and the record share the last line when they fit on one:
    // a line of the page's body is worth more than their separation.
    let shared = prepared
        .address_and_record
        .as_ref()
        .map(|both| (both, both.break_lines(measure / size)))
        .filter(|(_, lines)| lines.len() == 1);
    let (address, record) = match &shared {
        _ if !whole => (Vec::new(), Vec::new()),
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
    // On large print's second side, "Page 2 of 2" ends the record's last
    // line, set right, when it fits there: a line of large print is worth
    // more than a line of its own.
    let side_ends_record = whole
        && match (&side, address.iter().chain(&record).last()) {
            (Some((_, side)), Some((_, last))) => {
                side.len() == 1 && (last.width + SIDE_GAP_EM + side[0].width) * size <= measure
            }
            _ => false,
        };
    let side_lines = match &side {
        Some((_, lines)) if !side_ends_record => lines.len(),
        _ => 0,
    };
    let last_baseline = bottom - 0.25 * size;
    let code_top = bottom - more_info.map_or(0.0, MoreInfo::inner_side);
    // The parts above the address run across the whole measure where they
    // end above the code, and beside it where they do not.
    let tail = address.len() + record.len() + side_lines;
    let wide = match more_info {
        None => UPPER_PARTS,
        Some(_) => (0..=UPPER_PARTS)
            .rev()
            .find(|&wide| {
                let upper = set_upper(set, whole, size, wide, measure);
                let below = upper.lines_from(wide) + tail;
                wide == 0 || last_baseline - below as f32 * leading + 0.25 * size <= code_top
            })
            .unwrap_or(0),
    };
    let Upper {
        draft,
        fields: flow,
        more: more_lines,
    } = set_upper(set, whole, size, wide, measure);
    let fields = if whole { flow.lines } else { 0 };
    let lines =
        draft.as_ref().map_or(0, |(_, lines)| lines.len()) + fields + more_lines.len() + tail;
    let mut first_baseline = last_baseline - (lines - 1) as f32 * leading;
    if !whole {
        // A line that says to turn over needs no rule above it, and the
        // first side's room goes to the advice.
        if let Some((paragraph, lines)) = &side {
            for (i, line) in lines.iter().enumerate() {
                let pen = Pen {
                    size,
                    color: MUTED,
                    role: Role::Pagination,
                };
                set.line(
                    paragraph,
                    line,
                    set.left,
                    first_baseline + i as f32 * leading,
                    pen,
                );
            }
        }
        return first_baseline - 0.8 * size;
    }
    let mut rule_y = first_baseline - 0.8 * size - 0.6 * size;
    if more_info.is_some() && rule_y > code_top - RULE_GAP_EM * size {
        // The code is taller than the lines beside it: the rule goes above
        // it, and the lines start under the rule, as they always do.
        rule_y = code_top - RULE_GAP_EM * size;
        first_baseline = rule_y + 0.6 * size + 0.8 * size;
    }
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
    if whole {
        set_fields(set, &prepared.footer, &flow, baseline, leading, pen);
        baseline += flow.lines as f32 * leading;
    }
    if let Some(more) = more_info {
        let link = Pen {
            role: Role::Link,
            ..pen
        };
        for line in more_lines.iter() {
            set.line(&more.text, line, set.left, baseline, link);
            baseline += leading;
        }
    }
    let own_line = side
        .iter()
        .filter(|_| !side_ends_record)
        .flat_map(|(paragraph, lines)| lines.iter().map(move |line| (*paragraph, line)));
    let record = address
        .iter()
        .chain(&record)
        .map(|(paragraph, line)| (*paragraph, line));
    for (paragraph, line) in record {
        set.line(paragraph, line, set.left, baseline, pen);
        baseline += leading;
    }
    let pagination = Pen {
        role: Role::Pagination,
        ..pen
    };
    for (paragraph, line) in own_line {
        set.line(paragraph, line, set.left, baseline, pagination);
        baseline += leading;
    }
    if side_ends_record && let Some((paragraph, lines)) = &side {
        let line = &lines[0];
        let x = text_right - line.width * size;
        set.line(paragraph, line, x, baseline - leading, pagination);
    }
    // The code last, after the words of the footer it stands beside: it is
    // read as a figure of its own.
    if let Some(more) = more_info
        && set.emit
    {
        let rtl = prepared.writing.rtl;
        let code = code_path(&more.code, set.right, bottom, rtl);
        set.elements.push(code);
    }
    rule_y - 0.5 * size
}

/// The footer's parts above the address, each set across the whole
/// measure or beside the code: a draft's warning, the fields, and the
/// address for more information.
const UPPER_PARTS: usize = 3;

/// The footer's parts above the address, broken into lines.
struct Upper<'a> {
    draft: Option<(&'a Paragraph, Vec<Line>)>,
    fields: FieldFlow,
    more: Vec<Line>,
}

impl Upper<'_> {
    /// How many lines the parts from the `first` on take.
    fn lines_from(&self, first: usize) -> usize {
        let counts = [
            self.draft.as_ref().map_or(0, |(_, lines)| lines.len()),
            self.fields.lines,
            self.more.len(),
        ];
        counts[first.min(UPPER_PARTS)..].iter().sum()
    }
}

/// Breaks the footer's parts above the address: the first `wide` of them
/// across the whole column, the others in `narrow`, beside the code.
fn set_upper<'a>(set: &Column<'a>, whole: bool, size: f32, wide: usize, narrow: f32) -> Upper<'a> {
    let prepared = set.prepared;
    let measure = |part: usize| {
        if part < wide {
            set.right - set.left
        } else {
            narrow
        }
    };
    Upper {
        draft: prepared
            .draft
            .as_ref()
            .filter(|_| whole)
            .map(|draft| (draft, draft.break_lines(measure(0) / size))),
        fields: flow_fields(&prepared.footer, size, measure(1)),
        more: prepared
            .more_info
            .as_ref()
            .filter(|_| whole && set.style.more_info)
            .map_or_else(Vec::new, |more| more.text.break_lines(measure(2) / size)),
    }
}

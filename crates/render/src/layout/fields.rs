//! Flows the parts of the byline and the footer along lines.
//!
//! Each field is a label, a value or a write-in line, or both; as many go
//! on a line as fit, a field moving down whole when it does not, and broken
//! only when it is wider than a line.

use handout_content::{Field, FieldKind};

use super::column::Column;
use super::inline::{Line, Paragraph, Pen, Span};
use super::{MM, MUTED};
use crate::RenderError;
use crate::fonts::Fonts;
use crate::page::{Element, Rule};
use crate::role::Role;
use crate::shape::Writing;

/// Space between two fields of the byline or footer, in ems; a dot sits
/// in the middle of it between two values.
const FIELD_GAP_EM: f32 = 1.2;
/// How far below the baseline a write-in line is ruled, in points: where
/// handwriting sits, clear of the label's text.
const WRITE_IN_DROP: f32 = 1.5;

/// One field of the byline or footer: its text, and the room a write-in
/// line after it takes, if it has one.
pub(super) struct PreparedField {
    pub text: Paragraph,
    pub write_in: Option<f32>,
    /// Which text it is, in the words of an error about it.
    pub place: &'static str,
}

impl PreparedField {
    pub fn new(fonts: &Fonts, field: &Field, writing: Writing) -> PreparedField {
        let label = field.label.as_ref().map(|label| format!("{label}: "));
        let mut spans = Vec::with_capacity(2);
        if let Some(label) = &label {
            spans.push(Span {
                text: label,
                bold: true,
                fixed: true,
            });
        }
        if let Some(value) = &field.value {
            spans.push(Span {
                text: value,
                // The practice's name stands unlabelled, so bold sets it apart.
                bold: field.kind == FieldKind::Practice,
                fixed: false,
            });
        }
        let mut text = Paragraph::written(fonts, &spans, writing);
        // A name, the patient's or the midwife's, is kept on one line
        // where it fits.
        if let Some(name) = &field.name {
            let start = label.as_ref().map_or(0, String::len);
            text.mark_name(start + name.start..start + name.end);
        }
        PreparedField {
            text,
            write_in: field.value.is_none().then(|| write_in_room(field.kind)),
            place: match field.kind {
                FieldKind::Patient => RenderError::NAME,
                FieldKind::Midwife => RenderError::MIDWIFE,
                FieldKind::Practice | FieldKind::Phone => "the practice details",
                // Their words are the topic's labels and the program's
                // numbers.
                FieldKind::Weeks | FieldKind::Date => "the topic text",
            },
        }
    }
}

/// The room a write-in line takes after its label, the small space before
/// the rule included: enough to write the field by hand.
fn write_in_room(kind: FieldKind) -> f32 {
    let mm = match kind {
        FieldKind::Patient => 60.0,
        FieldKind::Weeks => 18.0,
        FieldKind::Date => 32.0,
        FieldKind::Midwife | FieldKind::Practice | FieldKind::Phone => 55.0,
    };
    mm * MM
}

/// Fields flowed into lines.
pub(super) struct FieldFlow {
    placed: Vec<PlacedField>,
    /// How many lines the fields take, at least one.
    pub lines: usize,
}

/// Where one field goes.
struct PlacedField {
    /// Which field.
    index: usize,
    /// Its left edge, from the start of the line.
    x: f32,
    /// The line it starts on, from 0.
    line: usize,
    /// Its text's lines; the write-in line follows the last.
    text: Vec<Line>,
}

/// Flows fields set at `size` into lines `measure` wide.
pub(super) fn flow_fields(fields: &[PreparedField], size: f32, measure: f32) -> FieldFlow {
    let gap = FIELD_GAP_EM * size;
    let mut placed = Vec::with_capacity(fields.len());
    let (mut line, mut x) = (0, 0.0);
    for (index, field) in fields.iter().enumerate() {
        let room = field.write_in.unwrap_or(0.0);
        let mut text = field.text.break_lines(f32::INFINITY);
        let width = text.first().map_or(0.0, |line| line.width * size) + room;
        let mut start = if placed.is_empty() { 0.0 } else { x + gap };
        if start > 0.0 && start + width > measure {
            line += 1;
            start = 0.0;
        }
        if width > measure {
            text = field.text.break_lines((measure - room).max(0.0) / size);
        }
        // The next field follows the end of this one's last line.
        let last_start = if text.len() > 1 { 0.0 } else { start };
        let last_width = text.last().map_or(0.0, |line| line.width * size);
        let first_line = line;
        line += text.len().max(1) - 1;
        x = last_start + last_width + room;
        placed.push(PlacedField {
            index,
            x: start,
            line: first_line,
            text,
        });
    }
    FieldFlow {
        placed,
        lines: line + 1,
    }
}

/// Sets flowed fields from the column's left edge, the first line on
/// `first_baseline`: labels, values, write-in lines, and a dot between two
/// values. The text takes the pen's size, colour and role; the write-in
/// lines are decoration.
pub(super) fn set_fields(
    set: &mut Column<'_>,
    fields: &[PreparedField],
    flow: &FieldFlow,
    first_baseline: f32,
    leading: f32,
    pen: Pen,
) {
    let size = pen.size;
    let gap = FIELD_GAP_EM * size;
    let prepared = set.prepared;
    let separator = prepared.separator.break_lines(f32::INFINITY);
    let separator_width = separator.first().map_or(0.0, |line| line.width * size);
    for (k, placed) in flow.placed.iter().enumerate() {
        let field = &fields[placed.index];
        let x = set.left + placed.x;
        let mut baseline = first_baseline + placed.line as f32 * leading;
        if placed.x > 0.0
            && field.write_in.is_none()
            && fields[flow.placed[k - 1].index].write_in.is_none()
            && let Some(line) = separator.first()
        {
            let dot_x = x - gap / 2.0 - separator_width / 2.0;
            let dot = Pen {
                color: MUTED,
                ..pen
            };
            set.line(&prepared.separator, line, dot_x, baseline, dot);
        }
        let mut end = x;
        for (j, line) in placed.text.iter().enumerate() {
            baseline = first_baseline + (placed.line + j) as f32 * leading;
            let left = if j == 0 { x } else { set.left };
            set.line(&field.text, line, left, baseline, pen);
            end = left + line.width * size;
        }
        if let Some(room) = field.write_in {
            set.elements.push(Element::Rule(Rule {
                x: end + 0.2 * size,
                x_end: end + room,
                y: baseline + WRITE_IN_DROP,
                thickness: 0.75,
                color: MUTED,
                role: Role::Decoration,
            }));
        }
    }
}

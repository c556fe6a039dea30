//! Stacks paragraphs, headings and list items down a column.

use super::INK;
use super::blocks::Prepared;
use super::fit::Style;
use super::inline::{Line, Paragraph, Pen, push_line};
use crate::page::{Color, Element};
use crate::role::{ListPart, Role};

/// Builds elements top to bottom in a column.
pub(super) struct Column<'a> {
    pub elements: Vec<Element>,
    pub style: Style,
    pub left: f32,
    pub right: f32,
    pub y: f32,
    pub prepared: &'a Prepared,
    /// Whether to make text runs, or only measure. Fitting tries many
    /// styles; only the one that fits needs its glyphs placed.
    pub emit: bool,
}

impl<'a> Column<'a> {
    pub fn new(
        prepared: &'a Prepared,
        style: Style,
        left: f32,
        right: f32,
        y: f32,
        emit: bool,
    ) -> Column<'a> {
        Column {
            elements: Vec::new(),
            style,
            left,
            right,
            y,
            prepared,
            emit,
        }
    }

    /// Places one broken line of a paragraph.
    pub fn line(&mut self, paragraph: &Paragraph, line: &Line, x: f32, baseline: f32, pen: Pen) {
        if self.emit {
            push_line(&mut self.elements, paragraph, line, x, baseline, pen);
        }
    }

    pub fn size(&self) -> f32 {
        self.style.body
    }

    /// Sets a paragraph at `x` in a column of `width`, its first line's
    /// top at the current position, and moves below it.
    pub fn paragraph(&mut self, paragraph: &Paragraph, x: f32, width: f32, leading: f32, pen: Pen) {
        let size = pen.size;
        let lines = if self.style.loose {
            paragraph.break_lines_loosely(width / size)
        } else {
            paragraph.break_lines(width / size)
        };
        let baseline = self.y + 0.8 * size;
        for (i, line) in lines.iter().enumerate() {
            self.line(
                paragraph,
                line,
                x,
                baseline + i as f32 * size * leading,
                pen,
            );
        }
        self.y = baseline + (lines.len().max(1) - 1) as f32 * size * leading + 0.25 * size;
    }

    /// A section heading across the column.
    pub fn heading(&mut self, paragraph: &Paragraph, color: Color, role: Role) {
        let pen = Pen {
            size: heading_size(self.size()),
            color,
            role,
        };
        let leading = self.style.at_least(1.15);
        self.paragraph(paragraph, self.left, self.right - self.left, leading, pen);
    }

    /// One bulleted item with a hanging indent, its parts given the roles
    /// `role` makes of them: the bullet first, as it is read.
    pub fn item(&mut self, item: &Paragraph, bullet: Color, role: impl Fn(ListPart) -> Role) {
        let size = self.size();
        let indent = 1.0 * size;
        let baseline = self.y + 0.8 * size;
        let dot = &self.prepared.bullet;
        if let Some(line) = dot.break_lines(f32::INFINITY).first() {
            let pen = Pen {
                size,
                color: bullet,
                role: role(ListPart::Label),
            };
            self.line(dot, line, self.left + 0.1 * size, baseline, pen);
        }
        let (left, width) = (self.left + indent, self.right - self.left - indent);
        let pen = Pen {
            size,
            color: INK,
            role: role(ListPart::Body),
        };
        self.paragraph(item, left, width, self.style.leading(), pen);
    }
}

/// How much larger than the body a section heading is. Clear-print
/// guidance asks for a hierarchy that holds without colour, for readers
/// who cannot tell the colours apart and for pages from a black-and-white
/// printer: 1.4 is a step no reader takes for emphasis, as 1.2 (and bold)
/// can be, and it keeps the heading on one line in a column at every size.
/// Rounded to half a point, the ratio is never below 1.38.
const HEADING_RATIO: f32 = 1.4;

/// The size of a section heading for a body size.
pub(super) fn heading_size(body: f32) -> f32 {
    (body * HEADING_RATIO * 2.0).round() / 2.0
}

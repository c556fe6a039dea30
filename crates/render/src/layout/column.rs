//! Stacks paragraphs, headings and list items down a column.

use super::INK;
use super::blocks::Prepared;
use super::fit::Style;
use super::inline::{Line, Paragraph, Pen, push_line};
use crate::page::{Color, Element, Path, PathOp};
use crate::role::{ListPart, Role};
use handout_content::picture::{PathOp as PictureOp, Picture};

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
    /// `role` makes of them: the bullet first, as it is read. An item with
    /// a pictogram has it in the bullet's place, in the text's colour.
    pub fn item(
        &mut self,
        item: &Paragraph,
        picture: Option<&Picture>,
        bullet: Color,
        role: impl Fn(ListPart) -> Role,
    ) {
        let size = self.size();
        let indent = 1.0 * size;
        let baseline = self.y + 0.8 * size;
        let dot = &self.prepared.bullet;
        if let Some(picture) = picture {
            if self.emit {
                let box_size = PICTURE_SIZE * size;
                // Centred on the middle of the first line's lower-case
                // letters, hung out past the column's edge as far as it
                // takes to keep a quarter of a body before the text: the
                // measure stays as it is, so a picture costs no line and
                // moves no break.
                let top = baseline - 0.25 * size - box_size / 2.0;
                let left = self.left + indent - PICTURE_GAP * size - box_size;
                self.elements
                    .extend(
                        picture_paths(picture, left, top, box_size, INK).map(|mut path| {
                            path.role = role(ListPart::Label);
                            Element::Path(path)
                        }),
                    );
            }
        } else if let Some(line) = dot.break_lines(f32::INFINITY).first() {
            let x = self.left + 0.1 * size;
            let pen = Pen {
                size,
                color: bullet,
                role: role(ListPart::Label),
            };
            self.line(dot, line, x, baseline, pen);
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

/// The side of a pictogram's box, in bodies: about a line's capital and
/// descender, so that it sits in the line without pushing it apart.
const PICTURE_SIZE: f32 = 1.15;
/// The space between a pictogram and its item's text, in bodies.
const PICTURE_GAP: f32 = 0.25;

/// A pictogram's shapes as paths, scaled to fit a `size`-point square at
/// `left`, `top`, keeping its proportions and centred in the square. Its
/// strokes scale with it: Tabler's 2-unit strokes on a 24-unit box are a
/// point wide at 12 pt, no hairline.
fn picture_paths(
    picture: &Picture,
    left: f32,
    top: f32,
    size: f32,
    color: Color,
) -> impl Iterator<Item = Path> + '_ {
    let [x, y, width, height] = picture.view_box;
    let scale = size / width.max(height);
    let (dx, dy) = (
        left + (size - width * scale) / 2.0,
        top + (size - height * scale) / 2.0,
    );
    let at = move |[px, py]: [f32; 2]| [dx + (px - x) * scale, dy + (py - y) * scale];
    picture.shapes.iter().map(move |shape| Path {
        ops: shape
            .ops
            .iter()
            .map(|op| match *op {
                PictureOp::Move(point) => {
                    let [x, y] = at(point);
                    PathOp::Move(x, y)
                }
                PictureOp::Line(point) => {
                    let [x, y] = at(point);
                    PathOp::Line(x, y)
                }
                PictureOp::Cubic(one, two, end) => PathOp::Cubic(at(one), at(two), at(end)),
                PictureOp::Close => PathOp::Close,
            })
            .collect(),
        fill: shape.fill.then_some(color),
        stroke: shape.stroke.map(|width| (color, width * scale)),
        role: Role::Decoration,
    })
}

/// The size of a section heading for a body size.
pub(super) fn heading_size(body: f32) -> f32 {
    (body * HEADING_RATIO * 2.0).round() / 2.0
}

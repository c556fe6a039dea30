//! A laid-out page: positioned glyph runs, boxes and rules, each with its
//! role, in points with the origin at the top left. The PDF writer turns it
//! into bytes; tests read it directly.

use smol_str::SmolStr;

use crate::fonts::Face;
use crate::role::Role;

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Color(pub u8, pub u8, pub u8);

/// One glyph of a run, with lengths in ems.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedGlyph {
    /// Glyph id in the run's face.
    pub id: u16,
    /// Pen advance after the glyph, kerning included.
    pub advance: f32,
    /// Horizontal shift from the pen.
    pub x_offset: f32,
    /// Vertical shift, up positive.
    pub y_offset: f32,
    /// The text this glyph stands for ("" for the second and later glyphs
    /// of a cluster), for the PDF's ToUnicode map and, where that map
    /// cannot give it, its ActualText.
    /// Kept inline when short, as nearly all are, so that a page's glyphs
    /// cost no allocation each.
    pub text: SmolStr,
}

/// Glyphs of one face and size on one baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    /// Left edge of the first glyph.
    pub x: f32,
    /// The baseline.
    pub baseline: f32,
    /// Font size in points.
    pub size: f32,
    /// The face.
    pub face: Face,
    /// Fill colour.
    pub color: Color,
    /// What the text is.
    pub role: Role,
    /// The glyphs.
    pub glyphs: Vec<PlacedGlyph>,
    /// The run's text.
    pub text: String,
    /// Whether the run is right to left: its glyphs are in visual order,
    /// and a reader turns its text around.
    pub right_to_left: bool,
}

impl TextRun {
    /// Width of the run in points.
    pub fn width(&self) -> f32 {
        self.glyphs.iter().map(|glyph| glyph.advance).sum::<f32>() * self.size
    }

    /// The run's box: left, top, right, bottom. Top and bottom are the
    /// font size's ascent and descent (0.8 and 0.25 em, which holds for both
    /// Atkinson and Noto accents and descenders).
    #[cfg(test)]
    pub(crate) fn bounds(&self) -> [f32; 4] {
        [
            self.x,
            self.baseline - 0.8 * self.size,
            self.x + self.width(),
            self.baseline + 0.25 * self.size,
        ]
    }
}

/// A filled and/or outlined rectangle.
#[derive(Debug, Clone, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub width: f32,
    /// Height.
    pub height: f32,
    /// Fill colour, if filled.
    pub fill: Option<Color>,
    /// Outline colour and thickness, if outlined.
    pub stroke: Option<(Color, f32)>,
    /// What the box is.
    pub role: Role,
}

/// A horizontal line.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Left end.
    pub x: f32,
    /// Right end.
    pub x_end: f32,
    /// Vertical position of the line's centre.
    pub y: f32,
    /// Thickness.
    pub thickness: f32,
    /// Colour.
    pub color: Color,
    /// What the line is.
    pub role: Role,
}

/// One step of a path's outline, in points on the page, y down.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PathOp {
    /// Starts a new outline at a point.
    Move(f32, f32),
    /// A straight line to a point.
    Line(f32, f32),
    /// A cubic Bézier curve through two control points to a point.
    Cubic([f32; 2], [f32; 2], [f32; 2]),
    /// Closes the outline back to its start.
    Close,
}

/// A filled and/or outlined shape made of lines and curves: a symbol that
/// must print the same in any viewer and on any printer, so it is drawn,
/// not set from a font.
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    /// The outline, one or more closed shapes.
    pub ops: Vec<PathOp>,
    /// Fill colour, if filled (non-zero winding).
    pub fill: Option<Color>,
    /// Outline colour and thickness, if outlined, with round joins and caps.
    pub stroke: Option<(Color, f32)>,
    /// What the shape is.
    pub role: Role,
}

impl Path {
    /// The shape's box: left, top, right, bottom, control points included
    /// (they bound the curves).
    pub fn bounds(&self) -> [f32; 4] {
        let mut bounds = [
            f32::INFINITY,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::NEG_INFINITY,
        ];
        for [x, y] in self.ops.iter().flat_map(|op| op.points()) {
            bounds = [
                bounds[0].min(x),
                bounds[1].min(y),
                bounds[2].max(x),
                bounds[3].max(y),
            ];
        }
        bounds
    }

    /// The shape moved right by `dx` and down by `dy`.
    pub(crate) fn moved(mut self, dx: f32, dy: f32) -> Path {
        let shift = |[x, y]: [f32; 2]| [x + dx, y + dy];
        for op in &mut self.ops {
            *op = match *op {
                PathOp::Move(x, y) => PathOp::Move(x + dx, y + dy),
                PathOp::Line(x, y) => PathOp::Line(x + dx, y + dy),
                PathOp::Cubic(a, b, c) => PathOp::Cubic(shift(a), shift(b), shift(c)),
                PathOp::Close => PathOp::Close,
            };
        }
        self
    }

    /// The shape mirrored left to right about the vertical line `x = axis / 2`:
    /// each point's x becomes `axis - x`.
    pub(crate) fn mirrored(&mut self, axis: f32) {
        let flip = |[x, y]: [f32; 2]| [axis - x, y];
        for op in &mut self.ops {
            *op = match *op {
                PathOp::Move(x, y) => PathOp::Move(axis - x, y),
                PathOp::Line(x, y) => PathOp::Line(axis - x, y),
                PathOp::Cubic(a, b, c) => PathOp::Cubic(flip(a), flip(b), flip(c)),
                PathOp::Close => PathOp::Close,
            };
        }
    }
}

impl PathOp {
    /// The points the step names, control points included.
    pub fn points(&self) -> Vec<[f32; 2]> {
        match *self {
            PathOp::Move(x, y) | PathOp::Line(x, y) => vec![[x, y]],
            PathOp::Cubic(a, b, c) => vec![a, b, c],
            PathOp::Close => Vec::new(),
        }
    }
}

/// Something drawn on the page.
#[derive(Debug, Clone, PartialEq)]
pub enum Element {
    /// Text.
    Text(TextRun),
    /// A box.
    Rect(Rect),
    /// A line.
    Rule(Rule),
    /// A drawn shape, such as the urgent box's warning sign.
    Path(Path),
}

impl Element {
    /// What the item is.
    pub fn role(&self) -> Role {
        match self {
            Element::Text(run) => run.role,
            Element::Rect(rect) => rect.role,
            Element::Rule(rule) => rule.role,
            Element::Path(path) => path.role,
        }
    }
}

/// One laid-out page.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Width in points.
    pub width: f32,
    /// Height in points.
    pub height: f32,
    /// The margin kept clear on every side, in points.
    pub margin: f32,
    /// The body text size the page was set in.
    pub body_size: f32,
    /// What is drawn, in reading order: the title first, the footer last, a
    /// list item's label before its body. It is also the order to draw in,
    /// for a box comes before what it holds.
    pub elements: Vec<Element>,
}

impl Page {
    /// The text runs, in reading order.
    pub fn runs(&self) -> impl Iterator<Item = &TextRun> {
        self.elements.iter().filter_map(|item| match item {
            Element::Text(run) => Some(run),
            _ => None,
        })
    }

    /// The page as text lines, top to bottom, each run joined to the runs
    /// on its baseline, with a space where a gap parts two runs (as between
    /// the fields of the byline), as a reader would see it.
    #[cfg(test)]
    pub(crate) fn text_lines(&self) -> Vec<String> {
        let mut runs: Vec<&TextRun> = self.runs().collect();
        runs.sort_by(|a, b| a.baseline.total_cmp(&b.baseline).then(a.x.total_cmp(&b.x)));
        // Each line's baseline, where its last run ends, and its text.
        let mut lines: Vec<(f32, f32, String)> = Vec::new();
        for run in runs {
            match lines.last_mut() {
                Some((baseline, end, line)) if (*baseline - run.baseline).abs() < 0.5 => {
                    if run.x > *end + 0.15 * run.size && !line.ends_with(char::is_whitespace) {
                        line.push(' ');
                    }
                    line.push_str(&run.text);
                    *end = run.x + run.width();
                }
                _ => lines.push((run.baseline, run.x + run.width(), run.text.clone())),
            }
        }
        lines.into_iter().map(|(_, _, line)| line).collect()
    }

    /// A plain-text description of every item of the page, numbered
    /// `number` (from 1), one line each in reading order: what it is, its
    /// position in points from the top left, and for text its face, size,
    /// role and text. See [`Document::dump`](crate::Document::dump).
    pub fn dump(&self, number: usize) -> String {
        use std::fmt::Write;

        let mut out = format!(
            "page {number}: {} x {} pt, margin {}, body {} pt\n",
            pt(self.width),
            pt(self.height),
            pt(self.margin),
            pt(self.body_size)
        );
        for item in &self.elements {
            let _ = match item {
                Element::Text(run) => writeln!(
                    out,
                    "{number} text {:>7} {:>7} {:?} {} {} {:?}",
                    pt(run.x),
                    pt(run.baseline),
                    run.face,
                    pt(run.size),
                    run.role,
                    run.text
                ),
                Element::Rect(rect) => writeln!(
                    out,
                    "{number} rect {:>7} {:>7} {} x {}{} {}",
                    pt(rect.x),
                    pt(rect.y),
                    pt(rect.width),
                    pt(rect.height),
                    match rect.stroke {
                        Some((_, width)) => format!(" edge {}", pt(width)),
                        None => String::new(),
                    },
                    rect.role
                ),
                Element::Rule(rule) => writeln!(
                    out,
                    "{number} rule {:>7} {:>7} to {} thick {} {}",
                    pt(rule.x),
                    pt(rule.y),
                    pt(rule.x_end),
                    pt(rule.thickness),
                    rule.role
                ),
                Element::Path(path) => {
                    let [left, top, right, bottom] = path.bounds();
                    writeln!(
                        out,
                        "{number} path {:>7} {:>7} to {} {} {}",
                        pt(left),
                        pt(top),
                        pt(right),
                        pt(bottom),
                        path.role
                    )
                }
            };
        }
        out
    }
}

/// A length for a dump, to a hundredth of a point: fine enough to see any
/// change a reader could, coarse enough to be the same on every machine.
fn pt(value: f32) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    // Never "-0.00".
    format!("{:.2}", rounded + 0.0)
}

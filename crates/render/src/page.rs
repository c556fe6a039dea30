//! A laid-out page: positioned glyph runs, boxes and rules, each with its
//! role, in points with the origin at the top left. The PDF writer turns it
//! into bytes; tests read it directly.

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
    /// of a cluster), for the PDF's ToUnicode map.
    pub text: String,
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
    /// Whether the run's text must be given whole (as PDF ActualText)
    /// because some cluster is drawn with several glyphs.
    pub needs_actual_text: bool,
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

/// Something drawn on the page.
#[derive(Debug, Clone, PartialEq)]
pub enum Element {
    /// Text.
    Text(TextRun),
    /// A box.
    Rect(Rect),
    /// A line.
    Rule(Rule),
}

impl Element {
    /// What the item is.
    pub fn role(&self) -> Role {
        match self {
            Element::Text(run) => run.role,
            Element::Rect(rect) => rect.role,
            Element::Rule(rule) => rule.role,
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

    /// A plain-text description of every item, its position and its role,
    /// in reading order, for golden tests and for reading a layout without a
    /// PDF viewer.
    #[cfg(test)]
    pub(crate) fn dump(&self) -> String {
        use std::fmt::Write;

        let mut out = format!(
            "page {:.1} x {:.1} pt, margin {:.1}, body {:.1} pt\n",
            self.width, self.height, self.margin, self.body_size
        );
        for item in &self.elements {
            let _ = match item {
                Element::Text(run) => writeln!(
                    out,
                    "text {:6.1} {:6.1} {:4.1} {:?} [{}]: {}",
                    run.x, run.baseline, run.size, run.face, run.role, run.text
                ),
                Element::Rect(rect) => writeln!(
                    out,
                    "rect {:6.1} {:6.1} {:6.1} x {:6.1} [{}]",
                    rect.x, rect.y, rect.width, rect.height, rect.role
                ),
                Element::Rule(rule) => writeln!(
                    out,
                    "rule {:6.1} {:6.1} to {:6.1} [{}]",
                    rule.x, rule.y, rule.x_end, rule.role
                ),
            };
        }
        out
    }
}

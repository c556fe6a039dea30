//! A face's glyph outlines as SVG path data, each drawn once, on first use.

use std::sync::OnceLock;

use skrifa::instance::{LocationRef, Size};
use skrifa::outline::{DrawSettings, OutlineGlyphCollection, OutlinePen};
use skrifa::{FontRef, GlyphId, MetadataProvider};

use super::FONT_DECIMALS;
use super::syntax::push_number;
use crate::fonts::Face;

/// One face's outlines and the path data made of them so far.
pub(super) struct FaceOutlines {
    outlines: OutlineGlyphCollection<'static>,
    pub(super) units_per_em: f32,
    /// Path data by glyph id, each made on first use ("" for a glyph that
    /// draws nothing, such as a space).
    paths: Box<[OnceLock<Box<str>>]>,
}

impl FaceOutlines {
    pub(super) fn new(face: Face) -> FaceOutlines {
        let font = FontRef::new(face.bytes())
            .unwrap_or_else(|error| panic!("embedded font {face:?} does not parse: {error}"));
        let metrics = font.metrics(Size::unscaled(), LocationRef::default());
        FaceOutlines {
            outlines: font.outline_glyphs(),
            units_per_em: f32::from(metrics.units_per_em.max(1)),
            paths: (0..metrics.glyph_count).map(|_| OnceLock::new()).collect(),
        }
    }

    /// The glyph's outline as SVG path data in font units, y up; "" for a
    /// glyph that draws nothing or that the face does not have.
    pub(super) fn path(&self, glyph: u16) -> &str {
        let Some(slot) = self.paths.get(usize::from(glyph)) else {
            return "";
        };
        slot.get_or_init(|| self.draw(glyph))
    }

    fn draw(&self, glyph: u16) -> Box<str> {
        let Some(outline) = self.outlines.get(GlyphId::from(glyph)) else {
            return Box::default();
        };
        let mut pen = PathData::default();
        let settings = DrawSettings::unhinted(Size::unscaled(), LocationRef::default());
        match outline.draw(settings, &mut pen) {
            Ok(_) => pen.0.into_boxed_str(),
            // A glyph the embedded fonts cannot draw is left out, as a
            // blank, rather than drawn half.
            Err(_) => Box::default(),
        }
    }
}

/// Collects a glyph's outline as SVG path data.
#[derive(Default)]
struct PathData(String);

impl PathData {
    fn command(&mut self, letter: char, points: &[f32]) {
        self.0.push(letter);
        for (i, &value) in points.iter().enumerate() {
            if i > 0 {
                self.0.push(' ');
            }
            push_number(&mut self.0, value, FONT_DECIMALS);
        }
    }
}

impl OutlinePen for PathData {
    fn move_to(&mut self, x: f32, y: f32) {
        self.command('M', &[x, y]);
    }

    fn line_to(&mut self, x: f32, y: f32) {
        self.command('L', &[x, y]);
    }

    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        self.command('Q', &[cx0, cy0, x, y]);
    }

    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        self.command('C', &[cx0, cy0, cx1, cy1, x, y]);
    }

    fn close(&mut self) {
        self.0.push('Z');
    }
}

//! The typefaces embedded in the binary, parsed once and shared by every
//! handout a process renders.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use crate::shape::Glyph;

/// Atkinson Hyperlegible Next Regular, the main face (SIL OFL 1.1).
pub const ATKINSON_REGULAR: &[u8] =
    include_bytes!("../../../fonts/AtkinsonHyperlegibleNext-Regular.ttf");
/// Atkinson Hyperlegible Next Bold (SIL OFL 1.1).
pub const ATKINSON_BOLD: &[u8] = include_bytes!("../../../fonts/AtkinsonHyperlegibleNext-Bold.ttf");
/// Noto Sans Regular, for letters Atkinson lacks: Greek, Cyrillic, ... (SIL OFL 1.1).
pub const NOTO_SANS_REGULAR: &[u8] = include_bytes!("../../../fonts/NotoSans-Regular.ttf");
/// Noto Sans Bold (SIL OFL 1.1).
pub const NOTO_SANS_BOLD: &[u8] = include_bytes!("../../../fonts/NotoSans-Bold.ttf");

/// One of the four embedded faces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Face {
    /// Atkinson Hyperlegible Next Regular.
    Regular,
    /// Atkinson Hyperlegible Next Bold.
    Bold,
    /// Noto Sans Regular.
    FallbackRegular,
    /// Noto Sans Bold.
    FallbackBold,
}

impl Face {
    /// Every face, in a fixed order.
    pub const ALL: [Face; 4] = [
        Face::Regular,
        Face::Bold,
        Face::FallbackRegular,
        Face::FallbackBold,
    ];

    /// The main face of a weight.
    pub(crate) fn main(bold: bool) -> Face {
        if bold { Face::Bold } else { Face::Regular }
    }

    /// The face's font file.
    pub(crate) fn bytes(self) -> &'static [u8] {
        match self {
            Face::Regular => ATKINSON_REGULAR,
            Face::Bold => ATKINSON_BOLD,
            Face::FallbackRegular => NOTO_SANS_REGULAR,
            Face::FallbackBold => NOTO_SANS_BOLD,
        }
    }

    /// The face to try for characters this one lacks, if any.
    pub(crate) fn fallback(self) -> Option<Face> {
        match self {
            Face::Regular => Some(Face::FallbackRegular),
            Face::Bold => Some(Face::FallbackBold),
            Face::FallbackRegular | Face::FallbackBold => None,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// A shaping plan is made for one face and one script.
type PlanKey = (Face, Option<harfrust::Script>);
/// Glyphs of a text, shared between the handouts that print it.
type Shaped = Arc<[Glyph]>;

/// The parsed faces, ready for shaping. Parse once per process and share:
/// `Fonts` is `Sync`. It keeps what shaping can reuse, keyed so that it
/// never changes a result: each face's shaping plans, and the glyphs of
/// text that is the same on every handout.
pub struct Fonts {
    faces: [harfrust::Font; 4],
    /// Shaping plans by face and script: building one costs more than
    /// shaping a paragraph with it.
    plans: Mutex<HashMap<PlanKey, Arc<harfrust::ShapePlan>>>,
    /// Shaped fixed text (the topic's own words), by face and text.
    /// By face, then text: looked up by `&str`, with no key to allocate.
    shaped: Mutex<[HashMap<String, Shaped>; 4]>,
    /// Each face's reach below and above the baseline, in ems.
    reach: [(f32, f32); 4],
}

impl Fonts {
    /// Parses the embedded faces.
    pub fn new() -> Fonts {
        let parse = |face: Face| {
            harfrust::Font::new(face.bytes(), 0)
                .unwrap_or_else(|| panic!("embedded font {face:?} does not parse"))
        };
        let mut fonts = Fonts {
            faces: Face::ALL.map(parse),
            plans: Mutex::default(),
            shaped: Mutex::default(),
            reach: [(0.0, 0.0); 4],
        };
        fonts.reach = Face::ALL.map(|face| reach_of(&fonts, face));
        fonts
    }

    /// The shaping plan for a face and script, built on first use.
    pub(crate) fn plan(
        &self,
        face: Face,
        script: Option<harfrust::Script>,
    ) -> Arc<harfrust::ShapePlan> {
        let mut plans = self.plans.lock().unwrap_or_else(PoisonError::into_inner);
        plans
            .entry((face, script))
            .or_insert_with(|| {
                Arc::new(harfrust::ShapePlan::new(
                    self.font(face),
                    harfrust::Direction::LeftToRight,
                    script,
                    None,
                    &[],
                ))
            })
            .clone()
    }

    /// Fixed text shaped before in this face, with clusters from 0.
    pub(crate) fn shaped(&self, face: Face, text: &str) -> Option<Arc<[Glyph]>> {
        let shaped = self.shaped.lock().unwrap_or_else(PoisonError::into_inner);
        shaped[face.index()].get(text).cloned()
    }

    /// Remembers the glyphs of fixed text.
    pub(crate) fn remember(&self, face: Face, text: &str, glyphs: Arc<[Glyph]>) {
        let mut shaped = self.shaped.lock().unwrap_or_else(PoisonError::into_inner);
        shaped[face.index()].insert(text.to_string(), glyphs);
    }

    /// The parsed face.
    pub(crate) fn font(&self, face: Face) -> &harfrust::Font {
        &self.faces[face.index()]
    }

    /// Font units per em of a face.
    pub(crate) fn units_per_em(&self, face: Face) -> f32 {
        f32::from(self.font(face).units_per_em())
    }

    /// How far below and above the baseline a face's glyphs may reach, in
    /// ems: as far as its tallest and deepest real letters, or its declared
    /// height and depth, whichever is more.
    pub(crate) fn reach(&self, face: Face) -> (f32, f32) {
        self.reach[face.index()]
    }

    /// Where a shaped glyph's ink lies, bottom and top, in ems above the
    /// baseline, its vertical shift included; `None` for a glyph with no
    /// ink, such as a space.
    pub(crate) fn ink(&self, glyph: &Glyph) -> Option<(f32, f32)> {
        let shaper = harfrust::ShaperFont::new(self.font(glyph.face));
        let extents = shaper.glyph_extents(harfrust::GlyphId::new(u32::from(glyph.id)))?;
        if extents.width == 0 || extents.height == 0 {
            return None;
        }
        let em = self.units_per_em(glyph.face);
        let top = extents.y_bearing as f32 / em;
        let bottom = (extents.y_bearing + extents.height) as f32 / em;
        Some((
            bottom.min(top) + glyph.y_offset,
            top.max(bottom) + glyph.y_offset,
        ))
    }
}

/// Letters that carry the most marks any language stacks on one letter:
/// the Vietnamese capitals with two, and their like in Latin and Greek.
const TALLEST_LETTERS: &str = "ẤẦẨẪẬẮẰẲẴẶẾỀỂỄỆỐỒỔỖỘỚỜỞỠỢỨỪỬỮỰ ǺǾḖṒṸṺǕǗǙǛ ĄĘĮŲ Ἇ Ὦ ᾯ";

/// How far below and above the baseline a face's glyphs may reach, in ems:
/// the wider of its hhea and Windows extents, which its designer sets and
/// Windows clips at, and the ink of the tallest letters it sets. Shaping
/// must have the face parsed, so `fonts` is ready but for this.
fn reach_of(fonts: &Fonts, face: Face) -> (f32, f32) {
    use skrifa::raw::TableProvider;
    let (mut below, mut above) = (0.0f32, 0.0f32);
    if let Ok(font) = skrifa::FontRef::new(face.bytes()) {
        let em = fonts.units_per_em(face);
        if let Ok(hhea) = font.hhea() {
            below = below.min(f32::from(hhea.descender().to_i16()) / em);
            above = above.max(f32::from(hhea.ascender().to_i16()) / em);
        }
        if let Ok(os2) = font.os2() {
            below = below.min(-f32::from(os2.us_win_descent()) / em);
            above = above.max(f32::from(os2.us_win_ascent()) / em);
        }
    }
    let mut glyphs = Vec::new();
    crate::shape::shape_one_face(fonts, TALLEST_LETTERS, face, 0, &mut glyphs);
    for glyph in glyphs.iter().filter(|glyph| glyph.id != 0) {
        if let Some((bottom, top)) = fonts.ink(glyph) {
            below = below.min(bottom);
            above = above.max(top);
        }
    }
    (below, above)
}

impl Default for Fonts {
    fn default() -> Self {
        Fonts::new()
    }
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fonts").finish_non_exhaustive()
    }
}

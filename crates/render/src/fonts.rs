//! The typefaces embedded in the binary, parsed on first use and shared by
//! every handout a process renders.
//!
//! Atkinson Hyperlegible Next is the main face. Noto faces draw what it
//! lacks: Noto Sans its Greek and Cyrillic, and one Noto face for each
//! other script a patient's name or a leaflet may be written in. Most
//! handouts use only the main face, so nothing else is parsed, or for the
//! CJK face unpacked, until a text needs it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use harfrust::Script;

use crate::layout::inline::{Paragraph, Span};
use crate::shape::{Glyph, Writing};

/// One of the embedded faces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Face {
    /// Atkinson Hyperlegible Next Regular.
    Regular,
    /// Atkinson Hyperlegible Next Bold.
    Bold,
    /// Noto Sans Regular: Greek, Cyrillic and the Latin letters Atkinson
    /// lacks.
    FallbackRegular,
    /// Noto Sans Bold.
    FallbackBold,
    /// Noto Naskh Arabic Regular: Arabic script in names, notes and
    /// leaflets, Urdu leaflets' own words excepted.
    ArabicRegular,
    /// Noto Naskh Arabic Bold.
    ArabicBold,
    /// Noto Nastaliq Urdu Regular: an Urdu leaflet's own words, in the
    /// style Urdu readers expect.
    UrduRegular,
    /// Noto Nastaliq Urdu Bold.
    UrduBold,
    /// Noto Sans Hebrew Regular.
    HebrewRegular,
    /// Noto Sans Hebrew Bold.
    HebrewBold,
    /// Noto Sans Devanagari Regular.
    DevanagariRegular,
    /// Noto Sans Devanagari Bold.
    DevanagariBold,
    /// Noto Sans Bengali Regular.
    BengaliRegular,
    /// Noto Sans Bengali Bold.
    BengaliBold,
    /// Noto Sans Gurmukhi Regular.
    GurmukhiRegular,
    /// Noto Sans Gurmukhi Bold.
    GurmukhiBold,
    /// Noto Sans Gujarati Regular.
    GujaratiRegular,
    /// Noto Sans Gujarati Bold.
    GujaratiBold,
    /// Noto Sans Tamil Regular.
    TamilRegular,
    /// Noto Sans Tamil Bold.
    TamilBold,
    /// Noto Sans Thai Regular.
    ThaiRegular,
    /// Noto Sans Thai Bold.
    ThaiBold,
    /// Noto Sans Ethiopic Regular.
    EthiopicRegular,
    /// Noto Sans Ethiopic Bold.
    EthiopicBold,
    /// Noto Sans CJK SC Regular, for Chinese and Japanese, in both
    /// weights: one regular weight serves names and notes.
    Cjk,
    /// The Hangul of Noto Sans CJK SC Regular, for Korean: a face of its
    /// own, so that each of the two unpacks only what its names need.
    Hangul,
}

/// The number of embedded faces.
pub(crate) const FACES: usize = Face::ALL.len();

impl Face {
    /// Every face, in a fixed order.
    pub const ALL: [Face; 26] = [
        Face::Regular,
        Face::Bold,
        Face::FallbackRegular,
        Face::FallbackBold,
        Face::ArabicRegular,
        Face::ArabicBold,
        Face::UrduRegular,
        Face::UrduBold,
        Face::HebrewRegular,
        Face::HebrewBold,
        Face::DevanagariRegular,
        Face::DevanagariBold,
        Face::BengaliRegular,
        Face::BengaliBold,
        Face::GurmukhiRegular,
        Face::GurmukhiBold,
        Face::GujaratiRegular,
        Face::GujaratiBold,
        Face::TamilRegular,
        Face::TamilBold,
        Face::ThaiRegular,
        Face::ThaiBold,
        Face::EthiopicRegular,
        Face::EthiopicBold,
        Face::Cjk,
        Face::Hangul,
    ];

    /// The main face of a weight.
    pub(crate) fn main(bold: bool) -> Face {
        if bold { Face::Bold } else { Face::Regular }
    }

    /// The face that sets text of `script` in a weight, or `None` for the
    /// scripts the main face and its fallback set (Latin, Greek, Cyrillic,
    /// and characters common to all scripts). `urdu` is for an Urdu
    /// leaflet's own words; a name carries no language, so a name in
    /// Arabic script is set in Naskh.
    pub(crate) fn for_script(script: Script, bold: bool, urdu: bool) -> Option<Face> {
        let (regular, bold_face) = match script {
            Script::ARABIC if urdu => (Face::UrduRegular, Face::UrduBold),
            Script::ARABIC => (Face::ArabicRegular, Face::ArabicBold),
            Script::HEBREW => (Face::HebrewRegular, Face::HebrewBold),
            Script::DEVANAGARI => (Face::DevanagariRegular, Face::DevanagariBold),
            Script::BENGALI => (Face::BengaliRegular, Face::BengaliBold),
            Script::GURMUKHI => (Face::GurmukhiRegular, Face::GurmukhiBold),
            Script::GUJARATI => (Face::GujaratiRegular, Face::GujaratiBold),
            Script::TAMIL => (Face::TamilRegular, Face::TamilBold),
            Script::THAI => (Face::ThaiRegular, Face::ThaiBold),
            Script::ETHIOPIC => (Face::EthiopicRegular, Face::EthiopicBold),
            Script::HAN | Script::HIRAGANA | Script::KATAKANA | Script::BOPOMOFO => {
                (Face::Cjk, Face::Cjk)
            }
            Script::HANGUL => (Face::Hangul, Face::Hangul),
            _ => return None,
        };
        Some(if bold { bold_face } else { regular })
    }

    /// The face's font file, as it is in the binary. The CJK faces are
    /// stored whole too (12.5 MB of the binary's 26 MB): unpacking them
    /// from LZ4 took a Chinese name's handout 27 million instructions,
    /// two fifths of its time, for 4.7 MB saved. Never inlined: each
    /// copy of this function inlined elsewhere carried its own copy of
    /// every file, and the binary was twice the size.
    #[inline(never)]
    pub(crate) fn bytes(self) -> &'static [u8] {
        match self {
            Face::Regular => include_bytes!("../../../fonts/AtkinsonHyperlegibleNext-Regular.ttf"),
            Face::Bold => include_bytes!("../../../fonts/AtkinsonHyperlegibleNext-Bold.ttf"),
            Face::FallbackRegular => include_bytes!("../../../fonts/NotoSans-Regular.ttf"),
            Face::FallbackBold => include_bytes!("../../../fonts/NotoSans-Bold.ttf"),
            Face::ArabicRegular => {
                include_bytes!("../../../fonts/NotoNaskhArabic-Regular.ttf")
            }
            Face::ArabicBold => include_bytes!("../../../fonts/NotoNaskhArabic-Bold.ttf"),
            Face::UrduRegular => include_bytes!("../../../fonts/NotoNastaliqUrdu-Regular.ttf"),
            Face::UrduBold => include_bytes!("../../../fonts/NotoNastaliqUrdu-Bold.ttf"),
            Face::HebrewRegular => {
                include_bytes!("../../../fonts/NotoSansHebrew-Regular.ttf")
            }
            Face::HebrewBold => include_bytes!("../../../fonts/NotoSansHebrew-Bold.ttf"),
            Face::DevanagariRegular => {
                include_bytes!("../../../fonts/NotoSansDevanagari-Regular.ttf")
            }
            Face::DevanagariBold => {
                include_bytes!("../../../fonts/NotoSansDevanagari-Bold.ttf")
            }
            Face::BengaliRegular => {
                include_bytes!("../../../fonts/NotoSansBengali-Regular.ttf")
            }
            Face::BengaliBold => include_bytes!("../../../fonts/NotoSansBengali-Bold.ttf"),
            Face::GurmukhiRegular => include_bytes!("../../../fonts/NotoSansGurmukhi-Regular.ttf"),
            Face::GurmukhiBold => include_bytes!("../../../fonts/NotoSansGurmukhi-Bold.ttf"),
            Face::GujaratiRegular => include_bytes!("../../../fonts/NotoSansGujarati-Regular.ttf"),
            Face::GujaratiBold => include_bytes!("../../../fonts/NotoSansGujarati-Bold.ttf"),
            Face::TamilRegular => include_bytes!("../../../fonts/NotoSansTamil-Regular.ttf"),
            Face::TamilBold => include_bytes!("../../../fonts/NotoSansTamil-Bold.ttf"),
            Face::ThaiRegular => include_bytes!("../../../fonts/NotoSansThai-Regular.ttf"),
            Face::ThaiBold => include_bytes!("../../../fonts/NotoSansThai-Bold.ttf"),
            Face::EthiopicRegular => include_bytes!("../../../fonts/NotoSansEthiopic-Regular.ttf"),
            Face::EthiopicBold => include_bytes!("../../../fonts/NotoSansEthiopic-Bold.ttf"),
            Face::Cjk => include_bytes!("../../../fonts/NotoSansCJKsc-Regular.ttf"),
            Face::Hangul => include_bytes!("../../../fonts/NotoSansCJKsc-Hangul.ttf"),
        }
    }

    /// The face to try for characters this one lacks, if any: a script's
    /// face falls back to the main face (for digits and punctuation), the
    /// main face to Noto Sans.
    pub(crate) fn fallback(self) -> Option<Face> {
        match self {
            Face::Regular => Some(Face::FallbackRegular),
            Face::Bold => Some(Face::FallbackBold),
            Face::FallbackRegular | Face::FallbackBold => None,
            Face::Cjk | Face::Hangul => Some(Face::Regular),
            face if face.index() % 2 == 1 => Some(Face::Bold),
            _ => Some(Face::Regular),
        }
    }

    /// Whether the face is a bold one. The CJK faces set both weights.
    pub(crate) fn is_bold(self) -> bool {
        !matches!(self, Face::Cjk | Face::Hangul) && self.index() % 2 == 1
    }

    /// Whether the face draws Arabic script: Naskh or Nastaliq.
    pub(crate) fn is_arabic_script(self) -> bool {
        matches!(
            self,
            Face::ArabicRegular | Face::ArabicBold | Face::UrduRegular | Face::UrduBold
        )
    }

    /// The face's place in [`Face::ALL`].
    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

/// A shaping plan is made for one face, script and direction.
type PlanKey = (Face, Option<Script>, bool);
/// Glyphs of a text, shared between the handouts that print it.
type Shaped = Arc<[Glyph]>;

/// The faces, each parsed for shaping on first use. Make one per process
/// and share it: `Fonts` is `Sync`. It keeps what shaping can reuse, keyed
/// so that it never changes a result: each face's shaping plans, and the
/// glyphs of text that is the same on every handout.
pub struct Fonts {
    faces: [OnceLock<harfrust::Font>; FACES],
    /// Shaping plans by face, script and direction: building one costs
    /// more than shaping a paragraph with it.
    plans: Mutex<HashMap<PlanKey, Arc<harfrust::ShapePlan>>>,
    /// Shaped fixed text (the topic's own words), by face and direction,
    /// then text: looked up by `&str`, with no key to allocate.
    shaped: Mutex<[[HashMap<String, Shaped>; 2]; FACES]>,
    /// Each face's reach below and above the baseline, in ems.
    reach: [OnceLock<(f32, f32)>; FACES],
    /// Paragraphs of fixed text, shaped and ready to break, by how they are
    /// written and their spans' boldness and words.
    paragraphs: Mutex<HashMap<(Writing, String), Paragraph>>,
}

/// How many paragraphs of fixed text [`Fonts`] keeps: every paragraph of
/// a dozen topics in two languages, and then it starts again.
const PARAGRAPHS_KEPT: usize = 4096;

impl Fonts {
    /// Makes the set; each face is parsed when first used.
    pub fn new() -> Fonts {
        Fonts {
            faces: [const { OnceLock::new() }; FACES],
            plans: Mutex::default(),
            shaped: Mutex::new(std::array::from_fn(|_| Default::default())),
            reach: [const { OnceLock::new() }; FACES],
            paragraphs: Mutex::default(),
        }
    }

    /// The paragraph of fixed text `spans`, written as `writing` says: made
    /// by `make` the first time, and the same paragraph after.
    pub(crate) fn paragraph(
        &self,
        spans: &[Span<'_>],
        writing: Writing,
        make: impl FnOnce() -> Paragraph,
    ) -> Paragraph {
        let mut key = String::with_capacity(spans.iter().map(|span| span.text.len() + 1).sum());
        for span in spans {
            // A control character no topic text may hold marks each span
            // and its weight.
            key.push(if span.bold { '\u{1}' } else { '\u{2}' });
            key.push_str(span.text);
        }
        let key = (writing, key);
        let lock = || {
            self.paragraphs
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
        };
        if let Some(paragraph) = lock().get(&key) {
            return paragraph.clone();
        }
        let paragraph = make();
        let mut paragraphs = lock();
        if paragraphs.len() >= PARAGRAPHS_KEPT {
            paragraphs.clear();
        }
        paragraphs.entry(key).or_insert(paragraph).clone()
    }

    /// The shaping plan for a face, script and direction, built on first
    /// use.
    pub(crate) fn plan(
        &self,
        face: Face,
        script: Option<Script>,
        rtl: bool,
    ) -> Arc<harfrust::ShapePlan> {
        let mut plans = self.plans.lock().unwrap_or_else(PoisonError::into_inner);
        plans
            .entry((face, script, rtl))
            .or_insert_with(|| {
                let direction = if rtl {
                    harfrust::Direction::RightToLeft
                } else {
                    harfrust::Direction::LeftToRight
                };
                Arc::new(harfrust::ShapePlan::new(
                    self.font(face),
                    direction,
                    script,
                    None,
                    &[],
                ))
            })
            .clone()
    }

    /// Fixed text shaped before in this face and direction, with clusters
    /// from 0.
    pub(crate) fn shaped(&self, face: Face, rtl: bool, text: &str) -> Option<Arc<[Glyph]>> {
        let shaped = self.shaped.lock().unwrap_or_else(PoisonError::into_inner);
        shaped[face.index()][usize::from(rtl)].get(text).cloned()
    }

    /// Remembers the glyphs of fixed text.
    pub(crate) fn remember(&self, face: Face, rtl: bool, text: &str, glyphs: Arc<[Glyph]>) {
        let mut shaped = self.shaped.lock().unwrap_or_else(PoisonError::into_inner);
        shaped[face.index()][usize::from(rtl)].insert(text.to_string(), glyphs);
    }

    /// The parsed face.
    pub(crate) fn font(&self, face: Face) -> &harfrust::Font {
        self.faces[face.index()].get_or_init(|| {
            harfrust::Font::new(face.bytes(), 0)
                .unwrap_or_else(|| panic!("embedded font {face:?} does not parse"))
        })
    }

    /// Font units per em of a face.
    pub(crate) fn units_per_em(&self, face: Face) -> f32 {
        f32::from(self.font(face).units_per_em())
    }

    /// How far below and above the baseline a face's glyphs may reach, in
    /// ems: as far as its tallest and deepest real letters, or its declared
    /// height and depth, whichever is more.
    pub(crate) fn reach(&self, face: Face) -> (f32, f32) {
        *self.reach[face.index()].get_or_init(|| reach_of(self, face))
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
/// Windows clips at, and for the main faces the ink of the tallest letters
/// they set.
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
        // A script's own face stacks its vowel marks as its designer drew
        // them (Arabic hamza and damma on alef reach past the Windows
        // height): as far as the face's bounding box is its own.
        if !is_main_or_fallback(face)
            && let Ok(head) = font.head()
        {
            below = below.min(f32::from(head.y_min()) / em);
            above = above.max(f32::from(head.y_max()) / em);
        }
    }
    if is_main_or_fallback(face) {
        let mut glyphs = Vec::new();
        crate::shape::shape_one_face(fonts, TALLEST_LETTERS, face, false, 0, &mut glyphs);
        for glyph in glyphs.iter().filter(|glyph| glyph.id != 0) {
            if let Some((bottom, top)) = fonts.ink(glyph) {
                below = below.min(bottom);
                above = above.max(top);
            }
        }
    }
    (below, above)
}

/// Whether a face is Atkinson or Noto Sans, which set Latin, Greek and
/// Cyrillic, whose stacked marks are checked against the tallest letters.
fn is_main_or_fallback(face: Face) -> bool {
    matches!(
        face,
        Face::Regular | Face::Bold | Face::FallbackRegular | Face::FallbackBold
    )
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

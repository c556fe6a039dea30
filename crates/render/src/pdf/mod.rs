//! Writes a laid-out document as PDF.
//!
//! It reads only the [`Document`]: its pages, their items and the document's
//! facts; never the handout it was laid out from.
//!
//! One writer serves a single handout and a clinic day's combined file: it
//! writes each page as it comes, so memory does not grow with the number of
//! pages (printpdf builds a whole document in memory first, and its own
//! serialisation took two thirds of the time of a handout). The fonts are
//! cut down by allsorts, printpdf's subsetter, and described as printpdf
//! describes them (`font`). What printpdf gets wrong for us
//! (shared/PDF-STACK.md) cannot happen here: the file names its language,
//! claims no PDF/X conformance, and its ids and subset tags come from its
//! content, not from a process-wide counter.

mod body_key;
mod combined;
mod encode;
mod font;
mod small_deflate;
mod syntax;
mod tags;
mod writer;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use smol_str::SmolStr;

pub use combined::{CombinedPdf, EncodedPages};

use crate::document::Document;
use crate::fonts::{FACES, Face};
use crate::glyphs::GlyphUse;
use crate::page::TextRun;
use body_key::BodyKey;
use encode::{ByContent, PageEncoder};
use font::{FaceFacts, Subset};
use tags::Mark;
use writer::PdfWriter;

/// The embedded faces' facts for embedding, each read on first use (most
/// handouts never need the other faces, which are ten to 250 times larger), and
/// the subsets made of them. Make one per process and share it.
pub(crate) struct PdfFonts {
    faces: [OnceLock<FaceFacts>; FACES],
    /// Subsets of each face by the glyphs (with their texts) a document
    /// draws of it: handouts that use the same glyphs embed the same
    /// subset, made and compressed once.
    subsets: Mutex<[Subsets; FACES]>,
    /// Each face's glyphs for [`COMMON`], found on first use.
    common: [OnceLock<Vec<(u16, SmolStr)>>; FACES],
}

/// The letters and digits that Atkinson's regular face holds in every
/// handout's subset, drawn or not, so that handouts whose words differ only
/// in a plain name, the weeks or a pick share one subset, made once: those
/// changed the regular face's glyphs in 145 rows of 200 of
/// `scripts/make-roster`, and a new subset costs 2M instructions. It costs
/// the default handout about 300 bytes. The bold face's glyphs change only
/// with the picks, and a name in another script is drawn in another face.
const COMMON: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// One face's subsets, by the glyphs each holds, with their texts, in the
/// order it numbers them.
type Subsets = HashMap<Vec<(u16, SmolStr)>, Arc<Subset>>;

/// How many subsets of a face to keep before starting afresh: a bound on
/// memory for rosters whose every name brings new letters.
const MAX_SUBSETS: usize = 64;

impl PdfFonts {
    /// Makes an empty set; faces are read when first used.
    pub(crate) fn new() -> PdfFonts {
        PdfFonts {
            faces: [const { OnceLock::new() }; FACES],
            subsets: Mutex::new(std::array::from_fn(|_| Subsets::default())),
            common: std::array::from_fn(|_| OnceLock::new()),
        }
    }

    /// The subset of a face holding `glyphs`, numbered in that order,
    /// made on first use.
    pub(crate) fn subset(
        &self,
        face: Face,
        glyphs: &[(u16, SmolStr)],
    ) -> std::io::Result<Arc<Subset>> {
        // Looked up by reference: the glyphs are copied only for a new one.
        if let Some(subset) =
            self.subsets.lock().unwrap_or_else(PoisonError::into_inner)[face as usize].get(glyphs)
        {
            return Ok(subset.clone());
        }
        let subset = Arc::new(Subset::new(self.get(face), face, glyphs, |id| {
            self.pdf_width(face, id)
        })?);
        let subsets =
            &mut self.subsets.lock().unwrap_or_else(PoisonError::into_inner)[face as usize];
        if subsets.len() >= MAX_SUBSETS {
            subsets.clear();
        }
        subsets.insert(glyphs.to_vec(), subset.clone());
        Ok(subset)
    }

    /// The glyphs of [`COMMON`] in `face`, with their texts: for Atkinson's
    /// regular face only.
    fn common(&self, face: Face) -> &[(u16, SmolStr)] {
        self.common[face as usize].get_or_init(|| match face {
            Face::Regular => {
                let facts = self.get(face);
                COMMON
                    .chars()
                    .filter_map(|c| Some((facts.glyph(c)?, c.into())))
                    .collect()
            }
            _ => Vec::new(),
        })
    }

    pub(crate) fn get(&self, face: Face) -> &FaceFacts {
        self.faces[face as usize].get_or_init(|| {
            FaceFacts::read(face).unwrap_or_else(|| panic!("embedded font {face:?} does not parse"))
        })
    }

    /// A glyph's advance as `/W` gives it, in whole 1/1000 em (truncated, as
    /// printpdf does): the TJ numbers correct exactly this width to the
    /// shaper's advance.
    pub(crate) fn pdf_width(&self, face: Face, glyph: u16) -> f32 {
        let facts = self.get(face);
        let units = f32::from(facts.units_per_em);
        (f32::from(facts.advance(glyph)) * (1000.0 / units)) as i64 as f32
    }
}

impl Default for PdfFonts {
    fn default() -> Self {
        PdfFonts::new()
    }
}

/// The stages of [`write_pdf`] on their own, for the benchmarks: see
/// [`crate::stages`].
pub(crate) mod stages {
    use super::*;

    /// Encodes every page of `document` into its content stream, with
    /// the fonts' subsets as `write_pdf` would find them: the bytes made.
    pub(crate) fn encode_pages(document: &Document, fonts: &PdfFonts) -> usize {
        let encoder = PageEncoder::new(&glyphs_of(document, fonts), fonts)
            .expect("the embedded fonts can be subset");
        document
            .pages
            .iter()
            .map(|page| {
                let marks = tags::marks(page);
                let content = encoder
                    .encode(page, &marks, None, document.info.more_info.as_deref())
                    .expect("encoding to memory cannot fail");
                content.body.len() + content.personal.map_or(0, |personal| personal.len())
            })
            .sum()
    }

    /// Makes every font subset `document` needs afresh, as for a document
    /// whose glyphs no other has drawn: the compressed bytes made.
    pub(crate) fn subset_fonts(document: &Document, fonts: &PdfFonts) -> usize {
        let glyphs = glyphs_of(document, fonts);
        glyphs
            .faces()
            .keys()
            .map(|&face| {
                let used = glyphs.in_subset_order(face);
                let subset =
                    Subset::new(fonts.get(face), face, &used, |id| fonts.pdf_width(face, id))
                        .expect("the embedded fonts can be subset");
                subset.program.len() + subset.cmap.len()
            })
            .sum()
    }
}

/// The glyphs a document's own file embeds: those it draws, and the
/// [`COMMON`] ones.
pub(super) fn glyphs_of(document: &Document, fonts: &PdfFonts) -> GlyphUse {
    let mut glyphs = GlyphUse::of_document(document);
    glyphs.add_absent(|face| fonts.common(face));
    glyphs
}

thread_local! {
    /// What this thread kept of the documents it encoded last, by their
    /// pages' [`BodyKey::of_elements`]: a clinic day gives the same advice
    /// at the same size to many patients, in a few ways.
    static DRAWN: RefCell<ByContent<Vec<BodyKey>, Rc<Drawn>>> = RefCell::default();
}

/// How many documents' bodies each thread keeps (see [`DRAWN`]).
const KEPT_DOCUMENTS: usize = 16;

/// What a thread keeps of a document it encoded, for the next with the
/// same pages but for the personal lines.
struct Drawn {
    /// Its glyphs less the personal lines' ([`GlyphUse::of_body`]):
    /// gathering a page's two thousand glyphs anew cost as much as
    /// compressing a patient's own lines.
    glyphs: GlyphUse,
    /// Each page's body, compressed, by the faces' part of its key
    /// ([`body_key::face_context`]), nearly always one: encoding the
    /// body was the largest part of a row.
    bodies: RefCell<Vec<Vec<DrawnBody>>>,
}

/// A page body, compressed, with the faces' part of its key.
type DrawnBody = (Vec<u8>, Arc<[u8]>);

/// A document's pages encoded, with their fonts' subsets and the structure
/// a reader reads them by: what its own PDF holds, and what it adds to a
/// day's combined PDF, made once for both.
pub(crate) fn encode_document(document: &Document, fonts: &PdfFonts) -> EncodedPages {
    let marks: Vec<Vec<Mark>> = document.pages.iter().map(tags::marks).collect();
    let keys: Vec<BodyKey> = document
        .pages
        .iter()
        .zip(&marks)
        .map(|(page, marks)| BodyKey::of_elements(page, marks))
        .collect();
    // Looked up once: the key is some 40 KB a page to hash.
    let kept = DRAWN.with_borrow(|drawn| drawn.get(&keys[..]).cloned());
    // Every test that draws a body twice checks that its key holds all its
    // glyphs depend on.
    debug_assert!(
        kept.as_ref()
            .is_none_or(|kept| kept.glyphs == GlyphUse::of_body(document))
    );
    let drawn = kept.unwrap_or_else(|| {
        let drawn = Rc::new(Drawn {
            glyphs: GlyphUse::of_body(document),
            bodies: RefCell::new(vec![Vec::new(); keys.len()]),
        });
        DRAWN.with_borrow_mut(|kept| {
            if kept.len() >= KEPT_DOCUMENTS {
                kept.clear();
            }
            kept.insert(keys.clone(), drawn.clone());
        });
        drawn
    });
    let mut glyphs = drawn.glyphs.clone();
    glyphs.add_personal(document);
    glyphs.add_absent(|face| fonts.common(face));
    let link = document.info.more_info.as_deref();
    let encoded = PageEncoder::new(&glyphs, fonts).and_then(|encoder| {
        let pages = document.pages.iter().zip(&marks).zip(&keys);
        (pages.enumerate())
            .map(|(index, ((page, marks), key))| {
                let faces = body_key::face_context(key.faces, encoder.faces());
                let kept = (drawn.bodies.borrow()[index].iter())
                    .find(|(kept, _)| *kept == faces)
                    .map(|(_, body)| body.clone());
                let fresh = kept.is_none();
                let content = encoder.encode(page, marks, kept, link)?;
                if fresh {
                    drawn.bodies.borrow_mut()[index].push((faces, content.body.clone()));
                }
                Ok(content)
            })
            .collect::<std::io::Result<Vec<_>>>()
    });
    // Its subsets hold the document's own glyphs, so encoding fails only on
    // a font that cannot be subset, and the embedded ones can.
    EncodedPages {
        pages: encoded.expect("an embedded font could not be subset"),
        structure: tags::structure(document),
        info: document.info.clone(),
    }
}

/// Writes a document's encoded pages as a PDF of their own: its bytes and
/// their SHA-256.
pub(crate) fn write_pages(pages: &EncodedPages) -> (Vec<u8>, [u8; 32]) {
    let written = PdfWriter::new(Vec::new(), &pages.info).and_then(|mut writer| {
        for page in &pages.pages {
            writer.add_page(page.clone())?;
        }
        writer.add_structure(0, pages.structure.clone(), None)?;
        writer.finish()
    });
    written.expect("writing to memory cannot fail")
}

/// Writes a document as a PDF of its pages: its bytes and their SHA-256.
pub(crate) fn write_pdf(document: &Document, fonts: &PdfFonts) -> (Vec<u8>, [u8; 32]) {
    write_pages(&encode_document(document, fonts))
}

/// A glyph as the PDF draws it.
pub(crate) struct DrawnGlyph {
    /// Glyph id in the subset.
    pub id: u16,
    /// The TJ number after the glyph, in 1/1000 em, positive moving left.
    pub adjust: f32,
    /// Text rise for this glyph, in ems (combining marks).
    pub rise: f32,
    /// Whether the glyph's ToUnicode entry gives the text it was drawn
    /// for here; where not, the PDF gives that text as ActualText.
    pub read_right: bool,
}

/// How to draw a run's shaped glyphs: the TJ number before the first glyph,
/// and each glyph with the number after it.
///
/// A PDF viewer advances the pen by each glyph's own width (`/W`); the TJ
/// number after a glyph corrects that to the shaper's advance and moves
/// combining marks sideways: adjust_i = W_i - advance_i + x_offset_i -
/// x_offset_(i+1), in 1/1000 em. Vertical mark offsets need a text rise.
/// The subset gives each glyph's id and width; a glyph it lacks is the
/// error, by its id in the face.
pub(crate) fn drawn_glyphs(run: &TextRun, subset: &Subset) -> Result<(f32, Vec<DrawnGlyph>), u16> {
    let lead = -run.glyphs.first().map_or(0.0, |glyph| glyph.x_offset) * 1000.0;
    let glyphs = run
        .glyphs
        .iter()
        .enumerate()
        .map(|(i, glyph)| {
            let mapped = subset.glyph(glyph.id).ok_or(glyph.id)?;
            let next_shift = run.glyphs.get(i + 1).map_or(0.0, |next| next.x_offset);
            let adjust =
                mapped.width - glyph.advance * 1000.0 + (glyph.x_offset - next_shift) * 1000.0;
            Ok(DrawnGlyph {
                id: mapped.id,
                adjust: if adjust.abs() < 0.01 { 0.0 } else { adjust },
                rise: glyph.y_offset,
                // A format character (a zero-width space, a soft hyphen)
                // draws nothing, and is read as nothing whatever glyph
                // hides it.
                read_right: mapped.text == glyph.text
                    || (!glyph.text.is_empty()
                        && glyph.text.chars().all(handout_content::is_format_char)),
            })
        })
        .collect::<Result<_, u16>>()?;
    Ok((lead, glyphs))
}

//! Puts a resolved handout on one page and writes it as PDF, or as SVG for
//! a preview.
//!
//! The pipeline runs one way. Layout shapes the text with harfrust, breaks
//! it into lines and places everything on a [`Page`], trying smaller type
//! and tighter space until it fits (never below 12 pt), and returns a
//! [`Document`]: its pages, every element with its [`Role`], and the
//! document's title, language and date. The PDF writer turns a document
//! into bytes, with font subsets and ToUnicode maps from printpdf; the SVG
//! writer draws a page with the PDF's geometry, glyphs as outlines, so a web
//! preview shows exactly what prints. Both read only the document, never
//! the handout. Layout never touches printpdf, nor does the SVG writer.
//!
//! Everything goes through a [`Renderer`], which parses the embedded fonts
//! once and can render any number of handouts, from any number of threads;
//! the output depends only on the input. What it offers:
//! - lay out a handout ([`Renderer::layout`]), or only find the style it
//!   fits in ([`Renderer::fit`]) and place it later ([`Renderer::layout_fitted`]);
//! - write one document as PDF ([`Renderer::write_pdf`]);
//! - write one page as SVG ([`Renderer::write_svg`]);
//! - build one PDF of many documents, page by page, each encoded once on
//!   any thread for its own file and this one ([`Renderer::encode`],
//!   [`Renderer::combined_pdf`], [`CombinedPdf`]).
//!
//! ```
//! use handout_content::{Handout, Patient, Picks, Practice, Topic};
//! use handout_render::{RenderOptions, Renderer, SvgOptions};
//!
//! let topic = Topic::builtin().remove(0);
//! let patient = Patient { name: Some("Ana López".into()), ..Patient::default() };
//! let date = jiff::civil::date(2026, 11, 25);
//! let practice = Practice::default();
//! // No wording asked for: the practice's, or the plain one.
//! let handout = Handout::resolve(&topic, &practice, &patient, &Picks::new(), date, None)?;
//! let renderer = Renderer::new();
//! let rendered = renderer.render(&handout, &RenderOptions::default())?;
//! assert!(rendered.pdf.starts_with(b"%PDF-"));
//! assert_eq!(rendered.document.info.title, handout.title);
//! assert!(rendered.document.pages[0].body_size >= 12.0);
//! let preview = renderer.write_svg(&rendered.document, 0, SvgOptions::default());
//! assert!(preview.starts_with("<svg "));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]

mod document;
mod fonts;
mod glyphs;
mod layout;
#[cfg(test)]
mod layouts;
#[cfg(test)]
mod licences;
mod page;
mod pdf;
mod role;
mod shape;
mod svg;
#[cfg(test)]
mod testing;

use std::io::Write;
use std::sync::OnceLock;

use handout_content::{Handout, Paper};

pub use document::{Document, DocumentInfo};
pub use fonts::Face;
pub use layout::Fit;
pub use page::{Color, Element, Page, Path, PathOp, PlacedGlyph, Rect, Rule, TextRun};
pub use pdf::{CombinedPdf, EncodedPages};
pub use role::{ListPart, NotePart, Role, UrgentPart};
pub use svg::SvgOptions;

/// The stages of writing a PDF, one at a time, for the benchmarks
/// (`cargo bench -p handout-render --bench stages`); not for programs,
/// which call [`Renderer::write_pdf`].
#[doc(hidden)]
pub mod stages {
    use crate::{Document, Renderer};

    /// Encodes each page's content stream, compressed, with the subsets
    /// the renderer has made: the bytes made.
    pub fn encode_pages(renderer: &Renderer, document: &Document) -> usize {
        crate::pdf::stages::encode_pages(document, &renderer.pdf_fonts)
    }

    /// Subsets and compresses the fonts the document draws with, afresh:
    /// the bytes made.
    pub fn subset_fonts(renderer: &Renderer, document: &Document) -> usize {
        crate::pdf::stages::subset_fonts(document, &renderer.pdf_fonts)
    }
}

use fonts::Fonts;
use pdf::PdfFonts;
use svg::SvgWriter;

/// How to render a handout.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Paper size; A4 by default.
    pub paper: Paper,
    /// Large print: every text at 18 pt or more, lines spaced at 1.5 or
    /// more, on both sides of one sheet; `info` items are left out when
    /// two sides cannot hold them all (see [`Document::omitted`]).
    pub large_print: bool,
}

/// Why a handout could not be rendered.
#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum RenderError {
    /// The chosen content does not fit one page even at 12 pt, or two
    /// sides in large print with every `info` item left out.
    #[error(
        "the handout does not fit {}: it is {over_mm:.0} mm too long; \
         its longest items are {}{}",
        if *.large_print {
            "on both sides of the sheet in large print, even with its background items left out"
        } else {
            "on one page even at 12 pt"
        },
        LongItem::list(.longest),
        match .note_chars {
            Some(chars) => format!("; choose fewer items or shorten the note ({chars} characters)"),
            None => "; choose fewer items".to_string(),
        }
    )]
    DoesNotFit {
        /// How much too long, in millimetres.
        over_mm: f32,
        /// The longest items of the sections she picks from, longest
        /// first.
        longest: Vec<LongItem>,
        /// The note's length in characters, when there is a note.
        note_chars: Option<usize>,
        /// Whether it was large print, on two sides.
        large_print: bool,
    },
    /// A character that no embedded font has.
    #[error(
        "cannot print '{character}' (U+{:04X}) in {place}: no bundled font has it",
        u32::from(*character)
    )]
    Unprintable {
        /// The first such character.
        character: char,
        /// Which text has them.
        place: &'static str,
    },
    /// Marks stacked so high or deep that they would print over the lines
    /// around their own.
    #[error(
        "{place} has accents or other marks stacked so high or deep on one letter that they \
         would print over the lines around it; retype it with only the marks it needs"
    )]
    Overdrawn {
        /// Which text has them.
        place: &'static str,
    },
}

impl RenderError {
    /// The place of an error in the patient's name.
    pub const NAME: &'static str = "the name";
    /// The place of an error in the midwife's name.
    pub const MIDWIFE: &'static str = "the midwife's name";
    /// The place of an error in the midwife's note.
    pub const NOTE: &'static str = "the note";

    /// Which text is to blame, in the words of its message, when one text
    /// is: "the name", "the note", ...
    pub fn place(&self) -> Option<&'static str> {
        match self {
            RenderError::Unprintable { place, .. } | RenderError::Overdrawn { place } => {
                Some(place)
            }
            RenderError::DoesNotFit { .. } => None,
        }
    }
}

/// What every front end says of a handout whose page for more information
/// was left out to fit (see [`Fit::more_info_left_out`]).
pub const MORE_INFO_LEFT_OUT: &str = "the code and the address for more information were left \
    out, as the page holds the chosen items and the note only without them; shorten the note or \
    choose fewer items to print them";

/// An item as the midwife sees it on the page and in her choices: one a
/// "does not fit" message names, or one large print left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LongItem {
    /// Its id.
    pub id: String,
    /// Its printed lead, without a final full stop or colon.
    pub lead: String,
    /// The heading of the section it prints under.
    pub section: String,
    /// Whether it prints only because nothing was picked from its section.
    pub by_default: bool,
}

impl LongItem {
    /// What every front end says of the `info` items large print left out
    /// (see [`Document::omitted`]): "large print left out 'A blood clot'
    /// and 'Sciatic nerve' under 'Why it happens' to fit both sides of the
    /// sheet"; `None` when it left out none.
    pub fn omitted_note(items: &[LongItem]) -> Option<String> {
        (!items.is_empty()).then(|| {
            format!(
                "large print left out {} to fit both sides of the sheet; every chosen item \
                 is printed",
                LongItem::list(items)
            )
        })
    }

    /// "'Warm bath' and 'Moist heat' under 'When a cramp or pain starts'
    /// (printed by default), 'Rest' under 'To prevent it'": the items
    /// grouped by section, in the order first named.
    fn list(items: &[LongItem]) -> String {
        let mut groups: Vec<(&LongItem, Vec<String>)> = Vec::new();
        for item in items {
            let lead = format!("'{}'", item.lead);
            match groups
                .iter_mut()
                .find(|(first, _)| first.section == item.section)
            {
                Some((_, leads)) => leads.push(lead),
                None => groups.push((item, vec![lead])),
            }
        }
        let groups: Vec<String> = groups
            .into_iter()
            .map(|(first, leads)| {
                let default = if first.by_default {
                    " (printed by default, as nothing was picked there)"
                } else {
                    ""
                };
                format!("{} under '{}'{default}", and_list(&leads), first.section)
            })
            .collect();
        if groups.is_empty() {
            "none".to_string()
        } else {
            groups.join(", ")
        }
    }
}

/// "a", "a and b", "a, b and c".
fn and_list(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [only] => only.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// A rendered handout.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The PDF file's bytes.
    pub pdf: Vec<u8>,
    /// The document as laid out, for checks and dumps.
    pub document: Document,
}

/// Renders handouts. Build one per process and share it: it holds the
/// parsed fonts.
pub struct Renderer {
    fonts: Fonts,
    pdf_fonts: PdfFonts,
    /// Made on the first preview: most processes only print.
    svg: OnceLock<SvgWriter>,
}

impl Renderer {
    /// Parses the embedded fonts.
    pub fn new() -> Renderer {
        Renderer {
            fonts: Fonts::new(),
            pdf_fonts: PdfFonts::new(),
            svg: OnceLock::new(),
        }
    }

    /// Lays out one handout and writes it as a PDF: one page, or two in
    /// large print.
    pub fn render(
        &self,
        handout: &Handout,
        options: &RenderOptions,
    ) -> Result<Rendered, RenderError> {
        let document = self.layout(handout, options)?;
        let pdf = self.write_pdf(&document);
        Ok(Rendered { pdf, document })
    }

    /// Lays out one handout in the largest style it fits its page in: the
    /// document, or why it cannot be made.
    pub fn layout(
        &self,
        handout: &Handout,
        options: &RenderOptions,
    ) -> Result<Document, RenderError> {
        layout::layout_handout(&self.fonts, handout, options)
    }

    /// Finds the style a handout fits its page in, without placing
    /// anything: the check a clinic day makes of every row before it makes
    /// any.
    pub fn fit(&self, handout: &Handout, options: &RenderOptions) -> Result<Fit, RenderError> {
        layout::fit_handout(&self.fonts, handout, options)
    }

    /// Lays out a handout in the style a fit found for it (on the paper it
    /// was found for), with no search: the same document as
    /// [`Renderer::layout`] makes, for less work.
    pub fn layout_fitted(&self, handout: &Handout, fit: &Fit) -> Document {
        layout::layout_fitted(&self.fonts, handout, *fit)
    }

    /// Writes a laid-out document as PDF.
    pub fn write_pdf(&self, document: &Document) -> Vec<u8> {
        pdf::write_pdf(document, &self.pdf_fonts).0
    }

    /// Writes a laid-out document as [`Renderer::write_pdf`] does, with the
    /// SHA-256 of its bytes in lower-case hex, reckoned as they are written:
    /// a clinic day's manifest names each file by it, and hashing the file
    /// again cost as much as writing it.
    pub fn write_pdf_with_sha256(&self, document: &Document) -> (Vec<u8>, String) {
        self.write_encoded(&self.encode(document))
    }

    /// Encodes a laid-out document's pages with the font subsets they draw:
    /// what [`Renderer::write_encoded`] writes as the document's own PDF,
    /// and what [`CombinedPdf::add`] adds to a day's, made once for both.
    pub fn encode(&self, document: &Document) -> EncodedPages {
        pdf::encode_document(document, &self.pdf_fonts)
    }

    /// Writes a document's encoded pages as its own PDF, the same bytes as
    /// [`Renderer::write_pdf`] gives, with their SHA-256 as
    /// [`Renderer::write_pdf_with_sha256`] gives it.
    pub fn write_encoded(&self, pages: &EncodedPages) -> (Vec<u8>, String) {
        let (pdf, sha256) = pdf::write_pages(pages);
        (pdf, handout_content::lower_hex(&sha256))
    }

    /// Writes one page of a laid-out document as a standalone SVG
    /// document, drawing what [`Renderer::write_pdf`] prints: for a
    /// preview. The same page and options give the same bytes.
    ///
    /// # Panics
    ///
    /// If the document has no page `page` (counted from 0).
    pub fn write_svg(&self, document: &Document, page: usize, options: SvgOptions) -> String {
        self.svg
            .get_or_init(SvgWriter::new)
            .page(document, page, options)
    }

    /// Writes every page of a laid-out document as one standalone SVG
    /// document, one under the other: a preview that shows all that
    /// prints, both sides of a large-print sheet too. A one-page document
    /// gives what [`Renderer::write_svg`] gives for its page.
    pub fn write_svg_pages(&self, document: &Document, options: SvgOptions) -> String {
        self.svg
            .get_or_init(SvgWriter::new)
            .pages(document, options)
    }

    /// Starts one PDF of many documents' pages, written to `out` as pages
    /// are added ([`Renderer::encode`]): `info` says what the file is.
    pub fn combined_pdf<W: Write>(
        &self,
        out: W,
        info: &DocumentInfo,
    ) -> std::io::Result<CombinedPdf<W>> {
        CombinedPdf::start(out, info)
    }
}

impl Default for Renderer {
    fn default() -> Self {
        Renderer::new()
    }
}

impl std::fmt::Debug for Renderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Renderer").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::named as handout;

    #[test]
    fn output_depends_only_on_the_input() {
        let renderer = Renderer::new();
        let options = RenderOptions::default();
        let first = renderer
            .render(&handout("Ana López"), &options)
            .unwrap()
            .pdf;
        let other = renderer
            .render(&handout("Ελένη Nguyễn"), &options)
            .unwrap()
            .pdf;
        let again = renderer
            .render(&handout("Ana López"), &options)
            .unwrap()
            .pdf;
        assert_eq!(first, again);
        assert_ne!(first, other);
        // A fresh renderer, and other threads, make the same bytes.
        let threads: Vec<_> = (0..4)
            .map(|_| {
                std::thread::spawn(|| {
                    Renderer::new()
                        .render(&handout("Ana López"), &RenderOptions::default())
                        .unwrap()
                        .pdf
                })
            })
            .collect();
        for thread in threads {
            assert_eq!(thread.join().unwrap(), first);
        }
    }

    #[test]
    fn the_sha256_reckoned_while_writing_is_that_of_the_file() {
        let renderer = Renderer::new();
        // Files that start with the same page body, on one thread, take
        // the hash of their first bytes from the first: each must still be
        // its own file's.
        for name in [
            "Ana López",
            "Zoë Quinn",
            "Ana López",
            "Hanna Ivanova",
            "Ελένη Nguyễn",
            "Hanna Ivanova",
        ] {
            let document = renderer
                .layout(&handout(name), &RenderOptions::default())
                .unwrap();
            let (pdf, sha256) = renderer.write_pdf_with_sha256(&document);
            assert_eq!(pdf, renderer.write_pdf(&document));
            assert_eq!(sha256, handout_content::sha256_hex(&pdf), "{name}");
        }
    }

    #[test]
    fn handouts_for_different_patients_share_the_rest_of_their_page() {
        let renderer = Renderer::new();
        let options = RenderOptions::default();
        let streams =
            |name: &str| content_streams(&renderer.render(&handout(name), &options).unwrap().pdf);
        // "ë" is in Zoë's name only: her subset of the regular face holds a
        // glyph Hanna's does not, numbered after the rest of the page's.
        let (hanna, zoe) = (streams("Hanna Ivanova"), streams("Zoë Kowalski"));
        assert_eq!(
            hanna.len(),
            2,
            "the page less its personal lines, then those"
        );
        assert_eq!(hanna[0], zoe[0], "the rest of the page is the same bytes");
        assert_ne!(hanna[1], zoe[1]);
    }

    /// The content streams of a PDF's first page, as stored.
    fn content_streams(pdf: &[u8]) -> Vec<Vec<u8>> {
        let document = lopdf::Document::load_mem(pdf).unwrap();
        let page = *document.get_pages().values().next().unwrap();
        let references = match document
            .get_dictionary(page)
            .unwrap()
            .get(b"Contents")
            .unwrap()
        {
            lopdf::Object::Array(array) => {
                array.iter().map(|o| o.as_reference().unwrap()).collect()
            }
            one => vec![one.as_reference().unwrap()],
        };
        references
            .into_iter()
            .map(|id| {
                document
                    .get_object(id)
                    .unwrap()
                    .as_stream()
                    .unwrap()
                    .content
                    .clone()
            })
            .collect()
    }

    /// The embedded fonts' names, each with its subset's tag.
    fn font_names(pdf: &[u8]) -> Vec<String> {
        let document = lopdf::Document::load_mem(pdf).unwrap();
        let mut names: Vec<String> = document
            .objects
            .values()
            .filter_map(|object| object.as_dict().ok())
            .filter(|dict| dict.get(b"Type").and_then(lopdf::Object::as_name).ok() == Some(b"Font"))
            .filter_map(|dict| dict.get(b"BaseFont").and_then(lopdf::Object::as_name).ok())
            .map(|name| String::from_utf8_lossy(name).into_owned())
            .collect();
        names.sort();
        names.dedup();
        names
    }

    #[test]
    fn handouts_that_differ_in_a_plain_name_share_their_subsets() {
        let renderer = Renderer::new();
        let options = RenderOptions::default();
        let pdf = |name: &str| renderer.render(&handout(name), &options).unwrap().pdf;
        let (hanna, quinn) = (pdf("Hanna Ivanova"), pdf("Quinn Kowalski"));
        assert_ne!(hanna, quinn);
        // The same letters, in the same subsets, made once.
        let names = font_names(&hanna);
        assert_eq!(names.len(), 2, "{names:?}");
        assert_eq!(names, font_names(&quinn));
        // A letter beyond them makes a subset of its own.
        let regular = |names: Vec<String>| names.into_iter().find(|name| name.ends_with("Regular"));
        assert_ne!(regular(font_names(&pdf("Zoë Kowalski"))), regular(names));
    }

    #[test]
    fn the_pdf_names_its_language_and_claims_no_pdf_x() {
        let pdf = Renderer::new()
            .render(&handout("Ana"), &RenderOptions::default())
            .unwrap()
            .pdf;
        let document = lopdf::Document::load_mem(&pdf).unwrap();
        let catalog = document.catalog().unwrap();
        assert_eq!(catalog.get(b"Lang").unwrap().as_str().unwrap(), b"en");
        let info = document
            .trailer
            .get(b"Info")
            .and_then(|o| o.as_reference())
            .unwrap();
        let info = document.get_dictionary(info).unwrap();
        assert!(info.get(b"GTS_PDFXVersion").is_err());
        assert!(info.get(b"Title").is_ok());
    }
}

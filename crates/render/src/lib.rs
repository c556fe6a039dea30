//! Puts a resolved handout on one page and writes it as PDF, or as SVG for
//! a preview.
//!
//! The pipeline runs one way: [`layout`] shapes the text with harfrust, breaks
//! it into lines and places everything on a [`Page`], trying smaller type and
//! tighter space until it fits (never below 12 pt), and returns a
//! [`Document`]: its pages, every item with its [`Role`], and the document's
//! title, language and date. [`pdf`] writes a document as PDF, or a clinic
//! day's worth of pages as they come, with font subsets and ToUnicode maps
//! from printpdf; [`svg`] writes each page as SVG, glyphs as outlines, with
//! the PDF's geometry, so a web preview draws exactly what prints. Both read
//! only the document, never the handout. Layout never touches printpdf, nor
//! does the SVG writer.
//!
//! A [`Renderer`] parses the embedded fonts once and can render any number of
//! handouts, from any number of threads; the output depends only on the input.
//!
//! ```
//! use handout_content::{Handout, Patient, Picks, Practice, Topic};
//! use handout_render::{RenderOptions, Renderer};
//!
//! let topic = Topic::builtin().remove(0);
//! let patient = Patient { name: Some("Ana López".into()), ..Patient::default() };
//! let date = jiff::civil::date(2026, 11, 25);
//! let handout = Handout::resolve(&topic, &Practice::default(), &patient, &Picks::new(), date)?;
//! let rendered = Renderer::new().render(&handout, &RenderOptions::default())?;
//! assert!(rendered.pdf.starts_with(b"%PDF-"));
//! assert_eq!(rendered.document.info.title, handout.title);
//! assert!(rendered.document.pages[0].body_size >= 12.0);
//! let preview = Renderer::new().write_svg(&rendered.document);
//! assert!(preview[0].starts_with("<svg "));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]

pub mod document;
pub mod fonts;
pub mod layout;
pub mod page;
pub mod pdf;
pub mod role;
pub mod shape;
pub mod svg;

use std::sync::OnceLock;

use handout_content::{Handout, Paper};

pub use document::{Document, DocumentInfo};
pub use fonts::{Face, Fonts};
pub use layout::{Fit, MIN_BODY_PT, document_info, fit_handout, layout_fitted, layout_handout};
pub use page::Page;
pub use pdf::{GlyphUse, PageContent, PageEncoder, PdfFonts, PdfWriter, write_pdf};
pub use role::{ListPart, NotePart, Role, UrgentPart};
pub use svg::SvgWriter;

/// How to render a handout.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Paper size; A4 by default.
    pub paper: Paper,
}

/// Why a handout could not be rendered.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum RenderError {
    /// The chosen content does not fit one page even at 12 pt.
    #[error(
        "the handout does not fit on one page even at 12 pt: it is {over_mm:.0} mm too long; \
         the longest chosen items are {}{}",
        quote_list(.longest),
        match .note_chars {
            Some(chars) => format!("; choose fewer items or shorten the note ({chars} characters)"),
            None => "; choose fewer items".to_string(),
        }
    )]
    DoesNotFit {
        /// How much too long, in millimetres.
        over_mm: f32,
        /// Ids of the longest chosen items, longest first.
        longest: Vec<String>,
        /// The note's length in characters, when there is a note.
        note_chars: Option<usize>,
    },
    /// Characters that no embedded font has.
    #[error(
        "{place} has characters no embedded font can print ('{characters}'); \
         write them in Latin, Greek or Cyrillic letters"
    )]
    Unprintable {
        /// The characters.
        characters: String,
        /// Which text has them.
        place: &'static str,
    },
}

fn quote_list(ids: &[String]) -> String {
    let quoted: Vec<String> = ids.iter().map(|id| format!("'{id}'")).collect();
    if quoted.is_empty() {
        "none".to_string()
    } else {
        quoted.join(", ")
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
#[derive(Debug)]
pub struct Renderer {
    fonts: Fonts,
    pdf_fonts: PdfFonts,
    /// Made on the first preview: most processes only print.
    svg: OnceLock<SvgWriter>,
}

impl std::fmt::Debug for PdfFonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PdfFonts").finish_non_exhaustive()
    }
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

    /// Lays out one handout and writes it as a one-page PDF.
    pub fn render(
        &self,
        handout: &Handout,
        options: &RenderOptions,
    ) -> Result<Rendered, RenderError> {
        let document = self.layout(handout, options)?;
        let pdf = self.write_pdf(&document);
        Ok(Rendered { pdf, document })
    }

    /// Lays out one handout: the document, or why it cannot be made.
    pub fn layout(
        &self,
        handout: &Handout,
        options: &RenderOptions,
    ) -> Result<Document, RenderError> {
        layout_handout(&self.fonts, handout, options.paper)
    }

    /// Finds the style a handout fits its page in, without placing
    /// anything: the check a batch makes of every row before it writes.
    pub fn fit(&self, handout: &Handout, options: &RenderOptions) -> Result<Fit, RenderError> {
        fit_handout(&self.fonts, handout, options.paper)
    }

    /// Lays out a handout in the style [`Renderer::fit`] found for it and
    /// the same options, with no search: the same document as
    /// [`Renderer::layout`] makes, for less work.
    pub fn layout_fitted(&self, handout: &Handout, fit: &Fit, options: &RenderOptions) -> Document {
        debug_assert_eq!(fit.paper(), options.paper, "a fit is for its own paper");
        layout_fitted(&self.fonts, handout, *fit)
    }

    /// Writes a laid-out document as PDF.
    pub fn write_pdf(&self, document: &Document) -> Vec<u8> {
        write_pdf(document, &self.pdf_fonts)
    }

    /// Writes each page of a laid-out document as a standalone SVG
    /// document, drawing what [`Renderer::write_pdf`] prints: for a preview.
    pub fn write_svg(&self, document: &Document) -> Vec<String> {
        self.svg.get_or_init(SvgWriter::new).pages(document)
    }

    /// Starts a multi-page PDF that may draw the glyphs in `glyphs`, with
    /// the document facts `info` (a title, language and date).
    pub fn combined<W: std::io::Write>(
        &self,
        out: W,
        glyphs: &GlyphUse,
        info: &DocumentInfo,
    ) -> std::io::Result<PdfWriter<W>> {
        PdfWriter::new(out, glyphs, &self.pdf_fonts, info)
    }

    /// Encodes a page for a [`PdfWriter`].
    pub fn encode(&self, encoder: &PageEncoder, page: &Page) -> std::io::Result<PageContent> {
        encoder.encode(page, &self.pdf_fonts)
    }
}

impl Default for Renderer {
    fn default() -> Self {
        Renderer::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use handout_content::{Patient, Picks, Practice, Topic};

    fn handout(name: &str) -> Handout {
        let topic = Topic::builtin().remove(0);
        let patient = Patient {
            name: Some(name.into()),
            ..Patient::default()
        };
        let date = jiff::civil::date(2026, 11, 25);
        Handout::resolve(&topic, &Practice::default(), &patient, &Picks::new(), date).unwrap()
    }

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

#[cfg(test)]
mod combined_tests {
    use super::*;
    use handout_content::{Patient, Picks, Practice, Topic};
    use lopdf::Object;

    fn document(renderer: &Renderer, name: &str) -> Document {
        let topic = Topic::builtin().remove(0);
        let patient = Patient {
            name: Some(name.into()),
            ..Patient::default()
        };
        let date = jiff::civil::date(2026, 11, 25);
        let handout =
            Handout::resolve(&topic, &Practice::default(), &patient, &Picks::new(), date).unwrap();
        renderer
            .render(&handout, &RenderOptions::default())
            .unwrap()
            .document
    }

    #[test]
    fn combined_pdf_has_every_page_and_shares_its_fonts() {
        let renderer = Renderer::new();
        let names = ["Ana López", "Ελένη Nguyễn", "Zoë Quinn"];
        let documents: Vec<Document> = names.iter().map(|name| document(&renderer, name)).collect();
        let mut glyphs = GlyphUse::default();
        for document in &documents {
            glyphs.merge(GlyphUse::of_document(document));
        }
        let info = DocumentInfo {
            title: "T".into(),
            subject: "S".into(),
            language: "en".into(),
            date: (2026, 11, 25),
        };
        let mut pdf = PdfWriter::new(Vec::new(), &glyphs, &renderer.pdf_fonts, &info).unwrap();
        let encoder = pdf.encoder();
        for page in documents.iter().flat_map(|document| &document.pages) {
            pdf.add_page(encoder.encode(page, &renderer.pdf_fonts).unwrap())
                .unwrap();
        }
        let bytes = pdf.finish().unwrap();
        let document = lopdf::Document::load_mem(&bytes).unwrap();
        assert_eq!(document.get_pages().len(), 3);
        let fonts = document
            .objects
            .values()
            .filter(|object| {
                object.as_dict().is_ok_and(|dict| {
                    dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Type0".as_slice())
                })
            })
            .count();
        // Atkinson regular and bold, and Noto Sans regular for the Greek
        // name: each once, however many pages use it.
        assert_eq!(fonts, 3);
        if let Some(path) = std::env::var_os("HANDOUT_KEEP_COMBINED") {
            std::fs::write(path, &bytes).unwrap();
        }
    }
}

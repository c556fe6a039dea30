//! A PDF of many documents' pages, one after another: a clinic day's
//! handouts, to print in one go.
//!
//! It is written as pages come, so it never sits whole in memory. Every
//! page shares one subset of each face, so the subsets are made up front,
//! from the glyphs of every document that will be added ([`GlyphUse`]).
//! Then the pages are encoded and compressed on any thread
//! ([`CombinedEncoder`]), which is most of the work, and added on one, in
//! the order they are to print ([`CombinedPdf::add`]).

use std::io::{self, Write};

use super::PdfFonts;
use super::encode::{PageContent, PageEncoder};
use super::tags::{self, Node};
use super::writer::PdfWriter;
use crate::document::{Document, DocumentInfo};
use crate::glyphs::GlyphUse;

/// A PDF being written page by page; made by
/// [`Renderer::combined_pdf`](crate::Renderer::combined_pdf).
pub struct CombinedPdf<W: Write> {
    writer: PdfWriter<W>,
    /// The width and height of the last page added, for a blank back.
    last_size: Option<(f32, f32)>,
}

/// Encodes documents' pages for one [`CombinedPdf`], on any thread: cheap
/// to clone, `Send` and `Sync`.
#[derive(Clone)]
pub struct CombinedEncoder {
    pages: PageEncoder,
}

/// A document's pages, encoded and compressed for the [`CombinedPdf`]
/// whose encoder made them, and only for that one, with their structure
/// and language.
#[derive(Debug)]
pub struct EncodedPages {
    pages: Vec<PageContent>,
    structure: Vec<Node>,
    language: String,
    /// Its bookmark: its byline, which names whom it is for, or its title.
    label: String,
}

impl<W: Write> CombinedPdf<W> {
    pub(crate) fn start(
        out: W,
        glyphs: &GlyphUse,
        fonts: &PdfFonts,
        info: &DocumentInfo,
    ) -> io::Result<CombinedPdf<W>> {
        Ok(CombinedPdf {
            writer: PdfWriter::new(out, glyphs, fonts, info)?,
            last_size: None,
        })
    }

    /// An encoder of pages for this PDF, to use on the threads that lay the
    /// documents out.
    pub fn encoder(&self) -> CombinedEncoder {
        CombinedEncoder {
            pages: self.writer.encoder(),
        }
    }

    /// Appends a document's pages, after those added before.
    pub fn add(&mut self, pages: EncodedPages) -> io::Result<()> {
        let first = self.writer.page_count();
        for page in pages.pages {
            self.last_size = Some((page.width, page.height));
            self.writer.add_page(page)?;
        }
        // Each handout is a part of the file, in its own language: one
        // day's file can mix them. A bookmark leads to each.
        self.writer.add_bookmark(first, &pages.label)?;
        self.writer
            .add_structure(first, pages.structure, Some(&pages.language))
    }

    /// Adds a blank page, the size of the last, when the pages so far are
    /// odd in number: printed on both sides, what is added next then
    /// starts on a new sheet, and no patient's page is on the back of
    /// another's. Returns whether it added one.
    pub fn add_blank_back(&mut self) -> io::Result<bool> {
        match self.last_size {
            Some((width, height)) if self.writer.page_count() % 2 == 1 => {
                self.writer.add_page(PageContent::blank(width, height))?;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// How many pages have been added.
    pub fn page_count(&self) -> usize {
        self.writer.page_count()
    }

    /// Writes the fonts, the page tree and the cross-reference table, and
    /// gives the output back.
    pub fn finish(self) -> io::Result<W> {
        self.writer.finish().map(|(out, _)| out)
    }
}

impl CombinedEncoder {
    /// Encodes a document's pages. Fails only for a glyph that is not among
    /// those the PDF was started with.
    pub fn encode(&self, document: &Document) -> io::Result<EncodedPages> {
        let pages = document
            .pages
            .iter()
            .map(|page| self.pages.encode(page, document.info.more_info.as_deref()))
            .collect::<io::Result<Vec<_>>>()?;
        Ok(EncodedPages {
            pages,
            structure: tags::structure(document),
            language: document.info.language.clone(),
            label: document.info.bookmark.clone(),
        })
    }
}

impl std::fmt::Debug for CombinedEncoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CombinedEncoder").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use lopdf::Object;

    use crate::testing::named as handout;
    use crate::{DocumentInfo, GlyphUse, RenderOptions, Renderer};

    const NAMES: [&str; 3] = ["Ana López", "Ελένη Nguyễn", "Zoë Quinn"];

    fn info() -> DocumentInfo {
        DocumentInfo {
            title: "T".into(),
            subject: "S".into(),
            language: "en".into(),
            date: (2026, 11, 25),
            more_info: None,
            note_language: None,
            bookmark: "B".into(),
        }
    }

    /// The combined PDF of the handouts of `NAMES`, its pages encoded on a
    /// thread each and added in order.
    fn combined(renderer: &Renderer) -> Vec<u8> {
        let options = RenderOptions::default();
        let mut glyphs = GlyphUse::default();
        let mut documents = Vec::new();
        for name in NAMES {
            let handout = handout(name);
            let (fit, used) = renderer.fit_with_glyphs(&handout, &options).unwrap();
            glyphs.merge(used);
            documents.push(renderer.layout_fitted(&handout, &fit));
        }
        let mut pdf = renderer.combined_pdf(Vec::new(), &glyphs, &info()).unwrap();
        let encoder = pdf.encoder();
        let encoded: Vec<_> = std::thread::scope(|scope| {
            let threads: Vec<_> = documents
                .iter()
                .map(|document| scope.spawn(|| encoder.encode(document).unwrap()))
                .collect();
            threads
                .into_iter()
                .map(|thread| thread.join().unwrap())
                .collect()
        });
        for pages in encoded {
            pdf.add(pages).unwrap();
        }
        assert_eq!(pdf.page_count(), NAMES.len());
        pdf.finish().unwrap()
    }

    #[test]
    fn pages_with_the_same_advice_draw_one_body_and_their_own_lines() {
        let bytes = combined(&Renderer::new());
        let document = lopdf::Document::load_mem(&bytes).unwrap();
        let contents: Vec<Vec<lopdf::ObjectId>> = document
            .get_pages()
            .into_values()
            .map(|page| {
                let page = document.get_dictionary(page).unwrap();
                let contents = page.get(b"Contents").unwrap().as_array().unwrap();
                contents
                    .iter()
                    .map(|part| part.as_reference().unwrap())
                    .collect()
            })
            .collect();
        assert_eq!(contents.len(), NAMES.len());
        for page in &contents {
            assert_eq!(page.len(), 2, "{page:?}");
            assert_eq!(page[0], contents[0][0], "one body for every page");
        }
        let mut personal: Vec<_> = contents.iter().map(|page| page[1]).collect();
        personal.dedup();
        assert_eq!(personal.len(), NAMES.len(), "each page its own lines");
    }

    #[test]
    fn a_bookmark_leads_to_each_handout_by_whom_it_is_for() {
        let bytes = combined(&Renderer::new());
        let document = lopdf::Document::load_mem(&bytes).unwrap();
        let catalog = document.catalog().unwrap();
        assert_eq!(
            catalog.get(b"PageMode").unwrap().as_name().unwrap(),
            b"UseOutlines"
        );
        let outlines = document
            .get_dictionary(catalog.get(b"Outlines").unwrap().as_reference().unwrap())
            .unwrap();
        assert_eq!(outlines.get(b"Count").unwrap().as_i64().unwrap(), 3);
        let pages: Vec<_> = document.get_pages().into_values().collect();
        let mut next = outlines.get(b"First").ok();
        let mut seen = Vec::new();
        while let Some(item) = next {
            let item = document
                .get_dictionary(item.as_reference().unwrap())
                .unwrap();
            let title = lopdf::decode_text_string(item.get(b"Title").unwrap()).unwrap();
            let dest = item.get(b"Dest").unwrap().as_array().unwrap();
            seen.push((title, dest[0].as_reference().unwrap()));
            next = item.get(b"Next").ok();
        }
        assert_eq!(seen.len(), NAMES.len());
        for ((title, page), (name, expected)) in seen.iter().zip(NAMES.iter().zip(&pages)) {
            assert!(
                title.starts_with(&format!("Prepared for {name} · ")),
                "{title}"
            );
            assert_eq!(page, expected, "{title}");
        }
    }

    #[test]
    fn every_page_is_there_in_order_and_shares_its_fonts() {
        let renderer = Renderer::new();
        let bytes = combined(&renderer);
        let document = lopdf::Document::load_mem(&bytes).unwrap();
        assert_eq!(document.get_pages().len(), 3);
        // Each page names its patient, in the order added (lopdf reads the
        // text run by run: compare without white space, up to the first
        // letter it cannot map back whole).
        for (number, name) in (1..).zip(NAMES) {
            let text: String = document
                .extract_text(&[number])
                .unwrap()
                .split_whitespace()
                .collect();
            let first = name.split(' ').next().unwrap();
            assert!(
                text.contains(&format!("Preparedfor{first}")),
                "page {number}: {text}"
            );
        }
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
        // Pages encoded on other threads, by another renderer, give the
        // same bytes.
        assert_eq!(combined(&Renderer::new()), bytes);
        if let Some(path) = std::env::var_os("HANDOUT_KEEP_COMBINED") {
            std::fs::write(path, &bytes).unwrap();
        }
    }

    #[test]
    fn a_page_with_glyphs_the_pdf_was_not_started_with_is_refused() {
        let renderer = Renderer::new();
        let options = RenderOptions::default();
        let (_, latin) = renderer.fit_with_glyphs(&handout("Ana"), &options).unwrap();
        let pdf = renderer.combined_pdf(Vec::new(), &latin, &info()).unwrap();
        let refused = |name: &str| {
            let page = renderer.layout(&handout(name), &options).unwrap();
            let error = pdf.encoder().encode(&page).unwrap_err();
            assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
            error.to_string()
        };
        // A face the PDF has no subset of: Greek is set in Noto Sans.
        assert_eq!(
            refused("Ελένη"),
            "face FallbackRegular was not among the glyphs the combined PDF was made for"
        );
        // A face it has, but a letter that was not on Ana's page.
        let error = refused("Zoë Quinn");
        assert!(
            error.starts_with("glyph ")
                && error.ends_with(
                    " of Regular was not among the glyphs the combined PDF was made for"
                ),
            "{error}"
        );
    }
}

//! A PDF of many documents' pages, one after another: a clinic day's
//! handouts, to print in one go.
//!
//! It is written as pages come, so it never sits whole in memory. Each
//! document's pages come encoded as they are for its own file
//! ([`Renderer::encode`](crate::Renderer::encode)), on any thread, with the
//! font subsets they draw: a page is encoded once for both files, and each
//! subset and each page body is written into this one once, for every page
//! that draws it. Pages are added on one thread, in the order they are to
//! print ([`CombinedPdf::add`]).

use std::io::{self, Write};

use super::encode::PageContent;
use super::tags::Node;
use super::writer::PdfWriter;
use crate::document::DocumentInfo;

/// A PDF being written page by page; made by
/// [`Renderer::combined_pdf`](crate::Renderer::combined_pdf).
pub struct CombinedPdf<W: Write> {
    writer: PdfWriter<W>,
    /// The width and height of the last page added, for a blank back.
    last_size: Option<(f32, f32)>,
}

/// A document's pages, encoded and compressed with the font subsets they
/// draw, with its structure and what it says of itself: made once, for its
/// own PDF and a day's combined PDF alike.
#[derive(Debug, Clone)]
pub struct EncodedPages {
    pub(super) pages: Vec<PageContent>,
    pub(super) structure: Vec<Node>,
    pub(super) info: DocumentInfo,
}

impl<W: Write> CombinedPdf<W> {
    pub(crate) fn start(out: W, info: &DocumentInfo) -> io::Result<CombinedPdf<W>> {
        Ok(CombinedPdf {
            writer: PdfWriter::new(out, info)?,
            last_size: None,
        })
    }

    /// Appends a document's pages, after those added before.
    pub fn add(&mut self, pages: EncodedPages) -> io::Result<()> {
        let first = self.writer.page_count();
        for page in pages.pages {
            self.last_size = Some((page.width, page.height));
            self.writer.add_page(page)?;
        }
        // Each handout is a part of the file, in its own language: one
        // day's file can mix them. A bookmark leads to each, by its byline,
        // which names whom it is for, or its title.
        self.writer.add_bookmark(first, &pages.info.bookmark)?;
        self.writer
            .add_structure(first, pages.structure, Some(&pages.info.language))
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

    /// Writes the page tree and the cross-reference table, and gives the
    /// output back.
    pub fn finish(self) -> io::Result<W> {
        self.writer.finish().map(|(out, _)| out)
    }
}

#[cfg(test)]
mod tests {
    use lopdf::Object;

    use crate::testing::named as handout;
    use crate::{DocumentInfo, RenderOptions, Renderer};

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
        let documents: Vec<_> = NAMES
            .iter()
            .map(|name| renderer.layout(&handout(name), &options).unwrap())
            .collect();
        let mut pdf = renderer.combined_pdf(Vec::new(), &info()).unwrap();
        let encoded: Vec<_> = std::thread::scope(|scope| {
            let threads: Vec<_> = documents
                .iter()
                .map(|document| scope.spawn(|| renderer.encode(document)))
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
    fn every_page_is_there_in_order_and_shares_its_subsets() {
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
        let mut fonts: Vec<String> = document
            .objects
            .values()
            .filter_map(|object| object.as_dict().ok())
            .filter(|dict| dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Type0"))
            .map(|dict| {
                let name = dict.get(b"BaseFont").and_then(Object::as_name).unwrap();
                String::from_utf8_lossy(name).into_owned()
            })
            .collect();
        fonts.sort();
        // Each page draws its own file's subsets, each written once: the
        // three names' regular subsets differ by a letter (ó, ễ, ë), their
        // bold one is the same, and the Greek is set in Noto Sans.
        let count = |face: &str| fonts.iter().filter(|name| name.ends_with(face)).count();
        assert_eq!(count("AtkinsonHyperlegibleNext-Regular"), 3, "{fonts:?}");
        assert_eq!(count("AtkinsonHyperlegibleNext-Bold"), 1, "{fonts:?}");
        assert_eq!(count("NotoSans-Regular"), 1, "{fonts:?}");
        let mut unique = fonts.clone();
        unique.dedup();
        assert_eq!(unique, fonts, "no subset twice");
        // Pages encoded on other threads, by another renderer, give the
        // same bytes.
        assert_eq!(combined(&Renderer::new()), bytes);
        if let Some(path) = std::env::var_os("HANDOUT_KEEP_COMBINED") {
            std::fs::write(path, &bytes).unwrap();
        }
    }
}

//! Writes a PDF's objects as they come, each face embedded once: the
//! pages first, then the fonts every page shares, the page tree, the
//! catalog and the cross-reference table.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::sync::Arc;

use lopdf::{Dictionary, Object, Stream, StringFormat};
use sha2::{Digest, Sha256};

use super::PdfFonts;
use super::encode::{FaceMap, PageContent, PageEncoder};
use super::font::Subset;
use super::syntax::{hex, serialize, utf16_be};
use crate::document::DocumentInfo;
use crate::glyphs::GlyphUse;

/// Reserved object numbers; pages and fonts follow.
const CATALOG: u32 = 1;
const PAGES: u32 = 2;
const RESOURCES: u32 = 3;
const INFO: u32 = 4;
const FIRST_FREE: u32 = 5;

/// Counts and hashes what is written, for the cross-reference table and a
/// content-derived `/ID`.
struct Output<W: Write> {
    inner: W,
    written: u64,
    hash: Sha256,
}

impl<W: Write> Write for Output<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(bytes)?;
        self.written += n as u64;
        self.hash.update(&bytes[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// A PDF written page by page.
pub(crate) struct PdfWriter<W: Write> {
    out: Output<W>,
    /// Byte offset of each object, by object number - 1.
    offsets: Vec<u64>,
    kids: Vec<u32>,
    encoder: PageEncoder,
    info: DocumentInfo,
}

impl<W: Write> PdfWriter<W> {
    /// Starts a document that may draw the glyphs in `glyphs`.
    pub(crate) fn new(
        out: W,
        glyphs: &GlyphUse,
        fonts: &PdfFonts,
        info: &DocumentInfo,
    ) -> io::Result<Self> {
        let mut maps = BTreeMap::new();
        for (index, (&face, used)) in glyphs.faces().iter().enumerate() {
            maps.insert(
                face,
                FaceMap {
                    resource: format!("F{index}"),
                    subset: fonts.subset(face, used)?,
                },
            );
        }

        let mut pdf = PdfWriter {
            out: Output {
                inner: out,
                written: 0,
                hash: Sha256::new(),
            },
            offsets: vec![0; (FIRST_FREE - 1) as usize],
            kids: Vec::new(),
            encoder: PageEncoder {
                faces: Arc::new(maps),
            },
            info: info.clone(),
        };
        // The binary comment tells transfer programs the file is not text.
        pdf.out.write_all(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")?;
        Ok(pdf)
    }

    /// An encoder for this document's pages.
    pub(crate) fn encoder(&self) -> PageEncoder {
        self.encoder.clone()
    }

    /// Appends a page.
    pub(crate) fn add_page(&mut self, page: PageContent) -> io::Result<()> {
        let mut dict = Dictionary::new();
        dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
        let contents = self.add(Object::Stream(Stream::new(dict, page.stream)))?;
        let page = Dictionary::from_iter([
            ("Type", Object::Name(b"Page".to_vec())),
            ("Parent", Object::Reference((PAGES, 0))),
            (
                "MediaBox",
                Object::Array(vec![
                    0.into(),
                    0.into(),
                    Object::Real(page.width),
                    Object::Real(page.height),
                ]),
            ),
            ("Resources", Object::Reference((RESOURCES, 0))),
            ("Contents", Object::Reference((contents, 0))),
        ]);
        let id = self.add(Object::Dictionary(page))?;
        self.kids.push(id);
        Ok(())
    }

    /// How many pages have been added.
    pub(crate) fn page_count(&self) -> usize {
        self.kids.len()
    }

    /// Writes the fonts, the page tree and the cross-reference table.
    pub(crate) fn finish(mut self) -> io::Result<W> {
        let mut fonts = Dictionary::new();
        let faces = self.encoder.faces.clone();
        for face in faces.values() {
            let font = self.add_font(&face.subset)?;
            fonts.set(face.resource.clone(), Object::Reference((font, 0)));
        }
        self.put(
            RESOURCES,
            Object::Dictionary(Dictionary::from_iter([("Font", Object::Dictionary(fonts))])),
        )?;
        let kids = self
            .kids
            .iter()
            .map(|&id| Object::Reference((id, 0)))
            .collect();
        self.put(
            PAGES,
            Object::Dictionary(Dictionary::from_iter([
                ("Type", Object::Name(b"Pages".to_vec())),
                ("Count", Object::Integer(self.kids.len() as i64)),
                ("Kids", Object::Array(kids)),
            ])),
        )?;
        self.put(
            CATALOG,
            Object::Dictionary(Dictionary::from_iter([
                ("Type", Object::Name(b"Catalog".to_vec())),
                ("Pages", Object::Reference((PAGES, 0))),
                ("Lang", Object::string_literal(self.info.language.clone())),
                (
                    "ViewerPreferences",
                    Object::Dictionary(Dictionary::from_iter([(
                        "DisplayDocTitle",
                        Object::Boolean(true),
                    )])),
                ),
            ])),
        )?;
        let (year, month, day) = self.info.date;
        let date = format!("D:{year:04}{month:02}{day:02}000000Z");
        let text = |value: &str| Object::String(utf16_be(value), StringFormat::Hexadecimal);
        let info = Dictionary::from_iter([
            ("Title", text(&self.info.title)),
            ("Subject", text(&self.info.subject)),
            ("Creator", text("handout")),
            (
                "Producer",
                text(concat!("handout ", env!("CARGO_PKG_VERSION"))),
            ),
            ("CreationDate", Object::string_literal(date.clone())),
            ("ModDate", Object::string_literal(date)),
        ]);
        self.put(INFO, Object::Dictionary(info))?;

        let id: Vec<u8> = self.out.hash.clone().finalize()[..16].to_vec();
        let xref_at = self.out.written;
        let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", self.offsets.len() + 1);
        for offset in &self.offsets {
            table.push_str(&format!("{offset:010} 00000 n \n"));
        }
        let mut id_hex = Vec::new();
        hex(&mut id_hex, &id);
        let id_hex = String::from_utf8(id_hex).expect("hex digits are ASCII");
        table.push_str(&format!(
            "trailer\n<< /Size {} /Root {CATALOG} 0 R /Info {INFO} 0 R /ID [<{id_hex}> <{id_hex}>] >>\nstartxref\n{xref_at}\n%%EOF\n",
            self.offsets.len() + 1
        ));
        self.out.write_all(table.as_bytes())?;
        self.out.flush()?;
        Ok(self.out.inner)
    }

    fn add_font(&mut self, subset: &Subset) -> io::Result<u32> {
        let compressed = |length1: Option<usize>| {
            let mut dict = Dictionary::new();
            if let Some(length) = length1 {
                dict.set("Length1", Object::Integer(length as i64));
            }
            dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
            dict
        };
        let program = self.add(Object::Stream(Stream::new(
            compressed(Some(subset.program_len)),
            subset.program.clone(),
        )))?;
        let cmap = self.add(Object::Stream(Stream::new(
            compressed(None),
            subset.cmap.clone(),
        )))?;
        let mut descriptor = subset.descriptor.clone();
        descriptor.set("FontFile2", Object::Reference((program, 0)));
        let descriptor = self.add(Object::Dictionary(descriptor))?;

        let name = || Object::Name(subset.name.as_bytes().to_vec());
        let descendant = Dictionary::from_iter([
            ("Type", Object::Name(b"Font".to_vec())),
            ("Subtype", Object::Name(b"CIDFontType2".to_vec())),
            ("BaseFont", name()),
            (
                "CIDSystemInfo",
                Object::Dictionary(Dictionary::from_iter([
                    ("Registry", Object::string_literal("Adobe")),
                    ("Ordering", Object::string_literal("Identity")),
                    ("Supplement", Object::Integer(0)),
                ])),
            ),
            ("FontDescriptor", Object::Reference((descriptor, 0))),
            ("W", Object::Array(subset.widths.clone())),
            ("DW", Object::Integer(1000)),
            ("CIDToGIDMap", Object::Name(b"Identity".to_vec())),
        ]);
        let font = Dictionary::from_iter([
            ("Type", Object::Name(b"Font".to_vec())),
            ("Subtype", Object::Name(b"Type0".to_vec())),
            ("BaseFont", name()),
            ("Encoding", Object::Name(b"Identity-H".to_vec())),
            (
                "DescendantFonts",
                Object::Array(vec![Object::Dictionary(descendant)]),
            ),
            ("ToUnicode", Object::Reference((cmap, 0))),
        ]);
        self.add(Object::Dictionary(font))
    }

    /// Writes an object under the next free number.
    fn add(&mut self, object: Object) -> io::Result<u32> {
        self.offsets.push(0);
        let id = self.offsets.len() as u32;
        self.put(id, object)?;
        Ok(id)
    }

    /// Writes an object under a given number.
    fn put(&mut self, id: u32, object: Object) -> io::Result<()> {
        self.offsets[(id - 1) as usize] = self.out.written;
        writeln!(self.out, "{id} 0 obj")?;
        let mut bytes = Vec::new();
        serialize(&mut bytes, &object);
        self.out.write_all(&bytes)?;
        self.out.write_all(b"\nendobj\n")
    }
}

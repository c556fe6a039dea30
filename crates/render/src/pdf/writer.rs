//! Writes pages into a PDF as they come, each face embedded once.
//!
//! Each page is encoded on its own (in any thread, by a [`PageEncoder`])
//! into a compressed content stream that goes straight to the output; only
//! the fonts, which every page shares, wait for the end. Their subsets are
//! made up front from the glyphs the whole document uses, so the glyph ids
//! in each page are final when it is written.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::sync::Arc;

use lopdf::{Dictionary, Object, Stream, StringFormat};
use printpdf::FontId;
use sha2::{Digest, Sha256};

use super::{GlyphUse, PdfFonts, deflate, drawn_glyphs, subset_tag, utf16_be};
use crate::document::DocumentInfo;
use crate::fonts::Face;
use crate::page::{Color, Item, Page, TextRun};

/// Reserved object numbers; pages and fonts follow.
const CATALOG: u32 = 1;
const PAGES: u32 = 2;
const RESOURCES: u32 = 3;
const INFO: u32 = 4;
const FIRST_FREE: u32 = 5;

/// A page, encoded and compressed, ready to be appended.
#[derive(Debug, Clone)]
pub struct PageContent {
    width: f32,
    height: f32,
    stream: Vec<u8>,
}

/// One face as a document uses it: its resource name and its subset.
#[derive(Debug)]
struct FaceMap {
    resource: String,
    subset: Arc<Subset>,
}

/// Encodes pages for a [`PdfWriter`]. Cheap to clone and `Send`, so that
/// the threads rendering pages can encode them too.
#[derive(Debug, Clone)]
pub struct PageEncoder {
    faces: Arc<BTreeMap<Face, FaceMap>>,
}

impl PageEncoder {
    /// Encodes and compresses one page. Every glyph must be among those the
    /// [`PdfWriter`] was made for.
    pub fn encode(&self, page: &Page, fonts: &PdfFonts) -> io::Result<PageContent> {
        let mut out = Vec::with_capacity(16 * 1024);
        for item in &page.items {
            match item {
                Item::Rect(rect) => {
                    out.extend_from_slice(b"q ");
                    if let Some(fill) = rect.fill {
                        color(&mut out, fill, b"rg");
                    }
                    if let Some((stroke, width)) = rect.stroke {
                        color(&mut out, stroke, b"RG");
                        number(&mut out, width);
                        out.extend_from_slice(b"w ");
                    }
                    for value in [
                        rect.x,
                        page.height - rect.y - rect.height,
                        rect.width,
                        rect.height,
                    ] {
                        number(&mut out, value);
                    }
                    out.extend_from_slice(match (rect.fill, rect.stroke) {
                        (Some(_), Some(_)) => b"re B Q\n",
                        (Some(_), None) => b"re f Q\n",
                        (None, _) => b"re S Q\n",
                    });
                }
                Item::Rule(rule) => {
                    out.extend_from_slice(b"q ");
                    color(&mut out, rule.color, b"RG");
                    number(&mut out, rule.thickness);
                    out.extend_from_slice(b"w ");
                    let y = page.height - rule.y;
                    for value in [rule.x, y] {
                        number(&mut out, value);
                    }
                    out.extend_from_slice(b"m ");
                    for value in [rule.x_end, y] {
                        number(&mut out, value);
                    }
                    out.extend_from_slice(b"l S Q\n");
                }
                Item::Text(run) => self.text(&mut out, run, page.height, fonts)?,
            }
        }
        Ok(PageContent {
            width: page.width,
            height: page.height,
            stream: deflate(&out),
        })
    }

    fn text(
        &self,
        out: &mut Vec<u8>,
        run: &TextRun,
        page_height: f32,
        fonts: &PdfFonts,
    ) -> io::Result<()> {
        let face = self
            .faces
            .get(&run.face)
            .ok_or_else(|| missing(run.face, None))?;
        out.extend_from_slice(b"BT /");
        out.extend_from_slice(face.resource.as_bytes());
        out.push(b' ');
        number(out, run.size);
        out.extend_from_slice(b"Tf ");
        color(out, run.color, b"rg");
        out.extend_from_slice(b"1 0 0 1 ");
        number(out, run.x);
        number(out, page_height - run.baseline);
        out.extend_from_slice(b"Tm ");
        if run.needs_actual_text {
            out.extend_from_slice(b"/Span <</ActualText <");
            hex(out, &utf16_be(&run.text));
            out.extend_from_slice(b">>> BDC ");
        }
        let (lead, glyphs) = drawn_glyphs(run, fonts);
        let mut rise = 0.0;
        let mut open = false;
        if lead != 0.0 {
            out.push(b'[');
            number(out, lead);
            open = true;
        }
        for glyph in &glyphs {
            if glyph.rise != rise {
                if open {
                    out.extend_from_slice(b"] TJ ");
                    open = false;
                }
                rise = glyph.rise;
                number(out, rise * run.size);
                out.extend_from_slice(b"Ts ");
            }
            if !open {
                out.push(b'[');
                open = true;
            }
            let id = *face
                .subset
                .new_ids
                .get(&glyph.id)
                .ok_or_else(|| missing(run.face, Some(glyph.id)))?;
            out.push(b'<');
            hex(out, &id.to_be_bytes());
            out.extend_from_slice(b"> ");
            if glyph.adjust != 0.0 {
                number(out, glyph.adjust);
            }
        }
        if open {
            out.extend_from_slice(b"] TJ ");
        }
        if rise != 0.0 {
            out.extend_from_slice(b"0 Ts ");
        }
        if run.needs_actual_text {
            out.extend_from_slice(b"EMC ");
        }
        out.extend_from_slice(b"ET\n");
        Ok(())
    }
}

fn missing(face: Face, glyph: Option<u16>) -> io::Error {
    let what = glyph.map_or_else(
        || format!("face {face:?}"),
        |id| format!("glyph {id} of {face:?}"),
    );
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("{what} was not among the glyphs the combined PDF was made for"),
    )
}

/// Writes a number the way PDF wants it: no exponent, at most 3 decimals.
/// Writes a number to three decimals at most, without trailing zeros, and a
/// space after it.
fn number(out: &mut Vec<u8>, value: f32) {
    let thousandths = (value * 1000.0).round();
    // Below 4,000 the f32 nearest to a whole number of thousandths is within
    // a quarter of a thousandth of it, so formatting that f32 to three
    // decimals gives exactly those thousandths: write the integer's digits
    // instead of formatting the float, which took a fifth of a batch's
    // instructions. Anything larger (or not finite) takes the general path.
    if thousandths.abs() < 4_000_000.0 {
        let whole = thousandths as i32;
        if whole < 0 {
            out.push(b'-');
        }
        let whole = whole.unsigned_abs();
        digits(out, whole / 1000);
        let mut fraction = whole % 1000;
        if fraction != 0 {
            out.push(b'.');
            let mut places = 3;
            while fraction.is_multiple_of(10) {
                fraction /= 10;
                places -= 1;
            }
            let mut buffer = [b'0'; 3];
            for place in (0..places).rev() {
                buffer[place] = b'0' + (fraction % 10) as u8;
                fraction /= 10;
            }
            out.extend_from_slice(&buffer[..places]);
        }
        out.push(b' ');
        return;
    }
    number_formatted(out, value);
}

/// [`number`] through the float formatter, for any value.
fn number_formatted(out: &mut Vec<u8>, value: f32) {
    let rounded = (value * 1000.0).round() / 1000.0;
    let text = format!("{rounded:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    out.extend_from_slice(if text == "-0" { b"0" } else { text.as_bytes() });
    out.push(b' ');
}

/// Writes an integer's decimal digits.
fn digits(out: &mut Vec<u8>, mut value: u32) {
    let mut buffer = [0; 10];
    let mut start = buffer.len();
    loop {
        start -= 1;
        buffer[start] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    out.extend_from_slice(&buffer[start..]);
}

fn color(out: &mut Vec<u8>, color: Color, operator: &[u8]) {
    for channel in [color.0, color.1, color.2] {
        number(out, f32::from(channel) / 255.0);
    }
    out.extend_from_slice(operator);
    out.push(b' ');
}

fn hex(out: &mut Vec<u8>, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    for byte in bytes {
        out.push(DIGITS[usize::from(byte >> 4)]);
        out.push(DIGITS[usize::from(byte & 15)]);
    }
}

/// A face cut down to the glyphs a document uses, ready to embed: made
/// once per set of glyphs (see [`PdfFonts::subset`](super::PdfFonts)).
#[derive(Debug)]
pub(crate) struct Subset {
    /// "TAGTAG+PostScriptName".
    name: String,
    /// The font program, compressed, and its length before.
    program: Vec<u8>,
    program_len: usize,
    /// The ToUnicode CMap, compressed.
    cmap: Vec<u8>,
    /// The font descriptor, less its font file.
    descriptor: Dictionary,
    /// The `/W` array.
    widths: Vec<Object>,
    /// Glyph ids in the face to glyph ids in the subset.
    new_ids: HashMap<u16, u16>,
}

impl Subset {
    /// Subsets `parsed` to `glyphs` (glyph id to the text it stands for);
    /// `width` gives a glyph's advance in 1/1000 em.
    pub(crate) fn new(
        parsed: &printpdf::ParsedFont,
        face: Face,
        glyphs: &BTreeMap<u16, String>,
        width: impl Fn(u16) -> f32,
    ) -> io::Result<Subset> {
        let subset = printpdf::subset_font(parsed, glyphs)
            .map_err(|error| io::Error::other(format!("could not subset {face:?}: {error}")))?;
        let mut new_ids = HashMap::with_capacity(subset.glyph_mapping.len());
        let mut mapped: Vec<(u16, i64, String)> = Vec::with_capacity(subset.glyph_mapping.len());
        for (&old, (new, text)) in &subset.glyph_mapping {
            new_ids.insert(old, *new);
            mapped.push((*new, width(old) as i64, text.clone()));
        }
        mapped.sort_by_key(|glyph| glyph.0);

        let tag = subset_tag(face, glyphs.keys().copied());
        let name = format!(
            "{tag}+{}",
            parsed
                .font_name
                .clone()
                .unwrap_or_else(|| format!("{face:?}"))
        );
        let texts: Vec<(u16, String)> = mapped
            .iter()
            .map(|(id, _, text)| (*id, text.clone()))
            .collect();
        let cmap = printpdf::generate_cmap_string(parsed, &FontId(tag), &texts);
        Ok(Subset {
            descriptor: font_descriptor(parsed, &name),
            name,
            program_len: subset.bytes.len(),
            program: deflate(&subset.bytes),
            cmap: deflate(cmap.as_bytes()),
            widths: width_runs(&mapped),
            new_ids,
        })
    }
}

/// Widths in runs of consecutive ids: `[first [w w w] first [w] ...]`.
fn width_runs(glyphs: &[(u16, i64, String)]) -> Vec<Object> {
    let mut widths = Vec::new();
    let mut run: Vec<Object> = Vec::new();
    let mut run_start = 0;
    let mut previous = None;
    for &(id, width, _) in glyphs {
        if previous != Some(id.wrapping_sub(1)) && !run.is_empty() {
            widths.push(Object::Integer(i64::from(run_start)));
            widths.push(Object::Array(std::mem::take(&mut run)));
        }
        if run.is_empty() {
            run_start = id;
        }
        run.push(Object::Integer(width));
        previous = Some(id);
    }
    if !run.is_empty() {
        widths.push(Object::Integer(i64::from(run_start)));
        widths.push(Object::Array(run));
    }
    widths
}

/// The font descriptor of a face, as printpdf writes it: metrics in
/// 1/1000 em; flags, angle and stem width estimated the same way.
fn font_descriptor(parsed: &printpdf::ParsedFont, name: &str) -> Dictionary {
    let metrics = &parsed.pdf_font_metrics;
    let scale = 1000.0 / f32::from(metrics.units_per_em.max(1));
    let scaled = |value: f32| Object::Integer((value * scale).round() as i64);
    let ascent = parsed.font_metrics.ascent;
    let italic_angle = if metrics.caret_slope_rise == 0 {
        0
    } else {
        (-f32::from(metrics.caret_slope_run).atan2(f32::from(metrics.caret_slope_rise)))
            .to_degrees()
            .round() as i64
    };
    let stem_v = if metrics.us_weight_class == 0 {
        80
    } else {
        50 + (f32::from(metrics.us_weight_class) / 65.0).powi(2).round() as i64
    };
    Dictionary::from_iter([
        ("Type", Object::Name(b"FontDescriptor".to_vec())),
        ("FontName", Object::Name(name.as_bytes().to_vec())),
        ("Ascent", scaled(ascent)),
        ("Descent", scaled(parsed.font_metrics.descent)),
        (
            "CapHeight",
            scaled(parsed.font_metrics.cap_height.unwrap_or(ascent)),
        ),
        ("ItalicAngle", Object::Integer(italic_angle)),
        // Nonsymbolic, and italic only when slanted.
        (
            "Flags",
            Object::Integer(if italic_angle != 0 { 32 | 64 } else { 32 }),
        ),
        ("StemV", Object::Integer(stem_v)),
        (
            "FontBBox",
            Object::Array(
                [metrics.x_min, metrics.y_min, metrics.x_max, metrics.y_max]
                    .into_iter()
                    .map(|value| scaled(f32::from(value)))
                    .collect(),
            ),
        ),
    ])
}

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
pub struct PdfWriter<W: Write> {
    out: Output<W>,
    /// Byte offset of each object, by object number - 1.
    offsets: Vec<u64>,
    kids: Vec<u32>,
    encoder: PageEncoder,
    info: DocumentInfo,
}

impl<W: Write> PdfWriter<W> {
    /// Starts a document that may draw the glyphs in `glyphs`.
    pub fn new(
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
    pub fn encoder(&self) -> PageEncoder {
        self.encoder.clone()
    }

    /// Appends a page.
    pub fn add_page(&mut self, page: PageContent) -> io::Result<()> {
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
    pub fn page_count(&self) -> usize {
        self.kids.len()
    }

    /// Writes the fonts, the page tree and the cross-reference table.
    pub fn finish(mut self) -> io::Result<W> {
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

/// Writes an object in PDF syntax (lopdf keeps its writer private).
fn serialize(out: &mut Vec<u8>, object: &Object) {
    match object {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Boolean(value) => out.extend_from_slice(if *value { b"true" } else { b"false" }),
        Object::Integer(value) => out.extend_from_slice(value.to_string().as_bytes()),
        Object::Real(value) => {
            number(out, *value);
            out.pop();
        }
        Object::Name(name) => {
            out.push(b'/');
            for &byte in name {
                // Delimiters, white space and non-ASCII are written as #xx.
                if byte.is_ascii_graphic() && !b"()<>[]{}/%#".contains(&byte) {
                    out.push(byte);
                } else {
                    out.push(b'#');
                    hex(out, &[byte]);
                }
            }
        }
        Object::String(bytes, StringFormat::Hexadecimal) => {
            out.push(b'<');
            hex(out, bytes);
            out.push(b'>');
        }
        Object::String(bytes, StringFormat::Literal) => {
            out.push(b'(');
            for &byte in bytes {
                if matches!(byte, b'(' | b')' | b'\\') {
                    out.push(b'\\');
                }
                out.push(byte);
            }
            out.push(b')');
        }
        Object::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                serialize(out, item);
            }
            out.push(b']');
        }
        Object::Dictionary(dict) => serialize_dict(out, dict),
        Object::Stream(stream) => {
            let mut dict = stream.dict.clone();
            dict.set("Length", Object::Integer(stream.content.len() as i64));
            serialize_dict(out, &dict);
            out.extend_from_slice(b"\nstream\n");
            out.extend_from_slice(&stream.content);
            out.extend_from_slice(b"\nendstream");
        }
        Object::Reference((id, generation)) => {
            out.extend_from_slice(format!("{id} {generation} R").as_bytes());
        }
    }
}

fn serialize_dict(out: &mut Vec<u8>, dict: &Dictionary) {
    out.extend_from_slice(b"<<");
    for (key, value) in dict.iter() {
        serialize(out, &Object::Name(key.clone()));
        out.push(b' ');
        serialize(out, value);
    }
    out.extend_from_slice(b">>");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(value: f32, write: fn(&mut Vec<u8>, f32)) -> String {
        let mut out = Vec::new();
        write(&mut out, value);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn numbers_are_written_as_the_float_formatter_writes_them() {
        assert_eq!(written(0.0, number), "0 ");
        assert_eq!(written(-0.0001, number), "0 ");
        assert_eq!(written(-1.5, number), "-1.5 ");
        assert_eq!(written(841.8898, number), "841.89 ");
        assert_eq!(written(0.102, number), "0.102 ");
        assert_eq!(written(12.0, number), "12 ");
        // Every thousandth up to 100 either way, one in 31 up to 4,100 and
        // beyond, each a little off both ways, and values spread over the
        // whole range of f32 bit patterns.
        let mut values: Vec<f32> = Vec::new();
        let thousandths = (-100_000..=100_000_i32).chain((-4_100_000..4_100_000).step_by(31));
        for k in thousandths {
            let exact = k as f32 / 1000.0;
            values.extend([exact, exact + 0.0004, exact - 0.0004]);
        }
        let mut bits: u32 = 12345;
        for _ in 0..200_000 {
            bits = bits.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            values.push(f32::from_bits(bits));
        }
        for value in values.into_iter().filter(|value| value.is_finite()) {
            assert_eq!(
                written(value, number),
                written(value, number_formatted),
                "{value:e}"
            );
        }
    }
}

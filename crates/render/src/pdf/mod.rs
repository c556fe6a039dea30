//! Writes a laid-out [`Page`] as PDF bytes with printpdf, then corrects
//! what printpdf gets wrong for us (see `shared/PDF-STACK.md`): no `/Lang`,
//! a false PDF/X marker, and ids drawn from a process-wide counter.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use flate2::Compression;
use flate2::write::ZlibEncoder;
use lopdf::{Dictionary, Object, StringFormat};
use printpdf::{
    Codepoint, Color as PdfColor, DictItem, FontId, Line, LinePoint, Mm, Op, PaintMode, ParsedFont,
    PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Polygon, PolygonRing, Pt, Rgb,
    TextItem, TextMatrix, WindingOrder, font::PdfFont,
};
use sha2::{Digest, Sha256};
use std::io::Write;

mod combined;

pub use combined::{CombinedPdf, PageContent, PageEncoder};

use crate::fonts::Face;
use crate::page::{Color, Item, Page, Rect, Rule, TextRun};

/// The embedded faces parsed for embedding, each on first use: most
/// handouts never need the fallback faces, which are ten times larger.
/// Parse once per process; cloning into each document is cheap next to it.
pub struct PdfFonts {
    faces: [OnceLock<ParsedFont>; 4],
}

impl PdfFonts {
    /// Makes an empty set; faces are parsed when first used.
    pub fn new() -> PdfFonts {
        PdfFonts {
            faces: Default::default(),
        }
    }

    pub(crate) fn get(&self, face: Face) -> &ParsedFont {
        self.faces[face as usize].get_or_init(|| {
            ParsedFont::from_bytes(face.bytes(), 0, &mut Vec::new())
                .unwrap_or_else(|| panic!("embedded font {face:?} does not parse"))
        })
    }

    /// The advance printpdf writes into `/W` for a glyph, in 1/1000 em:
    /// truncated exactly as printpdf truncates it, so that our TJ offsets
    /// correct the same number the viewer uses.
    pub(crate) fn pdf_width(&self, face: Face, glyph: u16) -> f32 {
        let font = self.get(face);
        let units = f32::from(font.pdf_font_metrics.units_per_em);
        (f32::from(font.get_horizontal_advance(glyph)) * (1000.0 / units)) as i64 as f32
    }
}

impl Default for PdfFonts {
    fn default() -> Self {
        PdfFonts::new()
    }
}

/// Document-level facts written into the PDF.
#[derive(Debug, Clone)]
pub struct DocumentInfo<'a> {
    /// Title shown by viewers.
    pub title: &'a str,
    /// Subject.
    pub subject: &'a str,
    /// Language tag of the text, e.g. "en".
    pub language: &'a str,
    /// The creation date, as YYYY-MM-DD.
    pub date: (i16, i8, i8),
}

/// Writes `page` as a one-page PDF.
pub fn write_pdf(page: &Page, fonts: &PdfFonts, info: &DocumentInfo<'_>) -> Vec<u8> {
    let ids = font_ids(page);
    let mut doc = PdfDocument::new(info.title);
    for (face, id) in &ids {
        doc.resources
            .fonts
            .map
            .insert(id.clone(), PdfFont::new(fonts.get(*face).clone()));
    }
    let mut ops = Vec::with_capacity(page.items.len() * 6);
    for item in &page.items {
        match item {
            Item::Rect(rect) => draw_rect(&mut ops, rect, page.height),
            Item::Rule(rule) => draw_rule(&mut ops, rule, page.height),
            Item::Text(run) => draw_text(&mut ops, run, &ids[&run.face], fonts, page.height),
        }
    }
    let to_mm = |pt: f32| Mm(pt * 25.4 / 72.0);
    doc.with_pages(vec![PdfPage::new(
        to_mm(page.width),
        to_mm(page.height),
        ops,
    )]);

    let mut warnings = Vec::new();
    let mut lo = doc.to_lopdf_document(&PdfSaveOptions::default(), &mut warnings);
    fix_up(&mut lo, info);
    compress(&mut lo);
    set_id(&mut lo, info);
    let mut bytes = Vec::new();
    lo.save_to(&mut bytes)
        .expect("writing to memory cannot fail");
    bytes
}

/// One font id per face used. The id's first six capital letters become the
/// subset tag, which must differ between different subsets of a face: derive
/// it from the face and the glyphs used, not from printpdf's counter.
fn font_ids(page: &Page) -> BTreeMap<Face, FontId> {
    let mut used: BTreeMap<Face, BTreeSet<u16>> = BTreeMap::new();
    for run in page.runs() {
        used.entry(run.face)
            .or_default()
            .extend(run.glyphs.iter().map(|glyph| glyph.id));
    }
    used.into_iter()
        .map(|(face, glyphs)| (face, FontId(subset_tag(face, glyphs))))
        .collect()
}

/// Six capital letters naming a subset of a face: the same for the same
/// glyphs, different for different ones.
pub(crate) fn subset_tag(face: Face, glyphs: impl IntoIterator<Item = u16>) -> String {
    let mut hash = Sha256::new();
    hash.update([face as u8]);
    for glyph in glyphs {
        hash.update(glyph.to_be_bytes());
    }
    hash.finalize()
        .iter()
        .take(6)
        .map(|byte| char::from(b'A' + byte % 26))
        .collect()
}

/// Which glyphs of which faces a document draws, each with the text it
/// stands for: what a font subset and its ToUnicode map must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GlyphUse {
    faces: BTreeMap<Face, BTreeMap<u16, String>>,
}

impl GlyphUse {
    /// The glyphs a page draws.
    pub fn of_page(page: &Page) -> GlyphUse {
        let mut used = GlyphUse::default();
        for run in page.runs() {
            let glyphs = used.faces.entry(run.face).or_default();
            for glyph in &run.glyphs {
                glyphs.entry(glyph.id).or_insert_with(|| glyph.text.clone());
            }
        }
        used
    }

    /// Adds another document's glyphs. Where the two give a glyph different
    /// texts (a glyph drawn for several letters, whose runs carry their own
    /// ActualText), the smaller text wins, so the result is the same in
    /// whatever order documents are merged: threads may merge as they finish.
    pub fn merge(&mut self, other: GlyphUse) {
        for (face, glyphs) in other.faces {
            let mine = self.faces.entry(face).or_default();
            for (id, text) in glyphs {
                match mine.get_mut(&id) {
                    Some(existing) if *existing <= text => {}
                    Some(existing) => *existing = text,
                    None => {
                        mine.insert(id, text);
                    }
                }
            }
        }
    }

    /// The faces used, with their glyphs.
    pub(crate) fn faces(&self) -> &BTreeMap<Face, BTreeMap<u16, String>> {
        &self.faces
    }
}

fn rgb(color: Color) -> PdfColor {
    let channel = |value: u8| f32::from(value) / 255.0;
    PdfColor::Rgb(Rgb::new(
        channel(color.0),
        channel(color.1),
        channel(color.2),
        None,
    ))
}

fn draw_rect(ops: &mut Vec<Op>, rect: &Rect, page_height: f32) {
    let mode = match (rect.fill, rect.stroke) {
        (Some(_), Some(_)) => PaintMode::FillStroke,
        (Some(_), None) => PaintMode::Fill,
        (None, _) => PaintMode::Stroke,
    };
    ops.push(Op::SaveGraphicsState);
    if let Some(fill) = rect.fill {
        ops.push(Op::SetFillColor { col: rgb(fill) });
    }
    if let Some((color, thickness)) = rect.stroke {
        ops.push(Op::SetOutlineColor { col: rgb(color) });
        ops.push(Op::SetOutlineThickness { pt: Pt(thickness) });
    }
    let bottom = page_height - rect.y - rect.height;
    let corners = [
        (rect.x, bottom),
        (rect.x + rect.width, bottom),
        (rect.x + rect.width, bottom + rect.height),
        (rect.x, bottom + rect.height),
    ];
    ops.push(Op::DrawPolygon {
        polygon: Polygon {
            rings: vec![PolygonRing {
                points: corners
                    .into_iter()
                    .map(|(x, y)| LinePoint {
                        p: Point { x: Pt(x), y: Pt(y) },
                        bezier: false,
                    })
                    .collect(),
            }],
            mode,
            winding_order: WindingOrder::NonZero,
        },
    });
    ops.push(Op::RestoreGraphicsState);
}

fn draw_rule(ops: &mut Vec<Op>, rule: &Rule, page_height: f32) {
    let y = page_height - rule.y;
    ops.push(Op::SaveGraphicsState);
    ops.push(Op::SetOutlineColor {
        col: rgb(rule.color),
    });
    ops.push(Op::SetOutlineThickness {
        pt: Pt(rule.thickness),
    });
    ops.push(Op::DrawLine {
        line: Line {
            points: [rule.x, rule.x_end]
                .into_iter()
                .map(|x| LinePoint {
                    p: Point { x: Pt(x), y: Pt(y) },
                    bezier: false,
                })
                .collect(),
            is_closed: false,
        },
    });
    ops.push(Op::RestoreGraphicsState);
}

/// A glyph as the PDF draws it.
pub(crate) struct DrawnGlyph {
    /// Glyph id in the face.
    pub id: u16,
    /// The TJ number after the glyph, in 1/1000 em, positive moving left.
    pub adjust: f32,
    /// Text rise for this glyph, in ems (combining marks).
    pub rise: f32,
}

/// How to draw a run's shaped glyphs: the TJ number before the first glyph,
/// and each glyph with the number after it.
///
/// A PDF viewer advances the pen by each glyph's own width (`/W`); the TJ
/// number after a glyph corrects that to the shaper's advance and moves
/// combining marks sideways: adjust_i = W_i - advance_i + x_offset_i -
/// x_offset_(i+1), in 1/1000 em. Vertical mark offsets need a text rise.
pub(crate) fn drawn_glyphs(run: &TextRun, fonts: &PdfFonts) -> (f32, Vec<DrawnGlyph>) {
    let lead = -run.glyphs.first().map_or(0.0, |glyph| glyph.x_offset) * 1000.0;
    let glyphs = run
        .glyphs
        .iter()
        .enumerate()
        .map(|(i, glyph)| {
            let next_shift = run.glyphs.get(i + 1).map_or(0.0, |next| next.x_offset);
            let adjust = fonts.pdf_width(run.face, glyph.id) - glyph.advance * 1000.0
                + (glyph.x_offset - next_shift) * 1000.0;
            DrawnGlyph {
                id: glyph.id,
                adjust: if adjust.abs() < 0.01 { 0.0 } else { adjust },
                rise: glyph.y_offset,
            }
        })
        .collect();
    (lead, glyphs)
}

/// Draws a run's shaped glyphs (see [`drawn_glyphs`]); the run is split
/// where the text rise changes.
fn draw_text(ops: &mut Vec<Op>, run: &TextRun, font: &FontId, fonts: &PdfFonts, page_height: f32) {
    ops.push(Op::StartTextSection);
    ops.push(Op::SetFont {
        font: PdfFontHandle::External(font.clone()),
        size: Pt(run.size),
    });
    ops.push(Op::SetFillColor {
        col: rgb(run.color),
    });
    ops.push(Op::SetTextMatrix {
        matrix: TextMatrix::Translate(Pt(run.x), Pt(page_height - run.baseline)),
    });
    if run.needs_actual_text {
        ops.push(Op::BeginMarkedContentWithProperties {
            tag: "Span".to_string(),
            properties: DictItem::Dict {
                map: BTreeMap::from([(
                    "ActualText".to_string(),
                    DictItem::String {
                        data: utf16_be(&run.text),
                        literal: false,
                    },
                )]),
            },
        });
    }

    let (lead, drawn) = drawn_glyphs(run, fonts);
    let mut items: Vec<TextItem> = Vec::new();
    let mut codepoints: Vec<Codepoint> = Vec::new();
    let mut rise = 0.0;
    if lead != 0.0 {
        items.push(TextItem::Offset(lead));
    }
    for (glyph, placed) in drawn.iter().zip(&run.glyphs) {
        if glyph.rise != rise {
            if !codepoints.is_empty() {
                items.push(TextItem::GlyphIds(std::mem::take(&mut codepoints)));
            }
            if !items.is_empty() {
                ops.push(Op::ShowText {
                    items: std::mem::take(&mut items),
                });
            }
            rise = glyph.rise;
            ops.push(Op::SetLineOffset {
                multiplier: rise * run.size,
            });
        }
        codepoints.push(Codepoint {
            gid: glyph.id,
            offset: glyph.adjust,
            cid: Some(placed.text.clone()),
        });
    }
    if !codepoints.is_empty() {
        items.push(TextItem::GlyphIds(codepoints));
    }
    if !items.is_empty() {
        ops.push(Op::ShowText { items });
    }
    if rise != 0.0 {
        ops.push(Op::SetLineOffset { multiplier: 0.0 });
    }
    if run.needs_actual_text {
        ops.push(Op::EndMarkedContent);
    }
    ops.push(Op::EndTextSection);
}

pub(crate) fn utf16_be(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xfe, 0xff];
    bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    bytes
}

/// Compresses every stream not compressed yet.
fn compress(doc: &mut lopdf::Document) {
    for object in doc.objects.values_mut() {
        if let Object::Stream(stream) = object
            && stream.dict.get(b"Filter").is_err()
        {
            let compressed = deflate(&stream.content);
            if compressed.len() < stream.content.len() {
                stream
                    .dict
                    .set("Filter", Object::Name(b"FlateDecode".to_vec()));
                stream.set_content(compressed);
            }
        }
    }
}

/// Makes the trailer `/ID` a hash of the content, so that it is the same for
/// the same content and differs for other content: everything else in the
/// file follows from its streams and its Info dictionary.
fn set_id(doc: &mut lopdf::Document, info: &DocumentInfo<'_>) {
    let mut hash = Sha256::new();
    for (id, object) in &doc.objects {
        if let Object::Stream(stream) = object {
            hash.update(id.0.to_be_bytes());
            hash.update(&stream.content);
        }
    }
    for value in [info.title, info.subject, info.language] {
        hash.update(value.as_bytes());
        hash.update([0]);
    }
    hash.update(format!("{:?}", info.date).as_bytes());
    let digest = hash.finalize();
    let id = Object::String(digest[..16].to_vec(), StringFormat::Hexadecimal);
    doc.trailer.set("ID", Object::Array(vec![id.clone(), id]));
}

/// Compresses a stream's bytes, at zlib level 3: measured on a 200-row
/// batch, level 9 (printpdf's and lopdf's choice) spent a quarter of all
/// instructions compressing; level 3 cost 19% fewer instructions per handout
/// than level 6 for a file 1% larger, level 1 a file 17% larger.
pub(crate) fn deflate(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = ZlibEncoder::new(Vec::with_capacity(bytes.len() / 2), Compression::new(3));
    encoder
        .write_all(bytes)
        .expect("writing to memory cannot fail");
    encoder.finish().expect("writing to memory cannot fail")
}

/// Sets `/Lang` and writes a clean Info dictionary: no false PDF/X marker,
/// a fixed date.
fn fix_up(doc: &mut lopdf::Document, info: &DocumentInfo<'_>) {
    if let Ok(Object::Reference(root)) = doc.trailer.get(b"Root").cloned()
        && let Ok(catalog) = doc.get_object_mut(root).and_then(Object::as_dict_mut)
    {
        catalog.set("Lang", Object::string_literal(info.language));
        catalog.set(
            "ViewerPreferences",
            Dictionary::from_iter([("DisplayDocTitle", Object::Boolean(true))]),
        );
    }

    let (year, month, day) = info.date;
    let date = format!("D:{year:04}{month:02}{day:02}000000Z");
    let text = |value: &str| Object::String(utf16_be(value), StringFormat::Hexadecimal);
    let fields = Dictionary::from_iter([
        ("Title", text(info.title)),
        ("Subject", text(info.subject)),
        ("Creator", text("handout")),
        (
            "Producer",
            text(concat!(
                "handout ",
                env!("CARGO_PKG_VERSION"),
                " with printpdf"
            )),
        ),
        ("CreationDate", Object::string_literal(date.clone())),
        ("ModDate", Object::string_literal(date)),
    ]);
    match doc.trailer.get(b"Info").cloned() {
        Ok(Object::Reference(id)) => {
            doc.objects.insert(id, Object::Dictionary(fields));
        }
        _ => {
            let id = doc.add_object(Object::Dictionary(fields));
            doc.trailer.set("Info", Object::Reference(id));
        }
    }
}

//! Encodes a laid-out page into a compressed PDF content stream, in any
//! thread: text runs as TJ arrays of subset glyph ids, rules and boxes as
//! paths.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::io;
use std::sync::Arc;

use super::PdfFonts;
#[cfg(doc)]
use super::body_key::BodyKey;
use super::drawn_glyphs;
use super::font::Subset;
use super::syntax::{color, deflate, deflate_one_off, hex, number, utf16_be};
use super::tags::Mark;
use crate::fonts::Face;
use crate::glyphs::GlyphUse;
use crate::page::{Color, Element, Page, Path, PathOp, TextRun};

/// A page, encoded and compressed, ready to be appended: drawn in two
/// content streams, the page less its personal lines and then those lines
/// (see [`Role::is_personal`](crate::role::Role::is_personal)).
#[derive(Debug, Clone)]
pub(crate) struct PageContent {
    pub(super) width: f32,
    pub(super) height: f32,
    /// The page less its personal lines: the same bytes, compressed once
    /// and shared, for every page of a thread drawn from the same (see
    /// `DRAWN` in the parent module).
    pub(super) body: Arc<[u8]>,
    /// The personal lines, if the page has any.
    pub(super) personal: Option<Vec<u8>>,
    /// The faces it draws, each with its resource name and subset.
    pub(super) faces: Arc<BTreeMap<Face, FaceMap>>,
    /// Whether the page holds marked content, which the structure tree
    /// reaches through the page's `StructParents`.
    pub(super) tagged: bool,
    /// The link over the page's words for more information, if it has
    /// them.
    pub(super) link: Option<PageLink>,
}

impl PageContent {
    /// A page with nothing on it.
    pub(super) fn blank(width: f32, height: f32) -> PageContent {
        PageContent {
            width,
            height,
            body: compressed_once(Vec::new()),
            personal: None,
            faces: Arc::default(),
            tagged: false,
            link: None,
        }
    }
}

/// How many streams each thread keeps compressed by their bytes (see
/// [`compressed_once`]).
const KEPT_STREAMS: usize = 48;

thread_local! {
    /// The streams this thread compressed last, by their bytes.
    static STREAMS: RefCell<ByContent<Vec<u8>, Arc<[u8]>>> = RefCell::default();
}

/// A map keyed by a stream's bytes, hashed by [`ContentHasher`].
pub(super) type ByContent<K, V> = HashMap<K, V, BuildHasherDefault<ContentHasher>>;

/// Hashes bytes eight at a time, as rustc's FxHasher does: a page's body
/// is 25 KB, which the standard SipHash took 90,000 instructions to hash.
/// It does not resist chosen collisions, which are harmless here: the keys
/// are pages the program drew, and a collision costs only a comparison.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct ContentHasher(u64);

impl ContentHasher {
    fn mix(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for ContentHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            self.mix(u64::from_le_bytes(word.try_into().expect("eight bytes")));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut last = [0; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.mix(u64::from_le_bytes(last));
        }
    }

    fn write_usize(&mut self, value: usize) {
        self.mix(value as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// `bytes` compressed: once for all the files of a thread that hold the
/// same, such as the structure elements of a page's body (see
/// `PdfWriter::flush_shared`). Bodies themselves are kept by what they are
/// drawn from, not by their bytes (see `DRAWN`).
pub(super) fn compressed_once(bytes: Vec<u8>) -> Arc<[u8]> {
    STREAMS.with_borrow_mut(|streams| {
        if let Some(compressed) = streams.get(&bytes) {
            return compressed.clone();
        }
        let compressed: Arc<[u8]> = deflate(&bytes).into();
        if streams.len() >= KEPT_STREAMS {
            streams.clear();
        }
        streams.insert(bytes, compressed.clone());
        compressed
    })
}

/// A link annotation over words on a page, in PDF coordinates (y up).
#[derive(Debug, Clone)]
pub(crate) struct PageLink {
    /// The address it opens.
    pub(super) uri: String,
    /// The box around every line of its words: left, bottom, right, top.
    pub(super) rect: [f32; 4],
    /// Each line's box as four corners, as `QuadPoints` gives them.
    pub(super) quads: Vec<[f32; 8]>,
    /// Its words, for the annotation's `Contents`.
    pub(super) text: String,
}

/// The link over a page's words of `Role::Link`, which open `uri`.
fn page_link(page: &Page, uri: Option<&str>) -> Option<PageLink> {
    let uri = uri?;
    let runs: Vec<&TextRun> = page
        .elements
        .iter()
        .filter_map(|element| match element {
            Element::Text(run) if run.role == crate::role::Role::Link => Some(run),
            _ => None,
        })
        .collect();
    if runs.is_empty() {
        return None;
    }
    let quads: Vec<[f32; 8]> = runs
        .iter()
        .map(|run| {
            let (left, right) = (run.x, run.x + run.width());
            let bottom = page.height - (run.baseline + 0.25 * run.size);
            let top = page.height - (run.baseline - 0.8 * run.size);
            [left, top, right, top, left, bottom, right, bottom]
        })
        .collect();
    let rect = quads.iter().fold(
        [
            f32::INFINITY,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::NEG_INFINITY,
        ],
        |[l, b, r, t], quad| {
            [
                l.min(quad[0]),
                b.min(quad[5]),
                r.max(quad[2]),
                t.max(quad[1]),
            ]
        },
    );
    let text = runs
        .iter()
        .map(|run| run.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    Some(PageLink {
        uri: uri.to_string(),
        rect,
        quads,
        text,
    })
}

/// One face as a document uses it: its resource name and its subset.
#[derive(Debug)]
pub(super) struct FaceMap {
    pub(super) resource: String,
    pub(super) subset: Arc<Subset>,
    /// How the subset numbers and reads the glyphs the page's body may
    /// draw, those not only the personal lines': each one's id in the
    /// face, in the subset and its text, for the [`BodyKey`].
    pub(super) shared_glyphs: Vec<u8>,
    /// Whether the subset holds glyphs only the personal lines draw: a
    /// subset other patients' files are less likely to hold.
    pub(super) personal: bool,
}

/// Encodes pages that draw given glyphs, in any thread.
#[derive(Debug, Clone)]
pub(crate) struct PageEncoder {
    faces: Arc<BTreeMap<Face, FaceMap>>,
}

impl PageEncoder {
    /// An encoder for pages that draw `glyphs`, with a subset of each face
    /// that holds them, from `fonts`.
    pub(crate) fn new(glyphs: &GlyphUse, fonts: &PdfFonts) -> io::Result<PageEncoder> {
        let mut faces = BTreeMap::new();
        for (index, &face) in glyphs.faces().keys().enumerate() {
            let ordered = glyphs.in_subset_order(face);
            let subset = fonts.subset(face, &ordered)?;
            // The personal lines' own glyphs come last.
            let shared = &ordered[..ordered.len() - glyphs.personal_count(face)];
            let mut shared_glyphs = Vec::with_capacity(8 * shared.len());
            for (id, _) in shared {
                let mapped = subset.glyph(*id).ok_or_else(|| missing(face, Some(*id)))?;
                shared_glyphs.extend_from_slice(&id.to_le_bytes());
                shared_glyphs.extend_from_slice(&mapped.id.to_le_bytes());
                shared_glyphs.extend_from_slice(&mapped.width.to_bits().to_le_bytes());
                shared_glyphs.extend_from_slice(&(mapped.text.len() as u16).to_le_bytes());
                shared_glyphs.extend_from_slice(mapped.text.as_bytes());
            }
            faces.insert(
                face,
                FaceMap {
                    resource: format!("F{index}"),
                    subset,
                    shared_glyphs,
                    personal: shared.len() < ordered.len(),
                },
            );
        }
        Ok(PageEncoder {
            faces: Arc::new(faces),
        })
    }

    /// The faces it draws, each with its resource name and subset.
    pub(super) fn faces(&self) -> &BTreeMap<Face, FaceMap> {
        &self.faces
    }

    /// Encodes and compresses one page. Every glyph must be among those the
    /// [`PdfWriter`] was made for.
    /// `marks` are the page's [`super::tags::marks`]; `body` its body,
    /// if a page with the same [`BodyKey`] was encoded before.
    pub(crate) fn encode(
        &self,
        page: &Page,
        marks: &[Mark],
        body: Option<Arc<[u8]>>,
        link: Option<&str>,
    ) -> io::Result<PageContent> {
        let body = match body {
            Some(body) => {
                // Every test that draws a body twice checks that the key
                // holds all that the body's bytes depend on.
                #[cfg(debug_assertions)]
                assert_eq!(
                    deflate(&self.part(page, marks, false)?),
                    *body,
                    "two bodies with the same key were drawn differently"
                );
                body
            }
            None => deflate(&self.part(page, marks, false)?).into(),
        };
        let personal = self.part(page, marks, true)?;
        Ok(PageContent {
            width: page.width,
            height: page.height,
            body,
            personal: (!personal.is_empty()).then(|| deflate_one_off(&personal)),
            faces: self.faces.clone(),
            tagged: marks.iter().any(|mark| matches!(mark, Mark::Content(..))),
            link: page_link(page, link),
        })
    }

    /// The content of the page's personal lines, or of the rest of it, each
    /// from a fresh text state: the personal lines are drawn after
    /// whichever body was compressed.
    fn part(&self, page: &Page, marks: &[Mark], personal: bool) -> io::Result<Vec<u8>> {
        let mut out = Vec::with_capacity(if personal { 1024 } else { 32 * 1024 });
        let mut state = TextState::default();
        for (item, mark) in page.elements.iter().zip(marks) {
            if item.role().is_personal() == personal {
                self.element(&mut out, item, *mark, page.height, &mut state)?;
            }
        }
        Ok(out)
    }

    /// Writes one element as content, with its marked-content id, or as
    /// an artifact: a tagged PDF leaves nothing unmarked.
    fn element(
        &self,
        out: &mut Vec<u8>,
        item: &Element,
        mark: Mark,
        page_height: f32,
        state: &mut TextState,
    ) -> io::Result<()> {
        match mark {
            Mark::Content(kind, mcid) => {
                out.push(b'/');
                out.extend_from_slice(kind.as_bytes());
                out.extend_from_slice(b" <</MCID ");
                out.extend_from_slice(mcid.to_string().as_bytes());
                out.extend_from_slice(b">> BDC ");
            }
            Mark::Artifact => out.extend_from_slice(b"/Artifact BMC "),
        }
        match item {
            Element::Rect(rect) => {
                out.extend_from_slice(b"q ");
                if let Some(fill) = rect.fill {
                    color(out, fill, b"rg");
                }
                if let Some((stroke, width)) = rect.stroke {
                    color(out, stroke, b"RG");
                    number(out, width);
                    out.extend_from_slice(b"w ");
                }
                for value in [
                    rect.x,
                    page_height - rect.y - rect.height,
                    rect.width,
                    rect.height,
                ] {
                    number(out, value);
                }
                out.extend_from_slice(match (rect.fill, rect.stroke) {
                    (Some(_), Some(_)) => b"re B Q\n",
                    (Some(_), None) => b"re f Q\n",
                    (None, _) => b"re S Q\n",
                });
            }
            Element::Rule(rule) => {
                out.extend_from_slice(b"q ");
                color(out, rule.color, b"RG");
                number(out, rule.thickness);
                out.extend_from_slice(b"w ");
                let y = page_height - rule.y;
                for value in [rule.x, y] {
                    number(out, value);
                }
                out.extend_from_slice(b"m ");
                for value in [rule.x_end, y] {
                    number(out, value);
                }
                out.extend_from_slice(b"l S Q\n");
            }
            Element::Path(path) => encode_path(out, path, page_height),
            Element::Text(run) => self.text(out, run, page_height, state)?,
        }
        out.extend_from_slice(b"EMC\n");
        Ok(())
    }

    /// Writes a run as a text object: its font and colour where they differ
    /// from the run before, its place, and its glyphs as TJ strings.
    fn text(
        &self,
        out: &mut Vec<u8>,
        run: &TextRun,
        page_height: f32,
        state: &mut TextState,
    ) -> io::Result<()> {
        let face = self
            .faces
            .get(&run.face)
            .ok_or_else(|| missing(run.face, None))?;
        out.extend_from_slice(b"BT ");
        if state.font != Some((run.face, run.size)) {
            out.push(b'/');
            out.extend_from_slice(face.resource.as_bytes());
            out.push(b' ');
            number(out, run.size);
            out.extend_from_slice(b"Tf ");
            state.font = Some((run.face, run.size));
        }
        if state.fill != Some(run.color) {
            color(out, run.color, b"rg");
            state.fill = Some(run.color);
        }
        // BT starts from the identity matrix, so a move is the run's place.
        number(out, run.x);
        number(out, page_height - run.baseline);
        out.extend_from_slice(b"Td ");
        let (lead, glyphs) =
            drawn_glyphs(run, &face.subset).map_err(|id| missing(run.face, Some(id)))?;
        // Where a glyph's ToUnicode entry does not give the text it was
        // drawn for (a cluster's later glyphs, a glyph two texts share), a
        // left-to-right run gives its text as ActualText. A right-to-left
        // run gives it by its glyphs' values alone (see `unicode_value`).
        let whole = !run.right_to_left && glyphs.iter().any(|glyph| !glyph.read_right);
        if whole {
            actual_text(out, &run.text);
        }
        let mut tj = Tj::default();
        if lead != 0.0 {
            tj.number(out, lead);
        }
        let mut rise = 0.0;
        for glyph in &glyphs {
            if glyph.rise != rise {
                tj.close(out);
                rise = glyph.rise;
                number(out, rise * run.size);
                out.extend_from_slice(b"Ts ");
            }
            tj.glyph(out, glyph.id);
            if glyph.adjust != 0.0 {
                tj.number(out, glyph.adjust);
            }
        }
        tj.close(out);
        if rise != 0.0 {
            out.extend_from_slice(b"0 Ts ");
        }
        if whole {
            out.extend_from_slice(b"EMC ");
        }
        out.extend_from_slice(b"ET\n");
        Ok(())
    }
}

/// Opens a span whose text is `text` (ActualText), for the glyphs that
/// follow up to its `EMC`.
fn actual_text(out: &mut Vec<u8>, text: &str) {
    out.extend_from_slice(b"/Span <</ActualText <");
    hex(out, &utf16_be(text));
    out.extend_from_slice(b">>> BDC ");
}

/// A TJ array being written: glyphs with no number between them share one
/// string, each id its two bytes as they are, half the bytes of hex and
/// fewer again once compressed.
#[derive(Debug, Default)]
struct Tj {
    /// Whether the array is open.
    open: bool,
    /// Whether a string in it is open.
    in_string: bool,
}

impl Tj {
    fn glyph(&mut self, out: &mut Vec<u8>, id: u16) {
        if !self.open {
            out.push(b'[');
            self.open = true;
        }
        if !self.in_string {
            out.push(b'(');
            self.in_string = true;
        }
        literal_bytes(out, &id.to_be_bytes());
    }

    /// A move after the glyphs so far, in 1/1000 em, positive leftwards.
    fn number(&mut self, out: &mut Vec<u8>, value: f32) {
        if self.in_string {
            out.push(b')');
            self.in_string = false;
        }
        if !self.open {
            out.push(b'[');
            self.open = true;
        }
        number(out, value);
    }

    /// Ends the array, if one is open, with its operator.
    fn close(&mut self, out: &mut Vec<u8>) {
        if self.in_string {
            out.push(b')');
            self.in_string = false;
        }
        if self.open {
            out.extend_from_slice(b"]TJ ");
            self.open = false;
        }
    }
}

/// The text state a content stream has set outside any `q`/`Q`: the
/// font and size, and the fill colour, of the last run written.
#[derive(Debug, Default)]
struct TextState {
    font: Option<(Face, f32)>,
    fill: Option<Color>,
}

/// Writes bytes inside a literal string: each as it is, but for the three
/// a string must escape and a carriage return, which a reader would take
/// for a line end.
fn literal_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    for &byte in bytes {
        match byte {
            b'(' | b')' | b'\\' => out.extend_from_slice(&[b'\\', byte]),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(byte),
        }
    }
}

/// A drawn shape: filled by the non-zero rule, then outlined with round
/// joins, as the SVG preview draws it.
fn encode_path(out: &mut Vec<u8>, path: &Path, page_height: f32) {
    out.extend_from_slice(b"q ");
    if let Some(fill) = path.fill {
        color(out, fill, b"rg");
    }
    if let Some((stroke, width)) = path.stroke {
        color(out, stroke, b"RG");
        number(out, width);
        out.extend_from_slice(b"w 1 j 1 J ");
    }
    // To a hundredth of a point, a thirtieth of a 2,400 dpi printer's dot:
    // a pictogram's hundreds of points are the bulk of a page's drawing.
    let hundredths = |value: f32| (value * 100.0).round() / 100.0;
    for op in &path.ops {
        for [x, y] in op.points() {
            number(out, hundredths(x));
            number(out, hundredths(page_height - y));
        }
        out.extend_from_slice(match op {
            PathOp::Move(..) => b"m ",
            PathOp::Line(..) => b"l ",
            PathOp::Cubic(..) => b"c ",
            PathOp::Close => b"h ",
        });
    }
    out.extend_from_slice(match (path.fill, path.stroke) {
        (Some(_), Some(_)) => b"B Q\n",
        (Some(_), None) => b"f Q\n",
        (None, Some(_)) => b"S Q\n",
        (None, None) => b"n Q\n",
    });
}

fn missing(face: Face, glyph: Option<u16>) -> io::Error {
    let what = glyph.map_or_else(
        || format!("face {face:?}"),
        |id| format!("glyph {id} of {face:?}"),
    );
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("{what} was not among the glyphs the page was to draw"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::role::Role;

    #[test]
    fn a_path_is_drawn_with_y_up_and_filled_then_stroked_with_round_joins() {
        let path = Path {
            ops: vec![
                PathOp::Move(10.0, 20.0),
                PathOp::Line(30.0, 20.0),
                PathOp::Cubic([30.0, 25.0], [20.0, 30.0], [10.0, 30.0]),
                PathOp::Close,
            ],
            fill: Some(Color(0xb4, 0x23, 0x18)),
            stroke: Some((Color(0, 0, 0), 0.5)),
            role: Role::Decoration,
        };
        let mut out = Vec::new();
        encode_path(&mut out, &path, 100.0);
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("q "), "{text}");
        assert!(
            text.ends_with("0.5 w 1 j 1 J 10 80 m 30 80 l 30 75 20 70 10 70 c h B Q\n"),
            "{text}"
        );
    }
}

//! Writes a PDF's objects as they come, each face embedded once: the
//! colour profile, then each document's page bodies, their structure and
//! the fonts they draw, then its pages' personal lines, and last the page
//! tree, the catalog and the cross-reference stream. What files for
//! different patients may share comes first (see [`Prefixes`]). Every
//! object that is not a stream is packed, compressed, into an object
//! stream: a handout's eighty-odd structure elements and dictionaries take
//! a fifth of the bytes they would as plain objects.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::sync::Arc;

use lopdf::{Dictionary, Object, StringFormat};
use sha2::{Digest, Sha256};

use super::encode::{ByContent, FaceMap, PageContent, PageLink, compressed_once};
use super::font::Subset;
use super::syntax::{Deflater, deflate_one_off, deflate_small_shared, hex, serialize, utf16_be};
use super::tags::{Kid, Node};
use crate::document::DocumentInfo;
use crate::fonts::Face;

/// Reserved object numbers; pages and fonts follow.
const CATALOG: u32 = 1;
const PAGES: u32 = 2;
const INFO: u32 = 3;
const STRUCT_TREE: u32 = 4;
const DOCUMENT: u32 = 5;
const METADATA: u32 = 6;
const OUTPUT_PROFILE: u32 = 7;
const FIRST_FREE: u32 = 8;

/// Every file's first bytes: the binary comment tells transfer programs the
/// file is not text.
const HEADER: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n";

/// A stream object's closing bytes, after its content.
const STREAM_END: &[u8] = b"\nendstream\nendobj\n";

thread_local! {
    /// The SHA-256 states after the beginnings this thread's files
    /// share: see [`Prefixes`].
    static PREFIXES: RefCell<Prefixes> = RefCell::default();
}

/// The SHA-256 state after each beginning of a file that later files may
/// start with too, as a chain of the chunks written: the header, a page's
/// body, its structure elements, the sRGB profile, the font subsets. Files
/// for patients given the same page share these bytes, the bulk of a
/// handout, and each takes the state after them instead of hashing them
/// again; they are written first, and what is the patient's own after.
#[derive(Default)]
struct Prefixes {
    /// By the beginning a chunk follows (0 for the file's start) and the
    /// chunk's bytes: the beginning it ends, and the state there.
    after: HashMap<u64, ByContent<Arc<[u8]>, Reckoned>>,
    /// How many bytes the chunks `after` holds take: most are shared with
    /// the caches that made them (a body, a font's program), and cost
    /// nothing more while those keep them.
    bytes: usize,
    /// The number of the next beginning: never reused, so that a chunk
    /// kept after its beginning was dropped is never met again.
    next: u64,
}

/// A beginning's number and the SHA-256 state after it.
type Reckoned = (u64, Sha256);

/// How many bytes of chunks a thread keeps the states after: the shared
/// beginnings of some hundreds of handouts.
const KEPT_PREFIX_BYTES: usize = 4 << 20;

impl Prefixes {
    /// The beginning that `chunk` after `before` ends, and the state
    /// there, if kept.
    fn get(&self, before: u64, chunk: &[u8]) -> Option<&Reckoned> {
        self.after.get(&before)?.get(chunk)
    }

    /// Keeps the state after `chunk` after `before`: the number of the
    /// beginning they make.
    fn insert(&mut self, before: u64, chunk: Arc<[u8]>, state: Sha256) -> u64 {
        if self.bytes + chunk.len() > KEPT_PREFIX_BYTES {
            self.after.clear();
            self.bytes = 0;
        }
        self.next += 1;
        self.bytes += chunk.len();
        self.after
            .entry(before)
            .or_default()
            .insert(chunk, (self.next, state));
        self.next
    }
}

/// The program that made a file, and that wrote it, as both the Info
/// dictionary and the XMP say: PDF/A asks that the two agree.
const CREATOR: &str = "handout";
const PRODUCER: &str = concat!("handout ", env!("CARGO_PKG_VERSION"));

/// The sRGB colour profile every file embeds as its output intent (see
/// `color/README.md`).
const SRGB_ICC: &[u8] = include_bytes!("../../../../color/sRGB-v4.icc");

/// The profile, compressed once for every file a process writes.
static SRGB_COMPRESSED: std::sync::LazyLock<Arc<[u8]>> =
    std::sync::LazyLock::new(|| deflate_small_shared(SRGB_ICC).into());

/// How many objects one object stream holds at most: enough that a
/// handout's go in one, few enough that a day's file keeps little in
/// memory, and below the 65,536 a cross-reference entry's index can name.
const PACK_LIMIT: usize = 256;

/// Where an object is, packed in one `u64` so that a day's file of a
/// million objects keeps 8 MB of them: nowhere yet (0), at a byte offset in
/// the file, or the `index`th object of an object stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Place(u64);

impl Place {
    const UNWRITTEN: Place = Place(0);
    const PACKED: u64 = 1 << 63;

    fn at(offset: u64) -> Place {
        debug_assert!(offset > 0 && offset < Self::PACKED);
        Place(offset)
    }

    fn packed(stream: u32, index: usize) -> Place {
        debug_assert!(index < PACK_LIMIT);
        Place(Self::PACKED | (u64::from(stream) << 16) | index as u64)
    }

    /// The entry's type, its second field (an offset or the object
    /// stream's number) and its third (the index in that stream).
    fn entry(self) -> (u8, u64, u16) {
        if self == Self::UNWRITTEN {
            (0, 0, 0)
        } else if self.0 & Self::PACKED != 0 {
            (2, (self.0 & !Self::PACKED) >> 16, self.0 as u16)
        } else {
            (1, self.0, 0)
        }
    }
}

/// The tag of a row given as its difference from the row above, in the
/// PNG predictors a PDF stream may use.
const PNG_UP: u8 = 2;

/// Every object's [`Place`], by object number - 1, kept in chunks of a
/// fixed size: a day's file grows to hundreds of thousands of objects,
/// and one vector would double into as much room again, and copy itself
/// each time.
struct Places {
    chunks: Vec<Vec<Place>>,
    len: usize,
}

impl Places {
    const CHUNK: usize = 1 << 14;

    /// `len` objects, none written yet.
    fn new(len: usize) -> Places {
        let mut places = Places {
            chunks: Vec::new(),
            len: 0,
        };
        for _ in 0..len {
            places.push(Place::UNWRITTEN);
        }
        places
    }

    fn len(&self) -> usize {
        self.len
    }

    fn push(&mut self, place: Place) {
        if self.len.is_multiple_of(Self::CHUNK) {
            // A handout's file has a hundred objects or so: its first chunk
            // grows as it needs, the others are made whole.
            self.chunks.push(match self.chunks.is_empty() {
                true => Vec::new(),
                false => Vec::with_capacity(Self::CHUNK),
            });
        }
        self.chunks
            .last_mut()
            .expect("a chunk was just made")
            .push(place);
        self.len += 1;
    }

    /// Sets the place of object `id`.
    fn set(&mut self, id: u32, place: Place) {
        let index = (id - 1) as usize;
        self.chunks[index / Self::CHUNK][index % Self::CHUNK] = place;
    }

    fn iter(&self) -> impl Iterator<Item = Place> + '_ {
        self.chunks.iter().flatten().copied()
    }
}

/// Objects waiting for the next object stream: each one's number and
/// where its bytes start in `body`.
#[derive(Default)]
struct Pack {
    objects: Vec<(u32, usize)>,
    body: Vec<u8>,
}

/// Counts and hashes what is written, for the cross-reference table and a
/// content-derived `/ID`.
struct Output<W: Write> {
    inner: W,
    written: u64,
    hash: Sha256,
    /// While all written is shared chunks, the beginning they make (see
    /// [`Prefixes`]).
    prefix: Option<u64>,
}

impl<W: Write> Output<W> {
    /// Writes a chunk that other files may begin with too: if all written
    /// before was such chunks, its hash is taken from the last file that
    /// began so, or kept for the next, with the chunk as `keep` gives it.
    fn write_shared(&mut self, chunk: &[u8], keep: impl FnOnce() -> Arc<[u8]>) -> io::Result<()> {
        let Some(before) = self.prefix else {
            return self.write_all(chunk);
        };
        self.inner.write_all(chunk)?;
        self.written += chunk.len() as u64;
        let kept = PREFIXES.with_borrow(|prefixes| prefixes.get(before, chunk).cloned());
        self.prefix = Some(match kept {
            Some((after, state)) => {
                self.hash = state;
                after
            }
            None => {
                self.hash.update(chunk);
                let state = self.hash.clone();
                let chunk = keep();
                PREFIXES.with_borrow_mut(|prefixes| prefixes.insert(before, chunk, state))
            }
        });
        Ok(())
    }
}

impl<W: Write> Write for Output<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(bytes)?;
        self.written += n as u64;
        self.hash.update(&bytes[..n]);
        self.prefix = None;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// A PDF written page by page.
pub(crate) struct PdfWriter<W: Write> {
    out: Output<W>,
    /// Where each object is.
    places: Places,
    /// Objects not yet packed into an object stream.
    pack: Pack,
    /// The personal lines' content streams not yet written, with their
    /// numbers (see `write_personal`).
    personal: Vec<(u32, Vec<u8>)>,
    /// While a file of one document adds its structure, the elements of
    /// its pages' bodies, packed apart from the rest (see `flush_shared`).
    shared: Option<Pack>,
    kids: Vec<u32>,
    info: DocumentInfo,
    /// The structure elements the `Document` element holds.
    structure: Vec<u32>,
    /// The parent tree's entries: for each page with marked content, its
    /// `StructParents` key (twice its index) and the array of the
    /// structure elements its marked-content ids belong to; for each link
    /// annotation, its `StructParent` key (the next) and its element.
    parent_tree: Vec<(usize, u32)>,
    /// The link annotation of each page that has one, by page index.
    annotations: BTreeMap<usize, u32>,
    /// The bookmarks of a file of many documents.
    outline: Outline,
    /// The page bodies written so far, each object drawn by every page
    /// with the same body (see [`PageContent::body`]): a clinic day's file
    /// holds each way its advice was set once, not once a patient.
    bodies: ByContent<Arc<[u8]>, u32>,
    /// Each font subset written, by its [`Subset::id`], with its font
    /// object: pages that draw the same subset share it.
    fonts: HashMap<[u8; 32], u32>,
    /// Each set of fonts a page draws, by resource name and subset, with
    /// the resource dictionary that names them.
    resources: HashMap<Vec<(String, [u8; 32])>, u32>,
    /// The resource dictionaries numbered but not yet written, with the
    /// subsets they name (see `write_resources`).
    unwritten_resources: Vec<(u32, PageFonts)>,
}

/// The fonts a page draws: each one's resource name and subset, and
/// whether the subset holds glyphs of the personal lines' own.
type PageFonts = Vec<(String, Arc<Subset>, bool)>;

/// How many page bodies a file remembers for the pages after: a day's
/// patients are given the same advice in a few ways.
const KEPT_BODIES: usize = 64;

/// A file's bookmarks, one for each document in it, written as they come:
/// each is written once the next is known, so that a day's thousands keep
/// no more than one in memory.
#[derive(Debug, Default)]
struct Outline {
    /// The outline's own object, once there is a bookmark.
    root: Option<u32>,
    /// The first bookmark.
    first: u32,
    /// How many bookmarks there are.
    count: usize,
    /// The last bookmark, not yet written: its number, the one before it,
    /// its words and its page's object.
    last: Option<(u32, Option<u32>, String, u32)>,
}

impl<W: Write> PdfWriter<W> {
    /// Starts a document, to which pages are added as they come, each
    /// with the font subsets it draws.
    pub(crate) fn new(out: W, info: &DocumentInfo) -> io::Result<Self> {
        let mut pdf = PdfWriter {
            out: Output {
                inner: out,
                written: 0,
                hash: Sha256::new(),
                prefix: Some(0),
            },
            places: Places::new((FIRST_FREE - 1) as usize),
            pack: Pack::default(),
            personal: Vec::new(),
            shared: None,
            kids: Vec::new(),
            info: info.clone(),
            structure: Vec::new(),
            parent_tree: Vec::new(),
            annotations: BTreeMap::new(),
            outline: Outline::default(),
            bodies: ByContent::default(),
            fonts: HashMap::new(),
            resources: HashMap::new(),
            unwritten_resources: Vec::new(),
        };
        pdf.out.write_shared(HEADER, || HEADER.into())?;
        // PDF/A: what the pages' RGB colours mean.
        pdf.write_shared_stream(OUTPUT_PROFILE, "/N 3/Filter/FlateDecode", &SRGB_COMPRESSED)?;
        Ok(pdf)
    }

    /// Adds the structure of the pages from `first` on: the elements
    /// [`tags::structure`] made of their document, in a `Part` in language
    /// `part` when the file holds many documents. Each element and each
    /// page's parent array is written now, so that a long file keeps only
    /// their numbers.
    pub(crate) fn add_structure(
        &mut self,
        first: usize,
        nodes: Vec<Node>,
        part: Option<&str>,
    ) -> io::Result<()> {
        let nodes = match part {
            Some(lang) => vec![Node {
                kind: "Part",
                kids: nodes.into_iter().map(Kid::Node).collect(),
                alt: None,
                lang: Some(lang.to_string()),
                personal: false,
            }],
            None => nodes,
        };
        // A file of one document packs the elements of its pages' bodies
        // apart: see `flush_shared`.
        if part.is_none() {
            self.shared = Some(Pack::default());
        }
        // Numbers first, parents before children, so that every element
        // can name its parent, its children and its pages.
        let mut ids = Vec::new();
        for node in &nodes {
            self.number(node, &mut ids);
        }
        let mut parents: BTreeMap<usize, Vec<(u32, u32)>> = BTreeMap::new();
        let mut next = ids.iter().copied();
        for node in &nodes {
            let id = next.next().expect("every element has its number");
            self.structure.push(id);
            self.write_node(node, id, DOCUMENT, first, &mut next, &mut parents)?;
        }
        self.flush_shared()?;
        self.shared = None;
        for (page, mut marks) in parents {
            marks.sort_unstable();
            let array = marks
                .into_iter()
                .map(|(_, id)| Object::Reference((id, 0)))
                .collect();
            let array = self.add(Object::Array(array))?;
            self.parent_tree.push((2 * (first + page), array));
        }
        self.write_resources()?;
        self.write_personal()
    }

    /// Adds a bookmark to page `page` (counted from 0), after those added
    /// before.
    pub(crate) fn add_bookmark(&mut self, page: usize, title: &str) -> io::Result<()> {
        let root = match self.outline.root {
            Some(root) => root,
            None => {
                let root = self.reserve();
                self.outline.root = Some(root);
                root
            }
        };
        let id = self.reserve();
        let before = self.outline.last.take();
        let previous = match before {
            Some((before, prev, title, page)) => {
                self.write_bookmark(root, before, prev, Some(id), &title, page)?;
                Some(before)
            }
            None => {
                self.outline.first = id;
                None
            }
        };
        self.outline.count += 1;
        self.outline.last = Some((id, previous, title.to_string(), self.kids[page]));
        Ok(())
    }

    fn write_bookmark(
        &mut self,
        root: u32,
        id: u32,
        prev: Option<u32>,
        next: Option<u32>,
        title: &str,
        page: u32,
    ) -> io::Result<()> {
        let mut bytes = b"<</Title".to_vec();
        serialize(&mut bytes, &text_string(title));
        let _ = write!(bytes, "/Parent {root} 0 R");
        if let Some(prev) = prev {
            let _ = write!(bytes, "/Prev {prev} 0 R");
        }
        if let Some(next) = next {
            let _ = write!(bytes, "/Next {next} 0 R");
        }
        let _ = write!(bytes, "/Dest[{page} 0 R/Fit]>>");
        self.put_bytes(id, &bytes)
    }

    /// Reserves a number for `node` and each element under it, in the
    /// order [`Self::write_node`] takes them.
    fn number(&mut self, node: &Node, ids: &mut Vec<u32>) {
        ids.push(self.reserve());
        for kid in &node.kids {
            if let Kid::Node(kid) = kid {
                self.number(kid, ids);
            }
        }
    }

    /// Writes `node` as element `id` under `parent`, and the elements under
    /// it, recording each marked content's element by page. Written as
    /// bytes straight away: a handout has some eighty elements, and a day's
    /// file thousands.
    fn write_node(
        &mut self,
        node: &Node,
        id: u32,
        parent: u32,
        first: usize,
        ids: &mut impl Iterator<Item = u32>,
        parents: &mut BTreeMap<usize, Vec<(u32, u32)>>,
    ) -> io::Result<()> {
        use std::fmt::Write as _;
        let home = node.kids.iter().find_map(|kid| match kid {
            Kid::Content { page, .. } => Some(*page),
            Kid::Node(_) | Kid::Annotation { .. } => None,
        });
        let mut out = String::with_capacity(96);
        let _ = write!(out, "<</Type/StructElem/S/{}/P {parent} 0 R", node.kind);
        if let Some(page) = home {
            let _ = write!(out, "/Pg {} 0 R", self.kids[first + page]);
        }
        // One kid is written alone, as most readers of the tree expect.
        out.push_str(if node.kids.len() == 1 { "/K " } else { "/K[" });
        let mut children = Vec::new();
        for (index, kid) in node.kids.iter().enumerate() {
            if index > 0 {
                out.push(' ');
            }
            match kid {
                Kid::Content { page, mcid } => {
                    parents.entry(*page).or_default().push((*mcid, id));
                    if Some(*page) == home {
                        let _ = write!(out, "{mcid}");
                    } else {
                        let _ = write!(
                            out,
                            "<</Type/MCR/Pg {} 0 R/MCID {mcid}>>",
                            self.kids[first + page]
                        );
                    }
                }
                Kid::Node(child) => {
                    let child_id = ids.next().expect("every element has its number");
                    let _ = write!(out, "{child_id} 0 R");
                    children.push((child, child_id));
                }
                Kid::Annotation { page } => {
                    let page = first + page;
                    if let Some(&annotation) = self.annotations.get(&page) {
                        let _ = write!(
                            out,
                            "<</Type/OBJR/Obj {annotation} 0 R/Pg {} 0 R>>",
                            self.kids[page]
                        );
                        self.parent_tree.push((2 * page + 1, id));
                    }
                }
            }
        }
        if node.kids.len() != 1 {
            out.push(']');
        }
        let mut bytes = out.into_bytes();
        if let Some(alt) = &node.alt {
            bytes.extend_from_slice(b"/Alt");
            serialize(&mut bytes, &text_string(alt));
        }
        if let Some(lang) = &node.lang {
            bytes.extend_from_slice(b"/Lang");
            serialize(&mut bytes, &Object::string_literal(lang.as_str()));
        }
        bytes.extend_from_slice(b">>");
        match &mut self.shared {
            Some(shared) if !node.personal => {
                shared.objects.push((id, shared.body.len()));
                shared.body.extend_from_slice(&bytes);
                shared.body.push(b'\n');
                if shared.objects.len() == PACK_LIMIT {
                    self.flush_shared()?;
                }
            }
            _ => self.put_bytes(id, &bytes)?,
        }
        for (child, child_id) in children {
            self.write_node(child, child_id, id, first, ids, parents)?;
        }
        Ok(())
    }

    /// Appends a page.
    pub(crate) fn add_page(&mut self, page: PageContent) -> io::Result<()> {
        let tagged = page.tagged;
        let body = match self.bodies.get(&page.body) {
            Some(&written) => written,
            None => {
                let written = self.reserve();
                self.write_shared_stream(written, "/Filter/FlateDecode", &page.body)?;
                if self.bodies.len() == KEPT_BODIES {
                    self.bodies.clear();
                }
                self.bodies.insert(page.body.clone(), written);
                written
            }
        };
        let contents = match page.personal {
            Some(personal) => {
                // Written after what other files share (see `Prefixes`).
                let id = self.reserve();
                self.personal.push((id, personal));
                Object::Array(vec![
                    Object::Reference((body, 0)),
                    Object::Reference((id, 0)),
                ])
            }
            None => Object::Reference((body, 0)),
        };
        // Numbered after the body, which a file's shared beginning holds
        // (see `Prefixes`), and written after the structure.
        let resources = self.resources(&page.faces);
        let mut page_dict = Dictionary::from_iter([
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
            ("Resources", Object::Reference((resources, 0))),
            ("Contents", contents),
            // Tab order follows the structure.
            ("Tabs", Object::Name(b"S".to_vec())),
        ]);
        let index = self.kids.len();
        if tagged {
            page_dict.set("StructParents", Object::Integer(2 * index as i64));
        }
        if let Some(link) = page.link {
            let annotation = self.add_link(&link, 2 * index + 1)?;
            page_dict.set(
                "Annots",
                Object::Array(vec![Object::Reference((annotation, 0))]),
            );
            self.annotations.insert(index, annotation);
        }
        let id = self.add(Object::Dictionary(page_dict))?;
        self.kids.push(id);
        Ok(())
    }

    /// Writes a link annotation, printed and not drawn, its structure
    /// reached by its `StructParent` key.
    fn add_link(&mut self, link: &PageLink, key: usize) -> io::Result<u32> {
        let numbers =
            |values: &[f32]| Object::Array(values.iter().map(|&v| Object::Real(v)).collect());
        let quads: Vec<f32> = link.quads.iter().flatten().copied().collect();
        let annotation = Dictionary::from_iter([
            ("Type", Object::Name(b"Annot".to_vec())),
            ("Subtype", Object::Name(b"Link".to_vec())),
            ("Rect", numbers(&link.rect)),
            ("QuadPoints", numbers(&quads)),
            ("Border", Object::Array(vec![0.into(), 0.into(), 0.into()])),
            // Printed (PDF/A asks it of every annotation).
            ("F", Object::Integer(4)),
            (
                "A",
                Object::Dictionary(Dictionary::from_iter([
                    ("S", Object::Name(b"URI".to_vec())),
                    ("URI", Object::string_literal(link.uri.as_str())),
                ])),
            ),
            ("Contents", text_string(&link.text)),
            ("StructParent", Object::Integer(key as i64)),
        ]);
        self.add(Object::Dictionary(annotation))
    }

    /// How many pages have been added.
    pub(crate) fn page_count(&self) -> usize {
        self.kids.len()
    }

    /// Writes the page tree and the cross-reference stream:
    /// the output, and the SHA-256 of all that was written to it, which a
    /// manifest takes without reading the file again.
    pub(crate) fn finish(mut self) -> io::Result<(W, [u8; 32])> {
        // Those of pages added after the last structure: blank backs.
        self.write_resources()?;
        self.write_personal()?;
        // The page tree, and the structure: a Document element over every
        // element added, and the tree's root with the parent tree that
        // leads from each page's marked content to its element. A day's
        // file has thousands of each, so they are written as bytes
        // straight away.
        let mut bytes = Vec::with_capacity(16 * self.parent_tree.len().max(self.kids.len()));
        write!(bytes, "<</Type/Pages/Count {}/Kids[", self.kids.len())?;
        references(&mut bytes, self.kids.iter().copied());
        bytes.extend_from_slice(b"]>>");
        self.put_bytes(PAGES, &bytes)?;
        bytes.clear();
        write!(
            bytes,
            "<</Type/StructElem/S/Document/P {STRUCT_TREE} 0 R/K["
        )?;
        references(&mut bytes, std::mem::take(&mut self.structure).into_iter());
        bytes.extend_from_slice(b"]>>");
        self.put_bytes(DOCUMENT, &bytes)?;
        bytes.clear();
        self.parent_tree.sort_unstable();
        write!(
            bytes,
            "<</Type/StructTreeRoot/K {DOCUMENT} 0 R/ParentTree<</Nums["
        )?;
        for (index, &(key, array)) in self.parent_tree.iter().enumerate() {
            let space = if index == 0 { "" } else { " " };
            write!(bytes, "{space}{key} {array} 0 R")?;
        }
        write!(bytes, "]>>/ParentTreeNextKey {}>>", 2 * self.kids.len())?;
        self.put_bytes(STRUCT_TREE, &bytes)?;
        drop(bytes);
        // PDF/A: what the page's RGB colours mean, the profile written
        // first of all (see `PdfWriter::new`).
        let output_intent = Dictionary::from_iter([
            ("Type", Object::Name(b"OutputIntent".to_vec())),
            ("S", Object::Name(b"GTS_PDFA1".to_vec())),
            (
                "OutputConditionIdentifier",
                Object::string_literal("sRGB IEC61966-2.1"),
            ),
            ("Info", Object::string_literal("sRGB IEC61966-2.1")),
            ("DestOutputProfile", Object::Reference((OUTPUT_PROFILE, 0))),
        ]);
        let mut outlines = None;
        if let Some(root) = self.outline.root
            && let Some((last, prev, title, page)) = self.outline.last.take()
        {
            self.write_bookmark(root, last, prev, None, &title, page)?;
            let count = self.outline.count;
            let first = self.outline.first;
            self.put_bytes(
                root,
                format!("<</Type/Outlines/First {first} 0 R/Last {last} 0 R/Count {count}>>")
                    .as_bytes(),
            )?;
            outlines = Some(root);
        }
        // Compressed, as PDF/A-2 allows: PDF/A-1 kept the XMP plain
        // (ISO 19005-1, 6.7.2), a rule ISO 19005-2 dropped. It is a tenth
        // of a handout's bytes plain.
        self.write_stream(
            METADATA,
            "/Type/Metadata/Subtype/XML/Filter/FlateDecode",
            &compressed_xmp(&self.info),
        )?;
        let mut catalog = Dictionary::from_iter([
            ("Type", Object::Name(b"Catalog".to_vec())),
            ("Pages", Object::Reference((PAGES, 0))),
            ("Lang", Object::string_literal(self.info.language.clone())),
            (
                "MarkInfo",
                Object::Dictionary(Dictionary::from_iter([("Marked", Object::Boolean(true))])),
            ),
            ("StructTreeRoot", Object::Reference((STRUCT_TREE, 0))),
            ("Metadata", Object::Reference((METADATA, 0))),
            (
                "OutputIntents",
                Object::Array(vec![Object::Dictionary(output_intent)]),
            ),
            (
                "ViewerPreferences",
                Object::Dictionary(Dictionary::from_iter([(
                    "DisplayDocTitle",
                    Object::Boolean(true),
                )])),
            ),
        ]);
        if let Some(outlines) = outlines {
            // A day's file opens with its bookmarks shown.
            catalog.set("Outlines", Object::Reference((outlines, 0)));
            catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
        }
        self.put(CATALOG, Object::Dictionary(catalog))?;
        let (year, month, day) = self.info.date;
        let date = format!("D:{year:04}{month:02}{day:02}000000Z");
        let text = text_string;
        let info = Dictionary::from_iter([
            ("Title", text(&self.info.title)),
            ("Subject", text(&self.info.subject)),
            ("Creator", text(CREATOR)),
            ("Producer", text(PRODUCER)),
            ("CreationDate", Object::string_literal(date.clone())),
            ("ModDate", Object::string_literal(date)),
        ]);
        self.put(INFO, Object::Dictionary(info))?;

        self.flush_pack()?;
        self.write_xref()?;
        self.out.flush()?;
        Ok((self.out.inner, self.out.hash.finalize().into()))
    }

    /// The resource dictionary naming the fonts a page draws, written
    /// with any font not written before.
    fn resources(&mut self, faces: &BTreeMap<Face, FaceMap>) -> u32 {
        let key: Vec<(String, [u8; 32])> = faces
            .values()
            .map(|face| (face.resource.clone(), face.subset.id))
            .collect();
        if let Some(&resources) = self.resources.get(&key) {
            return resources;
        }
        let resources = self.reserve();
        let fonts = faces
            .values()
            .map(|face| (face.resource.clone(), face.subset.clone(), face.personal))
            .collect();
        self.unwritten_resources.push((resources, fonts));
        self.resources.insert(key, resources);
        resources
    }

    /// Writes the resource dictionaries numbered so far, and the fonts
    /// they name that were not written before. They come after a
    /// document's structure, so that a file's structure elements are
    /// numbered alike whatever faces its byline needs.
    ///
    /// The fonts with no glyph of a patient's own come first: other files
    /// hold them at the same place, and the SHA-256 state after them is
    /// kept (see [`Prefixes`]); an "é" in a name breaks that chain at her
    /// regular face's subset, not before the bold one's.
    fn write_resources(&mut self) -> io::Result<()> {
        let unwritten = std::mem::take(&mut self.unwritten_resources);
        for personal in [false, true] {
            let fonts = unwritten.iter().flat_map(|(_, faces)| faces);
            for (_, subset, _) in fonts.filter(|(_, _, own)| *own == personal) {
                if !self.fonts.contains_key(&subset.id) {
                    let font = self.add_font(subset)?;
                    self.fonts.insert(subset.id, font);
                }
            }
        }
        for (resources, faces) in unwritten {
            let mut bytes = b"<</Font<<".to_vec();
            for (resource, subset, _) in faces {
                let font = self.fonts[&subset.id];
                serialize(&mut bytes, &Object::Name(resource.into_bytes()));
                write!(bytes, " {font} 0 R")?;
            }
            bytes.extend_from_slice(b">>>>");
            self.put_bytes(resources, &bytes)?;
        }
        Ok(())
    }

    /// Writes a subset's program, ToUnicode map, descriptor and font
    /// dictionaries, from the bytes it made once.
    fn add_font(&mut self, subset: &Subset) -> io::Result<u32> {
        let program = self.reserve();
        self.write_shared_stream(
            program,
            &format!("/Length1 {}/Filter/FlateDecode", subset.program_len),
            &subset.program,
        )?;
        let cmap = self.reserve();
        self.write_shared_stream(cmap, "/Filter/FlateDecode", &subset.cmap)?;
        let mut bytes = Vec::with_capacity(subset.descriptor.len() + 32);
        bytes.extend_from_slice(&subset.descriptor);
        write!(bytes, "/FontFile2 {program} 0 R>>")?;
        let descriptor = self.reserve();
        self.put_bytes(descriptor, &bytes)?;

        let mut name = Vec::new();
        serialize(&mut name, &Object::Name(subset.name.as_bytes().to_vec()));
        bytes.clear();
        bytes.extend_from_slice(b"<</Type /Font/Subtype /Type0/BaseFont ");
        bytes.extend_from_slice(&name);
        bytes.extend_from_slice(
            b"/Encoding /Identity-H/DescendantFonts [<</Type /Font/Subtype /CIDFontType2/BaseFont ",
        );
        bytes.extend_from_slice(&name);
        write!(
            bytes,
            "/CIDSystemInfo <</Registry (Adobe)/Ordering (Identity)/Supplement 0>>\
             /FontDescriptor {descriptor} 0 R/W "
        )?;
        bytes.extend_from_slice(&subset.widths);
        write!(
            bytes,
            "/DW 1000/CIDToGIDMap /Identity>>]/ToUnicode {cmap} 0 R>>"
        )?;
        let font = self.reserve();
        self.put_bytes(font, &bytes)?;
        Ok(font)
    }

    /// The next free object number.
    fn reserve(&mut self) -> u32 {
        self.places.push(Place::UNWRITTEN);
        self.places.len() as u32
    }

    /// Writes an object under the next free number.
    fn add(&mut self, object: Object) -> io::Result<u32> {
        let id = self.reserve();
        self.put(id, object)?;
        Ok(id)
    }

    /// Writes an object that is not a stream under a given number, into
    /// the next object stream.
    fn put(&mut self, id: u32, object: Object) -> io::Result<()> {
        debug_assert!(!matches!(object, Object::Stream(_)));
        let mut bytes = Vec::new();
        serialize(&mut bytes, &object);
        self.put_bytes(id, &bytes)
    }

    /// Writes the personal lines of the pages added so far, after all
    /// that other files may share.
    fn write_personal(&mut self) -> io::Result<()> {
        for (id, content) in std::mem::take(&mut self.personal) {
            self.write_stream(id, "/Filter/FlateDecode", &content)?;
        }
        Ok(())
    }

    /// Writes a stream straight into the file under a given number, its
    /// content not copied.
    fn write_stream(&mut self, id: u32, dict: &str, content: &[u8]) -> io::Result<()> {
        self.places.set(id, Place::at(self.out.written));
        self.out.write_all(&stream_head(id, dict, content.len()))?;
        self.out.write_all(content)?;
        self.out.write_all(STREAM_END)
    }

    /// Writes a stream that other files may hold at the same place, as
    /// [`PdfWriter::write_stream`] does, its hash reckoned once for them
    /// all (see [`Prefixes`]).
    fn write_shared_stream(&mut self, id: u32, dict: &str, content: &Arc<[u8]>) -> io::Result<()> {
        self.places.set(id, Place::at(self.out.written));
        let head = stream_head(id, dict, content.len());
        self.out.write_shared(&head, || head.as_slice().into())?;
        self.out.write_shared(content, || content.clone())?;
        self.out.write_shared(STREAM_END, || STREAM_END.into())
    }

    /// Packs an object that is not a stream, already in PDF syntax, under a
    /// given number.
    fn put_bytes(&mut self, id: u32, bytes: &[u8]) -> io::Result<()> {
        self.pack.objects.push((id, self.pack.body.len()));
        self.pack.body.extend_from_slice(bytes);
        self.pack.body.push(b'\n');
        if self.pack.objects.len() == PACK_LIMIT {
            self.flush_pack()?;
        }
        Ok(())
    }

    /// Writes the objects packed so far as one compressed object stream.
    fn flush_pack(&mut self) -> io::Result<()> {
        let pack = std::mem::take(&mut self.pack);
        self.write_pack(pack, |content| deflate_one_off(&content).into(), false)
    }

    /// Writes the structure elements of a document's pages' bodies packed
    /// so far as an object stream of their own: the same bytes for every
    /// patient given the same pages (when her name needs no other face,
    /// which would number the objects otherwise), compressed once for them
    /// all by this thread, as the page bodies are.
    fn flush_shared(&mut self) -> io::Result<()> {
        match self.shared.take() {
            Some(shared) => {
                self.write_pack(shared, compressed_once, true)?;
                self.shared = Some(Pack::default());
                Ok(())
            }
            None => Ok(()),
        }
    }

    /// Writes `pack` as an object stream, its content compressed by
    /// `compress`; `shared` if other files may hold the same (see
    /// [`Prefixes`]).
    fn write_pack(
        &mut self,
        pack: Pack,
        compress: impl FnOnce(Vec<u8>) -> Arc<[u8]>,
        shared: bool,
    ) -> io::Result<()> {
        if pack.objects.is_empty() {
            return Ok(());
        }
        let stream = self.reserve();
        let mut content = Vec::with_capacity(8 * pack.objects.len() + pack.body.len());
        for (index, &(id, start)) in pack.objects.iter().enumerate() {
            self.places.set(id, Place::packed(stream, index));
            let _ = write!(content, "{id} {start} ");
        }
        let first = content.len();
        content.extend_from_slice(&pack.body);
        let dict = format!(
            "/Type/ObjStm/N {}/First {first}/Filter/FlateDecode",
            pack.objects.len()
        );
        let compressed = compress(content);
        match shared {
            true => self.write_shared_stream(stream, &dict, &compressed),
            false => self.write_stream(stream, &dict, &compressed),
        }
    }

    /// Ends the file with a compressed cross-reference stream, which is
    /// its own trailer, and an `/ID` made of everything written before it.
    fn write_xref(&mut self) -> io::Result<()> {
        let id: Vec<u8> = self.out.hash.clone().finalize()[..16].to_vec();
        let xref = self.reserve();
        let at = self.out.written;
        self.places.set(xref, Place::at(at));
        // Entries of three fields: a type byte, an offset or object stream
        // number as wide as the largest needs, and two bytes for the index
        // (and the first entry's generation, 65535).
        let largest = self.places.iter().map(|place| place.entry().1).max();
        let width = (largest.unwrap_or(0).max(1).ilog2() / 8 + 1) as usize;
        // Each row is given as its difference from the row above (PNG's
        // Up predictor), which turns the rising offsets into small numbers
        // that compress well; and compressed a chunk of rows at a time,
        // since a day's file has hundreds of thousands.
        let columns = width + 3;
        let mut rows =
            Vec::with_capacity((columns + 1) * (self.places.len() + 1).min(Places::CHUNK));
        let mut compressed = Deflater::new();
        let (mut above, mut row) = ([0; 11], [0; 11]);
        let entries = std::iter::once((0, 0, u16::MAX)).chain(self.places.iter().map(Place::entry));
        for (kind, field, index) in entries {
            row[0] = kind;
            row[1..=width].copy_from_slice(&field.to_be_bytes()[8 - width..]);
            row[width + 1..columns].copy_from_slice(&index.to_be_bytes());
            rows.push(PNG_UP);
            rows.extend(
                row[..columns]
                    .iter()
                    .zip(&above)
                    .map(|(byte, up)| byte.wrapping_sub(*up)),
            );
            above = row;
            if rows.len() == rows.capacity() {
                compressed.push(&rows);
                rows.clear();
            }
        }
        compressed.push(&rows);
        let compressed = compressed.finish();
        let mut id_hex = Vec::new();
        hex(&mut id_hex, &id);
        let id_hex = String::from_utf8(id_hex).expect("hex digits are ASCII");
        write!(
            self.out,
            "{xref} 0 obj\n<</Type/XRef/Size {}/W[1 {width} 2]/Root {CATALOG} 0 R/Info {INFO} 0 R\
             /ID[<{id_hex}><{id_hex}>]/Filter/FlateDecode\
             /DecodeParms<</Predictor 12/Columns {columns}>>/Length {}>>\nstream\n",
            self.places.len() + 1,
            compressed.len()
        )?;
        self.out.write_all(&compressed)?;
        write!(self.out, "\nendstream\nendobj\nstartxref\n{at}\n%%EOF\n")
    }
}

/// A stream object's opening bytes, up to its content.
fn stream_head(id: u32, dict: &str, length: usize) -> Vec<u8> {
    format!("{id} 0 obj\n<<{dict}/Length {length}>>\nstream\n").into_bytes()
}

/// Writes references to the objects `ids`, a space between each.
fn references(out: &mut Vec<u8>, ids: impl Iterator<Item = u32>) {
    for (index, id) in ids.enumerate() {
        let space = if index == 0 { "" } else { " " };
        let _ = write!(out, "{space}{id} 0 R");
    }
}

/// A text string as PDF keeps one: UTF-16, big-endian, with its mark.
fn text_string(value: &str) -> Object {
    Object::String(utf16_be(value), StringFormat::Hexadecimal)
}

/// The document's XMP metadata: its title and language, the same as the
/// Info dictionary gives them, its dates and producer, and its claims of
/// PDF/UA-1 and PDF/A-2u, with the schema PDF/A asks for of `pdfuaid`,
/// which it does not predefine.
fn xmp(info: &DocumentInfo) -> String {
    let (year, month, day) = info.date;
    let date = format!("{year:04}-{month:02}-{day:02}T00:00:00Z");
    format!(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
         <x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n\
         <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n\
         <rdf:Description rdf:about=\"\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
         xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" \
         xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\" \
         xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\" \
         xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n\
         <dc:format>application/pdf</dc:format>\n\
         <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{title}</rdf:li></rdf:Alt></dc:title>\n\
         <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{subject}</rdf:li></rdf:Alt></dc:description>\n\
         <dc:language><rdf:Bag><rdf:li>{language}</rdf:li></rdf:Bag></dc:language>\n\
         <xmp:CreatorTool>{CREATOR}</xmp:CreatorTool>\n\
         <xmp:CreateDate>{date}</xmp:CreateDate>\n\
         <xmp:ModifyDate>{date}</xmp:ModifyDate>\n\
         <pdf:Producer>{PRODUCER}</pdf:Producer>\n\
         <pdfuaid:part>1</pdfuaid:part>\n\
         <pdfaid:part>2</pdfaid:part>\n\
         <pdfaid:conformance>U</pdfaid:conformance>\n\
         </rdf:Description>\n\
         <rdf:Description rdf:about=\"\" \
         xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\" \
         xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\" \
         xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n\
         <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\n\
         <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\n\
         <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\n\
         <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\n\
         <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">\n\
         <pdfaProperty:name>part</pdfaProperty:name>\n\
         <pdfaProperty:valueType>Integer</pdfaProperty:valueType>\n\
         <pdfaProperty:category>internal</pdfaProperty:category>\n\
         <pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>\n\
         </rdf:li></rdf:Seq></pdfaSchema:property>\n\
         </rdf:li></rdf:Bag></pdfaExtension:schemas>\n\
         </rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>",
        title = xml_escape(&info.title),
        subject = xml_escape(&info.subject),
        language = xml_escape(&info.language),
    )
}

/// The document's XMP, compressed: the same for every handout of a
/// clinic day with one topic and date, so each thread keeps the last it
/// made.
fn compressed_xmp(info: &DocumentInfo) -> Vec<u8> {
    thread_local! {
        static LAST: std::cell::RefCell<(String, Vec<u8>)> = const {
            std::cell::RefCell::new((String::new(), Vec::new()))
        };
    }
    let xmp = xmp(info);
    LAST.with_borrow_mut(|(last, compressed)| {
        if *last != xmp {
            *compressed = deflate_small_shared(xmp.as_bytes());
            *last = xmp;
        }
        compressed.clone()
    })
}

/// `text` with XML's special characters escaped, as the SVG preview
/// escapes it.
fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    crate::svg::syntax::push_escaped(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_past_a_chunk_are_kept_in_order() {
        let len = 2 * Places::CHUNK + 5;
        let mut places = Places::new(3);
        while places.len() < len {
            places.push(Place::UNWRITTEN);
        }
        let chunk = Places::CHUNK as u32;
        let mut written = BTreeMap::new();
        for id in [1, 3, chunk, chunk + 1, len as u32] {
            written.insert(id, Place::at(u64::from(id) * 10));
        }
        written.insert(7, Place::packed(9, 4));
        for (&id, &place) in &written {
            places.set(id, place);
        }
        let all: Vec<Place> = places.iter().collect();
        assert_eq!(all.len(), len);
        for (id, place) in (1..).zip(&all) {
            let expected = written.get(&id).copied().unwrap_or(Place::UNWRITTEN);
            assert_eq!(*place, expected, "object {id}");
        }
        assert_eq!(all[6].entry(), (2, 9, 4));
    }
}

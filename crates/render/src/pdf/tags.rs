//! The structure a screen reader reads a handout by, for a tagged PDF:
//! which of a page's elements are content, each with its marked-content
//! id, and which are artifacts, and the tree of standard structure types
//! over the content, in reading order.
//!
//! Layout lists every page's elements in reading order, each with its
//! role (see [`crate::role`]); that is all this reads. The tree:
//!
//! - the title is an `H1`, the byline, the introduction and the footer a
//!   `P` each, a section's heading an `H2`;
//! - a section's items are an `L`, each item an `LI` with its bullet as
//!   `Lbl` and its text as `LBody`;
//! - the urgent box is a `Div` with its own `H2` and `L`, and the note a
//!   `Div` with its heading as `H2` and its text as `P`;
//! - the code for more information is a `Figure`, whose alternative text
//!   is the address it holds.
//!
//! Rules, panels, the box's frame, a pictogram in a bullet's place (its
//! item's words say what it shows) and a heading set again over the rest
//! of its list are artifacts: a reader meets each word once.

use crate::document::Document;
use crate::page::{Element, Page};
use crate::role::{ListPart, NotePart, Role, UrgentPart};

/// How one element of a page is marked in its content stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mark {
    /// Page furniture a reader skips.
    Artifact,
    /// Content: its structure type, for the marked-content tag, and its
    /// marked-content id on its page.
    Content(&'static str, u32),
}

/// A structure element: its standard type and what it holds, in reading
/// order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    /// The standard structure type, such as "H2" or "LBody".
    pub kind: &'static str,
    /// Its elements and its content.
    pub kids: Vec<Kid>,
    /// A figure's alternative text.
    pub alt: Option<String>,
    /// The language of what it holds, where it is not its parent's.
    pub lang: Option<String>,
    /// Whether it holds any of the personal lines' content (see
    /// [`marks`]): the writer packs the others apart, the same bytes for
    /// every patient given the same page.
    pub personal: bool,
}

/// What a structure element holds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kid {
    /// Another structure element.
    Node(Node),
    /// Marked content: the page, counted from the document's first, and
    /// its marked-content id there.
    Content { page: usize, mcid: u32 },
    /// The link annotation of a page, counted from the document's first.
    Annotation { page: usize },
}

/// The structure type an element of `role` is content of, or `None` for
/// an artifact.
fn kind_of(element: &Element) -> Option<&'static str> {
    let role = element.role();
    let text = matches!(element, Element::Text(_));
    Some(match role {
        Role::Title => "H1",
        Role::Heading | Role::Urgent(UrgentPart::Heading) | Role::Note(NotePart::Heading)
            if text =>
        {
            "H2"
        }
        Role::Byline | Role::Paragraph | Role::Footer | Role::Note(NotePart::Text) if text => "P",
        Role::Link if text => "Link",
        Role::ListItem(ListPart::Label) | Role::Urgent(UrgentPart::Item(ListPart::Label))
            if text =>
        {
            "Lbl"
        }
        Role::ListItem(ListPart::Body) | Role::Urgent(UrgentPart::Item(ListPart::Body)) if text => {
            "LBody"
        }
        Role::Code => "Figure",
        _ => return None,
    })
}

/// How each element of `page` is marked, in order: content numbered from
/// 0 in reading order, the rest artifacts. The personal lines
/// ([`Role::is_personal`]) are numbered after the rest of the page, so that
/// the rest is marked alike whatever the byline and the note hold: the
/// page is drawn in two parts, the rest and then the personal lines (see
/// `encode`), and the structure tree, not the order of drawing, gives the
/// reading order.
pub(crate) fn marks(page: &Page) -> Vec<Mark> {
    let (mut next_shared, mut next_personal) = (0, shared_content(page));
    page.elements
        .iter()
        .map(|element| match kind_of(element) {
            Some(kind) => {
                let next = match element.role().is_personal() {
                    true => &mut next_personal,
                    false => &mut next_shared,
                };
                *next += 1;
                Mark::Content(kind, *next - 1)
            }
            None => Mark::Artifact,
        })
        .collect()
}

/// Where the tree is being added to: the document, or a box it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Top,
    Urgent,
    Note,
}

/// Builds the tree from the elements' roles, in reading order.
struct Builder {
    top: Vec<Node>,
    scope: Scope,
    /// The role of the last element that added to the tree: consecutive
    /// lines of one paragraph join one element.
    last: Option<Role>,
}

impl Builder {
    /// The elements of the current scope.
    fn container(&mut self) -> &mut Vec<Kid> {
        match self.scope {
            Scope::Top => unreachable!("the top is held as nodes"),
            Scope::Urgent | Scope::Note => {
                &mut self.top.last_mut().expect("a box's Div is open").kids
            }
        }
    }

    /// The last node of the current scope, if it is a node.
    fn last_node(&mut self) -> Option<&mut Node> {
        match self.scope {
            Scope::Top => self.top.last_mut(),
            _ => match self.container().last_mut() {
                Some(Kid::Node(node)) => Some(node),
                _ => None,
            },
        }
    }

    fn push(&mut self, node: Node) {
        match self.scope {
            Scope::Top => self.top.push(node),
            _ => self.container().push(Kid::Node(node)),
        }
    }

    /// Enters `scope`, opening its `Div` when it is a box not open yet.
    fn enter(&mut self, scope: Scope) {
        if self.scope != scope {
            self.scope = Scope::Top;
            if scope != Scope::Top {
                self.top.push(node("Div", Vec::new()));
                self.last = None;
            }
            self.scope = scope;
        }
    }

    /// A line of a paragraph or heading: one element for consecutive lines
    /// of the same role.
    fn line(&mut self, role: Role, kind: &'static str, content: Kid) {
        let same = self.last == Some(role);
        match self.last_node() {
            Some(node) if same && node.kind == kind => node.kids.push(content),
            _ => self.push(node(kind, vec![content])),
        }
        self.last = Some(role);
    }

    /// An item's bullet or pictogram: a new `LI`, in the list open or a
    /// new one. A pictogram's shapes after its first are the same item's.
    fn label(&mut self, role: Role, body: Role, content: Option<Kid>) {
        if self.last == Some(role) {
            if let (Some(content), Some(item)) = (content, self.item()) {
                item.kids.push(Kid::Node(node("Lbl", vec![content])));
            }
            return;
        }
        let in_list = matches!(self.last, Some(last) if last == role || last == body);
        let item = node(
            "LI",
            content
                .map(|content| vec![Kid::Node(node("Lbl", vec![content]))])
                .unwrap_or_default(),
        );
        match self.last_node() {
            Some(list) if in_list && list.kind == "L" => list.kids.push(Kid::Node(item)),
            _ => self.push(node("L", vec![Kid::Node(item)])),
        }
        self.last = Some(role);
    }

    /// A line of an item's text, in its `LBody`.
    fn body(&mut self, role: Role, label: Role, content: Kid) {
        let in_item = matches!(self.last, Some(last) if last == role || last == label);
        match self.item().filter(|_| in_item) {
            Some(item) => match item.kids.last_mut() {
                Some(Kid::Node(body)) if body.kind == "LBody" => body.kids.push(content),
                _ => item.kids.push(Kid::Node(node("LBody", vec![content]))),
            },
            // Text of an item with no bullet before it: a paragraph.
            None => self.push(node("P", vec![content])),
        }
        self.last = Some(role);
    }

    /// The last item of the list open.
    fn item(&mut self) -> Option<&mut Node> {
        let list = self.last_node().filter(|node| node.kind == "L")?;
        match list.kids.last_mut() {
            Some(Kid::Node(item)) => Some(item),
            _ => None,
        }
    }
}

fn node(kind: &'static str, kids: Vec<Kid>) -> Node {
    Node {
        kind,
        kids,
        alt: None,
        lang: None,
        personal: false,
    }
}

/// How many of a page's elements are content outside the personal lines:
/// their marked-content ids come first, the personal lines' after.
fn shared_content(page: &Page) -> u32 {
    let shared = page
        .elements
        .iter()
        .filter(|element| !element.role().is_personal() && kind_of(element).is_some());
    shared.count() as u32
}

/// Marks `node`, and each element it holds, personal where it holds
/// content of the personal lines: by marked-content id, on pages whose
/// other content `shared` counts. Returns whether `node` is.
fn mark_personal(node: &mut Node, shared: &[u32]) -> bool {
    let mut personal = false;
    for kid in &mut node.kids {
        personal |= match kid {
            Kid::Node(child) => mark_personal(child, shared),
            Kid::Content { page, mcid } => *mcid >= shared[*page],
            Kid::Annotation { .. } => false,
        };
    }
    node.personal = personal;
    personal
}

/// The elements a document's `Document` element holds, over all its
/// pages: large print's two sides are one document.
pub(crate) fn structure(document: &Document) -> Vec<Node> {
    let mut builder = Builder {
        top: Vec::new(),
        scope: Scope::Top,
        last: None,
    };
    for (index, page) in document.pages.iter().enumerate() {
        for (element, mark) in page.elements.iter().zip(marks(page)) {
            let content = match mark {
                Mark::Content(_, mcid) => Some(Kid::Content { page: index, mcid }),
                Mark::Artifact => None,
            };
            let role = element.role();
            match role {
                Role::Urgent(_) => builder.enter(Scope::Urgent),
                Role::Note(_) => {
                    builder.enter(Scope::Note);
                    // The note in the language the midwife wrote it in.
                    if let Some(note) = builder.top.last_mut() {
                        note.lang.clone_from(&document.info.note_language);
                    }
                }
                // Page furniture does not close a box: the heading set
                // again, large print's page line, rules, the box's frame.
                Role::HeadingAgain | Role::Pagination | Role::Decoration => {}
                _ => builder.enter(Scope::Top),
            }
            let urgent_label = Role::Urgent(UrgentPart::Item(ListPart::Label));
            let urgent_body = Role::Urgent(UrgentPart::Item(ListPart::Body));
            let label = Role::ListItem(ListPart::Label);
            let body = Role::ListItem(ListPart::Body);
            match (role, content) {
                (r, content) if r == label => builder.label(label, body, content),
                (r, content) if r == urgent_label => {
                    builder.label(urgent_label, urgent_body, content)
                }
                (r, Some(content)) if r == body => builder.body(body, label, content),
                (r, Some(content)) if r == urgent_body => {
                    builder.body(urgent_body, urgent_label, content)
                }
                (Role::Link, Some(content)) => {
                    // A link's words, in a paragraph of their own, with the
                    // page's link annotation after them.
                    let continues = builder.last == Some(Role::Link);
                    match builder
                        .last_node()
                        .and_then(|paragraph| paragraph.kids.last_mut())
                    {
                        Some(Kid::Node(link)) if continues && link.kind == "Link" => {
                            link.kids.insert(link.kids.len() - 1, content);
                        }
                        _ => {
                            let link = node("Link", vec![content, Kid::Annotation { page: index }]);
                            builder.push(node("P", vec![Kid::Node(link)]));
                        }
                    }
                    builder.last = Some(role);
                }
                (Role::Code, Some(content)) => {
                    builder.push(Node {
                        alt: document.info.more_info.clone(),
                        ..node("Figure", vec![content])
                    });
                    builder.last = Some(role);
                }
                (_, Some(content)) => {
                    let Mark::Content(kind, _) = mark else {
                        unreachable!("content is marked as content")
                    };
                    builder.line(role, kind, content);
                }
                (_, None) => {}
            }
        }
    }
    let shared: Vec<u32> = document.pages.iter().map(shared_content).collect();
    let mut top = builder.top;
    for node in &mut top {
        mark_personal(node, &shared);
    }
    top
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use lopdf::{Dictionary, Document as Pdf, Object, ObjectId};

    use crate::testing::{arabic, english, handout_of, named};
    use crate::{RenderOptions, Renderer};
    use handout_content::{Patient, Picks, Practice, Pregnancy};

    /// The standard structure types of PDF 1.7 (ISO 32000-1, 14.8.4) that
    /// a handout may use.
    const STANDARD: &[&str] = &[
        "Document", "Part", "Div", "P", "H1", "H2", "H3", "L", "LI", "Lbl", "LBody", "Figure",
        "Link", "Span",
    ];

    fn dict<'a>(pdf: &'a Pdf, object: &'a Object) -> &'a Dictionary {
        match object {
            Object::Reference(id) => pdf.get_dictionary(*id).expect("a dictionary"),
            Object::Dictionary(dict) => dict,
            other => panic!("not a dictionary: {other:?}"),
        }
    }

    /// What the tree holds, walked in order: each element's type and id,
    /// and each marked content as (page id, MCID) with its element.
    #[derive(Default)]
    struct Walk {
        kinds: Vec<String>,
        contents: Vec<((ObjectId, i64), ObjectId)>,
        /// Each link annotation's `StructParent` key, with its element.
        annotations: Vec<(i64, ObjectId)>,
    }

    fn walk(pdf: &Pdf, id: ObjectId, parent: Option<ObjectId>, out: &mut Walk) {
        let element = pdf.get_dictionary(id).unwrap();
        assert_eq!(
            element.get(b"Type").unwrap().as_name().unwrap(),
            b"StructElem"
        );
        let kind =
            String::from_utf8(element.get(b"S").unwrap().as_name().unwrap().to_vec()).unwrap();
        assert!(
            STANDARD.contains(&kind.as_str()),
            "{kind} is no standard type"
        );
        if let Some(parent) = parent {
            assert_eq!(element.get(b"P").unwrap().as_reference().unwrap(), parent);
        }
        out.kinds.push(kind);
        let page = element.get(b"Pg").ok().map(|pg| pg.as_reference().unwrap());
        let kids = match element.get(b"K").unwrap() {
            Object::Array(kids) => kids.clone(),
            kid => vec![kid.clone()],
        };
        for kid in kids {
            match kid {
                Object::Integer(mcid) => out.contents.push(((page.unwrap(), mcid), id)),
                Object::Reference(child) => walk(pdf, child, Some(id), out),
                Object::Dictionary(objr)
                    if objr.get(b"Type").unwrap().as_name().unwrap() == b"OBJR" =>
                {
                    let annotation = objr.get(b"Obj").unwrap().as_reference().unwrap();
                    let annotation = pdf.get_dictionary(annotation).unwrap();
                    assert_eq!(
                        annotation.get(b"Subtype").unwrap().as_name().unwrap(),
                        b"Link"
                    );
                    out.annotations.push((
                        annotation.get(b"StructParent").unwrap().as_i64().unwrap(),
                        id,
                    ));
                }
                Object::Dictionary(mcr) => {
                    assert_eq!(mcr.get(b"Type").unwrap().as_name().unwrap(), b"MCR");
                    let page = mcr.get(b"Pg").unwrap().as_reference().unwrap();
                    let mcid = mcr.get(b"MCID").unwrap().as_i64().unwrap();
                    out.contents.push(((page, mcid), id));
                }
                other => panic!("unexpected kid {other:?}"),
            }
        }
    }

    /// Keys PDF/A-2 forbids wherever they are (ISO 19005-2, 6.1.7, 6.2.4,
    /// 6.2.8, 6.2.9, 6.2.10, 6.5, 6.8): external streams, OPI and
    /// PostScript, transparency, actions that run or launch, embedded
    /// files, encryption.
    const FORBIDDEN: [&[u8]; 11] = [
        b"OPI",
        b"PS",
        b"SMask",
        b"Group",
        b"AA",
        b"JS",
        b"JavaScript",
        b"Launch",
        b"EmbeddedFiles",
        b"Encrypt",
        b"AlternatePresentations",
    ];
    /// Keys a stream may not have under PDF/A-2 (6.1.7): its data in
    /// another file.
    const FORBIDDEN_IN_STREAMS: [&[u8]; 3] = [b"F", b"FFilter", b"FDecodeParms"];

    /// Checks PDF/A-2's machine-checkable conditions that apply: an sRGB
    /// output intent, XMP that claims part 2 level U and agrees with the
    /// Info dictionary, and no key PDF/A forbids.
    fn assert_archival(bytes: &[u8]) {
        let pdf = Pdf::load_mem(bytes).unwrap();
        let catalog = pdf.catalog().unwrap();
        let intents = catalog.get(b"OutputIntents").unwrap().as_array().unwrap();
        let intent = dict(&pdf, &intents[0]);
        assert_eq!(intent.get(b"S").unwrap().as_name().unwrap(), b"GTS_PDFA1");
        let profile = intent
            .get(b"DestOutputProfile")
            .unwrap()
            .as_reference()
            .unwrap();
        let profile = pdf.get_object(profile).unwrap().as_stream().unwrap();
        assert_eq!(profile.dict.get(b"N").unwrap().as_i64().unwrap(), 3);
        let icc = profile.decompressed_content().unwrap();
        assert_eq!(&icc[36..40], b"acsp", "an ICC profile");
        assert_eq!(&icc[16..20], b"RGB ");
        assert!(icc[8] <= 4, "PDF/A-2 takes ICC profiles up to version 4");

        let info = pdf.trailer.get(b"Info").unwrap().as_reference().unwrap();
        let info = pdf.get_dictionary(info).unwrap();
        let text = |key: &[u8]| lopdf::decode_text_string(info.get(key).unwrap()).unwrap();
        let metadata = catalog.get(b"Metadata").unwrap().as_reference().unwrap();
        let metadata = pdf.get_object(metadata).unwrap().as_stream().unwrap();
        let xmp = String::from_utf8(metadata.decompressed_content().unwrap()).unwrap();
        let property = |name: &str| -> String {
            let start = xmp
                .find(&format!("<{name}>"))
                .unwrap_or_else(|| panic!("{name}: {xmp}"));
            let value = &xmp[start + name.len() + 2..];
            let value = &value[..value.find(&format!("</{name}>")).unwrap()];
            // The one item of an rdf:Alt or rdf:Bag, where the property is
            // one.
            let value = value.split("</rdf:li>").next().unwrap();
            value.rsplit('>').next().unwrap().to_string()
        };
        assert_eq!(property("pdfaid:part"), "2");
        assert_eq!(property("pdfaid:conformance"), "U");
        assert_eq!(property("pdfuaid:part"), "1");
        // In step with Info (ISO 19005-2, 6.6.3), as the SVG preview escapes.
        let escaped = |value: String| {
            let mut out = String::new();
            crate::svg::syntax::push_escaped(&mut out, &value);
            out
        };
        assert_eq!(property("dc:title"), escaped(text(b"Title")));
        assert_eq!(property("dc:description"), escaped(text(b"Subject")));
        assert_eq!(property("xmp:CreatorTool"), text(b"Creator"));
        assert_eq!(property("pdf:Producer"), text(b"Producer"));
        let date = |key: &[u8]| {
            let raw = info.get(key).unwrap().as_str().unwrap();
            let raw = std::str::from_utf8(raw).unwrap();
            format!(
                "{}-{}-{}T{}:{}:{}Z",
                &raw[2..6],
                &raw[6..8],
                &raw[8..10],
                &raw[10..12],
                &raw[12..14],
                &raw[14..16]
            )
        };
        assert_eq!(property("xmp:CreateDate"), date(b"CreationDate"));
        assert_eq!(property("xmp:ModifyDate"), date(b"ModDate"));
        assert_eq!(
            property("dc:language"),
            catalog
                .get(b"Lang")
                .unwrap()
                .as_str()
                .map(|lang| String::from_utf8_lossy(lang).into_owned())
                .unwrap()
        );

        assert!(pdf.trailer.get(b"Encrypt").is_err());
        assert!(pdf.trailer.get(b"ID").is_ok(), "PDF/A asks for an /ID");
        for (id, object) in &pdf.objects {
            let (dict, forbidden) = match object {
                Object::Dictionary(dict) => (dict, &[][..]),
                Object::Stream(stream) => (&stream.dict, &FORBIDDEN_IN_STREAMS[..]),
                _ => continue,
            };
            for key in FORBIDDEN.iter().chain(forbidden) {
                assert!(
                    dict.get(key).is_err(),
                    "object {id:?} has /{}",
                    String::from_utf8_lossy(key)
                );
            }
            // Any action is a link's URI.
            if let Ok(action) = dict.get(b"A") {
                let action = action.as_dict().unwrap();
                assert_eq!(action.get(b"S").unwrap().as_name().unwrap(), b"URI");
            }
        }
    }

    /// Checks the machine-checkable conditions of PDF/UA-1 (the Matterhorn
    /// Protocol's) that apply to a handout, and returns the tree's types.
    fn assert_tagged(bytes: &[u8]) -> Vec<String> {
        assert_archival(bytes);
        let pdf = Pdf::load_mem(bytes).unwrap();
        let catalog = pdf.catalog().unwrap();
        let marked = dict(&pdf, catalog.get(b"MarkInfo").unwrap());
        assert_eq!(marked.get(b"Marked").unwrap(), &Object::Boolean(true));
        assert!(!catalog.get(b"Lang").unwrap().as_str().unwrap().is_empty());
        let viewer = dict(&pdf, catalog.get(b"ViewerPreferences").unwrap());
        assert_eq!(
            viewer.get(b"DisplayDocTitle").unwrap(),
            &Object::Boolean(true)
        );
        let metadata = catalog.get(b"Metadata").unwrap().as_reference().unwrap();
        let metadata = pdf.get_object(metadata).unwrap().as_stream().unwrap();
        let xmp = String::from_utf8(metadata.decompressed_content().unwrap()).unwrap();
        assert!(xmp.contains("<pdfuaid:part>1</pdfuaid:part>"), "{xmp}");
        assert!(xmp.contains("<dc:title>"), "{xmp}");

        let root = dict(&pdf, catalog.get(b"StructTreeRoot").unwrap());
        let document = root.get(b"K").unwrap().as_reference().unwrap();
        let mut tree = Walk::default();
        walk(&pdf, document, None, &mut tree);
        assert_eq!(tree.kinds[0], "Document");

        // Headings never skip a level: an H2 only after the H1.
        let levels: Vec<u8> = tree
            .kinds
            .iter()
            .filter_map(|kind| kind.strip_prefix('H')?.parse().ok())
            .collect();
        let mut deepest = 0;
        for level in &levels {
            assert!(*level <= deepest + 1, "a heading skips a level: {levels:?}");
            deepest = deepest.max(*level);
        }

        // Every marked content is in the tree once, and the parent tree
        // leads back from each to its element.
        let in_tree: BTreeMap<(ObjectId, i64), ObjectId> = tree.contents.iter().copied().collect();
        assert_eq!(
            in_tree.len(),
            tree.contents.len(),
            "a content is in the tree twice"
        );
        let parent_tree = dict(&pdf, root.get(b"ParentTree").unwrap());
        let nums = parent_tree.get(b"Nums").unwrap().as_array().unwrap();
        let mut parents: BTreeMap<i64, Vec<Object>> = BTreeMap::new();
        for pair in nums.chunks(2) {
            let key = pair[0].as_i64().unwrap();
            let entry = pair[1].as_reference().unwrap();
            match pdf.get_object(entry).unwrap() {
                Object::Array(array) => {
                    parents.insert(key, array.clone());
                }
                // An annotation's entry is its element itself.
                _ => assert!(
                    tree.annotations.contains(&(key, entry)),
                    "key {key} leads to an element no annotation names"
                ),
            }
        }
        let mut seen = BTreeSet::new();
        for (page_number, page) in pdf.get_pages() {
            let page_dict = pdf.get_dictionary(page).unwrap();
            assert_eq!(page_dict.get(b"Tabs").unwrap().as_name().unwrap(), b"S");
            let content = pdf.get_and_decode_page_content(page).unwrap();
            // Every drawing is inside marked content: a tagged MCID or an
            // artifact.
            let mut depth = 0;
            for operation in &content.operations {
                let operator = operation.operator.as_str();
                match operator {
                    "BDC" | "BMC" => {
                        if depth == 0 {
                            match operation.operands[0].as_name().unwrap() {
                                b"Artifact" => {}
                                _ => {
                                    let properties = operation.operands[1].as_dict().unwrap();
                                    let mcid = properties.get(b"MCID").unwrap().as_i64().unwrap();
                                    let element = in_tree.get(&(page, mcid)).unwrap_or_else(|| {
                                        panic!("page {page_number}: MCID {mcid} is not in the tree")
                                    });
                                    let key =
                                        page_dict.get(b"StructParents").unwrap().as_i64().unwrap();
                                    let array = &parents[&key];
                                    assert_eq!(
                                        array[mcid as usize].as_reference().unwrap(),
                                        *element,
                                        "page {page_number}: the parent tree leads MCID {mcid} elsewhere"
                                    );
                                    seen.insert((page, mcid));
                                }
                            }
                        }
                        depth += 1;
                    }
                    "EMC" => depth -= 1,
                    "TJ" | "Tj" | "re" | "f" | "S" | "B" | "l" | "c" | "m" => {
                        assert!(
                            depth > 0,
                            "page {page_number}: {operator} outside marked content"
                        )
                    }
                    _ => {}
                }
            }
            assert_eq!(depth, 0);
        }
        assert_eq!(
            seen.len(),
            in_tree.len(),
            "the tree names content no page has"
        );
        tree.kinds
    }

    fn pdf(handout: &handout_content::Handout, large_print: bool) -> Vec<u8> {
        let options = RenderOptions {
            large_print,
            ..RenderOptions::default()
        };
        Renderer::new().render(handout, &options).unwrap().pdf
    }

    #[test]
    fn a_handout_is_one_tagged_document_in_reading_order() {
        let kinds = assert_tagged(&pdf(&named("Ana López"), false));
        // The title, the byline, the introduction, then each section's
        // heading and list, the urgent box as a Div with its own heading
        // and list, and the footer.
        let top: Vec<&str> = kinds.iter().map(String::as_str).collect();
        assert_eq!(&top[..4], ["Document", "H1", "P", "P"]);
        assert_eq!(top.iter().filter(|kind| **kind == "H1").count(), 1);
        assert_eq!(top.iter().filter(|kind| **kind == "Div").count(), 1);
        assert_eq!(top.iter().filter(|kind| **kind == "L").count(), 4);
        assert_eq!(top.last(), Some(&"P"), "the footer ends it");
    }

    #[test]
    fn large_print_and_a_right_to_left_page_are_tagged_too() {
        let patient = Patient {
            name: Some("Ana López".into()),
            pregnancy: Some(Pregnancy::Weeks(28)),
            note: Some("Call me if one leg gets swollen.".into()),
            midwife: None,
        };
        let large = handout_of(english(), &Practice::default(), &patient, &Picks::new());
        let kinds = assert_tagged(&pdf(&large, true));
        assert_eq!(kinds.iter().filter(|kind| *kind == "Document").count(), 1);
        assert_eq!(
            kinds.iter().filter(|kind| *kind == "Div").count(),
            2,
            "the box and the note"
        );
        let rtl = handout_of(arabic(), &Practice::default(), &patient, &Picks::new());
        assert_tagged(&pdf(&rtl, false));
    }

    #[test]
    fn the_address_for_more_information_is_a_link_and_its_code_a_figure() {
        let practice = Practice::parse(
            "p.toml",
            "more-info = \"https://www.example.org/leg-cramps\"\n",
        )
        .unwrap();
        let patient = Patient {
            name: Some("Ana".into()),
            ..Patient::default()
        };
        let handout = handout_of(english(), &practice, &patient, &Picks::new());
        let bytes = pdf(&handout, false);
        let kinds = assert_tagged(&bytes);
        assert_eq!(kinds.iter().filter(|kind| *kind == "Link").count(), 1);
        assert_eq!(kinds.iter().filter(|kind| *kind == "Figure").count(), 1);
        let document = Pdf::load_mem(&bytes).unwrap();
        let page = *document.get_pages().values().next().unwrap();
        let annots = document
            .get_dictionary(page)
            .unwrap()
            .get(b"Annots")
            .unwrap();
        let annotation = dict(&document, &annots.as_array().unwrap()[0]);
        let action = dict(&document, annotation.get(b"A").unwrap());
        assert_eq!(
            action.get(b"URI").unwrap().as_str().unwrap(),
            b"https://www.example.org/leg-cramps"
        );
    }
}

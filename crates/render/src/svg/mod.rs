//! Writes a laid-out page as SVG, for a preview that draws what prints.
//!
//! Like the PDF writer, it reads only the [`Document`]: each item is drawn
//! with the PDF writer's geometry, so whatever layout places shows in the
//! preview with no change here. Glyphs are outlines read with skrifa, each
//! distinct one written once in `<defs>` in font units and placed with
//! `<use>`, so the SVG needs no fonts and looks the same in every browser.

mod grid;
mod outlines;
pub(crate) mod syntax;

use std::collections::BTreeSet;
use std::fmt::Write;
use std::sync::OnceLock;

use crate::document::{Document, DocumentInfo};
use crate::fonts::{FACES, Face};
use crate::page::{Element, Page, Path, PathOp, Rect, Rule, TextRun};
use outlines::FaceOutlines;
use syntax::{push_color, push_escaped, push_number};

/// Decimals of lengths on the page, in points: a hundredth of a point is a
/// seventh of a pixel at 1000 dpi.
const PAGE_DECIMALS: u32 = 2;
/// Decimals of outline coordinates and glyph positions in font units:
/// TrueType points are whole units, their implied midpoints halves.
const FONT_DECIMALS: u32 = 1;
/// Decimals of the font-unit-to-point scale: it is about 0.01, and seven
/// decimals keep the end of a page-wide line within a few thousandths of a
/// point of where the PDF puts it.
const SCALE_DECIMALS: u32 = 7;
/// The gap between two pages drawn one under the other, in points.
const PAGE_GAP: f32 = 24.0;

/// Writes pages as standalone SVG documents. Make one per process and
/// share it: it is `Sync`, and it keeps the path data of every glyph it has
/// drawn, so later pages only place them.
pub(crate) struct SvgWriter {
    /// Each face's outlines, read when a page first draws from it.
    faces: [OnceLock<FaceOutlines>; FACES],
}

/// How to draw a page as SVG.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SvgOptions {
    /// The screen's device pixels per point, when the preview is drawn at
    /// a known scale: each glyph's baseline then sits on a whole pixel and
    /// its left edge on a quarter pixel, as Poppler places glyphs when it
    /// shows the PDF, so the preview is as sharp as the page in a PDF viewer
    /// and matches it pixel for pixel. `None` draws the page exactly as laid
    /// out, for any scale.
    pub px_per_pt: Option<f32>,
}

impl SvgWriter {
    /// Reads the embedded faces' outline tables; outlines are drawn when a
    /// page first needs them.
    pub(crate) fn new() -> SvgWriter {
        SvgWriter {
            faces: [const { OnceLock::new() }; FACES],
        }
    }

    /// A face's outlines, read on first use.
    fn outlines(&self, face: Face) -> &FaceOutlines {
        self.faces[face.index()].get_or_init(|| FaceOutlines::new(face))
    }

    /// One page as a standalone SVG document: `viewBox` in points, origin at
    /// the top left, and a `width` and `height` in points that CSS may
    /// override. It is labelled with the document's title for a screen
    /// reader and carries the page's text as its description. The same page
    /// gives the same bytes.
    ///
    /// Glyph ids in `<defs>` are made of the face and glyph id alone, so two
    /// pages inlined in one HTML document share them harmlessly: the same id
    /// is always the same outline.
    pub(crate) fn page(&self, document: &Document, index: usize, options: SvgOptions) -> String {
        match options.px_per_pt {
            Some(px_per_pt) => {
                let document = grid::on_pixel_grid(document, px_per_pt);
                self.write_page(&document.pages[index], &document.info)
            }
            None => self.write_page(&document.pages[index], &document.info),
        }
    }

    /// Every page of a document as one standalone SVG document, one under
    /// the other with a gap between them, as sheets lie on a desk: what a
    /// preview of a handout of more than one page shows. One page gives
    /// the bytes [`SvgWriter::page`] gives.
    pub(crate) fn pages(&self, document: &Document, options: SvgOptions) -> String {
        if document.pages.len() == 1 {
            return self.page(document, 0, options);
        }
        let gridded;
        let document = match options.px_per_pt {
            Some(px_per_pt) => {
                gridded = grid::on_pixel_grid(document, px_per_pt);
                &gridded
            }
            None => document,
        };
        self.write_pages(&document.pages, &document.info)
    }

    fn write_page(&self, page: &Page, info: &DocumentInfo) -> String {
        self.write_pages(std::slice::from_ref(page), info)
    }

    /// Writes pages one under the other, [`PAGE_GAP`] apart, each on its
    /// white paper; the glyphs' outlines once for them all.
    fn write_pages(&self, pages: &[Page], info: &DocumentInfo) -> String {
        let mut body = String::with_capacity(64 * 1024 * pages.len());
        let mut used = BTreeSet::new();
        let mut top = 0.0;
        for (index, page) in pages.iter().enumerate() {
            if index > 0 {
                // The gap between two sheets is grey, as a desk would be.
                body.push_str("<rect y=\"");
                push_number(&mut body, top - PAGE_GAP, PAGE_DECIMALS);
                body.push_str("\" width=\"");
                push_number(&mut body, page.width, PAGE_DECIMALS);
                body.push_str("\" height=\"");
                push_number(&mut body, PAGE_GAP, PAGE_DECIMALS);
                body.push_str("\" fill=\"#c8cdd2\"/>\n");
                body.push_str("<g transform=\"translate(0 ");
                push_number(&mut body, top, PAGE_DECIMALS);
                body.push_str(")\">\n");
            }
            // The page itself is white, as the paper is, whatever the page
            // the preview sits on.
            body.push_str("<rect width=\"");
            push_number(&mut body, page.width, PAGE_DECIMALS);
            body.push_str("\" height=\"");
            push_number(&mut body, page.height, PAGE_DECIMALS);
            body.push_str("\" fill=\"#ffffff\"/>\n");
            for item in &page.elements {
                match item {
                    Element::Text(run) => self.write_run(&mut body, run, &mut used),
                    Element::Rect(rect) => write_rect(&mut body, rect),
                    Element::Rule(rule) => write_rule(&mut body, rule),
                    Element::Path(path) => write_path(&mut body, path),
                }
            }
            if index > 0 {
                body.push_str("</g>\n");
            }
            top += page.height + PAGE_GAP;
        }

        let mut out = String::with_capacity(body.len() + used.len() * 300 + 4096);
        write_header(&mut out, pages, info);
        out.push_str("<defs>\n");
        for &(face, glyph) in &used {
            out.push_str("<path id=\"");
            push_glyph_id(&mut out, face, glyph);
            out.push_str("\" d=\"");
            out.push_str(self.outlines(face).path(glyph));
            out.push_str("\"/>\n");
        }
        out.push_str("</defs>\n");
        out.push_str(&body);
        out.push_str("</svg>\n");
        out
    }

    /// Places a run's glyphs where the PDF's text operators put them: glyph
    /// i at the run's origin plus the advances before it plus its own
    /// offset, raised by its vertical offset. One group per run scales font
    /// units to points and flips y, so each glyph needs only its position.
    fn write_run(&self, out: &mut String, run: &TextRun, used: &mut BTreeSet<(Face, u16)>) {
        let face = self.outlines(run.face);
        let mut pen = 0.0_f32;
        let mut open = false;
        for glyph in &run.glyphs {
            let x = (pen + glyph.x_offset) * face.units_per_em;
            pen += glyph.advance;
            if face.path(glyph.id).is_empty() {
                continue;
            }
            if !open {
                open_run(out, run, face.units_per_em);
                open = true;
            }
            used.insert((run.face, glyph.id));
            out.push_str("<use href=\"#");
            push_glyph_id(out, run.face, glyph.id);
            out.push_str("\" x=\"");
            push_number(out, x, FONT_DECIMALS);
            if glyph.y_offset != 0.0 {
                out.push_str("\" y=\"");
                push_number(out, glyph.y_offset * face.units_per_em, FONT_DECIMALS);
            }
            out.push_str("\"/>");
        }
        if open {
            out.push_str("</g>\n");
        }
    }
}

impl Default for SvgWriter {
    fn default() -> Self {
        SvgWriter::new()
    }
}

impl std::fmt::Debug for SvgWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SvgWriter").finish_non_exhaustive()
    }
}

/// The `<svg>` element around pages one under the other, its title and its
/// description.
fn write_header(out: &mut String, pages: &[Page], info: &DocumentInfo) {
    let width = pages.iter().map(|page| page.width).fold(0.0, f32::max);
    let height = pages.iter().map(|page| page.height).sum::<f32>()
        + PAGE_GAP * pages.len().saturating_sub(1) as f32;
    out.push_str("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ");
    push_number(out, width, PAGE_DECIMALS);
    out.push(' ');
    push_number(out, height, PAGE_DECIMALS);
    out.push_str("\" width=\"");
    push_number(out, width, PAGE_DECIMALS);
    out.push_str("pt\" height=\"");
    push_number(out, height, PAGE_DECIMALS);
    out.push_str("pt\" role=\"img\" aria-label=\"");
    push_escaped(out, &info.title);
    out.push_str("\" lang=\"");
    push_escaped(out, &info.language);
    out.push_str("\">\n<title>");
    push_escaped(out, &info.title);
    out.push_str("</title>\n<desc>");
    // The glyphs are outlines, which no screen reader can read: the text
    // goes in the description, page after page.
    for (index, page) in pages.iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        push_escaped(out, &reading_text(page));
    }
    out.push_str("</desc>\n");
}

/// The page's text in reading order (the order of its items), a line per
/// line of print: runs that continue a line on its baseline are joined, with
/// a space where a gap parts them (as between the fields of the byline).
/// Unlike the layout tests' `Page::text_lines`, it never joins the two columns' lines.
fn reading_text(page: &Page) -> String {
    let mut text = String::new();
    // The last run's baseline and where it ends.
    let mut last: Option<(f32, f32)> = None;
    for run in page.runs() {
        if let Some((baseline, end)) = last {
            let continues = (baseline - run.baseline).abs() < 0.5 && run.x >= end - 0.5 * run.size;
            if !continues {
                text.push('\n');
            } else if run.x > end + 0.15 * run.size
                && !text.ends_with(char::is_whitespace)
                && !run.text.starts_with(char::is_whitespace)
            {
                text.push(' ');
            }
        }
        text.push_str(&run.text);
        last = Some((run.baseline, run.x + run.width()));
    }
    text
}

/// Opens a run's group: its colour, and the transform from font units (y
/// up) at the run's origin to points on the page (y down).
fn open_run(out: &mut String, run: &TextRun, units_per_em: f32) {
    let scale = run.size / units_per_em;
    out.push_str("<g fill=\"");
    push_color(out, run.color);
    out.push_str("\" transform=\"matrix(");
    push_number(out, scale, SCALE_DECIMALS);
    out.push_str(" 0 0 ");
    push_number(out, -scale, SCALE_DECIMALS);
    out.push(' ');
    push_number(out, run.x, PAGE_DECIMALS);
    out.push(' ');
    push_number(out, run.baseline, PAGE_DECIMALS);
    out.push_str(")\">");
}

/// A box as the PDF's `re` draws it: filled, then outlined on its edges.
fn write_rect(out: &mut String, rect: &Rect) {
    out.push_str("<rect x=\"");
    push_number(out, rect.x, PAGE_DECIMALS);
    out.push_str("\" y=\"");
    push_number(out, rect.y, PAGE_DECIMALS);
    out.push_str("\" width=\"");
    push_number(out, rect.width, PAGE_DECIMALS);
    out.push_str("\" height=\"");
    push_number(out, rect.height, PAGE_DECIMALS);
    out.push_str("\" fill=\"");
    match rect.fill {
        Some(fill) => push_color(out, fill),
        None => out.push_str("none"),
    }
    if let Some((stroke, width)) = rect.stroke {
        out.push_str("\" stroke=\"");
        push_color(out, stroke);
        out.push_str("\" stroke-width=\"");
        push_number(out, width, PAGE_DECIMALS);
    }
    out.push_str("\"/>\n");
}

/// A rule as the PDF strokes it: a line centred on its y, with butt ends
/// (the default in both).
fn write_rule(out: &mut String, rule: &Rule) {
    out.push_str("<line x1=\"");
    push_number(out, rule.x, PAGE_DECIMALS);
    out.push_str("\" y1=\"");
    push_number(out, rule.y, PAGE_DECIMALS);
    out.push_str("\" x2=\"");
    push_number(out, rule.x_end, PAGE_DECIMALS);
    out.push_str("\" y2=\"");
    push_number(out, rule.y, PAGE_DECIMALS);
    out.push_str("\" stroke=\"");
    push_color(out, rule.color);
    out.push_str("\" stroke-width=\"");
    push_number(out, rule.thickness, PAGE_DECIMALS);
    out.push_str("\"/>\n");
}

/// A drawn shape as the PDF paints it: filled by the non-zero rule, then
/// outlined with round joins.
fn write_path(out: &mut String, path: &Path) {
    out.push_str("<path d=\"");
    for (i, op) in path.ops.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let (command, points) = match op {
            PathOp::Move(..) => ('M', op.points()),
            PathOp::Line(..) => ('L', op.points()),
            PathOp::Cubic(..) => ('C', op.points()),
            PathOp::Close => ('Z', Vec::new()),
        };
        out.push(command);
        for (j, [x, y]) in points.into_iter().enumerate() {
            if j > 0 {
                out.push(' ');
            }
            push_number(out, x, PAGE_DECIMALS);
            out.push(' ');
            push_number(out, y, PAGE_DECIMALS);
        }
    }
    out.push_str("\" fill=\"");
    match path.fill {
        Some(fill) => push_color(out, fill),
        None => out.push_str("none"),
    }
    if let Some((stroke, width)) = path.stroke {
        out.push_str("\" stroke=\"");
        push_color(out, stroke);
        out.push_str("\" stroke-width=\"");
        push_number(out, width, PAGE_DECIMALS);
        out.push_str("\" stroke-linejoin=\"round\" stroke-linecap=\"round");
    }
    out.push_str("\"/>\n");
}

/// A glyph's id in `<defs>`: the face's number and the glyph id, so the
/// same glyph always has the same id.
fn push_glyph_id(out: &mut String, face: Face, glyph: u16) {
    let _ = write!(out, "f{}-{glyph}", face.index());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::{Color, PlacedGlyph, Rect, Rule};
    use crate::role::Role;
    use crate::testing::{english, handout_of};
    use crate::{RenderOptions, Renderer};
    use handout_content::{Patient, Picks, Practice};

    fn document(name: &str, note: Option<&str>) -> Document {
        let patient = Patient {
            name: Some(name.into()),
            note: note.map(Into::into),
            ..Patient::default()
        };
        let handout = handout_of(english(), &Practice::default(), &patient, &Picks::new());
        Renderer::new()
            .layout(&handout, &RenderOptions::default())
            .unwrap()
    }

    fn element_count(svg: &roxmltree::Document, name: &str) -> usize {
        svg.descendants()
            .filter(|node| node.tag_name().name() == name)
            .count()
    }

    #[test]
    fn a_page_is_well_formed_and_places_every_glyph_that_draws() {
        let document = document(
            "Ana López & <Ελένη> \"Nguyễn\"",
            Some("Call me at 5 > 4 & 'soon'"),
        );
        let writer = SvgWriter::new();
        let svg = writer.page(&document, 0, SvgOptions::default());
        let parsed = roxmltree::Document::parse(&svg).unwrap();
        let root = parsed.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        assert_eq!(root.attribute("role"), Some("img"));
        assert_eq!(
            root.attribute("aria-label"),
            Some(document.info.title.as_str())
        );
        assert_eq!(root.attribute("viewBox"), Some("0 0 595.28 841.89"));

        let page = &document.pages[0];
        let runs: Vec<&TextRun> = page.runs().collect();
        let drawn = runs
            .iter()
            .flat_map(|run| run.glyphs.iter().map(move |glyph| (run.face, glyph.id)))
            .filter(|&(face, id)| !writer.outlines(face).path(id).is_empty())
            .count();
        let blank = runs.iter().map(|run| run.glyphs.len()).sum::<usize>() - drawn;
        assert!(drawn > 500 && blank > 50, "{drawn} drawn, {blank} blank");
        assert_eq!(element_count(&parsed, "use"), drawn);
        // Greek from Noto, Latin from Atkinson; each outline once.
        let ids: Vec<&str> = parsed
            .descendants()
            .filter(|node| node.tag_name().name() == "path")
            .filter_map(|node| node.attribute("id"))
            .collect();
        assert!(ids.iter().any(|id| id.starts_with("f2-")), "{ids:?}");
        let distinct: BTreeSet<&&str> = ids.iter().collect();
        assert_eq!(distinct.len(), ids.len());
        // Every use points at a defined outline.
        for node in parsed
            .descendants()
            .filter(|n| n.tag_name().name() == "use")
        {
            let href = node.attribute("href").unwrap();
            assert!(ids.contains(&&href[1..]), "{href} is not defined");
        }

        // The patient's name and note reach the description unharmed.
        let desc = parsed
            .descendants()
            .find(|node| node.tag_name().name() == "desc")
            .and_then(|node| node.text())
            .unwrap();
        assert!(desc.contains("Ana López & <Ελένη> \"Nguyễn\""), "{desc}");
        // Line by line in reading order: each line of print is one line of
        // the description, never two columns' lines run together.
        let lines: Vec<&str> = desc.lines().collect();
        assert_eq!(lines[0], document.info.title);
        assert!(lines[1].starts_with("Prepared for Ana López"), "{desc}");
        assert!(lines[1].contains(" · 25 November 2026"), "{desc}");
        assert!(
            lines.contains(&"Leg pain and cramps are common: about"),
            "{desc}"
        );
        assert!(desc.contains("5 > 4 & 'soon'"), "{desc}");
        assert!(!svg.contains("<Ελένη>"));
    }

    #[test]
    fn the_same_document_gives_the_same_bytes() {
        let document = document("Ana López", None);
        let page = |writer: &SvgWriter| writer.page(&document, 0, SvgOptions::default());
        let first = page(&SvgWriter::new());
        let writer = SvgWriter::new();
        // A writer that has drawn other glyphs first still writes the same.
        writer.page(
            &self::document("Ελένη Zoë Quinn", Some("Ωραία")),
            0,
            SvgOptions::default(),
        );
        assert_eq!(page(&writer), first);
        assert_eq!(page(&writer), first);
        // One writer shared by threads that draw its outlines at once, as a
        // web server's would be.
        let shared = SvgWriter::new();
        std::thread::scope(|scope| {
            let threads: Vec<_> = (0..3).map(|_| scope.spawn(|| page(&shared))).collect();
            for thread in threads {
                assert_eq!(thread.join().unwrap(), first);
            }
        });
    }

    #[test]
    fn the_title_is_escaped_and_characters_xml_cannot_hold_are_replaced() {
        let info = DocumentInfo {
            title: "A & B <script>alert('x')</script> \"q\" \u{1}\u{FFFE}".into(),
            subject: String::new(),
            language: "en\"".into(),
            date: (2026, 11, 25),
            more_info: None,
            note_language: None,
            bookmark: String::new(),
        };
        let page = Page {
            width: 100.0,
            height: 50.0,
            margin: 10.0,
            body_size: 12.0,
            elements: Vec::new(),
        };
        let svg = SvgWriter::new().write_page(&page, &info);
        assert!(!svg.contains("<script>"));
        let parsed = roxmltree::Document::parse(&svg).unwrap();
        let title = parsed
            .descendants()
            .find(|node| node.tag_name().name() == "title")
            .and_then(|node| node.text())
            .unwrap();
        assert_eq!(
            title,
            "A & B <script>alert('x')</script> \"q\" \u{FFFD}\u{FFFD}"
        );
        assert_eq!(parsed.root_element().attribute("aria-label"), Some(title));
        assert_eq!(parsed.root_element().attribute("lang"), Some("en\""));
    }

    #[test]
    fn a_path_is_drawn_as_the_pdf_draws_it() {
        let mut out = String::new();
        write_path(
            &mut out,
            &Path {
                ops: vec![
                    PathOp::Move(10.0, 20.0),
                    PathOp::Line(30.5, 20.0),
                    PathOp::Cubic([30.0, 25.0], [20.0, 30.0], [10.0, 30.0]),
                    PathOp::Close,
                ],
                fill: Some(Color(0xff, 0xff, 0xff)),
                stroke: Some((Color(0xb4, 0x23, 0x18), 1.25)),
                role: Role::Decoration,
            },
        );
        assert_eq!(
            out,
            "<path d=\"M10 20 L30.5 20 C30 25 20 30 10 30 Z\" fill=\"#ffffff\" \
             stroke=\"#b42318\" stroke-width=\"1.25\" stroke-linejoin=\"round\" stroke-linecap=\"round\"/>\n"
        );
    }

    #[test]
    fn items_are_drawn_with_the_pdf_geometry() {
        let page = Page {
            width: 200.0,
            height: 100.0,
            margin: 10.0,
            body_size: 12.0,
            elements: vec![
                Element::Rect(Rect {
                    x: 10.0,
                    y: 20.0,
                    width: 50.5,
                    height: 30.25,
                    fill: Some(Color(255, 240, 240)),
                    stroke: Some((Color(200, 0, 0), 1.5)),
                    role: Role::Decoration,
                }),
                Element::Rect(Rect {
                    x: 1.0,
                    y: 2.0,
                    width: 3.0,
                    height: 4.0,
                    fill: None,
                    stroke: Some((Color(0, 0, 0), 0.5)),
                    role: Role::Decoration,
                }),
                Element::Rule(Rule {
                    x: 10.0,
                    x_end: 190.0,
                    y: 80.125,
                    thickness: 0.75,
                    color: Color(17, 34, 51),
                    role: Role::Decoration,
                }),
                Element::Text(TextRun {
                    x: 10.0,
                    baseline: 60.0,
                    size: 10.0,
                    face: Face::Regular,
                    color: Color(1, 2, 3),
                    role: Role::Paragraph,
                    glyphs: vec![
                        PlacedGlyph {
                            id: 36,
                            advance: 0.5,
                            x_offset: 0.0,
                            y_offset: 0.0,
                            text: "A".into(),
                        },
                        PlacedGlyph {
                            id: 37,
                            advance: 0.0,
                            x_offset: -0.25,
                            y_offset: 0.1,
                            text: Default::default(),
                        },
                    ],
                    text: "A".into(),
                    right_to_left: false,
                }),
            ],
        };
        let writer = SvgWriter::new();
        let svg = writer.write_page(
            &page,
            &DocumentInfo {
                title: "T".into(),
                subject: String::new(),
                language: "en".into(),
                date: (2026, 1, 1),
                more_info: None,
                note_language: None,
                bookmark: String::new(),
            },
        );
        assert!(svg.contains(
            "<rect x=\"10\" y=\"20\" width=\"50.5\" height=\"30.25\" fill=\"#fff0f0\" \
             stroke=\"#c80000\" stroke-width=\"1.5\"/>"
        ));
        assert!(svg.contains(
            "<rect x=\"1\" y=\"2\" width=\"3\" height=\"4\" fill=\"none\" stroke=\"#000000\" \
             stroke-width=\"0.5\"/>"
        ));
        assert!(svg.contains(
            "<line x1=\"10\" y1=\"80.13\" x2=\"190\" y2=\"80.13\" stroke=\"#112233\" \
             stroke-width=\"0.75\"/>"
        ));
        // The second glyph sits at the pen after the first, moved back a
        // quarter em and up a tenth, as the PDF's TJ and Ts put it.
        let em = writer.outlines(Face::Regular).units_per_em;
        let scale = 10.0 / em;
        let mut expected = String::from("<g fill=\"#010203\" transform=\"matrix(");
        push_number(&mut expected, scale, SCALE_DECIMALS);
        expected.push_str(" 0 0 ");
        push_number(&mut expected, -scale, SCALE_DECIMALS);
        expected.push_str(" 10 60)\"><use href=\"#f0-36\" x=\"0\"/><use href=\"#f0-37\" x=\"");
        push_number(&mut expected, 0.25 * em, FONT_DECIMALS);
        expected.push_str("\" y=\"");
        push_number(&mut expected, 0.1 * em, FONT_DECIMALS);
        expected.push_str("\"/></g>");
        assert!(svg.contains(&expected), "{expected}\nnot in\n{svg}");
    }
}

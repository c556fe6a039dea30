//! What a page's body is drawn from, as bytes: two pages with the same key
//! encode to the same body content stream, so a thread encodes a body once
//! for all the patients given the same advice at the same size, and skips
//! the number formatting and glyph mapping that were the largest part of a
//! clinic day's row.
//!
//! The key is written without a hash: it is compared whole, so two bodies
//! that differ anywhere never share a stream. It holds every value
//! [`PageEncoder`](super::encode::PageEncoder) reads for the body, each of
//! fixed width or preceded by its length, so that no two different bodies
//! write the same bytes: each element with its marked content, the page's
//! height, and for each face the body draws, its resource name and how its
//! subset numbers and reads the glyphs that are not only the personal
//! lines' (the personal lines' own glyphs come last and never change those).

use std::collections::BTreeMap;

use super::encode::FaceMap;
use super::tags::Mark;
use crate::fonts::Face;
use crate::page::{Color, Element, Page, PathOp, TextRun};

/// A page body's key, written as the body's elements are met: the
/// elements' part, to which [`face_context`] adds the faces'.
#[derive(Clone, PartialEq, Eq, Hash)]
pub(super) struct BodyKey {
    pub(super) bytes: Vec<u8>,
    /// The faces the body draws, by their place in [`Face::ALL`].
    pub(super) faces: u32,
}

/// The rest of a body's key: how `faces` draw its glyphs, for the faces
/// it draws (`drawn`, a [`BodyKey::faces`]).
pub(super) fn face_context(drawn: u32, faces: &BTreeMap<Face, FaceMap>) -> Vec<u8> {
    let mut key = BodyKey {
        bytes: Vec::new(),
        faces: drawn,
    };
    for (&face, map) in faces {
        if drawn & (1 << face.index()) != 0 {
            key.bytes.push(face.index() as u8);
            key.text(&map.resource);
            key.bytes
                .extend_from_slice(&(map.shared_glyphs.len() as u32).to_le_bytes());
            key.bytes.extend_from_slice(&map.shared_glyphs);
        }
    }
    key.bytes
}

impl BodyKey {
    /// What `page`'s elements that are not personal are, each with its
    /// mark: the key but for the faces they are drawn with.
    pub(super) fn of_elements(page: &Page, marks: &[Mark]) -> BodyKey {
        let glyphs: usize = page.runs().map(|run| run.glyphs.len()).sum();
        let mut key = BodyKey {
            bytes: Vec::with_capacity(24 * glyphs + 48 * page.elements.len()),
            faces: 0,
        };
        key.f32(page.height);
        for (element, mark) in page.elements.iter().zip(marks) {
            if element.role().is_personal() {
                continue;
            }
            key.mark(*mark);
            key.element(element);
        }
        key
    }

    fn mark(&mut self, mark: Mark) {
        match mark {
            Mark::Artifact => self.bytes.push(0),
            Mark::Content(kind, mcid) => {
                self.bytes.push(1);
                self.text(kind);
                self.bytes.extend_from_slice(&mcid.to_le_bytes());
            }
        }
    }

    fn element(&mut self, element: &Element) {
        match element {
            Element::Text(run) => self.run(run),
            Element::Rect(rect) => {
                self.bytes.push(b'r');
                self.fill(rect.fill);
                self.stroke(rect.stroke);
                for value in [rect.x, rect.y, rect.width, rect.height] {
                    self.f32(value);
                }
            }
            Element::Rule(rule) => {
                self.bytes.push(b'l');
                self.color(rule.color);
                for value in [rule.thickness, rule.x, rule.y, rule.x_end] {
                    self.f32(value);
                }
            }
            Element::Path(path) => {
                self.bytes.push(b'p');
                self.fill(path.fill);
                self.stroke(path.stroke);
                self.bytes
                    .extend_from_slice(&(path.ops.len() as u32).to_le_bytes());
                for op in &path.ops {
                    match *op {
                        PathOp::Move(x, y) => self.point(b'm', &[[x, y]]),
                        PathOp::Line(x, y) => self.point(b'l', &[[x, y]]),
                        PathOp::Cubic(a, b, c) => self.point(b'c', &[a, b, c]),
                        PathOp::Close => self.bytes.push(b'h'),
                    }
                }
            }
        }
    }

    fn run(&mut self, run: &TextRun) {
        self.faces |= 1 << run.face.index();
        self.bytes.push(b't');
        self.bytes.push(run.face.index() as u8);
        self.bytes.push(u8::from(run.right_to_left));
        self.color(run.color);
        for value in [run.size, run.x, run.baseline] {
            self.f32(value);
        }
        self.text(&run.text);
        self.bytes
            .extend_from_slice(&(run.glyphs.len() as u32).to_le_bytes());
        for glyph in &run.glyphs {
            // Of fixed width, a short text padded with zeros after its
            // length (nearly all are one letter), a longer one after.
            let mut fixed = [0; 19];
            fixed[..2].copy_from_slice(&glyph.id.to_le_bytes());
            fixed[2..6].copy_from_slice(&glyph.advance.to_bits().to_le_bytes());
            fixed[6..10].copy_from_slice(&glyph.x_offset.to_bits().to_le_bytes());
            fixed[10..14].copy_from_slice(&glyph.y_offset.to_bits().to_le_bytes());
            let text = glyph.text.as_bytes();
            fixed[14] = text.len().min(u8::MAX as usize) as u8;
            if text.len() <= 4 {
                for (to, &byte) in fixed[15..].iter_mut().zip(text) {
                    *to = byte;
                }
                self.bytes.extend_from_slice(&fixed);
            } else {
                self.bytes.extend_from_slice(&fixed[..15]);
                self.text(&glyph.text);
            }
        }
    }

    fn point(&mut self, op: u8, points: &[[f32; 2]]) {
        self.bytes.push(op);
        for &[x, y] in points {
            self.f32(x);
            self.f32(y);
        }
    }

    fn fill(&mut self, fill: Option<Color>) {
        match fill {
            Some(color) => {
                self.bytes.push(1);
                self.color(color);
            }
            None => self.bytes.push(0),
        }
    }

    fn stroke(&mut self, stroke: Option<(Color, f32)>) {
        match stroke {
            Some((color, width)) => {
                self.bytes.push(1);
                self.color(color);
                self.f32(width);
            }
            None => self.bytes.push(0),
        }
    }

    fn color(&mut self, Color(r, g, b): Color) {
        self.bytes.extend_from_slice(&[r, g, b]);
    }

    fn f32(&mut self, value: f32) {
        self.bytes.extend_from_slice(&value.to_bits().to_le_bytes());
    }

    /// A string, after its length.
    fn text(&mut self, text: &str) {
        self.bytes
            .extend_from_slice(&(text.len() as u32).to_le_bytes());
        self.bytes.extend_from_slice(text.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::Page;
    use crate::pdf::encode::PageEncoder;
    use crate::pdf::{glyphs_of, tags};
    use crate::testing::named as handout;
    use crate::{Document, RenderOptions, Renderer};

    /// A document's first page, with the keys of its body as drawn and as
    /// `change` leaves it.
    fn keys(name: &str, change: impl Fn(&mut Page)) -> (Vec<u8>, Vec<u8>) {
        let renderer = Renderer::new();
        let document: Document = renderer
            .layout(&handout(name), &RenderOptions::default())
            .unwrap();
        let fonts = &renderer.pdf_fonts;
        let encoder = PageEncoder::new(&glyphs_of(&document, fonts), fonts).unwrap();
        let key = |page: &Page| {
            let elements = BodyKey::of_elements(page, &tags::marks(page));
            [
                elements.bytes,
                face_context(elements.faces, encoder.faces()),
            ]
            .concat()
        };
        let mut page = document.pages[0].clone();
        let before = key(&page);
        change(&mut page);
        (before, key(&page))
    }

    /// The first text run of the page's body, not its personal lines.
    fn body_run(page: &mut Page) -> &mut TextRun {
        page.elements
            .iter_mut()
            .find_map(|element| match element {
                Element::Text(run) if !run.role.is_personal() && run.glyphs.len() > 3 => Some(run),
                _ => None,
            })
            .unwrap()
    }

    /// A change made to a laid-out page.
    type Change = fn(&mut Page);

    #[test]
    fn any_change_to_what_a_body_is_drawn_from_changes_its_key() {
        let changes: [(&str, Change); 8] = [
            ("a glyph", |page| body_run(page).glyphs[2].id += 1),
            ("an advance", |page| {
                body_run(page).glyphs[2].advance += 0.001
            }),
            ("a mark's shift", |page| {
                body_run(page).glyphs[2].x_offset = 0.01;
            }),
            ("a glyph's text", |page| {
                body_run(page).glyphs[2].text = "ﬁ".into();
            }),
            ("a run's place", |page| body_run(page).baseline += 0.001),
            ("a run's colour", |page| {
                body_run(page).color = Color(1, 2, 3)
            }),
            ("the page's height", |page| page.height += 1.0),
            ("a drawing", |page| {
                let path = page
                    .elements
                    .iter_mut()
                    .find_map(|element| match element {
                        Element::Path(path) => Some(path),
                        _ => None,
                    })
                    .expect("the page has a pictogram");
                path.ops.push(PathOp::Close);
            }),
        ];
        for (what, change) in changes {
            let (before, after) = keys("Ana López", change);
            assert_ne!(before, after, "{what}");
        }
    }

    #[test]
    fn the_personal_lines_leave_the_key_alone_but_for_the_glyphs_they_renumber() {
        let (plain, _) = keys("Hanna Ivanova", |_| ());
        // Her own letters come after the page's, whatever they are.
        let (accented, _) = keys("Zoë Østergaard", |_| ());
        let (greek, _) = keys("Ελένη Nguyễn", |_| ());
        assert_eq!(plain, accented);
        assert_eq!(plain, greek);
        // The personal lines themselves are not in it.
        let (before, after) = keys("Hanna Ivanova", |page| {
            for element in &mut page.elements {
                if let Element::Text(run) = element
                    && run.role.is_personal()
                {
                    run.x += 5.0;
                }
            }
        });
        assert_eq!(before, after);
    }
}

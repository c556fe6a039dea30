//! Turns text into positioned glyphs with harfrust, falling back to Noto Sans
//! for characters the main face cannot draw.

use harfrust::{Buffer, Direction, ShapeOptions, ShaperFont};

use crate::fonts::{Face, Fonts};

/// One shaped glyph. Lengths are in ems, so one shaping serves every size.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// The face the glyph id belongs to.
    pub face: Face,
    /// Glyph id in that face.
    pub id: u16,
    /// How far the pen moves after the glyph, kerning included.
    pub advance: f32,
    /// Horizontal shift of this glyph from the pen (combining marks).
    pub x_offset: f32,
    /// Vertical shift of this glyph, up being positive (combining marks).
    pub y_offset: f32,
    /// Byte offset in the paragraph's text where the glyph's cluster starts.
    pub cluster: usize,
}

/// Shapes `text` in `face` and appends the glyphs to `out`, with clusters
/// counted from `base`.
///
/// The main face is tried first, whole, so that its own mark positioning
/// and kerning apply (Atkinson draws "ễ" as "ê" plus a positioned tilde);
/// only clusters it leaves as `.notdef` go to the fallback face. A per-
/// character cmap test would send such letters to Noto needlessly.
pub fn shape_into(fonts: &Fonts, text: &str, face: Face, base: usize, out: &mut Vec<Glyph>) {
    let start = out.len();
    shape_one_face(fonts, text, face, base, out);
    let Some(fallback) = face.fallback() else {
        return;
    };
    if !out[start..].iter().any(|glyph| glyph.id == 0) {
        return;
    }

    let shaped: Vec<Glyph> = out.drain(start..).collect();
    let mut i = 0;
    while i < shaped.len() {
        let cluster_end = |from: usize| {
            let cluster = shaped[from].cluster;
            let mut to = from;
            while to < shaped.len() && shaped[to].cluster == cluster {
                to += 1;
            }
            to
        };
        let end = cluster_end(i);
        if !shaped[i..end].iter().any(|glyph| glyph.id == 0) {
            out.extend_from_slice(&shaped[i..end]);
            i = end;
            continue;
        }
        // A run of clusters the main face lacks: reshape it whole, so that a
        // Greek word keeps its own kerning in the fallback face.
        let mut run_end = end;
        while run_end < shaped.len() {
            let next = cluster_end(run_end);
            if !shaped[run_end..next].iter().any(|glyph| glyph.id == 0) {
                break;
            }
            run_end = next;
        }
        let from = shaped[i].cluster - base;
        let to = shaped
            .get(run_end)
            .map_or(text.len(), |glyph| glyph.cluster - base);
        shape_one_face(fonts, &text[from..to], fallback, base + from, out);
        i = run_end;
    }
}

pub(crate) fn shape_one_face(
    fonts: &Fonts,
    text: &str,
    face: Face,
    base: usize,
    out: &mut Vec<Glyph>,
) {
    let font = fonts.font(face);
    let shaper = ShaperFont::new(font);
    let mut buffer = Buffer::new();
    buffer.push_str(text);
    buffer.guess_segment_properties();
    buffer.set_direction(Direction::LeftToRight);
    let plan = fonts.plan(face, buffer.script());
    if harfrust::shape(&shaper, &mut buffer, ShapeOptions::new().plan(Some(&plan))).is_err() {
        // Shaping fails only on a malformed buffer, which `push_str` cannot
        // make; draw nothing rather than something wrong.
        return;
    }
    let em = fonts.units_per_em(face);
    out.extend(
        buffer
            .glyph_infos()
            .iter()
            .zip(buffer.glyph_positions())
            .map(|(info, pos)| Glyph {
                face,
                id: u16::try_from(info.glyph_id).unwrap_or(0),
                advance: pos.x_advance as f32 / em,
                x_offset: pos.x_offset as f32 / em,
                y_offset: pos.y_offset as f32 / em,
                cluster: base + info.cluster as usize,
            }),
    );
}

/// Like [`shape_into`], for text that is the same on every handout (the
/// topic's own words): shaped once per process, then copied.
pub fn shape_fixed_into(fonts: &Fonts, text: &str, face: Face, base: usize, out: &mut Vec<Glyph>) {
    let glyphs = fonts.shaped(face, text).unwrap_or_else(|| {
        let mut glyphs = Vec::new();
        shape_into(fonts, text, face, 0, &mut glyphs);
        let glyphs: std::sync::Arc<[Glyph]> = glyphs.into();
        fonts.remember(face, text, glyphs.clone());
        glyphs
    });
    out.extend(glyphs.iter().map(|glyph| Glyph {
        cluster: glyph.cluster + base,
        ..glyph.clone()
    }));
}

/// Sum of the advances of `glyphs`, in ems.
pub fn width(glyphs: &[Glyph]) -> f32 {
    glyphs.iter().map(|glyph| glyph.advance).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(text: &str, face: Face) -> Vec<Glyph> {
        let mut out = Vec::new();
        shape_into(&Fonts::new(), text, face, 0, &mut out);
        out
    }

    #[test]
    fn kerning_narrows_av() {
        let fonts = Fonts::new();
        let av = width(&shape("AV", Face::Regular));
        let mut a = Vec::new();
        shape_into(&fonts, "A", Face::Regular, 0, &mut a);
        shape_into(&fonts, "V", Face::Regular, 1, &mut a);
        assert!(av < width(&a), "AV {av} is not kerned tighter than A + V");
    }

    #[test]
    fn latin_stays_in_the_main_face() {
        let glyphs = shape("Ana López, Nguyễn", Face::Regular);
        assert!(
            glyphs
                .iter()
                .all(|glyph| glyph.face == Face::Regular && glyph.id != 0)
        );
    }

    #[test]
    fn greek_and_cyrillic_fall_back_to_noto() {
        let glyphs = shape("Anna Ελένη Анна", Face::Bold);
        assert!(glyphs.iter().all(|glyph| glyph.id != 0));
        let faces: Vec<Face> = glyphs.iter().map(|glyph| glyph.face).collect();
        assert_eq!(faces[0], Face::Bold);
        assert!(faces.contains(&Face::FallbackBold));
        // Clusters stay in text order, so the glyphs can be split at any break.
        assert!(
            glyphs
                .windows(2)
                .all(|pair| pair[0].cluster <= pair[1].cluster)
        );
        // Every Greek and Cyrillic letter, and no Latin one, is Noto's.
        let text = "Anna Ελένη Анна";
        for glyph in &glyphs {
            let letter = text[glyph.cluster..].chars().next().unwrap();
            let expected = match letter {
                ' ' => continue,
                letter if letter.is_ascii() => Face::Bold,
                _ => Face::FallbackBold,
            };
            assert_eq!(glyph.face, expected, "{letter:?}");
        }
        assert_eq!(
            glyphs
                .iter()
                .filter(|glyph| glyph.face == Face::FallbackBold)
                .count(),
            "ΕλένηАнна".chars().count()
        );
    }

    #[test]
    fn characters_no_face_has_become_notdef_not_nothing() {
        let glyphs = shape("a\u{10FFFD}b", Face::Regular);
        assert_eq!(glyphs.len(), 3);
        assert_eq!(glyphs[1].id, 0);
    }
}

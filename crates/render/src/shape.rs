//! Turns text into positioned glyphs with harfrust.
//!
//! A paragraph is split into items, each of one span, one bidi level (the
//! Unicode bidi algorithm's, from `unicode-bidi`) and one script's face,
//! and each item is shaped on its own with its script and direction:
//! Arabic joins, Indic syllables reorder, Hangul and marks stack. Glyphs
//! are kept in logical (text) order, right-to-left items reversed from
//! the shaper's visual order, so that a paragraph can be broken into lines
//! by its text; a line is put back into visual order when it is set.

use std::ops::Range;

use harfrust::{Buffer, Direction, Script, ShapeOptions, ShaperFont};
use unicode_bidi::{BidiInfo, Level};

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
    /// The glyph's bidi embedding level: even left to right, odd right to
    /// left.
    pub level: u8,
}

/// How a paragraph is written: its base direction, and whether its own
/// words are Urdu, set in Nastaliq.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Writing {
    /// Whether the paragraph runs right to left (an Arabic, Urdu, Hebrew
    /// or Persian leaflet).
    pub rtl: bool,
    /// Whether the topic's own words in Arabic script are Urdu.
    pub urdu: bool,
}

impl Writing {
    /// How a leaflet in `language` (a BCP 47 tag) is written.
    pub fn of_language(language: &str) -> Writing {
        let primary = language.split(['-', '_']).next().unwrap_or_default();
        let primary = primary.to_ascii_lowercase();
        Writing {
            rtl: matches!(primary.as_str(), "ar" | "ur" | "he" | "fa" | "ps" | "yi"),
            urdu: primary == "ur",
        }
    }
}

/// A part of a paragraph's text in one weight.
#[derive(Debug, Clone)]
pub(crate) struct SpanRange {
    /// Its bytes in the paragraph's text.
    pub range: Range<usize>,
    /// Whether it is bold.
    pub bold: bool,
    /// Whether it is the topic's own words, shaped once per process.
    pub fixed: bool,
}

/// Shapes a paragraph's `text`, made of `spans`, written as `writing` says,
/// and appends its glyphs to `out` in text order.
pub(crate) fn shape_paragraph(
    fonts: &Fonts,
    text: &str,
    spans: &[SpanRange],
    writing: Writing,
    out: &mut Vec<Glyph>,
) {
    let mut levels = bidi_levels(text, writing.rtl);
    if let Some(levels) = &mut levels {
        for span in spans.iter().filter(|span| !span.fixed) {
            isolate(text, span.range.clone(), writing.rtl, levels);
        }
    }
    for span in spans {
        for item in items(text, span, levels.as_deref(), writing) {
            let start = out.len();
            let piece = &text[item.range.clone()];
            let rtl = item.level % 2 == 1;
            if span.fixed {
                shape_fixed_into(fonts, piece, item.face, rtl, item.range.start, out);
            } else {
                shape_into(fonts, piece, item.face, rtl, item.range.start, out);
            }
            for glyph in &mut out[start..] {
                glyph.level = item.level;
            }
        }
    }
}

/// Each byte's bidi level, or `None` when the whole text is left to right
/// at level 0 (the common case, found without running the algorithm).
fn bidi_levels(text: &str, rtl: bool) -> Option<Vec<u8>> {
    // Below U+0590 no character is right to left, and no bidi control is.
    if !rtl && text.chars().all(|c| c < '\u{590}') {
        return None;
    }
    let base = if rtl { Level::rtl() } else { Level::ltr() };
    let info = BidiInfo::new(text, Some(base));
    Some(info.levels.iter().map(Level::number).collect())
}

/// Sets the levels of what the midwife typed (a name, a phone number, an
/// address) as a bidi isolate would: in its own direction, found from its
/// first letter, unmoved by the words around it. Without it, "01632 960
/// 123" on a right-to-left page prints as "123 960 01632", and a Latin
/// address's house number jumps to the end of its line.
fn isolate(text: &str, range: Range<usize>, rtl: bool, levels: &mut [u8]) {
    let part = &text[range.clone()];
    let own_rtl = unicode_bidi::get_base_direction(part) == unicode_bidi::Direction::Rtl;
    let base = if own_rtl { Level::rtl() } else { Level::ltr() };
    let info = BidiInfo::new(part, Some(base));
    // An isolate sits one level or two above the paragraph's, with its
    // own direction's parity.
    let lift = match (rtl, own_rtl) {
        (true, false) => 2,
        _ => 0,
    };
    for (level, own) in levels[range].iter_mut().zip(&info.levels) {
        *level = own.number() + lift;
    }
}

/// A run of a span's text with one level and one face.
struct Item {
    range: Range<usize>,
    level: u8,
    face: Face,
}

/// Splits a span into items of one bidi level and one face. A character
/// common to all scripts (a space, a digit, punctuation) or a combining
/// mark goes with the script before it, or after it at the start.
fn items(text: &str, span: &SpanRange, levels: Option<&[u8]>, writing: Writing) -> Vec<Item> {
    let part = &text[span.range.clone()];
    let main = Face::main(span.bold);
    // Below U+0590 every script is the main face's (Latin, Greek,
    // Cyrillic): the common case needs no look at each character.
    if levels.is_none() && part.chars().all(|c| c < '\u{590}') {
        return vec![Item {
            range: span.range.clone(),
            level: 0,
            face: main,
        }];
    }
    let face_of = |script: Script| {
        Face::for_script(script, span.bold, writing.urdu && span.fixed).unwrap_or(main)
    };
    // A common character takes the face before it at its own level, or
    // else the next script's: so a space between an Arabic word and a
    // Latin one goes with the word on its own side of the direction change.
    let mut chars: Vec<(usize, Face, u8)> = Vec::with_capacity(part.len());
    let mut current: Option<(Face, u8)> = None;
    let mut pending = 0;
    for (at, c) in part.char_indices() {
        let at = span.range.start + at;
        let level = levels.map_or(0, |levels| levels[at]);
        let script = harfrust::unicode::script(u32::from(c));
        if matches!(script, Script::COMMON | Script::INHERITED | Script::UNKNOWN) {
            match current {
                Some((face, before)) if before == level => {
                    chars.push((at, face, level));
                    pending = 0;
                }
                _ => {
                    chars.push((at, main, level));
                    pending += 1;
                }
            }
            continue;
        }
        let face = face_of(script);
        let waiting = chars.len() - pending..chars.len();
        for earlier in &mut chars[waiting] {
            earlier.1 = face;
        }
        pending = 0;
        current = Some((face, level));
        chars.push((at, face, level));
    }
    let mut items: Vec<Item> = Vec::new();
    for (i, &(at, face, level)) in chars.iter().enumerate() {
        let end = chars.get(i + 1).map_or(span.range.end, |next| next.0);
        match items.last_mut() {
            Some(item) if item.face == face && item.level == level => item.range.end = end,
            _ => items.push(Item {
                range: at..end,
                level,
                face,
            }),
        }
    }
    items
}

/// Shapes `text` in `face` and direction, and appends the glyphs to `out`
/// in text order, with clusters counted from `base`.
///
/// The face is tried first, whole, so that its own mark positioning and
/// kerning apply (Atkinson draws "ễ" as "ê" plus a positioned tilde); only
/// clusters it leaves as `.notdef` go to its fallback face, and so on down
/// the chain. A per-character cmap test would send such letters to Noto
/// needlessly.
pub fn shape_into(
    fonts: &Fonts,
    text: &str,
    face: Face,
    rtl: bool,
    base: usize,
    out: &mut Vec<Glyph>,
) {
    let start = out.len();
    shape_one_face(fonts, text, face, rtl, base, out);
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
        // A run of clusters the face lacks: reshape it whole, so that a
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
        shape_into(fonts, &text[from..to], fallback, rtl, base + from, out);
        i = run_end;
    }
}

/// Shapes `text` in one face, with no fallback, and appends the glyphs to
/// `out` in text order.
pub(crate) fn shape_one_face(
    fonts: &Fonts,
    text: &str,
    face: Face,
    rtl: bool,
    base: usize,
    out: &mut Vec<Glyph>,
) {
    let font = fonts.font(face);
    let shaper = ShaperFont::new(font);
    let mut buffer = Buffer::new();
    buffer.push_str(text);
    buffer.set_direction(if rtl {
        Direction::RightToLeft
    } else {
        Direction::LeftToRight
    });
    buffer.guess_segment_properties();
    let plan = fonts.plan(face, buffer.script(), rtl);
    if harfrust::shape(&shaper, &mut buffer, ShapeOptions::new().plan(Some(&plan))).is_err() {
        // Shaping fails only on a malformed buffer, which `push_str` cannot
        // make; draw nothing rather than something wrong.
        return;
    }
    let em = fonts.units_per_em(face);
    let start = out.len();
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
                level: u8::from(rtl),
            }),
    );
    if rtl {
        // The shaper gives right-to-left text in visual order.
        out[start..].reverse();
    }
}

/// Like [`shape_into`], for text that is the same on every handout (the
/// topic's own words): shaped once per process, then copied.
pub fn shape_fixed_into(
    fonts: &Fonts,
    text: &str,
    face: Face,
    rtl: bool,
    base: usize,
    out: &mut Vec<Glyph>,
) {
    let glyphs = fonts.shaped(face, rtl, text).unwrap_or_else(|| {
        let mut glyphs = Vec::new();
        shape_into(fonts, text, face, rtl, 0, &mut glyphs);
        let glyphs: std::sync::Arc<[Glyph]> = glyphs.into();
        fonts.remember(face, rtl, text, glyphs.clone());
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
        shape_into(&Fonts::new(), text, face, false, 0, &mut out);
        out
    }

    #[test]
    fn kerning_narrows_av() {
        let fonts = Fonts::new();
        let av = width(&shape("AV", Face::Regular));
        let mut a = Vec::new();
        shape_into(&fonts, "A", Face::Regular, false, 0, &mut a);
        shape_into(&fonts, "V", Face::Regular, false, 1, &mut a);
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

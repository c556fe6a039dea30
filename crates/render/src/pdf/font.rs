//! A face cut down to the glyphs a document draws, ready to embed: its
//! program, ToUnicode map, widths and descriptor, made by printpdf.

use std::collections::{BTreeMap, HashMap};
use std::io;

use lopdf::{Dictionary, Object};
use printpdf::FontId;
use sha2::{Digest, Sha256};

use super::syntax::deflate;
use crate::fonts::Face;
use crate::glyphs::glyph_text;

/// A face cut down to the glyphs a document uses, ready to embed: made
/// once per set of glyphs (see [`PdfFonts::subset`](super::PdfFonts)).
#[derive(Debug)]
pub(crate) struct Subset {
    /// "TAGTAG+PostScriptName".
    pub(super) name: String,
    /// The font program, compressed, and its length before.
    pub(super) program: Vec<u8>,
    pub(super) program_len: usize,
    /// The ToUnicode CMap, compressed.
    pub(super) cmap: Vec<u8>,
    /// The font descriptor, less its font file.
    pub(super) descriptor: Dictionary,
    /// The `/W` array.
    pub(super) widths: Vec<Object>,
    /// Glyph ids in the face to glyph ids in the subset, each with the
    /// glyph's width as `/W` gives it, in 1/1000 em.
    pub(super) new_ids: HashMap<u16, (u16, f32)>,
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
            let width = width(old);
            new_ids.insert(old, (*new, width));
            mapped.push((*new, width as i64, glyph_text(text).to_string()));
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

/// Six capital letters naming a subset of a face: the same for the same
/// glyphs, different for different ones.
fn subset_tag(face: Face, glyphs: impl IntoIterator<Item = u16>) -> String {
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::io::Read;

    use super::*;
    use crate::glyphs::MAX_GLYPH_TEXT_UNITS;

    #[test]
    fn every_to_unicode_entry_is_one_a_reader_takes() {
        let face = Face::Regular;
        let parsed = printpdf::ParsedFont::from_bytes(face.bytes(), 0, &mut Vec::new()).unwrap();
        // Glyph 1 stands for a letter with 70 marks, which the checks before
        // this refuse; the map must still be one a reader takes.
        let long = format!("e{}", "\u{301}".repeat(70));
        let glyphs = BTreeMap::from([(1, long.clone()), (2, "fi".to_string())]);
        let subset = Subset::new(&parsed, face, &glyphs, |_| 500.0).unwrap();
        let mut cmap = String::new();
        flate2::read::ZlibDecoder::new(subset.cmap.as_slice())
            .read_to_string(&mut cmap)
            .unwrap();
        let (_, entries) = cmap.split_once("beginbfchar").unwrap();
        let targets: Vec<&str> = entries
            .lines()
            .filter_map(|line| line.strip_prefix('<')?.split_once("> <"))
            .map(|(_, target)| target.trim_end_matches('>'))
            .collect();
        assert_eq!(targets.len(), 2, "{cmap}");
        // Poppler takes at most 127 bytes; the entry gives what fits.
        let expected: String = long
            .encode_utf16()
            .take(MAX_GLYPH_TEXT_UNITS)
            .map(|unit| format!("{unit:04X}"))
            .collect();
        assert!(targets.contains(&expected.as_str()), "{cmap}");
        assert!(targets.contains(&"00660069"), "{cmap}");
    }
}

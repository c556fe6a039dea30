//! A face cut down to the glyphs a document draws, ready to embed: its
//! program (cut by allsorts, printpdf's subsetter), ToUnicode map, widths
//! and descriptor, as printpdf makes them.

use std::collections::BTreeMap;
use std::io;
use std::sync::Arc;

use lopdf::{Dictionary, Object};
use sha2::{Digest, Sha256};
use skrifa::MetadataProvider;
use skrifa::raw::TableProvider;
use smol_str::SmolStr;

use super::syntax::{deflate, deflate_small_shared, hex, serialize};
use crate::fonts::Face;
use crate::glyphs::glyph_text;

/// A face cut down to the glyphs a document uses, ready to embed: made
/// once per set of glyphs (see [`PdfFonts::subset`](super::PdfFonts)).
#[derive(Debug)]
pub(crate) struct Subset {
    /// What tells it from every other subset (see `subset_id`).
    pub(super) id: [u8; 32],
    /// "TAGTAG+PostScriptName".
    pub(super) name: String,
    /// The font program, compressed, and its length before.
    pub(super) program: Arc<[u8]>,
    pub(super) program_len: usize,
    /// The ToUnicode CMap, compressed.
    pub(super) cmap: Arc<[u8]>,
    /// The font descriptor, less its font file, in PDF syntax without its
    /// closing `>>`: serialized once, for every file that embeds it.
    pub(super) descriptor: Vec<u8>,
    /// The `/W` array, in PDF syntax.
    pub(super) widths: Vec<u8>,
    /// Each glyph of the face in the subset, by its id in the face: see
    /// [`Subset::glyph`].
    new_ids: Vec<(u16, SubsetGlyph)>,
}

/// What a face's PDF objects need of it besides its glyphs' outlines: its
/// PostScript name, the metrics its font descriptor gives, each glyph's
/// advance and which glyph draws a character. The values are printpdf's
/// `ParsedFont`'s, read where they lie in the face's tables (a test holds
/// the two equal for every face): `ParsedFont` copies the whole font and
/// its layout tables and loads its outlines first, some 0.2 ms and 40
/// page faults of a single handout, and 20 ms for a name in Chinese, whose
/// face is 10 MB.
pub(crate) struct FaceFacts {
    /// The face's horizontal metrics, for its glyphs' advances, if it has
    /// them.
    hmtx: Option<skrifa::raw::tables::hmtx::Hmtx<'static>>,
    /// Its character map, its best Unicode subtable chosen once.
    charmap: skrifa::charmap::Charmap<'static>,
    /// The PostScript name, in English where the face has one.
    name: Option<String>,
    /// `head`'s units per em, as it stands (0 in a broken face).
    pub(super) units_per_em: u16,
    /// `head`'s bounding box: x min, y min, x max, y max.
    bbox: [i16; 4],
    /// `hhea`'s ascender and descender.
    ascent: i16,
    descent: i16,
    /// `hhea`'s caret slope, rise and run.
    caret_slope: (i16, i16),
    /// `OS/2`'s weight class, 0 when the face has no `OS/2`.
    weight_class: u16,
    /// `maxp`'s glyph count.
    glyph_count: u16,
}

impl FaceFacts {
    /// Reads `face`'s tables; `None` if it lacks one it must have.
    pub(crate) fn read(face: Face) -> Option<FaceFacts> {
        let font = skrifa::FontRef::new(face.bytes()).ok()?;
        let head = font.head().ok()?;
        let hhea = font.hhea().ok()?;
        Some(FaceFacts {
            name: font
                .localized_strings(skrifa::string::StringId::POSTSCRIPT_NAME)
                .english_or_first()
                .map(|name| name.to_string()),
            units_per_em: head.units_per_em(),
            bbox: [head.x_min(), head.y_min(), head.x_max(), head.y_max()],
            ascent: hhea.ascender().to_i16(),
            descent: hhea.descender().to_i16(),
            caret_slope: (hhea.caret_slope_rise(), hhea.caret_slope_run()),
            weight_class: font.os2().map_or(0, |os2| os2.us_weight_class()),
            glyph_count: font.maxp().ok()?.num_glyphs(),
            hmtx: font.hmtx().ok(),
            charmap: font.charmap(),
        })
    }

    /// A glyph's advance in font units: 0 for one the face does not have.
    pub(crate) fn advance(&self, glyph: u16) -> u16 {
        if glyph >= self.glyph_count {
            return 0;
        }
        let Some(hmtx) = &self.hmtx else {
            return 0;
        };
        let metrics = hmtx.h_metrics();
        metrics
            .get(usize::from(glyph))
            .or(metrics.last())
            .map_or(0, |metric| metric.advance())
    }

    /// The glyph the face draws `c` with, if any.
    pub(crate) fn glyph(&self, c: char) -> Option<u16> {
        let glyph = self.charmap.map(c)?.to_u32();
        u16::try_from(glyph).ok()
    }
}

/// A glyph as a subset has it.
#[derive(Debug)]
pub(crate) struct SubsetGlyph {
    /// Its id in the subset.
    pub(super) id: u16,
    /// Its width as `/W` gives it, in 1/1000 em.
    pub(super) width: f32,
    /// The text its ToUnicode entry gives.
    pub(super) text: String,
}

impl Subset {
    /// Subsets `face`, whose facts are `facts`, to `glyphs` (glyph id and
    /// the text it stands for), numbered in the order given; `width` gives
    /// a glyph's advance in 1/1000 em.
    pub(crate) fn new(
        facts: &FaceFacts,
        face: Face,
        glyphs: &[(u16, SmolStr)],
        width: impl Fn(u16) -> f32,
    ) -> io::Result<Subset> {
        let texts: BTreeMap<u16, String> = glyphs
            .iter()
            .map(|(id, text)| (*id, text.to_string()))
            .collect();
        let texts = crate::glyphs::distinguished(face, &texts);
        let failed =
            |error: String| io::Error::other(format!("could not subset {face:?}: {error}"));
        // allsorts numbers each glyph by its place in the list, .notdef
        // first (printpdf's `subset_font` would number them by id).
        let ids: Vec<u16> = std::iter::once(0)
            .chain(glyphs.iter().map(|(id, _)| *id).filter(|&id| id != 0))
            .collect();
        let bytes = subset_program(face, &ids).map_err(failed)?;
        let mut new_ids = Vec::with_capacity(ids.len());
        let mut mapped: Vec<(u16, i64, String)> = Vec::with_capacity(ids.len());
        for (new, &old) in ids.iter().enumerate() {
            let Some(text) = texts.get(&old) else {
                continue;
            };
            let new = u16::try_from(new).map_err(|_| failed("too many glyphs".into()))?;
            let width = width(old);
            let text = glyph_text(text).to_string();
            mapped.push((new, width as i64, text.clone()));
            new_ids.push((
                old,
                SubsetGlyph {
                    id: new,
                    width,
                    text,
                },
            ));
        }
        new_ids.sort_unstable_by_key(|(old, _)| *old);
        mapped.sort_by_key(|glyph| glyph.0);

        let id = subset_id(face, glyphs);
        let tag: String = id[..6]
            .iter()
            .map(|byte| char::from(b'A' + byte % 26))
            .collect();
        let name = format!(
            "{tag}+{}",
            facts.name.clone().unwrap_or_else(|| format!("{face:?}"))
        );
        let cmap = to_unicode(mapped.iter().map(|(id, _, text)| (*id, text.as_str())));
        let program = with_fewer_names(&bytes).unwrap_or(bytes);
        Ok(Subset {
            id,
            descriptor: {
                let mut bytes = Vec::new();
                serialize(
                    &mut bytes,
                    &Object::Dictionary(font_descriptor(facts, &name)),
                );
                bytes.truncate(bytes.len() - b">>".len());
                bytes
            },
            name,
            program_len: program.len(),
            program: deflate(&program).into(),
            cmap: deflate_small_shared(&cmap).into(),
            widths: {
                let mut bytes = Vec::new();
                serialize(&mut bytes, &Object::Array(width_runs(&mapped)));
                bytes
            },
            new_ids,
        })
    }
}

/// The font program of `face` cut down to the glyphs `ids`, numbered in
/// that order, .notdef first.
fn subset_program(face: Face, ids: &[u16]) -> Result<Vec<u8>, String> {
    use allsorts::binary::read::ReadScope;
    use allsorts::font_data::FontData;
    use allsorts::subset::{CmapTarget, SubsetProfile, subset};
    let font = ReadScope::new(face.bytes())
        .read::<FontData<'_>>()
        .map_err(|error| error.to_string())?;
    let provider = font.table_provider(0).map_err(|error| error.to_string())?;
    subset(&provider, ids, &SubsetProfile::Pdf, CmapTarget::Unicode)
        .map_err(|error| error.to_string())
}

impl Subset {
    /// The glyph the face numbers `id`, as the subset has it: looked up
    /// for every glyph a page draws, so by binary search in a sorted list
    /// rather than by hashing.
    pub(crate) fn glyph(&self, id: u16) -> Option<&SubsetGlyph> {
        self.new_ids
            .binary_search_by_key(&id, |(old, _)| *old)
            .ok()
            .map(|index| &self.new_ids[index].1)
    }
}

/// The names an embedded subset keeps: the copyright notice, the family,
/// style and full names, the PostScript name, and the licence and its
/// address, which the SIL Open Font License asks to travel with the font.
/// The rest (designers, vendor, version, the named styles of a variable
/// face) cost some 300 bytes a face in every file and tell a reader
/// nothing.
const KEPT_NAMES: [u16; 7] = [0, 1, 2, 4, 6, 13, 14];

/// `font`, an sfnt, with a `name` table of only the [`KEPT_NAMES`], its
/// tables' checksums and the head's adjustment made anew; `None` if the
/// font is not laid out as one expects (it is then embedded as it is).
fn with_fewer_names(font: &[u8]) -> Option<Vec<u8>> {
    let u16_at =
        |bytes: &[u8], at: usize| Some(u16::from_be_bytes(bytes.get(at..at + 2)?.try_into().ok()?));
    let u32_at =
        |bytes: &[u8], at: usize| Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?));
    let count = usize::from(u16_at(font, 4)?);
    let mut tables = Vec::with_capacity(count);
    for index in 0..count {
        let record = 12 + 16 * index;
        let tag: [u8; 4] = font.get(record..record + 4)?.try_into().ok()?;
        let offset = u32_at(font, record + 8)? as usize;
        let length = u32_at(font, record + 12)? as usize;
        tables.push((tag, font.get(offset..offset.checked_add(length)?)?.to_vec()));
    }
    let (_, name) = tables.iter_mut().find(|(tag, _)| tag == b"name")?;
    // Format 0: format, count, storage offset, then six-field records.
    if u16_at(name, 0)? != 0 {
        return None;
    }
    let storage = usize::from(u16_at(name, 4)?);
    let mut records = Vec::new();
    let mut strings = Vec::new();
    for index in 0..usize::from(u16_at(name, 2)?) {
        let record = 6 + 12 * index;
        if !KEPT_NAMES.contains(&u16_at(name, record + 6)?) {
            continue;
        }
        let length = usize::from(u16_at(name, record + 8)?);
        let start = storage + usize::from(u16_at(name, record + 10)?);
        records.extend_from_slice(name.get(record..record + 8)?);
        records.extend_from_slice(&(length as u16).to_be_bytes());
        records.extend_from_slice(&u16::try_from(strings.len()).ok()?.to_be_bytes());
        strings.extend_from_slice(name.get(start..start + length)?);
    }
    let kept = records.len() / 12;
    let mut table = Vec::with_capacity(6 + records.len() + strings.len());
    table.extend_from_slice(&0u16.to_be_bytes());
    table.extend_from_slice(&(kept as u16).to_be_bytes());
    table.extend_from_slice(&((6 + 12 * kept) as u16).to_be_bytes());
    table.extend_from_slice(&records);
    table.extend_from_slice(&strings);
    *name = table;

    // The same tables in the same order, each on a four-byte boundary.
    let checksum = |bytes: &[u8]| {
        bytes.chunks(4).fold(0u32, |sum, chunk| {
            let mut word = [0; 4];
            word[..chunk.len()].copy_from_slice(chunk);
            sum.wrapping_add(u32::from_be_bytes(word))
        })
    };
    let mut out = font.get(..12 + 16 * count)?.to_vec();
    let mut head_at = None;
    for (index, (tag, bytes)) in tables.iter_mut().enumerate() {
        if tag == b"head" {
            // The adjustment is reckoned with itself as zero.
            bytes.get_mut(8..12)?.fill(0);
            head_at = Some(out.len());
        }
        let record = 12 + 16 * index;
        let offset = u32::try_from(out.len()).ok()?;
        out[record + 4..record + 8].copy_from_slice(&checksum(bytes).to_be_bytes());
        out[record + 8..record + 12].copy_from_slice(&offset.to_be_bytes());
        out[record + 12..record + 16]
            .copy_from_slice(&u32::try_from(bytes.len()).ok()?.to_be_bytes());
        out.extend_from_slice(bytes);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    let adjustment = 0xB1B0_AFBA_u32.wrapping_sub(checksum(&out));
    let head_at = head_at?;
    out[head_at + 8..head_at + 12].copy_from_slice(&adjustment.to_be_bytes());
    Some(out)
}

/// A ToUnicode CMap giving each glyph of a subset, in id order, its text:
/// runs of consecutive glyphs standing for consecutive characters as one
/// range each, others one by one, at most 100 to a block as PDF asks
/// (ISO 32000-1, 9.10.3). A glyph that stands for no text has no entry.
fn to_unicode<'a>(glyphs: impl IntoIterator<Item = (u16, &'a str)>) -> Vec<u8> {
    // (first glyph, last glyph, the first's text as UTF-16).
    let mut ranges: Vec<(u16, u16, Vec<u16>)> = Vec::new();
    let mut singles: Vec<(u16, Vec<u16>)> = Vec::new();
    for (id, text) in glyphs {
        let units: Vec<u16> = text.encode_utf16().collect();
        if units.is_empty() {
            continue;
        }
        // A range's source codes may differ only in their last byte, and
        // so may its text's one unit.
        let extends = match (ranges.last(), &units[..]) {
            (Some((first, last, start)), [unit]) => {
                last.checked_add(1) == Some(id)
                    && id >> 8 == first >> 8
                    && start.len() == 1
                    && u32::from(start[0]) + u32::from(id - first) == u32::from(*unit)
                    && unit >> 8 == start[0] >> 8
            }
            _ => false,
        };
        if extends {
            ranges.last_mut().expect("a range to extend").1 = id;
        } else {
            ranges.push((id, id, units));
        }
    }
    // A "range" of one glyph is written as a single.
    ranges.retain(|(first, last, units)| {
        if first == last {
            singles.push((*first, units.clone()));
            false
        } else {
            true
        }
    });
    let mut out = Vec::with_capacity(256 + 20 * singles.len() + 24 * ranges.len());
    out.extend_from_slice(
        b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
          /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
          /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
          1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    // Spaced as Adobe's own CMaps are: some readers tokenize no other way.
    let code = |out: &mut Vec<u8>, id: u16| {
        out.push(b'<');
        hex(out, &id.to_be_bytes());
        out.extend_from_slice(b"> ");
    };
    let text = |out: &mut Vec<u8>, units: &[u16]| {
        out.push(b'<');
        for unit in units {
            hex(out, &unit.to_be_bytes());
        }
        out.extend_from_slice(b">\n");
    };
    for block in singles.chunks(100) {
        out.extend_from_slice(format!("{} beginbfchar\n", block.len()).as_bytes());
        for (id, units) in block {
            code(&mut out, *id);
            text(&mut out, units);
        }
        out.extend_from_slice(b"endbfchar\n");
    }
    for block in ranges.chunks(100) {
        out.extend_from_slice(format!("{} beginbfrange\n", block.len()).as_bytes());
        for (first, last, units) in block {
            code(&mut out, *first);
            code(&mut out, *last);
            text(&mut out, units);
        }
        out.extend_from_slice(b"endbfrange\n");
    }
    out.extend_from_slice(b"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    out
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
fn font_descriptor(facts: &FaceFacts, name: &str) -> Dictionary {
    let scale = 1000.0 / f32::from(facts.units_per_em.max(1));
    let scaled = |value: i16| Object::Integer((f32::from(value) * scale).round() as i64);
    // printpdf has no cap height for a face, and gives its ascent.
    let ascent = facts.ascent;
    let (rise, run) = facts.caret_slope;
    let italic_angle = if rise == 0 {
        0
    } else {
        (-f32::from(run).atan2(f32::from(rise)))
            .to_degrees()
            .round() as i64
    };
    let stem_v = if facts.weight_class == 0 {
        80
    } else {
        50 + (f32::from(facts.weight_class) / 65.0).powi(2).round() as i64
    };
    Dictionary::from_iter([
        ("Type", Object::Name(b"FontDescriptor".to_vec())),
        ("FontName", Object::Name(name.as_bytes().to_vec())),
        ("Ascent", scaled(ascent)),
        ("Descent", scaled(facts.descent)),
        ("CapHeight", scaled(ascent)),
        ("ItalicAngle", Object::Integer(italic_angle)),
        // Nonsymbolic, and italic only when slanted.
        (
            "Flags",
            Object::Integer(if italic_angle != 0 { 32 | 64 } else { 32 }),
        ),
        ("StemV", Object::Integer(stem_v)),
        (
            "FontBBox",
            Object::Array(facts.bbox.into_iter().map(scaled).collect()),
        ),
    ])
}

/// What tells a subset of a face from every other: the SHA-256 of the
/// face, its glyphs in their order and their texts. Its first six bytes,
/// as capital letters, are the subset's tag.
fn subset_id(face: Face, glyphs: &[(u16, SmolStr)]) -> [u8; 32] {
    let mut hash = Sha256::new();
    hash.update([face as u8]);
    for (glyph, text) in glyphs {
        hash.update(glyph.to_be_bytes());
        hash.update((text.len() as u32).to_be_bytes());
        hash.update(text.as_bytes());
    }
    hash.finalize().into()
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use skrifa::MetadataProvider;
    use skrifa::raw::TableProvider;

    use super::*;
    use crate::glyphs::MAX_GLYPH_TEXT_UNITS;

    /// printpdf's `ParsedFont` is the reference for what a face's PDF
    /// objects say of it: every face's facts, every glyph's width, the
    /// common letters' glyphs and the descriptor must be the same.
    #[test]
    fn every_face_is_described_as_printpdf_describes_it() {
        for face in Face::ALL {
            let facts = FaceFacts::read(face).unwrap();
            let parsed =
                printpdf::ParsedFont::from_bytes(face.bytes(), 0, &mut Vec::new()).unwrap();
            let metrics = &parsed.pdf_font_metrics;
            assert_eq!(facts.name, parsed.font_name, "{face:?}");
            assert_eq!(facts.units_per_em, metrics.units_per_em, "{face:?}");
            let ascent = parsed.font_metrics.ascent;
            let mut ours = Vec::new();
            serialize(&mut ours, &Object::Dictionary(font_descriptor(&facts, "N")));
            // font_descriptor as it read a ParsedFont before FaceFacts.
            let scale = 1000.0 / f32::from(metrics.units_per_em.max(1));
            let scaled = |value: f32| Object::Integer((value * scale).round() as i64);
            let angle = if metrics.caret_slope_rise == 0 {
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
            let theirs = Dictionary::from_iter([
                ("Type", Object::Name(b"FontDescriptor".to_vec())),
                ("FontName", Object::Name(b"N".to_vec())),
                ("Ascent", scaled(ascent)),
                ("Descent", scaled(parsed.font_metrics.descent)),
                (
                    "CapHeight",
                    scaled(parsed.font_metrics.cap_height.unwrap_or(ascent)),
                ),
                ("ItalicAngle", Object::Integer(angle)),
                (
                    "Flags",
                    Object::Integer(if angle != 0 { 32 | 64 } else { 32 }),
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
            ]);
            let mut expected = Vec::new();
            serialize(&mut expected, &Object::Dictionary(theirs));
            assert_eq!(
                String::from_utf8_lossy(&ours),
                String::from_utf8_lossy(&expected),
                "{face:?}"
            );
            // Every glyph, and one past the last.
            for glyph in 0..=facts.glyph_count {
                assert_eq!(
                    facts.advance(glyph),
                    parsed.get_horizontal_advance(glyph),
                    "{face:?} glyph {glyph}"
                );
            }
            for c in super::super::COMMON.chars().chain("éαЖ ".chars()) {
                assert_eq!(
                    facts.glyph(c),
                    parsed.lookup_glyph_index(u32::from(c)),
                    "{face:?} {c}"
                );
            }
        }
    }

    #[test]
    fn every_to_unicode_entry_is_one_a_reader_takes() {
        let face = Face::Regular;
        let facts = FaceFacts::read(face).unwrap();
        // Glyph 1 stands for a letter with 70 marks, which the checks before
        // this refuse; the map must still be one a reader takes.
        let long = format!("e{}", "\u{301}".repeat(70));
        let glyphs = [(1, SmolStr::new(&long)), (2, SmolStr::new_static("fi"))];
        let subset = Subset::new(&facts, face, &glyphs, |_| 500.0).unwrap();
        let mut cmap = String::new();
        flate2::read::ZlibDecoder::new(&subset.cmap[..])
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

    #[test]
    fn a_subset_numbers_its_glyphs_in_the_order_given() {
        use skrifa::GlyphId;
        let face = Face::Regular;
        let facts = FaceFacts::read(face).unwrap();
        let original = skrifa::FontRef::new(face.bytes()).unwrap();
        let id = |c: char| original.charmap().map(c).unwrap().to_u32() as u16;
        // "é" drawn only in a name comes after the page's other letters.
        let glyphs = [
            (id('a'), SmolStr::new_static("a")),
            (id('z'), SmolStr::new_static("z")),
            (id('é'), SmolStr::new_static("é")),
        ];
        assert!(id('é') < id('z'), "the test needs é before z in the face");
        let subset = Subset::new(&facts, face, &glyphs, |_| 500.0).unwrap();
        let numbers: Vec<u16> = glyphs
            .iter()
            .map(|(old, _)| subset.glyph(*old).unwrap().id)
            .collect();
        assert_eq!(numbers, [1, 2, 3]);
        // Each number draws its glyph: the same outline's bounds.
        let mut program = Vec::new();
        flate2::read::ZlibDecoder::new(&subset.program[..])
            .read_to_end(&mut program)
            .unwrap();
        let cut = skrifa::FontRef::new(&program).unwrap();
        let bounds = |font: &skrifa::FontRef, glyph: u16| {
            let metrics = font.glyph_metrics(
                skrifa::instance::Size::unscaled(),
                skrifa::instance::LocationRef::default(),
            );
            metrics.bounds(GlyphId::new(u32::from(glyph)))
        };
        for ((old, _), new) in glyphs.iter().zip(numbers) {
            assert_eq!(bounds(&cut, new), bounds(&original, *old), "glyph {old}");
        }
    }

    #[test]
    fn consecutive_glyphs_for_consecutive_letters_are_one_range() {
        let cmap = String::from_utf8(to_unicode([
            (1, "A"),
            (2, "B"),
            (3, "C"),
            (4, "fi"),
            (5, "E"),
            // No entry for a glyph with no text.
            (6, ""),
            // A range's codes may differ only in their last byte...
            (0x00ff, "x"),
            (0x0100, "y"),
            // ...and so may its text's.
            (0x0101, "\u{ff}"),
            (0x0102, "\u{100}"),
        ]))
        .unwrap();
        assert!(
            cmap.contains("1 beginbfrange\n<0001> <0003> <0041>\nendbfrange"),
            "{cmap}"
        );
        for single in [
            "<0004> <00660069>",
            "<0005> <0045>",
            "<00FF> <0078>",
            "<0100> <0079>",
            "<0101> <00FF>",
            "<0102> <0100>",
        ] {
            assert!(cmap.contains(single), "{single}: {cmap}");
        }
        assert!(!cmap.contains("<0006>"), "{cmap}");
        assert!(cmap.contains("6 beginbfchar"), "{cmap}");
    }

    #[test]
    fn a_subset_keeps_its_copyright_and_licence_and_stays_a_sound_font() {
        let face = Face::Regular;
        let facts = FaceFacts::read(face).unwrap();
        let program = subset_program(face, &[0, 36, 68]).unwrap();
        let trimmed = with_fewer_names(&program).expect("the subset is an sfnt");
        assert!(trimmed.len() < program.len());
        let font = skrifa::FontRef::new(&trimmed).expect("the trimmed font parses");
        let ids: Vec<u16> = font
            .name()
            .unwrap()
            .name_record()
            .iter()
            .map(|record| record.name_id().to_u16())
            .collect();
        assert_eq!(ids, KEPT_NAMES);
        let copyright = font
            .localized_strings(skrifa::string::StringId::COPYRIGHT_NOTICE)
            .english_or_first()
            .unwrap()
            .to_string();
        assert!(copyright.starts_with("Copyright"), "{copyright}");
        // Every table's checksum, and the whole font's, as a reader checks.
        let word_sum = |bytes: &[u8]| {
            bytes.chunks(4).fold(0u32, |sum, chunk| {
                let mut word = [0; 4];
                word[..chunk.len()].copy_from_slice(chunk);
                sum.wrapping_add(u32::from_be_bytes(word))
            })
        };
        assert_eq!(word_sum(&trimmed), 0xB1B0_AFBA);
        for record in font.table_directory.table_records() {
            let tag = record.tag();
            let data = font.table_data(tag).unwrap();
            let mut bytes = data.as_bytes().to_vec();
            if tag == skrifa::raw::types::Tag::new(b"head") {
                bytes[8..12].fill(0);
            }
            assert_eq!(word_sum(&bytes), record.checksum(), "{tag}");
        }
        assert_eq!(font.head().unwrap().units_per_em(), facts.units_per_em);
    }
}

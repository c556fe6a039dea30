//! Which glyphs of which faces a document draws, each with the text it
//! stands for: what a font subset and its ToUnicode map must hold. A
//! document's pages draw its own subsets, in its own file and in a day's
//! combined file alike.

use std::borrow::Cow;
use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::LazyLock;

use skrifa::MetadataProvider;
use smol_str::SmolStr;
use unicode_normalization::char::decompose_compatible;

use crate::document::Document;
use crate::fonts::Face;
use crate::page::Page;

/// The most UTF-16 code units of text a glyph's ToUnicode entry gives.
/// PDF allows 512 bytes, but readers are stricter (poppler refuses an
/// entry of more than 127 bytes), and no single glyph stands for more than
/// a few characters of real text. A glyph whose cluster is longer gives
/// only its first characters; its run carries the whole text as
/// ActualText.
pub(crate) const MAX_GLYPH_TEXT_UNITS: usize = 32;

/// `text` cut to what one glyph's ToUnicode entry can give, at a character
/// boundary.
pub(crate) fn glyph_text(text: &str) -> &str {
    let mut units = 0;
    for (at, c) in text.char_indices() {
        units += c.len_utf16();
        if units > MAX_GLYPH_TEXT_UNITS {
            return &text[..at];
        }
    }
    text
}

/// What a glyph that stands for no text of its own (a later glyph of a
/// cluster, whose text its first glyph gives) stands for in the ToUnicode
/// map, which PDF/A-2u asks to give every glyph a value: U+034F COMBINING
/// GRAPHEME JOINER, which draws nothing, joins nothing, and which search
/// and speech ignore, so that a reader that takes no ActualText still reads
/// the cluster once.
pub(crate) const NO_TEXT: &str = "\u{34F}";

/// The text a glyph stands for in the ToUnicode map, where it drew `text`
/// (see [`crate::page::PlacedGlyph::text`]): its text, or [`NO_TEXT`] for
/// a glyph with none of its own. See also [`distinguished`].
pub(crate) fn unicode_value(text: &str) -> &str {
    if text.is_empty() { NO_TEXT } else { text }
}

/// How many glyphs of a face standing for one letter make checkers of
/// ToUnicode maps (outloud's TXT-004) take the map for one that loses what
/// the page shows.
const MANY_GLYPHS_ONE_LETTER: usize = 5;

/// A face's glyphs with their ToUnicode values, as [`GlyphUse`] gives them,
/// but where [`MANY_GLYPHS_ONE_LETTER`] or more glyphs stand for one
/// Arabic letter (Naskh draws lam with six: its four forms, and two more
/// before alef), those the face reaches from neither the letter nor any of
/// its presentation forms stand for the letter and [`NO_TEXT`]. A reader
/// still reads the letter; the four forms keep the letter alone, so that
/// the text read back is the text typed wherever a page does not draw a
/// letter so many ways, as a name on a page in another script never does.
///
/// A right-to-left run cannot give its text as ActualText instead:
/// Poppler turns such a run's ActualText around, and a span nested in a
/// structure element's marked content ends that content for Poppler's
/// structure reader.
pub(crate) fn distinguished(
    face: Face,
    glyphs: &BTreeMap<u16, String>,
) -> Cow<'_, BTreeMap<u16, String>> {
    if !face.is_arabic_script() {
        return Cow::Borrowed(glyphs);
    }
    let mut by_letter: HashMap<char, Vec<u16>> = HashMap::new();
    for (&id, text) in glyphs {
        let mut chars = text.chars();
        if let (Some(letter), None) = (chars.next(), chars.next())
            && is_arabic_letter(letter)
        {
            by_letter.entry(letter).or_default().push(id);
        }
    }
    let mut glyphs = Cow::Borrowed(glyphs);
    for (letter, ids) in by_letter {
        if ids.len() < MANY_GLYPHS_ONE_LETTER {
            continue;
        }
        for id in ids {
            if !reaches(face, id, letter) {
                glyphs.to_mut().insert(id, format!("{letter}{NO_TEXT}"));
            }
        }
    }
    glyphs
}

/// Letters of the Arabic blocks that presentation forms exist for.
fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{620}'..='\u{64A}' | '\u{671}'..='\u{6D3}')
}

/// Whether `face` maps `letter`, or one of its presentation forms, to glyph
/// `id`: whether the glyph is one of the letter's isolated, initial, medial
/// and final forms.
fn reaches(face: Face, id: u16, letter: char) -> bool {
    /// Each letter's presentation forms, from their compatibility
    /// decompositions: Presentation Forms-A and -B.
    static FORMS: LazyLock<HashMap<char, Vec<char>>> = LazyLock::new(|| {
        let mut forms: HashMap<char, Vec<char>> = HashMap::new();
        let blocks = ('\u{FB50}'..='\u{FDFF}').chain('\u{FE70}'..='\u{FEFF}');
        for form in blocks {
            let mut letters = Vec::new();
            decompose_compatible(form, |c| letters.push(c));
            if let [letter] = letters[..]
                && letter != form
            {
                forms.entry(letter).or_default().push(form);
            }
        }
        forms
    });
    let Ok(font) = skrifa::FontRef::new(face.bytes()) else {
        return true;
    };
    let charmap = font.charmap();
    let is_this = |c: char| charmap.map(c).map(|glyph| glyph.to_u32()) == Some(u32::from(id));
    is_this(letter)
        || FORMS
            .get(&letter)
            .is_some_and(|forms| forms.iter().copied().any(is_this))
}

/// The glyphs of one or more documents, by face, each with its text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct GlyphUse {
    faces: BTreeMap<Face, BTreeMap<u16, SmolStr>>,
    /// Of those, by face, the glyphs that only the personal lines draw
    /// ([`Role::is_personal`](crate::role::Role::is_personal)): a subset
    /// numbers them after the others (see [`GlyphUse::in_subset_order`]).
    personal: BTreeMap<Face, BTreeSet<u16>>,
}

impl GlyphUse {
    /// The glyphs a document draws.
    pub(crate) fn of_document(document: &Document) -> GlyphUse {
        let mut used = GlyphUse::of_body(document);
        used.add_personal(document);
        used
    }

    /// The glyphs a document draws but for its personal lines': the same
    /// for every patient given the same pages.
    pub(crate) fn of_body(document: &Document) -> GlyphUse {
        let mut used = GlyphUse::default();
        let runs = document.pages.iter().flat_map(Page::runs);
        for run in runs.filter(|run| !run.role.is_personal()) {
            let glyphs = run.glyphs.iter();
            used.extend(
                run.face,
                glyphs.map(|glyph| (glyph.id, glyph.text.as_str())),
            );
        }
        used
    }

    /// Adds the glyphs of a document's personal lines to those of the rest
    /// of it ([`GlyphUse::of_body`]): one not among those, or already
    /// found personal, is personal.
    pub(crate) fn add_personal(&mut self, document: &Document) {
        let runs = document.pages.iter().flat_map(Page::runs);
        for run in runs.filter(|run| run.role.is_personal()) {
            let drawn = self.faces.entry(run.face).or_default();
            let personal = self.personal.entry(run.face).or_default();
            for glyph in &run.glyphs {
                if !drawn.contains_key(&glyph.id) || personal.contains(&glyph.id) {
                    personal.insert(glyph.id);
                }
                insert(drawn, glyph.id, unicode_value(&glyph.text));
            }
        }
    }

    /// Adds the glyphs of one face, each with the text it was drawn for,
    /// which gives its [`unicode_value`].
    pub(crate) fn extend(
        &mut self,
        face: Face,
        glyphs: impl IntoIterator<Item = (u16, impl AsRef<str>)>,
    ) {
        let mine = self.faces.entry(face).or_default();
        for (id, text) in glyphs {
            insert(mine, id, unicode_value(text.as_ref()));
        }
    }

    /// Adds to each face drawn with the glyphs `more` gives for it that it
    /// does not hold yet, with their texts.
    /// They are not personal, whoever else draws them.
    pub(crate) fn add_absent<'a>(&mut self, more: impl Fn(Face) -> &'a [(u16, SmolStr)]) {
        for (&face, glyphs) in &mut self.faces {
            let mut personal = self.personal.get_mut(&face);
            for (id, text) in more(face) {
                glyphs.entry(*id).or_insert_with(|| text.clone());
                if let Some(personal) = &mut personal {
                    personal.remove(id);
                }
            }
        }
    }

    /// The faces used, with their glyphs.
    pub(crate) fn faces(&self) -> &BTreeMap<Face, BTreeMap<u16, SmolStr>> {
        &self.faces
    }

    /// How many of a face's glyphs only the personal lines draw: the last
    /// of [`GlyphUse::in_subset_order`].
    pub(crate) fn personal_count(&self, face: Face) -> usize {
        self.personal.get(&face).map_or(0, BTreeSet::len)
    }

    /// A face's glyphs with their texts, in the order its subset numbers
    /// them: by id, but those only the personal lines draw after the rest.
    /// The rest of a page then draws the same glyph numbers, and its
    /// content stream is the same bytes, whatever the patient's name: a
    /// name with an "é" adds a glyph at the end, not in the middle.
    pub(crate) fn in_subset_order(&self, face: Face) -> Vec<(u16, SmolStr)> {
        let Some(glyphs) = self.faces.get(&face) else {
            return Vec::new();
        };
        let personal = self.personal.get(&face);
        let is_personal = |id: &u16| personal.is_some_and(|personal| personal.contains(id));
        let (mut first, last): (Vec<_>, Vec<_>) = glyphs
            .iter()
            .map(|(&id, text)| (id, text.clone()))
            .partition(|(id, _)| !is_personal(id));
        first.extend(last);
        first
    }
}

/// Adds a glyph and the text it stands for to one face's glyphs, keeping
/// the text that stands for it better.
fn insert(glyphs: &mut BTreeMap<u16, SmolStr>, id: u16, text: &str) {
    match glyphs.entry(id) {
        Entry::Vacant(vacant) => {
            vacant.insert(SmolStr::new(text));
        }
        Entry::Occupied(mut occupied) => {
            if stands_better(text, occupied.get()) {
                *occupied.get_mut() = SmolStr::new(text);
            }
        }
    }
}

/// Whether `text` should stand for a glyph rather than `existing`, where
/// one glyph is drawn for different texts (the later glyphs of a cluster
/// stand for none, [`NO_TEXT`], their run carrying the whole text as
/// ActualText; some faces draw two characters alike): any text over none,
/// then the shorter, then the first in code point order. The choice never
/// depends on the order glyphs are met in, so documents may be merged as
/// threads finish.
fn stands_better(text: &str, existing: &str) -> bool {
    // Most glyphs are met again with the same text: settle that first.
    if text == existing {
        return false;
    }
    match (text == NO_TEXT, existing == NO_TEXT) {
        (true, _) => false,
        (false, true) => true,
        (false, false) if text.len() == existing.len() => text < existing,
        (false, false) => text.len() < existing.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_letter_drawn_five_ways_or_more_has_its_extra_glyphs_told_apart() {
        use skrifa::MetadataProvider;
        let face = Face::ArabicRegular;
        let font = skrifa::FontRef::new(face.bytes()).unwrap();
        let id = |c: char| font.charmap().map(c).unwrap().to_u32() as u16;
        // Lam: isolated, final, initial and medial, then two glyphs no code
        // point reaches (as Naskh's lam before alef).
        let forms = ['\u{644}', '\u{FEDE}', '\u{FEDF}', '\u{FEE0}'].map(id);
        let mut glyphs: BTreeMap<u16, String> = forms
            .iter()
            .map(|&form| (form, "\u{644}".to_string()))
            .collect();
        assert!(matches!(distinguished(face, &glyphs), Cow::Borrowed(_)));
        glyphs.insert(1, "\u{644}".into());
        glyphs.insert(2, "\u{644}".into());
        let told = distinguished(face, &glyphs);
        for form in forms {
            assert_eq!(told[&form], "\u{644}");
        }
        assert_eq!(told[&1], "\u{644}\u{34F}");
        assert_eq!(told[&2], "\u{644}\u{34F}");
        // Other scripts' faces are never touched.
        assert!(matches!(
            distinguished(Face::Regular, &glyphs),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn a_subset_numbers_personal_glyphs_last_until_they_are_common() {
        let document = |page: &[u16], name: &[u16]| GlyphUse {
            faces: BTreeMap::from([(
                Face::Regular,
                page.iter()
                    .chain(name)
                    .map(|&id| (id, SmolStr::new_static("x")))
                    .collect(),
            )]),
            personal: BTreeMap::from([(Face::Regular, name.iter().copied().collect())]),
        };
        // The page's glyph first, then the name's; a common glyph added
        // is no longer personal.
        let mut first = document(&[4], &[2, 3]);
        let order = |used: &GlyphUse| -> Vec<u16> {
            used.in_subset_order(Face::Regular)
                .into_iter()
                .map(|(id, _)| id)
                .collect()
        };
        assert_eq!(order(&first), [4, 2, 3]);
        first.add_absent(|_| &COMMON_THREE);
        assert_eq!(order(&first), [3, 4, 2]);
    }

    /// A common glyph for the test above.
    static COMMON_THREE: [(u16, SmolStr); 1] = [(3, SmolStr::new_static(""))];

    #[test]
    fn a_glyph_keeps_the_same_text_whatever_the_order() {
        // Glyph 7 met with no text, longer texts and its own letter; glyph
        // 8 drawn alike for Greek Alpha and Cyrillic A, texts of one length.
        let texts = [(7, ""), (7, "fi"), (8, "Α"), (7, "f"), (8, "А"), (7, "ﬁ")];
        let mut forwards = GlyphUse::default();
        assert_eq!(glyph_text("fi"), "fi");
        let long = format!("e{}", "\u{301}".repeat(70));
        assert_eq!(
            glyph_text(&long).encode_utf16().count(),
            MAX_GLYPH_TEXT_UNITS
        );
        assert_eq!(glyph_text(&"😀".repeat(20)).chars().count(), 16);
        let mut backwards = GlyphUse::default();
        for (id, text) in texts {
            forwards.extend(Face::Regular, [(id, text)]);
        }
        for (id, text) in texts.iter().rev() {
            backwards.extend(Face::Regular, [(*id, *text)]);
        }
        assert_eq!(forwards, backwards);
        assert_eq!(forwards.faces()[&Face::Regular][&7], "f");
        assert_eq!(
            forwards.faces()[&Face::Regular][&8],
            "\u{391}",
            "Alpha comes first"
        );
        // A glyph drawn only as part of a cluster stands for nothing, which
        // is still a value.
        let mut mark = GlyphUse::default();
        mark.extend(Face::FallbackRegular, [(9, "")]);
        assert_eq!(mark.faces()[&Face::FallbackRegular][&9], NO_TEXT);
    }
}

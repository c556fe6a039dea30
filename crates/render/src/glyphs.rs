//! Which glyphs of which faces a document draws, each with the text it
//! stands for: what a font subset and its ToUnicode map must hold.
//!
//! A combined PDF embeds one subset of each face for all its pages, so it
//! must know every page's glyphs before the first page is written. A clinic
//! day learns them when it checks each row ([`crate::Renderer::fit_with_glyphs`]),
//! and merges them as rows finish, in any order.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use crate::document::Document;
use crate::fonts::Face;
use crate::page::Page;

/// The glyphs of one or more documents, by face, each with its text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GlyphUse {
    faces: BTreeMap<Face, BTreeMap<u16, String>>,
}

impl GlyphUse {
    /// The glyphs a document draws.
    pub fn of_document(document: &Document) -> GlyphUse {
        let mut used = GlyphUse::default();
        for run in document.pages.iter().flat_map(Page::runs) {
            let glyphs = used.faces.entry(run.face).or_default();
            for glyph in &run.glyphs {
                insert(glyphs, glyph.id, &glyph.text);
            }
        }
        used
    }

    /// Adds the glyphs of one face, each with the text it stands for.
    pub(crate) fn extend<'a>(
        &mut self,
        face: Face,
        glyphs: impl IntoIterator<Item = (u16, &'a str)>,
    ) {
        let mine = self.faces.entry(face).or_default();
        for (id, text) in glyphs {
            insert(mine, id, text);
        }
    }

    /// Adds another document's glyphs.
    pub fn merge(&mut self, other: GlyphUse) {
        for (face, glyphs) in other.faces {
            self.extend(face, glyphs.iter().map(|(id, text)| (*id, text.as_str())));
        }
    }

    /// The faces used, with their glyphs.
    pub(crate) fn faces(&self) -> &BTreeMap<Face, BTreeMap<u16, String>> {
        &self.faces
    }
}

/// Adds a glyph and the text it stands for to one face's glyphs, keeping
/// the text that stands for it better.
fn insert(glyphs: &mut BTreeMap<u16, String>, id: u16, text: &str) {
    match glyphs.entry(id) {
        Entry::Vacant(vacant) => {
            vacant.insert(text.to_string());
        }
        Entry::Occupied(mut occupied) => {
            if stands_better(text, occupied.get()) {
                text.clone_into(occupied.get_mut());
            }
        }
    }
}

/// Whether `text` should stand for a glyph rather than `existing`, where
/// one glyph is drawn for different texts (the later glyphs of a cluster
/// stand for none, their run carrying the whole text as ActualText; some
/// faces draw two characters alike): any text over none, then the shorter,
/// then the first in code point order. The choice never depends on the
/// order glyphs are met in, so documents may be merged as threads finish.
fn stands_better(text: &str, existing: &str) -> bool {
    // Most glyphs are met again with the same text: settle that first.
    if text.len() == existing.len() {
        return text < existing;
    }
    !text.is_empty() && (existing.is_empty() || text.len() < existing.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_glyph_keeps_the_same_text_whatever_the_order() {
        let texts = ["", "fi", "f", "ﬁ"];
        let mut forwards = GlyphUse::default();
        let mut backwards = GlyphUse::default();
        for text in texts {
            forwards.extend(Face::Regular, [(7, text)]);
        }
        for text in texts.iter().rev() {
            let mut one = GlyphUse::default();
            one.extend(Face::Regular, [(7, *text)]);
            backwards.merge(one);
        }
        assert_eq!(forwards, backwards);
        assert_eq!(forwards.faces()[&Face::Regular][&7], "f");
        // A glyph drawn only as part of a cluster stands for nothing.
        let mut mark = GlyphUse::default();
        mark.extend(Face::FallbackRegular, [(9, "")]);
        assert_eq!(mark.faces()[&Face::FallbackRegular][&9], "");
    }
}

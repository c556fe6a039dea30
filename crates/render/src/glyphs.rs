//! Which glyphs of which faces a document draws, each with the text it
//! stands for: what a font subset and its ToUnicode map must hold.
//!
//! A combined PDF embeds one subset of each face for all its pages, so it
//! must know every page's glyphs before the first page is written. A clinic
//! day learns them when it checks each row ([`crate::Renderer::fit_with_glyphs`]),
//! and merges them as rows finish, in any order.

use std::collections::BTreeMap;

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
            for glyph in &run.glyphs {
                used.insert(run.face, glyph.id, &glyph.text);
            }
        }
        used
    }

    /// Adds one glyph and the text it stands for.
    pub(crate) fn insert(&mut self, face: Face, id: u16, text: &str) {
        let glyphs = self.faces.entry(face).or_default();
        match glyphs.get_mut(&id) {
            Some(existing) if !stands_better(text, existing) => {}
            Some(existing) => text.clone_into(existing),
            None => {
                glyphs.insert(id, text.to_string());
            }
        }
    }

    /// Adds another document's glyphs.
    pub fn merge(&mut self, other: GlyphUse) {
        for (face, glyphs) in other.faces {
            for (id, text) in glyphs {
                self.insert(face, id, &text);
            }
        }
    }

    /// The faces used, with their glyphs.
    pub(crate) fn faces(&self) -> &BTreeMap<Face, BTreeMap<u16, String>> {
        &self.faces
    }
}

/// Whether `text` should stand for a glyph rather than `existing`, where
/// one glyph is drawn for different texts (the later glyphs of a cluster
/// stand for none, their run carrying the whole text as ActualText; some
/// faces draw two characters alike): any text over none, then the shorter,
/// then the first in code point order. The choice never depends on the
/// order glyphs are met in, so documents may be merged as threads finish.
fn stands_better(text: &str, existing: &str) -> bool {
    (text.is_empty(), text.len(), text) < (existing.is_empty(), existing.len(), existing)
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
            forwards.insert(Face::Regular, 7, text);
        }
        for text in texts.iter().rev() {
            let mut one = GlyphUse::default();
            one.insert(Face::Regular, 7, text);
            backwards.merge(one);
        }
        assert_eq!(forwards, backwards);
        assert_eq!(forwards.faces()[&Face::Regular][&7], "f");
        // A glyph drawn only as part of a cluster stands for nothing.
        let mut mark = GlyphUse::default();
        mark.insert(Face::FallbackRegular, 9, "");
        assert_eq!(mark.faces()[&Face::FallbackRegular][&9], "");
    }
}

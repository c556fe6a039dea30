//! A laid-out document: its pages and the facts about it that a file
//! records (title, language, date). Layout makes one; every backend reads
//! only this, as typst-pdf and typst-svg read only typst's `PagedDocument`.

use handout_content::Handout;

use crate::LongItem;
use crate::page::Page;

/// Pages of positioned glyph runs, rules and boxes, each item with its role,
/// and the document's own facts.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// What the document says of itself.
    pub info: DocumentInfo,
    /// The pages, in order.
    pub pages: Vec<Page>,
    /// The `info` items large print left out so that two sides hold every
    /// chosen item, in reading order: what a front end tells the midwife.
    /// Empty in normal print.
    pub omitted: Vec<LongItem>,
    /// Whether the handout's page for more information was left out, its
    /// code and its address, so that the page holds the chosen items and
    /// the note: a front end says [`crate::MORE_INFO_LEFT_OUT`].
    pub more_info_left_out: bool,
}

/// What a document says of itself, for a file's metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentInfo {
    /// The title viewers show.
    pub title: String,
    /// What the document is, such as "Patient handout".
    pub subject: String,
    /// Language tag of the text, such as "en".
    pub language: String,
    /// The creation date: year, month, day.
    pub date: (i16, i8, i8),
    /// The address for more information, when the page prints its code:
    /// the code's alternative text.
    pub more_info: Option<String>,
    /// The language of the midwife's note, when she said it is not the
    /// document's: the note is tagged with it.
    pub note_language: Option<String>,
    /// Its bookmark in a file of many handouts: its byline's values, "Prepared
    /// for Ana López · 28 weeks · 25 November 2026", or its title when the
    /// byline is all write-in lines.
    pub bookmark: String,
}

impl Document {
    /// The layout as text, one line per item of each page in reading order:
    /// for a text run its page, x, baseline, face, size, role and text, in
    /// points to 0.01. It is the same on every machine and thread, so a
    /// typesetter can diff two layouts, and tests compare it with a
    /// committed reference (`scripts/bless-layouts` makes them anew).
    pub fn dump(&self) -> String {
        let mut out = format!(
            "{:?} ({}), {} page{}\n",
            self.info.title,
            self.info.language,
            self.pages.len(),
            if self.pages.len() == 1 { "" } else { "s" }
        );
        for (index, page) in self.pages.iter().enumerate() {
            out.push_str(&page.dump(index + 1));
        }
        out
    }
}

/// A handout's bookmark: see [`DocumentInfo::bookmark`].
fn bookmark(handout: &Handout) -> String {
    let values: Vec<&str> = handout
        .byline
        .iter()
        .filter_map(|field| field.value.as_deref())
        .collect();
    if values.is_empty() {
        handout.title.to_string()
    } else {
        values.join(" · ")
    }
}

impl DocumentInfo {
    /// What a handout's file says of itself: its title, language and date.
    pub fn of(handout: &Handout) -> DocumentInfo {
        let date = handout.date;
        DocumentInfo {
            title: handout.title.to_string(),
            subject: "Patient handout".to_string(),
            language: handout.wording.to_string(),
            date: (date.year(), date.month(), date.day()),
            more_info: handout
                .more_info
                .as_ref()
                .map(|(_, address)| address.as_str().to_string()),
            note_language: handout.note_language.clone(),
            bookmark: bookmark(handout),
        }
    }
}

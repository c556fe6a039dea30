//! What became of each row of a day, and which text each handout was made
//! from: what a manifest records and a front end sums up.

use std::cell::RefCell;
use std::sync::Arc;

use handout_content::{Handout, Library, RosterField, RowError};
use handout_render::Fit;

/// What became of one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Its handout was made, and every sink took it.
    Made {
        /// What became of its own file, where a sink keeps one.
        stored: Stored,
        /// Which text it was made from.
        provenance: Provenance,
        /// The SHA-256 of its own PDF, in hex, when one was made (a
        /// combined PDF alone needs none).
        sha256: Option<String>,
    },
    /// It was not made: why, naming the field and value, without the row's
    /// place (which the manifest and the front end add).
    Failed {
        /// Why.
        message: String,
        /// Whether the name itself was refused, so that no record repeats it.
        name_refused: bool,
    },
}

impl Outcome {
    /// A row not made for a reason that is not its name.
    pub fn failed(message: impl Into<String>) -> Outcome {
        Outcome::Failed {
            message: message.into(),
            name_refused: false,
        }
    }

    /// A row whose check failed.
    pub fn refused(error: &RowError) -> Outcome {
        Outcome::Failed {
            message: error.message.clone(),
            name_refused: error.field == Some(RosterField::Name),
        }
    }

    /// Whether the row's handout was made.
    pub fn is_made(&self) -> bool {
        matches!(self, Outcome::Made { .. })
    }
}

/// What became of a handout's own file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// Written now.
    Written,
    /// Already there, byte for byte, from a run before.
    Unchanged,
}

impl Stored {
    /// How a manifest says it.
    pub fn word(self) -> &'static str {
        match self {
            Stored::Written => "written",
            Stored::Unchanged => "unchanged",
        }
    }
}

/// Which text a handout was made from, and what was picked: so that a
/// practice can show which words each patient was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// The topic's id.
    pub topic: Arc<str>,
    /// The language of its text.
    pub language: Arc<str>,
    /// The wording printed: the language's tag, or a regional one such as
    /// "en-GB" whose terms were printed.
    pub wording: Arc<str>,
    /// The version of its text.
    pub version: u32,
    /// What was picked: `prevention=walking,fluids; treatment=warm-bath`.
    pub picks: Arc<str>,
    /// How many pages it takes: 1, or 2 in large print.
    pub pages: usize,
    /// The `info` items large print left out to fit both sides, by id:
    /// `blood-clot,sciatic-nerve`; empty when none were.
    pub omitted: Arc<str>,
    /// What the weeks printed were counted from: "due date", "weeks", or
    /// empty when none were printed.
    pub gestation_from: &'static str,
    /// The SHA-256 of the topic file the text came from, in hex.
    pub content_sha256: Arc<str>,
    /// Who of the practice approved that text, and when: "the Lead Midwife
    /// 2026-12-06"; empty when no approval of it counts.
    pub approved: Arc<str>,
}

impl Provenance {
    /// The provenance of a handout resolved from `library` and laid out
    /// as `fit` says.
    pub fn of(handout: &Handout, fit: &Fit, library: &Library) -> Provenance {
        let omitted: Vec<String> = fit
            .omitted(handout)
            .into_iter()
            .map(|item| item.id)
            .collect();
        Provenance {
            topic: shared(handout.topic),
            language: shared(handout.language),
            wording: shared(handout.wording),
            version: handout.version,
            picks: shared(&handout.picks_record()),
            pages: fit.pages(),
            omitted: shared(&omitted.join(",")),
            gestation_from: handout.pregnancy.map_or("", |pregnancy| pregnancy.source()),
            content_sha256: shared(
                library
                    .sha256_of(handout.topic, handout.language)
                    .unwrap_or_default(),
            ),
            approved: shared(
                &handout
                    .approval
                    .as_ref()
                    .map(|approval| approval.record())
                    .unwrap_or_default(),
            ),
        }
    }
}

/// `text` as a shared string: the same text as a recent row's is that
/// row's, so a day of ten thousand rows keeps each topic's name, hash and
/// approval, and each set of picks, once and not once a row.
fn shared(text: &str) -> Arc<str> {
    /// How many different texts each thread keeps.
    const KEPT: usize = 64;
    thread_local! {
        static TEXTS: RefCell<Vec<Arc<str>>> = const { RefCell::new(Vec::new()) };
    }
    TEXTS.with_borrow_mut(|texts| {
        if let Some(found) = texts.iter().find(|kept| ***kept == *text) {
            return found.clone();
        }
        let new: Arc<str> = Arc::from(text);
        if texts.len() == KEPT {
            texts.remove(0);
        }
        texts.push(new.clone());
        new
    })
}

//! What a day's check says beyond each row's error: warnings, and why a
//! day may not be made at all. Every front end shows these in these words,
//! adding only how to act on them in its own terms (an option, a box to
//! tick).

use std::fmt;

use handout_content::{ReviewWarning, WeeksMismatch};
use handout_render::LongItem;

/// Something to tell the user about a day that can still be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// A topic the rows use is past its review date, or the practice's
    /// approval of it has lapsed.
    Review(ReviewWarning),
    /// Rows of a draft topic are made, as the user allowed: their footer
    /// says they are drafts.
    Drafts(DraftRows),
    /// A row gives weeks and a due date more than a week apart: its
    /// handout prints the due date's weeks.
    Weeks {
        /// The row, as the user numbers it (see
        /// [`RosterRow::line`](handout_content::RosterRow::line)).
        line: usize,
        /// How far apart they are; it holds no name nor note.
        mismatch: WeeksMismatch,
    },
    /// A row in large print whose two sides hold every chosen item only
    /// with some `info` items left out.
    Omitted {
        /// The row, as the user numbers it.
        line: usize,
        /// The items left out, in reading order.
        items: Vec<LongItem>,
    },
    /// A row whose page holds its chosen items and note only without the
    /// code and address for more information, which were left out.
    MoreInfo {
        /// The row, as the user numbers it.
        line: usize,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::Review(warning) => warning.fmt(f),
            Warning::Drafts(rows) => {
                write!(f, "{rows}: printed as drafts; their footer says so")
            }
            Warning::Weeks { line, mismatch } => write!(f, "row {line}: {mismatch}"),
            Warning::Omitted { line, items } => match LongItem::omitted_note(items) {
                Some(note) => write!(f, "row {line}: {note}"),
                None => write!(f, "row {line}: large print left nothing out"),
            },
            Warning::MoreInfo { line } => {
                write!(f, "row {line}: {}", handout_render::MORE_INFO_LEFT_OUT)
            }
        }
    }
}

/// Something to know about a day that calls for nothing before it is
/// made, shown as a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// Rows in large print take both sides of a sheet, so the day's
    /// combined PDF gives each handout a sheet of its own: a blank back
    /// follows each handout of one page.
    TwoSided {
        /// How many blank backs the file has.
        blanks: usize,
    },
    /// Rows use a topic that the practice's clinical lead has not approved
    /// (a draft, or a lapsed approval, is named in a warning instead).
    /// Only for a practice with a practice file: without one, there is no
    /// lead to approve anything.
    Unapproved {
        /// The topic's name, such as "leg-cramps (en)".
        topic: String,
        /// The command that shows its text and the entry to approve it.
        command: String,
    },
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Note::TwoSided { blanks } => write!(
                f,
                "the combined PDF is for printing on both sides: handouts in large print take \
                 both sides of a sheet, so each handout starts on a new sheet, and the {blanks} \
                 of one page {} a blank back",
                if *blanks == 1 { "has" } else { "have" }
            ),
            Note::Unapproved { topic, command } => write!(
                f,
                "{topic} is not yet approved by the practice's clinical lead, so its footer \
                 claims no approval; `{command}` shows its whole text and the [[approval]] \
                 entry to add to the practice file"
            ),
        }
    }
}

/// Why nothing of a day may be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Rows of a draft topic, and no leave to print drafts.
    Drafts(DraftRows),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Drafts(rows) => write!(f, "nothing was made: {rows}"),
        }
    }
}

impl std::error::Error for Refusal {}

/// The rows whose topic is a draft, not yet clinically reviewed, with those
/// topics' names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftRows {
    /// The rows, as the user numbers them (see
    /// [`RosterRow::line`](handout_content::RosterRow::line)), in order.
    pub lines: Vec<usize>,
    /// The draft topics, such as "leg-cramps (es)", sorted, each once.
    pub topics: Vec<String>,
}

impl fmt::Display for DraftRows {
    /// "rows 3, 5 (leg-cramps (es) is a draft, not yet clinically reviewed)".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({} {}, not yet clinically reviewed)",
            rows(&self.lines),
            self.topics.join(", "),
            if self.topics.len() == 1 {
                "is a draft"
            } else {
                "are drafts"
            }
        )
    }
}

/// Rows as the user numbers them, as every front end names them: "row 17",
/// "rows 17, 42, 88", or the first 20 "and 12 more".
pub fn rows(lines: &[usize]) -> String {
    const SHOWN: usize = 20;
    let shown: Vec<String> = lines.iter().take(SHOWN).map(usize::to_string).collect();
    let word = if lines.len() == 1 { "row" } else { "rows" };
    if lines.len() > SHOWN {
        format!(
            "{word} {} and {} more",
            shown.join(", "),
            lines.len() - SHOWN
        )
    } else {
        format!("{word} {}", shown.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_one_row_or_several() {
        assert_eq!(rows(&[2]), "row 2");
        assert_eq!(rows(&[17, 42, 88]), "rows 17, 42, 88");
        let many: Vec<usize> = (1..=32).collect();
        assert_eq!(
            rows(&many),
            "rows 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 and 12 more"
        );
    }

    #[test]
    fn weeks_off_the_due_date_are_named_by_row_alone() {
        let warning = Warning::Weeks {
            line: 6,
            mismatch: WeeksMismatch {
                given: (28, Some(3)),
                from_due_date: (34, 5),
                date: handout_content::Date::constant(2026, 11, 25),
            },
        };
        assert_eq!(
            warning.to_string(),
            "row 6: the weeks given (28+3) are more than a week off the 34+5 its due date \
             gives on 2026-11-25: printed 34 weeks, from the due date; check the patient's \
             record"
        );
    }

    #[test]
    fn an_unapproved_topic_is_named_with_what_to_do() {
        let note = Note::Unapproved {
            topic: "leg-cramps (en)".into(),
            command: "handout approve leg-cramps --language en".into(),
        };
        assert_eq!(
            note.to_string(),
            "leg-cramps (en) is not yet approved by the practice's clinical lead, so its footer \
             claims no approval; `handout approve leg-cramps --language en` shows its whole \
             text and the [[approval]] entry to add to the practice file"
        );
    }

    #[test]
    fn draft_rows_are_named_with_their_topics() {
        let one = DraftRows {
            lines: vec![2],
            topics: vec!["leg-cramps (es)".into()],
        };
        assert_eq!(
            Refusal::Drafts(one.clone()).to_string(),
            "nothing was made: row 2 (leg-cramps (es) is a draft, not yet clinically reviewed)"
        );
        let two = DraftRows {
            lines: vec![2, 5],
            topics: vec!["back-care (en)".into(), "leg-cramps (es)".into()],
        };
        assert_eq!(
            Warning::Drafts(two).to_string(),
            "rows 2, 5 (back-care (en), leg-cramps (es) are drafts, not yet clinically \
             reviewed): printed as drafts; their footer says so"
        );
    }
}

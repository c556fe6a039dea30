//! Errors of the content crate, each able to say where the problem is.

use std::fmt;

/// A place in a text file, as people count: lines and columns from 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file's name as the user gave it (or a built-in name).
    pub origin: String,
    /// Line, counted from 1.
    pub line: usize,
    /// Column in characters, counted from 1.
    pub column: usize,
}

impl Location {
    /// Finds the line and column of byte offset `at` in `text`.
    pub fn of_offset(origin: &str, text: &str, at: usize) -> Location {
        let at = at.min(text.len());
        let before = &text[..floor_char_boundary(text, at)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        Location {
            origin: origin.to_string(),
            line,
            column,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.origin, self.line, self.column)
    }
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// A topic or practice file that cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ContentError {
    /// The TOML itself is malformed, has an unknown key or lacks a required one.
    #[error("{at}: {message}")]
    Toml {
        /// Where the parser stopped.
        at: Location,
        /// The parser's explanation, first letter in lower case.
        message: String,
    },
    /// Two items of one topic share an id.
    #[error(
        "{at}: duplicate item id '{id}' (first used on line {first_line}); give each item its own id"
    )]
    DuplicateId {
        /// The second use.
        at: Location,
        /// The id used twice.
        id: String,
        /// Line of the first use.
        first_line: usize,
    },
    /// An id is not lower-case kebab-case.
    #[error("{at}: item id '{id}' must be lower-case words joined by '-', like 'calf-stretches'")]
    BadId {
        /// Where the id is.
        at: Location,
        /// The offending id.
        id: String,
    },
    /// A text that is printed is empty or only white space.
    #[error("{at}: {what} is empty; write the text or remove the entry")]
    EmptyText {
        /// Where the empty text is.
        at: Location,
        /// Which field, e.g. "`lead` of item 'walking'".
        what: String,
    },
    /// A section has no items at all.
    #[error("{at}: section [{section}] has no items; add at least one [[{section}.item]]")]
    EmptySection {
        /// The section's header.
        at: Location,
        /// The section's key.
        section: String,
    },
    /// A practice setting has a value that cannot be used.
    #[error("{at}: {message}")]
    BadValue {
        /// Where the value is.
        at: Location,
        /// What is wrong and what to write instead.
        message: String,
    },
}

impl ContentError {
    /// Turns a parse error of `toml` into a located error.
    pub(crate) fn from_toml(origin: &str, text: &str, error: &toml::de::Error) -> ContentError {
        let at = Location::of_offset(origin, text, error.span().map_or(0, |span| span.start));
        let message = error.message().trim().trim_end_matches('.').to_string();
        ContentError::Toml {
            at,
            message: lowercase_first(&message),
        }
    }
}

/// A value given for one handout (on the command line or in a roster row) that
/// cannot be used. Its messages carry no location: the caller knows whether it
/// came from an option or a row and prefixes that.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum InputError {
    /// An item id the topic does not have.
    #[error("unknown {section} item '{id}'{} (valid ids: {})", did_you_mean(.suggestion), .valid.join(", "))]
    UnknownItem {
        /// "prevention" or "treatment".
        section: String,
        /// What was given.
        id: String,
        /// The nearest valid id, if one is near.
        suggestion: Option<String>,
        /// Every valid id of the section.
        valid: Vec<String>,
    },
    /// Weeks of pregnancy outside 1 to 42.
    #[error("weeks must be a whole number from 1 to 42, not '{0}'")]
    Weeks(String),
    /// A date that is not a real YYYY-MM-DD date.
    #[error("{what} '{value}' is not a date; write it as YYYY-MM-DD, like 2026-11-25")]
    Date {
        /// "date" or "due date".
        what: &'static str,
        /// What was given.
        value: String,
    },
    /// A due date that gives no plausible week of pregnancy.
    #[error("due date {due} {reason}; check the date, or give --weeks instead")]
    DueDate {
        /// The due date given.
        due: String,
        /// Why it cannot be used.
        reason: String,
    },
    /// A printed text (name, midwife, note) that cannot be printed.
    #[error("{what} {reason}")]
    Text {
        /// "name", "midwife" or "note".
        what: &'static str,
        /// What is wrong with it.
        reason: String,
    },
}

fn did_you_mean(nearest: &Option<String>) -> String {
    nearest
        .as_ref()
        .map(|id| format!("; did you mean '{id}'?"))
        .unwrap_or_default()
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_lines_and_columns() {
        let text = "a = 1\nbé = 2\n";
        assert_eq!(
            Location::of_offset("f.toml", text, 0).to_string(),
            "f.toml:1:1"
        );
        let at = text.find("= 2").unwrap();
        assert_eq!(
            Location::of_offset("f.toml", text, at).to_string(),
            "f.toml:2:4"
        );
    }

    #[test]
    fn unknown_item_message_suggests_and_lists() {
        let error = InputError::UnknownItem {
            section: "prevention".into(),
            id: "strech".into(),
            suggestion: Some("calf-stretches".into()),
            valid: vec!["walking".into(), "calf-stretches".into()],
        };
        assert_eq!(
            error.to_string(),
            "unknown prevention item 'strech'; did you mean 'calf-stretches'? \
             (valid ids: walking, calf-stretches)"
        );
    }
}

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

/// Where each line of a text starts, to place many offsets in it: each one
/// then costs a binary search, not a count from the start of the text.
#[derive(Debug, Clone)]
pub(crate) struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    /// Indexes `text`.
    pub fn new(text: &'a str) -> Lines<'a> {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        Lines { text, starts }
    }

    /// The location of byte `at`, as [`Location::of_offset`] gives it.
    pub fn locate(&self, origin: &str, at: usize) -> Location {
        let at = floor_char_boundary(self.text, at.min(self.text.len()));
        let line = self.starts.partition_point(|&start| start <= at);
        let line_start = self.starts[line - 1];
        Location {
            origin: origin.to_string(),
            line,
            column: self.text[line_start..at].chars().count() + 1,
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
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
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
    #[error("{at}: {what} '{id}' must be lower-case words joined by '-', like 'calf-stretches'")]
    BadId {
        /// Where the id is.
        at: Location,
        /// What kind of id: "item id", "section key".
        what: String,
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
    #[error(
        "{at}: section '{section}' has no items; add at least one [[section.item]] below its \
         [[section]] line"
    )]
    EmptySection {
        /// The section's header.
        at: Location,
        /// The section's key.
        section: String,
    },
    /// The file is not UTF-8 text.
    #[error("{at}: the file is not UTF-8 text; save it with UTF-8 encoding")]
    NotUtf8 {
        /// The first byte that is not UTF-8.
        at: Location,
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
    /// Where the problem is.
    pub fn location(&self) -> &Location {
        match self {
            ContentError::Toml { at, .. }
            | ContentError::DuplicateId { at, .. }
            | ContentError::BadId { at, .. }
            | ContentError::EmptyText { at, .. }
            | ContentError::EmptySection { at, .. }
            | ContentError::NotUtf8 { at }
            | ContentError::BadValue { at, .. } => at,
        }
    }

    /// Turns a parse error of `toml` into a located error in plain words.
    pub(crate) fn from_toml(origin: &str, text: &str, error: &toml::de::Error) -> ContentError {
        let offset = error.span().map_or(0, |span| span.start);
        let at = Location::of_offset(origin, text, offset);
        let message = error.message().trim().trim_end_matches('.');
        let message = plain_toml_message(message, line_at(text, offset));
        ContentError::Toml {
            at,
            message: lowercase_first(&message),
        }
    }
}

/// The line of `text` that holds byte `offset`.
fn line_at(text: &str, offset: usize) -> &str {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    text[start..end].trim_end_matches('\r')
}

/// Rewrites the TOML parser's and serde's wording into what a person
/// writing the file by hand needs to know: which key, what it wants.
fn plain_toml_message(message: &str, line: &str) -> String {
    // `key = value` on the line where the parser stopped, if it is one.
    let assignment = line.split_once('=').and_then(|(key, value)| {
        let key = key.trim();
        let bare = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        bare.then(|| (key, value.split(" #").next().unwrap_or("").trim()))
    });
    if let Some((key, value)) = assignment
        && (message.contains("leading zero") || message.starts_with("string values must be quoted"))
    {
        // Phone numbers are the usual case: `phone = 0123 456`.
        return format!(
            "`{key}` needs quotes around its value: write {key} = \"{}\"",
            crate::text::excerpt(value.trim_matches(['"', '\'']))
        );
    }
    if let Some(rest) = message.strip_prefix("invalid type: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        let found = match found.split_once(' ') {
            _ if found == "sequence" => "an array".to_string(),
            _ if found == "map" => "a table".to_string(),
            Some(("integer" | "floating", value)) => {
                let value = value.trim_start_matches("point ").trim_matches('`');
                format!("the number {value}")
            }
            Some(("boolean", value)) => value.trim_matches('`').to_string(),
            Some(("string", _)) => "a text".to_string(),
            _ => found.to_string(),
        };
        let expected = match expected {
            "a string" => "a text in quotes",
            other => other,
        };
        return match assignment {
            Some((key, _)) => format!("`{key}` must be {expected}, not {found}"),
            None => format!("this value must be {expected}, not {found}"),
        };
    }
    message.to_string()
}

/// The text of a file that must be UTF-8, without a byte-order mark; or
/// where the first byte that is not UTF-8 is.
pub fn utf8_text<'a>(origin: &str, bytes: &'a [u8]) -> Result<&'a str, ContentError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|error| {
        let good = String::from_utf8_lossy(&bytes[..error.valid_up_to()]);
        ContentError::NotUtf8 {
            at: Location::of_offset(origin, &good, good.len()),
        }
    })
}

/// A value given for one handout (on the command line or in a roster row) that
/// cannot be used. Its messages carry no location: the caller knows whether it
/// came from an option or a row and prefixes that.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum InputError {
    /// An item id the topic does not have.
    #[error("unknown {section} item '{id}'{} (valid ids: {})", crate::suggest::did_you_mean(.suggestion.as_deref()), .valid.join(", "))]
    UnknownItem {
        /// The key of the section it was picked for.
        section: String,
        /// What was given.
        id: String,
        /// The nearest valid id, if one is near.
        suggestion: Option<String>,
        /// Every valid id of the section.
        valid: Vec<String>,
    },
    /// A pick for a section the topic does not have.
    #[error(
        "topic '{topic}' has no section '{key}'{} (its sections to pick from: {})",
        crate::suggest::did_you_mean(.suggestion.as_deref()),
        .choose.join(", ")
    )]
    UnknownSection {
        /// The topic.
        topic: String,
        /// The section key given.
        key: String,
        /// The nearest section key to pick from.
        suggestion: Option<String>,
        /// The keys of its `choose` sections.
        choose: Vec<String>,
    },
    /// A pick for a section whose items are not picked.
    #[error(
        "section '{key}' of topic '{topic}' is an {role} section, printed as it is; the midwife \
         picks only from {}",
        .choose.join(", ")
    )]
    NotChoose {
        /// The topic.
        topic: String,
        /// The section key given.
        key: String,
        /// Its role.
        role: &'static str,
        /// The keys of its `choose` sections.
        choose: Vec<String>,
    },
    /// Weeks of pregnancy not written as midwives write them.
    #[error("weeks must be written like 28, 28+3, 28w3d or 28/40 (1 to 42 weeks), not '{0}'")]
    Weeks(String),
    /// Weeks of pregnancy written well, but not 1 to 42.
    #[error("weeks must be 1 to 42, not '{0}'")]
    WeeksRange(String),
    /// Days after the weeks that are a week or more: `28+9`.
    #[error(
        "the days after the weeks must be 0 to 6, not {days} in '{text}'; {weeks}+{days} is \
         {carried}"
    )]
    WeekDays {
        /// The weeks as written.
        text: String,
        /// The whole weeks written.
        weeks: u32,
        /// The days written.
        days: u32,
        /// The same, written as it should be: "29+2".
        carried: String,
    },
    /// A date not written as YYYY-MM-DD.
    #[error("{what} '{value}' is not written as YYYY-MM-DD; write it like 2026-11-25")]
    DateFormat {
        /// "date" or "due date".
        what: &'static str,
        /// What was given, cut to an excerpt.
        value: String,
    },
    /// A date written as YYYY-MM-DD that does not exist, such as 2026-02-30.
    #[error("{what} {value}: {reason}")]
    NoSuchDate {
        /// "date" or "due date".
        what: &'static str,
        /// What was given.
        value: String,
        /// Why there is no such date, in words.
        reason: String,
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

    proptest::proptest! {
        /// The line index places every offset where counting from the start
        /// of the text does.
        #[test]
        fn the_line_index_agrees_with_counting(text in "(a|é|\n|\r\n|😀){0,60}", at in 0usize..300) {
            let lines = Lines::new(&text);
            proptest::prop_assert_eq!(lines.locate("t", at), Location::of_offset("t", &text, at));
        }
    }

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

    fn toml_error(text: &str) -> String {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct File {
            phone: Option<String>,
            weeks: Option<u8>,
            ids: Option<Vec<String>>,
        }
        let error = toml::from_str::<File>(text).unwrap_err();
        ContentError::from_toml("f.toml", text, &error).to_string()
    }

    #[test]
    fn toml_errors_say_what_the_key_wants() {
        assert_eq!(
            toml_error("phone = 0123\n"),
            "f.toml:1:9: `phone` needs quotes around its value: write phone = \"0123\""
        );
        assert_eq!(
            toml_error("phone = 01632 960 123 # reception\n"),
            "f.toml:1:9: `phone` needs quotes around its value: write phone = \"01632 960 123\""
        );
        assert_eq!(
            toml_error("phone = 999\n"),
            "f.toml:1:9: `phone` must be a text in quotes, not the number 999"
        );
        assert_eq!(
            toml_error("weeks = [1, 2]\n"),
            "f.toml:1:9: `weeks` must be u8, not an array"
        );
        assert!(
            toml_error("ids = [1]\n").contains("`ids` must be a text in quotes, not the number 1")
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

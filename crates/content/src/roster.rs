//! Reads a roster of patients, as CSV from a spreadsheet or a records
//! system, or as TOML, for making many handouts at once.
//!
//! A roster that cannot be read at all is a [`RosterError`]; a row that
//! cannot be used is a [`RowError`] that names its line, and the other rows
//! go on.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use toml::Spanned;

use crate::error::{ContentError, Location};
use crate::handout::{Choice, Handout, Selection};
use crate::patient::{Patient, Pregnancy, check_name, check_note, parse_date, parse_weeks};
use crate::practice::Practice;
use crate::records::{Cell, Position, Reader, detect_delimiter};
use crate::text::{excerpt, is_format_char};
use crate::topic::Topic;
use jiff::civil::Date;

/// The columns a roster may have, as written in a CSV header or TOML key.
pub const COLUMNS: [&str; 10] = [
    "name",
    "id",
    "weeks",
    "due_date",
    "prevention",
    "treatment",
    "note",
    "midwife",
    "topic",
    "language",
];

/// The most characters a record number may have.
const MAX_ID_CHARS: usize = 40;

/// A roster, read and split into rows; the rows are not checked yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roster {
    /// The file's name as the user gave it.
    pub origin: String,
    /// The rows, in file order.
    pub rows: Vec<RosterRow>,
}

/// One patient's row, as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RosterRow {
    /// Position among the patients, from 1.
    pub row: usize,
    /// The line the row starts on, from 1.
    pub line: usize,
    /// Record number.
    pub id: Option<String>,
    /// The patient's name.
    pub name: Option<String>,
    /// Weeks of pregnancy, as written.
    pub weeks: Option<String>,
    /// Due date, as written.
    pub due_date: Option<String>,
    /// Prevention ids, as written ("" = defaults, "none" = none).
    pub prevention: Option<String>,
    /// Treatment ids, as written.
    pub treatment: Option<String>,
    /// The midwife's note.
    pub note: Option<String>,
    /// The midwife's name.
    pub midwife: Option<String>,
    /// Topic id; empty means the only one.
    pub topic: Option<String>,
    /// Language; empty means the topic's only one.
    pub language: Option<String>,
    /// Why the row could not even be split into its cells.
    pub problem: Option<RowProblem>,
}

/// Why a row's cells cannot be used, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// The line of the bad cell, which may be below the row's first line.
    pub line: usize,
    /// The column, in characters from 1, when one cell is to blame.
    pub column: Option<usize>,
    /// What is wrong and what to do.
    pub message: String,
}

/// A roster that cannot be read at all. Nothing is made from it.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RosterError {
    /// The file is empty or has only a header.
    #[error(
        "{0} has no patients: it needs a header row with a `name` column and one row per patient"
    )]
    Empty(String),
    /// A spreadsheet's own file format, an image, or other bytes that are
    /// not lines of text.
    #[error("{0} is not a text file; export the roster from the spreadsheet as CSV (UTF-8)")]
    Binary(String),
    /// Bytes that are not UTF-8 where the whole file depends on them: in
    /// the header, or anywhere in a TOML roster.
    #[error(
        "{0}: the text is not UTF-8; export the roster as \"CSV UTF-8\" (or save it with UTF-8 encoding)"
    )]
    NotUtf8(Location),
    /// The first row holds no column handout knows: it is probably data.
    #[error(
        "{at}: the first row looks like data, not column names: none of its {cells} cells is a \
         column handout knows{}; add a header row naming the columns (columns: {})",
        match .suggestion { Some(column) => format!(" (is one meant to be '{column}'?)"), None => String::new() },
        COLUMNS.join(", ")
    )]
    NoHeader {
        /// The first row.
        at: Location,
        /// How many cells it has.
        cells: usize,
        /// A known column one of them is close to.
        suggestion: Option<String>,
    },
    /// The header's own cells cannot be read.
    #[error("{at}: {message}")]
    BadHeader {
        /// Where.
        at: Location,
        /// What is wrong.
        message: String,
    },
    /// The header has no `name` column.
    #[error(
        "{at}: the header has no `name` column (it has: {found}); the first row must name the columns"
    )]
    NoName {
        /// The header.
        at: Location,
        /// The columns found.
        found: String,
    },
    /// A column that is not one of [`COLUMNS`].
    #[error("{at}: unknown column '{column}'{} (columns: {})", did_you_mean(.suggestion), COLUMNS.join(", "))]
    UnknownColumn {
        /// Where the column is named.
        at: Location,
        /// The column's name.
        column: String,
        /// The nearest known column.
        suggestion: Option<String>,
    },
    /// A column named twice.
    #[error("{at}: column '{column}' appears twice; keep one")]
    DuplicateColumn {
        /// Where.
        at: Location,
        /// The column.
        column: String,
    },
    /// Malformed TOML.
    #[error(transparent)]
    Toml(#[from] ContentError),
}

impl RosterError {
    /// Where the problem is; `None` when it is the whole file.
    pub fn location(&self) -> Option<&Location> {
        match self {
            RosterError::Empty(_) | RosterError::Binary(_) => None,
            RosterError::NotUtf8(at)
            | RosterError::NoHeader { at, .. }
            | RosterError::BadHeader { at, .. }
            | RosterError::NoName { at, .. }
            | RosterError::UnknownColumn { at, .. }
            | RosterError::DuplicateColumn { at, .. } => Some(at),
            RosterError::Toml(error) => Some(error.location()),
        }
    }
}

fn did_you_mean(suggestion: &Option<String>) -> String {
    suggestion
        .as_ref()
        .map(|name| format!("; did you mean '{name}'?"))
        .unwrap_or_default()
}

/// A row that cannot be used; the others go on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The roster's name.
    pub origin: String,
    /// The row's line, or the line of the bad cell in it.
    pub line: usize,
    /// The bad cell's column, when one cell is to blame.
    pub column: Option<usize>,
    /// The row's position among the patients.
    pub row: usize,
    /// What is wrong, naming the field and value.
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.column {
            Some(column) => write!(
                f,
                "{}:{}:{column}: {}",
                self.origin, self.line, self.message
            ),
            None => write!(f, "{}:{}: {}", self.origin, self.line, self.message),
        }
    }
}

impl std::error::Error for RowError {}

/// What one valid row asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowRequest<'t> {
    /// The topic to print.
    pub topic: &'t Topic,
    /// The patient.
    pub patient: Patient,
    /// The chosen items.
    pub selection: Selection,
}

impl Roster {
    /// Reads a roster: TOML if `origin` ends in `.toml`, or if it names no
    /// `.csv` or `.txt` file (standard input, say) and the text opens with a
    /// table; CSV otherwise.
    pub fn parse(origin: &str, bytes: &[u8]) -> Result<Roster, RosterError> {
        let lower = origin.to_ascii_lowercase();
        let is_toml = lower.ends_with(".toml")
            || (!lower.ends_with(".csv") && !lower.ends_with(".txt") && looks_like_toml(bytes));
        let text = text_bytes(origin, bytes)?;
        let rows = if is_toml {
            parse_toml(origin, utf8(origin, text)?)?
        } else {
            parse_csv(origin, text)?
        };
        if rows.is_empty() {
            return Err(RosterError::Empty(origin.to_string()));
        }
        Ok(Roster {
            origin: origin.to_string(),
            rows,
        })
    }
}

impl RosterRow {
    /// Checks the row and resolves its handout's words: the topic, the
    /// patient's details, the chosen items, the weeks from a due date.
    pub fn resolve(
        &self,
        origin: &str,
        topics: &[Topic],
        practice: &Practice,
        date: Date,
    ) -> Result<Handout, RowError> {
        let request = self.request(origin, topics)?;
        Handout::resolve(
            request.topic,
            practice,
            &request.patient,
            &request.selection,
            date,
        )
        .map_err(|error| self.error(origin, error.to_string()))
    }

    /// An error on this row.
    pub fn error(&self, origin: &str, message: String) -> RowError {
        RowError {
            origin: origin.to_string(),
            line: self.line,
            column: None,
            row: self.row,
            message,
        }
    }

    /// The record number, if it is one a manifest may hold.
    pub fn checked_id(&self) -> Option<&str> {
        given(&self.id).filter(|id| check_id(id).is_ok())
    }

    /// The patient's name, if it is one a manifest may hold.
    pub fn checked_name(&self) -> Option<String> {
        if self.problem.is_some() {
            return None;
        }
        check_name("name", self.name.as_deref().unwrap_or(""))
            .ok()
            .flatten()
    }

    /// Checks the row's values and picks its topic.
    pub fn request<'t>(
        &self,
        origin: &str,
        topics: &'t [Topic],
    ) -> Result<RowRequest<'t>, RowError> {
        let error = |message: String| self.error(origin, message);
        if let Some(problem) = &self.problem {
            return Err(RowError {
                line: problem.line,
                column: problem.column,
                ..error(problem.message.clone())
            });
        }

        let topic = pick_topic(topics, given(&self.topic), given(&self.language)).map_err(error)?;
        let name = check_name("name", self.name.as_deref().unwrap_or(""))
            .map_err(|e| error(e.to_string()))?
            .ok_or_else(|| {
                error("name is empty; every row needs the patient's name".to_string())
            })?;
        if let Some(id) = given(&self.id) {
            check_id(id).map_err(error)?;
        }
        let pregnancy = match (given(&self.weeks), given(&self.due_date)) {
            (Some(_), Some(_)) => {
                return Err(error(
                    "both weeks and due_date are given; keep one".to_string(),
                ));
            }
            (Some(weeks), None) => Some(Pregnancy::Weeks(
                parse_weeks(weeks).map_err(|e| error(e.to_string()))?,
            )),
            (None, Some(due)) => Some(Pregnancy::DueDate(
                parse_date("due_date", due).map_err(|e| error(e.to_string()))?,
            )),
            (None, None) => None,
        };
        let note =
            check_note(self.note.as_deref().unwrap_or("")).map_err(|e| error(e.to_string()))?;
        let midwife = check_name("midwife", self.midwife.as_deref().unwrap_or(""))
            .map_err(|e| error(e.to_string()))?;
        let choice =
            |value: &Option<String>| value.as_deref().map_or(Choice::Defaults, Choice::parse);
        Ok(RowRequest {
            topic,
            patient: Patient {
                name: Some(name),
                pregnancy,
                note,
                midwife,
            },
            selection: Selection {
                prevention: choice(&self.prevention),
                treatment: choice(&self.treatment),
            },
        })
    }
}

/// Checks a record number: short, printable, no invisible characters.
fn check_id(id: &str) -> Result<(), String> {
    if id.chars().count() > MAX_ID_CHARS || id.chars().any(|c| c.is_control() || is_format_char(c))
    {
        return Err(format!(
            "id '{}' must be at most {MAX_ID_CHARS} characters with no control or \
             invisible characters",
            excerpt(id)
        ));
    }
    Ok(())
}

/// A cell's value, trimmed; `None` when empty.
fn given(value: &Option<String>) -> Option<&str> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|value| !value.is_empty())
}

fn pick_topic<'t>(
    topics: &'t [Topic],
    topic: Option<&str>,
    language: Option<&str>,
) -> Result<&'t Topic, String> {
    let found = topics.iter().find(|candidate| {
        topic.is_none_or(|id| candidate.id.eq_ignore_ascii_case(id))
            && language.is_none_or(|language| candidate.language.eq_ignore_ascii_case(language))
    });
    found.ok_or_else(|| {
        let available: Vec<String> = topics
            .iter()
            .map(|t| format!("{} ({})", t.id, t.language))
            .collect();
        let (topic, language) = (topic.map(excerpt), language.map(excerpt));
        let asked = match (topic, language) {
            (Some(topic), Some(language)) => format!("topic '{topic}' in language '{language}'"),
            (Some(topic), None) => format!("topic '{topic}'"),
            (None, Some(language)) => format!("language '{language}'"),
            (None, None) => "a topic".to_string(),
        };
        format!("there is no {asked}; available: {}", available.join(", "))
    })
}

/// The most NUL bytes a text roster may hold before it is taken for a
/// binary file; fewer are each their row's error.
const MAX_NULS: usize = 8;

/// A text roster's first line ends within this many bytes.
const MAX_FIRST_LINE: usize = 4096;

/// Strips a byte-order mark and refuses what is not lines of text.
fn text_bytes<'a>(origin: &str, bytes: &'a [u8]) -> Result<&'a [u8], RosterError> {
    const MAGIC: [&[u8]; 6] = [
        b"PK\x03\x04",                       // .xlsx, .ods, .zip
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", // .xls
        b"%PDF-",
        b"\x89PNG",
        b"\xff\xd8\xff", // JPEG
        b"\xff\xfe",     // UTF-16, which is not read yet
    ];
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let binary = MAGIC.iter().any(|magic| bytes.starts_with(magic))
        || bytes.starts_with(b"\xfe\xff")
        || bytes.iter().filter(|&&b| b == 0).count() > MAX_NULS
        || (bytes.len() > MAX_FIRST_LINE
            && !bytes[..MAX_FIRST_LINE]
                .iter()
                .any(|&b| b == b'\n' || b == b'\r'));
    if binary {
        return Err(RosterError::Binary(origin.to_string()));
    }
    Ok(bytes)
}

/// Checks that a whole file is UTF-8, locating the first bad byte.
fn utf8<'a>(origin: &str, bytes: &'a [u8]) -> Result<&'a str, RosterError> {
    std::str::from_utf8(bytes).map_err(|error| {
        let at = start_of(bytes).advance_to(bytes, error.valid_up_to());
        RosterError::NotUtf8(Location {
            origin: origin.to_string(),
            line: at.line,
            column: at.column(bytes),
        })
    })
}

fn start_of(_: &[u8]) -> Position {
    Position {
        offset: 0,
        line: 1,
        line_start: 0,
    }
}

/// Whether the bytes look like a TOML roster: its first line that is not
/// blank or a comment opens a table.
fn looks_like_toml(bytes: &[u8]) -> bool {
    bytes
        .split(|&b| b == b'\n' || b == b'\r')
        .map(|line| line.trim_ascii())
        .find(|line| !line.is_empty() && !line.starts_with(b"#"))
        .is_some_and(|line| line.starts_with(b"["))
}

/// A cell's text, or why it cannot be read, with the place of the bad byte.
fn cell_text(text: &[u8], cell: &Cell) -> Result<String, RowProblem> {
    let source = &text[cell.at.offset..cell.end];
    let bad = |offset: usize, message: String| {
        let at = cell.at.advance_to(text, cell.at.offset + offset);
        RowProblem {
            line: at.line,
            column: Some(at.column(text)),
            message,
        }
    };
    if let Some(nul) = source.iter().position(|&b| b == 0) {
        return Err(bad(
            nul,
            "this cell has a NUL byte, which is not text; retype the cell".to_string(),
        ));
    }
    String::from_utf8(cell.bytes.clone()).map_err(|_| {
        let valid = std::str::from_utf8(source).map_or_else(|e| e.valid_up_to(), |_| 0);
        bad(
            valid,
            "this cell is not UTF-8 text; export the roster as \"CSV UTF-8\" \
             (or save it with UTF-8 encoding)"
                .to_string(),
        )
    })
}

fn parse_csv(origin: &str, text: &[u8]) -> Result<Vec<RosterRow>, RosterError> {
    if text.trim_ascii().is_empty() {
        return Err(RosterError::Empty(origin.to_string()));
    }
    let delimiter = detect_delimiter(text);
    let mut records = Reader::new(text, delimiter);
    let Some(header) = records.next() else {
        return Err(RosterError::Empty(origin.to_string()));
    };
    let header_at = Location {
        origin: origin.to_string(),
        line: 1,
        column: 1,
    };
    if let Some(problem) = header.problem {
        return Err(RosterError::BadHeader {
            at: Location {
                line: problem.line,
                column: problem.column,
                ..header_at
            },
            message: problem.message,
        });
    }
    let mut names = Vec::with_capacity(header.cells.len());
    for cell in &header.cells {
        let name = cell_text(text, cell).map_err(|problem| RosterError::BadHeader {
            at: Location {
                origin: origin.to_string(),
                line: problem.line,
                column: problem.column.unwrap_or(1),
            },
            message: problem.message,
        })?;
        names.push(name.trim().to_string());
    }

    let keys: Vec<String> = names
        .iter()
        .map(|name| name.to_ascii_lowercase().replace([' ', '-'], "_"))
        .collect();
    let known = |key: &String| COLUMNS.iter().position(|column| column == key);
    if !keys.iter().any(|key| known(key).is_some()) {
        // Most likely the first patient: never quote it back.
        return Err(RosterError::NoHeader {
            at: header_at,
            cells: keys.len(),
            suggestion: keys.iter().find_map(|key| nearest_column(key)),
        });
    }
    let mut columns: Vec<usize> = Vec::with_capacity(keys.len());
    for ((key, name), cell) in keys.iter().zip(&names).zip(&header.cells) {
        let at = Location {
            column: cell.at.column(text),
            ..header_at.clone()
        };
        let Some(column) = known(key) else {
            return Err(RosterError::UnknownColumn {
                at,
                column: excerpt(name),
                suggestion: nearest_column(key),
            });
        };
        if columns.contains(&column) {
            return Err(RosterError::DuplicateColumn {
                at,
                column: key.clone(),
            });
        }
        columns.push(column);
    }
    if !columns.contains(&0) {
        return Err(RosterError::NoName {
            at: header_at,
            found: names
                .iter()
                .map(|name| excerpt(name))
                .collect::<Vec<_>>()
                .join(", "),
        });
    }

    records.set_columns(columns.len());
    let mut rows = Vec::new();
    for record in records {
        let mut row = RosterRow {
            row: rows.len() + 1,
            line: record.line,
            ..RosterRow::default()
        };
        let mut problem = record.problem.map(|problem| RowProblem {
            line: problem.line,
            column: Some(problem.column),
            message: problem.message,
        });
        let mut blank = true;
        // The cells are kept even when there are too many, so that the row
        // can be named; the row then fails on its own.
        for (cell, &column) in record.cells.iter().zip(&columns) {
            let value = match cell_text(text, cell) {
                Ok(value) => value,
                Err(bad) => {
                    problem.get_or_insert(bad);
                    String::from_utf8_lossy(&cell.bytes).into_owned()
                }
            };
            blank &= value.trim().is_empty();
            *row.field_mut(column) = Some(value);
        }
        if blank && problem.is_none() && record.cells.len() <= columns.len() {
            continue; // Blank lines at the end of an export.
        }
        if problem.is_none() && record.cells.len() > columns.len() {
            problem = Some(RowProblem {
                line: record.line,
                column: None,
                message: format!(
                    "the row has {} cells but the header has {} columns; \
                     a cell with a '{}' in it must be in double quotes",
                    record.cells.len(),
                    columns.len(),
                    char::from(delimiter).escape_default()
                ),
            });
        }
        row.problem = problem;
        rows.push(row);
    }
    Ok(rows)
}

impl RosterRow {
    fn field_mut(&mut self, column: usize) -> &mut Option<String> {
        match COLUMNS[column] {
            "name" => &mut self.name,
            "id" => &mut self.id,
            "weeks" => &mut self.weeks,
            "due_date" => &mut self.due_date,
            "prevention" => &mut self.prevention,
            "treatment" => &mut self.treatment,
            "note" => &mut self.note,
            "midwife" => &mut self.midwife,
            "topic" => &mut self.topic,
            _ => &mut self.language,
        }
    }
}

fn nearest_column(given: &str) -> Option<String> {
    COLUMNS
        .iter()
        .map(|column| (strsim::jaro_winkler(given, column), column))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, column)| column.to_string())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRoster {
    #[serde(default)]
    patient: Vec<Spanned<RawPatient>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPatient {
    name: Option<String>,
    id: Option<Scalar>,
    weeks: Option<Scalar>,
    #[serde(alias = "due-date")]
    due_date: Option<Scalar>,
    prevention: Option<List>,
    treatment: Option<List>,
    note: Option<String>,
    midwife: Option<String>,
    topic: Option<String>,
    language: Option<String>,
}

/// A value written as a text, a number or a date.
struct Scalar(String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Scalar, D::Error> {
        struct Visit;

        impl<'de> Visitor<'de> for Visit {
            type Value = Scalar;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number or a text, like 28 or \"28\"")
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<Scalar, E> {
                Ok(Scalar(value.to_string()))
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Scalar, E> {
                Ok(Scalar(value.to_string()))
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Scalar, E> {
                Ok(Scalar(value.to_string()))
            }

            fn visit_f64<E: de::Error>(self, value: f64) -> Result<Scalar, E> {
                Ok(Scalar(value.to_string()))
            }

            // TOML dates arrive as a map with one private key.
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Scalar, A::Error> {
                match toml::Value::deserialize(de::value::MapAccessDeserializer::new(map))? {
                    toml::Value::Datetime(date) => Ok(Scalar(date.to_string())),
                    _ => Err(de::Error::invalid_type(de::Unexpected::Map, &self)),
                }
            }
        }

        deserializer.deserialize_any(Visit)
    }
}

/// Item ids as one text or as an array of texts.
struct List(String);

impl<'de> Deserialize<'de> for List {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<List, D::Error> {
        struct Visit;

        impl<'de> Visitor<'de> for Visit {
            type Value = List;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "item ids as a text or an array of texts, like [\"walking\", \"fluids\"]",
                )
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<List, E> {
                Ok(List(value.to_string()))
            }

            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<List, A::Error> {
                let mut ids = Vec::new();
                while let Some(id) = seq.next_element::<toml::Value>()? {
                    match id {
                        toml::Value::String(id) => ids.push(id),
                        _ => return Err(de::Error::invalid_type(de::Unexpected::Seq, &self)),
                    }
                }
                Ok(List(ids.join(",")))
            }
        }

        deserializer.deserialize_any(Visit)
    }
}

fn parse_toml(origin: &str, text: &str) -> Result<Vec<RosterRow>, RosterError> {
    let raw: RawRoster =
        toml::from_str(text).map_err(|error| ContentError::from_toml(origin, text, &error))?;
    Ok(raw
        .patient
        .into_iter()
        .enumerate()
        .map(|(i, patient)| {
            let line = Location::of_offset(origin, text, patient.span().start).line;
            let patient = patient.into_inner();
            RosterRow {
                row: i + 1,
                line,
                id: patient.id.map(|id| id.0),
                name: Some(patient.name.unwrap_or_default()),
                weeks: patient.weeks.map(|weeks| weeks.0),
                due_date: patient.due_date.map(|due| due.0),
                prevention: patient.prevention.map(|ids| ids.0),
                treatment: patient.treatment.map(|ids| ids.0),
                note: patient.note,
                midwife: patient.midwife,
                topic: patient.topic,
                language: patient.language,
                problem: None,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topics() -> Vec<Topic> {
        Topic::builtin()
    }

    #[test]
    fn csv_with_comma_header_and_quotes() {
        let text = "Name,ID,weeks,prevention,note\n\
                    \"López, Ana\",17,28,\"walking,fluids\",\"Two\nlines\"\n\
                    Bea Smith,18,,,\n";
        let roster = Roster::parse("r.csv", text.as_bytes()).unwrap();
        assert_eq!(roster.rows.len(), 2);
        let ana = &roster.rows[0];
        assert_eq!((ana.row, ana.line), (1, 2));
        assert_eq!(ana.name.as_deref(), Some("López, Ana"));
        assert_eq!(ana.prevention.as_deref(), Some("walking,fluids"));
        assert_eq!(ana.note.as_deref(), Some("Two\nlines"));
        // The quoted line break moves the next row down a line.
        assert_eq!(roster.rows[1].line, 4);
        let topics = topics();
        let request = ana.request("r.csv", &topics).unwrap();
        assert_eq!(request.patient.pregnancy, Some(Pregnancy::Weeks(28)));
        assert_eq!(
            request.selection.prevention,
            Choice::parse("walking,fluids")
        );
    }

    #[test]
    fn semicolon_csv_with_bom_and_crlf() {
        let text = "\u{feff}name;weeks;treatment\r\nAna;28;warm-bath;moist-heat\r\n";
        let roster = Roster::parse("r.csv", text.as_bytes());
        // Four cells for three columns: the row is kept, and fails on its own.
        let roster = roster.unwrap();
        let error = roster.rows[0].request("r.csv", &topics()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "r.csv:2: the row has 4 cells but the header has 3 columns; \
             a cell with a ';' in it must be in double quotes"
        );

        let text = "\u{feff}name;weeks;treatment\r\nAna;28;\"warm-bath;moist-heat\"\r\n";
        let roster = Roster::parse("r.csv", text.as_bytes()).unwrap();
        let topics = topics();
        let request = roster.rows[0].request("r.csv", &topics).unwrap();
        assert_eq!(request.patient.name.as_deref(), Some("Ana"));
        assert_eq!(
            request.selection.treatment,
            Choice::parse("warm-bath,moist-heat")
        );
    }

    #[test]
    fn unreadable_rosters_are_one_error() {
        let error = |text: &[u8]| Roster::parse("r.csv", text).unwrap_err().to_string();
        assert!(error(b"").contains("has no patients"));
        assert!(error(b"name,weeks\n").contains("has no patients"));
        assert!(error(b"PK\x03\x04\x00\x00binary").contains("not a text file"));
        assert!(error(b"na\xefme\nAna\n").starts_with("r.csv:1:3: this cell is not UTF-8"));
        assert!(error(&[b'a'; 5000]).contains("not a text file"));
        assert!(error(b"name\n\0\0\0\0\0\0\0\0\0\n").contains("not a text file"));
        assert!(
            error(b"id,weeks\n1,28\n")
                .starts_with("r.csv:1:1: the header has no `name` column (it has: id, weeks)")
        );
        assert_eq!(
            error(b"name,preventon\nAna,walking\n"),
            format!(
                "r.csv:1:6: unknown column 'preventon'; did you mean 'prevention'? (columns: {})",
                COLUMNS.join(", ")
            )
        );
        assert!(error(b"name,Name\nAna,Ana\n").contains("appears twice"));
    }

    #[test]
    fn bad_rows_say_line_field_and_value() {
        let text = "name,weeks,treatment,due_date\n\
                    Ana,28,hot-bath,\n\
                    ,28,,\n\
                    Bea,50,,\n\
                    Cas,28,,2027-01-01\n\
                    Dee,,,2027-02-30\n";
        let roster = Roster::parse("roster.csv", text.as_bytes()).unwrap();
        let topics = topics();
        let date = jiff::civil::date(2026, 11, 25);
        let errors: Vec<String> = roster
            .rows
            .iter()
            .map(|row| {
                row.resolve("roster.csv", &topics, &Practice::default(), date)
                    .unwrap_err()
                    .to_string()
            })
            .collect();
        assert!(
            errors[0].starts_with(
                "roster.csv:2: unknown treatment item 'hot-bath'; did you mean 'warm-bath'?"
            ),
            "{}",
            errors[0]
        );
        assert_eq!(
            errors[1],
            "roster.csv:3: name is empty; every row needs the patient's name"
        );
        assert_eq!(
            errors[2],
            "roster.csv:4: weeks must be a whole number from 1 to 42, not '50'"
        );
        assert_eq!(
            errors[3],
            "roster.csv:5: both weeks and due_date are given; keep one"
        );
        assert_eq!(
            errors[4],
            "roster.csv:6: due_date 2027-02-30: 30 February is not a date; February 2027 has 28 days"
        );
    }

    fn problems(text: &[u8]) -> Vec<(usize, Option<String>)> {
        let roster = Roster::parse("r.csv", text).unwrap();
        let topics = topics();
        roster
            .rows
            .iter()
            .map(|row| {
                let name = row.checked_name();
                match row.request("r.csv", &topics) {
                    Ok(_) => (row.line, name),
                    Err(error) => (error.line, Some(error.to_string())),
                }
            })
            .collect()
    }

    #[test]
    fn a_bad_cell_fails_its_row_only() {
        let rows = problems(b"name,weeks\nAna,28\nJos\xe9,30\nBea,\x0031\nCas,32\n");
        assert_eq!(rows[0], (2, Some("Ana".into())));
        assert!(
            rows[1]
                .1
                .as_deref()
                .unwrap()
                .starts_with("r.csv:3:4: this cell is not UTF-8"),
            "{rows:?}"
        );
        assert!(
            rows[2]
                .1
                .as_deref()
                .unwrap()
                .starts_with("r.csv:4:5: this cell has a NUL byte"),
            "{rows:?}"
        );
        assert_eq!(rows[3], (5, Some("Cas".into())));
    }

    #[test]
    fn a_quote_never_swallows_the_rows_below() {
        let rows =
            problems(b"name,weeks,note\nAna,28,\"unterminated note\nBea,30,ok\nCas,31,fine\n");
        assert_eq!(rows.len(), 3, "{rows:?}");
        assert!(
            rows[0]
                .1
                .as_deref()
                .unwrap()
                .starts_with("r.csv:2:8: this cell opens a quote"),
            "{rows:?}"
        );
        assert_eq!(rows[1], (3, Some("Bea".into())));
        assert_eq!(rows[2], (4, Some("Cas".into())));
    }

    #[test]
    fn old_mac_and_mixed_line_ends_number_rows_right() {
        let rows = problems(b"name,weeks\rAna,28\rBea,30\r\nCas,31\nDee,32");
        let lines: Vec<usize> = rows.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, [2, 3, 4, 5]);
        assert_eq!(rows[3].1.as_deref(), Some("Dee"));
    }

    #[test]
    fn a_roster_without_a_header_is_named_as_such_without_quoting_it() {
        let error = Roster::parse("r.csv", b"Ana L\xc3\xb3pez,28,walking\nBea,30,\n")
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("r.csv:1:1: the first row looks like data, not column names"),
            "{error}"
        );
        assert!(!error.contains("Ana"), "{error}");
    }

    #[test]
    fn echoed_values_are_cut_and_the_manifest_gets_only_checked_ones() {
        let long = "7".repeat(1_000_000);
        let text = format!("name,id,weeks\nAna,{long},{long}\n=cmd,=5,28\n");
        let roster = Roster::parse("r.csv", text.as_bytes()).unwrap();
        let error = roster.rows[0].request("r.csv", &topics()).unwrap_err();
        assert!(error.to_string().len() < 200, "{}", error.to_string().len());
        assert_eq!(roster.rows[0].checked_id(), None);
        assert_eq!(roster.rows[0].checked_name().as_deref(), Some("Ana"));
        assert_eq!(roster.rows[1].checked_id(), Some("=5"));
        let error = Roster::parse("r.csv", format!("name,{long}\nAna,1\n").as_bytes())
            .unwrap_err()
            .to_string();
        assert!(error.len() < 300, "{error}");
    }

    #[test]
    fn toml_type_errors_say_what_the_field_wants() {
        let error = |text: &str| {
            Roster::parse("r.toml", text.as_bytes())
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            error("[[patient]]\nname = \"A\"\nweeks = [1, 2]\n"),
            "r.toml:3:9: `weeks` must be a number or a text, like 28 or \"28\", not an array"
        );
        assert!(
            error("[[patient]]\nname = \"A\"\nprevention = [1]\n")
                .contains("`prevention` must be item ids as a text or an array of texts"),
        );
        assert!(
            error("[[patient]]\nname = 5\n")
                .contains("`name` must be a text in quotes, not the number 5")
        );
    }

    #[test]
    fn standard_input_is_sniffed() {
        let toml =
            Roster::parse("standard input", b"# today\n[[patient]]\nname = \"Ana\"\n").unwrap();
        assert_eq!(toml.rows[0].line, 2);
        let csv = Roster::parse("standard input", b"name\nAna\n").unwrap();
        assert_eq!(csv.rows[0].name.as_deref(), Some("Ana"));
    }

    #[test]
    fn unknown_topic_or_language_lists_what_exists() {
        let text = "name,topic,language\nAna,back-pain,\nBea,,fr\nCas,leg-cramps,EN\n";
        let roster = Roster::parse("r.csv", text.as_bytes()).unwrap();
        let topics = topics();
        let first = roster.rows[0]
            .request("r.csv", &topics)
            .unwrap_err()
            .to_string();
        assert_eq!(
            first,
            "r.csv:2: there is no topic 'back-pain'; available: leg-cramps (en)"
        );
        let second = roster.rows[1]
            .request("r.csv", &topics)
            .unwrap_err()
            .to_string();
        assert_eq!(
            second,
            "r.csv:3: there is no language 'fr'; available: leg-cramps (en)"
        );
        assert!(roster.rows[2].request("r.csv", &topics).is_ok());
    }

    #[test]
    fn toml_roster_has_the_same_keys() {
        let text = r#"
[[patient]]
name = "Ana López"
id = 17
weeks = 28
prevention = ["walking", "fluids"]
treatment = "none"

[[patient]]
name = "Bea"
due_date = 2027-02-17
"#;
        let roster = Roster::parse("r.toml", text.as_bytes()).unwrap();
        assert_eq!(roster.rows.len(), 2);
        assert_eq!((roster.rows[0].line, roster.rows[1].line), (2, 9));
        let topics = topics();
        let ana = roster.rows[0].request("r.toml", &topics).unwrap();
        assert_eq!(roster.rows[0].id.as_deref(), Some("17"));
        assert_eq!(ana.selection.treatment, Choice::Items(vec![]));
        let bea = roster.rows[1].request("r.toml", &topics).unwrap();
        assert!(matches!(bea.patient.pregnancy, Some(Pregnancy::DueDate(_))));

        let error = Roster::parse("r.toml", b"[[patient]]\nname = \"A\"\nweek = 3\n").unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("r.toml:3:1: unknown field `week`"),
            "{error}"
        );
    }
}

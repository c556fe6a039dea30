//! Reads a roster of patients, as CSV from a spreadsheet or a records
//! system, or as TOML, for making many handouts at once.
//!
//! A roster that cannot be read at all is a [`RosterError`]; a row that
//! cannot be used is a [`RowError`] that names its line, and the other rows
//! go on.

use std::fmt;

use serde::Deserialize;
use toml::Spanned;

use crate::error::{ContentError, Location};
use crate::handout::{Choice, Handout, Selection};
use crate::patient::{Patient, Pregnancy, check_name, check_note, parse_date, parse_weeks};
use crate::practice::Practice;
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
    pub problem: Option<String>,
}

/// A roster that cannot be read at all. Nothing is made from it.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RosterError {
    /// The file is empty or has only a header.
    #[error(
        "{0} has no patients: it needs a header row with a `name` column and one row per patient"
    )]
    Empty(String),
    /// NUL bytes: a spreadsheet's own file format, an image, ...
    #[error("{0} is not a text file; export the roster from the spreadsheet as CSV (UTF-8)")]
    Binary(String),
    /// Bytes that are not UTF-8.
    #[error(
        "{0}: the text is not UTF-8; export the roster as \"CSV UTF-8\" (or save it with UTF-8 encoding)"
    )]
    NotUtf8(Location),
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
    /// The row's line.
    pub line: usize,
    /// The row's position among the patients.
    pub row: usize,
    /// What is wrong, naming the field and value.
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.origin, self.line, self.message)
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
    /// Reads a roster; TOML if `origin` ends in `.toml`, CSV otherwise.
    pub fn parse(origin: &str, bytes: &[u8]) -> Result<Roster, RosterError> {
        let text = decode(origin, bytes)?;
        let rows = if origin.to_ascii_lowercase().ends_with(".toml") {
            parse_toml(origin, text)?
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

    fn error(&self, origin: &str, message: String) -> RowError {
        RowError {
            origin: origin.to_string(),
            line: self.line,
            row: self.row,
            message,
        }
    }

    /// Checks the row's values and picks its topic.
    pub fn request<'t>(
        &self,
        origin: &str,
        topics: &'t [Topic],
    ) -> Result<RowRequest<'t>, RowError> {
        let error = |message: String| self.error(origin, message);
        if let Some(problem) = &self.problem {
            return Err(error(problem.clone()));
        }

        let topic = pick_topic(topics, given(&self.topic), given(&self.language)).map_err(error)?;
        let name = check_name("name", self.name.as_deref().unwrap_or(""))
            .map_err(|e| error(e.to_string()))?
            .ok_or_else(|| {
                error("name is empty; every row needs the patient's name".to_string())
            })?;
        if let Some(id) = given(&self.id)
            && (id.chars().any(char::is_control) || id.chars().count() > MAX_ID_CHARS)
        {
            return Err(error(format!(
                "id '{id}' must be at most {MAX_ID_CHARS} characters with no control characters"
            )));
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
        let asked = match (topic, language) {
            (Some(topic), Some(language)) => format!("topic '{topic}' in language '{language}'"),
            (Some(topic), None) => format!("topic '{topic}'"),
            (None, Some(language)) => format!("language '{language}'"),
            (None, None) => "a topic".to_string(),
        };
        format!("there is no {asked}; available: {}", available.join(", "))
    })
}

/// Checks the bytes are text and strips a byte-order mark.
fn decode<'a>(origin: &str, bytes: &'a [u8]) -> Result<&'a str, RosterError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if bytes.contains(&0) {
        return Err(RosterError::Binary(origin.to_string()));
    }
    std::str::from_utf8(bytes).map_err(|error| {
        let good = &bytes[..error.valid_up_to()];
        let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = good
            .rsplit(|&b| b == b'\n')
            .next()
            .map_or(0, |l| String::from_utf8_lossy(l).chars().count())
            + 1;
        RosterError::NotUtf8(Location {
            origin: origin.to_string(),
            line,
            column,
        })
    })
}

/// The delimiter of the header line: `;` (European Excel) or `,`.
fn detect_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    let (mut commas, mut semicolons, mut quoted) = (0, 0, false);
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => commas += 1,
            ';' if !quoted => semicolons += 1,
            _ => {}
        }
    }
    if semicolons > commas { b';' } else { b',' }
}

fn parse_csv(origin: &str, text: &str) -> Result<Vec<RosterRow>, RosterError> {
    if text.trim().is_empty() {
        return Err(RosterError::Empty(origin.to_string()));
    }
    let reader_delimiter = detect_delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(reader_delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header_at = Location {
        origin: origin.to_string(),
        line: 1,
        column: 1,
    };
    let header = match records.next() {
        Some(Ok(header)) => header,
        _ => return Err(RosterError::Empty(origin.to_string())),
    };

    let mut columns: Vec<usize> = Vec::with_capacity(header.len());
    for name in &header {
        let key = name.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        let Some(column) = COLUMNS.iter().position(|known| *known == key) else {
            return Err(RosterError::UnknownColumn {
                at: header_at,
                column: name.trim().to_string(),
                suggestion: nearest_column(&key),
            });
        };
        if columns.contains(&column) {
            return Err(RosterError::DuplicateColumn {
                at: header_at,
                column: key,
            });
        }
        columns.push(column);
    }
    if !columns.contains(&0) {
        let found: Vec<&str> = header.iter().map(str::trim).collect();
        return Err(RosterError::NoName {
            at: header_at,
            found: found.join(", "),
        });
    }

    let mut rows = Vec::new();
    let (mut line, mut counted) = (1, 0);
    for record in records {
        let Ok(record) = record else {
            // The reader only fails on I/O and UTF-8, both ruled out above.
            continue;
        };
        // Lines counted from the record's byte offset, where the reader's own
        // count is off by one on CRLF files.
        let mut offset = record.position().map_or(0, |p| p.byte() as usize);
        // On CRLF files a record's position can be the LF that ends the line before.
        while matches!(text.as_bytes().get(offset), Some(b'\r' | b'\n')) {
            offset += 1;
        }
        line += text.as_bytes()[counted..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        counted = offset;
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue; // Blank lines at the end of an export.
        }
        let mut row = RosterRow {
            row: rows.len() + 1,
            line,
            ..RosterRow::default()
        };
        // The cells are kept even when there are too many, so that the
        // row can be named in the manifest; the row then fails on its own.
        for (cell, &column) in record.iter().zip(&columns) {
            *row.field_mut(column) = Some(cell.to_string());
        }
        if record.len() > columns.len() {
            let delimiter = char::from(reader_delimiter);
            row.problem = Some(format!(
                "the row has {} cells but the header has {} columns; \
                 a cell with a '{delimiter}' in it must be in double quotes",
                record.len(),
                columns.len()
            ));
        }
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

/// A value written as a string, a number or a date.
#[derive(Deserialize)]
#[serde(untagged)]
enum Scalar {
    Text(String),
    Integer(i64),
    Date(toml::value::Datetime),
}

impl Scalar {
    fn into_text(self) -> String {
        match self {
            Scalar::Text(text) => text,
            Scalar::Integer(number) => number.to_string(),
            Scalar::Date(date) => date.to_string(),
        }
    }
}

/// Item ids as an array or as one string.
#[derive(Deserialize)]
#[serde(untagged)]
enum List {
    One(String),
    Many(Vec<String>),
}

impl List {
    fn into_text(self) -> String {
        match self {
            List::One(text) => text,
            List::Many(ids) => ids.join(","),
        }
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
                id: patient.id.map(Scalar::into_text),
                name: Some(patient.name.unwrap_or_default()),
                weeks: patient.weeks.map(Scalar::into_text),
                due_date: patient.due_date.map(Scalar::into_text),
                prevention: patient.prevention.map(List::into_text),
                treatment: patient.treatment.map(List::into_text),
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
        assert!(error(b"name\nAna\nJos\xe9\n").starts_with("r.csv:3:4: the text is not UTF-8"));
        assert!(
            error(b"id,weeks\n1,28\n")
                .starts_with("r.csv:1:1: the header has no `name` column (it has: id, weeks)")
        );
        assert_eq!(
            error(b"name,preventon\nAna,walking\n"),
            format!(
                "r.csv:1:1: unknown column 'preventon'; did you mean 'prevention'? (columns: {})",
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
        assert!(
            errors[4].starts_with("roster.csv:6: due_date '2027-02-30' is not a date"),
            "{}",
            errors[4]
        );
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

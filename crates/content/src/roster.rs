//! Reads a roster of patients, as CSV from a spreadsheet or a records
//! system, or as TOML, for making many handouts at once.
//!
//! A CSV roster is read as the program that wrote it wrote it: UTF-8,
//! UTF-16 or an Excel code page ([`crate::encoding`]); comma, semicolon or
//! tab; the spreadsheet's row numbers whatever its line ends
//! ([`crate::records`]); its columns under the names records systems give
//! them ([`crate::columns`]); dates day or month first, one order a file
//! ([`crate::dates`]).
//!
//! A roster that cannot be read at all is a [`RosterError`]; a row that
//! cannot be used is a [`RowError`] that names its row, and the other rows
//! go on.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use toml::Spanned;

use crate::columns::{Column, Meaning, map_header, normalise};
use crate::dates::{DateOrder, Reading, read_date};
use crate::encoding::{DecodeError, Encoding, decode};
use crate::error::{ContentError, Location};
use crate::handout::Handout;
use crate::library::Library;
use crate::patient::check_name;
use crate::records::{Cell, Reader, detect_delimiter};
use crate::request::{Part, RawRequest, Request, RequestContext};
use crate::text::{excerpt, is_format_char};

/// The columns a roster may have for a patient's details, by their own
/// names; records systems' names for them are known too (see [`Column`]).
/// Besides these, a roster has one column for each `choose` section of the
/// topics it uses, named by the section's key (`prevention`, `treatment`).
pub const COLUMNS: [&str; 10] = [
    "name",
    "first name",
    "last name",
    "id",
    "weeks",
    "due date",
    "note",
    "midwife",
    "topic",
    "language",
];

/// The most characters a record number may have.
const MAX_ID_CHARS: usize = 40;

/// How to read a roster beyond what its bytes say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RosterOptions {
    /// The order of day and month in dates such as `05/11/2026`, when every
    /// date in the file could be read either way.
    pub date_order: Option<DateOrder>,
    /// The practice's own header for a field, where its export names a
    /// column otherwise.
    pub columns: Vec<(Column, String)>,
    /// Refuse every column handout does not use, instead of ignoring it.
    pub strict_columns: bool,
}

/// A roster, read and split into rows; the rows are not checked yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roster {
    /// The file's name as the user gave it.
    pub origin: String,
    /// The rows, in file order.
    pub rows: Vec<RosterRow>,
    /// How the bytes were read.
    pub encoding: Encoding,
    /// The order its dates were read in, when they needed one.
    pub date_order: Option<DateOrder>,
    /// What the user should know of how it was read: a guessed encoding,
    /// the order of its dates, the columns ignored. Never a patient's data.
    pub notes: Vec<String>,
}

/// One patient's row, as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RosterRow {
    /// Position among the patients, from 1.
    pub row: usize,
    /// The row as the user finds it: in a CSV file, the spreadsheet's row
    /// number (the header is row 1, and a note over several lines is still
    /// one row); in a TOML file, the line of its `[[patient]]`.
    pub line: usize,
    /// Record number.
    pub id: Option<String>,
    /// The patient's name.
    pub name: Option<String>,
    /// Weeks of pregnancy, as written.
    pub weeks: Option<String>,
    /// Due date, as written.
    pub due_date: Option<String>,
    /// The midwife's note.
    pub note: Option<String>,
    /// The midwife's name.
    pub midwife: Option<String>,
    /// Topic id; empty means the only one.
    pub topic: Option<String>,
    /// Language; empty means the topic's only one, or English.
    pub language: Option<String>,
    /// The advice picked, as written: the `choose` section's key, the ids
    /// ("" = defaults, "none" = none), and the cell's column.
    pub picks: Vec<(String, String, Option<u16>)>,
    /// Why the row could not even be split into its cells.
    pub problem: Option<RowProblem>,
    /// The order of day and month in this roster's dates.
    pub date_order: Option<DateOrder>,
    /// How many digits the roster's record numbers have, when they keep
    /// leading zeros: a shorter all-digit id lost its zeros in a spreadsheet.
    pub id_digits: Option<usize>,
    /// The spreadsheet column of each field's cell, by [`Column`], in a CSV
    /// roster; errors in a cell name it.
    pub columns: [Option<u16>; Column::ALL.len()],
    /// When the row has more cells than the header, all empty past it (as
    /// Excel pads rows): how many, for the header's, and the delimiter. If
    /// the row then fails, an unquoted delimiter may be why.
    pub overflow: Option<(usize, usize, char)>,
}

/// Why a row's cells cannot be used, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// The spreadsheet column, from 1, when one cell is to blame.
    pub column: Option<usize>,
    /// What is wrong and what to do.
    pub message: String,
}

/// One problem of a roster's header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnError {
    /// The header cell: row 1, its column.
    pub at: Location,
    /// What is wrong and what to do.
    pub message: String,
}

/// A roster that cannot be read at all. Nothing is made from it.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RosterError {
    /// The file is empty or has only a header.
    #[error(
        "{0} has no patients: it needs a header row naming the columns and one row per patient"
    )]
    Empty(String),
    /// A spreadsheet's own file format, an image, or other bytes that are
    /// not lines of text.
    #[error(
        "{0} is not a text file; save the roster from the spreadsheet with \"Save As\", \
         choosing \"CSV UTF-8 (Comma delimited)\""
    )]
    Binary(String),
    /// UTF-16 without its byte-order mark.
    #[error(
        "{0} looks like UTF-16 text without the mark that says so; save the roster as \
         \"CSV UTF-8 (Comma delimited)\" instead"
    )]
    BareUtf16(String),
    /// UTF-16 that is broken.
    #[error(
        "{0}: the UTF-16 text is broken here; save the roster as \"CSV UTF-8 (Comma delimited)\""
    )]
    BadUtf16(Location),
    /// A code page other than Windows-1252 and Mac Roman.
    #[error(
        "{0} is not UTF-8, and does not read as Western European text in Windows-1252 either \
         (it may be Central European, Cyrillic or Greek); save the roster as \"CSV UTF-8 \
         (Comma delimited)\" so that no name is misread"
    )]
    CodePage(String),
    /// Bytes that are not UTF-8 where the whole file depends on them: in
    /// the header, or anywhere in a TOML roster.
    #[error(
        "{0}: the text is not UTF-8; save the roster as \"CSV UTF-8 (Comma delimited)\" (or \
         with UTF-8 encoding)"
    )]
    NotUtf8(Location),
    /// The first row holds no column handout knows: it is probably data.
    #[error(
        "{at}: the first row looks like data, not column names: none of its {cells} cells is a \
         column handout knows{}; add a header row naming the columns ({})",
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
    /// Every problem of the header's columns, each on its own line.
    #[error("{}", .0.iter().map(|problem| format!("{}: {}", problem.at, problem.message)).collect::<Vec<_>>().join("\n"))]
    Columns(Vec<ColumnError>),
    /// Dates that need both orders of day and month.
    #[error(
        "{origin}: the dates are written in both orders: row {day_row} can only be day first \
         and row {month_row} only month first; export every date in one order (or as \
         2026-11-25)"
    )]
    MixedDates {
        /// The roster.
        origin: String,
        /// A row whose date is day first only.
        day_row: usize,
        /// A row whose date is month first only.
        month_row: usize,
    },
    /// Dates that every order reads.
    #[error(
        "{origin}: every date can be read day first or month first (as row {row}'s); say which \
         with --date-order dmy (UK, Europe) or mdy (US), or once for all in the practice file: \
         [roster] date-order = \"dmy\""
    )]
    AmbiguousDates {
        /// The roster.
        origin: String,
        /// The first row with such a date.
        row: usize,
    },
    /// Malformed TOML.
    #[error(transparent)]
    Toml(#[from] ContentError),
}

impl RosterError {
    /// Where the problem is; `None` when it is the whole file.
    pub fn location(&self) -> Option<&Location> {
        match self {
            RosterError::Empty(_)
            | RosterError::Binary(_)
            | RosterError::BareUtf16(_)
            | RosterError::CodePage(_)
            | RosterError::MixedDates { .. }
            | RosterError::AmbiguousDates { .. } => None,
            RosterError::NotUtf8(at)
            | RosterError::BadUtf16(at)
            | RosterError::NoHeader { at, .. }
            | RosterError::BadHeader { at, .. } => Some(at),
            RosterError::Columns(problems) => problems.first().map(|problem| &problem.at),
            RosterError::Toml(error) => Some(error.location()),
        }
    }
}

/// A row that cannot be used; the others go on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The roster's name.
    pub origin: String,
    /// The row (see [`RosterRow::line`]).
    pub line: usize,
    /// The bad cell's spreadsheet column, when one cell is to blame.
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

impl Roster {
    /// Reads a roster for the built-in topics, with no options (see
    /// [`Roster::parse_with`]).
    pub fn parse(origin: &str, bytes: &[u8]) -> Result<Roster, RosterError> {
        let picks = Library::builtin().choose_keys();
        Roster::parse_with(origin, bytes, &RosterOptions::default(), &picks)
    }

    /// Reads a roster: TOML if `origin` ends in `.toml`, or if it names no
    /// `.csv`, `.tsv` or `.txt` file (standard input, say) and the text
    /// opens with a table; CSV otherwise. `picks` are the keys of the
    /// `choose` sections of the topics there are, which name the roster's
    /// advice columns.
    pub fn parse_with(
        origin: &str,
        bytes: &[u8],
        options: &RosterOptions,
        picks: &[String],
    ) -> Result<Roster, RosterError> {
        let lower = origin.to_ascii_lowercase();
        let is_toml = lower.ends_with(".toml")
            || (![".csv", ".tsv", ".txt"]
                .iter()
                .any(|end| lower.ends_with(end))
                && looks_like_toml(bytes));
        refuse_file_format(origin, bytes)?;
        let mut notes = Vec::new();
        let (mut rows, encoding) = if is_toml {
            let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
            refuse_binary(origin, bytes)?;
            (
                parse_toml(origin, utf8(origin, bytes)?, picks)?,
                Encoding::Utf8,
            )
        } else {
            // UTF-16 has NUL bytes of its own; other text has none.
            if !bytes.starts_with(b"\xff\xfe") && !bytes.starts_with(b"\xfe\xff") {
                refuse_binary(origin, bytes)?;
            }
            let (text, encoding) = decode(bytes).map_err(|error| match error {
                DecodeError::BadUtf16 { offset } => RosterError::BadUtf16(Location {
                    origin: origin.to_string(),
                    line: 1,
                    column: offset,
                }),
                DecodeError::UnknownCodePage => RosterError::CodePage(origin.to_string()),
            })?;
            refuse_binary(origin, &text)?;
            if encoding.is_guessed() {
                let export = match encoding {
                    Encoding::MacRoman => "\"CSV (Macintosh)\"",
                    _ => "\"CSV (Comma delimited)\" in Western Europe and the Americas",
                };
                notes.push(format!(
                    "read as {}, the encoding of Excel's {export}; \"CSV UTF-8 (Comma \
                     delimited)\" is the safer export",
                    encoding.name(),
                ));
            }
            (
                parse_csv(origin, &text, options, picks, &mut notes)?,
                encoding,
            )
        };
        if rows.is_empty() {
            return Err(RosterError::Empty(origin.to_string()));
        }
        let date_order = date_order(origin, &rows, options.date_order)?;
        if let Some(order) = date_order
            && options.date_order.is_none()
        {
            notes.push(format!(
                "dates read {}, as they are written",
                order.describe()
            ));
        }
        let id_digits = id_digits(&rows);
        for row in &mut rows {
            row.date_order = date_order;
            row.id_digits = id_digits;
        }
        Ok(Roster {
            origin: origin.to_string(),
            rows,
            encoding,
            date_order,
            notes,
        })
    }
}

/// The order to read the roster's dates in: the one its dates that can be
/// read only one way show, or the one given when every date reads both ways.
fn date_order(
    origin: &str,
    rows: &[RosterRow],
    given: Option<DateOrder>,
) -> Result<Option<DateOrder>, RosterError> {
    let readings: Vec<(usize, Reading)> = rows
        .iter()
        .filter_map(|row| {
            let reading = read_date(given_value(&row.due_date)?).ok()?;
            Some((row.line, reading))
        })
        .collect();
    let first_with = |order| {
        readings
            .iter()
            .find(|(_, reading)| reading.only_order() == Some(order))
            .map(|(line, _)| *line)
    };
    match (
        first_with(DateOrder::DayFirst),
        first_with(DateOrder::MonthFirst),
    ) {
        (Some(day_row), Some(month_row)) => Err(RosterError::MixedDates {
            origin: origin.to_string(),
            day_row,
            month_row,
        }),
        (Some(_), None) if given == Some(DateOrder::MonthFirst) => {
            // The user said month first, but the dates cannot be.
            let row = first_with(DateOrder::DayFirst).unwrap_or(0);
            Err(RosterError::MixedDates {
                origin: origin.to_string(),
                day_row: row,
                month_row: row,
            })
        }
        (Some(_), None) => Ok(Some(DateOrder::DayFirst)),
        (None, Some(_)) if given == Some(DateOrder::DayFirst) => {
            let row = first_with(DateOrder::MonthFirst).unwrap_or(0);
            Err(RosterError::MixedDates {
                origin: origin.to_string(),
                day_row: row,
                month_row: row,
            })
        }
        (None, Some(_)) => Ok(Some(DateOrder::MonthFirst)),
        (None, None) => match readings.iter().find(|(_, reading)| reading.is_ambiguous()) {
            Some(_) if given.is_some() => Ok(given),
            Some((row, _)) => Err(RosterError::AmbiguousDates {
                origin: origin.to_string(),
                row: *row,
            }),
            None => Ok(given),
        },
    }
}

/// How many digits the roster's all-digit record numbers have, when those
/// that start with 0 all have the same number: an export that keeps
/// leading zeros.
fn id_digits(rows: &[RosterRow]) -> Option<usize> {
    let ids = rows
        .iter()
        .filter_map(|row| given_value(&row.id))
        .filter(|id| id.bytes().all(|b| b.is_ascii_digit()));
    let mut width = None;
    for id in ids.filter(|id| id.starts_with('0')) {
        match width {
            None => width = Some(id.len()),
            Some(width) if width != id.len() => return None,
            Some(_) => {}
        }
    }
    width
}

impl RosterRow {
    /// Checks the row and resolves its handout's words, as any request is.
    pub fn resolve(&self, origin: &str, context: &RequestContext<'_>) -> Result<Handout, RowError> {
        self.request(origin, context).map(|request| request.handout)
    }

    /// An error on this row.
    pub fn error(&self, origin: &str, mut message: String) -> RowError {
        if let Some((cells, columns, delimiter)) = self.overflow {
            message.push_str(&format!(
                "; the row has more cells than the header ({cells} for {columns}): a cell with \
                 a '{}' in it must be in double quotes",
                delimiter.escape_default()
            ));
        }
        RowError {
            origin: origin.to_string(),
            line: self.line,
            column: None,
            row: self.row,
            message,
        }
    }

    /// An error in one cell of this row: with its column, where known.
    pub fn cell_error(&self, origin: &str, column: Column, message: String) -> RowError {
        RowError {
            column: self.columns[column as usize].map(usize::from),
            ..self.error(origin, message)
        }
    }

    /// The record number, if it is one a manifest may hold.
    pub fn checked_id(&self) -> Option<&str> {
        given_value(&self.id).filter(|id| check_id(id, None).is_ok())
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

    /// The row as a request: its cells, as written.
    pub fn raw_request(&self) -> RawRequest {
        RawRequest {
            topic: self.topic.clone(),
            language: self.language.clone(),
            name: self.name.clone(),
            weeks: self.weeks.clone(),
            due_date: self.due_date.clone(),
            note: self.note.clone(),
            midwife: self.midwife.clone(),
            date: None,
            paper: None,
            // A cell left empty asks for nothing: the section may not even
            // be the row's topic's.
            picks: self
                .picks
                .iter()
                .filter(|(_, ids, _)| !ids.trim().is_empty())
                .map(|(key, ids, _)| (key.clone(), ids.clone()))
                .collect(),
        }
    }

    /// Checks the row: its cells, a name (a roster row always has one), its
    /// record number, and then everything any request is checked for.
    pub fn request<'t>(
        &self,
        origin: &str,
        context: &RequestContext<'t>,
    ) -> Result<Request<'t>, RowError> {
        if let Some(problem) = &self.problem {
            return Err(RowError {
                column: problem.column,
                ..self.error(origin, problem.message.clone())
            });
        }
        if given_value(&self.name).is_none() {
            return Err(self.cell_error(
                origin,
                Column::Name,
                "name is empty; every row needs the patient's name".to_string(),
            ));
        }
        if let Some(id) = given_value(&self.id) {
            check_id(id, self.id_digits)
                .map_err(|message| self.cell_error(origin, Column::Id, message))?;
        }
        let context = RequestContext {
            date_order: self.date_order.or(context.date_order),
            ..*context
        };
        self.raw_request().validate(&context).map_err(|error| {
            let column = match &error.part {
                Part::Pick(key) => {
                    let column = self
                        .picks
                        .iter()
                        .find(|(pick, _, _)| pick.eq_ignore_ascii_case(key))
                        .and_then(|(_, _, column)| *column);
                    return RowError {
                        column: column.map(usize::from),
                        ..self.error(origin, error.message)
                    };
                }
                Part::Topic => Column::Topic,
                Part::Language => Column::Language,
                Part::Name => Column::Name,
                Part::Weeks => Column::Weeks,
                Part::DueDate | Part::Date | Part::Paper => Column::DueDate,
                Part::Note => Column::Note,
                Part::Midwife => Column::Midwife,
            };
            let message = match (
                &error.part,
                given_value(&self.weeks),
                given_value(&self.due_date),
            ) {
                // Both given: the row, not a cell, is at fault.
                (Part::Weeks, Some(_), Some(_)) => return self.error(origin, error.message),
                _ => error.message,
            };
            self.cell_error(origin, column, message)
        })
    }
}

/// Checks a record number: short, printable, no invisible characters, and
/// not a number a spreadsheet has mangled: `1.23457E+11`, or fewer digits
/// than the roster's others (`21` among `0017` and `0018`).
fn check_id(id: &str, digits: Option<usize>) -> Result<(), String> {
    if id.chars().count() > MAX_ID_CHARS || id.chars().any(|c| c.is_control() || is_format_char(c))
    {
        return Err(format!(
            "id '{}' must be at most {MAX_ID_CHARS} characters with no control or \
             invisible characters",
            excerpt(id)
        ));
    }
    let hint = "format the id column as Text in the spreadsheet and export again";
    if is_scientific(id) {
        return Err(format!(
            "id '{}' is a number the spreadsheet shortened, so the record number is lost; {hint}",
            excerpt(id)
        ));
    }
    if let Some(digits) = digits
        && id.len() < digits
        && id.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(format!(
            "id '{}' has {} digits where the others have {digits} with leading zeros: the \
             spreadsheet may have dropped its zeros; {hint}",
            excerpt(id),
            id.len()
        ));
    }
    Ok(())
}

/// Whether `text` is a number in a spreadsheet's scientific notation, such
/// as `1.23457E+11`.
fn is_scientific(text: &str) -> bool {
    let Some((mantissa, exponent)) = text.split_once(['E', 'e']) else {
        return false;
    };
    let exponent = exponent.strip_prefix('+').unwrap_or(exponent);
    let (whole, fraction) = mantissa.split_once(['.', ',']).unwrap_or((mantissa, "0"));
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && digits(fraction) && digits(exponent)
}

/// A cell's value, trimmed; `None` when empty.
fn given_value(value: &Option<String>) -> Option<&str> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|value| !value.is_empty())
}

/// The most NUL bytes a text roster may hold before it is taken for a
/// binary file; fewer are each their row's error.
const MAX_NULS: usize = 8;

/// A text roster's first line ends within this many bytes.
const MAX_FIRST_LINE: usize = 4096;

/// Refuses a file that is a spreadsheet's own format, an image or a PDF.
fn refuse_file_format(origin: &str, bytes: &[u8]) -> Result<(), RosterError> {
    const MAGIC: [&[u8]; 5] = [
        b"PK\x03\x04",                       // .xlsx, .ods, .zip
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", // .xls
        b"%PDF-",
        b"\x89PNG",
        b"\xff\xd8\xff", // JPEG
    ];
    if MAGIC.iter().any(|magic| bytes.starts_with(magic)) {
        return Err(RosterError::Binary(origin.to_string()));
    }
    Ok(())
}

/// Refuses text that is not lines of text: many NUL bytes, or no line end
/// near the start.
fn refuse_binary(origin: &str, bytes: &[u8]) -> Result<(), RosterError> {
    let nuls = bytes.iter().filter(|&&b| b == 0).count();
    if nuls > MAX_NULS {
        // Every other byte NUL: UTF-16 of mostly ASCII text.
        let odd = bytes.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
        let even = bytes.iter().step_by(2).filter(|&&b| b == 0).count();
        let (most, least) = (odd.max(even), odd.min(even));
        if most * 10 >= bytes.len() * 4 && least * 10 < bytes.len() {
            return Err(RosterError::BareUtf16(origin.to_string()));
        }
        return Err(RosterError::Binary(origin.to_string()));
    }
    let no_lines = bytes.len() > MAX_FIRST_LINE
        && !bytes[..MAX_FIRST_LINE]
            .iter()
            .any(|&b| b == b'\n' || b == b'\r');
    if no_lines {
        return Err(RosterError::Binary(origin.to_string()));
    }
    Ok(())
}

/// Checks that a whole file is UTF-8, locating the first bad byte.
fn utf8<'a>(origin: &str, bytes: &'a [u8]) -> Result<&'a str, RosterError> {
    std::str::from_utf8(bytes).map_err(|error| {
        let good = String::from_utf8_lossy(&bytes[..error.valid_up_to()]);
        RosterError::NotUtf8(Location::of_offset(origin, &good, good.len()))
    })
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

/// A cell's text, or why it cannot be read.
fn cell_text(text: &[u8], cell: &Cell, column: usize) -> Result<String, RowProblem> {
    let source = &text[cell.at.offset..cell.end];
    let bad = |message: &str| RowProblem {
        column: Some(column),
        message: message.to_string(),
    };
    if source.contains(&0) {
        return Err(bad(
            "this cell has a NUL byte, which is not text; retype the cell",
        ));
    }
    String::from_utf8(cell.bytes.clone()).map_err(|_| {
        bad("this cell is not UTF-8 text; save the roster as \"CSV UTF-8 (Comma delimited)\"")
    })
}

fn parse_csv(
    origin: &str,
    text: &[u8],
    options: &RosterOptions,
    picks: &[String],
    notes: &mut Vec<String>,
) -> Result<Vec<RosterRow>, RosterError> {
    if text.trim_ascii().is_empty() {
        return Err(RosterError::Empty(origin.to_string()));
    }
    let delimiter = detect_delimiter(text);
    let mut records = Reader::new(text, delimiter);
    let Some(header) = records.next() else {
        return Err(RosterError::Empty(origin.to_string()));
    };
    let at = |column: usize| Location {
        origin: origin.to_string(),
        line: 1,
        column,
    };
    if let Some(problem) = header.problem {
        return Err(RosterError::BadHeader {
            at: at(problem.column),
            message: problem.message,
        });
    }
    let mut names = Vec::with_capacity(header.cells.len());
    for (index, cell) in header.cells.iter().enumerate() {
        let name = cell_text(text, cell, index + 1).map_err(|problem| RosterError::BadHeader {
            at: at(index + 1),
            message: problem.message,
        })?;
        names.push(name.trim().to_string());
    }
    // Excel's empty columns after the last one used.
    while names.last().is_some_and(String::is_empty) {
        names.pop();
    }

    let mapping = map_header(&names, picks, &options.columns, options.strict_columns);
    if !mapping
        .meanings
        .iter()
        .any(|meaning| matches!(meaning, Meaning::Column(_) | Meaning::Pick(_)))
        && !names.iter().any(|name| {
            options
                .columns
                .iter()
                .any(|(_, header)| normalise(header) == normalise(name))
        })
    {
        // Most likely the first patient: never quote it back.
        let suggestion = mapping.problems.iter().find_map(|problem| {
            problem
                .message
                .split_once("did you mean '")
                .and_then(|(_, rest)| rest.split_once('\''))
                .map(|(field, _)| field.to_string())
        });
        return Err(RosterError::NoHeader {
            at: at(1),
            cells: names.len(),
            suggestion,
        });
    }
    if !mapping.problems.is_empty() {
        return Err(RosterError::Columns(
            mapping
                .problems
                .into_iter()
                .map(|problem| ColumnError {
                    at: at(problem.index + 1),
                    message: problem.message,
                })
                .collect(),
        ));
    }
    if !mapping.ignored.is_empty() {
        let ignored: Vec<String> = mapping
            .ignored
            .iter()
            .map(|(index, name)| format!("'{}' (column {})", excerpt(name), index + 1))
            .collect();
        notes.push(format!(
            "ignored {} column{} handout does not use: {}",
            ignored.len(),
            if ignored.len() == 1 { "" } else { "s" },
            ignored.join(", ")
        ));
    }

    let mut columns = [None; Column::ALL.len()];
    for (index, meaning) in mapping.meanings.iter().enumerate() {
        if let Meaning::Column(field) = meaning {
            let field = match field {
                Column::FirstName | Column::LastName => Column::Name,
                field => *field,
            };
            columns[field as usize].get_or_insert(u16::try_from(index + 1).unwrap_or(u16::MAX));
        }
    }
    records.set_columns(names.len());
    let mut rows = Vec::new();
    for record in records {
        let mut row = RosterRow {
            row: rows.len() + 1,
            line: record.row,
            columns,
            ..RosterRow::default()
        };
        let mut problem = record.problem.map(|problem| RowProblem {
            column: Some(problem.column),
            message: problem.message,
        });
        let mut blank = true;
        let (mut first, mut last) = (None, None);
        for (index, cell) in record.cells.iter().enumerate() {
            let value = match cell_text(text, cell, index + 1) {
                Ok(value) => value,
                Err(bad) => {
                    problem.get_or_insert(bad);
                    String::from_utf8_lossy(&cell.bytes).into_owned()
                }
            };
            blank &= value.trim().is_empty();
            match mapping.meanings.get(index) {
                Some(Meaning::Column(Column::FirstName)) => first = Some(value),
                Some(Meaning::Column(Column::LastName)) => last = Some(value),
                Some(Meaning::Column(field)) => *row.field_mut(*field) = Some(value),
                Some(Meaning::Pick(pick)) => {
                    row.picks
                        .push((picks[*pick].clone(), value, u16::try_from(index + 1).ok()))
                }
                Some(Meaning::Ignored) => {}
                None if value.trim().is_empty() => {}
                None => {
                    problem.get_or_insert(RowProblem {
                        column: Some(index + 1),
                        message: format!(
                            "the row has a cell past the header's last column ({}); a cell \
                             with a '{}' in it must be in double quotes",
                            names.len(),
                            char::from(delimiter).escape_default()
                        ),
                    });
                }
            }
        }
        if blank {
            continue; // Blank rows, and rows of only delimiters.
        }
        let used = record
            .cells
            .iter()
            .rposition(|cell| !cell.bytes.trim_ascii().is_empty())
            .map_or(0, |last| last + 1);
        if record.cells.len() > header.cells.len().max(names.len()) && used <= names.len() {
            row.overflow = Some((record.cells.len(), names.len(), char::from(delimiter)));
        }
        if first.is_some() || last.is_some() {
            let parts: Vec<String> = [first, last]
                .into_iter()
                .flatten()
                .map(|part| part.trim().to_string())
                .filter(|part| !part.is_empty())
                .collect();
            row.name = Some(parts.join(" "));
        }
        row.problem = problem;
        rows.push(row);
    }
    Ok(rows)
}

impl RosterRow {
    fn field_mut(&mut self, field: Column) -> &mut Option<String> {
        match field {
            Column::Name | Column::FirstName | Column::LastName => &mut self.name,
            Column::Id => &mut self.id,
            Column::Weeks => &mut self.weeks,
            Column::DueDate => &mut self.due_date,
            Column::Note => &mut self.note,
            Column::Midwife => &mut self.midwife,
            Column::Topic => &mut self.topic,
            Column::Language => &mut self.language,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRoster {
    #[serde(default)]
    patient: Vec<Spanned<RawPatient>>,
}

/// A `[[patient]]` table: the patient's details, and any other key is the
/// key of a `choose` section with the ids picked from it.
#[derive(Deserialize)]
struct RawPatient {
    name: Option<String>,
    id: Option<Scalar>,
    weeks: Option<Scalar>,
    #[serde(alias = "due-date")]
    due_date: Option<Scalar>,
    note: Option<String>,
    midwife: Option<String>,
    topic: Option<String>,
    language: Option<String>,
    #[serde(flatten)]
    picks: BTreeMap<String, toml::Value>,
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

fn parse_toml(origin: &str, text: &str, picks: &[String]) -> Result<Vec<RosterRow>, RosterError> {
    let raw: RawRoster =
        toml::from_str(text).map_err(|error| ContentError::from_toml(origin, text, &error))?;
    let mut rows = Vec::with_capacity(raw.patient.len());
    for (i, patient) in raw.patient.into_iter().enumerate() {
        let span = patient.span();
        let line = Location::of_offset(origin, text, span.start).line;
        let patient = patient.into_inner();
        let mut row = RosterRow {
            row: i + 1,
            line,
            id: patient.id.map(|id| id.0),
            name: Some(patient.name.unwrap_or_default()),
            weeks: patient.weeks.map(|weeks| weeks.0),
            due_date: patient.due_date.map(|due| due.0),
            note: patient.note,
            midwife: patient.midwife,
            topic: patient.topic,
            language: patient.language,
            ..RosterRow::default()
        };
        for (key, value) in patient.picks {
            // Where the key is written, for the error.
            let at = || {
                // The table runs from its header to the next one.
                let rest = &text[span.start..];
                let end = rest[1..].find("\n[").map_or(rest.len(), |end| end + 1);
                let table = &rest[..end];
                let offset = table
                    .match_indices(key.as_str())
                    .find(|(at, _)| {
                        table[..*at].ends_with('\n')
                            && table[at + key.len()..].trim_start().starts_with('=')
                    })
                    .map_or(span.start, |(at, _)| span.start + at);
                Location::of_offset(origin, text, offset)
            };
            if !picks.contains(&key) {
                return Err(RosterError::Toml(ContentError::Toml {
                    at: at(),
                    message: format!(
                        "unknown field `{}`, expected one of `name`, `id`, `weeks`, `due_date`, \
                         `note`, `midwife`, `topic`, `language`, or a section to pick from: {}",
                        excerpt(&key),
                        picks.join(", ")
                    ),
                }));
            }
            let ids = match value {
                toml::Value::String(ids) => ids,
                toml::Value::Array(ids) if ids.iter().all(toml::Value::is_str) => ids
                    .iter()
                    .filter_map(toml::Value::as_str)
                    .collect::<Vec<_>>()
                    .join(","),
                _ => {
                    return Err(RosterError::Toml(ContentError::Toml {
                        at: at(),
                        message: format!(
                            "`{key}` must be item ids as a text or an array of texts, like \
                             [\"walking\", \"fluids\"]"
                        ),
                    }));
                }
            };
            row.picks.push((key, ids, None));
        }
        rows.push(row);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::practice::Practice;

    /// What the built-in topics and no practice check rows against.
    fn topics() -> RequestContext<'static> {
        let library = Box::leak(Box::new(Library::builtin()));
        let practice = Box::leak(Box::new(Practice::default()));
        RequestContext::new(library, practice, jiff::civil::date(2026, 11, 25))
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
        assert_eq!(
            ana.picks[0],
            ("prevention".into(), "walking,fluids".into(), Some(4))
        );
        assert_eq!(ana.note.as_deref(), Some("Two\nlines"));
        // The quoted line break moves the next row down a line, but it is
        // still the spreadsheet's next row.
        assert_eq!(roster.rows[1].line, 3);
        let topics = topics();
        let request = ana.request("r.csv", &topics).unwrap();
        assert!(
            request
                .handout
                .byline
                .iter()
                .any(|f| f.value.as_deref() == Some("28 weeks"))
        );
        assert_eq!(
            request.handout.printed_ids("prevention"),
            ["walking", "fluids"]
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
            "r.csv:2:4: the row has a cell past the header's last column (3); \
             a cell with a ';' in it must be in double quotes"
        );

        let text = "\u{feff}name;weeks;treatment\r\nAna;28;\"warm-bath;moist-heat\"\r\n";
        let roster = Roster::parse("r.csv", text.as_bytes()).unwrap();
        let topics = topics();
        let request = roster.rows[0].request("r.csv", &topics).unwrap();
        assert_eq!(
            request.handout.printed_ids("treatment"),
            ["moist-heat", "warm-bath"]
        );
    }

    #[test]
    fn unreadable_rosters_are_one_error() {
        let error = |text: &[u8]| Roster::parse("r.csv", text).unwrap_err().to_string();
        assert!(error(b"").contains("has no patients"));
        assert!(error(b"name,weeks\n").contains("has no patients"));
        assert!(error(b"PK\x03\x04\x00\x00binary").contains("not a text file"));
        assert!(
            error(b"na\xefme,Zo\xc3\xab\nAna\n").starts_with("r.csv:1:1: this cell is not UTF-8")
        );
        assert!(error(&[b'a'; 5000]).contains("not a text file"));
        assert!(error(b"name\n\0\0\0\0\0\0\0\0\0\n").contains("not a text file"));
        assert!(
            error(b"id,weeks\n1,28\n")
                .starts_with("r.csv:1:1: the header has no column for the patient's name")
        );
        assert!(
            error(b"name,preventon\nAna,walking\n")
                .starts_with("r.csv:1:2: unknown column 'preventon'; did you mean 'prevention'?")
        );
        assert!(error(b"name,Name\nAna,Ana\n").contains("is the name again"));
        // Every problem of the header at once, each at its column.
        let all = error(b"name,preventon,EDD,Treatmnt,due date\nAna,,,,\n");
        let lines: Vec<&str> = all.lines().collect();
        assert_eq!(lines.len(), 3, "{all}");
        assert!(
            lines[0].starts_with("r.csv:1:2: unknown column 'preventon'"),
            "{all}"
        );
        assert!(
            lines[1].starts_with("r.csv:1:4: unknown column 'Treatmnt'"),
            "{all}"
        );
        assert!(
            lines[2].starts_with(
                "r.csv:1:5: column 'due date' is the due-date again, as column 3 'EDD' is"
            ),
            "{all}"
        );
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
                row.resolve(
                    "roster.csv",
                    &RequestContext {
                        today: date,
                        ..topics
                    },
                )
                .unwrap_err()
                .to_string()
            })
            .collect();
        assert!(
            errors[0].starts_with(
                "roster.csv:2:3: unknown treatment item 'hot-bath'; did you mean 'warm-bath'?"
            ),
            "{}",
            errors[0]
        );
        assert_eq!(
            errors[1],
            "roster.csv:3:1: name is empty; every row needs the patient's name"
        );
        assert_eq!(
            errors[2],
            "roster.csv:4:2: weeks must be 1 to 42 weeks, written like 28, 28+3, 28w3d or 28/40, not '50'"
        );
        assert_eq!(
            errors[3],
            "roster.csv:5: both weeks and due date are given; keep one"
        );
        assert_eq!(
            errors[4],
            "roster.csv:6:4: due date 2027-02-30: 30 February is not a date; February 2027 has 28 days"
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
        // UTF-8 (Zoë) with one byte from another encoding.
        let rows = problems(b"name,weeks\nZo\xc3\xab,28\nJos\xe9,30\nBea,\x0031\nCas,32\n");
        assert_eq!(rows[0], (2, Some("Zoë".into())));
        assert!(
            rows[1]
                .1
                .as_deref()
                .unwrap()
                .starts_with("r.csv:3:1: this cell is not UTF-8"),
            "{rows:?}"
        );
        assert!(
            rows[2]
                .1
                .as_deref()
                .unwrap()
                .starts_with("r.csv:4:2: this cell has a NUL byte"),
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
                .starts_with("r.csv:2:3: this cell opens a quote"),
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
            "r.csv:2:2: there is no topic 'back-pain' (topics: leg-cramps)"
        );
        let second = roster.rows[1]
            .request("r.csv", &topics)
            .unwrap_err()
            .to_string();
        assert_eq!(
            second,
            "r.csv:3:3: topic 'leg-cramps' is not in language 'fr' (it is in: en)"
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
        assert_eq!(ana.handout.printed_ids("treatment"), Vec::<&str>::new());
        let bea = roster.rows[1].request("r.toml", &topics).unwrap();
        assert!(
            bea.handout
                .byline
                .iter()
                .any(|f| f.value.as_deref() == Some("28 weeks"))
        );

        let error = Roster::parse("r.toml", b"[[patient]]\nname = \"A\"\nweek = 3\n").unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("r.toml:3:1: unknown field `week`"),
            "{error}"
        );
    }
}

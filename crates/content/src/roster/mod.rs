//! Reads a roster of patients, as CSV from a spreadsheet or a records
//! system, or as TOML, for making many handouts at once.
//!
//! The reader knows nothing of topics: it is given the keys of the
//! sections a roster may pick from, and returns rows, each holding the
//! [`RawRequest`] its cells make and where each cell was. Checking a row
//! against the topics is [`Roster::request`]'s job, one layer up.
//!
//! One job a module:
//! - [`sniff`]: what kind of file it is, refusing spreadsheets' own formats
//!   and other bytes that are not text;
//! - [`encoding`]: UTF-8, UTF-16, a named encoding or a guessed Excel
//!   code page, into UTF-8;
//! - [`records`]: CSV bytes into records of cells, with the spreadsheet's
//!   row numbers whatever the line ends;
//! - [`columns`]: what each header means, under the names records systems
//!   give them;
//! - [`csv`] and [`toml`]: the two formats' rows;
//! - [`agree`]: what every row must agree on, the order of day and month
//!   and the width of record numbers;
//! - [`id`]: record numbers a spreadsheet has mangled.
//!
//! A roster that cannot be read at all is a [`RosterError`]; a row whose
//! cells cannot be used keeps its [`RowProblem`], and the other rows go on.

mod agree;
mod columns;
mod csv;
mod encoding;
mod id;
mod records;
mod sniff;
mod toml;

use crate::dates::DateOrder;
use crate::error::{ContentError, Location, utf8_text};
use crate::patient::check_name;
use crate::raw::RawRequest;
use crate::text::given;

pub use columns::RosterField;
pub(crate) use columns::is_reserved;
pub use encoding::Encoding;
pub(crate) use id::check_id;

/// The columns a roster may have for a patient's details, by their own
/// names; records systems' names for them are known too (see
/// [`RosterField`]). Besides these, a roster has one column for each
/// `choose` section of the topics it uses, named by the section's key
/// (`prevention`, `treatment`).
pub const COLUMNS: [&str; 11] = [
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
    "large print",
];

/// How to read a roster beyond what its bytes say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RosterOptions {
    /// The order of day and month in dates such as `05/11/2026`, when every
    /// date in the file could be read either way.
    pub date_order: Option<DateOrder>,
    /// The practice's own header for a field, where its export names a
    /// column otherwise.
    pub columns: Vec<(RosterField, String)>,
    /// Refuse every column handout does not use, instead of ignoring it.
    pub strict_columns: bool,
    /// The encoding the roster is in, when its export's code page is known:
    /// then it is not guessed. A file that says it is another (by a
    /// byte-order mark, or by being UTF-8) is refused.
    pub encoding: Option<Encoding>,
}

/// A roster, read and split into rows; the rows are not checked yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roster {
    /// The file's name as the user gave it.
    pub origin: String,
    /// The rows, in file order.
    pub rows: Vec<RosterRow>,
    /// Whether it is a spreadsheet's export (CSV or text), whose rows and
    /// columns are named as the spreadsheet numbers them, rather than a
    /// TOML file's lines.
    pub spreadsheet: bool,
    /// How the bytes were read.
    pub encoding: Encoding,
    /// The order its dates are read in, when they needed one.
    pub date_order: Option<DateOrder>,
    /// How many digits its record numbers have, when those that start
    /// with 0 keep leading zeros: a shorter all-digit id lost its zeros in
    /// a spreadsheet.
    pub id_digits: Option<usize>,
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
    /// The record number, as written.
    pub id: Option<String>,
    /// The handout the row asks for, its values as written. A pick cell
    /// left empty asks for nothing, so it is not among the picks: the
    /// section may not even be the row's topic's.
    pub request: RawRequest,
    /// Where each value's cell is, to name it in an error.
    pub cells: Cells,
    /// Why the row could not even be split into its cells.
    pub problem: Option<RowProblem>,
    /// When the row has more cells than the header, all empty past it (as
    /// Excel pads rows): if the row then fails, an unquoted delimiter may
    /// be why.
    pub overflow: Option<Overflow>,
}

/// The spreadsheet column, from 1, of each value of a CSV row; a TOML
/// roster has none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cells {
    fields: [Option<u16>; RosterField::ALL.len()],
    picks: Vec<(String, u16)>,
}

impl Cells {
    /// The column of a field's cell.
    pub fn field(&self, field: RosterField) -> Option<usize> {
        self.fields[field as usize].map(usize::from)
    }

    /// The column of the cell that picks from section `key`, in any case.
    pub fn pick(&self, key: &str) -> Option<usize> {
        self.picks
            .iter()
            .find(|(section, _)| section.eq_ignore_ascii_case(key))
            .map(|(_, column)| usize::from(*column))
    }
}

/// A row with more cells than its header has columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overflow {
    /// The row's cells.
    pub cells: usize,
    /// The header's columns.
    pub columns: usize,
    /// The file's delimiter.
    pub delimiter: char,
}

/// Why a row's cells cannot be used, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// The line to name, when it is not the row's own: a TOML table's key
    /// on a line of its own.
    pub line: Option<usize>,
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
    /// A code page none of the guessed ones reads as text.
    #[error(
        "{0} is not UTF-8, and reads as text in none of the code pages handout guesses \
         (Windows-1252, 1250, 1254, 1251 and 1253); if you know its code page, name it with \
         --encoding (such as windows-1257), or once for all in the practice file ([roster] \
         encoding = \"windows-1257\"); or save the roster as \"CSV UTF-8 (Comma delimited)\" \
         so that no name is misread"
    )]
    CodePage(String),
    /// Code pages that each read the roster as plausible, different text.
    #[error(
        "{at}: the roster is not UTF-8, and reads as names in more than one code page, \
         differently: {}; say which is right with {}, or once for all in the practice file \
         ([roster] encoding = \"...\", the same label), or save the roster as \"CSV UTF-8 \
         (Comma delimited)\"",
        .readings.iter().map(|(label, example)| format!("'{example}' in {label}")).collect::<Vec<_>>().join(", "),
        .readings.iter().map(|(label, _)| format!("--encoding {label}")).collect::<Vec<_>>().join(" or ")
    )]
    AmbiguousCodePage {
        /// The first word the code pages read differently.
        at: Location,
        /// Each code page's label, and how the first word they read
        /// differently reads in it.
        readings: Vec<(String, String)>,
    },
    /// Bytes that are no character in the encoding the user named.
    #[error(
        "{at}: this byte is no character in {encoding}; is the roster in another encoding? \
         name the right one with --encoding or [roster] encoding, or save the roster as \
         \"CSV UTF-8 (Comma delimited)\""
    )]
    NotInEncoding {
        /// Where the byte is.
        at: Location,
        /// The named encoding's label.
        encoding: String,
    },
    /// The roster says it is in another encoding than the one named.
    #[error(
        "{origin} is {found}, {}, but its encoding is set to {named}; leave --encoding and \
         [roster] encoding out for this file (or give --encoding {}), as its {} says how to \
         read it",
        if *.by_mark { "as the mark at its start says" } else { "as its accented letters show" },
        if .found.starts_with("UTF-16") { "utf-16le" } else { "utf-8" },
        if *.by_mark { "mark" } else { "text" }
    )]
    OtherEncoding {
        /// The roster.
        origin: String,
        /// The named encoding's label.
        named: String,
        /// The encoding the file is in.
        found: String,
        /// Whether a byte-order mark says so; otherwise the text is UTF-8.
        by_mark: bool,
    },
    /// Bytes that are not UTF-8 where the whole file depends on them: in
    /// the header, or anywhere in a TOML roster.
    #[error(
        "{0}: the text is not UTF-8; save the roster as \"CSV UTF-8 (Comma delimited)\" (or \
         with UTF-8 encoding)"
    )]
    NotUtf8(Location),
    /// The first row holds no column handout knows: it is probably data.
    #[error(
        "{}: the first row looks like data, not column names: none of its {cells} cells is a \
         column handout knows{}; add a header row naming the columns ({})",
        spreadsheet_place(.at),
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
    #[error("{}: {message}", spreadsheet_place(.at))]
    BadHeader {
        /// Where.
        at: Location,
        /// What is wrong.
        message: String,
    },
    /// Every problem of the header's columns, each on its own line.
    #[error("{}", .0.iter().map(|problem| format!("{}: {}", spreadsheet_place(&problem.at), problem.message)).collect::<Vec<_>>().join("\n"))]
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
    /// A date that can be read only in the other order than the one given.
    #[error(
        "{origin}: row {row}'s date can only be read {}, but the dates were to be read {} \
         (--date-order {}, or date-order in the practice file); check which order the export \
         writes dates in, and give that one",
        .order.other().describe(),
        .order.describe(),
        .order.key()
    )]
    OrderContradicted {
        /// The roster.
        origin: String,
        /// The first row whose date cannot be read in `order`.
        row: usize,
        /// The order given.
        order: DateOrder,
    },
    /// Dates that every order reads.
    #[error(
        "{origin}: every date can be read day first or month first (as row {row}'s); say which \
         with --date-order dmy (UK, Europe) or mdy (US), or once for all in the practice file: \
         date-order = \"dmy\""
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

/// A spreadsheet's name for its column `number` (from 1): A to Z, then AA.
pub fn column_letters(number: usize) -> String {
    let mut letters = Vec::new();
    let mut rest = number;
    while rest > 0 {
        let digit = (rest - 1) % 26;
        letters.push(char::from(b'A' + digit as u8));
        rest = (rest - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// A place in a spreadsheet's export as the spreadsheet shows it: "clinic.csv,
/// row 1, column C".
fn spreadsheet_place(at: &Location) -> String {
    format!(
        "{}, row {}, column {}",
        at.origin,
        at.line,
        column_letters(at.column)
    )
}

impl RosterError {
    /// Where the problem is; `None` when it is the whole file.
    pub fn location(&self) -> Option<&Location> {
        match self {
            RosterError::Empty(_)
            | RosterError::Binary(_)
            | RosterError::BareUtf16(_)
            | RosterError::CodePage(_)
            | RosterError::OtherEncoding { .. }
            | RosterError::MixedDates { .. }
            | RosterError::OrderContradicted { .. }
            | RosterError::AmbiguousDates { .. } => None,
            RosterError::NotUtf8(at)
            | RosterError::BadUtf16(at)
            | RosterError::NotInEncoding { at, .. }
            | RosterError::AmbiguousCodePage { at, .. }
            | RosterError::NoHeader { at, .. }
            | RosterError::BadHeader { at, .. } => Some(at),
            RosterError::Columns(problems) => problems.first().map(|problem| &problem.at),
            RosterError::Toml(error) => Some(error.location()),
        }
    }
}

impl Roster {
    /// Reads a roster: TOML if `origin` ends in `.toml`, or if it names no
    /// `.csv`, `.tsv` or `.txt` file (standard input, say) and the text
    /// opens with a table; CSV otherwise. `sections` are the keys of the
    /// `choose` sections of the topics there are, which name the roster's
    /// advice columns.
    pub fn parse(
        origin: &str,
        bytes: &[u8],
        options: &RosterOptions,
        sections: &[String],
    ) -> Result<Roster, RosterError> {
        sniff::refuse_file_format(origin, bytes)?;
        let mut notes = Vec::new();
        let spreadsheet = !sniff::is_toml(origin, bytes);
        let (mut rows, encoding) = if !spreadsheet {
            let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
            match options.encoding {
                // TOML is UTF-8, unless a practice says its rosters are not.
                Some(named) if named != Encoding::UTF_8 => {
                    let (text, encoding, _) = sniff::decode(origin, bytes, Some(named))?;
                    let text = utf8_text(origin, &text)
                        .map_err(|error| RosterError::NotUtf8(error.location().clone()))?;
                    (toml::parse(origin, text, sections)?, encoding)
                }
                _ => {
                    sniff::refuse_binary(origin, bytes)?;
                    let text = utf8_text(origin, bytes)
                        .map_err(|error| RosterError::NotUtf8(error.location().clone()))?;
                    (toml::parse(origin, text, sections)?, Encoding::UTF_8)
                }
            }
        } else {
            let (text, encoding, guessed) = sniff::decode(origin, bytes, options.encoding)?;
            if guessed {
                notes.push(encoding::guessed_note(encoding));
            }
            (
                csv::parse(origin, &text, options, sections, &mut notes)?,
                encoding,
            )
        };
        if rows.is_empty() {
            return Err(RosterError::Empty(origin.to_string()));
        }
        let date_order = agree::date_order(origin, &rows, options.date_order)?;
        if let Some(order) = date_order
            && options.date_order.is_none()
        {
            notes.push(format!(
                "dates read {}, as they are written",
                order.describe()
            ));
        }
        let id_digits = agree::id_digits(&rows);
        // The rows are kept all day: not the room they grew into.
        rows.shrink_to_fit();
        for (index, row) in rows.iter_mut().enumerate() {
            row.row = index + 1;
        }
        Ok(Roster {
            origin: origin.to_string(),
            rows,
            spreadsheet,
            encoding,
            date_order,
            id_digits,
            notes,
        })
    }
}

impl RosterRow {
    /// The record number, if it is one a manifest may hold.
    pub fn checked_id(&self) -> Option<&str> {
        given(&self.id).filter(|id| check_id(id, None).is_ok())
    }

    /// The patient's name, if it is one a manifest may hold.
    pub fn checked_name(&self) -> Option<String> {
        if self.problem.is_some() {
            return None;
        }
        check_name("name", self.request.name.as_deref().unwrap_or(""))
            .ok()
            .flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The built-in topics' sections to choose from.
    pub(super) fn sections() -> Vec<String> {
        vec!["prevention".into(), "treatment".into()]
    }

    pub(super) fn read(origin: &str, bytes: &[u8]) -> Result<Roster, RosterError> {
        Roster::parse(origin, bytes, &RosterOptions::default(), &sections())
    }

    #[test]
    fn standard_input_is_sniffed() {
        let toml = read("standard input", b"# today\n[[patient]]\nname = \"Ana\"\n").unwrap();
        assert_eq!(toml.rows[0].line, 2);
        let csv = read("standard input", b"name\nAna\n").unwrap();
        assert_eq!(csv.rows[0].request.name.as_deref(), Some("Ana"));
    }

    #[test]
    fn rows_are_numbered_among_the_patients_and_by_the_file() {
        let roster = read("r.csv", b"name\nAna\n\nBea\n").unwrap();
        let rows: Vec<(usize, usize)> = roster.rows.iter().map(|row| (row.row, row.line)).collect();
        assert_eq!(rows, [(1, 2), (2, 4)]);
    }

    #[test]
    fn unreadable_rosters_are_one_error() {
        let error = |text: &[u8]| read("r.csv", text).unwrap_err().to_string();
        assert!(error(b"").contains("has no patients"));
        assert!(error(b"name,weeks\n").contains("has no patients"));
        assert!(error(b"PK\x03\x04\x00\x00binary").contains("not a text file"));
        assert!(
            error(b"na\xefme,Zo\xc3\xab\nAna\n")
                .starts_with("r.csv, row 1, column A: this cell is not UTF-8")
        );
        assert!(error(&[b'a'; 300_000]).contains("not a text file"));
        assert!(error(b"name\n\0\0\0\0\0\0\0\0\0\n").contains("not a text file"));
        assert!(error(b"id,weeks\n1,28\n").starts_with(
            "r.csv, row 1, column A: the header has no column for the patient's name"
        ));
        assert!(error(b"name,preventon\nAna,walking\n").starts_with(
            "r.csv, row 1, column B: unknown column 'preventon'; did you mean 'prevention'?"
        ));
        assert!(error(b"name,Name\nAna,Ana\n").contains("is the name again"));
        // Every problem of the header at once, each at its column.
        let all = error(b"name,preventon,EDD,Treatmnt,due date\nAna,,,,\n");
        let lines: Vec<&str> = all.lines().collect();
        assert_eq!(lines.len(), 3, "{all}");
        assert!(
            lines[0].starts_with("r.csv, row 1, column B: unknown column 'preventon'"),
            "{all}"
        );
        assert!(
            lines[1].starts_with("r.csv, row 1, column D: unknown column 'Treatmnt'"),
            "{all}"
        );
        assert!(
            lines[2].starts_with(
                "r.csv, row 1, column E: column 'due date' is the due-date again, as column 3 'EDD' is"
            ),
            "{all}"
        );
    }
}

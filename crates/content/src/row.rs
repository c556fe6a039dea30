//! Checks a roster's row against the topics: the one place a row becomes a
//! [`Request`], or a [`RowError`] that names its row and, where one cell is
//! to blame, its column.
//!
//! A row is checked as every request is ([`RawRequest::validate`](crate::RawRequest::validate)), and for
//! what only a roster can get wrong: cells that could not be read, a row
//! with no name, a record number a spreadsheet mangled.

use std::fmt;

use crate::request::{Part, Request, RequestContext};
use crate::roster::{Roster, RosterField, RosterRow, check_id, column_letters};
use crate::text::given;

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
    /// The field whose value is to blame, when one is: a manifest leaves
    /// out a name that was refused.
    pub field: Option<RosterField>,
    /// Whether the roster is a spreadsheet's export: then the place is
    /// said as the spreadsheet shows it, "row 2, column F"; a TOML roster's
    /// is its line and column, "clinic.toml:14:9".
    pub spreadsheet: bool,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (origin, line, message) = (&self.origin, self.line, &self.message);
        match (self.spreadsheet, self.column) {
            (true, Some(column)) => write!(
                f,
                "{origin}, row {line}, column {}: {message}",
                column_letters(column)
            ),
            (true, None) => write!(f, "{origin}, row {line}: {message}"),
            (false, Some(column)) => write!(f, "{origin}:{line}:{column}: {message}"),
            (false, None) => write!(f, "{origin}:{line}: {message}"),
        }
    }
}

impl std::error::Error for RowError {}

impl Roster {
    /// Checks a row: its cells, a name (a roster row always has one), its
    /// record number, and then everything any request is checked for, with
    /// the roster's order of day and month. A row may give both weeks and a
    /// due date, as records systems export both: the due date's weeks are
    /// printed, and the request says when the weeks given are more than a
    /// week off them.
    pub fn request<'t>(
        &self,
        row: &RosterRow,
        context: &RequestContext<'t>,
    ) -> Result<Request<'t>, RowError> {
        if let Some(problem) = &row.problem {
            return Err(RowError {
                line: problem.line.unwrap_or(row.line),
                column: problem.column,
                ..self.row_error(row, problem.message.clone())
            });
        }
        let request = &row.request;
        if given(&request.name).is_none() {
            return Err(self.cell_error(
                row,
                RosterField::Name,
                "name is empty; every row needs the patient's name".to_string(),
            ));
        }
        if let Some(id) = given(&row.id) {
            check_id(id, self.id_digits)
                .map_err(|message| self.cell_error(row, RosterField::Id, message))?;
        }
        let context = RequestContext {
            date_order: self.date_order.or(context.date_order),
            due_date_over_weeks: true,
            ..*context
        };
        request.validate(&context).map_err(|error| {
            let field = match &error.part {
                Part::Pick(key) => {
                    return RowError {
                        column: row.cells.pick(key),
                        ..self.row_error(row, error.message)
                    };
                }
                // The row asked for a topic whose file is broken: the file,
                // not a cell, is at fault.
                Part::Content => {
                    return self
                        .row_error(row, format!("its topic cannot be used: {}", error.message));
                }
                Part::Topic => RosterField::Topic,
                Part::Language => RosterField::Language,
                Part::Name => RosterField::Name,
                Part::Weeks => RosterField::Weeks,
                Part::DueDate | Part::Date | Part::Paper => RosterField::DueDate,
                Part::Note => RosterField::Note,
                Part::NoteLanguage => RosterField::NoteLanguage,
                Part::Midwife => RosterField::Midwife,
                Part::LargePrint => RosterField::LargePrint,
            };
            self.cell_error(row, field, error.message)
        })
    }

    /// An error on a row: its own, or one found later, such as a page that
    /// does not fit.
    pub fn row_error(&self, row: &RosterRow, mut message: String) -> RowError {
        if let Some(overflow) = row.overflow {
            message.push_str(&format!(
                "; the row has more cells than the header ({} for {}): a cell with a '{}' in \
                 it must be in double quotes",
                overflow.cells,
                overflow.columns,
                overflow.delimiter.escape_default()
            ));
        }
        RowError {
            origin: self.origin.clone(),
            line: row.line,
            column: None,
            row: row.row,
            message,
            field: None,
            spreadsheet: self.spreadsheet,
        }
    }

    /// An error in one cell of a row: with its column, where known.
    fn cell_error(&self, row: &RosterRow, field: RosterField, message: String) -> RowError {
        RowError {
            column: row.cells.field(field),
            field: Some(field),
            ..self.row_error(row, message)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Library, Practice, RawRequest, RosterOptions};

    /// What the built-in topics and no practice check rows against.
    fn context() -> RequestContext<'static> {
        let library = Box::leak(Box::new(Library::builtin()));
        let practice = Box::leak(Box::new(Practice::default()));
        RequestContext::new(library, practice, jiff::civil::date(2026, 11, 25))
    }

    fn read(origin: &str, text: &str) -> Roster {
        let sections = ["prevention".to_string(), "treatment".to_string()];
        Roster::parse(
            origin,
            text.as_bytes(),
            &RosterOptions::default(),
            &sections,
        )
        .unwrap()
    }

    /// Each row's error, or its handout's byline.
    fn check(origin: &str, text: &str) -> Vec<Result<Vec<String>, String>> {
        let roster = read(origin, text);
        let context = context();
        roster
            .rows
            .iter()
            .map(|row| match roster.request(row, &context) {
                Ok(request) => Ok(request
                    .handout
                    .byline
                    .iter()
                    .filter_map(|field| field.value.clone())
                    .collect()),
                Err(error) => Err(error.to_string()),
            })
            .collect()
    }

    #[test]
    fn bad_rows_say_line_field_and_value() {
        let text = "name,weeks,treatment,due_date\n\
                    Ana,28,hot-bath,\n\
                    ,28,,\n\
                    Bea,50,,\n\
                    Cas,28,,2027-01-01\n\
                    Dee,,,2027-02-30\n\
                    Eve,30,,\n";
        let rows = check("roster.csv", text);
        let errors: Vec<&str> = rows
            .iter()
            .filter_map(|row| row.as_ref().err())
            .map(String::as_str)
            .collect();
        assert_eq!(errors.len(), 4, "{rows:?}");
        assert!(
            errors[0].starts_with(
                "roster.csv, row 2, column C: unknown treatment item 'hot-bath'; did you mean 'warm-bath'?"
            ),
            "{}",
            errors[0]
        );
        assert_eq!(
            errors[1],
            "roster.csv, row 3, column A: name is empty; every row needs the patient's name"
        );
        assert_eq!(
            errors[2],
            "roster.csv, row 4, column B: weeks must be 1 to 42, not '50'"
        );
        // Both given: the due date's weeks are printed.
        assert_eq!(
            rows[3],
            Ok(vec![
                "Prepared for Cas".to_string(),
                "34 weeks".into(),
                "25 November 2026".into()
            ])
        );
        assert_eq!(
            errors[3],
            "roster.csv, row 6, column D: due date 2027-02-30: 30 February is not a date; February 2027 has 28 days"
        );
        assert_eq!(
            rows[5],
            Ok(vec![
                "Prepared for Eve".to_string(),
                "30 weeks".into(),
                "25 November 2026".into()
            ])
        );
    }

    #[test]
    fn with_both_weeks_and_due_date_the_due_date_is_printed_and_a_mismatch_named() {
        // On 2026-11-25, a due date of 2027-02-17 is 28+0.
        let roster = read(
            "r.csv",
            "name,weeks,due date\nAna,28,2027-02-17\nBea,27+0,2027-02-17\n\
             Cas,29+0,2027-02-17\nDee,27,2027-02-17\nEve,26,2027-02-17\nFay,30,2027-02-17\n\
             Gus,50,2027-02-17\nHal,28,2026-11-01\n",
        );
        let context = context();
        let results: Vec<_> = roster
            .rows
            .iter()
            .map(|row| roster.request(row, &context))
            .collect();
        let mismatches: Vec<Option<String>> = results[..6]
            .iter()
            .map(|result| {
                let request = result.as_ref().expect("the row is good");
                assert_eq!(request.handout.byline[1].value.as_deref(), Some("28 weeks"));
                assert_eq!(
                    request.handout.pregnancy,
                    Some(crate::Pregnancy::DueDate(jiff::civil::date(2027, 2, 17)))
                );
                request.mismatch.map(|mismatch| mismatch.to_string())
            })
            .collect();
        // A week off at most is no mismatch (27+0 and 29+0 are seven days off);
        // 27 is any of 27+0 to 27+6, a day off.
        assert_eq!(mismatches[..4], [None, None, None, None]);
        // 26 is at most 26+6, eight days off.
        assert_eq!(
            mismatches[4].as_deref(),
            Some(
                "the weeks given (26) are more than a week off the 28+0 its due date gives on \
                 2026-11-25: printed 28 weeks, from the due date; check the patient's record"
            )
        );
        assert!(
            mismatches[5]
                .as_deref()
                .unwrap()
                .starts_with("the weeks given (30) ")
        );
        // Weeks are still checked, and the due date is what is printed.
        assert!(
            results[6]
                .as_ref()
                .unwrap_err()
                .to_string()
                .starts_with("r.csv, row 8, column B: weeks must be"),
            "{:?}",
            results[6]
        );
        assert!(
            results[7].as_ref().unwrap_err().to_string().starts_with(
                "r.csv, row 9, column C: due date 2026-11-01 has already passed on 2026-11-25"
            ),
            "{:?}",
            results[7]
        );
        // A request typed by a person, not a roster's, must give one.
        let raw = RawRequest {
            weeks: Some("28".into()),
            due_date: Some("2027-02-17".into()),
            ..RawRequest::default()
        };
        let error = raw.validate(&context).unwrap_err();
        assert_eq!(error.message, "both weeks and due date are given; keep one");
    }

    #[test]
    fn a_rows_picks_are_printed_and_a_cells_problem_is_its_error() {
        let roster = read(
            "r.csv",
            "name,weeks,prevention,treatment\nAna,28,\"calf-stretches, walking\",none\n\
             Bea,30,,\"warm-bath;moist-heat\"\nCas,\u{0}31,,\n",
        );
        let context = context();
        let ana = roster.request(&roster.rows[0], &context).unwrap();
        assert_eq!(
            ana.handout.printed_ids("prevention"),
            ["walking", "calf-stretches"]
        );
        assert_eq!(ana.handout.printed_ids("treatment"), Vec::<&str>::new());
        let bea = roster.request(&roster.rows[1], &context).unwrap();
        assert_eq!(
            bea.handout.printed_ids("treatment"),
            ["moist-heat", "warm-bath"]
        );
        let error = roster.request(&roster.rows[2], &context).unwrap_err();
        assert_eq!(
            error.to_string(),
            "r.csv, row 4, column B: this cell has a NUL byte, which is not text; retype the cell"
        );
    }

    #[test]
    fn a_cell_past_the_header_fails_its_row_at_that_cell() {
        let rows = check(
            "r.csv",
            "\u{feff}name;weeks;treatment\r\nAna;28;warm-bath;moist-heat\r\n",
        );
        assert_eq!(
            rows,
            [Err(
                "r.csv, row 2, column D: the row has a cell past the header's last column (3); \
                  a cell with a ';' in it must be in double quotes"
                    .to_string()
            )]
        );
    }

    #[test]
    fn a_row_padded_past_the_header_that_fails_says_why_it_may() {
        let rows = check("r.csv", "name,weeks\nAna,50,,\n");
        assert_eq!(
            rows,
            [Err(
                "r.csv, row 2, column B: weeks must be 1 to 42, not '50'; the row has more cells than the header (4 for 2): a cell \
                  with a ',' in it must be in double quotes"
                    .to_string()
            )]
        );
    }

    #[test]
    fn echoed_values_are_cut_and_the_manifest_gets_only_checked_ones() {
        let long = "7".repeat(3000);
        let roster = read(
            "r.csv",
            &format!("name,id,weeks\nAna,{long},{long}\n=cmd,=5,28\n"),
        );
        let error = roster
            .request(&roster.rows[0], &context())
            .unwrap_err()
            .to_string();
        assert!(error.len() < 200, "{}", error.len());
        assert!(
            error.contains(&format!("id '{}…'", "7".repeat(40))),
            "{error}"
        );
        assert_eq!(roster.rows[0].checked_id(), None);
        assert_eq!(roster.rows[0].checked_name().as_deref(), Some("Ana"));
        assert_eq!(roster.rows[1].checked_id(), Some("=5"));
    }

    #[test]
    fn unknown_topic_or_language_lists_what_exists() {
        let rows = check(
            "r.csv",
            "name,topic,language\nAna,back-pain,\nBea,,fr\nCas,leg-cramps,EN\n",
        );
        assert_eq!(
            rows[0],
            Err(
                "r.csv, row 2, column B: there is no topic 'back-pain' (topics: leg-cramps)"
                    .to_string()
            )
        );
        assert_eq!(
            rows[1],
            Err(
                "r.csv, row 3, column C: topic 'leg-cramps' is not in language 'fr' (it is in: en, es)"
                    .to_string()
            )
        );
        assert!(rows[2].is_ok(), "{:?}", rows[2]);
    }

    #[test]
    fn a_toml_row_is_checked_as_a_csv_row_is() {
        let text = "[[patient]]\nname = \"Ana\"\nid = 17\nweeks = 28\nprevention = [\"walking\"]\n\
                    \n[[patient]]\nname = \"Bea\"\ndue_date = 2027-02-17\ntreatment = \"hot-bath\"\n";
        let rows = check("r.toml", text);
        assert_eq!(
            rows[0],
            Ok(vec![
                "Prepared for Ana".to_string(),
                "28 weeks".into(),
                "25 November 2026".into()
            ])
        );
        let error = rows[1].as_ref().unwrap_err();
        assert!(
            error.starts_with(
                "r.toml:7: unknown treatment item 'hot-bath'; did you mean 'warm-bath'?"
            ),
            "{error}"
        );
    }

    #[test]
    fn a_mangled_record_number_fails_its_row_at_its_cell() {
        let rows = check(
            "r.csv",
            "name,id\nAna,0017\nBea,0018\nCas,21\nDee,1.23457E+11\n",
        );
        assert!(rows[0].is_ok() && rows[1].is_ok(), "{rows:?}");
        let cas = rows[2].as_ref().unwrap_err();
        assert!(
            cas.starts_with("r.csv, row 4, column B: id '21' has 2 digits where the others have 4"),
            "{cas}"
        );
        let dee = rows[3].as_ref().unwrap_err();
        assert!(
            dee.starts_with(
                "r.csv, row 5, column B: id '1.23457E+11' is a number the spreadsheet shortened"
            ),
            "{dee}"
        );
    }
}

//! A CSV roster's rows: its header mapped to fields, and each record's
//! cells into the request it makes.

use super::columns::{Meaning, map_header};
use super::records::{Cell, Reader, detect_delimiter};
use super::{
    Cells, ColumnError, Overflow, RosterError, RosterField, RosterOptions, RosterRow, RowProblem,
    column_letters,
};
use crate::error::Location;
use crate::picks::{Choice, Pick};
use crate::text::excerpt;

/// Reads a CSV roster's text (UTF-8, but for cells that are not) into
/// rows; a note goes to `notes` for the columns ignored.
pub(super) fn parse(
    origin: &str,
    text: &[u8],
    options: &RosterOptions,
    sections: &[String],
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

    let mapping = map_header(&names, sections, &options.columns, options.strict_columns);
    let knows_one = mapping
        .meanings
        .iter()
        .any(|meaning| matches!(meaning, Meaning::Field(_) | Meaning::Pick(_)));
    if !knows_one {
        // Most likely the first patient: never quote it back.
        return Err(RosterError::NoHeader {
            at: at(1),
            cells: names.len(),
            suggestion: mapping
                .problems
                .iter()
                .find_map(|problem| problem.suggestion.clone()),
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
        /// The most ignored columns a note names; a records system's
        /// export may have hundreds.
        const NAMED: usize = 8;
        let count = mapping.ignored.len();
        let mut ignored: Vec<String> = mapping
            .ignored
            .iter()
            .take(NAMED)
            .map(|(index, name)| {
                format!("'{}' (column {})", excerpt(name), column_letters(index + 1))
            })
            .collect();
        if count > NAMED {
            ignored.push(format!("and {} more", count - NAMED));
        }
        notes.push(format!(
            "ignored {count} column{} handout does not use: {}",
            if count == 1 { "" } else { "s" },
            ignored.join(", ")
        ));
    }

    // Every row's fields are in the same columns.
    let mut fields = [None; RosterField::ALL.len()];
    for (index, meaning) in mapping.meanings.iter().enumerate() {
        if let Meaning::Field(field) = meaning {
            let field = match field {
                RosterField::FirstName | RosterField::LastName => RosterField::Name,
                field => *field,
            };
            fields[field as usize].get_or_insert(column_number(index));
        }
    }
    records.set_columns(names.len());
    let mut rows: Vec<RosterRow> = Vec::new();
    // Whether the last record read was a row, not a blank line.
    let mut after_row = false;
    for record in records {
        let mut row = RosterRow {
            line: record.row,
            cells: Cells {
                fields,
                picks: Vec::new(),
            },
            ..RosterRow::default()
        };
        let mut problem = record.problem.map(|problem| RowProblem {
            line: None,
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
                Some(Meaning::Field(RosterField::FirstName)) => first = Some(value),
                Some(Meaning::Field(RosterField::LastName)) => last = Some(value),
                Some(Meaning::Field(field)) => *row.field_mut(*field) = Some(value),
                // An empty cell asks for nothing.
                Some(Meaning::Pick(_)) if value.trim().is_empty() => {}
                Some(Meaning::Pick(section)) => {
                    let key = &sections[*section];
                    row.cells.picks.push((key.clone(), column_number(index)));
                    row.request
                        .picks
                        .push(Pick::new(key, Choice::parse(&value)));
                }
                Some(Meaning::Ignored) => {}
                None if value.trim().is_empty() => {}
                None => {
                    problem.get_or_insert(RowProblem {
                        line: None,
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
            after_row = false;
            continue; // Blank rows, and rows of only delimiters.
        }
        if record.cells.len() < names.len() {
            // Never a patient: most likely the rest of a cell above that
            // holds an unquoted line break, which the row above lost, or a
            // row written with another delimiter than the header.
            problem.get_or_insert(short_row(text, &record.cells, names.len(), delimiter));
            if after_row && let Some(above) = rows.last_mut() {
                above.problem.get_or_insert(RowProblem {
                    line: None,
                    column: None,
                    message: format!(
                        "the next row ({}) has only {} of the header's {} cells; if it is the \
                         rest of a cell of this row, with a line break in it, put that cell in \
                         double quotes",
                        record.row,
                        record.cells.len(),
                        names.len()
                    ),
                });
            }
        }
        after_row = true;
        let used = record
            .cells
            .iter()
            .rposition(|cell| !cell.bytes.trim_ascii().is_empty())
            .map_or(0, |last| last + 1);
        if record.cells.len() > header.cells.len().max(names.len()) && used <= names.len() {
            row.overflow = Some(Overflow {
                cells: record.cells.len(),
                columns: names.len(),
                delimiter: char::from(delimiter),
            });
        }
        if first.is_some() || last.is_some() {
            let parts: Vec<String> = [first, last]
                .into_iter()
                .flatten()
                .map(|part| part.trim().to_string())
                .filter(|part| !part.is_empty())
                .collect();
            row.request.name = Some(parts.join(" "));
        }
        row.problem = problem;
        rows.push(row);
    }
    Ok(rows)
}

/// Why a row with fewer cells than the header is not read.
fn short_row(text: &[u8], cells: &[Cell], columns: usize, delimiter: u8) -> RowProblem {
    let count = |n: usize| match n {
        1 => "1 cell".to_string(),
        n => format!("{n} cells"),
    };
    let source = |cell: &Cell| &text[cell.at.offset..cell.end];
    // A row written with another delimiter reads as one or two cells that
    // hold the rest of its delimiters.
    let other = [b',', b';', b'\t'].into_iter().find(|&other| {
        other != delimiter
            && cells
                .iter()
                .map(|cell| source(cell).iter().filter(|&&b| b == other).count())
                .sum::<usize>()
                + cells.len()
                >= columns
    });
    let message = match other {
        Some(other) => format!(
            "the row has {} for the header's {columns} columns: its cells are separated by \
             '{}' and the header's by '{}'; save the roster again with one separator throughout",
            count(cells.len()),
            char::from(other).escape_default(),
            char::from(delimiter).escape_default(),
        ),
        None => format!(
            "the row has {} for the header's {columns} columns, so it is not read as a \
             patient; every row needs a cell for each column, empty ones too, and a cell with a \
             line break in it must be in double quotes",
            count(cells.len()),
        ),
    };
    RowProblem {
        line: None,
        column: None,
        message,
    }
}

/// A cell's spreadsheet column, from 1, by its index.
fn column_number(index: usize) -> u16 {
    u16::try_from(index + 1).unwrap_or(u16::MAX)
}

/// A cell's text, or why it cannot be read.
fn cell_text(text: &[u8], cell: &Cell, column: usize) -> Result<String, RowProblem> {
    let source = &text[cell.at.offset..cell.end];
    let bad = |message: &str| RowProblem {
        line: None,
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

impl RosterRow {
    /// Where a field's value goes. The parts of a split name are joined
    /// into the name when the row is complete.
    fn field_mut(&mut self, field: RosterField) -> &mut Option<String> {
        let request = &mut self.request;
        match field {
            RosterField::Name | RosterField::FirstName | RosterField::LastName => &mut request.name,
            RosterField::Id => &mut self.id,
            RosterField::Weeks => &mut request.weeks,
            RosterField::DueDate => &mut request.due_date,
            RosterField::Note => &mut request.note,
            RosterField::NoteLanguage => &mut request.note_language,
            RosterField::Midwife => &mut request.midwife,
            RosterField::Topic => &mut request.topic,
            RosterField::Language => &mut request.language,
            RosterField::LargePrint => &mut request.large_print,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::read;
    use super::*;

    #[test]
    fn quoted_cells_keep_their_commas_and_line_breaks() {
        let text = "Name,ID,weeks,prevention,note\n\
                    \"López, Ana\",17,28,\"walking,fluids\",\"Two\nlines\"\n\
                    Bea Smith,18,,,\n";
        let roster = read("r.csv", text.as_bytes()).unwrap();
        assert_eq!(roster.rows.len(), 2);
        let ana = &roster.rows[0];
        assert_eq!((ana.row, ana.line), (1, 2));
        assert_eq!(ana.id.as_deref(), Some("17"));
        assert_eq!(ana.request.name.as_deref(), Some("López, Ana"));
        assert_eq!(ana.request.weeks.as_deref(), Some("28"));
        assert_eq!(
            ana.request.picks,
            [Pick::new(
                "prevention",
                Choice::Items(vec!["walking".into(), "fluids".into()])
            )]
        );
        assert_eq!(ana.cells.pick("Prevention"), Some(4));
        assert_eq!(ana.cells.field(RosterField::Note), Some(5));
        assert_eq!(ana.request.note.as_deref(), Some("Two\nlines"));
        // The quoted line break moves the next row down a line, but it is
        // still the spreadsheet's next row; its empty cells ask for nothing.
        let bea = &roster.rows[1];
        assert_eq!(bea.line, 3);
        assert_eq!(bea.request.picks, []);
        assert_eq!(bea.request.weeks.as_deref(), Some(""));
    }

    #[test]
    fn a_split_name_is_joined_and_none_is_a_choice_of_its_own() {
        let text = "Forename;Surname;treatment\r\nAna; López ;none\r\n";
        let roster = read("r.csv", text.as_bytes()).unwrap();
        let ana = &roster.rows[0];
        assert_eq!(ana.request.name.as_deref(), Some("Ana López"));
        assert_eq!(ana.cells.field(RosterField::Name), Some(1));
        assert_eq!(ana.request.picks, [Pick::new("treatment", Choice::Nothing)]);
    }

    #[test]
    fn a_cell_past_the_header_is_the_rows_problem() {
        let text = "\u{feff}name;weeks;treatment\r\nAna;28;warm-bath;moist-heat\r\n";
        let roster = read("r.csv", text.as_bytes()).unwrap();
        assert_eq!(
            roster.rows[0].problem,
            Some(RowProblem {
                line: None,
                column: Some(4),
                message: "the row has a cell past the header's last column (3); a cell with a \
                          ';' in it must be in double quotes"
                    .into()
            })
        );
        // Empty cells past it, as Excel pads rows, are only remembered.
        let roster = read("r.csv", b"name,weeks\nAna,28,,\n").unwrap();
        assert_eq!(roster.rows[0].problem, None);
        assert_eq!(
            roster.rows[0].overflow,
            Some(Overflow {
                cells: 4,
                columns: 2,
                delimiter: ','
            })
        );
    }

    #[test]
    fn a_bad_cell_is_its_rows_problem_only() {
        // UTF-8 (Zoë) with one byte from another encoding.
        let roster = read(
            "r.csv",
            b"name,weeks\nZo\xc3\xab,28\nJos\xe9,30\nBea,\x0031\nCas,32\n",
        )
        .unwrap();
        let problems: Vec<Option<(Option<usize>, &str)>> = roster
            .rows
            .iter()
            .map(|row| {
                row.problem
                    .as_ref()
                    .map(|problem| (problem.column, &problem.message[..20]))
            })
            .collect();
        assert_eq!(
            problems,
            [
                None,
                Some((Some(1), "this cell is not UTF")),
                Some((Some(2), "this cell has a NUL ")),
                None
            ]
        );
        assert_eq!(roster.rows[0].checked_name().as_deref(), Some("Zoë"));
        assert_eq!(roster.rows[1].checked_name(), None);
    }

    #[test]
    fn a_quote_never_swallows_the_rows_below() {
        let roster = read(
            "r.csv",
            b"name,weeks,note\nAna,28,\"unterminated note\nBea,30,ok\nCas,31,fine\n",
        )
        .unwrap();
        let rows: Vec<(usize, Option<&str>)> = roster
            .rows
            .iter()
            .map(|row| (row.line, row.request.name.as_deref()))
            .collect();
        assert_eq!(rows, [(2, Some("Ana")), (3, Some("Bea")), (4, Some("Cas"))]);
        let problem = roster.rows[0].problem.as_ref().unwrap();
        assert_eq!(problem.column, Some(3));
        assert!(
            problem.message.starts_with("this cell opens a quote"),
            "{problem:?}"
        );
    }

    #[test]
    fn old_mac_and_mixed_line_ends_number_rows_right() {
        let roster = read("r.csv", b"name,weeks\rAna,28\rBea,30\r\nCas,31\nDee,32").unwrap();
        let lines: Vec<usize> = roster.rows.iter().map(|row| row.line).collect();
        assert_eq!(lines, [2, 3, 4, 5]);
        assert_eq!(roster.rows[3].request.name.as_deref(), Some("Dee"));
    }

    #[test]
    fn a_roster_without_a_header_is_named_as_such_without_quoting_it() {
        let error = read("r.csv", b"Ana L\xc3\xb3pez,28,walking\nBea,30,\n")
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with(
                "r.csv, row 1, column A: the first row looks like data, not column names"
            ),
            "{error}"
        );
        assert!(!error.contains("Ana"), "{error}");
        // A header one letter off a column is named as what it may mean.
        let error = read("r.csv", b"nmae,wekks\nAna,28\n").unwrap_err();
        assert!(
            matches!(&error, RosterError::NoHeader { suggestion: Some(column), .. } if column == "name"),
            "{error:?}"
        );
    }

    #[test]
    fn a_long_header_is_quoted_back_cut_short() {
        let long = "7".repeat(3000);
        let roster = read("r.csv", format!("name,{long}\nAna,1\n").as_bytes()).unwrap();
        // A column nobody knows is ignored, and named in a note.
        assert_eq!(roster.notes.len(), 1);
        assert!(roster.notes[0].len() < 200, "{}", roster.notes[0]);
        assert!(roster.notes[0].contains(&format!("'{}…' (column B)", "7".repeat(40))));
    }

    #[test]
    fn a_short_row_fails_and_so_does_the_row_it_may_have_cut_short() {
        let text = "name,weeks,note\nAna,28,Rest\nmore\n\nshort\nBea,30,\n";
        let roster = read("r.csv", text.as_bytes()).unwrap();
        let problems: Vec<(usize, bool)> = roster
            .rows
            .iter()
            .map(|row| (row.line, row.problem.is_some()))
            .collect();
        // Row 4 is blank, so row 5 cuts nothing short above it.
        assert_eq!(problems, [(2, true), (3, true), (5, true), (6, false)]);
        let above = roster.rows[0].problem.as_ref().unwrap();
        assert!(above.message.starts_with("the next row (3) has only 1"));
    }
}

//! A TOML roster: one `[[patient]]` table a row, its keys the fields'
//! names and the keys of the sections to pick from.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::{RosterError, RosterRow, RowProblem};
use crate::error::{ContentError, Location};
use crate::picks::{Choice, Pick};
use crate::suggest::{did_you_mean, nearest};
use crate::text::excerpt;

/// Reads a TOML roster's rows; `sections` are the keys a table may pick
/// from. Only a file that is not TOML, or whose tables are not
/// `[[patient]]` ones, is refused whole: a table with a value of the wrong
/// kind or a key it cannot have is that row's error, as a bad cell is a
/// CSV row's, and the other rows are read.
pub(super) fn parse(
    origin: &str,
    text: &str,
    sections: &[String],
) -> Result<Vec<RosterRow>, RosterError> {
    let raw: RawRoster =
        toml::from_str(text).map_err(|error| ContentError::from_toml(origin, text, &error))?;
    let at = |offset: usize| Location::of_offset(origin, text, offset);
    let mut rows = Vec::with_capacity(raw.patient.len());
    for table in raw.patient {
        // A sub-table (`[patient.x]`) moves the table's span to its own
        // header: the row is where the `[[patient]]` above its first key is.
        let first_key = table.get_ref().keys().map(|key| key.span().start).min();
        let start = match first_key {
            Some(key) if key < table.span().start => text[..key].rfind("[[").unwrap_or(key),
            _ => table.span().start,
        };
        let mut row = RosterRow {
            line: at(start).line,
            ..RosterRow::default()
        };
        for (key, value) in table.into_inner() {
            if let Err(message) = take(&mut row, key.get_ref(), value.get_ref(), sections) {
                let at = at(key.span().start);
                row.problem.get_or_insert(RowProblem {
                    line: Some(at.line),
                    column: Some(at.column),
                    message,
                });
            }
        }
        // A roster row always has a name; an empty one is its error.
        row.request.name.get_or_insert_with(String::new);
        rows.push(row);
    }
    Ok(rows)
}

/// The fields a `[[patient]]` table has, besides the sections' keys.
const FIELDS: [&str; 13] = [
    "name",
    "id",
    "weeks",
    "due_date",
    "due-date",
    "note",
    "note_language",
    "note-language",
    "midwife",
    "topic",
    "language",
    "large_print",
    "large-print",
];

/// Puts one key's value into its row, or says why it cannot be.
fn take(
    row: &mut RosterRow,
    key: &str,
    value: &toml::Value,
    sections: &[String],
) -> Result<(), String> {
    let wrong = |wants: &str| format!("`{key}` must be {wants}, not {}", kind(value));
    let text = || {
        value
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| wrong("a text in quotes"))
    };
    let scalar = || match value {
        toml::Value::String(text) => Ok(text.clone()),
        toml::Value::Integer(number) => Ok(number.to_string()),
        toml::Value::Float(number) => Ok(number.to_string()),
        toml::Value::Datetime(date) => Ok(date.to_string()),
        _ => Err(wrong("a number or a text, like 28 or \"28\"")),
    };
    let request = &mut row.request;
    match key {
        "name" => request.name = Some(text()?),
        "note" => request.note = Some(text()?),
        "note_language" | "note-language" => request.note_language = Some(text()?),
        "midwife" => request.midwife = Some(text()?),
        "topic" => request.topic = Some(text()?),
        "language" => request.language = Some(text()?),
        "id" => row.id = Some(scalar()?),
        "weeks" => request.weeks = Some(scalar()?),
        "due_date" | "due-date" => request.due_date = Some(scalar()?),
        "large_print" | "large-print" => {
            request.large_print = Some(match value {
                toml::Value::Boolean(yes) => yes.to_string(),
                _ => scalar()?,
            });
        }
        key if sections.iter().any(|section| section == key) => {
            let choice = match value {
                toml::Value::String(list) => Choice::parse(list),
                toml::Value::Array(ids) if ids.iter().all(toml::Value::is_str) => {
                    Choice::from_ids(ids.iter().filter_map(toml::Value::as_str))
                }
                _ => {
                    return Err(format!(
                        "`{key}` must be item ids as a text or an array of texts, like \
                         [\"walking\", \"fluids\"]"
                    ));
                }
            };
            // An empty list asks for nothing, as an empty cell does.
            if choice != Choice::Defaults {
                request.picks.push(Pick::new(key, choice));
            }
        }
        key => {
            let known: Vec<&str> = FIELDS
                .iter()
                .copied()
                .chain(sections.iter().map(String::as_str))
                .collect();
            let hint = match nearest(key, &known) {
                Some(near) => did_you_mean(Some(near)),
                None => format!(
                    "; a patient's fields are {}, and the sections to pick from are {}",
                    FIELDS.join(", "),
                    sections.join(", ")
                ),
            };
            return Err(format!("unknown field `{}`{hint}", excerpt(key)));
        }
    }
    Ok(())
}

/// What a TOML value is, in the words of an error.
fn kind(value: &toml::Value) -> String {
    match value {
        toml::Value::String(_) => "a text".to_string(),
        toml::Value::Integer(number) => format!("the number {number}"),
        toml::Value::Float(number) => format!("the number {number}"),
        toml::Value::Boolean(value) => value.to_string(),
        toml::Value::Datetime(date) => format!("the date {date}"),
        toml::Value::Array(_) => "an array".to_string(),
        toml::Value::Table(_) => "a table".to_string(),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRoster {
    /// Each `[[patient]]` table, its keys and values where they are written.
    #[serde(default)]
    patient: Vec<Spanned<BTreeMap<Spanned<String>, Spanned<toml::Value>>>>,
}

#[cfg(test)]
mod tests {
    use super::super::tests::read;
    use super::*;

    #[test]
    fn a_table_has_the_columns_keys() {
        let text = r#"
[[patient]]
name = "Ana López"
id = 17
weeks = 28
prevention = ["walking", "Fluids"]
treatment = "none"

[[patient]]
name = "Bea"
due_date = 2027-02-17
treatment = []
"#;
        let roster = read("r.toml", text.as_bytes()).unwrap();
        assert_eq!(roster.rows.len(), 2);
        assert_eq!((roster.rows[0].line, roster.rows[1].line), (2, 9));
        let ana = &roster.rows[0];
        assert_eq!(ana.id.as_deref(), Some("17"));
        assert_eq!(ana.request.weeks.as_deref(), Some("28"));
        assert_eq!(
            ana.request.picks,
            [
                Pick::new(
                    "prevention",
                    Choice::Items(vec!["walking".into(), "fluids".into()])
                ),
                Pick::new("treatment", Choice::Nothing)
            ]
        );
        let bea = &roster.rows[1];
        assert_eq!(bea.request.due_date.as_deref(), Some("2027-02-17"));
        assert_eq!(bea.request.picks, []);

        assert_eq!(
            problem("[[patient]]\nname = \"A\"\nweek = 3\n"),
            "3:1: unknown field `week`; did you mean 'weeks'?"
        );
    }

    /// The first row's problem, where it is and what it says.
    fn problem(text: &str) -> String {
        let roster = read("r.toml", text.as_bytes()).unwrap();
        let problem = roster.rows[0].problem.clone().unwrap();
        format!(
            "{}:{}: {}",
            problem.line.unwrap(),
            problem.column.unwrap(),
            problem.message
        )
    }

    #[test]
    fn type_errors_say_what_the_field_wants_and_fail_only_their_row() {
        assert_eq!(
            problem("[[patient]]\nname = \"A\"\nweeks = [1, 2]\n"),
            "3:1: `weeks` must be a number or a text, like 28 or \"28\", not an array"
        );
        assert_eq!(
            problem("[[patient]]\nname = \"A\"\nprevention = [1]\n"),
            "3:1: `prevention` must be item ids as a text or an array of texts, like \
             [\"walking\", \"fluids\"]"
        );
        assert_eq!(
            problem("[[patient]]\nname = 5\n"),
            "2:1: `name` must be a text in quotes, not the number 5"
        );
        let roster = read(
            "r.toml",
            b"[[patient]]\nname = \"A\"\nweeks = true\n\n[[patient]]\nname = \"B\"\nweeks = 30\n\n[[patient]]\nname = \"C\"\nnote = 1\n",
        )
        .unwrap();
        let problems: Vec<Option<usize>> = roster
            .rows
            .iter()
            .map(|row| row.problem.as_ref().and_then(|problem| problem.line))
            .collect();
        assert_eq!(problems, [Some(3), None, Some(11)]);
    }

    #[test]
    fn a_key_in_a_sub_table_header_is_placed_and_its_row_is_its_table() {
        let text =
            "[[patient]]\nname = \"A\"\n\n[[patient]]\nname = \"B\"\n[patient.extra.deep]\nz = 1\n";
        let roster = read("r.toml", text.as_bytes()).unwrap();
        assert_eq!(roster.rows[1].line, 4);
        let problem = roster.rows[1].problem.as_ref().unwrap();
        assert_eq!((problem.line, problem.column), (Some(6), Some(10)));
        assert!(problem.message.starts_with("unknown field `extra`"));
        assert_eq!(roster.rows[0].problem, None);
    }
}

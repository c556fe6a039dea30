//! What a roster's columns mean, under the names spreadsheets and records
//! systems give them.
//!
//! A header is compared with case, spaces, `_`, `-` and `.` taken out, so
//! `Due Date`, `due_date` and `DUE-DATE` are one column. Each field has the
//! names records systems use for it (`EDD` for the due date, `NHS Number`
//! for the record number); a practice whose export names a column otherwise
//! maps it once in its practice file. A header that is one or two letters
//! off a known name is an error, so a typo cannot quietly drop everyone's
//! choices; any other column is the records system's own and is ignored.

use crate::suggest::{did_you_mean, typo_of};
use crate::text::excerpt;

/// What a roster column holds: a field of a patient's details.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RosterField {
    /// The patient's whole name.
    Name,
    /// The given name, when the name is split.
    FirstName,
    /// The family name, when the name is split.
    LastName,
    /// The record number.
    Id,
    /// Weeks of pregnancy.
    Weeks,
    /// The due date.
    DueDate,
    /// The midwife's note.
    Note,
    /// The midwife's name.
    Midwife,
    /// The topic.
    Topic,
    /// The language.
    Language,
}

impl RosterField {
    /// Every field, in the order the documentation lists them.
    pub const ALL: [RosterField; 10] = [
        RosterField::Name,
        RosterField::FirstName,
        RosterField::LastName,
        RosterField::Id,
        RosterField::Weeks,
        RosterField::DueDate,
        RosterField::Note,
        RosterField::Midwife,
        RosterField::Topic,
        RosterField::Language,
    ];

    /// The field's own name, as written in a practice file's
    /// `[roster.columns]` and in messages.
    pub fn key(self) -> &'static str {
        match self {
            RosterField::Name => "name",
            RosterField::FirstName => "first-name",
            RosterField::LastName => "last-name",
            RosterField::Id => "id",
            RosterField::Weeks => "weeks",
            RosterField::DueDate => "due-date",
            RosterField::Note => "note",
            RosterField::Midwife => "midwife",
            RosterField::Topic => "topic",
            RosterField::Language => "language",
        }
    }

    /// The field named `key` in a practice file, in any case and with `-`
    /// or `_`.
    pub fn from_key(key: &str) -> Option<RosterField> {
        let key = normalise(key);
        RosterField::ALL
            .into_iter()
            .find(|field| normalise(field.key()) == key)
    }

    /// The header names that mean this field, normalised.
    fn names(self) -> &'static [&'static str] {
        match self {
            RosterField::Name => &["name", "patientname", "fullname", "client", "clientname"],
            RosterField::FirstName => &["firstname", "forename", "forenames", "givenname"],
            RosterField::LastName => &["lastname", "surname", "familyname"],
            RosterField::Id => &[
                "id",
                "patientid",
                "clientid",
                "recordnumber",
                "mrn",
                "nhsnumber",
                "nhsno",
                "hospitalnumber",
                "hospitalno",
            ],
            RosterField::Weeks => &["weeks", "week", "gestation", "ga"],
            RosterField::DueDate => &["duedate", "edd", "edc"],
            RosterField::Note => &["note", "notes"],
            RosterField::Midwife => &["midwife"],
            RosterField::Topic => &["topic"],
            RosterField::Language => &["language"],
        }
    }
}

/// A header as compared: lower case, without spaces, `_`, `-` or `.`.
pub(crate) fn normalise(header: &str) -> String {
    header
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '.') && !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether a section key would take a column name the roster reader
/// knows for a patient's details (`name`, `EDD`, `NHS Number`, ...).
pub(crate) fn is_reserved(key: &str) -> bool {
    let key = normalise(key);
    RosterField::ALL
        .into_iter()
        .any(|column| normalise(column.key()) == key || column.names().contains(&key.as_str()))
}

/// What one header cell was taken for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Meaning {
    /// This field.
    Field(RosterField),
    /// The picks of the `choose` section with this index among the keys.
    Pick(usize),
    /// Nothing: a column of the records system's own, or one with no name.
    Ignored,
}

/// A problem with one header cell, by its index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ColumnProblem {
    /// The cell's index in the header.
    pub index: usize,
    /// What is wrong and what to do.
    pub message: String,
    /// The known column the cell may be a typo of.
    pub suggestion: Option<String>,
}

/// What a header means: one meaning per cell, the names of the ignored
/// columns, and every problem found, all at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mapping {
    pub meanings: Vec<Meaning>,
    /// Ignored columns that have a name: (index, name).
    pub ignored: Vec<(usize, String)>,
    pub problems: Vec<ColumnProblem>,
}

/// Maps a header. `sections` are the keys of the `choose` sections of the
/// topics there are; `overrides` are a practice's own names for fields (the
/// header it exports for each); `strict` makes every column that is not
/// known an error.
pub(crate) fn map_header(
    names: &[String],
    sections: &[String],
    overrides: &[(RosterField, String)],
    strict: bool,
) -> Mapping {
    let mut meanings = Vec::with_capacity(names.len());
    let mut ignored = Vec::new();
    let mut problems = Vec::new();
    let overridden = |field: RosterField| overrides.iter().any(|(f, _)| *f == field);
    for (index, name) in names.iter().enumerate() {
        let key = normalise(name);
        let by_practice = overrides
            .iter()
            .find(|(_, header)| normalise(header) == key)
            .map(|(field, _)| *field);
        let known = RosterField::ALL
            .into_iter()
            .find(|field| field.names().contains(&key.as_str()));
        let pick = sections
            .iter()
            .position(|section| normalise(section) == key);
        let meaning = match (by_practice, known) {
            (Some(field), _) => Meaning::Field(field),
            (None, None) if pick.is_some() => Meaning::Pick(pick.unwrap_or(0)),
            // The practice names another column for this field.
            (None, Some(field)) if overridden(field) => Meaning::Ignored,
            (None, Some(field)) => Meaning::Field(field),
            (None, None) if key.is_empty() => Meaning::Ignored,
            (None, None) => {
                if let Some(near) = typo(&key, sections) {
                    problems.push(ColumnProblem {
                        index,
                        message: format!(
                            "unknown column '{}'{} (a column one or two letters off a known \
                             one is taken for a typo, so that it cannot quietly drop everyone's \
                             choices)",
                            excerpt(name),
                            did_you_mean(Some(near)),
                        ),
                        suggestion: Some(near.to_string()),
                    });
                } else if strict {
                    problems.push(ColumnProblem {
                        index,
                        message: format!(
                            "unknown column '{}' (--strict-columns refuses every column \
                             handout does not use)",
                            excerpt(name)
                        ),
                        suggestion: None,
                    });
                }
                Meaning::Ignored
            }
        };
        if meaning == Meaning::Ignored && !key.is_empty() {
            ignored.push((index, name.clone()));
        }
        meanings.push(meaning);
    }

    // One column a field.
    for (index, meaning) in meanings.iter().enumerate() {
        let field = match meaning {
            Meaning::Field(field) => field.key(),
            Meaning::Pick(pick) => sections[*pick].as_str(),
            Meaning::Ignored => continue,
        };
        if let Some(first) = meanings[..index].iter().position(|m| m == meaning) {
            problems.push(ColumnProblem {
                index,
                message: format!(
                    "column '{}' is the {} again, as column {} '{}' is; keep one, or say which \
                     in the practice file: [roster.columns] {} = \"{}\"",
                    excerpt(&names[index]),
                    field,
                    first + 1,
                    excerpt(&names[first]),
                    field,
                    excerpt(&names[index]),
                ),
                suggestion: None,
            });
        }
    }
    // A practice's names that the header lacks.
    for (field, header) in overrides {
        if !names
            .iter()
            .any(|name| normalise(name) == normalise(header))
        {
            problems.push(ColumnProblem {
                index: 0,
                message: format!(
                    "the practice file maps {} to the column '{}', but the header has no such \
                     column",
                    field.key(),
                    excerpt(header)
                ),
                suggestion: None,
            });
        }
    }
    let has = |field| meanings.contains(&Meaning::Field(field));
    if !has(RosterField::Name) && !has(RosterField::FirstName) && !has(RosterField::LastName) {
        problems.push(ColumnProblem {
            index: 0,
            message: format!(
                "the header has no column for the patient's name (such as `name`, `Patient \
                 Name`, or `First Name` and `Last Name`); it has: {}",
                names
                    .iter()
                    .filter(|name| !name.trim().is_empty())
                    .map(|name| excerpt(name))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            suggestion: None,
        });
    }
    // A whole name wins over its parts.
    if has(RosterField::Name) {
        for (index, meaning) in meanings.iter_mut().enumerate() {
            if matches!(
                meaning,
                Meaning::Field(RosterField::FirstName | RosterField::LastName)
            ) {
                *meaning = Meaning::Ignored;
                ignored.push((index, names[index].clone()));
            }
        }
        ignored.sort();
    }
    Mapping {
        meanings,
        ignored,
        problems,
    }
}

/// The known column or section a header is a typo of (see
/// [`typo_of`]): by the field's own name, or the section's key.
fn typo<'k>(key: &str, sections: &'k [String]) -> Option<&'k str> {
    let fields = RosterField::ALL.into_iter().flat_map(|field| {
        field
            .names()
            .iter()
            .map(move |name| (field.key(), name.to_string()))
    });
    let sections = sections
        .iter()
        .map(|section| (section.as_str(), normalise(section)));
    typo_of(key, fields.chain(sections))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(header: &[&str]) -> Mapping {
        let names: Vec<String> = header.iter().map(|name| name.to_string()).collect();
        map_header(
            &names,
            &["prevention".into(), "treatment".into()],
            &[],
            false,
        )
    }

    fn fields(mapping: &Mapping) -> Vec<Option<RosterField>> {
        mapping
            .meanings
            .iter()
            .map(|meaning| match meaning {
                Meaning::Field(field) => Some(*field),
                Meaning::Pick(_) | Meaning::Ignored => None,
            })
            .collect()
    }

    #[test]
    fn headers_are_normalised_and_aliases_known() {
        let mapping = map(&[
            "Patient Name",
            "NHS Number",
            "EDD",
            "GA",
            "due_date",
            "Notes",
        ]);
        assert_eq!(
            fields(&mapping)[..4],
            [
                Some(RosterField::Name),
                Some(RosterField::Id),
                Some(RosterField::DueDate),
                Some(RosterField::Weeks)
            ]
        );
        // EDD and due_date are the same field.
        assert_eq!(mapping.problems.len(), 1, "{:?}", mapping.problems);
        assert!(
            mapping.problems[0]
                .message
                .contains("is the due-date again, as column 3 'EDD'")
        );
        for header in ["Due Date", "due_date", "DUE-DATE", "due.date"] {
            assert_eq!(
                fields(&map(&["name", header]))[1],
                Some(RosterField::DueDate),
                "{header}"
            );
        }
    }

    #[test]
    fn records_systems_columns_are_ignored_and_named() {
        let mapping = map(&[
            "MRN",
            "Forename",
            "Surname",
            "Appointment",
            "DOB",
            "Age",
            "",
        ]);
        assert!(mapping.problems.is_empty(), "{:?}", mapping.problems);
        assert_eq!(
            mapping.ignored,
            [
                (3, "Appointment".into()),
                (4, "DOB".into()),
                (5, "Age".into())
            ]
        );
        let strict = map_header(&["name".into(), "Appointment".into()], &[], &[], true);
        assert!(strict.problems[0].message.contains("--strict-columns"));
    }

    #[test]
    fn typos_are_errors() {
        for (header, meant) in [
            ("preventon", "prevention"),
            ("Treatmnt", "treatment"),
            ("nmae", "name"),
            ("Mdwife", "midwife"),
        ] {
            let mapping = map(&["name", header]);
            let problem = mapping
                .problems
                .iter()
                .find(|p| p.index == 1)
                .unwrap_or_else(|| panic!("{header}"));
            assert!(
                problem
                    .message
                    .contains(&format!("did you mean '{meant}'?")),
                "{}",
                problem.message
            );
        }
    }

    #[test]
    fn a_practice_maps_its_own_columns() {
        let names: Vec<String> = ["Client", "Name", "Gest"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mapping = map_header(
            &names,
            &[],
            &[
                (RosterField::Name, "client".into()),
                (RosterField::Weeks, "GEST".into()),
            ],
            false,
        );
        assert!(mapping.problems.is_empty(), "{:?}", mapping.problems);
        assert_eq!(
            fields(&mapping),
            [Some(RosterField::Name), None, Some(RosterField::Weeks)]
        );
        let missing = map_header(&names, &[], &[(RosterField::Id, "MRN".into())], false);
        assert!(
            missing
                .problems
                .iter()
                .any(|p| p.message.contains("no such column"))
        );
    }

    #[test]
    fn a_name_is_required_whole_or_split() {
        assert!(
            map(&["id", "weeks"]).problems[0]
                .message
                .contains("no column for the patient's name")
        );
        let split = map(&["First Name", "Last Name"]);
        assert!(split.problems.is_empty());
        assert_eq!(
            fields(&split),
            [Some(RosterField::FirstName), Some(RosterField::LastName)]
        );
    }
}

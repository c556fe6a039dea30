//! What a roster's columns mean, under the names spreadsheets and records
//! systems give them.
//!
//! A header is compared with case, spaces, `_`, `-`, `.` and brackets taken
//! out, so `Due Date`, `due_date` and `DUE-DATE` are one column, and
//! `Forename(s)` is `Forenames`. What is in brackets stays: `Gestation
//! (days)` is not `Gestation`. Each field has the names records systems use
//! for it (`EDD` and `Estimated Due Date` for the due date, `NHS Number`
//! for the record number); a practice whose export names a column otherwise
//! maps it once in its practice file.
//!
//! No column that may hold a field is dropped while the rows print without
//! it: a header one or two letters off a known name is an error (a typo
//! must not quietly drop everyone's choices), and so is one whose words name
//! a field the header has no column for (`Date Baby Due`, `Named Midwife`),
//! with the practice file's line that maps it. A column of the last
//! menstrual period is refused when there is nothing else to count weeks
//! from. Any other column is the records system's own and is ignored.

use crate::suggest::{did_you_mean, typo_of};
use crate::text::{excerpt, toml_string};

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
    /// The language the note is written in, when it is not the leaflet's.
    NoteLanguage,
    /// The midwife's name.
    Midwife,
    /// The topic.
    Topic,
    /// The language.
    Language,
    /// Whether to print in large print, yes or no.
    LargePrint,
}

impl RosterField {
    /// Every field, in the order the documentation lists them.
    pub const ALL: [RosterField; 12] = [
        RosterField::Name,
        RosterField::FirstName,
        RosterField::LastName,
        RosterField::Id,
        RosterField::Weeks,
        RosterField::DueDate,
        RosterField::Note,
        RosterField::NoteLanguage,
        RosterField::Midwife,
        RosterField::Topic,
        RosterField::Language,
        RosterField::LargePrint,
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
            RosterField::NoteLanguage => "note-language",
            RosterField::Midwife => "midwife",
            RosterField::Topic => "topic",
            RosterField::Language => "language",
            RosterField::LargePrint => "large-print",
        }
    }

    /// The field in words, as a message says what a column may be.
    pub fn what(self) -> &'static str {
        match self {
            RosterField::Name => "the patient's name",
            RosterField::FirstName => "the first name",
            RosterField::LastName => "the last name",
            RosterField::Id => "the record number",
            RosterField::Weeks => "the weeks of pregnancy",
            RosterField::DueDate => "the due date",
            RosterField::Note => "the note",
            RosterField::NoteLanguage => "the note's language",
            RosterField::Midwife => "the midwife",
            RosterField::Topic => "the topic",
            RosterField::Language => "the language",
            RosterField::LargePrint => "large print, yes or no",
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
            RosterField::FirstName => &[
                "firstname",
                "firstnames",
                "forename",
                "forenames",
                "givenname",
                "givennames",
            ],
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
                "unitnumber",
                "unitno",
                "medicalrecordnumber",
            ],
            RosterField::Weeks => &[
                "weeks",
                "week",
                "gestation",
                "gestationweeks",
                "gestationalage",
                "gestationalageweeks",
                "weekspregnant",
                "ga",
            ],
            RosterField::DueDate => &[
                "duedate",
                "edd",
                "edc",
                "estimatedduedate",
                "expectedduedate",
                "estimateddateofdelivery",
                "expecteddateofdelivery",
                "estimateddateofconfinement",
                "expecteddateofconfinement",
            ],
            RosterField::Note => &["note", "notes"],
            RosterField::NoteLanguage => &["notelanguage", "notelang"],
            RosterField::Midwife => &["midwife"],
            RosterField::Topic => &["topic"],
            RosterField::Language => &["language"],
            RosterField::LargePrint => &["largeprint"],
        }
    }
}

/// A header as compared: lower case, without spaces, `_`, `-`, `.` or
/// brackets. What is in brackets is kept: it may change the meaning, as the
/// unit in `Gestation (days)` does.
pub(crate) fn normalise(header: &str) -> String {
    header
        .chars()
        .filter(|c| {
            !matches!(c, ' ' | '_' | '-' | '.' | '(' | ')' | '[' | ']') && !c.is_whitespace()
        })
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
    // The fields the header has a column for, by a name handout knows or
    // the practice's: a column that names one of the others in other words
    // is refused, not dropped.
    let present: Vec<RosterField> = names
        .iter()
        .filter_map(|name| {
            let key = normalise(name);
            RosterField::ALL
                .into_iter()
                .find(|field| field.names().contains(&key.as_str()) && !overridden(*field))
        })
        .chain(overrides.iter().map(|(field, _)| *field))
        .collect();
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
                } else if let Some(message) = names_missing_field(name, &present) {
                    problems.push(ColumnProblem {
                        index,
                        message,
                        suggestion: None,
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

/// What a header's words name when it is no name handout knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Named {
    /// A field, in other words.
    Field(RosterField),
    /// The first day of the last menstrual period.
    LastPeriod,
}

/// What the words of a header no name matched say it holds, if anything:
/// `Date Baby Due` is the due date, `Named Midwife` the midwife, `LMP` the
/// last period. Only words a records system's own columns (`Appointment`,
/// `Date of Birth`, `Clinic`, `Consultant`, ...) do not use count, and a
/// note never does: a column of clinical notes must not reach a leaflet by
/// a guess.
fn named_by_words(header: &str) -> Option<Named> {
    let words = words(header);
    let has = |set: &[&str]| words.iter().any(|word| set.contains(&word.as_str()));
    let name = ["name", "names"];
    let number = ["id", "no", "number", "num", "nr", "ref", "reference"];
    let field = if has(&["lmp", "lnmp", "menstrual", "menstruation"])
        || (has(&["last"]) && has(&["period", "menses"]))
    {
        return Some(Named::LastPeriod);
    } else if has(&["due", "edd", "edc"])
        || (has(&["delivery", "confinement"]) && has(&["date", "expected", "estimated"]))
        || (has(&["birth"]) && has(&["expected", "estimated"]))
    {
        RosterField::DueDate
    } else if has(&["ga", "weeks", "week", "wks", "wk", "pregnant"])
        || words.iter().any(|word| word.starts_with("gest"))
    {
        RosterField::Weeks
    } else if has(&[
        "forename",
        "forenames",
        "firstname",
        "firstnames",
        "givenname",
    ]) || (has(&["first", "given", "christian"]) && has(&name))
    {
        RosterField::FirstName
    } else if has(&["surname", "surnames", "lastname", "familyname"])
        || (has(&["last", "family"]) && has(&name))
    {
        RosterField::LastName
    } else if has(&["midwife"]) {
        RosterField::Midwife
    } else if has(&["patient", "patients", "client", "woman", "mother", "full"]) && has(&name) {
        RosterField::Name
    } else if has(&["mrn", "crn", "urn"])
        || words == ["nhs"]
        || (has(&[
            "nhs", "hospital", "patient", "record", "unit", "case", "client",
        ]) && has(&number))
    {
        RosterField::Id
    } else if has(&["language", "lang"]) {
        RosterField::Language
    } else if has(&["topic", "leaflet"]) {
        RosterField::Topic
    } else {
        return None;
    };
    Some(Named::Field(field))
}

/// Why a column that is no name handout knows cannot be ignored: its words
/// name a field the header has no column for (`present` are those it has),
/// or the last period when there is nothing else to count weeks from.
fn names_missing_field(header: &str, present: &[RosterField]) -> Option<String> {
    let has = |fields: &[RosterField]| fields.iter().any(|field| present.contains(field));
    let gestation = [RosterField::Weeks, RosterField::DueDate];
    // The message's place says which column it is, as the spreadsheet
    // letters it.
    let column = format!("column '{}'", excerpt(header));
    match named_by_words(header)? {
        Named::LastPeriod if !has(&gestation) => Some(format!(
            "{column} is the last menstrual period, which handout does not count weeks from, \
             as a dating scan may have moved the due date; export the due date (EDD) or the \
             gestation instead"
        )),
        Named::LastPeriod => None,
        Named::Field(field) => {
            let alike: &[RosterField] = match field {
                RosterField::Weeks | RosterField::DueDate => &gestation,
                // A whole name wins over its parts, so neither is missing.
                RosterField::FirstName => &[RosterField::FirstName, RosterField::Name],
                RosterField::LastName => &[RosterField::LastName, RosterField::Name],
                RosterField::Name => &[
                    RosterField::Name,
                    RosterField::FirstName,
                    RosterField::LastName,
                ],
                _ => &[field],
            };
            (!has(alike)).then(|| {
                format!(
                    "{column} may be {}, under a name handout does not know, and no other \
                     column is; if it is, say so in the practice file: [roster.columns] {} = \
                     {} (if it is not, rename the column)",
                    field.what(),
                    field.key(),
                    toml_string(&excerpt(header))
                )
            })
        }
    }
}

/// A header's words, lower case: split at anything not a letter or digit,
/// and where a small letter meets a capital (`DateBabyDue`).
fn words(header: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut previous: Option<char> = None;
    for c in header.chars() {
        if !c.is_alphanumeric() {
            previous = None;
            continue;
        }
        let starts = match previous {
            None => true,
            Some(before) => before.is_lowercase() && c.is_uppercase(),
        };
        if starts || words.is_empty() {
            words.push(String::new());
        }
        if let Some(word) = words.last_mut() {
            word.extend(c.to_lowercase());
        }
        previous = Some(c);
    }
    words
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
    fn spelled_out_headers_are_the_fields_they_name() {
        for (headers, field) in [
            (
                &[
                    "Estimated Due Date",
                    "Expected Due Date",
                    "Expected Date of Delivery",
                    "Estimated Date of Delivery",
                    "EDD",
                    "EDC",
                    "Due Date",
                ][..],
                RosterField::DueDate,
            ),
            (
                &[
                    "Gestational Age",
                    "Gestation",
                    "Gestation (weeks)",
                    "Gestation Weeks",
                    "Weeks Pregnant",
                    "GA",
                ],
                RosterField::Weeks,
            ),
            (
                &[
                    "NHS No",
                    "NHS No.",
                    "NHS Number",
                    "Hospital No",
                    "Hospital Number",
                    "MRN",
                    "Patient ID",
                    "Unit Number",
                ],
                RosterField::Id,
            ),
            (
                &[
                    "Forename",
                    "Forenames",
                    "Forename(s)",
                    "First Name(s)",
                    "Given Name(s)",
                ],
                RosterField::FirstName,
            ),
            (
                &["Surname", "Last Name", "Family Name"],
                RosterField::LastName,
            ),
        ] {
            // A name column beside, but not one of the same field.
            let beside = match field {
                RosterField::FirstName | RosterField::LastName => "Clinic",
                _ => "Surname",
            };
            for header in headers {
                let mapping = map(&[beside, header]);
                assert!(
                    mapping.problems.is_empty(),
                    "{header}: {:?}",
                    mapping.problems
                );
                assert_eq!(fields(&mapping)[1], Some(field), "{header}");
            }
        }
        // The export the defect was found with: every column but the date
        // of birth is read.
        let mapping = map(&[
            "NHS No",
            "Surname",
            "Forenames",
            "Date of Birth",
            "Estimated Due Date",
            "Gestational Age",
        ]);
        assert!(mapping.problems.is_empty(), "{:?}", mapping.problems);
        assert_eq!(mapping.ignored, [(3, "Date of Birth".into())]);
        // What is in brackets is part of the name.
        assert_eq!(fields(&map(&["name", "Gestation (days)"]))[1], None);
    }

    #[test]
    fn a_column_naming_a_missing_field_in_other_words_is_refused_with_its_line() {
        for (header, line) in [
            ("Date Baby Due", "due-date = \"Date Baby Due\""),
            ("DateBabyDue", "due-date = \"DateBabyDue\""),
            ("Expected Delivery", "due-date = \"Expected Delivery\""),
            ("Gestation (days)", "weeks = \"Gestation (days)\""),
            ("Gest. Age", "weeks = \"Gest. Age\""),
            ("Named Midwife", "midwife = \"Named Midwife\""),
            ("Hospital Reg No", "id = \"Hospital Reg No\""),
            ("Preferred Language", "language = \"Preferred Language\""),
        ] {
            let mapping = map(&["name", "Clinic", header]);
            assert_eq!(
                mapping.problems.len(),
                1,
                "{header}: {:?}",
                mapping.problems
            );
            let problem = &mapping.problems[0];
            assert_eq!(problem.index, 2, "{header}");
            assert!(
                problem
                    .message
                    .starts_with(&format!("column '{header}' may be "))
                    && problem
                        .message
                        .contains(&format!("[roster.columns] {line} (if it is not")),
                "{}",
                problem.message
            );
        }
        // A split name with a part under another name.
        let mapping = map(&["Surname", "Christian Name"]);
        assert!(
            mapping.problems[0]
                .message
                .contains("may be the first name, under a name handout does not know"),
            "{:?}",
            mapping.problems
        );
        // Not when the header has a column for the field, or, for weeks and
        // the due date, for either: then it is the records system's own.
        for header in [
            ["name", "EDD", "Bloods Due"],
            ["name", "weeks", "Due (review)"],
            ["name", "Midwife", "Named Midwife"],
            ["Patient Name", "Surname", "Christian Name"],
        ] {
            let mapping = map(&header);
            assert!(
                mapping.problems.is_empty(),
                "{header:?}: {:?}",
                mapping.problems
            );
            assert!(
                mapping.ignored.iter().any(|(index, _)| *index == 2),
                "{header:?}"
            );
        }
        // A header naming a field in other words is not a typo of it, even
        // with --strict-columns.
        let strict = map_header(&["name".into(), "Date Baby Due".into()], &[], &[], true);
        assert!(
            strict.problems[0]
                .message
                .contains("due-date = \"Date Baby Due\"")
        );
    }

    #[test]
    fn a_last_period_column_is_refused_when_nothing_else_gives_weeks() {
        for header in ["LMP", "LMP Date", "Last Menstrual Period", "Date of LMP"] {
            let mapping = map(&["name", header]);
            assert_eq!(
                mapping.problems.len(),
                1,
                "{header}: {:?}",
                mapping.problems
            );
            assert_eq!(
                mapping.problems[0].message,
                format!(
                    "column '{header}' is the last menstrual period, which handout \
                     does not count weeks from, as a dating scan may have moved the due date; \
                     export the due date (EDD) or the gestation instead"
                )
            );
            let beside = map(&["name", header, "EDD"]);
            assert!(beside.problems.is_empty(), "{:?}", beside.problems);
            assert_eq!(beside.ignored, [(1, header.to_string())]);
        }
    }

    #[test]
    fn records_systems_own_columns_are_never_taken_for_fields() {
        let own = [
            "Appointment",
            "Appointment Time",
            "DOB",
            "Date of Birth",
            "Clinic",
            "Time",
            "Consultant",
            "Address",
            "Postcode",
            "Age",
            "GP",
            "Telephone",
            "Booking Date",
            "Parity",
            "Gravida",
            "Place of Delivery",
            "NHS Trust",
            "Notes for GP",
        ];
        let mut header = vec!["name"];
        header.extend(own);
        let mapping = map(&header);
        assert!(mapping.problems.is_empty(), "{:?}", mapping.problems);
        assert_eq!(mapping.ignored.len(), own.len(), "{:?}", mapping.ignored);
    }

    #[test]
    fn columns_are_lettered_as_spreadsheets_do() {
        let letters: Vec<String> = [1, 2, 26, 27, 28, 52, 53, 702, 703]
            .into_iter()
            .map(super::super::column_letters)
            .collect();
        assert_eq!(
            letters,
            ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]
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

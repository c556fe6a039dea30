//! A TOML roster: one `[[patient]]` table a row, its keys the fields'
//! names and the keys of the sections to pick from.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use toml::Spanned;

use super::{RosterError, RosterRow};
use crate::error::{ContentError, Location};
use crate::picks::{Choice, Pick};
use crate::raw::RawRequest;
use crate::text::excerpt;

/// Reads a TOML roster's rows; `sections` are the keys a table may pick
/// from.
pub(super) fn parse(
    origin: &str,
    text: &str,
    sections: &[String],
) -> Result<Vec<RosterRow>, RosterError> {
    let raw: RawRoster =
        toml::from_str(text).map_err(|error| ContentError::from_toml(origin, text, &error))?;
    let mut rows = Vec::with_capacity(raw.patient.len());
    for patient in raw.patient {
        let span = patient.span();
        let line = Location::of_offset(origin, text, span.start).line;
        let patient = patient.into_inner();
        let mut row = RosterRow {
            line,
            id: patient.id.map(|id| id.0),
            request: RawRequest {
                name: Some(patient.name.unwrap_or_default()),
                weeks: patient.weeks.map(|weeks| weeks.0),
                due_date: patient.due_date.map(|due| due.0),
                note: patient.note,
                midwife: patient.midwife,
                topic: patient.topic,
                language: patient.language,
                ..RawRequest::default()
            },
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
            if !sections.contains(&key) {
                return Err(RosterError::Toml(ContentError::Toml {
                    at: at(),
                    message: format!(
                        "unknown field `{}`, expected one of `name`, `id`, `weeks`, `due_date`, \
                         `note`, `midwife`, `topic`, `language`, or a section to pick from: {}",
                        excerpt(&key),
                        sections.join(", ")
                    ),
                }));
            }
            let choice = match value {
                toml::Value::String(list) => Choice::parse(&list),
                toml::Value::Array(ids) if ids.iter().all(toml::Value::is_str) => {
                    Choice::from_ids(ids.iter().filter_map(toml::Value::as_str))
                }
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
            // An empty list asks for nothing, as an empty cell does.
            if choice != Choice::Defaults {
                row.request.picks.push(Pick::new(key, choice));
            }
        }
        rows.push(row);
    }
    Ok(rows)
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

        let error = read("r.toml", b"[[patient]]\nname = \"A\"\nweek = 3\n").unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("r.toml:3:1: unknown field `week`"),
            "{error}"
        );
    }

    #[test]
    fn type_errors_say_what_the_field_wants() {
        let error = |text: &str| read("r.toml", text.as_bytes()).unwrap_err().to_string();
        assert_eq!(
            error("[[patient]]\nname = \"A\"\nweeks = [1, 2]\n"),
            "r.toml:3:9: `weeks` must be a number or a text, like 28 or \"28\", not an array"
        );
        assert_eq!(
            error("[[patient]]\nname = \"A\"\nprevention = [1]\n"),
            "r.toml:3:1: `prevention` must be item ids as a text or an array of texts, like \
             [\"walking\", \"fluids\"]"
        );
        assert!(
            error("[[patient]]\nname = 5\n")
                .contains("`name` must be a text in quotes, not the number 5")
        );
    }
}

//! The practice's own details, read from `practice.toml`.

use serde::Deserialize;
use toml::Spanned;

use crate::error::{ContentError, Location};
use crate::patient::check_printable;

/// Paper size of the printed handout.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Paper {
    /// ISO A4, 210 x 297 mm.
    #[default]
    A4,
    /// US Letter, 8.5 x 11 in.
    Letter,
}

impl Paper {
    /// Parses "a4" or "letter", in any case.
    pub fn from_name(name: &str) -> Option<Paper> {
        match name.to_ascii_lowercase().as_str() {
            "a4" => Some(Paper::A4),
            "letter" => Some(Paper::Letter),
            _ => None,
        }
    }
}

/// Details that are the same on every handout a practice prints.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Practice {
    /// The practice's name.
    pub name: Option<String>,
    /// The number patients call.
    pub phone: Option<String>,
    /// Postal address, printed under the footer.
    pub address: Option<String>,
    /// The emergency number, e.g. "999", "911" or "112".
    pub emergency: Option<String>,
    /// The midwife named when a handout gives none.
    pub midwife: Option<String>,
    /// Paper size when the command line gives none.
    pub paper: Option<Paper>,
}

impl Practice {
    /// Parses and checks a practice file. `origin` names the file in errors.
    pub fn parse(origin: &str, text: &str) -> Result<Practice, ContentError> {
        let raw: RawPractice =
            toml::from_str(text).map_err(|error| ContentError::from_toml(origin, text, &error))?;
        let field = |value: Option<Spanned<String>>, key: &str, max: usize| {
            let Some(value) = value else { return Ok(None) };
            let at = || Location::of_offset(origin, text, value.span().start);
            let trimmed = value.get_ref().trim();
            if trimmed.is_empty() {
                return Ok(None);
            }
            check_printable(trimmed, max).map_err(|reason| ContentError::BadValue {
                at: at(),
                message: format!("`{key}` {reason}"),
            })?;
            Ok(Some(trimmed.to_string()))
        };
        let emergency_at = raw.emergency.as_ref().map_or(0, |value| value.span().start);
        let emergency = field(raw.emergency, "emergency", 20)?;
        if let Some(number) = &emergency
            && !number
                .chars()
                .all(|c| c.is_ascii_digit() || c == ' ' || c == '+' || c == '-')
        {
            // Checked because the number is printed in "Call 999 now": words here
            // would make that sentence wrong.
            return Err(ContentError::BadValue {
                at: Location::of_offset(origin, text, emergency_at),
                message: format!(
                    "`emergency` must be a phone number such as \"999\", \"911\" or \"112\", not \"{number}\""
                ),
            });
        }
        Ok(Practice {
            name: field(raw.name, "name", 80)?,
            phone: field(raw.phone, "phone", 40)?,
            address: field(raw.address, "address", 120)?,
            emergency,
            midwife: field(raw.midwife, "midwife", 80)?,
            paper: raw.paper,
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawPractice {
    name: Option<Spanned<String>>,
    phone: Option<Spanned<String>>,
    address: Option<Spanned<String>>,
    emergency: Option<Spanned<String>>,
    midwife: Option<Spanned<String>>,
    paper: Option<Paper>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = include_str!("../../../content/practice.example.toml");

    #[test]
    fn example_file_parses() {
        let practice = Practice::parse("practice.example.toml", EXAMPLE).unwrap();
        assert!(practice.name.is_some());
        assert!(practice.phone.is_some());
        assert!(practice.emergency.is_some());
        assert!(practice.midwife.is_some());
        assert!(practice.address.is_some());
    }

    #[test]
    fn empty_file_is_an_empty_practice() {
        assert_eq!(Practice::parse("p.toml", "").unwrap(), Practice::default());
    }

    #[test]
    fn unknown_key_names_line_and_column() {
        let error = Practice::parse("p.toml", "name = \"Riverside\"\nphnoe = \"1\"\n").unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("p.toml:2:1: unknown field `phnoe`"),
            "{error}"
        );
    }

    #[test]
    fn bad_paper_is_located() {
        let error = Practice::parse("p.toml", "paper = \"a5\"\n").unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("p.toml:1:9: unknown variant `a5`"),
            "{error}"
        );
    }

    #[test]
    fn emergency_must_be_a_number() {
        let error = Practice::parse("p.toml", "emergency = \"the police\"\n").unwrap_err();
        assert!(
            error
                .to_string()
                .contains("`emergency` must be a phone number"),
            "{error}"
        );
    }

    #[test]
    fn malformed_toml_is_located() {
        let error = Practice::parse("p.toml", "name = \"Riverside\nphone = 1\n").unwrap_err();
        assert!(error.to_string().starts_with("p.toml:1:"), "{error}");
    }
}

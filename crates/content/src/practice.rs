//! The practice's own details, read from `practice.toml`, and its clinical
//! lead's approvals of its leaflets.

use serde::Deserialize;
use toml::Spanned;

use std::collections::BTreeMap;

use jiff::civil::Date;

use crate::approval::{Approval, RawApproval, SignOff, check_approvals};
use crate::dates::DateOrder;
use crate::error::{ContentError, Location};
use crate::more_info::Address;
use crate::patient::check_printable;
use crate::roster::{Encoding, RosterField, RosterOptions};
use crate::text::{excerpt, regional_tag};
use crate::topic::{ReviewWarning, Topic};

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
    /// Whether handouts print in large print when nothing else says:
    /// `large-print = true` for a practice whose patients mostly need it.
    pub large_print: Option<bool>,
    /// The regional wording the practice prints of each language that has
    /// them, such as "en-GB": at most one for each language.
    pub wordings: Vec<String>,
    /// Whether items print their pictures when nothing else says:
    /// `pictures = false` for a practice that prints text only.
    pub pictures: Option<bool>,
    /// How the practice writes a date such as `04/03/2027`, day or month
    /// first: for every date it gives, on the command line, the web page or
    /// a roster (where it is also `roster.date_order`).
    pub date_order: Option<DateOrder>,
    /// How the practice's rosters are read: the `[roster]` table.
    pub roster: RosterOptions,
    /// The folder of the practice's own topics, as written (relative to the
    /// practice file).
    pub content: Option<String>,
    /// The practice's web page for more information, printed on every
    /// leaflet as a QR code with its address, in place of the topic's own
    /// (see [`crate::more_info`]).
    pub more_info: Option<Address>,
    /// Its clinical lead's approvals of leaflets, in the file's order.
    pub approvals: Vec<Approval>,
    /// The practice file's name as the user gave it; `None` for a run with
    /// no practice file, which has no clinical lead to approve anything.
    pub origin: Option<String>,
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
        let date_order = raw
            .date_order
            .map(|order| date_order(origin, text, &order))
            .transpose()?;
        // `date-order` was once read under [roster] only, for rosters; it
        // is still read there, and must not say otherwise.
        let old_place = raw
            .roster
            .as_ref()
            .and_then(|roster| roster.date_order.clone());
        let mut roster = match raw.roster {
            None => RosterOptions::default(),
            Some(roster) => roster_options(origin, text, roster)?,
        };
        let date_order = match (date_order, roster.date_order, old_place) {
            (Some(top), Some(old), Some(at)) if top != old => {
                return Err(ContentError::BadValue {
                    at: Location::of_offset(origin, text, at.span().start),
                    message: format!(
                        "`date-order` is \"{}\" here and \"{}\" at the top of the file; \
                         keep the one at the top, which every date follows",
                        old.key(),
                        top.key()
                    ),
                });
            }
            (top, old, _) => top.or(old),
        };
        roster.date_order = date_order;
        let content = field(raw.content, "content", 1000)?;
        let more_info = raw
            .more_info
            .map(|address| more_info(origin, text, &address))
            .transpose()?;
        let approvals = check_approvals(origin, text, raw.approval)?;
        Ok(Practice {
            roster,
            content,
            more_info,
            approvals,
            origin: Some(origin.to_string()),
            name: field(raw.name, "name", 80)?,
            phone: field(raw.phone, "phone", 40)?,
            address: field(raw.address, "address", 120)?,
            emergency,
            midwife: field(raw.midwife, "midwife", 80)?,
            paper: raw.paper,
            large_print: raw.large_print,
            pictures: raw.pictures,
            wordings: wordings(origin, text, raw.wordings)?,
            date_order,
        })
    }

    /// Which of `topic`'s wordings the practice prints when a request asks
    /// for none (see [`Topic::wording`]): its own for the topic's
    /// language, or the plain one.
    pub fn wording_of(&self, topic: &Topic) -> usize {
        self.wordings
            .iter()
            .find_map(|tag| topic.wording(tag))
            .unwrap_or(0)
    }

    /// Whether the practice's clinical lead approved `topic`'s text as it
    /// now is, approved an earlier text (lapsed), or neither.
    pub fn sign_off(&self, topic: &Topic) -> SignOff<'_> {
        SignOff::of(&self.approvals, topic)
    }

    /// The warning every use of `topic` gives when its approval has lapsed.
    pub fn approval_warning(&self, topic: &Topic) -> Option<ReviewWarning> {
        self.sign_off(topic).warning(topic)
    }

    /// What every use of `topic` by this practice calls for, as on `today`:
    /// a draft, a review date that has passed, an approval that has lapsed.
    pub fn review_warnings(&self, topic: &Topic, today: Date) -> Vec<ReviewWarning> {
        let mut warnings = topic.review_warnings(today);
        warnings.extend(self.approval_warning(topic));
        warnings
    }
}

/// Checks the practice's `wordings`: each a language and a region, such as
/// "en-GB", and one for each language.
fn wordings(
    origin: &str,
    text: &str,
    raw: Vec<Spanned<String>>,
) -> Result<Vec<String>, ContentError> {
    let mut wordings: Vec<String> = Vec::with_capacity(raw.len());
    for tag in raw {
        let at = || Location::of_offset(origin, text, tag.span().start);
        let value = tag.get_ref().trim().replace('_', "-");
        let Some((language, _)) = value.split_once('-') else {
            return Err(ContentError::BadValue {
                at: at(),
                message: format!(
                    "wording '{}' names no region; write a language and a region, such as \
                     \"en-GB\", \"en-US\", \"es-ES\" or \"es-419\"",
                    excerpt(&value)
                ),
            });
        };
        if regional_tag(&value).is_none() {
            return Err(ContentError::BadValue {
                at: at(),
                message: format!(
                    "wording '{}' is not a language and a region, such as \"en-GB\" or \
                     \"es-419\"",
                    excerpt(&value)
                ),
            });
        }
        if let Some(other) = wordings.iter().find(|known| {
            known
                .split_once('-')
                .is_some_and(|(known, _)| known.eq_ignore_ascii_case(language))
        }) {
            return Err(ContentError::BadValue {
                at: at(),
                message: format!(
                    "wordings '{other}' and '{value}' are of the same language; keep the one \
                     your handouts print (a roster's language column, --language or the web \
                     page can ask for the other)"
                ),
            });
        }
        wordings.push(value);
    }
    Ok(wordings)
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
    large_print: Option<bool>,
    pictures: Option<bool>,
    #[serde(default)]
    wordings: Vec<Spanned<String>>,
    date_order: Option<Spanned<String>>,
    content: Option<Spanned<String>>,
    more_info: Option<Spanned<String>>,
    roster: Option<RawRosterOptions>,
    #[serde(default)]
    approval: Vec<Spanned<RawApproval>>,
}

/// `[roster]`: how this practice's exports are read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawRosterOptions {
    /// "dmy" or "mdy".
    date_order: Option<Spanned<String>>,
    /// Field name to the practice's own header.
    #[serde(default)]
    columns: BTreeMap<Spanned<String>, Spanned<String>>,
    /// Whether to refuse unknown columns.
    strict_columns: Option<bool>,
    /// The encoding of the practice's exports, a WHATWG label.
    encoding: Option<Spanned<String>>,
}

/// `date-order`, "dmy" or "mdy".
fn date_order(
    origin: &str,
    text: &str,
    order: &Spanned<String>,
) -> Result<DateOrder, ContentError> {
    DateOrder::from_name(order.get_ref()).ok_or_else(|| ContentError::BadValue {
        at: Location::of_offset(origin, text, order.span().start),
        message: format!(
            "`date-order` must be \"dmy\" (day first, as in the UK and Europe) or \"mdy\" \
             (month first, as in the US), not \"{}\"",
            excerpt(order.get_ref())
        ),
    })
}

/// `more-info`: an address whose QR code the page can print.
fn more_info(origin: &str, text: &str, address: &Spanned<String>) -> Result<Address, ContentError> {
    Address::parse(address.get_ref().trim()).map_err(|reason| ContentError::BadValue {
        at: Location::of_offset(origin, text, address.span().start),
        message: format!("`more-info` {reason}"),
    })
}

fn roster_options(
    origin: &str,
    text: &str,
    raw: RawRosterOptions,
) -> Result<RosterOptions, ContentError> {
    let at = |span: std::ops::Range<usize>| Location::of_offset(origin, text, span.start);
    let date_order = raw
        .date_order
        .map(|order| date_order(origin, text, &order))
        .transpose()?;
    let encoding =
        match raw.encoding {
            None => None,
            Some(label) => Some(Encoding::from_label(label.get_ref()).map_err(|error| {
                ContentError::BadValue {
                    at: at(label.span()),
                    message: format!("`encoding`: {error}"),
                }
            })?),
        };
    let mut columns = Vec::new();
    for (key, header) in raw.columns {
        let column =
            RosterField::from_key(key.get_ref()).ok_or_else(|| ContentError::BadValue {
                at: at(key.span()),
                message: format!(
                    "[roster.columns] has no field '{}'; the fields are {}",
                    excerpt(key.get_ref()),
                    RosterField::ALL.map(RosterField::key).join(", ")
                ),
            })?;
        if header.get_ref().trim().is_empty() {
            return Err(ContentError::EmptyText {
                at: at(header.span()),
                what: format!("the column for `{}`", column.key()),
            });
        }
        columns.push((column, header.into_inner()));
    }
    Ok(RosterOptions {
        date_order,
        columns,
        strict_columns: raw.strict_columns.unwrap_or(false),
        encoding,
    })
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
        assert_eq!(
            Practice::parse("p.toml", "").unwrap(),
            Practice {
                origin: Some("p.toml".into()),
                ..Practice::default()
            }
        );
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
    fn a_practice_says_how_its_rosters_read() {
        let text = "[roster]\ndate-order = \"dmy\"\n\n[roster.columns]\nname = \"Client\"\ndue-date = \"Expected\"\n";
        let practice = Practice::parse("p.toml", text).unwrap();
        assert_eq!(practice.roster.date_order, Some(DateOrder::DayFirst));
        assert_eq!(practice.date_order, Some(DateOrder::DayFirst));
        assert_eq!(
            practice.roster.columns,
            [
                (RosterField::DueDate, "Expected".to_string()),
                (RosterField::Name, "Client".to_string())
            ]
        );
        let error = Practice::parse("p.toml", "[roster]\ndate-order = \"ymd\"\n").unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("p.toml:2:14: `date-order` must be"),
            "{error}"
        );
        let error = Practice::parse("p.toml", "[roster.columns]\nnmae = \"Client\"\n").unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("p.toml:2:1: [roster.columns] has no field 'nmae'"),
            "{error}"
        );
    }

    #[test]
    fn the_date_order_is_the_practices_and_read_in_its_old_place_too() {
        for text in [
            "date-order = \"mdy\"\n",
            "date-order = \"mdy\"\n[roster]\ndate-order = \"mdy\"\n",
            "[roster]\ndate-order = \"mdy\"\n",
        ] {
            let practice = Practice::parse("p.toml", text).unwrap();
            assert_eq!(practice.date_order, Some(DateOrder::MonthFirst), "{text}");
            assert_eq!(practice.roster.date_order, Some(DateOrder::MonthFirst));
        }
        let error = Practice::parse("p.toml", "date-order = \"dym\"\n").unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("p.toml:1:14: `date-order` must be"),
            "{error}"
        );
    }

    #[test]
    fn a_practice_names_its_exports_encoding() {
        let practice = Practice::parse("p.toml", "[roster]\nencoding = \"cp1250\"\n").unwrap();
        assert_eq!(
            practice.roster.encoding,
            Some(Encoding::from_label("windows-1250").unwrap())
        );
        let error =
            Practice::parse("p.toml", "[roster]\nencoding = \"windows-1205\"\n").unwrap_err();
        assert!(
            error.to_string().starts_with(
                "p.toml:2:12: `encoding`: unknown encoding 'windows-1205'; did you mean \
                 'windows-1250'?"
            ),
            "{error}"
        );
    }

    #[test]
    fn a_practice_names_its_own_page_for_more_information() {
        let practice = Practice::parse(
            "p.toml",
            "name = \"Riverside\"\nmore-info = \"https://www.example.org/leaflets/leg-cramps\"\n",
        )
        .unwrap();
        assert_eq!(
            practice.more_info.as_ref().map(Address::as_str),
            Some("https://www.example.org/leaflets/leg-cramps")
        );
        // The example names none, so that nothing unverified is printed.
        let example = Practice::parse("practice.example.toml", EXAMPLE).unwrap();
        assert_eq!(example.more_info, None);
        assert!(EXAMPLE.contains("# more-info = \"https://"));
        for (address, message) in crate::more_info::refused_examples() {
            let text = format!("name = \"Riverside\"\nmore-info = \"{address}\"\n");
            let error = Practice::parse("p.toml", &text).unwrap_err().to_string();
            assert!(
                error.starts_with("p.toml:2:13: `more-info` "),
                "{address}: {error}"
            );
            assert!(error.contains(message), "{address}: {error}");
        }
    }

    #[test]
    fn malformed_toml_is_located() {
        let error = Practice::parse("p.toml", "name = \"Riverside\nphone = 1\n").unwrap_err();
        assert!(error.to_string().starts_with("p.toml:1:"), "{error}");
    }
}

//! A practice's sign-off of its leaflets: its clinical lead read a
//! leaflet's whole text and approved it, recorded in the practice file.
//!
//! ```toml
//! [[approval]]
//! topic = "leg-cramps"
//! language = "en"
//! version = 2
//! sha256 = "…"          # the topic file's SHA-256, as manifest.csv records it
//! by = "the Lead Midwife"
//! on = 2026-12-06
//! ```
//!
//! An approval covers the one text its SHA-256 names, every wording that
//! file holds. Once the file changes (a practice edits its copy, or a new
//! program version brings new built-in words), the approval has lapsed: it
//! no longer counts, every use says so, and the footer claims nothing.

use jiff::civil::Date;
use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

use crate::dates::toml_date;
use crate::error::{ContentError, Location};
use crate::patient::check_printable;
use crate::text::{excerpt, is_kebab_case, toml_string};
use crate::topic::{ReviewWarning, Topic};

/// What `handout approve` writes for `by` when it is not told who
/// approves: the practice file refuses it until the lead replaces it.
pub const APPROVER_PLACEHOLDER: &str = "FILL IN the name or role of who approved it";

/// The most characters of `by`: it is printed in the footer.
const MAX_BY_CHARS: usize = 80;

/// A practice's clinical lead's approval of one leaflet's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    /// The topic's id, such as "leg-cramps".
    pub topic: String,
    /// The language of the text approved, such as "en".
    pub language: String,
    /// The version of the text approved, as its file numbered it.
    pub version: u32,
    /// The SHA-256 of the topic file approved, in lower-case hex.
    pub sha256: String,
    /// Who approved it, as the footer prints it after "approved by": a name
    /// or a role, such as "the Lead Midwife".
    pub by: String,
    /// When.
    pub on: Date,
}

impl Approval {
    /// Whether it is an approval of this topic in this language, whatever
    /// its text.
    fn is_for(&self, topic: &Topic) -> bool {
        self.topic == topic.id && self.language.eq_ignore_ascii_case(&topic.language)
    }

    /// "the Lead Midwife 2026-12-06", as a manifest records it.
    pub fn record(&self) -> String {
        format!("{} {}", self.by, self.on)
    }
}

/// Whether a practice's clinical lead has approved a topic's text as it now
/// is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignOff<'p> {
    /// Approved: the approval names this very text.
    Approved(&'p Approval),
    /// Approved once, but the text has changed since: the approval does not
    /// count. The latest approval of the topic and language.
    Lapsed(&'p Approval),
    /// No approval of it. A draft is never approved: a draft translation
    /// needs a clinician who reads its language first.
    NotApproved,
}

impl<'p> SignOff<'p> {
    /// What `approvals` say of `topic`.
    pub(crate) fn of(approvals: &'p [Approval], topic: &Topic) -> SignOff<'p> {
        if topic.review.is_draft() {
            return SignOff::NotApproved;
        }
        let mut of_topic = approvals.iter().filter(|approval| approval.is_for(topic));
        if let Some(approval) = of_topic
            .clone()
            .filter(|approval| approval.sha256 == topic.sha256)
            .max_by_key(|approval| approval.on)
        {
            return SignOff::Approved(approval);
        }
        match of_topic.by_ref().max_by_key(|approval| approval.on) {
            Some(approval) => SignOff::Lapsed(approval),
            None => SignOff::NotApproved,
        }
    }

    /// The approval that counts, if any.
    pub fn approved(self) -> Option<&'p Approval> {
        match self {
            SignOff::Approved(approval) => Some(approval),
            SignOff::Lapsed(_) | SignOff::NotApproved => None,
        }
    }

    /// The warning a lapsed approval calls for on every use of the topic.
    pub(crate) fn warning(self, topic: &Topic) -> Option<ReviewWarning> {
        let SignOff::Lapsed(approval) = self else {
            return None;
        };
        Some(ReviewWarning::Lapsed {
            topic: topic.name(),
            by: approval.by.clone(),
            on: approval.on,
            approved_version: approval.version,
            version: topic.review.version,
            command: approve_command(topic),
        })
    }
}

/// The command that shows a topic's text and its approval entry:
/// `handout approve leg-cramps --language en`.
pub fn approve_command(topic: &Topic) -> String {
    format!("handout approve {} --language {}", topic.id, topic.language)
}

/// An `[[approval]]` table as the practice file writes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct RawApproval {
    topic: Spanned<String>,
    language: Spanned<String>,
    version: Spanned<i64>,
    sha256: Spanned<String>,
    by: Spanned<String>,
    on: Spanned<Datetime>,
}

/// Checks the practice file's `[[approval]]` tables, each error at its
/// value's line and column: `origin` names the file, `text` is its text.
pub(crate) fn check_approvals(
    origin: &str,
    text: &str,
    raw: Vec<Spanned<RawApproval>>,
) -> Result<Vec<Approval>, ContentError> {
    let bad = |at: usize, message: String| ContentError::BadValue {
        at: Location::of_offset(origin, text, at),
        message,
    };
    let mut approvals: Vec<(Approval, usize)> = Vec::with_capacity(raw.len());
    for table in raw {
        let table_at = table.span().start;
        let raw = table.into_inner();
        let topic = raw.topic.get_ref().trim();
        if !is_kebab_case(topic) {
            return Err(bad(
                raw.topic.span().start,
                format!(
                    "[[approval]] `topic` must be a topic's id, such as \"leg-cramps\", not \
                     \"{}\"",
                    excerpt(topic)
                ),
            ));
        }
        let language = raw.language.get_ref().trim();
        if language.is_empty()
            || !language
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Err(bad(
                raw.language.span().start,
                format!(
                    "[[approval]] `language` must be a language tag, such as \"en\", not \
                     \"{}\"",
                    excerpt(language)
                ),
            ));
        }
        let version = u32::try_from(*raw.version.get_ref())
            .ok()
            .filter(|&version| version >= 1)
            .ok_or_else(|| {
                bad(
                    raw.version.span().start,
                    format!(
                        "[[approval]] `version` must be a whole number from 1, not {}",
                        raw.version.get_ref()
                    ),
                )
            })?;
        let sha256 = raw.sha256.get_ref().trim().to_ascii_lowercase();
        if sha256.len() != 64 || !sha256.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(bad(
                raw.sha256.span().start,
                "[[approval]] `sha256` must be the 64 hex digits of the topic file's SHA-256, \
                 as `handout approve` prints it (and manifest.csv's content_sha256 records it)"
                    .to_string(),
            ));
        }
        let by = raw.by.get_ref().trim();
        let by_at = raw.by.span().start;
        if by.is_empty() {
            return Err(ContentError::EmptyText {
                at: Location::of_offset(origin, text, by_at),
                what: "[[approval]] `by`".to_string(),
            });
        }
        if by.starts_with(&APPROVER_PLACEHOLDER[..7]) {
            return Err(bad(
                by_at,
                "[[approval]] `by` is still the placeholder; write who approved the leaflet, \
                 as the footer should print it after \"approved by\": a name or a role, such \
                 as by = \"the Lead Midwife\""
                    .to_string(),
            ));
        }
        check_printable(by, MAX_BY_CHARS)
            .map_err(|reason| bad(by_at, format!("[[approval]] `by` {reason}")))?;
        let on_at = raw.on.span().start;
        let on = toml_date(raw.on.get_ref()).ok_or_else(|| {
            bad(
                on_at,
                "[[approval]] `on` must be a date, written like on = 2026-12-06 (no \
                     quotes)"
                    .to_string(),
            )
        })?;
        let approval = Approval {
            topic: topic.to_string(),
            language: language.to_string(),
            version,
            sha256,
            by: by.to_string(),
            on,
        };
        if let Some((_, first)) = approvals.iter().find(|(known, _)| {
            known.topic == approval.topic
                && known.language.eq_ignore_ascii_case(&approval.language)
                && known.sha256 == approval.sha256
        }) {
            return Err(bad(
                table_at,
                format!(
                    "a second [[approval]] of the same text of {} ({}) (the first is on line \
                     {first}); keep one",
                    approval.topic, approval.language
                ),
            ));
        }
        approvals.push((approval, Location::of_offset(origin, text, table_at).line));
    }
    Ok(approvals
        .into_iter()
        .map(|(approval, _)| approval)
        .collect())
}

/// The `[[approval]]` entry for `topic`, to paste into the practice file:
/// approved by `by` (or the placeholder, which the file refuses until it
/// is filled in) on `on`.
pub fn approval_entry(topic: &Topic, by: Option<&str>, on: Date) -> String {
    let by = by.map(str::trim).filter(|by| !by.is_empty());
    let by = by.unwrap_or(APPROVER_PLACEHOLDER);
    format!(
        "[[approval]]\ntopic = \"{}\"\nlanguage = \"{}\"\nversion = {}\nsha256 = \"{}\"\n\
         by = {}\non = {on}\n",
        topic.id,
        topic.language,
        topic.review.version,
        topic.sha256,
        toml_string(by)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::practice::Practice;

    fn entry(sha256: &str) -> String {
        format!(
            "name = \"Riverside\"\n\n[[approval]]\ntopic = \"leg-cramps\"\nlanguage = \"en\"\n\
             version = 4\nsha256 = \"{sha256}\"\nby = \"the Lead Midwife\"\non = 2026-12-06\n"
        )
    }

    fn english() -> Topic {
        Topic::builtin().remove(0)
    }

    #[test]
    fn an_approval_of_this_very_text_counts() {
        let topic = english();
        let practice = Practice::parse("p.toml", &entry(&topic.sha256.to_uppercase())).unwrap();
        let approval = &practice.approvals[0];
        assert_eq!(approval.sha256, topic.sha256);
        assert_eq!(approval.record(), "the Lead Midwife 2026-12-06");
        assert_eq!(practice.sign_off(&topic), SignOff::Approved(approval));
        assert_eq!(practice.approval_warning(&topic), None);

        // The Spanish draft is never approved, whatever the file says.
        let spanish = Topic::builtin().remove(1);
        assert_eq!(practice.sign_off(&spanish), SignOff::NotApproved);
    }

    #[test]
    fn an_approval_of_other_words_has_lapsed_and_says_so() {
        let topic = english();
        let practice = Practice::parse("p.toml", &entry(&"ab".repeat(32))).unwrap();
        assert_eq!(
            practice.sign_off(&topic),
            SignOff::Lapsed(&practice.approvals[0])
        );
        assert_eq!(
            practice.approval_warning(&topic).unwrap().to_string(),
            "leg-cramps (en) was approved for the practice by the Lead Midwife on 2026-12-06 \
             as version 4, and its text has changed since (still numbered version 4): the \
             approval no longer counts and its footer does not claim it; have the text read \
             again with `handout approve leg-cramps --language en` and replace its \
             [[approval]] entry in the practice file"
        );
        let newer = Topic::parse(
            "leg-cramps.en.toml",
            &crate::topic::LEG_CRAMPS_EN.replacen("version = 4", "version = 5", 1),
        )
        .unwrap();
        let warning = practice.approval_warning(&newer).unwrap().to_string();
        assert!(
            warning.contains("as version 4, and its text is now version 5:"),
            "{warning}"
        );
        // A practice with no approval of it says nothing.
        assert_eq!(Practice::default().sign_off(&topic), SignOff::NotApproved);
    }

    #[test]
    fn the_entry_printed_is_the_entry_read() {
        let topic = english();
        let text = approval_entry(
            &topic,
            Some("Dr \"Jo\" Smith"),
            jiff::civil::date(2026, 12, 6),
        );
        let practice = Practice::parse("p.toml", &text).unwrap();
        assert_eq!(practice.approvals[0].by, "Dr \"Jo\" Smith");
        assert_eq!(
            practice.sign_off(&topic),
            SignOff::Approved(&practice.approvals[0])
        );

        // Without a name, the placeholder is refused until it is filled in.
        let text = approval_entry(&topic, None, jiff::civil::date(2026, 12, 6));
        let error = Practice::parse("p.toml", &text).unwrap_err().to_string();
        assert!(
            error.starts_with("p.toml:6:6: [[approval]] `by` is still the placeholder"),
            "{error}"
        );
    }

    #[test]
    fn every_mistake_in_an_approval_is_located() {
        let good = entry(&"ab".repeat(32));
        for (from, to, at, message) in [
            (
                "topic = \"leg-cramps\"",
                "topic = \"Leg Cramps\"",
                "4:9",
                "must be a topic's id",
            ),
            (
                "language = \"en\"",
                "language = \"\"",
                "5:12",
                "must be a language tag",
            ),
            ("version = 4", "version = 0", "6:11", "from 1, not 0"),
            (
                "sha256 = \"abab",
                "sha256 = \"xyab",
                "7:10",
                "the 64 hex digits",
            ),
            (
                "by = \"the Lead Midwife\"",
                "by = \" \"",
                "8:6",
                "`by` is empty",
            ),
            (
                "by = \"the Lead Midwife\"",
                "by = \"the Lead\u{202E}Midwife\"",
                "8:6",
                "invisible direction control",
            ),
            (
                "on = 2026-12-06",
                "on = 2026-12-06T10:00:00",
                "9:6",
                "must be a date",
            ),
            (
                "on = 2026-12-06",
                "on = \"2026-12-06\"",
                "9:6",
                "must be a TOML datetime",
            ),
            (
                "on = 2026-12-06",
                "when = 2026-12-06",
                "9:1",
                "unknown field `when`",
            ),
        ] {
            assert!(good.contains(from), "{from}");
            let error = Practice::parse("p.toml", &good.replacen(from, to, 1))
                .unwrap_err()
                .to_string();
            assert!(
                error.starts_with(&format!("p.toml:{at}: ")),
                "{to}: {error}"
            );
            assert!(error.contains(message), "{to}: {error}");
        }
        let twice = format!("{good}{}", good.replacen("name = \"Riverside\"\n", "", 1));
        let error = Practice::parse("p.toml", &twice).unwrap_err().to_string();
        assert!(
            error.starts_with(
                "p.toml:11:1: a second [[approval]] of the same text of \
                 leg-cramps (en) (the first is on line 3)"
            ),
            "{error}"
        );
    }
}

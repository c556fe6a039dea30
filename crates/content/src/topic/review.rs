//! A topic file's clinical governance: which version of the text it is,
//! whether a clinician has reviewed it, and when it is due for review again.
//!
//! ```toml
//! version = 3
//! status = "reviewed"            # or "checked", or "draft"
//! reviewed-by = "Consultant midwife, Riverside Practice"
//! reviewed-on = 2026-11-01       # TOML dates
//! review-due = 2028-11-01
//! ```
//!
//! A file is a draft until a clinician who reads its language has reviewed
//! it; a draft never reaches a patient unnoticed. Between the two, a text
//! written from its sources and checked against them, item by item, that
//! no named clinician has approved, is "checked" (with `checked-on` and
//! `review-due`): its footer says "checked against its sources", never
//! "reviewed". A practice's own clinical lead approves a text in the
//! practice file (see `practice`), whatever its status here.

use jiff::civil::Date;
use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

use crate::dates::toml_date;

/// Whether a clinician has reviewed the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Not yet clinically reviewed: printed with a draft line, and refused by
    /// `batch` unless drafts are allowed.
    Draft,
    /// Written from the sources it names and checked against them, item by
    /// item, on checked-on; not yet approved by a named clinician. Printed
    /// as "checked against its sources"; a practice's clinical lead
    /// approves it in the practice file.
    Checked,
    /// Reviewed by a clinician, with reviewed-by (a person or a role),
    /// reviewed-on and review-due.
    Reviewed,
}

impl Status {
    /// The word the file uses.
    pub fn key(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Checked => "checked",
            Status::Reviewed => "reviewed",
        }
    }
}

/// The review record of a topic file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    /// The text's version, counted up with every change.
    pub version: u32,
    /// Draft, checked or reviewed.
    pub status: Status,
    /// Who reviewed it: a role and a place, such as "Consultant midwife,
    /// Riverside Practice".
    pub reviewed_by: Option<String>,
    /// When it was reviewed.
    pub reviewed_on: Option<Date>,
    /// When a checked text was checked against its sources.
    pub checked_on: Option<Date>,
    /// When it must be reviewed again.
    pub review_due: Option<Date>,
}

impl Review {
    /// How the text was checked, as every command says it: "reviewed by
    /// Consultant midwife on 2026-11-01", "checked against its sources on
    /// 2026-12-02; no clinician is named as its reviewer", "draft: not yet
    /// clinically reviewed".
    pub fn describe(&self) -> String {
        let on = |date: Option<Date>| date.map(|date| format!(" on {date}")).unwrap_or_default();
        match self.status {
            Status::Reviewed => format!(
                "reviewed{}{}",
                self.reviewed_by
                    .as_deref()
                    .map(|by| format!(" by {by}"))
                    .unwrap_or_default(),
                on(self.reviewed_on)
            ),
            Status::Checked => format!(
                "checked against its sources{}; no clinician is named as its reviewer",
                on(self.checked_on)
            ),
            Status::Draft => "draft: not yet clinically reviewed".to_string(),
        }
    }

    /// Whether the text is a draft.
    pub fn is_draft(&self) -> bool {
        self.status == Status::Draft
    }

    /// Whether the review date has passed on `today`.
    pub fn is_overdue(&self, today: Date) -> bool {
        self.review_due.is_some_and(|due| due < today)
    }

    /// Whether the review falls due within `days` days of `today`, or has
    /// passed.
    pub fn is_due_within(&self, today: Date, days: i32) -> bool {
        self.review_due
            .is_some_and(|due| today.until(due).is_ok_and(|span| span.get_days() <= days))
    }
}

/// What a topic's review record calls for whenever it is used: every
/// front end says it in these words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReviewWarning {
    /// The text is a draft.
    #[error(
        "{topic} is a draft, not yet clinically reviewed: have a clinician who reads the \
         language check it before a patient is given it (its footer says it is a draft)"
    )]
    Draft {
        /// The topic's name, such as "leg-cramps (es)".
        topic: String,
    },
    /// The review date has passed.
    #[error(
        "{topic} was due for review on {due}: have it reviewed, then update reviewed-on and \
         review-due"
    )]
    Overdue {
        /// The topic's name.
        topic: String,
        /// When the review was due.
        due: Date,
    },
    /// The practice's clinical lead approved another text of the topic than
    /// the one there is now: the approval does not count.
    #[error(
        "{topic} was approved for the practice by {by} on {on} as version {approved_version}, \
         and its text {}: the approval no longer counts and its footer does not claim it; \
         have the text read again with `{command}` and replace its [[approval]] entry in the \
         practice file",
        changed(*.approved_version, *.version)
    )]
    Lapsed {
        /// The topic's name.
        topic: String,
        /// Who approved it.
        by: String,
        /// When.
        on: Date,
        /// The version approved.
        approved_version: u32,
        /// The version there is now.
        version: u32,
        /// The command that shows the text and the entry to replace it with.
        command: String,
    },
}

/// How a text changed since its approval: its version, or only its words.
fn changed(approved: u32, now: u32) -> String {
    if approved == now {
        format!("has changed since (still numbered version {now})")
    } else {
        format!("is now version {now}")
    }
}

/// The review keys as the file writes them.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct RawReview {
    pub version: Option<Spanned<i64>>,
    pub status: Option<Spanned<Status>>,
    pub reviewed_by: Option<Spanned<String>>,
    pub reviewed_on: Option<Spanned<Datetime>>,
    pub checked_on: Option<Spanned<Datetime>>,
    pub review_due: Option<Spanned<Datetime>>,
}

/// A problem with the review keys: where (a byte offset into the file, or
/// none for the whole file) and what.
pub(crate) type ReviewError = (Option<usize>, String);

impl RawReview {
    /// The review record, checked: a version and a status always; who,
    /// when and when next for a reviewed file; when and when next for a
    /// checked one, which names no reviewer.
    pub fn check(&self) -> Result<Review, ReviewError> {
        let version = match &self.version {
            None => {
                return Err((
                    None,
                    "the file has no `version`; add version = 1 at the top, and count it up \
                     with every change to the text"
                        .to_string(),
                ));
            }
            Some(version) => match u32::try_from(*version.get_ref()) {
                Ok(number) if number >= 1 => number,
                _ => {
                    return Err((
                        Some(version.span().start),
                        format!(
                            "`version` must be a whole number from 1, not {}",
                            version.get_ref()
                        ),
                    ));
                }
            },
        };
        let Some(status) = &self.status else {
            return Err((
                None,
                "the file has no `status`; add status = \"draft\" until a clinician who reads \
                 its language has reviewed it, then status = \"reviewed\" with reviewed-by, \
                 reviewed-on and review-due (or status = \"checked\" with checked-on and \
                 review-due for a text checked against its sources that no clinician has \
                 reviewed)"
                    .to_string(),
            ));
        };
        let status_at = status.span().start;
        let status = *status.get_ref();
        let reviewed_by = self
            .reviewed_by
            .as_ref()
            .map(|by| by.get_ref().trim().to_string())
            .filter(|by| !by.is_empty());
        let reviewed_on = date(self.reviewed_on.as_ref(), "reviewed-on")?;
        let checked_on = date(self.checked_on.as_ref(), "checked-on")?;
        let review_due = date(self.review_due.as_ref(), "review-due")?;
        if status == Status::Checked {
            // A checked text claims no reviewer: a name here would be printed
            // nowhere, and read as a review that did not happen.
            for (given, key) in [
                (
                    self.reviewed_by.as_ref().map(|by| by.span().start),
                    "reviewed-by",
                ),
                (
                    self.reviewed_on.as_ref().map(|on| on.span().start),
                    "reviewed-on",
                ),
            ] {
                if let Some(at) = given {
                    return Err((
                        Some(at),
                        format!(
                            "a checked file names no reviewer; remove `{key}`, or set status = \
                             \"reviewed\" once a clinician has reviewed the text"
                        ),
                    ));
                }
            }
            let mut missing = Vec::new();
            if checked_on.is_none() {
                missing.push("checked-on");
            }
            if review_due.is_none() {
                missing.push("review-due");
            }
            if !missing.is_empty() {
                return Err((
                    Some(status_at),
                    format!(
                        "a checked file says when it was checked against its sources and when \
                         it is due again; add {} (such as checked-on = 2026-11-01), or set \
                         status = \"draft\"",
                        missing.join(", ")
                    ),
                ));
            }
        }
        if status == Status::Reviewed {
            let mut missing = Vec::new();
            if reviewed_by.is_none() {
                missing.push("reviewed-by");
            }
            if reviewed_on.is_none() {
                missing.push("reviewed-on");
            }
            if review_due.is_none() {
                missing.push("review-due");
            }
            if !missing.is_empty() {
                return Err((
                    Some(status_at),
                    format!(
                        "a reviewed file says who reviewed it and when; add {} (such as \
                         reviewed-on = 2026-11-01), or set status = \"draft\"",
                        missing.join(", ")
                    ),
                ));
            }
        }
        for (on, key) in [(reviewed_on, "reviewed-on"), (checked_on, "checked-on")] {
            if let (Some(on), Some(due), Some(due_at)) = (on, review_due, &self.review_due)
                && due <= on
            {
                return Err((
                    Some(due_at.span().start),
                    format!("review-due ({due}) must come after {key} ({on})"),
                ));
            }
        }
        Ok(Review {
            version,
            status,
            reviewed_by,
            reviewed_on,
            checked_on,
            review_due,
        })
    }
}

/// A TOML date (`2026-11-01`, with no time) as a civil date.
fn date(value: Option<&Spanned<Datetime>>, key: &str) -> Result<Option<Date>, ReviewError> {
    let Some(value) = value else {
        return Ok(None);
    };
    let at = Some(value.span().start);
    let datetime = value.get_ref();
    if datetime.date.is_none() || datetime.time.is_some() {
        return Err((
            at,
            format!("`{key}` must be a date, written like {key} = 2026-11-01"),
        ));
    }
    toml_date(datetime)
        .map(Some)
        .ok_or_else(|| (at, format!("`{key}` = {datetime} is not a date")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> Result<Review, String> {
        let raw: RawReview = toml::from_str(text).map_err(|error| error.to_string())?;
        raw.check().map_err(|(_, message)| message)
    }

    #[test]
    fn a_reviewed_file_says_who_and_when() {
        let review = check(
            "version = 3\nstatus = \"reviewed\"\nreviewed-by = \"Consultant midwife\"\n\
             reviewed-on = 2026-11-01\nreview-due = 2028-11-01\n",
        )
        .unwrap();
        assert_eq!(review.version, 3);
        assert!(!review.is_draft());
        assert_eq!(review.reviewed_by.as_deref(), Some("Consultant midwife"));
        assert_eq!(review.reviewed_on, Some(jiff::civil::date(2026, 11, 1)));
        assert_eq!(review.review_due, Some(jiff::civil::date(2028, 11, 1)));
        assert!(!review.is_overdue(jiff::civil::date(2028, 11, 1)));
        assert!(review.is_overdue(jiff::civil::date(2028, 11, 2)));
        assert!(review.is_due_within(jiff::civil::date(2028, 9, 10), 60));
        assert!(!review.is_due_within(jiff::civil::date(2028, 8, 1), 60));

        let error =
            check("version = 3\nstatus = \"reviewed\"\nreviewed-on = 2026-11-01\n").unwrap_err();
        assert!(error.contains("add reviewed-by, review-due"), "{error}");
    }

    #[test]
    fn a_checked_file_says_when_and_names_no_reviewer() {
        let review = check(
            "version = 2\nstatus = \"checked\"\nchecked-on = 2026-12-02\n\
             review-due = 2028-12-02\n",
        )
        .unwrap();
        assert_eq!(review.status, Status::Checked);
        assert!(!review.is_draft());
        assert_eq!(review.reviewed_by, None);
        assert_eq!(review.checked_on, Some(jiff::civil::date(2026, 12, 2)));
        assert!(review.is_overdue(jiff::civil::date(2028, 12, 3)));
    }

    #[test]
    fn a_draft_needs_only_its_version() {
        let review = check("version = 1\nstatus = \"draft\"\n").unwrap();
        assert!(review.is_draft());
        assert!(!review.is_overdue(jiff::civil::date(2099, 1, 1)));
    }

    #[test]
    fn every_mistake_is_named() {
        for (text, message) in [
            ("status = \"draft\"", "has no `version`"),
            ("version = 1", "has no `status`"),
            ("version = 0\nstatus = \"draft\"", "from 1, not 0"),
            (
                "version = 1\nstatus = \"approved\"",
                "unknown variant `approved`",
            ),
            (
                "version = 1\nstatus = \"checked\"\nreview-due = 2028-11-01",
                "add checked-on (such as",
            ),
            (
                "version = 1\nstatus = \"checked\"\nreviewed-by = \"Clinical notes\"\n\
                 checked-on = 2026-11-01\nreview-due = 2028-11-01",
                "a checked file names no reviewer; remove `reviewed-by`",
            ),
            (
                "version = 1\nstatus = \"checked\"\nchecked-on = 2026-11-01\n\
                 review-due = 2026-10-01",
                "must come after checked-on",
            ),
            (
                "version = 1\nstatus = \"draft\"\nreview-due = 2026-11-01T10:00:00",
                "must be a date",
            ),
            (
                "version = 1\nstatus = \"draft\"\nreviewed-on = 2026-11-01\nreview-due = 2026-10-01",
                "must come after reviewed-on",
            ),
        ] {
            let error = check(text).unwrap_err();
            assert!(error.contains(message), "{text}: {error}");
        }
    }
}

//! A topic file's clinical governance: which version of the text it is,
//! whether a clinician has reviewed it, and when it is due for review again.
//!
//! ```toml
//! version = 3
//! status = "reviewed"            # or "draft"
//! reviewed-by = "Consultant midwife, Riverside Practice"
//! reviewed-on = 2026-11-01       # TOML dates
//! review-due = 2028-11-01
//! ```
//!
//! A file is a draft until a clinician who reads its language has reviewed
//! it; a draft never reaches a patient unnoticed.

use jiff::civil::Date;
use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

/// Whether a clinician has reviewed the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Not yet clinically reviewed: printed with a draft line, and refused by
    /// `batch` unless drafts are allowed.
    Draft,
    /// Reviewed, by whom and when the file says.
    Reviewed,
}

impl Status {
    /// The word the file uses.
    pub fn key(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Reviewed => "reviewed",
        }
    }
}

/// The review record of a topic file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    /// The text's version, counted up with every change.
    pub version: u32,
    /// Draft or reviewed.
    pub status: Status,
    /// Who reviewed it: a role and a place, such as "Consultant midwife,
    /// Riverside Practice".
    pub reviewed_by: Option<String>,
    /// When it was reviewed.
    pub reviewed_on: Option<Date>,
    /// When it must be reviewed again.
    pub review_due: Option<Date>,
}

impl Review {
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
}

/// The review keys as the file writes them.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct RawReview {
    pub version: Option<Spanned<i64>>,
    pub status: Option<Spanned<Status>>,
    pub reviewed_by: Option<Spanned<String>>,
    pub reviewed_on: Option<Spanned<Datetime>>,
    pub review_due: Option<Spanned<Datetime>>,
}

/// A problem with the review keys: where (a byte offset into the file, or
/// none for the whole file) and what.
pub(crate) type ReviewError = (Option<usize>, String);

impl RawReview {
    /// The review record, checked: a version and a status always, and who,
    /// when and when next for a reviewed file.
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
                 reviewed-on and review-due"
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
        let review_due = date(self.review_due.as_ref(), "review-due")?;
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
        if let (Some(on), Some(due), Some(due_at)) = (reviewed_on, review_due, &self.review_due)
            && due <= on
        {
            return Err((
                Some(due_at.span().start),
                format!("review-due ({due}) must come after reviewed-on ({on})"),
            ));
        }
        Ok(Review {
            version,
            status,
            reviewed_by,
            reviewed_on,
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
    let Some(day) = datetime.date.filter(|_| datetime.time.is_none()) else {
        return Err((
            at,
            format!("`{key}` must be a date, written like {key} = 2026-11-01"),
        ));
    };
    Date::new(day.year as i16, day.month as i8, day.day as i8)
        .map(Some)
        .map_err(|_| (at, format!("`{key}` = {datetime} is not a date")))
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
                "version = 1\nstatus = \"checked\"",
                "unknown variant `checked`",
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

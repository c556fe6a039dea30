//! One patient's request, as any front end gives it (the command line, a
//! roster row, a web form), validated in one place into the words of a
//! handout.
//!
//! ```
//! use handout_content::{Library, Practice, RawRequest, RequestContext};
//!
//! let library = Library::builtin();
//! let practice = Practice::default();
//! let context = RequestContext::new(&library, &practice, jiff::civil::date(2026, 11, 25));
//! let raw = RawRequest {
//!     name: Some("Ana López".into()),
//!     weeks: Some("28+3".into()),
//!     picks: vec![("prevention".into(), "walking, fluids".into())],
//!     ..RawRequest::default()
//! };
//! let request = raw.validate(&context)?;
//! assert_eq!(request.handout.printed_ids("prevention"), ["walking", "fluids"]);
//! # Ok::<(), handout_content::RequestError>(())
//! ```

use jiff::civil::Date;

use crate::dates::{DateOrder, read_date};
use crate::error::InputError;
use crate::handout::{Choice, Handout, Picks};
use crate::library::{Library, LookupError};
use crate::patient::{
    Patient, Pregnancy, check_name, check_note, parse_weeks, weeks_from_due_date,
};
use crate::practice::{Paper, Practice};
use crate::text::excerpt;
use crate::topic::Topic;

/// A request as given: text, as typed or as read from a cell.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawRequest {
    /// The topic's id; the only topic there is when left out.
    pub topic: Option<String>,
    /// The language; the topic's only one, or English, when left out.
    pub language: Option<String>,
    /// The patient's name; none makes a blank sheet.
    pub name: Option<String>,
    /// Weeks of pregnancy, as midwives write them (`28+3`).
    pub weeks: Option<String>,
    /// The due date: `2026-11-25`, or day and month in the order given.
    pub due_date: Option<String>,
    /// The midwife's note.
    pub note: Option<String>,
    /// The midwife's name; the practice's when left out.
    pub midwife: Option<String>,
    /// The date printed; today when left out.
    pub date: Option<String>,
    /// "a4" or "letter"; the practice's when left out.
    pub paper: Option<String>,
    /// Item ids (or printed leads) to print, by `choose` section key, as a
    /// list such as "walking, fluids"; "none" for none, empty for the
    /// defaults.
    pub picks: Vec<(String, String)>,
}

/// What a request is checked against.
#[derive(Debug, Clone, Copy)]
pub struct RequestContext<'a> {
    /// The topics there are.
    pub library: &'a Library,
    /// The practice's details.
    pub practice: &'a Practice,
    /// Today, the date printed when none is given.
    pub today: Date,
    /// How to read a date such as `05/11/2026`.
    pub date_order: Option<DateOrder>,
    /// The paper a front end's own option asks for, over the practice's.
    pub paper: Option<Paper>,
}

impl<'a> RequestContext<'a> {
    /// A context with no date order: only dates that read one way.
    pub fn new(library: &'a Library, practice: &'a Practice, today: Date) -> RequestContext<'a> {
        RequestContext {
            library,
            practice,
            today,
            date_order: None,
            paper: None,
        }
    }
}

/// Which part of a request a problem is in, so that each front end can
/// say where: an option, a column, a form field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// The topic.
    Topic,
    /// The language.
    Language,
    /// The patient's name.
    Name,
    /// The weeks.
    Weeks,
    /// The due date.
    DueDate,
    /// The note.
    Note,
    /// The midwife.
    Midwife,
    /// The date printed.
    Date,
    /// The paper size.
    Paper,
    /// The picks for the `choose` section with this key.
    Pick(String),
}

/// A request that cannot be printed: which part, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct RequestError {
    /// Where the problem is.
    pub part: Part,
    /// What is wrong and what to do.
    pub message: String,
}

impl RequestError {
    fn new(part: Part, message: impl ToString) -> RequestError {
        RequestError {
            part,
            message: message.to_string(),
        }
    }
}

/// A valid request: the topic, the handout's words, and the paper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request<'t> {
    /// The topic printed.
    pub topic: &'t Topic,
    /// Every word of the handout.
    pub handout: Handout,
    /// The paper size.
    pub paper: Paper,
}

impl RawRequest {
    /// Checks every part of the request and resolves the handout's words.
    /// The first problem found is returned, with its part.
    pub fn validate<'t>(&self, context: &RequestContext<'t>) -> Result<Request<'t>, RequestError> {
        let given = |value: &Option<String>| {
            value
                .as_deref()
                .map(str::trim)
                .filter(|value| !value.is_empty())
                .map(str::to_string)
        };
        let topic = context
            .library
            .topic(
                given(&self.topic).as_deref(),
                given(&self.language).as_deref(),
            )
            .map_err(|error| {
                let part = match error {
                    LookupError::NoLanguage { .. } | LookupError::WhichLanguage { .. } => {
                        Part::Language
                    }
                    _ => Part::Topic,
                };
                RequestError::new(part, error)
            })?;

        let date = match given(&self.date) {
            Some(text) => read_full_date("date", &text, context.date_order)
                .map_err(|message| RequestError::new(Part::Date, message))?,
            None => context.today,
        };
        let name = check_name("name", self.name.as_deref().unwrap_or(""))
            .map_err(|error| RequestError::new(Part::Name, error))?;
        let pregnancy = match (given(&self.weeks), given(&self.due_date)) {
            (Some(_), Some(_)) => {
                return Err(RequestError::new(
                    Part::Weeks,
                    "both weeks and due date are given; keep one",
                ));
            }
            (Some(weeks), None) => Some(Pregnancy::Weeks(
                parse_weeks(&weeks).map_err(|error| RequestError::new(Part::Weeks, error))?,
            )),
            (None, Some(due)) => {
                let due = read_full_date("due date", &due, context.date_order)
                    .map_err(|message| RequestError::new(Part::DueDate, message))?;
                weeks_from_due_date(due, date)
                    .map_err(|error| RequestError::new(Part::DueDate, error))?;
                Some(Pregnancy::DueDate(due))
            }
            (None, None) => None,
        };
        let note = check_note(self.note.as_deref().unwrap_or(""))
            .map_err(|error| RequestError::new(Part::Note, error))?;
        let midwife = check_name("midwife", self.midwife.as_deref().unwrap_or(""))
            .map_err(|error| RequestError::new(Part::Midwife, error))?;
        let paper = match given(&self.paper) {
            Some(name) => Paper::from_name(&name).ok_or_else(|| {
                RequestError::new(
                    Part::Paper,
                    format!("paper '{}' is not a4 or letter", excerpt(&name)),
                )
            })?,
            None => context.paper.or(context.practice.paper).unwrap_or_default(),
        };
        let mut picks = Picks::new();
        for (key, ids) in &self.picks {
            let key = key.trim().to_lowercase();
            crate::handout::check_pick_section(topic, &key)
                .map_err(|error| RequestError::new(Part::Pick(key.clone()), error))?;
            picks.set(key, Choice::parse(ids));
        }
        let patient = Patient {
            name,
            pregnancy,
            note,
            midwife,
        };
        let handout =
            Handout::resolve(topic, context.practice, &patient, &picks, date).map_err(|error| {
                let part = match &error {
                    InputError::UnknownItem { section, .. } => Part::Pick(section.clone()),
                    InputError::UnknownSection { key, .. } | InputError::NotChoose { key, .. } => {
                        Part::Pick(key.clone())
                    }
                    _ => Part::DueDate,
                };
                RequestError::new(part, error)
            })?;
        Ok(Request {
            topic,
            handout,
            paper,
        })
    }
}

/// A date with a four-digit year: ISO, or day and month in the one order
/// it can be read in (or the order given).
fn read_full_date(what: &str, text: &str, order: Option<DateOrder>) -> Result<Date, String> {
    let reading = read_date(text).map_err(|reason| format!("{what} {reason}"))?;
    reading.in_order(order).ok_or_else(|| {
        format!(
            "{what} '{}' can be read day first or month first; write it as YYYY-MM-DD, like \
             2026-11-25",
            excerpt(text)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn validate(raw: RawRequest) -> Result<Request<'static>, RequestError> {
        let library = Box::leak(Box::new(Library::builtin()));
        let practice = Box::leak(Box::new(Practice::default()));
        raw.validate(&RequestContext::new(
            library,
            practice,
            jiff::civil::date(2026, 11, 25),
        ))
    }

    #[test]
    fn every_part_is_checked_and_named() {
        let cases = [
            (
                RawRequest {
                    weeks: Some("43".into()),
                    ..RawRequest::default()
                },
                Part::Weeks,
            ),
            (
                RawRequest {
                    due_date: Some("2026-11-24".into()),
                    ..RawRequest::default()
                },
                Part::DueDate,
            ),
            (
                RawRequest {
                    due_date: Some("05/11/2027".into()),
                    ..RawRequest::default()
                },
                Part::DueDate,
            ),
            (
                RawRequest {
                    name: Some("A\u{7}".into()),
                    ..RawRequest::default()
                },
                Part::Name,
            ),
            (
                RawRequest {
                    note: Some("x".repeat(601)),
                    ..RawRequest::default()
                },
                Part::Note,
            ),
            (
                RawRequest {
                    date: Some("2026-02-30".into()),
                    ..RawRequest::default()
                },
                Part::Date,
            ),
            (
                RawRequest {
                    paper: Some("a5".into()),
                    ..RawRequest::default()
                },
                Part::Paper,
            ),
            (
                RawRequest {
                    topic: Some("back".into()),
                    ..RawRequest::default()
                },
                Part::Topic,
            ),
            (
                RawRequest {
                    language: Some("fr".into()),
                    ..RawRequest::default()
                },
                Part::Language,
            ),
            (
                RawRequest {
                    picks: vec![("treatment".into(), "hot-bath".into())],
                    ..RawRequest::default()
                },
                Part::Pick("treatment".into()),
            ),
            (
                RawRequest {
                    picks: vec![("causes".into(), "minerals".into())],
                    ..RawRequest::default()
                },
                Part::Pick("causes".into()),
            ),
            (
                RawRequest {
                    picks: vec![("preventoin".into(), "walking".into())],
                    ..RawRequest::default()
                },
                Part::Pick("preventoin".into()),
            ),
        ];
        for (raw, part) in cases {
            let error = validate(raw.clone()).unwrap_err();
            assert_eq!(error.part, part, "{raw:?}: {error}");
        }
        let error = validate(RawRequest {
            picks: vec![("causes".into(), "minerals".into())],
            ..RawRequest::default()
        })
        .unwrap_err();
        assert!(error.message.contains("is an info section"), "{error}");
    }

    #[test]
    fn a_good_request_gives_its_handout() {
        let request = validate(RawRequest {
            name: Some("Ana".into()),
            due_date: Some("17/02/2027".into()),
            picks: vec![
                ("prevention".into(), "walking".into()),
                ("treatment".into(), "none".into()),
            ],
            paper: Some("Letter".into()),
            ..RawRequest::default()
        })
        .unwrap();
        assert_eq!(request.paper, Paper::Letter);
        assert_eq!(request.handout.printed_ids("prevention"), ["walking"]);
        assert_eq!(request.handout.printed_ids("treatment"), Vec::<&str>::new());
        assert_eq!(
            request.handout.picks_record(),
            "prevention=walking; treatment="
        );
    }
}

//! One patient's request, as any front end gives it (the command line, a
//! roster row, a web form), validated in one place into the words of a
//! handout.
//!
//! ```
//! use handout_content::{Choice, Library, Pick, Practice, RawRequest, RequestContext};
//!
//! let library = Library::builtin();
//! let practice = Practice::default();
//! let context = RequestContext::new(&library, &practice, jiff::civil::date(2026, 11, 25));
//! let raw = RawRequest {
//!     name: Some("Ana López".into()),
//!     weeks: Some("28+3".into()),
//!     picks: vec![Pick::new("prevention", Choice::parse("walking, fluids"))],
//!     ..RawRequest::default()
//! };
//! let request = raw.validate(&context)?;
//! assert_eq!(request.handout.printed_ids("prevention"), ["walking", "fluids"]);
//! # Ok::<(), handout_content::RequestError>(())
//! ```

use jiff::civil::Date;

use crate::dates::{DateOrder, check_handout_date, read_date};
use crate::error::InputError;
use crate::handout::{Handout, check_pick_section};
use crate::library::{Library, LookupError};
use crate::patient::{
    Patient, Pregnancy, check_name, check_note, days_from_due_date, parse_gestation,
};
use crate::picks::Picks;
use crate::practice::{Paper, Practice};
use crate::raw::RawRequest;
use crate::text::{excerpt, given, language_tag};
use crate::topic::Topic;

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
    /// Large print, when a front end's own option asks for it, over the
    /// practice's default.
    pub large_print: Option<bool>,
    /// Pictures beside the advice, or bullets, when a front end's own
    /// option says, over the practice's choice.
    pub pictures: Option<bool>,
    /// The topic of a request that names none, such as a roster row with
    /// an empty topic cell.
    pub topic: Option<&'a str>,
    /// Likewise, the language.
    pub language: Option<&'a str>,
    /// Whether a request that gives both weeks and a due date prints the
    /// due date's weeks, which are right on any date, instead of being
    /// refused: a records system's export gives both, where a person typing
    /// one handout gives one.
    pub due_date_over_weeks: bool,
}

impl<'a> RequestContext<'a> {
    /// The paper of a request that names none: the front end's option,
    /// then the practice's, then A4.
    pub fn paper(&self) -> Paper {
        self.paper.or(self.practice.paper).unwrap_or_default()
    }

    /// Whether a request that does not say prints in large print: the
    /// front end's option, then the practice's default, then not.
    pub fn large_print(&self) -> bool {
        self.large_print
            .or(self.practice.large_print)
            .unwrap_or(false)
    }

    /// Whether a request that does not say prints pictures, if anything
    /// says: the front end's option, then the practice's choice.
    pub fn pictures(&self) -> Option<bool> {
        self.pictures.or(self.practice.pictures)
    }

    /// A context in which dates read in the practice's order, if it gives
    /// one, and otherwise only dates that read one way.
    pub fn new(library: &'a Library, practice: &'a Practice, today: Date) -> RequestContext<'a> {
        RequestContext {
            library,
            practice,
            today,
            date_order: practice.date_order,
            paper: None,
            large_print: None,
            pictures: None,
            topic: None,
            language: None,
            due_date_over_weeks: false,
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
    /// The note's language.
    NoteLanguage,
    /// The midwife.
    Midwife,
    /// The date printed.
    Date,
    /// The paper size.
    Paper,
    /// Whether to print in large print.
    LargePrint,
    /// The picks for the `choose` section with this key.
    Pick(String),
    /// The topic's file, which is broken: the message starts with the
    /// file's own place (`file:line:col`), not the request's.
    Content,
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
    pub handout: Handout<'t>,
    /// The paper size.
    pub paper: Paper,
    /// Whether it prints in large print: every text at 18 pt or more, on
    /// both sides of the sheet.
    pub large_print: bool,
    /// Weeks given beside the due date that was printed, when they are more
    /// than a week off it: a front end warns.
    pub mismatch: Option<WeeksMismatch>,
}

/// Weeks given beside a due date, more than a week off the weeks the due
/// date gives on the handout's date. The due date's are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeeksMismatch {
    /// The weeks as given, and the days when they are written (`28+3`).
    pub given: (u8, Option<u8>),
    /// The weeks and days of pregnancy the due date gives.
    pub from_due_date: (u8, u8),
    /// The handout's date, which the due date's weeks are counted to.
    pub date: Date,
}

impl WeeksMismatch {
    /// How far apart the weeks given and the due date's may be before they
    /// are named: a week, as an export a few days old is off by a few days.
    pub const MOST_DAYS: u16 = 7;

    /// The mismatch of weeks given beside a due date, if they are more than
    /// [`MOST_DAYS`](Self::MOST_DAYS) off. Weeks without days are any day of
    /// that week (`28` is 28+0 to 28+6).
    fn of(given: (u8, Option<u8>), days: u16, date: Date) -> Option<WeeksMismatch> {
        let start = u16::from(given.0) * 7;
        let (low, high) = match given.1 {
            Some(extra) => (start + u16::from(extra), start + u16::from(extra)),
            None => (start, start + 6),
        };
        let off = low.saturating_sub(days).max(days.saturating_sub(high));
        (off > Self::MOST_DAYS).then_some(WeeksMismatch {
            given,
            from_due_date: ((days / 7) as u8, (days % 7) as u8),
            date,
        })
    }
}

impl std::fmt::Display for WeeksMismatch {
    /// "the weeks given (28) are more than a week off the 31+2 its due
    /// date gives on 2026-11-25: printed 31 weeks, from the due date; check
    /// the patient's record".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let given = match self.given {
            (weeks, Some(days)) => format!("{weeks}+{days}"),
            (weeks, None) => weeks.to_string(),
        };
        let (weeks, days) = self.from_due_date;
        write!(
            f,
            "the weeks given ({given}) are more than a week off the {weeks}+{days} its due date \
             gives on {}: printed {weeks} {}, from the due date; check the patient's record",
            self.date,
            if weeks == 1 { "week" } else { "weeks" }
        )
    }
}

impl RawRequest {
    /// Checks every part of the request and resolves the handout's words.
    /// The first problem found is returned, with its part.
    pub fn validate<'t>(&self, context: &RequestContext<'t>) -> Result<Request<'t>, RequestError> {
        let topic = context
            .library
            .topic(
                given(&self.topic).or(context.topic),
                given(&self.language).or(context.language),
            )
            .map_err(|error| {
                let part = match error {
                    LookupError::NoLanguage { .. } | LookupError::WhichLanguage { .. } => {
                        Part::Language
                    }
                    LookupError::Broken(_) => Part::Content,
                    _ => Part::Topic,
                };
                RequestError::new(part, error)
            })?;

        let date = match given(&self.date) {
            Some(text) => read_full_date("date", text, context.date_order)
                .and_then(|date| {
                    check_handout_date(date)
                        .map(|()| date)
                        .map_err(|reason| format!("date {reason}"))
                })
                .map_err(|message| RequestError::new(Part::Date, message))?,
            None => context.today,
        };
        let name = check_name("name", self.name.as_deref().unwrap_or(""))
            .map_err(|error| RequestError::new(Part::Name, error))?;
        let weeks = match given(&self.weeks) {
            Some(weeks) => Some(
                parse_gestation(weeks).map_err(|error| RequestError::new(Part::Weeks, error))?,
            ),
            None => None,
        };
        let mut mismatch = None;
        let pregnancy = match (weeks, given(&self.due_date)) {
            (Some(_), Some(_)) if !context.due_date_over_weeks => {
                return Err(RequestError::new(
                    Part::Weeks,
                    "both weeks and due date are given; keep one",
                ));
            }
            (Some((weeks, _)), None) => Some(Pregnancy::Weeks(weeks)),
            (weeks, Some(due)) => {
                let due = read_full_date("due date", due, context.date_order)
                    .map_err(|message| RequestError::new(Part::DueDate, message))?;
                let days = days_from_due_date(due, date)
                    .map_err(|error| RequestError::new(Part::DueDate, error))?;
                mismatch = weeks.and_then(|weeks| WeeksMismatch::of(weeks, days, date));
                Some(Pregnancy::DueDate(due))
            }
            (None, None) => None,
        };
        let note = check_note(self.note.as_deref().unwrap_or(""))
            .map_err(|error| RequestError::new(Part::Note, error))?;
        let note_language = given(&self.note_language)
            .map(|tag| {
                language_tag(tag).ok_or_else(|| {
                    RequestError::new(
                        Part::NoteLanguage,
                        format!(
                            "the note's language '{}' is not a language tag; give one such as \
                             \"ar\", \"ur\" or \"pl\", or leave it empty for the leaflet's \
                             language",
                            excerpt(tag)
                        ),
                    )
                })
            })
            .transpose()?;
        let midwife = check_name("midwife", self.midwife.as_deref().unwrap_or(""))
            .map_err(|error| RequestError::new(Part::Midwife, error))?;
        let paper = match given(&self.paper) {
            Some(name) => Paper::from_name(name).ok_or_else(|| {
                RequestError::new(
                    Part::Paper,
                    format!("paper '{}' is not a4 or letter", excerpt(name)),
                )
            })?,
            None => context.paper(),
        };
        let large_print = match given(&self.large_print) {
            Some(text) => parse_yes_no(text).ok_or_else(|| {
                RequestError::new(
                    Part::LargePrint,
                    format!(
                        "large print '{}' is not yes or no; leave it empty for the practice's \
                         choice",
                        excerpt(text)
                    ),
                )
            })?,
            None => context.large_print(),
        };
        let mut picks = Picks::new();
        for pick in &self.picks {
            let key = pick.section.trim().to_lowercase();
            check_pick_section(topic, &key)
                .map_err(|error| RequestError::new(Part::Pick(key.clone()), error))?;
            if picks.iter().any(|(known, _)| known == key) {
                return Err(RequestError::new(
                    Part::Pick(key.clone()),
                    format!(
                        "the items of section '{key}' are given twice; give them once, \
                         separated by commas"
                    ),
                ));
            }
            picks.set(key, pick.choice.clone());
        }
        let patient = Patient {
            name,
            pregnancy,
            note,
            midwife,
        };
        let asked = given(&self.language).or(context.language);
        let mut handout = Handout::resolve(topic, context.practice, &patient, &picks, date, asked)
            .map_err(|error| {
                let part = match &error {
                    InputError::UnknownItem { section, .. } => Part::Pick(section.clone()),
                    InputError::UnknownSection { key, .. } | InputError::NotChoose { key, .. } => {
                        Part::Pick(key.clone())
                    }
                    _ => Part::DueDate,
                };
                RequestError::new(part, error)
            })?;
        if !self.pictures.or(context.pictures()).unwrap_or(true) {
            handout.leave_out_pictures();
        }
        // Only a note has a language of its own, and only when it differs.
        handout.note_language = note_language
            .filter(|tag| handout.note.is_some() && !tag.eq_ignore_ascii_case(handout.wording));
        Ok(Request {
            topic,
            handout,
            paper,
            large_print,
            mismatch,
        })
    }
}

/// Reads a yes or a no as a spreadsheet cell or a form gives it: `yes`,
/// `y`, `true`, `1`, `x` or a tick mark, or `no`, `n`, `false`, `0`, in any
/// case.
pub fn parse_yes_no(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "x" | "✓" | "✔" | "on" => Some(true),
        "no" | "n" | "false" | "0" | "off" => Some(false),
        _ => None,
    }
}

/// A date with a four-digit year: ISO, or day and month in the one order
/// it can be read in (or the order given).
fn read_full_date(what: &str, text: &str, order: Option<DateOrder>) -> Result<Date, String> {
    let reading = read_date(text).map_err(|reason| format!("{what} {reason}"))?;
    reading.in_order(order).ok_or_else(|| {
        format!(
            "{what} '{}' can be read day first or month first; write it as YYYY-MM-DD, like \
             2026-11-25, or say once in the practice file how your practice writes dates: \
             date-order = \"dmy\" (day first) or \"mdy\"",
            excerpt(text)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::picks::{Choice, Pick};

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
                    large_print: Some("maybe".into()),
                    ..RawRequest::default()
                },
                Part::LargePrint,
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
                    picks: vec![Pick::new("treatment", Choice::parse("hot-bath"))],
                    ..RawRequest::default()
                },
                Part::Pick("treatment".into()),
            ),
            (
                RawRequest {
                    picks: vec![Pick::new("causes", Choice::parse("minerals"))],
                    ..RawRequest::default()
                },
                Part::Pick("causes".into()),
            ),
            (
                RawRequest {
                    picks: vec![Pick::new("preventoin", Choice::parse("walking"))],
                    ..RawRequest::default()
                },
                Part::Pick("preventoin".into()),
            ),
        ];
        for (raw, part) in cases {
            let error = validate(raw.clone()).unwrap_err();
            assert_eq!(error.part, part, "{raw:?}: {error}");
            // The message names what it is about.
            let named = match &part {
                Part::Topic => "topic",
                Part::Language => "language",
                Part::Name => "name",
                Part::Weeks => "weeks",
                Part::DueDate => "due date",
                Part::Date => "date",
                Part::Paper => "paper",
                Part::LargePrint => "large print",
                Part::Pick(key) => key.as_str(),
                Part::Midwife => "midwife",
                Part::Note => "note",
                Part::NoteLanguage => "note",
                Part::Content => "file",
            };
            assert!(error.message.contains(named), "{part:?}: {error}");
        }
        let error = validate(RawRequest {
            midwife: Some("Jo\u{7}".into()),
            ..RawRequest::default()
        })
        .unwrap_err();
        assert_eq!(error.part, Part::Midwife);
        assert!(
            error.message.starts_with("midwife has a control character"),
            "{error}"
        );
        let error = validate(RawRequest {
            note: Some("x".repeat(601)),
            ..RawRequest::default()
        })
        .unwrap_err();
        assert!(
            error.message.starts_with("note is 601 characters long"),
            "{error}"
        );
        // A topic whose file is broken: the file is at fault, and named.
        let mut library = Library::builtin();
        library.add_file("d/bad.en.toml", "bad.en.toml", b"id = ");
        let practice = Practice::default();
        let context = RequestContext::new(&library, &practice, jiff::civil::date(2026, 11, 25));
        let error = RawRequest {
            topic: Some("bad".into()),
            ..RawRequest::default()
        }
        .validate(&context)
        .unwrap_err();
        assert_eq!(error.part, Part::Content);
        assert!(error.message.starts_with("d/bad.en.toml:1:"), "{error}");
        let error = validate(RawRequest {
            picks: vec![Pick::new("causes", Choice::parse("minerals"))],
            ..RawRequest::default()
        })
        .unwrap_err();
        assert!(error.message.contains("is an info section"), "{error}");
    }

    #[test]
    fn a_section_is_picked_once() {
        let error = validate(RawRequest {
            picks: vec![
                Pick::new("prevention", Choice::parse("walking")),
                Pick::new("Prevention", Choice::parse("fluids")),
            ],
            ..RawRequest::default()
        })
        .unwrap_err();
        assert_eq!(error.part, Part::Pick("prevention".into()));
        assert!(error.message.contains("given twice"), "{error}");
    }

    #[test]
    fn a_good_request_gives_its_handout() {
        let request = validate(RawRequest {
            name: Some("Ana".into()),
            due_date: Some("17/02/2027".into()),
            picks: vec![
                Pick::new("prevention", Choice::parse("walking")),
                Pick::new("treatment", Choice::parse("none")),
            ],
            paper: Some("Letter".into()),
            ..RawRequest::default()
        })
        .unwrap();
        assert_eq!(request.paper, Paper::Letter);
        assert!(!request.large_print);
        assert_eq!(request.handout.printed_ids("prevention"), ["walking"]);
        assert_eq!(request.handout.printed_ids("treatment"), Vec::<&str>::new());
        assert_eq!(
            request.handout.picks_record(),
            "prevention=walking; treatment="
        );
    }
}

#[cfg(test)]
mod large_print_tests {
    use super::*;

    #[test]
    fn large_print_comes_from_the_request_then_the_front_end_then_the_practice() {
        let library = Library::builtin();
        let mut practice = Practice::default();
        let today = jiff::civil::date(2026, 11, 25);
        let raw = |cell: Option<&str>| RawRequest {
            large_print: cell.map(str::to_string),
            ..RawRequest::default()
        };
        let large = |context: &RequestContext<'_>, cell: Option<&str>| {
            raw(cell).validate(context).unwrap().large_print
        };
        let context = RequestContext::new(&library, &practice, today);
        assert!(!large(&context, None));
        for yes in ["yes", "Y", "TRUE", "1", "x", " ✓ "] {
            assert!(large(&context, Some(yes)), "{yes}");
        }
        for no in ["no", "N", "false", "0", ""] {
            assert!(!large(&context, Some(no)), "{no}");
        }
        let front_end = RequestContext {
            large_print: Some(true),
            ..context
        };
        assert!(large(&front_end, None));
        assert!(!large(&front_end, Some("no")), "a row's own cell decides");
        practice.large_print = Some(true);
        let context = RequestContext::new(&library, &practice, today);
        assert!(large(&context, None), "the practice's default");
        let not = RequestContext {
            large_print: Some(false),
            ..context
        };
        assert!(
            !large(&not, None),
            "the front end's option over the practice's"
        );
    }
}

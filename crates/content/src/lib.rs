//! The words of a handout: the topics, the practice's details and one
//! patient's request, parsed, checked and resolved into a [`Handout`].
//!
//! Topics are data ([`Topic`]): sections with roles, items with sources. A
//! [`Library`] holds the built-in topics and a practice's own. One request
//! type ([`RawRequest`]) is validated in one place, whatever front end
//! builds it. Rosters ([`Roster`]) are read as spreadsheets and records
//! systems export them, and each row is checked as any request is
//! ([`Roster::request`]).
//!
//! The modules read in one direction, each using only those listed before
//! it:
//! - `text`, `suggest`, `error`: quoting values back, "did you mean",
//!   located errors;
//! - `dates`, `patient`, `picks`, `raw`: dates, a patient's details, the
//!   picks and the request as given, checked one value at a time;
//! - `roster`: reading a roster's bytes into rows, knowing nothing of topics;
//! - `topic`, `approval`, `practice`, `library`: the topics, a practice's
//!   clinical lead's approvals of them, and where they come from;
//! - `handout`, `request`, `row`: resolving one request, or one roster row,
//!   into the words of a handout.
//!
//! This crate knows nothing of fonts, layout or PDF; `handout-render` takes a
//! [`Handout`] from here and puts it on a page.
//!
//! ```
//! use handout_content::{Library, Practice, RawRequest, RequestContext};
//!
//! let library = Library::builtin();
//! let practice = Practice::default();
//! let context = RequestContext::new(&library, &practice, jiff::civil::date(2026, 11, 25));
//! let raw = RawRequest { name: Some("Ana López".into()), ..RawRequest::default() };
//! let handout = raw.validate(&context)?.handout;
//! let byline: Vec<_> = handout.byline.iter().filter_map(|field| field.value.as_deref()).collect();
//! assert_eq!(byline, ["Prepared for Ana López", "25 November 2026"]);
//! # Ok::<(), handout_content::RequestError>(())
//! ```

#![warn(missing_docs)]

mod approval;
mod dates;
mod error;
mod handout;
mod library;
pub mod more_info;
mod patient;
mod picks;
pub mod picture;
mod practice;
#[cfg(test)]
mod proptests;
mod raw;
pub mod readability;
mod request;
mod roster;
mod row;
mod suggest;
mod text;
mod topic;

pub use approval::{APPROVER_PLACEHOLDER, Approval, SignOff, approval_entry, approve_command};
pub use dates::{DateOrder, HANDOUT_YEARS, check_handout_date, parse_date};
pub use error::{ContentError, InputError, Location, utf8_text};
pub use handout::{Field, FieldKind, Handout, HandoutItem, HandoutSection, format_date};
pub use library::{Entry, Library, LookupError, Origin};
pub use patient::{
    MAX_NAME_CHARS, MAX_NOTE_CHARS, Patient, Pregnancy, check_name, check_note, parse_weeks,
    weeks_from_due_date,
};
pub use picks::{Choice, Pick, Picks};
pub use practice::{Paper, Practice};
pub use raw::RawRequest;
pub use readability::{Grades, Readability, ReadingAge};
pub use request::{Part, Request, RequestContext, RequestError, WeeksMismatch, parse_yes_no};
pub use roster::{
    COLUMNS, Cells, ColumnError, Encoding, Overflow, Roster, RosterError, RosterField,
    RosterOptions, RosterRow, RowProblem,
};
pub use row::RowError;
pub use text::{EXCERPT_CHARS, excerpt, is_bidi_control, is_format_char, lower_hex, sha256_hex};
pub use topic::{
    BUILTIN_TOPICS, Item, LEG_CRAMPS_EN, Labels, Review, ReviewWarning, Section, SectionRole,
    Source, Status, Topic, is_reserved_key, schema,
};

/// Re-exported so callers name dates with the same type.
pub use jiff::civil::Date;

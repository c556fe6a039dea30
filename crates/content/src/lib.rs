//! The words of a handout: the topics, the practice's details and one
//! patient's request, parsed, checked and resolved into a [`Handout`].
//!
//! Topics are data ([`Topic`]): sections with roles, items with sources. A
//! [`Library`] holds the built-in topics and a practice's own. One request
//! type ([`RawRequest`]) is validated in one place, whatever front end
//! builds it. Rosters ([`Roster`]) are read as spreadsheets and records
//! systems export them.
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

mod columns;
mod dates;
mod encoding;
mod error;
mod handout;
mod labels;
mod library;
mod patient;
mod practice;
#[cfg(test)]
mod proptests;
pub mod readability;
mod records;
mod request;
mod review;
mod roster;
mod text;
mod topic;

pub use columns::Column;
pub use dates::DateOrder;
pub use encoding::Encoding;
pub use error::{ContentError, InputError, Location, utf8_text};
pub use handout::{
    Choice, Field, FieldKind, Handout, HandoutItem, HandoutSection, Picks, format_date,
};
pub use labels::Labels;
pub use library::{Entry, Library, LookupError, Origin};
pub use patient::{
    MAX_NAME_CHARS, MAX_NOTE_CHARS, Patient, Pregnancy, check_name, check_note, parse_date,
    parse_weeks, weeks_from_due_date,
};
pub use practice::{Paper, Practice};
pub use readability::{Grades, Readability};
pub use request::{Part, RawRequest, Request, RequestContext, RequestError};
pub use review::{Review, Status};
pub use roster::{
    COLUMNS, ColumnError, Roster, RosterError, RosterOptions, RosterRow, RowError, RowProblem,
};
pub use text::{EXCERPT_CHARS, excerpt, is_bidi_control, is_format_char};
pub use topic::{
    BUILTIN_TOPICS, Item, LEG_CRAMPS_EN, Role, Section, Source, Topic, is_reserved_key, schema,
};

/// Re-exported so callers name dates with the same type.
pub use jiff::civil::Date;

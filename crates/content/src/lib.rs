//! The words of a handout: the topic text, the practice's details and one
//! patient's choices, parsed, checked and resolved into a [`Handout`].
//!
//! This crate knows nothing of fonts, layout or PDF; `handout-render` takes a
//! [`Handout`] from here and puts it on a page.
//!
//! ```
//! use handout_content::{Handout, Patient, Practice, Selection, Topic};
//!
//! let topic = Topic::builtin().remove(0);
//! let patient = Patient { name: Some("Ana López".into()), ..Patient::default() };
//! let date = jiff::civil::date(2026, 11, 25);
//! let handout =
//!     Handout::resolve(&topic, &Practice::default(), &patient, &Selection::default(), date)?;
//! let byline: Vec<_> = handout.byline.iter().filter_map(|field| field.value.as_deref()).collect();
//! assert_eq!(byline, ["Prepared for Ana López", "25 November 2026"]);
//! # Ok::<(), handout_content::InputError>(())
//! ```

#![warn(missing_docs)]

mod columns;
mod dates;
mod encoding;
mod error;
mod handout;
mod patient;
mod practice;
#[cfg(test)]
mod proptests;
mod records;
mod roster;
mod text;
mod topic;

pub use columns::Column;
pub use dates::DateOrder;
pub use encoding::Encoding;
pub use error::{ContentError, InputError, Location, utf8_text};
pub use handout::{
    Choice, Field, FieldKind, Handout, HandoutItem, HandoutSection, Selection, format_date,
};
pub use patient::{
    MAX_NAME_CHARS, MAX_NOTE_CHARS, Patient, Pregnancy, check_name, check_note, parse_date,
    parse_weeks, weeks_from_due_date,
};
pub use practice::{Paper, Practice};
pub use roster::{
    COLUMNS, ColumnError, Roster, RosterError, RosterOptions, RosterRow, RowError, RowProblem,
    RowRequest,
};
pub use text::{EXCERPT_CHARS, excerpt, is_bidi_control, is_format_char};
pub use topic::{Item, LEG_CRAMPS_EN, Labels, Section, SectionKind, Topic};

/// Re-exported so callers name dates with the same type.
pub use jiff::civil::Date;

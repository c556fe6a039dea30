//! One handout's request as a front end gives it, before anything is
//! checked: the values as typed into an option, a roster cell or a form
//! field. [`RawRequest::validate`] checks it.

use crate::picks::Pick;

/// A request as given: text, as typed or as read from a cell; the picks
/// already as lists of ids.
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
    /// The language the note is written in, as a language tag ("ar",
    /// "ur", "pl"), when it is not the leaflet's: a screen reader reads it
    /// in that language's voice. Never guessed from the script.
    pub note_language: Option<String>,
    /// The midwife's name; the practice's when left out.
    pub midwife: Option<String>,
    /// The date printed; today when left out.
    pub date: Option<String>,
    /// "a4" or "letter"; the practice's when left out.
    pub paper: Option<String>,
    /// Whether to print in large print, "yes" or "no" (see
    /// [`parse_yes_no`](crate::parse_yes_no)); the front end's or the
    /// practice's choice when left out.
    pub large_print: Option<String>,
    /// Whether items print their pictures; the practice's choice, or yes,
    /// when left out. A box on the web page, an option on the command
    /// line: never a roster's cell, so it needs no parsing.
    pub pictures: Option<bool>,
    /// What to print from each `choose` section named; a section left out
    /// prints its defaults.
    pub picks: Vec<Pick>,
}

//! A clinic day: one handout for every row of a roster, made by one engine
//! that every front end calls (`handout batch`, and the web page's roster).
//!
//! A day is made in two steps, so that nothing is written until every row
//! is known to be good or bad:
//! 1. [`Day::check`] checks each row against the topics, resolves its
//!    handout and finds the style its page fits in, on all cores: it
//!    shapes and breaks the text to measure it, but places nothing on a
//!    page and writes nothing. The [`Checked`] day holds each row's
//!    handout or error, the rows of draft topics, the topics past their
//!    review, every file's name and, for a combined PDF, whether it is
//!    for printing on both sides. It prints nothing: each front end shows its
//!    [`Warning`]s, errors and [`Refusal`] in the same words.
//! 2. [`Checked::make`] lays each good row out once and writes its PDF on
//!    all cores, and gives each made handout, in roster order, to every
//!    [`Sink`]: a folder (the binary's, with its safe file writing), a
//!    [`ZipSink`], a [`CombinedSink`]. The [`MadeDay`] says what became of
//!    each row and writes the [`Manifest`].
//!
//! The same roster, options and topics make the same files, bytes and
//! messages, whatever the front end, the number of threads or the sinks.
//!
//! ```
//! use handout_content::{Library, Practice, Roster, RosterOptions};
//! use handout_day::{Day, DayOptions, ZipSink};
//! use handout_render::Renderer;
//!
//! let (library, practice, renderer) = (Library::builtin(), Practice::default(), Renderer::new());
//! let date = jiff::civil::date(2026, 11, 25);
//! let day = Day::new(&library, &practice, &renderer, DayOptions::new(date, date))?;
//! let text = "name,weeks,treatment\nAna López,28,warm-bath\nBea Smith,50,\n";
//! let roster = Roster::parse("clinic.csv", text.as_bytes(), &RosterOptions::default(), &library.choose_keys())?;
//! let checked = day.check(roster, &|| {});
//! let errors: Vec<String> = checked.errors().map(ToString::to_string).collect();
//! assert_eq!(errors, ["clinic.csv, row 3, column B: weeks must be 1 to 42, not '50'"]);
//! let mut zip = ZipSink::new(Vec::new(), date);
//! let made = checked.make(&mut [&mut zip], &|| {});
//! assert_eq!(made.files()[0], "2-Ana-López.pdf");
//! let archive = zip.finish(&made.manifest().into_bytes())?;
//! assert!(archive.starts_with(b"PK"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]

mod check;
mod combined;
mod make;
mod manifest;
mod names;
mod outcome;
mod pool;
mod sink;
#[cfg(test)]
mod testing;
mod warning;
mod zip;

use handout_content::{
    Date, Handout, Library, LookupError, Paper, Practice, RequestContext, Roster, RowError,
};
use handout_render::Renderer;

pub use check::Checked;
pub use combined::CombinedSink;
pub use make::MadeDay;
pub use manifest::{
    HEADER, MANIFEST, Manifest, PROGRAM, could_be_manifest, header_len, is_manifest, neutralise,
};
pub use names::{MAX_NAME_BYTES, Names, Template, TemplateValues, file_names, safe_stem};
pub use outcome::{Outcome, Provenance, Stored};
pub use sink::{Made, Sink, SinkError};
pub use warning::{DraftRows, Note, Refusal, Warning, rows};
pub use zip::ZipSink;

/// How a day's handouts are made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayOptions {
    /// The date printed on every named handout, and in file names.
    pub date: Date,
    /// Today, by the computer's clock: topics past their review date on
    /// this day are named in a warning.
    pub today: Date,
    /// The paper, over the practice's; A4 when neither says.
    pub paper: Option<Paper>,
    /// Large print for rows that do not say, over the practice's default.
    pub large_print: Option<bool>,
    /// Pictures beside the advice, or bullets, over the practice's choice.
    pub pictures: Option<bool>,
    /// The topic of rows that name none.
    pub topic: Option<String>,
    /// The language of rows that name none.
    pub language: Option<String>,
    /// Whether rows of a draft topic may be made.
    pub allow_draft: bool,
    /// How many handouts to make at once.
    pub jobs: usize,
    /// File names; `{id}-{name}`, or `{row}-{name}` for a row without an
    /// id, when none is given.
    pub template: Option<Template>,
    /// Whether the day makes a combined PDF: its check then also learns
    /// whether the PDF is for printing on both sides.
    pub combined: bool,
}

impl DayOptions {
    /// Options for a day printed on `date` and checked on `today`: the
    /// practice's paper, no default topic, no drafts, no combined PDF, one
    /// job for each core.
    pub fn new(date: Date, today: Date) -> DayOptions {
        DayOptions {
            date,
            today,
            paper: None,
            large_print: None,
            pictures: None,
            topic: None,
            language: None,
            allow_draft: false,
            jobs: std::thread::available_parallelism().map_or(1, usize::from),
            template: None,
            combined: false,
        }
    }
}

/// What a clinic day is made from: the topics, the practice, the renderer
/// and the options. Cheap to make; the renderer is the one to share.
#[derive(Debug)]
pub struct Day<'a> {
    library: &'a Library,
    practice: &'a Practice,
    renderer: &'a Renderer,
    options: DayOptions,
}

impl<'a> Day<'a> {
    /// A day with these options. A default topic or language that cannot
    /// be found would fail every row alike, so it is refused here.
    pub fn new(
        library: &'a Library,
        practice: &'a Practice,
        renderer: &'a Renderer,
        options: DayOptions,
    ) -> Result<Day<'a>, LookupError> {
        if options.topic.is_some() || options.language.is_some() {
            library.topic(options.topic.as_deref(), options.language.as_deref())?;
        }
        Ok(Day {
            library,
            practice,
            renderer,
            options,
        })
    }

    /// The options it was made with.
    pub fn options(&self) -> &DayOptions {
        &self.options
    }

    /// The handout of the row at `index` of `roster`, resolved again: the
    /// check found it good, and resolving is deterministic, so it is the
    /// handout the check fitted.
    pub(crate) fn handout(&self, roster: &Roster, index: usize) -> Result<Handout<'_>, RowError> {
        let context = self.context();
        roster
            .request(&roster.rows[index], &context)
            .map(|request| request.handout)
    }

    /// What every row's request is checked against.
    fn context(&self) -> RequestContext<'_> {
        RequestContext {
            paper: self.options.paper,
            large_print: self.options.large_print,
            pictures: self.options.pictures,
            topic: self.options.topic.as_deref(),
            language: self.options.language.as_deref(),
            ..RequestContext::new(self.library, self.practice, self.options.date)
        }
    }
}

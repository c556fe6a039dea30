//! Where a day's handouts go: a folder, a zip stream, a combined PDF.
//!
//! The engine makes handouts on several threads and gives each made one to
//! every sink on the thread that runs the day, in roster order, so a sink
//! needs no locks and writes a stream in order. The heavy work (layout,
//! the PDF, the combined file's pages) is done before, on the other
//! threads; a sink only stores.

use std::io;

use handout_content::RosterRow;
use handout_render::EncodedPages;

use crate::outcome::Stored;

/// One handout, made, as a sink takes it.
#[derive(Debug)]
pub struct Made<'a> {
    /// The row it was made for.
    pub row: &'a RosterRow,
    /// The name of its own file, safe and distinct from the day's others.
    pub file: &'a str,
    /// Its own PDF, when a sink takes one.
    pub pdf: Option<Vec<u8>>,
    /// Its pages, encoded as its own PDF has them, when a sink takes
    /// them: the combined PDF's sink.
    pub pages: Option<EncodedPages>,
}

/// Why a sink did not take a handout.
#[derive(Debug)]
pub enum SinkError {
    /// This handout could not be stored, for a reason of its own (its file
    /// exists with other content, a link is at its name): its row fails,
    /// and the sink takes the next.
    Row(String),
    /// The sink can take no more (a full disk, a browser that went away):
    /// it is given nothing more, and the day goes on for the other sinks.
    Stopped(io::Error),
}

/// Where a day's handouts go.
pub trait Sink {
    /// Whether the sink takes each handout's own PDF. A combined PDF takes
    /// its pages instead, which are cheaper to make.
    fn takes_pdf(&self) -> bool {
        true
    }

    /// Whether the sink takes each handout's encoded pages, as a combined
    /// PDF does: they are encoded once, on the thread that laid the
    /// handout out, for its own PDF too. A day has one such sink at most.
    fn takes_pages(&self) -> bool {
        false
    }

    /// Takes one handout, in roster order. Returns what became of its own
    /// file, or `None` for a sink that keeps no file of its own (a combined
    /// PDF).
    fn take(&mut self, made: &mut Made<'_>) -> Result<Option<Stored>, SinkError>;
}

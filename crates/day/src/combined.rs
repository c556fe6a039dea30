//! The day's combined PDF, every handout in roster order, to print in one
//! go: the same for `handout batch --combined` and the web page. When a
//! handout takes both sides of a sheet, the file is for printing on both
//! sides, and each handout starts on a new sheet.

use std::io::{self, Write};

use handout_render::CombinedPdf;

use crate::outcome::Stored;
use crate::sink::{Made, Sink, SinkError};

/// A sink that adds each handout's pages to one PDF, written as they come;
/// made by [`Checked::combined_pdf`](crate::Checked::combined_pdf).
pub struct CombinedSink<W: Write> {
    pdf: CombinedPdf<W>,
    /// Whether each handout starts on a new sheet, printed on both sides.
    two_sided: bool,
}

impl<W: Write> CombinedSink<W> {
    pub(crate) fn new(pdf: CombinedPdf<W>, two_sided: bool) -> CombinedSink<W> {
        CombinedSink { pdf, two_sided }
    }

    /// How many pages it holds so far.
    pub fn page_count(&self) -> usize {
        self.pdf.page_count()
    }

    /// Ends the PDF and gives its output back.
    pub fn finish(self) -> io::Result<W> {
        self.pdf.finish()
    }
}

impl<W: Write> Sink for CombinedSink<W> {
    fn takes_pdf(&self) -> bool {
        false
    }

    fn takes_pages(&self) -> bool {
        true
    }

    fn take(&mut self, made: &mut Made<'_>) -> Result<Option<Stored>, SinkError> {
        let pages = made.pages.take().ok_or_else(|| {
            SinkError::Stopped(io::Error::other("the handout's pages were not encoded"))
        })?;
        self.pdf.add(pages).map_err(SinkError::Stopped)?;
        if self.two_sided {
            self.pdf.add_blank_back().map_err(SinkError::Stopped)?;
        }
        Ok(None)
    }
}

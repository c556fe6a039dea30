//! The second step of a day: each good row laid out once and written on
//! all cores, then given, in roster order, to every sink.
//!
//! Workers take the next row as they finish one and send what they made
//! down a bounded channel; this thread puts it back in roster order and
//! hands it to the sinks. Rows take about the same time, so few wait, and
//! memory stays flat however long the day: a few handouts a worker are in
//! flight at once.

use std::collections::BTreeMap;
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

use handout_content::{Handout, Roster, RowError};
use handout_render::{EncodedPages, Fit};

use crate::Day;
use crate::check::{Checked, Ready};
use crate::manifest::{Manifest, manifest_of};
use crate::outcome::{Outcome, Provenance, Stored};
use crate::pool;
use crate::sink::{Made, Sink, SinkError};

/// A day, made: what became of every row.
#[derive(Debug)]
pub struct MadeDay {
    roster: Roster,
    files: Vec<String>,
    outcomes: Vec<Outcome>,
    late: Vec<RowError>,
    stopped: Vec<(usize, io::Error)>,
}

/// What a worker makes of one row, for the sinks.
struct Making {
    pdf: Option<Vec<u8>>,
    sha256: Option<String>,
    pages: Option<EncodedPages>,
    provenance: Provenance,
}

impl Checked<'_> {
    /// Makes every row that can be made, on all cores, and gives each to
    /// every sink in `sinks`, in roster order. `progress` is called once a
    /// row made. A sink that stops is given nothing more; when every sink
    /// has stopped, the day stops, and the rows left are not made.
    pub fn make(self, sinks: &mut [&mut dyn Sink], progress: &(dyn Fn() + Sync)) -> MadeDay {
        let Checked {
            day,
            roster,
            rows,
            files,
            ..
        } = self;
        let takes_pdf = sinks.iter().any(|sink| sink.takes_pdf());
        let takes_pages = sinks.iter().any(|sink| sink.takes_pages());
        let ready: Vec<(usize, &Ready)> = rows
            .iter()
            .enumerate()
            .filter_map(|(index, row)| Some((index, row.as_ref().ok()?)))
            .collect();
        let mut outcomes: Vec<Option<Outcome>> = rows
            .iter()
            .map(|row| row.as_ref().err().map(Outcome::refused))
            .collect();
        let mut stopped: Vec<Option<io::Error>> = sinks.iter().map(|_| None).collect();
        let mut late = Vec::new();

        let jobs = day.options.jobs.min(ready.len()).max(1);
        let (sender, receiver) = mpsc::sync_channel::<(usize, Result<Making, String>)>(jobs * 4);
        let halt = AtomicBool::new(false);
        std::thread::scope(|scope| {
            let (ready, halt, roster) = (&ready, &halt, &roster);
            scope.spawn(move || {
                pool::each(ready.len(), jobs, |position| {
                    if halt.load(Ordering::Relaxed) {
                        return false;
                    }
                    let (index, row) = ready[position];
                    let making = day
                        .handout(roster, index)
                        .map(|handout| Making::of(day, &handout, &row.fit, takes_pdf, takes_pages))
                        .map_err(|error| error.message);
                    sender.send((position, making)).is_ok()
                });
            });
            // Rows arrive in any order; the sinks take them in order.
            let mut waiting = BTreeMap::new();
            let mut next = 0;
            'rows: for (position, making) in receiver.iter() {
                waiting.insert(position, making);
                while let Some(making) = waiting.remove(&next) {
                    let index = ready[next].0;
                    next += 1;
                    // The check resolved this row, and resolving again
                    // gives the same; should it not, the row fails alone.
                    let making = match making {
                        Ok(making) => making,
                        Err(message) => {
                            late.push(roster.row_error(&roster.rows[index], message.clone()));
                            outcomes[index] = Some(Outcome::failed(message));
                            progress();
                            continue;
                        }
                    };
                    let made = Made {
                        row: &roster.rows[index],
                        file: &files[index],
                        pdf: making.pdf,
                        pages: making.pages,
                    };
                    let outcome = deliver(made, sinks, &mut stopped).map_or_else(
                        |message| {
                            // A row the day stopped at is no row's fault.
                            if message != NOT_MADE {
                                late.push(roster.row_error(&roster.rows[index], message.clone()));
                            }
                            Outcome::failed(message)
                        },
                        |stored| Outcome::Made {
                            stored,
                            provenance: making.provenance,
                            sha256: making.sha256,
                        },
                    );
                    outcomes[index] = Some(outcome);
                    progress();
                    if stopped.iter().all(Option::is_some) {
                        halt.store(true, Ordering::Relaxed);
                        break 'rows;
                    }
                }
            }
            // Workers blocked on a full channel give up once it is gone.
            drop(receiver);
        });

        MadeDay {
            outcomes: outcomes
                .into_iter()
                .map(|outcome| outcome.unwrap_or_else(|| Outcome::failed(NOT_MADE)))
                .collect(),
            stopped: stopped
                .into_iter()
                .enumerate()
                .filter_map(|(index, error)| Some((index, error?)))
                .collect(),
            late,
            files,
            roster,
        }
    }
}

impl Making {
    /// Lays a row out and encodes its pages once, and makes what the sinks
    /// take of them: its own PDF, its pages for a combined PDF, or both.
    fn of(
        day: &Day<'_>,
        handout: &Handout,
        fit: &Fit,
        takes_pdf: bool,
        takes_pages: bool,
    ) -> Making {
        let document = day.renderer.layout_fitted(handout, fit);
        let pages = day.renderer.encode(&document);
        let (pdf, sha256) = match takes_pdf {
            true => {
                let (pdf, sha256) = day.renderer.write_encoded(&pages);
                (Some(pdf), Some(sha256))
            }
            false => (None, None),
        };
        Making {
            sha256,
            pdf,
            pages: takes_pages.then_some(pages),
            provenance: Provenance::of(handout, fit, day.library),
        }
    }
}

/// What a manifest says of a row the day stopped before.
const NOT_MADE: &str = "not made";

/// Gives a made handout to every sink still taking: what became of its
/// file, or why a sink would not take it.
fn deliver(
    mut made: Made<'_>,
    sinks: &mut [&mut dyn Sink],
    stopped: &mut [Option<io::Error>],
) -> Result<Stored, String> {
    let mut stored = None;
    let mut taken = false;
    let mut failure = None;
    for (sink, stopped) in sinks.iter_mut().zip(stopped) {
        if stopped.is_some() {
            continue;
        }
        match sink.take(&mut made) {
            Ok(kept) => {
                taken = true;
                stored = stored.or(kept);
            }
            Err(SinkError::Row(message)) => {
                failure.get_or_insert(message);
            }
            Err(SinkError::Stopped(error)) => *stopped = Some(error),
        }
    }
    match failure {
        Some(message) => Err(message),
        // Every sink stopped as it came: it went nowhere.
        None if !taken => Err(NOT_MADE.to_string()),
        None => Ok(stored.unwrap_or(Stored::Written)),
    }
}

impl MadeDay {
    /// The roster the day was made from.
    pub fn roster(&self) -> &Roster {
        &self.roster
    }

    /// Every row's file name, in roster order.
    pub fn files(&self) -> &[String] {
        &self.files
    }

    /// What became of every row, in roster order.
    pub fn outcomes(&self) -> &[Outcome] {
        &self.outcomes
    }

    /// The errors of rows that passed their check but failed while being
    /// made, because a sink would not take them (a file in the way): errors
    /// the check could not report.
    pub fn late_errors(&self) -> &[RowError] {
        &self.late
    }

    /// The sinks that stopped, by their place in the list given to
    /// [`Checked::make`], with why.
    pub fn stopped(&self) -> &[(usize, io::Error)] {
        &self.stopped
    }

    /// How many handouts were made and stored so.
    pub fn count(&self, stored: Stored) -> usize {
        self.outcomes
            .iter()
            .filter(|outcome| matches!(outcome, Outcome::Made { stored: s, .. } if *s == stored))
            .count()
    }

    /// The rows that were not made, by index, in roster order.
    pub fn failed(&self) -> Vec<usize> {
        (0..self.outcomes.len())
            .filter(|&index| !self.outcomes[index].is_made())
            .collect()
    }

    /// The day's manifest: a line for every row, with its file or why it
    /// has none.
    pub fn manifest(&self) -> Manifest {
        manifest_of(&self.roster.rows, &self.files, &self.outcomes)
    }
}

#[cfg(test)]
mod tests {
    use std::io::{self, Cursor, Read};

    use handout_content::{Library, Practice};
    use handout_render::Renderer;

    use crate::testing::{MIXED, date, library, practice, roster};
    use crate::{Day, DayOptions, Made, MadeDay, Outcome, Sink, SinkError, Stored, ZipSink};

    /// A sink that keeps what it is given, and refuses or stops as told.
    #[derive(Default)]
    struct Recorder {
        /// Each handout taken: its row and file, and its PDF.
        taken: Vec<(usize, String, Vec<u8>)>,
        /// The file to refuse, as a full folder or a link would.
        refuse: Option<&'static str>,
        /// How many to take before stopping, as a full disk would.
        stop_after: Option<usize>,
        /// What to say of each file.
        stored: Option<Stored>,
    }

    impl Sink for Recorder {
        fn take(&mut self, made: &mut Made<'_>) -> Result<Option<Stored>, SinkError> {
            if self.refuse == Some(made.file) {
                return Err(SinkError::Row(format!("`{}` is a link", made.file)));
            }
            if self.stop_after == Some(self.taken.len()) {
                return Err(SinkError::Stopped(io::Error::other("the disk is full")));
            }
            let pdf = made
                .pdf
                .clone()
                .expect("a sink that takes PDFs is given them");
            self.taken.push((made.row.line, made.file.to_string(), pdf));
            Ok(self.stored)
        }
    }

    struct Setting {
        library: Library,
        practice: Practice,
        renderer: Renderer,
    }

    impl Setting {
        fn new() -> Setting {
            Setting {
                library: library(),
                practice: practice(),
                renderer: Renderer::new(),
            }
        }

        /// The MIXED roster made into `sinks`, drafts allowed, with a
        /// combined PDF's glyphs gathered, on `jobs` threads.
        fn make(&self, jobs: usize, sinks: &mut [&mut dyn Sink]) -> MadeDay {
            self.checked(jobs, |checked| checked.make(sinks, &|| {}))
        }

        fn checked<T>(&self, jobs: usize, then: impl FnOnce(crate::Checked<'_>) -> T) -> T {
            let options = DayOptions {
                topic: Some("leg-cramps".into()),
                allow_draft: true,
                combined: true,
                jobs,
                ..DayOptions::new(date(), date())
            };
            let day = Day::new(&self.library, &self.practice, &self.renderer, options).unwrap();
            then(day.check(roster(&self.library, MIXED), &|| {}))
        }
    }

    /// A zip archive's files, read back with the `zip` crate.
    fn unzip(archive: &[u8]) -> Vec<(String, Vec<u8>)> {
        let mut zip = ::zip::ZipArchive::new(Cursor::new(archive)).unwrap();
        (0..zip.len())
            .map(|index| {
                let mut file = zip.by_index(index).unwrap();
                let mut data = Vec::new();
                file.read_to_end(&mut data).unwrap();
                (String::from_utf8(file.name_raw().to_vec()).unwrap(), data)
            })
            .collect()
    }

    /// The MIXED roster as a zip and a combined PDF at once.
    fn zip_and_combined(setting: &Setting, jobs: usize) -> (Vec<u8>, Vec<u8>, MadeDay) {
        setting.checked(jobs, |checked| {
            let mut zip = ZipSink::new(Vec::new(), date());
            let mut combined = checked.combined_pdf(Vec::new()).unwrap();
            let made = checked.make(&mut [&mut zip, &mut combined], &|| {});
            let archive = zip.finish(&made.manifest().into_bytes()).unwrap();
            (archive, combined.finish().unwrap(), made)
        })
    }

    #[test]
    fn every_good_row_goes_to_every_sink_in_roster_order() {
        let setting = Setting::new();
        let (archive, combined, made) = zip_and_combined(&setting, 2);
        let files: Vec<(String, Vec<u8>)> = unzip(&archive);
        let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(
            names,
            [
                "0001-Ana-López.pdf",
                "0003-Carmen-Ruiz.pdf",
                "0004-Dee-Jones.pdf",
                "0006-Fay-Green.pdf",
                "manifest.csv"
            ]
        );
        for (_, pdf) in &files[..4] {
            assert!(pdf.starts_with(b"%PDF-") && pdf.ends_with(b"%%EOF\n"));
        }
        // One page a good row in the combined file, in the same order.
        let document = lopdf::Document::load_mem(&combined).unwrap();
        assert_eq!(document.get_pages().len(), 4);
        let outcomes: Vec<(usize, bool)> = made
            .outcomes()
            .iter()
            .zip(&made.roster().rows)
            .map(|(outcome, row)| (row.line, outcome.is_made()))
            .collect();
        assert_eq!(
            outcomes,
            [
                (2, true),
                (3, false),
                (4, true),
                (5, true),
                (6, false),
                (7, true)
            ]
        );
        assert_eq!(made.count(Stored::Written), 4);
        assert_eq!(made.failed(), [1, 4]);
        assert!(made.late_errors().is_empty() && made.stopped().is_empty());
        // The manifest says what became of every row, with each file's hash.
        let manifest = String::from_utf8(files[4].1.clone()).unwrap();
        let lines: Vec<&str> = manifest.lines().collect();
        assert_eq!(lines.len(), 7, "{manifest}");
        assert!(lines[1].starts_with("2,0001,Ana López,leg-cramps,en,en,4,0001-Ana-López.pdf,1,"));
        assert!(lines[1].ends_with(",written"), "{}", lines[1]);
        assert!(
            lines[2].ends_with(",\"failed: weeks must be 1 to 42, not '50'\""),
            "{}",
            lines[2]
        );
        let Outcome::Made {
            sha256, provenance, ..
        } = &made.outcomes()[3]
        else {
            panic!("row 5 was made");
        };
        assert_eq!(&*provenance.topic, "old-care");
        assert!(
            provenance.picks.starts_with("at-home=bend-knees,"),
            "{provenance:?}"
        );
        assert!(
            lines[4].contains(sha256.as_deref().unwrap()),
            "{}",
            lines[4]
        );
    }

    #[test]
    fn the_same_day_makes_the_same_bytes_on_any_number_of_threads() {
        let setting = Setting::new();
        let (archive, combined, _) = zip_and_combined(&setting, 1);
        for jobs in [2, 4, 16] {
            let (again, combined_again, _) = zip_and_combined(&setting, jobs);
            assert!(again == archive, "{jobs} jobs made another zip");
            assert!(
                combined_again == combined,
                "{jobs} jobs made another combined PDF"
            );
        }
    }

    #[test]
    fn a_handout_a_sink_refuses_fails_its_row_and_the_others_are_made() {
        let setting = Setting::new();
        let mut record = Recorder {
            refuse: Some("0003-Carmen-Ruiz.pdf"),
            ..Recorder::default()
        };
        let made = setting.make(4, &mut [&mut record]);
        let taken: Vec<usize> = record.taken.iter().map(|(line, _, _)| *line).collect();
        assert_eq!(taken, [2, 5, 7]);
        let late: Vec<String> = made.late_errors().iter().map(ToString::to_string).collect();
        assert_eq!(
            late,
            ["clinic.csv, row 4: `0003-Carmen-Ruiz.pdf` is a link"]
        );
        assert_eq!(
            made.outcomes()[2],
            Outcome::failed("`0003-Carmen-Ruiz.pdf` is a link")
        );
        assert_eq!(made.failed(), [1, 2, 4]);
    }

    #[test]
    fn a_sink_that_stops_is_given_nothing_more_and_when_all_have_the_day_stops() {
        let setting = Setting::new();
        let mut stopping = Recorder {
            stop_after: Some(1),
            ..Recorder::default()
        };
        let mut going_on = Recorder::default();
        let made = setting.make(2, &mut [&mut stopping, &mut going_on]);
        assert_eq!(stopping.taken.len(), 1);
        assert_eq!(going_on.taken.len(), 4);
        assert_eq!(made.count(Stored::Written), 4);
        let stopped: Vec<(usize, String)> = made
            .stopped()
            .iter()
            .map(|(sink, error)| (*sink, error.to_string()))
            .collect();
        assert_eq!(stopped, [(0, "the disk is full".to_string())]);

        let mut alone = Recorder {
            stop_after: Some(2),
            ..Recorder::default()
        };
        let made = setting.make(2, &mut [&mut alone]);
        assert_eq!(alone.taken.len(), 2);
        // The third good row found the sink gone; it and the rest were not
        // made, and that is no row's error.
        let outcomes: Vec<&Outcome> = made.outcomes().iter().collect();
        assert!(outcomes[0].is_made() && outcomes[2].is_made());
        assert_eq!(outcomes[3], &Outcome::failed("not made"));
        assert_eq!(outcomes[5], &Outcome::failed("not made"));
        assert!(made.late_errors().is_empty());
    }

    #[test]
    fn a_file_already_there_is_counted_unchanged() {
        let setting = Setting::new();
        let mut record = Recorder {
            stored: Some(Stored::Unchanged),
            ..Recorder::default()
        };
        let made = setting.make(2, &mut [&mut record]);
        assert_eq!(
            (made.count(Stored::Unchanged), made.count(Stored::Written)),
            (4, 0)
        );
        assert!(made.manifest().into_bytes().ends_with(b",unchanged\n"));
    }
}

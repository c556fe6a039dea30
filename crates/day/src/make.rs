//! The second step of a day: each good row laid out once and written on
//! all cores, then given, in roster order, to every sink.
//!
//! Workers take the next row as they finish one and send what they made
//! down a bounded channel; this thread puts it back in roster order and
//! hands it to the sinks. Rows take about the same time, so few wait, and
//! memory stays flat however long the day: a few handouts a worker are in
//! flight at once.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

use handout_content::{Roster, RowError};
use handout_render::{CombinedEncoder, EncodedPages};
use sha2::{Digest, Sha256};

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
    pages: Option<io::Result<EncodedPages>>,
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
        let encoder = sinks.iter().find_map(|sink| sink.encoder());
        let ready: Vec<(usize, &Ready)> = rows
            .iter()
            .enumerate()
            .filter_map(|(index, row)| Some((index, row.as_ref().ok()?)))
            .collect();
        let mut outcomes: Vec<Option<Outcome>> = rows
            .iter()
            .map(|row| {
                row.as_ref()
                    .err()
                    .map(|error| Outcome::Failed(error.message.clone()))
            })
            .collect();
        let mut stopped: Vec<Option<io::Error>> = sinks.iter().map(|_| None).collect();
        let mut late = Vec::new();

        let jobs = day.options.jobs.min(ready.len()).max(1);
        let (sender, receiver) = mpsc::sync_channel::<(usize, Making)>(jobs * 4);
        let halt = AtomicBool::new(false);
        std::thread::scope(|scope| {
            let (ready, encoder, halt) = (&ready, &encoder, &halt);
            scope.spawn(move || {
                pool::each(ready.len(), jobs, |position| {
                    if halt.load(Ordering::Relaxed) {
                        return false;
                    }
                    let making = Making::of(day, ready[position].1, takes_pdf, encoder.as_ref());
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
                    let made = Made {
                        row: &roster.rows[index],
                        file: &files[index],
                        pdf: making.pdf,
                        pages: making.pages,
                    };
                    let outcome = deliver(made, sinks, &mut stopped).map_or_else(
                        |message| {
                            late.push(late_error(&roster, index, &message));
                            Outcome::Failed(message)
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
                .map(|outcome| outcome.unwrap_or_else(|| Outcome::Failed("not made".to_string())))
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
    /// Lays a row out once and makes what the sinks take of it.
    fn of(
        day: &Day<'_>,
        ready: &Ready,
        takes_pdf: bool,
        encoder: Option<&CombinedEncoder>,
    ) -> Making {
        let document = day.renderer.layout_fitted(&ready.handout, &ready.fit);
        let pdf = takes_pdf.then(|| day.renderer.write_pdf(&document));
        Making {
            sha256: pdf.as_deref().map(sha256_hex),
            pdf,
            pages: encoder.map(|encoder| encoder.encode(&document)),
            provenance: Provenance::of(&ready.handout, day.library),
        }
    }
}

/// Gives a made handout to every sink still taking: what became of its
/// file, or why a sink would not take it.
fn deliver(
    mut made: Made<'_>,
    sinks: &mut [&mut dyn Sink],
    stopped: &mut [Option<io::Error>],
) -> Result<Stored, String> {
    let mut stored = None;
    let mut failure = None;
    for (sink, stopped) in sinks.iter_mut().zip(stopped) {
        if stopped.is_some() {
            continue;
        }
        match sink.take(&mut made) {
            Ok(kept) => stored = stored.or(kept),
            Err(SinkError::Row(message)) => {
                failure.get_or_insert(message);
            }
            Err(SinkError::Stopped(error)) => *stopped = Some(error),
        }
    }
    match failure {
        Some(message) => Err(message),
        None => Ok(stored.unwrap_or(Stored::Written)),
    }
}

/// The error of a row that failed while being made: its row, not a cell.
fn late_error(roster: &Roster, index: usize, message: &str) -> RowError {
    let row = &roster.rows[index];
    RowError {
        origin: roster.origin.clone(),
        line: row.line,
        column: None,
        row: row.row,
        message: message.to_string(),
    }
}

/// The SHA-256 of `bytes`, in lower-case hex.
fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
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

//! `handout batch`: a clinic day from a roster, into a folder of one PDF per
//! patient, a combined file to print in one go, and a manifest of what
//! each patient was given.
//!
//! The day is made by the engine every front end calls (`handout-day`):
//! this module reads the options and the inputs, shows what the engine
//! says, and sums up. Where the files go, and how they are written safely,
//! is [`output`](crate::output)'s job.
//!
//! Progress and the summary show counts only; a patient's name reaches the
//! terminal only in the error line of a row that failed (as its file's
//! name), never a note.

use std::io::{self, IsTerminal};
use std::path::PathBuf;

use handout_content::{
    Date, DateOrder, Encoding, Library, Paper, Practice, Roster, RosterError, RosterOptions,
    check_handout_date, parse_date,
};
use handout_day::{Checked, Day, DayOptions, Template, rows};
use handout_render::Renderer;

use crate::args::BatchArgs;
use crate::files::Inputs;
use crate::input::{self, MAX_ROSTER_BYTES, Readable};
use crate::output::{self, CombinedTarget};
use crate::progress::Progress;
use crate::{Failure, print_failure};

/// Everything `batch` needs, checked, but the roster.
pub struct Settings {
    pub practice: Practice,
    pub library: Library,
    /// Every file the run reads, which it never writes over.
    pub inputs: Inputs,
    /// How the engine makes the day.
    pub day: DayOptions,
    pub out_dir: PathBuf,
    pub combined: Option<CombinedTarget>,
    pub check: bool,
    pub force: bool,
    /// Whether a progress bar is shown: on a terminal, unless quiet.
    pub progress: bool,
    pub quiet: bool,
}

/// What a roster is, for a message about one that cannot be read.
const ROSTER_HINT: &str = "a roster is CSV or tab-separated text with a header row naming \
    its columns (name, id, weeks or due date, prevention, treatment, note, ...), or TOML \
    with [[patient]] tables; `handout batch --help` says more";

/// How to print a draft's rows anyway.
const DRAFT_HINT: &str = "have a clinician who reads the language review the topic and mark it \
    reviewed, or give --allow-draft to print drafts anyway";

impl Settings {
    /// Reads the options and every input, the roster too; any that cannot
    /// be used stops the run before anything is made (exit code 2).
    fn from_args(args: BatchArgs) -> Result<(Settings, Roster), Failure> {
        let template = match &args.name_template {
            Some(text) => Some(Template::parse(text).map_err(Failure::usage)?),
            None => None,
        };
        let encoding = match &args.encoding {
            Some(label) => Some(
                Encoding::from_label(label)
                    .map_err(|error| Failure::usage(format!("--encoding: {error}")))?,
            ),
            None => None,
        };
        let mut inputs = Inputs::default();
        let (practice, library) = crate::content::load(&args.content, &mut inputs)?;
        let (origin, bytes) = if args.roster.as_os_str() == "-" {
            let bytes = input::read_stdin("roster", MAX_ROSTER_BYTES)?;
            ("standard input".to_string(), bytes)
        } else {
            let bytes = input::read_input(
                "roster",
                &args.roster,
                Readable::FileOrPipe,
                MAX_ROSTER_BYTES,
                &mut inputs,
            )?;
            (args.roster.display().to_string(), bytes)
        };
        // The command line wins over the practice file.
        let options = RosterOptions {
            date_order: args
                .date_order
                .map(DateOrder::from)
                .or(practice.roster.date_order),
            strict_columns: args.strict_columns || practice.roster.strict_columns,
            encoding: encoding.or(practice.roster.encoding),
            ..practice.roster.clone()
        };
        let roster =
            Roster::parse(&origin, &bytes, &options, &library.choose_keys()).map_err(|error| {
                // What a roster is, where the file was not taken for one; an
                // error of its encoding, header or dates says what to do.
                let unrecognised = matches!(
                    error,
                    RosterError::Empty(_)
                        | RosterError::Binary(_)
                        | RosterError::NoHeader { .. }
                        | RosterError::Toml(_)
                );
                let failure = Failure::fatal(error);
                if unrecognised {
                    failure.with_hint(ROSTER_HINT)
                } else {
                    failure
                }
            })?;
        drop(bytes);
        if !args.quiet {
            for note in &roster.notes {
                eprintln!("note: {}: {note}", roster.origin);
            }
        }
        let today = crate::today();
        let date: Date = match &args.date {
            Some(text) => parse_date("date", text)
                .map_err(|e| e.to_string())
                .and_then(|date| check_handout_date(date).map(|()| date))
                .map_err(|e| Failure::usage(format!("--date: {e}")))?,
            None => today,
        };
        let quiet = args.quiet;
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        // More threads than cores only wait; thousands of them cost memory.
        let most = cores * 2;
        let jobs = match args.jobs.map(usize::from) {
            Some(jobs) if jobs > most => {
                if !quiet {
                    eprintln!(
                        "note: --jobs {jobs} is more than this computer can use; \
                         using {most} (twice its {cores} cores)"
                    );
                }
                most
            }
            Some(jobs) => jobs,
            None => cores,
        };
        let combined = args.combined.map(|path| {
            if path.as_os_str() == "-" {
                CombinedTarget::Stdout
            } else {
                CombinedTarget::Path(path)
            }
        });
        let day = DayOptions {
            date,
            today,
            paper: args.paper.map(Paper::from),
            large_print: args.large_print.then_some(true),
            pictures: args.no_pictures.then_some(false),
            topic: args.topic.topic,
            language: args.topic.language,
            allow_draft: args.allow_draft,
            jobs,
            template,
            combined: combined.is_some(),
        };
        let settings = Settings {
            practice,
            library,
            inputs,
            day,
            out_dir: args.output,
            combined,
            check: args.check,
            force: args.force,
            progress: io::stderr().is_terminal() && !quiet,
            quiet,
        };
        Ok((settings, roster))
    }
}

/// `handout batch`. Returns the exit code: 0 when every row was made, 1
/// when some were not and the rest were, 2 when the run stopped before
/// making anything (or its combined file or manifest could not be
/// finished, which the message explains).
pub fn batch(args: BatchArgs) -> Result<u8, Failure> {
    let (settings, roster) = Settings::from_args(args)?;
    let renderer = Renderer::new();
    let day = Day::new(
        &settings.library,
        &settings.practice,
        &renderer,
        settings.day.clone(),
    )
    .map_err(|error| {
        let option = if settings.day.topic.is_some() {
            "--topic"
        } else {
            "--language"
        };
        Failure::usage(format!("{option}: {error}")).with_hint(crate::render::LIST_HINT)
    })?;

    // 1. Check every row before anything is written.
    let progress = Progress::new(settings.progress, roster.rows.len(), "checking");
    let checked = day.check(roster, &|| progress.tick());
    progress.finish();
    for error in checked.errors() {
        eprintln!("{error}");
    }
    // Shown even with --quiet: a draft, an overdue text or a lapsed
    // approval must never reach a patient unnoticed.
    for warning in checked.warnings() {
        eprintln!("warning: {warning}");
    }
    if !settings.quiet {
        for note in checked.notes() {
            eprintln!("note: {note}");
        }
    }
    let (ready, failed) = (checked.ready(), failed_lines(&checked));
    // Says why nothing was written, sums up, and gives the exit code.
    let refused = |failure: Failure| {
        print_failure(&failure);
        eprintln!(
            "{}",
            summary(&[(0, "written"), (ready, "not made")], &failed)
        );
        failure.code
    };
    if let Some(refusal) = checked.refusal() {
        return Ok(refused(Failure::fatal(refusal).with_hint(DRAFT_HINT)));
    }
    if settings.check {
        eprintln!("{}", summary(&[(ready, "ready")], &failed));
        return Ok(u8::from(!failed.is_empty()));
    }

    // 2. Then write, where the targets allow it.
    output::write(&settings, checked).or_else(|failure| Ok(refused(failure)))
}

/// The rows the check failed, as the roster numbers them (an error may
/// name a line inside its row, such as a TOML table's key).
fn failed_lines(checked: &Checked<'_>) -> Vec<usize> {
    checked.failed_rows().map(|row| row.line).collect()
}

/// "97 written, 3 failed (rows 17, 42, 88)": the counts that are not zero
/// (the first always), then the failed rows as the spreadsheet numbers them.
pub fn summary(counts: &[(usize, &str)], failed: &[usize]) -> String {
    let mut parts: Vec<String> = counts
        .iter()
        .enumerate()
        .filter(|(i, (count, _))| *i == 0 || *count > 0)
        .map(|(_, (count, what))| format!("{count} {what}"))
        .collect();
    if !failed.is_empty() {
        parts.push(format!("{} failed ({})", failed.len(), rows(failed)));
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_names_the_failed_rows_and_only_counts_that_happened() {
        assert_eq!(
            summary(&[(97, "written"), (0, "unchanged")], &[17, 42, 88]),
            "97 written, 3 failed (rows 17, 42, 88)"
        );
        assert_eq!(
            summary(&[(0, "written"), (4, "not made")], &[]),
            "0 written, 4 not made"
        );
        assert_eq!(
            summary(&[(0, "written")], &[2]),
            "0 written, 1 failed (row 2)"
        );
    }
}

//! `handout batch`: one handout per roster row, a combined file to print in
//! one go, and a manifest of what each patient was given.
//!
//! The stages, in order, each refusing what it can before the next one
//! writes anything:
//! 1. Every row is checked and laid out. `--check` stops here.
//! 2. The file names are made, and every target is looked at: none may be
//!    an input, the combined file and the manifest are refused now if they
//!    cannot be replaced, not after the work.
//! 3. The output folder is made and locked; what ended runs left in it is
//!    removed; the combined file's temporary file is created, which proves
//!    its folder writable; an old manifest is removed, since from here on it
//!    could disagree with the folder.
//! 4. The rows are rendered on all cores; each PDF is written whole under a
//!    temporary name and moved into place, so an interrupted run leaves only
//!    whole files and a rerun finishes the job: a file that already holds
//!    exactly what its row would produce is "unchanged", not a conflict.
//! 5. The combined file and the manifest are moved into place.
//!
//! Whatever fails, the run ends with each failed row's line and a summary.
//! Progress and the summary show counts only; a patient's name reaches the
//! terminal only in the error line of a row that failed (as its file's
//! name), never a note.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock, mpsc};

use handout_content::{
    Date, DateOrder, Handout, Library, Paper, Practice, RequestContext, Roster, RosterOptions,
    RosterRow, RowError, parse_date,
};
use handout_render::{
    CombinedEncoder, CombinedPdf, DocumentInfo, EncodedPages, Fit, GlyphUse, RenderOptions,
    Renderer,
};
use sha2::{Digest, Sha256};

use crate::args::BatchArgs;
use crate::files::{self, Devices, Durability, Existing, Inputs, Temp, WriteError, folder_of};
use crate::input::{self, MAX_ROSTER_BYTES, Source};
use crate::lock::FolderLock;
use crate::manifest::{MANIFEST, Manifest, is_manifest};
use crate::names::{Fields, Names, Template};
use crate::{Failure, cleanup, print_failure};

/// Where the combined file goes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum CombinedTarget {
    /// `--combined -`.
    Stdout,
    /// A file, or a device or a pipe the user named.
    Path(PathBuf),
}

/// Everything `batch` needs, checked.
struct Settings {
    roster: Roster,
    practice: Practice,
    library: Library,
    inputs: Inputs,
    date: Date,
    /// `--paper`, over the practice's.
    paper: Option<Paper>,
    /// `--topic` and `--language`: for rows that name none.
    topic: Option<String>,
    language: Option<String>,
    out_dir: PathBuf,
    combined: Option<CombinedTarget>,
    check: bool,
    force: bool,
    allow_draft: bool,
    jobs: usize,
    template: Option<Template>,
    progress: bool,
    quiet: bool,
}

impl Settings {
    fn from_args(args: BatchArgs) -> Result<Settings, Failure> {
        let template = match &args.name_template {
            Some(text) => Some(Template::parse(text).map_err(Failure::fatal)?),
            None => None,
        };
        let mut inputs = Inputs::default();
        let (practice, library) = crate::content::load(&args.content, &mut inputs)
            .map_err(|failure| Failure { code: 2, ..failure })?;
        let (origin, bytes) = if args.roster.as_os_str() == "-" {
            let bytes = input::read_stdin("roster", MAX_ROSTER_BYTES)?;
            ("standard input".to_string(), bytes)
        } else {
            let bytes = input::read_input(
                "roster",
                &args.roster,
                Source::FileOrPipe,
                MAX_ROSTER_BYTES,
                &mut inputs,
            )
            .map_err(|failure| Failure { code: 2, ..failure })?;
            (args.roster.display().to_string(), bytes)
        };
        // The command line wins over the practice file.
        let options = RosterOptions {
            date_order: args
                .date_order
                .map(DateOrder::from)
                .or(practice.roster.date_order),
            strict_columns: args.strict_columns || practice.roster.strict_columns,
            ..practice.roster.clone()
        };
        let roster = Roster::parse(&origin, &bytes, &options, &library.choose_keys())
            .map_err(|error| Failure::fatal(error).with_hint(ROSTER_HINT))?;
        drop(bytes);
        if !args.quiet {
            for note in &roster.notes {
                eprintln!("note: {}: {note}", roster.origin);
            }
        }
        let date = match &args.date {
            Some(text) => {
                parse_date("date", text).map_err(|e| Failure::fatal(format!("--date: {e}")))?
            }
            None => jiff::Zoned::now().date(),
        };
        let paper = args.paper.map(Paper::from);
        // A default topic that cannot be found would fail every row alike.
        let (topic, language) = (args.topic.topic, args.topic.language);
        if topic.is_some() || language.is_some() {
            library
                .topic(topic.as_deref(), language.as_deref())
                .map_err(|error| {
                    let option = if topic.is_some() {
                        "--topic"
                    } else {
                        "--language"
                    };
                    Failure::fatal(format!("{option}: {error}")).with_hint(crate::render::LIST_HINT)
                })?;
        }
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
        Ok(Settings {
            roster,
            practice,
            library,
            inputs,
            date,
            paper,
            topic,
            language,
            out_dir: args.output,
            combined,
            check: args.check,
            force: args.force,
            allow_draft: args.allow_draft,
            jobs,
            template,
            progress: io::stderr().is_terminal() && !quiet,
            quiet,
        })
    }

    /// What every row's request is read with.
    fn context(&self) -> RequestContext<'_> {
        RequestContext {
            paper: self.paper,
            topic: self.topic.as_deref(),
            language: self.language.as_deref(),
            ..RequestContext::new(&self.library, &self.practice, self.date)
        }
    }

    fn manifest_path(&self) -> PathBuf {
        self.out_dir.join(MANIFEST)
    }
}

const ROSTER_HINT: &str = "a roster is CSV or tab-separated text with a header row naming \
    its columns (name, id, weeks or due date, prevention, treatment, note, ...), or TOML \
    with [[patient]] tables; `handout batch --help` says more";

/// What happened to one row.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// The PDF was written.
    Written(Record),
    /// The PDF already held exactly these bytes.
    Unchanged(Record),
    /// The row could not be made or written.
    Failed(String),
}

/// What the manifest says of a made handout.
#[derive(Debug, Clone)]
pub struct Record {
    topic: String,
    language: String,
    version: String,
    picks: String,
    sha256: String,
    content_sha256: String,
}

/// `handout batch`. Returns the exit code: 0 when every row succeeded, 1 when
/// any failed, 2 when the combined file or the manifest could not be written
/// or the run was refused after the rows were checked.
pub fn batch(args: BatchArgs) -> Result<u8, Failure> {
    let settings = Settings::from_args(args)?;
    let batch = Batch {
        renderer: Renderer::new(),
        options: RenderOptions {
            paper: settings.context().paper(),
        },
        settings: &settings,
        drafts: Mutex::default(),
        used: Mutex::default(),
        fits: settings
            .roster
            .rows
            .iter()
            .map(|_| OnceLock::new())
            .collect(),
    };
    let rows = &settings.roster.rows;

    // 1. Check every row, laying each out, before anything is written.
    let (errors, glyphs) = batch.check_rows();
    for error in errors.values() {
        eprintln!("{error}");
    }
    let failed: Vec<usize> = errors.keys().copied().collect();
    let drafts = std::mem::take(&mut *batch.drafts.lock().expect("no thread panicked"));
    // A topic past its review date is named on every use.
    let used = std::mem::take(&mut *batch.used.lock().expect("no thread panicked"));
    let today = jiff::Zoned::now().date();
    for topic in settings.library.topics() {
        if topic.review.is_overdue(today)
            && used.contains(&(topic.id.clone(), topic.language.clone()))
        {
            let due = topic
                .review
                .review_due
                .expect("an overdue topic has a date");
            let name = format!("{} ({})", topic.id, topic.language);
            eprintln!("warning: {}", crate::content::overdue(&name, due));
        }
    }
    if let Some(refusal) = drafts_refused(&drafts, settings.allow_draft, rows) {
        print_failure(&refusal);
        let ready = rows.len() - errors.len();
        eprintln!(
            "{}",
            summary(&[(0, "written"), (ready, "not made")], &failed, rows)
        );
        return Ok(refusal.code);
    }
    if settings.check {
        let ready = rows.len() - errors.len();
        eprintln!("{}", summary(&[(ready, "ready")], &failed, rows));
        return Ok(u8::from(!errors.is_empty()));
    }

    match batch.write(&errors, &glyphs) {
        Ok(code) => Ok(code),
        Err(failure) => {
            // Refused before any handout was written: say so, then sum up.
            print_failure(&failure);
            let ready = rows.len() - errors.len();
            eprintln!(
                "{}",
                summary(&[(0, "written"), (ready, "not made")], &failed, rows)
            );
            Ok(failure.code)
        }
    }
}

impl Record {
    /// The record of `handout`, printed as `pdf`.
    pub fn of(handout: &Handout, pdf: &[u8], library: &Library) -> Record {
        Record {
            topic: handout.topic.clone(),
            language: handout.language.clone(),
            version: handout.version.to_string(),
            picks: handout.picks_record(),
            sha256: hex(&Sha256::digest(pdf)),
            content_sha256: library
                .sha256_of(&handout.topic, &handout.language)
                .unwrap_or_default()
                .to_string(),
        }
    }
}

/// The program and its version, as the manifest records it.
const PROGRAM: &str = concat!("handout ", env!("CARGO_PKG_VERSION"));

/// A manifest row for a row that made no handout.
fn failed_row<'a>(line: &'a str, id: &'a str, name: &'a str, status: &'a str) -> [&'a str; 13] {
    [line, id, name, "", "", "", "", "0", "", "", "", "", status]
}

/// What every stage of a batch shares.
struct Batch<'a> {
    renderer: Renderer,
    options: RenderOptions,
    settings: &'a Settings,
    /// The rows whose topic is a draft, by index, with the topic's name.
    drafts: Mutex<BTreeMap<usize, String>>,
    /// The topics and languages the rows use.
    used: Mutex<BTreeSet<(String, String)>>,
    /// Each good row's fit, found when the rows are checked, so that a row
    /// is placed once with no second search for its type size.
    fits: Vec<OnceLock<Fit>>,
}

/// A roster with rows of a draft topic is refused, naming them, unless
/// drafts are allowed; then a note names them.
fn drafts_refused(
    drafts: &BTreeMap<usize, String>,
    allowed: bool,
    rows: &[RosterRow],
) -> Option<Failure> {
    let which = draft_rows(drafts, rows)?;
    if allowed {
        eprintln!("note: {which}: printed with --allow-draft; their footer says they are drafts");
        return None;
    }
    Some(
        Failure::fatal(format!("nothing was written: {which}")).with_hint(
            "have a clinician who reads the language review the topic and mark it \
                 reviewed, or give --allow-draft to print drafts anyway",
        ),
    )
}

/// "rows 3, 5 (leg-cramps (es) is a draft, not yet clinically reviewed)",
/// or nothing when no row's topic is a draft.
pub fn draft_rows(drafts: &BTreeMap<usize, String>, rows: &[RosterRow]) -> Option<String> {
    if drafts.is_empty() {
        return None;
    }
    let mut topics: Vec<&str> = drafts.values().map(String::as_str).collect();
    topics.sort_unstable();
    topics.dedup();
    let lines: Vec<String> = drafts
        .keys()
        .map(|&index| rows[index].line.to_string())
        .collect();
    Some(format!(
        "{} {} ({} {} a draft, not yet clinically reviewed)",
        if lines.len() == 1 { "row" } else { "rows" },
        lines.join(", "),
        topics.join(", "),
        if topics.len() == 1 { "is" } else { "are" }
    ))
}

impl Batch<'_> {
    fn rows(&self) -> &[RosterRow] {
        &self.settings.roster.rows
    }

    /// A row's handout, in words. A draft's row is noted, to be refused or
    /// named.
    fn resolve(&self, index: usize) -> Result<Handout, RowError> {
        let roster = &self.settings.roster;
        let handout = roster
            .request(&roster.rows[index], &self.settings.context())?
            .handout;
        self.used
            .lock()
            .expect("no thread panics holding it")
            .insert((handout.topic.clone(), handout.language.clone()));
        if !handout.draft.is_empty() {
            self.drafts
                .lock()
                .expect("no thread panics holding it")
                .insert(index, format!("{} ({})", handout.topic, handout.language));
        }
        Ok(handout)
    }

    /// Stages 2 to 5, after the rows were checked: the exit code, or why
    /// the run was refused before any handout was written.
    fn write(&self, errors: &BTreeMap<usize, RowError>, glyphs: &GlyphUse) -> Result<u8, Failure> {
        let settings = self.settings;
        let rows = self.rows();

        // 2. Name the files and look at every target.
        let files = self.file_names();
        self.check_targets(&files)?;

        // 3. The folder, its lock, and what ended runs left.
        fs::create_dir_all(&settings.out_dir).map_err(|error| {
            let out_dir = settings.out_dir.display();
            Failure::fatal(match error.kind() {
                io::ErrorKind::InvalidFilename => {
                    format!(
                        "the path `{out_dir}` is too long for this system; choose a shorter one"
                    )
                }
                _ => format!("failed to create `{out_dir}`: {error}"),
            })
        })?;
        let mut locks = vec![lock(&settings.out_dir, settings)?];
        if let Some(CombinedTarget::Path(path)) = &settings.combined
            && !self.is_stream(path)
        {
            let folder = folder_of(path);
            if !same_folder(folder, &settings.out_dir) {
                locks.push(lock(folder, settings)?);
            }
        }
        for lock in &locks {
            lock.remove_stale_temporaries();
        }

        let good: Vec<usize> = (0..rows.len())
            .filter(|index| !errors.contains_key(index))
            .collect();
        let mut combined = match (&settings.combined, good.first()) {
            (Some(target), Some(&first)) => {
                let handout = self.resolve(first).map_err(Failure::fatal)?;
                Some(Combined::start(target, &self.renderer, glyphs, &handout)?)
            }
            _ => None,
        };
        // From here on the old manifest could disagree with the folder.
        let manifest_path = settings.manifest_path();
        if fs::symlink_metadata(&manifest_path).is_ok() {
            fs::remove_file(&manifest_path).map_err(|error| {
                Failure::fatal(format!(
                    "failed to replace `{}`: {error}",
                    manifest_path.display()
                ))
            })?;
        }
        cleanup::set_note(
            "the handouts written so far are whole, and the manifest is missing: run the same \
             command again to finish",
        );

        // 4. Make the good rows, and the combined file in roster order.
        let (mut outcomes, combined_error) = self.make_rows(&good, &files, combined.as_mut());
        for (index, error) in errors {
            outcomes.insert(*index, Outcome::Failed(error.message.clone()));
        }

        // 5. The combined file and the manifest.
        let mut code = 0;
        let mut combined_note = None;
        let mut late_errors = Vec::new();
        match (combined, combined_error) {
            (_, Some(error)) => {
                late_errors.push(Failure::fatal(format!(
                    "failed to write the combined PDF: {error}; it was not made"
                )));
                code = 2;
            }
            (Some(combined), None) => match combined.finish(settings.force) {
                Ok(note) => combined_note = Some(note),
                Err(failure) => {
                    code = code.max(failure.code);
                    late_errors.push(failure);
                }
            },
            (None, None) if settings.combined.is_some() => {
                combined_note = Some("no combined file: no row could be made".to_string());
            }
            (None, None) => {}
        }
        if let Err(error) = write_manifest(settings, &files, &outcomes) {
            late_errors.push(manifest_failure(&error, &outcomes, rows));
            code = 2;
        }

        // The summary comes last, whatever failed.
        let mut failed = Vec::new();
        for (&index, outcome) in &outcomes {
            if let Outcome::Failed(message) = outcome {
                if !errors.contains_key(&index) {
                    eprintln!("{}:{}: {message}", settings.roster.origin, rows[index].line);
                }
                failed.push(index);
            }
        }
        for failure in &late_errors {
            print_failure(failure);
        }
        let count = |wanted: fn(&Outcome) -> bool| outcomes.values().filter(|o| wanted(o)).count();
        let written = count(|o| matches!(o, Outcome::Written(_)));
        let unchanged = count(|o| matches!(o, Outcome::Unchanged(_)));
        if !settings.quiet || !failed.is_empty() || !late_errors.is_empty() {
            let mut line = summary(
                &[(written, "written"), (unchanged, "unchanged")],
                &failed,
                rows,
            );
            if let Some(note) = combined_note {
                line.push_str(&format!("; {note}"));
            }
            eprintln!("{line}");
        }
        drop(locks);
        if !failed.is_empty() {
            code = code.max(1);
        }
        Ok(code)
    }

    /// Whether the user named a device or a pipe for the combined file.
    fn is_stream(&self, path: &Path) -> bool {
        matches!(
            files::inspect(path, Devices::WriteInto, &self.settings.inputs),
            Ok(Existing::Stream)
        )
    }

    /// Checks every row on all cores: the failed rows by index, and, when a
    /// combined file is wanted, the glyphs of all the good ones.
    fn check_rows(&self) -> (BTreeMap<usize, RowError>, GlyphUse) {
        let rows = self.rows();
        let progress = Progress::new(self.settings.progress, rows.len() as u64, "checking");
        let wants_glyphs = self.settings.combined.is_some();
        // Glyphs are merged as rows finish, so memory stays flat however long
        // the roster; merging gives the same result in any order.
        let glyphs = Mutex::new(GlyphUse::default());
        let checked = parallel(rows.len(), self.settings.jobs, |index| {
            let result = self.resolve(index).and_then(|handout| {
                let row_error = |error: handout_render::RenderError| {
                    self.settings
                        .roster
                        .row_error(&rows[index], error.to_string())
                };
                // The combined file needs each page's glyphs; otherwise
                // knowing that the page fits is enough.
                let fit = if wants_glyphs {
                    let (fit, used) = self
                        .renderer
                        .fit_with_glyphs(&handout, &self.options)
                        .map_err(row_error)?;
                    glyphs
                        .lock()
                        .expect("no thread panics holding it")
                        .merge(used);
                    fit
                } else {
                    self.renderer
                        .fit(&handout, &self.options)
                        .map_err(row_error)?
                };
                let _ = self.fits[index].set(fit);
                Ok(())
            });
            progress.tick();
            result.err()
        });
        progress.finish();
        let errors = checked
            .into_iter()
            .enumerate()
            .filter_map(|(index, error)| error.map(|error| (index, error)))
            .collect();
        (errors, glyphs.into_inner().expect("no thread panicked"))
    }

    fn file_names(&self) -> Vec<String> {
        file_names(
            self.rows(),
            self.settings.template.as_ref(),
            self.settings.date,
        )
    }

    /// Refuses, before anything is written: a target that is an input; a
    /// combined file that is a handout or the manifest, that exists without
    /// `--force`, or that is not a PDF; a manifest that is not one this
    /// program wrote, without `--force`.
    fn check_targets(&self, files: &[String]) -> Result<(), Failure> {
        let settings = self.settings;
        let out_dir = &settings.out_dir;
        let inputs = &settings.inputs;
        match fs::metadata(out_dir) {
            Ok(meta) if !meta.is_dir() => {
                return Err(Failure::fatal(WriteError::NotAFolder(out_dir.clone())));
            }
            _ => {}
        }
        let manifest = settings.manifest_path();
        for file in files {
            inputs.check(&out_dir.join(file)).map_err(Failure::fatal)?;
        }
        if out_dir.is_dir() {
            match files::inspect(&manifest, Devices::Refuse, inputs).map_err(Failure::fatal)? {
                Existing::File if !settings.force && !is_manifest(&manifest).unwrap_or(false) => {
                    return Err(Failure::fatal(format!(
                        "`{}` exists and is not a handout manifest; move it away, or use \
                         --force to replace it",
                        manifest.display()
                    )));
                }
                _ => {}
            }
        } else {
            inputs.check(&manifest).map_err(Failure::fatal)?;
        }
        let Some(CombinedTarget::Path(combined)) = &settings.combined else {
            return Ok(());
        };
        let folder = folder_of(combined);
        let in_out_dir = same_folder(folder, out_dir);
        let name = combined
            .file_name()
            .and_then(|name| name.to_str())
            .unwrap_or("");
        let clashes = name.eq_ignore_ascii_case(MANIFEST)
            || files.iter().any(|file| file.eq_ignore_ascii_case(name));
        if in_out_dir && clashes {
            return Err(Failure::fatal(format!(
                "--combined `{}` is a file this batch writes in `{}`; give the combined file \
                 another name or folder",
                combined.display(),
                out_dir.display()
            )));
        }
        if in_out_dir && !out_dir.is_dir() {
            // The folder is made in the next stage.
            return inputs.check(combined).map_err(Failure::fatal);
        }
        let existing = files::inspect(combined, Devices::WriteInto, inputs).map_err(|error| {
            let failure = Failure::fatal(format!("--combined: {error}"));
            match error {
                WriteError::NoFolder(_) => failure.with_hint("create the folder first"),
                _ => failure,
            }
        })?;
        if existing == Existing::File {
            let display = combined.display();
            if !files::is_pdf(combined).unwrap_or(false) {
                return Err(Failure::fatal(WriteError::NotPdf(combined.clone())));
            }
            if !settings.force {
                return Err(Failure::fatal(format!(
                    "--combined `{display}` already exists; use --force to replace it (it is \
                     kept as it is if it already holds this day's handouts)"
                )));
            }
        }
        Ok(())
    }

    /// Makes the good rows on all cores, adding their pages to the combined
    /// file in roster order as they arrive. Returns each row's outcome, and
    /// why the combined file could not be written, if it could not.
    fn make_rows(
        &self,
        good: &[usize],
        files: &[String],
        mut combined: Option<&mut Combined>,
    ) -> (BTreeMap<usize, Outcome>, Option<io::Error>) {
        let progress = Progress::new(self.settings.progress, good.len() as u64, "writing");
        let outcomes = Mutex::new(BTreeMap::new());
        let encoder = combined.as_ref().map(|combined| combined.pdf.encoder());
        let jobs = self.settings.jobs.min(good.len()).max(1);
        let (sender, receiver) =
            mpsc::sync_channel::<(usize, io::Result<Option<EncodedPages>>)>(jobs * 4);
        let next = AtomicUsize::new(0);
        let mut write_error = None;
        std::thread::scope(|scope| {
            for _ in 0..jobs {
                let sender = sender.clone();
                let (next, outcomes, encoder) = (&next, &outcomes, &encoder);
                scope.spawn(move || {
                    loop {
                        let position = next.fetch_add(1, Ordering::Relaxed);
                        let Some(&index) = good.get(position) else {
                            break;
                        };
                        let (outcome, content) =
                            self.make_row(index, &files[index], encoder.as_ref());
                        outcomes
                            .lock()
                            .expect("no thread panics holding it")
                            .insert(index, outcome);
                        if sender.send((position, content)).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(sender);
            // Pages arrive in any order; the combined file takes them in order.
            // Rows take about the same time, so few ever wait here.
            let mut waiting = BTreeMap::new();
            let mut expected = 0;
            for (position, content) in receiver {
                progress.tick();
                waiting.insert(position, content);
                while let Some(content) = waiting.remove(&expected) {
                    expected += 1;
                    if write_error.is_some() {
                        continue;
                    }
                    let added = match (combined.as_deref_mut(), content) {
                        (Some(combined), Ok(Some(content))) => combined.pdf.add(content),
                        (_, Err(error)) => Err(error),
                        _ => Ok(()),
                    };
                    if let Err(error) = added {
                        write_error = Some(error);
                    }
                }
            }
        });
        progress.finish();
        (
            outcomes.into_inner().expect("no thread panicked"),
            write_error,
        )
    }

    /// Renders, writes and records one good row; with its page for the
    /// combined file, if one is wanted.
    fn make_row(
        &self,
        index: usize,
        file: &str,
        encoder: Option<&CombinedEncoder>,
    ) -> (Outcome, io::Result<Option<EncodedPages>>) {
        let failed = |message: String| (Outcome::Failed(message), Ok(None));
        let handout = match self.resolve(index) {
            Ok(handout) => handout,
            Err(error) => return failed(error.message),
        };
        let document = match self.fits[index].get() {
            Some(fit) => self.renderer.layout_fitted(&handout, fit),
            None => match self.renderer.layout(&handout, &self.options) {
                Ok(document) => document,
                Err(error) => return failed(error.to_string()),
            },
        };
        let pdf = self.renderer.write_pdf(&document);
        let content = encoder.map(|encoder| encoder.encode(&document)).transpose();
        let record = Record::of(&handout, &pdf, &self.settings.library);
        (
            self.write_row(&self.settings.out_dir.join(file), &pdf, record),
            content,
        )
    }

    /// Writes one handout, unless the file already holds it. Only a regular
    /// file is compared or replaced.
    fn write_row(&self, path: &Path, pdf: &[u8], record: Record) -> Outcome {
        let settings = self.settings;
        let existing = match files::inspect(path, Devices::Refuse, &settings.inputs) {
            Ok(existing) => existing,
            Err(error) => return Outcome::Failed(error.to_string()),
        };
        if existing == Existing::File {
            match files::holds(path, pdf) {
                Ok(true) => return Outcome::Unchanged(record),
                Ok(false) if !settings.force => {
                    return Outcome::Failed(format!(
                        "`{}` exists and holds something else; use --force to replace it",
                        path.display()
                    ));
                }
                Ok(false) => {}
                Err(error) => {
                    return Outcome::Failed(format!(
                        "failed to read `{}`: {error}",
                        path.display()
                    ));
                }
            }
        }
        match files::write_file(
            path,
            pdf,
            settings.force,
            Devices::Refuse,
            Durability::Cached,
            &settings.inputs,
        ) {
            Ok(_) => Outcome::Written(record),
            Err(error) => Outcome::Failed(error.to_string()),
        }
    }
}

/// Locks `folder` for this run, and shows a note if an old lock was taken over.
fn lock(folder: &Path, settings: &Settings) -> Result<FolderLock, Failure> {
    let (lock, note) = FolderLock::acquire(folder, settings.force).map_err(Failure::fatal)?;
    if let Some(note) = note
        && !settings.quiet
    {
        eprintln!("note: {note}");
    }
    Ok(lock)
}

/// Whether two folders are one, as written or on disk. The second may not
/// exist yet.
fn same_folder(a: &Path, b: &Path) -> bool {
    a.components().eq(b.components())
        || matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b)
}

/// Where the combined file's bytes go while it is written.
enum Sink {
    /// A temporary file beside the target.
    Temp(Temp),
    /// Standard output, or a device or a pipe the user named: written as it
    /// comes.
    Stream(Box<dyn Write + Send>),
}

impl Write for Sink {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Temp(temp) => temp.write(bytes),
            Sink::Stream(stream) => stream.write(bytes),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Temp(temp) => temp.flush(),
            Sink::Stream(stream) => stream.flush(),
        }
    }
}

/// The combined file, being written.
struct Combined {
    pdf: CombinedPdf<BufWriter<Sink>>,
    target: CombinedTarget,
}

impl Combined {
    /// Starts the combined file: its temporary file is created now, which
    /// proves the folder writable before any row is made.
    fn start(
        target: &CombinedTarget,
        renderer: &Renderer,
        glyphs: &GlyphUse,
        handout: &Handout,
    ) -> Result<Combined, Failure> {
        let terminal = || {
            Failure::fatal("--combined: will not write a PDF to a terminal")
                .with_hint("redirect standard output to a file or a printer command")
        };
        let sink = match target {
            CombinedTarget::Stdout => {
                let stdout = io::stdout();
                if stdout.is_terminal() {
                    return Err(terminal());
                }
                Sink::Stream(Box::new(stdout))
            }
            CombinedTarget::Path(path) => match fs::metadata(path) {
                Ok(meta) if !meta.is_file() => {
                    let device =
                        fs::OpenOptions::new()
                            .write(true)
                            .open(path)
                            .map_err(|error| {
                                Failure::fatal(WriteError::Io {
                                    path: path.clone(),
                                    source: error,
                                })
                            })?;
                    if device.is_terminal() {
                        return Err(terminal());
                    }
                    Sink::Stream(Box::new(device))
                }
                _ => Sink::Temp(
                    Temp::new_in(folder_of(path))
                        .map_err(|error| Failure::fatal(format!("--combined: {error}")))?,
                ),
            },
        };
        let pdf = renderer
            .combined_pdf(BufWriter::new(sink), glyphs, &DocumentInfo::of(handout))
            .map_err(|error| {
                Failure::fatal(format!("failed to start the combined PDF: {error}"))
            })?;
        Ok(Combined {
            pdf,
            target: target.clone(),
        })
    }

    /// Finishes the file and moves it into place; returns what to say of it.
    fn finish(self, force: bool) -> Result<String, Failure> {
        let pages = self.pdf.page_count();
        let failed = |error: io::Error| {
            Failure::fatal(format!(
                "failed to write the combined PDF: {error}; it was not made"
            ))
        };
        let sink = self
            .pdf
            .finish()
            .and_then(|writer| writer.into_inner().map_err(|error| error.into_error()))
            .map_err(failed)?;
        let (mut temp, path) = match (sink, &self.target) {
            (Sink::Temp(temp), CombinedTarget::Path(path)) => (temp, path),
            (Sink::Stream(mut stream), target) => {
                stream.flush().map_err(failed)?;
                let name = match target {
                    CombinedTarget::Stdout => "standard output".to_string(),
                    CombinedTarget::Path(path) => path.display().to_string(),
                };
                return Ok(format!("{name}: {}", page_count(pages)));
            }
            (Sink::Temp(_), CombinedTarget::Stdout) => unreachable!("stdout is a stream"),
        };
        temp.sync().map_err(failed)?;
        let display = path.display();
        // A rerun with --force that makes the same file leaves it untouched.
        if force
            && fs::symlink_metadata(path).is_ok_and(|meta| meta.is_file())
            && temp.is_same_as(path).unwrap_or(false)
        {
            return Ok(format!("{display} unchanged ({})", page_count(pages)));
        }
        temp.persist(path, force).map_err(|error| {
            let failure = Failure::fatal(format!("--combined: {error}"));
            if error.is_input_error() {
                Failure { code: 1, ..failure }
            } else {
                failure
            }
        })?;
        Ok(format!("{display}: {}", page_count(pages)))
    }
}

/// "1 page", "4 pages".
fn page_count(pages: usize) -> String {
    match pages {
        1 => "1 page".to_string(),
        _ => format!("{pages} pages"),
    }
}

/// "97 written, 3 failed (rows 17, 42, 88)". Rows are the roster's line
/// numbers, which is what a spreadsheet shows.
fn summary(counts: &[(usize, &str)], failed: &[usize], rows: &[RosterRow]) -> String {
    let mut parts: Vec<String> = counts
        .iter()
        .enumerate()
        .filter(|(i, (count, _))| *i == 0 || *count > 0)
        .map(|(_, (count, what))| format!("{count} {what}"))
        .collect();
    if !failed.is_empty() {
        parts.push(format!(
            "{} failed (rows {})",
            failed.len(),
            row_list(failed, rows)
        ));
    }
    parts.join(", ")
}

/// "17, 42, 88", or the first 20 "and 12 more".
fn row_list(indices: &[usize], rows: &[RosterRow]) -> String {
    let lines: Vec<String> = indices
        .iter()
        .filter_map(|&index| rows.get(index))
        .map(|row| row.line.to_string())
        .collect();
    let shown = lines
        .iter()
        .take(20)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if lines.len() > 20 {
        format!("{shown} and {} more", lines.len() - 20)
    } else {
        shown
    }
}

/// Every row's file name, failed rows too, so that a name does not change
/// when another row is fixed.
pub fn file_names(rows: &[RosterRow], template: Option<&Template>, date: Date) -> Vec<String> {
    let mut names = Names::default();
    let has_ids = rows
        .iter()
        .any(|row| row.id.as_deref().is_some_and(|id| !id.trim().is_empty()));
    let date = date.to_string();
    rows.iter()
        .map(|row| {
            let id = row.id.as_deref().map(str::trim).filter(|id| !id.is_empty());
            let template = match template {
                Some(template) if template.uses_id() && id.is_none() => {
                    Template::default_for(false)
                }
                Some(template) => template.clone(),
                None => Template::default_for(has_ids && id.is_some()),
            };
            let name = row.request.name.as_deref().unwrap_or("").trim();
            names.claim(template.file_name(&Fields {
                id,
                row: row.line,
                name,
                date: &date,
            }))
        })
        .collect()
}

/// Writes the manifest through a temporary file.
fn write_manifest(
    settings: &Settings,
    files: &[String],
    outcomes: &BTreeMap<usize, Outcome>,
) -> Result<(), WriteError> {
    let manifest = manifest_of(&settings.roster.rows, files, outcomes);
    let path = settings.manifest_path();
    let io = |source| WriteError::Io {
        path: path.clone(),
        source,
    };
    let mut temp = Temp::new_in(&settings.out_dir)?;
    temp.write_all(&manifest.into_bytes()).map_err(io)?;
    temp.sync().map_err(io)?;
    temp.persist(&path, true)
}

/// The manifest of a batch: a line for every row, in roster order, with
/// its file or why it has none. Only checked values go into it, and every
/// cell is neutralised for spreadsheets.
pub fn manifest_of(
    rows: &[RosterRow],
    files: &[String],
    outcomes: &BTreeMap<usize, Outcome>,
) -> Manifest {
    let mut manifest = Manifest::new();
    for (index, row) in rows.iter().enumerate() {
        let line = row.line.to_string();
        let id = row.checked_id().unwrap_or("");
        let name = row.checked_name().unwrap_or_default();
        match outcomes.get(&index) {
            Some(outcome @ (Outcome::Written(record) | Outcome::Unchanged(record))) => {
                let status = match outcome {
                    Outcome::Written(_) => "written",
                    _ => "unchanged",
                };
                manifest.push(&[
                    &line,
                    id,
                    &name,
                    &record.topic,
                    &record.language,
                    &record.version,
                    &files[index],
                    "1",
                    &record.picks,
                    &record.sha256,
                    &record.content_sha256,
                    PROGRAM,
                    status,
                ]);
            }
            Some(Outcome::Failed(message)) => {
                let status = format!("failed: {message}");
                manifest.push(&failed_row(&line, id, &name, &status));
            }
            None => manifest.push(&failed_row(&line, id, &name, "failed: not made")),
        }
    }
    manifest
}

/// What to say when the manifest could not be written: which rows' files
/// are in the folder, and that it has no manifest now.
fn manifest_failure(
    error: &WriteError,
    outcomes: &BTreeMap<usize, Outcome>,
    rows: &[RosterRow],
) -> Failure {
    let of = |wanted: fn(&Outcome) -> bool| -> Vec<usize> {
        outcomes
            .iter()
            .filter(|(_, outcome)| wanted(outcome))
            .map(|(&index, _)| index)
            .collect()
    };
    let written = of(|o| matches!(o, Outcome::Written(_)));
    let unchanged = of(|o| matches!(o, Outcome::Unchanged(_)));
    let mut made = Vec::new();
    if !written.is_empty() {
        made.push(format!(
            "{} written now (rows {})",
            written.len(),
            row_list(&written, rows)
        ));
    }
    if !unchanged.is_empty() {
        made.push(format!("{} there already", unchanged.len()));
    }
    let made = if made.is_empty() {
        "no handouts".to_string()
    } else {
        format!("handouts {}", made.join(" and "))
    };
    Failure::fatal(format!(
        "{error}; the manifest is missing: the folder holds the {made}, and no manifest"
    ))
    .with_hint("free some space or fix the folder, then run the same command again to make it")
}

/// Runs `work` for `0..count` on `jobs` threads; results in index order.
pub fn parallel<T: Send>(count: usize, jobs: usize, work: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<T>>> = Mutex::new((0..count).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..jobs.min(count).max(1) {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    if index >= count {
                        break;
                    }
                    let result = work(index);
                    results.lock().expect("no thread panics holding it")[index] = Some(result);
                }
            });
        }
    });
    results
        .into_inner()
        .expect("no thread panicked")
        .into_iter()
        .map(|result| result.expect("every index was done"))
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// A progress bar on a terminal; nothing otherwise. It shows counts only.
struct Progress(Option<indicatif::ProgressBar>);

impl Progress {
    fn new(show: bool, total: u64, what: &'static str) -> Progress {
        Progress(show.then(|| {
            let bar = indicatif::ProgressBar::new(total);
            if let Ok(style) = indicatif::ProgressStyle::with_template(&format!(
                "{what:>9} [{{bar:30}}] {{pos}}/{{len}}, about {{eta}} left"
            )) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar
        }))
    }

    fn tick(&self) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

//! `handout batch`: one handout per roster row, a combined file to print in
//! one go, and a manifest of what each patient was given.
//!
//! Every row is checked (and laid out) before anything is written. Rows are
//! then rendered on all cores; each PDF is written whole under a temporary
//! name and moved into place, so an interrupted run leaves only whole files
//! and a rerun finishes the job: a file that already holds exactly what its
//! row would produce is "unchanged", not a conflict. Progress and the
//! summary show counts only; a patient's name reaches the terminal only in
//! the error line of a row that failed (as its file's name), never a note.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self, BufWriter, IsTerminal};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, mpsc};

use handout_content::{
    Date, Handout, Paper, Practice, Roster, RosterRow, RowError, SectionKind, Topic, parse_date,
};
use handout_render::{GlyphUse, PageContent, PageEncoder, RenderOptions, Renderer};
use sha2::{Digest, Sha256};

use crate::Failure;
use crate::args::BatchArgs;
use crate::names::{Fields, Names, Template};
use crate::output::{Durability, TEMP_SUFFIX, WriteError, folder_of, write_atomically};
use crate::render::read_practice;

/// The manifest's file name inside the output folder.
pub const MANIFEST: &str = "manifest.csv";

/// Everything `batch` needs, checked.
struct Settings {
    roster: Roster,
    practice: Practice,
    date: Date,
    paper: Paper,
    out_dir: PathBuf,
    combined: Option<PathBuf>,
    check: bool,
    force: bool,
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
        let bytes = fs::read(&args.roster).map_err(|error| {
            Failure::fatal(format!(
                "failed to read roster `{}`: {error}",
                args.roster.display()
            ))
        })?;
        let roster = Roster::parse(&args.roster.display().to_string(), &bytes)
            .map_err(|error| Failure::fatal(error).with_hint(ROSTER_HINT))?;
        let practice = match &args.practice {
            Some(path) => read_practice(path).map_err(|failure| Failure { code: 2, ..failure })?,
            None => Practice::default(),
        };
        let date = match &args.date {
            Some(text) => {
                parse_date("date", text).map_err(|e| Failure::fatal(format!("--date: {e}")))?
            }
            None => jiff::Zoned::now().date(),
        };
        let paper = args
            .paper
            .map_or(practice.paper.unwrap_or_default(), Paper::from);
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let stderr_is_terminal = std::io::stderr().is_terminal();
        Ok(Settings {
            roster,
            practice,
            date,
            paper,
            out_dir: args.output,
            combined: args.combined,
            check: args.check,
            force: args.force,
            jobs: args.jobs.map_or(cores, usize::from),
            template,
            progress: stderr_is_terminal && !args.quiet,
            quiet: args.quiet,
        })
    }
}

const ROSTER_HINT: &str = "a roster is CSV with a header row (name, id, weeks or due_date, \
    prevention, treatment, note, midwife, topic, language) or TOML with [[patient]] tables";

/// What happened to one row.
#[derive(Debug, Clone)]
enum Outcome {
    /// The PDF was written.
    Written(Record),
    /// The PDF already held exactly these bytes.
    Unchanged(Record),
    /// The row could not be made or written.
    Failed(String),
}

/// What the manifest says of a made handout.
#[derive(Debug, Clone)]
struct Record {
    prevention: String,
    treatment: String,
    sha256: String,
}

/// `handout batch`. Returns the exit code: 0 when every row succeeded, 1 when
/// any failed.
pub fn batch(args: BatchArgs) -> Result<u8, Failure> {
    let settings = Settings::from_args(args)?;
    let batch = Batch {
        topics: Topic::builtin(),
        renderer: Renderer::new(),
        options: RenderOptions {
            paper: settings.paper,
        },
        settings: &settings,
    };
    let rows = &settings.roster.rows;

    // 1. Check every row, laying each out, before anything is written.
    let (errors, glyphs) = batch.check_rows();
    for error in errors.values() {
        eprintln!("{error}");
    }
    if settings.check {
        let failed: Vec<usize> = errors.keys().copied().collect();
        eprintln!(
            "{}",
            summary(&[(rows.len() - errors.len(), "ready")], &failed, rows)
        );
        return Ok(u8::from(!errors.is_empty()));
    }

    // 2. Name the files and make the folder.
    let files = batch.file_names();
    check_combined_path(&settings, &files)?;
    fs::create_dir_all(&settings.out_dir).map_err(|error| {
        Failure::fatal(format!(
            "failed to create `{}`: {error}",
            settings.out_dir.display()
        ))
    })?;
    remove_stale_temporaries(&settings.out_dir);
    if let Some(combined) = &settings.combined {
        remove_stale_temporaries(folder_of(combined));
    }

    // 3. Make the good rows, and the combined file in roster order.
    let good: Vec<usize> = (0..rows.len())
        .filter(|index| !errors.contains_key(index))
        .collect();
    let mut combined = match (&settings.combined, good.first()) {
        (Some(path), Some(&first)) => {
            let handout = batch.resolve(first).map_err(Failure::fatal)?;
            Some(Combined::start(path, &batch.renderer, &glyphs, &handout)?)
        }
        _ => None,
    };
    let mut outcomes = batch.make_rows(&good, &files, combined.as_mut())?;
    for (index, error) in &errors {
        outcomes.insert(*index, Outcome::Failed(error.message.clone()));
    }
    let mut combined_note = None;
    let mut combined_failed = false;
    if settings.combined.is_some() && combined.is_none() {
        combined_note = Some("no combined file: no row could be made".to_string());
    }
    if let Some(combined) = combined {
        match combined.finish(settings.force) {
            Ok(note) => combined_note = Some(note),
            Err(failure) if failure.code == 1 => {
                eprintln!("{}", failure.message);
                combined_failed = true;
            }
            Err(failure) => return Err(failure),
        }
    }

    // 4. The manifest, once, at the end; then the summary.
    write_manifest(&settings, &files, &outcomes)?;
    let mut failed = Vec::new();
    for (&index, outcome) in &outcomes {
        if let Outcome::Failed(message) = outcome {
            if !errors.contains_key(&index) {
                eprintln!("{}:{}: {message}", settings.roster.origin, rows[index].line);
            }
            failed.push(index);
        }
    }
    let count = |wanted: fn(&Outcome) -> bool| outcomes.values().filter(|o| wanted(o)).count();
    let written = count(|o| matches!(o, Outcome::Written(_)));
    let unchanged = count(|o| matches!(o, Outcome::Unchanged(_)));
    if !settings.quiet || !failed.is_empty() {
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
    Ok(u8::from(!failed.is_empty() || combined_failed))
}

/// What every stage of a batch shares.
struct Batch<'a> {
    topics: Vec<Topic>,
    renderer: Renderer,
    options: RenderOptions,
    settings: &'a Settings,
}

impl Batch<'_> {
    fn rows(&self) -> &[RosterRow] {
        &self.settings.roster.rows
    }

    fn origin(&self) -> &str {
        &self.settings.roster.origin
    }

    /// A row's handout, in words.
    fn resolve(&self, index: usize) -> Result<Handout, RowError> {
        let settings = self.settings;
        self.rows()[index].resolve(
            self.origin(),
            &self.topics,
            &settings.practice,
            settings.date,
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
                // The combined file needs each page's glyphs; otherwise
                // checking that the page fits is enough.
                let checked = if wants_glyphs {
                    self.renderer.layout(&handout, &self.options).map(|page| {
                        let used = GlyphUse::of_page(&page);
                        glyphs
                            .lock()
                            .expect("no thread panics holding it")
                            .merge(used);
                    })
                } else {
                    self.renderer.check(&handout, &self.options)
                };
                let row = &rows[index];
                checked.map_err(|error| RowError {
                    origin: self.origin().to_string(),
                    line: row.line,
                    row: row.row,
                    message: error.to_string(),
                })
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

    /// Every row's file name, failed rows too, so that a name does not
    /// change when another row is fixed.
    fn file_names(&self) -> Vec<String> {
        let mut names = Names::default();
        let has_ids = self
            .rows()
            .iter()
            .any(|row| row.id.as_deref().is_some_and(|id| !id.trim().is_empty()));
        let date = self.settings.date.to_string();
        self.rows()
            .iter()
            .map(|row| {
                let id = row.id.as_deref().map(str::trim).filter(|id| !id.is_empty());
                let template = match &self.settings.template {
                    Some(template) if template.uses_id() && id.is_none() => {
                        Template::default_for(false)
                    }
                    Some(template) => template.clone(),
                    None => Template::default_for(has_ids && id.is_some()),
                };
                let name = row.name.as_deref().unwrap_or("").trim();
                names.claim(template.file_name(&Fields {
                    id,
                    row: row.line,
                    name,
                    date: &date,
                }))
            })
            .collect()
    }

    /// Makes the good rows on all cores, adding their pages to the combined
    /// file in roster order as they arrive.
    fn make_rows(
        &self,
        good: &[usize],
        files: &[String],
        mut combined: Option<&mut Combined>,
    ) -> Result<BTreeMap<usize, Outcome>, Failure> {
        let progress = Progress::new(self.settings.progress, good.len() as u64, "writing");
        let outcomes = Mutex::new(BTreeMap::new());
        let encoder = combined.as_ref().map(|combined| combined.pdf.encoder());
        let jobs = self.settings.jobs.min(good.len()).max(1);
        let (sender, receiver) =
            mpsc::sync_channel::<(usize, io::Result<Option<PageContent>>)>(jobs * 4);
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
                    let added = match (combined.as_deref_mut(), content) {
                        (Some(combined), Ok(Some(content))) => combined.pdf.add_page(content),
                        (_, Err(error)) => Err(error),
                        _ => Ok(()),
                    };
                    if let Err(error) = added {
                        write_error.get_or_insert(error);
                    }
                }
            }
        });
        progress.finish();
        if let Some(error) = write_error {
            return Err(Failure::fatal(format!(
                "failed to write the combined PDF: {error}"
            )));
        }
        Ok(outcomes.into_inner().expect("no thread panicked"))
    }

    /// Renders, writes and records one good row; with its page for the
    /// combined file, if one is wanted.
    fn make_row(
        &self,
        index: usize,
        file: &str,
        encoder: Option<&PageEncoder>,
    ) -> (Outcome, io::Result<Option<PageContent>>) {
        let failed = |message: String| (Outcome::Failed(message), Ok(None));
        let handout = match self.resolve(index) {
            Ok(handout) => handout,
            Err(error) => return failed(error.message),
        };
        let page = match self.renderer.layout(&handout, &self.options) {
            Ok(page) => page,
            Err(error) => return failed(error.to_string()),
        };
        let pdf = self.renderer.write_pdf(&page, &handout);
        let content = encoder
            .map(|encoder| self.renderer.encode(encoder, &page))
            .transpose();
        let record = Record {
            prevention: handout.printed_ids(SectionKind::Prevention).join(";"),
            treatment: handout.printed_ids(SectionKind::Treatment).join(";"),
            sha256: hex(&Sha256::digest(&pdf)),
        };
        let settings = self.settings;
        let path = settings.out_dir.join(file);
        let outcome = match fs::read(&path) {
            Ok(existing) if existing == pdf => Outcome::Unchanged(record),
            Ok(_) if !settings.force => Outcome::Failed(format!(
                "`{}` exists and holds something else; use --force to replace it",
                path.display()
            )),
            _ => match write_atomically(&path, &pdf, settings.force, Durability::Cached) {
                Ok(_) => Outcome::Written(record),
                Err(error) => Outcome::Failed(error.to_string()),
            },
        };
        (outcome, content)
    }
}

/// The combined file, being written under a temporary name.
struct Combined {
    pdf: handout_render::PdfWriter<BufWriter<File>>,
    path: PathBuf,
    temp: PathBuf,
}

impl Combined {
    fn start(
        path: &Path,
        renderer: &Renderer,
        glyphs: &GlyphUse,
        handout: &Handout,
    ) -> Result<Combined, Failure> {
        let folder = folder_of(path);
        if !folder.is_dir() {
            return Err(Failure::fatal(WriteError::NoFolder(folder.to_path_buf())));
        }
        let name = path
            .file_name()
            .map_or_else(|| "combined".into(), |name| name.to_string_lossy());
        let temp = folder.join(format!(".{name}.{}{TEMP_SUFFIX}", std::process::id()));
        let file = File::create(&temp).map_err(|error| {
            Failure::fatal(format!("failed to create `{}`: {error}", temp.display()))
        })?;
        let pdf = renderer
            .combined(BufWriter::new(file), glyphs, handout)
            .map_err(|error| {
                Failure::fatal(format!("failed to start the combined PDF: {error}"))
            })?;
        Ok(Combined {
            pdf,
            path: path.to_path_buf(),
            temp,
        })
    }

    /// Finishes the file and moves it into place; returns what to say of it.
    fn finish(self, force: bool) -> Result<String, Failure> {
        let pages = self.pdf.page_count();
        let result = self
            .pdf
            .finish()
            .and_then(|writer| writer.into_inner().map_err(|error| error.into_error()))
            .and_then(|file| file.sync_all());
        let cleanup = |failure: Failure| {
            let _ = fs::remove_file(&self.temp);
            failure
        };
        result.map_err(|error| {
            cleanup(Failure::fatal(format!(
                "failed to write the combined PDF: {error}"
            )))
        })?;
        let display = self.path.display();
        if let Ok(existing) = fs::read(&self.path) {
            let new = fs::read(&self.temp).map_err(|e| cleanup(Failure::fatal(e)))?;
            if existing == new {
                let _ = fs::remove_file(&self.temp);
                return Ok(format!("{display} unchanged ({pages} pages)"));
            }
            if !force {
                return Err(cleanup(Failure::input(format!(
                    "`{display}` exists and holds something else; use --force to replace it"
                ))));
            }
        }
        fs::rename(&self.temp, &self.path).map_err(|error| {
            cleanup(Failure::fatal(format!(
                "failed to write `{display}`: {error}"
            )))
        })?;
        Ok(format!("{display}: {pages} pages"))
    }
}

/// Refuses a combined file whose folder is missing, or that would land on a
/// handout or the manifest.
fn check_combined_path(settings: &Settings, files: &[String]) -> Result<(), Failure> {
    let Some(combined) = &settings.combined else {
        return Ok(());
    };
    let folder = folder_of(combined);
    // The output folder may not exist yet: compare the paths as written too.
    let in_out_dir = folder.components().eq(settings.out_dir.components())
        || matches!((folder.canonicalize(), settings.out_dir.canonicalize()), (Ok(a), Ok(b)) if a == b);
    if !in_out_dir && !folder.is_dir() {
        return Err(Failure::fatal(format!(
            "--combined: folder `{}` does not exist; create it first or choose another",
            folder.display()
        )));
    }
    let name = combined
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or("");
    let clashes = name.eq_ignore_ascii_case(MANIFEST)
        || files.iter().any(|file| file.eq_ignore_ascii_case(name));
    if in_out_dir && clashes {
        return Err(Failure::fatal(format!(
            "--combined `{}` is a file this batch writes in `{}`; give the combined file another name or folder",
            combined.display(),
            settings.out_dir.display()
        )));
    }
    Ok(())
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
        let lines: Vec<String> = failed
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
        let more = if lines.len() > 20 {
            format!(" and {} more", lines.len() - 20)
        } else {
            String::new()
        };
        parts.push(format!("{} failed (rows {shown}{more})", lines.len()));
    }
    parts.join(", ")
}

fn write_manifest(
    settings: &Settings,
    files: &[String],
    outcomes: &BTreeMap<usize, Outcome>,
) -> Result<(), Failure> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header = [
        "row",
        "id",
        "name",
        "file",
        "pages",
        "prevention",
        "treatment",
        "sha256",
        "status",
    ];
    let mut write = |record: &[&str]| {
        writer
            .write_record(record)
            .map_err(|error| Failure::fatal(format!("failed to build the manifest: {error}")))
    };
    write(&header)?;
    for (index, row) in settings.roster.rows.iter().enumerate() {
        let line = row.line.to_string();
        let id = row.id.as_deref().unwrap_or("").trim();
        let name = row.name.as_deref().unwrap_or("").trim();
        match outcomes.get(&index) {
            Some(Outcome::Written(record)) | Some(Outcome::Unchanged(record)) => {
                let status = if matches!(outcomes.get(&index), Some(Outcome::Written(_))) {
                    "written"
                } else {
                    "unchanged"
                };
                write(&[
                    &line,
                    id,
                    name,
                    &files[index],
                    "1",
                    &record.prevention,
                    &record.treatment,
                    &record.sha256,
                    status,
                ])?;
            }
            Some(Outcome::Failed(message)) => {
                write(&[
                    &line,
                    id,
                    name,
                    "",
                    "0",
                    "",
                    "",
                    "",
                    &format!("failed: {message}"),
                ])?;
            }
            None => write(&[&line, id, name, "", "0", "", "", "", "failed: not made"])?,
        }
    }
    let bytes = writer
        .into_inner()
        .map_err(|error| Failure::fatal(format!("failed to build the manifest: {error}")))?;
    write_atomically(
        &settings.out_dir.join(MANIFEST),
        &bytes,
        true,
        Durability::Flushed,
    )
    .map_err(Failure::fatal)?;
    Ok(())
}

/// Removes temporary files that an interrupted run left in `folder`, so that
/// the folder holds only whole PDFs. Another process's files are left alone
/// while that process lives.
fn remove_stale_temporaries(folder: &Path) {
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(rest) = name.strip_suffix(TEMP_SUFFIX) else {
            continue;
        };
        let pid = rest
            .rsplit('.')
            .next()
            .and_then(|pid| pid.parse::<u32>().ok());
        let alive = pid.is_some_and(|pid| {
            pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists()
        });
        if name.starts_with('.') && !alive {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Runs `work` for `0..count` on `jobs` threads; results in index order.
fn parallel<T: Send>(count: usize, jobs: usize, work: impl Fn(usize) -> T + Sync) -> Vec<T> {
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

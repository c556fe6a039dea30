//! Where `handout batch` writes a checked day, each step refusing what it
//! can before the next one writes anything:
//! 1. every target is looked at: none may be an input, and the combined
//!    file and the manifest are refused now if they cannot be replaced,
//!    not after the work;
//! 2. the output folder is made and locked, and what ended runs left in it
//!    is removed; the combined file's temporary file is created, which
//!    proves its folder writable; an old manifest is removed, since from
//!    here on it could disagree with the folder;
//! 3. the engine makes the rows on all cores, and the [`Folder`] writes
//!    each PDF whole under a temporary name and moves it into place, so an
//!    interrupted run leaves only whole files and a rerun finishes the job:
//!    a file that already holds exactly what its row makes is "unchanged",
//!    not a conflict;
//! 4. the combined file and the manifest are moved into place.
//!
//! Whatever fails, the run ends with each failed row's line and a summary.

use std::fs;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use handout_day::{
    Checked, MANIFEST, Made, MadeDay, Sink, SinkError, Stored, header_len, is_manifest,
};

use crate::batch::{Settings, summary};
use crate::files::{self, Devices, Durability, Existing, Inputs, Temp, WriteError, folder_of};
use crate::lock::FolderLock;
use crate::progress::Progress;
use crate::{Failure, cleanup, print_failure};

/// Where the combined file goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CombinedTarget {
    /// `--combined -`.
    Stdout,
    /// A file, or a device or a pipe the user named.
    Path(PathBuf),
}

/// Writes a checked day into `settings`' folder: the exit code, or why
/// nothing was written.
pub fn write(settings: &Settings, checked: Checked<'_>) -> Result<u8, Failure> {
    // 1. Look at every target.
    check_targets(settings, checked.file_names())?;

    // 2. The folder, its lock, and what ended runs left.
    fs::create_dir_all(&settings.out_dir).map_err(|error| {
        let out_dir = settings.out_dir.display();
        Failure::fatal(match error.kind() {
            io::ErrorKind::InvalidFilename => {
                format!("the path `{out_dir}` is too long for this system; choose a shorter one")
            }
            _ => format!("failed to create `{out_dir}`: {error}"),
        })
    })?;
    let mut locks = vec![lock(&settings.out_dir, settings)?];
    if let Some(CombinedTarget::Path(path)) = &settings.combined
        && !is_stream(path, &settings.inputs)
    {
        let folder = folder_of(path);
        if !same_folder(folder, &settings.out_dir) {
            locks.push(lock(folder, settings)?);
        }
    }
    for lock in &locks {
        lock.remove_stale_temporaries();
    }
    let mut combined = match &settings.combined {
        Some(target) if checked.ready() > 0 => {
            let out = BufWriter::new(CombinedOut::open(target)?);
            let sink = checked.combined_pdf(out).map_err(|error| {
                Failure::fatal(format!("failed to start the combined PDF: {error}"))
            })?;
            Some((sink, target))
        }
        _ => None,
    };
    // From here on an old manifest could disagree with the folder. Only one
    // this program wrote goes now; another file at the name (which --force
    // allowed) is replaced, never removed, when the new one is moved there.
    let manifest = settings.out_dir.join(MANIFEST);
    if is_our_manifest(&manifest) && has_one_name(&manifest) {
        fs::remove_file(&manifest).map_err(|error| {
            Failure::fatal(format!(
                "failed to replace `{}`: {error}",
                manifest.display()
            ))
        })?;
    }
    cleanup::set_note(
        "the handouts written so far are whole, and the manifest is missing: run the same \
         command again to finish",
    );

    // 3. Make the rows, each into the folder and the combined file.
    let mut folder = Folder {
        dir: &settings.out_dir,
        force: settings.force,
        inputs: &settings.inputs,
    };
    let progress = Progress::new(settings.progress, checked.ready(), "writing");
    let made = match &mut combined {
        Some((sink, _)) => checked.make(&mut [&mut folder, sink], &|| progress.tick()),
        None => checked.make(&mut [&mut folder], &|| progress.tick()),
    };
    progress.finish();

    // 4. The combined file and the manifest.
    let mut late = Vec::new();
    let mut combined_note = None;
    match combined {
        Some((_, _)) if !made.stopped().is_empty() => {
            let (_, error) = &made.stopped()[0];
            late.push(Failure::fatal(format!(
                "failed to write the combined PDF: {error}; it was not made"
            )));
        }
        Some((sink, target)) => {
            let pages = sink.page_count();
            let finished = sink
                .finish()
                .and_then(|out| out.into_inner().map_err(|error| error.into_error()));
            match finished {
                Ok(out) => match out.finish(target, pages, settings.force) {
                    Ok(note) => combined_note = Some(note),
                    Err(failure) => late.push(failure),
                },
                Err(error) => late.push(Failure::fatal(format!(
                    "failed to write the combined PDF: {error}; it was not made"
                ))),
            }
        }
        None if settings.combined.is_some() => {
            combined_note = Some("no combined file: no row could be made".to_string());
        }
        None => {}
    }
    if let Err(error) = write_manifest(&settings.out_dir, &made) {
        late.push(manifest_failure(&error, &made));
    }

    // The summary comes last, whatever failed.
    for error in made.late_errors() {
        eprintln!("{error}");
    }
    for failure in &late {
        print_failure(failure);
    }
    let failed: Vec<usize> = made
        .failed()
        .into_iter()
        .map(|index| made.roster().rows[index].line)
        .collect();
    if !settings.quiet || !failed.is_empty() || !late.is_empty() {
        let mut line = summary(
            &[
                (made.count(Stored::Written), "written"),
                (made.count(Stored::Unchanged), "unchanged"),
            ],
            &failed,
        );
        if let Some(note) = combined_note {
            line.push_str(&format!("; {note}"));
        }
        eprintln!("{line}");
    }
    drop(locks);
    Ok(if !late.is_empty() {
        2
    } else {
        u8::from(!failed.is_empty())
    })
}

/// The day's folder, as a sink: each handout written whole, unless its
/// file already holds it; only a regular file is compared or replaced.
struct Folder<'a> {
    dir: &'a Path,
    force: bool,
    inputs: &'a Inputs,
}

impl Sink for Folder<'_> {
    fn take(&mut self, made: &mut Made<'_>) -> Result<Option<Stored>, SinkError> {
        let path = self.dir.join(made.file);
        let pdf = made
            .pdf
            .as_deref()
            .ok_or_else(|| SinkError::Row("its PDF was not made".to_string()))?;
        let failed = |message: String| SinkError::Row(message);
        let existing = files::inspect(&path, Devices::Refuse, self.inputs)
            .map_err(|error| failed(error.to_string()))?;
        if existing == Existing::File {
            match files::holds(&path, pdf) {
                Ok(true) => return Ok(Some(Stored::Unchanged)),
                Ok(false) if !self.force => {
                    return Err(failed(format!(
                        "`{}` exists and holds something else; use --force to replace it",
                        path.display()
                    )));
                }
                Ok(false) => {}
                Err(error) => {
                    return Err(failed(format!(
                        "failed to read `{}`: {error}",
                        path.display()
                    )));
                }
            }
        }
        // A batch's files are left to the system to write back: flushing
        // each to disk before moving it into place doubled a batch's time.
        files::write_inspected(&path, pdf, existing, self.force, Durability::Cached)
            .map_err(|error| failed(error.to_string()))?;
        Ok(Some(Stored::Written))
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

/// Whether the user named a device or a pipe for the combined file.
fn is_stream(path: &Path, inputs: &Inputs) -> bool {
    matches!(
        files::inspect(path, Devices::WriteInto, inputs),
        Ok(Existing::Stream)
    )
}

/// Refuses, before anything is written: a target that is an input; a
/// combined file that is a handout or the manifest, or that exists and is
/// not a PDF; a manifest that is not one this program wrote, without
/// `--force`. An existing combined PDF is judged when the new one is made:
/// kept if it is the same, and replaced only with `--force`.
fn check_targets(settings: &Settings, files: &[String]) -> Result<(), Failure> {
    let out_dir = &settings.out_dir;
    let inputs = &settings.inputs;
    if let Ok(meta) = fs::metadata(out_dir)
        && !meta.is_dir()
    {
        return Err(Failure::fatal(WriteError::NotAFolder(out_dir.clone())));
    }
    let manifest = out_dir.join(MANIFEST);
    for file in files {
        inputs.check(&out_dir.join(file)).map_err(Failure::fatal)?;
    }
    if out_dir.is_dir() {
        let existing =
            files::inspect(&manifest, Devices::Refuse, inputs).map_err(Failure::fatal)?;
        if existing == Existing::File && !settings.force && !is_our_manifest(&manifest) {
            return Err(Failure::fatal(format!(
                "`{}` exists and is not a handout manifest; move it away, or use --force to \
                 replace it",
                manifest.display()
            )));
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
    if existing == Existing::File && !files::is_pdf(combined).unwrap_or(false) {
        return Err(Failure::fatal(WriteError::NotPdf(combined.clone())));
    }
    Ok(())
}

/// Whether the file at `path` is a manifest this program wrote.
fn is_our_manifest(path: &Path) -> bool {
    files::read_prefix(path, header_len() as u64).is_ok_and(|start| is_manifest(&start))
}

/// Whether the file at `path` has no other name that shares its bytes.
fn has_one_name(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|meta| meta.is_file() && !files::has_other_names(&meta))
}

/// Where the combined file's bytes go while it is written.
enum CombinedOut {
    /// A temporary file beside the target.
    Temp(Temp),
    /// Standard output, or a device or a pipe the user named: written as it
    /// comes.
    Stream(Box<dyn Write + Send>),
}

impl CombinedOut {
    /// Opens where the combined file goes: its temporary file is created
    /// now, which proves the folder writable before any row is made.
    fn open(target: &CombinedTarget) -> Result<CombinedOut, Failure> {
        let terminal = || {
            Failure::fatal("--combined: will not write a PDF to a terminal")
                .with_hint("redirect standard output to a file or a printer command")
        };
        Ok(match target {
            CombinedTarget::Stdout => {
                let stdout = io::stdout();
                if stdout.is_terminal() {
                    return Err(terminal());
                }
                CombinedOut::Stream(Box::new(stdout))
            }
            CombinedTarget::Path(path) => match fs::metadata(path) {
                // A FIFO nobody reads from is refused at once, not waited on
                // with the folder locked.
                Ok(meta) if !meta.is_file() => match files::open_stream(path) {
                    Ok(device) => CombinedOut::Stream(Box::new(device)),
                    Err(WriteError::Terminal(_)) => return Err(terminal()),
                    Err(error) => return Err(Failure::fatal(format!("--combined: {error}"))),
                },
                _ => CombinedOut::Temp(
                    Temp::new_in(folder_of(path))
                        .map_err(|error| Failure::fatal(format!("--combined: {error}")))?,
                ),
            },
        })
    }

    /// Moves a finished file into place; returns what to say of it.
    fn finish(self, target: &CombinedTarget, pages: usize, force: bool) -> Result<String, Failure> {
        let failed = |error: io::Error| {
            Failure::fatal(format!(
                "failed to write the combined PDF: {error}; it was not made"
            ))
        };
        let (mut temp, path) = match (self, target) {
            (CombinedOut::Temp(temp), CombinedTarget::Path(path)) => (temp, path),
            (CombinedOut::Stream(mut stream), target) => {
                stream.flush().map_err(failed)?;
                let name = match target {
                    CombinedTarget::Stdout => "standard output".to_string(),
                    CombinedTarget::Path(path) => path.display().to_string(),
                };
                return Ok(format!("{name}: {}", page_count(pages)));
            }
            (CombinedOut::Temp(_), CombinedTarget::Stdout) => {
                unreachable!("standard output is a stream")
            }
        };
        temp.sync().map_err(failed)?;
        let display = path.display();
        // A rerun that makes the same file leaves it untouched, with or
        // without --force; one that makes another keeps the old file unless
        // --force says to replace it.
        if fs::symlink_metadata(path).is_ok_and(|meta| meta.is_file()) {
            if temp.is_same_as(path).unwrap_or(false) {
                return Ok(format!("{display} unchanged ({})", page_count(pages)));
            }
            if !force {
                return Err(Failure::fatal(format!(
                    "--combined `{display}` exists and holds other handouts than this run's \
                     (another roster, date or program version); it was kept as it was"
                ))
                .with_hint("use --force to replace it, or give --combined another name"));
            }
        }
        temp.persist(path, force)
            .map_err(|error| Failure::fatal(format!("--combined: {error}")))?;
        Ok(format!("{display}: {}", page_count(pages)))
    }
}

impl Write for CombinedOut {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        match self {
            CombinedOut::Temp(temp) => temp.write(bytes),
            CombinedOut::Stream(stream) => stream.write(bytes),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            CombinedOut::Temp(temp) => temp.flush(),
            CombinedOut::Stream(stream) => stream.flush(),
        }
    }
}

/// "1 page", "4 pages".
fn page_count(pages: usize) -> String {
    match pages {
        1 => "1 page".to_string(),
        _ => format!("{pages} pages"),
    }
}

/// Writes the manifest through a temporary file.
fn write_manifest(out_dir: &Path, made: &MadeDay) -> Result<(), WriteError> {
    let path = out_dir.join(MANIFEST);
    let io = |source| WriteError::Io {
        path: path.clone(),
        source,
    };
    let mut temp = Temp::new_in(out_dir)?;
    temp.write_all(&made.manifest().into_bytes()).map_err(io)?;
    temp.sync().map_err(io)?;
    temp.persist(&path, true)
}

/// What to say when the manifest could not be written: which rows' files
/// are in the folder, and that it has no manifest now.
fn manifest_failure(error: &WriteError, made: &MadeDay) -> Failure {
    let lines_of = |stored: Stored| -> Vec<usize> {
        made.outcomes()
            .iter()
            .zip(&made.roster().rows)
            .filter(|(outcome, _)| {
                matches!(outcome, handout_day::Outcome::Made { stored: s, .. } if *s == stored)
            })
            .map(|(_, row)| row.line)
            .collect()
    };
    let written = lines_of(Stored::Written);
    let unchanged = lines_of(Stored::Unchanged);
    let mut there = Vec::new();
    if !written.is_empty() {
        there.push(format!(
            "{} written now ({})",
            written.len(),
            handout_day::rows(&written)
        ));
    }
    if !unchanged.is_empty() {
        there.push(format!("{} there already", unchanged.len()));
    }
    let there = if there.is_empty() {
        "no handouts".to_string()
    } else {
        format!("handouts {}", there.join(" and "))
    };
    Failure::fatal(format!(
        "{error}; the manifest is missing: the folder holds the {there}, and no manifest"
    ))
    .with_hint("free some space or fix the folder, then run the same command again to make it")
}

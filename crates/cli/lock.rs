//! One run at a time in a folder: a lock file that says who holds it.
//!
//! A run takes the operating system's exclusive lock on `.handout.lock` in
//! each folder it writes into. The file holds the run's host name, process
//! id and start time; it is written whole under a temporary name and locked
//! before it is moved into place, and an existing one is only ever read, so
//! a lock file that is a hard link to a user's file, or holds her own text,
//! is never written into or removed. A second run finds the lock held and
//! says by whom. A lock is released by removing the file, or by the holder's death:
//! the system drops the lock of a process that has gone, even after kill -9.
//! So on one host a lock file that can be locked belongs to a run that
//! ended, and is taken over. On a shared folder the system's lock may not
//! reach the other computer, so a lock file written there by another host
//! is honoured until `--force` says that no run is going on there.
//!
//! While it holds the lock, a run removes the temporary files of earlier
//! runs in the folder: their holders have ended. This needs no process
//! list, so it works the same on Linux, macOS and Windows.

use std::fs::{self, File, TryLockError};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

use crate::cleanup;
use crate::files::{self, LEGACY_TEMP_SUFFIX, TEMP_PREFIX, TEMP_SUFFIX, Temp, WriteError};

/// The lock file's name in a locked folder.
pub const LOCK_FILE: &str = ".handout.lock";
/// The first line of every lock file this program writes.
const HEADING: &str = "handout run\n";

/// Who holds a lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    /// The computer's name.
    pub host: String,
    /// The process id on that computer.
    pub pid: u32,
    /// When the run started, as RFC 3339.
    pub since: String,
}

impl Holder {
    fn me(since: &str) -> Holder {
        Holder {
            host: host_name(),
            pid: std::process::id(),
            since: since.to_string(),
        }
    }

    fn to_text(&self) -> String {
        format!(
            "{HEADING}host = {}\npid = {}\nsince = {}\n",
            self.host, self.pid, self.since
        )
    }

    fn parse(text: &str) -> Option<Holder> {
        let field = |key: &str| {
            text.lines().find_map(|line| {
                let (k, v) = line.split_once('=')?;
                (k.trim() == key).then(|| v.trim().to_string())
            })
        };
        Some(Holder {
            host: field("host")?,
            pid: field("pid")?.parse().ok()?,
            since: field("since")?,
        })
    }

    /// "host pc-2 (process 4242) since 2026-12-01 09:14".
    fn describe(&self) -> String {
        format!(
            "host {} (process {}) since {}",
            handout_content::excerpt(&self.host),
            self.pid,
            self.since_local()
        )
    }

    /// The start time in local time, to the minute.
    fn since_local(&self) -> String {
        self.since
            .parse::<jiff::Timestamp>()
            .map(|time| {
                time.to_zoned(crate::local_zone())
                    .strftime("%Y-%m-%d %H:%M")
                    .to_string()
            })
            .unwrap_or_else(|_| handout_content::excerpt(&self.since))
    }
}

/// This computer's name; "this computer" if it has none we can read.
fn host_name() -> String {
    let name = gethostname::gethostname()
        .to_string_lossy()
        .trim()
        .to_string();
    if name.is_empty() {
        "this computer".to_string()
    } else {
        name
    }
}

/// Why a folder could not be locked.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another run holds the lock now.
    #[error(
        "`{folder}` is in use by another handout run, on {}; wait for it to finish, or write \
         somewhere else",
        .holder.as_ref().map_or("this or another computer".to_string(), Holder::describe)
    )]
    Busy {
        /// The folder.
        folder: PathBuf,
        /// Who, if the lock file says.
        holder: Option<Holder>,
    },
    /// A lock file written on another computer, which may still be running.
    #[error(
        "`{folder}` is locked by a handout run on {}; if no run is going on there, use --force \
         to take the lock over",
        .holder.describe()
    )]
    OtherHost {
        /// The folder.
        folder: PathBuf,
        /// Who.
        holder: Holder,
    },
    /// A file at the lock file's name that this program did not write.
    #[error(
        "`{path}` was not written by handout, and handout needs the name for its lock file; \
         the file is left as it is: move it away, then run again"
    )]
    Foreign {
        /// The file.
        path: PathBuf,
    },
    /// The lock file cannot be made.
    #[error("cannot write in `{folder}`: {source}")]
    Io {
        /// The folder.
        folder: PathBuf,
        /// The system's reason.
        source: io::Error,
    },
}

/// A held lock on a folder; released when dropped.
#[derive(Debug)]
pub struct FolderLock {
    path: PathBuf,
    file: File,
    /// The lock file of an ended run this one replaced, still locked, so
    /// that a run which opened it just before it was replaced finds it busy.
    _replaced: Option<File>,
}

impl FolderLock {
    /// Locks `folder`. Returns the lock and, when it took over a lock left
    /// by an earlier run, a note to show.
    ///
    /// An existing lock file is never written into: it may be a hard link
    /// to a file of the user's. A new one is written whole under a
    /// temporary name, locked, and only then moved into place, so no other
    /// run ever sees it unlocked or half-written. A file at the name that
    /// this program did not write, or that has other names, is left as it
    /// is and refused.
    pub fn acquire(folder: &Path, force: bool) -> Result<(FolderLock, Option<String>), LockError> {
        let path = folder.join(LOCK_FILE);
        let io = |source| LockError::Io {
            folder: folder.to_path_buf(),
            source,
        };
        let mine = Holder::me(&jiff::Timestamp::now().to_string()).to_text();
        // The holder may remove the file between our open and our lock, or
        // another run may place its own first: look again.
        for _ in 0..10 {
            let Some(mut old) = open_existing(&path).map_err(io)? else {
                match place(folder, &path, &mine, false)? {
                    Some(file) => return Ok((FolderLock::held(path, file, None), None)),
                    None => continue,
                }
            };
            match old.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => {
                    return Err(LockError::Busy {
                        folder: folder.to_path_buf(),
                        holder: read_holder(&mut old),
                    });
                }
                Err(TryLockError::Error(error)) => return Err(io(error)),
            }
            if !is_same_file(&old, &path) {
                continue;
            }
            let note = match read_lock_file(&mut old).map_err(io)? {
                LockText::Empty => None,
                LockText::Foreign => {
                    return Err(LockError::Foreign { path });
                }
                LockText::Holder(old) if old.host == host_name() => Some(format!(
                    "took over the lock in `{}` left by a run that ended without releasing it \
                     (process {}, since {})",
                    folder.display(),
                    old.pid,
                    old.since_local()
                )),
                LockText::Holder(old) if !force => {
                    return Err(LockError::OtherHost {
                        folder: folder.to_path_buf(),
                        holder: old,
                    });
                }
                LockText::Holder(old) => Some(format!(
                    "took over the lock in `{}` held by {} (--force)",
                    folder.display(),
                    old.describe()
                )),
            };
            let Some(file) = place(folder, &path, &mine, true)? else {
                continue;
            };
            return Ok((FolderLock::held(path, file, Some(old)), note));
        }
        Err(LockError::Busy {
            folder: folder.to_path_buf(),
            holder: None,
        })
    }

    fn held(path: PathBuf, file: File, replaced: Option<File>) -> FolderLock {
        cleanup::add_lock(&path);
        FolderLock {
            path,
            file,
            _replaced: replaced,
        }
    }

    /// Removes temporary files that ended runs left in the folder. Only
    /// this run's own live ones are kept: with the lock held, any other
    /// run that wrote them has gone. A file is removed only if it could be
    /// one of ours: a single name, and empty, a PDF or a manifest so far.
    pub fn remove_stale_temporaries(&self) -> usize {
        let folder = crate::files::folder_of(&self.path);
        let Ok(entries) = fs::read_dir(folder) else {
            return 0;
        };
        let mut removed = 0;
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            let named_ours = (name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX))
                || (name.starts_with('.') && name.ends_with(LEGACY_TEMP_SUFFIX));
            let path = entry.path();
            if named_ours
                && !cleanup::is_own_temporary(&path)
                && could_be_our_temporary(&path)
                && fs::remove_file(&path).is_ok()
            {
                removed += 1;
            }
        }
        removed
    }
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        // Removed while still locked, and only if the name is still ours;
        // the lock itself goes with the file handle just after.
        if is_same_file(&self.file, &self.path) {
            let _ = fs::remove_file(&self.path);
        }
        cleanup::forget_lock(&self.path);
    }
}

/// Why a folder could not be locked: the parts that are not I/O.
impl LockError {
    fn write(folder: &Path, error: WriteError) -> LockError {
        match error {
            WriteError::Io { source, .. } => LockError::Io {
                folder: folder.to_path_buf(),
                source,
            },
            other => LockError::Io {
                folder: folder.to_path_buf(),
                source: io::Error::other(other.to_string()),
            },
        }
    }
}

/// Writes `text` into a new temporary file in `folder`, locks it and moves
/// it to `path`: over the file there if `replace`, else only if the name
/// is free. `None` if another run's lock file took the name first.
fn place(folder: &Path, path: &Path, text: &str, replace: bool) -> Result<Option<File>, LockError> {
    let failed = |error| LockError::write(folder, error);
    let io = |source| LockError::Io {
        folder: folder.to_path_buf(),
        source,
    };
    let mut temp = Temp::new_in(folder).map_err(failed)?;
    temp.write_all(text.as_bytes())
        .and_then(|()| temp.flush())
        .map_err(io)?;
    match temp.as_file().try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            return Err(io(io::Error::other("cannot lock a new file")));
        }
        Err(TryLockError::Error(error)) => return Err(io(error)),
    }
    match temp.persist_open(path, replace) {
        Ok(file) => Ok(Some(file)),
        Err(WriteError::Exists(_)) => Ok(None),
        Err(error) => Err(failed(error)),
    }
}

/// Opens the lock file at `path` to read, if there is one, never through
/// a link; anything but a regular file with one name is an error.
fn open_existing(path: &Path) -> io::Result<Option<File>> {
    let meta = match fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(error),
    };
    if !meta.is_file() {
        return Err(io::Error::other(format!(
            "`{}` is not a regular file; remove it",
            path.display()
        )));
    }
    let file = match files::open_regular(path) {
        Ok(file) => file,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(error),
    };
    if files::has_other_names(&file.metadata()?) {
        return Err(io::Error::other(format!(
            "`{}` is a hard link to another file, which handout will not touch; remove this \
             name (the other keeps the file) and run again",
            path.display()
        )));
    }
    Ok(Some(file))
}

/// What an existing lock file holds.
enum LockText {
    /// Nothing: a run of an earlier version ended before writing it.
    Empty,
    /// Who locked it.
    Holder(Holder),
    /// Something this program never writes.
    Foreign,
}

fn read_lock_file(file: &mut File) -> io::Result<LockText> {
    let mut bytes = Vec::new();
    file.rewind()?;
    file.take(4096).read_to_end(&mut bytes)?;
    if bytes.is_empty() {
        return Ok(LockText::Empty);
    }
    let holder = std::str::from_utf8(&bytes)
        .ok()
        .filter(|text| text.starts_with(HEADING))
        .and_then(Holder::parse);
    Ok(holder.map_or(LockText::Foreign, LockText::Holder))
}

/// Whether a file left at one of our temporary names could be ours: it has
/// no other name, and holds nothing, or the start of a PDF or a manifest.
fn could_be_our_temporary(path: &Path) -> bool {
    let Ok(mut file) = files::open_regular(path) else {
        return false;
    };
    if file
        .metadata()
        .map_or(true, |meta| files::has_other_names(&meta))
    {
        return false;
    }
    let mut start = Vec::new();
    if (&mut file)
        .take(handout_day::header_len() as u64)
        .read_to_end(&mut start)
        .is_err()
    {
        return false;
    }
    let pdf = b"%PDF-";
    start.is_empty()
        || start.starts_with(pdf)
        || pdf.starts_with(&start)
        || handout_day::could_be_manifest(&start)
}

/// Whether the open file is still the one at `path`.
fn is_same_file(file: &File, path: &Path) -> bool {
    let (Ok(open), Ok(named)) = (file.metadata(), fs::symlink_metadata(path)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        open.dev() == named.dev() && open.ino() == named.ino()
    }
    #[cfg(not(unix))]
    {
        named.is_file() && open.len() == named.len()
    }
}

fn read_holder(file: &mut File) -> Option<Holder> {
    let mut text = String::new();
    file.rewind().ok()?;
    file.take(4096).read_to_string(&mut text).ok()?;
    Holder::parse(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A new empty folder, removed when dropped.
    fn temp_dir() -> tempfile::TempDir {
        tempfile::tempdir().unwrap()
    }

    #[test]
    fn a_second_lock_is_refused_and_names_the_holder() {
        let temp = temp_dir();
        let dir = temp.path();
        let (lock, note) = FolderLock::acquire(dir, false).unwrap();
        assert_eq!(note, None);
        let error = FolderLock::acquire(dir, true).unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains("is in use by another handout run"),
            "{message}"
        );
        assert!(
            message.contains(&format!("(process {})", std::process::id())),
            "{message}"
        );
        drop(lock);
        assert!(!dir.join(LOCK_FILE).exists());
        FolderLock::acquire(dir, false).unwrap();
    }

    #[test]
    fn a_dead_runs_lock_is_taken_over_and_another_hosts_needs_force() {
        let temp = temp_dir();
        let dir = temp.path();
        let mine = Holder {
            host: host_name(),
            pid: 999_999_999,
            since: "2026-11-30T08:00:00Z".into(),
        };
        fs::write(dir.join(LOCK_FILE), mine.to_text()).unwrap();
        let (lock, note) = FolderLock::acquire(dir, false).unwrap();
        assert!(note.unwrap().contains("process 999999999"));
        drop(lock);

        let theirs = Holder {
            host: "reception-pc".into(),
            ..mine
        };
        fs::write(dir.join(LOCK_FILE), theirs.to_text()).unwrap();
        let error = FolderLock::acquire(dir, false).unwrap_err().to_string();
        assert!(error.contains("host reception-pc"), "{error}");
        assert!(error.contains("use --force"), "{error}");
        let (_lock, note) = FolderLock::acquire(dir, true).unwrap();
        assert!(note.unwrap().contains("reception-pc"));
    }

    #[test]
    fn stale_temporaries_go_and_live_ones_stay() {
        let temp = temp_dir();
        let dir = temp.path();
        fs::write(dir.join(".handout-abcdefghij.tmp"), "%PDF-1.7\nhalf").unwrap();
        fs::write(dir.join(".x.pdf.42.handout-tmp"), "%PDF-1.7\nhalf").unwrap();
        fs::write(dir.join("keep.pdf"), "%PDF-").unwrap();
        let (lock, _) = FolderLock::acquire(dir, false).unwrap();
        let live = crate::files::Temp::new_in(dir).unwrap();
        assert_eq!(lock.remove_stale_temporaries(), 2);
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        // The lock, the live run's own temporary and the user's file stay;
        // both ended runs' temporaries are gone.
        assert_eq!(names.len(), 3, "{names:?}");
        let own = &names[0];
        assert!(
            own.starts_with(".handout-")
                && own.ends_with(".tmp")
                && own != ".handout-abcdefghij.tmp",
            "{names:?}"
        );
        assert_eq!(names[1..], [".handout.lock", "keep.pdf"]);
        drop(live);
        drop(lock);
    }
}

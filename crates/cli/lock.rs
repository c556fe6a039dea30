//! One run at a time in a folder: a lock file that says who holds it.
//!
//! A run takes the operating system's exclusive lock on `.handout.lock` in
//! each folder it writes into, and writes into the file its host name,
//! process id and start time. A second run finds the lock held and says by
//! whom. A lock is released by removing the file, or by the holder's death:
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
use crate::files::{LEGACY_TEMP_SUFFIX, TEMP_PREFIX, TEMP_SUFFIX};

/// The lock file's name in a locked folder.
pub const LOCK_FILE: &str = ".handout.lock";

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
            "handout run\nhost = {}\npid = {}\nsince = {}\n",
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
                time.to_zoned(jiff::tz::TimeZone::system())
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
    _file: File,
}

impl FolderLock {
    /// Locks `folder`. Returns the lock and, when it took over a lock left
    /// by an earlier run, a note to show.
    pub fn acquire(folder: &Path, force: bool) -> Result<(FolderLock, Option<String>), LockError> {
        let path = folder.join(LOCK_FILE);
        let io = |source| LockError::Io {
            folder: folder.to_path_buf(),
            source,
        };
        let since = jiff::Timestamp::now().to_string();
        // The holder may remove the file between our open and our lock, and
        // we would hold a lock on a file nobody else sees: try again.
        for _ in 0..10 {
            let mut file = open_lock_file(&path).map_err(io)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => {
                    return Err(LockError::Busy {
                        folder: folder.to_path_buf(),
                        holder: read_holder(&mut file),
                    });
                }
                Err(TryLockError::Error(error)) => return Err(io(error)),
            }
            if !is_same_file(&file, &path) {
                continue;
            }
            let note = match read_holder(&mut file) {
                None => None,
                Some(old) if old.host == host_name() => Some(format!(
                    "took over the lock in `{}` left by a run that ended without releasing it \
                     (process {}, since {})",
                    folder.display(),
                    old.pid,
                    old.since_local()
                )),
                Some(old) if !force => {
                    return Err(LockError::OtherHost {
                        folder: folder.to_path_buf(),
                        holder: old,
                    });
                }
                Some(old) => Some(format!(
                    "took over the lock in `{}` held by {} (--force)",
                    folder.display(),
                    old.describe()
                )),
            };
            file.set_len(0).map_err(io)?;
            file.rewind().map_err(io)?;
            file.write_all(Holder::me(&since).to_text().as_bytes())
                .and_then(|()| file.flush())
                .map_err(io)?;
            cleanup::add_lock(&path);
            return Ok((FolderLock { path, _file: file }, note));
        }
        Err(LockError::Busy {
            folder: folder.to_path_buf(),
            holder: None,
        })
    }

    /// Removes temporary files that ended runs left in the folder. Only
    /// this run's own live ones are kept: with the lock held, any other
    /// run that wrote them has gone.
    pub fn remove_stale_temporaries(&self) -> usize {
        let folder = crate::files::folder_of(&self.path);
        let Ok(entries) = fs::read_dir(folder) else {
            return 0;
        };
        let mut removed = 0;
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            let ours = (name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX))
                || (name.starts_with('.') && name.ends_with(LEGACY_TEMP_SUFFIX));
            let path = entry.path();
            let is_file = entry.file_type().is_ok_and(|kind| kind.is_file());
            if ours
                && is_file
                && !cleanup::is_own_temporary(&path)
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
        // Removed while still locked; the lock itself goes with the file
        // handle just after.
        let _ = fs::remove_file(&self.path);
        cleanup::forget_lock(&self.path);
    }
}

/// Opens the lock file, making it if needed, never through a link.
fn open_lock_file(path: &Path) -> io::Result<File> {
    if let Ok(meta) = fs::symlink_metadata(path)
        && !meta.is_file()
    {
        return Err(io::Error::other(format!(
            "`{}` is not a regular file; remove it",
            path.display()
        )));
    }
    #[cfg(unix)]
    {
        use rustix::fs::{Mode, OFlags};
        let flags = OFlags::RDWR | OFlags::CREATE | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let fd = rustix::fs::open(path, flags, Mode::from_raw_mode(0o644))?;
        Ok(File::from(fd))
    }
    #[cfg(not(unix))]
    {
        fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
    }
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
        fs::write(dir.join(".handout-abcdefghij.tmp"), "half").unwrap();
        fs::write(dir.join(".x.pdf.42.handout-tmp"), "half").unwrap();
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

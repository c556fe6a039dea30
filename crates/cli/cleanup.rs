//! Removes what a run leaves behind when it is interrupted.
//!
//! Every temporary file and lock file is registered here while it exists.
//! On Ctrl-C or SIGTERM (or closing the console window on Windows) the
//! handler removes them all, says so, and exits with code 2. It holds the
//! registry's lock until the process has gone, so no thread can create a
//! temporary file after the sweep. Normal exits, errors included, remove
//! their files by dropping their owners; only kill -9 leaves any, and the
//! next run in the folder removes those under its lock.
//!
//! The handler is installed when the first file is about to be made: a run
//! that makes none (a handout to standard output, `list`, `check`) keeps
//! the system's own handling, and does not start the thread the handler
//! waits on, some 0.1 ms of a single handout. The server stops on Ctrl-C
//! by itself and must make no file through here, or this handler would
//! take the signal from it.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// What to remove, and what to say, on an interruption.
struct Registry {
    temporaries: Vec<PathBuf>,
    locks: Vec<PathBuf>,
    /// What the interruption means for the user's files.
    note: &'static str,
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry {
    temporaries: Vec::new(),
    locks: Vec::new(),
    note: "nothing was written",
});

fn registry() -> MutexGuard<'static, Registry> {
    // A panic elsewhere must not stop the cleanup.
    REGISTRY.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Installs the handler for Ctrl-C and SIGTERM, once, before the first
/// file it must remove is made.
fn install() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    // If a handler cannot be installed the program still works; an
    // interruption then leaves temporary files for the next run to remove.
    INSTALLED.call_once(|| {
        let _ = ctrlc::set_handler(sweep);
    });
}

/// What the handler does: removes every registered file, says so, and
/// exits.
fn sweep() {
    let registry = registry();
    for path in registry.temporaries.iter().chain(&registry.locks) {
        let _ = fs::remove_file(path);
    }
    eprintln!(
        "error: interrupted; no temporary file is left, and {}",
        registry.note
    );
    // Exits with the registry still locked: nothing new can be made.
    std::process::exit(2);
}

/// Sets what an interruption from now on means for the user's files.
pub fn set_note(note: &'static str) {
    registry().note = note;
}

/// Runs `create`, which makes a temporary file and returns its path, and
/// registers the file, with no moment in between at which an interruption
/// could miss it.
pub fn create_temporary<T>(
    create: impl FnOnce() -> std::io::Result<T>,
    path_of: impl Fn(&T) -> &Path,
) -> std::io::Result<T> {
    install();
    let mut registry = registry();
    let made = create()?;
    let path = path_of(&made);
    registry
        .temporaries
        .push(std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()));
    Ok(made)
}

/// Forgets a temporary file that has been moved into place or removed.
pub fn forget_temporary(path: &Path) {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    registry().temporaries.retain(|known| *known != path);
}

/// Whether `path` is one of this run's live temporary files.
pub fn is_own_temporary(path: &Path) -> bool {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    registry().temporaries.contains(&path)
}

/// Registers a lock file to remove on an interruption.
pub fn add_lock(path: &Path) {
    install();
    registry()
        .locks
        .push(std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()));
}

/// Forgets a lock file that has been released.
pub fn forget_lock(path: &Path) {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    registry().locks.retain(|known| *known != path);
}

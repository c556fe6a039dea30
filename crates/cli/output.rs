//! Writes output files whole or not at all.
//!
//! Bytes go to a temporary file beside the target, are flushed to disk and
//! then moved into place in one step, so a reader never sees half a PDF and a
//! crash leaves at most a temporary file whose name says what it is.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The folder a file is in; "." for a bare file name.
pub fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    }
}

/// Ends the name of every temporary file this program writes.
pub const TEMP_SUFFIX: &str = ".handout-tmp";

/// What happened to the target file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// The file did not exist and was created.
    Created,
    /// An existing file was replaced (only with `force`).
    Replaced,
}

/// Why a file was not written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The folder to write into does not exist.
    #[error("output folder `{0}` does not exist; create it first or choose another -o")]
    NoFolder(PathBuf),
    /// The target exists and `force` was not given.
    #[error("`{0}` already exists; use --force to replace it")]
    Exists(PathBuf),
    /// The system refused.
    #[error("failed to write `{path}`: {source}")]
    Io {
        /// The target.
        path: PathBuf,
        /// The system's reason.
        source: io::Error,
    },
}

/// Whether a file must be on disk before it is moved into place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// Flushed to disk first: the file survives a power cut whole.
    Flushed,
    /// Left to the system to write back. Moving it into place still means no
    /// program, and no interrupted run of ours, ever sees half a file; only a
    /// power cut can. Flushing each of a batch's files doubled its run time,
    /// and a rerun checks every file's bytes anyway.
    Cached,
}

/// Writes `bytes` to `path` atomically. An existing file is replaced only
/// with `force`; without it, even a file created by someone else between
/// our check and our write is kept.
pub fn write_atomically(
    path: &Path,
    bytes: &[u8],
    force: bool,
    durability: Durability,
) -> Result<Written, WriteError> {
    let folder = folder_of(path);
    if !folder.is_dir() {
        return Err(WriteError::NoFolder(folder.to_path_buf()));
    }
    let existed = path.exists();
    if existed && !force {
        return Err(WriteError::Exists(path.to_path_buf()));
    }
    let io_error = |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    };

    let temp = TempFile::create(folder, path).map_err(io_error)?;
    temp.file().write_all(bytes).map_err(io_error)?;
    if durability == Durability::Flushed {
        temp.file().sync_all().map_err(io_error)?;
    }
    if force {
        fs::rename(&temp.path, path).map_err(io_error)?;
    } else {
        // A hard link fails if the target appeared meanwhile: no clobbering.
        match fs::hard_link(&temp.path, path) {
            Ok(()) => {}
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
                return Err(WriteError::Exists(path.to_path_buf()));
            }
            Err(_) => fs::rename(&temp.path, path).map_err(io_error)?,
        }
    }
    drop(temp);
    Ok(if existed {
        Written::Replaced
    } else {
        Written::Created
    })
}

/// A temporary file that is removed when dropped, unless renamed away.
struct TempFile {
    path: PathBuf,
    file: File,
}

impl TempFile {
    fn create(folder: &Path, target: &Path) -> io::Result<TempFile> {
        let name = target
            .file_name()
            .map_or_else(|| "output".into(), |name| name.to_string_lossy());
        // Hidden, and marked as ours, so that nobody prints it by mistake.
        let path = folder.join(format!(".{name}.{}{TEMP_SUFFIX}", std::process::id()));
        let file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&path)?;
        Ok(TempFile { path, file })
    }

    fn file(&self) -> &File {
        &self.file
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        // After a rename there is nothing to remove; after a hard link the
        // temporary name must go. Either way a failure here loses nothing.
        let _ = fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("handout-output-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn writes_replaces_only_with_force_and_leaves_no_temporary_files() {
        let dir = temp_dir("force");
        let path = dir.join("a.pdf");
        assert_eq!(
            write_atomically(&path, b"one", false, Durability::Flushed).unwrap(),
            Written::Created
        );
        assert!(matches!(
            write_atomically(&path, b"two", false, Durability::Flushed),
            Err(WriteError::Exists(_))
        ));
        assert_eq!(fs::read(&path).unwrap(), b"one");
        assert_eq!(
            write_atomically(&path, b"two", true, Durability::Cached).unwrap(),
            Written::Replaced
        );
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["a.pdf"]);
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn missing_folder_is_an_error() {
        let dir = temp_dir("missing");
        let error = write_atomically(&dir.join("no/such/a.pdf"), b"x", false, Durability::Flushed)
            .unwrap_err();
        assert!(error.to_string().starts_with("output folder"), "{error}");
        fs::remove_dir_all(dir).unwrap();
    }
}

//! Reads the run's input files, each with a size limit, so that a device, a
//! FIFO or a wrong file can neither hang the program nor fill its memory.

use std::fs::{self, File};
use std::io::{self, IsTerminal, Read};
use std::path::Path;

use crate::Failure;
use crate::files::Inputs;

/// The largest roster read: some hundred thousand rows.
pub const MAX_ROSTER_BYTES: u64 = 50 * 1024 * 1024;
/// The largest practice or content file read.
pub const MAX_TEXT_BYTES: u64 = 1024 * 1024;

/// What an input may come from besides a regular file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Readable {
    /// Only a regular file: a practice or content file.
    File,
    /// A regular file or a pipe (`<(...)`, a FIFO): a roster.
    FileOrPipe,
}

/// Reads the input at `path`, at most `limit` bytes, and records it in
/// `inputs` so that nothing is written over it. `what` names it in messages.
pub fn read_input(
    what: &'static str,
    path: &Path,
    source: Readable,
    limit: u64,
    inputs: &mut Inputs,
) -> Result<Vec<u8>, Failure> {
    let failed = |reason: String| {
        Failure::fatal(format!(
            "failed to read {what} `{}`: {reason}",
            path.display()
        ))
    };
    // What the path leads to: reading through a link is fine.
    let meta = fs::metadata(path).map_err(|error| failed(reason(&error)))?;
    let kind = meta.file_type();
    if kind.is_dir() {
        return Err(failed("it is a folder; give the file's name".to_string()));
    }
    let readable = kind.is_file() || (source == Readable::FileOrPipe && is_pipe(kind));
    if !readable {
        let hint = match source {
            Readable::File => "give a regular file",
            Readable::FileOrPipe => "give a regular file, or pipe the roster in with `-`",
        };
        return Err(failed(format!("it is not a regular file; {hint}")));
    }
    let file = File::open(path).map_err(|error| failed(reason(&error)))?;
    if let Ok(meta) = file.metadata() {
        inputs.add(what, path, &meta);
    }
    read_limited(file, limit).map_err(|error| match error {
        ReadError::TooBig => failed(format!(
            "it is larger than {} MB; is it the right file?",
            limit / (1024 * 1024)
        )),
        ReadError::Io(error) => failed(reason(&error)),
    })
}

/// Reads standard input, at most `limit` bytes; refuses a terminal.
pub fn read_stdin(what: &str, limit: u64) -> Result<Vec<u8>, Failure> {
    let stdin = io::stdin();
    if stdin.is_terminal() {
        return Err(Failure::fatal(format!(
            "the {what} is `-`, standard input, but that is a terminal"
        ))
        .with_hint(
            "pipe the roster in (`handout batch - ... < clinic.csv`) or give its file name",
        ));
    }
    read_limited(stdin.lock(), limit).map_err(|error| match error {
        ReadError::TooBig => Failure::fatal(format!(
            "the {what} on standard input is larger than {} MB",
            limit / (1024 * 1024)
        )),
        ReadError::Io(error) => Failure::fatal(format!("failed to read standard input: {error}")),
    })
}

/// Why an input could not be read.
enum ReadError {
    /// More bytes than the limit.
    TooBig,
    /// The system's reason.
    Io(io::Error),
}

fn read_limited(reader: impl Read, limit: u64) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    reader
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooBig);
    }
    Ok(bytes)
}

/// The system's reason, in the words people use.
fn reason(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => "no such file".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        io::ErrorKind::InvalidFilename => "the path is too long for this system".to_string(),
        _ => error.to_string(),
    }
}

#[cfg(unix)]
fn is_pipe(kind: fs::FileType) -> bool {
    use std::os::unix::fs::FileTypeExt;
    kind.is_fifo()
}

#[cfg(not(unix))]
fn is_pipe(_: fs::FileType) -> bool {
    false
}

//! Writes output files whole or not at all, only where they were asked for,
//! and never over an input.
//!
//! Bytes go to a new temporary file beside the target, created exclusively
//! (`O_CREAT|O_EXCL`, by the `tempfile` crate) under an unpredictable name,
//! so no file or link planted in the folder can receive them. The file is
//! then moved into place in one step, so nobody ever sees half a PDF.
//! Only a regular file is ever compared or replaced: a link, a device, a
//! FIFO or a folder at a target name is refused, and so is a target that is
//! one of the run's inputs, under any name. Temporary files are registered
//! with [`cleanup`](crate::cleanup), so an interruption removes them too.

use std::fs::{self, File, Metadata};
use std::io::{self, BufRead, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use crate::cleanup;

/// Starts the name of every temporary file this program writes. One fixed
/// prefix lets a later run find what an interrupted one left.
pub const TEMP_PREFIX: &str = ".handout-";
/// Ends the name of every temporary file this program writes.
pub const TEMP_SUFFIX: &str = ".tmp";
/// Ended the temporary names of earlier versions (`.NAME.PID.handout-tmp`).
pub const LEGACY_TEMP_SUFFIX: &str = ".handout-tmp";

/// The folder a file is in; "." for a bare file name.
pub fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    }
}

/// Why a file was not written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The folder to write into does not exist.
    #[error("output folder `{0}` does not exist; create it first or choose another")]
    NoFolder(PathBuf),
    /// What should be the folder is something else.
    #[error("`{0}` is not a folder; choose another place for the output")]
    NotAFolder(PathBuf),
    /// The system's limit on the length of a path or file name.
    #[error("the path `{0}` is too long for this system; choose a shorter name or folder")]
    TooLong(PathBuf),
    /// The target exists and replacing was not asked for.
    #[error("`{0}` already exists; use --force to replace it")]
    Exists(PathBuf),
    /// The target is not a regular file.
    #[error(
        "`{path}` is {kind}; handout writes only regular files, and never through a link or \
         into a device, so move it away or choose another name"
    )]
    NotAFile {
        /// The target.
        path: PathBuf,
        /// What it is instead, with its article.
        kind: &'static str,
    },
    /// The target is a file this program cannot have written.
    #[error(
        "`{0}` exists and is not a PDF; handout never replaces a file it did not write, even \
         with --force, so move it away or choose another name"
    )]
    NotPdf(PathBuf),
    /// The target is an input of this run.
    #[error(
        "`{path}` is the {what} this run reads{}; handout never writes over an input, even \
         with --force, so choose another name",
        same_as(.path, .input)
    )]
    IsInput {
        /// The target.
        path: PathBuf,
        /// "roster" or "practice file".
        what: &'static str,
        /// The input's path as given.
        input: PathBuf,
    },
    /// A terminal where a PDF would go.
    #[error("`{0}` is a terminal; a PDF would fill the screen with its bytes")]
    Terminal(PathBuf),
    /// The system refused.
    #[error("failed to write `{path}`: {source}")]
    Io {
        /// The target.
        path: PathBuf,
        /// The system's reason.
        source: io::Error,
    },
}

fn same_as(path: &Path, input: &Path) -> String {
    if path == input {
        String::new()
    } else {
        format!(" (`{}`, under another name)", input.display())
    }
}

/// An I/O error on `path`, naming "too long" as such.
fn io_error(path: &Path, source: io::Error) -> WriteError {
    if source.kind() == io::ErrorKind::InvalidFilename {
        WriteError::TooLong(path.to_path_buf())
    } else {
        WriteError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// What a kind of file is called in messages.
fn kind_of(file_type: fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "a device";
        }
    }
    if file_type.is_symlink() {
        "a symbolic link"
    } else if file_type.is_dir() {
        "a folder"
    } else if file_type.is_file() {
        "a file"
    } else {
        "not a regular file"
    }
}

/// Whether a file of this type is a stream that is written into, never
/// replaced: a character device such as a terminal or `/dev/null`, or a
/// pipe, which is what `/dev/stdout` leads to under `| lp`.
#[cfg(unix)]
fn is_stream(file_type: fs::FileType) -> bool {
    use std::os::unix::fs::FileTypeExt;
    file_type.is_char_device() || file_type.is_fifo()
}

#[cfg(not(unix))]
fn is_stream(_: fs::FileType) -> bool {
    false
}

/// What is at a target's name now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Nothing: the file will be created.
    Missing,
    /// A regular file.
    File,
    /// A character device or a pipe the user named, such as `/dev/stdout`
    /// or `/dev/null`: it is written into, never replaced.
    Stream,
}

/// Whether a device or a pipe at the target, or behind a link there, is
/// written into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Devices {
    /// Refused, like any other file that is not regular: for the names a
    /// program makes up, such as a batch's handouts.
    Refuse,
    /// Written into: for a path the user named, such as `-o /dev/stdout`.
    WriteInto,
}

/// Looks at what is at `path`, without following a link, and refuses what
/// may not be written: an input, a missing folder, anything but a regular
/// file or (if allowed) a device or a pipe.
pub fn inspect(path: &Path, devices: Devices, inputs: &Inputs) -> Result<Existing, WriteError> {
    inputs.check(path)?;
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_file() => Ok(Existing::File),
        Ok(meta) => {
            if devices == Devices::WriteInto
                && fs::metadata(path).is_ok_and(|target| is_stream(target.file_type()))
            {
                return Ok(Existing::Stream);
            }
            Err(WriteError::NotAFile {
                path: path.to_path_buf(),
                kind: kind_of(meta.file_type()),
            })
        }
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            check_folder(folder_of(path))?;
            Ok(Existing::Missing)
        }
        Err(error) => Err(io_error(path, error)),
    }
}

/// Checks that `folder` is a folder that exists.
pub fn check_folder(folder: &Path) -> Result<(), WriteError> {
    match fs::metadata(folder) {
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(_) => Err(WriteError::NotAFolder(folder.to_path_buf())),
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            Err(WriteError::NoFolder(folder.to_path_buf()))
        }
        Err(error) => Err(io_error(folder, error)),
    }
}

/// Opens an existing regular file to read, without following a link and
/// without waiting on a FIFO: anything else is an error.
pub fn open_regular(path: &Path) -> io::Result<File> {
    #[cfg(unix)]
    let file = {
        use rustix::fs::{Mode, OFlags};
        let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
        File::from(rustix::fs::open(path, flags, Mode::empty())?)
    };
    #[cfg(not(unix))]
    let file = {
        if !fs::symlink_metadata(path)?.is_file() {
            return Err(io::Error::other("not a regular file"));
        }
        File::open(path)?
    };
    if !file.metadata()?.is_file() {
        return Err(io::Error::other("not a regular file"));
    }
    Ok(file)
}

/// The first `limit` bytes of a regular file.
pub fn read_prefix(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    open_regular(path)?.take(limit).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Whether the regular file at `path` holds exactly `bytes`.
pub fn holds(path: &Path, bytes: &[u8]) -> io::Result<bool> {
    Ok(read_prefix(path, bytes.len() as u64 + 1)? == bytes)
}

/// Whether the regular file at `path` starts like a PDF.
pub fn is_pdf(path: &Path) -> io::Result<bool> {
    Ok(read_prefix(path, 5)? == b"%PDF-")
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

/// A temporary file beside its target, removed unless moved into place.
pub struct Temp {
    file: Option<tempfile::NamedTempFile>,
}

impl Temp {
    /// Creates a new temporary file in `folder`, exclusively, under an
    /// unpredictable name that starts with [`TEMP_PREFIX`].
    pub fn new_in(folder: &Path) -> Result<Temp, WriteError> {
        let mut builder = tempfile::Builder::new();
        builder
            .prefix(TEMP_PREFIX)
            .suffix(TEMP_SUFFIX)
            .rand_bytes(10);
        // The finished file gets the permissions any new file would, as
        // the user's umask says.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(fs::Permissions::from_mode(0o666));
        }
        let file = cleanup::create_temporary(|| builder.tempfile_in(folder), |file| file.path())
            .map_err(|error| match error.kind() {
                io::ErrorKind::NotFound => WriteError::NoFolder(folder.to_path_buf()),
                _ => io_error(folder, error),
            })?;
        Ok(Temp { file: Some(file) })
    }

    fn inner(&mut self) -> &mut tempfile::NamedTempFile {
        self.file.as_mut().expect("present until persisted")
    }

    /// Flushes the file's bytes to disk.
    pub fn sync(&mut self) -> io::Result<()> {
        self.inner().as_file().sync_all()
    }

    /// Whether the regular file at `path` holds the same bytes as this one,
    /// compared a piece at a time so that a long file is never all in memory.
    pub fn is_same_as(&mut self, path: &Path) -> io::Result<bool> {
        let mut ours = io::BufReader::new(self.inner().reopen()?);
        let mut theirs = io::BufReader::new(open_regular(path)?);
        loop {
            let (a, b) = (ours.fill_buf()?, theirs.fill_buf()?);
            if a.is_empty() || b.is_empty() {
                return Ok(a.is_empty() && b.is_empty());
            }
            let n = a.len().min(b.len());
            if a[..n] != b[..n] {
                return Ok(false);
            }
            ours.consume(n);
            theirs.consume(n);
        }
    }

    /// Moves the file to `target`. Without `replace`, a file that appeared
    /// at `target` meanwhile is kept and the result is [`WriteError::Exists`];
    /// with it, only a regular file is replaced. The temporary file is gone
    /// afterwards either way.
    pub fn persist(self, target: &Path, replace: bool) -> Result<(), WriteError> {
        self.persist_open(target, replace).map(drop)
    }

    /// Like [`Temp::persist`], and returns the open file, which is still
    /// the one at `target` (a lock taken on it is still held).
    pub fn persist_open(mut self, target: &Path, replace: bool) -> Result<File, WriteError> {
        let file = self.file.take().expect("present until persisted");
        let temp_path = file.path().to_path_buf();
        let result = persist(file, target, replace);
        cleanup::forget_temporary(&temp_path);
        result
    }

    /// The open temporary file.
    pub fn as_file(&self) -> &File {
        self.file
            .as_ref()
            .expect("present until persisted")
            .as_file()
    }
}

fn persist(
    file: tempfile::NamedTempFile,
    target: &Path,
    replace: bool,
) -> Result<File, WriteError> {
    // Checked again just before the move, so that a link or a device put
    // at the name since the first check is refused too. A rename replaces
    // the name itself, never what a link points to.
    let existing = fs::symlink_metadata(target);
    if let Ok(meta) = &existing {
        if !meta.is_file() {
            return Err(WriteError::NotAFile {
                path: target.to_path_buf(),
                kind: kind_of(meta.file_type()),
            });
        }
        if !replace {
            return Err(WriteError::Exists(target.to_path_buf()));
        }
    }
    if replace {
        return file
            .persist(target)
            .map_err(|error| io_error(target, error.error));
    }
    match file.persist_noclobber(target) {
        Ok(file) => Ok(file),
        Err(error) if error.error.kind() == io::ErrorKind::AlreadyExists => {
            Err(WriteError::Exists(target.to_path_buf()))
        }
        // File systems without hard links (FAT on a memory stick, some
        // network shares) cannot refuse to clobber in one step; the name
        // was free a moment ago.
        Err(error) if fs::symlink_metadata(target).is_err() => error
            .file
            .persist(target)
            .map_err(|error| io_error(target, error.error)),
        Err(error) => Err(io_error(target, error.error)),
    }
}

impl Write for Temp {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.inner().write(bytes)
    }

    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.inner().write_all(bytes)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner().flush()
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if let Some(file) = self.file.take() {
            let path = file.path().to_path_buf();
            // Removed first, then forgotten: an interruption in between
            // only tries to remove it again.
            drop(file);
            cleanup::forget_temporary(&path);
        }
    }
}

/// What happened to the target file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// The file did not exist and was created.
    Created,
    /// An existing file was replaced.
    Replaced,
    /// A device or a pipe was written into.
    Stream,
}

/// Writes `bytes` to `path` whole: a new file, or, with `force`, in place
/// of a regular file that holds a PDF. A device or a pipe is written into
/// only when `devices` allows it, and never if it is a terminal.
pub fn write_file(
    path: &Path,
    bytes: &[u8],
    force: bool,
    devices: Devices,
    durability: Durability,
    inputs: &Inputs,
) -> Result<Written, WriteError> {
    let existing = inspect(path, devices, inputs)?;
    write_inspected(path, bytes, existing, force, durability)
}

/// Writes `bytes` to `path` as [`write_file`] does, given what [`inspect`]
/// found there a moment before, for a caller that has looked already (a
/// batch's folder, which compares an existing file first): the move into
/// place checks the name again, so what appeared there meanwhile is still
/// refused.
pub fn write_inspected(
    path: &Path,
    bytes: &[u8],
    existing: Existing,
    force: bool,
    durability: Durability,
) -> Result<Written, WriteError> {
    match existing {
        Existing::Stream => {
            let mut stream = open_stream(path)?;
            stream
                .write_all(bytes)
                .and_then(|()| stream.flush())
                .map_err(|error| io_error(path, error))?;
            return Ok(Written::Stream);
        }
        Existing::File if !force => return Err(WriteError::Exists(path.to_path_buf())),
        Existing::File if !is_pdf(path).map_err(|error| io_error(path, error))? => {
            return Err(WriteError::NotPdf(path.to_path_buf()));
        }
        _ => {}
    }
    let io = |error| io_error(path, error);
    let mut temp = Temp::new_in(folder_of(path))?;
    temp.write_all(bytes).map_err(io)?;
    if durability == Durability::Flushed {
        temp.sync().map_err(io)?;
    }
    temp.persist(path, existing == Existing::File)?;
    Ok(match existing {
        Existing::File => Written::Replaced,
        _ => Written::Created,
    })
}

/// Opens a device or a pipe the user named to write into it, following a
/// link to it. A terminal is refused, and so is a FIFO nobody reads from,
/// which would otherwise wait for a reader for ever.
pub fn open_stream(path: &Path) -> Result<File, WriteError> {
    let io = |error| io_error(path, error);
    #[cfg(unix)]
    let stream = {
        use rustix::fs::OFlags;
        let flags = OFlags::WRONLY | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC;
        let fd = rustix::fs::open(path, flags, rustix::fs::Mode::empty()).map_err(|errno| {
            if errno == rustix::io::Errno::NXIO {
                WriteError::Io {
                    path: path.to_path_buf(),
                    source: io::Error::other("it is a FIFO that no program is reading from"),
                }
            } else {
                io(errno.into())
            }
        })?;
        // Opened without waiting; written to as usual.
        let flags = rustix::fs::fcntl_getfl(&fd).map_err(|errno| io(errno.into()))?;
        rustix::fs::fcntl_setfl(&fd, flags - OFlags::NONBLOCK).map_err(|errno| io(errno.into()))?;
        File::from(fd)
    };
    #[cfg(not(unix))]
    let stream = fs::OpenOptions::new().write(true).open(path).map_err(io)?;
    if stream.is_terminal() {
        return Err(WriteError::Terminal(path.to_path_buf()));
    }
    Ok(stream)
}

/// Whether a file has names besides the one it was reached by: a hard link
/// elsewhere shares its bytes, so it is never written, emptied or removed
/// as if it were this program's own.
pub fn has_other_names(meta: &Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        meta.nlink() > 1
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        false
    }
}

/// A file's identity, whatever name it is reached by.
#[derive(Debug, Clone, PartialEq, Eq)]
enum FileId {
    #[cfg(unix)]
    Inode(u64, u64),
    #[cfg(not(unix))]
    Path(PathBuf),
}

#[cfg(unix)]
fn file_id(_: &Path, meta: &Metadata) -> FileId {
    use std::os::unix::fs::MetadataExt;
    FileId::Inode(meta.dev(), meta.ino())
}

#[cfg(not(unix))]
fn file_id(path: &Path, _: &Metadata) -> FileId {
    FileId::Path(fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
}

/// The files a run reads, which it must never write.
#[derive(Debug, Default)]
pub struct Inputs {
    files: Vec<(FileId, PathBuf, &'static str)>,
}

impl Inputs {
    /// Records an input: `what` names it in messages, `meta` is the opened
    /// file's metadata.
    pub fn add(&mut self, what: &'static str, path: &Path, meta: &Metadata) {
        if meta.is_file() {
            self.files
                .push((file_id(path, meta), path.to_path_buf(), what));
        }
    }

    /// Refuses `target` if it is an input under this or any other name: the
    /// same path, a link to it or a hard link.
    pub fn check(&self, target: &Path) -> Result<(), WriteError> {
        let Ok(meta) = fs::metadata(target) else {
            return Ok(());
        };
        let id = file_id(target, &meta);
        match self.files.iter().find(|(input, ..)| *input == id) {
            Some((_, input, what)) => Err(WriteError::IsInput {
                path: target.to_path_buf(),
                what,
                input: input.clone(),
            }),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A new empty folder, removed when dropped.
    fn temp_dir() -> tempfile::TempDir {
        tempfile::tempdir().unwrap()
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn write(path: &Path, bytes: &[u8], force: bool) -> Result<Written, WriteError> {
        write_file(
            path,
            bytes,
            force,
            Devices::Refuse,
            Durability::Cached,
            &Inputs::default(),
        )
    }

    #[test]
    fn writes_replaces_only_pdfs_with_force_and_leaves_no_temporary_files() {
        let temp = temp_dir();
        let dir = temp.path();
        let path = dir.join("a.pdf");
        assert_eq!(write(&path, b"%PDF-one", false).unwrap(), Written::Created);
        assert!(matches!(
            write(&path, b"%PDF-two", false),
            Err(WriteError::Exists(_))
        ));
        assert_eq!(fs::read(&path).unwrap(), b"%PDF-one");
        assert_eq!(write(&path, b"%PDF-two", true).unwrap(), Written::Replaced);
        assert_eq!(fs::read(&path).unwrap(), b"%PDF-two");
        fs::write(dir.join("notes.txt"), "mine").unwrap();
        assert!(matches!(
            write(&dir.join("notes.txt"), b"%PDF-", true),
            Err(WriteError::NotPdf(_))
        ));
        assert_eq!(names(dir), ["a.pdf", "notes.txt"]);
    }

    #[cfg(unix)]
    #[test]
    fn links_and_odd_files_are_never_written_through() {
        let temp = temp_dir();
        let dir = temp.path();
        let victim = dir.join("victim.txt");
        fs::write(&victim, "keep me").unwrap();
        std::os::unix::fs::symlink(&victim, dir.join("a.pdf")).unwrap();
        for force in [false, true] {
            let error = write(&dir.join("a.pdf"), b"%PDF-x", force).unwrap_err();
            assert!(error.to_string().contains("is a symbolic link"), "{error}");
        }
        assert_eq!(fs::read(&victim).unwrap(), b"keep me");
        fs::create_dir(dir.join("b.pdf")).unwrap();
        let error = write(&dir.join("b.pdf"), b"%PDF-x", true).unwrap_err();
        assert!(error.to_string().contains("is a folder"), "{error}");
        // A device is refused unless the user named it.
        let error = write(Path::new("/dev/null"), b"%PDF-x", true).unwrap_err();
        assert!(error.to_string().contains("is a device"), "{error}");
        let written = write_file(
            Path::new("/dev/null"),
            b"%PDF-x",
            true,
            Devices::WriteInto,
            Durability::Cached,
            &Inputs::default(),
        );
        assert_eq!(written.unwrap(), Written::Stream);
        // Written into, not replaced by a regular file.
        assert!(is_stream(
            fs::symlink_metadata("/dev/null").unwrap().file_type()
        ));
    }

    #[test]
    fn inputs_are_refused_by_any_name() {
        let temp = temp_dir();
        let dir = temp.path();
        let roster = dir.join("roster.csv");
        fs::write(&roster, "name\nAna\n").unwrap();
        let mut inputs = Inputs::default();
        inputs.add("roster", &roster, &fs::metadata(&roster).unwrap());
        let linked = dir.join("linked.pdf");
        fs::hard_link(&roster, &linked).unwrap();
        for target in [&roster, &linked] {
            let error = write_file(
                target,
                b"%PDF-",
                true,
                Devices::Refuse,
                Durability::Cached,
                &inputs,
            )
            .unwrap_err();
            assert!(matches!(error, WriteError::IsInput { .. }), "{error}");
        }
        assert_eq!(fs::read(&roster).unwrap(), b"name\nAna\n");
    }

    #[test]
    fn missing_folder_and_long_names_are_named() {
        let temp = temp_dir();
        let dir = temp.path();
        let error = write(&dir.join("no/such/a.pdf"), b"x", false).unwrap_err();
        assert!(error.to_string().starts_with("output folder"), "{error}");
        let long = dir.join(format!("{}.pdf", "a".repeat(300)));
        let error = write(&long, b"%PDF-", false).unwrap_err();
        assert!(error.to_string().contains("too long"), "{error}");
        // The longest legal name is written: the temporary name is short.
        let longest = dir.join(format!("{}.pdf", "b".repeat(251)));
        write(&longest, b"%PDF-", false).unwrap();
    }
}

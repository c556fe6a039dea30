//! Runs the `handout` binary in a fresh temporary folder, and reads its PDFs
//! back with pdfinfo, pdffonts, qpdf and pdftotext.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The example practice file shipped with the program.
pub const PRACTICE_EXAMPLE: &str = include_str!("../content/practice.example.toml");

/// A fixed handout date, so that no test depends on the wall clock.
pub const DATE: &str = "2026-11-25";

/// `handout render` for Ana López at 28 weeks on [`DATE`]: the handout
/// most tests start from, less its output.
pub const RENDER_ANA: [&str; 7] = [
    "render",
    "--name",
    "Ana López",
    "--weeks",
    "28",
    "--date",
    DATE,
];

/// The folder of fixture files, one folder per case.
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

/// A folder under the system's temporary folder, removed when dropped.
struct TempDir {
    path: PathBuf,
}

impl TempDir {
    fn new() -> TempDir {
        // Tests run in parallel threads of one process: the counter keeps
        // their folders apart, the process id keeps concurrent runs apart.
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "handout-test-{}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        // A folder left by a crashed run with the same process id.
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path)
            .unwrap_or_else(|error| panic!("failed to create `{}`: {error}", path.display()));
        TempDir { path }
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.path);
    }
}

/// One run of `handout`, built up step by step, in its own folder.
///
/// Clones share the folder, so a test can run several commands side by
/// side: `base.clone().args(["-o", "a.pdf"]).run()`.
#[derive(Clone)]
pub struct Test {
    dir: Rc<TempDir>,
    args: Vec<OsString>,
    fixtures: Vec<String>,
    stdin: Option<Vec<u8>>,
    /// Environment variables set for the run, beyond `NO_COLOR`.
    env: Vec<(OsString, OsString)>,
}

impl Test {
    /// `handout render` of Ana López's handout at 28 weeks on the tests'
    /// fixed date, in a new folder: the handout most tests start from.
    pub fn render_ana() -> Test {
        Test::new().args(RENDER_ANA)
    }

    /// A test in a new, empty folder.
    pub fn new() -> Test {
        Test {
            dir: Rc::new(TempDir::new()),
            args: Vec::new(),
            fixtures: Vec::new(),
            stdin: None,
            env: Vec::new(),
        }
    }

    /// `handout batch roster.csv -o out --date DATE` on a roster with this
    /// text, in a new folder.
    pub fn batch(roster: impl AsRef<[u8]>) -> Test {
        Test::new().file("roster.csv", roster).args([
            "batch",
            "roster.csv",
            "-o",
            "out",
            "--date",
            DATE,
        ])
    }

    /// Adds one argument.
    pub fn arg(mut self, arg: impl Into<OsString>) -> Test {
        self.args.push(arg.into());
        self
    }

    /// Adds arguments.
    pub fn args<I>(mut self, args: I) -> Test
    where
        I: IntoIterator,
        I::Item: Into<OsString>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Writes a file into the test's folder before the run.
    pub fn file(mut self, name: &str, contents: impl AsRef<[u8]>) -> Test {
        let path = self.dir.path.join(name);
        fs::write(&path, contents)
            .unwrap_or_else(|error| panic!("failed to write `{}`: {error}", path.display()));
        self.fixtures.push(name.to_string());
        self
    }

    /// Copies `tests/fixtures/{path}` into the test's folder, under its file
    /// name, before the run.
    pub fn fixture(self, path: &str) -> Test {
        let source = Path::new(FIXTURES).join(path);
        let contents = fs::read(&source)
            .unwrap_or_else(|error| panic!("failed to read `{}`: {error}", source.display()));
        let name = source.file_name().expect("a fixture is a file");
        self.file(&name.to_string_lossy(), contents)
    }

    /// Copies the files of the folder `tests/fixtures/{path}` into a folder
    /// `name` of the test's folder, before the run.
    pub fn fixture_folder(self, path: &str, name: &str) -> Test {
        let source = Path::new(FIXTURES).join(path);
        let mut test = self.folder(name);
        let entries = fs::read_dir(&source)
            .unwrap_or_else(|error| panic!("failed to list `{}`: {error}", source.display()));
        for entry in entries {
            let entry = entry.expect("failed to list a fixture folder");
            let contents = fs::read(entry.path()).expect("failed to read a fixture");
            let target = test.dir.path.join(name).join(entry.file_name());
            fs::write(&target, contents)
                .unwrap_or_else(|error| panic!("failed to write `{}`: {error}", target.display()));
        }
        test.fixtures.dedup();
        test
    }

    /// Makes a folder in the test's folder before the run.
    pub fn folder(mut self, name: &str) -> Test {
        let path = self.dir.path.join(name);
        fs::create_dir_all(&path)
            .unwrap_or_else(|error| panic!("failed to create `{}`: {error}", path.display()));
        self.fixtures.push(name.to_string());
        self
    }

    /// Copies content/practice.example.toml to `practice.toml` and passes it
    /// with `--practice` (so after the subcommand).
    pub fn practice(self) -> Test {
        self.file("practice.toml", PRACTICE_EXAMPLE)
            .args(["--practice", "practice.toml"])
    }

    /// Sets an environment variable for the run.
    pub fn env(mut self, name: impl Into<OsString>, value: impl Into<OsString>) -> Test {
        self.env.push((name.into(), value.into()));
        self
    }

    /// Feeds `bytes` to the run's standard input (otherwise it is empty).
    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Test {
        self.stdin = Some(bytes.into());
        self
    }

    /// The test's folder.
    pub fn dir(&self) -> &Path {
        &self.dir.path
    }

    /// The command that runs `handout` with the arguments in the test's folder.
    pub fn command(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_handout"));
        command
            .args(&self.args)
            .current_dir(&self.dir.path)
            .env("NO_COLOR", "1")
            .envs(self.env.iter().map(|(name, value)| (name, value)))
            .stdin(Stdio::null());
        command
    }

    /// Runs `handout` like [`Test::run`], failing the test if it has not
    /// ended after `seconds`: for runs that must never hang.
    pub fn run_within(&self, seconds: u64) -> Output {
        let mut child = self
            .command()
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("failed to run handout");
        let read = |pipe: Option<Box<dyn std::io::Read + Send>>| {
            std::thread::spawn(move || {
                let mut bytes = Vec::new();
                if let Some(mut pipe) = pipe {
                    let _ = pipe.read_to_end(&mut bytes);
                }
                bytes
            })
        };
        let stdout = read(child.stdout.take().map(|p| Box::new(p) as _));
        let stderr = read(child.stderr.take().map(|p| Box::new(p) as _));
        let start = std::time::Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("failed to wait for handout") {
                break status;
            }
            if start.elapsed() > std::time::Duration::from_secs(seconds) {
                let _ = child.kill();
                panic!("`handout {}` hung for {seconds} s", shell_words(&self.args));
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        self.output(std::process::Output {
            status,
            stdout: stdout.join().expect("reader thread"),
            stderr: stderr.join().expect("reader thread"),
        })
    }

    fn output(&self, output: std::process::Output) -> Output {
        Output {
            dir: Rc::clone(&self.dir),
            fixtures: self.fixtures.clone(),
            command: format!("handout {}", shell_words(&self.args)),
            code: output.status.code(),
            stdout: output.stdout,
            stderr: String::from_utf8(output.stderr).expect("stderr is not UTF-8"),
        }
    }

    /// Runs `handout` with the arguments in the test's folder.
    pub fn run(&self) -> Output {
        let mut command = self.command();
        let output = match &self.stdin {
            None => command.output(),
            Some(bytes) => {
                let mut child = command
                    .stdin(Stdio::piped())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("failed to run handout");
                let mut stdin = child.stdin.take().expect("stdin is piped");
                let bytes = bytes.clone();
                let feeder = std::thread::spawn(move || {
                    // The program may stop reading early; that is its business.
                    let _ = std::io::Write::write_all(&mut stdin, &bytes);
                });
                let output = child.wait_with_output();
                let _ = feeder.join();
                output
            }
        }
        .expect("failed to run handout");
        self.output(output)
    }
}

impl Default for Test {
    fn default() -> Test {
        Test::new()
    }
}

/// What a run of `handout` did.
pub struct Output {
    dir: Rc<TempDir>,
    fixtures: Vec<String>,
    command: String,
    /// The exit code; `None` if a signal ended the process.
    pub code: Option<i32>,
    /// Standard output, as bytes: it may be a PDF.
    pub stdout: Vec<u8>,
    /// Standard error.
    pub stderr: String,
}

impl Output {
    /// Asserts exit code 0.
    #[track_caller]
    pub fn success(self) -> Output {
        self.code(0)
    }

    /// Asserts the exit code.
    #[track_caller]
    pub fn code(self, code: i32) -> Output {
        assert_eq!(
            self.code,
            Some(code),
            "`{}` exited with {:?}, expected {code}\nstderr:\n{}",
            self.command,
            self.code,
            self.stderr
        );
        self
    }

    /// Asserts that standard error contains `needle`.
    #[track_caller]
    pub fn stderr_contains(self, needle: &str) -> Output {
        assert!(
            self.stderr.contains(needle),
            "stderr of `{}` lacks {needle:?}\nstderr:\n{}",
            self.command,
            self.stderr
        );
        self
    }

    /// Standard output as text.
    pub fn stdout_text(&self) -> &str {
        std::str::from_utf8(&self.stdout).expect("stdout is not UTF-8")
    }

    /// The path of a file in the test's folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path.join(name)
    }

    /// The bytes of a file in the test's folder.
    #[track_caller]
    pub fn read(&self, name: &str) -> Vec<u8> {
        let path = self.path(name);
        fs::read(&path)
            .unwrap_or_else(|error| panic!("failed to read `{}`: {error}", path.display()))
    }

    /// The text of a file in the test's folder.
    #[track_caller]
    pub fn read_text(&self, name: &str) -> String {
        String::from_utf8(self.read(name)).unwrap_or_else(|_| panic!("`{name}` is not UTF-8"))
    }

    /// The SHA-256 of a file in the test's folder, in lowercase hex, as
    /// `sha256sum` computes it.
    #[track_caller]
    pub fn sha256(&self, name: &str) -> String {
        sha256_of(&self.path(name))
    }

    /// Asserts that `name` in the test's folder is a whole PDF file as far
    /// as can be told without a PDF reader: it starts with `%PDF-` and ends
    /// with `%%EOF`. The tests that need poppler-utils and qpdf read it.
    #[track_caller]
    pub fn assert_pdf_file(&self, name: &str) {
        let bytes = self.read(name);
        assert!(
            bytes.starts_with(b"%PDF-") && bytes.trim_ascii_end().ends_with(b"%%EOF"),
            "`{name}`, written by `{}`, is not a whole PDF",
            self.command
        );
    }

    /// The PDF `name` in the test's folder, after checking that it exists.
    #[track_caller]
    pub fn pdf(&self, name: &str) -> Pdf {
        let path = self.path(name);
        assert!(
            path.is_file(),
            "`{}` did not write {name}\nstderr:\n{}",
            self.command,
            self.stderr
        );
        Pdf { path }
    }

    /// Every name in the test's folder, hidden ones too, except the files
    /// the test put there itself; sorted.
    pub fn created_files(&self) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(&self.dir.path)
            .expect("failed to list the test folder")
            .map(|entry| {
                let entry = entry.expect("failed to list the test folder");
                entry.file_name().to_string_lossy().into_owned()
            })
            .filter(|name| !self.fixtures.contains(name))
            .collect();
        names.sort();
        names
    }

    /// Every name in a folder inside the test's folder, hidden ones too;
    /// sorted.
    #[track_caller]
    pub fn list(&self, folder: &str) -> Vec<String> {
        let path = self.path(folder);
        let mut names: Vec<String> = fs::read_dir(&path)
            .unwrap_or_else(|error| panic!("failed to list `{}`: {error}", path.display()))
            .map(|entry| {
                let entry = entry.expect("failed to list a folder");
                entry.file_name().to_string_lossy().into_owned()
            })
            .collect();
        names.sort();
        names
    }
}

impl Output {
    /// Asserts that no folder of the test holds a temporary file of ours or
    /// a lock file.
    #[track_caller]
    pub fn assert_no_leftovers(&self, folders: &[&str]) {
        for folder in folders {
            let names = self.list(folder);
            assert!(
                !names.iter().any(|name| {
                    (name.starts_with(".handout-") && name.ends_with(".tmp"))
                        || name.ends_with(".handout-tmp")
                        || name == ".handout.lock"
                }),
                "temporary or lock files left in `{folder}`: {names:?}\nstderr:\n{}",
                self.stderr
            );
        }
    }
}

/// Fails the test with `missing`, which says what to install, unless the
/// tool it needs is there. Such a test is marked `#[ignore = "needs …"]`,
/// so it runs only when asked for (`cargo test --workspace --
/// --include-ignored`, as CI runs); asked for, it must run or fail, never
/// pass unchecked.
#[track_caller]
/// Whether a program runs and succeeds with `args`, such as `--version`:
/// whether a test that needs it can run here.
pub fn runs(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

pub fn require_tool(available: bool, missing: &str) {
    assert!(
        available,
        "{missing}, or run the tests without --include-ignored"
    );
}

/// A small tmpfs mounted at a folder, unmounted when dropped.
pub struct Mount {
    path: PathBuf,
}

impl Mount {
    /// Mounts a tmpfs of `size` (such as "64k") with `options` at `path`, made
    /// if missing, or fails the test saying why: only root can mount, and
    /// some containers do not let even root.
    #[track_caller]
    pub fn tmpfs(path: &Path, size: &str, options: &str) -> Mount {
        fs::create_dir_all(path).expect("failed to create a mount point");
        let options = format!("size={size},mode=0777{options}");
        let output = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &options, "tmpfs"])
            .arg(path)
            .output();
        let why = match output {
            Ok(output) if output.status.success() => {
                return Mount {
                    path: path.to_path_buf(),
                };
            }
            Ok(output) => String::from_utf8_lossy(&output.stderr).trim().to_string(),
            Err(error) => format!("cannot run mount: {error}"),
        };
        panic!(
            "cannot mount a tmpfs with {options} at `{}` ({why}): this test needs root, to \
             mount a tmpfs; run it as root (in a container that allows mounts), or run the \
             tests without --include-ignored",
            path.display()
        );
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.path).status();
    }
}

/// The arguments quoted for a failure message.
fn shell_words(args: &[OsString]) -> String {
    args.iter()
        .map(|arg| format!("{:?}", arg.to_string_lossy()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs `program options path operands`, failing the test, with what to
/// install, if the program is not installed.
#[track_caller]
pub fn run_tool(
    program: &str,
    options: &[&str],
    path: &Path,
    operands: &[&str],
) -> std::process::Output {
    match Command::new(program)
        .args(options)
        .arg(path)
        .args(operands)
        .output()
    {
        Ok(output) => output,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => match program {
            // Part of every Linux system, as `sh` is.
            "sha256sum" => panic!("`sha256sum` is not installed: install coreutils"),
            _ => panic!(
                "`{program}` is not installed; the tests marked \"needs poppler-utils and \
                 qpdf\" read PDFs with pdfinfo, pdffonts, pdftotext and qpdf: install them (on \
                 Debian or Ubuntu, `apt-get install poppler-utils qpdf`), or run the tests \
                 without --include-ignored"
            ),
        },
        Err(error) => panic!("failed to run `{program}`: {error}"),
    }
}

/// Runs a tool that must succeed and returns its standard output.
#[track_caller]
fn tool_stdout(program: &str, options: &[&str], path: &Path, operands: &[&str]) -> String {
    let output = run_tool(program, options, path, operands);
    assert!(
        output.status.success(),
        "`{program} {} {} {}` failed with {}\n{}",
        options.join(" "),
        path.display(),
        operands.join(" "),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap_or_else(|_| panic!("`{program}` printed non-UTF-8"))
}

/// A PDF file, read with independent tools.
pub struct Pdf {
    path: PathBuf,
}

impl Pdf {
    /// The PDF at `path`, which a test made some other way than by a run.
    pub fn at(path: &Path) -> Pdf {
        assert!(path.is_file(), "there is no PDF at `{}`", path.display());
        Pdf {
            path: path.to_path_buf(),
        }
    }

    /// `pdfinfo`'s fields.
    pub fn info(&self) -> PdfInfo {
        let raw = tool_stdout("pdfinfo", &[], &self.path, &[]);
        let fields = raw
            .lines()
            .filter_map(|line| line.split_once(':'))
            .map(|(key, value)| (key.trim().to_string(), value.trim().to_string()))
            .collect();
        PdfInfo { raw, fields }
    }

    /// The fonts `pdffonts` lists.
    pub fn fonts(&self) -> Vec<Font> {
        let raw = tool_stdout("pdffonts", &[], &self.path, &[]);
        // Two header lines, then one font a line. The name has no spaces but
        // the type may ("CID TrueType"), so the flags are taken from the end:
        // `... emb sub uni <object> <generation>`.
        raw.lines()
            .skip(2)
            .map(|line| {
                let words: Vec<&str> = line.split_whitespace().collect();
                assert!(words.len() >= 7, "unexpected pdffonts line: {line:?}");
                let flag = |from_end: usize| words[words.len() - from_end] == "yes";
                Font {
                    name: words[0].to_string(),
                    embedded: flag(5),
                    subset: flag(4),
                    unicode: flag(3),
                }
            })
            .collect()
    }

    /// Runs `qpdf --check` and asserts exit code 0 and no warnings.
    #[track_caller]
    pub fn assert_qpdf_clean(&self) {
        let output = run_tool("qpdf", &["--check"], &self.path, &[]);
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        // qpdf exits with 2 for errors and 3 for warnings.
        assert_eq!(
            output.status.code(),
            Some(0),
            "qpdf --check failed:\n{text}"
        );
        assert!(
            !text.to_lowercase().contains("warning"),
            "qpdf --check warned:\n{text}"
        );
    }

    /// The text in reading order (`pdftotext`, no layout): each column comes
    /// out whole, so an item's lead stays together even when it wraps.
    pub fn text(&self) -> Text {
        Text::new(tool_stdout(
            "pdftotext",
            &["-enc", "UTF-8"],
            &self.path,
            &["-"],
        ))
    }

    /// The text of one page, counted from 1, in reading order.
    pub fn page_text(&self, page: u32) -> Text {
        let page = page.to_string();
        Text::new(tool_stdout(
            "pdftotext",
            &["-f", &page, "-l", &page, "-enc", "UTF-8"],
            &self.path,
            &["-"],
        ))
    }

    /// The text as laid out on the page (`pdftotext -layout`): columns side
    /// by side, so only whole lines can be searched.
    pub fn layout_text(&self) -> Text {
        Text::new(tool_stdout(
            "pdftotext",
            &["-layout", "-enc", "UTF-8"],
            &self.path,
            &["-"],
        ))
    }

    /// Asserts the checks every handout must pass: one page of the given
    /// size, every font embedded, subset and with a Unicode map, qpdf clean.
    #[track_caller]
    pub fn assert_sound(&self, paper: Paper) {
        let info = self.info();
        assert_eq!(info.pages(), 1, "pdfinfo:\n{}", info.raw);
        let (width, height) = info.page_size();
        let (want_width, want_height) = paper.size();
        assert!(
            (width - want_width).abs() < 0.01 && (height - want_height).abs() < 0.01,
            "page is {width} x {height} pt, expected {paper:?} ({want_width} x {want_height})"
        );
        let fonts = self.fonts();
        assert!(!fonts.is_empty(), "no fonts in {}", self.path.display());
        for font in &fonts {
            assert!(
                font.embedded && font.subset && font.unicode,
                "font {font:?} is not embedded, subset and mapped to Unicode"
            );
        }
        self.assert_qpdf_clean();
    }
}

/// Paper sizes and their size in points.
#[derive(Debug, Clone, Copy)]
pub enum Paper {
    /// ISO A4.
    A4,
    /// US Letter.
    Letter,
}

impl Paper {
    /// The `--paper` value.
    pub fn arg(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::Letter => "letter",
        }
    }

    /// Width and height in points, as pdfinfo prints them.
    pub fn size(self) -> (f64, f64) {
        match self {
            Paper::A4 => (595.276, 841.89),
            Paper::Letter => (612.0, 792.0),
        }
    }
}

/// What `pdfinfo` says.
pub struct PdfInfo {
    /// The whole output.
    pub raw: String,
    fields: BTreeMap<String, String>,
}

impl PdfInfo {
    /// A field's value, if present.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.fields.get(key).map(String::as_str)
    }

    /// "Pages".
    #[track_caller]
    pub fn pages(&self) -> u32 {
        let pages = self.get("Pages").expect("pdfinfo prints no Pages");
        pages.parse().expect("Pages is not a number")
    }

    /// "Page size": `595.276 x 841.89 pts (A4)`.
    #[track_caller]
    pub fn page_size(&self) -> (f64, f64) {
        let size = self.get("Page size").expect("pdfinfo prints no Page size");
        let words: Vec<&str> = size.split_whitespace().collect();
        let number = |word: Option<&&str>| -> f64 {
            word.and_then(|word| word.parse().ok())
                .unwrap_or_else(|| panic!("odd page size {size:?}"))
        };
        assert_eq!(words.get(1), Some(&"x"), "odd page size {size:?}");
        let width = number(words.first());
        let height = number(words.get(2));
        (width, height)
    }
}

/// One line of `pdffonts`.
#[derive(Debug)]
pub struct Font {
    /// The font's name with its subset tag, like `ABCDEF+NotoSans-Regular`.
    pub name: String,
    /// "emb".
    pub embedded: bool,
    /// "sub".
    pub subset: bool,
    /// "uni".
    pub unicode: bool,
}

impl Font {
    /// The name without the subset tag.
    pub fn base_name(&self) -> &str {
        self.name
            .split_once('+')
            .map_or(self.name.as_str(), |(_, base)| base)
    }
}

/// Text extracted from a PDF, searchable with runs of whitespace (line
/// breaks, column gaps) treated as one space.
pub struct Text {
    /// What pdftotext printed.
    pub raw: String,
    flat: String,
}

impl Text {
    fn new(raw: String) -> Text {
        let flat = flatten(&raw);
        Text { raw, flat }
    }

    /// Whether the text holds `needle`, whitespace runs counting as one space.
    pub fn has(&self, needle: &str) -> bool {
        self.flat.contains(&flatten(needle))
    }

    /// Asserts that the text holds `needle`.
    #[track_caller]
    pub fn assert_has(&self, needle: &str) {
        assert!(self.has(needle), "text lacks {needle:?}:\n{}", self.raw);
    }

    /// Asserts that the text does not hold `needle`.
    #[track_caller]
    pub fn assert_lacks(&self, needle: &str) {
        assert!(!self.has(needle), "text has {needle:?}:\n{}", self.raw);
    }

    /// The lines, for checks that must hold within one line.
    pub fn lines(&self) -> impl Iterator<Item = &str> {
        self.raw.lines()
    }
}

/// Collapses every run of whitespace into one space.
fn flatten(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The records of CSV text as RFC 4180 writes them: fields separated by
/// commas, quoted when they hold a comma, quote or line break, with quotes
/// doubled inside.
pub fn read_manifest(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut records = read_csv(text).into_iter();
    let header = records.next().unwrap_or_default();
    records
        .map(|record| {
            assert_eq!(record.len(), header.len(), "{record:?} in:\n{text}");
            header.iter().cloned().zip(record).collect()
        })
        .collect()
}

/// The records of a CSV text, as a spreadsheet reads them.
pub fn read_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let (mut record, mut field) = (Vec::new(), String::new());
    let (mut quoted, mut chars) = (false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

/// The SHA-256 of a file, in hex, as sha256sum gives it.
#[track_caller]
pub fn sha256_of(path: &Path) -> String {
    let line = tool_stdout("sha256sum", &[], path, &[]);
    // A name with a backslash or line break makes the line start with '\'.
    let hash = line.trim_start_matches('\\').split_whitespace().next();
    let hash = hash.unwrap_or_default();
    assert_eq!(hash.len(), 64, "odd sha256sum output {line:?}");
    hash.to_string()
}

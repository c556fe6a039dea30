//! `handout list` and `handout render`: checks the options, then renders
//! and writes one handout.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use handout_content::{
    Choice, Date, Handout, InputError, Paper, Patient, Practice, Pregnancy, SectionKind, Selection,
    Topic, check_name, check_note, parse_date, parse_weeks,
};
use handout_render::{RenderOptions, Renderer};

use crate::Failure;
use crate::args::RenderArgs;
use crate::files::{self, Devices, Durability, Existing, Inputs, WriteError, folder_of};
use crate::input::{self, MAX_TEXT_BYTES, Source};
use crate::lock::FolderLock;

/// The example practice file, printed by `handout practice --example`.
pub const PRACTICE_EXAMPLE: &str = include_str!("../../content/practice.example.toml");

/// What every message about a practice file suggests.
pub const PRACTICE_HINT: &str =
    "`handout practice --example > practice.toml` writes an example practice file to start from";

/// `handout practice --example`: the example practice file.
pub fn practice_example() -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe is not an error worth reporting.
    let _ = stdout.write_all(PRACTICE_EXAMPLE.as_bytes());
    Ok(())
}

/// `handout list`: the topic, its sections and every item id.
pub fn list() -> Result<(), Failure> {
    let mut out = String::new();
    for topic in Topic::builtin() {
        out.push_str(&format!(
            "{} ({}, {})\n",
            topic.title, topic.id, topic.language
        ));
        for section in &topic.sections {
            let how = if section.kind.is_selectable() {
                format!("--{}; * = printed by default", section.kind.key())
            } else {
                "always printed".to_string()
            };
            out.push_str(&format!("\n{} ({how})\n", section.heading));
            let width = section
                .items
                .iter()
                .map(|item| item.id.len())
                .max()
                .unwrap_or(0);
            for item in &section.items {
                let mark = if !section.kind.is_selectable() {
                    " "
                } else if item.default {
                    "*"
                } else {
                    " "
                };
                let lead = item.lead.trim_end_matches([':', '.']);
                let lead = lead.replace("{emergency}", "the emergency number");
                out.push_str(&format!("  {mark} {:<width$}  {lead}\n", item.id));
            }
        }
    }
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`handout list | head`) is not an error worth reporting.
    let _ = stdout.write_all(out.as_bytes());
    Ok(())
}

/// Everything `render` needs, checked.
struct Settings {
    practice: Practice,
    inputs: Inputs,
    patient: Patient,
    selection: Selection,
    date: Date,
    paper: Paper,
    output: PathBuf,
    force: bool,
    quiet: bool,
}

impl Settings {
    fn from_args(args: RenderArgs) -> Result<Settings, Failure> {
        let mut inputs = Inputs::default();
        let practice = match &args.practice {
            Some(path) => read_practice(path, &mut inputs)?,
            None => Practice::default(),
        };
        let date = match &args.date {
            Some(text) => parse_date("date", text).map_err(option_error("--date"))?,
            None => jiff::Zoned::now().date(),
        };
        let pregnancy = match (&args.weeks, &args.due_date) {
            (Some(weeks), _) => Some(Pregnancy::Weeks(
                parse_weeks(weeks).map_err(option_error("--weeks"))?,
            )),
            (None, Some(due)) => Some(Pregnancy::DueDate(
                parse_date("due date", due).map_err(option_error("--due-date"))?,
            )),
            (None, None) => None,
        };
        let patient = Patient {
            name: text_option(
                args.name.as_deref(),
                |name| check_name("name", name),
                "--name",
            )?,
            pregnancy,
            note: text_option(args.note.as_deref(), check_note, "--note")?,
            midwife: text_option(
                args.midwife.as_deref(),
                |name| check_name("midwife", name),
                "--midwife",
            )?,
        };
        let selection = Selection {
            prevention: args
                .prevention
                .as_deref()
                .map_or(Choice::Defaults, Choice::parse),
            treatment: args
                .treatment
                .as_deref()
                .map_or(Choice::Defaults, Choice::parse),
        };
        let paper = args
            .paper
            .map_or(practice.paper.unwrap_or_default(), Paper::from);
        Ok(Settings {
            practice,
            inputs,
            patient,
            selection,
            date,
            paper,
            output: args.output,
            force: args.force,
            quiet: args.quiet,
        })
    }
}

/// `handout render`: one handout to one PDF.
pub fn render(args: RenderArgs) -> Result<(), Failure> {
    let settings = Settings::from_args(args)?;
    let is_stdout = settings.output.as_os_str() == "-";
    // Check the target before the work, so a mistake costs nothing.
    let existing = if is_stdout {
        if std::io::stdout().is_terminal() {
            return Err(Failure::fatal(
                "will not write a PDF to the terminal: it would fill the screen with its bytes",
            )
            .with_hint(
                "redirect standard output (`-o - > ana.pdf`), or give a file name with -o",
            ));
        }
        None
    } else {
        Some(check_target(
            &settings.output,
            settings.force,
            &settings.inputs,
        )?)
    };

    let topic = Topic::builtin().remove(0);
    let handout = Handout::resolve(
        &topic,
        &settings.practice,
        &settings.patient,
        &settings.selection,
        settings.date,
    )
    .map_err(|error| match error {
        InputError::UnknownItem { .. } => {
            Failure::input(&error).with_hint("`handout list` shows every item with its id")
        }
        InputError::DueDate { .. } => Failure::input(format!("--due-date: {error}")),
        _ => Failure::input(&error),
    })?;
    let rendered = Renderer::new()
        .render(
            &handout,
            &RenderOptions {
                paper: settings.paper,
            },
        )
        .map_err(Failure::input)?;

    if is_stdout {
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(&rendered.pdf)
            .and_then(|()| stdout.flush())
            .map_err(|error| {
                Failure::fatal(format!(
                    "failed to write the PDF to standard output: {error}"
                ))
            })?;
        return Ok(());
    }
    // One run at a time writes in a folder: a batch there removes the
    // temporary files of runs that hold no lock.
    let _lock = match existing {
        Some(Existing::Stream) => None,
        _ => Some(
            FolderLock::acquire(folder_of(&settings.output), settings.force)
                .map_err(Failure::fatal)?
                .0,
        ),
    };
    files::write_file(
        &settings.output,
        &rendered.pdf,
        settings.force,
        Devices::WriteInto,
        Durability::Flushed,
        &settings.inputs,
    )
    .map_err(write_failure)?;
    if !settings.quiet {
        let chosen = |kind| handout.printed_ids(kind).len();
        eprintln!(
            "wrote {}: 1 page, {} prevention and {} treatment items, body text {} pt",
            settings.output.display(),
            chosen(SectionKind::Prevention),
            chosen(SectionKind::Treatment),
            rendered.page.body_size,
        );
    }
    Ok(())
}

/// Refuses a target that cannot be written: a folder, an input, a link, an
/// existing file without `--force`, a file that is not a PDF.
fn check_target(path: &Path, force: bool, inputs: &Inputs) -> Result<Existing, Failure> {
    if path.is_dir() {
        return Err(Failure::input(format!(
            "`{}` is a folder; give a file name such as ana.pdf",
            path.display()
        )));
    }
    let existing = files::inspect(path, Devices::WriteInto, inputs).map_err(write_failure)?;
    if existing == Existing::File {
        if !files::is_pdf(path).unwrap_or(false) {
            return Err(write_failure(WriteError::NotPdf(path.to_path_buf())));
        }
        if !force {
            return Err(write_failure(WriteError::Exists(path.to_path_buf())));
        }
    }
    Ok(existing)
}

fn write_failure(error: WriteError) -> Failure {
    if error.is_input_error() {
        Failure::input(error)
    } else {
        Failure::fatal(error)
    }
}

/// Reads and checks a practice file, recording it as an input.
pub(crate) fn read_practice(path: &Path, inputs: &mut Inputs) -> Result<Practice, Failure> {
    let bytes = input::read_input("practice file", path, Source::File, MAX_TEXT_BYTES, inputs)
        .map_err(|failure| failure.with_hint(PRACTICE_HINT))?;
    let origin = path.display().to_string();
    let text = handout_content::utf8_text(&origin, &bytes)
        .map_err(|error| Failure::input(error).with_hint(PRACTICE_HINT))?;
    Practice::parse(&origin, text).map_err(|error| Failure::input(error).with_hint(PRACTICE_HINT))
}

fn option_error<E: std::fmt::Display>(option: &'static str) -> impl Fn(E) -> Failure {
    move |error| Failure::input(format!("{option}: {error}"))
}

fn text_option<E: std::fmt::Display>(
    value: Option<&str>,
    check: impl Fn(&str) -> Result<Option<String>, E>,
    option: &'static str,
) -> Result<Option<String>, Failure> {
    value.map_or(Ok(None), |value| check(value).map_err(option_error(option)))
}

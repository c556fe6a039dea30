//! `handout list` and `handout render`: checks the options, then renders
//! and writes one handout.

use std::io::Write;
use std::path::{Path, PathBuf};

use handout_content::{
    Choice, Date, Handout, InputError, Paper, Patient, Practice, Pregnancy, SectionKind, Selection,
    Topic, check_name, check_note, parse_date, parse_weeks,
};
use handout_render::{RenderOptions, Renderer};

use crate::Failure;
use crate::args::RenderArgs;
use crate::output::{Durability, WriteError, folder_of, write_atomically};

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
        let practice = match &args.practice {
            Some(path) => read_practice(path)?,
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
    if !is_stdout {
        // Check the target before the work, so a mistake costs nothing.
        check_target(&settings.output, settings.force)?;
    }

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
    write_atomically(
        &settings.output,
        &rendered.pdf,
        settings.force,
        Durability::Flushed,
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

fn check_target(path: &Path, force: bool) -> Result<(), Failure> {
    let folder = folder_of(path);
    if !folder.is_dir() {
        return Err(write_failure(WriteError::NoFolder(folder.to_path_buf())));
    }
    if path.is_dir() {
        return Err(Failure::input(format!(
            "`{}` is a folder; give a file name such as ana.pdf",
            path.display()
        )));
    }
    if path.exists() && !force {
        return Err(write_failure(WriteError::Exists(path.to_path_buf())));
    }
    Ok(())
}

fn write_failure(error: WriteError) -> Failure {
    match error {
        WriteError::Io { .. } => Failure::fatal(error),
        _ => Failure::input(error),
    }
}

pub(crate) fn read_practice(path: &Path) -> Result<Practice, Failure> {
    let text = std::fs::read_to_string(path).map_err(|error| {
        Failure::input(format!(
            "failed to read practice file `{}`: {error}",
            path.display()
        ))
        .with_hint("content/practice.example.toml shows what a practice file holds")
    })?;
    Practice::parse(&path.display().to_string(), &text).map_err(|error| {
        Failure::input(error)
            .with_hint("content/practice.example.toml shows what a practice file holds")
    })
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

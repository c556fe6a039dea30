//! `handout render`: builds the one request from the options, renders it
//! and writes one handout.

use std::io::{IsTerminal, Write};
use std::path::Path;

use handout_content::{Choice, Part, Pick, RawRequest, RequestContext, RequestError};
use handout_render::{LongItem, RenderOptions, Renderer};

use crate::Failure;
use crate::args::RenderArgs;
use crate::content;
use crate::files::{self, Devices, Durability, Existing, Inputs, WriteError, folder_of};
use crate::lock::FolderLock;

/// The example practice file, printed by `handout practice --example`.
pub const PRACTICE_EXAMPLE: &str = include_str!("../../content/practice.example.toml");

/// `handout practice --example`: the example practice file.
pub fn practice_example() -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe is not an error worth reporting.
    let _ = stdout.write_all(PRACTICE_EXAMPLE.as_bytes());
    Ok(())
}

/// The request the options make: `--pick KEY=IDS`, with `--prevention` and
/// `--treatment` as the old names of two picks. Also returns, for each
/// pick, the option the user wrote, to name it in a message.
pub fn request_of(args: &RenderArgs) -> Result<(RawRequest, Vec<(String, String)>), Failure> {
    let mut picks = Vec::new();
    let mut options = Vec::new();
    for pick in &args.pick {
        let Some((key, ids)) = pick
            .split_once('=')
            .filter(|(key, _)| !key.trim().is_empty())
        else {
            return Err(Failure::usage(format!(
                "--pick '{}' names no section; write it as SECTION=IDS, like \
                 --pick prevention=walking,fluids",
                handout_content::excerpt(pick)
            )));
        };
        let key = key.trim().to_lowercase();
        options.push((key.clone(), format!("--pick {key}")));
        picks.push(Pick::new(key, Choice::parse(ids)));
    }
    for (key, ids) in [
        ("prevention", &args.prevention),
        ("treatment", &args.treatment),
    ] {
        if let Some(ids) = ids {
            options.push((key.to_string(), format!("--{key}")));
            picks.push(Pick::new(key, Choice::parse(ids)));
        }
    }
    let raw = RawRequest {
        topic: args.topic.clone(),
        language: args.language.clone(),
        name: args.name.clone(),
        weeks: args.weeks.clone(),
        due_date: args.due_date.clone(),
        note: args.note.clone(),
        note_language: args.note_language.clone(),
        midwife: args.midwife.clone(),
        date: args.date.clone(),
        paper: None,
        large_print: None,
        pictures: None,
        picks,
    };
    Ok((raw, options))
}

/// What a message about a topic, section or item suggests.
pub const LIST_HINT: &str = "`handout list` shows every topic, section and item id";

/// What a message about a broken topic file suggests.
pub const CONTENT_HINT: &str = "correct the topic file; `handout list` shows every topic, and \
     the error of each one that cannot be used";

/// A request's error as the command line says it: the option, then why.
pub fn option_failure(error: &RequestError, options: &[(String, String)]) -> Failure {
    let option = match &error.part {
        Part::Content => {
            return Failure::not_made(error.message.clone()).with_hint(CONTENT_HINT);
        }
        Part::Topic => "--topic".to_string(),
        Part::Language => "--language".to_string(),
        Part::Name => "--name".to_string(),
        Part::Weeks => "--weeks".to_string(),
        Part::DueDate => "--due-date".to_string(),
        Part::Note => "--note".to_string(),
        Part::NoteLanguage => "--note-language".to_string(),
        Part::Midwife => "--midwife".to_string(),
        Part::Date => "--date".to_string(),
        Part::Paper => "--paper".to_string(),
        Part::LargePrint => "--large-print".to_string(),
        Part::Pick(key) => options
            .iter()
            .find(|(known, _)| known == key)
            .map_or_else(|| format!("--pick {key}"), |(_, option)| option.clone()),
    };
    let failure = Failure::not_made(format!("{option}: {}", error.message));
    match &error.part {
        Part::Pick(_) | Part::Topic | Part::Language => failure.with_hint(LIST_HINT),
        _ => failure,
    }
}

/// `handout render`: one handout to one PDF.
pub fn render(args: RenderArgs) -> Result<(), Failure> {
    let mut inputs = Inputs::default();
    // Only the topic asked for is read, and the one it translates.
    let (practice, library) = content::load_for_one(
        &args.content,
        &mut inputs,
        args.topic.as_deref(),
        args.language.as_deref(),
    )?;
    let (raw, options) = request_of(&args)?;
    let context = RequestContext {
        paper: args.paper.map(Into::into),
        large_print: args.large_print.then_some(true),
        pictures: args.no_pictures.then_some(false),
        ..RequestContext::new(&library, &practice, crate::today())
    };
    let request = raw
        .validate(&context)
        .map_err(|error| option_failure(&error, &options))?;
    let is_stdout = args.output.as_os_str() == "-";
    // Check the target before the work, so a mistake costs nothing, but
    // after the request: a typo in it is what to fix first.
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
        Some(check_target(&args.output, args.force, &inputs)?)
    };

    // Shown even with --quiet: a draft must never reach a patient unnoticed,
    // nor a leaflet past its review on the day it is given, nor one whose
    // approval has lapsed.
    let given_on = request.handout.date;
    for warning in practice.review_warnings(request.topic, given_on.max(context.today)) {
        eprintln!("warning: {warning}");
    }
    let rendered = Renderer::new()
        .render(
            &request.handout,
            &RenderOptions {
                paper: request.paper,
                large_print: request.large_print,
            },
        )
        .map_err(Failure::not_made)?;
    // Shown even with --quiet: the midwife must know what the patient will
    // not read.
    if let Some(note) = LongItem::omitted_note(&rendered.document.omitted) {
        eprintln!("warning: {note}");
    }
    if rendered.document.more_info_left_out {
        eprintln!("warning: {}", handout_render::MORE_INFO_LEFT_OUT);
    }

    if let Some(path) = &args.dump_layout {
        std::fs::write(path, rendered.document.dump()).map_err(|error| {
            Failure::fatal(format!(
                "failed to write the layout dump `{}`: {error}",
                path.display()
            ))
        })?;
    }
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
            FolderLock::acquire(folder_of(&args.output), args.force)
                .map_err(Failure::fatal)?
                .0,
        ),
    };
    files::write_file(
        &args.output,
        &rendered.pdf,
        args.force,
        Devices::WriteInto,
        Durability::Flushed,
        &inputs,
    )
    .map_err(write_failure)?;
    if !args.quiet {
        let handout = &request.handout;
        let picked: Vec<String> = handout
            .picked
            .iter()
            .map(|(key, ids)| format!("{} {key}", ids.len()))
            .collect();
        let picked = match picked.is_empty() {
            true => String::new(),
            false => format!(", {} items", picked.join(" and ")),
        };
        let pages = match rendered.document.pages.len() {
            1 => "1 page".to_string(),
            pages => format!("{pages} pages, both sides of one sheet in large print,"),
        };
        eprintln!(
            "wrote {}: {pages} of {} ({}){picked}, body text {} pt",
            args.output.display(),
            handout.topic,
            handout.wording,
            rendered.document.pages[0].body_size,
        );
    }
    Ok(())
}

/// Refuses a target that cannot be written: a folder, an input, a link, an
/// existing file without `--force`, a file that is not a PDF.
fn check_target(path: &Path, force: bool, inputs: &Inputs) -> Result<Existing, Failure> {
    if path.is_dir() {
        return Err(Failure::fatal(format!(
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

/// An output place that cannot be used: the command stops (exit code 2).
fn write_failure(error: WriteError) -> Failure {
    Failure::fatal(error)
}

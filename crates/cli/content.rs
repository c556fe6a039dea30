//! Loads what a run prints from: the practice file, and the topics (the
//! built-in ones and the practice's folder).

use std::fs;
use std::path::{Path, PathBuf};

use handout_content::{ContentError, Library, Practice, utf8_text};

use crate::Failure;
use crate::args::ContentArgs;
use crate::files::Inputs;
use crate::input::{self, MAX_TEXT_BYTES, Readable};

/// What every message about a practice file suggests.
pub const PRACTICE_HINT: &str =
    "`handout practice --example > practice.toml` writes an example practice file to start from";

/// The practice's details and the topics there are. Every file read is
/// recorded in `inputs`, so that nothing is written over it.
pub fn load(args: &ContentArgs, inputs: &mut Inputs) -> Result<(Practice, Library), Failure> {
    load_with(args, inputs, Library::builtin)
}

/// As [`load`], for one handout of topic `id` in `language`: without a
/// practice's folder of topics, only the built-in topics that handout
/// needs are read ([`Library::builtin_for`]).
pub fn load_for_one(
    args: &ContentArgs,
    inputs: &mut Inputs,
    id: Option<&str>,
    language: Option<&str>,
) -> Result<(Practice, Library), Failure> {
    load_with(args, inputs, || Library::builtin_for(id, language))
}

/// Loads as [`load`] says, with `builtin` for the built-in topics when
/// there is no practice's folder; with one, every built-in topic, as a
/// practice's translation is checked against the file it translates.
fn load_with(
    args: &ContentArgs,
    inputs: &mut Inputs,
    builtin: impl FnOnce() -> Library,
) -> Result<(Practice, Library), Failure> {
    let practice = match &args.practice {
        Some(path) => read_practice(path, inputs)?,
        None => Practice::default(),
    };
    // The practice file's folder is relative to the practice file.
    let folder: Option<PathBuf> = match (&args.content, &practice.content, &args.practice) {
        (Some(folder), _, _) => Some(folder.clone()),
        (None, Some(folder), Some(file)) => Some(crate::files::folder_of(file).join(folder)),
        (None, Some(folder), None) => Some(PathBuf::from(folder)),
        (None, None, _) => None,
    };
    let Some(folder) = folder else {
        return Ok((practice, builtin()));
    };
    let mut library = Library::builtin();
    add_folder(&mut library, &folder, inputs)?;
    // A translation is checked against the file it translates as the
    // practice has it.
    library.check_translations();
    Ok((practice, library))
}

/// Adds the pictures in `folder`'s `pictures/` and then every `*.toml`
/// file of `folder` to the library, in name order; the origins of the
/// files added. A broken file is kept as broken: a topic fails only when
/// it is used, and a picture when a topic names it.
pub fn add_folder(
    library: &mut Library,
    folder: &Path,
    inputs: &mut Inputs,
) -> Result<Vec<String>, Failure> {
    let mut origins = add_pictures(library, &folder.join("pictures"), inputs);
    origins.extend(add_topics(library, folder, inputs)?);
    Ok(origins)
}

/// Adds every `NAME.svg` of `folder`, if there is such a folder, to the
/// library's pictures, named NAME; the origins of the files added.
fn add_pictures(library: &mut Library, folder: &Path, inputs: &mut Inputs) -> Vec<String> {
    let Ok(entries) = fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut files: Vec<(String, PathBuf)> = entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let stem = name.strip_suffix(".svg")?;
            (!stem.is_empty() && !name.starts_with('.')).then(|| (stem.to_string(), entry.path()))
        })
        .collect();
    files.sort();
    let inside = folder.canonicalize().ok();
    let mut origins = Vec::with_capacity(files.len());
    for (name, path) in files {
        let origin = path.display().to_string();
        let bytes = if leads_outside(&path, inside.as_deref()) {
            Err(
                "this is a link to a file outside the pictures folder, which handout does not \
                 read; copy the picture into the folder instead"
                    .to_string(),
            )
        } else {
            input::read_input("picture", &path, Readable::File, MAX_TEXT_BYTES, inputs)
                .map_err(|failure| failure.message)
        };
        library.add_picture(&origin, &name, bytes.as_deref().map_err(String::as_str));
        origins.push(origin);
    }
    origins
}

/// Adds every `*.toml` file of `folder` to the library, in name order; the
/// origins of the files added.
fn add_topics(
    library: &mut Library,
    folder: &Path,
    inputs: &mut Inputs,
) -> Result<Vec<String>, Failure> {
    let display = folder.display();
    let entries = fs::read_dir(folder).map_err(|error| {
        let reason = match error.kind() {
            std::io::ErrorKind::NotFound => "no such folder".to_string(),
            std::io::ErrorKind::NotADirectory => "it is not a folder".to_string(),
            _ => error.to_string(),
        };
        Failure::fatal(format!(
            "failed to read the content folder `{display}`: {reason}"
        ))
        .with_hint("give the folder of your practice's TOPIC.LANG.toml files with --content")
    })?;
    let mut files: Vec<(String, PathBuf)> = entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            (name.ends_with(".toml") && !name.starts_with('.')).then(|| (name, entry.path()))
        })
        .collect();
    files.sort();
    let mut origins = Vec::with_capacity(files.len());
    let inside = folder.canonicalize().ok();
    for (name, path) in files {
        if leads_outside(&path, inside.as_deref()) {
            let origin = path.display().to_string();
            library.add_unreadable(
                &origin,
                &name,
                "this is a link to a file outside the content folder, which handout does not \
                 read; copy the topic file into the folder instead",
            );
            origins.push(origin);
            continue;
        }
        origins.push(add_file(library, &path, &name, inputs)?);
    }
    Ok(origins)
}

/// Whether `path` is a link that leads out of the folder `inside` (in its
/// canonical form), or anywhere that cannot be told.
fn leads_outside(path: &Path, inside: Option<&Path>) -> bool {
    if !fs::symlink_metadata(path).is_ok_and(|meta| meta.file_type().is_symlink()) {
        return false;
    }
    match (path.canonicalize(), inside) {
        (Ok(target), Some(inside)) => !target.starts_with(inside),
        _ => true,
    }
}

/// Adds one topic file, named `name`, to the library; its origin. An
/// unreadable file is kept as a broken one, named by its error.
pub fn add_file(
    library: &mut Library,
    path: &Path,
    name: &str,
    inputs: &mut Inputs,
) -> Result<String, Failure> {
    let origin = path.display().to_string();
    match input::read_input("topic file", path, Readable::File, MAX_TEXT_BYTES, inputs) {
        Ok(bytes) => library.add_file(&origin, name, &bytes),
        Err(failure) => library.add_unreadable(&origin, name, &failure.message),
    }
    Ok(origin)
}

/// Reads and checks a practice file, recording it as an input.
pub fn read_practice(path: &Path, inputs: &mut Inputs) -> Result<Practice, Failure> {
    let bytes = input::read_input(
        "practice file",
        path,
        Readable::File,
        MAX_TEXT_BYTES,
        inputs,
    )
    .map_err(|failure| failure.with_hint(PRACTICE_HINT))?;
    let origin = path.display().to_string();
    let text = utf8_text(&origin, &bytes)
        .map_err(|error| Failure::fatal(error).with_hint(PRACTICE_HINT))?;
    Practice::parse(&origin, text).map_err(|error| {
        // A value the file gets wrong is said with what to write instead;
        // the example helps only a file that is not a practice file at all.
        let unreadable = matches!(error, ContentError::Toml { .. });
        let failure = Failure::fatal(error);
        if unreadable {
            failure.with_hint(PRACTICE_HINT)
        } else {
            failure
        }
    })
}

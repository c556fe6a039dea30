//! `handout schema`: the JSON Schema of topic files, printed or written
//! into a practice's folder, so that an editor completes and checks a
//! topic file as it is typed.

use std::fs;
use std::io::Write;
use std::path::Path;

use crate::Failure;
use crate::args::SchemaArgs;
use crate::files::{self, Temp};

/// The schema's file name, as the built-in topics' `#:schema` lines give it.
pub const FILE_NAME: &str = "topic.schema.json";

/// Prints the schema, or writes it into a folder.
pub fn schema(args: &SchemaArgs) -> Result<(), Failure> {
    let schema = handout_content::schema();
    match &args.write {
        None => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe is not an error worth reporting.
            let _ = stdout.write_all(schema.as_bytes());
            Ok(())
        }
        Some(folder) => {
            let written = write_into(folder, &schema)?;
            eprintln!("{written}");
            Ok(())
        }
    }
}

/// Writes the schema as `FILE_NAME` in `folder`, made if missing: a new
/// file, or in place of an earlier schema this program wrote; never over
/// another file.
pub fn write_into(folder: &Path, schema: &str) -> Result<String, Failure> {
    make_folder(folder)?;
    let target = folder.join(FILE_NAME);
    let shown = target.display();
    let existing = match files::read_prefix(&target, 1 << 20) {
        Ok(bytes) => Some(bytes),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
        Err(error) => return Err(Failure::fatal(format!("failed to read `{shown}`: {error}"))),
    };
    if let Some(bytes) = &existing {
        if bytes == schema.as_bytes() {
            return Ok(format!("{shown} is up to date"));
        }
        if !is_our_schema(bytes) {
            return Err(Failure::fatal(format!(
                "`{shown}` exists and is not a topic schema this program wrote; it was left alone"
            ))
            .with_hint("move it away, or write the schema elsewhere with --write DIR"));
        }
    }
    let io = |error: std::io::Error| Failure::fatal(format!("failed to write `{shown}`: {error}"));
    let mut temp = Temp::new_in(folder).map_err(Failure::fatal)?;
    temp.write_all(schema.as_bytes()).map_err(io)?;
    temp.sync().map_err(io)?;
    temp.persist(&target, existing.is_some())
        .map_err(Failure::fatal)?;
    Ok(match existing {
        Some(_) => format!("updated {shown}"),
        None => {
            format!("wrote {shown}; start each topic file with the line `#:schema ./{FILE_NAME}`")
        }
    })
}

/// Whether a file holds a topic schema, of this version or an earlier one.
fn is_our_schema(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes).is_ok_and(|text| {
        text.trim_start().starts_with('{') && text.contains("\"title\": \"handout topic file\"")
    })
}

/// Makes a practice's folder of topics, and the folders it is in, if
/// missing; anything else at its name is an error.
pub fn make_folder(folder: &Path) -> Result<(), Failure> {
    if let Err(error) = fs::create_dir_all(folder)
        && !folder.is_dir()
    {
        return Err(Failure::fatal(format!(
            "cannot make the folder `{}`: {error}",
            folder.display()
        )));
    }
    files::check_folder(folder).map_err(Failure::fatal)
}

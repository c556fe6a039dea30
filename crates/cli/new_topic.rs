//! `handout new-topic`: a practice's own leaflet to start from, a draft
//! that `handout check` passes as it stands, with a placeholder for every
//! sentence and source a clinician must fill in.

use std::io::Write;
use std::path::Path;

use handout_content::Topic;

use crate::Failure;
use crate::args::NewTopicArgs;
use crate::files::{self, Devices, Durability, Inputs, WriteError};
use crate::schema;

/// The starting file, with `{id}`, `{language}` and `{title}` to fill in.
const TEMPLATE: &str = include_str!("../../content/topic.template.toml");

/// Prints the new topic file, or writes it, with the schema, into a folder.
pub fn new_topic(args: &NewTopicArgs) -> Result<(), Failure> {
    let text = fill(&args.topic, &args.language)?;
    let Some(folder) = &args.write else {
        // A closed pipe is not an error worth reporting.
        let _ = std::io::stdout().lock().write_all(text.as_bytes());
        return Ok(());
    };
    let file = folder.join(format!("{}.{}.toml", args.topic, args.language));
    schema::make_folder(folder)?;
    write_new(&file, &text)?;
    let note = schema::write_into(folder, &handout_content::schema())?;
    eprintln!("{note}");
    eprintln!(
        "wrote {}: a draft with a placeholder for every sentence; write your source's words \
         in it, then `handout check --content {}`",
        file.display(),
        folder.display()
    );
    Ok(())
}

/// The template for `topic` in `language`, checked as a topic file: an id
/// or language the template cannot have is refused here, in the words the
/// topic checker uses.
fn fill(topic: &str, language: &str) -> Result<String, Failure> {
    let title = title_of(topic);
    let text = TEMPLATE
        .replace("{id}", topic)
        .replace("{language}", language)
        .replace("{title}", &title);
    let origin = format!("{topic}.{language}.toml");
    Topic::parse(&origin, &text).map(|_| text).map_err(|error| {
        // The file is not written yet, so its line and column mean nothing.
        let whole = error.to_string();
        let prefix = error.location().to_string();
        let reason = whole.strip_prefix(&prefix).unwrap_or(&whole);
        Failure::usage(format!(
            "cannot start `{origin}`:{}",
            reason.strip_prefix(':').unwrap_or(reason)
        ))
    })
}

/// "back-care" as a title: "Back care".
fn title_of(topic: &str) -> String {
    let words = topic.replace('-', " ");
    let mut chars = words.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// Writes a file that must not exist yet: a practice's own leaflet is
/// never replaced.
fn write_new(path: &Path, text: &str) -> Result<(), Failure> {
    files::write_file(
        path,
        text.as_bytes(),
        false,
        Devices::Refuse,
        Durability::Flushed,
        &Inputs::default(),
    )
    .map(drop)
    .map_err(|error| match error {
        WriteError::Exists(_) => {
            Failure::fatal(format!("`{}` exists; it was left alone", path.display()))
                .with_hint("choose another topic name, or move the file away")
        }
        error => Failure::fatal(error),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_is_a_topic_that_passes_its_check() {
        let text = fill("back-care", "en").unwrap();
        let topic = Topic::check("back-care.en.toml", &text).unwrap();
        assert_eq!(topic.id, "back-care");
        assert_eq!(topic.title, "Back care");
        assert!(topic.review.is_draft());
    }

    #[test]
    fn an_id_a_topic_cannot_have_is_refused_in_the_checkers_words() {
        let error = fill("Back_Care", "en").unwrap_err();
        assert!(
            error
                .message
                .starts_with("cannot start `Back_Care.en.toml`: topic id 'Back_Care'"),
            "{}",
            error.message
        );
        let error = fill("back-care", "xx").unwrap_err();
        assert!(error.message.contains("labels"), "{}", error.message);
    }
}

//! Checks a translation against the file it translates: the same
//! sections, in the same roles, with the same items, and never a warning
//! sign left out.

use crate::error::ContentError;
use crate::error::Location;
use crate::topic::{SectionRole, Topic};

/// A place at the start of `line` of the file `origin`.
pub(super) fn at_line(origin: &str, line: usize) -> Location {
    Location {
        origin: origin.to_string(),
        line,
        column: 1,
    }
}

/// Checks that `translation` has the sections and items of `original`,
/// naming every difference of the first kind found.
pub(super) fn compare(
    origin: &str,
    translation: &Topic,
    original: &Topic,
) -> Result<(), ContentError> {
    let from = &original.language;
    let error = |line: usize, message: String| {
        Err(ContentError::BadValue {
            at: at_line(origin, line),
            message,
        })
    };
    let here = translation.lines.translated_from;
    let keys =
        |topic: &Topic| -> Vec<String> { topic.sections.iter().map(|s| s.key.clone()).collect() };
    let missing: Vec<String> = keys(original)
        .into_iter()
        .filter(|key| translation.section(key).is_none())
        .collect();
    if !missing.is_empty() {
        return error(
            here,
            format!(
                "it lacks the section{} {} of the '{from}' file it translates; a translation has \
                 every section of it",
                plural(missing.len()),
                quoted(&missing)
            ),
        );
    }
    for section in &translation.sections {
        let line = translation
            .lines
            .sections
            .get(&section.key)
            .copied()
            .unwrap_or(here);
        match original.section(&section.key) {
            None => {
                return error(
                    line,
                    format!(
                        "section '{}' is not in the '{from}' file it translates; a translation \
                         has the same sections, with the same keys",
                        section.key
                    ),
                );
            }
            Some(theirs) if theirs.role != section.role => {
                return error(
                    line,
                    format!(
                        "section '{}' is {} here but {} in the '{from}' file it translates",
                        section.key,
                        section.role.key(),
                        theirs.role.key()
                    ),
                );
            }
            Some(_) => {}
        }
    }
    for theirs in &original.sections {
        let ours = translation.section(&theirs.key).expect("checked above");
        let missing: Vec<String> = theirs
            .items
            .iter()
            .filter(|item| !ours.items.iter().any(|mine| mine.id == item.id))
            .map(|item| item.id.clone())
            .collect();
        if !missing.is_empty() {
            let what = if theirs.role == SectionRole::Urgent {
                "warning sign"
            } else {
                "item"
            };
            let line = translation
                .lines
                .sections
                .get(&ours.key)
                .copied()
                .unwrap_or(here);
            return error(
                line,
                format!(
                    "section '{}' lacks the {what}{} {} of the '{from}' file it translates; a \
                     translation has every one{}",
                    ours.key,
                    plural(missing.len()),
                    quoted(&missing),
                    if what == "warning sign" {
                        ", and never leaves out a warning"
                    } else {
                        ""
                    }
                ),
            );
        }
        for item in &ours.items {
            if !theirs.items.iter().any(|their| their.id == item.id) {
                let line = translation
                    .lines
                    .items
                    .get(&item.id)
                    .copied()
                    .unwrap_or(here);
                let elsewhere = original
                    .item(&item.id)
                    .map(|(section, _)| format!(" (it is in section '{}' there)", section.key))
                    .unwrap_or_default();
                return error(
                    line,
                    format!(
                        "item '{}' is not in section '{}' of the '{from}' file it translates{}; \
                         a translation has the same items, with the same ids",
                        item.id, ours.key, elsewhere
                    ),
                );
            }
        }
    }
    Ok(())
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

fn quoted(ids: &[String]) -> String {
    ids.iter()
        .map(|id| format!("'{id}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use crate::Library;

    /// The built-in Spanish file, edited.
    fn spanish(from: &str, to: &str) -> Result<(), String> {
        let text = crate::topic::LEG_CRAMPS_ES.replacen(from, to, 1);
        assert_ne!(text, crate::topic::LEG_CRAMPS_ES, "{from}");
        let mut library = Library::builtin();
        library.add_file(
            "d/leg-cramps.es.toml",
            "leg-cramps.es.toml",
            text.as_bytes(),
        );
        library.check_translations();
        library
            .topic(Some("leg-cramps"), Some("es"))
            .map(|_| ())
            .map_err(|error| error.to_string())
    }

    #[test]
    fn a_translation_has_the_sections_and_items_of_its_original() {
        assert_eq!(spanish("version = 4", "version = 5"), Ok(()));
        for (from, to, message) in [
            (
                "id = \"clot-in-leg\"",
                "id = \"clot-in-calf\"",
                "section 'when-to-call' lacks the warning sign 'clot-in-leg' of the 'en' file it \
                 translates; a translation has every one, and never leaves out a warning",
            ),
            (
                "id = \"herbal\"",
                "id = \"herbs\"",
                "section 'treatment' lacks the item 'herbal'",
            ),
            (
                "key = \"causes\"",
                "key = \"why\"",
                "it lacks the section 'causes' of the 'en' file it translates",
            ),
            (
                "translated-from = \"en\"",
                "translated-from = \"fr\"",
                "there is no usable file \
                             of it in 'fr'",
            ),
        ] {
            let error = spanish(from, to).unwrap_err();
            assert!(error.contains(message), "{to}: {error}");
            assert!(error.starts_with("d/leg-cramps.es.toml:"), "{error}");
        }
    }
}

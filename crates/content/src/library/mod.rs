//! Where topics come from: the built-in ones, and a practice's own folder.
//!
//! A practice's files are named `TOPIC.LANG.toml`. One with the same topic
//! and language as a built-in replaces it, so a practice can reword a
//! leaflet or add its local services. A broken file does not stop the other
//! topics: it fails, with its error, only when it is used.

mod translations;

use crate::error::{ContentError, Location, utf8_text};
use crate::picture::Pictures;
use crate::suggest::{did_you_mean, nearest};
use crate::text::{excerpt, sha256_hex};
use crate::topic::{BUILTIN_TOPICS, Topic};

/// Where a topic's text comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Built into the program.
    Builtin,
    /// A practice's file, by its path as the user gave it.
    File(String),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Builtin => f.write_str("built-in"),
            Origin::File(path) => f.write_str(path),
        }
    }
}

/// One topic in one language, and whether it can be used.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The topic id, from the file if it parsed, from its name otherwise.
    pub id: String,
    /// The language tag, likewise.
    pub language: String,
    /// Where it comes from.
    pub origin: Origin,
    /// The topic, or why the file cannot be used: its first problem.
    pub topic: Result<Topic, ContentError>,
    /// Every problem found in the file, in the order of the file: the one
    /// `topic` gives and any after it. Empty for a file that can be used.
    pub errors: Vec<ContentError>,
    /// The SHA-256 of the file's bytes, in hex: which text a patient got.
    pub sha256: String,
}

/// Why no topic could be found for a request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LookupError {
    /// No topic has this id.
    #[error("there is no topic '{id}'{} (topics: {})", did_you_mean(.suggestion.as_deref()), .known.join(", "))]
    NoTopic {
        /// The id asked for.
        id: String,
        /// The nearest id.
        suggestion: Option<String>,
        /// Every topic id.
        known: Vec<String>,
    },
    /// The topic is not in this language.
    #[error("topic '{id}' is not in language '{language}' (it is in: {})", .known.join(", "))]
    NoLanguage {
        /// The topic.
        id: String,
        /// The language asked for.
        language: String,
        /// Its languages.
        known: Vec<String>,
    },
    /// No topic was asked for, and there is more than one.
    #[error(
        "no topic is named, and there are several ({}); name one with --topic or in a roster's \
         topic column",
        .known.join(", ")
    )]
    WhichTopic {
        /// Every topic id.
        known: Vec<String>,
    },
    /// No language was asked for, and the topic has several, none English.
    #[error("say which language of topic '{id}' (it is in: {})", .known.join(", "))]
    WhichLanguage {
        /// The topic.
        id: String,
        /// Its languages.
        known: Vec<String>,
    },
    /// The topic's file is broken.
    #[error("{0}")]
    Broken(ContentError),
}

/// Every topic a run can print.
#[derive(Debug, Clone)]
pub struct Library {
    entries: Vec<Entry>,
    /// The practice's own pictures, which its topics may name.
    pictures: Pictures,
}

impl Library {
    /// The built-in topics only.
    pub fn builtin() -> Library {
        let entries = BUILTIN_TOPICS.into_iter().map(builtin_entry).collect();
        let mut library = Library {
            entries,
            pictures: Pictures::default(),
        };
        library.check_translations();
        library
    }

    /// The built-in topics that one handout of topic `id` in `language`
    /// needs: that topic, and the one it translates, against which it is
    /// checked. A single handout reads no other, which took a quarter of
    /// its time. The topic is found as [`Library::topic`] finds it; when
    /// none would be, every topic is read, so that the error names them
    /// all.
    pub fn builtin_for(id: Option<&str>, language: Option<&str>) -> Library {
        let named: Vec<(&str, &str)> = BUILTIN_TOPICS
            .iter()
            .map(|(name, _)| builtin_name(name))
            .collect();
        let Ok(wanted) = find(&named, id, language) else {
            return Library::builtin();
        };
        let topic = builtin_entry(BUILTIN_TOPICS[wanted]);
        let original = topic
            .topic
            .as_ref()
            .ok()
            .and_then(|topic| topic.translated_from.as_deref())
            .and_then(|from| {
                named.iter().position(|&(known, language)| {
                    known == named[wanted].0 && language.eq_ignore_ascii_case(from)
                })
            });
        // In the library's order, as `builtin` has them.
        let mut entries = vec![topic];
        if let Some(original) = original {
            entries.insert(
                usize::from(original > wanted),
                builtin_entry(BUILTIN_TOPICS[original]),
            );
        }
        let mut library = Library {
            entries,
            pictures: Pictures::default(),
        };
        library.check_translations();
        library
    }

    /// Adds a practice's file, `origin` being its path as shown to the user
    /// and `file_name` its name, `TOPIC.LANG.toml`. A file for a topic and
    /// language already here replaces it.
    pub fn add_file(&mut self, origin: &str, file_name: &str, bytes: &[u8]) {
        let named = file_name
            .strip_suffix(".toml")
            .and_then(|stem| stem.rsplit_once('.'));
        let (id, language) = match named {
            Some((id, language)) if !id.is_empty() && !language.is_empty() => {
                (id.to_string(), language.to_string())
            }
            _ => (file_name.to_string(), String::new()),
        };
        let checked = match named {
            None => Err(vec![ContentError::BadValue {
                at: Location {
                    origin: origin.to_string(),
                    line: 1,
                    column: 1,
                },
                message: "a topic file is named TOPIC.LANGUAGE.toml, such as \
                          back-care.en.toml"
                    .to_string(),
            }]),
            Some(_) => utf8_text(origin, bytes)
                .map_err(|error| vec![error])
                .and_then(|text| {
                    let topic = Topic::check_with(origin, text, &self.pictures)?;
                    agree(origin, text, &topic, &id, &language).map_err(|error| vec![error])?;
                    Ok(topic)
                }),
        };
        let sha256 = sha256_hex(bytes);
        let (topic, errors) = match checked {
            // Of the bytes read, as the manifest records it: a byte-order
            // mark the text leaves out is part of the file.
            Ok(topic) => (
                Ok(Topic {
                    sha256: sha256.clone(),
                    ..topic
                }),
                Vec::new(),
            ),
            Err(errors) => (Err(errors[0].clone()), errors),
        };
        self.replace(Entry {
            id,
            language,
            origin: Origin::File(origin.to_string()),
            topic,
            errors,
            sha256,
        });
    }

    /// Adds a practice's picture, `origin` being its path as shown to the
    /// user and `name` the name topics give it (its file's name without
    /// `.svg`), or why it could not be read. Add every picture before the
    /// topic files that name them.
    pub fn add_picture(&mut self, origin: &str, name: &str, bytes: Result<&[u8], &str>) {
        self.pictures.add(origin, name, bytes);
    }

    /// The practice's own pictures.
    pub fn pictures(&self) -> &Pictures {
        &self.pictures
    }

    /// Adds a practice's file that could not be read, with why, so that it
    /// fails only when it is used.
    pub fn add_unreadable(&mut self, origin: &str, file_name: &str, reason: &str) {
        let stem = file_name.strip_suffix(".toml").unwrap_or(file_name);
        let (id, language) = stem.rsplit_once('.').unwrap_or((stem, ""));
        let error = ContentError::BadValue {
            at: Location {
                origin: origin.to_string(),
                line: 1,
                column: 1,
            },
            message: reason.to_string(),
        };
        let entry = Entry {
            id: id.to_string(),
            language: language.to_string(),
            origin: Origin::File(origin.to_string()),
            topic: Err(error.clone()),
            errors: vec![error],
            sha256: String::new(),
        };
        self.replace(entry);
    }

    /// Checks every translation against the file it translates, as it now
    /// stands (a practice's own version, or the built-in one): the same
    /// sections, in the same roles, and the same items in them. A
    /// translation that differs is broken. Call it after the last file is
    /// added.
    pub fn check_translations(&mut self) {
        let problems: Vec<(usize, ContentError)> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(index, entry)| {
                let topic = entry.topic.as_ref().ok()?;
                let from = topic.translated_from.as_deref()?;
                let origin = match &entry.origin {
                    Origin::Builtin => format!("{}.{}.toml", entry.id, entry.language),
                    Origin::File(path) => path.clone(),
                };
                let original = self.entries.iter().find(|other| {
                    other.id == entry.id && other.language.eq_ignore_ascii_case(from)
                });
                let result = match original.map(|other| &other.topic) {
                    Some(Ok(original)) => translations::compare(&origin, topic, original),
                    Some(Err(_)) | None => Err(ContentError::BadValue {
                        at: translations::at_line(&origin, topic.lines.translated_from),
                        message: format!(
                            "it translates topic '{}' in '{from}', and there is no usable file \
                             of it in '{from}' to check it against",
                            entry.id
                        ),
                    }),
                };
                result.err().map(|error| (index, error))
            })
            .collect();
        for (index, error) in problems {
            self.entries[index].errors = vec![error.clone()];
            self.entries[index].topic = Err(error);
        }
    }

    fn replace(&mut self, entry: Entry) {
        match self
            .entries
            .iter_mut()
            .find(|known| known.id == entry.id && known.language == entry.language)
        {
            Some(known) => *known = entry,
            None => self.entries.push(entry),
        }
    }

    /// Every topic and language, in order: built-ins first, then the
    /// practice's files as added.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The SHA-256 of the file a topic in a language comes from.
    pub fn sha256_of(&self, id: &str, language: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|entry| entry.id == id && entry.language == language)
            .map(|entry| entry.sha256.as_str())
    }

    /// The topics that can be used.
    pub fn topics(&self) -> impl Iterator<Item = &Topic> {
        self.entries
            .iter()
            .filter_map(|entry| entry.topic.as_ref().ok())
    }

    /// The keys of every `choose` section of every usable topic: the
    /// roster columns that pick advice.
    pub fn choose_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = Vec::new();
        for section in self.topics().flat_map(|topic| topic.choose_sections()) {
            if !keys.contains(&section.key) {
                keys.push(section.key.clone());
            }
        }
        keys
    }

    /// The topic a request asks for. Without an id, the only topic there
    /// is; without a language, the only one the topic has, or English.
    pub fn topic(&self, id: Option<&str>, language: Option<&str>) -> Result<&Topic, LookupError> {
        let named: Vec<(&str, &str)> = self
            .entries
            .iter()
            .map(|entry| (entry.id.as_str(), entry.language.as_str()))
            .collect();
        let index = find(&named, id, language)?;
        self.entries[index]
            .topic
            .as_ref()
            .map_err(|error| LookupError::Broken(error.clone()))
    }
}

/// Which of the topics `named` (each one's id and language, in the
/// library's order) a request for `id` in `language` asks for, as
/// [`Library::topic`] finds it: its index.
fn find(
    named: &[(&str, &str)],
    id: Option<&str>,
    language: Option<&str>,
) -> Result<usize, LookupError> {
    // Borrowed, as only an error needs them owned.
    let owned = |names: &[&str]| names.iter().map(|name| name.to_string()).collect();
    let mut ids: Vec<&str> = Vec::new();
    for &(known, _) in named {
        if !ids.contains(&known) {
            ids.push(known);
        }
    }
    let id = match id {
        Some(id) => *ids
            .iter()
            .find(|known| known.eq_ignore_ascii_case(id))
            .ok_or_else(|| LookupError::NoTopic {
                id: excerpt(id),
                suggestion: nearest(id, &ids).map(str::to_string),
                known: owned(&ids),
            })?,
        None if ids.len() == 1 => ids[0],
        None => return Err(LookupError::WhichTopic { known: owned(&ids) }),
    };
    let entries: Vec<(usize, &str)> = named
        .iter()
        .enumerate()
        .filter(|(_, (known, _))| *known == id)
        .map(|(index, &(_, language))| (index, language))
        .collect();
    let languages = || -> Vec<String> {
        entries
            .iter()
            .map(|(_, language)| language.to_string())
            .collect()
    };
    let found = match language {
        // BCP 47: es-ES or es-419 is read as es when there is no file
        // for the region.
        Some(language) => entries
            .iter()
            .find(|(_, known)| known.eq_ignore_ascii_case(language))
            .or_else(|| {
                let main = language.split(['-', '_']).next().unwrap_or(language);
                entries
                    .iter()
                    .find(|(_, known)| known.eq_ignore_ascii_case(main))
            })
            .ok_or_else(|| LookupError::NoLanguage {
                id: id.to_string(),
                language: excerpt(language),
                known: languages(),
            })?,
        None if entries.len() == 1 => &entries[0],
        None => entries
            .iter()
            .find(|(_, known)| *known == "en")
            .ok_or_else(|| LookupError::WhichLanguage {
                id: id.to_string(),
                known: languages(),
            })?,
    };
    Ok(found.0)
}

/// A built-in topic, read from its file `name` and `text`.
fn builtin_entry((name, text): (&str, &str)) -> Entry {
    let topic = Topic::parse(name, text).unwrap_or_else(|error| panic!("built-in topic: {error}"));
    Entry {
        id: topic.id.clone(),
        language: topic.language.clone(),
        origin: Origin::Builtin,
        // Its SHA-256 is of the text as built in, as a file's is of its
        // bytes: the topic's own, reckoned as it was checked.
        sha256: topic.sha256.clone(),
        topic: Ok(topic),
        errors: Vec::new(),
    }
}

/// The id and language a built-in topic's file name gives:
/// `leg-cramps.en.toml`.
fn builtin_name(name: &str) -> (&str, &str) {
    name.strip_suffix(".toml")
        .and_then(|stem| stem.rsplit_once('.'))
        .expect("a built-in topic is named TOPIC.LANGUAGE.toml")
}

/// Refuses a file whose name disagrees with its id or language, at the
/// line that disagrees.
fn agree(
    origin: &str,
    text: &str,
    topic: &Topic,
    id: &str,
    language: &str,
) -> Result<(), ContentError> {
    let key = if topic.id != id {
        "id"
    } else if !topic.language.eq_ignore_ascii_case(language) {
        "language"
    } else {
        return Ok(());
    };
    Err(ContentError::BadValue {
        at: Location::of_offset(origin, text, top_level_key(text, key)),
        message: format!(
            "the file is named for topic '{id}' in '{language}', but it says id = \"{}\" and \
             language = \"{}\"; rename the file {}.{}.toml or change the id or language",
            topic.id, topic.language, topic.id, topic.language
        ),
    })
}

/// Where the top-level `key = ...` line of a TOML text starts (the start
/// of the text if there is none): before the first table header.
fn top_level_key(text: &str, key: &str) -> usize {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            break;
        }
        if let Some(rest) = trimmed.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            return offset + (line.len() - trimmed.len());
        }
        offset += line.len();
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    const BACK_CARE: &str = r#"
id = "back-care"
language = "en"
version = 1
status = "draft"
title = "Back care in pregnancy"
intro = "Looking after your back."

[sources]
nhs-back = { title = "Back pain in pregnancy", publisher = "NHS" }

[[section]]
key = "at-home"
role = "choose"
heading = "At home"

[[section.item]]
id = "posture"
lead = "Stand tall."
text = "Keep your back straight."
sources = ["nhs-back"]

[[section]]
key = "when-to-call"
role = "urgent"
heading = "When to call"

[[section.item]]
id = "severe"
lead = "Severe pain:"
text = "call your midwife."
sources = ["nhs-back"]
"#;

    #[test]
    fn a_practice_file_adds_a_topic_and_can_replace_a_builtin() {
        let mut library = Library::builtin();
        library.add_file(
            "dir/back-care.en.toml",
            "back-care.en.toml",
            BACK_CARE.as_bytes(),
        );
        assert_eq!(
            library.topic(Some("back-care"), None).unwrap().title,
            "Back care in pregnancy"
        );
        assert_eq!(
            library.choose_keys(),
            ["prevention", "treatment", "at-home"]
        );
        assert!(matches!(
            library.topic(None, None),
            Err(LookupError::WhichTopic { .. })
        ));
        let replaced = BACK_CARE
            .replace("back-care", "leg-cramps")
            .replace("Back care in pregnancy", "Our leg cramps leaflet");
        library.add_file(
            "dir/leg-cramps.en.toml",
            "leg-cramps.en.toml",
            replaced.as_bytes(),
        );
        let topic = library.topic(Some("leg-cramps"), Some("en")).unwrap();
        assert_eq!(topic.title, "Our leg cramps leaflet");
        assert_eq!(library.entries().len(), 3);
        // The Spanish translation no longer matches the English it
        // translates, as the practice now has it.
        library.check_translations();
        let error = library
            .topic(Some("leg-cramps"), Some("es"))
            .unwrap_err()
            .to_string();
        // Located at the file's `translated-from` line.
        let line = 1 + crate::topic::LEG_CRAMPS_ES
            .lines()
            .position(|line| line.starts_with("translated-from"))
            .unwrap();
        assert!(
            error.starts_with(&format!(
                "leg-cramps.es.toml:{line}:1: it lacks the section 'at-home'"
            )),
            "{error}"
        );
    }

    #[test]
    fn a_regional_language_tag_finds_its_language() {
        let library = Library::builtin();
        for tag in ["es", "ES", "es-ES", "es-419", "es_MX"] {
            assert_eq!(
                library.topic(None, Some(tag)).unwrap().language,
                "es",
                "{tag}"
            );
        }
        assert_eq!(library.topic(None, Some("en-GB")).unwrap().language, "en");
        assert!(library.topic(None, Some("fr-FR")).is_err());
    }

    #[test]
    fn a_broken_file_fails_only_when_used() {
        let mut library = Library::builtin();
        library.add_file("d/bad.en.toml", "bad.en.toml", b"id = ");
        library.add_file(
            "d/misnamed.en.toml",
            "misnamed.en.toml",
            BACK_CARE.as_bytes(),
        );
        library.add_file("d/latin1.en.toml", "latin1.en.toml", b"id = \"\xe9\"");
        assert!(library.topic(Some("leg-cramps"), None).is_ok());
        let error = library.topic(Some("bad"), None).unwrap_err().to_string();
        assert!(error.starts_with("d/bad.en.toml:1:"), "{error}");
        let error = library
            .topic(Some("misnamed"), None)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("rename the file back-care.en.toml"),
            "{error}"
        );
        let error = library.topic(Some("latin1"), None).unwrap_err().to_string();
        assert!(error.contains("not UTF-8"), "{error}");
    }

    #[test]
    fn one_handouts_library_finds_what_the_whole_one_finds() {
        let whole = Library::builtin();
        let asks = [
            (None, None),
            (Some("leg-cramps"), None),
            (Some("LEG-CRAMPS"), Some("en")),
            (None, Some("es")),
            (None, Some("es-MX")),
            (Some("leg-cramps"), Some("fr")),
            (Some("leg-cramp"), None),
        ];
        for (id, language) in asks {
            let one = Library::builtin_for(id, language);
            let found = |library: &Library| {
                library.topic(id, language).map(|topic| {
                    (
                        topic.id.clone(),
                        topic.language.clone(),
                        topic.review.version,
                    )
                })
            };
            assert_eq!(found(&one), found(&whole), "{id:?} {language:?}");
            if let Ok(topic) = whole.topic(id, language) {
                let sha = |library: &Library| {
                    library
                        .sha256_of(&topic.id, &topic.language)
                        .map(str::to_string)
                };
                assert_eq!(sha(&one), sha(&whole));
            }
        }
        // English alone is read for an English handout; a translation
        // brings the file it translates, to be checked against it.
        assert_eq!(Library::builtin_for(None, None).entries().len(), 1);
        let spanish = Library::builtin_for(None, Some("es"));
        let languages: Vec<&str> = spanish
            .entries()
            .iter()
            .map(|entry| entry.language.as_str())
            .collect();
        assert_eq!(languages, ["en", "es"]);
        assert!(
            spanish
                .entries()
                .iter()
                .all(|entry| entry.errors.is_empty())
        );
    }

    #[test]
    fn lookups_say_what_there_is() {
        let library = Library::builtin();
        let error = library
            .topic(Some("leg-cramp"), None)
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            "there is no topic 'leg-cramp'; did you mean 'leg-cramps'? (topics: leg-cramps)"
        );
        let error = library.topic(None, Some("fr")).unwrap_err().to_string();
        assert_eq!(
            error,
            "topic 'leg-cramps' is not in language 'fr' (it is in: en, es)"
        );
    }
}

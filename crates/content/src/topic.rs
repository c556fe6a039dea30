//! A topic: the fixed text of one leaflet in one language, read from TOML.
//!
//! A topic lists its sections in print order. Each has a key, a heading and
//! a [`Role`]; the code knows roles, never a topic's section names. The file
//! format is a public interface: practices write it by hand.
//!
//! ```toml
//! id = "heartburn"
//! language = "en"
//! title = "Heartburn in pregnancy"
//! intro = "One or two plain sentences."
//!
//! [sources]
//! nhs-heartburn = { title = "Heartburn and indigestion in pregnancy", publisher = "NHS", year = 2024 }
//!
//! [[section]]
//! key = "why"
//! role = "info"
//! heading = "Why it happens"
//!
//! [[section.item]]
//! id = "hormones"
//! lead = "Hormones."
//! text = "Pregnancy hormones relax the valve at the top of your stomach."
//! sources = ["nhs-heartburn"]
//! ```

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use toml::Spanned;

use toml::value::Datetime;

use crate::error::{ContentError, Location};
use crate::labels::{Labels, RawLabels};
use crate::review::{RawReview, Review, Status};

/// What a section is for, which decides how it prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Explanation: every item marked default prints.
    Info,
    /// The midwife picks the items; the defaults print when she picks none.
    Choose,
    /// The warning signs: always printed whole, in the warning box.
    Urgent,
}

impl Role {
    /// The role's name in a topic file.
    pub fn key(self) -> &'static str {
        match self {
            Role::Info => "info",
            Role::Choose => "choose",
            Role::Urgent => "urgent",
        }
    }
}

/// A work an item's text rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The key items name it by.
    pub key: String,
    /// Its title.
    pub title: String,
    /// Who published it.
    pub publisher: Option<String>,
    /// The year it was published.
    pub year: Option<u16>,
    /// Where to read it.
    pub url: Option<String>,
}

/// One piece of advice or explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Stable kebab-case id, used on the command line and in rosters.
    pub id: String,
    /// Ids this item had before items were merged into it.
    pub aliases: Vec<String>,
    /// Short lead in plain words, printed bold.
    pub lead: String,
    /// The sentence or two after the lead.
    pub text: String,
    /// Whether the item prints when the midwife picks nothing.
    pub default: bool,
    /// The keys of the sources it rests on; never empty.
    pub sources: Vec<String>,
    /// Shown to the midwife, never printed: why it is off by default, when
    /// to pick it.
    pub midwife_hint: Option<String>,
    /// For a caution: the items it is printed with, once, after the first
    /// of them that prints. A caution is never picked itself.
    pub shown_with: Vec<String>,
}

impl Item {
    /// Whether this item is a caution printed with others.
    pub fn is_caution(&self) -> bool {
        !self.shown_with.is_empty()
    }
}

/// A heading and its items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The section's key: kebab-case, unique in the topic; rosters name
    /// their columns after the keys of `choose` sections.
    pub key: String,
    /// What the section is for.
    pub role: Role,
    /// The printed heading.
    pub heading: String,
    /// The items, in print order.
    pub items: Vec<Item>,
}

impl Section {
    /// The item with this id or alias, if any.
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items
            .iter()
            .find(|item| item.id == id || item.aliases.iter().any(|alias| alias == id))
    }

    /// The items that print when nothing is picked (cautions aside).
    pub fn defaults(&self) -> impl Iterator<Item = &Item> {
        self.items
            .iter()
            .filter(|item| item.default && !item.is_caution())
    }

    /// The items a midwife can pick: all but the cautions.
    pub fn pickable(&self) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(|item| !item.is_caution())
    }
}

/// The whole text of one leaflet in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    /// Topic id, e.g. "leg-cramps".
    pub id: String,
    /// Language tag, e.g. "en"; becomes the PDF's `/Lang`.
    pub language: String,
    /// The handout's title.
    pub title: String,
    /// The paragraph under the title.
    pub intro: String,
    /// Where the text comes from, by key; never printed.
    pub sources: Vec<Source>,
    /// Words for the page's fixed parts: the language's, with the topic's
    /// own overrides.
    pub labels: Labels,
    /// The sections, in print order; exactly one is `urgent`.
    pub sections: Vec<Section>,
    /// Its version and clinical review.
    pub review: Review,
    /// The language this file translates, if it is a translation: it has the
    /// same section keys and item ids as the topic in that language.
    pub translated_from: Option<String>,
    /// The lines of its section keys, item ids and `translated-from`, for
    /// messages about the file as a whole.
    pub(crate) lines: Lines,
}

/// Where things are in a topic's file, by line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Lines {
    /// Section keys.
    pub sections: HashMap<String, usize>,
    /// Item ids and aliases.
    pub items: HashMap<String, usize>,
    /// The `translated-from` line, or 1.
    pub translated_from: usize,
}

/// The built-in leg-cramps topic in English, compiled into the binary.
pub const LEG_CRAMPS_EN: &str = include_str!("../../../content/leg-cramps.en.toml");

/// The built-in Spanish translation: a draft until a clinician who reads
/// Spanish has reviewed it.
pub const LEG_CRAMPS_ES: &str = include_str!("../../../content/leg-cramps.es.toml");

/// The built-in topics: where they come from, and their text.
pub const BUILTIN_TOPICS: [(&str, &str); 2] = [
    ("leg-cramps.en.toml", LEG_CRAMPS_EN),
    ("leg-cramps.es.toml", LEG_CRAMPS_ES),
];

/// Names a roster column may not be given by a section key, because the
/// roster reader takes them for a patient's details.
pub fn is_reserved_key(key: &str) -> bool {
    crate::columns::is_reserved(key)
}

impl Topic {
    /// Every built-in topic, parsed. They are checked by the tests, so this
    /// cannot fail in a released binary.
    pub fn builtin() -> Vec<Topic> {
        BUILTIN_TOPICS
            .into_iter()
            .map(|(origin, text)| {
                Topic::parse(origin, text).unwrap_or_else(|error| panic!("built-in topic: {error}"))
            })
            .collect()
    }

    /// Parses and validates a topic file. `origin` names the file in errors.
    pub fn parse(origin: &str, text: &str) -> Result<Topic, ContentError> {
        let raw: RawTopic =
            toml::from_str(text).map_err(|error| ContentError::from_toml(origin, text, &error))?;
        let check = Checker { origin, text };

        check.non_empty(&raw.title, "`title`")?;
        check.non_empty(&raw.intro, "`intro`")?;
        check.kebab(&raw.id, "topic id")?;
        check.non_empty(&raw.language, "`language`")?;
        let language = raw.language.get_ref().trim().to_string();
        let review = RawReview {
            version: raw.version.clone(),
            status: raw.status.clone(),
            reviewed_by: raw.reviewed_by.clone(),
            reviewed_on: raw.reviewed_on.clone(),
            review_due: raw.review_due.clone(),
        }
        .check()
        .map_err(|(offset, message)| ContentError::BadValue {
            at: check.at(offset.unwrap_or(0)),
            message,
        })?;
        let translated_from = match &raw.translated_from {
            Some(from) => {
                check.non_empty(from, "`translated-from`")?;
                let from_language = from.get_ref().trim();
                if from_language.eq_ignore_ascii_case(&language) {
                    return Err(ContentError::BadValue {
                        at: check.at(from.span().start),
                        message: format!(
                            "a file cannot translate its own language ('{language}'); give the \
                             language of the file it translates, such as translated-from = \"en\""
                        ),
                    });
                }
                Some(from_language.to_string())
            }
            None => None,
        };
        let labels = match &raw.labels {
            Some(labels) => {
                Labels::with_overrides(&language, labels.get_ref()).map_err(|message| {
                    ContentError::BadValue {
                        at: check.at(labels.span().start),
                        message,
                    }
                })?
            }
            None => Labels::builtin(&language).ok_or_else(|| ContentError::BadValue {
                at: check.at(raw.language.span().start),
                message: format!(
                    "there are no built-in labels for language '{}'; give them all in a [labels] \
                     table (built in: {})",
                    crate::text::excerpt(&language),
                    Labels::languages().join(", ")
                ),
            })?,
        };

        let mut sources = Vec::with_capacity(raw.sources.len());
        for (key, source) in &raw.sources {
            check.kebab(key, "source key")?;
            check.non_empty(
                &source.get_ref().title,
                &format!("`title` of source '{}'", key.get_ref()),
            )?;
            let source = source.get_ref();
            sources.push(Source {
                key: key.get_ref().clone(),
                title: source.title.get_ref().trim().to_string(),
                publisher: source.publisher.clone(),
                year: source.year,
                url: source.url.clone(),
            });
        }

        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut keys: HashMap<String, usize> = HashMap::new();
        let mut sections = Vec::with_capacity(raw.section.len());
        let mut urgent: Option<usize> = None;
        for raw_section in &raw.section {
            let section = check.section(raw_section, &mut seen, &mut keys, &raw.sources)?;
            if section.role == Role::Urgent {
                let at = check.at(raw_section.get_ref().role.span().start);
                if let Some(first_line) = urgent {
                    return Err(ContentError::BadValue {
                        at,
                        message: format!(
                            "a second `urgent` section (the first is on line {first_line}); a \
                             topic has exactly one, printed whole in the warning box"
                        ),
                    });
                }
                urgent = Some(at.line);
            }
            sections.push(section);
        }
        if urgent.is_none() {
            return Err(ContentError::BadValue {
                at: check.at(0),
                message: "the topic has no `urgent` section; every leaflet needs one for the \
                          warning signs, with role = \"urgent\""
                    .to_string(),
            });
        }
        check.cautions(&raw.section, &sections)?;

        Ok(Topic {
            id: raw.id.into_inner(),
            language,
            title: raw.title.into_inner().trim().to_string(),
            intro: raw.intro.into_inner().trim().to_string(),
            sources,
            labels,
            sections,
            review,
            translated_from,
            lines: Lines {
                sections: keys,
                items: seen,
                translated_from: raw
                    .translated_from
                    .as_ref()
                    .map_or(1, |from| check.at(from.span().start).line),
            },
        })
    }

    /// The section with this key, if any.
    pub fn section(&self, key: &str) -> Option<&Section> {
        self.sections.iter().find(|section| section.key == key)
    }

    /// The `choose` sections, in print order.
    pub fn choose_sections(&self) -> impl Iterator<Item = &Section> {
        self.sections
            .iter()
            .filter(|section| section.role == Role::Choose)
    }

    /// The item with this id or alias anywhere in the topic.
    pub fn item(&self, id: &str) -> Option<(&Section, &Item)> {
        self.sections
            .iter()
            .find_map(|section| section.item(id).map(|item| (section, item)))
    }
}

struct Checker<'a> {
    origin: &'a str,
    text: &'a str,
}

impl Checker<'_> {
    fn at(&self, offset: usize) -> Location {
        Location::of_offset(self.origin, self.text, offset)
    }

    fn non_empty(&self, value: &Spanned<String>, what: &str) -> Result<(), ContentError> {
        if value.get_ref().trim().is_empty() {
            return Err(ContentError::EmptyText {
                at: self.at(value.span().start),
                what: what.to_string(),
            });
        }
        Ok(())
    }

    fn kebab(&self, value: &Spanned<String>, what: &str) -> Result<(), ContentError> {
        if !is_kebab_case(value.get_ref()) {
            return Err(ContentError::BadId {
                at: self.at(value.span().start),
                what: what.to_string(),
                id: crate::text::excerpt(value.get_ref()),
            });
        }
        Ok(())
    }

    fn section(
        &self,
        raw: &Spanned<RawSection>,
        seen: &mut HashMap<String, usize>,
        keys: &mut HashMap<String, usize>,
        sources: &BTreeMap<Spanned<String>, Spanned<RawSource>>,
    ) -> Result<Section, ContentError> {
        let span = raw.span();
        let raw = raw.get_ref();
        self.kebab(&raw.key, "section key")?;
        let key = raw.key.get_ref();
        let key_at = self.at(raw.key.span().start);
        if let Some(&first_line) = keys.get(key) {
            return Err(ContentError::BadValue {
                at: key_at,
                message: format!(
                    "a second section with key '{key}' (the first is on line {first_line}); give \
                     each section its own key"
                ),
            });
        }
        if is_reserved_key(key) {
            return Err(ContentError::BadValue {
                at: key_at,
                message: format!(
                    "section key '{key}' is a roster column for a patient's details; choose \
                     another, such as '{key}-advice'"
                ),
            });
        }
        keys.insert(key.clone(), key_at.line);
        self.non_empty(&raw.heading, &format!("`heading` of section '{key}'"))?;
        let role = *raw.role.get_ref();
        if raw.item.is_empty() {
            return Err(ContentError::EmptySection {
                at: self.at(span.start),
                section: key.clone(),
            });
        }
        let mut items = Vec::with_capacity(raw.item.len());
        for item in &raw.item {
            for id in std::iter::once(&item.id).chain(&item.aliases) {
                self.kebab(id, "item id")?;
                let at = self.at(id.span().start);
                if let Some(&first_line) = seen.get(id.get_ref()) {
                    return Err(ContentError::DuplicateId {
                        at,
                        id: id.get_ref().clone(),
                        first_line,
                    });
                }
                seen.insert(id.get_ref().clone(), at.line);
            }
            let id = item.id.get_ref();
            self.non_empty(&item.lead, &format!("`lead` of item '{id}'"))?;
            self.non_empty(&item.text, &format!("`text` of item '{id}'"))?;
            if item.sources.is_empty() {
                return Err(ContentError::BadValue {
                    at: self.at(item.id.span().start),
                    message: format!(
                        "item '{id}' names no sources; list the keys of the [sources] its text \
                         rests on, as sources = [\"...\"]"
                    ),
                });
            }
            for source in &item.sources {
                if !sources.keys().any(|key| key.get_ref() == source.get_ref()) {
                    let known: Vec<&str> =
                        sources.keys().map(|key| key.get_ref().as_str()).collect();
                    return Err(ContentError::BadValue {
                        at: self.at(source.span().start),
                        message: format!(
                            "item '{id}' names source '{}', which [sources] does not have{}",
                            crate::text::excerpt(source.get_ref()),
                            suggest(source.get_ref(), &known)
                        ),
                    });
                }
            }
            items.push(Item {
                id: id.clone(),
                aliases: item
                    .aliases
                    .iter()
                    .map(|alias| alias.get_ref().clone())
                    .collect(),
                lead: item.lead.get_ref().trim().to_string(),
                text: item.text.get_ref().trim().to_string(),
                default: item.default.unwrap_or(true),
                sources: item
                    .sources
                    .iter()
                    .map(|source| source.get_ref().clone())
                    .collect(),
                midwife_hint: item
                    .midwife_hint
                    .as_ref()
                    .map(|hint| hint.trim().to_string())
                    .filter(|hint| !hint.is_empty()),
                shown_with: item
                    .shown_with
                    .iter()
                    .map(|id| id.get_ref().clone())
                    .collect(),
            });
        }
        if role == Role::Choose && !items.iter().any(|item| !item.is_caution()) {
            return Err(ContentError::EmptySection {
                at: self.at(span.start),
                section: key.clone(),
            });
        }
        Ok(Section {
            key: key.clone(),
            role,
            heading: raw.heading.get_ref().trim().to_string(),
            items,
        })
    }

    /// Checks that every `shown-with` names an item that is not a caution.
    fn cautions(
        &self,
        raw: &[Spanned<RawSection>],
        sections: &[Section],
    ) -> Result<(), ContentError> {
        let all: Vec<&Item> = sections.iter().flat_map(|section| &section.items).collect();
        for item in raw.iter().flat_map(|section| &section.get_ref().item) {
            for named in &item.shown_with {
                let found = all.iter().find(|other| {
                    other.id == *named.get_ref() || other.aliases.contains(named.get_ref())
                });
                let problem = match found {
                    None => Some(format!(
                        "`shown-with` of item '{}' names item '{}', which the topic does not have{}",
                        item.id.get_ref(),
                        crate::text::excerpt(named.get_ref()),
                        suggest(
                            named.get_ref(),
                            &all.iter().map(|item| item.id.as_str()).collect::<Vec<_>>()
                        )
                    )),
                    Some(other) if other.is_caution() => Some(format!(
                        "`shown-with` of item '{}' names '{}', itself a caution; name the items \
                         it goes with",
                        item.id.get_ref(),
                        named.get_ref()
                    )),
                    Some(_) => None,
                };
                if let Some(message) = problem {
                    return Err(ContentError::BadValue {
                        at: self.at(named.span().start),
                        message,
                    });
                }
            }
        }
        Ok(())
    }
}

/// "; did you mean 'x'?" for the nearest of `known`, if one is near.
pub(crate) fn suggest(given: &str, known: &[&str]) -> String {
    known
        .iter()
        .map(|candidate| (strsim::jaro_winkler(given, candidate), candidate))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| format!("; did you mean '{candidate}'?"))
        .unwrap_or_default()
}

/// Whether `id` is lower-case ASCII words joined by single hyphens.
pub(crate) fn is_kebab_case(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawTopic {
    id: Spanned<String>,
    language: Spanned<String>,
    translated_from: Option<Spanned<String>>,
    version: Option<Spanned<i64>>,
    status: Option<Spanned<Status>>,
    reviewed_by: Option<Spanned<String>>,
    reviewed_on: Option<Spanned<Datetime>>,
    review_due: Option<Spanned<Datetime>>,
    title: Spanned<String>,
    intro: Spanned<String>,
    #[serde(default)]
    sources: BTreeMap<Spanned<String>, Spanned<RawSource>>,
    labels: Option<Spanned<RawLabels>>,
    #[serde(default)]
    section: Vec<Spanned<RawSection>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawSource {
    title: Spanned<String>,
    publisher: Option<String>,
    year: Option<u16>,
    url: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawSection {
    key: Spanned<String>,
    role: Spanned<Role>,
    heading: Spanned<String>,
    #[serde(default)]
    item: Vec<RawItem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawItem {
    id: Spanned<String>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    lead: Spanned<String>,
    text: Spanned<String>,
    default: Option<bool>,
    #[serde(default)]
    sources: Vec<Spanned<String>>,
    midwife_hint: Option<String>,
    #[serde(default)]
    shown_with: Vec<Spanned<String>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin() -> Topic {
        Topic::parse("leg-cramps.en.toml", LEG_CRAMPS_EN).unwrap()
    }

    /// The built-in text with `from` replaced by `to`, parsed.
    fn parse_edited(from: &str, to: &str) -> Result<Topic, ContentError> {
        assert!(
            LEG_CRAMPS_EN.contains(from),
            "fixture text not found: {from}"
        );
        Topic::parse("t.toml", &LEG_CRAMPS_EN.replacen(from, to, 1))
    }

    /// The line of the first occurrence of `text` in the built-in file.
    fn line_of(text: &str) -> usize {
        LEG_CRAMPS_EN
            .lines()
            .position(|line| line.contains(text))
            .unwrap()
            + 1
    }

    fn ids<'t>(topic: &'t Topic, key: &str) -> Vec<&'t str> {
        topic
            .section(key)
            .unwrap()
            .items
            .iter()
            .map(|item| item.id.as_str())
            .collect()
    }

    #[test]
    fn builtin_topic_keeps_its_sections_and_public_ids() {
        let topic = builtin();
        let sections: Vec<(&str, Role)> = topic
            .sections
            .iter()
            .map(|section| (section.key.as_str(), section.role))
            .collect();
        assert_eq!(
            sections,
            [
                ("causes", Role::Info),
                ("prevention", Role::Choose),
                ("treatment", Role::Choose),
                ("when-to-call", Role::Urgent)
            ]
        );
        assert_eq!(
            ids(&topic, "causes"),
            [
                "circulation",
                "minerals",
                "nerves",
                "swelling",
                "blood-clot",
                "sciatic-nerve"
            ]
        );
        assert_eq!(
            ids(&topic, "prevention"),
            [
                "walking",
                "calcium-magnesium",
                "support-hose",
                "exercise",
                "calf-stretches",
                "ankle-rotation",
                "side-sleeping",
                "fluids",
                "support-belt",
                "massage",
                "relief-techniques",
                "rest",
                "movement-breaks"
            ]
        );
        assert_eq!(
            ids(&topic, "treatment"),
            [
                "moist-heat",
                "warm-bath",
                "pain-relief",
                "therapist",
                "partner-massage",
                "herbal",
                "massage-caution"
            ]
        );
        // The belt item that was merged keeps its id as an alias.
        let (section, item) = topic.item("support-device").unwrap();
        assert_eq!(
            (section.key.as_str(), item.id.as_str()),
            ("prevention", "support-belt")
        );
    }

    #[test]
    fn builtin_defaults_follow_the_clinical_notes() {
        let topic = builtin();
        let off: Vec<&str> = topic
            .sections
            .iter()
            .flat_map(|section| &section.items)
            .filter(|item| !item.default)
            .map(|item| item.id.as_str())
            .collect();
        assert_eq!(
            off,
            [
                "support-belt",
                "relief-techniques",
                "therapist",
                "partner-massage",
                "herbal"
            ]
        );
        // Every default-off item tells the midwife why.
        for id in off {
            assert!(topic.item(id).unwrap().1.midwife_hint.is_some(), "{id}");
        }
    }

    #[test]
    fn builtin_text_carries_the_qualifiers_and_every_item_its_sources() {
        let topic = builtin();
        let all: String = topic
            .sections
            .iter()
            .flat_map(|section| &section.items)
            .map(|item| format!("{} {}\n", item.lead, item.text))
            .collect();
        let lower = all.to_lowercase();
        assert!(lower.contains("warm, not hot"));
        assert!(lower.contains("before you take any supplement"));
        assert!(lower.contains("before you take any medicine"));
        assert!(lower.contains("left or right"));
        assert!(!lower.contains("let pain"));
        assert!(!lower.contains("quinine"));
        assert!(!lower.contains("book"));
        // The massage warning is written once, shown with each massage item.
        assert_eq!(lower.matches("swollen, red, warm or sore").count(), 1);
        let (_, caution) = topic.item("massage-caution").unwrap();
        assert_eq!(
            caution.shown_with,
            ["massage", "therapist", "partner-massage"]
        );
        for item in topic.sections.iter().flat_map(|section| &section.items) {
            assert!(!item.sources.is_empty(), "{} has no source", item.id);
        }
        let urgent = topic
            .sections
            .iter()
            .find(|s| s.role == Role::Urgent)
            .unwrap();
        assert!(urgent.items.iter().any(|i| i.lead.contains("{emergency}")));
    }

    #[test]
    fn unknown_key_is_located() {
        let error =
            parse_edited("lead = \"Walk every day.\"", "laed = \"Walk every day.\"").unwrap_err();
        let message = error.to_string();
        assert!(
            message.starts_with(&format!(
                "t.toml:{}:1: unknown field `laed`",
                line_of("Walk every day.")
            )),
            "{message}"
        );
    }

    #[test]
    fn duplicate_id_names_both_lines() {
        let error = parse_edited("id = \"fluids\"", "id = \"walking\"").unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "t.toml:{}:6: duplicate item id 'walking' (first used on line {}); give each item \
                 its own id",
                line_of("id = \"fluids\""),
                line_of("id = \"walking\"")
            )
        );
    }

    #[test]
    fn every_bad_shape_is_located() {
        let cases = [
            (
                "role = \"info\"",
                "role = \"aside\"",
                "unknown variant `aside`",
            ),
            (
                "role = \"choose\"",
                "role = \"urgent\"",
                "a second `urgent` section",
            ),
            (
                "role = \"urgent\"",
                "role = \"info\"",
                "has no `urgent` section",
            ),
            (
                "id = \"nerves\"",
                "id = \"Nerves\"",
                "must be lower-case words joined by '-'",
            ),
            (
                "sources = [\"article\", \"hull-swelling\"]",
                "sources = [\"article\", \"hull-swell\"]",
                "names source 'hull-swell', which [sources] does not have; did you mean 'hull-swelling'?",
            ),
            (
                "shown-with = [\"massage\",",
                "shown-with = [\"masage\",",
                "names item 'masage', which the topic does not have; did you mean 'massage'?",
            ),
            (
                "key = \"treatment\"",
                "key = \"note\"",
                "section key 'note' is a roster column",
            ),
            (
                "key = \"treatment\"",
                "key = \"prevention\"",
                "a second section with key 'prevention'",
            ),
            ("sources = [\"nhs-pe\"]", "sources = []", "names no sources"),
        ];
        for (from, to, message) in cases {
            let error = parse_edited(from, to).unwrap_err().to_string();
            assert!(error.starts_with("t.toml:"), "{error}");
            assert!(error.contains(message), "{from} -> {to}: {error}");
        }
    }

    #[test]
    fn a_choose_section_needs_items() {
        let text = LEG_CRAMPS_EN.replace(
            "[[section.item]]\nid = \"moist-heat\"",
            "[[other]]\nid = \"moist-heat\"",
        );
        assert!(Topic::parse("t.toml", &text).is_err());
    }
}

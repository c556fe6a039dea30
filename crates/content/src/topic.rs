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

use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

use toml::value::Datetime;

use crate::error::{ContentError, Location};
use crate::labels::{Labels, RawLabels};
use crate::review::{RawReview, Review, Status};

/// What a section is for, which decides how it prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, JsonSchema)]
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

    /// Parses and validates a topic file. `origin` names the file in errors;
    /// the error is the first problem in the file.
    pub fn parse(origin: &str, text: &str) -> Result<Topic, ContentError> {
        Topic::check(origin, text).map_err(|mut errors| errors.swap_remove(0))
    }

    /// Parses and validates a topic file, finding every problem there is
    /// rather than stopping at the first, for `handout check`: the errors
    /// are in the order of the file, and never none. A file that is not
    /// TOML, or does not have the shape of a topic, has one error: where
    /// the parser stopped.
    pub fn check(origin: &str, text: &str) -> Result<Topic, Vec<ContentError>> {
        let raw: RawTopic = toml::from_str(text)
            .map_err(|error| vec![ContentError::from_toml(origin, text, &error)])?;
        let mut check = Checker {
            origin,
            text,
            errors: Vec::new(),
        };
        let topic = check.topic(raw);
        let mut errors = check.errors;
        match topic {
            Some(topic) if errors.is_empty() => Ok(topic),
            _ => {
                errors.sort_by_key(|error| {
                    let at = error.location();
                    (at.line, at.column)
                });
                Err(errors)
            }
        }
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

    /// The line of the file where an item (or an alias of it) is named.
    pub fn item_line(&self, id: &str) -> Option<usize> {
        self.lines.items.get(id).copied()
    }

    /// The item with this id or alias anywhere in the topic.
    pub fn item(&self, id: &str) -> Option<(&Section, &Item)> {
        self.sections
            .iter()
            .find_map(|section| section.item(id).map(|item| (section, item)))
    }
}

/// Checks a parsed file, keeping every problem it finds.
struct Checker<'a> {
    origin: &'a str,
    text: &'a str,
    errors: Vec<ContentError>,
}

impl Checker<'_> {
    fn at(&self, offset: usize) -> Location {
        Location::of_offset(self.origin, self.text, offset)
    }

    /// Keeps a problem; `None`, so that a check can give up on what it was
    /// building and go on to the next part of the file.
    fn fail<T>(&mut self, error: ContentError) -> Option<T> {
        self.errors.push(error);
        None
    }

    fn bad_value(&mut self, offset: usize, message: String) {
        let at = self.at(offset);
        self.errors.push(ContentError::BadValue { at, message });
    }

    fn non_empty(&mut self, value: &Spanned<String>, what: &str) -> bool {
        if value.get_ref().trim().is_empty() {
            let at = self.at(value.span().start);
            self.errors.push(ContentError::EmptyText {
                at,
                what: what.to_string(),
            });
            return false;
        }
        true
    }

    fn kebab(&mut self, value: &Spanned<String>, what: &str) -> bool {
        if !is_kebab_case(value.get_ref()) {
            let at = self.at(value.span().start);
            self.errors.push(ContentError::BadId {
                at,
                what: what.to_string(),
                id: crate::text::excerpt(value.get_ref()),
            });
            return false;
        }
        true
    }

    /// The topic, when every part of it could be built; the problems are
    /// kept either way.
    fn topic(&mut self, raw: RawTopic) -> Option<Topic> {
        self.non_empty(&raw.title, "`title`");
        self.non_empty(&raw.intro, "`intro`");
        self.kebab(&raw.id, "topic id");
        self.non_empty(&raw.language, "`language`");
        let language = raw.language.get_ref().trim().to_string();
        let review = RawReview {
            version: raw.version.clone(),
            status: raw.status.clone(),
            reviewed_by: raw.reviewed_by.clone(),
            reviewed_on: raw.reviewed_on.clone(),
            review_due: raw.review_due.clone(),
        }
        .check();
        let review = match review {
            Ok(review) => Some(review),
            Err((offset, message)) => {
                self.bad_value(offset.unwrap_or(0), message);
                None
            }
        };
        let translated_from = self.translated_from(raw.translated_from.as_ref(), &language);
        let labels = self.labels(raw.labels.as_ref(), &raw.language, &language);
        let sources = self.sources(&raw.sources);

        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut keys: HashMap<String, usize> = HashMap::new();
        let mut sections = Vec::with_capacity(raw.section.len());
        let mut urgent: Option<usize> = None;
        for raw_section in &raw.section {
            if *raw_section.get_ref().role.get_ref() == Role::Urgent {
                let at = self.at(raw_section.get_ref().role.span().start);
                match urgent {
                    Some(first_line) => self.bad_value(
                        raw_section.get_ref().role.span().start,
                        format!(
                            "a second `urgent` section (the first is on line {first_line}); a \
                             topic has exactly one, printed whole in the warning box"
                        ),
                    ),
                    None => urgent = Some(at.line),
                }
            }
            if let Some(section) = self.section(raw_section, &mut seen, &mut keys, &raw.sources) {
                sections.push(section);
            }
        }
        if urgent.is_none() {
            self.bad_value(
                0,
                "the topic has no `urgent` section; every leaflet needs one for the warning \
                 signs, with role = \"urgent\""
                    .to_string(),
            );
        }
        self.cautions(&raw.section, &sections);
        let translated_from_line = raw
            .translated_from
            .as_ref()
            .map_or(1, |from| self.at(from.span().start).line);
        if !self.errors.is_empty() {
            return None;
        }
        Some(Topic {
            id: raw.id.into_inner(),
            language,
            title: raw.title.into_inner().trim().to_string(),
            intro: raw.intro.into_inner().trim().to_string(),
            sources,
            labels: labels?,
            sections,
            review: review?,
            translated_from: translated_from?,
            lines: Lines {
                sections: keys,
                items: seen,
                translated_from: translated_from_line,
            },
        })
    }

    /// The language a translation is from: `Some(None)` for a file that is
    /// not one, `None` when the value is wrong.
    fn translated_from(
        &mut self,
        from: Option<&Spanned<String>>,
        language: &str,
    ) -> Option<Option<String>> {
        let Some(from) = from else {
            return Some(None);
        };
        if !self.non_empty(from, "`translated-from`") {
            return None;
        }
        let from_language = from.get_ref().trim();
        if from_language.eq_ignore_ascii_case(language) {
            self.bad_value(
                from.span().start,
                format!(
                    "a file cannot translate its own language ('{language}'); give the language \
                     of the file it translates, such as translated-from = \"en\""
                ),
            );
            return None;
        }
        Some(Some(from_language.to_string()))
    }

    fn labels(
        &mut self,
        labels: Option<&Spanned<RawLabels>>,
        language_value: &Spanned<String>,
        language: &str,
    ) -> Option<Labels> {
        match labels {
            Some(labels) => match Labels::with_overrides(language, labels.get_ref()) {
                Ok(labels) => Some(labels),
                Err(message) => {
                    self.bad_value(labels.span().start, message);
                    None
                }
            },
            None => Labels::builtin(language).or_else(|| {
                self.bad_value(
                    language_value.span().start,
                    format!(
                        "there are no built-in labels for language '{}'; give them all in a \
                         [labels] table (built in: {})",
                        crate::text::excerpt(language),
                        Labels::languages().join(", ")
                    ),
                );
                None
            }),
        }
    }

    fn sources(&mut self, raw: &BTreeMap<Spanned<String>, Spanned<RawSource>>) -> Vec<Source> {
        let mut sources = Vec::with_capacity(raw.len());
        for (key, source) in raw {
            let named = self.kebab(key, "source key");
            let titled = self.non_empty(
                &source.get_ref().title,
                &format!("`title` of source '{}'", key.get_ref()),
            );
            if !(named && titled) {
                continue;
            }
            let source = source.get_ref();
            sources.push(Source {
                key: key.get_ref().clone(),
                title: source.title.get_ref().trim().to_string(),
                publisher: source.publisher.clone(),
                year: source.year,
                url: source.url.clone(),
            });
        }
        sources
    }

    fn section(
        &mut self,
        raw: &Spanned<RawSection>,
        seen: &mut HashMap<String, usize>,
        keys: &mut HashMap<String, usize>,
        sources: &BTreeMap<Spanned<String>, Spanned<RawSource>>,
    ) -> Option<Section> {
        let span = raw.span();
        let raw = raw.get_ref();
        let key = raw.key.get_ref();
        let key_at = self.at(raw.key.span().start);
        let mut ok = self.kebab(&raw.key, "section key");
        if let Some(&first_line) = keys.get(key) {
            ok = false;
            self.bad_value(
                raw.key.span().start,
                format!(
                    "a second section with key '{key}' (the first is on line {first_line}); give \
                     each section its own key"
                ),
            );
        } else {
            keys.insert(key.clone(), key_at.line);
        }
        if is_reserved_key(key) {
            ok = false;
            self.bad_value(
                raw.key.span().start,
                format!(
                    "section key '{key}' is a roster column for a patient's details; choose \
                     another, such as '{key}-advice'"
                ),
            );
        }
        ok &= self.non_empty(&raw.heading, &format!("`heading` of section '{key}'"));
        let role = *raw.role.get_ref();
        if raw.item.is_empty() {
            let at = self.at(span.start);
            return self.fail(ContentError::EmptySection {
                at,
                section: key.clone(),
            });
        }
        let mut items = Vec::with_capacity(raw.item.len());
        for item in &raw.item {
            if let Some(item) = self.item(item, seen, sources) {
                items.push(item);
            }
        }
        if role == Role::Choose
            && items.len() == raw.item.len()
            && !items.iter().any(|item| !item.is_caution())
        {
            let at = self.at(span.start);
            return self.fail(ContentError::EmptySection {
                at,
                section: key.clone(),
            });
        }
        ok.then(|| Section {
            key: key.clone(),
            role,
            heading: raw.heading.get_ref().trim().to_string(),
            items,
        })
    }

    fn item(
        &mut self,
        item: &RawItem,
        seen: &mut HashMap<String, usize>,
        sources: &BTreeMap<Spanned<String>, Spanned<RawSource>>,
    ) -> Option<Item> {
        let mut ok = true;
        for id in std::iter::once(&item.id).chain(&item.aliases) {
            if !self.kebab(id, "item id") {
                ok = false;
                continue;
            }
            let at = self.at(id.span().start);
            if let Some(&first_line) = seen.get(id.get_ref()) {
                ok = false;
                self.errors.push(ContentError::DuplicateId {
                    at,
                    id: id.get_ref().clone(),
                    first_line,
                });
            } else {
                seen.insert(id.get_ref().clone(), at.line);
            }
        }
        let id = item.id.get_ref();
        ok &= self.non_empty(&item.lead, &format!("`lead` of item '{id}'"));
        ok &= self.non_empty(&item.text, &format!("`text` of item '{id}'"));
        if item.sources.is_empty() {
            ok = false;
            self.bad_value(
                item.id.span().start,
                format!(
                    "item '{id}' names no sources; list the keys of the [sources] its text rests \
                     on, as sources = [\"...\"]"
                ),
            );
        }
        for source in &item.sources {
            if !sources.keys().any(|key| key.get_ref() == source.get_ref()) {
                ok = false;
                let known: Vec<&str> = sources.keys().map(|key| key.get_ref().as_str()).collect();
                self.bad_value(
                    source.span().start,
                    format!(
                        "item '{id}' names source '{}', which [sources] does not have{}",
                        crate::text::excerpt(source.get_ref()),
                        suggest(source.get_ref(), &known)
                    ),
                );
            }
        }
        ok.then(|| Item {
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
        })
    }

    /// Checks that every `shown-with` names an item that is not a caution.
    fn cautions(&mut self, raw: &[Spanned<RawSection>], sections: &[Section]) {
        let all: Vec<&Item> = sections.iter().flat_map(|section| &section.items).collect();
        let known: Vec<&str> = raw
            .iter()
            .flat_map(|section| &section.get_ref().item)
            .map(|item| item.id.get_ref().as_str())
            .collect();
        for item in raw.iter().flat_map(|section| &section.get_ref().item) {
            for named in &item.shown_with {
                let found = all.iter().find(|other| {
                    other.id == *named.get_ref() || other.aliases.contains(named.get_ref())
                });
                let problem = match found {
                    // An item with problems of its own is not built; it is
                    // not unknown.
                    None if known.contains(&named.get_ref().as_str()) => None,
                    None => Some(format!(
                        "`shown-with` of item '{}' names item '{}', which the topic does not have{}",
                        item.id.get_ref(),
                        crate::text::excerpt(named.get_ref()),
                        suggest(named.get_ref(), &known)
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
                    self.bad_value(named.span().start, message);
                }
            }
        }
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

/// The pattern of ids and keys: lower-case words joined by single hyphens.
const KEBAB_CASE: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";

/// One leaflet's text in one language: a file named TOPIC.LANGUAGE.toml.
/// `handout check` finds what this schema cannot say: ids used twice,
/// sources that are not listed, a translation that differs from its
/// original, the reading grade.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(title = "handout topic file")]
struct RawTopic {
    /// The topic's id, the TOPIC of the file's name: lower-case words joined
    /// by '-', such as "back-care".
    #[schemars(with = "String", regex(pattern = KEBAB_CASE))]
    id: Spanned<String>,
    /// The language of the text, the LANGUAGE of the file's name, such as
    /// "en" or "es".
    #[schemars(with = "String", length(min = 1))]
    language: Spanned<String>,
    /// For a translation: the language of the file it translates. It must
    /// have the same sections and items.
    #[schemars(with = "Option<String>")]
    translated_from: Option<Spanned<String>>,
    /// The text's version: count it up with every change to the words.
    #[schemars(with = "Option<u32>", range(min = 1))]
    version: Option<Spanned<i64>>,
    /// "draft" until a clinician who reads the language has reviewed the
    /// text, then "reviewed", with reviewed-by, reviewed-on and review-due.
    #[schemars(with = "Option<Status>")]
    status: Option<Spanned<Status>>,
    /// Who reviewed the text: a name, or a team's.
    #[schemars(with = "Option<String>")]
    reviewed_by: Option<Spanned<String>>,
    /// When it was reviewed: a TOML date, such as 2026-11-27 (no quotes).
    #[schemars(with = "Option<String>", extend("format" = "date"))]
    reviewed_on: Option<Spanned<Datetime>>,
    /// When it is next to be reviewed: a TOML date, such as 2028-11-27.
    #[schemars(with = "Option<String>", extend("format" = "date"))]
    review_due: Option<Spanned<Datetime>>,
    /// The leaflet's title, printed at the top.
    #[schemars(with = "String", length(min = 1))]
    title: Spanned<String>,
    /// One or two plain sentences printed under the title.
    #[schemars(with = "String", length(min = 1))]
    intro: Spanned<String>,
    /// The works the text rests on, by key; items name them in `sources`.
    /// Never printed.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RawSource>", extend("propertyNames" = { "pattern": KEBAB_CASE }))]
    sources: BTreeMap<Spanned<String>, Spanned<RawSource>>,
    /// Words for the page's fixed parts, where they should differ from the
    /// language's built-in ones.
    #[schemars(with = "Option<RawLabels>")]
    labels: Option<Spanned<RawLabels>>,
    /// The sections, in print order; exactly one has role "urgent".
    #[serde(default)]
    #[schemars(with = "Vec<RawSection>", length(min = 1))]
    section: Vec<Spanned<RawSection>>,
}

/// A work an item's text rests on.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Source")]
struct RawSource {
    /// Its title.
    #[schemars(with = "String", length(min = 1))]
    title: Spanned<String>,
    /// Who published it, such as "NHS".
    publisher: Option<String>,
    /// The year it was published.
    year: Option<u16>,
    /// Where to read it.
    url: Option<String>,
}

/// A heading and its items.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Section")]
struct RawSection {
    /// The section's key: lower-case words joined by '-'. A `choose`
    /// section's key is also the roster column that picks its items.
    #[schemars(with = "String", regex(pattern = KEBAB_CASE))]
    key: Spanned<String>,
    /// "info" explains (its items print unless `default = false`);
    /// "choose" is picked from by the midwife (its defaults print when she
    /// picks none); "urgent" holds the warning signs, printed whole in the
    /// warning box on every leaflet.
    #[schemars(with = "Role")]
    role: Spanned<Role>,
    /// The printed heading.
    #[schemars(with = "String", length(min = 1))]
    heading: Spanned<String>,
    /// The items, in print order.
    #[serde(default)]
    #[schemars(length(min = 1))]
    item: Vec<RawItem>,
}

/// One piece of advice or explanation.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Item")]
struct RawItem {
    /// The item's id, used on the command line and in rosters: lower-case
    /// words joined by '-'. Never rename one; keep an old id in `aliases`.
    #[schemars(with = "String", regex(pattern = KEBAB_CASE))]
    id: Spanned<String>,
    /// Ids the item had before, still accepted.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    aliases: Vec<Spanned<String>>,
    /// The short lead, printed bold, such as "Walk every day."
    #[schemars(with = "String", length(min = 1))]
    lead: Spanned<String>,
    /// The sentence or two after the lead.
    #[schemars(with = "String", length(min = 1))]
    text: Spanned<String>,
    /// Whether the item prints when the midwife picks nothing; true if left
    /// out.
    default: Option<bool>,
    /// The keys of the [sources] the text rests on; at least one.
    #[serde(default)]
    #[schemars(with = "Vec<String>", length(min = 1))]
    sources: Vec<Spanned<String>>,
    /// Shown to the midwife when she picks, never printed: why the item is
    /// off by default, or when to pick it.
    midwife_hint: Option<String>,
    /// For a caution: the ids of the items it is printed with, once, after
    /// the first of them that prints.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    shown_with: Vec<Spanned<String>>,
}

/// The JSON Schema (draft-07) of a topic file, for an editor's completion
/// and checks as a practice types: the Taplo toolkit, and so the Even
/// Better TOML extension, reads it from a `#:schema` line at the top of
/// the file.
pub fn schema() -> String {
    let generator = schemars::generate::SchemaSettings::draft07().into_generator();
    let mut schema = generator.into_root_schema_for::<RawTopic>().to_value();
    for_toml(&mut schema);
    let mut json = serde_json::to_string_pretty(&schema).expect("a schema is JSON");
    json.push('\n');
    json
}

/// Fits a schema made from Rust types to TOML, which has no null: a key
/// that may be left out is not also allowed to be null. Descriptions, from
/// doc comments, are joined into paragraphs for an editor to wrap.
fn for_toml(schema: &mut serde_json::Value) {
    use serde_json::Value;
    let Value::Object(map) = schema else {
        if let Value::Array(values) = schema {
            values.iter_mut().for_each(for_toml);
        }
        return;
    };
    if let Some(Value::Array(types)) = map.get_mut("type") {
        types.retain(|kind| kind != "null");
        if types.len() == 1 {
            let kind = types.remove(0);
            map.insert("type".to_string(), kind);
        }
    }
    if let Some(Value::Array(options)) = map.get_mut("anyOf") {
        options.retain(|option| option.get("type").is_none_or(|kind| kind != "null"));
        if options.len() == 1 {
            let only = options.remove(0);
            map.remove("anyOf");
            match only {
                // Draft-07 ignores what stands beside a $ref, such as the
                // description.
                Value::Object(only) if only.contains_key("$ref") => {
                    map.insert("allOf".to_string(), Value::Array(vec![Value::Object(only)]));
                }
                Value::Object(only) => map.extend(only),
                _ => {}
            }
        }
    }
    // A choice of words reads better as an enum: an editor's message then
    // lists the words; Taplo shows each one's description as it completes.
    let words: Option<Vec<(Value, Value)>> = match map.get("oneOf") {
        Some(Value::Array(options)) => options
            .iter()
            .map(|option| {
                Some((
                    option.get("const")?.clone(),
                    option.get("description")?.clone(),
                ))
            })
            .collect(),
        _ => None,
    };
    if let Some(words) = words {
        map.remove("oneOf");
        let (values, docs): (Vec<Value>, Vec<Value>) = words.into_iter().unzip();
        map.insert("type".to_string(), Value::from("string"));
        map.insert("enum".to_string(), Value::Array(values));
        map.insert(
            "x-taplo".to_string(),
            serde_json::json!({ "docs": { "enumValues": docs } }),
        );
    }
    if let Some(Value::String(text)) = map.get_mut("description") {
        *text = text
            .split("\n\n")
            .map(|paragraph| paragraph.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
            .join("\n\n");
    }
    map.values_mut().for_each(for_toml);
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
    fn check_finds_every_problem_in_file_order() {
        let text = LEG_CRAMPS_EN
            .replacen("id = \"nerves\"", "id = \"Nerves\"", 1)
            .replacen("id = \"fluids\"", "id = \"walking\"", 1)
            .replacen("sources = [\"nhs-pe\"]", "sources = []", 1)
            .replacen("shown-with = [\"massage\",", "shown-with = [\"masage\",", 1);
        let errors = Topic::check("t.toml", &text).unwrap_err();
        let found: Vec<(usize, &str)> = errors
            .iter()
            .map(|error| {
                let message = error.to_string();
                let kind = [
                    "must be lower-case",
                    "duplicate item id",
                    "names item 'masage'",
                    "names no sources",
                ]
                .into_iter()
                .find(|kind| message.contains(kind))
                .unwrap_or("other");
                (error.location().line, kind)
            })
            .collect();
        assert_eq!(
            found,
            [
                (line_of("id = \"nerves\""), "must be lower-case"),
                (line_of("id = \"fluids\""), "duplicate item id"),
                (line_of("shown-with = [\"massage\","), "names item 'masage'"),
                (line_of("id = \"clot-in-lung\""), "names no sources"),
            ]
        );
        // `parse` gives the first of them.
        assert_eq!(Topic::parse("t.toml", &text).unwrap_err(), errors[0]);
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

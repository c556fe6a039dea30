//! Checks a topic file's parsed TOML into a [`Topic`], keeping every
//! problem it finds, so that `handout check` can list them all.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use toml::Spanned;

use super::file::{RawItem, RawSection, RawSource, RawTopic};
use super::labels::{Labels, RawLabels};
use super::review::RawReview;
use super::{Item, Lines, Section, SectionRole, Source, Term, Topic, is_reserved_key};
use crate::error::{ContentError, Lines as ErrorLines, Location};
use crate::more_info::Address;
use crate::picture::{Lookup, Named, Pictures};
use crate::suggest::{did_you_mean, nearest};
use crate::text::{excerpt, is_kebab_case, regional_tag};

/// Parses and checks a topic file: the topic, or every problem found, in
/// the order of the file.
pub(super) fn check(
    origin: &str,
    text: &str,
    pictures: &Pictures,
) -> Result<Topic, Vec<ContentError>> {
    let raw: RawTopic = toml::from_str(text).map_err(|error| {
        // A parse error quotes the file back; a file that is no topic at
        // all (a link's target, a stray config file) is never quoted.
        vec![if looks_like_topic(text) {
            ContentError::from_toml(origin, text, &error)
        } else {
            ContentError::BadValue {
                at: Location {
                    origin: origin.to_string(),
                    line: 1,
                    column: 1,
                },
                message: "this is not a topic file: a topic has `id`, `title`, `intro` and \
                          [[section]] tables (`handout schema` describes them)"
                    .to_string(),
            }
        }]
    })?;
    let mut check = Checker {
        origin,
        lines: ErrorLines::new(text),
        pictures,
        terms: Vec::new(),
        errors: Vec::new(),
    };
    let topic = check.topic(raw).map(|topic| Topic {
        sha256: crate::text::sha256_hex(text.as_bytes()),
        ..topic
    });
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

/// Whether a file that does not parse was meant as a topic: it opens a
/// section, or sets a topic's title or intro.
fn looks_like_topic(text: &str) -> bool {
    text.lines().map(str::trim_start).any(|line| {
        line.starts_with("[[section")
            || ["title", "intro"].iter().any(|key| {
                line.strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with('='))
            })
    })
}

/// Checks a parsed file, keeping every problem it finds.
struct Checker<'a> {
    origin: &'a str,
    /// Where the file's lines start: every item is placed by its offset.
    lines: ErrorLines<'a>,
    /// The practice's own pictures, which items may name beside the
    /// built-in ones.
    pictures: &'a Pictures,
    /// The names of the topic's terms, which items may write `{name}`.
    terms: Vec<String>,
    errors: Vec<ContentError>,
}

impl Checker<'_> {
    fn at(&self, offset: usize) -> Location {
        self.lines.locate(self.origin, offset)
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
        // Printed text: nothing an export lost, no marks stacked past need.
        if let Err(reason) = crate::text::check_characters(value.get_ref()) {
            self.bad_value(value.span().start, format!("{what} {reason}"));
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
                id: excerpt(value.get_ref()),
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
            checked_on: raw.checked_on.clone(),
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
        let (wordings, terms) = self.wordings(&raw.wordings, &raw.terms, &language);
        let mut regional_labels = Vec::with_capacity(wordings.len());
        for tag in &wordings {
            let overrides = raw.labels.as_ref().map(|labels| labels.get_ref());
            match Labels::regional(&language, tag, overrides) {
                Ok(labels) => regional_labels.push(labels),
                Err(message) => {
                    let at = raw.labels.as_ref().map_or(0, |labels| labels.span().start);
                    self.bad_value(at, message);
                }
            }
        }
        self.no_terms(&raw.title, "`title`");
        self.no_terms(&raw.intro, "`intro`");
        let more_info = self.more_info(raw.more_info.as_ref());

        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut keys: HashMap<String, usize> = HashMap::new();
        let mut sections = Vec::with_capacity(raw.section.len());
        let mut urgent: Option<usize> = None;
        for raw_section in &raw.section {
            if *raw_section.get_ref().role.get_ref() == SectionRole::Urgent {
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
            more_info: more_info?,
            sources,
            labels: labels?,
            sections,
            review: review?,
            translated_from: translated_from?,
            wordings,
            terms,
            regional_labels,
            // Set once the whole text is known to be a topic.
            sha256: String::new(),
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

    /// The address for more information: `Some(None)` for a file that
    /// names none, `None` when the address cannot be printed.
    fn more_info(&mut self, address: Option<&Spanned<String>>) -> Option<Option<Address>> {
        let Some(address) = address else {
            return Some(None);
        };
        match Address::parse(address.get_ref().trim()) {
            Ok(address) => Some(Some(address)),
            Err(reason) => {
                self.bad_value(address.span().start, format!("`more-info` {reason}"));
                None
            }
        }
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
                        excerpt(language),
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
        ok &= self.no_terms(&raw.heading, &format!("`heading` of section '{key}'"));
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
        if role == SectionRole::Choose
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
            // What a pick says of a whole section, never one item.
            if ["all", "none"].contains(&id.get_ref().as_str()) {
                ok = false;
                self.bad_value(
                    id.span().start,
                    format!(
                        "item id '{}' is what a pick says of a whole section; give the item \
                         another id",
                        id.get_ref()
                    ),
                );
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
        let picture = item
            .picture
            .as_ref()
            .and_then(|name| self.picture(id, name));
        ok &= item.picture.is_none() || picture.is_some();
        ok &= self.known_terms(&item.lead, &format!("`lead` of item '{id}'"));
        ok &= self.known_terms(&item.text, &format!("`text` of item '{id}'"));
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
                        excerpt(source.get_ref()),
                        did_you_mean(nearest(source.get_ref(), &known))
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
            picture,
            shown_with: item
                .shown_with
                .iter()
                .map(|id| id.get_ref().clone())
                .collect(),
        })
    }

    /// The regional wordings and the terms that differ between them: each
    /// wording the language and a region, each term with words for the
    /// plain language and every wording, and used.
    fn wordings(
        &mut self,
        raw: &[Spanned<String>],
        terms: &BTreeMap<Spanned<String>, Spanned<BTreeMap<String, Spanned<String>>>>,
        language: &str,
    ) -> (Vec<String>, Vec<Term>) {
        let mut wordings: Vec<String> = Vec::with_capacity(raw.len());
        for tag in raw {
            let text = tag.get_ref().trim();
            let regional = regional_tag(text).filter(|tag| {
                tag.split_once('-')
                    .is_some_and(|(main, _)| main.eq_ignore_ascii_case(language))
            });
            match regional {
                None => self.bad_value(
                    tag.span().start,
                    format!(
                        "wording '{}' is not the file's language and a region, such as \
                         '{language}-GB' or '{language}-419'",
                        excerpt(text)
                    ),
                ),
                Some(tag_text)
                    if wordings
                        .iter()
                        .any(|known| known.eq_ignore_ascii_case(&tag_text)) =>
                {
                    self.bad_value(
                        tag.span().start,
                        format!("wording '{tag_text}' is listed twice; list each once"),
                    );
                }
                Some(tag_text) => wordings.push(tag_text),
            }
        }
        let mut checked = Vec::with_capacity(terms.len());
        for (name, words) in terms {
            if !self.kebab(name, "term name") {
                continue;
            }
            let name_text = name.get_ref();
            if name_text == "emergency" {
                self.bad_value(
                    name.span().start,
                    "`emergency` is the practice's emergency number, not a term; give the \
                     term another name"
                        .to_string(),
                );
                continue;
            }
            let tags = std::iter::once(language).chain(wordings.iter().map(String::as_str));
            let mut all = Vec::with_capacity(wordings.len() + 1);
            for tag in tags {
                match words
                    .get_ref()
                    .iter()
                    .find(|(known, _)| known.eq_ignore_ascii_case(tag))
                {
                    Some((_, value)) => {
                        if self.non_empty(value, &format!("term '{name_text}' in '{tag}'")) {
                            all.push(value.get_ref().trim().to_string());
                        }
                    }
                    None => self.bad_value(
                        words.span().start,
                        format!(
                            "term '{name_text}' has no words for '{tag}'; give them, as \
                             {tag} = \"...\""
                        ),
                    ),
                }
            }
            for key in words.get_ref().keys() {
                let known = key.eq_ignore_ascii_case(language)
                    || wordings.iter().any(|tag| tag.eq_ignore_ascii_case(key));
                if !known {
                    self.bad_value(
                        words.span().start,
                        format!(
                            "term '{name_text}' gives words for '{}', which is neither the \
                             file's language nor one of its `wordings` ({})",
                            excerpt(key),
                            std::iter::once(language)
                                .chain(wordings.iter().map(String::as_str))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    );
                }
            }
            self.terms.push(name_text.clone());
            if all.len() == wordings.len() + 1 {
                checked.push(Term {
                    name: name_text.clone(),
                    words: all,
                });
            }
        }
        if terms.is_empty()
            && let Some(first) = raw.first()
        {
            self.bad_value(
                first.span().start,
                "`wordings` are listed, but there are no [terms] to differ between them; \
                 add the terms, or leave the wordings out"
                    .to_string(),
            );
        }
        (wordings, checked)
    }

    /// Checks that every `{name}` in an item's text is a term of the topic
    /// or `{emergency}`.
    fn known_terms(&mut self, value: &Spanned<String>, what: &str) -> bool {
        let mut ok = true;
        for (offset, name) in placeholders(value.get_ref()) {
            if name == "emergency" || self.terms.iter().any(|term| term == name) {
                continue;
            }
            ok = false;
            let known: Vec<&str> = self.terms.iter().map(String::as_str).collect();
            let message = format!(
                "{what} writes {{{}}}, which is not one of the [terms] ({}) nor {{emergency}}{}",
                excerpt(name),
                if known.is_empty() {
                    "there are none".to_string()
                } else {
                    known.join(", ")
                },
                did_you_mean(nearest(name, &known))
            );
            self.bad_value(value.span().start + 1 + offset, message);
        }
        ok
    }

    /// Checks that a title, intro or heading holds no `{name}`: terms and
    /// the emergency number print only in items.
    fn no_terms(&mut self, value: &Spanned<String>, what: &str) -> bool {
        let Some((offset, name)) = placeholders(value.get_ref()).next() else {
            return true;
        };
        let message = format!(
            "{what} writes {{{}}}; only an item's lead and text may hold a term or \
             {{emergency}}",
            excerpt(name)
        );
        self.bad_value(value.span().start + 1 + offset, message);
        false
    }

    /// The picture an item names: the practice's own, or a built-in one.
    /// `None` when there is none, with the error.
    fn picture(&mut self, id: &str, name: &Spanned<String>) -> Option<Named> {
        let message = match self.pictures.lookup(name.get_ref()) {
            Lookup::Found(picture) => {
                return Some(Named {
                    name: name.get_ref().clone(),
                    picture: Arc::clone(picture),
                });
            }
            Lookup::Broken(error) => format!(
                "item '{id}' names picture '{}', whose file cannot be used: {error}",
                excerpt(name.get_ref())
            ),
            Lookup::Unknown => {
                let known = self.pictures.names();
                format!(
                    "item '{id}' names picture '{}', which is neither a built-in picture nor \
                     one of the practice's own (pictures/NAME.svg in its content folder); \
                     pictures: {}{}",
                    excerpt(name.get_ref()),
                    known.join(", "),
                    did_you_mean(nearest(name.get_ref(), &known))
                )
            }
        };
        self.bad_value(name.span().start, message);
        None
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
                        excerpt(named.get_ref()),
                        did_you_mean(nearest(named.get_ref(), &known))
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

/// The pattern of ids and keys: lower-case words joined by single hyphens.
pub(super) const KEBAB_CASE: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";

/// Every `{name}` in `text`: the offset of its `{`, and the name.
fn placeholders(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.match_indices('{').filter_map(move |(open, _)| {
        let close = text[open..].find('}')?;
        let name = &text[open + 1..open + close];
        (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
            .then_some((open, name))
    })
}

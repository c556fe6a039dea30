//! A topic: the fixed text of one leaflet in one language, read from TOML.
//!
//! A topic lists its sections in print order. Each has a key, a heading and
//! a [`SectionRole`]; the code knows roles, never a topic's section names. The file
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

mod check;
mod file;
pub(crate) mod labels;
pub(crate) mod review;
mod schema;

use std::collections::HashMap;

use schemars::JsonSchema;
use serde::Deserialize;

use crate::error::ContentError;
use crate::more_info::Address;
use crate::picture::{Named, Pictures};

pub use labels::Labels;
pub use review::{Review, ReviewWarning, Status};
pub use schema::schema;

/// What a section is for, which decides how it prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[schemars(rename = "Role")]
pub enum SectionRole {
    /// Explanation: every item marked default prints.
    Info,
    /// The midwife picks the items; the defaults print when she picks none.
    Choose,
    /// The warning signs: always printed whole, in the warning box.
    Urgent,
}

impl SectionRole {
    /// The role's name in a topic file.
    pub fn key(self) -> &'static str {
        match self {
            SectionRole::Info => "info",
            SectionRole::Choose => "choose",
            SectionRole::Urgent => "urgent",
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
    /// The pictogram printed in the bullet's place, if any: a built-in
    /// one or the practice's own.
    pub picture: Option<Named>,
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
    pub role: SectionRole,
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
    /// A web page with more on the topic, printed as a QR code with its
    /// address (see [`crate::more_info`]); a practice's own takes its place.
    pub more_info: Option<Address>,
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
    /// The regional wordings it holds besides the plain language, such as
    /// "en-GB" and "en-US", in the file's order.
    pub wordings: Vec<String>,
    /// The words that differ between them, by name.
    pub terms: Vec<Term>,
    /// The page's fixed words in each of `wordings`, in order: `labels`
    /// with the region's own, such as an American date.
    pub regional_labels: Vec<Labels>,
    /// The SHA-256 of the file it was read from, in hex, as the manifest
    /// records it and a practice's approval names it.
    pub sha256: String,
    /// The lines of its section keys, item ids and `translated-from`, for
    /// messages about the file as a whole.
    pub(crate) lines: Lines,
}

/// A word or phrase that differs between the regional wordings of a
/// topic, written `{name}` in its items' text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The name the text writes it by.
    pub name: String,
    /// Its words in the plain language first, then in each of the topic's
    /// `wordings`, in order.
    pub words: Vec<String>,
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
pub const LEG_CRAMPS_EN: &str = include_str!("../../../../content/leg-cramps.en.toml");

/// The built-in Spanish translation: a draft until a clinician who reads
/// Spanish has reviewed it.
pub const LEG_CRAMPS_ES: &str = include_str!("../../../../content/leg-cramps.es.toml");

/// The built-in topics: where they come from, and their text.
pub const BUILTIN_TOPICS: [(&str, &str); 2] = [
    ("leg-cramps.en.toml", LEG_CRAMPS_EN),
    ("leg-cramps.es.toml", LEG_CRAMPS_ES),
];

/// Names a roster column may not be given by a section key, because the
/// roster reader takes them for a patient's details.
pub fn is_reserved_key(key: &str) -> bool {
    crate::roster::is_reserved(key)
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
        check::check(origin, text, &Pictures::default())
    }

    /// Like [`Topic::check`], for a practice's file, whose items may also
    /// name the practice's own `pictures`.
    pub fn check_with(
        origin: &str,
        text: &str,
        pictures: &Pictures,
    ) -> Result<Topic, Vec<ContentError>> {
        check::check(origin, text, pictures)
    }

    /// Which wording the tag names: 0 for the plain language, or 1 and up
    /// for one of `wordings`; `None` for a tag the topic has no wording of.
    pub fn wording(&self, tag: &str) -> Option<usize> {
        if tag.eq_ignore_ascii_case(&self.language) {
            return Some(0);
        }
        let tag = tag.replace('_', "-");
        self.wordings
            .iter()
            .position(|known| known.eq_ignore_ascii_case(&tag))
            .map(|index| index + 1)
    }

    /// The page's fixed words in wording `index` (see [`Topic::wording`]).
    pub fn labels_in(&self, index: usize) -> &Labels {
        match index {
            0 => &self.labels,
            _ => &self.regional_labels[index - 1],
        }
    }

    /// The tag of wording `index`: the language for 0, else the region's.
    pub fn wording_tag(&self, index: usize) -> &str {
        match index {
            0 => &self.language,
            _ => &self.wordings[index - 1],
        }
    }

    /// `text` in wording `index`, with every `{term}` replaced by its words
    /// there; `{emergency}`, which is no term, is left for the caller.
    pub fn worded<'a>(&self, text: &'a str, index: usize) -> std::borrow::Cow<'a, str> {
        if !text.contains('{') || self.terms.is_empty() {
            return std::borrow::Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len() + 16);
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            let name = &rest[open + 1..open + close];
            out.push_str(&rest[..open]);
            match self.terms.iter().find(|term| term.name == name) {
                Some(term) => out.push_str(&term.words[index]),
                None => out.push_str(&rest[open..=open + close]),
            }
            rest = &rest[open + close + 1..];
        }
        out.push_str(rest);
        std::borrow::Cow::Owned(out)
    }

    /// The section with this key, if any.
    pub fn section(&self, key: &str) -> Option<&Section> {
        self.sections.iter().find(|section| section.key == key)
    }

    /// The `choose` sections, in print order.
    pub fn choose_sections(&self) -> impl Iterator<Item = &Section> {
        self.sections
            .iter()
            .filter(|section| section.role == SectionRole::Choose)
    }

    /// The line of the file where an item (or an alias of it) is named.
    pub fn item_line(&self, id: &str) -> Option<usize> {
        self.lines.items.get(id).copied()
    }

    /// The topic's name in messages: "leg-cramps (es)".
    pub fn name(&self) -> String {
        format!("{} ({})", self.id, self.language)
    }

    /// What its review record calls for on every use, as on `today`: a
    /// draft, and a review date that has passed.
    pub fn review_warnings(&self, today: jiff::civil::Date) -> Vec<ReviewWarning> {
        let mut warnings = Vec::new();
        if self.review.is_draft() {
            warnings.push(ReviewWarning::Draft { topic: self.name() });
        }
        if let Some(due) = self
            .review
            .review_due
            .filter(|_| self.review.is_overdue(today))
        {
            warnings.push(ReviewWarning::Overdue {
                topic: self.name(),
                due,
            });
        }
        warnings
    }

    /// The item with this id or alias anywhere in the topic.
    pub fn item(&self, id: &str) -> Option<(&Section, &Item)> {
        self.sections
            .iter()
            .find_map(|section| section.item(id).map(|item| (section, item)))
    }
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
        let sections: Vec<(&str, SectionRole)> = topic
            .sections
            .iter()
            .map(|section| (section.key.as_str(), section.role))
            .collect();
        assert_eq!(
            sections,
            [
                ("causes", SectionRole::Info),
                ("prevention", SectionRole::Choose),
                ("treatment", SectionRole::Choose),
                ("when-to-call", SectionRole::Urgent)
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
            .find(|s| s.role == SectionRole::Urgent)
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
        // Each edit, the message, and the line it is found at: the edited
        // one, unless the problem is elsewhere.
        let cases = [
            (
                "role = \"info\"",
                "role = \"aside\"",
                "unknown variant `aside`",
                None,
            ),
            (
                "role = \"choose\"",
                "role = \"urgent\"",
                "a second `urgent` section",
                // The first urgent section is now the edited one; the
                // second is the one that was always there.
                Some(line_of("role = \"urgent\"")),
            ),
            (
                "role = \"urgent\"",
                "role = \"info\"",
                "has no `urgent` section",
                Some(1),
            ),
            (
                "id = \"nerves\"",
                "id = \"Nerves\"",
                "must be lower-case words joined by '-'",
                None,
            ),
            (
                "sources = [\"article\", \"hull-swelling\"]",
                "sources = [\"article\", \"hull-swell\"]",
                "names source 'hull-swell', which [sources] does not have; did you mean 'hull-swelling'?",
                None,
            ),
            (
                "picture = \"walk\"",
                "picture = \"wlak\"",
                "names picture 'wlak', which is neither a built-in picture nor one of the \
                 practice's own (pictures/NAME.svg in its content folder); pictures: walk, \
                 stretch, bed, rest, massage, bath, tablet, stockings, phone, water; did you \
                 mean 'walk'?",
                Some(line_of("picture = \"walk\"")),
            ),
            (
                "wordings = [\"en-GB\", \"en-US\"]",
                "wordings = [\"en-GB\", \"fr-FR\"]",
                "wording 'fr-FR' is not the file's language and a region, such as 'en-GB' or \
                 'en-419'",
                None,
            ),
            (
                "en-GB = \"Paracetamol\", en-US = \"Acetaminophen\" }",
                "en-GB = \"Paracetamol\" }",
                "term 'painkiller' has no words for 'en-US'; give them, as en-US = \"...\"",
                None,
            ),
            (
                "lead = \"{painkiller}.\"",
                "lead = \"{painkiler}.\"",
                "`lead` of item 'pain-relief' writes {painkiler}, which is not one of the [terms] \
                 (emergency-department, midwife-or-pharmacist, painkiller, stockings, \
                 your-midwife) nor {emergency}; did you mean 'painkiller'?",
                None,
            ),
            (
                "heading = \"When to call\"",
                "heading = \"When to call {emergency}\"",
                "`heading` of section 'when-to-call' writes {emergency}; only an item's lead and \
                 text may hold a term or {emergency}",
                None,
            ),
            (
                "shown-with = [\"massage\",",
                "shown-with = [\"masage\",",
                "names item 'masage', which the topic does not have; did you mean 'massage'?",
                None,
            ),
            (
                "key = \"treatment\"",
                "key = \"note\"",
                "section key 'note' is a roster column",
                None,
            ),
            (
                "key = \"treatment\"",
                "key = \"prevention\"",
                "a second section with key 'prevention'",
                None,
            ),
            (
                "sources = [\"nhs-pe\"]",
                "sources = []",
                "names no sources",
                // At the item's id.
                Some(line_of("id = \"clot-in-lung\"")),
            ),
        ];
        for (from, to, message, line) in cases {
            let error = parse_edited(from, to).unwrap_err().to_string();
            let line = line.unwrap_or_else(|| line_of(from));
            assert!(
                error.starts_with(&format!("t.toml:{line}:")),
                "{from} -> {to}: expected line {line}: {error}"
            );
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

    /// The built-in text with `more-info = "{address}"` after its `id`
    /// line, and the line and column of the address's opening quote.
    fn with_more_info(address: &str) -> (String, usize, usize) {
        let line = "id = \"leg-cramps\"\n";
        let text = LEG_CRAMPS_EN.replacen(line, &format!("{line}more-info = \"{address}\"\n"), 1);
        (
            text,
            line_of("id = \"leg-cramps\"") + 1,
            "more-info = ".len() + 1,
        )
    }

    #[test]
    fn a_topic_names_a_page_for_more_information() {
        assert_eq!(builtin().more_info, None);
        let address = "https://www.example.org/leaflets/leg-cramps";
        let (text, _, _) = with_more_info(address);
        let topic = Topic::parse("t.toml", &text).unwrap();
        assert_eq!(topic.more_info.as_ref().map(Address::as_str), Some(address));
    }

    #[test]
    fn an_address_that_cannot_be_printed_is_refused_where_it_is() {
        for (address, message) in crate::more_info::refused_examples() {
            let (text, line, column) = with_more_info(&address);
            let errors = Topic::check("t.toml", &text).unwrap_err();
            assert_eq!(errors.len(), 1, "{address}: {errors:?}");
            let error = errors[0].to_string();
            assert!(
                error.starts_with(&format!("t.toml:{line}:{column}: `more-info` ")),
                "{address}: {error}"
            );
            assert!(error.contains(message), "{address}: {error}");
        }
    }

    #[test]
    fn a_choose_section_needs_items() {
        let text = include_str!("../../../../tests/fixtures/content/broken/empty-choose.en.toml");
        let error = Topic::parse("empty-choose.en.toml", text).unwrap_err();
        // Located at its `[[section]]` line, the one before its key.
        let line = text
            .lines()
            .position(|line| line == "key = \"at-home\"")
            .unwrap();
        assert!(
            matches!(&error, ContentError::EmptySection { section, at } if section == "at-home" && at.line == line),
            "{error}"
        );
        assert!(error.to_string().contains("has no items"), "{error}");
    }
}

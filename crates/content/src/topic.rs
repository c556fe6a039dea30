//! A topic: the fixed text of one handout in one language, read from TOML.

use std::collections::HashMap;

use serde::Deserialize;
use toml::Spanned;

use crate::error::{ContentError, Location};

/// The four sections every topic has, in the order they print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SectionKind {
    /// "Why it happens": background, every default item prints.
    Causes,
    /// Advice to prevent the problem; the midwife chooses.
    Prevention,
    /// What to do when it happens; the midwife chooses.
    Treatment,
    /// The urgent warning signs; always printed whole, in a box.
    WhenToCall,
}

impl SectionKind {
    /// Every kind, in print order.
    pub const ALL: [SectionKind; 4] = [
        SectionKind::Causes,
        SectionKind::Prevention,
        SectionKind::Treatment,
        SectionKind::WhenToCall,
    ];

    /// The section's key in the TOML file and its name in messages.
    pub fn key(self) -> &'static str {
        match self {
            SectionKind::Causes => "causes",
            SectionKind::Prevention => "prevention",
            SectionKind::Treatment => "treatment",
            SectionKind::WhenToCall => "when-to-call",
        }
    }

    /// Whether the midwife picks this section's items for each patient.
    pub fn is_selectable(self) -> bool {
        matches!(self, SectionKind::Prevention | SectionKind::Treatment)
    }
}

/// One piece of advice or explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Stable kebab-case id, used on the command line and in rosters.
    pub id: String,
    /// Short lead in plain words, printed bold.
    pub lead: String,
    /// The sentence or two after the lead.
    pub text: String,
    /// Whether the item prints when the midwife makes no choice.
    pub default: bool,
}

/// A heading and its items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Which section this is.
    pub kind: SectionKind,
    /// The printed heading.
    pub heading: String,
    /// The items, in print order.
    pub items: Vec<Item>,
}

impl Section {
    /// The item with this id, if any.
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|item| item.id == id)
    }

    /// The items that print when nothing is chosen.
    pub fn defaults(&self) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(|item| item.default)
    }
}

/// Words the page needs besides the topic's own text, in the topic's language.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Labels {
    /// "Prepared for {name}".
    pub prepared_for: String,
    /// "{weeks} weeks".
    pub weeks: String,
    /// "1 week": the singular, which not every language forms the same way.
    pub one_week: String,
    /// "Name", before the line a blank sheet leaves for the patient's name.
    pub name: String,
    /// "Weeks", before the weeks on a blank sheet, or the line left for them.
    pub weeks_label: String,
    /// "Date", before the line a blank sheet leaves for the date.
    pub date: String,
    /// Heading of the midwife's note.
    pub note: String,
    /// "Your midwife", before the midwife's name in the footer.
    pub midwife: String,
    /// "Phone", before the practice's number in the footer.
    pub phone: String,
    /// What `{emergency}` becomes when the practice gives no number.
    pub emergency_fallback: String,
    /// Month names, January first, for the printed date.
    pub months: Vec<String>,
}

/// The whole text of one handout topic in one language.
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
    /// Where the text comes from; never printed, always required.
    pub sources: Vec<String>,
    /// Words for the page's fixed parts.
    pub labels: Labels,
    /// The four sections, in print order.
    pub sections: Vec<Section>,
}

/// The built-in leg-cramps topic in English, compiled into the binary.
pub const LEG_CRAMPS_EN: &str = include_str!("../../../content/leg-cramps.en.toml");

impl Topic {
    /// Every built-in topic, parsed. They are checked by the tests, so this
    /// cannot fail in a released binary.
    pub fn builtin() -> Vec<Topic> {
        [("content/leg-cramps.en.toml", LEG_CRAMPS_EN)]
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
        check.non_empty(&raw.id, "`id`")?;
        check.non_empty(&raw.language, "`language`")?;
        if raw
            .sources
            .get_ref()
            .iter()
            .all(|source| source.trim().is_empty())
        {
            return Err(ContentError::EmptyText {
                at: check.at(raw.sources.span().start),
                what: "`sources`".to_string(),
            });
        }
        if raw.labels.get_ref().months.len() != 12 {
            return Err(ContentError::BadValue {
                at: check.at(raw.labels.span().start),
                message: "`months` must list the 12 month names, January first".to_string(),
            });
        }

        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut sections = Vec::new();
        for (kind, raw_section) in [
            (SectionKind::Causes, raw.causes),
            (SectionKind::Prevention, raw.prevention),
            (SectionKind::Treatment, raw.treatment),
            (SectionKind::WhenToCall, raw.when_to_call),
        ] {
            sections.push(check.section(kind, raw_section, &mut seen)?);
        }

        Ok(Topic {
            id: raw.id.into_inner(),
            language: raw.language.into_inner(),
            title: raw.title.into_inner().trim().to_string(),
            intro: raw.intro.into_inner().trim().to_string(),
            sources: raw.sources.into_inner(),
            labels: raw.labels.into_inner(),
            sections,
        })
    }

    /// The section of this kind. Every topic has all four.
    pub fn section(&self, kind: SectionKind) -> &Section {
        self.sections
            .iter()
            .find(|section| section.kind == kind)
            .expect("a parsed topic has every section")
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

    fn section(
        &self,
        kind: SectionKind,
        raw: Spanned<RawSection>,
        seen: &mut HashMap<String, usize>,
    ) -> Result<Section, ContentError> {
        let span = raw.span();
        let raw = raw.into_inner();
        self.non_empty(&raw.heading, &format!("`heading` of [{}]", kind.key()))?;
        if raw.item.is_empty() {
            return Err(ContentError::EmptySection {
                at: self.at(span.start),
                section: kind.key().to_string(),
            });
        }
        let mut items = Vec::with_capacity(raw.item.len());
        for item in raw.item {
            let id = item.id.get_ref();
            let at = self.at(item.id.span().start);
            if !is_kebab_case(id) {
                return Err(ContentError::BadId { at, id: id.clone() });
            }
            if let Some(&first_line) = seen.get(id) {
                return Err(ContentError::DuplicateId {
                    at,
                    id: id.clone(),
                    first_line,
                });
            }
            seen.insert(id.clone(), at.line);
            self.non_empty(&item.lead, &format!("`lead` of item '{id}'"))?;
            self.non_empty(&item.text, &format!("`text` of item '{id}'"))?;
            items.push(Item {
                id: item.id.into_inner(),
                lead: item.lead.into_inner().trim().to_string(),
                text: item.text.into_inner().trim().to_string(),
                default: item.default,
            });
        }
        Ok(Section {
            kind,
            heading: raw.heading.into_inner().trim().to_string(),
            items,
        })
    }
}

/// Whether `id` is lower-case ASCII words joined by single hyphens.
fn is_kebab_case(id: &str) -> bool {
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
    title: Spanned<String>,
    intro: Spanned<String>,
    sources: Spanned<Vec<String>>,
    labels: Spanned<Labels>,
    causes: Spanned<RawSection>,
    prevention: Spanned<RawSection>,
    treatment: Spanned<RawSection>,
    when_to_call: Spanned<RawSection>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawSection {
    heading: Spanned<String>,
    #[serde(default)]
    item: Vec<RawItem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawItem {
    id: Spanned<String>,
    lead: Spanned<String>,
    text: Spanned<String>,
    #[serde(default = "default_true")]
    default: bool,
}

fn default_true() -> bool {
    true
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

    fn ids(topic: &Topic, kind: SectionKind) -> Vec<&str> {
        topic
            .section(kind)
            .items
            .iter()
            .map(|item| item.id.as_str())
            .collect()
    }

    #[test]
    fn builtin_topic_has_the_public_ids() {
        let topic = builtin();
        assert_eq!(
            ids(&topic, SectionKind::Causes),
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
            ids(&topic, SectionKind::Prevention),
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
            ids(&topic, SectionKind::Treatment),
            [
                "moist-heat",
                "warm-bath",
                "pain-relief",
                "therapist",
                "support-device",
                "partner-massage",
                "herbal"
            ]
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
                "support-device",
                "partner-massage",
                "herbal"
            ]
        );
    }

    #[test]
    fn builtin_text_carries_the_qualifiers() {
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
        for id in ["massage", "therapist", "partner-massage"] {
            let item = topic.sections.iter().find_map(|s| s.item(id)).unwrap();
            assert!(
                item.text.contains("swollen, red, warm"),
                "{id} lacks the massage warning"
            );
        }
        assert!(
            topic
                .section(SectionKind::WhenToCall)
                .items
                .iter()
                .any(|i| { i.lead.contains("{emergency}") || i.text.contains("{emergency}") })
        );
    }

    #[test]
    fn unknown_key_is_located() {
        let error =
            parse_edited("lead = \"Walk every day.\"", "laed = \"Walk every day.\"").unwrap_err();
        let line = LEG_CRAMPS_EN
            .lines()
            .position(|l| l.contains("Walk every day."))
            .unwrap()
            + 1;
        let message = error.to_string();
        assert!(
            message.starts_with(&format!("t.toml:{line}:1: unknown field `laed`")),
            "{message}"
        );
    }

    #[test]
    fn duplicate_id_names_both_lines() {
        let error = parse_edited("id = \"fluids\"", "id = \"walking\"").unwrap_err();
        let first = LEG_CRAMPS_EN
            .lines()
            .position(|l| l == "id = \"walking\"")
            .unwrap()
            + 1;
        let second = LEG_CRAMPS_EN
            .lines()
            .position(|l| l == "id = \"fluids\"")
            .unwrap()
            + 1;
        assert_eq!(
            error.to_string(),
            format!(
                "t.toml:{second}:6: duplicate item id 'walking' (first used on line {first}); \
                 give each item its own id"
            )
        );
    }

    #[test]
    fn empty_text_is_rejected() {
        let error = parse_edited("text = \"Exercise regularly.\"", "text = \"  \"").unwrap_err();
        assert!(matches!(error, ContentError::EmptyText { .. }));
        assert!(
            error
                .to_string()
                .contains("`text` of item 'exercise' is empty"),
            "{error}"
        );
    }

    #[test]
    fn missing_section_is_reported() {
        let start = LEG_CRAMPS_EN.find("[treatment]").unwrap();
        let end = LEG_CRAMPS_EN.find("# Prints on every handout").unwrap();
        let text = format!("{}{}", &LEG_CRAMPS_EN[..start], &LEG_CRAMPS_EN[end..]);
        let error = Topic::parse("t.toml", &text).unwrap_err();
        assert!(
            error.to_string().contains("missing field `treatment`"),
            "{error}"
        );
        assert!(error.to_string().starts_with("t.toml:1:1: "), "{error}");
    }

    #[test]
    fn section_without_items_is_rejected() {
        let mut text = String::new();
        let mut skipping = false;
        for line in LEG_CRAMPS_EN.lines() {
            if line == "[[causes.item]]" {
                skipping = true;
            } else if line.starts_with('[') {
                skipping = false;
            }
            if !skipping {
                text.push_str(line);
                text.push('\n');
            }
        }
        let error = Topic::parse("t.toml", &text).unwrap_err();
        assert!(
            matches!(error, ContentError::EmptySection { .. }),
            "{error}"
        );
    }

    #[test]
    fn ids_must_be_kebab_case() {
        let error = parse_edited("id = \"fluids\"", "id = \"Fluids\"").unwrap_err();
        assert!(matches!(error, ContentError::BadId { .. }), "{error}");
        assert!(is_kebab_case("calf-stretches"));
        assert!(!is_kebab_case("calf--stretches"));
        assert!(!is_kebab_case("-calf"));
    }
}

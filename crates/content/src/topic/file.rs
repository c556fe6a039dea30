//! A topic file as TOML gives it, before it is checked: the types the
//! file is read with, and from which its JSON Schema is made.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

use super::SectionRole;
use super::check::KEBAB_CASE;
use super::labels::RawLabels;
use super::review::Status;

/// One leaflet's text in one language: a file named TOPIC.LANGUAGE.toml.
/// `handout check` finds what this schema cannot say: ids used twice,
/// sources that are not listed, a translation that differs from its
/// original, the reading grade.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(title = "handout topic file")]
pub(super) struct RawTopic {
    /// The topic's id, the TOPIC of the file's name: lower-case words joined
    /// by '-', such as "back-care".
    #[schemars(with = "String", regex(pattern = KEBAB_CASE))]
    pub(super) id: Spanned<String>,
    /// The language of the text, the LANGUAGE of the file's name, such as
    /// "en" or "es".
    #[schemars(with = "String", length(min = 1))]
    pub(super) language: Spanned<String>,
    /// For a translation: the language of the file it translates. It must
    /// have the same sections and items.
    #[schemars(with = "Option<String>")]
    pub(super) translated_from: Option<Spanned<String>>,
    /// The text's version: count it up with every change to the words.
    #[schemars(with = "Option<u32>", range(min = 1))]
    pub(super) version: Option<Spanned<i64>>,
    /// "draft" until a clinician who reads the language has reviewed the
    /// text, then "reviewed", with reviewed-by, reviewed-on and review-due.
    /// A text checked against its sources, item by item, that no named
    /// clinician has reviewed is "checked", with checked-on and review-due.
    #[schemars(with = "Option<Status>")]
    pub(super) status: Option<Spanned<Status>>,
    /// Who reviewed the text: a name, or a team's.
    #[schemars(with = "Option<String>")]
    pub(super) reviewed_by: Option<Spanned<String>>,
    /// When it was reviewed: a TOML date, such as 2026-11-27 (no quotes).
    #[schemars(with = "Option<String>", extend("format" = "date"))]
    pub(super) reviewed_on: Option<Spanned<Datetime>>,
    /// For status = "checked": when the text was checked against its
    /// sources, a TOML date such as 2026-11-27 (no quotes).
    #[schemars(with = "Option<String>", extend("format" = "date"))]
    pub(super) checked_on: Option<Spanned<Datetime>>,
    /// When it is next to be reviewed: a TOML date, such as 2028-11-27.
    #[schemars(with = "Option<String>", extend("format" = "date"))]
    pub(super) review_due: Option<Spanned<Datetime>>,
    /// The leaflet's title, printed at the top.
    #[schemars(with = "String", length(min = 1))]
    pub(super) title: Spanned<String>,
    /// One or two plain sentences printed under the title.
    #[schemars(with = "String", length(min = 1))]
    pub(super) intro: Spanned<String>,
    /// A web page with more on the topic, printed at the foot as a QR code
    /// with its address beside it: an https:// address with no spaces, of
    /// up to about 106 characters, such as "https://www.nhs.uk/pregnancy/".
    /// A practice file's `more-info` takes its place on every leaflet.
    #[schemars(with = "Option<String>", regex(pattern = r"^https://[!-~]+$"))]
    pub(super) more_info: Option<Spanned<String>>,
    /// The works the text rests on, by key; items name them in `sources`.
    /// Never printed.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RawSource>", extend("propertyNames" = { "pattern": KEBAB_CASE }))]
    pub(super) sources: BTreeMap<Spanned<String>, Spanned<RawSource>>,
    /// The regional wordings the file holds besides the plain language, such
    /// as "en-GB" and "en-US" in an "en" file: the language, '-', and a
    /// region. Each term in [terms] gives its words for every one of them.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub(super) wordings: Vec<Spanned<String>>,
    /// Words that differ between the countries that speak the language, by
    /// name: an item's lead or text writes `{name}`, and each term gives its
    /// words for the plain language and for each of `wordings`, such as
    /// `medicine = { en = "paracetamol (acetaminophen)", en-GB =
    /// "paracetamol", en-US = "acetaminophen" }`. The rest of the text is
    /// the same in every wording.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, BTreeMap<String, String>>", extend("propertyNames" = { "pattern": KEBAB_CASE }))]
    pub(super) terms: BTreeMap<Spanned<String>, Spanned<BTreeMap<String, Spanned<String>>>>,
    /// Words for the page's fixed parts, where they should differ from the
    /// language's built-in ones.
    #[schemars(with = "Option<RawLabels>")]
    pub(super) labels: Option<Spanned<RawLabels>>,
    /// The sections, in print order; exactly one has role "urgent".
    #[serde(default)]
    #[schemars(with = "Vec<RawSection>", length(min = 1))]
    pub(super) section: Vec<Spanned<RawSection>>,
}

/// A work an item's text rests on.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Source")]
pub(super) struct RawSource {
    /// Its title.
    #[schemars(with = "String", length(min = 1))]
    pub(super) title: Spanned<String>,
    /// Who published it, such as "NHS".
    pub(super) publisher: Option<String>,
    /// The year it was published.
    pub(super) year: Option<u16>,
    /// Where to read it.
    pub(super) url: Option<String>,
}

/// A heading and its items.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Section")]
pub(super) struct RawSection {
    /// The section's key: lower-case words joined by '-'. A `choose`
    /// section's key is also the roster column that picks its items.
    #[schemars(with = "String", regex(pattern = KEBAB_CASE))]
    pub(super) key: Spanned<String>,
    /// "info" explains (its items print unless `default = false`);
    /// "choose" is picked from by the midwife (its defaults print when she
    /// picks none); "urgent" holds the warning signs, printed whole in the
    /// warning box on every leaflet.
    #[schemars(with = "SectionRole")]
    pub(super) role: Spanned<SectionRole>,
    /// The printed heading.
    #[schemars(with = "String", length(min = 1))]
    pub(super) heading: Spanned<String>,
    /// The items, in print order.
    #[serde(default)]
    #[schemars(length(min = 1))]
    pub(super) item: Vec<RawItem>,
}

/// One piece of advice or explanation.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Item")]
pub(super) struct RawItem {
    /// The item's id, used on the command line and in rosters: lower-case
    /// words joined by '-'. Never rename one; keep an old id in `aliases`.
    #[schemars(with = "String", regex(pattern = KEBAB_CASE))]
    pub(super) id: Spanned<String>,
    /// Ids the item had before, still accepted.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub(super) aliases: Vec<Spanned<String>>,
    /// The short lead, printed bold, such as "Walk every day."
    #[schemars(with = "String", length(min = 1))]
    pub(super) lead: Spanned<String>,
    /// The sentence or two after the lead.
    #[schemars(with = "String", length(min = 1))]
    pub(super) text: Spanned<String>,
    /// Whether the item prints when the midwife picks nothing; true if left
    /// out.
    pub(super) default: Option<bool>,
    /// The keys of the [sources] the text rests on; at least one.
    #[serde(default)]
    #[schemars(with = "Vec<String>", length(min = 1))]
    pub(super) sources: Vec<Spanned<String>>,
    /// Shown to the midwife when she picks, never printed: why the item is
    /// off by default, or when to pick it.
    pub(super) midwife_hint: Option<String>,
    /// For a caution: the ids of the items it is printed with, once, after
    /// the first of them that prints.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub(super) shown_with: Vec<Spanned<String>>,
    /// A pictogram printed in the bullet's place, showing what the item
    /// says: one of the built-in pictures' names ("walk", "stretch", "bed",
    /// "rest", "massage", "bath", "tablet", "stockings", "phone", "water").
    /// Leave it out where no picture shows the action truthfully.
    #[schemars(with = "Option<String>")]
    pub(super) picture: Option<Spanned<String>>,
}

//! The page's fixed words in a language: "Prepared for {name}", the month
//! names, how a date is written. They live once per language, built in, and
//! a topic file may override any of them in a `[labels]` table.

use std::sync::OnceLock;

use serde::Deserialize;

/// Words the page needs besides the topic's own text, in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// How a date is written, with `{day}`, `{month}` and `{year}`.
    pub date_format: String,
    /// "Leaflet version {version}", in the footer.
    pub leaflet_version: String,
    /// "reviewed {date}", the date written with `month_year`.
    pub reviewed: String,
    /// "checked against its sources {date}", for a text no named
    /// clinician has reviewed.
    pub checked: String,
    /// "approved by {by}, {date}": the practice's own clinical lead's
    /// sign-off. The practice's name is printed in the footer already.
    pub approved: String,
    /// "review due {date}".
    pub review_due: String,
    /// How a month and year are written: "{month} {year}".
    pub month_year: String,
    /// "Draft: not yet clinically reviewed".
    pub draft: String,
    /// "Page 1 of 2 · please turn over": the foot of the first side of a
    /// large-print sheet.
    pub first_side: String,
    /// "Page 2 of 2": the foot of its second side.
    pub second_side: String,
    /// "{heading} (continued)": a section's heading set again at the top of
    /// the second column, over the rest of its list.
    pub continued: String,
    /// "More information", before the address printed beside the QR code
    /// of a leaflet that names a web page for more.
    pub more_info: String,
}

/// The built-in labels, by language.
const BUILTIN: [(&str, &str); 2] = [
    ("en", include_str!("../../../../content/labels/en.toml")),
    ("es", include_str!("../../../../content/labels/es.toml")),
];

/// A `[labels]` table or a built-in labels file: any key may be missing.
/// In a topic file, each replaces the language's built-in words.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Labels")]
pub(crate) struct RawLabels {
    /// Only in a built-in labels file.
    #[schemars(skip)]
    language: Option<String>,
    /// Labels that differ in a regional wording, by its tag: `[labels.regions.en-US]`
    /// with `date-format = "{month} {day}, {year}"`. Each replaces the
    /// language's labels in that wording.
    #[schemars(with = "Option<std::collections::BTreeMap<String, RawLabels>>")]
    regions: Option<std::collections::BTreeMap<String, RawLabels>>,
    /// Under the title of a named leaflet: "Prepared for {name}".
    prepared_for: Option<String>,
    /// The weeks of pregnancy: "{weeks} weeks".
    weeks: Option<String>,
    /// One week of pregnancy: "1 week".
    one_week: Option<String>,
    /// On a blank sheet, before the line for the patient's name: "Name".
    name: Option<String>,
    /// On a blank sheet, before the line for the weeks: "Weeks".
    weeks_label: Option<String>,
    /// On a blank sheet, before the line for the date: "Date".
    date: Option<String>,
    /// The heading of the midwife's note: "A note from your midwife".
    note: Option<String>,
    /// Before the midwife's name in the footer: "Your midwife".
    midwife: Option<String>,
    /// Before the practice's phone number: "Phone".
    phone: Option<String>,
    /// What {emergency} becomes when the practice gives no number: "your
    /// local emergency number".
    emergency_fallback: Option<String>,
    /// The twelve month names, January first.
    #[schemars(length(min = 12, max = 12))]
    months: Option<Vec<String>>,
    /// How a date is written, from {day}, {month} and {year}.
    date_format: Option<String>,
    /// The footer's record: "Leaflet version {version}".
    leaflet_version: Option<String>,
    /// "reviewed {date}", the date as month-year gives it.
    reviewed: Option<String>,
    /// For status = "checked": "checked against its sources {date}".
    checked: Option<String>,
    /// The practice's clinical lead's sign-off: "approved by {by}, {date}".
    approved: Option<String>,
    /// "review due {date}".
    review_due: Option<String>,
    /// A month and year: "{month} {year}".
    month_year: Option<String>,
    /// The footer line of a draft: "Draft: not yet clinically reviewed".
    draft: Option<String>,
    /// The foot of a large-print sheet's first side: "Page 1 of 2 · please
    /// turn over".
    first_side: Option<String>,
    /// The foot of its second side: "Page 2 of 2".
    second_side: Option<String>,
    /// A section's heading again over the rest of its list, at the top of
    /// the second column: "{heading} (continued)".
    continued: Option<String>,
    /// Before the address printed beside the QR code of a leaflet that
    /// names a web page for more: "More information".
    more_info: Option<String>,
}

impl Labels {
    /// The languages with built-in labels.
    pub fn languages() -> Vec<&'static str> {
        BUILTIN.iter().map(|(language, _)| *language).collect()
    }

    /// The built-in labels of `language` (or of its main language: `en-GB`
    /// takes `en`'s), if there are any.
    pub fn builtin(language: &str) -> Option<Labels> {
        let raw = builtin_raw(language)?;
        Some(Labels::complete(&raw).expect("built-in labels are complete"))
    }

    /// The built-in labels of `language` with the keys `overrides` gives
    /// replaced. Without built-in labels, `overrides` must give every key;
    /// the error names the missing ones.
    pub(crate) fn with_overrides(language: &str, overrides: &RawLabels) -> Result<Labels, String> {
        if overrides.language.is_some() {
            return Err(
                "`language` belongs at the top of the topic file, not in [labels]".to_string(),
            );
        }
        let base = builtin_raw(language).unwrap_or_default();
        let merged = overrides.clone().or(base);
        Labels::complete(&merged).map_err(|missing| {
            format!(
                "language '{}' has no built-in labels (built in: {}), so [labels] must give \
                 every one; missing: {}",
                crate::text::excerpt(language),
                Labels::languages().join(", "),
                missing.join(", ")
            )
        })
    }

    /// The labels of `language` in its regional wording `tag`: the
    /// built-in ones, the built-in region's, the topic's `overrides`, and
    /// the topic's own for the region, each over the one before.
    pub(crate) fn regional(
        language: &str,
        tag: &str,
        overrides: Option<&RawLabels>,
    ) -> Result<Labels, String> {
        let base = builtin_raw(language).unwrap_or_default();
        let mut merged = match base.region(tag) {
            Some(region) => region.or(base),
            None => base,
        };
        if let Some(overrides) = overrides {
            merged = overrides.clone().or(merged);
            if let Some(region) = overrides.region(tag) {
                merged = region.or(merged);
            }
        }
        Labels::complete(&merged)
            .map_err(|missing| format!("the labels of wording '{tag}' miss {}", missing.join(", ")))
    }

    /// The labels, if `raw` gives every key; otherwise the missing keys.
    /// The sides of a large-print sheet, "(continued)" and "More
    /// information" came later than the other keys: a topic file written before them, in a language with
    /// no built-in labels, still loads, and prints them in English.
    fn complete(raw: &RawLabels) -> Result<Labels, Vec<&'static str>> {
        let side = |value: &Option<String>, english: fn(RawLabels) -> Option<String>| {
            value
                .as_deref()
                .map(str::trim)
                .filter(|text| !text.is_empty())
                .map(str::to_string)
                .or_else(|| builtin_raw("en").and_then(english))
                .unwrap_or_default()
        };
        let mut missing = Vec::new();
        let mut take = |value: &Option<String>, key: &'static str| -> String {
            match value
                .as_deref()
                .map(str::trim)
                .filter(|text| !text.is_empty())
            {
                Some(text) => text.to_string(),
                None => {
                    missing.push(key);
                    String::new()
                }
            }
        };
        let labels = Labels {
            prepared_for: take(&raw.prepared_for, "prepared-for"),
            weeks: take(&raw.weeks, "weeks"),
            one_week: take(&raw.one_week, "one-week"),
            name: take(&raw.name, "name"),
            weeks_label: take(&raw.weeks_label, "weeks-label"),
            date: take(&raw.date, "date"),
            note: take(&raw.note, "note"),
            midwife: take(&raw.midwife, "midwife"),
            phone: take(&raw.phone, "phone"),
            emergency_fallback: take(&raw.emergency_fallback, "emergency-fallback"),
            months: Vec::new(),
            date_format: take(&raw.date_format, "date-format"),
            leaflet_version: take(&raw.leaflet_version, "leaflet-version"),
            reviewed: take(&raw.reviewed, "reviewed"),
            checked: take(&raw.checked, "checked"),
            approved: take(&raw.approved, "approved"),
            review_due: take(&raw.review_due, "review-due"),
            month_year: take(&raw.month_year, "month-year"),
            draft: take(&raw.draft, "draft"),
            first_side: side(&raw.first_side, |english| english.first_side),
            second_side: side(&raw.second_side, |english| english.second_side),
            continued: side(&raw.continued, |english| english.continued),
            more_info: side(&raw.more_info, |english| english.more_info),
        };
        let months = match &raw.months {
            Some(months) if months.len() == 12 && months.iter().all(|m| !m.trim().is_empty()) => {
                months
                    .iter()
                    .map(|month| month.trim().to_string())
                    .collect()
            }
            _ => {
                missing.push("months (the 12 month names, January first)");
                Vec::new()
            }
        };
        if !missing.is_empty() {
            return Err(missing);
        }
        Ok(Labels { months, ..labels })
    }
}

impl RawLabels {
    /// These labels, each key missing here taken from `base`. The regional
    /// tables stay `base`'s: they are read before merging.
    fn or(self, base: RawLabels) -> RawLabels {
        RawLabels {
            language: None,
            regions: base.regions,
            prepared_for: self.prepared_for.or(base.prepared_for),
            weeks: self.weeks.or(base.weeks),
            one_week: self.one_week.or(base.one_week),
            name: self.name.or(base.name),
            weeks_label: self.weeks_label.or(base.weeks_label),
            date: self.date.or(base.date),
            note: self.note.or(base.note),
            midwife: self.midwife.or(base.midwife),
            phone: self.phone.or(base.phone),
            emergency_fallback: self.emergency_fallback.or(base.emergency_fallback),
            months: self.months.or(base.months),
            date_format: self.date_format.or(base.date_format),
            leaflet_version: self.leaflet_version.or(base.leaflet_version),
            reviewed: self.reviewed.or(base.reviewed),
            checked: self.checked.or(base.checked),
            approved: self.approved.or(base.approved),
            review_due: self.review_due.or(base.review_due),
            month_year: self.month_year.or(base.month_year),
            draft: self.draft.or(base.draft),
            first_side: self.first_side.or(base.first_side),
            second_side: self.second_side.or(base.second_side),
            continued: self.continued.or(base.continued),
            more_info: self.more_info.or(base.more_info),
        }
    }

    /// The table of regional overrides for `tag`, if these labels give one.
    fn region(&self, tag: &str) -> Option<RawLabels> {
        self.regions
            .as_ref()?
            .iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(tag))
            .map(|(_, labels)| labels.clone())
    }
}

/// The built-in labels file of `language` or its main language, read on
/// first use: a topic's check asks for them more than once.
fn builtin_raw(language: &str) -> Option<RawLabels> {
    static READ: [OnceLock<RawLabels>; BUILTIN.len()] = [const { OnceLock::new() }; BUILTIN.len()];
    let main = language.split(['-', '_']).next().unwrap_or(language);
    let index = BUILTIN.iter().position(|(known, _)| {
        known.eq_ignore_ascii_case(language) || known.eq_ignore_ascii_case(main)
    })?;
    let raw = READ[index]
        .get_or_init(|| toml::from_str(BUILTIN[index].1).expect("built-in labels parse"));
    Some(raw.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_is_built_in_and_can_be_overridden() {
        let en = Labels::builtin("en").unwrap();
        assert_eq!(en.prepared_for, "Prepared for {name}");
        assert_eq!(en.months.len(), 12);
        assert_eq!(Labels::builtin("en-GB"), Some(en.clone()));
        let overrides = RawLabels {
            note: Some("From your midwife".into()),
            ..RawLabels::default()
        };
        let labels = Labels::with_overrides("en", &overrides).unwrap();
        assert_eq!(labels.note, "From your midwife");
        assert_eq!(labels.phone, en.phone);
    }

    #[test]
    fn a_language_without_labels_must_give_them_all() {
        assert_eq!(Labels::builtin("cy"), None);
        let error = Labels::with_overrides(
            "cy",
            &RawLabels {
                note: Some("Nodyn".into()),
                ..RawLabels::default()
            },
        )
        .unwrap_err();
        // Every key but the one given, in the file's order.
        assert!(
            error.ends_with(
                "missing: prepared-for, weeks, one-week, name, weeks-label, date, midwife, \
                 phone, emergency-fallback, date-format, leaflet-version, reviewed, checked, \
                 approved, review-due, month-year, draft, months (the 12 month names, January first)"
            ),
            "{error}"
        );
    }
}

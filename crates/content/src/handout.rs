//! Resolves a topic, a practice, a patient and a choice of items into the
//! exact words of one handout, ready for layout.

use jiff::civil::Date;

use crate::error::InputError;
use crate::patient::{Patient, Pregnancy, weeks_from_due_date};
use crate::practice::Practice;
use crate::topic::{Item, SectionKind, Topic};

/// Which items of a selectable section to print.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Choice {
    /// The topic's default items.
    #[default]
    Defaults,
    /// Exactly these ids, in the topic's order; empty prints none.
    Items(Vec<String>),
}

impl Choice {
    /// Parses a list such as "walking, calf-stretches" or "walking;fluids".
    /// An empty list means the defaults; "none" means no items.
    pub fn parse(list: &str) -> Choice {
        let ids: Vec<String> = list
            .split([',', ';'])
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .map(str::to_lowercase)
            .collect();
        match ids.as_slice() {
            [] => Choice::Defaults,
            [only] if only.eq_ignore_ascii_case("none") => Choice::Items(Vec::new()),
            _ => Choice::Items(ids),
        }
    }
}

/// The midwife's choice of advice for one patient.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Prevention items.
    pub prevention: Choice,
    /// Treatment items.
    pub treatment: Choice,
}

/// One item as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandoutItem {
    /// The item's id, for records such as a batch manifest.
    pub id: String,
    /// The bold lead.
    pub lead: String,
    /// The text after the lead.
    pub text: String,
}

/// One section as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandoutSection {
    /// Which section.
    pub kind: SectionKind,
    /// Its heading.
    pub heading: String,
    /// Its items, never empty.
    pub items: Vec<HandoutItem>,
}

/// What a field of the byline or the footer is about: layout leaves a
/// write-in line long enough to write it by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// The patient's name.
    Patient,
    /// How many weeks pregnant she is.
    Weeks,
    /// The handout's date.
    Date,
    /// The midwife's name.
    Midwife,
    /// The practice's name.
    Practice,
    /// The practice's phone number.
    Phone,
}

/// One part of the byline or the footer: a label, and a value or a ruled
/// line to write on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// What the field is about.
    pub kind: FieldKind,
    /// "Your midwife", "Phone"; `None` when the value says it all, as
    /// "Prepared for Ana López" or the practice's name do.
    pub label: Option<String>,
    /// The value, or `None` for a write-in line.
    pub value: Option<String>,
}

/// Everything printed on one handout, in order, as words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handout {
    /// Language tag of the text, e.g. "en".
    pub language: String,
    /// The title.
    pub title: String,
    /// The line under the title, in parts. For a named patient the parts
    /// given of "Prepared for Ana López", "28 weeks" and "25 November 2026";
    /// without a name, "Name", "Weeks" and "Date", each with a write-in
    /// line, the weeks with their number when given.
    pub byline: Vec<Field>,
    /// The paragraph under the title.
    pub intro: String,
    /// The sections with at least one item, in order; the last is always
    /// the "when to call" box.
    pub sections: Vec<HandoutSection>,
    /// The note's heading and text, when there is a note.
    pub note: Option<(String, String)>,
    /// The footer line's parts.
    pub footer: Vec<Field>,
    /// The practice's address, printed under the footer.
    pub address: Option<String>,
    /// The handout's date.
    pub date: Date,
}

impl Handout {
    /// Resolves the words of one handout. Fails on an unknown item id or a
    /// due date that gives no week of pregnancy.
    pub fn resolve(
        topic: &Topic,
        practice: &Practice,
        patient: &Patient,
        selection: &Selection,
        date: Date,
    ) -> Result<Handout, InputError> {
        let labels = &topic.labels;
        let emergency = practice
            .emergency
            .clone()
            .unwrap_or_else(|| labels.emergency_fallback.clone());
        let fill = |text: &str| text.replace("{emergency}", &emergency);

        let mut sections = Vec::with_capacity(4);
        for section in &topic.sections {
            let chosen: Vec<&Item> = match section.kind {
                SectionKind::Prevention => choose(topic, section.kind, &selection.prevention)?,
                SectionKind::Treatment => choose(topic, section.kind, &selection.treatment)?,
                SectionKind::Causes => section.defaults().collect(),
                SectionKind::WhenToCall => section.items.iter().collect(),
            };
            if chosen.is_empty() {
                continue;
            }
            sections.push(HandoutSection {
                kind: section.kind,
                heading: section.heading.clone(),
                items: chosen
                    .into_iter()
                    .map(|item| HandoutItem {
                        id: item.id.clone(),
                        lead: fill(&item.lead),
                        text: fill(&item.text),
                    })
                    .collect(),
            });
        }

        let weeks = match patient.pregnancy {
            None => None,
            Some(Pregnancy::Weeks(weeks)) => Some(weeks),
            Some(Pregnancy::DueDate(due)) => Some(weeks_from_due_date(due, date)?),
        };
        let field = |kind, value: String| Field {
            kind,
            label: None,
            value: Some(value),
        };
        let byline = match &patient.name {
            Some(name) => {
                let mut byline = vec![field(
                    FieldKind::Patient,
                    labels.prepared_for.replace("{name}", name),
                )];
                match weeks {
                    Some(1) => byline.push(field(FieldKind::Weeks, labels.one_week.clone())),
                    Some(weeks) => byline.push(field(
                        FieldKind::Weeks,
                        labels.weeks.replace("{weeks}", &weeks.to_string()),
                    )),
                    None => {}
                }
                byline.push(field(FieldKind::Date, format_date(date, &labels.months)));
                byline
            }
            // A sheet without a name is photocopied for the waiting room and
            // handed out for weeks: today's date would soon be wrong, so the
            // midwife writes in the name, the weeks and the day.
            None => vec![
                Field {
                    kind: FieldKind::Patient,
                    label: Some(labels.name.clone()),
                    value: None,
                },
                Field {
                    kind: FieldKind::Weeks,
                    label: Some(labels.weeks_label.clone()),
                    value: weeks.map(|weeks| weeks.to_string()),
                },
                Field {
                    kind: FieldKind::Date,
                    label: Some(labels.date.clone()),
                    value: None,
                },
            ],
        };

        let midwife = patient.midwife.clone().or_else(|| practice.midwife.clone());
        let mut footer = vec![Field {
            kind: FieldKind::Midwife,
            label: Some(labels.midwife.clone()),
            value: midwife,
        }];
        if let Some(name) = &practice.name {
            footer.push(field(FieldKind::Practice, name.clone()));
        }
        footer.push(Field {
            kind: FieldKind::Phone,
            label: Some(labels.phone.clone()),
            value: practice.phone.clone(),
        });

        Ok(Handout {
            language: topic.language.clone(),
            title: topic.title.clone(),
            byline,
            intro: topic.intro.clone(),
            sections,
            note: patient.note.clone().map(|note| (labels.note.clone(), note)),
            footer,
            address: practice.address.clone(),
            date,
        })
    }

    /// The ids printed from a section, in order.
    pub fn printed_ids(&self, kind: SectionKind) -> Vec<&str> {
        self.sections
            .iter()
            .filter(|section| section.kind == kind)
            .flat_map(|section| section.items.iter().map(|item| item.id.as_str()))
            .collect()
    }
}

/// The chosen items of a selectable section, in the topic's order.
fn choose<'t>(
    topic: &'t Topic,
    kind: SectionKind,
    choice: &Choice,
) -> Result<Vec<&'t Item>, InputError> {
    let section = topic.section(kind);
    let ids = match choice {
        Choice::Defaults => return Ok(section.defaults().collect()),
        Choice::Items(ids) => ids,
    };
    let mut chosen = Vec::with_capacity(ids.len());
    for id in ids {
        // A spreadsheet may hold the printed lead ("Walk every day") where
        // the id belongs.
        let item = section
            .item(id)
            .or_else(|| section.items.iter().find(|item| same_words(&item.lead, id)));
        match item {
            Some(item) => chosen.push(&item.id),
            None => {
                let valid: Vec<String> = section.items.iter().map(|item| item.id.clone()).collect();
                return Err(InputError::UnknownItem {
                    section: kind.key().to_string(),
                    id: crate::text::excerpt(id),
                    suggestion: nearest(id, &valid),
                    valid,
                });
            }
        }
    }
    Ok(section
        .items
        .iter()
        .filter(|item| chosen.contains(&&item.id))
        .collect())
}

/// Whether a lead and a cell say the same words, whatever the case, the
/// spacing and the final full stop or colon.
fn same_words(lead: &str, cell: &str) -> bool {
    let words = |text: &str| -> Vec<String> {
        text.trim()
            .trim_end_matches(['.', ':'])
            .split_whitespace()
            .map(str::to_lowercase)
            .collect()
    };
    let cell = words(cell);
    !cell.is_empty() && words(lead) == cell
}

/// The valid id closest to a mistyped one, if it is close enough to be a typo.
fn nearest(given: &str, valid: &[String]) -> Option<String> {
    let given = given.to_lowercase();
    valid
        .iter()
        .map(|id| {
            // People type part of an id ("strech" for "calf-stretches", "hot-bath"
            // for "warm-bath"): score word against word as well as whole ids.
            let words = given
                .split('-')
                .filter(|word| word.chars().count() >= 4)
                .flat_map(|g| id.split('-').map(move |w| strsim::jaro_winkler(g, w)));
            let score = words.fold(strsim::jaro_winkler(&given, id), f64::max);
            (score, id)
        })
        .filter(|(score, _)| *score >= 0.8)
        .fold(None, |best: Option<(f64, &String)>, candidate| match best {
            Some(best) if best.0 >= candidate.0 => Some(best),
            _ => Some(candidate),
        })
        .map(|(_, id)| id.clone())
}

/// "25 November 2026".
pub fn format_date(date: Date, months: &[String]) -> String {
    let month = months
        .get(usize::from(date.month() as u8) - 1)
        .map_or("", String::as_str);
    format!("{} {} {}", date.day(), month, date.year())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn topic() -> Topic {
        Topic::builtin().remove(0)
    }

    fn resolve(patient: &Patient, selection: &Selection) -> Result<Handout, InputError> {
        Handout::resolve(
            &topic(),
            &Practice::default(),
            patient,
            selection,
            date(2026, 11, 25),
        )
    }

    #[test]
    fn choice_lists_parse() {
        assert_eq!(Choice::parse(""), Choice::Defaults);
        assert_eq!(Choice::parse(" , "), Choice::Defaults);
        assert_eq!(Choice::parse("none"), Choice::Items(vec![]));
        assert_eq!(
            Choice::parse("walking; fluids,rest"),
            Choice::Items(vec!["walking".into(), "fluids".into(), "rest".into()])
        );
    }

    #[test]
    fn defaults_and_chosen_items_print_in_topic_order() {
        let handout = resolve(&Patient::default(), &Selection::default()).unwrap();
        assert!(
            handout
                .printed_ids(SectionKind::Prevention)
                .contains(&"walking")
        );
        assert!(
            !handout
                .printed_ids(SectionKind::Prevention)
                .contains(&"support-belt")
        );

        let selection = Selection {
            prevention: Choice::parse("calf-stretches,walking"),
            treatment: Choice::parse("none"),
        };
        let handout = resolve(&Patient::default(), &selection).unwrap();
        assert_eq!(
            handout.printed_ids(SectionKind::Prevention),
            ["walking", "calf-stretches"]
        );
        assert!(handout.printed_ids(SectionKind::Treatment).is_empty());
        assert_eq!(
            handout.sections.last().unwrap().kind,
            SectionKind::WhenToCall
        );
        assert_eq!(handout.printed_ids(SectionKind::WhenToCall).len(), 3);
    }

    #[test]
    fn unknown_ids_suggest_the_nearest() {
        let selection = Selection {
            prevention: Choice::parse("strech"),
            ..Selection::default()
        };
        let error = resolve(&Patient::default(), &selection).unwrap_err();
        assert!(
            error.to_string().starts_with(
                "unknown prevention item 'strech'; did you mean 'calf-stretches'? (valid ids: walking, "
            ),
            "{error}"
        );
        let selection = Selection {
            treatment: Choice::parse("hot-bath"),
            ..Selection::default()
        };
        let error = resolve(&Patient::default(), &selection).unwrap_err();
        assert!(
            error.to_string().contains("did you mean 'warm-bath'?"),
            "{error}"
        );
        let selection = Selection {
            treatment: Choice::parse("xylophone"),
            ..Selection::default()
        };
        let error = resolve(&Patient::default(), &selection).unwrap_err();
        assert!(!error.to_string().contains("did you mean"), "{error}");
    }

    /// The fields' values, `None` for a write-in line.
    fn values(fields: &[Field]) -> Vec<Option<&str>> {
        fields.iter().map(|field| field.value.as_deref()).collect()
    }

    #[test]
    fn named_byline_has_only_the_given_parts() {
        let patient = Patient {
            name: Some("Ana López".into()),
            ..Patient::default()
        };
        let handout = resolve(&patient, &Selection::default()).unwrap();
        assert_eq!(
            values(&handout.byline),
            [Some("Prepared for Ana López"), Some("25 November 2026")]
        );
        let patient = Patient {
            name: Some("Ana López".into()),
            pregnancy: Some(Pregnancy::DueDate(date(2027, 2, 17))),
            ..Patient::default()
        };
        let handout = resolve(&patient, &Selection::default()).unwrap();
        assert_eq!(
            values(&handout.byline),
            [
                Some("Prepared for Ana López"),
                Some("28 weeks"),
                Some("25 November 2026")
            ]
        );
        assert!(handout.byline.iter().all(|field| field.label.is_none()));
    }

    #[test]
    fn blank_byline_has_write_in_lines_for_name_weeks_and_date() {
        let labels = |handout: &Handout| -> Vec<Option<String>> {
            handout.byline.iter().map(|f| f.label.clone()).collect()
        };
        let blank = resolve(&Patient::default(), &Selection::default()).unwrap();
        assert_eq!(
            labels(&blank),
            [
                Some("Name".into()),
                Some("Weeks".into()),
                Some("Date".into())
            ]
        );
        assert_eq!(values(&blank.byline), [None, None, None]);
        let kinds: Vec<_> = blank.byline.iter().map(|field| field.kind).collect();
        assert_eq!(
            kinds,
            [FieldKind::Patient, FieldKind::Weeks, FieldKind::Date]
        );

        // Weeks given, from a due date too, print; the date never does.
        for pregnancy in [Pregnancy::Weeks(28), Pregnancy::DueDate(date(2027, 2, 17))] {
            let patient = Patient {
                pregnancy: Some(pregnancy),
                ..Patient::default()
            };
            let handout = resolve(&patient, &Selection::default()).unwrap();
            assert_eq!(labels(&handout), labels(&blank));
            assert_eq!(values(&handout.byline), [None, Some("28"), None]);
        }
    }

    #[test]
    fn emergency_number_comes_from_the_practice() {
        let text = |handout: &Handout| {
            let items = &handout.sections.last().unwrap().items;
            items
                .iter()
                .map(|item| format!("{} {}\n", item.lead, item.text))
                .collect::<String>()
        };
        let blank = resolve(&Patient::default(), &Selection::default()).unwrap();
        assert!(text(&blank).contains("Call your local emergency number now"));
        assert!(!text(&blank).contains('{'));
        let practice = Practice {
            emergency: Some("911".into()),
            ..Practice::default()
        };
        let handout = Handout::resolve(
            &topic(),
            &practice,
            &Patient::default(),
            &Selection::default(),
            date(2026, 11, 25),
        )
        .unwrap();
        assert!(text(&handout).contains("Call 911 now"));
    }

    #[test]
    fn a_printed_lead_chooses_its_item() {
        let selection = Selection {
            prevention: Choice::parse("Walk every day; calf-stretches"),
            treatment: Choice::parse("WARM BATH"),
        };
        let handout = resolve(&Patient::default(), &selection).unwrap();
        assert_eq!(
            handout.printed_ids(SectionKind::Prevention),
            ["walking", "calf-stretches"]
        );
        assert_eq!(handout.printed_ids(SectionKind::Treatment), ["warm-bath"]);
    }

    #[test]
    fn footer_leaves_write_in_lines_for_what_is_missing() {
        let blank = resolve(&Patient::default(), &Selection::default()).unwrap();
        assert_eq!(blank.footer.len(), 2);
        assert!(blank.footer.iter().all(|field| field.value.is_none()));
        let practice = Practice {
            name: Some("Riverside".into()),
            phone: Some("01632 960 123".into()),
            midwife: Some("Jo Smith".into()),
            ..Practice::default()
        };
        let handout = Handout::resolve(
            &topic(),
            &practice,
            &Patient::default(),
            &Selection::default(),
            date(2026, 11, 25),
        )
        .unwrap();
        assert_eq!(
            values(&handout.footer),
            [Some("Jo Smith"), Some("Riverside"), Some("01632 960 123")]
        );
    }
}

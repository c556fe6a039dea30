//! Resolves a topic, a practice, a patient and a choice of items into the
//! exact words of one handout, ready for layout.
//!
//! A handout borrows the topic's words rather than copying them: a clinic
//! day keeps every row's handout from its check to its making, and the
//! topic's text, the same on every one, is most of it.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::{Arc, LazyLock};

use jiff::civil::Date;

use crate::approval::Approval;
use crate::error::InputError;
use crate::more_info::Address;
use crate::patient::{Patient, Pregnancy, weeks_from_due_date};
use crate::picks::{Choice, Picks};
use crate::picture::Picture;
use crate::practice::Practice;
use crate::topic::{Item, Labels, Review, SectionRole, Status, Topic};

mod choose;

pub(crate) use choose::check_pick_section;
use choose::{choose, topic_id};

/// One item as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandoutItem<'t> {
    /// The item's id, for records such as a batch manifest.
    pub id: &'t str,
    /// The bold lead.
    pub lead: Cow<'t, str>,
    /// The text after the lead.
    pub text: Cow<'t, str>,
    /// Whether it is a caution, printed with the items it goes with.
    pub caution: bool,
    /// The pictogram printed in its bullet's place, if any.
    pub picture: Option<&'t Arc<Picture>>,
}

/// One section as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandoutSection<'t> {
    /// The section's key in the topic.
    pub key: &'t str,
    /// What it is for.
    pub role: SectionRole,
    /// Its heading.
    pub heading: &'t str,
    /// Its items, never empty.
    pub items: Vec<HandoutItem<'t>>,
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
pub struct Field<'t> {
    /// What the field is about.
    pub kind: FieldKind,
    /// "Your midwife", "Phone"; `None` when the value says it all, as
    /// "Prepared for Ana López" or the practice's name do.
    pub label: Option<&'t str>,
    /// The value, or `None` for a write-in line.
    pub value: Option<String>,
    /// Where in the value a person's name is, in bytes: the patient's in
    /// "Prepared for Ana López", the midwife's in the footer. A line is
    /// broken inside a name only where the name cannot fit, and then
    /// between its words first.
    pub name: Option<Range<usize>>,
}

/// Everything printed on one handout, in order, as words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handout<'t> {
    /// The topic's id, e.g. "leg-cramps".
    pub topic: &'t str,
    /// Language tag of the text, e.g. "en".
    pub language: &'t str,
    /// The wording printed: the language's tag for its plain wording, or a
    /// regional one's, such as "en-GB", whose terms were printed.
    pub wording: &'t str,
    /// The version of the topic's text.
    pub version: u32,
    /// The title.
    pub title: &'t str,
    /// The line under the title, in parts. For a named patient the parts
    /// given of "Prepared for Ana López", "28 weeks" and "25 November 2026";
    /// without a name, "Name", "Weeks" and "Date", each with a write-in
    /// line, the weeks with their number when given.
    pub byline: Vec<Field<'t>>,
    /// The paragraph under the title.
    pub intro: &'t str,
    /// The sections with at least one item, in the topic's order; the
    /// `urgent` one is always there.
    pub sections: Vec<HandoutSection<'t>>,
    /// For every `choose` section of the topic, in order, its key and the
    /// ids printed from it (cautions aside), none included.
    pub picked: Vec<(&'t str, Vec<&'t str>)>,
    /// The keys of the `choose` sections that print their defaults, as
    /// nothing was picked from them.
    pub by_default: Vec<&'t str>,
    /// The note's heading and text, when there is a note.
    pub note: Option<(&'t str, String)>,
    /// The language the note is written in, when the midwife said it is
    /// not the leaflet's: a language tag.
    pub note_language: Option<String>,
    /// The footer line's parts.
    pub footer: Vec<Field<'t>>,
    /// The practice's address, printed under the footer.
    pub address: Option<String>,
    /// The label ("More information") and the address of a web page for
    /// more, printed at the foot as a QR code with the address beside it:
    /// the practice's, or else the topic's, or none.
    pub more_info: Option<(&'t str, Address)>,
    /// The record of the text printed, in the footer: "Leaflet version 3 ·
    /// reviewed November 2026 · review due November 2028". A text checked
    /// against its sources says so ("checked against its sources November
    /// 2026"); one the practice's clinical lead approved says that in its
    /// place ("approved by the Lead Midwife, December 2026"; the practice
    /// is named on the line above).
    pub review: String,
    /// The practice's approval of this very text, if it has one that counts.
    pub approval: Option<Approval>,
    /// For a draft, "Draft: not yet clinically reviewed" in the topic's
    /// language and, when that is not English, in English too.
    pub draft: Vec<String>,
    /// What the foot of each side of a large-print sheet says: "Page 1 of 2
    /// · please turn over", "Page 2 of 2".
    pub sides: [&'t str; 2],
    /// A section's heading set again over the rest of its list:
    /// "{heading} (continued)".
    pub continued: &'t str,
    /// The handout's date.
    pub date: Date,
    /// What the weeks printed were counted from, when they were given.
    pub pregnancy: Option<Pregnancy>,
}

impl<'t> Handout<'t> {
    /// Prints every item with its bullet, none with a picture: for a
    /// practice or a patient that wants text only.
    pub fn leave_out_pictures(&mut self) {
        for item in self
            .sections
            .iter_mut()
            .flat_map(|section| &mut section.items)
        {
            item.picture = None;
        }
    }

    /// Resolves the words of one handout, in the wording `asked` names
    /// ("en-US") if the topic has it, else the practice's for the topic's
    /// language, else the plain one. Fails on a pick for a section the
    /// topic does not let the midwife choose from, an unknown item id, or a
    /// due date that gives no week of pregnancy.
    pub fn resolve(
        topic: &'t Topic,
        practice: &Practice,
        patient: &Patient,
        picks: &Picks,
        date: Date,
        asked: Option<&str>,
    ) -> Result<Handout<'t>, InputError> {
        let wording = asked
            .and_then(|tag| topic.wording(tag).filter(|&index| index > 0))
            .unwrap_or_else(|| practice.wording_of(topic));
        let labels = topic.labels_in(wording);
        let emergency = practice
            .emergency
            .as_deref()
            .unwrap_or(&labels.emergency_fallback);
        // Only a term and the emergency number are not the topic's own
        // words for every handout.
        let fill = |text: &'t str| -> Cow<'t, str> {
            match topic.worded(text, wording) {
                Cow::Owned(worded) => Cow::Owned(worded.replace("{emergency}", emergency)),
                Cow::Borrowed(text) if text.contains("{emergency}") => {
                    Cow::Owned(text.replace("{emergency}", emergency))
                }
                Cow::Borrowed(text) => Cow::Borrowed(text),
            }
        };

        for (key, _) in picks.iter() {
            check_pick_section(topic, key)?;
        }
        // The items to print, by section; an alias may send a pick to the
        // section its item moved to.
        let mut chosen: Vec<Vec<&Item>> = topic.sections.iter().map(|_| Vec::new()).collect();
        for (index, section) in topic.sections.iter().enumerate() {
            match section.role {
                SectionRole::Info => chosen[index].extend(section.defaults()),
                SectionRole::Urgent => chosen[index].extend(section.pickable()),
                SectionRole::Choose => {
                    for (home, item) in choose(topic, section, picks.get(&section.key))? {
                        chosen[home].push(item);
                    }
                }
            }
        }
        let mut sections = Vec::with_capacity(topic.sections.len());
        for (section, items) in topic.sections.iter().zip(&chosen) {
            // In the topic's order, each once.
            let items: Vec<&Item> = section
                .items
                .iter()
                .filter(|item| items.iter().any(|chosen| chosen.id == item.id))
                .collect();
            sections.push(HandoutSection {
                key: &section.key,
                role: section.role,
                heading: &section.heading,
                items: items
                    .into_iter()
                    .map(|item| HandoutItem {
                        id: &item.id,
                        lead: fill(&item.lead),
                        text: fill(&item.text),
                        caution: false,
                        picture: item.picture.as_ref().map(|named| &named.picture),
                    })
                    .collect(),
            });
        }
        // A caution prints once, after the first item it goes with.
        for caution in topic.sections.iter().flat_map(|section| &section.items) {
            if !caution.is_caution() {
                continue;
            }
            let first = sections.iter().enumerate().find_map(|(s, section)| {
                section
                    .items
                    .iter()
                    .position(|item| {
                        caution
                            .shown_with
                            .iter()
                            .any(|id| topic_id(topic, id) == item.id)
                    })
                    .map(|i| (s, i))
            });
            if let Some((s, i)) = first {
                sections[s].items.insert(
                    i + 1,
                    HandoutItem {
                        id: &caution.id,
                        lead: fill(&caution.lead),
                        text: fill(&caution.text),
                        caution: true,
                        picture: caution.picture.as_ref().map(|named| &named.picture),
                    },
                );
            }
        }
        let picked = sections
            .iter()
            .filter(|section| section.role == SectionRole::Choose)
            .map(|section| {
                let ids = section.items.iter().filter(|item| !item.caution);
                (section.key, ids.map(|item| item.id).collect())
            })
            .collect();
        let by_default = topic
            .sections
            .iter()
            .filter(|section| {
                section.role == SectionRole::Choose && *picks.get(&section.key) == Choice::Defaults
            })
            .map(|section| section.key.as_str())
            .collect();
        sections.retain(|section| !section.items.is_empty());

        let weeks = match patient.pregnancy {
            None => None,
            Some(Pregnancy::Weeks(weeks)) => Some(weeks),
            Some(Pregnancy::DueDate(due)) => Some(weeks_from_due_date(due, date)?),
        };
        let field = |kind, value: String| Field {
            kind,
            label: None,
            value: Some(value),
            name: None,
        };
        let byline = match &patient.name {
            Some(name) => {
                let mut byline = vec![Field {
                    name: labels
                        .prepared_for
                        .find("{name}")
                        .map(|start| start..start + name.len()),
                    ..field(
                        FieldKind::Patient,
                        labels.prepared_for.replace("{name}", name),
                    )
                }];
                match weeks {
                    Some(1) => byline.push(field(FieldKind::Weeks, labels.one_week.clone())),
                    Some(weeks) => byline.push(field(
                        FieldKind::Weeks,
                        labels.weeks.replace("{weeks}", &weeks.to_string()),
                    )),
                    None => {}
                }
                byline.push(field(FieldKind::Date, format_date(date, labels)));
                byline
            }
            // A sheet without a name is photocopied for the waiting room and
            // handed out for weeks: today's date would soon be wrong, so the
            // midwife writes in the name, the weeks and the day.
            None => vec![
                Field {
                    kind: FieldKind::Patient,
                    label: Some(&labels.name),
                    name: None,
                    value: None,
                },
                Field {
                    kind: FieldKind::Weeks,
                    label: Some(&labels.weeks_label),
                    name: None,
                    value: weeks.map(|weeks| weeks.to_string()),
                },
                Field {
                    kind: FieldKind::Date,
                    label: Some(&labels.date),
                    name: None,
                    value: None,
                },
            ],
        };

        let midwife = patient.midwife.clone().or_else(|| practice.midwife.clone());
        let mut footer = vec![Field {
            kind: FieldKind::Midwife,
            label: Some(&labels.midwife),
            name: midwife.as_ref().map(|name| 0..name.len()),
            value: midwife,
        }];
        if let Some(name) = &practice.name {
            footer.push(field(FieldKind::Practice, name.clone()));
        }
        footer.push(Field {
            kind: FieldKind::Phone,
            label: Some(&labels.phone),
            value: practice.phone.clone(),
            name: None,
        });

        let approval = practice.sign_off(topic).approved().cloned();
        Ok(Handout {
            topic: &topic.id,
            language: &topic.language,
            wording: topic.wording_tag(wording),
            version: topic.review.version,
            title: &topic.title,
            byline,
            intro: &topic.intro,
            sections,
            picked,
            by_default,
            note: patient
                .note
                .clone()
                .map(|note| (labels.note.as_str(), note)),
            note_language: None,
            footer,
            address: practice.address.clone(),
            more_info: practice
                .more_info
                .as_ref()
                .or(topic.more_info.as_ref())
                .map(|address| (labels.more_info.as_str(), address.clone())),
            review: review_line(&topic.review, labels, approval.as_ref()),
            approval,
            draft: draft_lines(topic),
            sides: [&labels.first_side, &labels.second_side],
            continued: &labels.continued,
            date,
            pregnancy: patient.pregnancy,
        })
    }

    /// The ids printed from a section, in order, cautions aside.
    pub fn printed_ids(&self, key: &str) -> Vec<&str> {
        self.sections
            .iter()
            .filter(|section| section.key == key)
            .flat_map(|section| section.items.iter())
            .filter(|item| !item.caution)
            .map(|item| item.id)
            .collect()
    }

    /// What was picked, as a record such as a manifest keeps it:
    /// `prevention=walking,fluids; treatment=warm-bath`, every `choose`
    /// section of the topic, in order, an empty one too.
    pub fn picks_record(&self) -> String {
        self.picked
            .iter()
            .map(|(key, ids)| format!("{key}={}", ids.join(",")))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// "Leaflet version 3 · reviewed November 2026 · review due November 2028",
/// the parts the review record gives; the practice's approval, when it has
/// one, in place of the file's own review, which it outranks for the
/// patient (and which `handout topics` still shows).
fn review_line(review: &Review, labels: &Labels, approval: Option<&Approval>) -> String {
    let month_year = |date: Date| {
        labels
            .month_year
            .replace("{month}", month_name(date, labels))
            .replace("{year}", &date.year().to_string())
    };
    let mut parts = vec![
        labels
            .leaflet_version
            .replace("{version}", &review.version.to_string()),
    ];
    match (approval, review.status) {
        // The practice's name is in the footer's line above: the record
        // leaves it out, so that it stays one line at 12 pt.
        (Some(approval), _) => parts.push(
            labels
                .approved
                .replace("{by}", &approval.by)
                .replace("{date}", &month_year(approval.on)),
        ),
        (None, Status::Reviewed) => {
            if let Some(on) = review.reviewed_on {
                parts.push(labels.reviewed.replace("{date}", &month_year(on)));
            }
        }
        (None, Status::Checked) => {
            if let Some(on) = review.checked_on {
                parts.push(labels.checked.replace("{date}", &month_year(on)));
            }
        }
        (None, Status::Draft) => {}
    }
    if let Some(due) = review.review_due {
        parts.push(labels.review_due.replace("{date}", &month_year(due)));
    }
    parts.join(" · ")
}

/// The draft line, in the topic's language and in English.
fn draft_lines(topic: &Topic) -> Vec<String> {
    if !topic.review.is_draft() {
        return Vec::new();
    }
    /// The English draft line, read from the built-in labels once.
    static ENGLISH: LazyLock<String> = LazyLock::new(|| {
        Labels::builtin("en")
            .expect("English labels are built in")
            .draft
    });
    let mut lines = vec![topic.labels.draft.clone()];
    if !lines.contains(&ENGLISH) {
        lines.push(ENGLISH.clone());
    }
    lines
}

/// "25 November 2026".
pub fn format_date(date: Date, labels: &Labels) -> String {
    labels
        .date_format
        .replace("{day}", &date.day().to_string())
        .replace("{month}", month_name(date, labels))
        .replace("{year}", &date.year().to_string())
}

/// The name of `date`'s month in the labels' language.
fn month_name(date: Date, labels: &Labels) -> &str {
    labels
        .months
        .get(usize::from(date.month() as u8) - 1)
        .map_or("", String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    /// The built-in English topic, parsed once for every test.
    pub(super) fn topic() -> &'static Topic {
        static TOPIC: std::sync::LazyLock<Topic> =
            std::sync::LazyLock::new(|| Topic::builtin().remove(0));
        &TOPIC
    }

    /// A blank handout of the built-in topic for `practice`.
    fn for_practice(practice: &Practice) -> Handout<'static> {
        Handout::resolve(
            topic(),
            practice,
            &Patient::default(),
            &Picks::new(),
            date(2026, 11, 25),
            None,
        )
        .unwrap()
    }

    pub(super) fn resolve(
        patient: &Patient,
        picks: &Picks,
    ) -> Result<Handout<'static>, InputError> {
        Handout::resolve(
            topic(),
            &Practice::default(),
            patient,
            picks,
            date(2026, 11, 25),
            None,
        )
    }

    #[test]
    fn defaults_and_chosen_items_print_in_topic_order() {
        let handout = resolve(&Patient::default(), &Picks::new()).unwrap();
        let topic = topic();
        for key in ["prevention", "treatment"] {
            let defaults: Vec<&str> = topic
                .section(key)
                .unwrap()
                .defaults()
                .map(|item| item.id.as_str())
                .collect();
            assert_eq!(handout.printed_ids(key), defaults, "{key}");
        }
        assert!(!handout.printed_ids("prevention").contains(&"support-belt"));

        let picks = Picks::new()
            .with("prevention", Choice::parse("calf-stretches,walking"))
            .with("treatment", Choice::parse("none"));
        let handout = resolve(&Patient::default(), &picks).unwrap();
        assert_eq!(
            handout.printed_ids("prevention"),
            ["walking", "calf-stretches"]
        );
        assert!(handout.printed_ids("treatment").is_empty());
        assert_eq!(handout.sections.last().unwrap().role, SectionRole::Urgent);
        assert_eq!(handout.printed_ids("when-to-call").len(), 3);
    }

    /// The fields' values, `None` for a write-in line.
    fn values<'a>(fields: &'a [Field<'_>]) -> Vec<Option<&'a str>> {
        fields.iter().map(|field| field.value.as_deref()).collect()
    }

    #[test]
    fn named_byline_has_only_the_given_parts() {
        let patient = Patient {
            name: Some("Ana López".into()),
            ..Patient::default()
        };
        let handout = resolve(&patient, &Picks::new()).unwrap();
        assert_eq!(
            values(&handout.byline),
            [Some("Prepared for Ana López"), Some("25 November 2026")]
        );
        let patient = Patient {
            name: Some("Ana López".into()),
            pregnancy: Some(Pregnancy::DueDate(date(2027, 2, 17))),
            ..Patient::default()
        };
        let handout = resolve(&patient, &Picks::new()).unwrap();
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
            handout
                .byline
                .iter()
                .map(|f| f.label.map(str::to_string))
                .collect()
        };
        let blank = resolve(&Patient::default(), &Picks::new()).unwrap();
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
            let handout = resolve(&patient, &Picks::new()).unwrap();
            assert_eq!(labels(&handout), labels(&blank));
            assert_eq!(values(&handout.byline), [None, Some("28"), None]);
        }
    }

    #[test]
    fn the_footer_records_the_version_and_review_of_the_text() {
        let handout = resolve(&Patient::default(), &Picks::new()).unwrap();
        // The built-in English was checked against its sources; no
        // clinician reviewed it, and its footer does not say one did.
        assert_eq!(
            handout.review,
            "Leaflet version 4 · checked against its sources December 2026 · review due \
             December 2028"
        );
        assert!(!handout.review.contains("reviewed"));
        assert_eq!(handout.approval, None);
        assert!(handout.draft.is_empty());

        let reviewed = crate::topic::LEG_CRAMPS_EN.replacen(
            "status = \"checked\"\nchecked-on",
            "status = \"reviewed\"\nreviewed-by = \"Consultant midwife\"\nreviewed-on",
            1,
        );
        let topic = Topic::parse("t.toml", &reviewed).unwrap();
        let handout = Handout::resolve(
            &topic,
            &Practice::default(),
            &Patient::default(),
            &Picks::new(),
            date(2026, 11, 25),
            None,
        )
        .unwrap();
        assert_eq!(
            handout.review,
            "Leaflet version 4 · reviewed December 2026 · review due December 2028"
        );

        let draft = crate::topic::LEG_CRAMPS_EN
            .replacen("version = 4", "version = 5", 1)
            .replacen("status = \"checked\"", "status = \"draft\"", 1);
        let topic = Topic::parse("t.toml", &draft).unwrap();
        let handout = Handout::resolve(
            &topic,
            &Practice::default(),
            &Patient::default(),
            &Picks::new(),
            date(2026, 11, 25),
            None,
        )
        .unwrap();
        // A draft was never reviewed, whatever the file says of its last
        // review; its next is still due.
        assert_eq!(
            handout.review,
            "Leaflet version 5 · review due December 2028"
        );
        assert_eq!(handout.draft, ["Draft: not yet clinically reviewed"]);
    }

    #[test]
    fn the_footer_says_the_practice_approved_this_text_and_only_this_one() {
        let entry = |sha256: &str| {
            format!(
                "[[approval]]\ntopic = \"leg-cramps\"\nlanguage = \"en\"\nversion = 2\n\
                 sha256 = \"{sha256}\"\nby = \"the Lead Midwife\"\non = 2026-12-06\n"
            )
        };
        let approved = entry(&topic().sha256);
        let named = format!("name = \"Riverside Midwifery Practice\"\n{approved}");
        let practice = Practice::parse("p.toml", &named).unwrap();
        let handout = for_practice(&practice);
        assert_eq!(
            handout.review,
            "Leaflet version 4 · approved by the Lead Midwife, December 2026 · review due \
             December 2028"
        );
        assert_eq!(handout.approval.as_ref(), practice.approvals.first());
        // The practice is named in the footer's fields, not again here.
        assert_eq!(
            values(&handout.footer)[1],
            Some("Riverside Midwifery Practice")
        );

        // Another text's approval claims nothing.
        let practice = Practice::parse("p.toml", &entry(&"0".repeat(64))).unwrap();
        let handout = for_practice(&practice);
        assert_eq!(handout.approval, None);
        assert!(
            handout.review.contains("checked against its sources"),
            "{}",
            handout.review
        );
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
        let blank = resolve(&Patient::default(), &Picks::new()).unwrap();
        assert!(text(&blank).contains("Call your local emergency number now"));
        assert!(!text(&blank).contains('{'));
        let practice = Practice {
            emergency: Some("911".into()),
            ..Practice::default()
        };
        let handout = for_practice(&practice);
        assert!(text(&handout).contains("Call 911 now"));
    }

    #[test]
    fn footer_leaves_write_in_lines_for_what_is_missing() {
        let blank = resolve(&Patient::default(), &Picks::new()).unwrap();
        assert_eq!(blank.footer.len(), 2);
        assert!(blank.footer.iter().all(|field| field.value.is_none()));
        let practice = Practice {
            name: Some("Riverside".into()),
            phone: Some("01632 960 123".into()),
            midwife: Some("Jo Smith".into()),
            ..Practice::default()
        };
        let handout = for_practice(&practice);
        assert_eq!(
            values(&handout.footer),
            [Some("Jo Smith"), Some("Riverside"), Some("01632 960 123")]
        );
        // A practice with no phone leaves a line to write it on, labelled.
        let practice = Practice {
            phone: None,
            ..practice
        };
        let handout = for_practice(&practice);
        assert_eq!(
            values(&handout.footer),
            [Some("Jo Smith"), Some("Riverside"), None]
        );
        let phone = &handout.footer[2];
        assert_eq!((phone.kind, phone.label), (FieldKind::Phone, Some("Phone")));
    }
}

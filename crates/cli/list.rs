//! `handout list`: the topics there are, or one topic's sections and every
//! item id, with the defaults marked and the hints a midwife needs.

use std::io::Write;

use handout_content::{Origin, Practice, SectionRole, Topic};

use crate::Failure;
use crate::args::ListArgs;
use crate::content;
use crate::files::Inputs;

/// `handout list [TOPIC]`: exits 1 when a topic file listed is broken.
pub fn list(args: &ListArgs) -> Result<u8, Failure> {
    let (practice, library) = content::load(&args.content, &mut Inputs::default())?;
    let mut out = String::new();
    // One topic, in however many languages: show it, in the one asked for
    // or its default.
    let mut ids: Vec<&str> = library.entries().iter().map(|e| e.id.as_str()).collect();
    ids.dedup();
    let one = args.topic.is_some() || ids.len() == 1;
    let mut code = 0;
    if one {
        let topic = library
            .topic(args.topic.as_deref(), args.language.as_deref())
            .map_err(|error| {
                Failure::not_made(error).with_hint("`handout list` shows every topic")
            })?;
        let origin = library
            .entries()
            .iter()
            .find(|entry| entry.id == topic.id && entry.language == topic.language)
            .map_or(Origin::Builtin, |entry| entry.origin.clone());
        describe(&mut out, topic, &origin, &practice);
        let others: Vec<&str> = library
            .entries()
            .iter()
            .filter(|entry| entry.id == topic.id && entry.language != topic.language)
            .map(|entry| entry.language.as_str())
            .collect();
        if topic
            .sections
            .iter()
            .any(|section| section.role == SectionRole::Choose)
        {
            out.push_str(
                "\n`all` picks every item of a section that has no hint under it; an item \
                 with a hint is picked by its id.\n",
            );
        }
        if !others.is_empty() {
            out.push_str(&format!(
                "\nAlso in: {} (`handout list {} --language LANG`).\n",
                others.join(", "),
                topic.id
            ));
        }
    } else {
        for entry in library.entries() {
            match &entry.topic {
                Ok(topic) => out.push_str(&format!(
                    "{} ({}, {}; {})\n",
                    topic.title, topic.id, topic.language, entry.origin
                )),
                Err(error) => {
                    code = 1;
                    out.push_str(&format!(
                        "{} ({}; {}) is broken: {error}\n",
                        entry.id, entry.language, entry.origin
                    ));
                }
            }
        }
        out.push_str("\n`handout list TOPIC` shows a topic's sections and item ids.\n");
    }
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`handout list | head`) is not an error worth reporting.
    let _ = stdout.write_all(out.as_bytes());
    Ok(code)
}

/// What the id column shows for a caution, which is printed with the
/// items it goes with and never picked.
const CAUTION: &str = "(caution)";

/// A topic's sections and items, as `handout list TOPIC` shows them.
fn describe(out: &mut String, topic: &Topic, origin: &Origin, practice: &Practice) {
    let emergency = practice
        .emergency
        .as_deref()
        .unwrap_or(&topic.labels.emergency_fallback);
    let wording = practice.wording_of(topic);
    out.push_str(&format!(
        "{} ({}, {}; {origin})\n",
        topic.title, topic.id, topic.language
    ));
    for section in &topic.sections {
        let how = match section.role {
            SectionRole::Choose => format!(
                "--pick {}=IDS or all; * = printed when nothing is picked",
                section.key
            ),
            SectionRole::Info => "explains; printed as it is".to_string(),
            SectionRole::Urgent => "always printed whole, in the warning box".to_string(),
        };
        out.push_str(&format!("\n{} ({how})\n", section.heading));
        let width = section
            .items
            .iter()
            .map(|item| {
                if item.is_caution() {
                    CAUTION.len()
                } else {
                    item.id.len()
                }
            })
            .max()
            .unwrap_or(0);
        for item in &section.items {
            let mark = if section.role == SectionRole::Choose && item.default && !item.is_caution()
            {
                "*"
            } else {
                " "
            };
            let lead = topic.worded(&item.lead, wording);
            let lead = lead.trim_end_matches([':', '.']);
            let lead = lead.replace("{emergency}", emergency);
            // A caution is never picked, so its id is not shown as one.
            let id = if item.is_caution() { CAUTION } else { &item.id };
            out.push_str(&format!("  {mark} {id:<width$}  {lead}\n"));
            if item.is_caution() {
                out.push_str(&format!(
                    "      {:<width$}  printed with {}; not picked itself\n",
                    "",
                    item.shown_with.join(", ")
                ));
            }
            if let Some(hint) = &item.midwife_hint {
                out.push_str(&format!("      {:<width$}  {hint}\n", ""));
            }
            if !item.aliases.is_empty() {
                out.push_str(&format!(
                    "      {:<width$}  (also: {})\n",
                    "",
                    item.aliases.join(", ")
                ));
            }
        }
    }
}

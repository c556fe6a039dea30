//! `handout approve`: a leaflet's whole text, for the practice's clinical
//! lead to read before approving it, and the `[[approval]]` entry to paste
//! into the practice file once she does. It writes nothing: the lead's
//! sign-off is hers to record.

use std::fmt::Write as _;
use std::io::Write as _;

use handout_content::{
    Origin, Patient, Picks, Practice, SectionRole, SignOff, Source, Topic, approval_entry,
    check_name,
};

use crate::Failure;
use crate::args::ApproveArgs;
use crate::content;
use crate::files::Inputs;
use crate::render::{CONTENT_HINT, LIST_HINT};

/// How wide the text is wrapped, for a terminal or a printout.
const WIDTH: usize = 78;

/// `handout approve TOPIC`: prints the text and the entry; exits 1 for a
/// draft, which is not approved.
pub fn approve(args: &ApproveArgs) -> Result<u8, Failure> {
    let by = match &args.by {
        Some(by) => Some(
            check_name("--by", by)
                .map_err(Failure::usage)?
                .ok_or_else(|| {
                    Failure::usage(
                        "--by is empty; give the name or role of who approves the leaflet, such \
                         as --by \"the Lead Midwife\"",
                    )
                })?,
        ),
        None => None,
    };
    let (practice, library) = content::load(&args.content, &mut Inputs::default())?;
    let topic = library
        .topic(Some(&args.topic), args.language.as_deref())
        .map_err(|error| match error {
            handout_content::LookupError::Broken(_) => {
                Failure::not_made(error).with_hint(CONTENT_HINT)
            }
            _ => Failure::not_made(error).with_hint(LIST_HINT),
        })?;
    if topic.review.is_draft() {
        return Err(Failure::not_made(format!(
            "{} is a draft, not yet clinically reviewed, so it is not approved: a draft \
             translation needs a clinician who reads its language to review it first",
            topic.name()
        ))
        .with_hint(
            "have that clinician review it, mark it status = \"reviewed\" with reviewed-by, \
             reviewed-on and review-due in the practice's own copy (in its --content folder), \
             then run handout approve on that copy",
        ));
    }
    let origin = library
        .entries()
        .iter()
        .find(|entry| entry.id == topic.id && entry.language == topic.language)
        .map_or(Origin::Builtin, |entry| entry.origin.clone());
    let today = crate::today();
    let file = args
        .content
        .practice
        .as_ref()
        .map(|path| format!("the practice file, {}", path.display()));
    let out = describe(
        topic,
        &origin,
        &practice,
        by.as_deref(),
        today,
        file.as_deref(),
    );
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`handout approve leg-cramps | less`) is not an error
    // worth reporting.
    let _ = stdout.write_all(out.as_bytes());
    Ok(0)
}

/// The whole of what `approve` prints.
fn describe(
    topic: &Topic,
    origin: &Origin,
    practice: &Practice,
    by: Option<&str>,
    today: handout_content::Date,
    file: Option<&str>,
) -> String {
    let mut out = String::new();
    let review = &topic.review;
    let status = review.describe();
    let _ = writeln!(
        out,
        "{}\n{} ({}; {origin}), version {}, {status}",
        topic.title, topic.id, topic.language, review.version
    );
    if let Some(due) = review.review_due {
        let _ = writeln!(out, "review due {due}");
    }
    let _ = writeln!(out, "SHA-256 of its file: {}", topic.sha256);
    let _ = match practice.sign_off(topic) {
        SignOff::Approved(approval) => writeln!(
            out,
            "This practice approved this very text: by {} on {}.",
            approval.by, approval.on
        ),
        SignOff::Lapsed(approval) => writeln!(
            out,
            "This practice approved another text of it (version {}, by {} on {}): that \
             approval no longer counts.",
            approval.version, approval.by, approval.on
        ),
        SignOff::NotApproved => writeln!(out, "This practice has not approved it."),
    };
    out.push_str(&wrap(
        "Below is every word a patient can be given from this leaflet, with each item's id, \
         its sources and the hint the midwife sees (never printed). Items marked * print on \
         every leaflet, or, where the midwife picks, when she picks nothing; she can pick \
         the others.",
        "",
    ));

    let emergency = practice
        .emergency
        .as_deref()
        .unwrap_or(&topic.labels.emergency_fallback);
    let fill = |text: &str| text.replace("{emergency}", emergency);
    let _ = writeln!(out, "\nTITLE\n{}", wrap(&topic.title, "  ").trim_end());
    let _ = writeln!(out, "\nINTRO\n{}", wrap(&topic.intro, "  ").trim_end());
    if !topic.terms.is_empty() {
        let tags: Vec<&str> = (0..=topic.wordings.len())
            .map(|index| topic.wording_tag(index))
            .collect();
        let _ = writeln!(
            out,
            "\nWORDS FOR EACH COUNTRY\n  (a {{term}} in the text below prints in the words of \
             the wording printed: {})",
            tags.join(", ")
        );
        for term in &topic.terms {
            let words: Vec<String> = tags
                .iter()
                .zip(&term.words)
                .map(|(tag, words)| format!("{tag} \"{words}\""))
                .collect();
            out.push_str(&wrap(
                &format!("{{{}}}: {}", term.name, words.join("; ")),
                "  ",
            ));
        }
    }
    for section in &topic.sections {
        let how = match section.role {
            SectionRole::Info => "explains: * prints on every leaflet, the others never",
            SectionRole::Choose => "the midwife picks: * prints when she picks nothing",
            SectionRole::Urgent => "the warning box: printed whole on every leaflet",
        };
        let _ = writeln!(
            out,
            "\n{}\n  (section {}, {}: {how})",
            section.heading.to_uppercase(),
            section.key,
            section.role.key()
        );
        for item in &section.items {
            let printed =
                !item.is_caution() && (section.role == SectionRole::Urgent || item.default);
            let _ = writeln!(out, "\n  {} {}", if printed { "*" } else { "-" }, item.id);
            out.push_str(&wrap(
                &format!("{} {}", fill(&item.lead), fill(&item.text)),
                "      ",
            ));
            if item.is_caution() {
                let _ = writeln!(
                    out,
                    "      (a caution, printed after the first of {} that prints)",
                    item.shown_with.join(", ")
                );
            }
            if !item.aliases.is_empty() {
                let _ = writeln!(out, "      (also known as: {})", item.aliases.join(", "));
            }
            if let Some(hint) = &item.midwife_hint {
                out.push_str(&wrap(&format!("for the midwife: {hint}"), "      "));
            }
            for key in &item.sources {
                let source = topic.sources.iter().find(|source| &source.key == key);
                out.push_str(&wrap(
                    &format!("source: {}", source.map_or_else(|| key.clone(), cite)),
                    "      ",
                ));
            }
        }
    }

    let entry = approval_entry(topic, by, today);
    let _ = writeln!(
        out,
        "\nOnce you have read it and approve it, add this to {}{}:\n\n{entry}",
        file.unwrap_or("the practice file"),
        if by.is_none() {
            ", with your name or role as the footer should print it after \"approved by\" \
             in place of the FILL IN line (the practice file is refused until you do)"
        } else {
            ""
        }
    );
    if let Some(by) = by {
        let line = approved_line(topic, practice, by, today);
        let _ = write!(out, "Its footer will then read:\n{}", wrap(&line, "  "));
    }
    out
}

/// The footer's record of the text once this approval counts.
fn approved_line(
    topic: &Topic,
    practice: &Practice,
    by: &str,
    on: handout_content::Date,
) -> String {
    let approval = handout_content::Approval {
        topic: topic.id.clone(),
        language: topic.language.clone(),
        version: topic.review.version,
        sha256: topic.sha256.clone(),
        by: by.to_string(),
        on,
    };
    let approving = Practice {
        approvals: vec![approval],
        ..practice.clone()
    };
    handout_content::Handout::resolve(
        topic,
        &approving,
        &Patient::default(),
        &Picks::new(),
        on,
        None,
    )
    .map(|handout| handout.review)
    .unwrap_or_default()
}

/// "nhs-dvt: Deep vein thrombosis (NHS, 2024) https://…".
fn cite(source: &Source) -> String {
    let mut cite = format!("{}: {}", source.key, source.title);
    let details: Vec<String> = source
        .publisher
        .iter()
        .cloned()
        .chain(source.year.map(|year| year.to_string()))
        .collect();
    if !details.is_empty() {
        let _ = write!(cite, " ({})", details.join(", "));
    }
    if let Some(url) = &source.url {
        let _ = write!(cite, " {url}");
    }
    cite
}

/// `text` broken into lines of at most [`WIDTH`] characters (a longer word
/// stands alone), each after `indent`, each ending in a line break.
fn wrap(text: &str, indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let fits =
            indent.chars().count() + line.chars().count() + 1 + word.chars().count() <= WIDTH;
        if !line.is_empty() && !fits {
            let _ = writeln!(out, "{indent}{line}");
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        let _ = writeln!(out, "{indent}{line}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_wrapped_at_words() {
        let text = "word ".repeat(40);
        let wrapped = wrap(&text, "  ");
        assert!(wrapped.lines().all(|line| line.chars().count() <= WIDTH));
        assert_eq!(wrapped.split_whitespace().count(), 40);
        assert_eq!(wrap("", "  "), "");
    }

    #[test]
    fn the_whole_text_and_its_entry_are_shown() {
        let topic = Topic::builtin().remove(0);
        let practice = Practice {
            name: Some("Riverside Midwifery Practice".into()),
            ..Practice::default()
        };
        let today = jiff::civil::date(2026, 12, 6);
        let out = describe(
            &topic,
            &Origin::Builtin,
            &practice,
            Some("the Lead Midwife"),
            today,
            None,
        );
        let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
        for item in topic.sections.iter().flat_map(|section| &section.items) {
            let lead = item
                .lead
                .replace("{emergency}", "your local emergency number");
            assert!(flat.contains(&lead), "{}", item.id);
            if let Some(hint) = &item.midwife_hint {
                let hint = hint.split_whitespace().collect::<Vec<_>>().join(" ");
                assert!(flat.contains(&hint), "{}", item.id);
            }
        }
        assert!(out.contains(&format!("SHA-256 of its file: {}", topic.sha256)));
        assert!(out.contains("\n  - support-belt\n"), "{out}");
        assert!(out.contains("\n  * walking\n"), "{out}");
        // Every wording's words are shown, each once.
        assert!(
            flat.contains(
                "{painkiller}: en \"Paracetamol (acetaminophen)\"; en-GB \"Paracetamol\"; \
                 en-US \"Acetaminophen\""
            ),
            "{out}"
        );
        assert!(
            flat.ends_with(
                "Its footer will then read: Leaflet version 4 · approved by the Lead Midwife, \
                 December 2026 · review due December 2028"
            ),
            "{out}"
        );
    }
}

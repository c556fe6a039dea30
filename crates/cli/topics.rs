//! `handout topics`: every topic and language there is, where it comes
//! from, which version of its text it is, whether a clinician has reviewed
//! it and when it is due again, whether the practice's clinical lead
//! approved it, and whether it can be used at all.

use std::io::Write;

use handout_content::{Date, Practice, Review, SignOff, Topic, approve_command};

use crate::Failure;
use crate::args::TopicsArgs;
use crate::check::DUE_SOON_DAYS;
use crate::content;
use crate::files::Inputs;

/// `handout topics`: exits 1 when a topic file is broken or past its
/// review date.
pub fn topics(args: &TopicsArgs) -> Result<u8, Failure> {
    let (practice, library) = content::load(&args.content, &mut Inputs::default())?;
    let today = crate::today();
    let mut out = String::new();
    let mut code = 0;
    for entry in library.entries() {
        let head = format!("{} ({}; {})", entry.id, entry.language, entry.origin);
        match &entry.topic {
            Err(error) => {
                code = 1;
                out.push_str(&format!("{head}\n    broken: {error}\n"));
            }
            Ok(topic) => {
                let review = &topic.review;
                let mut state = format!("version {}, {}", review.version, review.describe());
                if review.is_draft() {
                    state.push_str("; batch prints it only with --allow-draft");
                }
                if let Some(from) = &topic.translated_from {
                    state.push_str(&format!("; translated from {from}"));
                }
                out.push_str(&format!("{head}: {}\n    {state}\n", topic.title));
                if let Some(line) = due_line(review, today) {
                    out.push_str(&format!("    {line}\n"));
                }
                out.push_str(&format!("    {}\n", approval_line(&practice, topic)));
                if review.is_overdue(today) {
                    code = 1;
                }
            }
        }
    }
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`handout topics | head`) is not an error worth reporting.
    let _ = stdout.write_all(out.as_bytes());
    Ok(code)
}

/// "review due 2028-11-27", with how urgent it is; none without a date.
fn due_line(review: &Review, today: Date) -> Option<String> {
    let due = review.review_due?;
    Some(if review.is_overdue(today) {
        format!(
            "REVIEW OVERDUE: it was due on {due}; have it reviewed before it is given out again"
        )
    } else if review.is_due_within(today, DUE_SOON_DAYS) {
        let days = today.until(due).map_or(0, |span| span.get_days());
        format!("review due {due}, in {days} days")
    } else {
        format!("review due {due}")
    })
}

/// Whether the practice's clinical lead approved the text as it now is.
fn approval_line(practice: &Practice, topic: &Topic) -> String {
    match practice.sign_off(topic) {
        SignOff::Approved(approval) => format!(
            "approved for the practice by {} on {}",
            approval.by, approval.on
        ),
        SignOff::Lapsed(_) => format!(
            "APPROVAL LAPSED: {}",
            practice
                .approval_warning(topic)
                .map(|warning| warning.to_string())
                .unwrap_or_default()
        ),
        SignOff::NotApproved if practice.origin.is_none() => {
            "not approved: no practice file is given (--practice FILE), where a practice's \
             clinical lead records an approval"
                .to_string()
        }
        SignOff::NotApproved if topic.review.is_draft() => {
            "not approved by the practice: a draft is approved once a clinician who reads its \
             language has reviewed it"
                .to_string()
        }
        SignOff::NotApproved => format!(
            "not approved by the practice: `{}` shows its text and the [[approval]] entry to add",
            approve_command(topic)
        ),
    }
}

//! `handout check`: what a practice needs to know of its leaflets before a
//! patient sees one. Each topic file is checked whole: every problem of the
//! content model, located at file:line:col; a translation against the file
//! it translates; its review dates; and, for English, the reading age its
//! SMOG grade stands for, with the hardest sentences and, item by item, the
//! long words and sentences.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use handout_content::picture::Picture;
use handout_content::readability::{self, Hint, LONG_SENTENCE_WORDS};
use handout_content::{
    ContentError, Date, Entry, Library, Origin, Readability, ReadingAge, ReviewWarning, Status,
    Topic, approve_command,
};

use crate::Failure;
use crate::args::CheckArgs;
use crate::content;
use crate::files::Inputs;

/// How close a review date must be to be called soon, in days.
pub const DUE_SOON_DAYS: i32 = 60;

/// How many of the hardest sentences to show.
const HARDEST: usize = 5;

/// The SMOG grade a leaflet should aim for (reading age about 11 to 12), as
/// the AMA and the US HHS ask; `--max-grade` only sets where a file fails.
const AIM_GRADE: f64 = 6.0;

/// `handout check`: exits 1 when a file has an error or reads above the
/// grade allowed.
pub fn check(args: &CheckArgs) -> Result<u8, Failure> {
    let today = match &args.date {
        Some(date) => handout_content::parse_date("date", date)
            .map_err(|error| Failure::usage(format!("--date: {error}")))?,
        None => crate::today(),
    };
    if !(args.max_grade > 0.0 && args.max_grade.is_finite()) {
        return Err(Failure::usage(format!(
            "--max-grade {} is not a grade; give one such as 8",
            args.max_grade
        )));
    }
    let mut inputs = Inputs::default();
    let (_, mut library) = content::load(&args.content, &mut inputs)?;
    // With paths, only their files are reported; the built-ins and the
    // practice's folder are there for their translations to be checked
    // against.
    let mut named: Option<BTreeSet<String>> = None;
    if !args.paths.is_empty() {
        let mut origins = BTreeSet::new();
        for path in &args.paths {
            origins.extend(add_path(&mut library, path, &mut inputs)?);
        }
        library.check_translations();
        named = Some(origins);
    }
    let mut report = String::new();
    let mut tally = Tally::default();
    for entry in library.entries() {
        let wanted = match (&named, &entry.origin) {
            (None, _) => true,
            (Some(origins), Origin::File(origin)) => origins.contains(origin),
            (Some(_), Origin::Builtin) => false,
        };
        if wanted {
            check_entry(entry, today, args.max_grade, &mut report, &mut tally);
        }
    }
    for (name, origin, picture) in library.pictures().files() {
        if named
            .as_ref()
            .is_none_or(|origins| origins.contains(origin))
        {
            check_picture(name, origin, picture, &mut report, &mut tally);
        }
    }
    report.push_str(&tally.summary(args.max_grade));
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`handout check | head`) is not an error worth reporting.
    let _ = stdout.write_all(report.as_bytes());
    Ok(u8::from(tally.broken + tally.too_hard + tally.overdue > 0))
}

/// Adds a file or every topic file of a folder; the origins added.
fn add_path(
    library: &mut Library,
    path: &Path,
    inputs: &mut Inputs,
) -> Result<Vec<String>, Failure> {
    if path.is_dir() {
        return content::add_folder(library, path, inputs);
    }
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    content::add_file(library, path, &name, inputs)?;
    Ok(vec![path.display().to_string()])
}

/// What the files checked came to.
#[derive(Default)]
struct Tally {
    files: usize,
    broken: usize,
    too_hard: usize,
    overdue: usize,
    warnings: usize,
}

impl Tally {
    fn summary(&self, max_grade: f64) -> String {
        let mut parts = Vec::new();
        if self.broken > 0 {
            parts.push(format!("{} with errors", self.broken));
        }
        if self.too_hard > 0 {
            parts.push(format!(
                "{} too hard to read (above SMOG grade {max_grade})",
                self.too_hard
            ));
        }
        if self.overdue > 0 {
            parts.push(format!("{} past its review date", self.overdue));
        }
        match self.warnings {
            0 => {}
            1 => parts.push("1 warning".to_string()),
            count => parts.push(format!("{count} warnings")),
        }
        let files = match self.files {
            1 => "1 file".to_string(),
            count => format!("{count} files"),
        };
        if parts.is_empty() {
            format!("checked {files}: all good\n")
        } else {
            format!("checked {files}: {}\n", parts.join(", "))
        }
    }
}

/// The name a file's lines are given by: its path, or a built-in's name.
fn file_name(entry: &Entry) -> String {
    match &entry.origin {
        Origin::Builtin => format!("{}.{}.toml", entry.id, entry.language),
        Origin::File(path) => path.clone(),
    }
}

fn check_entry(entry: &Entry, today: Date, max_grade: f64, out: &mut String, tally: &mut Tally) {
    tally.files += 1;
    let origin = match &entry.origin {
        Origin::Builtin => format!("built-in {}", file_name(entry)),
        Origin::File(path) => path.clone(),
    };
    let topic = match &entry.topic {
        Ok(topic) => topic,
        Err(first) => {
            tally.broken += 1;
            let errors = match entry.errors.is_empty() {
                true => std::slice::from_ref(first),
                false => &entry.errors[..],
            };
            let count = match errors.len() {
                1 => "1 error".to_string(),
                count => format!("{count} errors"),
            };
            let _ = writeln!(out, "{origin}: {count}");
            for error in errors {
                let _ = writeln!(out, "  error: {error}");
            }
            out.push('\n');
            return;
        }
    };
    let items: usize = topic
        .sections
        .iter()
        .map(|section| section.items.len())
        .sum();
    let _ = writeln!(
        out,
        "{origin}: {} ({}), version {}: {} sections, {items} items, each with its sources",
        topic.id,
        topic.language,
        topic.review.version,
        topic.sections.len()
    );
    review(topic, today, out, tally);
    grade(topic, &file_name(entry), max_grade, out, tally);
    out.push('\n');
}

/// One of the practice's pictures: that it reads, or why not.
fn check_picture(
    name: &str,
    origin: &str,
    picture: Result<&Picture, &ContentError>,
    out: &mut String,
    tally: &mut Tally,
) {
    tally.files += 1;
    match picture {
        Ok(picture) => {
            let shapes = match picture.shapes.len() {
                1 => "1 shape".to_string(),
                count => format!("{count} shapes"),
            };
            let _ = writeln!(out, "{origin}: picture '{name}', {shapes}\n");
        }
        Err(error) => {
            tally.broken += 1;
            let _ = writeln!(out, "{origin}: 1 error\n  error: {error}\n");
        }
    }
}

/// The review record: who reviewed it or what it was checked against, a
/// draft, a review past or coming soon.
fn review(topic: &Topic, today: Date, out: &mut String, tally: &mut Tally) {
    let review = &topic.review;
    match review.status {
        Status::Reviewed => {
            let _ = writeln!(out, "  {}", review.describe());
        }
        Status::Checked => {
            let _ = writeln!(
                out,
                "  {} (its footer says \"checked against its sources\"): a practice's clinical \
                 lead approves it with `{}`",
                review.describe(),
                approve_command(topic)
            );
        }
        Status::Draft => {}
    }
    if review.is_draft() {
        tally.warnings += 1;
        let _ = writeln!(
            out,
            "  warning: a draft, not yet clinically reviewed: have a clinician who reads '{}' \
             review it, then set status = \"reviewed\", reviewed-by, reviewed-on and review-due",
            topic.language
        );
    }
    let Some(due) = review.review_due else {
        return;
    };
    if review.is_overdue(today) {
        tally.overdue += 1;
        let _ = writeln!(
            out,
            "  error: {}",
            ReviewWarning::Overdue {
                topic: topic.name(),
                due
            }
        );
    } else if review.is_due_within(today, DUE_SOON_DAYS) {
        tally.warnings += 1;
        let days = today.until(due).map_or(0, |span| span.get_days());
        let _ = writeln!(
            out,
            "  warning: review due on {due}, in {days} days: arrange the clinician's review now"
        );
    } else {
        let _ = writeln!(out, "  review due {due}");
    }
}

/// The reading age, the hardest sentences and the hints by item.
fn grade(topic: &Topic, file: &str, max_grade: f64, out: &mut String, tally: &mut Tally) {
    let Some(readability) = Readability::of(topic) else {
        let _ = writeln!(
            out,
            "  reading age: not measured, as there is no formula here for '{}' (only for \
             English); have a reader of the language judge it",
            topic.language
        );
        return;
    };
    let grades = &readability.grades;
    let age = ReadingAge::of_grade(grades.smog);
    let aim = AIM_GRADE.min(max_grade);
    if grades.smog > max_grade {
        tally.too_hard += 1;
        let _ = writeln!(
            out,
            "  error: reading age {age} (SMOG grade {:.1}), above SMOG grade {max_grade}, the \
             most allowed; aim for {aim} or lower",
            grades.smog
        );
        let _ = writeln!(
            out,
            "  hint: use shorter words (fewer of three syllables or more) and shorter sentences; \
             the items below have the long ones"
        );
    } else {
        let _ = writeln!(
            out,
            "  reading age: {age} (SMOG grade {:.1}; aim for {aim} or lower, {max_grade} at most)",
            grades.smog
        );
    }
    let _ = writeln!(
        out,
        "  measured on {} sentences of the intro and the items' text, {} words, {} of them \
         long; Flesch-Kincaid grade {:.1}",
        grades.sentences, grades.words, grades.long_words, grades.flesch_kincaid
    );
    // Each regional wording is measured too: a term can make it harder.
    for (index, tag) in topic.wordings.iter().enumerate() {
        let Some(regional) = Readability::of_wording(topic, index + 1) else {
            continue;
        };
        let smog = regional.grades.smog;
        if smog > max_grade {
            tally.too_hard += 1;
            let _ = writeln!(
                out,
                "  error: in its {tag} wording, reading age {} (SMOG grade {smog:.1}), above \
                 SMOG grade {max_grade}, the most allowed",
                ReadingAge::of_grade(smog)
            );
        } else {
            let _ = writeln!(
                out,
                "  in its {tag} wording: reading age {} (SMOG grade {smog:.1})",
                ReadingAge::of_grade(smog)
            );
        }
    }
    let _ = writeln!(
        out,
        "  hardest sentences to read, with the reading age each asks for:"
    );
    for sentence in readability.hardest.iter().take(HARDEST) {
        let _ = writeln!(
            out,
            "    {}, reading age {}: \"{}\"",
            where_is(topic, file, sentence.item.as_deref()),
            ReadingAge::of_grade(sentence.grade),
            sentence.text
        );
    }
    if !readability.hints.is_empty() {
        let _ = writeln!(
            out,
            "  to make shorter, item by item: long words ({} syllables or more) and long \
             sentences (over {LONG_SENTENCE_WORDS} words):",
            readability::LONG_WORD_SYLLABLES
        );
    }
    for hint in &readability.hints {
        let _ = writeln!(
            out,
            "    {}: {}",
            where_is(topic, file, hint.item.as_deref()),
            describe(hint)
        );
    }
}

/// "leg-cramps.en.toml:58 item 'walking'", or the introduction.
fn where_is(topic: &Topic, file: &str, item: Option<&str>) -> String {
    match item {
        Some(id) => match topic.item_line(id) {
            Some(line) => format!("{file}:{line} '{id}'"),
            None => format!("{file} '{id}'"),
        },
        None => format!("{file} intro"),
    }
}

/// "long words: calcium, magnesium; a sentence of 23 words: "…"".
fn describe(hint: &Hint) -> String {
    let mut parts = Vec::new();
    if !hint.long_words.is_empty() {
        parts.push(format!("long words: {}", hint.long_words.join(", ")));
    }
    for (words, sentence) in &hint.long_sentences {
        parts.push(format!("a sentence of {words} words: \"{sentence}\""));
    }
    parts.join("; ")
}

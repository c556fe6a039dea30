//! The practice's sign-off: the built-in English claims no review that did
//! not happen, `handout approve` shows the lead the whole text and the
//! entry to paste, the footer then says who approved it, and an approval of
//! another text claims nothing and warns wherever it is used.

use std::path::Path;

use crate::util::{DATE, PRACTICE_EXAMPLE, Paper, Test, read_manifest, sha256_of};

/// The built-in English text's file.
fn builtin_english() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("content/leg-cramps.en.toml"),
    )
    .expect("the built-in text")
}

/// Its SHA-256, as the manifest records it.
fn builtin_sha256() -> String {
    sha256_of(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content/leg-cramps.en.toml"))
}

/// An `[[approval]]` entry of the built-in English by the Lead Midwife, of
/// the text whose SHA-256 is `sha256`.
fn entry(sha256: &str) -> String {
    format!(
        "\n[[approval]]\ntopic = \"leg-cramps\"\nlanguage = \"en\"\nversion = 4\n\
         sha256 = \"{sha256}\"\nby = \"the Lead Midwife\"\non = 2026-12-06\n"
    )
}

/// The example practice file with `more` after it.
fn practice_with(more: &str) -> String {
    format!("{PRACTICE_EXAMPLE}{more}")
}

/// "December 2026": a date's month and year as the English footer writes them.
fn month_year(date: jiff::civil::Date) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    format!("{} {}", MONTHS[date.month() as usize - 1], date.year())
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn the_builtin_english_says_it_was_checked_not_reviewed() {
    let out = Test::new()
        .args(["render", "--date", DATE, "-o", "a.pdf"])
        .run()
        .success();
    assert!(!out.stderr.contains("warning"), "{}", out.stderr);
    let text = out.pdf("a.pdf").text();
    text.assert_has(
        "Leaflet version 4 · checked against its sources December 2026 · review due December 2028",
    );
    text.assert_lacks("reviewed");
    text.assert_lacks("approved");

    let topics = Test::new().args(["topics"]).run().success();
    let stdout = topics.stdout_text();
    assert!(
        stdout.contains(
            "    version 4, checked against its sources on 2026-12-07; no clinician is named as \
             its reviewer\n    review due 2028-12-07\n    not approved: no practice file is \
             given (--practice FILE), where a practice's clinical lead records an approval\n"
        ),
        "{stdout}"
    );
    assert!(!stdout.contains("Clinical review notes"), "{stdout}");
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn approve_shows_the_whole_text_and_its_entry_makes_the_footer_say_approved() {
    let base = Test::new().file("practice.toml", PRACTICE_EXAMPLE);
    let out = base
        .clone()
        .args([
            "approve",
            "leg-cramps",
            "--practice",
            "practice.toml",
            "--by",
            "the Lead Midwife",
        ])
        .run()
        .success();
    assert_eq!(out.stderr, "", "approve says nothing on standard error");
    assert_eq!(
        out.created_files(),
        Vec::<String>::new(),
        "approve writes nothing"
    );
    let stdout = out.stdout_text();
    let today = jiff::Zoned::now().date();
    let sha256 = builtin_sha256();
    // Every item, its id, what it says, its hint and its sources.
    let flat = stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    for needle in [
        "Leg pain and leg cramps in pregnancy",
        "leg-cramps (en; built-in), version 4, checked against its sources on 2026-12-07",
        &format!("SHA-256 of its file: {sha256}"),
        "This practice has not approved it.",
        "* walking Walk every day.",
        "- support-belt",
        "source: nhs-dvt: Deep vein thrombosis (DVT): symptoms and when to get help (NHS)",
        "for the midwife:",
        "(a caution, printed after the first of massage, therapist, partner-massage that prints)",
        "Call 999 now",
    ] {
        assert!(flat.contains(needle), "lacks {needle:?}:\n{stdout}");
    }
    let expected = format!(
        "[[approval]]\ntopic = \"leg-cramps\"\nlanguage = \"en\"\nversion = 4\n\
         sha256 = \"{sha256}\"\nby = \"the Lead Midwife\"\non = {today}\n"
    );
    assert!(stdout.contains(&expected), "{stdout}");
    let footer = format!(
        "Leaflet version 4 · approved by the Lead Midwife, {} · review due December 2028",
        month_year(today)
    );
    assert!(
        flat.ends_with(&format!("Its footer will then read: {footer}")),
        "{stdout}"
    );

    // Pasted into the practice file, the footer says it, on both papers,
    // with the most that fits at 12 pt without the approval (every item on
    // A4, all but two on Letter, whose headings and list spacing now take
    // more room): the record stays on one line, so the page still fits, at
    // 12 pt.
    let approved = base
        .clone()
        .file("practice.toml", practice_with(&format!("\n{expected}")));
    let prevention = "prevention=walking,calcium-magnesium,support-hose,exercise,\
                      calf-stretches,ankle-rotation,side-sleeping,fluids,support-belt,massage,\
                      relief-techniques,rest,movement-breaks";
    for (paper, treatment) in [
        (
            Paper::A4,
            "treatment=moist-heat,warm-bath,pain-relief,therapist,partner-massage,herbal",
        ),
        (
            Paper::Letter,
            "treatment=moist-heat,warm-bath,pain-relief,therapist",
        ),
    ] {
        let file = format!("{}.pdf", paper.arg());
        let out = approved
            .clone()
            .args([
                "render",
                "--practice",
                "practice.toml",
                "--name",
                "Ana López",
            ])
            .args(["--pick", prevention, "--pick", treatment])
            .args(["--paper", paper.arg(), "-o", &file])
            .run()
            .success();
        assert!(!out.stderr.contains("warning"), "{}", out.stderr);
        assert!(out.stderr.ends_with("body text 12 pt\n"), "{}", out.stderr);
        let pdf = out.pdf(&file);
        pdf.assert_sound(paper);
        let text = pdf.text();
        text.assert_has(&footer);
        text.assert_lacks("checked against its sources");
    }

    // `topics` names who approved it and when; a day's manifest records it,
    // and the day notes nothing unapproved.
    let topics = approved
        .clone()
        .args(["topics", "--practice", "practice.toml"])
        .run()
        .success();
    assert!(
        topics.stdout_text().contains(&format!(
            "\n    approved for the practice by the Lead Midwife on {today}\n"
        )),
        "{}",
        topics.stdout_text()
    );
    let day = approved
        .clone()
        .file("roster.csv", "name,weeks\nAna López,28\n")
        .args([
            "batch",
            "roster.csv",
            "-o",
            "out",
            "--date",
            DATE,
            "--practice",
            "practice.toml",
        ])
        .run()
        .success();
    assert!(!day.stderr.contains("not yet approved"), "{}", day.stderr);
    let manifest = read_manifest(&day.read_text("out/manifest.csv"));
    assert_eq!(manifest[0]["approved"], format!("the Lead Midwife {today}"));
    assert_eq!(manifest[0]["content_sha256"], sha256);
}

#[test]
fn an_entry_without_a_name_is_refused_until_it_is_filled_in() {
    let base = Test::new().file("practice.toml", PRACTICE_EXAMPLE);
    let out = base
        .clone()
        .args(["approve", "leg-cramps", "--practice", "practice.toml"])
        .run()
        .success();
    let stdout = out.stdout_text();
    assert!(
        stdout.contains("by = \"FILL IN the name or role of who approved it\"\n"),
        "{stdout}"
    );
    let entry = &stdout[stdout.find("[[approval]]").expect("an entry")..];
    let pasted = practice_with(&format!("\n{entry}"));
    let line = pasted
        .lines()
        .position(|line| line.starts_with("by = "))
        .unwrap()
        + 1;
    base.clone()
        .file("practice.toml", pasted)
        .args(["render", "--practice", "practice.toml", "-o", "a.pdf"])
        .run()
        .code(2)
        .stderr_contains(&format!(
            "error: practice.toml:{line}:6: [[approval]] `by` is still the placeholder"
        ));
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn an_approval_of_another_text_claims_nothing_and_warns_wherever_used() {
    // The practice approved the built-in English; its own copy, in a
    // folder, has changed since (here only a comment, and its version).
    let changed = builtin_english()
        .replacen("version = 4", "version = 5", 1)
        .replacen(
            "# Leg pain and leg cramps",
            "# Our copy: leg pain and leg cramps",
            1,
        );
    let base = Test::new()
        .folder("leaflets")
        .file("leaflets/leg-cramps.en.toml", &changed)
        .file("practice.toml", practice_with(&entry(&builtin_sha256())));
    let warning = "warning: leg-cramps (en) was approved for the practice by the Lead Midwife \
                   on 2026-12-06 as version 4, and its text is now version 5: the approval no \
                   longer counts and its footer does not claim it; have the text read again \
                   with `handout approve leg-cramps --language en` and replace its \
                   [[approval]] entry in the practice file";
    let out = base
        .clone()
        .args([
            "render",
            "--practice",
            "practice.toml",
            "--content",
            "leaflets",
            "--date",
            DATE,
            "-o",
            "a.pdf",
        ])
        .run()
        .success();
    assert!(
        out.stderr.lines().any(|line| line == warning),
        "{}",
        out.stderr
    );
    let text = out.pdf("a.pdf").text();
    text.assert_has("Leaflet version 5 · checked against its sources December 2026");
    text.assert_lacks("approved");

    let day = base
        .clone()
        .file("roster.csv", "name,weeks\nAna López,28\nBea Smith,30\n")
        .args([
            "batch",
            "roster.csv",
            "-o",
            "out",
            "--date",
            DATE,
            "--practice",
            "practice.toml",
            "--content",
            "leaflets",
            "--quiet",
        ])
        .run()
        .success();
    // Once for the day, even with --quiet.
    assert_eq!(
        day.stderr.lines().filter(|line| *line == warning).count(),
        1,
        "{}",
        day.stderr
    );
    let manifest = read_manifest(&day.read_text("out/manifest.csv"));
    assert!(manifest.iter().all(|row| row["approved"].is_empty()));

    let topics = base
        .clone()
        .args([
            "topics",
            "--practice",
            "practice.toml",
            "--content",
            "leaflets",
        ])
        .run()
        .success();
    assert!(
        topics.stdout_text().contains(&format!(
            "\n    APPROVAL LAPSED: {}\n",
            &warning["warning: ".len()..]
        )),
        "{}",
        topics.stdout_text()
    );
}

#[test]
fn topics_and_a_day_name_what_the_practice_has_not_approved() {
    let base = Test::new()
        .file("practice.toml", PRACTICE_EXAMPLE)
        .file("roster.csv", "name,weeks\nAna López,28\n");
    let note = "note: leg-cramps (en) is not yet approved by the practice's clinical lead, so \
                its footer claims no approval; `handout approve leg-cramps --language en` shows \
                its whole text and the [[approval]] entry to add to the practice file";
    let day = base
        .clone()
        .args([
            "batch",
            "roster.csv",
            "-o",
            "out",
            "--date",
            DATE,
            "--practice",
            "practice.toml",
        ])
        .run()
        .success();
    assert!(
        day.stderr.lines().any(|line| line == note),
        "{}",
        day.stderr
    );
    // A note, not a warning: --quiet leaves it out.
    let quiet = base
        .clone()
        .args([
            "batch",
            "roster.csv",
            "-o",
            "quiet",
            "--date",
            DATE,
            "--practice",
            "practice.toml",
            "--quiet",
        ])
        .run()
        .success();
    assert_eq!(quiet.stderr, "");
    // Without a practice file there is no clinical lead to approve it.
    let without = base
        .clone()
        .args(["batch", "roster.csv", "-o", "none", "--date", DATE])
        .run()
        .success();
    assert!(!without.stderr.contains("approved"), "{}", without.stderr);

    let topics = base
        .clone()
        .args(["topics", "--practice", "practice.toml"])
        .run()
        .success();
    let stdout = topics.stdout_text();
    for expected in [
        "review due 2028-12-07\n    not approved by the practice: `handout approve leg-cramps \
         --language en` shows its text and the [[approval]] entry to add\n",
        "draft: not yet clinically reviewed; batch prints it only with --allow-draft; \
         translated from en\n    not approved by the practice: a draft is approved once a \
         clinician who reads its language has reviewed it\n",
    ] {
        assert!(stdout.contains(expected), "lacks {expected:?}:\n{stdout}");
    }
}

#[test]
fn a_draft_is_not_approved() {
    let out = Test::new()
        .args(["approve", "leg-cramps", "--language", "es"])
        .run()
        .code(1);
    assert_eq!(out.stdout_text(), "", "no text and no entry for a draft");
    for needle in [
        "error: leg-cramps (es) is a draft, not yet clinically reviewed, so it is not \
         approved: a draft translation needs a clinician who reads its language to review it \
         first",
        "hint: have that clinician review it, mark it status = \"reviewed\"",
    ] {
        assert!(out.stderr.contains(needle), "{}", out.stderr);
    }
}

//! `handout render` on good input: the PDF is sound and says what was asked.

use std::path::Path;

use handout_content::{MAX_NAME_CHARS, MAX_NOTE_CHARS};

use crate::items::{self, Item, PREVENTION, TREATMENT, assert_items, defaults};
use crate::util::{DATE, Paper, Pdf, Test, run_tool};

/// A personal note of exactly 200 characters.
const NOTE: &str = "Ana, the cramps should ease after the birth. Until then, stretch your \
calves before sleep and keep water by the bed. Call me at the practice if a cramp lasts \
over ten minutes or wakes you every night.";

/// The handout's title, also its PDF Title.
const TITLE: &str = "Leg pain and leg cramps in pregnancy";

/// Ana's handout with the example practice file, before `-o`.
fn ana() -> Test {
    Test::render_ana().practice()
}

/// The full default handout with a practice file and a note, on `paper`.
fn check_default_handout(paper: Paper) {
    assert_eq!(NOTE.chars().count(), 200);
    let out = ana()
        .args(["--note", NOTE, "--paper", paper.arg(), "-o", "ana.pdf"])
        .run()
        .success();
    assert!(
        out.stderr.lines().any(|line| line.starts_with("wrote ")),
        "no line starts with `wrote `:\n{}",
        out.stderr
    );
    assert_eq!(out.created_files(), ["ana.pdf"]);

    let pdf = out.pdf("ana.pdf");
    pdf.assert_sound(paper);
    let info = pdf.info();
    assert_eq!(info.get("Title"), Some(TITLE), "pdfinfo:\n{}", info.raw);
    assert!(
        !info.raw.lines().any(|line| line.contains("PDF/X")),
        "the handout claims to be PDF/X:\n{}",
        info.raw
    );

    let text = pdf.text();
    text.assert_has(TITLE);
    text.assert_has("Prepared for Ana López");
    text.assert_has("28 weeks");
    text.assert_has("25 November 2026");
    assert_items(&text, PREVENTION, &defaults(PREVENTION));
    assert_items(&text, TREATMENT, &defaults(TREATMENT));
    text.assert_has("When to call");
    text.assert_has("Call 999 now");
    text.assert_lacks("your local emergency number");
    text.assert_has("A note from your midwife");
    text.assert_has(NOTE);
    text.assert_has("12 River Street, Exampletown EX1 2AB");

    // The footer names the midwife, the practice and its phone on one line.
    let layout = pdf.layout_text();
    let footer = layout
        .lines()
        .find(|line| line.contains("Your midwife:"))
        .unwrap_or_else(|| panic!("no footer line:\n{}", layout.raw));
    for part in [
        "Jo Smith",
        "Riverside Midwifery Practice",
        "Phone: 01632 960 123",
    ] {
        assert!(
            footer.contains(part),
            "the footer lacks {part:?}: {footer:?}"
        );
    }
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn default_handout_on_a4() {
    check_default_handout(Paper::A4);
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn default_handout_on_letter() {
    check_default_handout(Paper::Letter);
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn prints_only_the_chosen_items() {
    let out = ana()
        .args([
            "--prevention",
            "walking,calf-stretches",
            "--treatment",
            "warm-bath",
            "-o",
            "ana.pdf",
        ])
        .run()
        .success()
        .stderr_contains("wrote ana.pdf");
    let pdf = out.pdf("ana.pdf");
    pdf.assert_sound(Paper::A4);
    let text = pdf.text();
    assert_items(&text, PREVENTION, &["walking", "calf-stretches"]);
    assert_items(&text, TREATMENT, &["warm-bath"]);
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn prints_items_that_are_off_by_default_when_chosen() {
    let off = |section: &[Item]| -> Vec<&'static str> {
        section
            .iter()
            .filter(|item| !item.default)
            .map(|item| item.id)
            .collect()
    };
    let (prevention, treatment) = (off(PREVENTION), off(TREATMENT));
    let out = ana()
        .args([
            "--prevention",
            &prevention.join(","),
            "--treatment",
            &treatment.join(","),
            "-o",
            "ana.pdf",
        ])
        .run()
        .success();
    let text = out.pdf("ana.pdf").text();
    assert_items(&text, PREVENTION, &prevention);
    assert_items(&text, TREATMENT, &treatment);
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn none_prints_no_items_of_that_section() {
    let out = ana()
        .args([
            "--prevention",
            "none",
            "--treatment",
            "none",
            "-o",
            "ana.pdf",
        ])
        .run()
        .success();
    let pdf = out.pdf("ana.pdf");
    pdf.assert_sound(Paper::A4);
    let text = pdf.text();
    assert_items(&text, PREVENTION, &[]);
    assert_items(&text, TREATMENT, &[]);
    // No heading over an empty section; the rest still prints.
    text.assert_lacks("To prevent it");
    text.assert_lacks("When a cramp or pain starts");
    text.assert_has("Why it happens");
    text.assert_has("Call 999 now");
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn every_item_fits_without_a_note_or_practice() {
    let out = Test::new()
        .args([
            "render",
            "--date",
            DATE,
            "--prevention",
            &items::ids(PREVENTION),
            "--treatment",
            &items::ids(TREATMENT),
            "-o",
            "all.pdf",
        ])
        .run()
        .success();
    let pdf = out.pdf("all.pdf");
    pdf.assert_sound(Paper::A4);
    let text = pdf.text();
    for item in items::all() {
        text.assert_has(&item.on_page());
    }
}

#[test]
fn same_command_gives_the_same_bytes() {
    let base = ana();
    let first = base.clone().args(["-o", "first.pdf"]).run().success();
    // Over a second apart, so that a clock time in the file would show.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let second = base.clone().args(["-o", "second.pdf"]).run().success();
    assert_eq!(second.created_files(), ["first.pdf", "second.pdf"]);
    let bytes = first.read("first.pdf");
    assert!(
        bytes == second.read("second.pdf"),
        "two runs of the same command wrote different PDFs"
    );

    let other = Test::new()
        .args([
            "render",
            "--name",
            "Ana Lopes",
            "--weeks",
            "28",
            "--date",
            DATE,
        ])
        .practice()
        .args(["-o", "other.pdf"])
        .run()
        .success();
    assert!(
        other.read("other.pdf") != bytes,
        "a different name gave the same PDF"
    );
}

/// How many straight lines a one-page PDF strokes: the rules, write-in
/// lines among them, as the writer draws each (`x y m x y l S`), counted in
/// the page's content stream as qpdf uncompresses it.
fn stroked_lines(pdf: &Path) -> usize {
    // Not `tool_stdout`: the uncompressed font streams are not UTF-8.
    let qdf = run_tool("qpdf", &["--qdf", "--object-streams=disable"], pdf, &["-"]);
    assert!(qdf.status.success(), "qpdf failed on {}", pdf.display());
    String::from_utf8_lossy(&qdf.stdout)
        .matches(" l S Q")
        .count()
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn blank_handout_has_room_to_write_in() {
    // No name, no weeks, no practice and no date.
    let out = Test::new()
        .args(["render", "-o", "blank.pdf"])
        .run()
        .success();
    let pdf = out.pdf("blank.pdf");
    pdf.assert_sound(Paper::A4);
    // Lines to write on: three under the title, which a name fills in, and
    // the midwife's and the phone's in the footer, which a practice file
    // fills in.
    let named = Test::new()
        .args([
            "render",
            "--name",
            "Ana López",
            "--weeks",
            "28",
            "-o",
            "named.pdf",
        ])
        .run()
        .success();
    let filled = Test::new()
        .args(["render", "-o", "filled.pdf"])
        .practice()
        .run()
        .success();
    let blank_lines = stroked_lines(&out.path("blank.pdf"));
    assert_eq!(blank_lines, stroked_lines(&named.path("named.pdf")) + 3);
    assert_eq!(blank_lines, stroked_lines(&filled.path("filled.pdf")) + 2);
    let text = pdf.text();
    text.assert_has("Your midwife:");
    text.assert_has("Phone:");
    text.assert_has("Call your local emergency number now");
    text.assert_lacks("Prepared for");
    text.assert_lacks("weeks");
    assert_items(&text, PREVENTION, &defaults(PREVENTION));
    assert_items(&text, TREATMENT, &defaults(TREATMENT));
}

/// The line under the title, as laid out, with its runs of spaces made one.
fn byline(pdf: &Pdf) -> String {
    let layout = pdf.layout_text();
    let mut lines = layout.lines().skip_while(|line| !line.contains(TITLE));
    lines.next();
    let byline = lines.find(|line| !line.trim().is_empty());
    let byline = byline.unwrap_or_else(|| panic!("nothing under the title:\n{}", layout.raw));
    byline.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn blank_byline_leaves_lines_for_name_weeks_and_date() {
    // A blank sheet is photocopied and handed out for weeks: it prints no
    // date, even one given, but labels with lines to write on.
    let out = Test::new()
        .args(["render", "-o", "blank.pdf", "--date", DATE])
        .run()
        .success();
    let pdf = out.pdf("blank.pdf");
    pdf.assert_sound(Paper::A4);
    assert_eq!(byline(&pdf), "Name: Weeks: Date:");
    let text = pdf.text();
    text.assert_lacks("25 November 2026");
    text.assert_lacks("Prepared for");
    // The only month is the text's review record, at the foot.
    let record =
        "Leaflet version 4 · checked against its sources December 2026 · review due December 2028";
    text.assert_has(record);
    assert!(
        !text.raw.replace(record, "").contains("November"),
        "{}",
        text.raw
    );

    // Weeks given are printed after their label; the date still is not.
    let out = Test::new()
        .args(["render", "--weeks", "28", "--date", DATE, "-o", "weeks.pdf"])
        .run()
        .success();
    let pdf = out.pdf("weeks.pdf");
    assert_eq!(byline(&pdf), "Name: Weeks: 28 Date:");
    pdf.text().assert_lacks("25 November 2026");
    // The weeks printed need no line to write them on.
    let blank = Test::new()
        .args(["render", "-o", "blank.pdf"])
        .run()
        .success();
    assert_eq!(
        stroked_lines(&out.path("weeks.pdf")),
        stroked_lines(&blank.path("blank.pdf")) - 1
    );

    // A named sheet keeps its date.
    let out = ana().args(["-o", "ana.pdf"]).run().success();
    assert_eq!(
        byline(&out.pdf("ana.pdf")),
        "Prepared for Ana López · 28 weeks · 25 November 2026"
    );
}

#[test]
fn dash_writes_the_pdf_to_standard_output() {
    let out = ana().args(["-o", "-"]).run().success();
    assert!(
        out.stdout.starts_with(b"%PDF-"),
        "stdout does not start with %PDF-: {:?}",
        String::from_utf8_lossy(&out.stdout[..out.stdout.len().min(40)])
    );
    assert_eq!(out.created_files(), Vec::<String>::new());

    let file = ana().args(["-o", "ana.pdf"]).run().success();
    assert!(
        out.stdout == file.read("ana.pdf"),
        "`-o -` and `-o ana.pdf` wrote different bytes"
    );
    file.assert_pdf_file("ana.pdf");
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn due_date_gives_the_weeks() {
    // 2027-02-17 is 12 weeks after 2026-11-25: 40 - 12 = 28 weeks.
    let out = Test::new()
        .args(["render", "--name", "Ana López", "--due-date", "2027-02-17"])
        .args(["--date", DATE, "-o", "ana.pdf"])
        .run()
        .success();
    out.pdf("ana.pdf")
        .text()
        .assert_has("Prepared for Ana López · 28 weeks · 25 November 2026");
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn accepts_the_limits() {
    // A note of words, as long as a note may be.
    let note = format!("{}Sleep!", "Rest well. ".repeat(54));
    assert_eq!(note.chars().count(), MAX_NOTE_CHARS);
    for (option, value, printed) in [
        ("--weeks", "1".to_string(), "1 week ·".to_string()),
        ("--weeks", "42".to_string(), "42 weeks ·".to_string()),
        (
            "--name",
            "N".repeat(MAX_NAME_CHARS),
            "N".repeat(MAX_NAME_CHARS),
        ),
        (
            "--midwife",
            "M".repeat(MAX_NAME_CHARS),
            "M".repeat(MAX_NAME_CHARS),
        ),
        ("--note", note.clone(), note.clone()),
    ] {
        // A name, so that the weeks print; few items, so that the longest
        // note fits the page too.
        let name = if option == "--name" {
            None
        } else {
            Some("Ana")
        };
        let out = Test::new()
            .args(["render", "--date", DATE, option, &value, "-o", "ok.pdf"])
            .args(name.map(|name| ["--name", name]).into_iter().flatten())
            .args([
                "--pick",
                "prevention=walking",
                "--pick",
                "treatment=warm-bath",
            ])
            .run()
            .success();
        let pdf = out.pdf("ok.pdf");
        pdf.assert_sound(Paper::A4);
        // Printed whole: pdftotext may break a long one over lines.
        let text: String = pdf.text().raw.split_whitespace().collect();
        let printed: String = printed.split_whitespace().collect();
        assert!(
            text.contains(&printed),
            "{option} {}…: not printed whole",
            &value[..10]
        );
    }
    // One over each limit is refused.
    for (option, value) in [
        ("--name", "N".repeat(MAX_NAME_CHARS + 1)),
        ("--midwife", "M".repeat(MAX_NAME_CHARS + 1)),
        ("--note", "x".repeat(MAX_NOTE_CHARS + 1)),
        ("--weeks", "43".to_string()),
        ("--weeks", "0".to_string()),
    ] {
        Test::new()
            .args(["render", "--date", DATE, option, &value, "-o", "no.pdf"])
            .run()
            .code(1)
            .stderr_contains(&format!("error: {option}:"));
    }
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn midwife_option_overrides_the_practice_file() {
    let out = ana()
        .args(["--midwife", "Sam Okafor", "-o", "ana.pdf"])
        .run()
        .success();
    let text = out.pdf("ana.pdf").text();
    text.assert_has("Your midwife: Sam Okafor");
    text.assert_lacks("Jo Smith");
}

#[test]
fn quiet_prints_nothing() {
    let out = ana().args(["--quiet", "-o", "ana.pdf"]).run().success();
    assert_eq!(out.stderr, "");
    assert_eq!(out.stdout, b"");
    out.assert_pdf_file("ana.pdf");
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn one_week_is_singular() {
    let out = Test::new()
        .args(["render", "--name", "Ana López", "--weeks", "1"])
        .args(["--date", DATE, "-o", "one.pdf"])
        .run()
        .success();
    let text = out.pdf("one.pdf").text();
    text.assert_has("Ana López · 1 week · 25 November 2026");
}

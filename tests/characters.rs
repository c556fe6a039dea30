//! Text is printed as typed or refused: no letter an export lost, no marks
//! drawn over other lines, no note that prints as nothing.

use crate::util::{DATE, Test};

/// `handout render` with these arguments, into `a.pdf`.
fn render(args: &[&str]) -> Test {
    Test::new()
        .args(["render", "--date", DATE, "-o", "a.pdf"])
        .args(args)
}

#[test]
fn marks_stacked_past_any_languages_need_are_refused_wherever_they_are() {
    let stacked = format!("Ana{}", "\u{301}".repeat(40));
    let out = render(&["--name", &stacked]).run().code(1);
    assert!(
        out.stderr
            .contains("name has 40 accents or other marks on one letter (at character 3)"),
        "{}",
        out.stderr
    );
    assert!(!out.path("a.pdf").exists());
    // Below the letter, in the note and the midwife's name too.
    let below = format!("Zoe{}", "\u{323}".repeat(9));
    for flag in ["--note", "--midwife"] {
        let out = render(&[flag, &below]).run().code(1);
        assert!(
            out.stderr
                .contains("has 9 accents or other marks on one letter"),
            "{flag}: {}",
            out.stderr
        );
    }
    // In a roster, only that row fails.
    let roster = format!(
        "name,weeks,note\nAna,28,\nBea,30,\"Rest{}\"\n",
        "\u{301}".repeat(12)
    );
    let out = Test::batch(roster).run().code(1);
    assert_eq!(out.list("out"), ["2-Ana.pdf", "manifest.csv"]);
    assert!(
        out.stderr.starts_with(
            "roster.csv, row 3, column C: note has 12 accents or other marks on one letter"
        ),
        "{}",
        out.stderr
    );
    // In a practice file.
    let out = render(&["--practice", "p.toml"])
        .file(
            "p.toml",
            format!("name = \"Clinic{}\"\n", "\u{308}".repeat(10)),
        )
        .run()
        .code(2);
    assert!(out.stderr.contains("p.toml:1:8"), "{}", out.stderr);
    assert!(
        out.stderr.contains("10 accents or other marks"),
        "{}",
        out.stderr
    );
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn fewer_marks_that_would_still_draw_over_other_lines_are_refused() {
    // Three acutes on one letter pass the count, but reach higher than any
    // letter of any language: over the title above.
    let out = render(&["--name", "Ana\u{301}\u{301}\u{301}"])
        .run()
        .code(1);
    assert!(
        out.stderr.contains(
            "the name has accents or other marks stacked so high or deep on one letter that \
             they would print over the lines around it"
        ),
        "{}",
        out.stderr
    );
    // Real names with stacked marks print, and read back as typed.
    for name in ["NGUYỄN THỊ ẤU", "Nguye\u{302}\u{303}n Ánh", "Ą̃žuolė Ė̃"] {
        let out = render(&["--name", name]).run().success();
        let text = out.pdf("a.pdf").text();
        let expected: String = unicode_nfc(name);
        assert!(
            unicode_nfc(&text.raw).contains(&expected),
            "{name}: {}",
            text.raw
        );
    }
}

/// Text in Unicode normal form C, as poppler may give it either way.
fn unicode_nfc(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfc().collect()
}

#[test]
fn a_character_the_export_lost_is_refused_and_said_so() {
    let out = render(&["--name", "Zo\u{FFFD}"]).run().code(1);
    assert!(
        out.stderr.contains("the export lost part of this text"),
        "{}",
        out.stderr
    );
    let out = Test::batch("id,name,weeks\n17,Zo\u{FFFD} Brontë,28\n18\u{FFFD},Bea,30\n19,Cas,31\n")
        .run()
        .code(1);
    assert_eq!(out.list("out"), ["19-Cas.pdf", "manifest.csv"]);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert!(
        lines[0].starts_with("roster.csv, row 2, column B: name has the character U+FFFD"),
        "{}",
        out.stderr
    );
    assert!(
        lines[1].starts_with("roster.csv, row 3, column A"),
        "{}",
        out.stderr
    );
    assert!(
        lines[1].contains("the export lost part of this text"),
        "{}",
        out.stderr
    );
}

#[test]
fn text_of_only_invisible_characters_is_refused() {
    let out = render(&["--note", &"\u{200B}".repeat(600)]).run().code(1);
    assert!(
        out.stderr
            .contains("note has only invisible characters, such as zero-width spaces"),
        "{}",
        out.stderr
    );
    let out = Test::batch("name,weeks\n\u{2060}\u{200B},28\n")
        .run()
        .code(1);
    assert!(
        out.stderr.contains("name has only invisible characters"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_name_the_check_or_the_page_refused_is_not_kept_in_the_manifest() {
    // Runic is in no bundled face; U+FFFD is refused by the check.
    let roster = "name,weeks\nᚠᚢᚦ,28\nZo\u{FFFD},29\nAna,50\n";
    let out = Test::batch(roster).run().code(1);
    let manifest = crate::util::read_manifest(&out.read_text("out/manifest.csv"));
    let names: Vec<&str> = manifest.iter().map(|row| row["name"].as_str()).collect();
    // The last row failed for its weeks, not its name: the name stays, to
    // find the row by.
    assert_eq!(names, ["", "", "Ana"]);
    assert!(
        manifest
            .iter()
            .all(|row| row["status"].starts_with("failed: "))
    );
}

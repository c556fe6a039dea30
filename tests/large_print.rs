//! Large print from every front end that asks for it (`--large-print`, a
//! practice's default, a roster's column), on both sides of one sheet; and
//! a combined file that gives every handout a sheet of its own.

use crate::util::{DATE, Paper, Pdf, Test, read_manifest};

/// The words that open the urgent box, in the built-in English.
const URGENT: &str = "When to call";

/// Asserts what a reader checks of a large-print handout: two pages of
/// `paper`, the name and the urgent box on the first, which says to turn
/// over, and the practice's details on the second.
#[track_caller]
fn assert_large_print(pdf: &Pdf, paper: Paper, name: &str) {
    let info = pdf.info();
    assert_eq!(info.pages(), 2, "pdfinfo:\n{}", info.raw);
    let (width, height) = info.page_size();
    let (want_width, want_height) = paper.size();
    assert!((width - want_width).abs() < 0.01 && (height - want_height).abs() < 0.01);
    pdf.assert_qpdf_clean();
    let (first, second) = (pdf.page_text(1), pdf.page_text(2));
    first.assert_has(&format!("Prepared for {name}"));
    first.assert_has(URGENT);
    first.assert_has("Page 1 of 2 · please turn over");
    // The box's heading, as a line of its own: the blood-clot cause names it
    // in a sentence.
    assert!(
        !second.lines().any(|line| line.trim() == URGENT),
        "{}",
        second.raw
    );
    second.assert_has("Page 2 of 2");
    second.assert_has("Phone: 01632 960 123");
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn render_large_print_is_two_pages_with_the_urgent_box_and_name_on_the_first() {
    for paper in [Paper::A4, Paper::Letter] {
        let out = Test::render_ana()
            .args([
                "--pick",
                "prevention=walking",
                "--pick",
                "treatment=warm-bath",
            ])
            .args(["--large-print", "--paper", paper.arg(), "-o", "ana.pdf"])
            .practice()
            .run()
            .success();
        assert!(
            out.stderr
                .contains("2 pages, both sides of one sheet in large print, of leg-cramps (en)"),
            "{}",
            out.stderr
        );
        assert!(out.stderr.contains("body text 18 pt"), "{}", out.stderr);
        assert_large_print(&out.pdf("ana.pdf"), paper, "Ana López");
    }
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn a_practice_may_make_large_print_its_default() {
    let practice = format!("large-print = true\n{}", crate::util::PRACTICE_EXAMPLE);
    let out = Test::new()
        .file("practice.toml", practice)
        .args(["render", "--practice", "practice.toml", "--name", "Bea"])
        .args([
            "--pick",
            "prevention=walking",
            "--date",
            DATE,
            "-o",
            "bea.pdf",
        ])
        .run()
        .success();
    assert_large_print(&out.pdf("bea.pdf"), Paper::A4, "Bea");
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn a_roster_column_asks_for_large_print_and_each_handout_starts_a_sheet() {
    let roster = "name,weeks,large print,prevention,treatment\n\
                  Ana López,28,yes,walking,warm-bath\nBea Smith,30,,,\n\
                  Cas Ruiz,31,no,,\nDee Jones,32,x,fluids,moist-heat\n";
    let out = Test::batch(roster)
        .practice()
        .args(["--combined", "all.pdf"])
        .run()
        .success();
    assert!(
        out.stderr
            .contains("the combined PDF is for printing on both sides"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("the 2 of one page have a blank back"),
        "{}",
        out.stderr
    );
    // Each its own file, of its own pages.
    let manifest = read_manifest(&out.read_text("out/manifest.csv"));
    let pages: Vec<&str> = manifest.iter().map(|row| row["pages"].as_str()).collect();
    assert_eq!(pages, ["2", "1", "1", "2"]);
    assert!(manifest.iter().all(|row| row["omitted"].is_empty()));
    for row in &manifest {
        let info = out.pdf(&format!("out/{}", row["file"])).info();
        assert_eq!(info.pages().to_string(), row["pages"], "{}", row["file"]);
    }
    assert_large_print(
        &out.pdf(&format!("out/{}", manifest[0]["file"])),
        Paper::A4,
        "Ana López",
    );
    // The combined file: 2 + (1 + a blank) + (1 + a blank) + 2 pages, each
    // handout starting on a sheet's front (an odd page).
    let combined = out.pdf("all.pdf");
    assert_eq!(combined.info().pages(), 8);
    combined.assert_qpdf_clean();
    for (page, starts) in [
        (1, Some("Ana López")),
        (3, Some("Bea Smith")),
        (5, Some("Cas Ruiz")),
        (7, Some("Dee Jones")),
        (4, None),
        (6, None),
    ] {
        let text = combined.page_text(page);
        match starts {
            Some(name) => text.assert_has(&format!("Prepared for {name}")),
            None => assert!(
                text.raw.trim().is_empty(),
                "page {page} is not blank:\n{}",
                text.raw
            ),
        }
    }
    combined.page_text(2).assert_has("Page 2 of 2");
    combined.page_text(8).assert_has("Page 2 of 2");
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn a_combined_file_of_one_page_handouts_has_no_blank_backs() {
    let out = Test::batch("name,weeks\nAna,28\nBea,30\n")
        .practice()
        .args(["--combined", "all.pdf"])
        .run()
        .success();
    assert_eq!(out.pdf("all.pdf").info().pages(), 2);
    assert!(!out.stderr.contains("both sides"), "{}", out.stderr);
}

#[test]
fn batch_large_print_applies_to_every_row_a_cell_does_not_refuse() {
    let roster = "name,weeks,large-print\nAna,28,\nBea,30,no\nCas,31,maybe\n";
    let out = Test::batch(roster)
        .practice()
        .arg("--large-print")
        .run()
        .code(1);
    let manifest = read_manifest(&out.read_text("out/manifest.csv"));
    let pages: Vec<&str> = manifest.iter().map(|row| row["pages"].as_str()).collect();
    assert_eq!(pages, ["2", "1", "0"]);
    assert!(
        out.stderr.contains(
            "roster.csv, row 4, column C: large print 'maybe' is not yes or no; leave it empty \
             for the practice's choice"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn two_sides_that_cannot_hold_the_info_items_leave_them_out_and_say_which() {
    // The default items at 18 pt: two sides of A4 hold the advice and the
    // first of the background, Letter the advice without it, and the
    // terminal and the manifest say which were left out.
    for (paper, omitted, said) in [
        (
            "a4",
            "minerals,nerves,swelling,blood-clot,sciatic-nerve",
            "'Minerals', 'Nerves', 'Swelling', 'A blood clot' and 'Sciatic nerve'",
        ),
        (
            "letter",
            "circulation,minerals,nerves,swelling,blood-clot,sciatic-nerve",
            "'Blood flow', 'Minerals', 'Nerves', 'Swelling', 'A blood clot' and 'Sciatic nerve'",
        ),
    ] {
        let out = Test::batch("name,weeks\nAna,28\n")
            .practice()
            .args(["--large-print", "--paper", paper])
            .run()
            .success();
        let manifest = read_manifest(&out.read_text("out/manifest.csv"));
        assert_eq!(manifest[0]["omitted"], omitted, "{paper}");
        assert!(
            out.stderr.contains(&format!(
                "warning: row 2: large print left out {said} under 'Why it happens' to fit both \
                 sides of the sheet; every chosen item is printed"
            )),
            "{paper}: {}",
            out.stderr
        );
    }
    // Where even that is not enough, here for a long note, the row says
    // which items to drop.
    let note = "Rest with your feet up when you can, and drink water. ".repeat(3);
    let out = Test::batch(format!("name,weeks,note\nAna,28,\"{}\"\n", note.trim()))
        .practice()
        .args(["--large-print", "--paper", "letter"])
        .run()
        .code(1);
    assert!(
        out.stderr.contains(
            "does not fit on both sides of the sheet in large print, even with its \
             background items left out"
        ),
        "{}",
        out.stderr
    );
}

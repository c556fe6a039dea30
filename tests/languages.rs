//! Leaflets in the patient's language, and the record of which reviewed
//! text each patient got: the built-in Spanish draft, translations checked
//! against what they translate, drafts and reviews past their date.
//! Fixtures: tests/fixtures/content/governance/ (a draft and a topic past
//! its review date) and translations/ (a Spanish back-care, and two
//! versions of it that leave out or add an item).

use std::path::Path;

use crate::util::{DATE, Output, Paper, Test, read_manifest, sha256_of};

/// The fixtures folder.
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/content");

fn fixture(path: &str) -> String {
    std::fs::read_to_string(Path::new(FIXTURES).join(path)).expect("a fixture")
}

/// A test whose `leaflets/` folder holds the practice's back-care in
/// English and `files`, each (name in the folder, fixture path).
fn with_leaflets(files: &[(&str, &str)]) -> Test {
    let mut test = Test::new().folder("leaflets").file(
        "leaflets/back-care.en.toml",
        fixture("practice/back-care.en.toml"),
    );
    for (name, path) in files {
        test = test.file(&format!("leaflets/{name}"), fixture(path));
    }
    test
}

/// A clinic day in three leaflets: English and Spanish leg cramps, and the
/// practice's back care.
const MIXED: &str = "\
id,name,weeks,topic,language,at-home
0001,Ana López,28,leg-cramps,en,
0002,Beatriz Núñez,30,leg-cramps,es,
0003,Cas Díaz,31,back-care,,bend-knees
0004,Dolores Peña,32,,es,
";

#[test]
fn a_roster_with_a_draft_is_refused_without_allow_draft_naming_its_rows() {
    let out = with_leaflets(&[])
        .file("roster.csv", MIXED)
        .args(["batch", "roster.csv", "-o", "out", "--combined", "day.pdf"])
        .args([
            "--content",
            "leaflets",
            "--topic",
            "leg-cramps",
            "--date",
            DATE,
        ])
        .run()
        .code(2);
    assert!(
        out.stderr.contains(
            "error: nothing was made: rows 3, 5 (leg-cramps (es) is a draft, not yet \
             clinically reviewed)"
        ),
        "{}",
        out.stderr
    );
    let out = out.stderr_contains("hint: have a clinician who reads the language review the topic");
    assert_eq!(out.created_files(), Vec::<String>::new());
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn a_roster_mixing_languages_prints_each_row_in_its_own() {
    let out = with_leaflets(&[])
        .file("roster.csv", MIXED)
        .args(["batch", "roster.csv", "-o", "out", "--combined", "day.pdf"])
        .args([
            "--content",
            "leaflets",
            "--topic",
            "leg-cramps",
            "--date",
            DATE,
        ])
        .arg("--allow-draft")
        .run()
        .success()
        .stderr_contains(
            "warning: rows 3, 5 (leg-cramps (es) is a draft, not yet clinically reviewed): \
             printed as drafts; their footer says so",
        );

    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let expected = [
        (
            "0001-Ana-López.pdf",
            "leg-cramps",
            "en",
            "4",
            sha256_of(&content.join("leg-cramps.en.toml")),
        ),
        (
            "0002-Beatriz-Núñez.pdf",
            "leg-cramps",
            "es",
            "4",
            sha256_of(&content.join("leg-cramps.es.toml")),
        ),
        (
            "0003-Cas-Díaz.pdf",
            "back-care",
            "en",
            "2",
            out.sha256("leaflets/back-care.en.toml"),
        ),
        (
            "0004-Dolores-Peña.pdf",
            "leg-cramps",
            "es",
            "4",
            sha256_of(&content.join("leg-cramps.es.toml")),
        ),
    ];
    let manifest = read_manifest(&out.read_text("out/manifest.csv"));
    assert_eq!(manifest.len(), 4);
    for (record, (file, topic, language, version, content_sha)) in manifest.iter().zip(&expected) {
        assert_eq!(
            [
                &record["file"],
                &record["topic"],
                &record["language"],
                &record["version"]
            ],
            [file, topic, language, version]
        );
        assert_eq!(&record["content_sha256"], content_sha, "{file}");
        assert_eq!(record["sha256"], out.sha256(&format!("out/{file}")));
    }

    let day = out.pdf("day.pdf");
    assert_eq!(day.info().pages(), 4);
    let english = day.page_text(1);
    english.assert_has("Leg pain and leg cramps in pregnancy");
    english.assert_has("Prepared for Ana López · 28 weeks · 25 November 2026");
    english.assert_has(
        "Leaflet version 4 · checked against its sources December 2026 · review due December 2028",
    );
    english.assert_lacks("Draft");
    for page in [2, 4] {
        let spanish = day.page_text(page);
        spanish.assert_has("Dolor y calambres de piernas en el embarazo");
        spanish.assert_has("noviembre de 2026");
        spanish.assert_has("Borrador: aún sin revisión clínica");
        spanish.assert_has("Draft: not yet clinically reviewed");
        spanish.assert_lacks("Leg pain");
    }
    day.page_text(2)
        .assert_has("Preparado para Beatriz Núñez · 30 semanas · 25 de noviembre de 2026");
    let back = day.page_text(3);
    back.assert_has("Back care in pregnancy");
    back.assert_has("Leaflet version 2 · reviewed November 2026 · review due November 2028");
    for (page, (file, ..)) in expected.iter().enumerate() {
        assert_eq!(
            out.pdf(&format!("out/{file}")).text().raw,
            day.page_text(page as u32 + 1).raw,
            "{file}"
        );
    }
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn the_pdf_names_the_language_of_its_text() {
    for (language, tag) in [("en", "(en)"), ("es", "(es)")] {
        let out = Test::new()
            .args([
                "render",
                "--language",
                language,
                "--date",
                DATE,
                "-o",
                "a.pdf",
            ])
            .run()
            .success();
        out.pdf("a.pdf").assert_sound(Paper::A4);
        let qdf = std::process::Command::new("qpdf")
            .args(["--qdf", "--object-streams=disable"])
            .arg(out.path("a.pdf"))
            .arg("-")
            .output()
            .expect("qpdf runs");
        let text = String::from_utf8_lossy(&qdf.stdout);
        assert!(
            text.contains(&format!("/Lang {tag}")),
            "{language}: no /Lang {tag}"
        );
    }
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn a_draft_warns_whenever_it_is_printed() {
    for paper in ["a4", "letter"] {
        let out = Test::new()
            .args([
                "render",
                "--language",
                "es",
                "--name",
                "Ana López",
                "--weeks",
                "28",
            ])
            .args(["--paper", paper, "--date", DATE, "-o", "es.pdf", "--quiet"])
            .run()
            .success()
            .stderr_contains("warning: leg-cramps (es) is a draft, not yet clinically reviewed");
        let text = out.pdf("es.pdf").text();
        text.assert_has("Borrador: aún sin revisión clínica");
        text.assert_has("Draft: not yet clinically reviewed");
        text.assert_has("Versión 4 del folleto");
    }
}

/// `handout render` of the overdue fixture old-care.en.toml, as `old.pdf`.
fn render_overdue() -> Output {
    with_leaflets(&[("old-care.en.toml", "governance/old-care.en.toml")])
        .args([
            "render",
            "--content",
            "leaflets",
            "--topic",
            "old-care",
            "--date",
            DATE,
        ])
        .args(["-o", "old.pdf"])
        .run()
        .success()
        .stderr_contains(
            "warning: old-care (en) was due for review on 2025-03-01: have it reviewed",
        )
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn a_topic_past_its_review_date_prints_its_review_record() {
    render_overdue()
        .pdf("old.pdf")
        .text()
        .assert_has("Leaflet version 5 · reviewed March 2023 · review due March 2025");
}

#[test]
fn a_topic_past_its_review_date_warns_and_topics_shows_it() {
    render_overdue().assert_pdf_file("old.pdf");

    let out = with_leaflets(&[
        ("old-care.en.toml", "governance/old-care.en.toml"),
        ("draft-care.en.toml", "governance/draft-care.en.toml"),
    ])
    .args(["topics", "--content", "leaflets"])
    .run()
    .code(1);
    let stdout = out.stdout_text();
    for expected in [
        "leg-cramps (en; built-in): Leg pain and leg cramps in pregnancy\n    version 4, \
         checked against its sources on 2026-12-07; no clinician is named as its reviewer\n    \
         review due 2028-12-07\n",
        "leg-cramps (es; built-in): Dolor y calambres de piernas en el embarazo\n    version 4, \
         draft: not yet clinically reviewed",
        "back-care (en; leaflets/back-care.en.toml): Back care in pregnancy\n    version 2, \
         reviewed by Consultant midwife, Riverside Practice on 2026-11-01\n",
        "old-care (en; leaflets/old-care.en.toml)",
        "REVIEW OVERDUE: it was due on 2025-03-01",
        "draft-care (en; leaflets/draft-care.en.toml): Back care in pregnancy\n    version 1, \
         draft",
    ] {
        assert!(stdout.contains(expected), "no {expected:?} in:\n{stdout}");
    }
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn a_whole_translation_prints() {
    let out = with_leaflets(&[("back-care.es.toml", "translations/back-care.es.toml")])
        .args(["render", "--content", "leaflets", "--topic", "back-care"])
        .args(["--language", "es", "--date", DATE, "-o", "es.pdf"])
        .run()
        .success();
    out.pdf("es.pdf")
        .text()
        .assert_has("Cuidar la espalda en el embarazo");
}

#[test]
fn a_translation_must_match_what_it_translates() {
    // The whole translation is made...
    with_leaflets(&[("back-care.es.toml", "translations/back-care.es.toml")])
        .args(["render", "--content", "leaflets", "--topic", "back-care"])
        .args(["--language", "es", "--date", DATE, "-o", "es.pdf"])
        .run()
        .success()
        .assert_pdf_file("es.pdf");
    // ...and one that differs from its original is refused.

    for (fixture_path, message) in [
        (
            "translations/missing-id.es.toml",
            "error: leaflets/back-care.es.toml:99:1: section 'get-help' lacks the warning sign \
             'bleeding' of the 'en' file it translates; a translation has every one, and never \
             leaves out a warning",
        ),
        (
            "translations/extra-id.es.toml",
            "error: leaflets/back-care.es.toml:88:1: item 'stool' is not in section 'at-work' \
             of the 'en' file it translates",
        ),
    ] {
        let out = with_leaflets(&[("back-care.es.toml", fixture_path)])
            .args(["render", "--content", "leaflets", "--topic", "back-care"])
            .args(["--language", "es", "--date", DATE, "-o", "es.pdf"])
            .run()
            .code(1);
        assert!(
            out.stderr.starts_with(message),
            "{fixture_path}: expected {message:?}, got:\n{}",
            out.stderr
        );
        assert_eq!(out.created_files(), Vec::<String>::new());
    }
}

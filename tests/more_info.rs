//! A page for more information: the QR code scans to the exact address
//! the practice or the topic names, the address is printed in words, and
//! an address that cannot be printed is refused where it is written.
//!
//! The scans need poppler's pdftoppm and Debian's zbarimg (zbar-tools), so
//! they are ignored unless asked for (`-- --include-ignored`), and then
//! fail without them, saying what to install.

use std::path::Path;
use std::process::Command;

use crate::util::{Output, PRACTICE_EXAMPLE, Paper, Test, require_tool, runs};

/// The repository, for the built-in topic and the fixtures.
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The address the tests print: an example, never a real page, as no
/// address can be checked offline.
const ADDRESS: &str = "https://www.example.org/leaflets/leg-cramps";

/// The example practice file, naming `address` for more information.
fn practice_with(address: &str) -> String {
    format!("more-info = \"{address}\"\n{PRACTICE_EXAMPLE}")
}

/// Ana's handout with the example practice naming [`ADDRESS`], before
/// `-o` and what else the test asks.
fn ana() -> Test {
    Test::render_ana()
        .file("practice.toml", practice_with(ADDRESS))
        .args(["--practice", "practice.toml"])
}

/// Fails the test, saying what to install, unless pdftoppm and zbarimg
/// are there.
fn require_scanners() {
    require_tool(
        runs("pdftoppm", &["-v"]),
        "pdftoppm is not installed: install poppler-utils",
    );
    require_tool(
        runs("zbarimg", &["--version"]),
        "zbarimg is not installed: install zbar-tools (`apt-get install zbar-tools`)",
    );
}

/// What zbarimg reads from a PNG: every code's text, one a line; `None`
/// when it finds no code.
fn scan_png(png: &Path) -> Option<String> {
    let output = Command::new("zbarimg")
        .args(["--raw", "-q"])
        .arg(png)
        .output()
        .expect("failed to run zbarimg");
    // zbarimg exits 4 when it finds no code.
    match output.status.code() {
        Some(0) => Some(String::from_utf8(output.stdout).expect("zbarimg printed non-UTF-8")),
        Some(4) => None,
        _ => panic!("zbarimg failed with {}", output.status),
    }
}

/// What zbarimg reads from page `page` (from 1) of the PDF at `pdf`,
/// rendered at 150 dpi: every code's text, one a line; `None` when it
/// finds no code.
fn scan_pdf_page(pdf: &Path, page: u32) -> Option<String> {
    let page = page.to_string();
    let png = pdf.with_extension(&page);
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", "150", "-f", &page, "-l", &page, "-singlefile"])
        .arg(pdf)
        .arg(&png)
        .status()
        .expect("failed to run pdftoppm");
    assert!(status.success(), "pdftoppm failed with {status}");
    scan_png(&png.with_extension(format!("{page}.png")))
}

/// Asserts that the one code on the page reads exactly `address`.
#[track_caller]
fn assert_scans_to(out: &Output, pdf: &str, page: u32, address: &str) {
    let read = scan_pdf_page(&out.path(pdf), page)
        .unwrap_or_else(|| panic!("{pdf} page {page}: zbarimg found no code"));
    assert_eq!(
        read.strip_suffix('\n').unwrap_or(&read),
        address,
        "{pdf} page {page}"
    );
}

#[test]
#[ignore = "needs poppler-utils and zbar-tools; run with -- --include-ignored"]
fn the_code_scans_to_the_practices_address_on_a4_and_letter() {
    require_scanners();
    for paper in [Paper::A4, Paper::Letter] {
        let out = ana()
            .args(["--paper", paper.arg(), "-o", "ana.pdf"])
            .run()
            .success();
        assert_scans_to(&out, "ana.pdf", 1, ADDRESS);
        let pdf = out.pdf("ana.pdf");
        pdf.assert_sound(paper);
        // In words too, for anyone who cannot scan.
        pdf.text()
            .assert_has(&format!("More information: {ADDRESS}"));
    }
}

#[test]
#[ignore = "needs poppler-utils and zbar-tools; run with -- --include-ignored"]
fn the_code_scans_on_large_prints_second_side() {
    require_scanners();
    let out = ana()
        .args(["--large-print", "--paper", "a4", "-o", "ana.pdf"])
        .run()
        .success();
    assert_scans_to(&out, "ana.pdf", 2, ADDRESS);
    let pdf = out.pdf("ana.pdf");
    pdf.page_text(2)
        .assert_has(&format!("More information: {ADDRESS}"));
    // The first side has no code.
    let first = scan_pdf_page(&out.path("ana.pdf"), 1);
    assert_eq!(first, None, "the first side");
}

#[test]
#[ignore = "needs poppler-utils and zbar-tools; run with -- --include-ignored"]
fn the_code_scans_on_a_right_to_left_page_from_the_topics_own_address() {
    require_scanners();
    // The topic names the address: the Arabic fixture with one added.
    let fixture =
        std::fs::read_to_string(Path::new(ROOT).join("tests/fixtures/rtl/leg-cramps.ar.toml"))
            .expect("the Arabic fixture");
    let topic = fixture.replacen(
        "\nid = \"leg-cramps\"\n",
        &format!("\nid = \"leg-cramps\"\nmore-info = \"{ADDRESS}\"\n"),
        1,
    );
    assert_ne!(topic, fixture, "the fixture's id line");
    let out = Test::render_ana()
        .folder("leaflets")
        .file("leaflets/leg-cramps.ar.toml", topic)
        .args(["--content", "leaflets", "--language", "ar", "-o", "ar.pdf"])
        .run()
        .success();
    assert_scans_to(&out, "ar.pdf", 1, ADDRESS);
}

#[test]
#[ignore = "needs poppler-utils and zbar-tools; run with -- --include-ignored"]
fn the_practices_address_wins_over_the_topics() {
    require_scanners();
    let practices = "https://www.example.org/riverside/leaflets";
    let topic = std::fs::read_to_string(Path::new(ROOT).join("content/leg-cramps.en.toml"))
        .expect("the built-in topic")
        .replacen(
            "\nid = \"leg-cramps\"\n",
            &format!("\nid = \"leg-cramps\"\nmore-info = \"{ADDRESS}\"\n"),
            1,
        );
    let out = Test::render_ana()
        .folder("leaflets")
        .file("leaflets/leg-cramps.en.toml", topic)
        .file("practice.toml", practice_with(practices))
        .args([
            "--practice",
            "practice.toml",
            "--content",
            "leaflets",
            "-o",
            "ana.pdf",
        ])
        .run()
        .success();
    assert_scans_to(&out, "ana.pdf", 1, practices);
    out.pdf("ana.pdf").text().assert_lacks(ADDRESS);
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn without_an_address_there_is_no_code_and_no_label() {
    let out = Test::render_ana()
        .practice()
        .args(["-o", "ana.pdf"])
        .run()
        .success();
    out.pdf("ana.pdf").text().assert_lacks("More information");
}

/// The addresses every file refuses, and a word of why.
fn refused() -> Vec<(String, &'static str)> {
    vec![
        ("http://www.example.org/leaflets".to_string(), "https://"),
        (
            "javascript:alert(1)".to_string(),
            "not a javascript: address",
        ),
        (
            "https://www.example.org/leg cramps".to_string(),
            "has a space in it",
        ),
        (
            format!("https://www.example.org/{}", "a".repeat(100)),
            "too long for the 25 mm QR code",
        ),
    ]
}

#[test]
fn a_practice_file_with_an_address_that_cannot_be_printed_is_refused_where_it_is() {
    for (address, why) in refused() {
        let text = format!("name = \"Riverside\"\nmore-info = \"{address}\"\n");
        for command in [
            vec!["render", "--name", "Ana", "-o", "ana.pdf"],
            vec!["check"],
        ] {
            let out = Test::new()
                .file("practice.toml", &text)
                .args(command.clone())
                .args(["--practice", "practice.toml"])
                .run()
                .code(2)
                .stderr_contains("practice.toml:2:13: `more-info` ");
            assert!(
                out.stderr.contains(why),
                "{command:?} {address}: {}",
                out.stderr
            );
        }
    }
}

#[test]
fn handout_check_reports_a_topics_address_that_cannot_be_printed() {
    let original = std::fs::read_to_string(
        Path::new(ROOT).join("tests/fixtures/content/practice/back-care.en.toml"),
    )
    .expect("the fixture");
    let id_line = original
        .lines()
        .position(|line| line.starts_with("id = "))
        .expect("an id line")
        + 1;
    for (address, why) in refused() {
        let text = original.replacen("\nid = ", &format!("\nmore-info = \"{address}\"\nid = "), 1);
        let out = Test::new()
            .folder("leaflets")
            .file("leaflets/back-care.en.toml", text)
            .args(["check", "--date", "2026-12-02", "leaflets"])
            .run()
            .code(1);
        let report = out.stdout_text();
        let at = format!("leaflets/back-care.en.toml:{id_line}:13: `more-info` ");
        assert!(report.contains(&at), "{address}: {report}");
        assert!(report.contains(why), "{address}: {report}");
    }
}

#[test]
#[ignore = "needs Chromium and zbar-tools; run with -- --include-ignored"]
fn the_svg_preview_scans_too() {
    use handout_content::{Date, Handout, Library, Patient, Picks, Practice, Pregnancy};
    use handout_render::{RenderOptions, Renderer, SvgOptions};

    require_tool(
        runs("zbarimg", &["--version"]),
        "zbarimg is not installed: install zbar-tools (`apt-get install zbar-tools`)",
    );
    let tools = crate::svg::Rasterisers::find().unwrap_or_else(|missing| {
        panic!("{missing} (on Debian or Ubuntu, `apt-get install chromium`)")
    });
    let library = Library::builtin();
    let topic = library
        .topic(Some("leg-cramps"), Some("en"))
        .expect("the built-in topic");
    let practice = Practice::parse("practice.toml", &practice_with(ADDRESS)).expect("it parses");
    let patient = Patient {
        name: Some("Ana López".into()),
        pregnancy: Some(Pregnancy::Weeks(28)),
        ..Patient::default()
    };
    let date = Date::new(2026, 11, 25).expect("a real date");
    let handout = Handout::resolve(topic, &practice, &patient, &Picks::new(), date, None)
        .expect("the handout resolves");
    let renderer = Renderer::new();
    for paper in [handout_content::Paper::A4, handout_content::Paper::Letter] {
        let options = RenderOptions {
            paper,
            large_print: false,
        };
        let document = renderer.layout(&handout, &options).expect("it fits");
        let svg = renderer.write_svg(&document, 0, SvgOptions::default());
        let page = &document.pages[0];
        // At 150 dpi, as the PDF is scanned: the rasteriser shows a page
        // at 100 dpi, so the page is given half as large again.
        let scaled = (page.width * 1.5, page.height * 1.5);
        let window = (
            (page.width * 150.0 / 72.0).round() as usize,
            (page.height * 150.0 / 72.0).round() as usize,
        );
        let test = Test::new();
        tools.svg(test.dir(), &svg, scaled, window, "svg");
        let read = scan_png(&test.dir().join("svg.png"))
            .unwrap_or_else(|| panic!("{paper:?}: zbarimg found no code in the SVG preview"));
        assert_eq!(
            read.strip_suffix('\n').unwrap_or(&read),
            ADDRESS,
            "{paper:?}"
        );
    }
}

/// A note of 200 characters: with it, a Letter page with the example
/// practice's footer holds the advice only without the code.
const LONG_NOTE: &str = "Try the calf stretches before bed and keep a glass of water by your \
    bed. Call me if the cramps wake you every night, or if one leg gets swollen or red. See you \
    at your next visit in two weeks. From Jo";

#[test]
fn a_page_too_full_for_the_code_prints_without_it_and_every_front_end_says_so() {
    let warning = "the code and the address for more information were left out, as the page \
                   holds the chosen items and the note only without them; shorten the note or \
                   choose fewer items to print them";
    let out = ana()
        .args(["--paper", "letter", "--note", LONG_NOTE, "-o", "ana.pdf"])
        .run()
        .success();
    assert!(
        out.stderr.contains(&format!("warning: {warning}")),
        "{}",
        out.stderr
    );
    // Where it fits, nothing is said.
    let out = ana()
        .args(["--paper", "letter", "-o", "ana.pdf"])
        .run()
        .success();
    assert!(!out.stderr.contains("left out"), "{}", out.stderr);
    // A clinic day says which row.
    let roster = format!("name,weeks,note\nAna,28,\"{LONG_NOTE}\"\nBea,30,\n");
    let out = Test::batch(roster)
        .file("practice.toml", practice_with(ADDRESS))
        .args(["--practice", "practice.toml", "--paper", "letter"])
        .run()
        .success();
    assert!(
        out.stderr.contains(&format!("row 2: {warning}")),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("row 3:"), "{}", out.stderr);
}

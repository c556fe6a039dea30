//! Layout fixtures: handouts made from the rosters in
//! `tests/fixtures/layout/`, each laid out, compared with its committed
//! dump, and checked as a typesetter checks a proof: no line wider than its
//! column, no two glyphs drawn over each other, nothing in the margins, no
//! missing glyph in the PDF, and every name read back whole.
//!
//! Adding a fixture is a roster in that folder, a line in [`fixtures`], and
//! `scripts/bless-layouts` to write its dump; the same script makes every
//! dump anew after a deliberate change to the layout (it runs these tests
//! with `HANDOUT_BLESS=1`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use handout_content::{Handout, Library, Paper, Practice, RequestContext, Roster, RosterOptions};

use crate::layout::{GUTTER_MM, MM};
use crate::page::{Page, TextRun};
use crate::role::Role;
use crate::{Document, RenderOptions, Renderer};

/// One fixture: a roster, each of whose rows is a handout, and how to
/// render them.
struct Fixture {
    /// The roster's name in `tests/fixtures/layout/`, without `.toml`.
    roster: &'static str,
    /// How its handouts are rendered.
    options: RenderOptions,
}

/// Every fixture, one a line.
fn fixtures() -> Vec<Fixture> {
    vec![
        Fixture::new("latin", Paper::A4),
        Fixture::new("latin", Paper::Letter),
        Fixture::new("names", Paper::A4),
        Fixture::new("scripts", Paper::A4),
        Fixture::large("large", Paper::A4),
    ]
}

/// The fixtures' folder.
fn folder() -> PathBuf {
    workspace().join("tests/fixtures/layout")
}

/// The workspace's root.
fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

static LIBRARY: LazyLock<Library> = LazyLock::new(Library::builtin);
static PRACTICE: LazyLock<Practice> = LazyLock::new(|| {
    Practice::parse(
        "practice.example.toml",
        include_str!("../../../content/practice.example.toml"),
    )
    .expect("the example practice parses")
});
static RENDERER: LazyLock<Renderer> = LazyLock::new(Renderer::new);

/// A fixture's handouts, laid out: each row's name as written, its
/// document and its PDF.
struct Made {
    name: String,
    pages: Vec<(Option<String>, Document, Vec<u8>)>,
}

impl Fixture {
    fn new(roster: &'static str, paper: Paper) -> Fixture {
        Fixture {
            roster,
            options: RenderOptions {
                paper,
                large_print: false,
            },
        }
    }

    /// The same in large print.
    fn large(roster: &'static str, paper: Paper) -> Fixture {
        let mut fixture = Fixture::new(roster, paper);
        fixture.options.large_print = true;
        fixture
    }

    /// The fixture's name, as its dump is called: `latin-a4`, or
    /// `latin-a4-large` in large print.
    fn name(&self) -> String {
        let paper = match self.options.paper {
            Paper::A4 => "a4",
            Paper::Letter => "letter",
        };
        let large = if self.options.large_print {
            "-large"
        } else {
            ""
        };
        format!("{}-{paper}{large}", self.roster)
    }

    /// The handouts of the roster's rows, dated 25 November 2026.
    fn handouts(&self) -> Vec<(Option<String>, Handout<'static>)> {
        let origin = format!("{}.toml", self.roster);
        let path = folder().join(&origin);
        let bytes = std::fs::read(&path)
            .unwrap_or_else(|error| panic!("failed to read `{}`: {error}", path.display()));
        let roster = Roster::parse(
            &origin,
            &bytes,
            &RosterOptions::default(),
            &LIBRARY.choose_keys(),
        )
        .unwrap_or_else(|error| panic!("{origin}: {error}"));
        let context = RequestContext::new(&LIBRARY, &PRACTICE, jiff::civil::date(2026, 11, 25));
        roster
            .rows
            .iter()
            .map(|row| {
                let request = row
                    .request
                    .validate(&context)
                    .unwrap_or_else(|error| panic!("{origin}:{}: {}", row.line, error.message));
                (row.request.name.clone(), request.handout)
            })
            .collect()
    }

    /// Lays out and writes every handout of the fixture.
    fn make(&self) -> Made {
        let pages = self
            .handouts()
            .into_iter()
            .map(|(name, handout)| {
                let rendered = RENDERER
                    .render(&handout, &self.options)
                    .unwrap_or_else(|error| panic!("{}: {name:?}: {error}", self.name()));
                (name, rendered.document, rendered.pdf)
            })
            .collect();
        Made {
            name: self.name(),
            pages,
        }
    }
}

impl Made {
    /// The fixture's dump: each handout's, in roster order.
    fn dump(&self) -> String {
        self.pages
            .iter()
            .enumerate()
            .map(|(row, (_, document, _))| format!("row {}: {}", row + 1, document.dump()))
            .collect()
    }
}

/// Where two dumps first differ, with a few lines around it, for a
/// message a person can read.
fn first_difference(expected: &str, actual: &str) -> Option<String> {
    let (old, new): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let at = (0..old.len().max(new.len())).find(|&i| old.get(i) != new.get(i))?;
    let mut out = format!("first difference at line {}:\n", at + 1);
    let before = at.saturating_sub(2);
    for line in old.iter().skip(before).take(at - before) {
        out.push_str(&format!("    {line}\n"));
    }
    for line in old.iter().skip(at).take(3) {
        out.push_str(&format!("  - {line}\n"));
    }
    for line in new.iter().skip(at).take(3) {
        out.push_str(&format!("  + {line}\n"));
    }
    let changed = (0..old.len().max(new.len()))
        .filter(|&i| old.get(i) != new.get(i))
        .count();
    out.push_str(&format!(
        "  ({changed} lines differ; {} lines then, {} now)\n",
        old.len(),
        new.len()
    ));
    Some(out)
}

#[test]
fn every_fixture_matches_its_reference_dump() {
    let bless = std::env::var_os("HANDOUT_BLESS").is_some();
    let mut failures = Vec::new();
    for fixture in fixtures() {
        let made = fixture.make();
        let dump = made.dump();
        let path = folder().join(format!("{}.dump", made.name));
        if bless {
            std::fs::write(&path, &dump)
                .unwrap_or_else(|error| panic!("failed to write `{}`: {error}", path.display()));
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(expected) => {
                if let Some(difference) = first_difference(&expected, &dump) {
                    failures.push(format!("{}: {difference}", path.display()));
                }
            }
            Err(error) => failures.push(format!("{}: {error}", path.display())),
        }
    }
    assert!(
        failures.is_empty(),
        "the layout changed; if on purpose, run `scripts/bless-layouts` and commit the \
         dumps\n{}",
        failures.join("\n")
    );
}

/// The left and right ends of a page's two columns.
/// Large print has one column, the measure of the page.
fn columns(page: &Page, large_print: bool) -> Vec<(f32, f32)> {
    let left = page.margin;
    if large_print {
        return vec![(left, page.width - page.margin)];
    }
    let gutter = GUTTER_MM * MM;
    let column = (page.width - 2.0 * page.margin - gutter) / 2.0;
    vec![
        (left, left + column),
        (left + column + gutter, page.width - page.margin),
    ]
}

/// Whether a role's text is set in a column, rather than across the page.
fn is_in_a_column(role: Role) -> bool {
    !matches!(
        role,
        Role::Title | Role::Byline | Role::Footer | Role::Pagination | Role::Link | Role::Code
    )
}

/// Each glyph's ink on the page (left, top, right, bottom), for the
/// glyphs that have ink.
fn ink_boxes(run: &TextRun) -> Vec<[f32; 4]> {
    let fonts = &RENDERER.fonts;
    let shaper = harfrust::ShaperFont::new(fonts.font(run.face));
    let em = fonts.units_per_em(run.face);
    let mut pen = 0.0;
    let mut boxes = Vec::new();
    for glyph in &run.glyphs {
        let x = run.x + (pen + glyph.x_offset) * run.size;
        pen += glyph.advance;
        let Some(extents) = shaper.glyph_extents(harfrust::GlyphId::new(u32::from(glyph.id)))
        else {
            continue;
        };
        if extents.width == 0 || extents.height == 0 {
            continue;
        }
        // Font units, y up: the top is the bearing, the bottom below it.
        let unit = run.size / em;
        let left = x + extents.x_bearing as f32 * unit;
        let right = left + extents.width as f32 * unit;
        let raised = run.baseline - glyph.y_offset * run.size;
        let top = raised - extents.y_bearing as f32 * unit;
        let bottom = raised - (extents.y_bearing + extents.height) as f32 * unit;
        boxes.push([
            left.min(right),
            top.min(bottom),
            left.max(right),
            top.max(bottom),
        ]);
    }
    boxes
}

/// What is wrong with a page, as a proofreader would say it.
fn proof(page: &Page, large_print: bool) -> Vec<String> {
    const SLACK: f32 = 0.01;
    let mut problems = Vec::new();
    let (low, right, bottom) = (
        page.margin - SLACK,
        page.width - page.margin + SLACK,
        page.height - page.margin + SLACK,
    );
    let runs: Vec<&TextRun> = page.runs().collect();
    let inks: Vec<Vec<[f32; 4]>> = runs.iter().map(|run| ink_boxes(run)).collect();
    for (run, ink) in runs.iter().zip(&inks) {
        let end = run.x + run.width();
        if run.x < low || end > right {
            problems.push(format!(
                "{:?} runs from {:.2} to {end:.2} pt, past a side margin",
                run.text, run.x
            ));
        }
        if let Some(glyph) = ink.iter().find(|glyph| glyph[1] < low || glyph[3] > bottom) {
            problems.push(format!(
                "{:?} has ink from {:.2} to {:.2} pt, past the top or bottom margin",
                run.text, glyph[1], glyph[3]
            ));
        }
        if is_in_a_column(run.role)
            && !columns(page, large_print)
                .iter()
                .any(|&(left, right)| run.x >= left - SLACK && end <= right + SLACK)
        {
            problems.push(format!(
                "{:?} ({}) from {:.2} to {end:.2} pt is wider than its column or out of it",
                run.text, run.role, run.x
            ));
        }
    }
    // No glyph draws over a glyph of another run, but for a kern where two
    // runs meet on one line (a bold lead and the text after it).
    for i in 0..runs.len() {
        for j in i + 1..runs.len() {
            let (a, b) = (runs[i], runs[j]);
            let same_line = (a.baseline - b.baseline).abs() < 0.01;
            let kern = if same_line {
                0.1 * a.size.min(b.size)
            } else {
                SLACK
            };
            for x in &inks[i] {
                for y in &inks[j] {
                    let across = x[2].min(y[2]) - x[0].max(y[0]);
                    let down = x[3].min(y[3]) - x[1].max(y[1]);
                    if across > kern && down > SLACK {
                        problems.push(format!(
                            "{:?} and {:?} draw over each other ({across:.2} by {down:.2} pt)",
                            a.text, b.text
                        ));
                    }
                }
            }
        }
    }
    problems
}

#[test]
fn every_fixture_page_passes_a_proofreaders_checks() {
    let mut problems = Vec::new();
    let mut pages = 0;
    for fixture in fixtures() {
        let made = fixture.make();
        for (name, document, _) in &made.pages {
            for page in &document.pages {
                pages += 1;
                problems.extend(
                    proof(page, fixture.options.large_print)
                        .into_iter()
                        .map(|problem| format!("{} ({name:?}): {problem}", made.name)),
                );
            }
        }
    }
    assert!(pages >= 6, "only {pages} pages checked");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_proofreader_finds_a_line_too_wide_and_glyphs_drawn_over_others() {
    let made = fixtures()[0].make();
    let mut page = made.pages[0].1.pages[0].clone();
    assert!(proof(&page, false).is_empty());
    // Move the first item's text onto the next, and stretch a line.
    let mut runs = page
        .elements
        .iter_mut()
        .filter_map(|element| match element {
            crate::Element::Text(run) if run.role == Role::ListItem(crate::ListPart::Body) => {
                Some(run)
            }
            _ => None,
        });
    let first = runs.next().unwrap();
    first.baseline += first.size * 1.2;
    let second = runs.next().unwrap();
    second
        .glyphs
        .iter_mut()
        .for_each(|glyph| glyph.advance *= 1.5);
    let problems = proof(&page, false).join("\n");
    assert!(problems.contains("draw over each other"), "{problems}");
    assert!(problems.contains("wider than its column"), "{problems}");
}

/// The glyph ids a PDF's pages draw, from their content streams: each
/// face is a two-byte CID font whose subset gives `.notdef` the id 0.
fn drawn_glyph_ids(pdf: &[u8]) -> Vec<u16> {
    use lopdf::Object;
    let document = lopdf::Document::load_mem(pdf).expect("the PDF parses");
    let mut ids = Vec::new();
    let mut push = |bytes: &[u8]| {
        ids.extend(
            bytes
                .chunks(2)
                .map(|pair| u16::from_be_bytes([pair[0], *pair.get(1).unwrap_or(&0)])),
        );
    };
    for page in document.get_pages().into_values() {
        let content = document
            .get_and_decode_page_content(page)
            .expect("the page's content decodes");
        for operation in &content.operations {
            match (operation.operator.as_str(), operation.operands.first()) {
                ("Tj", Some(Object::String(bytes, _))) => push(bytes),
                ("TJ", Some(Object::Array(items))) => {
                    for item in items {
                        if let Object::String(bytes, _) = item {
                            push(bytes);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    ids
}

/// The text a ToUnicode CMap, as the writer writes it, gives each code:
/// its `bfchar` entries and `bfrange` ranges.
fn to_unicode_entries(cmap: &str) -> HashMap<u16, Vec<u16>> {
    let hex = |token: &str| -> Vec<u16> {
        let digits = token.trim_matches(['<', '>']);
        (0..digits.len())
            .step_by(4)
            .map(|at| u16::from_str_radix(&digits[at..at + 4], 16).unwrap())
            .collect()
    };
    let mut entries = HashMap::new();
    let mut section = "";
    for line in cmap.lines() {
        if line.ends_with("beginbfchar") || line.ends_with("beginbfrange") {
            section = line.rsplit(' ').next().unwrap();
            continue;
        }
        if line.starts_with("end") {
            section = "";
            continue;
        }
        let tokens: Vec<&str> = line.split_whitespace().collect();
        match (section, &tokens[..]) {
            ("beginbfchar", [code, text]) => {
                entries.insert(hex(code)[0], hex(text));
            }
            ("beginbfrange", [first, last, text]) => {
                let (first, last, text) = (hex(first)[0], hex(last)[0], hex(text));
                for (step, code) in (first..=last).enumerate() {
                    let mut text = text.clone();
                    *text.last_mut().unwrap() += step as u16;
                    entries.insert(code, text);
                }
            }
            _ => {}
        }
    }
    entries
}

#[test]
fn every_glyph_a_fixture_draws_has_a_unicode_value() {
    // PDF/A-2u (ISO 19005-2, 6.2.11.7.2): every glyph shown maps to
    // Unicode, and never to U+0000, U+FEFF or U+FFFE. The later glyphs of a
    // cluster, and an Arabic letter's joining forms, included.
    use lopdf::Object;
    for fixture in fixtures() {
        let made = fixture.make();
        for (name, _, pdf) in &made.pages {
            let document = lopdf::Document::load_mem(pdf).unwrap();
            for (number, page) in document.get_pages() {
                let mut maps = HashMap::new();
                for (resource, font) in document.get_page_fonts(page).unwrap() {
                    let cmap = document
                        .get_object(font.get(b"ToUnicode").unwrap().as_reference().unwrap())
                        .unwrap()
                        .as_stream()
                        .unwrap()
                        .decompressed_content()
                        .unwrap();
                    maps.insert(
                        resource,
                        to_unicode_entries(&String::from_utf8(cmap).unwrap()),
                    );
                }
                let content = document.get_and_decode_page_content(page).unwrap();
                let mut font = Vec::new();
                let mut shown = 0;
                for operation in &content.operations {
                    let strings: Vec<&[u8]> =
                        match (operation.operator.as_str(), &operation.operands[..]) {
                            ("Tf", [Object::Name(resource), ..]) => {
                                font.clone_from(resource);
                                continue;
                            }
                            ("TJ", [Object::Array(items)]) => {
                                items.iter().filter_map(|item| item.as_str().ok()).collect()
                            }
                            _ => continue,
                        };
                    for code in strings.concat().chunks(2) {
                        let code = u16::from_be_bytes([code[0], code[1]]);
                        let text = maps[&font].get(&code);
                        assert!(
                            text.is_some_and(
                                |text| !text.is_empty() && ![0, 0xfeff, 0xfffe].contains(&text[0])
                            ),
                            "{} ({name:?}), page {number}: glyph {code} of {} has no Unicode value",
                            made.name,
                            String::from_utf8_lossy(&font)
                        );
                        shown += 1;
                    }
                }
                assert!(shown > 100, "{} page {number}: {shown} glyphs", made.name);
            }
        }
    }
}

#[test]
fn no_fixture_draws_a_missing_glyph() {
    for fixture in fixtures() {
        let made = fixture.make();
        for (name, _, pdf) in &made.pages {
            let ids = drawn_glyph_ids(pdf);
            assert!(
                ids.len() > 500,
                "{} ({name:?}): {} glyphs",
                made.name,
                ids.len()
            );
            assert!(
                !ids.contains(&0),
                "{} ({name:?}) draws .notdef, a missing glyph's box",
                made.name
            );
        }
    }
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn pdftotext_reads_every_name_back_exactly() {
    use unicode_normalization::UnicodeNormalization;
    let folder = std::env::temp_dir().join(format!("handout-layouts-{}", std::process::id()));
    std::fs::create_dir_all(&folder).expect("failed to make a temporary folder");
    let mut checked = 0;
    for fixture in fixtures() {
        let made = fixture.make();
        for (row, (name, _, pdf)) in made.pages.iter().enumerate() {
            let Some(name) = name else { continue };
            let path = folder.join(format!("{}-{row}.pdf", made.name));
            std::fs::write(&path, pdf).expect("failed to write a PDF");
            let output = std::process::Command::new("pdftotext")
                .arg(&path)
                .arg("-")
                .output();
            let output = match output {
                Ok(output) if output.status.success() => output,
                _ => panic!(
                    "pdftotext failed or is missing: install poppler-utils, or run the \
                     tests without --include-ignored"
                ),
            };
            // Poppler wraps right-to-left text in embedding controls.
            let text: String = String::from_utf8_lossy(&output.stdout)
                .nfc()
                .filter(|c| !matches!(c, '\u{202A}'..='\u{202E}'))
                .collect();
            let name: String = name.nfc().collect();
            let rtl = |c: char| ('\u{590}'..'\u{900}').contains(&c);
            let mixed = name.chars().any(rtl) && name.chars().any(|c| c.is_ascii_alphabetic());
            // A name that changes direction inside its line is put back in
            // order by Poppler word by word, but with the space at the
            // change of direction on the wrong side ("Anna  عائشةSmith"):
            // each word must still come back whole.
            let found = if mixed {
                name.split(' ').all(|word| text.contains(word))
            } else {
                text.contains(&name)
            };
            assert!(
                found,
                "{}: {name:?} is not in the PDF's text:\n{text}",
                made.name
            );
            checked += 1;
        }
    }
    let _ = std::fs::remove_dir_all(&folder);
    assert!(checked >= 6, "only {checked} names checked");
}

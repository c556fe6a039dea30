//! Tagged PDF/UA-1 and PDF/A-2u, read back by independent tools: poppler's
//! view of the structure tree, three offline checkers from PyPI (`outloud`
//! and `pdfua` for PDF/UA-1, `pikepdf`'s PDF/A-2b rules), and the pixels of
//! a page with and without its marks.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{DATE, PRACTICE_EXAMPLE, RENDER_ANA, Test, require_tool, run_tool, runs};

/// The repository, for the fixtures the tests read in place.
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// What the checkers need, as CI installs them.
const CHECKERS: &str = "Python's outloud 0.2.1, pdfua 0.1.3 and pikepdf[pdfa] 10.18 are not \
    installed: python3 -m pip install outloud==0.2.1 pdfua==0.1.3 'pikepdf[pdfa]==10.18.*'";

/// The findings of pikepdf's PDF/A-2b rules that are false alarms for a
/// PDF/A-2u file that is also PDF/UA-1, by rule and a word of the message,
/// with the clause of ISO 19005-2 that allows what it denies.
const FALSE_ALARMS: &[(&str, &str, &str)] = &[
    // 6.6.2.3.2: an extension schema, declared in the XMP itself with the
    // pdfaExtension, pdfaSchema and pdfaProperty namespaces, makes a
    // property of another schema permitted. PDF/UA-1 (ISO 14289-1, 5)
    // requires pdfuaid:part, which PDF/A does not predefine.
    ("ISO_19005_2:6.6.2.3.1-1", "pdfaExtension", "6.6.2.3.2"),
    ("ISO_19005_2:6.6.2.3.1-1", "pdfaSchema", "6.6.2.3.2"),
    ("ISO_19005_2:6.6.2.3.1-1", "pdfaProperty", "6.6.2.3.2"),
    ("ISO_19005_2:6.6.2.3.1-1", "pdfuaid:part", "6.6.2.3.2"),
    // 6.6.4 lets pdfaid:conformance be A, B or U; the checker knows B only.
    ("ISO_19005_2:6.6.4-3", "'U', expected 'B'", "6.6.4"),
];

/// Each PDF the checks read, made in `test`'s folder: the default handout,
/// the Spanish draft, a right-to-left page, large print, a page with
/// pictures and a code for more information, and a combined day.
fn made_pdfs() -> (Test, Vec<PathBuf>) {
    let rtl = Path::new(ROOT).join("tests/fixtures/rtl");
    let test = Test::new()
        .file(
            "practice.toml",
            format!(
                "more-info = \"https://www.example.org/leaflets/leg-cramps\"\n{PRACTICE_EXAMPLE}"
            ),
        )
        .file(
            "roster.csv",
            "name,weeks,language\nAna,28,en\nBea,30,es\nCas,31,en-US\n",
        );
    let render = |args: &[&str], name: &str| {
        let mut command = test.command();
        command.args(RENDER_ANA).args(args).args(["-o", name]);
        let output = command.output().expect("handout runs");
        assert!(
            output.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        test.dir().join(name)
    };
    let mut pdfs = vec![
        render(&[], "default.pdf"),
        render(&["--language", "es"], "spanish.pdf"),
        render(
            &[
                "--content",
                rtl.to_str().unwrap(),
                "--topic",
                "leg-cramps",
                "--language",
                "ar",
            ],
            "rtl.pdf",
        ),
        render(&["--large-print"], "large.pdf"),
        render(&["--practice", "practice.toml"], "pictures-and-code.pdf"),
    ];
    let output = test
        .command()
        .args(["batch", "roster.csv", "-o", "out", "--combined", "day.pdf"])
        .args(["--allow-draft", "--date", DATE])
        .output()
        .expect("handout runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    pdfs.push(test.dir().join("day.pdf"));
    (test, pdfs)
}

#[test]
#[ignore = "needs Python's outloud, pdfua and pikepdf[pdfa], and poppler-utils; run with -- --include-ignored"]
fn every_kind_of_pdf_passes_the_pdf_ua_and_pdf_a_checkers() {
    require_tool(runs("outloud", &["--help"]), CHECKERS);
    require_tool(runs("pdfua", &["--help"]), CHECKERS);
    require_tool(runs("python3", &["-c", "import pikepdf.pdfa"]), CHECKERS);
    let (_test, pdfs) = made_pdfs();
    for pdf in &pdfs {
        let name = pdf.file_name().unwrap().to_string_lossy();
        let outloud = run_tool("outloud", &[], pdf, &[]);
        let said = String::from_utf8_lossy(&outloud.stdout);
        assert!(outloud.status.success(), "{name}: outloud:\n{said}");
        // Outright: no error, no warning, nothing left to review.
        assert!(said.starts_with("PASS"), "{name}: outloud:\n{said}");

        let pdfua = run_tool("pdfua", &["check"], pdf, &[]);
        let said = String::from_utf8_lossy(&pdfua.stdout);
        assert!(pdfua.status.success(), "{name}: pdfua:\n{said}");
        assert!(said.contains("result: PASS"), "{name}: pdfua:\n{said}");
        // pdfua 0.1.3's empty-heading rule raises on a heading whose /K is
        // an array, as every heading set over two lines has ("Si empieza un
        // calambre / o dolor"): its own error, which it reports as a rule
        // not evaluated. Every other rule must run.
        for skipped in said.lines().filter(|line| line.contains("[skip")) {
            assert!(
                skipped.contains("UA-14-001") && skipped.contains("is_integer"),
                "{name}: pdfua left a rule out:\n{said}"
            );
        }

        let script = "import sys, pikepdf, pikepdf.pdfa as a\n\
                      for f in a.check(pikepdf.open(sys.argv[1]), '2b').findings:\n    \
                      print(f.rule, '|', f.message)";
        let pikepdf = Command::new("python3")
            .args(["-c", script])
            .arg(pdf)
            .output()
            .expect("python3 runs");
        assert!(
            pikepdf.status.success(),
            "{name}: pikepdf: {}",
            String::from_utf8_lossy(&pikepdf.stderr)
        );
        for finding in String::from_utf8_lossy(&pikepdf.stdout).lines() {
            let (rule, message) = finding.split_once(" | ").unwrap_or((finding, ""));
            assert!(
                FALSE_ALARMS
                    .iter()
                    .any(|(known, word, _)| rule == *known && message.contains(word)),
                "{name}: pikepdf finds a defect no clause allows: {finding}"
            );
        }
    }
}

/// The strings poppler reads from the structure tree, in its order.
fn struct_text(pdf: &Path) -> Vec<String> {
    let output = run_tool("pdfinfo", &["-struct-text"], pdf, &[]);
    assert!(output.status.success());
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| {
            let line = line.trim();
            line.strip_prefix('"')?
                .strip_suffix('"')
                .map(str::to_string)
        })
        .collect()
}

/// The text a layout dump lists in reading order, leaving out what is
/// marked as furniture: a heading set again and large print's page line.
fn dumped_text(dump: &str) -> Vec<String> {
    dump.lines()
        .filter(|line| line.contains(" text "))
        .filter(|line| !line.contains(" heading-again \"") && !line.contains(" pagination \""))
        .filter_map(|line| {
            let start = line.find(" \"")? + 2;
            Some(unescape(&line[start..line.len() - 1]))
        })
        .collect()
}

/// A dump's text as Rust's `{:?}` writes it (`\u{651}` for a mark), back
/// to the text.
fn unescape(quoted: &str) -> String {
    let mut text = String::with_capacity(quoted.len());
    let mut rest = quoted;
    while let Some(at) = rest.find('\\') {
        text.push_str(&rest[..at]);
        let escape = &rest[at + 1..];
        let (c, used) = match escape.chars().next() {
            Some('u') => {
                let end = escape.find('}').expect("a \\u{..} escape ends");
                let code = u32::from_str_radix(&escape[2..end], 16).expect("hex digits");
                (char::from_u32(code).expect("a character"), end + 1)
            }
            Some('n') => ('\n', 1),
            Some('t') => ('\t', 1),
            Some(other) => (other, other.len_utf8()),
            None => break,
        };
        text.push(c);
        rest = &escape[used..];
    }
    text.push_str(rest);
    text
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn the_structure_holds_every_word_once_in_reading_order() {
    let rtl = Path::new(ROOT).join("tests/fixtures/rtl");
    let rtl = rtl.to_str().unwrap();
    for (what, args) in [
        ("A4", vec![]),
        ("large print", vec!["--large-print"]),
        ("Spanish", vec!["--language", "es"]),
        (
            "right to left",
            vec![
                "--content",
                rtl,
                "--topic",
                "leg-cramps",
                "--language",
                "ar",
            ],
        ),
    ] {
        let test = Test::render_ana()
            .args(args.iter().copied())
            .args(["-o", "out.pdf", "--dump-layout", "out.dump"])
            .run()
            .success();
        // Poppler gives a right-to-left run's characters as drawn, from
        // the left: turned around, they are its text. A glyph's value of
        // a letter and U+034F, which reads as nothing, is that letter.
        let from_tree: Vec<String> = struct_text(&test.path("out.pdf"))
            .into_iter()
            .map(|text| {
                let text = text.replace('\u{34F}', "");
                if text.chars().any(|c| ('\u{590}'..'\u{900}').contains(&c)) {
                    text.chars().rev().collect()
                } else {
                    text
                }
            })
            .collect();
        let laid_out = dumped_text(&test.read_text("out.dump"));
        // A heading over two lines is one marked sequence, whose words come
        // back joined: compare the words.
        let words = |texts: &[String]| -> Vec<String> {
            texts
                .join(" ")
                .split_whitespace()
                .map(str::to_string)
                .collect()
        };
        assert_eq!(words(&from_tree), words(&laid_out), "{what}");
        assert!(
            !from_tree.iter().any(|text| text.contains("(continued)")),
            "{what}"
        );
    }
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn tagging_changes_no_pixel_of_the_page() {
    use lopdf::content::Content;

    let (test, pdfs) = made_pdfs();
    for pdf in &pdfs {
        let name = pdf.file_name().unwrap().to_string_lossy().to_string();
        // The same file with every marked-content operator taken out.
        let mut document = lopdf::Document::load(pdf).expect("the PDF parses");
        for (_, page) in document.get_pages() {
            let mut content = document.get_and_decode_page_content(page).unwrap();
            let before = content.operations.len();
            content
                .operations
                .retain(|operation| !matches!(operation.operator.as_str(), "BDC" | "BMC" | "EMC"));
            // A blank back has nothing to mark; every other page had marks.
            assert!(
                content.operations.len() < before || before == 0,
                "{name}: a page with no marks to take out"
            );
            let bytes = Content {
                operations: content.operations,
            }
            .encode()
            .unwrap();
            document.change_page_content(page, bytes).unwrap();
        }
        let bare = test.dir().join(format!("bare-{name}"));
        document.save(&bare).unwrap();
        let raster = |path: &Path, stem: &str| {
            let out = test.dir().join(stem);
            let output = run_tool(
                "pdftoppm",
                &["-r", "60", "-gray"],
                path,
                &[out.to_str().unwrap()],
            );
            assert!(output.status.success());
            let mut pages: Vec<Vec<u8>> = std::fs::read_dir(test.dir())
                .unwrap()
                .flatten()
                .filter(|entry| {
                    entry
                        .file_name()
                        .to_string_lossy()
                        .starts_with(&format!("{stem}-"))
                })
                .map(|entry| std::fs::read(entry.path()).unwrap())
                .collect();
            pages.sort();
            pages
        };
        let tagged = raster(pdf, &format!("tagged-{name}"));
        let untagged = raster(&bare, &format!("untagged-{name}"));
        assert!(!tagged.is_empty());
        assert!(
            tagged == untagged,
            "{name}: the marks change the page's pixels"
        );
    }
}

/// The `/Lang` of each `Div` of a PDF's structure tree, in order.
fn div_languages(pdf: &[u8]) -> Vec<Option<String>> {
    fn walk(pdf: &lopdf::Document, id: lopdf::ObjectId, out: &mut Vec<Option<String>>) {
        let element = pdf.get_dictionary(id).unwrap();
        if element.get(b"S").unwrap().as_name().unwrap() == b"Div" {
            out.push(
                element
                    .get(b"Lang")
                    .ok()
                    .map(|lang| String::from_utf8_lossy(lang.as_str().unwrap()).to_string()),
            );
        }
        let kids = match element.get(b"K").unwrap() {
            lopdf::Object::Array(kids) => kids.clone(),
            kid => vec![kid.clone()],
        };
        for kid in kids {
            if let lopdf::Object::Reference(child) = kid {
                walk(pdf, child, out);
            }
        }
    }
    let pdf = lopdf::Document::load_mem(pdf).unwrap();
    let root = pdf
        .catalog()
        .unwrap()
        .get(b"StructTreeRoot")
        .unwrap()
        .as_reference()
        .unwrap();
    let document = pdf
        .get_dictionary(root)
        .unwrap()
        .get(b"K")
        .unwrap()
        .as_reference()
        .unwrap();
    let mut out = Vec::new();
    walk(&pdf, document, &mut out);
    out
}

#[test]
fn a_note_in_another_language_is_tagged_with_it_as_the_midwife_says() {
    let arabic = Test::render_ana()
        .args([
            "--note",
            "يرجى الاتصال بي",
            "--note-language",
            "ar",
            "-o",
            "out.pdf",
        ])
        .run()
        .success();
    // The urgent box, then the note in Arabic.
    assert_eq!(
        div_languages(&arabic.read("out.pdf")),
        [None, Some("ar".to_string())]
    );
    // Not said, not guessed: the script alone does not tell Arabic from
    // Urdu or Persian.
    let unsaid = Test::render_ana()
        .args(["--note", "یہ اردو ہے", "-o", "out.pdf"])
        .run()
        .success();
    assert_eq!(div_languages(&unsaid.read("out.pdf")), [None, None]);
    Test::render_ana()
        .args(["--note", "x", "--note-language", "arabic!", "-o", "out.pdf"])
        .run()
        .code(1)
        .stderr_contains("--note-language: the note's language 'arabic!' is not a language tag");
}

#[test]
fn a_roster_column_gives_each_note_its_language() {
    let out = Test::batch(
        "name,weeks,note,note language\nAna,28,یہ اردو ہے,ur\nBea,30,Hello,\nCas,31,Hej,?\n",
    )
    .args(["--combined", "day.pdf"])
    .run()
    .code(1);
    assert!(
        out.stderr
            .contains("roster.csv, row 4, column D: the note's language '?' is not a language tag"),
        "{}",
        out.stderr
    );
    // Each part: the urgent box, then the note in its own language.
    let languages = div_languages(&out.read("day.pdf"));
    assert_eq!(
        languages,
        [None, Some("ur".to_string()), None, None],
        "{languages:?}"
    );
}

#[test]
fn the_default_tagged_handout_with_its_pictures_is_under_20_kb() {
    // Issue 23's budget: tagging and PDF/A must not make a handout big.
    let test = Test::render_ana().args(["-o", "out.pdf"]).run().success();
    let tagged = test.read("out.pdf");
    assert!(
        tagged.len() < 20_000,
        "the default handout is {} bytes",
        tagged.len()
    );
    assert!(!div_languages(&tagged).is_empty(), "it is tagged");
    // The pictures are in it: the same handout without them is smaller.
    let plain = Test::render_ana()
        .args(["--no-pictures", "-o", "out.pdf"])
        .run()
        .success();
    assert!(plain.read("out.pdf").len() < tagged.len());
}

#[test]
#[ignore = "needs Python's outloud, pdfua and pikepdf[pdfa], and poppler-utils; run with -- --include-ignored"]
fn a_long_day_has_a_bookmark_for_each_handout() {
    require_tool(runs("outloud", &["--help"]), CHECKERS);
    let mut roster = String::from("name,weeks\n");
    for name in [
        "Ana", "Bea", "Cas", "Dee", "Eve", "Fay", "Gia", "Ida", "Jo", "Kim", "Lia",
    ] {
        roster.push_str(&format!("{name} López,28\n"));
    }
    let out = Test::batch(roster.as_bytes())
        .args(["--combined", "day.pdf"])
        .run()
        .success();
    let day = out.path("day.pdf");
    let said = run_tool("outloud", &[], &day, &[]);
    let said = String::from_utf8_lossy(&said.stdout);
    assert!(said.contains(" 0 error(s)"), "{said}");
    // Eleven pages need bookmarks (WCAG 2.4.5): one for each patient.
    assert!(!said.contains("NAV-001"), "{said}");
    // What outloud still asks of such a day is its heuristic for running
    // heads: the same title and footer at the top and foot of three pages
    // or more. Each is a handout's own title (its H1) and footer, not a
    // running head, so they stay content; the README says so.
    for warning in said
        .lines()
        .filter(|line| line.trim_start().starts_with("WARNING"))
    {
        assert!(warning.contains("PAG-001"), "{said}");
    }
    let script = "import sys, pikepdf\n\
                  with pikepdf.open(sys.argv[1]) as pdf, pdf.open_outline() as outline:\n    \
                  for item in outline.root: print(item.title)";
    let titles = Command::new("python3")
        .args(["-c", script])
        .arg(&day)
        .output()
        .expect("python3 runs");
    let titles = String::from_utf8_lossy(&titles.stdout);
    assert_eq!(titles.lines().count(), 11, "{titles}");
    assert!(
        titles
            .lines()
            .next()
            .is_some_and(|title| title.starts_with("Prepared for Ana López · 28 weeks · ")),
        "{titles}"
    );
}

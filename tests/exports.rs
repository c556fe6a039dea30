//! Rosters as practices really export them: every Excel CSV and text
//! format, UK, US and European locales, and a records system's own
//! columns, each read end to end and its names read back from the PDFs.
//! The fixtures are made by tests/fixtures/exports/make.py with Python's
//! codecs, as the programs that write them do.

use crate::items::{self, Item, PREVENTION, TREATMENT};
use crate::util::{DATE, Output, Test, read_manifest};

/// `handout batch` on a copy of `tests/fixtures/exports/{file}`, with `-o out`.
fn batch(file: &str) -> Test {
    Test::new()
        .fixture(&format!("exports/{file}"))
        .args(["batch", file, "-o", "out", "--date", DATE])
}

/// What a patient's cell picks from a section: the defaults (an empty
/// cell), none ("none"), or these items.
#[derive(Clone, Copy)]
enum Picked {
    Defaults,
    None,
    Items(&'static [&'static str]),
}

impl Picked {
    /// The ids printed from `section`.
    fn ids(self, section: &[Item]) -> Vec<&'static str> {
        match self {
            Picked::Defaults => items::defaults(section),
            Picked::None => Vec::new(),
            Picked::Items(ids) => ids.to_vec(),
        }
    }
}

/// The patients every export holds, what their handouts must say, and the
/// advice printed.
const PATIENTS: [(&str, &str, &str, Picked, Picked); 4] = [
    // file, name, weeks (28+3 prints 28), prevention, treatment
    (
        "0017-José-López.pdf",
        "José López",
        "28 weeks",
        Picked::Items(&["walking", "calf-stretches"]),
        Picked::Items(&["warm-bath"]),
    ),
    // Due 17 February 2027, 12 weeks after the handout's date.
    (
        "0018-Zoë-Ní-Bhriain.pdf",
        "Zoë Ní Bhriain",
        "28 weeks",
        Picked::Defaults,
        Picked::Defaults,
    ),
    (
        "0021-Françoise-Müller.pdf",
        "Françoise Müller",
        "34 weeks",
        Picked::None,
        Picked::Items(&["warm-bath"]),
    ),
    (
        "0023-Ægir-Østergaard.pdf",
        "Ægir Østergaard",
        "12 weeks",
        Picked::Defaults,
        Picked::Items(&["moist-heat"]),
    ),
];

/// Asserts that the run made every patient's handout, right.
#[track_caller]
fn assert_every_patient(out: &Output) {
    let manifest = read_manifest(&out.read_text("out/manifest.csv"));
    for (file, name, weeks, prevention, treatment) in PATIENTS {
        let text = out.pdf(&format!("out/{file}")).text();
        text.assert_has(&format!("Prepared for {name} · {weeks} · 25 November 2026"));
        let (prevention, treatment) = (prevention.ids(PREVENTION), treatment.ids(TREATMENT));
        items::assert_items(&text, PREVENTION, &prevention);
        items::assert_items(&text, TREATMENT, &treatment);
        let record = manifest
            .iter()
            .find(|record| record["file"] == file)
            .unwrap_or_else(|| panic!("{file} is not in the manifest"));
        assert_eq!(record["name"], name);
        // The massage caution goes with massage, and is no pick.
        assert_eq!(
            record["picks"],
            format!(
                "prevention={}; treatment={}",
                prevention.join(","),
                treatment.join(",")
            ),
            "{file}"
        );
    }
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn excel_csv_utf8_uk() {
    let out = batch("excel-uk-utf8.csv").run().success();
    assert_every_patient(&out);
    // Greek, which no Excel code page of the West holds, comes through.
    out.pdf("out/0030-Ελένη-Παπαδοπούλου.pdf")
        .text()
        .assert_has("Prepared for Ελένη Παπαδοπούλου · 20 weeks");
    assert!(!out.stderr.contains("Windows-1252"), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("note: excel-uk-utf8.csv: dates read day first (DD/MM/YYYY"),
        "{}",
        out.stderr
    );
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn excel_csv_windows_1252_uk_us_and_german() {
    for (file, order) in [
        ("excel-uk-1252.csv", "day first"),
        ("excel-us-1252.csv", "month first"),
        ("excel-de-1252.csv", "day first"),
    ] {
        let out = batch(file).run().success();
        assert_every_patient(&out);
        assert!(
            out.stderr.contains(&format!(
                "note: {file}: read as Windows-1252, the encoding of Excel's \"CSV (Comma \
                 delimited)\""
            )),
            "{}",
            out.stderr
        );
        assert!(
            out.stderr.contains(&format!("dates read {order}")),
            "{}",
            out.stderr
        );
        // Patient names never reach the terminal; column names may.
        assert!(!out.stderr.contains("José"), "{}", out.stderr);
    }
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn excel_unicode_text_is_utf16_with_tabs() {
    let out = batch("excel-unicode-text.txt").run().success();
    assert_every_patient(&out);
    out.pdf("out/0030-Ελένη-Παπαδοπούλου.pdf")
        .text()
        .assert_has("Prepared for Ελένη Παπαδοπούλου");
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn excel_for_old_macs_is_mac_roman() {
    let out = batch("excel-mac.csv").run().success();
    assert_every_patient(&out);
    assert!(
        out.stderr
            .contains("read as Mac Roman, the encoding of Excel's \"CSV (Macintosh)\""),
        "{}",
        out.stderr
    );
}

/// The one handout of a run, by the name the PDF prints.
#[track_caller]
fn assert_printed(out: &Output, name: &str) {
    let pdfs: Vec<String> = out
        .list("out")
        .into_iter()
        .filter(|file| file.ends_with(".pdf"))
        .collect();
    assert_eq!(pdfs.len(), 1, "{pdfs:?}\n{}", out.stderr);
    out.pdf(&format!("out/{}", pdfs[0]))
        .text()
        .assert_has(&format!("Prepared for {name} ·"));
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn central_european_turkish_and_cyrillic_code_pages_are_guessed() {
    let out = batch("excel-pl-1250.csv").run().success();
    for (file, name) in [
        ("2-Łukasz-Wójcik.pdf", "Łukasz Wójcik"),
        ("3-Małgorzata-Żak.pdf", "Małgorzata Żak"),
        ("4-Łucja-Żółć.pdf", "Łucja Żółć"),
    ] {
        out.pdf(&format!("out/{file}"))
            .text()
            .assert_has(&format!("Prepared for {name} ·"));
    }
    for (file, name, encoding) in [
        ("excel-pl-1250.csv", "", "Windows-1250"),
        ("excel-cz-1250.csv", "Kateřina Dvořáková", "Windows-1250"),
        ("excel-tr-1254.csv", "Ayşe Yılmaz", "Windows-1254"),
        ("excel-ua-1251.csv", "Олена Коваленко", "Windows-1251"),
    ] {
        let out = batch(file).run().success();
        if !name.is_empty() {
            assert_printed(&out, name);
        }
        assert!(
            out.stderr.contains(&format!(
                "note: {file}: read as {encoding}, the encoding of Excel's"
            )),
            "{}",
            out.stderr
        );
        // Patient names never reach the terminal in a note.
        assert!(
            !out.stderr.contains("Kateřina") && !out.stderr.contains("Ayşe"),
            "{}",
            out.stderr
        );
    }
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn a_roster_two_code_pages_read_differently_is_refused_until_named() {
    for (file, readings, name, label) in [
        (
            "excel-tr-1254-gulsen.csv",
            "'Gülşen' in windows-1254, 'Gülþen' in windows-1252",
            "Gülşen Öztürk",
            "windows-1254",
        ),
        (
            "excel-fr-1252-helene.csv",
            "'Hélčne' in windows-1250, 'Hélène' in windows-1252",
            "Hélène Dubois",
            "windows-1252",
        ),
    ] {
        let out = batch(file).run().code(2);
        assert!(
            out.stderr.starts_with(&format!(
                "error: {file}:2:1: the roster is not UTF-8, and reads as names in more than one \
                 code page, differently: {readings}; say which is right with --encoding"
            )),
            "{}",
            out.stderr
        );
        assert!(out.stderr.contains("[roster] encoding"), "{}", out.stderr);
        assert!(out.stderr.contains("CSV UTF-8"), "{}", out.stderr);
        // The file is a roster; what one is goes unsaid.
        assert!(!out.stderr.contains("hint: a roster is"), "{}", out.stderr);
        assert!(!out.path("out").exists());
        let out = batch(file).args(["--encoding", label]).run().success();
        assert_printed(&out, name);
        // A named encoding is no guess, and needs no note.
        assert!(!out.stderr.contains("read as"), "{}", out.stderr);
    }
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn a_named_encoding_prints_the_names_exactly() {
    for (file, name, label) in [
        ("excel-cz-1250.csv", "Kateřina Dvořáková", "windows-1250"),
        ("excel-cz-1250.csv", "Kateřina Dvořáková", "cp1250"),
        ("excel-tr-1254.csv", "Ayşe Yılmaz", "windows-1254"),
        ("excel-tr-1254-gulsen.csv", "Gülşen Öztürk", "iso-8859-9"),
    ] {
        let out = batch(file).args(["--encoding", label]).run().success();
        assert_printed(&out, name);
    }
    let out = batch("excel-pl-1250.csv")
        .args(["--encoding", "Windows-1250"])
        .run()
        .success();
    out.pdf("out/4-Łucja-Żółć.pdf")
        .text()
        .assert_has("Prepared for Łucja Żółć ·");
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn a_practice_names_its_exports_encoding_and_the_flag_wins() {
    let practice = "[roster]\nencoding = \"windows-1250\"\n";
    let run = || {
        batch("excel-cz-1250.csv")
            .file("practice.toml", practice)
            .args(["--practice", "practice.toml"])
    };
    assert_printed(&run().run().success(), "Kateřina Dvořáková");
    // The command line wins: the same bytes in Windows-1252.
    let out = run().args(["--encoding", "windows-1252"]).run().success();
    assert_printed(&out, "Kateøina Dvoøáková");
    // A UTF-8 export is not read as the practice's code page.
    let out = Test::new()
        .file("r.csv", "name\nKateřina Dvořáková\n")
        .file("practice.toml", practice)
        .args(["batch", "r.csv", "-o", "out", "--date", DATE])
        .args(["--practice", "practice.toml"])
        .run()
        .code(2);
    assert!(
        out.stderr.starts_with(
            "error: r.csv is UTF-8, as its accented letters show, but its encoding is set to \
             windows-1250"
        ),
        "{}",
        out.stderr
    );
    // A mistyped label in the practice file is located there.
    let out = batch("excel-cz-1250.csv")
        .file("practice.toml", "[roster]\nencoding = \"windows-1205\"\n")
        .args(["--practice", "practice.toml"])
        .run()
        .code(2);
    assert!(
        out.stderr.contains(
            "practice.toml:2:12: `encoding`: unknown encoding 'windows-1205'; did you mean \
             'windows-1250'?"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn an_encoding_that_cannot_be_used_is_refused_saying_where() {
    let out = batch("excel-cz-1250.csv")
        .args(["--encoding", "cp1205"])
        .run()
        .code(2);
    assert!(
        out.stderr
            .starts_with("error: --encoding: unknown encoding 'cp1205'; did you mean 'cp1250'?"),
        "{}",
        out.stderr
    );
    // 0xAA is no character in Windows-1253.
    let out = Test::new()
        .file("r.csv", b"name\r\nAna\r\n\xc5\xaa\xdd\r\n")
        .args(["batch", "r.csv", "-o", "out", "--date", DATE])
        .args(["--encoding", "windows-1253"])
        .run()
        .code(2);
    assert!(
        out.stderr
            .starts_with("error: r.csv:3:2: this byte is no character in windows-1253"),
        "{}",
        out.stderr
    );
    // A byte-order mark says UTF-8.
    let out = Test::new()
        .file("r.csv", "\u{feff}name\nAna\n")
        .args(["batch", "r.csv", "-o", "out", "--date", DATE])
        .args(["--encoding", "windows-1250"])
        .run()
        .code(2);
    assert!(
        out.stderr.starts_with(
            "error: r.csv is UTF-8, as the mark at its start says, but its encoding is set to \
             windows-1250"
        ),
        "{}",
        out.stderr
    );
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn a_records_systems_columns_are_known_or_ignored() {
    let out = batch("records-system.csv").run().success();
    assert!(
        out.stderr.contains(
            "note: records-system.csv: ignored 3 columns handout does not use: 'Appointment' \
             (column C), 'Clinic' (column D), 'DOB' (column G)"
        ),
        "{}",
        out.stderr
    );
    // Named by their NHS numbers.
    let names = out.list("out");
    assert!(
        names.contains(&"943-476-0017-José-López.pdf".to_string()),
        "{names:?}"
    );
    out.pdf("out/943-476-0018-Zoë-Ní-Bhriain.pdf")
        .text()
        .assert_has("Prepared for Zoë Ní Bhriain · 28 weeks");
    let strict = batch("records-system.csv")
        .arg("--strict-columns")
        .run()
        .code(2);
    let errors: Vec<&str> = strict
        .stderr
        .lines()
        .filter(|line| line.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 3, "{}", strict.stderr);
    assert!(
        errors[0].starts_with(
            "error: records-system.csv, row 1, column C: unknown column 'Appointment'"
        )
    );
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn a_practice_maps_its_own_columns_and_date_order() {
    let roster = "Client;Gest. age;Expected;Clinic\n\
                  Ana López;28;;A\n\
                  Bea Smith;;05/03/2027;B\n";
    let practice = "[roster]\ndate-order = \"dmy\"\n\n[roster.columns]\n\
                    name = \"Client\"\nweeks = \"Gest. age\"\ndue-date = \"Expected\"\n";
    let out = Test::new()
        .file("clinic.csv", roster)
        .file("practice.toml", practice)
        .args(["batch", "clinic.csv", "-o", "out", "--date", DATE])
        .args(["--practice", "practice.toml"])
        .run()
        .success();
    // 5 March 2027 is 14 weeks and 2 days after the handout's date.
    out.pdf("out/3-Bea-Smith.pdf")
        .text()
        .assert_has("Prepared for Bea Smith · 25 weeks");
    out.pdf("out/2-Ana-López.pdf")
        .text()
        .assert_has("Prepared for Ana López · 28 weeks");
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn dates_in_one_order_are_read_and_mixed_or_ambiguous_ones_refused() {
    let run = |text: &str| {
        Test::new()
            .file("r.csv", text)
            .args(["batch", "r.csv", "-o", "out", "--date", DATE])
    };
    // Only month first: 2/17/2027.
    let out = run("name,due date\nAna,2/17/2027\nBea,3/5/2027\n")
        .run()
        .success();
    out.pdf("out/2-Ana.pdf")
        .text()
        .assert_has("Prepared for Ana · 28 weeks");
    // 17/02 is day first, 2/17 month first: refused whole.
    let out = run("name,due date\nAna,17/02/2027\nBea,2/17/2027\n")
        .run()
        .code(2);
    assert!(
        out.stderr.starts_with(
            "error: r.csv: the dates are written in both orders: row 2 can only be day first \
             and row 3 only month first"
        ),
        "{}",
        out.stderr
    );
    // Every day 12 or less: which order is it?
    let ambiguous = "name,due date\nAna,05/03/2027\nBea,06/02/2027\n";
    let out = run(ambiguous).run().code(2);
    assert!(
        out.stderr
            .contains("every date can be read day first or month first (as row 2's)"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("--date-order dmy"), "{}", out.stderr);
    let out = run(ambiguous).args(["--date-order", "mdy"]).run().success();
    // Month first, 06/02/2027 is 2 June 2027: 27 weeks away, 13 along.
    out.pdf("out/3-Bea.pdf")
        .text()
        .assert_has("Prepared for Bea · 13 weeks");
    // Two-digit years are that row's error.
    let out = run("name,due date\nAna,17/02/27\nBea,2027-02-17\n")
        .run()
        .code(1);
    assert!(
        out.stderr.starts_with(
            "r.csv, row 2, column B: due date '17/02/27' has a 2-digit year; write the year in full"
        ),
        "{}",
        out.stderr
    );
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn gestation_as_midwives_write_it() {
    let out = Test::new()
        .file(
            "r.csv",
            "name,GA\nA,28\nB,28+3\nC,28w\nD,28 weeks\nE,28w3d\nF,28/40\nG,28.5\n",
        )
        .args(["batch", "r.csv", "-o", "out", "--date", DATE])
        .run()
        .code(1);
    for file in ["2-A", "3-B", "4-C", "5-D", "6-E", "7-F"] {
        out.pdf(&format!("out/{file}.pdf"))
            .text()
            .assert_has("· 28 weeks ·");
    }
    assert!(
        out.stderr
            .starts_with("r.csv, row 8, column B: weeks must be written like 28"),
        "{}",
        out.stderr
    );
}

#[test]
fn ids_a_spreadsheet_mangled_fail_their_rows() {
    let out = Test::new()
        .file(
            "r.csv",
            "MRN,name\n0017,Ana\n1.23457E+11,Bea\n21,Cas\n0022,Dee\n",
        )
        .args(["batch", "r.csv", "-o", "out", "--date", DATE])
        .run()
        .code(1);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert!(
        lines[0].starts_with(
            "r.csv, row 3, column A: id '1.23457E+11' is a number the spreadsheet shortened"
        ),
        "{}",
        out.stderr
    );
    assert!(
        lines[1].starts_with(
            "r.csv, row 4, column A: id '21' has 2 digits where the others have 4 with leading zeros"
        ),
        "{}",
        out.stderr
    );
    assert!(
        lines[1].contains("format that column as Text"),
        "{}",
        out.stderr
    );
    assert_eq!(
        out.list("out"),
        ["0017-Ana.pdf", "0022-Dee.pdf", "manifest.csv"]
    );
}

#[test]
fn every_header_problem_is_said_at_once() {
    let out = Test::new()
        .file(
            "r.csv",
            "Name,Preventon,EDD,Treatmnt,Due Date,Ward\nAna,,,,,\n",
        )
        .args(["batch", "r.csv", "-o", "out", "--date", DATE])
        .run()
        .code(2);
    let errors: Vec<&str> = out
        .stderr
        .lines()
        .filter(|line| line.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 3, "{}", out.stderr);
    assert!(errors[0].starts_with(
        "error: r.csv, row 1, column B: unknown column 'Preventon'; did you mean 'prevention'?"
    ));
    assert!(errors[1].starts_with(
        "error: r.csv, row 1, column D: unknown column 'Treatmnt'; did you mean 'treatment'?"
    ));
    assert!(errors[2].starts_with(
        "error: r.csv, row 1, column E: column 'Due Date' is the due-date again, as column 3 'EDD' is"
    ));
}

#[test]
fn excels_empty_columns_and_rows_of_delimiters_are_ignored() {
    let out = Test::new()
        .file(
            "r.csv",
            "name;weeks;;;\r\nAna;28;;;\r\n;;;;\r\nBea;30;;;;;\r\n",
        )
        .args(["batch", "r.csv", "-o", "out", "--date", DATE])
        .run()
        .success();
    assert_eq!(out.list("out"), ["2-Ana.pdf", "4-Bea.pdf", "manifest.csv"]);
    assert!(!out.stderr.contains("quote"), "{}", out.stderr);
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn a_baltic_export_is_refused_until_named_never_read_as_central_european() {
    // "Ieva Ozoliņa" from Latvian Windows (1257): byte 0xF2 is `ņ` there and
    // `ň` in Windows-1250, which once printed "Ozoliňa".
    let roster = b"name,weeks\nIeva Ozoli\xf2a,28\n".as_slice();
    let out = Test::batch(roster).run().code(2);
    assert!(
        out.stderr.contains("'Ozoliņa' in windows-1257"),
        "{}",
        out.stderr
    );
    assert!(!out.path("out").exists());
    let out = Test::batch(roster)
        .args(["--encoding", "windows-1257"])
        .run()
        .success();
    assert_printed(&out, "Ieva Ozoliņa");
}

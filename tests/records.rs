//! Rosters as records systems export them: headers spelled out, both the
//! weeks and the due date given, and columns the program knows under other
//! names, which are read or refused, never dropped.

use crate::serve::Server;
use crate::util::{DATE, Output, Test, read_csv, read_manifest};

/// The export the defect was found with: it printed no weeks at all.
const SPELLED_OUT: &str = "NHS No,Surname,Forenames,Date of Birth,Estimated Due Date,Gestational Age\n\
     943 476 0017,López,Ana,1990-01-01,2027-02-17,\n\
     943 476 0018,Smith,Bea,1991-02-02,,30+2\n\
     943 476 0019,Ruiz,Carmen,1992-03-03,2027-02-17,28+1\n";

/// Both weeks and a due date (on 2026-11-25, 2027-02-17 is 28+0): within a
/// week of each other, more than a week apart, and one or neither given.
const BOTH: &str = "name,weeks,due date,note\n\
                    Ana López,27+0,2027-02-17,Rest well\n\
                    Bea Smith,30+2,2027-02-17,Call me\n\
                    Carmen Ruiz,29,,\n\
                    Dee Jones,,2027-02-17,\n\
                    Eve Brown,,,\n\
                    Fay Green,26,2027-02-17,\n";

/// The text of the handout the manifest says row `row` was written to.
fn handout_text(out: &Output, row: usize) -> String {
    let manifest = read_manifest(&out.read_text("out/manifest.csv"));
    let record = manifest
        .iter()
        .find(|record| record["row"] == row.to_string())
        .unwrap_or_else(|| panic!("no row {row} in the manifest"));
    out.pdf(&format!("out/{}", record["file"])).text().raw
}

/// The `warning:` lines of a run.
fn warnings(out: &Output) -> Vec<&str> {
    out.stderr
        .lines()
        .filter(|line| line.starts_with("warning: "))
        .collect()
}

#[test]
fn a_spelled_out_records_export_is_read_whole() {
    // What needs no PDF reader: every row made, named by its NHS number,
    // with what its weeks were counted from, and only the date of birth
    // left unread.
    let out = Test::batch(SPELLED_OUT).run().success();
    assert_eq!(
        out.stderr.lines().next(),
        Some("note: roster.csv: ignored 1 column handout does not use: 'Date of Birth' (column D)"),
        "stderr:\n{}",
        out.stderr
    );
    let manifest = read_manifest(&out.read_text("out/manifest.csv"));
    let rows: Vec<(&str, &str, &str)> = manifest
        .iter()
        .map(|record| {
            (
                record["id"].as_str(),
                record["file"].as_str(),
                record["gestation_from"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("943 476 0017", "943-476-0017-Ana-López.pdf", "due date"),
            ("943 476 0018", "943-476-0018-Bea-Smith.pdf", "weeks"),
            ("943 476 0019", "943-476-0019-Carmen-Ruiz.pdf", "due date"),
        ]
    );
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn a_spelled_out_records_export_prints_the_weeks() {
    let out = Test::batch(SPELLED_OUT).run().success();
    assert_eq!(
        out.stderr.lines().next(),
        Some("note: roster.csv: ignored 1 column handout does not use: 'Date of Birth' (column D)"),
        "stderr:\n{}",
        out.stderr
    );
    for (row, prepared) in [
        (2, "Prepared for Ana López · 28 weeks · 25 November 2026"),
        (3, "Prepared for Bea Smith · 30 weeks · 25 November 2026"),
        (4, "Prepared for Carmen Ruiz · 28 weeks · 25 November 2026"),
    ] {
        let text = handout_text(&out, row);
        assert!(text.contains(prepared), "row {row}:\n{text}");
    }
    // Named by their NHS numbers.
    assert!(
        out.list("out")
            .contains(&"943-476-0017-Ana-López.pdf".to_string()),
        "{:?}",
        out.list("out")
    );
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn spelled_out_headers_are_read_as_their_fields() {
    // Each header alone, beside a name: the weeks it gives are printed.
    for (header, cell) in [
        ("Estimated Due Date", "2027-02-17"),
        ("Expected Due Date", "2027-02-17"),
        ("Expected Date of Delivery", "2027-02-17"),
        ("Estimated Date of Delivery", "2027-02-17"),
        ("EDD", "2027-02-17"),
        ("EDC", "2027-02-17"),
        ("Due Date", "2027-02-17"),
        ("Gestational Age", "28+0"),
        ("Gestation", "28"),
        ("Gestation (weeks)", "28"),
        ("Gestation Weeks", "28w"),
        ("Weeks Pregnant", "28"),
        ("GA", "28/40"),
    ] {
        let out = Test::batch(format!("Patient Name,{header}\nAna,{cell}\n"))
            .run()
            .success();
        assert!(
            !out.stderr.contains("ignored"),
            "{header}: stderr:\n{}",
            out.stderr
        );
        out.pdf("out/2-Ana.pdf")
            .text()
            .assert_has("Prepared for Ana · 28 weeks");
    }
    // Record numbers and split names, in every spelling, a few to a roster.
    let ids = [
        "NHS No",
        "NHS No.",
        "NHS Number",
        "Hospital No",
        "Hospital Number",
        "MRN",
        "Patient ID",
        "Unit Number",
    ];
    let first = [
        "Forename",
        "Forenames",
        "Forename(s)",
        "First Name(s)",
        "Given Name(s)",
    ];
    let last = ["Surname", "Last Name", "Family Name"];
    for (index, id) in ids.into_iter().enumerate() {
        let (first, last) = (first[index % first.len()], last[index % last.len()]);
        let roster = format!("{id},{last},{first},EDD\nK{index},López,Ana,2027-02-17\n");
        let out = Test::batch(roster).run().success();
        assert!(!out.stderr.contains("ignored"), "stderr:\n{}", out.stderr);
        out.pdf(&format!("out/K{index}-Ana-López.pdf"))
            .text()
            .assert_has("Prepared for Ana López · 28 weeks");
    }
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn a_column_naming_a_field_in_other_words_is_refused_with_the_practice_files_line() {
    let roster = "NHS Number,Surname,Forename,Clinic,Date Baby Due\n\
                  943 476 0017,López,Ana,Antenatal,2027-02-17\n";
    let out = Test::batch(roster).run().code(2);
    assert_eq!(
        out.stderr.lines().next(),
        Some(
            "error: roster.csv, row 1, column E: column 'Date Baby Due' may be the due date, \
             under a name handout does not know, and no other column is; if it is, say so in \
             the practice file: [roster.columns] due-date = \"Date Baby Due\" (if it is not, \
             rename the column)"
        ),
        "stderr:\n{}",
        out.stderr
    );
    assert!(!out.stderr.contains("López"), "stderr:\n{}", out.stderr);
    assert_eq!(out.created_files(), Vec::<String>::new());

    // The line it gives maps the column, and the weeks are printed.
    let out = Test::batch(roster)
        .file(
            "practice.toml",
            "[roster.columns]\ndue-date = \"Date Baby Due\"\n",
        )
        .args(["--practice", "practice.toml"])
        .run()
        .success();
    out.pdf("out/943-476-0017-Ana-López.pdf")
        .text()
        .assert_has("Prepared for Ana López · 28 weeks");

    // Every such column at once, each at its own; the weeks and a split
    // name's missing part too.
    let out =
        Test::batch("Surname,Christian Name,Gest. Age,Named Midwife\nLópez,Ana,28,Jo Smith\n")
            .run()
            .code(2);
    let errors: Vec<&str> = out
        .stderr
        .lines()
        .filter(|line| line.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 3, "stderr:\n{}", out.stderr);
    for (error, (at, line)) in errors.iter().zip([
        ("B", "first-name = \"Christian Name\""),
        ("C", "weeks = \"Gest. Age\""),
        ("D", "midwife = \"Named Midwife\""),
    ]) {
        assert!(
            error.starts_with(&format!("error: roster.csv, row 1, column {at}: column "))
                && error.contains(&format!("[roster.columns] {line}")),
            "{error}"
        );
    }
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn a_last_period_column_is_refused_unless_the_weeks_come_from_elsewhere() {
    let out = Test::batch("Patient Name,LMP\nAna,2026-05-13\n")
        .run()
        .code(2);
    assert_eq!(
        out.stderr.lines().next(),
        Some(
            "error: roster.csv, row 1, column B: column 'LMP' is the last menstrual period, which \
             handout does not count weeks from, as a dating scan may have moved the due date; \
             export the due date (EDD) or the gestation instead"
        ),
        "stderr:\n{}",
        out.stderr
    );
    let out = Test::batch("Patient Name,LMP,EDD\nAna,2026-05-13,2027-02-17\n")
        .run()
        .success()
        .stderr_contains("ignored 1 column handout does not use: 'LMP' (column B)");
    out.pdf("out/2-Ana.pdf")
        .text()
        .assert_has("Prepared for Ana · 28 weeks");
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn a_records_systems_own_columns_are_only_noted() {
    let roster = "Patient Name,Appointment,DOB,Date of Birth,Clinic,Time,Consultant,Address,EDD\n\
                  Ana,09:30,1990-01-01,1990-01-01,Antenatal,09:30,Dr Who,1 High St,2027-02-17\n";
    let out = Test::batch(roster).run().success();
    assert_eq!(
        out.stderr.lines().next(),
        Some(
            "note: roster.csv: ignored 7 columns handout does not use: 'Appointment' (column \
             B), 'DOB' (column C), 'Date of Birth' (column D), 'Clinic' (column E), 'Time' \
             (column F), 'Consultant' (column G), 'Address' (column H)"
        ),
        "stderr:\n{}",
        out.stderr
    );
    out.pdf("out/2-Ana.pdf")
        .text()
        .assert_has("Prepared for Ana · 28 weeks");
    // --strict-columns still refuses each of them.
    let out = Test::batch(roster).arg("--strict-columns").run().code(2);
    let errors = out
        .stderr
        .lines()
        .filter(|line| line.starts_with("error: "))
        .count();
    assert_eq!(errors, 7, "stderr:\n{}", out.stderr);
    // A typo of a known column is still an error.
    Test::batch("Patient Name,Gestaton\nAna,28\n")
        .run()
        .code(2)
        .stderr_contains(
            "error: roster.csv, row 1, column B: unknown column 'Gestaton'; did you mean 'weeks'?",
        );
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn with_both_weeks_and_due_date_the_due_date_is_printed_and_a_week_apart_warned() {
    let out = Test::batch(BOTH).run().success();
    assert_eq!(
        warnings(&out),
        [
            "warning: row 3: the weeks given (30+2) are more than a week off the 28+0 its due \
             date gives on 2026-11-25: printed 28 weeks, from the due date; check the patient's \
             record",
            "warning: row 7: the weeks given (26) are more than a week off the 28+0 its due \
             date gives on 2026-11-25: printed 28 weeks, from the due date; check the patient's \
             record",
        ],
        "stderr:\n{}",
        out.stderr
    );
    // Row numbers only: no name nor note reaches the warnings.
    for secret in ["Bea", "Smith", "Fay", "Call me"] {
        assert!(!out.stderr.contains(secret), "{secret}: {}", out.stderr);
    }
    for (row, prepared) in [
        (2, "Prepared for Ana López · 28 weeks"),
        (3, "Prepared for Bea Smith · 28 weeks"),
        (4, "Prepared for Carmen Ruiz · 29 weeks"),
        (5, "Prepared for Dee Jones · 28 weeks"),
        (7, "Prepared for Fay Green · 28 weeks"),
    ] {
        let text = handout_text(&out, row);
        assert!(text.contains(prepared), "row {row}:\n{text}");
    }

    // The manifest says which was printed, in the column after the picks.
    let text = out.read_text("out/manifest.csv");
    let header = read_csv(&text).into_iter().next().unwrap_or_default();
    let picks = header.iter().position(|column| column == "picks");
    assert_eq!(
        header.get(picks.map_or(0, |at| at + 1)).map(String::as_str),
        Some("gestation_from"),
        "{header:?}"
    );
    let from: Vec<String> = read_manifest(&text)
        .into_iter()
        .map(|record| record["gestation_from"].clone())
        .collect();
    assert_eq!(
        from,
        ["due date", "due date", "weeks", "due date", "", "due date"]
    );

    // --check says the same, and writes nothing.
    let check = Test::batch(BOTH).arg("--check").run().success();
    assert_eq!(warnings(&check), warnings(&out));
}

#[test]
fn the_web_pages_day_warns_as_handout_batch_does() {
    let test = Test::new().file("roster.csv", BOTH);
    let server = Server::start(&test);
    let answer = server
        .roster(
            "check",
            &format!("date={DATE}&file=roster.csv"),
            BOTH.as_bytes(),
        )
        .send()
        .status(200)
        .json();
    let out = test
        .args([
            "batch",
            "roster.csv",
            "-o",
            "out",
            "--check",
            "--date",
            DATE,
        ])
        .run()
        .success();
    let said: Vec<String> = warnings(&out)
        .iter()
        .map(|line| line["warning: ".len()..].to_string())
        .collect();
    assert_eq!(said.len(), 2, "stderr:\n{}", out.stderr);
    assert_eq!(answer["warnings"], serde_json::json!(said), "{answer}");
    assert_eq!(answer["ready"], 6, "{answer}");
}

#[test]
fn a_rerun_into_a_folder_with_an_earlier_manifest_replaces_it() {
    let earlier = "row,id,name,topic,language,version,file,pages,picks,sha256,content_sha256,\
                   program,status\n\
                   2,,Ana,leg-cramps,en,2,2-Ana.pdf,1,,,,handout 0.1.0,written\n";
    let out = Test::new()
        .folder("out")
        .file("out/manifest.csv", earlier)
        .file("roster.csv", "name,weeks\nAna,28\n")
        .args(["batch", "roster.csv", "-o", "out", "--date", DATE])
        .run()
        .success();
    let manifest = read_manifest(&out.read_text("out/manifest.csv"));
    assert_eq!(manifest.len(), 1);
    assert_eq!(manifest[0]["gestation_from"], "weeks");
    assert_eq!(manifest[0]["file"], "2-Ana.pdf");
}

#[test]
fn render_refuses_both_weeks_and_due_date_as_a_usage_error() {
    let out = Test::new()
        .args(["render", "--name", "Ana", "--weeks", "28"])
        .args(["--due-date", "2027-02-17", "-o", "ana.pdf"])
        .run()
        .code(2);
    assert!(
        out.stderr
            .contains("the argument '--weeks <WEEKS>' cannot be used with '--due-date <DATE>'"),
        "stderr:\n{}",
        out.stderr
    );
    assert_eq!(out.created_files(), Vec::<String>::new());
}

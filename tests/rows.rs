//! A line of a roster that is not a whole row never becomes a patient, and
//! never cuts short the row it belongs to.

use crate::util::{Test, read_manifest};

#[test]
fn an_unquoted_line_break_fails_both_rows_it_splits() {
    let text = "name,weeks,note\n\
                Ana,28,Call us if the cramps wake you\n\
                at night or you feel worse\n\
                Bea,30,\n";
    let out = Test::batch(text).run().code(1);
    assert_eq!(out.list("out"), ["4-Bea.pdf", "manifest.csv"]);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert!(
        lines[0].starts_with(
            "roster.csv, row 2: the next row (3) has only 1 of the header's 3 cells; if it is the \
             rest of a cell of this row"
        ),
        "{}",
        out.stderr
    );
    assert!(
        lines[1].starts_with(
            "roster.csv, row 3: the row has 1 cell for the header's 3 columns, so it is not read \
             as a patient"
        ),
        "{}",
        out.stderr
    );
    assert_eq!(
        lines.last().copied(),
        Some("1 written, 2 failed (rows 2, 3)")
    );
    let manifest = read_manifest(&out.read_text("out/manifest.csv"));
    assert!(
        manifest[0]["status"].starts_with("failed: "),
        "{manifest:?}"
    );
    assert!(
        manifest[1]["status"].starts_with("failed: "),
        "{manifest:?}"
    );
}

#[test]
fn rows_written_with_another_delimiter_than_the_header_are_named() {
    for (text, theirs, header) in [
        ("name,weeks\nAna;28\nBea;30\n", ";", ","),
        ("name;weeks;note\nAna,28,rest\n", ",", ";"),
        ("name\tweeks\nAna,28\n", ",", "\\t"),
    ] {
        let out = Test::batch(text).run().code(1);
        assert_eq!(out.list("out"), ["manifest.csv"], "{text:?}");
        let expected = format!(
            "roster.csv, row 2: the row has 1 cell for the header's {} columns: its cells are \
             separated by '{theirs}' and the header's by '{header}'",
            text.lines().next().unwrap().split(['\t', ',', ';']).count()
        );
        assert!(out.stderr.starts_with(&expected), "{}", out.stderr);
        assert!(!out.stderr.contains("Ana;28\n"), "{}", out.stderr);
    }
}

#[test]
fn a_row_missing_a_trailing_cell_is_not_printed_and_a_check_says_so_too() {
    // Four columns, and a row that lost its last one.
    let text = "name,weeks,at-home,note\nAna,28,walking,\nBea,30,walking\n";
    let out = Test::batch(text).run().code(1);
    assert_eq!(out.list("out"), ["manifest.csv"]);
    assert!(
        out.stderr
            .contains("roster.csv, row 3: the row has 3 cells for the header's 4 columns"),
        "{}",
        out.stderr
    );
    let out = Test::batch(text).arg("--check").run().code(1);
    assert!(
        out.stderr
            .contains("roster.csv, row 3: the row has 3 cells for the header's 4 columns"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_header_of_hundreds_of_columns_is_read() {
    // A records system's full export: 202 columns, the header over 4 KB.
    let extra: Vec<String> = (1..=200)
        .map(|i| format!("Observation field {i}"))
        .collect();
    let empty = ",".repeat(200);
    let text = format!("name,weeks,{}\nAna,28{empty}\n", extra.join(","));
    assert!(text.lines().next().unwrap().len() > 4096);
    let out = Test::batch(text).run().success();
    assert_eq!(out.list("out"), ["2-Ana.pdf", "manifest.csv"]);
    assert!(
        out.stderr.contains(
            "ignored 200 columns handout does not use: 'Observation field 1' (column C), "
        ) && out
            .stderr
            .contains("'Observation field 8' (column J), and 192 more\n"),
        "{}",
        out.stderr
    );
}

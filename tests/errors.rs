//! Bad input: a short `error:` line, exit code 1 (2 for usage errors), and no
//! file written, not even a temporary one.

use crate::items::{self, PREVENTION, TREATMENT};
use crate::util::{DATE, Output, Test};

/// `handout render` with a fixed date, before the options under test.
fn render() -> Test {
    Test::new().args(["render", "--date", DATE])
}

/// Runs `test` writing to `handout.pdf` and asserts that it is refused with
/// exit code 1, one `error:` line holding `message`, at most one `hint:`
/// line, and nothing written.
#[track_caller]
fn assert_rejected(test: Test, message: &str) -> Output {
    assert_refused(test, 1, message)
}

/// Like [`assert_rejected`], for a command that cannot run at all: a
/// practice file that cannot be used. Exit code 2.
#[track_caller]
fn assert_stopped(test: Test, message: &str) -> Output {
    assert_refused(test, 2, message)
}

#[track_caller]
fn assert_refused(test: Test, code: i32, message: &str) -> Output {
    let out = test.args(["-o", "handout.pdf"]).run().code(code);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert!(
        matches!(lines.len(), 1 | 2)
            && lines[0].starts_with("error: ")
            && lines[1..].iter().all(|line| line.starts_with("hint: ")),
        "expected one `error:` line and maybe a `hint:` line, got:\n{}",
        out.stderr
    );
    assert!(
        lines[0].contains(message),
        "the error lacks {message:?}:\n{}",
        out.stderr
    );
    assert_eq!(out.stdout, b"", "a refused command printed to stdout");
    assert_eq!(
        out.created_files(),
        Vec::<String>::new(),
        "a refused command left files"
    );
    out
}

/// The ids an unknown-item error lists as valid, joined with commas.
#[track_caller]
fn valid_ids(out: &Output) -> String {
    let (_, list) = out
        .stderr
        .split_once("valid ids: ")
        .unwrap_or_else(|| panic!("the error lists no valid ids:\n{}", out.stderr));
    let list = list.split_once(')').map_or(list, |(list, _)| list);
    list.split(", ").collect::<Vec<_>>().join(",")
}

#[test]
fn unknown_prevention_item() {
    let out = assert_rejected(
        render().args(["--prevention", "walking,strech"]),
        "unknown prevention item 'strech'; did you mean 'calf-stretches'?",
    );
    assert_eq!(valid_ids(&out), items::ids(PREVENTION));
}

#[test]
fn unknown_treatment_item() {
    let out = assert_rejected(
        render().args(["--treatment", "hot-bath"]),
        "unknown treatment item 'hot-bath'; did you mean 'warm-bath'?",
    );
    assert_eq!(valid_ids(&out), items::ids(TREATMENT));
}

#[test]
fn weeks_out_of_range() {
    for weeks in ["0", "43"] {
        assert_rejected(
            render().args(["--weeks", weeks]),
            &format!("weeks must be 1 to 42, not '{weeks}'"),
        );
    }
    for weeks in ["28.5", "twenty"] {
        assert_rejected(
            render().args(["--weeks", weeks]),
            "weeks must be written like 28, 28+3, 28w3d or 28/40 (1 to 42 weeks)",
        );
    }
    // Days past a week are named as days, with the weeks they make.
    for (weeks, carried) in [("28+9", "29+2"), ("28w7d", "29+0"), ("41+14", "43+0")] {
        assert_rejected(
            render().args(["--weeks", weeks]),
            "the days after the weeks must be 0 to 6, not ",
        );
        let out = render()
            .args(["--weeks", weeks, "-o", "x.pdf"])
            .run()
            .code(1);
        assert!(
            out.stderr.contains(&format!("is {carried}")),
            "{}",
            out.stderr
        );
    }
}

#[test]
fn due_date_already_passed() {
    assert_rejected(
        render().args(["--due-date", "2026-11-24"]),
        "due date 2026-11-24 has already passed",
    );
}

#[test]
fn due_date_too_far_ahead() {
    // 40 weeks after the handout's date; 39 weeks is the most.
    assert_rejected(
        render().args(["--due-date", "2027-09-01"]),
        "--due-date: due date 2027-09-01 is more than 39 weeks after 2026-11-25",
    );
}

#[test]
fn due_date_errors_name_the_option() {
    for due in ["2026-11-24", "2027-09-01"] {
        assert_rejected(
            render().args(["--due-date", due]),
            &format!("error: --due-date: due date {due}"),
        );
    }
}

#[test]
fn date_that_does_not_exist() {
    assert_rejected(
        Test::new().args(["render", "--date", "2026-02-30"]),
        "--date: date 2026-02-30: 30 February is not a date; February 2026 has 28 days",
    );
    assert_rejected(
        render().args(["--due-date", "2027-02-30"]),
        "--due-date: due date 2027-02-30: 30 February is not a date",
    );
    // A day-first or month-first date is read as the roster reads it, but
    // only when it cannot be read the other way.
    assert_rejected(
        render().args(["--due-date", "05/11/2027"]),
        "--due-date: due date '05/11/2027' can be read day first or month first",
    );
    assert_rejected(
        render().args(["--due-date", "17/02/27"]),
        "--due-date: due date '17/02/27' has a 2-digit year",
    );
}

#[test]
fn missing_practice_file() {
    assert_stopped(
        render().args(["--practice", "practice.toml"]),
        "failed to read practice file",
    );
}

#[test]
fn practice_file_with_an_unknown_key() {
    assert_stopped(
        render()
            .file(
                "practice.toml",
                "name = \"Riverside Midwifery Practice\"\nphnoe = \"01632 960 123\"\n",
            )
            .args(["--practice", "practice.toml"]),
        "practice.toml:2:1: unknown field `phnoe`",
    );
}

#[test]
fn malformed_practice_file() {
    let out = assert_stopped(
        render()
            .file("practice.toml", "name = \"Riverside\nphone = 1\n")
            .args(["--practice", "practice.toml"]),
        "practice.toml:1:",
    );
    // file:line:col, then the parser's message.
    let after = out.stderr.split_once("practice.toml:1:").unwrap().1;
    let column: String = after.chars().take_while(char::is_ascii_digit).collect();
    assert!(
        !column.is_empty() && after[column.len()..].starts_with(": "),
        "no column after the line number:\n{}",
        out.stderr
    );
}

#[test]
fn missing_output_folder() {
    let out = render()
        .args(["-o", "missing/handout.pdf"])
        .run()
        .code(2)
        .stderr_contains("error: output folder");
    assert_eq!(out.created_files(), Vec::<String>::new());
}

#[test]
fn output_is_a_folder() {
    let out = render()
        .folder("handout.pdf")
        .args(["-o", "handout.pdf"])
        .run()
        .code(2)
        .stderr_contains("is a folder");
    assert_eq!(out.created_files(), Vec::<String>::new());
}

#[test]
fn name_with_a_control_character() {
    assert_rejected(
        render().args(["--name", "Ana\u{7}"]),
        "name has a control character",
    );
    assert_rejected(
        render().args(["--name", "Ana\nLópez"]),
        "name has a control character",
    );
}

#[test]
fn name_too_long() {
    assert_rejected(
        render().args(["--name", &"N".repeat(81)]),
        "name is 81 characters long; the most is 80",
    );
}

#[test]
fn note_too_long() {
    assert_rejected(
        render().args(["--note", &"n".repeat(601)]),
        "note is 601 characters long; the most is 600",
    );
}

#[test]
fn existing_file_is_kept_without_force() {
    let old = b"%PDF-1.7 an older handout; keep me";
    let out = render()
        .file("handout.pdf", old)
        .args(["-o", "handout.pdf"])
        .run()
        .code(2)
        .stderr_contains("already exists; use --force");
    assert_eq!(out.read("handout.pdf"), old);
    assert_eq!(out.created_files(), Vec::<String>::new());
}

#[test]
fn existing_file_is_replaced_with_force() {
    let out = render()
        .file("handout.pdf", b"%PDF-1.7 an older handout; replace me")
        .args(["-o", "handout.pdf", "--force"])
        .run()
        .success()
        .stderr_contains("wrote handout.pdf");
    out.assert_pdf_file("handout.pdf");
    assert_eq!(out.created_files(), Vec::<String>::new());
}

#[test]
fn too_much_for_one_page() {
    // Every item and a long note on the shorter Letter page.
    let note = "Call me if the cramps wake you every night. ".repeat(14);
    let note = note[..590].trim_end();
    let out = assert_rejected(
        render().practice().args([
            "--name",
            "Ana López",
            "--weeks",
            "28",
            "--prevention",
            &items::ids(PREVENTION),
            "--treatment",
            &items::ids(TREATMENT),
            "--note",
            note,
            "--paper",
            "letter",
        ]),
        "the handout does not fit on one page even at 12 pt",
    );
    assert!(
        out.stderr
            .starts_with("error: the handout does not fit on one page even at 12 pt"),
        "{}",
        out.stderr
    );
    // The longest item of all is among those named.
    // Named as she sees them: by lead, under their section.
    out.stderr_contains("its longest items are")
        .stderr_contains("'Herbal products'")
        .stderr_contains("under 'When a cramp or pain starts'");
}

#[test]
fn usage_errors_exit_with_2() {
    let cases: [&[&str]; 4] = [
        &["render", "--bogus", "-o", "handout.pdf"],
        &["render", "--name", "Ana"],
        &[
            "render",
            "--weeks",
            "28",
            "--due-date",
            "2027-02-17",
            "-o",
            "handout.pdf",
        ],
        &["render", "--paper", "a5", "-o", "handout.pdf"],
    ];
    for args in cases {
        let out = Test::new().args(args).run().code(2);
        assert!(out.stderr.starts_with("error: "), "{}", out.stderr);
        assert_eq!(out.created_files(), Vec::<String>::new());
    }
}

#[test]
fn dates_no_clinic_gives_a_handout_on_are_refused_and_a_late_one_warned_of() {
    for date in ["0001-01-01", "9999-12-31", "1999-12-31", "2100-01-01"] {
        let out = Test::new()
            .args(["render", "--date", date, "-o", "a.pdf"])
            .run()
            .code(1);
        assert!(
            out.stderr.contains(&format!(
                "{date} is not a day a handout is given on; give a date from 2000-01-01 to \
                 2099-12-31"
            )),
            "{}",
            out.stderr
        );
        // Test::batch gives its own --date; this one is given alone.
        let out = Test::new()
            .file("roster.csv", "name,weeks\nAna,28\n")
            .args(["batch", "roster.csv", "-o", "out", "--date", date])
            .run();
        assert_ne!(out.code, Some(0), "{date}");
        assert!(
            out.stderr.contains("is not a day a handout is given on"),
            "{}",
            out.stderr
        );
        assert_eq!(out.created_files(), Vec::<String>::new());
    }
    // The built-in leaflet is due for review on 2028-12-07: a handout dated
    // after that says so, whatever today is.
    let out = Test::new()
        .args(["render", "--date", "2029-06-01", "-o", "a.pdf"])
        .run()
        .success();
    assert!(
        out.stderr
            .contains("warning: leg-cramps (en) was due for review on 2028-12-07"),
        "{}",
        out.stderr
    );
    let out = Test::new()
        .file("roster.csv", "name,weeks\nAna,28\n")
        .args(["batch", "roster.csv", "-o", "out", "--date", "2029-06-01"])
        .run()
        .success();
    assert!(
        out.stderr.contains("was due for review on 2028-12-07"),
        "{}",
        out.stderr
    );
}

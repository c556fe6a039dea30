//! One exit-code rule for every command, as `--help` gives it: 0 when
//! everything asked for was made; 1 when some of it could not be made for
//! what it asks (a roster row, the handout, a topic file that fails its
//! check) and the rest was; 2 when the command stopped before making
//! anything: a usage error, or a practice file, content folder, roster or
//! output place that cannot be used.

use std::net::TcpListener;

use crate::serve::Server;
use crate::util::{DATE, Test};

/// A roster whose rows are all good.
const GOOD: &str = "name,weeks\nAna López,28\nBea Smith,30\n";
/// A roster with one bad row among good ones.
const ONE_BAD: &str = "name,weeks\nAna López,28\nBea Smith,50\n";

/// Runs `test` and asserts its exit code, and that what it printed (on
/// standard error, or the report a listing or a check prints) says
/// `says`: so that a case stopped for another reason, such as a mistyped
/// option, which is a usage error too, does not pass.
#[track_caller]
fn expect(case: &str, test: Test, code: i32, says: &str) {
    let out = test.run();
    let printed = format!("{}{}", out.stderr, out.stdout_text());
    assert_eq!(
        out.code,
        Some(code),
        "{case}: expected exit code {code}\nstderr:\n{}",
        out.stderr
    );
    assert!(
        printed.contains(says),
        "{case}: expected it to say {says:?}\nprinted:\n{printed}"
    );
}

#[test]
fn render_follows_the_rule() {
    let render = || Test::new().args(["render", "--date", DATE]);
    expect(
        "a handout",
        render().args(["-o", "a.pdf"]),
        0,
        "wrote a.pdf",
    );
    expect(
        "weeks out of range",
        render().args(["--weeks", "50", "-o", "a.pdf"]),
        1,
        "error: --weeks: weeks must be 1 to 42",
    );
    expect(
        "an unknown item",
        render().args(["--pick", "treatment=hot-bath", "-o", "a.pdf"]),
        1,
        "error: --pick treatment: unknown treatment item 'hot-bath'",
    );
    let everything = crate::items::ids(crate::items::PREVENTION);
    expect(
        "a page too full",
        render()
            .args(["--prevention", &everything, "--paper", "letter"])
            .args([
                "--note",
                &"Rest with your feet up. ".repeat(20),
                "-o",
                "a.pdf",
            ]),
        1,
        "error: the handout does not fit on one page",
    );
    expect(
        "a practice file that is not there",
        render().args(["--practice", "practice.toml", "-o", "a.pdf"]),
        2,
        "error: failed to read practice file `practice.toml`",
    );
    expect(
        "a content folder that is not there",
        render().args(["--content", "leaflets", "-o", "a.pdf"]),
        2,
        "error: failed to read the content folder `leaflets`",
    );
    expect(
        "an output folder that is not there",
        render().args(["-o", "missing/a.pdf"]),
        2,
        "error: output folder `missing` does not exist",
    );
    expect(
        "an output file that is there",
        render().file("a.pdf", "%PDF-1.7\n").args(["-o", "a.pdf"]),
        2,
        "error: `a.pdf` already exists; use --force",
    );
    expect(
        "no -o",
        render(),
        2,
        "the following required arguments were not provided:\n  --output",
    );
}

#[test]
fn batch_follows_the_rule() {
    let batch = Test::batch;
    expect("every row made", batch(GOOD), 0, "2 written");
    expect(
        "every row checked",
        batch(GOOD).arg("--check"),
        0,
        "2 ready",
    );
    expect(
        "a bad row",
        batch(ONE_BAD),
        1,
        "roster.csv, row 3, column B: weeks must be 1 to 42",
    );
    expect(
        "a bad row, checked",
        batch(ONE_BAD).arg("--check"),
        1,
        "1 ready, 1 failed (row 3)",
    );
    expect(
        "every row bad",
        batch("name,weeks\nAna,50\n"),
        1,
        "0 written, 1 failed (row 2)",
    );
    expect(
        "a roster that is not one",
        batch("PK\u{3}\u{4} a spreadsheet's own format"),
        2,
        "error: roster.csv is not a text file",
    );
    // Over the limit, however it arrives: the same refusal, the same code.
    let huge = format!("name,weeks\n{}", "Ana,28\n".repeat(7_500_001));
    expect(
        "a roster over 50 MB, as a file",
        batch(&huge),
        2,
        "error: failed to read roster `roster.csv`: it is larger than 50 MB",
    );
    expect(
        "a roster over 50 MB, on standard input",
        Test::new()
            .args(["batch", "-", "-o", "out", "--date", DATE])
            .stdin(huge.clone()),
        2,
        "error: the roster on standard input is larger than 50 MB",
    );
    expect(
        "a roster that is not there",
        Test::new().args(["batch", "roster.csv", "-o", "out"]),
        2,
        "error: failed to read roster `roster.csv`: no such file",
    );
    expect(
        "a practice file that cannot be read",
        batch(GOOD)
            .file("practice.toml", "phone = 0123\n")
            .args(["--practice", "practice.toml"]),
        2,
        "error: practice.toml:1:9: `phone` needs quotes",
    );
    expect(
        "rows of a draft, not allowed",
        batch("name,weeks,language\nAna,28,es\n"),
        2,
        "error: nothing was made: row 2 (leg-cramps (es) is a draft",
    );
    expect(
        "an output folder that is a file",
        batch(GOOD).file("out", "x"),
        2,
        "error: `out` is not a folder",
    );
    expect(
        "a default topic that is not there",
        batch(GOOD).args(["--topic", "back"]),
        2,
        "error: --topic: there is no topic 'back'",
    );
    expect(
        "a bad name template",
        batch(GOOD).args(["--name-template", "{name}"]),
        2,
        "error: the name template '{name}' needs {id} or {row}",
    );
}

#[test]
fn list_topics_and_check_follow_the_rule() {
    let broken = || Test::new().fixture_folder("content/broken", "broken");
    expect("the topics", Test::new().arg("list"), 0, "leg-cramps");
    expect(
        "one topic",
        Test::new().args(["list", "leg-cramps"]),
        0,
        "Leg pain and leg cramps in pregnancy (leg-cramps, en",
    );
    expect(
        "a topic that is not there",
        Test::new().args(["list", "back"]),
        1,
        "error: there is no topic 'back'",
    );
    expect(
        "a broken topic file",
        broken().args(["list", "--content", "broken"]),
        1,
        "broken/bad-id.en.toml:35:6: item id 'Warm_Bath'",
    );
    expect(
        "a content folder that is not there",
        Test::new().args(["list", "--content", "leaflets"]),
        2,
        "error: failed to read the content folder `leaflets`",
    );

    expect("every topic", Test::new().arg("topics"), 0, "leg-cramps");
    expect(
        "a broken topic file",
        broken().args(["topics", "--content", "broken"]),
        1,
        "broken/bad-id.en.toml:35:6: item id 'Warm_Bath'",
    );
    expect(
        "a practice file that is not there",
        Test::new().args(["topics", "--practice", "practice.toml"]),
        2,
        "error: failed to read practice file `practice.toml`",
    );

    expect(
        "the built-in topics",
        Test::new().args(["check", "--date", "2026-12-02"]),
        0,
        "checked 2 files",
    );
    expect(
        "broken topic files",
        broken().args(["check", "broken"]),
        1,
        "broken/bad-id.en.toml:35:6: item id 'Warm_Bath'",
    );
    expect(
        "a date that is not one",
        Test::new().args(["check", "--date", "soon"]),
        2,
        "error: --date: date 'soon' is not written as YYYY-MM-DD",
    );
}

#[test]
fn schema_and_practice_follow_the_rule() {
    expect("the schema", Test::new().arg("schema"), 0, "\"$schema\"");
    expect(
        "the schema into a folder",
        Test::new()
            .folder("leaflets")
            .args(["schema", "--write", "leaflets"]),
        0,
        "wrote leaflets/topic.schema.json",
    );
    expect(
        "into a folder that is not there yet, which is made",
        Test::new().args(["schema", "--write", "leaflets"]),
        0,
        "wrote leaflets/topic.schema.json",
    );
    expect(
        "into a file",
        Test::new()
            .file("leaflets", "a file")
            .args(["schema", "--write", "leaflets"]),
        2,
        "error: cannot make the folder `leaflets`",
    );
    expect(
        "the example",
        Test::new().args(["practice", "--example"]),
        0,
        "phone",
    );
    expect(
        "no --example",
        Test::new().arg("practice"),
        2,
        "the following required arguments were not provided:\n  --example",
    );
    expect("no command", Test::new(), 2, "Usage: handout <COMMAND>");
    expect(
        "an unknown command",
        Test::new().arg("print"),
        2,
        "error: unrecognized subcommand 'print'",
    );
}

#[test]
#[cfg(unix)]
fn serve_follows_the_rule() {
    expect(
        "a practice file that is not there",
        Test::new().args(["serve", "--no-open", "--practice", "practice.toml"]),
        2,
        "error: failed to read practice file `practice.toml`",
    );
    // A port another program holds.
    let taken = TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    expect(
        "a port in use",
        Test::new().args(["serve", "--no-open", "--port", &port]),
        2,
        "error: failed to listen on 127.0.0.1, port ",
    );
    // Served, then stopped as Ctrl-C stops it: all done. Once it answers,
    // it is serving, and listening for Ctrl-C.
    let server = Server::start(&Test::new());
    server.get("/").send().status(200);
    let (code, printed) = server.interrupt();
    assert_eq!(code, Some(0), "printed:\n{printed}");
}

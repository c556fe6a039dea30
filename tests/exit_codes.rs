//! One exit-code rule for every command, as `--help` gives it: 0 when
//! everything asked for was made; 1 when some of it could not be made for
//! what it asks (a roster row, the handout, a topic file that fails its
//! check) and the rest was; 2 when the command stopped before making
//! anything: a usage error, or a practice file, content folder, roster or
//! output place that cannot be used.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::util::{DATE, Test};

/// A roster whose rows are all good.
const GOOD: &str = "name,weeks\nAna López,28\nBea Smith,30\n";
/// A roster with one bad row among good ones.
const ONE_BAD: &str = "name,weeks\nAna López,28\nBea Smith,50\n";

/// Runs `test` and asserts its exit code, saying which case it was.
#[track_caller]
fn expect(case: &str, test: Test, code: i32) {
    let out = test.run();
    assert_eq!(
        out.code,
        Some(code),
        "{case}: expected exit code {code}\nstderr:\n{}",
        out.stderr
    );
    // Every failure says why: on standard error, or in the report a
    // listing or a check prints.
    if code != 0 {
        let said = !out.stderr.trim().is_empty()
            || out.stdout_text().contains("broken")
            || out.stdout_text().contains("error");
        assert!(said, "{case}: no message");
    }
}

#[test]
fn render_follows_the_rule() {
    let render = || Test::new().args(["render", "--date", DATE]);
    expect("a handout", render().args(["-o", "a.pdf"]), 0);
    expect(
        "weeks out of range",
        render().args(["--weeks", "50", "-o", "a.pdf"]),
        1,
    );
    expect(
        "an unknown item",
        render().args(["--pick", "treatment=hot-bath", "-o", "a.pdf"]),
        1,
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
    );
    expect(
        "a practice file that is not there",
        render().args(["--practice", "practice.toml", "-o", "a.pdf"]),
        2,
    );
    expect(
        "a content folder that is not there",
        render().args(["--content", "leaflets", "-o", "a.pdf"]),
        2,
    );
    expect(
        "an output folder that is not there",
        render().args(["-o", "missing/a.pdf"]),
        2,
    );
    expect(
        "an output file that is there",
        render().file("a.pdf", "%PDF-1.7\n").args(["-o", "a.pdf"]),
        2,
    );
    expect("no -o", render(), 2);
}

#[test]
fn batch_follows_the_rule() {
    let batch = Test::batch;
    expect("every row made", batch(GOOD), 0);
    expect("every row checked", batch(GOOD).arg("--check"), 0);
    expect("a bad row", batch(ONE_BAD), 1);
    expect("a bad row, checked", batch(ONE_BAD).arg("--check"), 1);
    expect("every row bad", batch("name,weeks\nAna,50\n"), 1);
    expect(
        "a roster that is not one",
        batch("PK\u{3}\u{4} a spreadsheet's own format"),
        2,
    );
    expect(
        "a roster that is not there",
        Test::new().args(["batch", "roster.csv", "-o", "out"]),
        2,
    );
    expect(
        "a practice file that cannot be read",
        batch(GOOD)
            .file("practice.toml", "phone = 0123\n")
            .args(["--practice", "practice.toml"]),
        2,
    );
    expect(
        "rows of a draft, not allowed",
        batch("name,weeks,language\nAna,28,es\n"),
        2,
    );
    expect(
        "an output folder that is a file",
        batch(GOOD).file("out", "x"),
        2,
    );
    expect(
        "a default topic that is not there",
        batch(GOOD).args(["--topic", "back"]),
        2,
    );
    expect(
        "a bad name template",
        batch(GOOD).args(["--name-template", "{name}"]),
        2,
    );
}

#[test]
fn list_topics_and_check_follow_the_rule() {
    let broken = || Test::new().fixture_folder("content/broken", "broken");
    expect("the topics", Test::new().arg("list"), 0);
    expect("one topic", Test::new().args(["list", "leg-cramps"]), 0);
    expect(
        "a topic that is not there",
        Test::new().args(["list", "back"]),
        1,
    );
    expect(
        "a broken topic file",
        broken().args(["list", "--content", "broken"]),
        1,
    );
    expect(
        "a content folder that is not there",
        Test::new().args(["list", "--content", "leaflets"]),
        2,
    );

    expect("every topic", Test::new().arg("topics"), 0);
    expect(
        "a broken topic file",
        broken().args(["topics", "--content", "broken"]),
        1,
    );
    expect(
        "a practice file that is not there",
        Test::new().args(["topics", "--practice", "practice.toml"]),
        2,
    );

    expect(
        "the built-in topics",
        Test::new().args(["check", "--date", "2026-12-02"]),
        0,
    );
    expect("broken topic files", broken().args(["check", "broken"]), 1);
    expect(
        "a date that is not one",
        Test::new().args(["check", "--date", "soon"]),
        2,
    );
}

#[test]
fn schema_and_practice_follow_the_rule() {
    expect("the schema", Test::new().arg("schema"), 0);
    expect(
        "the schema into a folder",
        Test::new()
            .folder("leaflets")
            .args(["schema", "--write", "leaflets"]),
        0,
    );
    expect(
        "into a folder that is not there",
        Test::new().args(["schema", "--write", "leaflets"]),
        2,
    );
    expect(
        "the example",
        Test::new().args(["practice", "--example"]),
        0,
    );
    expect("no --example", Test::new().arg("practice"), 2);
    expect("no command", Test::new(), 2);
    expect("an unknown command", Test::new().arg("print"), 2);
}

#[test]
#[cfg(unix)]
fn serve_follows_the_rule() {
    expect(
        "a practice file that is not there",
        Test::new().args(["serve", "--no-open", "--practice", "practice.toml"]),
        2,
    );
    // A port another program holds.
    let taken = TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    expect(
        "a port in use",
        Test::new().args(["serve", "--no-open", "--port", &port]),
        2,
    );
    // Served, then stopped as Ctrl-C stops it: all done.
    let test = Test::new().args(["serve", "--no-open", "--port", "0"]);
    let mut child = test
        .command()
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("handout serve starts");
    let stdout = child.stdout.take().unwrap();
    let address = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .find_map(|line| Some(line.trim().strip_prefix("http://")?.to_string()))
        .expect("handout serve printed its address");
    // Once it answers, it is serving, and listening for Ctrl-C.
    let (host, _) = address.split_once('/').unwrap();
    let mut socket = std::net::TcpStream::connect(host).unwrap();
    write!(
        socket,
        "GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    socket.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
    let sent = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(start.elapsed() < Duration::from_secs(30), "it did not stop");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0));
}

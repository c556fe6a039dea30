//! The roster endpoints: the check, the zip and the combined PDF of a
//! clinic day, each compared with what `handout batch` makes of the same
//! roster.

use std::io::{Cursor, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use zip::{CompressionMethod, ZipArchive};

use super::client::connect;
use super::{ANA, BAD_ROWS, DEFAULTS, GOOD_ROSTER, Server, save, urlencoded};
use crate::util::{DATE, Output, Test};

/// A roster with a row in Spanish, whose built-in leaflet is a draft.
const DRAFT_ROSTER: &str = "name,weeks,language\nAna López,28,es\nBea Smith,30,en\n";

/// Each row's number and message, as `handout batch` prints a failed row:
/// `roster.csv, row ROW[, column LETTERS]: MESSAGE`.
fn failed_rows(stderr: &str) -> Vec<(u64, String)> {
    stderr
        .lines()
        .filter_map(|line| line.strip_prefix("roster.csv, row "))
        .filter_map(|rest| {
            let (at, message) = rest.split_once(": ")?;
            let row = at.split(',').next()?.parse().ok()?;
            Some((row, message.to_string()))
        })
        .collect()
}

/// Bit 11 of a zip entry's general purpose flags: its name is UTF-8.
const UTF8_NAMES: u16 = 1 << 11;

/// The files of a zip archive, found through its central directory as an
/// unzip program finds them. Each must be stored whole, with its CRC and
/// sizes in its local header (so that a reader that trusts it sees them),
/// that header must agree with the directory, and its CRC-32 must be right:
/// the zip crate checks it once a file is read to its end.
#[track_caller]
fn unzip(archive: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = ZipArchive::new(Cursor::new(archive))
        .unwrap_or_else(|error| panic!("{} bytes are no zip archive: {error}", archive.len()));
    // Nothing before the first file and nothing after the end record.
    assert_eq!(zip.offset(), 0, "the archive does not start at the start");
    assert!(zip.comment().is_empty(), "the archive has a comment");
    zip.validate_header_consistency()
        .unwrap_or_else(|error| panic!("the archive's headers disagree: {error}"));
    (0..zip.len())
        .map(|index| {
            let mut file = zip.by_index(index).expect("a file the directory lists");
            let name = String::from_utf8(file.name_raw().to_vec()).expect("a UTF-8 name");
            assert!(
                name.is_ascii() || file.flags().as_u16() & UTF8_NAMES != 0,
                "{name} is UTF-8 without saying so"
            );
            assert!(
                file.compression() == CompressionMethod::Stored
                    && file.compressed_size() == file.size(),
                "{name} is not stored whole"
            );
            assert!(
                !file.flags().is_using_data_descriptor(),
                "{name}'s CRC and sizes come after it, not in its local header"
            );
            let mut data = Vec::new();
            file.read_to_end(&mut data)
                .unwrap_or_else(|error| panic!("{name} does not read back: {error}"));
            assert_eq!(data.len() as u64, file.size(), "{name}'s size");
            (name, data)
        })
        .collect()
}

/// Asserts that a zip from the page holds exactly the files `handout batch`
/// wrote into `out/`, named alike and byte for byte.
#[track_caller]
fn assert_zip_is_batch_output(archive: &[u8], out: &Output) {
    let files = unzip(archive);
    let mut names: Vec<String> = files.iter().map(|(name, _)| name.clone()).collect();
    names.sort();
    assert_eq!(names, out.list("out"));
    for (name, bytes) in &files {
        assert!(
            *bytes == out.read(&format!("out/{name}")),
            "{name} in the zip differs from `handout batch`'s"
        );
    }
}

/// A day with one row of each kind: good, bad, a draft (the Spanish
/// leaflet) and one of a practice's topic past its review date.
const MIXED_DAY: &str = "name,weeks,topic,language\n\
    Ana López,28,leg-cramps,\n\
    Bea Smith,50,leg-cramps,\n\
    Carmen Ruiz,30,leg-cramps,es\n\
    Dee Jones,24,old-care,\n";

/// What `handout batch` says of a day, line by line: each failed row as
/// `roster.csv, row …`, each warning, and its refusal, if it refuses.
fn batch_says(stderr: &str) -> (Vec<&str>, Vec<&str>, Option<&str>) {
    let rows = stderr
        .lines()
        .filter(|line| line.starts_with("roster.csv, row "))
        .collect();
    let warnings = stderr
        .lines()
        .filter_map(|line| line.strip_prefix("warning: "))
        .collect();
    let refusal = stderr
        .lines()
        .find_map(|line| line.strip_prefix("error: nothing was made: "));
    (rows, warnings, refusal)
}

#[test]
fn both_front_ends_say_the_same_of_a_day_word_for_word() {
    let test = Test::new()
        .folder("leaflets")
        .file(
            "leaflets/old-care.en.toml",
            std::fs::read(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("tests/fixtures/content/governance/old-care.en.toml"),
            )
            .unwrap(),
        )
        .file("roster.csv", MIXED_DAY);
    let server = Server::start_with(&test, &["--content", "leaflets"]);
    for allow_draft in [false, true] {
        let mut batch = test
            .clone()
            .args(["batch", "roster.csv", "-o", "out", "--date", DATE])
            .args(["--content", "leaflets"]);
        let mut query = format!("date={DATE}&file=roster.csv");
        if allow_draft {
            batch = batch.arg("--allow-draft");
            query.push_str("&allow_draft=1");
        }
        let out = batch.run();
        let (rows, warnings, refusal) = batch_says(&out.stderr);
        let answer = server
            .roster("check", &query, MIXED_DAY.as_bytes())
            .send()
            .status(200)
            .json();
        let served = |key: &str| -> Vec<String> {
            answer[key]
                .as_array()
                .unwrap_or_else(|| panic!("{key} in {answer}"))
                .iter()
                .map(|value| value.as_str().unwrap().to_string())
                .collect()
        };
        let failed: Vec<String> = answer["failed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| row["line"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(rows, failed, "allow_draft {allow_draft}");
        assert_eq!(
            rows,
            ["roster.csv, row 3, column B: weeks must be 1 to 42, not '50'"]
        );
        assert_eq!(warnings, served("warnings"), "allow_draft {allow_draft}");
        let overdue = "old-care (en) was due for review on 2025-03-01: have it reviewed, then \
                       update reviewed-on and review-due";
        assert_eq!(warnings[0], overdue);
        let draft = "row 4 (leg-cramps (es) is a draft, not yet clinically reviewed)";
        if allow_draft {
            assert_eq!(out.code, Some(1), "{}", out.stderr);
            assert_eq!(warnings.len(), 2, "{warnings:?}");
            assert_eq!(
                warnings[1],
                format!("{draft}: printed as drafts; their footer says so")
            );
            assert!(answer["refused"].is_null(), "{answer}");
        } else {
            assert_eq!(out.code, Some(2), "{}", out.stderr);
            assert_eq!(refusal, Some(draft), "{}", out.stderr);
            // The same words, then how to act on them on the page.
            let refused = answer["refused"].as_str().expect("the page refuses too");
            assert!(
                refused.starts_with(&format!("nothing was made: {draft}; ")),
                "{refused}"
            );
        }
    }
}

#[test]
fn roster_check_reports_each_bad_row_as_handout_batch_does() {
    let test = Test::new().file("roster.csv", BAD_ROWS);
    let server = Server::start(&test);
    let query = format!("date={DATE}&file=roster.csv");
    let answer = server
        .roster("check", &query, BAD_ROWS)
        .send()
        .status(200)
        .kind("application/json")
        .json();
    // What `handout batch --check` says of a roster in the test's folder.
    let batch_check = |test: Test, file: &str| {
        test.args(["batch", file, "-o", "out", "--check", "--date", DATE])
            .run()
    };
    let out = batch_check(test.clone(), "roster.csv").code(1);
    let expected = failed_rows(&out.stderr);
    assert_eq!(expected.len(), 8, "stderr:\n{}", out.stderr);
    let failed: Vec<(u64, String)> = answer["failed"]
        .as_array()
        .expect("failed is a list")
        .iter()
        .map(|row| {
            let message = row["message"].as_str().expect("a message").to_string();
            (row["row"].as_u64().expect("a row number"), message)
        })
        .collect();
    assert_eq!(failed, expected);
    assert_eq!(answer["rows"], 11, "{answer}");
    assert_eq!(answer["ready"], 3, "{answer}");
    assert_eq!(answer["notes"], serde_json::json!([]));
    assert!(
        answer["drafts"].is_null() && answer["refused"].is_null(),
        "{answer}"
    );

    let answer = server
        .roster("check", &query, GOOD_ROSTER)
        .send()
        .status(200)
        .json();
    assert_eq!(answer["rows"], 4, "{answer}");
    assert_eq!(answer["ready"], 4, "{answer}");
    assert_eq!(answer["failed"], serde_json::json!([]));

    // A column it does not use: the note `handout batch` prints.
    let roster = "name,weeks,colour\nAna,28,red\n";
    let out = batch_check(test.clone().file("colour.csv", roster), "colour.csv").success();
    let notes: Vec<&str> = out
        .stderr
        .lines()
        .filter_map(|line| line.strip_prefix("note: colour.csv: "))
        .collect();
    assert_eq!(notes.len(), 1, "stderr:\n{}", out.stderr);
    let answer = server
        .roster("check", &query, roster.as_bytes())
        .send()
        .status(200)
        .json();
    assert_eq!(answer["notes"], serde_json::json!(notes), "{answer}");

    // Not a roster at all.
    server
        .roster("check", &query, b"")
        .send()
        .status(422)
        .kind("text/plain");
}

#[test]
fn roster_zip_holds_the_files_handout_batch_writes() {
    for (roster, code) in [(BAD_ROWS, 1), (GOOD_ROSTER, 0)] {
        let test = Test::new().file("roster.csv", roster);
        let server = Server::start(&test);
        let response = server
            .roster("zip", &format!("date={DATE}&file=roster.csv"), roster)
            .send()
            .status(200)
            .kind("application/zip");
        assert_eq!(response.file_name(), format!("handouts-{DATE}.zip"));
        let out = test
            .clone()
            .args(["batch", "roster.csv", "-o", "out", "--date", DATE])
            .run()
            .code(code);
        assert_zip_is_batch_output(&response.body, &out);
    }
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn roster_pdf_has_a_page_for_each_good_row() {
    let test = Test::new().file("roster.csv", BAD_ROWS);
    let server = Server::start(&test);
    let response = server
        .roster(
            "combined",
            &format!("date={DATE}&file=roster.csv"),
            BAD_ROWS,
        )
        .send()
        .status(200)
        .kind("application/pdf");
    assert_eq!(response.file_name(), format!("clinic-day-{DATE}.pdf"));
    let out = test
        .clone()
        .args(["batch", "roster.csv", "-o", "out", "--date", DATE])
        .args(["--combined", "all.pdf"])
        .run()
        .code(1);
    save(&out, "served.pdf", &response);
    let pdf = out.pdf("served.pdf");
    let info = pdf.info();
    assert_eq!(info.pages(), 3, "pdfinfo:\n{}", info.raw);
    pdf.assert_qpdf_clean();
    let text = pdf.text();
    let mut last = 0;
    for name in ["Ana López", "Gwen Hall", "Lou Moss"] {
        let prepared = format!("Prepared for {name} ·");
        let at = text
            .raw
            .find(&prepared)
            .unwrap_or_else(|| panic!("no {prepared:?} in:\n{}", text.raw));
        assert!(at >= last, "{name} is out of roster order");
        last = at;
    }
    text.assert_lacks("Bea Smith");
    assert!(
        response.body == out.read("all.pdf"),
        "the served PDF and `handout batch --combined`'s differ"
    );
}

#[test]
fn roster_of_a_draft_is_made_only_when_allowed() {
    let test = Test::new().file("roster.csv", DRAFT_ROSTER);
    let server = Server::start(&test);
    let roster = DRAFT_ROSTER.as_bytes();
    let query = format!("date={DATE}&file=roster.csv");
    let refused = test
        .clone()
        .args(["batch", "roster.csv", "-o", "refused", "--date", DATE])
        .run()
        .code(2);
    let which = refused
        .stderr
        .lines()
        .find_map(|line| line.strip_prefix("error: nothing was made: "))
        .unwrap_or_else(|| panic!("stderr:\n{}", refused.stderr));
    assert!(which.starts_with("row 2 "), "{which}");

    let answer = server
        .roster("check", &query, roster)
        .send()
        .status(200)
        .json();
    assert_eq!(answer["drafts"], which, "{answer}");
    let message = answer["refused"].as_str().expect("refused says why");
    assert!(
        message.starts_with(&format!("nothing was made: {which}")),
        "{answer}"
    );
    for endpoint in ["combined", "zip"] {
        server
            .roster(endpoint, &query, roster)
            .send()
            .status(422)
            .says(&format!("nothing was made: {which}"));
    }

    // Allowed, the same files as `handout batch --allow-draft`.
    let allowed = format!("{query}&allow_draft=1");
    let answer = server
        .roster("check", &allowed, roster)
        .send()
        .status(200)
        .json();
    assert!(answer["refused"].is_null(), "{answer}");
    let response = server
        .roster("zip", &allowed, roster)
        .send()
        .status(200)
        .kind("application/zip");
    let out = test
        .clone()
        .args(["batch", "roster.csv", "-o", "out", "--date", DATE])
        .args(["--allow-draft", "--combined", "all.pdf"])
        .run()
        .success();
    assert_zip_is_batch_output(&response.body, &out);
    assert_eq!(out.list("out").len(), 3);
    // The same bytes as batch's combined file, whose draft says so on its
    // own page only (tests/languages.rs reads that back with poppler).
    let combined = server
        .roster("combined", &allowed, roster)
        .send()
        .status(200);
    assert!(
        combined.body == out.read("all.pdf"),
        "the served combined PDF and `handout batch --combined`'s differ"
    );

    // A roster with no row that can be made.
    for endpoint in ["combined", "zip"] {
        server
            .roster(endpoint, &query, b"name,weeks\nAna,99\n")
            .send()
            .status(422)
            .says("no row of the roster can be made");
    }
}

/// Starts a clinic day's zip on a connection of its own and waits for the
/// answer to start, then reads no more of it, as a browser whose download
/// stalled.
fn start_day(server: &Server, roster: &[u8]) -> TcpStream {
    let mut stream = connect(server.port);
    let head = format!(
        "POST /api/batch/zip?date={DATE}&file=roster.csv HTTP/1.1\r\n\
         Host: 127.0.0.1:{port}\r\nCookie: {}\r\nOrigin: http://127.0.0.1:{port}\r\n\
         Content-Type: application/octet-stream\r\nContent-Length: {}\r\n\r\n",
        server.cookie(),
        roster.len(),
        port = server.port,
    );
    stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(roster))
        .expect("failed to send the roster");
    let mut start = [0u8; 12];
    stream
        .read_exact(&mut start)
        .expect("failed to read the answer");
    assert_eq!(&start, b"HTTP/1.1 200", "the day was not started");
    stream
}

#[test]
fn clinic_days_are_made_two_at_a_time() {
    let server = Server::start(&Test::new());
    // A day longer than what the connection can hold unread.
    let long_day = (0..2000).fold(String::from("name,weeks\n"), |roster, row| {
        roster + &format!("Patient {row},28\n")
    });
    let making = [
        start_day(&server, long_day.as_bytes()),
        start_day(&server, long_day.as_bytes()),
    ];
    let query = format!("date={DATE}&file=roster.csv");
    for endpoint in ["check", "zip", "combined"] {
        let busy = server
            .roster(endpoint, &query, GOOD_ROSTER)
            .send()
            .status(503)
            .says("a clinic day is being made")
            .says("try again");
        assert!(busy.header("retry-after").is_some(), "{endpoint}");
        assert_eq!(busy.header("cache-control"), Some("no-store"));
    }
    // One handout is made as ever meanwhile.
    server.form("/api/fit", DEFAULTS).send().status(200);
    server.form("/handout", &urlencoded(ANA)).send().status(200);

    // A day whose browser went away gives up its place.
    drop(making);
    let start = Instant::now();
    loop {
        let answer = server.roster("check", &query, GOOD_ROSTER).send();
        if answer.status == 200 {
            break;
        }
        assert_eq!(
            answer.status,
            503,
            "{}",
            String::from_utf8_lossy(&answer.body)
        );
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the days whose browser went away kept their places"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

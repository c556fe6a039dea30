//! What a post may carry: bodies too large, in either framing, and bodies
//! that are not the form or the roster they claim to be, each refused with
//! a reason.

use super::{DEFAULTS, GOOD_ROSTER, Server};
use crate::util::{DATE, Test};

#[test]
fn oversized_bodies_are_refused() {
    let server = Server::start(&Test::new());
    // A form of 64 KB is read (and its note found too long); a byte more
    // is refused, its length said or not. Said, the server refuses before
    // reading: `expect_continue` has ureq wait for that answer instead of
    // writing into a closed connection. Not said, the server refuses when
    // the byte over arrives, the body's last: all that is left to write then
    // is the end of the chunks, so ureq reads the answer and not a broken
    // pipe. Hence one byte over and no more, here and below.
    let prefix = "topic=leg-cramps&note=";
    let form = format!("{prefix}{}", "a".repeat(64 * 1024 - prefix.len()));
    let answer = server.form("/api/fit", &form).send().status(200).json();
    assert_eq!(answer["field"], "note", "{answer}");
    let form = form + "a";
    for target in ["/api/fit", "/api/preview", "/handout"] {
        server
            .form(target, &form)
            .expect_continue()
            .send()
            .status(413)
            .says("a form is larger than this page takes (64 KB at most)");
        server
            .form(target, &form)
            .chunked()
            .send()
            .status(413)
            .says("a form is larger than this page takes (64 KB at most)");
    }

    // A roster of 5 MB is read (one row, its note too long); a byte more
    // is refused.
    let prefix = "name,weeks,note\nAna,28,";
    let mut roster = prefix.as_bytes().to_vec();
    roster.resize(5 * 1024 * 1024 - 1, b'a');
    roster.push(b'\n');
    let query = format!("date={DATE}&file=roster.csv");
    let answer = server
        .roster("check", &query, &roster)
        .send()
        .status(200)
        .json();
    assert_eq!(answer["rows"], 1, "{answer}");
    assert_eq!(answer["failed"][0]["row"], 2, "{answer}");
    roster.push(b'\n');
    for endpoint in ["check", "combined", "zip"] {
        server
            .roster(endpoint, &query, &roster)
            .expect_continue()
            .send()
            .status(413)
            .says("the roster is larger than this page takes");
        server
            .roster(endpoint, &query, &roster)
            .chunked()
            .send()
            .status(413)
            .says("the roster is larger than this page takes");
    }

    // More rows than the page takes: `handout batch` takes them.
    let mut roster = String::from("name,weeks\n");
    for row in 0..2001 {
        roster.push_str(&format!("Patient {row},28\n"));
    }
    for endpoint in ["check", "combined", "zip"] {
        server
            .roster(endpoint, &query, roster.as_bytes())
            .send()
            .status(413)
            .says("the roster has 2,001 patients, and this page takes up to 2,000")
            .says("`handout batch`");
    }
}

#[test]
fn malformed_bodies_are_refused_with_a_reason() {
    let server = Server::start(&Test::new());
    for target in ["/api/fit", "/api/preview", "/handout"] {
        let json = |body: &str| {
            server
                .post(target)
                .body("application/json", body.as_bytes())
                .send()
        };
        json("{\"name\": ").status(400).says("not valid JSON");
        json("{\"name\": \"Ana\",}")
            .status(400)
            .says("not valid JSON");
        json("[\"name\"]")
            .status(400)
            .says("a JSON object of fields");
        json("{\"topic\": \"leg-cramps\", \"weeks\": 28}")
            .status(400)
            .says("the form's field 'weeks' must be text");
        json("{\"pick.prevention\": [\"walking\", null]}")
            .status(400)
            .says("the form's field 'pick.prevention' must be text");

        for (form, field) in [
            ("name=%ZZ", 1),
            ("name=%C3", 1),
            ("name=%4", 1),
            ("topic=leg-cramps&name=Ana%FF%FE", 2),
        ] {
            server.form(target, form).send().status(400).says(&format!(
                "the form's field {field} is not URL-encoded UTF-8 text"
            ));
        }

        for kind in ["text/plain", "multipart/form-data; boundary=x"] {
            server
                .post(target)
                .body(kind, DEFAULTS.as_bytes())
                .send()
                .status(415)
                .says("application/x-www-form-urlencoded or application/json");
        }
        server
            .form(target, DEFAULTS)
            .without("content-type")
            .send()
            .status(415);
    }

    // The same form in either encoding is read alike.
    let form = server
        .form(
            "/api/fit",
            "topic=leg-cramps&weeks=28&shown=prevention&pick.prevention=walking",
        )
        .send()
        .status(200)
        .json();
    let json = server
        .post("/api/fit")
        .body(
            "application/json; charset=utf-8",
            br#"{"topic": "leg-cramps", "weeks": "28", "shown": ["prevention"],
                "pick.prevention": ["walking"]}"#,
        )
        .send()
        .status(200)
        .json();
    assert_eq!(form, json);
    assert_eq!(form["fits"], true, "{form}");

    // A roster's settings in its query.
    for (query, needle) in [
        (
            "date=2026-02-30&file=roster.csv",
            "date 2026-02-30: 30 February is not a date",
        ),
        ("date=soon", "date 'soon' is not written as YYYY-MM-DD"),
        ("date=2026-11-25&paper=a5", "paper 'a5' is not a4 or letter"),
        ("date=%ZZ", "not URL-encoded UTF-8 text"),
    ] {
        server
            .roster("check", query, GOOD_ROSTER)
            .send()
            .status(400)
            .says(needle);
    }
}

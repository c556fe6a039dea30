//! What each fuzz target checks of one input, shared by the `cargo fuzz`
//! targets in `fuzz/` (nightly, libFuzzer) and by this crate's replay test,
//! which CI runs on stable: every file of `fuzz/corpus` and every crash
//! ever found (`fuzz/regressions`) goes through the same checks, so a
//! target cannot rot and a fixed crash cannot come back unseen.
//!
//! Each check panics when the parser breaks a promise: it must never panic
//! itself, and every error and row must name a line inside the input.

use std::sync::LazyLock;

use handout_content::{
    Date, Library, Practice, RequestContext, Roster, RosterOptions, Topic, utf8_text,
};

/// Parsed once: the built-in topics are not what is fuzzed here.
static LIBRARY: LazyLock<Library> = LazyLock::new(Library::builtin);
static PICKS: LazyLock<Vec<String>> = LazyLock::new(|| LIBRARY.choose_keys());

/// A fuzz target's check of one input.
pub type Check = fn(&[u8]);

/// The fuzz targets by name, each with its check: the names of the
/// folders under `fuzz/corpus` and `fuzz/regressions`.
pub const TARGETS: [(&str, Check); 4] = [
    ("roster_csv", roster_csv),
    ("roster_toml", roster_toml),
    ("practice", practice),
    ("topic", topic),
];

/// How many lines `data` has, counting every kind of line end.
fn lines(data: &[u8]) -> usize {
    1 + data
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && data.get(i + 1) != Some(&b'\n')))
        .count()
}

/// A CSV roster: reading and checking every row never panics, and every
/// row and every error names a line inside the input.
pub fn roster_csv(data: &[u8]) {
    roster("r.csv", data);
}

/// A TOML roster, as [`roster_csv`].
pub fn roster_toml(data: &[u8]) {
    roster("r.toml", data);
}

fn roster(origin: &str, data: &[u8]) {
    let lines = lines(data);
    let practice = Practice::default();
    let context = RequestContext::new(
        &LIBRARY,
        &practice,
        Date::new(2026, 11, 25).expect("a date"),
    );
    match Roster::parse(origin, data, &RosterOptions::default(), &PICKS) {
        Ok(roster) => {
            for row in &roster.rows {
                assert!(
                    row.line >= 1 && row.line <= lines,
                    "row at line {}",
                    row.line
                );
                if let Err(error) = roster.request(row, &context) {
                    assert!(error.line >= 1 && error.line <= lines, "{error}");
                }
            }
        }
        Err(error) => {
            if let Some(at) = error.location() {
                assert!(at.line >= 1 && at.line <= lines, "{error}");
            }
        }
    }
}

/// A practice file: parsing never panics, and an error names a line
/// inside the input.
pub fn practice(data: &[u8]) {
    let lines = lines(data);
    let result = utf8_text("p.toml", data).and_then(|text| Practice::parse("p.toml", text));
    if let Err(error) = result {
        let at = error.location();
        assert!(at.line >= 1 && at.line <= lines, "{error}");
    }
}

/// A topic file: checking never panics; every error names a line inside
/// the input, they come in the order of the file, and the first is the one
/// `Topic::parse` gives.
pub fn topic(data: &[u8]) {
    let lines = lines(data);
    let Ok(text) = utf8_text("t.toml", data) else {
        return;
    };
    match Topic::check("t.toml", text) {
        Ok(topic) => assert!(Topic::parse("t.toml", text).is_ok_and(|parsed| parsed == topic)),
        Err(errors) => {
            assert!(!errors.is_empty());
            for error in &errors {
                let at = error.location();
                assert!(at.line >= 1 && at.line <= lines, "{error}");
            }
            let places: Vec<_> = errors
                .iter()
                .map(|error| (error.location().line, error.location().column))
                .collect();
            assert!(places.is_sorted(), "{places:?}");
            assert_eq!(Topic::parse("t.toml", text).err().as_ref(), errors.first());
        }
    }
}

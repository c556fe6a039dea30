//! What every roster target checks, whatever the format.

use std::sync::LazyLock;

use handout_content::{Date, Library, Practice, RequestContext, Roster, RosterOptions};

/// Parsed once: the built-in topics are not what is fuzzed here.
static LIBRARY: LazyLock<Library> = LazyLock::new(Library::builtin);
static PICKS: LazyLock<Vec<String>> = LazyLock::new(|| LIBRARY.choose_keys());

/// Reading `data` as a roster named `origin` never panics, every row and
/// every error names a line inside the input, and checking each row never
/// panics.
pub fn roster(origin: &str, data: &[u8]) {
    let lines = 1 + data
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && data.get(i + 1) != Some(&b'\n')))
        .count();
    let practice = Practice::default();
    let context = RequestContext::new(
        &LIBRARY,
        &practice,
        Date::new(2026, 11, 25).expect("a date"),
    );
    match Roster::parse(origin, data, &RosterOptions::default(), &PICKS) {
        Ok(roster) => {
            for row in &roster.rows {
                assert!(row.line >= 1 && row.line <= lines);
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

//! What every roster target checks, whatever the format.

use std::sync::LazyLock;

use handout_content::{Roster, Topic};

/// Parsed once: the built-in topics are not what is fuzzed here.
static TOPICS: LazyLock<Vec<Topic>> = LazyLock::new(Topic::builtin);

/// Reading `data` as a roster named `origin` never panics, every row and
/// every error names a line inside the input, and checking each row never
/// panics.
pub fn roster(origin: &str, data: &[u8]) {
    let lines = 1 + data
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && data.get(i + 1) != Some(&b'\n')))
        .count();
    match Roster::parse(origin, data) {
        Ok(roster) => {
            for row in &roster.rows {
                assert!(row.line >= 1 && row.line <= lines);
                if let Err(error) = row.request(origin, &TOPICS) {
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

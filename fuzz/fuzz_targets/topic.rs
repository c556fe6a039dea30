//! A topic file: checking never panics; every error names a line inside
//! the input, they come in the order of the file, and the first is the one
//! `Topic::parse` gives.
#![no_main]

use handout_content::{Topic, utf8_text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let lines = 1 + data.iter().filter(|&&b| b == b'\n').count();
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
});

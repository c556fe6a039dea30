//! A practice file: parsing never panics, and an error names a line
//! inside the input.
#![no_main]

use handout_content::{Practice, utf8_text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let lines = 1 + data.iter().filter(|&&b| b == b'\n').count();
    let result = utf8_text("p.toml", data).and_then(|text| Practice::parse("p.toml", text));
    if let Err(error) = result {
        let at = error.location();
        assert!(at.line >= 1 && at.line <= lines, "{error}");
    }
});

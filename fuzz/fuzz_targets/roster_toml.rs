//! A TOML roster: reading never panics, and every row and every error
//! names a line inside the input.
#![no_main]

mod check;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| check::roster("r.toml", data));

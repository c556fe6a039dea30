//! A topic file, through the checks in `handout_fuzz_checks::topic`, which CI
//! also replays on stable for every corpus file and past crash.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| handout_fuzz_checks::topic(data));

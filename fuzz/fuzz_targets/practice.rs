//! A practice file, through the checks in `handout_fuzz_checks::practice`, which CI
//! also replays on stable for every corpus file and past crash.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| handout_fuzz_checks::practice(data));

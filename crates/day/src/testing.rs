//! What the engine's tests make days from: the built-in topics with a
//! practice's topic past its review date, and rosters written inline.

use handout_content::{Date, Library, Practice, Roster, RosterOptions};

/// A practice's topic whose review was due on 2025-03-01.
const OLD_CARE: &str = include_str!("../../../tests/fixtures/content/governance/old-care.en.toml");

/// The day every test prints, and the day it is checked on.
pub fn date() -> Date {
    jiff::civil::date(2026, 11, 25)
}

/// The built-in topics and the overdue `old-care`.
pub fn library() -> Library {
    let mut library = Library::builtin();
    library.add_file(
        "leaflets/old-care.en.toml",
        "old-care.en.toml",
        OLD_CARE.as_bytes(),
    );
    library.check_translations();
    library
}

/// No practice details: the sheets leave write-in lines.
pub fn practice() -> Practice {
    Practice::default()
}

/// A roster read as `clinic.csv`.
pub fn roster(library: &Library, text: &str) -> Roster {
    Roster::parse(
        "clinic.csv",
        text.as_bytes(),
        &RosterOptions::default(),
        &library.choose_keys(),
    )
    .unwrap()
}

/// A roster with one row of each kind: good, bad, a draft (Spanish) and
/// one of the overdue practice topic.
pub const MIXED: &str = "id,name,weeks,topic,language,treatment\n\
    0001,Ana López,28,,,warm-bath\n\
    0002,Bea Smith,50,,,\n\
    0003,Carmen Ruiz,30,,es,\n\
    0004,Dee Jones,24,old-care,,\n\
    0005,Eve Brown,,,,hot-bath\n\
    0006,Fay Green,12,,,none\n";

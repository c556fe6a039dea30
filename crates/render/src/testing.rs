//! What the render crate's tests lay out: the built-in topics, parsed once,
//! and handouts of them, which borrow their words.

use std::sync::LazyLock;

use handout_content::{Handout, Patient, Picks, Practice, Topic};

static TOPICS: LazyLock<Vec<Topic>> = LazyLock::new(Topic::builtin);

/// The built-in English topic.
pub fn english() -> &'static Topic {
    &TOPICS[0]
}

/// The built-in Spanish draft.
pub fn spanish() -> &'static Topic {
    TOPICS
        .iter()
        .find(|topic| topic.language == "es")
        .expect("a Spanish topic is built in")
}

/// The Arabic test fixture (never shipped), for right-to-left pages.
pub fn arabic() -> &'static Topic {
    static ARABIC: LazyLock<Topic> = LazyLock::new(|| {
        Topic::parse(
            "tests/fixtures/rtl/leg-cramps.ar.toml",
            include_str!("../../../tests/fixtures/rtl/leg-cramps.ar.toml"),
        )
        .expect("the Arabic fixture parses")
    });
    &ARABIC
}

/// The English handout for `name`, with the defaults.
pub fn named(name: &str) -> Handout<'static> {
    let patient = Patient {
        name: Some(name.into()),
        ..Patient::default()
    };
    handout_of(english(), &Practice::default(), &patient, &Picks::new())
}

/// The handout of `topic` for this practice, patient and picks, dated 25
/// November 2026.
pub fn handout_of(
    topic: &'static Topic,
    practice: &Practice,
    patient: &Patient,
    picks: &Picks,
) -> Handout<'static> {
    let date = jiff::civil::date(2026, 11, 25);
    Handout::resolve(topic, practice, patient, picks, date, None).unwrap()
}

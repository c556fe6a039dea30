//! What the benchmarks make: the example practice's handout for Ana, 28
//! weeks, with a note, as `scripts/bench` makes it.

use handout_content::{Patient, Practice, Pregnancy};

/// The example practice, as `content/practice.example.toml` gives it.
pub fn practice() -> Practice {
    Practice::parse(
        "practice.example.toml",
        include_str!("../../../../content/practice.example.toml"),
    )
    .expect("the example practice parses")
}

/// Ana, 28 weeks, with a 200-character note.
pub fn patient() -> Patient {
    Patient {
        name: Some("Ana López".into()),
        pregnancy: Some(Pregnancy::Weeks(28)),
        note: Some(
            "Try the calf stretches before bed and keep a glass of water by your bed. \
             Call me if the cramps wake you every night, or if one leg gets swollen or \
             red. See you at your next visit in two weeks. From Jo"
                .into(),
        ),
        midwife: None,
    }
}

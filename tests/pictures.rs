//! The README's pictures show the text the program prints today: each
//! records the leaflet it shows (scripts/make-pictures writes the record),
//! and a picture of older text fails here until it is made again.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use handout_content::{Library, Topic};

/// The repository, where the pictures are.
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The pictures the README shows.
const PICTURES: [&str; 4] = [
    "docs/handout-a4.png",
    "docs/handout-en-gb.png",
    "docs/handout-en-us.png",
    "docs/serve.png",
];

/// The `handout-leaflet` text chunk of a PNG: "TOPIC LANG VERSION SHA256".
fn record_of(path: &Path) -> Option<String> {
    let file = File::open(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let reader = png::Decoder::new(BufReader::new(file))
        .read_info()
        .unwrap_or_else(|error| panic!("{} is not a PNG: {error}", path.display()));
    reader
        .info()
        .uncompressed_latin1_text
        .iter()
        .find(|chunk| chunk.keyword == "handout-leaflet")
        .map(|chunk| chunk.text.clone())
}

#[test]
fn every_picture_shows_the_built_in_text_of_today() {
    let topic = Topic::builtin()
        .into_iter()
        .find(|topic| topic.id == "leg-cramps" && topic.language == "en")
        .expect("the built-in English leaflet");
    let library = Library::builtin();
    let sha256 = library
        .sha256_of("leg-cramps", "en")
        .expect("the built-in English leaflet's hash");
    let today = format!("leg-cramps en {} {sha256}", topic.review.version);
    for picture in PICTURES {
        let record = record_of(&Path::new(ROOT).join(picture)).unwrap_or_else(|| {
            panic!("{picture} does not say which text it shows; run scripts/make-pictures")
        });
        assert_eq!(
            record, today,
            "{picture} shows other text than the program prints (version and SHA-256 of \
             content/leg-cramps.en.toml); run scripts/make-pictures"
        );
    }
}

#[test]
fn the_right_to_left_picture_shows_the_arabic_fixture_of_today() {
    use sha2::{Digest, Sha256};
    let path = "tests/fixtures/rtl/leg-cramps.ar.toml";
    let source = std::fs::read(Path::new(ROOT).join(path)).expect("the Arabic fixture");
    let topic = Topic::parse(path, std::str::from_utf8(&source).expect("UTF-8"))
        .expect("the Arabic fixture parses");
    let sha256: String = Sha256::digest(&source)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    let today = format!("leg-cramps ar {} {sha256}", topic.review.version);
    let picture = "docs/handout-rtl.png";
    let record = record_of(&Path::new(ROOT).join(picture)).unwrap_or_else(|| {
        panic!("{picture} does not say which text it shows; run scripts/make-pictures")
    });
    assert_eq!(
        record, today,
        "{picture} shows other text than {path}; run scripts/make-pictures"
    );
}

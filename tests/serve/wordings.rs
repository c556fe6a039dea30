//! The page's choice of wording: the reader's country, the practice's own
//! ticked, and the preview in its words.

use super::{DEFAULTS, Server, preview_words as preview};
use crate::util::Test;

#[test]
fn the_page_offers_each_wording_and_the_preview_prints_it() {
    let test = Test::new().file("practice.toml", "wordings = [\"en-GB\"]\n");
    let server = Server::start_with(&test, &["--practice", "practice.toml"]);
    let page = server.get("/").send().status(200);
    let page = page.text();
    for (tag, name, ticked) in [
        ("en", "Any country (English)", false),
        ("en-GB", "the UK (en-GB)", true),
        ("en-US", "the US (en-US)", false),
    ] {
        let radio = format!(
            "<label><input type=\"radio\" name=\"language\" value=\"{tag}\"{}> {name}</label>",
            if ticked { " checked" } else { "" }
        );
        assert!(page.contains(&radio), "{radio}");
    }
    // The form's language, not a second one, says which.
    assert!(!page.contains("type=\"hidden\" name=\"language\""));
    let form = |tag: &str| DEFAULTS.replace("language=en", &format!("language={tag}"));
    assert!(DEFAULTS.contains("language=en"), "{DEFAULTS}");
    let american = preview(&server, &form("en-US"));
    assert!(american.contains("Acetaminophen."), "{american}");
    assert!(!american.contains("Paracetamol"), "{american}");
    let british = preview(&server, &form("en-GB"));
    assert!(british.contains("Paracetamol."), "{british}");
    assert!(!british.contains("cetaminophen"), "{british}");
    // The boxes of the advice read in the practice's words.
    assert!(
        page.contains(">Paracetamol.</label>"),
        "the box reads as printed"
    );
}

#[test]
fn the_page_asks_for_the_notes_language_and_refuses_one_that_is_not() {
    let server = Server::start(&Test::new());
    let page = server.get("/").send().status(200);
    assert!(
        page.text()
            .contains("<input id=\"note_language\" name=\"note_language\" type=\"text\""),
        "the field is there"
    );
    preview(&server, &format!("{DEFAULTS}&note=Hola&note_language=es"));
    let refused = server
        .form(
            "/api/fit",
            &format!("{DEFAULTS}&note=Hola&note_language=spanish!"),
        )
        .send()
        .status(200)
        .json();
    assert_eq!(refused["field"], "note_language", "{refused}");
}

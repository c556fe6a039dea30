//! The page's pictures box: ticked unless the practice prints text only,
//! and a preview with a picture, or a bullet, beside each piece of advice.

use super::{DEFAULTS, Server, preview_words};
use crate::util::{PRACTICE_EXAMPLE, Test};

/// The box as the page shows it, ticked or not.
fn the_box(ticked: bool) -> String {
    format!(
        "<input id=\"pictures\" name=\"pictures\" type=\"checkbox\" value=\"yes\" \
         aria-describedby=\"pictures-help\"{}> Pictures",
        if ticked { " checked" } else { "" }
    )
}

/// How many bullets the preview of `form` sets: one for each item printed
/// without its picture.
fn bullets(server: &Server, form: &str) -> usize {
    preview_words(server, form).matches('•').count()
}

#[test]
fn the_box_is_ticked_and_unticking_it_prints_bullets() {
    let server = Server::start(&Test::new());
    let page = server.get("/").send().status(200);
    assert!(page.text().contains(&the_box(true)), "the box is ticked");
    let pictured = bullets(
        &server,
        &format!("{DEFAULTS}&pictures_box=shown&pictures=yes"),
    );
    let unticked = bullets(&server, &format!("{DEFAULTS}&pictures_box=shown"));
    assert!(
        unticked > pictured,
        "{unticked} bullets unticked, {pictured} ticked"
    );
    // A request that has no box, from a script, gets the practice's choice.
    assert_eq!(bullets(&server, DEFAULTS), pictured);
}

#[test]
fn a_practice_that_prints_text_only_unticks_the_box() {
    let test = Test::new().file(
        "practice.toml",
        format!("pictures = false\n{PRACTICE_EXAMPLE}"),
    );
    let server = Server::start_with(&test, &["--practice", "practice.toml"]);
    let page = server.get("/").send().status(200);
    assert!(page.text().contains(&the_box(false)), "the box is unticked");
    let text_only = bullets(&server, DEFAULTS);
    let ticked = bullets(
        &server,
        &format!("{DEFAULTS}&pictures_box=shown&pictures=yes"),
    );
    assert!(
        ticked < text_only,
        "{ticked} ticked, {text_only} by default"
    );
}

#[test]
fn the_fit_line_says_when_the_code_for_more_information_is_left_out() {
    let test = Test::new().file(
        "practice.toml",
        format!("more-info = \"https://www.example.org/leg-cramps\"\n{PRACTICE_EXAMPLE}"),
    );
    let server = Server::start_with(&test, &["--practice", "practice.toml"]);
    let note = "Try the calf stretches before bed and keep a glass of water by your bed. Call \
                me if the cramps wake you every night, or if one leg gets swollen or red. See \
                you at your next visit in two weeks. From Jo";
    let fit = |paper: &str| {
        server
            .form(
                "/api/fit",
                &format!(
                    "{DEFAULTS}&name=Ana&paper={paper}&note={}",
                    note.replace(' ', "+")
                ),
            )
            .send()
            .status(200)
            .json()
    };
    let letter = fit("letter");
    assert_eq!(letter["fits"], true, "{letter}");
    let message = letter["message"].as_str().unwrap();
    assert!(
        message.contains("The code and the address for more information were left out"),
        "{letter}"
    );
    let a4 = fit("a4");
    assert!(
        !a4["message"].as_str().unwrap().contains("left out"),
        "{a4}"
    );
}

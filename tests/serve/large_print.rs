//! The page's large-print box: ticked by the practice's default, and both
//! sides of the sheet in the fit line and the preview.

use super::{DEFAULTS, Server};
use crate::util::{PRACTICE_EXAMPLE, Test};

/// An A4 page's height in points, and the gap the preview leaves between
/// two pages.
const A4_HEIGHT: f64 = 841.89;
const GAP: f64 = 24.0;

/// The `height` of the root `<svg>`, in points.
fn svg_height(svg: &str) -> f64 {
    let tag = &svg[..svg.find('>').expect("the <svg> tag ends")];
    let start = tag.find(" height=\"").expect("a height") + " height=\"".len();
    let end = start + tag[start..].find("pt\"").expect("a height in pt");
    tag[start..end].parse().expect("the height is a number")
}

#[test]
fn the_box_gives_two_pages_in_the_fit_line_and_the_preview() {
    let server = Server::start(&Test::new());
    let page = server.get("/").send().status(200);
    assert!(
        page.text().contains(
            "<input id=\"large_print\" name=\"large_print\" type=\"checkbox\" value=\"yes\" \
             aria-describedby=\"large_print-help\"> Large print"
        ),
        "the box is there, not ticked"
    );

    let fit = server
        .form("/api/fit", &format!("{DEFAULTS}&large_print=yes"))
        .send()
        .status(200)
        .json();
    assert_eq!(fit["fits"], true, "{fit}");
    assert_eq!(fit["pages"], 2, "{fit}");
    assert_eq!(fit["body_pt"], 18.0, "{fit}");
    let message = fit["message"].as_str().unwrap();
    assert!(
        message.starts_with("Fits on 2 pages, both sides of the sheet, text at 18 pt."),
        "{fit}"
    );
    // The default items hold on two sides only without the background.
    let omitted = fit["omitted"].as_array().expect("omitted is a list");
    assert_eq!(omitted.len(), 6, "{fit}");
    assert!(
        message.ends_with(
            "Large print left out 'Blood flow', 'Minerals', 'Nerves', 'Swelling', 'A blood \
             clot' and 'Sciatic nerve' under 'Why it happens' to fit both sides of the sheet; \
             every chosen item is printed."
        ),
        "{fit}"
    );

    // Unticked, one page; the preview draws what prints, both pages of it.
    let one = server.form("/api/fit", DEFAULTS).send().status(200).json();
    assert_eq!(one["pages"], 1, "{one}");
    let svg = |form: &str| {
        server
            .form("/api/preview", form)
            .send()
            .status(200)
            .kind("image/svg+xml")
            .text()
            .to_string()
    };
    let single = svg(DEFAULTS);
    assert!((svg_height(&single) - A4_HEIGHT).abs() < 0.01);
    let both = svg(&format!("{DEFAULTS}&large_print=yes"));
    assert!(
        (svg_height(&both) - (2.0 * A4_HEIGHT + GAP)).abs() < 0.01,
        "{}",
        &both[..200]
    );
    let description = &both[both.find("<desc>").unwrap()..both.find("</desc>").unwrap()];
    for words in [
        "When to call",
        "Page 1 of 2 · please turn over",
        "Page 2 of 2",
    ] {
        assert!(
            description.contains(words),
            "{words} missing: {description}"
        );
    }
}

#[test]
fn a_practice_whose_default_is_large_print_ticks_the_box() {
    let test = Test::new().file(
        "practice.toml",
        format!("large-print = true\n{PRACTICE_EXAMPLE}"),
    );
    let server = Server::start_with(&test, &["--practice", "practice.toml"]);
    let page = server.get("/").send().status(200);
    assert!(
        page.text()
            .contains("aria-describedby=\"large_print-help\" checked> Large print"),
        "the box is ticked"
    );
    // Unticked, the form sends no box: that is normal print, whatever the
    // practice's default.
    let fit = server.form("/api/fit", DEFAULTS).send().status(200).json();
    assert_eq!(fit["pages"], 1, "{fit}");
}

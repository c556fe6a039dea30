//! The one-handout endpoints: the page and its boxes, the handout's PDF,
//! the fit line and the preview, each compared with what `handout render`
//! makes of the same form.

use super::{ANA, DEFAULTS, Server, save, urlencoded};
use crate::items::{self, PREVENTION, TREATMENT};
use crate::util::{DATE, Paper, RENDER_ANA, Test};

/// The built-in topic, for its midwives' hints.
const TOPIC: &str = include_str!("../../content/leg-cramps.en.toml");

/// The picks of the form's handout, as `handout render` takes them after
/// [`RENDER_ANA`].
const ANA_PICKS: [&str; 4] = [
    "--prevention",
    "walking,support-belt",
    "--treatment",
    "warm-bath",
];

/// Escapes text as the page does for an element.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// The root `<svg>` element's width and height in points, from its
/// `width`, `height` and `viewBox`, which must agree.
#[track_caller]
fn svg_size(svg: &str) -> (f64, f64) {
    assert!(
        svg.starts_with("<svg"),
        "not an SVG:\n{}",
        &svg[..svg.len().min(200)]
    );
    let tag = &svg[..svg.find('>').expect("the <svg> tag ends")];
    let attribute = |name: &str| {
        let start = tag
            .find(&format!(" {name}=\""))
            .unwrap_or_else(|| panic!("no {name} in {tag}"))
            + name.len()
            + 3;
        &tag[start..start + tag[start..].find('"').expect("a closing quote")]
    };
    let number = |text: &str| -> f64 {
        text.parse()
            .unwrap_or_else(|_| panic!("odd number {text:?} in {tag}"))
    };
    let view: Vec<f64> = attribute("viewBox").split(' ').map(number).collect();
    let width = number(attribute("width").strip_suffix("pt").expect("width in pt"));
    let height = number(
        attribute("height")
            .strip_suffix("pt")
            .expect("height in pt"),
    );
    assert_eq!(view.len(), 4, "{tag}");
    assert_eq!((view[0], view[1]), (0.0, 0.0), "{tag}");
    assert!(
        (view[2] - width).abs() < 0.01 && (view[3] - height).abs() < 0.01,
        "the viewBox and the size disagree: {tag}"
    );
    (width, height)
}

/// Asserts a size in points within a hundredth of a point.
#[track_caller]
fn assert_size(got: (f64, f64), want: (f64, f64), what: &str) {
    assert!(
        (got.0 - want.0).abs() < 0.01 && (got.1 - want.1).abs() < 0.01,
        "{what} is {} x {} pt, expected {} x {}",
        got.0,
        got.1,
        want.0,
        want.1
    );
}

#[test]
fn page_has_a_box_for_each_item_with_the_defaults_ticked() {
    let server = Server::start(&Test::new());
    let page = server.get("/").send().status(200);
    let html = page.text();
    for (key, section) in [("prevention", PREVENTION), ("treatment", TREATMENT)] {
        assert!(
            html.contains(&format!(
                "<input type=\"hidden\" name=\"shown\" value=\"{key}\">"
            )),
            "the form does not say it shows {key}"
        );
        for item in section {
            let control = format!("pick-{key}-{}", item.id);
            let input = format!(
                "<input type=\"checkbox\" id=\"{control}\" name=\"pick.{key}\" value=\"{}\"",
                item.id
            );
            let at = html
                .find(&input)
                .unwrap_or_else(|| panic!("no box for {}", item.id));
            let tag = &html[at..at + html[at..].find('>').unwrap()];
            assert_eq!(tag.ends_with(" checked"), item.default, "{tag}");
            assert!(
                html.contains(&format!(
                    "<label for=\"{control}\" lang=\"en\">{}</label>",
                    item.lead
                )),
                "{} has no label with its lead",
                item.id
            );
        }
    }
    assert_eq!(
        html.matches("<details><summary>What it says").count(),
        items::all().count(),
        "one “What it says” for each item"
    );

    // Each midwife's hint, under its item.
    let mut id = "";
    let mut hints = 0;
    for line in TOPIC.lines() {
        if let Some(value) = line.strip_prefix("id = \"") {
            id = value.trim_end_matches('"');
        }
        if let Some(hint) = line.strip_prefix("midwife-hint = \"") {
            let hint = hint.trim_end_matches('"');
            let key = if PREVENTION.iter().any(|item| item.id == id) {
                "prevention"
            } else {
                "treatment"
            };
            let at = html
                .find(&format!("id=\"pick-{key}-{id}\""))
                .unwrap_or_else(|| panic!("no box for {id}"));
            let item = &html[at..at + html[at..].find("</li>").unwrap()];
            assert!(
                item.contains(&format!("For you:</span> {}</p>", escape(hint))),
                "{id}'s hint is missing:\n{item}"
            );
            hints += 1;
        }
    }
    assert!(hints > 0, "no midwife's hint found in the topic");

    // Every control is labelled: by its id, or inside its label.
    for opening in ["<input", "<select", "<textarea"] {
        for (at, _) in html.match_indices(opening) {
            let tag = &html[at..at + html[at..].find('>').unwrap()];
            if tag.contains("type=\"hidden\"") {
                continue;
            }
            let by_id = tag.split(" id=\"").nth(1).is_some_and(|rest| {
                let id = &rest[..rest.find('"').unwrap()];
                html.contains(&format!("<label for=\"{id}\""))
            });
            let before = html[..at].trim_end();
            let inside = before.ends_with("<label>") || before.ends_with("<label class=\"check\">");
            assert!(by_id || inside, "no label for {tag}");
        }
    }

    // Nothing the page's own policy would block: no inline script, handler
    // or style.
    for (at, _) in html.match_indices("<script") {
        let tag = &html[at..at + html[at..].find('>').unwrap()];
        assert!(tag.contains(" src=\"/"), "inline script: {tag}");
    }
    assert!(!html.contains(" style=\"") && !html.contains("<style"));
    for (at, _) in html.match_indices(" on") {
        let rest = &html[at + 3..];
        let name_len = rest.find(|c: char| !c.is_ascii_lowercase()).unwrap_or(0);
        assert!(
            name_len == 0 || !rest[name_len..].starts_with('='),
            "an inline handler: {}",
            html[at..].chars().take(40).collect::<String>()
        );
    }
}

#[test]
fn handout_is_the_pdf_the_command_line_makes() {
    let test = Test::new();
    let server = Server::start(&test);
    let response = server
        .form("/handout", &urlencoded(ANA))
        .send()
        .status(200)
        .kind("application/pdf");
    let disposition = response.header("content-disposition").unwrap();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert_eq!(response.file_name(), format!("Ana-López-{DATE}.pdf"));

    let out = test
        .clone()
        .args(RENDER_ANA)
        .args(ANA_PICKS)
        .args(["-o", "cli.pdf"])
        .run()
        .success();
    // The same bytes, so the same page: what the command line prints is
    // read back with poppler in tests/render.rs.
    save(&out, "served.pdf", &response);
    assert!(
        response.body == out.read("cli.pdf"),
        "the served PDF and `handout render`'s differ"
    );

    // Shown in the browser to print: the same file.
    let inline = server
        .form("/handout", &(urlencoded(ANA) + "&disposition=inline"))
        .send()
        .status(200);
    let disposition = inline.header("content-disposition").unwrap();
    assert!(disposition.starts_with("inline;"), "{disposition}");
    assert_eq!(inline.file_name(), format!("Ana-López-{DATE}.pdf"));
    assert!(inline.body == response.body);

    // A blank handout is named after its topic.
    let blank = server
        .form("/handout", &format!("{DEFAULTS}&date={DATE}"))
        .send()
        .status(200);
    assert_eq!(blank.file_name(), format!("leg-cramps-{DATE}.pdf"));

    // A form that cannot be printed: a page saying why, in the form's words.
    let weeks: Vec<(&str, &str)> = ANA
        .iter()
        .map(|&(name, value)| (name, if name == "weeks" { "99" } else { value }))
        .collect();
    let problem = server
        .form("/handout", &urlencoded(&weeks))
        .send()
        .status(422)
        .kind("text/html");
    assert!(
        problem
            .text()
            .contains("weeks: weeks must be 1 to 42, not &apos;99&apos;"),
        "{}",
        problem.text()
    );
    // What the form said comes back escaped.
    let problem = server
        .form(
            "/handout",
            &urlencoded(&[("shown", "prevention"), ("pick.prevention", "<b>x</b>")]),
        )
        .send()
        .status(422);
    assert!(
        problem.text().contains("advice: ")
            && problem.text().contains("&lt;b&gt;x&lt;/b&gt;")
            && !problem.text().contains("<b>"),
        "{}",
        problem.text()
    );
}

#[test]
fn fit_says_whether_it_fits_and_what_to_untick() {
    let server = Server::start(&Test::new());
    let fit = |form: &str| {
        server
            .form("/api/fit", form)
            .send()
            .status(200)
            .kind("application/json")
            .json()
    };
    let answer = fit(DEFAULTS);
    assert_eq!(answer["fits"], true, "{answer}");
    let size = answer["body_pt"].as_f64().expect("body_pt is a number");
    assert_eq!(
        answer["message"],
        format!("Fits on one page, text at {size} pt."),
        "{answer}"
    );

    // Every item ticked fits; with the longest note it does not. Without
    // the herbal products, neither, and the fit line must not name them.
    let note = "Rest well. ".repeat(60);
    let note = &note[..600];
    for left_out in [None, Some("herbal")] {
        let ticked: Vec<&items::Item> = items::all()
            .filter(|item| Some(item.id) != left_out)
            .collect();
        let mut fields: Vec<(&str, &str)> = vec![
            ("topic", "leg-cramps"),
            ("name", "Ana López"),
            ("shown", "prevention"),
            ("shown", "treatment"),
        ];
        for item in &ticked {
            let key = if PREVENTION.iter().any(|other| other.id == item.id) {
                "pick.prevention"
            } else {
                "pick.treatment"
            };
            fields.push((key, item.id));
        }
        if left_out.is_none() {
            let answer = fit(&urlencoded(&fields));
            assert_eq!(answer["fits"], true, "{answer}");
        }
        fields.push(("note", note));
        let answer = fit(&urlencoded(&fields));
        assert_eq!(answer["fits"], false, "{answer}");
        let message = answer["message"].as_str().unwrap();
        let over = answer["over_mm"].as_f64().expect("over_mm is a number");
        assert!(over >= 1.0, "{answer}");
        assert!(
            message.starts_with(&format!("Over by {over} mm: untick one of ")),
            "{answer}"
        );
        assert!(message.ends_with(", or shorten the note."), "{answer}");
        let longest = answer["longest"].as_array().expect("longest is a list");
        assert!(!longest.is_empty(), "{answer}");
        for lead in longest {
            let lead = lead.as_str().unwrap();
            assert!(
                ticked
                    .iter()
                    .any(|item| item.lead.trim_end_matches(['.', ':']) == lead),
                "{lead:?} is not the lead of a ticked item: {answer}"
            );
            assert!(message.contains(lead), "{answer}");
        }
    }

    // The form's mistakes, with the field to point at.
    for (form, field, needle) in [
        (
            "topic=leg-cramps&weeks=99",
            "weeks",
            "weeks must be 1 to 42",
        ),
        (
            "topic=leg-cramps&weeks=soon",
            "weeks",
            "weeks must be written like 28",
        ),
        (
            "topic=leg-cramps&due_date=2027-02-30",
            "due_date",
            "not a date",
        ),
        ("topic=leg-cramps&paper=a5", "paper", "a5"),
        (
            "topic=leg-cramps&shown=treatment&pick.treatment=hot-bath",
            "section-treatment",
            "did you mean 'warm-bath'?",
        ),
    ] {
        let answer = fit(form);
        assert_eq!(answer["fits"], false, "{form}: {answer}");
        assert_eq!(answer["field"], field, "{form}: {answer}");
        let message = answer["message"].as_str().unwrap();
        assert!(message.contains(needle), "{form}: {answer}");
    }
    let long = "a".repeat(601);
    let answer = fit(&format!("topic=leg-cramps&note={long}"));
    assert_eq!(answer["field"], "note", "{answer}");
}

#[test]
fn preview_is_an_svg_of_the_printed_page() {
    let test = Test::new();
    let server = Server::start(&test);
    for paper in [Paper::A4, Paper::Letter] {
        // The same bytes as the command line's, whose page sizes
        // tests/render.rs reads back with pdfinfo.
        let cli = format!("cli-{}.pdf", paper.arg());
        let out = test
            .clone()
            .args(RENDER_ANA)
            .args(ANA_PICKS)
            .args(["--paper", paper.arg(), "-o", &cli])
            .run()
            .success();
        let form = format!("{}&paper={}", urlencoded(ANA), paper.arg());
        let pdf = server.form("/handout", &form).send().status(200);
        assert!(
            pdf.body == out.read(&cli),
            "the served {paper:?} PDF and `handout render --paper {}`'s differ",
            paper.arg()
        );
        let printed = paper.size();
        for scale in [
            "",
            "&px_per_pt=1.3888889",
            "&px_per_pt=0.25",
            "&px_per_pt=16",
        ] {
            let preview = server
                .form("/api/preview", &format!("{form}{scale}"))
                .send()
                .status(200)
                .kind("image/svg+xml");
            let svg = preview.text();
            assert_size(
                svg_size(svg),
                printed,
                &format!("the {paper:?} preview{scale}"),
            );
            assert!(svg.contains("Ana López"), "the preview lacks the name");
            assert!(svg.trim_end().ends_with("</svg>"));
        }
    }

    for scale in ["0", "0.2", "17", "-1", "abc", "NaN", "inf", "1,5"] {
        server
            .form("/api/preview", &format!("{DEFAULTS}&px_per_pt={scale}"))
            .send()
            .status(400)
            .says("px_per_pt must be a number from 0.25 to 16");
    }
    let answer = server
        .form("/api/preview", "topic=leg-cramps&weeks=99")
        .send()
        .status(422)
        .kind("application/json")
        .json();
    assert_eq!(answer["field"], "weeks", "{answer}");
}

#[test]
fn the_page_refuses_garbled_or_overdrawn_text_as_render_does() {
    // The same checks as `handout render` (tests/characters.rs), through
    // the page's fit line.
    let server = Server::start(&Test::new());
    let stacked = format!("Ana{}", "\u{301}".repeat(12));
    for (name, says) in [
        ("Zo\u{FFFD}", "the export lost part of this text"),
        (
            stacked.as_str(),
            "has 12 accents or other marks on one letter",
        ),
        (
            "Ana\u{301}\u{301}\u{301}",
            "stacked so high or deep on one letter",
        ),
        ("\u{200B}\u{200B}", "has only invisible characters"),
    ] {
        let form = urlencoded(&[("topic", "leg-cramps"), ("language", "en"), ("name", name)]);
        let answer = server.form("/api/fit", &form).send().status(200).json();
        assert_eq!(answer["fits"], false, "{name:?}: {answer}");
        let message = answer["message"].as_str().unwrap_or_default();
        assert!(message.contains(says), "{name:?}: {message}");
    }
}

#[test]
fn the_page_reads_dates_in_the_practices_order_as_render_does() {
    // 01/12/2026 is a week after 2026-11-25 day first, and in the past
    // month first (12 January): as `render` reads it under each order.
    for (order, fits) in [("dmy", true), ("mdy", false)] {
        let test = Test::new().file("practice.toml", format!("date-order = \"{order}\"\n"));
        let server = Server::start_with(&test, &["--practice", "practice.toml"]);
        let answer = server
            .form(
                "/api/fit",
                &format!("{DEFAULTS}&date={DATE}&due_date=01%2F12%2F2026"),
            )
            .send()
            .status(200)
            .json();
        assert_eq!(answer["fits"], fits, "{order}: {answer}");
        if !fits {
            assert_eq!(answer["field"], "due_date", "{order}: {answer}");
        }
    }
}

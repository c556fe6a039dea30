//! The pictograms beside the advice: a practice's own, in its content
//! folder's `pictures/`, a hostile one refused with its file and line, and a
//! practice or a midwife turning them off.

use crate::util::{DATE, Test};

/// The built-in English leaflet, as a practice copies it to change it.
const LEAFLET: &str = include_str!("../content/leg-cramps.en.toml");

/// A practice's picture of its own: a ring with a cross in it.
const OWN: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\" \
                   fill=\"none\" stroke=\"black\" stroke-width=\"2\">\n\
                   <circle cx=\"12\" cy=\"12\" r=\"9\"/>\n<path d=\"M8 12h8M12 8v8\"/>\n</svg>\n";

/// A practice's folder, `leaflets/`, holding its copy of the leaflet and
/// `pictures/NAME.svg`, named by its practice file.
fn practice_with(name: &str, svg: &str, leaflet: &str) -> Test {
    Test::new()
        .file("practice.toml", "content = \"leaflets\"\n")
        .folder("leaflets")
        .folder("leaflets/pictures")
        .file(&format!("leaflets/pictures/{name}.svg"), svg)
        .file("leaflets/leg-cramps.en.toml", leaflet)
}

/// `handout render` of Ana's handout into `out.pdf`, with `args` after it.
fn render(test: Test, args: &[&str]) -> Vec<u8> {
    test.args(["render", "--name", "Ana", "--date", DATE, "-o", "out.pdf"])
        .args(args)
        .run()
        .success()
        .read("out.pdf")
}

#[test]
fn a_practice_picture_of_a_built_in_name_prints_in_its_place() {
    let own = render(
        practice_with("walk", OWN, LEAFLET),
        &["--practice", "practice.toml"],
    );
    let built_in = render(Test::new(), &[]);
    assert_ne!(
        own, built_in,
        "the practice's walk should print, not the built-in one"
    );
    // With pictures off, the two are the same page: the picture was all
    // that differed.
    let own_text = render(
        practice_with("walk", OWN, LEAFLET),
        &["--practice", "practice.toml", "--no-pictures"],
    );
    let built_in_text = render(Test::new(), &["--no-pictures"]);
    assert_eq!(own_text, built_in_text);
}

#[test]
fn a_practice_picture_of_a_new_name_prints_and_check_lists_it() {
    let leaflet = LEAFLET.replace("picture = \"bath\"", "picture = \"tub\"");
    assert_ne!(leaflet, LEAFLET);
    let own = render(
        practice_with("tub", OWN, &leaflet),
        &["--practice", "practice.toml"],
    );
    assert_ne!(own, render(Test::new(), &[]));
    let test = practice_with("tub", OWN, &leaflet).args(["check", "--practice", "practice.toml"]);
    let output = test.run();
    let stdout = output.stdout_text();
    assert!(
        stdout.contains("leaflets/pictures/tub.svg: picture 'tub', 2 shapes"),
        "{stdout}"
    );
}

#[test]
fn a_topic_naming_a_missing_picture_is_refused_where_it_names_it() {
    let leaflet = LEAFLET.replace("picture = \"bath\"", "picture = \"tubb\"");
    let line = leaflet
        .lines()
        .position(|line| line == "picture = \"tubb\"")
        .unwrap()
        + 1;
    let test = practice_with("tub", OWN, &leaflet).args(["check", "--practice", "practice.toml"]);
    let output = test.run().code(1);
    let stdout = output.stdout_text();
    assert!(
        stdout.contains(&format!(
            "leaflets/leg-cramps.en.toml:{line}:11: item 'warm-bath' names picture 'tubb', \
             which is neither a built-in picture nor one of the practice's own"
        )),
        "{stdout}"
    );
    assert!(stdout.contains("did you mean 'tub'"), "{stdout}");
}

/// Hostile pictures, each with the line it is refused at and a word of
/// the message.
const HOSTILE: &[(&str, &str, usize, &str)] = &[
    (
        "script",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\">\n\
         <script>alert(1)</script>\n</svg>",
        2,
        "script",
    ),
    (
        "event handler",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\">\n\
         <circle cx=\"1\" cy=\"1\" r=\"1\" onclick=\"alert(1)\"/>\n</svg>",
        2,
        "onclick",
    ),
    (
        "entity",
        "<?xml version=\"1.0\"?>\n<!DOCTYPE svg [<!ENTITY lol \"lol\">]>\n\
         <svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\">&lol;</svg>",
        2,
        "entities",
    ),
    (
        "external reference",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" \
         xmlns:xlink=\"http://www.w3.org/1999/xlink\" viewBox=\"0 0 24 24\">\n\
         <use xlink:href=\"https://example.org/a.svg#x\"/>\n</svg>",
        2,
        "use",
    ),
    (
        "embedded image",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\">\n\n\
         <image href=\"data:image/png;base64,AAAA\" width=\"24\" height=\"24\"/>\n</svg>",
        3,
        "image",
    ),
    (
        "text",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\">\n\
         <text x=\"1\" y=\"10\">Hi</text>\n</svg>",
        2,
        "text",
    ),
];

#[test]
fn a_hostile_picture_is_refused_with_its_file_and_line() {
    for (what, svg, line, word) in HOSTILE {
        let test =
            practice_with("walk", svg, LEAFLET).args(["check", "--practice", "practice.toml"]);
        let output = test.run().code(1);
        let stdout = output.stdout_text();
        let at = format!("leaflets/pictures/walk.svg:{line}:");
        let error = stdout
            .lines()
            .find(|text| text.contains(&at) && !text.contains("names picture"))
            .unwrap_or_else(|| panic!("{what}: no error at {at} in\n{stdout}"));
        assert!(error.contains(word), "{what}: {error}");
        // The leaflet that names it is refused too, where it names it, and
        // nothing is printed from it.
        assert!(
            stdout.contains("item 'walking' names picture 'walk', whose file cannot be used"),
            "{what}: {stdout}"
        );
        let render = practice_with("walk", svg, LEAFLET).args([
            "render",
            "--practice",
            "practice.toml",
            "--name",
            "Ana",
            "-o",
            "out.pdf",
        ]);
        let output = render.run();
        assert_ne!(output.code, Some(0), "{what}");
        assert!(output.stderr.contains(&at), "{what}: {}", output.stderr);
        assert!(!output.path("out.pdf").exists(), "{what}");
    }
}

#[test]
fn a_picture_over_the_size_limit_is_refused() {
    let padding = format!("<!-- {} -->", "x".repeat(40 * 1024));
    let svg = format!("{}\n{padding}", OWN);
    let test = practice_with("walk", &svg, LEAFLET).args(["check", "--practice", "practice.toml"]);
    let output = test.run().code(1);
    let stdout = output.stdout_text();
    assert!(
        stdout.contains(
            "leaflets/pictures/walk.svg:1:1: the picture is 41 KB; a picture may be at most 32 KB"
        ),
        "{stdout}"
    );
}

#[test]
fn a_practice_or_a_midwife_can_turn_pictures_off() {
    let off = render(
        Test::new().file("practice.toml", "pictures = false\n"),
        &["--practice", "practice.toml"],
    );
    let flag = render(Test::new(), &["--no-pictures"]);
    let on = render(Test::new(), &[]);
    assert_eq!(off, flag);
    assert_ne!(off, on);
    // The midwife's option wins over the practice's choice, either way:
    // there is no `--pictures`, so the practice's `pictures = true` is
    // the default it already is.
    let both = render(
        Test::new().file("practice.toml", "pictures = true\n"),
        &["--practice", "practice.toml", "--no-pictures"],
    );
    assert_eq!(both, flag);
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn without_pictures_every_item_has_its_bullet_in_the_text() {
    let output = Test::render_ana()
        .args(["--no-pictures", "-o", "out.pdf"])
        .run()
        .success();
    let text = output.pdf("out.pdf").text();
    for lead in ["Walk every day.", "Drink plenty."] {
        text.assert_has(&format!("• {lead}"));
    }
    let output = Test::render_ana().args(["-o", "out.pdf"]).run().success();
    let text = output.pdf("out.pdf").text();
    text.assert_has("Walk every day.");
    text.assert_lacks("• Walk every day.");
}

#[test]
fn a_clinic_day_turns_pictures_off_as_render_does() {
    let day = |practice: &str, args: &[&str]| {
        let out = Test::batch("name,weeks\nAna,28\n")
            .file("practice.toml", practice)
            .args(["--practice", "practice.toml"])
            .args(args)
            .run()
            .success();
        let file = out
            .list("out")
            .into_iter()
            .find(|name| name.ends_with(".pdf"))
            .expect("the row's PDF");
        out.read(&format!("out/{file}"))
    };
    let off = day("pictures = false\n", &[]);
    let flag = day("", &["--no-pictures"]);
    let on = day("", &[]);
    assert_eq!(off, flag);
    assert_ne!(off, on);
}

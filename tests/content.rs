//! A practice's own topics: a folder of TOPIC.LANG.toml files with sections
//! of their own, one that replaces the built-in leaflet, and broken files,
//! each refused where it is wrong. The fixtures are in
//! tests/fixtures/content/: `practice/back-care.en.toml` has five sections,
//! two of them `choose` sections named `at-home` and `at-work`; `broken/`
//! has one file for each mistake a practice can make.

use crate::util::{DATE, Output, Paper, Test, read_manifest};

/// The built-in topic's text, to edit into a practice's version of it.
const LEG_CRAMPS_EN: &str = include_str!("../content/leg-cramps.en.toml");

/// `handout ARGS... --content practice`, with the practice fixture folder
/// copied in as `practice/`.
fn with_practice(args: &[&str]) -> Test {
    Test::new()
        .fixture_folder("content/practice", "practice")
        .args(args)
        .args(["--content", "practice"])
}

/// The back-care items, as their leads open them on the page: at home,
/// then at work.
const AT_HOME: [(&str, &str); 4] = [
    ("bend-knees", "• Bend your knees."),
    ("no-heavy-lifting", "• Do not lift heavy things."),
    ("firm-mattress", "• A firm mattress."),
    ("warm-bath", "• A warm bath."),
];
const AT_WORK: [(&str, &str); 3] = [
    ("flat-shoes", "• Flat shoes."),
    ("sit-straight", "• Sit up straight."),
    ("no-twisting", "• Do not twist."),
];

/// Asserts that a back-care page has its fixed parts and exactly the
/// `picked` items of its two `choose` sections.
#[track_caller]
fn assert_back_care(text: &crate::util::Text, picked: &[&str]) {
    for fixed in [
        "Back care in pregnancy",
        "Back pain is common in pregnancy.",
        "Why it happens",
        "• Softer ligaments.",
        "• More weight in front.",
        "Keep moving",
        "• Exercise in water.",
        "Call your midwife or GP straight away if you have back pain and",
        "• a high temperature,",
        "• bleeding from your vagina.",
        "• pain when you pee,",
    ] {
        text.assert_has(fixed);
    }
    for (id, lead) in AT_HOME.iter().chain(&AT_WORK) {
        if picked.contains(id) {
            text.assert_has(lead);
        } else {
            text.assert_lacks(lead);
        }
    }
    text.assert_lacks("leg cramps");
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn a_practice_topic_prints_with_sections_of_its_own() {
    let out = with_practice(&[
        "render",
        "--date",
        DATE,
        "--topic",
        "back-care",
        "--pick",
        "at-home=bend-knees,firm-mattress",
        "--pick",
        "at-work=no-twisting",
        "--name",
        "Ana López",
        "--weeks",
        "30",
        "-o",
        "ana.pdf",
    ])
    .run()
    .success()
    .stderr_contains("1 page of back-care (en), 2 at-home and 1 at-work items");
    let pdf = out.pdf("ana.pdf");
    pdf.assert_sound(Paper::A4);
    let text = pdf.text();
    text.assert_has("Prepared for Ana López · 30 weeks · 25 November 2026");
    assert_back_care(&text, &["bend-knees", "firm-mattress", "no-twisting"]);
    // "At home" comes before "At work": sections print in the file's order.
    let at_home = text.raw.find("At home").expect("an At home heading");
    let at_work = text.raw.find("At work").expect("an At work heading");
    assert!(at_home < at_work, "{}", text.raw);
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn a_practice_topic_without_picks_prints_its_defaults() {
    let out = with_practice(&[
        "render",
        "--date",
        DATE,
        "--topic",
        "back-care",
        "-o",
        "blank.pdf",
    ])
    .run()
    .success();
    let defaults = [
        "bend-knees",
        "no-heavy-lifting",
        "warm-bath",
        "flat-shoes",
        "sit-straight",
    ];
    assert_back_care(&out.pdf("blank.pdf").text(), &defaults);
}

#[test]
fn list_shows_a_practice_topic_and_how_to_pick_from_it() {
    let out = with_practice(&["list", "back-care"]).run().success();
    let stdout = out.stdout_text();
    assert!(
        stdout.starts_with("Back care in pregnancy (back-care, en; practice/back-care.en.toml)"),
        "{stdout}"
    );
    for line in [
        "At home (--pick at-home=IDS or all; * = printed when nothing is picked)",
        "At work and on the move (--pick at-work=IDS or all; * = printed when nothing is picked)",
        "Keep moving (explains; printed as it is)",
    ] {
        assert!(stdout.lines().any(|l| l == line), "no {line:?}:\n{stdout}");
    }
    let line = |id: &str| {
        stdout
            .lines()
            .find(|line| line.trim_start_matches([' ', '*']).starts_with(id))
            .unwrap_or_else(|| panic!("no line for {id}:\n{stdout}"))
    };
    assert!(line("bend-knees").trim_start().starts_with('*'));
    assert!(!line("firm-mattress").trim_start().starts_with('*'));
    // The midwife's hint, under its item.
    assert!(stdout.contains("For a patient whose pain is worse at night."));

    // Without a topic: every topic, built-in and the practice's.
    let out = with_practice(&["list"]).run().success();
    let stdout = out.stdout_text();
    assert!(stdout.contains("Leg pain and leg cramps in pregnancy (leg-cramps, en; built-in)"));
    assert!(stdout.contains("Back care in pregnancy (back-care, en; practice/back-care.en.toml)"));
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn a_practice_file_replaces_the_builtin_leaflet() {
    let intro = "Leg cramps are common in pregnancy. Our physiotherapist runs a class on \
        Tuesdays at the Riverside clinic.";
    let out = Test::new()
        .folder("ours")
        .file("ours/leg-cramps.en.toml", with_intro(LEG_CRAMPS_EN, intro))
        .args([
            "render",
            "--content",
            "ours",
            "--date",
            DATE,
            "-o",
            "ours.pdf",
        ])
        .run()
        .success();
    let text = out.pdf("ours.pdf").text();
    text.assert_has(intro);
    text.assert_lacks("about 1 in 2 pregnant women get them");
    // Still the leaflet's items and warning signs.
    text.assert_has("Walk every day.");
    text.assert_has("When to call");

    let out = Test::new()
        .folder("ours")
        .file("ours/leg-cramps.en.toml", with_intro(LEG_CRAMPS_EN, intro))
        .args(["list", "--content", "ours"])
        .run()
        .success();
    let stdout = out.stdout_text();
    assert!(
        stdout.contains("(leg-cramps, en; ours/leg-cramps.en.toml)")
            && !stdout.contains("built-in"),
        "{stdout}"
    );
}

/// A topic file's text with its multi-line `intro` replaced by `intro`.
fn with_intro(text: &str, intro: &str) -> String {
    let start = text.find("intro = \"\"\"").expect("a multi-line intro");
    let body = start + "intro = \"\"\"".len();
    let end = body + text[body..].find("\"\"\"").expect("the intro's end") + 3;
    format!("{}intro = \"{intro}\"{}", &text[..start], &text[end..])
}

/// Each broken fixture: its file, where its error is, and what it says.
pub const BROKEN: [(&str, &str, &str); 12] = [
    (
        "bad-id.en.toml",
        "35:6",
        "item id 'Warm_Bath' must be lower-case words joined by '-'",
    ),
    (
        "duplicate-id.en.toml",
        "35:6",
        "duplicate item id 'bend-knees' (first used on line 29)",
    ),
    (
        "empty-choose.en.toml",
        "23:1",
        "section 'at-home' has no items; add at least one [[section.item]]",
    ),
    (
        "no-urgent.en.toml",
        "1:1",
        "the topic has no `urgent` section",
    ),
    (
        "not-utf8.en.toml",
        "6:20",
        "the file is not UTF-8 text; save it with UTF-8 encoding",
    ),
    (
        "reserved-key.en.toml",
        "24:7",
        "section key 'weeks' is a roster column for a patient's details",
    ),
    (
        "two-urgent.en.toml",
        "42:8",
        "a second `urgent` section (the first is on line 14)",
    ),
    (
        "unknown-role.en.toml",
        "14:8",
        "unknown variant `aside`, expected one of `info`, `choose`, `urgent`",
    ),
    (
        "unknown-shown-with.en.toml",
        "45:15",
        "`shown-with` of item 'bath-caution' names item 'warm-bth', which the topic does not have; did you mean 'warm-bath'?",
    ),
    (
        "unknown-source.en.toml",
        "21:12",
        "item 'ligaments' names source 'nhs-bak', which [sources] does not have; did you mean 'nhs-back'?",
    ),
    (
        "wrong-id.en.toml",
        "2:1",
        "the file is named for topic 'wrong-id' in 'en', but it says id = \"back-care\"",
    ),
    (
        "wrong-language.es.toml",
        "3:1",
        "the file is named for topic 'wrong-language' in 'es', but it says id = \"wrong-language\" and language = \"en\"",
    ),
];

/// `handout ARGS... --content broken`, with the broken fixtures copied in
/// as `broken/`.
fn with_broken(args: &[&str]) -> Test {
    Test::new()
        .fixture_folder("content/broken", "broken")
        .args(args)
        .args(["--content", "broken"])
}

#[test]
fn every_broken_file_is_refused_where_it_is_wrong_and_nothing_is_written() {
    for (file, at, message) in BROKEN {
        let mut name = file.splitn(3, '.');
        let (topic, language) = (name.next().unwrap(), name.next().unwrap());
        let out = with_broken(&[
            "render",
            "--date",
            DATE,
            "--topic",
            topic,
            "--language",
            language,
            "-o",
            "x.pdf",
        ])
        .run()
        .code(1);
        let lines: Vec<&str> = out.stderr.lines().collect();
        assert!(
            lines.len() == 2
                && lines[0].starts_with(&format!("error: broken/{file}:{at}: {message}"))
                && lines[1].starts_with("hint: correct the topic file"),
            "{file}: expected `error: broken/{file}:{at}: {message}` and a hint, got:\n{}",
            out.stderr
        );
        assert_eq!(out.created_files(), Vec::<String>::new(), "{file}");
    }
}

#[test]
fn a_broken_file_stops_only_its_own_topic() {
    // The built-in topic prints from a folder full of broken files...
    let out = with_broken(&[
        "render",
        "--date",
        DATE,
        "--topic",
        "leg-cramps",
        "-o",
        "ok.pdf",
    ])
    .run()
    .success();
    out.assert_pdf_file("ok.pdf");
    // ...and the list names every broken file with its error, and exits 1.
    let out = with_broken(&["list"]).run().code(1);
    let stdout = out.stdout_text();
    assert!(stdout.contains("(leg-cramps, en; built-in)"), "{stdout}");
    for (file, at, message) in BROKEN {
        assert!(
            stdout.contains(&format!("is broken: broken/{file}:{at}: {message}")),
            "{file}:\n{stdout}"
        );
    }
    // A batch: the rows of a broken topic fail, the others are written.
    let out = Test::new()
        .fixture_folder("content/broken", "broken")
        .file(
            "roster.csv",
            "name,weeks,topic\nAna,28,leg-cramps\nBea,30,bad-id\n",
        )
        .args(["batch", "roster.csv", "-o", "out", "--content", "broken"])
        .args(["--date", DATE])
        .run()
        .code(1);
    assert!(
        out.stderr.contains(
            "roster.csv, row 3: its topic cannot be used: broken/bad-id.en.toml:35:6: item id \
             'Warm_Bath'"
        ),
        "{}",
        out.stderr
    );
    assert_eq!(out.list("out"), ["2-Ana.pdf", "manifest.csv"]);
}

#[test]
fn a_content_folder_that_is_not_there_is_refused() {
    let out = Test::new()
        .args([
            "render",
            "--content",
            "leaflets",
            "--date",
            DATE,
            "-o",
            "x.pdf",
        ])
        .run()
        .code(2);
    assert!(
        out.stderr
            .starts_with("error: failed to read the content folder `leaflets`: no such folder"),
        "{}",
        out.stderr
    );
    let out = out.stderr_contains("hint: give the folder of your practice's TOPIC.LANG.toml files");
    assert_eq!(out.created_files(), Vec::<String>::new());

    // The practice file's `content` is relative to the practice file.
    let out = Test::new()
        .folder("setup")
        .file(
            "setup/practice.toml",
            "name = \"Riverside Practice\"\ncontent = \"leaflets\"\n",
        )
        .args(["list", "--practice", "setup/practice.toml"])
        .run()
        .code(2);
    out.stderr_contains("the content folder `setup/leaflets`: no such folder");
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn the_practice_file_names_the_content_folder() {
    let out = Test::new()
        .fixture_folder("content/practice", "leaflets")
        .file(
            "practice.toml",
            "name = \"Riverside Practice\"\ncontent = \"leaflets\"\n",
        )
        .args([
            "render",
            "--practice",
            "practice.toml",
            "--topic",
            "back-care",
        ])
        .args(["--date", DATE, "-o", "b.pdf"])
        .run()
        .success();
    out.pdf("b.pdf").text().assert_has("Back care in pregnancy");
}

#[test]
fn a_pick_that_cannot_be_made_suggests_the_nearest() {
    let cases: [(&[&str], &str); 6] = [
        (
            &["--pick", "prevenion=walking"],
            "error: --pick prevenion: topic 'leg-cramps' has no section 'prevenion'; did you \
             mean 'prevention'?",
        ),
        (
            &["--pick", "prevention=walkin"],
            "error: --pick prevention: unknown prevention item 'walkin'; did you mean 'walking'?",
        ),
        (
            &["--pick", "causes=nerves"],
            "error: --pick causes: section 'causes' of topic 'leg-cramps' is an info section, \
             printed as it is; the midwife picks only from prevention, treatment",
        ),
        (
            &["--pick", "when-to-call=dvt"],
            "error: --pick when-to-call: section 'when-to-call' of topic 'leg-cramps' is an \
             urgent section",
        ),
        (
            &["--pick", "prevention=walking", "--prevention", "fluids"],
            "error: --pick prevention: the items of section 'prevention' are given twice",
        ),
        (
            &["--topic", "back-care", "--pick", "at-hom=bend-knees"],
            "error: --pick at-hom: topic 'back-care' has no section 'at-hom'; did you mean \
             'at-home'?",
        ),
    ];
    for (args, message) in cases {
        // Only the back-care case needs the practice's folder.
        let test = if args.contains(&"back-care") {
            with_practice(&["render", "--date", DATE, "-o", "x.pdf"])
        } else {
            Test::new()
                .folder("practice")
                .args(["render", "--date", DATE, "-o", "x.pdf"])
        };
        let out = test.args(args).run().code(1);
        assert!(out.stderr.starts_with(message), "{args:?}:\n{}", out.stderr);
        let out =
            out.stderr_contains("hint: `handout list` shows every topic, section and item id");
        assert_eq!(out.created_files(), Vec::<String>::new());
    }
}

/// A roster whose rows mix the built-in topic and the practice's.
const MIXED: &str = "\
id,name,weeks,topic,prevention,treatment,at-home,at-work
0001,Ana López,28,leg-cramps,walking,warm-bath,,
0002,Bea Smith,30,back-care,,,bend-knees;firm-mattress,flat-shoes
0003,Cas Díaz,31,leg-cramps,,,,
0004,Dee Eve,32,back-care,,,,none
0005,Eve Fox,33,back-care,walking,,,
0006,Fay Gee,34,back-care,,,no-such,
";

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn a_roster_mixing_topics_prints_each_row_right() {
    let out = Test::new()
        .fixture_folder("content/practice", "practice")
        .file("roster.csv", MIXED)
        .args(["batch", "roster.csv", "-o", "out", "--combined", "day.pdf"])
        .args(["--content", "practice", "--date", DATE])
        .run()
        .code(1);
    // A pick for a section the row's topic does not have, and an unknown
    // item, are those rows' errors, in their cells.
    assert!(
        out.stderr.contains(
            "roster.csv, row 6, column E: topic 'back-care' has no section 'prevention' (its sections to \
             pick from: at-home, at-work)"
        ),
        "{}",
        out.stderr
    );
    let out = out.stderr_contains("roster.csv, row 7, column G: unknown at-home item 'no-such'");
    assert_eq!(
        out.stderr.lines().last(),
        Some("4 written, 2 failed (rows 6, 7); day.pdf: 4 pages")
    );

    let manifest = read_manifest(&out.read_text("out/manifest.csv"));
    let expected = [
        (
            "0001-Ana-López.pdf",
            "leg-cramps",
            "prevention=walking; treatment=warm-bath",
        ),
        (
            "0002-Bea-Smith.pdf",
            "back-care",
            "at-home=bend-knees,firm-mattress; at-work=flat-shoes",
        ),
        (
            "0003-Cas-Díaz.pdf",
            "leg-cramps",
            "prevention=walking,calcium-magnesium,support-hose,exercise,calf-stretches,\
             ankle-rotation,side-sleeping,fluids,massage,rest,movement-breaks; \
             treatment=moist-heat,warm-bath,pain-relief",
        ),
        (
            "0004-Dee-Eve.pdf",
            "back-care",
            "at-home=bend-knees,no-heavy-lifting,warm-bath; at-work=",
        ),
    ];
    for (record, (file, topic, picks)) in manifest.iter().zip(expected) {
        assert_eq!(
            (
                record["file"].as_str(),
                record["topic"].as_str(),
                record["picks"].as_str()
            ),
            (file, topic, picks)
        );
        assert_eq!(record["language"], "en");
        assert_eq!(record["status"], "written");
        assert_eq!(record["sha256"], out.sha256(&format!("out/{file}")));
    }
    assert_eq!(manifest.len(), 6);

    // Each page of the combined file, as each file, says what its row asked.
    let day = out.pdf("day.pdf");
    assert_eq!(day.info().pages(), 4);
    let pages: Vec<_> = (1..=4).map(|page| day.page_text(page)).collect();
    let ana = &pages[0];
    ana.assert_has("Prepared for Ana López · 28 weeks");
    ana.assert_has("Leg pain and leg cramps in pregnancy");
    ana.assert_has("Walk every day.");
    ana.assert_lacks("Drink plenty.");
    ana.assert_has("Take a warm bath.");
    ana.assert_lacks("• Moist heat.");
    ana.assert_lacks("Back care");
    pages[1].assert_has("Prepared for Bea Smith · 30 weeks");
    assert_back_care(&pages[1], &["bend-knees", "firm-mattress", "flat-shoes"]);
    pages[2].assert_has("Prepared for Cas Díaz · 31 weeks");
    pages[2].assert_has("Drink plenty.");
    pages[3].assert_has("Prepared for Dee Eve · 32 weeks");
    assert_back_care(&pages[3], &["bend-knees", "no-heavy-lifting", "warm-bath"]);
    for (page, (file, ..)) in pages.iter().zip(expected) {
        assert_eq!(
            out.pdf(&format!("out/{file}")).text().raw,
            page.raw,
            "{file}"
        );
    }
}

/// A bad request as `render` options and as a one-row roster's cells.
struct Bad {
    options: &'static [&'static str],
    header: &'static str,
    cells: &'static str,
}

const BAD_REQUESTS: [Bad; 8] = [
    Bad {
        options: &["--prevention", "walking,strech"],
        header: "prevention",
        cells: "walking;strech",
    },
    Bad {
        options: &["--pick", "treatment=hot-bath"],
        header: "treatment",
        cells: "hot-bath",
    },
    Bad {
        options: &["--weeks", "50"],
        header: "weeks",
        cells: "50",
    },
    Bad {
        options: &["--weeks", "28+9"],
        header: "weeks",
        cells: "28+9",
    },
    Bad {
        options: &["--due-date", "2026-02-30"],
        header: "due date",
        cells: "2026-02-30",
    },
    Bad {
        options: &["--due-date", "2026-11-01"],
        header: "due date",
        cells: "2026-11-01",
    },
    Bad {
        options: &["--topic", "back-cair"],
        header: "topic",
        cells: "back-cair",
    },
    Bad {
        options: &["--topic", "back-care", "--pick", "at-home=bend-knee"],
        header: "topic,at-home",
        cells: "back-care,bend-knee",
    },
];

#[test]
fn render_and_batch_refuse_a_bad_request_with_the_same_words() {
    for bad in BAD_REQUESTS {
        let render = with_practice(&["render", "--date", DATE, "--name", "Ana", "-o", "x.pdf"])
            .args(bad.options)
            .run()
            .code(1);
        // `error: --option: MESSAGE`
        let first = render.stderr.lines().next().unwrap_or_default();
        let (_, said) = first
            .split_once(": ")
            .and_then(|(_, rest)| rest.split_once(": "))
            .unwrap_or_else(|| panic!("{:?}: {first:?}", bad.options));
        let batch = batch_of(&bad);
        // `roster.csv, row 2, column C: MESSAGE`
        let row = batch
            .stderr
            .lines()
            .find(|line| line.starts_with("roster.csv, row 2"))
            .unwrap_or_else(|| panic!("{:?}: no row error:\n{}", bad.options, batch.stderr));
        let (_, row_said) = row.split_once(": ").expect("a located message");
        assert_eq!(said, row_said, "{:?}", bad.options);
    }
}

fn batch_of(bad: &Bad) -> Output {
    Test::new()
        .fixture_folder("content/practice", "practice")
        .file(
            "roster.csv",
            format!("name,{}\nAna,{}\n", bad.header, bad.cells),
        )
        .args(["batch", "roster.csv", "-o", "out", "--content", "practice"])
        .args(["--date", DATE])
        .run()
        .code(1)
}

#[test]
fn a_batch_topic_option_is_the_topic_of_rows_that_name_none() {
    let roster = "name,topic,at-home\nAna,,bend-knees\nBea,leg-cramps,\n";
    let out = with_practice(&["batch", "roster.csv", "-o", "out", "--topic", "back-care"])
        .file("roster.csv", roster)
        .args(["--date", DATE])
        .run()
        .success();
    let manifest = read_manifest(&out.read_text("out/manifest.csv"));
    assert_eq!(manifest[0]["topic"], "back-care");
    assert_eq!(
        manifest[0]["picks"],
        "at-home=bend-knees; at-work=flat-shoes,sit-straight"
    );
    assert_eq!(manifest[1]["topic"], "leg-cramps");

    // A topic that is not there fails the run before any row.
    let out = with_practice(&["batch", "roster.csv", "-o", "out", "--topic", "back-cair"])
        .file("roster.csv", roster)
        .args(["--date", DATE])
        .run()
        .code(2);
    assert!(
        out.stderr.starts_with(
            "error: --topic: there is no topic 'back-cair'; did you mean 'back-care'?"
        ),
        "{}",
        out.stderr
    );
    assert_eq!(out.created_files(), Vec::<String>::new());
}

#[cfg(unix)]
#[test]
fn links_out_of_the_content_folder_are_not_followed_and_no_other_file_is_quoted() {
    use std::os::unix::fs::symlink;
    let secret = "NAME=\"Clinic server\"\nPASSWORD = hunter2\n";
    let test = Test::new()
        .folder("leaflets")
        .folder("elsewhere")
        .file("elsewhere/secret.conf", secret)
        .file(
            "leaflets/back-care.en.toml",
            LEG_CRAMPS_EN.replace("leg-cramps", "back-care"),
        )
        .args(["check", "--date", DATE, "leaflets"]);
    let dir = test.dir();
    symlink(
        dir.join("elsewhere/secret.conf"),
        dir.join("leaflets/leg-cramps.en.toml"),
    )
    .unwrap();
    symlink(dir.join("elsewhere"), dir.join("leaflets/folder.en.toml")).unwrap();
    // A link to a file in the folder itself is read as that file.
    symlink("back-care.en.toml", dir.join("leaflets/back-pain.en.toml")).unwrap();
    let out = test.run().code(1);
    for name in ["leg-cramps", "folder"] {
        assert!(
            out.stdout_text().contains(&format!(
                "error: leaflets/{name}.en.toml:1:1: this is a link to a file outside the \
                 content folder, which handout does not read"
            )),
            "{}",
            out.stdout_text()
        );
    }
    assert!(!out.stdout_text().contains("hunter2") && !out.stdout_text().contains("PASSWORD"));
    // The link inside the folder was read: it says what the file it leads
    // to says.
    assert!(
        out.stdout_text()
            .contains("leaflets/back-pain.en.toml:20:1: the file is named for topic 'back-pain'"),
        "{}",
        out.stdout_text()
    );

    // A file named as a topic that is none is not quoted either, whatever
    // its errors.
    let out = Test::new()
        .file("server.en.toml", secret)
        .args(["check", "--date", DATE, "server.en.toml"])
        .run()
        .code(1);
    assert!(
        out.stdout_text()
            .contains("server.en.toml:1:1: this is not a topic file"),
        "{}",
        out.stdout_text()
    );
    assert!(!out.stdout_text().contains("hunter2") && !out.stdout_text().contains("NAME"));
}

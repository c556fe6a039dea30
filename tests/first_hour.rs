//! What a practice meets in its first hour: its own way of writing dates,
//! messages that name what the midwife sees, and starting its own leaflet
//! from an installed program.

use crate::util::{DATE, Test, read_manifest};

/// A practice file that says how the practice writes dates.
fn practice(order: &str) -> String {
    format!("name = \"Riverside\"\ndate-order = \"{order}\"\n")
}

/// `handout render` for Ana with a due date, under a practice file.
fn render_due(order: &str, due: &str) -> Test {
    Test::new()
        .file("practice.toml", practice(order))
        .args(["render", "--practice", "practice.toml", "--name", "Ana"])
        .args(["--date", DATE, "--due-date", due, "-o", "ana.pdf"])
}

#[test]
fn render_reads_dates_in_the_practices_order() {
    // 01/12/2026 is 1 December, a week after the handout's date, day
    // first, and 12 January, before it, month first.
    render_due("dmy", "01/12/2026").run().success();
    let out = render_due("mdy", "01/12/2026").run().code(1);
    assert!(
        out.stderr
            .starts_with("error: --due-date: due date 2026-01-12 has already passed"),
        "{}",
        out.stderr
    );
    assert!(!out.path("ana.pdf").exists());
    // Without a practice order, a date both orders read is refused, and the
    // message says where to say it once for all.
    let out = Test::new()
        .args(["render", "--name", "Ana", "--date", DATE])
        .args(["--due-date", "04/03/2027", "-o", "ana.pdf"])
        .run()
        .code(1);
    assert!(
        out.stderr.contains("can be read day first or month first")
            && out.stderr.contains("date-order = \"dmy\""),
        "{}",
        out.stderr
    );
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn a_uk_due_date_gives_the_weeks_of_its_day_first_reading() {
    // 4 March 2027 is 99 days after 25 November 2026: 25 weeks 6 days. Read
    // month first, 3 April, it would be 21 weeks.
    let out = render_due("dmy", "04/03/2027").run().success();
    out.pdf("ana.pdf")
        .text()
        .assert_has("Prepared for Ana · 25 weeks · 25 November 2026");
    let out = render_due("mdy", "04/03/2027").run().success();
    out.pdf("ana.pdf")
        .text()
        .assert_has("Prepared for Ana · 21 weeks · 25 November 2026");
}

#[test]
fn the_old_place_of_the_date_order_still_works_and_may_not_disagree() {
    let old = "[roster]\ndate-order = \"dmy\"\n";
    Test::new()
        .file("practice.toml", old)
        .args(["render", "--practice", "practice.toml", "--name", "Ana"])
        .args(["--date", DATE, "--due-date", "13/03/2027", "-o", "ana.pdf"])
        .run()
        .success();
    let both = "date-order = \"mdy\"\n[roster]\ndate-order = \"dmy\"\n";
    let out = Test::new()
        .file("practice.toml", both)
        .args(["render", "--practice", "practice.toml", "--name", "Ana"])
        .args(["--date", DATE, "--weeks", "28", "-o", "ana.pdf"])
        .run()
        .code(2);
    assert!(
        out.stderr.starts_with(
            "error: practice.toml:3:14: `date-order` is \"dmy\" here and \"mdy\" at the top"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn a_roster_reads_dates_in_the_practices_order() {
    // Every date could be either: the practice's order decides.
    let out = Test::batch("name,due date\nAna,04/03/2027\nBea,05/06/2027\n")
        .file("practice.toml", practice("mdy"))
        .args(["--practice", "practice.toml"])
        .run()
        .success();
    assert!(!out.stderr.contains("can be read"), "{}", out.stderr);
}

#[test]
fn all_picks_every_item_without_a_hint_and_more_by_name() {
    let out = Test::batch(
        "name,weeks,prevention,treatment\nAna,28,all,all\nBea,30,none,\"all,herbal\"\n",
    )
    .run()
    .success();
    let manifest = read_manifest(&out.read_text("out/manifest.csv"));
    // Off-by-default items with a hint (support-belt, relief-techniques,
    // therapist, partner-massage, herbal) are picked by name only.
    assert_eq!(
        manifest[0]["picks"],
        "prevention=walking,calcium-magnesium,support-hose,exercise,calf-stretches,\
         ankle-rotation,side-sleeping,fluids,massage,rest,movement-breaks; \
         treatment=moist-heat,warm-bath,pain-relief"
    );
    assert_eq!(
        manifest[1]["picks"],
        "prevention=; treatment=moist-heat,warm-bath,pain-relief,herbal"
    );
}

#[test]
fn a_mistake_in_the_request_is_said_before_the_file_that_is_there() {
    let out = Test::new()
        .file("ana.pdf", "%PDF-1.7 yesterday's")
        .args(["render", "--name", "Ana", "--pick", "prevention=walkng"])
        .args(["-o", "ana.pdf"])
        .run()
        .code(1);
    assert!(
        out.stderr
            .starts_with("error: --pick prevention: unknown prevention item 'walkng'"),
        "{}",
        out.stderr
    );
    assert_eq!(out.read("ana.pdf"), b"%PDF-1.7 yesterday's");
}

#[test]
fn a_practice_files_wrong_value_gets_no_unrelated_hint() {
    let out = Test::new()
        .file("practice.toml", "date-order = \"ymd\"\n")
        .args(["render", "--practice", "practice.toml", "--name", "Ana"])
        .args(["-o", "ana.pdf"])
        .run()
        .code(2);
    assert_eq!(
        out.stderr,
        "error: practice.toml:1:14: `date-order` must be \"dmy\" (day first, as in the UK and \
         Europe) or \"mdy\" (month first, as in the US), not \"ymd\"\n"
    );
}

#[test]
fn a_date_that_contradicts_the_order_given_says_so() {
    let out = Test::batch("name,due date\nAna,25/03/2027\n")
        .args(["--date-order", "mdy"])
        .run()
        .code(2);
    assert!(
        out.stderr.starts_with(
            "error: roster.csv: row 2's date can only be read day first (DD/MM/YYYY, as in the \
             UK and Europe), but the dates were to be read month first"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn a_new_topic_passes_its_check_and_prints_with_all() {
    let out = Test::new()
        .args(["new-topic", "back-care", "--write", "leaflets"])
        .run()
        .success();
    assert!(out.path("leaflets/topic.schema.json").is_file());
    let text = out.read_text("leaflets/back-care.en.toml");
    assert!(text.starts_with("#:schema ./topic.schema.json\n"), "{text}");
    assert!(text.contains("id = \"back-care\"\n") && text.contains("title = \"Back care\"\n"));
    assert!(text.contains("status = \"draft\""));
    // The same words on standard output.
    let printed = Test::new().args(["new-topic", "back-care"]).run().success();
    assert_eq!(printed.stdout_text(), text);

    let test = Test::new()
        .folder("leaflets")
        .file("leaflets/back-care.en.toml", &text)
        .file(
            "leaflets/topic.schema.json",
            out.read("leaflets/topic.schema.json"),
        );
    let check = test
        .clone()
        .args(["check", "--content", "leaflets"])
        .run()
        .success();
    assert!(
        check.stdout_text().contains("back-care"),
        "{}",
        check.stdout_text()
    );
    let render = test
        .clone()
        .args(["render", "--content", "leaflets", "--topic", "back-care"])
        .args(["--pick", "at-home=all", "--name", "Ana", "-o", "ana.pdf"])
        .run()
        .success();
    // A draft is said to be one.
    assert!(render.stderr.contains("is a draft"), "{}", render.stderr);
    assert!(render.path("ana.pdf").is_file());

    // A practice's own leaflet is never written over.
    let again = test
        .args(["new-topic", "back-care", "--write", "leaflets"])
        .run()
        .code(2);
    assert!(
        again
            .stderr
            .starts_with("error: `leaflets/back-care.en.toml` exists; it was left alone"),
        "{}",
        again.stderr
    );
    assert_eq!(again.read_text("leaflets/back-care.en.toml"), text);
}

#[test]
fn a_new_topic_needs_an_id_a_topic_can_have() {
    let out = Test::new()
        .args(["new-topic", "Back Care", "--write", "leaflets"])
        .run()
        .code(2);
    assert!(
        out.stderr
            .starts_with("error: cannot start `Back Care.en.toml`: topic id 'Back Care'"),
        "{}",
        out.stderr
    );
    assert!(!out.path("leaflets").exists());
}

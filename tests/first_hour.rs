//! What a practice meets in its first hour: its own way of writing dates,
//! messages that name what the midwife sees, and starting its own leaflet
//! from an installed program.

use crate::util::{DATE, Test};

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
#[ignore = "needs poppler-utils and qpdf"]
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

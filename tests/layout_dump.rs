//! `handout render --dump-layout FILE`: the layout as text beside the PDF,
//! for whoever works on the layout to diff, and kept out of the help a
//! midwife reads.

use crate::util::Test;

#[test]
fn render_writes_the_layout_it_printed_as_text() {
    let out = Test::render_ana()
        .args(["-o", "ana.pdf", "--dump-layout", "ana.layout"])
        .run()
        .success();
    let dump = String::from_utf8(out.read("ana.layout")).expect("the dump is UTF-8");
    let lines: Vec<&str> = dump.lines().collect();
    assert!(lines[0].starts_with("\"Leg pain and leg cramps in pregnancy\" (en), 1 page"));
    assert!(lines[1].starts_with("page 1: 595.28 x 841.89 pt"), "{dump}");
    // One line per item, with its page, position, face, size, role and text.
    assert!(
        lines.iter().any(|line| line.starts_with("1 text ")
            && line.contains(" Bold ")
            && line.ends_with(" title \"Leg pain and leg cramps in pregnancy\"")),
        "{dump}"
    );
    assert!(dump.contains("byline \"Prepared for Ana López\""), "{dump}");
    assert!(dump.contains(" urgent-box\n"), "{dump}");
    assert!(!out.read("ana.pdf").is_empty());
}

#[test]
fn the_dump_option_is_not_in_the_help() {
    let out = Test::new().args(["render", "--help"]).run().success();
    assert!(!out.stdout_text().contains("dump-layout"));
}

//! `handout list`: every section and item id, with the defaults marked.

use crate::items;
use crate::util::Test;

#[test]
fn lists_every_section_and_item() {
    let out = Test::new().arg("list").run().success();
    let stdout = out.stdout_text();
    assert!(
        stdout.starts_with("Leg pain and leg cramps in pregnancy"),
        "{stdout}"
    );
    for heading in [
        "Why it happens",
        "To prevent it",
        "When a cramp or pain starts",
        "When to call",
    ] {
        assert!(
            stdout.lines().any(|line| line.starts_with(heading)),
            "no section {heading:?}:\n{stdout}"
        );
    }
    assert_eq!(out.created_files(), Vec::<String>::new());
}

#[test]
fn marks_exactly_the_default_items() {
    let out = Test::new().arg("list").run().success();
    let stdout = out.stdout_text();
    for item in items::all() {
        // `  * walking            Walk every day`
        let line = stdout
            .lines()
            .find(|line| {
                let words = line.trim_start().trim_start_matches('*');
                words.split_whitespace().next() == Some(item.id)
            })
            .unwrap_or_else(|| panic!("no line for {:?}:\n{stdout}", item.id));
        let marked = line.trim_start().starts_with('*');
        assert_eq!(
            marked, item.default,
            "{:?} should be marked {}: {line:?}",
            item.id, item.default
        );
        let lead = item.lead.trim_end_matches('.');
        assert!(
            line.ends_with(lead),
            "{:?} should show its lead {lead:?}: {line:?}",
            item.id
        );
    }
}

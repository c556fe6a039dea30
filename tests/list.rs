//! `handout list`: every section and item id, with the defaults marked.

use handout_content::Topic;

use crate::items::{self, PREVENTION, TREATMENT};
use crate::util::Test;

/// An item as listed: its id, whether it is marked as a default, its lead.
type Listed = (String, bool, String);

/// The listing's sections, each with its heading line and its items: item
/// lines are indented four, a `*` in the third place marking a default;
/// hints are indented further.
fn sections(listing: &str) -> Vec<(String, Vec<Listed>)> {
    let mut sections: Vec<(String, Vec<Listed>)> = Vec::new();
    for line in listing.lines().skip(1) {
        if line.is_empty() || line.starts_with("Also in") || line.starts_with("`all`") {
            continue;
        }
        if !line.starts_with(' ') {
            sections.push((line.to_string(), Vec::new()));
            continue;
        }
        let (mark, rest) = line.split_at(4.min(line.len()));
        if rest.starts_with(' ') {
            continue; // a hint under an item
        }
        let (id, lead) = rest.split_once(' ').expect("an id, then its lead");
        let items = &mut sections.last_mut().expect("items come under a heading").1;
        items.push((id.to_string(), mark == "  * ", lead.trim().to_string()));
    }
    sections
}

#[test]
fn lists_every_section_and_item() {
    let out = Test::new().arg("list").run().success();
    let stdout = out.stdout_text();
    let topic = Topic::builtin().remove(0);
    assert!(
        stdout.starts_with(&format!("{} (leg-cramps, en; built-in)\n", topic.title)),
        "{stdout}"
    );
    let listed = sections(stdout);
    // Every section, in the topic's order, and every item of each, in
    // order, cautions too, with its lead as printed.
    assert_eq!(listed.len(), topic.sections.len(), "{stdout}");
    for ((heading, items), section) in listed.iter().zip(&topic.sections) {
        assert!(
            heading.starts_with(&format!("{} (", section.heading)),
            "{heading}"
        );
        let ids: Vec<&str> = items.iter().map(|(id, _, _)| id.as_str()).collect();
        // A caution is never picked, so it shows no id to pick it by.
        let expected: Vec<&str> = section
            .items
            .iter()
            .map(|item| {
                if item.is_caution() {
                    "(caution)"
                } else {
                    item.id.as_str()
                }
            })
            .collect();
        assert_eq!(ids, expected, "{heading}");
        for ((_, _, lead), item) in items.iter().zip(&section.items) {
            let printed = topic
                .worded(&item.lead, 0)
                .replace("{emergency}", "your local emergency number");
            assert_eq!(lead, printed.trim_end_matches(['.', ':']), "{}", item.id);
        }
    }
    assert_eq!(out.created_files(), Vec::<String>::new());
}

#[test]
fn marks_exactly_the_default_items() {
    let out = Test::new().arg("list").run().success();
    let stdout = out.stdout_text();
    let marked: Vec<String> = sections(stdout)
        .into_iter()
        .flat_map(|(_, items)| items)
        .filter(|(_, default, _)| *default)
        .map(|(id, _, _)| id)
        .collect();
    // The defaults of the sections to choose from, and nothing else: not
    // the info and urgent items, which always print, nor the caution.
    let expected: Vec<&str> = items::defaults(PREVENTION)
        .into_iter()
        .chain(items::defaults(TREATMENT))
        .collect();
    assert_eq!(marked, expected, "{stdout}");
    // The items of tests/items.rs are the topic's, in its order: the table
    // the other tests use is honest.
    for item in items::all() {
        let (_, default, lead) = sections(stdout)
            .into_iter()
            .flat_map(|(_, items)| items)
            .find(|(id, _, _)| id == item.id)
            .unwrap_or_else(|| panic!("no line for {:?}:\n{stdout}", item.id));
        assert_eq!(default, item.default, "{}", item.id);
        assert_eq!(lead, item.lead.trim_end_matches('.'), "{}", item.id);
    }
}

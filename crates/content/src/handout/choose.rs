//! Which items a pick prints: by id, by an old id now an alias, or by the
//! lead a spreadsheet holds where the id belongs; and the sections a
//! request may pick from.

use super::Choice;
use crate::error::InputError;
use crate::suggest::nearest;
use crate::text::excerpt;
use crate::topic::{Item, Section, SectionRole, Topic};

/// The item id `id` names in the topic: itself, or the item it is an
/// alias of.
pub(super) fn topic_id<'t>(topic: &'t Topic, id: &'t str) -> &'t str {
    topic.item(id).map_or(id, |(_, item)| item.id.as_str())
}

/// Refuses a pick for a section the topic does not have, or does not let
/// the midwife choose from.
pub(crate) fn check_pick_section(topic: &Topic, key: &str) -> Result<(), InputError> {
    // The keys it may pick from, which only an error names.
    let choose = || -> Vec<String> {
        topic
            .choose_sections()
            .map(|section| section.key.clone())
            .collect()
    };
    match topic.section(key) {
        Some(section) if section.role == SectionRole::Choose => Ok(()),
        Some(section) => Err(InputError::NotChoose {
            topic: topic.id.clone(),
            key: key.to_string(),
            role: section.role.key(),
            choose: choose(),
        }),
        None => {
            let choose = choose();
            Err(InputError::UnknownSection {
                topic: topic.id.clone(),
                suggestion: nearest(key, &choose).map(str::to_string),
                key: excerpt(key),
                choose,
            })
        }
    }
}

/// The id that picks every item of a section but those with a midwife
/// hint: `--pick treatment=all`.
pub const ALL: &str = "all";

/// The picked items of a `choose` section: each with the index of the
/// section it prints in (its own, unless an alias moved it).
pub(super) fn choose<'t>(
    topic: &'t Topic,
    section: &'t Section,
    choice: &Choice,
) -> Result<Vec<(usize, &'t Item)>, InputError> {
    let home = |key: &str| {
        topic
            .sections
            .iter()
            .position(|s| s.key == key)
            .expect("the section is the topic's")
    };
    let ids = match choice {
        Choice::Defaults => {
            return Ok(section
                .defaults()
                .map(|item| (home(&section.key), item))
                .collect());
        }
        Choice::Nothing => return Ok(Vec::new()),
        Choice::Items(ids) => ids,
    };
    let mut chosen = Vec::with_capacity(ids.len());
    for id in ids {
        // "all": every item she may give anyone, that is, every item with
        // no hint on whom it is for. Those are still picked by name.
        if id == ALL {
            for item in section
                .pickable()
                .filter(|item| item.midwife_hint.is_none())
            {
                if !chosen
                    .iter()
                    .any(|(_, known): &(usize, &Item)| std::ptr::eq(*known, item))
                {
                    chosen.push((home(&section.key), item));
                }
            }
            continue;
        }
        // A spreadsheet may hold the printed lead ("Walk every day") where
        // the id belongs; an old id may now be an alias elsewhere.
        let found = section
            .pickable()
            .find(|item| item.id == *id || item.aliases.contains(id))
            .map(|item| (section, item))
            .or_else(|| {
                section
                    .pickable()
                    .find(|item| printed_as(topic, item, id))
                    .map(|item| (section, item))
            })
            .or_else(|| {
                topic
                    .item(id)
                    .filter(|(s, item)| s.role == SectionRole::Choose && item.aliases.contains(id))
            });
        match found {
            Some((_, item)) if chosen.iter().any(|(_, known)| std::ptr::eq(*known, item)) => {}
            Some((owner, item)) => chosen.push((home(&owner.key), item)),
            None => {
                let valid: Vec<String> = section.pickable().map(|item| item.id.clone()).collect();
                return Err(InputError::UnknownItem {
                    section: section.key.clone(),
                    id: excerpt(id),
                    suggestion: nearest(id, &valid).map(str::to_string),
                    valid,
                });
            }
        }
    }
    Ok(chosen)
}

/// Whether a spreadsheet's cell names `item` by its words: its lead in any
/// of the topic's wordings ("Paracetamol", "Acetaminophen"), or its id or
/// an alias written as words ("Warm bath", "Stay active"), as a roster
/// made from an earlier version of the leaflet's leads has it.
fn printed_as(topic: &Topic, item: &Item, cell: &str) -> bool {
    (0..=topic.wordings.len()).any(|wording| same_words(&topic.worded(&item.lead, wording), cell))
        || std::iter::once(&item.id)
            .chain(&item.aliases)
            .any(|id| same_words(&id.replace('-', " "), cell))
}

/// Whether a lead and a cell say the same words, whatever the case, the
/// spacing and the final full stop or colon.
fn same_words(lead: &str, cell: &str) -> bool {
    let words = |text: &str| -> Vec<String> {
        text.trim()
            .trim_end_matches(['.', ':'])
            .split_whitespace()
            .map(str::to_lowercase)
            .collect()
    };
    let cell = words(cell);
    !cell.is_empty() && words(lead) == cell
}

#[cfg(test)]
mod tests {
    use super::super::tests::{resolve, topic};
    use super::*;
    use crate::patient::Patient;
    use crate::picks::Picks;

    #[test]
    fn unknown_ids_suggest_the_nearest() {
        let picks = Picks::new().with("prevention", Choice::parse("strech"));
        let error = resolve(&Patient::default(), &picks).unwrap_err();
        assert!(
            error.to_string().starts_with(
                "unknown prevention item 'strech'; did you mean 'calf-stretches'? (valid ids: walking, "
            ),
            "{error}"
        );
        let picks = Picks::new().with("treatment", Choice::parse("hot-bath"));
        let error = resolve(&Patient::default(), &picks).unwrap_err();
        assert!(
            error.to_string().contains("did you mean 'warm-bath'?"),
            "{error}"
        );
        let picks = Picks::new().with("treatment", Choice::parse("xylophone"));
        let error = resolve(&Patient::default(), &picks).unwrap_err();
        assert!(!error.to_string().contains("did you mean"), "{error}");
    }

    #[test]
    fn a_printed_lead_chooses_its_item() {
        let picks = Picks::new()
            .with(
                "prevention",
                Choice::parse("Walk every day; calf-stretches"),
            )
            .with("treatment", Choice::parse("WARM BATH"));
        let handout = resolve(&Patient::default(), &picks).unwrap();
        assert_eq!(
            handout.printed_ids("prevention"),
            ["walking", "calf-stretches"]
        );
        assert_eq!(handout.printed_ids("treatment"), ["warm-bath"]);
    }

    #[test]
    fn a_caution_prints_once_after_the_first_item_it_goes_with() {
        let all = |key: &str| {
            let topic = topic();
            let ids: Vec<String> = topic
                .section(key)
                .unwrap()
                .pickable()
                .map(|item| item.id.clone())
                .collect();
            Choice::Items(ids)
        };
        let picks = Picks::new()
            .with("prevention", all("prevention"))
            .with("treatment", all("treatment"));
        let handout = resolve(&Patient::default(), &picks).unwrap();
        let printed: Vec<(&str, &str)> = handout
            .sections
            .iter()
            .flat_map(|section| section.items.iter().map(move |item| (section.key, item.id)))
            .collect();
        let cautions: Vec<_> = printed
            .iter()
            .filter(|(_, id)| *id == "massage-caution")
            .collect();
        assert_eq!(cautions.len(), 1, "{printed:?}");
        let at = printed
            .iter()
            .position(|(_, id)| *id == "massage-caution")
            .unwrap();
        assert_eq!(printed[at - 1], ("prevention", "massage"));
        // Without massage, after the therapist, in the other section.
        let picks = Picks::new()
            .with("prevention", Choice::parse("walking"))
            .with("treatment", Choice::parse("therapist, herbal"));
        let handout = resolve(&Patient::default(), &picks).unwrap();
        let treatment = &handout.sections[2];
        let ids: Vec<&str> = treatment.items.iter().map(|item| item.id).collect();
        assert_eq!(ids, ["therapist", "massage-caution", "herbal"]);
        assert!(treatment.items[1].caution);
        assert_eq!(handout.printed_ids("treatment"), ["therapist", "herbal"]);
        // No massage item, no caution.
        let picks = Picks::new().with("prevention", Choice::parse("walking"));
        let handout = resolve(&Patient::default(), &picks).unwrap();
        assert!(
            handout
                .sections
                .iter()
                .flat_map(|s| &s.items)
                .all(|item| !item.caution)
        );
    }

    #[test]
    fn an_old_id_picks_its_item_where_it_moved() {
        let picks = Picks::new()
            .with("prevention", Choice::parse("walking"))
            .with("treatment", Choice::parse("support-device"));
        let handout = resolve(&Patient::default(), &picks).unwrap();
        assert_eq!(
            handout.printed_ids("prevention"),
            ["walking", "support-belt"]
        );
        assert_eq!(
            handout.picks_record(),
            "prevention=walking,support-belt; treatment="
        );
    }
}

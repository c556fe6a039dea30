//! What the midwife picks from each section she chooses from: as lists of
//! item ids, never as text to split again later.
//!
//! Each front end turns what it was given into a [`Choice`] once: the
//! command line's `--pick prevention=walking,fluids` and a roster cell with
//! [`Choice::parse`], a TOML roster's array and the web form's ticked boxes
//! with [`Choice::from_ids`].

/// Which items of a `choose` section to print.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Choice {
    /// The topic's default items.
    #[default]
    Defaults,
    /// No item at all: the section is left off the handout.
    Nothing,
    /// These items, by id or printed lead, in the topic's order when
    /// printed; never empty.
    Items(Vec<String>),
}

impl Choice {
    /// Reads a list as people type it: ids separated by commas or
    /// semicolons ("walking, calf-stretches", "walking;fluids"). An empty
    /// list means the defaults; "none" means no items.
    pub fn parse(list: &str) -> Choice {
        Choice::from_ids(list.split([',', ';']))
    }

    /// The choice of these ids, as a form or an array gives them: trimmed
    /// and in lower case, empty ones dropped. No ids means the defaults;
    /// the one id "none" means no items.
    pub fn from_ids<S: AsRef<str>>(ids: impl IntoIterator<Item = S>) -> Choice {
        let ids: Vec<String> = ids
            .into_iter()
            .map(|id| id.as_ref().trim().to_lowercase())
            .filter(|id| !id.is_empty())
            .collect();
        match ids.as_slice() {
            [] => Choice::Defaults,
            [only] if only == "none" => Choice::Nothing,
            _ => Choice::Items(ids),
        }
    }
}

/// One section's choice, as a request gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pick {
    /// The `choose` section's key, as given (case aside).
    pub section: String,
    /// What to print from it.
    pub choice: Choice,
}

impl Pick {
    /// The pick of `choice` from the section `section`.
    pub fn new(section: impl Into<String>, choice: Choice) -> Pick {
        Pick {
            section: section.into(),
            choice,
        }
    }
}

/// The midwife's picks for one patient, checked: a choice for each
/// `choose` section she named, by its key; the others print their defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Picks {
    choices: Vec<(String, Choice)>,
}

impl Picks {
    /// No picks: every section prints its defaults.
    pub fn new() -> Picks {
        Picks::default()
    }

    /// Sets the choice for the section with this key, replacing any before.
    pub fn set(&mut self, key: impl Into<String>, choice: Choice) {
        let key = key.into();
        match self.choices.iter_mut().find(|(known, _)| *known == key) {
            Some((_, existing)) => *existing = choice,
            None => self.choices.push((key, choice)),
        }
    }

    /// The picks with this one added.
    pub fn with(mut self, key: impl Into<String>, choice: Choice) -> Picks {
        self.set(key, choice);
        self
    }

    /// The choice for a section; the defaults when none was given.
    pub fn get(&self, key: &str) -> &Choice {
        const DEFAULTS: Choice = Choice::Defaults;
        self.choices
            .iter()
            .find(|(known, _)| known == key)
            .map_or(&DEFAULTS, |(_, choice)| choice)
    }

    /// The sections named, with their choices, in the order given.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Choice)> {
        self.choices
            .iter()
            .map(|(key, choice)| (key.as_str(), choice))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_lists_become_choices() {
        assert_eq!(Choice::parse(""), Choice::Defaults);
        assert_eq!(Choice::parse(" , "), Choice::Defaults);
        assert_eq!(Choice::parse("none"), Choice::Nothing);
        assert_eq!(Choice::parse(" NONE "), Choice::Nothing);
        assert_eq!(
            Choice::parse("walking; Fluids,rest"),
            Choice::Items(vec!["walking".into(), "fluids".into(), "rest".into()])
        );
        // "none" among ids is an id like any other, which the topic refuses.
        assert_eq!(
            Choice::parse("none,walking"),
            Choice::Items(vec!["none".into(), "walking".into()])
        );
    }

    #[test]
    fn listed_ids_become_choices() {
        assert_eq!(
            Choice::from_ids([" walking ", ""]),
            Choice::Items(vec!["walking".into()])
        );
        assert_eq!(Choice::from_ids(Vec::<String>::new()), Choice::Defaults);
        assert_eq!(Choice::from_ids(["none"]), Choice::Nothing);
    }

    #[test]
    fn a_section_has_one_choice_the_last_given() {
        let picks = Picks::new()
            .with("prevention", Choice::Nothing)
            .with("prevention", Choice::parse("walking"));
        assert_eq!(picks.get("prevention"), &Choice::parse("walking"));
        assert_eq!(picks.get("treatment"), &Choice::Defaults);
        assert_eq!(picks.iter().count(), 1);
    }
}

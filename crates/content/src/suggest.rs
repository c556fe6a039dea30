//! "Did you mean …?": the one place a mistyped id, key or header is matched
//! with what it was probably meant to be.
//!
//! Two kinds of closeness, for two jobs:
//! - [`nearest`] finds the known name most like what was typed, to suggest
//!   it in an error that has already happened (an unknown item id, topic,
//!   section or source). People type part of an id ("strech" for
//!   "calf-stretches"), so words are compared as well as whole names.
//! - [`typo_of`] decides whether a roster header *is* a typo of a known
//!   name, which makes it an error rather than a column to ignore. That
//!   must be strict (one or two letters off), or every `Age` and `DOB` of a
//!   records system would be taken for a typo.

use strsim::{jaro_winkler, osa_distance};

/// How alike two names must be, by Jaro-Winkler, to suggest one for the other.
const SIMILAR: f64 = 0.8;

/// The name of `known` closest to `given`, if one is close enough to be
/// what was meant. Compared without case, and word by word (words of four
/// letters or more, split at `-`) as well as whole.
pub fn nearest<'k, S: AsRef<str>>(given: &str, known: &'k [S]) -> Option<&'k str> {
    let given = given.to_lowercase();
    known
        .iter()
        .map(AsRef::as_ref)
        .map(|name| {
            let words = given
                .split('-')
                .filter(|word| word.chars().count() >= 4)
                .flat_map(|part| name.split('-').map(move |word| jaro_winkler(part, word)));
            (words.fold(jaro_winkler(&given, name), f64::max), name)
        })
        .filter(|(score, _)| *score >= SIMILAR)
        // The first of equals wins, so that the answer follows the order given.
        .fold(None, |best: Option<(f64, &str)>, candidate| match best {
            Some(best) if best.0 >= candidate.0 => Some(best),
            _ => Some(candidate),
        })
        .map(|(_, name)| name)
}

/// "; did you mean 'x'?", or nothing: how every message offers a suggestion.
pub fn did_you_mean(suggestion: Option<&str>) -> String {
    suggestion
        .map(|name| format!("; did you mean '{name}'?"))
        .unwrap_or_default()
}

/// The name in `known` that `given` is a typo of: one edit off a name of
/// four or five letters, two off a longer one, none for shorter ones. Each
/// known name comes with what to call it in a message. Both sides are
/// compared as given, so normalise them first.
pub fn typo_of<'k>(
    given: &str,
    known: impl IntoIterator<Item = (&'k str, String)>,
) -> Option<&'k str> {
    let length = given.chars().count();
    known
        .into_iter()
        .filter_map(|(shown, name)| {
            let name_length = name.chars().count();
            let allowed = match name_length {
                0..=3 => 0,
                4 | 5 => 1,
                _ => 2,
            };
            // Lengths further apart than the edits allowed cannot be a typo:
            // no need to measure.
            if allowed == 0 || length.abs_diff(name_length) > allowed {
                return None;
            }
            let distance = osa_distance(given, &name);
            (distance > 0 && distance <= allowed).then_some((distance, shown))
        })
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, shown)| shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    const IDS: [&str; 4] = ["walking", "calf-stretches", "warm-bath", "fluids"];

    #[test]
    fn a_part_of_an_id_finds_it() {
        assert_eq!(nearest("strech", &IDS), Some("calf-stretches"));
        assert_eq!(nearest("hot-bath", &IDS), Some("warm-bath"));
        assert_eq!(nearest("WALKNG", &IDS), Some("walking"));
        assert_eq!(nearest("xylophone", &IDS), None);
        assert_eq!(nearest("walking", &[] as &[&str]), None);
    }

    #[test]
    fn a_suggestion_is_offered_in_one_form_or_not_at_all() {
        assert_eq!(
            did_you_mean(Some("warm-bath")),
            "; did you mean 'warm-bath'?"
        );
        assert_eq!(did_you_mean(None), "");
    }

    #[test]
    fn a_typo_is_one_or_two_letters_off_and_never_a_short_name() {
        let known = || {
            [("prevention", "prevention"), ("id", "id"), ("name", "name")]
                .map(|(shown, name)| (shown, name.to_string()))
        };
        assert_eq!(typo_of("preventon", known()), Some("prevention"));
        assert_eq!(typo_of("prevnetion", known()), Some("prevention"));
        assert_eq!(typo_of("nmae", known()), Some("name"));
        // Exact is no typo, and short names must be exact.
        assert_eq!(typo_of("prevention", known()), None);
        assert_eq!(typo_of("ia", known()), None);
        assert_eq!(typo_of("appointment", known()), None);
    }
}

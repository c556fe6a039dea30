//! How often pairs of letters stand together in names, language by
//! language: what a code-page guess weighs a reading by.
//!
//! The counts are in `letters.txt`, written by `make_letters.py` from the
//! names, places and words of Faker's locales. Only pairs with a letter
//! beyond ASCII are kept, as only those can tell code pages apart; each
//! language keeps its total of pairs, so that a pair's share is known.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The counts, as `make_letters.py` writes them.
const LETTERS: &str = include_str!("letters.txt");

/// Smoothing for a pair the names never hold: it counts as this many
/// times, among this many possible pairs. Small, so that an unseen pair
/// weighs as heavily against a reading as a rare one for it.
const UNSEEN: f64 = 0.05;
const PAIRS: f64 = 2000.0;
/// The pairs of the largest language's names (Italian's), which a witness
/// page's unseen pair is taken against.
const UNSEEN_TOTAL: f64 = 163_486.0;

/// One language's pairs.
#[derive(Debug, Default)]
pub(super) struct Language {
    /// Every pair its words hold, ASCII or not.
    total: u32,
    /// The pairs with a letter beyond ASCII; `^` and `$` are a word's ends.
    pairs: HashMap<(char, char), u32>,
}

impl Language {
    /// The natural log of the share of the language's pairs that `pair` is.
    pub(super) fn log_share(&self, pair: (char, char)) -> f64 {
        let count = self.pairs.get(&pair).copied().unwrap_or(0);
        ((f64::from(count) + UNSEEN) / (f64::from(self.total) + UNSEEN * PAIRS)).ln()
    }

    /// Like [`Language::log_share`], for a witness page's languages: a pair
    /// their few names never hold costs as much as in the largest
    /// language, so that a Western name read in a Baltic page (`Garcķa`)
    /// never looks likely for want of counts.
    pub(super) fn witness_log_share(&self, pair: (char, char)) -> f64 {
        match self.pairs.get(&pair).copied().unwrap_or(0) {
            0 => (UNSEEN / (UNSEEN_TOTAL + UNSEEN * PAIRS)).ln(),
            _ => self.log_share(pair),
        }
    }
}

/// The language of code `code` (`cs`, `tr`); every code the guess asks
/// for is in the file, which a test checks.
pub(super) fn language(code: &str) -> &'static Language {
    static LANGUAGES: OnceLock<HashMap<&'static str, Language>> = OnceLock::new();
    static NONE: OnceLock<Language> = OnceLock::new();
    LANGUAGES
        .get_or_init(|| parse(LETTERS))
        .get(code)
        .unwrap_or_else(|| NONE.get_or_init(Language::default))
}

fn parse(text: &'static str) -> HashMap<&'static str, Language> {
    let mut languages = HashMap::new();
    let mut current: Option<(&str, Language)> = None;
    for line in text.lines().filter(|line| !line.starts_with('#')) {
        let Some((key, count)) = line.rsplit_once(' ') else {
            continue;
        };
        let Ok(count) = count.parse::<u32>() else {
            continue;
        };
        if let Some(code) = key.strip_prefix('[').and_then(|key| key.strip_suffix(']')) {
            languages.extend(current.take());
            current = Some((
                code,
                Language {
                    total: count,
                    pairs: HashMap::new(),
                },
            ));
        } else if let Some((_, language)) = &mut current {
            let mut chars = key.chars();
            if let (Some(first), Some(second), None) = (chars.next(), chars.next(), chars.next()) {
                language.pairs.insert((first, second), count);
            }
        }
    }
    languages.extend(current);
    languages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_holds_each_language_whole() {
        let languages = parse(LETTERS);
        assert_eq!(languages.len(), 29);
        let czech = &languages["cs"];
        assert!(czech.total > 10_000);
        // "ř" before "í", as in Jiří, is common in Czech and unheard of in Danish.
        assert!(czech.log_share(('ř', 'í')) > languages["da"].log_share(('ř', 'í')) + 5.0);
        assert!(language("xx").log_share(('a', 'ø')) < -7.0);
    }
}

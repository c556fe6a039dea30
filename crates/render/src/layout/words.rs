//! What a typesetter knows about words at a line's end: which are short
//! words that belong with the next, which are numbers that belong with
//! their unit, and which short phrases belong on one line.
//!
//! The line breaker weighs its breaks with these, and the tests' defect
//! counter finds the same breaks on a laid-out page, so both judge a break
//! by one rule.

/// The short function words that belong with the word after them, in the
/// languages the built-in topics use (English, Spanish): articles,
/// prepositions, conjunctions and "it". A short word that carries meaning
/// of its own ("can", "you", "run") may end a line.
const FUNCTION_WORDS: &[&str] = &[
    // English.
    "a", "an", "the", "of", "or", "and", "nor", "but", "to", "in", "on", "at", "by", "as", "if",
    "for", "it", "its", "so", "no", "not", // Spanish.
    "al", "de", "del", "el", "la", "las", "lo", "los", "y", "o", "u", "e", "en", "un", "por",
    "con", "sin", "su", "sus", "que", "se", "le", "les", "mi", "tu", "ni", "si",
];

/// The words that hold a short phrase together: "short of breath", "calf
/// or thigh", "sangre o heces".
const BINDING_WORDS: &[&str] = &["of", "or", "and", "nor", "de", "y", "o", "u", "e"];

/// The most characters of a short phrase kept on one line, spaces
/// included: "short of breath", "calf or thigh", "red or darker".
const PHRASE_CHARS: usize = 15;

/// Whether `word` is a short function word ("It", "or", "of", "if", "a",
/// "to", "the", "de", "la") with nothing after it, which should not end a
/// line. A word that ends a clause, such as "on." or "too,", may.
pub(crate) fn is_short_word(word: &str) -> bool {
    is_in(FUNCTION_WORDS, word) && word.chars().all(char::is_alphabetic)
}

/// Whether `word` is in `list`, whatever its case. Every listed word is
/// three letters at most, so most words are ruled out by their length in
/// bytes before a letter is compared: this runs at every break of every
/// paragraph.
fn is_in(list: &[&str], word: &str) -> bool {
    word.len() <= 3 * 4
        && word.chars().count() <= 3
        && list.iter().any(|listed| listed.eq_ignore_ascii_case(word))
}

/// Whether `word` starts with a digit: a number, which goes on the line of
/// the word after it ("6 months", "1 in 2", "999 now").
pub(crate) fn starts_number(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_digit())
}

/// Whether `before`, `middle` and `after` make a short phrase held together
/// by its middle word, such as "short of breath" or "calf or thigh", that a
/// line should not break before `middle`: `before` ends no clause, `middle`
/// is a lower-case "of", "or", "and" or the like, and the three are short
/// together.
pub(crate) fn is_phrase(before: &str, middle: &str, after: &str) -> bool {
    let after = after.trim_end_matches(|c: char| !c.is_alphanumeric());
    is_in(BINDING_WORDS, middle)
        && before.ends_with(char::is_alphabetic)
        && middle.starts_with(char::is_lowercase)
        && !after.is_empty()
        && after.chars().all(char::is_alphabetic)
        && !is_in(FUNCTION_WORDS, after)
        && before.chars().count() + middle.chars().count() + after.chars().count() + 2
            <= PHRASE_CHARS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_words_are_short_bare_words() {
        for word in ["It", "or", "of", "a", "if", "to", "the", "de", "la", "y"] {
            assert!(is_short_word(word), "{word}");
        }
        for word in ["on.", "too,", "1", "A&E", "Call", "", "your", "can", "you"] {
            assert!(!is_short_word(word), "{word}");
        }
    }

    #[test]
    fn phrases_are_short_and_held_by_a_short_word() {
        assert!(is_phrase("short", "of", "breath"));
        assert!(is_phrase("calf", "or", "thigh;"));
        assert!(is_phrase("red", "or", "darker"));
        assert!(!is_phrase("swollen,", "or", "red"));
        assert!(!is_phrase("muscles,", "or", "have"));
        assert!(!is_phrase("pain", "Or", "go"));
        assert!(!is_phrase("fluids", "can", "add"));
        assert!(!is_phrase("pain", "or", "a"));
    }
}

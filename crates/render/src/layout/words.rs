//! What a typesetter knows about words at a line's end: which are short
//! words that belong with the next, which are numbers that belong with
//! their unit, and which short phrases belong on one line.
//!
//! The line breaker weighs its breaks with these, and the tests' defect
//! counter finds the same breaks on a laid-out page, so both judge a break
//! by one rule.

/// The most letters of a word that is too short to end a line: "It", "or",
/// "of", "if", "a", "to", "the", "de", "la".
const SHORT_WORD_LETTERS: usize = 3;

/// The most characters of a short phrase kept on one line, spaces
/// included: "short of breath", "calf or thigh", "red or darker".
const PHRASE_CHARS: usize = 15;

/// Whether `word` is a short word that should not end a line: three letters
/// at most, all letters, nothing after it (a word that ends a clause, such
/// as "on." or "too,", may end a line).
pub(crate) fn is_short_word(word: &str) -> bool {
    !word.is_empty()
        && word.chars().all(char::is_alphabetic)
        && word.chars().count() <= SHORT_WORD_LETTERS
}

/// Whether `word` starts with a digit: a number, which goes on the line of
/// the word after it ("6 months", "1 in 2", "999 now").
pub(crate) fn starts_number(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_digit())
}

/// Whether `before`, `middle` and `after` make a short phrase held together
/// by its short middle word, such as "short of breath" or "calf or thigh",
/// that a line should not break before `middle`: `before` ends no clause,
/// `middle` is a short lower-case word, and the three are short together.
pub(crate) fn is_phrase(before: &str, middle: &str, after: &str) -> bool {
    let after = after.trim_end_matches(|c: char| !c.is_alphanumeric());
    before.ends_with(char::is_alphabetic)
        && is_short_word(middle)
        && middle.starts_with(char::is_lowercase)
        && !after.is_empty()
        && after.chars().all(char::is_alphabetic)
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
        for word in ["on.", "too,", "1", "A&E", "Call", "", "your"] {
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
    }
}

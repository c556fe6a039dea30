//! How hard a topic's printed words are to read: the SMOG grade, the
//! health-literacy standard, and the Flesch-Kincaid grade, over every
//! sentence a leaflet can print, and the [`ReadingAge`] a grade stands for.
//!
//! Only what a patient reads as sentences is measured: the intro and each
//! item's text, the urgent box's items too; never the title, a section's
//! heading, nor an item's lead that stands on its own (see [`passages`]).
//!
//! Words, sentences and syllables are counted as Python's `textstat` (0.7)
//! counts them, so that a practice can compare the figures with the tools
//! it may know: punctuation is dropped before words are split on white
//! space; a sentence runs to a `.`, `!` or `?`, and one of two words or
//! fewer ("Exercise often.") is not counted as one, though its words are;
//! a word's syllables are its hyphenation points plus one, found with
//! Liang's US English patterns (those of TeX, which `pyphen` also uses),
//! with at least two letters kept on each side of a break.
//!
//! SMOG is normed on samples of about 30 sentences, so it is given for a
//! whole file. Per item, [`Hint`]s list the long words (three syllables or
//! more) and the sentences over [`LONG_SENTENCE_WORDS`] words.

use std::sync::OnceLock;

use hyphenation::{Hyphenator, Language, Load, Standard};

use crate::topic::Topic;

/// A sentence with more words than this is long.
pub const LONG_SENTENCE_WORDS: usize = 20;

/// A word with this many syllables or more is long: SMOG's "polysyllable".
pub const LONG_WORD_SYLLABLES: usize = 3;

/// One piece of printed text: the introduction, or an item's text (with
/// its lead when the lead begins the text's first sentence).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    /// The item it is, by id; `None` for the introduction.
    pub item: Option<String>,
    /// The words as printed.
    pub text: String,
}

/// The passages a topic can print, in print order: its introduction, then
/// every item of every section (the urgent box's too), whether or not it
/// is a default, with `{emergency}` read as the words printed when a
/// practice gives no number. The title and the headings are labels, not
/// sentences, and are left out.
///
/// So is a lead that ends as a sentence does ("Rest.", "Calcium and
/// magnesium."): printed in bold before its text, it is a label for the
/// item as a heading is for a section, and the text after it says the
/// same in full. Counted as a sentence, such labels would make a file look
/// easier than its sentences are (many short ones) or put a label among
/// its hardest sentences. A lead that runs on into its text ("Never massage
/// a leg" then "that is swollen, red, warm or sore in one spot.", or "Signs
/// of a clot in one leg:" then a list) is the start of the text's first
/// sentence, and is read with it.
///
/// Terms are read in the plain wording; [`passages_in`] reads another.
pub fn passages(topic: &Topic) -> Vec<Passage> {
    passages_in(topic, 0)
}

/// The passages as [`passages`] gives them, with the terms of wording
/// `wording` (see [`Topic::wording`]).
pub fn passages_in(topic: &Topic, wording: usize) -> Vec<Passage> {
    let emergency = &topic.labels.emergency_fallback;
    let mut passages = vec![Passage {
        item: None,
        text: sentence(&topic.intro),
    }];
    for item in topic.sections.iter().flat_map(|section| &section.items) {
        let text = if is_label(&item.lead) {
            topic.worded(&item.text, wording).into_owned()
        } else {
            let lead = topic.worded(item.lead.trim(), wording);
            format!("{lead} {}", topic.worded(&item.text, wording))
        };
        passages.push(Passage {
            item: Some(item.id.clone()),
            text: sentence(&text.replace("{emergency}", emergency)),
        });
    }
    passages
}

/// Whether an item's lead stands on its own, as a label: it ends as a
/// sentence does.
fn is_label(lead: &str) -> bool {
    lead.trim_end().ends_with(['.', '!', '?'])
}

/// The text, ending as a sentence does: an item whose text has no full
/// stop still ends where the next begins.
fn sentence(text: &str) -> String {
    let text = text.trim();
    if text.ends_with(['.', '!', '?']) {
        text.to_string()
    } else {
        format!("{text}.")
    }
}

/// Whether grades are measured for texts in this language.
pub fn is_measured(language: &str) -> bool {
    let primary = language.split(['-', '_']).next().unwrap_or(language);
    primary.eq_ignore_ascii_case("en")
}

/// The counts and grades of a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Grades {
    /// Sentences, as counted for the grades.
    pub sentences: usize,
    /// Words.
    pub words: usize,
    /// Syllables.
    pub syllables: usize,
    /// Words of three syllables or more.
    pub long_words: usize,
    /// The SMOG grade: 1.043 × √(30 × long words / sentences) + 3.1291.
    pub smog: f64,
    /// The Flesch-Kincaid grade: 0.39 × words per sentence + 11.8 ×
    /// syllables per word − 15.59.
    pub flesch_kincaid: f64,
}

impl Grades {
    /// Measures a text (in English).
    pub fn of(text: &str) -> Grades {
        let words = words(text);
        let syllables: usize = words.iter().map(|word| syllables(word)).sum();
        let long_words = words.iter().filter(|word| is_long(word)).count();
        let sentences = sentence_count(text);
        let per_sentence = words.len() as f64 / sentences as f64;
        let per_word = if words.is_empty() {
            0.0
        } else {
            syllables as f64 / words.len() as f64
        };
        Grades {
            sentences,
            words: words.len(),
            syllables,
            long_words,
            smog: 1.043 * (30.0 * long_words as f64 / sentences as f64).sqrt() + 3.1291,
            flesch_kincaid: 0.39 * per_sentence + 11.8 * per_word - 15.59,
        }
    }
}

/// The age of the readers a text of some US school grade suits, in the
/// words a midwife uses: "reading age about 11 to 12".
///
/// US school grades are given to children of about five years more than the
/// grade: grade 1 at 6 to 7, grade 6 at 11 to 12, grade 12 at 17 to 18. A
/// grade of 6.5 is the middle of grade 6, so its reading age is about 11 to
/// 12: the whole grade, as shown to one decimal, plus 5 and plus 6. Grades
/// below 1 count as 1; from 13 on (college) the age is "18 or over". It
/// is the reading skill a text asks for, not the age of its reader: a
/// leaflet aimed at grade 6 (about 11 to 12) is for adults too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadingAge {
    /// The youngest age, in years.
    pub from: u32,
    /// The oldest age, in years: one more.
    pub to: u32,
}

impl ReadingAge {
    /// The years added to a US grade to give the youngest reader's age.
    pub const YEARS_OVER_GRADE: u32 = 5;

    /// The reading age of a US school grade, such as a SMOG grade.
    pub fn of_grade(grade: f64) -> ReadingAge {
        // As the grade is shown: 6.96 shows as 7.0 and is grade 7.
        let shown = (grade * 10.0).round() / 10.0;
        let whole = if shown.is_finite() {
            shown.floor().clamp(1.0, 13.0) as u32
        } else {
            13
        };
        let from = whole + Self::YEARS_OVER_GRADE;
        ReadingAge { from, to: from + 1 }
    }

    /// Whether the text suits adults only, beyond school grades.
    pub fn is_adult(self) -> bool {
        self.from >= 18
    }
}

impl std::fmt::Display for ReadingAge {
    /// "about 11 to 12", or "18 or over".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.is_adult() {
            write!(f, "18 or over")
        } else {
            write!(f, "about {} to {}", self.from, self.to)
        }
    }
}

/// What a reader of one item may trip on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    /// The item, by id; `None` for the introduction.
    pub item: Option<String>,
    /// Its words of three syllables or more, each once, in order.
    pub long_words: Vec<String>,
    /// Its sentences of more than [`LONG_SENTENCE_WORDS`] words, with
    /// their word counts.
    pub long_sentences: Vec<(usize, String)>,
}

/// A sentence and how hard it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Sentence {
    /// The item it is in; `None` for the introduction.
    pub item: Option<String>,
    /// The sentence.
    pub text: String,
    /// Its Flesch-Kincaid grade, as if it were a text of its own.
    pub grade: f64,
}

/// A topic's readability: its grades, its hardest sentences and its hints.
#[derive(Debug, Clone, PartialEq)]
pub struct Readability {
    /// The grades over every passage the topic can print.
    pub grades: Grades,
    /// Every sentence, hardest first.
    pub hardest: Vec<Sentence>,
    /// The items with long words or long sentences, in print order.
    pub hints: Vec<Hint>,
}

impl Readability {
    /// Measures a topic, or `None` for a language not measured here.
    pub fn of(topic: &Topic) -> Option<Readability> {
        Readability::of_wording(topic, 0)
    }

    /// Measures a topic in one of its wordings (see [`Topic::wording`]).
    pub fn of_wording(topic: &Topic, wording: usize) -> Option<Readability> {
        if !is_measured(&topic.language) {
            return None;
        }
        let passages = passages_in(topic, wording);
        let all: Vec<&str> = passages
            .iter()
            .map(|passage| passage.text.as_str())
            .collect();
        let grades = Grades::of(&all.join("\n"));
        let mut hardest = Vec::new();
        let mut hints = Vec::new();
        for passage in &passages {
            let sentences = sentences(&passage.text);
            for text in &sentences {
                let words = words(text);
                if words.len() > 2 {
                    hardest.push(Sentence {
                        item: passage.item.clone(),
                        text: text.to_string(),
                        grade: Grades::of(text).flesch_kincaid,
                    });
                }
            }
            let mut long_words: Vec<String> = Vec::new();
            for word in passage.text.split_whitespace() {
                let bare = bare_word(word);
                if is_long(&bare) && !long_words.iter().any(|known| known.to_lowercase() == bare) {
                    long_words.push(
                        word.trim_matches(|c: char| !c.is_alphanumeric())
                            .to_string(),
                    );
                }
            }
            let long_sentences: Vec<(usize, String)> = sentences
                .iter()
                .map(|text| (words(text).len(), text.to_string()))
                .filter(|(count, _)| *count > LONG_SENTENCE_WORDS)
                .collect();
            if !long_words.is_empty() || !long_sentences.is_empty() {
                hints.push(Hint {
                    item: passage.item.clone(),
                    long_words,
                    long_sentences,
                });
            }
        }
        hardest.sort_by(|a, b| b.grade.total_cmp(&a.grade));
        Some(Readability {
            grades,
            hardest,
            hints,
        })
    }
}

/// The text without punctuation (anything neither a letter, a digit, an
/// underscore nor white space), as `textstat` drops it: "hands-on" is one
/// word, "handson".
fn without_punctuation(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric() || *c == '_' || c.is_whitespace())
        .collect()
}

/// The words of a text.
fn words(text: &str) -> Vec<String> {
    without_punctuation(text)
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// A word as its syllables are counted: lower case, no punctuation.
fn bare_word(word: &str) -> String {
    without_punctuation(&word.to_lowercase())
}

/// The sentences of a text: each runs from a letter or digit to the next
/// `.`, `!` or `?` and any more of them.
fn sentences(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut start: Option<usize> = None;
    let mut in_end = false;
    for (at, c) in text.char_indices() {
        let is_end = matches!(c, '.' | '!' | '?');
        match start {
            None if c.is_alphanumeric() || c == '_' => {
                start = Some(at);
                in_end = false;
            }
            None => {}
            Some(from) if !is_end && in_end => {
                found.push(text[from..at].trim());
                start = (c.is_alphanumeric() || c == '_').then_some(at);
                in_end = false;
            }
            Some(_) => in_end |= is_end,
        }
    }
    if let Some(from) = start {
        found.push(text[from..].trim());
    }
    found
}

/// The sentences that count: those of more than two words; at least one.
fn sentence_count(text: &str) -> usize {
    sentences(text)
        .iter()
        .filter(|sentence| words(sentence).len() > 2)
        .count()
        .max(1)
}

/// Whether a word has three syllables or more.
fn is_long(word: &str) -> bool {
    syllables(word) >= LONG_WORD_SYLLABLES
}

/// The syllables of a word: its hyphenation points plus one.
pub fn syllables(word: &str) -> usize {
    let word = bare_word(word);
    if word.is_empty() {
        return 0;
    }
    hyphenator().hyphenate(&word).breaks.len() + 1
}

/// The US English patterns, loaded once, keeping two letters each side.
fn hyphenator() -> &'static Standard {
    static PATTERNS: OnceLock<Standard> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let mut patterns = Standard::from_embedded(Language::EnglishUS)
            .expect("the embedded US English hyphenation patterns load");
        patterns.minima = (2, 2);
        patterns
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllables_are_counted_from_hyphenation_points() {
        for (word, count) in [
            ("walk", 1),
            ("water", 2),
            ("pregnancy", 3),
            ("Magnesium,", 3),
            ("potassium", 3),
            ("", 0),
        ] {
            assert_eq!(syllables(word), count, "{word}");
        }
    }

    #[test]
    fn sentences_run_to_their_full_stops() {
        assert_eq!(
            sentences("Rest. Get plenty of rest!! But move, too?\nWalk"),
            ["Rest.", "Get plenty of rest!!", "But move, too?", "Walk"]
        );
        // A two-word sentence is not counted; its words are.
        let grades = Grades::of("Rest now. Get plenty of rest, as being tired adds to cramps.");
        assert_eq!((grades.sentences, grades.words), (1, 12));
    }

    #[test]
    fn grades_follow_their_formulas() {
        let text = "Your womb can press on blood vessels and slow the blood flow to your legs. \
                    You may be low in calcium, magnesium or potassium. Exercise regularly.";
        let grades = Grades::of(text);
        assert_eq!(grades.sentences, 2);
        assert_eq!(grades.words, 26);
        let expected_smog = 1.043 * (30.0 * grades.long_words as f64 / 2.0).sqrt() + 3.1291;
        assert!((grades.smog - expected_smog).abs() < 1e-9);
        // calcium, magnesium, potassium, exercise, regularly
        assert_eq!(grades.long_words, 5);
        // 20 words of one syllable, "vessels" of two, and the five long ones.
        let long: usize = ["calcium", "magnesium", "potassium", "exercise", "regularly"]
            .map(syllables)
            .iter()
            .sum();
        assert_eq!(grades.syllables, 20 + 2 + long, "{grades:?}");
        let words_per_sentence = grades.words as f64 / grades.sentences as f64;
        let syllables_per_word = grades.syllables as f64 / grades.words as f64;
        let expected_fk = 0.39 * words_per_sentence + 11.8 * syllables_per_word - 15.59;
        assert!(
            (grades.flesch_kincaid - expected_fk).abs() < 1e-9,
            "{grades:?}"
        );
    }

    #[test]
    fn the_builtin_english_is_measured_and_spanish_is_not() {
        let topics = Topic::builtin();
        let english = topics.iter().find(|topic| topic.language == "en").unwrap();
        let spanish = topics.iter().find(|topic| topic.language == "es").unwrap();
        let readability = Readability::of(english).unwrap();
        assert!(readability.grades.sentences > 30);
        assert!(readability.hardest.len() >= 5);
        assert!(
            readability
                .hardest
                .windows(2)
                .all(|pair| pair[0].grade >= pair[1].grade)
        );
        assert!(Readability::of(spanish).is_none());
        // Every item is in the passages, the urgent ones with the words for
        // a missing emergency number.
        let passages = passages(english);
        let items: usize = english.sections.iter().map(|s| s.items.len()).sum();
        assert_eq!(passages.len(), items + 1);
        assert!(
            passages
                .iter()
                .any(|p| p.text.contains("your local emergency number"))
        );
    }

    #[test]
    fn leads_that_stand_alone_are_labels_and_leads_that_run_on_are_read() {
        let english = &Topic::builtin()[0];
        let passages = passages(english);
        let text_of = |id: &str| {
            passages
                .iter()
                .find(|p| p.item.as_deref() == Some(id))
                .map(|p| p.text.as_str())
                .unwrap()
        };
        assert_eq!(
            text_of("calcium-magnesium"),
            "Get enough of both in your food. Ask your midwife before you take any supplement."
        );
        assert_eq!(
            text_of("rest"),
            "Being tired can add to cramps. But move often, too."
        );
        assert_eq!(
            text_of("massage-caution"),
            "Never massage a leg that is swollen, red, warm or sore in one spot."
        );
        assert!(text_of("clot-in-lung").starts_with("Call your local emergency number now if"));
        assert!(text_of("severe-pain").starts_with("Severe pain that does not stop: call"));
    }

    #[test]
    fn no_heading_title_or_label_is_among_the_sentences() {
        for topic in Topic::builtin().iter().filter(|t| is_measured(&t.language)) {
            let readability = Readability::of(topic).unwrap();
            let labels: Vec<&str> = topic
                .sections
                .iter()
                .map(|section| section.heading.as_str())
                .chain([topic.title.as_str()])
                .chain(
                    topic
                        .sections
                        .iter()
                        .flat_map(|section| &section.items)
                        .map(|item| item.lead.as_str())
                        .filter(|lead| is_label(lead)),
                )
                .collect();
            for sentence in &readability.hardest {
                for label in &labels {
                    let bare = label.trim().trim_end_matches(['.', '!', '?']);
                    assert!(
                        !sentence.text.starts_with(bare),
                        "{label:?} is measured as a sentence: {:?}",
                        sentence.text
                    );
                }
            }
        }
    }

    #[test]
    fn a_grade_is_a_reading_age_five_and_six_years_over_it() {
        for (grade, from, shown) in [
            (6.0, 11, "about 11 to 12"),
            (6.5, 11, "about 11 to 12"),
            (6.96, 12, "about 12 to 13"),
            (8.0, 13, "about 13 to 14"),
            (0.4, 6, "about 6 to 7"),
            (-3.0, 6, "about 6 to 7"),
            (12.9, 17, "about 17 to 18"),
            (13.0, 18, "18 or over"),
            (21.0, 18, "18 or over"),
            (f64::NAN, 18, "18 or over"),
        ] {
            let age = ReadingAge::of_grade(grade);
            assert_eq!((age.from, age.to), (from, from + 1), "{grade}");
            assert_eq!(age.to_string(), shown, "{grade}");
        }
    }
}

//! What is known of one patient, and the checks every given value passes.

use jiff::civil::Date;

use crate::error::InputError;
use crate::text::{check_characters, excerpt, is_bidi_control};

/// The most characters a patient's or midwife's name may have.
pub const MAX_NAME_CHARS: usize = 80;
/// The most characters a midwife's note may have. The page decides whether a
/// note fits; this only stops pasted documents.
pub const MAX_NOTE_CHARS: usize = 600;

/// How far along the pregnancy is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pregnancy {
    /// Completed weeks, 1 to 42.
    Weeks(u8),
    /// The due date; weeks count from the handout's date.
    DueDate(Date),
}

impl Pregnancy {
    /// What the weeks are counted from, as a batch's manifest records it:
    /// "weeks" or "due date".
    pub fn source(self) -> &'static str {
        match self {
            Pregnancy::Weeks(_) => "weeks",
            Pregnancy::DueDate(_) => "due date",
        }
    }
}

/// The personal parts of one handout. Every field is optional: a handout
/// with none of them is a blank one for the waiting room.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Patient {
    /// The patient's name as it should be printed.
    pub name: Option<String>,
    /// Weeks of pregnancy or due date.
    pub pregnancy: Option<Pregnancy>,
    /// The midwife's personal note.
    pub note: Option<String>,
    /// The midwife's name, overriding the practice's.
    pub midwife: Option<String>,
}

/// Checks a name: printable, at most [`MAX_NAME_CHARS`]. Returns it trimmed,
/// or `None` when only white space was given.
pub fn check_name(what: &'static str, name: &str) -> Result<Option<String>, InputError> {
    let name = name.trim();
    if name.is_empty() {
        return Ok(None);
    }
    check_printable(name, MAX_NAME_CHARS).map_err(|reason| InputError::Text { what, reason })?;
    Ok(Some(name.to_string()))
}

/// Checks a note: printable but for line breaks, at most [`MAX_NOTE_CHARS`].
/// Line ends are made `\n`; a blank note is `None`.
pub fn check_note(note: &str) -> Result<Option<String>, InputError> {
    let note = note.replace("\r\n", "\n");
    let note = note.trim();
    if note.is_empty() {
        return Ok(None);
    }
    for line in note.split('\n') {
        check_printable(line, MAX_NOTE_CHARS).map_err(|reason| InputError::Text {
            what: "note",
            reason,
        })?;
    }
    if let Some(script) = note.chars().find_map(unsegmented_script) {
        return Err(InputError::Text {
            what: "note",
            reason: format!(
                "is written in {script}, which puts no spaces between its words; handout \
                 cannot yet tell where such a line may break, so write the note in another \
                 language or leave it out (a name in {script} prints)"
            ),
        });
    }
    let chars = note.chars().count();
    if chars > MAX_NOTE_CHARS {
        return Err(InputError::Text {
            what: "note",
            reason: format!("is {chars} characters long; the most is {MAX_NOTE_CHARS}"),
        });
    }
    Ok(Some(note.to_string()))
}

/// The script of a character that is written with no spaces between words
/// (Unicode line-break class SA), whose lines only a dictionary can break:
/// a name, set whole, may hold it, a note may not.
fn unsegmented_script(c: char) -> Option<&'static str> {
    match c {
        '\u{0E00}'..='\u{0E7F}' => Some("Thai"),
        '\u{0E80}'..='\u{0EFF}' => Some("Lao"),
        '\u{1000}'..='\u{109F}' | '\u{AA60}'..='\u{AA7F}' => Some("Burmese"),
        '\u{1780}'..='\u{17FF}' | '\u{19E0}'..='\u{19FF}' => Some("Khmer"),
        _ => None,
    }
}

/// Checks that `text` has no control characters, no bidirectional controls
/// and at most `max` characters. The error is the reason, to follow the
/// field's name.
pub(crate) fn check_printable(text: &str, max: usize) -> Result<(), String> {
    if let Some(c) = text.chars().find(|c| c.is_control()) {
        return Err(format!(
            "has a control character (U+{:04X}); remove it or retype the text",
            c as u32
        ));
    }
    if let Some(c) = text.chars().find(|&c| is_bidi_control(c)) {
        return Err(format!(
            "has an invisible direction control (U+{:04X}), which can make the printed \
             text read differently from what was typed; remove it or retype the text",
            c as u32
        ));
    }
    let chars = text.chars().count();
    if chars > max {
        return Err(format!("is {chars} characters long; the most is {max}"));
    }
    check_characters(text)
}

/// Parses how far along a pregnancy is, as midwives write it: `28`,
/// `28+3` (28 weeks and 3 days), `28w`, `28 weeks`, `28w3d`,
/// `28 weeks 3 days`, `28/40`, `28+3/40`. Returns the completed weeks, 1 to
/// 42, which is what the leaflet prints.
pub fn parse_weeks(text: &str) -> Result<u8, InputError> {
    parse_gestation(text).map(|(weeks, _)| weeks)
}

/// Like [`parse_weeks`], with the days too, when they are written.
pub(crate) fn parse_gestation(text: &str) -> Result<(u8, Option<u8>), InputError> {
    let text = text.trim();
    let error = || InputError::Weeks(excerpt(text));
    let lower = text.to_ascii_lowercase();
    let mut rest = lower.as_str();
    let number = |rest: &mut &str| -> Option<u32> {
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits == 0 || digits > 3 {
            return None;
        }
        let value = rest[..digits].parse().ok();
        *rest = rest[digits..].trim_start();
        value
    };
    let word = |rest: &mut &str, words: &[&str]| -> bool {
        match words.iter().find(|word| rest.starts_with(*word)) {
            Some(word) => {
                *rest = rest[word.len()..].trim_start();
                true
            }
            None => false,
        }
    };
    let weeks = number(&mut rest).ok_or_else(error)?;
    let has_unit = word(&mut rest, &["weeks", "week", "wks", "wk", "w"]);
    let plus = word(&mut rest, &["+"]);
    let mut days = None;
    if plus || (has_unit && rest.starts_with(|c: char| c.is_ascii_digit())) {
        days = Some(number(&mut rest).ok_or_else(error)?);
        word(&mut rest, &["days", "day", "d"]);
    }
    word(&mut rest, &["/40"]);
    if !rest.is_empty() {
        return Err(error());
    }
    if let Some(days) = days
        && days > 6
    {
        return Err(InputError::WeekDays {
            text: excerpt(text),
            weeks,
            days,
            carried: format!("{}+{}", weeks + days / 7, days % 7),
        });
    }
    if !(1..=42).contains(&weeks) {
        return Err(InputError::WeeksRange(excerpt(text)));
    }
    Ok((weeks as u8, days.map(|days| days as u8)))
}

/// Completed weeks of pregnancy on `date` for a due date, counting a
/// pregnancy as 280 days (40 weeks) long.
pub fn weeks_from_due_date(due: Date, date: Date) -> Result<u8, InputError> {
    days_from_due_date(due, date).map(|days| (days / 7).min(42) as u8)
}

/// Days of pregnancy on `date` for a due date, as [`weeks_from_due_date`]
/// counts them.
pub(crate) fn days_from_due_date(due: Date, date: Date) -> Result<u16, InputError> {
    // Subtracting civil dates gives a span in days only.
    let days_left = i64::from((due - date).get_days());
    let error = |reason: String| InputError::DueDate {
        due: due.to_string(),
        reason,
    };
    if days_left < 0 {
        return Err(error(format!("has already passed on {date}")));
    }
    let days = 280 - days_left;
    if days < 7 {
        return Err(error(format!(
            "is more than 39 weeks after {date}, which is under 1 week of pregnancy"
        )));
    }
    Ok(days as u16)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_name_may_be_thai_but_a_note_not_yet() {
        assert!(check_name("name", "สมศรี ใจดี").is_ok());
        let error = check_note("ดื่มน้ำมากๆ นะคะ").unwrap_err().to_string();
        assert!(error.starts_with("note is written in Thai"), "{error}");
        assert!(check_note("Drink water, สมศรี").is_err());
        assert!(check_note("اشربي الماء كثيرا").is_ok());
    }

    #[test]
    fn names_are_trimmed_and_checked() {
        assert_eq!(
            check_name("name", "  Ana López ").unwrap().as_deref(),
            Some("Ana López")
        );
        assert_eq!(check_name("name", "   ").unwrap(), None);
        let error = check_name("name", "Ana\u{7}").unwrap_err();
        assert_eq!(
            error.to_string(),
            "name has a control character (U+0007); remove it or retype the text"
        );
        let error = check_name("name", &"a".repeat(81)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "name is 81 characters long; the most is 80"
        );
        assert!(check_name("name", &"é".repeat(80)).is_ok());
    }

    #[test]
    fn notes_keep_line_breaks_only() {
        assert_eq!(check_note("a\r\nb").unwrap().as_deref(), Some("a\nb"));
        assert!(check_note("a\tb").is_err());
        assert!(check_note(&"x".repeat(MAX_NOTE_CHARS + 1)).is_err());
    }

    #[test]
    fn weeks_are_1_to_42() {
        assert_eq!(parse_weeks("28").unwrap(), 28);
        assert_eq!(parse_weeks(" 1 ").unwrap(), 1);
        assert_eq!(parse_weeks("42").unwrap(), 42);
        for bad in [
            "0", "43", "-1", "28.5", "", "twenty", "28+7", "28++3", "28/41", "0028",
        ] {
            assert!(parse_weeks(bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse_weeks("43").unwrap_err().to_string(),
            "weeks must be 1 to 42, not '43'"
        );
        assert_eq!(
            parse_weeks("28x").unwrap_err().to_string(),
            "weeks must be written like 28, 28+3, 28w3d or 28/40 (1 to 42 weeks), not '28x'"
        );
        assert_eq!(
            parse_weeks("28+9").unwrap_err().to_string(),
            "the days after the weeks must be 0 to 6, not 9 in '28+9'; 28+9 is 29+2"
        );
    }

    proptest::proptest! {
        /// Every way of writing weeks and days gives the completed weeks.
        #[test]
        fn any_gestation_reads_back_as_its_completed_weeks(weeks in 1u8..=42, days in 0u8..=6) {
            for text in [
                format!("{weeks}"),
                format!("{weeks}+{days}"),
                format!("{weeks} + {days}/40"),
                format!("{weeks}w"),
                format!("{weeks}w{days}d"),
                format!("{weeks} weeks {days} days"),
                format!("{weeks}/40"),
                format!("{weeks}W{days}D"),
            ] {
                proptest::prop_assert_eq!(parse_weeks(&text), Ok(weeks), "{}", text);
            }
            let too_many_days = format!("{}+{}", weeks, days + 7);
            proptest::prop_assert!(parse_weeks(&too_many_days).is_err(), "{}", too_many_days);
        }

        #[test]
        fn no_text_panics_and_errors_are_short(text in ".{0,200}") {
            if let Err(error) = parse_weeks(&text) {
                proptest::prop_assert!(error.to_string().chars().count() < 150);
            }
        }
    }

    #[test]
    fn weeks_as_midwives_write_them() {
        for text in [
            "28",
            "28+3",
            "28 + 3",
            "28w",
            "28W",
            "28 weeks",
            "28 wks",
            "28w3d",
            "28w 3d",
            "28 weeks 3 days",
            "28/40",
            "28+3/40",
            "28+6",
            "28w+3d",
            "28 week",
        ] {
            assert_eq!(parse_weeks(text).unwrap(), 28, "{text}");
        }
    }

    #[test]
    fn direction_controls_are_refused_but_joiners_kept() {
        for bad in ["Ana\u{202e}gpj.exe", "\u{2066}Ana\u{2069}", "A\u{202a}b"] {
            let error = check_name("name", bad).unwrap_err().to_string();
            assert!(error.contains("invisible direction control"), "{error}");
            let error = check_note(bad).unwrap_err().to_string();
            assert!(
                error.starts_with("note has an invisible direction control"),
                "{error}"
            );
        }
        // Persian and Indic text need the joiners, and keep them.
        for good in ["Mehr\u{200c}nāz", "क्\u{200d}ष"] {
            assert_eq!(check_name("name", good).unwrap().as_deref(), Some(good));
            assert_eq!(check_note(good).unwrap().as_deref(), Some(good));
        }
    }

    #[test]
    fn echoed_values_are_cut() {
        let error = parse_weeks(&"9".repeat(100_000)).unwrap_err().to_string();
        assert!(error.len() < 120, "{error}");
        assert!(error.contains(&format!("'{}…'", "9".repeat(40))), "{error}");
    }

    #[test]
    fn due_date_gives_weeks() {
        let today = date(2026, 11, 25);
        // Due in exactly 12 weeks: 28 weeks pregnant.
        assert_eq!(weeks_from_due_date(date(2027, 2, 17), today).unwrap(), 28);
        // Due today: 40 weeks.
        assert_eq!(weeks_from_due_date(today, today).unwrap(), 40);
        // Due 39 weeks ahead: 1 week.
        assert_eq!(
            weeks_from_due_date(today + jiff::Span::new().days(273), today).unwrap(),
            1
        );
    }

    #[test]
    fn implausible_due_dates_are_errors() {
        let today = date(2026, 11, 25);
        let passed = weeks_from_due_date(date(2026, 11, 24), today).unwrap_err();
        assert!(
            passed.to_string().contains("has already passed"),
            "{passed}"
        );
        let far = weeks_from_due_date(date(2027, 11, 25), today).unwrap_err();
        assert!(far.to_string().contains("weeks after 2026-11-25"), "{far}");
    }
}

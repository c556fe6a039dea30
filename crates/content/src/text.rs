//! Characters that need care: invisible format controls, the bidirectional
//! controls that can make a printed name read differently from the one in
//! the roster, and values quoted back in messages; and the SHA-256 that
//! records name a text by.

use unicode_normalization::char::is_combining_mark;

/// The SHA-256 of `bytes`, in lower-case hex, as the manifest records
/// both a topic file's and a handout's, and a practice's approval names
/// the text it approved.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    lower_hex(&sha2::Sha256::digest(bytes))
}

/// Bytes as lower-case hex digits, two to a byte, as [`sha256_hex`] gives
/// a digest.
pub fn lower_hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(2 * bytes.len()), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

/// The most characters of a value that a message quotes back.
pub const EXCERPT_CHARS: usize = 40;

/// The most combining marks one letter may carry. Vietnamese stacks two,
/// Thai three, and no name in any language needs more than a few; dozens
/// drawn on one letter run up through the title and down through the page.
pub const MAX_MARKS: usize = 8;

/// The character a program puts where it could not read or write one.
const REPLACEMENT: char = '\u{FFFD}';

/// Checks what any text to print may not hold: a character an export lost
/// and replaced with U+FFFD, more than [`MAX_MARKS`] combining marks on
/// one letter, or nothing to see at all. The error is the reason, to
/// follow the field's name.
pub fn check_characters(text: &str) -> Result<(), String> {
    if text.contains(REPLACEMENT) {
        return Err(format!(
            "has the character U+FFFD ('{REPLACEMENT}'), which a program puts where it lost a \
             letter it could not read or write; the export lost part of this text: correct it \
             where it came from, or export as \"CSV UTF-8\""
        ));
    }
    if !text.is_empty() && !text.chars().any(is_visible) {
        return Err(
            "has only invisible characters, such as zero-width spaces; leave it empty or \
             retype it"
                .to_string(),
        );
    }
    // Joiners and other invisible format characters ride on a letter as
    // marks do, and count with them. No ASCII character does, and most of
    // a leaflet is ASCII: it skips the tables.
    let rides = |c: char| !c.is_ascii() && (is_combining_mark(c) || is_format_char(c));
    let mut run = 0;
    for (index, c) in text.chars().enumerate() {
        run = if rides(c) { run + 1 } else { 0 };
        if run > MAX_MARKS {
            let marks = text
                .chars()
                .skip(index + 1)
                .take_while(|&c| rides(c))
                .count()
                + run;
            return Err(format!(
                "has {marks} accents or other marks on one letter (at character {}); no \
                 language needs more than {MAX_MARKS}, so retype the text",
                index + 1 - run
            ));
        }
    }
    Ok(())
}

/// Whether `c` shows on the page by itself.
fn is_visible(c: char) -> bool {
    !c.is_whitespace()
        && !c.is_control()
        && !is_format_char(c)
        && !is_combining_mark(c)
        && !matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}')
}

/// Whether `c` is a Unicode format character (general category Cf): it
/// has no glyph of its own, but changes how the text around it shows.
///
/// The table is the whole of category Cf in Unicode 16.0.
pub fn is_format_char(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{0600}'..='\u{0605}'
            | '\u{061C}'
            | '\u{06DD}'
            | '\u{070F}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08E2}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}'
    )
}

/// Whether `c` is a bidirectional embedding, override or isolate control
/// (U+202A to U+202E, U+2066 to U+2069). In a name or a note they can make
/// the printed text read in another order than the one typed. The marks
/// U+200E and U+200F and the joiners ZWJ and ZWNJ are not among them: some
/// scripts need those.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A value as a message quotes it back: at most [`EXCERPT_CHARS`]
/// characters, then "…", with control and format characters written as
/// `\u{..}` escapes, so that a pasted document or a terminal escape in a
/// roster cell can neither flood the screen nor act on it.
pub fn excerpt(value: &str) -> String {
    let mut out = String::with_capacity(value.len().min(4 * EXCERPT_CHARS + 3));
    let mut shown = 0;
    let mut marks = 0;
    for c in value.chars() {
        marks = if is_combining_mark(c) { marks + 1 } else { 0 };
        // Marks stacked past any language's need would draw over the
        // terminal's lines too.
        let escaped = c.is_control() || is_format_char(c) || marks > 2;
        let width = if escaped {
            c.escape_unicode().count()
        } else {
            1
        };
        if shown + width > EXCERPT_CHARS {
            out.push('…');
            break;
        }
        shown += width;
        if escaped {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// A value as given, trimmed; `None` when empty, as a blank cell or option
/// gives nothing.
pub(crate) fn given(value: &Option<String>) -> Option<&str> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|value| !value.is_empty())
}

/// `tag` as a BCP 47 language tag, if it is shaped as one: a language of
/// two or three letters, then subtags of letters and digits ("ar",
/// "pa-Arab", "zh-Hant-TW"), with `_` read as `-`.
pub(crate) fn language_tag(tag: &str) -> Option<String> {
    let tag = tag.trim().replace('_', "-");
    let mut parts = tag.split('-');
    let language = parts.next()?;
    let well_formed = (2..=3).contains(&language.len())
        && language.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|part| {
            (1..=8).contains(&part.len()) && part.chars().all(|c| c.is_ascii_alphanumeric())
        });
    well_formed.then_some(tag)
}

/// `tag` as a regional wording's tag, a language and a region ("en-GB",
/// "es-419"), as [`language_tag`] reads it.
pub(crate) fn regional_tag(tag: &str) -> Option<String> {
    let tag = language_tag(tag)?;
    let (_, region) = tag.split_once('-')?;
    (region.len() >= 2 && !region.contains('-')).then_some(tag)
}

/// Whether `id` is lower-case ASCII words joined by single hyphens, as the
/// ids and keys of topics are.
pub(crate) fn is_kebab_case(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// A text as a TOML basic string in double quotes, for a line the user
/// pastes into a practice file.
pub(crate) fn toml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_short_and_inert() {
        assert_eq!(excerpt("28"), "28");
        let long = "x".repeat(1_000_000);
        let cut = excerpt(&long);
        assert_eq!(cut.chars().count(), EXCERPT_CHARS + 1);
        let controls = excerpt(&"\u{1}".repeat(100));
        assert!(controls.chars().count() <= EXCERPT_CHARS + 1, "{controls}");
        assert!(cut.ends_with('…'));
        assert_eq!(excerpt("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(excerpt("\u{202e}gpj"), "\\u{202e}gpj");
        assert_eq!(excerpt("Zoë"), "Zoë");
    }

    #[test]
    fn bidi_controls_but_not_joiners() {
        for c in ['\u{202A}', '\u{202E}', '\u{2066}', '\u{2069}'] {
            assert!(is_bidi_control(c) && is_format_char(c));
        }
        for c in ['\u{200C}', '\u{200D}', '\u{200E}', 'a'] {
            assert!(!is_bidi_control(c));
        }
        assert!(is_format_char('\u{200D}') && is_format_char('\u{FEFF}'));
        assert!(!is_format_char('é') && !is_format_char(' '));
    }

    #[test]
    fn lost_characters_stacked_marks_and_invisible_text_are_refused() {
        for good in [
            "Zoë",
            "Nguyễn Thị Ánh",
            "ก้ำ",
            "Mehr\u{200c}nāz",
            "e\u{301}\u{302}",
        ] {
            assert_eq!(check_characters(good), Ok(()), "{good}");
        }
        let lost = check_characters("Zo\u{FFFD}").unwrap_err();
        assert!(lost.contains("the export lost part of this text"), "{lost}");
        let stacked = format!("Ana{}", "\u{301}".repeat(40));
        let error = check_characters(&stacked).unwrap_err();
        assert!(
            error.starts_with("has 40 accents or other marks on one letter (at character 3)"),
            "{error}"
        );
        assert!(check_characters(&format!("a{}", "\u{301}".repeat(MAX_MARKS))).is_ok());
        let invisible = check_characters(&"\u{200B}".repeat(600)).unwrap_err();
        assert!(
            invisible.starts_with("has only invisible characters"),
            "{invisible}"
        );
        assert_eq!(excerpt(&stacked).matches('\u{301}').count(), 2);
        assert!(check_characters(&format!("e{}", "\u{200D}".repeat(9))).is_err());
    }
}

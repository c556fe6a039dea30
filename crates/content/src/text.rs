//! Characters that need care: invisible format controls, the bidirectional
//! controls that can make a printed name read differently from the one in
//! the roster, and values quoted back in messages.

/// The most characters of a value that a message quotes back.
pub const EXCERPT_CHARS: usize = 40;

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
    for c in value.chars() {
        let escaped = c.is_control() || is_format_char(c);
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
}

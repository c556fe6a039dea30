//! SVG syntax: short numbers, colours and escaped text.

use std::fmt::Write;

use crate::page::Color;

pub(super) fn push_color(out: &mut String, color: Color) {
    let _ = write!(out, "#{:02x}{:02x}{:02x}", color.0, color.1, color.2);
}

/// Writes a number rounded to `decimals` places, without trailing zeros,
/// exponent or negative zero; anything not finite as 0.
pub(super) fn push_number(out: &mut String, value: f32, decimals: u32) {
    let scale = 10_u64.pow(decimals);
    let scaled = (f64::from(value) * scale as f64).round();
    if !scaled.is_finite() || scaled == 0.0 {
        out.push('0');
        return;
    }
    // Lengths on a page are far below i64's range; the cast saturates.
    let scaled = scaled as i64;
    if scaled < 0 {
        out.push('-');
    }
    let magnitude = scaled.unsigned_abs();
    let _ = write!(out, "{}", magnitude / scale);
    let mut fraction = magnitude % scale;
    if fraction != 0 {
        let mut places = decimals as usize;
        while fraction.is_multiple_of(10) {
            fraction /= 10;
            places -= 1;
        }
        let _ = write!(out, ".{fraction:0places$}");
    }
}

/// Writes text for an attribute or element, escaped; characters XML cannot
/// hold at all (control characters, noncharacters) become U+FFFD.
pub(crate) fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if is_xml_char(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
}

/// Whether XML 1.0 allows the character in a document.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_never_negative_zero() {
        let written = |value: f32, decimals: u32| {
            let mut out = String::new();
            push_number(&mut out, value, decimals);
            out
        };
        assert_eq!(written(0.0, 2), "0");
        assert_eq!(written(-0.001, 2), "0");
        assert_eq!(written(12.0, 2), "12");
        assert_eq!(written(841.8898, 2), "841.89");
        assert_eq!(written(-1.5, 1), "-1.5");
        assert_eq!(written(0.05, 2), "0.05");
        assert_eq!(written(0.012, 7), "0.012");
        assert_eq!(written(f32::NAN, 2), "0");
        assert_eq!(written(f32::INFINITY, 2), "0");
    }
}

//! What kind of file a roster is: TOML or CSV, and text at all. A
//! spreadsheet's own format, an image, or bytes with no lines are refused
//! as a whole, before any row is read.

use std::borrow::Cow;

use super::RosterError;
use super::encoding::{self, DecodeError, Encoding};
use crate::error::Location;

/// Whether a roster is TOML: its name ends in `.toml`, or it names no
/// `.csv`, `.tsv` or `.txt` file (standard input, say) and its text opens
/// with a table.
pub(super) fn is_toml(origin: &str, bytes: &[u8]) -> bool {
    let lower = origin.to_ascii_lowercase();
    lower.ends_with(".toml")
        || (![".csv", ".tsv", ".txt"]
            .iter()
            .any(|end| lower.ends_with(end))
            && looks_like_toml(bytes))
}

/// A roster's text as UTF-8 bytes, how it was read, and whether that was a
/// guess; refused when it is not text. `named` is the encoding the user
/// gave.
pub(super) fn decode<'a>(
    origin: &str,
    bytes: &'a [u8],
    named: Option<Encoding>,
) -> Result<(Cow<'a, [u8]>, Encoding, bool), RosterError> {
    // UTF-16 has NUL bytes of its own; other text has none.
    let utf16 = bytes.starts_with(b"\xff\xfe")
        || bytes.starts_with(b"\xfe\xff")
        || named.is_some_and(|named| named.label().starts_with("utf-16"));
    if !utf16 {
        refuse_binary(origin, bytes)?;
    }
    let at = |line, column| Location {
        origin: origin.to_string(),
        line,
        column,
    };
    let (text, encoding, guessed) =
        encoding::decode(bytes, named).map_err(|error| match error {
            DecodeError::BadUtf16 { offset } => RosterError::BadUtf16(at(1, offset)),
            DecodeError::UnknownCodePage => RosterError::CodePage(origin.to_string()),
            DecodeError::Ambiguous {
                line,
                column,
                readings,
            } => RosterError::AmbiguousCodePage {
                at: at(line, column),
                readings: readings
                    .into_iter()
                    .map(|reading| (reading.encoding.label(), reading.example))
                    .collect(),
            },
            DecodeError::Malformed {
                encoding,
                line,
                column,
            } => RosterError::NotInEncoding {
                at: at(line, column),
                encoding: encoding.label(),
            },
            DecodeError::Contradicts {
                named,
                found,
                by_mark,
            } => RosterError::OtherEncoding {
                origin: origin.to_string(),
                named: named.label(),
                found: found.to_string(),
                by_mark,
            },
        })?;
    refuse_binary(origin, &text)?;
    Ok((text, encoding, guessed))
}

/// The most NUL bytes a text roster may hold before it is taken for a
/// binary file; fewer are each their row's error.
const MAX_NULS: usize = 8;

/// A text roster's first line ends within this many bytes: a header of a
/// thousand long column names.
const MAX_FIRST_LINE: usize = 256 * 1024;

/// How much of the start is looked at for control characters.
const SNIFF_BYTES: usize = 4096;

/// The most control characters (beside tab and line ends) the start of a
/// text roster may hold before it is taken for a binary file.
const MAX_CONTROLS: usize = 8;

/// Refuses a file that is a spreadsheet's own format, an image or a PDF.
pub(super) fn refuse_file_format(origin: &str, bytes: &[u8]) -> Result<(), RosterError> {
    const MAGIC: [&[u8]; 5] = [
        b"PK\x03\x04",                       // .xlsx, .ods, .zip
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", // .xls
        b"%PDF-",
        b"\x89PNG",
        b"\xff\xd8\xff", // JPEG
    ];
    if MAGIC.iter().any(|magic| bytes.starts_with(magic)) {
        return Err(RosterError::Binary(origin.to_string()));
    }
    Ok(())
}

/// Refuses text that is not lines of text: many NUL bytes, or no line end
/// near the start.
pub(super) fn refuse_binary(origin: &str, bytes: &[u8]) -> Result<(), RosterError> {
    let nuls = bytes.iter().filter(|&&b| b == 0).count();
    if nuls > MAX_NULS {
        // Every other byte NUL: UTF-16 of mostly ASCII text.
        let odd = bytes.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
        let even = bytes.iter().step_by(2).filter(|&&b| b == 0).count();
        let (most, least) = (odd.max(even), odd.min(even));
        if most * 10 >= bytes.len() * 4 && least * 10 < bytes.len() {
            return Err(RosterError::BareUtf16(origin.to_string()));
        }
        return Err(RosterError::Binary(origin.to_string()));
    }
    let no_lines = bytes.len() > MAX_FIRST_LINE
        && !bytes[..MAX_FIRST_LINE]
            .iter()
            .any(|&b| b == b'\n' || b == b'\r');
    let controls = bytes[..bytes.len().min(SNIFF_BYTES)]
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7f)
        .count();
    if no_lines || controls > MAX_CONTROLS {
        return Err(RosterError::Binary(origin.to_string()));
    }
    Ok(())
}

/// Whether the bytes look like a TOML roster: its first line that is not
/// blank or a comment opens a table.
fn looks_like_toml(bytes: &[u8]) -> bool {
    bytes
        .split(|&b| b == b'\n' || b == b'\r')
        .map(|line| line.trim_ascii())
        .find(|line| !line.is_empty() && !line.starts_with(b"#"))
        .is_some_and(|line| line.starts_with(b"["))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_or_the_first_table_says_toml() {
        assert!(is_toml("day.TOML", b"name,weeks\n"));
        assert!(is_toml("standard input", b"# today\n\n[[patient]]\n"));
        assert!(!is_toml("standard input", b"name\n[not a table]\n"));
        assert!(!is_toml("day.csv", b"[[patient]]\n"));
    }

    #[test]
    fn only_lines_of_text_are_read() {
        let refused = |bytes: &[u8]| refuse_file_format("r", bytes).and(refuse_binary("r", bytes));
        assert_eq!(
            refused(b"PK\x03\x04rest"),
            Err(RosterError::Binary("r".into()))
        );
        assert_eq!(
            refused(&vec![b'x'; MAX_FIRST_LINE + 1]),
            Err(RosterError::Binary("r".into()))
        );
        // A header of 202 columns is long, but text.
        let header: Vec<String> = (1..=202)
            .map(|i| format!("Free text column number {i}"))
            .collect();
        let wide = format!("{}\nAna\n", header.join(","));
        assert!(wide.len() > 4096);
        assert_eq!(refused(wide.as_bytes()), Ok(()));
        assert_eq!(
            refused(b"name\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\nAna\n"),
            Err(RosterError::Binary("r".into()))
        );
        assert_eq!(
            refused(b"n\0a\0m\0e\0\n\0A\0n\0a\0\n\0"),
            Err(RosterError::BareUtf16("r".into()))
        );
        assert_eq!(refused(b"name\nAna\0\n"), Ok(()));
    }
}

//! Turns a roster's bytes into UTF-8, whatever program wrote them, so that
//! a name is either read as it was written or refused, never printed
//! garbled.
//!
//! - UTF-8, with or without a byte-order mark: as it is. A few bytes that
//!   are not UTF-8 in a file that otherwise is are their rows' errors.
//! - UTF-16 with a byte-order mark, little or big endian: Excel's "Unicode
//!   Text".
//! - An encoding the practice names (`--encoding`, `[roster] encoding`):
//!   any WHATWG label, `windows-1250`, `cp1254`, `latin2`, `shift_jis`. A
//!   byte that is no character in it is an error at its line and column,
//!   never a U+FFFD. A file that says it is something else, by a
//!   byte-order mark or by being UTF-8, is refused rather than misread:
//!   practices set a code page once, and a colleague's "CSV UTF-8" export
//!   read as Windows-1250 would garble every accented name.
//! - Otherwise, a file with no UTF-8 in it but bytes above 127 was written
//!   in a single-byte code page: Excel on Windows writes "CSV (Comma
//!   delimited)" in the system's ANSI code page. "CSV (Macintosh)" is Mac
//!   Roman, and keeps the old Mac line end, CR alone, which is how it is
//!   told apart. Any other is guessed among the ANSI code pages of Europe
//!   ([`guess`]), and refused when two of them read it differently and
//!   both could be right.
//!
//! The code pages come from `encoding_rs`. It was kept out while only
//! Windows-1252 and Mac Roman were read, as two tables of 128 characters
//! here; now that every code page may be named, it pays its way, and
//! `lopdf` links it already. Measured on a release build of `handout`,
//! this change (encoding_rs reached for every label, the guess, and its
//! 46 KB of letter pairs) took the binary from 10,376,328 to 10,598,896
//! bytes, 8,764,136 to 8,964,600 stripped: about 200 KB, of which
//! encoding_rs's own code is 10 KB. See [`guess`] for why `chardetng` is
//! not used.

mod guess;
mod letters;

use std::borrow::Cow;
use std::fmt;

use encoding_rs::{DecoderResult, MACINTOSH, UTF_8, UTF_16BE, UTF_16LE};

use crate::suggest::{did_you_mean, nearest};

/// An encoding a roster's bytes are read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Encoding(&'static encoding_rs::Encoding);

impl Encoding {
    /// UTF-8, which every TOML roster is.
    pub const UTF_8: Encoding = Encoding(UTF_8);

    /// The encoding a WHATWG label names (`windows-1250`, `cp1250`,
    /// `latin2`, `utf-8`, `shift_jis`, in any case), or `Mac Roman`.
    pub fn from_label(label: &str) -> Result<Encoding, UnknownEncoding> {
        let trimmed = label.trim();
        let squeezed: String = trimmed
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '_'))
            .collect::<String>()
            .to_ascii_lowercase();
        if squeezed == "macroman" {
            return Ok(Encoding(MACINTOSH));
        }
        encoding_rs::Encoding::for_label_no_replacement(trimmed.as_bytes())
            // "windows 1250", "windows1250"
            .or_else(|| {
                let windows = squeezed.strip_prefix("windows")?;
                encoding_rs::Encoding::for_label(format!("windows-{windows}").as_bytes())
            })
            .map(Encoding)
            .ok_or_else(|| UnknownEncoding {
                label: crate::text::excerpt(trimmed),
                suggestion: nearest(&trimmed.to_ascii_lowercase(), &KNOWN_LABELS)
                    .map(str::to_string),
            })
    }

    /// The label to name it by in `--encoding` and `[roster] encoding`.
    pub fn label(self) -> String {
        self.0.name().to_ascii_lowercase()
    }

    fn is_utf16(self) -> bool {
        self.0 == UTF_16LE || self.0 == UTF_16BE
    }
}

/// The name people know it by: `Windows-1250`, `Mac Roman`, `UTF-8`.
impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.0.name();
        match name {
            "UTF-16LE" => f.write_str("UTF-16 (little endian)"),
            "UTF-16BE" => f.write_str("UTF-16 (big endian)"),
            "macintosh" => f.write_str("Mac Roman"),
            _ => match name.strip_prefix("windows-") {
                Some(number) => write!(f, "Windows-{number}"),
                None => f.write_str(name),
            },
        }
    }
}

/// Labels to suggest for a mistyped one: the encodings' own names and the
/// names Windows and Python give the code pages.
const KNOWN_LABELS: [&str; 27] = [
    "utf-8",
    "utf-16le",
    "utf-16be",
    "windows-1250",
    "windows-1251",
    "windows-1252",
    "windows-1253",
    "windows-1254",
    "windows-1255",
    "windows-1256",
    "windows-1257",
    "windows-1258",
    "cp1250",
    "cp1251",
    "cp1252",
    "cp1253",
    "cp1254",
    "cp1257",
    "latin1",
    "latin2",
    "iso-8859-2",
    "iso-8859-9",
    "macintosh",
    "mac roman",
    "shift_jis",
    "gbk",
    "big5",
];

/// An encoding label no one knows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown encoding '{label}'{}; Excel's code pages are windows-1252 (Western), \
     windows-1250 (Central European), windows-1251 (Cyrillic), windows-1253 (Greek), \
     windows-1254 (Turkish) and windows-1257 (Baltic), and any WHATWG label (latin2, \
     iso-8859-9, shift_jis, utf-8, ...) is known",
    did_you_mean(.suggestion.as_deref())
)]
pub struct UnknownEncoding {
    /// The label as given, shortened.
    pub label: String,
    /// A known label it is close to.
    pub suggestion: Option<String>,
}

/// What to tell the user of a roster whose encoding was guessed.
pub(super) fn guessed_note(encoding: Encoding) -> String {
    let export = match encoding.0.name() {
        "macintosh" => "\"CSV (Macintosh)\"",
        "windows-1250" => "\"CSV (Comma delimited)\" in Central Europe",
        "windows-1251" => "\"CSV (Comma delimited)\" where Windows writes Cyrillic",
        "windows-1253" => "\"CSV (Comma delimited)\" in Greece",
        "windows-1254" => "\"CSV (Comma delimited)\" in Turkey",
        "windows-1257" => "\"CSV (Comma delimited)\" in the Baltic states",
        _ => "\"CSV (Comma delimited)\" in Western Europe and the Americas",
    };
    format!(
        "read as {encoding}, the encoding of Excel's {export}; \"CSV UTF-8 (Comma delimited)\" \
         is the safer export"
    )
}

/// How the same text reads in one candidate code page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Reading {
    /// The code page.
    pub encoding: Encoding,
    /// The first word the candidates read differently, as this one reads it.
    pub example: String,
}

/// Why the bytes could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum DecodeError {
    /// UTF-16 with a byte-order mark, but broken.
    BadUtf16 {
        /// Byte offset of the broken unit.
        offset: usize,
    },
    /// A code page no guess reads as plausible text.
    UnknownCodePage,
    /// Code pages that each read the bytes as plausible, different text.
    Ambiguous {
        /// Line of the first word they read differently, from 1.
        line: usize,
        /// Its column, from 1.
        column: usize,
        /// How each reads it.
        readings: Vec<Reading>,
    },
    /// Bytes that are no character in the named encoding.
    Malformed {
        /// The named encoding.
        encoding: Encoding,
        /// Line of the first such byte, from 1.
        line: usize,
        /// Its column in characters, from 1.
        column: usize,
    },
    /// The file says it is in another encoding than the one named.
    Contradicts {
        /// The named encoding.
        named: Encoding,
        /// What the file says it is.
        found: Encoding,
        /// Whether a byte-order mark says so (or the text being UTF-8).
        by_mark: bool,
    },
}

/// The roster's text as UTF-8 bytes (which may still hold bytes that are
/// not UTF-8, when a UTF-8 file has a few bad ones), how it was read, and
/// whether that was a guess. `named` is the encoding the user gave.
pub(super) fn decode(
    bytes: &[u8],
    named: Option<Encoding>,
) -> Result<(Cow<'_, [u8]>, Encoding, bool), DecodeError> {
    if let Some((found, rest)) = byte_order_mark(bytes) {
        if let Some(named) = named.filter(|&named| named != found) {
            return Err(DecodeError::Contradicts {
                named,
                found,
                by_mark: true,
            });
        }
        return match found.0.name() {
            "UTF-8" => Ok((Cow::Borrowed(rest), found, false)),
            "UTF-16LE" => utf16(rest, 2, u16::from_le_bytes).map(|text| (text, found, false)),
            _ => utf16(rest, 2, u16::from_be_bytes).map(|text| (text, found, false)),
        };
    }
    let is_utf8 = bytes.is_ascii() || has_utf8_sequence(bytes);
    match named {
        Some(named) if named == Encoding::UTF_8 => {
            Ok((Cow::Borrowed(bytes), Encoding::UTF_8, false))
        }
        Some(named) => {
            // UTF-16 of a roster has a NUL in every other byte.
            let contradicts = if named.is_utf16() {
                !bytes.contains(&0) && std::str::from_utf8(bytes).is_ok()
            } else {
                !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok()
            };
            if contradicts {
                return Err(DecodeError::Contradicts {
                    named,
                    found: Encoding::UTF_8,
                    by_mark: false,
                });
            }
            if named.0 == UTF_16LE {
                return utf16(bytes, 0, u16::from_le_bytes).map(|text| (text, named, false));
            }
            if named.0 == UTF_16BE {
                return utf16(bytes, 0, u16::from_be_bytes).map(|text| (text, named, false));
            }
            decode_strictly(bytes, named).map(|text| (Cow::Owned(text.into_bytes()), named, false))
        }
        None if is_utf8 => Ok((Cow::Borrowed(bytes), Encoding::UTF_8, false)),
        None if is_old_mac(bytes) => {
            let text = guess::read_old_mac(bytes).ok_or(DecodeError::UnknownCodePage)?;
            Ok((Cow::Owned(text.into_bytes()), Encoding(MACINTOSH), true))
        }
        None => {
            let (encoding, text) = guess::guess(bytes)?;
            Ok((Cow::Owned(text.into_bytes()), encoding, true))
        }
    }
}

/// The encoding a byte-order mark says, and the bytes after it.
fn byte_order_mark(bytes: &[u8]) -> Option<(Encoding, &[u8])> {
    [
        (&b"\xef\xbb\xbf"[..], UTF_8),
        (b"\xff\xfe", UTF_16LE),
        (b"\xfe\xff", UTF_16BE),
    ]
    .into_iter()
    .find_map(|(mark, encoding)| Some((Encoding(encoding), bytes.strip_prefix(mark)?)))
}

/// UTF-16 text as UTF-8; `skipped` bytes (a byte-order mark) came before.
fn utf16(
    bytes: &[u8],
    skipped: usize,
    unit: fn([u8; 2]) -> u16,
) -> Result<Cow<'static, [u8]>, DecodeError> {
    if !bytes.len().is_multiple_of(2) {
        return Err(DecodeError::BadUtf16 {
            offset: bytes.len() + skipped - 1,
        });
    }
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    let mut text = String::with_capacity(bytes.len() / 2);
    for (i, c) in char::decode_utf16(units).enumerate() {
        match c {
            Ok(c) => text.push(c),
            Err(_) => {
                return Err(DecodeError::BadUtf16 {
                    offset: skipped + 2 * i,
                });
            }
        }
    }
    Ok(Cow::Owned(text.into_bytes()))
}

/// The bytes in an encoding the user named: a byte that is no character
/// in it, or a control character no export writes (what a code page's
/// unused bytes become), is an error at its line and column.
fn decode_strictly(bytes: &[u8], encoding: Encoding) -> Result<String, DecodeError> {
    let mut decoder = encoding.0.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(
        decoder
            .max_utf8_buffer_length_without_replacement(bytes.len())
            .unwrap_or(bytes.len() * 3),
    );
    let (result, _) = decoder.decode_to_string_without_replacement(bytes, &mut text, true);
    let bad_at = match result {
        DecoderResult::InputEmpty => {
            text.find(|c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\0'))
        }
        // The text decoded so far ends where the bad bytes start.
        DecoderResult::Malformed(..) => Some(text.len()),
        DecoderResult::OutputFull => unreachable!("the buffer holds the longest output"),
    };
    match bad_at {
        None => Ok(text),
        Some(at) => {
            let before = &text[..at];
            let line_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
            let lines = before.matches('\n').count() + before.matches('\r').count()
                - before.matches("\r\n").count();
            Err(DecodeError::Malformed {
                encoding,
                line: lines + 1,
                column: before[line_start..].chars().count() + 1,
            })
        }
    }
}

/// Whether `bytes` hold at least one well-formed multi-byte UTF-8 sequence:
/// then the file is UTF-8, and any bad bytes are its rows' problems.
fn has_utf8_sequence(bytes: &[u8]) -> bool {
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(text) => return !text.is_ascii(),
            Err(error) => {
                let (good, bad) = rest.split_at(error.valid_up_to());
                // `valid_up_to` counts whole characters only.
                if !good.is_ascii() {
                    return true;
                }
                rest = &bad[error.error_len().unwrap_or(bad.len()).max(1)..];
            }
        }
    }
}

/// Whether the lines end in CR alone, as on Macs before OS X.
fn is_old_mac(bytes: &[u8]) -> bool {
    !bytes.contains(&b'\n') && bytes.contains(&b'\r')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> Result<(String, String), DecodeError> {
        read_as(bytes, None)
    }

    fn read_as(bytes: &[u8], named: Option<&str>) -> Result<(String, String), DecodeError> {
        let named = named.map(|label| Encoding::from_label(label).unwrap());
        decode(bytes, named).map(|(text, encoding, _)| {
            (
                String::from_utf8(text.into_owned()).unwrap(),
                encoding.to_string(),
            )
        })
    }

    fn pair(text: &str, encoding: &str) -> (String, String) {
        (text.to_string(), encoding.to_string())
    }

    #[test]
    fn utf8_and_utf16_are_read_as_they_say() {
        assert_eq!(read("Zoë".as_bytes()).unwrap(), pair("Zoë", "UTF-8"));
        assert_eq!(
            read(b"\xef\xbb\xbfZo\xc3\xab").unwrap(),
            pair("Zoë", "UTF-8")
        );
        let le: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain("name\tZoë".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(
            read(&le).unwrap(),
            pair("name\tZoë", "UTF-16 (little endian)")
        );
        let be: Vec<u8> = [0xfe, 0xff]
            .into_iter()
            .chain("Иван".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(read(&be).unwrap(), pair("Иван", "UTF-16 (big endian)"));
        assert_eq!(
            read(b"\xff\xfe\x00\xd8a\x00"),
            Err(DecodeError::BadUtf16 { offset: 2 })
        );
    }

    #[test]
    fn a_utf8_file_with_a_bad_byte_stays_utf8() {
        let (text, encoding, guessed) = decode(b"Zo\xc3\xab\nJos\xe9\n", None).unwrap();
        assert_eq!((encoding, guessed), (Encoding::UTF_8, false));
        assert_eq!(&*text, b"Zo\xc3\xab\nJos\xe9\n");
    }

    #[test]
    fn mac_roman_is_read_from_old_mac_files() {
        // As Python's "mac_roman" codec writes them, with CR line ends.
        assert_eq!(
            read(b"name\rJos\x8e L\x97pez\rM\x9fller\r").unwrap(),
            pair("name\rJosé López\rMüller\r", "Mac Roman")
        );
    }

    #[test]
    fn labels_are_whatwg_labels_in_any_case() {
        for (label, name) in [
            ("windows-1250", "Windows-1250"),
            ("CP1250", "Windows-1250"),
            ("latin2", "ISO-8859-2"),
            (" Windows 1254 ", "Windows-1254"),
            ("iso-8859-9", "Windows-1254"),
            ("windows-1251", "Windows-1251"),
            ("shift_jis", "Shift_JIS"),
            ("macintosh", "Mac Roman"),
            ("Mac Roman", "Mac Roman"),
            ("utf8", "UTF-8"),
            ("utf-16le", "UTF-16 (little endian)"),
        ] {
            let encoding = Encoding::from_label(label).unwrap();
            assert_eq!(encoding.to_string(), name, "{label}");
            // The label it is named by reads back as itself.
            assert_eq!(Encoding::from_label(&encoding.label()), Ok(encoding));
        }
        let error = Encoding::from_label("cp1205").unwrap_err().to_string();
        assert!(
            error.starts_with("unknown encoding 'cp1205'; did you mean 'cp1250'?"),
            "{error}"
        );
        assert!(error.contains("windows-1254 (Turkish)"), "{error}");
        // A label WHATWG keeps only to refuse.
        assert!(Encoding::from_label("iso-2022-kr").is_err());
    }

    #[test]
    fn a_named_encoding_reads_what_no_guess_could() {
        // Windows-1250, as Python's "cp1250" codec writes it.
        let czech = b"name\r\nKate\xf8ina Dvo\xf8\xe1kov\xe1\r\n";
        assert_eq!(
            read_as(czech, Some("windows-1250")).unwrap(),
            pair("name\r\nKateřina Dvořáková\r\n", "Windows-1250")
        );
        assert_eq!(
            read_as(czech, Some("windows-1252")).unwrap().0,
            "name\r\nKateøina Dvoøáková\r\n"
        );
        // Baltic, which is never guessed: "Jūratė".
        assert_eq!(
            read_as(b"J\xfbrat\xeb", Some("windows-1257")).unwrap().0,
            "Jūratė"
        );
        // UTF-16 without its mark, once named.
        let bare: Vec<u8> = "name\nZoë\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(read_as(&bare, Some("utf-16le")).unwrap().0, "name\nZoë\n");
    }

    #[test]
    fn a_byte_the_named_encoding_lacks_is_located() {
        // 0xAA is no character in Windows-1253; 0x81 in Windows-1252 is only
        // a control character.
        assert_eq!(
            read_as(b"name\r\nAna\r\n\xc5\xaa\xdd\r\n", Some("windows-1253")),
            Err(DecodeError::Malformed {
                encoding: Encoding::from_label("windows-1253").unwrap(),
                line: 3,
                column: 2,
            })
        );
        assert!(matches!(
            read_as(b"name\nA\x81na\n", Some("windows-1252")),
            Err(DecodeError::Malformed {
                line: 2,
                column: 2,
                ..
            })
        ));
        assert!(matches!(
            read_as(b"name\rAna\rBea \x81\r", Some("shift_jis")),
            Err(DecodeError::Malformed {
                line: 3,
                column: 5,
                ..
            })
        ));
    }

    #[test]
    fn a_file_that_says_otherwise_is_refused() {
        let utf8 = Encoding::UTF_8;
        let cp1250 = Encoding::from_label("windows-1250").unwrap();
        assert_eq!(
            read_as(b"\xef\xbb\xbfname\nZo\xc3\xab\n", Some("windows-1250")),
            Err(DecodeError::Contradicts {
                named: cp1250,
                found: utf8,
                by_mark: true
            })
        );
        assert_eq!(
            read_as("name\nZoë\n".as_bytes(), Some("windows-1250")),
            Err(DecodeError::Contradicts {
                named: cp1250,
                found: utf8,
                by_mark: false
            })
        );
        // A mark that agrees is fine, and plain ASCII is every encoding.
        assert!(read_as(b"\xef\xbb\xbfname\nAna\n", Some("utf-8")).is_ok());
        assert!(read_as(b"name\nAna\n", Some("windows-1250")).is_ok());
    }
}

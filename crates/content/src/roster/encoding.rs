//! Turns a roster's bytes into UTF-8, whatever program wrote them.
//!
//! - UTF-8, with or without a byte-order mark: as it is. A few bytes that
//!   are not UTF-8 in a file that otherwise is are their rows' errors.
//! - UTF-16 with a byte-order mark, little or big endian: Excel's "Unicode
//!   Text".
//! - A file with no UTF-8 in it but bytes above 127 was written in a
//!   single-byte code page. Excel on Windows writes "CSV (Comma delimited)"
//!   in the system's ANSI code page; in Western Europe and the Americas that
//!   is Windows-1252. "CSV (Macintosh)" is Mac Roman, and keeps the old Mac
//!   line end, CR alone, which is how it is told apart. A Windows-1252
//!   reading is used only when it gives plausible text: no control
//!   characters, letters where letters should be. A file from a Central
//!   European, Cyrillic or Greek code page reads as nonsense in
//!   Windows-1252 (`Èâàí` for `Иван`) and is refused, so a name is never
//!   printed garbled.
//!
//! The tables come from Python's `cp1252` and `mac_roman` codecs. They stay
//! here rather than come from `encoding_rs`, which has both: measured on a
//! release build, it adds 171 KB and seven crates for what is two tables of
//! 128 characters. Should more code pages be read, it would pay its way.

use std::borrow::Cow;

/// How a roster's bytes were read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, with or without a byte-order mark.
    Utf8,
    /// UTF-16, little endian, with a byte-order mark.
    Utf16Le,
    /// UTF-16, big endian, with a byte-order mark.
    Utf16Be,
    /// Windows-1252, Excel's "CSV (Comma delimited)" in Western locales.
    Windows1252,
    /// Mac Roman, Excel's "CSV (Macintosh)".
    MacRoman,
}

impl Encoding {
    /// The name people know it by.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16Le => "UTF-16 (little endian)",
            Encoding::Utf16Be => "UTF-16 (big endian)",
            Encoding::Windows1252 => "Windows-1252",
            Encoding::MacRoman => "Mac Roman",
        }
    }

    /// Whether the bytes said which encoding they are in (UTF-8 and UTF-16
    /// do; a code page is a guess).
    pub fn is_guessed(self) -> bool {
        matches!(self, Encoding::Windows1252 | Encoding::MacRoman)
    }
}

/// What to tell the user of a roster whose encoding was guessed.
pub(super) fn guessed_note(encoding: Encoding) -> String {
    let export = match encoding {
        Encoding::MacRoman => "\"CSV (Macintosh)\"",
        _ => "\"CSV (Comma delimited)\" in Western Europe and the Americas",
    };
    format!(
        "read as {}, the encoding of Excel's {export}; \"CSV UTF-8 (Comma delimited)\" is the \
         safer export",
        encoding.name(),
    )
}

/// Why the bytes could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum DecodeError {
    /// UTF-16 with a byte-order mark, but broken.
    BadUtf16 {
        /// Byte offset of the broken unit.
        offset: usize,
    },
    /// Bytes from a code page that is not Windows-1252 or Mac Roman.
    UnknownCodePage,
}

/// The roster's text as UTF-8 bytes (which may still hold bytes that are
/// not UTF-8, when a UTF-8 file has a few bad ones), and how it was read.
pub(super) fn decode(bytes: &[u8]) -> Result<(Cow<'_, [u8]>, Encoding), DecodeError> {
    if let Some(rest) = bytes.strip_prefix(b"\xef\xbb\xbf") {
        return Ok((Cow::Borrowed(rest), Encoding::Utf8));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xff\xfe") {
        return utf16(rest, u16::from_le_bytes).map(|text| (text, Encoding::Utf16Le));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xfe\xff") {
        return utf16(rest, u16::from_be_bytes).map(|text| (text, Encoding::Utf16Be));
    }
    if bytes.is_ascii() || has_utf8_sequence(bytes) {
        return Ok((Cow::Borrowed(bytes), Encoding::Utf8));
    }
    if is_old_mac(bytes) {
        return Ok((
            Cow::Owned(single_byte(bytes, &MAC_ROMAN)?),
            Encoding::MacRoman,
        ));
    }
    let text = single_byte(bytes, &WINDOWS_1252)?;
    let plausible = std::str::from_utf8(&text).is_ok_and(is_plausible);
    if !plausible {
        return Err(DecodeError::UnknownCodePage);
    }
    Ok((Cow::Owned(text), Encoding::Windows1252))
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<Cow<'static, [u8]>, DecodeError> {
    if !bytes.len().is_multiple_of(2) {
        return Err(DecodeError::BadUtf16 {
            offset: bytes.len() + 1,
        });
    }
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    let mut text = String::with_capacity(bytes.len() / 2);
    for (i, c) in char::decode_utf16(units).enumerate() {
        match c {
            Ok(c) => text.push(c),
            // The offset counts the byte-order mark.
            Err(_) => return Err(DecodeError::BadUtf16 { offset: 2 + 2 * i }),
        }
    }
    Ok(Cow::Owned(text.into_bytes()))
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

/// The characters of bytes 0x80 to 0xFF; `None` where the code page has none.
type Table = [Option<char>; 128];

fn single_byte(bytes: &[u8], table: &Table) -> Result<Vec<u8>, DecodeError> {
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 4);
    for &b in bytes {
        if b < 0x80 {
            text.push(char::from(b));
        } else {
            text.push(table[usize::from(b - 0x80)].ok_or(DecodeError::UnknownCodePage)?);
        }
    }
    Ok(text.into_bytes())
}

/// Whether text read as Windows-1252 reads as a Western European language:
/// every character above ASCII a letter or a common mark, no symbol stuck
/// to a letter (`£ukasz` is Polish `Łukasz` in Windows-1250), no word made
/// mostly of accented letters (`Èâàí` is Cyrillic), and no capital inside a
/// word that is not all capitals (`JosŽ` is Mac Roman `José`).
pub(crate) fn is_plausible(text: &str) -> bool {
    // Marks that sit between words or letters in real text: quotes,
    // apostrophes, dashes, the ellipsis, the no-break space.
    const MARKS: &str = "\u{a0}‘’‚“”„–—…«»‹›•·¡¿";
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii() || MARKS.contains(c) {
            continue;
        }
        if c.is_control() {
            return false;
        }
        if !c.is_alphabetic() && c != '°' {
            // A symbol (£ ³ ¼ ©) may stand by a number or alone, not
            // against a letter; the degree sign is followed by its unit.
            let touches = |j: Option<usize>| {
                j.and_then(|j| chars.get(j))
                    .is_some_and(|c| c.is_alphabetic())
            };
            if touches(i.checked_sub(1)) || touches(Some(i + 1)) {
                return false;
            }
        }
    }
    for word in text.split(|c: char| !c.is_alphabetic()) {
        let high = word.chars().filter(|c| !c.is_ascii()).count();
        let low = word.chars().filter(char::is_ascii).count();
        if high >= 2 && high > low {
            return false;
        }
        let all_capitals = word.chars().all(|c| !c.is_lowercase());
        let inner_capital = word
            .chars()
            .zip(word.chars().skip(1))
            .any(|(before, c)| !c.is_ascii() && c.is_uppercase() && before.is_lowercase());
        if inner_capital && !all_capitals {
            return false;
        }
    }
    true
}

const WINDOWS_1252: Table = {
    let mut table = [None; 128];
    // 0xA0 to 0xFF are Latin-1.
    let mut b = 0x20;
    while b < 0x80 {
        table[b] = char::from_u32(0x80 + b as u32);
        b += 1;
    }
    let low = [
        Some('\u{20AC}'),
        None,
        Some('\u{201A}'),
        Some('\u{0192}'),
        Some('\u{201E}'),
        Some('\u{2026}'),
        Some('\u{2020}'),
        Some('\u{2021}'),
        Some('\u{02C6}'),
        Some('\u{2030}'),
        Some('\u{0160}'),
        Some('\u{2039}'),
        Some('\u{0152}'),
        None,
        Some('\u{017D}'),
        None,
        None,
        Some('\u{2018}'),
        Some('\u{2019}'),
        Some('\u{201C}'),
        Some('\u{201D}'),
        Some('\u{2022}'),
        Some('\u{2013}'),
        Some('\u{2014}'),
        Some('\u{02DC}'),
        Some('\u{2122}'),
        Some('\u{0161}'),
        Some('\u{203A}'),
        Some('\u{0153}'),
        None,
        Some('\u{017E}'),
        Some('\u{0178}'),
    ];
    let mut i = 0;
    while i < 32 {
        table[i] = low[i];
        i += 1;
    }
    table
};

const MAC_ROMAN: Table = {
    const CHARS: [u32; 128] = [
        0x00C4, 0x00C5, 0x00C7, 0x00C9, 0x00D1, 0x00D6, 0x00DC, 0x00E1, // 80
        0x00E0, 0x00E2, 0x00E4, 0x00E3, 0x00E5, 0x00E7, 0x00E9, 0x00E8, // 88
        0x00EA, 0x00EB, 0x00ED, 0x00EC, 0x00EE, 0x00EF, 0x00F1, 0x00F3, // 90
        0x00F2, 0x00F4, 0x00F6, 0x00F5, 0x00FA, 0x00F9, 0x00FB, 0x00FC, // 98
        0x2020, 0x00B0, 0x00A2, 0x00A3, 0x00A7, 0x2022, 0x00B6, 0x00DF, // A0
        0x00AE, 0x00A9, 0x2122, 0x00B4, 0x00A8, 0x2260, 0x00C6, 0x00D8, // A8
        0x221E, 0x00B1, 0x2264, 0x2265, 0x00A5, 0x00B5, 0x2202, 0x2211, // B0
        0x220F, 0x03C0, 0x222B, 0x00AA, 0x00BA, 0x03A9, 0x00E6, 0x00F8, // B8
        0x00BF, 0x00A1, 0x00AC, 0x221A, 0x0192, 0x2248, 0x2206, 0x00AB, // C0
        0x00BB, 0x2026, 0x00A0, 0x00C0, 0x00C3, 0x00D5, 0x0152, 0x0153, // C8
        0x2013, 0x2014, 0x201C, 0x201D, 0x2018, 0x2019, 0x00F7, 0x25CA, // D0
        0x00FF, 0x0178, 0x2044, 0x20AC, 0x2039, 0x203A, 0xFB01, 0xFB02, // D8
        0x2021, 0x00B7, 0x201A, 0x201E, 0x2030, 0x00C2, 0x00CA, 0x00C1, // E0
        0x00CB, 0x00C8, 0x00CD, 0x00CE, 0x00CF, 0x00CC, 0x00D3, 0x00D4, // E8
        0xF8FF, 0x00D2, 0x00DA, 0x00DB, 0x00D9, 0x0131, 0x02C6, 0x02DC, // F0
        0x00AF, 0x02D8, 0x02D9, 0x02DA, 0x00B8, 0x02DD, 0x02DB, 0x02C7, // F8
    ];
    let mut table = [None; 128];
    let mut i = 0;
    while i < 128 {
        table[i] = char::from_u32(CHARS[i]);
        i += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> Result<(String, Encoding), DecodeError> {
        decode(bytes)
            .map(|(text, encoding)| (String::from_utf8(text.into_owned()).unwrap(), encoding))
    }

    #[test]
    fn utf8_and_utf16_are_read_as_they_say() {
        assert_eq!(
            read("Zoë".as_bytes()).unwrap(),
            ("Zoë".into(), Encoding::Utf8)
        );
        assert_eq!(
            read(b"\xef\xbb\xbfZo\xc3\xab").unwrap(),
            ("Zoë".into(), Encoding::Utf8)
        );
        let le: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain("name\tZoë".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(read(&le).unwrap(), ("name\tZoë".into(), Encoding::Utf16Le));
        let be: Vec<u8> = [0xfe, 0xff]
            .into_iter()
            .chain("Иван".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(read(&be).unwrap(), ("Иван".into(), Encoding::Utf16Be));
        assert_eq!(
            read(b"\xff\xfe\x00\xd8a\x00"),
            Err(DecodeError::BadUtf16 { offset: 2 })
        );
    }

    #[test]
    fn a_utf8_file_with_a_bad_byte_stays_utf8() {
        let (text, encoding) = decode(b"Zo\xc3\xab\nJos\xe9\n").unwrap();
        assert_eq!(encoding, Encoding::Utf8);
        assert_eq!(&*text, b"Zo\xc3\xab\nJos\xe9\n");
    }

    #[test]
    fn windows_1252_is_read_when_it_reads_as_western_text() {
        // As Python's "cp1252" codec writes them.
        let bytes = b"name\r\nJos\xe9 L\xf3pez\r\nZo\xeb N\xed Bhriain\r\nM\xfcller\r\n\
                      Concei\xe7\xe3o\r\nGr\xf6\xdfe\r\nO\x92Brien\r\n\xc6gir \xd8ster\r\n";
        let (text, encoding) = read(bytes).unwrap();
        assert_eq!(encoding, Encoding::Windows1252);
        assert_eq!(
            text,
            "name\r\nJosé López\r\nZoë Ní Bhriain\r\nMüller\r\nConceição\r\nGröße\r\n\
             O’Brien\r\nÆgir Øster\r\n"
        );
    }

    #[test]
    fn other_code_pages_are_refused_rather_than_garbled() {
        for (what, bytes) in [
            (
                "Cyrillic 1251: Иван Петров",
                &b"name\r\n\xc8\xe2\xe0\xed \xcf\xe5\xf2\xf0\xee\xe2\r\n"[..],
            ),
            ("Greek 1253: Ελένη", b"name\r\n\xc5\xeb\xdd\xed\xe7\r\n"),
            ("Polish 1250: Łukasz", b"name\r\n\xa3ukasz\r\n"),
            ("Polish 1250: Małgorzata", b"name\r\nMa\xb3gorzata\r\n"),
            ("Mac Roman with LF: José", b"name\nJos\x8e\n"),
            ("an undefined byte", b"name\r\nA\x81\r\n"),
        ] {
            assert_eq!(read(bytes), Err(DecodeError::UnknownCodePage), "{what}");
        }
    }

    #[test]
    fn mac_roman_is_read_from_old_mac_files() {
        // As Python's "mac_roman" codec writes them, with CR line ends.
        let (text, encoding) = read(b"name\rJos\x8e L\x97pez\rM\x9fller\r").unwrap();
        assert_eq!(encoding, Encoding::MacRoman);
        assert_eq!(text, "name\rJosé López\rMüller\r");
    }

    #[test]
    fn plausibility_catches_utf8_read_as_1252() {
        for garbled in ["LÃ³pez", "MÃ¼ller", "JosÃ©"] {
            assert!(!is_plausible(garbled), "{garbled}");
        }
        for fine in ["£12", "30 °C", "Ana – Bea", "O’Brien", "ÉLOÏSE", "Zoë"] {
            assert!(is_plausible(fine), "{fine}");
        }
    }
}

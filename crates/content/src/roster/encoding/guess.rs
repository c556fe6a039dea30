//! Which code page a roster is in, when nothing says so.
//!
//! Excel's "CSV (Comma delimited)" is written in Windows' ANSI code page:
//! Windows-1252 in Western Europe and the Americas, 1250 in Central Europe,
//! 1254 in Turkey, 1257 in the Baltic states, 1251 for Cyrillic, 1253 for
//! Greek. The bytes do not say which, and most of them mean letters in all
//! six: byte 0xF8 is `ø` in
//! 1252 and `ř` in 1250, so `Kateřina` in one is `Kateøina` in the other.
//! A reading must therefore be judged as text, in two steps:
//!
//! 1. Each code page's reading must look like text at all ([`is_plausible`]):
//!    no control characters, no symbol stuck to a letter (`£ukasz` is Polish
//!    `Łukasz`), no word made mostly of accented letters (`Èâàí` is Cyrillic
//!    `Иван`), no Latin letter in a Cyrillic or Greek word, no capital after a
//!    small letter in a word that is not all capitals.
//! 2. Of the readings left, only the letters where they differ are weighed:
//!    each such letter with the letters either side of it, by how often that
//!    pair stands in names of the languages the code page is written in
//!    ([`letters`](super::letters)), each word in its likeliest language.
//!    `eř` and `ři` are common in Czech names; `eø` and `øi` stand in no
//!    Danish or Norwegian one.
//!
//! The best reading is used only when it beats every other different one
//! by [`MARGIN`]: by then it holds several pairs that are at least ten
//! times likelier than the other's. Otherwise the roster is refused, with
//! how a word reads in each, so that the user names the code page: a name
//! is either read right or not printed. Western rosters read as before
//! wherever their letters mean the same in Windows-1250 and 1254 (`José`,
//! `Zoë`, `François Müller`, `Siân`), which is most of them; a lone
//! `Hélène` may be refused, as `Hélčne` is a plausible Czech spelling
//! pair by pair.
//!
//! `chardetng`, Firefox's detector, was measured first, on rosters of one
//! or two names: with no top-level domain to go by, it read `Hélène` as
//! Windows-1250 (`Hélčne`), `Karel Čapek` as 1252 (`Èapek`) and `Emre Doğan`
//! as 1250 (`Dođan`), and it gives one answer with no measure of doubt, so
//! it could not say when to refuse. It is tuned for web pages, which hold
//! far more words than a roster's names.

use super::letters::{self, Language};
use super::{DecodeError, Encoding, Reading};

use encoding_rs::{
    MACINTOSH, WINDOWS_1250, WINDOWS_1251, WINDOWS_1252, WINDOWS_1253, WINDOWS_1254, WINDOWS_1257,
};

/// By how much, in natural log of likelihood, the best reading must beat
/// every other. Measured on Faker's names held out from the counts, with
/// one or two names a roster, it refused about one Western and one Central
/// European roster in ten and garbled about one in a hundred, only where
/// an Icelandic name met a Turkish spelling of it.
const MARGIN: f64 = 4.0;

/// The lowest mean log share a reading's weighed pairs may have, in a
/// Latin page and in a Cyrillic or Greek one: below it the reading is no
/// language's, even if the others are worse. Names read right average
/// above -9 and -7.3 in all but one word in a hundred; Cyrillic read in a
/// Latin page averages -11.
const FLOOR: [f64; 2] = [-10.0, -7.0];

/// A code page a roster may be guessed to be in.
struct Page {
    encoding: &'static encoding_rs::Encoding,
    /// The languages written in it, by their codes in `letters.txt`.
    languages: &'static [&'static str],
    /// Whether its letters beyond ASCII are Latin ones.
    latin: bool,
    /// Whether a roster may be read in it on a guess. A page that may not
    /// is a witness: when its reading is as likely as the best, the roster
    /// is refused, but it is never chosen, as its languages' names are
    /// too few in the counts to tell it from the others with confidence.
    guessed: bool,
}

/// The pages, Windows-1252 first: where readings are the same, it is the
/// one named.
const PAGES: [Page; 6] = [
    Page {
        encoding: WINDOWS_1252,
        languages: &[
            "en", "ga", "fr", "de", "es", "pt", "it", "nl", "da", "no", "sv", "fi", "is",
        ],
        latin: true,
        guessed: true,
    },
    Page {
        encoding: WINDOWS_1250,
        languages: &["cs", "sk", "pl", "hu", "ro", "hr", "sl", "de"],
        latin: true,
        guessed: true,
    },
    Page {
        encoding: WINDOWS_1254,
        languages: &[
            "tr", "en", "ga", "fr", "de", "es", "pt", "it", "nl", "da", "no", "sv", "fi",
        ],
        latin: true,
        guessed: true,
    },
    Page {
        encoding: WINDOWS_1257,
        languages: &["lv", "lt", "et"],
        latin: true,
        guessed: false,
    },
    Page {
        encoding: WINDOWS_1251,
        languages: &["ru", "uk", "bg", "mk"],
        latin: false,
        guessed: true,
    },
    Page {
        encoding: WINDOWS_1253,
        languages: &["el"],
        latin: false,
        guessed: true,
    },
];

/// The characters of bytes 0x80 to 0xFF; `None` where the page has none.
type Table = [Option<char>; 128];

fn table(encoding: &'static encoding_rs::Encoding) -> Table {
    let mut table = [None; 128];
    for (byte, slot) in (0x80..=0xff_u8).zip(table.iter_mut()) {
        *slot = encoding
            .decode_without_bom_handling_and_without_replacement(&[byte])
            .and_then(|text| text.chars().next());
    }
    table
}

/// A byte's character in a page; `None` where it has none.
fn char_of(table: &Table, byte: u8) -> Option<char> {
    if byte < 0x80 {
        Some(char::from(byte))
    } else {
        table[usize::from(byte - 0x80)]
    }
}

/// The text of an old Mac's export, if it reads as text in Mac Roman.
pub(super) fn read_old_mac(bytes: &[u8]) -> Option<String> {
    let table = table(MACINTOSH);
    is_plausible(bytes, &table, Script::Western).then(|| decode(bytes, &table))
}

fn decode(bytes: &[u8], table: &Table) -> String {
    bytes
        .iter()
        .filter_map(|&byte| char_of(table, byte))
        .collect()
}

/// The code page that reads `bytes` as the one likely text, and the text;
/// refused when none reads as text, or when several read as different
/// text and none is clearly likelier.
pub(super) fn guess(bytes: &[u8]) -> Result<(Encoding, String), DecodeError> {
    let mut present = [false; 128];
    for &byte in bytes.iter().filter(|byte| !byte.is_ascii()) {
        present[usize::from(byte - 0x80)] = true;
    }
    // The pages whose reading is text, each with its table.
    let pages: Vec<(&Page, Table)> = PAGES
        .iter()
        .map(|page| (page, table(page.encoding)))
        .filter(|(page, table)| {
            let script = if page.latin {
                Script::Latin
            } else {
                Script::Other
            };
            is_plausible(bytes, table, script)
        })
        .collect();
    // Readings that are the same text are one reading, by its first page.
    let mut readings: Vec<Vec<usize>> = Vec::new();
    for (i, (_, table)) in pages.iter().enumerate() {
        let same = |other: &usize| (0..128).all(|b| !present[b] || pages[*other].1[b] == table[b]);
        match readings.iter_mut().find(|group| same(&group[0])) {
            Some(group) => group.push(i),
            None => readings.push(vec![i]),
        }
    }
    if readings.len() <= 1 {
        let (page, table) = readings
            .first()
            .and_then(|group| group.iter().find(|&&i| pages[i].0.guessed))
            .map(|&i| &pages[i])
            .ok_or(DecodeError::UnknownCodePage)?;
        return Ok((Encoding(page.encoding), decode(bytes, table)));
    }
    // Only the bytes the readings differ on are weighed.
    let mut differs = [false; 128];
    for (b, slot) in differs.iter_mut().enumerate() {
        *slot = present[b] && pages.iter().any(|(_, table)| table[b] != pages[0].1[b]);
    }
    let mut scored: Vec<(f64, usize)> = readings
        .iter()
        .enumerate()
        .map(|(r, group)| {
            let (score, pairs) = group
                .iter()
                .map(|&i| weigh(bytes, pages[i].0, &pages[i].1, &differs))
                .fold((f64::NEG_INFINITY, 0), |best, this| {
                    if this.0 > best.0 { this } else { best }
                });
            let mean = if pairs == 0 {
                0.0
            } else {
                score / pairs as f64
            };
            let floor = FLOOR[usize::from(!pages[group[0]].0.latin)];
            (
                if mean < floor {
                    f64::NEG_INFINITY
                } else {
                    score
                },
                r,
            )
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let best = scored[0].0;
    if best == f64::NEG_INFINITY {
        return Err(DecodeError::UnknownCodePage);
    }
    let mut close: Vec<usize> = scored
        .iter()
        .take_while(|(score, _)| best - score < MARGIN)
        .map(|(_, r)| readings[*r][0])
        .collect();
    // A witness's reading that wins is never taken: the roster is refused,
    // showing it beside the likeliest reading a guess may take.
    if close.len() == 1 && !pages[close[0]].0.guessed {
        let next = scored
            .iter()
            .skip(1)
            .find(|(score, _)| *score > f64::NEG_INFINITY)
            .ok_or(DecodeError::UnknownCodePage)?;
        close.push(readings[next.1][0]);
    }
    if close.len() > 1 {
        let (at, readings) = examples(bytes, &pages, &close);
        let before = &bytes[..at];
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n' || b == b'\r')
            .map_or(0, |i| i + 1);
        return Err(DecodeError::Ambiguous {
            line: 1
                + before.iter().filter(|&&b| b == b'\n').count()
                + before.iter().filter(|&&b| b == b'\r').count()
                - before.windows(2).filter(|pair| pair == b"\r\n").count(),
            column: 1 + at - line_start,
            readings,
        });
    }
    let (page, table) = &pages[close[0]];
    Ok((Encoding(page.encoding), decode(bytes, table)))
}

/// How likely a page's reading is where the readings differ: the sum,
/// over each word holding such a letter, of the log shares of the
/// letter's pairs in the word's likeliest language; and how many pairs.
fn weigh(bytes: &[u8], page: &Page, table: &Table, differs: &[bool; 128]) -> (f64, usize) {
    let languages: Vec<&Language> = page
        .languages
        .iter()
        .map(|code| letters::language(code))
        .collect();
    let letter = |i: usize| char_of(table, bytes[i]).filter(|&c| is_letter(c));
    let (mut score, mut pairs) = (0.0, 0);
    let mut i = 0;
    while i < bytes.len() {
        if letter(i).is_none() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && letter(i).is_some() {
            i += 1;
        }
        let word = start..i;
        let weighed: Vec<usize> = word
            .clone()
            .filter(|&j| !bytes[j].is_ascii() && differs[usize::from(bytes[j] - 0x80)])
            .collect();
        if weighed.is_empty() {
            continue;
        }
        let lower = |j: usize| letter(j).map_or(' ', |c| c.to_lowercase().next().unwrap_or(c));
        let around = |j: usize| {
            let before = if j == word.start { '^' } else { lower(j - 1) };
            let after = if j + 1 == word.end { '$' } else { lower(j + 1) };
            [(before, lower(j)), (lower(j), after)]
        };
        score += languages
            .iter()
            .map(|language| {
                weighed
                    .iter()
                    .flat_map(|&j| around(j))
                    .map(|pair| {
                        if page.guessed {
                            language.log_share(pair)
                        } else {
                            language.witness_log_share(pair)
                        }
                    })
                    .sum::<f64>()
            })
            .fold(f64::NEG_INFINITY, f64::max);
        pairs += 2 * weighed.len();
    }
    (score, pairs)
}

/// The first word the close readings differ on: where it starts, and how
/// each reads it.
fn examples(bytes: &[u8], pages: &[(&Page, Table)], close: &[usize]) -> (usize, Vec<Reading>) {
    let differs = |&byte: &u8| {
        !byte.is_ascii()
            && close.iter().any(|&i| {
                pages[i].1[usize::from(byte - 0x80)] != pages[close[0]].1[usize::from(byte - 0x80)]
            })
    };
    let at = bytes.iter().position(differs).unwrap_or(0);
    let is_break = |byte: &u8| byte.is_ascii_whitespace() || b",;\"".contains(byte);
    let start = bytes[..at]
        .iter()
        .rposition(is_break)
        .map_or(0, |i| i + 1)
        .max(at.saturating_sub(30));
    let end = bytes[at..]
        .iter()
        .position(is_break)
        .map_or(bytes.len(), |i| at + i)
        .min(at + 30);
    let readings = close
        .iter()
        .map(|&i| Reading {
            encoding: Encoding(pages[i].0.encoding),
            example: crate::text::excerpt(&decode(&bytes[start..end], &pages[i].1)),
        })
        .collect();
    (start, readings)
}

/// Whether a character counts as a letter of a word: the ordinal marks
/// `ª` and `º` are letters to Unicode but abbreviations in text (`Mª`).
fn is_letter(c: char) -> bool {
    c.is_alphabetic() && !matches!(c, 'ª' | 'º')
}

/// The letters a page's words are made of.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    /// Latin, mostly ASCII: Mac Roman, the one page read with no other to
    /// weigh it against.
    Western,
    /// Latin, where a word may be all accented letters (Polish `Żółć`).
    Latin,
    /// Cyrillic or Greek.
    Other,
}

/// Whether a page's reading of the bytes looks like text at all: every
/// character above ASCII a letter or a common mark, no symbol stuck to a
/// letter (`£ukasz` is Polish `Łukasz` in Windows-1250), and no word that
/// reads as no language's: mostly accented letters in Western text
/// (`Èâàí` is Cyrillic), Latin letters among a Cyrillic or Greek page's, a
/// final sigma inside a word, or a capital after a small letter in a word
/// that is not all capitals (`JosŽ` is Mac Roman `José`).
fn is_plausible(bytes: &[u8], table: &Table, script: Script) -> bool {
    // Marks that sit between words or letters in real text: quotes,
    // apostrophes, dashes, the ellipsis, the no-break space.
    const MARKS: &str = "\u{a0}‘’‚“”„–—…«»‹›•·";
    let at = |i: Option<usize>| {
        i.and_then(|i| bytes.get(i))
            .and_then(|&b| char_of(table, b))
    };
    let touches = |i: Option<usize>| at(i).is_some_and(is_letter);
    for (i, &byte) in bytes.iter().enumerate() {
        if byte.is_ascii() {
            continue;
        }
        let Some(c) = char_of(table, byte) else {
            return false;
        };
        let (before, after) = (i.checked_sub(1), Some(i + 1));
        let fits = match c {
            _ if MARKS.contains(c) => true,
            _ if c.is_control() => false,
            // Spanish opens a question or exclamation with them.
            '¡' | '¿' => !touches(before),
            // Nº, 1º, Mª.
            'ª' | 'º' => at(before).is_some_and(|c| c.is_alphanumeric()) && !touches(after),
            _ if is_letter(c) => true,
            // The degree sign is followed by its unit.
            '°' => !touches(before),
            // A symbol (£ ³ ¼ ©) may stand by a number or alone, not
            // against a letter.
            _ => !touches(before) && !touches(after),
        };
        if !fits {
            return false;
        }
    }
    let mut i = 0;
    while i < bytes.len() {
        if !touches(Some(i)) {
            i += 1;
            continue;
        }
        let start = i;
        while touches(Some(i)) {
            i += 1;
        }
        let word: Vec<char> = (start..i).filter_map(|j| at(Some(j))).collect();
        if !is_word(&word, script) {
            return false;
        }
    }
    true
}

/// Whether a word's letters could be some language's.
fn is_word(word: &[char], script: Script) -> bool {
    let high = word.iter().filter(|c| !c.is_ascii()).count();
    let low = word.len() - high;
    if script == Script::Western && high >= 2 && high > low {
        return false;
    }
    if script == Script::Other && high > 0 && low > 0 {
        return false;
    }
    if word.iter().rev().skip(1).any(|&c| c == 'ς') {
        return false;
    }
    let all_capitals = word.iter().all(|c| !c.is_lowercase());
    let inner_capital = word
        .windows(2)
        .any(|pair| !pair[1].is_ascii() && pair[1].is_uppercase() && pair[0].is_lowercase());
    !inner_capital || all_capitals
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How `text`, written in `code_page`, is guessed: the text read and
    /// its encoding, or the refusal.
    fn guessed(
        text: &str,
        code_page: &'static encoding_rs::Encoding,
    ) -> Result<(String, String), DecodeError> {
        let (bytes, _, lossy) = code_page.encode(text);
        assert!(!lossy, "{text} is not all in {}", code_page.name());
        guess(&bytes).map(|(encoding, text)| (text, encoding.to_string()))
    }

    #[track_caller]
    fn assert_read(names: &str, code_page: &'static encoding_rs::Encoding, as_: &str) {
        let text = format!("name\r\n{}\r\n", names.replace('|', "\r\n"));
        assert_eq!(
            guessed(&text, code_page),
            Ok((text.clone(), as_.to_string())),
            "{names}"
        );
    }

    #[track_caller]
    fn assert_ambiguous(
        names: &str,
        code_page: &'static encoding_rs::Encoding,
        examples: &[(&str, &str)],
    ) {
        let text = format!("name\r\n{}\r\n", names.replace('|', "\r\n"));
        let Err(DecodeError::Ambiguous {
            line: 2, readings, ..
        }) = guessed(&text, code_page)
        else {
            panic!("{names}: {:?}", guessed(&text, code_page));
        };
        let readings: Vec<(String, String)> = readings
            .into_iter()
            .map(|reading| (reading.encoding.to_string(), reading.example))
            .collect();
        let expected: Vec<(String, String)> = examples
            .iter()
            .map(|(encoding, example)| (encoding.to_string(), example.to_string()))
            .collect();
        assert_eq!(readings, expected, "{names}");
    }

    #[test]
    fn western_rosters_read_as_windows_1252() {
        for names in [
            "José García|Zoë Brontë|François Müller|Siân Hâf",
            "José López|Zoë Ní Bhriain|Françoise Müller|Ægir Østergaard",
            "Søren Bjørn|Åsa Håkonsen",
            "María Muñoz Peña|João Conceição",
            "Guðrún Þórsdóttir",
            "Siobhán Ó Dónaill|Jürgen Groß",
            "Mª José|£12",
            "O’Brien – 30 °C",
        ] {
            assert_read(names, WINDOWS_1252, "Windows-1252");
        }
    }

    #[test]
    fn central_european_turkish_cyrillic_and_greek_are_told_apart() {
        for names in [
            "Kateřina Dvořáková",
            "Łucja Żółć",
            "Karel Čapek",
            "Jiří Novák",
            "Łukasz Wójcik|Małgorzata Żak",
            "Ştefan Ţurcanu",
            "Đorđe Petrović",
        ] {
            assert_read(names, WINDOWS_1250, "Windows-1250");
        }
        for names in ["Ayşe Yılmaz", "Ayşe Yılmaz|Emre Doğan|Fatma Şahin"] {
            assert_read(names, WINDOWS_1254, "Windows-1254");
        }
        assert_read("Иван Петров|Олена Коваленко", WINDOWS_1251, "Windows-1251");
        assert_read("Ελένη Παπαδοπούλου", WINDOWS_1253, "Windows-1253");
    }

    #[test]
    fn letters_that_read_as_well_either_way_are_refused() {
        // `ş` is `þ` in Windows-1252, and `lþ` stands in Icelandic names.
        assert_ambiguous(
            "Gülşen Öztürk",
            WINDOWS_1254,
            &[("Windows-1254", "Gülşen"), ("Windows-1252", "Gülþen")],
        );
        // Word-initial `Þ` is Icelandic, and `Ž` Lithuanian.
        assert_ambiguous(
            "Fatma Şahin",
            WINDOWS_1254,
            &[
                ("Windows-1254", "Şahin"),
                ("Windows-1257", "Žahin"),
                ("Windows-1252", "Þahin"),
            ],
        );
        assert_ambiguous(
            "Hélène Dubois",
            WINDOWS_1252,
            &[("Windows-1250", "Hélčne"), ("Windows-1252", "Hélène")],
        );
    }

    #[test]
    fn a_baltic_reading_is_never_taken_and_refuses_when_it_is_likely() {
        // Latvian `ņ` is `ň` in Windows-1250: "Ozoliňa" is a plausible Czech
        // spelling, but Windows-1257, a witness, reads a likelier name.
        let bytes = WINDOWS_1257.encode("name\r\nIeva Ozoliņa\r\n").0;
        match guess(&bytes) {
            Err(DecodeError::Ambiguous { readings, .. }) => {
                assert!(
                    readings
                        .iter()
                        .any(|reading| reading.encoding.to_string() == "Windows-1257"
                            && reading.example == "Ozoliņa"),
                    "{readings:?}"
                );
            }
            other => panic!("{other:?}"),
        }
        for name in ["Jānis Bērziņš", "Rūta Šimkūnaitė"] {
            let text = format!("name\r\n{name}\r\n");
            let bytes = WINDOWS_1257.encode(&text).0;
            assert!(guess(&bytes).is_err(), "{name}");
        }
        // Western names it reads as nonsense (`Garcķa`) are read as before.
        assert_read(
            "José García|Zoë Brontë|François Müller|Siân Hâf",
            WINDOWS_1252,
            "Windows-1252",
        );
    }

    #[test]
    fn text_no_page_reads_is_refused() {
        for bytes in [
            // Hebrew, Windows-1255: שרה כהן.
            &b"name\r\n\xf9\xf8\xe4 \xeb\xe4\xef\r\n"[..],
            // Bytes that are nothing in any page: an undefined byte against
            // a letter.
            b"name\r\nA\x81b\r\n",
        ] {
            assert_eq!(guess(bytes), Err(DecodeError::UnknownCodePage), "{bytes:?}");
        }
    }

    #[test]
    fn plausibility_catches_garbled_readings() {
        let page = |encoding| table(encoding);
        let cp1252 = page(WINDOWS_1252);
        let plausible = |text: &str| {
            let (bytes, _, _) = WINDOWS_1252.encode(text);
            is_plausible(&bytes, &cp1252, Script::Western)
        };
        for garbled in [
            "LÃ³pez",
            "MÃ¼ller",
            "JosÃ©",
            "Èâàí",
            "£ukasz",
            "Ma³gorzata",
            "JosŽ",
        ] {
            assert!(!plausible(garbled), "{garbled}");
        }
        for fine in [
            "£12",
            "30 °C",
            "Ana – Bea",
            "O’Brien",
            "ÉLOÏSE",
            "Zoë",
            "¿Qué?",
            "Nº 5",
        ] {
            assert!(plausible(fine), "{fine}");
        }
        // A Latin letter in a Cyrillic word.
        let (bytes, _, _) = WINDOWS_1251.encode("Ивaн");
        assert!(!is_plausible(&bytes, &page(WINDOWS_1251), Script::Other));
    }
}

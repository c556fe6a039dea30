//! File names for a day's handouts: from a template, safe on every common
//! file system, and distinct.

use std::collections::HashSet;

use handout_content::{Date, RosterRow, is_format_char};
use unicode_normalization::UnicodeNormalization;

/// The most bytes a file name may have, extension included.
pub const MAX_NAME_BYTES: usize = 100;

/// Whether Windows reserves `stem` for a device, whatever its extension:
/// `CON`, `PRN`, `AUX`, `NUL`, `CONIN$`, `CONOUT$`, and `COM` or `LPT`
/// with a digit, superscript 1, 2 and 3 included (`COM0`, `LPT¹`), in any
/// case. Writing to such a name writes to the device.
fn is_device_name(stem: &str) -> bool {
    let device = stem.split('.').next().unwrap_or("").trim_end_matches(' ');
    let upper = device.to_ascii_uppercase();
    if ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"].contains(&upper.as_str()) {
        return true;
    }
    let Some(rest) = upper
        .strip_prefix("COM")
        .or_else(|| upper.strip_prefix("LPT"))
    else {
        return false;
    };
    let mut chars = rest.chars();
    matches!(
        (chars.next(), chars.next()),
        (Some('0'..='9' | '¹' | '²' | '³'), None)
    )
}

/// A file name template such as `{id}-{name}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    segments: Vec<Segment>,
}

/// A segment of a template: text as written, or a placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Text(String),
    Id,
    Row,
    Name,
    Date,
}

/// What a template can name.
pub struct TemplateValues<'a> {
    /// The record number, if the row has one.
    pub id: Option<&'a str>,
    /// The row's line in the roster.
    pub row: usize,
    /// The patient's name.
    pub name: &'a str,
    /// The handout's date, YYYY-MM-DD.
    pub date: &'a str,
}

impl Template {
    /// Parses a template; placeholders are `{id}`, `{row}`, `{name}` and `{date}`.
    pub fn parse(text: &str) -> Result<Template, String> {
        let mut segments = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                segments.push(Segment::Text(rest[..open].to_string()));
            }
            let close = rest[open..]
                .find('}')
                .ok_or_else(|| format!("the name template '{text}' has a '{{' without its '}}'"))?;
            segments.push(match &rest[open + 1..open + close] {
                "id" => Segment::Id,
                "row" => Segment::Row,
                "name" => Segment::Name,
                "date" => Segment::Date,
                other => {
                    return Err(format!(
                        "the name template '{text}' has an unknown placeholder '{{{other}}}'; \
                         use {{id}}, {{row}}, {{name}} and {{date}}"
                    ));
                }
            });
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            segments.push(Segment::Text(rest.to_string()));
        }
        if !segments
            .iter()
            .any(|part| matches!(part, Segment::Id | Segment::Row))
        {
            return Err(format!(
                "the name template '{text}' needs {{id}} or {{row}}, so that every patient's \
                 file has its own name"
            ));
        }
        Ok(Template { segments })
    }

    /// The default: `{id}-{name}`, or `{row}-{name}` for a row without an id.
    pub fn default_for(has_id: bool) -> Template {
        let first = if has_id { Segment::Id } else { Segment::Row };
        Template {
            segments: vec![first, Segment::Text("-".into()), Segment::Name],
        }
    }

    /// Whether the template uses `{id}`.
    pub fn uses_id(&self) -> bool {
        self.segments.contains(&Segment::Id)
    }

    /// The file name for a row, made safe, with `.pdf`.
    pub fn file_name(&self, fields: &TemplateValues<'_>) -> String {
        let mut raw = String::new();
        for segment in &self.segments {
            match segment {
                Segment::Text(text) => raw.push_str(text),
                Segment::Id => raw.push_str(fields.id.unwrap_or("")),
                Segment::Row => raw.push_str(&fields.row.to_string()),
                Segment::Name => raw.push_str(fields.name),
                Segment::Date => raw.push_str(fields.date),
            }
        }
        format!("{}.pdf", safe_stem(&raw, MAX_NAME_BYTES - ".pdf".len()))
    }
}

/// Every row's file name, failed rows too, so that a name does not change
/// when another row is fixed: `template`'s, or `{id}-{name}` (`{row}-{name}`
/// for a row without an id, or when no row has one).
pub fn file_names(rows: &[RosterRow], template: Option<&Template>, date: Date) -> Vec<String> {
    let mut names = Names::default();
    fn id_of(row: &RosterRow) -> Option<&str> {
        row.id.as_deref().map(str::trim).filter(|id| !id.is_empty())
    }
    let has_ids = rows.iter().any(|row| id_of(row).is_some());
    let date = date.to_string();
    rows.iter()
        .map(|row| {
            let id = id_of(row);
            let template = match template {
                Some(template) if template.uses_id() && id.is_none() => {
                    Template::default_for(false)
                }
                Some(template) => template.clone(),
                None => Template::default_for(has_ids && id.is_some()),
            };
            let name = row.request.name.as_deref().unwrap_or("").trim();
            names.claim(template.file_name(&TemplateValues {
                id,
                row: row.line,
                name,
                date: &date,
            }))
        })
        .collect()
}

/// Characters a name may not start with: a leading dot hides the file, and
/// `=`, `+`, `-` and `@` start a formula in a spreadsheet that lists it.
const BAD_START: [char; 7] = ['.', '-', '_', '=', '+', '@', '\''];

/// Makes `raw` a file name stem that every common file system accepts and
/// that shows what it is: no path separators or reserved characters, no
/// control or invisible format characters (a right-to-left override would
/// make `gpj.exe` show as `exe.jpg`), composed accents (NFC, as macOS and
/// Windows users type them), no leading dots or formula characters, no
/// trailing dots or spaces, not a Windows device name, at most `max` bytes.
/// Letters with accents are kept; spaces become '-'.
pub fn safe_stem(raw: &str, max: usize) -> String {
    let raw: String = raw.nfc().filter(|&c| !is_format_char(c)).collect();
    // ".." is a way out of a folder in a path; in a name it only misleads.
    let raw = raw.replace("..", "_");
    let mut stem = String::with_capacity(raw.len());
    for c in raw.chars() {
        let c = match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c if c.is_whitespace() => '-',
            c => c,
        };
        // Collapse runs of separators left by the replacements.
        if (c == '-' || c == '_') && stem.ends_with(c) {
            continue;
        }
        stem.push(c);
    }
    let mut stem = stem
        .trim_start_matches(BAD_START)
        .trim_end_matches(['.', ' ', '-', '_'])
        .to_string();
    if stem.is_empty() {
        stem = "handout".to_string();
    }
    if is_device_name(&stem) {
        stem.insert(0, '_');
    }
    truncate(&mut stem, max);
    stem
}

fn truncate(text: &mut String, max: usize) {
    if text.len() > max {
        let mut end = max;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        let trimmed = text.trim_end_matches(['.', ' ', '-', '_']).len();
        text.truncate(trimmed);
    }
}

/// Hands out distinct names: a name already taken, compared as a
/// case-insensitive file system would, gets "-2", "-3", ... before `.pdf`.
#[derive(Debug, Default)]
pub struct Names {
    taken: HashSet<String>,
}

impl Names {
    /// The name to use for `wanted`, which ends in `.pdf`.
    pub fn claim(&mut self, wanted: String) -> String {
        if self.taken.insert(wanted.to_lowercase()) {
            return wanted;
        }
        let stem = wanted.strip_suffix(".pdf").unwrap_or(&wanted);
        for n in 2.. {
            let suffix = format!("-{n}.pdf");
            let mut base = stem.to_string();
            truncate(&mut base, MAX_NAME_BYTES - suffix.len());
            let candidate = format!("{base}{suffix}");
            if self.taken.insert(candidate.to_lowercase()) {
                return candidate;
            }
        }
        unreachable!("some suffix is always free")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(template: &str, id: Option<&str>, row: usize, name: &str) -> String {
        Template::parse(template)
            .unwrap()
            .file_name(&TemplateValues {
                id,
                row,
                name,
                date: "2026-11-25",
            })
    }

    #[test]
    fn templates_fill_in_fields() {
        assert_eq!(
            name("{id}-{name}", Some("0042"), 7, "Ana López"),
            "0042-Ana-López.pdf"
        );
        assert_eq!(
            name("{row}-{name}", None, 7, "Ana López"),
            "7-Ana-López.pdf"
        );
        assert_eq!(name("{date}_{row}", None, 7, "x"), "2026-11-25_7.pdf");
    }

    #[test]
    fn bad_templates_are_refused() {
        assert!(
            Template::parse("{nmae}-{row}")
                .unwrap_err()
                .contains("unknown placeholder '{nmae}'")
        );
        assert!(
            Template::parse("{name}")
                .unwrap_err()
                .contains("needs {id} or {row}")
        );
        assert!(Template::parse("{row").unwrap_err().contains("without its"));
    }

    #[test]
    fn names_cannot_escape_or_break_the_folder() {
        for hostile in [
            "../../etc/passwd",
            "..\\..\\x",
            "/abs/path",
            "a:b*c?d\"e<f>g|h",
            "..",
            ".",
            " . ",
        ] {
            let stem = safe_stem(hostile, 96);
            assert!(
                !stem.contains(['/', '\\', ':', '*', '?', '"', '<', '>', '|']),
                "{stem}"
            );
            assert!(!stem.starts_with('.'), "{stem}");
            assert!(!stem.is_empty());
        }
        assert_eq!(safe_stem("../../etc/passwd", 96), "etc_passwd");
        assert_eq!(safe_stem("0020-../../etc/passwd", 96), "0020-_etc_passwd");
        assert!(!safe_stem("a...b", 96).contains(".."));
        assert_eq!(safe_stem("Ana\u{7}López\n", 96), "Ana_López");
    }

    #[test]
    fn names_show_what_they_are() {
        // A right-to-left override would show "14-exe.jpg" as the end.
        assert_eq!(safe_stem("14-\u{202e}gpj.exe", 96), "14-gpj.exe");
        assert_eq!(safe_stem("A\u{200b}na\u{feff}", 96), "Ana");
        // Decomposed "é" (e + combining acute) is composed.
        assert_eq!(safe_stem("Rene\u{301}e", 96), "Ren\u{e9}e");
        for formula in ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "'=1"] {
            let stem = safe_stem(formula, 96);
            assert!(!stem.starts_with(BAD_START), "{stem}");
        }
    }

    #[test]
    fn windows_device_names_and_trailing_dots_are_avoided() {
        assert_eq!(safe_stem("CON", 96), "_CON");
        for device in ["COM0", "com²", "LPT¹", "CONIN$", "conout$", "Lpt3.x", "nul"] {
            assert_eq!(safe_stem(device, 96), format!("_{device}"), "{device}");
        }
        for name in ["COM10", "COMA", "CONS", "LPT", "Connie", "COM¹x"] {
            assert_eq!(safe_stem(name, 96), name, "{name}");
        }
        assert_eq!(safe_stem("com1.txt", 96), "_com1.txt");
        assert_eq!(safe_stem("Ana.", 96), "Ana");
        assert_eq!(safe_stem("CONSTANCE", 96), "CONSTANCE");
    }

    #[test]
    fn long_names_are_cut_at_a_character_boundary() {
        let long = "é".repeat(80);
        let file = name("{row}-{name}", None, 1, &long);
        assert!(file.len() <= MAX_NAME_BYTES, "{}", file.len());
        let stem = file
            .strip_prefix("1-")
            .and_then(|rest| rest.strip_suffix(".pdf"))
            .unwrap_or_else(|| panic!("{file}"));
        // Whole letters only, and as many as fit: "é" is two bytes.
        assert!(!stem.is_empty() && stem.chars().all(|c| c == 'é'), "{file}");
        assert!(
            file.len() >= MAX_NAME_BYTES - 1,
            "{} bytes: {file}",
            file.len()
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1000))]

        /// Whatever a roster holds, every file name is safe, distinct from
        /// the others (as a case-insensitive file system compares), and
        /// well under 200 bytes.
        #[test]
        fn made_names_are_safe_unique_and_short(
            rows in proptest::collection::vec(
                (proptest::option::of(".{0,12}"), ".{0,120}"),
                1..30,
            ),
            template in proptest::sample::select(vec!["{id}-{name}", "{row}-{name}", "{id}", "{name}_{row}_{date}"]),
        ) {
            let template = Template::parse(template).unwrap();
            let mut names = Names::default();
            let mut seen = HashSet::new();
            for (row, (id, name)) in rows.iter().enumerate() {
                let file = names.claim(template.file_name(&TemplateValues {
                    id: id.as_deref(),
                    row: row + 2,
                    name,
                    date: "2026-11-25",
                }));
                proptest::prop_assert!(file.len() <= MAX_NAME_BYTES && file.len() < 200, "{}", file);
                proptest::prop_assert!(file.ends_with(".pdf") && file.len() > ".pdf".len(), "{}", file);
                proptest::prop_assert!(!file.starts_with(BAD_START), "{}", file);
                proptest::prop_assert!(!file.contains(['/', '\\', ':', '*', '?', '"', '<', '>', '|']), "{}", file);
                proptest::prop_assert!(!file.contains(".."), "{}", file);
                proptest::prop_assert!(!file.chars().any(|c| c.is_control() || is_format_char(c)), "{:?}", file);
                let stem = file.trim_end_matches(".pdf");
                proptest::prop_assert!(!stem.ends_with(['.', ' ']), "{:?}", file);
                proptest::prop_assert!(!is_device_name(stem), "{}", file);
                proptest::prop_assert!(seen.insert(file.to_lowercase()), "{} twice", file);
            }
        }
    }

    #[test]
    fn every_row_has_a_name_by_its_id_or_its_row() {
        let text = "id,name\n0017,Ana López\n,Bea\n0017,ana lópez\n0020,\n";
        let roster = handout_content::Roster::parse(
            "r.csv",
            text.as_bytes(),
            &handout_content::RosterOptions::default(),
            &[],
        )
        .unwrap();
        let date = jiff::civil::date(2026, 11, 25);
        assert_eq!(
            file_names(&roster.rows, None, date),
            [
                "0017-Ana-López.pdf",
                "3-Bea.pdf",
                "0017-ana-lópez-2.pdf",
                "0020.pdf"
            ]
        );
        // A template with {id} falls back to the row for a row without one.
        let template = Template::parse("{date}-{id}").unwrap();
        assert_eq!(
            file_names(&roster.rows, Some(&template), date),
            [
                "2026-11-25-0017.pdf",
                "3-Bea.pdf",
                "2026-11-25-0017-2.pdf",
                "2026-11-25-0020.pdf"
            ]
        );
    }

    #[test]
    fn colliding_names_get_numbers_in_order() {
        let mut names = Names::default();
        assert_eq!(names.claim("1-Ana.pdf".into()), "1-Ana.pdf");
        assert_eq!(names.claim("1-ANA.pdf".into()), "1-ANA-2.pdf");
        assert_eq!(names.claim("1-Ana.pdf".into()), "1-Ana-3.pdf");
        let long = format!("{}.pdf", "a".repeat(96));
        assert_eq!(names.claim(long.clone()), long);
        let second = names.claim(long);
        assert!(
            second.len() <= MAX_NAME_BYTES && second.ends_with("-2.pdf"),
            "{second}"
        );
    }
}

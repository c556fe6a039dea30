//! Property tests of every parser: arbitrary bytes never panic, and every
//! error names a line inside the input.

use proptest::prelude::*;

use crate::{Practice, Roster, RosterError, RosterOptions, Topic};

/// Lines as a person counts them: CRLF, LF and CR each end one.
fn line_count(bytes: &[u8]) -> usize {
    let mut lines = 1;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                lines += 1;
                i += 1;
            }
            b'\r' | b'\n' => lines += 1,
            _ => {}
        }
        i += 1;
    }
    lines
}

/// Reads a roster for the built-in topics' sections.
fn read(origin: &str, bytes: &[u8]) -> Result<Roster, crate::RosterError> {
    let sections = ["prevention".to_string(), "treatment".to_string()];
    Roster::parse(origin, bytes, &RosterOptions::default(), &sections)
}

/// Bytes that look like a roster often enough to reach past the header:
/// known column names, delimiters, quotes, line ends of every kind, and
/// stray bytes.
fn roster_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"name".to_vec()),
        Just(b"weeks".to_vec()),
        Just(b"note".to_vec()),
        Just(b"id".to_vec()),
        Just(b"due_date".to_vec()),
        Just(b"prevention".to_vec()),
        Just(b",".to_vec()),
        Just(b";".to_vec()),
        Just(b"\t".to_vec()),
        Just(b"\"".to_vec()),
        Just(b"\"\"".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\r".to_vec()),
        Just(b"Ana".to_vec()),
        Just(b"28".to_vec()),
        Just("Zoë".as_bytes().to_vec()),
        Just(b"\xff".to_vec()),
        Just(b"\0".to_vec()),
        Just(b"[[patient]]\n".to_vec()),
        prop::collection::vec(any::<u8>(), 0..4),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

/// Text that looks like TOML often enough to reach past the parser.
fn toml_text(keys: &'static [&'static str]) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        prop::sample::select(keys).prop_map(str::to_string),
        Just(" = ".to_string()),
        Just("\"".to_string()),
        Just("\n".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("0123".to_string()),
        Just("2026-11-01".to_string()),
        Just("[[patient]]\n".to_string()),
        Just("#".to_string()),
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..30).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn rosters_never_panic_and_errors_name_a_line_inside(bytes in roster_bytes()) {
        let lines = line_count(&bytes);
        for origin in ["r.csv", "r.toml", "standard input"] {
            match read(origin, &bytes) {
                Ok(roster) => {
                    let library = crate::Library::builtin();
                    let practice = crate::Practice::default();
                    let topics = crate::RequestContext::new(&library, &practice, jiff::civil::date(2026, 11, 25));
                    for row in &roster.rows {
                        prop_assert!(row.line >= 1 && row.line <= lines);
                        if let Err(error) = roster.request(row, &topics) {
                            prop_assert!(error.line >= 1 && error.line <= lines, "{error}");
                            prop_assert!(error.to_string().len() < 1000);
                        }
                    }
                    // Rows are in file order, one per line at most.
                    prop_assert!(roster.rows.windows(2).all(|w| w[0].line < w[1].line));
                }
                Err(error) => {
                    let places: Vec<&crate::Location> = match &error {
                        // Of the whole file: no one place to name.
                        RosterError::Empty(_)
                        | RosterError::Binary(_)
                        | RosterError::BareUtf16(_)
                        | RosterError::CodePage(_) => Vec::new(),
                        // Of rows, named by their numbers in the message.
                        RosterError::MixedDates { day_row, month_row, .. } => {
                            prop_assert!((1..=lines).contains(day_row) && (1..=lines).contains(month_row));
                            Vec::new()
                        }
                        RosterError::AmbiguousDates { row, .. } => {
                            prop_assert!((1..=lines).contains(row));
                            Vec::new()
                        }
                        RosterError::Columns(problems) => {
                            prop_assert!(!problems.is_empty());
                            problems.iter().map(|problem| &problem.at).collect()
                        }
                        other => vec![other.location().expect("a located error")],
                    };
                    for at in places {
                        prop_assert!(at.line >= 1 && at.line <= lines, "{error}");
                    }
                }
            }
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = read("r.csv", &bytes);
        let _ = read("r.toml", &bytes);
        if let Ok(text) = std::str::from_utf8(&bytes) {
            let _ = Practice::parse("p.toml", text);
            let _ = Topic::parse("t.toml", text);
        }
    }

    #[test]
    fn practice_errors_name_a_line_inside(
        text in toml_text(&["name", "phone", "address", "emergency", "midwife", "paper", "x"])
    ) {
        let lines = line_count(text.as_bytes());
        if let Err(error) = Practice::parse("p.toml", &text) {
            let at = error.location();
            prop_assert!(at.line >= 1 && at.line <= lines, "{error}");
        }
    }

    #[test]
    fn topic_errors_name_a_line_inside(
        text in toml_text(&["id", "language", "title", "intro", "sources", "lead", "text", "heading", "[causes]", "[[causes.item]]"])
    ) {
        let lines = line_count(text.as_bytes());
        if let Err(error) = Topic::parse("t.toml", &text) {
            let at = error.location();
            prop_assert!(at.line >= 1 && at.line <= lines, "{error}");
        }
    }

    /// What a spreadsheet writes, we read back cell for cell, on the right
    /// line, whatever the line ends and whatever the cells hold, a note's
    /// Alt+Enter line breaks included.
    #[test]
    fn a_spreadsheet_export_reads_back_exactly(
        rows in prop::collection::vec(
            (
                "[A-Za-zÀ-ÿ ,;\"'-]{1,20}",
                1u8..=42,
                prop::collection::vec("[A-Za-zé .;\"'-]{0,15}", 1..4),
            ),
            1..8,
        ),
        end in prop::sample::select(vec!["\n", "\r\n", "\r"]),
    ) {
        let quote = |cell: &str| {
            if cell.contains([',', '"', '\n', '\r']) || cell.starts_with(' ') {
                format!("\"{}\"", cell.replace('"', "\"\""))
            } else {
                cell.to_string()
            }
        };
        let mut text = format!("name,weeks,note{end}");
        // The spreadsheet's rows, whatever lines a note runs over.
        let lines: Vec<usize> = (2..rows.len() + 2).collect();
        for (name, weeks, note_lines) in &rows {
            // A note's line breaks are Alt+Enter: LF inside a quoted cell.
            let note = note_lines.join("\n");
            text.push_str(&format!("{},{weeks},{}{end}", quote(name), quote(&note)));
        }
        let roster = read("r.csv", text.as_bytes()).unwrap();
        prop_assert_eq!(roster.rows.len(), rows.len());
        for (row, ((name, weeks, notes), line)) in roster.rows.iter().zip(rows.iter().zip(&lines)) {
            prop_assert_eq!(row.line, *line);
            prop_assert_eq!(row.request.name.as_deref(), Some(name.as_str()));
            prop_assert_eq!(row.request.weeks.clone(), Some(weeks.to_string()));
            prop_assert_eq!(row.request.note.clone(), Some(notes.join("\n")));
            prop_assert!(row.problem.is_none());
        }
    }
}

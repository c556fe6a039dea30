//! `handout batch`: a roster in; one sound handout per good row, a manifest
//! and a combined file to print out. Bad rows are reported by line and the
//! rest go on; nothing lands outside the output folder; reruns change nothing.

use std::collections::HashSet;
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::time::SystemTime;

use crate::items::{self, Item, PREVENTION, TREATMENT};
use crate::util::{DATE, Output, Paper, Test, read_csv, read_manifest, sha256_of};

/// The items a row asks for.
#[derive(Debug, Clone, Copy)]
enum Pick {
    /// An empty cell: the items that print by default.
    Defaults,
    /// These ids; `none` is no ids.
    Ids(&'static [&'static str]),
}

impl Pick {
    /// The ids printed, in the topic's order.
    fn printed(self, section: &[Item]) -> Vec<&'static str> {
        match self {
            Pick::Defaults => items::defaults(section),
            Pick::Ids(ids) => section
                .iter()
                .map(|item| item.id)
                .filter(|id| ids.contains(id))
                .collect(),
        }
    }
}

/// A patient of tests/fixtures/good-csv/roster.csv (and of its twins in
/// good-toml and semicolon-bom-crlf), and what their handout must say.
struct Patient {
    /// The row's line in the CSV roster.
    line: usize,
    id: &'static str,
    name: &'static str,
    /// The handout's file name.
    file: &'static str,
    /// From the weeks or due_date column.
    weeks: u32,
    prevention: Pick,
    treatment: Pick,
    /// The row's midwife, or the practice file's.
    midwife: &'static str,
    note: Option<&'static str>,
}

impl Patient {
    /// The manifest's record of what was printed.
    fn picks(&self) -> String {
        format!(
            "prevention={}; treatment={}",
            self.prevention.printed(PREVENTION).join(","),
            self.treatment.printed(TREATMENT).join(",")
        )
    }
}

/// The good roster's patients, in roster order.
const GOOD: [Patient; 4] = [
    Patient {
        line: 2,
        id: "0017",
        name: "Ana López",
        file: "0017-Ana-López.pdf",
        weeks: 28,
        prevention: Pick::Ids(&["walking", "calf-stretches"]),
        treatment: Pick::Ids(&["warm-bath"]),
        midwife: "Jo Smith",
        note: Some("Stretch your calves, then rest."),
    },
    Patient {
        line: 3,
        id: "0018",
        name: "Bea Smith",
        file: "0018-Bea-Smith.pdf",
        // Due 2027-02-17, 12 weeks after the handout's date.
        weeks: 28,
        prevention: Pick::Defaults,
        treatment: Pick::Defaults,
        midwife: "Jo Smith",
        note: None,
    },
    Patient {
        line: 4,
        id: "0021",
        name: "Zoë Ní Bhriain",
        file: "0021-Zoë-Ní-Bhriain.pdf",
        weeks: 12,
        prevention: Pick::Ids(&[]),
        treatment: Pick::Ids(&["therapist", "herbal"]),
        midwife: "Sam Okafor",
        note: None,
    },
    Patient {
        line: 5,
        id: "",
        name: "Chidi Okafor",
        // No id: named after the row's line.
        file: "5-Chidi-Okafor.pdf",
        weeks: 34,
        prevention: Pick::Ids(&["support-belt", "relief-techniques"]),
        treatment: Pick::Ids(&[]),
        midwife: "Jo Smith",
        note: None,
    },
];

/// The rows of tests/fixtures/bad-rows/roster.csv that fail: row, where
/// (row and, for one cell's fault, its column), name, and the message after
/// `roster.csv:WHERE: ` (its start, where it goes on to list the choices).
const BAD: [(usize, &str, &str, &str); 8] = [
    (
        3,
        "row 3, column E",
        "Bea Smith",
        "unknown treatment item 'hot-bath'; did you mean 'warm-bath'? (valid ids: ",
    ),
    (
        4,
        "row 4, column A",
        "",
        "name is empty; every row needs the patient's name",
    ),
    (
        5,
        "row 5, column C",
        "Cara Díaz",
        "weeks must be 1 to 42, not '50'",
    ),
    // Both weeks and a due date: the due date is printed, so it is the
    // one checked.
    (
        6,
        "row 6, column D",
        "Dana Ekwueme",
        "due date 2026-11-01 has already passed on 2026-11-25",
    ),
    (
        7,
        "row 7, column D",
        "Eva Fox",
        "due date 2027-02-30: 30 February is not a date; February 2027 has 28 days",
    ),
    (
        9,
        "row 9, column F",
        "Ida Ito",
        "there is no topic 'back-pain' (topics: leg-cramps)",
    ),
    (
        10,
        "row 10, column G",
        "Jun Kim",
        "topic 'leg-cramps' is not in language 'fr' (it is in: en, es)",
    ),
    (
        11,
        "row 11, column F",
        "Kai Lee",
        "there is no topic 'warm-bath' (topics: leg-cramps); the row has more cells \
         than the header (8 for 7): a cell with a ',' in it must be in double quotes",
    ),
];

/// The good rows of the same roster: line, name, file.
const FINE: [(usize, &str, &str); 3] = [
    (2, "Ana López", "0017-Ana-López.pdf"),
    (8, "Gwen Hall", "0023-Gwen-Hall.pdf"),
    (12, "Lou Moss", "12-Lou-Moss.pdf"),
];

/// `handout batch ROSTER --date DATE` on a copy of the fixture `path`; `-o`
/// and the rest follow.
fn batch(path: &str) -> Test {
    let roster = path.rsplit('/').next().expect("a fixture path");
    Test::new()
        .fixture(path)
        .args(["batch", roster, "--date", DATE])
}

/// One line of `manifest.csv`.
#[derive(Debug, PartialEq, Eq)]
struct Entry {
    row: usize,
    id: String,
    name: String,
    topic: String,
    language: String,
    file: String,
    pages: u32,
    /// What was printed, by section: `prevention=a,b; treatment=c`.
    picks: String,
    sha256: String,
    status: String,
}

/// The columns of `manifest.csv`, in order.
const MANIFEST_HEADER: [&str; 17] = [
    "row",
    "id",
    "name",
    "topic",
    "language",
    "wording",
    "version",
    "file",
    "pages",
    "omitted",
    "picks",
    "gestation_from",
    "sha256",
    "content_sha256",
    "approved",
    "program",
    "status",
];

/// The entries of `folder/manifest.csv`, after checking its header and the
/// columns every row has alike.
#[track_caller]
fn manifest(out: &Output, folder: &str) -> Vec<Entry> {
    let text = out.read_text(&format!("{folder}/manifest.csv"));
    assert_eq!(
        read_csv(&text).into_iter().next().unwrap_or_default(),
        MANIFEST_HEADER,
        "manifest:\n{text}"
    );
    let builtin =
        sha256_of(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content/leg-cramps.en.toml"));
    read_manifest(&text)
        .into_iter()
        .map(|mut record| {
            let mut take = |key: &str| record.remove(key).expect("a manifest column");
            let entry = Entry {
                row: take("row").parse().expect("row is a number"),
                id: take("id"),
                name: take("name"),
                topic: take("topic"),
                language: take("language"),
                file: take("file"),
                pages: take("pages").parse().expect("pages is a number"),
                picks: take("picks"),
                sha256: take("sha256"),
                status: take("status"),
            };
            let (version, content, program, wording) = (
                take("version"),
                take("content_sha256"),
                take("program"),
                take("wording"),
            );
            if entry.pages == 1 {
                // Every made row here is from the built-in English text, in
                // its plain wording.
                assert_eq!(
                    (version.as_str(), content.as_str(), wording.as_str()),
                    ("4", builtin.as_str(), "en"),
                    "{entry:?}"
                );
                assert_eq!(program, concat!("handout ", env!("CARGO_PKG_VERSION")));
            } else {
                assert_eq!(
                    (version, content, program, wording),
                    Default::default(),
                    "{entry:?}"
                );
            }
            entry
        })
        .collect()
}

/// The last line of standard error: the summary.
fn summary(out: &Output) -> &str {
    out.stderr.lines().last().unwrap_or_default()
}

/// `names` and `manifest.csv`, sorted as `Output::list` sorts.
fn listing<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut names: Vec<String> = names.into_iter().map(String::from).collect();
    names.push("manifest.csv".to_string());
    names.sort();
    names
}

/// Asserts that `folders` hold no temporary files.
#[track_caller]
fn assert_no_temporaries(out: &Output, folders: &[&str]) {
    for folder in folders {
        let names = out.list(folder);
        assert!(
            !names.iter().any(|name| name.ends_with(".handout-tmp")),
            "temporary files left in `{folder}`: {names:?}"
        );
    }
}

/// Asserts that `path` is a sound handout saying what `patient` was given.
#[track_caller]
fn check_handout(out: &Output, path: &str, patient: &Patient) {
    let pdf = out.pdf(path);
    pdf.assert_sound(Paper::A4);
    let text = pdf.text();
    text.assert_has(&format!(
        "Prepared for {} · {} weeks · 25 November 2026",
        patient.name, patient.weeks
    ));
    items::assert_items(&text, PREVENTION, &patient.prevention.printed(PREVENTION));
    items::assert_items(&text, TREATMENT, &patient.treatment.printed(TREATMENT));
    text.assert_has(&format!("Your midwife: {}", patient.midwife));
    if let Some(note) = patient.note {
        text.assert_has(note);
    }
}

/// Asserts that a run was refused as a whole: exit code 2, an `error:`
/// line starting with `message`, at most one `hint:` line, and nothing
/// written, not even the output folder.
#[track_caller]
fn assert_refused(out: &Output, message: &str) {
    assert_eq!(out.code, Some(2), "stderr:\n{}", out.stderr);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert!(
        matches!(lines.len(), 1 | 2)
            && lines[0].starts_with(&format!("error: {message}"))
            && lines[1..].iter().all(|line| line.starts_with("hint: ")),
        "expected `error: {message}...` and maybe a `hint:` line, got:\n{}",
        out.stderr
    );
    assert_eq!(out.stdout, b"");
    assert_eq!(out.created_files(), Vec::<String>::new());
}

/// Asserts that `name` is a file name every common file system takes as
/// one plain, visible file in the folder.
#[track_caller]
fn assert_safe_name(name: &str) {
    const DEVICES: [&str; 22] = [
        "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
        "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    ];
    let device = name.split('.').next().unwrap_or_default();
    assert!(
        (name.ends_with(".pdf") || name == "manifest.csv")
            && name.len() <= 100
            && !name.starts_with('.')
            && !name.contains("..")
            && !name.contains(['/', '\\', ':', '*', '?', '"', '<', '>', '|'])
            && !name.chars().any(char::is_control)
            && !DEVICES
                .iter()
                .any(|reserved| reserved.eq_ignore_ascii_case(device)),
        "unsafe file name {name:?} ({} bytes)",
        name.len()
    );
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn good_roster_gives_one_sound_handout_per_patient() {
    let out = batch("good-csv/roster.csv")
        .practice()
        .args(["-o", "out"])
        .run()
        .success();
    assert_eq!(summary(&out), "4 written", "stderr:\n{}", out.stderr);
    assert_eq!(out.created_files(), ["out"]);
    assert_eq!(
        out.list("out"),
        listing(GOOD.iter().map(|patient| patient.file))
    );
    for patient in &GOOD {
        check_handout(&out, &format!("out/{}", patient.file), patient);
    }

    let entries = manifest(&out, "out");
    assert_eq!(entries.len(), GOOD.len(), "{entries:#?}");
    for (entry, patient) in entries.iter().zip(&GOOD) {
        let expected = Entry {
            row: patient.line,
            id: patient.id.to_string(),
            name: patient.name.to_string(),
            topic: "leg-cramps".to_string(),
            language: "en".to_string(),
            file: patient.file.to_string(),
            pages: 1,
            picks: patient.picks(),
            sha256: out.sha256(&format!("out/{}", patient.file)),
            status: "written".to_string(),
        };
        assert_eq!(*entry, expected);
    }
    assert_no_temporaries(&out, &[".", "out"]);
}

#[test]
fn toml_roster_gives_the_same_handouts() {
    let csv = batch("good-csv/roster.csv")
        .practice()
        .args(["-o", "out"])
        .run()
        .success();
    let toml = batch("good-toml/roster.toml")
        .practice()
        .args(["-o", "out"])
        .run()
        .success();
    // A TOML row starts on its `[[patient]]` line, which names the file of
    // the patient without an id.
    let files = [
        "0017-Ana-López.pdf",
        "0018-Bea-Smith.pdf",
        "0021-Zoë-Ní-Bhriain.pdf",
        "26-Chidi-Okafor.pdf",
    ];
    assert_eq!(toml.list("out"), listing(files));
    let entries = manifest(&toml, "out");
    let rows: Vec<usize> = entries.iter().map(|entry| entry.row).collect();
    assert_eq!(rows, [3, 11, 18, 26]);
    for ((entry, twin), file) in entries.iter().zip(manifest(&csv, "out")).zip(files) {
        let twin_path = format!("out/{}", twin.file);
        assert!(
            toml.read(&format!("out/{file}")) == csv.read(&twin_path),
            "{file} from TOML and {twin_path} from CSV differ"
        );
        let expected = Entry {
            row: entry.row,
            file: file.to_string(),
            ..twin
        };
        assert_eq!(*entry, expected);
    }
    assert_no_temporaries(&toml, &[".", "out"]);
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn semicolon_roster_with_bom_and_crlf_gives_the_same_handouts() {
    let out = batch("semicolon-bom-crlf/roster.csv")
        .practice()
        .args(["-o", "out"])
        .run()
        .success();
    // The fixture is what its name says (a checkout that rewrote line
    // endings would test nothing).
    let roster = out.read("roster.csv");
    assert!(
        roster.starts_with(b"\xef\xbb\xbfname;"),
        "no byte-order mark"
    );
    let newlines = roster.iter().filter(|&&byte| byte == b'\n').count();
    assert_eq!(
        roster.windows(2).filter(|pair| pair == b"\r\n").count(),
        newlines
    );

    let csv = batch("good-csv/roster.csv")
        .practice()
        .args(["-o", "out"])
        .run()
        .success();
    // Same rows (the blank one at the end is no patient), names, files,
    // items and bytes.
    assert_eq!(summary(&out), "4 written");
    assert_eq!(out.list("out"), csv.list("out"));
    let entries = manifest(&out, "out");
    assert_eq!(entries, manifest(&csv, "out"));
    for patient in &GOOD {
        let path = format!("out/{}", patient.file);
        assert!(out.read(&path) == csv.read(&path), "{path} differs");
    }
    // The byte-order mark stuck to nothing.
    assert_eq!(entries[0].name, "Ana López");
    assert!(!out.read_text("out/manifest.csv").contains('\u{feff}'));
    out.pdf("out/0017-Ana-López.pdf")
        .text()
        .assert_has("Prepared for Ana López · 28 weeks");
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn bad_rows_are_reported_by_line_and_the_rest_written() {
    let out = batch("bad-rows/roster.csv")
        .args(["-o", "out"])
        .run()
        .code(1);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), BAD.len() + 1, "stderr:\n{}", out.stderr);
    let mut messages = Vec::new();
    for (line, (_, at, _, message)) in lines.iter().zip(BAD) {
        let prefix = format!("roster.csv, {at}: ");
        assert!(
            line.starts_with(&format!("{prefix}{message}")),
            "expected `{prefix}{message}...`, got:\n{line}"
        );
        messages.push(&line[prefix.len()..]);
    }
    assert_eq!(
        summary(&out),
        "3 written, 8 failed (rows 3, 4, 5, 6, 7, 9, 10, 11)"
    );

    assert_eq!(out.list("out"), listing(FINE.map(|(_, _, file)| file)));
    for (_, name, file) in FINE {
        let pdf = out.pdf(&format!("out/{file}"));
        pdf.assert_sound(Paper::A4);
        pdf.text().assert_has(&format!("Prepared for {name} ·"));
    }

    let entries = manifest(&out, "out");
    let rows: Vec<usize> = entries.iter().map(|entry| entry.row).collect();
    assert_eq!(rows, (2..=12).collect::<Vec<_>>());
    for entry in &entries {
        if let Some((_, name, file)) = FINE.iter().find(|(row, ..)| *row == entry.row) {
            assert_eq!(
                (entry.name.as_str(), entry.file.as_str(), entry.pages),
                (*name, *file, 1)
            );
            assert_eq!(entry.status, "written");
            assert_eq!(entry.sha256, out.sha256(&format!("out/{file}")));
        } else {
            let index = BAD.iter().position(|(row, ..)| *row == entry.row).unwrap();
            assert_eq!(entry.status, format!("failed: {}", messages[index]));
            assert_eq!((entry.file.as_str(), entry.pages), ("", 0), "{entry:?}");
            assert_eq!(entry.sha256, "", "{entry:?}");
        }
    }
    let gwen = entries.iter().find(|entry| entry.row == 8).unwrap();
    assert!(
        gwen.picks.ends_with("; treatment=moist-heat,warm-bath"),
        "{gwen:?}"
    );
    assert_no_temporaries(&out, &[".", "out"]);
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn combined_file_holds_the_good_rows_in_roster_order() {
    let out = batch("bad-rows/roster.csv")
        .args(["-o", "out", "--combined", "all.pdf"])
        .run()
        .code(1);
    assert!(
        summary(&out).ends_with("; all.pdf: 3 pages"),
        "stderr:\n{}",
        out.stderr
    );
    assert_eq!(out.created_files(), ["all.pdf", "out"]);

    let pdf = out.pdf("all.pdf");
    let info = pdf.info();
    assert_eq!(info.pages(), FINE.len() as u32, "pdfinfo:\n{}", info.raw);
    let (width, height) = info.page_size();
    assert!((width - 595.276).abs() < 0.01 && (height - 841.89).abs() < 0.01);
    pdf.assert_qpdf_clean();
    // Each page draws the subsets of its own file, and each is embedded
    // once however many pages draw it.
    let fonts = pdf.fonts();
    let mut subsets = HashSet::new();
    for font in &fonts {
        assert!(font.embedded && font.subset && font.unicode, "{font:?}");
        assert!(
            subsets.insert(font.name.clone()),
            "{} is embedded twice: {fonts:#?}",
            font.name
        );
    }
    let own: HashSet<String> = FINE
        .iter()
        .flat_map(|(_, _, file)| out.pdf(&format!("out/{file}")).fonts())
        .map(|font| font.name)
        .collect();
    assert_eq!(subsets, own, "the rows' own files' subsets");

    let text = pdf.text();
    let mut last = 0;
    for (page, (_, name, file)) in (1..).zip(FINE) {
        let prepared = format!("Prepared for {name} ·");
        let at = text
            .raw
            .find(&prepared)
            .unwrap_or_else(|| panic!("no {prepared:?} in:\n{}", text.raw));
        assert!(at >= last, "{name} is out of roster order:\n{}", text.raw);
        last = at;
        // Each page is that patient's handout.
        let alone = out.pdf(&format!("out/{file}")).text();
        assert_eq!(pdf.page_text(page).raw.trim_end(), alone.raw.trim_end());
    }
    for (_, _, name, _) in BAD {
        if !name.is_empty() {
            text.assert_lacks(name);
        }
    }
    assert_no_temporaries(&out, &[".", "out"]);
}

/// The files tests/fixtures/collisions/roster.csv makes, in roster order,
/// and the weeks on that row, which tell the handouts apart.
const COLLISIONS: [(&str, u32); 7] = [
    ("2-Ana-López.pdf", 28),
    ("3-Ana-López.pdf", 30),
    ("0030-Ana-López.pdf", 20),
    ("0030-ANA-LÓPEZ-2.pdf", 21),
    ("0030-Ana-López-3.pdf", 22),
    ("0030-Ana-López-2-2.pdf", 23),
    ("0031-Ana-López.pdf", 24),
];

#[test]
fn colliding_names_get_numbers_in_roster_order() {
    let out = batch("collisions/roster.csv")
        .args(["-o", "out"])
        .run()
        .success();
    let entries = manifest(&out, "out");
    let files: Vec<&str> = entries.iter().map(|entry| entry.file.as_str()).collect();
    assert_eq!(files, COLLISIONS.map(|(file, _)| file));
    assert_eq!(out.list("out"), listing(files.iter().copied()));
    // Distinct on file systems that ignore case, too.
    let folded: HashSet<String> = files.iter().map(|file| file.to_lowercase()).collect();
    assert_eq!(folded.len(), files.len());
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn each_colliding_name_holds_its_own_rows_handout() {
    let out = batch("collisions/roster.csv")
        .args(["-o", "out"])
        .run()
        .success();
    for (entry, (file, weeks)) in manifest(&out, "out").iter().zip(COLLISIONS) {
        assert_eq!(entry.file, file);
        out.pdf(&format!("out/{file}"))
            .text()
            .assert_has(&format!("Prepared for {} · {weeks} weeks", entry.name));
    }
}

/// The longest name of tests/fixtures/escape/roster.csv, 80 characters.
const LONG: &str =
    "Éloïse Bérénice Hélène Geneviève Françoise Amélie Léonie Noémie Séverine Zoé Léa";

#[test]
fn hostile_names_stay_inside_the_output_folder() {
    assert_eq!(LONG.chars().count(), 80);
    let base = batch("escape/roster.csv");
    let out = base.clone().args(["-o", "out"]).run().success();
    let by_id = base
        .clone()
        .args(["-o", "by-id", "--name-template", "{id}"])
        .run()
        .success();
    assert_eq!(by_id.created_files(), ["by-id", "out"]);
    // Two folders up from `out` is the system's temporary folder.
    for escaped in ["evil.pdf", "passwd.pdf", "etc_passwd.pdf"] {
        assert!(!out.path("..").join(escaped).exists(), "{escaped} escaped");
    }
    for folder in ["out", "by-id"] {
        for name in out.list(folder) {
            assert_safe_name(&name);
        }
    }

    let entries = manifest(&out, "out");
    let files: Vec<&str> = entries.iter().map(|entry| entry.file.as_str()).collect();
    let long = files[4];
    assert_eq!(
        files,
        [
            "0020-_etc_passwd.pdf",
            "3-_evil.pdf",
            "4-CON.pdf",
            "5-a_b_c_d.pdf",
            long,
            "up-Ana-Ruiz.pdf",
            "8-.hidden.pdf",
            "9-Zoë-_Zo_-_Z.pdf",
            "con-Nia-Obi.pdf",
            "_LPT1.txt-Ola-Berg.pdf",
        ]
    );
    assert_eq!(out.list("out"), listing(files.iter().copied()));
    // Cut to 100 bytes with its accents whole.
    let full = format!("0042-{}", LONG.replace(' ', "-"));
    let stem = long.strip_suffix(".pdf").unwrap();
    assert!(
        long.len() <= 100 && full.len() > 96 && full.starts_with(stem) && stem.len() > 80,
        "{long:?}"
    );

    // Named by id alone, device names get a '_'.
    let by_id: Vec<String> = manifest(&by_id, "by-id")
        .into_iter()
        .filter(|entry| !entry.id.is_empty())
        .map(|entry| entry.file)
        .collect();
    assert_eq!(
        by_id,
        [
            "0020.pdf",
            "0042.pdf",
            "up.pdf",
            "_con.pdf",
            "_LPT1.txt.pdf"
        ]
    );
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn hostile_names_print_on_the_page_as_written() {
    let out = batch("escape/roster.csv")
        .args(["-o", "out"])
        .run()
        .success();
    let entries = manifest(&out, "out");
    let long = &entries[4].file;
    assert!(long.starts_with("0042-"), "{long}");
    out.pdf("out/0020-_etc_passwd.pdf")
        .text()
        .assert_has("Prepared for ../../etc/passwd ·");
    // Too long for the line with "Prepared for", the name starts the next
    // one, whole.
    out.pdf(&format!("out/{long}"))
        .text()
        .assert_has(&format!("Prepared for\n{LONG}\n"));
}

#[test]
fn rerun_changes_nothing_and_keeps_a_file_that_differs() {
    let base = batch("good-csv/roster.csv").args(["-o", "out"]);
    let command = base.clone().args(["--combined", "all.pdf"]);
    let first = command.run().success();
    assert_eq!(summary(&first), "4 written; all.pdf: 4 pages");
    let mut paths: Vec<String> = GOOD
        .iter()
        .map(|patient| format!("out/{}", patient.file))
        .collect();
    paths.push("all.pdf".to_string());
    let state = |out: &Output| -> Vec<(Vec<u8>, SystemTime)> {
        paths
            .iter()
            .map(|path| {
                let modified = fs::metadata(out.path(path)).unwrap().modified().unwrap();
                (out.read(path), modified)
            })
            .collect()
    };
    let before = state(&first);
    let hashes: Vec<String> = manifest(&first, "out")
        .into_iter()
        .map(|entry| entry.sha256)
        .collect();

    // The same command again changes nothing and needs no --force.
    let second = command.run().success();
    assert_eq!(
        summary(&second),
        "0 written, 4 unchanged; all.pdf unchanged (4 pages)"
    );
    assert!(state(&second) == before, "a rerun rewrote files");
    for (entry, hash) in manifest(&second, "out").iter().zip(&hashes) {
        assert_eq!((entry.status.as_str(), &entry.sha256), ("unchanged", hash));
    }
    let forced = command.clone().arg("--force").run().success();
    assert_eq!(summary(&forced), summary(&second));
    assert!(
        state(&forced) == before,
        "a rerun with --force rewrote files"
    );

    // A handout changed by hand is a conflict: kept and reported, and the
    // others go on.
    let ana = "out/0017-Ana-López.pdf";
    let mut changed = first.read(ana);
    changed.push(b'\n');
    OpenOptions::new()
        .append(true)
        .open(first.path(ana))
        .and_then(|mut file| file.write_all(b"\n"))
        .unwrap();
    let conflict = "`out/0017-Ana-López.pdf` exists and holds something else; \
                    use --force to replace it";
    let third = base.run().code(1);
    assert!(
        third
            .stderr
            .lines()
            .any(|line| line == format!("roster.csv, row 2: {conflict}")),
        "stderr:\n{}",
        third.stderr
    );
    assert!(
        summary(&third).starts_with("0 written, 3 unchanged, 1 failed (row 2)"),
        "stderr:\n{}",
        third.stderr
    );
    assert!(third.read(ana) == changed, "the changed file was replaced");
    let entries = manifest(&third, "out");
    assert_eq!(entries[0].status, format!("failed: {conflict}"));
    assert!(entries[1..].iter().all(|entry| entry.status == "unchanged"));

    // --force puts the handout back.
    let fourth = command.arg("--force").run().success();
    assert!(
        summary(&fourth).starts_with("1 written, 3 unchanged"),
        "stderr:\n{}",
        fourth.stderr
    );
    assert!(
        fourth.read(ana) == before[0].0,
        "--force did not restore the handout"
    );
    assert_eq!(manifest(&fourth, "out")[0].status, "written");
    assert_no_temporaries(&fourth, &[".", "out"]);
}

#[test]
fn stale_temporary_files_are_removed() {
    // What an interrupted run of this version and of an earlier one left.
    let stale = [".handout-0123456789.tmp", ".x.pdf.999999999.handout-tmp"];
    let mut test = batch("good-csv/roster.csv").folder("out");
    for name in stale {
        test = test.file(&format!("out/{name}"), "%PDF-1.7\n% half a PDF");
    }
    let out = test
        .file("out/.handout-notes.txt", "not ours")
        .args(["-o", "out", "--combined", "all.pdf"])
        .run()
        .success();
    let mut expected = listing(GOOD.iter().map(|patient| patient.file));
    expected.push(".handout-notes.txt".to_string());
    expected.sort();
    assert_eq!(out.list("out"), expected);
    assert_eq!(out.created_files(), ["all.pdf"]);
}

#[test]
fn unreadable_rosters_are_refused_whole() {
    let cases = [
        ("empty.csv", "empty.csv has no patients"),
        ("header-only.csv", "header-only.csv has no patients"),
        ("binary.csv", "binary.csv is not a text file"),
        (
            "no-name.csv",
            "no-name.csv, row 1, column A: the header has no column for the patient's name (such as `name`, \
             `Patient Name`, or `First Name` and `Last Name`); it has: id, weeks",
        ),
        (
            "unknown-column.csv",
            "unknown-column.csv, row 1, column B: unknown column 'preventon'; did you mean 'prevention'?",
        ),
        (
            "twice.csv",
            "twice.csv, row 1, column C: column 'Name' is the name again, as column 1 'name' is; keep one",
        ),
        ("malformed.toml", "malformed.toml:2:"),
    ];
    for (file, message) in cases {
        let out = batch(&format!("unreadable/{file}"))
            .args(["-o", "out", "--combined", "all.pdf"])
            .run();
        assert_refused(&out, message);
    }
}

#[test]
fn check_reports_every_row_and_writes_nothing() {
    let bad = batch("bad-rows/roster.csv")
        .args(["-o", "out", "--check", "--combined", "all.pdf"])
        .run()
        .code(1);
    let lines: Vec<&str> = bad.stderr.lines().collect();
    assert_eq!(lines.len(), BAD.len() + 1, "stderr:\n{}", bad.stderr);
    for (line, (_, at, _, message)) in lines.iter().zip(BAD) {
        assert!(
            line.starts_with(&format!("roster.csv, {at}: {message}")),
            "{line}"
        );
    }
    assert_eq!(
        summary(&bad),
        "3 ready, 8 failed (rows 3, 4, 5, 6, 7, 9, 10, 11)"
    );
    assert_eq!(bad.created_files(), Vec::<String>::new());

    let good = batch("good-csv/roster.csv")
        .args(["-o", "out", "--check"])
        .run()
        .success();
    assert_eq!(good.stderr, "4 ready\n");
    assert_eq!(good.created_files(), Vec::<String>::new());
}

#[test]
fn bad_name_template_is_refused() {
    for (template, message) in [
        (
            "{nmae}-{row}",
            "the name template '{nmae}-{row}' has an unknown placeholder '{nmae}'",
        ),
        ("{name}", "the name template '{name}' needs {id} or {row}"),
    ] {
        let out = batch("good-csv/roster.csv")
            .args(["-o", "out", "--name-template", template])
            .run();
        assert_refused(&out, message);
    }
}

#[test]
fn any_number_of_jobs_gives_the_same_files() {
    let base = batch("collisions/roster.csv");
    let one = base
        .clone()
        .args(["-o", "one", "--combined", "one.pdf", "--jobs", "1"])
        .run()
        .success();
    base.clone()
        .args(["-o", "three", "--combined", "three.pdf", "--jobs", "3"])
        .run()
        .success();
    let files = one.list("one");
    assert_eq!(files.len(), 8, "{files:?}");
    assert_eq!(one.list("three"), files);
    for file in &files {
        assert!(
            one.read(&format!("one/{file}")) == one.read(&format!("three/{file}")),
            "{file} differs"
        );
    }
    assert!(one.read("one.pdf") == one.read("three.pdf"));
    assert!(
        one.stderr.trim_end().ends_with("; one.pdf: 7 pages"),
        "{}",
        one.stderr
    );
}

#[test]
fn names_stay_off_the_terminal() {
    let base = batch("good-csv/roster.csv").practice();
    let out = base
        .clone()
        .args(["-o", "out", "--combined", "all.pdf"])
        .run()
        .success();
    assert_eq!(out.stdout, b"");
    for patient in &GOOD {
        let stem = patient.file.trim_end_matches(".pdf");
        for private in [patient.name, stem].into_iter().chain(patient.note) {
            assert!(
                !out.stderr.contains(private),
                "stderr shows {private:?}:\n{}",
                out.stderr
            );
        }
    }

    let quiet = base
        .clone()
        .args(["-o", "quiet", "--quiet"])
        .run()
        .success();
    assert_eq!(quiet.stderr, "");
    assert_eq!(quiet.list("quiet").len(), GOOD.len() + 1);
}

#[test]
fn combined_file_named_like_a_handout_damages_nothing() {
    let out = batch("good-csv/roster.csv")
        .args(["-o", "out", "--combined", "out/5-Chidi-Okafor.pdf"])
        .run()
        .code(2);
    // Refused before anything is written, naming the clash and what to do.
    assert!(
        out.stderr.starts_with(
            "error: --combined `out/5-Chidi-Okafor.pdf` is a file this batch writes in `out`; \
             give the combined file another name or folder\n"
        ),
        "{}",
        out.stderr
    );
    assert_eq!(out.created_files(), Vec::<String>::new());
}

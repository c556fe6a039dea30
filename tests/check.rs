//! `handout check` and `handout schema`: a practice's topics linted with
//! every error located, review dates, reading ages (their grades checked
//! against Python's textstat), and the schema an editor reads (checked with
//! Taplo). The textstat and Taplo checks are ignored unless asked for
//! (`-- --include-ignored`), and then fail without their tools.

use std::path::Path;
use std::process::Command;

use crate::content::BROKEN;
use crate::util::{Test, require_tool};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The SMOG and Flesch-Kincaid grades `handout check` reports for each file
/// it measured, by the file's name as it prints it.
fn grades(report: &str) -> Vec<(String, f64, f64)> {
    let number = |text: &str| -> f64 {
        let end = text
            .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
            .unwrap_or(text.len());
        text[..end]
            .parse()
            .unwrap_or_else(|_| panic!("no grade in {text:?}"))
    };
    let mut found = Vec::new();
    let mut file = String::new();
    let mut smog = None;
    for line in report.lines() {
        if !line.starts_with(' ') && line.contains(": ") {
            file = line.split(": ").next().unwrap().to_string();
        }
        if let Some((_, rest)) = line.split_once("(SMOG grade ") {
            smog = Some(number(rest));
        }
        if let Some((_, rest)) = line.split_once("Flesch-Kincaid grade ") {
            let smog = smog.take().expect("the SMOG grade comes first");
            found.push((file.clone(), smog, number(rest)));
        }
    }
    found
}

/// The sentences listed as hardest, of every file, as quoted.
fn hardest(report: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut listing = false;
    for line in report.lines() {
        if line.starts_with("  hardest sentences to read") {
            listing = true;
        } else if listing && line.starts_with("    ") {
            let (_, quoted) = line.split_once(": \"").expect("a quoted sentence");
            found.push(quoted.strip_suffix('"').expect("a quoted sentence"));
        } else {
            listing = false;
        }
    }
    found
}

#[test]
fn builtins_pass_with_their_grade_and_spanish_unmeasured() {
    let output = Test::new()
        .args(["check", "--date", "2026-12-02"])
        .run()
        .success();
    let report = output.stdout_text();
    assert!(
        report.contains("built-in leg-cramps.en.toml: leg-cramps (en)"),
        "{report}"
    );
    assert!(
        report.contains("built-in leg-cramps.es.toml: leg-cramps (es)"),
        "{report}"
    );
    let measured = grades(report);
    assert_eq!(measured.len(), 1, "{report}");
    let (_, smog, fk) = &measured[0];
    assert!(
        *smog <= 6.5,
        "the built-in English reads at SMOG {smog}\n{report}"
    );
    assert!(*fk > 0.0 && *fk <= 6.5, "{report}");
    // The grade in the words a midwife uses: grade 6 is ages 11 to 12.
    assert!(
        report.contains(&format!(
            "  reading age: about 11 to 12 (SMOG grade {smog:.1}; aim for 6 or lower, 8 at most)\n"
        )),
        "{report}"
    );
    assert!(report.contains("reading age: not measured"), "{report}");
    assert!(
        report.contains("warning: a draft, not yet clinically reviewed"),
        "{report}"
    );
    assert_eq!(hardest(report).len(), 5, "{report}");
    assert!(
        report.trim_end().ends_with("checked 2 files: 1 warning"),
        "{report}"
    );
}

#[test]
fn a_good_practice_folder_passes() {
    let output = Test::new()
        .fixture_folder("content/practice", "leaflets")
        .args(["check", "--date", "2026-12-02", "leaflets"])
        .run()
        .success();
    let report = output.stdout_text();
    assert!(
        report.starts_with("leaflets/back-care.en.toml: back-care (en), version 2"),
        "{report}"
    );
    // Only the folder is reported when it is named.
    assert!(!report.contains("built-in"), "{report}");
    assert!(report.contains("review due 2028-11-01"), "{report}");
    assert!(
        report.trim_end().ends_with("checked 1 file: all good"),
        "{report}"
    );
    // Per item, the long words and where the item is.
    assert!(
        report.contains(
            "    leaflets/back-care.en.toml:97 'water-exercise': long words: Exercise, \
             antenatal, qualified\n"
        ),
        "{report}"
    );
}

#[test]
fn the_hardest_sentences_are_never_a_heading_a_title_or_a_lead() {
    let output = Test::new()
        .fixture_folder("content/practice", "leaflets")
        .args(["check", "--date", "2026-12-02", "--content", "leaflets"])
        .run()
        .success();
    let report = output.stdout_text();
    // Every heading, title and lead of both English files, as written.
    let labels: Vec<String> = [
        "content/leg-cramps.en.toml",
        "tests/fixtures/content/practice/back-care.en.toml",
    ]
    .iter()
    .map(|file| std::fs::read_to_string(Path::new(ROOT).join(file)).unwrap())
    .flat_map(|text| {
        text.lines()
            .filter_map(|line| {
                ["heading = \"", "title = \"", "lead = \""]
                    .iter()
                    .find_map(|key| line.strip_prefix(key))
            })
            .map(|value| value.trim_end_matches('"').to_string())
            .collect::<Vec<_>>()
    })
    .collect();
    assert!(
        labels.iter().any(|label| label == "Calcium and magnesium."),
        "{labels:?}"
    );
    let bare = |text: &str| text.trim_end_matches(['.', '!', '?', ':', ',']).to_string();
    let sentences = hardest(report);
    assert_eq!(sentences.len(), 10, "{report}");
    for sentence in sentences {
        assert!(
            !labels.iter().any(|label| bare(label) == bare(sentence)),
            "{sentence:?} is a heading, title or lead\n{report}"
        );
    }
}

#[test]
fn the_practice_folder_is_checked_with_the_builtins_when_no_path_is_given() {
    let output = Test::new()
        .fixture_folder("content/practice", "leaflets")
        .args(["check", "--date", "2026-12-02", "--content", "leaflets"])
        .run()
        .success();
    let report = output.stdout_text();
    assert!(report.contains("built-in leg-cramps.en.toml"), "{report}");
    assert!(report.contains("leaflets/back-care.en.toml"), "{report}");
    assert!(report.contains("checked 3 files"), "{report}");
}

#[test]
fn every_error_of_a_broken_file_is_located() {
    let output = Test::new()
        .fixture_folder("content/several", "leaflets")
        .args(["check", "leaflets"])
        .run()
        .code(1);
    let report = output.stdout_text();
    let file = "leaflets/neck-care.en.toml";
    assert!(
        report.starts_with(&format!("{file}: 5 errors\n")),
        "{report}"
    );
    for (at, what) in [
        ("1:1", "the file has no `version`"),
        ("19:6", "item id 'Posture' must be lower-case"),
        (
            "33:12",
            "item 'pillow' names source 'nhs-neck', which [sources] does not have; did you mean 'nhs-back'?",
        ),
        ("36:6", "duplicate item id 'pillow' (first used on line 30)"),
        ("47:6", "item 'numb-arm' names no sources"),
    ] {
        assert!(
            report.contains(&format!("  error: {file}:{at}: {what}")),
            "{at} {what}\n{report}"
        );
    }
    assert!(
        report.trim_end().ends_with("checked 1 file: 1 with errors"),
        "{report}"
    );
}

#[test]
fn each_broken_fixture_fails_at_its_place() {
    let output = Test::new()
        .fixture_folder("content/broken", "broken")
        .args(["check", "broken"])
        .run()
        .code(1);
    let report = output.stdout_text();
    let mut names = std::fs::read_dir(Path::new(ROOT).join("tests/fixtures/content/broken"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect::<Vec<_>>();
    names.sort();
    // The table of where each breaks covers the folder.
    let mut known: Vec<&str> = BROKEN.iter().map(|(file, _, _)| *file).collect();
    known.sort();
    assert_eq!(names, known);
    for (file, at, message) in BROKEN {
        let error = format!("broken/{file}: 1 error\n  error: broken/{file}:{at}: {message}");
        assert!(report.contains(&error), "{file}: no `{error}` in\n{report}");
    }
    assert!(
        report.contains(&format!(
            "checked {} files: {} with errors",
            names.len(),
            names.len()
        )),
        "{report}"
    );
}

#[test]
fn a_translation_that_differs_from_its_original_fails() {
    // Each translation of back-care.en.toml, as a practice would name it,
    // and what is wrong with it.
    let translation = |fixture: &str| {
        std::fs::read(
            Path::new(ROOT)
                .join("tests/fixtures/content/translations")
                .join(fixture),
        )
        .unwrap()
    };
    for (fixture, error) in [
        ("back-care.es.toml", None),
        (
            "missing-id.es.toml",
            Some(
                "leaflets/back-care.es.toml:99:1: section 'get-help' lacks the warning sign \
                 'bleeding' of the 'en' file it translates",
            ),
        ),
        (
            "extra-id.es.toml",
            Some(
                "leaflets/back-care.es.toml:88:1: item 'stool' is not in section 'at-work' of \
                 the 'en' file it translates",
            ),
        ),
    ] {
        let output = Test::new()
            .folder("leaflets")
            .file("leaflets/back-care.es.toml", translation(fixture))
            .fixture("content/practice/back-care.en.toml")
            .args([
                "check",
                "--date",
                "2026-12-02",
                "leaflets",
                "back-care.en.toml",
            ])
            .run();
        let report = output.stdout_text();
        match error {
            None => {
                assert_eq!(output.code, Some(0), "{fixture}: {report}");
                assert!(
                    report.contains("leaflets/back-care.es.toml: back-care (es)"),
                    "{report}"
                );
            }
            Some(error) => {
                assert_eq!(output.code, Some(1), "{fixture}: {report}");
                let expected = format!("leaflets/back-care.es.toml: 1 error\n  error: {error}");
                assert!(
                    report.contains(&expected),
                    "{fixture}: no `{expected}` in\n{report}"
                );
            }
        }
    }
}

#[test]
fn review_dates_past_and_coming_are_named() {
    let output = Test::new()
        .fixture_folder("content/governance", "leaflets")
        .args(["check", "--date", "2026-12-02", "leaflets"])
        .run()
        .code(1);
    let report = output.stdout_text();
    assert!(
        report.contains("error: old-care (en) was due for review on 2025-03-01"),
        "{report}"
    );
    assert!(report.contains("1 past its review date"), "{report}");
    // 60 days before back-care's review is due, and one day more.
    let soon = Test::new()
        .fixture_folder("content/practice", "leaflets")
        .args(["check", "--date", "2028-09-02", "leaflets"])
        .run()
        .success();
    assert!(
        soon.stdout_text()
            .contains("warning: review due on 2028-11-01, in 60 days"),
        "{}",
        soon.stdout_text()
    );
    let later = Test::new()
        .fixture_folder("content/practice", "leaflets")
        .args(["check", "--date", "2028-09-01", "leaflets"])
        .run()
        .success();
    assert!(later.stdout_text().contains("  review due 2028-11-01\n"));
}

#[test]
fn a_grade_above_the_limit_fails() {
    let output = Test::new()
        .fixture_folder("content/practice", "leaflets")
        .args([
            "check",
            "--date",
            "2026-12-02",
            "--max-grade",
            "5",
            "leaflets",
        ])
        .run()
        .code(1);
    let report = output.stdout_text();
    assert!(
        report.contains("  error: reading age about 12 to 13 (SMOG grade 7.3), above SMOG grade 5, the most allowed; aim for 5 or lower\n"),
        "{report}"
    );
    assert!(
        report.contains("1 too hard to read (above SMOG grade 5)"),
        "{report}"
    );
    Test::new()
        .args(["check", "--max-grade", "0"])
        .run()
        .code(2)
        .stderr_contains("--max-grade 0 is not a grade");
}

/// The grades textstat 0.7.3 gives, by file, from tests/readability.py;
/// fails the test, in one line, without Python or textstat.
fn textstat(files: &[&str]) -> Vec<(f64, f64)> {
    let import = Command::new("python3")
        .args(["-c", "import textstat"])
        .output();
    require_tool(
        import.is_ok(),
        "python3 is not installed: install Python 3, then `pip install textstat==0.7.3`",
    );
    require_tool(
        import.is_ok_and(|output| output.status.success()),
        "Python's textstat is not installed: pip install textstat==0.7.3",
    );
    let script = Path::new(ROOT).join("tests/readability.py");
    let run = Command::new("python3")
        .arg(&script)
        .args(files)
        .current_dir(ROOT)
        .output()
        .expect("failed to run python3");
    // The script's own refusal, such as another version of textstat, is one
    // line too.
    assert!(
        run.status.success(),
        "tests/readability.py failed: {}",
        String::from_utf8_lossy(&run.stderr).trim()
    );
    let stdout = String::from_utf8(run.stdout).unwrap();
    stdout
        .lines()
        .map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            (fields[1].parse().unwrap(), fields[2].parse().unwrap())
        })
        .collect()
}

#[test]
#[ignore = "needs Python's textstat 0.7.3; run with -- --include-ignored"]
fn grades_agree_with_textstat() {
    let files = [
        "content/leg-cramps.en.toml",
        "tests/fixtures/content/practice/back-care.en.toml",
        "tests/fixtures/content/governance/draft-care.en.toml",
    ];
    let expected = textstat(&files);
    let mut test = Test::new().args(["check", "--date", "2026-12-02"]);
    for file in &files[1..] {
        test = test.fixture(&file["tests/fixtures/".len()..]);
    }
    let names: Vec<&str> = files[1..]
        .iter()
        .map(|file| file.rsplit('/').next().unwrap())
        .collect();
    let report = test.args(&names).run().stdout_text().to_string();
    let builtin = Test::new().args(["check", "--date", "2026-12-02"]).run();
    let mut measured = grades(builtin.stdout_text());
    measured.extend(grades(&report));
    assert_eq!(measured.len(), files.len(), "{report}");
    // Both count the same sentences, words and syllables, so the grades
    // agree to within 0.1, as shown to one decimal.
    for ((file, smog, fk), (want_smog, want_fk)) in measured.iter().zip(&expected) {
        eprintln!(
            "{file}: SMOG {smog} (textstat {want_smog:.2}), Flesch-Kincaid {fk} (textstat {want_fk:.2})"
        );
        assert!(
            (smog - want_smog).abs() <= 0.1,
            "{file}: SMOG {smog} vs {want_smog}"
        );
        assert!((fk - want_fk).abs() <= 0.1, "{file}: FK {fk} vs {want_fk}");
    }
}

#[test]
fn the_committed_schema_is_the_programs() {
    let printed = Test::new().arg("schema").run().success();
    let committed =
        std::fs::read_to_string(Path::new(ROOT).join("content/topic.schema.json")).unwrap();
    assert_eq!(
        printed.stdout_text(),
        committed,
        "content/topic.schema.json is out of date: run `cargo run -- schema > content/topic.schema.json`"
    );
    let schema: serde_json::Value = serde_json::from_str(&committed).unwrap();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(schema["additionalProperties"], false);
    // Every built-in topic starts with the line that points an editor at it.
    for name in ["leg-cramps.en.toml", "leg-cramps.es.toml"] {
        let text = std::fs::read_to_string(Path::new(ROOT).join("content").join(name)).unwrap();
        assert!(text.starts_with("#:schema ./topic.schema.json\n"), "{name}");
    }
}

#[test]
fn schema_write_puts_it_beside_the_topics_and_keeps_other_files() {
    let test = Test::new().folder("leaflets");
    let output = test
        .clone()
        .args(["schema", "--write", "leaflets"])
        .run()
        .success();
    let written = output.read_text("leaflets/topic.schema.json");
    assert_eq!(written, Test::new().arg("schema").run().stdout_text());
    test.clone()
        .args(["schema", "--write", "leaflets"])
        .run()
        .success()
        .stderr_contains("is up to date");
    // A file of the practice's own under that name is never replaced.
    let other = Test::new()
        .folder("mine")
        .file("mine/topic.schema.json", "{\"mine\": true}")
        .args(["schema", "--write", "mine"])
        .run()
        .code(2)
        .stderr_contains("is not a topic schema this program wrote");
    assert_eq!(
        other.read_text("mine/topic.schema.json"),
        "{\"mine\": true}"
    );
    // A folder that is not there yet is made: a practice's first step.
    let made = Test::new()
        .args(["schema", "--write", "leaflets/new"])
        .run()
        .success();
    assert!(made.path("leaflets/new/topic.schema.json").is_file());
    // Something else at the folder's name is refused.
    Test::new()
        .file("taken", "a file")
        .args(["schema", "--write", "taken"])
        .run()
        .code(2);
}

/// Taplo's command line, where `npm ci` has installed it in tests/node;
/// fails the test without it.
fn taplo() -> std::path::PathBuf {
    let path = Path::new(ROOT).join("tests/node/node_modules/.bin/taplo");
    require_tool(
        path.exists(),
        "Taplo is not installed: run `npm ci --prefix tests/node` (it needs Node.js)",
    );
    path
}

/// Taplo's check of `file` against the schema its `#:schema` line names,
/// or the committed schema: whether it passed, and what it said.
fn taplo_check(taplo: &Path, file: &Path) -> (bool, String) {
    let schema = format!("file://{ROOT}/content/topic.schema.json");
    let output = Command::new(taplo)
        .args(["check", "--schema", &schema])
        .arg(file)
        .env("RUST_LOG", "error")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&output.stdout).to_string()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.success(), said)
}

#[test]
#[ignore = "needs Taplo (npm ci --prefix tests/node); run with -- --include-ignored"]
fn taplo_accepts_every_good_file_and_finds_the_shape_errors() {
    let taplo = taplo();
    let root = Path::new(ROOT);
    // The built-ins, by their own #:schema line, as an editor reads them.
    for name in ["leg-cramps.en.toml", "leg-cramps.es.toml"] {
        let file = root.join("content").join(name);
        let output = Command::new(&taplo)
            .args(["check"])
            .arg(&file)
            .env("RUST_LOG", "error")
            .current_dir(root.join("content"))
            .output()
            .unwrap();
        assert!(output.status.success(), "{name}: {output:?}");
    }
    let good = ["practice", "governance", "translations"];
    for folder in good {
        for entry in std::fs::read_dir(root.join("tests/fixtures/content").join(folder)).unwrap() {
            let file = entry.unwrap().path();
            let (passed, said) = taplo_check(&taplo, &file);
            assert!(passed, "{}: {said}", file.display());
        }
    }
    // What the schema can say, it says at the same line `handout check` gives.
    for (name, line, what) in [
        ("bad-id.en.toml", 35, "does not match"),
        (
            "unknown-role.en.toml",
            14,
            "is not one of [\"info\",\"choose\",\"urgent\"]",
        ),
    ] {
        let file = root.join("tests/fixtures/content/broken").join(name);
        let (passed, said) = taplo_check(&taplo, &file);
        assert!(!passed, "{name}: {said}");
        assert!(said.contains(what), "{name}: {said}");
        assert!(said.contains(&format!("{name}:{line}:")), "{name}: {said}");
    }
    // A misspelt key, a missing one and a date in quotes.
    let builtin = std::fs::read_to_string(root.join("content/leg-cramps.en.toml")).unwrap();
    let edited = builtin
        .replacen(
            "lead = \"Walk every day.\"",
            "laed = \"Walk every day.\"",
            1,
        )
        .replacen("checked-on = 2026-12-07", "checked-on = \"last week\"", 1);
    let test = Test::new().file("edited.toml", &edited);
    let (passed, said) = taplo_check(&taplo, &test.dir().join("edited.toml"));
    assert!(!passed);
    assert!(said.contains("'laed' was unexpected"), "{said}");
    assert!(said.contains("\"lead\" is a required property"), "{said}");
    assert!(said.contains("\"last week\" is not a \"date\""), "{said}");
}

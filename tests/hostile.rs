//! Batch and render under hostile input and faults: nothing lost, nothing
//! mixed up, nothing overwritten, nothing left behind, and every failure
//! said where and what to do.

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{DATE, Mount, Output, Test, read_csv, read_manifest, require_tool};

/// The last line of standard error: the summary.
fn summary(out: &Output) -> &str {
    out.stderr.lines().last().unwrap_or_default()
}

/// The manifest's records after its header.
fn manifest(out: &Output) -> Vec<BTreeMap<String, String>> {
    read_manifest(&out.read_text("out/manifest.csv"))
}

/// A roster of `rows` patients with the default advice.
fn roster(rows: usize) -> String {
    let mut text = String::from("name,weeks\n");
    for i in 1..=rows {
        text.push_str(&format!("Patient {i},{}\n", 12 + i % 28));
    }
    text
}

/// Asserts that every handout the manifest lists as made is in the folder
/// with the SHA-256 the manifest gives, and that every PDF in the folder
/// is in the manifest: the manifest never disagrees with the folder.
#[track_caller]
fn assert_manifest_agrees(out: &Output) {
    let listed: Vec<(String, String)> = manifest(out)
        .into_iter()
        .filter(|record| record["status"] == "written" || record["status"] == "unchanged")
        .map(|record| (record["file"].clone(), record["sha256"].clone()))
        .collect();
    for (file, sha) in &listed {
        assert_eq!(&out.sha256(&format!("out/{file}")), sha, "{file}");
    }
    for name in out.list("out") {
        if name.ends_with(".pdf") {
            assert!(
                listed.iter().any(|(file, _)| *file == name),
                "{name} is in the folder but not in the manifest"
            );
        }
    }
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn an_unclosed_quote_fails_its_row_and_never_swallows_the_next() {
    for (text, row) in [
        // Never closed.
        (
            &b"name,weeks,note\nAna,28,\"unterminated note\nBea,30,ok\nCas,31,fine\n"[..],
            2,
        ),
        // Closed only at the end of a later row.
        (
            b"name,weeks,note\nAna,28,\"unterminated note\nBea,30,ok\nCas,31,fine\"\n",
            2,
        ),
        // Closed on a later row with more text after it.
        (
            b"name,weeks,note\nAna,28,\"note\nBea,30,\"ok\"\nCas,31,\"fine\"\n",
            2,
        ),
    ] {
        let out = Test::batch(text).run().code(1);
        assert!(
            out.stderr
                .lines()
                .next()
                .is_some_and(|line| line.starts_with(&format!("roster.csv, row {row}, column C: "))),
            "{}",
            out.stderr
        );
        assert_eq!(
            summary(&out),
            "2 written, 1 failed (row 2)",
            "{}",
            out.stderr
        );
        let files = out.list("out");
        assert_eq!(files, ["3-Bea.pdf", "4-Cas.pdf", "manifest.csv"]);
        let bea = out.pdf("out/3-Bea.pdf").text();
        bea.assert_has("Prepared for Bea · 30 weeks");
        bea.assert_lacks("Cas");
        bea.assert_lacks("Ana");
        let records = manifest(&out);
        assert_eq!(records[0]["row"], "2");
        assert!(records[0]["status"].starts_with("failed: "), "{records:?}");
    }
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn a_note_over_several_lines_stays_one_cell() {
    let text = b"name,weeks,note\r\nAna,28,\"Rest.\r\nThen stretch.\"\r\nBea,30,\r\n";
    let out = Test::batch(text).run().success();
    // Bea is on line 4 but in the spreadsheet's row 3.
    assert_eq!(out.list("out"), ["2-Ana.pdf", "3-Bea.pdf", "manifest.csv"]);
    let ana = out.pdf("out/2-Ana.pdf").text();
    ana.assert_has("Rest. Then stretch.");
    ana.assert_lacks("Bea");
}

#[test]
fn old_mac_and_mixed_line_ends_number_rows_as_a_spreadsheet_does() {
    for text in [
        &b"name,weeks\rAna,28\rBea,30\rCas,50\r"[..],
        b"name,weeks\r\nAna,28\rBea,30\nCas,50",
    ] {
        let out = Test::batch(text).run().code(1);
        assert_eq!(out.list("out"), ["2-Ana.pdf", "3-Bea.pdf", "manifest.csv"]);
        assert!(
            out.stderr
                .starts_with("roster.csv, row 4, column B: weeks must be"),
            "{}",
            out.stderr
        );
        assert_eq!(summary(&out), "2 written, 1 failed (row 4)");
    }
}

#[test]
fn formulas_never_reach_the_spreadsheet() {
    let text = "id,name,weeks\n\
        =5,\"=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\",28\n\
        +1,=cmd|' /C calc'!A0,29\n\
        @SUM(A1),-Ana,30\n\
        7,Bea,99\n";
    let out = Test::batch(text.as_bytes()).run().code(1);
    let manifest_text = out.read_text("out/manifest.csv");
    for record in read_csv(&manifest_text) {
        for cell in &record {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "cell {cell:?} would run as a formula:\n{manifest_text}"
            );
        }
    }
    let records = manifest(&out);
    assert_eq!(records[0]["id"], "'=5");
    assert_eq!(records[0]["name"], "'=HYPERLINK(\"http://x\",\"click\")");
    assert_eq!(records[1]["name"], "'=cmd|' /C calc'!A0");
    assert_eq!(records[2]["id"], "'@SUM(A1)");
    for name in out.list("out") {
        assert!(!name.starts_with(['=', '+', '-', '@']), "{name}");
    }
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn a_name_like_a_formula_prints_on_the_page_as_written() {
    let text = "name,weeks\n\"=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\",28\n";
    let out = Test::batch(text.as_bytes()).run().success();
    let file = &manifest(&out)[0]["file"];
    out.pdf(&format!("out/{file}"))
        .text()
        .assert_has("Prepared for =HYPERLINK(\"http://x\",\"click\")");
}

#[test]
fn a_planted_link_at_any_target_gets_nothing() {
    let roster = b"name,weeks\nAna,28\n";
    for target in ["out/2-Ana.pdf", "out/manifest.csv", "all.pdf"] {
        for force in [false, true] {
            let mut test = Test::batch(roster)
                .folder("out")
                .file("victim.txt", "keep me")
                .args(["--combined", "all.pdf"]);
            if force {
                test = test.arg("--force");
            }
            symlink(test.dir().join("victim.txt"), test.dir().join(target)).unwrap();
            let out = test.run();
            assert_ne!(out.code, Some(0), "{target}: {}", out.stderr);
            assert!(
                out.stderr.contains("is a symbolic link"),
                "{target}: {}",
                out.stderr
            );
            assert_eq!(out.read("victim.txt"), b"keep me", "{target} force={force}");
            assert!(fs::symlink_metadata(out.path(target)).unwrap().is_symlink());
            out.assert_no_leftovers(&[".", "out"]);
        }
    }
}

#[test]
fn a_link_to_an_identical_handout_is_not_a_handout() {
    let first = Test::batch(b"name,weeks\nAna,28\n").run().success();
    let test = Test::batch(b"name,weeks\nAna,28\n")
        .folder("out")
        .file("ana.pdf", first.read("out/2-Ana.pdf"));
    symlink(test.dir().join("ana.pdf"), test.dir().join("out/2-Ana.pdf")).unwrap();
    let out = test.run().code(1);
    assert!(
        out.stderr
            .starts_with("roster.csv, row 2: `out/2-Ana.pdf` is a symbolic link"),
        "{}",
        out.stderr
    );
    assert_eq!(summary(&out), "0 written, 1 failed (row 2)");
}

#[test]
fn render_never_writes_through_a_link() {
    let test = Test::new()
        .file("victim.txt", "keep me")
        .args(["render", "--date", DATE, "-o", "ana.pdf", "--force"]);
    symlink(test.dir().join("victim.txt"), test.dir().join("ana.pdf")).unwrap();
    let out = test.run().code(2);
    assert!(out.stderr.contains("is a symbolic link"), "{}", out.stderr);
    assert_eq!(out.read("victim.txt"), b"keep me");
    out.assert_no_leftovers(&["."]);
}

#[test]
fn no_output_is_ever_an_input() {
    let roster = b"name,weeks\nAna,28\n";
    // --combined at the roster, with and without --force.
    for force in [false, true] {
        let mut test = Test::batch(roster).args(["--combined", "roster.csv"]);
        if force {
            test = test.arg("--force");
        }
        let out = test.run().code(2);
        assert!(
            out.stderr.contains("is the roster this run reads"),
            "{}",
            out.stderr
        );
        assert_eq!(out.read("roster.csv"), roster);
        assert!(!out.path("out").exists());
    }
    // A roster called manifest.csv in the output folder.
    let out = Test::new()
        .folder("out")
        .file("out/manifest.csv", roster)
        .args([
            "batch",
            "out/manifest.csv",
            "-o",
            "out",
            "--date",
            DATE,
            "--force",
        ])
        .run()
        .code(2);
    assert!(out.stderr.contains("is the roster"), "{}", out.stderr);
    assert_eq!(out.read("out/manifest.csv"), roster);
    assert_eq!(out.list("out"), ["manifest.csv"]);
    // A hard link to the roster at a handout's name.
    let test = Test::batch(roster).folder("out").arg("--force");
    fs::hard_link(
        test.dir().join("roster.csv"),
        test.dir().join("out/2-Ana.pdf"),
    )
    .unwrap();
    let out = test.run().code(2);
    assert!(
        out.stderr.contains("`roster.csv`, under another name"),
        "{}",
        out.stderr
    );
    assert_eq!(out.read("roster.csv"), roster);
    // render -o at the practice file.
    let out = Test::new()
        .arg("render")
        .practice()
        .args(["-o", "practice.toml", "--force"])
        .run()
        .code(2);
    assert!(
        out.stderr.contains("is the practice file"),
        "{}",
        out.stderr
    );
    assert_eq!(
        out.read_text("practice.toml"),
        crate::util::PRACTICE_EXAMPLE
    );
}

#[test]
fn files_the_program_did_not_write_are_kept() {
    let roster = b"name,weeks\nAna,28\n";
    // A combined target that is not a PDF, even with --force.
    let out = Test::batch(roster)
        .file("notes.txt", "my notes")
        .args(["--combined", "notes.txt", "--force"])
        .run()
        .code(2);
    assert!(out.stderr.contains("is not a PDF"), "{}", out.stderr);
    assert_eq!(out.read("notes.txt"), b"my notes");
    // A manifest.csv that is not a manifest needs --force.
    let base = Test::batch(roster)
        .folder("out")
        .file("out/manifest.csv", "date,amount\n2026-11-01,12\n");
    let out = base.clone().run().code(2);
    assert!(
        out.stderr.contains("is not a handout manifest"),
        "{}",
        out.stderr
    );
    assert_eq!(out.list("out"), ["manifest.csv"]);
    let out = base.arg("--force").run().success();
    assert_eq!(manifest(&out).len(), 1);
    // A handout name taken by a file that is not a PDF.
    let out = Test::batch(roster)
        .folder("out")
        .file("out/2-Ana.pdf", "not a pdf")
        .arg("--force")
        .run()
        .code(1);
    assert!(out.stderr.contains("is not a PDF"), "{}", out.stderr);
    assert_eq!(out.read("out/2-Ana.pdf"), b"not a pdf");
}

/// Whether `path` is a character device.
fn is_device(path: &str) -> bool {
    use std::os::unix::fs::FileTypeExt;
    fs::metadata(path).is_ok_and(|meta| meta.file_type().is_char_device())
}

#[test]
#[ignore = "needs /dev/full; run with -- --include-ignored"]
fn a_full_device_is_an_error_and_stays_a_device() {
    require_tool(
        is_device("/dev/full"),
        "there is no /dev/full, a device that is always full: run this test on Linux",
    );
    let out = Test::new()
        .args(["render", "--date", DATE, "-o", "/dev/full", "--force"])
        .run()
        .code(2);
    assert!(out.stderr.contains("No space left"), "{}", out.stderr);
    assert!(is_device("/dev/full"));
    out.assert_no_leftovers(&["."]);
}

#[test]
fn dev_stdout_is_written_into_and_never_replaced() {
    // /dev/stdout leads to the pipe the test reads.
    let out = Test::new()
        .args(["render", "--date", DATE, "-o", "/dev/stdout", "--force"])
        .run()
        .success();
    assert!(out.stdout.starts_with(b"%PDF-"), "{}", out.stderr);
    assert!(fs::symlink_metadata("/dev/stdout").unwrap().is_symlink());
    out.assert_no_leftovers(&["."]);
}

/// Makes a FIFO called `name` in `dir`, and gives its path.
pub(crate) fn mkfifo(dir: &Path, name: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    let status = Command::new("mkfifo").arg(&path).status().unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
    path
}

#[test]
fn fifos_and_devices_at_target_or_input_names_never_hang() {
    // A FIFO at a handout's name: that row fails, the others are made.
    let test = Test::batch(b"name,weeks\nAna,28\nBea,30\n").folder("out");
    mkfifo(test.dir(), "out/2-Ana.pdf");
    let out = test.run_within(60).code(1);
    assert!(
        out.stderr
            .starts_with("roster.csv, row 2: `out/2-Ana.pdf` is a FIFO"),
        "{}",
        out.stderr
    );
    assert!(out.path("out/3-Bea.pdf").is_file());
    // A link to /dev/zero at a handout's name.
    let test = Test::batch(b"name,weeks\nAna,28\n")
        .folder("out")
        .arg("--force");
    symlink("/dev/zero", test.dir().join("out/2-Ana.pdf")).unwrap();
    let out = test.run_within(60).code(1);
    assert!(out.stderr.contains("is a symbolic link"), "{}", out.stderr);
    // A practice file that is a device or a FIFO.
    let out = Test::new()
        .args(["render", "--practice", "/dev/zero", "-o", "a.pdf"])
        .run_within(60)
        .code(2);
    assert!(out.stderr.contains("not a regular file"), "{}", out.stderr);
    let test = Test::new().args(["render", "--practice", "p.toml", "-o", "a.pdf"]);
    mkfifo(test.dir(), "p.toml");
    let out = test.run_within(60).code(2);
    assert!(out.stderr.contains("not a regular file"), "{}", out.stderr);
    // A roster that is a device.
    let out = Test::new()
        .args(["batch", "/dev/zero", "-o", "out", "--date", DATE])
        .run_within(60)
        .code(2);
    assert!(out.stderr.contains("not a regular file"), "{}", out.stderr);
}

#[test]
fn a_roster_may_come_from_standard_input_or_a_pipe() {
    let out = Test::new()
        .args(["batch", "-", "-o", "out", "--date", DATE])
        .stdin("name,weeks\nAna,28\n")
        .run()
        .success();
    assert_eq!(out.list("out"), ["2-Ana.pdf", "manifest.csv"]);
    let out = Test::new()
        .args(["batch", "-", "-o", "out", "--date", DATE])
        .stdin("[[patient]]\nname = \"Bea\"\nweeks = 30\n")
        .run()
        .success();
    assert_eq!(out.list("out"), ["1-Bea.pdf", "manifest.csv"]);
    // A FIFO with a writer, as `<(...)` gives.
    let test = Test::new().args(["batch", "r.csv", "-o", "out", "--date", DATE]);
    let fifo = mkfifo(test.dir(), "r.csv");
    let writer = std::thread::spawn(move || fs::write(fifo, "name,weeks\nCas,31\n"));
    let out = test.run().success();
    writer.join().unwrap().unwrap();
    assert_eq!(out.list("out"), ["2-Cas.pdf", "manifest.csv"]);
}

#[test]
fn inputs_too_large_are_refused_without_reading_them_all() {
    let big = "x".repeat(1024 * 1024 + 1);
    let out = Test::new()
        .file("p.toml", &big)
        .args(["render", "--practice", "p.toml", "-o", "a.pdf"])
        .run()
        .code(2);
    assert!(out.stderr.contains("larger than 1 MB"), "{}", out.stderr);
    // A topic file too large is that topic's error, when it is used.
    let out = Test::new()
        .folder("leaflets")
        .file("leaflets/big.en.toml", &big)
        .args([
            "render",
            "--content",
            "leaflets",
            "--topic",
            "big",
            "-o",
            "a.pdf",
        ])
        .run()
        .code(1);
    assert!(out.stderr.contains("larger than 1 MB"), "{}", out.stderr);
    // A roster through a pipe whose writer never stops: refused at the
    // limit, not read for ever.
    let test = Test::new().args(["batch", "r.csv", "-o", "out", "--date", DATE]);
    let fifo = mkfifo(test.dir(), "r.csv");
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        let mut pipe = fs::OpenOptions::new().write(true).open(fifo)?;
        pipe.write_all(b"name,note\n")?;
        let row = format!("Ana,{}\n", "x".repeat(4096));
        loop {
            // Ends when the reader closes the pipe.
            pipe.write_all(row.as_bytes())?;
        }
    });
    let out = test.run_within(60).code(2);
    assert!(out.stderr.contains("larger than 50 MB"), "{}", out.stderr);
    let stopped: std::io::Result<()> = writer.join().unwrap();
    assert!(stopped.is_err(), "the writer ran out of things to write");
    // Nothing beside the pipe: no folder, no manifest.
    assert_eq!(out.created_files(), ["r.csv"]);
}

#[test]
fn a_bad_cell_fails_its_row_and_the_others_are_made() {
    // A UTF-8 file (Zoë) with one byte from another encoding.
    let mut roster = "name,weeks\nZoë,28\n".as_bytes().to_vec();
    roster.extend_from_slice(b"Jos\xe9 Ruiz,30\nBea,\x0031\nCas,32\n");
    let out = Test::batch(&roster).run().code(1);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert!(
        lines[0].starts_with("roster.csv, row 3, column A: this cell is not UTF-8"),
        "{lines:?}"
    );
    assert!(
        lines[1].starts_with("roster.csv, row 4, column B: this cell has a NUL byte"),
        "{lines:?}"
    );
    assert_eq!(summary(&out), "2 written, 2 failed (rows 3, 4)");
    assert_eq!(out.list("out"), ["2-Zoë.pdf", "5-Cas.pdf", "manifest.csv"]);
    // A file of many NULs is no roster at all.
    let out = Test::batch([b"name\n".as_slice(), &[0; 64]].concat())
        .run()
        .code(2);
    assert!(out.stderr.contains("is not a text file"), "{}", out.stderr);
}

#[test]
fn echoed_values_are_cut_and_the_manifest_holds_only_checked_ones() {
    let long = "9".repeat(1024 * 1024);
    let text = format!("id,name,weeks\n{long},Ana,{long}\n");
    let out = Test::batch(text.as_bytes()).run().code(1);
    assert!(
        out.stderr.len() < 1000,
        "{} bytes of stderr",
        out.stderr.len()
    );
    assert!(out.stderr.contains('…'), "{}", out.stderr);
    let manifest = out.read("out/manifest.csv");
    assert!(
        manifest.len() < 1000,
        "{} bytes of manifest",
        manifest.len()
    );
    // The id failed its check, so the manifest has none, only the name.
    let rows = read_manifest(&out.read_text("out/manifest.csv"));
    assert_eq!(
        (rows[0]["id"].as_str(), rows[0]["name"].as_str()),
        ("", "Ana")
    );
    // Quoted back in the row's status, at most 40 characters of it.
    assert!(!String::from_utf8_lossy(&manifest).contains(&"9".repeat(41)));
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run with -- --include-ignored"]
fn misleading_characters_never_reach_a_file_name_or_the_page() {
    let text = "name,weeks\n\"Ana\u{202e}gpj.exe\",28\n\"Bea\u{200b}\u{ad}Smith\",30\n\"Rene\u{301}e\",31\n";
    let out = Test::batch(text.as_bytes()).run().code(1);
    assert!(
        out.stderr.starts_with(
            "roster.csv, row 2, column A: name has an invisible direction control (U+202E)"
        ),
        "{}",
        out.stderr
    );
    assert_eq!(
        out.list("out"),
        ["3-BeaSmith.pdf", "4-Ren\u{e9}e.pdf", "manifest.csv"]
    );
    // On the page, invisible characters draw nothing and copy as nothing;
    // an accent typed apart stays on its letter.
    let bea = out.pdf("out/3-BeaSmith.pdf").text();
    bea.assert_has("Prepared for BeaSmith ·");
    assert!(
        !bea.raw.contains(['\u{200b}', '\u{ad}', '\u{202e}']),
        "{:?}",
        bea.raw
    );
    let renee = out.pdf("out/4-Ren\u{e9}e.pdf").text();
    assert!(
        renee.raw.contains("Prepared for Rene\u{301}e ·")
            || renee.raw.contains("Prepared for Ren\u{e9}e ·"),
        "{:?}",
        renee.raw
    );
}

#[test]
fn a_second_run_on_a_folder_in_use_is_refused() {
    let test = Test::batch(b"name,weeks\nAna,28\n").folder("out");
    let lock = fs::File::create(test.dir().join("out/.handout.lock")).unwrap();
    fs::write(
        test.dir().join("out/.handout.lock"),
        "handout run\nhost = clinic-pc\npid = 4242\nsince = 2026-12-01T09:14:00Z\n",
    )
    .unwrap();
    lock.lock().unwrap();
    let out = test.run().code(2);
    assert!(
        out.stderr.starts_with(
            "error: `out` is in use by another handout run, on host clinic-pc (process 4242) since "
        ),
        "{}",
        out.stderr
    );
    assert_eq!(out.list("out"), [".handout.lock"]);
    drop(lock);
    // A lock from another computer that holds no system lock needs --force.
    let out = test.run().code(2);
    assert!(
        out.stderr.contains("use --force to take the lock over"),
        "{}",
        out.stderr
    );
    let out = test.clone().arg("--force").run().success();
    assert!(out.stderr.contains("took over the lock"), "{}", out.stderr);
    out.assert_no_leftovers(&["out"]);
}

#[test]
fn a_lock_left_by_a_dead_run_here_is_taken_over() {
    let host = Command::new("hostname").output().unwrap().stdout;
    let host = String::from_utf8(host).unwrap();
    let out = Test::batch(b"name,weeks\nAna,28\n")
        .folder("out")
        .file(
            "out/.handout.lock",
            format!(
                "handout run\nhost = {}\npid = 999999999\nsince = 2026-12-01T09:14:00Z\n",
                host.trim()
            ),
        )
        .run()
        .success();
    assert!(out.stderr.contains("took over the lock"), "{}", out.stderr);
    out.assert_no_leftovers(&["out"]);
}

#[test]
fn an_existing_combined_file_is_kept_and_an_unwritable_one_refused_before_any_row() {
    // Yesterday's combined file is not this run's: it is kept, and said so
    // after the handouts were made.
    let out = Test::batch(b"name,weeks\nAna,28\n")
        .file("all.pdf", "%PDF-1.7 yesterday's clinic")
        .args(["--combined", "all.pdf"])
        .run()
        .code(2);
    assert!(
        out.stderr.contains(
            "error: --combined `all.pdf` exists and holds other handouts than this run's"
        ) && out.stderr.contains("use --force to replace it"),
        "{}",
        out.stderr
    );
    assert_eq!(out.read("all.pdf"), b"%PDF-1.7 yesterday's clinic");
    assert_eq!(summary(&out), "1 written");
    out.assert_no_leftovers(&[".", "out"]);
    let out = Test::batch(b"name,weeks\nAna,28\n")
        .args(["--combined", "nowhere/all.pdf"])
        .run()
        .code(2);
    assert!(out.stderr.contains("does not exist"), "{}", out.stderr);
    assert!(!out.path("out").exists());
}

#[test]
#[ignore = "needs root, to mount a tmpfs; run with -- --include-ignored"]
fn a_read_only_output_folder_is_refused_first() {
    let test = Test::batch(b"name,weeks\nAna,28\nBea,30\n");
    // A read-only file system stops root too, whom permissions do not.
    let _mount = Mount::tmpfs(&test.dir().join("out"), "1m", ",ro");
    let out = test.run().code(2);
    assert!(
        out.stderr.starts_with("error: cannot write in `out`"),
        "{}",
        out.stderr
    );
    assert_eq!(summary(&out), "0 written, 2 not made");
}

#[test]
#[ignore = "needs root, to mount a tmpfs, and qpdf; run with -- --include-ignored"]
fn a_full_disk_leaves_whole_files_a_true_manifest_and_no_temporaries() {
    let test = Test::batch(roster(40).as_bytes()).args(["--combined", "out/all.pdf"]);
    let _mount = Mount::tmpfs(&test.dir().join("out"), "160k", "");
    let out = test.run();
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(out.stderr.contains("No space left"), "{}", out.stderr);
    assert!(
        summary(&out).contains(" written, ") && summary(&out).contains(" failed (rows "),
        "the run does not end with its summary:\n{}",
        out.stderr
    );
    out.assert_no_leftovers(&["out"]);
    if out.path("out/manifest.csv").exists() {
        assert_manifest_agrees(&out);
    } else {
        assert!(
            out.stderr.contains("the manifest is missing"),
            "{}",
            out.stderr
        );
    }
    for name in out.list("out") {
        if name.ends_with(".pdf") {
            out.pdf(&format!("out/{name}")).assert_qpdf_clean();
        }
    }
}

#[test]
#[ignore = "needs root, to mount a tmpfs; run with -- --include-ignored"]
fn a_manifest_that_cannot_be_written_is_missing_not_wrong() {
    let test = Test::batch(roster(3).as_bytes());
    let _mount = Mount::tmpfs(&test.dir().join("out"), "128k", "");
    test.run().success();
    // Fill what is left but one page, which the lock file takes, so that
    // the rerun can write no manifest.
    const PAGE: usize = 4096;
    let filler = test.dir().join("out/filler.bin");
    let mut size = 16 * PAGE;
    let mut len = 0;
    while size >= PAGE {
        if fs::write(&filler, vec![0; len + size]).is_ok() {
            len += size;
        } else {
            size /= 2;
        }
    }
    fs::write(&filler, vec![0; len - PAGE]).unwrap();
    // Rows that fail make a manifest larger than the old one, whose space
    // is freed when it is removed.
    let mut longer = roster(3);
    for i in 0..40 {
        longer.push_str(&format!("Patient {},ninety-nine weeks\n", 100 + i));
    }
    fs::write(test.dir().join("roster.csv"), longer).unwrap();
    let out = test.clone().arg("--force").run().code(2);
    assert!(
        out.stderr.contains("the manifest is missing"),
        "{}",
        out.stderr
    );
    assert!(!out.path("out/manifest.csv").exists());
    assert!(
        summary(&out).starts_with("0 written, 3 unchanged, 40 failed (rows 5, 6,"),
        "{}",
        out.stderr
    );
    out.assert_no_leftovers(&["out"]);
}

#[test]
#[ignore = "needs root, to mount a tmpfs; run with -- --include-ignored"]
fn a_full_disk_under_the_combined_file_leaves_no_temporary() {
    let test = Test::batch(roster(30).as_bytes()).args(["--combined", "small/all.pdf"]);
    let _mount = Mount::tmpfs(&test.dir().join("small"), "24k", "");
    let out = test.run().code(2);
    assert!(
        out.stderr.contains("failed to write the combined PDF"),
        "{}",
        out.stderr
    );
    assert_eq!(out.list("small"), Vec::<String>::new());
    assert!(summary(&out).starts_with("30 written"), "{}", out.stderr);
    assert_manifest_agrees(&out);
}

/// The rows of the batch that is interrupted.
const ROWS: usize = 300;

/// Starts a long batch, waits until it has written a few handouts, sends it
/// `signal`, and returns what it printed.
fn interrupt(signal: &str) -> (Test, std::process::Output) {
    let test = Test::batch(roster(ROWS).as_bytes()).args(["--combined", "all.pdf", "--jobs", "1"]);
    let child = test
        .command()
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = test.dir().join("out");
    let start = Instant::now();
    loop {
        let pdfs = fs::read_dir(&out).map_or(0, |entries| {
            entries
                .flatten()
                .filter(|entry| entry.file_name().to_string_lossy().ends_with(".pdf"))
                .count()
        });
        if pdfs >= 5 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "no handouts written"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let status = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    (test, child.wait_with_output().unwrap())
}

#[test]
fn ctrl_c_and_sigterm_leave_whole_files_and_nothing_else() {
    for signal in ["-INT", "-TERM"] {
        let (test, output) = interrupt(signal);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{signal}: {stderr}");
        assert!(
            stderr.contains("error: interrupted; no temporary file is left"),
            "{signal}: {stderr}"
        );
        let names: Vec<String> = fs::read_dir(test.dir().join("out"))
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names.iter().all(|name| name.ends_with(".pdf")),
            "{signal}: {names:?}"
        );
        let top: Vec<String> = fs::read_dir(test.dir())
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            !top.iter().any(|name| name.starts_with(".handout")),
            "{signal}: {top:?}"
        );
        // Every file there is whole: the one being written when the signal
        // came is the one most likely cut short, wherever it falls. (qpdf
        // reads the files a full disk leaves, which are made the same way,
        // in a_full_disk_leaves_whole_files_a_true_manifest_and_no_temporaries.)
        for name in &names {
            let bytes = fs::read(test.dir().join("out").join(name)).unwrap();
            assert!(
                bytes.starts_with(b"%PDF-") && bytes.ends_with(b"%%EOF\n"),
                "{name} is not whole"
            );
        }
        // The same command again finishes the job.
        let out = test.clone().run().success();
        let line = summary(&out);
        let counts: Vec<usize> = line
            .split([',', ';'])
            .filter_map(|part| part.split_whitespace().next()?.parse().ok())
            .collect();
        assert_eq!(counts.iter().sum::<usize>(), ROWS, "{line}");
        assert!(
            line.ends_with(&format!("; all.pdf: {ROWS} pages")),
            "{line}"
        );
        out.assert_pdf_file("all.pdf");
    }
}

#[test]
fn long_paths_say_so() {
    let long = format!("{}.pdf", "a".repeat(300));
    let out = Test::new()
        .args(["render", "--date", DATE, "-o", &long])
        .run()
        .code(2);
    assert!(
        out.stderr.contains("too long for this system"),
        "{}",
        out.stderr
    );
    let out = Test::new()
        .file("roster.csv", "name,weeks\nAna,28\n")
        .args([
            "batch",
            "roster.csv",
            "--date",
            DATE,
            "-o",
            &"d".repeat(300),
        ])
        .run()
        .code(2);
    assert!(
        out.stderr.contains("too long for this system"),
        "{}",
        out.stderr
    );
    // The longest legal name is fine: the temporary name is short.
    let longest = format!("{}.pdf", "b".repeat(251));
    let out = Test::new()
        .args(["render", "--date", DATE, "-o", &longest])
        .run()
        .success();
    out.assert_pdf_file(&longest);
}

#[test]
fn a_roster_without_a_header_is_named_without_showing_a_patient() {
    let out = Test::batch("Ana López,28,walking\nBea Smith,30,\n".as_bytes())
        .run()
        .code(2);
    assert!(
        out.stderr.starts_with(
            "error: roster.csv, row 1, column A: the first row looks like data, not column names"
        ),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("Ana"), "{}", out.stderr);
}

#[test]
fn toml_rosters_say_what_a_field_wants_and_fail_only_that_row() {
    let text = "[[patient]]\nname = \"Ana\"\nweeks = [1, 2]\n\n\
                [[patient]]\nname = \"Bea\"\nweeks = 30\n\n\
                [[patient]]\nname = \"Cas\"\nweeks = true\n\n\
                [[patient]]\nname = \"Dee\"\nweek = 31\n";
    let out = Test::new()
        .file("r.toml", text)
        .args(["batch", "r.toml", "-o", "out", "--date", DATE])
        .run()
        .code(1);
    assert_eq!(out.list("out"), ["5-Bea.pdf", "manifest.csv"]);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(
        lines,
        [
            "r.toml:3:1: `weeks` must be a number or a text, like 28 or \"28\", not an array",
            "r.toml:11:1: `weeks` must be a number or a text, like 28 or \"28\", not true",
            "r.toml:15:1: unknown field `week`; did you mean 'weeks'?",
            "1 written, 3 failed (rows 1, 9, 13)",
        ],
        "{}",
        out.stderr
    );
}

#[test]
fn too_many_jobs_are_capped_with_a_note() {
    let out = Test::batch(b"name,weeks\nAna,28\n")
        .args(["--jobs", "100000"])
        .run()
        .success();
    assert!(
        out.stderr
            .starts_with("note: --jobs 100000 is more than this computer can use"),
        "{}",
        out.stderr
    );
}

#[test]
#[ignore = "needs script (util-linux); run with -- --include-ignored"]
fn a_pdf_is_never_dumped_on_a_terminal() {
    // `script` gives the program a terminal for its standard output.
    let dir = Test::new();
    let command = format!(
        "{} render --date {DATE} -o -",
        env!("CARGO_BIN_EXE_handout")
    );
    let output = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(dir.dir())
        .output();
    require_tool(
        output.is_ok(),
        "`script` is not installed: install util-linux",
    );
    let output = output.expect("script runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("will not write a PDF to the terminal"),
        "{text}"
    );
    assert!(!text.contains("%PDF"), "{text}");
}

#[test]
fn practice_files_with_unquoted_numbers_are_explained() {
    let out = Test::new()
        .file("practice.toml", "phone = 0123 456\n")
        .args(["render", "--practice", "practice.toml", "-o", "a.pdf"])
        .run()
        .code(2);
    assert!(
        out.stderr.starts_with(
            "error: practice.toml:1:9: `phone` needs quotes around its value: write phone = \"0123 456\""
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("hint: `handout practice --example > practice.toml`"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_example_practice_file_is_built_in() {
    let out = Test::new().args(["practice", "--example"]).run().success();
    assert_eq!(out.stdout_text(), crate::util::PRACTICE_EXAMPLE);
}

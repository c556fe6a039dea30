//! A run writes, empties or removes only what it created itself: a file the
//! user put at one of its names, under any kind of link, keeps its bytes
//! and its names.

use std::fs;
use std::path::Path;

use crate::hostile::mkfifo;
use crate::util::Test;

/// How many names a file has.
fn link_count(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(path).unwrap().nlink()
}

const ROSTER: &[u8] = b"name,weeks\nAna,28\nBea,30\n";

#[test]
fn a_hard_link_at_the_lock_file_is_refused_and_both_names_keep_the_file() {
    let test = Test::batch(ROSTER).folder("out");
    fs::hard_link(
        test.dir().join("roster.csv"),
        test.dir().join("out/.handout.lock"),
    )
    .unwrap();
    let out = test.run().code(2);
    assert!(
        out.stderr
            .contains("`out/.handout.lock` is a hard link to another file"),
        "{}",
        out.stderr
    );
    assert_eq!(out.read("roster.csv"), ROSTER);
    assert_eq!(out.read("out/.handout.lock"), ROSTER);
    assert_eq!(out.list("out"), [".handout.lock"]);

    // The lock in the combined file's folder, linked to the practice file.
    let test = Test::batch(ROSTER)
        .practice()
        .folder("c")
        .args(["--combined", "c/day.pdf"]);
    fs::hard_link(
        test.dir().join("practice.toml"),
        test.dir().join("c/.handout.lock"),
    )
    .unwrap();
    let practice = fs::read(test.dir().join("practice.toml")).unwrap();
    let out = test.run().code(2);
    assert!(out.stderr.contains("is a hard link"), "{}", out.stderr);
    assert_eq!(out.read("practice.toml"), practice);
    assert_eq!(out.read("c/.handout.lock"), practice);
    assert_eq!(link_count(&out.path("practice.toml")), 2);
}

#[test]
fn a_lock_file_the_user_wrote_is_kept_and_named() {
    for text in ["my shopping list\n", "handout run\nbut not ours"] {
        let out = Test::batch(ROSTER)
            .folder("out")
            .file("out/.handout.lock", text)
            .arg("--force")
            .run()
            .code(2);
        assert!(
            out.stderr.contains(
                "error: `out/.handout.lock` was not written by handout, and handout needs the \
                 name for its lock file"
            ),
            "{}",
            out.stderr
        );
        assert_eq!(out.read_text("out/.handout.lock"), text);
        assert_eq!(out.list("out"), [".handout.lock"]);
    }
}

#[test]
fn files_at_temporary_names_are_removed_only_if_they_could_be_ours() {
    // A run that was killed leaves temporaries that hold part of a PDF or a
    // manifest; the next run removes them. A user's file at such a name, or
    // a link to one, is not ours.
    let test = Test::batch(ROSTER)
        .folder("out")
        .file("out/.handout-aaaaaaaaaa.tmp", "%PDF-1.7\n% half a handout")
        .file("out/.handout-bbbbbbbbbb.tmp", "")
        .file("out/.handout-cccccccccc.tmp", "my own notes")
        .file("diary.txt", "dear diary");
    fs::hard_link(
        test.dir().join("diary.txt"),
        test.dir().join("out/.handout-dddddddddd.tmp"),
    )
    .unwrap();
    fs::write(test.dir().join("out/.handout-eeeeeeeeee.tmp"), b"%PDF-1.7").unwrap();
    fs::hard_link(
        test.dir().join("out/.handout-eeeeeeeeee.tmp"),
        test.dir().join("kept.pdf"),
    )
    .unwrap();
    let out = test.run().success();
    assert_eq!(
        out.list("out"),
        [
            ".handout-cccccccccc.tmp",
            ".handout-dddddddddd.tmp",
            ".handout-eeeeeeeeee.tmp",
            "2-Ana.pdf",
            "3-Bea.pdf",
            "manifest.csv"
        ]
    );
    assert_eq!(out.read_text("out/.handout-cccccccccc.tmp"), "my own notes");
    assert_eq!(out.read_text("diary.txt"), "dear diary");
    assert_eq!(link_count(&out.path("diary.txt")), 2);
    assert_eq!(out.read("kept.pdf"), b"%PDF-1.7");
}

#[test]
fn a_manifest_with_other_names_is_replaced_never_emptied() {
    // A clinic keeps yesterday's manifest by linking it elsewhere; today's
    // run replaces the name in the folder and leaves the copy whole.
    let test = Test::batch(ROSTER);
    let out = test.run().success();
    let yesterday = out.read("out/manifest.csv");
    fs::hard_link(out.path("out/manifest.csv"), out.path("yesterday.csv")).unwrap();
    fs::write(test.dir().join("roster.csv"), "name,weeks\nCas,31\n").unwrap();
    let out = test.run().success();
    assert_eq!(out.read("yesterday.csv"), yesterday);
    assert!(out.read_text("out/manifest.csv").contains("Cas"));
    assert_eq!(link_count(&out.path("yesterday.csv")), 1);
}

#[test]
fn a_combined_fifo_nobody_reads_is_refused_at_once_and_unlocks() {
    let test = Test::batch(ROSTER).args(["--combined", "day.pdf"]);
    mkfifo(test.dir(), "day.pdf");
    let out = test.run_within(60).code(2);
    assert!(
        out.stderr.contains(
            "--combined: failed to write `day.pdf`: it is a FIFO that no program is reading from"
        ),
        "{}",
        out.stderr
    );
    assert!(!out.path("out/.handout.lock").exists());
    // The same FIFO in the output folder, where a lock is taken too.
    let test = Test::batch(ROSTER)
        .folder("out")
        .args(["--combined", "out/day.pdf"]);
    mkfifo(test.dir(), "out/day.pdf");
    let out = test.run_within(60).code(2);
    assert!(
        out.stderr.contains("no program is reading"),
        "{}",
        out.stderr
    );
    assert_eq!(out.list("out"), ["day.pdf"]);
}

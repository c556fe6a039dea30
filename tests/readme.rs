//! The README's commands work word for word for a practice that installed
//! the program and has no source tree: each `sh` block of the sections
//! below is run, line by line, in an empty folder with `handout` on the
//! `PATH`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::Test;

/// The repository, where the README is.
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The sections whose commands a practice runs after `cargo install`.
const SECTIONS: [&str; 2] = ["## Installing it", "## Your own leaflets"];

/// The lines of the `sh` blocks of the README's section headed `heading`,
/// comments and `cargo` commands aside (those need the source tree).
fn commands(readme: &str, heading: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut in_block = false;
    let mut pending = String::new();
    for line in section(readme, heading).lines() {
        match line.trim() {
            "```sh" => in_block = true,
            "```" => in_block = false,
            _ if !in_block => {}
            text => {
                pending.push_str(text.trim_end_matches('\\'));
                if text.ends_with('\\') {
                    pending.push(' ');
                    continue;
                }
                let command = std::mem::take(&mut pending);
                if !command.is_empty()
                    && !command.starts_with('#')
                    && !command.starts_with("cargo ")
                {
                    lines.push(command);
                }
            }
        }
    }
    lines
}

/// The README's section headed `heading`, up to the next `## ` heading.
fn section<'a>(readme: &'a str, heading: &str) -> &'a str {
    let start = readme
        .find(&format!("\n{heading}\n"))
        .unwrap_or_else(|| panic!("the README has no section `{heading}`"));
    let section = &readme[start + 1..];
    let end = section[heading.len()..]
        .find("\n## ")
        .map_or(section.len(), |end| end + heading.len());
    &section[..end]
}

/// A folder holding only `handout`, as `cargo install` leaves it.
fn installed(test: &Test) -> PathBuf {
    let bin = test.dir().join("cargo-bin");
    fs::create_dir_all(&bin).expect("failed to make a bin folder");
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_handout"), bin.join("handout"))
        .expect("failed to link the program");
    bin
}

#[test]
fn the_readmes_commands_work_word_for_word_after_install() {
    let readme = fs::read_to_string(Path::new(ROOT).join("README.md")).expect("README.md");
    for heading in SECTIONS {
        let test = Test::new();
        let bin = installed(&test);
        let work = test.dir().join("practice");
        fs::create_dir(&work).expect("failed to make the practice's folder");
        let path = std::env::join_paths(
            std::iter::once(bin).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
        )
        .expect("a PATH");
        let lines = commands(&readme, heading);
        assert!(!lines.is_empty(), "no commands under `{heading}`");
        for line in lines {
            let output = Command::new("sh")
                .args(["-c", &line])
                .current_dir(&work)
                .env("PATH", &path)
                .env("NO_COLOR", "1")
                .output()
                .expect("failed to run sh");
            assert!(
                output.status.success(),
                "{heading}: `{line}` failed with {}:\n{}",
                output.status,
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
}

#[test]
fn the_launchers_point_to_a_readme_section_that_says_how_to_install() {
    let readme = fs::read_to_string(Path::new(ROOT).join("README.md")).expect("README.md");
    for launcher in [
        "handout-serve.sh",
        "handout-serve.command",
        "handout-serve.bat",
    ] {
        let text =
            fs::read_to_string(Path::new(ROOT).join("scripts").join(launcher)).expect("a launcher");
        let (_, rest) = text
            .split_once("see \\\"")
            .or_else(|| text.split_once("see \""))
            .unwrap_or_else(|| panic!("{launcher} names no README section"));
        let section = rest.split(['\\', '"']).next().unwrap_or_default();
        assert!(
            readme.contains(&format!("\n## {section}\n")),
            "{launcher} points to \"{section}\", which the README has no heading for"
        );
        assert!(
            text.contains("cargo install --locked --path ."),
            "{launcher} does not give the install command"
        );
        assert!(
            self::section(&readme, &format!("## {section}"))
                .contains("cargo install --locked --path ."),
            "the README's \"{section}\" does not give the install command"
        );
    }
}

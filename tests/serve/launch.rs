//! The server's life: started by the launcher script as a double-click
//! starts it, and stopped with Ctrl-C having kept nothing a patient gave.

use std::path::Path;

use super::{BAD_ROWS, Server, urlencoded};
use crate::util::{DATE, Test};

/// The folders a program may write to besides its working folder: for
/// temporary files, and under the home folder and the cache.
const ELSEWHERE: [(&str, &str); 3] = [
    ("TMPDIR", "tmp"),
    ("HOME", "home"),
    ("XDG_CACHE_HOME", "cache"),
];

/// The names in a folder, hidden ones too.
fn names_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap_or_else(|error| panic!("failed to list `{}`: {error}", folder.display()))
        .map(|entry| {
            let entry = entry.expect("an entry");
            entry.file_name().to_string_lossy().into_owned()
        })
        .collect();
    names.sort();
    names
}

#[cfg(unix)]
#[test]
fn nothing_a_patient_gave_is_stored_or_printed() {
    // Each place the server could keep something is an empty folder of the
    // test's own, so that what it leaves anywhere is seen.
    let mut test = Test::new();
    for (variable, folder) in ELSEWHERE {
        test = test.folder(folder);
        let path = test.dir().join(folder);
        test = test.env(variable, path);
    }
    let server = Server::start(&test);
    let form = urlencoded(&[
        ("topic", "leg-cramps"),
        ("name", "Ana López"),
        ("weeks", "28"),
        ("note", "Quiet words for Ana alone."),
    ]);
    for target in ["/handout", "/api/fit", "/api/preview"] {
        server.form(target, &form).send().status(200);
    }
    let query = format!("date={DATE}&file=roster.csv");
    for endpoint in ["check", "combined", "zip"] {
        server.roster(endpoint, &query, BAD_ROWS).send().status(200);
    }

    let (code, printed) = server.interrupt();
    assert_eq!(code, Some(0), "printed:\n{printed}");
    assert!(
        printed.contains("nothing was stored"),
        "printed:\n{printed}"
    );
    for secret in [
        "Ana",
        "López",
        "Quiet words",
        "Gwen Hall",
        "Lou Moss",
        "0023",
    ] {
        assert!(
            !printed.contains(secret),
            "{secret:?} was printed:\n{printed}"
        );
    }
    let mut folders: Vec<&str> = ELSEWHERE.iter().map(|(_, folder)| *folder).collect();
    folders.sort_unstable();
    let left = names_in(test.dir());
    assert_eq!(left, folders, "the server left files in its folder");
    for (variable, folder) in ELSEWHERE {
        let left = names_in(&test.dir().join(folder));
        assert!(
            left.is_empty(),
            "the server left {left:?} in its {variable}"
        );
    }
}

#[cfg(unix)]
#[test]
fn the_launcher_opens_the_page_with_the_practice_file_beside_it() {
    let test = Test::new()
        .file(
            "handout-serve.sh",
            include_str!("../../scripts/handout-serve.sh"),
        )
        .file("practice.toml", crate::util::PRACTICE_EXAMPLE)
        .folder("bin");
    std::os::unix::fs::symlink(
        env!("CARGO_BIN_EXE_handout"),
        test.dir().join("bin/handout"),
    )
    .expect("failed to link the program into bin/");
    // As a double-click runs it: the program found on the PATH the
    // launcher sets up, no display here, so no browser is started.
    let mut command = std::process::Command::new("sh");
    command
        .arg("handout-serve.sh")
        .current_dir(test.dir())
        .env(
            "PATH",
            format!("{}:/usr/bin:/bin", test.dir().join("bin").display()),
        )
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY");
    let server = Server::spawn(&mut command, &test);
    let page = server.get("/").send().status(200).kind("text/html");
    assert!(page.text().contains("Riverside Midwifery Practice"));
    assert!(page.text().contains("value=\"Jo Smith\""));
}

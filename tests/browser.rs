//! The page of `handout serve` in a real browser: Debian's Chromium, driven
//! by Playwright (tests/browser/e2e.mjs) as a midwife would use it, then
//! every file it downloaded checked here with the tools a person would
//! trust: pdftotext for the handout, `handout batch` itself for the roster's
//! zip, pdfinfo for the combined file, and pdftoppm against a screenshot of
//! the preview for the picture.
//!
//! It needs Chromium, Node.js with the npm packages of tests/node (`npm ci
//! --prefix tests/node`), pdftoppm and Python, so it is ignored unless asked
//! for (`-- --include-ignored`), and then fails without them, saying what
//! to install. `HANDOUT_SCREENSHOT=FILE` saves the screenshot shown in the
//! README (docs/serve.png).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::serve::Server;
use crate::svg::{Gray, MIN_SSIM, MIN_TILE_SSIM, ssim};
use crate::util::{PRACTICE_EXAMPLE, Pdf, Test, read_manifest, require_tool, runs};

/// What the browser script found.
#[derive(Debug)]
struct Found(serde_json::Value);

impl Found {
    fn text(&self, key: &str) -> &str {
        self.0[key]
            .as_str()
            .unwrap_or_else(|| panic!("the script found no {key}: {:#}", self.0))
    }
}

/// Unpacks a zip with Python's zipfile, which checks every CRC.
fn unzip(archive: &Path, into: &Path) {
    let status = Command::new("python3")
        .args([
            "-c",
            "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); \
             assert z.testzip() is None; z.extractall(sys.argv[2])",
        ])
        .arg(archive)
        .arg(into)
        .status()
        .expect("failed to run python3");
    assert!(status.success(), "the zip did not unpack");
}

/// Every file in a folder, by name, with its bytes.
fn files_in(folder: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(folder)
        .expect("a folder")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.is_file())
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, fs::read(&path).expect("a file"))
        })
        .collect()
}

#[test]
#[ignore = "needs Chromium, Node.js (npm ci --prefix tests/node), pdftoppm and Python; run with -- --include-ignored"]
fn a_midwife_makes_and_prints_a_handout_and_a_clinic_day_in_chromium() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let node_modules = root.join("tests/node/node_modules");
    let tools = [
        (
            Path::new("/usr/bin/chromium").is_file(),
            "Chromium is not installed at /usr/bin/chromium: install chromium",
        ),
        (
            runs("node", &["--version"]),
            "Node.js is not installed: install nodejs and npm",
        ),
        (
            node_modules.join("playwright-core").is_dir() && node_modules.join("axe-core").is_dir(),
            "playwright-core and axe-core are not installed: run `npm ci --prefix tests/node`",
        ),
        (
            runs("pdftoppm", &["-v"]),
            "pdftoppm is not installed: install poppler-utils",
        ),
        (
            runs("python3", &["--version"]),
            "python3 is not installed: install Python 3",
        ),
    ];
    for (available, missing) in tools {
        require_tool(available, missing);
    }
    let test = Test::new();
    let out = test.dir().join("browser");
    fs::create_dir(&out).expect("a folder for the downloads");
    let roster = root.join("tests/fixtures/bad-rows/roster.csv");
    let server = Server::start_with(
        &Test::new().file("practice.toml", PRACTICE_EXAMPLE),
        &["--practice", "practice.toml"],
    );
    let mut script = Command::new("node");
    script
        .arg("tests/browser/e2e.mjs")
        .current_dir(&root)
        .env("HANDOUT_URL", server.url())
        .env("OUT", &out)
        .env("ROSTER", &roster)
        .stderr(Stdio::inherit());
    if let Some(screenshot) = std::env::var_os("HANDOUT_SCREENSHOT") {
        script.env("SCREENSHOT", root.join(screenshot));
    }
    let output = script.output().expect("failed to run node");
    drop(server);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let found = Found(serde_json::from_str(stdout.trim()).unwrap_or_else(|error| {
        panic!("the browser script printed no result ({error}):\n{stdout}")
    }));
    assert!(output.status.success(), "the browser script failed");
    eprintln!("browser: {:#}", found.0);
    assert_eq!(found.0["problems"], serde_json::json!([]), "{:#}", found.0);

    // The token left the address bar for a cookie.
    assert_eq!(found.text("landed"), "/");
    // Opened again in the same browser, the address leads to the page; in
    // another, it is refused with what to do.
    assert_eq!(found.text("secondTab"), "/");
    assert_eq!(found.0["secondTabStatus"], 200);
    assert_eq!(found.0["elsewhereStatus"], 403);
    let elsewhere = found.text("elsewhereText");
    assert!(
        elsewhere.contains("works only once") && elsewhere.contains("start it again"),
        "{elsewhere}"
    );
    // The fit line and the preview followed the form.
    assert!(found.text("fit").starts_with("Fits on one page"));
    let over = found.text("over");
    assert!(
        over.starts_with("Over by ") && over.contains("mm: untick one of "),
        "{over}"
    );
    let preview = found.text("previewText");
    for expected in [
        "Prepared for Ana López · 28 weeks",
        "Try a support belt.",
        "Call me if one leg gets swollen or red.",
    ] {
        assert!(preview.contains(expected), "the preview lacks {expected:?}");
    }
    assert!(!preview.contains("Walk every day."), "unticked, yet shown");

    // The PDF downloaded is the handout as ticked and typed.
    let today = jiff::Zoned::now().date();
    assert_eq!(found.text("pdfName"), format!("Ana-López-{today}.pdf"));
    let handout = Pdf::at(&out.join("handout.pdf"));
    assert_eq!(handout.info().pages(), 1);
    let text = handout.text();
    text.assert_has("Prepared for Ana López");
    text.assert_has("28 weeks");
    text.assert_has("Try a support belt.");
    text.assert_has("Call me if one leg gets swollen or red.");
    text.assert_lacks("Walk every day.");

    // The preview is the printed page: pdftoppm at 100 dpi against the
    // preview shown at 100/72 pixels a point.
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", "100", "-singlefile"])
        .arg(out.join("handout.pdf"))
        .arg(out.join("printed"))
        .status()
        .expect("failed to run pdftoppm");
    assert!(status.success());
    let printed = Gray::read(&out.join("printed.png"));
    let shown = Gray::read(&out.join("preview.png"));
    assert!(
        printed.width.abs_diff(shown.width) <= 1 && printed.height.abs_diff(shown.height) <= 1,
        "the preview is {}x{} px, the printed page {}x{}",
        shown.width,
        shown.height,
        printed.width,
        printed.height
    );
    let (width, height) = (
        printed.width.min(shown.width),
        printed.height.min(shown.height),
    );
    let similarity = ssim(
        &printed.cropped(width, height),
        &shown.cropped(width, height),
    );
    eprintln!(
        "preview against pdftoppm -r 100 ({width} x {height} px): SSIM {:.4}, worst tile {:.4}",
        similarity.mean, similarity.worst_tile
    );
    assert!(
        similarity.mean >= MIN_SSIM && similarity.worst_tile >= MIN_TILE_SSIM,
        "the preview differs from the printed page: {similarity:?}"
    );

    // The roster: each bad row's error at the row `handout batch` names,
    // and the same files and manifest as it writes.
    let batch = Test::new()
        .fixture("bad-rows/roster.csv")
        .args(["batch", "roster.csv", "-o", "out", "--date", "2026-11-25"])
        .practice()
        .run();
    assert_eq!(batch.code, Some(1), "{}", batch.stderr);
    let batch_rows: Vec<u64> = batch
        .stderr
        .lines()
        .filter_map(|line| line.strip_prefix("roster.csv, row "))
        .filter_map(|rest| rest.split([',', ':']).next()?.parse().ok())
        .collect();
    let page_rows: Vec<u64> = found.0["batchRows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| row["row"].as_u64().expect("a row number"))
        .collect();
    assert_eq!(page_rows, batch_rows);
    assert_eq!(found.text("zipName"), "handouts-2026-11-25.zip");
    let unpacked = out.join("unpacked");
    unzip(&out.join("handouts.zip"), &unpacked);
    let from_page = files_in(&unpacked);
    let from_batch = files_in(&batch.path("out"));
    assert_eq!(
        from_page.keys().collect::<Vec<_>>(),
        from_batch.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &from_batch {
        assert!(
            from_page[name] == *bytes,
            "{name} differs from handout batch's"
        );
    }
    let manifest = read_manifest(&String::from_utf8_lossy(&from_page["manifest.csv"]));
    let written = manifest
        .iter()
        .filter(|row| row["status"] == "written")
        .count();
    let combined = Pdf::at(&out.join("combined.pdf"));
    assert_eq!(combined.info().pages() as usize, written);
    assert_eq!(found.text("combinedName"), "clinic-day-2026-11-25.pdf");

    // Without JavaScript the form still makes the handout.
    assert_eq!(found.text("noScriptLeaflet"), "es");
    assert_eq!(
        found.0["noScriptDraftBadge"], 1,
        "the Spanish draft shows its badge"
    );
    assert_eq!(
        found.text("noScriptPdfName"),
        format!("Bea-Smith-{today}.pdf")
    );
    let plain = Pdf::at(&out.join("no-script.pdf")).text();
    plain.assert_has("Prepared for Bea Smith");
    plain.assert_lacks("Walk every day.");

    // axe-core: nothing serious or critical, and nothing at all here.
    let axe = found.0["axe"].as_array().expect("axe's findings");
    assert!(axe.is_empty(), "axe-core found: {axe:#?}");

    // The keyboard alone reaches every field and an item, ticks it and
    // opens its text.
    let reached: Vec<&str> = found.0["keyboardReached"]
        .as_array()
        .expect("the focus path")
        .iter()
        .filter_map(|id| id.as_str())
        .collect();
    for id in ["name", "weeks", "note", "midwife", "date"] {
        assert!(
            reached.contains(&id),
            "Tab never reached #{id}: {reached:?}"
        );
    }
    assert_eq!(found.0["spaceToggles"], true);
    assert_eq!(found.0["enterOpensDetails"], true);
    // At 200 % zoom on a small laptop, nothing runs off the page.
    assert_eq!(found.0["zoomOverflow"], 0);
    assert_eq!(found.0["zoomTargets"], serde_json::json!([]));
}

//! Every font the binary embeds has its licence in the repository, beside
//! it in `fonts/`, and a credit in the README. The fonts are found where
//! they are embedded, from each `include_bytes!` in the workspace's crates,
//! so a face added later is checked with no change here.

use std::path::{Path, PathBuf};

use skrifa::MetadataProvider;
use skrifa::string::StringId;

/// The workspace's root.
fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The Rust files under `folder`, at any depth.
fn rust_files(folder: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            out.push(path);
        }
    }
}

/// Every file a crate of the workspace embeds with `include_bytes!` or
/// `include_str!`.
fn embedded_files() -> Vec<PathBuf> {
    let mut sources = Vec::new();
    rust_files(&workspace().join("crates"), &mut sources);
    let mut embedded = Vec::new();
    for source in sources {
        let text = std::fs::read_to_string(&source).unwrap_or_default();
        let includes = text
            .match_indices("include_bytes!(")
            .chain(text.match_indices("include_str!("));
        for (at, call) in includes {
            let Some(literal) = text[at..]
                .strip_prefix(call)
                .map(str::trim_start)
                .and_then(|rest| rest.strip_prefix('"'))
                .and_then(|rest| rest.split('"').next())
            else {
                continue;
            };
            let folder = source.parent().expect("a source file is in a folder");
            embedded.push(folder.join(literal));
        }
    }
    embedded.sort();
    embedded.dedup();
    embedded
}

/// Whether a file is a font: by its name, `.ttf`, `.otf` or `.ttc`.
fn is_font(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    [".ttf", ".otf", ".ttc"]
        .iter()
        .any(|extension| name.ends_with(extension))
}

/// A font file's bytes.
fn font_bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path)
        .unwrap_or_else(|error| panic!("failed to read `{}`: {error}", path.display()))
}

/// The family a font names itself, as a credit names it: its typographic
/// family ("Noto Sans"), or its family if it gives none.
fn family(bytes: &[u8], path: &Path) -> String {
    let font = skrifa::FontRef::from_index(bytes, 0)
        .unwrap_or_else(|error| panic!("`{}` is not a font: {error}", path.display()));
    [StringId::TYPOGRAPHIC_FAMILY_NAME, StringId::FAMILY_NAME]
        .into_iter()
        .find_map(|id| font.localized_strings(id).english_or_first())
        .map(|name| name.to_string())
        .unwrap_or_else(|| panic!("`{}` names no family", path.display()))
}

/// The licence file of a font in `fonts/`: `{family}-OFL.txt` or
/// `{family}-LICENSE.txt` beside it, for a file named `{family}-{style}...`;
/// or the file that `fonts/README.md` names in the font's row of its table,
/// where "same" means the row above's.
fn licence_of(font: &Path) -> Option<PathBuf> {
    let folder = font.parent()?;
    let name = font.file_name()?.to_string_lossy().to_string();
    let stem = name.split('-').next().unwrap_or(&name);
    let beside = ["OFL.txt", "LICENSE.txt", "LICENCE.txt"]
        .iter()
        .map(|suffix| folder.join(format!("{stem}-{suffix}")))
        .find(|path| path.is_file());
    if beside.is_some() {
        return beside;
    }
    let readme = std::fs::read_to_string(folder.join("README.md")).ok()?;
    let mut last = None;
    for row in readme.lines().filter(|line| line.starts_with('|')) {
        let named = row
            .split('`')
            .skip(1)
            .step_by(2)
            .find(|file| file.ends_with(".txt") || file.contains("LICEN"))
            .map(|file| folder.join(file));
        if named.is_some() {
            last = named;
        }
        if row.contains(&format!("`{name}`")) {
            return last.filter(|path| path.is_file());
        }
    }
    None
}

#[test]
fn every_embedded_font_has_its_licence_beside_it_and_a_credit_in_the_readme() {
    let readme = std::fs::read_to_string(workspace().join("README.md")).expect("a README");
    let fonts: Vec<PathBuf> = embedded_files()
        .into_iter()
        .filter(|path| is_font(path))
        .collect();
    assert!(fonts.len() >= 26, "only {fonts:?} found embedded");
    let mut problems = Vec::new();
    for font in &fonts {
        let shown = font
            .file_name()
            .map_or_else(String::new, |name| name.to_string_lossy().to_string());
        match licence_of(font) {
            Some(licence) => {
                let text = std::fs::read_to_string(&licence).unwrap_or_default();
                if text.trim().len() < 200 {
                    problems.push(format!(
                        "{shown}: its licence {licence:?} is empty or short"
                    ));
                }
            }
            None => problems.push(format!(
                "{shown}: no licence beside it (a *-OFL.txt, or a file named in its row of \
                 fonts/README.md)"
            )),
        }
        let family = family(&font_bytes(font), font);
        if !readme.contains(&family) {
            problems.push(format!("{shown}: README.md does not credit {family:?}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_embedded_picture_has_its_licence_beside_it_and_a_credit_in_the_readme() {
    let readme = std::fs::read_to_string(workspace().join("README.md")).expect("a README");
    let pictures: Vec<PathBuf> = embedded_files()
        .into_iter()
        .filter(|path| path.extension().is_some_and(|extension| extension == "svg"))
        .collect();
    assert!(pictures.len() >= 10, "only {pictures:?} found embedded");
    let mut problems = Vec::new();
    for picture in &pictures {
        let name = picture
            .file_name()
            .map_or_else(String::new, |name| name.to_string_lossy().to_string());
        let licence = licence_of(picture)
            .and_then(|licence| std::fs::read_to_string(licence).ok())
            .unwrap_or_default();
        if licence.trim().len() < 200 {
            problems.push(format!("{name}: no licence beside it, or a short one"));
        }
        // Its set, as its row of pictures/README.md names it before the
        // version: "Tabler Icons 3.54.0, `walk`" credits "Tabler Icons".
        let list = std::fs::read_to_string(picture.with_file_name("README.md")).unwrap_or_default();
        let set = list
            .lines()
            .find(|row| row.starts_with('|') && row.contains(&format!("`{name}`")))
            .and_then(|row| row.split('|').nth(4))
            .map(|source| {
                source
                    .split_whitespace()
                    .take_while(|word| !word.starts_with(|c: char| c.is_ascii_digit()))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default();
        if set.is_empty() {
            problems.push(format!(
                "{name}: no row in pictures/README.md names its source"
            ));
        } else if !readme.contains(&set) {
            problems.push(format!("{name}: README.md does not credit {set:?}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_embedded_colour_profile_has_its_licence_beside_it_and_a_credit_in_the_readme() {
    let readme = std::fs::read_to_string(workspace().join("README.md")).expect("a README");
    let profiles: Vec<PathBuf> = embedded_files()
        .into_iter()
        .filter(|path| path.extension().is_some_and(|extension| extension == "icc"))
        .collect();
    assert!(!profiles.is_empty(), "no colour profile found embedded");
    for profile in &profiles {
        let licence = licence_of(profile)
            .and_then(|licence| std::fs::read_to_string(licence).ok())
            .unwrap_or_default();
        assert!(
            licence.contains("CC0 1.0 Universal"),
            "{}",
            profile.display()
        );
        let list = std::fs::read_to_string(profile.with_file_name("README.md")).unwrap_or_default();
        let name = profile.file_name().unwrap().to_string_lossy();
        assert!(
            list.contains(&format!("`{name}`")),
            "{name}: no row in its README"
        );
        assert!(
            readme.contains("Compact ICC Profiles"),
            "README.md does not credit {name}"
        );
    }
}

#[test]
fn a_font_with_no_licence_or_credit_is_found() {
    // The check itself, on a file that exists but has no licence beside it.
    let cargo = workspace().join("Cargo.toml");
    assert_eq!(licence_of(&cargo), None);
    assert!(is_font(Path::new("fonts/NotoSansCJKsc-Regular.ttf")));
    assert!(!is_font(Path::new("tests/fixtures/good-csv/roster.csv")));
    let embedded = embedded_files();
    assert!(
        embedded
            .iter()
            .any(|path| path.ends_with("fonts/AtkinsonHyperlegibleNext-Regular.ttf")),
        "{embedded:?}"
    );
}

//! A day's manifest, `manifest.csv`: for each roster row, the file made,
//! the advice printed and the file's SHA-256, as a record of what each
//! patient was given.
//!
//! A practice manager opens it in a spreadsheet, which runs a cell that
//! starts with `=`, `+`, `-` or `@` as a formula (and treats a leading tab
//! or carriage return the same way). Every such cell is written with a `'`
//! in front, as OWASP's guidance on CSV injection says; spreadsheets show
//! the `'` as the start of the text.

use std::borrow::Cow;

use handout_content::RosterRow;

use crate::outcome::Outcome;

/// The manifest's file name inside the output folder.
pub const MANIFEST: &str = "manifest.csv";

/// The columns, in order.
/// `pages` is how many pages the handout takes (2 in large print, both
/// sides of a sheet); `omitted` the `info` items large print left out to
/// fit them, by id.
/// `gestation_from` says what the weeks printed were counted from ("due
/// date" or "weeks"); `approved` is the practice's sign-off of the text the
/// row was made from, "the Lead Midwife 2026-12-06", or empty.
/// `wording` is the wording printed: the language's own, or a regional one
/// such as "en-GB".
pub const HEADER: [&str; 17] = [
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

/// The header lines earlier versions wrote, so that a rerun into their
/// folders still knows their manifests for ours.
const EARLIER_HEADERS: [&str; 5] = [
    "row,id,name,file,pages,prevention,treatment,sha256,status",
    "row,id,name,topic,language,file,pages,picks,sha256,status",
    "row,id,name,topic,language,version,file,pages,picks,sha256,content_sha256,program,status",
    "row,id,name,topic,language,version,file,pages,picks,gestation_from,sha256,content_sha256,\
     approved,program,status",
    "row,id,name,topic,language,version,file,pages,omitted,picks,gestation_from,sha256,\
     content_sha256,approved,program,status",
];

/// A cell made safe to open in a spreadsheet.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Builds the manifest's bytes from its rows, header first.
#[derive(Debug)]
pub struct Manifest {
    writer: csv::Writer<Vec<u8>>,
}

impl Default for Manifest {
    fn default() -> Self {
        Manifest::new()
    }
}

impl Manifest {
    /// A manifest with its header.
    pub fn new() -> Manifest {
        let mut manifest = Manifest {
            writer: csv::Writer::from_writer(Vec::new()),
        };
        manifest.push(&HEADER);
        manifest
    }

    /// Adds a row, neutralising every cell.
    pub fn push(&mut self, cells: &[&str; HEADER.len()]) {
        // Writing into memory cannot fail.
        let _ = self
            .writer
            .write_record(cells.iter().map(|cell| neutralise(cell).into_owned()));
    }

    /// The finished CSV.
    pub fn into_bytes(self) -> Vec<u8> {
        self.writer
            .into_inner()
            .map_err(|error| error.into_error())
            .expect("writing into memory cannot fail")
    }
}

/// The program and its version, as the manifest records it.
pub const PROGRAM: &str = concat!("handout ", env!("CARGO_PKG_VERSION"));

/// How many bytes of a file [`is_manifest`] needs: its longest known first
/// line and the line end.
pub fn header_len() -> usize {
    EARLIER_HEADERS
        .iter()
        .map(|line| line.len())
        .chain([HEADER.join(",").len()])
        .max()
        .unwrap_or(0)
        + 1
}

/// Whether a file that starts with `start` (its first [`header_len`] bytes
/// or all of it) is a manifest this program wrote, now or in an earlier
/// version: its first line is one of their headers.
pub fn is_manifest(start: &[u8]) -> bool {
    let header = HEADER.join(",");
    let first = start.split(|&b| b == b'\n').next().unwrap_or_default();
    std::iter::once(header.as_str())
        .chain(EARLIER_HEADERS)
        .any(|line| first == line.as_bytes())
}

/// Whether a file that starts with `start` could be a manifest this program
/// was writing when it stopped: a whole manifest header, or the first part
/// of one.
pub fn could_be_manifest(start: &[u8]) -> bool {
    if start.contains(&b'\n') {
        return is_manifest(start);
    }
    let header = HEADER.join(",");
    std::iter::once(header.as_str())
        .chain(EARLIER_HEADERS)
        .any(|line| line.as_bytes().starts_with(start))
}

/// The manifest of a day: a line for every row, in roster order, with its
/// file or why it has none. Only checked values go into it, and every cell
/// is neutralised for spreadsheets.
pub fn manifest_of(rows: &[RosterRow], files: &[String], outcomes: &[Outcome]) -> Manifest {
    let mut manifest = Manifest::new();
    for ((row, file), outcome) in rows.iter().zip(files).zip(outcomes) {
        let line = row.line.to_string();
        let id = row.checked_id().unwrap_or("");
        let name = row.checked_name().unwrap_or_default();
        match outcome {
            Outcome::Made {
                stored,
                provenance,
                sha256,
            } => {
                manifest.push(&[
                    &line,
                    id,
                    &name,
                    &provenance.topic,
                    &provenance.language,
                    &provenance.wording,
                    &provenance.version.to_string(),
                    file,
                    &provenance.pages.to_string(),
                    &provenance.omitted,
                    &provenance.picks,
                    provenance.gestation_from,
                    sha256.as_deref().unwrap_or(""),
                    &provenance.content_sha256,
                    &provenance.approved,
                    PROGRAM,
                    stored.word(),
                ]);
            }
            Outcome::Failed {
                message,
                name_refused,
            } => {
                let status = format!("failed: {message}");
                // A name the check or the page refused is not repeated.
                let name = if *name_refused { "" } else { &name };
                manifest.push(&[
                    &line, id, name, "", "", "", "", "", "0", "", "", "", "", "", "", "", &status,
                ]);
            }
        }
    }
    manifest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        for (cell, safe) in [
            (
                "=HYPERLINK(\"http://x\",\"click\")",
                "'=HYPERLINK(\"http://x\",\"click\")",
            ),
            ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
            ("=5", "'=5"),
            ("+44 1632", "'+44 1632"),
            ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("Ana López", "Ana López"),
            ("0017", "0017"),
            ("", ""),
        ] {
            assert_eq!(neutralise(cell), safe);
        }
    }

    #[test]
    fn manifests_of_this_and_earlier_versions_are_known() {
        for (text, known) in [
            (
                String::from_utf8(Manifest::new().into_bytes()).unwrap(),
                true,
            ),
            (
                format!("{}\n2,,Ana,2-Ana.pdf,1,,,,written\n", EARLIER_HEADERS[0]),
                true,
            ),
            // The last before `gestation_from` and `approved`.
            (
                format!(
                    "{}\n2,,Ana,leg-cramps,en,2,2-Ana.pdf,1,,,,handout 0.1.0,written\n",
                    EARLIER_HEADERS[2]
                ),
                true,
            ),
            // The last before `omitted`.
            (
                format!(
                    "{}\n2,,Ana,leg-cramps,en,2,2-Ana.pdf,1,,weeks,,,,handout 0.1.0,written\n",
                    EARLIER_HEADERS[3]
                ),
                true,
            ),
            ("name,weeks\nAna,28\n".to_string(), false),
            ("row,id,name,file\n".to_string(), false),
            (String::new(), false),
        ] {
            assert_eq!(is_manifest(text.as_bytes()), known, "{text}");
            let start = &text.as_bytes()[..text.len().min(header_len())];
            assert_eq!(is_manifest(start), known, "{text}");
        }
    }

    #[test]
    fn every_cell_of_a_row_is_neutralised() {
        let mut manifest = Manifest::new();
        manifest.push(&[
            "2", "=5", "@x", "en", "-1", "+2", "+3", "2-x.pdf", "1", "", "", "", "", "", "", "",
            "written",
        ]);
        let text = String::from_utf8(manifest.into_bytes()).unwrap();
        assert_eq!(
            text.lines().nth(1),
            Some("2,'=5,'@x,en,'-1,'+2,'+3,2-x.pdf,1,,,,,,,,written")
        );
    }
}

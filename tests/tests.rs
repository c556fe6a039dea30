//! End-to-end tests: run the real `handout` binary and check its PDFs with
//! independent tools (poppler's pdfinfo, pdffonts and pdftotext, and qpdf).
//!
//! `cargo test --workspace` needs only Rust (and a Unix system's `sh` and
//! coreutils). A test that needs more says so where everyone sees it, in
//! `#[ignore = "needs …; run with -- --include-ignored"]`, one wording per
//! set of tools:
//!
//! - "needs poppler-utils and qpdf": reads a PDF back with pdfinfo,
//!   pdffonts, pdftotext or qpdf;
//! - "needs Chromium and pdftoppm (poppler-utils)": tests/svg.rs;
//! - "needs poppler-utils and zbar-tools" and "needs Chromium and
//!   zbar-tools": tests/more_info.rs, which scans the QR code with zbarimg;
//! - "needs Chromium, Node.js (npm ci --prefix tests/node), pdftoppm and
//!   Python": tests/browser.rs;
//! - "needs Python's textstat 0.7.3" and "needs Taplo (npm ci --prefix
//!   tests/node)": tests/check.rs;
//! - "needs Python's outloud, pdfua and pikepdf[pdfa], and poppler-utils":
//!   tests/tagged.rs;
//! - "needs root, to mount a tmpfs" (with ", and qpdf" where it reads the
//!   PDFs too), "needs /dev/full" and "needs script (util-linux)":
//!   tests/hostile.rs.
//!
//! `cargo test --workspace -- --include-ignored` runs them too, as CI does;
//! then a test whose tool is missing fails, saying what to install. No test
//! passes by returning early.

mod approval;
mod batch;
mod browser;
mod characters;
mod check;
mod content;
mod errors;
mod exit_codes;
mod exports;
mod file_names;
mod first_hour;
#[cfg(unix)]
mod hostile;
mod items;
mod languages;
mod large_print;
mod layout_dump;
mod list;
mod more_info;
#[cfg(unix)]
mod owned;
mod pictograms;
mod pictures;
#[cfg(unix)]
mod readme;
mod records;
mod render;
mod rows;
mod scripts;
mod serve;
mod svg;
mod tagged;
mod util;
mod wordings;

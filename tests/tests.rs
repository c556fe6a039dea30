//! End-to-end tests: run the real `handout` binary and check its PDFs with
//! independent tools (poppler's pdfinfo, pdffonts and pdftotext, and qpdf).

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
#[cfg(unix)]
mod hostile;
mod items;
mod languages;
mod list;
#[cfg(unix)]
mod owned;
mod render;
mod rows;
mod scripts;
mod serve;
mod svg;
mod util;

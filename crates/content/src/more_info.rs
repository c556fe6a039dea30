//! The web address a leaflet prints for more information, and the QR code
//! that carries it.
//!
//! The rule for what may be printed lives here, once: an [`Address`] is
//! only made by [`Address::parse`], which the topic and practice files'
//! checks call, and layout draws the very code [`Address::qr_code`] makes,
//! in the space [`CODE_SPACE_MM`] gives it. An address is accepted only if
//! its code fits that space with every module at least [`MIN_MODULE_MM`]
//! wide and its quiet zone around it.
//!
//! ```
//! use handout_content::more_info::{Address, MIN_MODULE_MM};
//!
//! let address = Address::parse("https://www.example.org/leaflets/leg-cramps").unwrap();
//! assert!(address.qr_code().module_mm() >= MIN_MODULE_MM);
//! assert!(Address::parse("http://www.example.org/").is_err());
//! ```

use std::fmt;

use qrcode::{EcLevel, QrCode};

/// The side of the square the code is printed in, quiet zone included, in
/// millimetres. It holds a version 6 code (41 modules and 8 of quiet zone)
/// at 0.51 mm a module: an address of up to [`MAX_ADDRESS_BYTES`] bytes.
/// A shorter address makes a smaller code, drawn in the same square with
/// larger modules, which scan more easily.
pub const CODE_SPACE_MM: f32 = 25.0;

/// The narrowest module printed: a phone's camera reads it from a page
/// held at reading distance, and an office laser printer draws it whole.
pub const MIN_MODULE_MM: f32 = 0.5;

/// The light margin a reader needs around a code, in modules, on every
/// side, as ISO/IEC 18004 asks. Nothing is drawn in it.
pub const QUIET_ZONE_MODULES: usize = 4;

/// The error correction: M restores 15 % of the code, the usual choice for
/// print, which a crease or a smudge may damage.
const ERROR_CORRECTION: EcLevel = EcLevel::M;

/// The longest address (in bytes, which for the ASCII an address is held
/// to are characters) that always fits [`CODE_SPACE_MM`]: what a version 6
/// code holds at level M in byte mode. For the error message only; the
/// rule itself is [`Address::parse`]'s.
pub const MAX_ADDRESS_BYTES: usize = 106;

/// A QR code's modules, row by row from the top, without its quiet zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrModules {
    width: usize,
    dark: Vec<bool>,
}

impl QrModules {
    /// How many modules a side has, without the quiet zone.
    pub fn width(&self) -> usize {
        self.width
    }

    /// How many modules a side has with the quiet zone on both sides: what
    /// the printed square is divided into.
    pub fn width_with_quiet_zone(&self) -> usize {
        self.width + 2 * QUIET_ZONE_MODULES
    }

    /// Whether the module in `row` and `column` (from 0, top left) is dark.
    pub fn is_dark(&self, row: usize, column: usize) -> bool {
        self.dark[row * self.width + column]
    }

    /// Each row's runs of dark modules, as (row, first column, length):
    /// what is drawn, one rectangle a run, rather than one a module.
    pub fn dark_runs(&self) -> Vec<(usize, usize, usize)> {
        let mut runs = Vec::new();
        for (row, modules) in self.dark.chunks(self.width).enumerate() {
            let mut column = 0;
            while column < self.width {
                if !modules[column] {
                    column += 1;
                    continue;
                }
                let start = column;
                while column < self.width && modules[column] {
                    column += 1;
                }
                runs.push((row, start, column - start));
            }
        }
        runs
    }

    /// The width of one module when the code and its quiet zone fill
    /// [`CODE_SPACE_MM`], in millimetres.
    pub fn module_mm(&self) -> f32 {
        CODE_SPACE_MM / self.width_with_quiet_zone() as f32
    }
}

/// The largest number of modules a side may have, quiet zone included, for
/// every module to be at least [`MIN_MODULE_MM`] in [`CODE_SPACE_MM`].
pub fn max_modules() -> usize {
    (CODE_SPACE_MM / MIN_MODULE_MM).floor() as usize
}

/// A web address for more information that its QR code can print: only
/// [`Address::parse`] makes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address(String);

impl Address {
    /// Checks an address a file gives for more information: it must be an
    /// `https://` address with a site's name, in printable ASCII with no
    /// spaces, whose QR code fits its space. The error says what is wrong
    /// and what to write, to follow the key's name ("`more-info` ...").
    pub fn parse(address: &str) -> Result<Address, String> {
        check_address(address)?;
        Ok(Address(address.to_string()))
    }

    /// The address as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Its QR code, at error correction level M, in the smallest version
    /// that holds it: one that fits [`CODE_SPACE_MM`], as `parse` checked.
    pub fn qr_code(&self) -> QrModules {
        qr_code(&self.0).expect("an address is checked to fit its code when it is made")
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The QR code of `address`, at error correction level M, in the smallest
/// version that holds it; an error if it does not fit [`CODE_SPACE_MM`]
/// with modules of [`MIN_MODULE_MM`] or more.
fn qr_code(address: &str) -> Result<QrModules, String> {
    let too_long = || {
        format!(
            "is {} characters long, too long for the {CODE_SPACE_MM} mm QR code the page \
             prints (it holds an address of up to about {MAX_ADDRESS_BYTES} characters); give \
             a shorter address for the same page, such as the site's own short link",
            address.chars().count()
        )
    };
    let code = QrCode::with_error_correction_level(address.as_bytes(), ERROR_CORRECTION).map_err(
        |_| {
            // Longer than a version 40 code holds.
            too_long()
        },
    )?;
    let modules = QrModules {
        width: code.width(),
        dark: code
            .into_colors()
            .into_iter()
            .map(|color| color == qrcode::Color::Dark)
            .collect(),
    };
    if modules.width_with_quiet_zone() > max_modules() {
        return Err(too_long());
    }
    Ok(modules)
}

/// The checks of [`Address::parse`].
fn check_address(address: &str) -> Result<(), String> {
    const EXAMPLE: &str = "\"https://www.nhs.uk/pregnancy/\"";
    if address.is_empty() {
        return Err(format!(
            "is empty; give a web page's address, such as {EXAMPLE}, or leave the key out"
        ));
    }
    if let Some(c) = address
        .chars()
        .find(|c| c.is_whitespace() || c.is_control())
    {
        let what = if c.is_control() {
            format!("a control character (U+{:04X})", c as u32)
        } else {
            "a space".to_string()
        };
        return Err(format!(
            "has {what} in it; copy the address whole from the browser's address bar, where a \
             space is written %20"
        ));
    }
    let Some(rest) = address.strip_prefix("https://") else {
        let scheme = match address.split_once(':') {
            Some((scheme, _)) if !scheme.is_empty() && !scheme.contains(['/', '.']) => {
                format!("a {scheme}: address")
            }
            _ => "an address without https://".to_string(),
        };
        return Err(format!(
            "must be a secure web address that starts with https://, such as {EXAMPLE}, not \
             {scheme}; a patient's phone opens it from the code without showing it first"
        ));
    };
    if let Some(c) = address.chars().find(|c| !c.is_ascii_graphic()) {
        return Err(format!(
            "has '{c}', which not every phone reads from a QR code alike; copy the address \
             from the browser's address bar, which writes it as %-codes"
        ));
    }
    let host_and_port = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host_and_port.contains('@') {
        return Err(format!(
            "names a user before '@', which hides the real site from the reader; give the \
             page's plain address, such as {EXAMPLE}"
        ));
    }
    let host = host_and_port.split(':').next().unwrap_or_default();
    let is_host = !host.is_empty()
        && host.contains('.')
        && !host.starts_with(['.', '-'])
        && !host.ends_with(['.', '-'])
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
    if !is_host {
        return Err(format!(
            "has no site's name after https://; give the whole address, such as {EXAMPLE}"
        ));
    }
    qr_code(address).map(|_| ())
}

/// Addresses a topic or practice file may not give, each with a word of
/// why: the cases the files' tests try at their line and column.
#[cfg(test)]
pub(crate) fn refused_examples() -> Vec<(String, &'static str)> {
    vec![
        (
            "http://www.example.org/".into(),
            "must be a secure web address that starts with https://",
        ),
        ("javascript:alert(1)".into(), "not a javascript: address"),
        (
            "https://www.example.org/leg cramps".into(),
            "has a space in it",
        ),
        (
            format!("https://www.example.org/{}", "a".repeat(100)),
            "is 124 characters long, too long for the 25 mm QR code",
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `https://www.example.org/` and a path, `bytes` long in all.
    fn address_of(bytes: usize) -> String {
        let start = "https://www.example.org/";
        format!("{start}{}", "a".repeat(bytes - start.len()))
    }

    #[test]
    fn the_longest_accepted_address_fits_at_half_a_millimetre_a_module() {
        let longest = address_of(MAX_ADDRESS_BYTES);
        let code = qr_code(&longest).unwrap();
        assert!(code.module_mm() >= MIN_MODULE_MM, "{}", code.module_mm());
        assert_eq!(code.width(), 41, "a version 6 code");
        assert!(Address::parse(&longest).is_ok());
        // One byte more does not fit, and is refused with its length.
        let error = Address::parse(&address_of(MAX_ADDRESS_BYTES + 1)).unwrap_err();
        assert!(
            error.starts_with("is 107 characters long, too long"),
            "{error}"
        );
        // Mixed case and digits never make a longer address fit worse than
        // its byte count says: byte mode is the worst case.
        let mixed = format!(
            "https://WWW.EXAMPLE.ORG/{}",
            "A1b2".repeat((MAX_ADDRESS_BYTES - 24) / 4)
        );
        assert!(qr_code(&mixed).is_ok(), "{}", mixed.len());
    }

    #[test]
    fn every_accepted_code_leaves_modules_of_half_a_millimetre() {
        for bytes in 24..=MAX_ADDRESS_BYTES {
            let code = qr_code(&address_of(bytes)).unwrap();
            assert!(
                code.module_mm() >= MIN_MODULE_MM,
                "{bytes}: {}",
                code.module_mm()
            );
        }
        assert_eq!(max_modules(), 50);
    }

    #[test]
    fn dark_runs_cover_exactly_the_dark_modules() {
        let code = qr_code("https://www.example.org/leaflets/leg-cramps").unwrap();
        let mut drawn = vec![false; code.width() * code.width()];
        for (row, start, length) in code.dark_runs() {
            assert!(length > 0);
            for column in start..start + length {
                assert!(!drawn[row * code.width() + column]);
                drawn[row * code.width() + column] = true;
            }
        }
        for row in 0..code.width() {
            for column in 0..code.width() {
                assert_eq!(
                    drawn[row * code.width() + column],
                    code.is_dark(row, column)
                );
            }
        }
        // Far fewer rectangles than dark modules: that is the point of runs.
        let dark = drawn.iter().filter(|dark| **dark).count();
        let runs = code.dark_runs().len();
        assert!(runs * 3 < dark * 2, "{runs} runs of {dark} modules");
    }

    #[test]
    fn only_a_plain_https_address_is_accepted() {
        for address in [
            "https://www.example.org/leaflets/leg-cramps",
            "https://nhs.uk",
            "https://www.example.org:8443/a?b=c#d",
        ] {
            assert_eq!(Address::parse(address).unwrap().as_str(), address);
        }
        for (address, message) in [
            ("http://www.example.org/", "not a http: address"),
            ("javascript:alert(1)", "not a javascript: address"),
            ("mailto:jo@example.org", "not a mailto: address"),
            (
                "www.example.org/leaflets",
                "not an address without https://",
            ),
            ("HTTPS://www.example.org/", "not a HTTPS: address"),
            ("https://www.example.org/leg cramps", "has a space in it"),
            (
                "https://www.example.org/\u{7}",
                "has a control character (U+0007)",
            ),
            ("https://", "has no site's name"),
            ("https:///leaflets", "has no site's name"),
            ("https://localhost/", "has no site's name"),
            ("https://nhs.uk@evil.example/", "names a user before '@'"),
            ("https://www.example.org/más", "has 'á'"),
            ("", "is empty"),
        ] {
            let error = Address::parse(address).unwrap_err();
            assert!(error.contains(message), "{address:?}: {error}");
        }
    }
}

//! Record numbers: short, printable, and not numbers a spreadsheet has
//! mangled on the way out.

use crate::text::{check_characters, excerpt, is_format_char};

/// The most characters a record number may have.
const MAX_ID_CHARS: usize = 40;

/// Checks a record number: short, printable, no invisible characters, and
/// not a number a spreadsheet has mangled: `1.23457E+11`, or fewer digits
/// than the roster's others (`21` among `0017` and `0018`).
pub(crate) fn check_id(id: &str, digits: Option<usize>) -> Result<(), String> {
    if id.chars().count() > MAX_ID_CHARS || id.chars().any(|c| c.is_control() || is_format_char(c))
    {
        return Err(format!(
            "id '{}' must be at most {MAX_ID_CHARS} characters with no control or \
             invisible characters",
            excerpt(id)
        ));
    }
    check_characters(id).map_err(|reason| format!("id '{}' {reason}", excerpt(id)))?;
    let hint = "format that column as Text in the spreadsheet and export again";
    if is_scientific(id) {
        return Err(format!(
            "id '{}' is a number the spreadsheet shortened, so the record number is lost; {hint}",
            excerpt(id)
        ));
    }
    if let Some(digits) = digits
        && id.len() < digits
        && id.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(format!(
            "id '{}' has {} digits where the others have {digits} with leading zeros: the \
             spreadsheet may have dropped its zeros; {hint}",
            excerpt(id),
            id.len()
        ));
    }
    Ok(())
}

/// Whether `text` is a number in a spreadsheet's scientific notation, such
/// as `1.23457E+11`.
fn is_scientific(text: &str) -> bool {
    let Some((mantissa, exponent)) = text.split_once(['E', 'e']) else {
        return false;
    };
    let exponent = exponent.strip_prefix('+').unwrap_or(exponent);
    let (whole, fraction) = mantissa.split_once(['.', ',']).unwrap_or((mantissa, "0"));
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && digits(fraction) && digits(exponent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mangled_numbers_are_refused_with_the_way_out() {
        let hint = "format that column as Text in the spreadsheet and export again";
        for id in ["1.23457E+11", "1,23457e+11", "5E3"] {
            let error = check_id(id, None).unwrap_err();
            assert!(
                error.contains("the spreadsheet shortened") && error.ends_with(hint),
                "{error}"
            );
        }
        let error = check_id("21", Some(4)).unwrap_err();
        assert!(
            error.contains("has 2 digits where the others have 4"),
            "{error}"
        );
        assert_eq!(check_id("0017", Some(4)), Ok(()));
        assert_eq!(check_id("E3", None), Ok(()));
        assert_eq!(check_id("MRN-21", Some(4)), Ok(()));
        assert!(check_id(&"7".repeat(41), None).is_err());
        assert!(check_id("17\u{202e}", None).is_err());
        assert!(check_id("17\u{FFFD}", None).is_err());
        assert!(check_id(&format!("1{}", "\u{301}".repeat(9)), None).is_err());
    }
}

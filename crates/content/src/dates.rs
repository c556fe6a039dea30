//! Dates as rosters write them: ISO (`2026-11-25`), day first as in the UK
//! and Europe (`25/11/2026`, `25.11.2026`), or month first as in the US
//! (`11/25/2026`).
//!
//! A cell like `05/11/2026` is a date either way. A roster's dates are read
//! in one order, taken from the dates that can only be read one way; a file
//! whose dates need both orders is refused, and so is one whose dates are
//! all ambiguous, unless the user says which order the export uses.

use jiff::civil::Date;

use crate::error::InputError;
use crate::text::excerpt;

/// Which comes first in a date such as `05/11/2026`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    /// Day, month, year: the UK, Europe and most of the world.
    DayFirst,
    /// Month, day, year: the US.
    MonthFirst,
}

impl DateOrder {
    /// Parses "dmy" or "mdy".
    pub fn from_name(name: &str) -> Option<DateOrder> {
        match name.trim().to_ascii_lowercase().as_str() {
            "dmy" => Some(DateOrder::DayFirst),
            "mdy" => Some(DateOrder::MonthFirst),
            _ => None,
        }
    }

    /// The name a practice file writes: "dmy" or "mdy".
    pub fn key(self) -> &'static str {
        match self {
            DateOrder::DayFirst => "dmy",
            DateOrder::MonthFirst => "mdy",
        }
    }

    /// The order that is not this one.
    pub fn other(self) -> DateOrder {
        match self {
            DateOrder::DayFirst => DateOrder::MonthFirst,
            DateOrder::MonthFirst => DateOrder::DayFirst,
        }
    }

    /// "day first (DD/MM/YYYY)".
    pub fn describe(self) -> &'static str {
        match self {
            DateOrder::DayFirst => "day first (DD/MM/YYYY, as in the UK and Europe)",
            DateOrder::MonthFirst => "month first (MM/DD/YYYY, as in the US)",
        }
    }
}

/// What a date cell can mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reading {
    /// Written year first: one meaning.
    Iso(Date),
    /// Written day and month first: the date read each way, where it is one.
    Numeric {
        day_first: Option<Date>,
        month_first: Option<Date>,
    },
}

impl Reading {
    /// The date in `order`, if the cell gives one that way.
    pub fn in_order(self, order: Option<DateOrder>) -> Option<Date> {
        match (self, order) {
            (Reading::Iso(date), _) => Some(date),
            (
                Reading::Numeric {
                    day_first,
                    month_first,
                },
                order,
            ) => match (day_first, month_first, order) {
                (Some(date), None, _) | (None, Some(date), _) => Some(date),
                (Some(a), Some(b), _) if a == b => Some(a),
                (Some(date), Some(_), Some(DateOrder::DayFirst)) => Some(date),
                (Some(_), Some(date), Some(DateOrder::MonthFirst)) => Some(date),
                _ => None,
            },
        }
    }

    /// The only order this cell can be read in, if only one.
    pub fn only_order(self) -> Option<DateOrder> {
        match self {
            Reading::Numeric {
                day_first: Some(_),
                month_first: None,
            } => Some(DateOrder::DayFirst),
            Reading::Numeric {
                day_first: None,
                month_first: Some(_),
            } => Some(DateOrder::MonthFirst),
            _ => None,
        }
    }

    /// Whether the cell is a date in both orders.
    pub fn is_ambiguous(self) -> bool {
        matches!(
            self,
            Reading::Numeric {
                day_first: Some(a),
                month_first: Some(b),
            } if a != b
        )
    }
}

/// Reads a date cell, or says why it is no date in any order.
pub(crate) fn read_date(text: &str) -> Result<Reading, String> {
    let text = text.trim();
    let not_a_date = || {
        format!(
            "'{}' is not a date; write it as 2026-11-25, 25/11/2026 or 11/25/2026",
            excerpt(text)
        )
    };
    let separator = text
        .chars()
        .find(|c| matches!(c, '-' | '/' | '.'))
        .ok_or_else(not_a_date)?;
    let parts: Vec<&str> = text.split(separator).collect();
    let numeric = |part: &&str| {
        !part.is_empty() && part.len() <= 4 && part.bytes().all(|b| b.is_ascii_digit())
    };
    if parts.len() != 3 || !parts.iter().all(numeric) {
        return Err(not_a_date());
    }
    let number = |part: &str| part.parse::<i16>().unwrap_or(0);
    let (a, b, c) = (parts[0], parts[1], parts[2]);
    if a.len() == 4 {
        if separator == '.' || b.len() > 2 || c.len() > 2 {
            return Err(not_a_date());
        }
        return date_of(number(a), number(b), number(c))
            .map(Reading::Iso)
            .map_err(|reason| format!("{text}: {reason}"));
    }
    if a.len() > 2 || b.len() > 2 {
        return Err(not_a_date());
    }
    if c.len() != 4 {
        return Err(format!(
            "'{}' has a {}-digit year; write the year in full, like 2026, so that it cannot be \
             read as another century",
            excerpt(text),
            c.len()
        ));
    }
    let (first, second, year) = (number(a), number(b), number(c));
    let day_first = date_of(year, second, first).ok();
    // Dots are a European way of writing dates: never month first.
    let month_first = (separator != '.')
        .then(|| date_of(year, first, second).ok())
        .flatten();
    if day_first.is_none() && month_first.is_none() {
        return Err(format!(
            "'{}' is not a date, day first or month first",
            excerpt(text)
        ));
    }
    Ok(Reading::Numeric {
        day_first,
        month_first,
    })
}

/// The years a handout may be dated in. A date outside them is a slip of
/// the keyboard (`0001-01-01`, `9999-12-31`), never a clinic day.
pub const HANDOUT_YEARS: std::ops::RangeInclusive<i16> = 2000..=2099;

/// Checks the date a handout is given on: the reason, to follow its name,
/// if it is outside [`HANDOUT_YEARS`].
pub fn check_handout_date(date: Date) -> Result<(), String> {
    if HANDOUT_YEARS.contains(&date.year()) {
        return Ok(());
    }
    Err(format!(
        "{date} is not a day a handout is given on; give a date from {}-01-01 to {}-12-31, or \
         none for today",
        HANDOUT_YEARS.start(),
        HANDOUT_YEARS.end()
    ))
}

/// Parses a YYYY-MM-DD date. `what` names the value in the error.
pub fn parse_date(what: &'static str, text: &str) -> Result<Date, InputError> {
    let text = text.trim();
    let format_error = || InputError::DateFormat {
        what,
        value: excerpt(text),
    };
    // jiff also takes forms such as "20261125"; people and rosters write the dashes.
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| bytes[range].iter().all(u8::is_ascii_digit);
    if bytes.len() != 10
        || bytes[4] != b'-'
        || bytes[7] != b'-'
        || !digits(0..4)
        || !digits(5..7)
        || !digits(8..10)
    {
        return Err(format_error());
    }
    let number = |range: std::ops::Range<usize>| text[range].parse::<i16>().unwrap_or(0);
    let (year, month, day) = (number(0..4), number(5..7), number(8..10));
    date_of(year, month, day).map_err(|reason| InputError::NoSuchDate {
        what,
        value: text.to_string(),
        reason,
    })
}

/// A TOML date with no time of day (`on = 2026-12-06`) as a civil date,
/// if it is one that exists.
pub(crate) fn toml_date(value: &toml::value::Datetime) -> Option<Date> {
    let day = value.date.filter(|_| value.time.is_none())?;
    Date::new(day.year as i16, day.month as i8, day.day as i8).ok()
}

/// The date with these numbers, or why there is none, in words.
pub(crate) fn date_of(year: i16, month: i16, day: i16) -> Result<Date, String> {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    if !(1..=12).contains(&month) {
        return Err(format!("there is no month {month}"));
    }
    if year < 1 {
        return Err(format!("there is no year {year}"));
    }
    // Month and year are in range, so day 1 always exists.
    let first = Date::new(year, month as i8, 1).map_err(|error| error.to_string())?;
    let days = first.days_in_month();
    let name = MONTHS[month as usize - 1];
    if day < 1 || day > i16::from(days) {
        return Err(format!(
            "{day} {name} is not a date; {name} {year} has {days} days"
        ));
    }
    Date::new(year, month as i8, day as i8).map_err(|error| error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    #[test]
    fn every_form_is_read() {
        let day = date(2026, 11, 25);
        assert_eq!(read_date("2026-11-25"), Ok(Reading::Iso(day)));
        assert_eq!(read_date("2026/11/25"), Ok(Reading::Iso(day)));
        for text in ["25/11/2026", "25.11.2026", "25-11-2026"] {
            assert_eq!(
                read_date(text).unwrap().only_order(),
                Some(DateOrder::DayFirst),
                "{text}"
            );
            assert_eq!(read_date(text).unwrap().in_order(None), Some(day));
        }
        let us = read_date("11/25/2026").unwrap();
        assert_eq!(us.only_order(), Some(DateOrder::MonthFirst));
        assert_eq!(us.in_order(Some(DateOrder::DayFirst)), Some(day));
        let either = read_date("05/11/2026").unwrap();
        assert!(either.is_ambiguous());
        assert_eq!(either.in_order(None), None);
        assert_eq!(
            either.in_order(Some(DateOrder::DayFirst)),
            Some(date(2026, 11, 5))
        );
        assert_eq!(
            either.in_order(Some(DateOrder::MonthFirst)),
            Some(date(2026, 5, 11))
        );
        // Dots are never month first.
        assert_eq!(
            read_date("05.11.2026").unwrap().only_order(),
            Some(DateOrder::DayFirst)
        );
        // The same day and month either way is no ambiguity.
        assert!(!read_date("11/11/2026").unwrap().is_ambiguous());
    }

    #[test]
    fn what_is_no_date_says_why() {
        assert!(read_date("25/11/26").unwrap_err().contains("2-digit year"));
        assert!(
            read_date("31/31/2026")
                .unwrap_err()
                .contains("not a date, day first or month first")
        );
        assert!(
            read_date("2026-02-30")
                .unwrap_err()
                .contains("30 February is not a date")
        );
        assert!(read_date("next week").unwrap_err().contains("not a date"));
        assert!(read_date("1/2/3/2026").unwrap_err().contains("not a date"));
    }

    #[test]
    fn dates_are_strict() {
        assert_eq!(
            parse_date("date", "2026-11-25").unwrap(),
            date(2026, 11, 25)
        );
        for bad in [
            "2026-02-30",
            "20261125",
            "25/11/2026",
            "2026-1-5",
            "",
            "2026-+1-05",
        ] {
            assert!(parse_date("date", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn date_errors_say_what_is_wrong() {
        let error = |text| parse_date("date", text).unwrap_err().to_string();
        assert_eq!(
            error("2026-02-30"),
            "date 2026-02-30: 30 February is not a date; February 2026 has 28 days"
        );
        assert_eq!(
            error("2028-02-30"),
            "date 2028-02-30: 30 February is not a date; February 2028 has 29 days"
        );
        assert_eq!(error("2026-13-01"), "date 2026-13-01: there is no month 13");
        assert_eq!(
            error("2026-11-00"),
            "date 2026-11-00: 0 November is not a date; November 2026 has 30 days"
        );
        assert_eq!(
            error("25/11/2026"),
            "date '25/11/2026' is not written as YYYY-MM-DD; write it like 2026-11-25"
        );
    }

    proptest! {
        #[test]
        fn any_date_reads_back_in_its_order(
            day in 1i8..=28, month in 1i8..=12, year in 1900i16..=2100,
        ) {
            let written = date(year, month, day);
            prop_assert_eq!(read_date(&written.to_string()), Ok(Reading::Iso(written)));
            let uk = format!("{day:02}/{month:02}/{year}");
            prop_assert_eq!(read_date(&uk).unwrap().in_order(Some(DateOrder::DayFirst)), Some(written));
            let us = format!("{month}/{day}/{year}");
            prop_assert_eq!(read_date(&us).unwrap().in_order(Some(DateOrder::MonthFirst)), Some(written));
            let ambiguous = day <= 12 && day != month;
            prop_assert_eq!(read_date(&uk).unwrap().is_ambiguous(), ambiguous);
        }

        #[test]
        fn no_text_panics(text in ".{0,20}") {
            let _ = read_date(&text);
        }
    }
}

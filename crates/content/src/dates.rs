//! Dates as rosters write them: ISO (`2026-11-25`), day first as in the UK
//! and Europe (`25/11/2026`, `25.11.2026`), or month first as in the US
//! (`11/25/2026`).
//!
//! A cell like `05/11/2026` is a date either way. A roster's dates are read
//! in one order, taken from the dates that can only be read one way; a file
//! whose dates need both orders is refused, and so is one whose dates are
//! all ambiguous, unless the user says which order the export uses.

use jiff::civil::Date;

use crate::patient::date_of;
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

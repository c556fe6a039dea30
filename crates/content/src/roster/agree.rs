//! What the rows of one roster must agree on: one order of day and month
//! for its dates, and one width for record numbers that keep their leading
//! zeros.

use super::{RosterError, RosterRow};
use crate::dates::{DateOrder, Reading, read_date};
use crate::text::given;

/// The order to read the roster's dates in: the one its dates that can be
/// read only one way show, or the one given when every date reads both ways.
pub(super) fn date_order(
    origin: &str,
    rows: &[RosterRow],
    order: Option<DateOrder>,
) -> Result<Option<DateOrder>, RosterError> {
    let readings: Vec<(usize, Reading)> = rows
        .iter()
        .filter_map(|row| {
            let reading = read_date(given(&row.request.due_date)?).ok()?;
            Some((row.line, reading))
        })
        .collect();
    let first_with = |wanted| {
        readings
            .iter()
            .find(|(_, reading)| reading.only_order() == Some(wanted))
            .map(|(line, _)| *line)
    };
    match (
        first_with(DateOrder::DayFirst),
        first_with(DateOrder::MonthFirst),
    ) {
        (Some(day_row), Some(month_row)) => Err(RosterError::MixedDates {
            origin: origin.to_string(),
            day_row,
            month_row,
        }),
        // The user said one order, but a date can only be the other.
        (Some(row), None) | (None, Some(row))
            if order.is_some_and(|order| first_with(order).is_none()) =>
        {
            Err(RosterError::OrderContradicted {
                origin: origin.to_string(),
                row,
                order: order.expect("given"),
            })
        }
        (Some(_), None) => Ok(Some(DateOrder::DayFirst)),
        (None, Some(_)) => Ok(Some(DateOrder::MonthFirst)),
        (None, None) => match readings.iter().find(|(_, reading)| reading.is_ambiguous()) {
            Some(_) if order.is_some() => Ok(order),
            Some((row, _)) => Err(RosterError::AmbiguousDates {
                origin: origin.to_string(),
                row: *row,
            }),
            None => Ok(order),
        },
    }
}

/// How many digits the roster's all-digit record numbers have, when those
/// that start with 0 all have the same number: an export that keeps
/// leading zeros.
pub(super) fn id_digits(rows: &[RosterRow]) -> Option<usize> {
    let ids = rows
        .iter()
        .filter_map(|row| given(&row.id))
        .filter(|id| id.bytes().all(|b| b.is_ascii_digit()));
    let mut width = None;
    for id in ids.filter(|id| id.starts_with('0')) {
        match width {
            None => width = Some(id.len()),
            Some(width) if width != id.len() => return None,
            Some(_) => {}
        }
    }
    width
}

#[cfg(test)]
mod tests {
    use super::super::tests::read;
    use super::*;

    #[test]
    fn dates_read_in_the_one_order_they_allow() {
        let roster = read("r.csv", b"name,due date\nAna,25/11/2027\nBea,05/11/2027\n").unwrap();
        assert_eq!(roster.date_order, Some(DateOrder::DayFirst));
        assert!(
            roster
                .notes
                .iter()
                .any(|note| note.starts_with("dates read day first"))
        );
        let error = read("r.csv", b"name,due date\nAna,25/11/2027\nBea,11/25/2027\n").unwrap_err();
        assert_eq!(
            error.to_string(),
            "r.csv: the dates are written in both orders: row 2 can only be day first and row 3 \
             only month first; export every date in one order (or as 2026-11-25)"
        );
        let error = read("r.csv", b"name,due date\nAna,05/11/2027\n").unwrap_err();
        assert!(
            matches!(error, RosterError::AmbiguousDates { row: 2, .. }),
            "{error}"
        );
    }

    #[test]
    fn record_numbers_that_keep_zeros_agree_on_their_width() {
        let width = |text: &[u8]| read("r.csv", text).unwrap().id_digits;
        assert_eq!(width(b"name,id\nAna,0017\nBea,0018\nCas,21\n"), Some(4));
        assert_eq!(width(b"name,id\nAna,0017\nBea,018\n"), None);
        assert_eq!(width(b"name,id\nAna,17\nBea,18\n"), None);
    }
}

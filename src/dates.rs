//! Dates as councils type them. DfE files use `dd/mm/yyyy`; exports also carry `d/m/yyyy`,
//! `yyyy-mm-dd`, `dd-mm-yyyy`, `dd.mm.yyyy`, sometimes with a midnight time appended. Two-digit years
//! are refused rather than guessed: `01/02/15` could be 1915 or 2015 for a date of birth.

use chrono::{Datelike, Months, NaiveDate};

/// Why a non-blank cell is not a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateProblem {
    /// Shaped like a date but the day does not exist (31/02/2023).
    Impossible,
    /// The year has two digits.
    TwoDigitYear,
    /// Not shaped like a date at all.
    NotADate,
    /// A spreadsheet's day number (42370 for 01/01/2016): the column was saved as numbers.
    Serial,
}

impl DateProblem {
    /// A stable diagnostic code.
    pub fn code(self) -> &'static str {
        match self {
            DateProblem::Impossible => "date-impossible",
            DateProblem::TwoDigitYear => "date-two-digit-year",
            DateProblem::NotADate | DateProblem::Serial => "date-unreadable",
        }
    }

    /// What is wrong and how to fix it, given the cell text (already cut short).
    pub fn message(self, value: &str) -> String {
        match self {
            DateProblem::Impossible => format!(
                "\"{value}\" is not a real date. Check the day and month, and enter dates as DD/MM/YYYY."
            ),
            DateProblem::TwoDigitYear => format!(
                "\"{value}\" has a two-digit year, which could belong to either century. Enter the full year, as DD/MM/YYYY."
            ),
            DateProblem::NotADate => {
                format!("\"{value}\" is not a date. Enter dates as DD/MM/YYYY, for example 31/03/2016.")
            }
            DateProblem::Serial => format!(
                "\"{value}\" is a spreadsheet's number for a date, not a date. Format the column as a date (DD/MM/YYYY) in the spreadsheet and save the file again."
            ),
        }
    }
}

/// Reads a date cell. Blank (after trimming) is `Ok(None)`: "not recorded".
#[inline]
pub fn parse_date(text: &str) -> Result<Option<NaiveDate>, DateProblem> {
    match usual(text.as_bytes()) {
        Some(date) => date,
        None => parse_any(text),
    }
}

/// DD/MM/YYYY, as the 903 files write nearly every date, and YYYY-MM-DD, as databases export
/// them, read as [`parse_any`] reads them but without splitting (or trimming: there would be
/// nothing to trim); `None` for any other text.
///
/// The first 8 bytes are worked on as one number: XOR with the shape's digits-as-zeros and
/// separators leaves each digit's value and a zero for each separator in place.
// Inlined (as is `parse_date`) into each reader of a date cell, where the call cost as much as the
// reading.
#[inline(always)]
fn usual(bytes: &[u8]) -> Option<Result<Option<NaiveDate>, DateProblem>> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    /// The values at `shape`'s places: `Some` when every byte is a digit or the separator there.
    fn values(head: u64, shape: &[u8; 8]) -> Option<u64> {
        let x = head ^ u64::from_le_bytes(*shape);
        // A byte above 9 gets its high bit from `+ 0x76`, or has it already.
        let above_nine = (x.wrapping_add(0x76 * ONES) | x) & HIGH;
        // A separator's place must be exactly zero, not just at most 9.
        let separators = shape.map(|b| if b == b'0' { 0 } else { 0xFF });
        (above_nine == 0 && x & u64::from_le_bytes(separators) == 0).then_some(x)
    }
    let (head, tail) = bytes.split_first_chunk::<8>()?;
    let &[t1, t2] = tail else { return None };
    let (t1, t2) = (t1.wrapping_sub(b'0'), t2.wrapping_sub(b'0'));
    if t1 > 9 || t2 > 9 {
        return None;
    }
    let head = u64::from_le_bytes(*head);
    let at = |x: u64, i: u32| u32::from((x >> (8 * i)) as u8);
    let two = |x: u64, i: u32| at(x, i) * 10 + at(x, i + 1);
    let tail = u32::from(t1) * 10 + u32::from(t2);
    let (y, m, d) = if let Some(x) = values(head, b"00/00/00") {
        (two(x, 6) * 100 + tail, two(x, 3), two(x, 0))
    } else if let Some(x) = values(head, b"0000-00-") {
        (two(x, 0) * 100 + two(x, 2), two(x, 5), tail)
    } else {
        return None;
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Some(Err(DateProblem::Impossible));
    }
    // At most 9999: always an i32.
    Some(
        NaiveDate::from_ymd_opt(y as i32, m, d)
            .map(Some)
            .ok_or(DateProblem::Impossible),
    )
}

/// Reads a date cell of any shape [`parse_date`] accepts.
#[inline(never)]
fn parse_any(text: &str) -> Result<Option<NaiveDate>, DateProblem> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let t = strip_midnight(t);
    let sep = match t.chars().find(|c| matches!(c, '/' | '-' | '.')) {
        Some(c) => c,
        None if is_serial(t) => return Err(DateProblem::Serial),
        None => return Err(DateProblem::NotADate),
    };
    let parts: Vec<&str> = t.split(sep).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(DateProblem::NotADate);
    }
    let (y, m, d) = if parts[0].len() == 4 {
        (parts[0], parts[1], parts[2])
    } else {
        (parts[2], parts[1], parts[0])
    };
    if m.len() > 2 || d.len() > 2 {
        return Err(DateProblem::NotADate);
    }
    if y.len() <= 2 {
        return Err(DateProblem::TwoDigitYear);
    }
    if y.len() != 4 {
        return Err(DateProblem::NotADate);
    }
    let (y, m, d): (i32, u32, u32) = match (y.parse(), m.parse(), d.parse()) {
        (Ok(y), Ok(m), Ok(d)) => (y, m, d),
        _ => return Err(DateProblem::NotADate),
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err(DateProblem::Impossible);
    }
    NaiveDate::from_ymd_opt(y, m, d)
        .map(Some)
        .ok_or(DateProblem::Impossible)
}

/// Whole days since 1900 as Excel counts them, from 1950 (18264) to 2099 (73415).
fn is_serial(t: &str) -> bool {
    t.len() == 5 && t.parse::<u32>().is_ok_and(|n| (18264..=73415).contains(&n))
}

/// `2016-03-31 00:00:00` and `2016-03-31T00:00` come from database exports; the time says nothing.
fn strip_midnight(t: &str) -> &str {
    for sep in [' ', 'T'] {
        if let Some((date, time)) = t.split_once(sep) {
            let time = time.trim();
            if !time.is_empty() && time.bytes().all(|b| b == b'0' || b == b':' || b == b'.') {
                return date.trim_end();
            }
        }
    }
    t
}

/// Whole days from `start` to `end` (no +1).
pub fn days_between(start: NaiveDate, end: NaiveDate) -> i64 {
    (end - start).num_days()
}

/// The collection year (year ending 31 March) containing `date`: 2015-04-01..2016-03-31 -> 2016.
pub fn collection_year(date: NaiveDate) -> i32 {
    if date.month() >= 4 {
        date.year() + 1
    } else {
        date.year()
    }
}

/// `date + n` calendar months, the day clamped to the month's end (31 Jan + 1 month = 28/29 Feb).
pub fn add_months(date: NaiveDate, n: u32) -> NaiveDate {
    date.checked_add_months(Months::new(n))
        .unwrap_or(NaiveDate::MAX)
}

/// `date - n` calendar months, clamped likewise.
pub fn sub_months(date: NaiveDate, n: u32) -> NaiveDate {
    date.checked_sub_months(Months::new(n))
        .unwrap_or(NaiveDate::MIN)
}

/// `dd/mm/yyyy`, as officers read dates.
pub fn uk(date: NaiveDate) -> String {
    // By hand rather than `date.format(..)`, which brings chrono's whole formatter into the wasm.
    format!("{:02}/{:02}/{:04}", date.day(), date.month(), date.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn accepted_forms() {
        let cases = [
            ("31/03/2016", d(2016, 3, 31)),
            ("1/4/2015", d(2015, 4, 1)),
            ("2015-04-01", d(2015, 4, 1)),
            ("2016-02-29", d(2016, 2, 29)),
            ("01-04-2015", d(2015, 4, 1)),
            ("01.04.2015", d(2015, 4, 1)),
            (" 29/02/2016 ", d(2016, 2, 29)),
            ("2015-04-01 00:00:00", d(2015, 4, 1)),
            ("2015-04-01T00:00", d(2015, 4, 1)),
        ];
        for (text, want) in cases {
            assert_eq!(parse_date(text), Ok(Some(want)), "{text}");
        }
    }

    #[test]
    fn blank_is_not_recorded() {
        assert_eq!(parse_date(""), Ok(None));
        assert_eq!(parse_date("   "), Ok(None));
    }

    #[test]
    fn problems() {
        let cases = [
            ("31/02/2023", DateProblem::Impossible),
            ("29/02/2015", DateProblem::Impossible),
            ("01/13/2015", DateProblem::Impossible),
            ("2015-02-29", DateProblem::Impossible),
            ("2015-04-1a", DateProblem::NotADate),
            ("00/01/2015", DateProblem::Impossible),
            ("01/02/15", DateProblem::TwoDigitYear),
            ("yesterday", DateProblem::NotADate),
            ("42370", DateProblem::Serial),
            ("12345", DateProblem::NotADate),
            ("01/02/2015/3", DateProblem::NotADate),
            ("2015-04-01 12:30", DateProblem::NotADate),
            ("01/02/20155", DateProblem::NotADate),
        ];
        for (text, want) in cases {
            assert_eq!(parse_date(text), Err(want), "{text}");
        }
    }

    /// The quick read of the usual shapes gives what the general reader gives, for every value.
    #[test]
    fn usual_shapes_read_as_any_shape() {
        let mut texts = Vec::new();
        for (d, m, y) in [
            ("31", "03", "2016"),
            ("29", "02", "2015"),
            ("00", "13", "0000"),
        ] {
            texts.push(format!("{d}/{m}/{y}"));
            texts.push(format!("{y}-{m}-{d}"));
        }
        texts.extend(["2é/02/2016", "2016-0é-29"].map(String::from));
        // Every byte next to the digits, at every place of both shapes.
        for base in ["29/02/2016", "2016-02-29"] {
            for at in 0..base.len() {
                for b in 0..=127u8 {
                    let mut t = base.as_bytes().to_vec();
                    t[at] = b;
                    if let Ok(t) = String::from_utf8(t) {
                        texts.push(t);
                    }
                }
            }
        }
        for text in &texts {
            assert_eq!(parse_date(text), parse_any(text), "{text:?}");
        }
    }

    #[test]
    fn collection_years() {
        assert_eq!(collection_year(d(2015, 4, 1)), 2016);
        assert_eq!(collection_year(d(2016, 3, 31)), 2016);
        assert_eq!(collection_year(d(2016, 4, 1)), 2017);
    }

    #[test]
    fn uk_format() {
        assert_eq!(uk(d(2016, 3, 1)), "01/03/2016");
    }

    #[test]
    fn calendar_months_clamp() {
        assert_eq!(add_months(d(2015, 1, 31), 1), d(2015, 2, 28));
        assert_eq!(add_months(d(2016, 1, 31), 1), d(2016, 2, 29));
        assert_eq!(sub_months(d(2016, 3, 31), 30), d(2013, 9, 30));
    }
}

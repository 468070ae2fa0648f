//! Reporting windows: collection years, 3-year windows and as-at windows (`indicators.md` section 0).

use crate::dates::{self, add_months, collection_year, sub_months};
use chrono::NaiveDate;
use serde::Serialize;

/// What kind of window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum WindowKind {
    #[serde(rename = "year-to-date")]
    YearToDate,
    #[serde(rename = "rolling-12-months")]
    Rolling12,
    #[serde(rename = "rolling-36-months")]
    Rolling36,
    #[serde(rename = "1-year")]
    OneYear,
    #[serde(rename = "3-year")]
    ThreeYear,
}

/// A span of dates, both ends inclusive, with the collection year whose thresholds apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    pub kind: WindowKind,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// `2015-16`, `2013-16`, `12 months to 30/09/2016`, ...
    pub label: String,
    /// Thresholds are those of the 3-year window ending 31 March of this year.
    pub threshold_year: i32,
}

impl Window {
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.start <= d && d <= self.end
    }
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// `2015-16` for the year ending 31 March 2016; `2013-16` for three years.
pub fn year_label(first_end_year: i32, end_year: i32) -> String {
    format!("{}-{:02}", first_end_year - 1, end_year.rem_euclid(100))
}

/// The collection year ending 31 March `y`.
pub fn one_year(y: i32) -> Window {
    Window {
        kind: WindowKind::OneYear,
        start: ymd(y - 1, 4, 1),
        end: ymd(y, 3, 31),
        label: year_label(y, y),
        threshold_year: y,
    }
}

/// The three collection years ending 31 March `y`.
pub fn three_year(y: i32) -> Window {
    Window {
        kind: WindowKind::ThreeYear,
        start: ymd(y - 3, 4, 1),
        end: ymd(y, 3, 31),
        label: year_label(y - 2, y),
        threshold_year: y,
    }
}

/// Windows ending on an as-at date: year to date, and the 12 and 36 months ending on it.
pub fn as_at(date: NaiveDate) -> Vec<Window> {
    let y = collection_year(date);
    let next_day = date.succ_opt().unwrap_or(date);
    let uk = dates::uk(date);
    vec![
        Window {
            kind: WindowKind::YearToDate,
            start: ymd(y - 1, 4, 1),
            end: date,
            label: format!("{} to {uk}", year_label(y, y)),
            threshold_year: y,
        },
        Window {
            kind: WindowKind::Rolling12,
            start: sub_months(next_day, 12),
            end: date,
            label: format!("12 months to {uk}"),
            threshold_year: y,
        },
        Window {
            kind: WindowKind::Rolling36,
            start: sub_months(next_day, 36),
            end: date,
            label: format!("36 months to {uk}"),
            threshold_year: y,
        },
    ]
}

/// Every 1-year window for `years` (collection years the data covers), and every 3-year window
/// whose three years are all covered; plus the as-at windows.
pub fn all(years: &[i32], as_at_date: Option<NaiveDate>) -> Vec<Window> {
    let mut out = Vec::new();
    if let Some(d) = as_at_date {
        out.extend(as_at(d));
    }
    for &y in years {
        out.push(one_year(y));
        if years.contains(&(y - 1)) && years.contains(&(y - 2)) {
            out.push(three_year(y));
        }
    }
    out
}

/// `add_months` re-exported for the metrics' calendar-month option.
pub fn months_after(date: NaiveDate, n: u32) -> NaiveDate {
    add_months(date, n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_spans() {
        let w = one_year(2016);
        assert_eq!(
            (w.label.as_str(), w.start, w.end),
            ("2015-16", ymd(2015, 4, 1), ymd(2016, 3, 31))
        );
        let w = three_year(2016);
        assert_eq!(
            (w.label.as_str(), w.start, w.end),
            ("2013-16", ymd(2013, 4, 1), ymd(2016, 3, 31))
        );
        assert_eq!(one_year(2000).label, "1999-00");
    }

    #[test]
    fn as_at_windows() {
        let ws = as_at(ymd(2016, 9, 30));
        assert_eq!(ws[0].start, ymd(2016, 4, 1));
        assert_eq!(ws[0].label, "2016-17 to 30/09/2016");
        assert_eq!(ws[1].start, ymd(2015, 10, 1));
        assert_eq!(ws[2].start, ymd(2013, 10, 1));
        assert_eq!(ws[0].threshold_year, 2017);
        // Ending 31 March, the rolling year is the collection year.
        assert_eq!(as_at(ymd(2016, 3, 31))[1].start, ymd(2015, 4, 1));
    }

    #[test]
    fn three_year_windows_need_three_covered_years() {
        let labels: Vec<String> = all(&[2014, 2015, 2016], None)
            .into_iter()
            .map(|w| w.label)
            .collect();
        assert_eq!(labels, vec!["2013-14", "2014-15", "2015-16", "2013-16"]);
    }
}

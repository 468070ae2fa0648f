//! What-if projection (`indicators.md` section 9, `docs/methodology.md` "What-if projection"):
//! what A1, A10 and A3 of the current 1-year and 3-year windows would be if the children waiting
//! to be placed for adoption (A9) at their end moved in with their adoptive family on a date the
//! officer chooses.
//!
//! Works on the finished [`Report`] only: the child rows of A1, A10, A3 and A9 it already carries.
//! [`project`] is the arithmetic, a pure function over those rows; [`from_report`] finds the
//! windows, the waiting children and the default date in a report and calls it.
//!
//! The rule: each waiting child is treated as if adopted in the window, having moved in on the
//! chosen date P. A1 and A10 gain the child with `P - entered care` days (no foster-carer
//! adjustment can be known before the placement, so A10 days = A1 days); in A3 the child's wait
//! ends on P instead of at the window end (a child not yet in A3's cohort joins it). Everything
//! else stays as the report has it. Means round halves up, percentages to one decimal halves up,
//! as for the actual figures.

use crate::dates::{add_months, days_between, uk};
use crate::options::MonthRule;
use crate::report::{ChildRow, IndicatorResult, Report};
use crate::window::WindowKind;
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// Days added to today when the files hold no match and placement dates to take a median from:
/// three months (`floor(3 x 30.4375)`).
pub const DEFAULT_DAYS: i64 = 91;

/// The results [`from_report`] reads (with the report's options): a caller may keep only these.
pub const READS: [&str; 5] = ["A1", "A10", "A2", "A3", "A9"];

/// The label of the figures of all authorities together (`IndicatorResult::la`).
const ALL_AUTHORITIES: &str = "All authorities";

/// A child waiting to be placed for adoption (an A9 row): who, and when the child entered care.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitingChild {
    pub child: String,
    pub entered: NaiveDate,
}

/// Children's own dates, which take the place of the date for all.
#[derive(Debug, Clone, Default)]
pub struct Placements {
    pub children: Vec<ChildPlacement>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ChildPlacement {
    pub child: String,
    pub placed: NaiveDate,
}

/// What [`from_report`] is asked: the placements, today's date (the engine reads no clock) and
/// the authority whose figures to project (`None`: the only one, or all together).
#[derive(Debug, Clone, Deserialize)]
pub struct Request {
    pub today: NaiveDate,
    /// For every waiting child without a date of its own (`None`: the default).
    #[serde(default)]
    pub date: Option<NaiveDate>,
    #[serde(default)]
    pub children: Vec<ChildPlacement>,
    #[serde(default)]
    pub la: Option<String>,
}

/// The actual figures of one window, as the report holds them.
#[derive(Debug, Clone, Copy)]
pub struct Actual<'a> {
    pub a1: &'a [ChildRow],
    pub a10: &'a [ChildRow],
    pub a3: &'a [ChildRow],
    pub a1_threshold: Option<u32>,
    pub a10_threshold: Option<u32>,
    /// A3's wait limit in days (`floor(N x 30.4375)`); `None`: no limit, no percentage.
    pub a3_limit_days: Option<u32>,
    pub months: MonthRule,
}

/// A1 or A10, actual and projected.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DaysFigure {
    pub actual: Option<i64>,
    pub actual_n: u32,
    pub value: Option<i64>,
    pub n: u32,
    /// `value - actual`, in days.
    pub change: Option<i64>,
    pub threshold: Option<u32>,
    /// `value - threshold` (positive = slower than the threshold).
    pub gap: Option<i64>,
    /// `met`, `not met`, `no threshold` or `no children`, as for the actual figure.
    pub status: &'static str,
}

/// A3, actual and projected.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PercentFigure {
    pub actual: Option<f64>,
    pub actual_count: u32,
    pub actual_n: u32,
    pub value: Option<f64>,
    pub count: u32,
    pub n: u32,
    /// `value - actual`, in percentage points (both already to one decimal).
    pub change_points: Option<f64>,
    pub limit_days: Option<u32>,
}

/// A waiting child in the projection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectedChild {
    pub child: String,
    pub entered: NaiveDate,
    pub placed: NaiveDate,
    /// `placed - entered`; `None` when the child is left out.
    pub days: Option<i64>,
    /// A3: whether the wait is less than the limit.
    pub within_limit: Option<bool>,
    /// Whether the child is in the projected figures.
    pub used: bool,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Projection {
    pub a1: DaysFigure,
    pub a10: DaysFigure,
    pub a3: PercentFigure,
    pub children: Vec<ProjectedChild>,
}

/// One window of the report, projected.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WindowProjection {
    pub window: String,
    pub window_kind: WindowKind,
    pub start: NaiveDate,
    pub end: NaiveDate,
    #[serde(flatten)]
    pub projection: Projection,
}

/// The whole answer for the page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WhatIf {
    /// The date used for every child without its own.
    pub date: NaiveDate,
    /// The default date: today plus `default_days`.
    pub default_date: NaiveDate,
    pub default_days: i64,
    /// `median`: the median days from match (AD1 DATE_MATCH) to moving in with the adoptive
    /// family, over the children of `median_window` in both A1 and A2; `stated`: no such child,
    /// [`DEFAULT_DAYS`].
    pub default_basis: &'static str,
    pub median_window: Option<String>,
    pub median_children: u32,
    /// The day the children are waiting on (the end of the windows); `None`: no window to project.
    pub waiting_at: Option<NaiveDate>,
    pub la: Option<String>,
    pub windows: Vec<WindowProjection>,
}

/// Mean rounded to the nearest whole day, halves up (`indicators.md` section 0).
fn mean(days: &[i64]) -> Option<i64> {
    let n = i64::try_from(days.len()).ok().filter(|&n| n > 0)?;
    let sum: i64 = days.iter().sum();
    Some((2 * sum + n).div_euclid(2 * n))
}

/// `count / n` as a percentage to one decimal, halves up, in integers.
fn percent(count: u32, n: u32) -> Option<f64> {
    (n > 0).then(|| {
        let tenths = (u64::from(count) * 2000 + u64::from(n)) / (2 * u64::from(n));
        tenths as f64 / 10.0
    })
}

/// The N of a wait limit of `floor(N x 30.4375)` days (the calendar-months option needs it).
fn months_of(limit_days: u32) -> Option<u32> {
    (1..=1200u32).find(|&m| u64::from(m) * 304_375 / 10_000 == u64::from(limit_days))
}

fn days_figure(rows: &[ChildRow], extra: &[i64], threshold: Option<u32>) -> DaysFigure {
    let actual_days: Vec<i64> = rows.iter().filter_map(|r| r.days).collect();
    let mut all = actual_days.clone();
    all.extend_from_slice(extra);
    let value = mean(&all);
    let gap = value.zip(threshold).map(|(v, t)| v - i64::from(t));
    let status = match (value, threshold) {
        (None, _) => "no children",
        (Some(_), None) => "no threshold",
        (Some(v), Some(t)) if v <= i64::from(t) => "met",
        _ => "not met",
    };
    let actual = mean(&actual_days);
    DaysFigure {
        actual,
        actual_n: actual_days.len() as u32,
        value,
        n: all.len() as u32,
        change: value.zip(actual).map(|(v, a)| v - a),
        threshold,
        gap,
        status,
    }
}

/// The projection for one window: `actual` as the report has it, `waiting` the children waiting
/// at its end, each moving in on its own date in `placements` or else on `default`.
///
/// A child whose date is before it entered care, or who is already in the window's A1 (adopted
/// in the window, and in care again), is left out with a note; every other waiting child is
/// counted as adopted in the window, having moved in on its date.
pub fn project(
    actual: &Actual<'_>,
    waiting: &[WaitingChild],
    placements: &Placements,
    default: NaiveDate,
) -> Projection {
    let own: HashMap<&str, NaiveDate> = placements
        .children
        .iter()
        .map(|c| (c.child.as_str(), c.placed))
        .collect();
    let adopted: HashSet<&str> = actual.a1.iter().map(|r| r.child.as_str()).collect();
    let months = actual.a3_limit_days.and_then(months_of);
    let within = |start: NaiveDate, end: NaiveDate| -> Option<bool> {
        let limit = actual.a3_limit_days?;
        Some(match (actual.months, months) {
            (MonthRule::Calendar, Some(m)) => end < add_months(start, m),
            _ => days_between(start, end) < i64::from(limit),
        })
    };

    let mut children = Vec::with_capacity(waiting.len());
    for w in waiting {
        let placed = own.get(w.child.as_str()).copied().unwrap_or(default);
        let (used, note) = if placed < w.entered {
            (
                false,
                Some(format!(
                    "left out: {} is before the child entered care on {}",
                    uk(placed),
                    uk(w.entered)
                )),
            )
        } else if adopted.contains(w.child.as_str()) {
            (
                false,
                Some("left out: already adopted in this period, and counted once".to_string()),
            )
        } else {
            (true, None)
        };
        children.push(ProjectedChild {
            child: w.child.clone(),
            entered: w.entered,
            placed,
            days: used.then(|| days_between(w.entered, placed)),
            within_limit: if used {
                within(w.entered, placed)
            } else {
                None
            },
            used,
            note,
        });
    }
    let used: Vec<&ProjectedChild> = children.iter().filter(|c| c.used).collect();
    let extra: Vec<i64> = used.iter().filter_map(|c| c.days).collect();

    // A3: the waiting children's rows end on their date; children not yet in the cohort join it.
    let by_child: HashMap<&str, &ProjectedChild> =
        used.iter().map(|c| (c.child.as_str(), *c)).collect();
    let counted = |rows: &mut dyn Iterator<Item = Option<bool>>| -> (u32, u32) {
        rows.fold((0, 0), |(count, n), c| {
            (count + u32::from(c == Some(true)), n + 1)
        })
    };
    let (actual_count, actual_n) = counted(&mut actual.a3.iter().map(|r| r.counted));
    let in_a3: HashSet<&str> = actual.a3.iter().map(|r| r.child.as_str()).collect();
    let (count, n) = counted(
        &mut actual
            .a3
            .iter()
            .map(|r| match by_child.get(r.child.as_str()) {
                // A waiting child adopted in the window is counted once, as adopted (its row has
                // an adoption date); only its still-waiting row changes.
                Some(c) if r.adopted.is_none() => c.within_limit,
                _ => r.counted,
            })
            .chain(
                used.iter()
                    .filter(|c| !in_a3.contains(c.child.as_str()))
                    .map(|c| c.within_limit),
            ),
    );
    let limit = actual.a3_limit_days;
    let (before, after) = (
        limit.and(percent(actual_count, actual_n)),
        limit.and(percent(count, n)),
    );
    let a3 = PercentFigure {
        actual: before,
        actual_count,
        actual_n,
        value: after,
        count,
        n,
        // In tenths, so 57.1 - 71.4 is -14.3 exactly, not a binary float's -14.300000000000004.
        change_points: before
            .zip(after)
            .map(|(b, a)| ((a * 10.0).round() - (b * 10.0).round()) / 10.0),
        limit_days: limit,
    };

    Projection {
        a1: days_figure(actual.a1, &extra, actual.a1_threshold),
        a10: days_figure(actual.a10, &extra, actual.a10_threshold),
        a3,
        children,
    }
}

/// The median days from match to moving in with the adoptive family, halves rounded up, over the
/// children in both A1 (placed: the row's end) and A2 (matched: the row's end) of the given
/// window's results; negative spans (placed before the match) are left out. With the count.
pub fn match_to_placement(a1: &[ChildRow], a2: &[ChildRow]) -> (Option<i64>, u32) {
    let matched: HashMap<&str, NaiveDate> = a2
        .iter()
        .filter_map(|r| Some((r.child.as_str(), r.end?)))
        .collect();
    let mut days: Vec<i64> = a1
        .iter()
        .filter_map(|r| Some(days_between(*matched.get(r.child.as_str())?, r.end?)))
        .filter(|&d| d >= 0)
        .collect();
    days.sort_unstable();
    let n = days.len();
    let median = match n {
        0 => None,
        _ if n % 2 == 1 => Some(days[n / 2]),
        // The mean of the two middle values, halves up.
        _ => Some((days[n / 2 - 1] + days[n / 2] + 1).div_euclid(2)),
    };
    (median, n as u32)
}

/// The rows [`crate::options::Rows::WhatIf`] stands for, among `windows` (those of one run of
/// `compute`, for `la`): the figures the projection reads in the windows [`current`] picks.
pub fn rows(
    windows: &[crate::window::Window],
    as_at: Option<chrono::NaiveDate>,
    la: Option<&str>,
) -> crate::options::Rows {
    let (short, long) = match as_at {
        Some(_) => (WindowKind::Rolling12, WindowKind::Rolling36),
        None => (WindowKind::OneYear, WindowKind::ThreeYear),
    };
    let end = windows
        .iter()
        .filter(|w| w.kind == short)
        .map(|w| w.end)
        .max();
    let current = windows
        .iter()
        .filter(|w| Some(w.end) == end && (w.kind == short || w.kind == long));
    crate::options::Rows::Several(
        current
            .flat_map(|w| {
                READS.iter().map(|id| crate::options::RowRequest {
                    id: id.to_string(),
                    window: w.label.clone(),
                    la: la.map(str::to_string),
                    category: None,
                })
            })
            .collect(),
    )
}

/// The current windows of `report` for the authority asked for: with an as-at date, the 12 and
/// 36 months to it; else the latest collection year and the 3-year window ending with it. Each
/// with its A1, A10, A2 and A3 results; the first is the one whose A9 lists the waiting children.
struct Current<'a> {
    a9: Option<&'a IndicatorResult>,
    windows: Vec<[&'a IndicatorResult; 4]>,
}

fn current<'a>(report: &'a Report, la: Option<&str>) -> Current<'a> {
    let of_la = |ind: &&IndicatorResult| match la {
        Some(la) => ind.la.as_deref() == Some(la),
        None => ind.la.is_none() || ind.la.as_deref() == Some(ALL_AUTHORITIES),
    };
    let mine: Vec<&IndicatorResult> = report.indicators.iter().filter(of_la).collect();
    let (short, long) = match report.options.as_at {
        Some(_) => (WindowKind::Rolling12, WindowKind::Rolling36),
        None => (WindowKind::OneYear, WindowKind::ThreeYear),
    };
    let end = mine
        .iter()
        .filter(|i| i.window_kind == short && i.id == "A1")
        .map(|i| i.end)
        .max();
    let Some(end) = end else {
        return Current {
            a9: None,
            windows: Vec::new(),
        };
    };
    let find = |id: &str, kind: WindowKind| {
        mine.iter()
            .copied()
            .find(|i| i.id == id && i.window_kind == kind && i.end == end && i.category.is_none())
    };
    let windows = [short, long]
        .into_iter()
        .filter_map(|kind| {
            Some([
                find("A1", kind)?,
                find("A10", kind)?,
                find("A2", kind)?,
                find("A3", kind)?,
            ])
        })
        .collect();
    Current {
        a9: find("A9", short),
        windows,
    }
}

/// The what-if projection of `report`'s current windows (see [`current`]) for `request`.
pub fn from_report(report: &Report, request: &Request) -> WhatIf {
    let cur = current(report, request.la.as_deref());
    // The median comes from the longest current window: more children.
    let (median, median_children, median_window) = cur
        .windows
        .iter()
        .rev()
        .map(|[a1, _, a2, _]| {
            let (m, n) = match_to_placement(&a1.children, &a2.children);
            (m, n, Some(a1.window.clone()))
        })
        .find(|(m, _, _)| m.is_some())
        .unwrap_or((None, 0, None));
    let (default_days, default_basis) = match median {
        Some(m) => (m, "median"),
        None => (DEFAULT_DAYS, "stated"),
    };
    let default_date = request.today + Duration::days(default_days);
    let date = request.date.unwrap_or(default_date);
    let placements = Placements {
        children: request.children.clone(),
    };
    let waiting: Vec<WaitingChild> = cur
        .a9
        .map(|a9| {
            a9.children
                .iter()
                .filter_map(|r| {
                    Some(WaitingChild {
                        child: r.child.to_string(),
                        entered: r.start?,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let windows = if waiting.is_empty() {
        Vec::new()
    } else {
        cur.windows
            .iter()
            .map(|[a1, a10, _, a3]| {
                let actual = Actual {
                    a1: &a1.children,
                    a10: &a10.children,
                    a3: &a3.children,
                    a1_threshold: a1.threshold,
                    a10_threshold: a10.threshold,
                    a3_limit_days: a3.limit_days,
                    months: report.options.months,
                };
                WindowProjection {
                    window: a1.window.clone(),
                    window_kind: a1.window_kind,
                    start: a1.start,
                    end: a1.end,
                    projection: project(&actual, &waiting, &placements, date),
                }
            })
            .collect()
    };
    WhatIf {
        date,
        default_date,
        default_days,
        default_basis,
        median_window,
        median_children,
        waiting_at: cur.a9.map(|a9| a9.end),
        la: request.la.clone(),
        windows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_of_inverts_the_dfe_day_values() {
        assert_eq!(months_of(426), Some(14));
        assert_eq!(months_of(639), Some(21));
        assert_eq!(months_of(425), None);
    }

    #[test]
    fn means_and_percentages_round_halves_up() {
        assert_eq!(mean(&[1, 2]), Some(2));
        assert_eq!(mean(&[400, 500, 301]), Some(400));
        assert_eq!(percent(5, 7), Some(71.4));
        assert_eq!(percent(1, 8), Some(12.5));
        assert_eq!(percent(0, 0), None);
    }
}

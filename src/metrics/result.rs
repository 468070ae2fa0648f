//! Building [`IndicatorResult`]s: the shapes shared by every indicator (days, counts, percentages).

use crate::metrics::stats;
use crate::report::{
    ChildRow, ColumnLabels, England, Exclusion, IndicatorResult, PercentTarget, RowOrder, Status,
    Value,
};
use crate::targets;
use crate::window::Window;
use std::cmp::Ordering;

/// A figure's rows as they are made.
///
/// The rows themselves are kept only when someone asked for them ([`crate::metrics::Data::details`]);
/// otherwise only what the figure's numbers are computed from is: how many rows, how many counted
/// and, for figures of days, each row's days. A national report asks for no rows, and building
/// every child's row in 24 windows only to drop it was most of the indicators' time.
#[derive(Debug, Default)]
pub struct Rows {
    keep: bool,
    rows: Vec<ChildRow>,
    excluded: Vec<Exclusion>,
    len: usize,
    counted: usize,
    excluded_len: usize,
    /// Each row's days (figures of days only).
    days: Option<Vec<i64>>,
}

impl Rows {
    /// Rows of a count or a percentage, kept when `keep`.
    pub fn new(keep: bool) -> Rows {
        Rows {
            keep,
            ..Rows::default()
        }
    }

    /// Rows of a figure of days (mean, median, range), kept when `keep`.
    pub fn of_days(keep: bool) -> Rows {
        Rows {
            days: Some(Vec::new()),
            ..Rows::new(keep)
        }
    }

    /// Whether the rows are kept: their notes are worth writing.
    pub fn keep(&self) -> bool {
        self.keep
    }

    pub fn push(&mut self, row: ChildRow) {
        self.count(row.counted, row.days);
        if self.keep {
            self.rows.push(row);
        }
    }

    /// Pushes the row `row` makes, made only when the rows are kept: `counted` and `days` are
    /// its own, given for the figure's numbers (a row costs a copy of the child's identifier,
    /// and a national report keeps none of the hundreds of thousands its windows count).
    pub fn push_with(
        &mut self,
        counted: Option<bool>,
        days: Option<i64>,
        row: impl FnOnce() -> ChildRow,
    ) {
        self.count(counted, days);
        if self.keep {
            let row = row();
            debug_assert_eq!((row.counted, row.days), (counted, days));
            self.rows.push(row);
        }
    }

    /// Pushes a copy of `row`, made only when the rows are kept (a row shown in several figures).
    pub fn push_copy(&mut self, row: &ChildRow) {
        self.count(row.counted, row.days);
        if self.keep {
            self.rows.push(row.clone());
        }
    }

    fn count(&mut self, counted: Option<bool>, days: Option<i64>) {
        self.len += 1;
        self.counted += usize::from(counted == Some(true));
        if let (Some(all), Some(d)) = (&mut self.days, days) {
            all.push(d);
        }
    }

    /// A child left out of the figure (`why` is only asked for when the rows are kept).
    pub fn exclude(&mut self, why: impl FnOnce() -> Exclusion) {
        self.excluded_len += 1;
        if self.keep {
            self.excluded.push(why());
        }
    }

    /// How many rows were pushed, kept or not.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// How many rows were counted (`counted == Some(true)`).
    pub fn counted(&self) -> usize {
        self.counted
    }

    /// How many children were left out.
    pub fn excluded(&self) -> usize {
        self.excluded_len
    }

    /// The rows' days (empty unless [`Rows::of_days`]), the kept rows and the kept exclusions.
    pub fn into_parts(self) -> (Vec<i64>, Vec<ChildRow>, Vec<Exclusion>) {
        (self.days.unwrap_or_default(), self.rows, self.excluded)
    }

    /// Orders the kept rows (stable).
    pub fn sort_by(&mut self, compare: impl FnMut(&ChildRow, &ChildRow) -> Ordering) {
        self.rows.sort_by(compare);
    }
}

/// Rows already made (the local files' small figures): all kept.
impl From<Vec<ChildRow>> for Rows {
    fn from(rows: Vec<ChildRow>) -> Rows {
        let mut out = Rows::new(true);
        out.rows.reserve(rows.len());
        rows.into_iter().for_each(|r| out.push(r));
        out
    }
}

/// An empty result for `id` in window `w`.
pub fn base(
    id: &'static str,
    name: &'static str,
    group: &'static str,
    unit: &'static str,
    w: &Window,
    columns: ColumnLabels,
) -> IndicatorResult {
    IndicatorResult {
        id,
        name,
        group,
        la: None,
        category: None,
        window: w.label.clone(),
        window_kind: w.kind,
        start: w.start,
        end: w.end,
        unit,
        value: None,
        n: 0,
        count: None,
        mean: None,
        median: None,
        min: None,
        max: None,
        threshold: None,
        threshold_window: None,
        threshold_source: None,
        threshold_overridden: false,
        limit_days: None,
        gap: None,
        target: None,
        gap_points: None,
        percent: None,
        unknown: None,
        source_note: None,
        status: Status::NoChildren,
        england: targets::england(id, &w.label).map(|e| England {
            value: e.value,
            window: e.window,
            source: e.source,
        }),
        small_cohort: false,
        columns,
        children: Vec::new(),
        excluded: Vec::new(),
        days: Vec::new(),
        rows_order: None,
    }
}

fn len(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A threshold in days: the value, whether the user set it, and the DfE row it came from.
pub struct DayThreshold {
    pub days: Option<u32>,
    pub overridden: bool,
    pub row: Option<&'static targets::ThresholdRow>,
}

/// A mean of days over children (A1, A10, A2 and their breakdowns).
#[allow(clippy::too_many_arguments)]
pub fn days(
    id: &'static str,
    name: &'static str,
    group: &'static str,
    w: &Window,
    rows: Rows,
    threshold: &DayThreshold,
    columns: ColumnLabels,
) -> IndicatorResult {
    let mut days = rows.days.unwrap_or_default();
    let mean = stats::mean_days(&days);
    let mut r = base(id, name, group, "days", w, columns);
    r.rows_order = Some(RowOrder::Adopted);
    r.n = len(days.len());
    r.mean = mean;
    r.value = mean.map(Value::Days);
    r.median = stats::median_days(&mut days);
    r.min = days.iter().copied().min();
    r.max = days.iter().copied().max();
    r.threshold = threshold.days;
    r.threshold_overridden = threshold.overridden;
    if threshold.overridden {
        r.threshold_source = Some(crate::metrics::result::USER);
    } else {
        r.threshold_window = threshold.row.map(|t| t.window);
        r.threshold_source = threshold.row.map(|t| t.source);
    }
    r.gap = mean.zip(threshold.days).map(|(m, t)| m - i64::from(t));
    r.status = match (mean, threshold.days) {
        (None, _) => Status::NoChildren,
        (Some(_), None) => Status::NoThreshold,
        (Some(m), Some(t)) if m <= i64::from(t) => Status::Met,
        _ => Status::NotMet,
    };
    r.children = rows.rows;
    r.excluded = rows.excluded;
    // For Options::days: sorted, or dropped, in lib.rs.
    r.days = days;
    r
}

/// A count: the rows are what is counted (children, households, decisions).
pub fn count(
    id: &'static str,
    name: &'static str,
    group: &'static str,
    w: &Window,
    rows: impl Into<Rows>,
    columns: ColumnLabels,
) -> IndicatorResult {
    let rows = rows.into();
    let mut r = base(id, name, group, "count", w, columns);
    r.rows_order = Some(RowOrder::Start);
    r.n = len(rows.len);
    r.count = Some(r.n);
    r.value = Some(Value::Count(i64::from(r.n)));
    r.status = Status::NoTarget;
    r.children = rows.rows;
    r.excluded = rows.excluded;
    r
}

/// Sets a percentage result's value (`k` of `n`, one decimal, exact), small-cohort marker,
/// status and gap against `target`.
fn judge(r: &mut IndicatorResult, k: u64, n: u64, target: Option<PercentTarget>) {
    let tenths = stats::percent_tenths(k, n);
    r.unit = "%";
    r.n = u32::try_from(n).unwrap_or(u32::MAX);
    r.count = Some(u32::try_from(k).unwrap_or(u32::MAX));
    r.value = tenths.map(|t| Value::Percent(t as f64 / 10.0));
    r.small_cohort = n > 0 && stats::small_cohort(k, n);
    r.status = match (tenths, &target) {
        (None, _) => Status::NoChildren,
        (Some(_), None) => Status::NoTarget,
        (Some(t), Some(goal)) => {
            let goal_tenths = (goal.value * 10.0).round() as i64;
            let t = t as i64;
            r.gap_points = Some((t - goal_tenths) as f64 / 10.0);
            let met = if goal.direction == "at most" {
                t <= goal_tenths
            } else {
                t >= goal_tenths
            };
            if met {
                Status::Met
            } else {
                Status::NotMet
            }
        }
    };
    r.threshold_overridden = target.as_ref().is_some_and(|t| t.source == USER);
    r.target = target;
}

/// The source of a threshold or target the user set.
pub const USER: &str = "set by the user";

/// A percentage: `rows` is the denominator; rows with `counted == Some(true)` the numerator.
pub fn percent(
    id: &'static str,
    name: &'static str,
    group: &'static str,
    w: &Window,
    rows: impl Into<Rows>,
    target: Option<PercentTarget>,
    columns: ColumnLabels,
) -> IndicatorResult {
    let rows = rows.into();
    let (n, k) = (rows.len as u64, rows.counted as u64);
    let mut r = base(id, name, group, "%", w, columns);
    r.rows_order = Some(RowOrder::CountedFirst);
    judge(&mut r, k, n, target);
    r.children = rows.rows;
    r.excluded = rows.excluded;
    r
}

/// `numerator` rows over a count that need not contain them (same-year conversion: this year's
/// approvals over this year's enquiries, which can exceed 100%).
#[allow(clippy::too_many_arguments)]
pub fn rate(
    id: &'static str,
    name: &'static str,
    group: &'static str,
    w: &Window,
    numerator: impl Into<Rows>,
    denominator: usize,
    target: Option<PercentTarget>,
    columns: ColumnLabels,
) -> IndicatorResult {
    let numerator = numerator.into();
    let k = numerator.len as u64;
    let mut r = count(id, name, group, w, numerator, columns);
    judge(&mut r, k, denominator as u64, target);
    r
}

/// A share of a count (A4's % of leavers adopted): `k` of `n` as a percentage, one decimal.
pub fn share(k: usize, n: usize) -> Option<f64> {
    stats::percent_tenths(k as u64, n as u64).map(|t| t as f64 / 10.0)
}

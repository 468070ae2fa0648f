//! Building [`IndicatorResult`]s: the shapes shared by every indicator (days, counts, percentages).

use crate::metrics::stats;
use crate::report::{
    ChildRow, ColumnLabels, England, Exclusion, IndicatorResult, PercentTarget, RowOrder, Status,
    Value,
};
use crate::targets;
use crate::window::Window;

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
    children: Vec<ChildRow>,
    excluded: Vec<Exclusion>,
    threshold: &DayThreshold,
    columns: ColumnLabels,
) -> IndicatorResult {
    let days: Vec<i64> = children.iter().filter_map(|c| c.days).collect();
    let mean = stats::mean_days(&days);
    let mut r = base(id, name, group, "days", w, columns);
    r.rows_order = Some(RowOrder::Adopted);
    r.n = len(days.len());
    r.mean = mean;
    r.value = mean.map(Value::Days);
    r.median = stats::median_days(&days);
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
    r.children = children;
    r.excluded = excluded;
    r
}

/// A count: the rows are what is counted (children, households, decisions).
pub fn count(
    id: &'static str,
    name: &'static str,
    group: &'static str,
    w: &Window,
    rows: Vec<ChildRow>,
    columns: ColumnLabels,
) -> IndicatorResult {
    let mut r = base(id, name, group, "count", w, columns);
    r.rows_order = Some(RowOrder::Start);
    r.n = len(rows.len());
    r.count = Some(r.n);
    r.value = Some(Value::Count(i64::from(r.n)));
    r.status = Status::NoTarget;
    r.children = rows;
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
    rows: Vec<ChildRow>,
    target: Option<PercentTarget>,
    columns: ColumnLabels,
) -> IndicatorResult {
    let n = rows.len() as u64;
    let k = rows.iter().filter(|c| c.counted == Some(true)).count() as u64;
    let mut r = base(id, name, group, "%", w, columns);
    r.rows_order = Some(RowOrder::CountedFirst);
    judge(&mut r, k, n, target);
    r.children = rows;
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
    numerator: Vec<ChildRow>,
    denominator: usize,
    target: Option<PercentTarget>,
    columns: ColumnLabels,
) -> IndicatorResult {
    let k = numerator.len() as u64;
    let mut r = count(id, name, group, w, numerator, columns);
    judge(&mut r, k, denominator as u64, target);
    r
}

/// A share of a count (A4's % of leavers adopted): `k` of `n` as a percentage, one decimal.
pub fn share(k: usize, n: usize) -> Option<f64> {
    stats::percent_tenths(k as u64, n as u64).map(|t| t as f64 / 10.0)
}

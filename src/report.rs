//! The serialisable report: what the CLI prints and the page lays out (`docs/report-format.md`).

use crate::diagnostic::Diagnostic;
use crate::options::Options;
use crate::schema::FileSummary;
use crate::window::WindowKind;
use chrono::NaiveDate;
use serde::Serialize;

/// Everything one run produces.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub engine: EngineInfo,
    pub options: Options,
    pub coverage: Coverage,
    pub counts: Counts,
    pub files: Vec<FileSummary>,
    pub indicators: Vec<IndicatorResult>,
    pub excluded: Vec<ExcludedChild>,
    pub diagnostics: Vec<Diagnostic>,
    /// How many diagnostics the whole list has, when `diagnostics` carries only some of them
    /// ([`Options::diagnostics`](crate::options::Diagnostics)); absent from the JSON otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diagnostics_total: Option<u32>,
    /// The diagnostics grouped by code and DfE rule, for the data-quality view.
    pub quality: Vec<crate::checks::QualityGroup>,
}

impl Report {
    /// Keeps the first `first` diagnostics and the first `per_group` of each quality group, each
    /// with its `index` in the whole list, which `diagnostics_total` counts. Group counts stay
    /// whole and group indices keep pointing into the whole list, so a reader looks a group's row
    /// up by `index`, not by position.
    pub fn limit_diagnostics(&mut self, first: u32, per_group: u32) {
        let total = self.diagnostics.len();
        let mut keep = vec![false; total];
        let first = usize::try_from(first).unwrap_or(usize::MAX).min(total);
        keep[..first].fill(true);
        let per_group = usize::try_from(per_group).unwrap_or(usize::MAX);
        for g in &mut self.quality {
            g.diagnostics.truncate(per_group);
            for &i in &g.diagnostics {
                if let Some(k) = usize::try_from(i).ok().and_then(|i| keep.get_mut(i)) {
                    *k = true;
                }
            }
        }
        let all = std::mem::take(&mut self.diagnostics);
        self.diagnostics = all
            .into_iter()
            .zip(keep)
            .enumerate()
            .filter(|(_, (_, k))| *k)
            .map(|(i, (mut d, _))| {
                d.index = Some(u32::try_from(i).unwrap_or(u32::MAX));
                d
            })
            .collect();
        self.diagnostics_total = Some(u32::try_from(total).unwrap_or(u32::MAX));
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct EngineInfo {
    pub name: &'static str,
    pub version: &'static str,
    pub targets_version: &'static str,
}

/// The span of dates seen and the collection years reported.
#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    pub first_date: Option<NaiveDate>,
    pub last_date: Option<NaiveDate>,
    pub years: Vec<String>,
}

/// Row accounting over all files: `rows_read = rows_used + rows_excluded`.
#[derive(Debug, Clone, Serialize)]
pub struct Counts {
    pub files: usize,
    pub rows_read: u64,
    pub rows_used: u64,
    pub rows_excluded: u64,
}

/// A figure: whole days or a percentage to one decimal.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    Days(i64),
    Percent(f64),
    /// A count of children, households or events.
    Count(i64),
    /// A ratio to two decimals (children per household).
    Ratio(f64),
}

/// Outcome against the threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Status {
    #[serde(rename = "met")]
    Met,
    #[serde(rename = "not met")]
    NotMet,
    #[serde(rename = "no threshold")]
    NoThreshold,
    #[serde(rename = "no target")]
    NoTarget,
    #[serde(rename = "no children")]
    NoChildren,
}

/// A percentage target (the DfE set none for A3; local and former national targets elsewhere).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PercentTarget {
    pub value: f64,
    /// `at least` (higher is better) or `at most` (lower is better).
    pub direction: &'static str,
    pub source: &'static str,
}

/// A published England average shown beside a figure.
#[derive(Debug, Clone, Serialize)]
pub struct England {
    pub value: u32,
    pub window: &'static str,
    pub source: &'static str,
}

/// Labels for a child row's two dates.
#[derive(Debug, Clone, Serialize)]
pub struct ColumnLabels {
    /// What each row is: `Child`, `Household` (carers.csv) or `Family` (adopters.csv).
    pub subject: &'static str,
    pub start: &'static str,
    pub end: &'static str,
}

/// One child (or fostering household, or adoptive family) behind a figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChildRow {
    pub child: crate::model::Text,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub adopted: Option<NaiveDate>,
    pub days: Option<i64>,
    /// A3: whether the child counts in the numerator (waited less than the limit).
    pub counted: Option<bool>,
    pub note: Option<String>,
}

/// A child left out of one figure, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exclusion {
    pub child: crate::model::Text,
    pub code: &'static str,
    pub reason: String,
}

/// A child left out of one or more indicators, listed once per reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExcludedChild {
    pub child: crate::model::Text,
    pub indicators: Vec<&'static str>,
    pub code: &'static str,
    pub reason: String,
    /// The adoption date, when known.
    pub date: Option<NaiveDate>,
}

/// One indicator in one window.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorResult {
    pub id: &'static str,
    pub name: &'static str,
    /// The section of the report: `Adoption scorecard`, `Hard to place`, `Adoption activity`,
    /// `Placement stability`, `Where children live`, `Fostering`, `Adopters`.
    pub group: &'static str,
    /// The local authority, when files carry several (`null`: all the data loaded).
    pub la: Option<String>,
    /// A free-text category within the indicator (a deregistration reason).
    pub category: Option<String>,
    pub window: String,
    pub window_kind: WindowKind,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub unit: &'static str,
    pub value: Option<Value>,
    pub n: u32,
    pub count: Option<u32>,
    pub mean: Option<i64>,
    pub median: Option<f64>,
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub threshold: Option<u32>,
    pub threshold_window: Option<&'static str>,
    pub threshold_source: Option<&'static str>,
    pub threshold_overridden: bool,
    pub limit_days: Option<u32>,
    pub gap: Option<i64>,
    /// Percentage indicators: the target in force and the gap in percentage points.
    pub target: Option<PercentTarget>,
    pub gap_points: Option<f64>,
    /// Count indicators with a rate beside them (A4: % of leavers adopted).
    pub percent: Option<f64>,
    /// Children whose characteristic could not be told from the data.
    pub unknown: Option<u32>,
    /// Where a characteristic came from (disability: DISABLED column or CIN N2).
    pub source_note: Option<String>,
    pub status: Status,
    pub england: Option<England>,
    pub small_cohort: bool,
    pub columns: ColumnLabels,
    pub children: Vec<ChildRow>,
    pub excluded: Vec<Exclusion>,
    /// Figures of days, when [`crate::Options::days`] is set: each child's days, ascending.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub days: Vec<i64>,
    /// How `children` is to be ordered, when it is kept ([`IndicatorResult::order_rows`]):
    /// figures whose rows nobody asked for are never sorted.
    #[serde(skip)]
    pub rows_order: Option<RowOrder>,
}

/// The order of a figure's child rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowOrder {
    /// By adoption date, then child (days figures: A1, A10, A2 and their breakdowns).
    Adopted,
    /// By start date, then child (counts).
    Start,
    /// Counted rows first, then by start date, then child (percentages).
    CountedFirst,
}

impl IndicatorResult {
    /// Puts the child rows in their order (stable: rows that tie keep the order they were made in).
    pub fn order_rows(&mut self) {
        let rows = &mut self.children;
        match self.rows_order.take() {
            Some(RowOrder::Adopted) => sort_rows(rows, |r| r.adopted),
            Some(RowOrder::Start) => sort_rows(rows, |r| r.start),
            Some(RowOrder::CountedFirst) => {
                sort_rows(rows, |r| (std::cmp::Reverse(r.counted), r.start))
            }
            None => {}
        }
    }
}

/// Sorts `rows` by `first` of each, then by child, stably. The positions are sorted, by `first`
/// and each child's identifier's first 8 bytes as a number (the text is compared only where the
/// numbers tie: see `periods::id_number`), and the rows then moved once to their places: the
/// what-if keeps the rows of figures of 40,000 children at 1M episodes, whose sorts by date and
/// identifier took some 25 ms in the page's wasm.
fn sort_rows<K: Ord>(rows: &mut [ChildRow], first: impl Fn(&ChildRow) -> K) {
    if rows.len() < 2 {
        return;
    }
    let keys: Vec<(K, u64)> = rows
        .iter()
        .map(|r| (first(r), crate::periods::id_number(&r.child)))
        .collect();
    let mut order: Vec<u32> = (0..u32::try_from(rows.len()).unwrap_or(u32::MAX)).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (a as usize, b as usize);
        keys[a]
            .cmp(&keys[b])
            .then_with(|| rows[a].child.cmp(&rows[b].child))
    });
    drop(keys);
    crate::periods::permute(rows, &order);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(child: &str, date: (i32, u32, u32), counted: Option<bool>, note: &str) -> ChildRow {
        let date = NaiveDate::from_ymd_opt(date.0, date.1, date.2);
        ChildRow {
            child: child.into(),
            start: date,
            end: None,
            adopted: date,
            days: None,
            counted,
            note: Some(note.to_string()),
        }
    }

    fn order(rows: &[ChildRow]) -> Vec<(&str, &str)> {
        rows.iter()
            .map(|r| (r.child.as_str(), r.note.as_deref().unwrap_or("")))
            .collect()
    }

    #[test]
    fn rows_sort_by_date_then_child_text_stably() {
        // Identifiers alike in their first 8 bytes are put in order by their text ("1" before
        // "2"), a shorter one that begins a longer one first; the two rows of ABCDEFGH10 on one
        // day keep the order they were made in; Z's earlier date puts it first.
        let mut rows = vec![
            row("ABCDEFGH2", (2016, 5, 1), None, "a"),
            row("B", (2016, 5, 1), None, "b"),
            row("ABCDEFGH10", (2016, 5, 1), None, "first"),
            row("A", (2016, 5, 1), None, "c"),
            row("Z", (2016, 4, 30), None, "d"),
            row("ABCDEFGH10", (2016, 5, 1), None, "second"),
        ];
        sort_rows(&mut rows, |r| r.adopted);
        assert_eq!(
            order(&rows),
            [
                ("Z", "d"),
                ("A", "c"),
                ("ABCDEFGH10", "first"),
                ("ABCDEFGH10", "second"),
                ("ABCDEFGH2", "a"),
                ("B", "b"),
            ]
        );
        // Counted first (true, then false, then unknown), each by start date, then child.
        let mut rows = vec![
            row("C", (2016, 1, 1), None, "unknown"),
            row("B", (2016, 2, 1), Some(true), "later"),
            row("D", (2015, 1, 1), Some(false), "not"),
            row("A", (2016, 1, 1), Some(true), "earlier"),
        ];
        sort_rows(&mut rows, |r| (std::cmp::Reverse(r.counted), r.start));
        assert_eq!(
            order(&rows),
            [
                ("A", "earlier"),
                ("B", "later"),
                ("D", "not"),
                ("C", "unknown")
            ]
        );
    }
}

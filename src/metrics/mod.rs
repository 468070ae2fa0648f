//! Indicators: pure functions from typed records and a window to results.

pub mod activity;
pub mod adopters;
pub mod adoption;
pub mod fostering;
pub mod hard_to_place;
pub mod result;
pub mod stability;
pub mod stats;

use crate::model::{Adopter, Adoption, Carer, ChildHeader, PlacementDecision};
use crate::options::{MonthRule, Options};
use crate::periods::History;
use chrono::{Datelike, NaiveDate};

/// Everything the indicators read, after stitching.
pub struct Data<'a> {
    /// Sorted by child.
    pub histories: &'a [History<'a>],
    /// For each history, the first day of its first episode and the day after which no episode
    /// is open (`NaiveDate::MAX` while one is): a child looked after on a day is inside its span,
    /// so the windows skip most children without reading their episodes.
    pub spans: Vec<(NaiveDate, NaiveDate)>,
    /// Each history's Header row (the first read of its child's): see [`Data::headers_of`].
    pub headers: Vec<Option<&'a ChildHeader>>,
    pub decisions: &'a [PlacementDecision],
    /// The decisions of children with a history, by child: see [`Decision`].
    pub decisions_by_child: Vec<Decision>,
    pub adoptions: &'a [Adoption],
    pub carers: &'a [Carer],
    pub adopters: &'a [Adopter],
    /// The Header file has a DISABLED column (else CIN N2 is the proxy).
    pub disabled_column: bool,
    /// A SIBLING_GROUP column is in the Header or AD1 file.
    pub sibling_column: bool,
    pub options: &'a Options,
    /// The authority these records are for (`None` for a single authority's files).
    pub la: Option<&'a str>,
}

impl Data<'_> {
    /// Whether figure `id` of window `w` keeps its child rows (see [`crate::options::Rows`]):
    /// when not, the rows' notes are not worth writing.
    pub fn details(&self, id: &str, w: &crate::window::Window) -> bool {
        self.options.rows.any_wanted(id, &w.label, self.la)
    }

    /// The decisions of children with a history (see [`Data::decisions_by_child`]).
    pub fn decisions_of(
        histories: &[History<'_>],
        decisions: &[PlacementDecision],
    ) -> Vec<Decision> {
        let mut near = 0;
        let mut out: Vec<Decision> = decisions
            .iter()
            .enumerate()
            .filter_map(|(i, d)| {
                let history = find_history(histories, &d.child, near)
                    .inspect_err(|&at| near = at)
                    .ok()?;
                near = history;
                Some(Decision {
                    placed: d.date_placed,
                    ceased: d.date_placed_ceased,
                    history: u32::try_from(history).ok()?,
                    index: u32::try_from(i).ok()?,
                })
            })
            .collect();
        out.sort_unstable_by_key(|d| (d.history, d.placed, d.index));
        out
    }

    /// Each history's Header row: of a child's rows, the first read (see [`Data::headers`]).
    pub fn headers_of<'h>(
        histories: &[History<'_>],
        headers: &'h [ChildHeader],
    ) -> Vec<Option<&'h ChildHeader>> {
        let mut out = vec![None; histories.len()];
        let mut near = 0;
        for header in headers {
            match find_history(histories, &header.child, near) {
                Ok(i) => {
                    out[i].get_or_insert(header);
                    near = i;
                }
                Err(at) => near = at,
            }
        }
        out
    }

    /// Each history's span (see [`Data::spans`]).
    pub fn spans_of(histories: &[History<'_>]) -> Vec<(NaiveDate, NaiveDate)> {
        histories
            .iter()
            .map(|h| {
                let first = h.episodes.first().map_or(NaiveDate::MAX, |e| e.decom);
                let last = h
                    .episodes
                    .iter()
                    .map(|e| e.dec.unwrap_or(NaiveDate::MAX))
                    .max()
                    .unwrap_or(NaiveDate::MIN);
                (first, last)
            })
            .collect()
    }
}

/// Where `child`'s history is in `histories` (sorted by child), or where it would be, as
/// `binary_search` tells: looking from `from` on first.
///
/// The records of a file come mostly in child order, so each record's child is a few histories
/// on from the previous record's: a galloping search from there reads only the histories around
/// it, where searching the whole list jumps all over a national file's histories (and took the
/// time of a thousand cache misses per thousand records). Records out of order are searched for
/// among the histories before `from`. The histories are compared by their identifiers' numbers
/// ([`History::cmp_child`]), so that no identifier's text is read unless it is longer than 8
/// bytes and begins with the child's first 8.
pub fn find_history(histories: &[History<'_>], child: &str, from: usize) -> Result<usize, usize> {
    let number = crate::periods::id_number(child);
    let order = |h: &History<'_>| h.cmp_child(child, number);
    let search = |from: usize, to: usize| {
        histories[from..to]
            .binary_search_by(order)
            .map(|i| from + i)
            .map_err(|i| from + i)
    };
    let after = |h: &History<'_>| order(h) == std::cmp::Ordering::Greater;
    let from = from.min(histories.len());
    if histories.get(from).is_none_or(after) {
        return search(0, from);
    }
    // histories[from] <= child: gallop on until a history after the child, or the end.
    let (mut low, mut step) = (from, 1);
    loop {
        let next = low.saturating_add(step);
        if next >= histories.len() || after(&histories[next]) {
            return search(low, next.min(histories.len()));
        }
        low = next;
        step = step.saturating_mul(2);
    }
}

/// A decision to place for adoption as the windows read it, in a few bytes: every window looks
/// for the decisions active on its last day, and a national file's decisions in full are many
/// times larger than these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub placed: NaiveDate,
    pub ceased: Option<NaiveDate>,
    /// The child's history: an index into [`Data::histories`].
    pub history: u32,
    /// The decision: an index into [`Data::decisions`].
    pub index: u32,
}

impl Decision {
    /// Active on `d`: made on or before, not ceased by then.
    pub fn active_on(&self, d: NaiveDate) -> bool {
        self.placed <= d && self.ceased.is_none_or(|c| c > d)
    }

    /// Each child's decisions, in [`Data::decisions_by_child`] order (by date, then as in the file).
    pub fn by_child(all: &[Decision]) -> impl Iterator<Item = &[Decision]> {
        all.chunk_by(|a, b| a.history == b.history)
    }
}

/// Age in whole years on `on`.
pub fn age(dob: NaiveDate, on: NaiveDate) -> i32 {
    let birthday_passed = (on.month(), on.day()) >= (dob.month(), dob.day());
    on.year() - dob.year() - if birthday_passed { 0 } else { 1 }
}

/// "N months or more" between two dates under the months option (`indicators.md` section 0).
pub fn at_least_months(start: NaiveDate, end: NaiveDate, months: u32, rule: MonthRule) -> bool {
    match rule {
        MonthRule::Days => {
            crate::dates::days_between(start, end)
                >= i64::from(crate::targets::months_to_days(months, false))
        }
        MonthRule::Calendar => end >= crate::dates::add_months(start, months),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn ages_in_whole_years() {
        assert_eq!(age(d(2010, 6, 1), d(2015, 5, 31)), 4);
        assert_eq!(age(d(2010, 6, 1), d(2015, 6, 1)), 5);
        assert_eq!(age(d(2012, 2, 29), d(2016, 2, 28)), 3);
    }

    #[test]
    fn month_rules() {
        // 01/01 -> 01/04/2015: 90 days, under 91 (3 months) by days, 3 calendar months exactly.
        assert!(!at_least_months(
            d(2015, 1, 1),
            d(2015, 4, 1),
            3,
            MonthRule::Days
        ));
        assert!(at_least_months(
            d(2015, 1, 1),
            d(2015, 4, 1),
            3,
            MonthRule::Calendar
        ));
        assert!(at_least_months(
            d(2015, 1, 1),
            d(2015, 4, 2),
            3,
            MonthRule::Days
        ));
    }
}

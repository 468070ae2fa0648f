//! The looked-after population, placement stability and where children live
//! (`indicators.md` section 6).

use crate::dates::{self, sub_months};
use crate::metrics::result::{self, share, Rows};
use crate::metrics::{age, Data};
use crate::model::{ChildHeader, Code, Episode};
use crate::periods::History;
use crate::report::{ChildRow, ColumnLabels, Exclusion, IndicatorResult};
use crate::targets;
use crate::window::{Window, WindowKind};
use chrono::NaiveDate;

/// Report sections.
pub const STABILITY: &str = "Placement stability";
pub const WHERE: &str = "Where children live";

const ENTERED_AT: ColumnLabels = ColumnLabels {
    subject: "Child",
    start: "Entered care",
    end: "Looked after on",
};
const PLACEMENT: ColumnLabels = ColumnLabels {
    subject: "Child",
    start: "Current placement began",
    end: "Looked after on",
};
const WITH_CARER: ColumnLabels = ColumnLabels {
    subject: "Child",
    start: "With the same carer since",
    end: "Looked after on",
};

// Codes are compared as numbers (a `Code` is eight bytes), not as text.
const T0: Code = Code::lit("T0");
const T1: Code = Code::lit("T1");
const T2: Code = Code::lit("T2");
const T3: Code = Code::lit("T3");
const T4: Code = Code::lit("T4");
const L: Code = Code::lit("L");
const T: Code = Code::lit("T");
const U: Code = Code::lit("U");
const P: Code = Code::lit("P");
const B: Code = Code::lit("B");

fn temporary(e: &Episode) -> bool {
    matches!(e.place, T0 | T1 | T2 | T3 | T4)
}

/// The episode open on `d` (DECOM on or before, DEC blank or after), if the child is looked after.
pub fn open_on<'a>(h: &History<'a>, d: NaiveDate) -> Option<(usize, &'a Episode)> {
    h.episodes
        .iter()
        .enumerate()
        .rev()
        .find(|(_, e)| e.decom <= d && e.dec.is_none_or(|x| x > d))
}

/// Start of the period of care containing episode `i`.
fn period_start(h: &History<'_>, i: usize) -> Option<NaiveDate> {
    h.periods
        .iter()
        .find(|p| p.first <= i && i < p.end_index)
        .map(|p| p.start)
}

/// The usual placement behind episode `i`: itself, or for a temporary move (T0-T4) the last
/// non-temporary episode before it in the same period.
fn usual<'a>(h: &History<'a>, i: usize) -> &'a Episode {
    let first = h
        .periods
        .iter()
        .find(|p| p.first <= i && i < p.end_index)
        .map_or(0, |p| p.first);
    h.episodes[first..=i]
        .iter()
        .rev()
        .find(|e| !temporary(e))
        .unwrap_or(&h.episodes[i])
}

fn same_placement(a: &Episode, b: &Episode) -> bool {
    (&a.place, &a.place_provider, &a.placed_at) == (&b.place, &b.place_provider, &b.placed_at)
}

/// Placements during `from..=to` (`indicators.md` section 6): the placement held on `from`, or the
/// first begun after it, counts 1; each later episode starting in the span with RNE P or B (with
/// `same_carer`, also T and U) counts 1 more. Temporary placements (T0-T4) are not placements, and
/// the episode after a temporary one is not new if it returns to the placement before it.
/// Puts the start dates of the placements counted in `out` (emptied first: one list serves every
/// child, rather than one allocated for each).
pub fn placements(
    h: &History<'_>,
    from: NaiveDate,
    to: NaiveDate,
    same_carer: bool,
    out: &mut Vec<NaiveDate>,
) {
    out.clear();
    let mut counted_first = false;
    for (i, e) in h.episodes.iter().enumerate() {
        if e.decom > to || e.dec.is_some_and(|x| x <= from) {
            continue;
        }
        if !counted_first {
            out.push(e.decom.max(from));
            counted_first = true;
            continue;
        }
        let change = matches!(e.rne, P | B) || (same_carer && matches!(e.rne, T | U));
        if !change || temporary(e) {
            continue;
        }
        let after_temporary = i > 0 && temporary(&h.episodes[i - 1]);
        if after_temporary && same_placement(e, usual(h, i - 1)) {
            continue;
        }
        out.push(e.decom);
    }
}

fn placements_note(starts: &[NaiveDate]) -> String {
    let list: Vec<String> = starts.iter().map(|d| dates::uk(*d)).collect();
    format!("{} placement(s): {}", starts.len(), list.join(", "))
}

/// Placement stability and where children live, for every window that reports them, in the
/// windows' order: for each, its stability figures (1-year and rolling 12-month windows) then its
/// where-children-live figures (1-year and year-to-date windows).
///
/// One pass over the children serves every window: a national file's histories are far larger
/// than the processor's caches, and reading each child's episodes again for every window cost
/// more than the figures' arithmetic.
pub fn by_window(windows: &[Window], data: &Data<'_>) -> Vec<Vec<IndicatorResult>> {
    let mut stability: Vec<Option<Stability<'_>>> = windows
        .iter()
        .map(|w| {
            matches!(w.kind, WindowKind::OneYear | WindowKind::Rolling12)
                .then(|| Stability::new(w, data))
        })
        .collect();
    let mut placed: Vec<Option<Placed<'_>>> = windows
        .iter()
        .map(|w| {
            matches!(w.kind, WindowKind::OneYear | WindowKind::YearToDate)
                .then(|| Placed::new(w, data))
        })
        .collect();
    let mut starts = Vec::new();
    // The windows with a figure here (the 3-year and 36-month windows have none): each child
    // is looked for on their last days only.
    let mut figures: Vec<_> = windows
        .iter()
        .zip(stability.iter_mut().zip(&mut placed))
        .filter(|(_, (s, p))| s.is_some() || p.is_some())
        .collect();
    for (index, (h, &(first, last))) in data.histories.iter().zip(&data.spans).enumerate() {
        for (w, (stability, placed)) in figures.iter_mut() {
            // Only a child whose span holds the window's last day may be looked after on it.
            if first > w.end || last <= w.end {
                continue;
            }
            let Some(open) = open_on(h, w.end) else {
                continue;
            };
            if let Some(s) = stability {
                s.add(h, data.headers[index], open, data, &mut starts);
            }
            if let Some(p) = placed {
                p.add(h, open.0);
            }
        }
    }
    stability
        .into_iter()
        .zip(placed)
        .map(|(s, p)| {
            let mut out = s.map(|s| s.results(data)).unwrap_or_default();
            out.extend(p.map(Placed::results).unwrap_or_default());
            out
        })
        .collect()
}

/// Placement stability for the 12 months of a window, on its last day, as its children are added.
struct Stability<'w> {
    w: &'w Window,
    two_years_ago: NaiveDate,
    two_and_half: NaiveDate,
    lac: Rows,
    short: Rows,
    two_year: Rows,
    long: Rows,
}

impl<'w> Stability<'w> {
    fn new(w: &'w Window, data: &Data<'_>) -> Stability<'w> {
        let rows = |id| Rows::new(data.details(id, w));
        Stability {
            w,
            two_years_ago: sub_months(w.end, 24),
            two_and_half: sub_months(w.end, 30),
            lac: rows("lac"),
            short: rows("stability-short-term"),
            two_year: rows("stability-two-year"),
            long: rows("stability-long-term"),
        }
    }

    /// Child `h` (with its Header row `header`), looked after on the window's last day in its
    /// episode `(i, e)` (`starts`: a list to reuse).
    fn add(
        &mut self,
        h: &History<'_>,
        header: Option<&ChildHeader>,
        (i, e): (usize, &Episode),
        data: &Data<'_>,
        starts: &mut Vec<NaiveDate>,
    ) {
        let (w, d) = (self.w, self.w.end);
        let (two_years_ago, two_and_half) = (self.two_years_ago, self.two_and_half);
        let same_carer = data.options.count_same_carer_moves;
        let Some(start) = period_start(h, i) else {
            return;
        };
        let days = Some(dates::days_between(start, d));
        let row = |counted: Option<bool>, note: Option<String>| ChildRow {
            child: h.child.clone(),
            start: Some(start),
            end: Some(d),
            adopted: None,
            days,
            counted,
            note,
        };
        // Rows and their notes are made only for the figures whose rows are kept.
        self.lac.push_with(None, days, || {
            row(None, Some(format!("placement {}", e.place)))
        });
        placements(h, w.start, d, same_carer, starts);
        let counted = Some(starts.len() >= 3);
        self.short.push_with(counted, days, || {
            row(counted, Some(placements_note(starts)))
        });
        if start <= two_years_ago {
            let from = two_years_ago.succ_opt().unwrap_or(two_years_ago);
            placements(h, from, d, same_carer, starts);
            let counted = Some(starts.len() >= 3);
            self.two_year.push_with(counted, days, || {
                row(counted, Some(placements_note(starts)))
            });
        }
        if start <= two_and_half {
            let dob = header.and_then(|x| x.dob);
            match dob {
                None => self.long.exclude(|| Exclusion {
                    child: h.child.clone(),
                    code: "dob-unknown",
                    reason: "no date of birth in the Header file, so whether the child is under 16 is unknown".into(),
                }),
                Some(dob) if age(dob, d) < 16 => {
                    let since = same_carer_since(h, i);
                    let stable = since <= two_years_ago || adoptive_with_previous(h, i).is_some_and(|x| x <= two_years_ago);
                    let note = self.long.keep().then(|| {
                        format!("in care since {}; placement {}", dates::uk(start), e.place)
                    });
                    self.long.push(ChildRow {
                        start: Some(since),
                        days: Some(dates::days_between(since, d)),
                        ..row(Some(stable), note)
                    });
                }
                Some(_) => {}
            }
        }
    }

    fn results(self, data: &Data<'_>) -> Vec<IndicatorResult> {
        let (w, options) = (self.w, data.options);
        let mut out = vec![result::count(
            "lac",
            "Children looked after",
            STABILITY,
            w,
            self.lac,
            ENTERED_AT,
        )];
        out.push(result::percent(
            "stability-short-term",
            "Children looked after with 3 or more placements during the year",
            STABILITY,
            w,
            self.short,
            targets::percent_target("stability-short-term", &w.label, options),
            ENTERED_AT,
        ));
        out.push(result::percent(
            "stability-two-year",
            "Children looked after for 2 years or more with 3 or more placements in those 2 years",
            STABILITY,
            w,
            self.two_year,
            targets::percent_target("stability-two-year", &w.label, options),
            ENTERED_AT,
        ));
        let unknown = self.long.excluded() as u32;
        let mut long = result::percent(
            "stability-long-term",
            "Children under 16 looked after for 2.5 years or more, in the same placement for 2 years or placed for adoption",
            STABILITY,
            w,
            self.long,
            targets::percent_target("stability-long-term", &w.label, options),
            WITH_CARER,
        );
        long.unknown = Some(unknown);
        out.push(long);
        out
    }
}

/// The date the child began living with its current carers: from episode `i`, walk back while
/// the later episode of each pair has RNE L, T or U (same carers).
fn same_carer_since(h: &History<'_>, i: usize) -> NaiveDate {
    let first = h
        .periods
        .iter()
        .find(|p| p.first <= i && i < p.end_index)
        .map_or(0, |p| p.first);
    let mut j = i;
    while j > first && matches!(h.episodes[j].rne, L | T | U) {
        j -= 1;
    }
    h.episodes[j].decom
}

/// For a child placed for adoption in episode `i`: the start of the placement directly before the
/// adoptive placement (or of the adoptive placement if there was none before it).
fn adoptive_with_previous(h: &History<'_>, i: usize) -> Option<NaiveDate> {
    if !h.episodes[i].is_adoptive_placement() {
        return None;
    }
    let first = h
        .periods
        .iter()
        .find(|p| p.first <= i && i < p.end_index)
        .map_or(0, |p| p.first);
    let mut run = i;
    while run > first && h.episodes[run - 1].is_adoptive_placement() {
        run -= 1;
    }
    Some(if run > first {
        same_carer_since(h, run - 1)
    } else {
        h.episodes[run].decom
    })
}

/// The placement groups of "where children live" (`indicators.md` section 6).
const GROUPS: [(&str, &str); 10] = [
    ("placed-foster-care", "Children in foster care (U1-U6)"),
    (
        "placed-foster-in-house",
        "Children with the council's own foster carers (U1-U6, PR1)",
    ),
    (
        "placed-foster-other-la",
        "Children with another council's foster carers (U1-U6, PR2)",
    ),
    (
        "placed-foster-agency",
        "Children with agency foster carers (U1-U6, PR4 private, PR5 voluntary)",
    ),
    (
        "placed-connected",
        "Children with connected persons: family and friends (U1-U3)",
    ),
    (
        "placed-for-adoption",
        "Children placed for adoption (A3-A6)",
    ),
    (
        "placed-residential",
        "Children in residential care (K1, K2, K3, R1, S1)",
    ),
    ("placed-with-parents", "Children placed with parents (P1)"),
    (
        "placed-independent",
        "Children living independently or in semi-independent accommodation (P2, H5)",
    ),
    ("placed-other", "Children in other placements"),
];

const U1: Code = Code::lit("U1");
const U2: Code = Code::lit("U2");
const U3: Code = Code::lit("U3");
const U4: Code = Code::lit("U4");
const U5: Code = Code::lit("U5");
const U6: Code = Code::lit("U6");
const PR1: Code = Code::lit("PR1");
const PR2: Code = Code::lit("PR2");
const PR4: Code = Code::lit("PR4");
const PR5: Code = Code::lit("PR5");
const K1: Code = Code::lit("K1");
const K2: Code = Code::lit("K2");
const K3: Code = Code::lit("K3");
const R1: Code = Code::lit("R1");
const S1: Code = Code::lit("S1");
const P1: Code = Code::lit("P1");
const P2: Code = Code::lit("P2");
const H5: Code = Code::lit("H5");

/// The groups (indices into [`GROUPS`]) of a placement: a few, so a fixed list and its length.
fn groups_of(e: &Episode) -> ([usize; 3], usize) {
    let mut g = [0; 3];
    let mut n = 0;
    let mut add = |i| {
        g[n] = i;
        n += 1;
    };
    let p = e.place;
    if matches!(p, U1 | U2 | U3 | U4 | U5 | U6) {
        add(0);
        match e.place_provider {
            PR1 => add(1),
            PR2 => add(2),
            PR4 | PR5 => add(3),
            // Other providers (PR0, PR3, blank) are in the foster care total only.
            _ => {}
        }
        if matches!(p, U1 | U2 | U3) {
            add(4);
        }
    } else if e.is_adoptive_placement() {
        add(5);
    } else if matches!(p, K1 | K2 | K3 | R1 | S1) {
        add(6);
    } else if p == P1 {
        add(7);
    } else if matches!(p, P2 | H5) {
        add(8);
    } else {
        add(9);
    }
    (g, n)
}

/// Where the children looked after on a window's last day live, as its children are added.
struct Placed<'w> {
    w: &'w Window,
    rows: [Rows; GROUPS.len()],
    total: usize,
}

impl<'w> Placed<'w> {
    fn new(w: &'w Window, data: &Data<'_>) -> Placed<'w> {
        Placed {
            w,
            rows: GROUPS.map(|(id, _)| Rows::new(data.details(id, w))),
            total: 0,
        }
    }

    /// Child `h`, looked after on the window's last day in its episode `i`.
    fn add(&mut self, h: &History<'_>, i: usize) {
        let d = self.w.end;
        self.total += 1;
        let e = usual(h, i);
        let (groups, n) = groups_of(e);
        let days = Some(dates::days_between(e.decom, d));
        for &g in &groups[..n] {
            self.rows[g].push_with(None, days, || ChildRow {
                child: h.child.clone(),
                start: Some(e.decom),
                end: Some(d),
                adopted: None,
                days,
                counted: None,
                note: Some(
                    format!("{} {}", e.place, e.place_provider)
                        .trim()
                        .to_string(),
                ),
            });
        }
    }

    fn results(self) -> Vec<IndicatorResult> {
        let (w, total) = (self.w, self.total);
        GROUPS
            .iter()
            .zip(self.rows)
            .map(|((id, name), rows)| {
                let k = rows.len();
                let mut r = result::count(id, name, WHERE, w, rows, PLACEMENT);
                r.percent = share(k, total);
                r
            })
            .collect()
    }
}

//! The looked-after population, placement stability and where children live
//! (`indicators.md` section 6).

use crate::dates::{self, sub_months};
use crate::metrics::result::{self, share};
use crate::metrics::{age, Data};
use crate::model::Episode;
use crate::periods::History;
use crate::report::{ChildRow, ColumnLabels, Exclusion, IndicatorResult};
use crate::targets;
use crate::window::Window;
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

fn temporary(e: &Episode) -> bool {
    matches!(e.place.as_str(), "T0" | "T1" | "T2" | "T3" | "T4")
}

/// The episode open on `d` (DECOM on or before, DEC blank or after), if the child is looked after.
pub fn open_on(h: &History, d: NaiveDate) -> Option<(usize, &Episode)> {
    h.episodes
        .iter()
        .enumerate()
        .rev()
        .find(|(_, e)| e.decom <= d && e.dec.is_none_or(|x| x > d))
}

/// Start of the period of care containing episode `i`.
fn period_start(h: &History, i: usize) -> Option<NaiveDate> {
    h.periods
        .iter()
        .find(|p| p.first <= i && i < p.end_index)
        .map(|p| p.start)
}

/// The usual placement behind episode `i`: itself, or for a temporary move (T0-T4) the last
/// non-temporary episode before it in the same period.
fn usual(h: &History, i: usize) -> &Episode {
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
    (&a.place, &a.place_provider, &a.urn, &a.pl_post)
        == (&b.place, &b.place_provider, &b.urn, &b.pl_post)
}

/// Placements during `from..=to` (`indicators.md` section 6): the placement held on `from`, or the
/// first begun after it, counts 1; each later episode starting in the span with RNE P or B (with
/// `same_carer`, also T and U) counts 1 more. Temporary placements (T0-T4) are not placements, and
/// the episode after a temporary one is not new if it returns to the placement before it.
/// Returns the start dates of the placements counted.
pub fn placements(h: &History, from: NaiveDate, to: NaiveDate, same_carer: bool) -> Vec<NaiveDate> {
    let mut out = Vec::new();
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
        let change = matches!(e.rne.as_str(), "P" | "B")
            || (same_carer && matches!(e.rne.as_str(), "T" | "U"));
        if !change || temporary(e) {
            continue;
        }
        let after_temporary = i > 0 && temporary(&h.episodes[i - 1]);
        if after_temporary && same_placement(e, usual(h, i - 1)) {
            continue;
        }
        out.push(e.decom);
    }
    out
}

fn placements_note(starts: &[NaiveDate]) -> String {
    let list: Vec<String> = starts.iter().map(|d| dates::uk(*d)).collect();
    format!("{} placement(s): {}", starts.len(), list.join(", "))
}

/// Placement stability for the 12 months of window `w`, on its last day.
pub fn stability(w: &Window, data: &Data<'_>) -> Vec<IndicatorResult> {
    let d = w.end;
    let same_carer = data.options.count_same_carer_moves;
    let two_years_ago = sub_months(d, 24);
    let two_and_half = sub_months(d, 30);
    let (mut short, mut two_year, mut long, mut lac) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut long_excluded = Vec::new();
    // Notes are written only for the figures whose rows were asked for.
    let [lac_notes, short_notes, two_year_notes, long_notes] = [
        "lac",
        "stability-short-term",
        "stability-two-year",
        "stability-long-term",
    ]
    .map(|id| data.details(id, w));
    for h in data.maybe_looked_after_on(d) {
        let Some((i, e)) = open_on(h, d) else {
            continue;
        };
        let Some(start) = period_start(h, i) else {
            continue;
        };
        let row = |counted: Option<bool>, note: Option<String>| ChildRow {
            child: h.child.clone(),
            start: Some(start),
            end: Some(d),
            adopted: None,
            days: Some(dates::days_between(start, d)),
            counted,
            note,
        };
        lac.push(row(
            None,
            lac_notes.then(|| format!("placement {}", e.place)),
        ));
        let year = placements(h, w.start, d, same_carer);
        short.push(row(
            Some(year.len() >= 3),
            short_notes.then(|| placements_note(&year)),
        ));
        if start <= two_years_ago {
            let from = two_years_ago.succ_opt().unwrap_or(two_years_ago);
            let two = placements(h, from, d, same_carer);
            two_year.push(row(
                Some(two.len() >= 3),
                two_year_notes.then(|| placements_note(&two)),
            ));
        }
        if start <= two_and_half {
            let dob = data.headers.get(h.child.as_str()).and_then(|x| x.dob);
            match dob {
                None => long_excluded.push(Exclusion {
                    child: h.child.clone(),
                    code: "dob-unknown",
                    reason: "no date of birth in the Header file, so whether the child is under 16 is unknown".into(),
                }),
                Some(dob) if age(dob, d) < 16 => {
                    let since = same_carer_since(h, i);
                    let stable = since <= two_years_ago || adoptive_with_previous(h, i).is_some_and(|x| x <= two_years_ago);
                    long.push(ChildRow {
                        start: Some(since),
                        days: Some(dates::days_between(since, d)),
                        ..row(
                            Some(stable),
                            long_notes.then(|| {
                                format!("in care since {}; placement {}", dates::uk(start), e.place)
                            }),
                        )
                    });
                }
                Some(_) => {}
            }
        }
    }
    let options = data.options;
    let mut out = vec![result::count(
        "lac",
        "Children looked after",
        STABILITY,
        w,
        lac,
        ENTERED_AT,
    )];
    out.push(result::percent(
        "stability-short-term",
        "Children looked after with 3 or more placements during the year",
        STABILITY,
        w,
        short,
        targets::percent_target("stability-short-term", &w.label, options),
        ENTERED_AT,
    ));
    out.push(result::percent(
        "stability-two-year",
        "Children looked after for 2 years or more with 3 or more placements in those 2 years",
        STABILITY,
        w,
        two_year,
        targets::percent_target("stability-two-year", &w.label, options),
        ENTERED_AT,
    ));
    let mut long = result::percent(
        "stability-long-term",
        "Children under 16 looked after for 2.5 years or more, in the same placement for 2 years or placed for adoption",
        STABILITY,
        w,
        long,
        targets::percent_target("stability-long-term", &w.label, options),
        WITH_CARER,
    );
    long.unknown = Some(long_excluded.len() as u32);
    long.excluded = long_excluded;
    out.push(long);
    out
}

/// The date the child began living with its current carers: from episode `i`, walk back while
/// the later episode of each pair has RNE L, T or U (same carers).
fn same_carer_since(h: &History, i: usize) -> NaiveDate {
    let first = h
        .periods
        .iter()
        .find(|p| p.first <= i && i < p.end_index)
        .map_or(0, |p| p.first);
    let mut j = i;
    while j > first && matches!(h.episodes[j].rne.as_str(), "L" | "T" | "U") {
        j -= 1;
    }
    h.episodes[j].decom
}

/// For a child placed for adoption in episode `i`: the start of the placement directly before the
/// adoptive placement (or of the adoptive placement if there was none before it).
fn adoptive_with_previous(h: &History, i: usize) -> Option<NaiveDate> {
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

fn groups_of(e: &Episode) -> Vec<usize> {
    let p = e.place.as_str();
    let foster = matches!(p, "U1" | "U2" | "U3" | "U4" | "U5" | "U6");
    let mut g = Vec::new();
    if foster {
        g.push(0);
        match e.place_provider.as_str() {
            "PR1" => g.push(1),
            "PR2" => g.push(2),
            "PR4" | "PR5" => g.push(3),
            // Other providers (PR0, PR3, blank) are in the foster care total only.
            _ => {}
        }
        if matches!(p, "U1" | "U2" | "U3") {
            g.push(4);
        }
    } else if e.is_adoptive_placement() {
        g.push(5);
    } else if matches!(p, "K1" | "K2" | "K3" | "R1" | "S1") {
        g.push(6);
    } else if p == "P1" {
        g.push(7);
    } else if matches!(p, "P2" | "H5") {
        g.push(8);
    } else {
        g.push(9);
    }
    g
}

/// Where the children looked after on the window's last day live.
pub fn where_children_live(w: &Window, data: &Data<'_>) -> Vec<IndicatorResult> {
    let d = w.end;
    let mut rows: Vec<Vec<ChildRow>> = vec![Vec::new(); GROUPS.len()];
    let mut total = 0;
    let notes = GROUPS.map(|(id, _)| data.details(id, w));
    for h in data.maybe_looked_after_on(d) {
        let Some((i, _)) = open_on(h, d) else {
            continue;
        };
        total += 1;
        let e = usual(h, i);
        for g in groups_of(e) {
            rows[g].push(ChildRow {
                child: h.child.clone(),
                start: Some(e.decom),
                end: Some(d),
                adopted: None,
                days: Some(dates::days_between(e.decom, d)),
                counted: None,
                note: notes[g].then(|| {
                    format!("{} {}", e.place, e.place_provider)
                        .trim()
                        .to_string()
                }),
            });
        }
    }
    GROUPS
        .iter()
        .zip(rows)
        .map(|((id, name), rows)| {
            let k = rows.len();
            let mut r = result::count(id, name, WHERE, w, rows, PLACEMENT);
            r.percent = share(k, total);
            r
        })
        .collect()
}

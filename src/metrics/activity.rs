//! Adoption activity per collection year and as-at date (`indicators.md` section 4): A4, A15, A16,
//! A5 by reason, A9, A14, placed and matched in the year, disruptions, and who was adopted.

use crate::dates::{self, days_between};
use crate::hashing::{FastMap, FastSet};
use crate::metrics::adoption::Case;
use crate::metrics::result::{self, share, Rows};
use crate::metrics::{at_least_months, Data, Decision};
use crate::model::Episode;
use crate::periods::History;
use crate::report::{ChildRow, ColumnLabels, IndicatorResult};
use crate::window::Window;
use chrono::NaiveDate;

/// The report section.
pub const GROUP: &str = "Adoption activity";

const ENTERED_ADOPTED: ColumnLabels = ColumnLabels {
    subject: "Child",
    start: "Entered care",
    end: "Adopted",
};
const DECISION: ColumnLabels = ColumnLabels {
    subject: "Child",
    start: "Decision to place for adoption",
    end: "Decision ceased",
};
const ORDER: ColumnLabels = ColumnLabels {
    subject: "Child",
    start: "Placement order (E1)",
    end: "Period of care ended",
};
const ENTERED_WAITING: ColumnLabels = ColumnLabels {
    subject: "Child",
    start: "Entered care",
    end: "Waiting at",
};
const RUN: ColumnLabels = ColumnLabels {
    subject: "Child",
    start: "Placed for adoption",
    end: "Placement ended",
};
const MATCH: ColumnLabels = ColumnLabels {
    subject: "Child",
    start: "Matched with adopters",
    end: "Adopted",
};

fn row(
    child: &str,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
    note: Option<String>,
) -> ChildRow {
    ChildRow {
        child: crate::model::Text::new(child),
        start,
        end,
        adopted: None,
        days: days(start, end),
        counted: None,
        note,
    }
}

/// A row's days, from its start to its end: given to [`Rows::push_with`] with the row, which is
/// only made when the figure keeps its rows.
fn days(start: Option<NaiveDate>, end: Option<NaiveDate>) -> Option<i64> {
    start.zip(end).map(|(s, e)| days_between(s, e))
}

fn is_adoptive(e: &Episode) -> bool {
    e.is_adoptive_placement()
}

/// A child waiting to be placed for adoption on a window's last day (A9).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unplaced {
    child: crate::model::Text,
    /// The date of the child's first active decision in the PlacedAdoption rows.
    decision: NaiveDate,
    /// The start of the child's period of care.
    entered: NaiveDate,
}

/// Children waiting to be placed for adoption on each of `ends` (A9): an active decision, an open
/// period of care, and not in a placement for adoption on that day. Each child once, in child
/// order; one pass over the children serves every window (see [`adoption::waiting`]).
///
/// [`adoption::waiting`]: crate::metrics::adoption::waiting
pub fn waiting_to_be_placed(data: &Data<'_>, ends: &[NaiveDate]) -> Vec<Vec<Unplaced>> {
    let mut out = vec![Vec::new(); ends.len()];
    for decisions in Decision::by_child(&data.decisions_by_child) {
        for (&d, out) in ends.iter().zip(&mut out) {
            // The child's first active decision in the file.
            let Some(first) = decisions
                .iter()
                .filter(|x| x.active_on(d))
                .min_by_key(|x| x.index)
            else {
                continue;
            };
            let h = &data.histories[first.history as usize];
            let Some(p) = h
                .periods
                .iter()
                .find(|p| p.start <= d && p.end.is_none_or(|e| e > d))
            else {
                continue;
            };
            let current = h.of(p).iter().rev().find(|e| e.decom <= d);
            if current.is_some_and(is_adoptive) {
                continue;
            }
            out.push(Unplaced {
                child: h.child.clone(),
                decision: first.placed,
                entered: p.start,
            });
        }
    }
    out
}

/// The dated events of every child's history that the activity figures count, found in one
/// pass so that each window only picks the events in it. Lists are in history order (child, then
/// date), as the figures list their children.
pub struct Events<'a> {
    /// The end of each period of care that ended: children ceasing to be looked after.
    leavers: Vec<NaiveDate>,
    /// A16: the first E1 episode of each period: (DECOM, child, end of the period).
    orders: Vec<(NaiveDate, &'a str, Option<NaiveDate>)>,
    /// The first episode of each run of A3-A6 episodes: (child, DECOM).
    run_starts: Vec<(&'a str, NaiveDate)>,
    /// Adoptive placements that disrupted: (DEC of the run's last episode, child, run start, how).
    disruptions: Vec<(NaiveDate, &'a str, NaiveDate, String)>,
}

impl<'a> Events<'a> {
    pub fn of(histories: &[History<'a>]) -> Events<'a> {
        let mut events = Events {
            leavers: Vec::new(),
            orders: Vec::new(),
            run_starts: Vec::new(),
            disruptions: Vec::new(),
        };
        for h in histories {
            for p in h.periods {
                events.leavers.extend(p.end);
                let eps = h.of(p);
                if let Some(e) = eps.iter().find(|e| e.ls == "E1") {
                    events.orders.push((e.decom, h.child, p.end));
                }
                for (i, e) in eps.iter().enumerate() {
                    let starts_run = is_adoptive(e) && (i == 0 || !is_adoptive(&eps[i - 1]));
                    if starts_run {
                        events.run_starts.push((h.child, e.decom));
                    }
                    let ends_run = is_adoptive(e) && !eps.get(i + 1).is_some_and(is_adoptive);
                    let Some(dec) = e.dec.filter(|_| ends_run) else {
                        continue;
                    };
                    let run_start = eps[..=i]
                        .iter()
                        .rposition(|x| !is_adoptive(x))
                        .map_or(0, |j| j + 1);
                    let next = eps.get(i + 1);
                    // A temporary move (T0-T4) that returns to the adoptive placement is no
                    // disruption.
                    let temporary_return = next.is_some_and(|n| n.place.starts_with('T'))
                        && eps.get(i + 2).is_some_and(is_adoptive);
                    let left_other = next.is_none() && e.rec != "E11" && e.rec != "E12";
                    if (next.is_some() && !temporary_return) || left_other {
                        let how = match next {
                            Some(n) => format!("moved to {} placement", n.place),
                            None => format!("left care ({})", e.rec),
                        };
                        events
                            .disruptions
                            .push((dec, h.child, eps[run_start].decom, how));
                    }
                }
            }
        }
        events
    }
}

/// All adoption-activity results for window `w`.
pub fn results(
    cases: &[Case],
    events: &Events<'_>,
    unplaced: &[Unplaced],
    w: &Window,
    data: &Data<'_>,
) -> Vec<IndicatorResult> {
    let mut out = Vec::new();
    let d = w.end;
    let rows = |id| Rows::new(data.details(id, w));

    // A4: adoptions, and the share of children ceasing to be looked after who were adopted.
    // Who was adopted: aged 5 or over at adoption; from minority ethnic groups.
    let (mut a4, mut age_5, mut minority) = (
        rows("A4"),
        rows("adopted-age-5-plus"),
        rows("adopted-minority-ethnic"),
    );
    let (mut age_unknown, mut ethnic_unknown) = (0, 0);
    for c in cases.iter().filter(|c| w.contains(c.adopted)) {
        // The rows (one for each figure the child is in) are made only for figures that keep
        // them: see `Rows::push_with`.
        let r = || ChildRow {
            adopted: Some(c.adopted),
            ..row(&c.child, Some(c.entered), Some(c.adopted), None)
        };
        let d = days(Some(c.entered), Some(c.adopted));
        match c.age_5_at_adoption {
            Some(true) => age_5.push_with(None, d, r),
            Some(false) => {}
            None => age_unknown += 1,
        }
        match c.minority_ethnic {
            Some(true) => minority.push_with(None, d, r),
            Some(false) => {}
            None => ethnic_unknown += 1,
        }
        a4.push_with(None, d, r);
    }
    let adopted = a4.len();
    let leavers = events.leavers.iter().filter(|e| w.contains(**e)).count();
    let mut a4 = result::count(
        "A4",
        "Children adopted from care",
        GROUP,
        w,
        a4,
        ENTERED_ADOPTED,
    );
    a4.percent = share(adopted, leavers);
    a4.source_note = Some(format!(
        "{adopted} of the {leavers} children who ceased to be looked after were adopted"
    ));
    out.push(a4);

    // A15: new decisions that the child should be placed for adoption.
    let mut a15 = rows("A15");
    for x in data.decisions.iter().filter(|x| w.contains(x.date_placed)) {
        let (start, end) = (Some(x.date_placed), x.date_placed_ceased);
        a15.push_with(None, days(start, end), || row(&x.child, start, end, None));
    }
    out.push(result::count(
        "A15",
        "New decisions that the child should be placed for adoption",
        GROUP,
        w,
        a15,
        DECISION,
    ));

    // A16: new placement orders: the first E1 episode of a period, starting in the window.
    let mut a16 = rows("A16");
    for (decom, child, end) in events
        .orders
        .iter()
        .filter(|(decom, ..)| w.contains(*decom))
    {
        let (start, end) = (Some(*decom), *end);
        a16.push_with(None, days(start, end), || row(child, start, end, None));
    }
    out.push(result::count(
        "A16",
        "New placement orders granted",
        GROUP,
        w,
        a16,
        ORDER,
    ));

    // A5: decisions changed away from adoption, in all and by reason.
    const REASONS: [(&str, &str, &str); 4] = [
        (
            "A5-RD1",
            "RD1",
            "Decisions changed away from adoption: the child's needs changed",
        ),
        (
            "A5-RD2",
            "RD2",
            "Decisions changed away from adoption: the court did not make a placement order",
        ),
        (
            "A5-RD3",
            "RD3",
            "Decisions changed away from adoption: prospective adopters could not be found",
        ),
        (
            "A5-RD4",
            "RD4",
            "Decisions changed away from adoption: any other reason",
        ),
    ];
    let mut ceased = rows("A5");
    let mut by_reason = REASONS.map(|(id, ..)| rows(id));
    for x in data
        .decisions
        .iter()
        .filter(|x| x.date_placed_ceased.is_some_and(|c| w.contains(c)))
    {
        let reason = REASONS
            .iter()
            .position(|(_, code, _)| x.reason_placed_ceased == *code);
        let by = reason.map(|i| &mut by_reason[i]);
        let note = (ceased.keep() || by.as_ref().is_some_and(|r| r.keep())).then(|| {
            if x.reason_placed_ceased.is_empty() {
                "reason not recorded".to_string()
            } else {
                x.reason_placed_ceased.to_string()
            }
        });
        let (start, end) = (Some(x.date_placed), x.date_placed_ceased);
        let r = || row(&x.child, start, end, note.clone());
        if let Some(by) = by {
            by.push_with(None, days(start, end), r);
        }
        ceased.push_with(None, days(start, end), r);
    }
    out.push(result::count(
        "A5",
        "Decisions changed away from adoption",
        GROUP,
        w,
        ceased,
        DECISION,
    ));
    for ((id, _, name), rows) in REASONS.into_iter().zip(by_reason) {
        out.push(result::count(id, name, GROUP, w, rows, DECISION));
    }

    // A9 and A14: waiting to be placed at the window end; of them, in care 18 months or more.
    let (mut a9, mut a14) = (rows("A9"), rows("A14"));
    for u in unplaced {
        let note = (a9.keep() || a14.keep()).then(|| format!("decision {}", dates::uk(u.decision)));
        let r = || row(&u.child, Some(u.entered), Some(d), note.clone());
        let waited = days(Some(u.entered), Some(d));
        if at_least_months(u.entered, d, 18, data.options.months) {
            a14.push_with(None, waited, r);
        }
        a9.push_with(None, waited, r);
    }
    let a14_share = share(a14.len(), a9.len());
    out.push(result::count(
        "A9",
        "Children waiting to be placed for adoption",
        GROUP,
        w,
        a9,
        ENTERED_WAITING,
    ));
    let mut a14 = result::count(
        "A14",
        "Children waiting to be placed who entered care 18 months or more before",
        GROUP,
        w,
        a14,
        ENTERED_WAITING,
    );
    a14.percent = a14_share;
    out.push(a14);

    // Placed for adoption in the window: the start of an A3-A6 run; matched in the window.
    // The events are in child order, so a child's are together: each child is counted once by
    // comparing it with the last one counted.
    let mut placed = rows("adoption-placed");
    let mut last: Option<&str> = None;
    for &(child, decom) in &events.run_starts {
        if w.contains(decom) && last != Some(child) {
            last = Some(child);
            placed.push_with(None, None, || row(child, Some(decom), None, None));
        }
    }
    out.push(result::count(
        "adoption-placed",
        "Children placed for adoption",
        GROUP,
        w,
        placed,
        RUN,
    ));
    let mut matched = rows("adoption-matched");
    let mut matched_seen: FastSet<&str> = FastSet::default();
    // Each child's adoption dates, for the rows' end dates only.
    let mut adoption_dates: FastMap<&str, Vec<NaiveDate>> = FastMap::default();
    if matched.keep() {
        for c in cases {
            adoption_dates
                .entry(c.child.as_str())
                .or_default()
                .push(c.adopted);
        }
    }
    for a in data.adoptions {
        if let Some(m) = a.date_match.filter(|m| w.contains(*m)) {
            if matched_seen.insert(a.child.as_str()) {
                let adopted = adoption_dates
                    .get(a.child.as_str())
                    .and_then(|ds| ds.iter().copied().filter(|d| *d >= m).min());
                matched.push_with(None, days(Some(m), adopted), || {
                    row(&a.child, Some(m), adopted, None)
                });
            }
        }
    }
    let mut matched = result::count(
        "adoption-matched",
        "Children matched with adopters",
        GROUP,
        w,
        matched,
        MATCH,
    );
    matched.source_note = Some("AD1 DATE_MATCH: AD1 rows exist only for adopted children, so children matched but not yet adopted are not in the 903 files".into());
    out.push(matched);
    let (mut children, mut runs) = (
        rows("adoption-disruptions"),
        rows("adoption-disruption-runs"),
    );
    let mut last: Option<&str> = None;
    for (dec, child, start, how) in events
        .disruptions
        .iter()
        .filter(|(dec, ..)| w.contains(*dec))
    {
        let first_of_child = last != Some(*child);
        last = Some(child);
        let note = (runs.keep() || (first_of_child && children.keep())).then(|| how.clone());
        let (start, end) = (Some(*start), Some(*dec));
        let r = || row(child, start, end, note.clone());
        if first_of_child {
            children.push_with(None, days(start, end), r);
        }
        runs.push_with(None, days(start, end), r);
    }
    out.push(result::count(
        "adoption-disruptions",
        "Children whose adoptive placement disrupted",
        GROUP,
        w,
        children,
        RUN,
    ));
    out.push(result::count(
        "adoption-disruption-runs",
        "Adoptive placements that disrupted",
        GROUP,
        w,
        runs,
        RUN,
    ));

    let total = adopted;
    for (id, name, rows, unknown) in [
        (
            "adopted-age-5-plus",
            "Children adopted aged 5 or over",
            age_5,
            age_unknown,
        ),
        (
            "adopted-minority-ethnic",
            "Children adopted from minority ethnic groups",
            minority,
            ethnic_unknown,
        ),
    ] {
        let k = rows.len();
        let mut r = result::count(id, name, GROUP, w, rows, ENTERED_ADOPTED);
        r.percent = share(k, total);
        r.unknown = Some(unknown);
        out.push(r);
    }
    out
}

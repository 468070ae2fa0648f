//! Adoption activity per collection year and as-at date (`indicators.md` section 4): A4, A15, A16,
//! A5 by reason, A9, A14, placed and matched in the year, disruptions, and who was adopted.

use crate::dates::{self, days_between};
use crate::hashing::{FastMap, FastSet};
use crate::metrics::adoption::Case;
use crate::metrics::result::{self, share};
use crate::metrics::{age, at_least_months, Data};
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
        days: start.zip(end).map(|(s, e)| days_between(s, e)),
        counted: None,
        note,
    }
}

fn is_adoptive(e: &Episode) -> bool {
    e.is_adoptive_placement()
}

/// Children waiting to be placed for adoption on `d` (A9): an active decision, an open period of
/// care, and not in a placement for adoption on that day.
pub fn waiting_to_be_placed(data: &Data<'_>, d: NaiveDate, notes: bool) -> Vec<ChildRow> {
    let mut out: Vec<ChildRow> = Vec::new();
    let mut seen: FastSet<&str> = FastSet::default();
    for (dec, history) in data.decisions.iter().zip(&data.decision_history) {
        let active = dec.date_placed <= d && dec.date_placed_ceased.is_none_or(|c| c > d);
        if !active || !seen.insert(dec.child.as_str()) {
            continue;
        }
        let Some(h) = history.map(|i| &data.histories[i as usize]) else {
            continue;
        };
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
        let note = notes.then(|| format!("decision {}", dates::uk(dec.date_placed)));
        out.push(row(&h.child, Some(p.start), Some(d), note));
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
    pub fn of(histories: &'a [History]) -> Events<'a> {
        let mut events = Events {
            leavers: Vec::new(),
            orders: Vec::new(),
            run_starts: Vec::new(),
            disruptions: Vec::new(),
        };
        for h in histories {
            for p in &h.periods {
                events.leavers.extend(p.end);
                let eps = h.of(p);
                if let Some(e) = eps.iter().find(|e| e.ls == "E1") {
                    events.orders.push((e.decom, &h.child, p.end));
                }
                for (i, e) in eps.iter().enumerate() {
                    let starts_run = is_adoptive(e) && (i == 0 || !is_adoptive(&eps[i - 1]));
                    if starts_run {
                        events.run_starts.push((&h.child, e.decom));
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
                            .push((dec, &h.child, eps[run_start].decom, how));
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
    w: &Window,
    data: &Data<'_>,
) -> Vec<IndicatorResult> {
    let mut out = Vec::new();
    let d = w.end;

    // A4: adoptions, and the share of children ceasing to be looked after who were adopted.
    let adopted: Vec<&Case> = cases.iter().filter(|c| w.contains(c.adopted)).collect();
    let leavers = events.leavers.iter().filter(|e| w.contains(**e)).count();
    let a4_rows: Vec<ChildRow> = adopted
        .iter()
        .map(|c| ChildRow {
            adopted: Some(c.adopted),
            ..row(&c.child, Some(c.entered), Some(c.adopted), None)
        })
        .collect();
    let mut a4 = result::count(
        "A4",
        "Children adopted from care",
        GROUP,
        w,
        a4_rows.clone(),
        ENTERED_ADOPTED,
    );
    a4.percent = share(adopted.len(), leavers);
    a4.source_note = Some(format!(
        "{} of the {leavers} children who ceased to be looked after were adopted",
        adopted.len()
    ));
    out.push(a4);

    // A15: new decisions that the child should be placed for adoption.
    let a15 = data
        .decisions
        .iter()
        .filter(|x| w.contains(x.date_placed))
        .map(|x| row(&x.child, Some(x.date_placed), x.date_placed_ceased, None))
        .collect();
    out.push(result::count(
        "A15",
        "New decisions that the child should be placed for adoption",
        GROUP,
        w,
        a15,
        DECISION,
    ));

    // A16: new placement orders: the first E1 episode of a period, starting in the window.
    let a16 = events
        .orders
        .iter()
        .filter(|(decom, _, _)| w.contains(*decom))
        .map(|(decom, child, end)| row(child, Some(*decom), *end, None))
        .collect();
    out.push(result::count(
        "A16",
        "New placement orders granted",
        GROUP,
        w,
        a16,
        ORDER,
    ));

    // A5: decisions changed away from adoption, in all and by reason.
    let ceased: Vec<ChildRow> = data
        .decisions
        .iter()
        .filter(|x| x.date_placed_ceased.is_some_and(|c| w.contains(c)))
        .map(|x| {
            let reason = if x.reason_placed_ceased.is_empty() {
                "reason not recorded".to_string()
            } else {
                x.reason_placed_ceased.to_string()
            };
            row(
                &x.child,
                Some(x.date_placed),
                x.date_placed_ceased,
                Some(reason),
            )
        })
        .collect();
    out.push(result::count(
        "A5",
        "Decisions changed away from adoption",
        GROUP,
        w,
        ceased.clone(),
        DECISION,
    ));
    for (id, code, name) in [
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
    ] {
        let rows = ceased
            .iter()
            .filter(|r| r.note.as_deref() == Some(code))
            .cloned()
            .collect();
        out.push(result::count(id, name, GROUP, w, rows, DECISION));
    }

    // A9 and A14: waiting to be placed at the window end; of them, in care 18 months or more.
    let a9 = waiting_to_be_placed(data, d, data.details("A9", w) || data.details("A14", w));
    let a14: Vec<ChildRow> = a9
        .iter()
        .filter(|r| {
            r.start
                .is_some_and(|s| at_least_months(s, d, 18, data.options.months))
        })
        .cloned()
        .collect();
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
    let mut placed: Vec<ChildRow> = Vec::new();
    let mut placed_seen: FastSet<&str> = FastSet::default();
    for &(child, decom) in &events.run_starts {
        if w.contains(decom) && placed_seen.insert(child) {
            placed.push(row(child, Some(decom), None, None));
        }
    }
    let disrupted_runs: Vec<ChildRow> = events
        .disruptions
        .iter()
        .filter(|(dec, ..)| w.contains(*dec))
        .map(|(dec, child, start, how)| row(child, Some(*start), Some(*dec), Some(how.clone())))
        .collect();
    out.push(result::count(
        "adoption-placed",
        "Children placed for adoption",
        GROUP,
        w,
        placed,
        RUN,
    ));
    let mut matched: Vec<ChildRow> = Vec::new();
    let mut matched_seen: FastSet<&str> = FastSet::default();
    let mut adoption_dates: FastMap<&str, Vec<NaiveDate>> = FastMap::default();
    for c in cases {
        adoption_dates
            .entry(c.child.as_str())
            .or_default()
            .push(c.adopted);
    }
    for a in data.adoptions {
        if let Some(m) = a.date_match.filter(|m| w.contains(*m)) {
            if matched_seen.insert(a.child.as_str()) {
                let adopted = adoption_dates
                    .get(a.child.as_str())
                    .and_then(|ds| ds.iter().copied().filter(|d| *d >= m).min());
                matched.push(row(&a.child, Some(m), adopted, None));
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
    let mut children: Vec<ChildRow> = Vec::new();
    let mut disrupted_seen: FastSet<&str> = FastSet::default();
    for r in &disrupted_runs {
        if disrupted_seen.insert(r.child.as_str()) {
            children.push(r.clone());
        }
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
        disrupted_runs,
        RUN,
    ));

    // Who was adopted: aged 5 or over at adoption; from minority ethnic groups.
    let mut age_5 = Vec::new();
    let mut age_unknown = 0;
    let mut minority = Vec::new();
    let mut ethnic_unknown = 0;
    for r in &a4_rows {
        let header = data.headers.get(r.child.as_str());
        match header.and_then(|h| h.dob).zip(r.adopted) {
            Some((dob, on)) if age(dob, on) >= 5 => age_5.push(r.clone()),
            Some(_) => {}
            None => age_unknown += 1,
        }
        match header.map(|h| crate::metrics::hard_to_place::minority_ethnic(&h.ethnic)) {
            Some(Some(true)) => minority.push(r.clone()),
            Some(Some(false)) => {}
            _ => ethnic_unknown += 1,
        }
    }
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
        r.percent = share(k, a4_rows.len());
        r.unknown = Some(unknown);
        out.push(r);
    }
    out
}

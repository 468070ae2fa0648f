//! The Adoption Scorecard timeliness indicators A1, A10, A2 and A3 (`indicators.md` section 2).
//!
//! Each adopted period of care is analysed once ([`Case`]); each window then picks the cases whose
//! adoption falls in it, and the children still in the adoption process at its end.

use crate::dates::{self, days_between};
use crate::diagnostic::{Diagnostic, Severity};
use crate::metrics::result::{self, DayThreshold, Rows};
use crate::metrics::stats;
use crate::metrics::{age, find_history, hard_to_place, Data, Decision};
use crate::model::{Adoption, Episode};
use crate::options::{MonthRule, Options};
use crate::periods::History;
use crate::report::{
    ChildRow, ColumnLabels, ExcludedChild, Exclusion, IndicatorResult, Status, Value,
};
use crate::schema::FileSummary;
use crate::targets;
use crate::window::{months_after, Window};
use chrono::NaiveDate;

/// Why a child is left out, as (code, reason).
type Why = (&'static str, String);

/// An adopted child's dates for A1 and A10.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    /// DECOM of the first episode of the last A3-A6 run: "moved in with the adoptive family".
    pub date: NaiveDate,
    /// A10: the date the child moved in with the carers who adopted (walked back), or `date`.
    pub with_carers: NaiveDate,
    pub foster_carer_adoption: bool,
}

/// An adopted child's dates for A2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authority {
    /// DECOM of the first E1/D1 episode of the period.
    pub date: NaiveDate,
    pub legal_status: crate::model::Code,
    /// AD1 DATE_MATCH.
    pub matched: NaiveDate,
}

/// One period of care that ended in adoption (REC E11/E12).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    pub child: crate::model::Text,
    pub entered: NaiveDate,
    pub adopted: NaiveDate,
    pub placed: Result<Placed, Why>,
    pub authority: Result<Authority, Why>,
    /// CIN of the adoption episode (the period's last): N2 is the disability proxy.
    pub cin: crate::model::Code,
    /// AD1 SIBLING_GROUP of the chosen AD1 row, when the column is there.
    pub sibling_group: Option<bool>,
    /// The hard-to-place breakdowns the child falls in, when placed for adoption.
    pub splits: Option<hard_to_place::Splits>,
    /// From the Header: aged 5 or over on the adoption date (`None`: no date of birth).
    pub age_5_at_adoption: Option<bool>,
    /// From the Header: of a minority ethnic group (`None`: unknown).
    pub minority_ethnic: Option<bool>,
}

/// A child still going through the adoption process at a window's end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    pub child: crate::model::Text,
    pub entered: NaiveDate,
    pub decision: NaiveDate,
    /// Placed for adoption (first A3-A6 episode of the period on or before the window end).
    pub placed: Option<NaiveDate>,
}

fn is_adoption(rec: &str) -> bool {
    rec == "E11" || rec == "E12"
}

/// Analyses every adopted period once, with the diagnostics that explain exclusions, and judges
/// the child's characteristics once rather than in every window.
pub fn cases(data: &Data<'_>, files: &[FileSummary], diags: &mut Vec<Diagnostic>) -> Vec<Case> {
    let (histories, adoptions) = (data.histories, data.adoptions);
    // Each AD1 row's history, and the rows of each history in the order read: found by walking
    // the histories (see `find_history`) rather than hashing every child's identifier.
    let mut near = 0;
    let history_of: Vec<Option<usize>> = adoptions
        .iter()
        .map(|a| {
            let found = find_history(histories, &a.child, near);
            near = found.unwrap_or_else(|at| at);
            found.ok()
        })
        .collect();
    let mut ad1: Vec<(usize, &Adoption)> = history_of
        .iter()
        .zip(adoptions)
        .filter_map(|(h, a)| h.map(|h| (h, a)))
        .collect();
    ad1.sort_by_key(|&(h, _)| h);
    let (ad1_history, ad1): (Vec<usize>, Vec<&Adoption>) = ad1.into_iter().unzip();
    let mut ad1_at = 0;
    let mut out = Vec::new();
    let mut adopted_children = vec![false; histories.len()];
    for (i, h) in histories.iter().enumerate() {
        let first = ad1_at;
        while ad1_history.get(ad1_at) == Some(&i) {
            ad1_at += 1;
        }
        let rows = &ad1[first..ad1_at];
        let header = data.headers[i];
        for p in h.periods {
            let (Some(adopted), true) = (p.end, is_adoption(h.reason(p))) else {
                continue;
            };
            adopted_children[i] = true;
            let eps = h.of(p);
            let mut c = case(h.child, p.start, adopted, eps, rows, files, diags);
            c.splits = hard_to_place::traits(&c, header, data).map(|t| t.splits());
            c.age_5_at_adoption = header.and_then(|h| h.dob).map(|dob| age(dob, adopted) >= 5);
            c.minority_ethnic = header.and_then(|h| hard_to_place::minority_ethnic(&h.ethnic));
            out.push(c);
        }
    }
    for (a, history) in adoptions.iter().zip(history_of) {
        if !history.is_some_and(|h| adopted_children[h]) {
            let f = &files[a.source.file as usize];
            diags.push(Diagnostic::new(
                "ad1-without-adoption",
                Severity::Warning,
                &f.at(a.source.row, "CHILD"),
                Some(&a.child),
                Some(&a.child),
                &format!(
                    "child {} is in AD1 (adopted) but has no episode ending with REC E11 or E12 in the files loaded. Load the episodes that cover the adoption, or correct the AD1 return.",
                    a.child
                ),
            ));
        }
    }
    out
}

fn case(
    child: &str,
    entered: NaiveDate,
    adopted: NaiveDate,
    eps: &[Episode],
    ad1: &[&Adoption],
    files: &[FileSummary],
    diags: &mut Vec<Diagnostic>,
) -> Case {
    let last = &eps[eps.len() - 1];
    let at = |e: &Episode, col: &'static str| files[e.source.file as usize].at(e.source.row, col);
    // AD1: the latest DATE_MATCH on or before the adoption date.
    let chosen = ad1
        .iter()
        .filter(|a| a.date_match.is_some_and(|m| m <= adopted))
        .max_by_key(|a| a.date_match);
    if ad1.is_empty() {
        diags.push(Diagnostic::new(
            "adoption-without-ad1",
            Severity::Warning,
            &at(last, "REC"),
            Some(&last.rec),
            Some(child),
            &format!(
                "child {child} was adopted on {} but has no AD1 row, so the match date is unknown and the child is left out of A2. Add the child's AD1 (adoption) row.",
                dates::uk(adopted)
            ),
        ));
    }
    // The last unbroken run of A3-A6 episodes that ends the period.
    let run_first = eps
        .iter()
        .rposition(|e| !e.is_adoptive_placement())
        .map_or(0, |i| i + 1);
    let placed = if run_first == eps.len() {
        diags.push(Diagnostic::new(
            "adoption-without-placement",
            Severity::Warning,
            &at(last, "PLACE"),
            Some(&last.place),
            Some(child),
            &format!(
                "child {child} was adopted on {} but the last placement before adoption is {}, not a placement for adoption (A3-A6), so the date the child moved in with the adopters is unknown. The child is left out of A1, A10, A2 and A3. Record the adoptive placement as its own episode.",
                dates::uk(adopted),
                if last.place.is_empty() { "blank" } else { &last.place }
            ),
        ));
        Err((
            "no-adoptive-placement",
            format!(
                "adopted {} without a placement for adoption (A3-A6) ending the period of care",
                dates::uk(adopted)
            ),
        ))
    } else {
        let first = &eps[run_first];
        let by_place = matches!(first.place.as_str(), "A3" | "A5");
        let by_ad1 = chosen.or(ad1.first()).and_then(|a| a.foster_care);
        if let (Some(flag), Some(row)) = (by_ad1, chosen.or(ad1.first())) {
            if flag != by_place {
                let f = &files[row.source.file as usize];
                diags.push(
                    Diagnostic::new(
                        "foster-care-disagrees",
                        Severity::Warning,
                        &f.at(row.source.row, "FOSTER_CARE"),
                        Some(if flag { "1" } else { "0" }),
                        Some(child),
                        &format!(
                            "FOSTER_CARE says the child was {}adopted by former foster carers, but the adoptive placement from {} is {} ({}). Correct FOSTER_CARE or PLACE so they agree; A10 treats the adoption as by foster carers if either says so.",
                            if flag { "" } else { "not " },
                            dates::uk(first.decom),
                            first.place,
                            if by_place { "with current foster carers" } else { "not with current foster carers" }
                        ),
                    )
                    .rule(335),
                );
            }
        }
        let foster_carer_adoption = by_place || by_ad1 == Some(true);
        let mut j = run_first;
        if foster_carer_adoption {
            while j > 0 && matches!(eps[j].rne.as_str(), "L" | "T" | "U") {
                j -= 1;
            }
        }
        Ok(Placed {
            date: first.decom,
            with_carers: eps[j].decom,
            foster_carer_adoption,
        })
    };
    let authority = match (&placed, eps.iter().find(|e| e.ls == "E1" || e.ls == "D1")) {
        (Err(why), _) => Err(why.clone()),
        (Ok(_), None) => Err((
            "no-placement-order",
            "no placement order or freeing order (LS E1 or D1) in the period of care".to_string(),
        )),
        (Ok(_), Some(order)) => match chosen.and_then(|a| a.date_match) {
            Some(matched) => Ok(Authority {
                date: order.decom,
                legal_status: order.ls,
                matched,
            }),
            None if ad1.is_empty() => Err(("no-ad1", "no AD1 row, so no match date".to_string())),
            None if ad1.iter().all(|a| a.date_match.is_none()) => {
                for a in ad1 {
                    let f = &files[a.source.file as usize];
                    diags.push(Diagnostic::new(
                        "match-date-missing",
                        Severity::Warning,
                        &f.at(a.source.row, "DATE_MATCH"),
                        None,
                        Some(child),
                        &format!("child {child} was adopted but DATE_MATCH is blank or not a date, so the child is left out of A2. Enter the date the child was matched with the adopters, as DD/MM/YYYY."),
                    ));
                }
                Err(("no-match-date", "AD1 DATE_MATCH is blank".to_string()))
            }
            None => Err((
                "match-after-adoption",
                format!(
                    "every AD1 DATE_MATCH is after the adoption on {}",
                    dates::uk(adopted)
                ),
            )),
        },
    };
    Case {
        child: crate::model::Text::new(child),
        entered,
        adopted,
        placed,
        authority,
        cin: last.cin,
        sibling_group: chosen.or(ad1.first()).and_then(|a| a.sibling_group),
        splits: None,
        age_5_at_adoption: None,
        minority_ethnic: None,
    }
}

/// Children still going through the adoption process on each of `ends`: an active decision to
/// place for adoption and an open period of care (`indicators.md` section 2, A3). In child order.
///
/// One pass over the children serves every window's end, so that each waiting child's history
/// is read once rather than once per window (a national file's histories do not fit in the
/// processor's caches). Windows that end on the same day (a collection year and the 3-year window
/// it closes) have the same children: each day is looked at once, and its list copied.
pub fn waiting(data: &Data<'_>, ends: &[NaiveDate]) -> Vec<Vec<Waiting>> {
    let mut days = ends.to_vec();
    days.sort_unstable();
    days.dedup();
    let by_day = waiting_on(data, &days);
    ends.iter()
        .map(|end| {
            days.binary_search(end)
                .ok()
                .and_then(|i| by_day.get(i))
                .cloned()
                .unwrap_or_default()
        })
        .collect()
}

/// [`waiting`] on each of `ends`, days that differ.
fn waiting_on(data: &Data<'_>, ends: &[NaiveDate]) -> Vec<Vec<Waiting>> {
    let mut out = vec![Vec::new(); ends.len()];
    for decisions in Decision::by_child(&data.decisions_by_child) {
        for (&end, out) in ends.iter().zip(&mut out) {
            // The child's earliest active decision.
            let Some(d) = decisions.iter().find(|d| d.active_on(end)) else {
                continue;
            };
            let h = &data.histories[d.history as usize];
            let Some(p) = h
                .periods
                .iter()
                .find(|p| p.start <= end && p.end.is_none_or(|e| e > end))
            else {
                continue;
            };
            let placed = h
                .of(p)
                .iter()
                .find(|e| e.is_adoptive_placement() && e.decom <= end)
                .map(|e| e.decom);
            out.push(Waiting {
                child: h.child.clone(),
                entered: p.start,
                decision: d.placed,
                placed,
            });
        }
    }
    out
}

/// A1, A10, A2 and A3 for one window.
pub fn results(
    cases: &[Case],
    waiting: &[Waiting],
    w: &Window,
    data: &Data<'_>,
) -> Vec<IndicatorResult> {
    let options = data.options;
    // A wait, in days: never below 0. The rows are made only for the figures that keep them
    // (see `Rows::push_with`), which are given each row's days.
    let wait = |start: NaiveDate, end: NaiveDate| Some(days_between(start, end).max(0));
    let row = |c: &Case, start: NaiveDate, end: NaiveDate, note: Option<String>| ChildRow {
        child: c.child.clone(),
        start: Some(start),
        end: Some(end),
        adopted: Some(c.adopted),
        days: wait(start, end),
        counted: None,
        note,
    };
    let excluded = |c: &Case, why: &Why| Exclusion {
        child: c.child.clone(),
        code: why.0,
        reason: why.1.clone(),
    };
    let threshold = targets::threshold_for(w.threshold_year);
    let rule = A3Rule::new(w, options, threshold);
    let kept = |id| Rows::of_days(data.details(id, w));
    let (mut a1, mut a10, mut a2, mut a3) = (kept("A1"), kept("A10"), kept("A2"), kept("A3"));
    let mut breakdowns = hard_to_place::Breakdowns::new(w, data);
    // Cases are in child order, and so is the cohort (see `a3_waiting`).
    let cohort: Vec<&Case> = cases.iter().filter(|c| w.contains(c.adopted)).collect();
    for &c in &cohort {
        match &c.placed {
            Ok(p) => {
                let (days, r) = (wait(c.entered, p.date), || row(c, c.entered, p.date, None));
                breakdowns.add_a1(c.splits, days, r);
                a1.push_with(None, days, r);
                let days = wait(c.entered, p.with_carers);
                a10.push_with(None, days, || {
                    let note = p.foster_carer_adoption.then(|| {
                        format!(
                            "adopted by foster carers; with them since {}",
                            dates::uk(p.with_carers)
                        )
                    });
                    row(c, c.entered, p.with_carers, note)
                });
                let (days, counted) = (
                    Some(days_between(c.entered, p.date)),
                    rule.within(c.entered, p.date),
                );
                a3.push_with(counted, days, || ChildRow {
                    child: c.child.clone(),
                    start: Some(c.entered),
                    end: Some(p.date),
                    adopted: Some(c.adopted),
                    days,
                    counted,
                    note: Some("adopted".to_string()),
                });
            }
            Err(why) => {
                for rows in [&mut a1, &mut a10, &mut a3] {
                    rows.exclude(|| excluded(c, why));
                }
            }
        }
        match &c.authority {
            Ok(a) => {
                let notes = a2.keep() || breakdowns.keep_a2();
                let note = (notes && a.matched < a.date).then(|| {
                    format!(
                        "matched {} before the {} order: counted as 0 days",
                        dates::uk(a.matched),
                        a.legal_status
                    )
                });
                let (days, r) = (wait(a.date, a.matched), || {
                    row(c, a.date, a.matched, note.clone())
                });
                breakdowns.add_a2(c.splits, days, r);
                a2.push_with(None, days, r);
            }
            Err(why) => a2.exclude(|| excluded(c, why)),
        }
    }
    if options.a3_include_waiting {
        a3_waiting(&mut a3, &cohort, waiting, w, &rule);
    }

    let [a1_threshold, a10_threshold, a2_threshold] = &day_thresholds(w, options);
    let mut out = vec![
        result::days(
            "A1",
            A1_NAME,
            SCORECARD,
            w,
            a1,
            a1_threshold,
            ENTERED_PLACED,
        ),
        result::days(
            "A10",
            A10_NAME,
            SCORECARD,
            w,
            a10,
            a10_threshold,
            ENTERED_WITH_CARERS,
        ),
        result::days(
            "A2",
            A2_NAME,
            SCORECARD,
            w,
            a2,
            a2_threshold,
            AUTHORITY_MATCH,
        ),
    ];
    out.push(a3_result(a3, w, &rule, threshold));
    out.extend(breakdowns.results(w, data, &[a1_threshold, a2_threshold]));
    out
}

/// The report section of A1, A10, A2 and A3.
pub const SCORECARD: &str = "Adoption scorecard";

/// The thresholds in force for A1, A10 and A2 in window `w`: the user's own, else the DfE's.
pub fn day_thresholds(w: &Window, options: &Options) -> [DayThreshold; 3] {
    let row = targets::threshold_for(w.threshold_year);
    let rounded = options.thresholds == crate::options::ThresholdDays::Rounded;
    let dfe = |months: fn(&targets::ThresholdRow) -> u32| {
        row.map(|t| targets::months_to_days(months(t), rounded))
    };
    let pick = |id: &str, fallback: Option<u32>| match options.target(id, &w.label) {
        Some(v) => DayThreshold {
            days: Some(v),
            overridden: true,
            row,
        },
        None => DayThreshold {
            days: fallback,
            overridden: false,
            row,
        },
    };
    let a1 = pick("A1", dfe(|t| t.a1_months));
    let a10 = match options.target("A10", &w.label) {
        Some(v) => DayThreshold {
            days: Some(v),
            overridden: true,
            row,
        },
        None => DayThreshold {
            days: a1.days,
            overridden: a1.overridden,
            row,
        },
    };
    let a2 = pick("A2", dfe(|t| t.a2_months));
    [a1, a10, a2]
}

const A1_NAME: &str = "Average time between entering care and moving in with the adoptive family";
const A10_NAME: &str = "A1 adjusted for foster carer adoptions";
const A2_NAME: &str = "Average time between court authority to place and a match with adopters";
const A3_NAME: &str =
    "Children who waited less than the threshold to move in with their adoptive family";
pub const ENTERED_PLACED: ColumnLabels = ColumnLabels {
    subject: "Child",
    start: "Entered care",
    end: "Moved in with adoptive family",
};
pub const ENTERED_WITH_CARERS: ColumnLabels = ColumnLabels {
    subject: "Child",
    start: "Entered care",
    end: "Moved in with the adopting carers",
};
pub const AUTHORITY_MATCH: ColumnLabels = ColumnLabels {
    subject: "Child",
    start: "Court authority to place",
    end: "Matched with adopters",
};
pub const ENTERED_WAIT_END: ColumnLabels = ColumnLabels {
    subject: "Child",
    start: "Entered care",
    end: "Wait ended",
};

/// A3's limit in window `w`: the user's own, else the DfE's.
struct A3Rule {
    months: Option<u32>,
    overridden: bool,
    limit_days: Option<u32>,
    rule: MonthRule,
}

impl A3Rule {
    fn new(w: &Window, options: &Options, row: Option<&'static targets::ThresholdRow>) -> A3Rule {
        let (months, overridden) = match options.target("A3", &w.label) {
            Some(m) => (Some(m), true),
            None => (row.map(|t| t.a3_months), false),
        };
        A3Rule {
            months,
            overridden,
            limit_days: months.map(|m| targets::months_to_days(m, false)),
            rule: options.months,
        }
    }

    /// Whether a wait from `start` to `end` was under the limit (`None` without one).
    fn within(&self, start: NaiveDate, end: NaiveDate) -> Option<bool> {
        let m = self.months?;
        Some(match self.rule {
            MonthRule::Days => days_between(start, end) < i64::from(self.limit_days.unwrap_or(0)),
            MonthRule::Calendar => end < months_after(start, m),
        })
    }
}

/// A3's children still in the adoption process at the window's end.
fn a3_waiting(rows: &mut Rows, cohort: &[&Case], waiting: &[Waiting], w: &Window, rule: &A3Rule) {
    // "... and not adopted": a child adopted in the window who came back into care is counted
    // once, as adopted. The cohort and the waiting children are both in child order (they follow
    // the histories), so one walk along the cohort finds them.
    let mut cohort = cohort.iter().map(|c| c.child.as_str()).peekable();
    let mut adopted = |child: &str| {
        while cohort.next_if(|&c| c < child).is_some() {}
        cohort.peek() == Some(&child)
    };
    for wt in waiting.iter().filter(|wt| !adopted(wt.child.as_str())) {
        let end = wt.placed.unwrap_or(w.end);
        let note = rows.keep().then(|| match wt.placed {
            Some(d) => format!(
                "still in the adoption process; placed for adoption {}",
                dates::uk(d)
            ),
            None => format!(
                "still in the adoption process; not yet placed, waiting at {}",
                dates::uk(w.end)
            ),
        });
        rows.push(ChildRow {
            child: wt.child.clone(),
            start: Some(wt.entered),
            end: Some(end),
            adopted: None,
            days: Some(days_between(wt.entered, end)),
            counted: rule.within(wt.entered, end),
            note,
        });
    }
}

fn a3_result(
    mut rows: Rows,
    w: &Window,
    rule: &A3Rule,
    row: Option<&'static targets::ThresholdRow>,
) -> IndicatorResult {
    let mut r = result::base("A3", A3_NAME, SCORECARD, "%", w, ENTERED_WAIT_END);
    rows.sort_by(|a, b| {
        (a.adopted.is_none(), a.adopted, &a.child).cmp(&(b.adopted.is_none(), b.adopted, &b.child))
    });
    let (n, count) = (rows.len() as u64, rows.counted() as u64);
    r.n = u32::try_from(n).unwrap_or(u32::MAX);
    r.limit_days = rule.limit_days;
    r.threshold_overridden = rule.overridden;
    if rule.overridden {
        r.threshold_source = Some(crate::metrics::result::USER);
    } else {
        r.threshold_window = row.map(|t| t.window);
        r.threshold_source = row.map(|t| t.source);
    }
    r.status = if n == 0 {
        Status::NoChildren
    } else if rule.months.is_none() {
        Status::NoThreshold
    } else {
        Status::NoTarget
    };
    if rule.months.is_some() && n > 0 {
        r.count = Some(u32::try_from(count).unwrap_or(u32::MAX));
        r.value = stats::percent_tenths(count, n).map(|t| Value::Percent(t as f64 / 10.0));
        r.small_cohort = stats::small_cohort(count, n);
    }
    let (days, children, excluded) = rows.into_parts();
    let mut days = days;
    r.median = stats::median_days(&mut days);
    r.min = days.iter().copied().min();
    r.max = days.iter().copied().max();
    r.children = children;
    r.excluded = excluded;
    r
}

/// Every child left out of an indicator, once per child, adoption and reason: adopted children
/// whose dates are incomplete, adoptions recorded on an episode that is still open, and adoptions
/// recorded on a short-break episode.
pub fn excluded_children(
    cases: &[Case],
    children: &[History<'_>],
    short_break_adoptions: &[Episode],
) -> Vec<ExcludedChild> {
    let all = vec!["A1", "A10", "A2", "A3"];
    let mut out = Vec::new();
    for h in children {
        for p in h
            .periods
            .iter()
            .filter(|p| p.end.is_none() && is_adoption(h.reason(p)))
        {
            out.push(ExcludedChild {
                child: h.child.clone(),
                indicators: all.clone(),
                code: "adoption-without-date",
                reason: format!(
                    "REC {} (adopted) on the episode starting {} but no DEC, so the adoption date is unknown",
                    h.reason(p),
                    dates::uk(h.episodes[p.end_index - 1].decom)
                ),
                date: None,
            });
        }
    }
    for e in short_break_adoptions {
        out.push(ExcludedChild {
            child: e.child.clone(),
            indicators: all.clone(),
            code: "adoption-in-short-break",
            reason: format!(
                "REC {} (adopted) on a short-break episode (LS {}), which the indicators leave out",
                e.rec, e.ls
            ),
            date: e.dec,
        });
    }
    for c in cases {
        match (&c.placed, &c.authority) {
            (Err(why), _) => out.push(ExcludedChild {
                child: c.child.clone(),
                indicators: all.clone(),
                code: why.0,
                reason: why.1.clone(),
                date: Some(c.adopted),
            }),
            (Ok(_), Err(why)) => out.push(ExcludedChild {
                child: c.child.clone(),
                indicators: vec!["A2"],
                code: why.0,
                reason: why.1.clone(),
                date: Some(c.adopted),
            }),
            _ => {}
        }
    }
    out.sort_by(|a, b| {
        (a.date.is_none(), a.date, &a.child).cmp(&(b.date.is_none(), b.date, &b.child))
    });
    out
}

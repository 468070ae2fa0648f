//! The fostering service from the local `carers.csv` plus episodes (`indicators.md` section 7).

use crate::dates::days_between;
use crate::metrics::result;
use crate::metrics::stability::open_on;
use crate::metrics::{at_least_months, Data};
use crate::model::{Carer, CarerType};
use crate::report::{ChildRow, ColumnLabels, IndicatorResult, PercentTarget, Value};
use crate::window::Window;
use chrono::NaiveDate;

/// The report section.
pub const GROUP: &str = "Fostering";

const APPROVED: ColumnLabels = ColumnLabels {
    subject: "Household",
    start: "Approved",
    end: "Deregistered",
};
const DEREGISTERED: ColumnLabels = ColumnLabels {
    subject: "Household",
    start: "Approved",
    end: "Deregistered",
};
const FUNNEL: ColumnLabels = ColumnLabels {
    subject: "Household",
    start: "Enquiry",
    end: "Approved",
};
const ASSESSMENT: ColumnLabels = ColumnLabels {
    subject: "Household",
    start: "Application",
    end: "Approved",
};
const PLACED: ColumnLabels = ColumnLabels {
    subject: "Child",
    start: "Placement began",
    end: "Looked after on",
};

fn household(
    c: &Carer,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
    note: Option<String>,
) -> ChildRow {
    ChildRow {
        child: c.id.clone(),
        start,
        end,
        adopted: None,
        days: start.zip(end).map(|(s, e)| days_between(s, e)),
        counted: None,
        note,
    }
}

fn approved_on(c: &Carer, d: NaiveDate) -> bool {
    c.approval.is_some_and(|a| a <= d) && c.deregistration.is_none_or(|x| x > d)
}

fn rate(
    id: &'static str,
    name: &'static str,
    w: &Window,
    numerator: Vec<ChildRow>,
    denominator: usize,
    target: Option<PercentTarget>,
    columns: ColumnLabels,
) -> IndicatorResult {
    result::rate(id, name, GROUP, w, numerator, denominator, target, columns)
}

/// Fostering results for window `w` (its 12 months, and its last day for stocks).
pub fn results(w: &Window, data: &Data<'_>) -> Vec<IndicatorResult> {
    let d = w.end;
    let options = data.options;
    let carers = data.carers;
    let of_type = |t: Option<CarerType>| {
        carers
            .iter()
            .filter(move |c| t.is_none_or(|t| c.carer_type == t))
    };
    let mut out = Vec::new();

    // Approved households on the day, and approvals and deregistrations in the window.
    for (id, name, t) in [
        (
            "fostering-households",
            "Approved fostering households",
            None,
        ),
        (
            "fostering-households-mainstream",
            "Approved mainstream fostering households",
            Some(CarerType::Mainstream),
        ),
        (
            "fostering-households-connected",
            "Approved connected-person fostering households",
            Some(CarerType::Connected),
        ),
    ] {
        let rows: Vec<ChildRow> = of_type(t)
            .filter(|c| approved_on(c, d))
            .map(|c| household(c, c.approval, c.deregistration, None))
            .collect();
        out.push(result::count(id, name, GROUP, w, rows, APPROVED));
    }
    let approvals = |t| -> Vec<ChildRow> {
        of_type(t)
            .filter(|c| c.approval.is_some_and(|a| w.contains(a)))
            .map(|c| household(c, c.approval, c.deregistration, None))
            .collect()
    };
    let deregistrations = |t| -> Vec<ChildRow> {
        of_type(t)
            .filter(|c| c.deregistration.is_some_and(|x| w.contains(x)))
            .map(|c| {
                let reason = if c.deregistration_reason.is_empty() {
                    "reason not recorded".to_string()
                } else {
                    c.deregistration_reason.to_string()
                };
                household(c, c.approval, c.deregistration, Some(reason))
            })
            .collect()
    };
    /// Ids and names of approvals, deregistrations and net change, for all, mainstream, connected.
    type Flow = (Option<CarerType>, [(&'static str, &'static str); 3]);
    const FLOWS: [Flow; 3] = [
        (
            None,
            [
                ("fostering-new-approvals", "New fostering approvals"),
                (
                    "fostering-deregistrations",
                    "Fostering deregistrations and resignations",
                ),
                ("fostering-net-change", "Net change in fostering households"),
            ],
        ),
        (
            Some(CarerType::Mainstream),
            [
                (
                    "fostering-new-approvals-mainstream",
                    "New mainstream fostering approvals",
                ),
                (
                    "fostering-deregistrations-mainstream",
                    "Mainstream deregistrations and resignations",
                ),
                (
                    "fostering-net-change-mainstream",
                    "Net change in mainstream households",
                ),
            ],
        ),
        (
            Some(CarerType::Connected),
            [
                (
                    "fostering-new-approvals-connected",
                    "New connected-person approvals",
                ),
                (
                    "fostering-deregistrations-connected",
                    "Connected-person deregistrations",
                ),
                (
                    "fostering-net-change-connected",
                    "Net change in connected-person households",
                ),
            ],
        ),
    ];
    for (t, [(a_id, a_name), (d_id, d_name), (n_id, n_name)]) in FLOWS {
        let new = approvals(t);
        let gone = deregistrations(t);
        let net = new.len() as i64 - gone.len() as i64;
        out.push(result::count(a_id, a_name, GROUP, w, new, APPROVED));
        if t.is_none() {
            // By reason, as given.
            let mut reasons: Vec<String> = gone.iter().filter_map(|r| r.note.clone()).collect();
            reasons.sort();
            reasons.dedup();
            for reason in reasons {
                let rows: Vec<ChildRow> = gone
                    .iter()
                    .filter(|r| r.note.as_deref() == Some(reason.as_str()))
                    .cloned()
                    .collect();
                let mut r = result::count(
                    "fostering-deregistrations-by-reason",
                    "Deregistrations by reason",
                    GROUP,
                    w,
                    rows,
                    DEREGISTERED,
                );
                r.category = Some(reason);
                out.push(r);
            }
        }
        out.push(result::count(d_id, d_name, GROUP, w, gone, DEREGISTERED));
        let mut n = result::count(n_id, n_name, GROUP, w, Vec::new(), APPROVED);
        n.value = Some(Value::Count(net));
        n.count = None;
        n.n = 0;
        n.source_note = Some("new approvals minus deregistrations in the period".into());
        out.push(n);
    }

    // Places, occupancy, connected placements and children per household on the day.
    let mainstream_now: Vec<&Carer> = of_type(Some(CarerType::Mainstream))
        .filter(|c| approved_on(c, d))
        .collect();
    let places: u32 = mainstream_now
        .iter()
        .filter_map(|c| c.approved_places)
        .sum();
    let places_unknown = mainstream_now
        .iter()
        .filter(|c| c.approved_places.is_none())
        .count() as u32;
    let mut p = result::count(
        "fostering-approved-places",
        "Approved places with mainstream foster carers",
        GROUP,
        w,
        Vec::new(),
        APPROVED,
    );
    p.value = Some(Value::Count(i64::from(places)));
    p.count = Some(places);
    p.n = u32::try_from(mainstream_now.len()).unwrap_or(u32::MAX);
    p.unknown = Some(places_unknown);
    p.children = mainstream_now
        .iter()
        .map(|c| {
            household(
                c,
                c.approval,
                c.deregistration,
                c.approved_places.map(|n| format!("{n} place(s)")),
            )
        })
        .collect();
    out.push(p);
    let (mut in_house, mut connected) = (Vec::new(), Vec::new());
    for h in data.histories {
        let Some((_, e)) = open_on(h, d) else {
            continue;
        };
        if e.place_provider != "PR1" {
            continue;
        }
        let row = ChildRow {
            child: h.child.clone(),
            start: Some(e.decom),
            end: Some(d),
            adopted: None,
            days: Some(days_between(e.decom, d)),
            counted: None,
            note: Some(e.place.to_string()),
        };
        match e.place.as_str() {
            "U4" | "U5" | "U6" => in_house.push(row),
            "U1" | "U2" | "U3" => connected.push(row),
            _ => {}
        }
    }
    let children_in_house = in_house.len();
    let mut occ = rate(
        "fostering-occupancy",
        "Occupancy of mainstream foster places",
        w,
        in_house.clone(),
        places as usize,
        None,
        PLACED,
    );
    occ.source_note = Some("children looked after placed with the council's mainstream foster carers (U4-U6, PR1) over approved mainstream places; connected-person placements are reported beside it".into());
    out.push(occ);
    out.push(result::count(
        "fostering-connected-placements",
        "Children placed with the council's connected-person carers (U1-U3, PR1)",
        GROUP,
        w,
        connected,
        PLACED,
    ));
    let mut per = result::count(
        "fostering-children-per-household",
        "Children per approved mainstream household",
        GROUP,
        w,
        in_house,
        PLACED,
    );
    per.unit = "ratio";
    per.n = u32::try_from(mainstream_now.len()).unwrap_or(u32::MAX);
    per.value = (!mainstream_now.is_empty()).then(|| {
        let hundredths = (children_in_house as u64 * 200 + mainstream_now.len() as u64)
            / (2 * mainstream_now.len() as u64);
        Value::Ratio(hundredths as f64 / 100.0)
    });
    out.push(per);

    // The mainstream recruitment funnel in the window, and conversions.
    let mainstream = || of_type(Some(CarerType::Mainstream));
    let stage = |f: fn(&Carer) -> Option<NaiveDate>| -> Vec<ChildRow> {
        mainstream()
            .filter(|c| f(c).is_some_and(|x| w.contains(x)))
            .map(|c| household(c, c.enquiry, c.approval, None))
            .collect()
    };
    let enquiries = stage(|c| c.enquiry);
    let applications = stage(|c| c.application);
    let stage2 = stage(|c| c.stage2);
    let approved = stage(|c| c.approval);
    let (ne, na, nap) = (enquiries.len(), applications.len(), approved.len());
    out.push(result::count(
        "fostering-enquiries",
        "Fostering enquiries (mainstream)",
        GROUP,
        w,
        enquiries.clone(),
        FUNNEL,
    ));
    out.push(result::count(
        "fostering-applications",
        "Fostering applications: assessments started (mainstream)",
        GROUP,
        w,
        applications.clone(),
        FUNNEL,
    ));
    out.push(result::count(
        "fostering-stage2",
        "Fostering stage 2 assessments started (mainstream)",
        GROUP,
        w,
        stage2,
        FUNNEL,
    ));
    out.push(result::count(
        "fostering-approvals",
        "Fostering approvals (mainstream)",
        GROUP,
        w,
        approved.clone(),
        FUNNEL,
    ));
    out.push(rate(
        "fostering-conversion-enquiry-application",
        "Conversion: enquiries to applications (same year)",
        w,
        applications,
        ne,
        None,
        FUNNEL,
    ));
    out.push(rate(
        "fostering-conversion-application-approval",
        "Conversion: applications to approvals (same year)",
        w,
        approved.clone(),
        na,
        None,
        FUNNEL,
    ));
    let goal = match options.target("fostering-conversion-enquiry-approval", &w.label) {
        Some(v) => PercentTarget {
            value: f64::from(v),
            direction: "at least",
            source: crate::metrics::result::USER,
        },
        None => PercentTarget {
            value: f64::from(options.fostering_conversion_goal),
            direction: "at least",
            source: "local goal (council practice: 10% of enquiries approved)",
        },
    };
    out.push(rate(
        "fostering-conversion-enquiry-approval",
        "Conversion: enquiries to approvals (same year)",
        w,
        approved.clone(),
        ne,
        Some(goal),
        FUNNEL,
    ));
    let cohort: Vec<ChildRow> = mainstream()
        .filter(|c| c.enquiry.is_some_and(|x| w.contains(x)))
        .map(|c| ChildRow {
            counted: Some(c.approval.is_some_and(|a| a <= d)),
            ..household(c, c.enquiry, c.approval, None)
        })
        .collect();
    let cohort = result::percent(
        "fostering-cohort-conversion",
        "Of the period's enquiries, approved by its end",
        GROUP,
        w,
        cohort,
        None,
        FUNNEL,
    );
    out.push(cohort);

    // Assessment timeliness: approvals less than N months after application.
    let months = options.fostering_assessment_months;
    let timely: Vec<ChildRow> = mainstream()
        .filter(|c| c.approval.is_some_and(|a| w.contains(a)))
        .filter_map(|c| {
            let (app, ok) = (c.application?, c.approval?);
            Some(ChildRow {
                counted: Some(!at_least_months(app, ok, months, options.months)),
                ..household(c, Some(app), Some(ok), None)
            })
        })
        .collect();
    let no_application = nap - timely.len();
    let mut t = result::percent(
        "fostering-assessment-timeliness",
        "Fostering approvals within the assessment timescale of their application",
        GROUP,
        w,
        timely,
        None,
        ASSESSMENT,
    );
    t.limit_days = Some(crate::targets::months_to_days(months, false));
    t.unknown = Some(no_application as u32);
    t.source_note = Some(format!("approved less than {months} months after application; {no_application} approval(s) without an application date are left out"));
    out.push(t);
    out
}

//! Adopter recruitment from the local `adopters.csv` (`indicators.md` section 5).

use crate::dates::days_between;
use crate::metrics::result::{self, share};
use crate::metrics::{at_least_months, Data};
use crate::model::Adopter;
use crate::report::{ChildRow, ColumnLabels, IndicatorResult};
use crate::window::Window;
use chrono::NaiveDate;

/// The report section.
pub const GROUP: &str = "Adopters";

const APPROVED_WAITING: ColumnLabels = ColumnLabels {
    subject: "Family",
    start: "Approved",
    end: "Waiting at",
};
const APPROVED_MATCHED: ColumnLabels = ColumnLabels {
    subject: "Family",
    start: "Approved",
    end: "Matched",
};
const APPLIED: ColumnLabels = ColumnLabels {
    subject: "Family",
    start: "Application",
    end: "Waiting at",
};
const FUNNEL: ColumnLabels = ColumnLabels {
    subject: "Family",
    start: "Enquiry",
    end: "Approved",
};
const ASSESSMENT: ColumnLabels = ColumnLabels {
    subject: "Family",
    start: "Application",
    end: "Approved",
};

fn family(a: &Adopter, start: Option<NaiveDate>, end: Option<NaiveDate>) -> ChildRow {
    ChildRow {
        child: a.id.clone(),
        start,
        end,
        adopted: None,
        days: start.zip(end).map(|(s, e)| days_between(s, e)),
        counted: None,
        note: None,
    }
}

fn on_or_before(x: Option<NaiveDate>, d: NaiveDate) -> bool {
    x.is_some_and(|x| x <= d)
}

/// Adopter results for window `w` (its span, and its last day for stocks).
pub fn results(w: &Window, data: &Data<'_>) -> Vec<IndicatorResult> {
    let d = w.end;
    let rule = data.options.months;
    let all = data.adopters;
    let mut out = Vec::new();

    // A11: approved, not matched and not withdrawn on the day; of them, waiting 3 months or more.
    let a11: Vec<ChildRow> = all
        .iter()
        .filter(|a| {
            on_or_before(a.approval, d)
                && !on_or_before(a.matched, d)
                && !on_or_before(a.withdrawn, d)
        })
        .map(|a| family(a, a.approval, Some(d)))
        .collect();
    let over: Vec<ChildRow> = a11
        .iter()
        .filter(|r| r.start.is_some_and(|s| at_least_months(s, d, 3, rule)))
        .cloned()
        .collect();
    let over_share = share(over.len(), a11.len());
    out.push(result::count(
        "A11",
        "Approved adoptive families waiting to be matched",
        GROUP,
        w,
        a11,
        APPROVED_WAITING,
    ));
    let mut o = result::count(
        "adopters-waiting-over-3-months",
        "Approved families waiting 3 months or more to be matched",
        GROUP,
        w,
        over,
        APPROVED_WAITING,
    );
    o.percent = over_share;
    out.push(o);

    // A12: families matched in the window who waited 3 months or more from approval.
    let a12: Vec<ChildRow> = all
        .iter()
        .filter(|a| a.matched.is_some_and(|m| w.contains(m)))
        .filter_map(|a| {
            let (ok, m) = (a.approval?, a.matched?);
            Some(ChildRow {
                counted: Some(at_least_months(ok, m, 3, rule)),
                ..family(a, Some(ok), Some(m))
            })
        })
        .collect();
    out.push(result::percent(
        "A12",
        "Families matched who waited 3 months or more from approval to match",
        GROUP,
        w,
        a12,
        None,
        APPROVED_MATCHED,
    ));

    // A13: applications still to be assessed on the day.
    let a13: Vec<ChildRow> = all
        .iter()
        .filter(|a| {
            on_or_before(a.application, d)
                && !on_or_before(a.approval, d)
                && !on_or_before(a.withdrawn, d)
        })
        .map(|a| family(a, a.application, Some(d)))
        .collect();
    out.push(result::count(
        "A13",
        "Applications still to be assessed",
        GROUP,
        w,
        a13,
        APPLIED,
    ));

    // The funnel in the window, same-year conversions and cohort conversion.
    let stage = |f: fn(&Adopter) -> Option<NaiveDate>| -> Vec<ChildRow> {
        all.iter()
            .filter(|a| f(a).is_some_and(|x| w.contains(x)))
            .map(|a| family(a, a.enquiry, a.approval))
            .collect()
    };
    let enquiries = stage(|a| a.enquiry);
    let applications = stage(|a| a.application);
    let approvals = stage(|a| a.approval);
    let (ne, na) = (enquiries.len(), applications.len());
    let count = |id, name, rows| result::count(id, name, GROUP, w, rows, FUNNEL);
    out.push(count("adopters-enquiries", "Adopter enquiries", enquiries));
    out.push(count(
        "adopters-applications",
        "Adopter applications (registrations of interest)",
        applications.clone(),
    ));
    out.push(count(
        "adopters-approvals",
        "Adopters approved",
        approvals.clone(),
    ));
    let rate = |id, name, rows, n| result::rate(id, name, GROUP, w, rows, n, None, FUNNEL);
    out.push(rate(
        "adopters-conversion-enquiry-application",
        "Conversion: enquiries to applications (same year)",
        applications,
        ne,
    ));
    out.push(rate(
        "adopters-conversion-application-approval",
        "Conversion: applications to approvals (same year)",
        approvals.clone(),
        na,
    ));
    out.push(rate(
        "adopters-conversion-enquiry-approval",
        "Conversion: enquiries to approvals (same year)",
        approvals,
        ne,
    ));
    let cohort: Vec<ChildRow> = all
        .iter()
        .filter(|a| a.enquiry.is_some_and(|x| w.contains(x)))
        .map(|a| ChildRow {
            counted: Some(on_or_before(a.approval, d)),
            ..family(a, a.enquiry, a.approval)
        })
        .collect();
    out.push(result::percent(
        "adopters-cohort-conversion",
        "Of the period's enquiries, approved by its end",
        GROUP,
        w,
        cohort,
        None,
        FUNNEL,
    ));

    // Approvals less than N months (default 6) after application.
    let months = data.options.adopter_approval_months;
    let timely: Vec<ChildRow> = all
        .iter()
        .filter(|a| a.approval.is_some_and(|x| w.contains(x)))
        .filter_map(|a| {
            let (app, ok) = (a.application?, a.approval?);
            Some(ChildRow {
                counted: Some(!at_least_months(app, ok, months, rule)),
                ..family(a, Some(app), Some(ok))
            })
        })
        .collect();
    let mut t = result::percent(
        "adopters-approved-within-6-months",
        "Adopters approved within the timescale of their application",
        GROUP,
        w,
        timely,
        None,
        ASSESSMENT,
    );
    t.limit_days = Some(crate::targets::months_to_days(months, false));
    t.source_note = Some(format!(
        "approved less than {months} months after application (stage 1 and stage 2)"
    ));
    out.push(t);
    out
}

//! The what-if projection (`src/whatif.rs`, `docs/methodology.md` section 19), worked by hand.

mod common;

use care_scorecard::options::MonthRule;
use care_scorecard::report::ChildRow;
use care_scorecard::whatif::{
    self, match_to_placement, project, Actual, ChildPlacement, Placements, Request, WaitingChild,
};
use care_scorecard::Options;
use chrono::NaiveDate;
use common::run_fixture;

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn row(
    child: &str,
    start: &str,
    end: &str,
    days: i64,
    counted: Option<bool>,
    adopted: bool,
) -> ChildRow {
    ChildRow {
        child: child.into(),
        start: Some(date(start)),
        end: Some(date(end)),
        adopted: adopted.then(|| date(end)),
        days: Some(days),
        counted,
        note: None,
    }
}

fn waiting(child: &str, entered: &str) -> WaitingChild {
    WaitingChild {
        child: child.to_string(),
        entered: date(entered),
    }
}

#[test]
fn two_adopted_children_and_one_waiting_child() {
    // Adopted: P1 400 days, P2 500 days (both under no limit here). Waiting: W entered care on
    // 01/01/2015 and is placed on 29/10/2015: Jan 31 + Feb 28 + Mar 31 + Apr 30 + May 31 + Jun 30
    // + Jul 31 + Aug 31 + Sep 30 = 273 days to 01/10, + 28 = 301 days.
    // A1 = (400 + 500 + 301) / 3 = 1201 / 3 = 400.33 -> 400; gap against 426: -26, met.
    // A3 (limit 426 days): P1 400 < 426 counted, P2 500 not, W 301 counted: 2 of 3 = 66.7%.
    let a1 = [
        row("P1", "2013-01-01", "2014-02-05", 400, None, true),
        row("P2", "2013-01-01", "2014-05-16", 500, None, true),
    ];
    let a3 = [
        row("P1", "2013-01-01", "2014-02-05", 400, Some(true), true),
        row("P2", "2013-01-01", "2014-05-16", 500, Some(false), true),
    ];
    let actual = Actual {
        a1: &a1,
        a10: &a1,
        a3: &a3,
        a1_threshold: Some(426),
        a10_threshold: Some(426),
        a3_limit_days: Some(426),
        months: MonthRule::Days,
    };
    let p = project(
        &actual,
        &[waiting("W", "2015-01-01")],
        &Placements::default(),
        date("2015-10-29"),
    );
    assert_eq!(p.children[0].days, Some(301));
    assert_eq!(p.children[0].within_limit, Some(true));
    assert_eq!((p.a1.actual, p.a1.actual_n), (Some(450), 2));
    assert_eq!(
        (p.a1.value, p.a1.n, p.a1.gap, p.a1.status),
        (Some(400), 3, Some(-26), "met")
    );
    assert_eq!(
        (p.a3.actual, p.a3.actual_count, p.a3.actual_n),
        (Some(50.0), 1, 2)
    );
    assert_eq!((p.a3.value, p.a3.count, p.a3.n), (Some(66.7), 2, 3));
}

#[test]
fn a_mean_ending_in_a_half_rounds_up() {
    // 400 + 301 = 701 days over 2 children = 350.5 -> 351.
    let a1 = [row("P1", "2013-01-01", "2014-02-05", 400, None, true)];
    let actual = Actual {
        a1: &a1,
        a10: &a1,
        a3: &[],
        a1_threshold: None,
        a10_threshold: None,
        a3_limit_days: None,
        months: MonthRule::Days,
    };
    let p = project(
        &actual,
        &[waiting("W", "2015-01-01")],
        &Placements::default(),
        date("2015-10-29"),
    );
    assert_eq!((p.a1.value, p.a1.status), (Some(351), "no threshold"));
    // No wait limit: no A3 percentage, and the child's wait is not judged.
    assert_eq!((p.a3.value, p.children[0].within_limit), (None, None));
}

#[test]
fn a_childs_own_date_and_dates_before_care_and_children_adopted_already() {
    // W1's own date 01/04/2016 (entered 01/03/2015: 366 + 31 = 397 days, under 426); W2 takes the
    // date for all but it is before W2 entered care: left out; P1 is waiting again after an
    // adoption in the window: left out, counted once as adopted.
    // A1 = (400 + 397) / 2 = 398.5 -> 399. A3: P1 (adopted, counted) and W1 (counted): 2 of 2.
    let a1 = [row("P1", "2013-01-01", "2014-02-05", 400, None, true)];
    let a3 = [row("P1", "2013-01-01", "2014-02-05", 400, Some(true), true)];
    let actual = Actual {
        a1: &a1,
        a10: &a1,
        a3: &a3,
        a1_threshold: Some(426),
        a10_threshold: Some(426),
        a3_limit_days: Some(426),
        months: MonthRule::Days,
    };
    let own = Placements {
        children: vec![ChildPlacement {
            child: "W1".into(),
            placed: date("2016-04-01"),
        }],
    };
    let p = project(
        &actual,
        &[
            waiting("W1", "2015-03-01"),
            waiting("W2", "2016-01-01"),
            waiting("P1", "2015-06-01"),
        ],
        &own,
        date("2015-12-31"),
    );
    let used: Vec<(&str, bool, Option<i64>)> = p
        .children
        .iter()
        .map(|c| (c.child.as_str(), c.used, c.days))
        .collect();
    assert_eq!(
        used,
        [
            ("W1", true, Some(397)),
            ("W2", false, None),
            ("P1", false, None)
        ]
    );
    assert!(p.children[1]
        .note
        .as_deref()
        .unwrap()
        .contains("before the child entered care on 01/01/2016"));
    assert_eq!((p.a1.value, p.a1.n), (Some(399), 2));
    assert_eq!((p.a3.value, p.a3.count, p.a3.n), (Some(100.0), 2, 2));
}

#[test]
fn calendar_months_judge_the_wait_by_the_calendar() {
    // Entered 31/01/2015, placed 28/03/2016: 422 days, under 426; but 14 calendar months after
    // 31/01/2015 is 31/03/2016, and 28/03/2016 is before it: also under. Placed 31/03/2016 (425
    // days): under 426 days, but not before 31/03/2016, so not under 14 calendar months.
    let actual = |months| Actual {
        a1: &[],
        a10: &[],
        a3: &[],
        a1_threshold: None,
        a10_threshold: None,
        a3_limit_days: Some(426),
        months,
    };
    let w = [waiting("W", "2015-01-31")];
    let at =
        |m, d| project(&actual(m), &w, &Placements::default(), date(d)).children[0].within_limit;
    assert_eq!(at(MonthRule::Days, "2016-03-28"), Some(true));
    assert_eq!(at(MonthRule::Calendar, "2016-03-28"), Some(true));
    assert_eq!(at(MonthRule::Days, "2016-03-31"), Some(true));
    assert_eq!(at(MonthRule::Calendar, "2016-03-31"), Some(false));
}

#[test]
fn median_match_to_placement() {
    // Placed - matched: 30, 14, 14, 47 (and one placed before its match, left out).
    // Sorted 14, 14, 30, 47: median (14 + 30) / 2 = 22.
    let a1 = [
        row("C5", "2013-01-01", "2014-12-01", 0, None, true),
        row("C1", "2014-04-01", "2015-02-15", 0, None, true),
        row("C2", "2014-01-01", "2015-03-01", 0, None, true),
        row("C3", "2014-05-01", "2015-03-20", 0, None, true),
        row("C9", "2014-05-01", "2015-01-01", 0, None, true),
    ];
    let a2 = [
        row("C5", "2013-06-01", "2014-11-01", 0, None, true),
        row("C1", "2014-10-01", "2015-02-01", 0, None, true),
        row("C2", "2014-06-01", "2015-02-15", 0, None, true),
        row("C3", "2015-03-01", "2015-02-01", 0, None, true),
        row("C9", "2014-06-01", "2015-02-01", 0, None, true),
    ];
    assert_eq!(match_to_placement(&a1, &a2), (Some(22), 4));
    // C1 and C3 only, 14 and 47: 30.5 rounds up to 31.
    let (a1, a2) = (
        [a1[1].clone(), a1[3].clone()],
        [a2[1].clone(), a2[3].clone()],
    );
    assert_eq!(match_to_placement(&a1, &a2), (Some(31), 2));
    assert_eq!(match_to_placement(&[], &a2), (None, 0));
}

#[test]
fn the_worked_example_with_its_two_waiting_children_placed_on_30_06_2016() {
    // tests/fixtures/worked-example: waiting at 31/03/2016 (A9): C7 (entered 01/01/2014) and C6
    // (entered 01/03/2015). Placed 30/06/2016:
    //   C7: 01/01/2014 -> 01/01/2016 = 730 days; -> 30/06/2016 = 31+29+31+30+31+29 = 181: 911.
    //   C6: 01/03/2015 -> 01/03/2016 = 366 days; -> 30/06/2016 = 31+30+31+29 = 121: 487.
    // A1 2015-16: (699 + 320 + 424 + 323 + 304) = 2070 actual (414); with 911 + 487:
    //   3468 / 7 = 495.4 -> 495, gap +69, not met.
    // A10: (699 + 320 + 0 + 323 + 304) = 1646; + 1398 = 3044 / 7 = 434.9 -> 435, gap +9.
    // A3 (14 months, 426 days): actual 5 of 7 (C6 waited 396 days at 31/03/2016: counted); now
    //   C6 487 and C7 911 are both over: 4 of 7 = 57.1%.
    // The 3-year window 2013-16 has the same children: the same figures.
    // Default date: median match to placement 22 days (see above), so today + 22.
    let report = run_fixture("worked-example", &Options::default());
    let request = Request {
        today: date("2016-04-01"),
        date: Some(date("2016-06-30")),
        children: Vec::new(),
        la: None,
    };
    let w = whatif::from_report(&report, &request);
    assert_eq!(w.waiting_at, Some(date("2016-03-31")));
    assert_eq!(
        (w.default_basis, w.default_days, w.default_date),
        ("median", 22, date("2016-04-23"))
    );
    assert_eq!(
        (w.median_children, w.median_window.as_deref()),
        (4, Some("2013-16"))
    );
    let labels: Vec<&str> = w.windows.iter().map(|x| x.window.as_str()).collect();
    assert_eq!(labels, ["2015-16", "2013-16"]);
    for x in &w.windows {
        let p = &x.projection;
        let kids: Vec<(&str, Option<i64>, Option<bool>)> = p
            .children
            .iter()
            .map(|c| (c.child.as_str(), c.days, c.within_limit))
            .collect();
        assert_eq!(
            kids,
            [
                ("C7", Some(911), Some(false)),
                ("C6", Some(487), Some(false))
            ]
        );
        assert_eq!(
            (p.a1.actual, p.a1.value, p.a1.n, p.a1.gap, p.a1.status),
            (Some(414), Some(495), 7, Some(69), "not met")
        );
        assert_eq!(
            (p.a10.actual, p.a10.value, p.a10.gap),
            (Some(329), Some(435), Some(9))
        );
        assert_eq!(
            (p.a3.actual, p.a3.value, p.a3.count, p.a3.n),
            (Some(71.4), Some(57.1), 4, 7)
        );
    }

    // No date given: today + 22 days, 23/04/2016. C6: 366 + 31 + 22 = 419 days, under 426: A3 5 of 7.
    let w = whatif::from_report(
        &report,
        &Request {
            date: None,
            ..request
        },
    );
    assert_eq!(w.date, date("2016-04-23"));
    assert_eq!(w.windows[0].projection.children[1].days, Some(419));
    assert_eq!(w.windows[0].projection.a3.value, Some(71.4));
}

#[test]
fn without_an_a9_child_nothing_is_projected_and_the_default_is_stated() {
    // An as-at date before any waiting child: the rolling windows to 31/03/2013 have no A9
    // children and no adoptions, so no median: today + 91 days.
    let options = Options {
        as_at: Some(date("2013-03-31")),
        ..Options::default()
    };
    let report = run_fixture("worked-example", &options);
    let w = whatif::from_report(
        &report,
        &Request {
            today: date("2020-01-01"),
            date: None,
            children: Vec::new(),
            la: None,
        },
    );
    assert!(w.windows.is_empty());
    assert_eq!(
        (w.default_basis, w.default_days, w.default_date),
        ("stated", 91, date("2020-04-01"))
    );
}

#[test]
fn the_results_it_reads_are_enough() {
    // The wasm facade keeps only whatif::READS of a report for what_if: the answer is the same.
    let report = run_fixture("worked-example", &Options::default());
    let mut kept = report.clone();
    kept.indicators.retain(|i| whatif::READS.contains(&i.id));
    kept.diagnostics.clear();
    let request = Request {
        today: date("2016-04-01"),
        date: Some(date("2016-06-30")),
        children: Vec::new(),
        la: None,
    };
    assert_eq!(
        whatif::from_report(&kept, &request),
        whatif::from_report(&report, &request)
    );
}

#[test]
fn rows_for_the_what_if_alone_give_the_same_projection() {
    // The page's run keeps only Rows::WhatIf (the figures it reads, in the current windows):
    // the projection is the one of the whole report, with and without an as-at date, for the
    // worked example and for two authorities (each, and all together).
    let request = |la: Option<&str>| Request {
        today: date("2016-04-01"),
        date: Some(date("2016-06-30")),
        children: Vec::new(),
        la: la.map(str::to_string),
    };
    for (dir, las) in [
        ("worked-example", vec![None]),
        ("authorities", vec![None, Some("North"), Some("South")]),
    ] {
        for as_at in [None, Some(date("2016-02-29"))] {
            let all = Options {
                as_at,
                ..Options::default()
            };
            let report = run_fixture(dir, &all);
            let few = run_fixture(
                dir,
                &Options {
                    rows: care_scorecard::options::Rows::WhatIf,
                    ..all.clone()
                },
            );
            assert!(few.indicators.iter().any(|i| !i.children.is_empty()));
            assert!(
                few.indicators
                    .iter()
                    .filter(|i| !i.children.is_empty())
                    .count()
                    <= 10 * las.len()
            );
            for la in &las {
                let w = whatif::from_report(&report, &request(*la));
                // The authorities' files hold episodes only: nothing to project, and still equal.
                assert_eq!(
                    w.windows.is_empty(),
                    dir == "authorities",
                    "{dir} {as_at:?} {la:?}"
                );
                assert_eq!(
                    whatif::from_report(&few, &request(*la)),
                    w,
                    "{dir} {as_at:?} {la:?}"
                );
            }
        }
    }
}

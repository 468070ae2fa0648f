//! Hand-built fixtures, one per rule of `indicators.md` sections 1-2. Each expected number is
//! worked out by hand in the comment beside it.

mod common;
use care_scorecard::options::{MonthRule, TargetOverride, ThresholdDays};
use care_scorecard::report::Status;
use care_scorecard::Options;
use chrono::NaiveDate;
use common::*;

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn simple_adoption() {
    let r = run(&[
        (
            "e.csv",
            csv(
                EPISODES,
                &[
                    "A,01/04/2014,S,C2,N1,U6,PR1,01/01/2015,X1,,,,",
                    "A,01/01/2015,L,E1,N1,U6,PR1,01/03/2015,X1,,,,",
                    "A,01/03/2015,P,E1,N1,A6,PR1,01/09/2015,E11,CARPL,,,",
                ],
            ),
        ),
        (
            "a.csv",
            csv(AD1, &["A,01/01/2013,01/12/2014,01/02/2015,0,2,MF,L12"]),
        ),
    ]);
    // A1: 01/04/2014 -> 01/03/2015 = 365 - 31 = 334 days. Not a foster-carer adoption: A10 = A1.
    assert_eq!(days(&r, "A1", "2015-16"), Some(334));
    assert_eq!(days(&r, "A10", "2015-16"), Some(334));
    // A2: order 01/01/2015 -> match 01/02/2015 = 31 days.
    assert_eq!(days(&r, "A2", "2015-16"), Some(31));
    // A3: 334 < 426: 1 of 1.
    assert_eq!(percent(&r, "A3", "2015-16"), Some(100.0));
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
}

#[test]
fn foster_carer_adoption_walks_back_through_rne_u() {
    let r = run(&[
        (
            "e.csv",
            csv(
                EPISODES,
                &[
                    "B,01/05/2014,S,C1,N1,U4,PR1,01/08/2014,X1,,,,",
                    // RNE P: new carers; the walk back stops at this episode.
                    "B,01/08/2014,P,C2,N1,U6,PR4,01/06/2015,X1,CARPL,,,",
                    // RNE U: legal status and placement change, same carers; A5 with current foster carers.
                    "B,01/06/2015,U,E1,N1,A5,PR4,01/12/2015,E12,,,,",
                ],
            ),
        ),
        (
            "a.csv",
            csv(AD1, &["B,01/01/2013,01/04/2015,15/05/2015,,2,MF,L12"]),
        ),
    ]);
    // A1: 01/05/2014 -> 01/06/2015 = 365 + 31 = 396.
    assert_eq!(days(&r, "A1", "2015-16"), Some(396));
    // A10: with these carers since 01/08/2014: 31 + 30 + 31 = 92 days after entering care.
    assert_eq!(days(&r, "A10", "2015-16"), Some(92));
    // A2: matched 15/05/2015, before the placement order of 01/06/2015: 0.
    assert_eq!(days(&r, "A2", "2015-16"), Some(0));
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
}

#[test]
fn foster_care_flag_alone_makes_a_foster_carer_adoption_and_is_flagged() {
    let r = run(&[
        (
            "e.csv",
            csv(
                EPISODES,
                &[
                    "F,01/04/2014,S,C2,N1,U6,PR1,01/10/2014,X1,,,,",
                    "F,01/10/2014,L,E1,N1,U6,PR1,01/04/2015,X1,,,,",
                    "F,01/04/2015,T,E1,N1,A6,PR1,01/10/2015,E11,,,,",
                ],
            ),
        ),
        (
            "a.csv",
            csv(AD1, &["F,01/01/2013,01/12/2014,01/03/2015,1,2,MF,L12"]),
        ),
    ]);
    // A1: one year, 365 days. A10: T -> L -> S, with the carers from entry: 0.
    assert_eq!(days(&r, "A1", "2015-16"), Some(365));
    assert_eq!(days(&r, "A10", "2015-16"), Some(0));
    let d = &r.diagnostics[0];
    assert_eq!(
        (d.code, d.dfe_rule, d.row, d.column.as_deref()),
        (
            "foster-care-disagrees",
            Some(335),
            Some(2),
            Some("FOSTER_CARE")
        )
    );
}

#[test]
fn match_before_placement_order_counts_zero() {
    let r = run_fixture("worked-example", &Options::default());
    // C3: order 01/03/2015, match 01/02/2015: max(0, -28) = 0, with a note saying so.
    let c3 = ind(&r, "A2", "2015-16")
        .children
        .iter()
        .find(|c| c.child == "C3")
        .unwrap();
    assert_eq!(c3.days, Some(0));
    assert!(c3.note.as_deref().unwrap().contains("before the E1 order"));
}

#[test]
fn freeing_order_is_court_authority_and_no_order_is_excluded() {
    let r = run(&[
        (
            "e.csv",
            csv(
                EPISODES,
                &[
                    "G,01/04/2014,S,C2,N1,U6,PR1,01/07/2014,X1,,,,",
                    "G,01/07/2014,L,D1,N1,U6,PR1,01/01/2015,X1,,,,",
                    "G,01/01/2015,P,D1,N1,A6,PR1,01/06/2015,E11,,,,",
                    "N,01/06/2014,S,V2,N5,U6,PR1,01/04/2015,X1,,,,",
                    "N,01/04/2015,P,V2,N5,A4,PR1,01/12/2015,E11,,,,",
                ],
            ),
        ),
        (
            "a.csv",
            csv(
                AD1,
                &["G,,,01/12/2014,0,2,MF,L12", "N,,,15/03/2015,0,2,MF,L12"],
            ),
        ),
    ]);
    // G: D1 from 01/07/2014, match 01/12/2014: 31+31+30+31+30 = 153. N: no E1/D1, left out.
    assert_eq!(
        child_days(&r, "A2", "2015-16"),
        vec![("G".to_string(), 153)]
    );
    assert_eq!(
        excluded_codes(&r, "A2", "2015-16"),
        vec![("N".to_string(), "no-placement-order")]
    );
    // N is still in A1: 01/06/2014 -> 01/04/2015 = 304.
    assert_eq!(
        child_days(&r, "A1", "2015-16"),
        vec![("G".to_string(), 275), ("N".to_string(), 304)]
    );
}

#[test]
fn disrupted_placement_uses_the_last_run() {
    let r = run_fixture("worked-example", &Options::default());
    // C5: placed 01/01/2014, disrupted 01/04/2014, placed again 01/12/2014: 01/01/2013 -> 01/12/2014 = 699.
    let c5 = ind(&r, "A1", "2015-16")
        .children
        .iter()
        .find(|c| c.child == "C5")
        .unwrap();
    assert_eq!((c5.end, c5.days), (Some(ymd(2014, 12, 1)), Some(699)));
}

#[test]
fn adoption_without_adoptive_placement_is_excluded_everywhere() {
    let r = run(&[(
        "e.csv",
        csv(
            EPISODES,
            &[
                "X,01/04/2014,S,C2,N1,U6,PR1,01/01/2015,X1,,,,",
                "X,01/01/2015,L,E1,N1,U6,PR1,01/06/2015,E11,,,,",
            ],
        ),
    )]);
    for id in ["A1", "A10", "A2", "A3"] {
        assert_eq!(
            excluded_codes(&r, id, "2015-16"),
            vec![("X".to_string(), "no-adoptive-placement")],
            "{id}"
        );
        assert_eq!(ind(&r, id, "2015-16").n, 0);
    }
    assert_eq!(r.excluded.len(), 1);
    assert_eq!(r.excluded[0].indicators, vec!["A1", "A10", "A2", "A3"]);
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.code == "adoption-without-placement")
        .unwrap();
    assert_eq!(
        (d.row, d.column.as_deref(), d.value.as_deref()),
        (Some(3), Some("PLACE"), Some("U6"))
    );
}

#[test]
fn short_breaks_are_ignored() {
    let r = run(&[(
        "e.csv",
        csv(
            EPISODES,
            &[
                "A,01/04/2014,S,C2,N1,U6,PR1,01/01/2015,X1,,,,",
                "A,01/01/2015,P,E1,N1,A6,PR1,01/09/2015,E11,,,,",
                "R,01/05/2015,S,V3,N2,R1,PR1,03/05/2015,E8,,,,",
                "R,01/06/2015,S,V4,N2,R1,PR1,04/06/2015,E8,,,,",
                "Q,01/06/2014,S,V3,N2,R1,PR1,05/06/2015,E11,,,,",
            ],
        ),
    )]);
    // Three short-break rows out; A: 01/04/2014 -> 01/01/2015 = 275 days.
    assert_eq!(r.files[0].rows_excluded, 3);
    assert_eq!(
        child_days(&r, "A1", "2015-16"),
        vec![("A".to_string(), 275)]
    );
    // Q's adoption recorded on a short break is not lost: it is listed.
    let q = r.excluded.iter().find(|x| x.child == "Q").unwrap();
    assert_eq!(
        (q.code, q.date),
        ("adoption-in-short-break", Some(ymd(2015, 6, 5)))
    );
}

#[test]
fn the_same_episode_in_two_years_files_counts_once() {
    let y2015 = csv(
        EPISODES,
        &[
            "A,01/04/2014,S,C2,N1,U6,PR1,01/01/2015,X1,,,,",
            "A,01/01/2015,P,E1,N1,A6,PR1,,,,,,",
        ],
    );
    let y2016 = csv(
        EPISODES,
        &[
            "A,01/01/2015,P,E1,N1,A6,PR1,01/09/2015,E11,,,,",
            "A,01/04/2014,S,C2,N1,U6,PR1,01/01/2015,X1,,,,",
        ],
    );
    // Given newest first: the ranking by latest date still treats 2016 as the later file.
    let r = run(&[("2016.csv", y2016), ("2015.csv", y2015)]);
    // Open in 2015's file, closed in 2016's: replaced. The identical S episode: one copy dropped.
    assert_eq!(
        child_days(&r, "A1", "2015-16"),
        vec![("A".to_string(), 275)]
    );
    let f2015 = r.files.iter().find(|f| f.file == "2015.csv").unwrap();
    let f2016 = r.files.iter().find(|f| f.file == "2016.csv").unwrap();
    assert_eq!(f2015.rows_excluded + f2016.rows_excluded, 2);
    assert!(f2015
        .excluded_by_reason
        .iter()
        .any(|x| x.reason == "open episode closed in a later file"));
    assert_eq!(codes(&r), vec!["adoption-without-ad1"]);
}

#[test]
fn conflicting_episode_is_reported_and_the_later_file_wins() {
    let y2015 = csv(
        EPISODES,
        &[
            "A,01/04/2014,S,C2,N1,U6,PR1,01/01/2015,X1,,,,",
            "A,01/01/2015,P,E1,N1,A6,PR1,01/03/2015,E11,,,,",
        ],
    );
    let y2016 = csv(
        EPISODES,
        &[
            "A,01/04/2014,S,C2,N1,U6,PR1,01/01/2015,X1,,,,",
            "A,01/01/2015,P,E1,N1,A4,PR1,01/09/2015,E11,,,,",
        ],
    );
    let r = run(&[("2015.csv", y2015), ("2016.csv", y2016)]);
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.code == "episode-conflict")
        .unwrap();
    assert_eq!((d.file.as_str(), d.row), ("2016.csv", Some(3)));
    // The later file's adoption on 01/09/2015 is used.
    assert_eq!(ind(&r, "A1", "2015-16").n, 1);
    assert_eq!(ind(&r, "A1", "2014-15").n, 0);
}

#[test]
fn waiting_children_and_the_option_to_leave_them_out() {
    let r = run_with(
        &files_of("worked-example"),
        &Options {
            a3_include_waiting: false,
            ..Options::default()
        },
    );
    // Adopted only: C1 320, C2 424, C3 323, C4 304 under 426; C5 699 not: 4 of 5 = 80.0%.
    assert_eq!(percent(&r, "A3", "2015-16"), Some(80.0));
    assert_eq!(ind(&r, "A3", "2015-16").n, 5);
}

#[test]
fn waiting_child_placed_then_disrupted_waits_to_the_first_placement() {
    let r = run(&[
        (
            "e.csv",
            csv(
                EPISODES,
                &[
                    "W,01/04/2014,S,C2,N1,U6,PR1,01/10/2014,X1,,,,",
                    "W,01/10/2014,L,E1,N1,U6,PR1,01/02/2015,X1,,,,",
                    "W,01/02/2015,P,E1,N1,A6,PR1,01/05/2015,X1,,,,",
                    "W,01/05/2015,P,E1,N1,U6,PR1,,,,,,",
                    "Z,01/04/2014,S,C2,N1,U6,PR1,,,,,,",
                ],
            ),
        ),
        (
            "p.csv",
            csv(PLACED, &["W,,01/09/2014,,", "Z,,01/09/2014,01/01/2016,RD1"]),
        ),
    ]);
    // W: the first A3-A6 episode of the open period, 01/02/2015: 306 days (< 426, counted).
    // Z: the decision ceased 01/01/2016, before the window end: not in the process.
    let a3 = ind(&r, "A3", "2015-16");
    assert_eq!(
        child_days(&r, "A3", "2015-16"),
        vec![("W".to_string(), 306)]
    );
    assert_eq!((a3.count, a3.n), (Some(1), 1));
    // In 2014-15 Z's decision still stood: waited 01/04/2014 -> 31/03/2015 = 364 days, counted.
    assert_eq!(
        child_days(&r, "A3", "2014-15"),
        vec![("W".to_string(), 306), ("Z".to_string(), 364)]
    );
}

#[test]
fn adopted_child_back_in_care_with_a_new_decision_counts_once_in_a3() {
    let r = run(&[
        (
            "e.csv",
            csv(
                EPISODES,
                &[
                    "R,01/01/2014,S,C2,N1,U6,PR1,01/10/2014,X1,,,,",
                    "R,01/10/2014,P,E1,N1,A6,PR1,01/05/2015,E11,,,,",
                    "R,01/09/2015,S,C2,N1,U6,PR1,,,,,,",
                    // Another child's stay, so that the data covers 2016-17.
                    "Y,01/04/2016,S,C2,N1,U6,PR1,01/05/2016,E8,,,,",
                ],
            ),
        ),
        ("p.csv", csv(PLACED, &["R,,01/12/2015,,"])),
    ]);
    // Adopted 01/05/2015 after 273 days; back in care 01/09/2015 with a new decision. "... and
    // not adopted": counted once, as adopted: 1 of 1.
    assert_eq!(
        child_days(&r, "A3", "2015-16"),
        vec![("R".to_string(), 273)]
    );
    assert_eq!(percent(&r, "A3", "2015-16"), Some(100.0));
    // In 2016-17 R was not adopted: now R is a waiting child, 01/09/2015 -> 31/03/2017 = 577 days.
    assert_eq!(
        child_days(&r, "A3", "2016-17"),
        vec![("R".to_string(), 577)]
    );
}

#[test]
fn three_year_mean_pools_children() {
    let rows = [
        // K1 waits 100 days (adopted 2013-14); K2 400 (2014-15); K3 200 and K4 600 (2015-16).
        "K1,01/01/2013,S,C2,N1,U6,PR1,11/04/2013,X1,,,,",
        "K1,11/04/2013,P,C2,N1,A6,PR1,01/10/2013,E11,,,,",
        "K2,01/01/2013,S,C2,N1,U6,PR1,05/02/2014,X1,,,,",
        "K2,05/02/2014,P,C2,N1,A6,PR1,01/09/2014,E11,,,,",
        "K3,01/01/2014,S,C2,N1,U6,PR1,20/07/2014,X1,,,,",
        "K3,20/07/2014,P,C2,N1,A6,PR1,01/06/2015,E11,,,,",
        "K4,01/01/2014,S,C2,N1,U6,PR1,24/08/2015,X1,,,,",
        "K4,24/08/2015,P,C2,N1,A6,PR1,01/02/2016,E11,,,,",
    ];
    let r = run(&[("e.csv", csv(EPISODES, &rows))]);
    assert_eq!(days(&r, "A1", "2013-14"), Some(100));
    assert_eq!(days(&r, "A1", "2014-15"), Some(400));
    assert_eq!(days(&r, "A1", "2015-16"), Some(400));
    // Pooled: (100 + 400 + 200 + 600) / 4 = 325; the mean of the yearly means would be 300.
    assert_eq!(days(&r, "A1", "2013-16"), Some(325));
    assert_eq!(ind(&r, "A1", "2013-16").n, 4);
}

#[test]
fn latest_match_on_or_before_the_adoption() {
    let r = run(&[
        (
            "e.csv",
            csv(
                EPISODES,
                &[
                    "M,01/04/2014,S,E1,N1,U6,PR1,01/04/2015,X1,,,,",
                    "M,01/04/2015,P,E1,N1,A6,PR1,01/09/2015,E11,,,,",
                ],
            ),
        ),
        (
            "a.csv",
            csv(
                AD1,
                &[
                    "M,,,01/01/2015,0,,,",
                    "M,,,01/03/2015,0,,,",
                    "M,,,01/12/2015,0,,,",
                ],
            ),
        ),
    ]);
    // Order from entry 01/04/2014; match 01/03/2015 (01/12/2015 is after the adoption): 334 days.
    assert_eq!(
        child_days(&r, "A2", "2015-16"),
        vec![("M".to_string(), 334)]
    );
}

#[test]
fn calendar_months_option() {
    let r = run_with(
        &files_of("worked-example"),
        &Options {
            months: MonthRule::Calendar,
            ..Options::default()
        },
    );
    // C2 waited 01/01/2014 -> 01/03/2015: 424 days (< 426) but not less than 14 calendar months
    // (01/03/2015 is not before 01/03/2015). So 4 of 7 = 57.1%.
    assert_eq!(percent(&r, "A3", "2015-16"), Some(57.1));
    let c2 = ind(&r, "A3", "2015-16")
        .children
        .iter()
        .find(|c| c.child == "C2")
        .unwrap();
    assert_eq!(c2.counted, Some(false));
}

#[test]
fn rounded_thresholds_option() {
    let r = run_with(
        &files_of("worked-example"),
        &Options {
            thresholds: ThresholdDays::Rounded,
            ..Options::default()
        },
    );
    // 4 months x 30.4375 = 121.75 -> 122; 14 months = 426.125 -> 426.
    let a2 = ind(&r, "A2", "2015-16");
    assert_eq!((a2.threshold, a2.gap), (Some(122), Some(103)));
    assert_eq!(ind(&r, "A1", "2015-16").threshold, Some(426));
}

#[test]
fn user_targets_override_thresholds() {
    let options = Options {
        targets: vec![
            TargetOverride {
                id: "A1".into(),
                window: None,
                value: 400,
            },
            TargetOverride {
                id: "A2".into(),
                window: Some("2015-16".into()),
                value: 300,
            },
            TargetOverride {
                id: "A3".into(),
                window: None,
                value: 12,
            },
        ],
        ..Options::default()
    };
    let r = run_with(&files_of("worked-example"), &options);
    let a1 = ind(&r, "A1", "2015-16");
    assert_eq!(
        (a1.threshold, a1.gap, a1.status, a1.threshold_overridden),
        (Some(400), Some(14), Status::NotMet, true)
    );
    // A10 follows A1's threshold unless set itself.
    assert_eq!(ind(&r, "A10", "2015-16").threshold, Some(400));
    assert_eq!(ind(&r, "A2", "2015-16").status, Status::Met);
    assert_eq!(ind(&r, "A2", "2013-16").threshold, Some(121));
    // 12 months = 365 days: C1 320, C3 323, C4 304 under; C2 424, C5, C6 396, C7 not: 3 of 7 = 42.9%.
    assert_eq!(ind(&r, "A3", "2015-16").limit_days, Some(365));
    assert_eq!(percent(&r, "A3", "2015-16"), Some(42.9));
}

#[test]
fn windows_before_the_first_threshold_say_so() {
    let r = run(&[(
        "e.csv",
        csv(
            EPISODES,
            &[
                "A,01/04/2008,S,C2,N1,U6,PR1,01/01/2009,X1,,,,",
                "A,01/01/2009,P,E1,N1,A6,PR1,01/09/2009,E11,,,,",
            ],
        ),
    )]);
    let a1 = ind(&r, "A1", "2009-10");
    assert_eq!(
        (a1.value.is_some(), a1.threshold, a1.status),
        (true, None, Status::NoThreshold)
    );
    let a3 = ind(&r, "A3", "2009-10");
    assert_eq!((a3.value, a3.status), (None, Status::NoThreshold));
}

#[test]
fn as_at_windows() {
    let r = run_with(
        &files_of("worked-example"),
        &Options {
            as_at: Some(ymd(2015, 9, 30)),
            ..Options::default()
        },
    );
    // Adopted 01/04/2015-30/09/2015: C5 699, C1 320, C2 424: 1443 / 3 = 481; threshold 426 (2014-17).
    let ytd = ind(&r, "A1", "2015-16 to 30/09/2015");
    assert_eq!(
        (days(&r, "A1", "2015-16 to 30/09/2015"), ytd.gap),
        (Some(481), Some(55))
    );
    assert_eq!(days(&r, "A1", "12 months to 30/09/2015"), Some(481));
    // A3 at 30/09/2015: adopted C5 (no), C1, C2 (yes); in process: C3 placed 20/03/2015 (323, yes),
    // C4 placed 01/04/2015 (304, yes), C6 waiting 213 days (yes), C7 637 (no): 5 of 7 = 71.4%.
    assert_eq!(percent(&r, "A3", "2015-16 to 30/09/2015"), Some(71.4));
    assert_eq!(
        child_days(&r, "A3", "12 months to 30/09/2015"),
        vec![
            ("C5".to_string(), 699),
            ("C1".to_string(), 320),
            ("C2".to_string(), 424),
            ("C3".to_string(), 323),
            ("C4".to_string(), 304),
            ("C6".to_string(), 213),
            ("C7".to_string(), 637)
        ]
    );
    // As-at windows come first.
    assert_eq!(r.indicators[0].window, "2015-16 to 30/09/2015");
}

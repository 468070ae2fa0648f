//! The eight children of `shared/spec/worked-example.md`, worked by hand there; the engine must
//! give exactly those numbers.

mod common;
use care_scorecard::report::Status;
use care_scorecard::Options;
use common::*;

#[test]
fn a1_is_414_days_and_met() {
    let r = run_fixture("worked-example", &Options::default());
    // (320 + 424 + 323 + 304 + 699) / 5 = 2070 / 5 = 414; threshold 426 (2013-16): gap -12.
    let a1 = ind(&r, "A1", "2015-16");
    assert_eq!(days(&r, "A1", "2015-16"), Some(414));
    assert_eq!(
        (a1.n, a1.threshold, a1.gap, a1.status),
        (5, Some(426), Some(-12), Status::Met)
    );
    assert_eq!(a1.threshold_window, Some("2013-16"));
    assert_eq!(
        child_days(&r, "A1", "2015-16"),
        // In adoption order: C5 01/05/2015, C1 01/06, C2 01/09, C3 10/10, C4 01/12/2015.
        vec![
            ("C5".into(), 699),
            ("C1".into(), 320),
            ("C2".into(), 424),
            ("C3".into(), 323),
            ("C4".into(), 304)
        ]
    );
    assert_eq!(
        (a1.min, a1.max, a1.median),
        (Some(304), Some(699), Some(323.0))
    );
}

#[test]
fn a10_walks_back_to_the_foster_placement() {
    let r = run_fixture("worked-example", &Options::default());
    // C2: A5 by RNE T, before it RNE L, before it S: with these carers since 01/01/2014 -> 0 days.
    // (320 + 0 + 323 + 304 + 699) / 5 = 329.2 -> 329.
    assert_eq!(days(&r, "A10", "2015-16"), Some(329));
    let c2 = ind(&r, "A10", "2015-16")
        .children
        .iter()
        .find(|c| c.child == "C2")
        .unwrap();
    assert_eq!(c2.days, Some(0));
}

#[test]
fn a2_is_225_days_with_c4_excluded() {
    let r = run_fixture("worked-example", &Options::default());
    // (123 + 259 + 0 + 518) / 4 = 225; threshold 121: gap +104, not met. C4: no E1/D1.
    let a2 = ind(&r, "A2", "2015-16");
    assert_eq!(
        (days(&r, "A2", "2015-16"), a2.n, a2.gap, a2.status),
        (Some(225), 4, Some(104), Status::NotMet)
    );
    assert_eq!(
        excluded_codes(&r, "A2", "2015-16"),
        vec![("C4".to_string(), "no-placement-order")]
    );
    let c3 = a2.children.iter().find(|c| c.child == "C3").unwrap();
    assert_eq!(c3.days, Some(0), "matched before the placement order");
}

#[test]
fn a3_is_5_of_7() {
    let r = run_fixture("worked-example", &Options::default());
    // Under 426 days: C1 320, C2 424, C3 323, C4 304, C6 396 (waiting); not: C5 699, C7 820.
    let a3 = ind(&r, "A3", "2015-16");
    assert_eq!(percent(&r, "A3", "2015-16"), Some(71.4));
    assert_eq!((a3.count, a3.n, a3.limit_days), (Some(5), 7, Some(426)));
    let waiting: Vec<(String, i64, Option<bool>)> = a3
        .children
        .iter()
        .filter(|c| c.adopted.is_none())
        .map(|c| (c.child.to_string(), c.days.unwrap_or(i64::MIN), c.counted))
        .collect();
    assert_eq!(
        waiting,
        vec![
            ("C6".into(), 396, Some(true)),
            ("C7".into(), 820, Some(false))
        ]
    );
    assert!(a3.small_cohort, "denominator 7 is at most 10");
}

#[test]
fn three_year_window_gives_the_same_numbers() {
    let r = run_fixture("worked-example", &Options::default());
    assert_eq!(days(&r, "A1", "2013-16"), Some(414));
    assert_eq!(days(&r, "A10", "2013-16"), Some(329));
    assert_eq!(days(&r, "A2", "2013-16"), Some(225));
    assert_eq!(percent(&r, "A3", "2013-16"), Some(71.4));
}

#[test]
fn short_break_child_is_ignored_and_counted() {
    let r = run_fixture("worked-example", &Options::default());
    // C8's only episode is LS V3: one row excluded, nobody else.
    let eps = r.files.iter().find(|f| f.file == "episodes.csv").unwrap();
    assert_eq!(
        (eps.rows_read, eps.rows_used, eps.rows_excluded),
        (21, 20, 1)
    );
    assert_eq!(eps.excluded_by_reason[0].reason, "short break (LS V3/V4)");
    assert!(r
        .indicators
        .iter()
        .all(|i| i.children.iter().all(|c| c.child != "C8")));
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
}

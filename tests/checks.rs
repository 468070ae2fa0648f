//! The DfE validation rules of `src/checks.rs` against the validator councils run
//! (data-to-insight/csc-validator-be-903): the same rows flagged, rule by rule and table by table.
//!
//! How the reference figures were obtained. The validator is not published on PyPI (neither
//! `lac-validator` nor `lac_validator` exists there), so it could not be installed. Its rule
//! functions (`validate(dfs)` in `lac_validator/rules/lac2022_23/rule_<n>.py`; none of these rules
//! is overridden in lac2023_24 or lac2024_25) were run locally, outside this repository, with
//! pandas 2.2.3, on tables read the way its `ingress.read_csvs_from_text` reads CSV (every cell a
//! string, blank cells missing, text upper-cased) and with its metadata for a 2017-18 return
//! (`collection_start` 01/04/2017, `collection_end` 31/03/2018, as `datastore._process_metadata`
//! makes them). A rule flags a row of a table when the row's index is in the list the rule returns
//! for that table; the figures below are the distinct rows per table. Not only the counts but the
//! very rows (spreadsheet row = pandas index + 2) were compared with the engine's, and agree. The
//! harness is not kept here because it is the validator's code.
//!
//! The engine derives the collection year from the data (the year of the latest DECOM), which for
//! the fake data is 2017-18, the validator's year.

mod common;
use care_scorecard::Report;
use common::fixture;
use std::collections::BTreeSet;

const PEERS: &str = "peers/d2i-csc-validator-be-903/fake_data";

/// Runs the engine on the files of `dir` under tests/fixtures, less the files named in `skip`.
fn run_dir(dir: &str, skip: &[&str]) -> Report {
    let files: Vec<(String, Vec<u8>)> = fixture(dir)
        .into_iter()
        .filter(|(name, _)| !skip.contains(&name.as_str()))
        .collect();
    let inputs: Vec<care_scorecard::Input<'_>> = files
        .iter()
        .map(|(name, bytes)| care_scorecard::Input { name, bytes })
        .collect();
    care_scorecard::run(&inputs, &Default::default())
}

/// The rows of `file` flagged for DfE rule `rule`.
fn flagged(r: &Report, rule: u32, file: &str) -> Vec<u32> {
    let rows: BTreeSet<u32> = r
        .diagnostics
        .iter()
        .filter(|d| d.dfe_rule == Some(rule) && d.file == file)
        .filter_map(|d| d.row)
        .collect();
    rows.into_iter().collect()
}

/// (rule, episodes rows, AD1 rows, PlacedAdoption rows), as the validator counts them.
type Counts = (u32, usize, usize, usize);

fn assert_counts(r: &Report, placed_file: &str, want: &[Counts]) {
    for &(rule, episodes, ad1, placed) in want {
        let got = (
            rule,
            flagged(r, rule, "episodes.csv").len(),
            flagged(r, rule, "ad1.csv").len(),
            flagged(r, rule, placed_file).len(),
        );
        assert_eq!(got, (rule, episodes, ad1, placed), "rule {rule}");
    }
}

/// The fake 2017-18 return of the validator's tests (tests/fake_data there). Its folder holds two
/// PlacedAdoption tables; the validator takes one table of each kind, and its own test fixture
/// (`tests/conftest.py`) loads `placed_for_adoption.csv`, so that is the one used here.
const PEERS_COUNTS: &[Counts] = &[
    (551, 761, 0, 0),
    (553, 361, 0, 0),
    (408, 359, 0, 0),
    (336, 109, 0, 0),
    (390, 90, 0, 0),
    (602, 0, 27, 0),
    (1003, 4, 0, 4),
    (334, 4, 4, 0),
    (331, 0, 0, 0),
    (333, 0, 0, 0),
    (521, 0, 0, 0),
    (552, 0, 0, 0),
    (554, 0, 0, 0),
    // Already raised by the A10 rules (`foster-care-disagrees`).
    (335, 0, 0, 0),
];

#[test]
fn peers_fake_return_flags_the_rows_the_dfe_validator_flags() {
    let r = run_dir(PEERS, &["placed_for_adoption_errors.csv"]);
    assert_counts(&r, "placed_for_adoption.csv", PEERS_COUNTS);
}

#[test]
fn peers_fake_return_with_the_deliberately_wrong_decisions() {
    // The same return with `placed_for_adoption_errors.csv` (decisions a year later, one child
    // with two): only the rules reading PlacedAdoption change, and only 1003 differs.
    let r = run_dir(PEERS, &["placed_for_adoption.csv"]);
    let mut want = PEERS_COUNTS.to_vec();
    for row in &mut want {
        if row.0 == 1003 {
            *row = (1003, 3, 0, 3);
        }
    }
    assert_counts(&r, "placed_for_adoption_errors.csv", &want);
}

#[test]
fn the_collection_year_is_that_of_the_latest_episode_start() {
    // The fake data has twelve episodes ending 01/04/2018, a day past the 2017-18 return; the
    // latest DECOM is 31/03/2018. 602 reads 2017-18, as the validator was told.
    let r = run_dir(PEERS, &["placed_for_adoption_errors.csv"]);
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.dfe_rule == Some(602))
        .expect("a 602 diagnostic");
    assert!(
        d.message.contains("the files run to 2017-18"),
        "{}",
        d.message
    );
}

/// tests/fixtures/checks: one small 2017-18 return made to trip every rule at least once, with
/// the rows the validator flags on it (obtained as above, rows as a spreadsheet numbers them).
///
/// A clean adoption (no flags). B: decisions before care (1003) and after the order (554), placed
/// before the latest decision (552), matched after the placement (331) and placed before the AD1
/// decision (521). C: an AD1 decision before the latest period (334), a match before the
/// decision and a blank DATE_INT (333). D: placed straight from residential care (336), without
/// a decision (551), adopted from a foster placement (390). E: in AD1 only (602). G: an order
/// without a decision (553). H: a decision recorded as ceased while the order stands (553, both
/// ways of saying "ceased"). I, J: A5/A6 with LS C2 and blank (408, 551). K: adopted by
/// FOSTER_CARE 0 from A3 (335). L: REC E11 on an open episode (390). M: REC E11 on a short break
/// (390: the DfE validates short breaks too).
#[test]
fn hand_made_return_flags_the_same_rows_as_the_dfe_validator() {
    let r = run_dir("checks", &[]);
    let (e, a, p) = ("episodes.csv", "ad1.csv", "placed_adoption.csv");
    let want: &[(u32, &str, &[u32])] = &[
        (551, e, &[11, 16, 17]),
        (553, e, &[13]),
        (553, p, &[6, 7]),
        (408, e, &[16, 17]),
        (336, e, &[11]),
        (390, e, &[12, 20, 21]),
        (602, a, &[8]),
        (1003, e, &[5]),
        (1003, p, &[3]),
        (334, e, &[8, 10]),
        (334, a, &[4, 7]),
        (331, e, &[6]),
        (331, a, &[3]),
        (333, a, &[5, 6]),
        (521, e, &[6]),
        (521, a, &[3]),
        (552, e, &[6]),
        (552, p, &[4]),
        (554, e, &[5]),
        (554, p, &[4]),
        // The validator flags K's adoption episode (row 19) too; the engine's A10 check flags
        // the AD1 row, where FOSTER_CARE is.
        (335, a, &[9]),
    ];
    for &(rule, file, rows) in want {
        assert_eq!(flagged(&r, rule, file), rows, "rule {rule} in {file}");
    }
    // Nothing else: every row flagged for one of these rules is listed above.
    for d in &r.diagnostics {
        if let Some(rule) = d.dfe_rule.filter(|n| want.iter().any(|w| w.0 == *n)) {
            assert!(
                want.iter().any(|w| w.0 == rule
                    && w.1 == d.file
                    && d.row.is_some_and(|x| w.2.contains(&x))),
                "unexpected {rule} at {} row {:?}",
                d.file,
                d.row
            );
        }
    }
}

#[test]
fn messages_name_the_place_the_problem_and_the_fix() {
    let r = run_dir("checks", &[]);
    let one = |code: &str, row: u32| {
        r.diagnostics
            .iter()
            .find(|d| d.code == code && d.row == Some(row))
            .unwrap_or_else(|| panic!("no {code} at row {row}"))
            .clone()
    };
    let d = one("adopted-not-placed", 12);
    assert_eq!(
        d.message,
        "episodes.csv, row 12, PLACE: the episode from 01/07/2017 ends in adoption (E11) but its placement is U3, not a placement for adoption (A3 to A6). Record the adoptive placement as its own episode, or correct PLACE or REC."
    );
    assert_eq!(
        (
            d.dfe_rule,
            d.column_letter.as_deref(),
            d.value.as_deref(),
            d.child.as_deref()
        ),
        (Some(390), Some("F"), Some("U3"), Some("D"))
    );
    assert_eq!(d.severity, care_scorecard::diagnostic::Severity::Warning);
    // A two-table rule names the other row.
    let d = one("decision-before-care", 3);
    assert_eq!(d.file, "placed_adoption.csv");
    assert_eq!(d.column.as_deref(), Some("DATE_PLACED"));
    assert!(d.message.contains("episodes.csv, row 5"), "{}", d.message);
}

#[test]
fn the_rows_are_still_used() {
    // Warnings only: the checks exclude nothing, so the figures do not move.
    let r = run_dir("checks", &[]);
    assert!(r
        .diagnostics
        .iter()
        .filter(|d| d.dfe_rule.is_some())
        .all(|d| d.severity == care_scorecard::diagnostic::Severity::Warning));
    assert_eq!(
        r.counts.rows_excluded, 1,
        "only M's short break is left out"
    );
}

#[test]
fn rows_repeated_in_several_years_files_are_flagged_once() {
    use common::*;
    // D's placement without a decision arrives in the 2016-17 and the 2017-18 file.
    let row = "D,01/05/2017,P,V2,N1,A3,PR1,01/07/2017,X1,,,,";
    let r = run(&[
        (
            "2017.csv",
            csv(
                EPISODES,
                &["D,01/04/2017,S,V2,N1,R1,PR1,01/05/2017,X1,,,,", row],
            ),
        ),
        (
            "2018.csv",
            csv(EPISODES, &[row, "D,01/07/2017,T,V2,N1,A3,PR1,,,,,,"]),
        ),
        // A PlacedAdoption table (for another child): without one, rule 551 is not run.
        ("p.csv", csv(PLACED, &["Z,,01/01/2017,,"])),
    ]);
    let rows: Vec<(String, Option<u32>)> = r
        .diagnostics
        .iter()
        .filter(|d| d.dfe_rule == Some(551))
        .map(|d| (d.file.clone(), d.row))
        .collect();
    // Identical copies are stitched into one, the earlier file's (src/stitch.rs).
    let want = [("2017.csv", 3), ("2018.csv", 3)].map(|(f, n)| (f.to_string(), Some(n)));
    assert_eq!(rows, want);
}

#[test]
fn an_adoption_in_an_earlier_years_return_explains_its_ad1_row() {
    use common::*;
    // Child P was adopted in 2015-16; the files run to 2017-18. The DfE validator, given only the
    // 2017-18 return, never sees P's AD1 row; here it is in the files, and is not flagged (602).
    // Child Q is in AD1 with no adoption at all, and is.
    let r = run(&[
        (
            "episodes.csv",
            csv(
                EPISODES,
                &[
                    "P,01/04/2014,S,E1,N1,A6,PR1,01/12/2015,E11,,,,",
                    "R,01/03/2018,S,C2,N1,U4,PR1,,,,,,",
                ],
            ),
        ),
        (
            "ad1.csv",
            csv(
                AD1,
                &[
                    "P,,01/05/2014,01/06/2014,0,2,MF,L0",
                    "Q,,01/05/2017,01/06/2017,0,2,MF,L0",
                ],
            ),
        ),
    ]);
    let flagged: Vec<&str> = r
        .diagnostics
        .iter()
        .filter(|d| d.dfe_rule == Some(602))
        .filter_map(|d| d.child.as_deref())
        .collect();
    assert_eq!(flagged, vec!["Q"]);
}

#[test]
fn quality_groups_count_and_point_at_their_diagnostics() {
    let r = run_dir(PEERS, &["placed_for_adoption_errors.csv"]);
    let group = |code: &str| {
        r.quality
            .iter()
            .find(|g| g.code == code)
            .unwrap_or_else(|| panic!("no group {code}"))
    };
    for (code, rule, count) in [
        ("placed-without-decision", 551, 761),
        ("placement-order-missing", 408, 359),
        ("adopted-not-placed", 390, 90),
        ("decision-before-care", 1003, 8),
    ] {
        let g = group(code);
        assert_eq!((g.dfe_rule, g.count), (Some(rule), count), "{code}");
        assert_eq!(g.diagnostics.len(), count as usize);
        for &i in &g.diagnostics {
            let d = &r.diagnostics[i as usize];
            assert_eq!((d.code, d.dfe_rule), (code, Some(rule)));
        }
    }
    // Every diagnostic is in exactly one group.
    let total: u32 = r.quality.iter().map(|g| g.count).sum();
    assert_eq!(total as usize, r.diagnostics.len());
    // Errors first, then the biggest groups.
    assert!(r
        .quality
        .windows(2)
        .all(|w| (w[0].severity, std::cmp::Reverse(w[0].count))
            <= (w[1].severity, std::cmp::Reverse(w[1].count))));
    // The engine's own checks carry the DfE rule covering the same problem.
    assert_eq!(group("episode-overlap").dfe_rule, Some(501));
    assert_eq!(group("episode-open-not-last").dfe_rule, Some(142));
}

#[test]
fn unknown_codes_are_grouped_by_their_dfe_rule() {
    use common::*;
    let r = run(&[(
        "episodes.csv",
        csv(
            EPISODES,
            &[
                "A,01/04/2016,S,C2,N1,ZZ,PR1,01/06/2016,E99,,,,",
                "B,01/04/2016,S,C2,N1,ZZ,PR1,,,,,,",
            ],
        ),
    )]);
    let groups: Vec<(&str, Option<u32>, u32)> = r
        .quality
        .iter()
        .filter(|g| g.code == "code-unknown")
        .map(|g| (g.title, g.dfe_rule, g.count))
        .collect();
    assert_eq!(
        groups,
        vec![
            (
                "PLACE is not a placement type in the SSDA903 guide",
                Some(146),
                2
            ),
            (
                "REC is not a reason episode ceased in the SSDA903 guide",
                Some(149),
                1
            ),
        ]
    );
}

#[test]
fn every_code_raised_on_the_test_data_has_a_title() {
    for dir in [
        PEERS,
        "worked-example",
        "bad-date",
        "not-903",
        "checks",
        "edge-cases/d1",
        "edge-cases/d2",
        "peers/sfdl-liia-tools/samples",
        "peers/sfdl-liia-tools-pipeline/samples",
    ] {
        let r = run_dir(dir, &[]);
        for g in &r.quality {
            assert_ne!(g.title, g.code, "{dir}: {} has no catalogue entry", g.code);
        }
    }
}

#[test]
fn a_rule_reading_a_table_that_was_not_loaded_is_not_run() {
    use common::*;
    // As the DfE validator: no PlacedAdoption table, no 551 or 553; no AD1 table, no 602.
    let episodes = csv(
        EPISODES,
        &["D,01/04/2017,S,E1,N1,A6,PR1,01/09/2017,E11,,,,"],
    );
    let r = run(&[("e.csv", episodes.clone())]);
    assert!(
        r.diagnostics.iter().all(|d| d.dfe_rule.is_none()),
        "{:?}",
        codes(&r)
    );
    let r = run(&[
        ("e.csv", episodes),
        ("p.csv", csv(PLACED, &["Z,,01/01/2017,,"])),
    ]);
    let rules: BTreeSet<u32> = r.diagnostics.iter().filter_map(|d| d.dfe_rule).collect();
    assert_eq!(rules, BTreeSet::from([551, 553]));
}

/// Every diagnostic code in the engine's source has a catalogue entry, so the data-quality view
/// never shows a bare code.
#[test]
fn every_diagnostic_code_in_the_source_is_catalogued() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut missing = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            // Diagnostics are built as Diagnostic::new("code", ...), self.report("code", ...) or
            // from a match arm's ("code", detail) pair.
            for marker in [
                "Diagnostic::new(\n",
                "Diagnostic::new(",
                "report(\n",
                "report(",
                "=> (\n",
                "=> (",
            ] {
                for (i, _) in text.match_indices(marker) {
                    let rest = text[i + marker.len()..].trim_start();
                    if let Some(code) = rest.strip_prefix('"').and_then(|r| r.split('"').next()) {
                        if code.contains('-')
                            && !care_scorecard::checks::CATALOGUE
                                .iter()
                                .any(|e| e.code == code)
                        {
                            missing.push(format!("{}: {code}", path.display()));
                        }
                    }
                }
            }
        }
    }
    missing.sort();
    missing.dedup();
    assert!(missing.is_empty(), "{missing:#?}");
}

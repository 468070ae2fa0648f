//! Robustness on stable Rust: the fuzz targets' recipes (`tests/support/fuzzing.rs`) driven by a
//! seeded generator, and regression tests named after what the fuzzer caught. The long runs are
//! `scripts/fuzz.sh` (nightly, cargo-fuzz); these keep every CI run honest in a few seconds.

mod common;

#[path = "support/fuzzing.rs"]
mod fuzzing;

use fuzzing::{File, XorShift};

#[test]
fn random_bytes_as_files_and_pasted_text_keep_the_invariants() {
    let mut rng = XorShift(0x2545_F491_4F6C_DD1D);
    for _ in 0..400 {
        let len = (rng.next() % 600) as usize;
        let data = rng.bytes(len);
        fuzzing::run_and_check(&fuzzing::raw_files(&data), &Default::default());
        fuzzing::run_and_check(&[fuzzing::pasted(&data)], &Default::default());
    }
}

#[test]
fn mutated_fixtures_keep_the_invariants() {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    for _ in 0..600 {
        let len = (rng.next() % 300) as usize;
        let data = rng.bytes(len);
        let (files, options) = fuzzing::mutated_files(&data);
        fuzzing::run_and_check(&files, &options);
    }
}

#[test]
fn unmutated_fixtures_keep_the_invariants() {
    // The first byte picks the fixture set; zeros after it keep every child of the small sets
    // (the synthetic ones are cut to one) and change nothing.
    for first in 0u8..5 {
        let (files, options) = fuzzing::mutated_files(&[first, 0, 0]);
        assert!(!files.is_empty());
        fuzzing::run_and_check(&files, &options);
    }
}

/// Inputs the fuzzer found, replayed through the recipe of the target that found them (the file
/// name starts with the target's name, then what it caught).
#[test]
fn fuzzer_findings_stay_fixed() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/regressions");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let data = std::fs::read(&path).unwrap();
        if name.starts_with("fixtures-") {
            let (files, options) = fuzzing::mutated_files(&data);
            fuzzing::run_and_check(&files, &options);
        } else {
            fuzzing::run_and_check(&fuzzing::raw_files(&data), &Default::default());
            fuzzing::run_and_check(&[fuzzing::pasted(&data)], &Default::default());
        }
        n += 1;
    }
    assert!(n > 0);
}

/// Caught by the fuzzer: two inputs with one name (the CLI given the same file twice) made every
/// diagnostic ambiguous. The second is now `name (2)`.
#[test]
fn the_same_file_name_twice_is_told_apart() {
    let episodes = b"CHILD,DECOM,RNE,LS,PLACE,PLACE_PROVIDER,DEC,REC\nA,31/02/2015,S,C2,U6,PR1,,\n";
    let file = |bytes: &[u8]| File {
        name: "episodes.csv".to_string(),
        bytes: bytes.to_vec(),
    };
    let r = fuzzing::run_and_check(
        &[file(b"CHILD,DECOM\n"), file(episodes)],
        &Default::default(),
    );
    assert_eq!(r.files[1].file, "episodes.csv (2)");
    assert!(r.diagnostics.iter().any(|d| d
        .message
        .starts_with("episodes.csv (2), row 2, DECOM: \"31/02/2015\" is not a real date.")));
}

/// A file longer than one piece of the text reader (16,384 rows): rows in later pieces are
/// numbered, accounted for and diagnosed exactly as in the first.
#[test]
fn a_file_read_in_pieces_accounts_for_every_row() {
    use care_scorecard::diagnostic::Severity;
    let mut rows: Vec<String> = (1..=40_000)
        .map(|i| format!("C{i},01/04/2014,S,C2,N1,U1,PR1,,,,,,"))
        .collect();
    // Data row 20,000 is spreadsheet row 20,001; row 35,000 is row 35,001.
    rows[19_999] = "C20000,31/02/2015,S,C2,N1,U1,PR1,,,,,,".to_string();
    rows[34_999] = "C35000,01/04/2014,S,C2,N\u{0}1,U1,PR1,,,,,,".to_string();
    let lines: Vec<&str> = rows.iter().map(String::as_str).collect();
    let r = common::run(&[("episodes.csv", common::csv(common::EPISODES, &lines))]);
    let f = &r.files[0];
    assert_eq!(
        (f.rows_read, f.rows_used, f.rows_excluded),
        (40_000, 39_999, 1)
    );
    let at = |code: &str| -> Vec<(Option<u32>, Option<String>)> {
        r.diagnostics
            .iter()
            .filter(|d| d.code == code)
            .map(|d| (d.row, d.value.clone()))
            .collect()
    };
    assert_eq!(
        at("date-impossible"),
        [(Some(20_001), Some("31/02/2015".to_string()))]
    );
    assert_eq!(at("cell-nul"), [(Some(35_001), Some("N1".to_string()))]);
    assert!(r
        .diagnostics
        .iter()
        .all(|d| d.severity != Severity::Error || d.row == Some(20_001)));
}

//! The malformed-input corpus: each folder in `tests/malformed/` holds the files of one case, named
//! for the problem, and `expected.toml`: what the case is about, each file's row accounting, every
//! diagnostic exactly (code, severity, file, row, column, value, child, message), the figures and the
//! children left out. The test runs every case, checks the report's invariants
//! (`tests/support/fuzzing.rs`) and compares it with the expected file.
//!
//! After a deliberate change: `UPDATE_MALFORMED=1 cargo test --test malformed` rewrites the
//! expected files (keeping each `about`); read the diff before committing it.

#[path = "support/fuzzing.rs"]
mod fuzzing;

use care_scorecard::report::Value;
use care_scorecard::Report;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    /// The problem, and what the engine must do about it.
    about: String,
    #[serde(default)]
    files: Vec<FileExpected>,
    /// `ID WINDOW: value (n N)` for every figure with children.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    figures: Vec<String>,
    /// `CHILD: code (indicators)` for every child left out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    excluded_children: Vec<String>,
    #[serde(default)]
    diagnostics: Vec<DiagnosticExpected>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileExpected {
    file: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    table: Option<String>,
    status: String,
    rows_read: u32,
    rows_used: u32,
    rows_excluded: u32,
    /// `reason: rows`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    excluded: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    extra_columns: Vec<String>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DiagnosticExpected {
    code: String,
    severity: String,
    file: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    row: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    column: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    column_letter: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    child: Option<String>,
    message: String,
}

fn actual(about: String, r: &Report) -> Expected {
    Expected {
        about,
        files: r
            .files
            .iter()
            .map(|f| FileExpected {
                file: f.file.clone(),
                table: f.table.map(str::to_string),
                status: f.status.to_string(),
                rows_read: f.rows_read,
                rows_used: f.rows_used,
                rows_excluded: f.rows_excluded,
                excluded: f
                    .excluded_by_reason
                    .iter()
                    .map(|x| format!("{}: {}", x.reason, x.rows))
                    .collect(),
                extra_columns: f.extra_columns.clone(),
            })
            .collect(),
        figures: r
            .indicators
            .iter()
            // The scorecard's figures: the corpus is about reading and locating problems.
            .filter(|i| i.n > 0 && i.group == "Adoption scorecard")
            .map(|i| {
                let value = match i.value {
                    Some(Value::Days(d)) => format!("{d} days"),
                    Some(Value::Percent(p)) => format!("{p}%"),
                    Some(Value::Count(c)) => format!("{c}"),
                    Some(Value::Ratio(r)) => format!("{r}"),
                    None => "none".to_string(),
                };
                format!("{} {}: {value} (n {})", i.id, i.window, i.n)
            })
            .collect(),
        excluded_children: r
            .excluded
            .iter()
            .map(|x| format!("{}: {} ({})", x.child, x.code, x.indicators.join(", ")))
            .collect(),
        diagnostics: r
            .diagnostics
            .iter()
            .map(|d| DiagnosticExpected {
                code: d.code.to_string(),
                severity: serde_json::to_value(d.severity)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                file: d.file.clone(),
                row: d.row,
                column: d.column.clone(),
                column_letter: d.column_letter.clone(),
                value: d.value.clone(),
                child: d.child.clone(),
                message: d.message.clone(),
            })
            .collect(),
    }
}

fn cases() -> Vec<PathBuf> {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/malformed");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&base)
        .unwrap_or_else(|e| panic!("{}: {e}", base.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn inputs(dir: &Path) -> Vec<fuzzing::File> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "expected.toml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| fuzzing::File {
            name: p.file_name().unwrap().to_string_lossy().into_owned(),
            bytes: std::fs::read(&p).unwrap(),
        })
        .collect()
}

#[test]
fn every_malformed_case_gives_exactly_the_expected_report() {
    let update = std::env::var_os("UPDATE_MALFORMED").is_some();
    let cases = cases();
    assert!(cases.len() >= 40, "the corpus has {} cases", cases.len());
    let mut failed = Vec::new();
    for dir in &cases {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let path = dir.join("expected.toml");
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let expected: Expected =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            expected.about.len() > 20,
            "{name}: say what the case is about"
        );
        let files = inputs(dir);
        assert!(!files.is_empty(), "{name}: no input files");
        let report = fuzzing::run_and_check(&files, &Default::default());
        let got = actual(expected.about.clone(), &report);
        if update {
            let text = toml::to_string_pretty(&got).unwrap();
            std::fs::write(&path, text).unwrap();
        } else if got != expected {
            failed.push(name.clone());
            eprintln!(
                "--- {name}: expected\n{}",
                toml::to_string_pretty(&expected).unwrap()
            );
            eprintln!("+++ {name}: got\n{}", toml::to_string_pretty(&got).unwrap());
        }
    }
    assert!(
        failed.is_empty(),
        "{} case(s) differ (see above): {failed:?}. If the change is deliberate: UPDATE_MALFORMED=1 cargo test --test malformed",
        failed.len()
    );
}

/// The report over `files` given whole, and given in pieces of `piece` bytes.
fn whole_and_in_pieces(files: &[fuzzing::File], piece: usize) -> (String, String) {
    let whole = fuzzing::run_and_check(files, &Default::default());
    let in_pieces = fuzzing::run_in_pieces(files, piece, &Default::default());
    (
        serde_json::to_string(&whole).unwrap(),
        serde_json::to_string(&in_pieces).unwrap(),
    )
}

/// Every case gives the same report when its files are read as they stream in (or, for those
/// that cannot be, read whole after all) as when they are given whole.
#[test]
fn every_case_read_in_pieces_gives_the_same_report() {
    for dir in cases() {
        let files = inputs(&dir);
        for piece in [7, 100_000] {
            let (whole, in_pieces) = whole_and_in_pieces(&files, piece);
            assert!(whole == in_pieces, "{} in pieces of {piece}", dir.display());
        }
    }
}

/// A file found, tens of thousands of rows in, to need reading whole (a quoted cell, a byte
/// that is not UTF-8): what was read of it as it streamed in is dropped, and the report is the
/// one read whole, each row counted once.
#[test]
fn a_file_read_whole_after_all_counts_each_row_once() {
    let header = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n";
    let rows: String = (0..40_000)
        .map(|i| format!("C{i},01/04/2014,S,C1,N1,U6,PR1,01/10/2014,X1,,,,\n"))
        .collect();
    for tail in [
        "\"C40000\",01/04/2014,S,C1,N1,U6,PR1,,,,,,\n".as_bytes(),
        b"C\xe940000,01/04/2014,S,C1,N1,U6,PR1,,,,,,\n",
    ] {
        let mut bytes = format!("{header}{rows}").into_bytes();
        bytes.extend_from_slice(tail);
        let files = [fuzzing::File {
            name: "episodes.csv".into(),
            bytes,
        }];
        let (whole, in_pieces) = whole_and_in_pieces(&files, 1 << 16);
        assert!(whole == in_pieces);
        let report: serde_json::Value = serde_json::from_str(&in_pieces).unwrap();
        assert_eq!(report["files"][0]["rows_read"], 40_001);
        assert_eq!(report["counts"]["rows_read"], 40_001);
    }
}

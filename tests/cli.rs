//! The command line: same engine, summary table or JSON, exit codes.

use std::process::Command;

fn cli(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_care-scorecard"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn summary_table_for_the_worked_example() {
    let (code, out, _) = cli(&["report", "tests/fixtures/worked-example"]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("4 files, 41 rows read: 40 used, 1 excluded\n"),
        "{out}"
    );
    let rows: Vec<Vec<&str>> = out
        .lines()
        .map(|l| l.split_whitespace().collect())
        .filter(|w: &Vec<&str>| w.get(1) == Some(&"2015-16"))
        .collect();
    assert_eq!(
        rows[0],
        vec!["A1", "2015-16", "414", "426", "-12", "met", "5"]
    );
    assert_eq!(
        rows[1],
        vec!["A10", "2015-16", "329", "426", "-97", "met", "5"]
    );
    assert_eq!(
        rows[2],
        vec!["A2", "2015-16", "225", "121", "+104", "not", "met", "4"]
    );
    assert_eq!(
        rows[3],
        vec!["A3", "2015-16", "71.4%", "<426d", "-", "no", "target", "5/7"]
    );
}

#[test]
fn a_workbook_is_read_directly_sheet_by_sheet() {
    // A directory stands for its workbooks too.
    for arg in [
        "tests/fixtures/worked-example-xlsx/worked-example.xlsx",
        "tests/fixtures/worked-example-xlsx",
    ] {
        let (code, out, _) = cli(&["report", arg]);
        assert_eq!(code, 0, "{out}");
        assert!(
            out.starts_with("1 file, 41 rows read: 40 used, 1 excluded\n"),
            "{out}"
        );
        assert!(
            out.contains(
                "worked-example.xlsx, sheet Episodes [Episodes: used] 21 read, 20 used, 1 excluded"
            ),
            "{out}"
        );
        let a1: Vec<&str> = out
            .lines()
            .find(|l| l.starts_with("A1 ") && l.contains(" 2015-16 "))
            .map(|l| l.split_whitespace().collect())
            .unwrap_or_default();
        assert_eq!(a1, vec!["A1", "2015-16", "414", "426", "-12", "met", "5"]);
    }
}

#[test]
fn json_has_the_documented_shape() {
    let (code, out, _) = cli(&["report", "--json", "tests/fixtures/worked-example"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let a1 = v["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "A1" && i["window"] == "2013-16")
        .unwrap();
    assert_eq!(
        (
            a1["value"].as_i64(),
            a1["n"].as_i64(),
            a1["threshold"].as_i64(),
            a1["gap"].as_i64()
        ),
        (Some(414), Some(5), Some(426), Some(-12))
    );
    assert_eq!(a1["status"], "met");
    // Figures only unless --children: the rows behind a figure are asked for separately.
    assert_eq!(a1["children"].as_array().map(Vec::len), Some(0));
    let a3 = v["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "A3" && i["window"] == "2015-16")
        .unwrap();
    assert_eq!(
        (a3["value"].as_f64(), a3["count"].as_i64(), a3["n"].as_i64()),
        (Some(71.4), Some(5), Some(7))
    );
    assert_eq!(v["excluded"][0]["child"], "C4");
    assert!(v["diagnostics"].as_array().unwrap().is_empty());
    assert_eq!(v["options"]["a3_include_waiting"], true);
}

#[test]
fn children_lists_the_rows_behind_every_figure() {
    let (code, out, _) = cli(&[
        "report",
        "--json",
        "--children",
        "tests/fixtures/worked-example",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let a1 = v["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "A1" && i["window"] == "2013-16")
        .unwrap();
    // The worked example's A1 = (320 + 424 + 323 + 304 + 699) / 5: C1 to C5 (C6, C7 still wait).
    let mut children: Vec<&str> = a1["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["child"].as_str().unwrap())
        .collect();
    children.sort_unstable();
    assert_eq!(children, ["C1", "C2", "C3", "C4", "C5"]);
}

#[test]
fn options_on_the_command_line() {
    let (code, out, _) = cli(&[
        "report",
        "--json",
        "--as-at",
        "30/09/2015",
        "--exclude-waiting",
        "--target",
        "A1=400",
        "--target",
        "A2:2015-16=300",
        "tests/fixtures/worked-example",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let find = |id: &str, w: &str| {
        v["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id && i["window"] == w)
            .unwrap()
            .clone()
    };
    assert_eq!(v["options"]["as_at"], "2015-09-30");
    // Year to date 30/09/2015: C5 699, C1 320, C2 424 -> 481 against the user's 400.
    assert_eq!(
        find("A1", "2015-16 to 30/09/2015")["gap"].as_i64(),
        Some(81)
    );
    assert_eq!(find("A2", "2015-16")["status"], "met");
    // Adopted only: 4 of 5.
    assert_eq!(find("A3", "2015-16")["value"].as_f64(), Some(80.0));
}

#[test]
fn usage_errors_exit_2_and_unreadable_files_exit_1() {
    assert_eq!(cli(&["report"]).0, 2);
    assert_eq!(cli(&["report", "--as-at", "31/02/2016", "x.csv"]).0, 2);
    assert_eq!(cli(&["report", "--target", "A9=1", "x.csv"]).0, 2);
    assert_eq!(cli(&["frobnicate"]).0, 2);
    let (code, _, err) = cli(&["report", "no/such/file.csv"]);
    assert_eq!(code, 1);
    assert!(err.contains("no/such/file.csv"));
    assert_eq!(cli(&["--help"]).0, 0);
}

#[test]
fn a_report_with_diagnostics_still_exits_0() {
    let (code, out, _) = cli(&[
        "report",
        "tests/fixtures/peers/d2i-csc-validator-be-903/fake_data",
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("Diagnostics: "));
}

#[test]
fn sections_authorities_and_percent_targets() {
    let (code, out, _) = cli(&[
        "report",
        "--authority",
        "Coventry",
        "--target",
        "stability-long-term=70",
        "--fostering-assessment-months",
        "6",
        "tests/fixtures/worked-example",
    ]);
    assert_eq!(code, 0);
    for section in [
        "Adoption scorecard",
        "Hard to place",
        "Adoption activity",
        "Placement stability",
        "Where children live",
    ] {
        assert!(out.lines().any(|l| l == section), "section {section}");
    }
    // One authority: no split. The A4 row shows the share of leavers adopted: 5 (100.0%).
    let a4: Vec<&str> = out
        .lines()
        .find(|l| l.starts_with("A4 ") && l.contains("2015-16"))
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(&a4[..4], &["A4", "2015-16", "5", "(100.0%)"]);
    assert_eq!(
        cli(&[
            "report",
            "--target",
            "stability-long-term=x",
            "tests/fixtures/worked-example"
        ])
        .0,
        2
    );
}

//! Helpers shared by the integration tests: build files from lines, run the engine, find results.
#![allow(dead_code)]

use care_scorecard::report::{IndicatorResult, Value};
use care_scorecard::{Input, Options, Report};

pub const EPISODES: &str =
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN";
pub const AD1: &str = "CHILD,DOB,DATE_INT,DATE_MATCH,FOSTER_CARE,NB_ADOPTR,SEX_ADOPTR,LS_ADOPTR";
pub const PLACED: &str = "CHILD,DOB,DATE_PLACED,DATE_PLACED_CEASED,REASON_PLACED_CEASED";
pub const HEADER: &str = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB";

/// A CSV file: the header line, then the rows.
pub fn csv(header: &str, rows: &[&str]) -> String {
    let mut s = String::from(header);
    for r in rows {
        s.push('\n');
        s.push_str(r);
    }
    s.push('\n');
    s
}

pub fn run_with(files: &[(&str, String)], options: &Options) -> Report {
    let inputs: Vec<Input<'_>> = files
        .iter()
        .map(|(name, text)| Input {
            name,
            bytes: text.as_bytes(),
        })
        .collect();
    care_scorecard::run(&inputs, options)
}

pub fn run(files: &[(&str, String)]) -> Report {
    run_with(files, &Options::default())
}

pub fn ind<'a>(r: &'a Report, id: &str, window: &str) -> &'a IndicatorResult {
    r.indicators
        .iter()
        .find(|i| i.id == id && i.window == window)
        .unwrap_or_else(|| panic!("no {id} for {window}; windows: {:?}", windows(r)))
}

pub fn windows(r: &Report) -> Vec<String> {
    let mut w: Vec<String> = r.indicators.iter().map(|i| i.window.clone()).collect();
    w.dedup();
    w
}

pub fn days(r: &Report, id: &str, window: &str) -> Option<i64> {
    match ind(r, id, window).value {
        Some(Value::Days(d)) => Some(d),
        _ => None,
    }
}

pub fn percent(r: &Report, id: &str, window: &str) -> Option<f64> {
    match ind(r, id, window).value {
        Some(Value::Percent(p)) => Some(p),
        _ => None,
    }
}

/// (child, days) for each child behind a figure.
pub fn child_days(r: &Report, id: &str, window: &str) -> Vec<(String, i64)> {
    ind(r, id, window)
        .children
        .iter()
        .map(|c| (c.child.to_string(), c.days.unwrap_or(i64::MIN)))
        .collect()
}

pub fn excluded_codes(r: &Report, id: &str, window: &str) -> Vec<(String, &'static str)> {
    ind(r, id, window)
        .excluded
        .iter()
        .map(|x| (x.child.to_string(), x.code))
        .collect()
}

pub fn codes(r: &Report) -> Vec<&'static str> {
    r.diagnostics.iter().map(|d| d.code).collect()
}

pub fn fixture(dir: &str) -> Vec<(String, Vec<u8>)> {
    let base = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(dir);
    let mut paths: Vec<_> = std::fs::read_dir(&base)
        .unwrap_or_else(|e| panic!("{}: {e}", base.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

pub fn run_fixture(dir: &str, options: &Options) -> Report {
    let files = fixture(dir);
    let inputs: Vec<Input<'_>> = files
        .iter()
        .map(|(n, b)| Input { name: n, bytes: b })
        .collect();
    care_scorecard::run(&inputs, options)
}

/// A fixture folder as (name, text) pairs, for `run`/`run_with`.
pub fn files_of(dir: &str) -> Vec<(&'static str, String)> {
    fixture(dir)
        .into_iter()
        .map(|(name, bytes)| {
            (
                &*Box::leak(name.into_boxed_str()),
                String::from_utf8(bytes).unwrap(),
            )
        })
        .collect()
}

//! Compiles `data/targets.toml` into Rust statics (`$OUT_DIR/targets_data.rs`), so the thresholds
//! are data edited in one place while the engine (and its wasm) carries no TOML parser.

use serde::Deserialize;
use std::{env, fmt::Write as _, fs, path::Path};

#[derive(Deserialize)]
struct File {
    version: String,
    threshold: Vec<Threshold>,
    england: Vec<England>,
    percent_target: Vec<PercentTargetRow>,
}

#[derive(Deserialize)]
struct PercentTargetRow {
    id: String,
    value: u32,
    direction: String,
    source: String,
}

#[derive(Deserialize)]
struct Threshold {
    window: String,
    end_year: i32,
    a1_months: u32,
    a1_days: u32,
    a2_months: u32,
    a2_days: u32,
    a3_months: u32,
    source: String,
}

#[derive(Deserialize)]
struct England {
    indicator: String,
    window: String,
    value: u32,
    source: String,
}

fn main() {
    println!("cargo:rerun-if-changed=data/targets.toml");
    let text = fs::read_to_string("data/targets.toml").expect("data/targets.toml is readable");
    let file: File = toml::from_str(&text).expect("data/targets.toml is valid");
    let mut out = String::new();
    writeln!(out, "pub const TARGETS_VERSION: &str = {:?};", file.version).unwrap();
    writeln!(out, "pub static THRESHOLDS: &[ThresholdRow] = &[").unwrap();
    for t in &file.threshold {
        writeln!(
            out,
            "ThresholdRow {{ window: {:?}, end_year: {}, a1_months: {}, a1_days: {}, a2_months: {}, a2_days: {}, a3_months: {}, source: {:?} }},",
            t.window, t.end_year, t.a1_months, t.a1_days, t.a2_months, t.a2_days, t.a3_months, t.source
        )
        .unwrap();
    }
    writeln!(out, "];").unwrap();
    writeln!(out, "pub static ENGLAND: &[EnglandRow] = &[").unwrap();
    for e in &file.england {
        writeln!(
            out,
            "EnglandRow {{ indicator: {:?}, window: {:?}, value: {}, source: {:?} }},",
            e.indicator, e.window, e.value, e.source
        )
        .unwrap();
    }
    writeln!(out, "];").unwrap();
    writeln!(out, "pub static PERCENT_TARGETS: &[PercentTargetRow] = &[").unwrap();
    for t in &file.percent_target {
        assert!(
            t.direction == "at least" || t.direction == "at most",
            "direction of {}",
            t.id
        );
        writeln!(
            out,
            "PercentTargetRow {{ id: {:?}, value: {}, direction: {:?}, source: {:?} }},",
            t.id, t.value, t.direction, t.source
        )
        .unwrap();
    }
    writeln!(out, "];").unwrap();
    let dest = Path::new(&env::var("OUT_DIR").unwrap()).join("targets_data.rs");
    fs::write(dest, out).unwrap();
}

//! care-scorecard: the DfE Adoption Scorecard timeliness indicators (A1, A10, A2, A3) from a
//! council's own SSDA903 files, with every child and every excluded row accounted for.
//!
//! The engine is pure: bytes and options come in, a [`Report`] comes out. It reads no clock, file,
//! network or randomness; the CLI (`src/bin`) and the wasm facade (`src/wasm.rs`) do the I/O.
//!
//! Flow: [`input`] (bytes -> tables) -> [`schema`] (tables -> records + diagnostics) ->
//! [`periods`] (stitched episodes -> periods of care) -> [`metrics`] (windows -> results) ->
//! [`report`].
#![forbid(unsafe_code)]

pub mod dates;
pub mod diagnostic;
pub mod input;
pub mod metrics;
pub mod model;
pub mod options;
pub mod periods;
pub mod report;
pub mod schema;
pub mod stitch;
pub mod targets;
pub mod window;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use input::{Content, File, Input};
pub use options::Options;
pub use report::Report;

use chrono::NaiveDate;
use report::{Counts, Coverage, EngineInfo};
use std::collections::BTreeSet;

/// Computes the whole report from the given files.
pub fn run(inputs: &[Input<'_>], options: &Options) -> Report {
    let files: Vec<File<'_>> = inputs.iter().map(File::from).collect();
    run_files(&files, options, &mut |_| {})
}

/// Where a run has got to, for a progress indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress<'a> {
    /// About to read file `file` (from 1) of `files`.
    Reading {
        file: usize,
        files: usize,
        name: &'a str,
    },
    /// Every file read: stitching, periods of care and the indicators.
    Computing,
}

/// [`run`] for files in either form the page gives them (bytes, or a workbook the page's
/// workbook module has read), telling `progress` where it has got to.
pub fn run_files(
    inputs: &[File<'_>],
    options: &Options,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Report {
    let (records, mut files, mut diagnostics) = schema::read_files(inputs, progress);
    progress(Progress::Computing);
    let decisions = stitch::merge(records.decisions, &mut files, &mut diagnostics);
    let adoptions = stitch::merge(records.adoptions, &mut files, &mut diagnostics);
    let _headers = stitch::merge(records.headers, &mut files, &mut diagnostics);
    let histories = periods::build(records.episodes, &mut files, &mut diagnostics);
    let children = &histories.children;

    let mut years: BTreeSet<i32> = BTreeSet::new();
    let (mut first, mut last): (Option<NaiveDate>, Option<NaiveDate>) = (None, None);
    for e in children.iter().flat_map(|h| h.episodes.iter()) {
        first = Some(first.map_or(e.decom, |f| f.min(e.decom)));
        let end = e.dec.unwrap_or(e.decom);
        last = Some(last.map_or(end, |l| l.max(end)));
        if let Some(dec) = e.dec {
            years.insert(dates::collection_year(dec));
        }
    }
    if let Some(l) = last {
        years.insert(dates::collection_year(l));
    }
    let years: Vec<i32> = years.into_iter().collect();

    let cases = metrics::adoption::cases(children, &adoptions, &files, &mut diagnostics);
    let mut indicators = Vec::new();
    for w in window::all(&years, options.as_at) {
        let waiting = metrics::adoption::waiting(children, &decisions, w.end);
        indicators.extend(metrics::adoption::results(&cases, &waiting, &w, options));
    }
    // The as-at windows the user asked for first, then the latest collection years first; for one
    // end date, the 1-year window before the 3-year one. The sort is stable: A1, A10, A2, A3 stay.
    let as_at = |k: window::WindowKind| k < window::WindowKind::OneYear;
    indicators.sort_by(|a, b| {
        (!as_at(a.window_kind), b.end, a.window_kind).cmp(&(
            !as_at(b.window_kind),
            a.end,
            b.window_kind,
        ))
    });

    diagnostics.sort_by(|a, b| {
        (a.severity, &a.file, a.sheet.as_deref(), a.row, a.code).cmp(&(
            b.severity,
            &b.file,
            b.sheet.as_deref(),
            b.row,
            b.code,
        ))
    });
    let counts = Counts {
        // Files given, not tables: a workbook is one file however many sheets it has.
        files: inputs.len(),
        rows_read: files.iter().map(|f| u64::from(f.rows_read)).sum(),
        rows_used: files.iter().map(|f| u64::from(f.rows_used)).sum(),
        rows_excluded: files.iter().map(|f| u64::from(f.rows_excluded)).sum(),
    };
    Report {
        engine: EngineInfo {
            name: "care-scorecard",
            version: env!("CARGO_PKG_VERSION"),
            targets_version: targets::TARGETS_VERSION,
        },
        options: options.clone(),
        coverage: Coverage {
            first_date: first,
            last_date: last,
            years: years.iter().map(|&y| window::year_label(y, y)).collect(),
        },
        counts,
        files,
        indicators,
        excluded: metrics::adoption::excluded_children(&cases, &histories),
        diagnostics,
    }
}

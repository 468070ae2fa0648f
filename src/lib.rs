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

pub mod checks;
pub mod dates;
pub mod diagnostic;
pub mod hashing;
pub mod input;
pub mod metrics;
pub mod model;
pub mod options;
mod parallel;
pub mod periods;
pub mod report;
pub mod schema;
pub mod stitch;
pub mod targets;
pub mod whatif;
pub mod window;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use input::{Content, File, Input};
pub use options::Options;
pub use report::Report;

use chrono::NaiveDate;
use diagnostic::Diagnostic;
use model::Records;
use report::{Counts, Coverage, EngineInfo, ExcludedChild, IndicatorResult};
use schema::FileSummary;
use std::collections::{BTreeMap, BTreeSet};
use window::WindowKind;

/// Computes the whole report from the given files.
///
/// When the records carry several local authorities (an `LA` column, or authorities the user gave
/// files in [`Options::authorities`]), every indicator is computed for each authority and for all
/// of them together (`la` = "All authorities"), as a regional adoption agency reports.
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
    let names: Vec<&str> = inputs.iter().map(|i| i.name).collect();
    run_lent(
        &names,
        &mut |i, read| read(inputs[i].content),
        options,
        progress,
    )
}

/// [`run_files`] for files named `names` whose content the caller lends one at a time, only
/// while it is read ([`schema::read_files_lent`]): the page's worker copies each file into the
/// engine's memory in turn and frees it before the next, so the files are not held beside the
/// records while the figures are computed.
pub fn run_lent(
    names: &[&str],
    lend: &mut schema::Lend<'_>,
    options: &Options,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Report {
    let (mut records, mut files, mut diagnostics) = schema::read_files_lent(names, lend, progress);
    progress(Progress::Computing);
    assign_authorities(&mut records, &files, options);
    let parts = split_by_authority(&records);
    let mut indicators = Vec::new();
    let mut excluded = Vec::new();
    let coverage;
    if parts.len() <= 1 {
        let part = compute(records, &mut files, &mut diagnostics, options, None);
        indicators = part.indicators;
        excluded = part.excluded;
        coverage = part.coverage;
    } else {
        for (la, part_records) in parts {
            let label = if la.is_empty() {
                "(no LA)".to_string()
            } else {
                la
            };
            let part = compute(
                part_records,
                &mut files,
                &mut diagnostics,
                options,
                Some(&label),
            );
            indicators.extend(part.indicators);
            excluded.extend(part.excluded);
        }
        // All together: child identifiers are only unique within an authority, so prefix them.
        // The rows were already accounted for and checked above: scratch accounting here.
        let mut scratch_files = files.clone();
        let mut scratch = Vec::new();
        let all = compute(
            prefixed(records),
            &mut scratch_files,
            &mut scratch,
            options,
            Some("All authorities"),
        );
        indicators.extend(all.indicators);
        coverage = all.coverage;
    }
    // The as-at windows the user asked for first, then the latest collection years first; for one
    // end date, the 1-year window before the 3-year one. The sort is stable, so the order within
    // a window (authority, then section, then indicator) stays.
    let as_at = |k: WindowKind| k < WindowKind::OneYear;
    indicators.sort_by(|a, b| {
        (!as_at(a.window_kind), b.end, a.window_kind).cmp(&(
            !as_at(b.window_kind),
            a.end,
            b.window_kind,
        ))
    });
    sort_diagnostics(&mut diagnostics);
    let quality = checks::finish(&mut diagnostics);
    let counts = Counts {
        // Files given, not tables: a workbook is one file however many sheets it has.
        files: names.len(),
        rows_read: files.iter().map(|f| u64::from(f.rows_read)).sum(),
        rows_used: files.iter().map(|f| u64::from(f.rows_used)).sum(),
        rows_excluded: files.iter().map(|f| u64::from(f.rows_excluded)).sum(),
    };
    let mut report = Report {
        engine: EngineInfo {
            name: "care-scorecard",
            version: env!("CARGO_PKG_VERSION"),
            targets_version: targets::TARGETS_VERSION,
        },
        options: options.clone(),
        coverage,
        counts,
        files,
        indicators,
        excluded,
        diagnostics,
        diagnostics_total: None,
        quality,
    };
    if let options::Diagnostics::First { first, per_group } = options.diagnostics {
        report.limit_diagnostics(first, per_group.unwrap_or(first));
    }
    report
}

/// Diagnostics in the report's order: by severity, file, sheet, row and code (stably, so that
/// one row's diagnostics of one code stay in the order raised). The tens of thousands of a
/// national set are sorted as numbers: each file and sheet by its place among them, and the
/// diagnostics moved once, to their places.
fn sort_diagnostics(diagnostics: &mut [Diagnostic]) {
    let mut places: Vec<(&str, Option<&str>)> = Vec::new();
    for d in diagnostics.iter() {
        let place = (d.file.as_str(), d.sheet.as_deref());
        if places.last() != Some(&place) && !places.contains(&place) {
            places.push(place);
        }
    }
    places.sort_unstable();
    let keys: Vec<_> = diagnostics
        .iter()
        .map(|d| {
            let place = places
                .binary_search(&(d.file.as_str(), d.sheet.as_deref()))
                .unwrap_or(0);
            (d.severity, place, d.row, d.code)
        })
        .collect();
    let mut order: Vec<u32> = (0..u32::try_from(keys.len()).unwrap_or(u32::MAX)).collect();
    order.sort_by_key(|&i| keys[i as usize]);
    drop((keys, places));
    periods::permute(diagnostics, &order);
}

/// Files without an `LA` column take the authority the user gave them.
fn assign_authorities(records: &mut Records, files: &[FileSummary], options: &Options) {
    if options.authorities.is_empty() {
        return;
    }
    let of = |file: usize| {
        options
            .authorities
            .iter()
            .find(|a| a.file == files[file].file)
            .map(|a| model::Text::new(&a.la))
    };
    macro_rules! fill {
        ($list:expr) => {
            for r in $list.iter_mut().filter(|r| r.la.is_empty()) {
                if let Some(la) = of(r.source.file as usize) {
                    r.la = la;
                }
            }
        };
    }
    fill!(records.episodes);
    fill!(records.headers);
    fill!(records.adoptions);
    fill!(records.decisions);
    fill!(records.carers);
    fill!(records.adopters);
}

/// The records of each authority (blank: "no LA"), or nothing when there is at most one (the
/// records are then used as they are, without a copy).
fn split_by_authority(records: &Records) -> BTreeMap<String, Records> {
    let mut parts: BTreeMap<String, Records> = BTreeMap::new();
    let mut authorities = records
        .episodes
        .iter()
        .map(|r| &r.la)
        .chain(records.headers.iter().map(|r| &r.la))
        .chain(records.adoptions.iter().map(|r| &r.la))
        .chain(records.decisions.iter().map(|r| &r.la))
        .chain(records.carers.iter().map(|r| &r.la))
        .chain(records.adopters.iter().map(|r| &r.la));
    let first = authorities.next();
    if authorities.all(|la| Some(la) == first) {
        return parts;
    }
    macro_rules! split {
        ($field:ident) => {
            for r in &records.$field {
                parts
                    .entry(r.la.to_string())
                    .or_default()
                    .$field
                    .push(r.clone());
            }
        };
    }
    split!(episodes);
    split!(headers);
    split!(adoptions);
    split!(decisions);
    split!(carers);
    split!(adopters);
    parts
}

/// Identifiers made unique across authorities: `LA:CHILD`.
fn prefixed(mut records: Records) -> Records {
    fn tag(la: &str, id: &mut model::Text) {
        if !la.is_empty() {
            *id = model::Text::from(format!("{la}:{id}"));
        }
    }
    records
        .episodes
        .iter_mut()
        .for_each(|r| tag(&r.la, &mut r.child));
    records
        .headers
        .iter_mut()
        .for_each(|r| tag(&r.la, &mut r.child));
    records
        .adoptions
        .iter_mut()
        .for_each(|r| tag(&r.la, &mut r.child));
    records
        .decisions
        .iter_mut()
        .for_each(|r| tag(&r.la, &mut r.child));
    records
        .carers
        .iter_mut()
        .for_each(|r| tag(&r.la, &mut r.id));
    records
        .adopters
        .iter_mut()
        .for_each(|r| tag(&r.la, &mut r.id));
    records
}

struct Part {
    indicators: Vec<IndicatorResult>,
    excluded: Vec<ExcludedChild>,
    coverage: Coverage,
}

/// Every indicator for one set of records (one authority, or all).
fn compute(
    records: Records,
    files: &mut [FileSummary],
    diagnostics: &mut Vec<Diagnostic>,
    options: &Options,
    la: Option<&str>,
) -> Part {
    // The episodes are stitched beside the other tables (natively on a second thread: at 1M
    // episodes the others take some 15-25 ms). Each side counts the rows it drops in its own
    // copy of the files' summaries: a summary is one table's, and each side stitches tables of
    // its own kinds, so a summary that the episodes' side changed is taken whole from there. The
    // diagnostics keep the order they had when the tables were stitched one after another.
    let Records {
        headers,
        episodes,
        adoptions,
        decisions,
        carers,
        adopters,
    } = records;
    let before = files.to_vec();
    let mut episode_files = before.clone();
    let (small, (episodes, episode_diagnostics)) = parallel::join(
        || {
            let d = &mut *diagnostics;
            let decisions = stitch::merge(decisions, files, d);
            let adoptions = stitch::merge(adoptions, files, d);
            let headers = stitch::merge(headers, files, d);
            let carers = stitch::merge(carers, files, d);
            let adopters = stitch::merge(adopters, files, d);
            (decisions, adoptions, headers, carers, adopters)
        },
        || {
            let mut found = Vec::new();
            // In (LA, child, DECOM) order, one episode per key: the periods' order, which the
            // sort then only checks (within one authority; the prefixed identifiers of all
            // authorities together may want a sort).
            let mut episodes = stitch::merge_in_key_order(episodes, &mut episode_files, &mut found);
            periods::sort(&mut episodes);
            (episodes, found)
        },
    );
    let (decisions, adoptions, headers, carers, adopters) = small;
    for ((summary, copy), before) in files.iter_mut().zip(episode_files).zip(before) {
        if copy != before {
            *summary = copy;
        }
    }
    diagnostics.extend(episode_diagnostics);
    diagnostics.extend(checks::run(&episodes, &adoptions, &decisions, files));
    let histories = periods::build(episodes, files, diagnostics);
    let every_child = histories.children();
    let children = &every_child;

    // Each source reports the collection years it covers: the 903 sections the years in which an
    // episode ended (and the year of the latest episode date), the local files the years of their
    // own events, so that one carers.csv row does not add an empty year to the scorecard.
    let (mut first, mut last): (Option<NaiveDate>, Option<NaiveDate>) = (None, None);
    let mut seen = |d: NaiveDate| {
        first = Some(first.map_or(d, |f| f.min(d)));
        last = Some(last.map_or(d, |l| l.max(d)));
    };
    if let Some((earliest, latest)) = histories.date_range {
        seen(earliest);
        seen(latest);
    }
    let mut years_of = |events: &mut dyn Iterator<Item = NaiveDate>| -> Vec<i32> {
        let mut years: BTreeSet<i32> = BTreeSet::new();
        for d in events {
            seen(d);
            years.insert(dates::collection_year(d));
        }
        years.into_iter().collect()
    };
    let carer_years = years_of(
        &mut carers
            .iter()
            .flat_map(|c| {
                [
                    c.enquiry,
                    c.application,
                    c.stage2,
                    c.approval,
                    c.deregistration,
                ]
            })
            .flatten(),
    );
    let adopter_years = years_of(
        &mut adopters
            .iter()
            .flat_map(|a| {
                [
                    a.enquiry,
                    a.application,
                    a.stage2,
                    a.approval,
                    a.matched,
                    a.withdrawn,
                ]
            })
            .flatten(),
    );
    let episode_years: Vec<i32> = histories.years.iter().copied().collect();
    let mut years: Vec<i32> = episode_years
        .iter()
        .chain(&carer_years)
        .chain(&adopter_years)
        .copied()
        .collect();
    years.sort_unstable();
    years.dedup();

    let has_column = |tables: &[&str], column: &str| {
        files.iter().any(|f| {
            f.table.is_some_and(|t| tables.contains(&t)) && f.columns.iter().any(|c| c == column)
        })
    };
    // Without episodes there is nothing for the 903 sections to say.
    let episode_windows = if children.is_empty() {
        Vec::new()
    } else {
        window::all(&episode_years, options.as_at)
    };
    // The what-if's rows are named by what it projects: the windows are known from here.
    let for_what_if;
    let options = if options.rows == options::Rows::WhatIf {
        for_what_if = Options {
            rows: whatif::rows(&episode_windows, options.as_at, la),
            ..options.clone()
        };
        &for_what_if
    } else {
        options
    };
    // The tables of each history, side by side where there are threads.
    let ((spans, headers_by_child), decisions_by_child) = parallel::join(
        || {
            (
                metrics::Data::spans_of(children),
                metrics::Data::headers_of(children, &headers),
            )
        },
        || metrics::Data::decisions_of(children, &decisions),
    );
    let data = metrics::Data {
        histories: children,
        spans,
        headers: headers_by_child,
        decisions: &decisions,
        decisions_by_child,
        adoptions: &adoptions,
        carers: &carers,
        adopters: &adopters,
        disabled_column: has_column(&["Header"], "DISABLED"),
        sibling_column: has_column(&["Header", "AD1"], "SIBLING_GROUP"),
        options,
        la,
    };
    let yearly = |w: &window::Window| {
        matches!(
            w.kind,
            WindowKind::OneYear | WindowKind::Rolling12 | WindowKind::YearToDate
        )
    };
    // The adoption cases, and beside them what the windows need that does not depend on them,
    // in two shares of about the same work (at 1M episodes, about 90 and 60 ms).
    let ends: Vec<NaiveDate> = episode_windows.iter().map(|w| w.end).collect();
    let yearly_ends: Vec<NaiveDate> = episode_windows
        .iter()
        .filter(|w| yearly(w))
        .map(|w| w.end)
        .collect();
    let ((cases, case_diagnostics, waiting, unplaced), (looked_after, activity_events)) =
        parallel::join(
            || {
                let mut found = Vec::new();
                let cases = metrics::adoption::cases(&data, files, &mut found);
                (
                    cases,
                    found,
                    metrics::adoption::waiting(&data, &ends),
                    metrics::activity::waiting_to_be_placed(&data, &yearly_ends),
                )
            },
            || {
                (
                    metrics::stability::by_window(&episode_windows, &data),
                    metrics::activity::Events::of(children),
                )
            },
        );
    diagnostics.extend(case_diagnostics);
    // Each family's results are labelled and stripped of the rows nobody asked for (the figures
    // build no rows that nobody asked for in the first place: see `metrics::result::Rows`).
    let finish = |made: Vec<IndicatorResult>| {
        made.into_iter().map(|mut i| {
            i.la = la.map(str::to_string);
            if !options
                .rows
                .wanted(i.id, &i.window, la, i.category.as_deref())
            {
                i.children = Vec::new();
                i.excluded = Vec::new();
            }
            if options.days {
                metrics::stats::sort_days(&mut i.days);
            } else {
                i.days = Vec::new();
            }
            i.order_rows();
            i
        })
    };
    // Each window's figures, the windows shared out between threads: the yearly windows' activity
    // figures take the waiting children of their own end date.
    let mut unplaced = unplaced.into_iter();
    let windows: Vec<_> = episode_windows
        .iter()
        .zip(waiting)
        .zip(looked_after)
        .map(|((w, waiting), looked_after)| {
            let unplaced = yearly(w).then(|| unplaced.next().unwrap_or_default());
            (w, waiting, unplaced, looked_after)
        })
        .collect();
    let by_window = parallel::map(windows, |(w, waiting, unplaced, looked_after)| {
        let mut made = metrics::adoption::results(&cases, &waiting, w, &data);
        if let Some(unplaced) = unplaced {
            made.extend(metrics::activity::results(
                &cases,
                &activity_events,
                &unplaced,
                w,
                &data,
            ));
        }
        made.extend(looked_after);
        finish(made).collect::<Vec<_>>()
    });
    let mut indicators: Vec<IndicatorResult> = by_window.into_iter().flatten().collect();
    for w in window::all(&carer_years, options.as_at)
        .iter()
        .filter(|w| yearly(w) && !carers.is_empty())
    {
        indicators.extend(finish(metrics::fostering::results(w, &data)));
    }
    for w in window::all(&adopter_years, options.as_at)
        .iter()
        .filter(|w| yearly(w) && !adopters.is_empty())
    {
        indicators.extend(finish(metrics::adopters::results(w, &data)));
    }
    let excluded =
        metrics::adoption::excluded_children(&cases, children, &histories.short_break_adoptions);
    // The records are freed aside: at 1M episodes, returning their memory takes some 20 ms.
    drop((data, cases, activity_events));
    drop(every_child);
    parallel::drop_aside((histories, decisions, adoptions, headers, carers, adopters));
    Part {
        indicators,
        excluded,
        coverage: Coverage {
            first_date: first,
            last_date: last,
            years: years.iter().map(|&y| window::year_label(y, y)).collect(),
        },
    }
}

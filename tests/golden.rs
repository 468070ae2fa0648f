//! Golden tests: the synthetic multi-year data set (made by `scripts/gen-synthetic.sh`) -> the
//! whole JSON report, pinned. After a deliberate change, regenerate with
//! `UPDATE_GOLDEN=1 cargo test --test golden` and review the diff like code.

mod common;
use care_scorecard::report::Report;
use care_scorecard::{Input, Options};
use std::path::Path;

fn load(dirs: &[&str]) -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in dirs {
        let mut paths: Vec<_> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        paths.sort();
        for p in paths {
            let name = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
            files.push((name, std::fs::read(&p).unwrap()));
        }
    }
    files
}

fn report(files: &[(String, Vec<u8>)], options: &Options) -> Report {
    let inputs: Vec<Input<'_>> = files
        .iter()
        .map(|(n, b)| Input { name: n, bytes: b })
        .collect();
    care_scorecard::run(&inputs, options)
}

fn check_golden(name: &str, report: &Report) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    let actual = serde_json::to_string_pretty(report).unwrap() + "\n";
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "{name} differs from the pinned report at line {}:\n  pinned: {}\n  now:    {}\nRun UPDATE_GOLDEN=1 cargo test --test golden if the change is intended.",
            line + 1,
            expected.lines().nth(line).unwrap_or("<end>"),
            actual.lines().nth(line).unwrap_or("<end>")
        );
    }
}

#[test]
fn synthetic_full_history_report_is_pinned() {
    let files = load(&["tests/data/synthetic"]);
    check_golden("synthetic.json", &report(&files, &Options::default()));
}

#[test]
fn synthetic_report_with_as_at_date_is_pinned() {
    let files = load(&["tests/data/synthetic"]);
    let options = Options {
        as_at: chrono::NaiveDate::from_ymd_opt(2016, 12, 31),
        ..Options::default()
    };
    let r = report(&files, &options);
    // Only the figures: the children are pinned by the test above.
    let figures: Vec<_> = r
        .indicators
        .iter()
        .filter(|i| i.window_kind < care_scorecard::window::WindowKind::OneYear)
        .map(|i| serde_json::json!({"id": i.id, "window": i.window, "value": i.value, "n": i.n, "count": i.count}))
        .collect();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/synthetic-as-at.json");
    let actual = serde_json::to_string_pretty(&figures).unwrap() + "\n";
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &actual).unwrap();
    } else {
        assert_eq!(std::fs::read_to_string(&path).unwrap_or_default(), actual);
    }
}

/// Annual returns stitched together give the full history's figures for every window whose
/// children entered care after the first annual file begins (the generator's early children
/// entered before 2012-13, which those files cannot show).
#[test]
fn stitched_annual_files_agree_with_the_full_history() {
    let full = report(&load(&["tests/data/synthetic"]), &Options::default());
    let dirs = ["2013", "2014", "2015", "2016", "2017"]
        .map(|y| format!("tests/data/synthetic-yearly/{y}"));
    let yearly = report(
        &load(&dirs.iter().map(String::as_str).collect::<Vec<_>>()),
        &Options::default(),
    );
    let mut compared = 0;
    for window in ["2015-16", "2016-17"] {
        // The scorecard (stocks such as "looked after for 2.5 years" need the earlier years).
        for f in full
            .indicators
            .iter()
            .filter(|i| i.window == window && i.group == "Adoption scorecard")
        {
            let y = yearly
                .indicators
                .iter()
                .find(|i| i.id == f.id && i.window == window)
                .unwrap();
            assert_eq!(
                (f.value, f.n, f.count),
                (y.value, y.n, y.count),
                "{} {window}",
                f.id
            );
            let kids = |i: &care_scorecard::report::IndicatorResult| i.children.clone();
            assert_eq!(kids(f), kids(y), "{} {window}", f.id);
            compared += 1;
        }
    }
    assert_eq!(compared, 8, "2015-16 and 2016-17, four indicators each");
}

/// The page asks for the rows of a few figures at a time: each figure's rows are then the same as
/// in the whole report, whichever other figures are asked for with it (the indicators skip the
/// rows and notes of the figures nobody asked for).
#[test]
fn rows_asked_for_some_figures_are_those_of_the_whole_report() {
    use care_scorecard::options::{RowRequest, Rows};
    let files = load(&["tests/data/synthetic", "tests/fixtures/local-files"]);
    let all_options = Options {
        as_at: chrono::NaiveDate::from_ymd_opt(2016, 12, 31),
        ..Options::default()
    };
    let all = report(&files, &all_options);
    assert!(all.indicators.iter().any(|i| i.category.is_some()));
    let request = |i: &care_scorecard::report::IndicatorResult| RowRequest {
        id: i.id.to_string(),
        window: i.window.clone(),
        la: i.la.clone(),
        category: i.category.clone(),
    };
    // Every figure is asked for in one of the two runs, beside every other figure of that run.
    for half in 0..2 {
        let asked: Vec<RowRequest> = all
            .indicators
            .iter()
            .enumerate()
            .filter(|(n, _)| n % 2 == half)
            .map(|(_, i)| request(i))
            .collect();
        let options = Options {
            rows: Rows::Several(asked.clone()),
            ..all_options.clone()
        };
        let some = report(&files, &options);
        assert_eq!(some.indicators.len(), all.indicators.len());
        for (n, (a, s)) in all.indicators.iter().zip(&some.indicators).enumerate() {
            assert_eq!(request(a), request(s));
            assert_eq!(
                serde_json::to_value((a.value, a.n, a.count, a.unknown, a.median)).unwrap(),
                serde_json::to_value((s.value, s.n, s.count, s.unknown, s.median)).unwrap(),
                "{} {}",
                a.id,
                a.window
            );
            if n % 2 == half {
                assert_eq!(a.children, s.children, "{} {}", a.id, a.window);
                assert_eq!(a.excluded, s.excluded, "{} {}", a.id, a.window);
            } else {
                assert!(s.children.is_empty() && s.excluded.is_empty());
            }
        }
    }
}

/// `Options::days`: without rows, each figure of days carries its children's days, ascending,
/// exactly those of its rows in the whole report; without the option no figure carries any.
#[test]
fn days_without_rows_are_those_of_the_rows() {
    use care_scorecard::options::Rows;
    let files = load(&["tests/data/synthetic", "tests/fixtures/local-files"]);
    let all = report(&files, &Options::default());
    assert!(all.indicators.iter().all(|i| i.days.is_empty()));
    let options = Options {
        rows: Rows::None,
        days: true,
        ..Options::default()
    };
    let some = report(&files, &options);
    let mut figures_of_days = 0;
    for (a, s) in all.indicators.iter().zip(&some.indicators) {
        assert!(s.children.is_empty());
        let mut days: Vec<i64> = a.children.iter().filter_map(|c| c.days).collect();
        days.sort_unstable();
        if a.unit == "days" {
            figures_of_days += 1;
            assert_eq!(s.days, days, "{} {}", a.id, a.window);
            assert_eq!(s.days.len(), a.n as usize, "{} {}", a.id, a.window);
        } else {
            assert!(s.days.is_empty(), "{} {}", a.id, a.window);
        }
    }
    assert!(figures_of_days > 20, "{figures_of_days} figures of days");
    // The worked example's A1 2015-16 by hand: C1-C5 took 320, 424, 323, 304 and 699 days.
    let worked = load(&["tests/fixtures/worked-example"]);
    let a1 = report(&worked, &options)
        .indicators
        .into_iter()
        .find(|i| i.id == "A1" && i.window == "2015-16")
        .unwrap();
    assert_eq!(a1.days, [304, 320, 323, 424, 699]);
}

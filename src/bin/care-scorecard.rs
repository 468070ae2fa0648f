//! `care-scorecard report [options] FILE...`: the same engine as the page, on the command line.

use care_scorecard::options::{MonthRule, TargetOverride, ThresholdDays};
use care_scorecard::report::{Status, Value};
use care_scorecard::{dates, diagnostic::Severity, Input, Options, Report};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
Usage: care-scorecard report [OPTIONS] FILE...

Computes the DfE Adoption Scorecard indicators (A1, A10, A2, A3) from SSDA903 CSV files
or Excel workbooks (.xlsx, one table per sheet): Header, Episodes, AD1, PlacedAdoption;
any names, several years at once. A directory stands for the CSV and .xlsx files in it.

Options:
  --as-at DD/MM/YYYY      also report the year to date and the 12 and 36 months to this date
  --json                  print the whole report as JSON
  --exclude-waiting       A3 counts adopted children only (not those still waiting)
  --calendar-months       compare waits with calendar months instead of days (14 months = 426 days)
  --rounded-thresholds    month thresholds rounded to the nearest day (609, 122) instead of floor
  --target ID[:WINDOW]=N  your own threshold: A1, A10 or A2 in days, A3 in months;
                          e.g. --target A1=400 or --target A2:2013-16=150
  -h, --help              this help

Exit status: 0 when a report was produced (even with diagnostics), 2 for a usage error,
1 when a file could not be read.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match parse(&args) {
        Ok(Command::Help) => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Ok(Command::Report {
            options,
            json,
            paths,
        }) => report(&options, json, &paths),
        Err(msg) => {
            eprintln!("care-scorecard: {msg}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

enum Command {
    Help,
    Report {
        options: Options,
        json: bool,
        paths: Vec<PathBuf>,
    },
}

fn parse(args: &[String]) -> Result<Command, String> {
    let mut it = args.iter();
    match it.next().map(String::as_str) {
        None | Some("-h") | Some("--help") | Some("help") => return Ok(Command::Help),
        Some("report") => {}
        Some(other) => {
            return Err(format!(
                "unknown command \"{other}\"; the command is `report`"
            ))
        }
    }
    let mut options = Options::default();
    let mut json = false;
    let mut paths = Vec::new();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--json" => json = true,
            "--exclude-waiting" => options.a3_include_waiting = false,
            "--calendar-months" => options.months = MonthRule::Calendar,
            "--rounded-thresholds" => options.thresholds = ThresholdDays::Rounded,
            "--as-at" => {
                let v = it.next().ok_or("--as-at needs a date, as DD/MM/YYYY")?;
                options.as_at = match dates::parse_date(v) {
                    Ok(Some(d)) => Some(d),
                    Ok(None) => return Err("--as-at needs a date, as DD/MM/YYYY".into()),
                    Err(p) => return Err(format!("--as-at: {}", p.message(v))),
                };
            }
            "--target" => {
                let v = it.next().ok_or("--target needs ID=N, e.g. A1=426")?;
                options.targets.push(parse_target(v)?);
            }
            s if s.starts_with('-') => return Err(format!("unknown option \"{s}\"")),
            path => paths.push(PathBuf::from(path)),
        }
    }
    if paths.is_empty() {
        return Err("no files given".into());
    }
    Ok(Command::Report {
        options,
        json,
        paths,
    })
}

fn parse_target(v: &str) -> Result<TargetOverride, String> {
    let (key, value) = v
        .split_once('=')
        .ok_or_else(|| format!("--target \"{v}\": write ID=N, e.g. A1=426"))?;
    let (id, window) = match key.split_once(':') {
        Some((id, w)) => (id, Some(w.to_string())),
        None => (key, None),
    };
    let id = id.trim().to_ascii_uppercase();
    if !["A1", "A10", "A2", "A3"].contains(&id.as_str()) {
        return Err(format!(
            "--target \"{v}\": the indicator must be A1, A10, A2 or A3"
        ));
    }
    let value = value
        .trim()
        .parse()
        .map_err(|_| format!("--target \"{v}\": the value must be a whole number"))?;
    Ok(TargetOverride { id, window, value })
}

fn report(options: &Options, json: bool, paths: &[PathBuf]) -> ExitCode {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for path in paths {
        if let Err(e) = collect(path, &mut files) {
            eprintln!("care-scorecard: {}: {e}", path.display());
            return ExitCode::from(1);
        }
    }
    let inputs: Vec<Input<'_>> = files
        .iter()
        .map(|(name, bytes)| Input { name, bytes })
        .collect();
    let report = care_scorecard::run(&inputs, options);
    if json {
        match serde_json::to_string_pretty(&report) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("care-scorecard: {e}");
                return ExitCode::from(1);
            }
        }
    } else {
        print!("{}", summary(&report));
    }
    ExitCode::SUCCESS
}

/// A directory stands for its `.csv`/`.tsv`/`.txt` files and workbooks, in name order.
fn collect(path: &Path, out: &mut Vec<(String, Vec<u8>)>) -> std::io::Result<()> {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.is_file()
                    && p.extension().and_then(|x| x.to_str()).is_some_and(|x| {
                        ["csv", "tsv", "txt", "xlsx", "xlsm"]
                            .contains(&x.to_ascii_lowercase().as_str())
                    })
            })
            .collect();
        entries.sort();
        for p in entries {
            out.push((p.display().to_string(), std::fs::read(&p)?));
        }
    } else {
        out.push((path.display().to_string(), std::fs::read(path)?));
    }
    Ok(())
}

fn status(s: Status) -> &'static str {
    match s {
        Status::Met => "met",
        Status::NotMet => "not met",
        Status::NoThreshold => "no threshold",
        Status::NoTarget => "no target",
        Status::NoChildren => "no children",
    }
}

fn summary(r: &Report) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let c = &r.counts;
    let _ = writeln!(
        s,
        "{} {}, {} rows read: {} used, {} excluded",
        c.files,
        if c.files == 1 { "file" } else { "files" },
        c.rows_read,
        c.rows_used,
        c.rows_excluded
    );
    for f in &r.files {
        let sheet = f
            .sheet
            .as_deref()
            .map(|n| format!(", sheet {n}"))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "  {}{sheet} [{}: {}] {} read, {} used, {} excluded",
            f.file,
            f.table.unwrap_or("?"),
            f.status,
            f.rows_read,
            f.rows_used,
            f.rows_excluded
        );
    }
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "{:<4} {:<24} {:>7} {:>9} {:>5}  {:<12} {:>5}",
        "Id", "Window", "Value", "Threshold", "Gap", "Status", "n"
    );
    for i in &r.indicators {
        let value = match i.value {
            Some(Value::Days(d)) => d.to_string(),
            Some(Value::Percent(p)) => format!("{p:.1}%"),
            None => "-".into(),
        };
        let threshold = match (i.threshold, i.limit_days) {
            (Some(t), _) => t.to_string(),
            (None, Some(l)) => format!("<{l}d"),
            _ => "-".into(),
        };
        let gap = i
            .gap
            .map(|g| format!("{g:+}"))
            .unwrap_or_else(|| "-".into());
        let n = match i.count {
            Some(k) => format!("{k}/{}", i.n),
            None => i.n.to_string(),
        };
        let _ = writeln!(
            s,
            "{:<4} {:<24} {:>7} {:>9} {:>5}  {:<12} {:>5}",
            i.id,
            i.window,
            value,
            threshold,
            gap,
            status(i.status),
            n
        );
    }
    if !r.excluded.is_empty() {
        let _ = writeln!(
            s,
            "\n{} children left out of one or more indicators:",
            r.excluded.len()
        );
        for x in &r.excluded {
            let when = x
                .date
                .map(dates::uk)
                .unwrap_or_else(|| "date unknown".into());
            let _ = writeln!(
                s,
                "  {} (adopted {when}): {} [{}]",
                x.child,
                x.reason,
                x.indicators.join(", ")
            );
        }
    }
    let errors = r
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = r
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    let _ = writeln!(s, "\nDiagnostics: {errors} errors, {warnings} warnings");
    const SHOWN: usize = 30;
    for d in r
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .take(SHOWN)
    {
        let _ = writeln!(
            s,
            "  {}: {}",
            if d.severity == Severity::Error {
                "error"
            } else {
                "warning"
            },
            d.message
        );
    }
    if errors + warnings > SHOWN {
        let _ = writeln!(
            s,
            "  ... and {} more (see --json)",
            errors + warnings - SHOWN
        );
    }
    s
}

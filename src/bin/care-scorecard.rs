//! `care-scorecard report [options] FILE...`: the same engine as the page, on the command line.

use care_scorecard::options::{FileAuthority, MonthRule, Rows, TargetOverride, ThresholdDays};
use care_scorecard::report::{Status, Value};
use care_scorecard::{dates, diagnostic::Severity, Content, Options, Report};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
Usage: care-scorecard report [OPTIONS] FILE...

Computes the DfE Adoption Scorecard indicators (A1, A10, A2, A3) from SSDA903 CSV files
or Excel workbooks (.xlsx, one table per sheet): Header, Episodes, AD1, PlacedAdoption;
any names, several years at once. A directory stands for the CSV and .xlsx files in it.

Options:
  --as-at DD/MM/YYYY      also report the year to date and the 12 and 36 months to this date
  --json                  print the whole report as JSON (figures, diagnostics, exclusions)
  --children              with --json: every figure also lists its children (large)
  --exclude-waiting       A3 counts adopted children only (not those still waiting)
  --calendar-months       compare waits with calendar months instead of days (14 months = 426 days)
  --rounded-thresholds    month thresholds rounded to the nearest day (609, 122) instead of floor
  --target ID[:WINDOW]=N  your own threshold: A1, A10 or A2 in days, A3 in months,
                          stability-long-term, stability-short-term, stability-two-year or
                          fostering-conversion-enquiry-approval in whole percent;
                          e.g. --target A1=400 or --target A2:2013-16=150
  --authority NAME        the local authority of the files that follow (files with an LA
                          column say it themselves); several authorities are reported
                          each and all together
  --count-same-carer-moves  placement counts include RNE T and U (same carers)
  --fostering-assessment-months N   timely fostering assessment: under N months (default 8)
  --adopter-approval-months N       timely adopter approval: under N months (default 6)
  --fostering-conversion-goal N     enquiry to approval goal, percent (default 10)
  -h, --help              this help

Exit status: 0 when a report was produced (even with diagnostics), 2 for a usage error,
1 when a file could not be read.";

/// A file on disk, read a piece at a time as the engine asks (as the page's worker lends an
/// upload): a big CSV is read as it comes, never held whole.
struct OnDisk {
    file: std::cell::RefCell<std::fs::File>,
    size: usize,
    /// The first error reading it.
    failed: std::cell::Cell<Option<std::io::Error>>,
}

impl OnDisk {
    fn open(path: &Path) -> std::io::Result<OnDisk> {
        let file = std::fs::File::open(path)?;
        let size = usize::try_from(file.metadata()?.len()).unwrap_or(usize::MAX);
        Ok(OnDisk {
            file: std::cell::RefCell::new(file),
            size,
            failed: std::cell::Cell::new(None),
        })
    }
}

impl care_scorecard::input::Pieces for OnDisk {
    fn size(&self) -> usize {
        self.size
    }

    fn read(&self, start: usize, end: usize, into: &mut Vec<u8>) {
        use std::io::{Read as _, Seek as _, SeekFrom};
        let mut file = self.file.borrow_mut();
        let wanted = end.saturating_sub(start) as u64;
        let read = file
            .seek(SeekFrom::Start(start as u64))
            .and_then(|_| (&mut *file).take(wanted).read_to_end(into));
        if let Err(e) = read {
            let first = self.failed.take().unwrap_or(e);
            self.failed.set(Some(first));
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match parse(&args) {
        Ok(Command::Help) => {
            emit(&format!("{USAGE}\n"));
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
        // Boxed: the options are most of the enum's size.
        options: Box<Options>,
        json: bool,
        paths: Vec<(PathBuf, Option<String>)>,
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
    let mut children = false;
    let mut paths = Vec::new();
    let mut authority: Option<String> = None;
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--json" => json = true,
            "--children" => children = true,
            "--exclude-waiting" => options.a3_include_waiting = false,
            "--calendar-months" => options.months = MonthRule::Calendar,
            "--rounded-thresholds" => options.thresholds = ThresholdDays::Rounded,
            "--count-same-carer-moves" => options.count_same_carer_moves = true,
            "--fostering-assessment-months" => {
                options.fostering_assessment_months = number(it.next(), arg)?
            }
            "--adopter-approval-months" => {
                options.adopter_approval_months = number(it.next(), arg)?
            }
            "--fostering-conversion-goal" => {
                options.fostering_conversion_goal = number(it.next(), arg)?
            }
            "--authority" => {
                authority = Some(it.next().ok_or("--authority needs a name")?.to_string());
            }
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
            path => paths.push((PathBuf::from(path), authority.clone())),
        }
    }
    if paths.is_empty() {
        return Err("no files given".into());
    }
    // The text report prints figures; --json carries every figure's child rows only when asked
    // (a national data set has millions of them).
    if !(json && children) {
        options.rows = Rows::None;
    }
    Ok(Command::Report {
        options: Box::new(options),
        json,
        paths,
    })
}

/// Writes to standard output; a reader that stops early (`| head`) is not an error.
fn emit(text: &str) {
    use std::io::Write as _;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

fn number(v: Option<&String>, option: &str) -> Result<u32, String> {
    v.and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| format!("{option} needs a whole number"))
}

/// Indicators whose threshold or target the user may set.
const SETTABLE: &[&str] = &[
    "A1",
    "A10",
    "A2",
    "A3",
    "stability-long-term",
    "stability-short-term",
    "stability-two-year",
    "fostering-conversion-enquiry-approval",
];

fn parse_target(v: &str) -> Result<TargetOverride, String> {
    let (key, value) = v
        .split_once('=')
        .ok_or_else(|| format!("--target \"{v}\": write ID=N, e.g. A1=426"))?;
    let (id, window) = match key.split_once(':') {
        Some((id, w)) => (id, Some(w.to_string())),
        None => (key, None),
    };
    let id = id.trim();
    let Some(id) = SETTABLE
        .iter()
        .find(|s| s.eq_ignore_ascii_case(id))
        .map(|s| s.to_string())
    else {
        return Err(format!(
            "--target \"{v}\": the indicator must be one of {}",
            SETTABLE.join(", ")
        ));
    };
    let value = value
        .trim()
        .parse()
        .map_err(|_| format!("--target \"{v}\": the value must be a whole number"))?;
    Ok(TargetOverride { id, window, value })
}

fn report(options: &Options, json: bool, paths: &[(PathBuf, Option<String>)]) -> ExitCode {
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    let mut options = options.clone();
    for (path, authority) in paths {
        let before = files.len();
        if let Err(e) = collect(path, &mut files) {
            eprintln!("care-scorecard: {}: {e}", path.display());
            return ExitCode::from(1);
        }
        if let Some(la) = authority {
            for (name, _) in &files[before..] {
                options.authorities.push(FileAuthority {
                    file: name.clone(),
                    la: la.clone(),
                });
            }
        }
    }
    let options = &options;
    // Each file is read from disk only while the engine reads it, as the page's worker lends
    // them: the files are never all held beside the records.
    let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    let mut failed: Option<String> = None;
    let mut lend = |i: usize, read: &mut dyn FnMut(Content<'_>)| {
        let (name, path) = &files[i];
        match OnDisk::open(path) {
            Ok(file) => {
                read(Content::Pieces(&file));
                if let Some(e) = file.failed.take() {
                    failed.get_or_insert(format!("{name}: {e}"));
                }
            }
            Err(e) => {
                failed.get_or_insert(format!("{name}: {e}"));
                read(Content::Bytes(&[]));
            }
        }
    };
    let report = care_scorecard::run_lent(&names, &mut lend, options, &mut |_| {});
    if let Some(message) = failed {
        eprintln!("care-scorecard: {message}");
        return ExitCode::from(1);
    }
    if json {
        // Written as it is made: at 1M episodes the JSON is 22 MB, not worth building as one
        // string first. A write error (a closed pipe) is ignored, as `emit` ignores it.
        use std::io::Write as _;
        let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        match serde_json::to_writer_pretty(&mut out, &report) {
            Ok(()) => {
                let _ = out.write_all(b"\n").and_then(|()| out.flush());
            }
            Err(e) if e.is_io() => {}
            Err(e) => {
                eprintln!("care-scorecard: {e}");
                return ExitCode::from(1);
            }
        }
    } else {
        emit(&summary(&report));
    }
    // The process ends here: its memory goes back whole, so the report's million small parts
    // are not freed one by one first (about 0.05 s at 1M episodes).
    std::mem::forget(report);
    ExitCode::SUCCESS
}

/// A directory stands for its `.csv`/`.tsv`/`.txt` files and workbooks, in name order.
fn collect(path: &Path, out: &mut Vec<(String, PathBuf)>) -> std::io::Result<()> {
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
            std::fs::File::open(&p)?;
            out.push((p.display().to_string(), p));
        }
    } else {
        std::fs::File::open(path)?;
        out.push((path.display().to_string(), path.to_path_buf()));
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
    // One table per section (and authority), in the engine's order: latest windows first.
    let mut sections: Vec<(Option<&str>, &str)> = Vec::new();
    for i in &r.indicators {
        let key = (i.la.as_deref(), i.group);
        if !sections.contains(&key) {
            sections.push(key);
        }
    }
    for (la, group) in sections {
        let rows: Vec<&care_scorecard::report::IndicatorResult> = r
            .indicators
            .iter()
            .filter(|i| i.la.as_deref() == la && i.group == group)
            .collect();
        let label = |i: &care_scorecard::report::IndicatorResult| match &i.category {
            Some(c) => format!("{} [{c}]", i.id),
            None => i.id.to_string(),
        };
        let id_width = rows
            .iter()
            .map(|i| label(i).len())
            .max()
            .unwrap_or(2)
            .max(2);
        let _ = writeln!(s);
        match la {
            Some(la) => {
                let _ = writeln!(s, "{group} ({la})");
            }
            None => {
                let _ = writeln!(s, "{group}");
            }
        }
        let _ = writeln!(
            s,
            "{:<id_width$} {:<24} {:>14} {:>9} {:>6}  {:<12} {:>9}",
            "Id", "Window", "Value", "Threshold", "Gap", "Status", "n"
        );
        for i in rows {
            let mut value = match i.value {
                Some(Value::Days(d)) => d.to_string(),
                Some(Value::Percent(p)) => format!("{p:.1}%"),
                Some(Value::Count(c)) => c.to_string(),
                Some(Value::Ratio(r)) => format!("{r:.2}"),
                None => "-".into(),
            };
            if let Some(p) = i.percent {
                value = format!("{value} ({p:.1}%)");
            }
            let threshold = match (i.threshold, i.limit_days, &i.target) {
                (Some(t), _, _) => t.to_string(),
                (None, _, Some(t)) => format!(
                    "{}{:.0}%",
                    if t.direction == "at most" { "<=" } else { ">=" },
                    t.value
                ),
                (None, Some(l), None) => format!("<{l}d"),
                _ => "-".into(),
            };
            let gap = match (i.gap, i.gap_points) {
                (Some(g), _) => format!("{g:+}"),
                (None, Some(p)) => format!("{p:+.1}"),
                _ => "-".into(),
            };
            let n = match i.count {
                Some(k) if i.unit != "count" => format!("{k}/{}", i.n),
                _ => i.n.to_string(),
            };
            let _ = writeln!(
                s,
                "{:<id_width$} {:<24} {:>14} {:>9} {:>6}  {:<12} {:>9}",
                label(i),
                i.window,
                value,
                threshold,
                gap,
                status(i.status),
                n
            );
        }
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

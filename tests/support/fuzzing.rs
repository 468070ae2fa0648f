//! Shared by the fuzz targets (`fuzz/fuzz_targets/`) and `tests/robustness.rs`: turning a fuzzer's
//! bytes into files, either raw or as structured mutations of the valid fixtures, and checking the
//! invariants every report must keep whatever it was given.
//!
//! No dependencies beyond the engine and serde_json, so the same code runs under libFuzzer (nightly)
//! and as an ordinary `cargo test` on stable with a seeded generator.
#![allow(dead_code)]

use care_scorecard::options::{MonthRule, TargetOverride, ThresholdDays};
use care_scorecard::{Input, Options, Report};
use chrono::NaiveDate;

/// One file handed to the engine, owned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Runs the engine over `files` and checks the report's invariants; panics (which the fuzzer
/// records as a crash) when one fails.
pub fn run_and_check(files: &[File], options: &Options) -> Report {
    let inputs: Vec<Input<'_>> = files
        .iter()
        .map(|f| Input {
            name: &f.name,
            bytes: &f.bytes,
        })
        .collect();
    let report = care_scorecard::run(&inputs, options);
    if let Err(broken) = check(files, &report) {
        panic!("invariant broken: {broken}");
    }
    // The same files read as they stream in, as the page and the command line give them, in
    // pieces of a few bytes (a size of 1 to 17, from the files): the same report.
    let total: usize = files.iter().map(|f| f.bytes.len()).sum();
    let in_pieces = run_in_pieces(files, 1 + total % 17, options);
    let json = |r: &Report| serde_json::to_string(r).expect("the report serialises");
    if json(&in_pieces) != json(&report) {
        panic!("the files read in pieces give another report");
    }
    report
}

/// Bytes given a piece at a time, as the page's worker and the command line give files: never
/// more than `self.1` bytes at once, whatever is asked for.
pub struct Slice<'a>(pub &'a [u8], pub usize);

impl care_scorecard::input::Pieces for Slice<'_> {
    fn size(&self) -> usize {
        self.0.len()
    }
    fn read(&self, start: usize, end: usize, into: &mut Vec<u8>) {
        let end = end.min(start.saturating_add(self.1)).min(self.0.len());
        into.extend_from_slice(&self.0[start.min(end)..end]);
    }
}

/// The report over `files` given in pieces of `piece` bytes.
pub fn run_in_pieces(files: &[File], piece: usize, options: &Options) -> Report {
    use care_scorecard::Content;
    let pieces: Vec<Slice> = files.iter().map(|f| Slice(&f.bytes, piece)).collect();
    let given: Vec<care_scorecard::File> = (files.iter().zip(&pieces))
        .map(|(f, p)| care_scorecard::File {
            name: &f.name,
            content: Content::Pieces(p),
        })
        .collect();
    care_scorecard::run_files(&given, options, &mut |_| {})
}

/// The invariants: every file accounted for row by row, every diagnostic located in a file that was
/// given and worded from its location, the figures self-consistent, and the JSON serialisable.
pub fn check(files: &[File], r: &Report) -> Result<(), String> {
    if r.files.len() != files.len() {
        return Err(format!(
            "{} files in, {} summaries",
            files.len(),
            r.files.len()
        ));
    }
    // Line breaks per file (CR, LF or both count): a spreadsheet row is at least one line.
    let lines: Vec<u64> = files
        .iter()
        .map(|f| {
            f.bytes
                .iter()
                .filter(|&&b| b == b'\n' || b == b'\r')
                .count() as u64
                + 1
        })
        .collect();
    for (i, (f, s)) in files.iter().zip(&r.files).enumerate() {
        // A name given twice is told apart (`a.csv (2)`), so each diagnostic points to one file.
        if !s.file.starts_with(&f.name) || r.files[..i].iter().any(|t| t.file == s.file) {
            return Err(format!(
                "summary {:?} for the file given as {:?}",
                s.file, f.name
            ));
        }
        if s.rows_read != s.rows_used + s.rows_excluded {
            return Err(format!(
                "{}: rows read {} != used {} + excluded {}",
                s.file, s.rows_read, s.rows_used, s.rows_excluded
            ));
        }
        let by_reason: u32 = s.excluded_by_reason.iter().map(|x| x.rows).sum();
        if by_reason != s.rows_excluded {
            return Err(format!(
                "{}: excluded {} but the reasons add up to {by_reason}",
                s.file, s.rows_excluded
            ));
        }
        // A spreadsheet row is at least one line: rows can never outnumber the line breaks.
        let lines = lines[i];
        if u64::from(s.rows_read) > lines {
            return Err(format!(
                "{}: {} rows read from {lines} lines",
                s.file, s.rows_read
            ));
        }
    }
    let sum = |g: fn(&care_scorecard::schema::FileSummary) -> u32| -> u64 {
        r.files.iter().map(|f| u64::from(g(f))).sum()
    };
    let c = &r.counts;
    if (c.files, c.rows_read, c.rows_used, c.rows_excluded)
        != (
            files.len(),
            sum(|f| f.rows_read),
            sum(|f| f.rows_used),
            sum(|f| f.rows_excluded),
        )
    {
        return Err(format!("counts {c:?} disagree with the files"));
    }
    for d in &r.diagnostics {
        let Some(i) = r.files.iter().position(|s| s.file == d.file) else {
            return Err(format!("diagnostic for a file not given: {d:?}"));
        };
        let mut prefix = d.file.clone();
        if let Some(sheet) = &d.sheet {
            prefix.push_str(&format!(", sheet {sheet}"));
        }
        if let Some(row) = d.row {
            prefix.push_str(&format!(", row {row}"));
        }
        if let Some(column) = &d.column {
            prefix.push_str(&format!(", {column}"));
        }
        prefix.push_str(": ");
        if !d.message.starts_with(&prefix) {
            return Err(format!("message does not start {prefix:?}: {d:?}"));
        }
        if d.message.len() <= prefix.len() + 10 {
            return Err(format!("message says nothing: {d:?}"));
        }
        // Located: a problem with the file as a whole names only the file; any other names the
        // row and the column.
        if FILE_LEVEL.contains(&d.code) {
            if d.row.is_some() {
                return Err(format!("file-level problem with a row: {d:?}"));
            }
        } else if d.row.is_none() || d.column.is_none() {
            return Err(format!("not located to a row and column: {d:?}"));
        }
        if d.column.is_some() != d.column_letter.is_some() {
            return Err(format!("column without its letter: {d:?}"));
        }
        if d.value.as_ref().is_some_and(|v| v.chars().count() > 41) {
            return Err(format!("value not cut short: {d:?}"));
        }
        if d.child.as_ref().is_some_and(|c| c.trim().is_empty()) {
            return Err(format!("blank child named: {d:?}"));
        }
        let lines = lines[i];
        if d.row.is_some_and(|row| row == 0 || u64::from(row) > lines) {
            return Err(format!("row outside the file ({lines} lines): {d:?}"));
        }
    }
    // The children-behind-the-mean invariants hold for the scorecard and its breakdowns; counts,
    // rates (a numerator over another count) and stocks have their own shapes.
    for i in r
        .indicators
        .iter()
        .filter(|i| i.group == "Adoption scorecard" || i.group == "Hard to place")
    {
        if u64::from(i.n) != i.children.len() as u64 {
            return Err(format!(
                "{} {}: n {} but {} children",
                i.id,
                i.window,
                i.n,
                i.children.len()
            ));
        }
        if i.value.is_some() && i.n == 0 {
            return Err(format!("{} {}: a value without children", i.id, i.window));
        }
        if i.unit == "days" && i.value.is_some() != (i.n > 0) {
            return Err(format!("{} {}: children without a value", i.id, i.window));
        }
        if i.children
            .iter()
            .any(|c| c.days.is_some_and(|d| d < 0) && i.unit == "days")
        {
            return Err(format!("{} {}: negative days", i.id, i.window));
        }
        if let (Some(min), Some(max)) = (i.min, i.max) {
            let median = i.median.unwrap_or(min as f64);
            if min > max || median < min as f64 || median > max as f64 {
                return Err(format!(
                    "{} {}: min {min} median {median} max {max}",
                    i.id, i.window
                ));
            }
        }
        if i.count.is_some_and(|k| k > i.n) {
            return Err(format!("{} {}: count above n", i.id, i.window));
        }
    }
    serde_json::to_string(r).map_err(|e| format!("JSON: {e}"))?;
    Ok(())
}

/// Diagnostics about a whole file, located by the file alone.
pub const FILE_LEVEL: &[&str] = &[
    "file-empty",
    "file-not-text",
    "file-workbook",
    "file-malformed",
    "table-unrecognised",
    "table-not-needed",
    "column-missing",
    "file-no-rows",
];

/// Reads choices from the fuzzer's bytes; once they run out every choice is 0, so any input is
/// a valid recipe.
pub struct Choices<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Choices<'a> {
    pub fn new(data: &'a [u8]) -> Choices<'a> {
        Choices { data, pos: 0 }
    }

    pub fn byte(&mut self) -> u8 {
        let b = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        let v = usize::from(u16::from_le_bytes([self.byte(), self.byte()]));
        if n == 0 {
            0
        } else {
            v % n
        }
    }

    pub fn done(&self) -> bool {
        self.pos >= self.data.len()
    }

    /// Up to `n` of the remaining bytes, as they are.
    pub fn take(&mut self, n: usize) -> &'a [u8] {
        let start = self.pos.min(self.data.len());
        let end = start.saturating_add(n).min(self.data.len());
        self.pos = end;
        &self.data[start..end]
    }
}

/// File names worth trying: the engine puts them at the start of every message.
const NAMES: &[&str] = &[
    "episodes.csv",
    "pasted table",
    "",
    "a, \"b\".csv",
    "ÉPISODES 2015.CSV",
    "x.xlsx",
];

/// Raw mode: the bytes as one to four files (and, separately, as pasted text).
pub fn raw_files(data: &[u8]) -> Vec<File> {
    let mut c = Choices::new(data);
    let head = c.byte();
    let n = 1 + usize::from(head % 4);
    let mut files = Vec::with_capacity(n);
    for i in 0..n {
        let remaining = data.len().saturating_sub(c.pos.min(data.len()));
        let len = if i + 1 == n {
            remaining
        } else {
            c.below(remaining + 1)
        };
        let name = NAMES[(usize::from(head / 4) + i) % NAMES.len()].to_string();
        let name = if i > 0 && files.iter().any(|f: &File| f.name == name) {
            format!("{i}{name}")
        } else {
            name
        };
        files.push(File {
            name,
            bytes: c.take(len).to_vec(),
        });
    }
    files
}

/// The same bytes as text pasted into the page (the page sends pasted text as UTF-8).
pub fn pasted(data: &[u8]) -> File {
    File {
        name: "pasted table".to_string(),
        bytes: String::from_utf8_lossy(data).into_owned().into_bytes(),
    }
}

/// Options from a few bytes: an as-at date anywhere a four-digit year reaches, and the rest.
pub fn options(c: &mut Choices<'_>) -> Options {
    let flags = c.byte();
    let mut o = Options::default();
    if flags & 1 != 0 {
        let year = match c.byte() % 4 {
            0 => 0,
            1 => 9999,
            _ => 2005 + c.below(20) as i32,
        };
        o.as_at = NaiveDate::from_yo_opt(year, 1 + c.below(366) as u32)
            .or(NaiveDate::from_ymd_opt(year, 12, 31));
    }
    o.a3_include_waiting = flags & 2 == 0;
    o.months = if flags & 4 == 0 {
        MonthRule::Days
    } else {
        MonthRule::Calendar
    };
    o.thresholds = if flags & 8 == 0 {
        ThresholdDays::Floor
    } else {
        ThresholdDays::Rounded
    };
    if flags & 16 != 0 {
        let id = ["A1", "A10", "A2", "A3", "a1", "X9"][c.below(6)];
        let value = match c.byte() % 3 {
            0 => 0,
            1 => u32::MAX,
            _ => c.below(1000) as u32,
        };
        let window = [None, Some("2015-16"), Some("2013-16"), Some("")][c.below(4)];
        o.targets.push(TargetOverride {
            id: id.to_string(),
            window: window.map(str::to_string),
            value,
        });
    }
    o
}

// --- Structured mode: mutations of the valid fixtures -------------------------------------------

type Fixture = &'static [(&'static str, &'static [u8])];

const WORKED_EXAMPLE: Fixture = &[
    (
        "episodes.csv",
        include_bytes!("../fixtures/worked-example/episodes.csv"),
    ),
    (
        "ad1.csv",
        include_bytes!("../fixtures/worked-example/ad1.csv"),
    ),
    (
        "header.csv",
        include_bytes!("../fixtures/worked-example/header.csv"),
    ),
    (
        "placed_adoption.csv",
        include_bytes!("../fixtures/worked-example/placed_adoption.csv"),
    ),
];

const SYNTHETIC: Fixture = &[
    (
        "episodes.csv",
        include_bytes!("../data/synthetic/episodes.csv"),
    ),
    ("ad1.csv", include_bytes!("../data/synthetic/ad1.csv")),
    ("header.csv", include_bytes!("../data/synthetic/header.csv")),
    (
        "placed_adoption.csv",
        include_bytes!("../data/synthetic/placed_adoption.csv"),
    ),
];

const YEARLY: Fixture = &[
    (
        "2013/episodes.csv",
        include_bytes!("../data/synthetic-yearly/2013/episodes.csv"),
    ),
    (
        "2013/ad1.csv",
        include_bytes!("../data/synthetic-yearly/2013/ad1.csv"),
    ),
    (
        "2013/placed_adoption.csv",
        include_bytes!("../data/synthetic-yearly/2013/placed_adoption.csv"),
    ),
    (
        "2014/episodes.csv",
        include_bytes!("../data/synthetic-yearly/2014/episodes.csv"),
    ),
    (
        "2014/ad1.csv",
        include_bytes!("../data/synthetic-yearly/2014/ad1.csv"),
    ),
    (
        "2014/placed_adoption.csv",
        include_bytes!("../data/synthetic-yearly/2014/placed_adoption.csv"),
    ),
    (
        "2015/episodes.csv",
        include_bytes!("../data/synthetic-yearly/2015/episodes.csv"),
    ),
    (
        "2015/ad1.csv",
        include_bytes!("../data/synthetic-yearly/2015/ad1.csv"),
    ),
    (
        "2015/placed_adoption.csv",
        include_bytes!("../data/synthetic-yearly/2015/placed_adoption.csv"),
    ),
    (
        "2016/episodes.csv",
        include_bytes!("../data/synthetic-yearly/2016/episodes.csv"),
    ),
    (
        "2016/ad1.csv",
        include_bytes!("../data/synthetic-yearly/2016/ad1.csv"),
    ),
    (
        "2016/placed_adoption.csv",
        include_bytes!("../data/synthetic-yearly/2016/placed_adoption.csv"),
    ),
    (
        "2016/header.csv",
        include_bytes!("../data/synthetic-yearly/2016/header.csv"),
    ),
];

const EDGE_CASES: Fixture = &[
    (
        "d1/episodes.csv",
        include_bytes!("../fixtures/edge-cases/d1/episodes.csv"),
    ),
    (
        "d1/ad1.csv",
        include_bytes!("../fixtures/edge-cases/d1/ad1.csv"),
    ),
    (
        "d1/placed_adoption.csv",
        include_bytes!("../fixtures/edge-cases/d1/placed_adoption.csv"),
    ),
    (
        "d2/episodes.csv",
        include_bytes!("../fixtures/edge-cases/d2/episodes.csv"),
    ),
    (
        "d2/placed_adoption.csv",
        include_bytes!("../fixtures/edge-cases/d2/placed_adoption.csv"),
    ),
];

const PEERS: Fixture = &[
    (
        "episodes.csv",
        include_bytes!("../fixtures/peers/d2i-csc-validator-be-903/fake_data/episodes.csv"),
    ),
    (
        "ad1.csv",
        include_bytes!("../fixtures/peers/d2i-csc-validator-be-903/fake_data/ad1.csv"),
    ),
    (
        "header.csv",
        include_bytes!("../fixtures/peers/d2i-csc-validator-be-903/fake_data/header.csv"),
    ),
    (
        "placed_for_adoption.csv",
        include_bytes!(
            "../fixtures/peers/d2i-csc-validator-be-903/fake_data/placed_for_adoption.csv"
        ),
    ),
    (
        "sw_episodes.csv",
        include_bytes!("../fixtures/peers/d2i-csc-validator-be-903/fake_data/sw_episodes.csv"),
    ),
    (
        "reviews.csv",
        include_bytes!("../fixtures/peers/d2i-csc-validator-be-903/fake_data/reviews.csv"),
    ),
];

const FIXTURES: &[Fixture] = &[WORKED_EXAMPLE, SYNTHETIC, YEARLY, EDGE_CASES, PEERS];

/// Cell values that reach the engine's branches: dates right and wrong, every code that changes a
/// figure, codes nearly right, and text that trips readers.
const VALUES: &[&str] = &[
    "",
    " ",
    "31/02/2023",
    "29/02/2015",
    "29/02/2016",
    "01/13/2015",
    "00/01/2015",
    "01/02/15",
    "2015-04-01",
    "1/4/2015",
    "01-04-2015",
    "01.04.2015",
    "2015-04-01 00:00:00",
    "2015-04-01T00:00",
    "42370",
    "31/12/9999",
    "01/01/0000",
    "01/01/1900",
    "31/03/2016",
    "01/04/2015",
    "32/01/2015",
    "S",
    "L",
    "P",
    "T",
    "B",
    "U",
    "s",
    "X",
    "C1",
    "C2",
    "E1",
    "D1",
    "V2",
    "V3",
    "V4",
    "J1",
    "c2",
    "A3",
    "A4",
    "A5",
    "A6",
    "U1",
    "U4",
    "U5",
    "U6",
    "Q1",
    "Q2",
    "T0",
    "T4",
    "R1",
    "a6",
    "Z9",
    "PR0",
    "PR1",
    "PR4",
    "X1",
    "E11",
    "E12",
    "E2",
    "E4A",
    "E45",
    "e11",
    " X1 ",
    "E99",
    "N1",
    "N2",
    "N9",
    "RD1",
    "RD4",
    "RD9",
    "1",
    "2",
    "0",
    "1.0",
    "0.0",
    "9",
    "-1",
    "WBRI",
    "REFU",
    "C1 ",
    "c1",
    "C 1",
    "1234.0",
    "\"",
    "\"\"",
    "a,b",
    "a;b",
    "a\tb",
    "line\nbreak",
    "cr\rhere",
    "\u{FEFF}",
    "é",
    "£5",
    "\u{0}",
    "\u{FFFD}",
    "💥",
    "=1+1",
    "NULL",
    "N/A",
    "#N/A",
];

/// Header names worth trying in the place of another.
const HEADERS: &[&str] = &[
    "CHILD",
    "DECOM",
    "RNE",
    "LS",
    "CIN",
    "PLACE",
    "PLACE_PROVIDER",
    "DEC",
    "REC",
    "URN",
    "SEX",
    "DOB",
    "ETHNIC",
    "UPN",
    "DATE_INT",
    "DATE_MATCH",
    "FOSTER_CARE",
    "DATE_PLACED",
    "DATE_PLACED_CEASED",
    "REASON_PLACED_CEASED",
    "REVIEW",
    "DUC",
    "MIS_START",
    "SW_ID",
    "",
    "child",
    " Dec ",
    "LA",
    "YEAR",
    "\u{FEFF}CHILD",
];

#[derive(Debug, Clone, Copy)]
enum Quote {
    AsNeeded,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy)]
enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Windows1252,
}

/// A file as rows of cells, with the way it will be written.
#[derive(Debug, Clone)]
struct Sheet {
    name: String,
    rows: Vec<Vec<String>>,
    separator: char,
    quote: Quote,
    line_end: &'static str,
    encoding: Encoding,
    blank_lines_after: usize,
    /// Byte edits after writing: (position, edit).
    byte_edits: Vec<(usize, ByteEdit)>,
}

#[derive(Debug, Clone, Copy)]
enum ByteEdit {
    Insert(u8),
    Flip(u8),
    Truncate,
}

fn parse_fixture(name: &str, bytes: &[u8]) -> Sheet {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_start_matches('\u{FEFF}');
    let rows = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            l.trim_end_matches('\r')
                .split(',')
                .map(str::to_string)
                .collect()
        })
        .collect();
    Sheet {
        name: name.to_string(),
        rows,
        separator: ',',
        quote: Quote::AsNeeded,
        line_end: "\n",
        encoding: Encoding::Utf8,
        blank_lines_after: 0,
        byte_edits: Vec::new(),
    }
}

fn write_sheet(s: &Sheet) -> Vec<u8> {
    let mut text = String::new();
    for row in &s.rows {
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                text.push(s.separator);
            }
            let needs = cell.contains(s.separator)
                || cell.contains('"')
                || cell.contains('\n')
                || cell.contains('\r');
            match (s.quote, needs) {
                (Quote::Always, _) | (Quote::AsNeeded, true) => {
                    text.push('"');
                    text.push_str(&cell.replace('"', "\"\""));
                    text.push('"');
                }
                _ => text.push_str(cell),
            }
        }
        text.push_str(s.line_end);
    }
    for _ in 0..s.blank_lines_after {
        text.push_str(s.line_end);
    }
    let mut bytes = match s.encoding {
        Encoding::Utf8 => text.into_bytes(),
        Encoding::Utf8Bom => [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat(),
        Encoding::Utf16Le => [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect(),
        Encoding::Utf16Be => [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect(),
        Encoding::Windows1252 => text
            .chars()
            .map(|ch| match ch {
                '€' => 0x80,
                '’' => 0x92,
                c if (c as u32) < 0x100 => c as u32 as u8,
                _ => b'?',
            })
            .collect(),
    };
    for &(at, edit) in &s.byte_edits {
        let at = if bytes.is_empty() {
            0
        } else {
            at % (bytes.len() + 1)
        };
        match edit {
            ByteEdit::Insert(b) => bytes.insert(at, b),
            ByteEdit::Flip(mask) => {
                if let Some(b) = bytes.get_mut(at) {
                    *b ^= mask.max(1);
                }
            }
            ByteEdit::Truncate => bytes.truncate(at),
        }
    }
    bytes
}

/// Keeps the header and the rows of the chosen children, so each run stays small and every table
/// still describes the same children.
/// A fixture read once: its sheets, and for each data row the index of its child in order of
/// first appearance (so a run can keep a range of children cheaply).
struct Parsed {
    sheets: Vec<Sheet>,
    children: usize,
    child_of_row: Vec<Vec<usize>>,
}

fn parsed(i: usize) -> &'static Parsed {
    static PARSED: std::sync::OnceLock<Vec<Parsed>> = std::sync::OnceLock::new();
    let all = PARSED.get_or_init(|| {
        FIXTURES
            .iter()
            .map(|f| {
                let sheets: Vec<Sheet> = f.iter().map(|(n, b)| parse_fixture(n, b)).collect();
                let mut index = std::collections::HashMap::new();
                let child_of_row = sheets
                    .iter()
                    .map(|s| {
                        s.rows
                            .iter()
                            .map(|r| {
                                let child = r.first().cloned().unwrap_or_default();
                                let next = index.len();
                                *index.entry(child).or_insert(next)
                            })
                            .collect()
                    })
                    .collect();
                Parsed {
                    sheets,
                    children: index.len(),
                    child_of_row,
                }
            })
            .collect()
    });
    &all[i % all.len()]
}

/// The header and the rows of a few children of a fixture, so each run stays small and every table
/// still describes the same children.
fn some_children(base: &Parsed, c: &mut Choices<'_>) -> Vec<Sheet> {
    let (start, end) = if base.children <= 12 && c.byte() % 2 == 0 {
        (0, usize::MAX)
    } else {
        let start = c.below(base.children);
        (start, start + 1 + c.below(16))
    };
    base.sheets
        .iter()
        .zip(&base.child_of_row)
        .map(|(s, children)| Sheet {
            rows: s
                .rows
                .iter()
                .zip(children)
                .enumerate()
                .filter(|(i, (_, &child))| *i == 0 || (start..end).contains(&child))
                .map(|(_, (r, _))| r.clone())
                .collect(),
            ..s.clone_empty()
        })
        .collect()
}

impl Sheet {
    fn clone_empty(&self) -> Sheet {
        Sheet {
            name: self.name.clone(),
            rows: Vec::new(),
            separator: self.separator,
            quote: self.quote,
            line_end: self.line_end,
            encoding: self.encoding,
            blank_lines_after: self.blank_lines_after,
            byte_edits: self.byte_edits.clone(),
        }
    }
}

fn shift_date(cell: &str, days: i64) -> Option<String> {
    let d = care_scorecard::dates::parse_date(cell).ok()??;
    let shifted = d.checked_add_signed(chrono::Duration::days(days))?;
    Some(care_scorecard::dates::uk(shifted))
}

/// Structured mode: a fixture, cut to a few children, then up to 48 mutations of its cells, rows,
/// columns, files, separators, quoting, line ends, encodings and bytes.
pub fn mutated_files(data: &[u8]) -> (Vec<File>, Options) {
    let mut c = Choices::new(data);
    let base = parsed(c.below(FIXTURES.len()));
    let mut sheets = some_children(base, &mut c);
    let options = options(&mut c);
    let ops = c.byte() % 48;
    for _ in 0..ops {
        if c.done() || sheets.is_empty() {
            break;
        }
        mutate(&mut sheets, &mut c);
    }
    let files = sheets
        .iter()
        .map(|s| File {
            name: s.name.clone(),
            bytes: write_sheet(s),
        })
        .collect();
    (files, options)
}

fn mutate(sheets: &mut Vec<Sheet>, c: &mut Choices<'_>) {
    let op = c.byte() % 34;
    let fi = c.below(sheets.len());
    let other = c.below(sheets.len());
    let s = &mut sheets[fi];
    let nrows = s.rows.len();
    let ri = c.below(nrows);
    let width = s.rows.get(ri).map_or(0, Vec::len);
    let ci = c.below(width.max(1));
    fn at(s: &mut Sheet, ri: usize, ci: usize) -> Option<&mut String> {
        s.rows.get_mut(ri).and_then(|r| r.get_mut(ci))
    }
    match op {
        0 => {
            if let Some(x) = at(s, ri, ci) {
                x.clear();
            }
        }
        1..=4 => {
            let v = VALUES[c.below(VALUES.len())].to_string();
            if let Some(x) = at(s, ri, ci) {
                *x = v;
            }
        }
        5 | 6 => {
            let days = c.below(1500) as i64 - 750;
            let days = if c.byte() % 4 == 0 { days / 100 } else { days };
            if let Some(x) = at(s, ri, ci) {
                if let Some(v) = shift_date(x, days) {
                    *x = v;
                }
            }
        }
        7 => {
            let from = c.below(nrows.max(1));
            let v = s.rows.get(from).and_then(|r| r.get(ci)).cloned();
            if let (Some(v), Some(x)) = (v, at(s, ri, ci)) {
                *x = v;
            }
        }
        8 => {
            let len = 1 + c.below(24);
            let raw = String::from_utf8_lossy(c.take(len)).into_owned();
            if let Some(x) = at(s, ri, ci) {
                *x = raw;
            }
        }
        9 => {
            let how = c.byte() % 5;
            if let Some(x) = at(s, ri, ci) {
                *x = match how {
                    0 => x.to_lowercase(),
                    1 => format!("  {x} "),
                    2 => format!("{x}.0"),
                    3 => format!("\"{x}"),
                    _ => x.repeat(2),
                };
            }
        }
        10 => {
            if ri < s.rows.len() && (ri > 0 || c.byte() % 8 == 0) {
                s.rows.remove(ri);
            }
        }
        11 => {
            if let Some(r) = s.rows.get(ri).cloned() {
                let at = 1 + c.below(nrows);
                s.rows.insert(at.min(s.rows.len()), r);
            }
        }
        12 => {
            if let Some(r) = s.rows.get(ri.max(1)).cloned() {
                let to = &mut sheets[other];
                let at = (1 + c.below(to.rows.len())).min(to.rows.len());
                to.rows.insert(at, r);
            }
        }
        13 => {
            let k = 1 + c.below(width.max(1));
            if let Some(r) = s.rows.get_mut(ri) {
                r.truncate(r.len().saturating_sub(k));
            }
        }
        14 => {
            let k = 1 + c.below(4);
            let v = VALUES[c.below(VALUES.len())].to_string();
            if let Some(r) = s.rows.get_mut(ri) {
                for _ in 0..k {
                    r.push(v.clone());
                }
            }
        }
        15 => {
            for r in &mut s.rows {
                if ci < r.len() {
                    r.remove(ci);
                }
            }
        }
        16 => {
            let at = c.below(width + 1);
            for r in &mut s.rows {
                if let Some(v) = r.get(ci).cloned() {
                    r.insert(at.min(r.len()), v);
                }
            }
        }
        17 | 18 => {
            let h = HEADERS[c.below(HEADERS.len())].to_string();
            if let Some(x) = s.rows.first_mut().and_then(|r| r.get_mut(ci)) {
                *x = h;
            }
        }
        19 => {
            let cj = c.below(width.max(1));
            for r in &mut s.rows {
                if ci < r.len() && cj < r.len() {
                    r.swap(ci, cj);
                }
            }
        }
        20 => {
            let at = c.below(nrows + 1);
            s.rows.insert(at.min(s.rows.len()), Vec::new());
        }
        21 => s.separator = [',', ';', '\t', '|', ' '][c.below(5)],
        22 => s.quote = [Quote::AsNeeded, Quote::Always, Quote::Never][c.below(3)],
        23 => s.line_end = ["\n", "\r\n", "\r", "\n\r", "\r\r\n"][c.below(5)],
        24 => {
            s.encoding = [
                Encoding::Utf8,
                Encoding::Utf8Bom,
                Encoding::Utf16Le,
                Encoding::Utf16Be,
                Encoding::Windows1252,
            ][c.below(5)]
        }
        25 => {
            s.blank_lines_after = c.below(4);
            if c.byte() % 2 == 0 {
                for r in &mut s.rows {
                    r.push(String::new());
                }
            }
        }
        26 => {
            if sheets.len() > 1 {
                sheets.remove(fi);
            }
        }
        27 => {
            let mut copy = sheets[fi].clone();
            copy.name = format!("copy of {}", copy.name);
            sheets.push(copy);
        }
        28 => {
            if fi != other {
                let rows: Vec<Vec<String>> = sheets[other].rows.iter().skip(1).cloned().collect();
                sheets[fi].rows.extend(rows);
            }
        }
        29 => {
            let at = c.below(1 << 16);
            let b = [b'"', b',', b'\n', b'\r', 0, 0xFF, b';', b'\t'][c.below(8)];
            s.byte_edits.push((at, ByteEdit::Insert(b)));
        }
        30 => {
            let at = c.below(1 << 16);
            let mask = c.byte();
            s.byte_edits.push((at, ByteEdit::Flip(mask)));
        }
        31 => {
            let at = c.below(1 << 16);
            s.byte_edits.push((at, ByteEdit::Truncate));
        }
        32 => {
            let rj = c.below(nrows);
            if ri < s.rows.len() && rj < s.rows.len() {
                s.rows.swap(ri, rj);
            }
        }
        _ => {
            s.name = NAMES[c.below(NAMES.len())].to_string();
            let n = sheets.iter().filter(|t| t.name == sheets[fi].name).count();
            if n > 1 {
                sheets[fi].name = format!("{} {n}", sheets[fi].name);
            }
        }
    }
}

/// A xorshift generator for the stable test's byte strings (no `rand` dependency).
pub struct XorShift(pub u64);

impl XorShift {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next() as u8).collect()
    }
}

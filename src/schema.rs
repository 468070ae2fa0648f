//! Tables -> typed records and diagnostics: which 903 table is this, which columns does it have,
//! and is each row usable?
//!
//! A table is recognised by its columns, never by the file name. Column names are compared
//! upper-cased and trimmed, and so are codes.

use crate::dates::{self, DateProblem};
use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::input::{self, DateSystem, File, Input, Table};
use crate::model::{
    Adopter, Adoption, Carer, CarerType, ChildHeader, Code, CodeSet, Episode, PlacementDecision,
    Records, Source, Text,
};
use chrono::NaiveDate;
use serde::Serialize;

/// The SSDA903 tables the engine knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    Header,
    Episodes,
    Ad1,
    PlacedAdoption,
    Reviews,
    Uasc,
    Oc2,
    Oc3,
    PrevPerm,
    Missing,
    SwEpisodes,
    DoLo,
    Carers,
    Adopters,
}

struct Spec {
    kind: TableKind,
    name: &'static str,
    /// Columns only this table has: the most of them present decides the table.
    distinctive: &'static [&'static str],
    /// Columns the indicators need; a recognised table without one is unusable.
    required: &'static [&'static str],
    /// Every column of the DfE layout (anything else is listed as extra).
    all: &'static [&'static str],
    needed: bool,
}

const SPECS: &[Spec] = &[
    Spec {
        kind: TableKind::Episodes,
        name: "Episodes",
        distinctive: &[
            "DECOM",
            "RNE",
            "LS",
            "CIN",
            "PLACE",
            "PLACE_PROVIDER",
            "DEC",
            "REC",
            "REASON_PLACE_CHANGE",
            "HOME_POST",
            "PL_POST",
            "URN",
        ],
        required: &[
            "CHILD",
            "DECOM",
            "RNE",
            "LS",
            "PLACE",
            "PLACE_PROVIDER",
            "DEC",
            "REC",
        ],
        all: &[
            "CHILD",
            "DECOM",
            "RNE",
            "LS",
            "CIN",
            "PLACE",
            "PLACE_PROVIDER",
            "DEC",
            "REC",
            "REASON_PLACE_CHANGE",
            "HOME_POST",
            "PL_POST",
            "URN",
        ],
        needed: true,
    },
    Spec {
        kind: TableKind::Header,
        name: "Header",
        distinctive: &["ETHNIC", "UPN", "MOTHER", "MC_DOB"],
        required: &["CHILD", "SEX", "DOB", "ETHNIC"],
        all: &[
            "CHILD",
            "SEX",
            "DOB",
            "ETHNIC",
            "UPN",
            "MOTHER",
            "MC_DOB",
            "DISABLED",
            "SIBLING_GROUP",
            "LA",
        ],
        needed: true,
    },
    Spec {
        kind: TableKind::Ad1,
        name: "AD1",
        distinctive: &[
            "DATE_INT",
            "DATE_MATCH",
            "FOSTER_CARE",
            "NB_ADOPTR",
            "SEX_ADOPTR",
            "LS_ADOPTR",
        ],
        required: &["CHILD", "DATE_MATCH"],
        all: &[
            "CHILD",
            "DOB",
            "DATE_INT",
            "DATE_MATCH",
            "FOSTER_CARE",
            "NB_ADOPTR",
            "SEX_ADOPTR",
            "LS_ADOPTR",
        ],
        needed: true,
    },
    Spec {
        kind: TableKind::PlacedAdoption,
        name: "PlacedAdoption",
        distinctive: &["DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"],
        required: &[
            "CHILD",
            "DATE_PLACED",
            "DATE_PLACED_CEASED",
            "REASON_PLACED_CEASED",
        ],
        all: &[
            "CHILD",
            "DOB",
            "DATE_PLACED",
            "DATE_PLACED_CEASED",
            "REASON_PLACED_CEASED",
        ],
        needed: true,
    },
    Spec {
        kind: TableKind::Carers,
        name: "carers",
        distinctive: &[
            "CARER_ID",
            "CARER_TYPE",
            "APPROVED_PLACES",
            "DEREGISTRATION_DATE",
            "DEREGISTRATION_REASON",
        ],
        required: &["CARER_ID", "CARER_TYPE", "APPROVAL_DATE"],
        all: &[
            "CARER_ID",
            "CARER_TYPE",
            "ENQUIRY_DATE",
            "APPLICATION_DATE",
            "STAGE2_DATE",
            "APPROVAL_DATE",
            "APPROVED_PLACES",
            "DEREGISTRATION_DATE",
            "DEREGISTRATION_REASON",
            "LA",
        ],
        needed: true,
    },
    Spec {
        kind: TableKind::Adopters,
        name: "adopters",
        distinctive: &["ADOPTER_ID", "MATCH_DATE", "WITHDRAWN_DATE"],
        required: &["ADOPTER_ID", "APPROVAL_DATE"],
        all: &[
            "ADOPTER_ID",
            "ENQUIRY_DATE",
            "APPLICATION_DATE",
            "STAGE2_DATE",
            "APPROVAL_DATE",
            "MATCH_DATE",
            "WITHDRAWN_DATE",
            "LA",
        ],
        needed: true,
    },
    Spec {
        kind: TableKind::Reviews,
        name: "Reviews",
        distinctive: &["REVIEW", "REVIEW_CODE"],
        required: &[],
        all: &[],
        needed: false,
    },
    Spec {
        kind: TableKind::Uasc,
        name: "UASC",
        distinctive: &["DUC"],
        required: &[],
        all: &[],
        needed: false,
    },
    Spec {
        kind: TableKind::Oc2,
        name: "OC2",
        distinctive: &[
            "SDQ_SCORE",
            "SDQ_REASON",
            "CONVICTED",
            "HEALTH_CHECK",
            "IMMUNISATIONS",
            "TEETH_CHECK",
            "HEALTH_ASSESSMENT",
            "SUBSTANCE_MISUSE",
            "INTERVENTION_RECEIVED",
            "INTERVENTION_OFFERED",
        ],
        required: &[],
        all: &[],
        needed: false,
    },
    Spec {
        kind: TableKind::Oc3,
        name: "OC3",
        distinctive: &["IN_TOUCH", "ACTIV", "ACCOM"],
        required: &[],
        all: &[],
        needed: false,
    },
    Spec {
        kind: TableKind::PrevPerm,
        name: "PrevPerm",
        distinctive: &["PREV_PERM", "LA_PERM", "DATE_PERM"],
        required: &[],
        all: &[],
        needed: false,
    },
    Spec {
        kind: TableKind::Missing,
        name: "Missing",
        distinctive: &["MISSING", "MIS_START", "MIS_END"],
        required: &[],
        all: &[],
        needed: false,
    },
    Spec {
        kind: TableKind::SwEpisodes,
        name: "SWEpisodes",
        distinctive: &["SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"],
        required: &[],
        all: &[],
        needed: false,
    },
    Spec {
        kind: TableKind::DoLo,
        name: "DoLo",
        distinctive: &["DOLO_START", "DOLO_END"],
        required: &[],
        all: &[],
        needed: false,
    },
];

/// A list of code literals, checked when compiled: a code is compared as one 8-byte number, not
/// as text, and found in the list in one step.
macro_rules! codes {
    ($($code:literal),* $(,)?) => {
        CodeSet::new(&[$(Code::lit($code)),*])
    };
}

/// Known code lists (`ssda903.md` section 2). Historic Q1/Q2 are accepted and mapped.
static RNE: CodeSet = codes!["S", "L", "P", "T", "B", "U"];
static LS: CodeSet =
    codes!["C1", "C2", "D1", "E1", "V2", "V3", "V4", "L1", "L2", "L3", "J1", "J2", "J3",];
/// PLACE as read: the codes of the guide and the historic Q1 and Q2.
static PLACE_READ: CodeSet = codes![
    "A3", "A4", "A5", "A6", "H5", "K1", "K2", "K3", "P1", "P2", "P3", "R1", "R2", "R3", "R5", "S1",
    "T0", "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1", "Q1", "Q2",
];
static PLACE_PROVIDER: CodeSet = codes!["PR0", "PR1", "PR2", "PR3", "PR4", "PR5"];
static REC: CodeSet = codes![
    "X1", "E11", "E12", "E2", "E3", "E4A", "E4B", "E13", "E41", "E45", "E46", "E47", "E48", "E43",
    "E44", "E5", "E6", "E7", "E8", "E9", "E14", "E15", "E16", "E17",
];
static RD: CodeSet = codes!["RD1", "RD2", "RD3", "RD4"];
static SEX: CodeSet = codes!["1", "2"];
static ETHNIC: CodeSet = codes![
    "WBRI", "WIRI", "WOTH", "WIRT", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN", "ABAN",
    "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT",
];
static CIN: CodeSet = codes!["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"];

/// What became of one file: the row accounting shown at the top of the report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FileSummary {
    pub file: String,
    pub sheet: Option<String>,
    pub table: Option<&'static str>,
    /// `used`, `not needed`, `unrecognised`, `unreadable` or `missing columns`.
    pub status: &'static str,
    pub rows_read: u32,
    pub rows_used: u32,
    pub rows_excluded: u32,
    pub excluded_by_reason: Vec<ReasonCount>,
    pub extra_columns: Vec<String>,
    /// Normalised header names in file order, to locate a column in later diagnostics.
    #[serde(skip)]
    pub columns: Vec<String>,
}

/// Rows excluded for one reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReasonCount {
    pub reason: &'static str,
    pub rows: u32,
}

impl FileSummary {
    /// Where `column` of row `row` of this file is, for a diagnostic raised after reading.
    pub fn at(&self, row: u32, column: &'static str) -> Location<'_> {
        Location {
            file: &self.file,
            sheet: self.sheet.as_deref(),
            row: Some(row),
            column: self
                .columns
                .iter()
                .position(|c| c == column)
                .map(|i| (column, i)),
        }
    }

    /// Adds the rows that `more` (a later piece of this file, read aside) read and excluded, and
    /// leaves its counts at 0: the same counts, reasons in the same order, as if those rows had
    /// been read here.
    fn take_counts(&mut self, more: &mut FileSummary) {
        self.rows_read = self.rows_read.saturating_add(more.rows_read);
        self.rows_used = self.rows_read.saturating_sub(self.rows_excluded);
        // A piece's rows are only ever excluded with a reason (`exclude`).
        for r in more.excluded_by_reason.drain(..) {
            self.exclude_rows(r.reason, r.rows);
        }
        (more.rows_read, more.rows_used, more.rows_excluded) = (0, 0, 0);
    }

    /// Counts one row of this file as excluded for `reason`.
    pub fn exclude(&mut self, reason: &'static str) {
        self.exclude_rows(reason, 1);
    }

    /// Counts `rows` rows of this file as excluded for `reason`.
    fn exclude_rows(&mut self, reason: &'static str, rows: u32) {
        self.rows_excluded += rows;
        self.rows_used = self.rows_read.saturating_sub(self.rows_excluded);
        match self
            .excluded_by_reason
            .iter_mut()
            .find(|r| r.reason == reason)
        {
            Some(r) => r.rows += rows,
            None => self.excluded_by_reason.push(ReasonCount { reason, rows }),
        }
    }
}

/// Reasons rows are excluded, as the report words them.
pub mod reason {
    pub const NOT_NEEDED: &str = "table not needed for these indicators";
    pub const UNRECOGNISED: &str = "not a recognised SSDA903 table";
    pub const MISSING_COLUMNS: &str = "file lacks a required column";
    pub const NO_CHILD: &str = "no CHILD";
    pub const BAD_DATE: &str = "a required date is blank or unreadable";
    pub const DEC_BEFORE_DECOM: &str = "DEC before DECOM";
    pub const DUPLICATE: &str = "duplicate of an identical row";
    pub const SUPERSEDED: &str = "open episode closed in a later file";
    pub const CONFLICT: &str = "conflicting copy replaced by a later file's";
    pub const CONFLICT_IN_FILE: &str = "conflicting copy replaced by a lower row";
    pub const SHORT_BREAK: &str = "short break (LS V3/V4)";
    pub const BAD_CODE: &str = "a code that decides how the row is counted is unknown";
    pub const ABOVE_HEADER: &str = "above the header row";
}

/// Reads every input into typed records, one [`FileSummary`] per input.
pub fn read_all(inputs: &[Input<'_>]) -> (Records, Vec<FileSummary>, Vec<Diagnostic>) {
    let files: Vec<File<'_>> = inputs.iter().map(File::from).collect();
    read_files(&files, &mut |_| {})
}

/// Reads every file into typed records: one [`FileSummary`] per table read (a CSV file, or each
/// sheet of a workbook), or per file that yields none. `progress` hears before each file.
pub fn read_files(
    inputs: &[File<'_>],
    progress: &mut dyn FnMut(crate::Progress<'_>),
) -> (Records, Vec<FileSummary>, Vec<Diagnostic>) {
    let names: Vec<&str> = inputs.iter().map(|i| i.name).collect();
    read_files_lent(&names, &mut |i, read| read(inputs[i].content), progress)
}

/// Lends the reader one file's content while it is read: `lend(i, read)` calls `read` with the
/// content of file `i` (from 0) and may free it afterwards.
pub type Lend<'l> = dyn FnMut(usize, &mut dyn FnMut(input::Content<'_>)) + 'l;

/// [`read_files`] for files named `names` whose content `lend` hands over one at a time, so that
/// a caller holding the files elsewhere (the page's worker) never holds them all in the engine's
/// memory, and none at all once reading is over.
pub fn read_files_lent(
    names: &[&str],
    lend: &mut Lend<'_>,
    progress: &mut dyn FnMut(crate::Progress<'_>),
) -> (Records, Vec<FileSummary>, Vec<Diagnostic>) {
    let mut records = Records::default();
    let mut files = Vec::with_capacity(names.len());
    let mut diags = Vec::new();
    let names = unique_names(names);
    for i in 0..names.len() {
        let name = names[i].as_str();
        progress(crate::Progress::Reading {
            file: i + 1,
            files: names.len(),
            name,
        });
        lend(i, &mut |content| {
            read_file(name, content, &mut records, &mut files, &mut diags);
        });
    }
    (records, files, diags)
}

/// Reads one file (or each sheet of a workbook) into `records`, with its summaries.
fn read_file(
    name: &str,
    content: input::Content<'_>,
    records: &mut Records,
    files: &mut Vec<FileSummary>,
    diags: &mut Vec<Diagnostic>,
) {
    match content {
        input::Content::Bytes(bytes) if input::kind(bytes) == input::Kind::Text => {
            let mut read = |on_chunk: &mut dyn FnMut(&mut Table)| {
                input::read_delimited_chunks(bytes, input::CHUNK_ROWS, on_chunk)
                    .map(|()| input::Streamed::Done)
            };
            let lines = |_: &Table| input::line_feeds(bytes);
            read_text(name, &mut read, &lines, records, files, diags);
            return;
        }
        input::Content::Pieces(pieces) => {
            let before = (records.lens(), files.len(), diags.len());
            let mut read = |on_chunk: &mut dyn FnMut(&mut Table)| {
                Ok(input::stream_delimited(
                    pieces,
                    input::PIECE,
                    input::CHUNK_ROWS,
                    on_chunk,
                ))
            };
            let size = pieces.size();
            let lines = |first: &Table| input::lines_in(size, first);
            if read_text(name, &mut read, &lines, records, files, diags) == input::Streamed::Done {
                return;
            }
            // Not a file read as it streams in (a workbook, quotes, another encoding...):
            // what was read of it is dropped, and it is read again, whole.
            records.truncate(before.0);
            files.truncate(before.1);
            diags.truncate(before.2);
            let bytes = input::read_all(pieces);
            return read_file(name, input::Content::Bytes(&bytes), records, files, diags);
        }
        _ => {}
    }
    let parts = match input::read(content) {
        Ok(parts) => parts,
        Err(problem) => vec![input::Part {
            sheet: None,
            table: Err(problem),
        }],
    };
    for part in parts {
        // Records point at their FileSummary: one per sheet, not one per file.
        let index = files.len();
        let mut summary = unread(name, part.sheet.clone());
        match part.table {
            Err(problem) => unreadable(name, part.sheet.as_deref(), &problem, &mut summary, diags),
            Ok(table) => {
                read_table(index, name, &table, &mut summary, records, diags);
            }
        }
        files.push(summary);
    }
}

/// Reads a text file, handing its pieces to the function it is given: [`read_text`]'s `read`.
type ReadChunks<'r> =
    dyn FnMut(&mut dyn FnMut(&mut Table)) -> Result<input::Streamed, input::ReadProblem> + 'r;

/// A piece of a text file on its way to its records: its rows, and (when the thread reading the
/// file made them, as the other was still at work) their records, diagnostics and counts.
#[derive(Default)]
struct Piece {
    table: Table,
    /// Whether `side` holds the piece's records (its room goes round with the piece).
    made: bool,
    side: Made,
}

/// What the reading thread made of a piece: the records, diagnostics and row counts that
/// [`Reading::more`] would have added to the file's own.
#[derive(Default)]
struct Made {
    records: Records,
    diags: Vec<Diagnostic>,
    summary: FileSummary,
}

/// Reads a text file a piece at a time, never whole as a table of strings: `read` hands its
/// `on_chunk` the file's pieces in order, and says whether it read the file
/// ([`input::Streamed::Whole`]: it did not, and nothing of it is kept); `lines(first)` is how
/// many records to make room for, once the first piece is read.
fn read_text(
    name: &str,
    read: &mut ReadChunks<'_>,
    lines: &(dyn Fn(&Table) -> usize + Sync),
    records: &mut Records,
    files: &mut Vec<FileSummary>,
    diags: &mut Vec<Diagnostic>,
) -> input::Streamed {
    let index = files.len();
    let mut summary = unread(name, None);
    let mut reading: Option<Option<Reading>> = None;
    // How the later pieces are read, once the first has settled it: for the reading thread.
    let settled: std::sync::OnceLock<Reading> = std::sync::OnceLock::new();
    // The pieces are made into records (natively on a second thread) while the next is read.
    let mut consume = |piece: &mut Piece| {
        let table = &mut piece.table;
        if std::mem::take(&mut piece.made) {
            // Made on the reading thread: the records, diagnostics and counts join the file's in
            // the order of the pieces.
            let made = &mut piece.side;
            records.append(&mut made.records);
            diags.append(&mut made.diags);
            summary.take_counts(&mut made.summary);
            return;
        }
        match &reading {
            None => {
                let first = read_table(index, name, table, &mut summary, records, diags);
                // Room for every line at once: growing a vector of a million records by
                // doubling holds the old and the new copy together.
                if let Some(Reading { rows: Ok(spec), .. }) = &first {
                    records.reserve(spec.kind, lines(table));
                }
                if let Some(r) = &first {
                    let _ = settled.set(r.clone());
                }
                reading = Some(first);
            }
            Some(Some(r)) => r.more(index, name, table, &mut summary, records, diags),
            Some(None) => {}
        }
    };
    // A piece read while the records of two earlier ones are still being made (the second
    // thread is the slower): this thread makes its records, to be added in turn.
    let mut aside = |piece: &mut Piece| {
        let Some(r) = settled.get() else { return };
        let made = &mut piece.side;
        r.more(
            index,
            name,
            &piece.table,
            &mut made.summary,
            &mut made.records,
            &mut made.diags,
        );
        piece.made = true;
    };
    let result = crate::parallel::pipeline(
        |on_piece| {
            let mut piece = Piece::default();
            read(&mut |table: &mut Table| {
                // The table's room goes round with the piece, and comes back with a spare.
                std::mem::swap(&mut piece.table, table);
                on_piece(&mut piece);
                std::mem::swap(&mut piece.table, table);
            })
        },
        &mut consume,
        &mut aside,
    );
    match result {
        Ok(input::Streamed::Whole) => return input::Streamed::Whole,
        Ok(input::Streamed::Done) => {}
        Err(problem) => unreadable(name, None, &problem, &mut summary, diags),
    }
    files.push(summary);
    input::Streamed::Done
}

/// A file's summary before anything of it is read.
fn unread(name: &str, sheet: Option<String>) -> FileSummary {
    FileSummary {
        file: name.to_string(),
        sheet,
        table: None,
        status: "unreadable",
        rows_read: 0,
        rows_used: 0,
        rows_excluded: 0,
        excluded_by_reason: Vec::new(),
        extra_columns: Vec::new(),
        columns: Vec::new(),
    }
}

/// A file or sheet that yields no table: one diagnostic saying why.
fn unreadable(
    name: &str,
    sheet: Option<&str>,
    problem: &input::ReadProblem,
    summary: &mut FileSummary,
    diags: &mut Vec<Diagnostic>,
) {
    let at = Location {
        file: name,
        sheet,
        row: None,
        column: None,
    };
    let severity = if problem.is_error() {
        Severity::Error
    } else {
        summary.status = "empty";
        Severity::Info
    };
    diags.push(Diagnostic::new(
        problem.code(),
        severity,
        &at,
        None,
        None,
        &problem.message(),
    ));
}

/// The inputs' names, with ` (2)`, ` (3)`, ... added to a name given before, so that every
/// diagnostic points to one file (the same file given twice, say).
fn unique_names(inputs: &[&str]) -> Vec<String> {
    let given: std::collections::HashSet<&str> = inputs.iter().copied().collect();
    let mut taken: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(inputs.len());
    for input in inputs {
        let mut name = input.to_string();
        let mut n = 1;
        while taken.contains(&name) || (n > 1 && given.contains(name.as_str())) {
            n += 1;
            name = format!("{input} ({n})");
        }
        taken.insert(name.clone());
        out.push(name);
    }
    out
}

fn normalise_header(h: &str) -> String {
    h.trim()
        .trim_start_matches('\u{FEFF}')
        .trim()
        .to_ascii_uppercase()
}

fn recognise(headers: &[String]) -> Option<&'static Spec> {
    let mut best: Option<(&Spec, usize)> = None;
    for spec in SPECS {
        let hits = spec
            .distinctive
            .iter()
            .filter(|c| headers.iter().any(|h| h == *c))
            .count();
        if hits > 0 && best.is_none_or(|(_, n)| hits > n) {
            best = Some((spec, hits));
        }
    }
    best.map(|(s, _)| s)
}

/// Where the column headers are when the first row holds no table's headers (a title above the
/// table): the first of the next few rows that names CHILD and columns of a known table.
fn header_below(table: &Table) -> Option<usize> {
    let headers: Vec<String> = table.headers.iter().map(|c| normalise_header(c)).collect();
    if recognise(&headers).is_some() {
        return None;
    }
    table.rows.iter().take(10).position(|r| {
        let h: Vec<String> = r.cells().map(normalise_header).collect();
        h.iter().any(|c| c == "CHILD") && recognise(&h).is_some()
    })
}

/// How the later pieces of a text file are read, once the first has settled its table.
#[derive(Clone)]
struct Reading {
    /// Normalised header names.
    headers: Vec<String>,
    serial_dates: Option<DateSystem>,
    /// The table the rows go to, or the reason every row is left out.
    rows: Result<&'static Spec, &'static str>,
}

impl Reading {
    /// A later piece: the same table, more rows.
    fn more(
        &self,
        index: usize,
        name: &str,
        table: &Table,
        summary: &mut FileSummary,
        records: &mut Records,
        diags: &mut Vec<Diagnostic>,
    ) {
        summary.rows_read = summary
            .rows_read
            .saturating_add(u32::try_from(table.rows.len()).unwrap_or(u32::MAX));
        summary.rows_used = summary.rows_read.saturating_sub(summary.rows_excluded);
        match self.rows {
            Err(reason) => {
                for _ in 0..table.rows.len() {
                    summary.exclude(reason);
                }
            }
            Ok(spec) => {
                let cols = Columns::new(&self.headers, name, None, self.serial_dates);
                let shape = Shape::new(&cols, spec);
                shape.note_checks(table, diags);
                use_rows(index, &cols, &shape, spec, table, summary, records, diags);
            }
        }
    }
}

/// Each row of `table` to its record, or to the exclusions with its reason.
#[allow(clippy::too_many_arguments)]
fn use_rows(
    index: usize,
    cols: &Columns<'_>,
    shape: &Shape<'_>,
    spec: &'static Spec,
    table: &Table,
    summary: &mut FileSummary,
    records: &mut Records,
    diags: &mut Vec<Diagnostic>,
) {
    let line_breaks = table.rows.any_line_break();
    for row in table.rows.iter() {
        shape.row_checks(row, line_breaks, diags);
        let mut ctx = RowCtx {
            cols,
            row,
            diags,
            child: None,
        };
        let source = Source {
            // Four thousand million files are beyond any machine's memory.
            file: u32::try_from(index).unwrap_or(u32::MAX),
            row: row.number,
        };
        let kept = match spec.kind {
            TableKind::Episodes => ctx.episode(source).map(|e| records.episodes.push(e)),
            TableKind::Header => ctx.header(source).map(|h| records.headers.push(h)),
            TableKind::Ad1 => ctx.adoption(source).map(|a| records.adoptions.push(a)),
            TableKind::PlacedAdoption => ctx.decision(source).map(|d| records.decisions.push(d)),
            TableKind::Carers => ctx.carer(source).map(|c| records.carers.push(c)),
            TableKind::Adopters => ctx.adopter(source).map(|a| records.adopters.push(a)),
            _ => Err(reason::NOT_NEEDED),
        };
        if let Err(why) = kept {
            summary.exclude(why);
        }
    }
}

/// Reads a whole table, or the first piece of a text file: finds the header row, recognises the
/// table and reads the rows. Returns how later pieces are to be read.
fn read_table(
    index: usize,
    name: &str,
    table: &Table,
    summary: &mut FileSummary,
    records: &mut Records,
    diags: &mut Vec<Diagnostic>,
) -> Option<Reading> {
    summary.sheet = table.sheet.clone();
    // A title or notes above the header row: read from the header row, and account for the rows
    // above it.
    let below = header_below(table);
    let title = table.headers.first().cloned().unwrap_or_default();
    let lowered = below.map(|k| Table {
        sheet: table.sheet.clone(),
        headers: input::trim_trailing_blank(table.rows.get(k).iter().flat_map(|r| r.cells())),
        rows: table.rows.iter().skip(k + 1).collect(),
        serial_dates: table.serial_dates,
        notes: table.notes.clone(),
    });
    // The rows above the data: the header row and those above it.
    let (above, header) = match below {
        Some(k) => (k + 1, table.rows.get(k)),
        None => (0, None),
    };
    let table = lowered.as_ref().unwrap_or(table);
    summary.rows_read =
        u32::try_from(table.rows.len() + above.saturating_sub(1)).unwrap_or(u32::MAX);
    summary.rows_used = summary.rows_read;
    if let Some(header) = header {
        let at = Location {
            file: name,
            sheet: table.sheet.as_deref(),
            row: Some(1),
            column: Some(("column A", 0)),
        };
        diags.push(Diagnostic::new(
            "header-not-first",
            Severity::Warning,
            &at,
            Some(&title).filter(|t| !t.is_empty()).map(String::as_str),
            None,
            &format!(
                "the column headers are in row {}, not row 1; the {} above them {} left out. Nothing to do if {} a title or notes; otherwise delete {} so the headers are in row 1.",
                header.number,
                if header.number == 2 { "row" } else { "rows" },
                if header.number == 2 { "is" } else { "are" },
                if header.number == 2 { "it is" } else { "they are" },
                if header.number == 2 { "it" } else { "them" },
            ),
        ));
        for _ in 1..above {
            summary.exclude(reason::ABOVE_HEADER);
        }
    }
    let headers: Vec<String> = table.headers.iter().map(|h| normalise_header(h)).collect();
    summary.columns = headers.clone();
    let file_at = Location {
        file: name,
        sheet: table.sheet.as_deref(),
        row: None,
        column: None,
    };
    let Some(spec) = recognise(&headers) else {
        summary.status = "unrecognised";
        let shown: Vec<String> = headers
            .iter()
            .take(6)
            .map(|h| crate::diagnostic::cut(h))
            .collect();
        diags.push(Diagnostic::new(
            "table-unrecognised",
            Severity::Error,
            &file_at,
            None,
            None,
            &format!(
                "the columns ({}) do not match any SSDA903 table. Load the Header, Episodes, AD1 and PlacedAdoption files with their DfE column headers in the first row.",
                shown.join(", ")
            ),
        ));
        for _ in 0..table.rows.len() {
            summary.exclude(reason::UNRECOGNISED);
        }
        return Some(Reading {
            headers,
            serial_dates: table.serial_dates,
            rows: Err(reason::UNRECOGNISED),
        });
    };
    summary.table = Some(spec.name);
    if !spec.needed {
        summary.status = "not needed";
        diags.push(Diagnostic::new(
            "table-not-needed",
            Severity::Info,
            &file_at,
            None,
            None,
            &format!(
                "this is the {} table, which these indicators do not use. Nothing to do.",
                spec.name
            ),
        ));
        for _ in 0..table.rows.len() {
            summary.exclude(reason::NOT_NEEDED);
        }
        return Some(Reading {
            headers,
            serial_dates: table.serial_dates,
            rows: Err(reason::NOT_NEEDED),
        });
    }
    summary.extra_columns = table
        .headers
        .iter()
        .zip(&headers)
        .filter(|(_, h)| !h.is_empty() && !spec.all.contains(&h.as_str()))
        .map(|(raw, _)| raw.trim().to_string())
        .collect();
    let missing: Vec<&str> = spec
        .required
        .iter()
        .copied()
        .filter(|c| !headers.iter().any(|h| h == c))
        .collect();
    if !missing.is_empty() {
        summary.status = "missing columns";
        for column in &missing {
            diags.push(Diagnostic::new(
                "column-missing",
                Severity::Error,
                &file_at,
                None,
                None,
                &format!(
                    "this looks like the {} table but has no {column} column, so none of its rows can be used. Add the {column} column (header in row 1) and load the file again.",
                    spec.name
                ),
            ));
        }
        for _ in 0..table.rows.len() {
            summary.exclude(reason::MISSING_COLUMNS);
        }
        return Some(Reading {
            headers,
            serial_dates: table.serial_dates,
            rows: Err(reason::MISSING_COLUMNS),
        });
    }
    summary.status = "used";
    let cols = Columns::new(&headers, name, table.sheet.as_deref(), table.serial_dates);
    let shape = Shape::new(&cols, spec);
    shape.file_checks(table, diags);
    use_rows(index, &cols, &shape, spec, table, summary, records, diags);
    let serial_dates = cols.serial_dates;
    Some(Reading {
        headers,
        serial_dates,
        rows: Ok(spec),
    })
}

struct Columns<'a> {
    headers: &'a [String],
    name: &'a str,
    sheet: Option<&'a str>,
    /// Workbook sheets: whole numbers in date columns are Excel serial dates.
    serial_dates: Option<DateSystem>,
    /// Where each [`Column`] is (its first header of that name), found once per table rather
    /// than by comparing names for every cell read.
    found: [Option<usize>; COLUMNS.len()],
}

impl<'a> Columns<'a> {
    fn new(
        headers: &'a [String],
        name: &'a str,
        sheet: Option<&'a str>,
        serial_dates: Option<DateSystem>,
    ) -> Columns<'a> {
        Columns {
            headers,
            name,
            sheet,
            serial_dates,
            found: COLUMNS.map(|c| headers.iter().position(|h| h == c.name())),
        }
    }

    fn index(&self, column: Column) -> Option<usize> {
        self.found[column as usize]
    }
}

/// Declares [`Column`], one variant per column a row is read from, and [`COLUMNS`], all of them.
macro_rules! columns {
    ($($name:ident),* $(,)?) => {
        /// A column rows are read from, named as in the DfE layout.
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        enum Column {
            $($name),*
        }

        const COLUMNS: [Column; [$(Column::$name),*].len()] = [$(Column::$name),*];

        impl Column {
            fn name(self) -> &'static str {
                match self {
                    $(Column::$name => stringify!($name)),*
                }
            }
        }
    };
}

columns!(
    CHILD,
    DECOM,
    RNE,
    LS,
    CIN,
    PLACE,
    PLACE_PROVIDER,
    DEC,
    REC,
    REASON_PLACE_CHANGE,
    PL_POST,
    URN,
    LA,
    DOB,
    DISABLED,
    SIBLING_GROUP,
    SEX,
    ETHNIC,
    DATE_INT,
    DATE_MATCH,
    FOSTER_CARE,
    DATE_PLACED,
    DATE_PLACED_CEASED,
    REASON_PLACED_CEASED,
    CARER_ID,
    CARER_TYPE,
    APPROVED_PLACES,
    ENQUIRY_DATE,
    APPLICATION_DATE,
    STAGE2_DATE,
    APPROVAL_DATE,
    DEREGISTRATION_DATE,
    DEREGISTRATION_REASON,
    ADOPTER_ID,
    MATCH_DATE,
    WITHDRAWN_DATE,
);

impl std::fmt::Display for Column {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A row being read: its number and cells. A cell is found in the row's text only when it is
/// read, not all of them first into a vector of their own (a row's checks and its record's
/// reader read most cells once).
type Line<'a> = input::RowRef<'a>;

struct RowCtx<'a, 'd> {
    cols: &'a Columns<'a>,
    row: Line<'a>,
    diags: &'d mut Vec<Diagnostic>,
    child: Option<Text>,
}

impl RowCtx<'_, '_> {
    fn text(&self, column: Column) -> &str {
        self.cols
            .index(column)
            .and_then(|i| self.row.cell(i))
            .unwrap_or("")
    }

    fn at(&self, column: Column) -> Location<'_> {
        Location {
            file: self.cols.name,
            sheet: self.cols.sheet,
            row: Some(self.row.number),
            column: self.cols.index(column).map(|i| (column.name(), i)),
        }
    }

    fn report(&mut self, code: &'static str, severity: Severity, column: Column, detail: &str) {
        let value = self.text(column).to_string();
        let value = if value.is_empty() { None } else { Some(value) };
        let d = Diagnostic::new(
            code,
            severity,
            &self.at(column),
            value.as_deref(),
            self.child.as_deref(),
            detail,
        );
        self.diags.push(d);
    }

    /// CHILD, trimmed and upper-cased; `1234.0` (a number through Excel) read as `1234`.
    fn child(&mut self) -> Result<Text, &'static str> {
        let raw = input::trim(self.text(Column::CHILD));
        let raw = match raw.strip_suffix(".0") {
            Some(digits) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
                digits
            }
            _ => raw,
        };
        if raw.is_empty() {
            self.report(
                "child-missing",
                Severity::Error,
                Column::CHILD,
                "the CHILD identifier is blank, so the row cannot be linked to a child and is left out. Fill in the child's identifier.",
            );
            return Err(reason::NO_CHILD);
        }
        let child = upper(raw);
        self.child = Some(child.clone());
        Ok(child)
    }

    #[inline(always)]
    fn date(
        &mut self,
        column: Column,
        severity: Severity,
        consequence: &str,
    ) -> Result<Option<NaiveDate>, DateProblem> {
        let text = self.text(column);
        let parsed = match self.cols.serial_dates.and_then(|s| s.serial_date(text)) {
            Some(serial) => serial.map(Some),
            None => dates::parse_date(text),
        };
        if let Err(problem) = parsed {
            self.date_problem(column, problem, severity, consequence);
        }
        parsed
    }

    // Problems are reported apart from the checks: kept out of the way of the usual row, whose
    // checks then need no room for formatting messages.
    #[cold]
    fn date_problem(
        &mut self,
        column: Column,
        problem: DateProblem,
        severity: Severity,
        consequence: &str,
    ) {
        let value = crate::diagnostic::cut(self.text(column));
        let detail = format!("{} {consequence}", problem.message(&value));
        self.report(problem.code(), severity, column, &detail);
    }

    #[inline(always)]
    fn required_date(&mut self, column: Column, what: &str) -> Result<NaiveDate, &'static str> {
        match self.date(
            column,
            Severity::Error,
            "The row is left out until this is corrected.",
        ) {
            Ok(Some(d)) => Ok(d),
            Ok(None) => {
                self.report(
                    "date-missing",
                    Severity::Error,
                    column,
                    &format!("{column} ({what}) is blank, so the row is left out. Enter the date as DD/MM/YYYY."),
                );
                Err(reason::BAD_DATE)
            }
            Err(_) => Err(reason::BAD_DATE),
        }
    }

    fn optional_date(&mut self, column: Column, consequence: &str) -> Option<NaiveDate> {
        self.date(column, Severity::Warning, consequence)
            .ok()
            .flatten()
    }

    /// An upper-cased code, checked against `known`; unknown or blank codes are warnings.
    // This, `date` and `required_date` are read into each record's reader: for a cell of a few
    // characters the call and its return value cost as much as the reading.
    #[inline(always)]
    fn code(&mut self, column: Column, known: &CodeSet, blank_ok: bool) -> Code {
        let value = Code::upper(input::trim(self.text(column)));
        if value.is_empty() {
            if !blank_ok {
                self.code_missing(column);
            }
        } else if !known.contains(value) {
            self.code_unknown(column, known);
        }
        value
    }

    #[cold]
    fn code_missing(&mut self, column: Column) {
        self.report(
            "code-missing",
            Severity::Warning,
            column,
            &format!("{column} is blank. Enter the {column} code from the SSDA903 guide."),
        );
    }

    #[cold]
    fn code_unknown(&mut self, column: Column, known: &CodeSet) {
        let text = self.text(column).trim().to_uppercase();
        self.report(
            "code-unknown",
            Severity::Warning,
            column,
            &format!(
                "\"{}\" is not one of the {column} codes in the SSDA903 guide. Correct it to one of: {}.",
                crate::diagnostic::cut(&text),
                known.listed.iter().map(Code::as_str).collect::<Vec<_>>().join(", ")
            ),
        );
    }

    /// An optional Y/N column (DISABLED, SIBLING_GROUP): `None` when absent, blank or unreadable.
    fn yes_no(&mut self, column: Column) -> Option<bool> {
        let value = self.text(column).trim();
        // Compared ignoring case rather than upper-cased first: no string to build for each row.
        let one_of = |words: [&str; 5]| words.iter().any(|w| value.eq_ignore_ascii_case(w));
        if value.is_empty() {
            None
        } else if one_of(["Y", "YES", "1", "1.0", "TRUE"]) {
            Some(true)
        } else if one_of(["N", "NO", "0", "0.0", "FALSE"]) {
            Some(false)
        } else {
            let value = value.to_ascii_uppercase();
            self.report(
                "code-unknown",
                Severity::Warning,
                column,
                &format!(
                    "\"{}\" is not Y or N; the child is counted as unknown for this characteristic. Enter Y or N.",
                    crate::diagnostic::cut(&value)
                ),
            );
            None
        }
    }

    /// An identifier column of a local file (CARER_ID, ADOPTER_ID); blank excludes the row.
    fn identifier(&mut self, column: Column, what: &str) -> Result<Text, &'static str> {
        let id = self.text(column).trim();
        let id = match id.strip_suffix(".0") {
            Some(digits) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
                digits
            }
            _ => id,
        };
        if id.is_empty() {
            self.report(
                "id-missing",
                Severity::Error,
                column,
                &format!("{column} is blank, so the {what} cannot be told apart from the others and the row is left out. Fill in the identifier."),
            );
            return Err(reason::NO_CHILD);
        }
        Ok(upper(id))
    }

    fn local_date(&mut self, column: Column) -> Option<NaiveDate> {
        self.optional_date(column, "The date is treated as not recorded.")
    }

    fn carer(&mut self, source: Source) -> Result<Carer, &'static str> {
        let id = self.identifier(Column::CARER_ID, "household")?;
        let raw_type = self.text(Column::CARER_TYPE).trim().to_ascii_lowercase();
        let carer_type = match raw_type.as_str() {
            "mainstream" => CarerType::Mainstream,
            "connected" | "connected person" | "connected persons" | "family and friends" => {
                CarerType::Connected
            }
            _ => {
                self.report(
                    "carer-type-unknown",
                    Severity::Error,
                    Column::CARER_TYPE,
                    &format!(
                        "\"{}\" is not a carer type, so the household cannot be counted and the row is left out. Enter mainstream or connected.",
                        crate::diagnostic::cut(&raw_type)
                    ),
                );
                return Err(reason::BAD_CODE);
            }
        };
        let places_text = Text::new(self.text(Column::APPROVED_PLACES).trim());
        let approved_places = if places_text.is_empty() {
            None
        } else {
            match places_text
                .strip_suffix(".0")
                .unwrap_or(&places_text)
                .parse::<u32>()
            {
                Ok(n) => Some(n),
                Err(_) => {
                    self.report(
                        "places-unreadable",
                        Severity::Warning,
                        Column::APPROVED_PLACES,
                        &format!(
                            "\"{}\" is not a whole number of places; the household's places are treated as not recorded. Enter the number of children the household is approved for.",
                            crate::diagnostic::cut(&places_text)
                        ),
                    );
                    None
                }
            }
        };
        Ok(Carer {
            id,
            carer_type,
            enquiry: self.local_date(Column::ENQUIRY_DATE),
            application: self.local_date(Column::APPLICATION_DATE),
            stage2: self.local_date(Column::STAGE2_DATE),
            approval: self.local_date(Column::APPROVAL_DATE),
            approved_places,
            deregistration: self.local_date(Column::DEREGISTRATION_DATE),
            deregistration_reason: Code::new(self.text(Column::DEREGISTRATION_REASON).trim()),
            la: Text::new(self.text(Column::LA)),
            source,
        })
    }

    fn adopter(&mut self, source: Source) -> Result<Adopter, &'static str> {
        let id = self.identifier(Column::ADOPTER_ID, "family")?;
        Ok(Adopter {
            id,
            enquiry: self.local_date(Column::ENQUIRY_DATE),
            application: self.local_date(Column::APPLICATION_DATE),
            stage2: self.local_date(Column::STAGE2_DATE),
            approval: self.local_date(Column::APPROVAL_DATE),
            matched: self.local_date(Column::MATCH_DATE),
            withdrawn: self.local_date(Column::WITHDRAWN_DATE),
            la: Text::new(self.text(Column::LA)),
            source,
        })
    }

    fn episode(&mut self, source: Source) -> Result<Episode, &'static str> {
        let child = self.child()?;
        let decom = self.required_date(Column::DECOM, "the date the episode started")?;
        let dec = match self.date(
            Column::DEC,
            Severity::Error,
            "The episode's end is unknown, so the row is left out until this is corrected.",
        ) {
            Ok(d) => d,
            Err(_) => return Err(reason::BAD_DATE),
        };
        if let Some(dec) = dec {
            if dec < decom {
                self.report(
                    "dec-before-decom",
                    Severity::Error,
                    Column::DEC,
                    &format!(
                        "the episode ends ({}) before it starts (DECOM {}), so the row is left out. Correct DECOM or DEC.",
                        dates::uk(dec),
                        dates::uk(decom)
                    ),
                );
                return Err(reason::DEC_BEFORE_DECOM);
            }
        }
        let rne = self.code(Column::RNE, &RNE, false);
        let ls = self.code(Column::LS, &LS, false);
        let cin = self.code(Column::CIN, &CIN, true);
        let mut place = self.code(Column::PLACE, &PLACE_READ, false);
        if place == "Q1" || place == "Q2" {
            let mapped = if place == "Q1" { "U3" } else { "U6" };
            self.report(
                "place-historic",
                Severity::Info,
                Column::PLACE,
                &format!("{place} is a historic code; it is read as {mapped} (foster placement, other). Nothing to do unless you know the newer code."),
            );
            place = Code::new(mapped);
        }
        let temporary = place.starts_with('T');
        let place_provider = self.code(Column::PLACE_PROVIDER, &PLACE_PROVIDER, temporary);
        let rec = self.code(Column::REC, &REC, dec.is_none());
        if dec.is_none() && !rec.is_empty() {
            self.report(
                "rec-without-dec",
                Severity::Warning,
                Column::REC,
                "the episode has a reason for ending (REC) but no end date (DEC); it is treated as still open. Enter DEC, or clear REC.",
            );
        }
        Ok(Episode {
            child,
            decom,
            rne,
            ls,
            cin,
            place,
            place_provider,
            dec,
            rec,
            reason_place_change: Code::upper(self.text(Column::REASON_PLACE_CHANGE)),
            placed_at: placed_at(self.text(Column::URN), self.text(Column::PL_POST)),
            la: Text::new(self.text(Column::LA)),
            source,
        })
    }

    fn header(&mut self, source: Source) -> Result<ChildHeader, &'static str> {
        let child = self.child()?;
        let dob = self.optional_date(
            Column::DOB,
            "Age-based figures treat the date of birth as unknown.",
        );
        let disabled = self.yes_no(Column::DISABLED);
        let sibling_group = self.yes_no(Column::SIBLING_GROUP);
        if dob.is_none() && self.text(Column::DOB).trim().is_empty() {
            self.report(
                "date-missing",
                Severity::Warning,
                Column::DOB,
                "DOB (date of birth) is blank, so age-based figures treat it as unknown. Enter the date of birth as DD/MM/YYYY.",
            );
        }
        let sex = self.code(Column::SEX, &SEX, false);
        let ethnic = self.code(Column::ETHNIC, &ETHNIC, false);
        Ok(ChildHeader {
            child,
            sex,
            dob,
            ethnic,
            disabled,
            sibling_group,
            la: Text::new(self.text(Column::LA)),
            source,
        })
    }

    fn adoption(&mut self, source: Source) -> Result<Adoption, &'static str> {
        let child = self.child()?;
        let date_int = self.optional_date(
            Column::DATE_INT,
            "The decision date is treated as not recorded.",
        );
        let date_match = self.optional_date(
            Column::DATE_MATCH,
            "The match date is treated as not recorded, so the child is left out of A2.",
        );
        let raw = Text::new(self.text(Column::FOSTER_CARE).trim());
        let foster_care = match raw.as_str() {
            "" => None,
            "1" | "1.0" => Some(true),
            "0" | "0.0" => Some(false),
            _ => {
                self.report(
                    "code-unknown",
                    Severity::Warning,
                    Column::FOSTER_CARE,
                    &format!("\"{}\" is not a FOSTER_CARE value. Enter 1 (adopted by former foster carers) or 0.", crate::diagnostic::cut(&raw)),
                );
                None
            }
        };
        let sibling_group = self.yes_no(Column::SIBLING_GROUP);
        Ok(Adoption {
            child,
            date_int,
            date_match,
            foster_care,
            sibling_group,
            la: Text::new(self.text(Column::LA)),
            source,
        })
    }

    fn decision(&mut self, source: Source) -> Result<PlacementDecision, &'static str> {
        let child = self.child()?;
        let date_placed = self.required_date(
            Column::DATE_PLACED,
            "the date of the decision that the child should be placed for adoption",
        )?;
        let date_placed_ceased = match self.date(Column::DATE_PLACED_CEASED, Severity::Error, "Whether the decision still stands is unknown, so the row is left out until this is corrected.") {
            Ok(d) => d,
            Err(_) => return Err(reason::BAD_DATE),
        };
        let reason_placed_ceased = self.code(
            Column::REASON_PLACED_CEASED,
            &RD,
            date_placed_ceased.is_none(),
        );
        if date_placed_ceased.is_none() && !reason_placed_ceased.is_empty() {
            self.report(
                "reason-without-ceased",
                Severity::Warning,
                Column::REASON_PLACED_CEASED,
                "the decision has a reason it ceased but no date it ceased (DATE_PLACED_CEASED); it is treated as still standing. Enter DATE_PLACED_CEASED, or clear REASON_PLACED_CEASED.",
            );
        }
        if let Some(ceased) = date_placed_ceased {
            if ceased < date_placed {
                self.report(
                    "decision-ceased-before-made",
                    Severity::Warning,
                    Column::DATE_PLACED_CEASED,
                    &format!(
                        "the decision ceased ({}) before it was made (DATE_PLACED {}). Correct one of the two dates.",
                        dates::uk(ceased),
                        dates::uk(date_placed)
                    ),
                );
            }
        }
        Ok(PlacementDecision {
            child,
            date_placed,
            date_placed_ceased,
            reason_placed_ceased,
            la: Text::new(self.text(Column::LA)),
            source,
        })
    }
}

/// The table's shape, checked once per file and once per row: repeated column names, cells beyond
/// the header or missing from the end of a row, line breaks inside cells, and what the reader had to
/// repair (stray quotes, NUL characters). None of these excludes a row; each is a located warning.
struct Shape<'a> {
    cols: &'a Columns<'a>,
    spec: &'static Spec,
    /// Columns of the DfE layout named more than once: (name, first index, later indices).
    repeated: Vec<(&'a str, usize, Vec<usize>)>,
    /// The first column with a blank header (or the first beyond the header row).
    first_unnamed: usize,
}

impl<'a> Shape<'a> {
    fn new(cols: &'a Columns<'a>, spec: &'static Spec) -> Shape<'a> {
        let mut repeated: Vec<(&str, usize, Vec<usize>)> = Vec::new();
        for (i, h) in cols.headers.iter().enumerate() {
            if h.is_empty() {
                continue;
            }
            match repeated.iter_mut().find(|(name, _, _)| *name == h.as_str()) {
                Some((_, _, later)) => later.push(i),
                None => repeated.push((h, i, Vec::new())),
            }
        }
        repeated.retain(|(_, _, later)| !later.is_empty());
        Shape {
            cols,
            spec,
            repeated,
            first_unnamed: cols
                .headers
                .iter()
                .position(|h| h.is_empty())
                .unwrap_or(cols.headers.len()),
        }
    }

    /// The column's name for a location: its header, or `column X` when it has none.
    fn name(&self, index: usize) -> String {
        match self.cols.headers.get(index) {
            Some(h) if !h.is_empty() => h.clone(),
            _ => format!("column {}", crate::diagnostic::column_letter(index)),
        }
    }

    fn push(
        &self,
        diags: &mut Vec<Diagnostic>,
        code: &'static str,
        (row, index): (u32, usize),
        value: Option<&str>,
        child: Option<&str>,
        detail: &str,
    ) {
        let name = self.name(index);
        let at = Location {
            file: self.cols.name,
            sheet: self.cols.sheet,
            row: Some(row),
            column: Some((&name, index)),
        };
        let value = value.filter(|v| !v.trim().is_empty());
        diags.push(Diagnostic::new(
            code,
            Severity::Warning,
            &at,
            value,
            child,
            detail,
        ));
    }

    fn file_checks(&self, table: &Table, diags: &mut Vec<Diagnostic>) {
        let letter = crate::diagnostic::column_letter;
        for (name, first, later) in &self.repeated {
            for &i in later {
                self.push(
                    diags,
                    "column-duplicate",
                    (1, i),
                    Some(&table.headers[i]),
                    None,
                    &format!(
                        "{name} is also the header of column {}. Column {} is used and column {} is ignored (rows where they differ are pointed out). Delete or rename the column that is wrong.",
                        letter(*first),
                        letter(*first),
                        letter(i)
                    ),
                );
            }
        }
        self.note_checks(table, diags);
        if table.rows.is_empty() {
            self.no_rows(diags);
        }
    }

    /// What the reader repaired in this table's rows (and header row).
    fn note_checks(&self, table: &Table, diags: &mut Vec<Diagnostic>) {
        for note in &table.notes {
            // Rows are in file order, so numbered in increasing order.
            let value = table
                .rows
                .numbered(note.row)
                .and_then(|r| r.cell(note.column))
                .or(if note.row == 1 {
                    table.headers.get(note.column).map(String::as_str)
                } else {
                    None
                });
            let (code, detail) = match note.kind {
                input::NoteKind::StrayQuote => (
                    "quote-unclosed",
                    "a quote (\") opens this cell but does not close it at the end of the cell, so it would have run on into the rows below and hidden them. It was read as an ordinary character and dropped. Delete the quote, or close it right after the value.",
                ),
                input::NoteKind::NulRemoved => (
                    "cell-nul",
                    "the cell held NUL characters (invisible, never part of a value), which were removed. Save the file again as CSV from the spreadsheet.",
                ),
            };
            self.push(diags, code, (note.row, note.column), value, None, detail);
        }
    }

    fn no_rows(&self, diags: &mut Vec<Diagnostic>) {
        {
            let at = Location {
                file: self.cols.name,
                sheet: self.cols.sheet,
                row: None,
                column: None,
            };
            diags.push(Diagnostic::new(
                "file-no-rows",
                Severity::Info,
                &at,
                None,
                None,
                &format!(
                    "this {} table has a header row but no rows below it, so it adds nothing. If rows are expected, export the table again.",
                    self.spec.name
                ),
            ));
        }
    }

    /// `line_breaks`: whether any cell of the row's table (or piece of it) holds a line break.
    fn row_checks(&self, row: Line<'_>, line_breaks: bool, diags: &mut Vec<Diagnostic>) {
        let letter = crate::diagnostic::column_letter;
        // Worked out only for a row with something to report.
        let child = || {
            self.cols
                .index(Column::CHILD)
                .and_then(|i| row.cell(i))
                .map(|c| upper(c.trim()))
                .filter(|c| !c.is_empty())
        };
        let width = self.cols.headers.len();
        let at = |i: usize| (row.number, i);
        // Cells under no header: beyond the header row's last column, or under a blank header cell.
        let orphans: Vec<usize> = (self.first_unnamed..row.len())
            .filter(|&i| row.cell(i).is_some_and(|c| !c.is_empty()))
            .filter(|&i| self.cols.headers.get(i).is_none_or(|h| h.is_empty()))
            .collect();
        if let Some(&first) = orphans.first() {
            self.push(
                diags,
                "cell-without-header",
                at(first),
                row.cell(first),
                child().as_deref(),
                &format!(
                    "{} in this row {} under no column header, so {} ignored. If a comma inside a value split the row, put that value in quotes; otherwise give the column a header or delete {}.",
                    if orphans.len() == 1 { "a value".to_string() } else { format!("{} values", orphans.len()) },
                    if orphans.len() == 1 { "is" } else { "are" },
                    if orphans.len() == 1 { "it is" } else { "they are" },
                    if orphans.len() == 1 { "the value" } else { "the values" },
                ),
            );
        }
        // A row cut short: the missing cells are read as blank.
        let missing: Vec<&str> = self
            .cols
            .headers
            .iter()
            .skip(row.len())
            .filter(|h| !h.is_empty())
            .map(String::as_str)
            .collect();
        // A workbook stores no trailing empty cells, so a short row there is just a row whose
        // last cells are blank: only text files can have rows cut short.
        let text_file = self.cols.serial_dates.is_none();
        if let (true, Some(first), Some(last)) =
            (text_file, missing.first(), row.len().checked_sub(1))
        {
            self.push(
                diags,
                "row-short",
                at(row.len().min(width.saturating_sub(1))),
                None,
                child().as_deref(),
                &format!(
                    "the row stops at column {} but the header row goes on to column {}, so {} {} read as blank. If the row was cut short or split over two lines, join it again; otherwise add the missing commas.",
                    letter(last),
                    letter(width.saturating_sub(1)),
                    if missing.len() == 1 { (*first).to_string() } else { format!("{first} and the {} columns after it", missing.len() - 1) },
                    if missing.len() == 1 { "is" } else { "are" },
                ),
            );
        }
        // A column named twice whose copies disagree: the first is used.
        for (name, first, later) in &self.repeated {
            if !self.spec.all.contains(name) {
                continue;
            }
            let used = row.cell(*first).unwrap_or("");
            for &i in later {
                let other = row.cell(i).unwrap_or("");
                if !other.eq_ignore_ascii_case(used) {
                    self.push(
                        diags,
                        "column-duplicate-differs",
                        at(i),
                        Some(other),
                        child().as_deref(),
                        &format!(
                            "this second {name} column holds {} but the first (column {}) holds {}, and the first is the one used. Correct the row, and delete the {name} column that is wrong.",
                            shown(other),
                            letter(*first),
                            shown(used)
                        ),
                    );
                }
            }
        }
        // A line break inside a value the engine reads: no SSDA903 value has one.
        // (Its cells are looked at only where some cell of the table holds one.)
        if !line_breaks {
            return;
        }
        for (i, cell) in row.cells().enumerate() {
            let read = self
                .cols
                .headers
                .get(i)
                .is_some_and(|h| self.spec.all.contains(&h.as_str()));
            if read && cell.contains('\n') {
                self.push(
                    diags,
                    "cell-line-break",
                    at(i),
                    Some(cell),
                    child().as_deref(),
                    "the cell holds a line break, which no SSDA903 value has. If quotes (\") around it were typed by mistake, rows below may have been read into this cell: remove the stray quotes and the line break.",
                );
            }
        }
    }
}

/// An episode's `placed_at`: a fingerprint of `urn` and `pl_post` upper-cased, the same for two
/// episodes exactly when they share both (but for a chance of about 1 in 10^19). FNV-1a over the
/// URN's bytes, a byte that never occurs in UTF-8 (so no URN and postcode run into another
/// pair's), then the postcode's, finished by a multiply-xorshift that spreads every input bit
/// over the whole number.
fn placed_at(urn: &str, pl_post: &str) -> u64 {
    const SEPARATOR: u8 = 0xFF;
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    let mut add = |b: u8| hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    if urn.is_ascii() && pl_post.is_ascii() {
        // The usual case, upper-cased byte by byte: no text of its own to make.
        urn.bytes().for_each(|b| add(b.to_ascii_uppercase()));
        add(SEPARATOR);
        pl_post.bytes().for_each(|b| add(b.to_ascii_uppercase()));
    } else {
        upper(urn).bytes().for_each(&mut add);
        add(SEPARATOR);
        upper(pl_post).bytes().for_each(&mut add);
    }
    let mut x = hash;
    x = (x ^ (x >> 33)).wrapping_mul(0xff51_afd7_ed55_8ccd);
    x = (x ^ (x >> 33)).wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

/// Upper-cased without a heap allocation for short (ASCII) text.
fn upper(text: &str) -> Text {
    if crate::model::is_upper_ascii(text) {
        Text::new(text)
    } else if text.is_ascii() {
        let mut t = Text::new(text);
        t.make_ascii_uppercase();
        t
    } else {
        Text::from(text.to_uppercase())
    }
}

/// A cell value for a message: quoted, or `nothing` when blank.
fn shown(value: &str) -> String {
    if value.trim().is_empty() {
        "nothing".to_string()
    } else {
        format!("\"{}\"", crate::diagnostic::cut(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two episodes' `placed_at` agree exactly when their URNs and postcodes both do, whatever
    /// their case; a URN and postcode cannot run into another pair's.
    #[test]
    fn placed_at_is_the_urn_and_postcode_together() {
        assert_eq!(
            placed_at("sc123456", "ls1 4ap"),
            placed_at("SC123456", "LS1 4AP")
        );
        assert_ne!(
            placed_at("SC123456", "LS1 4AP"),
            placed_at("SC123457", "LS1 4AP")
        );
        assert_ne!(
            placed_at("SC123456", "LS1 4AP"),
            placed_at("SC123456", "LS1 4AQ")
        );
        assert_ne!(placed_at("AB", "C"), placed_at("A", "BC"));
        assert_ne!(placed_at("", "1:X"), placed_at("1:X", ""));
        assert_ne!(placed_at("", ""), placed_at("", " "));
        assert_ne!(placed_at("", ""), placed_at(" ", ""));
        // Not ASCII: upper-cased as text, the same as the upper-case spelling.
        assert_eq!(placed_at("sé", "x"), placed_at("SÉ", "X"));
        assert_ne!(placed_at("sé", "x"), placed_at("se", "x"));
        // The number, pinned (worked out apart, in Python): the same on every machine and in the
        // page's wasm.
        assert_eq!(placed_at("", ""), 0x1bbd_5c81_3c69_a8d7);
        assert_eq!(placed_at("sc123456", "LS1 4ap"), 0xf083_6381_97e5_8ecd);
    }

    /// Y/N columns take any case, and anything else is reported upper-cased; `ſ` (long s) is not
    /// an S, though Unicode upper-cases it to one.
    #[test]
    fn yes_no_values() {
        let cases = [
            ("y", Some(true), false),
            ("Yes", Some(true), false),
            (" true ", Some(true), false),
            ("1.0", Some(true), false),
            ("n", Some(false), false),
            ("No", Some(false), false),
            ("FALSE", Some(false), false),
            ("0", Some(false), false),
            ("", None, false),
            ("x", None, true),
            ("yeſ", None, true),
        ];
        let mut csv = String::from("CHILD,SEX,DOB,ETHNIC,DISABLED\n");
        for (i, (value, _, _)) in cases.iter().enumerate() {
            csv.push_str(&format!("C{i},1,01/01/2010,WBRI,{value}\n"));
        }
        let input = Input {
            name: "header.csv",
            bytes: csv.as_bytes(),
        };
        let (records, _, diags) = read_all(&[input]);
        for (i, (value, want, reported)) in cases.iter().enumerate() {
            assert_eq!(records.headers[i].disabled, *want, "{value:?}");
            let row = u32::try_from(i).unwrap() + 2;
            let found = diags
                .iter()
                .any(|d| d.row == Some(row) && d.code == "code-unknown");
            assert_eq!(found, *reported, "{value:?}");
        }
        let x = diags.iter().find(|d| d.row == Some(11)).unwrap();
        assert!(x.message.contains("\"X\" is not Y or N"), "{}", x.message);
    }

    fn headers(cols: &[&str]) -> Vec<String> {
        cols.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_long_file_keeps_every_row_in_order_whichever_thread_reads_it() {
        // Twelve pieces and a bit: natively the records of some pieces are made on the thread
        // that reads the file, while the other is still at an earlier piece (`read_text`), and
        // are added in turn. Every 1,000th row has an unreadable DECOM (left out, an error);
        // every 777th a historic PLACE (used, a note).
        let rows = 12 * input::CHUNK_ROWS + 123;
        let mut csv = String::from("CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC\n");
        let mut expected_rows = Vec::new();
        let mut expected_diagnostics = Vec::new();
        for i in 1..=rows {
            let row = u32::try_from(i + 1).unwrap();
            let decom = if i % 1000 == 0 {
                "31/02/2015"
            } else {
                "01/03/2015"
            };
            let place = if i % 777 == 0 { "Q1" } else { "U1" };
            csv.push_str(&format!("C{i},{decom},S,C2,N1,{place},PR1,,\n"));
            if i % 1000 == 0 {
                expected_diagnostics.push((row, "date-impossible"));
            } else {
                expected_rows.push((format!("C{i}"), row));
                if i % 777 == 0 {
                    expected_diagnostics.push((row, "place-historic"));
                }
            }
        }
        let input = Input {
            name: "episodes.csv",
            bytes: csv.as_bytes(),
        };
        let (records, files, diags) = read_all(&[input]);
        let got: Vec<(String, u32)> = (records.episodes.iter())
            .map(|e| (e.child.to_string(), e.source.row))
            .collect();
        assert!(got == expected_rows, "the records, in the rows' order");
        let found: Vec<(u32, &str)> = diags.iter().map(|d| (d.row.unwrap_or(0), d.code)).collect();
        let differ = found
            .iter()
            .zip(&expected_diagnostics)
            .position(|(a, b)| a != b);
        assert!(
            found.len() == expected_diagnostics.len() && differ.is_none(),
            "the diagnostics, in the rows' order: {} found, {} expected, first difference at {differ:?}",
            found.len(),
            expected_diagnostics.len()
        );
        let bad = u32::try_from(rows / 1000).unwrap();
        assert_eq!(files[0].rows_read, u32::try_from(rows).unwrap());
        assert_eq!(files[0].rows_excluded, bad);
        assert_eq!(files[0].rows_used, u32::try_from(rows).unwrap() - bad);
        assert_eq!(
            files[0].excluded_by_reason,
            vec![ReasonCount {
                reason: reason::BAD_DATE,
                rows: bad
            }]
        );
    }

    #[test]
    fn recognition_by_columns() {
        let cases: &[(&[&str], Option<&str>)] = &[
            (
                &["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"],
                Some("Header"),
            ),
            (
                &[
                    "CHILD",
                    "DECOM",
                    "RNE",
                    "LS",
                    "CIN",
                    "PLACE",
                    "PLACE_PROVIDER",
                    "DEC",
                    "REC",
                ],
                Some("Episodes"),
            ),
            (
                &["CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE"],
                Some("AD1"),
            ),
            (
                &[
                    "CHILD",
                    "DOB",
                    "DATE_PLACED",
                    "DATE_PLACED_CEASED",
                    "REASON_PLACED_CEASED",
                ],
                Some("PlacedAdoption"),
            ),
            (&["CHILD", "SEX", "DOB", "DUC"], Some("UASC")),
            (&["CHILD", "DOB", "REVIEW", "REVIEW_CODE"], Some("Reviews")),
            (
                &[
                    "CARER_ID",
                    "CARER_TYPE",
                    "ENQUIRY_DATE",
                    "APPROVAL_DATE",
                    "APPROVED_PLACES",
                ],
                Some("carers"),
            ),
            (
                &[
                    "ADOPTER_ID",
                    "ENQUIRY_DATE",
                    "APPROVAL_DATE",
                    "MATCH_DATE",
                    "WITHDRAWN_DATE",
                ],
                Some("adopters"),
            ),
            (&["NAME", "TOWN"], None),
        ];
        for (cols, want) in cases {
            assert_eq!(recognise(&headers(cols)).map(|s| s.name), *want, "{cols:?}");
        }
    }

    #[test]
    fn names_given_twice_are_told_apart() {
        let names = unique_names(&["a.csv", "a.csv (2)", "a.csv", "b"]);
        assert_eq!(names, vec!["a.csv", "a.csv (2)", "a.csv (3)", "b"]);
    }

    #[test]
    fn header_names_ignore_case_and_spaces() {
        assert_eq!(normalise_header(" decom "), "DECOM");
        assert_eq!(normalise_header("\u{FEFF}Child"), "CHILD");
    }
}

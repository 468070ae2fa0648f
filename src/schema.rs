//! Tables -> typed records and diagnostics: which 903 table is this, which columns does it have,
//! and is each row usable?
//!
//! A table is recognised by its columns, never by the file name. Column names are compared
//! upper-cased and trimmed, and so are codes.

use crate::dates::{self, DateProblem};
use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::input::{self, DateSystem, File, Input, Row, Table};
use crate::model::{
    Adopter, Adoption, Carer, CarerType, ChildHeader, Episode, PlacementDecision, Records, Source,
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

/// Known code lists (`ssda903.md` section 2). Historic Q1/Q2 are accepted and mapped.
const RNE: &[&str] = &["S", "L", "P", "T", "B", "U"];
const LS: &[&str] = &[
    "C1", "C2", "D1", "E1", "V2", "V3", "V4", "L1", "L2", "L3", "J1", "J2", "J3",
];
const PLACE: &[&str] = &[
    "A3", "A4", "A5", "A6", "H5", "K1", "K2", "K3", "P1", "P2", "P3", "R1", "R2", "R3", "R5", "S1",
    "T0", "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1",
];
const PLACE_PROVIDER: &[&str] = &["PR0", "PR1", "PR2", "PR3", "PR4", "PR5"];
const REC: &[&str] = &[
    "X1", "E11", "E12", "E2", "E3", "E4A", "E4B", "E13", "E41", "E45", "E46", "E47", "E48", "E43",
    "E44", "E5", "E6", "E7", "E8", "E9", "E14", "E15", "E16", "E17",
];
const RD: &[&str] = &["RD1", "RD2", "RD3", "RD4"];

/// What became of one file: the row accounting shown at the top of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

    /// Counts one row of this file as excluded for `reason`.
    pub fn exclude(&mut self, reason: &'static str) {
        self.rows_excluded += 1;
        self.rows_used = self.rows_read.saturating_sub(self.rows_excluded);
        match self
            .excluded_by_reason
            .iter_mut()
            .find(|r| r.reason == reason)
        {
            Some(r) => r.rows += 1,
            None => self
                .excluded_by_reason
                .push(ReasonCount { reason, rows: 1 }),
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
    pub const CONFLICT: &str = "conflicting episode replaced by a later file's";
    pub const SHORT_BREAK: &str = "short break (LS V3/V4)";
    pub const BAD_CODE: &str = "a code that decides how the row is counted is unknown";
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
    let mut records = Records::default();
    let mut files = Vec::with_capacity(inputs.len());
    let mut diags = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        progress(crate::Progress::Reading {
            file: i + 1,
            files: inputs.len(),
            name: input.name,
        });
        let summary = |sheet: Option<String>| FileSummary {
            file: input.name.to_string(),
            sheet,
            table: None,
            status: "unreadable",
            rows_read: 0,
            rows_used: 0,
            rows_excluded: 0,
            excluded_by_reason: Vec::new(),
            extra_columns: Vec::new(),
            columns: Vec::new(),
        };
        let parts = match input::read(input.content) {
            Ok(parts) => parts,
            Err(problem) => vec![input::Part {
                sheet: None,
                table: Err(problem),
            }],
        };
        for part in parts {
            // Records point at their FileSummary: one per sheet, not one per file.
            let index = files.len();
            let mut summary = summary(part.sheet.clone());
            match part.table {
                Err(problem) => {
                    let at = Location {
                        file: input.name,
                        sheet: part.sheet.as_deref(),
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
                Ok(table) => read_table(
                    index,
                    input.name,
                    &table,
                    &mut summary,
                    &mut records,
                    &mut diags,
                ),
            }
            files.push(summary);
        }
    }
    (records, files, diags)
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

fn read_table(
    index: usize,
    name: &str,
    table: &Table,
    summary: &mut FileSummary,
    records: &mut Records,
    diags: &mut Vec<Diagnostic>,
) {
    summary.sheet = table.sheet.clone();
    summary.rows_read = u32::try_from(table.rows.len()).unwrap_or(u32::MAX);
    summary.rows_used = summary.rows_read;
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
        for _ in &table.rows {
            summary.exclude(reason::UNRECOGNISED);
        }
        return;
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
        for _ in &table.rows {
            summary.exclude(reason::NOT_NEEDED);
        }
        return;
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
        for _ in &table.rows {
            summary.exclude(reason::MISSING_COLUMNS);
        }
        return;
    }
    summary.status = "used";
    let cols = Columns {
        headers: &headers,
        name,
        sheet: table.sheet.as_deref(),
        serial_dates: table.serial_dates,
    };
    for row in &table.rows {
        let mut ctx = RowCtx {
            cols: &cols,
            row,
            diags,
            child: None,
        };
        let source = Source {
            file: index,
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

struct Columns<'a> {
    headers: &'a [String],
    name: &'a str,
    sheet: Option<&'a str>,
    /// Workbook sheets: whole numbers in date columns are Excel serial dates.
    serial_dates: Option<DateSystem>,
}

struct RowCtx<'a, 'd> {
    cols: &'a Columns<'a>,
    row: &'a Row,
    diags: &'d mut Vec<Diagnostic>,
    child: Option<String>,
}

impl RowCtx<'_, '_> {
    fn index(&self, column: &str) -> Option<usize> {
        self.cols.headers.iter().position(|h| h == column)
    }

    fn text(&self, column: &str) -> &str {
        self.index(column)
            .and_then(|i| self.row.cells.get(i))
            .map(|s| s.as_str())
            .unwrap_or("")
    }

    fn at(&self, column: &'static str) -> Location<'_> {
        Location {
            file: self.cols.name,
            sheet: self.cols.sheet,
            row: Some(self.row.number),
            column: self.index(column).map(|i| (column, i)),
        }
    }

    fn report(
        &mut self,
        code: &'static str,
        severity: Severity,
        column: &'static str,
        detail: &str,
    ) {
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
    fn child(&mut self) -> Result<String, &'static str> {
        let raw = self.text("CHILD").trim();
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
                "CHILD",
                "the CHILD identifier is blank, so the row cannot be linked to a child and is left out. Fill in the child's identifier.",
            );
            return Err(reason::NO_CHILD);
        }
        let child = raw.to_uppercase();
        self.child = Some(child.clone());
        Ok(child)
    }

    fn date(
        &mut self,
        column: &'static str,
        severity: Severity,
        consequence: &str,
    ) -> Result<Option<NaiveDate>, DateProblem> {
        let text = self.text(column);
        let parsed = match self.cols.serial_dates.and_then(|s| s.serial_date(text)) {
            Some(serial) => serial.map(Some),
            None => dates::parse_date(text),
        };
        if let Err(problem) = parsed {
            let value = crate::diagnostic::cut(self.text(column));
            let detail = format!("{} {consequence}", problem.message(&value));
            self.report(problem.code(), severity, column, &detail);
        }
        parsed
    }

    fn required_date(
        &mut self,
        column: &'static str,
        what: &str,
    ) -> Result<NaiveDate, &'static str> {
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

    fn optional_date(&mut self, column: &'static str, consequence: &str) -> Option<NaiveDate> {
        self.date(column, Severity::Warning, consequence)
            .ok()
            .flatten()
    }

    /// An upper-cased code, checked against `known`; unknown or blank codes are warnings.
    fn code(&mut self, column: &'static str, known: &[&str], blank_ok: bool) -> String {
        let value = self.text(column).trim().to_ascii_uppercase();
        if value.is_empty() {
            if !blank_ok {
                self.report(
                    "code-missing",
                    Severity::Warning,
                    column,
                    &format!("{column} is blank. Enter the {column} code from the SSDA903 guide."),
                );
            }
        } else if !known.contains(&value.as_str()) {
            self.report(
                "code-unknown",
                Severity::Warning,
                column,
                &format!(
                    "\"{}\" is not a {column} code in the SSDA903 guide. Correct it to one of: {}.",
                    crate::diagnostic::cut(&value),
                    known.join(", ")
                ),
            );
        }
        value
    }

    /// An optional Y/N column (DISABLED, SIBLING_GROUP): `None` when absent, blank or unreadable.
    fn yes_no(&mut self, column: &'static str) -> Option<bool> {
        let value = self.text(column).trim().to_ascii_uppercase();
        match value.as_str() {
            "" => None,
            "Y" | "YES" | "1" | "1.0" | "TRUE" => Some(true),
            "N" | "NO" | "0" | "0.0" | "FALSE" => Some(false),
            _ => {
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
    }

    /// An identifier column of a local file (CARER_ID, ADOPTER_ID); blank excludes the row.
    fn identifier(&mut self, column: &'static str, what: &str) -> Result<String, &'static str> {
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
        Ok(id.to_uppercase())
    }

    fn local_date(&mut self, column: &'static str) -> Option<NaiveDate> {
        self.optional_date(column, "The date is treated as not recorded.")
    }

    fn carer(&mut self, source: Source) -> Result<Carer, &'static str> {
        let id = self.identifier("CARER_ID", "household")?;
        let raw_type = self.text("CARER_TYPE").trim().to_ascii_lowercase();
        let carer_type = match raw_type.as_str() {
            "mainstream" => CarerType::Mainstream,
            "connected" | "connected person" | "connected persons" | "family and friends" => {
                CarerType::Connected
            }
            _ => {
                self.report(
                    "carer-type-unknown",
                    Severity::Error,
                    "CARER_TYPE",
                    &format!(
                        "\"{}\" is not a carer type, so the household cannot be counted and the row is left out. Enter mainstream or connected.",
                        crate::diagnostic::cut(&raw_type)
                    ),
                );
                return Err(reason::BAD_CODE);
            }
        };
        let places_text = self.text("APPROVED_PLACES").trim().to_string();
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
                        "APPROVED_PLACES",
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
            enquiry: self.local_date("ENQUIRY_DATE"),
            application: self.local_date("APPLICATION_DATE"),
            stage2: self.local_date("STAGE2_DATE"),
            approval: self.local_date("APPROVAL_DATE"),
            approved_places,
            deregistration: self.local_date("DEREGISTRATION_DATE"),
            deregistration_reason: self.text("DEREGISTRATION_REASON").trim().to_string(),
            la: self.text("LA").to_string(),
            source,
        })
    }

    fn adopter(&mut self, source: Source) -> Result<Adopter, &'static str> {
        let id = self.identifier("ADOPTER_ID", "family")?;
        Ok(Adopter {
            id,
            enquiry: self.local_date("ENQUIRY_DATE"),
            application: self.local_date("APPLICATION_DATE"),
            stage2: self.local_date("STAGE2_DATE"),
            approval: self.local_date("APPROVAL_DATE"),
            matched: self.local_date("MATCH_DATE"),
            withdrawn: self.local_date("WITHDRAWN_DATE"),
            la: self.text("LA").to_string(),
            source,
        })
    }

    fn episode(&mut self, source: Source) -> Result<Episode, &'static str> {
        let child = self.child()?;
        let decom = self.required_date("DECOM", "the date the episode started")?;
        let dec = match self.date(
            "DEC",
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
                    "DEC",
                    &format!(
                        "the episode ends ({}) before it starts (DECOM {}), so the row is left out. Correct DECOM or DEC.",
                        dates::uk(dec),
                        dates::uk(decom)
                    ),
                );
                return Err(reason::DEC_BEFORE_DECOM);
            }
        }
        let rne = self.code("RNE", RNE, false);
        let ls = self.code("LS", LS, false);
        let cin = self.code(
            "CIN",
            &["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"],
            true,
        );
        let mut place = self.code("PLACE", &[PLACE, &["Q1", "Q2"]].concat(), false);
        if place == "Q1" || place == "Q2" {
            let mapped = if place == "Q1" { "U3" } else { "U6" };
            self.report(
                "place-historic",
                Severity::Info,
                "PLACE",
                &format!("{place} is a historic code; it is read as {mapped} (foster placement, other). Nothing to do unless you know the newer code."),
            );
            place = mapped.to_string();
        }
        let temporary = place.starts_with('T');
        let place_provider = self.code("PLACE_PROVIDER", PLACE_PROVIDER, temporary);
        let rec = self.code("REC", REC, dec.is_none());
        if dec.is_none() && !rec.is_empty() {
            self.report(
                "rec-without-dec",
                Severity::Warning,
                "REC",
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
            reason_place_change: self.text("REASON_PLACE_CHANGE").to_ascii_uppercase(),
            pl_post: self.text("PL_POST").to_ascii_uppercase(),
            urn: self.text("URN").to_ascii_uppercase(),
            la: self.text("LA").to_string(),
            source,
        })
    }

    fn header(&mut self, source: Source) -> Result<ChildHeader, &'static str> {
        let child = self.child()?;
        let dob = self.optional_date(
            "DOB",
            "Age-based figures treat the date of birth as unknown.",
        );
        let disabled = self.yes_no("DISABLED");
        let sibling_group = self.yes_no("SIBLING_GROUP");
        Ok(ChildHeader {
            child,
            sex: self.text("SEX").to_string(),
            dob,
            ethnic: self.text("ETHNIC").to_ascii_uppercase(),
            disabled,
            sibling_group,
            la: self.text("LA").to_string(),
            source,
        })
    }

    fn adoption(&mut self, source: Source) -> Result<Adoption, &'static str> {
        let child = self.child()?;
        let date_int =
            self.optional_date("DATE_INT", "The decision date is treated as not recorded.");
        let date_match = self.optional_date(
            "DATE_MATCH",
            "The match date is treated as not recorded, so the child is left out of A2.",
        );
        let raw = self.text("FOSTER_CARE").trim().to_string();
        let foster_care = match raw.as_str() {
            "" => None,
            "1" | "1.0" => Some(true),
            "0" | "0.0" => Some(false),
            _ => {
                self.report(
                    "code-unknown",
                    Severity::Warning,
                    "FOSTER_CARE",
                    &format!("\"{}\" is not a FOSTER_CARE value. Enter 1 (adopted by former foster carers) or 0.", crate::diagnostic::cut(&raw)),
                );
                None
            }
        };
        let sibling_group = self.yes_no("SIBLING_GROUP");
        Ok(Adoption {
            child,
            date_int,
            date_match,
            foster_care,
            sibling_group,
            la: self.text("LA").to_string(),
            source,
        })
    }

    fn decision(&mut self, source: Source) -> Result<PlacementDecision, &'static str> {
        let child = self.child()?;
        let date_placed = self.required_date(
            "DATE_PLACED",
            "the date of the decision that the child should be placed for adoption",
        )?;
        let date_placed_ceased = match self.date("DATE_PLACED_CEASED", Severity::Error, "Whether the decision still stands is unknown, so the row is left out until this is corrected.") {
            Ok(d) => d,
            Err(_) => return Err(reason::BAD_DATE),
        };
        let reason_placed_ceased =
            self.code("REASON_PLACED_CEASED", RD, date_placed_ceased.is_none());
        if let Some(ceased) = date_placed_ceased {
            if ceased < date_placed {
                self.report(
                    "decision-ceased-before-made",
                    Severity::Warning,
                    "DATE_PLACED_CEASED",
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
            la: self.text("LA").to_string(),
            source,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(cols: &[&str]) -> Vec<String> {
        cols.iter().map(|s| s.to_string()).collect()
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
    fn header_names_ignore_case_and_spaces() {
        assert_eq!(normalise_header(" decom "), "DECOM");
        assert_eq!(normalise_header("\u{FEFF}Child"), "CHILD");
    }
}

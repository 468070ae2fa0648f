//! Inputs as officers really have them: Excel workbooks (every sheet a candidate table, Excel
//! dates, numbers that went through Excel) and CSV saved by Excel on Windows (Windows-1252).
//! The workbook fixtures are written by `scripts/make-xlsx-fixtures.py`.

mod common;
use care_scorecard::diagnostic::Severity;
use care_scorecard::input::workbook::{self, DateSystem, Sheet, Workbook};
use care_scorecard::input::{xlsx, Row};
use care_scorecard::{Content, File, Input, Options, Report};
use common::*;

fn fixture_bytes(path: &str) -> Vec<u8> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn rows(sheet: &Sheet) -> Vec<(u32, Vec<&str>)> {
    sheet
        .rows
        .as_ref()
        .expect("sheet read")
        .iter()
        .map(|r| (r.number, r.cells.iter().map(|c| c.as_str()).collect()))
        .collect()
}

fn run_workbook(name: &str, bytes: &[u8]) -> Report {
    care_scorecard::run(&[Input { name, bytes }], &Options::default())
}

#[test]
fn every_kind_of_cell_reads_as_excel_shows_it() {
    let book = xlsx::read_workbook(&fixture_bytes("xlsx/reader.xlsx")).unwrap();
    assert_eq!(book.date_system, DateSystem::Excel1900);
    let names: Vec<&str> = book.sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, vec!["Episodes 2016", "Notes", "Blank", "Hidden"]);
    assert_eq!(
        rows(&book.sheets[0]),
        vec![
            // The sheet's own row numbers: header on row 2, row 4 blank. Column A is blank, so
            // CHILD stays in column B.
            (
                2,
                vec!["", "CHILD", "DECOM", "DEC", "NOTE", "COUNT", "FLAG", "LOOKUP", "WHEN"]
            ),
            (
                3,
                vec![
                    "",
                    "1234",       // a number stored as 1234.0
                    "31/03/2016", // a date cell
                    "42461",      // a serial number in a General cell: left for the date columns
                    "Café £5",    // text, trimmed
                    "1",          // 1.0 shown as 1.00
                    "TRUE",
                    "#N/A",
                    "31/03/2016 12:00:00", // a date with a time
                ]
            ),
            (
                5,
                vec![
                    "",
                    "C2",
                    "01/04/2014",
                    "2015-06-01",
                    "",
                    "2.5",
                    "FALSE",
                    "2"
                ]
            ),
            // Excel's 29/02/1900 (serial 60) and the day after it (61).
            (6, vec!["", "C3", "29/02/1900", "01/03/1900"]),
        ]
    );
    assert_eq!(
        rows(&book.sheets[1]),
        vec![
            (1, vec!["Prepared by", "Data team"]),
            (2, vec!["Checked", "TRUE"])
        ]
    );
    assert_eq!(rows(&book.sheets[2]), Vec::<(u32, Vec<&str>)>::new());
    assert_eq!(rows(&book.sheets[3]).len(), 1, "hidden sheets are read too");
}

#[test]
fn the_1904_date_system_is_honoured() {
    let book = xlsx::read_workbook(&fixture_bytes("xlsx/reader-1904.xlsx")).unwrap();
    assert_eq!(book.date_system, DateSystem::Excel1904);
    let r = rows(&book.sheets[0]);
    assert_eq!(r[1].1[2], "31/03/2016");
    assert_eq!(r[1].1[3], "40999", "01/04/2016 as a 1904 serial");
    assert_eq!(r[1].1[8], "31/03/2016 12:00:00");
}

#[test]
fn sheets_are_reported_one_by_one() {
    let r = run_workbook("reader.xlsx", &fixture_bytes("xlsx/reader.xlsx"));
    let files: Vec<_> = r
        .files
        .iter()
        .map(|f| (f.file.as_str(), f.sheet.as_deref(), f.status, f.table))
        .collect();
    assert_eq!(
        files,
        vec![
            (
                "reader.xlsx",
                Some("Episodes 2016"),
                "missing columns",
                Some("Episodes")
            ),
            ("reader.xlsx", Some("Notes"), "unrecognised", None),
            ("reader.xlsx", Some("Blank"), "empty", None),
            ("reader.xlsx", Some("Hidden"), "used", Some("Header")),
        ]
    );
    assert_eq!(r.counts.files, 1, "one workbook");
    let notes = one(&r, "table-unrecognised");
    assert_eq!(notes.sheet.as_deref(), Some("Notes"));
    assert!(notes
        .message
        .starts_with("reader.xlsx, sheet Notes: the columns (PREPARED BY, DATA TEAM)"));
    let blank = one(&r, "sheet-empty");
    assert_eq!(blank.severity, Severity::Info);
    assert_eq!(
        blank.message,
        "reader.xlsx, sheet Blank: the sheet is empty. Nothing to do."
    );
}

/// The page's path (the workbook module reads, the main module computes) as one value.
fn through_the_page(name: &str, bytes: &[u8]) -> Report {
    let encoded = workbook::encode(&xlsx::read_workbook(bytes));
    care_scorecard::run_files(
        &[File {
            name,
            content: Content::ReadWorkbook(&encoded),
        }],
        &Options::default(),
        &mut |_| {},
    )
}

#[test]
fn the_worked_example_as_a_workbook_gives_the_worked_numbers() {
    let bytes = fixture_bytes("worked-example-xlsx/worked-example.xlsx");
    let r = run_workbook("worked-example.xlsx", &bytes);
    // Dates as date cells (Header, Episodes), serial numbers (AD1), text (PlacedAdoption, header
    // on row 3); FOSTER_CARE and NB_ADOPTR as 1.0-style numbers.
    assert_eq!(days(&r, "A1", "2015-16"), Some(414));
    assert_eq!(ind(&r, "A1", "2015-16").n, 5);
    assert_eq!(days(&r, "A10", "2015-16"), Some(329));
    assert_eq!(days(&r, "A2", "2015-16"), Some(225));
    assert_eq!(ind(&r, "A2", "2015-16").n, 4);
    assert_eq!(percent(&r, "A3", "2015-16"), Some(71.4));
    assert_eq!(
        (ind(&r, "A3", "2015-16").count, ind(&r, "A3", "2015-16").n),
        (Some(5), 7)
    );

    // Everything but where the rows came from is the same as from the four CSV files.
    let csv = run_fixture("worked-example", &Options::default());
    let json = |v: &Report| {
        serde_json::to_value((&v.indicators, &v.excluded, &v.coverage)).expect("serialisable")
    };
    assert_eq!(json(&r), json(&csv));
    assert_eq!(
        r.diagnostics.len(),
        csv.diagnostics.len(),
        "{:?}",
        r.diagnostics
    );
    let placed = r
        .files
        .iter()
        .find(|f| f.sheet.as_deref() == Some("PlacedAdoption"))
        .unwrap();
    assert_eq!((placed.rows_read, placed.rows_used), (7, 7));

    // The page's two-module path gives the very same report.
    let page = through_the_page("worked-example.xlsx", &bytes);
    assert_eq!(
        serde_json::to_value(&page).unwrap(),
        serde_json::to_value(&r).unwrap()
    );
}

#[test]
fn windows_1252_csv_gives_the_same_numbers() {
    let cp1252 = fixture("worked-example-1252");
    let episodes = &cp1252.iter().find(|(n, _)| n == "episodes.csv").unwrap().1;
    assert!(
        std::str::from_utf8(episodes).is_err(),
        "the fixture really is Windows-1252"
    );
    assert!(episodes.contains(&0xA3), "a pound sign, as 1252 writes it");
    let r = run_fixture("worked-example-1252", &Options::default());
    let csv = run_fixture("worked-example", &Options::default());
    assert_eq!(
        serde_json::to_value(&r).unwrap(),
        serde_json::to_value(&csv).unwrap()
    );
    assert_eq!(days(&r, "A1", "2015-16"), Some(414));
    assert_eq!(percent(&r, "A3", "2015-16"), Some(71.4));
}

fn row(number: u32, cells: &[&str]) -> Row {
    Row {
        number,
        cells: cells
            .iter()
            .map(|c| care_scorecard::model::Text::new(c))
            .collect(),
    }
}

/// An Episodes sheet with the header on row 3, as the workbook module would hand it over.
fn episodes_sheet(system: DateSystem, data: Vec<Row>) -> Report {
    let mut rows = vec![row(
        3,
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
    )];
    rows.extend(data);
    let encoded = workbook::encode(&Ok(Workbook {
        date_system: system,
        sheets: vec![Sheet {
            name: "Episodes".into(),
            rows: Ok(rows),
        }],
    }));
    care_scorecard::run_files(
        &[File {
            name: "book.xlsx",
            content: Content::ReadWorkbook(&encoded),
        }],
        &Options::default(),
        &mut |_| {},
    )
}

#[test]
fn serial_numbers_in_date_columns_are_dates() {
    // 42095 = 01/04/2015 and 42278 = 01/10/2015 (1900 system); 40633 = 01/04/2015 in 1904.
    for (system, decom, dec) in [
        (DateSystem::Excel1900, "42095", "42278"),
        (DateSystem::Excel1904, "40633", "40816"),
    ] {
        let r = episodes_sheet(
            system,
            vec![row(
                4,
                &["C1", decom, "S", "C2", "N1", "U6", "PR1", dec, "E4A"],
            )],
        );
        assert!(r.diagnostics.is_empty(), "{system:?}: {:?}", r.diagnostics);
        assert_eq!(
            r.coverage.first_date.map(|d| d.to_string()).as_deref(),
            Some("2015-04-01")
        );
        assert_eq!(
            r.coverage.last_date.map(|d| d.to_string()).as_deref(),
            Some("2015-10-01")
        );
    }
}

#[test]
fn dates_that_never_were_are_named_by_sheet_and_excel_row() {
    let r = episodes_sheet(
        DateSystem::Excel1900,
        vec![
            // A date cell holding Excel's 29/02/1900, and a General cell holding serial 60.
            row(
                7,
                &["C1", "29/02/1900", "S", "C2", "N1", "U6", "PR1", "", ""],
            ),
            row(9, &["C2", "60", "S", "C2", "N1", "U6", "PR1", "", ""]),
        ],
    );
    let bad: Vec<String> = r
        .diagnostics
        .iter()
        .filter(|d| d.code == "date-impossible")
        .map(|d| {
            format!(
                "{}!{}{} {}",
                d.sheet.as_deref().unwrap_or(""),
                d.column_letter.as_deref().unwrap_or(""),
                d.row.unwrap_or(0),
                d.column.as_deref().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(bad, vec!["Episodes!B7 DECOM", "Episodes!B9 DECOM"]);
    assert!(r.diagnostics[0].message.starts_with(
        "book.xlsx, sheet Episodes, row 7, DECOM: \"29/02/1900\" is not a real date."
    ));
    assert_eq!(r.files[0].rows_excluded, 2);
}

#[test]
fn a_damaged_workbook_is_a_diagnostic_never_a_panic() {
    let bytes = fixture_bytes("worked-example-xlsx/worked-example.xlsx");
    // Cut short anywhere, and bytes spoiled all through the file: a report comes back each
    // time, and what cannot be read is said to be so. (A longer random search over
    // uncompressed workbooks, 300,000 spoiled copies, found no panic in calamine 0.38 either.)
    for cut in (0..bytes.len()).step_by(11) {
        let r = run_workbook("cut.xlsx", &bytes[..cut]);
        assert!(!r.diagnostics.is_empty(), "cut at {cut}");
    }
    for i in (0..bytes.len()).step_by(4) {
        let mut b = bytes.clone();
        b[i] ^= 0x5A;
        let _ = run_workbook("spoiled.xlsx", &b);
    }
    let r = run_workbook("cut.xlsx", &bytes[..bytes.len() / 2]);
    assert_eq!(codes(&r), vec!["workbook-unreadable"]);
    assert_eq!(r.files[0].status, "unreadable");
}

fn one<'a>(r: &'a Report, code: &str) -> &'a care_scorecard::diagnostic::Diagnostic {
    let found: Vec<_> = r.diagnostics.iter().filter(|d| d.code == code).collect();
    assert_eq!(found.len(), 1, "{code}: {:?}", r.diagnostics);
    found[0]
}

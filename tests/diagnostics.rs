//! Bad input: every problem becomes a diagnostic naming file, row, column and value, with a fix;
//! no row is lost from the accounting; nothing panics.

mod common;
use care_scorecard::diagnostic::Severity;
use care_scorecard::Input;
use common::*;

fn one(r: &care_scorecard::Report, code: &str) -> care_scorecard::diagnostic::Diagnostic {
    r.diagnostics
        .iter()
        .find(|d| d.code == code)
        .cloned()
        .unwrap_or_else(|| panic!("no {code} in {:?}", codes(r)))
}

#[test]
fn impossible_date_names_file_row_column_and_value() {
    let r = run(&[(
        "episodes.csv",
        csv(
            EPISODES,
            &[
                "A,01/04/2014,S,C2,N1,U6,PR1,01/01/2015,X1,,,,",
                "B,31/02/2023,S,C2,N1,U6,PR1,,,,,,",
            ],
        ),
    )]);
    let d = one(&r, "date-impossible");
    assert_eq!(d.message, "episodes.csv, row 3, DECOM: \"31/02/2023\" is not a real date. Check the day and month, and enter dates as DD/MM/YYYY. The row is left out until this is corrected.");
    assert_eq!(
        (
            d.severity,
            d.row,
            d.column_letter.as_deref(),
            d.child.as_deref()
        ),
        (Severity::Error, Some(3), Some("B"), Some("B"))
    );
    let f = &r.files[0];
    assert_eq!((f.rows_read, f.rows_used, f.rows_excluded), (2, 1, 1));
    assert_eq!(
        f.excluded_by_reason[0].reason,
        "a required date is blank or unreadable"
    );
}

#[test]
fn two_digit_year_is_not_guessed() {
    let r = run(&[("e.csv", csv(EPISODES, &["A,01/04/14,S,C2,N1,U6,PR1,,,,,,"]))]);
    let d = one(&r, "date-two-digit-year");
    assert!(
        d.message
            .starts_with("e.csv, row 2, DECOM: \"01/04/14\" has a two-digit year"),
        "{}",
        d.message
    );
}

#[test]
fn blank_child_is_excluded() {
    let r = run(&[(
        "e.csv",
        csv(EPISODES, &[" ,01/04/2014,S,C2,N1,U6,PR1,,,,,,"]),
    )]);
    let d = one(&r, "child-missing");
    assert_eq!((d.row, d.column.as_deref()), (Some(2), Some("CHILD")));
    assert_eq!(r.files[0].rows_excluded, 1);
}

#[test]
fn dec_before_decom_is_excluded() {
    let r = run(&[(
        "e.csv",
        csv(EPISODES, &["A,01/04/2014,S,C2,N1,U6,PR1,01/03/2014,E8,,,,"]),
    )]);
    let d = one(&r, "dec-before-decom");
    assert_eq!(d.message, "e.csv, row 2, DEC: the episode ends (01/03/2014) before it starts (DECOM 01/04/2014), so the row is left out. Correct DECOM or DEC.");
}

#[test]
fn unknown_codes_are_flagged_but_used() {
    let r = run(&[(
        "e.csv",
        csv(EPISODES, &["A,01/04/2014,S,C9,N1,ZZ,PR1,01/05/2014,E8,,,,"]),
    )]);
    let cols: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.code == "code-unknown")
        .map(|d| d.column.clone().unwrap())
        .collect();
    assert_eq!(cols, vec!["LS", "PLACE"]);
    assert_eq!(r.files[0].rows_used, 1);
}

#[test]
fn long_unknown_codes_are_named_whole_and_never_read_as_known() {
    // WBRI is a known ethnicity and E11 a known REC: values that begin with them are not.
    let r = run(&[
        (
            "e.csv",
            csv(
                EPISODES,
                &["A,01/04/2014,S,C2,N1,U6,PR1,01/05/2014,E11XXXXXXXX,,,,"],
            ),
        ),
        (
            "h.csv",
            "CHILD,SEX,DOB,ETHNIC\nA,1,01/01/2010,WBRIWBRIWBRI\n".to_string(),
        ),
    ]);
    let unknown: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.code == "code-unknown")
        .map(|d| (d.column.clone().unwrap(), d.value.clone().unwrap()))
        .collect();
    assert_eq!(
        unknown,
        vec![
            ("REC".to_string(), "E11XXXXXXXX".to_string()),
            ("ETHNIC".to_string(), "WBRIWBRIWBRI".to_string())
        ]
    );
    // Not an adoption: the period ended with an unknown reason, so no A1 child.
    assert!(r.indicators.iter().all(|i| i.id != "A1" || i.n == 0));
}

#[test]
fn historic_place_codes_are_mapped() {
    let r = run(&[(
        "e.csv",
        csv(EPISODES, &["A,01/04/2014,S,C2,N1,Q2,PR1,01/05/2014,E8,,,,"]),
    )]);
    assert_eq!(one(&r, "place-historic").severity, Severity::Info);
}

#[test]
fn missing_required_column_names_it() {
    let r = run(&[(
        "eps.csv",
        "CHILD,DECOM,RNE,LS,PLACE,PLACE_PROVIDER,REC\nA,01/04/2014,S,C2,U6,PR1,\n".to_string(),
    )]);
    let d = one(&r, "column-missing");
    assert_eq!(d.message, "eps.csv: this looks like the Episodes table but has no DEC column, so none of its rows can be used. Add the DEC column (header in row 1) and load the file again.");
    assert_eq!(
        (r.files[0].status, r.files[0].rows_excluded),
        ("missing columns", 1)
    );
}

#[test]
fn headers_match_whatever_the_case_and_spaces() {
    let r = run(&[(
        "x.txt",
        " child , decom,rne,ls,cin,place,place_provider,dec,rec\nA,01/04/2014,S,C2,N1,U6,PR1,01/05/2014,E8\n".to_string(),
    )]);
    assert_eq!(
        (r.files[0].table, r.files[0].status),
        (Some("Episodes"), "used")
    );
}

#[test]
fn other_files_are_recognised_or_refused_clearly() {
    let r = run(&[
        ("shopping.csv", "item,price\nmilk,1\n".to_string()),
        (
            "reviews.csv",
            "CHILD,DOB,REVIEW,REVIEW_CODE\n1,01/01/2010,01/01/2017,PN1\n".to_string(),
        ),
        ("empty.csv", String::new()),
    ]);
    let statuses: Vec<_> = r.files.iter().map(|f| (f.status, f.table)).collect();
    assert_eq!(
        statuses,
        vec![
            ("unrecognised", None),
            ("not needed", Some("Reviews")),
            ("unreadable", None)
        ]
    );
    assert_eq!(one(&r, "table-unrecognised").message, "shopping.csv: the columns (ITEM, PRICE) do not match any SSDA903 table. Load the Header, Episodes, AD1 and PlacedAdoption files with their DfE column headers in the first row.");
    assert_eq!(
        one(&r, "file-empty").message,
        "empty.csv: the file is empty. Export the table again, with its header row."
    );
    assert_eq!((r.counts.rows_read, r.counts.rows_excluded), (2, 2));
}

#[test]
fn damaged_workbooks_old_excel_and_binary_files_are_refused_with_a_fix() {
    let inputs = [
        Input {
            name: "book.xlsx",
            bytes: b"PK\x03\x04\x14\x00",
        },
        Input {
            name: "old.xls",
            bytes: b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
        },
        Input {
            name: "photo.png",
            bytes: b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR",
        },
    ];
    let r = care_scorecard::run(&inputs, &Default::default());
    // By file name: book, old, photo.
    assert_eq!(
        codes(&r),
        vec!["workbook-unreadable", "file-xls", "file-not-text"]
    );
    assert!(r.diagnostics.iter().all(|d| d.severity == Severity::Error));
    assert_eq!(
        one(&r, "workbook-unreadable").message,
        "book.xlsx: the workbook could not be read (the file is damaged or is not an .xlsx). Open it in Excel, save it again as an Excel Workbook (.xlsx) and load that file."
    );
    assert_eq!(
        one(&r, "file-xls").message,
        "old.xls: this is an old-style Excel workbook (.xls) or a password-protected one, which cannot be read here. Open it in Excel, remove any password, save it as an Excel Workbook (.xlsx) and load that file."
    );
    assert_eq!(r.counts.files, 3);
}

#[test]
fn windows_1252_utf16_and_bom_files_read_alike() {
    let plain = csv(
        EPISODES,
        &[
            "A,01/04/2014,S,C2,N1,U6,PR1,01/01/2015,X1,,,,",
            "A,01/01/2015,P,E1,N1,A6,PR1,01/09/2015,E11,,,,",
        ],
    );
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(plain.replace('\n', "\r\n").as_bytes());
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(plain.encode_utf16().flat_map(|u| u.to_le_bytes()));
    // Windows-1252: a pound sign in a free-text column is the single byte 0xA3.
    let mut cp1252 = Vec::new();
    for (i, line) in plain.lines().enumerate() {
        cp1252.extend_from_slice(line.as_bytes());
        if i == 1 {
            cp1252.extend_from_slice(b"\xA3");
        }
        cp1252.push(b'\n');
    }
    for bytes in [plain.as_bytes().to_vec(), bom, utf16, cp1252] {
        let r = care_scorecard::run(
            &[Input {
                name: "e.csv",
                bytes: &bytes,
            }],
            &Default::default(),
        );
        assert_eq!(days(&r, "A1", "2015-16"), Some(275));
    }
}

#[test]
fn rows_are_located_as_a_spreadsheet_shows_them() {
    // Row 3 holds a quoted line break; row 4 is blank; the bad date is on spreadsheet row 5.
    let text = format!("{EPISODES}\nA,01/04/2014,S,C2,N1,U6,PR1,01/01/2015,X1,\"two\nlines\",,,\nA,01/01/2015,P,E1,N1,A6,PR1,,,,,,\n\nB,1/13/2015,S,C2,N1,U6,PR1,,,,,,\n");
    let r = run(&[("e.csv", text)]);
    assert_eq!(one(&r, "date-impossible").row, Some(5));
}

#[test]
fn child_ids_are_trimmed_and_case_folded_across_files() {
    let r = run(&[
        (
            "e.csv",
            csv(
                EPISODES,
                &[
                    "ab1 ,01/04/2014,S,C2,N1,U6,PR1,01/01/2015,X1,,,,",
                    "AB1,01/01/2015,P,E1,N1,A6,PR1,01/09/2015,E11,,,,",
                ],
            ),
        ),
        ("a.csv", csv(AD1, &[" Ab1,,,01/03/2015,0,,,"])),
    ]);
    // One period: 01/04/2014 -> 01/01/2015 = 275; A2 order 01/01/2015 -> match 01/03/2015 = 59.
    assert_eq!(
        child_days(&r, "A1", "2015-16"),
        vec![("AB1".to_string(), 275)]
    );
    assert_eq!(
        child_days(&r, "A2", "2015-16"),
        vec![("AB1".to_string(), 59)]
    );
}

#[test]
fn overlapping_and_doubly_open_episodes_are_flagged() {
    let r = run(&[(
        "e.csv",
        csv(
            EPISODES,
            &[
                "A,01/04/2014,S,C2,N1,U6,PR1,01/03/2015,X1,,,,",
                "A,01/01/2015,P,C2,N1,U6,PR1,,,,,,",
                "A,01/02/2015,P,C2,N1,U4,PR1,,,,,,",
            ],
        ),
    )]);
    assert_eq!(
        codes(&r)
            .iter()
            .filter(|c| **c == "episode-overlap")
            .count(),
        1
    );
    assert_eq!(
        codes(&r)
            .iter()
            .filter(|c| **c == "episode-open-not-last")
            .count(),
        1
    );
}

#[test]
fn peer_tools_fake_files_are_read_and_every_adoption_is_accounted_for() {
    let r = run_fixture(
        "peers/d2i-csc-validator-be-903/fake_data",
        &Default::default(),
    );
    assert_eq!(r.counts.files, 13);
    assert!(
        r.files
            .iter()
            .all(|f| f.status == "used" || f.status == "not needed"),
        "{:?}",
        r.files
    );
    assert_eq!(
        r.counts.rows_read,
        r.counts.rows_used + r.counts.rows_excluded
    );
    // The peers' README: 113 children have an adoption episode (REC E11/E12). Each is either
    // behind A1 or listed as excluded with a reason.
    let mut children: Vec<&str> = r.excluded.iter().map(|x| x.child.as_str()).collect();
    for i in r.indicators.iter().filter(|i| i.id == "A1") {
        children.extend(i.children.iter().map(|c| c.child.as_str()));
    }
    children.sort();
    children.dedup();
    assert_eq!(children.len(), 113);
}

#[test]
fn pipeline_samples_with_extra_and_dirty_columns() {
    let r = run_fixture(
        "peers/sfdl-liia-tools-pipeline/samples",
        &Default::default(),
    );
    let eps = r
        .files
        .iter()
        .find(|f| f.table == Some("Episodes"))
        .unwrap();
    assert_eq!(eps.extra_columns, vec!["TEST_COLUMN"]);
    assert!(
        codes(&r).contains(&"code-missing"),
        "the blank LS is flagged"
    );
    let r = run_fixture("peers/sfdl-liia-tools/samples", &Default::default());
    assert!(r.files.iter().all(|f| f.status == "used"));
}

#[test]
fn garbage_never_panics() {
    // A cheap deterministic sweep; the fuzz target goes much further.
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let alphabet =
        b"CHILD,DECOM,RNE,LS,PLACE,PLACE_PROVIDER,DEC,REC\n\r\"01/02/2015E11A6X1S \t;\x00\xff";
    for _ in 0..300 {
        let len = (seed % 400) as usize;
        let mut bytes = Vec::with_capacity(len);
        for _ in 0..len {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            bytes.push(alphabet[(seed % alphabet.len() as u64) as usize]);
        }
        let header = format!("{EPISODES}\n").into_bytes();
        let with_header = [header, bytes.clone()].concat();
        for b in [&bytes, &with_header] {
            let r = care_scorecard::run(
                &[Input {
                    name: "x.csv",
                    bytes: b,
                }],
                &Default::default(),
            );
            assert_eq!(
                r.counts.rows_read,
                r.counts.rows_used + r.counts.rows_excluded
            );
        }
    }
}

// Issue 6: the page's report carries only the diagnostics it shows (`Options::diagnostics`).

/// Six problems in two groups. The list is sorted by severity, file, row: rows 2, 3, 4 and 7 are
/// impossible dates (positions 0, 1, 2, 5), rows 5 and 6 two-digit years (positions 3, 4). Groups:
/// errors first, the larger first: date-impossible [0, 1, 2, 5], then date-two-digit-year [3, 4].
fn six_problems(diagnostics: care_scorecard::options::Diagnostics) -> care_scorecard::Report {
    let options = care_scorecard::Options {
        diagnostics,
        ..Default::default()
    };
    run_with(
        &[(
            "episodes.csv",
            csv(
                EPISODES,
                &[
                    "A,31/02/2023,S,C2,N1,U6,PR1,,,,,,",
                    "B,30/02/2015,S,C2,N1,U6,PR1,,,,,,",
                    "C,31/04/2015,S,C2,N1,U6,PR1,,,,,,",
                    "D,01/04/14,S,C2,N1,U6,PR1,,,,,,",
                    "E,01/04/15,S,C2,N1,U6,PR1,,,,,,",
                    "F,31/06/2015,S,C2,N1,U6,PR1,,,,,,",
                    "G,01/04/2014,S,C2,N1,U6,PR1,,,,,,",
                ],
            ),
        )],
        &options,
    )
}

fn limit(first: u32, per_group: Option<u32>) -> care_scorecard::options::Diagnostics {
    care_scorecard::options::Diagnostics::First { first, per_group }
}

/// (index, row) of each diagnostic kept, and (code, count, indices) of each group.
type Kept = (
    Vec<(Option<u32>, Option<u32>)>,
    Vec<(&'static str, u32, Vec<u32>)>,
);

fn kept(r: &care_scorecard::Report) -> Kept {
    (
        r.diagnostics.iter().map(|d| (d.index, d.row)).collect(),
        r.quality
            .iter()
            .map(|g| (g.code, g.count, g.diagnostics.clone()))
            .collect(),
    )
}

#[test]
fn issue6_all_diagnostics_by_default_without_index_or_total() {
    let r = six_problems(Default::default());
    assert_eq!(r.diagnostics_total, None);
    assert_eq!(
        kept(&r),
        (
            vec![
                (None, Some(2)),
                (None, Some(3)),
                (None, Some(4)),
                (None, Some(5)),
                (None, Some(6)),
                (None, Some(7)),
            ],
            vec![
                ("date-impossible", 4, vec![0, 1, 2, 5]),
                ("date-two-digit-year", 2, vec![3, 4]),
            ]
        )
    );
    let json = serde_json::to_string(&r).unwrap();
    assert!(!json.contains("\"index\"") && !json.contains("diagnostics_total"));
}

#[test]
fn issue6_first_two_and_one_per_group() {
    // The first 2 (positions 0, 1), date-impossible's first (0), date-two-digit-year's first (3).
    let r = six_problems(limit(2, Some(1)));
    assert_eq!(r.diagnostics_total, Some(6));
    assert_eq!(
        kept(&r),
        (
            vec![(Some(0), Some(2)), (Some(1), Some(3)), (Some(3), Some(5))],
            vec![
                ("date-impossible", 4, vec![0]),
                ("date-two-digit-year", 2, vec![3]),
            ]
        )
    );
    // Each kept diagnostic is the one at its index in the whole list.
    let all = six_problems(Default::default());
    for d in &r.diagnostics {
        let i = d.index.unwrap() as usize;
        assert_eq!(
            care_scorecard::diagnostic::Diagnostic {
                index: None,
                ..d.clone()
            },
            all.diagnostics[i]
        );
    }
    let json: serde_json::Value = serde_json::to_value(&r).unwrap();
    assert_eq!(json["diagnostics_total"], 6);
    assert_eq!(json["diagnostics"][2]["index"], 3);
    assert_eq!(json["quality"][1]["count"], 2);
}

#[test]
fn issue6_per_group_defaults_to_first() {
    // first 1: position 0; one per group: 0 and 3.
    let r = six_problems(limit(1, None));
    assert_eq!(kept(&r).0, vec![(Some(0), Some(2)), (Some(3), Some(5))]);
    // first 3: positions 0-2; three per group: 0, 1, 2 and 3, 4.
    let r = six_problems(limit(3, None));
    assert_eq!(
        kept(&r),
        (
            vec![
                (Some(0), Some(2)),
                (Some(1), Some(3)),
                (Some(2), Some(4)),
                (Some(3), Some(5)),
                (Some(4), Some(6)),
            ],
            vec![
                ("date-impossible", 4, vec![0, 1, 2]),
                ("date-two-digit-year", 2, vec![3, 4]),
            ]
        )
    );
}

#[test]
fn issue6_limits_of_none_and_of_more_than_there_are() {
    let r = six_problems(limit(0, Some(0)));
    assert_eq!(r.diagnostics_total, Some(6));
    assert_eq!(
        kept(&r),
        (
            vec![],
            vec![
                ("date-impossible", 4, vec![]),
                ("date-two-digit-year", 2, vec![]),
            ]
        )
    );
    let r = six_problems(limit(100, Some(100)));
    assert_eq!(r.diagnostics_total, Some(6));
    assert_eq!(
        r.diagnostics.iter().map(|d| d.index).collect::<Vec<_>>(),
        (0..6).map(Some).collect::<Vec<_>>()
    );
    assert_eq!(kept(&r).1, kept(&six_problems(Default::default())).1);
}

#[test]
fn issue6_diagnostics_option_as_the_page_sends_it() {
    use care_scorecard::options::Diagnostics;
    let parse = |json: &str| {
        serde_json::from_str::<care_scorecard::Options>(json)
            .unwrap()
            .diagnostics
    };
    assert_eq!(parse("{}"), Diagnostics::All);
    assert_eq!(parse(r#"{"diagnostics":"all"}"#), Diagnostics::All);
    assert_eq!(
        parse(r#"{"diagnostics":{"first":2000}}"#),
        limit(2000, None)
    );
    assert_eq!(
        parse(r#"{"diagnostics":{"first":2000,"per_group":500}}"#),
        limit(2000, Some(500))
    );
    assert_eq!(
        parse(r#"{"diagnostics":{"first":10,"per_group":null}}"#),
        limit(10, None)
    );
    for wrong in [
        r#"{"diagnostics":"some"}"#,
        r#"{"diagnostics":{"per_group":5}}"#,
        r#"{"diagnostics":{"first":-1}}"#,
        r#"{"diagnostics":3}"#,
    ] {
        assert!(
            serde_json::from_str::<care_scorecard::Options>(wrong).is_err(),
            "{wrong}"
        );
    }
    // Not a methodology choice: the report's options do not show it.
    let json = serde_json::to_string(&six_problems(limit(1, None)).options).unwrap();
    assert!(!json.contains("diagnostics"), "{json}");
}

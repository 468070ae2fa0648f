//! Workbooks once read: one list of numbered rows per sheet. Excel dates, the small binary form in
//! which the page's workbook module hands a read workbook to the main module, and sheets -> tables.
//!
//! This file is compiled into every build; only the reader (`xlsx.rs`, calamine) is not, so the
//! page's main wasm can take a workbook the workbook module has read without carrying calamine.

use super::{Part, ReadProblem, Row, Table};
use crate::dates::DateProblem;
use chrono::{Days, NaiveDate};

/// A workbook as the reader gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workbook {
    pub date_system: DateSystem,
    /// In the workbook's order, hidden sheets included.
    pub sheets: Vec<Sheet>,
}

/// One sheet: its non-blank rows, each numbered as Excel shows it, the header row included, or
/// why it could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    pub name: String,
    pub rows: Result<Vec<Row>, String>,
}

/// Which day an Excel serial number counts from (a workbook-wide setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateSystem {
    /// Windows Excel: serial 1 is 01/01/1900. Excel believes 1900 was a leap year (a bug kept
    /// from Lotus 1-2-3), so serial 60 is a 29/02/1900 that never was and every serial from 61 on
    /// is one more than the days since 31/12/1899.
    Excel1900,
    /// Old Mac Excel ("Use 1904 date system"): serial 0 is 01/01/1904.
    Excel1904,
}

/// The largest serial Excel accepts: 31/12/9999 in the 1900 system.
const MAX_SERIAL_1900: i64 = 2_958_465;
/// Days between the two systems' day 0 (1904-01-01 is serial 1462 in the 1900 system).
const OFFSET_1904: i64 = 1_462;

impl DateSystem {
    /// The date of a whole serial number, or `None` when no real date has it (0, the fake
    /// 29/02/1900, or past 31/12/9999).
    pub fn date(self, serial: i64) -> Option<NaiveDate> {
        let (base, days) = match self {
            DateSystem::Excel1900 => match serial {
                1..=59 => (NaiveDate::from_ymd_opt(1899, 12, 31)?, serial),
                61..=MAX_SERIAL_1900 => (NaiveDate::from_ymd_opt(1899, 12, 30)?, serial),
                _ => return None,
            },
            DateSystem::Excel1904 if (0..=MAX_SERIAL_1900 - OFFSET_1904).contains(&serial) => {
                (NaiveDate::from_ymd_opt(1904, 1, 1)?, serial)
            }
            DateSystem::Excel1904 => return None,
        };
        base.checked_add_days(Days::new(u64::try_from(days).ok()?))
    }

    /// How a date-formatted cell holding `value` reads: `DD/MM/YYYY`, as Excel shows it in the
    /// UK, with the time after it when there is one (`31/03/2016 14:30:00`). Serial 60 reads
    /// `29/02/1900` and 0 reads `00/01/1900`, as Excel shows them, so the date reader calls them
    /// what they are: dates that do not exist.
    pub fn cell_text(self, value: f64) -> String {
        let upper = match self {
            DateSystem::Excel1900 => MAX_SERIAL_1900 + 1,
            DateSystem::Excel1904 => MAX_SERIAL_1900 - OFFSET_1904 + 1,
        };
        if !value.is_finite() || value < 0.0 || value >= upper as f64 {
            return number_text(value);
        }
        let mut serial = value.floor() as i64;
        let mut seconds = ((value - value.floor()) * 86_400.0).round() as i64;
        if seconds >= 86_400 {
            serial += 1;
            seconds = 0;
        }
        let date = match (self, serial) {
            (DateSystem::Excel1900, 0) => "00/01/1900".to_string(),
            (DateSystem::Excel1900, 60) => "29/02/1900".to_string(),
            _ => match self.date(serial) {
                Some(d) => d.format("%d/%m/%Y").to_string(),
                None => return number_text(value),
            },
        };
        if seconds == 0 {
            date
        } else {
            format!(
                "{date} {:02}:{:02}:{:02}",
                seconds / 3600,
                seconds / 60 % 60,
                seconds % 60
            )
        }
    }

    /// A date column's cell that holds a whole number read as a serial date: `None` when the text
    /// is not a whole number (then it is read as text), else the date or why there is none.
    pub fn serial_date(self, text: &str) -> Option<Result<NaiveDate, DateProblem>> {
        let t = text.trim();
        if t.is_empty() || t.len() > 7 || !t.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let serial: i64 = t.parse().ok()?;
        Some(self.date(serial).ok_or(DateProblem::Impossible))
    }
}

/// A number as Excel shows it in General format, near enough: whole numbers without a decimal
/// point (`1.0` -> `1`, so CHILD `1234` and FOSTER_CARE `1` read as typed), others in the
/// shortest form that reads back the same.
pub fn number_text(value: f64) -> String {
    if value.is_finite() && value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

impl Workbook {
    /// One candidate table per sheet.
    pub fn into_parts(self) -> Vec<Part> {
        let system = self.date_system;
        self.sheets
            .into_iter()
            .map(|sheet| {
                let table = match sheet.rows {
                    Err(why) => Err(ReadProblem::SheetUnreadable(why)),
                    Ok(rows) => table(&sheet.name, rows, system),
                };
                Part {
                    sheet: Some(sheet.name),
                    table,
                }
            })
            .collect()
    }
}

/// The first non-blank row is the header; the rest are data rows with the sheet's row numbers.
fn table(name: &str, rows: Vec<Row>, system: DateSystem) -> Result<Table, ReadProblem> {
    let mut rows = rows
        .into_iter()
        .filter(|r| r.cells.iter().any(|c| !c.trim().is_empty()));
    let header = rows.next().ok_or(ReadProblem::SheetEmpty)?;
    Ok(Table {
        sheet: Some(name.to_string()),
        headers: super::trim_trailing_blank(header.cells.iter().map(|c| c.as_str())),
        rows: rows.collect(),
        serial_dates: Some(system),
        notes: Vec::new(),
    })
}

// ---------------------------------------------------------------------------------------------
// The binary form. The page's two wasm modules come from one build of one crate, so this is a
// private format with a version line, not an interchange format; a mismatch is refused cleanly.
//
//   MAGIC, then u8 0 (read) or 1 (not read: a string saying why, and nothing more);
//   u8 date system (0 = 1900, 1 = 1904); u32 sheet count; per sheet: string name, then u8 0 and
//   u32 row count and rows (u32 number, u32 cell count, strings), or u8 1 and a string saying why.
//   Integers little-endian; a string is a u32 byte length and UTF-8.

const MAGIC: &[u8] = b"care-scorecard workbook 1\n";

/// Writes the reader's result for the main module.
pub fn encode(read: &Result<Workbook, String>) -> Vec<u8> {
    let mut out = Vec::with_capacity(1024);
    out.extend_from_slice(MAGIC);
    let book = match read {
        Err(why) => {
            out.push(1);
            put_str(&mut out, why);
            return out;
        }
        Ok(book) => book,
    };
    out.push(0);
    out.push(match book.date_system {
        DateSystem::Excel1900 => 0,
        DateSystem::Excel1904 => 1,
    });
    put_len(&mut out, book.sheets.len());
    for sheet in &book.sheets {
        put_str(&mut out, &sheet.name);
        match &sheet.rows {
            Err(why) => {
                out.push(1);
                put_str(&mut out, why);
            }
            Ok(rows) => {
                out.push(0);
                put_len(&mut out, rows.len());
                for row in rows {
                    out.extend_from_slice(&row.number.to_le_bytes());
                    put_len(&mut out, row.cells.len());
                    for cell in &row.cells {
                        put_str(&mut out, cell);
                    }
                }
            }
        }
    }
    out
}

fn put_len(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    // Cells are far below 4 GB (Excel allows 32,767 characters); cut rather than wrap.
    let bytes = &s.as_bytes()[..s.len().min(u32::MAX as usize)];
    put_len(out, bytes.len());
    out.extend_from_slice(bytes);
}

/// Reads what [`encode`] wrote.
pub fn decode(bytes: &[u8]) -> Result<Workbook, ReadProblem> {
    let corrupt = || {
        ReadProblem::WorkbookUnreadable(
            "the workbook reader's output was cut short or came from another version".into(),
        )
    };
    let mut r = Reader {
        rest: bytes.strip_prefix(MAGIC).ok_or_else(corrupt)?,
    };
    match r.u8().ok_or_else(corrupt)? {
        0 => {}
        1 => {
            return Err(ReadProblem::WorkbookUnreadable(
                r.string().ok_or_else(corrupt)?,
            ))
        }
        _ => return Err(corrupt()),
    }
    let date_system = match r.u8().ok_or_else(corrupt)? {
        0 => DateSystem::Excel1900,
        1 => DateSystem::Excel1904,
        _ => return Err(corrupt()),
    };
    let count = r.u32().ok_or_else(corrupt)?;
    let mut sheets = Vec::new();
    for _ in 0..count {
        let name = r.string().ok_or_else(corrupt)?;
        let rows = match r.u8().ok_or_else(corrupt)? {
            0 => Ok(r.rows().ok_or_else(corrupt)?),
            1 => Err(r.string().ok_or_else(corrupt)?),
            _ => return Err(corrupt()),
        };
        sheets.push(Sheet { name, rows });
    }
    if !r.rest.is_empty() {
        return Err(corrupt());
    }
    Ok(Workbook {
        date_system,
        sheets,
    })
}

struct Reader<'a> {
    rest: &'a [u8],
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        if n > self.rest.len() {
            return None;
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Some(head)
    }

    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn u32(&mut self) -> Option<u32> {
        let b = self.take(4)?;
        Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn string(&mut self) -> Option<String> {
        let n = usize::try_from(self.u32()?).ok()?;
        String::from_utf8(self.take(n)?.to_vec()).ok()
    }

    fn rows(&mut self) -> Option<Vec<Row>> {
        let count = self.u32()?;
        // Never trust a count for an allocation: each row takes at least 8 bytes.
        let mut rows = Vec::with_capacity((count as usize).min(self.rest.len() / 8));
        for _ in 0..count {
            let number = self.u32()?;
            let cells = self.u32()?;
            let mut row = Vec::with_capacity((cells as usize).min(self.rest.len() / 4));
            for _ in 0..cells {
                row.push(crate::model::Text::from(self.string()?));
            }
            rows.push(Row { number, cells: row });
        }
        Some(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn excel_1900_serials_with_the_leap_year_bug() {
        let s = DateSystem::Excel1900;
        let cases: &[(i64, Option<NaiveDate>)] = &[
            (0, None),
            (1, ymd(1900, 1, 1)),
            (59, ymd(1900, 2, 28)),
            (60, None), // 29/02/1900: Excel shows it, but it never was
            (61, ymd(1900, 3, 1)),
            (42_370, ymd(2016, 1, 1)),
            (42_460, ymd(2016, 3, 31)),
            (MAX_SERIAL_1900, ymd(9999, 12, 31)),
            (MAX_SERIAL_1900 + 1, None),
            (-1, None),
        ];
        for &(serial, want) in cases {
            assert_eq!(s.date(serial), want, "serial {serial}");
        }
    }

    #[test]
    fn excel_1904_serials() {
        let s = DateSystem::Excel1904;
        assert_eq!(s.date(0), ymd(1904, 1, 1));
        assert_eq!(s.date(42_370 - OFFSET_1904), ymd(2016, 1, 1));
        assert_eq!(s.date(-1), None);
        assert_eq!(s.date(MAX_SERIAL_1900 - OFFSET_1904), ymd(9999, 12, 31));
    }

    #[test]
    fn date_cells_read_as_excel_shows_them() {
        let s = DateSystem::Excel1900;
        let cases: &[(f64, &str)] = &[
            (42_460.0, "31/03/2016"),
            (42_460.5, "31/03/2016 12:00:00"),
            (42_460.999_999_9, "01/04/2016"), // rounds to midnight of the next day
            (60.0, "29/02/1900"),
            (0.0, "00/01/1900"),
            (61.0, "01/03/1900"),
            (-5.0, "-5"),
            (3e6, "3000000"),
        ];
        for &(value, want) in cases {
            assert_eq!(s.cell_text(value), want, "{value}");
        }
        assert_eq!(DateSystem::Excel1904.cell_text(0.0), "01/01/1904");
        assert_eq!(DateSystem::Excel1904.cell_text(40_908.0), "01/01/2016");
    }

    #[test]
    fn serial_numbers_in_date_columns() {
        let s = DateSystem::Excel1900;
        assert_eq!(s.serial_date("42460"), Some(Ok(ymd(2016, 3, 31).unwrap())));
        assert_eq!(s.serial_date(" 61 "), Some(Ok(ymd(1900, 3, 1).unwrap())));
        assert_eq!(s.serial_date("60"), Some(Err(DateProblem::Impossible)));
        assert_eq!(s.serial_date("0"), Some(Err(DateProblem::Impossible)));
        assert_eq!(s.serial_date("31/03/2016"), None);
        assert_eq!(s.serial_date("42460.5"), None);
        assert_eq!(s.serial_date("-3"), None);
        assert_eq!(s.serial_date("12345678"), None);
        assert_eq!(s.serial_date(""), None);
    }

    #[test]
    fn numbers_as_general_format_shows_them() {
        assert_eq!(number_text(1.0), "1");
        assert_eq!(number_text(-0.0), "0");
        assert_eq!(number_text(1234.0), "1234");
        assert_eq!(number_text(0.5), "0.5");
        assert_eq!(number_text(1e20), "100000000000000000000");
        assert_eq!(number_text(f64::NAN), "NaN");
    }

    fn row(number: u32, cells: &[&str]) -> Row {
        Row {
            number,
            cells: cells.iter().map(|c| crate::model::Text::new(c)).collect(),
        }
    }

    fn sample() -> Workbook {
        Workbook {
            date_system: DateSystem::Excel1904,
            sheets: vec![
                Sheet {
                    name: "Épisodes £".into(),
                    rows: Ok(vec![
                        row(3, &["", "CHILD", "DECOM", ""]),
                        row(4, &["", "C1", "42460"]),
                        row(7, &[]),
                    ]),
                },
                Sheet {
                    name: "Empty".into(),
                    rows: Ok(vec![row(2, &["", " "])]),
                },
                Sheet {
                    name: "Broken".into(),
                    rows: Err("bad XML".into()),
                },
            ],
        }
    }

    #[test]
    fn encoding_round_trips() {
        let book = sample();
        assert_eq!(decode(&encode(&Ok(book.clone()))), Ok(book));
        assert_eq!(
            decode(&encode(&Err("not a zip".into()))),
            Err(ReadProblem::WorkbookUnreadable("not a zip".into()))
        );
    }

    #[test]
    fn damaged_encodings_are_refused_never_panic() {
        let bytes = encode(&Ok(sample()));
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut extra = bytes.clone();
        extra.push(0);
        assert!(decode(&extra).is_err());
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0xFF;
            let _ = decode(&b);
        }
        assert!(decode(b"care-scorecard workbook 2\n\x00").is_err());
    }

    #[test]
    fn sheets_become_tables_with_their_own_row_numbers() {
        let parts = sample().into_parts();
        assert_eq!(parts.len(), 3);
        let t = parts[0].table.as_ref().unwrap();
        assert_eq!(parts[0].sheet.as_deref(), Some("Épisodes £"));
        // The header is on row 3 and keeps its leading blank column (column A), so column
        // letters match the sheet.
        assert_eq!(t.headers, vec!["", "CHILD", "DECOM"]);
        assert_eq!(t.rows.iter().map(|r| r.number).collect::<Vec<_>>(), vec![4]);
        assert_eq!(t.serial_dates, Some(DateSystem::Excel1904));
        assert_eq!(parts[1].table, Err(ReadProblem::SheetEmpty));
        assert_eq!(
            parts[2].table,
            Err(ReadProblem::SheetUnreadable("bad XML".into()))
        );
    }
}

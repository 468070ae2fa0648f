//! The XLSX reader (calamine). Compiled into native builds and into the page's workbook module
//! (feature `xlsx`), never into the page's main module.
//!
//! Cells are streamed (calamine's cell reader), not loaded as one dense rectangle: a stray cell at
//! XFD1048576 must not make the reader allocate the whole sheet.

use super::workbook::{number_text, DateSystem, Sheet, Workbook};
use super::Row;
use calamine::{DataRef, Reader, SheetType, Xlsx, XlsxError};
use std::collections::BTreeMap;
use std::io::Cursor;

/// Excel's last column is XFD (16,384 columns): a cell beyond it is not a spreadsheet cell.
const MAX_COLUMNS: u32 = 16_384;

/// Reads every sheet of an .xlsx (or .xlsm) workbook. `Err` says, in a few words, why the
/// workbook as a whole could not be read; a sheet that cannot be read is reported on its own.
pub fn read_workbook(bytes: &[u8]) -> Result<Workbook, String> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| describe(&e))?;
    let date_system = if book.has_1904_epoch() {
        DateSystem::Excel1904
    } else {
        DateSystem::Excel1900
    };
    let sheets: Vec<(String, SheetType)> = book
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.typ))
        .collect();
    let sheets = sheets
        .into_iter()
        .map(|(name, typ)| {
            // A chart sheet has no cells: it reads as an empty sheet.
            let rows = if typ == SheetType::WorkSheet {
                read_sheet(&mut book, &name, date_system).map_err(|e| describe(&e))
            } else {
                Ok(Vec::new())
            };
            Sheet { name, rows }
        })
        .collect();
    Ok(Workbook {
        date_system,
        sheets,
    })
}

fn read_sheet(
    book: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
    system: DateSystem,
) -> Result<Vec<Row>, XlsxError> {
    let mut cells = book.worksheet_cells_reader(name)?;
    // Sheet rows in order (the XML should already be in order; nothing here relies on it).
    let mut rows: BTreeMap<u32, Vec<(u32, String)>> = BTreeMap::new();
    while let Some(cell) = cells.next_cell()? {
        let (row, column) = cell.get_position();
        if column >= MAX_COLUMNS {
            continue;
        }
        let text = cell_text(cell.get_value(), system);
        if !text.is_empty() {
            rows.entry(row).or_default().push((column, text));
        }
    }
    // Cells are placed by column so column letters match the sheet; a row keeps no cell to the
    // right of the header's last one (nothing reads it, and it would cost memory).
    let mut width: Option<usize> = None;
    Ok(rows
        .into_iter()
        .map(|(row, cells)| {
            let last = cells
                .iter()
                .map(|(c, _)| *c as usize + 1)
                .max()
                .unwrap_or(0);
            let width = *width.get_or_insert(last);
            let mut out = vec![crate::model::Text::default(); last.min(width)];
            for (column, text) in cells {
                if let Some(slot) = out.get_mut(column as usize) {
                    *slot = crate::model::Text::from(text);
                }
            }
            Row {
                number: row.saturating_add(1),
                cells: out,
            }
        })
        .collect())
}

/// A cell as text, the way the engine reads CSV cells.
fn cell_text(value: &DataRef<'_>, system: DateSystem) -> String {
    match value {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.trim().to_string(),
        DataRef::SharedString(s) => s.trim().to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number_text(*f),
        DataRef::Bool(b) => (if *b { "TRUE" } else { "FALSE" }).to_string(),
        DataRef::DateTime(d) if d.is_datetime() => system.cell_text(d.as_f64()),
        DataRef::DateTime(d) => number_text(d.as_f64()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.trim().to_string(),
        DataRef::Error(e) => e.to_string(),
    }
}

/// calamine's error, in words an officer can pass on: the kind of damage, not a stack of causes.
fn describe(e: &XlsxError) -> String {
    match e {
        XlsxError::Zip(_) | XlsxError::Io(_) => "the file is damaged or is not an .xlsx".into(),
        XlsxError::FileNotFound(part) => {
            format!("it has no {part}: it may be another kind of zipped file")
        }
        other => {
            let text = other.to_string();
            let short: String = text.chars().take(80).collect();
            if short.len() < text.len() {
                format!("{short}…")
            } else {
                short
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zip_that_is_not_a_workbook_is_refused() {
        // An empty zip: the end-of-central-directory record only.
        let mut empty = b"PK\x05\x06".to_vec();
        empty.extend_from_slice(&[0; 18]);
        assert!(read_workbook(&empty).is_err());
        assert!(read_workbook(b"PK\x03\x04 and then nothing").is_err());
        assert!(read_workbook(b"").is_err());
    }
}

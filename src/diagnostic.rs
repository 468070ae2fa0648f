//! Problems found in the data. Every problem is a [`Diagnostic`] collected in one list, so an
//! officer sees all of them from one run; nothing here stops the run.

use serde::Serialize;

/// How much a problem matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The row or file could not be used; it is counted as excluded.
    Error,
    /// Used, but doubtful: check it.
    Warning,
    /// Worth knowing: nothing is wrong with the figures.
    Info,
}

/// One problem, located as a spreadsheet shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable code, e.g. `date-impossible`.
    pub code: &'static str,
    pub severity: Severity,
    /// The DfE SSDA903 validation rule that covers the same problem, where one does.
    pub dfe_rule: Option<u32>,
    pub file: String,
    pub sheet: Option<String>,
    /// Row as a spreadsheet shows it: the header is row 1.
    pub row: Option<u32>,
    pub column: Option<String>,
    /// Spreadsheet column letter of `column` (A, B, ..., AA).
    pub column_letter: Option<String>,
    /// The offending value, cut short.
    pub value: Option<String>,
    pub child: Option<String>,
    /// `file, row N, COLUMN: what is wrong. How to fix it.`
    pub message: String,
    /// Its position in the whole list, set only in a report that carries some of the list
    /// (`Options::diagnostics`); absent from the JSON otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<u32>,
}

/// Where a cell is: enough to build a diagnostic's location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location<'a> {
    pub file: &'a str,
    pub sheet: Option<&'a str>,
    pub row: Option<u32>,
    /// Column name and its zero-based index.
    pub column: Option<(&'a str, usize)>,
}

impl Location<'_> {
    /// `file, sheet S, row N, COLUMN: detail`, written into one string (a national file's
    /// checks make tens of thousands of these).
    fn message(&self, detail: &str) -> String {
        use std::fmt::Write;
        let mut s = String::with_capacity(self.file.len() + 40 + detail.len());
        s.push_str(self.file);
        if let Some(sheet) = self.sheet {
            s.push_str(", sheet ");
            s.push_str(sheet);
        }
        if let Some(row) = self.row {
            // Writing to a String cannot fail.
            let _ = write!(s, ", row {row}");
        }
        if let Some((name, _)) = self.column {
            s.push_str(", ");
            s.push_str(name);
        }
        s.push_str(": ");
        s.push_str(detail);
        s
    }
}

/// Longest value quoted in a message: enough to find the cell, never a whole row.
const VALUE_CHARS: usize = 40;

/// Cuts a cell value short for quoting; a line break shows as `↵`, other control characters as
/// spaces, so a quoted value stays on one line.
pub fn cut(value: &str) -> String {
    // Most values are short codes and dates: printable ASCII, quoted as they are.
    let trimmed = value.trim();
    if trimmed.len() <= VALUE_CHARS && trimmed.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        return trimmed.to_string();
    }
    let v: String = value
        .trim()
        .chars()
        .map(|c| match c {
            '\n' | '\r' => '↵',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let v = v.as_str();
    if v.chars().count() <= VALUE_CHARS {
        v.to_string()
    } else {
        let mut s: String = v.chars().take(VALUE_CHARS).collect();
        s.push('…');
        s
    }
}

/// Spreadsheet letters for a zero-based column index: 0 -> A, 25 -> Z, 26 -> AA.
pub fn column_letter(mut index: usize) -> String {
    if index < 26 {
        return char::from(b'A' + index as u8).to_string();
    }
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

impl Diagnostic {
    /// A diagnostic at `at`; `detail` says what is wrong and how to fix it.
    pub fn new(
        code: &'static str,
        severity: Severity,
        at: &Location<'_>,
        value: Option<&str>,
        child: Option<&str>,
        detail: &str,
    ) -> Diagnostic {
        Diagnostic {
            code,
            severity,
            dfe_rule: None,
            file: at.file.to_string(),
            sheet: at.sheet.map(str::to_string),
            row: at.row,
            column: at.column.map(|(n, _)| n.to_string()),
            column_letter: at.column.map(|(_, i)| column_letter(i)),
            value: value.map(cut).filter(|v| !v.is_empty()),
            child: child.map(str::to_string),
            message: at.message(detail),
            index: None,
        }
    }

    /// Names the DfE validation rule covering the same check.
    pub fn rule(mut self, rule: u32) -> Diagnostic {
        self.dfe_rule = Some(rule);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(1), "B");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(255), "IV");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn message_names_place_and_value() {
        let at = Location {
            file: "episodes.csv",
            sheet: None,
            row: Some(14),
            column: Some(("DECOM", 1)),
        };
        let d = Diagnostic::new(
            "date-impossible",
            Severity::Error,
            &at,
            Some("31/02/2023"),
            Some("C1"),
            "\"31/02/2023\" is not a real date. Enter dates as DD/MM/YYYY.",
        );
        assert_eq!(d.message, "episodes.csv, row 14, DECOM: \"31/02/2023\" is not a real date. Enter dates as DD/MM/YYYY.");
        assert_eq!(d.column_letter.as_deref(), Some("B"));
    }

    #[test]
    fn long_values_are_cut() {
        let long = "x".repeat(100);
        assert_eq!(cut(&long).chars().count(), 41);
        assert_eq!(cut(" two\r\nlines\t "), "two↵↵lines");
        assert_eq!(cut(" E11 "), "E11");
        assert_eq!(cut("a\tb"), "a b");
        assert_eq!(cut(""), "");
    }
}

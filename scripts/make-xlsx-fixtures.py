#!/usr/bin/env python3
"""Writes the committed workbook fixtures with nothing but Python's standard library (zipfile and
hand-written SpreadsheetML), so the bytes are the same on every run and every machine:

  tests/fixtures/worked-example-xlsx/worked-example.xlsx
      the worked example's four tables as four sheets; dates stored in each way Excel can hold
      them (date-formatted cells, serial numbers in General cells, text), numbers as numbers
  tests/fixtures/xlsx/reader.xlsx       every kind of cell the reader must handle, on odd rows
  tests/fixtures/xlsx/reader-1904.xlsx  the same date cells in the 1904 date system

Run: python3 scripts/make-xlsx-fixtures.py   (rerunning must leave `git status` clean)
"""

import csv
import datetime
import pathlib
import zipfile
from xml.sax.saxutils import escape

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"

# Style indices in styles.xml below: 0 General, 1 a date (built-in format 14), 2 date and time,
# 3 a number with two decimals (so Excel would show 1.00: the reader still gives "1").
GENERAL, DATE, DATETIME, TWO_DP = 0, 1, 2, 3

STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy hh:mm"/></numFmts>
<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="4">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
</cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>
"""


def serial(d, date1904=False):
    """Excel's serial number for a date (after 28/02/1900, where the 1900 leap-year bug adds one)."""
    base = datetime.date(1904, 1, 1) if date1904 else datetime.date(1899, 12, 30)
    return (d - base).days


def uk(text):
    return datetime.datetime.strptime(text, "%d/%m/%Y").date()


# A cell is None (no cell), or (kind, value[, style]): kind "s" shared string, "is" inline string,
# "n" number, "b" boolean, "e" error, "f" a formula with its cached number.
def col_letter(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


class Book:
    def __init__(self, date1904=False):
        self.date1904 = date1904
        self.sheets = []  # (name, rows: {row number: [cell, ...]}, state)
        self.strings = []
        self.index = {}

    def shared(self, text):
        if text not in self.index:
            self.index[text] = len(self.strings)
            self.strings.append(text)
        return self.index[text]

    def add(self, name, rows, state="visible"):
        self.sheets.append((name, rows, state))

    def cell_xml(self, ref, cell):
        kind, value = cell[0], cell[1]
        style = cell[2] if len(cell) > 2 else GENERAL
        s = f' s="{style}"' if style else ""
        if kind == "s":
            return f'<c r="{ref}" t="s"{s}><v>{self.shared(value)}</v></c>'
        if kind == "is":
            return f'<c r="{ref}" t="inlineStr"{s}><is><t>{escape(value)}</t></is></c>'
        if kind == "n":
            return f'<c r="{ref}"{s}><v>{value}</v></c>'
        if kind == "b":
            return f'<c r="{ref}" t="b"{s}><v>{1 if value else 0}</v></c>'
        if kind == "e":
            return f'<c r="{ref}" t="e"{s}><v>{escape(value)}</v></c>'
        if kind == "f":
            formula, cached = value
            return f'<c r="{ref}"{s}><f>{escape(formula)}</f><v>{cached}</v></c>'
        raise ValueError(kind)

    def sheet_xml(self, rows):
        out = []
        for number in sorted(rows):
            cells = "".join(
                self.cell_xml(f"{col_letter(i)}{number}", c) for i, c in enumerate(rows[number]) if c is not None
            )
            out.append(f'<row r="{number}">{cells}</row>')
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<sheetData>{"".join(out)}</sheetData></worksheet>'
        )

    def write(self, path):
        sheets_xml = [self.sheet_xml(rows) for _, rows, _ in self.sheets]  # fills shared strings
        n = len(self.sheets)
        files = {
            "[Content_Types].xml": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                + "".join(
                    f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                    for i in range(n)
                )
                + '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
                '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                "</Types>"
            ),
            "_rels/.rels": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                "</Relationships>"
            ),
            "xl/workbook.xml": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                + ('<workbookPr date1904="1"/>' if self.date1904 else "<workbookPr/>")
                + "<sheets>"
                + "".join(
                    f'<sheet name="{escape(name)}" sheetId="{i + 1}"'
                    + (f' state="{state}"' if state != "visible" else "")
                    + f' r:id="rId{i + 1}"/>'
                    for i, (name, _, state) in enumerate(self.sheets)
                )
                + "</sheets></workbook>"
            ),
            "xl/_rels/workbook.xml.rels": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                + "".join(
                    f'<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i + 1}.xml"/>'
                    for i in range(n)
                )
                + f'<Relationship Id="rId{n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
                + f'<Relationship Id="rId{n + 2}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                "</Relationships>"
            ),
            "xl/styles.xml": STYLES,
            "xl/sharedStrings.xml": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(self.strings)}" uniqueCount="{len(self.strings)}">'
                + "".join(f'<si><t xml:space="preserve">{escape(t)}</t></si>' for t in self.strings)
                + "</sst>"
            ),
        }
        for i, xml in enumerate(sheets_xml):
            files[f"xl/worksheets/sheet{i + 1}.xml"] = xml
        path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, text in files.items():
                info = zipfile.ZipInfo(name, date_time=(2016, 3, 31, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, text.encode("utf-8"))


def worked_example():
    """The four CSVs of tests/fixtures/worked-example as four sheets, each storing its cells in a
    different way a council's workbook might."""
    src = FIXTURES / "worked-example"

    def read(name):
        with open(src / name, newline="", encoding="utf-8") as f:
            return list(csv.reader(f))

    def sheet(rows, cell, first_row=1):
        header, data = rows[0], rows[1:]
        out = {first_row: [("s", h) for h in header]}
        for i, r in enumerate(data):
            out[first_row + 1 + i] = [cell(header[j], v) for j, v in enumerate(r)]
        return out

    # Header: dates as date-formatted cells; SEX as numbers.
    def header_cell(col, v):
        if v == "":
            return None
        if col == "DOB":
            return ("n", serial(uk(v)), DATE)
        if col == "SEX":
            return ("n", v)
        return ("s", v)

    # Episodes: DECOM and DEC as date cells, CHILD as text.
    def episode_cell(col, v):
        if v == "":
            return None
        if col in ("DECOM", "DEC"):
            return ("n", serial(uk(v)), DATE)
        return ("s", v)

    # AD1: dates as serial numbers in General cells (a column whose format was lost);
    # FOSTER_CARE and NB_ADOPTR as numbers written 1.0 / 2.0, shown with two decimals.
    def ad1_cell(col, v):
        if v == "":
            return None
        if col in ("DOB", "DATE_INT", "DATE_MATCH"):
            return ("n", serial(uk(v)))
        if col in ("FOSTER_CARE", "NB_ADOPTR"):
            return ("n", f"{float(v):.1f}", TWO_DP)
        return ("s", v)

    # PlacedAdoption: dates typed as text (cells formatted as Text), header on row 3 below two
    # blank rows (the first non-blank row is the header, so rows keep the sheet's numbers).
    def placed_cell(col, v):
        return None if v == "" else ("is", v)

    placed = sheet(read("placed_adoption.csv"), placed_cell, first_row=3)

    book = Book()
    book.add("Header", sheet(read("header.csv"), header_cell))
    book.add("Episodes", sheet(read("episodes.csv"), episode_cell))
    book.add("AD1", sheet(read("ad1.csv"), ad1_cell))
    book.add("PlacedAdoption", placed)
    return book


def reader_book(date1904):
    """Every kind of cell, on the sheet's own rows: header on row 2 from column B."""
    d = lambda text: serial(uk(text), date1904)  # noqa: E731
    rows = {
        2: [None, ("s", "CHILD"), ("s", "DECOM"), ("s", "DEC"), ("s", "NOTE"), ("s", "COUNT"),
            ("s", "FLAG"), ("s", "LOOKUP"), ("s", "WHEN")],
        # A date cell, a serial in a General cell, text, 1.0 shown as 1.00, a boolean, an error,
        # a date with a time.
        3: [None, ("n", "1234.0"), ("n", d("31/03/2016"), DATE), ("n", d("01/04/2016")), ("is", " Café £5 "),
            ("n", "1.0", TWO_DP), ("b", True), ("e", "#N/A"), ("n", f"{d('31/03/2016')}.5", DATETIME)],
        # Row 4 is blank; row 5: text dates, a fraction, a formula's cached value.
        5: [None, ("s", "C2"), ("s", "01/04/2014"), ("is", "2015-06-01"), None, ("n", "2.5"),
            ("b", False), ("f", ("1+1", "2"))],
    }
    if not date1904:
        # Excel's own 29/02/1900 (serial 60), and serial 61 = 01/03/1900, in date cells.
        rows[6] = [None, ("s", "C3"), ("n", "60", DATE), ("n", "61", DATE)]
    book = Book(date1904)
    book.add("Episodes 2016", rows)
    book.add("Notes", {1: [("s", "Prepared by"), ("s", "Data team")], 2: [("s", "Checked"), ("b", True)]})
    book.add("Blank", {})
    book.add("Hidden", {1: [("s", "CHILD"), ("s", "SEX"), ("s", "DOB"), ("s", "ETHNIC")]}, state="hidden")
    return book


if __name__ == "__main__":
    worked_example().write(FIXTURES / "worked-example-xlsx" / "worked-example.xlsx")
    reader_book(False).write(FIXTURES / "xlsx" / "reader.xlsx")
    reader_book(True).write(FIXTURES / "xlsx" / "reader-1904.xlsx")

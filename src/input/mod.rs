//! Bytes -> tables of positioned cells. Knows nothing of SSDA903 or indicators.
//!
//! Numbering: a [`Row`]'s `number` is the row a spreadsheet shows for it. In a text file the header
//! is row 1; it counts records, not physical lines: a quoted cell holding a line break stays in one
//! row, as Excel shows it, and a blank line is a (skipped) row of its own. In a workbook it is the
//! sheet's own row number, whatever row the header is on.
//!
//! A text file is one table; a workbook is one candidate table per sheet ([`Part`]).

mod text;

use std::borrow::Cow;
pub mod workbook;
#[cfg(any(feature = "xlsx", not(target_arch = "wasm32")))]
pub mod xlsx;

pub use text::decode;
pub use workbook::{DateSystem, Workbook};

/// One file handed to the engine.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
}

/// One file handed to the engine, in either of the forms the page can give it.
#[derive(Debug, Clone, Copy)]
pub struct File<'a> {
    pub name: &'a str,
    pub content: Content<'a>,
}

/// What the engine is given for one file.
#[derive(Debug, Clone, Copy)]
pub enum Content<'a> {
    /// The file as it is: CSV or pasted text, or (where the reader is compiled in) a workbook.
    Bytes(&'a [u8]),
    /// A workbook already read by the page's workbook module, in the form
    /// [`workbook::encode`] writes.
    ReadWorkbook(&'a [u8]),
    /// A file the engine reads a piece at a time: the page's upload, the command line's file.
    Pieces(&'a dyn Pieces),
}

/// A file the engine asks for a piece at a time instead of being handed it whole, so that a big
/// text file is read as it comes in and never held whole beside its records.
pub trait Pieces {
    /// The file's size in bytes.
    fn size(&self) -> usize;
    /// Appends bytes `start..end` of the file to `into`: fewer, or none, where the file ends
    /// sooner (it changed since its size was taken, or could not be read: the caller's to say).
    fn read(&self, start: usize, end: usize, into: &mut Vec<u8>);
}

impl std::fmt::Debug for dyn Pieces + '_ {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Pieces({} bytes)", self.size())
    }
}

/// How much of a file [`Pieces::read`] is asked for at a time.
pub const PIECE: usize = 1 << 20;

/// The whole of a file given in pieces.
pub fn read_all(pieces: &dyn Pieces) -> Vec<u8> {
    let size = pieces.size();
    let mut bytes = Vec::with_capacity(size);
    while bytes.len() < size {
        let start = bytes.len();
        pieces.read(start, (start + PIECE).min(size), &mut bytes);
        if bytes.len() == start {
            break;
        }
    }
    bytes.truncate(size);
    bytes
}

impl<'a> From<&Input<'a>> for File<'a> {
    fn from(input: &Input<'a>) -> File<'a> {
        File {
            name: input.name,
            content: Content::Bytes(input.bytes),
        }
    }
}

/// A table read from a file or a workbook sheet.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    pub sheet: Option<String>,
    /// Header cells as written (trimmed).
    pub headers: Vec<String>,
    pub rows: Rows,
    /// Set for workbook sheets: a whole number in a date column is an Excel serial date in this
    /// date system (a cell formatted as General or Number shows the serial, not the date).
    pub serial_dates: Option<DateSystem>,
    /// What the reader had to repair, cell by cell, for the schema to report.
    pub notes: Vec<Note>,
}

/// A repair the reader made to a cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// Spreadsheet row (header = 1).
    pub row: u32,
    /// Zero-based column index.
    pub column: usize,
    pub kind: NoteKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteKind {
    /// A cell began with a quote that was never closed (or closed mid-cell lines later), which would
    /// have swallowed the following rows into one cell; the quote was read as an ordinary character
    /// and dropped.
    StrayQuote,
    /// NUL characters (invisible, never part of a value) were removed from the cell.
    NulRemoved,
}

/// One row of a sheet, as a workbook reader gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Spreadsheet row number (see the module docs).
    pub number: u32,
    pub cells: Vec<crate::model::Text>,
}

/// A table's data rows, in order, kept as one string and the place of each cell in it: a
/// million rows are three growing buffers, not a vector of cells per row to allocate and free.
#[derive(Debug, Clone, Default)]
pub struct Rows {
    /// The rows' text: a text file's lines as they are, or cells one after another.
    text: String,
    /// Where each cell starts and ends in `text`.
    cells: Vec<(usize, usize)>,
    /// Each row's number, and where its cells start in `cells`.
    starts: Vec<(u32, usize)>,
    /// Whether any cell holds a line break.
    line_breaks: bool,
}

/// One row of [`Rows`].
#[derive(Debug, Clone, Copy)]
pub struct RowRef<'a> {
    /// Spreadsheet row number (see the module docs).
    pub number: u32,
    rows: &'a Rows,
    /// The row's cells: `rows.cells[first..end]`.
    first: usize,
    end: usize,
}

impl Rows {
    /// Removes every row, keeping the room they took for the next ones.
    fn clear(&mut self) {
        self.text.clear();
        self.cells.clear();
        self.starts.clear();
        self.line_breaks = false;
    }

    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// Adds a row at the end.
    pub fn push<'c>(&mut self, number: u32, cells: impl IntoIterator<Item = &'c str>) {
        let _ = self.start(number);
        for cell in cells {
            self.push_cell(cell);
        }
    }

    /// Starts a row; returns where its text starts.
    fn start(&mut self, number: u32) -> usize {
        self.starts.push((number, self.cells.len()));
        self.text.len()
    }

    /// Adds a cell to the last row. (Rows split by [`read_plain`] never hold a line break; their
    /// cells are added without this search.)
    fn push_cell(&mut self, cell: &str) {
        self.line_breaks |= cell.contains('\n');
        let start = self.text.len();
        self.text.push_str(cell);
        self.cells.push((start, self.text.len()));
    }

    /// Removes the last row, whose text starts at `text_from`, when all its cells are blank;
    /// says whether it did.
    fn drop_last_if_blank(&mut self, text_from: usize) -> bool {
        let Some(&(_, first)) = self.starts.last() else {
            return false;
        };
        let cells = self.cells.get(first..).unwrap_or_default();
        if cells.iter().any(|(start, end)| end > start) {
            return false;
        }
        self.text.truncate(text_from);
        self.cells.truncate(first);
        self.starts.pop();
        true
    }

    pub fn get(&self, i: usize) -> Option<RowRef<'_>> {
        let &(number, first) = self.starts.get(i)?;
        let end = self.starts.get(i + 1).map_or(self.cells.len(), |&(_, e)| e);
        Some(RowRef {
            number,
            rows: self,
            first,
            end,
        })
    }

    /// The row numbered `number` (rows are numbered in increasing order).
    pub fn numbered(&self, number: u32) -> Option<RowRef<'_>> {
        let i = self
            .starts
            .binary_search_by_key(&number, |&(n, _)| n)
            .ok()?;
        self.get(i)
    }

    pub fn first(&self) -> Option<RowRef<'_>> {
        self.get(0)
    }

    pub fn last(&self) -> Option<RowRef<'_>> {
        self.len().checked_sub(1).and_then(|i| self.get(i))
    }

    pub fn iter(&self) -> impl Iterator<Item = RowRef<'_>> + '_ {
        (0..self.len()).filter_map(move |i| self.get(i))
    }

    /// Whether any cell holds a line break.
    pub fn any_line_break(&self) -> bool {
        self.line_breaks
    }
}

/// Rows are equal when their rows have the same numbers and cells, however they are kept.
impl PartialEq for Rows {
    fn eq(&self, other: &Rows) -> bool {
        self.len() == other.len()
            && self
                .iter()
                .zip(other.iter())
                .all(|(a, b)| a.number == b.number && a.len() == b.len() && a.cells().eq(b.cells()))
    }
}

impl Eq for Rows {}

impl<'r> FromIterator<RowRef<'r>> for Rows {
    fn from_iter<I: IntoIterator<Item = RowRef<'r>>>(rows: I) -> Rows {
        let mut out = Rows::default();
        for row in rows {
            out.push(row.number, row.cells());
        }
        out
    }
}

impl FromIterator<Row> for Rows {
    fn from_iter<I: IntoIterator<Item = Row>>(rows: I) -> Rows {
        let mut out = Rows::default();
        for row in rows {
            out.push(row.number, row.cells.iter().map(|c| c.as_str()));
        }
        out
    }
}

impl<'a> RowRef<'a> {
    /// How many cells the row has (blank ones included, up to its last).
    pub fn len(&self) -> usize {
        self.end - self.first
    }

    pub fn is_empty(&self) -> bool {
        self.end == self.first
    }

    /// Cell `i` (from 0), or `None` beyond the row's end.
    pub fn cell(&self, i: usize) -> Option<&'a str> {
        if i >= self.len() {
            return None;
        }
        let &(start, end) = self.rows.cells.get(self.first + i)?;
        self.rows.text.get(start..end)
    }

    pub fn cells(&self) -> impl Iterator<Item = &'a str> + 'a {
        let rows = self.rows;
        rows.cells
            .get(self.first..self.end)
            .unwrap_or_default()
            .iter()
            .map(move |&(start, end)| rows.text.get(start..end).unwrap_or_default())
    }
}

/// One candidate table of a file: the file itself, or one sheet of a workbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub sheet: Option<String>,
    pub table: Result<Table, ReadProblem>,
}

/// Why a file, or one sheet of a workbook, yields no table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadProblem {
    Empty,
    NotText,
    /// Old binary Excel (.xls) or a password-protected workbook: both are OLE compound files.
    OldExcel,
    /// A zip that is not a readable .xlsx workbook (damaged, or another format).
    WorkbookUnreadable(String),
    /// A workbook reached an engine built without the reader (the page's main module) and the
    /// page could not read it first.
    WorkbookReaderMissing,
    /// A sheet with no cells: quietly noted.
    SheetEmpty,
    /// One sheet of a workbook could not be read; the others are.
    SheetUnreadable(String),
    Malformed(String),
}

impl ReadProblem {
    pub fn code(&self) -> &'static str {
        match self {
            ReadProblem::Empty => "file-empty",
            ReadProblem::NotText => "file-not-text",
            ReadProblem::OldExcel => "file-xls",
            ReadProblem::WorkbookUnreadable(_) => "workbook-unreadable",
            ReadProblem::WorkbookReaderMissing => "workbook-reader-missing",
            ReadProblem::SheetEmpty => "sheet-empty",
            ReadProblem::SheetUnreadable(_) => "sheet-unreadable",
            ReadProblem::Malformed(_) => "file-malformed",
        }
    }

    /// False only for the problems that are worth knowing but leave nothing to fix.
    pub fn is_error(&self) -> bool {
        !matches!(self, ReadProblem::SheetEmpty)
    }

    pub fn message(&self) -> String {
        match self {
            ReadProblem::Empty => "the file is empty. Export the table again, with its header row.".into(),
            ReadProblem::NotText => "this is not a text (CSV) file or an Excel workbook (.xlsx). Save the table as CSV or .xlsx and load that file.".into(),
            ReadProblem::OldExcel => {
                "this is an old-style Excel workbook (.xls) or a password-protected one, which cannot be read here. Open it in Excel, remove any password, save it as an Excel Workbook (.xlsx) and load that file."
                    .into()
            }
            ReadProblem::WorkbookUnreadable(why) => format!(
                "the workbook could not be read ({why}). Open it in Excel, save it again as an Excel Workbook (.xlsx) and load that file."
            ),
            ReadProblem::WorkbookReaderMissing => {
                "the workbook could not be read because the page's workbook reader did not load or stopped. Reload the page and add the workbook again; if that does not help, save each sheet as CSV and load those files."
                    .into()
            }
            ReadProblem::SheetEmpty => "the sheet is empty. Nothing to do.".into(),
            ReadProblem::SheetUnreadable(why) => format!(
                "the sheet could not be read ({why}); the other sheets were. Open the workbook in Excel, save it again as an Excel Workbook (.xlsx) and load that file."
            ),
            ReadProblem::Malformed(why) => format!("the file could not be read as CSV ({why}). Save it again as CSV."),
        }
    }
}

/// What kind of file some bytes are, from their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// A zip: an .xlsx workbook (or something else zipped, which the reader refuses).
    Workbook,
    /// An OLE compound file: .xls, or a password-protected .xlsx.
    OldExcel,
}

/// Sniffs the first bytes: the page uses this to send workbooks to the workbook module.
pub fn kind(bytes: &[u8]) -> Kind {
    if bytes.starts_with(b"PK\x03\x04") {
        Kind::Workbook
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Kind::OldExcel
    } else {
        Kind::Text
    }
}

/// Reads one file into its candidate tables, or says why it has none.
pub fn read(content: Content<'_>) -> Result<Vec<Part>, ReadProblem> {
    match content {
        Content::ReadWorkbook(encoded) => Ok(workbook::decode(encoded)?.into_parts()),
        Content::Pieces(pieces) => read(Content::Bytes(&read_all(pieces))),
        Content::Bytes(bytes) => match kind(bytes) {
            Kind::OldExcel => Err(ReadProblem::OldExcel),
            Kind::Workbook => read_workbook_bytes(bytes),
            Kind::Text => read_delimited(bytes).map(|table| {
                vec![Part {
                    sheet: None,
                    table: Ok(table),
                }]
            }),
        },
    }
}

#[cfg(any(feature = "xlsx", not(target_arch = "wasm32")))]
fn read_workbook_bytes(bytes: &[u8]) -> Result<Vec<Part>, ReadProblem> {
    xlsx::read_workbook(bytes)
        .map(Workbook::into_parts)
        .map_err(ReadProblem::WorkbookUnreadable)
}

#[cfg(not(any(feature = "xlsx", not(target_arch = "wasm32"))))]
fn read_workbook_bytes(_: &[u8]) -> Result<Vec<Part>, ReadProblem> {
    Err(ReadProblem::WorkbookReaderMissing)
}

/// Reads a delimited text file: comma, semicolon or tab, chosen from the header line.
pub fn read_delimited(bytes: &[u8]) -> Result<Table, ReadProblem> {
    let mut whole: Option<Table> = None;
    read_delimited_chunks(bytes, usize::MAX, &mut |table| {
        whole = Some(std::mem::take(table));
    })?;
    whole.ok_or(ReadProblem::Empty)
}

/// About how many lines a text file of `size` bytes holds, from its first piece as read (a
/// little over, rather than under: too few makes a vector of records grow by doubling).
pub fn lines_in(size: usize, first: &Table) -> usize {
    let rows = first.rows.len();
    if rows == 0 {
        return 0;
    }
    // A row's text is its line without the line end.
    let per_line = first.rows.text.len() / rows + 1;
    size / per_line + size / per_line / 16 + 1
}

/// Rows in each piece of a text file handed on by [`read_delimited_chunks`]. Natively three
/// pieces are in hand at once while a file is read (`parallel::pipeline`), each with its rows
/// and, when made on the reading thread, their records: 8,192 rows each hold 100k episodes'
/// peak at 28-29 MB, where 16,384 took it to 34 MB, and read 1M as fast.
pub const CHUNK_ROWS: usize = 8_192;

/// Reads a delimited text file a piece at a time, so that a big file is never held as one table
/// of strings: `on_chunk` gets tables of at most `rows` rows, in file order, each with the header
/// row and the notes about its own rows (the first also those about the header row). A file with
/// a header row and no rows gives one empty table. Errors come before any table.
///
/// The rows `on_chunk` leaves in a table are cleared and their room used for the next piece's,
/// so that a big file's pieces are not each a new allocation; it may take them instead.
pub fn read_delimited_chunks(
    bytes: &[u8],
    rows: usize,
    on_chunk: &mut dyn FnMut(&mut Table),
) -> Result<(), ReadProblem> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ReadProblem::Empty);
    }
    if kind(bytes) != Kind::Text {
        // Never read a workbook's bytes as text: say what it is instead.
        return Err(ReadProblem::NotText);
    }
    let text = decode(bytes).ok_or(ReadProblem::NotText)?;
    let present = Present::in_text(text.as_bytes());
    // Line numbers count line feeds, so a file whose lines end in a lone CR (old Mac) is read with
    // line feeds instead. CRLF is left as it is: the csv reader takes it as one line end.
    let text: Cow<'_, str> = if present.cr && has_lone_cr(text.as_bytes()) {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        text
    };
    let delimiter = guess_delimiter(&text);
    let (text, notes) = if present.quote {
        repair_stray_quotes(text, delimiter)
    } else {
        (text, Vec::new())
    };
    let mut chunker = Chunker {
        size: rows,
        nul: present.nul,
        headers: None,
        chunk: Rows::default(),
        notes,
        notes_from: 0,
        on_chunk,
    };
    if present.quote && text.as_bytes().contains(&b'"') {
        read_quoted(&text, delimiter, &mut chunker)?;
    } else {
        read_plain(&text, 0, delimiter, &mut chunker);
    }
    if chunker.headers.is_none() {
        return Err(ReadProblem::Empty);
    }
    // The last piece: the rows left, or the empty table of a file with a header row only (a file
    // whose rows filled the pieces exactly ends with an empty piece, which adds nothing).
    chunker.emit(true);
    Ok(())
}

/// How [`stream_delimited`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Streamed {
    /// The file was read to its end, and every piece of it handed on.
    Done,
    /// The file is to be read whole, by [`read_delimited_chunks`]: it is not UTF-8 text whose
    /// lines are its records (it holds a quote, a NUL or a lone CR, is in another encoding or is no
    /// text at all), or it has no header row. Pieces may have been handed on before that showed:
    /// the caller discards them.
    Whole,
}

/// Bytes of a file's start that [`stream_delimited`] looks at before it reads on: the file's
/// start as [`decode`] judges it (its first 1,024 bytes after a byte-order mark).
const HEAD: usize = 3 + 1024;

/// [`read_delimited_chunks`] for a file given in pieces, read as the pieces come: only the
/// piece at hand and the line it ends inside are held, not the whole file. This takes the usual
/// export, UTF-8 text with no quotes, whose lines are its records; anything else is left to
/// [`read_delimited_chunks`] ([`Streamed::Whole`]), which gives exactly the same tables for the
/// files read here.
pub fn stream_delimited(
    pieces: &dyn Pieces,
    piece: usize,
    rows: usize,
    on_chunk: &mut dyn FnMut(&mut Table),
) -> Streamed {
    let size = pieces.size();
    let piece = piece.max(1);
    let mut buffer: Vec<u8> = Vec::with_capacity(piece.min(size).saturating_add(HEAD));
    // How far the file has been read; set to its size at its end.
    let mut read = 0;
    let more = |buffer: &mut Vec<u8>, read: &mut usize| {
        let before = buffer.len();
        if *read < size {
            pieces.read(*read, (*read + piece).min(size), buffer);
        }
        let got = buffer.len() - before;
        *read = if got == 0 { size } else { *read + got };
    };
    // The start, and the first line whole, before anything is judged.
    let mut line_feed = false;
    while read < size && !(line_feed && buffer.len() >= HEAD) {
        let searched = buffer.len();
        more(&mut buffer, &mut read);
        line_feed = line_feed || buffer[searched..].contains(&b'\n');
    }
    if kind(&buffer) != Kind::Text {
        return Streamed::Whole;
    }
    let Some(mut from) = text::utf8_start(&buffer) else {
        return Streamed::Whole;
    };
    let mut chunker = Chunker {
        size: rows,
        nul: false,
        headers: None,
        chunk: Rows::default(),
        notes: Vec::new(),
        notes_from: 0,
        on_chunk,
    };
    let mut delimiter = None;
    let mut line = 0;
    // `buffer[from..searched]` holds no line feed: the part of a line a piece ended inside.
    let mut searched = from;
    loop {
        let at_end = read >= size;
        // The whole lines not yet read: up to the last line feed, or all that is left at the end.
        let upto = if at_end {
            buffer.len()
        } else {
            (buffer[searched..].iter().rposition(|&b| b == b'\n'))
                .map_or(from, |i| searched + i + 1)
        };
        if upto > from {
            let lines = &buffer[from..upto];
            let present = Present::in_text(lines);
            if present.quote || present.nul || (present.cr && has_lone_cr(lines)) {
                return Streamed::Whole;
            }
            let Ok(text) = std::str::from_utf8(lines) else {
                return Streamed::Whole;
            };
            // The delimiter is the first non-blank line's: until there is one, every line is
            // blank, whatever splits it.
            if delimiter.is_none() && !text.trim().is_empty() {
                delimiter = Some(guess_delimiter(text));
            }
            let text = text.strip_suffix('\n').unwrap_or(text);
            read_plain(text, line, delimiter.unwrap_or(b','), &mut chunker);
            line += line_feeds(lines);
            from = upto;
        }
        if at_end {
            break;
        }
        // The line the piece ended inside stays, for the next piece to finish.
        buffer.drain(..from);
        from = 0;
        searched = buffer.len();
        more(&mut buffer, &mut read);
    }
    if chunker.headers.is_none() {
        return Streamed::Whole;
    }
    chunker.emit(true);
    Streamed::Done
}

/// Reads text without quotes. No cell can then hold a delimiter or a line break, so each line is a
/// record and its cells are what lies between delimiters: split here, in one pass over the bytes,
/// and each line copied whole with its cells kept as places in it, rather than by the csv reader,
/// which gives the same records several times slower. Line ends are LF or CRLF by now; csv skips
/// blank lines, and so does [`Chunker::close_record`].
///
/// `text` holds whole lines, the first of them line `first_line` of the file (from 0).
fn read_plain(text: &str, first_line: usize, delimiter: u8, chunker: &mut Chunker<'_>) {
    let number = |i: usize| u32::try_from(first_line + i + 1).unwrap_or(u32::MAX);
    if chunker.nul {
        // NULs are removed, and noted, cell by cell.
        for (i, line) in text.split('\n').enumerate() {
            let line = line.strip_suffix('\r').unwrap_or(line);
            chunker.record(number(i), line.split(char::from(delimiter)));
        }
        return;
    }
    let bytes = text.as_bytes();
    // The line being read starts at `from`, its cell being read at `start`; its copy in the
    // chunk's text starts at `base`.
    let (mut from, mut start, mut line) = (0, 0, 0);
    let mut base = chunker.chunk.start(number(line));
    // A cell's place in `text` -> its place in the row's copy of the line.
    let place = |base: usize, from: usize, (start, end): (usize, usize)| {
        (base + start - from, base + end - from)
    };
    let mut separators = Separators::new(bytes, delimiter);
    loop {
        let at = separators.next();
        if let Some(i) = at.filter(|&i| bytes[i] == delimiter) {
            let cell = place(base, from, trimmed(text, start, i));
            chunker.chunk.cells.push(cell);
            start = i + 1;
            continue;
        }
        // A line feed, or the end of the text: the line ends (without its CR).
        let end = at.unwrap_or(bytes.len());
        let line_end = if end > from && bytes[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        let rows = &mut chunker.chunk;
        rows.cells
            .push(place(base, from, trimmed(text, start, line_end)));
        rows.text
            .push_str(text.get(from..line_end).unwrap_or_default());
        chunker.close_record(base);
        if at.is_none() {
            return;
        }
        from = end + 1;
        start = from;
        line += 1;
        base = chunker.chunk.start(number(line));
    }
}

/// The places of the delimiters and line feeds in some bytes, in order: [`read_plain`]'s search,
/// eight bytes at a time rather than one (a row is some 70 bytes and 13 cells), in plain integer
/// arithmetic that the wasm build runs as fast as the native one.
struct Separators<'a> {
    bytes: &'a [u8],
    /// The delimiter in each byte of a word.
    delimiter: u64,
    /// Where the word being looked at starts.
    word: usize,
    /// The high bit of each byte of that word that is a separator not yet handed out.
    found: u64,
}

impl<'a> Separators<'a> {
    const ONES: u64 = u64::from_le_bytes([1; 8]);

    fn new(bytes: &'a [u8], delimiter: u8) -> Separators<'a> {
        let mut separators = Separators {
            bytes,
            delimiter: Self::ONES * u64::from(delimiter),
            word: 0,
            found: 0,
        };
        separators.found = separators.look(0);
        separators
    }

    /// The separators in the eight bytes from `at` (the bytes past the end read as NUL, which
    /// is neither a delimiter nor a line feed).
    #[inline]
    fn look(&self, at: usize) -> u64 {
        let word = match self.bytes.get(at..at + 8) {
            Some(eight) => u64::from_le_bytes(eight.try_into().unwrap_or([0; 8])),
            None => {
                let rest = self.bytes.get(at..).unwrap_or_default();
                let mut eight = [0; 8];
                eight[..rest.len()].copy_from_slice(rest);
                u64::from_le_bytes(eight)
            }
        };
        zero_bytes(word ^ self.delimiter) | zero_bytes(word ^ (Self::ONES * u64::from(b'\n')))
    }
}

impl Iterator for Separators<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        while self.found == 0 {
            self.word += 8;
            if self.word >= self.bytes.len() {
                return None;
            }
            self.found = self.look(self.word);
        }
        let at = self.word + (self.found.trailing_zeros() / 8) as usize;
        // The lowest separator is handed out.
        self.found &= self.found - 1;
        Some(at)
    }
}

/// The high bit of each byte of `word` that is zero, and no other bit. (Exact, unlike the shorter
/// test that may also mark a byte after a zero one: no carry crosses from one byte to the next.)
#[inline]
fn zero_bytes(word: u64) -> u64 {
    const LOW: u64 = u64::from_le_bytes([0x7F; 8]);
    !((word & LOW).wrapping_add(LOW) | word | LOW)
}

/// Reads text holding quotes with the csv reader (RFC 4180 quoting, line breaks inside cells).
fn read_quoted(text: &str, delimiter: u8, chunker: &mut Chunker<'_>) -> Result<(), ReadProblem> {
    let bytes = text.as_bytes();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    // Line breaks inside quoted cells so far: physical line minus these is the spreadsheet row.
    let mut embedded_breaks: u64 = 0;
    let (mut line, mut scanned): (u64, usize) = (1, 0);
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(ReadProblem::Malformed(e.to_string())),
        }
        // csv's own line count skips blank lines; count line breaks before the record's first byte.
        // (csv reports a record as starting at the blank lines it skipped before it.)
        let mut start = record
            .position()
            .map_or(scanned, |p| p.byte() as usize)
            .min(bytes.len())
            .max(scanned);
        while matches!(bytes.get(start), Some(b'\n' | b'\r')) {
            start += 1;
        }
        line += line_feeds(&bytes[scanned..start]) as u64;
        scanned = start;
        let number = u32::try_from(line.saturating_sub(embedded_breaks)).unwrap_or(u32::MAX);
        // The record's cells, end to end (one search for line breaks, not one per cell).
        embedded_breaks += line_feeds(record.as_slice().as_bytes()) as u64;
        chunker.record(number, record.iter());
    }
    Ok(())
}

/// Records on their way to `on_chunk`: the first non-blank one is the header row, the others go
/// to the current piece, handed on when it is full.
struct Chunker<'f> {
    /// Rows in a piece.
    size: usize,
    /// Whether the text holds any NUL.
    nul: bool,
    headers: Option<Vec<String>>,
    chunk: Rows,
    notes: Vec<Note>,
    /// Notes not yet handed on, in row order (the stray quotes, found first, are already sorted).
    notes_from: usize,
    on_chunk: &'f mut dyn FnMut(&mut Table),
}

impl Chunker<'_> {
    /// One record: its cells trimmed, NULs removed (and noted); a blank record is skipped.
    fn record<'c>(&mut self, number: u32, cells: impl Iterator<Item = &'c str>) {
        let text_from = self.chunk.start(number);
        for (column, cell) in cells.enumerate() {
            let cell = trim(cell);
            if self.nul && cell.contains('\0') {
                self.chunk.push_cell(cell.replace('\0', "").trim());
                self.notes.push(Note {
                    row: number,
                    column,
                    kind: NoteKind::NulRemoved,
                });
            } else {
                self.chunk.push_cell(cell);
            }
        }
        self.close_record(text_from);
    }

    /// After a record's cells: drops it if blank, takes it as the header row if it is the first,
    /// and hands on the piece once it is full.
    fn close_record(&mut self, text_from: usize) {
        if self.chunk.drop_last_if_blank(text_from) {
            return;
        }
        if self.headers.is_none() {
            self.headers = self.chunk.first().map(|h| trim_trailing_blank(h.cells()));
            self.chunk.clear();
        } else if self.chunk.len() >= self.size {
            self.emit(false);
        }
    }

    /// Hands on the current piece with its notes (with `last`, every note left).
    fn emit(&mut self, last: bool) {
        let upto = if last {
            u32::MAX
        } else {
            self.chunk.last().map_or(0, |r| r.number)
        };
        let from = self.notes_from;
        self.notes[from..].sort_by_key(|n| (n.row, n.column));
        let end = from + self.notes[from..].partition_point(|n| n.row <= upto);
        let mine = self.notes[from..end].to_vec();
        self.notes_from = end;
        let mut table = Table {
            sheet: None,
            headers: self.headers.clone().unwrap_or_default(),
            rows: std::mem::take(&mut self.chunk),
            serial_dates: None,
            notes: mine,
        };
        (self.on_chunk)(&mut table);
        // The next piece will be about as big: it goes where this one was (unless it was taken),
        // not into new room that grows by doubling, copying as it goes, page by new page.
        if !last {
            self.chunk = table.rows;
            self.chunk.clear();
        }
    }
}

/// Where `line[from..to]` starts and ends without the whitespace around it (as [`trim`] has it).
#[inline]
fn trimmed(line: &str, from: usize, to: usize) -> (usize, usize) {
    let bytes = line.as_bytes();
    if from >= to || (solid(bytes[from]) && solid(bytes[to - 1])) {
        (from, to.max(from))
    } else {
        trimmed_slowly(line, from, to)
    }
}

#[cold]
fn trimmed_slowly(line: &str, from: usize, to: usize) -> (usize, usize) {
    let cell = line.get(from..to).unwrap_or_default();
    let rest = cell.trim_start();
    let start = from + (cell.len() - rest.len());
    (start, start + rest.trim_end().len())
}

/// `str::trim`, with a short cut for the usual cell, which starts and ends with a visible ASCII
/// character (the general trim decodes characters and looks them up in Unicode's table).
pub fn trim(cell: &str) -> &str {
    let bytes = cell.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(&first), Some(&last)) if !(solid(first) && solid(last)) => cell.trim(),
        _ => cell,
    }
}

/// A visible ASCII character: nothing `str::trim` would remove.
fn solid(byte: u8) -> bool {
    (b'!'..=b'~').contains(&byte)
}

/// Which of the bytes that call for more work a text holds. Most files hold none of them, so
/// they are looked for once, together, rather than by one search each (and one per cell for NUL).
struct Present {
    cr: bool,
    quote: bool,
    nul: bool,
}

impl Present {
    fn in_text(bytes: &[u8]) -> Present {
        let (mut cr, mut quote, mut nul) = (false, false, false);
        // Blocks without an early exit, which the compiler turns into vector instructions.
        for block in bytes.chunks(4096) {
            let (mut c, mut q, mut n) = (0u8, 0u8, 0u8);
            for &b in block {
                c |= u8::from(b == b'\r');
                q |= u8::from(b == b'"');
                n |= u8::from(b == 0);
            }
            cr |= c != 0;
            quote |= q != 0;
            nul |= n != 0;
        }
        Present { cr, quote, nul }
    }
}

/// A carriage return not followed by a line feed.
fn has_lone_cr(bytes: &[u8]) -> bool {
    bytes.contains(&b'\r')
        && bytes
            .iter()
            .enumerate()
            .any(|(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
}

/// Finds quotes that open a cell but do not close it properly, and drops them.
///
/// A cell may be quoted to hold commas or line breaks. A quote typed by mistake at the start of a
/// cell is never closed, or is "closed" by another stray quote lines later in the middle of a cell;
/// a CSV reader then swallows every row up to there into one cell, and those rows vanish. Such a
/// quote (the rest of the file, or a span of lines not ending at a cell boundary) is read as not
/// quoting anything: it is removed and noted, and reading carries on from it. A quoted cell that
/// holds line breaks and ends properly is left alone.
fn repair_stray_quotes(text: Cow<'_, str>, delimiter: u8) -> (Cow<'_, str>, Vec<Note>) {
    let bytes = text.as_bytes();
    let mut notes = Vec::new();
    // Most exports quote nothing: one fast search settles it.
    if !bytes.contains(&b'"') {
        return (text, notes);
    }
    let mut stray: Vec<usize> = Vec::new();
    let (mut row, mut column): (u32, usize) = (1, 0);
    let mut cell_start = true;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if cell_start && b == b'"' {
            let mut j = i + 1;
            let mut breaks = false;
            let close = loop {
                match bytes.get(j) {
                    None => break None,
                    Some(b'"') if bytes.get(j + 1) == Some(&b'"') => j += 2,
                    Some(b'"') => break Some(j),
                    Some(c) => {
                        breaks |= *c == b'\n';
                        j += 1;
                    }
                }
            };
            // Closed at the end of a cell, or on the same line: a real quoted cell.
            let proper = close.is_some_and(|k| {
                !breaks
                    || bytes
                        .get(k + 1)
                        .is_none_or(|&c| c == b'\n' || c == b'\r' || c == delimiter)
            });
            cell_start = false;
            if let (true, Some(k)) = (proper, close) {
                i = k + 1;
            } else {
                stray.push(i);
                notes.push(Note {
                    row,
                    column,
                    kind: NoteKind::StrayQuote,
                });
                i += 1;
            }
            continue;
        }
        cell_start = false;
        if b == delimiter {
            column += 1;
            cell_start = true;
        } else if b == b'\n' {
            row = row.saturating_add(1);
            column = 0;
            cell_start = true;
        }
        i += 1;
    }
    if stray.is_empty() {
        return (text, notes);
    }
    let mut kept = Vec::with_capacity(bytes.len() - stray.len());
    let mut from = 0;
    for &at in &stray {
        kept.extend_from_slice(&bytes[from..at]);
        from = at + 1;
    }
    kept.extend_from_slice(&bytes[from..]);
    // Only ASCII quotes were removed, so the text is still UTF-8.
    let text = String::from_utf8(kept)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    (Cow::Owned(text), notes)
}

/// Line feeds in `bytes`, counted in blocks whose counts fit in a byte, which the compiler turns
/// into vector instructions (16 or more bytes at a time, not one).
pub(crate) fn line_feeds(bytes: &[u8]) -> usize {
    bytes
        .chunks(255)
        .map(|block| usize::from(block.iter().map(|&b| u8::from(b == b'\n')).sum::<u8>()))
        .sum()
}

/// The cells without the blank ones at the end (a header row's trailing commas).
pub fn trim_trailing_blank<'c>(cells: impl IntoIterator<Item = &'c str>) -> Vec<String> {
    let mut cells: Vec<String> = cells.into_iter().map(String::from).collect();
    while cells.last().is_some_and(|c| c.is_empty()) {
        cells.pop();
    }
    cells
}

/// The delimiter that occurs most often, outside quotes, on the first non-blank line.
fn guess_delimiter(text: &str) -> u8 {
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut counts = [(b',', 0usize), (b'\t', 0), (b';', 0)];
    let mut quoted = false;
    for b in line.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted {
            for (d, n) in counts.iter_mut() {
                if *d == b {
                    *n += 1;
                }
            }
        }
    }
    counts
        .iter()
        .max_by_key(|(_, n)| *n)
        .filter(|(_, n)| *n > 0)
        .map(|(d, _)| *d)
        .unwrap_or(b',')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file of the malformed corpus read in pieces of 1, 2 and 3 rows is the same table as
    /// read whole: the same rows, numbered the same, and each note handed on once, with its row.
    #[test]
    fn pieces_add_up_to_the_whole_table() {
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/malformed");
        let mut files = 0;
        for case in std::fs::read_dir(corpus).unwrap() {
            for file in std::fs::read_dir(case.unwrap().path()).unwrap() {
                let path = file.unwrap().path();
                if path.extension().is_none_or(|e| e != "csv") {
                    continue;
                }
                let bytes = std::fs::read(&path).unwrap();
                let whole = read_delimited(&bytes);
                for size in 1..=3 {
                    let mut pieces: Vec<Table> = Vec::new();
                    let read = read_delimited_chunks(&bytes, size, &mut |t| pieces.push(t.clone()));
                    match (&whole, read) {
                        (Err(a), Err(b)) => assert_eq!(a, &b, "{}", path.display()),
                        (Ok(whole), Ok(())) => {
                            let rows: Rows = pieces.iter().flat_map(|t| t.rows.iter()).collect();
                            let notes: Vec<Note> =
                                pieces.iter().flat_map(|t| t.notes.clone()).collect();
                            assert_eq!(rows, whole.rows, "{} by {size}", path.display());
                            assert_eq!(notes, whole.notes, "{} by {size}", path.display());
                            for t in &pieces {
                                assert!(t.rows.len() <= size);
                                assert_eq!(t.headers, whole.headers);
                                // A piece's notes are about its rows (the first's also row 1).
                                for n in &t.notes {
                                    assert!(
                                        n.row == 1 || t.rows.iter().any(|r| r.number >= n.row),
                                        "{} note {n:?}",
                                        path.display()
                                    );
                                }
                            }
                        }
                        (a, b) => panic!("{}: {a:?} whole, {b:?} in pieces", path.display()),
                    }
                }
                files += 1;
            }
        }
        assert!(files >= 40, "{files} corpus files");
    }

    /// Text without quotes is split by hand: the same pieces as the csv reader makes of it.
    #[test]
    fn text_without_quotes_reads_as_the_csv_reader_reads_it() {
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/malformed");
        let mut texts: Vec<String> = [
            "A,B\r\n1,2\r\n\r\n ,\r\n3, 4 ,5\r\n,,\r\n",
            "\n\nA;B;\n1\n\n2;3;4;5\n",
            "A\tB\n 1 \t\u{a0}\n\t\n\u{a0}\t\u{2003}\nx\x00\t\x00\n",
            "A,B\n1,2",
            "A,B,\n",
        ]
        .map(String::from)
        .to_vec();
        for case in std::fs::read_dir(corpus).unwrap() {
            for file in std::fs::read_dir(case.unwrap().path()).unwrap() {
                let bytes = std::fs::read(file.unwrap().path()).unwrap();
                if let Some(text) = decode(&bytes).filter(|t| !t.contains(['"', '\r'])) {
                    texts.push(text.into_owned());
                }
            }
        }
        assert!(texts.len() >= 20, "{} texts", texts.len());
        for text in &texts {
            let delimiter = guess_delimiter(text);
            let read = |plain: bool| {
                let mut pieces = Vec::new();
                let mut on_chunk = |t: &mut Table| pieces.push(std::mem::take(t));
                let mut chunker = Chunker {
                    size: 2,
                    nul: text.contains('\0'),
                    headers: None,
                    chunk: Rows::default(),
                    notes: Vec::new(),
                    notes_from: 0,
                    on_chunk: &mut on_chunk,
                };
                if plain {
                    read_plain(text, 0, delimiter, &mut chunker);
                } else {
                    read_quoted(text, delimiter, &mut chunker).unwrap();
                }
                chunker.emit(true);
                pieces
            };
            assert_eq!(read(true), read(false), "{text:?}");
        }
    }

    /// The word-at-a-time search finds every delimiter and line feed, and nothing else, whatever
    /// bytes are around them (non-ASCII ones too) and wherever the text ends.
    #[test]
    fn separators_are_found_as_a_byte_search_finds_them() {
        let texts = [
            "",
            ",",
            "\n",
            "a,b\nc;d\te\r\n",
            "S0001,16/06/2015,S,C2,N4,K2,PR4,,,,QA20 9ZU,QF17 6QQ,SC790661",
            "\u{1}\u{2c},\u{2d}\u{b}\n\u{9}é€ü,日本\n\u{7f},\u{ff}\t;;;,,,\n\n\n",
        ];
        let every: Vec<u8> = (0..=255).chain((0..=255).rev()).collect();
        let texts = texts.iter().map(|t| t.as_bytes()).chain([every.as_slice()]);
        for text in texts {
            for cut in (0..=text.len()).filter(|&c| c <= 40 || c % 37 == 0) {
                let bytes = &text[..cut];
                for delimiter in [b',', b'\t', b';'] {
                    let found: Vec<usize> = Separators::new(bytes, delimiter).collect();
                    let expected: Vec<usize> = (0..bytes.len())
                        .filter(|&i| bytes[i] == delimiter || bytes[i] == b'\n')
                        .collect();
                    assert_eq!(found, expected, "{bytes:?} {delimiter}");
                }
            }
        }
    }

    /// Bytes given a piece at a time.
    struct Slice<'a>(&'a [u8]);

    impl Pieces for Slice<'_> {
        fn size(&self) -> usize {
            self.0.len()
        }
        fn read(&self, start: usize, end: usize, into: &mut Vec<u8>) {
            into.extend_from_slice(&self.0[start.min(self.0.len())..end.min(self.0.len())]);
        }
    }

    /// Text read as it streams in, in pieces of any size (a character, a line end or a line split
    /// between two), gives exactly the tables read whole; text it cannot take is left to be read
    /// whole.
    #[test]
    fn streaming_gives_the_tables_read_whole() {
        let long_header = format!("A,B{}\n1,2\n", ",X".repeat(700));
        let plain: Vec<Vec<u8>> = [
            "A,B\r\n1,2\r\n\r\n ,\r\n3, 4 ,5\r\n,,\r\n",
            "\n\n \nA;B;\n1\n\n2;3;4;5\n",
            "A\tB\n 1 \t\u{a0}\n\t\n\u{a0}\t\u{2003}\nx\t\n",
            "A,B\n1,2",
            "A,B,\n",
            "\u{feff}CHILD,NAME\nx,é€ü\ny,日本\n\n",
            &long_header,
        ]
        .iter()
        .map(|t| t.as_bytes().to_vec())
        .collect();
        let whole: Vec<&[u8]> = vec![
            b"",
            b" \n\t\n",
            b"A,B\n1,\"x\"\n",
            b"A,B\n1,2\n3,\"4",
            b"A,B\r1,2\r",
            b"A,B\n1,2\r",
            b"A,B\n1,2\n\xe9,1\n",
            b"A,B\n1,\x00\n",
            b"\xff\xfeA\x00,\x00B\x00\n\x001\x00,\x002\x00",
            b"PK\x03\x04rest",
            b"\x00\x01\x02\x03binary",
        ];
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/malformed");
        let mut files: Vec<Vec<u8>> = Vec::new();
        for case in std::fs::read_dir(corpus).unwrap() {
            for file in std::fs::read_dir(case.unwrap().path()).unwrap() {
                files.push(std::fs::read(file.unwrap().path()).unwrap());
            }
        }
        let all = plain.iter().map(Vec::as_slice).chain(whole.iter().copied());
        let mut streamed = 0;
        for bytes in all.chain(files.iter().map(Vec::as_slice)) {
            let mut expected = Vec::new();
            let read = read_delimited_chunks(bytes, 2, &mut |t| expected.push(std::mem::take(t)));
            for piece in [1, 2, 3, 5, 64, 1024, PIECE] {
                let mut tables = Vec::new();
                let how =
                    stream_delimited(&Slice(bytes), piece, 2, &mut |t| tables.push(t.clone()));
                let text = String::from_utf8_lossy(bytes);
                if how == Streamed::Done {
                    assert!(read.is_ok(), "{text:?}");
                    assert_eq!(tables, expected, "{text:?} in pieces of {piece}");
                    streamed += 1;
                }
                if plain.iter().any(|p| p == bytes) {
                    assert_eq!(how, Streamed::Done, "{text:?} in pieces of {piece}");
                }
                if whole.contains(&bytes) {
                    assert_eq!(how, Streamed::Whole, "{text:?} in pieces of {piece}");
                }
            }
        }
        // Most of the corpus is plain text.
        assert!(streamed > 7 * 40, "{streamed}");
    }

    #[test]
    fn rows_are_numbered_as_a_spreadsheet_shows_them() {
        let t = read_delimited(b"A,B\r\n1,\"two\nlines\"\r\n\r\n3,4\r\n").unwrap();
        assert_eq!(t.headers, vec!["A", "B"]);
        assert_eq!(t.rows.len(), 2);
        let first = t.rows.get(0).unwrap();
        assert_eq!(first.number, 2);
        assert_eq!(first.cell(1), Some("two\nlines"));
        // Row 3 is the blank line; the quoted break does not count.
        assert_eq!(t.rows.get(1).unwrap().number, 4);
    }

    /// The cells of a file's first data row.
    fn first_row(bytes: &[u8]) -> Vec<String> {
        let t = read_delimited(bytes).unwrap();
        t.rows.first().unwrap().cells().map(String::from).collect()
    }

    #[test]
    fn delimiters() {
        assert_eq!(first_row(b"A;B\n1;2\n"), vec!["1", "2"]);
        assert_eq!(first_row(b"A\tB\n1\t2\n"), vec!["1", "2"]);
        assert_eq!(first_row(b"A,B\n\"1;x\",2\n"), vec!["1;x", "2"]);
    }

    #[test]
    fn cr_only_line_ends() {
        let t = read_delimited(b"A,B\r1,2\r3,4").unwrap();
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows.get(1).unwrap().number, 3);
    }

    #[test]
    fn bad_files() {
        assert_eq!(read_delimited(b""), Err(ReadProblem::Empty));
        assert_eq!(read_delimited(b"\n\n  \n"), Err(ReadProblem::Empty));
        assert_eq!(
            read(Content::Bytes(b"\xD0\xCF\x11\xE0rest")),
            Err(ReadProblem::OldExcel)
        );
        assert_eq!(
            read_delimited(b"\x00\x01\x02\x03binary"),
            Err(ReadProblem::NotText)
        );
    }

    #[test]
    fn trailing_blank_header_cells_dropped() {
        let t = read_delimited(b"A,B,,\n1,2,,\n").unwrap();
        assert_eq!(t.headers, vec!["A", "B"]);
    }
}

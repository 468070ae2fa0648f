//! The WebAssembly facade: converts between JavaScript values and the engine. It never computes.
//!
//! One crate, two modules for the page. The main module (default features: `www/pkg`) exports
//! the engine; the workbook module (feature `xlsx`: `www/pkg-xlsx`) exports only
//! `read_workbook`, so calamine (more than the whole engine, compressed) is fetched only when a
//! workbook is dropped.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(message: &str);
}

/// Runs once when the module loads: a panic (which the engine is built never to reach) is written
/// to the console instead of surfacing as a bare "unreachable".
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| console_error(&info.to_string())));
}

#[cfg(not(feature = "xlsx"))]
mod engine {
    use crate::input::{self, Kind};
    use crate::{targets, Content, Options, Progress};
    use js_sys::{Array, Function, Int32Array, Reflect, Uint8Array};
    use serde::Serialize;
    use wasm_bindgen::prelude::*;

    fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
        value
            .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
            .map_err(|e| JsValue::from_str(&e.to_string()))
    }

    /// The bytes of `file[key]` when it is a `Uint8Array` (or an `ArrayBuffer`).
    fn bytes(file: &JsValue, key: &str) -> Result<Option<Vec<u8>>, JsValue> {
        let value = Reflect::get(file, &JsValue::from_str(key))?;
        if value.is_undefined() || value.is_null() {
            return Ok(None);
        }
        Ok(Some(uint8_array(value).to_vec()))
    }

    /// `value` as a `Uint8Array` without a copy in JavaScript: the array itself, or a view of an
    /// `ArrayBuffer` (anything else is copied into a new one). `new Uint8Array(array)`, which
    /// this was, copies the whole array first: some 44 ms of a 1M report in Node, for bytes that
    /// are then copied into the engine's memory anyway.
    fn uint8_array(value: JsValue) -> Uint8Array {
        value
            .dyn_into::<Uint8Array>()
            .unwrap_or_else(|other| Uint8Array::new(&other))
    }

    #[derive(Serialize)]
    #[serde(tag = "stage", rename_all = "lowercase")]
    enum Stage<'a> {
        Reading {
            file: usize,
            files: usize,
            name: &'a str,
        },
        Computing,
    }

    /// `report(files, options, progress?)`: `files` is an array of `{ name, data: Uint8Array }`
    /// (CSV, pasted text), `{ name, size, read(start, end) }` (a file read in pieces: `read`
    /// returns a `Uint8Array` of bytes `start..end`) or `{ name, workbook: Uint8Array }` (what `read_workbook` in the
    /// workbook module returned); `options` as `Options` (any field may be left out); `progress`,
    /// if given, is called with `{ stage: "reading", file, files, name }` before each file and
    /// `{ stage: "computing" }` after the last. Returns the report (`docs/report-format.md`).
    fn options_of(options: JsValue) -> Result<Options, JsValue> {
        if options.is_undefined() || options.is_null() {
            return Ok(Options::default());
        }
        serde_wasm_bindgen::from_value(options)
            .map_err(|e| JsValue::from_str(&format!("options: {e}")))
    }

    /// A file given as `{ size, read(start, end) }` (the page's worker passes an upload so: it
    /// keeps only the browser's handle to the file), read a piece at a time as the engine asks:
    /// a text file is read as it comes and never held whole, in JavaScript's memory or here.
    struct JsPieces<'a> {
        read: &'a Function,
        size: usize,
        /// The first error `read` threw.
        failed: std::cell::RefCell<Option<JsValue>>,
    }

    impl<'a> JsPieces<'a> {
        fn new(file: &JsValue, read: &'a Function) -> Result<JsPieces<'a>, JsValue> {
            let size = Reflect::get(file, &JsValue::from_str("size"))?
                .as_f64()
                .unwrap_or(0.0);
            // A size beyond this machine's memory is refused by the allocation, not guessed at.
            let size = if size.is_finite() && size > 0.0 {
                size as usize
            } else {
                0
            };
            Ok(JsPieces {
                read,
                size,
                failed: std::cell::RefCell::new(None),
            })
        }
    }

    impl input::Pieces for JsPieces<'_> {
        fn size(&self) -> usize {
            self.size
        }

        fn read(&self, start: usize, end: usize, into: &mut Vec<u8>) {
            if self.failed.borrow().is_some() {
                return;
            }
            let piece = self.read.call2(
                &JsValue::NULL,
                &JsValue::from_f64(start as f64),
                &JsValue::from_f64(end as f64),
            );
            match piece {
                Ok(piece) => {
                    let piece = uint8_array(piece);
                    // A file that became shorter since it was added gives fewer bytes: the engine
                    // reads what there is.
                    let got = (piece.length() as usize).min(end.saturating_sub(start));
                    let at = into.len();
                    into.resize(at + got, 0);
                    piece.subarray(0, got as u32).copy_to(&mut into[at..]);
                }
                Err(e) => *self.failed.borrow_mut() = Some(e),
            }
        }
    }

    /// The report over `files`: a file given with `read` is read as it streams in (a text file
    /// is never whole in the engine's memory); one given as bytes is copied in only while it is
    /// read, and freed before the next, so a 70 MB upload is not held beside its records.
    fn run_js(
        files: &Array,
        options: &Options,
        progress: &mut dyn FnMut(Progress<'_>),
    ) -> Result<crate::Report, JsValue> {
        let mut names: Vec<String> = Vec::with_capacity(files.length() as usize);
        for file in files.iter() {
            names.push(
                Reflect::get(&file, &JsValue::from_str("name"))?
                    .as_string()
                    .unwrap_or_default(),
            );
        }
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let mut failed: Option<JsValue> = None;
        // Each file is given as `workbook` (a read workbook), `read` with `size` (read in pieces)
        // or `data` (bytes).
        let mut lend = |i: usize, read: &mut dyn FnMut(Content<'_>)| {
            let file = files.get(u32::try_from(i).unwrap_or(u32::MAX));
            let given = (|| -> Result<(), JsValue> {
                if let Some(workbook) = bytes(&file, "workbook")? {
                    read(Content::ReadWorkbook(&workbook));
                    return Ok(());
                }
                let reader = Reflect::get(&file, &JsValue::from_str("read"))?;
                if let Some(reader) = reader.dyn_ref::<Function>() {
                    let pieces = JsPieces::new(&file, reader)?;
                    read(Content::Pieces(&pieces));
                    return pieces.failed.into_inner().map_or(Ok(()), Err);
                }
                read(Content::Bytes(&bytes(&file, "data")?.unwrap_or_default()));
                Ok(())
            })();
            if let Err(e) = given {
                failed.get_or_insert(e);
            }
        };
        let report = crate::run_lent(&names, &mut lend, options, progress);
        match failed {
            Some(e) => Err(e),
            None => Ok(report),
        }
    }

    /// `prepare_what_if` (the fourth argument, optional): also keep what `what_if` reads, from
    /// this same run, as `prepare_what_if` would (with `rows: "none"` only): the page's worker
    /// asks so, and the what-if section then needs no second run of the engine.
    #[wasm_bindgen]
    pub fn report(
        files: Array,
        options: JsValue,
        progress: Option<Function>,
        prepare_what_if: Option<bool>,
    ) -> Result<JsValue, JsValue> {
        let mut options = options_of(options)?;
        let what_if = prepare_what_if == Some(true);
        if what_if {
            if options.rows != crate::options::Rows::None {
                return Err(JsValue::from_str(
                    "report: prepare_what_if is only for a report without rows",
                ));
            }
            options.rows = crate::options::Rows::WhatIf;
        }
        let mut report = run_js(&files, &options, &mut telling(&progress))?;
        // Each figure's days go to JavaScript as an `Int32Array`, not an array of numbers: at 1M
        // episodes there are 1.5 million of them, which the page's worker then posts to the page,
        // and a typed array is built, posted (transferred) and received as one block of memory.
        let days: Vec<Vec<i64>> = (report.indicators.iter_mut())
            .map(|i| std::mem::take(&mut i.days))
            .collect();
        if what_if {
            // The rows move to the kept figures: the page's report carries none.
            keep_for_what_if(&mut report);
        }
        let value = to_js(&report)?;
        with_days(&value, &days)?;
        Ok(value)
    }

    /// The engine's progress, told to the page's `progress` callback (if any).
    fn telling(progress: &Option<Function>) -> impl FnMut(Progress<'_>) + '_ {
        move |p: Progress<'_>| {
            let Some(f) = progress else { return };
            let stage = match p {
                Progress::Reading { file, files, name } => Stage::Reading { file, files, name },
                Progress::Computing => Stage::Computing,
            };
            // Progress is a courtesy: a failing callback must not stop the run.
            if let Ok(value) = to_js(&stage) {
                let _ = f.call1(&JsValue::NULL, &value);
            }
        }
    }

    /// `report_json(files, options, progress, write, part_bytes?)`: the report over `files` (as
    /// for `report`) as JSON text, the CLI's `--json` byte for byte, given to `write` in parts of
    /// about `part_bytes` (8 MB unless given; each a `Uint8Array` of its own, in order, the last
    /// ending with a line feed) and never held whole, in the engine or as a
    /// JavaScript string: the page's full download at 1M episodes, with every figure's rows, is
    /// over a gigabyte, which no JavaScript string can hold, and the report as JavaScript objects
    /// would be tens of millions of them.
    #[wasm_bindgen]
    pub fn report_json(
        files: Array,
        options: JsValue,
        progress: Option<Function>,
        write: Function,
        part_bytes: Option<u32>,
    ) -> Result<(), JsValue> {
        let options = options_of(options)?;
        let report = run_js(&files, &options, &mut telling(&progress))?;
        let part = part_bytes.map_or(8 << 20, |b| b.max(1) as usize);
        let mut out = JsWriter {
            write: &write,
            buffer: Vec::with_capacity(part),
            part,
            failed: None,
        };
        let written = serde_json::to_writer_pretty(&mut out, &report)
            .map_err(|e| e.to_string())
            .and_then(|()| {
                use std::io::Write as _;
                (out.write_all(b"\n").and_then(|()| out.flush())).map_err(|e| e.to_string())
            });
        match (written, out.failed) {
            (_, Some(e)) => Err(e),
            (Err(e), None) => Err(JsValue::from_str(&e)),
            (Ok(()), None) => Ok(()),
        }
    }

    /// Text written in parts to a JavaScript `write(part)`; the first error it throws is kept.
    struct JsWriter<'a> {
        write: &'a Function,
        buffer: Vec<u8>,
        /// Bytes per part (the last may be fewer).
        part: usize,
        failed: Option<JsValue>,
    }

    impl std::io::Write for JsWriter<'_> {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.buffer.extend_from_slice(bytes);
            if self.buffer.len() >= self.part {
                self.flush()?;
            }
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            if self.buffer.is_empty() {
                return Ok(());
            }
            let part = Uint8Array::from(self.buffer.as_slice());
            self.buffer.clear();
            if let Err(e) = self.write.call1(&JsValue::NULL, &part) {
                self.failed = Some(e);
                return Err(std::io::Error::other("write failed"));
            }
            Ok(())
        }
    }

    /// Sets `days` on each figure of `report` (a report as JavaScript) that has days, as an
    /// `Int32Array` (a figure's days are whole days between two dates: far inside 32 bits).
    fn with_days(report: &JsValue, days: &[Vec<i64>]) -> Result<(), JsValue> {
        if days.iter().all(Vec::is_empty) {
            return Ok(());
        }
        let indicators = Reflect::get(report, &JsValue::from_str("indicators"))?;
        let key = JsValue::from_str("days");
        let mut narrow: Vec<i32> = Vec::new();
        for (i, days) in days.iter().enumerate() {
            if days.is_empty() {
                continue;
            }
            narrow.clear();
            narrow.extend(
                days.iter()
                    .map(|&d| d.clamp(i32::MIN.into(), i32::MAX.into()) as i32),
            );
            let indicator = Reflect::get_u32(&indicators, u32::try_from(i).unwrap_or(u32::MAX))?;
            Reflect::set(&indicator, &key, &Int32Array::from(narrow.as_slice()))?;
        }
        Ok(())
    }

    /// Keeps the figures `what_if` reads, with their rows, and nothing else of `report` (not its
    /// files, exclusions or diagnostics); takes every figure's rows out of `report`.
    fn keep_for_what_if(report: &mut crate::Report) {
        let mut indicators = Vec::new();
        for i in &mut report.indicators {
            let children = std::mem::take(&mut i.children);
            let excluded = std::mem::take(&mut i.excluded);
            if crate::whatif::READS.contains(&i.id) {
                indicators.push(crate::report::IndicatorResult {
                    children,
                    excluded,
                    ..i.clone()
                });
            }
        }
        let kept = crate::Report {
            engine: report.engine.clone(),
            options: report.options.clone(),
            coverage: report.coverage.clone(),
            counts: report.counts.clone(),
            files: Vec::new(),
            indicators,
            excluded: Vec::new(),
            diagnostics: Vec::new(),
            diagnostics_total: report.diagnostics_total,
            quality: Vec::new(),
        };
        LAST.with(|last| *last.borrow_mut() = Some(kept));
    }

    /// `prepare_what_if(files, options)`: computes the report over `files` (as for `report`)
    /// with the child rows of the figures `what_if` reads, and keeps those figures (only) for
    /// it. Returns nothing: the page already has the report's figures.
    #[wasm_bindgen]
    pub fn prepare_what_if(files: Array, options: JsValue) -> Result<(), JsValue> {
        let mut options = options_of(options)?;
        options.rows = crate::options::Rows::WhatIf;
        keep_for_what_if(&mut run_js(&files, &options, &mut |_| {})?);
        Ok(())
    }

    thread_local! {
        /// The figures `prepare_what_if` kept, for `what_if`.
        static LAST: std::cell::RefCell<Option<crate::Report>> = const { std::cell::RefCell::new(None) };
    }

    /// `what_if(request)`: the what-if projection (`src/whatif.rs`) of the figures
    /// `prepare_what_if` kept, for
    /// `{ today: "YYYY-MM-DD", date?: "YYYY-MM-DD" | null, children?: [{ child, placed }], la? }`.
    /// Throws when nothing was prepared or the request is malformed.
    #[wasm_bindgen]
    pub fn what_if(request: JsValue) -> Result<JsValue, JsValue> {
        let request: crate::whatif::Request = serde_wasm_bindgen::from_value(request)
            .map_err(|e| JsValue::from_str(&format!("what-if request: {e}")))?;
        LAST.with(|last| match last.borrow().as_ref() {
            Some(report) => to_js(&crate::whatif::from_report(report, &request)),
            None => Err(JsValue::from_str("what-if: prepare_what_if has not run")),
        })
    }

    /// `file_kind(firstBytes)`: `"workbook"` (a zip: give it to the workbook module first),
    /// `"xls"` (old binary Excel or a password-protected workbook: the engine explains) or
    /// `"text"`. Eight bytes are enough.
    #[wasm_bindgen]
    pub fn file_kind(head: &[u8]) -> String {
        match input::kind(head) {
            Kind::Workbook => "workbook",
            Kind::OldExcel => "xls",
            Kind::Text => "text",
        }
        .to_string()
    }

    #[derive(Serialize)]
    struct ThresholdOut {
        window: &'static str,
        a1_days: u32,
        a2_days: u32,
        a1_months: u32,
        a2_months: u32,
        a3_months: u32,
        source: &'static str,
    }

    /// The compiled-in thresholds, for the page's override form and help.
    #[wasm_bindgen]
    pub fn targets() -> Result<JsValue, JsValue> {
        let rows: Vec<ThresholdOut> = targets::THRESHOLDS
            .iter()
            .map(|t| ThresholdOut {
                window: t.window,
                a1_days: t.a1_days,
                a2_days: t.a2_days,
                a1_months: t.a1_months,
                a2_months: t.a2_months,
                a3_months: t.a3_months,
                source: t.source,
            })
            .collect();
        to_js(&rows)
    }

    /// The engine's version.
    #[wasm_bindgen]
    pub fn version() -> String {
        env!("CARGO_PKG_VERSION").to_string()
    }
}

#[cfg(feature = "xlsx")]
mod workbook_reader {
    use crate::input::{workbook, xlsx};
    use wasm_bindgen::prelude::*;

    /// `read_workbook(bytes)`: reads an .xlsx into the form the main module's `report` takes as
    /// `{ name, workbook }`. Never throws for a bad workbook: the main module reports it.
    #[wasm_bindgen]
    pub fn read_workbook(bytes: &[u8]) -> Vec<u8> {
        workbook::encode(&xlsx::read_workbook(bytes))
    }
}

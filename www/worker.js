// The engine's own thread: a module worker, so reading a big upload and computing never freeze
// the page. The page sends each upload here once as the browser's handle to the file (a File:
// no bytes are read on the page), pasted text and the demo as bytes (transferred: the page keeps
// no copy), and the options; this worker keeps them, so a change of options recomputes without
// the page sending anything again. An upload's bytes are read from its handle when the engine
// runs (engineFiles): up to 128 MB in all read ahead, each part given back as soon as the engine
// has read it; bigger uploads a piece at a time as the engine reads them, so a 200 MB upload is
// never held in memory whole. The engine itself reads every text upload a piece at a time. Nothing
// leaves this worker but progress and the report.
//
// Messages from the page:
//   { type: 'run', id, add: [{ key, name, data: File | ArrayBuffer }], keep: [key, ...], options, diagnostics, compute }
//     add these files, forget any not in keep, then, if compute and no newer run is already
//     waiting, compute the report over the kept files, in keep's order. diagnostics: which the
//     report carries ({ first, per_group }: the ones the page shows; docs/report-format.md).
//   { type: 'rows', id, request: { id, window, la, category } }
//     the children (households, families) behind one figure of the last report: the engine
//     runs again over the same files and options, keeping only that figure's rows.
//   { type: 'full', id }  the last report again, with every figure's rows and every diagnostic
//     (the JSON download).
//   { type: 'diagnostics', id }  every diagnostic of the last report (the problems and data-quality
//     downloads): the engine runs again over the same files and options.
// Messages to the page:
//   { type: 'progress', id, stage: 'reading', file, files, name } | { type: 'progress', id, stage: 'computing' }
//   { type: 'report', id, report }           report is null when there are no files; its
//                                            figures carry no child rows (options.rows = 'none'),
//                                            figures of days their days (options.days, each an
//                                            Int32Array, transferred)
//   { type: 'rows', id, request, children, excluded }   the rows behind one figure
//   { type: 'full', id, json }               the last report with every figure's rows and diagnostic,
//                                            as JSON text (a Blob); or { type: 'full', id, error }
//   { type: 'diagnostics', id, diagnostics, quality }   every diagnostic, and the quality groups
//                                            over them (whole, not cut to the ones the page shows)
//   { type: 'error', id, message }           the engine refused the files as a whole
//
// What-if (issue 5): { type: 'whatif', id, request } -> { type: 'whatif', id, result } or
// { type: 'whatif', id, error }: the projection (src/whatif.rs) of the last report computed here.
//
// Warming up (issue 6): { type: 'warm' } -> { type: 'warmed' }: load the engine and run it over a
// made-up council (warm-up.js) before the user's first files arrive; see warmUp below.

import { inPieces, inPiecesOfChunks } from './pieces.js';

/** key -> { name, data: Blob | Uint8Array | null, workbook: Uint8Array | null, kind } */
const files = new Map();

/** The newest run asked for: an older one still queued is skipped. */
let newest = 0;

/** The files (in order) and options of the last report, for the rows behind its figures. */
let last = null;

/** The workbook module, loaded (from this site) the first time a workbook is dropped. */
let workbookModule = null;
/** Set when the workbook module failed to load or stopped: the engine then explains. */
let workbookReaderBroken = false;

function loadWorkbookModule() {
  workbookModule ??= import('./pkg-xlsx/care_scorecard_xlsx.js').then(async (module) => {
    await module.default();
    return module;
  });
  return workbookModule;
}

/** The engine's module (www/pkg/care_scorecard.js, about 200 KB of brotli wasm), once loaded. */
let engine = null;
let engineLoad = null;
/**
 * Loads the engine, once: not for the page's first view, but when the page asks to warm it up
 * (once idle, or as the user moves to give it data) or the first time a message needs it.
 */
function loadEngine() {
  engineLoad ??= import('./pkg/care_scorecard.js')
    .then(async (module) => {
      await module.default();
      engine = module;
    })
    .catch((err) => {
      // The engine is built with WebAssembly SIMD (.cargo/config.toml), which older browsers lack.
      throw new Error(`The engine did not load (${String(err?.message ?? err)}). Reload the page and try again. If it still does not load, the browser may be too old: the page needs Chrome or Edge 91, Firefox 89 or Safari 16.4, or later.`);
    });
  return engineLoad;
}

/** The warm-up, once started. */
let warming = null;
/**
 * Gets the engine ready for the user's first files while the page is idle. V8 compiles each
 * WebAssembly function the first time it is called, with its baseline compiler, and optimises a
 * function (on another thread) only once it has done enough work: a fresh engine's first report
 * of 10,000 episodes took 4-5 times as long as its next one. So the engine is loaded, then run over
 * a made-up council (warm-up.js, about 43,000 episodes in all, with the mistakes real returns
 * have) the way a real run calls it, diagnostics cut as the page cuts them. In runs of 5,400
 * episodes, each in a task of its own: a message from the page is handled between two of them,
 * and the user's first files end the warm-up.
 */
async function warmUp() {
  await loadEngine();
  const { warmUpFiles, WARM_UP_RUNS, WARM_UP_OPTIONS } = await import('./warm-up.js');
  for (let run = 0; run < WARM_UP_RUNS; run++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (last) return;
    // As uploads (Blobs, read as the user's are), so the streaming reader is warmed up too.
    const { files, progress } = await engineFiles(warmUpFiles(run).map(({ name, data }) => ({ name, data: new Blob([data]) })));
    // The user's files may have come while the uploads were read: their report (and the what-if
    // rows it keeps in the engine) must be the last.
    if (last) return;
    engine.report(files, WARM_UP_OPTIONS, progress, true);
  }
}

// One message at a time, in order: a run may wait for the workbook module to load.
let queue = Promise.resolve();
self.onmessage = (event) => {
  const message = event.data;
  if (message?.type === 'warm') {
    warming ??= warmUp()
      .catch(() => {
        // The user's first run loads the engine again and says what went wrong.
      })
      .finally(() => self.postMessage({ type: 'warmed' }));
    return;
  }
  if (message?.type === 'run') newest = message.id;
  if (message?.type === 'rows') pendingRows.push(message);
  queue = queue.then(() => handle(message)).catch((err) => {
    self.postMessage({ type: 'error', id: message?.id, message: String(err?.message ?? err) });
  });
};

async function handle(message) {
  // The engine is loaded for the first message that has data for it (a run with no files, as
  // the page sends when the last file is removed, does not need it).
  const needs = message?.type === 'run' ? (message.add ?? []).length > 0 || (message.keep ?? []).length > 0 : true;
  try {
    if (needs) await loadEngine();
  } catch (err) {
    // A what-if reply is awaited as such; anything else is an error of the run in hand.
    if (message?.type === 'whatif') return self.postMessage({ type: 'whatif', id: message.id, error: err.message });
    throw err;
  }
  if (message?.type === 'rows') return rows();
  if (message?.type === 'full') return full(message);
  if (message?.type === 'diagnostics') return allDiagnostics(message);
  if (message?.type === 'whatif') return whatIf(message); // issue 5
  if (message?.type !== 'run') return;
  const { id, add = [], keep = [], options, diagnostics = 'all', compute = true } = message;
  for (const { key, name, data } of add) {
    const kept = data instanceof Blob ? data : new Uint8Array(data);
    // An upload's kind is taken from its first bytes when they are first read (engineFiles).
    files.set(key, { name, data: kept, workbook: null, kind: kept instanceof Blob ? null : engine.file_kind(kept.subarray(0, 8)) });
  }
  const wanted = new Set(keep);
  for (const key of [...files.keys()]) if (!wanted.has(key)) files.delete(key);

  // A newer run queued behind this one will compute.
  if (!compute || id !== newest) return;
  const list = keep.map((key) => files.get(key)).filter(Boolean);
  if (list.length === 0) {
    self.postMessage({ type: 'report', id, report: null });
    return;
  }

  const progress = (stage) => self.postMessage({ type: 'progress', id, ...stage });
  last = { list, options };
  // One run of the engine serves the whole page: days (the days charts are drawn from each
  // figure's days) and, kept inside the engine, the rows the what-if section projects from.
  const ready = await engineFiles(list, progress);
  if (id !== newest) return;
  const result = engine.report(ready.files, { ...options, rows: 'none', diagnostics, days: true }, ready.progress, true);
  whatIfFor = last;
  // The days (Int32Arrays, 1.5 million numbers at 1M episodes) are handed over, not copied.
  const days = (result?.indicators ?? []).map((i) => i.days?.buffer).filter(Boolean);
  self.postMessage({ type: 'report', id, report: result }, days);
}

/**
 * Uploads of up to this many bytes in all are read into this worker's memory before the engine
 * runs (1M episodes are 88 MB); bigger ones a piece at a time, while the engine reads them.
 */
const READ_AHEAD_LIMIT = 128 * 1024 * 1024;
/**
 * Uploads are read ahead in parts of this many bytes, each read on its own (`Blob.arrayBuffer()`)
 * into memory of its own, which the browser returns to the system when the engine has read the
 * part. The 64 KB chunks of `Blob.stream()` were as fast, but their memory stayed with the tab:
 * at 1M episodes the tab rose by 406-512 MB reading ahead so, 311-359 MB in parts of 8 MB (and
 * 357-366 MB reading a piece at a time, which took 0.3-0.5 s longer). Parts of 2 MB and 32 MB
 * kept more.
 */
const READ_AHEAD_PART = 8 * 1024 * 1024;

/**
 * The files as the engine takes them, `files`, and the `progress` callback to run the engine with.
 * An upload is given as its size and a `read(start, end)` the engine calls for each piece it reads
 * (pieces.js), so the engine never holds a text file whole. The uploads are read from the
 * browser's handles first, asynchronously, when they are not too big (READ_AHEAD_LIMIT): the
 * synchronous reader the engine's call would otherwise wait on took 0.8 of the 1.8 s the page's
 * worker spent reading 1M episodes. What the engine has read is given back as it goes, and the
 * rest of a file once the engine moves on to the next (`progress` says when).
 *
 * A new upload's kind is taken from its first bytes as they are read here, not with a reader of
 * its own: four synchronous reads of 8 bytes took 7-43 ms of a 10,000-episode report. A workbook
 * is then read once, by the workbook module, and only its (smaller) tables are kept.
 */
async function engineFiles(list, onProgress = () => {}) {
  const uploads = list.filter((file) => !file.workbook && file.data instanceof Blob);
  const small = uploads.reduce((n, file) => n + file.data.size, 0) <= READ_AHEAD_LIMIT;
  const ahead = new Map(small ? await Promise.all(uploads.map(async (file) => [file, await readChunks(file)])) : []);
  for (const file of uploads) file.kind ??= engine.file_kind(ahead.has(file) ? joined(ahead.get(file), 8) : await readHead(file));
  for (const [i, file] of list.entries()) {
    if (file.kind !== 'workbook' || file.workbook || workbookReaderBroken) continue;
    onProgress({ stage: 'reading', file: i + 1, files: list.length, name: file.name });
    try {
      const reader = await loadWorkbookModule();
      const bytes = ahead.has(file) ? joined(ahead.get(file)) : readSlice(file, 0, file.data.size);
      file.workbook = reader.read_workbook(bytes);
      file.data = null;
    } catch (err) {
      // The main module then says the workbook reader did not load, and what to do.
      workbookReaderBroken = true;
      console.error(`The workbook reader stopped: ${String(err?.message ?? err)}`);
    }
  }
  /** Each upload read ahead -> its reader, until the engine has moved on from it. */
  const held = new Map();
  const files = list.map((file) => {
    if (file.workbook) return { name: file.name, workbook: file.workbook };
    if (ahead.has(file)) {
      const pieces = inPiecesOfChunks(file.name, ahead.get(file), (start, end) => readSlice(file, start, end));
      held.set(file, pieces);
      return pieces;
    }
    if (file.data instanceof Blob) return inPieces(file.name, file.data, (start, end) => readSlice(file, start, end));
    return { name: file.name, data: file.data };
  });
  const progress = (stage) => {
    // Reading file k (from 1): files 1..k-1 are done. Computing: all are.
    const done = stage?.stage === 'computing' ? list.length : Math.max(0, (stage?.file ?? 1) - 1);
    for (const file of list.slice(0, done)) {
      held.get(file)?.release();
      held.delete(file);
    }
    onProgress(stage);
  };
  return { files, progress };
}

/** The first `limit` bytes (by default all) of `chunks`, in one Uint8Array. */
function joined(chunks, limit = Infinity) {
  const size = Math.min(limit, chunks.reduce((n, chunk) => n + chunk.length, 0));
  if (chunks.length > 0 && chunks[0].length >= size) return chunks[0].subarray(0, size);
  const bytes = new Uint8Array(size);
  for (let i = 0, at = 0; at < size; i++) {
    const part = chunks[i].subarray(0, size - at);
    bytes.set(part, at);
    at += part.length;
  }
  return bytes;
}

/** The first 8 bytes of an upload that is not read ahead. */
async function readHead(file) {
  try {
    return new Uint8Array(await file.data.slice(0, 8).arrayBuffer());
  } catch (err) {
    readSlice(file, 0, 1);
    throw unreadable(file, err);
  }
}

/** What to say when an upload cannot be read. */
function unreadable(file, err) {
  return new Error(
    `${file.name} could not be read (${err?.name ?? err}): it may have been changed, moved or deleted since it was added. Remove it from the list and add it again.`,
  );
}

/** Bytes start..end of an upload, read again from the browser's handle to it. */
function readSlice(file, start, end) {
  try {
    return new Uint8Array(new FileReaderSync().readAsArrayBuffer(file.data.slice(start, end)));
  } catch (err) {
    throw unreadable(file, err);
  }
}

/** The whole of an upload, read again from the browser's handle to it, in parts (READ_AHEAD_PART). */
async function readChunks(file) {
  try {
    const parts = [];
    for (let start = 0; start < file.data.size; start += READ_AHEAD_PART) parts.push(file.data.slice(start, start + READ_AHEAD_PART));
    return await Promise.all(parts.map(async (part) => new Uint8Array(await part.arrayBuffer())));
  } catch (err) {
    // The reason is named by the synchronous reader (NotReadableError when the file was
    // changed on disk; a stream said only TypeError), so it is asked for one byte.
    readSlice(file, 0, 1);
    throw unreadable(file, err);
  }
}

/**
 * The last report again, with every figure's rows and every diagnostic, as the JSON file to
 * download (a Blob). The engine writes the JSON text itself, in parts: at 1M episodes it is over
 * a gigabyte, more than a JavaScript string holds, and as objects it would be tens of millions of
 * them. The browser keeps a Blob that big on disk if it must.
 */
async function full({ id }) {
  if (!last || id !== newest) return;
  const { files, progress } = await engineFiles(last.list);
  const parts = [];
  try {
    engine.report_json(files, { ...last.options, rows: 'all', diagnostics: 'all' }, progress, (part) => parts.push(part));
  } catch (err) {
    self.postMessage({ type: 'full', id, error: String(err?.message ?? err) });
    return;
  }
  const json = new Blob(parts, { type: 'application/json' });
  parts.length = 0;
  self.postMessage({ type: 'full', id, json });
}

/** Every diagnostic of the last report, with the quality groups over them (the downloads). */
async function allDiagnostics({ id }) {
  if (!last || id !== newest) return;
  const { files, progress } = await engineFiles(last.list);
  const result = engine.report(files, { ...last.options, rows: 'none', diagnostics: 'all' }, progress);
  self.postMessage({ type: 'diagnostics', id, diagnostics: result?.diagnostics ?? [], quality: result?.quality ?? [] });
}

/** Row requests not answered yet: those made together are answered by one run of the engine. */
const pendingRows = [];

/** The rows behind figures of the last report (same files, same options). */
async function rows() {
  // Let the other requests of this moment (the page's charts ask for several) arrive first.
  await new Promise((resolve) => setTimeout(resolve, 0));
  const batch = pendingRows.splice(0).filter((m) => last && m.id === newest);
  if (batch.length === 0) return;
  const key = (r) => ({ id: r.id, window: r.window, la: r.la ?? null, category: r.category ?? null });
  // No diagnostics: only the figures' rows are read from this run.
  const diagnostics = { first: 0, per_group: 0 };
  const { files, progress } = await engineFiles(last.list);
  const result = engine.report(files, { ...last.options, rows: { several: batch.map((m) => key(m.request)) }, diagnostics }, progress);
  for (const { id, request } of batch) {
    const want = key(request);
    const ind = (result?.indicators ?? []).find(
      (a) => a.id === want.id && a.window === want.window && (a.la ?? null) === want.la && (a.category ?? null) === want.category,
    );
    self.postMessage({ type: 'rows', id, request, children: ind?.children ?? [], excluded: ind?.excluded ?? [] });
  }
}

/** The last report's files and options that what_if was prepared for (issue 5). */
let whatIfFor = null;

/**
 * The what-if projection (src/whatif.rs) of the last report. The run that made the report kept
 * the rows of the figures the projection reads; should that ever not be so, the engine runs once
 * more over the same files and options to keep them.
 */
async function whatIf({ id, request }) {
  try {
    if (!last) throw new Error('there is no report to project from');
    if (whatIfFor !== last) {
      engine.prepare_what_if((await engineFiles(last.list)).files, last.options);
      whatIfFor = last;
    }
    self.postMessage({ type: 'whatif', id, result: engine.what_if(request) });
  } catch (err) {
    self.postMessage({ type: 'whatif', id, error: String(err?.message ?? err) });
  }
}

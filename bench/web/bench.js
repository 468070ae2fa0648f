// The bench page's side of bench/browser.mjs: holds each data set's CSVs as ArrayBuffers and
// runs one engine or baseline run at a time, each in a fresh worker, timed from the page.
// Node calls window.bench.* through page.evaluate.

/** size -> [{ name, data: ArrayBuffer }] */
const sets = new Map();

const now = () => performance.timeOrigin + performance.now();

/** Fetches a data set's files (not timed: the page would have them from the file input). */
async function load(size, names) {
  const files = [];
  for (const name of names) {
    const response = await fetch(`/bench/data/${size}/${name}`);
    if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
    files.push({ name, data: await response.arrayBuffer() });
  }
  sets.set(size, files);
  return files.reduce((sum, f) => sum + f.data.byteLength, 0);
}

function forget(size) {
  sets.delete(size);
}

/** The length of a value's JSON text, for values whose text V8 cannot hold as one string. */
function jsonLength(value) {
  if (ArrayBuffer.isView(value)) value = Array.from(value);
  if (Array.isArray(value)) return 2 + value.reduce((n, v) => n + jsonLength(v) + 1, 0) - (value.length ? 1 : 0);
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    return 2 + entries.reduce((n, [k, v]) => n + JSON.stringify(k).length + 1 + jsonLength(v) + 1, 0) - (entries.length ? 1 : 0);
  }
  return JSON.stringify(value)?.length ?? 0;
}

/**
 * One run in a fresh worker: 'engine' (the page's own wasm module, report()), 'engine-warm' (the
 * same, once the worker has run the page's warm-up (www/warm-up.js): V8 first runs a module
 * from its baseline compiler and optimises the functions that turn out hot while it runs; the
 * page warms its worker up so while it is idle), 'baseline' (papaparse + plain
 * JavaScript) or 'probe' (the engine's steps, timed one by one). The worker gets copies of the
 * buffers, transferred as the product page transfers them; the copy is made before the clock
 * starts.
 */
async function run(kind, size) {
  const files = sets.get(size);
  const url = kind === 'baseline' ? '/bench/baseline-worker.js' : '/bench/engine-worker.js';
  const worker = new Worker(url, kind === 'baseline' ? {} : { type: 'module' });
  try {
    await new Promise((resolve, reject) => {
      worker.onmessage = (e) => (e.data.type === 'ready' ? resolve() : reject(new Error(e.data.message)));
      worker.onerror = (e) => reject(new Error(e.message || 'worker failed to load'));
      worker.postMessage({ type: 'load', probe: kind === 'probe' });
    });
    // The page's call (www/worker.js): figures with their days, the diagnostics the page shows.
    const options =
      kind === 'engine-rows' ? { rows: 'all', diagnostics: 'all' } : { rows: 'none', diagnostics: { first: 2000, per_group: 500 }, days: true };
    // 'engine-upload' gets each file as the product page gives the worker an upload: a Blob (a
    // File is one), which its worker reads a piece at a time (engine-worker.js); the others, and
    // the baseline, get the bytes.
    const given = (f) => (kind === 'engine-upload' ? { name: f.name, blob: new Blob([f.data]) } : { name: f.name, data: f.data.slice(0) });
    const transfers = (list) => list.map((f) => f.data).filter(Boolean);
    if (kind === 'engine-warm') {
      await new Promise((resolve, reject) => {
        worker.onmessage = (e) => (e.data.type === 'error' ? reject(new Error(e.data.message)) : resolve());
        worker.postMessage({ type: 'warm' });
      });
    }
    const copies = files.map(given);
    const start = now();
    const reply = await new Promise((resolve, reject) => {
      worker.onmessage = (e) => {
        const arrived = now();
        const data = e.data; // the report is deserialised here, on first access
        const read = now();
        if (data.type === 'error') reject(new Error(data.message));
        else resolve({ data, arrived, read });
      };
      worker.onerror = (e) => reject(new Error(e.message || 'worker error'));
      // The page's call asks for figures only, and the diagnostics it shows (www/app.js,
      // DIAGNOSTICS_SHOWN); 'engine-rows' asks for every figure's rows and every diagnostic too.
      worker.postMessage({ type: kind === 'probe' ? 'probe' : 'run', files: copies, options }, transfers(copies));
    });
    const { data, arrived, read } = reply;
    const result = {
      totalMs: read - start,
      workerMs: data.workerMs,
      toWorkerMs: data.startedAt - start,
      backToPageMs: arrived - data.sentAt,
      deserialiseMs: read - arrived,
      steps: data.steps ?? null,
      wasmMemory: data.wasmMemory ?? null,
      indicators: data.indicators ?? null,
    };
    if (data.report) {
      const t = performance.now();
      try {
        // Each figure's days as the JSON download writes them: an array of numbers.
        result.reportJsonBytes = JSON.stringify(data.report, (_, v) => (ArrayBuffer.isView(v) ? Array.from(v) : v)).length;
      } catch {
        // Longer than V8's longest string (about 512 MB): add it up piece by piece instead.
        result.reportJsonBytes = jsonLength(data.report);
        result.reportJsonTooLong = true;
      }
      result.stringifyMs = performance.now() - t;
      result.indicators = data.report.indicators
        .filter((r) => ['A1', 'A2', 'A3'].includes(r.id) && ['1-year', '3-year'].includes(r.window_kind) && !r.la)
        .map(({ id, window, value, n, count }) => ({ id, window, value, n, count }));
    }
    return result;
  } finally {
    worker.terminate();
  }
}

window.bench = { load, forget, run, crossOriginIsolated: self.crossOriginIsolated };
document.documentElement.dataset.ready = 'true';

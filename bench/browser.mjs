// The engine in a real browser (Debian's Chromium through playwright-core), in one session:
//
//   (a) page load: the product page opened cold, --loads times (7) after one load not counted:
//       bytes fetched until the page is ready (by file type; .wasm besides with its brotli size,
//       as a compressing host would send it), first contentful paint, and time to interactive =
//       until the page has its modules and the engine's facts (engine-info.json) and sets
//       html[data-ready] (the file input works from then on);
//   (b) for each size: the CSVs fetched into ArrayBuffers (not timed), then our engine (the
//       page's own module, www/pkg, report(files, options) in a module worker) and the
//       papaparse baseline (bench/baseline, in a worker) from copies of the same buffers:
//       time end to end (page -> worker -> report back on the page), the worker's own time,
//       the report's trip back to the page, the renderer process's peak memory (VmHWM) and the
//       wasm memory; then the bench-only probe module (bench/probe) splits report() into
//       copying the files in, computing, and building the JavaScript object;
//   (c) responsiveness: the largest size uploaded through the product page's file input, once
//       the page has warmed the engine up (html[data-engine="warm"]) or --idle MS after it is
//       ready (default 3000: a user choosing files; whichever comes first); the longest
//       main-thread task (PerformanceObserver 'longtask'), the time to read the report message
//       on the main thread, and upload -> results shown.
//
//   node bench/browser.mjs                          # 10k, 100k, 1M
//   node bench/browser.mjs --sizes 10k,100k --runs 3 --no-probe --no-responsiveness
//   node bench/browser.mjs --data DIR --json OUT.json
//   node bench/browser.mjs --sizes 3M --kinds baseline --no-probe --no-responsiveness
//   node bench/browser.mjs --kinds engine,engine-rows,baseline   # also report() with every row
//   (default kinds: engine, engine-warm (timed after the page's warm-up, www/warm-up.js), engine-upload (each
//   file given as a Blob read a piece at a time, as the product's worker reads an upload) and baseline)
//
// Needs the page built (bash scripts/build.sh) and Chromium at /usr/bin/chromium (or $CHROMIUM).
// The data sets are generated when missing (bench/generate.sh); the probe module is built with
// bench/probe/build.sh unless --no-probe. Chromium is launched with the browser tests' flags
// (no background networking, no component updates, no sync) and every request that is not for
// this server is aborted and counted.

import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, totalmem, loadavg } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { CSP, MIME } from '../scripts/serve.mjs';
import { CHROMIUM_ARGS } from '../tests/browser/helpers.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

// ------------------------------------------------------------------------------------------
// Options

const args = process.argv.slice(2);
function option(name, fallback) {
  const i = args.findIndex((a) => a === name || a.startsWith(name + '='));
  if (i < 0) return fallback;
  return args[i].includes('=') ? args[i].split('=').slice(1).join('=') : args[i + 1];
}
const SIZES = option('--sizes', '10k,100k,1M').split(',');
const RUNS = Number(option('--runs', '1'));
const DATA = resolve(option('--data', join(ROOT, 'bench/data')));
const JSON_OUT = option('--json', join(ROOT, 'bench/out/browser.json'));
const PROBE = !args.includes('--no-probe');
const KINDS = option('--kinds', 'engine,engine-warm,engine-upload,baseline').split(',').filter(Boolean); // --kinds= : none (only (a) and (c))
const RESPONSIVENESS = !args.includes('--no-responsiveness');
const IDLE_MS = Number(option('--idle', '3000'));
const LOAD_TRIALS = Number(option('--loads', '7'));
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const FILES = ['header.csv', 'episodes.csv', 'ad1.csv', 'placed_adoption.csv'];
const log = (...m) => console.error(...m);

if (!existsSync(join(ROOT, 'www/pkg/care_scorecard_bg.wasm'))) {
  console.error('browser.mjs: www/pkg is not built: run bash scripts/build.sh first');
  process.exit(2);
}
execFileSync('bash', [join(ROOT, 'bench/generate.sh'), '--sizes', SIZES.join(','), DATA], { stdio: ['ignore', 2, 2] });
if (PROBE) execFileSync('bash', [join(ROOT, 'bench/probe/build.sh')], { stdio: ['ignore', 2, 2] });

// ------------------------------------------------------------------------------------------
// The server: www/ at /, the bench page and its workers under /bench/. Headers as
// scripts/serve.mjs (its Content-Security-Policy) plus cross-origin isolation, which changes
// nothing for a same-site page. Counts the bytes it sends, by path.

const ROUTES = [
  ['/bench/data/', DATA],
  ['/bench/vendor/papaparse.min.js', join(ROOT, 'node_modules/papaparse/papaparse.min.js')],
  ['/bench/baseline/', join(ROOT, 'bench/baseline')],
  ['/bench/probe/', join(ROOT, 'bench/out/probe')],
  ['/bench/', join(ROOT, 'bench/web')],
  ['/', join(ROOT, 'www')],
];
/** Each file sent since the last reset: { path, bytes, at } (at: Date.now() when asked for). */
let served = [];

function fileFor(urlPath) {
  for (const [prefix, target] of ROUTES) {
    if (urlPath === prefix || (prefix.endsWith('/') && urlPath.startsWith(prefix))) {
      if (!prefix.endsWith('/')) return target;
      const file = resolve(target, '.' + '/' + urlPath.slice(prefix.length));
      return file === target || file.startsWith(target + sep) ? file : null;
    }
  }
  return null;
}

/** The file a request path names (a directory stands for its index.html), or null. */
function resolveFile(urlPath) {
  let file = fileFor(urlPath);
  if (file && existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  return file && existsSync(file) ? file : null;
}

const server = createServer((req, res) => {
  const urlPath = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
  const file = resolveFile(urlPath);
  if (!file) {
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    return res.end('Not found\n');
  }
  const size = statSync(file).size;
  served.push({ path: urlPath, bytes: size, at: Date.now() });
  res.writeHead(200, {
    'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
    'Content-Length': size,
    'Cache-Control': 'no-cache',
    'Content-Security-Policy': CSP,
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'X-Content-Type-Options': 'nosniff',
  });
  createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const BASE = `http://127.0.0.1:${server.address().port}`;

// ------------------------------------------------------------------------------------------
// The browser, and the renderer processes' memory (Linux /proc).

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
const browserCdp = await browser.newBrowserCDPSession();
let outside = 0;

async function newContext() {
  const context = await browser.newContext();
  await context.route(
    (url) => !url.href.startsWith(BASE + '/'),
    (route) => {
      outside += 1;
      log(`  blocked a request outside: ${route.request().url()}`);
      return route.abort();
    },
  );
  return context;
}

async function renderers() {
  const { processInfo } = await browserCdp.send('SystemInfo.getProcessInfo');
  return processInfo.filter((p) => p.type === 'renderer').map((p) => p.id);
}
function status(pid, field) {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
/** Resets the peak RSS (VmHWM) of these processes; returns the current RSS of each. */
function resetPeaks(pids) {
  const before = new Map();
  for (const pid of pids) {
    try {
      writeFileSync(`/proc/${pid}/clear_refs`, '5');
    } catch {
      // Without the right to reset, VmHWM is the peak since the process started.
    }
    before.set(pid, status(pid, 'VmRSS'));
  }
  return before;
}
/** The largest peak RSS among these processes since resetPeaks, and its RSS then. */
function peak(pids, before) {
  let best = { peak: 0, before: 0 };
  for (const pid of pids) {
    const hwm = status(pid, 'VmHWM');
    if (hwm > best.peak) best = { peak: hwm, before: before.get(pid) ?? 0 };
  }
  return best;
}

const MB = (bytes) => bytes / 1e6;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const results = { machine: {}, load: null, sizes: [], responsiveness: null };
results.machine = {
  cores: cpus().length,
  cpu: cpus()[0]?.model,
  memoryGB: Math.round(totalmem() / 1e9),
  loadAverage: loadavg().map((x) => x.toFixed(2)).join(' '),
  chromium: browser.version(),
  node: process.version,
  date: new Date().toISOString(),
};
log(`Chromium ${browser.version()} at ${BASE}`);

// ------------------------------------------------------------------------------------------
// (a) Page load

/** Runs in the page before its own scripts: records when the engine is ready, long tasks, and
 * each message from the engine's worker (and how long reading its data takes). */
function instrument() {
  const b = (window.__bench = { ready: null, longtasks: [], frames: [], messages: [] });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) b.longtasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  // Long tasks leave out the rendering (style, layout, paint) that follows a task; a long
  // animation frame is the task(s) and that rendering together.
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      b.frames.push({ start: e.startTime, duration: e.duration, render: e.renderStart ? e.startTime + e.duration - e.renderStart : 0 });
    }
  }).observe({ type: 'long-animation-frame', buffered: true });
  // The document has no root element yet when this runs: watch the whole document.
  new MutationObserver(() => {
    if (b.ready === null && document.documentElement?.dataset.ready === 'true') b.ready = performance.now();
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'] });
  // When the results appear (the page unhides them once it has rendered a report into them).
  b.shown = [];
  new MutationObserver((records) => {
    if (records.some((r) => r.target.id === 'results' && !r.target.hidden)) b.shown.push(performance.now());
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['hidden'] });
  const Native = window.Worker;
  window.Worker = class extends Native {
    constructor(...a) {
      super(...a);
      // Registered before the page's own listener, so it runs first: reading event.data
      // deserialises the message, and that cost lands here where it can be timed.
      this.addEventListener('message', (event) => {
        const at = performance.now();
        const type = event.data?.type;
        b.messages.push({ type, at, readMs: performance.now() - at });
      });
    }
  };
}

const wasmFiles = [
  ['www/pkg/care_scorecard_bg.wasm', 'engine'],
  ['www/pkg-xlsx/care_scorecard_xlsx_bg.wasm', 'workbook reader (on demand)'],
];
const wasmSizes = wasmFiles.map(([path, what]) => {
  const bytes = readFileSync(join(ROOT, path));
  return { path, what, raw: bytes.length, brotli: brotliCompressSync(bytes).length, gzip: gzipSync(bytes, { level: 9 }).length };
});

{
  log('(a) page load');
  // One load first, not counted: the browser's own start-up (its first renderer, the first
  // connection to this server) took it to 0.9-1.0 s where the others took 0.3-0.5 s.
  {
    const context = await newContext();
    await (await context.newPage()).goto(BASE + '/', { waitUntil: 'load' });
    await context.close();
  }
  const trials = [];
  for (let i = 0; i < LOAD_TRIALS; i++) {
    const context = await newContext();
    const page = await context.newPage();
    await page.addInitScript(instrument);
    served = [];
    await page.goto(BASE + '/', { waitUntil: 'load' });
    await page.waitForSelector('html[data-ready="true"]', { timeout: 60000 });
    const t = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      return {
        readyAt: performance.timeOrigin + window.__bench.ready,
        ready: window.__bench.ready,
        fcp: fcp ? fcp.startTime : null,
        domContentLoaded: nav.domContentLoadedEventEnd,
        load: nav.loadEventEnd,
      };
    });
    // The first view: what was asked for before the page was ready (after it, the page warms
    // the engine up and registers its service worker).
    const firstView = served.filter((r) => r.at <= t.readyAt);
    const bytes = { wasm: 0, js: 0, css: 0, other: 0 };
    let brotli = 0;
    for (const { path, bytes: n } of firstView) {
      const ext = extname(path).slice(1);
      bytes[ext in bytes ? ext : 'other'] += n;
      brotli += brotliCompressSync(readFileSync(resolveFile(path))).length;
    }
    const total = firstView.reduce((a, r) => a + r.bytes, 0);
    trials.push({ ...t, bytes, total, brotli, files: firstView.map((r) => r.path), after: served.filter((r) => r.at > t.readyAt).map((r) => r.path) });
    await context.close();
  }
  results.load = {
    trials,
    readyMs: median(trials.map((t) => t.ready)),
    fcpMs: median(trials.map((t) => t.fcp)),
    loadMs: median(trials.map((t) => t.load)),
    bytes: trials[0].bytes,
    total: trials[0].total,
    brotli: trials[0].brotli,
    files: trials[0].files,
    afterReady: trials[0].after,
    wasm: wasmSizes,
  };
}

// ------------------------------------------------------------------------------------------
// (b) Engine and baseline, size by size, in one bench page

/** A fresh bench page in a context of its own (so a renderer process of its own: each run's
 * memory is its own) with one data set loaded; returns the page, its renderer processes and the
 * bytes loaded. */
async function benchPage(size) {
  const known = new Set(await renderers());
  const context = await newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(0);
  page.on('pageerror', (e) => log(`  bench page error: ${e}`));
  await page.goto(BASE + '/bench/page.html');
  await page.waitForSelector('html[data-ready="true"]', { timeout: 30000 });
  results.crossOriginIsolated = await page.evaluate(() => window.bench.crossOriginIsolated);
  const pids = (await renderers()).filter((pid) => !known.has(pid));
  const bytes = await page.evaluate(([s, f]) => window.bench.load(s, f), [size, FILES]);
  return { context, page, pids, bytes };
}

async function timedRun(kind, size) {
  const { context, page, pids, bytes } = await benchPage(size);
  const before = resetPeaks(pids);
  let outcome;
  try {
    outcome = await page.evaluate(([k, s]) => window.bench.run(k, s), [kind, size]);
  } catch (err) {
    outcome = { failed: String(err.message ?? err).split('\n')[0] };
    log(`  ${kind} failed: ${outcome.failed}`);
  }
  const p = peak(pids, before);
  outcome.rendererPeak = p.peak;
  outcome.rendererBefore = p.before;
  outcome.csvBytes = bytes;
  await context.close();
  return outcome;
}

for (const size of SIZES) {
  const dir = join(DATA, size);
  const episodes = readFileSync(join(dir, 'episodes.csv')).reduce((n, c) => n + (c === 10), 0) - 1;
  const row = { size, episodes, csvBytes: 0, engine: [], 'engine-warm': [], 'engine-upload': [], 'engine-rows': [], baseline: [], probe: null };
  for (let r = 0; r < RUNS; r++) {
    for (const kind of KINDS) {
      log(`(b) ${size} ${kind} run ${r + 1} of ${RUNS}`);
      const outcome = await timedRun(kind, size);
      row.csvBytes = outcome.csvBytes;
      row[kind].push(outcome);
    }
  }
  if (PROBE) {
    log(`(b) ${size} probe`);
    row.probe = await timedRun('probe', size);
  }
  // The figures of both, side by side: the baseline is a yardstick, so it must do the work.
  const e = row.engine.find((x) => x.indicators)?.indicators ?? [];
  const b = new Map((row.baseline.find((x) => x.indicators)?.indicators ?? []).map((x) => [`${x.id} ${x.window}`, x]));
  row.agreement = { compared: 0, differ: [] };
  for (const x of e.filter((x) => x.value !== null)) {
    row.agreement.compared += 1;
    const y = b.get(`${x.id} ${x.window}`);
    if (!y || y.value !== x.value || y.n !== x.n) {
      row.agreement.differ.push(`${x.id} ${x.window}: engine ${x.value} (n ${x.n}), baseline ${y?.value} (n ${y?.n})`);
    }
  }
  for (const k of ['engine', 'engine-warm', 'engine-upload', 'engine-rows', 'baseline']) for (const x of row[k]) delete x.indicators;
  results.sizes.push(row);
}

// ------------------------------------------------------------------------------------------
// (c) Responsiveness: the largest size through the product page's file input

if (RESPONSIVENESS) {
  const size = SIZES[SIZES.length - 1];
  log(`(c) ${size} uploaded through the page`);
  const known = new Set(await renderers());
  const context = await newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(0);
  await page.addInitScript(instrument);
  await page.goto(BASE + '/', { waitUntil: 'load' });
  await page.waitForSelector('html[data-ready="true"]', { timeout: 60000 });
  const idle = await page
    .waitForSelector('html[data-engine="warm"]', { timeout: IDLE_MS })
    .then(() => 'warmed up', () => `${IDLE_MS} ms idle`);
  const pids = (await renderers()).filter((pid) => !known.has(pid));
  const before = resetPeaks(pids);
  const start = await page.evaluate(() => performance.now());
  await page.getByTestId('file-input').setInputFiles(FILES.map((f) => join(DATA, size, f)));
  await page.getByTestId('results').waitFor({ state: 'visible', timeout: 0 });
  // The results are rendered in the task that handles the report: wait for it to be recorded.
  await page.waitForTimeout(500);
  const r = await page.evaluate((start) => {
    const b = window.__bench;
    const after = b.longtasks.filter((t) => t.start >= start);
    const report = b.messages.find((m) => m.type === 'report' && m.at >= start);
    const shown = b.shown.find((t) => t >= start);
    return {
      uploadToResultsMs: shown === undefined ? null : shown - start,
      reportArrivedMs: report ? report.at - start : null,
      reportReadMs: report ? report.readMs : null,
      longest: after.reduce((m, t) => Math.max(m, t.duration), 0),
      count: after.length,
      totalMs: after.reduce((s, t) => s + t.duration, 0),
      longtasks: after.map((t) => ({ startMs: Math.round(t.start - start), ms: Math.round(t.duration) })),
      frames: b.frames
        .filter((f) => f.start >= start)
        .map((f) => ({ startMs: Math.round(f.start - start), ms: Math.round(f.duration), renderMs: Math.round(f.render) })),
    };
  }, start);
  const p = peak(pids, before);
  r.rendererPeak = p.peak;
  r.rendererBefore = p.before;
  r.size = size;
  r.idle = idle;
  results.responsiveness = r;
  await context.close();
}

results.outsideRequests = outside;
await browser.close();
server.close();

// ------------------------------------------------------------------------------------------
// Tables

function table(header, rows) {
  const width = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) => '| ' + r.map((c, i) => (i === 0 ? String(c).padEnd(width[i]) : String(c).padStart(width[i]))).join(' | ') + ' |';
  return [line(header), '|' + width.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...rows.map(line)].join('\n');
}
const s = (ms) => (ms == null ? '-' : (ms / 1000).toFixed(2));
const mb = (bytes) => (bytes == null ? '-' : MB(bytes).toFixed(0));
const kb = (bytes) => (bytes / 1024).toFixed(0);

const m = results.machine;
console.log(`machine: ${m.cores} cores, ${m.cpu}, ${m.memoryGB} GB RAM, load average ${m.loadAverage}`);
console.log(`Chromium ${m.chromium}, Node ${m.node}, ${m.date}; cross-origin isolated: ${results.crossOriginIsolated}`);
console.log(`requests outside the local server: ${results.outsideRequests}\n`);

const L = results.load;
console.log(`(a) Page load, cold (median of ${LOAD_TRIALS}):`);
console.log(
  table(
    ['first view', 'KB sent (uncompressed)', 'KB brotli', 'first paint s', 'page ready s'],
    [['all files', kb(L.total), kb(L.brotli), s(L.fcpMs), s(L.readyMs)]],
  ),
);
console.log(`  by type: ${Object.entries(L.bytes).map(([k, v]) => `${k} ${kb(v)} KB`).join(', ')}`);
console.log(
  table(
    ['wasm module', 'KB raw', 'KB gzip -9', 'KB brotli'],
    L.wasm.map((w) => [`${w.path} (${w.what})`, kb(w.raw), kb(w.gzip), kb(w.brotli)]),
  ),
);

const best = (xs, key) => {
  const ok = xs.filter((x) => !x.failed);
  return ok.length ? median(ok.map((x) => x[key])) : null;
};
/** Peak renderer RSS during the runs, and how far above its RSS before the run it rose. */
const rise = (runs) => {
  const ok = runs.filter((x) => !x.failed && x.rendererPeak);
  if (!ok.length) return '-';
  return `${mb(median(ok.map((x) => x.rendererPeak)))} (+${mb(median(ok.map((x) => x.rendererPeak - x.rendererBefore)))})`;
};
console.log(`\n(b) End to end in a worker, from ArrayBuffers to the report on the page (median of ${RUNS}):`);
console.log(
  table(
    ['size', 'episodes', 'CSV MB', 'engine s', 'baseline s', 'baseline/engine', 'engine MB/s', 'engine renderer peak MB (+rise)', 'wasm memory MB', 'baseline renderer peak MB (+rise)', 'report JSON MB'],
    results.sizes.map((r) => {
      const e = best(r.engine, 'totalMs');
      const b = best(r.baseline, 'totalMs');
      const ok = r.engine.find((x) => !x.failed) ?? {};
      return [
        r.size,
        r.episodes.toLocaleString('en-GB'),
        MB(r.csvBytes).toFixed(1),
        r.engine.length === 0 ? 'not run' : e == null ? 'failed' : s(e),
        r.baseline.length === 0 ? 'not run' : b == null ? 'failed' : s(b),
        e && b ? (b / e).toFixed(2) : '-',
        e ? (MB(r.csvBytes) / (e / 1000)).toFixed(1) : '-',
        rise(r.engine),
        mb(ok.wasmMemory),
        rise(r.baseline),
        ok.reportJsonBytes ? MB(ok.reportJsonBytes).toFixed(1) : '-',
      ];
    }),
  ),
);
for (const r of results.sizes) {
  const er = best(r['engine-rows'], 'totalMs');
  if (er != null) console.log(`  ${r.size}: engine with every figure's rows (rows: 'all'): ${s(er)} s`);
  const ew = best(r['engine-warm'], 'totalMs');
  if (ew != null) console.log(`  ${r.size}: engine in a worker warmed up as the page's is (www/warm-up.js: V8 has optimised the hot functions): ${s(ew)} s`);
  const eu = best(r['engine-upload'], 'totalMs');
  const euMemory = r['engine-upload'].find((x) => x.wasmMemory)?.wasmMemory;
  if (eu != null) console.log(`  ${r.size}: engine reading each file as an upload (a Blob, read a piece at a time as it streams in): ${s(eu)} s, wasm memory ${Math.round(euMemory / 1e6)} MB`);
  for (const k of ['engine', 'engine-warm', 'engine-upload', 'engine-rows', 'baseline']) for (const x of r[k]) if (x.failed) console.log(`  ${r.size} ${k} failed: ${x.failed}`);
  if (r.engine.length && r.baseline.length) console.log(
    `  ${r.size}: A1/A2/A3 with a figure: ${r.agreement.compared} compared, ${r.agreement.differ.length} differ` +
      (r.agreement.differ.length ? `: ${r.agreement.differ.slice(0, 5).join('; ')}` : ''),
  );
}

console.log('\n    where the engine\'s time goes (the run of median time; "report()" is the call the page makes; the probe\'s steps in a fresh worker):');
console.log(
  table(
    ['size', 'worker', 'report() s', 'report back to page s', 'page reads it s', 'probe: copy in s', 'compute s', 'build JS object s', 'with rows: compute s', 'build JS object s', 'or JSON text s', 'JSON.parse s', 'structuredClone s'],
    results.sizes.flatMap((r) =>
      [
        ['engine', 'fresh'],
        ['engine-warm', 'warmed up'],
      ]
        .filter(([kind]) => r[kind].some((x) => !x.failed))
        .map(([kind, worker]) => {
          const ok = r[kind].filter((x) => !x.failed).sort((a, b) => a.totalMs - b.totalMs);
          const e = ok[Math.floor((ok.length - 1) / 2)];
          const p = (kind === 'engine' && r.probe?.steps) || {};
          return [r.size, worker, s(e.workerMs), s(e.backToPageMs), s(e.deserialiseMs), s(p.copyInMs), s(p.computeMs), s(p.toJsMs), s(p.computeRowsMs), s(p.toJsRowsMs), s(p.toJsonMs), s(p.jsonParseMs), s(p.structuredCloneMs)];
        }),
    ),
  ),
);

if (results.responsiveness) {
  const r = results.responsiveness;
  console.log(`\n(c) Responsiveness: ${r.size} uploaded through the product page's file input (after the page was ready: ${r.idle}):`);
  console.log(
    table(
      ['upload -> results s', 'report arrives s', 'main thread reads report s', 'longest task s', 'long tasks', 'in all s', 'renderer peak MB (+rise)'],
      [[s(r.uploadToResultsMs), s(r.reportArrivedMs), s(r.reportReadMs), s(r.longest), r.count, s(r.totalMs), `${mb(r.rendererPeak)} (+${mb(r.rendererPeak - r.rendererBefore)})`]],
    ),
  );
  console.log(`  long tasks (start ms after upload: duration ms): ${r.longtasks.map((t) => `${t.startMs}: ${t.ms}`).join(', ')}`);
  const frames = r.frames ?? [];
  console.log(`  longest animation frame (task and rendering): ${(frames.reduce((m, f) => Math.max(m, f.ms), 0) / 1000).toFixed(2)} s`);
  console.log(`  long animation frames over 50 ms (start ms: duration ms, of which rendering): ${frames.map((f) => `${f.startMs}: ${f.ms} (${f.renderMs})`).join(', ')}`);
}

mkdirSync(join(JSON_OUT, '..'), { recursive: true });
writeFileSync(JSON_OUT, JSON.stringify(results, null, 1));
console.log(`\nAll figures: ${JSON_OUT}`);

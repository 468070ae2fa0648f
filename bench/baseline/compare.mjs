// The baseline against the engine, natively: runs target/release/care-scorecard report --json and
// the baseline (bench/baseline/scorecard.js, in Node) on the same CSV files, prints A1, A2 and A3
// of every 1-year and 3-year window from both side by side, and how long each took.
//
//   node bench/baseline/compare.mjs DIR_OR_CSV...       (bash bench/native.sh builds the CLI)
//
// Exit status 0 even when they differ: the baseline skips edge rules on purpose (bench/README.md).

import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const Papa = require('papaparse');
const baseline = require('./scorecard.js');
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'target/release/care-scorecard');

const paths = process.argv.slice(2).flatMap((p) =>
  statSync(p).isDirectory()
    ? readdirSync(p).filter((f) => f.toLowerCase().endsWith('.csv')).sort().map((f) => join(p, f))
    : [p],
);
if (paths.length === 0) {
  console.error('usage: node bench/baseline/compare.mjs DIR_OR_CSV...');
  process.exit(2);
}

let t = performance.now();
const engine = JSON.parse(
  execFileSync(CLI, ['report', '--json', ...paths], { maxBuffer: 4 << 30, encoding: 'utf8' }),
);
const engineMs = performance.now() - t;

const files = paths.map((p) => ({ name: basename(p), data: readFileSync(p) }));
t = performance.now();
const ours = baseline.report(files, Papa);
const baselineMs = performance.now() - t;

const key = (r) => `${r.id} ${r.window}`;
const mine = new Map(ours.indicators.map((r) => [key(r), r]));
const rows = engine.indicators.filter(
  (r) => ['A1', 'A2', 'A3'].includes(r.id) && ['1-year', '3-year'].includes(r.window_kind) && !r.la,
);
const show = (r) => (r ? `${r.value ?? '-'} (n ${r.n}${r.count != null ? `, ${r.count}` : ''})` : 'absent');
const table = [['indicator', 'window', 'engine', 'baseline', '']];
let same = 0;
for (const r of rows) {
  const b = mine.get(key(r));
  mine.delete(key(r));
  // No figure on both sides (a window before the data, or before the A3 thresholds) agrees
  // whatever the cohort counts.
  const equal = r.value === null
    ? (b?.value ?? null) === null
    : b && b.value === r.value && b.n === r.n && (b.count ?? null) === (r.count ?? null);
  if (equal) same++;
  table.push([r.id, r.window, show(r), show(b), equal ? '' : 'differs']);
}
for (const b of mine.values()) table.push([b.id, b.window, 'absent', show(b), b.value === null ? '' : 'differs']);
same += [...mine.values()].filter((b) => b.value === null).length;
const width = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
for (const row of table) console.log(row.map((c, i) => c.padEnd(width[i])).join('  ').trimEnd());
console.log(`\n${same} of ${table.length - 1} agree (value, n and count; or no figure on either side).`);
console.log(
  `engine CLI (process, JSON out): ${(engineMs / 1000).toFixed(2)} s; ` +
    `baseline in Node ${process.version} (files already read): ${(baselineMs / 1000).toFixed(2)} s`,
);

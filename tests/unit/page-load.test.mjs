// The first view (issue 6): www/index.html asks for every module of the page at once
// (<link rel="modulepreload">) instead of a level of imports at a time, and the modules it
// loads reach no WebAssembly; the warm-up's made-up council gives the figures and diagnostics it
// is made to give.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { warmUpFiles } from '../../www/warm-up.js';

const WWW = fileURLToPath(new URL('../../www/', import.meta.url));
const html = readFileSync(join(WWW, 'index.html'), 'utf8');
const attributes = (tag) => Object.fromEntries([...tag.matchAll(/([a-z-]+)(?:="([^"]*)")?/g)].slice(1).map((m) => [m[1], m[2] ?? '']));
const tags = (name) => [...html.matchAll(new RegExp(`<${name}\\b[^>]*>`, 'g'))].map((m) => attributes(m[0]));

/** The modules a module imports statically (import ... from '...'), as paths under www/. */
function staticImports(path) {
  const text = readFileSync(join(WWW, path), 'utf8');
  return [...text.matchAll(/^import\s[^;]*?from\s+'([^']+)'/gms)].map((m) => relative(WWW, join(WWW, dirname(path), m[1])));
}

/** Every module reached from these by static imports. */
function graph(entries) {
  const seen = new Set();
  const visit = (path) => {
    if (seen.has(path)) return;
    seen.add(path);
    staticImports(path).forEach(visit);
  };
  entries.forEach(visit);
  return seen;
}

const scripts = tags('script').filter((s) => s.type === 'module').map((s) => s.src);
const preloaded = tags('link').filter((l) => l.rel === 'modulepreload').map((l) => l.href);

test('index.html preloads exactly the modules its module scripts import, however deep', () => {
  const imported = [...graph(scripts)].filter((path) => !scripts.includes(path));
  assert.deepEqual([...preloaded].sort(), imported.sort());
});

test("the first view's modules import no WebAssembly glue (www/pkg, www/pkg-xlsx)", () => {
  // worker.js, started by app.js after the first view, loads the engine with import().
  const first = [...graph([...scripts, 'worker.js'])];
  assert.ok(first.includes('worker.js') && first.includes('app.js'));
  for (const path of first) assert.ok(!path.startsWith('pkg'), `${path} is not loaded by the first view`);
});

test('the warm-up council gives the worked example\'s A1, and the diagnostics its mistakes are made to give', async (t) => {
  const pkg = join(WWW, 'pkg/care_scorecard.js');
  if (!existsSync(pkg)) return t.skip('www/pkg is not built (bash scripts/build.sh)');
  const engine = await import(pkg);
  await engine.default({ module_or_path: readFileSync(join(WWW, 'pkg/care_scorecard_bg.wasm')) });
  const report = engine.report(warmUpFiles(0), { rows: 'none', diagnostics: 'all', days: true }, () => {}, true);
  // Each of its 200 copies of C9-C12 has one of each mistake (www/warm-up.js); a decision after
  // the placement order is named at both rows, the episode's and PlacedAdoption's.
  const codes = {};
  for (const d of report.diagnostics) codes[d.code] = (codes[d.code] ?? 0) + 1;
  assert.deepEqual(codes, {
    'date-impossible': 200,
    'ad1-not-adopted-in-year': 200,
    'ad1-without-adoption': 200,
    'placed-without-decision': 200,
    'placement-order-missing': 200,
    'placement-order-without-decision': 200,
    'decision-after-placement-order': 400,
  });
  assert.ok(report.diagnostics.every((d) => /^C(9|1[0-2])-0-/.test(d.child ?? 'C12-0-')), 'only the made-up mistakes');
  // In 2015-16 only the copies not moved adopt: A1 is the worked example's 414 days.
  const a1 = report.indicators.find((i) => i.id === 'A1' && i.window === '2015-16' && !i.la);
  assert.equal(a1.value, 414);
  // Its days come as one Int32Array (posted to the page without copying), ascending, one a child.
  assert.ok(a1.days instanceof Int32Array);
  assert.equal(a1.days.length, a1.n);
  assert.equal(Math.round(a1.days.reduce((s, d) => s + d, 0) / a1.n), 414);
  assert.ok(a1.days.every((d, i) => i === 0 || a1.days[i - 1] <= d));
  const a3 = report.indicators.find((i) => i.id === 'A3' && i.window === '2015-16' && !i.la);
  assert.equal(a3.days, undefined, 'a percentage has no days');
});

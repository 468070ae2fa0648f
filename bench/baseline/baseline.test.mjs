// The bench's yardstick must keep doing the real work: its A1, A2 and A3 agree with the engine
// (the page's own wasm module, run in Node) on the worked example and the committed synthetic
// set. Runs in CI beside the browser tests (well under a second); needs www/pkg built.

import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import init, { report } from '../../www/pkg/care_scorecard.js';

const require = createRequire(import.meta.url);
const Papa = require('papaparse');
const baseline = require('./scorecard.js');
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

await init({ module_or_path: readFileSync(join(ROOT, 'www/pkg/care_scorecard_bg.wasm')) });

function figures(dir) {
  const files = readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map((name) => ({ name, data: new Uint8Array(readFileSync(join(ROOT, dir, name))) }));
  const engine = report(files, {})
    .indicators.filter((r) => ['A1', 'A2', 'A3'].includes(r.id) && ['1-year', '3-year'].includes(r.window_kind))
    .filter((r) => r.value !== null)
    .map(({ id, window, value, n, count }) => ({ id, window, value, n, count }));
  const mine = new Map(baseline.report(files, Papa).indicators.map((r) => [`${r.id} ${r.window}`, r]));
  const ours = engine.map(({ id, window }) => {
    const r = mine.get(`${id} ${window}`);
    return r && { id, window, value: r.value, n: r.n, count: r.count };
  });
  return { engine, ours };
}

for (const dir of ['tests/fixtures/worked-example', 'tests/data/synthetic']) {
  test(`the bench baseline agrees with the engine on ${dir}`, () => {
    const { engine, ours } = figures(dir);
    assert.ok(engine.length > 0);
    assert.deepEqual(ours, engine);
  });
}

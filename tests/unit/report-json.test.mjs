// The full report's JSON download (www/worker.js, full): the engine writes the JSON text itself,
// in parts (src/wasm.rs, report_json), because at national scale it is longer than a JavaScript
// string can be. The text must be the CLI's --json, byte for byte: here the golden report of
// tests/golden.rs (the synthetic data set, every figure's rows and every diagnostic).

import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const pkg = join(ROOT, 'www/pkg/care_scorecard.js');

test('report_json writes the golden report, byte for byte, in parts of the size asked for', async (t) => {
  if (!existsSync(pkg)) return t.skip('www/pkg is not built (bash scripts/build.sh)');
  const engine = await import(pkg);
  await engine.default({ module_or_path: readFileSync(join(ROOT, 'www/pkg/care_scorecard_bg.wasm')) });
  // Named as tests/golden.rs names them (the names are in the report).
  const dir = 'tests/data/synthetic';
  const files = readdirSync(join(ROOT, dir))
    .sort()
    .map((name) => ({ name: `${dir}/${name}`, data: new Uint8Array(readFileSync(join(ROOT, dir, name))) }));
  const golden = readFileSync(join(ROOT, 'tests/golden/synthetic.json'));

  const parts = [];
  const stages = [];
  engine.report_json(files, {}, (stage) => stages.push(stage.stage), (part) => parts.push(part), 100_000);
  assert.ok(parts.every((part) => part instanceof Uint8Array));
  // 2,600,978 bytes in parts of 100,000 bytes and a little more (a part is sent once it has
  // reached the size, so it overshoots by one write of the JSON writer), the last shorter: at
  // least 26 parts.
  assert.ok(parts.length >= 26, `${parts.length} parts`);
  assert.ok(parts.slice(0, -1).every((part) => part.length >= 100_000 && part.length < 100_100));
  assert.ok(parts.at(-1).length < 100_000);
  assert.ok(Buffer.concat(parts).equals(golden), 'the golden report, byte for byte');
  assert.deepEqual(stages, ['reading', 'reading', 'reading', 'reading', 'computing']);

  // By default, parts of 8 MB: this report is one.
  const whole = [];
  engine.report_json(files, {}, undefined, (part) => whole.push(part));
  assert.equal(whole.length, 1);
  assert.ok(Buffer.from(whole[0]).equals(golden));
});

test('report_json stops at the first error its writer throws, and throws it', async (t) => {
  if (!existsSync(pkg)) return t.skip('www/pkg is not built (bash scripts/build.sh)');
  const engine = await import(pkg);
  await engine.default({ module_or_path: readFileSync(join(ROOT, 'www/pkg/care_scorecard_bg.wasm')) });
  const files = [{ name: 'header.csv', data: new TextEncoder().encode('CHILD,SEX,DOB\nC1,1,01/01/2013\n') }];
  let calls = 0;
  assert.throws(
    () =>
      engine.report_json(files, {}, undefined, () => {
        calls += 1;
        throw new Error('the disk is full');
      }, 10),
    /the disk is full/,
  );
  assert.equal(calls, 1);
});

test('a file given as an ArrayBuffer, as a view into a larger buffer, or in pieces is read as the same bytes', async (t) => {
  if (!existsSync(pkg)) return t.skip('www/pkg is not built (bash scripts/build.sh)');
  const engine = await import(pkg);
  await engine.default({ module_or_path: readFileSync(join(ROOT, 'www/pkg/care_scorecard_bg.wasm')) });
  const dir = 'tests/data/synthetic';
  const golden = readFileSync(join(ROOT, 'tests/golden/synthetic.json'));
  // Each file's bytes sit 5 bytes into a buffer 10 bytes longer, with bytes around them that
  // are not the file's (a comma and a line feed): a view read as its whole buffer, or from the
  // buffer's start, gives another report.
  const files = readdirSync(join(ROOT, dir))
    .sort()
    .map((name) => {
      const bytes = readFileSync(join(ROOT, dir, name));
      const padded = new Uint8Array(bytes.length + 10).fill(0x2c);
      padded[4] = 0x0a;
      padded.set(bytes, 5);
      return { name: `${dir}/${name}`, bytes, view: padded.subarray(5, 5 + bytes.length) };
    });
  const json = (given) => {
    const parts = [];
    engine.report_json(given, {}, undefined, (part) => parts.push(part));
    return Buffer.concat(parts);
  };
  // The engine's own buffer (an ArrayBuffer of the file alone, copied out of Node's pool).
  const buffers = files.map(({ name, bytes }) => ({ name, data: new Uint8Array(bytes).buffer }));
  assert.ok(json(buffers).equals(golden), 'ArrayBuffers');
  const views = files.map(({ name, view }) => ({ name, data: view }));
  assert.ok(json(views).equals(golden), 'views into larger buffers');
  // Read in pieces as the page's worker lends an upload: each piece a view of its own.
  const pieces = files.map(({ name, view }) => ({ name, size: view.length, read: (start, end) => view.subarray(start, end) }));
  assert.ok(json(pieces).equals(golden), 'pieces');
});

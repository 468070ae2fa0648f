// Inputs as officers have them: an Excel workbook (read by a second wasm module, fetched only
// when a workbook is dropped), CSV saved by Excel on Windows, and a large upload that must not
// freeze the page (the engine runs in a worker and reports its progress).

import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, test } from 'node:test';
import { cell, FIXTURES, setUp, upload, WORKED_EXAMPLE, WORKED_EXAMPLE_1252, WORKED_EXAMPLE_XLSX } from './helpers.mjs';

let env;
before(async () => {
  env = await setUp();
});
after(async () => {
  await env?.close();
});

const workbookModule = (url) => new URL(url).pathname.startsWith('/pkg-xlsx/');

/** The worked example's figures for 2015-16 (tests/fixtures/README.md). */
async function assertWorkedNumbers(page, times = 1) {
  assert.equal(await cell(page, 'A1', '2015-16', 'value'), '414 days');
  assert.equal(await cell(page, 'A1', '2015-16', 'n'), String(5 * times));
  assert.equal(await cell(page, 'A10', '2015-16', 'value'), '329 days');
  assert.equal(await cell(page, 'A2', '2015-16', 'value'), '225 days');
  assert.equal(await cell(page, 'A2', '2015-16', 'n'), String(4 * times));
  assert.equal(await cell(page, 'A3', '2015-16', 'value'), `71.4% ${5 * times} of ${7 * times}`);
}

test('the worked example as one workbook gives the worked numbers, sheet by sheet', async () => {
  const page = await env.newPage();
  await page.waitForLoadState('networkidle');
  assert.deepEqual(page.requests.filter(workbookModule), [], 'no workbook module before a workbook is dropped');

  await upload(page, [WORKED_EXAMPLE_XLSX]);
  await assertWorkedNumbers(page);
  assert.deepEqual(
    page.requests.filter(workbookModule).map((url) => new URL(url).pathname).sort(),
    ['/pkg-xlsx/care_scorecard_xlsx.js', '/pkg-xlsx/care_scorecard_xlsx_bg.wasm'],
    'the workbook module, once, once a workbook is dropped',
  );

  await page.locator('[data-testid="files-details"] summary').click();
  const rows = await page
    .locator('[data-testid="files-table"] tbody tr')
    .evaluateAll((trs) => trs.map((tr) => tr.querySelector('th').textContent.trim()));
  assert.deepEqual(rows, [
    'worked-example.xlsx, Header',
    'worked-example.xlsx, Episodes',
    'worked-example.xlsx, AD1',
    'worked-example.xlsx, PlacedAdoption',
  ]);
  assert.match(await page.getByTestId('row-accounting').innerText(), /^1 file: 41 rows read, 40 used, 1 left out\./);
  assert.equal(await page.getByTestId('error-summary').count(), 0);

  // Changing an option recomputes from what the worker kept: nothing is fetched again.
  const before = page.requests.length;
  await page.locator('#options-details summary').click();
  await page.getByLabel('Count children still waiting in A3').uncheck();
  await page.waitForFunction(
    () => document.querySelector('tr[data-id="A3"][data-window="2015-16"] [data-col="n"]')?.textContent.trim() === '5',
  );
  assert.deepEqual(page.requests.slice(before), []);
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

test('a workbook beside CSV files: its sheets that are no 903 table are named by sheet', async () => {
  const page = await env.newPage();
  // reader.xlsx: an Episodes sheet missing columns, a Notes sheet, an empty sheet, a hidden one.
  await upload(page, [...WORKED_EXAMPLE, join(FIXTURES, 'xlsx/reader.xlsx')]);
  const summary = page.getByTestId('error-summary');
  await summary.waitFor();
  const text = await summary.innerText();
  assert.match(text, /reader\.xlsx, sheet Notes: the columns \(PREPARED BY, DATA TEAM\) do not match any SSDA903 table/);
  assert.match(text, /reader\.xlsx, sheet Episodes 2016: this looks like the Episodes table but has no RNE column/);
  assert.doesNotMatch(text, /sheet Blank/, 'an empty sheet is only noted');
  const files = await page
    .locator('[data-testid="diagnostics-table"] tbody tr')
    .evaluateAll((trs) => trs.map((tr) => `${tr.dataset.severity} ${tr.cells[1].textContent.trim()}`));
  assert.ok(files.includes('info reader.xlsx, Blank'), files.join(' | '));
  assert.ok(files.includes('error reader.xlsx, Notes'), files.join(' | '));
  // The CSV files still give the scorecard.
  await assertWorkedNumbers(page);
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

test('if the workbook reader cannot load, the error summary says so and what to do', async () => {
  // No service worker: once it looks after the page (www/sw.js) it fetches the reader itself,
  // and page.route does not see a service worker's requests.
  const page = await env.newPage({ serviceWorkers: 'block' });
  await page.route('**/pkg-xlsx/**', (route) => route.abort());
  await upload(page, [WORKED_EXAMPLE_XLSX, ...WORKED_EXAMPLE.filter((path) => path.endsWith('header.csv'))]);
  const summary = page.getByTestId('error-summary');
  await summary.waitFor();
  assert.match(
    await summary.innerText(),
    /worked-example\.xlsx: the workbook could not be read because the page's workbook reader did not load or stopped\. Reload the page/,
  );
  // The other file is still read.
  await page.locator('[data-testid="files-details"] summary').click();
  assert.match(await page.locator('[data-testid="files-table"] tr[data-file="header.csv"]').innerText(), /Used/);
  await page.context().close();
});

test('CSV saved by Excel on Windows (Windows-1252, £ and é) gives the same numbers', async () => {
  const page = await env.newPage();
  await upload(page, WORKED_EXAMPLE_1252);
  await assertWorkedNumbers(page);
  assert.equal(await page.getByTestId('error-summary').count(), 0);
  assert.deepEqual(page.requests.filter(workbookModule), [], 'CSV files never fetch the workbook module');
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

test('an old .xls workbook is refused with what to do', async () => {
  const page = await env.newPage();
  await page.getByTestId('file-input').setInputFiles([
    { name: 'old.xls', mimeType: 'application/vnd.ms-excel', buffer: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]) },
  ]);
  const summary = page.getByTestId('error-summary');
  await summary.waitFor();
  assert.match(await summary.innerText(), /old\.xls: this is an old-style Excel workbook \(\.xls\).*save it as an Excel Workbook \(\.xlsx\)/);
  assert.deepEqual(page.requests.filter(workbookModule), []);
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

test('an upload bigger than one piece of the worker\'s reading gives the same numbers', async () => {
  // The worker keeps only the browser's handle to an upload; the engine reads it as it streams
  // in, 1 MB at a time (src/wasm.rs, src/input). A 20 MB episodes file whose long NOTE cells
  // cross the pieces' ends must read exactly as the clean file does.
  const page = await env.newPage();
  const files = WORKED_EXAMPLE.map((path) => {
    let text = readFileSync(path, 'utf8');
    if (path.endsWith('episodes.csv')) {
      const [head, ...rows] = text.trim().split('\n');
      // An odd length, so that no row ends on a piece's end.
      const note = 'x'.repeat(Math.ceil(20_000_000 / rows.length) | 1);
      text = `${[`${head},NOTE`, ...rows.map((row) => `${row},${note}`)].join('\n')}\n`;
    }
    return { name: basename(path), mimeType: 'text/csv', buffer: Buffer.from(text) };
  });
  const big = files.find((f) => f.name === 'episodes.csv');
  assert.ok(big.buffer.length > 20_000_000, `${big.buffer.length} bytes: three pieces`);
  await upload(page, files);
  await assertWorkedNumbers(page);
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

test('a file changed on disk after it was added is named, with what to do', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'care-scorecard-'));
  const paths = WORKED_EXAMPLE.map((path) => {
    const copy = join(dir, basename(path));
    copyFileSync(path, copy);
    return copy;
  });
  try {
    const page = await env.newPage();
    await upload(page, paths);
    await assertWorkedNumbers(page);
    // The worker reads an upload again for each run: once the file has changed, the browser
    // refuses to, and the page says which file and what to do (nothing stale is shown).
    appendFileSync(paths.find((path) => path.endsWith('episodes.csv')), 'C99,01/01/2015,S,C2,,\n');
    await page.locator('#options-details summary').click();
    await page.getByLabel('Count children still waiting in A3').uncheck();
    const summary = page.getByTestId('error-summary');
    await summary.waitFor();
    assert.match(
      await summary.innerText(),
      /episodes\.csv could not be read \(NotReadableError\): it may have been changed, moved or deleted since it was added\. Remove it from the list and add it again\./,
    );
    await page.context().close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * The worked example's children, `times` over under new identifiers: a big upload, written as
 * files in `dir` (their paths). Given as paths, the browser reads them from disk as it reads a
 * user's files; given as buffers, playwright sent 20 MB through its protocol into the page,
 * which took over setInputFiles's 10 s when the machine was busy.
 */
function bigUpload(times, dir) {
  return WORKED_EXAMPLE.map((path) => {
    const [head, ...rows] = readFileSync(path, 'utf8').trim().split('\n');
    const out = [head];
    for (let k = 0; k < times; k += 1) {
      for (const row of rows) out.push(row.replace(/^C(\d+)/, (_, d) => `C${d}K${k}`));
    }
    const file = join(dir, basename(path));
    writeFileSync(file, `${out.join('\n')}\n`);
    return file;
  });
}

test('a large upload shows its progress and leaves the page responsive', async (t) => {
  const page = await env.newPage();
  // Every text the progress line shows, and whether it was on screen then.
  await page.evaluate(() => {
    window.progressSeen = [];
    const box = document.getElementById('progress');
    const text = document.getElementById('progress-text');
    new MutationObserver(() => window.progressSeen.push({ text: text.textContent, shown: !box.hidden })).observe(box, {
      attributes: true,
      childList: true,
      characterData: true,
      subtree: true,
    });
  });
  // Big enough that the engine is still at work while the test types (about 20 MB).
  const times = 25000;
  const dir = mkdtempSync(join(tmpdir(), 'care-scorecard-big-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const files = bigUpload(times, dir);
  assert.ok(files.reduce((n, f) => n + statSync(f).size, 0) > 2_000_000, 'megabytes of CSV');
  await page.getByTestId('file-input').setInputFiles(files);

  const progress = page.getByTestId('progress');
  await progress.waitFor({ state: 'visible' });
  // The page answers while the engine works: a script runs, a box takes typing, and the
  // progress is still on screen afterwards (the engine had not finished).
  await page.locator('#paste-details summary').click();
  await page.getByTestId('paste-text').fill('typed while the engine works');
  const during = await page.evaluate(() => ({
    progressShown: !document.getElementById('progress').hidden,
    busy: document.getElementById('results').getAttribute('aria-busy'),
    bar: document.getElementById('progress-bar').getAttribute('aria-labelledby'),
  }));
  assert.deepEqual(during, { progressShown: true, busy: 'true', bar: 'progress-text' });
  assert.equal(await page.getByTestId('paste-text').inputValue(), 'typed while the engine works');

  await page.getByTestId('results').waitFor({ state: 'visible', timeout: 120_000 });
  assert.equal(await progress.isHidden(), true, 'the progress goes when the results come');
  await assertWorkedNumbers(page, times);
  // 125,000 children behind A1 2015-16: too many for a dot each (www/charts.js MAX_DOTS), so the
  // days chart has a bar for each band of 50 days (304, 320, 323, 424 and 699 days, 25,000 times).
  const days = page.locator('[data-chart="days"][data-id="A1"][data-window="2015-16"]');
  await days.waitFor({ state: 'attached', timeout: 120_000 });
  const bands = await days.getByTestId('band-bar').evaluateAll((bars) => bars.map((b) => [Number(b.dataset.from), Number(b.dataset.count)]));
  assert.deepEqual(bands, [[300, 3 * times], [400, times], [650, times]]);
  assert.equal(await days.getByTestId('dot').count(), 0);
  assert.match(await days.locator('desc').textContent(), /^Bar chart of the days behind A1, 2015-16: how many of the 125000 children took each band of 50 days\./);

  const seen = await page.evaluate(() => window.progressSeen);
  const texts = [...new Set(seen.map((s) => s.text))];
  assert.ok(
    texts.some((t) => /^Reading file [1-4] of 4: /.test(t)),
    `reading stages: ${texts.join(' | ')}`,
  );
  assert.ok(
    seen.some((s) => s.shown && s.text === 'Computing the figures'),
    `computing shown: ${JSON.stringify(seen.slice(0, 20))}`,
  );
  assert.match(await page.getByTestId('status').innerText(), /Results updated from 4 files/);
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

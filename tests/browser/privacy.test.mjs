// The data never leaves the page: once the engine has loaded, adding CSV files, pasting,
// changing options and opening drill-downs make no request at all, and nothing is stored. The
// one request the page may make later is for its own workbook reader (www/pkg-xlsx), from this
// server, once, when the first workbook is dropped: it fetches code, it sends nothing.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { choosePeriod, FIXTURES, LOCAL_FILES, setUp, summaryRow, upload, WORKED_EXAMPLE, WORKED_EXAMPLE_XLSX } from './helpers.mjs';

let env;
before(async () => {
  env = await setUp();
});
after(async () => {
  await env?.close();
});

test('loading asks only this server, for the page, its styles, scripts and the engine', async () => {
  const page = await env.newPage();
  await page.waitForLoadState('networkidle');
  for (const url of page.requests) {
    assert.ok(url.startsWith(env.baseUrl), `${url} is on this server`);
  }
  const paths = page.requests.map((url) => new URL(url).pathname);
  assert.ok(paths.includes('/worker.js'), 'the engine\'s worker was started');
  assert.ok(paths.includes('/pkg/care_scorecard_bg.wasm'), 'the engine was loaded');
  assert.deepEqual(
    paths.filter((path) => path.startsWith('/pkg-xlsx/')),
    [],
    'the workbook reader is not loaded until a workbook is dropped',
  );
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

test('after the engine loads, using the page makes no request and stores nothing', async () => {
  const page = await env.newPage();
  await page.waitForLoadState('networkidle');
  const loaded = page.requests.length;

  await upload(page, WORKED_EXAMPLE);
  await page.locator('#paste-details summary').click();
  await page
    .getByTestId('paste-text')
    .fill(readFileSync(join(FIXTURES, 'worked-example/ad1.csv'), 'utf8').replaceAll(',', '\t'));
  await page.getByTestId('paste-button').click();
  await page.getByTestId('file-input').setInputFiles([join(FIXTURES, 'bad-date/episodes.csv'), join(FIXTURES, 'not-903/shopping.csv')]);
  await page.getByTestId('error-summary').waitFor();
  await page.locator('#options-details summary').click();
  await page.getByLabel('As calendar months').check();
  await page.getByLabel('Rounded to the nearest day').check();
  await page.getByTestId('as-at-day').fill('30');
  await page.getByTestId('as-at-month').fill('9');
  await page.getByTestId('as-at-year').fill('2016');
  await page.getByTestId('override-a1').fill('500');
  await page.getByTestId('override-a1').press('Tab');
  await summaryRow(page, 'A1', '2015-16').getByTestId('drilldown-button').click();
  await page.getByTestId('drilldown').waitFor();
  await page.locator('[data-testid="files-details"] summary').click();

  // The local files, their templates (made in the page), the sections and the authorities.
  await page.getByTestId('file-input').setInputFiles(LOCAL_FILES);
  await page.locator('#local-files-details summary').click();
  for (const template of ['template-carers', 'template-adopters']) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(template).click()]);
    await download.path();
  }
  await page.getByTestId('opt-fostering-months').fill('6');
  await page.getByLabel('Count a change of placement with the same carers as a move').check();
  await page.getByTestId('opt-target-long').fill('70');
  await page.getByTestId('opt-target-long').press('Tab');
  await choosePeriod(page, '2015-16');
  await summaryRow(page, 'fostering-occupancy', '2015-16').getByTestId('drilldown-button').click();
  await page.getByTestId('drilldown').waitFor();
  await choosePeriod(page, 'all');
  await page.getByLabel('Files from more than one local authority').check();
  await page.getByLabel('Local authority of carers.csv (optional)').fill('North');
  await page.getByLabel('Local authority of carers.csv (optional)').press('Tab');
  await page.getByTestId('view-authority').selectOption({ label: 'North' });

  await page.getByTestId('clear-all').click();
  await page.waitForTimeout(500);

  assert.deepEqual(page.requests.slice(loaded), [], 'no request after the engine loaded, CSV only');

  const stored = await page.evaluate(async () => ({
    local: localStorage.length,
    session: sessionStorage.length,
    cookies: document.cookie,
    databases: (await indexedDB.databases()).length,
    caches: (await caches.keys()).length,
  }));
  assert.deepEqual(stored, { local: 0, session: 0, cookies: '', databases: 0, caches: 0 });
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

test('a workbook fetches the workbook reader from this server, once, and nothing else', async () => {
  const page = await env.newPage();
  await page.waitForLoadState('networkidle');
  const loaded = page.requests.length;
  await upload(page, [WORKED_EXAMPLE_XLSX]);
  assert.deepEqual(
    page.requests.slice(loaded),
    [`${env.baseUrl}pkg-xlsx/care_scorecard_xlsx.js`, `${env.baseUrl}pkg-xlsx/care_scorecard_xlsx_bg.wasm`],
  );
  // A second workbook, CSV files and a change of options: nothing more.
  const afterReader = page.requests.length;
  await page.getByTestId('file-input').setInputFiles([WORKED_EXAMPLE_XLSX, ...WORKED_EXAMPLE]);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="input-item"]').length === 6);
  await page.locator('#options-details summary').click();
  await page.getByLabel('As calendar months').check();
  await page.waitForTimeout(500);
  assert.deepEqual(page.requests.slice(afterReader), []);
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

test('the page forbids itself any other origin (Content-Security-Policy)', async () => {
  const page = await env.newPage();
  const blocked = await page.evaluate(async () => {
    try {
      await fetch('https://example.org/', { method: 'POST', body: 'x' });
      return false;
    } catch {
      return true;
    }
  });
  assert.equal(blocked, true);
  // The browser reports the refused request as a console error: that is the point.
  assert.ok(page.consoleErrors.some((text) => /Content Security Policy/.test(text)));
  assert.ok(page.requests.every((url) => url.startsWith(env.baseUrl)), 'the refused request never left');
  await page.context().close();
});

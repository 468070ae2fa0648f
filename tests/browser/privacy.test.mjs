// The data never leaves the page: adding CSV files, pasting, changing options and opening
// drill-downs make no request at all, and nothing of the user's is stored. The requests the page
// makes after its first view are for its own code, from this server, once each: the engine
// (www/pkg) and the made-up council it is warmed up with (www/warm-up.js), fetched by the worker
// once the page is idle or the user moves to give it data (issue 6), before any data of theirs
// exists; and the workbook reader (www/pkg-xlsx) when the first workbook is dropped. They fetch
// code; they send nothing, and the warm-up runs the engine over made-up rows only.
// Then the service worker (www/sw.js) fetches the site's own files once, to keep them for offline
// use: "loaded" below means after all that, and its requests are counted.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { choosePeriod, FIXTURES, LOCAL_FILES, offlineReady, ROOT, setUp, summaryRow, upload, WORKED_EXAMPLE, WORKED_EXAMPLE_XLSX } from './helpers.mjs';

/** The files the service worker may keep: those scripts/build.sh listed in www/sw-manifest.js. */
function keptFiles() {
  const text = readFileSync(join(ROOT, 'www/sw-manifest.js'), 'utf8');
  return [...text.matchAll(/^  '([^']+)',$/gm)].map((m) => m[1]);
}

let env;
before(async () => {
  env = await setUp();
});
after(async () => {
  await env?.close();
});

test('the first view asks only for the page, its styles, scripts and the engine\'s facts; the engine comes once it is shown', async () => {
  // Each request with the time the browser made it, and the time the page was ready.
  const context = await env.browser.newContext();
  const first = await context.newPage();
  const made = [];
  first.on('requestfinished', (request) => made.push({ url: request.url(), at: request.timing().startTime }));
  await first.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.documentElement?.dataset.ready !== 'true') return;
      window.readyAt = performance.timeOrigin + performance.now();
      observer.disconnect();
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'] });
  });
  await first.goto(env.baseUrl);
  await first.waitForSelector('html[data-engine="warm"]', { timeout: 20000 });
  const readyAt = await first.evaluate(() => window.readyAt);
  const shown = made.filter((r) => r.at < readyAt).map((r) => new URL(r.url).pathname);
  assert.ok(shown.includes('/engine-info.json') && shown.includes('/app.js'), `the first view: ${shown}`);
  assert.deepEqual(shown.filter((path) => path.startsWith('/pkg') || path === '/warm-up.js'), [], 'no engine in the first view');
  const later = made.filter((r) => r.at >= readyAt).map((r) => new URL(r.url).pathname);
  assert.deepEqual(later.filter((path) => path.startsWith('/pkg')).sort(), ['/pkg/care_scorecard.js', '/pkg/care_scorecard_bg.wasm']);
  await context.close();
});

test('loading asks only this server, for its own code: the page, then the engine and its warm-up, never the workbook reader', async () => {
  const page = await env.newPage();
  await offlineReady(page);
  await page.waitForLoadState('networkidle');
  for (const url of [...page.requests, ...page.workerRequests]) {
    assert.ok(url.startsWith(env.baseUrl), `${url} is on this server`);
  }
  // The service worker asks for the files of the manifest and nothing else.
  const kept = new Set(keptFiles().map((file) => `${env.baseUrl}${file}`));
  for (const url of page.workerRequests) assert.ok(kept.has(url) || url === env.baseUrl || url.startsWith(`${env.baseUrl}sw`), `${url} is one of the site's own files`);
  assert.ok(page.workerRequests.includes(`${env.baseUrl}pkg-xlsx/care_scorecard_xlsx_bg.wasm`), 'the service worker\'s requests are seen');
  const paths = page.requests.map((url) => new URL(url).pathname);
  assert.ok(paths.includes('/worker.js'), 'the engine\'s worker was started');
  assert.ok(paths.includes('/engine-info.json'), 'the engine\'s version and thresholds were read');
  // Warmed up while idle, before any data: each once, from this server (and not the service worker's copy).
  for (const path of ['/pkg/care_scorecard.js', '/pkg/care_scorecard_bg.wasm', '/warm-up.js']) {
    assert.equal(paths.filter((p) => p === path).length, 1, `${path} once`);
  }
  assert.equal(await page.evaluate(() => document.documentElement.dataset.engine), 'warm');
  assert.deepEqual(
    paths.filter((path) => path.startsWith('/pkg-xlsx/')),
    [],
    'the page does not load the workbook reader until a workbook is dropped (the service worker only keeps a copy)',
  );
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

test('using the page makes no request, and stores nothing', async () => {
  const page = await env.newPage();
  await offlineReady(page);
  await page.waitForLoadState('networkidle');
  const loaded = page.requests.length;
  const loadedByWorker = page.workerRequests.length;

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

  // The downloads (www/export.js) are made in the page too.
  await upload(page, WORKED_EXAMPLE);
  for (const button of ['export-summary', 'export-publication', 'export-json']) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(button).click()]);
    await download.path();
  }
  await page.getByTestId('clear-all').click();
  await page.waitForTimeout(500);

  // The engine was loaded as the page went idle: using it asks for nothing (CSV only).
  assert.deepEqual(page.requests.slice(loaded), [], 'no request once the page is loaded');
  assert.deepEqual(page.workerRequests.slice(loadedByWorker), [], 'nor from the service worker');

  const stored = await page.evaluate(async () => {
    const kept = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) kept.push(`${name} ${request.url}`);
    }
    return {
      local: localStorage.length,
      session: sessionStorage.length,
      cookies: document.cookie,
      databases: (await indexedDB.databases()).length,
      kept,
    };
  });
  const { kept, ...others } = stored;
  assert.deepEqual(others, { local: 0, session: 0, cookies: '', databases: 0 });
  // The only thing kept is the site's own files, in one cache, for offline use.
  const cacheNames = new Set(kept.map((entry) => entry.split(' ')[0]));
  assert.equal(cacheNames.size, 1);
  assert.match([...cacheNames][0], /^care-scorecard-[0-9a-f]{16}$/);
  assert.deepEqual(
    kept.map((entry) => entry.split(' ')[1].slice(env.baseUrl.length)).sort(),
    keptFiles().sort(),
  );
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

test('a workbook fetches the workbook reader from this server, once, and nothing else', async () => {
  const page = await env.newPage();
  await offlineReady(page);
  await page.waitForLoadState('networkidle');
  const loaded = page.requests.length;
  await upload(page, [WORKED_EXAMPLE_XLSX]);
  assert.deepEqual(
    page.requests.slice(loaded).sort(),
    [`${env.baseUrl}pkg-xlsx/care_scorecard_xlsx.js`, `${env.baseUrl}pkg-xlsx/care_scorecard_xlsx_bg.wasm`].sort(),
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

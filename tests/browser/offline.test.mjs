// Offline (www/sw.js, www/offline.js): after the first visit the page opens and works with the
// site gone: its server stopped and the browser offline. A new build (a new version in
// www/sw-manifest.js) replaces the kept copy.

import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startServer } from '../../scripts/serve.mjs';
import { cell, offlineReady, ROOT, setUp, upload, WORKED_EXAMPLE, WORKED_EXAMPLE_XLSX } from './helpers.mjs';

/** The worked example's hand numbers (shared/spec/worked-example.md), as the page shows them. */
async function workedNumbers(page) {
  return {
    A1: await cell(page, 'A1', '2015-16', 'value'),
    A10: await cell(page, 'A10', '2015-16', 'value'),
    A2: await cell(page, 'A2', '2015-16', 'value'),
    A3: await cell(page, 'A3', '2015-16', 'value'),
    gap: await cell(page, 'A2', '2015-16', 'gap'),
  };
}

const HAND = { A1: '414 days', A10: '329 days', A2: '225 days', A3: '71.4% 5 of 7', gap: '+104 days' };

test('after the first visit the page works offline and gives the same figures, CSV and workbook', async () => {
  const env = await setUp();
  try {
    const page = await env.newPage();
    await offlineReady(page);
    assert.match(await page.getByTestId('offline-status').innerText(), /^Works offline: this page has been saved in your browser/);
    await upload(page, WORKED_EXAMPLE);
    assert.deepEqual(await workedNumbers(page), HAND);

    // The site goes away: the server stops and the browser is offline.
    env.server.closeAllConnections();
    await new Promise((resolve) => env.server.close(resolve));
    await page.context().setOffline(true);
    const responses = [];
    page.on('response', (response) => responses.push(response));
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]', { timeout: 15000 });
    await upload(page, WORKED_EXAMPLE);
    assert.deepEqual(await workedNumbers(page), HAND);
    // The workbook reader was kept too.
    await page.getByTestId('clear-all').click();
    await upload(page, [WORKED_EXAMPLE_XLSX]);
    await page.locator('tr[data-id="A1"][data-window="2015-16"]').waitFor();
    assert.deepEqual(await workedNumbers(page), HAND);

    assert.ok(responses.length > 5, 'the page, its scripts and the engine were asked for');
    for (const response of responses) assert.ok(response.fromServiceWorker(), `${response.url()} came from the kept copy`);
    assert.deepEqual(page.consoleErrors, []);
    await page.context().close();
  } finally {
    await env.close();
  }
});

test('a new build replaces the kept copy', async () => {
  // A copy of the built page, so its manifest can be changed as a new build would change it.
  const root = mkdtempSync(join(tmpdir(), 'care-scorecard-www-'));
  cpSync(join(ROOT, 'www'), root, { recursive: true });
  const server = await startServer({ port: 0, root, quiet: true });
  const env = await setUp();
  try {
    const page = await env.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await offlineReady(page);
    const before = await page.evaluate(() => caches.keys());
    assert.equal(before.length, 1);

    const manifest = join(root, 'sw-manifest.js');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace(/version: '[0-9a-f]+'/, "version: '0000000000000002'"));
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
    await page.waitForFunction(
      async () => JSON.stringify(await caches.keys()) === JSON.stringify(['care-scorecard-0000000000000002']),
      null,
      { timeout: 20000, polling: 200 },
    );
    await page.context().close();
  } finally {
    await env.close();
    await new Promise((resolve) => server.close(resolve));
    rmSync(root, { recursive: true, force: true });
  }
});

// The built-in demo data (www/demo/, scripts/gen-demo.sh): one click loads it through the usual
// input path, every section shows figures, it is marked as synthetic, and nothing is asked of
// any server but this one. Also: the two local files regenerate byte for byte (the 903 files are
// checked by tests/demo_data.rs).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { adoptersCsv, carersCsv } from '../../scripts/gen-demo-local.mjs';
import { axeViolations, cell, choosePeriod, ROOT, setUp, summaryRow } from './helpers.mjs';

let env;
before(async () => {
  env = await setUp();
});
after(async () => {
  await env?.close();
});

/** The settings of scripts/gen-demo.sh, so this test and the script cannot drift apart. */
function setting(name) {
  const script = readFileSync(join(ROOT, 'scripts/gen-demo.sh'), 'utf8');
  return Number(new RegExp(`^${name}=(\\d+)$`, 'm').exec(script)[1]);
}

test('carers.csv and adopters.csv regenerate byte for byte', () => {
  const [first, last] = [setting('FIRST'), setting('LAST')];
  assert.equal(carersCsv(first, last), readFileSync(join(ROOT, 'www/demo/carers.csv'), 'utf8'));
  assert.equal(adoptersCsv(first, last), readFileSync(join(ROOT, 'www/demo/adopters.csv'), 'utf8'));
});

async function loadDemo(page) {
  await page.getByTestId('demo-button').click();
  await page.getByTestId('demo-banner').waitFor();
}

test('one click loads the demo: every section shows figures, and it says the data is synthetic', async () => {
  const page = await env.newPage();
  // Once idle the page fetches the engine and warms it up (issue 6): what follows is the demo's.
  await page.waitForSelector('html[data-engine="warm"]');
  await page.waitForLoadState('networkidle');
  const before = page.requests.length;
  await loadDemo(page);

  const names = await page.getByTestId('input-item').evaluateAll((items) => items.map((li) => li.dataset.name));
  assert.deepEqual(names, ['demo-header.csv', 'demo-episodes.csv', 'demo-ad1.csv', 'demo-placed_adoption.csv', 'demo-carers.csv', 'demo-adopters.csv']);
  assert.match(await page.getByTestId('demo-banner').innerText(), /synthetic data, not from a real council/);
  assert.match(await page.getByTestId('row-accounting').innerText(), /^6 files: 7554 rows read, 6437 used, 1117 left out\./);

  // Each of the seven sections has figures in the latest period (none is an empty table).
  const groups = await page.getByTestId('section').evaluateAll((sections) => sections.map((s) => s.dataset.group));
  assert.deepEqual(groups, ['Adoption scorecard', 'Hard to place', 'Adoption activity', 'Placement stability', 'Where children live', 'Fostering', 'Adopters']);
  for (const group of groups) {
    const values = await page
      .locator(`[data-testid="section"][data-group="${group}"] [data-col="value"]`)
      .evaluateAll((cells) => cells.map((c) => c.innerText.trim()));
    assert.ok(values.some((v) => /\d/.test(v)), `${group} shows figures`);
  }
  // The engine's figures for the demo (pinned; the rules are checked by hand on the fixtures).
  assert.equal(await cell(page, 'A1', '2025-26', 'value'), '539 days');
  assert.equal(await cell(page, 'A1', '2025-26', 'n'), '74');
  assert.equal(await cell(page, 'A9', '2025-26', 'value'), '54');

  // A drill-down, the data-quality view and the what-if all work on it.
  await summaryRow(page, 'A1', '2025-26').getByTestId('drilldown-button').click();
  assert.equal(await page.locator('[data-testid="drilldown-children"] tbody tr').count(), 74);
  assert.ok((await page.getByTestId('quality-group').count()) > 0, 'the data-quality view lists checks');
  await page.locator('[data-testid="whatif-table"]').first().waitFor();
  assert.equal(await page.locator('[data-testid="whatif-children"] tbody tr').count(), 54);

  // Every request went to this server: the page and its engine, then the six demo files, nothing else.
  for (const url of page.requests) assert.ok(url.startsWith(env.baseUrl), `${url} is on this server`);
  const fetched = page.requests.slice(before).map((url) => new URL(url).pathname);
  assert.deepEqual(fetched.sort(), ['ad1.csv', 'adopters.csv', 'carers.csv', 'episodes.csv', 'header.csv', 'placed_adoption.csv'].map((f) => `/demo/${f}`));
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

test('the demo replaces the files already added, and removing them takes the banner away', async () => {
  const page = await env.newPage();
  await page.getByTestId('file-input').setInputFiles([join(ROOT, 'tests/fixtures/worked-example/episodes.csv')]);
  await page.getByTestId('results').waitFor({ state: 'visible' });
  await loadDemo(page);
  assert.equal(await page.getByTestId('input-item').count(), 6);
  await page.getByTestId('clear-all').click();
  await page.getByTestId('results-empty').waitFor();
  assert.equal(await page.getByTestId('demo-banner').count(), 0);
  await page.context().close();
});

test('the demo loads from the keyboard', async () => {
  const page = await env.newPage();
  await page.getByTestId('demo-button').focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('demo-banner').waitFor();
  await choosePeriod(page, 'all');
  assert.equal(await cell(page, 'A1', '2023-26', 'value'), '533 days');
  await page.context().close();
});

test('the demo with the what-if and an explanation open has no axe violations', async () => {
  const page = await env.newPage({ bypassCSP: true });
  await loadDemo(page);
  await page.locator('[data-testid="whatif-table"]').first().waitFor();
  await summaryRow(page, 'fostering-occupancy', '2025-26').getByTestId('explain-button').click();
  await page.getByTestId('explain-counts').waitFor();
  assert.deepEqual(await axeViolations(page), []);
  await page.context().close();
});

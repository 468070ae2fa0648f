// axe-core over the page in each of its states. axe is injected with addScriptTag, an inline
// script the page's Content-Security-Policy forbids, so these pages bypass the CSP (the other
// tests keep it).

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { axeViolations, choosePeriod, FIXTURES, LOCAL_FILES, offlineReady, setUp, summaryRow, upload, WORKED_EXAMPLE } from './helpers.mjs';

let env;
before(async () => {
  env = await setUp();
});
after(async () => {
  await env?.close();
});

test('the empty page has no axe violations', async () => {
  const page = await env.newPage({ bypassCSP: true });
  assert.deepEqual(await axeViolations(page), []);
  await page.context().close();
});

test('the page saved for offline use, with its line saying so, has no axe violations', async () => {
  const page = await env.newPage({ bypassCSP: true });
  await offlineReady(page);
  await page.getByTestId('offline-status').waitFor();
  assert.deepEqual(await axeViolations(page), []);
  await page.context().close();
});

test('files loaded: the list of files, the rows read from each and the download buttons have no axe violations', async () => {
  const page = await env.newPage({ bypassCSP: true });
  await upload(page, WORKED_EXAMPLE);
  await page.locator('[data-testid="files-details"] summary').click();
  await page.getByTestId('export-all').waitFor();
  assert.deepEqual(await axeViolations(page), []);
  await page.context().close();
});

test('the data-quality view with a check open has no axe violations', async () => {
  const page = await env.newPage({ bypassCSP: true });
  await upload(page, [
    ...WORKED_EXAMPLE.filter((path) => !path.endsWith('episodes.csv')),
    join(FIXTURES, 'bad-date/episodes.csv'),
  ]);
  const group = page.getByTestId('quality-group').first();
  await group.locator('summary').click();
  await group.getByTestId('quality-rows').waitFor();
  await page.getByTestId('export-quality').waitFor();
  assert.deepEqual(await axeViolations(page), []);
  await page.context().close();
});

test('as printed (print media), with results and a drill-down, the page has no axe violations', async () => {
  const page = await env.newPage({ bypassCSP: true });
  await upload(page, WORKED_EXAMPLE);
  await summaryRow(page, 'A3', '2015-16').getByTestId('drilldown-button').click();
  await page.getByTestId('drilldown').waitFor();
  await page.emulateMedia({ media: 'print' });
  assert.deepEqual(await axeViolations(page), []);
  await page.context().close();
});

test('the page with results, options and a drill-down open has no axe violations', async () => {
  const page = await env.newPage({ bypassCSP: true });
  await upload(page, WORKED_EXAMPLE);
  await page.locator('#options-details summary').click();
  await page.locator('#paste-details summary').click();
  await summaryRow(page, 'A3', '2015-16').getByTestId('drilldown-button').click();
  await page.getByTestId('drilldown').waitFor();
  assert.deepEqual(await axeViolations(page), []);
  await page.context().close();
});

test('every section in every period, a fostering drill-down, the local files and authorities: no axe violations', async () => {
  const page = await env.newPage({ bypassCSP: true });
  await upload(page, [...WORKED_EXAMPLE, ...LOCAL_FILES]);
  await page.locator('#options-details summary').click();
  await page.locator('#local-files-details summary').click();
  await page.getByLabel('Files from more than one local authority').check();
  await page.getByLabel('Local authority of carers.csv (optional)').fill('North');
  await page.getByLabel('Local authority of carers.csv (optional)').press('Tab');
  await page.getByTestId('view-authority').selectOption('every');
  await choosePeriod(page, 'all');
  await summaryRow(page, 'fostering-deregistrations-by-reason', '2015-16', 'North').getByTestId('drilldown-button').click();
  await page.getByTestId('drilldown').waitFor();
  assert.equal(await page.getByTestId('section').count(), 7);
  assert.deepEqual(await axeViolations(page), []);
  await page.context().close();
});

test('the page with an error summary and field errors has no axe violations', async () => {
  const page = await env.newPage({ bypassCSP: true });
  await upload(page, [
    ...WORKED_EXAMPLE.filter((path) => !path.endsWith('episodes.csv')),
    join(FIXTURES, 'bad-date/episodes.csv'),
    join(FIXTURES, 'not-903/shopping.csv'),
  ]);
  await page.locator('#options-details summary').click();
  await page.getByTestId('as-at-day').fill('31');
  await page.getByTestId('as-at-month').fill('2');
  await page.getByTestId('as-at-year').fill('2016');
  await page.getByTestId('as-at-year').press('Tab');
  await page.getByTestId('opt-target-short').fill('half');
  await page.getByTestId('opt-target-short').press('Tab');
  await page.locator('#as-at-error').waitFor();
  await page.locator('#opt-target-short-error').waitFor();
  await page.getByTestId('error-summary').waitFor();
  assert.deepEqual(await axeViolations(page), []);
  await page.context().close();
});

test('at 320 pixels wide the page does not scroll sideways: wide tables scroll in their own box', async () => {
  const page = await env.newPage({ viewport: { width: 320, height: 640 } });
  await upload(page, [...WORKED_EXAMPLE, ...LOCAL_FILES, join(FIXTURES, 'not-903/shopping.csv')]);
  await summaryRow(page, 'A2', '2015-16').getByTestId('drilldown-button').click();
  await page.getByLabel('Files from more than one local authority').check();
  await page.locator('#local-files-details summary').click();
  await page.locator('#options-details summary').click();
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 320);
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

test('the progress indicator has no axe violations', async () => {
  const page = await env.newPage({ bypassCSP: true });
  // Shown as a long run shows it (a real run is too quick to hold still for axe).
  await page.evaluate(() => {
    document.getElementById('progress-text').textContent = 'Reading file 2 of 4: episodes.csv';
    const bar = document.getElementById('progress-bar');
    bar.max = 5;
    bar.value = 1;
    document.getElementById('progress').hidden = false;
  });
  assert.deepEqual(await axeViolations(page), []);
  await page.context().close();
});

test('keyboard: Tab goes through every control of the results, downloads included, and on out of the page', async () => {
  const page = await env.newPage();
  await upload(page, WORKED_EXAMPLE);
  await page.locator('[data-testid="files-details"] summary').click();
  // Every control a keyboard user should reach in the results, visible on screen.
  const wanted = await page.evaluate(() => {
    const controls = [...document.querySelectorAll('#results :is(a[href], button, select, summary, [tabindex="0"])')].filter(
      (el) => el.checkVisibility() && el.tabIndex >= 0,
    );
    controls.forEach((el, i) => el.setAttribute('data-tab-check', String(i)));
    return controls.length;
  });
  assert.ok(wanted > 10, `${wanted} controls`);
  await page.locator('#results-heading').evaluate((el) => {
    el.tabIndex = -1;
    el.focus();
  });
  const reached = new Set();
  let left = false;
  for (let i = 0; i < 300 && !left; i += 1) {
    await page.keyboard.press('Tab');
    const at = await page.evaluate(() => {
      const el = document.activeElement;
      return { mark: el?.getAttribute('data-tab-check') ?? null, inResults: Boolean(el?.closest('#results')) };
    });
    if (at.mark !== null) reached.add(at.mark);
    // Past the results (the footer, or the browser's own controls): no trap on the way.
    if (!at.inResults && reached.size > 0) left = true;
  }
  assert.equal(reached.size, wanted, 'every control was reached');
  assert.ok(left, 'focus leaves the results at the end');
  await page.context().close();
});

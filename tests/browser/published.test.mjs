// Published-figures mode (www/published-view.js) in Chromium: reached from the start of the page,
// tables pasted from real council reports (tests/fixtures/published), their figures against the
// DfE thresholds with met / not met, errors naming row, column and value, and the share link.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { axeViolations, FIXTURES, setUp } from './helpers.mjs';

let env;
before(async () => {
  env = await setUp();
});
after(async () => {
  await env?.close();
});

const fixture = (name) => readFileSync(join(FIXTURES, 'published', name), 'utf8');

const row = (page, id, window) => page.locator(`[data-testid="published-row"][data-id="${id}"][data-window="${window}"]`);
const col = async (page, id, window, name) => (await row(page, id, window).locator(`[data-col="${name}"]`).innerText()).replace(/\s+/g, ' ').trim();

async function openView(page) {
  await page.getByTestId('published-link').click();
  await page.getByTestId('published-form').waitFor();
}

async function show(page, fields) {
  for (const [key, text] of Object.entries(fields)) await page.getByTestId(`published-${key}`).fill(text);
  await page.getByTestId('published-show').click();
}

describe('a table typed by hand, periods down the side, spaces between columns', () => {
  let page;
  before(async () => {
    page = await env.newPage();
    await openView(page);
    await show(page, { scorecard: fixture('hand.txt') });
    await page.getByTestId('published-table').waitFor();
  });
  after(async () => {
    assert.deepEqual(page.consoleErrors, []);
    await page.context().close();
  });

  test('the view replaces the file upload and its heading takes focus', async () => {
    assert.equal(await page.getByTestId('file-input').isVisible(), false);
    assert.equal(await page.locator('#published-heading').isVisible(), true);
  });

  test('met or not met in each period, by hand from targets.md', async () => {
    // 2011-14: A1 540 <= 547 met, A2 160 > 152 not met. 2012-15: 487 <= 487 met, 121 <= 121 met.
    // 2013-16: 430 > 426 not met, 100 <= 121 met. 2015-16 (1 year, the 2013-16 thresholds):
    // 426 <= 426 met, 122 > 121 not met.
    const expected = {
      '2011-14': ['Met', 'Not met', '547 days DfE 2011-14', '152 days DfE 2011-14'],
      '2012-15': ['Met', 'Met', '487 days DfE 2012-15', '121 days DfE 2012-15'],
      '2013-16': ['Not met', 'Met', '426 days DfE 2013-16', '121 days DfE 2013-16'],
      '2015-16': ['Met', 'Not met', '426 days DfE 2013-16', '121 days DfE 2013-16'],
    };
    for (const [window, [a1, a2, t1, t2]] of Object.entries(expected)) {
      assert.equal(await col(page, 'A1', window, 'status'), a1, `A1 ${window}`);
      assert.equal(await col(page, 'A2', window, 'status'), a2, `A2 ${window}`);
      assert.equal(await col(page, 'A1', window, 'threshold'), t1);
      assert.equal(await col(page, 'A2', window, 'threshold'), t2);
    }
    assert.equal(await col(page, 'A2', '2015-16', 'gap'), '+1 day');
    assert.equal(await col(page, 'A3', '2011-14', 'value'), '55.0%');
    assert.equal(await col(page, 'A3', '2011-14', 'status'), 'No target');
  });

  test('the same chart as computed figures, with the threshold line at each period’s threshold', async () => {
    const chart = page.locator('[data-chart="trend"][data-id="A1"]');
    assert.equal(await chart.getByTestId('chart-svg').getAttribute('role'), 'img');
    const lines = await chart.getByTestId('threshold-line').evaluateAll((ls) => ls.map((l) => [l.dataset.window, Number(l.dataset.value), Number(l.getAttribute('y1'))]));
    const byValue = Object.fromEntries(lines.map(([w, v]) => [w, v]));
    assert.equal(byValue['2011-14'], 547);
    assert.equal(byValue['2012-15'], 487);
    assert.ok(byValue['2013-16'] === 426 || byValue['2015-16'] === 426);
    const ticks = await chart.locator('.app-chart__tick').evaluateAll((gs) => gs.map((g) => [Number(g.dataset.value), Number(g.dataset.y)]));
    const [[v0, y0], [v1, y1]] = [ticks[0], ticks[ticks.length - 1]];
    for (const [, value, y] of lines) assert.ok(Math.abs(y - (y0 + ((value - v0) / (v1 - v0)) * (y1 - y0))) < 0.2);
    assert.equal(await chart.locator('[data-testid="chart-table"] tr[data-window="2012-15"] [data-col="status"]').textContent(), 'Met');
  });

  test('the address becomes the share link, and opening it shows the same figures', async () => {
    const url = page.url();
    assert.match(new URL(url).hash, /^#figures=1\.[A-Za-z0-9_-]+$/);
    assert.equal(await page.getByTestId('share-url').inputValue(), url);
    const other = await env.newPage();
    await other.goto(url);
    await other.getByTestId('published-table').waitFor();
    const texts = (p) => p.getByTestId('published-row').evaluateAll((trs) => trs.map((tr) => tr.innerText.replace(/\s+/g, ' ').trim()));
    assert.deepEqual(await texts(other), await texts(page));
    // The figures are back in the field, ready to change.
    assert.match(await other.getByTestId('published-scorecard').inputValue(), /^Period\tA1\tA2\tA3\n/);
    assert.deepEqual(other.consoleErrors, []);
    await other.context().close();
  });
});

describe('tables pasted from the Coventry reports', () => {
  let page;
  before(async () => {
    page = await env.newPage();
    await openView(page);
    await show(page, { scorecard: fixture('coventry-2016.tsv'), fostering: fixture('fostering-2016.tsv'), adopters: fixture('adopters-2016.tsv') });
    await page.getByTestId('published-table').waitFor();
  });
  after(async () => {
    assert.deepEqual(page.consoleErrors, []);
    await page.context().close();
  });

  test('every A1 and A2 period not met, each against its own threshold', async () => {
    // 1-year 2012-13 against 2010-13 (608), 2013-14 against 2011-14 (547), 2014-15 against
    // 2012-15 (487), 2015-16 against 2013-16 (426); the second "2015/16" is the 3-year 2013-16.
    assert.equal(await col(page, 'A1', '2012-13', 'value'), '821 days');
    assert.equal(await col(page, 'A1', '2012-13', 'threshold'), '608 days DfE 2010-13');
    assert.equal(await col(page, 'A1', '2013-16', 'value'), '587 days');
    assert.equal(await col(page, 'A1', '2013-16', 'gap'), '+161 days');
    assert.equal(await col(page, 'A1', '2013-16', 'england'), '593 days');
    assert.equal(await col(page, 'A1', '2013-16', 'neighbours'), '586 days');
    const statuses = await page.locator('[data-testid="published-row"]:not([data-id="A3"]) [data-col="status"]').allInnerTexts();
    assert.equal(statuses.length, 16);
    assert.ok(statuses.every((s) => s === 'Not met'));
    assert.equal(await col(page, 'A3', '2014-15', 'value'), '59.0% (161 children)');
  });

  test('how the table was read is listed', async () => {
    const notes = await page.getByTestId('published-notes').textContent();
    assert.match(notes, /Column J \(“2015\/16”\) repeats the period of column F after the 3-year columns, so it is read as the 3-year period 2013-16/);
  });

  test('a fostering and an adopter funnel for each year', async () => {
    const bars = (what, window) =>
      page.locator(`[data-chart="funnel"][data-what="${what}"][data-window="${window}"] [data-testid="bar"]`).evaluateAll((gs) => gs.map((g) => Number(g.dataset.value)));
    assert.deepEqual(await bars('fostering', '2015-16'), [312, 112, 20]);
    assert.deepEqual(await bars('adopter', '2013-14'), [128, 49, 47]);
    const share = page.locator('[data-chart="funnel"][data-what="fostering"][data-window="2015-16"] [data-testid="chart-table"] tr[data-key="approvals"] [data-col="share"]');
    assert.equal(await share.textContent(), '6.4%'); // 20 of 312, as the report says.
  });

  test('no axe violations', async () => {
    const a11y = await env.newPage({ bypassCSP: true });
    await openView(a11y);
    await show(a11y, { scorecard: fixture('coventry-2016.tsv'), fostering: fixture('fostering-2016.tsv') });
    await a11y.getByTestId('published-table').waitFor();
    await a11y.getByTestId('published-notes').locator('summary').click();
    assert.deepEqual(await axeViolations(a11y), []);
    await a11y.context().close();
  });
});

describe('errors', () => {
  test('name the row, the column and the value, in the summary and at the field', async () => {
    const page = await env.newPage({ bypassCSP: true });
    await openView(page);
    await show(page, { scorecard: '\t2013-16\t2014-15\nA1\t587\tabout 600\nA3\t140%\t50%', fostering: '\t2013-16\nEnquiries\t500' });
    const summary = page.getByTestId('published-error-summary');
    await summary.waitFor();
    const links = await page.getByTestId('published-error-link').allInnerTexts();
    assert.deepEqual(links, [
      'Scorecard figures: Row 2, column C (“2014-15”): A1 “about 600” is not a number. Enter a whole number of days, like 426, or leave the cell empty',
      'Scorecard figures: Row 3, column B (“2013-16”): A3 “140%” is more than 100%. Enter a percentage, like 56%, or a number and percentage, like 63 (46%), or leave the cell empty',
      'Fostering counts: Row 2, column B: counts are by year, but “2013-16” is a 3-year period. Give one year, like 2015-16',
    ]);
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'published-error-summary');
    assert.match(await page.locator('#published-scorecard-error').innerText(), /Row 2, column C \(“2014-15”\): A1 “about 600” is not a number/);
    assert.equal(await page.getByTestId('published-error-link').first().getAttribute('href'), '#published-scorecard');
    assert.equal(await page.getByTestId('published-table').count(), 0);
    assert.deepEqual(await axeViolations(page), []);
    await page.context().close();
  });

  test('an empty form, and a broken link', async () => {
    const page = await env.newPage();
    await openView(page);
    await page.getByTestId('published-show').click();
    assert.match(await page.getByTestId('published-error-summary').innerText(), /Type or paste a table of figures/);
    await page.goto(`${env.baseUrl}#figures=1.bm90IGpzb24`);
    await page.getByTestId('published-error-summary').waitFor();
    assert.match(await page.getByTestId('published-error-summary').innerText(), /This link to published figures is broken or cut short/);
    await page.context().close();
  });

  test('back to the files', async () => {
    const page = await env.newPage();
    await openView(page);
    await page.getByTestId('published-back').click();
    await page.getByTestId('file-input').waitFor({ state: 'visible' });
    assert.equal(await page.getByTestId('published-view').isVisible(), false);
    await page.context().close();
  });
});

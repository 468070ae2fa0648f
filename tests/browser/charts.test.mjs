// The charts in the result sections (www/charts.js) and the share link of a report, in Chromium:
// each chart is an SVG named by its title and described by its desc, with a table of the very
// figures it draws; the threshold line sits at the threshold; the days chart shows every child;
// the share link opens the same figures and carries no child's identifier.
//
// Figures of the worked example by hand (tests/fixtures/README.md, shared spec
// worked-example.md): A1 2015-16 = 414 days for C1-C5 (320, 424, 323, 304, 699 days), threshold
// 426; A2 2015-16 = 225 days for C1, C2, C3, C5 (123, 259, 0, 518), threshold 121.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decodeShare } from '../../www/published.js';
import { axeViolations, cell, choosePeriod, LOCAL_FILES, ROOT, setUp, upload, WORKED_EXAMPLE } from './helpers.mjs';

let env;
before(async () => {
  env = await setUp();
});
after(async () => {
  await env?.close();
});

const trend = (page, id) => page.locator(`[data-testid="charts"][data-group="Adoption scorecard"] [data-chart="trend"][data-id="${id}"]`);
/** A cell of a chart's table, which sits in a closed <details>: its text, not its rendering. */
const tableCell = (chart, window, col) => ({
  innerText: async () => (await chart.locator(`[data-testid="chart-table"] tr[data-window="${window}"] [data-col="${col}"]`).textContent()).trim(),
});
const rowTexts = (chart) =>
  chart.locator('[data-testid="chart-table"] tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent.trim()).join(' ')));

/** The y of a value on a chart's axis, from two of its labelled ticks: the axis is linear. */
async function yOf(chart, value) {
  const ticks = await chart.locator('.app-chart__tick').evaluateAll((gs) => gs.map((g) => [Number(g.dataset.value), Number(g.dataset.y ?? g.dataset.x)]));
  const [[v0, p0], [v1, p1]] = [ticks[0], ticks[ticks.length - 1]];
  return p0 + ((value - v0) / (v1 - v0)) * (p1 - p0);
}

/** The first column of a CSV file. */
const ids = (path) => readFileSync(path, 'utf8').trim().split(/\r?\n/).slice(1).map((line) => line.split(',')[0]);

describe('the worked example with the local files', () => {
  let page;
  before(async () => {
    page = await env.newPage();
    // What the page asks of its worker (the days charts must not need a second run for rows).
    await page.evaluate(() => {
      window.sentToWorker = [];
      const post = Worker.prototype.postMessage;
      Worker.prototype.postMessage = function (message, transfer) {
        window.sentToWorker.push(message?.type);
        return post.call(this, message, transfer);
      };
    });
    await upload(page, [...WORKED_EXAMPLE, ...LOCAL_FILES]);
  });
  after(async () => {
    assert.deepEqual(page.consoleErrors, [], 'no console errors');
    await page.context().close();
  });

  test('A1, A10, A2 and A3 each have a trend chart: an image named by its title and description, with a table', async () => {
    for (const id of ['A1', 'A10', 'A2', 'A3']) {
      const chart = trend(page, id);
      const svg = chart.getByTestId('chart-svg');
      assert.equal(await svg.getAttribute('role'), 'img');
      const [titleId, descId] = (await svg.getAttribute('aria-labelledby')).split(' ');
      assert.match(await svg.locator(`title[id="${titleId}"]`).textContent(), new RegExp(`^${id}: `));
      assert.match(await svg.locator(`desc[id="${descId}"]`).textContent(), /The table below the chart gives every figure\.$/);
      assert.ok((await chart.getByTestId('chart-table').count()) === 1);
    }
    const desc = await trend(page, 'A1').locator('desc').textContent();
    assert.match(desc, /Latest 3-year figure: 2013-16 414 days against a threshold of 426 days \(met\)\./);
  });

  test('every other figure of a section has its trend too, folded under the section\'s charts', async () => {
    const more = page.locator('[data-testid="more-trends"][data-group="Adoption activity"]');
    assert.equal(await more.count(), 1);
    // A9 on 31/03/2016: C6 and C7 wait (worked example); the chart's table says the same.
    const a9 = more.locator('[data-chart="trend"][data-id="A9"]');
    assert.equal(await tableCell(a9, '2015-16', 'value').innerText(), '2');
    assert.match(await a9.locator('desc').textContent(), /The table below the chart gives every figure\.$/);
    // The scorecard's own four are not drawn twice.
    const scorecardMore = page.locator('[data-testid="more-trends"][data-group="Adoption scorecard"] [data-chart="trend"][data-id="A1"]');
    assert.equal(await scorecardMore.count(), 0);
  });

  test('the A1 chart table holds the figures of the scorecard table', async () => {
    const chart = trend(page, 'A1');
    for (const window of ['2015-16', '2013-16']) {
      assert.equal(await tableCell(chart, window, 'value').innerText(), '414 days');
      assert.equal(await tableCell(chart, window, 'value').innerText(), await cell(page, 'A1', window, 'value'));
      assert.equal(await tableCell(chart, window, 'threshold').innerText(), '426 days');
      assert.equal(await tableCell(chart, window, 'status').innerText(), 'Met');
    }
    assert.equal(await tableCell(trend(page, 'A2'), '2015-16', 'value').innerText(), '225 days');
    assert.equal(await tableCell(trend(page, 'A2'), '2015-16', 'status').innerText(), 'Not met');
    assert.equal(await tableCell(trend(page, 'A3'), '2015-16', 'value').innerText(), '71.4% (5 of 7)');
    // 2014-15 has no adoptions, but the England average for the year (ASGLB, 533 days) is known.
    assert.equal(await tableCell(chart, '2014-15', 'value').innerText(), 'none');
    assert.equal(await tableCell(chart, '2014-15', 'england').innerText(), '533 days');
    assert.equal(await tableCell(chart, '2014-15', 'threshold').innerText(), '487 days');
  });

  test('points and threshold lines sit at their values on the axis', async () => {
    const chart = trend(page, 'A1');
    const point = chart.locator('[data-testid="point"][data-window="2015-16"]');
    assert.equal(await point.getAttribute('data-value'), '414');
    assert.ok(Math.abs(Number(await point.getAttribute('cy')) - (await yOf(chart, 414))) < 0.2);
    const line2016 = chart.locator('[data-testid="threshold-line"][data-window="2015-16"], [data-testid="threshold-line"][data-window="2013-16"]').first();
    assert.equal(await line2016.getAttribute('data-value'), '426');
    assert.ok(Math.abs(Number(await line2016.getAttribute('y1')) - (await yOf(chart, 426))) < 0.2);
    const line2015 = chart.locator('[data-testid="threshold-line"][data-window="2014-15"]');
    assert.equal(await line2015.getAttribute('data-value'), '487');
    assert.ok(Math.abs(Number(await line2015.getAttribute('y1')) - (await yOf(chart, 487))) < 0.2);
    // 487 is above 426 on the page: a higher threshold is drawn higher.
    assert.ok(Number(await line2015.getAttribute('y1')) < Number(await line2016.getAttribute('y1')));
    const england = chart.locator('[data-testid="england-point"][data-window="2014-15"]');
    assert.equal(await england.getAttribute('data-value'), '533');
  });

  test('the days behind A1 2015-16: one dot per child, the long wait on its own, the threshold at 426', async () => {
    const chart = page.locator('[data-chart="days"][data-id="A1"][data-window="2015-16"]');
    const days = await chart.getByTestId('dot').evaluateAll((dots) => dots.map((d) => Number(d.dataset.days)));
    assert.deepEqual(days, [304, 320, 323, 424, 699]);
    assert.deepEqual(await rowTexts(chart), ['300 to 349 3', '400 to 449 1', '650 to 699 1']);
    const line = chart.getByTestId('threshold-line');
    assert.equal(await line.getAttribute('data-value'), '426');
    assert.ok(Math.abs(Number(await line.getAttribute('x1')) - (await yOf(chart, 426))) < 0.2);
    const longest = chart.locator('[data-testid="dot"][data-days="699"]');
    assert.ok(Number(await longest.getAttribute('cx')) > Number(await line.getAttribute('x1')));
    assert.match(await chart.locator('desc').textContent(), /The threshold of 426 days is a red line; 1 of 5 took longer\./);
    // Drawn from the report's own days: the page asked the worker for one run and no rows (the
    // what-if projection is answered from what that same run kept).
    assert.deepEqual(await page.evaluate(() => window.sentToWorker.filter((type) => type !== 'whatif')), ['run']);
  });

  test('the days behind A2 2015-16: four children, one matched before the order (0 days)', async () => {
    const chart = page.locator('[data-chart="days"][data-id="A2"][data-window="2015-16"]');
    const days = await chart.getByTestId('dot').evaluateAll((dots) => dots.map((d) => Number(d.dataset.days)));
    assert.deepEqual(days, [0, 123, 259, 518]);
    assert.equal(await chart.getByTestId('threshold-line').getAttribute('data-value'), '121');
  });

  test('2015-16: the fostering and adopter funnels and where children live', async () => {
    await choosePeriod(page, '2015-16');
    const funnel = (what) => page.locator(`[data-chart="funnel"][data-what="${what}"][data-window="2015-16"]`);
    const bars = (chart) => chart.getByTestId('bar').evaluateAll((gs) => gs.map((g) => [g.dataset.key, Number(g.dataset.value)]));
    // tests/indicators.rs: fostering 2015-16 enquiries 2, applications 1, approvals 1; adopters 1, 3, 4.
    assert.deepEqual(await bars(funnel('fostering')), [['enquiries', 2], ['applications', 1], ['approvals', 1]]);
    assert.deepEqual(await bars(funnel('adopter')), [['enquiries', 1], ['applications', 3], ['approvals', 4]]);
    assert.equal(await funnel('fostering').locator('[data-testid="chart-table"] tr[data-key="approvals"] [data-col="share"]').textContent(), '50.0%');
    assert.equal(await cell(page, 'fostering-enquiries', '2015-16', 'value'), '2');
    const live = page.locator('[data-chart="placements"][data-window="2015-16"]');
    assert.deepEqual((await bars(live)).slice(0, 2), [['placed-foster-care', 2], ['placed-foster-in-house', 2]]);
    assert.equal(await live.locator('[data-testid="chart-table"] tr[data-key="placed-foster-care"] [data-col="share"]').textContent(), '100.0%');
  });

  test('no chart text says null or undefined', async () => {
    const text = await page.locator('[data-testid="charts"]').evaluateAll((els) => els.map((e) => e.textContent).join(' '));
    assert.doesNotMatch(text, /\bnull\b|\bundefined\b|NaN/);
  });
});

describe('the share link of a report', () => {
  test('opens the same figures on their own, and holds no child identifier, file name or date', async () => {
    const files = ['header.csv', 'episodes.csv', 'ad1.csv', 'placed_adoption.csv'].map((f) => join(ROOT, 'tests/data/synthetic', f));
    const page = await env.newPage();
    await upload(page, [...files, ...LOCAL_FILES]);
    const url = await page.getByTestId('share-url').inputValue();
    const fragment = new URL(url).hash;
    assert.match(fragment, /^#figures=1\.[A-Za-z0-9_-]+$/);
    assert.ok(url.length < 4096, `the link is ${url.length} characters`);

    const decoded = JSON.stringify(decodeShare(fragment));
    const raw = Buffer.from(fragment.slice('#figures=1.'.length), 'base64url').toString('utf8');
    const childIds = [...ids(files[0]), ...ids(LOCAL_FILES[0]), ...ids(LOCAL_FILES[1])];
    assert.ok(childIds.length > 400);
    for (const text of [raw, decoded, fragment]) {
      for (const id of childIds) assert.equal(new RegExp(`\\b${id}\\b`).test(text), false, `${id} is in the link`);
      assert.doesNotMatch(text, /\.csv|\d{2}\/\d{2}\/\d{4}|\d{4}-\d{2}-\d{2}/);
    }
    assert.deepEqual(Object.keys(JSON.parse(raw)).sort(), ['ad', 'f', 'fo', 's', 'v']);

    // The figures of the report, read from its own scorecard table.
    const a1 = await page.locator('[data-testid="summary-table"] tr[data-id="A1"]').evaluateAll((trs) =>
      Object.fromEntries(trs.map((tr) => [tr.dataset.window, tr.querySelector('[data-col="value"]').innerText.trim()])),
    );
    await page.context().close();

    const shared = await env.newPage();
    await shared.goto(url);
    await shared.getByTestId('published-table').waitFor();
    assert.equal(await shared.getByTestId('published-view').isVisible(), true);
    assert.equal(await shared.getByTestId('file-input').isVisible(), false);
    assert.equal(await shared.getByTestId('published-from-report').isVisible(), true);
    const sharedA1 = await shared.locator('[data-testid="published-row"][data-id="A1"]').evaluateAll((trs) =>
      Object.fromEntries(trs.map((tr) => [tr.dataset.window, tr.querySelector('[data-col="value"]').innerText.trim()])),
    );
    const windows = Object.keys(a1).filter((w) => /^\d{4}-\d{2}$/.test(w) && a1[w] !== '–\nnone' && /days/.test(a1[w]));
    assert.ok(windows.length >= 4);
    for (const w of windows) assert.equal(sharedA1[w], a1[w], `A1 ${w}`);
    assert.equal(await shared.locator('[data-testid="charts"] [data-chart="trend"][data-id="A1"]').count(), 1);
    assert.deepEqual(shared.consoleErrors, []);
    await shared.context().close();
  });
});

test('the results with their charts have no axe violations', async () => {
  const page = await env.newPage({ bypassCSP: true });
  await upload(page, [...WORKED_EXAMPLE, ...LOCAL_FILES]);
  await choosePeriod(page, '2015-16');
  await page.locator('[data-testid="days-slot"][data-ready="true"]').first().waitFor();
  // The other figures' trends first (folded), then every chart's table.
  for (const summary of await page.locator('[data-testid="more-trends"] > summary').all()) await summary.click();
  for (const summary of await page.locator('.app-chart__details summary').all()) await summary.click();
  assert.deepEqual(await axeViolations(page), []);
  await page.context().close();
});

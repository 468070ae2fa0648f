// The pure layout helpers of www/charts.js, under Node (no browser): ticks, scales, bands and the
// trend series taken from report-shaped results.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bands, focusWindow, linearScale, niceTicks, stackDots, trendSeries, windowEndYear, yearLabel } from '../../www/charts.js';

describe('niceTicks', () => {
  test('round steps from 0 past the largest value', () => {
    assert.deepEqual(niceTicks(0, 730), [0, 200, 400, 600, 800]);
    assert.deepEqual(niceTicks(0, 100), [0, 20, 40, 60, 80, 100]);
    assert.deepEqual(niceTicks(0, 9), [0, 2, 4, 6, 8, 10]);
  });
  test('a zero range still has an axis', () => {
    assert.deepEqual(niceTicks(0, 0), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  });
});

test('linearScale maps the ends of the domain onto the ends of the range', () => {
  const y = linearScale([0, 800], [248, 16]);
  assert.equal(y(0), 248);
  assert.equal(y(800), 16);
  assert.equal(y(400), 132);
});

describe('bands', () => {
  test('the worked example A1 2015-16 days, in bands of 50 days up to the longest wait', () => {
    // Children C1-C5: 320, 424, 323, 304, 699 days (tests/fixtures/README.md).
    const { step, bins } = bands([699, 320, 424, 323, 304], { atLeast: 426 });
    assert.equal(step, 50);
    assert.equal(bins.length, 14); // 0-49 ... 650-699
    const counts = Object.fromEntries(bins.filter((b) => b.count).map((b) => [b.from, b.count]));
    assert.deepEqual(counts, { 300: 3, 400: 1, 650: 1 });
  });
  test('one long case stays on its own, far from the rest', () => {
    const { bins } = bands([10, 12, 15, 2000]);
    assert.equal(bins[bins.length - 1].count, 1);
    assert.equal(bins[0].count, 3);
  });
  test('the threshold is kept in view when every wait is shorter', () => {
    const { bins, step } = bands([5, 6], { atLeast: 121 });
    assert.ok(bins.length * step > 121);
  });
});

test('window labels: the year each window ends', () => {
  assert.equal(windowEndYear('2013-16'), 2016);
  assert.equal(windowEndYear('2015-16'), 2016);
  assert.equal(windowEndYear('1999-00'), 2000);
  assert.equal(windowEndYear('12 months to 30/09/2016'), null);
  assert.equal(yearLabel(2016), '2015-16');
});

describe('trendSeries', () => {
  const ind = (id, window, kind, value, threshold, extra = {}) => ({ id, window, window_kind: kind, unit: 'days', value, threshold, status: value <= threshold ? 'met' : 'not met', ...extra });
  const indicators = [
    ind('A1', '2015-16', '1-year', 414, 426),
    ind('A1', '12 months to 30/09/2016', 'rolling-12-months', 400, 426),
    ind('A1', '2013-16', '3-year', 414, 426, { england: { value: 593, window: '2013-16' } }),
    ind('A1', '2014-15', '1-year', null, 487),
    ind('A2', '2015-16', '1-year', 225, 121),
  ];
  test('takes the 1-year and 3-year windows of one indicator, oldest first, leaving out as-at windows', () => {
    const s = trendSeries(indicators, 'A1');
    assert.deepEqual(s.years, [2015, 2016]);
    assert.deepEqual(s.rows.map((r) => r.window), ['2014-15', '2015-16', '2013-16']);
    assert.deepEqual(s.one.map((r) => r.value), [null, 414]);
    assert.deepEqual(s.three.map((r) => [r.value, r.threshold, r.england]), [[414, 426, 593]]);
  });
  test('focusWindow: the chosen window when the section has it, else the latest year', () => {
    assert.equal(focusWindow(indicators, '2014-15'), '2014-15');
    assert.equal(focusWindow(indicators, '2009-10'), '2015-16');
    assert.equal(focusWindow(indicators, null), '2015-16');
  });
});

describe('stackDots', () => {
  test('dots far apart stay on the bottom row; close ones stack', () => {
    const { r, placed } = stackDots([{ d: 304, cx: 100 }, { d: 320, cx: 104 }, { d: 323, cx: 105 }, { d: 699, cx: 400 }], 150);
    assert.equal(r, 5);
    assert.deepEqual(placed.map((p) => p.level), [0, 1, 2, 0]);
  });
  test('many dots in one place shrink to fit the height', () => {
    const { r, placed } = stackDots(Array.from({ length: 40 }, (_, i) => ({ d: i, cx: 50 })), 150);
    assert.ok(r < 5 && r >= 1.5);
    assert.ok(Math.max(...placed.map((p) => p.level)) * 2 * r <= 150);
  });
});

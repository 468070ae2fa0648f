// The CSV writer and the publication's small-number rule of www/export.js, under Node (the
// module's first half touches no DOM). The rule is docs/methodology.md, "Publication export:
// small numbers"; the browser test (tests/browser/export.test.mjs) downloads the real files.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  BOM,
  csvCell,
  diagnosticRows,
  excludedRows,
  qualityRows,
  SUMMARY_HEAD,
  summaryRow,
  summaryRows,
  suppression,
  smallCount,
  smallRate,
  toCsv,
} from '../../www/export.js';

const col = (name) => SUMMARY_HEAD.indexOf(name);

test('cells: RFC 4180 quoting', () => {
  const cases = [
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rhere', '"cr\rhere"'],
    ['', ''],
    [null, ''],
    [undefined, ''],
    [0, '0'],
    [71.4, '71.4'],
    [Number.NaN, ''],
    ['£ and é', '£ and é'],
  ];
  for (const [input, expected] of cases) assert.equal(csvCell(input), expected, JSON.stringify(input));
});

test('cells: formulas are defused with an apostrophe, plain numbers are not', () => {
  const cases = [
    ['=1+1', "'=1+1"],
    ['+44 20 7946 0000', "'+44 20 7946 0000"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['=HYPERLINK("http://x","y")', '"\'=HYPERLINK(""http://x"",""y"")"'],
    ['\t=1', "'\t=1"],
    ['=a,b', '"\'=a,b"'],
    ['-12', '-12'],
    ['+104', '+104'],
    ['-0.5', '-0.5'],
    ['1e3', '1e3'],
    [-12, '-12'],
    ['-', "'-"],
    ['a=b', 'a=b'],
  ];
  for (const [input, expected] of cases) assert.equal(csvCell(input), expected, JSON.stringify(input));
});

test('files: a byte-order mark, CRLF after every row, header first', () => {
  const text = toCsv([
    ['a', 'b'],
    ['1', 'x,y'],
  ]);
  assert.ok(text.startsWith(BOM));
  assert.equal(text, '\uFEFFa,b\r\n1,"x,y"\r\n');
  assert.equal(Buffer.from(text, 'utf8').subarray(0, 3).toString('hex'), 'efbbbf');
});

test('small numbers: counts 1-5; rates with numerator 1-5 or denominator 1-10', () => {
  assert.deepEqual([0, 1, 5, 6, -3, -6, null].map(smallCount), [false, true, true, false, true, false, false]);
  const rates = [
    [[0, 11], false],
    [[0, 10], true],
    [[1, 100], true],
    [[5, 100], true],
    [[6, 11], false],
    [[6, 10], true],
    [[0, 0], false],
  ];
  for (const [[num, den], expected] of rates) assert.equal(smallRate(num, den), expected, `${num} of ${den}`);
});

const A3 = { id: 'A3', group: 'Adoption scorecard', window: '2015-16', unit: '%', value: 71.4, count: 5, n: 7, small_cohort: true, status: 'no target' };
const A1 = { id: 'A1', group: 'Adoption scorecard', window: '2015-16', unit: 'days', value: 414, n: 5, threshold: 426, gap: -12, status: 'met' };
const BIG_A1 = { ...A1, value: 500, n: 40, gap: 74, status: 'not met' };

test('suppression: each kind of figure', () => {
  // A3, 5 of 7: the rate, its numerator and (a count of 1-5? no: 7) n.
  assert.deepEqual(suppression(A3), { value: true, numerator: true, n: false, percent: false, unknown: false });
  // 12 of 20: shown.
  assert.deepEqual(suppression({ ...A3, value: 60, count: 12, n: 20, small_cohort: false }).value, false);
  // 0 of 20 is shown (0 is not a small number); 0 of 8 is not (denominator 1-10).
  assert.equal(suppression({ ...A3, value: 0, count: 0, n: 20, small_cohort: false }).value, false);
  assert.equal(suppression({ ...A3, value: 0, count: 0, n: 8, small_cohort: false }).value, true);
  // The engine's own flag hides a rate even if count and n were to say otherwise.
  assert.equal(suppression({ ...A3, value: 60, count: 12, n: 20, small_cohort: true }).value, true);
  // A mean of 5 children: hidden with its n; of 40: shown.
  assert.deepEqual(suppression(A1), { value: true, numerator: false, n: true, percent: false, unknown: false });
  assert.equal(suppression(BIG_A1).value, false);
  // A count of 2 and its share; a count of 30 of 300 (10.0%) shown; 6 of 6 (100%): share hidden.
  const count = { id: 'A4', unit: 'count', value: 2, n: 2, count: 2, percent: 40 };
  assert.deepEqual(suppression(count), { value: true, numerator: true, n: true, percent: true, unknown: false });
  assert.deepEqual(suppression({ ...count, value: 30, n: 30, count: 30, percent: 10 }), { value: false, numerator: false, n: false, percent: false, unknown: false });
  assert.equal(suppression({ ...count, value: 6, n: 6, count: 6, percent: 100 }).percent, true);
  // A zero count is shown; its share cannot be told from a denominator, so it is hidden.
  assert.deepEqual(suppression({ ...count, value: 0, n: 0, count: 0, percent: 0 }), { value: false, numerator: false, n: false, percent: true, unknown: false });
  // Unknown: 1-5 hidden.
  assert.equal(suppression({ ...BIG_A1, unknown: 3 }).unknown, true);
  assert.equal(suppression({ ...BIG_A1, unknown: 0 }).unknown, false);
  // A ratio is a rate: children 2 / households 3.
  assert.equal(suppression({ id: 'fostering-children-per-household', unit: 'ratio', value: 0.67, count: 2, n: 3 }).value, true);
});

test('suppression: a net change is hidden when the approvals or deregistrations are', () => {
  const at = { window: '2015-16', la: null, unit: 'count' };
  const all = [
    { ...at, id: 'fostering-new-approvals', value: 12 },
    { ...at, id: 'fostering-deregistrations', value: 3 },
    { ...at, id: 'fostering-net-change', value: 9 },
    { ...at, id: 'fostering-new-approvals-mainstream', value: 12 },
    { ...at, id: 'fostering-deregistrations-mainstream', value: 0 },
    { ...at, id: 'fostering-net-change-mainstream', value: 12 },
  ];
  assert.equal(suppression(all[2], all).value, true);
  assert.equal(suppression(all[5], all).value, false);
});

test('rows: the publication row shows c for what is hidden, and the gap and status with the value', () => {
  const full = summaryRow(A1);
  const published = summaryRow(A1, { publication: true });
  assert.equal(full[col('Value')], '414');
  assert.equal(full[col('Gap')], '-12');
  assert.equal(full[col('Status')], 'met');
  assert.equal(full[col('Threshold or target')], '426');
  assert.equal(full[col('Met when the value is')], 'at most');
  for (const name of ['Value', 'n', 'Gap', 'Status']) assert.equal(published[col(name)], 'c', name);
  // The threshold is public: it stays.
  assert.equal(published[col('Threshold or target')], '426');
  const a3 = summaryRow(A3, { publication: true });
  assert.equal(a3[col('Value')], 'c');
  assert.equal(a3[col('Numerator')], 'c');
  assert.equal(a3[col('n')], '7');
  assert.equal(summaryRow(A3)[col('Value')], '71.4');
  assert.equal(summaryRow({ ...A3, value: 100, count: 20, n: 20, small_cohort: false })[col('Value')], '100.0');
  assert.equal(summaryRow(BIG_A1, { publication: true })[col('Value')], '500');
});

test('rows: no child identifiers in the figures, in full or for publication', () => {
  const withChildren = { ...BIG_A1, children: [{ child: 'CHILD-SECRET-1', days: 3 }], excluded: [{ child: 'CHILD-SECRET-2', code: 'x' }] };
  for (const publication of [false, true]) {
    const text = toCsv(summaryRows([withChildren], { publication }));
    assert.ok(!text.includes('CHILD-SECRET'), text);
  }
  // The officer's own table of children left out does name them.
  assert.match(toCsv(excludedRows({ excluded: [{ child: 'C4', indicators: ['A2'], code: 'no-placement-order', reason: 'r', date: '2015-12-01' }] })), /C4,A2,no-placement-order,r,01\/12\/2015/);
});

test('problems: numbered by position in the whole list, or by index in a report that carries some', () => {
  const d = (code, row, extra = {}) => ({ code, severity: 'error', file: 'e.csv', row, message: `e.csv, row ${row}: x`, ...extra });
  // The whole list: problems 1 to 3; the quality groups' rows by position.
  const whole = {
    diagnostics: [d('a', 2), d('b', 3), d('a', 4)],
    quality: [
      { title: 'A', indicators: ['A1'], count: 2, diagnostics: [0, 2] },
      { title: 'B', indicators: [], count: 1, diagnostics: [1] },
    ],
  };
  assert.deepEqual(
    diagnosticRows(whole).slice(1).map((row) => [row[0], row[6]]),
    [
      [1, 2],
      [2, 3],
      [3, 4],
    ],
  );
  assert.deepEqual(
    qualityRows(whole).slice(1).map((row) => [row[0], row[2], row[3], row[9]]),
    [
      ['A', 2, 1, 2],
      ['A', 2, 3, 4],
      ['B', 1, 2, 3],
    ],
  );
  // Carrying problems 1 and 3 only (first 1, 1 per group): rows 2 and 4 keep their numbers.
  const some = {
    diagnostics: [d('a', 2, { index: 0 }), d('b', 3, { index: 1 })],
    diagnostics_total: 3,
    quality: [
      { title: 'A', indicators: ['A1'], count: 2, diagnostics: [0] },
      { title: 'B', indicators: [], count: 1, diagnostics: [1] },
    ],
  };
  assert.deepEqual(diagnosticRows(some).slice(1).map((row) => row[0]), [1, 2]);
  assert.deepEqual(qualityRows(some).slice(1).map((row) => [row[0], row[3]]), [
    ['A', 1],
    ['B', 2],
  ]);
});

// The worked example through the real engine, when the native CLI is built (cargo build or
// cargo test build it; CARE_SCORECARD_CLI names another).
const CLI = [
  process.env.CARE_SCORECARD_CLI,
  ...['release', 'debug'].map((profile) => fileURLToPath(new URL(`../../target/${profile}/care-scorecard`, import.meta.url))),
].find((path) => path && existsSync(path));
test('the worked example: the hand numbers in the full CSV, c in the publication CSV', { skip: !CLI && 'the CLI is not built' }, () => {
  const dir = fileURLToPath(new URL('../fixtures/worked-example', import.meta.url));
  const report = JSON.parse(execFileSync(CLI, ['report', '--json', dir], { encoding: 'utf8' }));
  const find = (id) => report.indicators.find((ind) => ind.id === id && ind.window === '2015-16');
  assert.equal(summaryRow(find('A1'))[col('Value')], '414');
  assert.equal(summaryRow(find('A2'))[col('Gap')], '104');
  assert.equal(summaryRow(find('A3'))[col('Value')], '71.4');
  const published = toCsv(summaryRows(report.indicators, { publication: true }));
  const children = readFileSync(`${dir}/header.csv`, 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .filter(Boolean)
    .map((line) => line.split(',')[0]);
  for (const child of children) assert.ok(!new RegExp(`(^|,)${child}(,|\\r)`, 'm').test(published), child);
});

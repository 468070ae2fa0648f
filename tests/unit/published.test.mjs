// Reading published figures (www/published.js) under Node: the tables of real council reports
// (/work/shared/seeds, copied here as the text a user would paste), errors that name the row,
// column and value, the thresholds in force for each period, and the share link's contents.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { assess, decodeShare, encodeShare, figuresFromReport, parseCounts, parsePeriod, parseScorecard, thresholdRow } from '../../www/published.js';

/** The engine's targets() rows (data/targets.toml), as the worker sends them. */
export const TARGETS = [
  ['2008-11', 639, 213, 21],
  ['2009-12', 639, 213, 21],
  ['2010-13', 608, 182, 20],
  ['2011-14', 547, 152, 18],
  ['2012-15', 487, 121, 16],
  ['2013-16', 426, 121, 14],
].map(([window, a1_days, a2_days, a3_months]) => ({ window, a1_days, a2_days, a3_months }));

/** Coventry, Adoption Service Annual Report 2015/16 (seed 002), as pasted: tabs. */
const COVENTRY_2016 = fixture('coventry-2016.tsv');
/** Coventry, Adoption Score Card Report, April 2015 (seed 001). */
const COVENTRY_2015 = fixture('coventry-2015.tsv');

function fixture(name) {
  return readFileSync(new URL(`../fixtures/published/${name}`, import.meta.url), 'utf8');
}

const get = (figures, id, window) => figures.find((f) => f.id === id && f.window === window);

describe('parsePeriod', () => {
  test('1-year and 3-year periods however councils write them', () => {
    assert.deepEqual(parsePeriod('2013-16'), { window: '2013-16', kind: '3-year', end: 2016, ytd: false });
    assert.equal(parsePeriod('2010/13').window, '2010-13');
    assert.equal(parsePeriod('2013/ 14').window, '2013-14');
    assert.equal(parsePeriod('2015-2016').kind, '1-year');
    assert.equal(parsePeriod('2013 to 2016').kind, '3-year');
    assert.equal(parsePeriod('2014/15 YTD').ytd, true);
    assert.equal(parsePeriod('1999-00').window, '1999-00');
  });
  test('other spans are errors; text without a period is not one', () => {
    assert.deepEqual(parsePeriod('2012/14'), { error: 'spans 2 years' });
    assert.equal(parsePeriod('All England Average'), null);
  });
});

describe('the Coventry 2015/16 table (seed 002)', () => {
  const { figures, errors, notes } = parseScorecard(COVENTRY_2016);
  test('is read without errors', () => assert.deepEqual(errors, []));
  test('1-year and 3-year columns, with the second “2015/16” read as the 3-year 2013-16', () => {
    assert.equal(get(figures, 'A1', '2012-13').value, 821);
    assert.equal(get(figures, 'A1', '2015-16').value, 595);
    assert.equal(get(figures, 'A1', '2010-13').value, 884);
    assert.equal(get(figures, 'A1', '2013-16').value, 587);
    assert.equal(get(figures, 'A2', '2013-16').value, 189);
    assert.ok(notes.some((n) => /Column J .* read as the 3-year period 2013-16/.test(n)));
  });
  test('England and statistical neighbours go with the latest 3-year period; the DfE target column is not used', () => {
    assert.equal(get(figures, 'A1', '2013-16').england, 593);
    assert.equal(get(figures, 'A1', '2013-16').neighbours, 586);
    assert.equal(get(figures, 'A3', '2013-16').england, 47);
    assert.equal(get(figures, 'A1', '2015-16').england, null);
    assert.ok(notes.some((n) => /Column E \(“DFE Target”\) is not used/.test(n)));
  });
  test('A3: numbers of children in its row, percentages in the row under it', () => {
    assert.deepEqual([get(figures, 'A3', '2014-15').count, get(figures, 'A3', '2014-15').value], [161, 59]);
    assert.equal(get(figures, 'A3', '2012-15').value, 50.6);
  });
  test('against the thresholds: every period not met, A3 with no target', () => {
    const results = assess(figures, TARGETS);
    const status = (id, w) => results.find((r) => r.id === id && r.window === w).status;
    // A1 2012-13 (1 year) uses the 2010-13 threshold: 821 > 608. A2 2015-16: 234 > 121.
    assert.equal(results.find((r) => r.id === 'A1' && r.window === '2012-13').threshold, 608);
    for (const r of results.filter((x) => x.id !== 'A3')) assert.equal(r.status, 'not met', `${r.id} ${r.window}`);
    assert.equal(status('A3', '2013-16'), 'no target');
  });
});

describe('the Coventry April 2015 table (seed 001)', () => {
  const { figures, errors, notes } = parseScorecard(COVENTRY_2015);
  test('is read without errors', () => assert.deepEqual(errors, []));
  test('figures marked with West Midlands or neighbour figures keep the council’s own, with a note', () => {
    assert.equal(get(figures, 'A1', '2014-15').value, 529);
    assert.equal(get(figures, 'A1', '2014-15').ytd, true);
    assert.equal(get(figures, 'A1', '2011-14').value, 733);
    assert.ok(notes.includes('Row 3, column D: “529 *564” is read as 529; “*564” after it is left out.'));
  });
  test('A3 as “number (percentage)”', () => {
    assert.deepEqual([get(figures, 'A3', '2011-14').count, get(figures, 'A3', '2011-14').value], [100, 43]);
    assert.equal(get(figures, 'A3', '2012-15').england, 51);
  });
});

describe('a table typed with periods down the side', () => {
  // Worked out by hand from targets.md: 2011-14 A1 547, A2 152; 2012-15 A1 487, A2 121;
  // 2013-16 and the 1-year 2015-16 A1 426, A2 121.
  const text = fixture('hand.txt');
  const { figures, errors } = parseScorecard(text);
  const results = assess(figures, TARGETS);
  const status = (id, w) => results.find((r) => r.id === id && r.window === w).status;
  test('is read, with spaces between the columns', () => {
    assert.deepEqual(errors, []);
    assert.equal(figures.length, 10);
  });
  test('met at or below the threshold, not met above it', () => {
    assert.deepEqual(
      ['2011-14', '2012-15', '2013-16', '2015-16'].map((w) => [status('A1', w), status('A2', w)]),
      [
        ['met', 'not met'],
        ['met', 'met'],
        ['not met', 'met'],
        ['met', 'not met'],
      ],
    );
    assert.equal(results.find((r) => r.id === 'A2' && r.window === '2015-16').gap, 1);
  });
});

describe('errors name the row, the column and the value, and say how to fix it', () => {
  test('a figure that is not a number', () => {
    const { errors } = parseScorecard('\t2013-16\t2014-15\nA1\t587\tabout 600');
    assert.equal(errors.length, 1);
    assert.deepEqual([errors[0].row, errors[0].column, errors[0].value], [2, 'C', 'about 600']);
    assert.equal(errors[0].message, 'Row 2, column C (“2014-15”): A1 “about 600” is not a number. Enter a whole number of days, like 426, or leave the cell empty');
  });
  test('a period of two years', () => {
    const { errors } = parseScorecard('\t2012/14\t2013-16\nA1\t600\t587');
    assert.equal(errors[0].message, 'Row 1, column B: “2012/14” spans 2 years, not 1 or 3. Write a period of one year like 2015-16, or of three years like 2013-16');
  });
  test('a percentage over 100', () => {
    const { errors } = parseScorecard('\t2013-16\nA3\t140%');
    assert.match(errors[0].message, /^Row 2, column B \(“2013-16”\): A3 “140%” is more than 100%\. Enter a percentage/);
  });
  test('a row that is not a period, down the side', () => {
    const { errors } = parseScorecard('Period\tA1\n2013-16\t587\nlast year\t600');
    assert.equal(errors[0].message, 'Row 3, column A: “last year” is not a period of one or three years. Write it like 2015-16 (one year) or 2013-16 (three years)');
  });
  test('no periods at all', () => {
    const { errors } = parseScorecard('A1 is 587 days');
    assert.match(errors[0].message, /^No periods found/);
  });
});

describe('fostering and adopter counts (seed 002)', () => {
  test('the fostering recruitment table: enquiries, assessments started, households approved', () => {
    const text = [
      'Recruitment/Assessment Mainstream Carers\t2013/14\t2014/15\t2015/16',
      'Number of Initial enquires\t224\t290\t312',
      'Assessments started at stage 1\t64\t69\t112',
      'Assessments commencing to stage 2\tNK\t22\t39',
      'Number of households approved (excluding family and friends)\t18\t27\t20',
      'Conversion Rate - Enquiry to Application (assessments started)\t29%\t24%\t36%',
      'Conversion rate Application (assessments started) to Approval\t28%\t39%\t18%',
    ].join('\n');
    const { years, errors } = parseCounts(text);
    assert.deepEqual(errors, []);
    assert.deepEqual(years, [
      { window: '2013-14', enquiries: 224, applications: 64, approvals: 18 },
      { window: '2014-15', enquiries: 290, applications: 69, approvals: 27 },
      { window: '2015-16', enquiries: 312, applications: 112, approvals: 20 },
    ]);
  });
  test('the adoption performance table', () => {
    const text = '\t2012/13\t2013/14\t2014/15\t2015/16\nNumber of enquiries\t163\t128\t136\t161\nAdopter applications received\t40\t49\t37\t35\nAdopters approved\t28\t47\t38\t20\nNumber of children adopted\t40\t52\t70\t54';
    const { years } = parseCounts(text);
    assert.deepEqual(years[3], { window: '2015-16', enquiries: 161, applications: 35, approvals: 20 });
  });
  test('a 3-year period is an error for counts', () => {
    const { errors } = parseCounts('\t2013-16\nEnquiries\t500');
    assert.match(errors[0].message, /^Row 2, column B: counts are by year, but “2013-16” is a 3-year period/);
  });
});

test('thresholds: a 1-year window takes the 3-year window ending the same year; later years the last', () => {
  assert.equal(thresholdRow('2014-15', TARGETS).window, '2012-15');
  assert.equal(thresholdRow('2013-16', TARGETS).window, '2013-16');
  assert.equal(thresholdRow('2019-20', TARGETS).a1_days, 426);
  assert.equal(thresholdRow('2006-07', TARGETS), null);
  const [r] = assess([{ id: 'A1', window: '2006-07', kind: '1-year', value: 500 }], TARGETS);
  assert.equal(r.status, 'no threshold');
});

describe('share links', () => {
  test('round-trip the figures', () => {
    const { figures } = parseScorecard(COVENTRY_2016);
    const fostering = [{ window: '2015-16', enquiries: 312, applications: 112, approvals: 20 }];
    const back = decodeShare(`#${encodeShare({ scorecard: figures, fostering })}`);
    assert.deepEqual(
      back.scorecard.map(({ ytd, ...f }) => f).sort((a, b) => (a.id + a.window).localeCompare(b.id + b.window)),
      figures.map(({ ytd, ...f }) => f).sort((a, b) => (a.id + a.window).localeCompare(b.id + b.window)),
    );
    assert.deepEqual(back.fostering, fostering);
  });
  test('carry nothing but known ids, periods and numbers', () => {
    const evil = Buffer.from(JSON.stringify({ v: 1, s: { A1: [['2015-16', 400]], C123: [['2015-16', 1]], A2: [['C123', 5], ['2015-16', 'C123']] }, fo: [['2015-16', 1, 2, 3, 'x']], child: 'C123' })).toString('base64url');
    const back = decodeShare(`#figures=1.${evil}`);
    assert.deepEqual(back.scorecard.map((f) => [f.id, f.window, f.value]), [['A1', '2015-16', 400]]);
    assert.equal(JSON.stringify(back).includes('C123'), false);
    assert.equal(decodeShare('#figures=1.not json'), null);
    assert.equal(decodeShare('#figures=1.bm90IGpzb24'), null);
  });
  test('a report gives only values by indicator and period', () => {
    const report = {
      indicators: [
        { id: 'A1', window: '2015-16', window_kind: '1-year', value: 414, england: null, children: [{ child: 'C1', days: 320 }] },
        { id: 'A1', window: '12 months to 30/09/2016', window_kind: 'rolling-12-months', value: 400 },
        { id: 'fostering-enquiries', window: '2015-16', window_kind: '1-year', value: 2, children: [{ child: 'H1' }] },
      ],
    };
    const f = figuresFromReport(report);
    assert.deepEqual(f.scorecard, [{ id: 'A1', window: '2015-16', kind: '1-year', value: 414, count: null, england: null, neighbours: null }]);
    assert.deepEqual(f.fostering, [{ window: '2015-16', enquiries: 2, applications: null, approvals: null }]);
    assert.equal(/C1|H1/.test(JSON.stringify(decodeShare(encodeShare(f)))), false);
  });
});

test('a row of periods with no cell over the labels: the figures keep their own columns', () => {
  const { figures, errors } = parseScorecard('2013-16\t2014-15\nA1\t587\tabout 600');
  assert.equal(get(figures, 'A1', '2013-16').value, 587);
  assert.equal(errors[0].message, 'Row 2, column C (“2014-15”): A1 “about 600” is not a number. Enter a whole number of days, like 426, or leave the cell empty');
});

// Downloads and printing (www/export.js, www/export.css): each export is downloaded as a user
// would get it, parsed, and checked against the worked example's hand numbers
// (shared/spec/worked-example.md); the publication CSV must name no child of the fixture.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FIXTURES, setUp, summaryRow, upload, WORKED_EXAMPLE } from './helpers.mjs';

let env;
before(async () => {
  env = await setUp();
});
after(async () => {
  await env?.close();
});

/** RFC 4180: rows of cells, quotes undone. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      [row, cell] = [[], ''];
      i += 1;
    } else cell += ch;
  }
  assert.equal(cell, '', 'the file ends with CRLF');
  assert.deepEqual(row, []);
  return rows;
}

/** Clicks the control and returns the download: { name, bytes, text }. */
async function download(page, locator) {
  const [file] = await Promise.all([page.waitForEvent('download'), locator.click()]);
  const bytes = readFileSync(await file.path());
  return { name: file.suggestedFilename(), bytes, text: bytes.toString('utf8') };
}

/** A CSV download as objects keyed by the header. */
async function downloadCsv(page, locator) {
  const file = await download(page, locator);
  assert.equal(file.bytes.subarray(0, 3).toString('hex'), 'efbbbf', `${file.name} starts with the UTF-8 byte-order mark`);
  const [head, ...rows] = parseCsv(file.text.slice(1));
  for (const row of rows) assert.equal(row.length, head.length, `${file.name}: every row has every column`);
  return { ...file, head, rows: rows.map((row) => Object.fromEntries(head.map((name, i) => [name, row[i]]))) };
}

const CHILDREN = readFileSync(join(FIXTURES, 'worked-example/header.csv'), 'utf8')
  .split(/\r?\n/)
  .slice(1)
  .filter(Boolean)
  .map((line) => line.split(',')[0]);

const find = (rows, id, window = '2015-16') => rows.find((r) => r.Indicator === id && r.Period === window && !r['Local authority']);

test('the figures CSV has the worked example\'s hand numbers, with window, n, threshold, gap, status and England', async () => {
  const page = await env.newPage();
  await upload(page, WORKED_EXAMPLE);
  const csv = await downloadCsv(page, page.getByTestId('export-summary'));
  assert.equal(csv.name, 'care-scorecard-figures.csv');
  for (const name of ['Period', 'Value', 'n', 'Threshold or target', 'Gap', 'Status', 'England']) assert.ok(csv.head.includes(name), name);
  const a1 = find(csv.rows, 'A1');
  assert.deepEqual(
    [a1.Section, a1.Value, a1.n, a1['Threshold or target'], a1.Gap, a1['Gap unit'], a1.Status, a1.From, a1.To],
    ['Adoption scorecard', '414', '5', '426', '-12', 'days', 'met', '01/04/2015', '31/03/2016'],
  );
  assert.equal(find(csv.rows, 'A10').Value, '329');
  const a2 = find(csv.rows, 'A2');
  assert.deepEqual([a2.Value, a2.n, a2.Gap, a2.Status], ['225', '4', '104', 'not met']);
  const a3 = find(csv.rows, 'A3');
  assert.deepEqual([a3.Value, a3.Numerator, a3.n, a3['Wait or time limit (days)'], a3['Small number']], ['71.4', '5', '7', '426', 'yes']);
  const a4 = find(csv.rows, 'A4');
  assert.deepEqual([a4.Value, a4['Share of total (%)']], ['5', '100.0']);
  assert.deepEqual([find(csv.rows, 'A9').Value, find(csv.rows, 'A14').Value], ['2', '1']);
  // The 3-year window gives the same (every adoption falls in 2015-16).
  assert.equal(find(csv.rows, 'A1', '2013-16').Value, '414');
  // Every figure the engine gave, one row each; the page's rows are among them.
  const report = await page.evaluate(async () => {
    const shown = [...document.querySelectorAll('[data-testid="summary-row"]')].length;
    return { shown };
  });
  assert.ok(csv.rows.length >= report.shown);
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

test('the publication CSV hides small numbers as c and names no child', async () => {
  const page = await env.newPage();
  await upload(page, WORKED_EXAMPLE);
  const csv = await downloadCsv(page, page.getByTestId('export-publication'));
  assert.equal(csv.name, 'care-scorecard-figures-for-publication.csv');
  // A1 of 5 children, A2 of 4: mean, n, gap and status hidden; the threshold is public.
  const a1 = find(csv.rows, 'A1');
  assert.deepEqual([a1.Value, a1.n, a1.Gap, a1.Status, a1['Threshold or target']], ['c', 'c', 'c', 'c', '426']);
  assert.deepEqual([find(csv.rows, 'A2').Value, find(csv.rows, 'A2').n], ['c', 'c']);
  // A3, 5 of 7: the percentage and its numerator; 7 is not a small count.
  const a3 = find(csv.rows, 'A3');
  assert.deepEqual([a3.Value, a3.Numerator, a3.n], ['c', 'c', '7']);
  // A4: 5 adoptions, 100.0% of 5 leavers.
  assert.deepEqual([find(csv.rows, 'A4').Value, find(csv.rows, 'A4')['Share of total (%)']], ['c', 'c']);
  // Zero is shown.
  assert.equal(find(csv.rows, 'A5').Value, '0');
  // No child of the fixture anywhere, and no row for a child.
  for (const child of CHILDREN) {
    assert.ok(!new RegExp(`\\b${child}\\b`).test(csv.text), `${child} is not in the publication CSV`);
  }
  assert.ok(csv.rows.every((row) => row.Indicator && row.Section), 'every row is a figure');
  await page.context().close();
});

test('the JSON report, the section, drill-down and children-left-out tables download as shown on the page', async () => {
  const page = await env.newPage();
  await upload(page, WORKED_EXAMPLE);

  const json = await download(page, page.getByTestId('export-json'));
  assert.equal(json.name, 'care-scorecard-report.json');
  const report = JSON.parse(json.text);
  const a1 = report.indicators.find((ind) => ind.id === 'A1' && ind.window === '2015-16' && !ind.la);
  assert.equal(a1.value, 414);
  assert.equal(report.counts.files, 4);
  // Written by the engine as the CLI writes --json --children: every figure's rows, with the
  // engine's own number format (a median of 320 days is 320.0). The children in the order they
  // moved in with their adopters (C5 on 1 December 2014, C4 last, on 1 April 2015).
  assert.deepEqual(
    a1.children.map((row) => row.child),
    ['C5', 'C1', 'C2', 'C3', 'C4'],
  );
  assert.match(json.text, /^\{\n {2}"engine": \{\n/);
  assert.match(json.text, /\n {6}"median": \d+\.\d,?\n/);
  assert.ok(json.text.endsWith('}\n'));

  // The scorecard's own table: the rows it shows (every scorecard period).
  const scorecard = page.locator('[data-group="Adoption scorecard"]');
  const section = await downloadCsv(page, scorecard.getByTestId('export-table'));
  assert.equal(section.name, 'care-scorecard-adoption-scorecard.csv');
  assert.equal(section.rows.length, await scorecard.getByTestId('summary-row').count());
  assert.equal(find(section.rows, 'A2').Value, '225');

  // Children left out: C4, from A2, no placement order.
  const excluded = await downloadCsv(page, page.locator('[data-export="excluded-table"]'));
  assert.deepEqual(excluded.head, ['Child', 'Indicators', 'Code', 'Reason', 'Date']);
  const c4 = excluded.rows.find((row) => row.Child === 'C4');
  assert.ok(c4, 'C4 is listed');
  assert.match(c4.Indicators, /A2/);

  // A drill-down: the five children behind A1 2015-16 and their days.
  await summaryRow(page, 'A1', '2015-16').getByTestId('drilldown-button').click();
  const drill = page.getByTestId('drilldown');
  await drill.waitFor();
  const children = await downloadCsv(page, drill.locator('[data-export="drilldown-children"]'));
  assert.equal(children.name, 'care-scorecard-a1-2015-16.csv');
  assert.deepEqual(
    children.rows.map((row) => `${row.Child} ${row.Days}`).sort(),
    ['C1 320', 'C2 424', 'C3 323', 'C4 304', 'C5 699'],
  );
  // Rows read from each file.
  await page.locator('[data-testid="files-details"] summary').click();
  const files = await downloadCsv(page, page.locator('[data-export="files-table"]'));
  assert.deepEqual(files.rows.map((row) => row.File).sort(), ['ad1.csv', 'episodes.csv', 'header.csv', 'placed_adoption.csv']);
  // The DfE thresholds, from the options.
  await page.locator('#options-details summary').click();
  const thresholds = await downloadCsv(page, page.locator('[data-export="targets-table"]'));
  assert.ok(thresholds.rows.some((row) => row.Period === '2013-16' && row.A1.startsWith('426 days')));
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

test('problems and data quality download with every row; a formula in a cell is defused', async () => {
  const page = await env.newPage();
  const episodes = readFileSync(join(FIXTURES, 'worked-example/episodes.csv'), 'utf8').replace(
    'C1,01/04/2014,S',
    'C1,"=HYPERLINK(""http://example.org"",""x"")",S',
  );
  // Playwright takes paths or buffers, not both: all as buffers.
  const asFile = (path, name = path.split('/').pop()) => ({ name, mimeType: 'text/csv', buffer: readFileSync(path) });
  await page.getByTestId('file-input').setInputFiles([
    ...WORKED_EXAMPLE.filter((path) => !path.endsWith('episodes.csv')).map((path) => asFile(path)),
    { name: 'episodes.csv', mimeType: 'text/csv', buffer: Buffer.from(episodes) },
    asFile(join(FIXTURES, 'bad-date/episodes.csv'), 'bad-episodes.csv'),
  ]);
  await page.getByTestId('error-summary').waitFor();

  const problems = await downloadCsv(page, page.locator('[data-export="diagnostics-table"]'));
  assert.equal(problems.rows.length, await page.locator('[data-testid="diagnostics-table"] tbody tr').count());
  const formula = problems.rows.find((row) => row.Column === 'DECOM' && row.Value.includes('HYPERLINK'));
  assert.ok(formula, 'the bad DECOM is listed');
  assert.equal(formula.Value, '\'=HYPERLINK("http://example.org","x")', 'the formula starts with an apostrophe');
  assert.ok(formula.Message.length > 0);
  const badDate = problems.rows.find((row) => row.Value === '31/02/2023');
  assert.deepEqual([badDate.Severity, badDate.Row, badDate.Column], ['error', '22', 'DECOM']);

  const quality = await downloadCsv(page, page.getByTestId('export-quality'));
  assert.equal(quality.name, 'care-scorecard-data-quality.csv');
  const counted = await page.getByTestId('quality-group').evaluateAll((groups) => groups.reduce((sum, g) => sum + Number(g.dataset.count), 0));
  assert.equal(quality.rows.length, counted, 'one row per row of every check');
  assert.ok(quality.rows.some((row) => row.Value === '31/02/2023' && row.Check.length > 0));
  // The raw text never holds a cell starting with = outside quotes and an apostrophe.
  assert.ok(!/(^|,)=/m.test(problems.text.slice(1)));
  await page.context().close();
});

test('issue 6: 3,200 problems: the page shows 2,000 and 500 a check, with the true totals; the downloads have all 3,200', async () => {
  const page = await env.newPage();
  // Rows 2-2501: impossible dates (problems 1-2500); rows 2502-3201: two-digit years (2501-3200).
  const lines = ['CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN'];
  for (let i = 0; i < 2500; i += 1) lines.push(`B${i},31/02/2015,S,C2,N1,U6,PR1,,,,,,`);
  for (let i = 0; i < 700; i += 1) lines.push(`Y${i},01/04/15,S,C2,N1,U6,PR1,,,,,,`);
  await page.getByTestId('file-input').setInputFiles([{ name: 'episodes.csv', mimeType: 'text/csv', buffer: Buffer.from(`${lines.join('\n')}\n`) }]);
  await page.getByTestId('error-summary').waitFor();

  // The table of problems and the error summary count every problem. Past its first rows, the
  // table fills in later tasks.
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="diagnostics-table"] tbody tr').length === 2000);
  assert.match(await page.locator('#diagnostics').innerText(), /The first 2000 of 3200 problems are shown\./);
  assert.equal(await page.getByTestId('error-link').count(), 20);
  assert.match(await page.getByTestId('error-summary').innerText(), /3180 more problems are listed in the table of problems/);
  assert.match(await page.locator('#status').innerText(), /3,?200 problems to fix/);

  // Each check counts all its rows, lists its first 500, and links them to the table of problems.
  const group = (code) => page.locator(`[data-testid="quality-group"][data-code="${code}"]`);
  const rowsOf = async (code) => {
    await group(code).locator('summary').click();
    const rows = group(code).getByTestId('quality-rows').locator('tbody tr');
    await rows.first().waitFor();
    return rows;
  };
  assert.equal(await group('date-impossible').getAttribute('data-count'), '2500');
  const impossible = await rowsOf('date-impossible');
  assert.equal(await impossible.count(), 500);
  assert.match(await group('date-impossible').innerText(), /The first 500 of 2500 rows are shown\./);
  assert.equal(await impossible.nth(499).getAttribute('data-row'), '501');
  const jump = impossible.nth(499).getByTestId('quality-jump');
  assert.equal(await jump.getAttribute('href'), '#diagnostic-500');
  // The long table is laid out only near the screen: following the link brings it there.
  await jump.click();
  await page.waitForFunction(() => document.activeElement?.id === 'diagnostic-500');
  assert.equal(await page.locator('#diagnostic-500 td').nth(2).innerText(), '501');
  assert.equal(await group('date-two-digit-year').getAttribute('data-count'), '700');
  const twoDigit = await rowsOf('date-two-digit-year');
  assert.equal(await twoDigit.count(), 500);
  assert.equal(await twoDigit.first().getAttribute('data-row'), '2502');
  assert.equal(await twoDigit.first().getByTestId('quality-jump').count(), 0, 'problem 2501 is not in the table of problems');
  assert.match(await group('date-two-digit-year').innerText(), /The first 500 of 700 rows are shown\./);

  // The downloads fetch the whole list from the worker.
  const problems = await downloadCsv(page, page.locator('[data-export="diagnostics-table"]'));
  assert.equal(problems.rows.length, 3200);
  assert.deepEqual(
    [problems.rows[0].Problem, problems.rows[0].Row, problems.rows[3199].Problem, problems.rows[3199].Row, problems.rows[3199].Code],
    ['1', '2', '3200', '3201', 'date-two-digit-year'],
  );
  const quality = await downloadCsv(page, page.getByTestId('export-quality'));
  assert.equal(quality.rows.length, 3200);
  const first = quality.rows.find((row) => row.Code === 'date-two-digit-year');
  assert.deepEqual([first.Problem, first.Row, first['Rows in the check']], ['2501', '2502', '700']);
  const json = JSON.parse((await download(page, page.getByTestId('export-json'))).text);
  assert.equal(json.diagnostics.length, 3200);
  assert.equal(json.diagnostics_total, undefined);
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

test('Print report prints; in print the buttons, fields and choices are gone and table headers repeat', async () => {
  const page = await env.newPage();
  await upload(page, WORKED_EXAMPLE);
  await summaryRow(page, 'A1', '2015-16').getByTestId('drilldown-button').click();
  await page.getByTestId('drilldown').waitFor();
  await page.evaluate(() => {
    window.printed = 0;
    window.print = () => {
      window.printed += 1;
    };
  });
  await page.getByTestId('export-print').click();
  assert.equal(await page.evaluate(() => window.printed), 1);

  await page.emulateMedia({ media: 'print' });
  for (const selector of ['button', 'input', 'select', '#drop-zone', '#options-details', '[data-testid="export-all"]', '[data-testid="view-controls"]']) {
    const visible = await page.locator(selector).evaluateAll((els) => els.filter((el) => el.checkVisibility()).length);
    assert.equal(visible, 0, `${selector} is not printed`);
  }
  const styles = await page.locator('[data-testid="summary-table"]').first().evaluate((table) => ({
    head: getComputedStyle(table.tHead).display,
    row: getComputedStyle(table.tBodies[0].rows[0]).breakInside,
    overflow: getComputedStyle(table.parentElement).overflowX,
  }));
  assert.deepEqual(styles, { head: 'table-header-group', row: 'avoid', overflow: 'visible' });
  // The figures and the drill-down's children still print.
  assert.ok(await page.locator('tr[data-id="A1"][data-window="2015-16"]').isVisible());
  assert.ok(await page.getByTestId('drilldown-children').isVisible());
  // A PDF of the page, on A4, comes out (headless Chromium prints to PDF).
  const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
  assert.ok(pdf.subarray(0, 4).toString() === '%PDF');
  await page.context().close();
});

test('keyboard only: Tab reaches the downloads, Enter and Space work them; an error takes focus to the summary', async () => {
  const page = await env.newPage();
  await upload(page, WORKED_EXAMPLE);
  const target = page.getByTestId('export-summary');
  await page.locator('#options-details summary').focus();
  let reached = false;
  for (let i = 0; i < 40 && !reached; i += 1) {
    await page.keyboard.press('Tab');
    reached = await target.evaluate((el) => el === document.activeElement);
  }
  assert.ok(reached, 'Tab reaches "Download the figures (CSV)"');
  const [byEnter] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  assert.equal(byEnter.suggestedFilename(), 'care-scorecard-figures.csv');
  await page.keyboard.press('Tab');
  const [bySpace] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Space')]);
  assert.equal(bySpace.suggestedFilename(), 'care-scorecard-figures-for-publication.csv');

  // An option typed wrong, from the keyboard: focus goes to the error summary, its link to the field.
  await page.locator('#options-details summary').focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('override-a1').focus();
  await page.keyboard.type('soon');
  await page.keyboard.press('Tab');
  await page.getByTestId('error-summary').waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'error-summary');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('href')), '#override-a1');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.id === 'override-a1');
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

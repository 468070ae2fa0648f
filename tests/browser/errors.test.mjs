// Files with problems: the error summary names the file, the row and the column, links to the
// row of the table of problems, and takes focus when it appears.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FIXTURES, setUp, upload, WORKED_EXAMPLE } from './helpers.mjs';

let env;
before(async () => {
  env = await setUp();
});
after(async () => {
  await env?.close();
});

const BAD_DATE = join(FIXTURES, 'bad-date/episodes.csv');
const NOT_903 = join(FIXTURES, 'not-903/shopping.csv');
const others = WORKED_EXAMPLE.filter((path) => !path.endsWith('episodes.csv'));

test('a date that does not exist is named by file, row and column in the error summary', async () => {
  const page = await env.newPage();
  await upload(page, [...others, BAD_DATE]);
  const summary = page.getByTestId('error-summary');
  await summary.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'error-summary', 'focus moves to the summary');

  const link = summary.getByTestId('error-link').filter({ hasText: '31/02/2023' });
  assert.equal(await link.count(), 1);
  const text = await link.innerText();
  assert.match(text, /episodes\.csv/);
  assert.match(text, /row 22\b/);
  assert.match(text, /DECOM/);

  // The link leads to the same problem in the table of problems.
  const href = await link.getAttribute('href');
  assert.match(href, /^#diagnostic-\d+$/);
  const row = page.locator(href);
  assert.equal(await row.getAttribute('data-severity'), 'error');
  const cells = await row.locator('td').allInnerTexts();
  assert.match(cells[0], /Error/);
  assert.equal(cells[1].trim(), 'episodes.csv');
  assert.equal(cells[2].trim(), '22');
  assert.match(cells[3], /^DECOM/);
  assert.equal(cells[4].trim(), '31/02/2023');
  await link.click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), href.slice(1), 'the row takes focus');

  // The rest of the file is still used.
  assert.equal(await page.locator('tr[data-id="A1"][data-window="2015-16"]').count(), 1);
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

test('a file that is no SSDA903 table is reported by name', async () => {
  const page = await env.newPage();
  await upload(page, [...WORKED_EXAMPLE, NOT_903]);
  await page.locator('[data-testid="files-details"] summary').click();
  const fileRow = page.locator('[data-testid="files-table"] tr[data-file="shopping.csv"]');
  assert.equal(await fileRow.count(), 1);
  assert.match(await fileRow.innerText(), /unrecognised/i);

  const diagnostics = page.locator('[data-testid="diagnostics-table"] tbody tr');
  const files = await diagnostics.evaluateAll((rows) => rows.map((tr) => tr.cells[1].textContent.trim()));
  assert.ok(files.includes('shopping.csv'), 'the table of problems names shopping.csv');
  // The other files still give the scorecard.
  assert.equal(await page.locator('tr[data-id="A1"][data-window="2015-16"] [data-col="value"]').innerText(), '414 days');
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

test('both bad files at once: every error is in the summary, which names files, rows and columns', async () => {
  const page = await env.newPage();
  await upload(page, [...others, BAD_DATE, NOT_903]);
  const summary = page.getByTestId('error-summary');
  await summary.waitFor();
  const text = await summary.innerText();
  assert.match(text, /There is a problem/);
  assert.match(text, /episodes\.csv, row 22, DECOM/);
  const errors = await page.locator('[data-testid="diagnostics-table"] tr[data-severity="error"]').count();
  assert.equal(await summary.getByTestId('error-link').count(), Math.min(errors, 20));
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

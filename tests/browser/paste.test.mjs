// Pasting a table copied from a spreadsheet (tab-separated, header row first).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { cell, FIXTURES, setUp, upload, WORKED_EXAMPLE } from './helpers.mjs';

/** The worked example's episodes as a spreadsheet puts them on the clipboard. */
const EPISODES_TSV = readFileSync(join(FIXTURES, 'worked-example/episodes.csv'), 'utf8')
  .replaceAll(',', '\t') // the fixture has no quoted fields
  .replaceAll('\n', '\r\n'); // spreadsheets copy Windows line ends

let env;
before(async () => {
  env = await setUp();
});
after(async () => {
  await env?.close();
});

async function paste(page, text) {
  await page.locator('#paste-details summary').click();
  await page.getByTestId('paste-text').fill(text);
  await page.getByTestId('paste-button').click();
}

test('episodes pasted as a table give the same figures as episodes.csv', async () => {
  const page = await env.newPage();
  await upload(page, WORKED_EXAMPLE.filter((path) => !path.endsWith('episodes.csv')));
  await paste(page, EPISODES_TSV);

  const names = await page.getByTestId('input-item').evaluateAll((items) => items.map((li) => li.dataset.name));
  assert.deepEqual(names, ['header.csv', 'ad1.csv', 'placed_adoption.csv', 'pasted table']);
  assert.equal(await page.getByTestId('paste-text').inputValue(), '', 'the box is emptied for the next table');
  // The report over the pasted table comes from the worker: wait for its row in the accounting.
  const row = page.locator('[data-testid="files-table"] tr[data-file="pasted table"]');
  await row.waitFor({ state: 'attached' });
  assert.equal(await row.count(), 1, 'the pasted table has a row in the file accounting');

  assert.equal(await cell(page, 'A1', '2015-16', 'value'), '414 days');
  assert.equal(await cell(page, 'A10', '2015-16', 'value'), '329 days');
  assert.equal(await cell(page, 'A2', '2015-16', 'value'), '225 days');
  assert.equal(await cell(page, 'A3', '2015-16', 'value'), '71.4% 5 of 7');
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

test('pasting nothing says what to do, at the box and in the error summary', async () => {
  const page = await env.newPage();
  await paste(page, '   ');
  const summary = page.getByTestId('error-summary');
  await summary.waitFor();
  assert.match(await summary.innerText(), /Paste a table first/);
  assert.match(await page.locator('#paste-text-error').innerText(), /Paste a table first/);
  assert.equal(await page.getByTestId('input-item').count(), 0);

  // Following the link in the summary lands on the box.
  await summary.getByRole('link').first().click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'paste-text');
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

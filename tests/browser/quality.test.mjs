// The data-quality view: the engine's groups of problems, with the DfE rule, the one-line
// description and the number of rows; a group opens (by keyboard too) onto its rows, each with
// file, row and column and a link to the same problem in the table of problems.
//
// Input: the peers' fake 2017-18 return (tests/fixtures/peers/d2i-csc-validator-be-903), whose
// counts per DfE rule tests/checks.rs pins against the DfE validator: 551 761, 408 359, 390 90.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { axeViolations, FIXTURES, setUp, upload } from './helpers.mjs';

const PEERS = ['header.csv', 'episodes.csv', 'ad1.csv', 'placed_for_adoption.csv'].map((f) =>
  join(FIXTURES, 'peers/d2i-csc-validator-be-903/fake_data', f),
);

let env;
before(async () => {
  env = await setUp();
});
after(async () => {
  await env?.close();
});

const group = (page, rule) => page.locator(`[data-testid="quality-group"][data-rule="${rule}"]`);

test('the data-quality view counts the rows of each DfE rule', async () => {
  const page = await env.newPage();
  await upload(page, PEERS);
  const quality = page.getByTestId('quality');
  await quality.waitFor();
  assert.equal(await quality.getByRole('heading', { level: 2 }).innerText(), 'Data quality');
  for (const [rule, count] of [
    ['551', 761],
    ['408', 359],
    ['390', 90],
  ]) {
    const g = group(page, rule);
    assert.equal(await g.count(), 1, `one group for rule ${rule}`);
    assert.equal(await g.getAttribute('data-count'), String(count));
    const summary = (await g.locator('summary').innerText()).replace(/\s+/g, ' ').trim();
    assert.match(summary, new RegExp(`^DfE rule ${rule}: .+ \\(${count} rows\\)$`));
  }
  assert.match(await group(page, '390').locator('summary').innerText(), /ends in adoption/);
  // Closed groups hold no rows yet.
  assert.equal(await page.getByTestId('quality-rows').count(), 0);
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

test('a group opens from the keyboard onto its rows, which link to the table of problems', async () => {
  const page = await env.newPage();
  await upload(page, PEERS);
  const g = group(page, '390');
  await g.locator('summary').focus();
  await page.keyboard.press('Enter');
  const rows = g.getByTestId('quality-rows').locator('tbody tr');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 90);
  const cells = (await rows.first().locator('td').allInnerTexts()).map((t) => t.trim());
  assert.equal(cells[0], 'episodes.csv');
  assert.match(cells[1], /^\d+$/);
  assert.match(cells[2], /^PLACE/);
  assert.match(cells[4], new RegExp(`^episodes\\.csv, row ${cells[1]}, PLACE: .*ends in adoption`));

  // The link leads to the same problem in the table of problems, which takes focus.
  const link = rows.first().getByTestId('quality-jump');
  const href = await link.getAttribute('href');
  assert.match(href, /^#diagnostic-\d+$/);
  await link.focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction((id) => document.activeElement?.id === id, href.slice(1));
  const target = page.locator(href);
  assert.equal(await target.getAttribute('data-code'), 'adopted-not-placed');
  const targetCells = (await target.locator('td').allInnerTexts()).map((t) => t.trim());
  assert.equal(targetCells[1], 'episodes.csv');
  assert.equal(targetCells[2], cells[1]);
  assert.match(targetCells[5], /DfE rule 390/);

  // The group stays open when the results are worked out again (an option changed).
  await page.locator('#options-details summary').click();
  await page.locator('#months-calendar').check();
  await page.waitForFunction(() => document.querySelector('[data-testid="quality-group"][data-rule="390"]')?.open === true);
  assert.equal(await group(page, '390').getByTestId('quality-rows').locator('tbody tr').count(), 90);
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

test('the data-quality view with a group open has no axe violations', async () => {
  const page = await env.newPage({ bypassCSP: true });
  await upload(page, PEERS);
  await group(page, '1003').locator('summary').click();
  await group(page, '1003').getByTestId('quality-rows').waitFor();
  assert.equal(await group(page, '1003').getByTestId('quality-rows').locator('tbody tr').count(), 8);
  assert.doesNotMatch(await group(page, '1003').locator('.govuk-details__text').innerText(), /\bnull\b|undefined/);
  assert.deepEqual(await axeViolations(page), []);
  await page.context().close();
});

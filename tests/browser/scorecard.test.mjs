// Uploading the worked example (tests/fixtures/README.md) and reading the scorecard, the
// drill-down and the options, as a user would.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { cell, setUp, summaryRow, upload, WORKED_EXAMPLE } from './helpers.mjs';

let env;
before(async () => {
  env = await setUp();
});
after(async () => {
  await env?.close();
});

describe('the worked example, uploaded as four CSV files', () => {
  let page;
  before(async () => {
    page = await env.newPage();
    await upload(page, WORKED_EXAMPLE);
  });
  after(async () => {
    assert.deepEqual(page.consoleErrors, [], 'no console errors');
    await page.context().close();
  });

  test('lists the four files', async () => {
    const names = await page.getByTestId('input-item').evaluateAll((items) => items.map((li) => li.dataset.name));
    assert.deepEqual(names, ['header.csv', 'episodes.csv', 'ad1.csv', 'placed_adoption.csv']);
  });

  test('accounts for the rows of each file', async () => {
    const line = await page.getByTestId('row-accounting').innerText();
    assert.match(line, /^4 files: \d+ rows read, \d+ used, \d+ left out\./);
    const files = await page.locator('[data-testid="files-table"] tbody tr').evaluateAll((rows) => rows.map((tr) => tr.dataset.file));
    assert.deepEqual(files.sort(), ['ad1.csv', 'episodes.csv', 'header.csv', 'placed_adoption.csv']);
  });

  test('no absent value is printed as "null" or "undefined"', async () => {
    const text = await page.locator('#results').innerText();
    assert.doesNotMatch(text, /\bnull\b|\bundefined\b|NaN/);
  });

  test('A1 2015-16 is 414 days for 5 children, 12 days inside the threshold of 426', async () => {
    assert.equal(await cell(page, 'A1', '2015-16', 'value'), '414 days');
    assert.equal(await cell(page, 'A1', '2015-16', 'n'), '5');
    assert.match(await cell(page, 'A1', '2015-16', 'threshold'), /^426 days\b/);
    assert.equal(await cell(page, 'A1', '2015-16', 'gap'), '-12 days');
    assert.equal(await cell(page, 'A1', '2015-16', 'status'), 'Met');
    const tag = summaryRow(page, 'A1', '2015-16').locator('.govuk-tag');
    assert.match(await tag.getAttribute('class'), /govuk-tag--green/);
  });

  test('A10 2015-16 is 329 days', async () => {
    assert.equal(await cell(page, 'A10', '2015-16', 'value'), '329 days');
    assert.equal(await cell(page, 'A10', '2015-16', 'n'), '5');
  });

  test('A2 2015-16 is 225 days for 4 children, 104 days over the threshold', async () => {
    assert.equal(await cell(page, 'A2', '2015-16', 'value'), '225 days');
    assert.equal(await cell(page, 'A2', '2015-16', 'n'), '4');
    assert.equal(await cell(page, 'A2', '2015-16', 'gap'), '+104 days');
    assert.equal(await cell(page, 'A2', '2015-16', 'status'), 'Not met');
    const tag = summaryRow(page, 'A2', '2015-16').locator('.govuk-tag');
    assert.match(await tag.getAttribute('class'), /govuk-tag--red/);
  });

  test('A3 2015-16 is 71.4%: 5 of 7 children waited less than 14 months', async () => {
    assert.equal(await cell(page, 'A3', '2015-16', 'value'), '71.4% 5 of 7');
    assert.equal(await cell(page, 'A3', '2015-16', 'n'), '7');
  });

  test('rows come in the engine order, latest window first', async () => {
    const rows = await page
      .locator('[data-testid="summary-table"] tbody tr')
      .evaluateAll((trs) => trs.map((tr) => `${tr.dataset.id} ${tr.dataset.window}`));
    const firstFour = rows.slice(0, 4);
    assert.deepEqual(firstFour, ['A1 2015-16', 'A10 2015-16', 'A2 2015-16', 'A3 2015-16']);
  });

  test('the A2 2015-16 drill-down lists C1 with 123 days and C4 left out for want of a placement order', async () => {
    await summaryRow(page, 'A2', '2015-16').getByTestId('drilldown-button').click();
    const drilldown = page.getByTestId('drilldown');
    await drilldown.waitFor();
    assert.equal(await drilldown.getAttribute('data-id'), 'A2');
    assert.equal(await drilldown.getAttribute('data-window'), '2015-16');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'drilldown-heading');

    const c1 = drilldown.locator('[data-testid="drilldown-children"] tr[data-child="C1"]');
    assert.equal((await c1.locator('[data-col="days"]').innerText()).trim(), '123');
    const children = await drilldown
      .locator('[data-testid="drilldown-children"] tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.dataset.child).sort());
    assert.deepEqual(children, ['C1', 'C2', 'C3', 'C5']);

    const c4 = drilldown.locator('[data-testid="drilldown-excluded"] tr[data-child="C4"]');
    assert.equal(await c4.count(), 1, 'C4 is listed as left out');
    assert.match(await c4.innerText(), /placement order/i);

    // The column headings are the engine's labels for A2's two dates.
    const headings = await drilldown.locator('[data-testid="drilldown-children"] thead th').allInnerTexts();
    assert.equal(headings[0], 'Child');
    assert.ok(headings.length >= 5);
  });

  test('the drill-down closes and gives focus back to its button', async () => {
    await page.getByTestId('drilldown-close').click();
    assert.equal(await page.getByTestId('drilldown').count(), 0);
    const focused = await page.evaluate(() => {
      const row = document.activeElement?.closest('tr');
      return row ? `${row.dataset.id} ${row.dataset.window}` : null;
    });
    assert.equal(focused, 'A2 2015-16');
  });

  test('C4 is in the list of children left out', async () => {
    const row = page.locator('[data-testid="excluded-table"] tr[data-child="C4"]');
    assert.equal(await row.count(), 1);
    assert.match(await row.innerText(), /A2/);
  });
});

describe('keyboard', () => {
  test('Tab reaches a drill-down button and Enter opens it with focus on its heading', async () => {
    const page = await env.newPage();
    await upload(page, WORKED_EXAMPLE);
    const target = summaryRow(page, 'A1', '2015-16').getByTestId('drilldown-button');
    // Start from the last control before the results and tab forward, as a keyboard user would.
    await page.locator('#options-details summary').focus();
    let reached = false;
    for (let i = 0; i < 60 && !reached; i += 1) {
      await page.keyboard.press('Tab');
      reached = await target.evaluate((el) => el === document.activeElement);
    }
    assert.ok(reached, 'the A1 2015-16 drill-down button is reachable with Tab');
    // The focused control shows the GOV.UK focus style (yellow, not colour alone: a black underline too).
    const background = await target.evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.equal(background, 'rgb(255, 221, 0)');

    await page.keyboard.press('Enter');
    await page.getByTestId('drilldown').waitFor();
    const focused = await page.evaluate(() => ({
      id: document.activeElement?.id,
      inside: Boolean(document.activeElement?.closest('[data-testid="drilldown"]')),
    }));
    assert.deepEqual(focused, { id: 'drilldown-heading', inside: true });
    assert.match(await page.locator('#drilldown-heading').innerText(), /A1, 2015-16/);
    assert.equal(await target.getAttribute('aria-expanded'), 'true');
    assert.deepEqual(page.consoleErrors, []);
    await page.context().close();
  });
});

describe('options', () => {
  test('typing a date field by field raises no error until the date is complete', async () => {
    const page = await env.newPage();
    await upload(page, WORKED_EXAMPLE);
    await page.locator('#options-details summary').click();
    await page.getByTestId('as-at-day').focus();
    await page.keyboard.type('30');
    await page.keyboard.press('Tab');
    await page.keyboard.type('9');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'as-at-year', 'focus stays in the date');
    assert.equal(await page.getByTestId('error-summary').count(), 0);
    await page.keyboard.type('2016');
    await page.keyboard.press('Tab');
    await page.waitForFunction(() => document.querySelector('[data-testid="summary-table"] tr[data-window*="30/09/2016"]'));

    // Leaving a date half done is an error, named at the field.
    await page.getByTestId('as-at-year').fill('');
    await page.getByTestId('as-at-year').press('Tab');
    await page.getByTestId('error-summary').waitFor();
    assert.match(await page.locator('#as-at-error').innerText(), /must include a year/);
    assert.deepEqual(page.consoleErrors, []);
    await page.context().close();
  });

  test('an A1 threshold of 400 days applies to every window and turns A1 2015-16 to not met', async () => {
    const page = await env.newPage();
    await upload(page, WORKED_EXAMPLE);
    await page.locator('#options-details summary').click();
    await page.getByTestId('override-a1').fill('400');
    await page.getByTestId('override-a1').press('Tab');
    await page.waitForFunction(() =>
      document.querySelector('tr[data-id="A1"][data-window="2015-16"] [data-col="gap"]')?.textContent.includes('+14'),
    );
    assert.match(await cell(page, 'A1', '2015-16', 'threshold'), /^400 days your value/);
    assert.equal(await cell(page, 'A1', '2015-16', 'gap'), '+14 days');
    assert.equal(await cell(page, 'A1', '2015-16', 'status'), 'Not met');
    assert.deepEqual(page.consoleErrors, []);
    await page.context().close();
  });

  test('a threshold that is not a whole number is shown as an error at the field and in the summary', async () => {
    const page = await env.newPage();
    await upload(page, WORKED_EXAMPLE);
    await page.locator('#options-details summary').click();
    await page.getByTestId('override-a2').fill('four months');
    await page.getByTestId('override-a2').press('Tab');
    const summary = page.getByTestId('error-summary');
    await summary.waitFor();
    assert.match(await summary.innerText(), /The A2 threshold must be a whole number, like 121/);
    assert.match(await page.locator('#override-a2-error').innerText(), /The A2 threshold must be a whole number, like 121/);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'error-summary');
    // The link opens the options again if they were closed, and lands on the field.
    await page.locator('#options-details summary').click();
    await summary.getByTestId('error-link').first().click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'override-a2');
    // The figures still show, with the DfE threshold.
    assert.match(await cell(page, 'A2', '2015-16', 'threshold'), /^121 days/);
    assert.deepEqual(page.consoleErrors, []);
    await page.context().close();
  });

  test('a date to work out figures to adds the year to date and the 12 and 36 months to that date', async () => {
    const page = await env.newPage();
    await upload(page, WORKED_EXAMPLE);
    await page.locator('#options-details summary').click();
    await page.getByTestId('as-at-day').fill('30');
    await page.getByTestId('as-at-month').fill('9');
    await page.getByTestId('as-at-year').fill('2016');
    await page.getByTestId('as-at-year').press('Tab');
    // The worker answers asynchronously: wait for the windows to the date themselves.
    await page.waitForFunction(() => document.querySelector('[data-testid="summary-table"] tbody tr[data-window*="30/09/2016"]'));
    const windows = await page
      .locator('[data-testid="summary-table"] tbody tr[data-id="A1"]')
      .evaluateAll((trs) => trs.map((tr) => tr.dataset.window));
    assert.ok(windows.some((w) => w.includes('30/09/2016') && w.startsWith('12 months')), windows.join(' | '));
    assert.ok(windows.some((w) => w.includes('30/09/2016') && w.startsWith('36 months')), windows.join(' | '));
    assert.ok(windows[0].includes('30/09/2016'), 'the windows to the date come first');
    assert.equal(await cell(page, 'A1', '2015-16', 'value'), '414 days');
    assert.equal(await page.getByTestId('error-summary').count(), 0);

    // A date that does not exist is refused at the field; the figures fall back to whole years.
    await page.getByTestId('as-at-day').fill('31');
    await page.getByTestId('as-at-month').fill('2');
    await page.getByTestId('as-at-month').press('Tab');
    await page.getByTestId('error-summary').waitFor();
    assert.match(await page.locator('#as-at-error').innerText(), /must be a real date/);
    assert.equal(await page.locator('[data-testid="summary-table"] tr[data-window*="/"]').count(), 0);
    assert.equal(await cell(page, 'A1', '2015-16', 'value'), '414 days');
    assert.deepEqual(page.consoleErrors, []);
    await page.context().close();
  });

  test('not counting children still waiting changes A3 2015-16 to 4 of 5', async () => {
    const page = await env.newPage();
    await upload(page, WORKED_EXAMPLE);
    await page.locator('#options-details summary').click();
    await page.getByLabel('Count children still waiting in A3').uncheck();
    await page.waitForFunction(
      () => document.querySelector('tr[data-id="A3"][data-window="2015-16"] [data-col="n"]')?.textContent.trim() === '5',
    );
    assert.equal(await cell(page, 'A3', '2015-16', 'value'), '80.0% 4 of 5');
    assert.deepEqual(page.consoleErrors, []);
    await page.context().close();
  });
});

describe('adding and removing files', () => {
  test('several files dropped at once on the drop zone are all added', async () => {
    const page = await env.newPage();
    const { readFileSync } = await import('node:fs');
    const { basename } = await import('node:path');
    const files = WORKED_EXAMPLE.map((path) => ({ name: basename(path), text: readFileSync(path, 'utf8') }));
    const dataTransfer = await page.evaluateHandle((list) => {
      const dt = new DataTransfer();
      for (const { name, text } of list) dt.items.add(new File([text], name, { type: 'text/csv' }));
      return dt;
    }, files);
    await page.dispatchEvent('[data-testid="drop-zone"]', 'drop', { dataTransfer });
    await page.getByTestId('results').waitFor({ state: 'visible' });
    assert.equal(await page.getByTestId('input-item').count(), 4);
    assert.equal(await cell(page, 'A1', '2015-16', 'value'), '414 days');
    assert.deepEqual(page.consoleErrors, []);
    await page.context().close();
  });

  test('removing a file recomputes, and "Remove all files" empties the page', async () => {
    const page = await env.newPage();
    await upload(page, WORKED_EXAMPLE);
    await page.locator('[data-testid="input-item"][data-name="ad1.csv"] [data-testid="remove-input"]').click();
    assert.equal(await page.getByTestId('input-item').count(), 3);
    // Focus stays in the list, on the next file's remove button.
    assert.equal(
      await page.evaluate(() => document.activeElement?.closest('[data-testid="input-item"]')?.dataset.name),
      'placed_adoption.csv',
    );
    // The engine works in its own thread: wait for its new report.
    await page.waitForFunction(() => document.querySelector('[data-testid="row-accounting"]')?.textContent.startsWith('3 files:'));

    await page.getByTestId('clear-all').click();
    assert.equal(await page.getByTestId('input-item').count(), 0);
    assert.equal(await page.getByTestId('results').isHidden(), true);
    assert.equal(await page.getByTestId('results-empty').isVisible(), true);
    assert.deepEqual(page.consoleErrors, []);
    await page.context().close();
  });
});

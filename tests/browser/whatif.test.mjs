// The what-if projection on the page (docs/methodology.md section 19; the arithmetic is
// src/whatif.rs, tested in tests/whatif.rs). The worked example: C7 (entered care 01/01/2014)
// and C6 (01/03/2015) are waiting at 31/03/2016 (A9 2015-16).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { axeViolations, setUp, upload, WORKED_EXAMPLE } from './helpers.mjs';

let env;
before(async () => {
  env = await setUp();
});
after(async () => {
  await env?.close();
});


async function projectionCell(page, window, id, col) {
  const text = await page.locator(`.app-table-scroll[data-window="${window}"] tr[data-id="${id}"] [data-col="${col}"]`).innerText();
  return text.replace(/\s+/g, ' ').trim();
}

async function setDate(page, day, month, year) {
  await page.getByTestId('whatif-day').fill(day);
  await page.getByTestId('whatif-month').fill(month);
  await page.getByTestId('whatif-year').fill(year);
}

describe('the worked example', () => {
  let page;
  before(async () => {
    page = await env.newPage();
    await upload(page, WORKED_EXAMPLE);
    await page.locator('[data-testid="whatif-table"]').first().waitFor();
  });
  after(async () => {
    assert.deepEqual(page.consoleErrors, []);
    await page.context().close();
  });

  test('the default date is today plus the median match to placement, 22 days (14, 14, 30, 47)', async () => {
    const d = new Date();
    d.setDate(d.getDate() + 22);
    assert.equal(await page.getByTestId('whatif-day').inputValue(), String(d.getDate()));
    assert.equal(await page.getByTestId('whatif-month').inputValue(), String(d.getMonth() + 1));
    assert.equal(await page.getByTestId('whatif-year').inputValue(), String(d.getFullYear()));
    assert.match(await page.locator('#whatif-date-hint').innerText(), /today plus 22 days, the median time from match to moving in with the adoptive family of 4 children in 2013-16/);
    assert.match(await page.getByTestId('whatif-body').innerText(), /2 children were waiting to be placed for adoption on 31\/03\/2016 \(A9\)/);
  });

  test('placed on 30/06/2016: A1 2015-16 goes from 414 to 495 days, A10 from 329 to 435, A3 from 71.4% to 57.1%', async () => {
    // C7: 730 + 181 = 911 days; C6: 366 + 121 = 487 days. A1 (2070 + 911 + 487) / 7 = 495.4 -> 495;
    // A10 (1646 + 1398) / 7 = 434.9 -> 435; A3: both over 426 days, 4 of 7 = 57.1%.
    await setDate(page, '30', '6', '2016');
    await page.getByTestId('whatif-submit').click();
    await page.getByTestId('whatif-status').filter({ hasText: 'A1 2015-16 would be 495 days' }).waitFor();
    for (const window of ['2015-16', '2013-16']) {
      assert.equal(await projectionCell(page, window, 'A1', 'actual'), '414 days 5 children');
      assert.equal(await projectionCell(page, window, 'A1', 'projected'), '495 days 7 children');
      assert.equal(await projectionCell(page, window, 'A1', 'change'), '+81 days');
      assert.equal(await projectionCell(page, window, 'A1', 'status'), 'Not met threshold 426 days, gap +69');
      assert.equal(await projectionCell(page, window, 'A10', 'projected'), '435 days 7 children');
      assert.equal(await projectionCell(page, window, 'A3', 'actual'), '71.4% 5 of 7');
      assert.equal(await projectionCell(page, window, 'A3', 'projected'), '57.1% 4 of 7');
      assert.equal(await projectionCell(page, window, 'A3', 'change'), '-14.3 percentage points');
    }
    const days = await page.locator('[data-testid="whatif-children"] tbody tr').evaluateAll((rows) =>
      rows.map((tr) => `${tr.dataset.child} ${tr.querySelector('[data-col="days"]').innerText} ${tr.querySelector('[data-col="within"]').innerText}`),
    );
    assert.deepEqual(days, ['C7 911 No', 'C6 487 No']);
  });

  test('placed on 01/04/2016, from the keyboard: C6 waited 397 days, under the limit: A3 stays 5 of 7', async () => {
    // C6: 366 + 31 = 397 < 426. C7: 730 + 91 = 821. A1 (2070 + 821 + 397) / 7 = 469.7 -> 470.
    await page.getByTestId('whatif-day').focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('1');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('4');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('2016');
    await page.keyboard.press('Enter');
    await page.getByTestId('whatif-status').filter({ hasText: 'would be 470 days' }).waitFor();
    assert.equal(await projectionCell(page, '2015-16', 'A3', 'projected'), '71.4% 5 of 7');
    assert.equal(await projectionCell(page, '2015-16', 'A1', 'projected'), '470 days 7 children');
  });

  test("a child's own date: C6 on 01/04/2016, C7 on 30/06/2016", async () => {
    // C6: 397 days (under 426, counted); C7: 911. A1 (2070 + 911 + 397) / 7 = 3378 / 7 = 482.6
    // -> 483; A3: C1-C4 and C6, 5 of 7 = 71.4%.
    await setDate(page, '30', '6', '2016');
    await page.getByLabel('Own date for C6, as DD/MM/YYYY').fill('1/4/2016');
    await page.getByTestId('whatif-submit').click();
    await page.getByTestId('whatif-status').filter({ hasText: 'would be 483 days' }).waitFor();
    assert.equal(await projectionCell(page, '2015-16', 'A3', 'projected'), '71.4% 5 of 7');
    const placed = await page.locator('[data-testid="whatif-children"] tbody tr').evaluateAll((rows) =>
      rows.map((tr) => `${tr.dataset.child} ${tr.querySelector('[data-col="placed"]').innerText} ${tr.querySelector('[data-col="days"]').innerText}`),
    );
    assert.deepEqual(placed, ['C7 30/06/2016 911', 'C6 01/04/2016 397']);
    // A date that does not exist, in a child's row: pointed out there, nothing recomputed.
    await page.getByLabel('Own date for C6, as DD/MM/YYYY').fill('30/02/2016');
    await page.getByLabel('Own date for C6, as DD/MM/YYYY').press('Enter');
    assert.equal((await page.locator('#whatif-own-1-error').textContent()).trim(), 'Error: The date for C6 must be a real date, like 30/06/2026');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'whatif-own-1');
    await page.getByLabel('Own date for C6, as DD/MM/YYYY').fill('');
  });

  test('a date that does not exist is pointed out at the field', async () => {
    await setDate(page, '31', '2', '2016');
    await page.getByTestId('whatif-submit').click();
    assert.equal((await page.locator('#whatif-date-error').textContent()).trim(), 'Error: The date must be a real date, like 30 6 2026');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'whatif-day');
  });

  test('the chosen date survives a change of options, and "Use the default date" goes back', async () => {
    await setDate(page, '30', '6', '2016');
    await page.getByTestId('whatif-submit').click();
    await page.getByTestId('whatif-status').filter({ hasText: 'would be 495 days' }).waitFor();
    await page.locator('#options-details summary').click();
    await page.getByLabel('As calendar months').check();
    await page.locator('[data-testid="whatif-table"]').first().waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="whatif-table"]')?.textContent.includes('30/06/2016'));
    assert.equal(await projectionCell(page, '2015-16', 'A1', 'projected'), '495 days 7 children');
    await page.getByLabel('As a number of days, as DfE does').check();
    await page.getByTestId('whatif-reset').click();
    await page.getByTestId('whatif-status').filter({ hasText: 'default date' }).waitFor();
  });
});

test('the what-if section, with a date error and a child\'s date error, has no axe violations', async () => {
  const page = await env.newPage({ bypassCSP: true });
  await upload(page, WORKED_EXAMPLE);
  await page.locator('[data-testid="whatif-table"]').first().waitFor();
  assert.deepEqual(await axeViolations(page), []);
  await setDate(page, '31', '2', '2016');
  await page.getByTestId('whatif-submit').click();
  await page.locator('#whatif-date-error').waitFor();
  assert.deepEqual(await axeViolations(page), []);
  await setDate(page, '30', '6', '2016');
  await page.getByLabel('Own date for C7, as DD/MM/YYYY').fill('someday');
  await page.getByTestId('whatif-submit').click();
  await page.locator('#whatif-own-0-error').waitFor();
  assert.deepEqual(await axeViolations(page), []);
  await page.context().close();
});

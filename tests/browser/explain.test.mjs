// "How this figure was worked out": from any figure, the rule (www/rules.js, in step with
// docs/methodology.md), the period, the threshold and its source, the options in force and the
// children in and out; and the methodology as a page of the site (www/methodology.html).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ANCHORS, ruleFor } from '../../www/rules.js';
import { axeViolations, choosePeriod, LOCAL_FILES, ROOT, setUp, summaryRow, upload, WORKED_EXAMPLE } from './helpers.mjs';

let env;
before(async () => {
  env = await setUp();
});
after(async () => {
  await env?.close();
});

const facts = async (page) =>
  Object.fromEntries(
    await page.locator('[data-testid="explain-facts"] .govuk-summary-list__row').evaluateAll((rows) =>
      rows.map((r) => [r.querySelector('dt').innerText.trim(), r.querySelector('dd').innerText.replace(/\s+/g, ' ').trim()]),
    ),
  );

test('every rule links to a section that the methodology page has', () => {
  const html = readFileSync(join(ROOT, 'www/methodology.html'), 'utf8');
  for (const anchor of [...ANCHORS, 'what-if-projection']) assert.ok(html.includes(`id="${anchor}"`), `methodology.html has #${anchor}`);
});

describe('the worked example with the local files', () => {
  let page;
  before(async () => {
    page = await env.newPage();
    await upload(page, [...WORKED_EXAMPLE, ...LOCAL_FILES]);
  });
  after(async () => {
    assert.deepEqual(page.consoleErrors, []);
    await page.context().close();
  });

  test('every figure on the page has a rule', async () => {
    const ids = await page.getByTestId('summary-row').evaluateAll((rows) => [...new Set(rows.map((tr) => tr.dataset.id))]);
    assert.ok(ids.length > 40);
    for (const id of ids) assert.ok(ruleFor(id), `${id} has a rule`);
  });

  test('A2 2015-16: the rule, the period, the threshold and its source, 4 children in and C4 out', async () => {
    await summaryRow(page, 'A2', '2015-16').getByTestId('explain-button').click();
    const panel = page.getByTestId('explain');
    await page.getByTestId('explain-counts').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'explain-heading');
    assert.equal(await page.locator('#explain-heading').innerText(), 'How A2, 2015-16 was worked out');
    const f = await facts(page);
    assert.equal(f.Figure, '225 days');
    assert.match(f.Rule, /^Children whose period of care ended in adoption .* court's authority to place .*E1 or D1.* DATE_MATCH/);
    assert.equal(f.Period, '01/04/2015 to 31/03/2016 (1-year)');
    assert.match(f['Threshold or target'], /^121 days or less, the DfE threshold for 2013-16\. Source: \S/);
    assert.equal(f.Gap, '+104 days');
    assert.equal(f.Status, 'Not met');
    assert.equal(await page.getByTestId('explain-counts').innerText(), '4 children counted in the figure; 1 child left out.');
    assert.match(await page.getByTestId('explain-reasons').innerText(), /^1 left out: /);
    const options = await page.getByTestId('explain-options').innerText();
    assert.match(options, /Children still waiting in A3\s+Counted/);
    assert.match(options, /Thresholds in days\s+Rounded down, as DfE publishes them/);
    assert.equal(await panel.getByTestId('explain-methodology').getAttribute('href'), 'methodology.html#A2');
  });

  test('the options in force follow the form: calendar months', async () => {
    await page.locator('#options-details summary').click();
    await page.getByLabel('As calendar months').check();
    await page.getByTestId('explain-options').filter({ hasText: 'Calendar months' }).waitFor();
    await page.getByLabel('As a number of days, as DfE does').check();
    await page.getByTestId('explain-options').filter({ hasText: 'Days: a month' }).waitFor();
  });

  test('A3: 5 of 7, the wait limit, and "List the children" opens the drill-down', async () => {
    await summaryRow(page, 'A3', '2015-16').getByTestId('explain-button').click();
    await page.getByTestId('explain-counts').waitFor();
    const f = await facts(page);
    assert.equal(f.Figure, '71.4% (5 of 7)');
    assert.match(f['Threshold or target'], /^No target\. Wait or time limit: 426 days/);
    assert.equal(await page.getByTestId('explain-counts').innerText(), '7 children counted in the figure; 0 children left out.');
    await page.getByTestId('explain-show-all').click();
    await page.getByTestId('drilldown').waitFor();
    assert.equal(await page.getByTestId('explain').count(), 0);
    assert.equal(await page.locator('[data-testid="drilldown-children"] tbody tr').count(), 7);
  });

  test('a fostering figure: households rather than children, and its own section of the methodology', async () => {
    await choosePeriod(page, 'all');
    await summaryRow(page, 'fostering-households', '2015-16').getByTestId('explain-button').click();
    await page.getByTestId('explain-counts').waitFor();
    assert.equal(await page.getByTestId('explain-counts').innerText(), '3 households counted in the figure; 0 households left out.');
    assert.equal(await page.getByTestId('explain-methodology').getAttribute('href'), 'methodology.html#fostering-from-carers-csv');
  });

  test('from the keyboard: Enter opens, Close returns focus to the button', async () => {
    const button = summaryRow(page, 'A1', '2015-16').getByTestId('explain-button');
    await button.focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('explain-counts').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'explain-heading');
    await page.getByTestId('explain-close').focus();
    await page.keyboard.press('Enter');
    assert.equal(await page.getByTestId('explain').count(), 0);
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'explain-button');
    assert.equal(await page.evaluate(() => document.activeElement?.closest('tr')?.dataset.id), 'A1');
  });

  test('the methodology link opens the rule on the methodology page', async () => {
    await summaryRow(page, 'A10', '2015-16').getByTestId('explain-button').click();
    await page.getByTestId('explain-methodology').click();
    await page.waitForURL(/methodology\.html#A10$/);
    assert.match(await page.locator('#A10').innerText(), /^A10: A1 adjusted for foster-carer adoptions/);
  });
});

test('an explanation open, and the methodology page: no axe violations', async () => {
  const page = await env.newPage({ bypassCSP: true });
  await upload(page, WORKED_EXAMPLE);
  await summaryRow(page, 'A1', '2015-16').getByTestId('explain-button').click();
  await page.getByTestId('explain-counts').waitFor();
  assert.deepEqual(await axeViolations(page), []);
  await page.goto(`${env.baseUrl}methodology.html`);
  assert.match(await page.locator('h1').innerText(), /^Methodology$/);
  const tables = readFileSync(join(ROOT, 'docs/methodology.md'), 'utf8').split('\n').filter((line) => /^\|\s*:?-{3,}/.test(line)).length;
  assert.ok(tables >= 10);
  assert.equal(await page.locator('table').count(), tables, 'every table of docs/methodology.md');
  assert.deepEqual(await axeViolations(page), []);
  await page.context().close();
});

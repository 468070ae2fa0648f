// The results by section (issue 3): one table per group of the report, a choice of period and
// of authority, the local files carers.csv and adopters.csv with their templates, and the options
// for stability, fostering and adopters. Expected figures are the hand-worked ones of
// tests/indicators.rs (fostering_files, adopter_files, adoption_activity_on_the_worked_example,
// several_authorities_each_and_together, placements_in_the_year_and_temporary_moves).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cell, choosePeriod, FIXTURES, LOCAL_FILES, setUp, summaryRow, upload, WORKED_EXAMPLE } from './helpers.mjs';

let env;
before(async () => {
  env = await setUp();
});
after(async () => {
  await env?.close();
});

const EPISODES = 'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN';
const csvFile = (name, lines) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(`${lines.join('\n')}\n`) });

/** The data-window of every row shown in a section. */
const windowsIn = (page, group) =>
  page.locator(`[data-testid="section"][data-group="${group}"] tr[data-id]`).evaluateAll((trs) => [...new Set(trs.map((tr) => tr.dataset.window))]);

describe('the worked example with carers.csv and adopters.csv', () => {
  let page;
  before(async () => {
    page = await env.newPage();
    await upload(page, [...WORKED_EXAMPLE, ...LOCAL_FILES]);
  });
  after(async () => {
    assert.deepEqual(page.consoleErrors, [], 'no console errors');
    await page.context().close();
  });

  test('the local files are recognised by their columns', async () => {
    const files = await page.locator('[data-testid="files-table"] tbody tr').evaluateAll((rows) => rows.map((tr) => tr.dataset.file));
    assert.deepEqual(files.sort(), ['ad1.csv', 'adopters.csv', 'carers.csv', 'episodes.csv', 'header.csv', 'placed_adoption.csv']);
    // The table of files is in a closed <details>: its text, not its rendering.
    const table = async (file) => (await page.locator(`[data-testid="files-table"] tr[data-file="${file}"] td`).first().textContent()).trim();
    assert.equal(await table('carers.csv'), 'carers');
    assert.equal(await table('adopters.csv'), 'adopters');
  });

  test('one table per section, in the engine order, each captioned with its name', async () => {
    const groups = await page.getByTestId('section').evaluateAll((sections) => sections.map((s) => s.dataset.group));
    assert.deepEqual(groups, [
      'Adoption scorecard',
      'Hard to place',
      'Adoption activity',
      'Placement stability',
      'Where children live',
      'Fostering',
      'Adopters',
    ]);
    for (const group of groups) {
      const caption = await page.locator(`[data-testid="section"][data-group="${group}"] caption`).innerText();
      assert.ok(caption.startsWith(group), `${group}: ${caption}`);
    }
    // Every section can be reached from the list of sections.
    const links = await page.locator('nav[aria-label="Sections of the results"] a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.equal(links.length, groups.length);
    for (const href of links) assert.equal(await page.locator(href).count(), 1, href);
    assert.equal(await page.getByTestId('local-files-missing').count(), 0);
  });

  test('by default each section shows its latest year and the scorecard every period', async () => {
    // carers.csv approves H6 on 01/04/2016, so the fostering figures reach 2016-17; the 903 files
    // and adopters.csv end in 2015-16.
    assert.equal(await page.getByTestId('view-window').inputValue(), 'latest');
    assert.match(await page.locator('#view-window option:checked').innerText(), /^Latest of each section$/);
    for (const group of ['Hard to place', 'Adoption activity', 'Placement stability', 'Where children live', 'Adopters']) {
      assert.deepEqual(await windowsIn(page, group), ['2015-16'], group);
    }
    assert.deepEqual(await windowsIn(page, 'Fostering'), ['2016-17']);
    const scorecard = await windowsIn(page, 'Adoption scorecard');
    assert.ok(scorecard.includes('2015-16') && scorecard.includes('2013-16') && !scorecard.includes('2016-17'), scorecard.join(' '));
    assert.equal(await cell(page, 'A1', '2015-16', 'value'), '414 days');
  });

  test('choosing 2015-16 shows that year only, in every section, and says so', async () => {
    await page.getByTestId('view-window').focus();
    await choosePeriod(page, '2015-16');
    for (const group of ['Adoption scorecard', 'Hard to place', 'Adoption activity', 'Fostering', 'Adopters']) {
      assert.deepEqual(await windowsIn(page, group), ['2015-16'], group);
    }
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'view-window', 'focus stays on the choice');
    assert.equal(await page.getByTestId('status').innerText(), 'Showing 2015-16.');
  });

  test('Fostering 2015-16: households, places, occupancy, deregistrations by reason, conversion', async () => {
    assert.equal(await cell(page, 'fostering-households', '2015-16', 'value'), '3');
    assert.equal(await cell(page, 'fostering-households-mainstream', '2015-16', 'value'), '2');
    assert.equal(await cell(page, 'fostering-net-change', '2015-16', 'value'), '1');
    assert.equal(await cell(page, 'fostering-approved-places', '2015-16', 'value'), '3 0 unknown');
    assert.equal(await cell(page, 'fostering-occupancy', '2015-16', 'value'), '66.7% 2 of 3');
    assert.equal(await cell(page, 'fostering-children-per-household', '2015-16', 'value'), '1.00');
    const reason = summaryRow(page, 'fostering-deregistrations-by-reason', '2015-16');
    assert.equal(await reason.getAttribute('data-category'), 'Retired');
    assert.equal((await reason.getByTestId('category').innerText()).trim(), 'Retired');
    assert.equal(await cell(page, 'fostering-deregistrations-by-reason', '2015-16', 'value'), '1');
    // The local goal: 10% of enquiries approved; 50.0% is 40 points over it.
    assert.equal(await cell(page, 'fostering-conversion-enquiry-approval', '2015-16', 'value'), '50.0% 1 of 2');
    assert.equal(await cell(page, 'fostering-conversion-enquiry-approval', '2015-16', 'threshold'), '10% or more');
    assert.equal(await cell(page, 'fostering-conversion-enquiry-approval', '2015-16', 'gap'), '+40.0 percentage points');
    assert.equal(await cell(page, 'fostering-conversion-enquiry-approval', '2015-16', 'status'), 'Met Small number: treat with care');
    assert.match(await cell(page, 'fostering-assessment-timeliness', '2015-16', 'threshold'), /time limit 243 days/);
  });

  test('Adopters 2015-16: A11, A12, A13', async () => {
    assert.equal(await cell(page, 'A11', '2015-16', 'value'), '3');
    assert.equal(await cell(page, 'adopters-waiting-over-3-months', '2015-16', 'value'), '2 (66.7%)');
    assert.equal(await cell(page, 'A12', '2015-16', 'value'), '50.0% 1 of 2 Small number: treat with care');
    assert.equal(await cell(page, 'A13', '2015-16', 'value'), '1');
    assert.equal(await cell(page, 'adopters-conversion-enquiry-application', '2015-16', 'value'), '300.0% 3 of 1 Small number: treat with care');
  });

  test('Adoption activity 2015-16: A4 5 (100.0% of leavers), A9 2, A14 1', async () => {
    assert.equal(await cell(page, 'A4', '2015-16', 'value'), '5 (100.0%)');
    assert.equal(await cell(page, 'A9', '2015-16', 'value'), '2');
    assert.equal(await cell(page, 'A14', '2015-16', 'value'), '1 (50.0%)');
    assert.equal(await cell(page, 'adopted-minority-ethnic', '2015-16', 'value'), '2 (40.0%) 0 unknown');
    // No target in this section: no threshold, gap or status columns.
    const head = await page.locator('[data-testid="section"][data-group="Adoption activity"] thead th').allInnerTexts();
    assert.deepEqual(
      head.map((t) => t.replace(/\s+/g, ' ').trim()),
      ['Indicator', 'Period', 'Value', 'n (number in the figure)', 'Details'],
    );
  });

  test('Where children live and placement stability on 31/03/2016', async () => {
    assert.equal(await cell(page, 'placed-foster-in-house', '2015-16', 'value'), '2 (100.0%)');
    assert.equal(await cell(page, 'placed-residential', '2015-16', 'value'), '0 (0.0%)');
    assert.equal(await cell(page, 'lac', '2015-16', 'value'), '2');
    assert.equal(await cell(page, 'stability-short-term', '2015-16', 'threshold'), '16% or less');
    assert.equal(await cell(page, 'stability-long-term', '2015-16', 'threshold'), '80% or more');
  });

  test('Hard to place: unknowns in the value, the disability source in the drill-down', async () => {
    assert.equal(await cell(page, 'A1-sibling-group', '2015-16', 'value'), '– none 5 unknown');
    assert.equal(await cell(page, 'A1-hard-to-place', '2015-16', 'value'), '476 days 2 unknown');
    await summaryRow(page, 'A1-disabled', '2015-16').getByTestId('drilldown-button').click();
    const drilldown = page.getByTestId('drilldown');
    await drilldown.waitFor();
    assert.match(await drilldown.innerText(), /Note\s+CIN N2 \(child's disability\) on the adoption episode, as a proxy/);
    await page.getByTestId('drilldown-close').click();
  });

  test('a fostering drill-down lists households, under the engine\'s column names', async () => {
    await summaryRow(page, 'fostering-households', '2015-16').getByTestId('drilldown-button').click();
    const drilldown = page.getByTestId('drilldown');
    await drilldown.waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'drilldown-heading');
    assert.equal(await page.locator('#drilldown-heading').innerText(), 'Approved fostering households, 2015-16: the households counted');
    // It opens right under its own section.
    assert.equal(await drilldown.evaluate((el) => el.previousElementSibling?.dataset.group), 'Fostering');
    const headings = await drilldown.locator('[data-testid="drilldown-children"] thead th').allInnerTexts();
    assert.deepEqual(headings, ['Household', 'Approved', 'Deregistered']);
    const households = await drilldown
      .locator('[data-testid="drilldown-children"] tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.dataset.child).sort());
    assert.deepEqual(households, ['H1', 'H3', 'H4']);

    await page.getByTestId('drilldown-close').click();
    assert.equal(await page.getByTestId('drilldown').count(), 0);
    const focused = await page.evaluate(() => document.activeElement?.closest('tr')?.dataset.id);
    assert.equal(focused, 'fostering-households');
  });

  test('a drill-down closes when the period chosen hides its row', async () => {
    await summaryRow(page, 'A12', '2015-16').getByTestId('drilldown-button').click();
    await page.getByTestId('drilldown').waitFor();
    assert.match(await page.locator('#drilldown-heading').innerText(), /^A12, 2015-16/);
    await choosePeriod(page, '2014-15');
    assert.equal(await page.getByTestId('drilldown').count(), 0);
  });

  test('"Every period" shows every window of every section', async () => {
    await choosePeriod(page, 'all');
    const fostering = await windowsIn(page, 'Fostering');
    assert.ok(['2016-17', '2015-16', '2014-15'].every((w) => fostering.includes(w)), fostering.join(' '));
    assert.equal(await page.getByTestId('status').innerText(), 'Showing every period.');
    await choosePeriod(page, 'latest');
    assert.deepEqual(await windowsIn(page, 'Fostering'), ['2016-17']);
  });
});

describe('the worked example alone', () => {
  test('points to carers.csv and adopters.csv for the fostering and adopter figures', async () => {
    const page = await env.newPage();
    await upload(page, WORKED_EXAMPLE);
    const missing = page.getByTestId('local-files-missing');
    assert.match(await missing.innerText(), /no fostering or adopter figures: they come from your own carers\.csv and adopters\.csv/);
    assert.equal(await page.locator('#local-files-details').getAttribute('open'), null);
    await missing.getByRole('link').click();
    assert.equal(await page.locator('#local-files-details').getAttribute('open'), '');
    assert.deepEqual(page.consoleErrors, []);
    await page.context().close();
  });
});

describe('a date to work out figures to', () => {
  test('the sections show the year to that date and the 12 months to it, in the usual order', async () => {
    const page = await env.newPage();
    await upload(page, WORKED_EXAMPLE);
    await page.locator('#options-details summary').click();
    await page.getByTestId('as-at-day').fill('30');
    await page.getByTestId('as-at-month').fill('9');
    await page.getByTestId('as-at-year').fill('2016');
    await page.getByTestId('as-at-year').press('Tab');
    await page.waitForFunction(() => document.querySelector('[data-testid="summary-table"] tr[data-window*="30/09/2016"]'));
    assert.match(await page.locator('#view-window option:checked').innerText(), /^Latest: 2016-17 to 30\/09\/2016 and 12 months to 30\/09\/2016$/);
    assert.deepEqual(await windowsIn(page, 'Adoption activity'), ['2016-17 to 30/09/2016', '12 months to 30/09/2016']);
    // Placement stability has no year to date, and where children live no 12 months.
    assert.deepEqual(await windowsIn(page, 'Placement stability'), ['12 months to 30/09/2016']);
    assert.deepEqual(await windowsIn(page, 'Where children live'), ['2016-17 to 30/09/2016']);
    const groups = await page.getByTestId('section').evaluateAll((sections) => sections.map((s) => s.dataset.group));
    assert.deepEqual(groups, ['Adoption scorecard', 'Hard to place', 'Adoption activity', 'Placement stability', 'Where children live']);
    // The scorecard keeps every period, the whole years too.
    assert.equal(await cell(page, 'A1', '2015-16', 'value'), '414 days');
    assert.deepEqual(page.consoleErrors, []);
    await page.context().close();
  });
});

describe('a long list', () => {
  test('a drill-down lists the first 500 of 600 households and says so', async () => {
    const page = await env.newPage();
    const rows = Array.from({ length: 600 }, (_, i) => `H${i + 1},mainstream,,,,01/01/2015,1,,`);
    await page.getByTestId('file-input').setInputFiles([csvFile('carers.csv', [readFileSync(LOCAL_FILES[0], 'utf8').split('\n')[0], ...rows])]);
    await page.getByTestId('results').waitFor({ state: 'visible' });
    // Approved on 01/01/2015: the latest (and only) year is 2014-15.
    assert.equal(await cell(page, 'fostering-households', '2014-15', 'value'), '600');
    await summaryRow(page, 'fostering-households', '2014-15').getByTestId('drilldown-button').click();
    const drilldown = page.getByTestId('drilldown');
    await drilldown.waitFor();
    assert.equal(await drilldown.locator('[data-testid="drilldown-children"] tbody tr').count(), 500);
    assert.equal(await drilldown.getByTestId('drilldown-cut').innerText(), 'The first 500 of 600 households are listed, to keep the page quick.');
    assert.deepEqual(page.consoleErrors, []);
    await page.context().close();
  });
});

describe('several local authorities', () => {
  const NORTH = join(FIXTURES, 'authorities/north-episodes.csv');
  const SOUTH = join(FIXTURES, 'authorities/south-episodes.csv');

  test('a local authority typed for each file gives figures for each and for all together', async () => {
    const page = await env.newPage();
    await upload(page, [NORTH, SOUTH]);
    assert.equal(await page.getByTestId('view-authority').count(), 0, 'no authority choice for one authority');
    assert.equal(await page.getByTestId('input-la').first().isVisible(), false, 'the fields wait for the checkbox');

    await page.getByLabel('Files from more than one local authority').check();
    await page.getByLabel('Local authority of north-episodes.csv (optional)').fill('North');
    await page.getByLabel('Local authority of north-episodes.csv (optional)').press('Tab');
    // Leaving the field recomputes without taking focus away: it moves on to the next control.
    assert.equal(
      await page.evaluate(() => document.activeElement?.closest('[data-testid="input-item"]')?.dataset.name),
      'south-episodes.csv',
    );
    await page.getByLabel('Local authority of south-episodes.csv (optional)').fill('South');
    await page.getByLabel('Local authority of south-episodes.csv (optional)').press('Tab');

    const choice = page.getByTestId('view-authority');
    // The run with North alone may show its report (North and "(no LA)") before South's arrives.
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="view-authority"] option')].some((o) => o.textContent === 'South'));
    const options = await choice.locator('option').allInnerTexts();
    assert.deepEqual(options, ['All authorities together', 'North', 'South', 'Each authority, side by side']);
    // Default: all together. North's C1 waited 334 days, South's 100: (334 + 100) / 2 = 217.
    assert.equal(await cell(page, 'A1', '2015-16', 'value', 'All authorities'), '217 days');
    assert.equal(await summaryRow(page, 'A1', '2015-16').count(), 1, 'one authority at a time');
    await summaryRow(page, 'A1', '2015-16').getByTestId('drilldown-button').click();
    const children = await page
      .locator('[data-testid="drilldown-children"] tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.dataset.child));
    assert.deepEqual(children, ['North:C1', 'South:C1']);
    assert.match(await page.locator('#drilldown-heading').innerText(), /^A1, 2015-16, All authorities/);

    await choice.selectOption({ label: 'North' });
    assert.equal(await cell(page, 'A1', '2015-16', 'value', 'North'), '334 days');
    assert.equal(await page.getByTestId('status').innerText(), 'Showing the latest figures (2015-16) and every scorecard period, for North.');
    await choice.selectOption({ label: 'South' });
    assert.equal(await cell(page, 'A1', '2015-16', 'value', 'South'), '100 days');

    await choice.selectOption({ label: 'Each authority, side by side' });
    const side = await summaryRow(page, 'A1', '2015-16').evaluateAll((trs) => trs.map((tr) => tr.querySelector('[data-col="la"]').textContent));
    assert.deepEqual(side, ['North', 'South', 'All authorities']);

    // Unticking the box leaves the authorities out again.
    await page.getByLabel('Files from more than one local authority').uncheck();
    await page.waitForFunction(() => !document.querySelector('[data-testid="view-authority"]'));
    assert.deepEqual(await summaryRow(page, 'A1', '2015-16').evaluateAll((trs) => trs.map((tr) => tr.dataset.la ?? null)), [null]);
    assert.deepEqual(page.consoleErrors, []);
    await page.context().close();
  });

  test('a file with an LA column needs nothing typed', async () => {
    const page = await env.newPage();
    const rows = (la, placed) => [`C1,01/04/2014,S,C2,N1,U6,PR1,${placed},X1,,,,,${la}`, `C1,${placed},P,E1,N1,A6,PR1,01/09/2015,E11,,,,,${la}`];
    await page.getByTestId('file-input').setInputFiles([csvFile('episodes.csv', [`${EPISODES},LA`, ...rows('North', '01/03/2015'), ...rows('South', '10/07/2014')])]);
    await page.getByTestId('view-authority').waitFor();
    assert.equal(await cell(page, 'A1', '2015-16', 'value', 'All authorities'), '217 days');
    await page.getByTestId('view-authority').selectOption({ label: 'North' });
    assert.equal(await cell(page, 'A1', '2015-16', 'value', 'North'), '334 days');
    assert.deepEqual(page.consoleErrors, []);
    await page.context().close();
  });
});

describe('templates of the local files', () => {
  for (const [name, header, table] of [
    ['carers.csv', 'CARER_ID,CARER_TYPE,ENQUIRY_DATE,APPLICATION_DATE,STAGE2_DATE,APPROVAL_DATE,APPROVED_PLACES,DEREGISTRATION_DATE,DEREGISTRATION_REASON', 'carers'],
    ['adopters.csv', 'ADOPTER_ID,ENQUIRY_DATE,APPLICATION_DATE,STAGE2_DATE,APPROVAL_DATE,MATCH_DATE,WITHDRAWN_DATE', 'adopters'],
  ]) {
    test(`the ${name} template has the header row and one example, and the page reads it back`, async () => {
      const page = await env.newPage();
      await page.locator('#local-files-details summary').click();
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`template-${table}`).click()]);
      assert.equal(download.suggestedFilename(), name);
      const text = readFileSync(await download.path(), 'utf8');
      const lines = text.split(/\r?\n/).filter(Boolean);
      assert.equal(lines[0], header);
      assert.equal(lines.length, 2, 'the header and one example row');

      await page.getByTestId('file-input').setInputFiles([{ name, mimeType: 'text/csv', buffer: Buffer.from(text) }]);
      await page.getByTestId('results').waitFor({ state: 'visible' });
      const row = page.locator(`[data-testid="files-table"] tr[data-file="${name}"]`);
      assert.equal((await row.locator('td').first().textContent()).trim(), table);
      assert.match(await row.locator('td').nth(1).textContent(), /^Used/);
      assert.equal(await page.getByTestId('error-summary').count(), 0);
      assert.deepEqual(page.consoleErrors, []);
      await page.context().close();
    });
  }
});

describe('options for stability, fostering and adopters', () => {
  // tests/indicators.rs stability_files(): on 31/03/2016 P has 2 placements in the year, Q 3, T 2.
  const STABILITY = csvFile('episodes.csv', [
    EPISODES,
    'P,01/01/2015,S,C2,N1,U6,PR1,01/06/2015,X1,,,AB1 1AA,SC1',
    'P,01/06/2015,P,C2,N1,T1,,08/06/2015,X1,,,,',
    'P,08/06/2015,P,C2,N1,U6,PR1,01/09/2015,X1,,,AB1 1AA,SC1',
    'P,01/09/2015,P,C2,N1,U4,PR4,01/01/2016,X1,CARPL,,CD2 2BB,SC9',
    'P,01/01/2016,T,C2,N1,U6,PR4,,,,,CD2 2BB,SC9',
    'Q,01/03/2015,S,C2,N1,U6,PR1,01/05/2015,X1,,,,SC1',
    'Q,01/05/2015,P,C2,N1,U6,PR4,01/08/2015,X1,,,,SC2',
    'Q,01/08/2015,B,E1,N1,K2,PR1,,,,,,SC3',
    'T,01/04/2015,S,C2,N1,U6,PR1,10/05/2015,X1,,,,SC1',
    'T,10/05/2015,P,C2,N1,T4,,15/05/2015,X1,,,,',
    'T,15/05/2015,P,C2,N1,U6,PR1,,,,,,SC2',
  ]);

  test('same-carer moves and a short-term stability target of your own', async () => {
    const page = await env.newPage();
    await page.getByTestId('file-input').setInputFiles([STABILITY]);
    await page.getByTestId('results').waitFor({ state: 'visible' });
    // Q alone had 3 placements: 1 of 3 = 33.3%, 17.3 points over the 16% target.
    assert.equal(await cell(page, 'stability-short-term', '2015-16', 'value'), '33.3% 1 of 3');
    assert.equal(await cell(page, 'stability-short-term', '2015-16', 'threshold'), '16% or less');
    assert.equal(await cell(page, 'stability-short-term', '2015-16', 'gap'), '+17.3 percentage points');
    assert.match(await cell(page, 'stability-short-term', '2015-16', 'status'), /^Not met/);

    await page.locator('#options-details summary').click();
    await page.getByLabel('Count a change of placement with the same carers as a move').check();
    // P's move by RNE T now counts: 2 of 3.
    await page.waitForFunction(() =>
      document.querySelector('tr[data-id="stability-short-term"][data-window="2015-16"] [data-col="value"]')?.textContent.startsWith('66.7%'),
    );
    assert.equal(await cell(page, 'stability-short-term', '2015-16', 'value'), '66.7% 2 of 3');

    await page.getByTestId('opt-target-short').fill('70');
    await page.getByTestId('opt-target-short').press('Tab');
    await page.waitForFunction(() =>
      document.querySelector('tr[data-id="stability-short-term"][data-window="2015-16"] [data-col="threshold"]')?.textContent.startsWith('70%'),
    );
    assert.equal(await cell(page, 'stability-short-term', '2015-16', 'threshold'), '70% or less your value');
    assert.match(await cell(page, 'stability-short-term', '2015-16', 'status'), /^Met/);
    assert.equal(await cell(page, 'stability-short-term', '2015-16', 'gap'), '-3.3 percentage points');
    assert.deepEqual(page.consoleErrors, []);
    await page.context().close();
  });

  test('the fostering assessment time and the conversion goal', async () => {
    const page = await env.newPage();
    await upload(page, LOCAL_FILES);
    await choosePeriod(page, '2015-16');
    assert.equal(await cell(page, 'fostering-assessment-timeliness', '2015-16', 'value'), '100.0% 1 of 1 0 unknown');
    await page.locator('#options-details summary').click();
    // H1 took 214 days from application to approval: late against 6 months (182 days).
    await page.getByTestId('opt-fostering-months').fill('6');
    await page.getByTestId('opt-conversion-goal').fill('60');
    await page.getByTestId('opt-conversion-goal').press('Tab');
    await page.waitForFunction(() =>
      document.querySelector('tr[data-id="fostering-conversion-enquiry-approval"][data-window="2015-16"] [data-col="threshold"]')?.textContent.startsWith('60%'),
    );
    assert.match(await cell(page, 'fostering-assessment-timeliness', '2015-16', 'value'), /^0\.0% 0 of 1/);
    assert.match(await cell(page, 'fostering-assessment-timeliness', '2015-16', 'threshold'), /time limit 182 days/);
    assert.equal(await cell(page, 'fostering-conversion-enquiry-approval', '2015-16', 'threshold'), '60% or more');
    assert.match(await cell(page, 'fostering-conversion-enquiry-approval', '2015-16', 'status'), /^Not met/);
    // The period chosen is kept across the recompute.
    assert.equal(await page.getByTestId('view-window').inputValue(), 'w:2015-16');

    // A number of months that is not a whole number is shown at the field and in the summary.
    await page.getByTestId('opt-adopter-months').fill('six');
    await page.getByTestId('opt-adopter-months').press('Tab');
    const summary = page.getByTestId('error-summary');
    await summary.waitFor();
    const message = 'The adopter approval time must be a whole number from 1 to 120, like 6';
    assert.match(await summary.innerText(), new RegExp(message));
    assert.match(await page.locator('#opt-adopter-months-error').innerText(), new RegExp(message));
    await summary.getByTestId('error-link').first().click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'opt-adopter-months');
    // The figures still show, with the engine's default of 6 months.
    assert.match(await cell(page, 'adopters-approved-within-6-months', '2015-16', 'value'), /time limit 182 days/);
    assert.deepEqual(page.consoleErrors, []);
    await page.context().close();
  });
});

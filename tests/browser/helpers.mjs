// Shared set-up for the real-browser tests: Debian's Chromium driven by playwright-core, and
// the page served from www/ by scripts/serve.mjs on a free port. The page must have been
// built (scripts/build.sh); these tests never build it.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/serve.mjs';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const FIXTURES = join(ROOT, 'tests/fixtures');
export const WORKED_EXAMPLE = ['header.csv', 'episodes.csv', 'ad1.csv', 'placed_adoption.csv'].map((f) =>
  join(FIXTURES, 'worked-example', f),
);
/** The same four tables as one workbook, four sheets. */
export const WORKED_EXAMPLE_XLSX = join(FIXTURES, 'worked-example-xlsx/worked-example.xlsx');
/** The same four CSVs as Excel on Windows saves them: Windows-1252, CRLF. */
export const WORKED_EXAMPLE_1252 = ['header.csv', 'episodes.csv', 'ad1.csv', 'placed_adoption.csv'].map((f) =>
  join(FIXTURES, 'worked-example-1252', f),
);

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
/** Launch flags: nothing of Chromium's own reaches outside (the bench uses them too). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * Starts the server and a browser with a fresh profile. Returns { baseUrl, browser, newPage, close }.
 * newPage() opens the page in a new context (no cookies, no storage), waits for it to be ready
 * and records every request and console error as page.requests / page.consoleErrors.
 */
export async function setUp() {
  if (!existsSync(join(ROOT, 'www/pkg/care_scorecard_bg.wasm'))) {
    throw new Error('www/pkg is not built: run bash scripts/build.sh first');
  }
  const server = await startServer({ port: 0, quiet: true });
  const baseUrl = `http://127.0.0.1:${server.address().port}/`;
  // launch() gives the browser a fresh temporary profile of its own.
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });

  /** @param {import('playwright-core').BrowserContextOptions} [contextOptions] */
  async function newPage(contextOptions = {}) {
    const context = await browser.newContext(contextOptions);
    const page = await context.newPage();
    page.setDefaultTimeout(10000);
    page.requests = [];
    page.consoleErrors = [];
    page.on('request', (request) => page.requests.push(request.url()));
    // The service worker's own requests (www/sw.js keeping the page for offline use) are the
    // context's, not the page's: recorded apart.
    page.workerRequests = [];
    context.on('request', (request) => {
      if (request.serviceWorker()) page.workerRequests.push(request.url());
    });
    page.on('console', (message) => {
      if (message.type() === 'error') page.consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => page.consoleErrors.push(String(error)));
    await page.goto(baseUrl, { waitUntil: 'load' });
    await page.waitForSelector('html[data-ready="true"]', { timeout: 15000 });
    return page;
  }

  async function close() {
    await browser.close();
    await new Promise((resolve) => server.close(resolve));
  }

  return { baseUrl, browser, newPage, close, server };
}

/** Waits until the service worker (www/sw.js) has kept the page's files and controls the page. */
export async function offlineReady(page) {
  await page.waitForSelector('html[data-offline="ready"]', { timeout: 20000 });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20000 });
}

/** The local files of tests/fixtures/local-files (tests/indicators.rs works their figures out). */
export const LOCAL_FILES = ['carers.csv', 'adopters.csv'].map((f) => join(FIXTURES, 'local-files', f));

/** The summary row for one indicator and window, in whichever section it is (and authority, if given). */
export function summaryRow(page, id, window, la) {
  const authority = la === undefined ? '' : `[data-la="${la}"]`;
  return page.locator(`[data-testid="summary-table"] tr[data-id="${id}"][data-window="${window}"]${authority}`);
}

/** The visible text of one cell of a summary row, whitespace collapsed. */
export async function cell(page, id, window, column, la) {
  const text = await summaryRow(page, id, window, la).locator(`[data-col="${column}"]`).innerText();
  return text.replace(/\s+/g, ' ').trim();
}

/** Chooses what the results show: a period ('latest', 'all' or a window label) and an authority. */
export async function choosePeriod(page, period) {
  await page.getByTestId('view-window').selectOption(period === 'latest' || period === 'all' ? period : `w:${period}`);
}

/** Uploads files through the file input and waits for the results to show. */
export async function upload(page, paths) {
  await page.getByTestId('file-input').setInputFiles(paths);
  await page.getByTestId('results').waitFor({ state: 'visible' });
}

/**
 * Runs axe-core on the page; returns its violations. addScriptTag injects an inline script,
 * which the page's Content-Security-Policy forbids: open the page with newPage({ bypassCSP: true }).
 */
export async function axeViolations(page) {
  await page.addScriptTag({ path: join(ROOT, 'node_modules/axe-core/axe.min.js') });
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { resultTypes: ['violations'] }),
  );
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => n.target.join(' ')),
  }));
}

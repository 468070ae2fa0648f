// Downloads and printing: every table of the results as a CSV file, the figures as a CSV (in
// full, or for publication with small numbers hidden), the engine's whole report as JSON, and a
// "Print report" button (the print styles are in export.css).
//
// Everything here is made in the page from the report the engine returned: a download is a
// Blob the browser saves, and asks nothing of any server. The first part of this file is pure
// (no DOM), so tests/www/export.test.mjs runs it under Node; the second part puts a button by
// each table as the page lays the tables out.
//
// The small-number rule of the publication CSV is written down in docs/methodology.md
// ("Publication export: small numbers") and pinned by tests/www/export.test.mjs.

// ---------------------------------------------------------------------------------------------
// CSV (RFC 4180), safe to open in a spreadsheet.

/** The byte-order mark, so Excel reads the file as UTF-8 (£, é, en dashes). */
export const BOM = '\uFEFF';

/** A number as a spreadsheet reads one: "-12", "71.4", "1e3". Never prefixed. */
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * One cell. A text starting with = + - @ (or a tab or carriage return, which some spreadsheets
 * skip before looking for a formula) would be run as a formula when the file is opened: it
 * gets an apostrophe in front, as OWASP advises ("CSV injection"). Plain numbers such as -12
 * stay numbers. Then RFC 4180: a cell holding a comma, a quote or a line break goes in double
 * quotes, its quotes doubled.
 * @param {unknown} value
 */
export function csvCell(value) {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : String(value);
  if (/^[=+\-@\t\r]/.test(text) && !PLAIN_NUMBER.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * A whole file: the byte-order mark, then one line per row, each ended by CRLF (RFC 4180).
 * @param {unknown[][]} rows the first row is the header
 */
export function toCsv(rows) {
  return BOM + rows.map((row) => `${row.map(csvCell).join(',')}\r\n`).join('');
}

// ---------------------------------------------------------------------------------------------
// Formatting, as the page shows values (app.js has the same rules for the screen).

const isNum = (v) => typeof v === 'number' && Number.isFinite(v);

/** "2016-03-31" -> "31/03/2016", the form UK spreadsheets read as a date. */
export function formatDate(iso) {
  if (typeof iso !== 'string') return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** A value in its unit's precision: a percentage to one decimal, a ratio to two. */
function number(value, unit) {
  if (!isNum(value)) return '';
  if (unit === '%') return value.toFixed(1);
  if (unit === 'ratio') return value.toFixed(2);
  return String(value);
}

// ---------------------------------------------------------------------------------------------
// Small numbers (docs/methodology.md, "Publication export: small numbers").

/** What a hidden figure shows, as in DfE tables. */
export const SUPPRESSED = 'c';

/** A count of 1 to 5 (children, households, families, places) is hidden; 0 is shown. */
export const smallCount = (n) => isNum(n) && Math.abs(n) >= 1 && Math.abs(n) <= 5;

/** A rate whose numerator is 1-5 or whose denominator is 1-10 is hidden (indicators.md, 0). */
export const smallRate = (numerator, denominator) =>
  (isNum(numerator) && numerator >= 1 && numerator <= 5) || (isNum(denominator) && denominator >= 1 && denominator <= 10);

/**
 * Which parts of one figure the publication CSV hides: { value, numerator, n, percent, unknown }
 * (true = shown as c). The gap and the status go with the value: either gives the value away.
 * @param {any} ind an indicator of the report
 * @param {any[]} [all] every indicator of the report, for the figures worked out from others
 */
export function suppression(ind, all = []) {
  const hide = { value: false, numerator: false, n: false, percent: false, unknown: false };
  const unit = ind.unit;
  if (unit === '%' || unit === 'ratio') {
    // A rate: count of n. The engine flags the same rule as small_cohort; either hides it.
    hide.value = isNum(ind.value) && (ind.small_cohort === true || smallRate(ind.count, ind.n));
    hide.numerator = smallCount(ind.count) || hide.value;
    hide.n = smallCount(ind.n);
  } else if (unit === 'days') {
    // A mean of 1 to 5 children's days gives their own days away (one child: exactly).
    hide.value = isNum(ind.value) && smallCount(ind.n);
    hide.n = smallCount(ind.n);
  } else {
    hide.value = smallCount(ind.value);
    hide.n = smallCount(ind.n);
    hide.numerator = smallCount(ind.count);
    // A net change is approvals minus deregistrations: hidden when either of those is.
    const net = /^fostering-net-change(.*)$/.exec(ind.id ?? '');
    if (net && !hide.value) {
      const parts = [`fostering-new-approvals${net[1]}`, `fostering-deregistrations${net[1]}`];
      hide.value = all.some(
        (other) =>
          parts.includes(other.id) &&
          other.window === ind.window &&
          (other.la ?? null) === (ind.la ?? null) &&
          smallCount(other.value),
      );
    }
  }
  // The share beside a count (A4: of all leavers): its numerator is the count; its denominator
  // is count / share. A zero count's denominator cannot be told, so its share is hidden too.
  if (isNum(ind.percent)) {
    const count = ind.value;
    const denominator = isNum(count) && ind.percent > 0 ? Math.round((count * 100) / ind.percent) : null;
    hide.percent = hide.value || !isNum(count) || count === 0 || smallRate(count, denominator);
  }
  hide.unknown = smallCount(ind.unknown);
  return hide;
}

// ---------------------------------------------------------------------------------------------
// The figures as rows: one per indicator result, the same columns in full and for publication.

export const SUMMARY_HEAD = [
  'Section',
  'Indicator',
  'Name',
  'Category',
  'Local authority',
  'Period',
  'Period type',
  'From',
  'To',
  'Unit',
  'Value',
  'Numerator',
  'n',
  'Share of total (%)',
  'Unknown',
  'Threshold or target',
  'Met when the value is',
  'Wait or time limit (days)',
  'Gap',
  'Gap unit',
  'Status',
  'Small number',
  'England',
  'England period',
];

/**
 * @param {any} ind
 * @param {{ publication?: boolean, all?: any[] }} [options]
 */
export function summaryRow(ind, { publication = false, all = [] } = {}) {
  const hide = publication ? suppression(ind, all) : { value: false, numerator: false, n: false, percent: false, unknown: false };
  const show = (hidden, text) => (hidden ? SUPPRESSED : text);
  const unit = ind.unit ?? '';
  let threshold = '';
  let direction = '';
  if (isNum(ind.threshold)) {
    threshold = number(ind.threshold, unit);
    direction = 'at most';
  } else if (ind.target && isNum(ind.target.value)) {
    threshold = number(ind.target.value, '%');
    direction = ind.target.direction ?? '';
  }
  let gap = '';
  let gapUnit = '';
  if (isNum(ind.gap)) {
    gap = number(ind.gap, unit);
    gapUnit = unit === '%' ? 'percentage points' : unit;
  } else if (isNum(ind.gap_points)) {
    gap = ind.gap_points.toFixed(1);
    gapUnit = 'percentage points';
  }
  const england = ind.england && isNum(ind.england.value) ? ind.england : null;
  return [
    ind.group ?? '',
    ind.id ?? '',
    ind.name ?? '',
    ind.category ?? '',
    ind.la ?? '',
    ind.window ?? '',
    ind.window_kind ?? '',
    formatDate(ind.start),
    formatDate(ind.end),
    unit,
    show(hide.value, number(ind.value, unit)),
    // The numerator of a rate (A3: children under the limit); counts and means have none.
    unit === '%' || unit === 'ratio' ? show(hide.numerator, number(ind.count, 'count')) : '',
    show(hide.n, number(ind.n, 'count')),
    show(hide.percent, number(ind.percent, '%')),
    show(hide.unknown, number(ind.unknown, 'count')),
    threshold,
    direction,
    number(ind.limit_days, 'days'),
    show(hide.value && gap !== '', gap),
    gapUnit,
    show(hide.value && isNum(ind.value), ind.status ?? ''),
    ind.small_cohort ? 'yes' : 'no',
    england ? number(england.value, unit) : '',
    england ? (england.window ?? '') : '',
  ];
}

/** The figures: a header and one row per indicator (children, excluded rows: never). */
export function summaryRows(indicators, { publication = false } = {}) {
  const all = indicators ?? [];
  return [SUMMARY_HEAD, ...all.map((ind) => summaryRow(ind, { publication, all }))];
}

// ---------------------------------------------------------------------------------------------
// The other tables. These carry child identifiers: for the officer, never for publication.

export function excludedRows(report) {
  return [
    ['Child', 'Indicators', 'Code', 'Reason', 'Date'],
    ...(report?.excluded ?? []).map((x) => [x.child, (x.indicators ?? []).join(' '), x.code, x.reason ?? '', formatDate(x.date)]),
  ];
}

const DIAGNOSTIC_HEAD = ['Severity', 'Code', 'DfE rule', 'File', 'Sheet', 'Row', 'Column', 'Column letter', 'Value', 'Child', 'Message'];
const diagnosticCells = (d) => [
  d.severity ?? '',
  d.code ?? '',
  d.dfe_rule ?? '',
  d.file ?? '',
  d.sheet ?? '',
  d.row ?? '',
  d.column ?? '',
  d.column_letter ?? '',
  d.value ?? '',
  d.child ?? '',
  d.message ?? '',
];

/**
 * The table of problems: every diagnostic (the page lists the first 2,000). Give it the whole
 * list: in a report that carries some (docs/report-format.md, "Diagnostics in pages") each
 * diagnostic is numbered by its `index`, so only those would be listed.
 */
export function diagnosticRows(report) {
  return [['Problem', ...DIAGNOSTIC_HEAD], ...(report?.diagnostics ?? []).map((d, i) => [(d.index ?? i) + 1, ...diagnosticCells(d)])];
}

/** The data-quality view: every row of every check, with the check it belongs to. */
export function qualityRows(report) {
  const diagnostics = new Map((report?.diagnostics ?? []).map((d, i) => [d.index ?? i, d]));
  const rows = [['Check', 'Indicators affected', 'Rows in the check', 'Problem', ...DIAGNOSTIC_HEAD]];
  for (const g of report?.quality ?? []) {
    for (const i of g.diagnostics ?? []) {
      const d = diagnostics.get(i);
      if (d) rows.push([g.title ?? '', (g.indicators ?? []).join(' '), g.count ?? '', i + 1, ...diagnosticCells(d)]);
    }
  }
  return rows;
}

export function fileRows(report) {
  return [
    ['File', 'Sheet', 'Table', 'Status', 'Rows read', 'Used', 'Left out', 'Left out by reason', 'Columns not used'],
    ...(report?.files ?? []).map((f) => [
      f.file ?? '',
      f.sheet ?? '',
      f.table ?? '',
      f.status ?? '',
      f.rows_read ?? 0,
      f.rows_used ?? 0,
      f.rows_excluded ?? 0,
      (f.excluded_by_reason ?? []).map((x) => `${x.reason}: ${x.rows}`).join('; '),
      (f.extra_columns ?? []).join(' '),
    ]),
  ];
}

/** What each row behind a figure is ("Child", "Household", "Family"). */
const subjectOf = (ind) => ind.columns?.subject ?? 'Child';

/** The children (households, families) behind one figure: all of them, not the first 500. */
export function drillChildrenRows(ind) {
  const cols = ind.columns ?? {};
  return [
    [subjectOf(ind), cols.start ?? 'Start', cols.end ?? 'End', 'Adopted', 'Days', 'Counted', 'Note'],
    ...(ind.children ?? []).map((c) => [
      c.child,
      formatDate(c.start),
      formatDate(c.end),
      formatDate(c.adopted),
      c.days ?? '',
      c.counted === true ? 'yes' : c.counted === false ? 'no' : '',
      c.note ?? '',
    ]),
  ];
}

export function drillExcludedRows(ind) {
  return [[subjectOf(ind), 'Code', 'Reason'], ...(ind.excluded ?? []).map((x) => [x.child, x.code ?? '', x.reason ?? ''])];
}

/** A table the page built from no report field (the DfE thresholds): its cells as shown. */
export function domTableRows(table) {
  const text = (cell) => {
    const copy = cell.cloneNode(true);
    // Text for screen readers only ("none" for a dash) is left out; the dash stays.
    for (const el of copy.querySelectorAll('.govuk-visually-hidden')) el.remove();
    return copy.textContent.replace(/\s+/g, ' ').trim();
  };
  return [...table.rows].map((tr) => [...tr.cells].map(text));
}

// ---------------------------------------------------------------------------------------------
// The page: buttons by each table, kept there as the page lays its tables out again.

const slug = (text) => String(text).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

const sameIndicator = (ind, data) =>
  ind.id === data.id &&
  ind.window === data.window &&
  (ind.la ?? '') === (data.la ?? '') &&
  (ind.category ?? '') === (data.category ?? '');

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

const hiddenText = (text) => el('span', { class: 'govuk-visually-hidden' }, text);

/**
 * Saves text (or a Blob) as a file: a Blob the browser downloads; nothing goes over the network.
 */
export function download(name, text, type) {
  const url = URL.createObjectURL(text instanceof Blob ? text : new Blob([text], { type }));
  const a = el('a', { href: url, download: name, hidden: '' });
  document.body.append(a);
  a.click();
  a.remove();
  // The browser has taken the file once the click is handled.
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

const downloadCsv = (name, rows) => download(name, toCsv(rows), 'text/csv;charset=utf-8');

function button(text, what, testid, onclick, extra = {}) {
  // Some downloads wait for the worker (the full report, every problem: for a large council the
  // engine runs again, seconds). Meanwhile the button says it is busy and ignores more clicks;
  // it is not disabled, which would take the keyboard focus away from it.
  const run = async (event) => {
    const self = event.currentTarget;
    if (self.getAttribute('aria-disabled') === 'true') return;
    self.setAttribute('aria-disabled', 'true');
    self.classList.add('govuk-button--disabled');
    try {
      await onclick(event);
    } finally {
      self.removeAttribute('aria-disabled');
      self.classList.remove('govuk-button--disabled');
    }
  };
  return el(
    'button',
    { type: 'button', class: 'govuk-button govuk-button--secondary app-export__button', 'data-testid': testid, onclick: run, ...extra },
    text,
    what ? hiddenText(what) : '',
  );
}

/** The buttons for the whole report, at the top of the results. */
function exportAll(getReport, fullReport) {
  const problem = el('p', { class: 'govuk-error-message', role: 'alert', 'data-testid': 'export-json-error', hidden: '' });
  const block = el(
    'div',
    { class: 'app-export-all app-no-print', 'data-testid': 'export-all' },
    el('h3', { class: 'govuk-heading-s' }, 'Download or print the results'),
    el(
      'div',
      { class: 'govuk-button-group' },
      button('Download the figures (CSV)', '', 'export-summary', () =>
        downloadCsv('care-scorecard-figures.csv', summaryRows(getReport()?.indicators)),
      ),
      button('Download the figures for publication (CSV)', '', 'export-publication', () =>
        downloadCsv('care-scorecard-figures-for-publication.csv', summaryRows(getReport()?.indicators, { publication: true })),
      ),
      button('Download the full report (JSON)', '', 'export-json', async () => {
        // The page's report has figures only; the full one, with every figure's rows, is made on
        // demand, by the engine as JSON text (a Blob: the CLI's --json --children, byte for byte).
        problem.hidden = true;
        try {
          const full = fullReport ? await fullReport() : getReport();
          download('care-scorecard-report.json', full instanceof Blob ? full : `${JSON.stringify(full, null, 2)}\n`, 'application/json');
        } catch (err) {
          problem.textContent = `The full report could not be made: ${String(err?.message ?? err)}. The figures CSV does not need it.`;
          problem.hidden = false;
        }
      }),
      button('Print report', '', 'export-print', () => window.print()),
    ),
    problem,
    el(
      'p',
      { class: 'govuk-body-s' },
      'The figures CSV has every figure of every period, section and authority, with its threshold, gap and status. ',
      'The one for publication hides small numbers as “c”, as DfE tables do, and lists no children. ',
      'The full report and the tables’ own downloads name children: keep them as safely as your SSDA903 files.',
    ),
  );
  return block;
}

/** Which export a table gets, from what the page marked it with; null for none. `rows` may
 * return a promise. */
function tableExport(table, getReport, allDiagnostics) {
  const report = getReport();
  if (!report) return null;
  const testid = table.dataset.testid;
  const caption = table.caption?.textContent.replace(/\s+/g, ' ').trim() ?? '';
  if (testid === 'summary-table') {
    const section = table.closest('[data-group]')?.dataset.group ?? caption;
    return {
      what: `the ${section} figures shown`,
      rows: () => {
        const r = getReport();
        const shown = [...table.querySelectorAll('tbody tr[data-id]')].map((tr) => tr.dataset);
        return summaryRows((r?.indicators ?? []).filter((ind) => shown.some((data) => sameIndicator(ind, data))));
      },
      name: `care-scorecard-${slug(section)}.csv`,
    };
  }
  if (testid === 'excluded-table') return { what: 'the children left out', rows: () => excludedRows(getReport()), name: 'care-scorecard-children-left-out.csv' };
  if (testid === 'diagnostics-table') {
    return { what: 'the problems found', rows: async () => {
        const whole = await allDiagnostics();
        return whole ? diagnosticRows(whole) : null;
      },
      name: 'care-scorecard-problems.csv' };
  }
  if (testid === 'files-table') return { what: 'the rows read from each file', rows: () => fileRows(getReport()), name: 'care-scorecard-files.csv' };
  if (testid === 'targets-table') return { what: 'the DfE thresholds', rows: () => domTableRows(table), name: 'care-scorecard-thresholds.csv' };
  if (testid === 'drilldown-children' || testid === 'drilldown-excluded') {
    const drill = table.closest('[data-testid="drilldown"]');
    const heading = drill?.querySelector('h2')?.textContent ?? '';
    const find = () =>
      (getReport()?.indicators ?? []).find((ind) =>
        // The drill-down names its indicator by id and window; authority and category are in its heading.
        ind.id === drill?.dataset.id && ind.window === drill?.dataset.window && heading.startsWith(drillLabel(ind)),
      );
    const left = testid === 'drilldown-excluded';
    return {
      what: caption,
      rows: () => {
        const ind = find();
        if (!ind) return [[]];
        return left ? drillExcludedRows(ind) : drillChildrenRows(ind);
      },
      name: `care-scorecard-${slug(`${drill?.dataset.id}-${drill?.dataset.window}`)}${left ? '-left-out' : ''}.csv`,
    };
  }
  return null;
}

/** The drill-down heading's label, as app.js writes it ("A1, 2015-16", "Name: category, window, LA"). */
function drillLabel(ind) {
  const title = /^A\d+$/.test(ind.id ?? '') ? ind.id : `${ind.name ?? ind.id}${ind.category ? `: ${ind.category}` : ''}`;
  return `${[title, ind.window, ind.la].filter(Boolean).join(', ')}:`;
}

/** Puts a download button under each table that has none yet, and the report's buttons on top. */
function decorate(root, getReport, fullReport, allDiagnostics) {
  const results = root.querySelector('#results');
  if (results && !results.hidden && getReport() && !results.querySelector('[data-testid="export-all"]')) {
    const first = results.firstElementChild;
    // After the line of rows read, before the figures.
    if (first) first.after(exportAll(getReport, fullReport));
    else results.append(exportAll(getReport, fullReport));
  }
  for (const table of root.querySelectorAll('table[data-testid]')) {
    const box = table.closest('.app-table-scroll') ?? table;
    if (box.nextElementSibling?.classList.contains('app-export')) continue;
    const spec = tableExport(table, getReport, allDiagnostics);
    if (!spec) continue;
    box.classList.add('app-table-scroll--export');
    box.after(
      el(
        'div',
        { class: 'app-export app-no-print' },
        button('Download this table (CSV)', `: ${spec.what}`, 'export-table', async () => {
          // null: the report changed while the rows were fetched.
          const rows = await spec.rows();
          if (rows) downloadCsv(spec.name, rows);
        }, {
          'data-export': table.dataset.testid,
        }),
      ),
    );
  }
  // Quality groups list their rows in many small tables: one download for them all.
  const quality = root.querySelector('#quality');
  if (quality && !quality.querySelector('[data-testid="export-quality"]')) {
    const intro = quality.querySelector('p');
    intro?.after(
      el(
        'div',
        { class: 'app-export app-no-print' },
        button('Download every check’s rows (CSV)', ': data quality', 'export-quality', async () => {
          const whole = await allDiagnostics();
          if (whole) downloadCsv('care-scorecard-data-quality.csv', qualityRows(whole));
        }),
      ),
    );
  }
}

/**
 * Starts watching the page: each time app.js lays out results or a table, its buttons are put
 * back. The only link to app.js is getReport, the report on screen (or null).
 * @param {() => any} getReport
 */
export function initExports(getReport, fullReport = null, allDiagnostics = null) {
  const main = document.getElementById('main-content');
  if (!main) return;
  // Every diagnostic (the report on screen may carry only the ones shown); null: the report changed.
  const whole = allDiagnostics ?? (async () => getReport());
  const run = () => decorate(main, getReport, fullReport, whole);
  new MutationObserver(run).observe(main, { childList: true, subtree: true });
  run();
  // A printed report says when it was printed.
  const printed = el('p', { class: 'govuk-body-s app-print-only', 'data-testid': 'printed-on' });
  main.prepend(printed);
  window.addEventListener('beforeprint', () => {
    const now = new Date();
    const two = (n) => String(n).padStart(2, '0');
    printed.textContent = `Printed on ${two(now.getDate())}/${two(now.getMonth() + 1)}/${now.getFullYear()} from care-scorecard, in this browser. Figures for the periods and authority chosen on the page.`;
  });
}

// The page: reads the files the user gives it, hands their bytes to the engine (Rust compiled
// to WebAssembly, running in worker.js so the page never freezes) and lays out the report the
// engine returns. Every number, status and message on the page comes from the engine (see
// docs/report-format.md); this file only formats dates for display and builds the markup.
// Nothing is sent anywhere and nothing is stored.

import { initAll } from './vendor/govuk/govuk-frontend.min.js';

/** Most error links in the summary; the rest are in the table of problems. */
const MAX_SUMMARY_ERRORS = 20;
/** Most rows in the table of problems; a bad file can produce one per row. */
const MAX_DIAGNOSTIC_ROWS = 2000;

const $ = (id) => document.getElementById(id);

const state = {
  /**
   * What the list of files shows. The bytes live in the worker (transferred, not copied).
   * @type {{ key: number, name: string, size: number, kind: 'file' | 'paste' }[]}
   */
  inputs: [],
  /** Files not yet handed to the worker: { key, name, data: ArrayBuffer }. */
  toSend: [],
  nextKey: 1,
  /** The open drill-down: { id, window } or null. */
  drill: null,
  /** The data-quality groups opened by the user, by qualityKey(), kept across re-renders. */
  qualityOpen: new Set(),
  /** The errors shown last time, so focus moves to the summary only when they change. */
  errorSignature: '',
  ready: false,
};

// ---------------------------------------------------------------------------------------------
// Building markup. Text always goes in as text (file names and cell values are user data).

/**
 * @param {string} tag
 * @param {Record<string, unknown> | null} [attrs]
 * @param {...(Node | string | number | null | undefined | false | Array<unknown>)} children
 */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') el.className = String(value);
    else if (name === 'text') el.textContent = String(value);
    else if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

const hidden = (text) => h('span', { class: 'govuk-visually-hidden' }, text);

/** A dash for an absent value, read out as "none". */
const none = () => [h('span', { 'aria-hidden': 'true' }, '–'), hidden('none')];

/** "2016-03-31" -> "31/03/2016"; anything else is shown as it came. */
function formatDate(iso) {
  if (typeof iso !== 'string') return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

const isNum = (v) => typeof v === 'number' && Number.isFinite(v);

/** A value with its unit, as the engine gave it ("414 days", "71.4%"). */
function formatValue(value, unit) {
  if (!isNum(value)) return none();
  if (unit === '%') return `${value.toFixed(1)}%`;
  if (unit === 'days') return `${value} ${value === 1 ? 'day' : 'days'}`;
  return unit ? `${value} ${unit}` : String(value);
}

/** A signed difference: "+104 days", "-12 days", "0 days". */
function formatGap(gap, unit) {
  if (!isNum(gap)) return none();
  const sign = gap > 0 ? '+' : '';
  if (unit === '%') return `${sign}${gap.toFixed(1)} percentage points`;
  return `${sign}${formatValue(gap, unit)}`;
}

const capitalise = (s) => (s ? s.charAt(0).toUpperCase() + s.slice(1) : '');

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

function statusTag(status) {
  const colour = status === 'met' ? 'govuk-tag--green' : status === 'not met' ? 'govuk-tag--red' : 'govuk-tag--grey';
  return h('strong', { class: `govuk-tag ${colour} app-tag`, 'data-status': status }, capitalise(status ?? 'unknown'));
}

/**
 * A GOV.UK table in a box that scrolls sideways on a narrow screen. The box takes focus so a
 * keyboard user can scroll it too, and is named by the caption.
 */
function table({ caption, captionClass = 'govuk-table__caption--m', head, rows, testid, id, numeric = [] }) {
  return h(
    'div',
    { class: 'app-table-scroll', role: 'region', 'aria-label': caption, tabindex: '0' },
    tableOnly({ caption, captionClass, head, rows, testid, id, numeric }),
  );
}

function tableOnly({ caption, captionClass, head, rows, testid, id, numeric }) {
  return h(
    'table',
    { class: 'govuk-table app-table', 'data-testid': testid, id },
    h('caption', { class: `govuk-table__caption ${captionClass}` }, caption),
    h(
      'thead',
      { class: 'govuk-table__head' },
      h(
        'tr',
        { class: 'govuk-table__row' },
        head.map((label, i) =>
          h('th', { scope: 'col', class: `govuk-table__header${numeric.includes(i) ? ' govuk-table__header--numeric' : ''}` }, label),
        ),
      ),
    ),
    h('tbody', { class: 'govuk-table__body' }, rows),
  );
}

const td = (content, { numeric = false, ...attrs } = {}) =>
  h('td', { ...attrs, class: `govuk-table__cell${numeric ? ' govuk-table__cell--numeric' : ''}` }, content);

// ---------------------------------------------------------------------------------------------
// Inputs: files, drops and pastes.

/** A name not yet in the list, so two files called episodes.csv stay apart in messages. */
function uniqueName(name) {
  const taken = new Set(state.inputs.map((input) => input.name));
  if (!taken.has(name)) return name;
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : '';
  for (let i = 2; ; i += 1) {
    const candidate = `${stem} (${i})${ext}`;
    if (!taken.has(candidate)) return candidate;
  }
}

async function addFiles(fileList) {
  const files = [...fileList];
  if (files.length === 0) return;
  const read = await Promise.all(files.map(async (file) => ({ file, data: await file.arrayBuffer() })));
  for (const { file, data } of read) addInput(uniqueName(file.name), data, 'file');
  recompute({ announce: `${plural(files.length, 'file', 'files')} added.` });
}

/** Lists a file and queues its bytes for the worker (they are transferred, not copied). */
function addInput(name, data, kind) {
  const key = state.nextKey++;
  state.inputs.push({ key, name, size: data.byteLength, kind });
  state.toSend.push({ key, name, data });
}

function addPaste() {
  const textarea = $('paste-text');
  const text = textarea.value;
  if (text.trim() === '') {
    showFieldError('paste-group', 'paste-text-error', ['paste-text'], 'Paste a table first: copy the cells from your spreadsheet, including the header row');
    renderErrorSummary(currentErrors());
    return;
  }
  clearFieldError('paste-group', 'paste-text-error', ['paste-text']);
  const name = uniqueName('pasted table');
  addInput(name, new TextEncoder().encode(text).buffer, 'paste');
  textarea.value = '';
  recompute({ announce: `Pasted table added as “${name}”.` });
}

function removeInput(key) {
  const index = state.inputs.findIndex((input) => input.key === key);
  if (index < 0) return;
  const [removed] = state.inputs.splice(index, 1);
  recompute({ announce: `${removed.name} removed.` });
  // Keep the keyboard user in the list: the next remove button, else the file input.
  const buttons = $('inputs-list').querySelectorAll('button');
  (buttons[Math.min(index, buttons.length - 1)] ?? $('file-input')).focus();
}

function clearAll() {
  state.inputs = [];
  state.toSend = [];
  state.drill = null;
  recompute({ announce: 'All files removed.' });
  $('file-input').focus();
}

function renderInputs() {
  const list = $('inputs-list');
  list.replaceChildren(
    ...state.inputs.map((input) =>
      h(
        'li',
        { class: 'app-inputs__item', 'data-testid': 'input-item', 'data-name': input.name },
        h('span', { class: 'app-inputs__name' }, input.name),
        h('span', { class: 'app-inputs__size govuk-hint' }, input.kind === 'paste' ? ' (pasted)' : ` (${formatSize(input.size)})`),
        h(
          'button',
          { type: 'button', class: 'govuk-button govuk-button--secondary app-inputs__remove', 'data-testid': 'remove-input', onclick: () => removeInput(input.key) },
          'Remove',
          hidden(` ${input.name}`),
        ),
      ),
    ),
  );
  $('inputs').hidden = state.inputs.length === 0;
}

function formatSize(bytes) {
  if (bytes < 1024) return plural(bytes, 'byte', 'bytes');
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

// ---------------------------------------------------------------------------------------------
// Options: read from the form. Only the shape is checked here; the engine judges the values.

function showFieldError(groupId, errorId, inputIds, message) {
  $(groupId).classList.add('govuk-form-group--error');
  const error = $(errorId);
  error.replaceChildren(hidden('Error: '), message);
  error.hidden = false;
  for (const id of inputIds) {
    const input = $(id);
    input.classList.add(input.tagName === 'TEXTAREA' ? 'govuk-textarea--error' : 'govuk-input--error');
    const described = new Set((input.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean));
    described.add(errorId);
    input.setAttribute('aria-describedby', [...described].join(' '));
  }
}

function clearFieldError(groupId, errorId, inputIds) {
  $(groupId).classList.remove('govuk-form-group--error');
  const error = $(errorId);
  error.replaceChildren();
  error.hidden = true;
  for (const id of inputIds) {
    const input = $(id);
    input.classList.remove('govuk-input--error', 'govuk-textarea--error');
    const described = (input.getAttribute('aria-describedby') ?? '').split(' ').filter((x) => x && x !== errorId);
    if (described.length) input.setAttribute('aria-describedby', described.join(' '));
    else input.removeAttribute('aria-describedby');
  }
}

/** Form errors found by readOptions: { href, text }. */
let formErrors = [];

function readAsAt() {
  const ids = ['as-at-day', 'as-at-month', 'as-at-year'];
  const [day, month, year] = ids.map((id) => $(id).value.trim());
  clearFieldError('as-at-group', 'as-at-error', ids);
  if (!day && !month && !year) return null;
  const missing = ids.filter((id, i) => ![day, month, year][i]);
  if (missing.length) {
    const names = missing.map((id) => id.replace('as-at-', '')).join(' and ');
    const message = `The date to work out figures to must include a ${names}`;
    showFieldError('as-at-group', 'as-at-error', missing, message);
    formErrors.push({ href: `#${missing[0]}`, text: message });
    return null;
  }
  const d = Number(day);
  const m = Number(month);
  const y = Number(year);
  const real =
    /^\d{1,2}$/.test(day) && /^\d{1,2}$/.test(month) && /^\d{4}$/.test(year) &&
    m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (!real) {
    const message = 'The date to work out figures to must be a real date, like 30 9 2016';
    showFieldError('as-at-group', 'as-at-error', ids, message);
    formErrors.push({ href: '#as-at-day', text: message });
    return null;
  }
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

function readOverride(key, id, what, example) {
  const value = $(`override-${key}`).value.trim();
  clearFieldError(`override-${key}-group`, `override-${key}-error`, [`override-${key}`]);
  if (value === '') return [];
  if (!/^\d{1,5}$/.test(value) || Number(value) === 0) {
    const message = `${what} must be a whole number, like ${example}`;
    showFieldError(`override-${key}-group`, `override-${key}-error`, [`override-${key}`], message);
    formErrors.push({ href: `#override-${key}`, text: message });
    return [];
  }
  return [{ id, window: null, value: Number(value) }];
}

function readOptions() {
  formErrors = [];
  const checked = (name) => document.querySelector(`input[name="${name}"]:checked`)?.value;
  return {
    as_at: readAsAt(),
    a3_include_waiting: $('a3-include-waiting').checked,
    months: checked('months') ?? 'days',
    thresholds: checked('thresholds') ?? 'floor',
    targets: [
      ...readOverride('a1', 'A1', 'The A1 threshold', '426'),
      ...readOverride('a2', 'A2', 'The A2 threshold', '121'),
      ...readOverride('a3', 'A3', 'The A3 wait limit', '14'),
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Computing and rendering.

/** The latest report, or null. */
let current = null;
/** A message when the engine refused the files as a whole. */
let engineError = null;

/** The engine, in its own thread. */
const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });

/** The run whose report the page waits for; replies to older runs are dropped. */
let runId = 0;
/** The announcement to make when that run's report arrives. */
let pendingAnnouncement = '';

/**
 * Asks the worker for a report over the current files and options. The files it has not had
 * yet go with the request, their bytes transferred: the page keeps no copy. The results, error
 * summary and announcement follow when the report arrives (showResults).
 */
function recompute({ announce = '' } = {}) {
  const options = readOptions();
  renderInputs();
  runId += 1;
  // With no files, or before the engine has loaded, the worker only takes or forgets files.
  const compute = state.ready && state.inputs.length > 0;
  const add = state.toSend.splice(0);
  worker.postMessage(
    { type: 'run', id: runId, add, keep: state.inputs.map((input) => input.key), options, compute },
    add.map((file) => file.data),
  );
  if (!compute) {
    showResults(null, null, announce);
    return;
  }
  pendingAnnouncement = announce;
  startProgress();
}

function showResults(report, error, announce) {
  stopProgress();
  current = report;
  engineError = error;
  renderResults();
  const errors = currentErrors();
  renderErrorSummary(errors);
  announceResults(announce, errors);
}

function onWorkerMessage(event) {
  const message = event.data ?? {};
  if (message.type === 'ready') {
    engineReady(message);
  } else if (message.type === 'failed') {
    engineFailed(message.message);
  } else if (message.id !== runId) {
    // A reply to a run the user has since changed.
  } else if (message.type === 'progress') {
    showProgress(message);
  } else if (message.type === 'report' || message.type === 'error') {
    const announce = pendingAnnouncement;
    pendingAnnouncement = '';
    showResults(message.type === 'report' ? message.report : null, message.type === 'error' ? String(message.message) : null, announce);
  }
}

// ---------------------------------------------------------------------------------------------
// Progress: shown only when a run takes long enough to notice, so small files do not flash it.

const PROGRESS_DELAY_MS = 200;
let progressTimer = null;
/** The latest stage from the worker, shown once the delay has passed. */
let progressStage = null;

function startProgress() {
  progressStage = { stage: 'starting' };
  $('results').setAttribute('aria-busy', 'true');
  clearTimeout(progressTimer);
  renderProgress();
  progressTimer = setTimeout(() => {
    progressTimer = null;
    $('progress').hidden = false;
    renderProgress();
  }, PROGRESS_DELAY_MS);
}

function showProgress(stage) {
  progressStage = stage;
  renderProgress();
}

function stopProgress() {
  clearTimeout(progressTimer);
  progressTimer = null;
  progressStage = null;
  $('progress').hidden = true;
  $('results').removeAttribute('aria-busy');
}

/** Reading file i of n is step i of n + 1; computing is the last step. */
function renderProgress() {
  const p = progressStage ?? {};
  const bar = $('progress-bar');
  let text;
  if (p.stage === 'reading' && isNum(p.file) && isNum(p.files)) {
    text = `Reading file ${p.file} of ${p.files}: ${p.name ?? ''}`;
    bar.max = p.files + 1;
    bar.value = p.file - 1;
  } else if (p.stage === 'computing') {
    text = 'Computing the figures';
    bar.max = state.inputs.length + 1;
    bar.value = state.inputs.length;
  } else {
    text = 'Reading your files';
    bar.removeAttribute('value');
  }
  $('progress-text').textContent = text;
  bar.textContent = text;
  // Announced only once shown: a quick run goes straight to "Results updated".
  if (!$('progress').hidden) $('status').textContent = `${text}.`;
}

/** Errors for the summary, in page order: form errors, then the engine's. */
function currentErrors() {
  const list = [...formErrors];
  if (!$('paste-text-error').hidden) list.unshift({ href: '#paste-text', text: $('paste-text-error').lastChild?.textContent ?? '' });
  if (engineError) list.push({ href: '#results-heading', text: `The files could not be read: ${engineError}` });
  if (current) {
    (current.diagnostics ?? []).forEach((d, i) => {
      if (d.severity === 'error') list.push({ href: `#diagnostic-${i + 1}`, text: diagnosticText(d) });
    });
  }
  return list;
}

/** The engine's message; it starts with file, row and column (docs/report-format.md). */
function diagnosticText(d) {
  const message = d.message ?? '';
  if (d.file && !message.includes(d.file)) {
    const where = [d.file, d.row != null ? `row ${d.row}` : null, d.column].filter(Boolean).join(', ');
    return `${where}: ${message}`;
  }
  return message;
}

function warningCount() {
  return (current?.diagnostics ?? []).filter((d) => d.severity === 'warning').length;
}

function renderErrorSummary(errors) {
  const slot = $('error-summary-slot');
  const signature = JSON.stringify(errors);
  if (errors.length === 0) {
    slot.replaceChildren();
    state.errorSignature = '';
    return;
  }
  const shown = errors.slice(0, MAX_SUMMARY_ERRORS);
  const warnings = warningCount();
  const summary = h(
    'div',
    { class: 'govuk-error-summary', 'data-testid': 'error-summary', id: 'error-summary', tabindex: '-1' },
    h(
      'div',
      { role: 'alert' },
      h('h2', { class: 'govuk-error-summary__title' }, 'There is a problem'),
      h(
        'div',
        { class: 'govuk-error-summary__body' },
        current && errors.some((e) => e.href.startsWith('#diagnostic-'))
          ? h('p', { class: 'govuk-body' }, 'Rows with these problems were left out of the figures. Correct them in your files and add the files again.')
          : null,
        h(
          'ul',
          { class: 'govuk-list govuk-error-summary__list' },
          shown.map((e) => h('li', null, h('a', { href: e.href, 'data-testid': 'error-link', onclick: revealTarget }, e.text))),
        ),
        errors.length > shown.length
          ? h('p', { class: 'govuk-body' }, h('a', { href: '#diagnostics', class: 'govuk-link' }, `${errors.length - shown.length} more problems are listed in the table of problems`))
          : null,
        warnings > 0
          ? h('p', { class: 'govuk-body', 'data-testid': 'warning-count' }, h('a', { href: '#diagnostics', class: 'govuk-link' }, `${plural(warnings, 'warning', 'warnings')} in the table of problems`))
          : null,
      ),
    ),
  );
  slot.replaceChildren(summary);
  if (signature !== state.errorSignature) summary.focus();
  state.errorSignature = signature;
}

/** A field with an error may sit in a closed <details>: open it before the link jumps there. */
function revealTarget(event) {
  const target = document.querySelector(event.currentTarget.getAttribute('href'));
  const details = target?.closest('details');
  if (details && !details.open) details.open = true;
}

function announceResults(prefix, errors) {
  let text = prefix;
  if (current) {
    const problems = errors.length ? ` ${plural(errors.length, 'problem', 'problems')} to fix.` : '';
    text += ` Results updated from ${plural(state.inputs.length, 'file', 'files')}.${problems}`;
  }
  $('status').textContent = text.trim();
}

function renderResults() {
  const results = $('results');
  $('results-empty').hidden = Boolean(current) || Boolean(engineError);
  $('results-empty').textContent = state.ready ? 'Add your files to see the results.' : 'Loading the calculator…';
  if (!current) {
    results.hidden = true;
    results.replaceChildren();
    return;
  }
  results.hidden = false;
  // replaceChildren would print an absent section as the text "null".
  results.replaceChildren(
    ...[
      renderAccounting(current),
      renderSummary(current),
      renderDrilldown(current),
      renderQuality(current),
      renderDiagnostics(current),
      renderExcluded(current),
    ].filter(Boolean),
  );
}

function renderAccounting(r) {
  const c = r.counts ?? {};
  const cov = r.coverage ?? {};
  const warnings = warningCount();
  return h(
    'div',
    { class: 'app-section' },
    h(
      'p',
      { class: 'govuk-body', 'data-testid': 'row-accounting', id: 'row-accounting' },
      `${plural(c.files ?? 0, 'file', 'files')}: ${plural(c.rows_read ?? 0, 'row', 'rows')} read, ${c.rows_used ?? 0} used, ${c.rows_excluded ?? 0} left out.`,
      warnings > 0 ? ` ${plural(warnings, 'warning', 'warnings')}.` : '',
    ),
    cov.first_date || (cov.years ?? []).length
      ? h(
          'p',
          { class: 'govuk-body', 'data-testid': 'coverage' },
          cov.first_date && cov.last_date ? `The files cover ${formatDate(cov.first_date)} to ${formatDate(cov.last_date)}` : 'The files cover',
          (cov.years ?? []).length ? ` (collection years ${cov.years.join(', ')}).` : '.',
        )
      : null,
    h(
      'details',
      { class: 'govuk-details', 'data-testid': 'files-details' },
      h('summary', { class: 'govuk-details__summary' }, h('span', { class: 'govuk-details__summary-text' }, 'Rows read from each file')),
      h(
        'div',
        { class: 'govuk-details__text' },
        table({
          caption: 'Rows read from each file',
          captionClass: 'govuk-table__caption--s',
          testid: 'files-table',
          head: ['File', 'Table', 'Status', 'Rows read', 'Used', 'Left out'],
          numeric: [3, 4, 5],
          rows: (r.files ?? []).map((f) =>
            h(
              'tr',
              { class: 'govuk-table__row', 'data-file': f.file },
              h('th', { scope: 'row', class: 'govuk-table__header' }, f.file, f.sheet ? `, ${f.sheet}` : ''),
              td(f.table ?? none()),
              td([
                capitalise(f.status ?? ''),
                (f.extra_columns ?? []).length ? h('span', { class: 'govuk-hint app-cell-hint' }, `Columns not used: ${f.extra_columns.join(', ')}`) : null,
              ]),
              td(String(f.rows_read ?? 0), { numeric: true }),
              td(String(f.rows_used ?? 0), { numeric: true }),
              td(
                [
                  String(f.rows_excluded ?? 0),
                  (f.excluded_by_reason ?? []).map((x) => h('span', { class: 'govuk-hint app-cell-hint' }, `${x.reason}: ${x.rows}`)),
                ],
                { numeric: true },
              ),
            ),
          ),
        }),
      ),
    ),
  );
}

const indicatorLabel = (ind) => `${ind.id}, ${ind.window}`;

function renderSummary(r) {
  const indicators = r.indicators ?? [];
  if (indicators.length === 0) {
    return h(
      'p',
      { class: 'govuk-body', 'data-testid': 'summary-empty' },
      'There are no figures to show: the files hold no adoptions or decisions in any collection year. Check that you added the episodes file.',
    );
  }
  return table({
    caption: 'Adoption scorecard',
    captionClass: 'govuk-table__caption--l',
    testid: 'summary-table',
    id: 'summary-table',
    head: ['Indicator', 'Window', 'Value', 'Threshold', 'Gap', 'Status', 'n', 'Children'],
    numeric: [2, 3, 4, 6],
    rows: indicators.map((ind) => {
      const open = state.drill && state.drill.id === ind.id && state.drill.window === ind.window;
      return h(
        'tr',
        { class: 'govuk-table__row', 'data-id': ind.id, 'data-window': ind.window, 'data-testid': 'summary-row' },
        h(
          'th',
          { scope: 'row', class: 'govuk-table__header app-indicator' },
          h('span', { class: 'app-indicator__id' }, ind.id),
          h('span', { class: 'govuk-hint app-cell-hint' }, ind.name ?? ''),
        ),
        td(
          [
            ind.window,
            ind.start && ind.end ? h('span', { class: 'govuk-hint app-cell-hint' }, `${formatDate(ind.start)} to ${formatDate(ind.end)}`) : null,
          ],
          { 'data-col': 'window' },
        ),
        td(
          [
            formatValue(ind.value, ind.unit),
            ind.unit === '%' && isNum(ind.count) && isNum(ind.n) ? h('span', { class: 'govuk-hint app-cell-hint' }, `${ind.count} of ${ind.n}`) : null,
          ],
          { numeric: true, 'data-col': 'value' },
        ),
        td(
          [
            isNum(ind.threshold) ? formatValue(ind.threshold, ind.unit) : none(),
            ind.threshold_overridden
              ? h('span', { class: 'govuk-hint app-cell-hint' }, 'your value')
              : ind.threshold_window
                ? h('span', { class: 'govuk-hint app-cell-hint' }, `DfE ${ind.threshold_window}`)
                : null,
            isNum(ind.limit_days) ? h('span', { class: 'govuk-hint app-cell-hint' }, `wait limit ${ind.limit_days} days`) : null,
          ],
          { numeric: true, 'data-col': 'threshold' },
        ),
        td(formatGap(ind.gap, ind.unit), { numeric: true, 'data-col': 'gap' }),
        td(
          [statusTag(ind.status), ind.small_cohort ? h('span', { class: 'govuk-hint app-cell-hint', 'data-testid': 'small-cohort' }, 'Small number of children: treat with care') : null],
          { 'data-col': 'status' },
        ),
        td(isNum(ind.n) ? String(ind.n) : none(), { numeric: true, 'data-col': 'n' }),
        td(
          h(
            'button',
            {
              type: 'button',
              class: 'app-link-button',
              'data-testid': 'drilldown-button',
              'aria-controls': 'drilldown',
              'aria-expanded': open ? 'true' : 'false',
              onclick: () => openDrilldown(ind.id, ind.window),
            },
            'Show',
            hidden(` children in ${indicatorLabel(ind)}`),
          ),
          { 'data-col': 'children' },
        ),
      );
    }),
  });
}

function openDrilldown(id, windowLabel) {
  state.drill = { id, window: windowLabel };
  renderResults();
  $('drilldown-heading')?.focus();
}

function closeDrilldown() {
  const { id, window: windowLabel } = state.drill ?? {};
  state.drill = null;
  renderResults();
  const row = [...document.querySelectorAll('#summary-table tr[data-id]')].find((tr) => tr.dataset.id === id && tr.dataset.window === windowLabel);
  row?.querySelector('button')?.focus();
}

function renderDrilldown(r) {
  if (!state.drill) return null;
  const ind = (r.indicators ?? []).find((x) => x.id === state.drill.id && x.window === state.drill.window);
  if (!ind) {
    state.drill = null;
    return null;
  }
  const cols = ind.columns ?? {};
  const children = ind.children ?? [];
  const hasCounted = children.some((c) => c.counted !== null && c.counted !== undefined);
  const label = indicatorLabel(ind);
  const facts = [
    ['Indicator', ind.name],
    ['Period', ind.start && ind.end ? `${formatDate(ind.start)} to ${formatDate(ind.end)} (${ind.window_kind ?? ind.window})` : ind.window],
    ['Value', [formatValue(ind.value, ind.unit), ind.unit === '%' && isNum(ind.count) ? ` (${ind.count} of ${ind.n})` : '']],
    ['Children counted', isNum(ind.n) ? String(ind.n) : none()],
    ind.unit === 'days' && isNum(ind.median)
      ? ['Median, shortest, longest', `${formatValue(ind.median, 'days')}, ${formatValue(ind.min, 'days')}, ${formatValue(ind.max, 'days')}`]
      : null,
    isNum(ind.limit_days) ? ['Wait limit', formatValue(ind.limit_days, 'days')] : null,
    [
      'Threshold',
      isNum(ind.threshold)
        ? [formatValue(ind.threshold, ind.unit), ind.threshold_overridden ? ' (your value)' : ind.threshold_window ? ` (DfE, ${ind.threshold_window})` : '']
        : none(),
    ],
    ind.threshold_source && !ind.threshold_overridden ? ['Source of the threshold', ind.threshold_source] : null,
    ind.england && isNum(ind.england.value)
      ? ['England', `${formatValue(ind.england.value, ind.unit)} (${ind.england.window}${ind.england.source ? `, ${ind.england.source}` : ''})`]
      : null,
  ].filter(Boolean);

  return h(
    'section',
    { class: 'app-drilldown', id: 'drilldown', 'data-testid': 'drilldown', 'data-id': ind.id, 'data-window': ind.window, 'aria-labelledby': 'drilldown-heading' },
    h('h2', { class: 'govuk-heading-l', id: 'drilldown-heading', tabindex: '-1' }, `Children in ${label}`),
    h(
      'dl',
      { class: 'govuk-summary-list govuk-summary-list--no-border' },
      facts.map(([key, value]) =>
        h('div', { class: 'govuk-summary-list__row' }, h('dt', { class: 'govuk-summary-list__key' }, key), h('dd', { class: 'govuk-summary-list__value' }, value)),
      ),
    ),
    children.length
      ? table({
          caption: `Children counted in ${label}`,
          testid: 'drilldown-children',
          head: ['Child', cols.start ?? 'Start', cols.end ?? 'End', 'Adopted', 'Days', ...(hasCounted ? ['Counted'] : []), 'Note'],
          numeric: [4],
          rows: children.map((c) =>
            h(
              'tr',
              { class: 'govuk-table__row', 'data-child': c.child },
              h('th', { scope: 'row', class: 'govuk-table__header' }, c.child),
              td(c.start ? formatDate(c.start) : none()),
              td(c.end ? formatDate(c.end) : none()),
              td(c.adopted ? formatDate(c.adopted) : none()),
              td(isNum(c.days) ? String(c.days) : none(), { numeric: true, 'data-col': 'days' }),
              hasCounted ? td(c.counted === true ? 'Yes' : c.counted === false ? 'No' : none(), { 'data-col': 'counted' }) : null,
              td(c.note ?? ''),
            ),
          ),
        })
      : h('p', { class: 'govuk-body' }, `No children are counted in ${label}.`),
    (ind.excluded ?? []).length
      ? table({
          caption: `Children left out of ${label}`,
          testid: 'drilldown-excluded',
          head: ['Child', 'Reason'],
          rows: ind.excluded.map((x) =>
            h('tr', { class: 'govuk-table__row', 'data-child': x.child, 'data-code': x.code }, h('th', { scope: 'row', class: 'govuk-table__header' }, x.child), td(x.reason ?? x.code)),
          ),
        })
      : null,
    h('button', { type: 'button', class: 'govuk-button govuk-button--secondary', 'data-testid': 'drilldown-close', onclick: closeDrilldown }, 'Close', hidden(` children in ${label}`)),
  );
}

// ---------------------------------------------------------------------------------------------
// Data quality: the engine's `quality` groups (docs/report-format.md), each opening onto its rows.
// The groups, their titles, counts and order come from the engine; this only lays them out.

/** Most rows listed in one open group; a bad file can put thousands in one. */
const MAX_QUALITY_ROWS = 500;

const qualityKey = (g) => `${g.code}|${g.dfe_rule ?? ''}|${g.severity}`;

const severityTag = (severity) =>
  h(
    'strong',
    { class: `govuk-tag app-tag ${severity === 'error' ? 'govuk-tag--red' : severity === 'warning' ? 'govuk-tag--yellow' : 'govuk-tag--grey'}` },
    capitalise(severity),
  );

function renderQuality(r) {
  const groups = r.quality ?? [];
  if (groups.length === 0) return null;
  return h(
    'section',
    { class: 'app-section', id: 'quality', 'data-testid': 'quality', 'aria-labelledby': 'quality-heading' },
    h('h2', { class: 'govuk-heading-l', id: 'quality-heading' }, 'Data quality'),
    h(
      'p',
      { class: 'govuk-body' },
      'The problems found in your files, grouped by check. Where a check is one of the DfE’s SSDA903 validation rules, its rule number is shown: the DfE will query these rows when you submit your return. Open a check to see its rows, by file, row and column, so you can find and correct them in your own system.',
    ),
    groups.map((g) => renderQualityGroup(r, g)),
  );
}

function renderQualityGroup(r, g) {
  const key = qualityKey(g);
  const open = state.qualityOpen.has(key);
  const body = h('div', { class: 'govuk-details__text' });
  const fill = () => {
    if (body.childElementCount === 0) append(body, qualityRows(r, g));
  };
  if (open) fill();
  const details = h(
    'details',
    {
      class: 'govuk-details app-quality',
      'data-testid': 'quality-group',
      'data-code': g.code,
      'data-rule': g.dfe_rule ?? '',
      'data-severity': g.severity,
      'data-count': g.count,
      open,
    },
    h(
      'summary',
      { class: 'govuk-details__summary' },
      h(
        'span',
        { class: 'govuk-details__summary-text' },
        g.dfe_rule ? `DfE rule ${g.dfe_rule}: ` : '',
        g.title,
        ` (${plural(g.count, 'row', 'rows')})`,
      ),
    ),
    body,
  );
  // The rows are built when the group is first opened: a large file can have thousands.
  details.addEventListener('toggle', () => {
    if (details.open) {
      state.qualityOpen.add(key);
      fill();
    } else {
      state.qualityOpen.delete(key);
    }
  });
  return details;
}

function qualityRows(r, g) {
  const diagnostics = r.diagnostics ?? [];
  const indices = (g.diagnostics ?? []).filter((i) => diagnostics[i]);
  const shown = indices.slice(0, MAX_QUALITY_ROWS);
  const label = `${g.dfe_rule ? `DfE rule ${g.dfe_rule}: ` : ''}${g.title}`;
  return [
    h(
      'p',
      { class: 'govuk-body' },
      severityTag(g.severity),
      ' ',
      g.severity === 'error' ? 'These rows were left out of the figures.' : 'These rows are used in the figures: check them.',
      (g.indicators ?? []).length ? ` Can change ${g.indicators.join(', ')}.` : '',
      ` Check code ${g.code}.`,
    ),
    table({
      caption: `Rows: ${label}`,
      captionClass: 'govuk-table__caption--s',
      testid: 'quality-rows',
      head: ['File', 'Row', 'Column', 'Value', 'Message', 'In the table of problems'],
      numeric: [1],
      rows: shown.map((i) => {
        const d = diagnostics[i];
        return h(
          'tr',
          { class: 'govuk-table__row', 'data-row': d.row ?? '', 'data-file': d.file ?? '' },
          td([d.file ?? none(), d.sheet ? `, ${d.sheet}` : '']),
          td(d.row != null ? String(d.row) : none(), { numeric: true }),
          td(d.column ? [d.column, d.column_letter ? h('span', { class: 'govuk-hint app-cell-hint' }, `column ${d.column_letter}`) : null] : none()),
          td(d.value != null && d.value !== '' ? h('code', { class: 'app-value' }, d.value) : none()),
          td(d.message ?? ''),
          td(
            i < MAX_DIAGNOSTIC_ROWS
              ? h('a', { class: 'govuk-link', href: `#diagnostic-${i + 1}`, 'data-testid': 'quality-jump' }, `Problem ${i + 1}`, hidden(` of the table of problems, ${d.file ?? ''} row ${d.row ?? ''}`))
              : 'Not listed there',
          ),
        );
      }),
    }),
    indices.length > shown.length
      ? h('p', { class: 'govuk-body' }, `The first ${shown.length} of ${indices.length} rows are shown. Correct these and add the files again to see the rest.`)
      : null,
  ];
}

function renderDiagnostics(r) {
  const diagnostics = r.diagnostics ?? [];
  if (diagnostics.length === 0) {
    return h('p', { class: 'govuk-body', id: 'diagnostics', 'data-testid': 'no-diagnostics' }, 'No problems were found in the files.');
  }
  const shown = diagnostics.slice(0, MAX_DIAGNOSTIC_ROWS);
  return h(
    'div',
    { class: 'app-section', id: 'diagnostics' },
    table({
      caption: 'Problems found in the files',
      testid: 'diagnostics-table',
      head: ['Severity', 'File', 'Row', 'Column', 'Value', 'Message'],
      numeric: [2],
      rows: shown.map((d, i) =>
        h(
          'tr',
          { class: 'govuk-table__row app-diagnostic', id: `diagnostic-${i + 1}`, tabindex: '-1', 'data-severity': d.severity, 'data-code': d.code },
          td(h('strong', { class: `govuk-tag app-tag ${d.severity === 'error' ? 'govuk-tag--red' : d.severity === 'warning' ? 'govuk-tag--yellow' : 'govuk-tag--grey'}` }, capitalise(d.severity))),
          td([d.file ?? none(), d.sheet ? `, ${d.sheet}` : '']),
          td(d.row != null ? String(d.row) : none(), { numeric: true }),
          td(d.column ? [d.column, d.column_letter ? h('span', { class: 'govuk-hint app-cell-hint' }, `column ${d.column_letter}`) : null] : none()),
          td(d.value != null && d.value !== '' ? h('code', { class: 'app-value' }, d.value) : none()),
          td([d.message ?? '', d.dfe_rule ? h('span', { class: 'govuk-hint app-cell-hint' }, `DfE rule ${d.dfe_rule}`) : null]),
        ),
      ),
    }),
    diagnostics.length > shown.length
      ? h('p', { class: 'govuk-body' }, `The first ${shown.length} of ${diagnostics.length} problems are shown. Correct these and add the files again to see the rest.`)
      : null,
  );
}

function renderExcluded(r) {
  const excluded = r.excluded ?? [];
  if (excluded.length === 0) return null;
  return table({
    caption: 'Children left out of an indicator',
    testid: 'excluded-table',
    id: 'excluded',
    head: ['Child', 'Indicators', 'Reason', 'Date'],
    rows: excluded.map((x) =>
      h(
        'tr',
        { class: 'govuk-table__row', 'data-child': x.child, 'data-code': x.code },
        h('th', { scope: 'row', class: 'govuk-table__header' }, x.child),
        td((x.indicators ?? []).join(', ')),
        td(x.reason ?? x.code),
        td(x.date ? formatDate(x.date) : none()),
      ),
    ),
  });
}

const daysAndMonths = (days, months) =>
  isNum(days) ? `${formatValue(days, 'days')}${isNum(months) ? ` (${months} months)` : ''}` : none();

function renderTargets(rows) {
  if (!Array.isArray(rows)) return;
  $('targets-slot').replaceChildren(
    table({
      caption: 'DfE thresholds by period',
      captionClass: 'govuk-table__caption--s',
      testid: 'targets-table',
      head: ['Period', 'A1', 'A2', 'A3 wait limit', 'Source'],
      rows: rows.map((t) =>
        h(
          'tr',
          { class: 'govuk-table__row' },
          h('th', { scope: 'row', class: 'govuk-table__header' }, t.window),
          td(daysAndMonths(t.a1_days, t.a1_months)),
          td(daysAndMonths(t.a2_days, t.a2_months)),
          td(isNum(t.a3_months) ? `${t.a3_months} months` : none()),
          td(t.source ?? ''),
        ),
      ),
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Wiring.

function wire() {
  $('file-input').addEventListener('change', async (event) => {
    const input = event.currentTarget;
    await addFiles(input.files ?? []);
    // Choosing the same file again must fire "change" again.
    input.value = '';
  });

  const zone = $('drop-zone');
  const hasFiles = (event) => [...(event.dataTransfer?.types ?? [])].includes('Files');
  zone.addEventListener('dragover', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    zone.classList.add('app-drop-zone--active');
  });
  zone.addEventListener('dragleave', (event) => {
    if (!zone.contains(event.relatedTarget)) zone.classList.remove('app-drop-zone--active');
  });
  zone.addEventListener('drop', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    zone.classList.remove('app-drop-zone--active');
    addFiles(event.dataTransfer.files);
  });
  // A file dropped beside the zone would make the browser open it and leave the page.
  for (const type of ['dragover', 'drop']) {
    window.addEventListener(type, (event) => {
      if (hasFiles(event) && !zone.contains(event.target)) event.preventDefault();
    });
  }

  $('paste-button').addEventListener('click', addPaste);
  $('clear-all').addEventListener('click', clearAll);

  const form = $('options');
  form.addEventListener('submit', (event) => event.preventDefault());
  // "change", not "input", so nothing is recomputed mid-number. A date is checked once all three
  // fields are filled or focus leaves them: moving from Day to Month must not raise an error.
  const dateGroup = $('as-at-group');
  const dateFields = ['as-at-day', 'as-at-month', 'as-at-year'];
  form.addEventListener('change', (event) => {
    const filled = dateFields.filter((id) => $(id).value.trim() !== '').length;
    if (dateFields.includes(event.target.id) && filled > 0 && filled < 3) return;
    recompute();
  });
  dateGroup.addEventListener('focusout', (event) => {
    if (!dateGroup.contains(event.relatedTarget)) recompute();
  });
}

function engineReady({ version, targets }) {
  state.ready = true;
  $('engine-version').textContent = `version ${version}`;
  renderTargets(targets);
  document.documentElement.dataset.ready = 'true';
  recompute();
}

function engineFailed(reason) {
  $('engine-problem-text').textContent =
    `The calculator did not load (${reason}). Reload the page. If it still does not load, the page has not been built: run scripts/serve.sh.`;
  $('engine-problem').hidden = false;
  $('engine-problem').focus();
  $('results-empty').textContent = 'The calculator did not load.';
}

function start() {
  wire();
  initAll();
  worker.addEventListener('message', onWorkerMessage);
  worker.addEventListener('error', (event) => {
    const reason = event.message || 'the worker stopped';
    // Before the engine is ready this is a failure to load; after, the run in hand failed.
    if (!state.ready) engineFailed(reason);
    else showResults(null, reason, '');
  });
}

start();

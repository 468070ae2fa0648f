// The page: reads the files the user gives it, hands their bytes to the engine (Rust compiled
// to WebAssembly, running in worker.js so the page never freezes) and lays out the report the
// engine returns. Every number, status and message on the page comes from the engine (see
// docs/report-format.md); this file only formats dates for display and builds the markup.
// Nothing is sent anywhere and nothing is stored.

import { initAll } from './vendor/govuk/govuk-frontend.min.js';
import { engineInfo } from './boot.js';

/** The engine's worker (worker.js), once started. */
let worker = null;
/**
 * The engine's worker, started the first time it is needed: not in the first view (issue 6),
 * whose thread and module would compete with it for the processor, but once the page is idle,
 * the user moves to give it data, or a message must go to it.
 */
function engineWorker() {
  if (!worker) {
    worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    worker.addEventListener('message', onWorkerMessage);
    worker.addEventListener('error', onWorkerError);
  }
  return worker;
}

// The modules of issue 5, which app.js calls at the places marked "issue 5": charts (charts.js),
// published figures and share links (published-view.js, published.js), export (export.js:
// download buttons by each table, the figures CSV, JSON report, print), and the demo data,
// what-if projection and "How this figure was worked out" (insights.js). None is part of the
// first view (issue 6): loadLater() imports them once it is shown, and the page lays out no
// results before they are in.
let charts = null;
let publishedView = null;
let insights = null;
let laterLoad = null;
function loadLater() {
  laterLoad ??= Promise.all([import('./charts.js'), import('./published-view.js'), import('./export.js'), import('./insights.js')]).then(
    ([chartsModule, publishedModule, exportModule, insightsModule]) => {
      [charts, publishedView, insights] = [chartsModule, publishedModule, insightsModule];
      publishedView.initPublished(); // the published-figures view and share links (#published, #figures=...)
      if (state.targets) publishedView.setTargets(state.targets); // it sets figures against these
      // www/export.js adds its buttons to the tables as they are laid out.
      exportModule.initExports(() => current, fullReport, allDiagnostics);
      insights.wireWhatIf(engineWorker());
      insights.setRowsSource((ind) => childRowsOf(ind).then((children) => ({ children, excluded: ind.excluded ?? [] })));
    },
    (err) => engineFailed(`the page's scripts did not load: ${String(err?.message ?? err)}`),
  );
  return laterLoad;
}

/** Most error links in the summary; the rest are in the table of problems. */
const MAX_SUMMARY_ERRORS = 20;
/** Most rows in the table of problems; a bad file can produce one per row. */
const MAX_DIAGNOSTIC_ROWS = 2000;
/** Most rows listed in one open data-quality group; a bad file can put thousands in one. */
const MAX_QUALITY_ROWS = 500;
/**
 * The diagnostics the report carries: the ones the page shows (docs/report-format.md,
 * "Diagnostics in pages"). The downloads fetch the whole list from the worker.
 */
const DIAGNOSTICS_SHOWN = { first: MAX_DIAGNOSTIC_ROWS, per_group: MAX_QUALITY_ROWS };
/** Most children (households, families) listed in a drill-down; a large council has thousands. */
const MAX_DRILL_ROWS = 500;
/** The engine's label for the figures of several authorities together (`la`). */
const ALL_AUTHORITIES = 'All authorities';
/** The engine's group for A1, A10, A2 and A3: shown in every period unless one is chosen. */
const SCORECARD = 'Adoption scorecard';

const $ = (id) => document.getElementById(id);

const state = {
  /**
   * What the list of files shows. The files live in the worker: an upload as the browser's
   * handle to it (its bytes are not read here), pasted text and the demo transferred as bytes.
   * @type {{ key: number, name: string, size: number, kind: 'file' | 'paste', la?: string }[]}
   */
  inputs: [],
  /** Files not yet handed to the worker: { key, name, data: File | ArrayBuffer }. */
  toSend: [],
  nextKey: 1,
  /** The open drill-down: { id, window, la, category } (the indicator's own fields) or null. */
  drill: null,
  /** What the results show: a period ('latest', 'all' or 'w:' + a window label) and an
   *  authority ('la:' + a name, or 'every'). Choosing them only lays the report out again. */
  view: { window: 'latest', la: `la:${ALL_AUTHORITIES}` },
  /** Whether the user says which local authority each file belongs to. */
  severalAuthorities: false,
  /** The data-quality groups opened by the user, by qualityKey(), kept across re-renders. */
  qualityOpen: new Set(),
  /** The errors shown last time, so focus moves to the summary only when they change. */
  errorSignature: '',
  ready: false,
  /** The engine's thresholds, once known (engine-info.json). */
  targets: null,
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

/** A value with its unit, as the engine gave it ("414 days", "71.4%", "5", "1.00"). */
function formatValue(value, unit) {
  if (!isNum(value)) return none();
  if (unit === '%') return `${value.toFixed(1)}%`;
  if (unit === 'days') return `${value} ${value === 1 ? 'day' : 'days'}`;
  if (unit === 'count') return String(value);
  if (unit === 'ratio') return value.toFixed(2);
  return unit ? `${value} ${unit}` : String(value);
}

/** A percentage target: "80% or more", "16% or less". */
function formatTarget(target) {
  const value = Number.isInteger(target.value) ? String(target.value) : target.value.toFixed(1);
  return `${value}% ${target.direction === 'at most' ? 'or less' : 'or more'}`;
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
  // Most figures have no target: a grey word, not a tag on every row.
  if (status === 'no target') return h('span', { class: 'govuk-hint app-cell-hint', 'data-status': status }, 'No target');
  const colour = status === 'met' ? 'govuk-tag--green' : status === 'not met' ? 'govuk-tag--red' : 'govuk-tag--grey';
  return h('strong', { class: `govuk-tag ${colour} app-tag`, 'data-status': status }, capitalise(status ?? 'unknown'));
}

/**
 * A GOV.UK table in a box that scrolls sideways on a narrow screen. The box takes focus so a
 * keyboard user can scroll it too, and is named by the caption.
 */
function table({ caption, label, captionClass = 'govuk-table__caption--m', head, rows, testid, id, numeric = [] }) {
  return h(
    'div',
    { class: 'app-table-scroll', role: 'region', 'aria-label': label ?? caption, tabindex: '0' },
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

// Issue 6: no task over 100 ms on the main thread. Laying out a large council's results at once
// took up to half a second at 1M episodes; what lies below the first screen now follows in later
// tasks.

/** Runs `fill` in a later task if `node` is still on the page then (not replaced by a newer render). */
function later(node, fill) {
  setTimeout(() => {
    if (node.isConnected) fill();
  }, 0);
}

/**
 * A long table: the first FIRST_ROWS rows go in with the results; the rest follow in later
 * tasks, ROWS_PER_TASK at a time, so the page answers meanwhile.
 */
function longTable(spec, items, build) {
  const box = table({ ...spec, rows: items.slice(0, FIRST_ROWS).map(build) });
  // Laid out only near the screen (app.css), so rows added out of sight cost little.
  if (items.length > FIRST_ROWS) box.classList.add('app-table-scroll--long');
  const body = box.querySelector('tbody');
  let next = FIRST_ROWS;
  const step = () => {
    if (next >= items.length) return;
    body.append(...items.slice(next, next + ROWS_PER_TASK).map(build));
    next += ROWS_PER_TASK;
    later(body, step);
  };
  later(body, step);
  return box;
}
const FIRST_ROWS = 50;
const ROWS_PER_TASK = 250;

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

function addFiles(fileList) {
  const files = [...fileList];
  if (files.length === 0) return;
  // The worker is given the File itself: its bytes are read there, when the engine reads it.
  for (const file of files) addInput(uniqueName(file.name), file, 'file');
  recompute({ announce: `${plural(files.length, 'file', 'files')} added.` });
}

/** Lists a file and queues it for the worker (a File, or bytes that are transferred, not copied). */
function addInput(name, data, kind) {
  const key = state.nextKey++;
  state.inputs.push({ key, name, size: data.byteLength ?? data.size, kind });
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

/**
 * The list of files. Items are kept, not rebuilt, while their file stays in the list: a
 * recompute must not take focus away from a file's local authority field as the user leaves it.
 */
function renderInputs() {
  const list = $('inputs-list');
  const keys = new Set(state.inputs.map((input) => String(input.key)));
  for (const li of [...list.children]) if (!keys.has(li.dataset.key)) li.remove();
  const shown = new Set([...list.children].map((li) => li.dataset.key));
  // Files are only ever added at the end, so appending keeps the list in order.
  for (const input of state.inputs) if (!shown.has(String(input.key))) list.append(inputItem(input));
  for (const field of list.querySelectorAll('.app-inputs__la')) field.hidden = !state.severalAuthorities;
  $('several-authorities').checked = state.severalAuthorities;
  $('inputs').hidden = state.inputs.length === 0;
}

function inputItem(input) {
  return h(
    'li',
    { class: 'app-inputs__item', 'data-testid': 'input-item', 'data-name': input.name, 'data-key': input.key },
    h('span', { class: 'app-inputs__name' }, input.name),
    h('span', { class: 'app-inputs__size govuk-hint' }, input.kind === 'paste' ? ' (pasted)' : ` (${formatSize(input.size)})`),
    h(
      'button',
      { type: 'button', class: 'govuk-button govuk-button--secondary app-inputs__remove', 'data-testid': 'remove-input', onclick: () => removeInput(input.key) },
      'Remove',
      hidden(` ${input.name}`),
    ),
    authorityField(input),
  );
}

/** The optional local authority of one file: feeds `options.authorities` ({ file, la }). */
function authorityField(input) {
  const id = `la-${input.key}`;
  return h(
    'div',
    { class: 'govuk-form-group app-inputs__la', hidden: !state.severalAuthorities },
    h('label', { class: 'govuk-label', for: id }, 'Local authority', hidden(` of ${input.name}`), ' (optional)'),
    h('input', {
      class: 'govuk-input govuk-input--width-20',
      id,
      type: 'text',
      value: input.la ?? '',
      spellcheck: 'false',
      autocomplete: 'off',
      'aria-describedby': 'several-authorities-hint',
      'data-testid': 'input-la',
      onchange: (event) => {
        input.la = event.currentTarget.value.trim();
        recompute({ announce: input.la ? `${input.name} belongs to ${input.la}.` : `${input.name} has no local authority.` });
      },
    }),
  );
}

/** The authorities the user gave, as the engine takes them: the file name it is given. */
function readAuthorities() {
  if (!state.severalAuthorities) return [];
  return state.inputs.filter((input) => input.la).map((input) => ({ file: input.name, la: input.la }));
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

/**
 * A whole number from a field of the options form, between min and max; null when empty (the
 * engine's default applies) or wrong (the error is shown at the field and in the summary).
 */
function readWholeNumber(key, what, { min, max, example }) {
  const id = `opt-${key}`;
  const value = $(id).value.trim();
  clearFieldError(`${id}-group`, `${id}-error`, [id]);
  if (value === '') return null;
  if (!/^\d{1,3}$/.test(value) || Number(value) < min || Number(value) > max) {
    const message = `${what} must be a whole number from ${min} to ${max}, like ${example}`;
    showFieldError(`${id}-group`, `${id}-error`, [id], message);
    formErrors.push({ href: `#${id}`, text: message });
    return null;
  }
  return Number(value);
}

/** The options for placement stability, fostering and adopters; empty fields are left out. */
function readMoreOptions() {
  const options = { count_same_carer_moves: $('count-same-carer-moves').checked };
  const months = { min: 1, max: 120 };
  const fostering = readWholeNumber('fostering-months', 'The fostering assessment time', { ...months, example: 8 });
  if (fostering !== null) options.fostering_assessment_months = fostering;
  const adopters = readWholeNumber('adopter-months', 'The adopter approval time', { ...months, example: 6 });
  if (adopters !== null) options.adopter_approval_months = adopters;
  const goal = readWholeNumber('conversion-goal', 'The goal for enquiries that become approvals', { min: 0, max: 100, example: 10 });
  if (goal !== null) options.fostering_conversion_goal = goal;
  return options;
}

/** The user's percentage targets, as `options.targets` overrides for every period. */
function readPercentTargets() {
  const targets = [];
  for (const [key, id, what, example] of [
    ['target-long', 'stability-long-term', 'The long-term stability target', 80],
    ['target-short', 'stability-short-term', 'The short-term stability target', 16],
  ]) {
    const value = readWholeNumber(key, what, { min: 0, max: 100, example });
    if (value !== null) targets.push({ id, window: null, value });
  }
  return targets;
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
      ...readPercentTargets(),
    ],
    ...readMoreOptions(),
    authorities: readAuthorities(),
  };
}

// ---------------------------------------------------------------------------------------------
// Computing and rendering.

/** The latest report, or null. */
let current = null;
/** A message when the engine refused the files as a whole. */
let engineError = null;


/** The run whose report the page waits for; replies to older runs are dropped. */
let runId = 0;
/** The announcement to make when that run's report arrives. */
let pendingAnnouncement = '';

/**
 * Asks the worker for a report over the current files and options. The files it has not had
 * yet go with the request (bytes transferred, uploads as File handles): the page keeps no copy. The results, error
 * summary and announcement follow when the report arrives (showResults).
 */
function recompute({ announce = '' } = {}) {
  const options = readOptions();
  renderInputs();
  runId += 1;
  // With no files, or before the engine has loaded, the worker only takes or forgets files.
  const compute = state.ready && state.inputs.length > 0;
  const add = state.toSend.splice(0);
  // A worker not started yet has no files to forget.
  if (worker || add.length > 0 || state.inputs.length > 0) engineWorker().postMessage(
    { type: 'run', id: runId, add, keep: state.inputs.map((input) => input.key), options, diagnostics: DIAGNOSTICS_SHOWN, compute },
    add.map((file) => file.data).filter((data) => data instanceof ArrayBuffer),
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
  // Rows asked for under an older report never arrive for it.
  rowWaiters.length = 0;
  for (const w of fullWaiters.splice(0)) w.resolve(w.report);
  for (const w of diagnosticsWaiters.splice(0)) w.resolve(null);
  engineError = error;
  renderResults();
  const errors = currentErrors();
  renderErrorSummary(errors);
  announceResults(announce, errors);
}

function onWorkerMessage(event) {
  // A reply is laid out with issue 5's modules: it waits for them (in order: promises keep it).
  if (!charts) return void loadLater().then(() => charts && onWorkerMessage(event));
  const message = event.data ?? {};
  if (message.type === 'warmed') {
    engineWarmed();
  } else if (message.id !== runId) {
    // A reply to a run the user has since changed.
  } else if (message.type === 'progress') {
    showProgress(message);
  } else if (message.type === 'rows') {
    rowsArrived(message);
  } else if (message.type === 'diagnostics') {
    for (const w of diagnosticsWaiters.splice(0)) {
      w.resolve(w.report === current ? { diagnostics: message.diagnostics ?? [], quality: message.quality ?? [] } : null);
    }
  } else if (message.type === 'full') {
    for (const w of fullWaiters.splice(0)) {
      if (w.report !== current) w.resolve(w.report);
      else if (message.error) w.reject(new Error(message.error));
      else w.resolve(message.json);
    }
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

/**
 * Errors for the summary, in page order: form errors, then the engine's. `list` holds the first
 * MAX_SUMMARY_ERRORS at least (the summary links to those); `count` counts them all.
 */
function currentErrors() {
  const list = [...formErrors];
  if (!$('paste-text-error').hidden) list.unshift({ href: '#paste-text', text: $('paste-text-error').lastChild?.textContent ?? '' });
  if (engineError) list.push({ href: '#results-heading', text: `The files could not be read: ${engineError}` });
  let count = list.length;
  if (current) {
    // Errors sort first, so the first ones are in the table of problems.
    for (const [i, d] of listedDiagnostics(current)) {
      if (list.length >= MAX_SUMMARY_ERRORS) break;
      if (d.severity === 'error') list.push({ href: `#diagnostic-${i + 1}`, text: diagnosticText(d) });
    }
    count += severityCount(current, 'error');
  }
  return { list, count };
}

// The report carries the diagnostics the page shows, each with its `index` in the whole list
// (docs/report-format.md, "Diagnostics in pages"); a report with all of them has no `index`.

/** How many diagnostics the whole list has. */
const diagnosticsTotal = (r) => r?.diagnostics_total ?? (r?.diagnostics ?? []).length;

/** Diagnostics of a severity in the whole list: every one is in exactly one quality group. */
const severityCount = (r, severity) => (r?.quality ?? []).reduce((n, g) => n + (g.severity === severity ? (g.count ?? 0) : 0), 0);

/** [index, diagnostic] of the table of problems: the first MAX_DIAGNOSTIC_ROWS of the list. */
function listedDiagnostics(r) {
  const listed = [];
  for (const [position, d] of (r?.diagnostics ?? []).entries()) {
    const i = d.index ?? position;
    if (i >= MAX_DIAGNOSTIC_ROWS) break;
    listed.push([i, d]);
  }
  return listed;
}

/** The diagnostics the report carries, by index in the whole list (built once per report). */
const diagnosticMaps = new WeakMap();
function diagnosticByIndex(r) {
  let map = diagnosticMaps.get(r);
  if (!map) {
    map = new Map((r.diagnostics ?? []).map((d, position) => [d.index ?? position, d]));
    diagnosticMaps.set(r, map);
  }
  return map;
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
  return severityCount(current, 'warning');
}

function renderErrorSummary({ list: errors, count }) {
  const slot = $('error-summary-slot');
  const signature = JSON.stringify([count, errors.slice(0, MAX_SUMMARY_ERRORS)]);
  if (count === 0) {
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
        current && severityCount(current, 'error') > 0
          ? h('p', { class: 'govuk-body' }, 'Rows with these problems were left out of the figures. Correct them in your files and add the files again.')
          : null,
        h(
          'ul',
          { class: 'govuk-list govuk-error-summary__list' },
          shown.map((e) => h('li', null, h('a', { href: e.href, 'data-testid': 'error-link', onclick: revealTarget }, e.text))),
        ),
        count > shown.length
          ? h('p', { class: 'govuk-body' }, h('a', { href: '#diagnostics', class: 'govuk-link' }, `${count - shown.length} more problems are listed in the table of problems`))
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

function announceResults(prefix, { count }) {
  let text = prefix;
  if (current) {
    const problems = count ? ` ${plural(count, 'problem', 'problems')} to fix.` : '';
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
      demoLoaded() ? insights.demoBanner() : null, // issue 5
      renderAccounting(current),
      renderFigures(current),
      (current.indicators ?? []).length ? insights.renderWhatIf(current, whatIfAuthority()) : null, // issue 5
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

// ---------------------------------------------------------------------------------------------
// The figures, section by section: one table for each group of the report (`group`), in the
// engine's order, showing the period and the authority chosen. Choosing them is layout only:
// every figure shown is one the engine returned, and nothing is worked out again.

/** DfE identifiers (A1, A15) name their indicator; the engine's own ids (fostering-occupancy) do not. */
const isDfeId = (id) => /^A\d+$/.test(id ?? '');

/** "A1, 2015-16", "Deregistrations by reason: Retired, 2015-16, North". */
function indicatorLabel(ind) {
  const title = isDfeId(ind.id) ? ind.id : `${ind.name ?? ind.id}${ind.category ? `: ${ind.category}` : ''}`;
  return [title, ind.window, ind.la].filter(Boolean).join(', ');
}

/** The fields that tell one result from another: id, window, authority and category. */
const sameIndicator = (a, b) =>
  a.id === b.id && a.window === b.window && (a.la ?? null) === (b.la ?? null) && (a.category ?? null) === (b.category ?? null);

const slug = (text) => String(text).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

const cellHint = (text, attrs = {}) => h('span', { class: 'govuk-hint app-cell-hint', ...attrs }, text);

/** What the rows behind a figure are: fostering households, adoptive families or children. */
function subject(ind) {
  if (ind.group === 'Adopters') return { one: 'family', many: 'families' };
  // Fostering lists households, except for the figures about the children placed with them.
  if (ind.group === 'Fostering' && ind.columns?.end !== 'Looked after on') return { one: 'household', many: 'households' };
  return { one: 'child', many: 'children' };
}

/** A line under each section's caption. */
const SECTION_DESCRIPTIONS = {
  'Adoption scorecard': 'How long children wait to be adopted, against the DfE thresholds.',
  'Hard to place':
    'A1 and A2 for the children who are harder to place: aged 5 or over, from a minority ethnic group, disabled, placed with brothers or sisters, or who waited 18 months or more. “Unknown” counts the children whose files do not say.',
  'Adoption activity': 'Adoptions, decisions, placement orders, matches and disruptions in the period, and the children waiting on its last day.',
  'Placement stability': 'Children looked after on the last day of the period and how often they have moved, against the former national targets.',
  'Where children live': 'Children looked after on the last day of the period by kind of placement, with the share of all children looked after.',
  Fostering: 'Fostering households, places, occupancy and recruitment, from your carers.csv.',
  Adopters: 'Adoptive families waiting, matched and assessed, from your adopters.csv.',
};

/**
 * The sections in the engine's order. Not every period has every section (placement stability
 * has no year to date), so a section first met later goes after the one it follows there.
 */
function sectionOrder(indicators) {
  const order = [];
  let window = null;
  let previous = null;
  for (const ind of indicators) {
    const group = ind.group ?? 'Other';
    if (ind.window !== window) [window, previous] = [ind.window, null];
    if (!order.includes(group)) order.splice(previous === null ? 0 : order.indexOf(previous) + 1, 0, group);
    previous = group;
  }
  return order;
}

/** The periods of the report in the engine's order (latest first): { label, kind, start, end }. */
function reportPeriods(r) {
  const periods = new Map();
  for (const ind of r.indicators ?? []) {
    if (!periods.has(ind.window)) periods.set(ind.window, { label: ind.window, kind: ind.window_kind, start: ind.start, end: ind.end });
  }
  return [...periods.values()];
}

/** The authorities of the report, "All authorities" first; none when the files are of one. */
function reportAuthorities(r) {
  const names = [];
  for (const ind of r.indicators ?? []) if (ind.la != null && !names.includes(ind.la)) names.push(ind.la);
  return [...names.filter((n) => n === ALL_AUTHORITIES), ...names.filter((n) => n !== ALL_AUTHORITIES)];
}

/**
 * The periods shown until the user chooses: the latest collection year, or, when a date to work
 * out figures to is set, the year to that date and the 12 months to it.
 */
function latestPeriods(r, periods) {
  const asAt = r.options?.as_at;
  const toDate = asAt ? periods.filter((p) => p.end === asAt && (p.kind === 'year-to-date' || p.kind === 'rolling-12-months')) : [];
  if (toDate.length) return toDate.map((p) => p.label);
  const years = periods.filter((p) => p.kind === '1-year');
  if (years.length === 0) return periods.slice(0, 1).map((p) => p.label);
  return [years.reduce((a, b) => (b.end > a.end ? b : a)).label];
}

/** The period and authority chosen, checked against this report, and the rows they show. */
function currentView(r) {
  const periods = reportPeriods(r);
  const authorities = reportAuthorities(r);
  const latest = latestPeriods(r, periods);
  // A choice the new report no longer offers (the as-at date was removed) falls back to the default.
  if (state.view.window.startsWith('w:') && !periods.some((p) => `w:${p.label}` === state.view.window)) state.view.window = 'latest';
  if (authorities.length && state.view.la !== 'every' && !authorities.some((a) => `la:${a}` === state.view.la)) {
    state.view.la = `la:${authorities[0]}`;
  }
  // Each section's own latest period: the local files may reach a year the 903 files do not.
  const latestOf = new Map();
  for (const group of new Set((r.indicators ?? []).map((ind) => ind.group))) {
    const own = { ...r, indicators: r.indicators.filter((ind) => ind.group === group) };
    latestOf.set(group, latestPeriods(r, reportPeriods(own)));
  }
  const chosen = state.view.window;
  const showsPeriod = (ind) =>
    chosen === 'all' ||
    (chosen === 'latest' ? ind.group === SCORECARD || (latestOf.get(ind.group) ?? latest).includes(ind.window) : `w:${ind.window}` === chosen);
  const everyAuthority = authorities.length > 0 && state.view.la === 'every';
  const showsAuthority = (ind) => authorities.length === 0 || everyAuthority || `la:${ind.la}` === state.view.la;
  const latestDiffers = [...latestOf.values()].some((l) => l.some((p) => !latest.includes(p)));
  return { periods, authorities, latest, latestDiffers, everyAuthority, shows: (ind) => showsPeriod(ind) && showsAuthority(ind) };
}

/** The figures: the period and authority selectors, then the sections. */
function renderFigures(r) {
  const view = currentView(r);
  return h(
    'div',
    { class: 'app-figures' },
    (r.indicators ?? []).length ? renderViewControls(r, view) : null,
    h('div', { id: 'sections', 'data-testid': 'sections' }, renderSections(r, view)),
  );
}

function renderViewControls(r, view) {
  const periodText = (p) => (p.kind === '3-year' ? `${p.label} (3 years)` : p.label);
  const option = (value, text) => h('option', { value, selected: value === state.view.window }, text);
  const laOption = (value, text) => h('option', { value, selected: value === state.view.la }, text);
  const groups = sectionOrder(r.indicators ?? []);
  return h(
    'div',
    { class: 'app-view', 'data-testid': 'view-controls' },
    h(
      'div',
      { class: 'app-view__choices' },
      h(
        'div',
        { class: 'govuk-form-group app-view__choice' },
        h('label', { class: 'govuk-label govuk-label--s', for: 'view-window' }, 'Period'),
        h(
          'div',
          { class: 'govuk-hint', id: 'view-window-hint' },
          'Years run from 1 April to 31 March. The scorecard shows every period until you choose one.',
        ),
        h(
          'select',
          {
            class: 'govuk-select',
            id: 'view-window',
            'data-testid': 'view-window',
            'aria-describedby': 'view-window-hint',
            onchange: (event) => changeView({ window: event.currentTarget.value }),
          },
          option('latest', view.latestDiffers ? 'Latest of each section' : `Latest: ${view.latest.join(' and ')}`),
          option('all', 'Every period'),
          view.periods.map((p) => option(`w:${p.label}`, periodText(p))),
        ),
      ),
      view.authorities.length
        ? h(
            'div',
            { class: 'govuk-form-group app-view__choice' },
            h('label', { class: 'govuk-label govuk-label--s', for: 'view-authority' }, 'Local authority'),
            h('div', { class: 'govuk-hint', id: 'view-authority-hint' }, 'Figures for each authority, or for all of them together.'),
            h(
              'select',
              {
                class: 'govuk-select',
                id: 'view-authority',
                'data-testid': 'view-authority',
                'aria-describedby': 'view-authority-hint',
                onchange: (event) => changeView({ la: event.currentTarget.value }),
              },
              view.authorities.map((name) => laOption(`la:${name}`, name === ALL_AUTHORITIES ? 'All authorities together' : name)),
              laOption('every', 'Each authority, side by side'),
            ),
          )
        : null,
    ),
    h(
      'nav',
      { class: 'app-contents', 'aria-label': 'Sections of the results' },
      h('p', { class: 'govuk-body govuk-!-margin-bottom-1', 'aria-hidden': 'true' }, 'Sections:'),
      h(
        'ul',
        { class: 'govuk-list app-contents__list' },
        groups.map((group) => h('li', null, h('a', { class: 'govuk-link', href: `#section-${slug(group)}` }, group))),
      ),
    ),
  );
}

/** Lays the sections out again for a new choice of period or authority; focus stays on the choice. */
function changeView(change) {
  Object.assign(state.view, change);
  if (!current) return;
  const view = currentView(current);
  $('sections').replaceChildren(...renderSections(current, view));
  const period =
    state.view.window === 'latest'
      ? `the latest figures (${view.latest.join(' and ')}) and every scorecard period`
      : state.view.window === 'all'
        ? 'every period'
        : state.view.window.slice(2);
  const authority = !view.authorities.length ? '' : view.everyAuthority ? ', for each authority' : `, for ${state.view.la.slice(3)}`;
  $('status').textContent = `Showing ${period}${authority}.`;
}

function rerenderSections() {
  if (current) $('sections').replaceChildren(...renderSections(current, currentView(current)));
}

function renderSections(r, view) {
  const indicators = r.indicators ?? [];
  if (indicators.length === 0) {
    return [
      h(
        'p',
        { class: 'govuk-body', 'data-testid': 'summary-empty' },
        'There are no figures to show: the files hold no adoptions or decisions in any collection year. Check that you added the episodes file.',
      ),
    ];
  }
  const byGroup = new Map(sectionOrder(indicators).map((group) => [group, []]));
  for (const ind of indicators) {
    const group = ind.group ?? 'Other';
    if (!byGroup.has(group)) byGroup.set(group, []);
    byGroup.get(group).push(ind);
  }
  const out = [];
  let drillShown = false;
  for (const [group, all] of byGroup) {
    const rows = all.filter(view.shows);
    out.push(renderSection(group, all, rows, view));
    if (state.drill && rows.some((ind) => sameIndicator(ind, state.drill))) {
      out.push(renderDrilldown(r));
      drillShown = true;
    }
    const explained = explaining && rows.find((ind) => sameIndicator(ind, explaining)); // issue 5
    if (explained) out.push(explainPanel(r, explained));
    // issue 5: the section's charts, after its table (and the table's open drill-down), drawn
    // in a task of their own (issue 6).
    const slot = h('div', { class: 'app-charts-slot', 'data-group': group });
    out.push(slot);
    later(slot, () => {
      const charts = chartsOf(group, all, view);
      if (charts) slot.replaceWith(charts);
      else slot.remove();
    });
  }
  // The drill-down of a row the new choice hides is closed.
  if (!drillShown) state.drill = null;
  const missing = [
    byGroup.has('Fostering') ? null : ['fostering', 'carers.csv'],
    byGroup.has('Adopters') ? null : ['adopter', 'adopters.csv'],
  ].filter(Boolean);
  if (missing.length) {
    out.push(
      h(
        'p',
        { class: 'govuk-body', 'data-testid': 'local-files-missing' },
        `There are no ${missing.map(([what]) => what).join(' or ')} figures: they come from your own ${missing.map(([, file]) => file).join(' and ')}. `,
        h('a', { class: 'govuk-link', href: '#local-files-details', onclick: revealTarget }, 'How to add them'),
      ),
    );
  }
  // issue 5: the share link, for the authority shown.
  const share = publishedView.reportShareBox(r, chartAuthority(view));
  if (share) out.push(share);
  return out;
}

function renderSection(group, all, rows, view) {
  const id = `section-${slug(group)}`;
  // Threshold, gap and status only where some figure of the section has a threshold or target.
  const showTargets = all.some((ind) => isNum(ind.threshold) || ind.target);
  const showLa = view.everyAuthority;
  // The dates of each period, when the table shows more than one.
  const showDates = new Set(rows.map((ind) => ind.window)).size > 1;
  const head = [
    'Indicator',
    ...(showLa ? ['Local authority'] : []),
    'Period',
    'Value',
    ...(showTargets ? ['Threshold or target', 'Gap', 'Status'] : []),
    ['n', hidden(' (number in the figure)')],
    'Details',
  ];
  const at = (label) => head.indexOf(label);
  const numeric = [at('Value'), at('Threshold or target'), at('Gap'), head.length - 2].filter((i) => i >= 0);
  const description = SECTION_DESCRIPTIONS[group];
  return h(
    'div',
    { class: 'app-section', id, 'data-testid': 'section', 'data-group': group },
    table({
      caption: [group, description ? h('span', { class: 'govuk-body app-caption-hint' }, description) : null],
      label: group,
      captionClass: 'govuk-table__caption--m',
      testid: 'summary-table',
      id: group === SCORECARD ? 'summary-table' : `table-${slug(group)}`,
      head,
      numeric,
      rows: rows.length
        ? rows.map((ind) => summaryRowOf(ind, { showTargets, showLa, showDates }))
        : [
            h(
              'tr',
              { class: 'govuk-table__row', 'data-testid': 'section-empty' },
              h('td', { class: 'govuk-table__cell', colspan: head.length }, 'No figures in this section for the period chosen.'),
            ),
          ],
    }),
  );
}

// --- issue 5: charts and the share link --------------------------------------------------------

/**
 * The rows behind a figure (children, households or families). Charts reach them only through
 * this function: they will soon be fetched from the worker instead of coming with the report.
 * @returns {Promise<object[]>}
 */
function childRowsOf(ind) {
  if (ind.rowsLoaded) return Promise.resolve(ind.children ?? []);
  ind.rowsPending ??= new Promise((resolve) => {
    const request = { id: ind.id, window: ind.window, la: ind.la ?? null, category: ind.category ?? null };
    rowWaiters.push({ report: current, ind, request, resolve });
    engineWorker().postMessage({ type: 'rows', id: runId, request });
  });
  return ind.rowsPending;
}

/**
 * The report with every figure's rows (the JSON download), made by the worker on demand: its
 * JSON text, as a Blob; or, should a newer report have come meanwhile, the report it was asked
 * for, as on the page.
 */
function fullReport() {
  const report = current;
  return new Promise((resolve, reject) => {
    fullWaiters.push({ report, resolve, reject });
    engineWorker().postMessage({ type: 'full', id: runId });
  });
}
const fullWaiters = [];

/**
 * Every diagnostic of the report on screen, with the quality groups over them: { diagnostics,
 * quality }, or null if the report changed meanwhile. The report carries only the ones the page
 * shows; the downloads of problems ask the worker for the rest, once per report.
 */
function allDiagnostics() {
  const report = current;
  if (!report || report.diagnostics_total == null) return Promise.resolve(report);
  let whole = wholeDiagnostics.get(report);
  if (!whole) {
    whole = new Promise((resolve) => {
      diagnosticsWaiters.push({ report, resolve });
      engineWorker().postMessage({ type: 'diagnostics', id: runId });
    });
    wholeDiagnostics.set(report, whole);
  }
  return whole;
}
const wholeDiagnostics = new WeakMap();
const diagnosticsWaiters = [];

/** Figures whose rows were asked of the worker: the report they belong to, and who waits. */
const rowWaiters = [];

/** The rows behind one figure arrived: they are kept on the figure (for the tables and exports). */
function rowsArrived(message) {
  const i = rowWaiters.findIndex((w) => sameIndicator(w.request, message.request) && w.report === current);
  if (i < 0) return;
  const [{ ind, resolve }] = rowWaiters.splice(i, 1);
  ind.children = message.children ?? [];
  ind.excluded = message.excluded ?? [];
  ind.rowsLoaded = true;
  resolve(ind.children);
}

/** The authority whose figures the charts and the share link show; null with one authority. */
function chartAuthority(view) {
  if (!view.authorities.length) return null;
  return view.everyAuthority ? ALL_AUTHORITIES : state.view.la.slice(3);
}

function chartsOf(group, all, view) {
  const la = chartAuthority(view);
  const mine = la === null ? all : all.filter((ind) => ind.la === la);
  const window = state.view.window.startsWith('w:') ? state.view.window.slice(2) : null;
  return charts.sectionCharts(document, group, mine, { window, childRowsOf });
}

// --- end of issue 5 ------------------------------------------------------------------------------

/** The value with what the engine gives beside it: "5 of 7", "(100.0%)", "2 unknown". */
function valueContent(ind) {
  return [
    formatValue(ind.value, ind.unit),
    ind.unit === 'count' && isNum(ind.percent) ? ` (${ind.percent.toFixed(1)}%)` : '',
    ind.unit === '%' && isNum(ind.count) && isNum(ind.n) ? cellHint(`${ind.count} of ${ind.n}`) : null,
    isNum(ind.unknown) ? cellHint(`${ind.unknown} unknown`, { 'data-testid': 'unknown' }) : null,
  ];
}

const targetSetByUser = (ind) => ind.threshold_overridden || ind.target?.source === 'set by the user';

/** "wait limit 426 days" (A3), "time limit 243 days" (timely assessments). */
const limitHint = (ind) =>
  isNum(ind.limit_days)
    ? cellHint(`${ind.group === SCORECARD || ind.group === 'Hard to place' ? 'wait limit' : 'time limit'} ${ind.limit_days} days`, { 'data-testid': 'limit' })
    : null;

function thresholdContent(ind) {
  const limit = limitHint(ind);
  if (isNum(ind.threshold)) {
    return [
      formatValue(ind.threshold, ind.unit),
      ind.threshold_overridden ? cellHint('your value') : ind.threshold_window ? cellHint(`DfE ${ind.threshold_window}`) : null,
      limit,
    ];
  }
  if (ind.target) return [formatTarget(ind.target), targetSetByUser(ind) ? cellHint('your value') : null, limit];
  return [none(), limit];
}

function gapContent(ind) {
  if (isNum(ind.gap)) return formatGap(ind.gap, ind.unit);
  if (isNum(ind.gap_points)) return formatGap(ind.gap_points, '%');
  return none();
}

function summaryRowOf(ind, { showTargets, showLa, showDates }) {
  const open = Boolean(state.drill && sameIndicator(state.drill, ind));
  const what = subject(ind);
  const smallCohort = ind.small_cohort ? cellHint('Small number: treat with care', { 'data-testid': 'small-cohort' }) : null;
  return h(
    'tr',
    {
      class: 'govuk-table__row',
      'data-id': ind.id,
      'data-window': ind.window,
      'data-la': ind.la ?? null,
      'data-category': ind.category ?? null,
      'data-testid': 'summary-row',
    },
    h(
      'th',
      { scope: 'row', class: 'govuk-table__header app-indicator' },
      // A DfE identifier first, as officers know them; the engine's own ids after the name.
      isDfeId(ind.id) ? h('span', { class: 'app-indicator__id' }, ind.id) : null,
      h(
        'span',
        { class: isDfeId(ind.id) ? 'govuk-hint app-cell-hint' : 'app-indicator__name' },
        ind.name ?? '',
        ind.category ? [': ', h('span', { class: 'app-indicator__category', 'data-testid': 'category' }, ind.category)] : null,
      ),
      isDfeId(ind.id) ? null : h('span', { class: 'govuk-hint app-cell-hint app-indicator__code' }, ind.id),
    ),
    showLa ? td(ind.la ?? none(), { 'data-col': 'la' }) : null,
    td([h('span', { class: 'app-period' }, ind.window), showDates && ind.start && ind.end ? cellHint(`${formatDate(ind.start)} to ${formatDate(ind.end)}`) : null], { 'data-col': 'window' }),
    // Without a threshold column, the time limit and the small-number warning go with the value.
    td([valueContent(ind), showTargets ? null : [limitHint(ind), smallCohort]], { numeric: true, 'data-col': 'value' }),
    showTargets ? td(thresholdContent(ind), { numeric: true, 'data-col': 'threshold' }) : null,
    showTargets ? td(gapContent(ind), { numeric: true, 'data-col': 'gap' }) : null,
    showTargets ? td([statusTag(ind.status), smallCohort], { 'data-col': 'status' }) : null,
    td(isNum(ind.n) ? String(ind.n) : none(), { numeric: true, 'data-col': 'n' }),
    td([
      h(
        'button',
        {
          type: 'button',
          class: 'app-link-button',
          'data-testid': 'drilldown-button',
          'aria-controls': 'drilldown',
          'aria-expanded': open ? 'true' : 'false',
          onclick: () => openDrilldown(ind),
        },
        'Show',
        hidden(` the ${what.many} counted in ${indicatorLabel(ind)}`),
      ),
      ' ',
      insights.explainButton(ind, indicatorLabel(ind), Boolean(explaining && sameIndicator(explaining, ind)), () => openExplain(ind)), // issue 5
    ], { 'data-col': 'children' },
    ),
  );
}

function openDrilldown(ind) {
  state.drill = { id: ind.id, window: ind.window, la: ind.la ?? null, category: ind.category ?? null };
  rerenderSections();
  $('drilldown-heading')?.focus();
}

function closeDrilldown() {
  const drill = state.drill;
  state.drill = null;
  rerenderSections();
  if (!drill) return;
  const row = [...document.querySelectorAll('[data-testid="summary-row"]')].find((tr) =>
    sameIndicator(drill, { id: tr.dataset.id, window: tr.dataset.window, la: tr.dataset.la, category: tr.dataset.category }),
  );
  row?.querySelector('button')?.focus();
}

function renderDrilldown(r) {
  const ind = (r.indicators ?? []).find((x) => sameIndicator(x, state.drill));
  if (!ind) return null;
  const what = subject(ind);
  const cols = ind.columns ?? {};
  if (!ind.rowsLoaded) {
    // Figures come without their rows: ask the worker, and draw the drill-down again with them.
    childRowsOf(ind).then(() => {
      if (!(state.drill && sameIndicator(ind, state.drill) && current?.indicators?.includes(ind))) return;
      // Drawn again with its rows: focus stays on the heading if it was there (or was lost).
      const focus = document.activeElement;
      const keep = !focus || focus === document.body || focus.id === 'drilldown-heading';
      rerenderSections();
      if (keep) $('drilldown-heading')?.focus();
    });
  }
  const children = ind.children ?? [];
  const excluded = ind.excluded ?? [];
  const has = (key) => children.some((c) => c[key] !== null && c[key] !== undefined && c[key] !== '');
  const [hasAdopted, hasDays, hasCounted, hasNote] = ['adopted', 'days', 'counted', 'note'].map(has);
  const label = indicatorLabel(ind);
  const limitName = ind.group === SCORECARD || ind.group === 'Hard to place' ? 'Wait limit' : 'Time limit';
  const facts = [
    ['Indicator', [ind.name, ind.category ? `: ${ind.category}` : '', ` (${ind.id})`]],
    ind.la ? ['Local authority', ind.la] : null,
    ['Period', ind.start && ind.end ? `${formatDate(ind.start)} to ${formatDate(ind.end)} (${ind.window_kind ?? ind.window})` : ind.window],
    [
      'Value',
      [
        formatValue(ind.value, ind.unit),
        ind.unit === '%' && isNum(ind.count) ? ` (${ind.count} of ${ind.n})` : '',
        ind.unit === 'count' && isNum(ind.percent) ? ` (${ind.percent.toFixed(1)}%)` : '',
      ],
    ],
    [`${capitalise(what.many)} counted`, isNum(ind.n) ? String(ind.n) : none()],
    isNum(ind.unknown) ? ['Not known from the files', plural(ind.unknown, what.one, what.many)] : null,
    ind.source_note ? ['Note', ind.source_note] : null,
    ind.unit === 'days' && isNum(ind.median)
      ? ['Median, shortest, longest', `${formatValue(ind.median, 'days')}, ${formatValue(ind.min, 'days')}, ${formatValue(ind.max, 'days')}`]
      : null,
    isNum(ind.limit_days) ? [limitName, formatValue(ind.limit_days, 'days')] : null,
    isNum(ind.threshold) || ind.unit === 'days'
      ? [
          'Threshold',
          isNum(ind.threshold)
            ? [formatValue(ind.threshold, ind.unit), ind.threshold_overridden ? ' (your value)' : ind.threshold_window ? ` (DfE, ${ind.threshold_window})` : '']
            : none(),
        ]
      : null,
    ind.threshold_source && !ind.threshold_overridden ? ['Source of the threshold', ind.threshold_source] : null,
    ind.target ? ['Target', [formatTarget(ind.target), targetSetByUser(ind) ? ' (your value)' : ` (${ind.target.source})`]] : null,
    isNum(ind.gap) || isNum(ind.gap_points) ? ['Gap', gapContent(ind)] : null,
    ind.status && ind.status !== 'no target' ? ['Status', capitalise(ind.status)] : null,
    ind.england && isNum(ind.england.value)
      ? ['England', `${formatValue(ind.england.value, ind.unit)} (${ind.england.window}${ind.england.source ? `, ${ind.england.source}` : ''})`]
      : null,
  ].filter(Boolean);

  const shownChildren = children.slice(0, MAX_DRILL_ROWS);
  const shownExcluded = excluded.slice(0, MAX_DRILL_ROWS);
  const head = [
    capitalise(what.one),
    cols.start ?? 'Start',
    cols.end ?? 'End',
    ...(hasAdopted ? ['Adopted'] : []),
    ...(hasDays ? ['Days'] : []),
    ...(hasCounted ? ['Counted'] : []),
    ...(hasNote ? ['Note'] : []),
  ];
  const cut = (shown, total, many) =>
    total > shown
      ? h('p', { class: 'govuk-body', 'data-testid': 'drilldown-cut' }, `The first ${shown} of ${total} ${many} are listed, to keep the page quick.`)
      : null;

  return h(
    'section',
    { class: 'app-drilldown', id: 'drilldown', 'data-testid': 'drilldown', 'data-id': ind.id, 'data-window': ind.window, 'aria-labelledby': 'drilldown-heading' },
    h('h2', { class: 'govuk-heading-l', id: 'drilldown-heading', tabindex: '-1' }, `${label}: the ${what.many} counted`),
    h(
      'dl',
      { class: 'govuk-summary-list govuk-summary-list--no-border' },
      facts.map(([key, value]) =>
        h('div', { class: 'govuk-summary-list__row' }, h('dt', { class: 'govuk-summary-list__key' }, key), h('dd', { class: 'govuk-summary-list__value' }, value)),
      ),
    ),
    children.length
      ? table({
          caption: `${capitalise(what.many)} counted: ${label}`,
          testid: 'drilldown-children',
          head,
          numeric: hasDays ? [head.indexOf('Days')] : [],
          rows: shownChildren.map((c) =>
            h(
              'tr',
              { class: 'govuk-table__row', 'data-child': c.child },
              h('th', { scope: 'row', class: 'govuk-table__header' }, c.child),
              td(c.start ? formatDate(c.start) : none()),
              td(c.end ? formatDate(c.end) : none()),
              hasAdopted ? td(c.adopted ? formatDate(c.adopted) : none()) : null,
              hasDays ? td(isNum(c.days) ? String(c.days) : none(), { numeric: true, 'data-col': 'days' }) : null,
              hasCounted ? td(c.counted === true ? 'Yes' : c.counted === false ? 'No' : none(), { 'data-col': 'counted' }) : null,
              hasNote ? td(c.note ?? '', { 'data-col': 'note' }) : null,
            ),
          ),
        })
      : !ind.rowsLoaded
        ? h('p', { class: 'govuk-body', 'data-testid': 'drilldown-loading', role: 'status' }, `Listing the ${what.many}…`)
        : h('p', { class: 'govuk-body' }, `No ${what.many} are counted in ${label}.`),
    cut(shownChildren.length, children.length, what.many),
    excluded.length
      ? table({
          caption: `${capitalise(what.many)} left out: ${label}`,
          testid: 'drilldown-excluded',
          head: [capitalise(what.one), 'Reason'],
          rows: shownExcluded.map((x) =>
            h('tr', { class: 'govuk-table__row', 'data-child': x.child, 'data-code': x.code }, h('th', { scope: 'row', class: 'govuk-table__header' }, x.child), td(x.reason ?? x.code)),
          ),
        })
      : null,
    cut(shownExcluded.length, excluded.length, `${what.many} left out`),
    h('button', { type: 'button', class: 'govuk-button govuk-button--secondary', 'data-testid': 'drilldown-close', onclick: closeDrilldown }, 'Close', hidden(` the ${what.many} counted in ${label}`)),
  );
}

// ---------------------------------------------------------------------------------------------
// Data quality: the engine's `quality` groups (docs/report-format.md), each opening onto its rows.
// The groups, their titles, counts and order come from the engine; this only lays them out.

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
  const diagnostics = diagnosticByIndex(r);
  // The report carries the group's first MAX_QUALITY_ROWS rows; `count` counts them all.
  const shown = (g.diagnostics ?? []).filter((i) => diagnostics.has(i)).slice(0, MAX_QUALITY_ROWS);
  const total = Math.max(g.count ?? 0, shown.length);
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
        const d = diagnostics.get(i);
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
    total > shown.length
      ? h('p', { class: 'govuk-body' }, `The first ${shown.length} of ${total} rows are shown. Correct these and add the files again to see the rest.`)
      : null,
  ];
}

function renderDiagnostics(r) {
  const total = diagnosticsTotal(r);
  if (total === 0) {
    return h('p', { class: 'govuk-body', id: 'diagnostics', 'data-testid': 'no-diagnostics' }, 'No problems were found in the files.');
  }
  const shown = listedDiagnostics(r);
  return h(
    'div',
    { class: 'app-section', id: 'diagnostics' },
    longTable(
      {
        caption: 'Problems found in the files',
        testid: 'diagnostics-table',
        head: ['Severity', 'File', 'Row', 'Column', 'Value', 'Message'],
        numeric: [2],
      },
      shown,
      ([i, d]) =>
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
    total > shown.length
      ? h('p', { class: 'govuk-body' }, `The first ${shown.length} of ${total} problems are shown. Correct these and add the files again to see the rest.`)
      : null,
  );
}

function renderExcluded(r) {
  const excluded = r.excluded ?? [];
  if (excluded.length === 0) return null;
  return longTable(
    {
      caption: 'Children left out of an indicator',
      testid: 'excluded-table',
      id: 'excluded',
      head: ['Child', 'Indicators', 'Reason', 'Date'],
    },
    excluded,
    (x) =>
      h(
        'tr',
        { class: 'govuk-table__row', 'data-child': x.child, 'data-code': x.code },
        h('th', { scope: 'row', class: 'govuk-table__header' }, x.child),
        td((x.indicators ?? []).join(', ')),
        td(x.reason ?? x.code),
        td(x.date ? formatDate(x.date) : none()),
      ),
  );
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
// The two local files (docs/methodology.md sections 12-13): templates made here, as files to
// download, so that getting one asks nothing of any server.

const TEMPLATES = {
  'template-carers': [
    'CARER_ID,CARER_TYPE,ENQUIRY_DATE,APPLICATION_DATE,STAGE2_DATE,APPROVAL_DATE,APPROVED_PLACES,DEREGISTRATION_DATE,DEREGISTRATION_REASON',
    'H0001,mainstream,10/01/2025,03/03/2025,05/05/2025,20/10/2025,2,,',
  ],
  'template-adopters': [
    'ADOPTER_ID,ENQUIRY_DATE,APPLICATION_DATE,STAGE2_DATE,APPROVAL_DATE,MATCH_DATE,WITHDRAWN_DATE',
    'A0001,10/01/2025,03/02/2025,07/04/2025,28/07/2025,,',
  ],
};

function wireLocalFiles() {
  for (const [id, lines] of Object.entries(TEMPLATES)) {
    const blob = new Blob([`${lines.join('\r\n')}\r\n`], { type: 'text/csv' });
    $(id).href = URL.createObjectURL(blob);
  }
  $('several-authorities').addEventListener('change', (event) => {
    state.severalAuthorities = event.currentTarget.checked;
    const named = state.inputs.some((input) => input.la);
    if (named) recompute({ announce: state.severalAuthorities ? 'Local authorities of the files used.' : 'Local authorities of the files not used.' });
    else renderInputs();
  });
}

// ---------------------------------------------------------------------------------------------
// Issue 5: the demo data, the what-if projection and "How this figure was worked out"
// (www/insights.js holds their markup; these are the hooks into this page's state).

/** The keys of the files the demo added. */
const demoKeys = new Set();
/** The figure being explained: { id, window, la, category } or null. */
let explaining = null;

const demoLoaded = () => state.inputs.some((input) => demoKeys.has(input.key));

/** The authority whose figures the projection uses: the one shown, or all together. */
function whatIfAuthority() {
  if (!current || reportAuthorities(current).length === 0) return null;
  return state.view.la.startsWith('la:') ? state.view.la.slice(3) : ALL_AUTHORITIES;
}

/** Replaces the files with the demo's, fetched from this site, through the usual input path. */
async function loadDemo() {
  const error = $('demo-error');
  error.hidden = true;
  let files;
  try {
    await loadLater();
    files = await insights.fetchDemo();
  } catch (err) {
    error.replaceChildren(hidden('Error: '), `The demo data could not be loaded (${err?.message ?? err}). Reload the page and try again.`);
    error.hidden = false;
    return;
  }
  state.inputs = [];
  state.toSend = [];
  state.drill = null;
  explaining = null;
  demoKeys.clear();
  for (const { name, data } of files) {
    addInput(name, data, 'file');
    demoKeys.add(state.nextKey - 1);
  }
  recompute({ announce: 'Demo data added: synthetic files for a made-up council.' });
}

function openExplain(ind) {
  explaining = { id: ind.id, window: ind.window, la: ind.la ?? null, category: ind.category ?? null };
  rerenderSections();
  $('explain-heading')?.focus();
}

function explainPanel(r, ind) {
  const label = indicatorLabel(ind);
  const close = () => {
    const was = explaining;
    explaining = null;
    rerenderSections();
    const row = [...document.querySelectorAll('[data-testid="summary-row"]')].find((tr) =>
      sameIndicator(was, { id: tr.dataset.id, window: tr.dataset.window, la: tr.dataset.la, category: tr.dataset.category }),
    );
    row?.querySelector('[data-testid="explain-button"]')?.focus();
  };
  return insights.renderExplain(r, ind, label, {
    onClose: close,
    onShowAll: () => {
      explaining = null;
      openDrilldown(ind);
    },
  });
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
  $('demo-button').addEventListener('click', loadDemo); // issue 5
  $('clear-all').addEventListener('click', clearAll);
  wireLocalFiles();

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
  state.targets = targets;
  publishedView?.setTargets(targets); // issue 5: the published-figures view sets figures against these.
  document.documentElement.dataset.ready = 'true';
  recompute();
  afterFirstView();
}

// ---------------------------------------------------------------------------------------------
// After the first view (issue 6). The first view loads no WebAssembly and none of issue 5's
// modules; once the page is idle, or sooner when the user moves to give it data, they are
// loaded (loadLater) and the engine is fetched, compiled and warmed up in the worker (worker.js,
// warmUp), so that the user's first files are read by optimised code. Only then is the service
// worker registered (offline.js), whose copying of the site's files would otherwise compete with
// all that. None of it sends anything: it fetches this site's own code.

let warmUpAsked = false;
function prepare() {
  loadLater();
  if (warmUpAsked) return;
  warmUpAsked = true;
  engineWorker().postMessage({ type: 'warm' });
}

function afterFirstView() {
  const zone = $('drop-zone');
  for (const type of ['pointerenter', 'focusin']) zone.addEventListener(type, prepare, { once: true });
  window.addEventListener('dragenter', prepare, { once: true });
  $('demo-button').addEventListener('pointerenter', prepare, { once: true });
  $('paste-details').addEventListener('toggle', prepare, { once: true });
  const whenIdle = () =>
    'requestIdleCallback' in window ? requestIdleCallback(prepare, { timeout: 2000 }) : setTimeout(prepare, 500);
  if (document.readyState === 'complete') whenIdle();
  else window.addEventListener('load', whenIdle, { once: true });
}

function engineWarmed() {
  document.documentElement.dataset.engine = 'warm';
  import('./offline.js');
}

function engineFailed(reason) {
  $('engine-problem-text').textContent =
    `The calculator did not load (${reason}). Reload the page. If it still does not load, the page has not been built: run scripts/serve.sh.`;
  $('engine-problem').hidden = false;
  $('engine-problem').focus();
  $('results-empty').textContent = 'The calculator did not load.';
}

function onWorkerError(event) {
  const reason = event.message || 'the worker stopped';
  // Before the engine is ready this is a failure to load; after, the run in hand failed.
  if (!state.ready) engineFailed(reason);
  else showResults(null, reason, '');
}

function start() {
  wire();
  initAll();
  // Issue 5: an address of the published-figures view (#published, #figures=...) needs its module now.
  if (location.hash.startsWith('#published') || location.hash.startsWith('#figures=')) loadLater();
  window.addEventListener('hashchange', loadLater, { once: true });
  engineInfo.then((info) => (info.error ? engineFailed(info.error) : engineReady(info)));
}

start();

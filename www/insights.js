// Three helps around the results (issue 5): the built-in demo data, the what-if projection
// (docs/methodology.md section 19) and "How this figure was worked out". app.js wires them in a
// few marked lines; everything else lives here, so that file stays small to merge.
//
// As in app.js, every number shown comes from the engine: the projection is worked out in Rust
// (src/whatif.rs, called in worker.js); the explanation lays out the report's own fields.

import { methodologyHref, ruleFor } from './rules.js';

// ---------------------------------------------------------------------------------------------
// Markup, as in app.js (kept apart so the two files do not depend on each other's internals).

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') el.className = String(value);
    else if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  const add = (list) => {
    for (const child of list) {
      if (child === null || child === undefined || child === false) continue;
      if (Array.isArray(child)) add(child);
      else el.append(child instanceof Node ? child : String(child));
    }
  };
  add(children);
  return el;
}

const hidden = (text) => h('span', { class: 'govuk-visually-hidden' }, text);
const none = () => [h('span', { 'aria-hidden': 'true' }, '–'), hidden('none')];
const isNum = (v) => typeof v === 'number' && Number.isFinite(v);
const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

function formatDate(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? '');
  return m ? `${m[3]}/${m[2]}/${m[1]}` : (iso ?? '');
}

function formatValue(value, unit) {
  if (!isNum(value)) return none();
  if (unit === '%') return `${value.toFixed(1)}%`;
  if (unit === 'days') return `${value} ${value === 1 ? 'day' : 'days'}`;
  if (unit === 'ratio') return value.toFixed(2);
  return String(value);
}

function signed(value, unit) {
  if (!isNum(value)) return none();
  const sign = value > 0 ? '+' : '';
  return unit === '%' ? `${sign}${value.toFixed(1)} percentage points` : `${sign}${formatValue(value, unit)}`;
}

const td = (content, attrs = {}) => h('td', { class: 'govuk-table__cell', ...attrs }, content);
const tdNum = (content, attrs = {}) => h('td', { class: 'govuk-table__cell govuk-table__cell--numeric', ...attrs }, content);

function table({ caption, testid, head, rows, numeric = [] }) {
  return h(
    'div',
    { class: 'app-table-scroll', role: 'region', 'aria-label': caption, tabindex: '0' },
    h(
      'table',
      { class: 'govuk-table app-table', 'data-testid': testid },
      h('caption', { class: 'govuk-table__caption govuk-table__caption--s' }, caption),
      h(
        'thead',
        { class: 'govuk-table__head' },
        h(
          'tr',
          { class: 'govuk-table__row' },
          head.map((label, i) => h('th', { scope: 'col', class: `govuk-table__header${numeric.includes(i) ? ' govuk-table__header--numeric' : ''}` }, label)),
        ),
      ),
      h('tbody', { class: 'govuk-table__body' }, rows),
    ),
  );
}

/** Today in the user's time zone, as the engine takes dates: "2026-12-01". */
function today() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

// ---------------------------------------------------------------------------------------------
// The children behind a figure. Always through this one function: the report carries figures
// only, and app.js fetches a figure's rows from the worker (setRowsSource).

let rowsSource = (ind) => Promise.resolve({ children: ind?.children ?? [], excluded: ind?.excluded ?? [] });

/** Where the rows come from: app.js asks the worker for them (the report carries none). */
export function setRowsSource(source) {
  rowsSource = source;
}

/** @returns {Promise<{ children: object[], excluded: object[] }>} */
export function childRows(ind) {
  return rowsSource(ind);
}

// ---------------------------------------------------------------------------------------------
// The demo data: www/demo/, made by scripts/gen-demo.sh. Synthetic: no real child is in it.

export const DEMO_FILES = ['header.csv', 'episodes.csv', 'ad1.csv', 'placed_adoption.csv', 'carers.csv', 'adopters.csv'];

/** The demo files' bytes, from this site: [{ name, data: ArrayBuffer }]. */
export async function fetchDemo() {
  return Promise.all(
    DEMO_FILES.map(async (file) => {
      const response = await fetch(new URL(`demo/${file}`, document.baseURI), { cache: 'no-store' });
      if (!response.ok) throw new Error(`demo/${file}: ${response.status} ${response.statusText}`);
      return { name: `demo-${file}`, data: await response.arrayBuffer() };
    }),
  );
}

/** The banner over results worked out from the demo data. */
export function demoBanner() {
  return h(
    'div',
    { class: 'govuk-notification-banner', role: 'region', 'aria-labelledby': 'demo-banner-title', 'data-testid': 'demo-banner' },
    h('div', { class: 'govuk-notification-banner__header' }, h('h2', { class: 'govuk-notification-banner__title', id: 'demo-banner-title' }, 'Demo data')),
    h(
      'div',
      { class: 'govuk-notification-banner__content' },
      h('p', { class: 'govuk-notification-banner__heading' }, 'These figures come from synthetic data, not from a real council.'),
      h(
        'p',
        { class: 'govuk-body' },
        'The demo files describe 1,200 made-up children over six collection years (2020-21 to 2025-26), with made-up fostering households and adoptive families. No real child, carer or adopter is in them. Remove them and add your own files to work out your figures.',
      ),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// What-if projection: the page asks the worker (src/whatif.rs) and lays out its answer.

const whatIf = {
  worker: null,
  nextId: 1,
  /** id -> resolve */
  pending: new Map(),
  /** The date the user chose ("YYYY-MM-DD"), kept across new reports; null: the default. */
  date: null,
  /** The date fields as typed, so a re-render keeps them. */
  typed: null,
  /** Children's own dates as typed: child -> "DD/MM/YYYY". */
  own: new Map(),
  /** Children's own dates as the engine takes them: [{ child, placed: "YYYY-MM-DD" }]. */
  children: [],
};

/** "30/6/2026" -> "2026-06-30"; null when it is no real date. */
function parseUk(text) {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (!m) return null;
  const [d, mo, y] = [+m[1], +m[2], +m[3]];
  if (mo < 1 || mo > 12 || d < 1 || d > new Date(Date.UTC(y, mo, 0)).getUTCDate()) return null;
  return `${m[3]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Listens for the worker's what-if replies. */
export function wireWhatIf(worker) {
  whatIf.worker = worker;
  worker.addEventListener('message', (event) => {
    const message = event.data ?? {};
    if (message.type !== 'whatif') return;
    const resolve = whatIf.pending.get(message.id);
    whatIf.pending.delete(message.id);
    resolve?.(message);
  });
}

function askWorker(request) {
  const id = whatIf.nextId++;
  return new Promise((resolve) => {
    whatIf.pending.set(id, resolve);
    whatIf.worker.postMessage({ type: 'whatif', id, request });
  });
}

/**
 * The what-if section for a report: a placeholder now, filled when the worker answers.
 * `la` is the authority whose figures are shown (null: the only one, or all together).
 */
export function renderWhatIf(report, la) {
  const section = h('section', { class: 'app-section app-whatif', id: 'whatif', 'data-testid': 'whatif', 'aria-labelledby': 'whatif-heading' });
  section.append(h('h2', { class: 'govuk-heading-l', id: 'whatif-heading' }, 'What if the waiting children were placed'));
  const body = h('div', { 'data-testid': 'whatif-body' }, h('p', { class: 'govuk-body' }, 'Working out the projection…'));
  section.append(body);
  const hasWaiting = (report.indicators ?? []).some((ind) => ind.id === 'A9' && ind.n > 0);
  if (!hasWaiting) {
    body.replaceChildren(
      h('p', { class: 'govuk-body', 'data-testid': 'whatif-none' }, 'No children were waiting to be placed for adoption (A9) at the end of the latest period, so there is nothing to project.'),
    );
    return section;
  }
  const run = async (announce) => {
    const reply = await askWorker({ today: today(), date: whatIf.date, children: whatIf.children, la });
    if (!section.isConnected && !announce) return;
    if (reply.error) {
      body.replaceChildren(h('p', { class: 'govuk-body', 'data-testid': 'whatif-error' }, `The projection could not be worked out: ${reply.error}`));
      return;
    }
    body.replaceChildren(...whatIfBody(reply.result, run));
    if (announce) {
      const status = document.getElementById('whatif-status');
      if (status) status.textContent = announce(reply.result);
    }
  };
  run(null);
  return section;
}

function whatIfBody(w, run) {
  const windows = w.windows ?? [];
  const children = windows[0]?.children ?? [];
  const error = h('p', { class: 'govuk-error-message', id: 'whatif-date-error', hidden: true });
  const fieldValue = (part) => whatIf.typed?.[part] ?? w.date.split('-')[{ day: 2, month: 1, year: 0 }[part]].replace(/^0(?=\d)/, '');
  const field = (part, width, label) =>
    h(
      'div',
      { class: 'govuk-date-input__item' },
      h(
        'div',
        { class: 'govuk-form-group' },
        h('label', { class: 'govuk-label govuk-date-input__label', for: `whatif-${part}` }, label),
        h('input', {
          class: `govuk-input govuk-date-input__input govuk-input--width-${width}`,
          id: `whatif-${part}`,
          name: `whatif-${part}`,
          type: 'text',
          inputmode: 'numeric',
          autocomplete: 'off',
          'data-testid': `whatif-${part}`,
          value: fieldValue(part),
        }),
      ),
    );
  const defaultText =
    w.default_basis === 'median'
      ? `Today plus ${plural(w.default_days, 'day', 'days')}, the median time from match to moving in with the adoptive family of ${plural(w.median_children, 'child', 'children')} in ${w.median_window}: ${formatDate(w.default_date)}.`
      : `Today plus 3 months (${w.default_days} days): ${formatDate(w.default_date)}. The files have no children with both a match date and a date they moved in, so no median to take.`;
  const group = h(
    'div',
    { class: 'govuk-form-group', id: 'whatif-date-group' },
    h(
      'fieldset',
      { class: 'govuk-fieldset', role: 'group', 'aria-describedby': 'whatif-date-hint' },
      h('legend', { class: 'govuk-fieldset__legend govuk-fieldset__legend--s' }, 'Date the waiting children move in with their adoptive family'),
      h('div', { class: 'govuk-hint', id: 'whatif-date-hint' }, `The default is ${defaultText.charAt(0).toLowerCase()}${defaultText.slice(1)} For example, 30 6 2026.`),
      error,
      h('div', { class: 'govuk-date-input' }, field('day', 2, 'Day'), field('month', 2, 'Month'), field('year', 4, 'Year')),
    ),
  );
  const submit = (event) => {
    event.preventDefault();
    // Each child's own date first: a mistake there is pointed out in its row.
    const own = [];
    let wrong = null;
    for (const input of document.querySelectorAll('[data-testid="whatif-own"]')) {
      const text = input.value.trim();
      whatIf.own.set(input.dataset.child, text);
      const message = document.getElementById(`${input.id}-error`);
      if (text === '') continue;
      const placed = parseUk(text);
      if (placed) {
        own.push({ child: input.dataset.child, placed });
        continue;
      }
      input.classList.add('govuk-input--error');
      input.setAttribute('aria-describedby', `${input.id}-error`);
      message.replaceChildren(hidden('Error: '), `The date for ${input.dataset.child} must be a real date, like 30/06/2026`);
      message.hidden = false;
      wrong ??= input;
    }
    if (wrong) {
      wrong.focus();
      return;
    }
    const parts = ['day', 'month', 'year'].map((p) => document.getElementById(`whatif-${p}`).value.trim());
    whatIf.typed = { day: parts[0], month: parts[1], year: parts[2] };
    const [d, m, y] = parts;
    const real =
      /^\d{1,2}$/.test(d) && /^\d{1,2}$/.test(m) && /^\d{4}$/.test(y) && +m >= 1 && +m <= 12 && +d >= 1 && +d <= new Date(Date.UTC(+y, +m, 0)).getUTCDate();
    if (!real) {
      group.classList.add('govuk-form-group--error');
      error.replaceChildren(hidden('Error: '), 'The date must be a real date, like 30 6 2026');
      error.hidden = false;
      for (const p of ['day', 'month', 'year']) {
        const input = document.getElementById(`whatif-${p}`);
        input.classList.add('govuk-input--error');
        input.setAttribute('aria-describedby', 'whatif-date-error');
      }
      document.getElementById('whatif-day').focus();
      return;
    }
    whatIf.date = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
    whatIf.children = own;
    run((result) => {
      const first = result.windows?.[0];
      return first
        ? `Projection updated: if placed on ${formatDate(result.date)}, A1 ${first.window} would be ${first.a1.value ?? 'none'} days.`
        : 'Projection updated.';
    });
  };
  const reset = () => {
    whatIf.date = null;
    whatIf.typed = null;
    whatIf.own.clear();
    whatIf.children = [];
    run(() => 'Projection back to the default date.');
  };
  return [
    h(
      'p',
      { class: 'govuk-body' },
      `${plural(children.length, 'child was', 'children were')} waiting to be placed for adoption on ${formatDate(w.waiting_at)} (A9). Choose the day they move in with their adoptive family to see what A1, A10 and A3 would be for ${windows.map((x) => x.window).join(' and ')}, beside the actual figures. `,
      h('a', { class: 'govuk-link', href: 'methodology.html#what-if-projection' }, 'How the projection is worked out'),
      '.',
    ),
    h(
      'form',
      { class: 'app-whatif__form', id: 'whatif-form', novalidate: true, 'data-testid': 'whatif-form', onsubmit: submit },
      group,
      h(
        'div',
        { class: 'govuk-button-group' },
        h('button', { type: 'submit', class: 'govuk-button', 'data-testid': 'whatif-submit' }, 'Work out the projection'),
        whatIf.date || whatIf.children.length ? h('button', { type: 'button', class: 'govuk-button govuk-button--secondary', 'data-testid': 'whatif-reset', onclick: reset }, 'Use the default date') : null,
      ),
    ),
    h('div', { id: 'whatif-status', class: 'govuk-visually-hidden', role: 'status', 'aria-live': 'polite', 'data-testid': 'whatif-status' }),
    ...windows.map((x) => projectionTable(x, w.date)),
    ...childrenTable(children, w.date),
  ];
}

function projectionTable(x, date) {
  const row = (label, id, unit, actual, value, extra) =>
    h(
      'tr',
      { class: 'govuk-table__row', 'data-id': id },
      h('th', { scope: 'row', class: 'govuk-table__header' }, label),
      tdNum(actual, { 'data-col': 'actual' }),
      tdNum(value, { 'data-col': 'projected' }),
      tdNum(extra.change, { 'data-col': 'change' }),
      td(extra.status, { 'data-col': 'status' }),
    );
  const days = (id, f) =>
    row(
      id,
      id,
      'days',
      [formatValue(f.actual, 'days'), h('span', { class: 'govuk-hint app-cell-hint' }, plural(f.actual_n, 'child', 'children'))],
      [formatValue(f.value, 'days'), h('span', { class: 'govuk-hint app-cell-hint' }, plural(f.n, 'child', 'children'))],
      {
        change: signed(f.change, 'days'),
        status: [
          f.status.charAt(0).toUpperCase() + f.status.slice(1),
          isNum(f.threshold) ? h('span', { class: 'govuk-hint app-cell-hint' }, `threshold ${f.threshold} days, gap ${isNum(f.gap) ? (f.gap > 0 ? '+' : '') + f.gap : '–'}`) : null,
        ],
      },
    );
  const a3 = x.a3;
  const box = table({
    caption: `${x.window}: actual, and if placed on ${formatDate(date)}`,
    testid: 'whatif-table',
    head: ['Indicator', 'Actual', `If placed on ${formatDate(date)}`, 'Change', 'Against the threshold'],
    numeric: [1, 2, 3],
    rows: [
      days('A1', x.a1),
      days('A10', x.a10),
      row(
        'A3',
        'A3',
        '%',
        [formatValue(a3.actual, '%'), h('span', { class: 'govuk-hint app-cell-hint' }, `${a3.actual_count} of ${a3.actual_n}`)],
        [formatValue(a3.value, '%'), h('span', { class: 'govuk-hint app-cell-hint' }, `${a3.count} of ${a3.n}`)],
        {
          change: signed(a3.change_points, '%'),
          status: isNum(a3.limit_days) ? `Wait limit ${a3.limit_days} days` : 'No wait limit',
        },
      ),
    ],
  });
  box.dataset.window = x.window;
  return box;
}

/**
 * The most waiting children listed, each with a box for their own date. A region or the country
 * has thousands waiting: listing them all took seconds to draw, and no one types thousands of dates.
 */
export const MAX_LISTED_CHILDREN = 200;

/** The waiting children's table (the first MAX_LISTED_CHILDREN), and a note when cut. */
function childrenTable(children, date) {
  const ownDate = (c, i) => {
    const id = `whatif-own-${i}`;
    return h(
      'div',
      { class: 'app-whatif__own' },
      h('label', { class: 'govuk-visually-hidden', for: id }, `Own date for ${c.child}, as DD/MM/YYYY`),
      h('p', { class: 'govuk-error-message', id: `${id}-error`, hidden: true }),
      h('input', {
        class: 'govuk-input govuk-input--width-10',
        id,
        type: 'text',
        inputmode: 'numeric',
        autocomplete: 'off',
        spellcheck: 'false',
        form: 'whatif-form',
        'data-testid': 'whatif-own',
        'data-child': c.child,
        value: whatIf.own.get(c.child) ?? '',
      }),
    );
  };
  const listed = table({
    caption: `The waiting children, if placed on ${formatDate(date)} or their own date (DD/MM/YYYY; then Work out the projection)`,
    testid: 'whatif-children',
    head: ['Child', 'Entered care', 'Own date (optional)', 'Moves in', 'Days', 'Under the wait limit', 'Note'],
    numeric: [4],
    rows: children.slice(0, MAX_LISTED_CHILDREN).map((c, i) =>
      h(
        'tr',
        { class: 'govuk-table__row', 'data-child': c.child },
        h('th', { scope: 'row', class: 'govuk-table__header' }, c.child),
        td(formatDate(c.entered)),
        td(ownDate(c, i)),
        td(formatDate(c.placed), { 'data-col': 'placed' }),
        tdNum(isNum(c.days) ? String(c.days) : none(), { 'data-col': 'days' }),
        td(c.within_limit === true ? 'Yes' : c.within_limit === false ? 'No' : none(), { 'data-col': 'within' }),
        td(c.note ?? ''),
      ),
    ),
  });
  const cut =
    children.length > MAX_LISTED_CHILDREN
      ? h(
          'p',
          { class: 'govuk-body', 'data-testid': 'whatif-children-cut' },
          `The first ${MAX_LISTED_CHILDREN} of the ${children.length} waiting children are listed; the projection counts all of them, on the date above unless given their own.`,
        )
      : null;
  return [listed, cut].filter(Boolean);
}

// ---------------------------------------------------------------------------------------------
// "How this figure was worked out".

const OPTION_TEXT = {
  as_at: (v) => ['Date to work out figures to', v ? formatDate(v) : 'None: whole collection years'],
  a3_include_waiting: (v) => ['Children still waiting in A3', v ? 'Counted' : 'Left out'],
  months: (v) => ['Months', v === 'calendar' ? 'Calendar months' : 'Days: a month is 30.4375 days, rounded down (14 months = 426 days)'],
  thresholds: (v) => ['Thresholds in days', v === 'rounded' ? 'Rounded to the nearest day' : 'Rounded down, as DfE publishes them'],
  targets: (v) => ['Your own thresholds and targets', (v ?? []).length ? v.map((t) => `${t.id}${t.window ? ` (${t.window})` : ''}: ${t.value}`).join('; ') : 'None'],
  count_same_carer_moves: (v) => ['Moves with the same carers (RNE T, U)', v ? 'Counted as placements' : 'Not counted'],
  fostering_assessment_months: (v) => ['Timely fostering assessment', `Less than ${v} months`],
  adopter_approval_months: (v) => ['Timely adopter approval', `Less than ${v} months`],
  fostering_conversion_goal: (v) => ['Fostering enquiries to approvals goal', `${v}%`],
  authorities: (v) => ['Local authorities given to files', (v ?? []).length ? v.map((a) => `${a.file}: ${a.la}`).join('; ') : 'None'],
};

/** The explanation button of a summary row. */
export function explainButton(ind, label, open, onclick) {
  return h(
    'button',
    {
      type: 'button',
      class: 'app-link-button app-explain-button',
      'data-testid': 'explain-button',
      'aria-controls': 'explain',
      'aria-expanded': open ? 'true' : 'false',
      onclick,
    },
    'How',
    hidden(` ${label} was worked out`),
  );
}

/**
 * The explanation of one figure: the rule, the period, the threshold or target and its source,
 * the options in force and the children in and out (through childRows). `onShowAll` opens the
 * figure's drill-down; `onClose` closes this.
 */
export function renderExplain(report, ind, label, { onClose, onShowAll }) {
  const rule = ruleFor(ind.id);
  const what = ind.columns?.subject ? ind.columns.subject.toLowerCase() : 'child';
  const many = what === 'family' ? 'families' : what === 'household' ? 'households' : 'children';
  const threshold = isNum(ind.threshold)
    ? [
        `${formatValue(ind.threshold, ind.unit)}${ind.unit === 'days' ? ' or less' : ''}`,
        ind.threshold_overridden ? ', your own value' : ind.threshold_window ? `, the DfE threshold for ${ind.threshold_window}` : '',
        ind.threshold_source && !ind.threshold_overridden ? `. Source: ${ind.threshold_source}` : '',
      ]
    : ind.target
      ? [`${ind.target.value}% ${ind.target.direction === 'at most' ? 'or less' : 'or more'}`, `. Source: ${ind.target.source}`]
      : isNum(ind.limit_days)
        ? [`No target. Wait or time limit: ${ind.limit_days} days`, ind.threshold_source ? `. Source: ${ind.threshold_source}` : '']
        : 'No threshold or target';
  const facts = [
    ['Figure', [formatValue(ind.value, ind.unit), ind.unit === '%' && isNum(ind.count) ? ` (${ind.count} of ${ind.n})` : '']],
    ['Rule', [rule?.rule ?? 'See the methodology.', ' ', h('a', { class: 'govuk-link', href: methodologyHref(ind.id), 'data-testid': 'explain-methodology' }, `The full rule in the methodology`, hidden(` for ${ind.id}`))]],
    ['Period', `${formatDate(ind.start)} to ${formatDate(ind.end)} (${ind.window_kind ?? ind.window})`],
    ['Threshold or target', threshold],
    isNum(ind.gap) ? ['Gap', signed(ind.gap, ind.unit)] : isNum(ind.gap_points) ? ['Gap', signed(ind.gap_points, '%')] : null,
    ind.status ? ['Status', ind.status.charAt(0).toUpperCase() + ind.status.slice(1)] : null,
    ind.la ? ['Local authority', ind.la] : null,
    ind.source_note ? ['Note', ind.source_note] : null,
  ].filter(Boolean);
  const options = Object.entries(report.options ?? {})
    .filter(([key]) => OPTION_TEXT[key])
    .map(([key, value]) => OPTION_TEXT[key](value));
  const dl = (rows, testid) =>
    h(
      'dl',
      { class: 'govuk-summary-list', 'data-testid': testid },
      rows.map(([key, value]) =>
        h('div', { class: 'govuk-summary-list__row' }, h('dt', { class: 'govuk-summary-list__key' }, key), h('dd', { class: 'govuk-summary-list__value' }, value)),
      ),
    );
  const people = h('div', { 'data-testid': 'explain-children' }, h('p', { class: 'govuk-body' }, `Listing the ${many}…`));
  childRows(ind).then(({ children, excluded }) => {
    const byReason = new Map();
    for (const x of excluded) byReason.set(x.reason ?? x.code, (byReason.get(x.reason ?? x.code) ?? 0) + 1);
    people.replaceChildren(
      h(
        'p',
        { class: 'govuk-body', 'data-testid': 'explain-counts' },
        `${plural(children.length, what, many)} counted in the figure; ${plural(excluded.length, what, many)} left out.`,
      ),
      byReason.size
        ? h(
            'ul',
            { class: 'govuk-list govuk-list--bullet', 'data-testid': 'explain-reasons' },
            [...byReason].map(([reason, n]) => h('li', null, `${n} left out: ${reason}`)),
          )
        : null,
      h(
        'p',
        { class: 'govuk-body' },
        h('button', { type: 'button', class: 'govuk-button govuk-button--secondary', 'data-testid': 'explain-show-all', onclick: onShowAll }, `List the ${many}, with their dates`, hidden(` for ${label}`)),
      ),
    );
  });
  return h(
    'section',
    { class: 'app-drilldown app-explain', id: 'explain', 'data-testid': 'explain', 'data-id': ind.id, 'data-window': ind.window, 'aria-labelledby': 'explain-heading' },
    h('h2', { class: 'govuk-heading-l', id: 'explain-heading', tabindex: '-1' }, `How ${label} was worked out`),
    dl(facts, 'explain-facts'),
    h('h3', { class: 'govuk-heading-m' }, `The ${many} in and out`),
    people,
    h('h3', { class: 'govuk-heading-m' }, 'Options in force'),
    dl(options, 'explain-options'),
    h('button', { type: 'button', class: 'govuk-button govuk-button--secondary', 'data-testid': 'explain-close', onclick: onClose }, 'Close', hidden(` how ${label} was worked out`)),
  );
}

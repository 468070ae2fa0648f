// The published-figures view (docs/methodology.md, "Published figures"), reached from the start
// of the page at #published, and opened by a share link (#figures=...). The user types or
// pastes published figures; published.js reads them and sets them against the DfE thresholds of
// the engine (engine-info.json, read by boot.js); charts.js draws them as it draws computed figures.
// No child-level data is involved: nothing here reads files.

import { funnelChart, html, trendChart } from './charts.js';
import { assess, decodeShare, encodeShare, figuresFromReport, parseCounts, parseScorecard, SCORECARD_IDS } from './published.js';

const $ = (id) => document.getElementById(id);
const h = (tag, attrs, ...children) => html(document, tag, attrs, ...children);
const hidden = (text) => h('span', { class: 'govuk-visually-hidden' }, text);

/** The DfE thresholds from the engine (targets()), once it has loaded. */
let targets = null;
/** Figures waiting for the thresholds: { from, scorecard, fostering, adopters }. */
let pending = null;

const FIELDS = [
  {
    key: 'scorecard',
    label: 'Scorecard figures: A1, A10, A2 and A3 by period',
    hint: 'Copy the table from your report or spreadsheet and paste it here. Put the periods in the first row (2013-16 for three years, 2015-16 for one) and start each row with its indicator; or put the periods in the first column and the indicators along the top. Columns headed “England” or “Statistical neighbours” are shown beside your figures. A1, A10 and A2 in days; A3 as a percentage, like 56% or 63 (46%).',
    example: 'Period\tA1\tA2\tA3\n2013-16\t587\t189\t49.1%\n2015-16\t595\t234\t53.6%',
  },
  {
    key: 'fostering',
    label: 'Fostering counts by year (optional)',
    hint: 'Rows of enquiries, applications (assessments started) and approvals, with the years in the first row, like 2015-16.',
  },
  {
    key: 'adopters',
    label: 'Adopter recruitment counts by year (optional)',
    hint: 'Rows of enquiries, applications and adopters approved, with the years in the first row.',
  },
];

/** Builds the view (hidden until #published or #figures=) and follows the address. */
export function initPublished() {
  const view = $('published-view');
  if (!view) return;
  view.replaceChildren(
    h('a', { href: '#files', class: 'govuk-back-link', 'data-testid': 'published-back' }, 'Back to your files'),
    h('div', { id: 'published-error-slot' }),
    h('h1', { class: 'govuk-heading-xl', id: 'published-heading', tabindex: '-1' }, 'Published figures against the DfE thresholds'),
    h(
      'div',
      { class: 'govuk-grid-row' },
      h(
        'div',
        { class: 'govuk-grid-column-two-thirds' },
        h('p', { class: 'govuk-body' }, 'Type or paste figures from an annual report or the DfE scorecards to see them against the DfE threshold for each period, as charts and a table. No files are needed, and nothing you type is sent anywhere.'),
        h(
          'form',
          { id: 'published-form', novalidate: true, 'data-testid': 'published-form' },
          FIELDS.map((f) =>
            h(
              'div',
              { class: 'govuk-form-group', id: `published-${f.key}-group` },
              h('label', { class: 'govuk-label govuk-label--s', for: `published-${f.key}` }, f.label),
              h('div', { class: 'govuk-hint', id: `published-${f.key}-hint` }, f.hint),
              h('div', { class: 'govuk-error-message', id: `published-${f.key}-error`, hidden: true }),
              h('textarea', {
                class: 'govuk-textarea app-paste',
                id: `published-${f.key}`,
                name: `published-${f.key}`,
                'data-testid': `published-${f.key}`,
                rows: f.key === 'scorecard' ? 8 : 5,
                spellcheck: 'false',
                autocomplete: 'off',
                'aria-describedby': `published-${f.key}-hint`,
              }),
            ),
          ),
          h('button', { type: 'submit', class: 'govuk-button', 'data-testid': 'published-show' }, 'Show the figures'),
        ),
      ),
    ),
    h('div', { id: 'published-results', 'data-testid': 'published-results', 'aria-live': 'polite' }),
  );
  $('published-form').addEventListener('submit', (event) => {
    event.preventDefault();
    showTyped();
  });
  window.addEventListener('hashchange', followAddress);
  followAddress();
}

/** The engine's thresholds have arrived: draw anything that waited for them. */
export function setTargets(rows) {
  targets = Array.isArray(rows) ? rows : [];
  if (pending) {
    const p = pending;
    pending = null;
    renderFigures(p);
  }
}

function setMode(on) {
  const main = $('published-view')?.closest('main');
  if (!main) return;
  main.classList.toggle('app-published-mode', on);
  $('published-view').hidden = !on;
}

function followAddress() {
  const hash = location.hash;
  if (hash.startsWith('#figures=')) {
    setMode(true);
    const shared = decodeShare(hash);
    if (!shared) {
      showErrors([{ message: 'This link to published figures is broken or cut short. Ask for the link again, or type the figures in below', field: 'scorecard' }]);
      return;
    }
    fillFields(shared);
    renderFigures(shared);
    $('published-heading').focus();
  } else if (hash === '#published') {
    setMode(true);
    $('published-heading').focus();
  } else if (hash === '#files' || hash === '') {
    if ($('published-view') && !$('published-view').hidden) {
      setMode(false);
      document.querySelector('h1')?.focus?.();
    }
  }
}

/** Puts shared figures back into the fields as tables, so the user can change them. */
function fillFields(shared) {
  const ids = SCORECARD_IDS.filter((id) => shared.scorecard.some((f) => f.id === id));
  const extra = (role, name) => ids.filter((id) => shared.scorecard.some((f) => f.id === id && f[role] !== null)).map((id) => [id, role, `${name} ${id}`]);
  const columns = [...ids.map((id) => [id, 'value', id]), ...extra('england', 'England'), ...extra('neighbours', 'Statistical neighbours')];
  const windows = [...new Set(shared.scorecard.map((f) => f.window))];
  const cell = (f, role) => {
    if (!f) return '';
    if (role !== 'value') return f[role] === null ? '' : f.id === 'A3' ? `${f[role]}%` : String(f[role]);
    if (f.value === null) return '';
    if (f.id !== 'A3') return String(f.value);
    return f.count !== null ? `${f.count} (${f.value}%)` : `${f.value}%`;
  };
  const scorecard = windows.length
    ? [
        ['Period', ...columns.map((c) => c[2])].join('\t'),
        ...windows.map((w) => [w, ...columns.map(([id, role]) => cell(shared.scorecard.find((f) => f.id === id && f.window === w), role))].join('\t')),
      ].join('\n')
    : '';
  const counts = (years) =>
    years.length
      ? [['', ...years.map((y) => y.window)], ...['enquiries', 'applications', 'approvals'].map((stage) => [stage.charAt(0).toUpperCase() + stage.slice(1), ...years.map((y) => (y[stage] === null ? '' : String(y[stage])))])]
          .map((row) => row.join('\t'))
          .join('\n')
      : '';
  $('published-scorecard').value = scorecard;
  $('published-fostering').value = counts(shared.fostering);
  $('published-adopters').value = counts(shared.adopters);
}

function showTyped() {
  const text = Object.fromEntries(FIELDS.map((f) => [f.key, $(`published-${f.key}`).value]));
  const errors = [];
  const notes = [];
  let scorecard = [];
  let fostering = [];
  let adopters = [];
  const any = Object.values(text).some((t) => t.trim() !== '');
  if (!any) {
    errors.push({ field: 'scorecard', message: 'Type or paste a table of figures: A1, A2 and A3 by period, or fostering or adopter counts by year' });
  }
  if (text.scorecard.trim()) {
    const r = parseScorecard(text.scorecard);
    errors.push(...r.errors.map((e) => ({ ...e, field: 'scorecard', message: `Scorecard figures: ${e.message}` })));
    notes.push(...r.notes.map((n) => `Scorecard figures: ${n}`));
    scorecard = r.figures;
  }
  for (const key of ['fostering', 'adopters']) {
    if (!text[key].trim()) continue;
    const r = parseCounts(text[key]);
    const what = key === 'fostering' ? 'Fostering counts' : 'Adopter counts';
    errors.push(...r.errors.map((e) => ({ ...e, field: key, message: `${what}: ${e.message}` })));
    notes.push(...r.notes.map((n) => `${what}: ${n}`));
    if (key === 'fostering') fostering = r.years;
    else adopters = r.years;
  }
  showErrors(errors);
  if (errors.length) {
    $('published-results').replaceChildren();
    return;
  }
  const figures = { from: 'typed', scorecard, fostering, adopters, notes };
  // The address now holds the figures: it is the share link (replaceState: no hashchange).
  history.replaceState(null, '', `#${encodeShare(figures)}`);
  renderFigures(figures);
}

function showErrors(errors) {
  const slot = $('published-error-slot');
  for (const f of FIELDS) {
    const group = $(`published-${f.key}-group`);
    const mine = errors.filter((e) => e.field === f.key);
    group.classList.toggle('govuk-form-group--error', mine.length > 0);
    const field = $(`published-${f.key}`);
    field.classList.toggle('govuk-textarea--error', mine.length > 0);
    const error = $(`published-${f.key}-error`);
    error.hidden = mine.length === 0;
    error.replaceChildren(...mine.map((e) => h('span', { class: 'app-error-line' }, hidden('Error: '), e.message)));
    field.setAttribute('aria-describedby', mine.length ? `published-${f.key}-hint published-${f.key}-error` : `published-${f.key}-hint`);
  }
  if (errors.length === 0) {
    slot.replaceChildren();
    return;
  }
  const summary = h(
    'div',
    { class: 'govuk-error-summary', 'data-testid': 'published-error-summary', tabindex: '-1' },
    h(
      'div',
      { role: 'alert' },
      h('h2', { class: 'govuk-error-summary__title' }, 'There is a problem'),
      h(
        'div',
        { class: 'govuk-error-summary__body' },
        h(
          'ul',
          { class: 'govuk-list govuk-error-summary__list' },
          errors.map((e) => h('li', null, h('a', { href: `#published-${e.field ?? 'scorecard'}`, 'data-testid': 'published-error-link' }, e.message))),
        ),
      ),
    ),
  );
  slot.replaceChildren(summary);
  summary.focus();
}

function statusTag(status) {
  if (status === 'met' || status === 'not met') {
    return h('strong', { class: `govuk-tag app-tag ${status === 'met' ? 'govuk-tag--green' : 'govuk-tag--red'}`, 'data-status': status }, status === 'met' ? 'Met' : 'Not met');
  }
  const words = { 'no target': 'No target', 'no threshold': 'No threshold for this period', 'no figure': 'No figure' };
  return h('span', { class: 'govuk-hint app-cell-hint', 'data-status': status }, words[status] ?? status);
}

const fmt = (v, unit) => (v === null || v === undefined ? '' : unit === '%' ? `${Number(v).toFixed(1)}%` : `${v} days`);

/** Draws figures: a chart per indicator, the table against the thresholds, the funnels, the link. */
function renderFigures(figures) {
  if (targets === null) {
    pending = figures;
    $('published-results').replaceChildren(h('p', { class: 'govuk-body' }, 'Loading the DfE thresholds…'));
    return;
  }
  const results = assess(figures.scorecard, targets);
  const out = [];
  out.push(h('h2', { class: 'govuk-heading-l', id: 'published-results-heading' }, 'Your figures'));
  if (figures.from === 'report') {
    out.push(
      h('div', { class: 'govuk-inset-text', 'data-testid': 'published-from-report' }, 'These figures were worked out by care-scorecard from a council’s SSDA903 files and shared as a link. The link holds the figures only: no child’s details and no files.'),
    );
  }
  if ((figures.notes ?? []).length) {
    out.push(
      h(
        'details',
        { class: 'govuk-details', 'data-testid': 'published-notes' },
        h('summary', { class: 'govuk-details__summary' }, h('span', { class: 'govuk-details__summary-text' }, `How your table was read (${figures.notes.length} ${figures.notes.length === 1 ? 'note' : 'notes'})`)),
        h('div', { class: 'govuk-details__text' }, h('ul', { class: 'govuk-list govuk-list--bullet' }, figures.notes.map((n) => h('li', null, n)))),
      ),
    );
  }
  if (results.length) {
    const charts = SCORECARD_IDS.filter((id) => results.some((r) => r.id === id)).map((id) => trendChart(document, { id, name: results.find((r) => r.id === id).name, indicators: results }));
    out.push(h('div', { class: 'app-charts', 'data-testid': 'charts', 'data-group': 'Published' }, charts.filter(Boolean)));
    const ordered = SCORECARD_IDS.flatMap((id) => results.filter((r) => r.id === id).sort((a, b) => (a.window_kind === b.window_kind ? a.window.localeCompare(b.window) : a.window_kind === '1-year' ? -1 : 1)));
    out.push(
      h(
        'div',
        { class: 'app-table-scroll', role: 'region', 'aria-label': 'Published figures against the DfE thresholds', tabindex: '0' },
        h(
          'table',
          { class: 'govuk-table app-table', 'data-testid': 'published-table' },
          h('caption', { class: 'govuk-table__caption govuk-table__caption--m' }, 'Published figures against the DfE thresholds'),
          h(
            'thead',
            { class: 'govuk-table__head' },
            h(
              'tr',
              { class: 'govuk-table__row' },
              ['Indicator', 'Period', 'Value', 'DfE threshold', 'Gap', 'Status', 'England', 'Statistical neighbours'].map((label, i) =>
                h('th', { scope: 'col', class: `govuk-table__header${[2, 3, 4, 6, 7].includes(i) ? ' govuk-table__header--numeric' : ''}` }, label),
              ),
            ),
          ),
          h(
            'tbody',
            { class: 'govuk-table__body' },
            ordered.map((r) =>
              h(
                'tr',
                { class: 'govuk-table__row', 'data-testid': 'published-row', 'data-id': r.id, 'data-window': r.window },
                h('th', { scope: 'row', class: 'govuk-table__header' }, r.id),
                h('td', { class: 'govuk-table__cell', 'data-col': 'window' }, r.window, r.window_kind === '3-year' ? ' (3 years)' : '', r.ytd ? ' (to date)' : ''),
                h('td', { class: 'govuk-table__cell govuk-table__cell--numeric', 'data-col': 'value' }, r.value === null ? '' : `${fmt(r.value, r.unit)}${r.count !== null ? ` (${r.count} children)` : ''}`),
                h(
                  'td',
                  { class: 'govuk-table__cell govuk-table__cell--numeric', 'data-col': 'threshold' },
                  r.threshold !== null ? [fmt(r.threshold, r.unit), h('span', { class: 'govuk-hint app-cell-hint' }, `DfE ${r.threshold_window}`)] : r.limit_months ? `Wait limit ${r.limit_months} months` : '',
                ),
                h('td', { class: 'govuk-table__cell govuk-table__cell--numeric', 'data-col': 'gap' }, r.gap === null ? '' : `${r.gap > 0 ? '+' : ''}${r.gap} ${Math.abs(r.gap) === 1 ? 'day' : 'days'}`),
                h('td', { class: 'govuk-table__cell', 'data-col': 'status' }, statusTag(r.status)),
                h('td', { class: 'govuk-table__cell govuk-table__cell--numeric', 'data-col': 'england' }, fmt(r.england?.value, r.unit)),
                h('td', { class: 'govuk-table__cell govuk-table__cell--numeric', 'data-col': 'neighbours' }, fmt(r.neighbours?.value, r.unit)),
              ),
            ),
          ),
        ),
      ),
    );
  }
  for (const [key, what] of [['fostering', 'Fostering'], ['adopters', 'Adopter']]) {
    const years = figures[key] ?? [];
    if (!years.length) continue;
    out.push(h('h3', { class: 'govuk-heading-m' }, `${what} recruitment`));
    out.push(h('div', { class: 'app-charts', 'data-testid': 'charts', 'data-group': key }, years.map((y) => funnelChart(document, { what, ...y })).filter(Boolean)));
  }
  out.push(shareBox(encodeShare(figures), 'Link to these figures', 'Anyone who opens this link sees these figures, drawn as they are here. The link holds only the figures, in the part of the address after “#”, which the browser does not send to any server.'));
  $('published-results').replaceChildren(...out);
}

/** A read-only box with the link, and a button to copy it. */
function shareBox(fragment, heading, text) {
  const url = `${location.origin}${location.pathname}#${fragment}`;
  const id = `share-${Math.random().toString(36).slice(2, 8)}`;
  const input = h('input', { class: 'govuk-input', id, type: 'text', readonly: true, value: url, 'data-testid': 'share-url', spellcheck: 'false', 'aria-describedby': `${id}-hint` });
  const status = h('p', { class: 'govuk-body-s', role: 'status', 'data-testid': 'share-status' });
  return h(
    'div',
    { class: 'app-share', 'data-testid': 'share' },
    h('h3', { class: 'govuk-heading-m' }, heading),
    h(
      'div',
      { class: 'govuk-form-group' },
      h('label', { class: 'govuk-label', for: id }, 'Link'),
      h('div', { class: 'govuk-hint', id: `${id}-hint` }, text),
      input,
    ),
    h(
      'button',
      {
        type: 'button',
        class: 'govuk-button govuk-button--secondary',
        'data-testid': 'share-copy',
        onclick: () => {
          input.select();
          const done = () => (status.textContent = 'Link copied.');
          if (navigator.clipboard?.writeText) navigator.clipboard.writeText(url).then(done, () => (status.textContent = 'Select the link and copy it.'));
          else status.textContent = 'Select the link and copy it.';
        },
      },
      'Copy link',
    ),
    ' ',
    h('a', { class: 'govuk-link app-share__open', href: `#${fragment}`, 'data-testid': 'share-open' }, 'Open the figures on their own'),
    status,
  );
}

/**
 * The share link of a computed report, for the results: the figures of one authority (or all
 * together), never a child, a date or a file name (published.js figuresFromReport).
 */
export function reportShareBox(report, la) {
  const figures = figuresFromReport(report, la);
  if (!figures.scorecard.length && !figures.fostering.length && !figures.adopters.length) return null;
  return h(
    'section',
    { class: 'app-section', 'data-testid': 'report-share', 'aria-labelledby': 'report-share-heading' },
    h('h2', { class: 'govuk-heading-l', id: 'report-share-heading' }, 'Share these figures'),
    shareBox(
      encodeShare(figures),
      'Link to the figures',
      `A link that opens A1, A10, A2 and A3 for each period${la ? ` (${la})` : ''}, with England averages, and the fostering and adopter enquiries, applications and approvals by year, against the DfE thresholds. It holds those figures only: no child’s identifier, no dates, no file names, nothing from the rows of your files. Anyone with the link sees the figures, so share it as you would the figures themselves.`,
    ),
  );
}

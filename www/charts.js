// Charts as plain SVG, written here rather than taken from a charting library: the page's first
// view must stay small (a charting library would weigh more than the rest of the page's script),
// and every chart must carry its own text alternative and data table. Each chart is a <figure>:
// an <svg role="img"> named by its <title> and described by its <desc>, a legend in HTML text,
// and a GOV.UK table of the very figures drawn, in a <details> beside it.
//
// The layout helpers (ticks, scales, bands, series) are pure and tested under Node
// (tests/unit/charts.test.mjs); the drawing functions take the document to build in.
// Every number drawn comes from the engine's report (or, in published-figures mode, from the
// figures the user typed): nothing here works a figure out, it only places it.

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Chart ids unique on the page, for aria-labelledby. */
let nextId = 1;

// ---------------------------------------------------------------------------------------------
// Pure layout helpers.

/** Round tick values from 0 (or min) to at least max: 0, 100, 200, ... About `count` of them. */
export function niceTicks(min, max, count = 5) {
  const lo = Math.min(0, min);
  const hi = max > lo ? max : lo + 1;
  const raw = (hi - lo) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const ticks = [];
  for (let v = Math.floor(lo / step) * step; v < hi + step - 1e-9; v += step) {
    ticks.push(Number(v.toFixed(10)));
    if (v >= hi) break;
  }
  return ticks;
}

/** A linear map from [d0, d1] to [r0, r1]. */
export function linearScale([d0, d1], [r0, r1]) {
  const span = d1 - d0 || 1;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

/**
 * Whole-number values put into bands of a round width, so that there are at most `maxBands`:
 * { step, bins: [{ from, to, count }] } from 0 to the band holding the largest value (or
 * `atLeast`, to keep a threshold in view). `to` is exclusive.
 */
export function bands(values, { maxBands = 20, atLeast = 0 } = {}) {
  // A loop, not Math.max(...values): a national set has more values than a call takes arguments.
  let top = Math.max(atLeast, 1);
  for (const v of values) if (v > top) top = v;
  const steps = [1, 2, 5, 7, 10, 14, 20, 25, 30, 50, 100, 200, 250, 500, 1000, 2000, 5000];
  const step = steps.find((s) => Math.floor(top / s) + 1 <= maxBands) ?? Math.ceil((top + 1) / maxBands);
  const n = Math.floor(top / step) + 1;
  const bins = Array.from({ length: n }, (_, i) => ({ from: i * step, to: (i + 1) * step, count: 0 }));
  for (const v of values) {
    const i = Math.min(n - 1, Math.max(0, Math.floor(v / step)));
    bins[i].count += 1;
  }
  return { step, bins };
}

/** "2013-16" -> 2016, "2015-16" -> 2016; null for an as-at window. */
export function windowEndYear(label) {
  const m = /^(\d{4})-(\d{2})$/.exec(label ?? '');
  if (!m) return null;
  const start = Number(m[1]);
  let end = Math.floor(start / 100) * 100 + Number(m[2]);
  if (end <= start) end += 100;
  return end;
}

/** 2016 -> "2015-16". */
export const yearLabel = (end) => `${end - 1}-${String(end).slice(-2)}`;

/**
 * One indicator's trend from report-shaped results (the engine's, or published figures laid out
 * the same way): the 1-year and 3-year windows by the year they end, with the threshold in force
 * and the England average where known. As-at windows are left out: they overlap the years.
 */
export function trendSeries(indicators, id) {
  const own = indicators
    .filter((ind) => ind.id === id && (ind.window_kind === '1-year' || ind.window_kind === '3-year'))
    .map((ind) => ({ ind, end: windowEndYear(ind.window) }))
    .filter((x) => x.end !== null)
    .sort((a, b) => a.end - b.end || (a.ind.window_kind === '1-year' ? -1 : 1));
  const years = [...new Set(own.map((x) => x.end))];
  const point = (x) => ({
    window: x.ind.window,
    kind: x.ind.window_kind,
    end: x.end,
    value: num(x.ind.value),
    threshold: num(x.ind.threshold),
    england: num(x.ind.england?.value),
    neighbours: num(x.ind.neighbours?.value),
    status: x.ind.status ?? null,
    count: num(x.ind.count),
    n: num(x.ind.n),
  });
  const rows = own.map(point);
  return {
    id,
    unit: own[0]?.ind.unit ?? 'days',
    years,
    rows,
    one: rows.filter((r) => r.kind === '1-year'),
    three: rows.filter((r) => r.kind === '3-year'),
  };
}

const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

// ---------------------------------------------------------------------------------------------
// Building elements.

function build(doc, ns, tag, attrs, children) {
  const el = ns ? doc.createElementNS(ns, tag) : doc.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'text') el.textContent = String(value);
    else if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'object' ? child : doc.createTextNode(String(child)));
  }
  return el;
}

/** An HTML element; text goes in as text. */
export const html = (doc, tag, attrs, ...children) => build(doc, null, tag, attrs, children);
const svg = (doc, tag, attrs, ...children) => build(doc, SVG_NS, tag, attrs, children);

/** "414 days", "71.4%", "12". */
export function formatFigure(value, unit) {
  if (value === null || value === undefined) return 'none';
  if (unit === '%') return `${Number(value).toFixed(1)}%`;
  if (unit === 'days') return `${value} ${value === 1 ? 'day' : 'days'}`;
  return String(value);
}

const round1 = (v) => Math.round(v * 10) / 10;

/**
 * The frame of every chart: the figure, the SVG named by its title and described by its desc,
 * a legend and the data table in a details element. `draw(svgElement)` adds the marks.
 */
function figure(doc, { kind, testid = 'chart', attrs = {}, title, desc, width, height, draw, legend = [], tableCaption, head, rows, numeric = [] }) {
  const id = `chart-${nextId++}`;
  const root = svg(
    doc,
    'svg',
    { class: 'app-chart__svg', role: 'img', 'aria-labelledby': `${id}-title ${id}-desc`, viewBox: `0 0 ${width} ${height}`, focusable: 'false', 'data-testid': 'chart-svg' },
    svg(doc, 'title', { id: `${id}-title` }, title),
    svg(doc, 'desc', { id: `${id}-desc` }, desc),
  );
  draw(root);
  return html(
    doc,
    'figure',
    { class: 'app-chart', 'data-testid': testid, 'data-chart': kind, id, ...attrs },
    html(doc, 'figcaption', { class: 'govuk-body govuk-!-font-weight-bold app-chart__caption' }, title),
    root,
    legend.length
      ? html(
          doc,
          'ul',
          { class: 'govuk-list app-chart__legend' },
          legend.map(([cls, text]) => html(doc, 'li', null, html(doc, 'span', { class: `app-chart__key ${cls}`, 'aria-hidden': 'true' }), text)),
        )
      : null,
    html(
      doc,
      'details',
      { class: 'govuk-details app-chart__details' },
      html(doc, 'summary', { class: 'govuk-details__summary' }, html(doc, 'span', { class: 'govuk-details__summary-text' }, 'Figures in this chart')),
      html(
        doc,
        'div',
        { class: 'govuk-details__text' },
        html(
          doc,
          'div',
          { class: 'app-table-scroll', role: 'region', 'aria-label': tableCaption, tabindex: '0' },
          html(
            doc,
            'table',
            { class: 'govuk-table app-table', 'data-testid': 'chart-table' },
            html(doc, 'caption', { class: 'govuk-table__caption govuk-table__caption--s' }, tableCaption),
            html(
              doc,
              'thead',
              { class: 'govuk-table__head' },
              html(
                doc,
                'tr',
                { class: 'govuk-table__row' },
                head.map((label, i) =>
                  html(doc, 'th', { scope: 'col', class: `govuk-table__header${numeric.includes(i) ? ' govuk-table__header--numeric' : ''}` }, label),
                ),
              ),
            ),
            html(
              doc,
              'tbody',
              { class: 'govuk-table__body' },
              rows.map(({ attrs: rowAttrs, cells }) =>
                html(
                  doc,
                  'tr',
                  { class: 'govuk-table__row', ...rowAttrs },
                  cells.map(([text, col], i) =>
                    i === 0
                      ? html(doc, 'th', { scope: 'row', class: 'govuk-table__header', 'data-col': col }, text)
                      : html(doc, 'td', { class: `govuk-table__cell${numeric.includes(i) ? ' govuk-table__cell--numeric' : ''}`, 'data-col': col }, text),
                  ),
                ),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

/** The y axis: gridlines and labels at round values, each tick carrying its value. */
function yAxis(doc, root, { ticks, y, left, right, unit }) {
  const g = svg(doc, 'g', { class: 'app-chart__axis', 'aria-hidden': 'true' });
  for (const t of ticks) {
    g.append(
      svg(
        doc,
        'g',
        { class: 'app-chart__tick', 'data-value': t, 'data-y': round1(y(t)) },
        svg(doc, 'line', { x1: left, x2: right, y1: round1(y(t)), y2: round1(y(t)), class: 'app-chart__grid' }),
        svg(doc, 'text', { x: left - 6, y: round1(y(t)) + 4, 'text-anchor': 'end' }, unit === '%' ? `${t}%` : String(t)),
      ),
    );
  }
  root.append(g);
}

// ---------------------------------------------------------------------------------------------
// (a) An indicator's trend: 1-year and 3-year figures, the threshold in force and England.

/**
 * @param {Document} doc
 * @param {{ id: string, name?: string, indicators: object[], subject?: string }} spec
 *   indicators: report-shaped results (every window of the indicator is taken from them).
 */
export function trendChart(doc, { id, name, indicators, subject = '' }) {
  const s = trendSeries(indicators, id);
  if (s.rows.length === 0) return null;
  const width = 640;
  const height = 300;
  const m = { left: 56, right: 16, top: 16, bottom: 52 };
  const values = s.rows.flatMap((r) => [r.value, r.threshold, r.england, r.neighbours]).filter((v) => v !== null);
  const ticks = s.unit === '%' ? [0, 20, 40, 60, 80, 100] : niceTicks(0, Math.max(...values, 1) * 1.05, 5);
  const y = linearScale([ticks[0], ticks[ticks.length - 1]], [height - m.bottom, m.top]);
  const step = (width - m.left - m.right) / Math.max(1, s.years.length);
  const x = (end) => m.left + step * (s.years.indexOf(end) + 0.5);
  // A 1-year and a 3-year figure ending the same year often share a value: set them apart.
  const both = s.one.length > 0 && s.three.length > 0;
  const xOf = (r) => x(r.end) + (both ? (r.kind === '1-year' ? -1 : 1) * Math.min(10, step * 0.12) : 0);
  const unitText = s.unit === '%' ? 'per cent' : 'days';
  const title = `${id}${subject ? ` ${subject}` : ''}: ${name ? `${lowerFirst(name)}, ` : ''}by period`;
  const latest = (list) => list[list.length - 1];
  const describe = (r) =>
    r
      ? `${r.window} ${formatFigure(r.value, s.unit)}${r.threshold !== null ? ` against a threshold of ${formatFigure(r.threshold, s.unit)} (${r.status ?? ''})` : ''}`
      : null;
  const thresholdsShown = s.rows.some((r) => r.threshold !== null);
  const desc = [
    `Line chart of ${id} in ${unitText} for ${plural(s.one.length, 'one-year period')} and ${plural(s.three.length, 'three-year period')}, by the year each ends on 31 March.`,
    s.three.length ? `Latest 3-year figure: ${describe(latest(s.three))}.` : '',
    s.one.length ? `Latest 1-year figure: ${describe(latest(s.one))}.` : '',
    thresholdsShown ? 'The DfE threshold is drawn as a red step line; lower is better.' : 'There is no DfE threshold for this figure.',
    s.rows.some((r) => r.england !== null) ? 'England averages are drawn as green diamonds.' : '',
    'The table below the chart gives every figure.',
  ]
    .filter(Boolean)
    .join(' ');

  const draw = (root) => {
    yAxis(doc, root, { ticks, y, left: m.left, right: width - m.right, unit: s.unit });
    const xAxis = svg(doc, 'g', { class: 'app-chart__axis', 'aria-hidden': 'true' });
    // Labels about 52 units wide: with many years, every second (third, ...) year is labelled,
    // counting back from the latest, so they never run into each other.
    const every = Math.max(1, Math.ceil(52 / step));
    s.years.forEach((end, i) => {
      if ((s.years.length - 1 - i) % every !== 0) return;
      xAxis.append(svg(doc, 'text', { x: round1(x(end)), y: height - m.bottom + 18, 'text-anchor': 'middle' }, yearLabel(end)));
    });
    xAxis.append(svg(doc, 'text', { x: m.left + (width - m.left - m.right) / 2, y: height - 10, 'text-anchor': 'middle', class: 'app-chart__axis-title' }, 'Year ending 31 March (3-year figures at their last year)'));
    root.append(xAxis);
    // Thresholds: one level per year, drawn across that year's slot, so a change shows as a step.
    const byYear = new Map();
    for (const r of s.rows) if (r.threshold !== null && !byYear.has(r.end)) byYear.set(r.end, r);
    const thresholds = svg(doc, 'g', { class: 'app-chart__thresholds' });
    for (const [end, r] of byYear) {
      thresholds.append(
        svg(doc, 'line', {
          class: 'app-chart__threshold',
          'data-testid': 'threshold-line',
          'data-window': r.window,
          'data-value': r.threshold,
          x1: round1(x(end) - step / 2),
          x2: round1(x(end) + step / 2),
          y1: round1(y(r.threshold)),
          y2: round1(y(r.threshold)),
        }),
      );
    }
    root.append(thresholds);
    const line = (points, cls, field = 'value') => {
      const pts = points.filter((r) => r[field] !== null);
      if (pts.length < 2) return null;
      return svg(doc, 'polyline', { class: `app-chart__line ${cls}`, points: pts.map((r) => `${round1(field === 'value' ? xOf(r) : x(r.end))},${round1(y(r[field]))}`).join(' ') });
    };
    root.append(
      ...[line(s.one, 'app-chart__line--one'), line(s.three, 'app-chart__line--three'), line(s.rows.filter((r) => r.kind === '3-year' || !s.three.length), 'app-chart__line--england', 'england')].filter(Boolean),
    );
    const marks = svg(doc, 'g', { class: 'app-chart__marks' });
    for (const r of s.rows) {
      if (r.value !== null) {
        const cx = round1(xOf(r));
        const cy = round1(y(r.value));
        const attrs = { 'data-testid': 'point', 'data-window': r.window, 'data-kind': r.kind, 'data-value': r.value };
        marks.append(
          r.kind === '1-year'
            ? svg(doc, 'circle', { ...attrs, class: 'app-chart__point app-chart__point--one', cx, cy, r: 4.5 })
            : svg(doc, 'rect', { ...attrs, class: 'app-chart__point app-chart__point--three', x: cx - 4.5, y: cy - 4.5, width: 9, height: 9 }),
        );
      }
      if (r.england !== null) {
        const cx = round1(x(r.end));
        const cy = round1(y(r.england));
        marks.append(svg(doc, 'path', { class: 'app-chart__point app-chart__point--england', 'data-testid': 'england-point', 'data-window': r.window, 'data-value': r.england, d: `M${cx} ${cy - 6}L${cx + 6} ${cy}L${cx} ${cy + 6}L${cx - 6} ${cy}Z` }));
      }
      if (r.neighbours !== null) {
        const cx = round1(x(r.end));
        const cy = round1(y(r.neighbours));
        marks.append(svg(doc, 'path', { class: 'app-chart__point app-chart__point--neighbours', 'data-window': r.window, 'data-value': r.neighbours, d: `M${cx - 5} ${cy - 5}L${cx + 5} ${cy + 5}M${cx - 5} ${cy + 5}L${cx + 5} ${cy - 5}` }));
      }
    }
    root.append(marks);
  };

  const hasEngland = s.rows.some((r) => r.england !== null);
  const hasNeighbours = s.rows.some((r) => r.neighbours !== null);
  const legend = [
    s.one.length ? ['app-chart__key--one', '1-year figure (circles, solid line)'] : null,
    s.three.length ? ['app-chart__key--three', '3-year figure (squares, dashed line)'] : null,
    thresholdsShown ? ['app-chart__key--threshold', 'DfE threshold (red line): at or below it is met'] : null,
    hasEngland ? ['app-chart__key--england', 'England average (green diamonds)'] : null,
    hasNeighbours ? ['app-chart__key--neighbours', 'Statistical neighbours (crosses)'] : null,
  ].filter(Boolean);
  const head = ['Period', 'Length', 'Value', ...(thresholdsShown ? ['Threshold', 'Status'] : []), ...(hasEngland ? ['England'] : []), ...(hasNeighbours ? ['Statistical neighbours'] : [])];
  const numericCols = [2, ...(thresholdsShown ? [3] : []), ...(hasEngland ? [head.indexOf('England')] : []), ...(hasNeighbours ? [head.length - 1] : [])];
  const rows = [...s.rows].reverse().map((r) => ({
    attrs: { 'data-window': r.window, 'data-kind': r.kind },
    cells: [
      [r.window, 'window'],
      [r.kind === '3-year' ? '3 years' : '1 year', 'kind'],
      [r.value === null ? 'none' : `${formatFigure(r.value, s.unit)}${s.unit === '%' && r.count !== null && r.n !== null ? ` (${r.count} of ${r.n})` : ''}`, 'value'],
      ...(thresholdsShown ? [[r.threshold === null ? 'none' : formatFigure(r.threshold, s.unit), 'threshold'], [statusText(r.status), 'status']] : []),
      ...(hasEngland ? [[r.england === null ? '' : formatFigure(r.england, s.unit), 'england']] : []),
      ...(hasNeighbours ? [[r.neighbours === null ? '' : formatFigure(r.neighbours, s.unit), 'neighbours']] : []),
    ],
  }));
  return figure(doc, {
    kind: 'trend',
    attrs: { 'data-id': id },
    title,
    desc,
    width,
    height,
    draw,
    legend,
    tableCaption: `${id}${subject ? ` ${subject}` : ''} by period`,
    head,
    rows,
    numeric: numericCols,
  });
}

const lowerFirst = (s) => (s && !/^[A-Z][A-Z0-9]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s);
const plural = (n, one) => `${n} ${one}${n === 1 ? '' : 's'}`;
const statusText = (status) => (status ? status.charAt(0).toUpperCase() + status.slice(1) : 'None');

// ---------------------------------------------------------------------------------------------
// (b) How many days each child waited: a dot plot, one dot per child, stacked in bands, so one
// long case shows as one dot far to the right rather than vanishing into an average. Past
// MAX_DOTS children (a region, the country) dots merge into a smear and take seconds to place
// and draw: the chart shows a bar for each band instead.

/** The most children drawn as one dot each. */
export const MAX_DOTS = 1000;

/**
 * @param {Document} doc
 * @param {{ ind: object, days: number[] }} spec  ind: the indicator (id, window, value,
 *   threshold); days: each child's days, from its child rows.
 */
export function daysChart(doc, { ind, days }) {
  if (days.length === 0) return null;
  const threshold = num(ind.threshold);
  const { step, bins } = bands(days, { atLeast: threshold ?? 0 });
  const width = 640;
  const height = 220;
  const m = { left: 40, right: 24, top: 16, bottom: 52 };
  const top = bins.length * step;
  const ticks = niceTicks(0, top, 6).filter((t) => t <= top);
  const x = linearScale([0, top], [m.left, width - m.right]);
  const plotHeight = height - m.top - m.bottom;
  const asDots = days.length <= MAX_DOTS;
  const { r, placed } = asDots ? stackDots(days.map((d) => ({ d, cx: x(d) })), plotHeight) : { r: 0, placed: [] };
  const label = `${ind.id}, ${ind.window}`;
  let [shortest, longest, over] = [Infinity, -Infinity, 0];
  for (const d of days) {
    if (d < shortest) shortest = d;
    if (d > longest) longest = d;
    if (threshold !== null && d > threshold) over += 1;
  }
  const title = asDots ? `${label}: days for each child` : `${label}: children by days`;
  const desc = [
    asDots
      ? `Dot plot of the days behind ${label}: one dot for each of ${plural(days.length, 'child')}, in bands of ${step} days.`
      : `Bar chart of the days behind ${label}: how many of the ${days.length} children took each band of ${step} days.`,
    `The shortest is ${shortest} days, the longest ${longest} days.`,
    threshold !== null ? `The threshold of ${threshold} days is a red line; ${over} of ${days.length} took longer.` : '',
    num(ind.value) !== null ? `The average, ${ind.value} days, is a dashed line.` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const draw = (root) => {
    const axis = svg(doc, 'g', { class: 'app-chart__axis', 'aria-hidden': 'true' });
    axis.append(svg(doc, 'line', { class: 'app-chart__baseline', x1: m.left, x2: width - m.right, y1: height - m.bottom, y2: height - m.bottom }));
    for (const t of ticks) {
      axis.append(
        svg(
          doc,
          'g',
          { class: 'app-chart__tick', 'data-value': t, 'data-x': round1(x(t)) },
          svg(doc, 'line', { x1: round1(x(t)), x2: round1(x(t)), y1: height - m.bottom, y2: height - m.bottom + 5 }),
          svg(doc, 'text', { x: round1(x(t)), y: height - m.bottom + 18, 'text-anchor': 'middle' }, String(t)),
        ),
      );
    }
    axis.append(svg(doc, 'text', { x: m.left + (width - m.left - m.right) / 2, y: height - 10, 'text-anchor': 'middle', class: 'app-chart__axis-title' }, 'Days'));
    root.append(axis);
    if (threshold !== null) {
      root.append(svg(doc, 'line', { class: 'app-chart__threshold', 'data-testid': 'threshold-line', 'data-value': threshold, x1: round1(x(threshold)), x2: round1(x(threshold)), y1: m.top, y2: height - m.bottom }));
    }
    if (num(ind.value) !== null) {
      root.append(svg(doc, 'line', { class: 'app-chart__mean', 'data-value': ind.value, x1: round1(x(ind.value)), x2: round1(x(ind.value)), y1: m.top, y2: height - m.bottom }));
    }
    const marks = svg(doc, 'g', { class: 'app-chart__marks' });
    for (const p of placed) {
      const cy = round1(height - m.bottom - r - p.level * 2 * r);
      marks.append(svg(doc, 'circle', { class: 'app-chart__dot', 'data-testid': 'dot', 'data-days': p.d, cx: round1(p.cx), cy, r: round1(r * 0.9) }));
    }
    if (!asDots) {
      const most = bins.reduce((n, b) => Math.max(n, b.count), 1);
      for (const b of bins.filter((b) => b.count > 0)) {
        const h = Math.max(1, (b.count / most) * plotHeight);
        const attrs = { class: 'app-chart__bar', 'data-testid': 'band-bar', 'data-from': b.from, 'data-count': b.count };
        marks.append(svg(doc, 'rect', { ...attrs, x: round1(x(b.from) + 1), width: round1(x(b.to) - x(b.from) - 2), y: round1(height - m.bottom - h), height: round1(h) }));
      }
    }
    root.append(marks);
  };
  return figure(doc, {
    kind: 'days',
    attrs: { 'data-id': ind.id, 'data-window': ind.window },
    title,
    desc,
    width,
    height,
    draw,
    legend: [
      asDots ? ['app-chart__key--dot', 'One child'] : ['app-chart__key--band', `Children in a band of ${step} days`],
      threshold !== null ? ['app-chart__key--threshold', `Threshold, ${threshold} days`] : null,
      num(ind.value) !== null ? ['app-chart__key--mean', `Average, ${ind.value} days`] : null,
    ].filter(Boolean),
    tableCaption: `Children by days: ${label}`,
    head: ['Days', 'Children'],
    numeric: [1],
    rows: bins
      .filter((b) => b.count > 0)
      .map((b) => ({ attrs: { 'data-from': b.from }, cells: [[`${b.from} to ${b.to - 1}`, 'band'], [String(b.count), 'count']] })),
  });
}

/**
 * Dots at their exact x, each raised to the lowest level where it overlaps no other dot: a dot
 * strip that keeps every child visible. The radius shrinks (to 1.5 at least) until the stacks
 * fit the height. Returns { r, placed: [{ d, cx, level }] } in order of days.
 */
export function stackDots(points, height) {
  const sorted = [...points].sort((a, b) => a.d - b.d);
  let r = 5;
  for (let attempt = 0; ; attempt += 1) {
    const levels = []; // for each level, the x of its right-most dot
    const placed = sorted.map((p) => {
      let level = levels.findIndex((right) => p.cx - right >= 2 * r);
      if (level < 0) {
        level = levels.length;
        levels.push(p.cx);
      } else levels[level] = p.cx;
      return { ...p, level };
    });
    const fits = levels.length * 2 * r <= height;
    if (fits || r <= 1.5 || attempt > 4) {
      // Past the smallest radius, the top stacks overlap rather than leave the chart.
      const top = Math.max(0, Math.floor(height / (2 * r)) - 1);
      return { r, placed: placed.map((p) => ({ ...p, level: Math.min(p.level, top) })) };
    }
    r = Math.max(1.5, height / (2 * levels.length));
  }
}

// ---------------------------------------------------------------------------------------------
// (c), (d) Horizontal bars: the fostering and adopter funnels, and where children live.

/**
 * @param {Document} doc
 * @param {{ kind: string, title: string, caption: string, unit?: string, bars: { key: string,
 *   label: string, value: number | null, share?: number | null, indent?: boolean }[],
 *   shareHead?: string, attrs?: object }} spec
 */
export function barChart(doc, { kind, title, caption, bars, shareHead = 'Share', attrs = {}, intro = '' }) {
  const shown = bars.filter((b) => num(b.value) !== null);
  if (shown.length === 0) return null;
  const rowHeight = 30;
  const width = 640;
  const m = { left: 250, right: 70, top: 8, bottom: 8 };
  const height = m.top + m.bottom + rowHeight * shown.length;
  const max = Math.max(1, ...shown.map((b) => b.value));
  const x = linearScale([0, max], [m.left, width - m.right]);
  const hasShare = shown.some((b) => num(b.share) !== null);
  const desc = `${intro}${shown.map((b) => `${b.label}: ${b.value}${num(b.share) !== null ? ` (${b.share.toFixed(1)}%)` : ''}`).join('; ')}.`;
  const draw = (root) => {
    shown.forEach((b, i) => {
      const yTop = m.top + i * rowHeight;
      root.append(
        svg(
          doc,
          'g',
          { class: `app-chart__bar-row${b.indent ? ' app-chart__bar-row--sub' : ''}`, 'data-testid': 'bar', 'data-key': b.key, 'data-value': b.value },
          svg(doc, 'text', { x: m.left - 8, y: yTop + rowHeight / 2 + 4, 'text-anchor': 'end', class: 'app-chart__label' }, truncate(`${b.indent ? '– ' : ''}${b.label}`, 38)),
          svg(doc, 'rect', { class: 'app-chart__bar', x: m.left, y: yTop + 5, height: rowHeight - 10, width: round1(Math.max(b.value > 0 ? 1 : 0, x(b.value) - m.left)) }),
          svg(doc, 'text', { x: round1(x(b.value) + 6), y: yTop + rowHeight / 2 + 4, class: 'app-chart__value' }, String(b.value)),
        ),
      );
    });
  };
  return figure(doc, {
    kind,
    attrs,
    title,
    desc,
    width,
    height,
    draw,
    tableCaption: caption,
    head: ['What', 'Number', ...(hasShare ? [shareHead] : [])],
    numeric: hasShare ? [1, 2] : [1],
    rows: shown.map((b) => ({
      attrs: { 'data-key': b.key },
      cells: [[b.label, 'label'], [String(b.value), 'value'], ...(hasShare ? [[num(b.share) === null ? '' : `${b.share.toFixed(1)}%`, 'share']] : [])],
    })),
  });
}

const truncate = (s, n) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * A funnel: enquiries, applications, approvals, each bar with its share of the enquiries.
 * @param {{ what: 'Fostering' | 'Adopter', window: string, enquiries, applications, approvals }} f
 */
export function funnelChart(doc, { what, window, enquiries, applications, approvals, note = '' }) {
  const share = (v) => (num(v) !== null && num(enquiries) ? Math.round((v / enquiries) * 1000) / 10 : null);
  return barChart(doc, {
    kind: 'funnel',
    attrs: { 'data-what': what.toLowerCase(), 'data-window': window },
    title: `${what} recruitment, ${window}: enquiries to approvals`,
    caption: `${what} recruitment, ${window}`,
    intro: `Bar chart of ${what.toLowerCase()} recruitment in ${window}${note}. `,
    shareHead: 'Of the enquiries',
    bars: [
      { key: 'enquiries', label: 'Enquiries', value: enquiries, share: null },
      { key: 'applications', label: 'Applications', value: applications, share: share(applications) },
      { key: 'approvals', label: 'Approvals', value: approvals, share: share(approvals) },
    ],
  });
}

// ---------------------------------------------------------------------------------------------
// The charts of each section of the results.

/** Short names for the bars of "Where children live"; the table gives the engine's full names. */
const PLACEMENT_LABELS = {
  'placed-foster-care': 'Foster care',
  'placed-foster-in-house': 'Council’s own foster carers',
  'placed-foster-other-la': 'Another council’s foster carers',
  'placed-foster-agency': 'Agency foster carers',
  'placed-connected': 'Family and friends',
  'placed-for-adoption': 'Placed for adoption',
  'placed-residential': 'Residential care',
  'placed-with-parents': 'With parents',
  'placed-independent': 'Living independently',
  'placed-other': 'Other placements',
};

/** The window a section's charts show: the one chosen, else the latest 1-year window. */
export function focusWindow(indicators, chosen) {
  if (chosen && indicators.some((ind) => ind.window === chosen)) return chosen;
  const years = indicators.filter((ind) => ind.window_kind === '1-year' && windowEndYear(ind.window) !== null);
  if (years.length === 0) return indicators[0]?.window ?? null;
  return years.reduce((a, b) => (windowEndYear(b.window) > windowEndYear(a.window) ? b : a)).window;
}

/**
 * The charts for one section of the report, or null when it has none.
 * @param {Document} doc
 * @param {string} group  the section (the engine's `group`)
 * @param {object[]} indicators  the section's results for one authority, every window
 * @param {{ window?: string | null, childRowsOf: (ind: object) => Promise<object[]> }} context
 *   window: the period chosen on the page, if one is; childRowsOf: the only way in to the
 *   rows behind a figure (they may come from the worker later rather than with the report).
 */
export function sectionCharts(doc, group, indicators, { window = null, childRowsOf }) {
  const charts = [];
  const at = (w) => (id) => indicators.find((ind) => ind.id === id && ind.window === w && !ind.category);
  if (group === 'Adoption scorecard') {
    for (const id of ['A1', 'A10', 'A2', 'A3']) {
      const any = indicators.find((ind) => ind.id === id);
      if (any) charts.push(trendChart(doc, { id, name: any.name, indicators }));
    }
    const w = focusWindow(indicators, window);
    for (const id of ['A1', 'A2']) {
      const ind = at(w)(id);
      if (ind && ind.n > 0) charts.push(lazyDaysChart(doc, ind, childRowsOf));
    }
  } else if (group === 'Fostering' || group === 'Adopters') {
    const w = focusWindow(indicators, window);
    const get = at(w);
    const prefix = group === 'Fostering' ? 'fostering' : 'adopters';
    const value = (stage) => num(get(`${prefix}-${stage}`)?.value);
    if (get(`${prefix}-enquiries`)) {
      charts.push(
        funnelChart(doc, {
          what: group === 'Fostering' ? 'Fostering' : 'Adopter',
          window: w,
          enquiries: value('enquiries'),
          applications: value('applications'),
          approvals: value('approvals'),
          note: group === 'Fostering' ? ' (mainstream households)' : '',
        }),
      );
    }
  } else if (group === 'Where children live') {
    const w = focusWindow(indicators, window);
    const rows = indicators.filter((ind) => ind.window === w && ind.unit === 'count' && !ind.category);
    charts.push(
      barChart(doc, {
        kind: 'placements',
        attrs: { 'data-window': w },
        title: `Where children live, ${w}: children looked after on the last day by placement`,
        caption: `Where children live, ${w}`,
        intro: `Bar chart of the children looked after at the end of ${w} by kind of placement; the foster care bar is split into the three bars under it. `,
        shareHead: 'Of all children looked after',
        bars: rows.map((ind) => ({
          key: ind.id,
          label: PLACEMENT_LABELS[ind.id] ?? ind.name ?? ind.id,
          value: num(ind.value),
          share: num(ind.percent),
          indent: /^placed-foster-(in-house|other-la|agency)$/.test(ind.id),
        })),
      }),
    );
  }
  // Every other figure of the section across its periods, folded away so the page stays short.
  const drawn = group === 'Adoption scorecard' ? new Set(['A1', 'A10', 'A2', 'A3']) : new Set();
  const plain = indicators.filter((ind) => !ind.category);
  const yearly = (ind) => (ind.window_kind === '1-year' || ind.window_kind === '3-year') && num(ind.value) !== null;
  const others = [...new Set(plain.filter(yearly).map((ind) => ind.id))].filter((id) => !drawn.has(id));
  const trends = others.map((id) => trendChart(doc, { id, name: plain.find((ind) => ind.id === id)?.name, indicators: plain })).filter(Boolean);
  if (trends.length) {
    charts.push(
      html(
        doc,
        'details',
        { class: 'govuk-details app-charts__more', 'data-testid': 'more-trends', 'data-group': group },
        [
          html(doc, 'summary', { class: 'govuk-details__summary' }, [
            html(doc, 'span', { class: 'govuk-details__summary-text' }, [`Trends of ${trends.length === 1 ? 'the other figure' : `the other ${trends.length} figures`} in ${group}`]),
          ]),
          html(doc, 'div', { class: 'govuk-details__text' }, trends),
        ],
      ),
    );
  }
  const shown = charts.filter(Boolean);
  if (shown.length === 0) return null;
  return html(doc, 'div', { class: 'app-charts', 'data-testid': 'charts', 'data-group': group }, shown);
}

/**
 * A place for the days chart, filled once the days arrive: the figure's own `days` when the
 * report carries them (the page's report does, as an Int32Array), else the days of its child rows.
 */
function lazyDaysChart(doc, ind, childRowsOf) {
  const slot = html(doc, 'div', { class: 'app-chart-slot', 'data-testid': 'days-slot', 'data-id': ind.id, 'data-window': ind.window });
  Promise.resolve()
    .then(() => (Array.isArray(ind.days) || ArrayBuffer.isView(ind.days) ? Array.from(ind.days, (d) => ({ days: d })) : childRowsOf(ind)))
    .then((rows) => {
      const days = (rows ?? []).map((c) => c.days).filter((d) => typeof d === 'number' && Number.isFinite(d));
      const chart = daysChart(doc, { ind, days });
      slot.replaceChildren(...(chart ? [chart] : []));
      slot.dataset.ready = 'true';
    })
    .catch(() => {
      slot.replaceChildren(html(doc, 'p', { class: 'govuk-body' }, `The days behind ${ind.id}, ${ind.window} could not be drawn.`));
      slot.dataset.ready = 'true';
    });
  return slot;
}

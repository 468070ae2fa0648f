// Published-figures mode (docs/methodology.md, "Published figures"): reading a table of
// published values typed or pasted by the user (A1, A10, A2, A3 by period; fostering or adopter
// counts by year), setting them against the DfE thresholds the engine holds, and the share link
// that carries such figures, and nothing else, in the page address.
//
// Pure functions, no DOM: tested under Node (tests/unit/published.test.mjs). No child-level data
// is involved anywhere here.

/** The scorecard indicators a published table may hold. */
export const SCORECARD_IDS = ['A1', 'A10', 'A2', 'A3'];

export const INDICATOR_NAMES = {
  A1: 'Average time between entering care and moving in with the adoptive family',
  A10: 'A1 adjusted for adoptions by foster carers',
  A2: 'Average time between court authority to place and the match with adopters',
  A3: 'Children who waited less than the limit to move in with their adoptive family',
};

/** Cells that mean "no figure": left empty, not an error. */
const BLANK = /^(|-+|–|—|\.\.|:|\/|x|c|nk|n\/k|n\/a|na|none|not known|no target specified)$/i;

/** Column letters as a spreadsheet shows them: 0 -> A, 26 -> AA. */
export function columnLetter(index) {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/**
 * A period label: "2013-16", "2010/13", "2013/ 14", "2015-2016", "2013 to 2016", "2014/15 YTD".
 * Returns { window, kind, end, ytd } for a 1-year or 3-year period, { error } for a span of
 * another length, null for text that holds no period.
 */
export function parsePeriod(text) {
  const m = /(?:^|[^\d])((?:19|20)\d{2})\s*(?:[/\-–—]|\bto\b)\s*(\d{4}|\d{2})(?!\d)/i.exec(String(text ?? ''));
  if (!m) return null;
  const start = Number(m[1]);
  let end = m[2].length === 4 ? Number(m[2]) : Math.floor(start / 100) * 100 + Number(m[2]);
  if (m[2].length === 2 && end <= start) end += 100;
  const span = end - start;
  if (span !== 1 && span !== 3) return { error: `spans ${span} ${Math.abs(span) === 1 ? 'year' : 'years'}` };
  return {
    window: `${start}-${String(end).slice(-2)}`,
    kind: span === 1 ? '1-year' : '3-year',
    end,
    ytd: /\b(ytd|to date)\b/i.test(String(text)),
  };
}

/** Lines of text into rows of cells, each with its line number. Tabs, commas, or spaces. */
export function splitTable(text) {
  const lines = String(text ?? '').replace(/\r\n?/g, '\n').split('\n');
  const useTabs = lines.some((l) => l.includes('\t'));
  const firstLine = lines.find((l) => l.trim() !== '') ?? '';
  const useCommas = !useTabs && /,/.test(firstLine) && !/\d,\d{3}/.test(firstLine);
  const rows = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let cells;
    if (useTabs) cells = line.split('\t');
    else if (useCommas) cells = splitCsvLine(line);
    else cells = splitSpaces(line);
    cells = cells.map((c) => c.trim());
    // Drop empty cells at the end of the line: a spreadsheet copies them from wide headings.
    while (cells.length > 1 && cells[cells.length - 1] === '') cells.pop();
    rows.push({ line: i + 1, cells });
  });
  return { rows, separator: useTabs ? 'tabs' : useCommas ? 'commas' : 'spaces' };
}

function splitCsvLine(line) {
  const cells = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

const looksNumeric = (t) => /^[*`(]*\d[\d,.]*\s*%?\)?[`*]*$/.test(t);

/**
 * A line with no tabs: two or more spaces part cells; with single spaces only, the words
 * before the first figure are the label and the figures follow, with a note like "(46%)" or
 * "*564" kept with the figure before it.
 */
function splitSpaces(line) {
  const text = line.replace(/((?:19|20)\d{2})\s*([/\-–—])\s*(\d{2,4})(?!\d)/g, '$1$2$3');
  if (/\S {2,}\S/.test(text.trim())) return text.trim().split(/ {2,}/);
  const tokens = text.trim().split(/\s+/);
  const cells = [];
  let label = [];
  let i = 0;
  while (i < tokens.length && !looksNumeric(tokens[i]) && !parsePeriod(tokens[i])) label.push(tokens[i++]);
  cells.push(label.join(' '));
  for (; i < tokens.length; i += 1) {
    const t = tokens[i];
    const isPeriod = parsePeriod(t) !== null;
    const last = cells.length - 1;
    const attach = cells.length > 1 && (/^[(*`%]/.test(t) || t === '%' || (!looksNumeric(t) && !isPeriod && !/^(ytd)$/i.test(t) && !/^[A-Za-z]/.test(t)));
    if (attach || (/^(ytd)$/i.test(t) && cells.length > 1)) cells[last] = `${cells[last]} ${t}`;
    else if (!looksNumeric(t) && !isPeriod && cells.length > 1 && /^[A-Za-z]/.test(cells[last]) && !parsePeriod(cells[last])) cells[last] = `${cells[last]} ${t}`;
    else cells.push(t);
  }
  return cells;
}

/** What a heading names in a table laid out with periods across. */
function classifyHeading(text) {
  if (/target/i.test(text)) return { role: 'ignored', why: 'target' };
  const period = parsePeriod(text);
  if (/england|national/i.test(text)) return { role: 'england', period: period && !period.error ? period : null };
  if (/neighbou?r|\bSNs?\b|statistical/i.test(text)) return { role: 'neighbours', period: period && !period.error ? period : null };
  if (period) return period.error ? { role: 'bad-period', error: period.error } : { role: 'period', period };
  return { role: 'ignored', why: 'unknown' };
}

const quote = (s) => `“${s}”`;

/**
 * Reads the table into series: one per row (periods across) or per column (periods down), each
 * with its cells by period and, across, the England and statistical neighbour cells.
 */
function readGrid(text) {
  const { rows } = splitTable(text);
  const errors = [];
  const notes = [];
  if (rows.length === 0) return { errors: [{ message: 'Type or paste a table of figures first' }], notes, series: [] };

  // Periods across: the first row with at least one period heading after its first cell.
  const acrossAt = rows.findIndex((r) => r.cells.slice(1).some((c) => !/target/i.test(c) && parsePeriod(c)) || (r.cells.length > 1 && parsePeriod(r.cells[0]) && r.cells.slice(1).every((c) => parsePeriod(c) || c === '')));
  const downAt = rows.findIndex((r, i) => i + 1 < rows.length && r.cells.slice(1).some((c) => /\bA\s?(1|2|3|10)\b|enquir|applica|approv/i.test(c)) && parsePeriod(rows[i + 1].cells[0]));
  if (downAt >= 0 && (acrossAt < 0 || downAt < acrossAt)) return readDown(rows, downAt, errors, notes);
  if (acrossAt < 0) {
    return {
      errors: [{ row: rows[0].line, message: `No periods found. Put the periods in the first row, like 2013-16 (three years) or 2015-16 (one year), with a row for each figure; or put them in the first column, with a heading for each figure` }],
      notes,
      series: [],
    };
  }
  for (const r of rows.slice(0, acrossAt)) notes.push(`Row ${r.line} comes before the row of periods and is not used.`);
  const header = rows[acrossAt];
  let headings = header.cells;
  // A heading row that starts with a period has no cell over the labels.
  if (parsePeriod(headings[0]) && !/target|england|neighbou?r/i.test(headings[0])) headings = ['', ...headings];
  const offset = headings.length - header.cells.length;
  const columns = headings.map((text, i) => ({ index: i, text, ...(i === 0 ? { role: 'label' } : classifyHeading(text)) }));
  let seenThree = false;
  const seen = new Map();
  for (const col of columns) {
    const letter = columnLetter(col.index - offset);
    if (col.role === 'bad-period') {
      errors.push({ row: header.line, column: letter, value: col.text, message: `Row ${header.line}, column ${letter}: ${quote(col.text)} ${col.error}, not 1 or 3. Write a period of one year like 2015-16, or of three years like 2013-16` });
    } else if (col.role === 'period') {
      const p = col.period;
      if (p.kind === '3-year') seenThree = true;
      const earlier = seen.get(p.window);
      if (earlier !== undefined && p.kind === '1-year' && seenThree) {
        // "2015/16" again among 3-year columns: councils print the 3-year average to 2016 so.
        const start = p.end - 3;
        col.period = { ...p, window: `${start}-${String(p.end).slice(-2)}`, kind: '3-year' };
        notes.push(`Column ${letter} (${quote(col.text)}) repeats the period of column ${columnLetter(earlier - offset)} after the 3-year columns, so it is read as the 3-year period ${col.period.window}. If that is wrong, change its heading.`);
      } else if (earlier !== undefined) {
        errors.push({ row: header.line, column: letter, value: col.text, message: `Row ${header.line}, column ${letter}: the period ${quote(col.text)} is also the heading of column ${columnLetter(earlier - offset)}. Give each column its own period` });
      }
      seen.set(col.period.window, col.index);
    } else if (col.role === 'ignored' && col.text !== '') {
      notes.push(
        col.why === 'target'
          ? `Column ${letter} (${quote(col.text)}) is not used: the page sets each period against the DfE thresholds it holds.`
          : `Column ${letter} (${quote(col.text)}) is not used: its heading is not a period, England or statistical neighbours.`,
      );
    }
  }
  const periods = columns.filter((c) => c.role === 'period');
  const latestThree = [...periods].reverse().find((c) => c.period.kind === '3-year') ?? periods[periods.length - 1];
  for (const col of columns.filter((c) => (c.role === 'england' || c.role === 'neighbours') && !c.period)) {
    if (latestThree) {
      col.period = latestThree.period;
      notes.push(`Column ${columnLetter(col.index - offset)} (${quote(col.text)}) has no period, so it is shown with the latest 3-year period, ${latestThree.period.window}. To choose, write the period in its heading, like “England 2011-14”.`);
    }
  }
  const series = [];
  for (const r of rows.slice(acrossAt + 1)) {
    if (r.cells.every((c) => /^[-–—=_:|\s]*$/.test(c))) continue;
    const cells = r.cells;
    if (cells.length > headings.length) {
      errors.push({ row: r.line, message: `Row ${r.line} has ${cells.length} cells but the row of periods (row ${header.line}) has ${headings.length}. Copy the table from a spreadsheet so the columns stay apart, or separate the columns with tabs or two spaces` });
      continue;
    }
    const s = { label: cells[0] ?? '', where: `Row ${r.line}`, line: r.line, values: [], england: null, neighbours: null };
    columns.forEach((col, i) => {
      if (i === 0) return;
      // A data row keeps its label in column A even when the row of periods has no cell over it.
      const cell = { text: cells[i] ?? '', row: r.line, column: columnLetter(i), heading: col.text };
      if (col.role === 'period') s.values.push({ ...cell, period: col.period });
      else if ((col.role === 'england' || col.role === 'neighbours') && col.period) s[col.role] = { ...cell, period: col.period };
    });
    series.push(s);
  }
  return { errors, notes, series };
}

function readDown(rows, at, errors, notes) {
  const header = rows[at];
  for (const r of rows.slice(0, at)) notes.push(`Row ${r.line} comes before the heading row and is not used.`);
  const series = header.cells.slice(1).map((label, i) => ({ label, where: `Column ${columnLetter(i + 1)}`, column: columnLetter(i + 1), values: [], england: null, neighbours: null }));
  for (const r of rows.slice(at + 1)) {
    const p = parsePeriod(r.cells[0]);
    if (!p || p.error) {
      errors.push({
        row: r.line,
        column: 'A',
        value: r.cells[0],
        message: `Row ${r.line}, column A: ${quote(r.cells[0])} is not a period of one or three years. Write it like 2015-16 (one year) or 2013-16 (three years)`,
      });
      continue;
    }
    if (r.cells.length > header.cells.length) {
      errors.push({ row: r.line, message: `Row ${r.line} has ${r.cells.length} cells but the heading row (row ${header.line}) has ${header.cells.length}. Copy the table from a spreadsheet so the columns stay apart, or separate the columns with tabs or two spaces` });
      continue;
    }
    series.forEach((s, i) => s.values.push({ text: r.cells[i + 1] ?? '', row: r.line, column: columnLetter(i + 1), heading: s.label, period: p }));
  }
  return { errors, notes, series };
}

/** "A1 - Average time ..." -> { id: 'A1', role }; role: value, england, neighbours or count. */
function scorecardLabel(label) {
  const m = /(?:^|[\s(])A\s?(10|1|2|3)(?![\d])/i.exec(label);
  if (!m) return null;
  const id = `A${m[1]}`;
  const rest = label.replace(m[0], ' ');
  if (/england|national/i.test(rest)) return { id, role: 'england' };
  if (/neighbou?r|\bSNs?\b|statistical/i.test(rest)) return { id, role: 'neighbours' };
  if (id === 'A3' && /\b(number|count|no\.?|children)\s*$/i.test(rest.trim()) && !/%/.test(rest)) return { id, role: 'count' };
  return { id, role: 'value' };
}

/**
 * One cell's figure. unit 'days': whole days; '%': a percentage, with a count before it if
 * written "63 (46%)"; 'count': a whole number. Returns { blank } | { value, count?, rest? } |
 * { error }.
 */
export function parseFigure(text, unit, { bareIsCount = false } = {}) {
  const raw = String(text ?? '').trim();
  const t = raw.replace(/[`´]/g, '').replace(/(\d),(?=\d{3}\b)/g, '$1').trim();
  if (BLANK.test(t)) return { blank: true };
  if (unit === '%') {
    const pct = /(\d+(?:\.\d+)?)\s*%/.exec(t);
    const lead = /^\**\s*(\d+)(?!\s*%|\.\d|\d)/.exec(t);
    if (pct) {
      const value = Number(pct[1]);
      if (value > 100) return { error: 'more than 100%' };
      const count = lead && lead.index === 0 && t.indexOf(lead[0]) < pct.index ? Number(lead[1]) : null;
      const used = count === null ? `${value}%` : `${count} (${value}%)`;
      const rest = t.slice(pct.index + pct[0].length).replace(/^[)\s]+/, '').trim();
      return { value: Math.round(value * 10) / 10, count, rest: rest || null, used };
    }
    const bare = /^\**\s*(\d+(?:\.\d+)?)(.*)$/.exec(t);
    if (!bare) return { error: 'not a number' };
    const rest = bare[2].trim() || null;
    if (bareIsCount) return { value: null, count: Math.round(Number(bare[1])), rest };
    if (Number(bare[1]) > 100) return { error: 'more than 100%' };
    return { value: Math.round(Number(bare[1]) * 10) / 10, count: null, rest };
  }
  const m = /^\**\s*(\d+(?:\.\d+)?)\s*(?:days?)?(.*)$/i.exec(t);
  if (!m) return { error: 'not a number' };
  const value = Math.round(Number(m[1]));
  if (unit === 'days' && value > 20000) return { error: 'more than 20000 days' };
  return { value, rest: m[2].trim() || null };
}

const HOW = {
  days: 'Enter a whole number of days, like 426, or leave the cell empty',
  '%': 'Enter a percentage, like 56%, or a number and percentage, like 63 (46%), or leave the cell empty',
  count: 'Enter a whole number, like 24, or leave the cell empty',
};

function figureError(cell, what, unit, problem) {
  return {
    row: cell.row,
    column: cell.column,
    value: cell.text,
    message: `Row ${cell.row}, column ${cell.column}${cell.heading ? ` (${quote(cell.heading)})` : ''}: ${what} ${quote(cell.text)} is ${problem === 'not a number' ? 'not a number' : problem}. ${HOW[unit]}`,
  };
}

function figureNote(cell, parsed, unit) {
  if (!parsed.rest) return null;
  const read = unit === '%' ? parsed.used ?? parsed.value : parsed.value;
  return `Row ${cell.row}, column ${cell.column}: ${quote(cell.text)} is read as ${read}; ${quote(parsed.rest)} after it is left out.`;
}

/**
 * A pasted table of scorecard figures -> { figures, errors, notes }. figures: [{ id, window,
 * kind, value, count, england, neighbours, ytd }], one per indicator and period given.
 * errors: [{ row, column, value, message }], each naming the row, column and value.
 */
export function parseScorecard(text) {
  const grid = readGrid(text);
  const { errors, notes } = grid;
  const byKey = new Map();
  const entry = (id, period) => {
    const key = `${id}|${period.window}`;
    if (!byKey.has(key)) byKey.set(key, { id, window: period.window, kind: period.kind, value: null, count: null, england: null, neighbours: null, ytd: false });
    return byKey.get(key);
  };
  let previous = null;
  for (const s of grid.series) {
    let label = scorecardLabel(s.label);
    // A row with no label under A3: the percentages under a row of numbers of children.
    if (!label && s.label === '' && previous?.id === 'A3' && s.values.some((v) => /%/.test(v.text))) label = { id: 'A3', role: 'value', continuation: true };
    if (!label) {
      if (s.values.some((v) => v.text !== '')) notes.push(`${s.where}${s.label ? ` (${quote(s.label)})` : ''} is not used: it is not A1, A10, A2 or A3.`);
      previous = null;
      continue;
    }
    previous = label;
    const unit = label.id === 'A3' ? '%' : 'days';
    const what = `${label.id}${label.role === 'england' ? ' England average' : label.role === 'neighbours' ? ' statistical neighbours' : ''}`;
    const sameRowHasPercent = s.values.some((v) => /%/.test(v.text));
    const nextIsPercent = label.id === 'A3' && !sameRowHasPercent && !label.continuation;
    const cells = [...s.values.map((v) => ({ ...v, target: label.role })), ...(s.england ? [{ ...s.england, target: 'england' }] : []), ...(s.neighbours ? [{ ...s.neighbours, target: 'neighbours' }] : [])];
    for (const cell of cells) {
      const role = label.role === 'value' ? cell.target : label.role;
      const bareIsCount = unit === '%' && (label.role === 'count' || (role === 'value' && nextIsPercent && !label.continuation && hasPercentBelow(grid.series, s)));
      const parsed = parseFigure(cell.text, label.role === 'count' ? '%' : unit, { bareIsCount: bareIsCount || label.role === 'count' });
      if (parsed.blank) continue;
      if (parsed.error) {
        errors.push(figureError(cell, what, unit, parsed.error));
        continue;
      }
      const note = figureNote(cell, parsed, unit);
      if (note) notes.push(note);
      const e = entry(label.id, cell.period);
      if (cell.period.ytd) e.ytd = true;
      if (role === 'england') e.england = parsed.value;
      else if (role === 'neighbours') e.neighbours = parsed.value;
      else {
        if (parsed.value !== null && parsed.value !== undefined) e.value = parsed.value;
        if (parsed.count !== null && parsed.count !== undefined) e.count = parsed.count;
      }
    }
  }
  const figures = [...byKey.values()].filter((f) => [f.value, f.england, f.neighbours, f.count].some((v) => v !== null));
  if (errors.length === 0 && figures.length === 0) {
    errors.push({ message: 'No A1, A10, A2 or A3 figures were found. Start each row with the indicator, like “A1”, and put the periods in the row above, like 2013-16' });
  }
  return { figures, errors, notes };
}

function hasPercentBelow(series, s) {
  const i = series.indexOf(s);
  const next = series[i + 1];
  return Boolean(next && next.label === '' && next.values.some((v) => /%/.test(v.text)));
}

/** Which stage of recruitment a row or column label names. */
function stageOf(label) {
  const l = label.toLowerCase();
  if (/conversion|rate|%|per cent|percent|stage 2|stage two|utilis|available|lost|resign|dereg/.test(l)) return null;
  if (/enquir/.test(l)) return 'enquiries';
  if (/applica|assessments? (started|commenc)|stage 1|stage one|registrations? of interest/.test(l)) return 'applications';
  if (/^approved\s+households?$/.test(l.trim())) return null;
  if (/approv/.test(l)) return 'approvals';
  return null;
}

export const STAGES = ['enquiries', 'applications', 'approvals'];

/**
 * A pasted table of fostering or adopter counts by year -> { years, errors, notes }. years:
 * [{ window, enquiries, applications, approvals }] for 1-year periods.
 */
export function parseCounts(text) {
  const grid = readGrid(text);
  const { errors, notes } = grid;
  const byWindow = new Map();
  const taken = new Map();
  for (const s of grid.series) {
    const stage = stageOf(s.label);
    if (!stage) {
      if (s.values.some((v) => v.text !== '')) notes.push(`${s.where}${s.label ? ` (${quote(s.label)})` : ''} is not used: it is not enquiries, applications or approvals.`);
      continue;
    }
    if (taken.has(stage)) {
      notes.push(`${s.where} (${quote(s.label)}) is not used: ${taken.get(stage)} already gives the ${stage}.`);
      continue;
    }
    taken.set(stage, s.where);
    for (const cell of s.values) {
      const parsed = parseFigure(cell.text, 'count');
      if (parsed.blank) continue;
      if (parsed.error) {
        errors.push(figureError(cell, capitalise(stage), 'count', parsed.error));
        continue;
      }
      if (cell.period.kind !== '1-year') {
        errors.push({ row: cell.row, column: cell.column, value: cell.heading, message: `Row ${cell.row}, column ${cell.column}: counts are by year, but ${quote(cell.heading)} is a 3-year period. Give one year, like 2015-16` });
        continue;
      }
      const note = figureNote(cell, parsed, 'count');
      if (note) notes.push(note);
      if (!byWindow.has(cell.period.window)) byWindow.set(cell.period.window, { window: cell.period.window, end: cell.period.end, enquiries: null, applications: null, approvals: null });
      byWindow.get(cell.period.window)[stage] = parsed.value;
    }
  }
  const years = [...byWindow.values()].sort((a, b) => a.end - b.end).map(({ end, ...y }) => y);
  if (errors.length === 0 && years.length === 0) {
    errors.push({ message: 'No enquiries, applications or approvals were found. Start each row with what it counts, like “Enquiries”, and put the years in the row above, like 2015-16' });
  }
  return { years, errors, notes };
}

const capitalise = (s) => s.charAt(0).toUpperCase() + s.slice(1);

// ---------------------------------------------------------------------------------------------
// Against the thresholds.

/** "2013-16" -> 2016. */
const endOf = (window) => {
  const m = /^(\d{4})-(\d{2})$/.exec(window ?? '');
  if (!m) return null;
  const start = Number(m[1]);
  let end = Math.floor(start / 100) * 100 + Number(m[2]);
  if (end <= start) end += 100;
  return end;
};

/**
 * The threshold row in force for a window, from the engine's targets() (one row per 3-year
 * window): the row of the 3-year window ending the same 31 March, for a 1-year window too; after
 * the last row, the last; before the first, none.
 */
export function thresholdRow(window, targets) {
  const end = endOf(window);
  const rows = (targets ?? []).map((t) => ({ t, end: endOf(t.window) })).filter((x) => x.end !== null).sort((a, b) => a.end - b.end);
  if (end === null || rows.length === 0 || end < rows[0].end) return null;
  return (rows.find((x) => x.end === end) ?? [...rows].reverse().find((x) => x.end <= end)).t;
}

/**
 * The figures as report-shaped results (docs/report-format.md), so that the same charts draw
 * them: A1, A10 and A2 met when at or below the threshold; A3 has no DfE percentage target.
 */
export function assess(figures, targets) {
  return figures.map((f) => {
    const row = thresholdRow(f.window, targets);
    const threshold = row ? (f.id === 'A2' ? row.a2_days : f.id === 'A3' ? null : row.a1_days) : null;
    const hasValue = typeof f.value === 'number';
    let status;
    if (f.id === 'A3') status = 'no target';
    else if (!hasValue) status = 'no figure';
    else if (threshold === null || threshold === undefined) status = 'no threshold';
    else status = f.value <= threshold ? 'met' : 'not met';
    return {
      id: f.id,
      name: INDICATOR_NAMES[f.id],
      group: 'Adoption scorecard',
      window: f.window,
      window_kind: f.kind,
      unit: f.id === 'A3' ? '%' : 'days',
      value: hasValue ? f.value : null,
      count: f.count ?? null,
      n: null,
      threshold: threshold ?? null,
      threshold_window: row?.window ?? null,
      limit_months: f.id === 'A3' && row ? row.a3_months : null,
      gap: hasValue && typeof threshold === 'number' ? f.value - threshold : null,
      status,
      england: typeof f.england === 'number' ? { value: f.england, window: f.window } : null,
      neighbours: typeof f.neighbours === 'number' ? { value: f.neighbours } : null,
      ytd: Boolean(f.ytd),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// The share link: figures only, in the page address after "#figures=". Nothing but indicator
// ids from a fixed list, period labels and numbers can be carried: decoding drops anything else,
// so no child identifier, file name or free text can travel in a link.

const WINDOW = /^\d{4}-\d{2}$/;
const isFigure = (v) => v === null || (typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 100000);

function toBase64Url(text) {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text) {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

/** 1-year or 3-year, from the label itself: "2013-16" spans three years. */
const kindOf = (window) => {
  const m = /^(\d{4})-(\d{2})$/.exec(window);
  return m && endOf(window) - Number(m[1]) === 3 ? '3-year' : '1-year';
};

const trimNulls = (row) => {
  const out = [...row];
  while (out.length && out[out.length - 1] === null) out.pop();
  return out;
};

/**
 * { from: 'report' | 'typed', scorecard: figures, fostering: years, adopters: years } -> the
 * fragment, "figures=1.<base64url of compact JSON>": { v, f, s: { A1: [[window, value, count,
 * england, neighbours]] }, fo: [[window, enquiries, applications, approvals]], ad: [...] }.
 */
export function encodeShare({ from = 'typed', scorecard = [], fostering = [], adopters = [] }) {
  const s = {};
  for (const x of scorecard) (s[x.id] ??= []).push([x.window, x.value ?? null, x.count ?? null, x.england ?? null, x.neighbours ?? null]);
  const clean = normaliseShare({
    v: 1,
    f: from === 'report' ? 'r' : 't',
    s,
    fo: fostering.map((y) => [y.window, y.enquiries ?? null, y.applications ?? null, y.approvals ?? null]),
    ad: adopters.map((y) => [y.window, y.enquiries ?? null, y.applications ?? null, y.approvals ?? null]),
  });
  return `figures=1.${toBase64Url(JSON.stringify(clean))}`;
}

/** Keeps only what a share link may carry; anything else is dropped. */
function normaliseShare(p) {
  const arr = (v) => (Array.isArray(v) ? v : []);
  const s = {};
  for (const id of SCORECARD_IDS) {
    const rows = arr(p?.s?.[id])
      .filter((r) => Array.isArray(r) && WINDOW.test(r[0]) && endOf(r[0]) !== null && [1, 2, 3, 4].every((i) => isFigure(r[i] ?? null)))
      .map((r) => trimNulls([r[0], ...[1, 2, 3, 4].map((i) => r[i] ?? null)]));
    if (rows.length) s[id] = rows;
  }
  const counts = (rows) => arr(rows).filter(countRow).map((r) => trimNulls([r[0], r[1] ?? null, r[2] ?? null, r[3] ?? null]));
  return { v: 1, f: p?.f === 'r' ? 'r' : 't', s, fo: counts(p?.fo), ad: counts(p?.ad) };
}

const countRow = (r) => Array.isArray(r) && WINDOW.test(r[0]) && r.slice(1, 4).every((v) => isFigure(v ?? null));

/** The fragment (with or without "#") -> { from, scorecard, fostering, adopters }, or null. */
export function decodeShare(fragment) {
  const m = /^#?figures=1\.([A-Za-z0-9_-]+)$/.exec(String(fragment ?? ''));
  if (!m) return null;
  let parsed;
  try {
    parsed = JSON.parse(fromBase64Url(m[1]));
  } catch {
    return null;
  }
  const p = normaliseShare(parsed);
  const years = (rows) => rows.map((r) => ({ window: r[0], enquiries: r[1] ?? null, applications: r[2] ?? null, approvals: r[3] ?? null }));
  const scorecard = [];
  for (const id of SCORECARD_IDS) {
    for (const r of p.s[id] ?? []) {
      scorecard.push({ id, window: r[0], kind: kindOf(r[0]), value: r[1] ?? null, count: r[2] ?? null, england: r[3] ?? null, neighbours: r[4] ?? null, ytd: false });
    }
  }
  return { from: p.f === 'r' ? 'report' : 'typed', scorecard, fostering: years(p.fo), adopters: years(p.ad) };
}

/**
 * The figures of a report (for one authority) that a share link carries: A1, A10, A2 and A3 in
 * every 1-year and 3-year window with the England average, and the fostering and adopter
 * enquiries, applications and approvals by year. Values only: no n, no child rows.
 */
export function figuresFromReport(report, la = null) {
  const mine = (report?.indicators ?? []).filter((ind) => (la === null ? true : (ind.la ?? null) === la) && !ind.category);
  const scorecard = mine
    .filter((ind) => SCORECARD_IDS.includes(ind.id) && (ind.window_kind === '1-year' || ind.window_kind === '3-year') && WINDOW.test(ind.window))
    .map((ind) => ({ id: ind.id, window: ind.window, kind: ind.window_kind, value: typeof ind.value === 'number' ? ind.value : null, count: null, england: typeof ind.england?.value === 'number' ? ind.england.value : null, neighbours: null }));
  const funnel = (prefix) => {
    const byWindow = new Map();
    for (const ind of mine) {
      const stage = STAGES.find((s) => ind.id === `${prefix}-${s}`);
      if (!stage || ind.window_kind !== '1-year' || !WINDOW.test(ind.window)) continue;
      if (!byWindow.has(ind.window)) byWindow.set(ind.window, { window: ind.window, enquiries: null, applications: null, approvals: null });
      byWindow.get(ind.window)[stage] = typeof ind.value === 'number' ? ind.value : null;
    }
    return [...byWindow.values()].sort((a, b) => endOf(a.window) - endOf(b.window));
  };
  return { from: 'report', scorecard, fostering: funnel('fostering'), adopters: funnel('adopters') };
}

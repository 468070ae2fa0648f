// The yardstick: A1, A2 and A3 of the DfE Adoption Scorecard written the obvious way in plain
// JavaScript, from /work/shared/spec/indicators.md section 2 and ssda903.md, with papaparse
// reading the CSV. It is what a careful developer would write in an afternoon, not the product:
// it parses every row of every file (Header included), groups episodes by child, builds periods
// of care and works out the three figures for every 1-year and 3-year window, but it skips what
// the engine adds around that (diagnostics, row accounting, Windows-1252, workbooks, A10, the
// child-level lists, several authorities, options). The edge rules it leaves out are listed in
// bench/README.md.
//
// A classic script, so a classic worker can importScripts() it after papaparse (a UMD script
// that only module systems or a global `self` can load); Node loads it with require().
//
//   report(files, Papa) -> [{ id, window, value, n, count }]
//   files: [{ name, data: ArrayBuffer | Uint8Array }]

(function (root) {
  'use strict';

  const DAY = 86400000;
  const A_PLACES = new Set(['A3', 'A4', 'A5', 'A6']);
  // A3's wait limit in months by the collection year a window ends in (targets.md).
  const A3_MONTHS = { 2011: 21, 2012: 21, 2013: 20, 2014: 18, 2015: 16, 2016: 14 };

  /** dd/mm/yyyy (or yyyy-mm-dd) -> days since 1970-01-01; null when blank or unreadable. */
  function day(text) {
    if (!text) return null;
    const s = text.trim();
    let m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
    let y, mo, d;
    if (m) [y, mo, d] = [+m[3], +m[2], +m[1]];
    else if ((m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s))) [y, mo, d] = [+m[1], +m[2], +m[3]];
    else return null;
    const t = Date.UTC(y, mo - 1, d);
    const check = new Date(t);
    if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
    return t / DAY;
  }

  const code = (s) => (s ?? '').trim().toUpperCase();

  /** Which 903 table a header row is, by its columns. */
  function tableOf(fields) {
    const has = (c) => fields.includes(c);
    if (has('DECOM') && has('RNE')) return 'episodes';
    if (has('DATE_MATCH')) return 'ad1';
    if (has('DATE_PLACED')) return 'placed';
    if (has('CHILD') && has('DOB') && has('SEX')) return 'header';
    return null;
  }

  /** Collection year of a day (year ending 31 March). */
  function collectionYear(d) {
    const date = new Date(d * DAY);
    return date.getUTCMonth() >= 3 ? date.getUTCFullYear() + 1 : date.getUTCFullYear();
  }

  const meanHalfUp = (sum, n) => Math.floor((2 * sum + n) / (2 * n));
  const percentHalfUp = (count, n) => Math.floor((2000 * count + n) / (2 * n)) / 10;

  function report(files, Papa) {
    const decoder = new TextDecoder('utf-8');
    const episodes = [];
    const ad1 = new Map(); // child -> [DATE_MATCH day]
    const decisions = new Map(); // child -> [{ placed, ceased }]
    let headerRows = 0;

    for (const file of files) {
      const text = decoder.decode(file.data);
      const parsed = Papa.parse(text, {
        header: true,
        skipEmptyLines: 'greedy',
        transformHeader: (h) => h.trim().toUpperCase(),
      });
      const table = tableOf(parsed.meta.fields ?? []);
      for (const row of parsed.data) {
        const child = (row.CHILD ?? '').trim();
        if (!child) continue;
        if (table === 'header') {
          headerRows++;
        } else if (table === 'episodes') {
          const decom = day(row.DECOM);
          if (decom === null) continue;
          const ls = code(row.LS);
          if (ls === 'V3' || ls === 'V4') continue; // short breaks count for nothing here
          episodes.push({
            child,
            decom,
            dec: day(row.DEC),
            rne: code(row.RNE),
            ls,
            place: code(row.PLACE),
            rec: code(row.REC),
          });
        } else if (table === 'ad1') {
          const match = day(row.DATE_MATCH);
          if (!ad1.has(child)) ad1.set(child, []);
          if (match !== null) ad1.get(child).push(match);
        } else if (table === 'placed') {
          const placed = day(row.DATE_PLACED);
          if (placed === null) continue;
          if (!decisions.has(child)) decisions.set(child, []);
          decisions.get(child).push({ placed, ceased: day(row.DATE_PLACED_CEASED) });
        }
      }
    }

    // Group by child; a later row with the same CHILD and DECOM replaces an earlier one (annual
    // files overlap: the open copy is superseded by the closed one).
    const byChild = new Map();
    for (const e of episodes) {
      let list = byChild.get(e.child);
      if (!list) byChild.set(e.child, (list = new Map()));
      list.set(e.decom, e);
    }

    // Periods of care: a chain of episodes, each starting the day the previous one ended with
    // REC X1; RNE S always starts a new one.
    const periods = [];
    let firstDay = Infinity;
    let lastDay = -Infinity;
    for (const [child, map] of byChild) {
      const eps = [...map.values()].sort(
        (a, b) => a.decom - b.decom || (a.dec ?? Infinity) - (b.dec ?? Infinity),
      );
      let current = null;
      for (const e of eps) {
        firstDay = Math.min(firstDay, e.decom);
        lastDay = Math.max(lastDay, e.dec ?? e.decom);
        const prev = current && current.eps[current.eps.length - 1];
        if (prev && e.rne !== 'S' && prev.dec === e.decom && prev.rec === 'X1') {
          current.eps.push(e);
        } else {
          current = { child, eps: [e] };
          periods.push(current);
        }
      }
    }
    for (const p of periods) {
      const last = p.eps[p.eps.length - 1];
      p.start = p.eps[0].decom;
      p.end = last.dec;
      p.reason = last.rec;
    }
    if (periods.length === 0) return [];

    // Each adoption: entered care, moved in (first episode of the last A3-A6 run ending the
    // period), authority to place (first E1/D1 episode) and the match (latest DATE_MATCH on or
    // before the adoption).
    const adoptions = [];
    for (const p of periods) {
      if ((p.reason !== 'E11' && p.reason !== 'E12') || p.end === null) continue;
      let i = p.eps.length - 1;
      if (!A_PLACES.has(p.eps[i].place)) continue; // no adoptive placement: left out of A1-A3
      while (i > 0 && A_PLACES.has(p.eps[i - 1].place)) i--;
      const placed = p.eps[i].decom;
      const authority = p.eps.find((e) => e.ls === 'E1' || e.ls === 'D1')?.decom ?? null;
      const matches = (ad1.get(p.child) ?? []).filter((m) => m <= p.end);
      const match = matches.length ? Math.max(...matches) : null;
      adoptions.push({
        child: p.child,
        adopted: p.end,
        a1: placed - p.start,
        a2: authority !== null && match !== null && placed <= p.end ? Math.max(0, match - authority) : null,
      });
    }

    // Every collection year the data covers, and every 3 consecutive years.
    const years = [];
    for (let y = collectionYear(firstDay); y <= collectionYear(lastDay); y++) years.push(y);
    const windows = [];
    for (const y of years) {
      const end = Date.UTC(y, 2, 31) / DAY;
      windows.push({ label: `${y - 1}-${String(y).slice(2)}`, start: Date.UTC(y - 1, 3, 1) / DAY, end, year: y });
      if (years.includes(y - 2)) {
        windows.push({ label: `${y - 3}-${String(y).slice(2)}`, start: Date.UTC(y - 3, 3, 1) / DAY, end, year: y });
      }
    }

    const out = [];
    for (const w of windows) {
      const cohort = adoptions.filter((a) => a.adopted >= w.start && a.adopted <= w.end);
      const a1 = cohort.map((a) => a.a1);
      const a2 = cohort.filter((a) => a.a2 !== null).map((a) => a.a2);
      const sum = (xs) => xs.reduce((s, x) => s + x, 0);
      out.push({ id: 'A1', window: w.label, value: a1.length ? meanHalfUp(sum(a1), a1.length) : null, n: a1.length, count: null });
      out.push({ id: 'A2', window: w.label, value: a2.length ? meanHalfUp(sum(a2), a2.length) : null, n: a2.length, count: null });

      if (w.year < 2011) continue;
      const limit = Math.floor(A3_MONTHS[Math.min(w.year, 2016)] * 30.4375);
      const adopted = new Set(cohort.map((a) => a.child));
      const waits = a1.slice();
      // Children still in the adoption process at the window's end: a decision in force, an open
      // period of care, not adopted; the wait ends when placed for adoption, or at the window end.
      const waiting = new Map();
      for (const p of periods) {
        if (adopted.has(p.child) || p.start > w.end || (p.end !== null && p.end <= w.end)) continue;
        const inForce = (decisions.get(p.child) ?? []).some(
          (d) => d.placed <= w.end && (d.ceased === null || d.ceased > w.end),
        );
        if (!inForce) continue;
        const placed = p.eps.find((e) => A_PLACES.has(e.place) && e.decom <= w.end)?.decom ?? w.end;
        waiting.set(p.child, placed - p.start);
      }
      for (const days of waiting.values()) waits.push(days);
      const count = waits.filter((d) => d < limit).length;
      out.push({
        id: 'A3',
        window: w.label,
        value: waits.length ? percentHalfUp(count, waits.length) : null,
        n: waits.length,
        count: waits.length ? count : null,
      });
    }
    return { indicators: out, rows: { header: headerRows, episodes: episodes.length, periods: periods.length } };
  }

  const api = { report };
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.BaselineScorecard = api;
})(typeof self !== 'undefined' ? self : globalThis);

// The demo's two local files (www/demo/carers.csv and adopters.csv), which the SSDA903
// generator (src/bin/synth.rs) does not make: one fostering household or adoptive family a row,
// from a fixed seed, so that rerunning gives the same bytes (tests/browser/demo.test.mjs checks).
// Synthetic: no row describes a real household or family.
//
//   node scripts/gen-demo-local.mjs OUT_DIR FIRST_YEAR LAST_YEAR
//
// Collection year Y runs from 1 April Y-1 to 31 March Y; nothing is dated after 31 March of
// LAST_YEAR, as in synth.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** mulberry32: a small deterministic PRNG (no Math.random, no clock). */
function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    /** Whole number in lo..=hi. */
    range: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    /** True with probability p percent. */
    pct: (p) => next() * 100 < p,
    pick: (items) => items[Math.floor(next() * items.length)],
  };
}

const DAY = 86400000;
const day = (y, m, d) => Date.UTC(y, m - 1, d) / DAY;
function uk(n) {
  const d = new Date(n * DAY);
  const p = (x) => String(x).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}

/** carers.csv: mainstream households (some recruited before the first year) and connected persons. */
export function carersCsv(firstYear, lastYear, seed = 7) {
  const r = rng(seed);
  const start = day(firstYear - 6, 4, 1);
  const end = day(lastYear, 3, 31);
  const rows = [];
  const cell = (n) => (n !== null && n <= end ? uk(n) : '');
  const reasons = ['Retired', 'Moved away', 'Adopted or special guardianship', 'Change in circumstances', 'Standards concerns'];
  for (let i = 1; i <= 190; i += 1) {
    const connected = r.pct(22);
    const enquiry = r.range(start, end);
    // Mainstream: an enquiry, then some apply, reach stage 2 and are approved.
    const applies = connected || r.pct(38);
    const application = applies ? enquiry + (connected ? 0 : r.range(14, 90)) : null;
    const stage2 = application !== null && (connected || r.pct(80)) ? application + r.range(40, 120) : null;
    const approval = stage2 !== null && r.pct(85) ? stage2 + r.range(60, 200) : null;
    const places = approval !== null ? (connected ? 1 : r.pick([1, 1, 2, 2, 2, 3, 3, 4])) : null;
    const dereg = approval !== null && r.pct(connected ? 45 : 30) ? approval + r.range(120, 2400) : null;
    const withinEnd = (n) => n !== null && n <= end;
    rows.push(
      [
        `H${String(i).padStart(4, '0')}`,
        connected ? 'connected' : 'mainstream',
        connected ? '' : cell(enquiry),
        cell(application),
        cell(stage2),
        cell(approval),
        withinEnd(approval) ? String(places) : '',
        withinEnd(approval) ? cell(dereg) : '',
        withinEnd(approval) && withinEnd(dereg) ? r.pick(reasons) : '',
      ].join(','),
    );
  }
  const head = 'CARER_ID,CARER_TYPE,ENQUIRY_DATE,APPLICATION_DATE,STAGE2_DATE,APPROVAL_DATE,APPROVED_PLACES,DEREGISTRATION_DATE,DEREGISTRATION_REASON';
  return `${[head, ...rows].join('\n')}\n`;
}

/** adopters.csv: prospective adoptive families, enquiry to match (or withdrawal). */
export function adoptersCsv(firstYear, lastYear, seed = 11) {
  const r = rng(seed);
  const start = day(firstYear - 2, 4, 1);
  const end = day(lastYear, 3, 31);
  const rows = [];
  const cell = (n) => (n !== null && n <= end ? uk(n) : '');
  for (let i = 1; i <= 140; i += 1) {
    const enquiry = r.range(start, end);
    const application = r.pct(45) ? enquiry + r.range(20, 120) : null;
    const stage2 = application !== null && r.pct(85) ? application + r.range(45, 90) : null;
    const approval = stage2 !== null && r.pct(85) ? stage2 + r.range(90, 150) : null;
    const match = approval !== null && r.pct(80) ? approval + r.range(10, 420) : null;
    // Families leave at each stage; a withdrawal follows the last step reached.
    const last = match ?? approval ?? stage2 ?? application ?? enquiry;
    const withdrawn = match === null && r.pct(approval !== null ? 25 : 55) ? last + r.range(20, 200) : null;
    const upTo = (n) => (n !== null && (withdrawn === null || n <= withdrawn) ? n : null);
    rows.push(
      [`A${String(i).padStart(4, '0')}`, cell(enquiry), cell(upTo(application)), cell(upTo(stage2)), cell(upTo(approval)), cell(match), cell(withdrawn)].join(','),
    );
  }
  const head = 'ADOPTER_ID,ENQUIRY_DATE,APPLICATION_DATE,STAGE2_DATE,APPROVAL_DATE,MATCH_DATE,WITHDRAWN_DATE';
  return `${[head, ...rows].join('\n')}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [out, first, last] = process.argv.slice(2);
  if (!out || !/^\d{4}$/.test(first ?? '') || !/^\d{4}$/.test(last ?? '')) {
    console.error('usage: node scripts/gen-demo-local.mjs OUT_DIR FIRST_YEAR LAST_YEAR');
    process.exit(2);
  }
  writeFileSync(join(out, 'carers.csv'), carersCsv(Number(first), Number(last)));
  writeFileSync(join(out, 'adopters.csv'), adoptersCsv(Number(first), Number(last)));
}

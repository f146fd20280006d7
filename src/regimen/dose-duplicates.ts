// W_DOSE_DUPLICATE: a dose row copied twice in a chart (every cell equal) was given twice without a
// word, while a copied level was warned (W_LEVEL_DUPLICATE): dupdose.csv's 20:00 dose twice moved
// the W-map patient's MAP ETA_CL to 0.3676 from 0.3077. Both are still given, as NONMEM gives them:
// two bags of one dose at one time are charted so too.

import { isDose, type DataRecord } from './record.js';

// the dose records readNmtran judged on their cells (below): the library's check of records built or
// edited in code (codeDoseDuplicates) leaves a pair of them alone, which readNmtran's warnings name
const CELL_JUDGED = new WeakSet<DataRecord>();

/**
 * The warnings of dose records whose every cell equals another dose record's (of one ID, then),
 * each on the copy's row: `cells` the rows' cells in file order, `at` the written time of a row.
 */
export function duplicateDoseWarnings(columns: readonly string[], cells: readonly (readonly string[])[], records: readonly DataRecord[], at: (row: number) => string, file?: string): { row: number; text: string }[] {
  const first = new Map<string, number[]>();
  records.forEach((r, k) => {
    if (!isDose(r)) return;
    CELL_JUDGED.add(r);
    // a separator no cell holds (splitCsvLine trims, so no cell holds a NUL: readNmtran refuses them)
    const key = (cells[k] as readonly string[]).join('\u0000');
    const rows = first.get(key);
    if (rows) rows.push(k);
    else first.set(key, [k]);
  });
  const amt = columns.findIndex((c) => c.toUpperCase() === 'AMT');
  const out: { row: number; text: string }[] = [];
  for (const ks of first.values()) {
    if (ks.length < 2) continue;
    const r = records[ks[0] as number] as DataRecord;
    const rows = ks.map((k) => k + 1);
    const named = `rows ${rows.slice(0, -1).join(', ')} and ${rows[rows.length - 1]}`;
    const amount = amt >= 0 ? (cells[ks[0] as number] as readonly string[])[amt] : String(r.AMT);
    out.push({
      row: rows[rows.length - 1] as number,
      text:
        `W_DOSE_DUPLICATE: ${file === undefined ? '' : `${file}, `}${named} (ID ${r.ID}): dose records with every cell equal (AMT ${amount} at ${at(rows[0] as number)}), ` +
        `${given(r, rows.length)}; if one is a copy of the other, remove it`,
    });
  }
  const same = (j: number, k: number): boolean => (cells[j] as readonly string[]).join('\u0000') === (cells[k] as readonly string[]).join('\u0000');
  const rowsOf = (j: number, k: number): string => `rows ${j + 1} and ${k + 1}`;
  for (const k of doseIndexes(records)) {
    const w = nearDuplicateOf(records, k, same, (j) => at(j + 1), rowsOf, columns.some((c) => c.toUpperCase() === 'CMT'), file);
    if (w !== undefined) out.push(w);
  }
  return out.sort((a, b) => a.row - b.row);
}

/**
 * What the copies do: each is given, as NONMEM gives them, except that a steady-state record (SS 1)
 * resets the system first, so the last one alone counts: two equal SS 1 rows read as one steady
 * state (1.63927661 at 5 h either way) while the warning said both were given.
 */
function given(r: DataRecord, n: number): string {
  if (r.EVID === 4) return `the last one alone counts (a reset-and-dose record, EVID 4, empties the system before its dose, as in NONMEM)`;
  if (r.SS === 1) return `the last one alone counts (a steady-state record, SS 1, resets the system before its dose, as in NONMEM: the steady state of one dose)`;
  return `both given (${n} doses at that time, as NONMEM gives them)`;
}

/** Doses of one amount into one compartment this close are most often one administration charted twice. */
const NEAR_HOURS = 0.25;
/** How close a dose follows a record of its ID for RecordCensus to hand it to codeDoseDuplicates (NEAR_HOURS, and a hair for rounding). */
export const NEAR_DOSE_HOURS = NEAR_HOURS + 1e-9;

/**
 * Whether dose b, `dt` h after dose a (of the same amount), may be a second bag rather than a copy.
 * A bolus beside an infusion of the same amount is no exemption: a MAR's scheduled row exported
 * without a rate beside the given row with the pump's rate 5 min later was read as a push beside a
 * bag, both given (CL 10.22 L/h for 5.49); a loading push with its bag differs in amount.
 */
function apart(a: DataRecord, b: DataRecord, dt: number): boolean {
  // a second bag hung as the first ends (a split loading dose) runs after it, not beside it
  return a.RATE > 0 && b.RATE > 0 && dt >= a.AMT / a.RATE - 1e-9;
}

/**
 * Whether doses j and k (same ID, CMT and AMT, k after j, at two times) belong to a series: a third
 * such dose from 15 minutes before j to 15 minutes after k, at its own time (more than a minute from both).
 * Titrated boluses (morphine 2 mg at 0, 10 and 20 min) were told to remove one, and a nurse's
 * titration is at no one spacing (08:02, 08:09, 08:21 was told twice, "4 in all" for 6 mg); a copy
 * (20:00 and 20:05 of a q12h chart) has no third dose of its amount that close.
 */
function inSeries(records: readonly DataRecord[], j: number, k: number): boolean {
  const a = records[j] as DataRecord;
  const b = records[k] as DataRecord;
  if (!(b.TIME - a.TIME > 1 / 60)) return false;
  // between the pair too: the look-back pairs 0 and 15 min of 0, 5 and 15 min
  const third = (r: DataRecord): boolean =>
    r.TIME >= a.TIME - NEAR_HOURS - 1e-9 && r.TIME <= b.TIME + NEAR_HOURS + 1e-9 && Math.abs(r.TIME - a.TIME) > 1 / 60 && Math.abs(r.TIME - b.TIME) > 1 / 60;
  return records.some((r) => r.ID === a.ID && isDose(r) && r.CMT === a.CMT && r.AMT === a.AMT && third(r));
}

/** The shortest lockout of a PCA pump (5-10 min is usual): presses closer than it deliver nothing, so such a pair is a copy. */
const LOCKOUT_HOURS = 5 / 60;
/** How far from a pair another press shows on-demand dosing: no scheduled regimen of one amount gives doses so close. */
const ON_DEMAND_HOURS = 2;

/** A plain bolus dose: no rate, no steady state, no repeats (an on-demand press charts so). */
const isPress = (r: DataRecord): boolean => r.EVID === 1 && r.RATE === 0 && r.SS === 0 && r.ADDL === 0 && r.II === 0;

/**
 * Whether doses j and k (same ID, CMT and AMT, k after j) are presses of patient-controlled
 * analgesia: boluses at least a lockout apart, with another bolus of the amount into the compartment
 * more than 15 minutes and less than 2 h from them, on no regular grid (onSchedule). Morphine 1 mg at 10:00 and 10:08, then 11:40,
 * were told to remove one; a q6h chart charted twice (08:00 and 08:05) has its other doses hours away.
 */
function onDemand(records: readonly DataRecord[], j: number, k: number): boolean {
  const a = records[j] as DataRecord;
  const b = records[k] as DataRecord;
  if (!isPress(a) || !isPress(b) || !(b.TIME - a.TIME >= LOCKOUT_HOURS - 1e-9) || onSchedule(records, j)) return false;
  const press = (r: DataRecord | undefined): boolean | undefined => {
    // an ID's records are in time order: past 2 h from the pair, or another ID, ends the look
    if (r === undefined || r.ID !== a.ID || r.TIME < a.TIME - ON_DEMAND_HOURS || r.TIME > b.TIME + ON_DEMAND_HOURS) return undefined;
    const gap = Math.min(Math.abs(r.TIME - a.TIME), Math.abs(r.TIME - b.TIME));
    return isDose(r) && isPress(r) && r.CMT === a.CMT && r.AMT === a.AMT && gap > NEAR_HOURS + 1e-9 && gap < ON_DEMAND_HOURS;
  };
  for (let i = j - 1; ; i--) {
    const found = press(records[i]);
    if (found === undefined) break;
    if (found) return true;
  }
  for (let i = k + 1; ; i++) {
    const found = press(records[i]);
    if (found === undefined) break;
    if (found) return true;
  }
  return false;
}

/**
 * Whether the boluses of dose j's ID, CMT and amount lie on one regular grid once each dose within
 * 15 min after the one before is set aside as its copy: at least three, every gap within a minute of
 * the first. The chart's schedule then explains the doses near a pair, which are no presses: 50 mg
 * hourly with the 0-h and 1-h doses charted twice 6 min apart (0, 0.1, 1, 1.1, 2) was read as PCA
 * and not warned (b8228eb), where it was warned twice before. Presses keep to no grid.
 */
function onSchedule(records: readonly DataRecord[], j: number): boolean {
  const a = records[j] as DataRecord;
  let s = j;
  while (s > 0 && (records[s - 1] as DataRecord).ID === a.ID) s--;
  let last = -Infinity;
  let first = NaN;
  let gap = NaN;
  let n = 0;
  for (let i = s; i < records.length; i++) {
    const r = records[i] as DataRecord;
    if (r.ID !== a.ID) break;
    if (!isDose(r) || !isPress(r) || r.CMT !== a.CMT || r.AMT !== a.AMT) continue;
    // out of time order (doses and levels charted by kind): no grid read
    if (r.TIME < last) return false;
    if (r.TIME - last <= NEAR_HOURS + 1e-9) continue;
    if (n === 1) gap = r.TIME - first;
    else if (n > 1 && !(Math.abs(r.TIME - last - gap) <= 1 / 60 + 1e-9)) return false;
    if (n === 0) first = r.TIME;
    last = r.TIME;
    n++;
  }
  return n >= 3;
}

/** The positions of `records`' dose records, in order. */
function doseIndexes(records: readonly DataRecord[]): number[] {
  const out: number[] = [];
  for (let k = 0; k < records.length; k++) if (isDose(records[k] as DataRecord)) out.push(k);
  return out;
}

/**
 * W_DOSE_DUPLICATE of likely double-charting that is no exact copy: two dose records of one ID and
 * CMT, of the same AMT, 0 to 15 minutes apart, overlapping, not in a series (a scheduled and a given time, 20:00 and
 * 20:05; a bag re-charted with its real RATE at the same time). A q12h vancomycin chart
 * gave both silently: CL 3.575 → 4.025 L/h, the advised load 1750 → 1500 mg. Not said for
 * doses into other compartments, a bag hung as the one before ends, a series (inSeries), or PCA
 * presses (onDemand).
 * The warning of dose k, the later of the pair, if any: `same` tells an exact copy (said apart),
 * `at` a record's time, `named` the pair's places.
 */
function nearDuplicateOf(
  records: readonly DataRecord[],
  k: number,
  same: (j: number, k: number) => boolean,
  at: (j: number) => string,
  named: (j: number, k: number) => string,
  hasCmt: boolean,
  file?: string,
  skip: (j: number, k: number) => boolean = () => false,
): { row: number; text: string } | undefined {
  const b = records[k] as DataRecord;
  for (let j = k - 1; j >= 0; j--) {
    const a = records[j] as DataRecord;
    if (a.ID !== b.ID) break;
    const dt = b.TIME - a.TIME;
    if (dt > NEAR_HOURS + 1e-9) break;
    // an ID's records out of time order (doses and levels charted by kind) end the look-back too
    if (dt < 0) break;
    if (!isDose(a) || a.CMT !== b.CMT || a.AMT !== b.AMT || skip(j, k) || same(j, k) || apart(a, b, dt) || inSeries(records, j, k) || onDemand(records, j, k)) continue;
    const minutes = Math.round(dt * 60 * 10) / 10;
    const when = minutes === 0 ? `at ${at(j)}` : `at ${at(j)} and ${at(k)}, ${minutes} min apart`;
    const rates = a.RATE === b.RATE ? '' : `, RATE ${a.RATE} and ${b.RATE}`;
    return {
      row: b.row,
      text:
        `W_DOSE_DUPLICATE: ${file === undefined ? '' : `${file}, `}${named(j, k)} (ID ${b.ID}): two doses of AMT ${b.AMT}${hasCmt ? ` into CMT ${b.CMT}` : ''} ${when}${rates}, ${b.SS === 1 || b.EVID === 4 ? given(b, 2) : `both given (${2 * b.AMT} in all)`}; ` +
        'the same amount into one compartment within 15 minutes is most often one administration charted twice (a scheduled and a given time, or a bag re-charted with its rate): if so, remove one',
    };
  }
  return undefined;
}

/** A time in hours as warnings give it, to a ten-thousandth (20:05 is 20.0833). */
const hours = (t: number): number => Number(t.toFixed(4));

/** Whether two records hold the same values: every field, item and text cell (NaN equal to NaN), the row aside. */
function sameRecord(a: DataRecord, b: DataRecord): boolean {
  const eq = (x: unknown, y: unknown): boolean => x === y || (x !== x && y !== y);
  for (const f of ['ID', 'TIME', 'EVID', 'AMT', 'CMT', 'RATE', 'ADDL', 'II', 'SS', 'DV', 'MDV'] as const) if (!eq(a[f], b[f])) return false;
  const sameMap = (x: Readonly<Record<string, unknown>> | undefined, y: Readonly<Record<string, unknown>> | undefined): boolean => {
    if (x === y) return true;
    if (x === undefined || y === undefined) return false;
    const kx = Object.keys(x);
    if (kx.length !== Object.keys(y).length) return false;
    return kx.every((n) => Object.hasOwn(y, n) && eq(x[n], y[n]));
  };
  return sameMap(a.items, b.items) && sameMap(a.text, b.text);
}

/**
 * W_DOSE_DUPLICATE of records built or edited in code, which have no cells: dose records of one ID
 * with every field, item and text equal (an exact copy), and the near copies readNmtran warns of
 * (above), each naming the records by row (a record built in code without one is named by its
 * position, index + 1, as its refusals name it) with ID and TIME. `regimen().dose()` twice at one
 * time, or a history concatenated twice, gave both doses without a word (a 1000-mg bolus twice, the
 * level at 2 h 134.06 for 67.03). A pair readNmtran judged on its cells is left to its warnings.
 * `doses`: the positions of the doses that may copy one before them (RecordCensus.nearDoses: the
 * doses up to 15 minutes after the record before them), else every dose is looked at. Looking back
 * from each of 2,000 subjects' 56,000 doses cost as much as checkRecords' pass over all 730,000
 * records (cache misses); the census finds the few candidates in its own pass.
 */
export function codeDoseDuplicates(records: readonly DataRecord[], file?: string, doses?: Int32Array): string[] {
  const out: { row: number; text: string }[] = [];
  const fileWords = file === undefined ? '' : `${file}, `;
  const judged = (j: number, k: number): boolean => CELL_JUDGED.has(records[j] as DataRecord) && CELL_JUDGED.has(records[k] as DataRecord);
  const same = (j: number, k: number): boolean => sameRecord(records[j] as DataRecord, records[k] as DataRecord);
  const at = (j: number): string => `TIME ${hours((records[j] as DataRecord).TIME)}`;
  const rowOf = (j: number): number => (records[j] as DataRecord).row;
  const copies = new Map<number, number[]>();
  const copyOf = new Map<number, number>();
  const positions = doses ?? doseIndexes(records);
  for (let p = 0; p < positions.length; p++) {
    const k = positions[p] as number;
    const b = records[k] as DataRecord;
    if (!isDose(b)) continue;
    // no record of the ID up to 15 minutes before it (an ID's records are in time order): neither a
    // copy nor a near copy
    const before = records[k - 1];
    if (before === undefined || before.ID !== b.ID || !(b.TIME - before.TIME <= NEAR_DOSE_HOURS)) continue;
    // an exact copy: the nearest earlier dose of the ID at the same time with every value equal
    for (let j = k - 1; j >= 0; j--) {
      const a = records[j] as DataRecord;
      if (a.ID !== b.ID || a.TIME !== b.TIME) break;
      if (!isDose(a) || judged(j, k) || !same(j, k)) continue;
      const first = copyOf.get(j) ?? j;
      copyOf.set(k, first);
      const list = copies.get(first);
      if (list) list.push(k);
      else copies.set(first, [first, k]);
      break;
    }
    if (copyOf.has(k)) continue;
    const w = nearDuplicateOf(records, k, same, at, (j, kk) => `rows ${rowOf(j)} and ${rowOf(kk)}`, true, file, judged);
    if (w !== undefined) out.push(w);
  }
  for (const ks of copies.values()) {
    const r = records[ks[0] as number] as DataRecord;
    const rows = ks.map(rowOf);
    out.push({
      row: rows[rows.length - 1] as number,
      text:
        `W_DOSE_DUPLICATE: ${fileWords}rows ${rows.slice(0, -1).join(', ')} and ${rows[rows.length - 1]} (ID ${r.ID}): dose records with every field and item equal (AMT ${r.AMT} at TIME ${hours(r.TIME)}), ` +
        `${given(r, rows.length)}; if one is a copy of the other, remove it`,
    });
  }
  return out.sort((a, b) => a.row - b.row).map((w) => w.text);
}

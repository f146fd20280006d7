// W_DOSE_DUPLICATE: a dose row copied twice in a chart (every cell equal) was given twice without a
// word, while a copied level was warned (W_LEVEL_DUPLICATE): dupdose.csv's 20:00 dose twice moved
// the W-map patient's MAP ETA_CL to 0.3676 from 0.3077. Both are still given, as NONMEM gives them:
// two bags of one dose at one time are charted so too.

import { isDose, type DataRecord } from './record.js';

/**
 * The warnings of dose records whose every cell equals another dose record's (of one ID, then),
 * each on the copy's row: `cells` the rows' cells in file order, `at` the written time of a row.
 */
export function duplicateDoseWarnings(columns: readonly string[], cells: readonly (readonly string[])[], records: readonly DataRecord[], at: (row: number) => string, file?: string): { row: number; text: string }[] {
  const first = new Map<string, number[]>();
  records.forEach((r, k) => {
    if (!isDose(r)) return;
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
  out.push(...nearDuplicateDoses(cells, records, at, columns.some((c) => c.toUpperCase() === 'CMT'), file));
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

/**
 * W_DOSE_DUPLICATE of likely double-charting that is no exact copy: two dose records of one ID and
 * CMT, of the same AMT, 0 to 15 minutes apart, overlapping, not in a series (a scheduled and a given time, 20:00 and
 * 20:05; a bag re-charted with its real RATE at the same time). A tester's q12h vancomycin chart
 * gave both silently: CL 3.575 → 4.025 L/h, the advised load 1750 → 1500 mg. Not said for
 * doses into other compartments, a bag hung as the one before ends, or a series (inSeries).
 */
function nearDuplicateDoses(cells: readonly (readonly string[])[], records: readonly DataRecord[], at: (row: number) => string, hasCmt: boolean, file?: string): { row: number; text: string }[] {
  const out: { row: number; text: string }[] = [];
  const same = (j: number, k: number): boolean => (cells[j] as readonly string[]).join('\u0000') === (cells[k] as readonly string[]).join('\u0000');
  const said = new Set<number>();
  records.forEach((b, k) => {
    if (!isDose(b)) return;
    for (let j = k - 1; j >= 0; j--) {
      const a = records[j] as DataRecord;
      if (a.ID !== b.ID) break;
      const dt = b.TIME - a.TIME;
      if (dt > NEAR_HOURS + 1e-9) break;
      // an ID's records out of time order (doses and levels charted by kind) end the look-back too
      if (dt < 0) break;
      if (!isDose(a) || a.CMT !== b.CMT || a.AMT !== b.AMT || same(j, k) || apart(a, b, dt) || said.has(k) || inSeries(records, j, k)) continue;
      said.add(k);
      const minutes = Math.round(dt * 60 * 10) / 10;
      const when = minutes === 0 ? `at ${at(j + 1)}` : `at ${at(j + 1)} and ${at(k + 1)}, ${minutes} min apart`;
      const rates = a.RATE === b.RATE ? '' : `, RATE ${a.RATE} and ${b.RATE}`;
      out.push({
        row: k + 1,
        text:
          `W_DOSE_DUPLICATE: ${file === undefined ? '' : `${file}, `}rows ${j + 1} and ${k + 1} (ID ${b.ID}): two doses of AMT ${b.AMT}${hasCmt ? ` into CMT ${b.CMT}` : ''} ${when}${rates}, ${b.SS === 1 || b.EVID === 4 ? given(b, 2) : `both given (${2 * b.AMT} in all)`}; ` +
          'the same amount into one compartment within 15 minutes is most often one administration charted twice (a scheduled and a given time, or a bag re-charted with its rate): if so, remove one',
      });
    }
  });
  return out;
}

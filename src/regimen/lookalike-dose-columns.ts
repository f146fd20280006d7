// Dose items under a name dosewise does not read. NONMEM's record reads RATE and ADDL by those names
// only, so a data set whose rate column was INF_RATE, RATE_MGH or "RATE (mg/h)" ran every infusion as
// a bolus (map-patient.csv: IPRED 20.83 at 1.5 h for 24.32, estimate's V 17.50 L for 24.04), one
// whose ADDL was N_ADDL, ADD or NDOSES gave one dose of four (IPRED 2.805 at 25 h for 35.86), and a
// duration as DURATION or INF_DUR was dropped: all with exit 0 and nothing on stderr, while DUR and
// a DOSE column without AMT were refused. The same rule now: such a column on a dose row is refused,
// naming the row, the column, its value and the name to give it, unless the model reads the column.

import { Errors } from '../errors.js';
import type { DataRecord } from './record.js';

/** The names the record items are read under (and DUR and PCMT, which refuseDurItem judges itself). */
const HANDLED = /^(?:ID|TIME|EVID|AMT|CMT|RATE|ADDL|II|SS|DV|MDV|DUR|PCMT)$/i;

/** A column's name in upper-case letters and digits only ("RATE (mg/h)" → RATEMGH). */
const bare = (column: string): string => column.toUpperCase().replace(/[^A-Z0-9]/g, '');

/** A rate in the name, not a heart, breathing or filtration rate (covariates), nor a clearance or flow. */
const rateLike = (n: string): boolean => (n.includes('RATE') || n === 'R' || n === 'RTE' || n === 'INF' || n === 'INFUSION') && !/HEART|PULSE|RESP|BREATH|GFR|FILTR|CLEAR|ELIM|ABS|FLOW/.test(n.replace('RATE', ''));

/** A duration in the name: DURATION, INF_DUR, DUR_H, TINF, INF_TIME. */
const durationLike = (n: string): boolean => n.includes('DUR') || n === 'TINF' || n === 'INFTIME' || n === 'INFLEN';

/** Additional doses in the name: N_ADDL, ADD, NDOSES. */
const addlLike = (n: string): boolean => n.includes('ADDL') || n === 'ADD' || n === 'NADD' || /^N?DOSES$|^NDOSE$|^NUMDOSES$/.test(n);

/** Whether a column may be a rate, duration or ADDL look-alike (the column fast path leaves such a table to the record path, which judges it). */
export function lookalikeDoseColumn(column: string): boolean {
  if (column.startsWith('@') || HANDLED.test(column)) return false;
  const n = bare(column);
  return durationLike(n) || rateLike(n) || addlLike(n);
}

/** Whether a record is a dose (EVID 1 or 4) with an amount. */
const dosing = (r: DataRecord): boolean => (r.EVID === 1 || r.EVID === 4) && r.AMT > 0;

/**
 * Refuses a dose record whose infusion rate, duration or additional doses stand in a column dosewise
 * does not read (see the top of this file): a rate look-alike where the data have no RATE column, an
 * ADDL look-alike where they have no ADDL column, and a duration look-alike on a dose that is a bolus
 * or whose AMT/RATE gives another length (2 % of it, or 5 minutes, as refuseDurItem allows for DUR).
 * `reads` are the names the model reads from records: a column among them is a covariate, left be.
 * One look at the first record's and the first dose's column names; the records are read only for a
 * look-alike column.
 */
export function refuseLookalikeDoseColumns(records: readonly DataRecord[], reads: readonly string[], file?: string): void {
  const first = records[0];
  if (first === undefined) return;
  let names = Object.keys(first.items);
  const dose = records.find(dosing);
  if (dose !== undefined && dose.items !== first.items) names = [...new Set([...names, ...Object.keys(dose.items)])];
  const has = (item: string): boolean => names.some((c) => c.toUpperCase() === item);
  const rate: string[] = [];
  const duration: string[] = [];
  const addl: string[] = [];
  for (const c of names) {
    if (c.startsWith('@') || HANDLED.test(c) || reads.includes(c)) continue;
    const n = bare(c);
    if (durationLike(n)) duration.push(c);
    else if (!has('RATE') && rateLike(n)) rate.push(c);
    else if (!has('ADDL') && addlLike(n)) addl.push(c);
  }
  if (rate.length + duration.length + addl.length === 0) return;
  for (const r of records) {
    if (!dosing(r)) continue;
    for (const c of rate) {
      const v = r.items[c] as number;
      if (v > 0 || v === -1 || v === -2)
        throw Errors.record(r.row, c, v, `dosewise reads NONMEM's RATE, and the data have no RATE column: this dose runs as a bolus, column ${c} not read; if ${c} is the infusion rate (AMT per hour, or -1/-2 for a modelled one), name the column RATE, else drop it or give the model a covariate of that name`, file);
    }
    for (const c of duration) {
      const dur = r.items[c] as number;
      if (!(dur > 0 && dur < Infinity) || r.RATE < 0) continue;
      if (r.RATE === 0)
        throw Errors.record(r.row, c, dur, `dosewise reads NONMEM's RATE, not a duration column: this dose runs as a bolus, column ${c} not read; give RATE = AMT/${c} (${r.AMT / dur}) for a ${dur}-h infusion (times are in hours), or RATE = -2 with the duration in the model, and drop ${c}`, file);
      const length = r.AMT / r.RATE;
      if (Math.abs(length - dur) > Math.max(2e-2 * dur, 5 / 60))
        throw Errors.record(r.row, c, dur, `RATE ${r.RATE} and ${c} ${dur} disagree: AMT/RATE = ${r.AMT}/${r.RATE} is a ${length}-h infusion, ${c} says ${dur} (times are in hours); dosewise reads NONMEM's RATE, not ${c}: drop ${c} where RATE is right, or give RATE = AMT/${c} (${r.AMT / dur}) for a ${dur}-h infusion`, file);
    }
    for (const c of addl) {
      const v = r.items[c] as number;
      if (v > 0)
        throw Errors.record(r.row, c, v, `dosewise reads NONMEM's ADDL (the doses after this one, every II h), and the data have no ADDL column: this dose is given once, column ${c} not read; if ${c} is ADDL, name the column ADDL (a count of all doses, this one included, is ADDL + 1), else drop it or give the model a covariate of that name`, file);
    }
  }
}

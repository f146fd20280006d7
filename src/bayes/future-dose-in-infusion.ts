// A future dose that starts while an infusion of the history still runs: both are given together, as
// NONMEM gives them (the chart vanco1.csv, 1250 mg at 625 mg/h from 08:00 to 10:00, and a future
// 750 mg at 750 mg/h at 09:00: 1375 mg/h from 09:00 to 10:00, conc@56 23.8602), which is right for that
// reading but was said nowhere, where optimize --from waits for the bag's end and says so. A time typed
// 09:00 for 10:00 raised the peak by about 1.5 mg/L without a word: now warned, naming both.

import { givenAddl, isDose, type DataRecord } from '../regimen/record.js';

/** The code of its warning. */
export const DOSE_DURING_INFUSION = 'W_DOSE_DURING_INFUSION';

/** A future dose given while a charted infusion runs. */
export interface DoseInInfusion {
  /** The history's infusion: its record's row, this copy's start (ADDL included), amount, rate, end (h). */
  readonly infusion: { readonly row: number; readonly time: number; readonly amount: number; readonly rate: number; readonly end: number };
  /** The future dose: its record's row, time, amount and rate (0 for a bolus). */
  readonly dose: { readonly row: number; readonly time: number; readonly amount: number; readonly rate: number };
}

/** Whether t lies before `end` by more than rounding (a dose at the bag's end follows it). */
const before = (t: number, end: number): boolean => end - t > 1e-9 * Math.max(1, Math.abs(t));

/**
 * Each future dose (its own start, not its ADDL copies) begun at or after the start of a history
 * infusion (RATE > 0; ADDL copies given included) and before its end, with the infusion that runs
 * latest. A modelled rate or duration (RATE −1, −2) is the model's and is not read, as optimize's
 * running infusion does not read it.
 */
export function futureDosesInInfusion(history: readonly DataRecord[], future: readonly DataRecord[]): DoseInInfusion[] {
  const out: DoseInInfusion[] = [];
  for (const f of future) {
    if (!isDose(f)) continue;
    const t = f.TIME;
    let found: DoseInInfusion['infusion'] | undefined;
    history.forEach((r, i) => {
      if (!isDose(r) || !(r.RATE > 0 && r.AMT > 0)) return;
      const dur = r.AMT / r.RATE;
      const n = r.II > 0 ? givenAddl(history, i) : 0;
      const first = r.II > 0 ? Math.max(0, Math.floor((t - dur - r.TIME) / r.II)) : 0;
      for (let k = first; k <= n; k++) {
        const t0 = r.TIME + k * r.II;
        if (t0 > t) break;
        const end = t0 + dur;
        if (before(t, end) && (!found || end > found.end)) found = { row: r.row, time: t0, amount: r.AMT, rate: r.RATE, end };
      }
    });
    if (found) out.push({ infusion: found, dose: { row: f.row, time: t, amount: f.AMT, rate: f.RATE > 0 ? f.RATE : 0 } });
  }
  return out;
}

const g = (v: number): string => String(Number(v.toPrecision(6)));

/**
 * The words of one: `at(h)` gives a time (hours, or the chart's clock), `doseWhere`/`bagWhere` the
 * records' places ("future regimen row 1", "records row 7").
 */
export function doseInInfusionWords(x: DoseInInfusion, at: (h: number) => string, doseWhere: string, bagWhere: string): string {
  const { infusion: b, dose: d } = x;
  const together =
    d.rate > 0
      ? `both run together, ${g(b.rate + d.rate)}/h from ${at(d.time)} to ${at(Math.min(b.end, d.time + d.amount / d.rate))} (as NONMEM gives them)`
      : `the bolus is given on top of the running bag (as NONMEM gives them)`;
  return (
    `the future dose of ${g(d.amount)} at ${at(d.time)} (${doseWhere}${d.rate > 0 ? `, rate ${g(d.rate)}/h` : ''}) starts while the charted infusion of ${g(b.amount)} at ${at(b.time)} (${bagWhere}, rate ${g(b.rate)}/h) still runs, until ${at(b.end)}: ` +
    `${together}; if the dose was meant after the bag, give it at ${at(b.end)} or later`
  );
}

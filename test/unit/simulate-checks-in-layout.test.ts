// simulate() checks the records in the pass that lays them out by design (each record checked just
// before the layout reads it): every refusal must be checkRecords' own, at the same row, wherever the
// bad record sits (first record, a subject's first or last record, the data set's last), also where
// the layout gives up on the way (a CMT beyond the model, a design per subject) and the records are
// checked afresh; and the census the later checks read must be the whole data set's.

import { describe, expect, it } from 'vitest';
import { builtinModel } from '../../src/model/model.js';
import { checkRecords } from '../../src/regimen/nmtran.js';
import { simulate } from '../../src/engine/simulate.js';
import type { DataRecord } from '../../src/regimen/record.js';

const model = builtinModel('1cmt-oral', { KA: 1.2, CL: 5, V: 50 });

/** 40 subjects, each 2 doses and 24 levels, CL/V/KA as data items on every record. */
function data(): DataRecord[] {
  const out: DataRecord[] = [];
  for (let s = 0; s < 40; s++) {
    const items = (): Record<string, number> => ({ CL: 5 * (1 + s / 100), V: 50, KA: 1.2 });
    const rec = (time: number, evid: number): DataRecord => ({ row: out.length + 1, ID: s + 1, TIME: time, EVID: evid, AMT: evid === 1 ? 100 : 0, CMT: evid === 1 ? 1 : 2, RATE: 0, ADDL: 0, II: 0, SS: 0, DV: 0, MDV: evid === 0 ? 0 : 1, items: items() });
    for (let t = 0; t <= 24; t++) {
      if (t === 0 || t === 12) out.push(rec(t, 1));
      if (t > 0) out.push(rec(t, 0));
    }
  }
  return out;
}

const per = data().length / 40;

/** The message checkRecords raises for `records`. */
function checkError(records: unknown): string {
  try {
    checkRecords(records, 'records', undefined, true);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('checkRecords passed');
}

function simulateError(records: unknown): string {
  try {
    simulate(model, records as DataRecord[], { method: 'analytic' });
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('simulate passed');
}

const damage: [string, (r: DataRecord[]) => void][] = [
  ['the first record not an object', (r) => ((r as unknown[])[0] = null)],
  ['a subject’s first record not an object', (r) => ((r as unknown[])[7 * per] = 42)],
  ['a subject’s last record without items', (r) => delete (r[8 * per - 1] as { items?: unknown }).items],
  ['the last record not an object', (r) => ((r as unknown[])[r.length - 1] = undefined)],
  ['a TIME string', (r) => ((r[5 * per + 3] as { TIME: unknown }).TIME = '3')],
  ['EVID 7', (r) => ((r[12 * per + 4] as { EVID: number }).EVID = 7)],
  ['a time going back', (r) => ((r[9 * per + 10] as { TIME: number }).TIME = -1)],
  ['an ID coming back (a subject’s first record)', (r) => ((r[20 * per] as { ID: number }).ID = 3)],
  ['an ID coming back (a whole subject)', (r) => r.slice(20 * per, 21 * per).forEach((x) => ((x as { ID: number }).ID = 3))],
  ['a CMT beyond the model, then a bad EVID', (r) => {
    (r[2 * per + 3] as { CMT: number }).CMT = 9;
    (r[30 * per + 3] as { EVID: number }).EVID = 9;
  }],
  ['a design per subject, then a bad MDV', (r) => {
    r.forEach((x) => ((x as { TIME: number }).TIME += (x.ID % 40) * 1e-3));
    (r[35 * per + 2] as { MDV: number }).MDV = 5;
  }],
];

describe('simulate() checks the records while it lays them out', () => {
  for (const [what, f] of damage)
    it(`${what}: checkRecords' refusal`, () => {
      const records = data();
      f(records);
      expect(simulateError(records)).toBe(checkError(records));
    });

  it('a steady-state dose without II in the last subject: checkRecords\' refusal', () => {
    const records = data();
    const last = records.length - per;
    Object.assign(records[last] as DataRecord, { SS: 1, II: 0 });
    expect(simulateError(records)).toBe(checkError(records));
  });

  it('the same predictions as the records laid out after their checks (overrides: the two passes)', () => {
    const records = data();
    const fused = simulate(model, records, { method: 'analytic' });
    // an override (the records' own KA) takes the two passes: the checks, then the layout
    const apart = simulate(model, records, { method: 'analytic', overrides: { KA: 1.2 } });
    expect(Buffer.from(fused.ipred.buffer).equals(Buffer.from(apart.ipred.buffer))).toBe(true);
    expect(fused.ids).toEqual(apart.ids);
  });
});

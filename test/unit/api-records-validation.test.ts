// Records built or edited in code, seeds, fits and SIR proposals given to the API are refused as
// readNmtran and the command line refuse them, naming the argument, the row, the field and the
// value. Before: simulate(), estimate() and forecast() ran an edited dose of AMT 0 (or NaN, −1000,
// null), EVID 7, SS 3 or a level's MDV 5 into all-zero predictions or η = 0 "converged"; a TIME
// string ('7.769') predicted 247.28; records without `items` or a null fit ended in a bare
// TypeError; the seeds '', NaN, null, {} and [] ran (every object the one seed "[object Object]");
// SIR with 3e8 proposals trapped in WebAssembly ("memory access out of bounds").

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../src/model/model.js';
import { recordFromItems } from '../../src/regimen/nmtran.js';
import type { DataRecord } from '../../src/regimen/record.js';
import { regimen } from '../../src/regimen/builder.js';
import { simulate } from '../../src/engine/simulate.js';
import { estimate } from '../../src/bayes/estimate.js';
import { forecast } from '../../src/bayes/forecast.js';
import { MAX_PROPOSALS, posteriorSample, sirBlocking } from '../../src/bayes/posterior.js';
import { seedKey } from '../../src/population/seed.js';
import { refused } from './refused.js';

// one compartment, IV bolus: C(t) = AMT/V · e^(−CL/V · t), CL = 2·e^η, V = 10
const model = defineModel({
  dosewise: 2,
  name: 'one compartment',
  structure: { kind: 'linear', compartments: 1, depot: false },
  parameters: { CL: '2*exp(ETA_CL)', V: 10 },
  omega: { etas: ['ETA_CL'], diagonal: [0.1] },
  residual: { model: 'proportional', proportional: 0.1 },
});
const recs = (rows: Record<string, number>[]): DataRecord[] => rows.map((r, i) => recordFromItems(r, i + 1));
const history = recs([
  { ID: 1, TIME: 0, EVID: 1, AMT: 100 },
  { ID: 1, TIME: 2, EVID: 0, DV: 7.5 },
  { ID: 1, TIME: 6, EVID: 0, DV: 3.9 },
]);
const onDose = (k: string, v: unknown): DataRecord[] => history.map((r) => (r.EVID === 1 ? ({ ...r, [k]: v } as unknown as DataRecord) : r));
const onLevels = (k: string, v: unknown): DataRecord[] => history.map((r) => (r.EVID === 0 ? ({ ...r, [k]: v } as unknown as DataRecord) : r));
const future = regimen().dose({ time: 24, amt: 100 }).observe({ times: [30] }).records();

describe('records edited in code are refused as readNmtran refuses them', () => {
  it('as read, the records simulate to the closed form 10·e^(−0.2 t)', () => {
    const ip = simulate(model, history).ipred;
    expect(Math.abs((ip[1] as number) / (10 * Math.exp(-0.4)) - 1)).toBeLessThan(1e-13);
    expect(Math.abs((ip[2] as number) / (10 * Math.exp(-1.2)) - 1)).toBeLessThan(1e-13);
  });

  // each of these ran: all-zero predictions (AMT 0, NaN, null, EVID 7) or negative ones (−1000), η = 0 "converged"
  const cases: [string, string, unknown, RegExp][] = [
    ['dose AMT 0', 'AMT', 0, /row 1, column AMT: a dose record \(EVID 1\) needs an amount > 0.*\(got 0\)/],
    ['dose AMT NaN', 'AMT', NaN, /row 1, column AMT: AMT must be a finite number \(a data file's missing AMT is read as 0.*\(got NaN\)/],
    ['dose AMT −1000', 'AMT', -1000, /row 1, column AMT: a dose record \(EVID 1\) needs an amount > 0 \(got -1000\)/],
    ['dose AMT null', 'AMT', null, /row 1, column AMT: AMT must be a number, not null \(got null\)/],
    ['dose EVID 7', 'EVID', 7, /row 1, column EVID: EVID must be 0, 1, 2, 3 or 4 \(got 7\)/],
    ['dose SS 3', 'SS', 3, /row 1, column SS: SS must be 0, 1 or 2; SS 3 \(NONMEM: SS 1 with its steady-state search started from the current state\) is read from items .*give SS 1.* \(got 3\)/],
    ['level MDV 5', 'MDV', 5, /row 2, column MDV: MDV must be 0 \(a level to use\) or 1 \(none\) \(got 5\)/],
  ];
  for (const [name, column, value, message] of cases)
    it(`${name}: simulate(), estimate() and forecast() refuse it, naming row and column`, () => {
      const edited = column === 'MDV' ? onLevels(column, value) : onDose(column, value);
      const e = refused(() => simulate(model, edited), 'E_RECORD', message);
      expect(e.place.column).toBe(column);
      refused(() => estimate(model, edited), 'E_RECORD', message);
      const fit = estimate(model, history);
      refused(() => forecast(model, edited, fit, future, { draws: 10 }), 'E_RECORD', message);
      // the same edit on the future regimen (its dose, or its observation for MDV), named as its row
      const fut = future.map((r) => (r.EVID === (column === 'MDV' ? 0 : 1) ? ({ ...r, [column]: value } as unknown as DataRecord) : r));
      refused(() => forecast(model, history, fit, fut, { draws: 10 }), 'E_RECORD', new RegExp(`^future regimen, row \\d, column ${column}:`));
    });

  it('an edited future dose is forecast at its new amount (it was read from items: the old amount)', () => {
    const fit = estimate(model, history);
    const k = (fit.parameters.CL as number) / 10;
    const fut = future.map((r) => (r.EVID === 1 ? { ...r, AMT: 300 } : r));
    const f = forecast(model, history, fit, fut, { draws: 10 });
    // superposition: the history's 100 at 0 and the future's 300 at 24, read at 30
    const want = (100 * Math.exp(-k * 30) + 300 * Math.exp(-k * 6)) / 10;
    expect(Math.abs((f.ipred[0] as number) / want - 1)).toBeLessThan(1e-12);
  });
});

describe('standard fields as strings (a web form) are refused naming row, field and value', () => {
  // TIME '7.769' predicted 247.28 for 7.769; EVID or CMT strings gave all zeros; DV strings the prior
  it('TIME, EVID, CMT, AMT and DV', () => {
    const str = (k: keyof DataRecord, pick: (r: DataRecord) => boolean = () => true) => history.map((r) => (pick(r) ? ({ ...r, [k]: String(r[k]) } as unknown as DataRecord) : r));
    refused(() => simulate(model, str('TIME')), 'E_RECORD', /^row 1, column TIME: TIME must be a number, not string \(text is not read as a number.*\(got "0"\)/);
    refused(() => simulate(model, str('EVID')), 'E_RECORD', /^row 1, column EVID: EVID must be a number, not string.*\(got "1"\)/);
    refused(() => simulate(model, str('CMT')), 'E_RECORD', /^row 1, column CMT: .*\(got "0"\)/);
    refused(() => simulate(model, str('AMT', (r) => r.EVID === 1)), 'E_RECORD', /^row 1, column AMT: .*\(got "100"\)/);
    refused(() => estimate(model, str('DV', (r) => r.EVID === 0)), 'E_RECORD', /^row 2, column DV: DV must be a number, not string.*\(got "7.5"\)/);
    // estimate() with TIME strings threw "TypeError: v.toPrecision is not a function"
    refused(() => estimate(model, str('TIME')), 'E_RECORD', /^row 1, column TIME:/);
    // a DV of NaN stays: it is no level, as a data file's "."
    expect(simulate(model, onLevels('DV', NaN)).ipred.length).toBe(3);
  });
});

describe('wrong-shaped arguments are refused naming the argument', () => {
  it('records without items, records not an array, a null fit', () => {
    const bare = history.map(({ items: _items, ...r }) => r as unknown as DataRecord);
    // was "Cannot read properties of undefined (reading 'DUR')"
    refused(() => simulate(model, bare), 'E_RECORD', /^row 1, column items: a record needs its data items as an object/);
    refused(() => estimate(model, bare), 'E_RECORD', /column items/);
    refused(() => simulate(model, { records: history } as unknown as DataRecord[]), 'E_OPTION', /^records: must be an array of records/);
    // was "Cannot read properties of null (reading 'labels')"
    const e = refused(() => forecast(model, history, null as never, future, { draws: 10 }), 'E_OPTION', /^fit: must be the Estimate estimate\(model, records\) returns.*\(got null\)/);
    expect(e.place.path).toBe('fit');
    refused(() => posteriorSample(model, history, {} as never, { draws: 10 }), 'E_OPTION', /^fit:/);
  });
});

describe('seeds', () => {
  it('a seed is a non-empty string or a finite number; others are refused naming seed', () => {
    for (const [seed, shown] of [['', '""'], ['  ', '"  "'], [NaN, 'NaN'], [null, 'null'], [{}, '{}'], [{ patient: 2 }, '{"patient":2}'], [[], '[]'], [Infinity, 'Infinity']] as const) {
      const e = refused(() => seedKey(seed as never), 'E_OPTION', new RegExp(`^seed: a seed must be a non-empty string or a finite number \\(got ${shown.replace(/[{}[\]]/g, '\\$&')}\\)`));
      expect(e.place.path).toBe('seed');
    }
    const fit = estimate(model, history);
    // forecast took null as seed 1 and '' or {} as seeds of their own
    for (const seed of ['', null, {}, NaN]) {
      refused(() => forecast(model, history, fit, future, { draws: 10, seed: seed as never }), 'E_OPTION', /^seed:/);
      refused(() => posteriorSample(model, history, fit, { draws: 10, seed: seed as never }), 'E_OPTION', /^seed:/);
    }
  });

  it('valid seeds keep their keys: seedrandom of the seed as text (values from seedrandom 3.0.5 before the check)', () => {
    expect(seedKey(7)).toEqual([1199382441, 3486546440]);
    expect(seedKey('7')).toEqual([1199382441, 3486546440]);
    expect(seedKey('abc')).toEqual([3143670418, 3137901989]);
    expect(seedKey(1)).toEqual([1157273989, 671118191]);
  });
});

describe('SIR proposals', () => {
  const fit = estimate(model, history);
  it(`more than MAX_PROPOSALS (${MAX_PROPOSALS}) are refused naming proposals (3e8 trapped in WebAssembly)`, () => {
    const e = refused(() => posteriorSample(model, history, fit, { draws: 100, sir: true, proposals: 3e8 }), 'E_OPTION', /^proposals: must be an integer from 1 to 10,000,000 \(got 300000000\)/);
    expect(e.place.path).toBe('proposals');
    refused(() => forecast(model, history, fit, future, { draws: 100, sir: true, proposals: MAX_PROPOSALS + 1 }), 'E_OPTION', /^proposals:/);
  });

  it('proposals weighed in blocks give the same draws, ESS and k̂ as in one engine call', () => {
    const one = posteriorSample(model, history, fit, { draws: 500, sir: true, proposals: 5000, seed: 3 });
    const saved = sirBlocking.values;
    try {
      // 3 records: blocks of 333 proposals, the last one short
      sirBlocking.values = 1000;
      const blocked = posteriorSample(model, history, fit, { draws: 500, sir: true, proposals: 5000, seed: 3 });
      expect([...blocked.x]).toEqual([...one.x]);
      expect(blocked.ess).toBe(one.ess);
      expect(blocked.paretoK).toBe(one.paretoK);
    } finally {
      sirBlocking.values = saved;
    }
  });
});

describe('the other entries take seeds and records as estimate() does', () => {
  it('simulateReplicates() refuses a seed that is not a non-empty string or a finite number', async () => {
    const { simulateReplicates } = await import('../../src/replicate/run.js');
    const { builtinModel } = await import('../../src/model/model.js');
    const { readNmtran } = await import('../../src/regimen/nmtran.js');
    const recs = readNmtran('ID,TIME,EVID,AMT,DV,MDV\n1,0,1,100,.,1\n1,2,0,.,.,0\n').records;
    for (const seed of [{}, [], NaN, null, ''])
      await expect(simulateReplicates(builtinModel('1cmt-iv'), recs, { replicates: 1, seed: seed as never, epsilon: false }, () => undefined)).rejects.toThrow(/seed/);
  });
});

// NONMEM's own predictions for the nmtests scenarios (../shared/conformance/nmtests, copied into
// test/conformance/nmtests with its source line). Tolerance: half a unit of the 5th significant
// digit NONMEM printed (./printed.ts).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../src/model/model.js';
import { readNmtran } from '../../src/regimen/nmtran.js';
import { simulate } from '../../src/engine/simulate.js';
import { withinPrinted } from './printed.js';

const dir = new URL('./', import.meta.url);
const load = (name: string) => JSON.parse(readFileSync(new URL(name, dir), 'utf8'));

export function mismatches(got: Float64Array, data: ReturnType<typeof readNmtran>, column: string): string[] {
  const bad: string[] = [];
  data.records.forEach((r, i) => {
    const want = r.items[column] as number;
    const g = got[i] as number;
    const ok = withinPrinted(g, want);
    if (!ok) bad.push(`ID ${r.ID} row ${r.row} t=${r.TIME} EVID=${r.EVID}: got ${g}, NONMEM ${want}`);
  });
  return bad;
}

describe('nmtests conformance (NONMEM 7.5)', () => {
  it('dosing-1001: all 29 scenarios, every record', () => {
    const model = defineModel(load('dosing-1001.model.json'));
    const data = readNmtran(readFileSync(new URL('nmtests/dosing-1001.csv', dir), 'utf8'));
    const { ipred } = simulate(model, data.records);
    const bad = mismatches(ipred, data, 'CP_NONMEM');
    expect(bad.slice(0, 20), `${bad.length} of ${data.records.length} records differ`).toEqual([]);
  });

  it('time-varying-2001: NOCB covariate, CL and CP on every record', () => {
    const model = defineModel(load('time-varying-2001.model.json'));
    const data = readNmtran(readFileSync(new URL('nmtests/time-varying-2001.csv', dir), 'utf8'));
    const { ipred } = simulate(model, data.records);
    expect(mismatches(ipred, data, 'CP_NONMEM')).toEqual([]);
    data.records.forEach((r) => {
      const cl = (model.evaluate(r.items).values.CL as number);
      expect(withinPrinted(cl, r.items.CL_NONMEM as number), `CL ${cl} vs NONMEM ${r.items.CL_NONMEM}`).toBe(true);
    });
  });

  for (const [name, col] of [
    ['tumor-ode-c001', 'Y_NONMEM_ADVAN13'],
    ['tumor-ode-c001', 'Y_NONMEM_CLOSED_FORM'],
    ['tumor-ode-c003', 'Y_NONMEM_ADVAN13'],
  ] as const) {
    it(`${name}: Claret ODE vs ${col}`, () => {
      const model = defineModel(load(`${name}.model.json`));
      const data = readNmtran(readFileSync(new URL(`nmtests/${name}.csv`, dir), 'utf8'));
      for (const method of ['dopri5', 'rosenbrock'] as const) {
        const { ipred } = simulate(model, data.records, { method });
        expect(mismatches(ipred, data, col), method).toEqual([]);
      }
    });
  }
});

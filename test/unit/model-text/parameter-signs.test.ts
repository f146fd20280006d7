// A model text does not say which of its values are volumes or rates, but its equations do:
// observe = CENTRAL / V divides an amount by V, d/dt(DEPOT) = -KA * DEPOT is an outflow at rate KA,
// and k21 = Q / V2 divides by V2. A value given in the data or by --param that contradicts them
// (V2 = -20 made the peripheral amount grow without bound and every level wrong, exit code 0) is
// refused, naming the parameter; the model's own signs (a negative covariate slope) still run.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { parseExpression } from '../../../src/model/expression.js';
import { outflowRates } from '../../../src/model/text/outflow-rates.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { simulate } from '../../../src/engine/simulate.js';
import { cli } from '../cli/run-cli.js';

const text = readFileSync('examples/user-models/two-cmt-oral.model', 'utf8');
const model = defineModel({ dosewise: 'text', text, file: 'two-cmt-oral.model' });
const records = (item = '', value = '') =>
  readNmtran([`ID,TIME,EVID,AMT,CMT,DV,MDV${item ? `,${item}` : ''}`, `1,0,1,100,1,.,1${item ? `,${value}` : ''}`, `1,1,0,.,2,.,0${item ? `,${value}` : ''}`, `1,4,0,.,2,.,0${item ? `,${value}` : ''}`].join('\n')).records;

describe('values a model text reads as volumes or rates', () => {
  it('a volume or rate given in the data with the wrong sign is refused, naming it', () => {
    expect(() => simulate(model, records('V2', '-20'))).toThrow(/row 1, parameter V2: parameter k21 divides by it, so it must be > 0 \(got -20\)/);
    expect(() => simulate(model, records('V', '-20'))).toThrow(/row 1, parameter V: .*must be > 0 \(got -20\)/);
    expect(() => simulate(model, records('KA', '-1'))).toThrow(/row 1, parameter KA: must be ≥ 0 \(d\/dt\(DEPOT\) has it in an outflow of DEPOT: a rate\) \(got -1\)/);
    expect(() => simulate(model, records('k12', '-0.1'))).toThrow(/parameter k12: must be ≥ 0 \(d\/dt\(CENTRAL\)/);
  });

  it('a theta set below 0 reaches the rate it makes: TVKA = -1 is refused as KA', () => {
    expect(() => simulate(model, records('TVKA', '-1'))).toThrow(/parameter KA \(two-cmt-oral\.model:\d+:\d+\): must be ≥ 0 .*\(got -1, from .*TVKA = -1/);
  });

  it('the CLI: --param V2=-20 exits 1 with the message; V2=20 runs and differs from the default', async () => {
    const bad = await cli(['simulate', '--model', 'examples/user-models/two-cmt-oral.model', '--data', 'examples/map-patient.csv', '--param', 'V2=-20']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/parameter V2: parameter k21 divides by it, so it must be > 0 \(got -20\)/);
    expect(bad.out).toBe('');
    const good = await cli(['simulate', '--model', 'examples/user-models/two-cmt-oral.model', '--data', 'examples/map-patient.csv', '--param', 'V2=20']);
    expect(good.code, good.err).toBe(0);
  });

  it('KA = 0 (nothing absorbed) stays valid: the concentration is 0', () => {
    const out = simulate(model, records('KA', '0'));
    expect([...out.ipred]).toEqual([0, 0, 0]);
  });

  it("the model's own negative values run: a covariate slope below 0", () => {
    const own = defineModel({
      dosewise: 'text',
      text: 'model "t"\ntheta TVCL = 5, TVV = 50, SLOPE = -0.01\ncovariate AGE = 40\ncompartment CENTRAL\nCL = TVCL * (1 + SLOPE * (AGE - 40))\nV = TVV\nd/dt(CENTRAL) = -CL / V * CENTRAL\nobserve = CENTRAL / V\n',
    });
    const r = readNmtran('ID,TIME,EVID,AMT,CMT,DV,MDV,AGE\n1,0,1,100,1,.,1,80\n1,4,0,.,1,.,0,80\n').records;
    const cl = 5 * (1 - 0.4);
    expect(Math.abs((simulate(own, r).ipred[1] as number) / ((100 / 50) * Math.exp((-cl / 50) * 4)) - 1)).toBeLessThan(1e-7);
  });
});

describe('which terms are outflows', () => {
  const rates = (ddt: Record<string, string>, inputs: string[]) =>
    [...outflowRates(Object.values(ddt).map((e) => parseExpression(e, 'd')), Object.keys(ddt), inputs)].map(([r, s]) => `${r}<${s}`);

  it('first-order outflows, as products, quotients and sums of per-record values', () => {
    expect(rates({ DEPOT: '-KA * DEPOT', CENTRAL: 'KA * DEPOT - (k10 + k12) * CENTRAL + k21 * PERIPH', PERIPH: 'k12 * CENTRAL - k21 * PERIPH' }, ['KA', 'k10', 'k12', 'k21'])).toEqual(['KA<DEPOT', 'k10<CENTRAL', 'k12<CENTRAL', 'k21<PERIPH']);
    expect(rates({ C: '-CL / V * C', E: 'KE0 * (C - E)' }, ['CL', 'V', 'KE0'])).toEqual(['CL<C', 'V<C']);
  });

  it('not outflows: growth, a term reading another compartment, a difference, a saturable term', () => {
    expect(rates({ T: 'KG * T - KD * C * T', C: '-(KOUT - X) * C', R: 'KIN - VMAX * R / (KM + R)' }, ['KG', 'KD', 'KOUT', 'X', 'KIN', 'VMAX', 'KM'])).toEqual([]);
  });
});

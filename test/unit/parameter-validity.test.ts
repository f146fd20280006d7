// A patient whose parameters cannot be right is refused, naming the row (or virtual subject), the
// parameter and the data item with its value, on every path (simulate, estimate, population): a
// data item a parameter divides by, takes a power of or the log of must be > 0 (Goti's
// CL = TVCL·(CRCL/120)^0.8 is 0 at CRCL 0, which was estimated "successfully" with CL = 0); a
// volume must be > 0. CL = 0 and KA = 0 given as such stay valid (no elimination, no absorption)
// and match their closed forms.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { builtinModel, defineModel } from '../../src/model/model.js';
import { parseExpression } from '../../src/model/expression.js';
import { positiveInputs } from '../../src/model/positive-inputs.js';
import { readNmtran } from '../../src/regimen/nmtran.js';
import { regimen } from '../../src/regimen/builder.js';
import { simulate } from '../../src/engine/simulate.js';
import { estimate } from '../../src/bayes/estimate.js';
import { cli } from './cli/run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-validity-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const goti = defineModel(JSON.parse(readFileSync('models/vancomycin_goti_2018.json', 'utf8')));
const patient = (crcl: number, wt = 70) =>
  readNmtran(['ID,TIME,EVID,AMT,RATE,DV,MDV,CRCL,WT', `1,0,1,1000,1000,.,1,${crcl},${wt}`, `1,11.5,0,.,.,20,0,${crcl},${wt}`].join('\n')).records;

describe('a data item the model divides by or takes a power of must be > 0', () => {
  const crclRefused = /row 1, parameter CL: its expression takes a power of CRCL, so CRCL must be > 0 .*\(got CRCL = (0|-10)\)/;

  it('Goti with CRCL 0 or −10: simulate and estimate refuse, naming row, parameter and value', () => {
    for (const crcl of [0, -10]) {
      expect(() => simulate(goti, patient(crcl))).toThrow(crclRefused);
      expect(() => estimate(goti, patient(crcl))).toThrow(crclRefused);
    }
  });

  it('Goti with CRCL 30: CL is the closed form 4.5·(30/120)^0.8', () => {
    const cl = goti.evaluate({ CRCL: 30, WT: 70, DIAL: 0 }).values.CL as number;
    expect(Math.abs(cl / (4.5 * (30 / 120) ** 0.8) - 1)).toBeLessThan(1e-15);
  });

  it('dosewise estimate: exit 1, the message on stderr, nothing on stdout', async () => {
    const data = join(tmp, 'crcl0.csv');
    writeFileSync(data, 'ID,TIME,EVID,AMT,RATE,DV,MDV,CRCL,WT\n1,0,1,1000,1000,.,1,0,70\n1,11.5,0,.,.,20,0,0,70\n');
    const r = await cli(['estimate', '--model', 'vancomycin_goti_2018', '--data', data]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(crclRefused);
    expect(r.out).toBe('');
  });

  it('population: a covariate distribution reaching CRCL ≤ 0 is refused naming the virtual subject', async () => {
    const cov = join(tmp, 'cov.json');
    writeFileSync(cov, JSON.stringify({ covariates: { WT: { dist: 'uniform', lower: 60, upper: 80 }, CRCL: { dist: 'uniform', lower: -50, upper: 100 } } }));
    const r = await cli(['population', '--model', 'vancomycin_goti_2018', '--regimen', 'examples/design-vancomycin-q12h-1000.json', '--covariates', cov, '--n', '50', '--workers', '0', '--no-progress']);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/parameter CL: its expression takes a power of CRCL, so CRCL must be > 0 .*in virtual subject \d+ .*\(got CRCL = -?[\d.e-]+\)/);
    expect(r.out).toBe('');
  });

  it('WT 0 makes V 0: refused, naming the data items V comes from', () => {
    // a record's WT 0 is no body weight (0.2–700 kg), refused before V is computed
    expect(() => simulate(goti, patient(60, 0))).toThrow(/row 1, column WT: .*a body weight in kg is at least 0\.2/);
    expect(() => estimate(goti, patient(60, 0))).toThrow(/column WT: .*a body weight in kg is at least 0\.2/);
    expect(() => goti.evaluate({ CRCL: 60, WT: 0 }, undefined, 1)).toThrow(/row 1, parameter V: must be > 0 \(got 0, from DIAL = 0, ETA_V = 0, WT = 0\)/);
    // V given as such (a data column or --param) comes from nothing else
    expect(() => goti.evaluate({ CRCL: 60, WT: 70 }, { V: 0 }, 1)).toThrow(/^row 1, parameter V: must be > 0 \(got 0\)$/);
  });

  it('a model text: WT ≤ 0 under (WT / 70)^0.75 is refused before any kernel runs', () => {
    const text = 'model "t"\ntheta TVCL = 5, TVV = 50\ncovariate WT = 70\ncompartment CENTRAL\nCL = TVCL * (WT / 70)^0.75\nV = TVV\nd/dt(CENTRAL) = -CL / V * CENTRAL\nobserve = CENTRAL / V\n';
    const m = defineModel({ dosewise: 'text', text });
    expect(() => m.evaluate({ WT: 0 }, undefined, 3)).toThrow(/row 3, parameter CL: its expression takes a power of WT, so WT must be > 0 .*\(got WT = 0\)/);
    expect(m.evaluate({ WT: 35 }).values.CL).toBeCloseTo(5 * 0.5 ** 0.75, 14);
  });
});

describe('which uses of a data item are checked', () => {
  const uses = (exprs: Record<string, string>, items: string[]) =>
    positiveInputs(new Map(Object.entries(exprs).map(([k, v]) => [k, parseExpression(v, k)])), new Set(items)).map((p) => `${p.parameter} ${p.use} ${p.input}`);

  it('divisor, power base, log and square root arguments: as a factor, also through another parameter', () => {
    expect(uses({ A: 'TV / WT', B: 'TV * (WT/70)^0.75 * exp(E)', C: 'log(CRCL / 100)', D: 'sqrt(2 * BSA)', RF: 'CRCL / 120', CL: '4 * RF^0.8', P: 'pow(WT, 2)', Q: 'TV / (WT * exp(E))' }, ['WT', 'CRCL', 'BSA'])).toEqual([
      'A divides by WT',
      'B takes a power of WT',
      'C takes the log of CRCL',
      'D takes the square root of BSA',
      'CL takes a power of CRCL',
      'P takes a power of WT',
      'Q divides by WT',
    ]);
  });

  it('not checked: sums (AGE − 40 may be 0), exponents (θ^DIAL), a branch that guards, a factor of a product', () => {
    expect(uses({ A: 'TV * (1 + 0.01 * (AGE - 40))', B: 'TV * (AGE - 40)^2', C: 'TV * DIALF^DIAL', D: 'CRCL > 0 ? TV / CRCL : 0', E: 'TV * WT / 70' }, ['AGE', 'DIAL', 'CRCL', 'WT'])).toEqual([]);
  });
});

describe('CL = 0 and KA = 0 given as such stay valid; V = 0 never is', () => {
  const recs = regimen().dose({ time: 0, amt: 500 }).observe({ times: [1, 5, 24] }).records();
  const obs = (m: ReturnType<typeof builtinModel>) => [...simulate(m, recs).ipred].filter((_, i) => recs[i]?.EVID === 0);

  it('CL = 0 (no elimination): the concentration stays at dose / V', () => {
    for (const c of obs(builtinModel('1cmt-iv', { CL: 0, V: 40 }))) expect(Math.abs(c / (500 / 40) - 1)).toBeLessThan(1e-14);
  });

  it('KA = 0 (nothing absorbed): the concentration stays 0', () => {
    expect(obs(builtinModel('1cmt-oral', { CL: 4, V: 40, KA: 0 }))).toEqual([0, 0, 0]);
  });

  it('V = 0 or V < 0: refused naming V', () => {
    expect(() => simulate(builtinModel('1cmt-iv', { CL: 4, V: 0 }), recs)).toThrow(/parameter V: must be > 0 \(got 0\)/);
    expect(() => simulate(builtinModel('1cmt-iv', { CL: 4, V: -1 }), recs)).toThrow(/parameter V: must be > 0 \(got -1\)/);
  });

  it('CL < 0: refused naming CL', () => {
    expect(() => simulate(builtinModel('1cmt-iv', { CL: -1, V: 40 }), recs)).toThrow(/parameter CL: must be ≥ 0 \(got -1\)/);
  });
});

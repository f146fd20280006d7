// S<n> of the compartment a text's `observe` measures, and which compartment that is.
//
// A record naming the observed compartment reads `observe`; one naming another compartment n reads
// A(n)/S<n>, as NONMEM reads it. An S2 written for the observed compartment was ignored without a
// word: S2 = V * 1000 beside observe = CENT / V gave a CMT-2 level 8.1873 (A2/V), where NONMEM's
// A(2)/S2 is 0.0081873. A model file refuses a scale given both ways when they differ; a text now
// does too. The observed compartment was the first one `observe` happened to read, so swapping the
// terms of a sum changed what a record naming a compartment measured. References: closed forms,
// and for the two-compartment model scipy.linalg.expm (scipy 1.17.1) at the time of writing.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileModelText } from '../../../src/model/text/index.js';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { simulate } from '../../../src/engine/simulate.js';
import { DosewiseError } from '../../../src/errors.js';
import { cli } from '../cli/run-cli.js';

/** 100 into CENT (CMT 2) at 0, k = CL/V = 0.2 /h: A2(1) = 100·e^(−0.2) = 81.873. */
const oneCmt = (scale: string, observe = 'CENT / V'): string => `theta CL = 2, V = 10\ncompartment DEPOT, CENT\n${scale}\nd/dt(DEPOT) = -DEPOT\nd/dt(CENT) = DEPOT - CL / V * CENT\nobserve = ${observe}\n`;
const cmt2 = readNmtran('ID,TIME,EVID,AMT,CMT,DV,MDV\n1,0,1,100,2,.,1\n1,1,0,.,2,.,0\n1,1,0,.,.,.,0\n', { file: 'd.csv' }).records;
const a2 = 100 * Math.exp(-0.2);

const dir = mkdtempSync(join(tmpdir(), 'dosewise-observe-scale-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const refusal = (text: string, file = 's.model'): DosewiseError => {
  try {
    compileModelText(text, file);
  } catch (e) {
    return e as DosewiseError;
  }
  throw new Error('not refused');
};

describe('S<n> of the observed compartment in a model text', () => {
  it('is refused beside an observe that measures it otherwise, naming both lines (it was ignored: 8.1873 for A(2)/S2 = 0.0081873)', () => {
    const e = refusal(oneCmt('S2 = V * 1000'), 's2.model');
    expect(e.code).toBe('E_MODEL_TEXT');
    expect(e.place).toMatchObject({ file: 's2.model', line: 3, col: 1 });
    expect(e.message).toMatch(/^s2\.model:3:1: S2 scales the levels of compartment 2 \(CENT\), which observe on line 6 measures, and the two differ: .*drop S2, or write observe = CENT \/ S2/);
    // the first output is the observation: the same refusal names it
    const out = refusal(oneCmt('S2 = V * 1000', 'x').replace('observe = x', 'output 1 = CENT / V\nresidual(1) proportional 0.1'));
    expect(out.message).toMatch(/^s\.model:3:1: S2 scales .* which output 1 on line 6 measures.* write output 1 = CENT \/ S2/);
    // an amount observed as such with a scale other than 1; a scale beside an observation that is not an amount over a scale
    expect(refusal(oneCmt('S2 = 2', 'CENT')).message).toMatch(/^s\.model:3:1: S2 scales/);
    // (observe reads DEPOT and CENT: DEPOT, first in the compartment line, is the observed one)
    expect(refusal(oneCmt('S1 = 1', 'CENT / V + DEPOT')).message).toMatch(/^s\.model:3:1: S1 scales the levels of compartment 1 \(DEPOT\)/);
  });

  it('the CLI exits 1 with the refusal (it printed 8.187307531 for the CMT-2 level)', async () => {
    writeFileSync(join(dir, 's2.model'), oneCmt('S2 = V * 1000'));
    writeFileSync(join(dir, 's2.csv'), 'ID,TIME,EVID,AMT,CMT,DV,MDV\n1,0,1,100,2,.,1\n1,1,0,.,2,.,0\n');
    const r = await cli(['simulate', '--model', join(dir, 's2.model'), '--data', join(dir, 's2.csv')]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/s2\.model:3:1: S2 scales the levels of compartment 2 \(CENT\), which observe on line 6 measures/);
  });

  it('is taken where the two agree, or where observe reads S<n> itself: A(2)/S2 = 100·e^(−0.2)/10000', () => {
    for (const [scale, observe] of [
      ['S2 = V', 'CENT / V'],
      ['S2 = V', 'C'], // through an intermediate C = CENT / V, as the README's TMDD example observes
      ['VV = V * 1000\nS2 = V * 1000', 'CENT / VV'], // the same scale through a name
      ['S2 = 1', 'CENT'],
    ] as const) {
      const text = oneCmt(observe === 'C' ? `${scale}\nC = CENT / V` : scale, observe);
      expect(compileModelText(text).model.warnings, `${scale} / ${observe}`).toEqual([]);
      const sim = simulate(defineModel({ dosewise: 'text', text }), cmt2);
      const want = observe === 'CENT' ? a2 : observe === 'CENT / VV' ? a2 / 10000 : a2 / 10;
      for (const i of [1, 2]) expect(Math.abs((sim.ipred[i] as number) / want - 1), `${scale} / ${observe}`).toBeLessThan(1e-13); // measured ≤ 2.2e-16 (linear: propagated exactly)
    }
    // observe = CENT / S2: the NONMEM reading, 0.0081873 at 1 h, on CMT 2 and CMT 0 rows alike
    const text = oneCmt('S2 = V * 1000', 'CENT / S2');
    const sim = simulate(defineModel({ dosewise: 'text', text }), cmt2);
    for (const i of [1, 2]) expect(Math.abs((sim.ipred[i] as number) / (a2 / 10000) - 1)).toBeLessThan(1e-13); // measured 2.2e-16
  });

  it('S<n> of another compartment scales its records; one that names no compartment is said to be unused (it passed in silence)', () => {
    const w = compileModelText(oneCmt('S1 = 4\nS3 = 5\nS0 = 2\nS02 = 3'), 'w.model').model.warnings;
    expect(w).toHaveLength(3);
    expect(w[0]).toMatch(/^w\.model:4:1: warning: S3 is defined but never used: S<n> scales the levels of compartment n, .* the compartments are 1 to 2 \(DEPOT, CENT\)/);
    expect(w[1]).toMatch(/^w\.model:5:1: warning: S0 is defined but never used/);
    expect(w[2]).toMatch(/^w\.model:6:1: warning: S02 is defined but never used/);
    const data = readNmtran('ID,TIME,EVID,AMT,CMT,DV,MDV\n1,0,1,100,1,.,1\n1,1,0,.,1,.,0\n', { file: 'd.csv' }).records;
    const sim = simulate(defineModel({ dosewise: 'text', text: oneCmt('S1 = 4') }), data);
    // DEPOT = 100·e^(−1), over S1 = 4
    expect(Math.abs((sim.ipred[1] as number) / ((100 * Math.exp(-1)) / 4) - 1)).toBeLessThan(1e-13); // measured 0
  });
});

describe('the observed compartment of an observe that reads several', () => {
  // CL 2, V 10, Q 1, V2 20, 100 into CENT at 0; at 1 h (scipy expm): A1 74.28356066331074,
  // A2 8.423456315494112, A2/V2 + A1/V 7.84952888210578
  const two = (observe: string): string => `theta CL = 2, V = 10, Q = 1, V2 = 20\ncompartment CENT, PERI\nd/dt(CENT) = -CL / V * CENT - Q / V * CENT + Q / V2 * PERI\nd/dt(PERI) = Q / V * CENT - Q / V2 * PERI\nobserve = ${observe}\n`;
  const data = readNmtran('ID,TIME,EVID,AMT,CMT,DV,MDV\n1,0,1,100,1,.,1\n1,1,0,.,.,.,0\n1,1,0,.,1,.,0\n1,1,0,.,2,.,0\n', { file: 's3.csv' }).records;

  it('is the first of them in the compartment line, whatever the order of the terms (PERI / V2 + CENT / V made CMT 2 read the total 7.8495, CENT / V + PERI / V2 its amount 8.4235)', () => {
    const a = defineModel({ dosewise: 'text', text: two('PERI / V2 + CENT / V') });
    const b = defineModel({ dosewise: 'text', text: two('CENT / V + PERI / V2') });
    expect(a.observeCompartment).toBe(1);
    expect(b.observeCompartment).toBe(1);
    // through an intermediate too
    expect(defineModel({ dosewise: 'text', text: two('X').replace('observe = X', 'X = PERI / V2 + CENT / V\nobserve = X') }).observeCompartment).toBe(1);
    const want = [7.84952888210578, 7.84952888210578, 8.423456315494112];
    for (const m of [a, b]) {
      const sim = simulate(m, data);
      // CMT 0 and CMT 1 read observe; CMT 2, another compartment without S2, its amount
      for (let i = 0; i < 3; i++) expect(Math.abs((sim.ipred[i + 1] as number) / (want[i] as number) - 1)).toBeLessThan(1e-13); // measured ≤ 2.2e-16
    }
  });
});

describe('an S<n> equal to observe but written otherwise', () => {
  it('is accepted: 1000 * CENT / V beside S2 = V / 1000 (NONMEM\'s mg / ng/mL idiom was refused as "the two differ"), CENT * (1 / V) beside S2 = V, CENT / V beside S2 = V * 1', () => {
    for (const [scale, observe] of [['S2 = V / 1000', '1000 * CENT / V'], ['S2 = V / 1000', 'CENT / V * 1000'], ['S2 = V', 'CENT * (1 / V)'], ['S2 = V * 1', 'CENT / V']] as const)
      expect(() => compileModelText(oneCmt(scale, observe), 's.model'), `${scale} / ${observe}`).not.toThrow();
    // a CMT-2 level reads A(2)/S2 = observe: 100·e^(−0.2)·1000/10
    const m = defineModel({ dosewise: 'text', text: oneCmt('S2 = V / 1000', '1000 * CENT / V') });
    const ip = simulate(m, cmt2).ipred;
    expect(Math.abs((ip[1] as number) / ((a2 * 1000) / 10) - 1)).toBeLessThan(1e-13);
  });

  it('a scale that differs by value is still refused (V / 100 beside 1000 * CENT / V)', () => {
    expect(refusal(oneCmt('S2 = V / 100', '1000 * CENT / V')).message).toMatch(/S2 scales .* and the two differ/);
  });
});

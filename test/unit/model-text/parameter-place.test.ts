// A per-record parameter of a model text that is not a finite number (LB = log(B) with B = -2,
// FF = exp(K) with K = 800, lag(A) = -1) was refused as "row 1, parameter LB: must be a finite
// number (got NaN)" or "parameter lag of compartment 1: …", naming neither its line nor the values
// it read, where init() gave both ("parameter init(A) (m.model:3:11): … (got NaN, from …)").
// Now every one names its place, as written, and the values it read (θ included).

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { simulate } from '../../../src/engine/simulate.js';

const data = readNmtran('ID,TIME,EVID,AMT,CMT,DV,MDV,WT\n1,0,1,100,1,.,1,-70\n1,1,0,.,1,5,0,-70\n').records;
const refusal = (text: string): string => {
  try {
    simulate(defineModel({ dosewise: 'text', text, file: 'm.model' }), data, { file: 'd.csv' });
  } catch (e) {
    return (e as Error).message.replace(/\s+/g, ' ');
  }
  return '';
};

describe('a per-record parameter of a model text that is not a finite number', () => {
  it('log of a negative θ: the parameter, its place and the θ it read', () => {
    const m = refusal('theta K = 0.1, V = 10, B = -2\ncompartment A\nLB = log(B)\nd/dt(A) = -K * LB * A\nobserve = A / V\n');
    expect(m).toContain('d.csv: row 1, parameter LB (m.model:3:6): must be a finite number');
    expect(m).toContain('got NaN, from B = -2');
  });

  it('exp overflowing: Infinity, its place and the θ', () => {
    const m = refusal('theta K = 800, V = 10\ncompartment A\nFF = exp(K)\nd/dt(A) = -A / FF\nobserve = A / V\n');
    expect(m).toContain('parameter FF (m.model:3:6): must be a finite number');
    expect(m).toContain('got Infinity, from K = 800');
  });

  it('through an intermediate: the intermediate and its value are named too', () => {
    const m = refusal('theta K = 0.1, V = 10, B = -2\ncompartment A\nLB = log(B)\nK2 = K * LB\nd/dt(A) = -K2 * A\nobserve = A / V\n');
    expect(m).toContain('parameter K2 (m.model:4:8)');
    expect(m).toMatch(/got NaN, from .*B = -2/);
    expect(m).toMatch(/LB = NaN \(m\.model:3:6\)/);
  });

  it('a covariate read: its value as before', () => {
    const m = refusal('theta K = 0.1, V = 10\ncovariate WT = 70\ncompartment A\nLW = sqrt(WT)\nd/dt(A) = -K * LW * A\nobserve = A / V\n');
    expect(m).toContain('WT = -70');
  });

  it('a lag below zero: lag(A), its place and the values it read', () => {
    const m = refusal('theta K = 0.1, V = 10, L = 1\ncompartment A\nlag(A) = 0 - L\nd/dt(A) = -K * A\nobserve = A / V\n');
    expect(m).toContain('parameter lag(A) (m.model:3:12): must be a finite number ≥ 0');
    expect(m).toContain('got -1, from L = 1');
  });

  it('a constant lag below zero and F written as F: the statement as written', () => {
    expect(refusal('theta K = 0.1, V = 10\ncompartment A\nlag(A) = -1\nd/dt(A) = -K * A\nobserve = A / V\n')).toContain('parameter lag(A) (m.model:3:1)');
    expect(refusal('theta K = 0.1, V = 10, G = 800\ncompartment A\nF(A) = exp(G)\nd/dt(A) = -K * A\nobserve = A / V\n')).toContain('parameter F(A) (m.model:3:8): must be a finite number ≥ 0 (got Infinity, from G = 800)');
  });
});

// NONMEM data items dosewise does not read the way NONMEM does are refused or warned about, never
// taken as something else: PCMT (the compartment a dose or other-type record reports), a
// steady-state constant infusion in a data set without EVID, and a level marked MDV 0 whose DV is
// missing.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../src/model/model.js';
import { readNmtran } from '../../src/regimen/nmtran.js';
import { simulate } from '../../src/engine/simulate.js';
import { estimate } from '../../src/bayes/estimate.js';

const oral = (eta = false) =>
  defineModel({
    dosewise: 2,
    name: 'oral',
    structure: { kind: 'linear', compartments: 1, depot: true },
    parameters: eta ? { CL: '1.1*exp(ETA_CL)', V: '20*exp(ETA_V)', KA: 1.5 } : { CL: 1.1, V: 20, KA: 1.5 },
    observe: { compartment: 2, scale: 'V' },
    ...(eta ? { omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.1, 0.1] }, residual: { model: 'proportional', proportional: 0.1 } } : {}),
  });

describe('PCMT', () => {
  it('a PCMT of another compartment on a dose or EVID 2 record is refused, naming the row (it reported the central level, 2.598, where NONMEM reports A1 = 47.24)', () => {
    const d = readNmtran('ID,TIME,EVID,AMT,CMT,DV,MDV,PCMT\n1,0,1,100,1,.,1,1\n1,0.5,2,0,.,.,1,1\n', { file: 'p.csv' });
    expect(() => simulate(oral(), d.records, { file: 'p.csv' })).toThrow(/p\.csv, row 1, column PCMT.*does not read PCMT/);
  });

  it('PCMT 0, blank or the observed compartment changes nothing and runs', async () => {
    const d = readNmtran('ID,TIME,EVID,AMT,CMT,DV,MDV,PCMT\n1,0,1,100,1,.,1,2\n1,0.5,2,0,.,.,1,0\n1,1,0,.,2,.,0,.\n');
    const r = await simulate(oral(), d.records);
    // closed form of the one-compartment oral model at 1 h: F·D·KA/(V(KA − k))·(e^−kt − e^−KA·t)
    const k = 1.1 / 20;
    const c1 = ((100 * 1.5) / (20 * (1.5 - k))) * (Math.exp(-k) - Math.exp(-1.5));
    expect(Math.abs((r.ipred[2] as number) / c1 - 1)).toBeLessThan(1e-12);
  });
});

describe('no EVID column', () => {
  it('a steady-state constant infusion (AMT 0, RATE 5, SS 1) is refused as needing EVID 1, not called an observation', () => {
    expect(() => readNmtran('ID,TIME,AMT,RATE,SS,II,CMT,DV,MDV\n1,0,0,5,1,0,2,.,1\n1,1,.,.,.,.,2,.,0\n', { file: 'ne.csv' })).toThrow(/ne\.csv, row 1, column RATE: the data have no EVID.*EVID 1/);
  });

  it('doses with AMT and observations still need no EVID', () => {
    const d = readNmtran('ID,TIME,AMT,CMT,DV,MDV\n1,0,100,1,.,1\n1,1,.,2,3,0\n');
    expect(d.records.map((r) => r.EVID)).toEqual([1, 0]);
  });
});

describe('MDV 0 with DV missing', () => {
  it('is warned about, naming the row (dosewise fits nothing there, NONMEM would fit a level of 0)', () => {
    const d = readNmtran('ID,TIME,EVID,AMT,CMT,DV,MDV\n1,0,1,100,1,.,1\n1,1,0,.,2,3.0,0\n1,5,0,.,2,.,0\n1,8,0,.,2,2.0,0\n');
    const w = estimate(oral(true), d.records).warnings.filter((x) => x.code === 'W_LEVEL_MISSING');
    expect(w).toHaveLength(1);
    expect(w[0]?.message).toMatch(/^row 3: MDV 0/);
  });

  it('a BLQ sample with DV blank is fitted against its limit (M3): no warning (it said "not fitted")', () => {
    const d = readNmtran('ID,TIME,EVID,AMT,CMT,DV,MDV,BLQ,LLOQ\n1,0,1,100,1,.,1,0,.\n1,1,0,.,2,3.0,0,0,.\n1,8,0,.,2,2.0,0,0,.\n1,47.5,0,.,2,.,0,1,0.5\n');
    expect(estimate(oral(true), d.records).warnings.filter((x) => x.code === 'W_LEVEL_MISSING')).toEqual([]);
  });

  it('a planned sample (MDV blank or 1) is no contradiction', () => {
    const d = readNmtran('ID,TIME,EVID,AMT,CMT,DV,MDV\n1,0,1,100,1,.,1\n1,1,0,.,2,3.0,0\n1,5,0,.,2,.,.\n1,6,0,.,2,.,1\n1,8,0,.,2,2.0,0\n');
    expect(estimate(oral(true), d.records).warnings.filter((x) => x.code === 'W_LEVEL_MISSING')).toEqual([]);
  });
});

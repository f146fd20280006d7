// Covariate items of population regimens (after cc435fc): a covariate without a default given from
// the first dose on was refused on the levels before it (JSON: "model covariates.CRCL: … neither
// samples it nor has it in the regimen"; CSV: "row 1, parameter CRCL: … (got NaN)") where simulate
// ran the CSV; a blank DIAL there warned "DIAL changes over the records (missing on row 1, …)"
// ("NaN on row 1" from a CSV); an item a dose modifier reads ({"FRAC": 0.5} on the first of two
// doses) was carried to the second, halving both (conc@24 5.295 for 9.124); and a SEX drawn as 9
// or 2 was refused where the call recodes it before crcl_cg.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './cli/run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-items-carry-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const file = (name: string, content: unknown): string => {
  const p = join(tmp, `${Math.random().toString(36).slice(2)}-${name}`);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
};
const rel = (a: number, b: number): number => Math.abs(a / b - 1);
const quiet = ['--workers', '0', '--no-progress', '--json'];

async function population(model: string, regimen: string, metric: string, extra: string[] = []): Promise<{ code: number; err: string; mean?: number }> {
  const r = await cli(['population', '--model', model, '--regimen', regimen, '--n', '1', '--metric', metric, ...quiet, ...extra]);
  if (r.code !== 0) return { code: r.code, err: r.err };
  return { code: 0, err: r.err, mean: (JSON.parse(r.out) as { metrics: { report: { mean: number } }[] }).metrics[0]?.report.mean };
}

// one compartment, V = 50 L, no random effects. CRCL has no default: CL = 4 L/h · CRCL / 60.
// DIAL has one: CL halved on dialysis. FRAC is the bioavailability (a dose modifier), default 1.
const model = file('crcl.json', {
  dosewise: 1,
  name: 'crcl1',
  structure: { kind: 'linear', compartments: 1, depot: false },
  theta: { TVCL: 4, TVV: 50 },
  covariates: { CRCL: { unit: 'mL/min' }, DIAL: { default: 0, unit: '0/1' }, FRAC: { default: 1, unit: '1' } },
  parameters: { CL: { expr: 'TVCL * CRCL / 60 * (1 - 0.5 * DIAL)' }, V: { expr: 'TVV' }, FB: { expr: 'FRAC' } },
  compartments: { '1': { bioavailability: 'FB' } },
  residual: { model: 'additive', additive: 0.1 },
  observe: { compartment: 1 },
});

describe('a covariate given from the first dose on, blank on the levels before it (F5, F6)', () => {
  // 1000 mg at 24 h, CRCL 60 (CL 4, k 0.08), levels from 0 h: python3 20*math.exp(-0.08*12) = 7.657857719502241
  const C36 = 7.657857719502241;
  const grid = { grid: { from: 0, to: 36, step: 1 } };

  it('population runs a JSON whose dose alone gives CRCL (no default), without a warning', async () => {
    const r = await population(model, file('r.json', { doses: [{ time: 24, amt: 1000, items: { CRCL: 60 } }], observe: [grid] }), 'conc@36');
    expect(r.code, r.err).toBe(0);
    expect(rel(r.mean as number, C36)).toBeLessThan(1e-14);
    expect(r.err).not.toMatch(/changes over the records/);
  });

  it('population runs the same as a CSV with CRCL and DIAL blank before the dose, as simulate does, with no "DIAL changes" warning', async () => {
    const H = 'ID,TIME,AMT,CMT,EVID,MDV,DV,CRCL,DIAL';
    const rows = [H, ...Array.from({ length: 24 }, (_, t) => `1,${t},.,1,0,0,.,,`), '1,24,1000,1,1,1,.,60,1', '1,36,.,1,0,0,.,60,1'];
    const csv = file('r.csv', rows.join('\n') + '\n');
    // on dialysis (CL 2, k 0.04): python3 20*math.exp(-0.04*12) = 12.375667836122817
    const pop = await population(model, csv, 'conc@36');
    expect(pop.code, pop.err).toBe(0);
    expect(rel(pop.mean as number, 12.375667836122817)).toBeLessThan(1e-14);
    expect(pop.err).not.toMatch(/changes over the records|NaN/);
    const sim = await cli(['simulate', '--model', model, '--data', csv]);
    expect(sim.code, sim.err).toBe(0);
    const last = sim.out.trim().split('\n').at(-1) as string;
    const ipred = Number(last.split(',')[sim.out.split('\n')[0]?.split(',').indexOf('IPRED') as number]);
    expect(rel(ipred, 12.375667836122817)).toBeLessThan(1e-9);
  });

  it('a JSON whose DIAL changes is still warned about, naming JSON places, not rows', async () => {
    const r = await population(model, file('r.json', {
      doses: [{ time: 0, amt: 1000, items: { CRCL: 60, DIAL: 0 } }, { time: 24, amt: 1000, items: { CRCL: 60, DIAL: 1 } }],
      observe: [{ times: [12], items: { DIAL: 0 } }, { times: [36], items: { DIAL: 1 } }],
    }), 'conc@36');
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/regimen: DIAL changes over the records \(0 on doses\.0, 1 on doses\.1\)/);
  });

  it('Goti 2018 vancomycin: a dose at 24 h giving CRCL, WT and DIAL over a grid from 0 h runs as the grid with them does', async () => {
    const dose = { time: 24, amt: 1000, cmt: 1, dur: 1, ii: 12, addl: 3, items: { CRCL: 60, WT: 70, DIAL: 1 } };
    const run = (observe: unknown) => population('vancomycin_goti_2018', file('g.json', { doses: [dose], observe: [observe] }), 'auc24', ['--seed', '3']);
    const bare = await run({ grid: { from: 0, to: 72, step: 0.5 } });
    const full = await run({ grid: { from: 0, to: 72, step: 0.5 }, items: { CRCL: 60, WT: 70, DIAL: 1 } });
    expect(bare.code, bare.err).toBe(0);
    expect(bare.err).not.toMatch(/changes over the records/);
    expect(bare.mean).toBe(full.mean);
  });
});

describe('an item a dose modifier reads is the dose\'s own (F7)', () => {
  const obs = { times: [24] };
  it('is not carried to another dose: the dose without it is refused by its JSON path (both were halved: 5.294998)', async () => {
    const r = await population(model, file('f.json', { doses: [{ time: 0, amt: 1000, items: { CRCL: 60, FRAC: 0.5 } }, { time: 12, amt: 1000 }], observe: [obs] }), 'conc@24');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/\.json, doses\.1\.items\.FRAC: doses\.0\.items\.FRAC is 0\.5, but doses\.1 gives no FRAC, where model crcl1 would use its default 1; give FRAC in the items of doses\.1 \(a dose modifier reads FRAC: each dose has its own value/);
  });

  it('given on each dose, each dose takes its own; one value on every dose is carried to the levels', async () => {
    // k 0.08, V 50: python3 10*math.exp(-1.92) + 20*math.exp(-0.96) = 9.123927340805743
    const own = await population(model, file('f.json', { doses: [{ time: 0, amt: 1000, items: { CRCL: 60, FRAC: 0.5 } }, { time: 12, amt: 1000, items: { FRAC: 1 } }], observe: [{ times: [24], items: { FRAC: 1 } }] }), 'conc@24');
    expect(own.code, own.err).toBe(0);
    expect(rel(own.mean as number, 9.123927340805743)).toBeLessThan(1e-14);
    // python3 10*math.exp(-1.92) + 10*math.exp(-0.96) = 5.294998481054622
    const both = await population(model, file('f.json', { doses: [{ time: 0, amt: 1000, items: { CRCL: 60, FRAC: 0.5 } }, { time: 12, amt: 1000, items: { FRAC: 0.5 } }], observe: [obs] }), 'conc@24');
    expect(both.code, both.err).toBe(0);
    expect(rel(both.mean as number, 5.294998481054622)).toBeLessThan(1e-14);
  });
});

describe('a SEX drawn with a value the call recodes before crcl_cg (F4)', () => {
  const base = JSON.parse(readFileSync('examples/design-vancomycin-covariates.json', 'utf8')) as { covariates: Record<string, unknown> };
  const spec = (values: number[], crcl: string): string =>
    file('cov.json', { covariates: { ...base.covariates, SEX: { dist: 'categorical', values, p: [0.4, 0.4, 0.2] }, CRCL: { derived: crcl, unit: 'mL/min' } } });
  const run = (cov: string) => cli(['population', '--model', 'vancomycin_goti_2018', '--covariates', cov, '--regimen', 'examples/design-vancomycin-q12h-1000.json', '--metric', 'auc24', '--n', '50', '--seed', '5', ...quiet]);
  const mean = (out: string): number => (JSON.parse(out) as { metrics: { report: { mean: number } }[] }).metrics[0]?.report.mean as number;

  it('runs where the call maps 9 or 2 to 0, as a computed recoding does (the same draws: equal means)', async () => {
    for (const [values, call] of [
      [[0, 1, 9], 'crcl_cg(SCR, AGE, WT, SEX == 9 ? 0 : SEX)'],
      [[0, 1, 2], 'crcl_cg(SCR, AGE, WT, SEX > 1 ? 0 : SEX)'],
    ] as const) {
      const r = await run(spec([...values], call));
      expect(r.code, `${call}: ${r.err}`).toBe(0);
      // SEX == 1 ? 1 : 0 computes, so it was never checked: the reference of 1 male, anything else female
      const female = await run(spec([...values], 'crcl_cg(SCR, AGE, WT, SEX == 1 ? 1 : 0)'));
      expect(female.code, female.err).toBe(0);
      expect(mean(r.out)).toBe(mean(female.out));
    }
  });

  it('min(SEX, 1) with a 2 drawn passes 1 (male): runs, as SEX >= 1 ? 1 : 0 does', async () => {
    const r = await run(spec([0, 1, 2], 'crcl_cg(SCR, AGE, WT, min(SEX, 1))'));
    const male = await run(spec([0, 1, 2], 'crcl_cg(SCR, AGE, WT, SEX >= 1 ? 1 : 0)'));
    expect(r.code, r.err).toBe(0);
    expect(mean(r.out)).toBe(mean(male.out));
  });

  it('is still refused where the value reaches the call unchanged (a branch on another covariate)', async () => {
    const r = await run(spec([0, 1, 2], 'crcl_cg(SCR, AGE, WT, AGE > 0 ? SEX : 0)'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/covariates\.SEX\.values\[2\]: SEX is drawn as 2 \(p 0\.2\)/);
  });
});

describe('an item a dose modifier reads and the kernel reads too (tacrolimus CYP3A5, a food flag in F and KA)', () => {
  // carried as the subject's, a food flag in F and KA given on the fed first dose only ran every
  // later dose fed (AUC12–24 134.0 for the 118.4 of a fasted second dose, scipy), exit 0; a genotype
  // cannot be told from it, so both stay each dose's own, refused with where a subject's value goes
  const tac = 'models/tacrolimus_storset_2014.json';
  const subject = { WT: 70, HT: 1.75, FEMALE: 0 };
  const regimenWith = (every: boolean): unknown => ({
    doses: [
      { time: 0, amt: 5, cmt: 1, items: { ...subject, CYP3A5: 1, OCC: 1, FirstDay: 1 } },
      { time: 12, amt: 5, cmt: 1, items: { ...(every ? { CYP3A5: 1 } : {}), OCC: 1, FirstDay: 1 } },
      { time: 24, amt: 5, cmt: 1, addl: 3, ii: 12, items: { ...(every ? { CYP3A5: 1 } : {}), OCC: 2, FirstDay: 0 } },
    ],
    observe: [{ times: [12, 24], items: { OCC: 1, FirstDay: 1 } }, { grid: { from: 25, to: 72, step: 1 }, items: { OCC: 2, FirstDay: 0 } }],
  });

  it('refuses CYP3A5 given once on doses.0, saying a subject\'s value goes on every dose or in the covariate file; given on every dose it runs', async () => {
    const once = await population(tac, file('once.json', regimenWith(false)), 'auc:24:72');
    expect(once.code).not.toBe(0);
    expect(once.err).toMatch(/doses\.1\.items\.CYP3A5: .*a dose modifier reads CYP3A5: each dose has its own value, never carried from another dose; a value of the subject, such as a genotype, goes on every dose or in the covariate file/);
    const every = await population(tac, file('every.json', regimenWith(true)), 'auc:24:72');
    expect(every.code, every.err).toBe(0);
  });

  it('refuses a food flag read by F and KA given on the first dose only (it was carried: every dose fed)', async () => {
    const food = file('food.model', 'model "food"\ntheta TVCL = 5, TVV = 50\ncovariate FOOD = 0\nresidual additive 0.1\ncompartment DEPOT, CENT\nKA = 1 + FOOD\nCL = TVCL\nV = TVV\nF(DEPOT) = 0.6 + 0.3 * FOOD\nd/dt(DEPOT) = -KA * DEPOT\nd/dt(CENT) = KA * DEPOT - CL / V * CENT\nobserve = CENT / V\n');
    const r = await population(food, file('fed.json', { doses: [{ time: 0, amt: 1000, items: { FOOD: 1 } }, { time: 12, amt: 1000 }], observe: [{ times: [24] }] }), 'conc@24');
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/doses\.1\.items\.FOOD: doses\.0\.items\.FOOD is 1, but doses\.1 gives no FOOD/);
  });

  it('keeps FRAC, read by F alone, the dose\'s own (its refusal stands), in a model text too', async () => {
    const text = file('frac.model', 'model "frac text"\ntheta TVCL = 4, TVV = 50\ncovariate FRAC = 1\ncovariate CRCL\nresidual additive 0.1\ncompartment CENT\nCL = TVCL * CRCL / 60\nV = TVV\nF(CENT) = FRAC\nd/dt(CENT) = -CL / V * CENT\nobserve = CENT / V\n');
    const t = await population(text, file('f.json', { doses: [{ time: 0, amt: 1000, items: { CRCL: 60, FRAC: 0.5 } }, { time: 12, amt: 1000 }], observe: [{ times: [24] }] }), 'conc@24');
    expect(t.err).toMatch(/doses\.1\.items\.FRAC: doses\.0\.items\.FRAC is 0\.5, but doses\.1 gives no FRAC/);
  });
});

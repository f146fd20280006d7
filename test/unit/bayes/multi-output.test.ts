// A model with several measured quantities: parent and metabolite, each with its own residual
// error, selected per record by DVID (else CMT). MAP against an independent scipy fit in closed
// form (test/oracle/parent_metabolite.py), simulated observations per output, and refusals.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { recordFromItems } from '../../../src/regimen/nmtran.js';
import type { DataRecord } from '../../../src/regimen/record.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { mapObjective } from '../../../src/bayes/objective.js';
import { simulateReplicates } from '../../../src/replicate/run.js';

interface OraclePatient {
  id: number;
  records: Record<string, number | null>[];
  eta: number[];
  ofv: number;
  ipred: (number | null)[];
}
const oracle = JSON.parse(readFileSync('test/oracle/parent-metabolite.json', 'utf8')) as { patients: OraclePatient[] };
const model = defineModel(JSON.parse(readFileSync('examples/parent-metabolite/model.json', 'utf8')));
const recordsOf = (p: OraclePatient): DataRecord[] =>
  p.records.map((r, i) => recordFromItems(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v ?? NaN])), i + 1));

describe('several outputs (DVID)', () => {
  it('MAP equals the scipy fit: η within 1e-8 (measured 2.2e-9), OFV within 1e-12 (measured 3e-14)', () => {
    let worst = 0;
    for (const p of oracle.patients) {
      const fit = estimate(model, recordsOf(p));
      expect(fit.converged).toBe(true);
      fit.eta.forEach((e, i) => (worst = Math.max(worst, Math.abs(e - (p.eta[i] as number)))));
      expect(Math.abs(fit.ofv - p.ofv)).toBeLessThan(1e-12);
    }
    expect(worst).toBeLessThan(1e-8);
  });

  it('PK + Emax (concentration and response) MAP equals the scipy fit: η within 1e-6 (measured 1.9e-7)', () => {
    const pk = JSON.parse(readFileSync('test/oracle/pk-emax.json', 'utf8')) as { patients: OraclePatient[] };
    const pkpd = defineModel(JSON.parse(readFileSync('examples/pk-emax/model.json', 'utf8')));
    let worst = 0;
    let worstOfv = 0;
    for (const p of pk.patients) {
      const fit = estimate(pkpd, recordsOf(p));
      expect(fit.converged).toBe(true);
      fit.eta.forEach((e, i) => (worst = Math.max(worst, Math.abs(e - (p.eta[i] as number)))));
      worstOfv = Math.max(worstOfv, Math.abs(fit.ofv - p.ofv));
      // the response and the concentration, each from its output
      p.ipred.forEach((f, i) => f !== null && expect(Math.abs((mapObjective(pkpd, recordsOf(p)).predict(p.eta).ipred[i] as number) - f) / Math.abs(f)).toBeLessThan(1e-8));
    }
    console.info(`PK + Emax: worst |Δη| ${worst.toExponential(2)}, |ΔOFV| ${worstOfv.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-6);
    expect(worstOfv).toBeLessThan(1e-10); // measured 1.8e-11; η 1.9e-7 (ODE at rtol 1e-11, flat EC50 direction)
  });

  it("predicts each record from its output's compartment, scored with that output's residual error", () => {
    const p = oracle.patients[0] as OraclePatient;
    const obj = mapObjective(model, recordsOf(p));
    const pr = obj.predict(p.eta);
    p.ipred.forEach((f, i) => {
      if (f === null) return;
      expect(Math.abs((pr.ipred[i] as number) - f) / f).toBeLessThan(1e-12);
      const dvid = p.records[i]?.DVID;
      const expected = dvid === 1 ? (0.1 * f) ** 2 : 0.05 ** 2 + (0.12 * f) ** 2;
      expect(Math.abs((pr.variance[i] as number) - expected) / expected).toBeLessThan(1e-12);
    });
    expect(Math.abs(pr.ofv - p.ofv)).toBeLessThan(1e-9);
  });

  it('simulates DV per output: Y = F + √Var(F)·ε with the output’s residual error', async () => {
    const p = oracle.patients[1] as OraclePatient;
    const recs = recordsOf(p);
    const z: number[][] = [[], []];
    await simulateReplicates(model, recs, { replicates: 2000, seed: 3, workers: 0 }, (b) => {
      for (let k = 0; k < b.reps; k++)
        recs.forEach((r, j) => {
          if (r.EVID !== 0) return;
          const f = b.ipred[k * b.records + j] as number;
          const y = b.dv[k * b.records + j] as number;
          const sd = r.items.DVID === 1 ? 0.1 * f : Math.sqrt(0.05 ** 2 + (0.12 * f) ** 2);
          (z[(r.items.DVID as number) - 1] as number[]).push((y - f) / sd);
        });
    });
    for (const zs of z) {
      const m = zs.reduce((s, x) => s + x, 0) / zs.length;
      const v = zs.reduce((s, x) => s + (x - m) ** 2, 0) / (zs.length - 1);
      expect(Math.abs(m)).toBeLessThan(4 / Math.sqrt(zs.length));
      expect(Math.abs(v - 1)).toBeLessThan(4 * Math.sqrt(2 / zs.length));
    }
  });

  it('refuses a DVID the model does not have, and a DVID measured in another compartment than CMT', () => {
    const p = oracle.patients[0] as OraclePatient;
    const bad = p.records.map((r) => (r.EVID === 0 && r.DVID === 2 ? { ...r, DVID: 3 } : r));
    expect(() => mapObjective(model, bad.map((r, i) => recordFromItems(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v ?? NaN])), i + 1)))).toThrow(/DVID.*outputs are DVID 1, 2/);
    const wrong = p.records.map((r) => (r.EVID === 0 && r.DVID === 2 ? { ...r, CMT: 1 } : r));
    expect(() => mapObjective(model, wrong.map((r, i) => recordFromItems(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v ?? NaN])), i + 1)))).toThrow(/DVID 2 \(metabolite\) is measured in compartment 2: give CMT 2/);
    expect(() => defineModel({ ...JSON.parse(readFileSync('examples/parent-metabolite/model.json', 'utf8')), outputs: { '1': { compartment: 3, residual: { model: 'additive', additive: 1 } } } })).toThrow(/outputs.1.compartment/);
  });
});

describe('several outputs in reports', () => {
  it('draws one chart per output, each with its own levels', async () => {
    const { cli } = await import('../cli/run-cli.js');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { onTestFinished } = await import('vitest');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'dosewise-outputs-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const r = await cli(['forecast', '--model', 'examples/parent-metabolite/model.json', '--data', 'examples/parent-metabolite/patients.csv', '--id', '1', '--regimen', 'examples/parent-metabolite/future.json', '--draws', '200', '--report', join(dir, 'rep')]);
    expect(r.code, r.err).toBe(0);
    const html = readFileSync(join(dir, 'rep', 'report.html'), 'utf8');
    const charts = html.split('<svg').slice(1);
    const titled = (name: string): string => charts.find((c) => c.includes(`history and forecast — ${name}`)) as string;
    const levels = (oracle.patients[0] as OraclePatient).records.filter((x) => x.EVID === 0);
    expect((titled('parent').match(/class="dw-point"/g) ?? []).length).toBe(levels.filter((x) => x.DVID === 1).length);
    expect((titled('metabolite').match(/class="dw-point"/g) ?? []).length).toBe(levels.filter((x) => x.DVID === 2).length);
  });
});

describe('a NONMEM data set with DATE/TIME clock columns, several IDs, a covariate and DVID', () => {
  it('estimates every ID as the same data in hours does, and as the scipy fit', async () => {
    const { readNmtran } = await import('../../../src/regimen/nmtran.js');
    const { byId } = await import('../../../src/regimen/nmtran.js');
    const clock = byId(readNmtran(readFileSync('examples/parent-metabolite/patients-clock.csv', 'utf8')).records);
    expect([...clock.keys()]).toEqual([1, 2, 3]);
    for (const p of oracle.patients) {
      const recs = clock.get(p.id) as DataRecord[];
      expect(recs.map((r) => r.TIME)).toEqual(recordsOf(p).map((r) => r.TIME));
      const fit = estimate(model, recs);
      fit.eta.forEach((e, i) => expect(Math.abs(e - (p.eta[i] as number))).toBeLessThan(1e-8));
    }
  });
});

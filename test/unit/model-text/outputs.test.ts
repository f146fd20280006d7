// Outputs in model texts (`output DVID "name" unit "u" = expression`, `residual(DVID) ...`): the
// parent–metabolite model text gives the simulation, MAP η and objective of the equivalent model
// file (examples/parent-metabolite/model.json, itself checked against the scipy fit of
// test/oracle/parent_metabolite.py), records pick their output by DVID else CMT, and the text's
// mistakes are refused where they are written.

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileModel } from '../../../src/engine/model-text.js';
import { simulate } from '../../../src/engine/simulate.js';
import { defineModel, type Model } from '../../../src/model/model.js';
import { compileModelText } from '../../../src/model/text/index.js';
import { recordFromItems } from '../../../src/regimen/nmtran.js';
import type { DataRecord } from '../../../src/regimen/record.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { mapObjective } from '../../../src/bayes/objective.js';

interface OraclePatient {
  id: number;
  records: Record<string, number | null>[];
  eta: number[];
  ofv: number;
  ipred: (number | null)[];
}
const oracle = JSON.parse(readFileSync('test/oracle/parent-metabolite.json', 'utf8')) as { patients: OraclePatient[] };
const file = defineModel(JSON.parse(readFileSync('examples/parent-metabolite/model.json', 'utf8')));
const source = readFileSync('examples/parent-metabolite/model.model', 'utf8');
const recordsOf = (p: OraclePatient, edit: (r: Record<string, number | null>) => Record<string, number | null> = (r) => r): DataRecord[] =>
  p.records.map((r, i) => recordFromItems(Object.fromEntries(Object.entries(edit(r)).map(([k, v]) => [k, v ?? NaN])), i + 1));

let text: Model;
beforeAll(async () => {
  text = await compileModel(source, { file: 'model.model' });
}, 120_000);

describe('outputs in a model text', () => {
  it('declares the outputs of the model file: DVID, name, unit, compartment, residual error', () => {
    const byDvid = (m: Model) => [...(m.outputs?.values() ?? [])].sort((x, y) => x.dvid - y.dvid);
    expect(byDvid(text)).toEqual(byDvid(file));
    expect(text.observeCompartment).toBe(file.observeCompartment);
  });

  it('simulates as the model file does, every output and dose row (relative 1e-9, measured 3.3e-13)', () => {
    let worst = 0;
    for (const p of oracle.patients) {
      const recs = recordsOf(p, (r) => (r.EVID === 0 ? { ...r, DV: null, MDV: 1 } : r));
      const a = simulate(file, recs).ipred;
      const b = simulate(text, recs).ipred;
      for (let i = 0; i < a.length; i++) if (a[i] as number > 0) worst = Math.max(worst, Math.abs((b[i] as number) - (a[i] as number)) / (a[i] as number));
      const at = mapObjective(text, recordsOf(p)).predict(p.eta).ipred;
      p.ipred.forEach((f, i) => f !== null && expect(Math.abs((at[i] as number) - f) / f).toBeLessThan(1e-9));
    }
    console.info(`parent-metabolite text vs file: worst relative ipred difference ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-9);
  });

  it('MAP η and objective equal the model file and the scipy fit (η 1e-7, measured 6.3e-8; OFV 1e-11, measured 3.0e-12)', () => {
    let worstEta = 0;
    let worstOfv = 0;
    for (const p of oracle.patients) {
      const recs = recordsOf(p);
      const a = estimate(file, recs);
      const b = estimate(text, recs, { gtol: 1e-6 }); // the analytic models' default (ODE models: 1e-4)
      expect(b.converged).toBe(true);
      b.eta.forEach((e, i) => {
        worstEta = Math.max(worstEta, Math.abs(e - (a.eta[i] as number)), Math.abs(e - (p.eta[i] as number)));
      });
      worstOfv = Math.max(worstOfv, Math.abs(b.ofv - a.ofv), Math.abs(b.ofv - p.ofv));
      // the objective at the scipy η, through each record's output and residual error
      expect(Math.abs(mapObjective(text, recs).predict(p.eta).ofv - p.ofv)).toBeLessThan(1e-11);
    }
    console.info(`parent-metabolite text: worst |Δη| ${worstEta.toExponential(2)}, |ΔOFV| ${worstOfv.toExponential(2)}`);
    // the objective itself agrees to 1e-12 (above); η differ by the bias of the ODE path's
    // central-difference gradient (step 1e-4), as for every ODE model against an analytic one
    expect(worstEta).toBeLessThan(1e-7);
    expect(worstOfv).toBeLessThan(1e-11);
  });

  it('picks the output by DVID, else by CMT; refuses an unknown DVID naming the row', () => {
    const p = oracle.patients[0] as OraclePatient;
    const noDvid = recordsOf(p, (r) => ({ ...r, DVID: null }));
    expect(Math.abs(mapObjective(text, noDvid).predict(p.eta).ofv - p.ofv)).toBeLessThan(1e-9);
    expect(() => mapObjective(text, recordsOf(p, (r) => (r.EVID === 0 && r.DVID === 2 ? { ...r, DVID: 3 } : r)))).toThrow(/row 3.*DVID.*outputs are DVID 1, 2/);
    expect(() => mapObjective(text, recordsOf(p, (r) => (r.EVID === 0 && r.DVID === 2 ? { ...r, CMT: 1 } : r)))).toThrow(/DVID 2 \(metabolite\) is measured in compartment 2: give CMT 2/);
  });

  it('dosewise compile lists the outputs', async () => {
    const { cli } = await import('../cli/run-cli.js');
    const r = await cli(['compile', 'examples/parent-metabolite/model.model']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('outputs (DVID): 2 metabolite (METABOLITE, combined, mg/L); 1 parent (PARENT, proportional, mg/L); the first is what CMT 0 and dose rows show');
    expect(r.out).toContain('per record: KP, VP, CL, V, S1');
  });

  it('refuses mistakes where they are written', () => {
    const fails = (edit: (s: string) => string, why: RegExp): void => {
      expect(() => compileModelText(edit(source), 'pm.model')).toThrow(why);
    };
    fails((s) => s.replace('residual(2) combined additive = 0.05, proportional = 0.12', ''), /pm\.model:18:1: output 2 has no residual error: add residual\(2\)/);
    fails((s) => s.replace('residual(1)', 'residual(3)'), /residual\(3\): the model has no output 3 \(outputs: 2, 1\)/);
    fails((s) => s.replace('residual(1) proportional 0.1', 'residual proportional 0.1'), /with outputs, give each its own residual error/);
    fails((s) => s.replace('output 2 "metabolite"', 'output 1 "metabolite"'), /output 1 is already given on line 18/);
    fails((s) => s.replace('PARENT / VP            #', 'PARENT * VP            #'), /output 1 is not the first output, so it must be a compartment amount over a scale/);
    fails((s) => s.replace('PARENT / VP            #', 'PARENT / METABOLITE   #'), /the scale of output 1 \(what divides PARENT\) cannot read compartment amounts or t/);
    fails((s) => s.replace('PARENT / VP            #', 'METABOLITE / VP        #'), /outputs 2 and 1 measure the same compartment \(METABOLITE\)/);
    fails((s) => `${s}\nobserve = PARENT / VP\n`, /with outputs, drop observe/);
    fails((s) => `${s}\nS1 = VP\n`, /S1 is already defined on line 20/);
    fails((s) => s.replace('output 1 "parent"', 'output x "parent"'), /expected the DVID of the output/);
  });
});

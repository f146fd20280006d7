// estimateCohort() dropped every patient's warnings: a W-map patient whose 11.5-h level is 340
// (3.4 expected; a chart, imp.csv) was fitted at η (−6.79, −5.67), CL ≈ 0.0045 L/h, where
// estimate() warns W_LEVEL_IMPLAUSIBLE (|IWRES| 160.8) and W_ETA_FAR (ETA_CL −21.5 SD), and the
// cohort result had no `warnings` at all. Now each patient's warnings come back in patient order,
// the same inline and on a pool of workers, whatever the chunk size.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { estimateCohort } from '../../../src/bayes/task.js';
import { recordFromItems } from '../../../src/regimen/nmtran.js';

const json: unknown = JSON.parse(readFileSync(new URL('../../../examples/map-wmap.model.json', import.meta.url), 'utf8'));
const model = defineModel(json);
const header = 'ID,TIME,EVID,AMT,RATE,DV,MDV\n';
const implausible = readNmtran(`${header}1,0,1,1000,1000,.,1\n1,1.5,0,.,.,27.57698,0\n1,11.5,0,.,.,340,0\n1,12,1,1000,1000,.,1\n`).records;
// the W-map reference patient (bench/w-map.ts): no warning
const plain = (id: number): ReturnType<typeof readNmtran>['records'] =>
  readNmtran(`${header}${id},0,1,1000,1000,.,1\n${id},1.5,0,.,.,27.57698,0\n${id},11.5,0,.,.,3.437169,0\n${id},12,1,1000,1000,.,1\n`).records;

describe('estimateCohort() warnings', () => {
  const alone = estimate(model, implausible, { report: false });
  const full = estimate(model, implausible);

  it("estimate() warns on the patient (the reference)", () => {
    // and the 340 at 11.5 h after 27.6 at 1.5 h, no dose between: a rise no patient gives (W_LEVELS_CONTRADICT)
    expect(alone.warnings.map((w) => w.code)).toEqual(['W_LEVEL_IMPLAUSIBLE', 'W_ETA_FAR', 'W_LEVELS_CONTRADICT']);
    // the convergence report adds nothing here: the cohort's list is estimate()'s whole list
    expect(full.warnings).toEqual(alone.warnings);
    // IWRES = (340 − f)/(0.1 f) at the fitted prediction f: 160.8
    const f = alone.ipred[2] as number;
    expect(Math.abs((340 - f) / (0.1 * f))).toBeCloseTo(160.8, 1);
    expect(alone.warnings[0]?.message).toMatch(/160\.8/);
    // η / ω: −6.793 / √0.1
    expect((alone.eta[0] as number) / Math.sqrt(0.1)).toBeCloseTo(-21.48, 2);
    expect(alone.warnings[1]?.message).toMatch(/ETA_CL −21\.48 SD/);
    expect(estimate(model, plain(2)).warnings).toEqual([]);
  });

  for (const [workers, chunkSize] of [[0, 250], [0, 1], [2, 1], [2, 2]] as const) {
    it(`${workers === 0 ? 'inline' : `${workers} workers`}, chunks of ${chunkSize}: each patient's warnings in input order, as estimate()'s`, async () => {
      const patients = [plain(2), implausible, plain(3), implausible, plain(4)];
      const c = await estimateCohort(json, patients, { workers, chunkSize });
      expect(c.warnings).toHaveLength(patients.length);
      expect(c.warnings).toEqual([[], full.warnings, [], full.warnings, []]);
      expect(Array.from(c.eta.subarray(2, 4))).toEqual(alone.eta);
      expect(c.failed).toEqual([]);
    });
  }

  it('warnings: false skips the checks (every list empty), as estimate() does', async () => {
    const c = await estimateCohort(json, [implausible, plain(2)], { workers: 0, warnings: false });
    expect(c.warnings).toEqual([[], []]);
    expect(Array.from(c.eta.subarray(0, 2))).toEqual(alone.eta);
  });

  it('warnings other than true or false are refused naming the option', async () => {
    await expect(estimateCohort(json, [implausible], { workers: 0, warnings: 'yes' as unknown as boolean })).rejects.toMatchObject({ code: 'E_OPTION', place: { path: 'warnings' } });
  });
});

// W_MAP_MULTIMODAL comes from the modes the search found, at no cost: the cohort gives it too (the
// report's Hessian, which W_MAP_FLAT and W_MAP_AT_BOUND need, is not computed there). The patient
// is global-flip-flop.test.ts's ID 129: one level at 6 h after 100 mg oral, two modes (OFV
// −2.093602 and −2.028503, test/oracle/flip-flop-map.json by scipy).
describe('estimateCohort() W_MAP_MULTIMODAL', () => {
  const ffJson = {
    dosewise: 2,
    name: 'flip-flop',
    structure: { kind: 'linear', compartments: 1, depot: true },
    parameters: { CL: '2*exp(ETA_CL)', V: '20*exp(ETA_V)', KA: '0.5*exp(ETA_KA)' },
    omega: { etas: ['ETA_CL', 'ETA_V', 'ETA_KA'], diagonal: [0.3, 0.05, 1.0] },
    residual: { model: 'proportional', proportional: 0.1 },
    observe: { compartment: 2, scale: 'V' },
  };
  const ref = (JSON.parse(readFileSync(new URL('../../oracle/flip-flop-map.json', import.meta.url), 'utf8')) as Record<string, { time: number; dv: number; ofv: number; other: { ofv: number } }>)['129'] as { time: number; dv: number; ofv: number; other: { ofv: number } };
  const records = (
    [
      { TIME: 0, EVID: 1, AMT: 100, MDV: 1, CMT: 1 },
      { TIME: ref.time, EVID: 0, DV: ref.dv, MDV: 0, CMT: 2 },
    ] as Record<string, number>[]
  ).map((r, i) => recordFromItems({ ID: 1, ...r }, i + 1));
  const full = estimate(defineModel(ffJson), records);
  const multimodal = full.warnings.filter((w) => w.code === 'W_MAP_MULTIMODAL');

  it("estimate() names both of scipy's modes (the reference)", () => {
    expect(multimodal).toHaveLength(1);
    expect(multimodal[0]?.message).toContain(`OFV ${ref.ofv.toFixed(4)}`);
    expect(multimodal[0]?.message).toContain(`+${Number((ref.other.ofv - ref.ofv).toPrecision(4))}`);
    expect(estimate(defineModel(ffJson), records, { report: false }).warnings).toEqual(full.warnings.filter((w) => w.code !== 'W_MAP_FLAT' && w.code !== 'W_MAP_AT_BOUND'));
  });

  for (const workers of [0, 2]) {
    it(`${workers === 0 ? 'inline' : `${workers} workers`}: the same W_MAP_MULTIMODAL`, async () => {
      const c = await estimateCohort(ffJson, [records, records], { workers, chunkSize: 1 });
      expect(c.warnings.map((ws) => ws.filter((w) => w.code === 'W_MAP_MULTIMODAL'))).toEqual([multimodal, multimodal]);
    });
  }
});

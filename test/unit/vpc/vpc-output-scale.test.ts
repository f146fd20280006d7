// The pcVPC of one output of a model with several reads that output's own residual error: a
// log-scale metabolite (exponential error) was prediction-corrected by the concentration rule
// y·PRED_bin/PRED on its log values (a 95th percentile of 8.48, about 4,800 mg/L, for 3.88). Its
// observed percentiles now equal those of the same data under a single-output model of the
// metabolite, which applies the log rule y + ln PRED_bin − ln PRED.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { vpc } from '../../../src/vpc/vpc.js';

const parameters = { KA: '0.3 * exp(ETA_KP)', S1: '20 * exp(ETA_VP)', CL: '2 * exp(ETA_CL)', V: '15' };
const omega = { etas: ['ETA_KP', 'ETA_VP', 'ETA_CL'], diagonal: [0.09, 0.04, 0.09] };
const multi = defineModel({
  dosewise: 2,
  name: 'parent and metabolite',
  structure: '1cmt-oral',
  parameters,
  omega,
  outputs: {
    '1': { compartment: 1, name: 'parent', residual: { model: 'proportional', proportional: 0.1 } },
    '2': { compartment: 2, name: 'metabolite', residual: { model: 'exponential', exponential: 0.2 } },
  },
  observe: { compartment: 2 },
});
const single = defineModel({ dosewise: 2, name: 'metabolite', structure: '1cmt-oral', parameters, omega, residual: { model: 'exponential', exponential: 0.2 }, observe: { compartment: 2 } });

// 24 IDs, doses 60–200 mg, metabolite levels as logs around the typical profile
const rows = ['ID,TIME,EVID,AMT,CMT,DV,MDV,DVID'];
let s = 7;
const noise = () => ((s = (s * 16807) % 2147483647) / 2147483647 - 0.5) * 0.6;
for (let id = 1; id <= 24; id++) {
  const dose = 60 + ((id * 37) % 141);
  rows.push(`${id},0,1,${dose},1,.,1,.`);
  for (const t of [0.5, 1, 2, 4, 8, 12, 24]) {
    const ka = 0.3;
    const k = 2 / 15;
    const c = ((dose * ka) / (15 * (ka - k))) * (Math.exp(-k * t) - Math.exp(-ka * t));
    rows.push(`${id},${t},0,.,2,${Math.log(c) + noise()},0,2`);
  }
}
const data = readNmtran(rows.join('\n')).records;
// the same records without DVID, for the model of the metabolite alone
const alone = readNmtran(rows.map((r) => r.slice(0, r.lastIndexOf(','))).join('\n')).records;

describe('pcVPC of one output of several', () => {
  it('log-scale output: the log rule, as under a single-output model of it', async () => {
    const o = { predictionCorrected: true, replicates: 20, seed: 3, workers: 0, bins: [0, 0.75, 1.5, 3, 6, 10, 18, 24] } as const;
    const a = await vpc(multi, data, { ...o, dvid: 2 });
    const b = await vpc(single, alone, o);
    expect(a.logScale).toBe(true);
    const observed = (r: typeof a) => r.bins.flatMap((bin) => bin.percentiles.map((q) => q.observed));
    const got = observed(a);
    const want = observed(b);
    got.forEach((x, i) => expect(Math.abs((x as number) - (want[i] as number)), `percentile ${i}`).toBeLessThan(1e-12));
    // the corrected logs stay logs (at most ln of a few hundred mg/L)
    for (const x of got) expect(x as number).toBeLessThan(6);
  });
});

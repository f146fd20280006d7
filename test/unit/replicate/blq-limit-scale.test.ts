// With exponential (log-scale) error a BLQ limit is on the scale of DV, log(concentration). A limit
// given as the assay's concentration (LLOQ 0.5 beside log DVs) was read as e^0.5 = 1.65 in
// replicates and vpc with warnings [] (35.3 % censored on the data), while estimate warned
// W_LLOQ_SCALE; a limit in DV beside DVs in concentrations was read as a log in replicates silently,
// while vpc warned W_DV_SCALE. Both now warn, by the same functions.
// Typical levels: C(t) = (100/40)·e^(−0.1·t): C(1) = 2.2621, C(8) = 1.1233, C(12) = 0.7530, whose
// logs are 0.8163, 0.1163, −0.2837 (computed by hand with exp/ln; python3 math.log gives the same).

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { simulateReplicates } from '../../../src/replicate/run.js';
import { vpc } from '../../../src/vpc/vpc.js';

const model = defineModel({
  dosewise: 2,
  name: 'blq-scale',
  structure: '1cmt-iv',
  theta: { TVCL: 4, TVV: 40 },
  parameters: { CL: 'TVCL * exp(ETA_CL)', V: 'TVV * exp(ETA_V)' },
  omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.09, 0.04] },
  residual: { model: 'exponential', exponential: 0.2 },
});

/** Three subjects, 100 mg at 0, levels at 1, 8, 12 h, a BLQ row at 30 h. */
function dataSet(levels: readonly number[], blq: { dv: string; lloq?: string }): string {
  const lines = [blq.lloq === undefined ? 'ID,TIME,EVID,AMT,DV,MDV,BLQ' : 'ID,TIME,EVID,AMT,DV,MDV,BLQ,LLOQ'];
  const tail = (v: string): string => (blq.lloq === undefined ? '' : `,${v}`);
  for (const id of [1, 2, 3]) {
    lines.push(`${id},0,1,100,.,1,0${tail('.')}`);
    [1, 8, 12].forEach((t, k) => lines.push(`${id},${t},0,.,${levels[k]},0,0${tail('.')}`));
    lines.push(`${id},30,0,.,${blq.dv},0,1${tail(blq.lloq ?? '.')}`);
  }
  return lines.join('\n') + '\n';
}
const LOGS = [0.8163, 0.1163, -0.2837];
const CONCS = [2.2621, 1.1233, 0.753];

async function warningsOf(text: string): Promise<{ rep: readonly string[]; vpc: readonly string[] }> {
  const records = readNmtran(text).records;
  const run = await simulateReplicates(model, records, { replicates: 5, seed: 3, workers: 0 }, () => {});
  const v = await vpc(model, records, { replicates: 20, seed: 3, workers: 0, bins: 3 });
  return { rep: run.warnings, vpc: v.warnings };
}

describe('BLQ limits on the wrong scale beside log-scale error', () => {
  it('LLOQ 0.5 (a concentration) beside log DVs: W_LLOQ_SCALE in replicates and vpc', async () => {
    const w = await warningsOf(dataSet(LOGS, { dv: '.', lloq: '0.5' }));
    for (const list of [w.rep, w.vpc]) expect(list.filter((x) => /^W_LLOQ_SCALE: .*rows 5, 10, 15 .*the limit LLOQ 0\.5 looks like a concentration.*ln 0\.5 = -0\.693/.test(x))).toHaveLength(1);
  }, 30_000);

  it('a log limit (LLOQ -0.6931 = ln 0.5) beside log DVs: no warning', async () => {
    const w = await warningsOf(dataSet(LOGS, { dv: '.', lloq: '-0.6931' }));
    for (const list of [w.rep, w.vpc]) expect(list.filter((x) => /W_LLOQ_SCALE|W_DV_SCALE/.test(x))).toEqual([]);
  }, 30_000);

  it('concentration DVs with the limit in DV (0.5): replicates warn W_DV_SCALE naming the limit, as vpc does', async () => {
    const w = await warningsOf(dataSet(CONCS, { dv: '0.5' }));
    expect(w.rep.filter((x) => /^W_DV_SCALE: the 9 observed DVs look like concentrations.*row 5, ID 1, TIME 30: 0\.5\): it is read as a log, a concentration of e\^0\.5 = 1\.6487/.test(x))).toHaveLength(1);
    expect(w.rep.some((x) => x.startsWith('W_LLOQ_SCALE'))).toBe(false);
    expect(w.vpc.some((x) => x.startsWith('W_DV_SCALE'))).toBe(true);
  }, 30_000);
});

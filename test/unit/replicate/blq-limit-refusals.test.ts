// BLQ rows with DV 0 and no LLOQ column (M1: MDV 1, and M3: MDV 0) gave replicates a censoring
// limit of 0: 555 of 135,000 simulated observations censored (0.41 %) where the assay's limit 0.5
// censors 29,992 (22.2 %, exact count from the script check.py), without a word, while vpc and
// estimate refused the same file. Replicates now refuse as vpc does (refuseBlqLimit, one function).

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { simulateReplicates } from '../../../src/replicate/run.js';
import { vpc } from '../../../src/vpc/vpc.js';

const model = defineModel({
  dosewise: 2,
  name: 'blq-dv0',
  structure: '1cmt-iv',
  theta: { TVCL: 4, TVV: 40 },
  parameters: { CL: 'TVCL * exp(ETA_CL)', V: 'TVV * exp(ETA_V)' },
  omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.09, 0.04] },
  residual: { model: 'combined', additive: 0.05, proportional: 0.15 },
});

/** Two subjects, 100 mg at 0, levels at 1, 8, 12 h, a BLQ row at 30 h with DV 0 and no LLOQ column. */
function dataSet(mdv: 0 | 1): string {
  const lines = ['ID,TIME,EVID,AMT,DV,MDV,BLQ'];
  for (const id of [1, 2]) {
    lines.push(`${id},0,1,100,.,1,0`);
    for (const [t, dv] of [[1, 2.26], [8, 1.12], [12, 0.75]]) lines.push(`${id},${t},0,.,${dv},0,0`);
    lines.push(`${id},30,0,.,0,${mdv},1`);
  }
  return lines.join('\n') + '\n';
}

const refusal = /^row 5, column DV: a BLQ record's LLOQ must be > 0 \(DV gives it when there is no LLOQ column\): .*give the assay's limit in an LLOQ column, or one limit for all \(the API option lloq\)/;

describe('replicates: a BLQ row whose limit (DV) is 0 is refused, as vpc refuses it', () => {
  for (const mdv of [1, 0] as const)
    it(`MDV ${mdv} (${mdv === 1 ? 'M1' : 'M3'} coding)`, async () => {
      const records = readNmtran(dataSet(mdv)).records;
      await expect(simulateReplicates(model, records, { replicates: 5, seed: 3, effects: 'typical', workers: 0 }, () => {})).rejects.toThrow(refusal);
      await expect(vpc(model, records, { replicates: 5, seed: 3 })).rejects.toThrow(refusal);
      // the limit as an option: runs, censoring at it (C(30) = 2.5·e^(−3) = 0.1245 < 0.5, C(12) = 0.753 > 0.5)
      const run = await simulateReplicates(model, records, { replicates: 5, seed: 3, effects: 'typical', epsilon: false, lloq: 0.5, workers: 0 }, () => {});
      expect(run.censored).toBe(5 * 2);
    });
});

// Two assays pooled: IDs 1–2 with BLQ rows LLOQ 0.5 (LLOQ on the BLQ rows alone), ID 3 quantified
// at 0.31 and 0.085 (LLOQ '.'). The inferred limit 0.5 counted those levels BLQ (vpc) and censored
// their simulated values (replicates) without a word: now W_LEVELS_BELOW_LIMIT names 2 levels and row 14.
function pooled(low: boolean): string {
  const lines = ['ID,TIME,EVID,AMT,DV,MDV,BLQ,LLOQ'];
  for (const id of [1, 2]) {
    lines.push(`${id},0,1,100,.,1,0,.`);
    for (const [t, dv] of [[1, 2.26], [8, 1.12], [12, 0.75]]) lines.push(`${id},${t},0,.,${dv},0,0,.`);
    lines.push(`${id},30,0,.,0.5,0,1,0.5`);
  }
  lines.push('3,0,1,100,.,1,0,.', '3,1,0,.,2.1,0,0,.', '3,12,0,.,0.8,0,0,.');
  lines.push(`3,20,0,.,${low ? 0.31 : 0.61},0,0,.`, `3,30,0,.,${low ? 0.085 : 0.55},0,0,.`);
  return lines.join('\n') + '\n';
}

describe('a limit inferred from BLQ rows above quantified levels is warned, in replicates and vpc (one function)', () => {
  it('W_LEVELS_BELOW_LIMIT names the count and the first row; none where every level lies above', async () => {
    const warn = /^W_LEVELS_BELOW_LIMIT: 2 quantified levels without an LLOQ of their own lie below the limit 0\.5 that the BLQ rows give .*first pooled\.csv, row 14 \(ID 3, TIME 20, DV 0\.31\)/;
    for (const low of [true, false]) {
      const records = readNmtran(pooled(low)).records;
      const run = await simulateReplicates(model, records, { replicates: 5, seed: 3, workers: 0, file: 'pooled.csv' }, () => {});
      const v = await vpc(model, records, { replicates: 20, seed: 3, workers: 0, file: 'pooled.csv' });
      for (const w of [run.warnings, v.warnings]) expect(w.filter((x) => warn.test(x)).length).toBe(low ? 1 : 0);
      for (const w of [run.warnings, v.warnings]) expect(w.some((x) => x.startsWith('W_LEVELS_BELOW_LIMIT'))).toBe(low);
      // an option gives the limit: no inference, no warning
      const given = await simulateReplicates(model, records, { replicates: 5, seed: 3, workers: 0, lloq: 0.05 }, () => {});
      expect(given.warnings.some((x) => x.startsWith('W_LEVELS_BELOW_LIMIT'))).toBe(false);
    }
  }, 30_000);
});

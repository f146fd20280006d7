// simulate --replicates read a BLQ flag column named BQL, BLOQ, BLQFLAG or CENS not at all: the
// examples/vpc data with BLQ renamed BQL censored 0 of 160,000 simulated observations (its
// BLQ header: 1,446; 200 replicates, seed 11), exit 0, warnings [], while vpc refused the same file
// naming the row. Both now refuse it by one rule (refuseUnreadFlags, src/replicate/censoring.ts).

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { simulateReplicates } from '../../../src/replicate/run.js';
import { vpc } from '../../../src/vpc/vpc.js';

const model = defineModel({
  dosewise: 2,
  name: 'unread-flag',
  structure: '1cmt-iv',
  theta: { TVCL: 4, TVV: 40 },
  parameters: { CL: 'TVCL * exp(ETA_CL)', V: 'TVV * exp(ETA_V)' },
  omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.09, 0.04] },
  residual: { model: 'combined', additive: 0.05, proportional: 0.15 },
});

/** Two subjects, 100 mg at 0, levels at 1, 8, 12 h, a flagged row (row 5 and 10) at 30 h with DV 0.5 (the limit, M3). */
function dataSet(flag: string): string {
  const lines = [`ID,TIME,EVID,AMT,DV,MDV,${flag}`];
  for (const id of [1, 2]) {
    lines.push(`${id},0,1,100,.,1,0`);
    for (const [t, dv] of [[1, 2.26], [8, 1.12], [12, 0.75]]) lines.push(`${id},${t},0,.,${dv},0,0`);
    lines.push(`${id},30,0,.,0.5,0,1`);
  }
  return lines.join('\n') + '\n';
}

const run = (text: string) => simulateReplicates(model, readNmtran(text).records, { replicates: 4, seed: 3, effects: 'typical', epsilon: false, workers: 0 }, () => {});

describe('replicates refuse a BLQ flag column of another name, as vpc does (one rule)', () => {
  for (const flag of ['BQL', 'BLOQ', 'BLQFLAG', 'BLQ_FLAG', 'bql', 'CENS']) {
    it(flag, async () => {
      const refusal = new RegExp(`^row 5, column ${flag}: censoring is read from a BLQ column .*name the column BLQ`);
      await expect(run(dataSet(flag))).rejects.toThrow(refusal);
      await expect(vpc(model, readNmtran(dataSet(flag)).records, { replicates: 4, seed: 3 })).rejects.toThrow(refusal);
    });
  }

  it('named BLQ, the flagged rows give the limit 0.5: C(30) = 2.5·e^(−3) = 0.124 censored at each, C(12) = 0.753 not', async () => {
    const r = await run(dataSet('BLQ'));
    expect(r.observations).toBe(4 * 2 * 4);
    expect(r.censored).toBe(4 * 2);
  });

  it('a flag column of another name with no row flagged is no censoring said: runs', async () => {
    const r = await run(dataSet('BQL').replace(/,1\n/g, ',0\n'));
    expect(r.censored).toBe(0);
  });
});

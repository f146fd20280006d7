// What vpc and simulate --replicates say about their input: a measured level without a DV
// (W_LEVEL_MISSING, as estimate says it), fewer equal-count bins than asked, a blank covariate
// named by file and column (as plain simulate names it), and a DVID the model does not have.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { simulateReplicates } from '../../../src/replicate/run.js';
import { vpc } from '../../../src/vpc/vpc.js';

const model = defineModel(JSON.parse(readFileSync('examples/vpc/model.json', 'utf8')));

/** Four subjects, 100 mg at 0, levels at the `times`; DV 1 everywhere. */
function data(times: readonly number[], edit: (line: string[], id: number, t: number) => string[] = (l) => l): string {
  const lines = ['ID,TIME,EVID,AMT,CMT,DV,MDV,WT'];
  for (const id of [1, 2, 3, 4]) {
    lines.push(`${id},0,1,100,1,.,1,70`);
    for (const t of times) lines.push(edit([String(id), String(t), '0', '.', '2', '1', '0', '70'], id, t).join(','));
  }
  return lines.join('\n') + '\n';
}

describe('vpc on levels without a DV', () => {
  it('warns W_LEVEL_MISSING naming the row of an MDV 0 level with DV missing (before: left out silently)', async () => {
    // ID 1's 1-h level is `.` (data row 3): 15 of 16 levels are used
    const text = data([0.5, 1, 2, 4], (l, id, t) => (id === 1 && t === 1 ? l.map((v, j) => (j === 5 ? '.' : v)) : l));
    const r = await vpc(model, readNmtran(text).records, { replicates: 5, seed: 1, workers: 0, bins: [0, 0.75, 1.5, 3, 5] });
    expect(r.bins.map((b) => b.n)).toEqual([4, 3, 4, 4]);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/^W_LEVEL_MISSING: row 3: MDV 0 \(a measured level\) with DV missing: left out of the observed and the simulated percentiles/);
    // MDV 1 with DV missing is a planned sample: nothing said
    const planned = data([0.5, 1, 2, 4], (l, id, t) => (id === 1 && t === 1 ? l.map((v, j) => (j === 5 ? '.' : j === 6 ? '1' : v)) : l));
    expect((await vpc(model, readNmtran(planned).records, { replicates: 5, seed: 1, workers: 0, bins: [0, 0.75, 1.5, 3, 5] })).warnings).toEqual([]);
  });
});

describe('vpc bins', () => {
  it('notes fewer equal-count bins than asked: 10 asked of 7 distinct times give 7 (before: no word)', async () => {
    const times = [0.5, 1, 2, 4, 8, 12, 24];
    const r = await vpc(model, readNmtran(data(times)).records, { replicates: 3, seed: 1, workers: 0, bins: 10 });
    expect(r.bins).toHaveLength(7);
    expect(r.notes).toEqual(['10 equal-count bins were asked; the 28 observations have 7 distinct times, and bins cut only between them: 7 bins']);
    const asked = await vpc(model, readNmtran(data(times)).records, { replicates: 3, seed: 1, workers: 0, bins: 7 });
    expect(asked.bins).toHaveLength(7);
    expect(asked.notes).toEqual([]);
  });
});

describe('a blank covariate', () => {
  const text = data([2, 6], (l, id, t) => (id === 1 && t === 2 ? l.map((v, j) => (j === 7 ? '.' : v)) : l));
  const want = /^d\.csv, row 2, column WT: blank, and model vpc-example 1-cmt oral reads WT with no default: fill in the patient's WT/;

  it('replicates name the file and the column, as simulate does (before: "row 2, parameter WT: …", no file)', async () => {
    await expect(simulateReplicates(model, readNmtran(text).records, { replicates: 2, workers: 0, file: 'd.csv' }, () => undefined)).rejects.toThrow(want);
  });

  it('vpc names them too', async () => {
    await expect(vpc(model, readNmtran(text).records, { replicates: 2, workers: 0, file: 'd.csv' })).rejects.toThrow(want);
  });
});

describe('vpc dvid', () => {
  const pm = defineModel(JSON.parse(readFileSync('examples/parent-metabolite/model.json', 'utf8')));
  const records = readNmtran(readFileSync('examples/parent-metabolite/patients.csv', 'utf8')).records;

  it('says a DVID the model does not have is not one of its DVIDs, and lists them (before: "choose the one to check")', async () => {
    await expect(vpc(pm, records, { replicates: 2, workers: 0, dvid: 3 })).rejects.toThrow(/^dvid: 3 is not one of the model's DVIDs \(1 parent, 2 metabolite\): give one of 1, 2/);
    await expect(vpc(pm, records, { replicates: 2, workers: 0 })).rejects.toThrow(/the model has several outputs \(DVID 1 parent, 2 metabolite\): choose the one to check/);
  });
});

// simulateReplicates() and vpc() (and so `simulate --replicates` and `vpc`) say the data-set
// warnings plain simulate() says of the same records, once per run. A 60-subject data set whose
// weight column was named WEIGHT (the allometric model reads WT, default 70) ran every replicate at
// 70 kg with warnings [] and exit 0: the VPC's bin-1 p95 interval 2.671–3.138 against 4.216–5.442
// with the column named WT (observed 4.854), which reads as a badly mis-specified variability while
// the cause was the column's name. Plain simulate warned W_COVARIATE_DEFAULT. Likewise a covariate
// blank on every record of one ID, a column named like one the model reads (HD for DIAL,
// W_COLUMN_NOT_READ), a weight in grams (W_WEIGHT_UNIT) and a dose record copied in code
// (W_DOSE_DUPLICATE).

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import type { DataRecord } from '../../../src/regimen/record.js';
import { simulate } from '../../../src/engine/simulate.js';
import { simulateReplicates } from '../../../src/replicate/run.js';
import { vpc } from '../../../src/vpc/vpc.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-rep-dataset-warn-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const allometric = {
  dosewise: 2,
  name: 'allometric 1cmt',
  structure: '1cmt-iv',
  theta: { TVCL: { value: 4, unit: 'L/h' }, TVV: { value: 40, unit: 'L' } },
  covariates: { WT: { unit: 'kg', default: 70 } },
  parameters: { CL: { expr: 'TVCL * (WT/70)^0.75 * exp(ETA_CL)', unit: 'L/h' }, V: { expr: 'TVV * (WT/70) * exp(ETA_V)', unit: 'L' } },
  omega: { etas: ['ETA_CL', 'ETA_V'], matrix: [[0.04, 0], [0, 0.02]] },
  residual: { model: 'proportional', proportional: 0.1 },
  observe: { compartment: 1, unit: 'mg/L' },
};
const goti = JSON.parse(readFileSync('models/vancomycin_goti_2018.json', 'utf8')) as Record<string, unknown>;

/** Six subjects, 100 mg at 0 and levels at 1, 4 and 8 h; `wt(id)` the weight cell, under `column`. */
function allometricData(column: string, wt: (id: number) => string): string {
  const lines = [`ID,TIME,EVID,AMT,CMT,DV,MDV,${column}`];
  for (let id = 1; id <= 6; id++) {
    lines.push(`${id},0,1,100,1,.,1,${wt(id)}`);
    for (const [t, dv] of [[1, 2.5], [4, 1.8], [8, 1.1]]) lines.push(`${id},${t},0,.,1,${dv},0,${wt(id)}`);
  }
  return lines.join('\n') + '\n';
}
const weights = (id: number): string => String(50 + 8 * id);
const gotiData = ['ID,TIME,EVID,AMT,RATE,DV,MDV,CRCL,WT,HD', '1,0,1,1000,1000,.,1,80,70,1', '1,11.5,0,.,.,20,0,80,70,1', '2,0,1,1000,1000,.,1,60,80,0', '2,11.5,0,.,.,15,0,60,80,0'].join('\n') + '\n';

const codeOf = (w: string): string => /\b(W_[A-Z0-9_]+):/.exec(w)?.[1] ?? w;
const codes = (ws: readonly string[]): string[] => ws.map(codeOf).sort();

const cases: { name: string; model: object; records: () => readonly DataRecord[]; want: string[] }[] = [
  { name: 'WT column named WEIGHT', model: allometric, records: () => readNmtran(allometricData('WEIGHT', weights)).records, want: ['W_COVARIATE_DEFAULT'] },
  { name: 'WT blank on every record of ID 2', model: allometric, records: () => readNmtran(allometricData('WT', (id) => (id === 2 ? '.' : weights(id)))).records, want: ['W_COVARIATE_DEFAULT'] },
  { name: 'Goti 2018 with its dialysis flag as HD', model: goti, records: () => readNmtran(gotiData).records, want: ['W_COLUMN_NOT_READ', 'W_COVARIATE_DEFAULT'] },
  { name: 'a weight in grams', model: allometric, records: () => readNmtran(allometricData('WT', (id) => (id === 3 ? '400' : weights(id)))).records, want: ['W_WEIGHT_UNIT'] },
  {
    name: 'a dose record copied in code',
    model: allometric,
    records: () => {
      // records built in code (no cells read): the copy of ID 1's dose at its time
      const rs = readNmtran(allometricData('WT', weights)).records.map((r) => ({ ...r, items: { ...r.items } }));
      return [rs[0] as DataRecord, { ...(rs[0] as DataRecord), items: { ...(rs[0] as DataRecord).items } }, ...rs.slice(1)].map((r, i) => ({ ...r, row: i + 1 }));
    },
    want: ['W_DOSE_DUPLICATE'],
  },
];

describe('simulateReplicates() and vpc() say the data-set warnings simulate() says', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const model = defineModel(c.model as never);
      const plain = simulate(model, c.records()).warnings;
      // the reference: what plain simulate() says of the records
      expect(codes(plain)).toEqual(c.want);
      const run = await simulateReplicates(model, c.records(), { replicates: 3, seed: 1, workers: 0 }, () => undefined);
      const v = await vpc(model, c.records(), { replicates: 5, seed: 1, workers: 0, bins: 2 });
      for (const ws of [run.warnings, v.warnings]) {
        // once per run, with simulate()'s words (no file given, none named)
        for (const w of plain) expect(ws.filter((x) => x === w), ws.join('\n')).toHaveLength(1);
        expect(codes(ws).filter((x) => c.want.includes(x))).toEqual(c.want);
      }
    });
  }
});

describe('the command line says them once, on stderr and in the JSON', () => {
  const want = 'W_COVARIATE_DEFAULT: WT is not in the records: set to its default 70 on every record (model allometric 1cmt reads it); give a column WT where the patient\'s value is another';
  const m = join(tmp, 'm.json');
  const data = join(tmp, 'weight.csv');
  writeFileSync(m, JSON.stringify(allometric));
  writeFileSync(data, allometricData('WEIGHT', weights));

  it('simulate --replicates --json', async () => {
    const r = await cli(['simulate', '--model', m, '--data', data, '--replicates', '4', '--seed', '1', '--workers', '0', '--out', join(tmp, 'r.csv'), '--json', '--no-progress']);
    expect(r.code, r.err).toBe(0);
    expect(r.err.split('\n').filter((l) => l.includes('W_COVARIATE_DEFAULT'))).toEqual([`dosewise: warning: ${data}: ${want}`]);
    expect((JSON.parse(r.out) as { warnings: string[] }).warnings).toEqual([want]);
  });

  it('vpc --json', async () => {
    const r = await cli(['vpc', '--model', m, '--data', data, '--replicates', '10', '--seed', '1', '--workers', '0', '--bins', '2', '--json', '--no-progress']);
    expect(r.code, r.err).toBe(0);
    expect(r.err.split('\n').filter((l) => l.includes('W_COVARIATE_DEFAULT'))).toEqual([`dosewise: warning: ${data}: ${want}`]);
    expect((JSON.parse(r.out) as { warnings: string[] }).warnings).toEqual([want]);
  });
});

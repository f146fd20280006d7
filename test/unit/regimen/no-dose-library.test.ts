// "No record is a dose" was said by the command line alone (simulate, with or without --replicates,
// and vpc): the library's simulate() of the same records (nodose.csv: EVID 0 on every row), or
// of a table of columns with EVID all 0, returned every prediction 0 with warnings [].
// simulate(), simulateReplicates() and vpc() now give it as W_NO_DOSE, from the one
// check the command line prints (regimen/dose-record-warnings.ts), and the command line says it once.

import { describe, expect, it } from 'vitest';
import { builtinModel, defineModel } from '../../../src/model/model.js';
import type { ModelFile } from '../../../src/model/schema.js';
import { simulate } from '../../../src/engine/simulate.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { simulateReplicates } from '../../../src/replicate/run.js';
import { vpc } from '../../../src/vpc/vpc.js';

const noDose = (w: readonly string[]): string[] => w.filter((x) => x.startsWith('W_NO_DOSE'));
const m = builtinModel('1cmt-iv', { CL: 5, V: 50 });

describe('simulate(): no record is a dose', () => {
  it('records with EVID 0 throughout: W_NO_DOSE, every prediction 0', () => {
    const s = simulate(m, readNmtran('ID,TIME,EVID,AMT,CMT\n1,0,0,.,1\n1,1,0,.,1\n').records, { file: 'nodose.csv' });
    expect([...s.ipred]).toEqual([0, 0]);
    expect(noDose(s.warnings)).toEqual(['W_NO_DOSE: nodose.csv: no record is a dose (EVID 1 or 4 with an amount in AMT): every prediction is the model without drug']);
  });

  it('a dose column named DOSE is not AMT: said, naming the missing AMT column; no file, no file named', () => {
    const s = simulate(m, readNmtran('ID,TIME,DOSE,DV\n1,0,100,.\n1,2,.,.\n').records);
    expect(noDose(s.warnings)).toEqual(['W_NO_DOSE: no record is a dose (EVID 1 or 4 with an amount in AMT; the data have no AMT column): every prediction is the model without drug']);
  });

  it('a table of columns says what its records say, bit for bit (many subjects, the column fast path)', () => {
    const n = 50;
    const ID = Float64Array.from({ length: 3 * n }, (_, i) => 1 + Math.floor(i / 3));
    const TIME = Float64Array.from({ length: 3 * n }, (_, i) => i % 3);
    const cols = { ID, TIME, EVID: new Float64Array(3 * n), AMT: new Float64Array(3 * n).fill(NaN), CMT: new Float64Array(3 * n).fill(1) };
    const c = simulate(m, cols);
    const rows = ['ID,TIME,EVID,AMT,CMT', ...Array.from(ID, (id, i) => `${id},${TIME[i]},0,.,1`)].join('\n');
    const r = simulate(m, readNmtran(rows).records);
    expect(noDose(c.warnings)).toHaveLength(1);
    expect(c.warnings).toEqual(r.warnings);
  });

  it('is silent where a record is a dose, also one after levels (a baseline level first), in records and columns', () => {
    const cols = { ID: [1, 1, 2, 2], TIME: [0, 1, 0, 1], EVID: [0, 0, 0, 1], AMT: [NaN, NaN, NaN, 100] };
    expect(noDose(simulate(m, cols).warnings)).toEqual([]);
    expect(noDose(simulate(m, readNmtran('ID,TIME,EVID,AMT\n1,0,0,.\n1,1,0,.\n2,0,0,.\n2,1,1,100\n').records).warnings)).toEqual([]);
  });

  it("claret takes its exposure from DOSE: no warning", () => {
    const claret = builtinModel('claret', {});
    const recs = readNmtran(`ID,TIME,EVID,AMT,DOSE\n1,0,0,.,1\n1,24,0,.,1\n`).records;
    expect(noDose(simulate(claret, recs).warnings)).toEqual([]);
  });
});

describe('simulateReplicates() and vpc(): no record is a dose', () => {
  const withResidual = defineModel({ dosewise: 2, name: 'e', structure: '1cmt-iv', theta: {}, parameters: { CL: '5*exp(ETA_CL)', V: 50 }, omega: { etas: ['ETA_CL'], diagonal: [0.1] }, residual: { model: 'additive', additive: 0.1 } } as unknown as ModelFile);
  const recs = readNmtran('ID,TIME,EVID,AMT,DV,MDV\n1,0,0,.,0.1,0\n1,2,0,.,0.2,0\n2,1,0,.,0.1,0\n').records;
  it('simulateReplicates() says it once', async () => {
    const r = await simulateReplicates(withResidual, recs, { replicates: 2, seed: 1, workers: 0 }, () => undefined);
    expect(noDose(r.warnings)).toEqual(['W_NO_DOSE: no record is a dose (EVID 1 or 4 with an amount in AMT): every prediction is the model without drug']);
  });
  it('vpc() says it once', async () => {
    const v = await vpc(withResidual, recs, { replicates: 5, seed: 1, workers: 0 });
    expect(noDose(v.warnings)).toHaveLength(1);
  });
});

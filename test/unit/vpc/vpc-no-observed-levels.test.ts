// vpc on a data set with no observed level to compare named neither the cause nor the columns:
// levels in a column CONC (no DV column), no DV column at all and no observation record all gave
// "conc.csv, row 0, column DV: the data set has no observations (EVID 0, MDV 0) to check (got
// undefined)": "row 0" and "undefined" were the code's. Now the refusal says which it is: the DV
// column is missing (naming the columns found, and a column named like levels: CONC), the data set
// has no observation record (what its records are), or every observation's DV is missing.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { vpc } from '../../../src/vpc/vpc.js';

const modelFile = 'examples/vpc/model.json';
const model = defineModel(JSON.parse(readFileSync(modelFile, 'utf8')));
const tmp = mkdtempSync(join(tmpdir(), 'dosewise-vpc-nodv-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const conc = ['ID,TIME,EVID,AMT,CMT,CONC,MDV,WT', '1,0,1,100,1,.,1,70', '1,1,0,.,2,2.1,0,70', '1,2,0,.,2,1.8,0,70'].join('\n') + '\n';
const noColumn = ['ID,TIME,EVID,AMT,CMT,MDV,WT', '1,0,1,100,1,1,70', '1,1,0,.,2,0,70'].join('\n') + '\n';
const noObservation = ['ID,TIME,EVID,AMT,CMT,DV,MDV,WT', '1,0,1,100,1,.,1,70', '1,12,1,100,1,.,1,70', '1,13,0,.,2,.,1,70'].join('\n') + '\n';
const allMissing = ['ID,TIME,EVID,AMT,CMT,DV,MDV,WT', '1,0,1,100,1,.,1,70', '1,1,0,.,2,.,0,70', '1,2,0,.,2,.,0,70'].join('\n') + '\n';

const refusal = async (text: string): Promise<{ code: string; message: string }> => {
  try {
    await vpc(model, readNmtran(text).records, { replicates: 3, seed: 1, workers: 0, file: 'd.csv' });
  } catch (e) {
    return { code: (e as { code: string }).code, message: (e as Error).message };
  }
  throw new Error('not refused');
};

describe('vpc without an observed level names the cause', () => {
  it('levels in CONC: the DV column is missing, the columns found and CONC named', async () => {
    expect(await refusal(conc)).toEqual({
      code: 'E_CSV_COLUMN_MISSING',
      message: 'd.csv: the data set has no DV column, and a VPC compares the observed levels (DV on the observation records, EVID 0 with MDV 0) with simulated ones; the columns are ID, TIME, EVID, AMT, CMT, CONC, MDV, WT: if CONC holds the levels, name it DV',
    });
  });

  it('no DV column at all: the columns found', async () => {
    expect(await refusal(noColumn)).toEqual({
      code: 'E_CSV_COLUMN_MISSING',
      message: 'd.csv: the data set has no DV column, and a VPC compares the observed levels (DV on the observation records, EVID 0 with MDV 0) with simulated ones; the columns are ID, TIME, EVID, AMT, CMT, MDV, WT: give the levels in a column DV',
    });
  });

  it('no observation record: what the records are', async () => {
    expect(await refusal(noObservation)).toEqual({
      code: 'E_RECORD',
      message: 'd.csv, column DV: the data set has no observation record (EVID 0 with MDV 0) to compare with simulated ones: its 3 records are 2 doses and 1 observation record with MDV 1 (not a measured level)',
    });
  });

  it('every observation record has DV missing: the rows', async () => {
    expect(await refusal(allMissing)).toEqual({
      code: 'E_RECORD',
      message: 'd.csv, column DV: every observation record (EVID 0 with MDV 0) has DV missing (rows 2, 3): no observed level to compare with simulated ones',
    });
  });

  it('the command line says it with no "row 0" or "undefined", exit 1', async () => {
    const data = join(tmp, 'conc.csv');
    writeFileSync(data, conc);
    const r = await cli(['vpc', '--model', modelFile, '--data', data, '--replicates', '3', '--workers', '0', '--no-progress']);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${data}: the data set has no DV column`);
    expect(r.err).toContain('if CONC holds the levels, name it DV');
    expect(r.err).not.toMatch(/row 0|undefined/);
  });
});

// W_ETA_NOT_ESTIMATED where a data column pins a parameter (CL on the records, on
// CL = θ·exp(ETA_CL)), two places it was not said:
// - `dosewise shrinkage` judged only --param: with a CL column on every record ETA_CL's shrinkage was
//   '.' (no estimate estimated it) without a word, where estimate and forecast say why;
// - a forecast whose future regimen lacks the column: the future records take the history's CL as
//   they take its covariates (the latest value, its last record's: 3 after 5, not the model's CL at
//   η 0, 4), which is what a chart of the patient's clearance means; nothing said so. The warning now
//   names the value and its row.
// Reference: the forecast with the value given on the future records themselves (CL 3), and the
// model's CL at η 0 (4·exp(0) = 4) that it is not.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';
import { defineModel } from '../../../src/model/model.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { forecast } from '../../../src/bayes/forecast.js';
import { recordFromItems } from '../../../src/regimen/nmtran.js';
import { wMapModel, regimenRecords } from '../bayes/wmap.js';

const dir = mkdtempSync(join(tmpdir(), 'eta-pinned-'));
const patient = (id: number, cl: string): string[] => [`${id},0,1,1000,1000,.,1,70,${40 + 10 * id},0,${cl}`, `${id},11.5,0,.,.,${8 + id},0,70,${40 + 10 * id},0,${cl}`];
const header = 'ID,TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL,DIAL,CL';
const charted = join(dir, 'four-cl.csv');
writeFileSync(charted, [header, ...[1, 2, 3, 4].flatMap((i) => patient(i, '4'))].join('\n') + '\n');
const lines = (err: string): string[] => err.split('\n').filter((l) => l.includes('W_ETA_NOT_ESTIMATED'));

describe('W_ETA_NOT_ESTIMATED of a data column', () => {
  it('shrinkage: a CL column on every record is said once, naming the column (it was silent, ETA_CL\'s shrinkage ".")', async () => {
    const r = await cli(['shrinkage', '--model', 'vancomycin_goti_2018', '--data', charted, '--json']);
    expect(r.code, r.err).toBe(0);
    const s = JSON.parse(r.out) as { names: string[]; sd: (number | null)[]; warnings: { code: string; message: string }[] };
    expect(s.sd[s.names.indexOf('ETA_CL')]).toBeNull();
    const w = s.warnings.filter((x) => x.code === 'W_ETA_NOT_ESTIMATED');
    expect(w).toHaveLength(1);
    expect(w[0]?.message).toContain("all 4 IDs: ETA_CL is not estimated: CL (the data's column CL, on every record, from row 1) is given");
    expect(lines(r.err)).toHaveLength(1);
    expect(lines(r.err)[0]).toContain(`${charted}, all 4 IDs, W_ETA_NOT_ESTIMATED: ETA_CL is not estimated: CL (the data's column CL`);
  });

  it('shrinkage --param still says the parameter (--param)', async () => {
    const r = await cli(['shrinkage', '--model', 'vancomycin_goti_2018', '--data', charted, '--param', 'V=60', '--json']);
    expect(r.code, r.err).toBe(0);
    const s = JSON.parse(r.out) as { warnings: { code: string; message: string }[] };
    expect(s.warnings.filter((x) => x.code === 'W_ETA_NOT_ESTIMATED').map((x) => x.message).join('\n')).toContain('ETA_V is not estimated: V (--param V=60) is given');
  });

  it("forecast(): a future regimen without the column takes the history's last CL (3, not the model's 4 at η 0), and the warning says so", () => {
    const m = defineModel(wMapModel);
    const hist = regimenRecords().map((r, i, all) => ({ ...r, items: { ...r.items, CL: i === all.length - 1 ? 3 : 5 } }));
    const fit = estimate(m, hist);
    const fut = (items: Record<string, number>) => [recordFromItems({ ID: 1, TIME: 48, EVID: 1, AMT: 1000, RATE: 1000, ...items }, 1), recordFromItems({ ID: 1, TIME: 59.5, EVID: 0, MDV: 0, ...items }, 2)];
    const without = forecast(m, hist, fit, fut({}), { draws: 20, metrics: ['trough'] });
    const three = forecast(m, hist, fit, fut({ CL: 3 }), { draws: 20, metrics: ['trough'] });
    const four = forecast(m, hist, fit, fut({ CL: 4 }), { draws: 20, metrics: ['trough'] });
    expect(without.ipred[0]).toBeCloseTo(three.ipred[0] as number, 10);
    expect(Math.abs((without.ipred[0] as number) - (four.ipred[0] as number))).toBeGreaterThan(1);
    const w = without.warnings.filter((x) => x.startsWith('W_ETA_NOT_ESTIMATED'));
    expect(w).toHaveLength(1);
    expect(w[0]).toContain("the future regimen's records do not give CL and take the history's, 3 (its last, row 8), as they take its covariates");
    // given on the future records, no such clause
    expect(three.warnings.filter((x) => x.startsWith('W_ETA_NOT_ESTIMATED'))[0]).not.toContain('future regimen');
  });

  it('forecast on the command line: the line says the future takes the history\'s CL', async () => {
    const r = await cli(['forecast', '--model', 'vancomycin_goti_2018', '--data', charted, '--regimen', 'examples/map-future.json', '--metric', 'trough']);
    expect(r.code, r.err).toBe(0);
    expect(lines(r.err)).toHaveLength(1);
    expect(lines(r.err)[0]).toContain("the future regimen's records do not give CL and take the history's, 4 (its last, row 2)");
  });
});

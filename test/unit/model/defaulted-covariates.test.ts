// A renally impaired adult's data set with the dialysis flag in a column HD (Goti 2018 reads DIAL,
// default 0): estimate, forecast, optimize and simulate ran DIAL 0 without a word, typical CL 1.1557
// L/h for 0.8090 on dialysis, and optimize advised 1250 mg q48h for 750 mg (AUC24 ~772 for a target
// of 400–600). The covariates the model reads that no column gives are said with their default
// (W_COVARIATE_DEFAULT), and a column not read named like one of them (W_COLUMN_NOT_READ), by the
// library functions (warnings) and once per data set by the command line.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { forecast } from '../../../src/bayes/forecast.js';
import { simulate } from '../../../src/engine/simulate.js';
import { regimen } from '../../../src/regimen/builder.js';
import { cli } from '../cli/run-cli.js';
import { defaultedCovariateProblems } from '../../../src/model/defaulted-inputs.js';

const FIX = 'test/fixtures/defaulted-covariates';
const gotiFile = JSON.parse(readFileSync('models/vancomycin_goti_2018.json', 'utf8')) as { theta: Record<string, { value: number }> };
const goti = defineModel(gotiFile);
const recordsOf = (f: string) => readNmtran(readFileSync(`${FIX}/${f}`, 'utf8'), { file: f }).records;
const theta = (n: string): number => gotiFile.theta[n]?.value as number;
// the published closed form at CRCL 21.94: TVCL·(CRCL/120)^CRCL_CL·DIAL_CL^DIAL
const clAt = (dial: number): number => theta('TVCL') * (21.94 / 120) ** theta('CRCL_CL') * theta('DIAL_CL') ** dial;
const codes = (ws: readonly { code: string }[]): string[] => ws.map((w) => w.code);

describe('a covariate the data set lacks, and a column named like it', () => {
  it('estimate(): W_COVARIATE_DEFAULT for DIAL and W_COLUMN_NOT_READ for HD; the fit is at DIAL 0', () => {
    const hd = estimate(goti, recordsOf('prior_hd.csv'));
    expect(codes(hd.warnings)).toEqual(expect.arrayContaining(['W_COVARIATE_DEFAULT', 'W_COLUMN_NOT_READ']));
    const dflt = hd.warnings.find((w) => w.code === 'W_COVARIATE_DEFAULT');
    expect(dflt?.message).toMatch(/^DIAL is not in the records: set to its default 0 on every record/);
    expect(hd.warnings.find((w) => w.code === 'W_COLUMN_NOT_READ')?.message).toMatch(/^column HD is not read: model vancomycin_goti_2018 reads DIAL/);
    // what the warning is about: 1.1557 L/h at DIAL 0 where the patient on dialysis has 0.8090
    expect(hd.parameters.CL).toBeCloseTo(clAt(0), 10);
    expect(clAt(0)).toBeCloseTo(1.1557, 4);
    const dial = estimate(goti, recordsOf('prior_dial.csv'));
    expect(dial.parameters.CL).toBeCloseTo(clAt(1), 10);
    expect(clAt(1)).toBeCloseTo(0.809, 4);
    expect(codes(dial.warnings)).not.toContain('W_COVARIATE_DEFAULT');
    expect(codes(dial.warnings)).not.toContain('W_COLUMN_NOT_READ');
  });

  it('an override gives the covariate: no warning', () => {
    const r = estimate(goti, recordsOf('prior_hd.csv'), { overrides: { DIAL: 1 } });
    expect(codes(r.warnings)).not.toContain('W_COVARIATE_DEFAULT');
    expect(codes(r.warnings)).not.toContain('W_COLUMN_NOT_READ');
  });

  it('simulate() and forecast() say it too', () => {
    const sim = simulate(goti, recordsOf('prior_hd.csv'), { file: 'prior_hd.csv' });
    expect(sim.warnings.filter((w) => w.startsWith('W_COVARIATE_DEFAULT: prior_hd.csv: DIAL is not in the records'))).toHaveLength(1);
    expect(sim.warnings.filter((w) => w.startsWith('W_COLUMN_NOT_READ: prior_hd.csv: column HD is not read'))).toHaveLength(1);
    const history = recordsOf('prior_hd.csv');
    const fit = estimate(goti, history);
    const future = regimen().dose({ time: 48, amt: 750, dur: 1 }).observe({ grid: { from: 48, to: 72, step: 1 } }).records();
    const f = forecast(goti, history, fit, future, { draws: 20, seed: 1 });
    expect(f.warnings.filter((w) => w.startsWith('W_COVARIATE_DEFAULT: records: DIAL'))).toHaveLength(1);
    expect(f.warnings.filter((w) => w.startsWith('W_COLUMN_NOT_READ: records: column HD'))).toHaveLength(1);
  });

  it('CLI: estimate, optimize, simulate and forecast print each once, with the file', async () => {
    const once = (err: string, code: string): number => err.split('\n').filter((l) => l.startsWith(`dosewise: warning: ${code}: ${FIX}/prior_hd.csv: `)).length;
    const runs = [
      ['estimate', '--model', 'vancomycin_goti_2018', '--data', `${FIX}/prior_hd.csv`],
      ['optimize', '--model', 'vancomycin_goti_2018', '--data', `${FIX}/prior_hd.csv`, '--target', 'auc24:400:600', '--doses', '250:2000:250', '--intervals', '24,48', '--infusions', '1', '--draws', '200', '--top', '1'],
      ['optimize', '--model', 'vancomycin_goti_2018', '--data', `${FIX}/prior_hd.csv`, '--target', 'auc24:400:600', '--doses', '250:2000:250', '--intervals', '24,48', '--infusions', '1', '--draws', '200', '--top', '1', '--from', '36'],
      ['simulate', '--model', 'vancomycin_goti_2018', '--data', `${FIX}/prior_hd.csv`],
      ['forecast', '--model', 'vancomycin_goti_2018', '--data', `${FIX}/prior_hd.csv`, '--regimen', `${FIX}/future.json`, '--draws', '20', '--seed', '1'],
    ];
    for (const args of runs) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(once(r.err, 'W_COVARIATE_DEFAULT'), args.join(' ')).toBe(1);
      expect(once(r.err, 'W_COLUMN_NOT_READ'), args.join(' ')).toBe(1);
    }
    const dial = await cli(['estimate', '--model', 'vancomycin_goti_2018', '--data', `${FIX}/prior_dial.csv`]);
    expect(dial.err).not.toMatch(/W_COVARIATE_DEFAULT|W_COLUMN_NOT_READ/);
  });
});

describe('no W_COVARIATE_DEFAULT where the run is refused, or where the model file fixes the default', () => {
  const lc = readNmtran('ID,TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL,dial\n1,0,1,1000,1000,.,1,60,21.94,1\n1,23.5,0,0,0,25,0,60,21.94,1\n', { file: 'lc.csv' }).records;
  // a column dial was warned "every record took DIAL 0" and then refused (exit 1)
  it('a lowercase dial column: no W_COVARIATE_DEFAULT or W_COLUMN_NOT_READ, the CLI refuses it alone', async () => {
    expect(defaultedCovariateProblems(goti, lc)).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), 'dosewise-dial-lc-'));
    const file = join(dir, 'lc.csv');
    writeFileSync(file, 'ID,TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL,dial\n1,0,1,1000,1000,.,1,60,21.94,1\n1,23.5,0,0,0,25,0,60,21.94,1\n');
    const r = await cli(['estimate', '--model', 'vancomycin_goti_2018', '--data', file]);
    rmSync(dir, { recursive: true, force: true });
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/column dial: model vancomycin_goti_2018 reads DIAL, and names are case-sensitive/);
    expect(r.err).not.toMatch(/W_COVARIATE_DEFAULT|W_COLUMN_NOT_READ/);
  });

  // Colin 2019 fixes CANC and HEEL at 0 ("PKPDsim fixes 0"): two W_COVARIATE_DEFAULT lines on every data set
  it('Colin 2019 without CANC and HEEL columns: no W_COVARIATE_DEFAULT; Goti without DIAL still warns', () => {
    const colin = defineModel(JSON.parse(readFileSync('models/vancomycin_colin_2019.json', 'utf8')) as never);
    const recs = readNmtran('ID,TIME,EVID,AMT,RATE,DV,MDV,WT,PMA,SCR\n1,0,1,40,40,.,1,3,40,0.5\n1,6,0,.,.,10,0,3,40,0.5\n').records;
    expect(defaultedCovariateProblems(colin, recs)).toEqual([]);
    const none = readNmtran('ID,TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL\n1,0,1,1000,1000,.,1,60,21.94\n1,23.5,0,0,0,25,0,60,21.94\n').records;
    expect(defaultedCovariateProblems(goti, none).map((w) => w.code)).toEqual(['W_COVARIATE_DEFAULT']);
  });
});

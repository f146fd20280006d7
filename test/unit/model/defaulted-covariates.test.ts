// A renally impaired adult's data set with the dialysis flag in a column HD (Goti 2018 reads DIAL,
// default 0): estimate, forecast, optimize and simulate ran DIAL 0 without a word, typical CL 1.1557
// L/h for 0.8090 on dialysis, and optimize advised 1250 mg q48h for 750 mg (AUC24 ~772 for a target
// of 400–600). The covariates the model reads that no column gives are said with their default
// (W_COVARIATE_DEFAULT), and a column not read named like one of them (W_COLUMN_NOT_READ), by the
// library functions (warnings) and once per data set by the command line.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { forecast } from '../../../src/bayes/forecast.js';
import { simulate } from '../../../src/engine/simulate.js';
import { regimen } from '../../../src/regimen/builder.js';
import { cli } from '../cli/run-cli.js';

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

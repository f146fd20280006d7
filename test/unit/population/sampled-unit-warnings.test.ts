// The suspect-unit warnings a data set's value gets (W_RENAL_UNIT, W_SCR_UNIT, W_WEIGHT_UNIT) said
// of a sampled population, judged once per study at its median subject (every normal draw at 0,
// every uniform at ½; derived covariates computed from them). `band` with Buelga 2005 (CRCL in L/h)
// and CRCL lognormal(median 90) in mL/min advised 16,250–30,250 mg q12h for 1,250–3,000, exit 0,
// without a word, while `nomogram --grid CRCL=90` warned W_RENAL_UNIT. The expected values are the
// data-set path's own (90 L/h is 1500 mL/min; 90 × 0.06 = 5.4 L/h; 1.4 × 60 = 84 mL/min).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-sampled-units-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const write = (name: string, value: unknown): string => {
  const p = join(tmp, name);
  writeFileSync(p, typeof value === 'string' ? value : JSON.stringify(value));
  return p;
};
const reg = write('reg.json', { doses: [{ time: 0, amt: 1000, cmt: 1, dur: 1, ii: 12, ss: 1 }], observe: [{ times: [12] }] });
const population = (model: string, covariates: string, n = 20) =>
  cli(['population', '--model', model, '--covariates', covariates, '--regimen', reg, '--n', String(n), '--seed', '1', '--metric', 'conc@12', '--no-progress', '--workers', '0']);

describe('a sampled population gets the data set’s suspect-unit warnings, at its median subject', () => {
  it('Buelga 2005 (CRCL in L/h) with CRCL lognormal(median 90) in mL/min: W_RENAL_UNIT naming the file, the covariate and 90', async () => {
    const cov = write('buelga_cov_mlmin.json', { covariates: { CRCL: { dist: 'lognormal', median: 90, cv: 0.35, lower: 20, upper: 200 }, WT: { dist: 'lognormal', median: 75, cv: 0.2, lower: 40, upper: 150 } } });
    const r = await population('vancomycin_buelga_2005', cov);
    expect(r.code).toBe(0);
    const w = r.err.split('\n').filter((l) => l.includes('W_RENAL_UNIT'));
    expect(w).toHaveLength(1);
    // the median as drawn (bounds 20–200 included): 89.64, 1494 mL/min read as L/h, 89.64 × 0.06 L/h as mL/min
    expect(w[0]).toMatch(/buelga_cov_mlmin\.json, covariates\.CRCL: the median subject \(every normal draw at 0, every uniform at ½: CRCL 89\.64, WT 75\.01\) has CRCL 89\.64, sampled as lognormal\(median 90, cv 0\.35, bounds \[20, 200\]\): W_RENAL_UNIT: CRCL 89\.64 read as 89\.64 L\/h \(1494 mL\/min.*it is 5\.3784 L\/h/);
  });

  it('band with the same file warns W_RENAL_UNIT too (exit 0, 16,250–30,250 mg q12h before without a word)', async () => {
    const cov = write('buelga_band.json', { covariates: { CRCL: { dist: 'lognormal', median: 90, cv: 0.35, lower: 20, upper: 200 }, WT: { dist: 'lognormal', median: 75, cv: 0.2, lower: 40, upper: 150 } } });
    const reg1000 = write('reg1000.json', { doses: [{ time: 0, amt: 1000, cmt: 1, dur: 1, ii: 12, ss: 1, addl: 1 }], observe: [{ grid: { from: 0, to: 24, step: 0.5 } }] });
    const r = await cli(['band', '--model', 'vancomycin_buelga_2005', '--covariates', cov, '--regimen', reg1000, '--target', 'auc24:400:600', '--by', 'CRCL', '--bands', '2', '--doses', '250:40000:250', '--n', '100', '--seed', '1', '--workers', '0', '--no-progress']);
    expect(r.err).toMatch(/buelga_band\.json, covariates\.CRCL: .*W_RENAL_UNIT: CRCL 89\.64 read as 89\.64 L\/h/);
  });

  it('the same clearance in L/h (median 5.4) is not warned', async () => {
    const cov = write('buelga_cov_lh.json', { covariates: { CRCL: { dist: 'lognormal', median: 5.4, cv: 0.35, lower: 1.2, upper: 12 }, WT: { dist: 'lognormal', median: 75, cv: 0.2, lower: 40, upper: 150 } } });
    const r = await population('vancomycin_buelga_2005', cov);
    expect(r.code).toBe(0);
    expect(r.err).not.toMatch(/W_RENAL_UNIT/);
  });

  it('Goti 2018 (mL/min) with CRCL normal(1.4, 0.2) in mL/s: W_RENAL_UNIT, "1.4 … it is 84 mL/min"', async () => {
    const cov = write('c_crclmls.json', { covariates: { CRCL: { dist: 'normal', mean: 1.4, sd: 0.2, lower: 0.5 }, WT: { dist: 'normal', mean: 70, sd: 10, lower: 40 }, DIAL: { derived: '0' } } });
    const r = await population('vancomycin_goti_2018', cov);
    expect(r.err).toMatch(/c_crclmls\.json, covariates\.CRCL: .*W_RENAL_UNIT: CRCL 1\.4 read as 1\.4 mL\/min; if this is mL\/s, it is 84 mL\/min/);
  });

  it('Colin 2019 (SCR in mg/dL) with SCR lognormal(median 20): W_SCR_UNIT', async () => {
    const cov = write('c_colin20.json', { covariates: { SCR: { dist: 'lognormal', median: 20, cv: 0.3 }, WT: { dist: 'normal', mean: 70, sd: 10, lower: 40 }, PMA: { dist: 'normal', mean: 2640, sd: 300, lower: 1000 } } });
    const r = await population('vancomycin_colin_2019', cov);
    expect(r.err).toMatch(/c_colin20\.json, covariates\.SCR: .*W_SCR_UNIT: SCR 20 read as 20 mg\/dL/);
  });

  it('Goti with WT normal(400, 50): W_WEIGHT_UNIT', async () => {
    const cov = write('c_wt400.json', { covariates: { CRCL: { dist: 'normal', mean: 80, sd: 10, lower: 20 }, WT: { dist: 'normal', mean: 400, sd: 50, lower: 300 }, DIAL: { derived: '0' } } });
    const r = await population('vancomycin_goti_2018', cov);
    expect(r.err).toMatch(/c_wt400\.json, covariates\.WT: .*W_WEIGHT_UNIT: WT 40\d(\.\d+)? read as 40\d(\.\d+)? kg/);
  });

  it('a derived clearance without a unit (crcl_cg(…) / 1, mL/min) into Buelga: W_RENAL_UNIT at the median subject', async () => {
    const cov = write('c_buelga_div.json', {
      covariates: {
        SCR: { dist: 'lognormal', median: 0.9, cv: 0.2, lower: 0.5, upper: 2, unit: 'mg/dL' },
        AGE: { dist: 'uniform', lower: 40, upper: 70, unit: 'years' },
        WT: { dist: 'lognormal', median: 75, cv: 0.2, lower: 40, upper: 150, unit: 'kg' },
        SEX: { dist: 'categorical', values: [0, 1], p: [0.5, 0.5], description: '1 = male, 0 = female' },
        CRCL: { derived: 'crcl_cg(SCR, AGE, WT, SEX) / 1' },
      },
    });
    const r = await population('vancomycin_buelga_2005', cov);
    expect(r.err).toMatch(/c_buelga_div\.json, covariates\.CRCL: .*W_RENAL_UNIT: CRCL \d+(\.\d+)? read as \d+(\.\d+)? L\/h/);
  });
});

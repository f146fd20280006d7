// The child rule (a creatinine above 5 mg/dL or a weight above 300 kg beside a PMA under 60 weeks
// is a value in another unit) on a sampled population, judged at its typical subject (every
// distribution at its median): neonates (PMA 28–44 weeks) with SCR lognormal(median 7) "mg/dL"
// (mg/L) ran to a median AUC24 of 49,270 for 90 mg/day (band: 0.3–0.9 mg q8h), and WT
// lognormal(median 650) "kg" (grams) at PMA 24–30 weeks without a W_WEIGHT_UNIT, both exiting 0.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { refuseCovariateUnitMismatch } from '../../../src/population/covariates/units.js';
import { cli } from '../cli/run-cli.js';

const colin = defineModel(JSON.parse(readFileSync('models/vancomycin_colin_2019.json', 'utf8')) as never);
const tmp = mkdtempSync(join(tmpdir(), 'dosewise-child-pop-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const write = (name: string, text: string): string => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

describe('a sampled population judged at its typical subject', () => {
  const spec = (pma: unknown, wt: unknown, scr: unknown) => ({ covariates: { PMA: pma, WT: wt, SCR: scr } });
  const pma = { dist: 'uniform', lower: 28, upper: 44, unit: 'weeks' };
  const wt = { dist: 'lognormal', median: 2.2, cv: 0.3, lower: 0.6, upper: 5, unit: 'kg' };

  it('neonates with SCR lognormal(median 7) "mg/dL" are refused naming SCR and the median PMA 36 weeks', () => {
    const scr = { dist: 'lognormal', median: 7, sdlog: 0.3, lower: 2, upper: 15, unit: 'mg/dL' };
    expect(() => refuseCovariateUnitMismatch(spec(pma, wt, scr), colin, { covariatesFile: 'neo_pop.json' })).toThrow(
      /neo_pop\.json, covariates\.SCR: SCR is sampled as lognormal\(median 7, .*the typical subject \(every distribution at its median\) has SCR 6\.98549: a serum creatinine above 5 mg\/dL with PMA 36 weeks \(a neonate or child\)/,
    );
  });

  it('WT lognormal(median 650) "kg" at PMA 24–30 weeks is refused; the same WT in adults is not refused by this rule', () => {
    const grams = { dist: 'lognormal', median: 650, cv: 0.2, lower: 400, upper: 690, unit: 'kg' };
    const scr = { dist: 'lognormal', median: 0.8, sdlog: 0.3, lower: 0.3, upper: 2, unit: 'mg/dL' };
    expect(() => refuseCovariateUnitMismatch(spec({ dist: 'uniform', lower: 24, upper: 30, unit: 'weeks' }, grams, scr), colin)).toThrow(/covariates\.WT: .*above 300 kg with PMA 27 weeks/);
    expect(() => refuseCovariateUnitMismatch(spec({ dist: 'uniform', lower: 1500, upper: 3000, unit: 'weeks' }, grams, scr), colin)).not.toThrow();
  });

  it('a plausible neonatal population runs the check', () => {
    const scr = { dist: 'lognormal', median: 0.6, sdlog: 0.3, lower: 0.2, upper: 2, unit: 'mg/dL' };
    expect(() => refuseCovariateUnitMismatch(spec(pma, wt, scr), colin)).not.toThrow();
  });

  it('CLI population with neo_pop exits 1 (exit 0 and a median AUC24 of 49,270 before)', async () => {
    const cov = write('neo_pop.json', JSON.stringify(spec(pma, wt, { dist: 'lognormal', median: 7, sdlog: 0.3, lower: 2, upper: 15, unit: 'mg/dL' })));
    const reg = write('reg.json', JSON.stringify({ doses: [{ time: 0, amt: 30, cmt: 1, dur: 1, ii: 8, ss: 1, addl: 2 }], observe: [{ grid: { from: 0, to: 24, step: 1 } }] }));
    const r = await cli(['population', '--model', 'vancomycin_colin_2019', '--covariates', cov, '--regimen', reg, '--n', '200', '--seed', '1', '--metric', 'auc24', '--workers', '0', '--no-progress']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/covariates\.SCR: .*PMA 36 weeks/);
  });
});


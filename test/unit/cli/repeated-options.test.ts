// An option that takes one value, given twice: commander keeps the last, so `pta --target
// auc24:400:600 --target trough::20` judged the trough alone (50.4 % for 23.8 % with both clauses)
// and `--strata CRCL:30,60 --strata WT:70` stratified by weight alone. Refused as a usage error;
// options that collect every use stay repeatable.

import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

describe('an option given twice', () => {
  it('is refused when it takes one value (exit 2, naming it)', async () => {
    const pta = await cli(['pta', '--model', 'vancomycin_goti_2018', '--covariates', 'examples/design-vancomycin-covariates.json', '--regimens', 'examples/design-vancomycin-q12h-1000.json', '--target', 'auc24:400:600', '--target', 'trough::20', '--n', '50', '--workers', '0', '--no-progress']);
    expect(pta.code).toBe(2);
    expect(pta.err).toMatch(/--target is given twice, and only one value is read: give it once \(a target of several clauses is one value: auc24:400:600,trough::20\)/);
    const strata = await cli(['pta', '--model', 'vancomycin_goti_2018', '--covariates', 'examples/design-vancomycin-covariates.json', '--regimens', 'examples/design-vancomycin-q12h-1000.json', '--target', 'auc24:400:600', '--strata', 'CRCL:30,60', '--strata', 'WT:70', '--n', '50', '--workers', '0', '--no-progress']);
    expect(strata.code).toBe(2);
    expect(strata.err).toMatch(/--strata is given twice/);
    const seed = await cli(['simulate', '--model', 'test/conformance/dosing-1001.model.json', '--data', 'test/conformance/nmtests/dosing-1001.csv', '--method', 'analytic', '--method', 'dopri5']);
    expect(seed.code).toBe(2);
    expect(seed.err).toMatch(/--method is given twice/);
  });

  it('a collected NAME=VALUE option naming one name twice is refused (--param WT=70 --param WT=80 kept 80)', async () => {
    const r = await cli(['simulate', '--model', 'vancomycin_goti_2018', '--data', 'examples/advice-vancomycin.csv', '--param', 'WT=70', '--param', 'WT=80']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--param WT=80: WT is given twice \(WT=70 before\): give it once/);
  });

  it('stays repeatable where every use is collected (--metric)', async () => {
    const r = await cli(['population', '--model', 'examples/wb-population.model.json', '--regimen', 'examples/wb-regimen.json', '--n', '5', '--metric', 'auc24', '--metric', 'cmax', '--workers', '0', '--no-progress', '--json']);
    expect(r.code, r.err).toBe(0);
    expect((JSON.parse(r.out) as { metrics: unknown[] }).metrics).toHaveLength(2);
  });
});

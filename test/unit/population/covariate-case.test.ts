// A sampled covariate named like a model input in another case ("Dial" for DIAL) was never read:
// every subject took DIAL's default (0), and strata on "Dial" reported a split nobody simulated
// (27.7 % in the "Dial ≥ 0.5" stratum against 17.8 % with DIAL sampled). Refused, naming it.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-covcase-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('sampled covariates named in another case than the model reads them', () => {
  it('are refused in population and pta, naming the covariate and the name meant', async () => {
    const cov = JSON.parse(readFileSync('examples/design-vancomycin-covariates.json', 'utf8')) as { covariates: Record<string, unknown> };
    const typo = join(tmp, 'cov.json');
    writeFileSync(typo, JSON.stringify({ ...cov, covariates: { ...cov.covariates, Dial: { dist: 'categorical', values: [0, 1], p: [0.5, 0.5] } } }));
    const pta = await cli(['pta', '--model', 'vancomycin_goti_2018', '--covariates', typo, '--regimens', 'examples/design-vancomycin-q12h-1000.json', '--target', 'auc24:400:600', '--n', '200', '--strata', 'Dial:0.5', '--workers', '0', '--no-progress']);
    expect(pta.code).toBe(1);
    expect(pta.err).toMatch(/covariates\.Dial: model .* reads DIAL, and names are case-sensitive: Dial would not be read/);
    const pop = await cli(['population', '--model', 'vancomycin_goti_2018', '--covariates', typo, '--regimen', 'examples/design-vancomycin-q12h-1000.json', '--n', '20', '--metric', 'auc24', '--workers', '0', '--no-progress']);
    expect(pop.code).toBe(1);
    expect(pop.err).toMatch(/covariates\.Dial: .*name it DIAL/);
  });
});

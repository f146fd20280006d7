// A --report folder that cannot take report.html is refused before the run, as --out is: exit 1
// naming the path, nothing on stdout (the results are printed after the run, before the report is
// written), /dev/null left a device. Every command with --report.

import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-report-path-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const vanco = ['--model', 'vancomycin_goti_2018', '--covariates', 'examples/design-vancomycin-covariates.json'];
const map = ['--model', 'examples/map-wmap.model.json', '--data', 'examples/map-patient.csv'];
const fast = ['--workers', '0', '--no-progress'];

const RUNS: Record<string, string[]> = {
  population: ['population', '--model', 'examples/wb-population.model.json', '--regimen', 'examples/wb-regimen.json', '--n', '200', ...fast],
  forecast: ['forecast', ...map, '--regimen', 'examples/map-future.json', '--draws', '50', '--no-progress'],
  optimize: ['optimize', ...map, '--target', 'auc24:400:600', '--doses', '500:1500:500', '--intervals', '12', '--draws', '50', '--no-progress'],
  pta: ['pta', ...vanco, '--regimens', 'examples/design-vancomycin-q12h-1000.json', '--target', 'auc24:400:600', '--n', '200', ...fast],
  band: ['band', ...vanco, '--regimen', 'examples/design-vancomycin-q12h-1000.json', '--target', 'auc24:400:600', '--by', 'CRCL', '--bands', '2', '--doses', '500,1000', '--n', '200', ...fast],
  nomogram: ['nomogram', '--model', 'vancomycin_goti_2018', '--target', 'auc24=500', '--interval', '12', '--infusion', '1', '--grid', 'CRCL=30:150:60', '--set', 'WT=70'],
  relevance: ['relevance', '--effects', 'examples/relevance-effects.json'],
  study: ['study', 'vancomycin', '--n', '200', ...fast],
};

describe('--report DIR that cannot take the report: refused before the run', () => {
  for (const [name, args] of Object.entries(RUNS)) {
    it(`${name} --report /dev/null`, async () => {
      const before = statSync('/dev/null').rdev;
      const r = await cli([...args, '--report', '/dev/null']);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/\/dev\/null: is a character device, not a folder/);
      expect(r.out).toBe('');
      expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
      expect(statSync('/dev/null').rdev).toBe(before);
    });
  }

  it('a folder where report.html should be is refused before the run too', async () => {
    const dir = join(tmp, 'blocked');
    mkdirSync(join(dir, 'report.html'), { recursive: true });
    const r = await cli([...(RUNS.forecast as string[]), '--json', '--report', dir]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/report\.html: is a folder, not a regular file/);
    expect(r.out).toBe('');
  });

  it('study: a folder where summary.json should be is refused before the run', async () => {
    const dir = join(tmp, 'study-blocked');
    mkdirSync(join(dir, 'summary.json'), { recursive: true });
    const r = await cli([...(RUNS.study as string[]), '--report', dir]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/summary\.json: is a folder, not a regular file/);
    expect(r.out).toBe('');
    // before the run: no report was written beside it (the check once looked for summary.json.html)
    expect(existsSync(join(dir, 'report.html'))).toBe(false);
  });
});

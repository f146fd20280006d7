// A covariate file sampling SEX as 0, 1 or 2 (no description) into crcl_cg(SCR, AGE, WT, SEX) failed
// the run at the first subject drawing 2 with "model covariates.CRCL.derived: virtual subject 2:
// crcl_cg: sex must be coded 1 (male) or 0 (female) (got 2)": it named the model, not the covariate
// file, and the derived covariate, not the SEX entry that draws 2. Refused before the run now.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-sex-values-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const base = JSON.parse(readFileSync('examples/design-vancomycin-covariates.json', 'utf8')) as { covariates: Record<string, unknown> };
const spec = (sex: unknown, crcl = 'crcl_cg(SCR, AGE, WT, SEX)'): string => {
  const p = join(tmp, `cov${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(p, JSON.stringify({ covariates: { ...base.covariates, SEX: sex, CRCL: { derived: crcl, unit: 'mL/min' } } }));
  return p;
};
const run = (cmd: string, cov: string) =>
  cli([cmd, '--model', 'vancomycin_goti_2018', '--covariates', cov, ...(cmd === 'pta' ? ['--regimens', 'examples/design-vancomycin-q12h-1000.json', '--target', 'auc24:400:600'] : ['--regimen', 'examples/design-vancomycin-q12h-1000.json', '--metric', 'auc24']), '--n', '20', '--workers', '0', '--no-progress']);

describe('a sex covariate drawn with a value the calculators refuse', () => {
  it('population and pta refuse it before the run, naming the covariate file, its SEX entry and the derived covariate reading it', async () => {
    const cov = spec({ dist: 'categorical', values: [0, 1, 2], p: [0.4, 0.4, 0.2] });
    for (const cmd of ['population', 'pta']) {
      const r = await run(cmd, cov);
      expect(r.code).toBe(1);
      expect(r.err).toBe(`dosewise: ${cov}, covariates.SEX.values[2]: SEX is drawn as 2 (p 0.2), but covariates.CRCL.derived passes SEX as the sex of crcl_cg(scr_mgdl, age_y, wt_kg, sex), which takes 1 (male) or 0 (female) only; draw SEX as 1 (male) or 0 (female), or recode it in the call (SEX == M ? 1 : 0, M the value a man has) (got 2)\n`);
    }
  });

  it('a normal distribution as the sex is refused too; a value of probability 0, or a call only made in a branch, runs', async () => {
    const normal = await run('population', spec({ dist: 'normal', mean: 0.5, sd: 0.2 }));
    expect(normal.code).toBe(1);
    expect(normal.err).toMatch(/covariates\.SEX\.dist: SEX is drawn from a normal distribution, but covariates\.CRCL\.derived passes SEX/);
    const never = await run('population', spec({ dist: 'categorical', values: [0, 1, 2], p: [0.5, 0.5, 0] }));
    expect(never.code, never.err).toBe(0);
    const branch = await run('population', spec({ dist: 'categorical', values: [0, 1, 2], p: [0.4, 0.4, 0.2] }, 'SEX == 2 ? 80 : crcl_cg(SCR, AGE, WT, SEX)'));
    expect(branch.code, branch.err).toBe(0);
  });
});

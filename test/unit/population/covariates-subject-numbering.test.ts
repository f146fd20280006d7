// Which subject a covariate refusal names. Before: (F4) a derived covariate failing for subject 176
// of the population was named by its number within the chunk: 6 with --chunk-size 10, 26 with 150,
// 76 in pta, 3 in shard 2/2 (global subject 223); (F3) the median subject probed before the run
// (normals 0, uniforms ½) refused runs no subject of which failed (AGE uniform(40, 60), X = 10 /
// (AGE − 50): "virtual subject 1: … is not a finite number (got Infinity)" at AGE 50, which no
// subject draws) and named its values as subject 1's.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { covariateSampler } from '../../../src/population/covariates/sample.js';
import { probeSubject } from '../../../src/population/chunk.js';
import { caught } from '../refused.js';
import { cli } from '../cli/run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-cov8n-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const file = (name: string, v: unknown): string => {
  const p = join(tmp, name);
  writeFileSync(p, JSON.stringify(v));
  return p;
};
const model = file('model.json', {
  dosewise: 2,
  name: 'cov test 1cmt iv',
  structure: { kind: 'linear', compartments: 1, depot: false, parameterization: 'clearance' },
  theta: { TVCL: { value: 4, unit: 'L/h' }, TVV: { value: 50, unit: 'L' } },
  covariates: { WT: { unit: 'kg', default: 70 }, AGE: { unit: 'years', default: 50 }, SEX: { default: 1 }, SCR: { unit: 'mg/dL', default: 1 }, EGFR: { unit: 'mL/min/1.73 m²', default: 90 }, X: { default: 1 } },
  parameters: {
    CL: { expr: 'TVCL * (EGFR/90)^0.01 * (1 + 0*X + 0*SEX + 0*AGE + 0*SCR) * exp(ETA_CL)', unit: 'L/h' },
    V: { expr: 'TVV * (WT/70) * exp(ETA_V)', unit: 'L' },
  },
  omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.09, 0.04] },
  residual: { model: 'proportional', proportional: 0.1 },
  observe: { compartment: 1, unit: 'mg/L' },
});
const single = file('single.json', { doses: [{ time: 0, amt: 1000, cmt: 1, dur: 1 }], observe: [{ grid: { from: 0, to: 24, step: 2 } }] });
const q12 = file('q12.json', { doses: [{ time: 0, amt: 1000, cmt: 1, dur: 1, addl: 9, ii: 12 }], observe: [{ grid: { from: 0, to: 120, step: 1 } }] });
const ageOnly = {
  AGE: { dist: 'normal', mean: 40, sd: 10, unit: 'years' },
  SEX: { dist: 'categorical', values: [0, 1], p: [0.5, 0.5] },
  SCR: { dist: 'lognormal', median: 1, sdlog: 0.3, unit: 'mg/dL' },
};
const withEgfr = file('cov-age.json', { covariates: { ...ageOnly, EGFR: { derived: 'egfr_ckdepi2021(SCR, AGE, SEX)' } } });
const plain = file('cov-age-plain.json', { covariates: ageOnly });
const pop = (cov: string, n: number, ...more: string[]) => cli(['population', '--model', model, '--regimen', single, '--covariates', cov, '--n', String(n), '--seed', '5', '--metric', 'auc24', '--workers', '0', '--no-progress', ...more]);

/** The 1-based numbers and ages of the subjects under 18, from the subject table of the run without EGFR. */
async function minors(n: number, ...more: string[]): Promise<{ id: number; age: number }[]> {
  const out = join(tmp, `out-${n}-${more.join('')}`.replace(/[^A-Za-z0-9-]/g, '_'));
  const r = await pop(plain, n, '--out', out, ...more);
  expect(r.code, r.err).toBe(0);
  const [head, ...rows] = readFileSync(join(out, 'subjects.csv'), 'utf8').trim().split('\n');
  const cols = (head as string).split(',');
  const id = cols.indexOf('ID');
  const age = cols.indexOf('AGE');
  return rows.map((l) => l.split(',')).map((c) => ({ id: Number(c[id]), age: Number(c[age]) })).filter((s) => s.age < 18);
}

describe('a derived-covariate refusal names the subject of the whole population', () => {
  it('subject 176 (the first under 18) however the run is chunked, and in pta (before: 6, 26, 76)', async () => {
    // the reference: the subject table of the same seed without EGFR (covariates depend only on
    // (seed, subject)); its first subject under 18 is the one CKD-EPI refuses
    const first = (await minors(2000))[0] as { id: number; age: number };
    expect(first.id).toBe(176);
    expect(first.age).toBeCloseTo(11.6792, 3);
    for (const more of [[], ['--chunk-size', '10'], ['--chunk-size', '150']]) {
      const r = await pop(withEgfr, 2000, ...more);
      expect(r.code).toBe(1);
      expect(r.err, more.join(' ')).toMatch(/covariates\.EGFR\.derived: virtual subject 176: egfr_ckdepi2021\([0-9.]+, 11\.679/);
    }
    const pta = await cli(['pta', '--model', model, '--regimen', q12, '--covariates', withEgfr, '--target', 'auc24:300:500', '--n', '400', '--seed', '5', '--workers', '0', '--no-progress']);
    expect(pta.err).toMatch(/virtual subject 176: egfr_ckdepi2021/);
  }, 120_000);

  it('shard 2/2 of 400 names global subject 223 (before: 3)', async () => {
    const first = (await minors(400, '--shard', '2/2')).filter((s) => s.id > 200)[0] as { id: number; age: number };
    expect(first.id).toBe(223);
    const r = await pop(withEgfr, 400, '--shard', '2/2', '--chunk-size', '10');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`virtual subject 223: egfr_ckdepi2021\\([0-9.]+, ${String(first.age).slice(0, 6).replace('.', '\\.')}`));
  }, 120_000);

  it('the sampler numbers rows from firstSubject, the body refusal too', () => {
    const s = covariateSampler({ covariates: { AGE: { dist: 'normal', mean: 40, sd: 10, unit: 'years' }, SCR: { dist: 'lognormal', median: 1, sdlog: 0.3 }, SEX: { dist: 'categorical', values: [1], p: [1] }, EGFR: { derived: 'egfr_ckdepi2021(SCR, AGE, SEX)' } } });
    const out = s.names.map(() => new Float64Array(3));
    // row 2 (AGE 40 − 10·3 = 10) of a chunk starting at subject index 500 is subject 503
    expect(caught(() => s.fill(3, Float64Array.of(0, 0, 0, 0, -3, 0), Float64Array.of(0.5, 0.5, 0.5), out, 500)).message).toMatch(/virtual subject 503: egfr_ckdepi2021\(1, 10, 1\)/);
  });
});

describe('the median probe', () => {
  const div = { covariates: { AGE: { dist: 'uniform', lower: 40, upper: 60, unit: 'years' }, X: { derived: '10 / (AGE - 50)' } } };

  it('AGE uniform(40, 60), X = 10 / (AGE − 50): runs (before: exit 1 at the median AGE 50), each X its own subject\'s', async () => {
    // the median's X is 10/0; the next probe, quantile 0.45, has AGE 40 + 0.45·20 = 49, X = −10
    expect(probeSubject(covariateSampler(div))).toEqual({ AGE: 49, X: -10 });
    const out = join(tmp, 'div');
    const r = await pop(file('div.json', div), 2000, '--out', out);
    expect(r.code, r.err).toBe(0);
    const [head, ...rows] = readFileSync(join(out, 'subjects.csv'), 'utf8').trim().split('\n');
    const cols = (head as string).split(',');
    expect(rows).toHaveLength(2000);
    for (const l of rows) {
      const c = l.split(',').map(Number);
      const age = c[cols.indexOf('AGE')] as number;
      expect(c[cols.indexOf('X')]).toBeCloseTo(10 / (age - 50), 6);
    }
  }, 120_000);

  it('when every probe fails, the refusal names "the median subject" and its values, not "virtual subject 1"', () => {
    // AGE uniform(10, 17): every subject is a child, which CKD-EPI refuses; the median AGE is 13.5
    const e = caught(() =>
      probeSubject(covariateSampler({ covariates: { ...ageOnly, AGE: { dist: 'uniform', lower: 10, upper: 17, unit: 'years' }, SEX: { dist: 'categorical', values: [1], p: [1] }, EGFR: { derived: 'egfr_ckdepi2021(SCR, AGE, SEX)' } } })),
    );
    expect(e.message).toMatch(/covariates\.EGFR\.derived: the median subject \(every normal draw at 0, every uniform at ½\): egfr_ckdepi2021\(1, 13\.5, 1\)/);
    expect(e.message).not.toMatch(/virtual subject/);
  });
});

// A virtual subject whose drawn height and weight make no body. Before: a population run with HT
// normal(120, 30) cm and WT lognormal(median 25, cv 0.6) kg drawn independently stopped at virtual
// subject 952 (HT 176.43 cm, WT 4.29 kg, BMI 1.38) with the clinical refusal's unit hint, "a height
// in mm, or a weight in another unit?", although both units were right (and checked against
// bsa_mosteller's when the spec was read). The run is still refused — a simulated subject with an
// impossible body is no result — but the message now names the draw and the distributions.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bsaMosteller } from '../../../src/clinical/index.js';
import { DosewiseError } from '../../../src/errors.js';
import { covariateSampler } from '../../../src/population/covariates/sample.js';
import { cli } from '../cli/run-cli.js';

function refusal(f: () => unknown): DosewiseError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DosewiseError);
    return e as DosewiseError;
  }
  throw new Error('not refused');
}

/** Fills one subject of `spec` from the standard normals `z` (no uniforms). */
function fillOne(spec: unknown, z: number[]): Float64Array[] {
  const s = covariateSampler(spec);
  const out = s.names.map(() => new Float64Array(1));
  s.fill(1, Float64Array.from(z), new Float64Array(0), out, 41);
  return out;
}

const unbounded = (units: boolean) => ({
  covariates: {
    HT: { dist: 'normal', mean: 120, sd: 30, ...(units ? { unit: 'cm' } : {}) },
    WT: { dist: 'lognormal', median: 25, cv: 0.6, ...(units ? { unit: 'kg' } : {}) },
    BSA: { derived: 'bsa_mosteller(HT, WT)', ...(units ? { unit: 'm2' } : {}) },
  },
});

describe('a virtual subject with an impossible body', () => {
  it('too light for its height (BMI 1.46): names subject, HT, WT and BMI and the distributions, not a unit', () => {
    // z = (2, −3): HT = 120 + 30·2 = 180 cm; WT = 25·exp(−3·sqrt(ln(1 + 0.6²))) = 4.736681271247488 kg;
    // BMI = 4.736681271247488 / 1.8² = 1.461938663965274 (python3 math), below the floor of 2.
    // Before, the message ended "a height in mm, or a weight in another unit?"
    const e = refusal(() => fillOne(unbounded(true), [2, -3]));
    expect(e.place.path).toBe('covariates.BSA.derived');
    expect(e.message).toContain('virtual subject 42: HT 180 cm and WT 4.73668 kg were drawn, a body-mass index of 1.46 kg/m², below any body (≥ 2)');
    expect(e.message).toMatch(/the distributions draw bodies no patient has/);
    expect(e.message).toMatch(/Correlate HT and WT \("correlation": \{ "names": \["HT", "WT"\]/);
    expect(e.message).toMatch(/narrow their bounds/);
    expect(e.message).not.toMatch(/in mm|another unit|in grams/);
  });

  it('too heavy for its height (BMI 860): the same, above the ceiling of 250, and no "weight in grams?"', () => {
    // z = (−2.5, 3.5): HT = 120 − 75 = 45 cm; WT = 25·exp(3.5·0.5545130293761912) = 174.10723938706664 kg;
    // BMI = 174.107 / 0.45² = 859.7888364793414 (python3 math)
    const e = refusal(() => fillOne(unbounded(true), [-2.5, 3.5]));
    expect(e.message).toContain('virtual subject 42: HT 45 cm and WT 174.107 kg were drawn, a body-mass index of 860 kg/m², above any body (≤ 250)');
    expect(e.message).not.toMatch(/in grams|in mm/);
  });

  it('with HT and WT units not declared, the unit is named as a possible cause beside the distributions', () => {
    const e = refusal(() => fillOne(unbounded(false), [2, -3]));
    expect(e.message).toMatch(/the distributions draw bodies no patient has \(or, their units not declared, HT is not in cm or WT not in kg/);
  });

  it('a height drawn below 20 cm names the draw and the bounds, not "a value in metres?"', () => {
    // z = −3.5: HT = 120 − 105 = 15 cm (P(HT < 20) = Φ(−10/3) = 4.29e-4, scipy), which the clinical
    // refusal read as metres
    const e = refusal(() => fillOne(unbounded(true), [-3.5, 0]));
    expect(e.message).toContain('virtual subject 42: HT 15 cm was drawn, shorter than any body (≥ 20 cm)');
    expect(e.message).toMatch(/Bound it \(lower, upper within 20–280 cm\)/);
    expect(e.message).not.toMatch(/metres/);
  });

  it('a plausible draw is computed as before: BSA = sqrt(180·25/3600) for HT 180 cm, WT 25 kg', () => {
    // z = (2, 0): WT = the median 25; sqrt(180·25/3600) = 1.118033988749895 (python3 math)
    const out = fillOne(unbounded(true), [2, 0]);
    expect(out[2]?.[0]).toBeCloseTo(1.118033988749895, 12);
  });

  it('calc and data-set values keep the unit hint: bsaMosteller(176.43 cm, 4.29 kg) still asks about mm', () => {
    expect(() => bsaMosteller({ heightCm: 176.43217501641053, weightKg: 4.2898928742163625 })).toThrow(/body-mass index of 1\.38 kg\/m², below any body \(≥ 2\); a height in mm, or a weight in another unit\?/);
  });
});

describe('the population run of the report (HT normal(120, 30) 50–190 cm, WT lognormal(25, cv 0.6) 3–100 kg, independent)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'dosewise-bmi-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('stops at virtual subject 952 (BMI 1.38) with the draw named, exit 1', async () => {
    const model = join(tmp, 'm.json');
    const regimen = join(tmp, 'reg.json');
    const covariates = join(tmp, 'cov.json');
    writeFileSync(model, JSON.stringify({ dosewise: 2, name: 'bsa', structure: { kind: 'linear', compartments: 1, depot: false }, covariates: { BSA: { unit: 'm2' } }, parameters: { CL: { expr: '3*BSA/1.73*exp(ETA_CL)', unit: 'L/h' }, V: { value: 20, unit: 'L' } }, omega: { etas: ['ETA_CL'], diagonal: [0.1] } }));
    writeFileSync(regimen, JSON.stringify({ doses: [{ time: 0, amt: 100, ii: 12, addl: 3 }], observe: [{ grid: { from: 0, to: 48, step: 1 } }] }));
    writeFileSync(
      covariates,
      JSON.stringify({
        covariates: {
          HT: { dist: 'normal', mean: 120, sd: 30, lower: 50, upper: 190, unit: 'cm' },
          WT: { dist: 'lognormal', median: 25, cv: 0.6, lower: 3, upper: 100, unit: 'kg' },
          BSA: { derived: 'bsa_mosteller(HT, WT)', unit: 'm2' },
        },
        correlation: { names: ['HT', 'WT'], matrix: [[1, 0], [0, 1]] },
      }),
    );
    const { code, err: text } = await cli(['population', '--model', model, '--regimen', regimen, '--covariates', covariates, '--n', '20000', '--metric', 'auc24', '--no-progress', '--workers', '0', '--out', join(tmp, 'out')]);
    expect(code).toBe(1);
    // the drawn pair as the old message printed it: 4.2898928742163625 / 1.7643217501641053² = 1.3781321716727168 (python3)
    expect(text).toContain('virtual subject 952: HT 176.432 cm and WT 4.28989 kg were drawn, a body-mass index of 1.38 kg/m²');
    expect(text).not.toMatch(/a height in mm/);
  }, 120_000);
});

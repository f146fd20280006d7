import { describe, expect, it } from 'vitest';
import {
  bodyMassIndex,
  bsaMosteller,
  crclCockcroftGault,
  egfrCkdEpi2021Cr,
  leanBodyWeightJanmahasatian,
} from '../../../src/clinical/index.js';
import { DosewiseError } from '../../../src/errors.js';
import { covariateSampler, type CovariateSampler } from '../../../src/population/covariates/sample.js';
import { parseCovariateSpec } from '../../../src/population/covariates/spec.js';
import { parseCovariateTable } from '../../../src/population/covariates/table.js';
import { normalCdf, normalPdf, normalQuantile } from '../../../src/stats/normal.js';

// ---------------------------------------------------------------------------------------------
// Test randomness: Marsaglia xorshift128 seeded by splitmix32, 53-bit uniforms in (0, 1), and
// Box–Muller normals. Statistical checks use 5 standard errors, so with a fixed seed they are
// deterministic and a correct sampler would fail one only with probability ~1e-6 per check.

const N = 200_000;

function generator(seed: number): () => number {
  let s = seed >>> 0;
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 16), 0x85ebca6b) >>> 0;
    t = Math.imul(t ^ (t >>> 13), 0xc2b2ae35) >>> 0;
    return (t ^ (t >>> 16)) >>> 0;
  };
  let x = splitmix() | 1;
  let y = splitmix();
  let z = splitmix();
  let w = splitmix();
  const next = (): number => {
    const t = x ^ (x << 11);
    x = y;
    y = z;
    z = w;
    w = (w ^ (w >>> 19) ^ (t ^ (t >>> 8))) >>> 0;
    return w;
  };
  return () => ((next() >>> 5) * 67108864 + (next() >>> 6) + 0.5) / 9007199254740992;
}

function uniforms(count: number, seed: number): Float64Array {
  const g = generator(seed);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = g();
  return out;
}

function normals(count: number, seed: number): Float64Array {
  const g = generator(seed);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i += 2) {
    const r = Math.sqrt(-2 * Math.log(g()));
    const a = 2 * Math.PI * g();
    out[i] = r * Math.cos(a);
    if (i + 1 < count) out[i + 1] = r * Math.sin(a);
  }
  return out;
}

/** Fills n subjects with fresh test randomness; returns the columns by name. */
function draw(s: CovariateSampler, n = N, seed = 12345): Record<string, Float64Array> {
  const z = normals(n * s.normalsPerSubject, seed);
  const u = uniforms(n * s.uniformsPerSubject, seed + 1);
  const out = s.names.map(() => new Float64Array(n));
  s.fill(n, z, u, out);
  return Object.fromEntries(s.names.map((name, i) => [name, out[i] as Float64Array]));
}

function mean(x: Float64Array): number {
  let s = 0;
  for (const v of x) s += v;
  return s / x.length;
}

function sd(x: Float64Array): number {
  const m = mean(x);
  let s = 0;
  for (const v of x) s += (v - m) ** 2;
  return Math.sqrt(s / (x.length - 1));
}

function corr(a: Float64Array, b: Float64Array): number {
  const ma = mean(a);
  const mb = mean(b);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    const da = (a[i] as number) - ma;
    const db = (b[i] as number) - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return sab / Math.sqrt(saa * sbb);
}

function fractionBelow(x: Float64Array, q: number): number {
  let c = 0;
  for (const v of x) if (v <= q) c++;
  return c / x.length;
}

/** Empirical P(X ≤ q) matches the theoretical CDF within 5 binomial standard errors. */
function expectCdf(x: Float64Array, q: number, p: number): void {
  const se = Math.sqrt((p * (1 - p)) / x.length);
  expect(Math.abs(fractionBelow(x, q) - p)).toBeLessThanOrEqual(5 * se + 1e-12);
}

function range(x: Float64Array): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const v of x) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return [min, max];
}

/** Bit-for-bit equality of two arrays (a cheap, exact comparison for large columns). */
function sameBits(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

function errorOf(f: () => unknown): DosewiseError {
  try {
    f();
  } catch (e) {
    if (e instanceof DosewiseError) return e;
    throw e;
  }
  throw new Error('expected a DosewiseError, nothing was thrown');
}

const sampler = (spec: unknown, files: Record<string, string> = {}): CovariateSampler =>
  covariateSampler(spec, {
    readText: (p) => {
      const t = files[p];
      if (t === undefined) throw new Error(`ENOENT: no such file ${p}`);
      return t;
    },
  });

// ---------------------------------------------------------------------------------------------

describe('continuous distributions', () => {
  it('normal: mean, SD and quantiles', () => {
    const s = sampler({ covariates: { AGE: { dist: 'normal', mean: 50, sd: 12 } } });
    expect([s.normalsPerSubject, s.uniformsPerSubject]).toEqual([1, 0]);
    const { AGE } = draw(s);
    const x = AGE as Float64Array;
    expect(Math.abs(mean(x) - 50)).toBeLessThan((5 * 12) / Math.sqrt(N));
    expect(Math.abs(sd(x) - 12)).toBeLessThan((5 * 12) / Math.sqrt(2 * N));
    for (const p of [0.05, 0.25, 0.5, 0.75, 0.95]) expectCdf(x, 50 + 12 * normalQuantile(p), p);
  });

  it('truncated normal: bounds respected, truncated-normal mean, SD and CDF', () => {
    const [mu, sigma, lo, hi] = [55, 20, 18, 80];
    const s = sampler({ covariates: { AGE: { dist: 'normal', mean: mu, sd: sigma, lower: lo, upper: hi } } });
    const x = draw(s).AGE as Float64Array;
    const [min, max] = range(x);
    expect(min).toBeGreaterThanOrEqual(lo);
    expect(max).toBeLessThanOrEqual(hi);
    const a = (lo - mu) / sigma;
    const b = (hi - mu) / sigma;
    const Z = normalCdf(b) - normalCdf(a);
    const d = (normalPdf(a) - normalPdf(b)) / Z;
    const m = mu + sigma * d;
    const v = sigma * sigma * (1 + (a * normalPdf(a) - b * normalPdf(b)) / Z - d * d);
    expect(Math.abs(mean(x) - m)).toBeLessThan((5 * Math.sqrt(v)) / Math.sqrt(N));
    expect(Math.abs(sd(x) - Math.sqrt(v))).toBeLessThan((5 * Math.sqrt(v)) / Math.sqrt(2 * N) * 1.5);
    for (const q of [20, 30, 55, 70, 79]) expectCdf(x, q, (normalCdf((q - mu) / sigma) - normalCdf(a)) / Z);
  });

  it('one-sided truncation deep in the upper tail (lower bound 4 SD above the mean)', () => {
    const s = sampler({ covariates: { X: { dist: 'normal', mean: 0, sd: 1, lower: 4 } } });
    const x = draw(s, 50_000).X as Float64Array;
    expect(range(x)[0]).toBeGreaterThanOrEqual(4);
    // P(X ≤ 4 + t | X > 4) = 1 − Q(4 + t)/Q(4)
    for (const t of [0.05, 0.2, 0.5]) expectCdf(x, 4 + t, 1 - normalCdf(-(4 + t)) / normalCdf(-4));
  });

  it('lognormal from median and cv: median, log-scale moments, arithmetic CV', () => {
    const s = sampler({ covariates: { WT: { dist: 'lognormal', median: 70, cv: 0.25 } } });
    const x = draw(s).WT as Float64Array;
    const sdlog = Math.sqrt(Math.log(1 + 0.25 ** 2));
    const logs = x.map(Math.log);
    expect(Math.abs(mean(logs) - Math.log(70))).toBeLessThan((5 * sdlog) / Math.sqrt(N));
    expect(Math.abs(sd(logs) - sdlog)).toBeLessThan((5 * sdlog) / Math.sqrt(2 * N));
    expectCdf(x, 70, 0.5);
    for (const p of [0.1, 0.9]) expectCdf(x, 70 * Math.exp(sdlog * normalQuantile(p)), p);
    expect(Math.abs(sd(x) / mean(x) - 0.25)).toBeLessThan(0.005); // SE of the sample CV ≈ 0.0004
  });

  it('lognormal from geometricMean and sdlog, truncated: bounds and truncated CDF', () => {
    const s = sampler({ covariates: { SCR: { dist: 'lognormal', geometricMean: 0.9, sdlog: 0.4, lower: 0.5, upper: 2 } } });
    const x = draw(s).SCR as Float64Array;
    expect(range(x)[0]).toBeGreaterThanOrEqual(0.5);
    expect(range(x)[1]).toBeLessThanOrEqual(2);
    const F = (q: number): number => normalCdf((Math.log(q) - Math.log(0.9)) / 0.4);
    for (const q of [0.6, 0.9, 1.3, 1.9]) expectCdf(x, q, (F(q) - F(0.5)) / (F(2) - F(0.5)));
  });

  it('uniform: bounds, mean, CDF', () => {
    const s = sampler({ covariates: { ALB: { dist: 'uniform', lower: 3, upper: 5 } } });
    expect([s.normalsPerSubject, s.uniformsPerSubject]).toEqual([0, 1]);
    const x = draw(s).ALB as Float64Array;
    expect(range(x)[0]).toBeGreaterThanOrEqual(3);
    expect(range(x)[1]).toBeLessThanOrEqual(5);
    expect(Math.abs(mean(x) - 4)).toBeLessThan((5 * (2 / Math.sqrt(12))) / Math.sqrt(N));
    for (const q of [3.2, 3.9, 4.5]) expectCdf(x, q, (q - 3) / 2);
  });
});

describe('categorical', () => {
  it('frequencies match p within 5 SE, values only from the list, p = 0 never drawn', () => {
    const s = sampler({ covariates: { GRP: { dist: 'categorical', values: [1, 2, 3, 7], p: [0.2, 0, 0.5, 0.3] } } });
    const x = draw(s).GRP as Float64Array;
    const counts = new Map<number, number>();
    for (const v of x) counts.set(v, (counts.get(v) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual([1, 3, 7]);
    for (const [v, p] of [
      [1, 0.2],
      [3, 0.5],
      [7, 0.3],
    ] as const) {
      expect(Math.abs((counts.get(v) ?? 0) / N - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / N));
    }
  });

  it('SEX 0/1 with p summing to 1 within 1e-9', () => {
    const s = sampler({ covariates: { SEX: { dist: 'categorical', values: [0, 1], p: [0.4999999999, 0.5] } } });
    const x = draw(s).SEX as Float64Array;
    expect(Math.abs(mean(x) - 0.5)).toBeLessThan(5 * Math.sqrt(0.25 / N));
  });
});

describe('correlation', () => {
  it('recovers the correlation matrix on the normal / log scale (±0.01)', () => {
    const R = [
      [1, 0.6, -0.3],
      [0.6, 1, 0.2],
      [-0.3, 0.2, 1],
    ];
    const s = sampler({
      covariates: {
        AGE: { dist: 'normal', mean: 50, sd: 10 },
        SEX: { dist: 'categorical', values: [0, 1], p: [0.5, 0.5] },
        WT: { dist: 'lognormal', median: 70, cv: 0.2 },
        HT: { dist: 'normal', mean: 170, sd: 9 },
      },
      correlation: { names: ['WT', 'HT', 'AGE'], matrix: R },
    });
    const c = draw(s);
    const logWt = (c.WT as Float64Array).map(Math.log);
    expect(Math.abs(corr(logWt, c.HT as Float64Array) - 0.6)).toBeLessThan(0.01);
    expect(Math.abs(corr(logWt, c.AGE as Float64Array) + 0.3)).toBeLessThan(0.01);
    expect(Math.abs(corr(c.HT as Float64Array, c.AGE as Float64Array) - 0.2)).toBeLessThan(0.01);
    // marginals unchanged
    expect(Math.abs(sd(c.HT as Float64Array) - 9)).toBeLessThan((5 * 9) / Math.sqrt(2 * N));
    expect(Math.abs(mean(logWt) - Math.log(70))).toBeLessThan(0.002);
    // the uncorrelated categorical stays independent
    expect(Math.abs(corr(c.SEX as Float64Array, c.HT as Float64Array))).toBeLessThan(0.01);
  });

  it('a correlation of exactly 1 (positive semi-definite) is accepted', () => {
    const s = sampler({
      covariates: { A: { dist: 'normal', mean: 0, sd: 1 }, B: { dist: 'normal', mean: 10, sd: 2 } },
      correlation: { names: ['A', 'B'], matrix: [[1, 1], [1, 1]] },
    });
    const c = draw(s, 1000);
    for (let i = 0; i < 1000; i++) expect((c.B as Float64Array)[i]).toBeCloseTo(10 + 2 * ((c.A as Float64Array)[i] as number), 10);
  });
});

describe('derived covariates', () => {
  const spec = {
    covariates: {
      AGE: { dist: 'normal', mean: 55, sd: 15, lower: 18, upper: 90 },
      SEX: { dist: 'categorical', values: [0, 1], p: [0.5, 0.5] },
      SCR: { dist: 'lognormal', median: 0.9, sdlog: 0.3, lower: 0.3, upper: 8 },
      WT: { dist: 'lognormal', median: 75, cv: 0.2, lower: 40, upper: 200 },
      HT: { dist: 'normal', mean: 170, sd: 10, lower: 140, upper: 210 },
      EGFR: { derived: 'egfr_ckdepi2021(SCR, AGE, SEX)' },
      CRCL: { derived: 'crcl_cg(SCR, AGE, WT, SEX)' },
      BSA: { derived: 'bsa_mosteller(HT, WT)' },
      BMI: { derived: 'bmi(HT, WT)' },
      LBW: { derived: 'lbw_janmahasatian(HT, WT, SEX)' },
      RENAL: { derived: 'min(EGFR, 120) / 100 * (SEX == 1 ? 1 : 0.9)' },
      LOGE: { derived: 'log(egfr_ckdepi2021(SCR, AGE, SEX)) - log(EGFR)' },
    },
  };

  it('equal the clinical calculators exactly (sex coded 1 = male, 0 = female)', () => {
    const s = sampler(spec);
    expect(s.names).toEqual(['AGE', 'SEX', 'SCR', 'WT', 'HT', 'EGFR', 'CRCL', 'BSA', 'BMI', 'LBW', 'RENAL', 'LOGE']);
    expect([s.normalsPerSubject, s.uniformsPerSubject]).toEqual([4, 1]);
    const n = 5000;
    const c = draw(s, n);
    for (let i = 0; i < n; i++) {
      const g = (k: string): number => (c[k] as Float64Array)[i] as number;
      const sex = g('SEX') === 1 ? 'male' : 'female';
      expect(g('EGFR')).toBe(egfrCkdEpi2021Cr({ scrMgDl: g('SCR'), ageYears: g('AGE'), sex }));
      expect(g('CRCL')).toBe(crclCockcroftGault({ scrMgDl: g('SCR'), ageYears: g('AGE'), weightKg: g('WT'), sex, weightBasis: 'total' }).crclMlMin);
      expect(g('BSA')).toBe(bsaMosteller({ heightCm: g('HT'), weightKg: g('WT') }));
      expect(g('BMI')).toBe(bodyMassIndex({ heightCm: g('HT'), weightKg: g('WT') }));
      expect(g('LBW')).toBe(leanBodyWeightJanmahasatian({ heightCm: g('HT'), weightKg: g('WT'), sex }));
      expect(g('RENAL')).toBeCloseTo((Math.min(g('EGFR'), 120) / 100) * (sex === 'male' ? 1 : 0.9), 14);
      expect(g('LOGE')).toBe(0);
    }
  });

  it('lbw_janmahasatian is at most the total weight (it gave 32.04 kg for a 30-kg man of 180 cm)', () => {
    const s = sampler({ covariates: { SEX: { dist: 'categorical', values: [0, 1], p: [0.5, 0.5] }, LBW: { derived: 'lbw_janmahasatian(180, 30, SEX)' } } });
    const out = [new Float64Array(1), new Float64Array(1)];
    s.fill(1, new Float64Array(0), Float64Array.of(0.9), out);
    expect(out[0]?.[0]).toBe(1);
    expect(out[1]?.[0]).toBe(30);
  });

  it('conditionals are lazy: a child never reaches CKD-EPI', () => {
    const s = sampler({
      covariates: {
        AGE: { dist: 'uniform', lower: 2, upper: 40 },
        HT: { dist: 'uniform', lower: 90, upper: 190 },
        SCR: { dist: 'uniform', lower: 0.3, upper: 1.2 },
        EGFR: { derived: 'AGE >= 18 ? egfr_ckdepi2021(SCR, AGE, 1) : 0.413 * HT / SCR' },
      },
    });
    const c = draw(s, 2000);
    for (let i = 0; i < 2000; i++) {
      const age = (c.AGE as Float64Array)[i] as number;
      const want =
        age >= 18
          ? egfrCkdEpi2021Cr({ scrMgDl: (c.SCR as Float64Array)[i] as number, ageYears: age, sex: 'male' })
          : (0.413 * ((c.HT as Float64Array)[i] as number)) / ((c.SCR as Float64Array)[i] as number);
      expect((c.EGFR as Float64Array)[i]).toBeCloseTo(want, 12);
    }
  });

  it('a calculator refusing a sampled value names the covariate, the subject and the reason', () => {
    const s = sampler({
      covariates: { AGE: { dist: 'uniform', lower: 10, upper: 30 }, EGFR: { derived: 'egfr_ckdepi2021(1, AGE, 0)' } },
    });
    const out = [new Float64Array(2), new Float64Array(2)];
    const e = errorOf(() => s.fill(2, new Float64Array(0), Float64Array.of(0.9, 0.1), out, 40));
    expect(e.code).toBe('E_MODEL');
    expect(e.place.path).toBe('covariates.EGFR.derived');
    expect(e.message).toContain('virtual subject 42');
    expect(e.message).toContain('ageYears');
    expect(e.message).toContain('≥ 18');
  });

  it('sex must be coded 0 or 1: a categorical sex drawn as 2 is refused when the spec is read, naming its entry; a resampled one at the subject', () => {
    const spec = { covariates: { SEX: { dist: 'categorical', values: [1, 2], p: [0.5, 0.5] }, BSA: { derived: 'lbw_janmahasatian(170, 70, SEX)' } } };
    expect(errorOf(() => sampler(spec)).message).toMatch(/^model covariates\.SEX\.values\[1\]: SEX is drawn as 2 \(p 0\.5\), but covariates\.BSA\.derived passes SEX as the sex of lbw_janmahasatian\(/);
    const s = sampler({ covariates: { obs: { resample: 't.csv', columns: ['SEX'] }, BSA: { derived: 'lbw_janmahasatian(170, 70, SEX)' } } }, { 't.csv': 'SEX\n2\n' });
    const e = errorOf(() => s.fill(1, new Float64Array(0), Float64Array.of(0.9), [new Float64Array(1), new Float64Array(1)]));
    expect(e.message).toContain('sex must be coded 1 (male) or 0 (female) (got 2)');
  });
});

describe('resampling a covariate table', () => {
  const csv = ['ID,WT,HT,SEX', '1,62.5,165,0', '2,80,178,1', '3,95.2,181,1', '4,55,158,0', '5,71,170,0', ''].join('\n');

  it('picks whole rows of the table, each with frequency 1/rows', () => {
    const s = sampler(
      {
        covariates: {
          AGE: { dist: 'normal', mean: 50, sd: 10 },
          obs: { resample: 'pop.csv', columns: ['WT', 'HT', 'SEX'] },
          BMI: { derived: 'bmi(HT, WT)' },
        },
      },
      { 'pop.csv': csv },
    );
    expect(s.names).toEqual(['AGE', 'WT', 'HT', 'SEX', 'BMI']);
    expect(s.layout.filter((l) => l.kind === 'resample').map((l) => l.uniform)).toEqual([0, 0, 0]);
    const c = draw(s);
    const rows = ['62.5,165,0', '80,178,1', '95.2,181,1', '55,158,0', '71,170,0'];
    const counts = new Map<string, number>();
    for (let i = 0; i < N; i++) {
      const key = `${(c.WT as Float64Array)[i]},${(c.HT as Float64Array)[i]},${(c.SEX as Float64Array)[i]}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([...rows].sort());
    for (const k of rows) expect(Math.abs((counts.get(k) as number) / N - 0.2)).toBeLessThan(5 * Math.sqrt(0.16 / N));
    expect((c.BMI as Float64Array)[7]).toBe(bodyMassIndex({ heightCm: (c.HT as Float64Array)[7] as number, weightKg: (c.WT as Float64Array)[7] as number }));
  });

  it('without columns, every column but ID becomes a covariate (a demographics table\'s ID is not one)', () => {
    const s = sampler({ covariates: { t: { resample: 'pop.csv' } } }, { 'pop.csv': csv });
    expect(s.names).toEqual(['WT', 'HT', 'SEX']);
    const named = sampler({ covariates: { t: { resample: 'pop.csv', columns: ['ID', 'WT'] } } }, { 'pop.csv': csv });
    expect(named.names).toEqual(['ID', 'WT']);
    const c = draw(named, 100);
    for (let i = 0; i < 100; i++) expect([1, 2, 3, 4, 5]).toContain((c.ID as Float64Array)[i]);
  });

  it('table errors name the row, column and value', () => {
    const bad = (text: string, columns?: string[]): DosewiseError =>
      errorOf(() => sampler({ covariates: { t: { resample: 'pop.csv', ...(columns ? { columns } : {}) } } }, { 'pop.csv': text }));
    let e = bad('WT,HT\n70,170\n8o,181\n', ['WT', 'HT']);
    expect(e.code).toBe('E_CSV_VALUE');
    expect(e.place).toMatchObject({ file: 'pop.csv', row: 2, column: 'WT', value: '8o' });
    expect(e.message).toBe('pop.csv, row 2, column WT: not a number (got "8o")');
    e = bad('WT,HT\n70,170\n80,\n');
    expect(e.place).toMatchObject({ row: 2, column: 'HT', value: '' });
    expect(e.message).toContain('missing value');
    e = bad('WT,HT\n70,170\n# a comment\n\n80,NA\n');
    expect(e.place).toMatchObject({ row: 2, column: 'HT', value: 'NA' });
    e = bad('WT,HT\n70,170,3\n');
    expect(e.place).toMatchObject({ row: 1, column: '*' });
    expect(e.message).toContain('expected 2 fields');
    e = bad('WT,HT\n70,170\n', ['WT', 'AGE']);
    expect(e.code).toBe('E_CSV_COLUMN_MISSING');
    expect(e.place.column).toBe('AGE');
    e = bad('WT,HT\n');
    expect(e.message).toContain('no data rows');
    e = bad('WT,WT\n1,2\n');
    expect(e.message).toContain('duplicate column name');
    // a bad cell in a column that is not used is not an error
    expect(parseCovariateTable('WT,NOTE\n70,tall\n', { columns: ['WT'] }).values[0]).toEqual(Float64Array.of(70));
    // CR-only line ends and Excel's empty rows, as the data-set reader takes them
    expect(parseCovariateTable('WT,AGE\r70,40\r,\r82,55\r')).toEqual(parseCovariateTable('WT,AGE\n70,40\n82,55\n'));
  });

  it('an unreadable file is an E_IO error naming it', () => {
    const e = errorOf(() => sampler({ covariates: { t: { resample: 'nope.csv' } } }));
    expect(e.code).toBe('E_IO');
    expect(e.place.file).toBe('nope.csv');
  });

  it('column names clashing with other covariates are refused', () => {
    const e = errorOf(() =>
      sampler({ covariates: { WT: { dist: 'normal', mean: 70, sd: 10 }, t: { resample: 'pop.csv' } } }, { 'pop.csv': csv }),
    );
    expect(e.place.path).toBe('covariates.t.resample');
    expect(e.message).toContain('WT is defined twice');
  });
});

describe('race-free', () => {
  it.each(['RACE', 'race', 'Black', 'is_black', 'ETHNICITY', 'AfricanAmerican'])('refuses a covariate named %s', (name) => {
    const e = errorOf(() => parseCovariateSpec({ covariates: { [name]: { dist: 'categorical', values: [0, 1], p: [0.5, 0.5] } } }));
    expect(e.code).toBe('E_MODEL');
    expect(e.place.path).toBe(`covariates.${name}`);
    expect(e.message).toContain('race-free');
  });

  it('refuses race columns of a resampled table, listed or implied', () => {
    let e = errorOf(() => parseCovariateSpec({ covariates: { t: { resample: 'x.csv', columns: ['WT', 'RACE'] } } }));
    expect(e.place.path).toBe('covariates.t.columns[1]');
    e = errorOf(() => sampler({ covariates: { t: { resample: 'x.csv' } } }, { 'x.csv': 'WT,RACE\n70,1\n' }));
    expect(e.place.path).toBe('covariates.t.resample');
    expect(e.message).toContain('race-free');
    // selecting the other columns is fine
    expect(sampler({ covariates: { t: { resample: 'x.csv', columns: ['WT'] } } }, { 'x.csv': 'WT,RACE\n70,1\n' }).names).toEqual(['WT']);
  });
});

describe('spec errors name the JSON path', () => {
  const cases: [string, unknown, string, string][] = [
    ['wrong type', { covariates: { WT: { dist: 'normal', mean: 70, sd: 'x' } } }, 'covariates.WT.sd', 'expected number'],
    ['missing field', { covariates: { WT: { dist: 'normal', sd: 3 } } }, 'covariates.WT.mean', 'missing (expected number)'],
    ['sd ≤ 0', { covariates: { WT: { dist: 'normal', mean: 70, sd: 0 } } }, 'covariates.WT.sd', '>0'],
    ['unknown dist', { covariates: { WT: { dist: 'gamma', mean: 70 } } }, 'covariates.WT.dist', "dist must be one of 'normal'"],
    ['unknown field', { covariates: { WT: { dist: 'uniform', lower: 1, upper: 2, mean: 3 } } }, 'covariates.WT.mean', 'unknown field'],
    ['no kind', { covariates: { WT: { mean: 70 } } }, 'covariates.WT', 'dist, derived or resample'],
    ['two kinds', { covariates: { WT: { dist: 'normal', derived: 'x' } } }, 'covariates.WT', 'only one of dist, derived'],
    ['bad name', { covariates: { 'W T': { dist: 'uniform', lower: 1, upper: 2 } } }, 'covariates["W T"]', 'identifiers'],
    ['reserved name', { covariates: { _X: { dist: 'uniform', lower: 1, upper: 2 } } }, 'covariates._X', 'identifiers'],
    ['empty', { covariates: {} }, 'covariates', 'at least one'],
    ['top-level field', { covariates: { A: { dist: 'uniform', lower: 1, upper: 2 } }, seed: 1 }, 'seed', 'unknown field'],
    ['bounds order', { covariates: { A: { dist: 'normal', mean: 0, sd: 1, lower: 3, upper: 2 } } }, 'covariates.A.upper', 'greater than lower'],
    ['empty range', { covariates: { A: { dist: 'normal', mean: 0, sd: 1, lower: 50, upper: 60 } } }, 'covariates.A', 'no probability'],
    ['uniform order', { covariates: { A: { dist: 'uniform', lower: 2, upper: 2 } } }, 'covariates.A.upper', 'greater than lower'],
    ['lognormal both', { covariates: { A: { dist: 'lognormal', median: 2, geometricMean: 2, cv: 0.1 } } }, 'covariates.A.geometricMean', 'not both'],
    ['lognormal no spread', { covariates: { A: { dist: 'lognormal', median: 2 } } }, 'covariates.A.cv', 'missing'],
    ['cv as percent', { covariates: { A: { dist: 'lognormal', median: 2, cv: 30 } } }, 'covariates.A.cv', 'fraction'],
    ['lognormal lower < 0', { covariates: { A: { dist: 'lognormal', median: 2, cv: 0.1, lower: -1 } } }, 'covariates.A.lower', '>=0'],
    ['p length', { covariates: { S: { dist: 'categorical', values: [0, 1], p: [1] } } }, 'covariates.S.p', 'expected 2 probabilities'],
    ['p sum', { covariates: { S: { dist: 'categorical', values: [0, 1], p: [0.5, 0.6] } } }, 'covariates.S.p', 'sum to 1'],
    ['p negative', { covariates: { S: { dist: 'categorical', values: [0, 1], p: [1.5, -0.5] } } }, 'covariates.S.p[1]', '>=0'],
    ['duplicate value', { covariates: { S: { dist: 'categorical', values: [0, 0], p: [0.5, 0.5] } } }, 'covariates.S.values[1]', 'duplicate'],
    ['derived unknown', { covariates: { A: { dist: 'uniform', lower: 1, upper: 2 }, B: { derived: 'A + C' } } }, 'covariates.B.derived', 'unknown covariate C'],
    ['derived forward', { covariates: { B: { derived: 'A * 2' }, A: { dist: 'uniform', lower: 1, upper: 2 } } }, 'covariates.B.derived', 'declared after B'],
    ['derived self', { covariates: { B: { derived: 'B * 2' } } }, 'covariates.B.derived', 'from itself'],
    ['derived reserved', { covariates: { A: { dist: 'uniform', lower: 1, upper: 2 }, B: { derived: 'bmi(A, A) + _0' } } }, 'covariates.B.derived', 'reserved'],
    ['corr unknown', { covariates: { A: { dist: 'normal', mean: 0, sd: 1 } }, correlation: { names: ['A', 'B'], matrix: [[1, 0], [0, 1]] } }, 'correlation.names[1]', 'unknown covariate'],
    // a resampled covariate read "unknown covariate" (the uniform and categorical ones were told why)
    ['corr resampled', { covariates: { H: { resample: 'demo.csv', columns: ['H'] }, N: { dist: 'normal', mean: 55, sd: 15 } }, correlation: { names: ['H', 'N'], matrix: [[1, 0.8], [0.8, 1]] } }, 'correlation.names[0]', 'only normal and lognormal covariates can be correlated (on the normal, resp. log, scale); H is resampled from demo.csv'],
    ['corr resampled entry', { covariates: { obs: { resample: 'demo.csv', columns: ['HT', 'WT'] }, N: { dist: 'normal', mean: 55, sd: 15 } }, correlation: { names: ['N', 'WT'], matrix: [[1, 0.8], [0.8, 1]] } }, 'correlation.names[1]', 'WT is resampled from demo.csv'],
    ['corr whole table', { covariates: { obs: { resample: 'demo.csv' }, N: { dist: 'normal', mean: 55, sd: 15 } }, correlation: { names: ['N', 'WT'], matrix: [[1, 0.8], [0.8, 1]] } }, 'correlation.names[1]', 'unknown covariate (if it is a column of demo.csv, which is resampled whole, it cannot be correlated'],
  ];
  it.each(cases)('%s', (_label, json, path, why) => {
    const e = errorOf(() => parseCovariateSpec(json));
    expect(e.code).toBe('E_MODEL');
    expect(e.place.path).toBe(path);
    expect(e.message).toContain(`${path}: `);
    expect(e.message).toContain(why);
  });

  it('the message reads "covariates.WT.sd: expected number" with the bad value', () => {
    const e = errorOf(() => parseCovariateSpec({ covariates: { WT: { dist: 'normal', mean: 70, sd: 'x' } } }));
    expect(e.message).toBe('model covariates.WT.sd: expected number, received string (got "x")');
  });

  const two = { A: { dist: 'normal', mean: 0, sd: 1 }, B: { dist: 'lognormal', median: 1, cv: 0.2 }, C: { dist: 'normal', mean: 0, sd: 1 } };
  const corrCases: [string, unknown, string, string][] = [
    ['not normal', { covariates: { ...two, U: { dist: 'uniform', lower: 0, upper: 1 } }, correlation: { names: ['A', 'U'], matrix: [[1, 0], [0, 1]] } }, 'correlation.names[1]', 'only normal and lognormal'],
    ['duplicate name', { covariates: two, correlation: { names: ['A', 'A'], matrix: [[1, 0], [0, 1]] } }, 'correlation.names[1]', 'duplicate'],
    ['rows', { covariates: two, correlation: { names: ['A', 'B'], matrix: [[1, 0]] } }, 'correlation.matrix', 'expected 2 rows'],
    ['row length', { covariates: two, correlation: { names: ['A', 'B'], matrix: [[1, 0], [0]] } }, 'correlation.matrix[1]', 'expected 2 entries'],
    ['diagonal', { covariates: two, correlation: { names: ['A', 'B'], matrix: [[1, 0], [0, 2]] } }, 'correlation.matrix[1][1]', 'diagonal'],
    ['range', { covariates: two, correlation: { names: ['A', 'B'], matrix: [[1, 1.2], [1.2, 1]] } }, 'correlation.matrix[0][1]', '[-1, 1]'],
    ['symmetry', { covariates: two, correlation: { names: ['A', 'B'], matrix: [[1, 0.3], [0.2, 1]] } }, 'correlation.matrix[0][1]', 'symmetric'],
    ['not PSD', { covariates: two, correlation: { names: ['A', 'B', 'C'], matrix: [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]] } }, 'correlation.matrix', 'not positive semi-definite'],
    ['type', { covariates: two, correlation: { names: ['A', 'B'], matrix: [[1, 'x'], [0, 1]] } }, 'correlation.matrix[0][1]', 'expected number'],
  ];
  it.each(corrCases)('correlation: %s', (_label, json, path, why) => {
    const e = errorOf(() => parseCovariateSpec(json));
    expect(e.place.path).toBe(path);
    expect(e.message).toContain(why);
  });

  it('derived syntax errors are E_EXPRESSION at the position in the user text', () => {
    let e = errorOf(() => parseCovariateSpec({ covariates: { A: { dist: 'uniform', lower: 1, upper: 2 }, B: { derived: 'bmi(A, A * ) + 1' } } }));
    expect(e.code).toBe('E_EXPRESSION');
    expect(e.place.path).toBe('covariates.B.derived');
    expect(e.message).toBe('model covariates.B.derived: expression "bmi(A, A * ) + 1" at 11: unexpected ")"');
    e = errorOf(() => parseCovariateSpec({ covariates: { A: { dist: 'uniform', lower: 1, upper: 2 }, B: { derived: 'egfr(A, A, 1)' } } }));
    expect(e.message).toContain('unknown function egfr');
    expect(e.message).toContain('egfr_ckdepi2021');
    e = errorOf(() => parseCovariateSpec({ covariates: { A: { dist: 'uniform', lower: 1, upper: 2 }, B: { derived: '2 * bmi(A)' } } }));
    expect(e.message).toContain('at 4: bmi(ht_cm, wt_kg) takes 2 arguments, got 1');
    e = errorOf(() => parseCovariateSpec({ covariates: { A: { dist: 'uniform', lower: 1, upper: 2 }, B: { derived: 'bmi(A, A' } } }));
    expect(e.message).toContain('missing ")"');
  });

  it('a parsed spec parses again to itself', () => {
    const json = {
      covariates: { A: { dist: 'normal', mean: 0, sd: 1, unit: 'y' }, B: { derived: 'A + 1' }, t: { resample: 'x.csv', columns: ['Q'] } },
      correlation: undefined,
    };
    const once = parseCovariateSpec(json);
    expect(parseCovariateSpec(once)).toEqual(once);
  });
});

describe('determinism and layout', () => {
  const spec = {
    covariates: {
      AGE: { dist: 'normal', mean: 55, sd: 15, lower: 18, upper: 90 },
      SEX: { dist: 'categorical', values: [0, 1], p: [0.45, 0.55] },
      WT: { dist: 'lognormal', median: 75, cv: 0.2 },
      SCR: { dist: 'lognormal', median: 0.9, sdlog: 0.3, lower: 0.3, upper: 8 },
      ALB: { dist: 'uniform', lower: 3, upper: 5 },
      obs: { resample: 't.csv' },
      EGFR: { derived: 'egfr_ckdepi2021(SCR, AGE, SEX)' },
    },
    correlation: { names: ['AGE', 'WT'], matrix: [[1, 0.4], [0.4, 1]] },
  };
  const files = { 't.csv': 'HT\n160\n170\n180\n' };

  it('lays out one normal per normal/lognormal and one uniform per uniform, categorical and table', () => {
    const s = sampler(spec, files);
    expect(s.layout).toEqual([
      { name: 'AGE', kind: 'normal', normal: 0 },
      { name: 'SEX', kind: 'categorical', uniform: 0 },
      { name: 'WT', kind: 'lognormal', normal: 1 },
      { name: 'SCR', kind: 'lognormal', normal: 2 },
      { name: 'ALB', kind: 'uniform', uniform: 1 },
      { name: 'HT', kind: 'resample', uniform: 2 },
      { name: 'EGFR', kind: 'derived' },
    ]);
    expect([s.normalsPerSubject, s.uniformsPerSubject]).toEqual([3, 3]);
  });

  it('filling subjects 0..N at once equals filling them in two chunks, and in reverse order', () => {
    const s = sampler(spec, files);
    const n = 10_001;
    const nz = s.normalsPerSubject;
    const nu = s.uniformsPerSubject;
    const z = normals(n * nz, 7);
    const u = uniforms(n * nu, 8);
    const whole = s.names.map(() => new Float64Array(n));
    s.fill(n, z, u, whole);

    const k = 3_777;
    const a = s.names.map(() => new Float64Array(k));
    const b = s.names.map(() => new Float64Array(n - k));
    s.fill(n - k, z.subarray(k * nz), u.subarray(k * nu), b, k); // later chunk first
    s.fill(k, z.subarray(0, k * nz), u.subarray(0, k * nu), a);
    s.names.forEach((_, c) => {
      const joined = new Float64Array(n);
      joined.set(a[c] as Float64Array, 0);
      joined.set(b[c] as Float64Array, k);
      expect(sameBits(joined, whole[c] as Float64Array)).toBe(true);
    });

    // reversed subject order gives the reversed columns
    const zr = new Float64Array(z.length);
    const ur = new Float64Array(u.length);
    for (let i = 0; i < n; i++) {
      zr.set(z.subarray(i * nz, (i + 1) * nz), (n - 1 - i) * nz);
      ur.set(u.subarray(i * nu, (i + 1) * nu), (n - 1 - i) * nu);
    }
    const rev = s.names.map(() => new Float64Array(n));
    s.fill(n, zr, ur, rev);
    s.names.forEach((_, c) => expect(sameBits(Float64Array.from(rev[c] as Float64Array).reverse(), whole[c] as Float64Array)).toBe(true));
    // and the columns are not trivially equal
    expect(sameBits(rev[0] as Float64Array, whole[0] as Float64Array)).toBe(false);
  });

  it('refuses mis-sized buffers and non-finite or out-of-range random numbers', () => {
    const s = sampler(spec, files);
    const out = s.names.map(() => new Float64Array(2));
    expect(() => s.fill(2, new Float64Array(5), new Float64Array(6), out)).toThrow(/z holds 5 normals/);
    expect(() => s.fill(2, new Float64Array(6), new Float64Array(6), out.slice(1))).toThrow(/out has 6 columns/);
    expect(() => s.fill(1, Float64Array.of(NaN, 0, 0), Float64Array.of(0.5, 0.5, 0.5), out)).toThrow(/normal 0 of virtual subject 1 is NaN/);
    expect(() => s.fill(1, Float64Array.of(0, 0, 0), Float64Array.of(0.5, 1.5, 0.5), out)).toThrow(/uniform 1 of virtual subject 1/);
  });
});

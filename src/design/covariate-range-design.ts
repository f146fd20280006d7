// W_COVARIATE_RANGE in the design commands. A model file may state the range each covariate was
// built on (`covariates.CRCL.range: [20, 150]`); simulate, estimate, forecast and optimize named a
// value outside it, but nomogram printed cells at CRCL 10 and 200, pta its "CRCL < 20" and
// "CRCL ≥ 150" columns and band a whole band "CRCL ≥ 187.8 → 2750 mg" without a word. Each gets the
// same warning, once per covariate, naming the cells, strata or bands outside.

import type { Model } from '../model/model.js';
import { COVARIATE_RANGE_CODE, ranges } from '../regimen/covariate-ranges.js';
import { covariateSampler } from '../population/covariates/sample.js';
import { normalQuantile } from '../stats/normal.js';

const fmt = (v: number): string => (Number.isFinite(v) ? String(Number(v.toPrecision(6))) : '.');
const outsideText = (lo: number, hi: number): string => `outside ${fmt(lo)}–${fmt(hi)}, the range the model was built on: an extrapolation`;

/** The ranges the model states for covariates it reads. */
function readRanges(model: Pick<Model, 'file' | 'inputs'>): [string, number, number][] {
  return ranges(model as Model).filter(([n]) => model.inputs.includes(n));
}

/**
 * A nomogram's grid axes and --set values outside the ranges: one line per covariate, naming the
 * values (the cells at them) outside.
 */
export function gridRangeWarnings(model: Pick<Model, 'file' | 'inputs'>, grid: readonly { readonly name: string; readonly values: readonly number[] }[], fixed: Readonly<Record<string, number>>): string[] {
  const out: string[] = [];
  for (const [name, lo, hi] of readRanges(model)) {
    const axis = grid.find((g) => g.name === name);
    if (axis) {
      const bad = axis.values.filter((v) => v < lo || v > hi);
      if (bad.length > 0) out.push(`${COVARIATE_RANGE_CODE}: ${name} ${bad.map(fmt).join(', ')} (grid ${bad.length === 1 ? 'cell' : 'cells'} at ${bad.map((v) => `${name}=${fmt(v)}`).join(', ')}) ${bad.length === 1 ? 'lies' : 'lie'} ${outsideText(lo, hi)}`);
      continue;
    }
    const v = fixed[name];
    if (v !== undefined && (v < lo || v > hi)) out.push(`${COVARIATE_RANGE_CODE}: ${name} ${fmt(v)} (set ${name}=${fmt(v)}, every cell) lies ${outsideText(lo, hi)}`);
  }
  return out;
}

/** Draws made to judge a covariate specification against the ranges (a share, not the run's own subjects). */
export const RANGE_DRAWS = 4000;

/** A sampled covariate's draws outside the model's range. */
export interface SampledBreach {
  readonly name: string;
  readonly lo: number;
  readonly hi: number;
  /** Share of RANGE_DRAWS draws below lo and above hi. */
  readonly below: number;
  readonly above: number;
  readonly min: number;
  readonly max: number;
}

/** A small fixed-seed generator (mulberry32): the check draws the same subjects every run. */
function uniforms(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
}

/**
 * The covariates a specification samples outside the model's ranges, judged on RANGE_DRAWS draws of
 * it on this thread (the run's subjects are drawn in workers). [] where it samples none the model
 * ranges, or where drawing fails (the run refuses it, in its words).
 */
export function sampledRangeBreaches(model: Pick<Model, 'file' | 'inputs'>, covariates: unknown, files?: Readonly<Record<string, string>>): SampledBreach[] {
  const ranged = readRanges(model);
  if (covariates === undefined || ranged.length === 0) return [];
  try {
    const s = covariateSampler(covariates as never, {
      readText: (p) => {
        const t = files?.[p];
        if (t === undefined) throw new Error(`no file ${p}`);
        return t;
      },
    });
    const judged = ranged.filter(([n]) => s.names.includes(n));
    if (judged.length === 0) return [];
    const n = RANGE_DRAWS;
    const u = uniforms(20261207);
    const z = new Float64Array(n * s.normalsPerSubject).map(() => normalQuantile(u()));
    const un = new Float64Array(n * s.uniformsPerSubject).map(() => u());
    const cols = s.names.map(() => new Float64Array(n));
    s.fill(n, z, un, cols, 0);
    return judged.flatMap(([name, lo, hi]): SampledBreach[] => {
      const col = cols[s.names.indexOf(name)] as Float64Array;
      let below = 0;
      let above = 0;
      let min = Infinity;
      let max = -Infinity;
      for (const v of col) {
        if (!Number.isFinite(v)) continue;
        if (v < lo) below++;
        else if (v > hi) above++;
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      return below + above > 0 ? [{ name, lo, hi, below: below / n, above: above / n, min, max }] : [];
    });
  } catch {
    return [];
  }
}

const pct = (x: number): string => `${x >= 0.001 ? Number((100 * x).toPrecision(3)) : '<0.1'} %`;

/** "CRCL: 56.2 % of the population's draws (12.3 % below, 43.9 % above; 5–300 drawn) lie outside 20–150, …" and the parts outside. */
function sampledText(b: SampledBreach, file: string | undefined, parts: readonly string[], kind: string): string {
  const share = pct(b.below + b.above);
  const sides = [b.below > 0 ? `${pct(b.below)} below` : '', b.above > 0 ? `${pct(b.above)} above` : ''].filter(Boolean).join(', ');
  return (
    `${COVARIATE_RANGE_CODE}: ${b.name} sampled${file ? ` by ${file}` : ''}: ${share} of the subjects (${sides}; ${fmt(b.min)}–${fmt(b.max)} drawn, of ${RANGE_DRAWS.toLocaleString('en-US')} draws) lie ${outsideText(b.lo, b.hi)}` +
    (parts.length > 0 ? `; ${kind} outside it: ${parts.join(', ')}` : '')
  );
}

/**
 * pta: the sampled covariates outside the ranges, naming the strata (on that covariate) that hold
 * subjects outside: a stratum reaching below lo where draws fall below it, above hi likewise.
 */
export function ptaRangeWarnings(breaches: readonly SampledBreach[], strata: { readonly variable: string; readonly cuts: readonly number[]; readonly labels: readonly string[] } | null, counts: readonly number[], file?: string): string[] {
  return breaches.map((b) => {
    const parts: string[] = [];
    if (strata && strata.variable === b.name) {
      strata.labels.forEach((label, i) => {
        const from = i === 0 ? -Infinity : (strata.cuts[i - 1] as number);
        const to = i === strata.cuts.length ? Infinity : (strata.cuts[i] as number);
        if ((counts[i] ?? 0) > 0 && ((b.below > 0 && from < b.lo) || (b.above > 0 && to > b.hi))) parts.push(`"${label}"`);
      });
    }
    return sampledText(b, file, parts, 'strata reaching');
  });
}

/** band: the sampled covariates outside the ranges, naming the bands (by the banding covariate) whose subjects lie outside. */
export function bandRangeWarnings(breaches: readonly SampledBreach[], by: string, bands: readonly { readonly n: number; readonly min: number; readonly max: number; readonly dose: number }[], file?: string): string[] {
  return breaches.map((b) => {
    const parts: string[] = [];
    if (b.name === by)
      bands.forEach((band, i) => {
        if (band.n > 0 && (band.min < b.lo || band.max > b.hi)) parts.push(`band ${i + 1} (${fmt(band.min)}–${fmt(band.max)}, dose ${fmt(band.dose)})`);
      });
    return sampledText(b, file, parts, 'bands reaching');
  });
}

// Clinical relevance: exposure ratios and intervals for effects on F, CL, V; verdicts against the
// band; implied dose changes; the engine agrees with the closed form, and V alone changes no AUC.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { engineExposureRatio, formatRelevance, parseEffects, relevance, relevanceFromModel, verdictOf, zFor } from '../../../src/design/relevance/relevance.js';

const goti = defineModel(JSON.parse(readFileSync('models/vancomycin_goti_2018.json', 'utf8')));
const effects = JSON.parse(readFileSync('examples/relevance-effects.json', 'utf8')).effects;

describe('relevance (closed form)', () => {
  it('effect on CL: AUC ratio 1/r with the inverted interval; outside the band → adjust, dose ×r', () => {
    const t = relevance([{ label: 'strong inhibitor', on: 'CL', ratio: 0.5, lo: 0.42, hi: 0.6 }]);
    const r = t.rows[0]!;
    expect(r.ratio).toBeCloseTo(2, 12);
    expect(r.lo).toBeCloseTo(1 / 0.6, 12);
    expect(r.hi).toBeCloseTo(1 / 0.42, 12);
    expect(r.verdict).toBe('adjust');
    expect(r.doseRatio).toBeCloseTo(0.5, 12);
    expect(r.doseRatioRounded).toBe(0.5);
    expect(r.advice).toMatch(/×0\.5 \(-50%/);
  });
  it('effect on F: AUC ratio r; inside the band → no change; straddling → inconclusive', () => {
    const t = relevance([
      { label: 'formulation', on: 'F', ratio: 1.05, lo: 0.95, hi: 1.15 },
      { label: 'food', on: 'F', ratio: 0.85, lo: 0.72, hi: 1.0 },
      { label: 'inducer', on: 'CL', ratio: 1.6, lo: 1.4, hi: 1.9 },
    ]);
    expect(t.rows.map((r) => r.verdict)).toEqual(['no-change', 'inconclusive', 'adjust']);
    expect(t.rows[0]!.advice).toBe('no dose change');
    // the dose advised where no change is: ×1, in JSON and reports as in the text (exact 1/ratio kept)
    expect([t.rows[0]!.doseRatioRounded, t.rows[0]!.adjustedRatio]).toEqual([1, 1.05]);
    expect(t.rows[0]!.doseRatio).toBeCloseTo(1 / 1.05, 12);
    expect(t.rows[2]!.doseRatio).toBeCloseTo(1.6, 12);
    expect(t.rows[2]!.doseRatioRounded).toBe(1.5); // nearest 0.25 step
    expect(t.rows[2]!.adjustedRatio).toBeCloseTo(1.5 / 1.6, 12);
  });
  it('effect on V alone: AUC ratio 1, no maintenance-dose change, and the row says why', () => {
    const r = relevance([{ label: 'obesity on V', on: 'V', ratio: 1.8, lo: 1.5, hi: 2.1 }]).rows[0]!;
    expect([r.ratio, r.lo, r.hi, r.doseRatio, r.doseRatioRounded]).toEqual([1, 1, 1, 1, 1]);
    expect(r.verdict).toBe('no-change');
    expect(r.advice).toMatch(/no maintenance-dose change \(V only\)/);
    expect(r.note).toMatch(/an effect on V alone changes no AUC-targeted maintenance dose/);
  });
  it('interval from the SE of log(ratio): exp(log r ± z·SE); point only when none', () => {
    expect(zFor(0.9)).toBeCloseTo(1.6448536, 6);
    expect(zFor(0.95)).toBeCloseTo(1.9599640, 6);
    const [a, b] = relevance([
      { label: 'se', on: 'F', ratio: 0.9, se: 0.05 },
      { label: 'point', on: 'F', ratio: 0.7 },
    ]).rows;
    expect(a!.interval).toBe('from SE');
    expect(a!.lo).toBeCloseTo(0.9 * Math.exp(-1.6448536 * 0.05), 6);
    expect(a!.hi).toBeCloseTo(0.9 * Math.exp(1.6448536 * 0.05), 6);
    expect(a!.verdict).toBe('no-change');
    expect(b!.interval).toBe('none');
    expect(b!.verdict).toBe('adjust');
    expect(b!.note).toMatch(/point estimate only/);
  });
  it('band edges and custom bands', () => {
    expect(verdictOf(0.8, 1.25, [0.8, 1.25])).toBe('no-change');
    expect(verdictOf(0.5, 0.79, [0.8, 1.25])).toBe('adjust');
    expect(verdictOf(1.26, 2, [0.8, 1.25])).toBe('adjust');
    expect(verdictOf(0.7, 0.9, [0.8, 1.25])).toBe('inconclusive');
    // an engine ratio ending at the edge up to rounding (0.79999999999997) is on the edge, as the closed form's 0.8
    expect(verdictOf(0.6, 0.79999999999997, [0.8, 1.25])).toBe(verdictOf(0.6, 0.8, [0.8, 1.25]));
    expect(verdictOf(0.6, 0.8, [0.8, 1.25])).toBe('inconclusive');
    expect(verdictOf(0.79999999999997, 1.25000000000003, [0.8, 1.25])).toBe('no-change');
    expect(verdictOf(0.6, 0.7999, [0.8, 1.25])).toBe('adjust');
    expect(relevance([{ label: 'x', on: 'F', ratio: 0.75, lo: 0.7, hi: 0.8 }], { band: [0.67, 1.5] }).rows[0]!.verdict).toBe('no-change');
    expect(() => relevance([], { band: [1.2, 0.8] })).toThrow(/0 < LO < 1 < HI/);
  });
  it('forest-plot table: label, ratio, lo, hi, band for every effect of the example file', () => {
    const t = relevance(parseEffects(effects, 'examples/relevance-effects.json'));
    expect(t.rows).toHaveLength(effects.length);
    for (const r of t.rows) {
      expect(r.lo).toBeLessThanOrEqual(r.ratio);
      expect(r.ratio).toBeLessThanOrEqual(r.hi);
      expect([r.bandLo, r.bandHi]).toEqual([0.8, 1.25]);
    }
    const text = formatRelevance(t);
    expect(text).toMatch(/forest/);
    expect(text).toMatch(/\|.*:.*\|/); // band edges around 1
    expect(text).toMatch(/V only/);
  });
  it('bad effects are named', () => {
    expect(() => parseEffects({}, 'e.json')).toThrow(/JSON array/);
    expect(() => parseEffects([{ label: 'a', on: 'Q', ratio: 1 }], 'e.json')).toThrow(/e\.json: effect 1 \(a\): on must be CL, F or V/);
    expect(() => parseEffects([{ label: 'a', on: 'CL', ratio: 1, lo: 1.1, hi: 1.2 }], 'e.json')).toThrow(/lo ≤ ratio ≤ hi/);
    expect(() => parseEffects([{ label: 'a', on: 'CL', ratio: '1' }], 'e.json')).toThrow(/ratio must be a number/);
    expect(() => parseEffects([{ label: 'a', on: 'CL', ratio: 1, lo: 0.9 }], 'e.json')).toThrow(/both lo and hi/);
    expect(() => parseEffects([{ label: 'a', on: 'CL', ratio: 1, extra: 1 }], 'e.json')).toThrow(/unknown field extra/);
    expect(parseEffects([{ label: 'a', on: 'cl', ratio: 1 }])[0]!.on).toBe('CL');
  });
});

describe('relevance from the engine', () => {
  const opts = { covariates: { WT: 70, CRCL: 90 }, dose: 1000, regimen: { interval: 12, infusion: 1 } };
  it("V alone: the engine's AUC is unchanged, while peak and trough change", () => {
    const r = engineExposureRatio(goti, 'V', [0.5, 2], opts);
    for (const x of r) expect(Math.abs(x.auc - 1)).toBeLessThan(1e-6);
    expect(r[0]!.cmax).toBeGreaterThan(1.2);
    expect(r[1]!.cmax).toBeLessThan(0.9);
    expect(Math.abs(r[1]!.trough - 1)).toBeGreaterThan(0.05);
  });
  it('CL and F: the engine gives AUC ratio 1/r and r (linear model)', () => {
    const cl = engineExposureRatio(goti, 'CL', [0.5, 0.8, 1.6], opts);
    [0.5, 0.8, 1.6].forEach((r, i) => expect(Math.abs(cl[i]!.auc * r - 1)).toBeLessThan(1e-5));
    const f = engineExposureRatio(goti, 'F', [0.7, 1.2], opts);
    [0.7, 1.2].forEach((r, i) => expect(Math.abs(f[i]!.auc / r - 1)).toBeLessThan(1e-9));
  });
  it('the engine table equals the closed-form table for a linear model', () => {
    const list = parseEffects(effects);
    const a = relevance(list).rows;
    const b = relevanceFromModel(goti, list, opts).rows;
    b.forEach((r, i) => {
      expect(r.verdict).toBe(a[i]!.verdict);
      expect(r.doseRatioRounded).toBe(a[i]!.doseRatioRounded);
      for (const k of ['ratio', 'lo', 'hi'] as const) expect(Math.abs(r[k] / a[i]![k] - 1)).toBeLessThan(1e-5);
      expect(r.cmaxRatio).toBeGreaterThan(0);
    });
    // a CL interval ending exactly at the band's edges: the engine's AUC (8e-8 off there) is on the
    // edges as the closed form is, "no-change" (it read 0.79999992 and "inconclusive")
    const edge = relevanceFromModel(goti, [{ label: 'edge CL', on: 'CL', ratio: 1, lo: 0.8, hi: 1.25 }], opts).rows[0]!;
    expect(Math.abs(edge.lo / 0.8 - 1)).toBeLessThan(1e-6);
    expect(edge.verdict).toBe('no-change');
    expect(() => engineExposureRatio(goti, 'CL' as never, [1], { ...opts, covariates: {} })).toThrow(/CRCL/);
    // not linear: the dose rule does not hold, refused
    const tmdd = defineModel(JSON.parse(readFileSync('examples/occupancy-tmdd.model.json', 'utf8')));
    expect(() => relevanceFromModel(tmdd, list, { dose: 10, regimen: { interval: 168 }, covariates: {} } as never)).toThrow(/assumes exposure proportional to dose \(linear PK\); model .* is tmdd/);
  });
});

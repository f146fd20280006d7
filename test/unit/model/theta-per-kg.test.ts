// A θ whose unit is per kg (or per m² of body surface) is a typical value only once its parameter's
// expression multiplies it by that weight (surface). Before, the θ unit check (786cd62) took L/kg and
// L/h/kg as volumes and clearances whatever multiplied them, so that
//   TVV 0.7 L/kg with V = TVV·(WT/70) ran with V = 0.7 L: C(0) = 142.857 after 100 mg for 100/49 = 2.0408,
//   TVCL 0.07 L/h/kg with CL = TVCL ran with CL = 0.07 L/h: C(4) = 2.0292 for 1.3680,
// both with exit 0. WT/70 has no unit (70 is the reference weight), and a power of it (or of WT) is
// an allometric model whose θ is the value at the reference weight, not per kg.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DosewiseError } from '../../../src/errors.js';
import { defineModel } from '../../../src/model/model.js';
import { type Ast, parseExpression } from '../../../src/model/expression.js';
import { checkUnits } from '../../../src/model/units.js';
import { BUILTIN_STRUCTURES } from '../../../src/model/structure.js';
import { simulate } from '../../../src/engine/simulate.js';
import { regimen } from '../../../src/regimen/builder.js';

const repo = resolve(import.meta.dirname, '../../..');

function refusal(f: () => unknown): DosewiseError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DosewiseError);
    return e as DosewiseError;
  }
  throw new Error('not refused');
}

type Theta = Record<string, { value: number; unit?: string }>;
const oneCmt = (theta: Theta, parameters: Record<string, string | { expr: string; unit?: string }>, covariates: Record<string, { unit?: string; default?: number }> = { WT: { unit: 'kg', default: 70 } }) => ({
  dosewise: 2,
  name: 'per-kg',
  structure: { kind: 'linear', compartments: 1, depot: false },
  theta,
  covariates,
  parameters,
});

/** The check as the loader runs it, the covariates' units passed too (as src/model/model.ts is to pass them). */
function check(file: ReturnType<typeof oneCmt>): void {
  const expressions = new Map<string, Ast>();
  const units: Record<string, string | undefined> = {};
  for (const [n, p] of Object.entries(file.parameters)) {
    const q = p as string | number | { expr?: string; value?: number; unit?: string };
    expressions.set(n, typeof q === 'number' ? { k: 'num', v: q } : typeof q === 'string' ? parseExpression(q, `parameters.${n}`) : q.expr !== undefined ? parseExpression(q.expr, `parameters.${n}`) : { k: 'num', v: q.value ?? 0 });
    units[n] = typeof q === 'object' ? q.unit : undefined;
  }
  const st = (file as { structure?: string | { kind?: string } }).structure;
  const kind = typeof st === 'string' ? BUILTIN_STRUCTURES[st.toLowerCase()]?.kind : (st?.kind ?? 'linear');
  checkUnits(units, { theta: file.theta, expressions, structure: kind, covariates: file.covariates });
}

/** C at `times` after 100 mg IV at time 0 (WT from the covariate default, 70 kg). */
function levels(file: unknown, times: number[]): number[] {
  const { ipred } = simulate(defineModel(file), regimen().dose({ time: 0, amt: 100, cmt: 1 }).observe({ times }).records());
  return [...ipred].slice(-times.length);
}

describe('a θ per kg must be multiplied by a weight in kg', () => {
  it('TVV 0.7 L/kg with V = TVV·(WT/70) is refused (it ran as V = 0.7 L: C(0) 142.857 for 2.0408)', () => {
    const file = oneCmt({ TVCL: { value: 5, unit: 'L/h' }, TVV: { value: 0.7, unit: 'L/kg' } }, { CL: { expr: 'TVCL * (WT/70)^0.75', unit: 'L/h' }, V: { expr: 'TVV * (WT/70)', unit: 'L' } });
    const e = refusal(() => defineModel(file));
    expect(e.place.path).toBe('theta.TVV.unit');
    expect(e.message).toMatch(/TVV is in L\/kg, per kg of body weight, but V's expression multiplies it by WT\/70, a ratio without a unit, so that TVV is read as V at 70 kg; give TVV in the unit of V at 70 kg \(L\) with V = TVV·WT\/70, or keep it per kg with V = TVV·WT \(got "L\/kg"\)/);
  });

  it('the form the message gives is right: V = TVV·WT, 0.7 L/kg × 70 kg = 49 L, C(0) = 100/49, C(4) = 100/49·exp(−(5/49)·4)', () => {
    const file = oneCmt({ TVCL: { value: 5, unit: 'L/h' }, TVV: { value: 0.7, unit: 'L/kg' } }, { CL: { expr: 'TVCL * (WT/70)^0.75', unit: 'L/h' }, V: { expr: 'TVV * WT', unit: 'L' } });
    // python3: 100/49 = 2.0408163265306123, 100/49*math.exp(-5/49*4) = 1.356878203478359
    const [c0, c4] = levels(file, [0, 4]);
    expect(c0).toBeCloseTo(2.0408163265306123, 9);
    expect(c4).toBeCloseTo(1.356878203478359, 9);
  });

  it('TVCL 0.07 L/h/kg with CL = TVCL and no weight anywhere is refused (it ran as 0.07 L/h: C(4) 2.0292 for 1.3680)', () => {
    const file = { ...oneCmt({ TVCL: { value: 0.07, unit: 'L/h/kg' }, TVV: { value: 49, unit: 'L' } }, { CL: { expr: 'TVCL', unit: 'L/h' }, V: { expr: 'TVV', unit: 'L' } }), covariates: undefined };
    const e = refusal(() => defineModel(file));
    expect(e.place.path).toBe('theta.TVCL.unit');
    expect(e.message).toMatch(/TVCL is in L\/h\/kg, per kg of body weight, but CL's expression multiplies it by no weight in kg; give CL = TVCL·WT with WT a covariate in kg, or TVCL in L\/h, the typical value at the reference weight/);
    // with an η the same: exp(η) carries no weight
    expect(() => defineModel({ ...file, parameters: { CL: { expr: 'TVCL * exp(ETA_CL)', unit: 'L/h' }, V: 'TVV' }, omega: { etas: ['ETA_CL'], diagonal: [0.1] } })).toThrow(/multiplies it by no weight in kg/);
  });

  it('CL = TVCL·WT with 0.07 L/h/kg is CL 4.9 L/h at 70 kg: C(4) = 100/49·exp(−0.1·4) = 1.3680', () => {
    const file = oneCmt({ TVCL: { value: 0.07, unit: 'L/h/kg' }, TVV: { value: 49, unit: 'L' } }, { CL: { expr: 'TVCL * WT', unit: 'L/h' }, V: { expr: 'TVV', unit: 'L' } });
    // python3: 100/49*math.exp(-4.9/49*4) = 1.3680000939502843
    expect(levels(file, [4])[0]).toBeCloseTo(1.3680000939502843, 9);
  });

  it('a factor of WT itself loads however written: WT, WT^1, (WT), WT·…, pow(WT, 1), mL/min/kg converted by 60/1000', () => {
    for (const expr of ['TVCL * WT', 'TVCL * WT^1', 'TVCL * (WT)', 'WT * TVCL * exp(ETA_CL)', 'TVCL * pow(WT, 1)', 'TVCL * WT * (AGE/40)^-0.3'])
      expect(() => check(oneCmt({ TVCL: { value: 0.07, unit: 'L/h/kg' }, TVV: { value: 49, unit: 'L' } }, { CL: { expr, unit: 'L/h' }, V: 'TVV' }, { WT: { unit: 'kg' }, AGE: { unit: 'years' } })), expr).not.toThrow();
    expect(() => check(oneCmt({ TVCL: { value: 1.2, unit: 'mL/min/kg' }, TVV: { value: 49, unit: 'L' } }, { CL: { expr: 'TVCL * WT * 60 / 1000', unit: 'L/h' }, V: 'TVV' }))).not.toThrow();
    // a weight power matching a θ per kg^0.75 is dimensionally right
    expect(() => check(oneCmt({ TVCL: { value: 0.2, unit: 'L/h/kg^0.75' }, TVV: { value: 49, unit: 'L' } }, { CL: { expr: 'TVCL * WT^0.75', unit: 'L/h' }, V: 'TVV' }))).not.toThrow();
  });

  it('an allometric power is refused for a θ per kg, the message saying its unit is that at the reference weight', () => {
    const file = (expr: string) => oneCmt({ TVCL: { value: 0.07, unit: 'L/h/kg' }, TVV: { value: 49, unit: 'L' } }, { CL: { expr, unit: 'L/h' }, V: 'TVV' });
    expect(() => check(file('TVCL * (WT/70)^0.75'))).toThrow(/multiplies it by \(WT\/70\)\^0\.75, an allometric model, whose TVCL is CL at the reference weight 70 kg, not per kg; give TVCL in the unit of CL at 70 kg \(L\/h\)/);
    expect(() => check(file('TVCL * WT^0.75'))).toThrow(/multiplies it by WT\^0\.75, not by WT: an allometric model, whose TVCL is not per kg; give TVCL in L\/h, the value of CL at the reference weight/);
    // per kg^0.75 with WT^1: off by WT^0.25 (4.6 times at 70 kg) as well
    expect(() => check(oneCmt({ TVCL: { value: 0.2, unit: 'L/h/kg^0.75' }, TVV: { value: 49, unit: 'L' } }, { CL: { expr: 'TVCL * WT', unit: 'L/h' }, V: 'TVV' }))).toThrow(/multiplies it by WT, not by WT\^0\.75/);
  });

  it('a factor in another unit than kg is refused when declared: WT in g, CRCL in mL/min, BSA in m²', () => {
    const file = (expr: string, covariates: Record<string, { unit: string }>) => oneCmt({ TVCL: { value: 0.07, unit: 'L/h/kg' }, TVV: { value: 49, unit: 'L' } }, { CL: { expr, unit: 'L/h' }, V: 'TVV' }, covariates);
    expect(() => check(file('TVCL * WT', { WT: { unit: 'g' } }))).toThrow(/multiplies it by WT, in g, not in kg/);
    expect(() => check(file('TVCL * CRCL', { CRCL: { unit: 'mL/min' } }))).toThrow(/multiplies it by CRCL, in mL\/min, not by a weight in kg/);
    expect(() => check(file('TVCL * BSA', { BSA: { unit: 'm2' } }))).toThrow(/multiplies it by BSA, in m2, not by a weight in kg/);
    // a derived weight declared in kg (a parameter) counts; without a unit a name is not checked
    expect(() => check(oneCmt({ TVCL: { value: 0.07, unit: 'L/h/kg' }, TVV: { value: 49, unit: 'L' } }, { FFM: { expr: 'WT * 0.8', unit: 'kg' }, CL: { expr: 'TVCL * FFM', unit: 'L/h' }, V: 'TVV' }))).not.toThrow();
    expect(() => check(file('TVCL * LBW', {}))).not.toThrow();
  });

  it('per m² of body surface: BSA in m², per 1.73 m² read with BSA/1.73', () => {
    const file = (unit: string, expr: string, covariates: Record<string, { unit: string }> = { BSA: { unit: 'm2' } }) => oneCmt({ TVCL: { value: 3, unit }, TVV: { value: 49, unit: 'L' } }, { CL: { expr, unit: 'L/h' }, V: 'TVV' }, covariates);
    expect(() => check(file('L/h/m2', 'TVCL * BSA'))).not.toThrow();
    expect(() => check(file('L/h/1.73 m²', 'TVCL * BSA/1.73'))).not.toThrow();
    expect(() => check(file('L/h/m2', 'TVCL'))).toThrow(/TVCL is in L\/h\/m2, per m² of body surface, but CL's expression multiplies it by no body surface in m²/);
    expect(() => check(file('L/h/m2', 'TVCL * WT', { WT: { unit: 'kg' } }))).toThrow(/multiplies it by WT, in kg, not by a body surface in m²/);
    // per 1.73 m² times BSA itself is 1.73 times too high
    expect(() => check(file('L/h/1.73 m²', 'TVCL * BSA'))).toThrow(/per 1\.73 m² of body surface, but CL's expression multiplies it by BSA, not by \(BSA\/1\.73\)/);
  });

  it('every model file of models/ and examples/ still loads', () => {
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (f.endsWith('.json')) files.push(p);
      }
    };
    walk(join(repo, 'models'));
    walk(join(repo, 'examples'));
    let loaded = 0;
    for (const p of files) {
      const json = JSON.parse(readFileSync(p, 'utf8')) as { dosewise?: unknown; parameters?: unknown };
      if (json.dosewise === undefined || json.parameters === undefined) continue;
      expect(() => defineModel(json), p).not.toThrow();
      // and with the covariates' units, as the loader is to pass them
      const file = json as Parameters<typeof check>[0];
      expect(() => check(file), p).not.toThrow();
      loaded++;
    }
    expect(loaded).toBeGreaterThanOrEqual(15);
  });
});

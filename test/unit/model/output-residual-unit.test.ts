// A residual error's `unit` is compared with the unit of the levels it describes (observe.unit for
// the model's residual, outputs.<DVID>.unit for an output's), never converted. It was accepted by
// the schema and never read: the parent–metabolite example with its metabolite's additive SD
// written as 50 "ng/mL" (0.05 mg/L) fitted with an SD of 50 mg/L (η_CL 0.00787, OFV 36.7488, which
// scipy gives for SD 50 mg/L), for η_CL 0.35654, OFV 2.771637 with 0.05 mg/L.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { DosewiseError } from '../../../src/errors.js';

type Json = Record<string, unknown>;
const parentMetabolite = (): Json => JSON.parse(readFileSync('examples/parent-metabolite/model.json', 'utf8')) as Json;
const withMetaboliteResidual = (residual: Json, unit?: string): Json => {
  const m = parentMetabolite();
  const outputs = m.outputs as Record<string, Json>;
  outputs['2'] = { ...outputs['2'], residual, ...(unit !== undefined ? { unit } : {}) };
  return m;
};
/** The refusal defineModel gives, as [path, message]. */
function refusal(model: Json): [string | undefined, string] {
  try {
    defineModel(model);
  } catch (e) {
    expect(e).toBeInstanceOf(DosewiseError);
    expect((e as DosewiseError).code).toBe('E_MODEL');
    return [(e as DosewiseError).place.path, (e as Error).message];
  }
  throw new Error('the model was not refused');
}
const patient1 = readNmtran(readFileSync('examples/parent-metabolite/patients.csv', 'utf8')).records.filter((r) => r.ID === 1);

describe('residual error unit against its output', () => {
  it('refuses an additive SD of 50 ng/mL on a metabolite in mg/L (it ran as 50 mg/L, η_CL 0.0079 for 0.357), giving the value in mg/L', () => {
    const [path, message] = refusal(withMetaboliteResidual({ model: 'combined', additive: 50, proportional: 0.12, unit: 'ng/mL' }));
    expect(path).toBe('outputs.2.residual.unit');
    // 1 ng/mL = 1e-6 mg / 1e-3 L = 1e-3 mg/L, so 50 ng/mL = 0.05 mg/L
    expect(message).toContain('50 ng/mL is 0.05 mg/L');
    expect(message).toContain('1 ng/mL = 0.001 mg/L');
    expect(message).toContain('give additive 0.05');
    expect(message).toContain('outputs.2.unit');
    expect(message).toContain('(got "ng/mL")');
  });

  it('the SD given in the output unit fits as scipy does with 0.05 mg/L: η [0.21688, −0.12927, 0.35654], OFV 2.771637', () => {
    // reference: scipy MAP of ID 1 in closed form (Nelder–Mead then BFGS, gtol 1e-9), additive SD
    // 0.05 mg/L; with 50 mg/L scipy gives η_CL 0.0078651, OFV 36.748792, the numbers the unit hid
    const fit = estimate(defineModel(withMetaboliteResidual({ model: 'combined', additive: 0.05, proportional: 0.12, unit: 'mg/L' })), patient1);
    const ref = [0.21687650781708073, -0.12927186230437926, 0.3565425952739919];
    // measured |Δη| 2.2e-9, |ΔOFV| 6e-15
    fit.eta.forEach((e, i) => expect(Math.abs(e - (ref[i] as number))).toBeLessThan(1e-8));
    expect(Math.abs(fit.ofv - 2.771637021064885)).toBeLessThan(1e-12);
  });

  it('an output without a unit of its own measuring the observed compartment is in observe.unit', () => {
    const m = withMetaboliteResidual({ model: 'combined', additive: 50, proportional: 0.12, unit: 'ng/mL' });
    delete (m.outputs as Record<string, Json>)['2']?.unit;
    const [path, message] = refusal(m);
    expect(path).toBe('outputs.2.residual.unit');
    expect(message).toContain('observe.unit');
    // µg/L is ng/mL: one unit, however written
    (m.observe as Json).unit = 'ug/L';
    expect(() => defineModel(m)).not.toThrow();
  });

  it("the model's residual against observe.unit: 3520 ug/L on mg/L levels is refused as 3.52 mg/L; a note after the unit is read past", () => {
    const base = (residual: Json, unit: string): Json => ({
      dosewise: 2,
      name: 'one',
      structure: '1cmt-iv',
      parameters: { CL: 4, V: 30 },
      residual,
      observe: { unit },
    });
    const [path, message] = refusal(base({ model: 'additive', additive: 3520, unit: 'ug/L' }, 'mg/L'));
    expect(path).toBe('residual.unit');
    expect(message).toContain('3520 ug/L is 3.52 mg/L');
    // as the busulfan and tacrolimus library files write their levels
    expect(() => defineModel(base({ model: 'combined', additive: 27, proportional: 0.0387, unit: 'ng/mL' }, 'ng/mL (dose in mg)'))).not.toThrow();
    expect(() => defineModel(base({ model: 'proportional', proportional: 0.149, unit: 'ug/L' }, 'ug/L plasma (dose in mg)'))).not.toThrow();
    // a proportional SD is the same fraction in either unit, but the two statements of the levels' unit disagree
    expect(refusal(base({ model: 'proportional', proportional: 0.1, unit: 'ng/mL' }, 'mg/L'))[0]).toBe('residual.unit');
    // another kind (a mass concentration against a molar one needs the molar mass), and a unit dosewise cannot read
    expect(refusal(base({ model: 'additive', additive: 1, unit: 'nmol/L' }, 'mg/L'))[1]).toContain('a unit of another kind');
    expect(refusal(base({ model: 'additive', additive: 1, unit: 'IU/L' }, 'mg/L'))[1]).toContain('cannot read "IU/L"');
    // written alike, read or not, they are one unit; without an output unit there is nothing to compare
    expect(() => defineModel(base({ model: 'additive', additive: 3, unit: '%' }, '%'))).not.toThrow();
    expect(() => defineModel({ ...base({ model: 'additive', additive: 3, unit: 'ng/mL' }, 'x'), observe: {} })).not.toThrow();
  });

  it('an exponential SD is on the log scale: a concentration unit beside it is refused, "log" passes', () => {
    const expo = (unit: string): Json => ({ dosewise: 2, name: 'e', structure: '1cmt-iv', parameters: { CL: 4, V: 30 }, residual: { model: 'exponential', exponential: 0.2, unit }, observe: { unit: 'mg/L' } });
    const [path, message] = refusal(expo('mg/L'));
    expect(path).toBe('residual.unit');
    expect(message).toContain('log scale');
    expect(() => defineModel(expo('log'))).not.toThrow();
  });

  it('every model file of the project and of its examples still loads', () => {
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (f.endsWith('.json') || f.endsWith('.model')) files.push(p);
      }
    };
    walk('models');
    walk('examples');
    let loaded = 0;
    for (const f of files) {
      const j = f.endsWith('.model') ? { dosewise: 'text', text: readFileSync(f, 'utf8'), file: f } : (JSON.parse(readFileSync(f, 'utf8')) as unknown);
      if (typeof j !== 'object' || j === null || !('dosewise' in j)) continue;
      expect(() => defineModel(j), f).not.toThrow();
      loaded++;
    }
    // 11 library files, 8 model files and 5 model texts of the examples
    expect(loaded).toBeGreaterThanOrEqual(24);
  });
});

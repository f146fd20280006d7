// A creatinine given in µmol/L was suspected of being in µmol/L: `calc egfr-schwartz scrUmolL=600
// ageYears=12 heightCm=150` was refused as "scrMgDl ... above 5 mg/dL ... give µmol/L as scrUmolL",
// and `calc crcl scrUmolL=1400 ...` warned W_SCR_UNIT naming scrMgDl 15.833521827640805.

import { describe, expect, it } from 'vitest';
import { calc } from '../../../src/cli/calc.js';

describe('calc: a creatinine given as scrUmolL is not suspected of another unit', () => {
  it('egfr-schwartz scrUmolL=600 at 12 years: 0.413·150/(600/88.42) = 9.1294 (closed form)', () => {
    const r = calc('egfr-schwartz', ['scrUmolL=600', 'ageYears=12', 'heightCm=150']);
    // python3: 0.413 * 150 / (600 / 88.42) = 9.129365
    expect(r.value).toBeCloseTo(9.129365, 5);
    expect(r.warnings).toBeUndefined();
  });

  it('crcl scrUmolL=1400 gives no W_SCR_UNIT; scrMgDl 15.8335 still does, its values to 4 digits', () => {
    const args = ['ageYears=50', 'sex=male', 'weightKg=70', 'weightBasis=total'];
    const r = calc('crcl', ['scrUmolL=1400', ...args]);
    // Cockcroft–Gault (140 − 50)·70/(72·1400/88.42) = 5.5263 (python3: 5.526250)
    expect(r.value).toBeCloseTo(((140 - 50) * 70) / ((72 * 1400) / 88.42), 10);
    expect(r.warnings).toBeUndefined();
    const mg = calc('crcl', ['scrMgDl=15.833521827640805', ...args]);
    // 15.833521827640805 / 88.42 = 0.17907
    expect(mg.warnings).toEqual(['W_SCR_UNIT: scrMgDl 15.83 read as 15.83 mg/dL; in µmol/L it is 0.1791 mg/dL; if it is in µmol/L, give it as scrUmolL']);
    expect(() => calc('egfr-schwartz', ['scrMgDl=6.78575', 'ageYears=12', 'heightCm=150'])).toThrow(/scrMgDl: is above 5 mg\/dL at ageYears 12 \(a child\): a value in another unit\? scrMgDl 6\.786 read as 6\.786 mg\/dL/);
  });
});

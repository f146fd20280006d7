// calc lbw (Janmahasatian, an adult formula) on a child-sized body computed silently while ibw
// warned below 152.4 cm.

import { describe, expect, it } from 'vitest';
import { calc } from '../../../src/cli/calc.js';

describe('calc lbw on a child-sized body', () => {
  it('warns below 152.4 cm as ibw does (100 cm, 16 kg: the adult formula, 14.6 kg, without a word before)', () => {
    const r = calc('lbw', ['heightCm=100', 'weightKg=16', 'sex=male']);
    // 9270·16/(6680 + 216·16) (BMI 16/1² = 16) = 14.5986 kg
    expect(r.value).toBeCloseTo((9270 * 16) / (6680 + 216 * 16), 10);
    expect(r.warnings).toEqual([expect.stringMatching(/^heightCm 100: below 152\.4 cm \(60 in\) the Janmahasatian lean body weight, a formula made for adults/)]);
    expect(calc('lbw', ['heightCm=170', 'weightKg=70', 'sex=male']).warnings).toBeUndefined();
  });
});

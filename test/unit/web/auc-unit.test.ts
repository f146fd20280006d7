// The what-if page labels an AUC in the unit of the model's concentrations times hours.

import { describe, expect, it } from 'vitest';
import { aucUnit } from '../../../src/web/dom.js';

describe('AUC unit on the page', () => {
  it('puts the hours beside the amount: mg/L → mg·h/L, ng/mL → ng·h/mL, µmol/L → µmol·h/L; a unit without a slash gets ·h', () => {
    expect(aucUnit('mg/L')).toBe('mg·h/L');
    expect(aucUnit('ng/mL')).toBe('ng·h/mL');
    expect(aucUnit('µmol / L')).toBe('µmol·h/L');
    expect(aucUnit('%')).toBe('%·h');
  });
});

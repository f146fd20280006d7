import { describe, it, expect } from 'vitest';
import {
  CREATININE_UMOL_L_PER_MG_DL,
  cystatinCMgDlFromMgL,
  cystatinCMgLFromMgDl,
  scrMgDlFromUmolL,
  scrUmolLFromMgDl,
} from '../../../src/clinical/index.js';

describe('creatinine µmol/L ↔ mg/dL (factor 88.42)', () => {
  it('uses 88.42 µmol/L per mg/dL', () => {
    expect(CREATININE_UMOL_L_PER_MG_DL).toBe(88.42);
    expect(scrUmolLFromMgDl({ scrMgDl: 1 })).toBeCloseTo(88.42, 10);
    expect(scrMgDlFromUmolL({ scrUmolL: 88.42 })).toBeCloseTo(1, 10);
  });

  it('1.13 mg/dL → 1.13 × 88.42 = 99.9146 µmol/L', () => {
    expect(scrUmolLFromMgDl({ scrMgDl: 1.13 })).toBeCloseTo(99.9146, 10);
  });

  it('round trips mg/dL → µmol/L → mg/dL and back', () => {
    for (const scrMgDl of [0.2, 0.5, 0.8, 1, 1.2, 3.7, 12]) {
      const scrUmolL = scrUmolLFromMgDl({ scrMgDl });
      expect(scrMgDlFromUmolL({ scrUmolL })).toBeCloseTo(scrMgDl, 12);
    }
    for (const scrUmolL of [20, 62, 88.42, 150, 900]) {
      const scrMgDl = scrMgDlFromUmolL({ scrUmolL });
      expect(scrUmolLFromMgDl({ scrMgDl })).toBeCloseTo(scrUmolL, 10);
    }
  });

  it('refuses negative and NaN concentrations, naming the field', () => {
    expect(() => scrMgDlFromUmolL({ scrUmolL: -5 })).toThrow('clinical input scrUmolL: must be > 0 µmol/L (got -5)');
    expect(() => scrUmolLFromMgDl({ scrMgDl: Number.NaN })).toThrow(
      'clinical input scrMgDl: must be a finite number (got NaN)',
    );
  });
});

describe('cystatin C mg/L ↔ mg/dL', () => {
  it('0.1 mg/dL = 1 mg/L, and round trips', () => {
    expect(cystatinCMgLFromMgDl({ cystatinCMgDl: 0.1 })).toBeCloseTo(1, 12);
    for (const cystatinCMgL of [0.5, 0.8, 1.2, 4]) {
      const cystatinCMgDl = cystatinCMgDlFromMgL({ cystatinCMgL });
      expect(cystatinCMgLFromMgDl({ cystatinCMgDl })).toBeCloseTo(cystatinCMgL, 12);
    }
  });
});

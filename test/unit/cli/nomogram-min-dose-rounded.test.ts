// nomogram W_ROUNDED_UP counted a cell raised by the user's own --min-dose as rounded up (Goti 2018,
// --round 1 --min-dose 500: "500 for a computed 154 ... give a --round step"). The rounded dose is
// compared with the computed dose after --min-dose/--max-dose now.

import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

describe('nomogram W_ROUNDED_UP after --min-dose', () => {
  // the typical patient at WT 1, ClCr 5 of gentamicin_xuan_2003 needs 3.497175582988853 mg for a peak of
  // 10 mg/L q36h (scipy expm reference of test/unit/design/rounded-up.test.ts), WT 2 and 3 twice and three times that
  const base = ['nomogram', '--model', 'gentamicin_xuan_2003', '--target', 'cmax=10', '--interval', '36', '--infusion', '0.5', '--grid', 'WT=1,2,3', '--set', 'ClCr=5'];

  it('a --min-dose the cells are raised to is not warned (Goti CRCL 10, 20 at --min-dose 500; gentamicin at --min-dose 200)', async () => {
    const goti = await cli(['nomogram', '--model', 'vancomycin_goti_2018', '--target', 'auc24=500', '--interval', '12', '--infusion', '1', '--grid', 'CRCL=10,20', '--set', 'WT=50', '--round', '1', '--min-dose', '500']);
    expect(goti.code, goti.err).toBe(0);
    expect(goti.out).toContain('500v');
    expect(goti.err).not.toContain('W_ROUNDED_UP');
    // 250 for 200: 1.25×
    const gent = await cli([...base, '--round', '250', '--min-dose', '200']);
    expect(gent.code, gent.err).toBe(0);
    expect(gent.err).not.toContain('W_ROUNDED_UP');
  });

  it('a rounding coarse beyond the minimum still warns, against the dose within it', async () => {
    // --min-dose 5: WT 1 is 250 for 5 (50×), WT 2 250/6.994 = 35.7×, WT 3 250/10.49 = 23.8×
    const r = await cli([...base, '--round', '250', '--min-dose', '5']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('3 of 3 cells give more than 2× the computed dose, up to 50× (WT 1: 250 for a computed 3.5, 5 within --min-dose/--max-dose)');
  });
});

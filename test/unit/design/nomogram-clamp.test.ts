// Why a nomogram dose is an end of the allowed range: the computed dose itself lies outside it, or
// it lies inside and its rounding does not. Vancomycin (Goti 2018), auc24 = 500 q12h, CRCL 30, WT 80:
// dose = 500·CL·12/24 = 371.1 > the minimum 300; its nearest multiple of 250 is 250 < 300, so 500 is
// given. It was marked "v computed dose below the smallest allowed dose".

import { describe, expect, it } from 'vitest';
import { roundDose } from '../../../src/design/nomogram/rounding.js';
import { cli } from '../cli/run-cli.js';

describe('clamped doses say whether the computed dose or its rounding left the range', () => {
  it('roundDose: computed inside [min, max], rounding outside → clampedBy rounded, with the rounding', () => {
    const r = { kind: 'increment', step: 250, min: 300, max: 1200 } as const;
    expect(roundDose(371.1, r)).toEqual({ dose: 500, computed: 371.1, clamped: 'min', clampedBy: 'rounded', unbounded: 250 });
    expect(roundDose(1130, r)).toEqual({ dose: 1000, computed: 1130, clamped: 'max', clampedBy: 'rounded', unbounded: 1250 });
    expect(roundDose(290, r)).toEqual({ dose: 500, computed: 290, clamped: 'min', clampedBy: 'computed' });
    expect(roundDose(1210, r)).toEqual({ dose: 1000, computed: 1210, clamped: 'max', clampedBy: 'computed' });
    // 450 rounds to 500 as any dose does (it was flagged: 450 < 500)
    expect(roundDose(450, r)).toEqual({ dose: 500, computed: 450 });
    // strengths: 700 rounds to one 500 vial, below the minimum 600 → 1000; 800 rounds to 1000 itself
    const vials = { kind: 'strengths', strengths: [500, 1000], maxUnits: 3, min: 600 } as const;
    expect(roundDose(700, vials)).toMatchObject({ dose: 1000, clamped: 'min', clampedBy: 'rounded', unbounded: 500 });
    expect(roundDose(800, vials)).not.toHaveProperty('clamped');
    expect(roundDose(100, { ...vials, min: undefined })).toMatchObject({ dose: 500, clamped: 'min', clampedBy: 'computed' });
  });

  it('nomogram: the cell is marked v* with a note naming the rounding and the minimum', async () => {
    const args = ['nomogram', '--model', 'vancomycin_goti_2018', '--target', 'auc24=500', '--interval', '12', '--infusion', '1', '--grid', 'CRCL=30,60', '--set', 'WT=80', '--round', '250', '--min-dose', '300'];
    const j = await cli([...args, '--json']);
    expect(j.code).toBe(0);
    const cell = JSON.parse(j.out).cells[0];
    // closed form: AUC24 = 24/τ · dose/CL
    const computed = (500 * cell.parameters.CL * 12) / 24;
    expect(computed).toBeCloseTo(371.1, 1);
    expect(cell.computed / computed - 1).toBeCloseTo(0, 4);
    expect(cell).toMatchObject({ dose: 500, clamped: 'min', clampedBy: 'rounded' });
    expect(cell.note).toBe(`computed dose ${cell.computed.toFixed(0)} rounds to 250, below the smallest allowed dose 300: raised to 500`);
    const t = await cli(args);
    // 500 for a computed 371.1 is auc24 500·500/371.1 = 674 (+35 %): marked ~ as well (clamped cells
    // were left out of the ~ mark and legend, nomogram-clamped-off-target.test.ts)
    expect(t.out).toMatch(/^30 +500v\*~$/m);
    expect(t.out).toContain('v* computed dose within the allowed range, rounded below the smallest allowed dose');
    expect(t.out).not.toContain('v computed dose below the smallest allowed dose');
    // below the minimum itself: the plain mark
    const low = await cli([...args.slice(0, -1), '400']);
    expect(low.out).toMatch(/^30 +500v~$/m);
    expect(low.out).toContain('v computed dose below the smallest allowed dose: exposure above target');
    // below one step, above the minimum: the computed dose is below every practical dose, not below the minimum
    const one = JSON.parse((await cli(args.map((a) => (a === 'CRCL=30,60' ? 'CRCL=10' : a === '300' ? '100' : a)).concat('--json'))).out).cells[0];
    expect(one.computed).toBeLessThan(250);
    expect(one).toMatchObject({ dose: 250, clamped: 'min', clampedBy: 'computed' });
    expect(one.note).toBe(`computed dose ${one.computed.toFixed(0)} is below the smallest practical dose: raised to 250`);
  });
});

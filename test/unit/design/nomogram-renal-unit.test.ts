// The command line's nomogram said W_RENAL_UNIT for a clearance likely in another unit (CRCL 3 in a
// model reading mL/min, 180 mL/min if it is mL/s; CRCL 100 in one reading L/h, 1666.7 mL/min) while
// the library's nomogram() returned no warning of it: an app built the same table without a word.
// Now nomogram() says it in its warnings, each value judged with its cell (a dialysis flag set
// spares it), and the command line prints the library's (once, with its option's name, and in --json).
// Reference: 100 L/h = 100 · 1000/60 = 1666.67 mL/min; 3 mL/s = 180 mL/min.

import { describe, expect, it } from 'vitest';
import { libraryModel } from '../../../src/model/library.js';
import { nomogram } from '../../../src/design/nomogram/nomogram.js';
import { cli } from '../cli/run-cli.js';

const goti = libraryModel('vancomycin_goti_2018');
const buelga = libraryModel('vancomycin_buelga_2005');
const renal = (ws: readonly string[] | undefined): string[] => (ws ?? []).filter((w) => w.includes('W_RENAL_UNIT'));

describe('nomogram(): W_RENAL_UNIT', () => {
  // the axis 3, 80 runs above 30, so it is mL/min as a whole: 3 is offered mL/s only, not L/h
  it('a grid value in mL/s? (Goti 2018, CRCL 3 mL/min)', () => {
    const n = nomogram(goti, { target: { metric: 'auc24', value: 500 }, intervals: [12], infusion: 1, grid: [{ name: 'CRCL', values: [3, 80] }], fixed: { WT: 70, DIAL: 0 } });
    expect(renal(n.warnings)).toEqual(['grid CRCL=3: W_RENAL_UNIT: CRCL 3 read as 3 mL/min; if this is mL/s, it is 180 mL/min. Near-anuric patients have such values: if it is in mL/s, convert it to mL/min']);
  });

  it('not where the cell sets a dialysis flag', () => {
    const n = nomogram(goti, { target: { metric: 'auc24', value: 500 }, intervals: [12], infusion: 1, grid: [{ name: 'CRCL', values: [3] }], fixed: { WT: 70, DIAL: 1 } });
    expect(renal(n.warnings)).toEqual([]);
  });

  it('a fixed value in mL/min for a model reading L/h (Buelga 2005, CRCL 100 L/h is 1666.67 mL/min)', () => {
    const n = nomogram(buelga, { target: { metric: 'auc24', value: 500 }, intervals: [12], infusion: 1, grid: [{ name: 'WT', values: [70] }], fixed: { CRCL: 100 } });
    expect(renal(n.warnings)).toEqual([expect.stringMatching(/^fixed CRCL=100: W_RENAL_UNIT: CRCL 100 read as 100 L\/h \(1667 mL\/min, /)]);
    expect((100 * 1000) / 60).toBeCloseTo(1666.67, 2);
  });

  it('the command line prints the library\'s, once, with --grid, and in --json', async () => {
    const args = ['nomogram', '--model', 'vancomycin_goti_2018', '--target', 'auc24=500', '--interval', '12', '--infusion', '1', '--grid', 'CRCL=3,80', '--set', 'WT=70', '--set', 'DIAL=0'];
    const r = await cli(args);
    expect(r.code, r.err).toBe(0);
    expect(r.err.split('\n').filter((l) => l.includes('W_RENAL_UNIT'))).toEqual(['dosewise: warning: --grid CRCL=3: W_RENAL_UNIT: CRCL 3 read as 3 mL/min; if this is mL/s, it is 180 mL/min. Near-anuric patients have such values: if it is in mL/s, convert it to mL/min']);
    const j = await cli([...args, '--json']);
    expect(j.code, j.err).toBe(0);
    expect(renal((JSON.parse(j.out) as { warnings?: string[] }).warnings)).toHaveLength(1);
  }, 60_000);
});

// withWarnings(): a run's printed warnings placed in its report sections (src/report/warnings.ts).

import { describe, expect, it } from 'vitest';
import { withWarnings, warningId } from '../../../src/report/warnings.js';
import { NO_WARNINGS } from '../../../src/report/explain.js';

const implausible = 'row 2 (TIME 2, DV 19): implausible level, |IWRES| = 6.8 > 4 at the estimate (a wrong time, unit or dose record?)';
const sections = [
  { heading: 'ID 1', text: 'next dose: 1750 over 1 h' },
  { heading: 'ID 1: why this estimate', text: `Model: m.\n\nWarnings:\n\n• ${implausible}` },
  { heading: 'ID 2', text: 'next dose: 1000 over 1 h' },
  { heading: 'ID 2: why this estimate', text: `Model: m.\n\n${NO_WARNINGS}` },
];

describe('withWarnings', () => {
  it('reads the ID of "file, ID 1:" and "W_X: file, ID 12," and none of a run-wide warning', () => {
    expect(warningId('p11.csv, ID 1: W_NEXT_DOSE_OVERDUE: next-dose: ...')).toBe(1);
    expect(warningId('W_CLOCK_DST: p5.csv, ID 12, row 3: ...')).toBe(12);
    expect(warningId('W_II_NOT_REPEATED: reg9.json: the dose at 0 h ...')).toBeUndefined();
  });

  it("per ID to the ID's first section, run-wide ones first, the estimate's own not twice, 'No warnings' replaced", () => {
    const out = withWarnings(sections, [
      `p2.csv, ID 1, W_LEVEL_IMPLAUSIBLE: ${implausible}`,
      'p2.csv, ID 2: SIR: the importance weights are too uneven (Pareto k̂ 0.94 > 0.7): the PTAs may be off',
      'W_II_NOT_REPEATED: reg9.json: the dose at 0 h states ii 8 but no addl or ss',
    ]);
    expect(out.map((s) => s.heading)).toEqual(['Warnings', 'ID 1', 'ID 1: why this estimate', 'ID 2', 'ID 2: why this estimate']);
    expect(out[0]?.text).toBe('Warnings (1):\n\n• W_II_NOT_REPEATED: reg9.json: the dose at 0 h states ii 8 but no addl or ss');
    expect(out[1]).toBe(sections[0]); // the implausible level is the explanation's already
    expect(out[3]?.text).toMatch(/^Warnings \(1\):\n\n• p2\.csv, ID 2: SIR: .*Pareto k̂ 0\.94.*\n\nnext dose: 1000/s);
    expect(out[4]?.text).not.toContain('No warnings');
    expect(out[4]?.text).toContain('the run\'s warnings: 1 in section “ID 2”, 1 in section “Warnings”.');
  });

  it("a file's warning goes to the first section naming the file; one naming none to a Warnings section", () => {
    const pta = [
      { heading: 'Probability of target attainment against daily dose', text: 'Best regimen: reg9 (PTA 77.8% ± 0.9).' },
      { heading: 'PTA by regimen and stratum', text: 'PTA % ± Monte Carlo SE.' },
    ];
    const w = 'W_II_NOT_REPEATED: /tmp/x/reg9.json: the dose at 0 h (doses.0) states ii 8 but no addl or ss';
    const out = withWarnings(pta, [w, 'W_II_NOT_REPEATED: reg99.json: the dose at 0 h states ii 8 but no addl or ss']);
    expect(out.map((s) => s.heading)).toEqual(['Warnings', pta[0]?.heading, pta[1]?.heading]);
    expect(out[1]?.text).toBe(`Warnings (1):\n\n• ${w}\n\nBest regimen: reg9 (PTA 77.8% ± 0.9).`);
    expect(out[0]?.text).toContain('reg99.json');
  });

  it('no warnings: the sections as they are', () => {
    expect(withWarnings(sections, [])).toEqual(sections);
  });
});

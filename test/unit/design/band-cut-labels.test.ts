// A band table's cut as printed must lie between the last subject below it and the first at or
// above it: 4 significant digits printed 2.475 for a cut of 2.47527 between 2.4752576 and
// 2.4752773, so re-counting the table's ranges gave 5067 where 5068 were counted.

import { describe, expect, it } from 'vitest';
import { cutText } from '../../../src/cli/band.js';

describe('cutText', () => {
  it('prints as other numbers where that separates the bands', () => {
    expect(cutText(150, 149.2, 151)).toBe('150');
    expect(cutText(2.47527, 2.3, 2.6)).toBe('2.475');
    expect(cutText(123.456, 120, 125)).toBe('123.5');
  });
  it('adds digits until the printed cut lies in (last below, first above]', () => {
    expect(cutText(2.47527, 2.4752576, 2.4752773)).toBe('2.47527');
    expect(cutText(3.45749, 3.4573908, 3.4575876)).toBe('3.4575');
    expect(cutText(4.90863, 4.908321, 4.908944)).toBe('4.9086');
    for (const [c, lo, hi] of [[2.47527, 2.4752576, 2.4752773], [3.45749, 3.4573908, 3.4575876], [4.90863, 4.908321, 4.908944]] as const) {
      const v = Number(cutText(c, lo, hi));
      expect(v > lo && v <= hi).toBe(true);
    }
  });
});

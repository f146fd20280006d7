// A regimen grid's times are from + k·step to 15 digits: from 0.1 by 0.1 made 24.000000000000004 and
// 60.00000000000001, a time just after a dose at 24 or 60 h, so the level there was the peak (21.81
// where the pre-dose 1.8144 was meant), and a last point past "to".

import { describe, expect, it } from 'vitest';
import { builtinModel } from '../../../src/index.js';
import { regimen, observeTimes } from '../../../src/regimen/builder.js';
import { simulate } from '../../../src/engine/simulate.js';

describe('grid times', () => {
  it('land on the nominal times and not past "to"', () => {
    const t = observeTimes({ grid: { from: 0.1, to: 72, step: 0.1 } });
    expect(t).toContain(24);
    expect(t).toContain(60);
    expect(t[t.length - 1]).toBe(72);
    expect(observeTimes({ grid: { from: 0.3, to: 48, step: 0.3 } }).at(-1)).toBe(48);
  });
  it('a grid point at a dose time reads the level before the dose', () => {
    const recs = regimen().dose({ time: 0, amt: 1000 }).dose({ time: 24, amt: 1000 }).observe({ grid: { from: 0.1, to: 30, step: 0.1 } }).records();
    const model = builtinModel('1cmt-iv', { CL: 5, V: 50 });
    const ipred = simulate(model, recs).ipred;
    const i = recs.findIndex((r) => r.EVID === 0 && r.TIME === 24);
    expect(i).toBeGreaterThanOrEqual(0);
    expect(ipred[i]).toBeCloseTo(20 * Math.exp(-2.4), 12);
  });
});

// W-ceiling (bench/w-ceiling.ts): the workload's function runs with tiny work and returns its
// fields. No timing is asserted: the figures are the machine's, not the code's. The executors run
// the build's dist/bench/w-ceiling-child.js (npm run build).

import { describe, expect, it } from 'vitest';
import { MODES, ceilingFigures, measureCeiling } from '../../../bench/w-ceiling.js';
import { KERNELS, Kernels, logistic, stream } from '../../../bench/w-ceiling-kernels.js';

describe('W-ceiling', () => {
  it('measures 1 and 2 worker threads and processes for every kernel, and reports each field', async () => {
    const lines: string[] = [];
    const c = await measureCeiling({ rounds: 2, targetS: 0.002, chunk: 2, memMb: 1, log: (l) => lines.push(l) });
    expect(c.setup).toMatchObject({ rounds: 2, chunk: 2, memMb: 1, maxLoad: 1.2 });
    expect(c.rounds).toHaveLength(2);
    expect(c.validRounds).toBe(c.rounds.filter((r) => r.valid).length);
    for (const r of c.rounds) {
      expect(Number.isFinite(r.loadAverage)).toBe(true);
      expect(r.valid).toBe(r.loadAverage <= 1.2);
      for (const k of KERNELS)
        for (const m of MODES) {
          const p = r.pairs[k][m];
          expect(p.one.executors).toBe(1);
          expect(p.two.executors).toBe(2);
          for (const x of [p.one, p.two]) {
            expect(x.spanS).toBeGreaterThan(0);
            expect(x.skewMs).toBeGreaterThanOrEqual(0);
            for (const a of [x.wallS, x.threadCpuS, x.waitS, x.processCpuS]) expect(a).toHaveLength(x.executors);
          }
          expect(Number.isFinite(p.ratio) && p.ratio > 0).toBe(true);
          expect(Number.isFinite(p.cpuRatio) && p.cpuRatio > 0).toBe(true);
        }
    }
    for (const k of KERNELS) {
      expect(c.work[k]).toBeGreaterThanOrEqual(1);
      for (const m of MODES) {
        const x = c.summary[k][m];
        expect(Number.isFinite(x.ratioAllRounds)).toBe(true);
        expect(x.ratioRange[0]).toBeLessThanOrEqual(x.ratioRange[1]);
        expect(c.validRounds > 0 ? Number.isFinite(x.ratio) : Number.isNaN(x.ratio)).toBe(true);
      }
    }
    // one line for the sizing, one per round; an invalid round is printed and marked
    expect(lines).toHaveLength(3);
    for (const r of c.rounds) expect(lines[r.round]?.includes('NOT VALID')).toBe(!r.valid);
    const figs = ceilingFigures(c);
    expect(figs.map((f) => f.key).sort()).toEqual(KERNELS.flatMap((k) => MODES.map((m) => `wceiling.${k}.${m}.ratio`)).sort());
    for (const f of figs) expect(Number.isFinite(f.value)).toBe(true);
  });

  it('gives the same check value for the same work', () => {
    const k = new Kernels({ chunk: 2, memMb: 1 });
    expect(k.run('wasm', 3)).toBe(k.run('wasm', 3));
    expect(k.run('mem', 2)).toBe(4);
    expect(logistic(1000)).toBe(logistic(1000));
    expect(stream(new Float64Array(8).fill(2), 3)).toBe(4);
  });
});

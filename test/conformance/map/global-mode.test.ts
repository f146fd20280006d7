// The reported MAP mode is the global one on the shared NONMEM cases: every 5th patient of each
// run (160 patients) is also estimated from 12 seeded start points spread over ±2.5 prior SD
// (local runs, no global search), and no start may reach an objective lower than the default's.

import { describe, expect, it } from 'vitest';
import { estimate } from '../../../src/bayes/estimate.js';
import { mapObjective } from '../../../src/bayes/objective.js';
import { loadModel, loadRun, referenceDir, toRecords } from './cases.js';

const dir = referenceDir();
const RUNS = ['run001', 'run101', 'run201', 'run401', 'run403', 'run405', 'run407', 'run901'];
const STARTS = 12;

/** Deterministic points in [−1, 1]^dim (xorshift32). */
function points(dim: number, n: number, seed: number): number[][] {
  let s = seed >>> 0 || 1;
  const u = (): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return ((s >>> 0) / 2 ** 32) * 2 - 1;
  };
  return Array.from({ length: n }, () => Array.from({ length: dim }, u));
}

describe.skipIf(!dir)('MAP global mode on the shared cases (many-start check)', () => {
  for (const run of RUNS) {
    it(`${run}: every 5th patient, ${STARTS} extra starts each`, () => {
      const model = loadModel(run);
      const file = loadRun(dir as string, run);
      let worse = 0;
      const lines: string[] = [];
      file.cases.forEach((c, i) => {
        if (i % 5 !== 0) return;
        const records = toRecords(file.data_columns, c.records);
        const fit = estimate(model, records, { covariance: false, warnings: false });
        const obj = mapObjective(model, records);
        for (const p of points(obj.dim, STARTS, 1000 + c.ID)) {
          const start = p.map((z, j) => 2.5 * z * (obj.priorSd[j] as number));
          const local = estimate(model, records, { start, global: false, restarts: 'never', covariance: false, warnings: false });
          if (local.ofv < fit.ofv - 1e-6) {
            worse++;
            lines.push(`ID ${c.ID}: default OFV ${fit.ofv} but a start reached ${local.ofv}`);
          }
        }
      });
      expect(lines).toEqual([]);
      expect(worse).toBe(0);
    }, 120_000);
  }
});

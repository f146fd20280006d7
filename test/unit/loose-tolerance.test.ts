// An integrated model at rtol above 1e-3 is warned (W_LOOSE_TOLERANCE): at such tolerances a
// Michaelis–Menten level can be far off with exit 0 whatever the method (mm-iv V 20, VMAX 100, KM 2,
// 1000 mg at rtol 0.1: 82.75 mg/L at 24 h for 3e-14; rtol 1e-2 under Dormand–Prince, V 10, VMAX 50,
// KM 0.5, 500 mg: 2.574 at 10 h for 1.693, exact by Lambert W). Tightening the domain check at
// loose tolerances only moved the failures (mm-iv at rtol 0.05 read 138.5 for 1.0198 at 10 h).

import { describe, expect, it } from 'vitest';
import { builtinModel, defineModel } from '../../src/model/model.js';
import { readNmtran } from '../../src/regimen/nmtran.js';
import { simulateReplicates } from '../../src/replicate/run.js';
import { vpc } from '../../src/vpc/vpc.js';
import { regimen } from '../../src/regimen/builder.js';
import { simulate } from '../../src/engine/simulate.js';

const loose = (w: readonly string[]): string[] => w.filter((x) => x.startsWith('W_LOOSE_TOLERANCE'));

describe('W_LOOSE_TOLERANCE', () => {
  const mm = builtinModel('mm-iv', { V: 42, VMAX: 6300, KM: 10 });
  const recs = regimen().dose({ time: 0, amt: 60000 }).observe({ times: [1, 10, 24] }).records();

  it('warns an integrated model above rtol 1e-3, whatever the method, and says what to use', () => {
    for (const method of ['auto', 'dopri5', 'dop853', 'rosenbrock'] as const)
      for (const rtol of [0.1, 0.05, 2e-3]) {
        const w = loose(simulate(mm, recs, { method, rtol }).warnings);
        expect(w, `${method} ${rtol}`).toHaveLength(1);
        expect(w[0]).toContain(`rtol ${rtol}, above 0.001`);
      }
  });

  it('is silent at rtol 1e-3 and tighter, and for the analytic path at any rtol', () => {
    for (const rtol of [1e-3, 1e-6]) expect(loose(simulate(mm, recs, { rtol }).warnings)).toEqual([]);
    const lin = builtinModel('1cmt-iv', { CL: 5, V: 20 });
    expect(loose(simulate(lin, recs, { rtol: 0.1 }).warnings)).toEqual([]);
    expect(loose(simulate(lin, recs, { rtol: 0.1, method: 'dopri5' }).warnings)).toHaveLength(1);
  });

  it('at rtol 0.05 the ethanol-like case stays near its exact value (1.0198 at 10 h; 138.5 with the domain bound on the new value alone)', () => {
    const ipred = Array.from(simulate(mm, recs, { rtol: 0.05 }).ipred).filter((_, k) => recs[k]!.EVID === 0);
    // Lambert W: 1279.67 at 1 h, 1.0197875534938692 at 10 h (test/unit/ode-domain.test.ts)
    expect(Math.abs((ipred[1] as number) - 1.0197875534938692)).toBeLessThan(0.05);
  });
});

// the replicate runs (simulateReplicates(), vpc(), simulate --replicates, vpc) have their own
// workers, not the population's: they were silent at rtol 1e-2 too
describe('W_LOOSE_TOLERANCE in replicate runs', () => {
  const text = defineModel({ dosewise: 'text', text: 'theta V = 42, VMAX = 6300, KM = 10\ncompartment A\nC = A / V\nd/dt(A) = -VMAX * C / (KM + C)\nobserve = C\nresidual proportional 0.1\n' });
  const data = readNmtran(['ID,TIME,EVID,AMT,DV,MDV', ...[1, 2, 3, 4].flatMap((id) => [`${id},0,1,60000,.,1`, `${id},1,0,.,1200,0`, `${id},4,0,.,800,0`, `${id},8,0,.,250,0`])].join('\n') + '\n').records;

  it('simulateReplicates() and vpc() warn above rtol 1e-3 as simulate does, once; not at 1e-3', async () => {
    const said = loose(simulate(text, data, { method: 'dopri5', rtol: 1e-2 }).warnings);
    expect(said).toHaveLength(1);
    const run = await simulateReplicates(text, data, { replicates: 2, seed: 1, workers: 0, method: 'dopri5', rtol: 1e-2 }, () => {});
    expect(loose(run.warnings)).toEqual(said);
    expect(loose((await vpc(text, data, { replicates: 20, seed: 1, workers: 0, method: 'dopri5', rtol: 1e-2 })).warnings)).toEqual(said);
    expect(loose((await simulateReplicates(text, data, { replicates: 2, seed: 1, workers: 0, method: 'dopri5', rtol: 1e-3 }, () => {})).warnings)).toEqual([]);
  });
});

// optimize --from with the default hold level (a trough ceiling) on a response that rises without
// drug: an indirect response model inhibiting kin (baseline KIN/KOUT = 100) read 67.1 at 8 h after
// 300 mg and rises back to 100 without more doses, so it never falls below a trough ceiling of 60.
// The default hold level assumes the level falls without drug: the advice was refused with
// "--hold-below 60: ID 1: the predicted level (67.100316109 at 8 h) stays above it for 336 h", an
// option the user never gave, though the same advice ran with --hold-below 1000.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';

const IDR = `model "IDR I with weight"
theta CL = 5, V = 50, KIN = 10, KOUT = 0.1, IMAX = 0.9, IC50 = 2
covariate WT = 70
eta ETA_CL ~ 0.09
compartment CENTRAL, R
init(R) = KIN / KOUT
CLi = CL * (WT / 70)^0.75 * exp(ETA_CL)
C = CENTRAL / V
d/dt(CENTRAL) = -CLi / V * CENTRAL
d/dt(R) = KIN * (1 - IMAX * C / (IC50 + C)) - KOUT * R
observe = R
residual additive 5
`;
const IDR_DATA = 'ID,TIME,EVID,AMT,CMT,DV,MDV,WT\n1,0,1,300,1,.,1,70\n1,6,0,0,2,62,0,70\n';

// a drug that does fall without more doses, but too slowly: k = 0.01/50 = 2e-4/h, so 100 mg/L at
// 0 h is still about 93 after 344 h, far above a ceiling of 60
const SLOW = `model "slow"
theta CL = 0.01, V = 50
eta ETA_CL ~ 0.09
compartment CENTRAL
CLi = CL * exp(ETA_CL)
C = CENTRAL / V
d/dt(CENTRAL) = -CLi / V * CENTRAL
observe = C
residual additive 1
`;
const SLOW_DATA = 'ID,TIME,EVID,AMT,CMT,DV,MDV\n1,0,1,5000,1,.,1\n1,6,0,0,1,99,0\n';

// scipy 1.17 (solve_ivp LSODA, rtol = atol = 1e-12; minimize_scalar, tol 1e-12) on the model above:
// the MAP of ETA_CL minimises (62 − R(6))²/25 + η²/0.09, at η = −0.0965336574809994, CLi 4.539896683940885;
// with 300 mg at 0 h the response is R(8) = 67.10031593034626 and, without more doses,
// R(344) = 99.99999999992524 (its baseline KIN/KOUT = 100); with 200 mg at 8 h and 200 mg q12h from
// 20 h (the last at 44 h), the trough at 56 h is 45.14161292702034
const REF = { cli: 4.539896683940885, r8: 67.10031593034626, trough56: 45.14161292702034 };

interface Advice {
  state: { mode: number };
  parameters: Record<string, number>;
  hold: unknown;
  next_time: number;
  recommendation: { next: { time: number; amount: number }; maintenance: { amount: number; interval: number; start: number }; pta: number; exposure: Record<string, { mode: number }>; judged_until: number };
  warnings: { code: string; message: string }[];
}

let dir = '';
const common = (model: string, data: string): string[] => ['optimize', '--model', join(dir, model), '--data', join(dir, data), '--from', '8', '--target', 'trough:40:60',
  '--doses', '100:1000:100', '--intervals', '12,24', '--draws', '200', '--seed', '1', '--top', '3'];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dosewise-hold-rising-'));
  writeFileSync(join(dir, 'idr2.model'), IDR);
  writeFileSync(join(dir, 'adv1.csv'), IDR_DATA);
  writeFileSync(join(dir, 'slow.model'), SLOW);
  writeFileSync(join(dir, 'slow.csv'), SLOW_DATA);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('optimize --from: the default hold level on a level that does not fall without drug', () => {
  it('an inhibited response rising to its baseline 100 above the trough ceiling 60: no hold and a warning (it was refused, exit 2, naming --hold-below 60)', async () => {
    const r = await cli([...common('idr2.model', 'adv1.csv'), '--json']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('ID 1, W_HOLD_NOT_FALLING: the predicted level 67.1 at 8 h does not fall below the trough ceiling 60 without more doses (it rises to its no-drug level 100): no hold; give --hold-below to hold');
    const [a] = JSON.parse(r.out) as Advice[];
    expect(a!.hold).toBeNull();
    expect(a!.next_time).toBe(8);
    expect(a!.warnings.map((w) => w.code)).toEqual(['W_HOLD_NOT_FALLING']);
    expect(a!.warnings[0]!.message).toMatch(/give --hold-below to hold$/);
    // the MAP mode against scipy's: CLi 3.4e-8 apart (the two optimisers' tolerances), the level at 8 h 2.7e-9
    expect(Math.abs(a!.parameters.CLi! / REF.cli - 1)).toBeLessThan(2e-7);
    expect(Math.abs(a!.state.mode / REF.r8 - 1)).toBeLessThan(2e-8);
    // the same advice as with the hold lifted by hand (--hold-below 1000): 200 mg now, then 200 mg q12h
    const best = a!.recommendation;
    expect(best.next).toMatchObject({ time: 8, amount: 200 });
    expect(best.maintenance).toMatchObject({ amount: 200, interval: 12, start: 20 });
    expect(best.judged_until).toBe(56);
    // the trough at 56 h at the MAP mode: 45.14161404893224 for scipy's 45.14161292702034, 2.5e-8 apart,
    // the MAP's own difference carried through (the response falls by 0.7 per 1 % of CLi here)
    expect(Math.abs(best.exposure['trough']!.mode / REF.trough56 - 1)).toBeLessThan(1e-7);
    const lifted = await cli([...common('idr2.model', 'adv1.csv'), '--hold-below', '1000', '--json']);
    const [b] = JSON.parse(lifted.out) as Advice[];
    expect(b!.recommendation).toEqual(best);

    // the text says why there is no hold (it would have said the level "is below 60")
    const t = await cli(common('idr2.model', 'adv1.csv'));
    expect(t.code).toBe(0);
    expect(t.out).toContain('  no hold: the predicted level 67.1 at 8 h does not fall below 60 (the trough ceiling) without more doses (its no-drug level is 100; see the warning)\n');
    expect(t.out).toContain('— 1 warning (stderr)');
  });

  it('a given --hold-below the level never falls below is still refused, as before', async () => {
    const r = await cli([...common('idr2.model', 'adv1.csv'), '--hold-below', '60']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^dosewise: --hold-below 60: ID 1: the predicted level \(67\.100316109 at 8 h\) stays above it for 336 h$/m);
  });

  it('a drug that falls too slowly is refused naming the trough ceiling as the default hold level (it named --hold-below 60, which was not given)', async () => {
    const r = await cli(common('slow.model', 'slow.csv'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^dosewise: --target trough:40:60: ID 1: the predicted level \(99\.\d+ at 8 h\) stays above the trough ceiling 60 \(the default hold level; --hold-below sets another\) for 336 h$/m);
    expect(r.err).not.toContain('--hold-below 60');
  });
});

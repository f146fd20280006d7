// optimize --from after a hold judged only the window after the maintenance start and the steady
// state: the next dose's own interval, where the drug still on board adds to it, was never judged
// (the loading-dose search judged every interval; a held dose is no loading dose, so it was skipped).
// A chart (vancomycin, Goti 2018, q12h with a level of 26.4 at 00:00): from 00:00 the dose
// is held 7 h and 1750 mg/1.75 h then q24h from 07:00 was advised at "39.7 %", no MAP miss, likely,
// while its first day 70–94 h reads AUC 618.23 at the MAP (ceiling 600); the same plan from 07:00
// (no hold, the same draws) read 31.3 % with that miss named. Now every dosing interval from the
// next dose up to the judged window is judged after a hold too: the plan's PTA is the same from
// either --from, and the miss in 70–94 h is named.
// Numbers: test/oracle/advice_hold_interval.py (scipy MAP, exact AUC by matrix exponentials) → advice-hold-interval.json.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';

interface Oracle {
  level_63: number;
  plans: { amount: number; tau: number; auc_70_94: number; auc_94_118: number }[];
}
const oracle = JSON.parse(readFileSync(new URL('../../oracle/advice-hold-interval.json', import.meta.url), 'utf8')) as Oracle;
const ref = (amount: number, tau: number): Oracle['plans'][number] => oracle.plans.find((p) => p.amount === amount && p.tau === tau) as Oracle['plans'][number];

const dir = mkdtempSync(join(tmpdir(), 'dosewise-hold-interval-'));
const data = join(dir, 'vancoC.csv');
writeFileSync(
  data,
  [
    'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL,DIAL',
    '7,2026-12-05,09:00,1,1500,1000,.,1,95,70,0',
    '7,2026-12-05,21:00,1,1000,1000,.,1,95,70,0',
    '7,2026-12-06,09:15,1,1000,1000,.,1,95,70,0',
    '7,2026-12-06,20:45,0,.,.,12.1,0,95,70,0',
    '7,2026-12-06,21:00,1,1000,1000,.,1,95,70,0',
    '7,2026-12-06,23:00,0,.,.,29.0,0,95,70,0',
    '7,2026-12-07,09:00,1,1000,1000,.,1,95,70,0',
    '7,2026-12-07,21:00,1,1000,1000,.,1,95,70,0',
    '',
  ].join('\n'),
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Miss { metric: string; value: number; side: string; bound: number; interval?: [number, number]; steadyState?: boolean }
interface Candidate {
  next: { amount: number; time: number };
  maintenance: { amount: number; interval: number };
  pta: number;
  exposure: Record<string, { mode: number }>;
  map_misses: Miss[];
}
interface Advice { hold: { hours: number } | null; next_time: number; recommendation: Candidate; likely: boolean; ranked: Candidate[]; state: { mode: number }; warnings: { code: string }[] }

const advise = async (from: string): Promise<Advice> => {
  const j = await cli(['optimize', '--model', 'vancomycin_goti_2018', '--data', data, '--from', from, '--tz', 'UTC', '--target', 'auc24:400:600,trough::20', '--doses', '500:2000:250', '--max-rate', '1000', '--intervals', '8,12,24', '--infusions', '1', '--top', '50', '--seed', '1', '--draws', '300', '--json']);
  expect(j.code, j.err).toBe(0);
  return (JSON.parse(j.out) as Advice[])[0] as Advice;
};
const plan = (a: Advice, amount: number, tau: number): Candidate => a.ranked.find((c) => c.next.amount === amount && c.maintenance.amount === amount && c.maintenance.interval === tau) as Candidate;

describe('optimize --from: after a hold, the next dose is judged on its own interval', () => {
  it('names the MAP miss in 70–94 h and gives the plan the PTA it has without the hold', async () => {
    const held = await advise('2026-12-08T00:00');
    // the level at 63 h, oracle 26.3978; held 7 h (to 70 h)
    expect(held.state.mode / oracle.level_63 - 1).toBeCloseTo(0, 4);
    expect(held.hold?.hours).toBe(7);
    expect(held.next_time).toBe(70);
    const p = plan(held, 1750, 24);
    // its window 94–118 h: oracle 586.651 (the sampled AUC, rel. err. ~1e-5)
    expect(p.exposure.auc24!.mode / ref(1750, 24).auc_94_118 - 1).toBeCloseTo(0, 4);
    // before: map_misses [] and PTA 39.7 % (the window and steady state alone)
    const miss = p.map_misses.find((m) => m.interval !== undefined);
    expect(miss).toMatchObject({ metric: 'auc24', side: 'above', bound: 600, interval: [70, 94] });
    // oracle 618.232
    expect(miss!.value / ref(1750, 24).auc_70_94 - 1).toBeCloseTo(0, 4);
    // the same start without a hold (the same draws): the same judgement, the same PTA (31.3 %)
    const direct = await advise('2026-12-08T07:00');
    expect(direct.hold).toBeNull();
    const q = plan(direct, 1750, 24);
    expect(p.pta).toBe(q.pta);
    expect(p.map_misses).toEqual(q.map_misses);
    // a best regimen whose MAP misses a clause is no advice (W_LOW_PTA, likely false)
    expect(held.likely).toBe(held.recommendation.map_misses.length === 0 && held.recommendation.pta >= 0.1);
  }, 300_000);
});

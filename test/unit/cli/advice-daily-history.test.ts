// The tester's vmax.csv (/tmp/s11/t2): 2000 mg of vancomycin at 08:00 and at 20:00, advice from
// 22:00 with --max-daily 4000. Every candidate is over the daily maximum only because of those two
// doses, and the advice said "no feasible regimen … relax the constraint or widen the
// doses/intervals", where the next dose need only wait until 08:00, 24 h after the first one
// (--earliest 2026-03-30T08:00 gives a plan). Now it names that time and the option. Reference by
// hand: a window [w, w + 24 h) holding the 08:00 dose (0 h) and a dose at T needs T < 24 h, so from
// T = 24 h (2026-03-30 08:00) the window from 20:00 holds 2000 + the new doses; 500 mg q8h, the
// smallest, adds 1000 there, under 4000.

import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';
import { tempFiles } from '../temp-files.js';

const { write } = tempFiles('dosewise-advice-daily-');
const data = write('vmax.csv', 'ID,DAT2,TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL\n1,2026-03-29,08:00,1,2000,1000,.,1,110,110\n1,2026-03-29,20:00,1,2000,1000,.,1,110,110\n1,2026-03-29,21:30,0,.,.,30.0,0,110,110\n');
const base = ['optimize', '--model', 'vancomycin_goti_2018', '--data', data, '--from', '2026-03-29T22:00', '--target', 'auc24:400:600', '--doses', '500:2000:250', '--intervals', '8,12,24', '--infusions', '1', '--max-rate', '1000', '--max-daily', '4000', '--draws', '200', '--seed', '3'];

describe('a daily maximum filled by the doses already given', () => {
  it('names the earliest time a dose fits under it, and --earliest', async () => {
    const r = await cli(base);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/no feasible regimen: every candidate was left out by a constraint \(21 over the maximum daily amount \(history included\)\)/);
    expect(r.out).toContain('the doses given make every candidate exceed the maximum daily amount until 2026-03-30 08:00 (24 h), 24 h after the dose at 2026-03-29 08:00 (0 h): from then the smallest fits');
    expect(r.out).toContain('--earliest 2026-03-30T08:00');
    expect(r.out).not.toMatch(/relax the constraint or widen the doses\/intervals/);
    const j = await cli([...base, '--json']);
    const [a] = JSON.parse(j.out) as { daily_from: number | null; daily_from_clock: string | null }[];
    expect(a?.daily_from).toBe(24);
    expect(a?.daily_from_clock).toBe('2026-03-30T08:00:00');
  });

  it('the time it names gives a plan under the daily maximum', async () => {
    const r = await cli([...base, '--earliest', '2026-03-30T08:00', '--json']);
    expect(r.code, r.err).toBe(0);
    const [a] = JSON.parse(r.out) as { next_time: number; recommendation: { next: { amount: number; time: number }; maintenance: { amount: number; interval: number; start: number }; max_daily: number } }[];
    expect(a?.next_time).toBe(24);
    const rec = a?.recommendation;
    expect(rec?.next.time).toBe(24);
    // the window from the 20:00 dose (12 h): 2000 mg + the doses in [24, 36)
    const m = rec?.maintenance as { amount: number; interval: number; start: number };
    let inWindow = 2000 + (rec?.next.amount as number);
    for (let t = m.start; t < 36; t += m.interval) inWindow += m.amount;
    expect(inWindow).toBeLessThanOrEqual(4000);
    expect(rec?.max_daily).toBeLessThanOrEqual(4000);
  });

  it('where the doses alone are over it, the message stays the constraint\'s', async () => {
    const r = await cli([...base.slice(0, -6), '--max-daily', '400', '--draws', '200', '--seed', '3']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/every candidate was left out by a constraint \(\d+ over the maximum daily amount \(history included\)\); relax the constraint or widen the doses\/intervals/);
    expect(r.out).not.toContain('--earliest');
    const j = await cli([...base.slice(0, -6), '--max-daily', '400', '--json']);
    expect((JSON.parse(j.out) as { daily_from: number | null }[])[0]?.daily_from).toBeNull();
  });
});

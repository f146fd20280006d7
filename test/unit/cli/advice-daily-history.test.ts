// The chart vmax.csv: 2000 mg of vancomycin at 08:00 and at 20:00, advice from
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
    expect(r.out).toContain('the doses given make every candidate exceed the maximum daily amount until 2026-03-30 08:00 (24 h): from then the smallest dose fits');
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

// The chart adv1.csv: 1500 mg at 08:00 (0 h) and 20:00 (12 h), advice from 22:00, --max-daily 3600,
// q8h only. The advice said every candidate was over "until 2026-03-30 08:00 (24 h)" (daily_from 24),
// trying only a dose given + 24 h, where 500 mg q8h fits from 00:00 (16 h). By hand, for 500 mg q8h
// from T, the window from 0 h holds 3000 + 500 per new dose before 24 h, the one from 12 h 1500 + 500
// per new dose before 36 h, a window from a new dose 500 × 3:
//   T = 15 h: doses 15, 23 → 3000 + 1000 = 4000 > 3600 (over);
//   T = 16 h: dose 16 → 3500, and 16, 24, 32 → 1500 + 1500 = 3000, and 1500: under 3600.
// So the earliest start is 16 h = 0 + 24 − 1·8 (the first new q8h dose after it leaves the window of
// the dose at 0 h), not 24 h.
describe('a daily maximum the regimen fits before 24 h after a dose given', () => {
  const adv1 = write('adv1.csv', 'ID,DAT2,TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL\n1,2026-03-29,08:00,1,1500,1000,.,1,110,110\n1,2026-03-29,20:00,1,1500,1000,.,1,110,110\n1,2026-03-29,21:30,0,.,.,30.0,0,110,110\n');
  const args = ['optimize', '--model', 'vancomycin_goti_2018', '--data', adv1, '--from', '2026-03-29T22:00', '--target', 'auc24:400:600', '--doses', '500:2000:250', '--intervals', '8', '--infusions', '1', '--max-rate', '1000', '--max-daily', '3600', '--draws', '200', '--seed', '3'];
  type Out = { daily_from: number | null; daily_from_clock: string | null; evaluated: number; recommendation: { next: { amount: number; time: number }; maintenance: { amount: number; interval: number; start: number }; max_daily: number } | null };

  it('names 16 h (2026-03-30 00:00), not 24 h', async () => {
    const r = await cli(args);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('exceed the maximum daily amount until 2026-03-30 00:00 (16 h): from then the smallest dose fits');
    expect(r.out).toContain('--earliest 2026-03-30T00:00');
    const [a] = JSON.parse((await cli([...args, '--json'])).out) as Out[];
    expect(a?.daily_from).toBe(16);
    expect(a?.daily_from_clock).toBe('2026-03-30T00:00:00');
  });

  it('the optimizer agrees: a plan from 16 h within the windows by hand, none from 15 h', async () => {
    const [a] = JSON.parse((await cli([...args, '--earliest', '2026-03-30T00:00', '--json'])).out) as Out[];
    const rec = a?.recommendation;
    expect(rec?.next.time).toBe(16);
    const m = rec?.maintenance as { amount: number; interval: number; start: number };
    const newDoses = [{ t: 16, amt: rec?.next.amount as number }];
    for (let t = m.start; t < 48; t += m.interval) newDoses.push({ t, amt: m.amount });
    const inWindow = (from: number, given: number): number => given + newDoses.filter((d) => d.t < from + 24).reduce((s, d) => s + d.amt, 0);
    expect(inWindow(0, 3000)).toBeLessThanOrEqual(3600);
    expect(inWindow(12, 1500)).toBeLessThanOrEqual(3600);
    expect(rec?.max_daily).toBeLessThanOrEqual(3600);
    const [b] = JSON.parse((await cli([...args, '--earliest', '2026-03-29T23:00', '--json'])).out) as Out[];
    expect(b?.recommendation).toBeNull();
    expect(b?.evaluated).toBe(0);
    expect(b?.daily_from).toBe(16);
  });
});

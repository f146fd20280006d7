// `optimize --from now` advised clock times with the seconds of now ("next dose … at 2026-12-07
// 12:21:44", maintenance "from 02:23:17"). The times advised (the hold's end, the next dose, the
// maintenance start) are rounded up to the whole minute in the text and in the JSON's clock fields
// (up: a dose is never given before a hold ends); the JSON's hours stay exact. now frozen at
// 2026-12-05 17:21:44 UTC; one-compartment model (CL 4, V 40), 1000 mg over 1 h at 08:00: the level
// 10.31 at now is above the trough ceiling 10, so a 1-h hold: 18:21:44 exact, 10.362222 h
// (9 + 22/60 − 16/3600 + 1), shown 18:22 (10.3667 h); maintenance 12 h later, 06:22 the next day.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cli } from './run-cli.js';
import { tempFiles } from '../temp-files.js';
import { ADVISE_ARGS, ONE_CMT_MODEL } from './one-cmt-advice.js';

const { write: file } = tempFiles('dosewise-now-minutes-');
const model = file('m1.model.json', ONE_CMT_MODEL);
const data = file('now.csv', 'ID,TIME,EVID,AMT,RATE,DV,MDV\n1,2026-12-05T08:00,1,1000,1000,.,1\n1,2026-12-05T09:00,0,.,.,.,1\n');
const args = ['optimize', '--model', model, '--data', data, '--from', 'now', '--tz', 'UTC', ...ADVISE_ARGS];

interface Clocked {
  next_time: number;
  next_clock: string;
  hold: { until: number; until_clock: string; from_clock: string };
  recommendation: { next: { time: number; clock: string }; maintenance: { start: number; start_clock: string } };
  ranked: { next: { clock: string }; maintenance: { start_clock: string } }[];
}

describe('--from now: advised clock times in whole minutes, rounded up', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-12-05T17:21:44Z') });
  });
  afterEach(() => vi.useRealTimers());

  it('text: the hold until 18:22, the next dose at 18:22, maintenance from 06:22; now keeps its seconds', async () => {
    const r = await cli(args);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/advice from now = 2026-12-05 17:21:44 UTC \(9\.3622 h\)/);
    expect(r.out).toMatch(/hold the next dose for 1 h, until 2026-12-05 18:22 \(10\.3667 h\)/);
    expect(r.out).toMatch(/next dose: 500 over 1 h at 2026-12-05 18:22 \(10\.3667 h\)/);
    expect(r.out).toMatch(/every 12 h from 2026-12-06 06:22 \(22\.3667 h\)/);
    expect(r.out).not.toMatch(/18:21:44|06:21:44/);
  });

  it('JSON: the clock fields rounded up, the hours exact', async () => {
    const r = await cli([...args, '--json']);
    expect(r.code, r.err).toBe(0);
    const a = (JSON.parse(r.out) as Clocked[])[0]!;
    const exact = 9 + 21 / 60 + 44 / 3600 + 1;
    expect(a.next_time).toBeCloseTo(exact, 8);
    expect(a.recommendation.next.time).toBeCloseTo(exact, 8);
    expect(a.recommendation.maintenance.start).toBeCloseTo(exact + 12, 8);
    expect(a.hold.until).toBeCloseTo(exact, 8);
    expect(a.next_clock).toBe('2026-12-05T18:22:00');
    expect(a.hold.until_clock).toBe('2026-12-05T18:22:00');
    expect(a.recommendation.next.clock).toBe('2026-12-05T18:22:00');
    expect(a.recommendation.maintenance.start_clock).toBe('2026-12-06T06:22:00');
    expect(a.ranked[0]?.maintenance.start_clock).toBe('2026-12-06T06:22:00');
    // the hold counts from now, which is no advised time
    expect(a.hold.from_clock).toBe('2026-12-05T17:21:44');
  });

  it('a time already on the minute stays (now 17:21:00: 18:21)', async () => {
    vi.setSystemTime(new Date('2026-12-05T17:21:00Z'));
    const r = await cli([...args, '--json']);
    expect(r.code, r.err).toBe(0);
    const a = (JSON.parse(r.out) as Clocked[])[0]!;
    expect(a.next_clock).toBe('2026-12-05T18:21:00');
    expect(a.recommendation.maintenance.start_clock).toBe('2026-12-06T06:21:00');
  });
});

// dosewise optimize --from: advice from the current state of a vancomycin patient charted with
// dates and clock times (examples/advice-vancomycin.csv, Goti 2018): the time forms of --from,
// the hold, strengths and rounding, the rate limit, the daily maximum, and usage errors.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { nextDoseTime } from '../../../src/cli/advice.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import type { DataRecord } from '../../../src/regimen/record.js';

const base = ['optimize', '--model', 'vancomycin_goti_2018', '--data', 'examples/advice-vancomycin.csv', '--target', 'auc24:400:600,trough::20',
  '--intervals', '8,12,24', '--infusions', '1', '--draws', '200', '--seed', '3'];

interface Dose {
  time: number;
  amount: number;
  duration: number;
  clock: string | null;
}
interface Advice {
  id: number;
  from: number;
  from_clock: string;
  state: { mode: number; median: number; lo: number; hi: number };
  hold: { hours: number; exact: number; below: number; level: number; until: number; until_clock: string } | null;
  next_time: number;
  recommendation: { next: Dose; maintenance: Dose & { interval: number; start: number }; pta: number; max_daily: number; exposure: Record<string, { mode: number; median: number; lo: number; hi: number }> };
  ranked: Advice['recommendation'][];
  excluded: { maxDaily: number; infusionLongerThanInterval: number };
}

// DIAL is not in these files: every run says so (W_COVARIATE_DEFAULT), the rest of stderr is checked
const withoutDefaulted = (err: string): string => err.split('\n').filter((l) => !l.includes('W_COVARIATE_DEFAULT: ')).join('\n');

async function advice(extra: string[]): Promise<Advice> {
  const r = await cli([...base, ...extra, '--json']);
  expect(withoutDefaulted(r.err)).toBe('');
  expect(r.code).toBe(0);
  return (JSON.parse(r.out) as Advice[])[0]!;
}

describe('dosewise optimize --from (vancomycin, clock-time history)', () => {
  it('an AUC window alone holds until the level falls to its ceiling / 24: auc24:400:480 holds as trough::20 does', async () => {
    const common = ['optimize', '--model', 'vancomycin_goti_2018', '--data', 'examples/advice-vancomycin.csv', '--from', '48', '--intervals', '12,24', '--infusions', '1', '--doses', '500:2000:500', '--draws', '50', '--seed', '3'];
    const auc = await cli([...common, '--target', 'auc24:400:480', '--json']);
    const trough = await cli([...common, '--target', 'trough::20', '--json']);
    expect(auc.code, auc.err).toBe(0);
    const [a] = JSON.parse(auc.out) as (Advice & { hold: { basis: string } })[];
    const [t] = JSON.parse(trough.out) as (Advice & { hold: { basis: string } })[];
    expect(a?.hold?.below).toBe(20);
    expect(a?.hold?.basis).toBe('exposure');
    expect(t?.hold?.basis).toBe('trough');
    expect(a?.hold?.exact).toBe(t?.hold?.exact);
    expect(a?.next_time).toBe(t?.next_time);
    const text = await cli([...common, '--target', 'auc24:400:480']);
    expect(text.out).toMatch(/hold the next dose for \d+ h, until 2026-03-06 \d\d:00 \(\d+ h\): the predicted level [\d.]+ falls below 20 \(the steady-state average level at the exposure ceiling\) after [\d.]+ h\n/);
  });

  it('a daily maximum that leaves out every candidate says so, not that no candidate reaches the target', async () => {
    // the history puts about 2,000 mg in the last 24 h, so 500 mg more breaks a 1,000 mg daily maximum:
    // "no candidate reaches the target for any draw" blamed the target for what --max-daily did
    const r = await cli([...base, '--from', '48', '--doses', '500:1000:500', '--max-daily', '1000']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/no feasible regimen: every candidate was left out by a constraint \(\d+ over the maximum daily amount \(history included\)\)/);
    expect(r.out).not.toMatch(/no candidate reaches the target/);
  });

  it('a renal decline charted ahead as EVID 2 records is advised with (it was refused as a future dose before the last record of the history)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dosewise-advice-'));
    try {
      const csv = readFileSync('examples/advice-vancomycin.csv', 'utf8').trimEnd() + '\n1,03/07/2026,08:00,2,.,.,.,1,80,60\n1,03/08/2026,08:00,2,.,.,.,1,80,20\n';
      const file = join(dir, 'ahead.csv');
      writeFileSync(file, csv);
      const args = (data: string): string[] => [...base.map((a) => (a === 'examples/advice-vancomycin.csv' ? data : a)), '--from', '48', '--doses', '250:2000:250', '--json'];
      const ahead = await cli(args(file));
      // the only warning: the estimate's parameters are the last record's (CRCL 20)
      expect(withoutDefaulted(ahead.err).trim().split('\n')).toEqual([expect.stringMatching(/CL changes over the records \(2\.20709 on row 1, 0\.916482 on row 9/)]);
      expect(ahead.code).toBe(0);
      const plain = await cli(args('examples/advice-vancomycin.csv'));
      const a = (JSON.parse(ahead.out) as Advice[])[0]!;
      const p = (JSON.parse(plain.out) as Advice[])[0]!;
      // the state at 48 h is the fitted history's either way; CRCL 20 from 72 h on (NOCB) lowers the clearance
      expect(a.state.mode).toBe(p.state.mode);
      expect(a.recommendation.exposure.auc24!.mode).toBeGreaterThan(0);
      const daily = (x: Advice['recommendation']): number => (x.maintenance.amount * 24) / x.maintenance.interval;
      expect(daily(a.recommendation)).toBeLessThan(daily(p.recommendation));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--from as a timestamp, a clock time and hours give the same advice; above the trough ceiling the next dose is held', async () => {
    const extra = ['--doses', '500:3000:250', '--strengths', '500,1000', '--max-rate', '1000', '--max-daily', '4000', '--top', '20'];
    const a = await advice(['--from', '2026-03-06T08:00', ...extra]);
    const b = await advice(['--from', '08:00', ...extra]); // the next 08:00 after the last record (07:30 on 6 March)
    const c = await advice(['--from', '48', ...extra]);
    expect(a.from).toBe(48);
    expect(a.from_clock).toBe('2026-03-06T08:00:00');
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    // the individual prediction at 08:00 is above 20 mg/L: held until it falls below, rounded up to the hour
    expect(a.state.mode).toBeGreaterThan(20);
    expect(a.hold).not.toBeNull();
    expect(a.hold!.below).toBe(20);
    expect(a.hold!.hours).toBe(Math.ceil(a.hold!.exact));
    expect(a.next_time).toBe(48 + a.hold!.hours);
    expect(a.hold!.until_clock).toBe(`2026-03-06T${String(8 + a.hold!.hours).padStart(2, '0')}:00:00`);
    expect(a.ranked.length).toBeGreaterThan(1);
    for (const x of a.ranked) {
      // strengths of 500 and 1000: multiples of 500; infusion at most 1000 mg/h; at most 4000 mg in any 24 h
      for (const d of [x.next, x.maintenance]) {
        expect(d.amount % 500).toBe(0);
        expect(d.amount / d.duration).toBeLessThanOrEqual(1000);
        expect(d.duration).toBe(Math.max(1, d.amount / 1000));
      }
      expect(x.max_daily).toBeLessThanOrEqual(4000);
      expect(x.next.time).toBe(a.next_time);
      expect(x.next.amount).toBe(x.maintenance.amount); // held: no loading dose
    }
    expect(a.excluded.maxDaily).toBeGreaterThan(0);
  });

  it('below the hold level: a loading dose may lead; --round gives multiples; the text table names the hold or its absence', async () => {
    const a = await advice(['--from', '2026-03-06T13:00', '--doses', '100:3000:100', '--round', '250', '--max-dose', '2500', '--top', '30']);
    expect(a.hold).toBeNull();
    expect(a.next_time).toBe(53);
    for (const x of a.ranked) for (const d of [x.next, x.maintenance]) {
      expect(d.amount % 250).toBe(0);
      expect(d.amount).toBeLessThanOrEqual(2500);
    }
    expect(a.ranked.some((x) => x.next.amount > x.maintenance.amount)).toBe(true);
    // --earliest as a clock time: the next 14:30 after the last record
    const e = await advice(['--from', '2026-03-06T13:00', '--earliest', '14:30', '--doses', '500:2000:500', '--top', '1']);
    expect(e.next_time).toBe(54.5);
    expect(e.recommendation.next.clock).toBe('2026-03-06T14:30:00');
    // --earliest 07:00 beside --from 08:00 is the next morning: said, not silently a 23-h wait
    const late = await cli([...base, '--from', '08:00', '--earliest', '07:00', '--doses', '500:2000:500', '--top', '1', '--json']);
    expect(late.code, late.err).toBe(0);
    expect((JSON.parse(late.out) as Advice[])[0]!.next_time).toBe(71);
    // the same time written as a timestamp says which day: no warning (advice() wants stderr empty)
    expect((await advice(['--from', '08:00', '--earliest', '2026-03-07T07:00', '--doses', '500:2000:500', '--top', '1'])).next_time).toBe(71);
    expect(late.err).toMatch(/warning: .*ID 1: --earliest 07:00 is 2026-03-07 07:00 \(71 h\), 23 h after --from \(2026-03-06 08:00 \(48 h\)\): no dose before then; give a date and time if you meant another day/);
    expect(e.next_time).toBe(54.5);
    const t = await cli([...base, '--from', '2026-03-06T08:00', '--doses', '500:2000:500', '--max-rate', '1000']);
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/^ID 1: advice from 2026-03-06 08:00 \(48 h\); target auc24:400:600,trough::20;/);
    expect(t.out).toMatch(/\n {2}hold the next dose for \d+ h, until 2026-03-06 \d\d:00 \(\d+ h\): the predicted level [\d.]+ falls below 20 after [\d.]+ h\n/);
    expect(t.out).toMatch(/\n {2}next dose: \d+ over [\d.]+ h at 2026-03-06 /);
    expect(t.out).toMatch(/\n {2}then: \d+ over [\d.]+ h every \d+ h from /);
  });

  it('--report: the advice, the ranked table and the chart of the history with the recommendation', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dosewise-advice-'));
    try {
      const r = await cli([...base, '--from', '2026-03-06T08:00', '--doses', '500:2000:500', '--max-rate', '1000', '--report', join(dir, 'out')]);
      expect(r.code).toBe(0);
      const html = readFileSync(join(dir, 'out', 'report.html'), 'utf8');
      expect(html).toMatch(/hold the next dose for \d+ h, until 2026-03-06 \d\d:00/);
      expect(html).toContain('Best next doses and maintenance regimens');
      expect(html).toMatch(/<svg/);
      expect(html).not.toContain('could not be drawn');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses bad values naming the option (exit 2), and the advice options without --from', async () => {
    // an option given twice is refused, so a case's --infusions replaces the base's
    const run = (extra: string[]) => cli([...(extra.includes('--infusions') ? base.filter((_, i) => base[i] !== '--infusions' && base[i - 1] !== '--infusions') : base), '--doses', '500:2000:500', ...extra]);
    const cases: [string[], RegExp][] = [
      [['--from', 'soon'], /--from soon: expected now, next-dose, hours/],
      [['--from', '30'], /--from 30: is before a dose of the history \(at 36 h\)/],
      // a clock time is named as written, with its hours
      [['--from', '2026-03-05T10:00'], /--from 2026-03-05T10:00 \(26 h\): is before a dose of the history \(at 36 h\)/],
      [['--from', '2026-02-30T08:00'], /--from 2026-02-30T08:00: no such date/],
      [['--from', '48', '--max-rate', '0'], /--max-rate 0: expected an infusion rate > 0/],
      [['--from', '48', '--max-daily', 'x'], /--max-daily x: expected an amount per 24 h > 0/],
      [['--from', '48', '--round', '-250'], /--round -250: expected an increment > 0/],
      [['--from', '48', '--strengths', '500,abc'], /--strengths abc: expected a comma list of strengths > 0/],
      [['--from', '48', '--round', '250', '--strengths', '500'], /give --round or --strengths, not both/],
      [['--from', '48', '--max-dose', '100'], /--max-dose 100: is below every candidate dose/],
      [['--from', '48', '--time-step', '0'], /--time-step 0: expected hours > 0/],
      [['--from', '48', '--loading', '1000'], /--loading 1000: not used with --from/],
      [['--max-rate', '1000'], /--max-rate 1000: applies with --from/],
      [['--from', '48', '--infusions', '0', '--max-rate', '1000'], /--max-rate 1000: limits infusions/],
    ];
    for (const [extra, msg] of cases) {
      const r = await run(extra);
      expect(r.code, extra.join(' ')).toBe(2);
      expect(r.err, extra.join(' ')).toMatch(msg);
    }
    // a data set in hours has no clock: --from now is refused, --from next-dose works
    const hours = ['optimize', '--model', 'examples/map-wmap.model.json', '--data', 'examples/map-patient.csv', '--target', 'auc24:400:600', '--doses', '500:2000:500', '--intervals', '12', '--infusions', '1', '--draws', '50'];
    const now = await cli([...hours, '--from', 'now']);
    expect(now.code).toBe(2);
    expect(now.err).toMatch(/--from now: the data set's TIME column holds hours, not clock times/);
    const next = await cli([...hours, '--from', 'next-dose', '--json']);
    expect(next.code).toBe(0);
    expect(JSON.parse(next.out)[0].from).toBe(48);
  });
});

describe('--from next-dose', () => {
  const recs = (rows: string): readonly DataRecord[] => readNmtran(`ID,TIME,EVID,AMT,II,ADDL,DV,MDV\n${rows}`).records;
  it('is the last dose plus the interval: II, else the spacing of distinct dose times (a split dose is one dose)', () => {
    expect(nextDoseTime(recs('1,0,1,1000,12,2,.,1\n1,30,0,.,.,.,8,0'))).toBe(36);
    // 500 mg + 500 mg at 24 h: one dose, q12h (before: an interval of 0 h put the next dose at the last record, 30 h)
    expect(nextDoseTime(recs('1,0,1,1000,.,.,.,1\n1,12,1,1000,.,.,.,1\n1,24,1,500,.,.,.,1\n1,24,1,500,.,.,.,1\n1,30,0,.,.,.,8,0'))).toBe(36);
    expect(nextDoseTime(recs('1,0,1,1000,.,.,.,1\n1,12,1,1000,.,.,.,1\n1,14,0,.,.,.,8,0'))).toBe(24);
  });
  it('refuses doses without II and without a regular spacing, naming the gaps', () => {
    expect(() => nextDoseTime(recs('1,0,1,1000,.,.,.,1\n1,12,1,1000,.,.,.,1\n1,27,1,1000,.,.,.,1\n1,30,0,.,.,.,8,0'))).toThrow(/--from next-dose: the last doses have no interval \(no II; the doses at rows 1 \(0 h\), 2 \(12 h\) and 3 \(27 h\): 12 h then 15 h apart\): give --from as a time/);
  });
  it('reads only the last copies of an ADDL record (ADDL 1e9 after the last record ran out of memory)', () => {
    // q12h from 0 h, 1e8 copies: the last copy at 1.2e9 h, the next dose 12 h later
    expect(nextDoseTime(recs('1,0,1,1000,12,100000000,.,1\n1,30,0,.,.,.,8,0'))).toBe(12e8 + 12);
    // a second order's copies interleaved with the first's: the last three events are still read right.
    // The 500 mg 6 h into each 1000-mg interval is part of that dose, as the metrics read it, so the
    // next dose is the 1000 mg one due 12 h after the last (it was 6 + 12e6 + 12, skipping that slot)
    expect(nextDoseTime(recs('1,0,1,1000,12,1000000,.,1\n1,6,1,500,12,1000000,.,1\n1,30,0,.,.,.,8,0'))).toBe(12e6 + 12);
  });
  it("reads the last dose's II whatever the order of the records (a top-up record after a q12h order gave 66 h for 72 h)", () => {
    // q12h ×6 from 0 h (last dose 60 h), a top-up at 54 h written after the order
    expect(nextDoseTime(recs('1,0,1,1000,12,5,.,1\n1,54,1,250,.,.,.,1\n1,63,0,.,.,.,8,0'))).toBe(72);
    expect(nextDoseTime(recs('1,54,1,250,.,.,.,1\n1,0,1,1000,12,5,.,1\n1,63,0,.,.,.,8,0'.split('\n').sort((a, b) => Number(a.split(',')[1]) - Number(b.split(',')[1])).join('\n')))).toBe(72);
  });
  it('one dosing event whose times differ in the last bit (an ADDL copy at 8:01 + 12 h and a top-up charted at 20:01): the next dose is the last plus II', () => {
    // 61/60 + 12 = 13.016666666666666 and 781/60 = 13.016666666666667: read as two doses 1.8e-15 h apart, refused as "no interval"
    const rows = `1,${61 / 60},1,1000,12,1,.,1\n1,${781 / 60},1,250,.,.,.,1\n1,14,0,.,.,.,8,0`;
    expect(nextDoseTime(recs(rows))).toBeCloseTo(61 / 60 + 24, 12);
  });
  it('reads gaps within a minute as one spacing, as the metrics do (a dose charted 2 s off was refused as "11.9994444444 h then 12 h apart")', () => {
    // q12h at 0, 12, 24 h + 2 s and 36 h: the next dose at 48 h, the spacing's whole minute
    expect(nextDoseTime(recs(`1,0,1,1000,.,.,.,1\n1,12,1,1000,.,.,.,1\n1,${24 + 2 / 3600},1,1000,.,.,.,1\n1,36,1,1000,.,.,.,1\n1,38,0,.,.,.,8,0`))).toBeCloseTo(48, 12);
    // the last dose 2 s late: 12 h after it
    expect(nextDoseTime(recs(`1,0,1,1000,.,.,.,1\n1,12,1,1000,.,.,.,1\n1,24,1,1000,.,.,.,1\n1,${36 + 2 / 3600},1,1000,.,.,.,1\n1,38,0,.,.,.,8,0`))).toBeCloseTo(48 + 2 / 3600, 12);
    // two minutes off is no spacing: refused as before
    expect(() => nextDoseTime(recs(`1,0,1,1000,.,.,.,1\n1,12,1,1000,.,.,.,1\n1,${24 + 2 / 60},1,1000,.,.,.,1\n1,36,1,1000,.,.,.,1\n1,38,0,.,.,.,8,0`))).toThrow(/the last doses have no interval/);
  });
  it('refuses a single dose without II: it has no interval (it became the last record rounded up to the hour)', () => {
    expect(() => nextDoseTime(recs('1,14,1,1000,.,.,.,1\n1,16,0,.,.,.,8,0'))).toThrow(/--from next-dose: the history has a single dose time \(14 h\) and no II, so no interval: give --from as a time/);
  });
});

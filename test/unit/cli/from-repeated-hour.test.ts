// optimize --from (or --earliest) at a clock time in the hour the clocks repeat, under --tz: the
// chart's own times there are warned or refused (W_CLOCK_AMBIGUOUS, repeated-hour.ts), --from's were
// read without a word. A q6h chart with its trough at 02:59 on Berlin's autumn night (read on the
// first pass, as the chart rule reads it) and --from 02:10 advised from 12.1667 h, the second pass
// of 02:10 (01:10 UTC), 11 min after the trough: a reading that mixes the passes, where on either
// pass alone the dose is 49 min before the trough. A chart ending the evening before and --from
// 02:30 read the first pass (17.5 h) with the second (18.5 h) as likely. Now the mixed case is
// refused naming the last record's row and both readings, and the other warned with both.
// Reference: python zoneinfo folds (test/oracle/clock_ambiguous_from.py → clock-ambiguous-from.json).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';
import { tempFiles } from '../temp-files.js';

interface Case {
  chart: string[];
  frm: string;
  from_hours: number[];
  from_utc: string[];
  from_offsets: string[];
  minutes_after_last: number[];
}
const ORACLE = JSON.parse(readFileSync(join(import.meta.dirname, '../../oracle/clock-ambiguous-from.json'), 'utf8')) as Record<'trough_then_from' | 'trough_then_future' | 'evening_then_from', Case>;

const { write: file } = tempFiles('dosewise-from-repeated-');
const head = 'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL,DIAL\n';
const chart = (c: Case): string =>
  file(`${c.chart[0]?.slice(11, 13)}.csv`, head + c.chart.map((w, i) => (i < 2 ? `1,${w.slice(0, 10)},${w.slice(11)},1,1500,1000,.,1,80,40,0` : `1,${w.slice(0, 10)},${w.slice(11)},0,.,.,12.0,0,80,40,0`)).join('\n') + '\n');
const ADVISE = ['--target', 'auc24:400:600', '--doses', '500:2000:500', '--intervals', '12', '--infusions', '1', '--draws', '20', '--seed', '1', '--json'];
const optimize = (data: string, ...more: string[]) => cli(['optimize', '--model', 'vancomycin_goti_2018', '--data', data, ...ADVISE, ...more]);
type Out = { from: number; warnings: { code: string; message: string }[] };
const h = (x: number): string => `${Number(x.toFixed(4))} h`;

const tz = process.env.TZ;
afterEach(() => {
  if (tz === undefined) delete process.env.TZ;
  else process.env.TZ = tz;
});

describe('optimize --from in the hour the clocks repeat (--tz)', () => {
  it.each(['02:10', '2026-10-25T02:10'])('--from %s after a trough at 02:59 in that hour: refused with the row and both readings (python: 49 min before it, 11 min after)', async (from) => {
    process.env.TZ = 'UTC';
    const c = ORACLE.trough_then_from;
    const r = await optimize(chart(c), '--from', from, '--tz', 'Europe/Berlin');
    expect(r.code).not.toBe(0);
    const [before, after] = c.minutes_after_last as [number, number];
    expect(r.err).toContain(`--from ${from}: ID 1: 2026-10-25 02:10 lies in the hour the clocks of Europe/Berlin repeat`);
    expect(r.err).toContain('row 3 (2026-10-25 02:59)');
    expect(r.err).toContain(`on the first pass, ${c.frm.slice(11)} ${c.from_offsets[0]} (${c.from_utc[0]} UTC, ${h(c.from_hours[0] as number)}), it is ${-before} min before row 3`);
    expect(r.err).toContain(`on the second, ${c.frm.slice(11)} ${c.from_offsets[1]} (${c.from_utc[1]} UTC, ${h(c.from_hours[1] as number)}), ${after} min after it`);
    expect(r.err).toContain(`${c.frm}${c.from_offsets[1]}`);
  });

  it('--from 02:30 after a chart ending the evening before: read as the first pass (python 17.5 h), warned with the second (18.5 h)', async () => {
    process.env.TZ = 'UTC';
    const c = ORACLE.evening_then_from;
    const r = await optimize(chart(c), '--from', '02:30', '--tz', 'Europe/Berlin');
    expect(r.code, r.err).toBe(0);
    const o = (JSON.parse(r.out) as Out[])[0] as Out;
    expect(o.from).toBeCloseTo(c.from_hours[0] as number, 9);
    const w = o.warnings.filter((x) => x.code === 'W_CLOCK_AMBIGUOUS');
    expect(w).toHaveLength(1);
    expect(w[0]?.message).toContain(`--from 02:30 (2026-10-25 02:30) lies in the hour the clocks of Europe/Berlin repeat, a time twice on its clock: read as the first, 02:30 ${c.from_offsets[0]} (${c.from_utc[0]} UTC, ${h(c.from_hours[0] as number)}); the second, 02:30 ${c.from_offsets[1]} (${c.from_utc[1]} UTC), is ${h(c.from_hours[1] as number)}`);
    expect(w[0]?.message).toContain(`${c.frm}${c.from_offsets[1]}`);
    expect(r.err).toMatch(/W_CLOCK_AMBIGUOUS: --from 02:30/);
  });

  it('--earliest in the hour is said the same way; --from 03:00, after it, and a chart read without --tz say nothing of --from', async () => {
    process.env.TZ = 'UTC';
    const e = ORACLE.evening_then_from;
    const r = await optimize(chart(e), '--from', '00:30', '--earliest', '02:30', '--tz', 'Europe/Berlin');
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/W_CLOCK_AMBIGUOUS: --earliest 02:30 \(2026-10-25 02:30\)/);
    const c = ORACLE.trough_then_from;
    const after = await optimize(chart(c), '--from', '03:00', '--tz', 'Europe/Berlin');
    expect(after.code, after.err).toBe(0);
    expect(after.err).not.toMatch(/W_CLOCK_AMBIGUOUS: --from/);
    const wall = await optimize(chart(e), '--from', '02:30');
    expect(wall.code, wall.err).toBe(0);
    expect(wall.err).not.toMatch(/W_CLOCK_AMBIGUOUS/);
  });
});

describe('forecast --regimen with a future dose in the hour the clocks repeat (--tz)', () => {
  it('a dose at 02:30 after the history’s trough at 02:59: refused naming both files’ rows and both readings (python: 29 min before, 31 min after)', async () => {
    process.env.TZ = 'UTC';
    const c = ORACLE.trough_then_future;
    const future = file('future.csv', `ID,DATE,TIME,EVID,AMT,RATE,DV,MDV\n1,${c.frm.slice(0, 10)},${c.frm.slice(11)},1,1500,1000,.,1\n1,2026-10-25,09:00,0,.,.,.,0\n`);
    const r = await cli(['forecast', '--model', 'vancomycin_goti_2018', '--data', chart(c), '--regimen', future, '--draws', '20', '--metric', 'cmax', '--tz', 'Europe/Berlin']);
    expect(r.code).not.toBe(0);
    const [before, after] = c.minutes_after_last as [number, number];
    expect(r.err).toMatch(/future\.csv row 1 \(2026-10-25 02:30\), ID 1, lies in the hour the clocks of Europe\/Berlin repeat/);
    expect(r.err).toMatch(/\.csv row 3 \(2026-10-25 02:59\)/);
    expect(r.err).toContain(`on the first pass, 02:30 ${c.from_offsets[0]} (${c.from_utc[0]} UTC, ${h(c.from_hours[0] as number)}), it is ${-before} min before`);
    expect(r.err).toContain(`on the second, 02:30 ${c.from_offsets[1]} (${c.from_utc[1]} UTC, ${h(c.from_hours[1] as number)}), ${after} min after it`);
    expect(r.err).toContain(`${c.frm}${c.from_offsets[1]}`);
  });
});

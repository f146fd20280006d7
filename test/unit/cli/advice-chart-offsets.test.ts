// `optimize --from next-dose` on charts whose timestamps mix UTC offsets (charts): doses
// 12 h apart as instants but written in two offsets (refused as 11 h then 13 h apart on each
// record's own clock), and a level stamped in UTC after doses at +01:00 (the next dose placed in the
// level's offset, 1 h off the ward's 08:00, silently: now warned, W_CHART_OFFSETS). Hours and
// clock times computed with python datetime/zoneinfo when the tests were written; levels are the
// closed form of 1-h infusions of 1000 into one compartment (CL 4, V 40, k = 0.1/h):
// Σ 250·(1 − e^−0.1)·e^−0.1·(t − tᵢ − 1).

import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';
import { tempFiles } from '../temp-files.js';
import { ADVISE_ARGS, ONE_CMT_MODEL } from './one-cmt-advice.js';

const { write: file } = tempFiles('dosewise-chart-offsets-');
const model = file('m1.model.json', ONE_CMT_MODEL);
const advise = ADVISE_ARGS;
type Out = { from: number; from_clock: string; state: { mode: number } };
const parsed = (out: string): Out[] => JSON.parse(out) as Out[];
const head = 'ID,TIME,EVID,AMT,RATE,DV,MDV\n';
const nextDose = (data: string, ...more: string[]) => cli(['optimize', '--model', model, '--data', data, '--from', 'next-dose', ...more, ...advise, '--json']);

describe('next-dose where the wall clock gives no interval but the instants do', () => {
  it('doses at 08:00 +01:00, 19:00 Z, 08:00 +01:00 (12 h apart as instants) give 2026-03-05 20:00 +01:00, 36 h (python); it was refused as 11 h then 13 h apart', async () => {
    const data = file('mixz2.csv', `${head}1,2026-03-04T08:00+01:00,1,1000,1000,.,1\n1,2026-03-04T19:00Z,1,1000,1000,.,1\n1,2026-03-05T08:00+01:00,1,1000,1000,.,1\n1,2026-03-05T19:30+01:00,0,.,.,.,1\n`);
    const r = await nextDose(data);
    expect(r.code, r.err).toBe(0);
    expect(parsed(r.out)[0]?.from).toBe(36);
    expect(parsed(r.out)[0]?.from_clock).toBe('2026-03-05T20:00:00+01:00');
    // level at 36 h after doses at 0, 12 and 24 h: 11.022855798573662 (closed form, python; measured 5e-15 off)
    expect(Math.abs((parsed(r.out)[0]?.state.mode as number) - 11.022855798573662)).toBeLessThan(1e-12);
    // the instants were used, not a clock placed in an offset: nothing to warn about
    expect(r.err).not.toMatch(/W_CHART_OFFSETS/);
  });

  it('doses at 07:00 Z, 20:00 +01:00, 07:00 Z give 20:00 +01:00, 36 h (python), without a warning though the last dose and record differ in offset', async () => {
    const data = file('mixz3.csv', `${head}1,2026-03-04T07:00Z,1,1000,1000,.,1\n1,2026-03-04T20:00+01:00,1,1000,1000,.,1\n1,2026-03-05T07:00Z,1,1000,1000,.,1\n1,2026-03-05T19:30+01:00,0,.,.,.,1\n`);
    const r = await nextDose(data);
    expect(r.code, r.err).toBe(0);
    expect(parsed(r.out)[0]?.from).toBe(36);
    expect(parsed(r.out)[0]?.from_clock).toBe('2026-03-05T20:00:00+01:00');
    expect(r.err).not.toMatch(/W_CHART_OFFSETS/);
  });

  it('doses irregular as instants too (12 h then 13 h, and 11 h then 14 h on their clocks) are still refused, with the spacing of the instants --from reads', async () => {
    const data = file('irr.csv', `${head}1,2026-03-04T08:00+01:00,1,1000,1000,.,1\n1,2026-03-04T19:00Z,1,1000,1000,.,1\n1,2026-03-05T09:00+01:00,1,1000,1000,.,1\n`);
    const r = await nextDose(data);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--from next-dose: the last doses have no interval \(no II; the doses at rows 1 \(0 h\), 2 \(12 h\) and 3 \(25 h\): 12 h then 13 h apart\): give --from as a time/);
  });
});

describe('next-dose across the spring switch on a running infusion', () => {
  it('24-h bags at 08:00 +01:00 on 27 and 28 March: 08:00 +02:00 on the 29th (47 h) is 1 h before the last bag ends (48 h, python): refused, naming both (it was advised, exit 0)', async () => {
    const data = file('bags.csv', `${head}1,2026-03-27T08:00+01:00,1,2400,100,.,1\n1,2026-03-28T08:00+01:00,1,2400,100,.,1\n1,2026-03-29T06:00+02:00,0,.,.,.,1\n`);
    for (const tz of [[], ['--tz', 'Europe/Berlin']]) {
      const r = await nextDose(data, ...tz);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/--from next-dose: on the ward's clock the next dose is 2026-03-29 08:00 \+02:00 \(47 h\), 23 h after the last dose began, while it \(row 2: AMT 2400, RATE 100\) is an infusion running until 2026-03-29 09:00 \+02:00 \(48 h\): a change of UTC offset shortened the interval on the clock; give --from as a time \(e\.g\. its end, --from 48\)/);
    }
  });

  it('a load then a RATE -2 infusion after the switch is refused in the hours --from reads (49.5 h to 121.5 h, python; it said 50.5 and 122.5)', async () => {
    const m2 = file('m2.model.json', { ...ONE_CMT_MODEL, name: 'one-cmt-d1', covariates: { INFD: { unit: 'h' } }, parameters: { ...ONE_CMT_MODEL.parameters, D1: 'INFD' }, compartments: { '1': { duration: 'D1' } } });
    const data = file('load72.csv', 'ID,TIME,EVID,AMT,RATE,DV,MDV,INFD\n1,2026-03-27T08:00+01:00,0,.,.,.,1,72\n1,2026-03-29T10:00+02:00,1,2000,4000,.,1,72\n1,2026-03-29T10:30+02:00,1,18000,-2,.,1,72\n1,2026-03-29T20:00+02:00,0,.,.,.,1,72\n');
    const r = await cli(['optimize', '--model', m2, '--data', data, '--from', 'next-dose', ...advise, '--json']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/the last dose \(row 3: AMT 18000 at 49\.5 h, RATE -2\) is an infusion running until 121\.5 h, .*--from 121\.5\)/);
  });
});

describe('next-dose placed in the last record\'s offset where it differs from the last dose\'s (W_CHART_OFFSETS)', () => {
  const data = file('mixz.csv', `${head}1,2026-03-04T08:00+01:00,1,1000,1000,.,1\n1,2026-03-04T20:00+01:00,1,1000,1000,.,1\n1,2026-03-05T06:30Z,0,.,.,.,1\n`);

  it('doses at 08:00 and 20:00 +01:00, a level at 06:30 Z: 08:00 UTC, 25 h (python), as before, now warned with both offsets and the time on the last dose\'s clock (24 h)', async () => {
    const r = await nextDose(data);
    expect(r.code, r.err).toBe(0);
    expect(parsed(r.out)[0]?.from).toBe(25);
    expect(parsed(r.out)[0]?.from_clock).toBe('2026-03-05T08:00:00Z');
    // level at 25 h after doses at 0 and 12 h: 9.323843385925803 (closed form, python; measured 4e-15 off)
    expect(Math.abs((parsed(r.out)[0]?.state.mode as number) - 9.323843385925803)).toBeLessThan(1e-12);
    expect(r.err).toMatch(
      /dosewise: warning: .*mixz\.csv, ID 1: W_CHART_OFFSETS: next-dose is 2026-03-05 08:00 UTC = 2026-03-05 09:00 \+01:00 \(25 h\), placed on the clock of the last record \(row 3, UTC\), where the last dose \(row 2\) is at \+01:00: on the last dose's clock it is 2026-03-05 08:00 \+01:00 \(24 h\)\. The chart does not say which is the ward's: give --tz <zone> \(e\.g\. --tz Europe\/Berlin\) to place the next dose on the ward's clock/,
    );
    expect(r.err.match(/W_CHART_OFFSETS/g)).toHaveLength(1);
  });

  it('with --tz Europe/Berlin the next dose is 08:00 +01:00, 24 h (python zoneinfo), and not warned', async () => {
    const r = await nextDose(data, '--tz', 'Europe/Berlin');
    expect(r.code, r.err).toBe(0);
    expect(parsed(r.out)[0]?.from).toBe(24);
    expect(parsed(r.out)[0]?.from_clock).toBe('2026-03-05T08:00:00+01:00');
    expect(r.err).not.toMatch(/W_CHART_OFFSETS/);
  });

  it('--from next-dose and --earliest next-dose warn once', async () => {
    const r = await cli(['optimize', '--model', model, '--data', data, '--from', 'next-dose', '--earliest', 'next-dose', ...advise]);
    expect(r.code, r.err).toBe(0);
    expect(r.err.match(/W_CHART_OFFSETS/g)).toHaveLength(1);
  });

  it('the last dose and record in one offset: no warning (08:00 +01:00, 24 h)', async () => {
    const same = file('samez.csv', `${head}1,2026-03-04T08:00+01:00,1,1000,1000,.,1\n1,2026-03-04T20:00+01:00,1,1000,1000,.,1\n1,2026-03-05T07:30+01:00,0,.,.,.,1\n`);
    const r = await nextDose(same);
    expect(r.code, r.err).toBe(0);
    expect(parsed(r.out)[0]?.from).toBe(24);
    expect(r.err).not.toMatch(/W_CHART_OFFSETS/);
  });

  it('across the spring switch (last dose 20:00 +01:00, level 07:00 +02:00) the placement is kept, 08:00 +02:00, 23 h (python), and warned: the chart cannot tell it from a level stamped in another zone', async () => {
    const dst = file('dstlevel.csv', `${head}1,2026-03-28T08:00+01:00,1,1000,1000,.,1\n1,2026-03-28T20:00+01:00,1,1000,1000,.,1\n1,2026-03-29T07:00+02:00,0,.,.,.,1\n`);
    const r = await nextDose(dst);
    expect(r.code, r.err).toBe(0);
    expect(parsed(r.out)[0]?.from).toBe(23);
    expect(parsed(r.out)[0]?.from_clock).toBe('2026-03-29T08:00:00+02:00');
    expect(r.err).toMatch(/W_CHART_OFFSETS: next-dose is 2026-03-29 08:00 \+02:00 = 2026-03-29 07:00 \+01:00 \(23 h\), placed on the clock of the last record \(row 3, \+02:00\), where the last dose \(row 2\) is at \+01:00: on the last dose's clock it is 2026-03-29 08:00 \+01:00 \(24 h\)/);
  });
});

describe('two doses in two offsets whose spacing differs on their clocks and as instants', () => {
  it('08:00 +01:00 then 19:00 Z (11 h on their clocks, 12 h as instants): placed as before, 23 h (python: 06:00 Z next day), and warned with the instants\' 24 h', async () => {
    const data = file('two.csv', `${head}1,2026-03-04T08:00+01:00,1,1000,1000,.,1\n1,2026-03-04T19:00Z,1,1000,1000,.,1\n1,2026-03-04T21:00Z,0,.,.,.,1\n`);
    const r = await nextDose(data);
    expect(r.code, r.err).toBe(0);
    expect(parsed(r.out)[0]?.from).toBe(23);
    expect(r.err).toMatch(/W_CHART_OFFSETS: next-dose is 2026-03-05 06:00 UTC \(23 h\), spaced on the doses' own clocks, whose UTC offsets differ; spaced as instants it is 2026-03-05 07:00 UTC \(24 h\)\. .*give --tz <zone>/);
  });

  it('with --tz the zone decides, without the warning', async () => {
    const data = file('two-tz.csv', `${head}1,2026-03-04T08:00+01:00,1,1000,1000,.,1\n1,2026-03-04T19:00Z,1,1000,1000,.,1\n1,2026-03-04T21:00Z,0,.,.,.,1\n`);
    const r = await nextDose(data, '--tz', 'Europe/Berlin');
    expect(r.code, r.err).toBe(0);
    expect(r.err).not.toMatch(/W_CHART_OFFSETS/);
  });
});

describe('the placement warnings in --json', () => {
  // W_CHART_OFFSETS went to stderr only: an app reading the JSON's warnings saw []
  it('lists W_CHART_OFFSETS in the JSON warnings with its code', async () => {
    const data = file('mixz-json.csv', `${head}1,2026-03-04T08:00+01:00,1,1000,1000,.,1\n1,2026-03-04T20:00+01:00,1,1000,1000,.,1\n1,2026-03-05T06:30Z,0,.,.,.,1\n`);
    const r = await nextDose(data);
    expect(r.code, r.err).toBe(0);
    const w = (JSON.parse(r.out) as { warnings: { code: string; message: string }[] }[])[0]?.warnings ?? [];
    expect(w.find((x) => x.code === 'W_CHART_OFFSETS')?.message).toMatch(/^next-dose is 2026-03-05 08:00 UTC/);
  });
});

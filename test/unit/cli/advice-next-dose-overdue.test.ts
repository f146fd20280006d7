// `optimize --from next-dose` where the dose the interval puts next is due before the chart's last
// record and not charted (h4: q12h, the 20:00 dose not charted, a trough drawn late at 20:10): the
// advice moved silently to the last record rounded up to the whole hour ("advice from 2026-03-07
// 21:00 (85 h)", "next dose … at 21:00"). It now starts at the last record itself (the late dose is
// given when the chart ends, not at the next whole hour, which counted from the first record's
// minute besides) and warns W_NEXT_DOSE_OVERDUE on stderr and in the JSON warnings, naming the due
// time, the last dose and the record the chart runs to. Reference: the chart's own arithmetic
// (08:00 + 12 h = 20:00, 36 h after the first dose; 20:10 is 36 + 10/60 h).

import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';
import { tempFiles } from '../temp-files.js';
import { ADVISE_ARGS, ONE_CMT_MODEL } from './one-cmt-advice.js';
import { nextDoseTime } from '../../../src/cli/advice.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import type { DataRecord } from '../../../src/regimen/record.js';

const { write: file } = tempFiles('dosewise-next-dose-overdue-');
const recs = (rows: string): readonly DataRecord[] => readNmtran(`ID,TIME,EVID,AMT,RATE,II,ADDL,DV,MDV\n${rows}`).records;
const q12h = '1,0,1,1000,1000,12,2,.,1\n'; // doses at 0, 12 and 24 h: next due 36 h
type Out = { from: number; from_clock?: string; warnings: { code?: string; message: string }[] };

describe('--from next-dose when the dose due is not charted and the chart runs past it', () => {
  it('starts at the last record itself, not rounded up to the hour (level at 36.5 h: 36.5, was 37)', () => {
    const seen: unknown[] = [];
    expect(nextDoseTime(recs(`${q12h}1,36.5,0,.,.,.,.,12,0`), undefined, (o) => seen.push(o))).toBe(36.5);
    expect(seen).toEqual([expect.objectContaining({ due: 36, last: 24, tau: 12 })]);
  });

  it('says nothing where the chart ends before or at the due time (a trough at 35.5 h or at 36 h)', () => {
    for (const t of [35.5, 36]) {
      const seen: unknown[] = [];
      expect(nextDoseTime(recs(`${q12h}1,${t},0,.,.,.,.,12,0`), undefined, (o) => seen.push(o))).toBe(36);
      expect(seen).toEqual([]);
    }
  });

  it('a record within a minute of the due time is on time (a trough at 08:00:30 or 08:01 for 08:00): not warned, advice from the record', () => {
    for (const t of [36 + 30 / 3600, 36 + 1 / 60]) {
      const seen: unknown[] = [];
      expect(nextDoseTime(recs(`${q12h}1,${t},0,.,.,.,.,12,0`), undefined, (o) => seen.push(o))).toBeCloseTo(t, 12);
      expect(seen).toEqual([]);
    }
    // two minutes late is late
    const seen: unknown[] = [];
    nextDoseTime(recs(`${q12h}1,${36 + 2 / 60},0,.,.,.,.,12,0`), undefined, (o) => seen.push(o));
    expect(seen).toHaveLength(1);
  });

  it('on a clock chart a trough at 08:00:30 for the 08:00 dose is not warned', async () => {
    const model = file('m1.model.json', ONE_CMT_MODEL);
    const data = file('s30.csv', 'ID,TIME,EVID,AMT,RATE,DV,MDV\n1,2026-03-06T08:00,1,1000,1000,.,1\n1,2026-03-06T20:00,1,1000,1000,.,1\n1,2026-03-07T08:00:30,0,.,.,10.8,0\n');
    const r = await cli(['optimize', '--model', model, '--data', data, '--from', 'next-dose', ...ADVISE_ARGS, '--json']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).not.toMatch(/W_NEXT_DOSE_OVERDUE/);
  });

  it('on a clock chart (q12h without II, the 20:00 dose not charted, a trough at 20:10): advice from 20:10, warned on stderr and in the JSON', async () => {
    const model = file('m1.model.json', ONE_CMT_MODEL);
    const data = file(
      'late.csv',
      'ID,TIME,EVID,AMT,RATE,DV,MDV\n1,2026-03-06T08:00,1,1000,1000,.,1\n1,2026-03-06T20:00,1,1000,1000,.,1\n1,2026-03-07T08:00,1,1000,1000,.,1\n1,2026-03-07T20:10,0,.,.,10.8,0\n',
    );
    const r = await cli(['optimize', '--model', model, '--data', data, '--from', 'next-dose', ...ADVISE_ARGS, '--json']);
    expect(r.code, r.err).toBe(0);
    const out = (JSON.parse(r.out) as Out[])[0] as Out;
    expect(out.from).toBeCloseTo(36 + 10 / 60, 9);
    const text = 'W_NEXT_DOSE_OVERDUE: next-dose: the dose due at 2026-03-07 20:00 (36 h), 12 h after the last dose at 2026-03-07 08:00 (24 h), is not charted, and the chart runs to 2026-03-07 20:10 (36.1667 h), the level at row 4: the advice starts there, the late dose given then; if the dose was given, chart it, or give --from as a time';
    expect(r.err).toContain(`late.csv, ID 1: ${text}\n`);
    expect(out.warnings).toContainEqual({ code: 'W_NEXT_DOSE_OVERDUE', message: text.slice('W_NEXT_DOSE_OVERDUE: '.length) });
  });

  it('counts the doses missed where more than one interval has passed (hours chart, a record at 49 h)', async () => {
    const model = file('m1.model.json', ONE_CMT_MODEL);
    const data = file('missed.csv', `ID,TIME,EVID,AMT,RATE,II,ADDL,DV,MDV\n${q12h}1,49,0,.,.,.,.,3,0\n`);
    const r = await cli(['optimize', '--model', model, '--data', data, '--from', 'next-dose', ...ADVISE_ARGS]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('W_NEXT_DOSE_OVERDUE: next-dose: the dose due at 36 h, 12 h after the last dose at 24 h, is not charted (nor 1 more due every 12 h after it), and the chart runs to 49 h, the level at row 2: the advice starts there');
    expect(r.out).toMatch(/advice from 49 h/);
  });

  it('a trough drawn at the due time is not warned', async () => {
    const model = file('m1.model.json', ONE_CMT_MODEL);
    const data = file('ontime.csv', `ID,TIME,EVID,AMT,RATE,II,ADDL,DV,MDV\n${q12h}1,36,0,.,.,.,.,4,0\n`);
    const r = await cli(['optimize', '--model', model, '--data', data, '--from', 'next-dose', ...ADVISE_ARGS, '--json']);
    expect(r.code, r.err).toBe(0);
    expect((JSON.parse(r.out) as Out[])[0]?.from).toBe(36);
    expect(r.err).not.toMatch(/W_NEXT_DOSE_OVERDUE/);
  });
});

// The what-if page's "Advise next dose" inputs (src/web/advice.ts): the page's windows as a target
// spec, the rounding input as --round or --strengths, "from" in hours or clock times, the checks
// naming their field, and the request with its command line; the worker's advice on the page's
// records (WhatIfSession.advise) equals `dosewise optimize --from … --json` run in process on the
// same records written as an NM-TRAN data set.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ADVICE_DOSES, ADVICE_DRAWS, ADVICE_SEED, adviceFrom, adviceRequest, adviceTarget, clockOf, practicalAdviceDoses, roundingRule, shellLine, unitLimitText, unitLimitedAdviceDoses, type AdviceContext, type AdviceForm } from '../../../src/web/advice.js';
import { practicalCandidates, practicalDoses } from '../../../src/cli/advice.js';
import { historyRecords, type PatientCase } from '../../../src/web/case.js';
import { WhatIfSession } from '../../../src/web/session.js';
import { cli } from '../cli/run-cli.js';

const origin = Date.UTC(2026, 2, 4, 8) / 60_000;
const ctx: AdviceContext = { model: 'vancomycin_goti_2018', clock: { origin, zone: false }, defaultFrom: 48, doseTimes: [0, 12.5, 36], infusion: 1, auc: [400, 600], conc: [10, 20] };
const form: AdviceForm = { from: '', maxRate: '1000', rounding: '500,250', maxUnits: '', maxDose: '', maxDaily: '', intervals: '8,12,24' };

describe('advice inputs', () => {
  it('the windows as a target: auc24 and trough clauses, blank ends left out', () => {
    expect(adviceTarget([400, 600], [10, 20])).toBe('auc24:400:600,trough:10:20');
    // a blank end is undefined (NaN is an end that is not a number, refused: see web-unreadable-numbers.test.ts)
    expect(adviceTarget([400, 600], [undefined, 20])).toBe('auc24:400:600,trough::20');
    expect(adviceTarget([400, 600], [undefined, undefined])).toBe('auc24:400:600');
    expect(adviceTarget([undefined, undefined], [undefined, undefined])).toMatchObject({ field: 'target' });
    expect(adviceTarget([600, 400], [10, 20])).toMatchObject({ field: 'target', message: /AUC24 target: low must be below high/ });
  });

  it('one number rounds to multiples, a list to sums of strengths; candidates as the CLI rounds them', () => {
    expect(roundingRule('')).toBeUndefined();
    expect(roundingRule('250')).toEqual({ kind: 'increment', step: 250 });
    expect(roundingRule('500, 250')).toEqual({ kind: 'strengths', strengths: [500, 250] });
    expect(roundingRule('500,x')).toMatchObject({ field: 'rounding' });
    expect(practicalAdviceDoses(undefined)).toEqual([...ADVICE_DOSES]);
    expect(practicalAdviceDoses({ kind: 'increment', step: 500 })).toEqual(practicalDoses(ADVICE_DOSES, { round: '500' }));
    expect(practicalAdviceDoses({ kind: 'strengths', strengths: [500, 1000] })).toEqual(practicalDoses(ADVICE_DOSES, { strengths: '500,1000' }));
  });

  it('units per dose: blank is 4; the candidates the limit cuts are named, as the CLI names them (W_MAX_UNITS)', () => {
    expect(roundingRule('80, 40', '6')).toEqual({ kind: 'strengths', strengths: [80, 40], maxUnits: 6 });
    for (const bad of ['0', '2.5', '41', 'x', '1e1x']) expect(roundingRule('80,40', bad)).toMatchObject({ field: 'maxUnits' });
    expect(roundingRule('80', '6')).toMatchObject({ field: 'maxUnits', message: /one number rounds to its multiples/ });
    expect(roundingRule('', '6')).toMatchObject({ field: 'maxUnits' });
    // gentamicin's 80-mg vials: 4 units make 320 mg at most, so 500 … 3000 mg all became 320 and were never weighed
    const cut = unitLimitedAdviceDoses({ kind: 'strengths', strengths: [80, 40] });
    const cli = practicalCandidates(ADVICE_DOSES, { strengths: '80,40' }).unitLimited;
    expect(cut).toEqual({ doses: cli?.doses, largest: 320, maxUnits: 4, reaching: cli?.reaching });
    expect(cut?.doses).toEqual(ADVICE_DOSES.slice(1));
    expect(cut?.reaching).toBe(38);
    // 40-mg vials alone: 75 units would reach 3000 mg, more than the field takes, and it says so
    const small = unitLimitedAdviceDoses({ kind: 'strengths', strengths: [40] });
    if (small) expect(unitLimitText(small)).toMatch(/; "Units per dose" takes at most 40 \(40 would evaluate those up to the largest sum of 40 units\); list a larger strength, or give "Max single dose"$/);
    // a maximum single dose of 560 leaves 750 … 3000 out: only 500 is cut by the unit limit
    expect(unitLimitedAdviceDoses({ kind: 'strengths', strengths: [80, 40] }, 560)?.doses).toEqual([500]);
    if (cut) expect(unitLimitText(cut)).toBe('W_MAX_UNITS: 11 candidate doses (500, 750, …, 3000 mg) are above 320 mg, the largest of at most 4 units: each became 320 mg, so none of them was evaluated; enter 38 in "Units per dose" to evaluate them');
    const six = unitLimitedAdviceDoses({ kind: 'strengths', strengths: [80, 40], maxUnits: 6 });
    expect(six).toEqual({ ...practicalCandidates(ADVICE_DOSES, { strengths: '80,40', maxUnits: '6' }).unitLimited, doses: ADVICE_DOSES.slice(1) });
    expect(practicalAdviceDoses({ kind: 'strengths', strengths: [80, 40], maxUnits: 6 })).toEqual(practicalDoses(ADVICE_DOSES, { strengths: '80,40', maxUnits: '6' }));
    // no candidate above the largest sum: nothing to say
    expect(unitLimitedAdviceDoses({ kind: 'strengths', strengths: [1000, 500] })).toBeUndefined();
    expect(unitLimitedAdviceDoses({ kind: 'increment', step: 80 })).toBeUndefined();
    const r = adviceRequest({ ...form, rounding: '80,40', maxUnits: '6', maxRate: '' }, ctx);
    if ('field' in r) throw new Error(r.message);
    expect(r.args).toEqual(expect.arrayContaining(['--strengths', '80,40', '--max-units', '6']));
    expect(r.unitLimit?.largest).toBe(480);
  });

  it('from: the default next dose, hours, or a date and clock time; not before a dose given', () => {
    expect(adviceFrom('', ctx)).toBe(48);
    expect(adviceFrom('next-dose', ctx)).toBe(48);
    expect(adviceFrom('50.5', ctx)).toBe(50.5);
    expect(adviceFrom('2026-03-06 10:30', ctx)).toBe(50.5);
    expect(adviceFrom('2026-03-06T10:30', ctx)).toBe(50.5);
    expect(adviceFrom('30', ctx)).toMatchObject({ field: 'from', message: /before a dose of the history \(at 36 h\)/ });
    expect(adviceFrom('10:30', ctx)).toMatchObject({ field: 'from', message: /needs its date/ });
    expect(adviceFrom('2026-03-06T10:30Z', ctx)).toMatchObject({ field: 'from', message: /without a time-zone offset/ });
    // a chart written at +01:00 (origin 07:00 Z on the 4th): 08:00 without an offset is its last record's clock, 07:00 Z, 48 h
    const at1 = { ...ctx, clock: { origin: Date.UTC(2026, 2, 4, 7) / 60_000, zone: true, offset: 60 } };
    expect(adviceFrom('2026-03-06 08:00', at1)).toBe(48);
    expect(adviceFrom('2026-03-06T08:00+01:00', at1)).toBe(48);
    expect(adviceFrom('2026-03-06T07:00Z', at1)).toBe(48);
    expect(adviceFrom('2026-03-06 10:30', { ...ctx, clock: undefined })).toMatchObject({ field: 'from', message: /written in hours/ });
    expect(clockOf(50.5, { origin, zone: false })).toBe('2026-03-06T10:30');
    expect(clockOf(50.5 + 1 / 120, { origin, zone: true })).toBe('2026-03-06T10:30:30Z');
  });

  it('the request and its command line; bad inputs name their field', () => {
    const r = adviceRequest(form, ctx);
    if ('field' in r) throw new Error(r.message);
    expect(r.request).toEqual({
      from: 48,
      doses: practicalDoses(ADVICE_DOSES, { strengths: '500,250' }),
      intervals: [8, 12, 24],
      infusions: [1],
      maxRate: 1000,
      target: 'auc24:400:600,trough:10:20',
      draws: ADVICE_DRAWS,
      seed: ADVICE_SEED,
      top: 3,
    });
    expect(shellLine(r.args)).toBe(
      "optimize --model vancomycin_goti_2018 --from 2026-03-06T08:00 --target auc24:400:600,trough:10:20 --doses 250:3000:250 --strengths 500,250 --intervals 8,12,24 --infusions 1 --max-rate 1000 --draws 1000 --seed 1 --top 3",
    );
    const noClock = adviceRequest({ ...form, rounding: '250', maxDose: '2000', maxDaily: '4000', intervals: '24, 12' }, { ...ctx, clock: undefined });
    if ('field' in noClock) throw new Error(noClock.message);
    expect(noClock.request).toMatchObject({ intervals: [12, 24], maxDose: 2000, maxDaily: 4000 });
    expect(noClock.args).toEqual(expect.arrayContaining(['--from', '48', '--round', '250', '--max-dose', '2000', '--max-daily', '4000', '--intervals', '12,24']));
    expect(adviceRequest({ ...form, maxRate: '0' }, ctx)).toMatchObject({ field: 'maxRate' });
    expect(adviceRequest({ ...form, maxRate: '1000' }, { ...ctx, infusion: 0 })).toMatchObject({ field: 'maxRate', message: /bolus has no rate/ });
    expect(adviceRequest({ ...form, maxDose: '100' }, ctx)).toMatchObject({ field: 'maxDose', message: /below every candidate dose/ });
    expect(adviceRequest({ ...form, maxDaily: '-1' }, ctx)).toMatchObject({ field: 'maxDaily' });
    expect(adviceRequest({ ...form, intervals: '' }, ctx)).toMatchObject({ field: 'intervals' });
    expect(adviceRequest(form, { ...ctx, infusion: NaN })).toMatchObject({ field: 'infusion' });
  });
});

describe('the worker’s advice equals the command line on the same records', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dosewise-advice-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('hours: a late dose, a missed dose, a BLQ level', async () => {
    const c: PatientCase = {
      model: 'vancomycin_goti_2018',
      covariates: { WT: 80, CRCL: 60, DIAL: 0 },
      doses: { amount: 1000, infusion: 1, interval: 12, count: 4, start: 0 },
      given: [
        { time: 0, amount: 1000, infusion: 1 },
        { time: 12.5, amount: 1000, infusion: 1 },
        { time: 36, amount: 1250, infusion: 1 },
      ],
      levels: [
        { time: 11.5, conc: 9.8 },
        { time: 25, conc: 2, blq: true },
        { time: 47.5, conc: 16.2 },
      ],
    };
    const s = new WhatIfSession();
    const cov = Object.keys(c.covariates);
    s.estimate(c);
    // the page's request made small (q12h alone, 200 draws; the page asks 1000 draws over 3
    // intervals): run twice, by the worker and by the command line, the full request took over 60 s
    // under load; the comparison is the same on any request
    const asked = adviceRequest({ ...form, rounding: '250', maxDaily: '4000', intervals: '12' }, { ...ctx, clock: undefined });
    if ('field' in asked) throw new Error(asked.message);
    const draws = asked.args.indexOf('--draws');
    expect(asked.args[draws + 1]).toBe(String(ADVICE_DRAWS));
    const r = { request: { ...asked.request, draws: 200 }, args: asked.args.map((a, i) => (i === draws + 1 ? '200' : a)) };
    const page = s.advise(r.request);
    const file = join(dir, 'hours.csv');
    const cols = ['ID', 'TIME', 'EVID', 'AMT', 'RATE', 'DV', 'MDV', 'BLQ', 'LLOQ', ...cov];
    const recs = historyRecords(c);
    const cell = (x: (typeof recs)[number], k: string): string => {
      const v = x.items[k];
      if (k === 'BLQ') return v === 1 ? '1' : '0';
      return v !== undefined && Number.isFinite(v) ? String(v) : '.';
    };
    writeFileSync(file, [cols.join(','), ...recs.map((x) => cols.map((k) => cell(x, k)).join(','))].join('\n') + '\n');
    const out = await cli([...r.args.slice(0, 3), '--data', file, ...r.args.slice(3), '--json']);
    expect(out.err).toBe('');
    expect(out.code).toBe(0);
    const [j] = JSON.parse(out.out) as { next_time: number; recommendation: { next: { time: number; amount: number; duration: number }; maintenance: { amount: number; interval: number; duration: number }; pta: number } }[];
    const best = page.ranked[0];
    expect(best).toBeDefined();
    expect(j?.next_time).toBe(page.nextTime);
    expect(j?.recommendation.next).toMatchObject(best?.next ?? {});
    expect(j?.recommendation.maintenance).toMatchObject(best?.maintenance ?? {});
    expect(j?.recommendation.pta).toBe(best?.pta);
  });
});

// The what-if tool's history (src/web/history.ts, src/web/case.ts): doses given one by one, clock
// times turned into hours since the first record as clock.ts does for data sets, BLQ levels sent as
// BLQ 1 with their LLOQ (M3), rows pasted from a spreadsheet or an NM-TRAN data set, and the case
// file's round trip. The records the page builds give the same MAP estimate as the equivalent NM-TRAN
// data set read by readNmtran.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { futureRecords, historyDoses, historyRecords, nextDoseAfter, givenProblem, type PatientCase } from '../../../src/web/case.js';
import { caseCovariatesProblem, caseFromJson, caseToJson, parsePastedRows, readTimeCell, resolveTimes, type CaseForm, type PasteModel } from '../../../src/web/history.js';
import { MODEL_FILES, modelInfo } from '../../../src/web/models.js';
import wmap from '../../../examples/map-wmap.model.json' with { type: 'json' };

const series = { amount: 1000, infusion: 1, interval: 12, count: 4, start: 0 };

describe('time cells', () => {
  it('hours, or a date and clock time (space or T), as hours since the earliest', () => {
    expect(readTimeCell('12.5')).toEqual({ kind: 'hours', hours: 12.5 });
    expect(readTimeCell('2026-03-04 08:30').kind).toBe('clock');
    const r = resolveTimes(['2026-03-04 08:00', '2026-03-04T20:00', '2026-03-05 09:30', '2026-03-03 23:00']);
    expect(r).toEqual({ hours: [9, 21, 34.5, 0], clock: true, origin: Date.UTC(2026, 2, 3, 23) / 60_000, zone: false });
    // across a month end and midnight, no time zone: 22:00 to 06:00 the next day is 8 h
    // origin: the first record's minutes since 1970 on the ward's clock (zone: no offset)
    expect(resolveTimes(['2026-03-31 22:00', '2026-04-01 06:00'])).toEqual({ hours: [0, 8], clock: true, origin: Date.UTC(2026, 2, 31, 22) / 60_000, zone: false });
    expect(resolveTimes(['0', '12', '1.5'])).toEqual({ hours: [0, 12, 1.5], clock: false });
  });

  it('refuses a clock time without its date, an impossible date, and mixed kinds, naming the cell', () => {
    expect(readTimeCell('08:30')).toEqual({ kind: 'bad', why: 'a clock time needs its date (2026-03-04 08:30)' });
    expect(readTimeCell('2026-02-30 08:00')).toMatchObject({ kind: 'bad', why: 'no such date' });
    expect(readTimeCell('2026-03-04 25:00').kind).toBe('bad');
    expect(readTimeCell('noon').kind).toBe('bad');
    expect(resolveTimes(['2026-03-04 08:00', '12'])).toEqual({ index: 1, message: 'hours and clock times mixed: write every time one way' });
    expect(resolveTimes(['2026-03-04T08:00Z', '2026-03-04T09:00'])).toMatchObject({ index: 1 });
    expect(resolveTimes(['1', 'x'])).toMatchObject({ index: 1 });
  });
});

describe('doses given one by one', () => {
  it('replace the series: irregular times, a missed dose, a changed amount; the next dose follows the last', () => {
    const given = [
      { time: 0, amount: 1000, infusion: 1 },
      { time: 12.5, amount: 1000, infusion: 1 },
      // 24 h missed
      { time: 37, amount: 1250, infusion: 1.5 },
    ];
    const c: PatientCase = { model: 'm', covariates: { WT: 70 }, doses: series, given, levels: [{ time: 36.5, conc: 5 }] };
    const recs = historyRecords(c);
    expect(recs.map((r) => [r.TIME, r.EVID, r.AMT, r.RATE])).toEqual([
      [0, 1, 1000, 1000],
      [12.5, 1, 1000, 1000],
      [36.5, 0, 0, 0],
      [37, 1, 1250, 1250 / 1.5],
    ]);
    expect(recs.every((r) => r.items.WT === 70)).toBe(true);
    expect(historyDoses(c)).toEqual(given);
    expect(nextDoseAfter(c, 8)).toBe(45);
    // without a list, the series as before
    expect(nextDoseAfter({ doses: series }, 8)).toBe(48);
    expect(historyDoses({ doses: series }).map((d) => d.time)).toEqual([0, 12, 24, 36]);
    // the curve's grid samples the given doses' starts and infusion ends
    const times = futureRecords({ ...series, start: 45, count: 1 }, { history: given, points: 10 })
      .filter((r) => r.EVID === 0)
      .map((r) => r.TIME);
    expect(times).toEqual(expect.arrayContaining([12.5, 13.5, 37, 38.5]));
  });

  it('names the bad field of a dose', () => {
    expect(givenProblem({ time: 0, amount: 0, infusion: 0 }, 2)).toEqual({ field: 'amount', message: 'Dose 2: the dose must be > 0' });
    expect(givenProblem({ time: -1, amount: 1, infusion: 0 }, 1)?.field).toBe('time');
    expect(givenProblem({ time: 0, amount: 1, infusion: -1 }, 1)?.field).toBe('infusion');
    expect(givenProblem({ time: 0, amount: 1, infusion: 0 }, 1)).toBeUndefined();
  });

  it('a BLQ level is BLQ 1 with LLOQ = its value (M3): the MAP estimate equals the NM-TRAN data set read from clock times', () => {
    const model = defineModel(wmap);
    const times = resolveTimes(['2026-03-04 08:00', '2026-03-04 20:30', '2026-03-05 21:00', '2026-03-04 09:30', '2026-03-04 20:00', '2026-03-05 09:00', '2026-03-06 07:30']);
    if (!('hours' in times)) throw new Error('times');
    const h = times.hours;
    const c: PatientCase = {
      model: 'map-wmap',
      covariates: {},
      doses: series,
      // 08:00, 20:30 (late), 08:00 the next day missed, 21:00
      given: [0, 1, 2].map((i) => ({ time: h[i] as number, amount: 1000, infusion: 1 })),
      levels: [
        { time: h[3] as number, conc: 27.57698 },
        { time: h[4] as number, conc: 3.437169 },
        { time: h[5] as number, conc: 2, blq: true },
        { time: h[6] as number, conc: 7.016984 },
      ],
    };
    const recs = historyRecords(c);
    const blq = recs.find((r) => r.items.BLQ === 1);
    expect(blq?.TIME).toBe(25);
    expect(blq?.items.LLOQ).toBe(2);
    const csv = [
      'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV,BLQ,LLOQ',
      '1,03/04/2026,08:00,1,1000,1000,.,1,0,.',
      '1,03/04/2026,09:30,0,0,0,27.57698,0,0,.',
      '1,03/04/2026,20:00,0,0,0,3.437169,0,0,.',
      '1,03/04/2026,20:30,1,1000,1000,.,1,0,.',
      '1,03/05/2026,09:00,0,0,0,2,0,1,2',
      '1,03/05/2026,21:00,1,1000,1000,.,1,0,.',
      '1,03/06/2026,07:30,0,0,0,7.016984,0,0,.',
    ].join('\n');
    const fromCsv = readNmtran(csv).records;
    expect(recs.map((r) => r.TIME)).toEqual(fromCsv.map((r) => r.TIME));
    const a = estimate(model, recs);
    const b = estimate(model, fromCsv);
    a.eta.forEach((e, i) => expect(Math.abs(e - (b.eta[i] as number))).toBeLessThanOrEqual(1e-12));
    // the BLQ level counts: flagging it moves the estimate
    const asMeasured = estimate(model, historyRecords({ ...c, levels: c.levels.map((l) => ({ time: l.time, conc: l.conc })) }));
    expect(Math.abs((asMeasured.eta[0] as number) - (a.eta[0] as number))).toBeGreaterThan(1e-3);
  });
});

describe('paste rows / open a CSV', () => {
  it('the simple layout, tab-separated from a spreadsheet: dose rows and level rows, BLQ flags, clock times kept as written', () => {
    // a spreadsheet copies every cell of the range, empty ones as bare tabs (a row shorter than the header is refused)
    const text = ['time\tdose\tduration\tlevel\tblq', '2026-03-04 08:00\t1000\t1\t\t', '2026-03-04 09:30\t\t\t27.6\t', '2026-03-04 20:30\t1000\t1.5\t\t', '2026-03-05 09:00\t\t\t2\t1', ''].join('\r\n');
    expect(parsePastedRows(text)).toEqual({
      layout: 'simple',
      doses: [
        { time: '2026-03-04 08:00', amount: '1000', infusion: '1' },
        { time: '2026-03-04 20:30', amount: '1000', infusion: '1.5' },
      ],
      levels: [
        { time: '2026-03-04 09:30', conc: '27.6', blq: false },
        { time: '2026-03-05 09:00', conc: '2', blq: true },
      ],
    });
    // a subset of the columns, comma-separated, any case
    expect(parsePastedRows('Time,Level\n1.5,27\n11.5,3.4\n')).toEqual({ layout: 'simple', doses: [], levels: [{ time: '1.5', conc: '27', blq: false }, { time: '11.5', conc: '3.4', blq: false }] });
    // CR-only line ends (Excel's "CSV (Macintosh)") and Excel's empty rows read as the plain text
    expect(parsePastedRows('Time,Level\r1.5,27\r,\r11.5,3.4\r')).toEqual(parsePastedRows('Time,Level\n1.5,27\n11.5,3.4\n'));
    expect(parsePastedRows('time,dose\n0,500\n12,500').doses).toEqual([
      { time: '0', amount: '500', infusion: '0' },
      { time: '12', amount: '500', infusion: '0' },
    ]);
  });

  it('errors name the row and the column', () => {
    expect(() => parsePastedRows('time,dose\n0,1000\n12,abc')).toThrow(/row 2, column dose: not a number \(got 'abc'\)|row 2, column dose: not a number/);
    expect(() => parsePastedRows('time,dose,weight\n0,1000,70')).toThrow(/column weight: unknown column/);
    expect(() => parsePastedRows('time,level\n08:30,3')).toThrow(/row 1, column time: a clock time needs its date/);
    expect(() => parsePastedRows('time,level,blq\n1,3,maybe')).toThrow(/row 1, column blq: BLQ is 1 or 0/);
    expect(() => parsePastedRows('time,dose,level\n1,,')).toThrow(/row 1.*neither a dose nor a level/);
    expect(() => parsePastedRows('time,level\n1,-3')).toThrow(/row 1, column level: must be > 0/);
    expect(() => parsePastedRows('dose\n1000')).toThrow(/no time column/);
    expect(() => parsePastedRows('time,dose,amt\n0,1000,500')).toThrow(/header, column amt: dose and amt are the same column \(dose\): keep one/);
    expect(() => parsePastedRows('')).toThrow(/nothing to read/);
  });

  it('an NM-TRAN data set of one ID: clock times to hours, RATE or DUR to infusion, ADDL expanded, BLQ with its LLOQ', () => {
    const p = parsePastedRows(
      [
        'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV,BLQ,LLOQ,ADDL,II',
        '1,03/04/2026,08:00,1,1000,1000,.,1,0,.,1,12',
        '1,03/04/2026,09:30,0,0,0,27.57698,0,0,.,0,0',
        '1,03/05/2026,09:00,0,0,0,1.5,0,1,2,0,0',
        '1,03/05/2026,20:00,1,1500,750,.,1,0,.,0,0',
      ].join('\n'),
    );
    expect(p.layout).toBe('nmtran');
    // dated: the tables keep the clock (hours since the first record are shown beside each time)
    expect(p.clock).toBe('times on its clock from 2026-03-04 08:00');
    expect(p.doses).toEqual([
      { time: '2026-03-04T08:00', amount: '1000', infusion: '1' },
      { time: '2026-03-04T20:00', amount: '1000', infusion: '1' },
      { time: '2026-03-05T20:00', amount: '1500', infusion: '2' },
    ]);
    expect(p.levels).toEqual([
      { time: '2026-03-04T09:30', conc: '27.57698', blq: false },
      { time: '2026-03-05T09:00', conc: '2', blq: true },
    ]);
    expect(resolveTimes([...p.doses, ...p.levels].map((r) => r.time))).toMatchObject({ hours: [0, 12, 36, 1.5, 25], clock: true });
    // tab-separated too, and DUR for the infusion time
    const t = parsePastedRows('ID\tTIME\tEVID\tAMT\tDUR\tDV\tMDV\n1\t0\t1\t500\t0.5\t.\t1\n1\t2\t0\t0\t.\t6.1\t0');
    expect(t.doses).toEqual([{ time: '0', amount: '500', infusion: '0.5' }]);
    expect(t.levels).toEqual([{ time: '2', conc: '6.1', blq: false }]);
    expect(() => parsePastedRows('ID,TIME,EVID,AMT,DV\n1,0,1,100,.\n2,0,1,100,.')).toThrow(/2 patients/);
    expect(() => parsePastedRows('ID,TIME,EVID,AMT,DV\n1,0,1,abc,.')).toThrow(/row 1, column AMT/);
    // the tool's history is the doses given: a reset would silently keep what it wipes
    expect(() => parsePastedRows('ID,TIME,EVID,AMT,DV\n1,0,1,100,.\n1,20,3,.,.')).toThrow(/row 2, column EVID: a reset \(EVID 3 or 4\) is not taken/);
    expect(() => parsePastedRows('ID,TIME,EVID,AMT,DV\n1,0,1,100,.\n1,20,4,100,.')).toThrow(/row 2, column EVID: a reset/);
  });
});

describe('a pasted NM-TRAN set read against the open model', () => {
  const goti = defineModel(MODEL_FILES.vancomycin_goti_2018);
  const info = modelInfo('vancomycin_goti_2018', goti);
  const paste: PasteModel = { covariates: info.covariates.map((c) => c.name), observeCompartment: info.observeCompartment, outputs: info.outputs };
  const SET = [
    'ID,TIME,EVID,AMT,RATE,CMT,DV,MDV,CRCL,WT,DIAL,SCR',
    '1,0,1,1000,1000,1,.,1,55,82,0,1.4',
    '1,11.5,0,.,.,1,9.8,0,55,82,0,1.4',
    '1,12,1,1000,1000,1,.,1,55,82,0,1.5',
    '1,24,0,.,.,.,14.2,0,55,82,0,1.5',
    '1,24,1,1250,625,0,.,1,55,82,0,1.5',
  ].join('\n');

  it("fills the model's covariates from its columns; the MAP estimate equals estimate() of the set itself", () => {
    const p = parsePastedRows(SET, undefined, paste);
    expect(p.covariates).toEqual({ CRCL: 55, WT: 82, DIAL: 0 });
    // a blank cell leaves the one value as it is
    expect(parsePastedRows(SET.replace('1,24,0,.,.,.,14.2,0,55,', '1,24,0,.,.,.,14.2,0,.,'), undefined, paste).covariates).toEqual({ CRCL: 55, WT: 82, DIAL: 0 });
    expect(p.doses.map((d) => [d.time, d.amount, d.infusion])).toEqual([
      ['0', '1000', '1'],
      ['12', '1000', '1'],
      ['24', '1250', '2'],
    ]);
    const page = estimate(goti, historyRecords({ covariates: p.covariates ?? {}, doses: series, given: p.doses.map((d) => ({ time: Number(d.time), amount: Number(d.amount), infusion: Number(d.infusion) })), levels: p.levels.map((l) => ({ time: Number(l.time), conc: Number(l.conc) })) }, goti));
    const set = estimate(goti, readNmtran(SET).records);
    expect(page.converged).toBe(true);
    page.eta.forEach((e, i) => expect(Math.abs(e - (set.eta[i] as number))).toBeLessThanOrEqual(1e-9));
  });

  it('refuses what the tool cannot hold, naming row, column and value', () => {
    const edit = (row: number, col: string, value: string) =>
      SET.split('\n')
        .map((l, i) => {
          if (i !== row) return l;
          const cells = l.split(',');
          cells[SET.split('\n')[0]?.split(',').indexOf(col) as number] = value;
          return cells.join(',');
        })
        .join('\n');
    // a covariate that changes over the stay: one value would fit earlier levels with a later value
    expect(() => parsePastedRows(edit(4, 'CRCL', '40'), 'chart.csv', paste)).toThrow(/chart\.csv, row 4, column CRCL: CRCL changes over the records \(row 1: 55\)/);
    // names are case-sensitive, as on the command line
    expect(() => parsePastedRows(SET.replace(',WT,', ',wt,'), undefined, paste)).toThrow(/column wt: the model reads WT, and names are case-sensitive/);
    // a dose into another compartment
    expect(() => parsePastedRows(edit(3, 'CMT', '2'), undefined, paste)).toThrow(/row 3, column CMT: the tool gives every dose into compartment 1/);
    // a level of a compartment the model does not measure
    expect(() => parsePastedRows(edit(2, 'CMT', '2'), undefined, paste)).toThrow(/row 2, column CMT: a level of compartment 2: the model measures compartment 1/);
    // a level listed after the dose at its time was drawn after it; the tool takes it as before
    const after = [...SET.split('\n').slice(0, 4), '1,24,1,1250,625,0,.,1,55,82,0,1.5', '1,24,0,.,.,.,14.2,0,55,82,0,1.5'].join('\n');
    expect(() => parsePastedRows(after, undefined, paste)).toThrow(/row 5, column TIME: a level at the time of a dose of row 4 \(listed after it, or one of its ADDL copies\)/);
    expect(() => parsePastedRows(after)).toThrow(/row 5, column TIME: a level at the time of a dose of row 4/);
    // a level at the time of an ADDL copy: the data set gives the implied dose first
    expect(() => parsePastedRows('ID,TIME,EVID,AMT,II,ADDL,DV,MDV\n1,0,1,1000,12,3,.,1\n1,12,0,.,.,.,20,0\n')).toThrow(/row 2, column TIME: a level at the time of a dose of row 1/);
    expect(parsePastedRows('ID,TIME,EVID,AMT,II,ADDL,DV,MDV\n1,0,1,1000,12,3,.,1\n1,11.9,0,.,.,.,20,0\n').levels).toHaveLength(1);
  });

  it('a level of another output by its CMT alone gets that output (parent-metabolite)', async () => {
    const pm = (await import('../../../examples/parent-metabolite/model.json', { with: { type: 'json' } })).default;
    const m = modelInfo('parent-metabolite', defineModel(pm));
    const p = parsePastedRows('ID,TIME,EVID,AMT,CMT,DV,DVID\n1,0,1,500,1,.,.\n1,1,0,.,1,19.2,.\n1,2,0,.,2,14.7,.\n1,3,0,.,1,9,1\n', undefined, { covariates: [], observeCompartment: m.observeCompartment, outputs: m.outputs });
    expect(p.levels.map((l) => l.dvid)).toEqual(['1', undefined, '1']);
    expect(() => parsePastedRows('ID,TIME,EVID,AMT,CMT,DV,DVID\n1,0,1,500,1,.,.\n1,1,0,.,2,19.2,1\n', undefined, { covariates: [], observeCompartment: m.observeCompartment, outputs: m.outputs })).toThrow(/row 2, column CMT: DVID 1 is the model's output of compartment 1, not 2/);
  });
});

describe('case file', () => {
  const form: CaseForm = {
    model: 'goti-2018',
    covariates: { CRCL: 80, WT: 70 },
    series: { amount: 1000, infusion: 1, interval: 12, count: 4, start: 0 },
    doses: [
      { time: '2026-03-04 08:00', amount: '1000', infusion: '1' },
      { time: '2026-03-05 21:00', amount: '1250', infusion: '1.5' },
    ],
    levels: [
      { time: '2026-03-04 09:30', conc: '27.5', blq: false },
      { time: '2026-03-05 09:00', conc: '2', blq: true },
    ],
  };

  it('round trip: what is saved reopens as entered (clock times as written, hours as numbers)', () => {
    expect(caseFromJson(caseToJson(form))).toEqual(form);
    const hours: CaseForm = { ...form, doses: [{ time: '0', amount: '1000', infusion: '0' }], levels: [{ time: '1.5', conc: '20', blq: false }] };
    const json = JSON.parse(caseToJson(hours)) as { doses: { time: unknown }[]; dosewise: string };
    expect(json.dosewise).toBe('case');
    expect(json.doses[0]?.time).toBe(0);
    expect(caseFromJson(caseToJson(hours))).toEqual(hours);
    // an unused, half-filled series is kept as such
    const empty = { ...form, series: { ...form.series, count: NaN } };
    expect(caseFromJson(caseToJson(empty)).series.count).toBeNaN();
  });

  it('refuses what cannot be reopened, naming the field', () => {
    expect(() => caseToJson({ ...form, doses: [{ time: 'x', amount: '1', infusion: '0' }] })).toThrow(/^Dose 1, time: not a time/);
    expect(() => caseToJson({ ...form, levels: [{ time: '1', conc: '', blq: false }] })).toThrow(/^Level 1, concentration: must be a number > 0/);
    expect(() => caseFromJson('{')).toThrow(/not a case file \(not JSON/);
    expect(() => caseFromJson('{"dosewise":"model"}')).toThrow(/not a case file/);
    const good = JSON.parse(caseToJson(form)) as Record<string, unknown>;
    const bad = (patch: Record<string, unknown>) => () => caseFromJson(JSON.stringify({ ...good, ...patch }));
    expect(bad({ version: 2 })).toThrow(/version 2/);
    expect(bad({ model: 3 })).toThrow(/^model:/);
    expect(bad({ covariates: { WT: 'heavy' } })).toThrow(/^covariates\.WT: must be a number/);
    expect(bad({ doses: [{ time: 0, amount: -5, infusion: 0 }] })).toThrow(/^doses\[0\]\.amount: must be a number > 0/);
    expect(bad({ levels: [{ time: '08:00', conc: 3 }] })).toThrow(/^levels\[0\]\.time: a clock time needs its date/);
    expect(bad({ levels: [{ time: 1, conc: 3, blq: 'yes' }] })).toThrow(/^levels\[0\]\.blq/);
    expect(bad({ series: { amount: 1 } })).toThrow(/^series\.infusion/);
    // what reopening would refuse is not saved
    expect(() => caseToJson({ ...form, doses: [{ time: '-2', amount: '1000', infusion: '0' }] })).toThrow(/^Dose 1, time: the time must be ≥ 0/);
  });

  it("a reopened case's covariates must be the model's: none unknown, none missing", () => {
    const m = { name: 'Goti 2018', covariates: [{ name: 'CRCL' }, { name: 'WT' }, { name: 'DIAL' }] };
    expect(caseCovariatesProblem({ CRCL: 80, WT: 70, DIAL: 0 }, m)).toBeUndefined();
    expect(caseCovariatesProblem({ CRCL: 80, WT: 70, DIAL: 0, AGE: 50 }, m)).toBe('covariates.AGE: model Goti 2018 has no covariate AGE (it reads CRCL, WT, DIAL)');
    expect(caseCovariatesProblem({ CRCL: 80 }, m)).toBe('covariates: WT, DIAL missing (model Goti 2018 reads CRCL, WT, DIAL)');
  });
});

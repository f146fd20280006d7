// Clock edges of `forecast --regimen` and `optimize --from`: dates without a year
// across two files (the year-2000 leap calendar assumed), 24:00 at a last record charted at 00:00,
// a hold counted from --earliest without saying so, and one ID's day numbers taking the calendar
// from every other ID. Reference values: python datetime for hours, and the closed form of a
// one-compartment infusion (CL 4, V 40, k = 0.1/h) for levels, computed when the tests were written.

import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';
import { tempFiles } from '../temp-files.js';
import { ADVISE_ARGS, ONE_CMT_MODEL } from './one-cmt-advice.js';

const { write: file } = tempFiles('dosewise-clock-edges-');
const model = file('m1.model.json', ONE_CMT_MODEL);
const advise = ADVISE_ARGS;

describe('forecast --regimen with dates without a year', () => {
  const hist = file('yl_hist.csv', 'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV\n1,02-27,08:00,1,1000,1000,.,1\n1,02-27,20:00,1,1000,1000,.,1\n1,02-28,07:30,0,.,.,10.83,0\n1,02-28,08:00,1,1000,1000,.,1\n1,02-28,20:00,1,1000,1000,.,1\n');

  it('a regimen on 1 March after a history in February is refused (the level read at 83.5 h, year 2000 with its 29 February; 59.5 h in 2027)', async () => {
    const reg = file('yl_reg.csv', 'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV\n1,03-01,08:00,1,1000,1000,.,1\n1,03-01,19:30,0,.,.,.,1\n');
    const r = await cli(['forecast', '--model', model, '--data', hist, '--regimen', reg, '--draws', '50']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--regimen .*yl_reg\.csv: dates without a year in January–February and in March–December for ID 1 \(.*yl_hist\.csv row 1: 02-27; .*yl_reg\.csv row 1: 03-01\): the hours between depend on the year \(a leap day, or a new year, between them\); give the year/);
  });

  it('a history in December and a regimen in January is refused for the new year (it said "future dose at -8760 h")', async () => {
    const h = file('ye_hist.csv', 'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV\n1,12-31,08:00,1,1000,1000,.,1\n1,12-31,20:00,1,1000,1000,.,1\n');
    const reg = file('ye_reg.csv', 'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV\n1,01-01,08:00,1,1000,1000,.,1\n1,01-01,12:00,0,.,.,.,1\n');
    const r = await cli(['forecast', '--model', model, '--data', h, '--regimen', reg, '--draws', '50']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/dates without a year in January–February and in March–December for ID 1 .*row 1: 12-31; .*row 1: 01-01\): .*a new year/);
    expect(r.err).not.toMatch(/-8760/);
  });

  it('a regimen on the same side of the end of February still runs: 28 Feb 23:00 is 39 h after 27 Feb 08:00 (python)', async () => {
    const reg = file('yl_same.csv', 'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV\n1,02-28,23:00,0,.,.,.,1\n');
    const r = await cli(['forecast', '--model', model, '--data', hist, '--regimen', reg, '--draws', '50', '--json']);
    expect(r.code, r.err).toBe(0);
    expect((JSON.parse(r.out) as { times: number[] }[])[0]?.times).toEqual([39]);
  });
});

describe('forecast --regimen with a history of mixed date forms across IDs', () => {
  const mixed = file('mixh.csv', 'ID,DAT1,TIME,EVID,AMT,RATE,II,DV,MDV\n1,1,08:00,1,1000,1000,12,.,1\n1,1,20:00,1,1000,1000,12,.,1\n2,03/12/2026,08:00,1,1000,1000,12,.,1\n2,03/12/2026,20:00,1,1000,1000,12,.,1\n');
  const reg = file('mixr.csv', 'ID,DAT1,TIME,EVID,AMT,RATE,MDV\n1,04/12/2026,08:00,1,1000,1000,1\n1,04/12/2026,20:00,0,.,.,1\n');

  it('the ID charted with calendar dates takes a calendar regimen (refused for the whole file before): 4 Dec 20:00 is 36 h after 3 Dec 08:00 (python)', async () => {
    const r = await cli(['forecast', '--model', model, '--data', mixed, '--regimen', reg, '--id', '2', '--draws', '50', '--json']);
    expect(r.code, r.err).toBe(0);
    expect((JSON.parse(r.out) as { times: number[] }[])[0]?.times).toEqual([36]);
  });

  it('the ID charted with day numbers is refused by its ID', async () => {
    const r = await cli(['forecast', '--model', model, '--data', mixed, '--regimen', reg, '--id', '1', '--draws', '50']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/mixr\.csv: its dates are calendar dates, those of ID 1 in .*mixh\.csv day numbers: write both the same way/);
  });
});

describe('optimize --from clock edges', () => {
  it('--from 24:00 at a last record charted at 00:00 is that midnight, 12 h, as 00:00 (it gave 36 h)', async () => {
    // dose 31 Dec 12:00, level 1 Jan 00:00: 24:00 of 31 Dec is 1 Jan 00:00, 12 h after the first record (python)
    const data = file('a2.csv', 'ID,DAT1,TIME,EVID,AMT,RATE,DV,MDV\n1,31/12/2026,12:00,1,1000,1000,.,1\n1,01/01/2027,00:00,0,.,.,5,0\n');
    for (const from of ['00:00', '24:00', '2026-12-31T24:00']) {
      const r = await cli(['optimize', '--model', model, '--data', data, '--from', from, ...advise, '--json']);
      expect(r.code, r.err).toBe(0);
      expect((JSON.parse(r.out) as { from: number }[])[0]?.from, from).toBe(12);
    }
    const e = await cli(['optimize', '--model', model, '--data', data, '--from', '00:00', '--earliest', '24:00', ...advise, '--json']);
    expect(e.code, e.err).toBe(0);
    expect((JSON.parse(e.out) as { start: number }[])[0]?.start).toBe(12);
  });

  it('a hold after --earliest says it counts from there, with the level there (the text named only --from, level 21.05)', async () => {
    // doses 31 Dec 20:00 (1 h), 1 Jan 08:00 (2 h), 20:30 (1 h): --from 02:00 is 30 h, --earliest 06:30
    // 34.5 h; closed form C(30) = 21.0533, C(34.5) = 13.4242, below 10 after ln(13.4242/10)/0.1 = 2.94474 h
    const data = file('a1.csv', 'ID,DAT1,TIME,EVID,AMT,RATE,DV,MDV\n1,31/12/2026,20:00,1,1000,1000,.,1\n1,01/01/2027,08:00,1,1000,500,.,1\n1,01/01/2027,20:30,1,1000,1000,.,1\n');
    const args = ['optimize', '--model', model, '--data', data, '--from', '02:00', '--earliest', '06:30', ...advise];
    const t = await cli(args);
    expect(t.code, t.err).toBe(0);
    expect(t.out).toMatch(/level at 2027-01-02 02:00 \(30 h\): 21\.05 /);
    expect(t.out).toMatch(/hold the next dose for 3 h after the earliest time 2027-01-02 06:30 \(34\.5 h\), until 2027-01-02 09:30 \(37\.5 h\): the predicted level 13\.42 at 2027-01-02 06:30 falls below 10 after 2\.945 h/);
    const j = await cli([...args, '--json']);
    expect(j.code, j.err).toBe(0);
    const r = (JSON.parse(j.out) as { from: number; state: { mode: number }; hold: { from: number; from_clock: string; hours: number; level: number; exact: number; until: number } }[])[0];
    expect(r?.from).toBe(30);
    // measured: levels 7e-15 and 5e-15 from the closed form, the crossing 1.3e-12 h (its bracket is 1e-12 h)
    expect(Math.abs((r?.state.mode as number) - 21.05332695409109)).toBeLessThan(1e-13);
    expect(r?.hold).toMatchObject({ from: 34.5, from_clock: '2027-01-02T06:30:00', hours: 3, until: 37.5 });
    expect(Math.abs((r?.hold.level as number) - 13.42419395122596)).toBeLessThan(1e-13);
    expect(Math.abs((r?.hold.exact as number) - 2.9447350472133365)).toBeLessThan(1e-11);
  });

  it('--from without --earliest: the hold text is as before (no earliest time named)', async () => {
    const data = file('a1b.csv', 'ID,DAT1,TIME,EVID,AMT,RATE,DV,MDV\n1,31/12/2026,20:00,1,1000,1000,.,1\n1,01/01/2027,08:00,1,1000,500,.,1\n1,01/01/2027,20:30,1,1000,1000,.,1\n');
    const t = await cli(['optimize', '--model', model, '--data', data, '--from', '02:00', ...advise]);
    expect(t.code, t.err).toBe(0);
    // below 10 after ln(21.0533/10)/0.1 = 7.44474 h, held 8 h
    expect(t.out).toMatch(/hold the next dose for 8 h, until 2027-01-02 10:00 \(38 h\): the predicted level 21\.05 falls below 10 after 7\.445 h/);
  });

  it('one ID with day numbers leaves the other its calendar dates (ID 2 lost its date; a timestamp was refused for the file)', async () => {
    const mix = file('mix.csv', 'ID,DAT1,TIME,EVID,AMT,RATE,II,DV,MDV\n1,1,08:00,1,1000,1000,12,.,1\n1,1,20:00,1,1000,1000,12,.,1\n2,03/12/2026,08:00,1,1000,1000,12,.,1\n2,03/12/2026,20:00,1,1000,1000,12,.,1\n');
    const r = await cli(['optimize', '--model', model, '--data', mix, '--from', 'next-dose', ...advise]);
    expect(r.code, r.err).toBe(0);
    // next dose: the last at 20:00 + II 12 h = the next day's 08:00, 24 h after each ID's first record
    expect(r.out).toMatch(/ID 1: advice from 08:00 \(24 h\)/);
    expect(r.out).toMatch(/ID 2: advice from 2026-12-04 08:00 \(24 h\)/);
    const t = await cli(['optimize', '--model', model, '--data', mix, '--from', '2026-12-04T08:00', ...advise]);
    expect(t.code).toBe(2);
    expect(t.err).toMatch(/--from 2026-12-04T08:00: ID 1: the data set's dates are day numbers or have no year, which no calendar time matches/);
    const two = file('mix2.csv', 'ID,DAT1,TIME,EVID,AMT,RATE,II,DV,MDV\n2,03/12/2026,08:00,1,1000,1000,12,.,1\n2,03/12/2026,20:00,1,1000,1000,12,.,1\n');
    const ok = await cli(['optimize', '--model', model, '--data', two, '--from', '2026-12-04T08:00', ...advise]);
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toMatch(/ID 2: advice from 2026-12-04 08:00 \(24 h\)/);
  });
});

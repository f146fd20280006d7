// A day-first chart under DATE (month/day/year) whose doses carry no II, as a TDM chart gives them
// (t5 chartM.csv): 1500 mg on 1 and 2 December 2026 written 01/12/2026 and 02/12/2026, levels at
// 10:00 and 19:00 on the second day, read as 12 January and 12 February without a word (doses 744 h
// apart: MAP CL 2.22181, V 38.3235 for the day-first reading's 2.42442, 53.1619; optimize then put
// the next dose in March). Only doses with II were judged. Reference hours are python datetime
// differences: (datetime(2026,2,12,8) - datetime(2026,1,12,8)) / 1 h = 744, (… 2,12,19 …) = 755;
// (datetime(2026,12,2,8) - datetime(2026,12,1,8)) / 1 h = 24, (… 12,2,19 …) = 35.

import { describe, expect, it } from 'vitest';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { cli } from '../cli/run-cli.js';

const chart = (column: string, d1: string, d2: string): string =>
  `ID,${column},TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL\n1,${d1},08:00,1,1500,1000,.,1,80,60\n1,${d2},08:00,1,1500,1000,.,1,80,60\n1,${d2},10:00,0,.,.,35,0,80,60\n1,${d2},19:00,0,.,.,21,0,80,60\n`;
const chartM = chart('DATE', '01/12/2026', '02/12/2026');

describe('W_DATE_ORDER on a chart without II, where the other reading of every date is far more compact', () => {
  it('warns on the day-first chart under DATE (doses 744 h apart), naming the rows, both readings and the remedy', () => {
    const d = readNmtran(chartM, { file: 'chartM.csv' });
    expect(d.records.map((r) => r.TIME)).toEqual([0, 744, 746, 755]);
    expect(d.warnings).toEqual([
      "W_DATE_ORDER: chartM.csv, rows 1 and 2 (ID 1): records read 744 h apart, DATE 01/12/2026 as 12 January 2026 and 02/12/2026 as 12 February 2026 (DATE is month/day/year), the ID's records spanning 755 h; read day/month/year they are 1 December 2026 and 2 December 2026, 24 h apart, spanning 35 h; if the chart writes the day first, name the column DAT1 (day/month/year); if it writes the month first, as read, write the dates ISO (2026-01-12 for 01/12/2026), which silences this warning",
    ]);
  });

  it('says nothing under DAT1 (24 h apart) nor of ISO dates', () => {
    const d = readNmtran(chart('DAT1', '01/12/2026', '02/12/2026'), { file: 'd.csv' });
    expect(d.records.map((r) => r.TIME)).toEqual([0, 24, 26, 35]);
    expect(d.warnings).toBeUndefined();
    expect(readNmtran(chart('DATE', '2026-01-12', '2026-02-12'), { file: 'd.csv' }).warnings).toBeUndefined();
  });

  it('says nothing of a month-first chart whose other reading spreads it (12/01, 12/02 under DATE: swapped a month apart)', () => {
    const d = readNmtran(chart('DATE', '12/01/2026', '12/02/2026'), { file: 'd.csv' });
    expect(d.records.map((r) => r.TIME)).toEqual([0, 24, 26, 35]);
    expect(d.warnings).toBeUndefined();
    // 3 days held: 03/01 to 03/05 (swapped 3 January to 3 May)
    expect(readNmtran(chart('DATE', '03/01/2026', '03/05/2026'), { file: 'd.csv' }).warnings).toBeUndefined();
  });

  it('says nothing where a day past 12 leaves one reading (12/13, 12/14 under DATE; a DAT1 chart from the 13th)', () => {
    expect(readNmtran(chart('DATE', '12/13/2026', '12/14/2026'), { file: 'd.csv' }).warnings).toBeUndefined();
    // 13 January then 12 February under DAT1: the first date cannot be swapped, so the ID is not judged
    expect(readNmtran(chart('DAT1', '13/01/2026', '12/02/2026'), { file: 'd.csv' }).warnings).toBeUndefined();
  });

  it('warns the other way under DAT1: a month-first chart 12/01, 12/02 read 12 January and 12 February', () => {
    expect(readNmtran(chart('DAT1', '12/01/2026', '12/02/2026'), { file: 'c.csv' }).warnings).toEqual([
      "W_DATE_ORDER: c.csv, rows 1 and 2 (ID 1): records read 744 h apart, DAT1 12/01/2026 as 12 January 2026 and 12/02/2026 as 12 February 2026 (DAT1 is day/month/year), the ID's records spanning 755 h; read month/day/year they are 1 December 2026 and 2 December 2026, 24 h apart, spanning 35 h; if the chart writes the month first, name the column DATE (month/day/year); if it writes the day first, as read, write the dates ISO (2026-01-12 for 12/01/2026), which silences this warning",
    ]);
  });

  it('judges each ID on its own, once, and keeps the II rule where doses carry II', () => {
    const two = chartM + chart('DATE', '12/01/2026', '12/02/2026').split('\n').slice(1).join('\n').replace(/^1,/gm, '2,');
    const d = readNmtran(two, { file: 'chartM.csv' });
    expect(d.warnings).toHaveLength(1);
    expect(d.warnings?.[0]).toMatch(/^W_DATE_ORDER: chartM\.csv, rows 1 and 2 \(ID 1\): records read 744 h apart/);
    const ii = 'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV,II\n1,01/12/2026,08:00,1,1500,1000,.,1,24\n1,02/12/2026,08:00,1,1500,1000,.,1,24\n1,02/12/2026,10:00,0,.,.,35,0,.\n';
    const w = readNmtran(ii, { file: 'ii.csv' }).warnings;
    expect(w).toHaveLength(1);
    expect(w?.[0]).toMatch(/^W_DATE_ORDER: ii\.csv, rows 1 and 2 \(ID 1\): doses with II 24 h read 744 h apart/);
  });
});

describe('every command that reads the data set says it, on stderr and in its JSON warnings', () => {
  const model = 'vancomycin_goti_2018';
  const dated = /dosewise: warning: W_DATE_ORDER: .*chartM\.csv, rows 1 and 2 \(ID 1\): records read 744 h apart/g;
  /** The first ID's JSON warnings that are W_DATE_ORDER, naming the rows as stderr does. */
  const inJson = (out: string): unknown[] => ((JSON.parse(out) as { warnings: { code: string; message: string }[] }[])[0]?.warnings ?? []).filter((w) => w.code === 'W_DATE_ORDER' && w.message.startsWith(`${dir}/chartM.csv, rows 1 and 2 (ID 1): records read 744 h apart`));
  let dir = '';

  const withFiles = async (body: (f: string, regimen: string) => Promise<void>): Promise<void> => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    dir = mkdtempSync(join(tmpdir(), 'dosewise-chartM-'));
    try {
      const f = join(dir, 'chartM.csv');
      writeFileSync(f, chartM);
      const regimen = join(dir, 'future.json');
      writeFileSync(regimen, JSON.stringify({ doses: [{ time: 768, amt: 1500, dur: 1.5, ii: 24, addl: 1 }], observe: [{ grid: { from: 768, to: 816, step: 1 } }] }));
      await body(f, regimen);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('estimate, forecast and optimize (ranking, and --from next-dose): once on stderr, and in the ID\'s JSON warnings', async () => {
    await withFiles(async (f, regimen) => {
      const runs = {
        estimate: ['estimate', '--model', model, '--data', f, '--json'],
        forecast: ['forecast', '--model', model, '--data', f, '--regimen', regimen, '--draws', '50', '--json'],
        ranking: ['optimize', '--model', model, '--data', f, '--target', 'auc24:400:600', '--doses', '1000,1500', '--intervals', '12,24', '--draws', '50', '--json'],
        optimize: ['optimize', '--model', model, '--data', f, '--target', 'auc24:400:600', '--doses', '1000,1500', '--intervals', '12,24', '--draws', '50', '--from', 'next-dose', '--json'],
      };
      for (const [name, args] of Object.entries(runs)) {
        const r = await cli(args);
        expect(r.code, `${name}: ${r.err}`).toBe(0);
        expect(r.err.match(dated), name).toHaveLength(1);
        expect(inJson(r.out), name).toHaveLength(1);
      }
    });
  }, 120_000);

  it('simulate: once on stderr (its JSON is the rows alone), and with replicates in the JSON summary\'s warnings', async () => {
    await withFiles(async (f) => {
      const r = await cli(['simulate', '--model', model, '--data', f, '--json']);
      expect(r.code).toBe(0);
      expect(r.err.match(dated)).toHaveLength(1);
      const reps = await cli(['simulate', '--model', model, '--data', f, '--replicates', '2', '--out', `${dir}/rep.csv`, '--no-progress', '--json']);
      expect(reps.code, reps.err).toBe(0);
      expect(reps.err.match(dated)).toHaveLength(1);
      const warnings = (JSON.parse(reps.out) as { warnings: string[] }).warnings;
      expect(warnings.filter((w) => w.startsWith(`W_DATE_ORDER: ${dir}/chartM.csv, rows 1 and 2 (ID 1)`))).toHaveLength(1);
    });
  });
});

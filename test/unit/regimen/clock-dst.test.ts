// W_CLOCK_DST: clock times without a UTC offset are read on the wall clock, so across a
// daylight-saving switch of the ward's zone two records read 1 h off their real elapsed time
// (a vancomycin chart across Berlin's 29 March 2026 switch: CL 2.687 where the instants
// give 2.680, exit 0, no word). The reading stands; the switch is now said, where the zone in use
// is known (readNmtran's zone, --tz, or the process's TZ). Hours, offsets and switch times from
// python zoneinfo: test/oracle/clock_dst.py → clock-dst.json.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readNmtran, readWarnings } from '../../../src/regimen/nmtran.js';
import { cli } from '../cli/run-cli.js';
import { tempFiles } from '../temp-files.js';
import { ADVISE_ARGS, ONE_CMT_MODEL } from '../cli/one-cmt-advice.js';

interface Case {
  zone: string;
  wall_hours: number;
  instant_hours: number;
  offset_before: string;
  offset_after: string;
  switch_before?: string;
  switch_after?: string;
}
const ORACLE = JSON.parse(readFileSync(join(import.meta.dirname, '../../oracle/clock-dst.json'), 'utf8')) as Record<string, Case>;
const oracle = (name: string): Case => ORACLE[name] as Case;

const head = 'ID,DAT2,TIME,EVID,AMT,RATE,DV,MDV\n';
// 1000 mg over 1 h at 20:00 and 08:00 across the switch, a level 2 h after the second dose
const chart = (day1: string, day2: string): string => `${head}1,${day1},20:00,1,1000,1000,.,1\n1,${day2},08:00,1,1000,1000,.,1\n1,${day2},10:00,0,.,.,20,0\n`;
const SPRING = chart('2026-03-28', '2026-03-29');
const AUTUMN = chart('2026-10-24', '2026-10-25');
const NEW_YORK = chart('2026-03-07', '2026-03-08');

/** The head of the W_CLOCK_DST text a case's oracle gives. */
function expected(c: Case, file: string, given: boolean): string {
  return `W_CLOCK_DST: ${file}, ID 1: the daylight-saving switch of ${c.zone}${given ? '' : " (the process's time zone, TZ)"} at ${c.switch_before} ${c.offset_before} (${c.switch_after} ${c.offset_after}) lies between `;
}

describe('readNmtran: W_CLOCK_DST where an ID’s records span a switch of the zone', () => {
  it.each([
    ['berlin_spring', SPRING, '2026-03-28', '2026-03-29'],
    ['berlin_autumn', AUTUMN, '2026-10-24', '2026-10-25'],
    ['new_york_spring', NEW_YORK, '2026-03-07', '2026-03-08'],
  ])('%s: names the switch, the rows either side, the wall-clock and the real hours (python zoneinfo)', (name, text, day1, day2) => {
    const c = oracle(name);
    const w = readNmtran(text, { file: 'c.csv', zone: c.zone }).warnings ?? [];
    expect(w).toHaveLength(1);
    expect(w[0]).toContain(expected(c, 'c.csv', true));
    expect(w[0]).toContain(`row 1 (${day1} 20:00) and row 2 (${day2} 08:00)`);
    expect(w[0]).toContain(`read on the wall clock, ${c.wall_hours} h apart, where the instants are ${c.instant_hours} h apart`);
    expect(w[0]).toContain(`give the times with their UTC offsets (ISO 8601, e.g. ${day1}T20:00${c.offset_before})`);
    // the hours stay the wall clock's: the rule is unchanged, only said
    expect(readNmtran(text, { zone: c.zone }).records.map((r) => r.TIME)).toEqual([0, c.wall_hours, c.wall_hours + 2]);
  });

  it('no warning in UTC, nor where no switch lies within an ID’s records, nor with offsets', () => {
    expect(oracle('utc').instant_hours).toBe(oracle('utc').wall_hours);
    expect(readNmtran(SPRING, { zone: 'UTC' }).warnings).toBeUndefined();
    // Berlin's switch is a fortnight after New York's: nothing between 7 and 8 March there
    expect(readNmtran(NEW_YORK, { zone: 'Europe/Berlin' }).warnings).toBeUndefined();
    // the switch between two IDs' records is no ID's
    const twoIds = `${head}1,2026-03-28,20:00,1,1000,1000,.,1\n1,2026-03-28,23:00,0,.,.,20,0\n2,2026-03-29,08:00,1,1000,1000,.,1\n2,2026-03-29,10:00,0,.,.,20,0\n`;
    expect(readNmtran(twoIds, { zone: 'Europe/Berlin' }).warnings).toBeUndefined();
    // a reset (EVID 3) after the switch: the hours across it are read by nothing
    const reset = `${head}1,2026-03-28,20:00,1,1000,1000,.,1\n1,2026-03-29,08:00,3,.,.,.,1\n1,2026-03-29,08:00,1,1000,1000,.,1\n1,2026-03-29,10:00,0,.,.,20,0\n`;
    expect(readNmtran(reset, { zone: 'Europe/Berlin' }).warnings).toBeUndefined();
    const withOffsets = 'ID,TIME,EVID,AMT,RATE,DV,MDV\n1,2026-03-28T20:00+01:00,1,1000,1000,.,1\n1,2026-03-29T08:00+02:00,1,1000,1000,.,1\n1,2026-03-29T10:00+02:00,0,.,.,20,0\n';
    const read = readNmtran(withOffsets, { zone: 'Europe/Berlin' });
    expect(read.warnings).toBeUndefined();
    expect(read.records.map((r) => r.TIME)).toEqual([0, oracle('berlin_spring').instant_hours, oracle('berlin_spring').instant_hours + 2]);
  });

  it('a pair of rows across three switches is said once, listing them (python zoneinfo: 9840 h read, 9839 h elapsed)', () => {
    const c = oracle('berlin_three');
    const w = readNmtran(`${head}1,2026-03-01,08:00,1,1000,1000,.,1\n1,2027-04-15,08:00,0,.,.,20,0\n`, { file: 'c.csv', zone: c.zone }).warnings ?? [];
    // three warnings each quoting the same hours were said
    expect(w).toHaveLength(1);
    expect(w[0]).toContain(
      `the daylight-saving switches of Europe/Berlin at ${c.switch_before} ${c.offset_before} (${c.switch_after} ${c.offset_after}), 2026-10-25 03:00 +02:00 (2026-10-25 02:00 +01:00) and 2027-03-28 02:00 +01:00 (2027-03-28 03:00 +02:00) lie between row 1`,
    );
    expect(w[0]?.match(new RegExp(`${c.wall_hours} h apart, where the instants are ${c.instant_hours} h apart`, 'g'))).toHaveLength(1);
  });

  it('a change of offset for good is no daylight-saving switch (Volgograd, 27 December 2020; python zoneinfo)', () => {
    const c = oracle('volgograd');
    const w = readNmtran(chart('2020-12-26', '2020-12-27'), { file: 'v.csv', zone: c.zone }).warnings ?? [];
    expect(w).toHaveLength(1);
    expect(w[0]).toContain(`the permanent change of UTC offset of Europe/Volgograd at ${c.switch_before} ${c.offset_before} (${c.switch_after} ${c.offset_after}) lies between row 1`);
    expect(w[0]).toContain(`${c.wall_hours} h apart, where the instants are ${c.instant_hours} h apart`);
    expect(w[0]).not.toMatch(/daylight/);
  });

  it('many IDs: three in full, the rest counted in one warning; each ID once, its other pairs listed', () => {
    // ten IDs dosed weekly across both Berlin switches of 2026: 4,000 lines for 1,000 such IDs were said
    const rows = Array.from({ length: 10 }, (_, i) => [`${i + 1},2026-03-20,08:00,1,1000,1000,.,1`, `${i + 1},2026-04-03,08:00,0,.,.,20,0`, `${i + 1},2026-10-20,08:00,1,1000,1000,.,1`, `${i + 1},2026-10-30,08:00,0,.,.,20,0`].join('\n'));
    const read = readNmtran(`${head}${rows.join('\n')}\n`, { file: 'm.csv', zone: 'Europe/Berlin' });
    const w = read.warnings ?? [];
    expect(w).toHaveLength(4);
    for (const [k, x] of w.slice(0, 3).entries()) {
      expect(x).toContain(`m.csv, ID ${k + 1}: the daylight-saving switch of Europe/Berlin at 2026-03-29 02:00 +01:00`);
      expect(x).toContain(`1 more pair of its rows lies across a change of offset too (rows ${4 * k + 3} and ${4 * k + 4})`);
    }
    expect(w[3]).toMatch(/^W_CLOCK_DST: m\.csv: 7 more IDs \(4, 5, 6 and 4 more\) have records on either side of a change of UTC offset of Europe\/Berlin, 14 pairs of rows in all/);
    // one ID's records (as a command's JSON for that ID) say that ID's warning in full
    expect(readWarnings(read.records.filter((r) => r.ID === 7))).toEqual([expect.stringContaining('m.csv, ID 7: the daylight-saving switch')]);
    expect(readWarnings(read.records)).toEqual(w);
  });

  it('no warning in a zone of one offset over the chart (Asia/Kolkata)', () => {
    expect(readNmtran(SPRING, { zone: 'Asia/Kolkata' }).warnings).toBeUndefined();
    expect(readNmtran(`${head}1,1900-01-01,08:00,1,1000,1000,.,1\n1,2100-01-01,08:00,0,.,.,20,0\n`, { zone: 'Etc/GMT-3' }).warnings).toBeUndefined();
  });

  it('refuses an unknown zone, naming it', () => {
    expect(() => readNmtran(SPRING, { zone: 'Mars/Base' })).toThrow(/zone: not a time zone.*\(got "?Mars\/Base"?\)/);
  });
});

describe('the commands say W_CLOCK_DST on stderr and in the JSON warnings', () => {
  const { write: file } = tempFiles('dosewise-clock-dst-');
  const model = file('m1.model.json', ONE_CMT_MODEL);
  const data = file('spring.csv', SPRING);
  const future = file('future.csv', `${head}1,2026-03-29,20:00,1,1000,1000,.,1\n1,2026-03-30,08:00,0,.,.,.,1\n`);
  const tz = process.env.TZ;
  afterEach(() => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  });
  const dst = /W_CLOCK_DST: \S*spring\.csv, ID 1: the daylight-saving switch of Europe\/Berlin/;

  it('optimize --from in the process’s zone (TZ=Europe/Berlin); with --tz Europe/Berlin the chart is read on its clock (11 h, no warning: clock-dst-after-chart.test.ts)', async () => {
    process.env.TZ = 'Europe/Berlin';
    const r = await cli(['optimize', '--model', model, '--data', data, '--from', 'next-dose', ...ADVISE_ARGS, '--json']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/dosewise: warning: W_CLOCK_DST: \S*spring\.csv, ID 1: the daylight-saving switch of Europe\/Berlin \(the process's time zone, TZ\)/);
    const w = (JSON.parse(r.out) as { warnings: { code: string; message: string }[] }[])[0]?.warnings ?? [];
    expect(w.filter((x) => x.code === 'W_CLOCK_DST')).toHaveLength(1);
    process.env.TZ = 'UTC';
    const z = await cli(['optimize', '--model', model, '--data', data, '--from', 'next-dose', '--tz', 'Europe/Berlin', ...ADVISE_ARGS, '--json']);
    expect(z.code, z.err).toBe(0);
    expect(z.err).not.toMatch(/W_CLOCK_DST/);
    // without --tz the process's zone (UTC) has no switch
    const utc = await cli(['optimize', '--model', model, '--data', data, '--from', 'next-dose', ...ADVISE_ARGS, '--json']);
    expect(utc.code, utc.err).toBe(0);
    expect(utc.err).not.toMatch(/W_CLOCK_DST/);
  });

  it.each([
    ['estimate', []],
    ['forecast', ['--regimen', future, '--draws', '20']],
  ])('%s in the process’s zone (TZ=Europe/Berlin)', async (command, more) => {
    process.env.TZ = 'Europe/Berlin';
    const r = await cli([command, '--model', model, '--data', data, ...more, '--json']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/the daylight-saving switch of Europe\/Berlin \(the process's time zone, TZ\)/);
    const w = (JSON.parse(r.out) as { warnings: { code: string }[] }[])[0]?.warnings ?? [];
    expect(w.filter((x) => x.code === 'W_CLOCK_DST')).toHaveLength(1);
    process.env.TZ = 'UTC';
    const utc = await cli([command, '--model', model, '--data', data, ...more, '--json']);
    expect(utc.err).not.toMatch(/W_CLOCK_DST/);
  });

  it('simulate says three IDs in full and counts the rest on stderr (TZ=Europe/Berlin)', async () => {
    process.env.TZ = 'Europe/Berlin';
    const many = file('many.csv', `${head}${Array.from({ length: 6 }, (_, i) => `${i + 1},2026-03-28,20:00,1,1000,1000,.,1\n${i + 1},2026-03-29,08:00,0,.,.,20,0\n`).join('')}`);
    const r = await cli(['simulate', '--model', model, '--data', many]);
    expect(r.code, r.err).toBe(0);
    const lines = r.err.split('\n').filter((l) => l.includes('W_CLOCK_DST'));
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatch(/many\.csv: 3 more IDs \(4, 5 and 6\) have records on either side of a change of UTC offset of Europe\/Berlin \(the process's time zone, TZ\), 3 pairs of rows in all/);
  });

  it('a process TZ that names no zone (TZ=Bogus/Zone) is UTC, as the process keeps it: no crash, no warning', async () => {
    process.env.TZ = 'Bogus/Zone';
    const r = await cli(['estimate', '--model', model, '--data', data, '--json']);
    process.env.TZ = 'UTC';
    expect(r.code, r.err).toBe(0);
    expect(r.err).not.toMatch(/W_CLOCK_DST|internal error/);
  });

  it('simulate in the process’s zone (TZ=Europe/Berlin)', async () => {
    process.env.TZ = 'Europe/Berlin';
    const r = await cli(['simulate', '--model', model, '--data', data]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(dst);
  });
});

// optimize with several --intervals and a target whose exposure key names the judged window: time
// above MIC is judged over each regimen's own last interval (tabove:15:0:12 for q12h,
// tabove:15:0:24 for q24h; in advice also by where the judged time ends). The text table, the
// --from advice and the --report tables took the column from the first regimen's key and looked it
// up in every row: "Cannot read properties of undefined (reading 'median')", exit 3. Every ranked
// regimen is now printed with its own exposure, the same numbers as --json.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';
import { fmt } from '../../../src/report/index.js';
import { exposureColumns } from '../../../src/cli/advice.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-tabove-intervals-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// the patient's covariates only (EVID 2, no dose or level): the prior at 70 kg, CrCL 90
const prior = join(tmp, 'prior.csv');
writeFileSync(prior, 'ID,TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL\n1,0,2,.,.,.,1,70,90\n');

interface Spread {
  median: number;
  lo: number;
  hi: number;
}
interface Ranked {
  dose: number;
  interval: number;
  exposure: Record<string, Spread>;
}
interface Advised {
  next: { amount: number; duration: number };
  maintenance: { amount: number; duration: number; interval: number };
  exposure: Record<string, Spread & { mode: number }>;
}

const steady = (target: string, ...more: string[]): string[] =>
  ['optimize', '--model', 'vancomycin_goti_2018', '--data', prior, '--target', target, '--doses', '500:1500:250', '--intervals', '12,24', '--infusions', '1', '--top', '10', '--draws', '200', '--no-progress', ...more];
const advice = (target: string, ...more: string[]): string[] =>
  ['optimize', '--model', 'vancomycin_goti_2018', '--data', 'examples/advice-vancomycin.csv', '--from', '2026-03-06T08:00', '--target', target, '--doses', '500:1500:500', '--intervals', '12,24', '--infusions', '1', '--top', '10', '--draws', '200', ...more];

async function json<T>(args: string[]): Promise<T> {
  const r = await cli([...args, '--json']);
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as T;
}

/** The metric of a key without its judged window, as the tables head it. */
const metricOf = (key: string): string => key.replace(/:[^:/]+:[^:/]+$/, '');

/** A regimen's exposures in the order of the first regimen's metrics, each found by its own key. */
const ordered = <E>(first: Record<string, E>, own: Record<string, E>): E[] =>
  Object.keys(first).map((k) => {
    const mine = Object.keys(own).find((x) => metricOf(x) === metricOf(k));
    expect(mine, `${k} in ${Object.keys(own).join(', ')}`).toBeDefined();
    return own[mine as string] as E;
  });

/** The rows of the table whose caption is `caption` in a report, as the cells' text. */
function reportRows(html: string, caption: string): string[][] {
  const table = html.split('<table').find((t) => t.includes(`<caption>${caption}</caption>`));
  expect(table, caption).toBeDefined();
  const body = (table as string).split('<tbody>')[1]?.split('</tbody>')[0] ?? '';
  return [...body.matchAll(/<tr>(.*?)<\/tr>/g)].map((m) => [...(m[1] as string).matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((c) => (c[1] as string).replace(/&amp;/g, '&')));
}

/** The table rows of the steady-state text (after the heading line of each ID). */
function steadyRows(out: string): string[] {
  return out.split('\n').filter((l) => /^\s+\d+\s+\d+ h\s/.test(l));
}

const g = (x: number, p = 4): string => (Number.isFinite(x) ? String(Number(x.toPrecision(p))) : 'NaN');

describe('optimize --intervals 12,24 with a tabove target (the exposure key differs by interval)', () => {
  it('text: exit 0, every ranked regimen with its own exposure, as --json gives it', async () => {
    const [res] = await json<{ ranked: Ranked[] }[]>(steady('tabove:15:0.5'));
    const ranked = (res as { ranked: Ranked[] }).ranked;
    // the ranking holds both intervals, so both windows
    expect(new Set(ranked.map((c) => Object.keys(c.exposure)[0]))).toEqual(new Set(['tabove:15:0:12', 'tabove:15:0:24']));
    const r = await cli(steady('tabove:15:0.5'));
    expect(r.code, r.err).toBe(0);
    expect(r.err).not.toMatch(/internal error/);
    // the windows differ by row, so the heading names the metric and the window it is judged over
    expect(r.out).toContain('tabove:15 (last interval) median [90% interval]');
    const rows = steadyRows(r.out);
    expect(rows).toHaveLength(ranked.length);
    ranked.forEach((c, i) => {
      const e = Object.values(c.exposure)[0] as Spread;
      const row = rows[i] as string;
      expect(row).toMatch(new RegExp(`^\\s+${c.dose}\\s+${c.interval} h\\s`));
      expect(row.endsWith(`  ${e.median.toPrecision(4)} [${e.lo.toPrecision(3)}, ${e.hi.toPrecision(3)}]`), `${row} vs ${JSON.stringify(e)}`).toBe(true);
    });
  });

  it('--report: a row per ranked regimen with its own exposure, as --json gives it', async () => {
    const [res] = await json<{ ranked: Ranked[] }[]>(steady('tabove:15:0.5'));
    const ranked = (res as { ranked: Ranked[] }).ranked;
    const dir = join(tmp, 'steady-report');
    const r = await cli([...steady('tabove:15:0.5', '--json', '--report', dir)]);
    expect(r.code, r.err).toBe(0);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('tabove:15 (last interval) median (90% interval)');
    const rows = reportRows(html, 'Best regimens');
    expect(rows).toHaveLength(ranked.length);
    ranked.forEach((c, i) => {
      const e = Object.values(c.exposure)[0] as Spread;
      const row = rows[i] as string[];
      expect(row.slice(0, 2)).toEqual([fmt(c.dose, 6), fmt(c.interval, 4)]);
      expect(row[row.length - 1]).toBe(`${fmt(e.median, 4)} (${fmt(e.lo, 3)}–${fmt(e.hi, 3)})`);
    });
  });

  it('--from advice text: exit 0, every ranked regimen with its own exposure, as --json gives it', async () => {
    const [res] = await json<{ ranked: Advised[] }[]>(advice('tabove:15:0.6'));
    const ranked = (res as { ranked: Advised[] }).ranked;
    expect(new Set(ranked.map((x) => x.maintenance.interval))).toEqual(new Set([12, 24]));
    expect(new Set(ranked.map((x) => Object.keys(x.exposure)[0])).size).toBeGreaterThan(1);
    const r = await cli(advice('tabove:15:0.6'));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('tabove:15 (last interval) MAP | median [90% interval]');
    const rows = r.out.split('\n').filter((l) => /^\s+\d[\d.]*\/[\d.]+ h\s+\d[\d.]*\/[\d.]+ h q\d+h\s/.test(l));
    expect(rows).toHaveLength(ranked.length);
    ranked.forEach((x, i) => {
      const e = Object.values(x.exposure)[0] as Spread & { mode: number };
      const row = rows[i] as string;
      expect(row).toMatch(new RegExp(`^\\s+${g(x.next.amount, 8)}/${g(x.next.duration, 4)} h\\s+${g(x.maintenance.amount, 8)}/${g(x.maintenance.duration, 4)} h q${x.maintenance.interval}h\\s`));
      expect(row.endsWith(`  ${g(e.mode)} | ${g(e.median)} [${g(e.lo, 3)}, ${g(e.hi, 3)}]`), `${row} vs ${JSON.stringify(e)}`).toBe(true);
    });
  });

  it('--from --report: a row per ranked regimen with its own exposure, as --json gives it', async () => {
    const [res] = await json<{ ranked: Advised[] }[]>(advice('tabove:15:0.6'));
    const ranked = (res as { ranked: Advised[] }).ranked;
    const dir = join(tmp, 'advice-report');
    const r = await cli(advice('tabove:15:0.6', '--report', dir));
    expect(r.code, r.err).toBe(0);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    const rows = reportRows(html, 'Best next doses and maintenance regimens');
    expect(rows).toHaveLength(ranked.length);
    ranked.forEach((x, i) => {
      const e = Object.values(x.exposure)[0] as Spread & { mode: number };
      const row = rows[i] as string[];
      expect(row.slice(0, 5)).toEqual([fmt(x.next.amount, 6), fmt(x.next.duration, 4), fmt(x.maintenance.amount, 6), fmt(x.maintenance.duration, 4), fmt(x.maintenance.interval, 4)]);
      expect(row[row.length - 1]).toBe(`${fmt(e.mode, 4)}; ${fmt(e.median, 4)} (${fmt(e.lo, 3)}–${fmt(e.hi, 3)})`);
    });
  });
});

describe('other targets over several intervals print every row as --json gives it', () => {
  // one window per metric whatever the interval (auc24, trough, cavg, peak/mic's cmax): the heading
  // keeps the key; with tabove beside them, each metric keeps its own column
  for (const target of ['auc24:400:600,trough::20', 'cavg:10:30,peak/mic:1:8', 'auc24:400:600,tabove:15:0.5,trough::20']) {
    it(`${target}: text and --report`, async () => {
      const [res] = await json<{ ranked: Ranked[] }[]>(steady(target));
      const ranked = (res as { ranked: Ranked[] }).ranked;
      expect(new Set(ranked.map((c) => c.interval))).toEqual(new Set([12, 24]));
      const first = (ranked[0] as Ranked).exposure;
      const dir = join(tmp, `report-${target.replace(/[^a-z0-9]+/gi, '-')}`);
      const r = await cli(steady(target, '--report', dir));
      expect(r.code, r.err).toBe(0);
      const rows = steadyRows(r.out);
      const cells = reportRows(readFileSync(join(dir, 'report.html'), 'utf8'), 'Best regimens');
      expect(rows).toHaveLength(ranked.length);
      expect(cells).toHaveLength(ranked.length);
      const m = Object.keys(first).length;
      ranked.forEach((c, i) => {
        const es = ordered(first, c.exposure);
        expect(rows[i]).toMatch(new RegExp(`^\\s+${c.dose}\\s+${c.interval} h\\s`));
        expect((rows[i] as string).endsWith(`  ${es.map((e) => `${e.median.toPrecision(4)} [${e.lo.toPrecision(3)}, ${e.hi.toPrecision(3)}]`).join('  ')}`), rows[i]).toBe(true);
        expect((cells[i] as string[]).slice(-m)).toEqual(es.map((e) => `${fmt(e.median, 4)} (${fmt(e.lo, 3)}–${fmt(e.hi, 3)})`));
      });
      // a metric whose key is the same in every row is headed by its key, as before
      for (const k of Object.keys(first).filter((k) => !k.startsWith('tabove'))) expect(r.out).toContain(`${k} median [90% interval]`);
    });
  }
});

describe('exposureColumns', () => {
  it('a column per metric; each row reads its own key; the heading keeps a window every row shares', () => {
    const rows: Record<string, number>[] = [
      { auc24: 1, 'tabove:15:12:24': 2, 'fu=0.1/tabove:2:12:24': 3 },
      { auc24: 4, 'tabove:15:0:24': 5, 'fu=0.1/tabove:2:0:24': 6 },
    ];
    const cols = exposureColumns(rows);
    expect(cols.map((c) => c.heading)).toEqual(['auc24', 'tabove:15 (last interval)', 'fu=0.1/tabove:2 (last interval)']);
    expect(rows.map((r) => cols.map((c) => c.value(r)))).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(exposureColumns([{ 'tabove:15:12:24': 1 }, { 'tabove:15:12:24': 2 }]).map((c) => c.heading)).toEqual(['tabove:15:12:24']);
    expect(exposureColumns([{ auc24: 1 }]).map((c) => c.value({ trough: 2 }))).toEqual([undefined]);
  });
});

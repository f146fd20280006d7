// "Advise next dose" in a real browser (Debian's chromium through playwright-core): a vancomycin
// history charted at clock times — a late dose, a missed dose, a changed amount, one BLQ level — is
// pasted and estimated; with a rate limit and vial strengths the page's advice from the next dose
// (hold, next time, amount, infusion duration lengthened by the rate, maintenance, probability) equals
// `dosewise optimize --from … --json` run in process on the same records written as an NM-TRAN data
// set with clock times, with the same draws, seed and targets (the command line the page shows).

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyRecords, type PatientCase } from '../../src/web/case.js';
import { clockOf } from '../../src/web/advice.js';
import { cli } from '../unit/cli/run-cli.js';
import { ARTIFACTS, openTool, type ToolPage } from './tool-page.js';


/** Doses as charted (q12h from 08:00 on the 4th): 20:30 late, the 08:00 dose of the 5th missed, 20:00 with a higher dose. */
const DOSES = [
  { time: '2026-03-04 08:00', amount: 1000, infusion: 1 },
  { time: '2026-03-04 20:30', amount: 1000, infusion: 1 },
  { time: '2026-03-05 20:00', amount: 1250, infusion: 1 },
];
const LEVELS = [
  { time: '2026-03-04 19:30', conc: 9.8, blq: false },
  // below the limit of 2 mg/L
  { time: '2026-03-05 09:00', conc: 2, blq: true },
  { time: '2026-03-06 07:30', conc: 16.2, blq: false },
];
const COVARIATES = { WT: 80, CRCL: 60, DIAL: 0 };
/** The same case in hours since the first dose (the records the page builds). */
const CASE: PatientCase = {
  model: 'vancomycin_goti_2018',
  covariates: COVARIATES,
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
/** 08:00 on the 4th, the first record, in minutes since 1970 on the ward's clock. */
const ORIGIN = Date.UTC(2026, 2, 4, 8) / 60_000;

/** The page's records as an NM-TRAN data set, TIME as the ward's clock (ISO timestamps). */
function nmtranCsv(c: PatientCase): string {
  const cols = ['ID', 'TIME', 'EVID', 'AMT', 'RATE', 'DV', 'MDV', 'BLQ', 'LLOQ', ...Object.keys(c.covariates)];
  const rows = historyRecords(c).map((r) =>
    cols
      .map((k) => {
        if (k === 'TIME') return clockOf(r.TIME, { origin: ORIGIN, zone: false });
        const v = r.items[k];
        if (k === 'BLQ') return v === 1 ? '1' : '0';
        return v !== undefined && Number.isFinite(v) ? String(v) : '.';
      })
      .join(','),
  );
  return [cols.join(','), ...rows].join('\n') + '\n';
}

interface CliAdvice {
  next_time: number;
  next_clock: string | null;
  hold: { hours: number; until: number } | null;
  recommendation: {
    next: { time: number; amount: number; duration: number; clock: string | null };
    maintenance: { amount: number; duration: number; interval: number; start: number };
    pta: number;
    pta_se: number;
  } | null;
  draws: number;
  target: string;
  evaluated: number;
}

let tool: ToolPage;
let page: Page;
let dir: string;
let problems: string[] = [];

describe.skipIf(process.env.DOSEWISE_BROWSER_TESTS !== '1')('what-if tool: advice from now in chromium', () => {
  beforeAll(async () => {
    tool = await openTool({ width: 1280, height: 1400 });
    page = tool.page;
    problems = tool.problems;
    dir = mkdtempSync(join(tmpdir(), 'dosewise-advice-'));
  });

  afterAll(async () => {
    await tool?.close();
    if (dir) rmSync(dir, { force: true, recursive: true });
  });

  it('pasted clock-time history (late, missed, BLQ), rate limit and strengths: the page advises what the CLI advises', async () => {
    await tool.fresh();
    await page.selectOption('#model', 'vancomycin_goti_2018');
    for (const [k, v] of Object.entries(COVARIATES)) await page.fill(`#cov-${k}`, String(v));
    await page.click('#paste summary');
    const rows = [
      'time\tdose\tduration\tlevel\tblq',
      ...DOSES.map((d) => `${d.time}\t${d.amount}\t${d.infusion}\t\t`),
      ...LEVELS.map((l) => `${l.time}\t\t\t${l.conc}\t${l.blq ? 1 : 0}`),
    ].join('\n');
    await page.fill('#paste-rows', rows);
    await page.click('#paste-apply');
    expect(await page.locator('#paste-status').textContent()).toMatch(/3 doses and 3 levels read/);
    await page.click('#estimate');
    await page.evaluate(() => window.dosewise.settled());
    expect(await page.evaluate(() => window.dosewise.lastEstimate?.observations)).toBe(3);

    // a bad input is named and nothing is computed
    await page.fill('#advice-max-rate', '0');
    await page.click('#advise');
    await expect.poll(() => page.locator('#advice-status').textContent()).toMatch(/Maximum infusion rate: enter a number > 0/);
    expect(await page.getAttribute('#advice-max-rate', 'aria-invalid')).toBe('true');
    expect(await page.evaluate(() => window.dosewise.lastAdvice)).toBeUndefined();

    // from: blank = the next dose (the last dose + the what-if interval of 12 h: 08:00 on the 6th)
    await page.fill('#advice-max-rate', '1000');
    await page.fill('#advice-rounding', '500,250');
    await page.fill('#advice-max-daily', '4000');
    await page.fill('#advice-intervals', '8,12,24');
    const t0 = Date.now();
    await page.click('#advise');
    await expect.poll(() => page.evaluate(() => window.dosewise.lastAdvice !== undefined), { timeout: 60_000 }).toBe(true);
    const adviseMs = Date.now() - t0;
    const advice = await page.evaluate(() => window.dosewise.lastAdvice);
    const args = (await page.evaluate(() => window.dosewise.lastAdviceArgs)) as string[];
    expect(args).toEqual(expect.arrayContaining(['--from', '2026-03-06T08:00', '--max-rate', '1000', '--strengths', '500,250', '--max-daily', '4000', '--target', 'auc24:400:600,trough:10:20']));
    expect(advice?.from).toBe(48);
    expect(advice?.draws).toBe(1000);

    // the CLI on the same records, as an NM-TRAN data set with clock times
    const file = join(dir, 'patient.csv');
    writeFileSync(file, nmtranCsv(CASE));
    const out = await cli([...args.slice(0, 3), '--data', file, ...args.slice(3), '--json']);
    // the page's candidate doses above 4 units of its strengths become 2000, as the CLI's do, and
    // both say so (W_MAX_UNITS)
    expect(await page.locator('#advice-status').textContent()).toMatch(/W_MAX_UNITS: 4 candidate doses \(2250, 2500, 2750, 3000 mg\) are above 2000 mg, the largest of at most 4 units: [^;]*; enter 6 in "Units per dose"/);
    expect(out.err).toMatch(/^dosewise: warning: W_MAX_UNITS: \d+ of the --doses \([^)]*\) are above 2000, the largest dose of at most 4 units of --strengths 500,250 \(--max-units 4\)[^\n]*\n$/);
    expect(out.code).toBe(0);
    const [j] = JSON.parse(out.out) as CliAdvice[];
    const best = advice?.ranked[0];
    const rec = j?.recommendation;
    expect(best && rec).toBeTruthy();
    if (!best || !rec || !j || !advice) return;
    expect(advice.nextTime).toBe(j.next_time);
    expect(advice.hold?.hours ?? null).toBe(j.hold?.hours ?? null);
    expect(best.next.time).toBe(rec.next.time);
    expect(best.next.amount).toBe(rec.next.amount);
    expect(best.next.duration).toBe(rec.next.duration);
    expect(best.maintenance.amount).toBe(rec.maintenance.amount);
    expect(best.maintenance.duration).toBe(rec.maintenance.duration);
    expect(best.maintenance.interval).toBe(rec.maintenance.interval);
    expect(best.pta).toBe(rec.pta);
    expect(advice.evaluated).toBe(j.evaluated);
    expect(advice.target).toBe(j.target);
    // every ranked candidate's amounts obey the ward's limits: rate ≤ 1000 mg/h, sums of 500 and 250
    for (const x of advice.ranked) {
      for (const d of [x.next, x.maintenance]) {
        expect(d.amount / d.duration).toBeLessThanOrEqual(1000 + 1e-9);
        expect(d.amount % 250).toBe(0);
      }
    }

    // what the page shows: the times on the chart's clock, the amounts, the duration, the probability
    const clock = (rec.next.clock as string).replace('T', ' ').slice(0, 16);
    const next = (await page.locator('#advice-next').textContent()) ?? '';
    expect(next).toContain(`${rec.next.amount.toLocaleString('en-US')} mg`);
    expect(next).toContain(clock);
    if (rec.next.duration !== 1) expect(next).toContain(`over ${rec.next.duration} h`);
    expect(await page.locator('#advice-maintenance').textContent()).toContain(`every ${rec.maintenance.interval} h`);
    // the hold level's source, as the CLI names it (trough:10:20: the trough ceiling)
    expect(await page.locator('#advice-hold').textContent()).toContain('(the trough ceiling)');
    expect(await page.locator('#advice-pta').textContent()).toBe(`${(100 * rec.pta).toFixed(1)}% ± ${(100 * rec.pta_se).toFixed(1)}`);
    expect(await page.locator('#advice-cli').textContent()).toContain('dosewise optimize --model vancomycin_goti_2018 --data FILE.csv --from 2026-03-06T08:00');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'whatif-advice.png'), fullPage: true });
    console.log(`advice in the page: ${adviseMs} ms (worker ${advice.ms.toFixed(0)} ms); next ${rec.next.amount} over ${rec.next.duration} h at ${rec.next.clock}, then ${rec.maintenance.amount} over ${rec.maintenance.duration} h q${rec.maintenance.interval}h, P ${rec.pta}`);
    expect(problems).toEqual([]);
  });
});

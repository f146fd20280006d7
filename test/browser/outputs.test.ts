// The what-if tool with a model of several outputs in a real browser (Debian's chromium through
// playwright-core): the parent-metabolite model chosen, a clock-time history with a late and a missed
// dose, a BLQ parent level and a metabolite level entered with the levels table's output column; the
// page's MAP η equals estimate() in Node on the same records (1e-9), the plot has one chart per
// output, each with its own levels and its own credible band (the parent's equal to the API's forecast
// band for parent observation records, 1e-9), and the case file saves and reopens the outputs; the
// printed page carries the explanation of the CLI's report with the same numbers. A screenshot is
// saved to test/browser/artifacts/.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineModel } from '../../src/model/model.js';
import { estimate } from '../../src/bayes/estimate.js';
import { FORECAST_LEVEL, FORECAST_SEED, futureRecords, historyDoses, historyRecords, type PatientCase } from '../../src/web/case.js';
import { forecast } from '../../src/bayes/forecast.js';
import { caseFromJson } from '../../src/web/history.js';
import { clockOf } from '../../src/web/advice.js';
import { cli } from '../unit/cli/run-cli.js';
import pm from '../../examples/parent-metabolite/model.json' with { type: 'json' };
import { ARTIFACTS, openTool, type ToolPage } from './tool-page.js';


/** Doses as charted: 08:00, 20:30 (late), the 08:00 dose of the 5th missed, 20:00. */
const DOSES = [
  { time: '2026-03-04 08:00', amount: 500 },
  { time: '2026-03-04T20:30', amount: 500 },
  { time: '2026-03-05 20:00', amount: 500 },
];
/** Levels as charted, with their output (by name as the select shows it). */
const LEVELS = [
  { time: '2026-03-04 09:00', conc: 19.2, blq: false, output: 'parent' },
  { time: '2026-03-04 14:00', conc: 13.4, blq: false, output: 'metabolite' },
  // the parent below its limit of 0.5 mg/L before the late dose
  { time: '2026-03-04 20:00', conc: 0.5, blq: true, output: 'parent' },
  { time: '2026-03-05 22:00', conc: 17.5, blq: false, output: 'metabolite' },
];
/** The same case in hours since the first dose (08:00 on the 4th). */
const CASE: PatientCase = {
  model: 'parent-metabolite',
  covariates: {},
  doses: { amount: 500, infusion: 0, interval: 12, count: 4, start: 0 },
  given: [
    { time: 0, amount: 500, infusion: 0 },
    { time: 12.5, amount: 500, infusion: 0 },
    { time: 36, amount: 500, infusion: 0 },
  ],
  levels: [
    { time: 1, conc: 19.2, dvid: 1 },
    { time: 6, conc: 13.4, dvid: 2 },
    { time: 12, conc: 0.5, blq: true, dvid: 1 },
    { time: 38, conc: 17.5, dvid: 2 },
  ],
};

let tool: ToolPage;
let page: Page;
let problems: string[] = [];

const freshPage = (): Promise<void> => tool.fresh();
const eta = (): Promise<number[]> => tool.eta();

describe.skipIf(process.env.DOSEWISE_BROWSER_TESTS !== '1')('what-if tool: a model with several outputs in chromium', () => {
  const model = defineModel(pm);
  const node = [...estimate(model, historyRecords(CASE, model)).eta];

  beforeAll(async () => {
    tool = await openTool();
    page = tool.page;
    problems = tool.problems;
  });

  afterAll(async () => {
    await tool?.close();
  });

  it('parent and metabolite levels at clock times (a late and a missed dose, a BLQ level): the page estimates what Node estimates (1e-9; its band 1e-8); one chart per output; the case reopens', async () => {
    await freshPage();
    // a model of one output: no output column
    expect(await page.locator('#levels th.output').isHidden()).toBe(true);
    await page.selectOption('#model', 'parent-metabolite');
    expect(await page.locator('#levels th.output').isVisible()).toBe(true);
    // the output select lists the outputs by name, the observed one (metabolite) by default
    const first = page.locator('#levels tbody tr').first().locator('.level-output');
    expect(await first.locator('option').allTextContents()).toEqual(['parent', 'metabolite']);
    expect(await first.inputValue()).toBe('2');

    for (const id of ['given-amount', 'given-infusion', 'given-interval', 'given-count', 'given-start']) await page.fill(`#${id}`, String({ 'given-amount': 500, 'given-infusion': 0, 'given-interval': 12, 'given-count': 4, 'given-start': 0 }[id]));
    await page.click('#expand-series');
    expect(await page.locator('#given-table tbody tr').count()).toBe(4);
    // the third dose was missed; the others at the charted clock times
    await page.locator('#given-table tbody tr').nth(2).locator('button.remove').click();
    for (const [i, d] of DOSES.entries()) {
      const row = page.locator('#given-table tbody tr').nth(i);
      await row.locator('.dose-time').fill(d.time);
      await row.locator('.dose-amount').fill(String(d.amount));
      await row.locator('.dose-infusion').fill('0');
    }
    for (const [i, l] of LEVELS.entries()) {
      if ((await page.locator('#levels tbody tr').count()) <= i) await page.click('#add-level');
      const row = page.locator('#levels tbody tr').nth(i);
      await row.locator('.level-time').fill(l.time);
      await row.locator('.level-conc').fill(String(l.conc));
      if (l.blq) await row.locator('.level-blq').check();
      await row.locator('.level-output').selectOption({ label: l.output });
    }
    await page.click('#estimate');
    const browser = await eta();
    const est = await page.evaluate(() => window.dosewise.lastEstimate);
    expect(est?.model).toBe('parent-metabolite');
    expect(est?.observations).toBe(4);
    expect(browser).toHaveLength(3);
    browser.forEach((e, i) => expect(Math.abs(e - (node[i] as number))).toBeLessThanOrEqual(1e-9));
    expect(await page.locator('#levels tbody tr .hours').allTextContents()).toEqual(['1 h', '6 h', '12 h', '38 h']);

    // one chart per output, each with its own levels: the metabolite (observed, with the band) first, then the parent
    await expect.poll(() => page.locator('#plot svg').count()).toBe(2);
    await page.evaluate(() => window.dosewise.settled());
    const charts = page.locator('#plot > svg');
    expect(await charts.count()).toBe(2);
    expect(await charts.nth(0).locator('circle.dw-point').count()).toBe(2);
    // the parent's BLQ level is its own marker at the limit, not a measured point
    expect(await charts.nth(1).locator('circle.dw-point').count()).toBe(1);
    expect(await charts.nth(1).locator('polygon.dw-blq').count()).toBe(1);
    expect(await charts.nth(0).textContent()).toContain('metabolite');
    expect(await charts.nth(1).textContent()).toContain('parent');

    // each chart with its own credible band: the parent's band is the API's forecast band for
    // observation records of the parent (CMT 1, DVID 1), same records, fit, draws and seed (1e-9)
    const w = { amount: 500, infusion: 0, interval: 12, count: 4, start: 48 };
    for (const [id, v] of [['dose', w.amount], ['infusion', w.infusion], ['interval', w.interval], ['future-count', w.count], ['future-start', w.start]] as const) await page.fill(`#${id}`, String(v));
    await expect.poll(() => page.evaluate(() => window.dosewise.lastForecast?.times[0]), { timeout: 30_000 }).toBeDefined();
    await page.evaluate(() => window.dosewise.settled());
    await expect.poll(() => page.evaluate(() => window.dosewise.lastForecast?.others?.length)).toBe(1);
    const f = await page.evaluate(() => window.dosewise.lastForecast);
    expect(await charts.nth(0).locator('polygon.dw-band').count()).toBe(1);
    expect(await charts.nth(1).locator('polygon.dw-band').count()).toBe(1);
    const records = historyRecords(CASE, model);
    const fit = estimate(model, records);
    const future = futureRecords(w, { history: historyDoses(CASE) }).map((r) => (r.EVID === 0 ? { ...r, CMT: 1, items: { ...r.items, CMT: 1, DVID: 1 } } : r));
    const api = forecast(model, records, fit, future, { draws: f?.draws, seed: FORECAST_SEED, level: FORECAST_LEVEL });
    const parent = f?.others?.[0];
    expect(parent?.dvid).toBe(1);
    expect(Array.from(f?.times ?? [])).toEqual(Array.from(api.times));
    let worst = 0;
    for (const k of ['ipred', 'median', 'lower', 'upper'] as const)
      api[k].forEach((v, j) => (worst = Math.max(worst, Math.abs((parent?.[k][j] ?? NaN) - v) / Math.max(1, Math.abs(v)))));
    // the band rests on the Laplace covariance, a finite-difference Hessian over steps of 1e-3
    // posterior SDs: an ulp of difference between the page's and Node's Math functions moves it by
    // ~ε/h², measured 2.3e-9 and 4.2e-9 here (the levels themselves agree to 1e-9 above)
    expect(worst).toBeLessThanOrEqual(1e-8);
    // and it is not the metabolite's band
    expect(Array.from(parent?.upper ?? []).some((v, j) => Math.abs(v - (f?.upper[j] ?? NaN)) > 0.1 * Math.abs(v))).toBe(true);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'whatif-outputs.png'), fullPage: true });

    // one printable page: the print stylesheet leaves out the controls and keeps the history, the
    // estimate and both charts
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#estimate').isVisible()).toBe(false);
    expect(await page.locator('#print-page').isVisible()).toBe(false);
    expect(await page.locator('#plot > svg').nth(1).isVisible()).toBe(true);
    expect(await page.locator('#levels').isVisible()).toBe(true);
    const pdf = await page.pdf({ path: join(ARTIFACTS, 'whatif-outputs.pdf'), format: 'A4' });
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
    await page.emulateMedia({ media: 'screen' });

    // the case file keeps each level's output
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-case')]);
    const path = await download.path();
    const form = caseFromJson(readFileSync(path, 'utf8'));
    expect(form.model).toBe('parent-metabolite');
    expect(form.levels.map((l) => l.dvid)).toEqual(['1', '2', '1', '2']);
    await freshPage();
    await page.setInputFiles('#case-file', path);
    await expect.poll(() => page.evaluate(() => window.dosewise.lastEstimate?.model), { timeout: 15_000 }).toBe('parent-metabolite');
    expect(await eta()).toEqual(browser);
    expect(await page.locator('#levels tbody tr .level-output').evaluateAll((els) => els.map((e) => (e as HTMLSelectElement).value))).toEqual(['1', '2', '1', '2']);
    expect(problems).toEqual([]);
  });

  it('pasted rows with a dvid column fill the output column and give the same estimate; the next dose under a rate limit and strengths is the CLI\'s', async () => {
    await freshPage();
    await page.selectOption('#model', 'parent-metabolite');
    await page.click('#paste summary');
    const rows = ['time\tdose\tduration\tlevel\tblq\tdvid', ...DOSES.map((d) => `${d.time}\t${d.amount}\t0\t\t\t`), ...LEVELS.map((l) => `${l.time}\t\t\t${l.conc}\t${l.blq ? 1 : 0}\t${l.output === 'parent' ? 1 : 2}`)].join('\n');
    await page.fill('#paste-rows', rows);
    await page.click('#paste-apply');
    expect(await page.locator('#paste-status').textContent()).toMatch(/3 doses and 4 levels read/);
    expect(await page.locator('#levels tbody tr .level-output').evaluateAll((els) => els.map((e) => (e as HTMLSelectElement).value))).toEqual(['1', '2', '1', '2']);
    await page.click('#estimate');
    const browser = await eta();
    browser.forEach((e, i) => expect(Math.abs(e - (node[i] as number))).toBeLessThanOrEqual(1e-9));

    // the next dose from now, under a rate limit and vial strengths: the page advises what the CLI
    // advises on the same records written as an NM-TRAN data set (clock times, CMT and DVID)
    await page.fill('#infusion', '1');
    await page.fill('#advice-max-rate', '250');
    await page.fill('#advice-rounding', '250,100');
    await page.fill('#advice-intervals', '12,24');
    await page.click('#advise');
    await expect.poll(() => page.evaluate(() => window.dosewise.lastAdvice !== undefined), { timeout: 60_000 }).toBe(true);
    const advice = await page.evaluate(() => window.dosewise.lastAdvice);
    const args = (await page.evaluate(() => window.dosewise.lastAdviceArgs)) as string[];
    expect(args).toEqual(expect.arrayContaining(['--max-rate', '250', '--strengths', '250,100']));
    const cols = ['ID', 'TIME', 'EVID', 'AMT', 'RATE', 'CMT', 'DV', 'MDV', 'BLQ', 'LLOQ', 'DVID'];
    const origin = Date.UTC(2026, 2, 4, 8) / 60_000;
    const csv = [
      cols.join(','),
      ...historyRecords(CASE, model).map((r) =>
        cols
          .map((k) => {
            if (k === 'TIME') return clockOf(r.TIME, { origin, zone: false });
            if (k === 'CMT') return String(r.CMT);
            const v = r.items[k];
            return v !== undefined && Number.isFinite(v) ? String(v) : '.';
          })
          .join(','),
      ),
    ].join('\n');
    const dir = mkdtempSync(join(tmpdir(), 'dosewise-outputs-advice-'));
    const file = join(dir, 'patient.csv');
    writeFileSync(file, csv + '\n');
    const out = await cli(['optimize', '--model', 'examples/parent-metabolite/model.json', '--data', file, ...args.slice(args.indexOf('--from')), '--json', '--report', join(dir, 'rep')]);
    const report = readFileSync(join(dir, 'rep', 'report.html'), 'utf8');
    rmSync(dir, { force: true, recursive: true });
    expect(out.code, out.err).toBe(0);
    const [j] = JSON.parse(out.out) as { next_time: number; recommendation: { next: { time: number; amount: number; duration: number }; maintenance: { amount: number; duration: number; interval: number }; pta: number } | null; evaluated: number }[];
    const best = advice?.ranked[0];
    const rec = j?.recommendation;
    expect(best && rec).toBeTruthy();
    if (!best || !rec || !j) return;
    expect(advice?.nextTime).toBe(j.next_time);
    expect([best.next.time, best.next.amount, best.next.duration]).toEqual([rec.next.time, rec.next.amount, rec.next.duration]);
    expect([best.maintenance.amount, best.maintenance.duration, best.maintenance.interval]).toEqual([rec.maintenance.amount, rec.maintenance.duration, rec.maintenance.interval]);
    expect(best.pta).toBe(rec.pta);
    expect(advice?.evaluated).toBe(j.evaluated);
    // the ward's limits: at most 250 mg/h, amounts made of 250 and 100 mg vials
    for (const x of advice?.ranked ?? []) for (const d of [x.next, x.maintenance]) expect(d.amount / d.duration).toBeLessThanOrEqual(250 + 1e-9);

    // the printed page carries the explanation of the CLI's report, cell for cell: typical against
    // individual parameters, η with posterior SD and shrinkage, measured against IPRED/PRED with IWRES,
    // and the model, its warnings and covariate ranges (the same 6 significant digits)
    const section = /<section class="dw-section"[^>]*>\s*<h2[^>]*>ID 1: why this estimate<\/h2>([\s\S]*?)<\/section>/.exec(report)?.[1] ?? '';
    const unescape = (x: string): string => x.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
    const cells = [...section.matchAll(/<(t[dh]|caption)[^>]*>([\s\S]*?)<\/\1>/g)].map((m) => unescape(m[2] as string).trim());
    const paras = [...section.matchAll(/<p>([\s\S]*?)<\/p>/g)].map((m) => unescape((m[1] as string).replace(/<br\/?>/g, '\n')).trim());
    expect(cells.length).toBeGreaterThan(20);
    expect(cells).toContain('ETA_KP');
    expect(cells).toContain('Shrinkage');
    expect(cells).toContain('IWRES');
    expect(await page.locator('#explanation').isVisible()).toBe(false);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#explanation').isVisible()).toBe(true);
    expect(await page.locator('#explanation h2').textContent()).toBe('ID 1: why this estimate');
    const pageCells = (await page.locator('#explanation').locator('th, td, caption').allTextContents()).map((x) => x.trim());
    expect(pageCells).toEqual(cells);
    const pageParas = (await page.locator('#explanation p').evaluateAll((ps) => ps.map((p) => (p as HTMLElement).innerText))).map((x) => x.trim());
    // the model paragraph and the estimate paragraph word for word; the warnings name the level by row, and rows differ (the page's records vs the data set's)
    expect(pageParas.slice(0, 2)).toEqual(paras.slice(0, 2));
    expect(pageParas.length).toBe(paras.length);
    expect(pageParas[0]).toContain('parent-metabolite (illustrative)');
    await page.pdf({ path: join(ARTIFACTS, 'whatif-outputs-explained.pdf'), format: 'A4' });
    await page.emulateMedia({ media: 'screen' });
    expect(problems).toEqual([]);
  });
});

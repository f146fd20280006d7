// The what-if tool in a real browser (Debian's chromium through playwright-core): the built page
// loads the WASM engine in its worker, the W-map patient's MAP estimate in the browser equals the
// Node result (1e-9), the forecast equals Node's, a what-if dose change redraws the mode curve first
// and its credible band later (stale bands are skipped or discarded while the user keeps typing),
// the optimizer's suggestion appears, and a screenshot is saved to test/browser/artifacts/.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineModel } from '../../src/model/model.js';
import { estimate } from '../../src/bayes/estimate.js';
import { historyRecords, type PatientCase } from '../../src/web/case.js';
import { WhatIfSession } from '../../src/web/session.js';
import { compileModel } from '../../src/engine/model-text.js';
import { regimenRecords } from '../unit/bayes/wmap.js';
import wmap from '../../examples/map-wmap.model.json' with { type: 'json' };
import { serveStatic, type StaticServer } from './server.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIST = join(ROOT, 'dist', 'web');
const ARTIFACTS = join(ROOT, 'test', 'browser', 'artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The W-map patient (shared/BENCHMARKS.md). */
const LEVELS = [
  { time: 1.5, conc: 27.57698 },
  { time: 11.5, conc: 3.437169 },
  { time: 25, conc: 38.494925 },
  { time: 47.5, conc: 7.016984 },
];
const CASE: PatientCase = {
  model: 'map-wmap',
  covariates: {},
  doses: { amount: 1000, infusion: 1, interval: 12, count: 4, start: 0 },
  levels: LEVELS,
};

let server: StaticServer;
let context: BrowserContext;
let page: Page;
let userDataDir: string;
const problems: string[] = [];

async function fill(selector: string, value: number | string): Promise<void> {
  await page.fill(selector, String(value));
}

/** Enters a case's given doses and measured levels into the form (adding level rows as needed). */
async function fillHistory(c: PatientCase): Promise<void> {
  await fill('#given-amount', c.doses.amount);
  await fill('#given-infusion', c.doses.infusion);
  await fill('#given-interval', c.doses.interval);
  await fill('#given-count', c.doses.count);
  await fill('#given-start', c.doses.start);
  for (const [i, l] of c.levels.entries()) {
    if ((await page.locator('#levels tbody tr').count()) <= i) await page.click('#add-level');
    const row = page.locator('#levels tbody tr').nth(i);
    await row.locator('.level-time').fill(String(l.time));
    await row.locator('.level-conc').fill(String(l.conc));
  }
}

/** The forecast curve's points as the SVG has them. */
function curvePoints(): Promise<string | null> {
  return page.locator('#plot svg polyline.dw-line').getAttribute('points');
}

// Only under vitest.browser.config.ts (which builds dist/web first); skipped by the unit-test config.
describe.skipIf(process.env.DOSEWISE_BROWSER_TESTS !== '1')('what-if tool in chromium', () => {
  beforeAll(async () => {
    if (!existsSync(join(DIST, 'index.html'))) throw new Error('dist/web is missing: the global setup (vite build) did not run');
    if (!existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
    server = await serveStatic(DIST);
    userDataDir = mkdtempSync(join(tmpdir(), 'dosewise-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 1000 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  });

  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  it('loads the page, the worker and the WASM engine, and draws an a-priori forecast', async () => {
    await page.goto(server.url);
    await page.evaluate(() => window.dosewise.ready);
    const init = await page.evaluate(() => window.dosewise.init);
    expect(init?.models.map((m) => m.key)).toContain('map-wmap');
    expect(server.requests.some((r) => r.endsWith('.wasm'))).toBe(true);
    expect(await page.locator('#plot svg polyline.dw-line').count()).toBe(1);
    // ready means settled: the band of the first forecast is drawn too
    expect(await page.locator('#plot svg polygon.dw-band').count()).toBe(1);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'whatif-initial.png'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it('MAP of the W-map patient equals the Node estimate to 1e-9', async () => {
    await page.selectOption('#model', 'map-wmap');
    await fillHistory(CASE);
    await fill('#dose', 1000);
    await fill('#infusion', 1);
    await fill('#interval', 12);
    await fill('#future-count', 4);
    await page.click('#estimate');
    await page.evaluate(() => window.dosewise.settled());

    const browser = await page.evaluate(() => window.dosewise.lastEstimate);
    expect(browser?.model).toBe('map-wmap');
    expect(browser?.observations).toBe(4);
    const model = defineModel(wmap);
    const node = estimate(model, historyRecords(CASE));
    const reference = estimate(model, regimenRecords());
    expect(browser?.eta).toHaveLength(2);
    browser?.eta.forEach((e, i) => {
      expect(Math.abs(e - node.eta[i])).toBeLessThanOrEqual(1e-9);
      expect(Math.abs(e - reference.eta[i])).toBeLessThanOrEqual(1e-9);
    });
    // and the published mapbayr answer (BENCHMARKS.md) to 1e-4
    expect(browser?.eta[0]).toBeCloseTo(0.307654, 4);
    expect(browser?.eta[1]).toBeCloseTo(-0.221371, 4);
    const shown = await page.locator('#eta td[data-eta]').allTextContents();
    expect(shown).toEqual([browser?.eta[0].toFixed(4), browser?.eta[1].toFixed(4)]);

    // the forecast (same seed, same draws) equals Node's
    const f = await page.evaluate(() => window.dosewise.lastForecast);
    const s = new WhatIfSession();
    s.estimate(CASE);
    const nf = s.forecast({ amount: 1000, infusion: 1, interval: 12, count: 4, start: 48 }, { draws: f?.draws });
    expect(f?.times.length).toBe(nf.times.length);
    for (const k of ['ipred', 'lower', 'upper'] as const) nf[k].forEach((v, j) => expect(Math.abs((f?.[k][j] ?? NaN) - v)).toBeLessThanOrEqual(1e-9 * Math.max(1, v)));
    expect(f?.auc24.mode).toBeCloseTo(nf.auc24.mode, 9);
    // the mode curve drawn first is the forecast's mode, and equals Node's session.mode() (to 1e-9)
    const mode = await page.evaluate(() => window.dosewise.lastMode);
    const nm = s.mode({ amount: 1000, infusion: 1, interval: 12, count: 4, start: 48 });
    expect(Array.from(mode?.times ?? [])).toEqual(Array.from(nf.times));
    nm.ipred.forEach((v, j) => expect(Math.abs((mode?.ipred[j] ?? NaN) - v)).toBeLessThanOrEqual(1e-9 * Math.max(1, v)));
    // in the browser, the same numbers exactly (same fit, same simulation)
    expect(Array.from(mode?.ipred ?? [])).toEqual(Array.from(f?.ipred ?? []));
    expect(mode?.auc24).toBeCloseTo(nf.auc24.mode, 9);
    expect(mode?.trough).toBeCloseTo(nf.trough.mode, 9);
    expect(mode?.peak).toBeCloseTo(nf.peak.mode, 9);

    // the plot: curve, band, target window, the four measured points
    await expect.poll(() => page.locator('#plot svg circle.dw-point').count()).toBe(4);
    expect(await page.locator('#plot svg polygon.dw-band').count()).toBe(1);
    expect(await page.locator('#plot svg rect.dw-target').count()).toBe(1);
  });

  it('a what-if dose change redraws the mode curve first, then its band, without re-estimating', async () => {
    const before = await curvePoints();
    const estimateBefore = await page.evaluate(() => window.dosewise.lastEstimate);
    const aucBefore = await page.evaluate(() => window.dosewise.lastForecast?.auc24.mode ?? NaN);
    const drawsBefore = await page.evaluate(() => window.dosewise.draws.length);
    const t0 = Date.now();
    await fill('#dose', 1500);
    await page.waitForFunction((old) => document.querySelector('#plot svg polyline.dw-line')?.getAttribute('points') !== old, before, { timeout: 15_000 });
    // the time is reported, not asserted (speed is measured in bench/browser, never in tests)
    console.log(`what-if redraw after a dose change: ${Date.now() - t0} ms`);
    await page.evaluate(() => window.dosewise.settled());
    const after = await curvePoints();
    expect(after).not.toBe(before);
    const t = await page.evaluate(() => window.dosewise.timings);
    console.log(
      `mode curve: ${t.mode?.computeMs.toFixed(2)} ms in the worker, ${t.mode?.totalMs.toFixed(1)} ms input to plot; ` +
        `band: ${t.band?.computeMs.toFixed(1)} ms in the worker, ${t.band?.totalMs.toFixed(1)} ms to plot`,
    );
    // the mode curve was drawn without a band, then the same generation with its band
    const draws = (await page.evaluate(() => window.dosewise.draws)).slice(drawsBefore);
    const last = draws[draws.length - 1];
    expect(last?.band).toBe(true);
    const first = draws.find((d) => d.gen === last?.gen);
    expect(first?.band).toBe(false);
    expect(first?.at).toBeLessThan(last?.at ?? -Infinity);
    expect(await page.locator('#plot svg polygon.dw-band').count()).toBe(1);
    // the band belongs to the curve shown: its mode is the mode curve
    const [m, f] = await page.evaluate(() => [window.dosewise.lastMode, window.dosewise.lastForecast] as const);
    expect(Array.from(f?.ipred ?? [])).toEqual(Array.from(m?.ipred ?? []));
    expect(f?.auc24.mode).toBeCloseTo(m?.auc24 ?? NaN, 9);
    // a linear model: the future doses' share of AUC24 scales by 1.5
    const aucAfter = await page.evaluate(() => window.dosewise.lastForecast?.auc24.mode ?? NaN);
    expect(aucAfter / aucBefore).toBeGreaterThan(1.3);
    expect(aucAfter / aucBefore).toBeLessThan(1.5 + 1e-9);
    // the estimate was not redone
    expect(await page.evaluate(() => window.dosewise.lastEstimate)).toEqual(estimateBefore);

    // interval and infusion changes redraw too
    for (const [sel, v] of [['#interval', 8], ['#infusion', 2]] as const) {
      const old = await curvePoints();
      await fill(sel, v);
      await page.waitForFunction((o) => document.querySelector('#plot svg polyline.dw-line')?.getAttribute('points') !== o, old, { timeout: 1000 });
    }
    await fill('#interval', 12);
    await fill('#infusion', 1);
    await page.evaluate(() => window.dosewise.settled());
  });

  it('keeps only the latest band while the user keeps typing', async () => {
    const before = await page.evaluate(() => ({ ...window.dosewise.bands }));
    const drawsBefore = await page.evaluate(() => window.dosewise.draws.length);
    // a burst of keystrokes faster than the worker answers (one task, so independent of the machine's
    // load): the first posts a mode curve, the rest coalesce into one more; one band, at the end
    const typed = [1100, 1150, 1200, 1250, 1300];
    await page.evaluate(async (values) => {
      const dose = document.querySelector('#dose') as HTMLInputElement;
      for (const v of values) {
        dose.value = String(v);
        dose.dispatchEvent(new Event('input', { bubbles: true }));
      }
      await window.dosewise.settled();
    }, typed);
    const mid = await page.evaluate(() => ({ ...window.dosewise.bands }));
    expect(mid.requested - before.requested).toBe(1);
    expect(mid.drawn - before.drawn).toBe(1);
    const draws = (await page.evaluate(() => window.dosewise.draws)).slice(drawsBefore);
    expect(draws.filter((d) => !d.band)).toHaveLength(2);
    expect(draws.filter((d) => d.band)).toHaveLength(1);
    expect(draws[draws.length - 1]?.band).toBe(true);
    expect(await page.evaluate(() => window.dosewise.lastMode?.auc24)).toBeCloseTo(await page.evaluate(() => window.dosewise.lastForecast?.auc24.mode ?? NaN), 9);

    // a change right after a band was posted makes that band stale: skipped by the worker or discarded
    await page.evaluate(async () => {
      const dose = document.querySelector('#dose') as HTMLInputElement;
      const change = (v: number): void => {
        dose.value = String(v);
        dose.dispatchEvent(new Event('input', { bubbles: true }));
      };
      await new Promise<void>((resolve) => {
        window.addEventListener(
          'dosewise:band-start',
          () => {
            change(1500);
            resolve();
          },
          { once: true },
        );
        change(1400);
      });
      await window.dosewise.settled();
    });
    const end = await page.evaluate(() => ({ ...window.dosewise.bands }));
    expect(end.skipped + end.discarded - mid.skipped - mid.discarded).toBe(1);
    expect(end.drawn - mid.drawn).toBe(1);
    // what is shown is the last regimen typed, curve and band
    const [m, f] = await page.evaluate(() => [window.dosewise.lastMode, window.dosewise.lastForecast] as const);
    expect(Array.from(f?.ipred ?? [])).toEqual(Array.from(m?.ipred ?? []));
    const s = new WhatIfSession();
    s.estimate(CASE);
    const nm = s.mode({ amount: 1500, infusion: 1, interval: 12, count: 4, start: 48 });
    expect(m?.auc24).toBeCloseTo(nm.auc24, 9);
    expect(await page.locator('#plot svg polygon.dw-band').count()).toBe(1);
    expect(await page.inputValue('#dose')).toBe('1500');
  });

  it('suggests three regimens ranked by the probability of AUC24 in 400–600', async () => {
    await page.click('#suggest');
    await expect.poll(() => page.locator('#suggestions li').count(), { timeout: 30_000 }).toBe(3);
    const r = await page.evaluate(() => window.dosewise.lastSuggest);
    expect(r?.suggestions).toHaveLength(3);
    const p = r?.suggestions.map((c) => c.probability) ?? [];
    expect(p[0]).toBeGreaterThanOrEqual(p[1] ?? 1);
    expect(p[1]).toBeGreaterThanOrEqual(p[2] ?? 1);
    for (const c of r?.suggestions ?? []) {
      expect(c.dose % 250).toBe(0);
      expect([8, 12, 24]).toContain(c.interval);
    }
    // the same ranking in Node
    const s = new WhatIfSession();
    s.estimate(CASE);
    const n = s.suggest({ lo: 400, hi: 600, infusion: 1 });
    expect(r?.suggestions.map((c) => [c.dose, c.interval])).toEqual(n.suggestions.map((c) => [c.dose, c.interval]));
    // "Try it" applies the best one
    const old = await curvePoints();
    await page.locator('#suggestions li button.apply').first().click();
    await page.waitForFunction((o) => document.querySelector('#plot svg polyline.dw-line')?.getAttribute('points') !== o, old, { timeout: 1000 });
    await page.evaluate(() => window.dosewise.settled());
    expect(await page.inputValue('#dose')).toBe(String(r?.suggestions[0]?.dose));
  });

  it('saves a screenshot of the W-map case without page errors', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, 'whatif.png');
    await page.screenshot({ path: file, fullPage: true });
    expect(existsSync(file)).toBe(true);
    expect(problems).toEqual([]);
  });

  it('opens a model text, compiles its kernel in the browser, and estimates as Node does', async () => {
    const text = readFileSync(join(ROOT, 'examples/user-models/wb-population.model'), 'utf8');
    await page.setInputFiles('#model-file', join(ROOT, 'examples/user-models/wb-population.model'));
    await page.waitForFunction(() => window.dosewise.lastModel?.key === 'user:wb-population.model', null, { timeout: 180_000 });
    const info = await page.evaluate(() => window.dosewise.lastModel);
    expect(info?.etas).toEqual(['ETA_CL', 'ETA_V', 'ETA_KA']);
    expect(await page.inputValue('#model')).toBe('user:wb-population.model');
    const wb: PatientCase = {
      model: 'user:wb-population.model',
      covariates: {},
      doses: { amount: 500, infusion: 0, interval: 12, count: 2, start: 0 },
      levels: [
        { time: 2, conc: 6.1 },
        { time: 11.5, conc: 4.4 },
        { time: 14, conc: 10.2 },
        { time: 23.5, conc: 6.9 },
      ],
    };
    await fillHistory(wb);
    await page.click('#estimate');
    await page.evaluate(() => window.dosewise.settled());
    const browser = await page.evaluate(() => window.dosewise.lastEstimate);
    expect(browser?.model).toBe('user:wb-population.model');
    expect(browser?.observations).toBe(4);
    const node = estimate(await compileModel(text, { file: 'wb-population.model' }), historyRecords(wb));
    browser?.eta.forEach((e, i) => expect(Math.abs(e - (node.eta[i] as number))).toBeLessThanOrEqual(1e-9));
    console.log(`model text compiled in the browser worker in ${((info?.compileMs ?? NaN) / 1000).toFixed(1)} s; η = ${browser?.eta.map((e) => e.toFixed(6)).join(', ')}`);
    expect(info?.kernelFrom).toBe('compiler');
    expect(problems).toEqual([]);

    // after a reload the compiled module comes from the page's Cache Storage: no compiler download
    await page.reload();
    await page.evaluate(() => window.dosewise.ready);
    const t0 = Date.now();
    await page.setInputFiles('#model-file', join(ROOT, 'examples/user-models/wb-population.model'));
    await page.waitForFunction(() => window.dosewise.lastModel?.key === 'user:wb-population.model', null, { timeout: 60_000 });
    const again = await page.evaluate(() => window.dosewise.lastModel);
    console.log(`after a reload: kernel from ${again?.kernelFrom} in ${again?.compileMs.toFixed(0)} ms (page ${Date.now() - t0} ms)`);
    expect(again?.kernelFrom).toBe('cache');
    expect(again?.compileMs).toBeLessThan(2000);
  }, 240_000);

  it('a mistake in an opened model text is shown with its line and column', async () => {
    const bad = join(tmpdir(), `dosewise-bad-${process.pid}.model`);
    writeFileSync(bad, 'theta K = 0.1, V = 10\ncompartment A\nd/dt(A) = -K * AA\nobserve = A / V\n');
    await page.setInputFiles('#model-file', bad);
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 10_000 }).toMatch(/:3:16: unknown name AA \(did you mean A\?\)/);
    rmSync(bad, { force: true });
  });
});

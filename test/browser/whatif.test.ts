// The what-if tool in a real browser (Debian's chromium through playwright-core): the built page
// loads the WASM engine in its worker, the W-map patient's MAP estimate in the browser equals the
// Node result (1e-9), the forecast equals Node's, a what-if dose change redraws the mode curve first
// and its credible band later (stale bands are skipped or discarded while the user keeps typing),
// the optimizer's suggestion appears, and a screenshot is saved to test/browser/artifacts/. Inputs
// that cannot be used are marked with their message and grey out every result computed from earlier
// inputs; regimens beyond MAX_DOSES are refused at once; long work shows a busy indicator while the
// page stays responsive; a model JSON whose compiled module was swapped is compiled again, not run.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineModel, type TextModelFile } from '../../src/model/model.js';
import { estimate } from '../../src/bayes/estimate.js';
import { MAX_DOSES, historyRecords, type PatientCase } from '../../src/web/case.js';
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

/** A patient for the W-b model text (examples/user-models/wb-population.model). */
const WB_CASE: Omit<PatientCase, 'model'> = {
  covariates: {},
  doses: { amount: 500, infusion: 0, interval: 12, count: 2, start: 0 },
  levels: [
    { time: 2, conc: 6.1 },
    { time: 11.5, conc: 4.4 },
    { time: 14, conc: 10.2 },
    { time: 23.5, conc: 6.9 },
  ],
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

/** Loads the page afresh (default model and inputs) and waits for its first forecast. */
async function freshPage(): Promise<void> {
  await page.goto(server.url);
  await page.evaluate(() => window.dosewise.ready);
}

/** What the page marks out of date, and the message shown beside `selector` (null when none). */
async function staleState(selector: string): Promise<{ estimate: boolean; forecast: boolean; note: boolean; greyed: string[]; invalid: string | null; message: string | null }> {
  await page.evaluate(() => window.dosewise.settled());
  const greyed: string[] = [];
  for (const id of ['eta', 'parameters', 'plot', 'metrics']) {
    // greyed out for the eye, not only by class
    const v = await page.evaluate((i) => {
      const e = document.getElementById(i) as HTMLElement;
      return e.classList.contains('stale') && Number(getComputedStyle(e).opacity) < 0.5;
    }, id);
    if (v) greyed.push(id);
  }
  const stale = await page.evaluate(() => window.dosewise.stale);
  const next = page.locator(`${selector} + .field-error`);
  return {
    ...stale,
    note: await page.locator('#stale-note').isVisible(),
    greyed,
    invalid: await page.locator(selector).getAttribute('aria-invalid'),
    message: (await next.count()) ? await next.textContent() : null,
  };
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

  it('opens a model text at once (its kernel interpreted) and estimates as Node does', async () => {
    const text = readFileSync(join(ROOT, 'examples/user-models/wb-population.model'), 'utf8');
    await page.setInputFiles('#model-file', join(ROOT, 'examples/user-models/wb-population.model'));
    await page.waitForFunction(() => window.dosewise.lastModel?.key === 'user:wb-population.model', null, { timeout: 60_000 });
    const info = await page.evaluate(() => window.dosewise.lastModel);
    expect(info?.etas).toEqual(['ETA_CL', 'ETA_V', 'ETA_KA']);
    expect(info?.kernelFrom).toBe('interpreted');
    expect(info?.compileMs).toBeLessThan(2000);
    expect(await page.inputValue('#model')).toBe('user:wb-population.model');
    const wb: PatientCase = { model: 'user:wb-population.model', ...WB_CASE };
    await fillHistory(wb);
    await page.click('#estimate');
    await page.evaluate(() => window.dosewise.settled());
    const browser = await page.evaluate(() => window.dosewise.lastEstimate);
    expect(browser?.model).toBe('user:wb-population.model');
    expect(browser?.observations).toBe(4);
    // Node's compiled tier: the same kernel compiled by asc
    const node = estimate(await compileModel(text, { file: 'wb-population.model' }), historyRecords(wb));
    browser?.eta.forEach((e, i) => expect(Math.abs(e - (node.eta[i] as number))).toBeLessThanOrEqual(1e-9));
    console.log(`model text ready in the browser worker in ${info?.compileMs.toFixed(0)} ms (interpreted); η = ${browser?.eta.map((e) => e.toFixed(6)).join(', ')}`);
    expect(problems).toEqual([]);
  });

  it('compiles a model text too large to interpret in the browser, and keeps the module for the next visit', async () => {
    const file = join(ROOT, 'examples/user-models/transit.model');
    await page.setInputFiles('#model-file', file);
    await page.waitForFunction(() => window.dosewise.lastModel?.key === 'user:transit.model', null, { timeout: 180_000 });
    const info = await page.evaluate(() => window.dosewise.lastModel);
    console.log(`8-compartment model text compiled in the browser worker in ${((info?.compileMs ?? NaN) / 1000).toFixed(1)} s`);
    expect(info?.kernelFrom).toBe('compiler');
    expect(problems).toEqual([]);

    // after a reload the compiled module comes from the page's Cache Storage: no compiler download
    await page.reload();
    await page.evaluate(() => window.dosewise.ready);
    const t0 = Date.now();
    await page.setInputFiles('#model-file', file);
    await page.waitForFunction(() => window.dosewise.lastModel?.key === 'user:transit.model', null, { timeout: 60_000 });
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

  it('an input error greys out the results computed before, marks them out of date and names the field beside it', async () => {
    await freshPage();
    const estimateBefore = await page.evaluate(() => window.dosewise.lastEstimate);
    const modeBefore = await page.evaluate(() => window.dosewise.lastMode?.ms);
    // the default model (Goti 2018) reads CRCL (mL/min) and WT (kg)
    const cases = [
      ['#cov-CRCL', '-10', /^CRCL: must be > 0 mL\/min \(got -10\)$/, true],
      ['#cov-WT', '0', /^WT: must be > 0 kg \(got 0\)$/, true],
      ['#given-interval', '0', /^Doses given: the interval must be > 0$/, true],
      ['#interval', '0', /^What-if regimen: the interval must be > 0$/, false],
    ] as const;
    for (const [selector, bad, message, estimate] of cases) {
      const good = await page.inputValue(selector);
      await fill(selector, bad);
      const s = await staleState(selector);
      expect(s.message).toMatch(message);
      expect(s.invalid).toBe('true');
      expect(s.note).toBe(true);
      expect(s.forecast).toBe(true);
      expect(s.estimate).toBe(estimate);
      expect(s.greyed).toEqual(estimate ? ['eta', 'parameters', 'plot', 'metrics'] : ['plot', 'metrics']);
      expect(await page.locator('#stale-note').textContent()).toContain(s.message);
      if (selector === '#cov-CRCL') {
        // a what-if change meanwhile computes nothing from the old estimate: still out of date
        await fill('#dose', 1200);
        const again = await staleState(selector);
        expect(again.forecast).toBe(true);
        expect(await page.evaluate(() => window.dosewise.lastMode?.ms)).toBe(modeBefore);
        await fill('#dose', 1000);
      }
      await fill(selector, good);
      const fixed = await staleState(selector);
      expect(fixed).toEqual({ estimate: false, forecast: false, note: false, greyed: [], invalid: null, message: null });
    }
    // the inputs are back: the same estimate as before
    expect((await page.evaluate(() => window.dosewise.lastEstimate))?.eta).toEqual(estimateBefore?.eta);
    expect(problems).toEqual([]);
  });

  it(`refuses regimens of more than ${MAX_DOSES} doses at once; long work shows a busy indicator and the page stays responsive`, async () => {
    await freshPage();
    for (const [selector, estimate] of [['#future-count', false], ['#given-count', true]] as const) {
      const modeBefore = await page.evaluate(() => window.dosewise.lastMode?.ms);
      const t0 = Date.now();
      await fill(selector, 100_000);
      const s = await staleState(selector);
      // refused before any work: no new curve, settled at once
      expect(Date.now() - t0).toBeLessThan(3000);
      expect(await page.evaluate(() => window.dosewise.lastMode?.ms)).toBe(modeBefore);
      expect(s.message).toMatch(/at most 500 doses \(got 100,000\): longer regimens would stall the tool/);
      expect(s.forecast).toBe(true);
      expect(s.estimate).toBe(estimate);
      await fill(selector, selector === '#future-count' ? 6 : 4);
      expect((await staleState(selector)).forecast).toBe(false);
    }
    // the longest regimen allowed: most of a second of work in the worker. The page records, frame
    // by frame, what it shows while the worker computes: how long that takes depends on the
    // machine, so the indicator is required to become visible only when the work outlasts its
    // 0.25 s delay, and every frame gap while busy is the page's responsiveness.
    await page.evaluate(() => {
      const rec = { text: '', aria: '', visible: false, busyMs: 0, maxGap: 0 };
      (window as unknown as { busyRecord: typeof rec }).busyRecord = rec;
      let since = 0;
      let last = performance.now();
      const frame = (): void => {
        const now = performance.now();
        const busy = document.body.hasAttribute('data-busy');
        if (busy) {
          if (!since) {
            since = now;
            rec.text = document.getElementById('busy')?.textContent ?? '';
            rec.aria = document.getElementById('results')?.getAttribute('aria-busy') ?? '';
          }
          rec.maxGap = Math.max(rec.maxGap, now - last);
          if (getComputedStyle(document.getElementById('busy') as HTMLElement).visibility === 'visible') rec.visible = true;
        } else if (since && !rec.busyMs) rec.busyMs = now - since;
        last = now;
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
    await fill('#future-count', MAX_DOSES);
    await page.waitForFunction(() => (window as unknown as { busyRecord: { busyMs: number } }).busyRecord.busyMs > 0, null, { timeout: 30_000 });
    const rec = await page.evaluate(() => (window as unknown as { busyRecord: { text: string; aria: string; visible: boolean; busyMs: number; maxGap: number } }).busyRecord);
    expect(rec.text).toMatch(/…$/);
    expect(rec.aria).toBe('true');
    if (rec.busyMs > 400) expect(rec.visible, `busy for ${rec.busyMs.toFixed(0)} ms`).toBe(true);
    // frames keep coming while the worker computes (0.1–0.4 s gaps measured here under load,
    // redraws included; 1.2 s with 1,000 doses)
    expect(rec.maxGap).toBeLessThan(1000);
    await page.evaluate(() => window.dosewise.settled());
    expect(await page.evaluate(() => window.dosewise.busy)).toBe(false);
    expect(await page.locator('#busy').isVisible()).toBe(false);
    expect(await page.evaluate(() => window.dosewise.lastForecast?.times.length)).toBeGreaterThan(2 * MAX_DOSES);
    expect(await page.evaluate(() => window.dosewise.stale)).toEqual({ estimate: false, forecast: false });
    expect(problems).toEqual([]);
  });

  it('a model JSON whose compiled module was swapped for another model\'s is never run: its text runs instead (interpreted)', async () => {
    const wb = await compileModel(readFileSync(join(ROOT, 'examples/user-models/wb-population.model'), 'utf8'), { file: 'wb-population.model' });
    const transit = await compileModel(readFileSync(join(ROOT, 'examples/user-models/transit.model'), 'utf8'), { file: 'transit.model' });
    const own = wb.file as TextModelFile;
    const other = transit.file as TextModelFile;
    const path = join(tmpdir(), `dosewise-swapped-${process.pid}.json`);
    writeFileSync(path, JSON.stringify({ ...own, kernel: { ...own.kernel, wasm: other.kernel?.wasm } }));
    await freshPage();
    await page.setInputFiles('#model-file', path);
    const key = `user:${basename(path)}`;
    await page.waitForFunction((k) => window.dosewise.lastModel?.key === k, key, { timeout: 180_000 });
    rmSync(path, { force: true });
    const info = await page.evaluate(() => window.dosewise.lastModel);
    expect(info?.refused).toMatch(/^kernel\.wasm does not match kernel\.sha256/);
    expect(await page.locator('#model-note').textContent()).toMatch(/was not used \(kernel\.wasm does not match kernel\.sha256.*runs interpreted instead/);
    expect(info?.kernelFrom).toBe('interpreted');
    await fillHistory({ model: key, ...WB_CASE });
    await page.click('#estimate');
    await page.evaluate(() => window.dosewise.settled());
    const browser = await page.evaluate(() => window.dosewise.lastEstimate);
    expect(browser?.model).toBe(key);
    const node = estimate(wb, historyRecords(WB_CASE));
    browser?.eta.forEach((e, i) => expect(Math.abs(e - (node.eta[i] as number))).toBeLessThanOrEqual(1e-9));
    expect(problems).toEqual([]);
  }, 240_000);
});

// The what-if tool's history in a real browser (Debian's chromium through playwright-core): a chart's
// history entered as it is written — doses given one by one at clock times, one late, one missed and
// one changed, levels at clock times, one of them BLQ — gives the MAP estimate Node gives on the same
// records (1e-9); the hours since the first record are shown beside each clock time; the same rows
// pasted from a spreadsheet give the same estimate; the case saved to a JSON file and reopened in a
// fresh page gives the same estimate again. A screenshot is saved to test/browser/artifacts/.

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineModel } from '../../src/model/model.js';
import { estimate } from '../../src/bayes/estimate.js';
import { historyRecords, type PatientCase } from '../../src/web/case.js';
import { caseFromJson } from '../../src/web/history.js';
import { readNmtran } from '../../src/regimen/nmtran.js';
import { MODEL_FILES } from '../../src/web/models.js';
import wmap from '../../examples/map-wmap.model.json' with { type: 'json' };
import { ARTIFACTS, openTool, type ToolPage } from './tool-page.js';


/** Doses as charted: 08:00, 20:30 (late), the 08:00 dose of the 5th missed, 20:00 with a higher dose. */
const DOSES = [
  { time: '2026-03-04 08:00', amount: 1000, infusion: 1 },
  { time: '2026-03-04T20:30', amount: 1000, infusion: 1 },
  { time: '2026-03-05 20:00', amount: 1250, infusion: 1 },
];
const LEVELS = [
  { time: '2026-03-04 09:30', conc: 27.57698, blq: false },
  { time: '2026-03-04 20:00', conc: 3.437169, blq: false },
  // below the limit of 2 mg/L
  { time: '2026-03-05 09:00', conc: 2, blq: true },
  { time: '2026-03-06 07:30', conc: 7.016984, blq: false },
];
/** The same case in hours since the first dose (08:00 on the 4th). */
const CASE: PatientCase = {
  model: 'map-wmap',
  covariates: {},
  doses: { amount: 1000, infusion: 1, interval: 12, count: 4, start: 0 },
  given: [
    { time: 0, amount: 1000, infusion: 1 },
    { time: 12.5, amount: 1000, infusion: 1 },
    { time: 36, amount: 1250, infusion: 1 },
  ],
  levels: [
    { time: 1.5, conc: 27.57698 },
    { time: 12, conc: 3.437169 },
    { time: 25, conc: 2, blq: true },
    { time: 47.5, conc: 7.016984 },
  ],
};

let tool: ToolPage;
let page: Page;
let problems: string[] = [];

const freshPage = (): Promise<void> => tool.fresh();
const eta = (): Promise<number[]> => tool.eta();

describe.skipIf(process.env.DOSEWISE_BROWSER_TESTS !== '1')('what-if tool: a chart history in chromium', () => {
  const node = (() => {
    let e: number[] | undefined;
    return () => (e ??= [...estimate(defineModel(wmap), historyRecords(CASE)).eta]);
  })();

  beforeAll(async () => {
    tool = await openTool();
    page = tool.page;
    problems = tool.problems;
  });

  afterAll(async () => {
    await tool?.close();
  });

  it('clock-time doses (irregular, missed, changed) and a BLQ level: the page estimates what Node estimates (1e-9), then saves and reopens the case', async () => {
    await freshPage();
    await page.selectOption('#model', 'map-wmap');
    // the series expands into the table (4 doses q12h), which then is the history
    await page.click('#expand-series');
    expect(await page.locator('#given-table tbody tr').count()).toBe(4);
    expect(await page.locator('#given-table tbody tr .dose-time').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value))).toEqual(['0', '12', '24', '36']);
    // the third dose was missed: delete its row; edit the others to the charted clock times
    await page.locator('#given-table tbody tr').nth(2).locator('button.remove').click();
    for (const [i, d] of DOSES.entries()) {
      const row = page.locator('#given-table tbody tr').nth(i);
      await row.locator('.dose-time').fill(d.time);
      await row.locator('.dose-amount').fill(String(d.amount));
      await row.locator('.dose-infusion').fill(String(d.infusion));
    }
    for (const [i, l] of LEVELS.entries()) {
      if ((await page.locator('#levels tbody tr').count()) <= i) await page.click('#add-level');
      const row = page.locator('#levels tbody tr').nth(i);
      await row.locator('.level-time').fill(l.time);
      await row.locator('.level-conc').fill(String(l.conc));
      if (l.blq) await row.locator('.level-blq').check();
    }
    await page.click('#estimate');
    const browser = await eta();
    const est = await page.evaluate(() => window.dosewise.lastEstimate);
    expect(est?.model).toBe('map-wmap');
    expect(est?.observations).toBe(4);
    expect(browser).toHaveLength(2);
    browser.forEach((e, i) => expect(Math.abs(e - (node()[i] as number))).toBeLessThanOrEqual(1e-9));
    // hours since the first dose beside each clock time; the next dose defaults to the last + the what-if interval
    expect(await page.locator('#levels tbody tr .hours').allTextContents()).toEqual(['1.5 h', '12 h', '25 h', '47.5 h']);
    expect(await page.locator('#given-table tbody tr .hours').allTextContents()).toEqual(['0 h', '12.5 h', '36 h']);
    expect(await page.getAttribute('#future-start', 'placeholder')).toBe('auto (48)');
    // the measured points on the plot, and the BLQ level as its own marker at its limit (no measured point)
    await expect.poll(() => page.locator('#plot svg circle.dw-point').count()).toBe(3);
    expect(await page.locator('#plot svg polygon.dw-blq').count()).toBe(1);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'whatif-history.png'), fullPage: true });

    // save: a download made in the page
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-case')]);
    const path = await download.path();
    const saved = readFileSync(path, 'utf8');
    expect(saved).toBe(await page.evaluate(() => window.dosewise.lastSaved));
    const form = caseFromJson(saved);
    expect(form.model).toBe('map-wmap');
    expect(form.doses.map((d) => d.time)).toEqual(DOSES.map((d) => d.time));
    expect(form.levels.map((l) => l.blq)).toEqual([false, false, true, false]);

    // reopen in a fresh page (default model and inputs): the same case, the same estimate
    await freshPage();
    expect(await page.evaluate(() => window.dosewise.lastEstimate?.model)).not.toBe('map-wmap');
    await page.setInputFiles('#case-file', path);
    await expect.poll(() => page.evaluate(() => window.dosewise.lastEstimate?.model), { timeout: 15_000 }).toBe('map-wmap');
    expect(await eta()).toEqual(browser);
    expect(await page.inputValue('#model')).toBe('map-wmap');
    expect(await page.locator('#given-table tbody tr').count()).toBe(3);
    expect(await page.locator('#levels tbody tr .level-blq').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).checked))).toEqual([false, false, true, false]);
    expect(problems).toEqual([]);
  });

  it('rows pasted from a spreadsheet fill the tables and give the same estimate; a bad cell is named by row and column', async () => {
    await freshPage();
    await page.selectOption('#model', 'map-wmap');
    await page.click('#paste summary');
    const rows = [
      'time\tdose\tduration\tlevel\tblq',
      ...DOSES.map((d) => `${d.time}\t${d.amount}\t${d.infusion}\t\t`),
      ...LEVELS.map((l) => `${l.time}\t\t\t${l.conc}\t${l.blq ? 1 : 0}`),
    ].join('\n');
    await page.fill('#paste-rows', rows.replace('\t1250\t', '\t12x0\t'));
    await page.click('#paste-apply');
    await expect.poll(() => page.locator('#paste-status').textContent()).toMatch(/row 3, column dose: not a number/);
    await page.fill('#paste-rows', rows);
    await page.click('#paste-apply');
    expect(await page.locator('#paste-status').textContent()).toMatch(/3 doses and 4 levels read/);
    expect(await page.locator('#given-table tbody tr').count()).toBe(3);
    await page.click('#estimate');
    const browser = await eta();
    browser.forEach((e, i) => expect(Math.abs(e - (node()[i] as number))).toBeLessThanOrEqual(1e-9));
    expect(problems).toEqual([]);
  });

  it("an NM-TRAN set fills the model's covariates and gives estimate() of the set; a covariate that changes is refused", async () => {
    await freshPage();
    await page.selectOption('#model', 'vancomycin_goti_2018');
    await page.click('#paste summary');
    const set = ['ID,TIME,EVID,AMT,RATE,CMT,DV,MDV,CRCL,WT,DIAL', '1,0,1,1000,1000,1,.,1,55,82,0', '1,11.5,0,.,.,1,9.8,0,55,82,0', '1,12,1,1000,1000,1,.,1,55,82,0', '1,24,0,.,.,.,14.2,0,55,82,0', '1,24,1,1250,625,0,.,1,55,82,0'].join('\n');
    await page.fill('#paste-rows', set.replace('1,24,0,.,.,.,14.2,0,55,', '1,24,0,.,.,.,14.2,0,40,'));
    await page.click('#paste-apply');
    await expect.poll(() => page.locator('#paste-status').textContent()).toMatch(/row 4, column CRCL: CRCL changes over the records \(row 1: 55\)/);
    await page.fill('#paste-rows', set);
    await page.click('#paste-apply');
    expect(await page.locator('#paste-status').textContent()).toMatch(/3 doses and 2 levels; covariates CRCL 55, WT 82, DIAL 0 read/);
    expect([await page.inputValue('#cov-CRCL'), await page.inputValue('#cov-WT'), await page.inputValue('#cov-DIAL')]).toEqual(['55', '82', '0']);
    await page.click('#estimate');
    const browser = await eta();
    const ref = estimate(defineModel(MODEL_FILES.vancomycin_goti_2018), readNmtran(set).records).eta;
    browser.forEach((e, i) => expect(Math.abs(e - (ref[i] as number))).toBeLessThanOrEqual(1e-9));
    expect(problems).toEqual([]);
  });
});

// The explanation beside a forecast or an advice: typical against individual parameters, how far
// the levels moved each η (posterior SD, shrinkage), fitted against measured levels, and covariates
// outside the ranges a model states. Numbers checked against their definitions.

import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { covariateRangeWarnings, explanationSection } from '../../../src/cli/explain.js';
import { cli } from './run-cli.js';

const fmt = (v: number): string => String(Number(v.toPrecision(6)));
const wmapJson = JSON.parse(readFileSync('examples/map-wmap.model.json', 'utf8'));
const records = readNmtran(readFileSync('examples/map-patient.csv', 'utf8')).records;

describe('explanation of an estimate', () => {
  it('sets individual parameters against the typical ones and gives each η its shrinkage', () => {
    const model = defineModel(wmapJson);
    const fit = estimate(model, records);
    const s = explanationSection(model, 1, records, fit);
    const html = s.table as string;
    // CL = 4·exp(ETA_CL): typical 4, individual 4·e^η
    const cl = 4 * Math.exp(fit.eta[0] as number);
    expect(html).toContain(`<td>CL</td><td class="num">4</td><td class="num">${fmt(cl)}</td><td class="num">${fmt((100 * (cl - 4)) / 4)}%</td>`);
    // shrinkage 1 − √(1 − SD²/ω²), posterior SD from the estimate's covariance (it read 1 − SD/ω: 79 %
    // for an η the levels pinned down, under a caption that read near 100 % as "told little")
    const sd = Math.sqrt((fit.covariance?.[0] as number[])[0] as number);
    const shr = 1 - Math.sqrt(1 - sd ** 2 / 0.1);
    expect(shr).toBeLessThan(0.2);
    expect(html).toContain(`<td>ETA_CL</td><td class="num">${fmt(Math.sqrt(0.1))}</td><td class="num">${fmt(fit.eta[0] as number)}</td><td class="num">${fmt(sd)}</td><td class="num">${fmt(100 * shr)}%</td>`);
    // each measured level with its fit and IWRES
    const iw = records.findIndex((r) => r.EVID === 0);
    expect(html).toContain(`<td class="num">${fmt(records[iw]?.DV as number)}</td><td class="num">${fmt(fit.ipred[iw] as number)}</td>`);
    expect(s.text).toContain('states no covariate ranges');
  });

  it('a level before the first dose tells nothing: shrinkage 100 % for every η', () => {
    const model = defineModel(wmapJson);
    const early = readNmtran('ID,TIME,EVID,AMT,RATE,DV,MDV\n1,0,0,0,0,0.5,0\n1,1,1,1000,1000,.,1\n').records;
    const fit = estimate(model, early);
    const html = explanationSection(model, 1, early, fit).table as string;
    expect(html).toContain(`<td>ETA_CL</td><td class="num">${fmt(Math.sqrt(0.1))}</td><td class="num">0</td><td class="num">${fmt(Math.sqrt(0.1))}</td><td class="num">100%</td>`);
  });

  it('flags covariates outside the ranges the model states, in the report and on stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dosewise-explain-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const ranged = { ...wmapJson, name: 'W-map with WT', covariates: { WT: { unit: 'kg', range: [40, 120] } }, parameters: { ...wmapJson.parameters, CL: '4*exp(ETA_CL)*(WT/70)^0.75' } };
    const model = defineModel(ranged);
    const heavy = readNmtran(readFileSync('examples/map-patient.csv', 'utf8').replace(/^(ID.*)$/m, '$1,WT').replace(/\n(\d.*)/g, '\n$1,150')).records;
    expect(covariateRangeWarnings(model, heavy)).toEqual([`WT 150 (row 1 and ${heavy.length - 1} more) lies outside 40–120, the range the model was built on: an extrapolation`]);
    expect(covariateRangeWarnings(model, heavy.map((r) => ({ ...r, items: { ...r.items, WT: 80 } })))).toEqual([]);
    const m = join(dir, 'm.json');
    const d = join(dir, 'd.csv');
    writeFileSync(m, JSON.stringify(ranged));
    writeFileSync(d, readFileSync('examples/map-patient.csv', 'utf8').replace(/^(ID.*)$/m, '$1,WT').replace(/\n(\d.*)/g, '\n$1,150'));
    const r = await cli(['forecast', '--model', m, '--data', d, '--regimen', 'examples/map-future.json', '--draws', '200', '--report', join(dir, 'rep')]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/ID 1: WT 150 .* lies outside 40–120/);
    const html = readFileSync(join(dir, 'rep', 'report.html'), 'utf8');
    expect(html).toContain('ID 1: why this estimate');
    expect(html).toContain('Covariate ranges of the model: WT 40–120');
    expect(() => defineModel({ ...ranged, covariates: { WT: { range: [120, 40] } } })).toThrow(/covariates.WT.range/);
  });
});

// W_MODEL_APPROXIMATION (a packaged model whose caveat says it departs from the publication:
// tacrolimus_storset_2014 outputs the plasma concentration where TDM levels are whole blood) was said
// on standard error alone, when the command line loaded the model: not in the library's results
// (simulate(), estimate(), forecast(), nomogram(), optimizeRegimen()), nor in --json warnings. Now
// every one of them carries it, and the command line still says it once on standard error (and so
// in its --report, which keeps the printed warnings).

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { libraryModel } from '../../../src/model/library.js';
import { regimen } from '../../../src/regimen/builder.js';
import { simulate } from '../../../src/engine/simulate.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { forecast } from '../../../src/bayes/forecast.js';
import { nomogram } from '../../../src/design/nomogram/nomogram.js';
import { optimizeRegimen } from '../../../src/design/optimize/optimize.js';
import { cli } from '../cli/run-cli.js';

const tac = libraryModel('tacrolimus_storset_2014');
const goti = libraryModel('vancomycin_goti_2018');
const MESSAGE = "model tacrolimus_storset_2014: APPROXIMATION - whole blood omitted: the published model observes the whole-blood concentration Cwb = Cp + Cp*HCT*418/(3.8 + Cp) (Cp in ug/L; saturable red-blood-cell binding, Bmax 418 ug/L erythrocytes, Kd 3.8 ug/L plasma, HCT = haematocrit fraction); its output is ug/L plasma (dose in mg): levels and targets are read on that scale (the model file's caveat says more)";
const WARNING = `W_MODEL_APPROXIMATION: ${MESSAGE}`;
const items = { WT: 70, HT: 1.75, FEMALE: 0, OCC: 1 };
const recs = regimen().dose({ time: 0, amt: 5, items }).dose({ time: 12, amt: 5, items }).observe({ times: [23.5], items }).records().map((r) => (r.EVID === 0 ? { ...r, DV: 4, MDV: 0 } : r));

describe('W_MODEL_APPROXIMATION in the library\'s results', () => {
  it('simulate(), estimate(), forecast(), nomogram() and optimizeRegimen() carry it, once', () => {
    expect(simulate(tac, recs).warnings.filter((w) => w.startsWith('W_MODEL_APPROXIMATION'))).toEqual([WARNING]);
    const fit = estimate(tac, recs);
    expect(fit.warnings.filter((w) => w.code === 'W_MODEL_APPROXIMATION')).toEqual([{ code: 'W_MODEL_APPROXIMATION', message: MESSAGE }]);
    const future = regimen().dose({ time: 24, amt: 5, ii: 12, addl: 1, items }).observe({ times: [47.5], items }).records();
    expect(forecast(tac, recs, fit, future, { draws: 20 }).warnings.filter((w) => w.startsWith('W_MODEL_APPROXIMATION'))).toEqual([WARNING]);
    const n = nomogram(tac, { target: { metric: 'trough', value: 8 }, intervals: [12], grid: [{ name: 'WT', values: [60, 80] }], fixed: { HT: 1.75, FEMALE: 0 } });
    expect((n.warnings ?? []).filter((w) => w.startsWith('W_MODEL_APPROXIMATION'))).toEqual([WARNING]);
    const o = optimizeRegimen(tac, recs, { target: 'trough:5:15', doses: [2, 4], intervals: [12], draws: 20 }, fit);
    expect(o.warnings.filter((w) => w.code === 'W_MODEL_APPROXIMATION')).toHaveLength(1);
  });

  it('a model without such a caveat says nothing of it', () => {
    const r = regimen().dose({ time: 0, amt: 1000, dur: 1, items: { WT: 70, CRCL: 80, DIAL: 0 } }).observe({ times: [2], items: { WT: 70, CRCL: 80, DIAL: 0 } }).records();
    expect(simulate(goti, r).warnings.join('\n')).not.toContain('W_MODEL_APPROXIMATION');
  });
});

describe('W_MODEL_APPROXIMATION on the command line', () => {
  it('once on standard error, and in the --json warnings of estimate, forecast, optimize and nomogram, and in the report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dosewise-approx-'));
    try {
      const data = join(dir, 'tac.csv');
      writeFileSync(data, 'ID,TIME,EVID,AMT,DV,MDV,WT,HT,FEMALE,OCC\n1,0,1,5,.,1,70,1.75,0,1\n1,12,1,5,.,1,70,1.75,0,1\n1,23.5,0,0,4,0,70,1.75,0,1\n');
      const future = join(dir, 'future.json');
      writeFileSync(future, JSON.stringify({ doses: [{ time: 24, amt: 5, ii: 12, addl: 1 }], observe: [{ times: [47.5] }] }));
      const report = join(dir, 'report');
      const runs: Record<string, string[]> = {
        simulate: ['simulate', '--model', 'tacrolimus_storset_2014', '--data', data],
        estimate: ['estimate', '--model', 'tacrolimus_storset_2014', '--data', data, '--json'],
        forecast: ['forecast', '--model', 'tacrolimus_storset_2014', '--data', data, '--regimen', future, '--draws', '20', '--json'],
        optimize: ['optimize', '--model', 'tacrolimus_storset_2014', '--data', data, '--target', 'trough:5:15', '--doses', '2,4', '--intervals', '12', '--draws', '20', '--json'],
        nomogram: ['nomogram', '--model', 'tacrolimus_storset_2014', '--target', 'trough=8', '--interval', '12', '--grid', 'WT=60,80', '--set', 'HT=1.75', '--set', 'FEMALE=0', '--json', '--report', report],
      };
      for (const [name, args] of Object.entries(runs)) {
        const r = await cli(args);
        expect(r.code, `${name}: ${r.err}`).toBe(0);
        expect(r.err.split('\n').filter((l) => l.includes('W_MODEL_APPROXIMATION')), name).toEqual([`dosewise: warning: ${WARNING}`]);
        if (name === 'simulate') continue;
        const json = JSON.parse(r.out) as unknown;
        const warnings = (Array.isArray(json) ? (json[0] as { warnings: unknown[] }).warnings : (json as { warnings: unknown[] }).warnings).map((w) => (typeof w === 'string' ? w : `${(w as { code: string }).code}: ${(w as { message: string }).message}`));
        expect(warnings.filter((w) => w.includes('W_MODEL_APPROXIMATION')), name).toEqual([WARNING]);
      }
      expect(readFileSync(join(report, 'report.html'), 'utf8')).toContain('W_MODEL_APPROXIMATION');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

// A forecast whose observation grid ends at or before the future regimen's first dose judged the
// metrics of the last interval on the history and printed them as the forecast, without a word: the
// README's map-future.json (1000 mg over 1 h q12h from 48 h, 4 doses) observed on 24–48 h, or with
// "step": 1e6 (the grid is the single time 48), gave auc24 24–48 h 336.21, cmax and trough 36–48 h
// (39.159, 6.785), none of the four future doses in the profile, exit 0 and no warning, where a grid
// ending 2 h into the first future interval (to 50) gets W_EARLIER_INTERVAL. The numbers stay the
// history's interval (a window the user can give); they are now said to be the history's,
// W_EARLIER_INTERVAL naming the first future dose and the time to observe up to (60 h).

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { parseRegimenJson } from '../../../src/regimen/file.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { forecast } from '../../../src/bayes/forecast.js';
import { cli } from '../cli/run-cli.js';

const model = defineModel(JSON.parse(readFileSync('examples/map-wmap.model.json', 'utf8')) as object);
const history = readNmtran(readFileSync('examples/map-patient.csv', 'utf8')).records;
const dose = { time: 48, amt: 1000, dur: 1, addl: 3, ii: 12 };
const earlier = (ws: readonly string[]) => ws.filter((w) => w.startsWith('W_EARLIER_INTERVAL'));

const dir = mkdtempSync(join(tmpdir(), 'dosewise-grid-before-plan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('forecast: a grid that ends at or before the future regimen’s first dose', () => {
  const fit = estimate(model, history);
  const run = (grid: object, doses: object[] = [dose]) => forecast(model, history, fit, parseRegimenJson({ doses, observe: [{ grid }] }), { draws: 10, metrics: ['auc24', 'cmax', 'trough'] });

  it('grid 24–48 h, the plan from 48 h: W_EARLIER_INTERVAL says the metrics are the history’s 36–48 h and to observe up to 60 h', () => {
    const f = run({ from: 24, to: 48, step: 1 });
    const w = earlier(f.warnings);
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/^W_EARLIER_INTERVAL: future regimen: the observation grid ends at 48 h, at the future regimen's first dose \(48 h\), so cmax, trough are judged on the interval 36–48 h of the history, not on the future regimen, and auc24 on the 24 h that end with it, 24–48 h; to judge the dose at 48 h, observe up to 60 h/);
  });

  it('a step longer than the span (the single time 48), and a grid ending before the plan, are said the same way', () => {
    expect(earlier(run({ from: 48, to: 96, step: 1e6 }).warnings)[0]).toMatch(/grid ends at 48 h, at the future regimen's first dose \(48 h\), so cmax, trough are judged on the interval 36–48 h of the history, not on the future regimen, and auc24 on the 24 h that end with it, 24–48 h/);
    expect(earlier(run({ from: 24, to: 40, step: 1 }).warnings)[0]).toMatch(/grid ends at 40 h, before the future regimen's first dose \(48 h\), so cmax, trough are judged on the interval 24–36 h of the history, not on the future regimen, and auc24 on the 24 h that end with it, 12–36 h.*observe up to 60 h/);
    // a plan dose without II: the next plan dose ends its interval
    expect(earlier(run({ from: 24, to: 48, step: 1 }, [{ time: 48, amt: 1000, dur: 1 }, { time: 72, amt: 1000, dur: 1 }]).warnings)[0]).toMatch(/observe up to 72 h/);
  });

  it('unchanged: a grid over the plan’s interval has none; one ending inside it keeps its own W_EARLIER_INTERVAL; a window of the user’s has none', () => {
    expect(earlier(run({ from: 48, to: 96, step: 1 }).warnings)).toEqual([]);
    const inside = earlier(run({ from: 24, to: 50, step: 1 }).warnings);
    expect(inside).toHaveLength(1);
    expect(inside[0]).toMatch(/inside the interval of the dose at 48 h \(48–60 h\)/);
    const own = forecast(model, history, fit, parseRegimenJson({ doses: [dose], observe: [{ grid: { from: 24, to: 48, step: 1 } }] }), { draws: 10, metrics: ['auc:24:48'] });
    expect(earlier(own.warnings)).toEqual([]);
  });

  it('the command line prints it (the default metrics, exit 0)', async () => {
    const p = join(dir, 'grid.json');
    writeFileSync(p, JSON.stringify({ doses: [dose], observe: [{ grid: { from: 24, to: 48, step: 1 } }] }));
    const r = await cli(['forecast', '--model', 'examples/map-wmap.model.json', '--data', 'examples/map-patient.csv', '--regimen', p, '--draws', '20']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/W_EARLIER_INTERVAL: future regimen: the observation grid ends at 48 h, at the future regimen's first dose \(48 h\)/);
    expect(r.out).toMatch(/auc24 +24-48 /);
  }, 60_000);
});

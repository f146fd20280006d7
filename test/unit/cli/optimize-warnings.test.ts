// A regimen ranking rests on the patient's MAP estimate, so the estimate's level warnings (a level
// before the first dose, an implausible level) are shown with it, as `dosewise estimate` shows
// them: on stderr naming the file, ID and row, in --json as `warnings`, and in the web tool's
// suggestion.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';
import { WhatIfSession } from '../../../src/web/session.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-optimize-warn-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// row 1: 30 mg/L before any dose (uninformative); then the example patient's first dose and levels
const data = join(tmp, 'patient.csv');
writeFileSync(data, ['ID,TIME,EVID,AMT,RATE,DV,MDV', '1,0,0,.,.,30,0', '1,0,1,1000,1000,.,1', '1,1.5,0,.,.,27.57698,0', '1,11.5,0,.,.,3.437169,0'].join('\n') + '\n');
const opt = ['optimize', '--model', 'examples/map-wmap.model.json', '--data', data, '--target', 'auc24:400:600', '--doses', '500:1500:500', '--intervals', '12', '--draws', '50', '--no-progress'];

describe('optimize shows the level warnings of its MAP estimate', () => {
  it('--json: a warnings array per ID; stderr names the file, ID and row', async () => {
    const r = await cli([...opt, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as { id: number; warnings: { code: string; row: number }[] }[];
    expect(out[0]?.warnings.map((w) => [w.code, w.row])).toEqual([['W_LEVEL_UNINFORMATIVE', 1]]);
    expect(r.err).toContain(`dosewise: warning: ${data}, ID 1, W_LEVEL_UNINFORMATIVE: row 1 (TIME 0, DV 30): the level carries no information`);
  });

  it('text output: the count on the ID line, the messages on stderr', async () => {
    const r = await cli(opt);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ID 1: .* — 1 warning \(stderr\)$/m);
    expect(r.err).toMatch(/ID 1, W_LEVEL_UNINFORMATIVE: row 1 .*no information/);
  });

  it('the example patient (informative levels) gives none', async () => {
    const r = await cli(['optimize', '--model', 'examples/map-wmap.model.json', '--data', 'examples/map-patient.csv', '--target', 'auc24:400:600', '--doses', '500:1500:500', '--intervals', '12', '--draws', '50', '--json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as { warnings: unknown[] }[])[0]?.warnings).toEqual([]);
    expect(r.err).not.toMatch(/warning/);
  });
});

describe('the web tool: suggestions carry the warnings of the estimate they rest on', () => {
  const model = {
    dosewise: 2,
    name: 'suggest warnings',
    structure: '1cmt-iv',
    theta: { TVCL: { value: 4 }, TVV: { value: 40 } },
    parameters: { CL: { expr: 'TVCL * exp(ETA_CL)' }, V: { expr: 'TVV * exp(ETA_V)' } },
    omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.1, 0.1] },
    observe: { compartment: 1 },
    residual: { model: 'proportional', proportional: 0.1 },
  };

  it('a level 1000 h after the only dose: W_LEVEL_UNINFORMATIVE in the suggestion', () => {
    const s = new WhatIfSession();
    s.addModel('m', model);
    const e = s.estimate({ model: 'm', covariates: {}, doses: { amount: 1000, infusion: 1, interval: 12, count: 1, start: 0 }, levels: [{ time: 1000, conc: 5 }] });
    // the level pulls η_CL past 4 prior SDs too (W_ETA_FAR)
    expect(e.warnings.map((w) => w.code)).toEqual(['W_LEVEL_UNINFORMATIVE', 'W_ETA_FAR']);
    const r = s.suggest({ lo: 400, hi: 600, infusion: 1, draws: 50 });
    expect(r.warnings.map((w) => [w.code, w.time])).toEqual([['W_LEVEL_UNINFORMATIVE', 1000], ['W_ETA_FAR', undefined]]);
  });
});

// forecast --regimen CSV with clock times: the future is placed on the patient's clock (hours since
// the history's first record), not on its own (where tomorrow's 08:00 dose fell on the first dose).

import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dosewise-forecast-clock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const model = file('m.json', JSON.stringify({ dosewise: 2, name: 'one-cmt', structure: { kind: 'linear', compartments: 1, depot: false }, parameters: { CL: '4*exp(ETA_CL)', V: '30*exp(ETA_V)' }, omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.1, 0.1] }, residual: { model: 'proportional', proportional: 0.1 } }));

/** 1-cmt, CL 4 L/h, V 30 L: 1000 mg over 2 h at 0 h and at 24 h, the concentration at t (closed form). */
function closedForm(t: number): number {
  const k = 4 / 30;
  const one = (s: number): number => (s <= 0 ? 0 : s <= 2 ? (500 / 4) * (1 - Math.exp(-k * s)) : (500 / 4) * (1 - Math.exp(-2 * k)) * Math.exp(-k * (s - 2)));
  return one(t) + one(t - 24);
}

describe('forecast --regimen with clock times', () => {
  it("counts the future's clock times from the patient's first record", async () => {
    const history = file('h.csv', 'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV\n1,2026-03-04,08:00,1,1000,500,.,1\n');
    const future = file('f.csv', 'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV\n1,2026-03-05,08:00,1,1000,500,.,1\n1,2026-03-05,10:00,0,.,.,.,1\n1,2026-03-05,20:00,0,.,.,.,1\n');
    const r = await cli(['forecast', '--model', model, '--data', history, '--regimen', future, '--draws', '100', '--json']);
    expect(r.code, r.err).toBe(0);
    const [f] = JSON.parse(r.out) as { times: number[]; ipred: number[] }[];
    expect(f?.times).toEqual([26, 36]);
    // no levels: the prior mode, η = 0
    f?.ipred.forEach((c, i) => expect(Math.abs(c / closedForm(f.times[i] as number) - 1)).toBeLessThan(1e-9));
  });

  it('refuses clock times on one side only', async () => {
    const hours = file('h2.csv', 'ID,TIME,EVID,AMT,RATE,DV,MDV\n1,0,1,1000,500,.,1\n');
    const future = file('f2.csv', 'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV\n1,2026-03-05,08:00,1,1000,500,.,1\n1,2026-03-05,10:00,0,.,.,.,1\n');
    const r = await cli(['forecast', '--model', model, '--data', hours, '--regimen', future, '--draws', '100']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--regimen .*f2\.csv: its TIME column holds clock times, but .*h2\.csv gives hours/);
  });

  it('refuses clock times without a date against a dated history (they read as day 0, 1970: "a future dose at -492384 h")', async () => {
    const history = file('h3.csv', 'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV\n1,2026-03-04,08:00,1,1000,500,.,1\n');
    const future = file('f3.csv', 'ID,TIME,EVID,AMT,RATE,DV,MDV\n1,08:00,1,1000,500,.,1\n1,10:00,0,.,.,.,1\n');
    const r = await cli(['forecast', '--model', model, '--data', history, '--regimen', future, '--draws', '100']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--regimen .*f3\.csv: its clock times have no date, while those of .*h3\.csv do: give each future dose its date/);
  });
});

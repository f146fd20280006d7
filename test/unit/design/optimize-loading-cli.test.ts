// dosewise optimize --loading/--window through the command line: the window the user gave is judged
// (its start too), a window without a whole maintenance interval after the loading dose is refused
// naming --window, the interval and the loading doses, and the default window works for a long
// interval. Before: --window 0:1512 and 1000:1512 printed the same table; 0:504 with q504h tied every
// maintenance dose; the default 0:48 with q504h exited 2 naming "metric cmax", which nobody asked for.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-loading-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const model = join(tmp, 'tmdd.model.json');
const data = join(tmp, 'patient.csv');
// made-up TMDD antibody (the model tmdd_longhl): KEL 0.001/h, KD 0.1 nmol/L, R0 1 nmol/L
writeFileSync(
  model,
  JSON.stringify({
    dosewise: 2,
    name: 'tmdd_longhl',
    structure: 'tmdd',
    parameters: { V: 3, KEL: '0.001*exp(ETA_KEL)', KON: 0.5, KOFF: 0.05, KINT: 0.04, KDEG: 0.02, KSYN: 'R0 * KDEG' },
    covariates: { R0: { default: 1 } },
    omega: { etas: ['ETA_KEL'], matrix: [[1e-10]] },
    residual: { model: 'proportional', proportional: 0.1 },
  }),
);
writeFileSync(data, 'ID,TIME,EVID,AMT,CMT,DV,MDV,R0\n1,0,2,.,1,.,1,1\n');
const base = ['optimize', '--model', model, '--data', data, '--target', 'kd=0.1/occupancy:0.9', '--intervals', '504', '--draws', '8', '--no-progress'];

describe('dosewise optimize --loading --window', () => {
  it('judges the window from its start: 0:1512 and 1000:1512 differ for 42 nmol q504h without a loading dose', async () => {
    const run = async (w: string) => {
      const r = await cli([...base, '--doses', '10,42', '--loading', '0,200', '--window', w, '--top', '4', '--json']);
      expect(r.code, r.err).toBe(0);
      return JSON.parse(r.out)[0].ranked as { dose: number; loadingDose: number; pta: number }[];
    };
    const pick = (rs: { dose: number; loadingDose: number; pta: number }[]) => rs.map((c) => `${c.dose}/${c.loadingDose}:${c.pta}`).sort();
    // scipy: 42 q504h alone gives troughs 0.7806 at 504 h (< 0.9) and 0.9256 at 1512 h; 10 q504h gives 8.1e-7 at steady state
    expect(pick(await run('0:1512'))).toEqual(['10/0:0', '10/200:0', '42/0:0', '42/200:1']);
    expect(pick(await run('1000:1512'))).toEqual(['10/0:0', '10/200:0', '42/0:1', '42/200:1']);
  });

  it('refuses a window with no whole maintenance interval after the loading dose, naming --window, the interval and the loading doses', async () => {
    const r = await cli([...base, '--doses', '10:30:10', '--loading', '0,50,100', '--window', '0:504']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^dosewise: --window 0:504 with --intervals 504 and --loading 50,100: holds no whole maintenance interval after the loading dose: every 504 h .* the first in it would be 504–1008 h; .*at least 1008 h \(e\.g\. 0:1008\)$/m);
    expect(r.err).not.toMatch(/cmax|\n\s+at /);
  });

  it('the default window covers the loading interval and one maintenance interval (0–1008 h for q504h), not 0–48 h', async () => {
    const r = await cli([...base, '--doses', '40,42', '--loading', '0,200']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).not.toMatch(/cmax/);
    expect(r.out).toMatch(/q504h: 0–504, 504–1008 h of the window 0–1008 h/);
    // 40 q504h: 0.8967 at steady state (scipy), below 0.9 whatever the loading; 42: 0.9453
    // 8 of 8 draws: the 95 % Wilson interval [8/(8 + z²), 1] = [0.676, 1], where it read "100.0±0.0%"
    expect(r.out).toMatch(/\n\s+42\s+504 h\s+0\s+200\s+100\.0% \[67\.6, 100\.0\]\s+100\.0%\s+100\.0%\s+0\.945/);
  });

  it('--report: the table gives the PTA in the window and at steady state, and says what was judged', async () => {
    const dir = join(tmp, 'report');
    const r = await cli([...base, '--doses', '10,42', '--loading', '200', '--report', dir]);
    expect(r.code, r.err).toBe(0);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toMatch(/PTA in the window/);
    expect(html).toMatch(/PTA at steady state/);
    expect(html).toMatch(/q504h: 0–504, 504–1008 h of the window 0–1008 h/);
  });

  it('refuses --window without a loading dose (it was ignored: the regimens were judged at steady state)', async () => {
    const r = await cli([...base, '--doses', '42', '--window', '0:1512']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^dosewise: --window 0:1512: judged only when loading doses are searched \(--loading with a dose > 0\)/);
  });
});

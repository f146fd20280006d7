// A response with a months-long turnover (KOUT 0.00035/h, ~120 days, as red cells) that a drug drives
// below its zero, dosed q2h: d/dt(E) = KIN − KOUT·E − EMAX·C/(EC50 + C), EMAX 1.2·KIN. Its periodic
// state E −13.1873 was refused ("the steady-state solve found a negative amount … none may exist (the
// dose rate exceeding the largest elimination rate)"): the doses repeated from the baseline go below 0
// only after 3,071 cycles, past the 3,000 within which a negative periodic state had to show (KOUT
// 0.0005 q1h: 4,298; 5e-5 q12h: 3,667). In a population (KOUT 0.0006·exp(η), ω² 0.25, q2h) the 15 %
// of subjects with the slowest turnover failed, and the summary over the rest read a mean trough of
// −12.21 for −14.96, p05 −20.19 for −29.97, with exit 0. The approach is geometric (the distance
// shrinks by exp(−KOUT·τ) a cycle), so its limit is extrapolated from the cycles once their ratio is
// steady. References: test/oracle/slow_negative_response_ss.py (DOP853 rtol 1e-12; quadrature over
// 200,000 draws).

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { simulate } from '../../../src/engine/simulate.js';
import { cli } from '../cli/run-cli.js';

const ref = JSON.parse(readFileSync(new URL('../../oracle/slow-negative-response-ss.json', import.meta.url), 'utf8')) as {
  cases: { KOUT: number; tau: number; dose: number; trough: number[]; cyclesBelowZero: number }[];
  population: { TVKOUT: number; mean: number; sd: number; p05: number };
};

// the engine at its default rtol (1e-8) matched the references to within 3.3e-9 relative (dopri5,
// rosenbrock; DOP853 8.1e-13) when this test was written; the population's troughs to 8.3e-13
const TOL = 1e-8;
// rosenbrock is Rodas5P here (the text is smooth and autonomous, rtol 1e-8): the drug 30–100× closer
// than RODAS4 (3.8e-11 for 1.3e-9), the response E 1.8e-8 and 4.2e-8 off for RODAS4's 1.5e-9 and 2.0e-9
// (KOUT 0.00035 q2h, 5e-5 q12h; 2.4e-10 for 1.5e-9 at 0.0005 q1h). Per cycle it is ~1e-11: the
// periodic state multiplies a cycle's error by 1/(1 − e^(−KOUT·τ)), 1,430 and 1,670 here, so no
// method is held to rtol on it, and RODAS4's margin was its own (40× inside rtol per step, as on Claret)
const TOL_ROSENBROCK = 1e-7;
const TOL_POPULATION = 5e-12;

const text = (kout: number): string => `model "slow response below zero"
theta CL = 1, V = 10, KIN = ${100 * kout}, KOUT = ${kout}, EMAX = ${120 * kout}, EC50 = 0.5
compartment A, E
init(E) = KIN / KOUT
d/dt(A) = -CL / V * A
d/dt(E) = KIN - KOUT * E - EMAX * (A/V) / (EC50 + A/V)
observe = E
`;

describe('a negative periodic state the doses reach only after thousands of cycles', () => {
  for (const c of ref.cases)
    it(`KOUT ${c.KOUT} q${c.tau}h (below 0 after ${Math.round(c.cyclesBelowZero)} cycles): the periodic state`, () => {
      const data = `ID,TIME,EVID,AMT,CMT,II,SS,MDV\n1,0,1,${c.dose},1,${c.tau},1,1\n1,${c.tau},0,0,2,0,0,0\n`;
      const model = defineModel({ dosewise: 'text', text: text(c.KOUT) });
      for (const method of ['auto', 'dop853', 'dopri5', 'rosenbrock'] as const) {
        const a = simulate(model, readNmtran(data, { file: 'slow.csv' }).records, { method }).amounts as Float64Array;
        for (let j = 0; j < 2; j++) expect(Math.abs((a[2 + j] as number) - (c.trough[j] as number)) / Math.abs(c.trough[j] as number), `${method} state ${j}`).toBeLessThan(method === 'rosenbrock' ? TOL_ROSENBROCK : TOL);
      }
    });
});

// The periodic trough of one subject in closed form given the drug, C(s) = C0·e^(−k·s) after the dose:
// E_ss = ∫₀^τ e^(−KOUT·(τ − s))·(KIN − EMAX·C/(EC50 + C)) ds / (1 − e^(−KOUT·τ)), by Simpson's rule
// (2,000 intervals: the integrand is smooth, its error below 1e-12 relative).
function periodicTrough(kout: number): number {
  const [k, tau, dose, v, ec50, kin, emax] = [0.1, 2, 100 * 2 / 12, 10, 0.5, 0.06, 0.072];
  const c0 = dose / (1 - Math.exp(-k * tau)) / v;
  const f = (s: number): number => {
    const c = c0 * Math.exp(-k * s);
    return Math.exp(-kout * (tau - s)) * (kin - (emax * c) / (ec50 + c));
  };
  const m = 2000;
  const h = tau / m;
  let sum = f(0) + f(tau);
  for (let j = 1; j < m; j++) sum += (j % 2 === 1 ? 4 : 2) * f(j * h);
  return (sum * h) / 3 / (1 - Math.exp(-kout * tau));
}

describe('a population whose slowest subjects take thousands of cycles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dosewise-slow-negative-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    join(dir, 'slow.model'),
    `model "slow pop"
theta CL = 1, V = 10, TVKOUT = ${ref.population.TVKOUT}, EC50 = 0.5
eta ETA_KOUT ~ 0.25
KOUT = TVKOUT * exp(ETA_KOUT)
KIN = 0.06
EMAX = 0.072
compartment A, E
init(E) = KIN / KOUT
d/dt(A) = -CL / V * A
d/dt(E) = KIN - KOUT * E - EMAX * (A/V) / (EC50 + A/V)
observe = E
residual additive 1
`,
  );
  writeFileSync(join(dir, 'q2h.json'), JSON.stringify({ doses: [{ time: 0, amt: 100 * 2 / 12, ii: 2, addl: 11, ss: 1 }], observe: [{ grid: { from: 0, to: 24, step: 0.5 } }] }));

  it('simulates every subject, each at its periodic trough, the mean within sampling error', async () => {
    const n = 2000;
    const out = join(dir, 'out');
    const r = await cli(['population', '--model', join(dir, 'slow.model'), '--regimen', join(dir, 'q2h.json'), '--metric', 'trough', '--n', String(n), '--workers', '0', '--no-progress', '--out', out]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).not.toContain('W_SIMULATION_FAILED');
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { failed: number; metrics: { report: { n: number; mean: number } }[] };
    expect(summary.failed).toBe(0);
    const [head, ...rows] = readFileSync(join(out, 'subjects.csv'), 'utf8').trim().split('\n');
    const cols = (head as string).split(',');
    const [iKout, iTrough] = [cols.indexOf('KOUT'), cols.indexOf('trough')];
    expect(rows.length).toBe(n);
    let worst = 0;
    for (const row of rows) {
      const v = row.split(',');
      const want = periodicTrough(Number(v[iKout]));
      worst = Math.max(worst, Math.abs(Number(v[iTrough]) - want) / Math.abs(want));
    }
    expect(worst).toBeLessThan(TOL_POPULATION);
    const report = summary.metrics[0]?.report as { n: number; mean: number };
    expect(report.n).toBe(n);
    // the whole population's mean, 200,000 draws; four standard errors of a mean of n
    expect(Math.abs(report.mean - ref.population.mean)).toBeLessThan((4 * ref.population.sd) / Math.sqrt(n));
  }, 60_000);
});

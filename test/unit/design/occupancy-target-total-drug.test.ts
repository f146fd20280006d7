// kd=K/ (occupancy fu·C/(KD + fu·C)) and fu=F/ (unbound fu·C) read the level as the free drug
// concentration. A TMDD-QSS model observing total drug (observe.output "concentration") had its
// total trough read as free: 140 nmol q168h at steady state, R0 10, KSS 0.18, read occupancy 0.932
// (total trough 2.4855), PTA 100 % and optimize's first choice, where the free trough is 0.12794
// (occupancy 0.415) and 161.25 nmol are needed (`occupancy` computes it from the free drug). Now
// refused on every path that computes metrics (pta, optimize and its advice from a state,
// population); the same model observing free drug gets scipy's occupancies
// (test/oracle/tmdd_qss_total_occupancy.py). Measured: the free model's SS occupancies within
// 7.4e-7 of scipy (η variance 1e-10).

import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { optimizeRegimen } from '../../../src/design/optimize/optimize.js';
import { cli } from '../cli/run-cli.js';

interface Row { dose: number; free: number; occupancy: number; total: number; occupancyOfTotal: number }
const ref = JSON.parse(readFileSync('test/oracle/tmdd-qss-total-occupancy.json', 'utf8')) as { rows: Row[] };
const at = (dose: number): Row => ref.rows.find((r) => r.dose === dose) as Row;

const dir = mkdtempSync(join(tmpdir(), 'dosewise-qss-total-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const qssFile = (observe: Record<string, unknown>) => ({
  dosewise: 2,
  name: observe.output === 'concentration' ? 'qss-total' : 'qss-free',
  structure: 'tmdd-qss',
  parameters: {
    V: { value: 3, unit: 'L' },
    KEL: { expr: '0.005*exp(ETA_KEL)', unit: '1/h' },
    KINT: { value: 0.04, unit: '1/h' },
    KDEG: { value: 0.02, unit: '1/h' },
    KSYN: { expr: 'R0 * KDEG', unit: 'nmol/L/h' },
    KSS: { value: 0.18, unit: 'nmol/L' },
  },
  covariates: { R0: { unit: 'nmol/L', default: 10 } },
  observe: { unit: 'nmol/L', ...observe },
  omega: { etas: ['ETA_KEL'], matrix: [[1e-10]] },
  residual: { model: 'proportional', proportional: 0.1 },
});
const totalFile = qssFile({ output: 'concentration' });
const total = defineModel(totalFile);
const free = defineModel(qssFile({}));
const patient = readNmtran('ID,TIME,AMT,CMT,EVID,DV,R0\n1,0,.,1,2,.,10\n').records;
const target = 'kd=0.18/occupancy:0.9';
const refused = /metric kd=0\.18\/trough: kd= reads the level as the free drug concentration .*but model qss-total \(tmdd-qss\) observes total drug \(observe\.output "concentration" of state TOTAL.*observe the free concentration with observe\.output "free"/;

const write = (name: string, content: unknown): string => {
  const f = join(dir, name);
  writeFileSync(f, typeof content === 'string' ? content : JSON.stringify(content));
  return f;
};

describe('occupancy and unbound targets on a TMDD-QSS model observing total drug', () => {
  it('optimize: refused on total drug (it ranked 140 first at 100 %, occupancy 0.932); on free drug 165 ranks first, as scipy says', () => {
    const o = { doses: [140, 160, 165], intervals: [168], target, draws: 8, seed: 1, top: 10 };
    expect(() => optimizeRegimen(total, patient, o)).toThrow(refused);
    const r = optimizeRegimen(free, patient, o);
    for (const dose of [140, 160, 165]) {
      const c = r.ranked.find((x) => x.dose === dose);
      const occ = c?.exposure['kd=0.18/trough']?.median as number;
      // measured within 7.4e-7 (140 nmol; 165: 3.2e-7)
      expect(Math.abs(occ - at(dose).occupancy), `${dose}: ${occ}`).toBeLessThan(3e-6);
      expect(c?.pta).toBe(dose === 165 ? 1 : 0);
    }
    expect(r.ranked[0]?.dose).toBe(165);
    expect(at(140).occupancyOfTotal).toBeGreaterThan(0.9);
  });

  it('pta, population and optimize advice from a state: kd= and fu= refused on total drug (exit 2); bare metrics and the free model still run', async () => {
    const model = write('total.model.json', totalFile);
    const cov = write('cov.json', { covariates: { R0: { dist: 'normal', mean: 10, sd: 0.0001 } } });
    const reg = write('reg.json', { doses: [{ time: 0, amt: 140, cmt: 1, ii: 168, ss: 1, addl: 1 }], observe: [{ grid: { from: 0, to: 336, step: 4 } }] });
    const pta = await cli(['pta', '--model', model, '--covariates', cov, '--regimens', reg, '--target', target, '--n', '20', '--seed', '1', '--workers', '0', '--no-progress']);
    expect(pta.code, pta.err).toBe(2);
    expect(pta.err).toMatch(refused);
    expect(pta.out).toBe('');
    const population = (metric: string) => cli(['population', '--model', model, '--covariates', cov, '--regimen', reg, '--n', '20', '--metric', metric, '--workers', '0', '--no-progress']);
    expect((await population('kd=0.18/trough')).err).toMatch(refused);
    const fu = await population('fu=0.5/trough');
    expect(fu.code).toBe(2);
    expect(fu.err).toMatch(/metric fu=0\.5\/trough: fu= reads the level as the free drug concentration/);
    expect((await population('trough')).code).toBe(0);
    const history = write('hist.csv', 'ID,TIME,AMT,CMT,EVID,DV,R0\n1,0,140,1,1,.,10\n1,168,140,1,1,.,10\n');
    const advice = await cli(['optimize', '--model', model, '--data', history, '--from', '336', '--target', target, '--doses', '140,165', '--intervals', '168', '--draws', '20']);
    expect(advice.code, advice.err).toBe(2);
    expect(advice.err).toMatch(refused);
    const freeModel = write('free.model.json', qssFile({}));
    const ok = await cli(['pta', '--model', freeModel, '--covariates', cov, '--regimens', reg, '--target', target, '--n', '20', '--seed', '1', '--workers', '0', '--no-progress']);
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toMatch(/reg\s+140 q168h\s+20\s+0\.0 /);
  });

  it('a full TMDD model observing its receptor state: kd= refused, naming the state', () => {
    const file = JSON.parse(readFileSync('examples/occupancy-tmdd.model.json', 'utf8'));
    const receptor = defineModel({ ...file, observe: { compartment: 2, output: 'concentration', unit: 'nmol/L' } });
    const p = readNmtran('ID,TIME,AMT,CMT,EVID,DV\n1,0,.,1,2,.\n').records;
    expect(() => optimizeRegimen(receptor, p, { doses: [100], intervals: [168], target: 'kd=0.1/occupancy:0.9', draws: 4 })).toThrow(/observes state RECEPTOR \(observe\.compartment 2\), not the drug; observe the free concentration with observe\.compartment 1 \(CENTRAL\)/);
  });
});

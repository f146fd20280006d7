// population with subjects whose simulation failed, and --window METRIC= in any case.
//
// A Michaelis–Menten model (VMAX = 100·exp(η), ω² 0.09; KM 5 mg/L, V 50 L) under a constant
// infusion at steady state, 960 mg over 12 h q12h (R = 80 mg/h): a subject with VMAX ≤ R has no
// steady state (elimination saturates below the dose rate) and fails; one with VMAX > R holds
// C = KM·R/(VMAX − R), so auc24 = 24·KM·R/(VMAX − R) in closed form (the engine matched it to 1.1e-10
// relative on every subject when this test was written; the nearest subject to a window edge is
// 0.6 % from it). Of 400 subjects (seed 5), python3 from the table's ETA_VM: 101 with VMAX ≤ 80
// (22.8 % expected, Φ(ln 0.8 / 0.3)), 94 below, 144 in and 61 above the window 240–960.
// Before: the table said "in 48.2%" (144 of the 299 simulated) with no warning, and --json had no
// warnings and no fraction of all subjects: 36.0 % (144 of 400) were in the window, the PTA pta
// reports (a failed subject counts as not attaining the target).

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checksumHolds } from '../../../src/cli/summary-checksum.js';
import { cli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dosewise-failed-summary-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const model = join(dir, 'mm.json');
writeFileSync(
  model,
  JSON.stringify({
    dosewise: 2,
    name: 'mm saturating',
    structure: 'mm-iv',
    theta: { TVVMAX: { value: 100, unit: 'mg/h' }, TVV: { value: 50, unit: 'L' }, TVKM: { value: 5, unit: 'mg/L' } },
    parameters: {
      VMAX: { expr: 'TVVMAX * exp(ETA_VM)', unit: 'mg/h' },
      V: { expr: 'TVV', unit: 'L' },
      KM: { expr: 'TVKM', unit: 'mg/L' },
    },
    omega: { etas: ['ETA_VM'], diagonal: [0.09] },
    residual: { model: 'proportional', proportional: 0.1 },
    observe: { compartment: 1, unit: 'mg/L' },
  }),
);
const regimen = join(dir, 'infusion.json');
writeFileSync(regimen, JSON.stringify({ doses: [{ time: 0, amt: 960, rate: 80, cmt: 1, ii: 12, ss: 1, addl: 1 }], observe: [{ grid: { from: 0, to: 24, step: 1 } }] }));

const N = 400;
const R = 80;
const KM = 5;
const [LO, HI] = [240, 960];
const base = ['population', '--model', model, '--regimen', regimen, '--n', String(N), '--seed', '5', '--workers', '0', '--no-progress'];

interface Report {
  n: number;
  nonFinite: number;
  fracBelow: number;
  fracIn: number;
  fracAbove: number;
  fracBelowAll: number;
  fracInAll: number;
  fracAboveAll: number;
  fracNoValue: number;
}

/** Closed-form window counts from each subject's ETA_VM in the subject table (failed: VMAX ≤ R). */
function closedForm(table: string): { failed: number; below: number; within: number; above: number } {
  const [head, ...rows] = table.trim().split('\n');
  const j = (head as string).split(',').indexOf('ETA_VM');
  const c = { failed: 0, below: 0, within: 0, above: 0 };
  for (const row of rows) {
    const vmax = 100 * Math.exp(Number(row.split(',')[j]));
    if (vmax <= R) c.failed++;
    else {
      const auc = (24 * KM * R) / (vmax - R);
      if (auc < LO) c.below++;
      else if (auc > HI) c.above++;
      else c.within++;
    }
  }
  return c;
}

describe('population with failed subjects', () => {
  const out = join(dir, 'one');
  let ref: ReturnType<typeof closedForm>;

  it('warns, and gives the window fractions over all subjects beside those over the subjects simulated (--json and summary.json)', async () => {
    const r = await cli([...base, '--metric', 'auc24', '--window', `${LO}:${HI}`, '--out', out, '--json']);
    expect(r.code, r.err).toBe(0);
    ref = closedForm(readFileSync(join(out, 'subjects.csv'), 'utf8'));
    // the sample this comment's numbers were measured on
    expect(ref).toEqual({ failed: 101, below: 94, within: 144, above: 61 });
    const j = JSON.parse(r.out) as { failed: number; warnings: string[]; metrics: { report: Report }[] };
    expect(j.failed).toBe(ref.failed);
    const ok = N - ref.failed;
    const rep = (j.metrics[0] as { report: Report }).report;
    // the existing keys keep their meaning: of the 299 simulated (48.2 % in)
    expect(rep.n).toBe(ok);
    expect(rep.nonFinite).toBe(ref.failed);
    expect(rep.fracIn).toBe(ref.within / ok);
    expect(rep.fracBelow).toBe(ref.below / ok);
    // over all 400, a failed subject in none of the three: 36.0 % in, as pta counts it (was absent)
    expect(rep.fracInAll).toBe(ref.within / N);
    expect(rep.fracBelowAll).toBe(ref.below / N);
    expect(rep.fracAboveAll).toBe(ref.above / N);
    expect(rep.fracNoValue).toBe(ref.failed / N);
    // said on stderr and in --json (before: nothing on either)
    const w = j.warnings.find((x) => x.startsWith('W_SIMULATION_FAILED:'));
    expect(w).toBeDefined();
    expect(w).toMatch(/the simulation of 101 of 400 virtual subjects \(25\.3 %\) failed/);
    expect(w).toMatch(/over the 299 subjects simulated only/);
    expect(w).toMatch(/auc24 36\.0 % \(48\.2 % of those simulated\)/);
    expect(r.err).toContain(`dosewise: warning: ${w}`);
    // summary.json carries the same report (merge recomputes it from the aggregate: see below)
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { metrics: { report: Report }[] };
    expect(checksumHolds(s)).toBe(true);
    expect((s.metrics[0] as { report: Report }).report.fracInAll).toBe(ref.within / N);
  });

  it('prints an in/all column and says which fractions are over whom', async () => {
    const r = await cli([...base, '--metric', 'auc24', '--window', `${LO}:${HI}`]);
    expect(r.code, r.err).toBe(0);
    const lines = r.out.split('\n');
    const head = lines.find((l) => /\bmetric\b/.test(l)) as string;
    expect(head.trim().split(/\s+/)).toEqual(['metric', 'hours', 'n', 'mean', 'sd', 'p05', 'p50', 'p95', 'below', 'in', 'above', 'in/all']);
    const row = (lines.find((l) => l.trim().startsWith('auc24')) as string).trim().split(/\s+/);
    // 94, 144, 61 of the 299 simulated; 144 of all 400
    expect(row.slice(-4)).toEqual(['31.4%', '48.2%', '20.4%', '36.0%']);
    expect(r.out).toContain('below, in, above: of the n subjects with a value; in/all: of all 400 subjects, one without a value (a failed simulation) counted as not in the window');
    expect(r.err).toMatch(/W_SIMULATION_FAILED: the simulation of 101 of 400/);
  });

  it('merges shards to the same fractions over all subjects (merge recomputes the report)', async () => {
    for (const i of [1, 2]) {
      const r = await cli([...base, '--metric', 'auc24', '--window', `${LO}:${HI}`, '--shard', `${i}/2`, '--out', join(dir, `s${i}`), '--no-table']);
      expect(r.code, r.err).toBe(0);
    }
    const m = await cli(['merge', join(dir, 's1'), join(dir, 's2'), '--out', join(dir, 'merged')]);
    expect(m.code, m.err).toBe(0);
    const s = JSON.parse(readFileSync(join(dir, 'merged', 'summary.json'), 'utf8')) as { failed: number; metrics: { report: Report }[] };
    expect(s.failed).toBe(101);
    const rep = (s.metrics[0] as { report: Report }).report;
    expect(rep.fracInAll).toBe(144 / N);
    expect(rep.fracIn).toBe(144 / 299);
    expect(rep.fracNoValue).toBe(101 / N);
  });

  it('without failures: no in/all column, no warning, and the fractions over all equal those over the subjects simulated', async () => {
    // 480 mg over 12 h (R = 40): VMAX ≤ 40 needs η ≤ ln 0.4 (3.05 SD), none of these 400
    const low = join(dir, 'low.json');
    writeFileSync(low, JSON.stringify({ doses: [{ time: 0, amt: 480, rate: 40, cmt: 1, ii: 12, ss: 1, addl: 1 }], observe: [{ grid: { from: 0, to: 24, step: 1 } }] }));
    const args = ['population', '--model', model, '--regimen', low, '--n', String(N), '--seed', '5', '--workers', '0', '--no-progress', '--metric', 'auc24', '--window', '100:400'];
    const t = await cli(args);
    expect(t.code, t.err).toBe(0);
    expect(t.out).not.toContain('in/all');
    expect(t.err).not.toContain('W_SIMULATION_FAILED');
    const j = await cli([...args, '--json']);
    const o = JSON.parse(j.out) as { failed: number; warnings: string[]; metrics: { report: Report }[] };
    expect(o.failed).toBe(0);
    expect(o.warnings).toEqual([]);
    const rep = (o.metrics[0] as { report: Report }).report;
    expect(rep.fracInAll).toBe(rep.fracIn);
    expect(rep.fracNoValue).toBe(0);
  });
});

describe('--window METRIC= in any case', () => {
  it('reads the window of --metric AUC24 given as auc24= (was refused: "no metric named auc24", exit 2)', async () => {
    const upper = await cli([...base, '--metric', 'AUC24', '--window', `auc24=${LO}:${HI}`, '--json']);
    expect(upper.code, upper.err).toBe(0);
    const lower = await cli([...base, '--metric', 'auc24', '--window', `${LO}:${HI}`, '--json']);
    const a = JSON.parse(upper.out) as { metrics: { name: string; window: unknown; report: Report }[] };
    const b = JSON.parse(lower.out) as { metrics: { name: string; window: unknown; report: Report }[] };
    // the column is the canonical name (it kept the spelling given: AUC24), the window that metric's
    expect(a.metrics[0]?.name).toBe('auc24');
    expect(a.metrics[0]?.window).toEqual({ lo: LO, hi: HI });
    expect(a.metrics[0]?.report.fracInAll).toBe(144 / N);
    expect(a.metrics[0]?.report).toEqual(b.metrics[0]?.report);
  });

  it('reads CONC@4= for --metric conc@4, and refuses a window of a metric not asked for', async () => {
    const r = await cli([...base, '--metric', 'conc@4', '--window', 'CONC@4=10:40', '--json']);
    expect(r.code, r.err).toBe(0);
    expect((JSON.parse(r.out) as { metrics: { window: unknown }[] }).metrics[0]?.window).toEqual({ lo: 10, hi: 40 });
    const none = await cli([...base, '--metric', 'conc@4', '--window', 'CMAX=10:40']);
    expect(none.code).toBe(2);
    expect(none.err).toContain('--window CMAX=10:40: no metric named CMAX; add --metric CMAX');
  });

  it('refuses a metric given twice in two cases (a window named either would not say which)', async () => {
    const r = await cli([...base, '--metric', 'AUC24', '--metric', 'auc24', '--window', `auc24=${LO}:${HI}`]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--metric auc24: given twice (as AUC24 before; names are read in any case); give each metric once');
    // one window per metric, whichever case names it
    const twice = await cli([...base, '--metric', 'AUC24', '--window', `auc24=${LO}:${HI}`, '--window', 'AUC24=1:2']);
    expect(twice.code).toBe(2);
    expect(twice.err).toContain(`AUC24 already has the window ${LO}:${HI}`);
  });
});

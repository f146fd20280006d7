// The MAP objective of the common patient runs inside the engine (src/bayes/map-fast.ts,
// assembly/map.ts): its values, its gradient and the whole BFGS run of the local optimizer. Every
// operation is the JavaScript path's, with V8's own exp and log, so the estimates are bitwise the
// JavaScript path's: checked here on simulated W-map patients and on the NONMEM conformance runs
// that take the fast path, with the full report and the Laplace covariance (the Hessian's stencil
// goes through the engine's objective too).

import { afterEach, describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { estimate, type Estimate } from '../../../src/bayes/estimate.js';
import { mapObjective } from '../../../src/bayes/objective.js';
import { mapFastLevel, setMapFastLevel, type MapFastLevel } from '../../../src/bayes/map-fast.js';
import { engine } from '../../../src/engine/load.js';
import { simulatedPatients, WMAP_MODEL } from '../../../bench/w-map.js';
import { loadModel, loadRun, referenceDir, toRecords } from '../../conformance/map/cases.js';
import type { DataRecord } from '../../../src/regimen/record.js';
import type { Model } from '../../../src/model/model.js';

const initial = mapFastLevel();
afterEach(() => void setMapFastLevel(initial));

function at<T>(level: MapFastLevel, f: () => T): T {
  const was = setMapFastLevel(level);
  try {
    return f();
  } finally {
    setMapFastLevel(was);
  }
}

/** Every number of an estimate, with its warnings and report (functions and typed arrays as lists). */
function digest(e: Estimate): string {
  return JSON.stringify(e, (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array, (x) => (Number.isNaN(x) ? 'NaN' : Object.is(x, -0) ? '-0' : x)) : typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}

function samePaths(model: Model, patients: readonly (readonly DataRecord[])[], options: Parameters<typeof estimate>[2] = {}): number {
  let fast = 0;
  for (const records of patients) {
    if (mapObjective(model, records).fast) fast++;
    const js = at('off', () => estimate(model, records, options));
    for (const level of ['batch', 'gradient', 'bfgs'] as const) expect(digest(at(level, () => estimate(model, records, options)))).toBe(digest(js));
  }
  return fast;
}

describe('the MAP objective in the engine', () => {
  it("computes V8's Math.exp and Math.log bit for bit", () => {
    const eng = engine();
    const xs = [0, -0, 1, -1, 0.5, 2, 709.78, 709.79, -745.1, -745.2, 1e-300, 5e-324, 1e-310, 0.34657359, 1.0397, 3.7e-9, Infinity, -Infinity, NaN];
    let s = 12345;
    for (let i = 0; i < 20_000; i++) {
      s = (s * 1103515245 + 12345) % 2 ** 31;
      const u = s / 2 ** 31;
      xs.push((u - 0.5) * 40, u * Math.exp((u - 0.5) * 80));
    }
    for (const x of xs) {
      const [e, l] = eng.mapMath(x);
      expect(Object.is(e, Math.exp(x)) && Object.is(l, Math.log(x)), `x = ${x}`).toBe(true);
    }
  });

  it('gives the W-map patients the JavaScript path’s estimates bit for bit (report, covariance, warnings)', () => {
    const model = defineModel(WMAP_MODEL);
    const patients = simulatedPatients(40);
    expect(samePaths(model, patients)).toBe(40);
    expect(samePaths(model, patients.slice(0, 10), { report: false, covariance: false, global: false })).toBe(10);
  });

  it('keeps the JavaScript path where the patient does not qualify (log-scale error)', () => {
    const model = defineModel({ ...WMAP_MODEL, residual: { model: 'exponential', exponential: 0.1 } });
    const records = simulatedPatients(1)[0] as DataRecord[];
    expect(mapObjective(model, records, { logDv: false }).fast).toBeUndefined();
  });

  const dir = referenceDir();
  it.skipIf(!dir)('gives the NONMEM conformance patients that qualify the JavaScript path’s estimates bit for bit', () => {
    let fast = 0;
    for (const run of ['run001', 'run101', 'run201', 'run401', 'run403', 'run405', 'run407', 'run901']) {
      const model = loadModel(run);
      const file = loadRun(dir as string, run);
      fast += samePaths(model, file.cases.slice(0, 6).map((c) => toRecords(file.data_columns, c.records)), { covarianceMethod: 'expected' });
    }
    expect(fast).toBeGreaterThan(0);
  });
});

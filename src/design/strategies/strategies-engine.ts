// Simulating given subjects at given random effects, for the strategy comparison: the covariates
// come from a virtual population that was generated earlier (runStudy's subject table), the η are
// whatever the caller asks for — 0 (the typical subject at these covariates, what a prescriber can
// predict before any level), the subject's true η, or a MAP estimate η̂. Parameters go through the
// model's slot evaluator and every block of subjects is ONE engine call with the exposure metrics
// computed in WASM, exactly as a population chunk (src/population/chunk.ts) — so a prediction at
// η̂ = η reproduces the population's own metric to the bit.

import { Errors } from '../../errors.js';
import { Status } from '../../abi.js';
import type { Model, SolverMethod } from '../../model/model.js';
import type { DataRecord } from '../../regimen/record.js';
import type { Engine } from '../../engine/wasm.js';
import { preparePlan, simulateSubjects, type PreparedPlan } from '../../population/chunk.js';
import { metricArrays, type MetricDef } from '../../population/metrics.js';
import { populationPlan } from '../pta/pta-plan.js';

/** Subjects per engine call (bounds the WASM memory of the profiles). */
const BLOCK = 4096;

export interface SimulatorInput {
  readonly model: unknown;
  /** The records every subject receives (covariates come from the columns, not from here). */
  readonly records: readonly DataRecord[];
  readonly covariates?: unknown;
  readonly files?: Readonly<Record<string, string>>;
  readonly metrics: readonly MetricDef[];
  readonly method?: SolverMethod;
}

export interface SimulatedMetrics {
  /** count × metrics, row-major (NaN where a subject failed). */
  readonly metrics: Float64Array;
  /** Values of the captured parameters on the first record, one column per name. */
  readonly captured: Readonly<Record<string, Float64Array>>;
  /** Subjects whose parameters were invalid or whose simulation failed. */
  readonly failed: number;
}

/** A prepared regimen: simulates subjects given their covariates and η. */
export class SubjectSimulator {
  readonly pp: PreparedPlan;
  readonly m: number;
  readonly #metricArrays: ReturnType<typeof metricArrays>;

  constructor(o: SimulatorInput) {
    this.pp = preparePlan(populationPlan({ model: o.model, records: o.records, covariates: o.covariates, files: o.files, key: [0, 0], metrics: o.metrics, table: false, method: o.method }));
    this.m = o.metrics.length;
    this.#metricArrays = metricArrays(o.metrics, this.pp.grid.edgeOnly);
  }

  get model(): Model {
    return this.pp.model;
  }

  /**
   * Metrics of subjects 0..count−1. `covariates` holds a column per covariate name of the population
   * (index s = subject s); `eta` is count × η (model.omega order), or undefined for η = 0.
   * `capture` names parameters whose value (first record) is returned per subject.
   */
  run(engine: Engine, covariates: Readonly<Record<string, Float64Array>>, count: number, eta?: Float64Array, capture: readonly string[] = []): SimulatedMetrics {
    const pp = this.pp;
    const nEta = pp.etaNames.length;
    if (eta && eta.length !== count * nEta) throw Errors.engine(`simulator: expected ${count}×${nEta} η values, got ${eta.length}`);
    for (const name of pp.covariateNames)
      if (!covariates[name] || (covariates[name] as Float64Array).length < count) throw Errors.engine(`simulator: covariate column ${name} missing or too short`);
    const metrics = new Float64Array(count * this.m);
    const captured: Record<string, Float64Array> = {};
    for (const c of capture) {
      if (pp.model.slots.slot(c) < 0) throw Errors.option('capture', `the model has no parameter ${c} (parameters: ${pp.model.parameterNames.join(', ')})`);
      captured[c] = new Float64Array(count);
    }
    let failed = 0;
    for (let first = 0; first < count; first += BLOCK) {
      const n = Math.min(BLOCK, count - first);
      failed += this.#block(engine, covariates, first, n, eta, metrics, captured);
    }
    return { metrics, captured, failed };
  }

  #block(engine: Engine, covariates: Readonly<Record<string, Float64Array>>, first: number, n: number, eta: Float64Array | undefined, out: Float64Array, captured: Record<string, Float64Array>): number {
    const pp = this.pp;
    const nEta = pp.etaNames.length;
    const names = Object.keys(captured);
    const sim = simulateSubjects(
      pp,
      engine,
      n,
      {
        cov: pp.covariateNames.map((name) => (covariates[name] as Float64Array).subarray(first, first + n)),
        eta: eta?.subarray(first * nEta, (first + n) * nEta),
      },
      { invalid: 'fail', firstSubject: first, capture: names, metrics: this.#metricArrays },
    );
    for (const c of names) (captured[c] as Float64Array).set(sim.captured[c] as Float64Array, first);
    const m = this.m;
    let failed = 0;
    for (let s = 0; s < n; s++) {
      if (sim.result.status[s] !== Status.Ok) failed++;
      out.set(sim.result.metrics.subarray(s * m, (s + 1) * m), (first + s) * m);
    }
    return failed;
  }
}

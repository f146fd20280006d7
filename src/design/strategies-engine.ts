// Simulating given subjects at given random effects, for the strategy comparison: the covariates
// come from a virtual population that was generated earlier (runStudy's subject table), the η are
// whatever the caller asks for — 0 (the typical subject at these covariates, what a prescriber can
// predict before any level), the subject's true η, or a MAP estimate η̂. Parameters go through the
// model's slot evaluator and every block of subjects is ONE engine call with the exposure metrics
// computed in WASM, exactly as a population chunk (src/population/chunk.ts) — so a prediction at
// η̂ = η reproduces the population's own metric to the bit.

import { Errors } from '../errors.js';
import { PAR_STRIDE, Status } from '../abi.js';
import type { Model, SolverMethod } from '../model/model.js';
import { KIND_CODE } from '../model/structure.js';
import { compileSubject, concatTables, type EventTable } from '../regimen/compile.js';
import type { DataRecord } from '../regimen/record.js';
import type { Engine } from '../engine/wasm.js';
import { preparePlan, type PreparedPlan } from '../population/chunk.js';
import { metricArrays, type MetricDef } from '../population/metrics.js';
import { populationPlan } from './pta-plan.js';

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

type Mods = ReturnType<Model['slots']['modifiers']>;

/** A prepared regimen: simulates subjects given their covariates and η. */
export class SubjectSimulator {
  readonly pp: PreparedPlan;
  readonly m: number;
  readonly #metricArrays: ReturnType<typeof metricArrays>;

  constructor(o: SimulatorInput) {
    this.pp = preparePlan(populationPlan({ model: o.model, records: o.records, covariates: o.covariates, files: o.files, key: [0, 0], metrics: o.metrics, table: false, method: o.method }));
    this.m = o.metrics.length;
    this.#metricArrays = metricArrays(o.metrics);
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
      if (pp.model.slots.slot(c) < 0) throw Errors.cli(`the model has no parameter ${c} (parameters: ${pp.model.parameterNames.join(', ')})`);
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
    const { model, records } = pp;
    const ev = model.slots;
    const G = pp.groupRecord.length;
    const nEta = pp.etaNames.length;
    const nK = pp.kappaNames.length;
    const v = new Float64Array(ev.nSlots);
    const params = new Float64Array(n * G * PAR_STRIDE);
    const covNames = pp.covariateNames;
    const covSlots = covNames.map((name) => ev.slot(name));
    const covCols = covNames.map((name) => covariates[name] as Float64Array);
    const etaSlots = pp.etaNames.map((name) => ev.slot(name));
    const kSlots = pp.kappaNames.map((name) => ev.slot(name));
    const capNames = Object.keys(captured);
    const capSlots = capNames.map((name) => ev.slot(name));
    const groupBase = pp.groupRecord.map((r) => {
      const base = new Float64Array(ev.nSlots);
      ev.inputs.forEach((name, i) => {
        const x = (records[r] as DataRecord).items[name];
        base[ev.slot(name)] = x !== undefined && !Number.isNaN(x) ? x : (ev.defaults[i] as number);
      });
      return base;
    });
    const bad = new Uint8Array(n);
    const perSubject: { evals: Mods[]; kernels: Float64Array }[] = [];
    for (let s = 0; s < n; s++) {
      const i = first + s;
      for (let g = 0; g < G; g++) {
        v.set(groupBase[g] as Float64Array);
        for (let j = 0; j < covSlots.length; j++) if ((covSlots[j] as number) >= 0) v[covSlots[j] as number] = (covCols[j] as Float64Array)[i] as number;
        for (let j = 0; j < nEta; j++) if ((etaSlots[j] as number) >= 0) v[etaSlots[j] as number] = eta ? (eta[i * nEta + j] as number) : 0;
        for (let j = 0; j < nK; j++) if ((kSlots[j] as number) >= 0) v[kSlots[j] as number] = 0;
        const off = (s * G + g) * PAR_STRIDE;
        if (ev.run(v, params, off)) {
          // an invalid parameter set: the subject is reported as failed (NaN), its kernel left as a
          // harmless copy of the typical subject's so the batch still runs
          bad[s] = 1;
          params.fill(0, off, off + PAR_STRIDE);
        }
        if (g === 0) for (let j = 0; j < capSlots.length; j++) (captured[capNames[j] as string] as Float64Array)[i] = bad[s] ? NaN : (v[capSlots[j] as number] as number);
        if (!pp.shared) {
          if (g === 0) perSubject.push({ evals: [], kernels: new Float64Array(G * PAR_STRIDE) });
          const ps = perSubject[s] as { evals: Mods[]; kernels: Float64Array };
          ps.evals.push(ev.modifiers(v));
          ps.kernels.set(params.subarray(off, off + PAR_STRIDE), g * PAR_STRIDE);
        }
      }
    }
    const nRows = records.length;
    let events: EventTable;
    const evStart = new Int32Array(n);
    const evEnd = new Int32Array(n);
    if (pp.shared) {
      events = pp.shared;
      evEnd.fill(events.n);
    } else {
      const tables = perSubject.map((ps) => {
        const evals = records.map((_, r) => {
          const g = pp.groupOf[r] as number;
          return { ...(ps.evals[g] as Mods), kernel: ps.kernels.subarray(g * PAR_STRIDE, (g + 1) * PAR_STRIDE), values: {} };
        });
        return compileSubject(records, evals, { nStates: model.nStates, timeVarying: model.timeVarying, parIndex: pp.groupOf, observedIndex: model.observeCompartment - 1 }).events;
      });
      events = concatTables(tables, evStart, evEnd);
    }
    const parBase = new Int32Array(n);
    const outBase = new Int32Array(n);
    for (let s = 0; s < n; s++) {
      parBase[s] = s * G;
      outBase[s] = s * nRows;
    }
    const res = engine.runWithMetrics(
      {
        kind: KIND_CODE[model.structure.kind],
        ncmt: model.structure.compartments,
        depot: model.structure.depot,
        method: pp.method,
        nStates: model.nStates,
        events,
        evStart,
        evEnd,
        params,
        parBase,
        outBase,
        nOut: n * nRows,
        amounts: false,
        rtol: model.solver.rtol,
        atol: model.solver.atol,
      },
      pp.times,
      this.#metricArrays,
      false,
    );
    const m = this.m;
    let failed = 0;
    for (let s = 0; s < n; s++) {
      if (bad[s] || res.status[s] !== Status.Ok) {
        out.fill(NaN, (first + s) * m, (first + s + 1) * m);
        failed++;
      } else out.set(res.metrics.subarray(s * m, (s + 1) * m), (first + s) * m);
    }
    return failed;
  }
}

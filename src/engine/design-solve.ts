// Solving a data set laid out by design (design-groups.ts). A design with several subjects, one
// parameter set each, of an analytic linear model and without amounts is solved on its own: its
// subjects then share one table from row 0 with one set each, which is what the engine's
// population fast path walks once for all of them (bitwise the per-subject walker's arithmetic).
// Every other subject goes into one call of the per-subject walker, each walking its design's
// rows of the shared events. Outputs land in data order, as the general path writes them.

import { Kind, Method } from '../abi.js';
import type { EventTable } from '../regimen/compile.js';
import type { DesignGroup, DesignLayout } from './design-groups.js';
import { solve, type SolverSetup, type SubjectLayout } from './problem.js';
import type { Engine } from './wasm.js';

export interface DesignSolution {
  /** Status per subject, data order. */
  readonly status: Int32Array;
  /** Observed value per record, data order. */
  readonly obs: Float64Array;
  readonly amounts?: Float64Array;
}

/** Whether the engine's population fast path can take a design solved on its own. */
function sharedEligible(solver: SolverSetup, amounts: boolean, g: DesignGroup): boolean {
  return solver.method === Method.Analytic && (solver.kind === Kind.Linear || solver.kind === Kind.User) && !amounts && g.sets === 1 && g.count >= 2;
}

/** Rows from..to of a table, as views. */
function rowsOf(ev: EventTable, from: number, to: number): EventTable {
  return {
    n: to - from,
    time: ev.time.subarray(from, to),
    type: ev.type.subarray(from, to),
    cmt: ev.cmt.subarray(from, to),
    amt: ev.amt.subarray(from, to),
    rate: ev.rate.subarray(from, to),
    ii: ev.ii.subarray(from, to),
    dur: ev.dur.subarray(from, to),
    phase: ev.phase.subarray(from, to),
    count: ev.count.subarray(from, to),
    par: ev.par.subarray(from, to),
    out: ev.out.subarray(from, to),
  };
}

/** Solves one design's subjects (`members`, data order; undefined: every subject) on its table alone. */
function solveDesign(d: DesignLayout, g: DesignGroup, members: readonly number[] | undefined, solver: SolverSetup, eng: Engine): { obs: Float64Array; status: Int32Array } {
  const m = g.count;
  const { stride, params: all } = d;
  let params: Float64Array;
  // every subject, one set each: the batch's parameter sets in place
  if (members === undefined) params = all.subarray(0, m * stride);
  else {
    params = new Float64Array(m * stride);
    members.forEach((s, i) => params.set(all.subarray((d.parBase[s] as number) * stride, ((d.parBase[s] as number) + 1) * stride), i * stride));
  }
  const evStart = new Int32Array(m);
  const evEnd = new Int32Array(m).fill(g.evEnd - g.evStart);
  const parBase = new Int32Array(m);
  const outBase = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    parBase[i] = i;
    outBase[i] = i * g.nRec;
  }
  const subjects: SubjectLayout = { events: rowsOf(d.events, g.evStart, g.evEnd), evStart, evEnd, params, parBase, outBase, nOut: m * g.nRec };
  const out = solve({ solver, subjects, amounts: false }, eng);
  return { obs: out.obs, status: out.status };
}

/** Solves every subject of the layout; outputs in data order. */
export function solveDesigns(d: DesignLayout, solver: SolverSetup, amounts: boolean, eng: Engine): DesignSolution {
  const nSubj = d.ids.length;
  const status = new Int32Array(nSubj);
  const only = d.designs.length === 1 ? (d.designs[0] as DesignGroup) : undefined;
  // one design holding every subject: its outputs are already in data order
  if (only && sharedEligible(solver, amounts, only)) {
    const r = solveDesign(d, only, undefined, solver, eng);
    return { status: r.status, obs: r.obs };
  }
  const alone = new Map<DesignGroup, number[]>();
  for (const g of d.designs) if (sharedEligible(solver, amounts, g)) alone.set(g, []);
  let obs: Float64Array | undefined;
  let amountsOut: Float64Array | undefined;
  const rest: number[] = [];
  for (let s = 0; s < nSubj; s++) {
    const members = alone.get(d.designs[d.design[s] as number] as DesignGroup);
    if (members) members.push(s);
    else rest.push(s);
  }
  if (rest.length > 0) {
    const m = rest.length;
    const evStart = new Int32Array(m);
    const evEnd = new Int32Array(m);
    const parBase = new Int32Array(m);
    const outBase = new Int32Array(m);
    rest.forEach((s, i) => {
      const g = d.designs[d.design[s] as number] as DesignGroup;
      evStart[i] = g.evStart;
      evEnd[i] = g.evEnd;
      parBase[i] = d.parBase[s] as number;
      outBase[i] = d.base[s] as number;
    });
    // output rows in data order for every subject: those of designs solved alone are filled below
    const subjects: SubjectLayout = { events: d.events, evStart, evEnd, params: d.params, parBase, outBase, nOut: d.nOut };
    const out = solve({ solver, subjects, amounts }, eng);
    rest.forEach((s, i) => (status[s] = out.status[i] as number));
    obs = out.obs;
    amountsOut = out.amounts;
  }
  obs ??= new Float64Array(d.nOut);
  for (const [g, members] of alone) {
    const r = solveDesign(d, g, members, solver, eng);
    members.forEach((s, i) => {
      status[s] = r.status[i] as number;
      obs.set(r.obs.subarray(i * g.nRec, (i + 1) * g.nRec), d.base[s] as number);
    });
  }
  return { status, obs, amounts: amountsOut };
}

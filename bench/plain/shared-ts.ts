// The population fast path in plain TypeScript over Float64Arrays, for the WASM-vs-JIT comparison
// (W-c): a line-by-line port of simulateShared()/sharedBlock() of assembly/driver.ts and of
// propagate() of assembly/analytic/linear.ts. Which batches may take the path, and the table's
// distinct step lengths, come from sharedPlan() of src/engine/wasm.ts itself, so both paths plan
// alike. Per subject, Φ(dt) and Γ(dt) come from the same eigenvalue/Sylvester (or Van Loan) code as
// the per-subject port (bench/plain/linear-ts.ts). Subjects are walked in blocks of SHARED_BLOCK
// over ONE shared event table. Same operation order as the
// WASM kernel, so results agree with it to rounding (V8's Math.exp/expm1 vs AssemblyScript's libm).
// Keep in step with assembly/driver.ts when the algorithm changes.

import { Ev, P, PAR_STRIDE, SHARED_BLOCK, Status } from '../../src/abi.js';
import type { BatchInput, SharedPlan } from '../../src/engine/wasm.js';
import { linearGamma, linearLoad, linearPhi, plainSetLayout, plainSteadyStateAt } from './linear-ts.js';
import type { PlainOutput } from './linear-ts.js';

const RATE = new Float64Array(8);
const TMP = new Float64Array(8);
let ratesOn = false;

function hasAnyRate(n: number): boolean {
  for (let i = 0; i < n; i++) if (RATE[i] !== 0.0) return true;
  return false;
}

/** propagate() of linear.ts: w[x..] ← Φ·w[x..] + Γ·RATE, Φ at w[phi..], Γ at w[gam..] (n = 2 unrolled, as there). */
function propagate(w: Float64Array, x: number, phi: number, gam: number, hasRate: boolean, n: number): void {
  if (n === 2) {
    const x0 = w[x] as number;
    const x1 = w[x + 1] as number;
    let y0 = (w[phi] as number) * x0 + (w[phi + 1] as number) * x1;
    let y1 = (w[phi + 2] as number) * x0 + (w[phi + 3] as number) * x1;
    if (hasRate) {
      const r0 = RATE[0] as number;
      const r1 = RATE[1] as number;
      y0 += (w[gam] as number) * r0 + (w[gam + 1] as number) * r1;
      y1 += (w[gam + 2] as number) * r0 + (w[gam + 3] as number) * r1;
    }
    w[x] = y0;
    w[x + 1] = y1;
    return;
  }
  for (let i = 0; i < n; i++) {
    let v = 0.0;
    for (let k = 0; k < n; k++) v += (w[phi + i * n + k] as number) * (w[x + k] as number);
    if (hasRate) for (let k = 0; k < n; k++) v += (w[gam + i * n + k] as number) * (RATE[k] as number);
    TMP[i] = v;
  }
  for (let i = 0; i < n; i++) w[x + i] = TMP[i] as number;
}

function allFinite(w: Float64Array, off: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (!Number.isFinite(w[off + i] as number)) return false;
  return true;
}

let workBuf = new Float64Array(0);

/**
 * simulateShared() of assembly/driver.ts over the same layout Engine.run() takes. `plan` is
 * sharedPlan(job) (computed by the caller, as Engine.run does before its kernel call);
 * `obs` may be passed in to reuse a buffer.
 */
export function simulateSharedPlain(job: BatchInput, plan: SharedPlan, obs: Float64Array = new Float64Array(job.nOut)): PlainOutput {
  const nSubj = job.evStart.length;
  const status = new Int32Array(nSubj);
  const n = plainSetLayout(job.ncmt, job.depot);
  if (n <= 0) {
    status.fill(Status.BadModel);
    return { obs, status, failed: nSubj };
  }
  const stride = n + 2 * plan.dts.length * n * n;
  if (workBuf.length < SHARED_BLOCK * stride) workBuf = new Float64Array(SHARED_BLOCK * stride);
  let failed = 0;
  for (let b0 = 0; b0 < nSubj; b0 += SHARED_BLOCK) {
    const b1 = Math.min(nSubj, b0 + SHARED_BLOCK);
    failed += sharedBlock(job, plan, n, b0, b1, obs, status, workBuf, stride);
  }
  return { obs, status, failed };
}

function sharedBlock(
  job: BatchInput,
  plan: SharedPlan,
  n: number,
  b0: number,
  b1: number,
  obs: Float64Array,
  status: Int32Array,
  w: Float64Array,
  stride: number,
): number {
  const ev = job.events;
  const nEv = ev.n;
  const evTime = ev.time;
  const evType = ev.type;
  const evCmt = ev.cmt;
  const evAmt = ev.amt;
  const evRate = ev.rate;
  const evOut = ev.out;
  const par = job.params;
  const nRows = plan.nRows;
  const nDt = plan.dts.length;
  const dtIndex = plan.dtIndex;
  const nn = n * n;
  // per subject: state, then Φ(dt_k), Γ(dt_k) for each distinct step length
  for (let s = b0; s < b1; s++) {
    const wo = (s - b0) * stride;
    const p = s * PAR_STRIDE;
    let st: number = Status.Ok;
    if (!linearLoad(job.ncmt, job.depot ? 1 : 0, par, p)) st = Status.NonFinite;
    for (let i = 0; i < n; i++) w[wo + i] = 0.0;
    for (let k = 0; k < nDt && st === Status.Ok; k++) {
      const dt = plan.dts[k] as number;
      linearPhi(w, dt, wo + n + 2 * k * nn);
      linearGamma(w, dt, wo + n + (2 * k + 1) * nn);
    }
    status[s] = st;
  }
  for (let i = 0; i < n; i++) RATE[i] = 0.0;
  ratesOn = false;
  for (let e = 0; e < nEv; e++) {
    const k = dtIndex[e] as number;
    if (k >= 0) {
      const phiOff = n + 2 * k * nn;
      const gamOff = n + (2 * k + 1) * nn;
      for (let s = b0; s < b1; s++) {
        const wo = (s - b0) * stride;
        propagate(w, wo, wo + phiOff, wo + gamOff, ratesOn, n);
      }
    }
    const type = evType[e] as number;
    const cmt = evCmt[e] as number;
    if (type === Ev.Obs) {
      const row = evOut[e] as number;
      if (cmt >= 0) {
        const f = evAmt[e] as number;
        for (let s = b0; s < b1; s++) obs[s * nRows + row] = (w[(s - b0) * stride + cmt] as number) * f;
      } else {
        for (let s = b0; s < b1; s++) {
          const p = s * PAR_STRIDE;
          obs[s * nRows + row] = (w[(s - b0) * stride + ((par[p + P.obsIndex] as number) | 0)] as number) / (par[p + P.scale] as number);
        }
      }
    } else if (type === Ev.Bolus) {
      const amt = evAmt[e] as number;
      for (let s = b0; s < b1; s++) {
        const i = (s - b0) * stride + cmt;
        w[i] = (w[i] as number) + amt;
      }
    } else if (type === Ev.Rate) {
      const r0 = RATE[cmt] as number;
      const dr = evRate[e] as number;
      let r1 = r0 + dr;
      if (Math.abs(r1) <= 1e-12 * Math.max(Math.abs(r0), Math.abs(dr))) r1 = 0.0;
      RATE[cmt] = r1;
      ratesOn = hasAnyRate(n);
    } else if (type === Ev.Reset) {
      for (let s = b0; s < b1; s++) {
        const wo = (s - b0) * stride;
        if (!allFinite(w, wo, n)) status[s] = Status.NonFinite;
        for (let i = 0; i < n; i++) w[wo + i] = 0.0;
      }
      for (let i = 0; i < n; i++) RATE[i] = 0.0;
      ratesOn = false;
    } else if (type === Ev.SteadyState || type === Ev.SteadyStateAdd) {
      const rate = evRate[e] as number;
      for (let s = b0; s < b1; s++) {
        if (status[s] !== Status.Ok) continue;
        const st2 = plainSteadyStateAt(w, (s - b0) * stride, evTime[e] as number, cmt, evAmt[e] as number, rate, ev.ii[e] as number, ev.dur[e] as number, ev.phase[e] as number, par, s * PAR_STRIDE);
        if (st2 !== Status.Ok) status[s] = st2;
      }
      const active = ev.count[e] as number;
      if (active > 0) RATE[cmt] = (RATE[cmt] as number) + rate * active;
      ratesOn = hasAnyRate(n);
    }
  }
  let failed = 0;
  for (let s = b0; s < b1; s++) {
    let st = status[s] as number;
    if (st === Status.Ok && !allFinite(w, (s - b0) * stride, n)) st = Status.NonFinite;
    status[s] = st;
    if (st !== Status.Ok) {
      failed++;
      obs.fill(NaN, s * nRows, (s + 1) * nRows);
    }
  }
  return failed;
}

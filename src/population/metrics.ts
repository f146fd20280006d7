// Exposure metrics by name. A metric is a kernel type, a time window and optional thresholds;
// names like `auc24` are resolved against the regimen (its last observation time and dosing interval).
// Window rule (kernel: assembly/metrics.ts; profile: metric-grid.ts): a window [T0, T1] takes the
// concentration after a dose at T0 and before a dose at T1; a point value at a dose time is the
// pre-dose value.

import { METRIC_CODE } from '../abi.js';
import { Errors } from '../errors.js';
import type { MetricArrays } from '../engine/wasm.js';
import { isDose, type DataRecord } from '../regimen/record.js';

export type MetricType = 'auc' | 'cmax' | 'cmin' | 'cavg' | 'timeabove' | 'fracin' | 'value' | 'tmax' | 'trough';

const KERNEL_TYPE: Readonly<Record<MetricType, number>> = METRIC_CODE;

export interface MetricDef {
  /** Column name in outputs. */
  readonly name: string;
  readonly type: MetricType;
  readonly t0: number;
  readonly t1: number;
  /** Threshold (timeabove) or window low (fracin). */
  readonly lo?: number;
  readonly hi?: number;
  /** Unbound fraction: the metric is computed on fu·C. */
  readonly fu?: number;
  /** Dissociation constant: the metric is computed on receptor occupancy fu·C/(KD + fu·C). */
  readonly kd?: number;
}

export interface RegimenTimes {
  /** Last time of the sampled profile. */
  readonly end: number;
  /** Dosing interval of the last doses (0 if single dose). */
  readonly tau: number;
  /** Time of the last dose. */
  readonly lastDose: number;
}

/**
 * Parses a metric name:
 * - `auc24`: AUC over the last 24 h of the profile; `auctau`: over the last dosing interval;
 * - `cmax`, `cmin`, `cavg` (= Css,avg): over the last dosing interval;
 * - `trough`: the pre-dose value at the end of the last dosing interval (left limit at T1), whereas
 *   `cmin` is the minimum over the window (after a dose at T0, before a dose at T1): they differ
 *   when the minimum is not at the end of the interval (absorption, a lag, a window cut short);
 * - `auc:T0:T1`, `cmax:T0:T1`, `cmin:T0:T1`, `cavg:T0:T1`, `trough:T0:T1` (the value before a dose at T1): explicit window;
 * - `conc@T`: the value at time T (before a dose at T); `tabove:C` / `tabove:C:T0:T1`: time above C;
 * - prefixes `fu=0.1/` (unbound) and `kd=2/` (occupancy), e.g. `fu=0.1/kd=2/cmin` (occupancy at trough).
 */
export function parseMetric(spec: string, t: RegimenTimes): MetricDef {
  let s = spec.trim();
  let fu: number | undefined;
  let kd: number | undefined;
  for (;;) {
    const m = /^(fu|kd)=([0-9.eE+-]+)\//.exec(s);
    if (!m) break;
    const v = Number(m[2]);
    if (!(v > 0) || (m[1] === 'fu' && v > 1)) throw Errors.option('metric', `metric ${spec}: ${m[1]} must be ${m[1] === 'fu' ? 'in (0, 1]' : '> 0'} (got ${m[2]})`);
    if (m[1] === 'fu') fu = v;
    else kd = v;
    s = s.slice(m[0].length);
  }
  const lastInterval = (): [number, number] => {
    const tau = t.tau > 0 ? t.tau : t.end - t.lastDose;
    return [Math.max(0, t.lastDose), Math.min(t.end, t.lastDose + tau)];
  };
  const num = (x: string | undefined, what: string): number => {
    const v = Number(x);
    if (x === undefined || !Number.isFinite(v)) throw Errors.option('metric', `metric ${spec}: ${what} must be a number (got ${x ?? 'nothing'})`);
    return v;
  };
  let def: Omit<MetricDef, 'name'>;
  const at = /^conc@(.+)$/.exec(s);
  const parts = s.split(':');
  const head = (parts[0] as string).toLowerCase();
  if (at) {
    const T = num(at[1], 'time');
    def = { type: 'value', t0: T, t1: T };
  } else if (head === 'auc24' && parts.length === 1) def = { type: 'auc', t0: t.end - 24, t1: t.end };
  else if (head === 'auctau' && parts.length === 1) {
    const [a, b] = lastInterval();
    def = { type: 'auc', t0: a, t1: b };
  } else if (head === 'tabove') {
    const c = num(parts[1], 'threshold');
    if (c < 0) throw Errors.option('metric', `metric ${spec}: the threshold must be ≥ 0 (got ${parts[1]})`);
    const [a, b] = parts.length >= 4 ? [num(parts[2], 'T0'), num(parts[3], 'T1')] : [0, t.end];
    def = { type: 'timeabove', t0: a, t1: b, lo: c };
  } else if (['auc', 'cmax', 'cmin', 'trough', 'cavg', 'tmax'].includes(head)) {
    const type = head as MetricType;
    const [a, b] = parts.length === 3 ? [num(parts[1], 'T0'), num(parts[2], 'T1')] : parts.length === 1 ? lastInterval() : [NaN, NaN];
    if (Number.isNaN(a)) throw Errors.option('metric', `metric ${spec}: use ${head} or ${head}:T0:T1`);
    def = { type, t0: a, t1: b };
  } else throw Errors.option('metric', `metric ${spec}: unknown (known: auc24, auctau, auc:T0:T1, cmax, cmin, trough, cavg, tmax, conc@T, tabove:C, with optional fu=F/ and kd=K/ prefixes)`);
  checkMetricTimes(spec, def, t.end);
  return { name: spec.trim(), ...def, fu, kd };
}

/**
 * A metric's times must lie on the simulated profile [0, end]: a point after the last simulated
 * time or a window reaching past it would be computed on a profile that does not go there, and a
 * window with T1 ≤ T0 has nothing to compute.
 */
function checkMetricTimes(spec: string, d: Omit<MetricDef, 'name'>, end: number): void {
  const point = d.type === 'value';
  const what = point ? `time ${d.t0}` : `window [${d.t0}, ${d.t1}]`;
  if (!(d.t0 >= 0)) throw Errors.option('metric', `metric ${spec}: ${what} starts before time 0`);
  if (!point && !(d.t1 > d.t0)) throw Errors.option('metric', `metric ${spec}: ${what} is empty (T1 must be after T0)`);
  if (!(d.t1 <= end)) throw Errors.option('metric', `metric ${spec}: ${what} ${point ? 'is' : 'ends'} after the last simulated time ${end}; observe up to ${d.t1} h or choose an earlier time`);
}

/** A fraction-in-window metric over [t0, t1] (for %T in a concentration window). */
export function fracInMetric(name: string, lo: number, hi: number, t0: number, t1: number): MetricDef {
  return { name, type: 'fracin', t0, t1, lo, hi };
}

export function metricArrays(defs: readonly MetricDef[]): MetricArrays {
  const m = defs.length;
  const a = {
    type: new Int32Array(m),
    t0: new Float64Array(m),
    t1: new Float64Array(m),
    lo: new Float64Array(m),
    hi: new Float64Array(m),
    fu: new Float64Array(m),
    kd: new Float64Array(m),
  };
  defs.forEach((d, j) => {
    a.type[j] = KERNEL_TYPE[d.type];
    a.t0[j] = d.t0;
    a.t1[j] = d.t1;
    a.lo[j] = d.lo ?? 0;
    a.hi[j] = d.hi ?? Infinity;
    a.fu[j] = d.fu ?? 1;
    a.kd[j] = d.kd ?? 0;
  });
  return a;
}

/**
 * The timing metric names are resolved against: the profile's end (default: the last record time),
 * the last dose time up to `end` (ADDL expanded) and the dosing interval of the last doses.
 */
export function regimenTimesOf(records: readonly DataRecord[], end = Math.max(...records.map((r) => r.TIME))): RegimenTimes {
  const times: number[] = [];
  let lastIi = 0;
  for (const r of records) {
    if (!isDose(r)) continue;
    for (let k = 0; k <= r.ADDL; k++) {
      const t = r.TIME + k * r.II;
      if (t > end) break;
      times.push(t);
      lastIi = r.II;
    }
  }
  times.sort((a, b) => a - b);
  // a dose at the profile's end starts an interval that is not sampled: the last interval is the one before it
  while (times.length > 1 && (times[times.length - 1] as number) >= end) times.pop();
  const lastDose = times.length ? (times[times.length - 1] as number) : 0;
  let tau = lastIi;
  if (!(tau > 0)) {
    const before = times.filter((t) => t < lastDose);
    tau = before.length ? lastDose - (before[before.length - 1] as number) : 0;
  }
  return { end, tau, lastDose };
}

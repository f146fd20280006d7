// Dose-design targets: what "the patient is at target" means, as data (JSON, or a compact string
// for the command line), validated with errors that name the clause, and compiled against a regimen
// into exposure metrics (src/population/metrics) plus a per-subject test.
//
// Clauses (all must hold when several are given):
//   auc24:LO:HI      daily AUC (population/metrics.ts, dailyAucWindow) in [LO, HI] (either bound may be empty)
//   auctau:LO:HI     AUC over the last dosing interval
//   trough:LO:HI     pre-dose concentration at the end of the last interval (`cmin` is refused: see CMIN_WHY)
//   cavg:LO:HI       average concentration over the last interval, Css,avg (alias css)
//   peak/mic:MIC:X   Cmax / MIC ≥ X (alias cmax/mic)
//   tabove:MIC:X     time above MIC as a fraction of the last dosing interval ≥ X (X in [0, 1], or 50%)
//   kd=K/occupancy:X receptor occupancy C/(KD + C) at trough ≥ X (X in (0, 1))
// Any clause may start with fu=F/ (unbound concentrations, F in (0, 1]); clauses are separated by
// commas, e.g. `auc24:400:600,trough::20` (AUC window and a trough ceiling).
//
// JSON: one clause, an array of clauses, { "target": [clauses], "description": "..." } or
// { "clauses": [clauses], "description": "..." } (no other field in either), where a clause is
// { "metric": "auc24", "lo": 400, "hi": 600 } | { "metric": "peak/mic", "mic": 1, "min": 8 }
// | { "metric": "tabove", "mic": 1, "min": 0.5 } | { "metric": "occupancy", "kd": 2, "min": 0.9 },
// each with an optional "fu" and no other field.

import { Errors } from '../../errors.js';
import { continuousRefusal, dailyAucWindow, metricDef, metricName, regimenTimesOf, type MetricDef, type MetricSpec, type RegimenTimes } from '../../population/metrics.js';

/** The timing of a regimen's records (see regimenTimesOf). */
export const regimenTimes = (records: readonly DataRecord[]): RegimenTimes => regimenTimesOf(records);
import type { DataRecord } from '../../regimen/record.js';
import { isNumberCell } from '../../regimen/nmtran.js';
import type { Window } from '../../population/summary/index.js';
import { commaList } from '../../comma-list.js';

export type WindowMetric = 'auc24' | 'auctau' | 'trough' | 'cavg';
export type TargetMetric = WindowMetric | 'peak/mic' | 'tabove' | 'occupancy';

export type TargetClause =
  | { readonly metric: WindowMetric; readonly lo?: number; readonly hi?: number; readonly fu?: number }
  | { readonly metric: 'peak/mic' | 'tabove'; readonly mic: number; readonly min: number; readonly fu?: number }
  | { readonly metric: 'occupancy'; readonly kd: number; readonly min: number; readonly fu?: number };

export interface TargetSpec {
  readonly clauses: readonly TargetClause[];
  readonly description?: string;
}

const ALIASES: Readonly<Record<string, TargetMetric>> = {
  auc24: 'auc24',
  auctau: 'auctau',
  trough: 'trough',
  cavg: 'cavg',
  css: 'cavg',
  'peak/mic': 'peak/mic',
  'cmax/mic': 'peak/mic',
  tabove: 'tabove',
  '%t>mic': 'tabove',
  occupancy: 'occupancy',
};
const KNOWN = 'auc24:LO:HI, auctau:LO:HI, trough:LO:HI, cavg:LO:HI, peak/mic:MIC:X, tabove:MIC:X, kd=K/occupancy:X (optional fu=F/ prefix)';

/**
 * `cmin` was an alias of trough here while the metric grammar's cmin is the lowest level over the
 * interval: with absorption or a lag they differ, and `cmin:2.1:2.3` judged a trough of 2.56. Refused
 * with both meanings named.
 */
const CMIN_WHY = "cmin is not a target: write trough (the pre-dose level at the end of the last interval, what TDM calls Cmin); the metric cmin of population and forecast is the lowest level over the interval, which differs from it with absorption or a lag";

function fail(clause: string, why: string): never {
  throw Errors.option('target', `target ${clause}: ${why}`);
}

function finite(clause: string, what: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(clause, `${what} must be a finite number (got ${v === undefined ? 'nothing' : JSON.stringify(v)})`);
  return v;
}

/** Checks one clause; returns it normalized (aliases resolved, no unknown fields). */
export function checkClause(c: unknown, where = 'target'): TargetClause {
  if (c === null || typeof c !== 'object' || Array.isArray(c)) throw Errors.option(where, `${where}: expected an object like {"metric": "auc24", "lo": 400, "hi": 600} (got ${JSON.stringify(c)})`);
  const o = c as Record<string, unknown>;
  const raw = typeof o.metric === 'string' ? o.metric.toLowerCase() : undefined;
  if (raw === 'cmin') throw Errors.option(where, `${where}: ${CMIN_WHY}`);
  const metric = raw !== undefined ? ALIASES[raw] : undefined;
  if (!metric) throw Errors.option(where, `${where}: unknown metric ${JSON.stringify(o.metric)} (known: ${KNOWN})`);
  const name = metric;
  const allowed: Record<TargetMetric, string[]> = {
    auc24: ['lo', 'hi'],
    auctau: ['lo', 'hi'],
    trough: ['lo', 'hi'],
    cavg: ['lo', 'hi'],
    'peak/mic': ['mic', 'min'],
    tabove: ['mic', 'min'],
    occupancy: ['kd', 'min'],
  };
  for (const k of Object.keys(o)) if (!['metric', 'fu', ...allowed[metric]].includes(k)) fail(name, `unknown field ${k} (expected ${['fu', ...allowed[metric]].join(', ')})`);
  let fu: number | undefined;
  if (o.fu !== undefined) {
    fu = finite(name, 'fu', o.fu);
    if (!(fu > 0 && fu <= 1)) fail(name, `fu (unbound fraction) must be in (0, 1] (got ${fu})`);
  }
  const withFu = <T extends object>(x: T): T => (fu === undefined ? x : { ...x, fu });
  switch (metric) {
    case 'auc24':
    case 'auctau':
    case 'trough':
    case 'cavg': {
      const lo = o.lo === undefined || o.lo === null ? undefined : finite(name, 'lo', o.lo);
      const hi = o.hi === undefined || o.hi === null ? undefined : finite(name, 'hi', o.hi);
      if (lo === undefined && hi === undefined) fail(name, 'give a lower bound, an upper bound, or both (e.g. auc24:400:600, trough::20)');
      if (lo !== undefined && lo < 0) fail(name, `lo must be ≥ 0 (got ${lo})`);
      if (hi !== undefined && hi < 0) fail(name, `hi must be ≥ 0 (got ${hi})`);
      if (hi === 0) fail(name, 'hi = 0 admits only a zero exposure');
      if (lo !== undefined && hi !== undefined && lo > hi) fail(name, `window [${lo}, ${hi}] is empty (lo > hi)`);
      return withFu({ metric, ...(lo !== undefined ? { lo } : {}), ...(hi !== undefined ? { hi } : {}) });
    }
    case 'peak/mic':
    case 'tabove': {
      const mic = finite(name, 'mic', o.mic);
      const min = finite(name, 'min', o.min);
      if (!(mic > 0)) fail(name, `MIC must be > 0 (got ${mic})`);
      if (min < 0) fail(name, `the minimum must be ≥ 0 (got ${min})`);
      if (metric === 'tabove' && min > 1) fail(name, `the minimum is a fraction of the dosing interval, in [0, 1] (got ${min}; write 0.5 or 50% for half)`);
      return withFu({ metric, mic, min });
    }
    case 'occupancy': {
      const kd = finite(name, 'kd', o.kd);
      const min = finite(name, 'min', o.min);
      if (!(kd > 0)) fail(name, `KD must be > 0 (got ${kd})`);
      if (!(min > 0 && min < 1)) fail(name, `the minimum occupancy must be in (0, 1) (got ${min})`);
      return withFu({ metric, kd, min });
    }
  }
}

/** Parses the compact string form, e.g. `auc24:400:600,trough::20` or `fu=0.1/tabove:0.5:40%`. */
export function parseTargetString(s: string): TargetSpec {
  const parts = commaList(s);
  if (parts.length === 0 || parts.some((p) => p === '')) throw Errors.option('target', `target ${JSON.stringify(s)}: empty clause (clauses are separated by commas, e.g. auc24:400:600,trough::20)`);
  return { clauses: parts.map(parseClauseString) };
}

function parseClauseString(text: string): TargetClause {
  let s = text;
  let fu: number | undefined;
  let kd: number | undefined;
  for (;;) {
    const m = /^(fu|kd)=([^/]*)\//i.exec(s);
    if (!m) break;
    const which = (m[1] as string).toLowerCase();
    // a decimal number as written (Number() read fu=0x1 as 1, kd=0o10 as 8), each prefix once
    // (fu=0.1/fu=1/… ran as fu=1, the last one, without a word)
    // fu as a percentage too (fu=50%/, as tabove:8:40% and occupancy:50% are read): 50% = 0.5
    const written = (m[2] as string).trim();
    const pct = which === 'fu' && written.endsWith('%');
    const body = pct ? written.slice(0, -1) : written;
    const v = isNumberCell(body) ? Number(body) / (pct ? 100 : 1) : NaN;
    if (!Number.isFinite(v)) fail(text, `${which} must be a decimal number${which === 'fu' ? ' or a percentage' : ''} (got ${m[2]})`);
    if ((which === 'fu' ? fu : kd) !== undefined) fail(text, `${which}= is given twice: give one`);
    if (which === 'fu') fu = v;
    else kd = v;
    s = s.slice(m[0].length);
  }
  const colon = s.indexOf(':');
  const head = (colon < 0 ? s : s.slice(0, colon)).toLowerCase();
  const args = colon < 0 ? [] : s.slice(colon + 1).split(':');
  if (head === 'cmin') fail(text, CMIN_WHY);
  const metric = ALIASES[head];
  if (!metric) fail(text, `unknown (known: ${KNOWN})`);
  const num = (x: string | undefined, what: string, percentOk = false): number | undefined => {
    if (x === undefined || x.trim() === '') return undefined;
    const t = x.trim();
    const pct = percentOk && t.endsWith('%');
    // a decimal number as written: Number() read "0x190" as 400
    const body = pct ? t.slice(0, -1) : t;
    const v = isNumberCell(body) ? Number(body) : NaN;
    if (!Number.isFinite(v)) fail(text, `${what} must be a decimal number (got ${t})`);
    return pct ? v / 100 : v;
  };
  const need = (x: number | undefined, what: string): number => (x === undefined ? fail(text, `missing ${what} (expected ${usage(metric)})`) : x);
  if (kd !== undefined && metric !== 'occupancy') fail(text, 'kd=K/ applies to occupancy targets only');
  let clause: Record<string, unknown>;
  switch (metric) {
    case 'auc24':
    case 'auctau':
    case 'trough':
    case 'cavg':
      if (args.length !== 2) fail(text, `expected ${usage(metric)}`);
      clause = { metric, lo: num(args[0], 'LO'), hi: num(args[1], 'HI') };
      break;
    case 'peak/mic':
    case 'tabove':
      if (args.length !== 2) fail(text, `expected ${usage(metric)}`);
      clause = { metric, mic: need(num(args[0], 'MIC'), 'MIC'), min: need(num(args[1], 'X', metric === 'tabove'), 'X') };
      break;
    case 'occupancy':
      if (args.length !== 1) fail(text, `expected ${usage(metric)}`);
      if (kd === undefined) fail(text, `occupancy needs a dissociation constant: kd=K/occupancy:X (e.g. kd=2/occupancy:0.9)`);
      clause = { metric, kd, min: need(num(args[0], 'X', true), 'X') };
      break;
  }
  if (fu !== undefined) clause.fu = fu;
  for (const k of Object.keys(clause)) if (clause[k] === undefined) delete clause[k];
  return checkClause(clause, `target ${text}`);
}

function usage(m: TargetMetric): string {
  switch (m) {
    case 'peak/mic':
      return 'peak/mic:MIC:X (Cmax/MIC ≥ X)';
    case 'tabove':
      return 'tabove:MIC:X (time above MIC ≥ X of the interval, X in [0, 1] or a percentage)';
    case 'occupancy':
      return 'kd=K/occupancy:X (occupancy at trough ≥ X)';
    default:
      return `${m}:LO:HI (either bound may be empty, e.g. ${m}::20)`;
  }
}

/** A target from JSON (one clause, an array, {target: [...]} or {clauses: [...]}) or the compact string form. */
export function parseTarget(input: unknown): TargetSpec {
  if (typeof input === 'string') return parseTargetString(input);
  if (Array.isArray(input)) {
    if (input.length === 0) throw Errors.option('target', 'target: the list of clauses is empty');
    return { clauses: input.map((c, i) => checkClause(c, `target[${i}]`)) };
  }
  if (input !== null && typeof input === 'object' && 'target' in input) {
    const o = input as { target: unknown; description?: unknown };
    for (const k of Object.keys(o)) if (k !== 'target' && k !== 'description') throw Errors.option('target', `target: unknown field ${k} (expected target, description)`);
    const inner = typeof o.target === 'string' ? parseTargetString(o.target) : parseTarget(Array.isArray(o.target) ? o.target : [o.target]);
    return typeof o.description === 'string' ? { ...inner, description: o.description } : inner;
  }
  if (input !== null && typeof input === 'object' && 'clauses' in input) {
    const o = input as { clauses: unknown; description?: unknown };
    // as the target form: {"clauses": [trough 2–8], "unit": "umol/L"} ran as trough:2:8 without a word
    for (const k of Object.keys(o)) if (k !== 'clauses' && k !== 'description') throw Errors.option('target', `target: unknown field ${k} (expected clauses, description)`);
    const inner = parseTarget(o.clauses);
    return typeof o.description === 'string' ? { ...inner, description: o.description } : inner;
  }
  return { clauses: [checkClause(input)] };
}

const fmtN = (x: number): string => String(x);

export const TARGET_DEGENERATE_CODE = 'W_TARGET_DEGENERATE';

/**
 * Targets that are almost surely a typing slip, each run without a word before: a window of one value
 * (auc24:400:400: 0 % for every regimen, "no feasible regimen"), a minimum of 0 (tabove:8:0,
 * peak/mic:8:0: 100 % whatever the dose), and several clauses on one window metric
 * (auc24:400:600,auc24:300:500: judged as their intersection, 400–500). Warned, not refused: a
 * point or a zero minimum is also how a library caller asks for exposures with no judgment.
 */
export function targetWarnings(spec: TargetSpec): string[] {
  const out: string[] = [];
  const w = (clause: string, why: string): void => void out.push(`${TARGET_DEGENERATE_CODE}: target ${clause}: ${why}`);
  const n = (x: number): string => String(Number(x.toPrecision(6)));
  const byMetric = new Map<string, (TargetClause & { metric: WindowMetric })[]>();
  for (const c of spec.clauses) {
    if (c.metric === 'auc24' || c.metric === 'auctau' || c.metric === 'trough' || c.metric === 'cavg') {
      if (c.lo !== undefined && c.hi !== undefined && c.lo === c.hi)
        w(clauseText(c), `a window of one value (${n(c.lo)}); no exposure falls in it but by chance, so every regimen reads 0 %: give a range (e.g. ${clauseText({ ...c, lo: Number((c.lo * 0.9).toPrecision(6)), hi: Number((c.hi * 1.1).toPrecision(6)) })})`);
      const key = `${c.fu ?? ''}/${c.metric}`;
      byMetric.set(key, [...(byMetric.get(key) ?? []), c]);
    } else if ((c.metric === 'tabove' || c.metric === 'peak/mic') && c.min === 0) w(clauseText(c), 'a minimum of 0 always holds: every regimen reads 100 % (give the minimum, e.g. 0.5 or 50% of the interval above MIC, 8 × MIC for a peak)');
  }
  for (const cs of byMetric.values()) {
    if (cs.length < 2) continue;
    const los = cs.flatMap((c) => (c.lo === undefined ? [] : [c.lo]));
    const his = cs.flatMap((c) => (c.hi === undefined ? [] : [c.hi]));
    const lo = los.length ? Math.max(...los) : undefined;
    const hi = his.length ? Math.min(...his) : undefined;
    const first = cs[0] as TargetClause & { metric: WindowMetric };
    const both = lo !== undefined && hi !== undefined && lo > hi ? 'no value is in both: every regimen reads 0 %' : `the target is their intersection, ${clauseText({ metric: first.metric, ...(first.fu !== undefined ? { fu: first.fu } : {}), ...(lo !== undefined ? { lo } : {}), ...(hi !== undefined ? { hi } : {}) })}`;
    w(cs.map(clauseText).join(' and '), `${cs.length === 2 ? 'two' : cs.length} clauses on ${first.fu !== undefined ? `fu=${first.fu}/` : ''}${first.metric}, both judged: ${both}`);
  }
  return out;
}

/** Canonical compact text of a clause (parses back to the same clause). */
export function clauseText(c: TargetClause): string {
  const fu = c.fu !== undefined ? `fu=${fmtN(c.fu)}/` : '';
  switch (c.metric) {
    case 'peak/mic':
    case 'tabove':
      return `${fu}${c.metric}:${fmtN(c.mic)}:${fmtN(c.min)}`;
    case 'occupancy':
      return `${fu}kd=${fmtN(c.kd)}/occupancy:${fmtN(c.min)}`;
    default:
      return `${fu}${c.metric}:${c.lo !== undefined ? fmtN(c.lo) : ''}:${c.hi !== undefined ? fmtN(c.hi) : ''}`;
  }
}

export function targetText(t: TargetSpec): string {
  return t.clauses.map(clauseText).join(',');
}

export interface CompiledClause {
  readonly clause: TargetClause;
  readonly text: string;
  /** Index of the clause's metric in CompiledTarget.metrics. */
  readonly index: number;
  /** value = metric × scale (1/MIC for peak/MIC, 1/τ for time above MIC). */
  readonly scale: number;
  /** Bounds on the scaled value (−∞ / +∞ when open). */
  readonly lo: number;
  readonly hi: number;
  /** True when the value is proportional to the dose for linear PK (AUC, trough, Cavg, peak). */
  readonly linear: boolean;
}

/** Per-subject outcome: in the target, below a floor, above a ceiling, or no value (failed simulation). */
export const Outcome = { in: 0, below: 1, above: 2, failed: 3 } as const;
export type OutcomeCode = (typeof Outcome)[keyof typeof Outcome];

export interface CompiledTarget {
  readonly spec: TargetSpec;
  readonly text: string;
  readonly clauses: readonly CompiledClause[];
  /** Distinct metrics to compute per subject. */
  readonly metrics: readonly MetricDef[];
  /** Window per metric (raw units), for runStudy's below / in / above counts (single-clause metrics only). */
  readonly windows: Readonly<Record<string, Window>>;
  /** Scaled value of clause j for the subject whose metrics start at row[off]. */
  value(row: ArrayLike<number>, j: number, off?: number): number;
  /** All clauses hold. A subject with a NaN metric never attains. */
  attained(row: ArrayLike<number>, off?: number): boolean;
  /**
   * Outcome: `in`; `above` when any ceiling is exceeded (whatever the floors); `below` when a floor
   * is not met and no ceiling is exceeded; `failed` for a NaN metric.
   */
  outcome(row: ArrayLike<number>, off?: number): OutcomeCode;
  /**
   * Distance to the target, 0 at the centre of every window: per clause |v − centre| / half-width
   * for a two-sided window (≤ 1 inside), 0 for a one-sided bound that holds and 1 + relative
   * shortfall for one that does not; the maximum over clauses (Infinity for a NaN metric).
   */
  distance(row: ArrayLike<number>, off?: number): number;
}

/**
 * The exposure metric a clause tests (the last dosing interval is `interval`, resolved against the
 * regimen's times; time above MIC takes it as an explicit window).
 */
export function clauseMetric(c: TargetClause, interval: readonly [number, number]): MetricSpec {
  const fu = c.fu !== undefined ? { fu: c.fu } : {};
  switch (c.metric) {
    case 'auc24':
      return { type: 'auc', window: 'last24', ...fu };
    case 'auctau':
      return { type: 'auc', window: 'interval', ...fu };
    case 'trough':
    case 'cavg':
      return { type: c.metric, window: 'interval', ...fu };
    case 'peak/mic':
      return { type: 'cmax', window: 'interval', ...fu };
    case 'tabove':
      return { type: 'timeabove', window: { span: interval }, threshold: c.mic, ...fu };
    case 'occupancy':
      return { type: 'trough', window: 'interval', ...fu, kd: c.kd };
  }
}

/** The metric name of a window clause (auc24, auctau, trough, cavg), for matching a forecast's metrics. */
export function windowClauseMetric(c: TargetClause & { metric: WindowMetric }): string {
  // window clauses are over the last 24 h or the last interval by rule: no times needed
  return metricName(clauseMetric(c, [NaN, NaN]));
}

/** What a clause keeps beyond its metric: value = metric × scale, tested against [lo, hi]. */
function clauseTest(c: TargetClause, tau: number): Pick<CompiledClause, 'scale' | 'lo' | 'hi' | 'linear'> {
  switch (c.metric) {
    case 'auc24':
    case 'auctau':
    case 'trough':
    case 'cavg':
      return { scale: 1, lo: c.lo ?? -Infinity, hi: c.hi ?? Infinity, linear: true };
    case 'peak/mic':
      return { scale: 1 / c.mic, lo: c.min, hi: Infinity, linear: true };
    case 'tabove':
      return { scale: 1 / tau, lo: c.min, hi: Infinity, linear: false };
    case 'occupancy':
      return { scale: 1, lo: c.min, hi: Infinity, linear: false };
  }
}

/** Compiles a target against a regimen's timing: metric definitions plus the per-subject tests. */
export function compileTarget(input: TargetSpec | string | unknown, times: RegimenTimes | readonly DataRecord[]): CompiledTarget {
  const spec = parseTarget(input);
  const t: RegimenTimes = Array.isArray(times) ? regimenTimesOf(times as readonly DataRecord[]) : (times as RegimenTimes);
  const metrics: MetricDef[] = [];
  const indexOf = (m: MetricSpec): number => {
    const name = metricName(m);
    let i = metrics.findIndex((d) => d.name === name);
    if (i < 0) {
      i = metrics.length;
      metrics.push(metricDef(m, t, name));
    }
    return i;
  };
  // resolved (and checked against the profile) like any metric over the last interval, and named
  // by the clause that reads it: a profile ending short of the interval was "metric cmax", a metric
  // no user asked for
  // no clause but auc24 reads the interval of a continuous infusion, which has none (metricDef
  // refuses it, naming the first clause that would read it); an auc24 alone is the profile's last 24 h
  const readers = t.continuous === undefined ? spec.clauses : spec.clauses.filter((c) => c.metric !== 'auc24');
  const reader = readers.find((c) => c.metric === 'tabove') ?? readers[0];
  // refused in the targets' terms: the metrics' advice (cavg:48:72) reads here as a Cavg of 48–72 mg/L
  // (one of unknown length refuses auc24 too)
  const refused = t.continuous?.unknown !== undefined ? (reader ?? spec.clauses[0]) : reader;
  const why = refused === undefined ? undefined : continuousRefusal(t, 2, 'target');
  if (refused !== undefined && why !== undefined) throw Errors.option('metric', `metric ${clauseText(refused)}: ${why}`);
  const interval = t.continuous === undefined || reader !== undefined ? metricDef({ type: 'cmax', window: 'interval' }, t, 'cmax', reader === undefined ? 'cmax' : clauseText(reader)) : undefined;
  const span = interval === undefined ? ([NaN, NaN] as const) : ([interval.t0, interval.t1] as const);
  const tau = span[1] - span[0];
  const clauses: CompiledClause[] = spec.clauses.map((c) => {
    const text = clauseText(c);
    // the daily AUC is population's auc24 (dailyAucWindow: AUCτ·24/τ where the profile holds less
    // than 24 h to the end of its last whole interval), so pta and population agree on one regimen;
    // only a profile without a dosing interval to scale has no daily AUC short of 24 h
    if (c.metric === 'auc24' && dailyAucWindow(t).t0 < 0) fail(text, `the regimen's profile ends at ${t.end} h, before 24 h, and has no dosing interval to scale an AUC by 24/τ: observe at least 24 h`);
    if (c.metric === 'tabove' && !(tau > 0)) fail(text, 'the regimen has no dosing interval to take a fraction of');
    return { clause: c, text, index: indexOf(clauseMetric(c, span)), ...clauseTest(c, tau) };
  });
  const windows: Record<string, Window> = {};
  metrics.forEach((m, i) => {
    const own = clauses.filter((c) => c.index === i);
    if (own.length === 1) {
      const c = own[0] as CompiledClause;
      windows[m.name] = { lo: c.lo / c.scale, hi: c.hi / c.scale };
    }
  });
  const value = (row: ArrayLike<number>, j: number, off = 0): number => {
    const c = clauses[j] as CompiledClause;
    return (row[off + c.index] as number) * c.scale;
  };
  const outcome = (row: ArrayLike<number>, off = 0): OutcomeCode => {
    let below = false;
    for (let j = 0; j < clauses.length; j++) {
      const c = clauses[j] as CompiledClause;
      const v = (row[off + c.index] as number) * c.scale;
      if (Number.isNaN(v)) return Outcome.failed;
      if (v > c.hi) return Outcome.above;
      if (v < c.lo) below = true;
    }
    return below ? Outcome.below : Outcome.in;
  };
  return {
    spec,
    text: targetText(spec),
    clauses,
    metrics,
    windows,
    value,
    outcome,
    attained: (row, off = 0) => {
      for (let j = 0; j < clauses.length; j++) {
        const c = clauses[j] as CompiledClause;
        const v = (row[off + c.index] as number) * c.scale;
        if (!(v >= c.lo && v <= c.hi)) return false;
      }
      return true;
    },
    distance: (row, off = 0) => {
      let d = 0;
      for (let j = 0; j < clauses.length; j++) {
        const c = clauses[j] as CompiledClause;
        const v = (row[off + c.index] as number) * c.scale;
        if (Number.isNaN(v)) return Infinity;
        let dj: number;
        if (Number.isFinite(c.lo) && Number.isFinite(c.hi)) {
          const mid = (c.lo + c.hi) / 2;
          const half = (c.hi - c.lo) / 2;
          dj = half > 0 ? Math.abs(v - mid) / half : mid > 0 ? Math.abs(v - mid) / mid : Math.abs(v);
        } else if (Number.isFinite(c.lo)) dj = v >= c.lo ? 0 : 1 + (c.lo - v) / (c.lo > 0 ? c.lo : 1);
        else dj = v <= c.hi ? 0 : 1 + (v - c.hi) / (c.hi > 0 ? c.hi : 1);
        if (dj > d) d = dj;
      }
      return d;
    },
  };
}

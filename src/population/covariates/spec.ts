// The covariate specification of a virtual population (JSON), as a zod schema plus the checks a
// schema cannot express. Every mistake becomes a DosewiseError (E_MODEL, or E_EXPRESSION for a
// derived expression) naming the JSON path of the bad field, e.g. `covariates.WT.sd: expected number`.
//
// {
//   "covariates": {                                   // in order; later entries may use earlier ones
//     "AGE":  { "dist": "normal", "mean": 55, "sd": 15, "lower": 18, "upper": 90 },
//     "WT":   { "dist": "lognormal", "median": 75, "cv": 0.2, "lower": 40, "upper": 200 },
//     "SEX":  { "dist": "categorical", "values": [0, 1], "p": [0.5, 0.5] },   // 1 = male, 0 = female
//     "SCR":  { "dist": "lognormal", "median": 0.9, "sdlog": 0.25 },
//     "ALB":  { "dist": "uniform", "lower": 3.2, "upper": 4.8 },
//     "EGFR": { "derived": "egfr_ckdepi2021(SCR, AGE, SEX)" },
//     "obs":  { "resample": "data/demographics.csv", "columns": ["HT"] }     // one row per subject
//   },
//   "correlation": { "names": ["AGE", "WT"], "matrix": [[1, 0.3], [0.3, 1]] }
// }

import { z } from 'zod';
import { Errors } from '../../errors.js';
import { ARGUMENT_UNITS, DERIVED_FUNCTIONS, prepareDerived, type PreparedDerived } from './derived.js';
import { forEachVariable, type Ast } from '../../model/expression.js';
import { compareUnits, isCovariateUnit } from '../../model/units.js';
import { CREATININE_UMOL_L_PER_MG_DL } from '../../clinical/validate.js';
import { truncatedStandardNormal } from '../../stats/normal.js';
import { choleskyFactor } from '../../stats/cholesky.js';
import { CALCULATOR_SEX_CODING, describedSexCoding, femaleByName, formatSexCoding, sexCodingConflict, unreadSexConflict, type SexCoding } from './coding.js';

/** Covariate names: a letter, then letters, digits or `_` (a leading `_` is reserved). */
export const COVARIATE_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

const meta = { unit: z.string().optional(), description: z.string().optional() };

const normalSchema = z.strictObject({
  dist: z.literal('normal'),
  mean: z.number(),
  sd: z.number().positive(),
  lower: z.number().optional(),
  upper: z.number().optional(),
  ...meta,
});

const lognormalSchema = z.strictObject({
  dist: z.literal('lognormal'),
  /** Median = geometric mean = exp(μ) of the lognormal; give exactly one of the two. */
  median: z.number().positive().optional(),
  geometricMean: z.number().positive().optional(),
  /** Coefficient of variation as a fraction (0.3 = 30 %): sdlog = √ln(1 + cv²). Or give sdlog. */
  cv: z.number().positive().optional(),
  sdlog: z.number().positive().optional(),
  lower: z.number().nonnegative().optional(),
  upper: z.number().positive().optional(),
  ...meta,
});

const uniformSchema = z.strictObject({ dist: z.literal('uniform'), lower: z.number(), upper: z.number(), ...meta });

const categoricalSchema = z.strictObject({
  dist: z.literal('categorical'),
  values: z.array(z.number()).min(1),
  p: z.array(z.number().nonnegative()).min(1),
  ...meta,
});

const distSchema = z.discriminatedUnion('dist', [normalSchema, lognormalSchema, uniformSchema, categoricalSchema]);
const derivedSchema = z.strictObject({ derived: z.string().min(1), ...meta });
const resampleSchema = z.strictObject({
  resample: z.string().min(1),
  columns: z.array(z.string()).min(1).optional(),
  description: z.string().optional(),
});
const correlationSchema = z.strictObject({
  names: z.array(z.string()).min(2),
  matrix: z.array(z.array(z.number())),
});
const topSchema = z.strictObject({
  covariates: z.record(z.string(), z.unknown()),
  correlation: correlationSchema.optional(),
  description: z.string().optional(),
});

export type NormalCovariate = z.infer<typeof normalSchema>;
export type LognormalCovariate = z.infer<typeof lognormalSchema>;
export type UniformCovariate = z.infer<typeof uniformSchema>;
export type CategoricalCovariate = z.infer<typeof categoricalSchema>;
export type DistributionCovariate = z.infer<typeof distSchema>;
export type DerivedCovariate = z.infer<typeof derivedSchema>;
/** A resampling source: its key is a label; the covariates it yields are its columns. */
export type ResampleSource = z.infer<typeof resampleSchema>;
export type CovariateEntry = DistributionCovariate | DerivedCovariate | ResampleSource;
export type CorrelationSpec = z.infer<typeof correlationSchema>;

export interface CovariateSpec {
  readonly covariates: Readonly<Record<string, CovariateEntry>>;
  readonly correlation?: CorrelationSpec;
  readonly description?: string;
}

type Key = string | number;

/** `covariates.WT.sd`, `correlation.matrix[1][0]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const k of path) {
    if (typeof k === 'number') out += `[${k}]`;
    else {
      const s = String(k);
      out += /^[A-Za-z_][A-Za-z0-9_]*$/.test(s) ? (out === '' ? s : `.${s}`) : `[${JSON.stringify(s)}]`;
    }
  }
  return out === '' ? '(root)' : out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

function shown(v: unknown): unknown {
  return v !== null && typeof v === 'object' ? JSON.stringify(v) : v;
}

function fail(path: readonly Key[], why: string, value?: unknown): never {
  throw Errors.model(formatPath(path), why, value === undefined ? undefined : shown(value));
}

/** Runs a zod schema; its first issue becomes an error naming the full path. */
function check<T>(schema: z.ZodType<T>, value: unknown, base: readonly Key[], root: unknown): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0] as z.core.$ZodIssue;
  let path: PropertyKey[] = [...base, ...issue.path];
  let why = issue.message.replace(/^(Invalid input|Too small|Too big|Invalid string|Invalid option): /, '').replace(/expected record/, 'expected object');
  if (issue.code === 'unrecognized_keys') {
    path = [...path, issue.keys[0] as string];
    why = 'unknown field';
  } else if (issue.code === 'invalid_union' && 'discriminator' in issue && issue.discriminator === 'dist') {
    why = `dist must be one of 'normal' | 'lognormal' | 'uniform' | 'categorical'`;
  } else if (issue.code === 'invalid_type' && valueAt(root, path) === undefined) {
    why = `missing (${why.replace(/, received undefined$/, '')})`;
  }
  const v = valueAt(root, path);
  throw Errors.model(formatPath(path), why, v === undefined ? undefined : shown(v));
}

const RACE_NAMES: ReadonlySet<string> = new Set(['race', 'races', 'black', 'isblack', 'ethnicity', 'ethnic', 'africanamerican']);

/** True for a name dosewise refuses as a race input (`RACE`, `Black`, `is_black`, `ETHNICITY`, …). */
export function isRaceName(name: string): boolean {
  return RACE_NAMES.has(name.toLowerCase().replace(/[^a-z]/g, ''));
}

/** Refuses a race covariate; `path` names where it was found. */
export function refuseRace(path: readonly Key[], name: string): void {
  if (isRaceName(name)) {
    fail(
      path,
      `dosewise is race-free (renal function by CKD-EPI 2021, Inker et al. NEJM 2021) and accepts no race or ethnicity covariate; remove ${name}`,
      name,
    );
  }
}

/** μ and σ of log(X) for a lognormal covariate. */
export function lognormalLogParams(c: LognormalCovariate): { readonly mu: number; readonly sdlog: number } {
  const median = (c.median ?? c.geometricMean) as number;
  const sdlog = c.sdlog ?? Math.sqrt(Math.log1p((c.cv as number) * (c.cv as number)));
  return { mu: Math.log(median), sdlog };
}

function checkBounds(base: readonly Key[], lower: number | undefined, upper: number | undefined): void {
  if (lower !== undefined && upper !== undefined && !(lower < upper)) fail([...base, 'upper'], `must be greater than lower (${lower})`, upper);
}

function checkDistribution(base: readonly Key[], c: DistributionCovariate): void {
  switch (c.dist) {
    case 'normal': {
      checkBounds(base, c.lower, c.upper);
      const tr = truncatedStandardNormal(((c.lower ?? -Infinity) - c.mean) / c.sd, ((c.upper ?? Infinity) - c.mean) / c.sd);
      if (!(tr.mass > 0)) fail(base, `the range [${c.lower ?? '-∞'}, ${c.upper ?? '∞'}] holds no probability under normal(mean ${c.mean}, sd ${c.sd})`);
      return;
    }
    case 'lognormal': {
      if (c.median !== undefined && c.geometricMean !== undefined) fail([...base, 'geometricMean'], 'give median or geometricMean, not both (they are the same for a lognormal)');
      if (c.median === undefined && c.geometricMean === undefined) fail([...base, 'median'], 'missing (give median, or its synonym geometricMean)');
      if (c.cv !== undefined && c.sdlog !== undefined) fail([...base, 'sdlog'], 'give cv or sdlog, not both');
      if (c.cv === undefined && c.sdlog === undefined) fail([...base, 'cv'], 'missing (give cv, a fraction, or sdlog, the SD of log X)');
      if (c.cv !== undefined && c.cv > 5) fail([...base, 'cv'], 'cv is a fraction (0.3 means 30 %); values above 5 are refused as a likely percentage', c.cv);
      checkBounds(base, c.lower, c.upper);
      const { mu, sdlog } = lognormalLogParams(c);
      const lo = c.lower === undefined || c.lower === 0 ? -Infinity : (Math.log(c.lower) - mu) / sdlog;
      const hi = c.upper === undefined ? Infinity : (Math.log(c.upper) - mu) / sdlog;
      if (!(truncatedStandardNormal(lo, hi).mass > 0)) fail(base, `the range [${c.lower ?? 0}, ${c.upper ?? '∞'}] holds no probability under this lognormal`);
      return;
    }
    case 'uniform':
      checkBounds(base, c.lower, c.upper);
      return;
    case 'categorical': {
      if (c.p.length !== c.values.length) fail([...base, 'p'], `expected ${c.values.length} probabilities, one per value, got ${c.p.length}`, c.p);
      c.values.forEach((v, i) => {
        if (c.values.indexOf(v) !== i) fail([...base, 'values', i], 'duplicate value', v);
      });
      const sum = c.p.reduce((s, x) => s + x, 0);
      if (!(Math.abs(sum - 1) <= 1e-9)) fail([...base, 'p'], `probabilities must sum to 1 (within 1e-9); they sum to ${sum}`, c.p);
      return;
    }
  }
}

/**
 * Lower Cholesky factor (row-major n×n) of a correlation matrix, allowing positive semi-definite
 * matrices (e.g. a correlation of exactly 1); returns a message when the matrix is not PSD.
 */
export function choleskyLower(matrix: readonly (readonly number[])[]): Float64Array | string {
  const tol = 1e-10;
  const L = choleskyFactor(matrix.flat(), matrix.length, {
    reject: (d) => d < -tol,
    zero: (d) => !(d > tol),
    inconsistent: (s) => Math.abs(s) > 1e-8,
  });
  if (L instanceof Float64Array) return L;
  if ('pivot' in L) return `not positive semi-definite (pivot ${L.pivot + 1} is ${L.d.toPrecision(3)})`;
  return `not positive semi-definite (rows ${L.column + 1} and ${L.row + 1} are inconsistent)`;
}

function checkCorrelation(spec: CovariateSpec): void {
  const c = spec.correlation;
  if (!c) return;
  const n = c.names.length;
  c.names.forEach((name, i) => {
    const path = ['correlation', 'names', i];
    const e = spec.covariates[name];
    // a resampled table's rows are drawn whole, so its columns keep the correlation they have; it
    // read "unknown covariate" of a covariate the file declares
    const table = Object.entries(spec.covariates).find(([label, x]) => 'resample' in x && (label === name || (x.columns ?? []).includes(name)));
    if (table) fail(path, `only normal and lognormal covariates can be correlated (on the normal, resp. log, scale); ${name} is resampled from ${(table[1] as ResampleSource).resample}, whose rows are drawn whole with the correlation between their columns`, name);
    // a table resampled without "columns" brings columns not known before it is read
    const whole = Object.values(spec.covariates).find((x): x is ResampleSource => 'resample' in x && x.columns === undefined);
    if (e === undefined || 'resample' in e) fail(path, `unknown covariate${whole ? ` (if it is a column of ${whole.resample}, which is resampled whole, it cannot be correlated: only normal and lognormal covariates can)` : ''}`, name);
    if (!('dist' in e) || (e.dist !== 'normal' && e.dist !== 'lognormal')) {
      fail(path, 'only normal and lognormal covariates can be correlated (on the normal, resp. log, scale)', name);
    }
    if (c.names.indexOf(name) !== i) fail(path, 'duplicate name', name);
  });
  if (c.matrix.length !== n) fail(['correlation', 'matrix'], `expected ${n} rows (one per name), got ${c.matrix.length}`);
  c.matrix.forEach((row, i) => {
    if (row.length !== n) fail(['correlation', 'matrix', i], `expected ${n} entries (one per name), got ${row.length}`, row);
  });
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = (c.matrix[i] as number[])[j] as number;
      const path = ['correlation', 'matrix', i, j];
      if (i === j) {
        if (Math.abs(v - 1) > 1e-12) fail(path, 'the diagonal of a correlation matrix is 1', v);
      } else {
        if (!(Math.abs(v) <= 1)) fail(path, 'correlations lie in [-1, 1]', v);
        const t = (c.matrix[j] as number[])[i] as number;
        if (Math.abs(v - t) > 1e-12) fail(path, `the matrix must be symmetric: matrix[${j}][${i}] is ${t}`, v);
      }
    }
  }
  const L = choleskyLower(c.matrix);
  if (typeof L === 'string') fail(['correlation', 'matrix'], L);
}

/** Names and prepared derived expressions once every source's columns are known. */
export interface ResolvedCovariates {
  /** All covariate names, in order (a resampling source contributes its columns). */
  readonly names: readonly string[];
  readonly derived: ReadonlyMap<string, PreparedDerived>;
}

/**
 * Walks the covariates in order, checking names are unique and that each derived expression reads
 * only covariates declared before it. `columnsOf` gives a resampling source's columns, or undefined
 * when they are not known yet (then unknown names after it are not reported).
 */
export function resolveCovariates(
  spec: CovariateSpec,
  columnsOf: (label: string, source: ResampleSource) => readonly string[] | undefined,
): ResolvedCovariates {
  const names: string[] = [];
  const known = new Set<string>();
  const declared = new Set<string>();
  for (const [label, e] of Object.entries(spec.covariates)) {
    if ('resample' in e) for (const c of e.columns ?? []) declared.add(c);
    else declared.add(label);
  }
  const derived = new Map<string, PreparedDerived>();
  let open = false;
  const add = (name: string, path: readonly Key[]): void => {
    if (known.has(name)) fail(path, `covariate ${name} is defined twice`, name);
    known.add(name);
    names.push(name);
  };
  for (const [label, e] of Object.entries(spec.covariates)) {
    const base = ['covariates', label];
    if ('resample' in e) {
      const cols = columnsOf(label, e);
      if (cols === undefined) open = true;
      else cols.forEach((c, i) => add(c, e.columns ? [...base, 'columns', i] : [...base, 'resample']));
      continue;
    }
    if ('derived' in e) {
      const path = [...base, 'derived'];
      const prep = prepareDerived(e.derived, formatPath(path));
      for (const r of prep.reads) {
        if (known.has(r)) continue;
        if (r === label) fail(path, `${label} cannot be derived from itself`, e.derived);
        if (declared.has(r)) fail(path, `uses ${r}, which is declared after ${label}; derived covariates may only use covariates declared before them`, e.derived);
        if (!open) fail(path, `unknown covariate ${r} (declared before ${label}: ${names.join(', ') || 'none'})`, e.derived);
      }
      refuseArgumentUnits(spec, label, prep, path);
      refuseSexArguments(spec, label, prep, path);
      derived.set(label, prep);
    }
    add(label, base);
  }
  return { names, derived };
}

/**
 * The covariates (and clinical-call placeholders) whose value an expression is: a name, or a
 * selection among names and numbers (`c ? a : b`, min, max), the numbers being clamps. An
 * expression that computes (SCR / 10, SCR * 88.42, -SCR) is the user's conversion: undefined. A
 * bare number is an empty list.
 */
export function carriedNames(a: Ast): string[] | undefined {
  switch (a.k) {
    case 'num':
      return [];
    case 'var':
      return [a.name];
    case 'if': {
      const x = carriedNames(a.a);
      const y = carriedNames(a.b);
      return x === undefined || y === undefined ? undefined : [...new Set([...x, ...y])];
    }
    case 'call': {
      if (a.fn !== 'min' && a.fn !== 'max') return undefined;
      const out = new Set<string>();
      for (const x of a.args) {
        const c = carriedNames(x);
        if (c === undefined) return undefined;
        for (const n of c) out.add(n);
      }
      return [...out];
    }
    default:
      return undefined;
  }
}

/** A unit a covariate's values are in, and how to name where it comes from. */
export interface CarriedUnit {
  readonly unit: string;
  readonly what: string;
}

/**
 * The unit covariate `name` is in: its written unit; else, when derived, its clinical function's
 * unit (CRCL = crcl_cg(…) is in mL/min), or the unit of the one covariate it is an alias or a
 * clamped selection of (SCRX = SCRL, SCRL in mg/L: SCRX reached egfr_ckdepi2021 as mg/dL, eGFR
 * 4.15 for 65.75). Undefined when unknown, or when the covariates it selects among differ in unit.
 */
export function covariateUnit(entries: Readonly<Record<string, CovariateEntry | undefined>>, name: string, seen: ReadonlySet<string> = new Set()): CarriedUnit | undefined {
  const e = entries[name];
  if (e === undefined || 'resample' in e || seen.has(name)) return undefined;
  if (e.unit !== undefined && e.unit.trim() !== '') return { unit: e.unit, what: `${name} (covariates.${name}.unit)` };
  if (!('derived' in e)) return undefined;
  const single = wholeCall(e.derived);
  if (single) return { unit: (DERIVED_FUNCTIONS[single] as { unit: string }).unit, what: `${name} = ${single}(…)` };
  let prep: PreparedDerived;
  try {
    prep = prepareDerived(e.derived, formatPath(['covariates', name, 'derived']));
  } catch {
    return undefined;
  }
  const carried = carriedUnits(entries, prep, prep.root, new Set([...seen, name]));
  if (carried === undefined || carried.length === 0) return undefined;
  const first = carried[0] as CarriedUnit;
  if (!carried.every((c) => compareUnits(c.unit, first.unit).same)) return undefined;
  return { unit: first.unit, what: `${name} (= ${e.derived.trim()}; ${first.what})` };
}

/** The units of what an expression `a` of `prep` carries (see carriedNames); undefined for a computation. */
function carriedUnits(entries: Readonly<Record<string, CovariateEntry | undefined>>, prep: PreparedDerived, a: Ast, seen: ReadonlySet<string>): CarriedUnit[] | undefined {
  const names = carriedNames(a);
  if (names === undefined) return undefined;
  const out: CarriedUnit[] = [];
  for (const n of names) {
    const site = prep.calls.get(n);
    const u = site ? { unit: (DERIVED_FUNCTIONS[site.fn] as { unit: string }).unit, what: `${site.fn}(…)` } : covariateUnit(entries, n, seen);
    if (u !== undefined) out.push(u);
  }
  return out;
}

/**
 * A creatinine in a molar unit where mg/dL is read: the same quantity, which "another kind of
 * quantity" misnamed (SCR in µmol/L into egfr_ckdepi2021); the conversion by creatinine's molar mass
 * is given (mg/dL = µmol/L ÷ 88.42). Undefined for a unit that is no amount concentration.
 */
function molarCreatinine(unit: string, it: string): string | undefined {
  const cmp = compareUnits(unit, 'µmol/L');
  const umolPer = cmp.same ? 1 : cmp.factor;
  if (umolPer === undefined) return undefined;
  const divisor = Number((CREATININE_UMOL_L_PER_MG_DL / umolPer).toPrecision(12));
  return `, a molar concentration of creatinine where a mass concentration is read: the same quantity in a unit dosewise does not convert (mg/dL = µmol/L ÷ ${CREATININE_UMOL_L_PER_MG_DL}); give ${it} in mg/dL or write the conversion (${it} / ${divisor})`;
}

/**
 * The units a derived covariate's clinical calls read. Values are handed to the functions as
 * sampled, never converted: SCR declared in mg/L into crcl_cg(scr_mgdl, …) made every CrCl 10
 * times too low, an AGE in months read as years computed a 41-month-old as a 41-year-old, and
 * bsa_mosteller(…) passed as wt_kg was a weight of 1.6 kg. An argument whose value is one
 * covariate's (a clamp "AGE > 65 && SCR < 10 ? 10 : SCR", min/max with numbers, an alias SCRX =
 * SCRL) is that covariate in its unit: only the bare name was checked, and the example file's own
 * clamp with SCR in mg/L gave CrCl 13.553 for 135.53. An argument that computes (SCR / 10) is the
 * user's conversion, unchecked. A written unit of the derived covariate itself that is not its
 * function's (CRCL = crcl_cg(…) labelled L/h, while its values are mL/min) would pass the model's
 * unit check with the wrong label: refused alike, as is an alias labelled with another unit than
 * the covariate it copies.
 */
function refuseArgumentUnits(spec: CovariateSpec, label: string, prep: PreparedDerived, path: readonly Key[]): void {
  const entries = spec.covariates as Record<string, CovariateEntry | undefined>;
  for (const site of prep.calls.values()) {
    const def = DERIVED_FUNCTIONS[site.fn] as { params: readonly string[] };
    site.args.forEach((arg, i) => {
      const param = def.params[i] as string;
      const wanted = ARGUMENT_UNITS[param];
      if (wanted === undefined) return;
      for (const given of carriedUnits(entries, prep, arg, new Set([label])) ?? []) {
        const cmp = compareUnits(given.unit, wanted);
        if (cmp.same) continue;
        const bare = arg.k === 'var' ? arg.name : undefined;
        const it = bare ?? given.what.replace(/ .*$/, '');
        const molar = param === 'scr_mgdl' ? molarCreatinine(given.unit, it) : undefined;
        const size =
          cmp.factor !== undefined
            ? `: 1 ${given.unit} = ${cmp.factor} ${wanted}, and dosewise does not convert; give ${it} in ${wanted} or write the conversion (e.g. ${it} * ${cmp.factor})`
            : molar !== undefined
              ? molar
              : isCovariateUnit(given.unit)
              ? `, another kind of quantity`
              : `, a unit dosewise does not read: write it as ${wanted}`;
        const via = bare === undefined ? ` (the argument "${argumentText(prep.source, site, i)}" is that value, clamped or selected, not converted)` : '';
        fail(path, `${site.fn}(${def.params.join(', ')}) reads ${param} in ${wanted}, but ${given.what} is in ${given.unit}${via}${size}`, prep.source);
      }
    });
  }
  const own = entries[label];
  const fn = own && 'derived' in own ? wholeCall(own.derived) : undefined;
  const written = own && 'derived' in own ? own.unit : undefined;
  if (fn !== undefined && written !== undefined && written.trim() !== '') {
    const unit = (DERIVED_FUNCTIONS[fn] as { unit: string }).unit;
    const cmp = compareUnits(written, unit);
    if (!cmp.same)
      fail(['covariates', label, 'unit'], `${label} = ${fn}(…) is in ${unit}, not ${written}: its values are not converted, so the label would only hide the difference from the model's unit check; remove the unit or write the conversion in the expression`, written);
  }
  if (fn === undefined && written !== undefined && written.trim() !== '') {
    // an alias (or clamp) of one covariate labelled with another unit: the values are the copied ones
    const copied = carriedUnits(entries, prep, prep.root, new Set([label])) ?? [];
    for (const c of copied) {
      const cmp = compareUnits(written, c.unit);
      if (!cmp.same && (cmp.factor !== undefined || (isCovariateUnit(written) && isCovariateUnit(c.unit))))
        fail(['covariates', label, 'unit'], `${label} = ${own && 'derived' in own ? own.derived.trim() : ''} copies the values of ${c.what}, in ${c.unit}, not ${written}: they are not converted, so the label would only hide the difference; remove the unit or write the conversion in the expression`, written);
    }
  }
}

/** The coding a covariate named for women (FEMALE) has without a description. */
const FEMALE_FLAG_CODING: SexCoding = new Map([
  [1, 'female'],
  [0, 'male'],
]);

/** Why a covariate's values are not sex coded 1 = male, 0 = female, and how they are coded. */
interface SexCodingProblem {
  /** The covariate whose name or description says so. */
  readonly name: string;
  readonly why: string;
  /** Whether 1 is a woman and 0 a man (then `1 - X` is the fix). */
  readonly flipped: boolean;
  /** The value a man has, when the description says. */
  readonly male?: number;
  /** The value a woman has, when the description says. */
  readonly female?: number;
  /** The description names a sex beside a code but is no coding dosewise reads. */
  readonly unread?: boolean;
}

/**
 * Whether covariate `name` is coded otherwise than 1 = male, 0 = female: by its description when
 * that writes a sex coding ("1 = female, 0 = male", "1 = male, 2 = female"), else by a name that
 * means female (FEMALE, ISFEMALE, F_SEX). An alias (or clamped selection) of another covariate is
 * that covariate's coding, unless its own description says otherwise.
 */
function sexCodingProblem(entries: Readonly<Record<string, CovariateEntry | undefined>>, name: string, seen: ReadonlySet<string>): SexCodingProblem | undefined {
  if (seen.has(name)) return undefined;
  const e = entries[name];
  const description = e === undefined || 'resample' in e ? undefined : e.description;
  const coding = describedSexCoding(description);
  if (coding !== undefined) {
    const conflict = sexCodingConflict(coding, CALCULATOR_SEX_CODING);
    if (conflict === undefined) return undefined;
    const valueOf = (s: 'male' | 'female'): number | undefined => [...coding.entries()].find(([, t]) => t === s)?.[0];
    const male = valueOf('male');
    const female = valueOf('female');
    return {
      name,
      why: `covariates.${name}.description says ${JSON.stringify(description)}, that is ${formatSexCoding(coding)}`,
      flipped: (female === undefined || female === 1) && (male === undefined || male === 0),
      ...(male !== undefined ? { male } : {}),
      ...(female !== undefined ? { female } : {}),
    };
  }
  // read by its name it is the calculators' coding, or the flag's 1 = female for FEMALE
  const unread = unreadSexConflict(description, femaleByName(name) ? FEMALE_FLAG_CODING : CALCULATOR_SEX_CODING);
  if (unread !== undefined)
    return { name, why: `covariates.${name}.description says ${JSON.stringify(description)}, which is no coding dosewise reads: ${unread}, where its name would read ${femaleByName(name) ? "1 = female, 0 = male" : "1 = male, 0 = female"}`, flipped: false, unread: true };
  if (femaleByName(name)) return { name, why: `${name} is named for women, a flag that is 1 for a woman and 0 for a man (no description of covariates.${name} says otherwise)`, flipped: true };
  if (e === undefined || !('derived' in e)) return undefined;
  let prep: PreparedDerived;
  try {
    prep = prepareDerived(e.derived, formatPath(['covariates', name, 'derived']));
  } catch {
    return undefined;
  }
  for (const n of carriedNames(prep.root) ?? []) {
    if (prep.calls.has(n)) continue;
    const p = sexCodingProblem(entries, n, new Set([...seen, name]));
    if (p !== undefined) return { ...p, why: `${name} = ${e.derived.trim()} carries ${n}'s values, and ${p.why}` };
  }
  return undefined;
}

/**
 * The clinical calculators take sex coded 1 = male, 0 = female (DerivedFunction `sex`). A sex
 * argument whose value is a covariate coded otherwise (FEMALE "1 = female, 0 = male" into
 * crcl_cg(SCR, AGE, WT, FEMALE) made every man's CrCl 0.85 times and every woman's 1.176 times the
 * right one, exit 0) is refused, naming the call, the argument and what says how it is coded. An
 * argument that computes (1 - FEMALE, FEMALE == 0) is the user's recoding, unchecked.
 */
function refuseSexArguments(spec: CovariateSpec, label: string, prep: PreparedDerived, path: readonly Key[]): void {
  const entries = spec.covariates as Record<string, CovariateEntry | undefined>;
  for (const site of prep.calls.values()) {
    const def = DERIVED_FUNCTIONS[site.fn] as { params: readonly string[] };
    const i = def.params.indexOf('sex');
    const arg = site.args[i];
    if (i < 0 || arg === undefined) continue;
    for (const n of carriedNames(arg) ?? []) {
      if (prep.calls.has(n)) continue;
      const p = sexCodingProblem(entries, n, new Set([label]));
      if (p === undefined) {
        if (reachesUnchanged(arg, n) && evaluatedAlways(prep.root, site, prep.calls)) refuseSexValues(entries, n, `covariates.${label}.derived passes ${n} as the sex of ${site.fn}(${def.params.join(', ')})`);
        continue;
      }
      const text = argumentText(prep.source, site, i);
      if (p.unread)
        fail(
          path,
          `${site.fn}(${def.params.join(', ')}) takes sex coded 1 = male, 0 = female, but how its sex argument ${text === n ? n : `"${text}" (${n})`} is coded cannot be read: ${p.why}. Read by the name instead, every subject could be computed as the other sex. Write covariates.${p.name}.description as a plain coding ("1 = male, 0 = female" or "1 = female, 0 = male", as the values are coded) and dosewise checks the argument against it`,
          prep.source,
        );
      const bare = arg.k === 'var' ? text : `(${text})`;
      const fix = p.flipped
        ? `1 - ${bare}`
        : p.male !== undefined
          ? `${bare} == ${p.male} ? 1 : 0`
          : `${bare} == ${p.female as number} ? 0 : 1`;
      const effect = p.flipped
        ? 'every man would be computed as a woman and every woman as a man'
        : 'the calculators refuse any other value, and would read a value of 1 or 0 as that sex';
      fail(
        path,
        `${site.fn}(${def.params.join(', ')}) takes sex coded 1 = male, 0 = female, but its sex argument ${text === n ? n : `"${text}" (${n})`} is coded otherwise: ${p.why}; ${effect}. Write ${fix} as the argument (e.g. ${site.fn}(…, ${fix}))`,
        prep.source,
      );
    }
  }
}

/**
 * Refuses a covariate drawn with values the calculators refuse as a sex (`read`: where it is read
 * as one). SEX drawn from [0, 1, 2] into crcl_cg failed the run at the first subject drawing 2,
 * naming "model covariates.CRCL.derived", where the covariate file's SEX entry is what to change.
 * A value drawn with probability 0 is never read.
 */
function refuseSexValues(entries: Readonly<Record<string, CovariateEntry | undefined>>, name: string, read: string): void {
  const e = entries[name];
  if (e === undefined || !('dist' in e)) return;
  const fix = `draw ${name} as 1 (male) or 0 (female), or recode it in the call (${name} == M ? 1 : 0, M the value a man has)`;
  if (e.dist !== 'categorical') fail(['covariates', name, 'dist'], `${name} is drawn from a ${e.dist} distribution, but ${read}, which takes 1 (male) or 0 (female) only; ${fix}`, e.dist);
  const i = e.values.findIndex((v, k) => v !== 0 && v !== 1 && (e.p[k] as number) > 0);
  if (i >= 0) fail(['covariates', name, 'values', i], `${name} is drawn as ${e.values[i]} (p ${e.p[i]}), but ${read}, which takes 1 (male) or 0 (female) only; ${fix}`, e.values[i]);
}

/**
 * Whether every value of covariate `name` reaches argument `a` as it is: `a` is the bare name, or a
 * branch holding it under a condition that does not read it. A recoding (SEX == 9 ? 0 : SEX,
 * min(SEX, 1)) keeps a 9 or 2 from the call, and SEX drawn [0, 1, 9] was refused there; a value it
 * lets through is refused by the run's own check of each subject.
 */
function reachesUnchanged(a: Ast, name: string): boolean {
  if (a.k === 'var') return a.name === name;
  if (a.k !== 'if') return false;
  let readsName = false;
  forEachVariable(a.c, (v) => {
    if (v.name === name) readsName = true;
  });
  return !readsName && (reachesUnchanged(a.a, name) || reachesUnchanged(a.b, name));
}

/**
 * Whether the call `site` is evaluated for every subject: not inside a branch of `c ? a : b` nor
 * on the right of && or || (evaluated lazily: "AGE >= 18 ? egfr_ckdepi2021(…) : …" never passes a
 * child's values), directly or through the arguments of another clinical call.
 */
function evaluatedAlways(a: Ast, site: { readonly args: readonly Ast[] }, calls: PreparedDerived['calls']): boolean {
  switch (a.k) {
    case 'var': {
      const c = calls.get(a.name);
      return c === site || (c !== undefined && c.args.some((x) => evaluatedAlways(x, site, calls)));
    }
    case 'un':
      return evaluatedAlways(a.a, site, calls);
    case 'bin':
      return evaluatedAlways(a.a, site, calls) || (a.op !== '&&' && a.op !== '||' && evaluatedAlways(a.b, site, calls));
    case 'if':
      return evaluatedAlways(a.c, site, calls);
    case 'call':
      return a.args.some((x) => evaluatedAlways(x, site, calls));
    default:
      return false;
  }
}

/** The text of argument i of a clinical call, for messages. */
function argumentText(source: string, site: { readonly fn: string }, i: number): string {
  const m = new RegExp(`(?<![A-Za-z0-9_])${site.fn}\\s*\\(`).exec(source);
  if (!m) return '…';
  let depth = 0;
  let k = 0;
  let start = m.index + m[0].length;
  for (let j = start; j < source.length; j++) {
    const c = source[j];
    if (c === '(') depth++;
    else if (c === ')' && depth-- === 0) return k === i ? source.slice(start, j).trim() : '…';
    else if (c === ',' && depth === 0) {
      if (k === i) return source.slice(start, j).trim();
      k++;
      start = j + 1;
    }
  }
  return '…';
}

/** The clinical function a derived expression is one whole call of, else undefined. */
export function wholeCall(expr: string): string | undefined {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*\(/.exec(expr);
  if (!m || !DERIVED_FUNCTIONS[m[1] as string]) return undefined;
  // the call must be the whole expression: its closing parenthesis the last character
  let depth = 0;
  for (let i = m[0].length - 1; i < expr.length; i++) {
    const c = expr[i];
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return expr.slice(i + 1).trim() === '' ? (m[1] as string) : undefined;
  }
  return undefined;
}

/**
 * Validates unknown JSON as a covariate specification. Paths in errors look like
 * `covariates.WT.sd`, `correlation.matrix[1][0]`.
 *
 * @example
 * parseCovariateSpec({ covariates: { WT: { dist: 'normal', mean: 70, sd: 'x' } } });
 * // throws DosewiseError E_MODEL: "model covariates.WT.sd: expected number, received string (got \"x\")"
 */
export function parseCovariateSpec(json: unknown): CovariateSpec {
  const top = check(topSchema, json, [], json);
  const covariates: Record<string, CovariateEntry> = {};
  const entries = Object.entries(top.covariates);
  if (entries.length === 0) fail(['covariates'], 'declare at least one covariate');
  for (const [name, raw] of entries) {
    const base = ['covariates', name];
    if (!COVARIATE_NAME.test(name)) fail(base, 'covariate names are identifiers: a letter, then letters, digits or _', name);
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail(base, 'expected an object with dist, derived or resample', raw);
    const kinds = ['dist', 'derived', 'resample'].filter((k) => k in raw);
    if (kinds.length !== 1) {
      fail(base, kinds.length === 0 ? 'expected one of the fields dist, derived or resample' : `give only one of ${kinds.join(', ')}`, raw);
    }
    if (kinds[0] === 'resample') {
      const src = check(resampleSchema, raw, base, json);
      src.columns?.forEach((c, i) => {
        const path = [...base, 'columns', i];
        if (!COVARIATE_NAME.test(c)) fail(path, 'columns become covariate names, which are identifiers: a letter, then letters, digits or _', c);
        refuseRace(path, c);
        if ((src.columns as string[]).indexOf(c) !== i) fail(path, 'duplicate column', c);
      });
      covariates[name] = src;
      continue;
    }
    refuseRace(base, name);
    if (kinds[0] === 'derived') {
      covariates[name] = check(derivedSchema, raw, base, json);
      continue;
    }
    const c = check(distSchema, raw, base, json);
    checkDistribution(base, c);
    covariates[name] = c;
  }
  const spec: CovariateSpec = { ...top, covariates };
  checkCorrelation(spec);
  resolveCovariates(spec, (_label, src) => src.columns);
  return spec;
}

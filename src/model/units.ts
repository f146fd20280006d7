// Units of structural parameters, declared in the model file and checked when it is loaded:
// each must have the dimension its role requires (CL volume/time, V volume, KA 1/time, ...), and
// all of them must use the same time unit and the same volume unit — a model mixing L/h with 1/min
// would otherwise run silently wrong by a factor of 60.

import { Errors } from '../errors.js';
import type { Ast } from './expression.js';

/** Dimension exponents: mass, amount (mol), volume, time. */
type Dim = readonly [number, number, number, number];

interface Unit {
  readonly dim: Dim;
  /** Size of the volume and time units used (e.g. mL → 1e-3 L, min → 1/60 h), for consistency checks. */
  readonly volume?: number;
  readonly time?: number;
}

const BASE: Readonly<Record<string, { dim: Dim; factor: number; kind?: 'volume' | 'time' }>> = {
  g: { dim: [1, 0, 0, 0], factor: 1e3 },
  kg: { dim: [1, 0, 0, 0], factor: 1e6 },
  mg: { dim: [1, 0, 0, 0], factor: 1 },
  ug: { dim: [1, 0, 0, 0], factor: 1e-3 },
  'µg': { dim: [1, 0, 0, 0], factor: 1e-3 },
  mcg: { dim: [1, 0, 0, 0], factor: 1e-3 },
  ng: { dim: [1, 0, 0, 0], factor: 1e-6 },
  mol: { dim: [0, 1, 0, 0], factor: 1e3 },
  mmol: { dim: [0, 1, 0, 0], factor: 1 },
  umol: { dim: [0, 1, 0, 0], factor: 1e-3 },
  'µmol': { dim: [0, 1, 0, 0], factor: 1e-3 },
  nmol: { dim: [0, 1, 0, 0], factor: 1e-6 },
  pmol: { dim: [0, 1, 0, 0], factor: 1e-9 },
  L: { dim: [0, 0, 1, 0], factor: 1, kind: 'volume' },
  dL: { dim: [0, 0, 1, 0], factor: 0.1, kind: 'volume' },
  mL: { dim: [0, 0, 1, 0], factor: 1e-3, kind: 'volume' },
  uL: { dim: [0, 0, 1, 0], factor: 1e-6, kind: 'volume' },
  'µL': { dim: [0, 0, 1, 0], factor: 1e-6, kind: 'volume' },
  h: { dim: [0, 0, 0, 1], factor: 1, kind: 'time' },
  hr: { dim: [0, 0, 0, 1], factor: 1, kind: 'time' },
  hrs: { dim: [0, 0, 0, 1], factor: 1, kind: 'time' },
  hour: { dim: [0, 0, 0, 1], factor: 1, kind: 'time' },
  hours: { dim: [0, 0, 0, 1], factor: 1, kind: 'time' },
  min: { dim: [0, 0, 0, 1], factor: 1 / 60, kind: 'time' },
  minute: { dim: [0, 0, 0, 1], factor: 1 / 60, kind: 'time' },
  minutes: { dim: [0, 0, 0, 1], factor: 1 / 60, kind: 'time' },
  s: { dim: [0, 0, 0, 1], factor: 1 / 3600, kind: 'time' },
  d: { dim: [0, 0, 0, 1], factor: 24, kind: 'time' },
  day: { dim: [0, 0, 0, 1], factor: 24, kind: 'time' },
  days: { dim: [0, 0, 0, 1], factor: 24, kind: 'time' },
  week: { dim: [0, 0, 0, 1], factor: 168, kind: 'time' },
  // lower-case litres as written in many papers (l/h, ml/min)
  l: { dim: [0, 0, 1, 0], factor: 1, kind: 'volume' },
  ml: { dim: [0, 0, 1, 0], factor: 1e-3, kind: 'volume' },
};

/** Parses "L/h", "1/h", "mg/L", "mL/min", "h^-1", "nmol/L/h"; undefined if not a unit expression. */
export function parseUnit(text: string): Unit | undefined {
  // a product may be written with a middle dot, a full stop or a space: L·h-1, L.h-1, L h-1
  const s = text.trim().replace(/[·.]/g, '*').replace(/\s+(?=[A-Za-zµ])/g, '*').replace(/\s+/g, '');
  if (s === '' || s === '1' || s === '-') return { dim: [0, 0, 0, 0] };
  const dim = [0, 0, 0, 0];
  let volume: number | undefined;
  let time: number | undefined;
  const parts = s.split(/(?=[/*])/);
  for (const raw of parts) {
    const sign = raw.startsWith('/') ? -1 : 1;
    const tok = raw.replace(/^[/*]/, '').trim();
    const m = /^([A-Za-zµ]+|1)(?:\^?(-?\d+))?$/.exec(tok);
    if (!m) return undefined;
    if (m[1] === '1') continue;
    const b = BASE[m[1] as string];
    if (!b) return undefined;
    const p = sign * Number(m[2] ?? 1);
    for (let i = 0; i < 4; i++) dim[i] = (dim[i] as number) + (b.dim[i] as number) * p;
    if (b.kind === 'volume') volume = b.factor;
    if (b.kind === 'time') time = b.factor;
  }
  return { dim: dim as unknown as Dim, volume, time };
}

const VOL_TIME: Dim = [0, 0, 1, -1];
const VOLUME: Dim = [0, 0, 1, 0];
const RATE: Dim = [0, 0, 0, -1];
// the quantity exponent (first entry) of a `quantity` unit may be on mass or on amount: a KM in
// mg/L or in nmol/L, a VMAX in mg/h or in nmol/h (dosewise does not know the dose's unit)
const CONCENTRATION: Dim = [1, 0, -1, 0];
const CONC_TIME: Dim = [1, 0, -1, -1];
const PER_CONC_TIME: Dim = [-1, 0, 1, -1];
const QUANTITY_TIME: Dim = [1, 0, 0, -1];
const EXPECTED: Readonly<Record<string, { dim: Dim; what: string; quantity?: boolean }>> = {
  CL: { dim: VOL_TIME, what: 'a clearance (volume/time)' },
  Q: { dim: VOL_TIME, what: 'a clearance (volume/time)' },
  Q3: { dim: VOL_TIME, what: 'a clearance (volume/time)' },
  V: { dim: VOLUME, what: 'a volume' },
  V2: { dim: VOLUME, what: 'a volume' },
  V3: { dim: VOLUME, what: 'a volume' },
  KA: { dim: RATE, what: 'a rate constant (1/time)' },
  K: { dim: RATE, what: 'a rate constant (1/time)' },
  K12: { dim: RATE, what: 'a rate constant (1/time)' },
  K21: { dim: RATE, what: 'a rate constant (1/time)' },
  K13: { dim: RATE, what: 'a rate constant (1/time)' },
  K31: { dim: RATE, what: 'a rate constant (1/time)' },
  KEL: { dim: RATE, what: 'a rate constant (1/time)' },
  KE0: { dim: RATE, what: 'a rate constant (1/time)' },
  KINT: { dim: RATE, what: 'a rate constant (1/time)' },
  KDEG: { dim: RATE, what: 'a rate constant (1/time)' },
  KOFF: { dim: RATE, what: 'a rate constant (1/time)' },
  // TMDD and Michaelis–Menten: these had no entry, so a KON in L/nmol/day, a KSYN in nmol/L/day or
  // a VMAX in mg/day ran as per hour, 24 times too fast, while a KEL in 1/day beside them was refused
  KON: { dim: PER_CONC_TIME, what: 'a second-order rate constant (1/(concentration·time), e.g. L/nmol/h)', quantity: true },
  KSYN: { dim: CONC_TIME, what: 'a synthesis rate (concentration/time, e.g. nmol/L/h)', quantity: true },
  VMAX: { dim: QUANTITY_TIME, what: 'a maximal elimination rate (amount/time, e.g. mg/h)', quantity: true },
  KM: { dim: CONCENTRATION, what: 'a concentration (e.g. mg/L)', quantity: true },
  KSS: { dim: CONCENTRATION, what: 'a concentration (e.g. nmol/L)', quantity: true },
  KD: { dim: CONCENTRATION, what: 'a concentration (e.g. nmol/L)', quantity: true },
};

/** Whether dimension `u` (mass, amount, volume, time) is `want`, its quantity on mass or amount where `quantity`. */
function sameDim(u: readonly number[], want: Dim, quantity: boolean | undefined): boolean {
  if (u[2] !== want[2] || u[3] !== want[3]) return false;
  if (!quantity) return u[0] === want[0] && u[1] === want[1];
  const q = want[0] + want[1];
  return (u[0] === q && u[1] === 0) || (u[0] === 0 && u[1] === q);
}

/** A θ's unit: dimension (mass, amount, volume, time, length), its time part against the hour, its volume unit, its power of body mass (kg). */
interface ThetaUnit {
  readonly dim: number[];
  /** What a value in this unit is multiplied by to be per hour (L/day: 1/24; mL/min/kg: 60, its volume aside). */
  readonly time: number;
  readonly volume?: number;
  /** Power of kg (per kg: -1); negative, it is per body weight, not the dose's mass. */
  readonly bodyMass: number;
}

/**
 * Parses a θ's unit as papers write it: "L/h", "L/h/kg", "mL/min/kg", "L/h/1.73 m²", "(L/h)/(mL/min)",
 * "L/h/kg^0.75"; undefined if not understood. `rate` is the first group of "(A)/B" (the part that
 * is in the parameter's unit, B being the unit of the covariate it multiplies).
 */
function parseThetaUnit(text: string): (ThetaUnit & { readonly rate?: ThetaUnit }) | undefined {
  const s = text
    .trim()
    .replace(/μ/g, 'µ')
    .replace(/⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]+/g, (e) => '^' + [...e].map((c) => (c === '⁻' ? '-' : String('⁰¹²³⁴⁵⁶⁷⁸⁹'.indexOf(c)))).join(''))
    // "L/h per 70 kg"
    .replace(/\s+per\s+/gi, '/')
    // "per 1.73 m²" divides by the whole of 1.73 m², not by 1.73 and then times m²
    .replace(/\/\s*(\d+(?:\.\d+)?)\s*(?=[A-Za-zµ])/g, '/$1/')
    .replace(/·|\.(?!\d)|(?<!\d)\./g, '*')
    .replace(/(?<=[A-Za-zµ\d)])\s+(?=[A-Za-zµ(\d])/g, '*')
    .replace(/\s+/g, '');
  if (s === '' || s === '1' || s === '-') return { dim: [0, 0, 0, 0, 0], time: 1, bodyMass: 0 };
  const toks = s.match(/\(|\)|\*|\/|\^?-?\d+(?:\.\d+)?|[A-Za-zµ]+|./g) ?? [];
  let i = 0;
  const one = (): ThetaUnit => ({ dim: [0, 0, 0, 0, 0], time: 1, bodyMass: 0 });
  const power = (u: ThetaUnit, p: number): ThetaUnit => ({ dim: u.dim.map((d) => d * p), time: u.time ** p, volume: u.volume, bodyMass: u.bodyMass * p });
  const times = (a: ThetaUnit, b: ThetaUnit): ThetaUnit => ({ dim: a.dim.map((d, k) => d + (b.dim[k] as number)), time: a.time * b.time, volume: b.volume ?? a.volume, bodyMass: a.bodyMass + b.bodyMass });
  const exponent = (): number => {
    const t = toks[i];
    if (t !== undefined && /^\^?-?\d/.test(t)) {
      i++;
      return Number(t.replace('^', ''));
    }
    return 1;
  };
  const term = (): ThetaUnit | undefined => {
    const t = toks[i++];
    if (t === undefined) return undefined;
    if (t === '(') {
      const u = product();
      if (!u || toks[i++] !== ')') return undefined;
      return power(u, exponent());
    }
    // a plain number (the 1.73 of "per 1.73 m²") has no dimension and does not change the time unit
    if (/^\d/.test(t)) return one();
    if (!/^[A-Za-zµ]+$/.test(t)) return undefined;
    const b = covariateBase(t);
    if (!b) return undefined;
    const p = exponent();
    const isTime = b.dim.every((d, k) => d === (k === 3 ? 1 : 0));
    const isVolume = b.dim.every((d, k) => d === (k === 2 ? 1 : 0));
    const kg = /^(kg|kilograms?)$/i.test(t);
    return { dim: b.dim.map((d) => d * p), time: isTime ? b.factor ** p : 1, volume: isVolume ? b.factor : undefined, bodyMass: kg ? p : 0 };
  };
  const product = (): ThetaUnit | undefined => {
    let u = term();
    while (u && (toks[i] === '*' || toks[i] === '/')) {
      const div = toks[i++] === '/';
      const v = term();
      if (!v) return undefined;
      u = times(u, div ? power(v, -1) : v);
    }
    return u;
  };
  const grouped = toks[0] === '(';
  const first = grouped ? term() : undefined;
  const rate = grouped && toks[i] === '/' ? first : undefined;
  i = 0;
  const whole = product();
  if (!whole || i !== toks.length) return undefined;
  return rate ? { ...whole, rate } : whole;
}

/** A parameter's expression as a product: the factors multiplied (numerator) and divided by (denominator). */
function factors(ast: Ast, num: Ast[] = [], den: Ast[] = [], inverted = false): { num: Ast[]; den: Ast[] } {
  if (ast.k === 'bin' && (ast.op === '*' || ast.op === '/')) {
    factors(ast.a, num, den, inverted);
    factors(ast.b, num, den, ast.op === '/' ? !inverted : inverted);
  } else (inverted ? den : num).push(ast);
  return { num, den };
}

/** θ of a model file (its units) and the parameters' expressions, for checkUnits to check typical values. */
export interface ThetaUnits {
  readonly theta?: Readonly<Record<string, number | { readonly unit?: string | undefined }>> | undefined;
  readonly expressions?: ReadonlyMap<string, Ast>;
}

/**
 * Checks declared units of structural parameters (`parameters.<NAME>.unit`). Parameters without a
 * unit are not checked; a declared unit must parse and have the right dimension, and all declared
 * time and volume units must agree.
 *
 * With `theta` and the parameters' `expressions`, a θ with a unit that is a factor of a structural
 * parameter's product (CL = TVCL, CL = TVCL·(WT/70)^0.75·exp(ETA_CL), CL = TVCL·WT) is that
 * parameter's typical value and is checked as the parameter would be, per kg or per m² of body
 * size allowed: a TVCL in L/day was read as L/h. Other θ (exponents, a TM50 in weeks, an age slope
 * in 1/year, covariate effects) are not checked.
 */
export function checkUnits(units: Readonly<Record<string, string | undefined>>, typical: ThetaUnits = {}): void {
  let time: { name: string; factor: number; text: string } | undefined;
  let volume: { name: string; factor: number; text: string } | undefined;
  for (const [name, text] of Object.entries(units)) {
    const want = EXPECTED[name];
    if (text === undefined || !want) continue;
    const u = parseUnit(text);
    const path = `parameters.${name}.unit`;
    if (!u) throw Errors.model(path, 'not a unit dosewise understands (e.g. L/h, L, 1/h, mL/min, 1/min)', text);
    if (!sameDim(u.dim, want.dim, want.quantity)) throw Errors.model(path, `${name} is ${want.what}`, text);
    if (u.time !== undefined) {
      if (time && time.factor !== u.time)
        throw Errors.model(path, `time units disagree: ${time.name} is in ${time.text} but ${name} in ${text}; use one time unit${u.time !== 1 && time.factor === 1 ? `, the hour (dosewise runs on hours): give ${name} per hour${hourHint(u.time)}` : ''}`, text);
      time ??= { name, factor: u.time, text };
      // dosewise's clock is the hour: clock times become hours, II and metric windows (auc24, a 48 h
      // horizon) are hours; a model in days ran on TIME in days and read 24 h after a dose as 24 days
      if (u.time !== 1)
        throw Errors.model(path, `dosewise runs on hours (TIME, II, clock times, metric windows such as auc24): give ${name} per hour${hourHint(u.time)}, and the data's times in hours`, text);
    }
    if (u.volume !== undefined) {
      if (volume && volume.factor !== u.volume)
        throw Errors.model(path, `volume units disagree: ${volume.name} is in ${volume.text} but ${name} in ${text}; use one volume unit`, text);
      volume ??= { name, factor: u.volume, text };
    }
  }
  const { theta, expressions } = typical;
  if (!theta || !expressions) return;
  for (const [param, ast] of expressions) {
    const want = EXPECTED[param];
    if (!want) continue;
    const { num, den } = factors(ast);
    for (const f of num) {
      if (f.k !== 'var') continue;
      const t = theta[f.name];
      const text = typeof t === 'object' ? t.unit : undefined;
      if (text === undefined) continue;
      const name = f.name;
      const path = `theta.${name}.unit`;
      const role = `${name} is the typical value of ${param} (a factor of its expression)`;
      const parsed = parseThetaUnit(text);
      if (!parsed) throw Errors.model(path, `${role}: not a unit dosewise understands (e.g. L/h, L, 1/h, L/h/kg)`, text);
      const r = parsed.rate ?? parsed;
      // per kg (any power) or per m² of body size: CL = TVCL·WT with TVCL in L/h/kg
      const size = r.dim.slice(0, 4);
      size[0] = (size[0] as number) - Math.min(r.bodyMass, 0);
      if (!sameDim(size, want.dim, want.quantity) || (r.dim[4] as number) > 0) {
        // beside another variable (CL = TVCL_CRCL·CRCL) the θ may be a slope whose rest of the unit
        // the variable carries; alone (with numbers, powers, exp(η)) it carries the whole unit
        const others = [...num.filter((g) => g !== f), ...den].some((g) => g.k === 'var');
        if (others) continue;
        throw Errors.model(path, `${role}, and ${param} is ${want.what}; per kg or per m² of body size is allowed`, text);
      }
      if (Math.abs(r.time - 1) > 1e-9)
        throw Errors.model(path, `dosewise runs on hours (TIME, II, clock times, metric windows such as auc24): ${role}; give ${name} per hour${thetaHourHint(r.time)}, and the data's times in hours`, text);
      if (r.volume !== undefined) {
        if (volume && volume.factor !== r.volume)
          throw Errors.model(path, `volume units disagree: ${volume.name} is in ${volume.text} but ${name} (typical value of ${param}) in ${text}; use one volume unit`, text);
        volume ??= { name, factor: r.volume, text };
      }
    }
  }
}

/** How to bring a θ to per hour: L/day → divide it by 24, mL/min/kg → multiply it by 60 (`toHours`: what a value is multiplied by). */
function thetaHourHint(toHours: number): string {
  return toHours < 1 ? `: divide it by ${Number((1 / toHours).toPrecision(6))}` : `: multiply it by ${Number(toHours.toPrecision(6))}`;
}

/** How to bring a per-time value to per hour: 1/day → divide by 24, 1/min → multiply by 60. */
function hourHint(factor: number): string {
  return factor > 1 ? `: divide a clearance or a rate constant in it by ${Number(factor.toPrecision(6))}` : `: multiply a clearance or a rate constant in it by ${Number((1 / factor).toPrecision(6))}`;
}

// Covariate units (a population's covariate file against the model file) also carry lengths (HT in
// m or cm, BSA in m²) and ages (years, weeks): they are compared, never converted, so a CRCL in
// mL/min read by a model in L/h is refused, not run 16.7 times too high.
const COVARIATE_BASE: Readonly<Record<string, { dim: readonly number[]; factor: number }>> = {
  ...Object.fromEntries(Object.entries(BASE).map(([k, b]) => [k, { dim: [...b.dim, 0], factor: b.factor }])),
  m: { dim: [0, 0, 0, 0, 1], factor: 1 },
  cm: { dim: [0, 0, 0, 0, 1], factor: 0.01 },
  mm: { dim: [0, 0, 0, 0, 1], factor: 0.001 },
  wk: { dim: [0, 0, 0, 1, 0], factor: 168 },
  wks: { dim: [0, 0, 0, 1, 0], factor: 168 },
  weeks: { dim: [0, 0, 0, 1, 0], factor: 168 },
  month: { dim: [0, 0, 0, 1, 0], factor: 730.5 },
  months: { dim: [0, 0, 0, 1, 0], factor: 730.5 },
  y: { dim: [0, 0, 0, 1, 0], factor: 8766 },
  yr: { dim: [0, 0, 0, 1, 0], factor: 8766 },
  yrs: { dim: [0, 0, 0, 1, 0], factor: 8766 },
  year: { dim: [0, 0, 0, 1, 0], factor: 8766 },
  years: { dim: [0, 0, 0, 1, 0], factor: 8766 },
  gram: { dim: [1, 0, 0, 0, 0], factor: 1e3 },
  grams: { dim: [1, 0, 0, 0, 0], factor: 1e3 },
  kilogram: { dim: [1, 0, 0, 0, 0], factor: 1e6 },
  kilograms: { dim: [1, 0, 0, 0, 0], factor: 1e6 },
  micromol: { dim: [0, 1, 0, 0, 0], factor: 1e-3 },
  metre: { dim: [0, 0, 0, 0, 1], factor: 1 },
  meter: { dim: [0, 0, 0, 0, 1], factor: 1 },
  week: { dim: [0, 0, 0, 1, 0], factor: 168 },
};

/**
 * A covariate unit's base by name, in any case where the case decides nothing ("Years", "KG",
 * "Days"; "mL" and "ML" alike, every reading of "ml" being one unit): a spelling in capitals was
 * read as another unit ("Years" against "y" refused while "years" passed). "m" (metre) keeps its
 * case: "M" is no unit here.
 */
const COVARIATE_BASE_CI: ReadonlyMap<string, { dim: readonly number[]; factor: number } | null> = (() => {
  const m = new Map<string, { dim: readonly number[]; factor: number } | null>();
  for (const [k, b] of Object.entries(COVARIATE_BASE)) {
    const key = k.toLowerCase();
    const seen = m.get(key);
    if (seen === undefined) m.set(key, b);
    else if (seen !== null && (seen.factor !== b.factor || seen.dim.some((d, i) => d !== b.dim[i]))) m.set(key, null);
  }
  return m;
})();

function covariateBase(name: string): { dim: readonly number[]; factor: number } | undefined {
  return COVARIATE_BASE[name] ?? (name === 'M' ? undefined : (COVARIATE_BASE_CI.get(name.toLowerCase()) ?? undefined));
}

/** Dimension (mass, amount, volume, time, length) and size relative to mg, mmol, L, h and m; undefined if not understood. */
function parseCovariateUnit(text: string): { dim: number[]; factor: number } | undefined {
  const s = text
    .trim()
    // Greek mu (U+03BC) for the micro sign (U+00B5): the two look alike and mean one prefix
    .replace(/μ/g, 'µ')
    // superscript exponents (mL·min⁻¹, kg·m⁻²)
    .replace(/⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]+/g, (e) => '^' + [...e].map((c) => (c === '⁻' ? '-' : String('⁰¹²³⁴⁵⁶⁷⁸⁹'.indexOf(c)))).join(''))
    .replace(/²/g, '^2')
    .replace(/³/g, '^3')
    // a normalisation divides by the whole of "1.73 m²" (an eGFR in mL/min/1.73 m² is per 1.73 m² of
    // body surface), not by 1.73 and then times m²
    .replace(/\/\s*(\d+(?:\.\d+)?)\s*(?=[A-Za-zµ])/g, '/$1/')
    // a full stop between digits is a decimal point (1.73), elsewhere a product (L.h-1)
    .replace(/·|\.(?!\d)|(?<!\d)\./g, '*')
    .replace(/\s+(?=[A-Za-zµ])/g, '*')
    .replace(/\s+/g, '');
  // no dimension: a flag (0/1) or a plain number (1, -) alike
  if (s === '' || s === '1' || s === '-' || /^0\/1$/.test(s)) return { dim: [0, 0, 0, 0, 0], factor: 1 };
  const dim = [0, 0, 0, 0, 0];
  let factor = 1;
  for (const raw of s.split(/(?=[/*])/)) {
    const sign = raw.startsWith('/') ? -1 : 1;
    const tok = raw.replace(/^[/*]/, '');
    if (/^\d+(?:\.\d+)?$/.test(tok)) {
      const v = Number(tok);
      if (!(v > 0)) return undefined;
      factor *= v ** sign;
      continue;
    }
    const m = /^([A-Za-zµ]+)(?:\^?(-?\d+))?$/.exec(tok);
    if (!m) return undefined;
    const b = covariateBase(m[1] as string);
    if (!b) return undefined;
    const p = sign * Number(m[2] ?? 1);
    for (let i = 0; i < 5; i++) dim[i] = (dim[i] as number) + (b.dim[i] as number) * p;
    factor *= b.factor ** p;
  }
  return { dim, factor };
}

/**
 * Whether dosewise understands a covariate unit (its dimension and size): with compareUnits, tells
 * two units of different kinds (m² against kg: refused) from a unit it cannot read (not compared).
 */
export function isCovariateUnit(text: string): boolean {
  return parseCovariateUnit(text) !== undefined;
}

/**
 * How a value in unit `from` compares with unit `to`: `same` when they are one unit however written
 * (`L/h`, `L/hour`, `l/h`; `years`, `y`); otherwise, when both are understood and of one dimension,
 * `factor`, the number a value in `from` is multiplied by to be in `to` (mL/min → L/h: 0.06).
 * Neither for units of different kinds nor for a unit not understood: isCovariateUnit tells which.
 *
 * @example
 * compareUnits('mL/min', 'L/h'); // { same: false, factor: 0.06 }
 * compareUnits('L/hour', 'l/h'); // { same: true }
 * compareUnits('mg/dL', 'umol/L'); // { same: false } (mass against amount: no factor without the molar mass)
 */
export function compareUnits(from: string, to: string): { readonly same: boolean; readonly factor?: number } {
  const a = parseCovariateUnit(from);
  const b = parseCovariateUnit(to);
  if (a && b) {
    if (a.dim.some((d, i) => d !== b.dim[i])) return { same: false };
    const factor = a.factor / b.factor;
    if (Math.abs(factor - 1) <= 1e-12) return { same: true };
    return { same: false, factor: Number(factor.toPrecision(12)) };
  }
  // units dosewise does not parse ("mmHg", "IU/L") are one unit when written alike
  const plain = (u: string): string => u.toLowerCase().replace(/μ/g, 'µ').replace(/²/g, '2').replace(/³/g, '3').replace(/[\s^]/g, '');
  return { same: plain(from) === plain(to) };
}

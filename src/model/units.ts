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
  pg: { dim: [1, 0, 0, 0], factor: 1e-9 },
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

/**
 * What the size of a parameter's unit is compared on besides the hour: its volume unit (CL, V: all
 * one volume unit), its concentration unit (KM, KSS, KD, KSYN, KON: all one concentration, µg/mL
 * being mg/L), its amount unit (VMAX), or nothing (rate constants).
 */
type Role = 'volume' | 'concentration' | 'amount' | 'rate';

interface Want {
  readonly dim: Dim;
  readonly what: string;
  readonly quantity?: boolean;
  readonly role: Role;
  /** Power of the role's unit in the parameter's (KON is per concentration: -1). */
  readonly power: number;
  readonly example: string;
  /** The structures that read the name as this quantity (every structure when absent). */
  readonly structures?: readonly string[];
}

const CLEARANCE: Want = { dim: VOL_TIME, what: 'a clearance (volume/time)', role: 'volume', power: 1, example: 'L/h' };
const VOLUME_WANT: Want = { dim: VOLUME, what: 'a volume', role: 'volume', power: 1, example: 'L' };
const RATE_WANT: Want = { dim: RATE, what: 'a rate constant (1/time)', role: 'rate', power: 0, example: '1/h' };
const EXPECTED: Readonly<Record<string, Want>> = {
  CL: CLEARANCE,
  Q: CLEARANCE,
  Q3: CLEARANCE,
  V: VOLUME_WANT,
  V2: VOLUME_WANT,
  V3: VOLUME_WANT,
  KA: RATE_WANT,
  K: RATE_WANT,
  K12: RATE_WANT,
  K21: RATE_WANT,
  K13: RATE_WANT,
  K31: RATE_WANT,
  KEL: RATE_WANT,
  KE0: RATE_WANT,
  KINT: RATE_WANT,
  KDEG: RATE_WANT,
  KOFF: RATE_WANT,
  // TMDD and Michaelis–Menten: these had no entry, so a KON in L/nmol/day, a KSYN in nmol/L/day or
  // a VMAX in mg/day ran as per hour, 24 times too fast, while a KEL in 1/day beside them was
  // refused. Only the structures that read a name as that quantity check it: a linear
  // parent–metabolite model's KM (a formation rate, 1/h) was refused as "a concentration"
  KON: { dim: PER_CONC_TIME, what: 'a second-order rate constant (1/(concentration·time), e.g. L/nmol/h)', quantity: true, role: 'concentration', power: -1, example: 'L/nmol/h', structures: ['tmdd'] },
  KSYN: { dim: CONC_TIME, what: 'a synthesis rate (concentration/time, e.g. nmol/L/h)', quantity: true, role: 'concentration', power: 1, example: 'nmol/L/h', structures: ['tmdd', 'tmdd-qss'] },
  VMAX: { dim: QUANTITY_TIME, what: 'a maximal elimination rate (amount/time, e.g. mg/h)', quantity: true, role: 'amount', power: 1, example: 'mg/h', structures: ['michaelis-menten'] },
  KM: { dim: CONCENTRATION, what: 'a concentration (e.g. mg/L)', quantity: true, role: 'concentration', power: 1, example: 'mg/L', structures: ['michaelis-menten'] },
  KSS: { dim: CONCENTRATION, what: 'a concentration (e.g. nmol/L)', quantity: true, role: 'concentration', power: 1, example: 'nmol/L', structures: ['tmdd-qss'] },
  KD: { dim: CONCENTRATION, what: 'a concentration (e.g. nmol/L)', quantity: true, role: 'concentration', power: 1, example: 'nmol/L', structures: ['tmdd', 'tmdd-qss'] },
};

/** What a parameter's name is for the structure (undefined: not checked); every entry when the structure is not known. */
function expectedOf(name: string, structure: string | undefined): Want | undefined {
  const want = EXPECTED[name];
  if (!want || structure === undefined || !want.structures) return want;
  return want.structures.includes(structure) ? want : undefined;
}

/** Whether dimension `u` (mass, amount, volume, time) is `want`, its quantity on mass or amount where `quantity`. */
function sameDim(u: readonly number[], want: Dim, quantity: boolean | undefined): boolean {
  if (u[2] !== want[2] || u[3] !== want[3]) return false;
  if (!quantity) return u[0] === want[0] && u[1] === want[1];
  const q = want[0] + want[1];
  return (u[0] === q && u[1] === 0) || (u[0] === 0 && u[1] === q);
}

/** A unit as read for the checks: dimension and size per base (mass, amount, volume, time, length; against mg, mmol, L, h, m). */
interface ReadUnit {
  readonly dim: number[];
  readonly size: number[];
  /** Power of kg (per kg: -1); negative, it is per body weight, not the dose's mass. */
  readonly bodyMass: number;
  /** A number on a body weight ("70 kg"): a typical value for 70 kg cannot be told from per 70 kg. */
  readonly perBodyMass?: string;
  /** The number of a body-surface normalisation ("per 1.73 m²": 1.73), read with BSA/1.73. */
  readonly perArea?: number;
  /** A number on no unit, other than 1 ("L/h/1000"). */
  readonly bare?: string;
}

// molar concentrations as papers write them (case decides: mM is millimolar, mm a millimetre)
const MOLAR: Readonly<Record<string, number>> = { M: 1e3, mM: 1, uM: 1e-3, 'µM': 1e-3, nM: 1e-6, pM: 1e-9 };
const SPELLED_VOLUME: Readonly<Record<string, number>> = { liter: 1, liters: 1, litre: 1, litres: 1, milliliter: 1e-3, milliliters: 1e-3, millilitre: 1e-3, millilitres: 1e-3, deciliter: 0.1, deciliters: 0.1, decilitre: 0.1, decilitres: 0.1 };

function unitBase(name: string): { dim: readonly number[]; factor: number } | undefined {
  const molar = MOLAR[name];
  if (molar !== undefined) return { dim: [0, 1, -1, 0, 0], factor: molar };
  const spelled = SPELLED_VOLUME[name.toLowerCase()];
  if (spelled !== undefined) return { dim: [0, 0, 1, 0, 0], factor: spelled };
  return covariateBase(name);
}

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/**
 * Reads a parameter's or θ's unit as papers write it: "L/h", "nM-1 h-1", "L/h/kg", "mL/min/kg",
 * "L/h/1.73 m²", "(L/h)/(mL/min)", "L/day per mL/min", "L·h⁻¹·kg⁻⁰·⁷⁵"; undefined if not understood.
 * A number on a unit counts it (24 h is a day, 100 mL a decilitre), but on a length it is a body
 * surface normalisation (per 1.73 m²) and on a body weight it is kept aside (`perBodyMass`). `rate`
 * is the first group of "(A)/B" or "A per B" (the part in the parameter's unit, B being the unit
 * of the covariate it multiplies).
 */
function readUnit(text: string): (ReadUnit & { readonly rate?: ReadUnit }) | undefined {
  // "/h" for a rate constant is 1/h
  const parts = text.trim().replace(/^\//, '1/').split(/\s+per\s+/i);
  const s = (parts.length > 1 ? parts.map((p) => `(${p})`).join('/') : (parts[0] as string))
    .replace(/μ/g, 'µ')
    // superscript exponents, a decimal one too (kg⁻⁰·⁷⁵)
    .replace(new RegExp(`⁻?[${SUPERSCRIPT}]+(?:·[${SUPERSCRIPT}]+)?`, 'g'), (e) => '^' + [...e].map((c) => (c === '⁻' ? '-' : c === '·' ? '.' : String(SUPERSCRIPT.indexOf(c)))).join(''))
    .replace(/·|\.(?!\d)|(?<!\d)\./g, '*')
    // a number and the unit it counts are one term: "24 h", "70 kg", "1.73 m²"
    .replace(/(^|[/*(])\s*(\d+(?:\.\d+)?)\s+(?=[A-Za-zµ])/g, '$1$2')
    .replace(/(?<=[A-Za-zµ\d)])\s+(?=[A-Za-zµ(\d])/g, '*')
    .replace(/\s+/g, '');
  const one = (): ReadUnit => ({ dim: [0, 0, 0, 0, 0], size: [1, 1, 1, 1, 1], bodyMass: 0 });
  if (s === '' || s === '1' || s === '-') return one();
  const toks = s.match(/\(|\)|\*|\/|\^?-?\d+(?:\.\d+)?|[A-Za-zµ]+|./g) ?? [];
  let i = 0;
  const flags = (a: ReadUnit, b?: ReadUnit): Pick<ReadUnit, 'perBodyMass' | 'bare' | 'perArea'> => {
    const perBodyMass = a.perBodyMass ?? b?.perBodyMass;
    const bare = a.bare ?? b?.bare;
    const perArea = a.perArea ?? b?.perArea;
    return { ...(perBodyMass !== undefined ? { perBodyMass } : {}), ...(bare !== undefined ? { bare } : {}), ...(perArea !== undefined ? { perArea } : {}) };
  };
  const power = (u: ReadUnit, p: number): ReadUnit => ({ dim: u.dim.map((d) => d * p), size: u.size.map((z) => z ** p), bodyMass: u.bodyMass * p, ...flags(u) });
  const times = (a: ReadUnit, b: ReadUnit): ReadUnit => ({
    dim: a.dim.map((d, k) => d + (b.dim[k] as number)),
    size: a.size.map((z, k) => z * (b.size[k] as number)),
    bodyMass: a.bodyMass + b.bodyMass,
    ...flags(a, b),
  });
  const exponent = (): number => {
    const t = toks[i];
    if (t !== undefined && /^\^?-?\d/.test(t)) {
      i++;
      return Number(t.replace('^', ''));
    }
    return 1;
  };
  const term = (): ReadUnit | undefined => {
    const t = toks[i++];
    if (t === undefined) return undefined;
    if (t === '(') {
      const u = product();
      if (!u || toks[i++] !== ')') return undefined;
      return power(u, exponent());
    }
    if (/^\d/.test(t)) {
      const n = Number(t);
      if (!(n > 0)) return undefined;
      const next = toks[i];
      if (next === undefined || !/^[A-Za-zµ]/.test(next)) return n === 1 ? one() : { ...one(), bare: t };
      const u = term();
      if (!u) return undefined;
      // per 1.73 m² of body surface: a normalisation, read with BSA/1.73
      if (u.dim[4] !== 0) return n === 1 ? u : { ...u, perArea: n };
      if (u.bodyMass !== 0) return { ...u, perBodyMass: `${t} ${next}` };
      const k = u.dim.findIndex((d) => d !== 0);
      if (k < 0) return undefined;
      const size = [...u.size];
      size[k] = (size[k] as number) * n ** Math.sign(u.dim[k] as number);
      return { ...u, size };
    }
    if (!/^[A-Za-zµ]+$/.test(t)) return undefined;
    const b = unitBase(t);
    if (!b) return undefined;
    const p = exponent();
    const k = b.dim.findIndex((d) => d !== 0);
    const size = [1, 1, 1, 1, 1];
    if (k >= 0) size[k] = b.factor ** p;
    return { dim: b.dim.map((d) => d * p), size, bodyMass: /^(kg|kilograms?)$/i.test(t) ? p : 0 };
  };
  const product = (): ReadUnit | undefined => {
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

/** The unit without its power of body weight (L/h/kg read as L/h, its kg's size too). */
function withoutBodyMass(u: ReadUnit): ReadUnit {
  const dim = [...u.dim];
  const size = [...u.size];
  dim[0] = (dim[0] as number) - u.bodyMass;
  size[0] = (size[0] as number) / 1e6 ** u.bodyMass;
  return { ...u, dim, size, bodyMass: 0 };
}

/** The parts of a unit the checks compare: what a value is multiplied by to be per hour, and the size of the role's unit (volume, concentration, amount; against L, mg/L or mmol/L, mg or mmol). */
interface Parts {
  readonly perHour: number;
  readonly x: number;
  readonly kind?: 'mass' | 'amount';
}

function partsOf(u: ReadUnit, want: Want): Parts {
  const [m, a, v, t] = u.size as [number, number, number, number];
  const kind = u.dim[1] !== 0 ? 'amount' : 'mass';
  switch (want.role) {
    case 'volume':
      return { perHour: t, x: v };
    case 'concentration':
      return { perHour: t, x: (m * a * v) ** (1 / want.power), kind };
    case 'amount':
      return { perHour: t, x: m * a, kind };
    default:
      return { perHour: t, x: 1 };
  }
}

/** A unit the others of its role are compared with: who gave it, as written, its size. */
interface Ref {
  readonly who: string;
  readonly path: string;
  readonly text: string;
  readonly x: number;
  readonly kind?: 'mass' | 'amount';
}

const close = (a: number, b: number, rel = 1e-9): boolean => Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b));

const QUANTITY_NAMES: Readonly<Record<'mass' | 'amount', readonly (readonly [number, string])[]>> = {
  mass: [
    [1e3, 'g'],
    [1, 'mg'],
    [1e-3, 'µg'],
    [1e-6, 'ng'],
    [1e-9, 'pg'],
  ],
  amount: [
    [1e3, 'mol'],
    [1, 'mmol'],
    [1e-3, 'µmol'],
    [1e-6, 'nmol'],
    [1e-9, 'pmol'],
  ],
};
const VOLUME_NAMES: readonly (readonly [number, string])[] = [
  [1, 'L'],
  [0.1, 'dL'],
  [1e-3, 'mL'],
  [1e-6, 'µL'],
];

/** A size written as a unit: a volume (1e-3: mL), a concentration (1e-6 amount: nmol/L) or an amount. */
function unitName(role: Role, x: number, kind: 'mass' | 'amount' | undefined): string {
  if (role === 'volume') return VOLUME_NAMES.find(([z]) => close(z, x, 1e-6))?.[1] ?? `${Number(x.toPrecision(6))} L`;
  const names = QUANTITY_NAMES[kind ?? 'mass'];
  const q = names.find(([z]) => close(z, x, 1e-6))?.[1];
  if (role === 'amount') return q ?? `${Number(x.toPrecision(6))} ${kind === 'amount' ? 'mmol' : 'mg'}`;
  return q ? `${q}/L` : `${Number(x.toPrecision(6))} ${kind === 'amount' ? 'mmol' : 'mg'}/L`;
}

/** Sizes of the units of a role (for a θ converted in its expression when no other unit of its role is known). */
function unitSizes(role: Role): number[] {
  const vols = VOLUME_NAMES.map(([z]) => z);
  const qs = QUANTITY_NAMES.mass.map(([z]) => z);
  if (role === 'volume') return vols;
  if (role === 'amount') return qs;
  if (role === 'concentration') return qs.flatMap((q) => vols.map((v) => q / v));
  return [1];
}

const KIND_WORD = { mass: 'a mass', amount: 'moles' } as const;

/** θ of a model file (its units), the parameters' expressions and the structure's kind, for checkUnits. */
export interface ThetaUnits {
  readonly theta?: Readonly<Record<string, number | { readonly unit?: string | undefined }>> | undefined;
  readonly expressions?: ReadonlyMap<string, Ast>;
  /**
   * The structure's kind (`structure.kind`: linear, michaelis-menten, tmdd, tmdd-qss, ...): VMAX and
   * KM are checked only in Michaelis–Menten models, KON in TMDD, KSS in TMDD-QSS, KSYN and KD in
   * both TMDD; without it, wherever they appear.
   */
  readonly structure?: string | undefined;
  /**
   * The model file's covariates (`covariates.<NAME>.unit`): a θ per kg must be multiplied by a
   * covariate in kg, a θ per m² by one in m². Without it (or without a unit) a covariate's unit is
   * not known and not checked; the form of the product still is (a ratio WT/70, a power WT^0.75).
   */
  readonly covariates?: Readonly<Record<string, { readonly unit?: string | undefined }>> | undefined;
}

/** The refusal of a unit against the one its role was first given in (volume or concentration). */
function disagreement(role: Role, ref: Ref, who: string, text: string, p: Parts): string | undefined {
  if (role === 'volume') return close(ref.x, p.x) ? undefined : `volume units disagree: ${ref.who} is in ${ref.text} but ${who} in ${text}; use one volume unit`;
  if (role !== 'concentration') return undefined;
  if (ref.kind !== p.kind)
    return `concentration units disagree: ${ref.who} is in ${ref.text}, concentrations in ${KIND_WORD[ref.kind ?? 'mass']}, but ${who} in ${text}, in ${KIND_WORD[p.kind ?? 'mass']}; dosewise does not know the molar mass: use one concentration unit`;
  if (close(ref.x, p.x)) return undefined;
  return `concentration units disagree: ${ref.who} is in ${ref.text} (concentrations in ${unitName(role, ref.x, ref.kind)}) but ${who} in ${text} (in ${unitName(role, p.x, p.kind)}); use one concentration unit`;
}

/**
 * Checks declared units of structural parameters (`parameters.<NAME>.unit`). Parameters without a
 * unit are not checked; a declared unit must parse and have the right dimension, all declared
 * time units must be the hour, volumes (CL, V, ...) one volume unit, and concentrations (KM, KSS,
 * KD, KSYN, KON) one concentration unit, compared as concentrations (µg/mL is mg/L); in a
 * Michaelis–Menten model KM's concentration is VMAX's amount over V's volume.
 *
 * With `theta` and the parameters' `expressions`, a θ with a unit that is a factor of a structural
 * parameter's product (CL = TVCL, CL = TVCL·(WT/70)^0.75·exp(ETA_CL), CL = TVCL·WT) is that
 * parameter's typical value and is checked as the parameter would be, per kg or per m² of body
 * size allowed: a TVCL in L/day was read as L/h. Numbers in the product may convert it
 * (CL = TVCL·0.06 with TVCL in mL/min; V = TVV/1000 with TVV in mL): the θ's unit times some of
 * them must then be the parameter's. Other θ (exponents, a TM50 in weeks, an age slope in 1/year,
 * covariate effects, a fraction beside the typical value) are not checked.
 */
export function checkUnits(units: Readonly<Record<string, string | undefined>>, typical: ThetaUnits = {}): StructureConcentration | undefined {
  const { theta, expressions, structure } = typical;
  let time: { name: string; factor: number; text: string } | undefined;
  const refs: Partial<Record<Role, Ref>> = {};
  for (const [name, text] of Object.entries(units)) {
    const want = expectedOf(name, structure);
    if (text === undefined || !want) continue;
    const path = `parameters.${name}.unit`;
    const u = readUnit(text);
    if (!u) throw Errors.model(path, 'not a unit dosewise understands (e.g. L/h, L, 1/h, mL/min, 1/min, mg/L, nmol/L, nM)', text);
    if (u.bare !== undefined) throw Errors.model(path, `the number ${u.bare} in the unit changes its size: give ${name} in a unit without it (e.g. ${want.example})`, text);
    if (!sameDim(u.dim, want.dim, want.quantity) || u.dim[4] !== 0) throw Errors.model(path, `${name} is ${want.what}`, text);
    const t = u.dim[3] as number;
    if (t !== 0) {
      // the size of the time unit used (day: 24), whatever its power
      const factor = (u.size[3] as number) ** (1 / t);
      if (time && !close(time.factor, factor))
        throw Errors.model(path, `time units disagree: ${time.name} is in ${time.text} but ${name} in ${text}; use one time unit${!close(factor, 1) && close(time.factor, 1) ? `, the hour (dosewise runs on hours): give ${name} per hour${hourHint(factor)}` : ''}`, text);
      time ??= { name, factor, text };
      // dosewise's clock is the hour: clock times become hours, II and metric windows (auc24, a 48 h
      // horizon) are hours; a model in days ran on TIME in days and read 24 h after a dose as 24 days
      if (!close(factor, 1))
        throw Errors.model(path, `dosewise runs on hours (TIME, II, clock times, metric windows such as auc24): give ${name} per hour${hourHint(factor)}, and the data's times in hours`, text);
    }
    const p = partsOf(u, want);
    const ref = refs[want.role];
    if (ref) {
      const why = disagreement(want.role, ref, name, text, p);
      if (why) throw Errors.model(path, why, text);
    } else if (want.role !== 'rate') refs[want.role] = { who: name, path, text, x: p.x, ...(p.kind ? { kind: p.kind } : {}) };
  }

  if (theta && expressions) {
    const unitOf = (name: string): string | undefined => {
      const t = theta[name];
      return typeof t === 'object' ? t.unit : undefined;
    };
    // what a name in a parameter's product is, for a θ per kg or per m²: a covariate, a parameter or
    // a θ with a unit says so; a covariate or parameter without one may be anything (not checked)
    const carrier = (name: string): Carrier => {
      const declared = name in theta ? unitOf(name) : expressions.has(name) ? units[name] : typical.covariates?.[name]?.unit;
      if (declared === undefined || declared.trim() === '') return name in theta ? { kind: 'other' } : { kind: 'unknown' };
      const u = parseCovariateUnit(declared);
      if (!u) return { kind: 'unknown' };
      const is = (d: readonly number[]): boolean => u.dim.every((x, k) => x === d[k]);
      if (is([1, 0, 0, 0, 0])) return close(u.factor, 1e6) ? { kind: 'weight', unit: declared } : { kind: 'mass', unit: declared };
      // a surface in m² (BSA 20000 in cm² beside a θ per m² ran as 20000 m²)
      if (is([0, 0, 0, 0, 2])) return close(u.factor, 1) ? { kind: 'area', unit: declared } : { kind: 'other', unit: declared };
      return { kind: 'other', unit: declared };
    };
    interface Pending {
      readonly param: string;
      readonly want: Want;
      readonly name: string;
      readonly text: string;
      readonly parts: Parts;
      readonly numbers: number[];
    }
    const pending: Pending[] = [];
    for (const [param, ast] of expressions) {
      const want = expectedOf(param, structure);
      if (!want) continue;
      const { num, den } = factors(ast);
      // numbers of the product, each possibly a conversion of its θ (0.06: mL/min to L/h; /1000: mL to L)
      const numbers = [...num.flatMap((g) => (g.k === 'num' ? [g.v] : [])), ...den.flatMap((g) => (g.k === 'num' ? [1 / g.v] : []))].filter((v) => v > 0 && v !== 1 && Number.isFinite(v));
      for (const f of num) {
        if (f.k !== 'var') continue;
        const text = unitOf(f.name);
        if (text === undefined) continue;
        const name = f.name;
        const path = `theta.${name}.unit`;
        const role = `${name} is the typical value of ${param} (a factor of its expression)`;
        const rest = [...num.filter((g) => g !== f), ...den];
        const parsed = readUnit(text);
        if (!parsed) {
          // beside a factor that may carry the unit (TVCL·FR with FR in %, "ratio" or "fold") the θ
          // is not the typical value; alone, or the only factor with a unit, it is
          const carrier = rest.some((g) => g.k === 'var' && !(g.name in theta && unitOf(g.name) === undefined));
          // a unit per body size dosewise cannot read ("mL/min/kg TBW", "L/h for 70 kg", "L/lb") is
          // no fraction beside its carrier: it ran unread, 16.7 times too high for mL/min/kg TBW
          if (carrier && !/kg|lb|m2|m²|m\^2|\bm\b/i.test(text)) continue;
          throw Errors.model(path, `${role}: not a unit dosewise understands (e.g. L/h, L, 1/h, L/h/kg)`, text);
        }
        // the whole unit when it is the parameter's kind ("L per h", "L/h per kg"), else the first
        // group of a slope ("(L/h)/(mL/min)", "L/day per mL/min")
        const whole = withoutBodyMass(parsed);
        const r = parsed.rate && !sameDim(whole.dim, want.dim, want.quantity) ? withoutBodyMass(parsed.rate) : whole;
        // per kg (any power) or per m² of body size: CL = TVCL·WT with TVCL in L/h/kg
        if (!sameDim(r.dim, want.dim, want.quantity) || (r.dim[4] as number) > 0) {
          // beside another variable (CL = TVCL_CRCL·CRCL) the θ may be a slope whose rest of the unit
          // the variable carries; alone (with numbers, powers, exp(η)) it carries the whole unit
          if (rest.some((g) => g.k === 'var')) continue;
          throw Errors.model(path, `${role}, and ${param} is ${want.what}; per kg or per m² of body size is allowed`, text);
        }
        if (parsed.perBodyMass !== undefined) {
          const n = parsed.perBodyMass.split(' ')[0] as string;
          throw Errors.model(
            path,
            `${role}: "${parsed.perBodyMass}" in its unit is read neither as per kg nor as the typical value of a ${n} kg patient; give ${name} per kg (${want.example}/kg, with ${param} = ${name}·WT) or, the typical value of a ${n} kg patient read with (WT/${n}), in ${want.example}`,
            text,
          );
        }
        if (parsed.bare !== undefined) throw Errors.model(path, `${role}: the number ${parsed.bare} in its unit changes its size; give ${name} in ${want.example}, or convert it in ${param}'s expression`, text);
        // per kg or per m²: something must multiply it by that weight or surface (a slope's unit,
        // "(L/h)/(mL/min)", is per its covariate and not checked here)
        if (r === whole) {
          const why = bodySizeRefusal({ name, text, param, want, unit: parsed, terms: productTerms(ast, carrier), carrier });
          if (why !== undefined) throw Errors.model(path, why, text);
        }
        pending.push({ param, want, name, text, parts: partsOf(r, want), numbers });
      }
    }
    const who = (c: Pending): string => `${c.name} (typical value of ${c.param})`;
    const accept = (c: Pending, x: number, text: string): void => {
      if (c.want.role !== 'rate' && !refs[c.want.role]) refs[c.want.role] = { who: who(c), path: `theta.${c.name}.unit`, text, x, ...(c.parts.kind ? { kind: c.parts.kind } : {}) };
    };
    // first the θ in the parameter's unit as written, then those their expressions convert, so that
    // a converted θ is compared with the units written out (u_A2: TVCL·60/1000 beside TVV in L)
    const converted: Pending[] = [];
    for (const c of pending) {
      const ref = refs[c.want.role];
      if (close(c.parts.perHour, 1) && (!ref || !disagreement(c.want.role, ref, who(c), c.text, c.parts))) accept(c, c.parts.x, c.text);
      else converted.push(c);
    }
    for (const c of converted) {
      const { want, parts } = c;
      const ref = refs[want.role];
      const path = `theta.${c.name}.unit`;
      const sameKind = !ref || want.role !== 'concentration' || ref.kind === parts.kind;
      // the θ's unit against the parameter's: a value in it is this many of the parameter's unit
      // (the role's unit being 1 L, 1 mg/L ...)
      const size = parts.perHour * parts.x ** want.power;
      const targets = ref ? [ref.x] : unitSizes(want.role);
      let found: number | undefined;
      if (sameKind)
        // every product of the numbers, the largest sets first (60/1000 converts mL/min to L/h, 60 alone to mL/h)
        for (const subset of subsets(c.numbers)) {
          const n = subset.reduce((a, b) => a * b, 1);
          const x = want.power === 0 ? 1 : (size / n) ** (1 / want.power);
          if ((want.power === 0 ? close(size / n, 1, 1e-3) : targets.some((z) => close(z, x, 1e-3))) && subset.length > 0) {
            found = targets.find((z) => close(z, x, 1e-3)) ?? x;
            break;
          }
        }
      if (found !== undefined) {
        accept(c, found, unitName(want.role, found, parts.kind));
        continue;
      }
      const numbers = c.numbers.map((v) => Number(v.toPrecision(6))).join(', ');
      const tried = c.numbers.length > 0 ? ` (the numbers of its expression, ${numbers}, do not convert it)` : '';
      if (c.numbers.length > 0 && sameKind && (ref || want.role === 'rate')) {
        // one factor for the whole conversion: the hour's and the unit's of its role, so that the
        // hint does not convert the time a second time (mL/min with CL = TVCL·60 is not "multiply by 60")
        const unit = unitOfParameter(want, ref);
        const factor = Number((size / (ref ? ref.x ** want.power : 1)).toPrecision(6));
        throw Errors.model(
          path,
          `${c.name} is the typical value of ${c.param} (a factor of its expression): a value in ${c.text} is ${factor} ${unit}, and the numbers of ${c.param}'s expression (${numbers}) do not give that factor; give ${c.name} in ${unit}${ref ? ` (as ${ref.who} is in ${ref.text})` : ''}, or multiply it by ${factor} in ${c.param}'s expression, not both`,
          c.text,
        );
      }
      if (!close(parts.perHour, 1)) {
        // the hint converts the whole unit: mL/min to L/h is 0.06, where "multiply it by 60" gave mL/h
        const rest = sameKind && (ref || want.role === 'rate') ? size / parts.perHour / (ref ? ref.x ** want.power : 1) : 1;
        const hint = close(rest, 1, 1e-9) ? ` per hour${thetaHourHint(parts.perHour)}` : ` per hour, in ${c.param}'s units${thetaHourHint(parts.perHour * rest)}`;
        throw Errors.model(path, `dosewise runs on hours (TIME, II, clock times, metric windows such as auc24): ${c.name} is the typical value of ${c.param} (a factor of its expression)${tried}; give ${c.name}${hint}, and the data's times in hours`, c.text);
      }
      throw Errors.model(path, `${(ref && disagreement(want.role, ref, who(c), c.text, parts)) ?? `${who(c)} in ${c.text}`}${tried}`, c.text);
    }
  }

  // Michaelis–Menten: KM is compared with C = amount/V, in VMAX's amount over V's volume
  const conc = refs.concentration;
  const amount = refs.amount;
  const vol = refs.volume;
  const mm = structure === undefined || structure === 'michaelis-menten';
  if (conc && amount && vol && mm) {
    const expected = amount.x / vol.x;
    const basis = `the concentration it is compared with, amount/V, is in ${unitName('concentration', expected, amount.kind)} (${amount.who} in ${amount.text}, ${vol.who} in ${vol.text})`;
    if (conc.kind !== amount.kind)
      throw Errors.model(conc.path, `${conc.who} is in ${conc.text}, ${KIND_WORD[conc.kind ?? 'mass']}, but ${basis}: give it in ${unitName('concentration', expected, amount.kind)} (dosewise does not know the molar mass)`, conc.text);
    if (!close(conc.x, expected, 1e-6)) {
      const f = conc.x / expected;
      throw Errors.model(conc.path, `concentration units disagree: ${conc.who} is in ${conc.text} (${unitName('concentration', conc.x, conc.kind)}) but ${basis}: give it in ${unitName('concentration', expected, amount.kind)}${f > 1 ? `: multiply it by ${Number(f.toPrecision(6))}` : `: divide it by ${Number((1 / f).toPrecision(6))}`}`, conc.text);
    }
  }
  // the unit A/V is in, for the observation's unit (checkObservedUnit)
  if (conc) return { who: conc.who, text: conc.text, x: conc.x, kind: conc.kind ?? 'mass' };
  if (amount && vol && mm) return { who: `${amount.who} over ${vol.who}`, text: `${amount.text} over ${vol.text}`, x: amount.x / vol.x, kind: amount.kind ?? 'mass' };
  return undefined;
}

/**
 * The concentration unit of a TMDD or Michaelis–Menten structure's equations, from its declared
 * units: KON, KSYN, KSS, KD and KM share it, and a Michaelis–Menten C = A/V is in VMAX's amount over
 * V's volume. A/V (the free drug of TMDD, the concentration of Michaelis–Menten) is in it, and so
 * the doses are in its amount. `x`: its size against mg/L (mass) or mmol/L (moles).
 */
export interface StructureConcentration {
  readonly who: string;
  readonly text: string;
  readonly x: number;
  readonly kind: 'mass' | 'amount';
}

const OBSERVED_WANT: Want = { dim: CONCENTRATION, what: 'a concentration', quantity: true, role: 'concentration', power: 1, example: 'mg/L' };

/**
 * Refuses an observation unit (`observe.unit`, `outputs.<DVID>.unit`) that cannot be the unit of
 * the prediction A/V, whose unit is the structure's concentration (`conc`, from checkUnits): a TMDD
 * in nmol/L observed in mg/L ran silently, its levels charted in mg/L compared with a nmol/L
 * prediction (for an antibody of 150 kDa 1 mg/L is 6.67 nmol/L: off by its molar mass), and
 * dosewise has no molar mass to convert with. Called only where the prediction is A/V: TMDD's free
 * drug (which reads no scale) and a concentration scaled by V; another scale may convert
 * (V/1000 for ng/mL) and is not judged. A unit dosewise cannot read, or no unit, is not judged.
 * `free`: the prediction reads no scale, so the hint cannot be observe.scale.
 */
export function checkObservedUnit(conc: StructureConcentration, unit: string | undefined, path: string, free: boolean): void {
  if (unit === undefined || unit.trim() === '') return;
  const u = readUnit(unit);
  if (!u || u.bare !== undefined || u.bodyMass !== 0) return;
  const what = free ? 'the free drug concentration A/V' : 'A/V';
  const own = unitName('concentration', conc.x, conc.kind);
  const basis = `the model predicts ${what}, in the unit of its concentrations: ${conc.who} is in ${conc.text} (concentrations in ${own})`;
  if (!sameDim(u.dim, CONCENTRATION, true) || u.dim[4] !== 0) throw Errors.model(path, `${basis}, but ${unit} is not a concentration: give ${own}`, unit);
  const p = partsOf(u, OBSERVED_WANT);
  if (p.kind !== conc.kind)
    throw Errors.model(
      path,
      `${basis}, but ${unit} is ${p.kind === 'amount' ? 'a molar concentration' : 'a mass concentration'}: dosewise does not know the molar mass, so a level in ${unit} would be compared with a prediction in ${own}; give ${path} ${own} and the levels (DVUNIT) in it, or the parameters in ${p.kind === 'amount' ? 'moles' : 'mass units'}`,
      unit,
    );
  if (close(p.x, conc.x, 1e-6)) return;
  // the factor a prediction in the structure's unit is multiplied by to be in `unit`
  const f = Number((conc.x / p.x).toPrecision(6));
  const scale = free ? ' (the free drug reads no observe.scale)' : `, or observe.scale ${f >= 1 ? `V/${f}` : `V*${Number((1 / f).toPrecision(6))}`} to predict in ${unit}`;
  throw Errors.model(path, `${basis}, but ${unit} is another size (1 ${own} is ${f} ${unit}): give ${own}${scale}`, unit);
}

/** The parameter's unit in the hour and the unit `ref` of its role: L/h, mg/L, nmol/L/h, 1/(nmol/L)/h, 1/h. */
function unitOfParameter(want: Want, ref: Ref | undefined): string {
  const per = want.dim[3] === -1 ? '/h' : '';
  if (want.role === 'rate' || !ref) return `1${per}`;
  const u = unitName(want.role, ref.x, ref.kind);
  return want.power < 0 ? `1/(${u})${per}` : `${u}${per}`;
}

/** The sub-lists of `xs` (at most 8 of them are taken), the longest first. */
function subsets(xs: readonly number[]): number[][] {
  const ys = xs.slice(0, 8);
  const out: number[][] = [];
  for (let mask = 1; mask < 1 << ys.length; mask++) out.push(ys.filter((_, k) => (mask >> k) & 1));
  return out.sort((a, b) => b.length - a.length);
}

/** A parameter's expression as a product: the factors multiplied (numerator) and divided by (denominator). */
function factors(ast: Ast, num: Ast[] = [], den: Ast[] = [], inverted = false): { num: Ast[]; den: Ast[] } {
  if (ast.k === 'bin' && (ast.op === '*' || ast.op === '/')) {
    factors(ast.a, num, den, inverted);
    factors(ast.b, num, den, ast.op === '/' ? !inverted : inverted);
  } else (inverted ? den : num).push(ast);
  return { num, den };
}

/** What a name multiplying a θ per kg or per m² is: a weight in kg, a mass in another unit, a surface, something else, or not known. */
interface Carrier {
  readonly kind: 'weight' | 'mass' | 'area' | 'other' | 'unknown';
  readonly unit?: string;
}

/**
 * A name in a parameter's product, at a power, alone or in a ratio with a number (WT/70: 70); or a
 * number of the product (`num`, name ''); or a weight written as an expression (a cap, an
 * alternative, an adjusted body weight: `kind`, its name the expression's text).
 */
interface Term {
  readonly name: string;
  readonly power: number;
  readonly ratio?: number;
  readonly num?: number;
  /** What an expression standing for a weight is (its name is no covariate's): a weight in kg, or not known. */
  readonly kind?: 'weight' | 'unknown';
}

/** The value of an expression of numbers only (70, -1, 3/4, 70^-1), or undefined. */
function constantOf(ast: Ast): number | undefined {
  if (ast.k === 'num') return ast.v;
  if (ast.k === 'un' && ast.op === '-') {
    const a = constantOf(ast.a);
    return a === undefined ? undefined : -a;
  }
  if (ast.k !== 'bin') return undefined;
  const a = constantOf(ast.a);
  const b = constantOf(ast.b);
  if (a === undefined || b === undefined) return undefined;
  const v = ast.op === '+' ? a + b : ast.op === '-' ? a - b : ast.op === '*' ? a * b : ast.op === '/' ? a / b : ast.op === '^' || ast.op === '**' ? a ** b : undefined;
  return v !== undefined && Number.isFinite(v) ? v : undefined;
}

/** The names an expression reads. */
function namesIn(ast: Ast, out: string[] = []): string[] {
  if (ast.k === 'var') out.push(ast.name);
  else if (ast.k === 'un') namesIn(ast.a, out);
  else if (ast.k === 'bin') {
    namesIn(ast.a, out);
    namesIn(ast.b, out);
  } else if (ast.k === 'if') {
    namesIn(ast.c, out);
    namesIn(ast.a, out);
    namesIn(ast.b, out);
  } else if (ast.k === 'call') for (const a of ast.args) namesIn(a, out);
  return out;
}

/** A sum as coefficients of its names and a constant (IBW + 0.4·(WT − IBW): IBW 0.6, WT 0.4, constant 0), or undefined when it is not linear. */
function linearOf(ast: Ast, k = 1, out: { coef: Map<string, number>; constant: number } = { coef: new Map(), constant: 0 }): typeof out | undefined {
  const c = constantOf(ast);
  if (c !== undefined) {
    out.constant += k * c;
    return out;
  }
  if (ast.k === 'var') {
    out.coef.set(ast.name, (out.coef.get(ast.name) ?? 0) + k);
    return out;
  }
  if (ast.k === 'un' && ast.op === '-') return linearOf(ast.a, -k, out);
  if (ast.k !== 'bin') return undefined;
  if (ast.op === '+' || ast.op === '-') return linearOf(ast.a, k, out) && linearOf(ast.b, ast.op === '-' ? -k : k, out);
  const a = constantOf(ast.a);
  const b = constantOf(ast.b);
  if (ast.op === '*' && a !== undefined) return linearOf(ast.b, k * a, out);
  if (ast.op === '*' && b !== undefined) return linearOf(ast.a, k * b, out);
  if (ast.op === '/' && b !== undefined && b !== 0) return linearOf(ast.a, k / b, out);
  return undefined;
}

const WEIGHTISH = new Set<Carrier['kind']>(['weight', 'unknown']);

/**
 * What an expression that is not a product stands for as a body weight: a condition or min/max
 * whose branches are weights or numbers (a cap: WT > 100 ? 100 : WT, if(WT>100,100,WT),
 * max(WT, IBW)), a sum of weights whose coefficients add up to 1 (adjusted body weight
 * IBW + 0.4·(WT − IBW)): a weight. With one name and numbers (min(WT, 100)) it is that name, so
 * that a WT in g is named as such. Other forms with a weight in them cannot be told (a weighted sum
 * whose coefficients do not add up to 1 may be divided elsewhere) and are `unknown`, not refused;
 * an expression without a weight in it (1 + 0.01·(AGE − 40), a condition between numbers) is no
 * weight: undefined.
 */
function weightTerm(ast: Ast, carrier: (name: string) => Carrier): Omit<Term, 'power'> | undefined {
  const names = [...new Set(namesIn(ast))];
  if (names.length === 0) return undefined;
  const kinds = names.map((n) => carrier(n).kind);
  const text = exprText(ast);
  const branches = ast.k === 'if' ? [ast.a, ast.b] : ast.k === 'call' && (ast.fn === 'min' || ast.fn === 'max') && ast.args.length === 2 ? ast.args : undefined;
  if (branches) {
    const kindOf = (b: Ast): Carrier['kind'] | 'number' | 'none' => {
      if (constantOf(b) !== undefined) return 'number';
      if (b.k === 'var') return carrier(b.name).kind;
      // a branch that is a weight times numbers (0.9·WT), or itself a cap or a sum
      const ts = productTerms(b, carrier).filter((t) => t.num === undefined);
      const t = ts[0];
      if (ts.length !== 1 || t === undefined || t.ratio !== undefined || !close(t.power, 1)) return 'none';
      return t.kind ?? carrier(t.name).kind;
    };
    const of = branches.map(kindOf);
    if (of.every((k) => k === 'number')) return undefined;
    const vars = branches.filter((b): b is Extract<Ast, { k: 'var' }> => b.k === 'var');
    // one name and numbers (min(WT, 100)): that name, its unit checked as the product's own factor's
    if (vars.length === 1 && of.filter((k) => k !== 'number').length === 1) return { name: (vars[0] as { name: string }).name };
    if (of.every((k) => k === 'number' || k === 'weight')) return { name: text, kind: 'weight' };
    if (of.every((k) => k === 'number' || WEIGHTISH.has(k as Carrier['kind']))) return { name: text, kind: 'unknown' };
    // a branch in another unit (a mass in g, a surface): that name, refused as such
    const odd = vars.find((b) => !WEIGHTISH.has(carrier(b.name).kind));
    if (odd && !of.includes('none')) return { name: odd.name };
    return of.includes('weight') ? { name: text, kind: 'unknown' } : undefined;
  }
  if (ast.k === 'bin' && (ast.op === '+' || ast.op === '-')) {
    const lin = linearOf(ast);
    // not linear (WT + WT^2/100): a weight in it cannot be told from none
    if (!lin) return kinds.includes('weight') ? { name: text, kind: 'unknown' } : undefined;
    const used = [...lin.coef].filter(([, v]) => Math.abs(v) > 1e-12);
    if (used.length === 0 || Math.abs(lin.constant) > 1e-12 || !used.every(([n]) => WEIGHTISH.has(carrier(n).kind))) return undefined;
    const sum = used.reduce((a, [, v]) => a + v, 0);
    return { name: text, kind: close(sum, 1, 1e-9) && used.every(([n]) => carrier(n).kind === 'weight') ? 'weight' : 'unknown' };
  }
  // exp, log, a power of a sum: no weight in kg
  return undefined;
}

/** An expression as a short text for a message: max(WT, IBW), IBW + 0.4*(WT - IBW). */
function exprText(ast: Ast): string {
  switch (ast.k) {
    case 'num':
      return String(ast.v);
    case 'var':
      return ast.name;
    case 'un':
      return `${ast.op}${exprText(ast.a)}`;
    case 'bin':
      return ast.op === '*' || ast.op === '/' || ast.op === '^' ? `${exprText(ast.a)}${ast.op}${exprText(ast.b)}` : `(${exprText(ast.a)} ${ast.op} ${exprText(ast.b)})`;
    case 'if':
      return `if(${exprText(ast.c)}, ${exprText(ast.a)}, ${exprText(ast.b)})`;
    case 'call':
      return `${ast.fn}(${ast.args.map(exprText).join(', ')})`;
  }
}

/**
 * The names a parameter's expression multiplies (or divides) its value by, each at its power:
 * CL = TVCL·(WT/70)^0.75·exp(η) gives TVCL¹ and WT/70 at 0.75. Grouping counts: WT/70 is a ratio,
 * a name divided by a number inside the product, where TVV·WT/1000 divides the product (a
 * conversion). A power is any number (WT^1, 70^-1, WT^(3/4)). A cap, an alternative or an adjusted
 * weight is a weight (see weightTerm); anything else (exp, a condition between numbers) carries no
 * body size.
 */
function productTerms(ast: Ast, carrier: (name: string) => Carrier, power = 1, out: Term[] = []): Term[] {
  const exponent = ast.k === 'bin' && (ast.op === '^' || ast.op === '**') ? constantOf(ast.b) : ast.k === 'call' && ast.fn === 'pow' && ast.args.length === 2 ? constantOf(ast.args[1] as Ast) : undefined;
  const constant = constantOf(ast);
  if (ast.k === 'var') out.push({ name: ast.name, power });
  else if (ast.k === 'num') out.push({ name: '', power, num: ast.v });
  else if (ast.k === 'bin' && ast.op === '*') {
    productTerms(ast.a, carrier, power, out);
    productTerms(ast.b, carrier, power, out);
  } else if (ast.k === 'bin' && ast.op === '/') {
    if (ast.a.k === 'var' && ast.b.k === 'num' && ast.b.v !== 1) out.push({ name: ast.a.name, power, ratio: ast.b.v });
    else {
      productTerms(ast.a, carrier, power, out);
      productTerms(ast.b, carrier, -power, out);
    }
  } else if (exponent !== undefined) productTerms((ast.k === 'bin' ? ast.a : (ast as { args: readonly Ast[] }).args[0]) as Ast, carrier, power * exponent, out);
  else if (constant !== undefined) out.push({ name: '', power, num: constant });
  else if (ast.k === 'call' && ast.fn === 'sqrt') productTerms(ast.args[0] as Ast, carrier, power / 2, out);
  else {
    const w = weightTerm(ast, carrier);
    if (w) out.push({ ...w, power });
  }
  return out;
}

/** A term as written: WT, WT^0.75, WT/70, (WT/70)^0.75. */
function termText(t: Term): string {
  const base = t.ratio === undefined ? t.name : `${t.name}/${Number(t.ratio.toPrecision(6))}`;
  if (close(t.power, 1)) return base;
  const p = Number(t.power.toPrecision(6));
  return t.ratio === undefined ? `${base}^${p}` : `(${base})^${p}`;
}

/**
 * Why a θ whose unit is per kg (per kg^p) or per m² of body surface is not a typical value its
 * parameter's expression turns into the parameter's unit, or undefined. Its product must multiply
 * it by a covariate in kg (in m²) at that power: TVV in L/kg with V = TVV·(WT/70) was read as
 * 0.7 L for 49 L (WT/70 has no unit), TVCL in L/h/kg with CL = TVCL as 0.07 L/h for 4.9, and
 * with CL = TVCL·(WT/70)^0.75 the θ is an allometric model's value at 70 kg, not per kg. A
 * normalisation per 1.73 m² is read with BSA/1.73. A covariate without a declared unit (or one
 * not understood) is not checked, but its form is: a ratio or another power is refused all the same.
 */
function bodySizeRefusal(c: { name: string; text: string; param: string; want: Want; unit: ReadUnit; terms: readonly Term[]; carrier: (name: string) => Carrier }): string | undefined {
  const { name, param, want, unit } = c;
  const numbers = c.terms.filter((t) => t.num !== undefined);
  const terms = c.terms.filter((t) => t.name !== name && t.num === undefined);
  const kg = -unit.bodyMass;
  const area = -(unit.dim[4] as number) / 2;
  const typical = want.example;
  const carrierOf = (t: Term): Carrier => (t.kind !== undefined ? { kind: t.kind } : c.carrier(t.name));
  const refuse = (per: string, what: string, hint: string): string => `${name} is in ${c.text}, ${per}, but ${param}'s expression ${what}; ${hint}`;
  if (kg !== 0) {
    const per = close(kg, 1) ? 'per kg of body weight' : `per kg^${Number(kg.toPrecision(6))} of body weight`;
    const w = close(kg, 1) ? 'WT' : `WT^${Number(kg.toPrecision(6))}`;
    const weighs = (t: Term): boolean => t.ratio === undefined && close(t.power, kg);
    const sum = terms.filter((t) => t.ratio === undefined && carrierOf(t).kind === 'weight').reduce((a, t) => a + t.power, 0);
    // the product divided by a body weight (TVV·WT/70, TVV/70·WT): a reference weight, as in
    // TVV·(WT/70), which it reads as (0.8 L for 56 L)
    // (a divisor of its own, not cancelled by the same number multiplied: TVV·WT/70·70 is TVV·WT)
    // a divisor converts the θ's time only where its unit's time is that many times the hour's
    // (L/day/kg: /24); 24 and 60 were let through everywhere, so V = TVV·WT/60 with TVV in L/kg ran
    // as 1.17 L for 70 L
    const timeDivisor = (x: number): boolean => close(x * (unit.size[3] as number), 1, 1e-9);
    const isRef = (t: Term): boolean => close(t.power, -1) && (t.num as number) >= 10 && (t.num as number) <= 150 && !timeDivisor(t.num as number) && !numbers.some((u) => close(u.power, 1) && u.num === t.num);
    // a number beside another covariate at power 1 normalises that covariate, not the weight
    // (TVCL·WT·CRCL/100 is TVCL·WT·(CRCL/100), V = TVV·WT·ALB/40: refused as "a reference weight")
    // (the weight in kg, or one of unknown unit at its power, else one of these names is the weight)
    const plain = terms.filter((t) => t.ratio === undefined && close(t.power, 1));
    const weighted = close(sum, kg) || terms.some((t) => weighs(t) && !close(t.power, 1) && carrierOf(t).kind === 'unknown');
    const normalised = plain.filter((t) => carrierOf(t).kind !== 'weight').length >= (weighted ? 1 : 2);
    const ref = normalised ? undefined : numbers.find(isRef)?.num;
    if (ref !== undefined && (close(sum, kg) || terms.some((t) => weighs(t) && carrierOf(t).kind === 'unknown')))
      return refuse(per, `divides its product by ${ref}, a reference weight, so that ${name} is read as ${param} at ${ref} kg`, `give ${name} in ${typical} with ${param} = ${name}·(WT/${ref}), or keep it ${per.replace(/ of body weight$/, '')} with ${param} = ${name}·${w}`);
    if (close(sum, kg) || terms.some((t) => weighs(t) && carrierOf(t).kind === 'unknown')) return undefined;
    // the weight divided by another (TVV·WT/REFWT, REFWT a θ or covariate in kg): a reference weight too
    const divisor = terms.find((t) => t.ratio === undefined && t.power < 0 && carrierOf(t).kind === 'weight');
    const above = terms.filter((t) => t.ratio === undefined && t.power > 0 && carrierOf(t).kind === 'weight').reduce((a, t) => a + t.power, 0);
    if (divisor && close(above, kg))
      return refuse(per, `divides its product by ${divisor.name}, a reference weight, so that ${name} is read as ${param} at ${divisor.name}`, `give ${name} in ${typical} with ${param} = ${name}·(WT/${divisor.name}), or keep it ${per.replace(/ of body weight$/, '')} with ${param} = ${name}·${w}`);
    const hint = `give ${param} = ${name}·${w} with WT a covariate in kg, or ${name} in ${typical}, the typical value at the reference weight`;
    const like = terms.find((t) => ['weight', 'unknown'].includes(carrierOf(t).kind) && (t.ratio !== undefined || !close(t.power, 0)));
    const n = (x: number): number => Number(x.toPrecision(6));
    if (like?.ratio !== undefined) {
      const ref = n(like.ratio);
      const allometric = close(like.power, 1) ? `a ratio without a unit, so that ${name} is read as ${param} at ${ref} kg` : `an allometric model, whose ${name} is ${param} at the reference weight ${ref} kg, not per kg`;
      return refuse(per, `multiplies it by ${termText(like)}, ${allometric}`, `give ${name} in the unit of ${param} at ${ref} kg (${typical}) with ${param} = ${name}·${termText(like)}, or keep it ${per.replace(/ of body weight$/, '')} with ${param} = ${name}·${w}`);
    }
    if (like) {
      const p = n(like.power);
      const keep = `or keep it ${per.replace(/ of body weight$/, '')} with ${param} = ${name}·${w}`;
      if (close(like.power, 1)) return refuse(per, `multiplies it by ${like.name}, not by ${w}`, `give ${name} in ${typical}/kg with ${param} = ${name}·${like.name}, ${keep}`);
      return refuse(
        per,
        `multiplies it by ${termText(like)}, not by ${w}: an allometric model, whose ${name} is not ${per.replace(/ of body weight$/, '')}`,
        `give ${name} in ${typical}, the value of ${param} at the reference weight, with ${param} = ${name}·(${like.name}/ref)^${p}, or in ${typical}/kg^${p} with ${param} = ${name}·${termText(like)}, ${keep}`,
      );
    }
    const mass = terms.find((t) => weighs(t) && carrierOf(t).kind === 'mass');
    if (mass) return refuse(per, `multiplies it by ${mass.name}, in ${carrierOf(mass).unit}, not in kg`, `give ${mass.name} in kg (covariates.${mass.name}.unit), or ${name} per ${carrierOf(mass).unit}`);
    const other = terms.find((t) => weighs(t) && carrierOf(t).unit !== undefined);
    if (other) return refuse(per, `multiplies it by ${other.name}, in ${carrierOf(other).unit}, not by a weight in kg`, hint);
    return refuse(per, 'multiplies it by no weight in kg', hint);
  }
  if (area !== 0 && Number.isInteger(2 * area)) {
    const norm = unit.perArea;
    const per = norm === undefined ? 'per m² of body surface' : `per ${norm} m² of body surface`;
    const b = norm === undefined ? 'BSA' : `(BSA/${norm})`;
    // BSA/1.73 as a factor, or BSA with the product divided by 1.73 (CL = TVCL·BSA/1.73)
    const divided = norm !== undefined && numbers.some((t) => close((t.num as number) ** t.power, 1 / norm, 1e-6));
    const covers = (t: Term): boolean => close(t.power, area) && (norm === undefined || divided ? t.ratio === undefined : t.ratio !== undefined && close(t.ratio, norm, 1e-6));
    const sum = terms.filter((t) => covers(t) && carrierOf(t).kind === 'area').reduce((a, t) => a + t.power, 0);
    // per m² with the product divided by 1.73 (TVCL·BSA/1.73): read per 1.73 m², 1.73 times too low
    const norm173 = norm === undefined ? numbers.find((t) => close(t.power, -1) && close(t.num as number, 1.73, 1e-6)) : undefined;
    if (norm173 && (close(sum, area) || terms.some((t) => covers(t) && carrierOf(t).kind === 'unknown')))
      return refuse(per, `divides its product by 1.73, which makes ${name} per 1.73 m²`, `give ${name} per 1.73 m² (${typical}/1.73 m²) with ${param} = ${name}·(BSA/1.73), or keep it per m² with ${param} = ${name}·BSA`);
    if (close(sum, area) || terms.some((t) => covers(t) && carrierOf(t).kind === 'unknown')) return undefined;
    // undeclared, a surface not in the form its unit asks for is still accepted: its unit is not known
    if (terms.some((t) => carrierOf(t).kind === 'unknown' && t.ratio === undefined && close(t.power, area))) return undefined;
    const hint = `give ${param} = ${name}·${b} with BSA a covariate in m², or ${name} in ${typical}, the typical value`;
    const like = terms.find((t) => carrierOf(t).kind === 'area');
    if (like) return refuse(per, `multiplies it by ${termText(like)}, not by ${b}`, hint);
    const other = terms.find((t) => close(t.power, area) && carrierOf(t).unit !== undefined);
    if (other) return refuse(per, `multiplies it by ${other.name}, in ${carrierOf(other).unit}, not by a body surface in m²`, hint);
    return refuse(per, 'multiplies it by no body surface in m²', hint);
  }
  return undefined;
}

/** How to bring a θ to per hour: L/day → divide it by 24, mL/min/kg → multiply it by 0.06 in L/h/kg (`toHours`: what a value is multiplied by), in whichever of the two forms has the shorter number. */
function thetaHourHint(toHours: number): string {
  const times = String(Number(toHours.toPrecision(6)));
  const over = String(Number((1 / toHours).toPrecision(6)));
  return over.replace(/^0\.0*|\./g, '').length < times.replace(/^0\.0*|\./g, '').length ? `: divide it by ${over}` : `: multiply it by ${times}`;
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
  // clinical abbreviations of months: an AGE of 0 "mo" was refused as "must be > 0 mo" (not a time)
  mo: { dim: [0, 0, 0, 1, 0], factor: 730.5 },
  mos: { dim: [0, 0, 0, 1, 0], factor: 730.5 },
  mth: { dim: [0, 0, 0, 1, 0], factor: 730.5 },
  mths: { dim: [0, 0, 0, 1, 0], factor: 730.5 },
  y: { dim: [0, 0, 0, 1, 0], factor: 8766 },
  yr: { dim: [0, 0, 0, 1, 0], factor: 8766 },
  yrs: { dim: [0, 0, 0, 1, 0], factor: 8766 },
  year: { dim: [0, 0, 0, 1, 0], factor: 8766 },
  years: { dim: [0, 0, 0, 1, 0], factor: 8766 },
  gram: { dim: [1, 0, 0, 0, 0], factor: 1e3 },
  grams: { dim: [1, 0, 0, 0, 0], factor: 1e3 },
  // spelled-out masses: a level in microgram/mL was refused as "no unit dosewise reads" beside mg/L
  milligram: { dim: [1, 0, 0, 0, 0], factor: 1 },
  milligrams: { dim: [1, 0, 0, 0, 0], factor: 1 },
  microgram: { dim: [1, 0, 0, 0, 0], factor: 1e-3 },
  micrograms: { dim: [1, 0, 0, 0, 0], factor: 1e-3 },
  microg: { dim: [1, 0, 0, 0, 0], factor: 1e-3 },
  nanogram: { dim: [1, 0, 0, 0, 0], factor: 1e-6 },
  nanograms: { dim: [1, 0, 0, 0, 0], factor: 1e-6 },
  picogram: { dim: [1, 0, 0, 0, 0], factor: 1e-9 },
  picograms: { dim: [1, 0, 0, 0, 0], factor: 1e-9 },
  kilogram: { dim: [1, 0, 0, 0, 0], factor: 1e6 },
  kilograms: { dim: [1, 0, 0, 0, 0], factor: 1e6 },
  micromol: { dim: [0, 1, 0, 0, 0], factor: 1e-3 },
  // spelled-out amounts: a level in micromoles/L was not read (a bare UNIT column of them was then
  // taken for a care unit and the levels fitted as mg/L)
  mole: { dim: [0, 1, 0, 0, 0], factor: 1e3 },
  moles: { dim: [0, 1, 0, 0, 0], factor: 1e3 },
  millimole: { dim: [0, 1, 0, 0, 0], factor: 1 },
  millimoles: { dim: [0, 1, 0, 0, 0], factor: 1 },
  micromole: { dim: [0, 1, 0, 0, 0], factor: 1e-3 },
  micromoles: { dim: [0, 1, 0, 0, 0], factor: 1e-3 },
  nanomol: { dim: [0, 1, 0, 0, 0], factor: 1e-6 },
  nanomole: { dim: [0, 1, 0, 0, 0], factor: 1e-6 },
  nanomoles: { dim: [0, 1, 0, 0, 0], factor: 1e-6 },
  metre: { dim: [0, 0, 0, 0, 1], factor: 1 },
  meter: { dim: [0, 0, 0, 0, 1], factor: 1 },
  // pounds are a mass dosewise reads, so that a weight in lb is refused beside a θ per kg (it ran as kg)
  lb: { dim: [1, 0, 0, 0, 0], factor: 453592.37 },
  lbs: { dim: [1, 0, 0, 0, 0], factor: 453592.37 },
  pound: { dim: [1, 0, 0, 0, 0], factor: 453592.37 },
  pounds: { dim: [1, 0, 0, 0, 0], factor: 453592.37 },
  metres: { dim: [0, 0, 0, 0, 1], factor: 1 },
  meters: { dim: [0, 0, 0, 0, 1], factor: 1 },
  centimetre: { dim: [0, 0, 0, 0, 1], factor: 0.01 },
  centimeter: { dim: [0, 0, 0, 0, 1], factor: 0.01 },
  centimetres: { dim: [0, 0, 0, 0, 1], factor: 0.01 },
  centimeters: { dim: [0, 0, 0, 0, 1], factor: 0.01 },
  week: { dim: [0, 0, 0, 1, 0], factor: 168 },
  // heights in inches and feet were not read, so HT 175 (cm) under "in" ran unchecked
  in: { dim: [0, 0, 0, 0, 1], factor: 0.0254 },
  inch: { dim: [0, 0, 0, 0, 1], factor: 0.0254 },
  inches: { dim: [0, 0, 0, 0, 1], factor: 0.0254 },
  ft: { dim: [0, 0, 0, 0, 1], factor: 0.3048 },
  foot: { dim: [0, 0, 0, 0, 1], factor: 0.3048 },
  feet: { dim: [0, 0, 0, 0, 1], factor: 0.3048 },
  mcmol: { dim: [0, 1, 0, 0, 0], factor: 1e-3 },
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

/**
 * Dimension (mass, amount, volume, time, length) and size relative to mg, mmol, L, h and m, or
 * undefined if not understood: what a covariate's unit means however it is spelt: "mg/dL", "mg dL-1", "mg.dL-1" and "mg/100mL"
 * are each 10 mg/L ({ dim: [1, 0, -1, 0, 0], factor: 10 }); "cm", "centimeters" 0.01 m.
 */
export function parseCovariateUnit(text: string): { dim: number[]; factor: number } | undefined {
  // a model's few unit texts are parsed for every record a warning check reads (estimateCohort:
  // most of the W_RENAL_UNIT check's time); a copy each time, the callers' to change
  let known = parsedUnits.get(text);
  if (known === undefined && !parsedUnits.has(text)) {
    known = parseUnitText(text);
    if (parsedUnits.size >= 1000) parsedUnits.clear();
    parsedUnits.set(text, known);
  }
  return known && { dim: [...known.dim], factor: known.factor };
}

const parsedUnits = new Map<string, { readonly dim: readonly number[]; readonly factor: number } | undefined>();

function parseUnitText(text: string): { dim: number[]; factor: number } | undefined {
  const s = text
    .trim()
    // Greek mu (U+03BC) for the micro sign (U+00B5): the two look alike and mean one prefix
    .replace(/μ/g, 'µ')
    // "mg%" and "mg per cent" are the clinical laboratory's mg/dL (mg per 100 mL): SCR 80 under "mg%" ran unchecked
    .replace(/^(mg|g|µg|ug|mcg)\s*(%|per\s*cent|percent)$/i, '$1/dL')
    // "mg per L" is mg/L (it was read as mg and a unit "per"), and a full stop closing the unit
    // ("mg/L.") is no product
    .replace(/\s+per\s+/gi, '/')
    .replace(/\.$/, '')
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
    // molar spellings (nM, µM, mM) and spelled litres, as parameters read them (a residual in nmol/L
    // beside levels in nM was refused as unreadable, a creatinine in µM went unchecked); a lone M
    // stays unread (molar or metre)
    const b = m[1] === 'M' ? undefined : unitBase(m[1] as string);
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

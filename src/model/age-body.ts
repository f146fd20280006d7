// A patient's age against its weight and height. An age in the wrong unit runs as another patient
// without a word: Colin 2019 (PMA in weeks) gave 1,049,774 mg q6h to a 3-kg infant at PMA 2 (a
// postnatal age typed into PMA; its age-typical creatinine there is 29.5 mg/dL) and 327.5 mg q12h for
// 979.9 to a 70-kg adult at PMA 35 (years); Shukla 2020 (AGE in years) +38 % to a 6-month-old
// typed as AGE 6. A PMA below the youngest live birth is refused; a weight or height far outside
// the growth charts for the age is warned, naming the reading that fits.

import { bodyEnvelope, bodyEnvelopeAtAge, MAX_AGE_YEARS, TERM_PMA_WEEKS, VIABLE_PMA_WEEKS, WEEKS_PER_YEAR, type BodyEnvelope } from '../clinical/growth-standards.js';
import { PLAUSIBLE as CLINICAL } from '../clinical/validate.js';
import { isTextModelFile, type Model } from './model.js';
import { parseCovariateUnit } from './units.js';

const HOURS_PER_WEEK = 168;
const HOURS_PER_YEAR = 8766;

/** An age covariate of the model file: a postmenstrual age or a postnatal age, in a time unit (h per unit). */
export interface AgeCovariate {
  readonly name: string;
  readonly kind: 'pma' | 'age';
  readonly hoursPerUnit: number;
  readonly unit: string;
}

/** The postmenstrual and postnatal ages the model file declares in a unit of time (a gestational age at birth is neither). */
const agesOf = new WeakMap<object, readonly AgeCovariate[]>();

export function ageCovariates(model: Pick<Model, 'file'>): readonly AgeCovariate[] {
  if (isTextModelFile(model.file)) return [];
  // judged on every record of a data set
  const known = agesOf.get(model.file);
  if (known) return known;
  const out: AgeCovariate[] = [];
  agesOf.set(model.file, out);
  for (const [name, c] of Object.entries(model.file.covariates ?? {})) {
    const unit = c.unit === undefined ? undefined : parseCovariateUnit(c.unit);
    if (!unit || !(unit.dim.length === 5 && unit.dim.every((d, i) => d === (i === 3 ? 1 : 0)))) continue;
    const text = `${name} ${c.description ?? ''}`;
    // the rule of youngPatient (covariate-flags.ts): a gestational age at birth is no age of the patient's
    if (/\b(GA|gestational)\b/i.test(text) && !/post/i.test(text)) continue;
    const pma = /^(PMA|PCA)$/i.test(name) || /post-?(menstrual|conceptional)/i.test(text);
    const age = !pma && /\bage\b|^(AGE|PNA)/i.test(text);
    if (pma || age) out.push({ name, kind: pma ? 'pma' : 'age', hoursPerUnit: unit.factor, unit: c.unit as string });
  }
  return out;
}

const num = (x: number): string => String(+x.toPrecision(4));

/**
 * Why `value` of covariate `name` is no patient's postmenstrual age (below VIABLE_PMA_WEEKS), naming
 * the readings it may have been meant in; undefined for any other value or covariate.
 */
export function pmaFloorProblem(model: Pick<Model, 'file'>, name: string, value: number): string | undefined {
  const a = ageCovariates(model).find((x) => x.name === name && x.kind === 'pma');
  if (a === undefined || !(value * a.hoursPerUnit < VIABLE_PMA_WEEKS * HOURS_PER_WEEK)) return undefined;
  const inUnit = (weeks: number): string => `${num((weeks * HOURS_PER_WEEK) / a.hoursPerUnit)} ${a.unit}`;
  const weeks = (value * a.hoursPerUnit) / HOURS_PER_WEEK;
  return (
    `a postmenstrual age of ${num(value)} ${a.unit} is below ${inUnit(VIABLE_PMA_WEEKS)}, the youngest of a live-born infant ` +
    `(PMA = gestational age at birth + postnatal age). A postnatal age? ${num(weeks)} weeks after a term birth is PMA ${inUnit(TERM_PMA_WEEKS + weeks)}; ` +
    `an age in years? ${num(value)} years is PMA ${inUnit(TERM_PMA_WEEKS + value * WEEKS_PER_YEAR)}`
  );
}

/** The model's weight (kg per unit) and height (cm per unit) covariates, as the unit checks find them. */
export interface BodyCovariates {
  readonly weight?: { readonly name: string; readonly kgPerUnit: number; readonly unit: string };
  readonly height?: { readonly name: string; readonly cmPerUnit: number; readonly unit: string };
}

/** The envelope of an age covariate's value `v` (its unit), or undefined below the floor or for no number. */
function envelopeOf(a: AgeCovariate, v: number): BodyEnvelope | undefined {
  const h = v * a.hoursPerUnit;
  if (!(h >= 0) || !Number.isFinite(h)) return undefined;
  if (a.kind === 'pma') return h < VIABLE_PMA_WEEKS * HOURS_PER_WEEK ? undefined : bodyEnvelope(h / HOURS_PER_WEEK);
  return bodyEnvelopeAtAge(h / HOURS_PER_YEAR);
}

/** The body values of `items` outside envelope `e`, as "WT 70 kg (0.72–8.1 kg)". */
function outside(body: BodyCovariates, items: Readonly<Record<string, number>>, e: BodyEnvelope): string[] {
  const out: string[] = [];
  const range = (lo: number, hi: number, per: number): string => (hi === Infinity ? `at least ${num(lo / per)}` : `${num(lo / per)}–${num(hi / per)}`);
  const w = body.weight && items[body.weight.name];
  if (body.weight && w !== undefined && w > 0) {
    const kg = w * body.weight.kgPerUnit;
    if (kg < e.weightKg[0] || kg > e.weightKg[1]) out.push(`${body.weight.name} ${num(w)} ${body.weight.unit} (${range(e.weightKg[0], e.weightKg[1], body.weight.kgPerUnit)} ${body.weight.unit})`);
  }
  const h = body.height && items[body.height.name];
  if (body.height && h !== undefined && h > 0) {
    const cm = h * body.height.cmPerUnit;
    if (cm < e.heightCm[0] || cm > e.heightCm[1]) out.push(`${body.height.name} ${num(h)} ${body.height.unit} (${range(e.heightCm[0], e.heightCm[1], body.height.cmPerUnit)} ${body.height.unit})`);
  }
  return out;
}

/** How far the weight and height of `items` sit from the middle of envelope `e`, in widths of the envelope (log scale). */
function offCentre(body: BodyCovariates, items: Readonly<Record<string, number>>, e: BodyEnvelope): number {
  let off = 0;
  const w = body.weight && items[body.weight.name];
  if (body.weight && w !== undefined && w > 0) {
    const hi = e.weightKg[1] === Infinity ? e.weightKg[0] * 9 : e.weightKg[1];
    off += Math.abs(Math.log((w * body.weight.kgPerUnit) / Math.sqrt(e.weightKg[0] * hi))) / Math.log(hi / e.weightKg[0]);
  }
  const h = body.height && items[body.height.name];
  if (body.height && h !== undefined && h > 0) off += Math.abs(Math.log((h * body.height.cmPerUnit) / Math.sqrt(e.heightCm[0] * e.heightCm[1]))) / Math.log(e.heightCm[1] / e.heightCm[0]);
  return off;
}

/**
 * Whether the weight and height of `items` make a body at all (a body-mass index up to
 * CLINICAL.heightUnitBmi): each may fit an age alone while together they fit none (WT 14 kg and
 * HT 37 cm, BMI 102, each inside the charts at 3 months).
 */
function plausibleBuild(body: BodyCovariates, items: Readonly<Record<string, number>>): boolean {
  const w = body.weight && items[body.weight.name];
  const h = body.height && items[body.height.name];
  if (!body.weight || !body.height || w === undefined || h === undefined || !(w > 0 && h > 0)) return true;
  return (w * body.weight.kgPerUnit) / ((h * body.height.cmPerUnit) / 100) ** 2 <= CLINICAL.heightUnitBmi;
}

/** The readings of an age value the patient may have been meant in, each as its age in the covariate's unit. */
function otherReadings(a: AgeCovariate, v: number): { readonly what: string; readonly value: number }[] {
  const inUnit = (hours: number): number => hours / a.hoursPerUnit;
  if (a.kind === 'pma') {
    const pmaAfterTerm = (hours: number): number => inUnit(TERM_PMA_WEEKS * HOURS_PER_WEEK + hours);
    return [
      // a NICU's PMA in days (224 for 32 weeks) was read as 224 weeks, a 4-year-old's maturation,
      // and the warning said no reading fitted the 1.45-kg infant
      { what: `${a.name} in days? ${num(v)} days is PMA`, value: inUnit(v * 24) },
      { what: `${a.name} in years? ${num(v)} years is PMA`, value: pmaAfterTerm(v * HOURS_PER_YEAR) },
      { what: `A postnatal age in weeks? ${num(v)} weeks after a term birth is PMA`, value: pmaAfterTerm(v * HOURS_PER_WEEK) },
      { what: `A postnatal age in months? ${num(v)} months after a term birth is PMA`, value: pmaAfterTerm((v * HOURS_PER_YEAR) / 12) },
    ].filter((r) => Math.abs(r.value - v) > 1e-9 * v && r.value * a.hoursPerUnit <= (TERM_PMA_WEEKS * HOURS_PER_WEEK) + MAX_AGE_YEARS * HOURS_PER_YEAR);
  }
  return [
    { what: `${a.name} in months? ${num(v)} months is`, hours: (v * HOURS_PER_YEAR) / 12 },
    { what: `${a.name} in weeks? ${num(v)} weeks is`, hours: v * HOURS_PER_WEEK },
    { what: `${a.name} in days? ${num(v)} days is`, hours: v * 24 },
    { what: `${a.name} in years? ${num(v)} years is`, hours: v * HOURS_PER_YEAR },
  ]
    .filter((r) => Math.abs(r.hours - v * a.hoursPerUnit) > 1e-9 * r.hours && r.hours <= MAX_AGE_YEARS * HOURS_PER_YEAR)
    .map((r) => ({ what: r.what, value: inUnit(r.hours) }));
}

/**
 * W_PMA_UNIT / W_AGE_UNIT where the weight or height of `items` is far outside the growth charts
 * for the age the items give (growth-standards.ts ENVELOPE: a quarter to three or five times the
 * median weight, height ±30 %), naming the readings of the age that the weight and height fit; undefined when they
 * fit the age, or the items give no age or no weight and height.
 */
export function ageBodyWarning(model: Pick<Model, 'file'>, items: Readonly<Record<string, number>>, body: BodyCovariates): string | undefined {
  for (const a of ageCovariates(model)) {
    const v = items[a.name];
    if (v === undefined) continue;
    const e = envelopeOf(a, v);
    if (e === undefined) continue;
    const bad = outside(body, items, e);
    if (bad.length === 0) continue;
    // the age fits once the height is read in inches: a height's slip, which W_HEIGHT_UNIT names,
    // whether or not another reading of the age fits too (AGE 3 with WT 14, HT 37 in fitted 3 months,
    // whose advice gave busulfan 27.1 mg for the 58.7 mg of HT 94 cm)
    const h = body.height && items[body.height.name];
    if (body.height && h !== undefined && outside(body, { ...items, [body.height.name]: (h * 2.54) / body.height.cmPerUnit }, e).length === 0) continue;
    const given = [body.weight, body.height].flatMap((b) => (b && items[b.name] !== undefined ? [`${b.name} ${num(items[b.name] as number)} ${b.unit}`] : []));
    // a weight no patient has (grams typed as kg, refused or warned as W_WEIGHT_UNIT) fits no age:
    // WT 1450 for 1.45 kg was said to fit "PMA in years? 32 years", a PMA of 1710 weeks
    const w = body.weight && items[body.weight.name];
    if (body.weight && w !== undefined && w * body.weight.kgPerUnit > CLINICAL.suspectWeightKg) {
      const code = a.kind === 'pma' ? 'W_PMA_UNIT' : 'W_AGE_UNIT';
      return `${code}: ${a.name} ${num(v)} ${a.unit} with ${bad.join(' and ')}: ${body.weight.name} ${num(w)} ${body.weight.unit} is above any patient's weight (${CLINICAL.suspectWeightKg} kg; a weight in grams?), so no reading of ${a.name} is judged by it: check ${body.weight.name} first`;
    }
    // of the readings the weight and height fit, the one they sit nearest the middle of (a 30-week
    // postnatal infant of 8 kg typed as PMA 30 fits 30 months too, at the low end)
    const fits = otherReadings(a, v)
      .flatMap((r) => {
        const x = envelopeOf(a, r.value);
        return x !== undefined && outside(body, items, x).length === 0 && plausibleBuild(body, items) ? [{ ...r, off: offCentre(body, items, x) }] : [];
      })
      .sort((p, q) => p.off - q.off)
      .slice(0, 1);
    const code = a.kind === 'pma' ? 'W_PMA_UNIT' : 'W_AGE_UNIT';
    const age = a.kind === 'pma' ? 'a postmenstrual age' : 'an age';
    const slip = fits[0] !== undefined ? `${fits[0].what} ${num(fits[0].value)} ${a.unit}, where ${given.join(' and ')} fit${given.length === 1 ? 's' : ''}` : `No other reading of ${a.name} fits ${given.join(' and ')} either: check the units of ${[a.name, ...given.map((g) => g.split(' ')[0])].join(', ')}`;
    return `${code}: ${a.name} ${num(v)} ${a.unit} with ${bad.join(' and ')}: outside what growth charts give for ${age} of ${num(v)} ${a.unit} (the ranges shown: a quarter to three times the median weight, five times from 2 years, the median height ±30 %). ${slip}. Give ${a.name} in ${a.unit}`;
  }
  return undefined;
}

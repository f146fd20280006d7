// Median body weight and length/height by age, to tell a weight or height no patient of the stated
// age has (an age typed in months into a model reading years, a PMA typed in years or as a postnatal
// age). Only the medians are kept: the envelope around them is wide enough that the precise centile
// curves would not change a verdict.
//
// Sources (50th centiles, boys/girls, rounded):
// - 22–40 weeks postmenstrual age: Fenton TR, Kim JH. BMC Pediatr 2013;13:59 (preterm growth chart);
// - birth to 5 years: WHO Child Growth Standards 2006 (weight-for-age, length/height-for-age);
// - 6 to 20 years: CDC 2000 growth charts (weight-for-age, stature-for-age); adults keep the 20-year values.

/** [postmenstrual age (weeks), weight boys, weight girls (kg), length boys, length girls (cm)], Fenton 2013. */
const PRETERM: readonly (readonly [number, number, number, number, number])[] = [
  [22, 0.51, 0.48, 29.5, 29],
  [24, 0.66, 0.61, 31.5, 31],
  [26, 0.89, 0.82, 34.5, 34],
  [28, 1.15, 1.06, 37.5, 37],
  [30, 1.46, 1.37, 40, 39.5],
  [32, 1.82, 1.72, 42.5, 42],
  [34, 2.25, 2.15, 45, 44.5],
  [36, 2.7, 2.6, 47.5, 47],
  [38, 3.15, 3.05, 49.5, 49],
];

/** [postnatal age (years), weight boys, weight girls (kg), length/height boys, girls (cm)]: WHO 2006 to 5 years, CDC 2000 from 6. */
const POSTNATAL: readonly (readonly [number, number, number, number, number])[] = [
  [0, 3.3, 3.2, 49.9, 49.1],
  [1 / 12, 4.5, 4.2, 54.7, 53.7],
  [2 / 12, 5.6, 5.1, 58.4, 57.1],
  [3 / 12, 6.4, 5.8, 61.4, 59.8],
  [4 / 12, 7.0, 6.4, 63.9, 62.1],
  [6 / 12, 7.9, 7.3, 67.6, 65.7],
  [9 / 12, 8.9, 8.2, 72.0, 70.1],
  [1, 9.6, 8.9, 75.7, 74.0],
  [1.5, 10.9, 10.2, 82.3, 80.7],
  [2, 12.2, 11.5, 87.8, 86.4],
  [3, 14.3, 13.9, 96.1, 95.1],
  [4, 16.3, 16.1, 103.3, 102.7],
  [5, 18.3, 18.2, 110.0, 109.4],
  [6, 20.7, 20.2, 115.9, 115.0],
  [7, 22.9, 22.4, 122.0, 121.6],
  [8, 25.6, 25.2, 127.9, 127.7],
  [9, 28.6, 28.2, 133.5, 133.5],
  [10, 31.9, 31.9, 138.5, 139.1],
  [11, 35.6, 36.0, 143.5, 145.4],
  [12, 39.9, 40.5, 149.1, 151.6],
  [13, 45.3, 45.0, 156.0, 157.1],
  [14, 50.8, 49.4, 163.2, 160.4],
  [15, 56.0, 52.7, 169.0, 162.1],
  [16, 60.8, 54.6, 173.0, 162.8],
  [17, 64.7, 56.2, 175.2, 163.2],
  [18, 67.2, 57.0, 176.1, 163.5],
  [20, 70.6, 58.2, 176.8, 163.3],
];

/** Weeks per year, and the postmenstrual age of a term birth (weeks). */
export const WEEKS_PER_YEAR = 365.25 / 7;
export const TERM_PMA_WEEKS = 40;
/**
 * The youngest postmenstrual age (weeks) at which infants are born alive and treated: survivors born
 * at 21 weeks 1 day (Curtis Means, 420 g, University of Alabama at Birmingham, July 2020; Guinness
 * World Records, November 2021) and 21 weeks 2 days (Richard Hutchinson, Children's Minnesota, June
 * 2020). At 22 weeks, a live-born infant of 420 g at PMA 21.3 was refused with no way through. Below
 * 22 weeks the Fenton chart's first point stands for the medians.
 */
export const VIABLE_PMA_WEEKS = 21;

/**
 * The envelope around the median a patient's values are judged by: a quarter of the median weight
 * (children with severe cerebral palsy or SMA weigh 10 kg at 10 years, 12 kg at 12, a third of the
 * median) to three times it in infancy and five times from 2 years (obese children and teenagers
 * reach it: 80 kg at 8 years, 100 at 10, 140 at 13, 160 at 14, 200 at 17 were warned at three
 * times), rising linearly between 1 and 2 years; height ±30 % (about 6 SD: an adult with
 * achondroplasia, 125 cm, is inside). Adults have no upper weight: a heavier patient is a weight in
 * grams, judged elsewhere (above 300 kg), and super-obese adults weigh 250 kg.
 */
export const ENVELOPE = { weightLow: 4, weightHighInfant: 3, weightHighChild: 5, height: 0.3, adultYears: 18 } as const;

/** The oldest age (years) a reading of an age value is offered as (a PMA read as 718 years is no patient's). */
export const MAX_AGE_YEARS = 120;

/** The multiple of the median weight a patient of postnatal age `years` may reach. */
function weightHighFactor(years: number): number {
  return ENVELOPE.weightHighInfant + (ENVELOPE.weightHighChild - ENVELOPE.weightHighInfant) * Math.min(1, Math.max(0, years - 1));
}

export interface BodyMedians {
  /** Lower and higher of the two sexes' median weight (kg). */
  readonly weightKg: readonly [number, number];
  /** Lower and higher of the two sexes' median length or height (cm). */
  readonly heightCm: readonly [number, number];
}

function interpolate(table: readonly (readonly number[])[], x: number): readonly number[] {
  const first = table[0] as readonly number[];
  const last = table[table.length - 1] as readonly number[];
  if (x <= (first[0] as number)) return first;
  if (x >= (last[0] as number)) return last;
  const i = table.findIndex((r) => (r[0] as number) > x);
  const a = table[i - 1] as readonly number[];
  const b = table[i] as readonly number[];
  const f = (x - (a[0] as number)) / ((b[0] as number) - (a[0] as number));
  return a.map((v, k) => v + f * ((b[k] as number) - v));
}

/** The median weight and height at postmenstrual age `pmaWeeks` (a term birth at 40 weeks; from 40 weeks on, the postnatal charts). */
export function mediansAtPma(pmaWeeks: number): BodyMedians {
  const r = pmaWeeks < TERM_PMA_WEEKS - 2 ? interpolate(PRETERM, pmaWeeks) : interpolate(POSTNATAL, Math.max(0, (pmaWeeks - TERM_PMA_WEEKS) / WEEKS_PER_YEAR));
  // between 38 and 40 weeks, the preterm chart's last point to the term birth's
  const m = pmaWeeks >= TERM_PMA_WEEKS - 2 && pmaWeeks < TERM_PMA_WEEKS ? interpolate([PRETERM[PRETERM.length - 1] as readonly number[], [TERM_PMA_WEEKS, ...(POSTNATAL[0] as readonly number[]).slice(1)]], pmaWeeks) : r;
  return { weightKg: [Math.min(m[1] as number, m[2] as number), Math.max(m[1] as number, m[2] as number)], heightCm: [Math.min(m[3] as number, m[4] as number), Math.max(m[3] as number, m[4] as number)] };
}

export interface BodyEnvelope {
  readonly weightKg: readonly [number, number];
  readonly heightCm: readonly [number, number];
}

/**
 * The weights and heights a patient of postmenstrual age `pmaWeeks` may have (ENVELOPE around the
 * medians). With `bornFrom` (weeks), the age is a postnatal one: the patient may have been born at
 * any gestational age from it to term, so the low end is that of the most preterm survivor's
 * postmenstrual age and the high end that of a term birth's.
 */
export function bodyEnvelope(pmaWeeks: number, bornFrom?: number): BodyEnvelope {
  const low = mediansAtPma(bornFrom === undefined ? pmaWeeks : pmaWeeks - (TERM_PMA_WEEKS - bornFrom));
  const high = mediansAtPma(pmaWeeks);
  const adult = pmaWeeks >= TERM_PMA_WEEKS + ENVELOPE.adultYears * WEEKS_PER_YEAR;
  return {
    weightKg: [low.weightKg[0] / ENVELOPE.weightLow, adult ? Infinity : high.weightKg[1] * weightHighFactor((pmaWeeks - TERM_PMA_WEEKS) / WEEKS_PER_YEAR)],
    heightCm: [low.heightCm[0] * (1 - ENVELOPE.height), high.heightCm[1] * (1 + ENVELOPE.height)],
  };
}

/** The envelope at postnatal age `years`, of a patient born at any gestational age from VIABLE_PMA_WEEKS to term. */
export function bodyEnvelopeAtAge(years: number): BodyEnvelope {
  return bodyEnvelope(TERM_PMA_WEEKS + years * WEEKS_PER_YEAR, VIABLE_PMA_WEEKS);
}

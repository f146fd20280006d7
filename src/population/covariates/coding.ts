// How a covariate codes sex, as its name or its description says. The clinical calculators of
// derived expressions (crcl_cg, egfr_ckdepi2021, lbw_janmahasatian, ibw_devine) take sex coded
// 1 = male, 0 = female. A covariate FEMALE described "1 = female, 0 = male" passed as their sex
// argument ran with exit 0, every man computed as a woman and every woman as a man (Cockcroft–Gault
// CrCl × 0.85 for men, × 1.176 for women). Only sex is read here: words other than male/female
// (and their short forms) are not codings dosewise can compare.

/** A sex as a coding names it. */
export type CodedSex = 'male' | 'female';

/** Value → sex, as a description writes it. */
export type SexCoding = ReadonlyMap<number, CodedSex>;

/** The coding the calculators read. */
export const CALCULATOR_SEX_CODING: SexCoding = new Map<number, CodedSex>([
  [1, 'male'],
  [0, 'female'],
]);

const SEX_WORDS: Readonly<Record<string, CodedSex>> = {
  male: 'male',
  males: 'male',
  m: 'male',
  man: 'male',
  men: 'male',
  boy: 'male',
  boys: 'male',
  female: 'female',
  females: 'female',
  f: 'female',
  fem: 'female',
  woman: 'female',
  women: 'female',
  girl: 'female',
  girls: 'female',
};

const WORD = '([A-Za-z]+)';
const NUM = '(-?\\d+)';
// "1 = female", "1=F", "1: female", "1 for female", "1 if female", "1 female"
const VALUE_FIRST = new RegExp(`(?<![\\w.])${NUM}\\s*(=|:|->|→|means|for|if|is)?\\s*${WORD}\\b`, 'gi');
// "female = 1", "female: 1", "female is 1", "female coded 1", "female coded as 1" (not "SEX: 1 = male")
const WORD_FIRST = new RegExp(`(?<![\\w])${WORD}\\s*(?:=|:|is|coded(?: as)?|as)\\s*${NUM}(?![\\d.]|\\s*(?:=|:))`, 'gi');
// "female 0 male 1": a word then its value with nothing between (read only where the description
// starts its pairs that way: "1 male / 0 female" is the value-first reading of the same form)
const WORD_BARE = new RegExp(`(?<![\\w])${WORD}\\s+${NUM}(?![\\d.]|\\s*(?:=|:))`, 'gi');
// "female (1)"
const WORD_PAREN = new RegExp(`(?<![\\w])${WORD}\\s*\\(\\s*${NUM}\\s*\\)`, 'gi');

/**
 * The sex coding a description writes ("1 = female, 0 = male", "0=M, 1=F", "female: 1", "male (1)"),
 * or undefined when it writes none or contradicts itself ("1 = male, 1 = female").
 *
 * @example
 * describedSexCoding('1 = female, 0 = male'); // Map { 1 => 'female', 0 => 'male' }
 * describedSexCoding('serum creatinine'); // undefined
 */
export function describedSexCoding(description: string | undefined): SexCoding | undefined {
  if (description === undefined) return undefined;
  const out = new Map<number, CodedSex>();
  const add = (value: string, word: string): boolean => {
    const sex = SEX_WORDS[word.toLowerCase()];
    const v = Number(value);
    // codes are small integers; "1 m = 100 cm" is a length, not men coded 100
    if (sex === undefined || !(Math.abs(v) <= (word.length === 1 ? 2 : 9))) return true;
    const had = out.get(v);
    if (had !== undefined && had !== sex) return false;
    out.set(v, sex);
    return true;
  };
  // pairs written with nothing between value and word read either way ("0 Male" inside "Female 0
  // Male 1" was read as 0 = male): the order the description starts with decides
  const isSex = (w: string): boolean => SEX_WORDS[w.toLowerCase()] !== undefined;
  const bareValueFirst = [...description.matchAll(VALUE_FIRST)].filter((m) => m[2] === undefined && isSex(m[3] as string));
  const bareWordFirst = [...description.matchAll(WORD_BARE)].filter((m) => isSex(m[1] as string));
  // a description that writes its pairs with "=" or ":" ("Male=0 Female=1") reads no bare pair:
  // its "0 Female" contradicted "Male=0", the coding read as none, and every woman ran as a man
  const separated =
    [...description.matchAll(VALUE_FIRST)].some((m) => m[2] !== undefined && isSex(m[3] as string)) ||
    [...description.matchAll(WORD_FIRST)].some((m) => isSex(m[1] as string)) ||
    [...description.matchAll(WORD_PAREN)].some((m) => isSex(m[1] as string));
  const wordFirst = !separated && bareWordFirst.length > 0 && (bareValueFirst.length === 0 || (bareWordFirst[0]?.index ?? 0) < (bareValueFirst[0]?.index ?? 0));
  for (const m of description.matchAll(VALUE_FIRST)) {
    if (m[2] === undefined && (wordFirst || separated)) continue;
    // "1 m" with nothing between is more likely a length than a sex: a letter alone needs "=" or ":"
    if (m[2] === undefined && (m[3] as string).length === 1) continue;
    if (!add(m[1] as string, m[3] as string)) return undefined;
  }
  if (wordFirst) for (const m of bareWordFirst) if ((m[1] as string).length > 1 && !add(m[2] as string, m[1] as string)) return undefined;
  for (const m of description.matchAll(WORD_FIRST)) if (!add(m[2] as string, m[1] as string)) return undefined;
  for (const m of description.matchAll(WORD_PAREN)) if (!add(m[2] as string, m[1] as string)) return undefined;
  if (out.size === 0) return undefined;
  // one value for two sexes is caught above; two values for one sex ("0 = female, 2 = female") is no coding
  const values = [...out.entries()];
  if (values.some(([v, s]) => values.some(([w, t]) => w !== v && t === s))) return undefined;
  return out;
}

/**
 * Where two sex codings disagree: a value one reads as male and the other as female, or a sex
 * the two give different values (1 = male, 2 = female against 1 = male, 0 = female). Undefined
 * when they agree on everything both say.
 */
export function sexCodingConflict(a: SexCoding, b: SexCoding, inA = 'in one', inB = 'in the other'): string | undefined {
  for (const [v, s] of a) {
    const t = b.get(v);
    if (t !== undefined && t !== s) return `${v} is ${s} ${inA} and ${t} ${inB}`;
  }
  const valueOf = (c: SexCoding, s: CodedSex): number | undefined => [...c.entries()].find(([, t]) => t === s)?.[0];
  for (const s of ['male', 'female'] as const) {
    const x = valueOf(a, s);
    const y = valueOf(b, s);
    if (x !== undefined && y !== undefined && x !== y) return `${s} is ${x} ${inA} and ${y} ${inB}`;
  }
  return undefined;
}

/** A coding written out: "1 = female, 0 = male". */
export function formatSexCoding(c: SexCoding): string {
  return [...c.entries()].map(([v, s]) => `${v} = ${s}`).join(', ');
}

/**
 * Whether a covariate's name says it is 1 for a woman: FEMALE, ISFEMALE, FEM, F_SEX, SEX_F,
 * WOMAN, GIRL (case, `_` and digits aside). SEX, GENDER, MALE and ISMALE do not.
 */
export function femaleByName(name: string): boolean {
  const n = name.toLowerCase().replace(/[^a-z]/g, '');
  return /^(is)?(female|fem|woman|women|girl)(sex|flag|ind|yn)?$/.test(n) || /^(sex|gender)(female|fem|f)$/.test(n) || /^f(sex|gender)$/.test(n);
}

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

// Words of other languages whose sex letters differ from English (M is "mujer", a woman, in
// Spanish): where one appears, single letters are not read at all.
const FOREIGN: Readonly<Record<string, CodedSex | null>> = {
  mujer: 'female',
  hombre: 'male',
  frau: 'female',
  mann: 'male',
  weiblich: 'female',
  männlich: 'male',
  femme: 'female',
  homme: 'male',
  sexo: null,
  geschlecht: null,
  sexe: null,
};

/** Operators that join a value and a sex word in either order ("1 = female", "female: 1", "female → 1", "1 - female"). */
const JOIN = new Set(['=', '==', ':', '-', '->', '→', '=>']);
/** Words that join a value to a sex word after it ("1 if female", "1 for female", "1 coded as female"). */
const VALUE_WORDS = new Set(['if', 'for', 'as', 'is', 'means', 'coded']);
/** Words that join a sex word to a value after it ("female is 1", "female coded as 1"). */
const WORD_WORDS = new Set(['is', 'as', 'coded']);

type Tok = { readonly t: 'num'; readonly v: number } | { readonly t: 'word'; readonly s: string } | { readonly t: 'op'; readonly s: string };

function tokens(text: string): Tok[] {
  const out: Tok[] = [];
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)|([A-Za-zÀ-ÿ]+)|(==|=>|->|→|[=:\-(),;/\n|])/g)) {
    if (m[1] !== undefined) out.push({ t: 'num', v: Number(m[1]) });
    else if (m[2] !== undefined) out.push({ t: 'word', s: m[2].toLowerCase() });
    else out.push({ t: 'op', s: m[3] as string });
  }
  return out;
}

/**
 * The sex coding a description writes, or undefined when it writes none it can read without
 * guessing, or contradicts itself ("1 = male, 1 = female"). Read conservatively: a value joined
 * to a sex word by an operator or a joining word ("1 = female", "female: 1", "female → 1", "1 -
 * female", "1 if female", "female (1)", "1 (female)"), a list written "female/male = 1/0", or a
 * description that is nothing but bare pairs ("Female 0 Male 1", "1 male / 0 female"). A value
 * between two sex words without an operator on one side ("Female-1 Male-0": "1 Male") is not read
 * both ways: read as 1 = male it let every woman run as a man. Codes are 0, 1 and 2 (1.0 reads as
 * 1); single letters (M, F) count only where no other language's sex words appear.
 *
 * @example
 * describedSexCoding('1 = female, 0 = male'); // Map { 1 => 'female', 0 => 'male' }
 * describedSexCoding('serum creatinine'); // undefined
 */
export function describedSexCoding(description: string | undefined): SexCoding | undefined {
  if (description === undefined) return undefined;
  const toks = tokens(description);
  const foreign = toks.some((k) => k.t === 'word' && k.s in FOREIGN);
  const sexOf = (k: Tok | undefined): CodedSex | undefined => {
    if (k?.t !== 'word') return undefined;
    if (k.s.length === 1 && foreign) return undefined;
    const f = FOREIGN[k.s];
    return f ?? SEX_WORDS[k.s];
  };
  const code = (k: Tok | undefined): number | undefined => (k?.t === 'num' && Number.isInteger(k.v) && k.v <= 2 ? k.v : undefined);
  const out = new Map<number, CodedSex>();
  let bad = false;
  const add = (v: number, sex: CodedSex): void => {
    const had = out.get(v);
    if (had !== undefined && had !== sex) bad = true;
    out.set(v, sex);
  };
  const isJoin = (k: Tok | undefined): boolean => k?.t === 'op' && JOIN.has(k.s);
  // "female/male = 1/0" and "F/M: 1/0": each word with the value in its place
  for (let i = 0; i + 6 < toks.length; i++) {
    const [a, sl1, b, op, x, sl2, y] = toks.slice(i, i + 7);
    const sa = sexOf(a);
    const sb = sexOf(b);
    const va = code(x);
    const vb = code(y);
    if (sa && sb && sl1?.t === 'op' && sl1.s === '/' && isJoin(op) && sl2?.t === 'op' && sl2.s === '/' && va !== undefined && vb !== undefined) {
      add(va, sa);
      add(vb, sb);
    }
  }
  for (let i = 0; i < toks.length; i++) {
    const k = toks[i];
    // a word in a slash list is read by the list rule alone ("female/male = 1/0" is no "male = 1")
    const slash = (x: Tok | undefined): boolean => x?.t === 'op' && x.s === '/';
    const inList = (j: number): boolean => (slash(toks[j - 1]) && sexOf(toks[j - 2]) !== undefined) || (slash(toks[j + 1]) && sexOf(toks[j + 2]) !== undefined);
    const v = code(k);
    if (v !== undefined) {
      // 1 = female, 1 - female, 1 → female, 1 if female, 1 coded as female, 1 (female)
      let j = i + 1;
      if (isJoin(toks[j]) || (toks[j]?.t === 'word' && VALUE_WORDS.has((toks[j] as { s: string }).s))) {
        j++;
        if (toks[j]?.t === 'word' && (toks[j] as { s: string }).s === 'as') j++;
        const sx = sexOf(toks[j]);
        if (sx && !inList(j)) add(v, sx);
      } else if (toks[j]?.t === 'op' && (toks[j] as { s: string }).s === '(') {
        const sx = sexOf(toks[j + 1]);
        if (sx && toks[j + 2]?.t === 'op' && (toks[j + 2] as { s: string }).s === ')') add(v, sx);
      }
      continue;
    }
    const sx = sexOf(k);
    if (!sx || inList(i)) continue;
    // female = 1, female: 1, female → 1, female - 1, female is 1, female coded as 1, female (1)
    let j = i + 1;
    if (isJoin(toks[j]) || (toks[j]?.t === 'word' && WORD_WORDS.has((toks[j] as { s: string }).s))) {
      j++;
      if (toks[j]?.t === 'word' && (toks[j] as { s: string }).s === 'as') j++;
      const w = code(toks[j]);
      // "SEX: 1 = male": the word before the colon is no sex word, so nothing is taken from it
      if (w !== undefined && !isJoin(toks[j + 1])) add(w, sx);
    } else if (toks[j]?.t === 'op' && (toks[j] as { s: string }).s === '(') {
      const w = code(toks[j + 1]);
      if (w !== undefined && toks[j + 2]?.t === 'op' && (toks[j + 2] as { s: string }).s === ')') add(w, sx);
    }
  }
  if (out.size === 0 && !bad) {
    // nothing but bare pairs, either order, after an optional "sex:" ("Female 0 Male 1", "1 male / 0 female")
    const body = toks.filter((k) => !(k.t === 'op' && [',', ';', '/', '\n', '|', ':'].includes(k.s)) && !(k.t === 'word' && ['sex', 'gender', 'and', 'or'].includes(k.s)));
    if (body.length >= 2 && body.length % 2 === 0 && body.every((k) => k.t !== 'op')) {
      const wordFirst = sexOf(body[0]) !== undefined;
      for (let i = 0; i < body.length; i += 2) {
        const sx = sexOf(body[wordFirst ? i : i + 1]);
        const v = code(body[wordFirst ? i + 1 : i]);
        if (!sx || v === undefined || (body[wordFirst ? i : i + 1] as { s: string }).s.length === 1) return undefined;
        add(v, sx);
      }
    }
  }
  if (bad || out.size === 0) return undefined;
  // two values for one sex ("0 = female, 2 = female") is no coding
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

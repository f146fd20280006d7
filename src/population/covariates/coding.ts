// How a covariate codes sex, as its name or its description says. The clinical calculators of
// derived expressions (crcl_cg, egfr_ckdepi2021, lbw_janmahasatian, ibw_devine) take sex coded
// 1 = male, 0 = female. A covariate FEMALE described "1 = female, 0 = male" passed as their sex
// argument ran with exit 0, every man computed as a woman and every woman as a man (Cockcroft–Gault
// CrCl × 0.85 for men, × 1.176 for women). Only sex is read here: words other than male/female
// (and their short forms) are not codings dosewise can compare; "unknown" or "other" is paired
// with its value only so that a third category does not shift the pairs.

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
  masculine: 'male',
  feminine: 'female',
};

// Words of other languages whose sex letters differ from English (M is "mujer", a woman, in
// Spanish): where one appears, single letters are not read at all.
const FOREIGN: Readonly<Record<string, CodedSex | null>> = {
  mujer: 'female',
  hombre: 'male',
  varón: 'male',
  varon: 'male',
  femenino: 'female',
  masculino: 'male',
  mulher: 'female',
  homem: 'male',
  feminino: 'female',
  frau: 'female',
  mann: 'male',
  weiblich: 'female',
  männlich: 'male',
  femme: 'female',
  homme: 'male',
  // their plurals and feminine forms, and French, Dutch and Italian: unknown, "Männer, Frauen: 1, 0"
  // and "féminin = 1" were no sex words, and SEX so described ran by its name
  mujeres: 'female',
  hombres: 'male',
  varones: 'male',
  femenina: 'female',
  masculina: 'male',
  mulheres: 'female',
  homens: 'male',
  feminina: 'female',
  männer: 'male',
  maenner: 'male',
  maennlich: 'male',
  frauen: 'female',
  femmes: 'female',
  hommes: 'male',
  féminin: 'female',
  féminine: 'female',
  feminin: 'female',
  masculin: 'male',
  mannelijk: 'male',
  vrouwelijk: 'female',
  vrouw: 'female',
  vrouwen: 'female',
  mannen: 'male',
  maschio: 'male',
  maschi: 'male',
  maschile: 'male',
  femmina: 'female',
  femmine: 'female',
  femminile: 'female',
  uomo: 'male',
  uomini: 'male',
  donna: 'female',
  donne: 'female',
  sexo: null,
  género: null,
  genero: null,
  gênero: null,
  geschlecht: null,
  sexe: null,
  geslacht: null,
  sesso: null,
  genere: null,
};

/** Words a description may open with before its pairs ("Sex: 1 = male, 0 = female"). */
const HEADER_WORDS = new Set(['sex', 'gender', ...Object.keys(FOREIGN).filter((w) => FOREIGN[w] === null)]);
/** Categories beside the two sexes: paired with a value ("9 = unknown") that is no sex, not left unpaired. */
const OTHER_CATEGORY = new Set(['unknown', 'unk', 'other', 'others', 'missing', 'unspecified', 'undetermined', 'indeterminate', 'intersex', 'desconocido', 'otro', 'otros']);
/**
 * Letters other languages' codings use for a sex ("0=V, 1=M": V is varón, H hombre, and M is mujer
 * beside them): one beside a value turns single letters off. Other letters are labels ("Table S2",
 * "n = 2", "p = 1"): taken for a sign of another language, they left "1=F, 0=M (see Table S2)" unread
 * and every woman ran as a man.
 */
const FOREIGN_LETTERS = new Set(['h', 'v', 'w', 'k']);
/** Letters that name a sex in some language: beside a code where letters are not read, which sex each is cannot be told. */
const SEX_LETTERS = new Set(['m', 'f', ...FOREIGN_LETTERS]);
/** Those of them that name another category ("2 = U"), read where single letters are. */
const OTHER_LETTERS = new Set(['u', 'o']);
/** Words that may stand between two pairs ("1 = female or 0 = male"). */
const BETWEEN_PAIRS = new Set(['and', 'or']);
/** Operators no pair spans ("1 = male; 0 = female"). A comma is not one: "1, Female" is itself a pair. */
const SEPARATORS = new Set([';', '|', '/', '\n']);

/** Operators that join a value and a sex word in either order ("1 = female", "female: 1", "female → 1", "1 - female"). */
const JOIN = new Set(['=', '==', ':', '-', '->', '→', '=>']);
/** Those of them that never stand between two pairs, as ":" and "-" do ("SEX; Male 0: Female 1", "Female 1 - Male 0"). */
const ONLY_JOIN = new Set(['=', '==', '->', '→', '=>']);
/** Words that join a value to a sex word after it ("1 if female", "1 for female", "1 coded as female"). */
const VALUE_WORDS = new Set(['if', 'for', 'as', 'is', 'means', 'coded']);
/** Words that join a sex word to a value after it ("female is 1", "female coded as 1", "female if SEX == 1"). */
const WORD_WORDS = new Set(['is', 'as', 'coded', 'if']);
/** The "as" of "coded as". */
const AS = new Set(['as']);

type Tok = { readonly t: 'num'; readonly v: number } | { readonly t: 'word'; readonly s: string } | { readonly t: 'op'; readonly s: string };
/** Which of a pair comes first: the sex word ("Female 1") or the value ("1 Female"). */
type Orientation = 'word' | 'value';
/** A token a coding pairs: a sex word, another category's word, or a value, with its token's place. */
type Item = { readonly at: number; readonly kind: 'value'; readonly v: number } | { readonly at: number; readonly kind: 'word'; readonly sex: CodedSex | undefined; readonly letter: boolean };
/** A value and the word it codes, as the places of their tokens. */
interface Pair {
  readonly value: number;
  readonly word: number;
}

/**
 * The tokens of a description. A minus sign before a number where no word or number stands against
 * it is the number's ("-1 = missing" is no "male - 1"); letters glued to digits are one label ("S2",
 * "v2", "A1": "(CRF v2)" put V beside 2 and turned the letters off) unless the letters are a sex
 * ("F1"); a variable tested against a value is that value ("SEX=1 female", "female if SEX == 1").
 */
function tokens(text: string): Tok[] {
  const out: Tok[] = [];
  for (const m of text.matchAll(/((?<![A-Za-zÀ-ÿ\d)])-\d+(?:\.\d+)?|\d+(?:\.\d+)?)|([A-Za-zÀ-ÿ]+)(\d+)?(?![A-Za-zÀ-ÿ\d])|([A-Za-zÀ-ÿ]+\d[\dA-Za-zÀ-ÿ]*)|(==|=>|->|→|[=:\-(),;/\n|[\]])/g)) {
    const [, num, letters, digits, label, op] = m;
    if (num !== undefined) out.push({ t: 'num', v: Number(num) });
    else if (letters !== undefined && (digits === undefined || own(SEX_WORDS, letters.toLowerCase()) !== undefined)) {
      out.push({ t: 'word', s: letters.toLowerCase() });
      if (digits !== undefined) out.push({ t: 'num', v: Number(digits) });
    } else if (letters !== undefined || label !== undefined) out.push({ t: 'word', s: m[0].toLowerCase() });
    else out.push({ t: 'op', s: op as string });
  }
  return out.filter((k, i) => !isTested(out, i) && !isTested(out, i - 1));
}

/** Whether token i is a variable a value is tested against: the "SEX" and "==" of "SEX == 1". */
function isTested(toks: readonly Tok[], i: number): boolean {
  return isWord(toks[i], HEADER_WORDS) && (isOp(toks[i + 1], '=') || isOp(toks[i + 1], '==')) && toks[i + 2]?.t === 'num';
}

/** A table's own entry: "constructor" in a description is no sex word. */
const own = <T>(table: Readonly<Record<string, T>>, s: string): T | undefined => (Object.hasOwn(table, s) ? table[s] : undefined);
/** A code: 0, 1 or 2 (1.0 is 1). */
const code = (k: Tok | undefined): number | undefined => (k?.t === 'num' && Number.isInteger(k.v) && k.v >= 0 && k.v <= 2 ? k.v : undefined);
const isJoin = (k: Tok | undefined): boolean => k?.t === 'op' && JOIN.has(k.s);
const isOp = (k: Tok | undefined, s: string): boolean => k?.t === 'op' && k.s === s;
const isWord = (k: Tok | undefined, words: ReadonlySet<string>): boolean => k?.t === 'word' && words.has(k.s);
/** An operator or a word that joins a value and a word and never parts two pairs ("=", "→", "if", "coded"). */
const firm = (k: Tok | undefined): boolean => (k?.t === 'op' && ONLY_JOIN.has(k.s)) || isWord(k, VALUE_WORDS);

/** The place of the nearest token `step` (±1) from token i that is no operator nor joining word: "V coded as 0" puts V beside 0. */
function neighbourAt(toks: readonly Tok[], i: number, step: 1 | -1): number {
  let j = i + step;
  while (j >= 0 && j < toks.length && (toks[j]?.t === 'op' || isWord(toks[j], VALUE_WORDS) || isWord(toks[j], WORD_WORDS))) j += step;
  return j;
}
const neighbour = (toks: readonly Tok[], i: number, step: 1 | -1): Tok | undefined => toks[neighbourAt(toks, i, step)];

/**
 * Whether single letters are read in this description: only where no other language's words
 * appear and no letter English codings do not use stands beside a value: M is "mujer" in "Género:
 * 0 = H, 1 = M" and may be in "0=V, 1=M" (V, varón).
 */
function lettersRead(toks: readonly Tok[]): boolean {
  const besideValue = (i: number): boolean => [neighbour(toks, i, -1), neighbour(toks, i, 1)].some((n) => n?.t === 'num' && Number.isInteger(n.v) && n.v <= 9);
  return !toks.some((k, i) => k.t === 'word' && (Object.hasOwn(FOREIGN, k.s) || (FOREIGN_LETTERS.has(k.s) && besideValue(i))));
}

/** The sex a word names in this description. */
function sexReader(toks: readonly Tok[]): (k: Tok | undefined) => CodedSex | undefined {
  const letters = lettersRead(toks);
  return (k) => (k?.t !== 'word' || (k.s.length === 1 && !letters) ? undefined : (own(FOREIGN, k.s) ?? own(SEX_WORDS, k.s)));
}

/** Whether a word names a category beside the two sexes in this description: "unknown", or "U" where letters are read ("1=M, 0=F, 2=U"). */
function otherReader(toks: readonly Tok[]): (k: Tok | undefined) => boolean {
  const letters = lettersRead(toks);
  return (k) => isWord(k, OTHER_CATEGORY) || (letters && isWord(k, OTHER_LETTERS));
}

/** The tokens a coding pairs, in order: sex words, other categories, codes and the values beside an other category ("unknown 9"). */
function itemsOf(toks: readonly Tok[], sexOf: (k: Tok | undefined) => CodedSex | undefined, isOther: (k: Tok | undefined) => boolean): Item[] {
  const out: Item[] = [];
  toks.forEach((k, at) => {
    const sex = sexOf(k);
    if (k.t === 'word' && (sex !== undefined || isOther(k))) out.push({ at, kind: 'word', sex, letter: k.s.length === 1 });
    else if (k.t === 'num' && (code(k) !== undefined || (Number.isInteger(k.v) && [neighbour(toks, at, -1), neighbour(toks, at, 1)].some(isOther))))
      out.push({ at, kind: 'value', v: k.v });
  });
  return out;
}

/**
 * Which comes first in every pair, where the items alternate word and value from the first to the
 * last (an even count): "Female 1 - Male 0" is word first, so its "1 - Male" is no pair. Undefined
 * where they do not.
 */
function orientationOf(items: readonly Item[]): Orientation | undefined {
  const first = items[0]?.kind;
  if (first === undefined || items.length % 2 !== 0) return undefined;
  return items.every((it, i) => (it.kind === first) === (i % 2 === 0)) ? first : undefined;
}

/**
 * The pairs of a description that is nothing but pairs in one orientation: after a header ("Sex:"),
 * word and value joined by operators, a joining word or nothing ("Female 1", "1 if female", "1,
 * Female"), pairs apart by operators, "and" or "or" ("1, Female | 0, Male | 9, Unknown", "sex (0
 * male, 1 female)"). Undefined where any other word or number stands among them.
 */
function pairList(toks: readonly Tok[], items: readonly Item[], first: Orientation, amid = false): Pair[] | undefined {
  const only = (from: number, to: number, words: ReadonlySet<string>): boolean => toks.slice(from, to).every((k) => k.t === 'op' || isWord(k, words));
  const at = (i: number): number => (items[i] as Item).at;
  if (!only(0, at(0), HEADER_WORDS) || !only(at(items.length - 1) + 1, toks.length, new Set())) return undefined;
  const pairs: Pair[] = [];
  const sexes = new Set<CodedSex | undefined>();
  let bareLetter = false;
  for (let i = 0; i < items.length; i += 2) {
    // no pair spans a ";" or "|" ("1, Female | 0, Male" is no "Female | 0"); in a run of pairs among
    // other text no "=" parts two either ("visit 1: male = 0 - female = 1" is no "1: male")
    if (!only(at(i) + 1, at(i + 1), first === 'word' ? WORD_WORDS : VALUE_WORDS) || parted(toks, at(i), at(i + 1))) return undefined;
    if (i + 2 < items.length && (!only(at(i + 1) + 1, at(i + 2), BETWEEN_PAIRS) || (amid && between(toks, at(i + 1), at(i + 2)).some(firm)))) return undefined;
    // nor does a value or word in brackets open a pair there: "male (1), female (0)" is no "(1), female"
    if (amid && isOp(toks[at(i) - 1], '(') && isOp(toks[at(i) + 1], ')')) return undefined;
    const word = items[first === 'word' ? i : i + 1] as Item & { kind: 'word' };
    sexes.add(word.sex);
    bareLetter ||= word.letter && at(i + 1) === at(i) + 1;
    pairs.push(first === 'word' ? { word: at(i), value: at(i + 1) } : { value: at(i), word: at(i + 1) });
  }
  // a bare letter beside a value may be a unit ("2 m"): such a reading is taken only where it names both sexes
  return bareLetter && !(sexes.has('male') && sexes.has('female')) ? undefined : pairs;
}

/**
 * Pairs written as two slash lists, either way round, the second list at the place `after` gives
 * from the end of the first (or none): "female/male = 1/0", "0/1 = male/female".
 */
function slashListPairs(toks: readonly Tok[], sexOf: (k: Tok | undefined) => CodedSex | undefined, after: (end: number) => number | undefined): Pair[] {
  const out: Pair[] = [];
  for (let i = 0; i + 2 < toks.length; i++) {
    const j = isOp(toks[i + 1], '/') ? after(i + 2) : undefined;
    if (j === undefined || !isOp(toks[j + 1], '/')) continue;
    if (sexOf(toks[i]) && sexOf(toks[i + 2]) && code(toks[j]) !== undefined && code(toks[j + 2]) !== undefined) out.push({ word: i, value: j }, { word: i + 2, value: j + 2 });
    if (code(toks[i]) !== undefined && code(toks[i + 2]) !== undefined && sexOf(toks[j]) && sexOf(toks[j + 2])) out.push({ value: i, word: j }, { value: i + 2, word: j + 2 });
  }
  return out;
}
/** The second list one operator on: "female/male = 1/0" (not "male/female as 1/0"). */
const joinedList = (toks: readonly Tok[]) => (end: number): number | undefined => (isJoin(toks[end + 1]) ? end + 2 : undefined);

/** Whether the sex word at j is in a slash list ("female/male"), which pairs by the list rule alone. */
const inSlashList = (toks: readonly Tok[], j: number, sexOf: (k: Tok | undefined) => CodedSex | undefined): boolean =>
  (isOp(toks[j - 1], '/') && sexOf(toks[j - 2]) !== undefined) || (isOp(toks[j + 1], '/') && sexOf(toks[j + 2]) !== undefined);

/**
 * Values and sex words an operator or a joining word joins: "1 = female", "1 - female", "1 →
 * female", "1 if female", "1 coded as female", "1 (female)", "female = 1", "female: 1", "female is
 * 1", "female coded as 1", "female (1)", and another category "=" or a joining word joins to a
 * value ("9 = unknown"). A word in a slash list is read by the list rule alone ("female/male =
 * 1/0" is no "male = 1").
 */
function joinedPairs(toks: readonly Tok[], sexOf: (k: Tok | undefined) => CodedSex | undefined, isOther: (k: Tok | undefined) => boolean): Pair[] {
  const out: Pair[] = [];
  const inList = (j: number): boolean => inSlashList(toks, j, sexOf);
  const named = (k: Tok | undefined): boolean => sexOf(k) !== undefined || isOther(k);
  // a sex takes a code; another category any whole value ("9 = unknown", so that a sex pair before it stands
  // alone), but only joined firmly: "0 - unknown" may be the "unknown" of a pair shifted by one
  const fits = (value: number, word: number): boolean =>
    isOther(toks[word]) ? Number.isInteger((toks[value] as Tok & { t: 'num' }).v) && firm(toks[Math.min(value, word) + 1]) : code(toks[value]) !== undefined;
  for (let i = 0; i < toks.length; i++) {
    const valueFirst = toks[i]?.t === 'num';
    if (!valueFirst && (!named(toks[i]) || inList(i))) continue;
    const partner = (j: number): boolean => (valueFirst ? named(toks[j]) && !inList(j) && fits(i, j) : toks[j]?.t === 'num' && fits(j, i));
    let j = i + 1;
    if (isJoin(toks[j]) || isWord(toks[j], valueFirst ? VALUE_WORDS : WORD_WORDS)) {
      j += isWord(toks[j + 1], AS) ? 2 : 1;
      // "SEX: 1 = male": a value followed by an operator belongs to the word after it
      if (partner(j) && (valueFirst || !isJoin(toks[j + 1]))) out.push(valueFirst ? { value: i, word: j } : { word: i, value: j });
    } else if (isOp(toks[j], '(') && partner(j + 1) && isOp(toks[j + 2], ')')) {
      out.push(valueFirst ? { value: i, word: j + 1 } : { word: i, value: j + 1 });
    }
  }
  return out;
}

/** The tokens strictly between tokens a and b, whichever comes first. */
const between = (toks: readonly Tok[], a: number, b: number): Tok[] => toks.slice(Math.min(a, b) + 1, Math.max(a, b));
/** Whether a semicolon, bar, slash or line stands between tokens a and b. */
const parted = (toks: readonly Tok[], a: number, b: number): boolean => between(toks, a, b).some((k) => k.t === 'op' && SEPARATORS.has(k.s));

/** Whether items from, from + 2, … are each joined to the next by an operator that parts no pairs ("="), or by a joining word. */
function firmlyJoined(toks: readonly Tok[], items: readonly Item[], from: 0 | 1): boolean[] {
  const out: boolean[] = [];
  for (let i = from; i + 1 < items.length; i += 2) out.push(between(toks, (items[i] as Item).at, (items[i + 1] as Item).at).some(firm));
  return out;
}

/**
 * Whether the items paired the other way round, the first and the last left over, read too: "Sex
 * 2: male 0, female 1, unknown" is also male 0, female 1 beside a "2" and an "unknown". Not where a
 * sex word would be left over, a sex word would take a value no code is, a pair would span a
 * semicolon, bar, slash or line ("1, Female | 0, Male | 9, Unknown"), or every pair is joined by
 * "=", "→" or a joining word and no pair the other way round is ("Sex: 0 = male, 1 = female, 2 =
 * unknown": "male, 1" would be pairs a "=" parts).
 */
function shiftedReads(toks: readonly Tok[], items: readonly Item[]): boolean {
  const sexWord = (it: Item | undefined): boolean => it?.kind === 'word' && it.sex !== undefined;
  if (sexWord(items[0]) || sexWord(items[items.length - 1])) return false;
  if (firmlyJoined(toks, items, 0).every(Boolean) && !firmlyJoined(toks, items, 1).some(Boolean)) return false;
  for (let i = 1; i + 2 < items.length; i += 2) {
    const [a, b] = [items[i] as Item, items[i + 1] as Item];
    const value = a.kind === 'value' ? a : b;
    if (parted(toks, a.at, b.at) || ((sexWord(a) || sexWord(b)) && code(toks[value.at]) === undefined)) return false;
  }
  return true;
}

/**
 * Whether no other pairing could take a joined pair: the value has no word on its other side, the
 * word no value on its other side, unless a semicolon, bar, slash or line parts them, or a comma,
 * "and" or "or" does and the item beyond it is joined to its own partner ("1 = male, 0 = female",
 * "1 = male and 0 = female (baseline)"). A comma alone parts nothing: "0, Male - 1, Female" is "0,
 * Male", not "Male - 1".
 */
function standsAlone(p: Pair, items: readonly Item[], toks: readonly Tok[], joined: readonly Pair[]): boolean {
  const v = items.findIndex((it) => it.at === p.value);
  const w = items.findIndex((it) => it.at === p.word);
  const ownPartner = (at: number): boolean => joined.some((q) => (q.value === at || q.word === at) && q.value !== p.value && q.word !== p.word);
  const rival = (from: number, to: number, kind: Item['kind']): boolean => {
    const a = (items[from] as Item).at;
    const b = items[to];
    if (b?.kind !== kind || parted(toks, a, b.at)) return false;
    return !(between(toks, a, b.at).some((k) => isOp(k, ',') || isWord(k, BETWEEN_PAIRS)) && ownPartner(b.at));
  };
  return !rival(v, 2 * v - w, 'word') && !rival(w, 2 * w - v, 'value');
}

/**
 * Whether a sex word and a code stand side by side outside the pairs read ("Male, 1; Female, 0 -
 * female is 1" read only its "female is 1"): the pairs read are then not all the description says.
 */
function leftBeside(toks: readonly Tok[], pairs: readonly Pair[], sexOf: (k: Tok | undefined) => CodedSex | undefined): boolean {
  const read = new Set(pairs.flatMap((p) => [p.value, p.word]));
  const beside = (i: number, step: 1 | -1): boolean => {
    const j = neighbourAt(toks, i, step);
    return code(toks[j]) !== undefined && !(read.has(i) && read.has(j));
  };
  return toks.some((k, i) => sexOf(k) !== undefined && (beside(i, -1) || beside(i, 1)));
}

/**
 * The pairs a description writes in one reading, or undefined where two readings disagree. Outside
 * a bare list the order its first and last items show is no evidence: a number before the pairs
 * ("Sex at visit 1: male = 0 - female = 1 (unknown)") or a word without a value shifts every pair
 * by one, and read so it was 0 = female. There only pairs no other pairing could take are read.
 */
function pairsOfDescription(toks: readonly Tok[], sexOf: (k: Tok | undefined) => CodedSex | undefined, isOther: (k: Tok | undefined) => boolean): Pair[] | undefined {
  const items = itemsOf(toks, sexOf, isOther);
  const first = orientationOf(items);
  const listed = first === undefined || shiftedReads(toks, items) ? undefined : pairList(toks, items, first);
  if (listed !== undefined) return listed;
  const joined = joinedPairs(toks, sexOf, isOther);
  // "Female 1 - Male 0 (CRF v2)": its "1 - Male" has Female on the value's other side, so nothing is read
  if (!joined.every((p) => standsAlone(p, items, toks, joined))) return undefined;
  const pairs = [...slashListPairs(toks, sexOf, joinedList(toks)), ...joined];
  return leftBeside(toks, pairs, sexOf) ? undefined : pairs;
}

/**
 * The sex coding a description writes, or undefined when it writes none it can read without
 * guessing, or contradicts itself ("1 = male, 1 = female"). Each pair is a sex word and a value in
 * the same order throughout, the order the description opens and closes with ("Female 1 - Male
 * 0" is 1 = female: its "1 - Male" read as 1 = male let every woman run as a man). A description
 * that is nothing but such pairs is read whole ("Sex: 1 Male - 2 Female", "1, Female | 0, Male |
 * 9, Unknown"), unless the pairs shifted by one read too ("Sex 2: male 0, female 1, unknown"),
 * which they do not where "=" joins every pair and parts none ("Sex: 0 = male, 1 = female, 2 =
 * unknown"); otherwise only a value and a word an operator or a joining word joins ("1 =
 * female", "female: 1", "1 if female", "female (1)"), where no other pairing could take them (a
 * comma, "and" or "or" parts two pairs only where each side is joined so: "0, Male - 1, Female" is
 * no "Male - 1")
 * and no sex word stands beside a code outside them. Where other text stands before or after the
 * pairs ("Patient sex: 1 female, 0 male", "SEX: 1=F, 0=M (see Table S2)", "Female 1 - Male 0, 9 =
 * unknown"), the run of pairs that holds both sexes is read as a bare list, opening with a value or
 * with a word; a reading both openings give differently, or that the whole description gives
 * otherwise, is none. Slash lists pair in order ("female/male =
 * 1/0", "0/1 = male/female"), and so do other parallel lists, where one list of values and one of words
 * stand alone ("0 and 1 for male and female, respectively", "0, 1: Male, Female"; parallelLists).
 * Codes are 0, 1 and 2 (1.0 reads as 1); a value beside "unknown",
 * "other" or "U" is no sex. Single letters (M, F) count only where no Spanish, Portuguese or German
 * word, nor a letter another language names a sex with (H, V, W, K) beside a value ("0=V, 1=M", "H
 * is 0, M is 1"), appears; "Table S2", "v2" and "n = 2" are labels.
 *
 * @example
 * describedSexCoding('1 = female, 0 = male'); // Map { 1 => 'female', 0 => 'male' }
 * describedSexCoding('serum creatinine'); // undefined
 */
export function describedSexCoding(description: string | undefined): SexCoding | undefined {
  if (description === undefined || listedApart(description)) return undefined;
  const toks = tokens(description);
  const sexOf = sexReader(toks);
  const indicator = oneSexOf(toks, sexOf);
  if (indicator?.form === 'indicator') return indicatorCoding(indicator.sex);
  const isOther = otherReader(toks);
  const parallel = parallelLists(toks, sexOf, isOther, description);
  if (parallel !== undefined) return parallel === 'unclear' ? undefined : parallel;
  const whole = wholeCoding(toks, sexOf, isOther);
  const runs = runCodings(toks, sexOf, isOther);
  if (runs === undefined) return undefined;
  const readings = [...(whole !== undefined ? [whole] : []), ...runs];
  const [first] = readings;
  return first !== undefined && readings.every((c) => sameCoding(c, first)) ? first : undefined;
}

/** Words that say a description of one sex is an indicator of it, wherever they stand ("female sex indicator", "Indicator: female", "Sex is female"). */
const INDICATOR_WORDS = new Set(['indicator', 'flag', 'dummy', 'binary', 'dichotomous', 'whether', 'is']);
/** Words that make a sex named the reference or a contrast ("Sex (reference = male)", "female relative to male"): the one coded 0, or either. */
const REFERENCE_WORDS = new Set(['reference', 'ref', 'baseline', 'relative', 'compared', 'versus', 'vs', 'contrast']);
/** Words that make the sex named no indicator of it: a reference, an effect or a negation ("effect of female sex", "not female"). */
const NOT_INDICATOR = new Set([...REFERENCE_WORDS, 'effect', 'not', 'non', 'except']);
const YES = new Set(['yes', 'y']);
const NO = new Set(['no', 'n']);
/** Words that give 0 to all but the sex 1 is joined to ("1 if male, 0 otherwise", "1 if female, else 0"). */
const OTHERWISE = new Set(['otherwise', 'else']);

/**
 * Whether a description of one sex writes the codes of a flag ("0/1", "0, 1", "0 or 1"; "1 = yes",
 * "no: 0") or a "yes/no"; undefined where a number stands otherwise than those or 1 joined to the
 * sex itself ("1 = female", "female (1)": allowed, but no sign of a flag): "female = 0", "1 = no".
 */
function indicatorCodes(toks: readonly Tok[], sex: CodedSex, sexOf: (k: Tok | undefined) => CodedSex | undefined): { readonly flagCodes: boolean; readonly yesNo: boolean } | undefined {
  const taken = new Set<number>();
  const num = (i: number, v: number): boolean => toks[i]?.t === 'num' && (toks[i] as { v: number }).v === v && !taken.has(i);
  const joins = (k: Tok | undefined): boolean => isJoin(k) || isWord(k, VALUE_WORDS) || isWord(k, WORD_WORDS);
  // the value joined to a word, either way round, or one of them in brackets after the other: "1 = yes", "no: 0", "female (1)", "0 (no)"
  const joinedTo = (v: number, is: (k: Tok | undefined) => boolean): void => {
    for (let i = 0; i < toks.length; i++) {
      if (!num(i, v)) continue;
      const bracketed = (isOp(toks[i - 1], '(') && isOp(toks[i + 1], ')') && is(toks[i - 2])) || (isOp(toks[i + 1], '(') && is(toks[i + 2]) && isOp(toks[i + 3], ')'));
      if ((joins(toks[i + 1]) && is(toks[i + 2])) || (joins(toks[i - 1]) && is(toks[i - 2])) || bracketed) taken.add(i);
    }
  };
  joinedTo(1, (k) => isWord(k, YES));
  joinedTo(0, (k) => isWord(k, NO));
  for (let i = 0; i + 2 < toks.length; i++)
    if (num(i, 0) && (isOp(toks[i + 1], '/') || isOp(toks[i + 1], ',') || isWord(toks[i + 1], BETWEEN_PAIRS)) && num(i + 2, 1)) taken.add(i).add(i + 2);
  // "1 = female" says which value the sex has, not that the other has 0 ("female if SEX == 1" may leave 2 = male)
  const named = new Set(taken);
  joinedTo(1, (k) => sexOf(k) === sex);
  const oneIsSex = taken.size > named.size;
  // …but "1 if male, 0 otherwise" (or "else 0") says both: 0 is every other value, a flag's codes
  // (it was refused as unreadable)
  let zeroOtherwise = false;
  for (let i = 0; i < toks.length; i++)
    if (oneIsSex && num(i, 0) && (isWord(toks[i + 1], OTHERWISE) || isWord(toks[i - 1], OTHERWISE))) {
      taken.add(i);
      zeroOtherwise = true;
    }
  const flagCodes = named.size > 0 || zeroOtherwise;
  if (toks.some((k, i) => k.t === 'num' && !taken.has(i))) return undefined;
  const yesNo = toks.some((k, i) => isWord(k, YES) && (isOp(toks[i + 1], '/') || isWord(toks[i + 1], BETWEEN_PAIRS)) && isWord(toks[i + 2], NO));
  return { flagCodes, yesNo };
}

/**
 * A description that names one sex alone and no code but an indicator's ("0/1", "1 = yes, 0 =
 * no", "1 = female"): an indicator of that sex, 1 for it, where a word or a code says so anywhere
 * ("female sex indicator", "Indicator: female", "is female", "female: yes/no", "female (0/1)");
 * else 'unclear' ("Female", "effect of female sex", "Sex (reference = male)": the sex named may
 * be the one coded 0). Read by the name SEX as 1 = male, "female sex indicator" and "Sex
 * (reference = male)" ran every woman as a man (CRCL 77.78 for 66.11).
 */
function oneSexOf(toks: readonly Tok[], sexOf: (k: Tok | undefined) => CodedSex | undefined): { readonly sex: CodedSex; readonly form: 'indicator' | 'unclear' } | undefined {
  const sexes = new Set(toks.map(sexOf).filter((x) => x !== undefined));
  const [sex] = sexes;
  if (sex === undefined || sexes.size > 1) return undefined;
  const codes = indicatorCodes(toks, sex, sexOf);
  if (codes === undefined) return undefined;
  if (toks.some((k) => isWord(k, NOT_INDICATOR))) return { sex, form: 'unclear' };
  const indicator = codes.flagCodes || codes.yesNo || toks.some((k) => isWord(k, INDICATOR_WORDS));
  return { sex, form: indicator ? 'indicator' : 'unclear' };
}

/** The coding of an indicator of `sex`: 1 for it, 0 for the other. */
function indicatorCoding(sex: CodedSex): SexCoding {
  return new Map([
    [1, sex],
    [0, sex === 'female' ? 'male' : 'female'],
  ]);
}

/** Words and operators that join the items of one list ("0 and 1", "male, female", "0/1", "male or female"). */
const IN_LIST = new Set([',', '/', 'and', 'or', '&']);
/** A list's items: runs of two or more tokens `is` takes, each joined to the next by IN_LIST alone. */
function runsOf(toks: readonly Tok[], is: (k: Tok | undefined) => boolean): number[][] {
  const runs: number[][] = [];
  let run: number[] = [];
  for (let i = 0; i < toks.length; i++) {
    if (!is(toks[i])) continue;
    const last = run[run.length - 1];
    const joined = last !== undefined && i - last === 2 && IN_LIST.has((toks[last + 1] as { s?: string }).s ?? '');
    if (!joined && run.length > 0) runs.push(run);
    run = joined ? [...run, i] : [i];
  }
  if (run.length > 0) runs.push(run);
  return runs.filter((r) => r.length >= 2);
}

/**
 * A description that lists its codes and its words apart, in parallel ("0 and 1 for male and
 * female, respectively", "0, 1: Male, Female", "male and female coded 0 and 1", "levels = c(0,
 * 1), labels = c('male', 'female')"): read pair by pair it joined the adjacent "1 for male", 1 =
 * male where 1 is female, and ran with exit 0. Read by position where that cannot be mistaken: one
 * list of values and one of words, as long as each other, both sexes each once, and no code nor
 * sex word outside them; 'unclear' where lists stand otherwise or "respectively" says they do;
 * undefined where the description lists nothing apart.
 */
function parallelLists(toks: readonly Tok[], sexOf: (k: Tok | undefined) => CodedSex | undefined, isOther: (k: Tok | undefined) => boolean, text: string): SexCoding | 'unclear' | undefined {
  const isValue = (k: Tok | undefined): boolean => k?.t === 'num' && Number.isInteger(k.v);
  const isWordItem = (k: Tok | undefined): boolean => sexOf(k) !== undefined || isOther(k);
  const values = runsOf(toks, isValue);
  // a list of words names two sexes: "Sex, 1, 0 male, 1 female, other" lists no words ("female, other")
  const words = runsOf(toks, isWordItem).filter((r) => r.filter((i) => sexOf(toks[i]) !== undefined).length >= 2);
  const respectively = /respective/iu.test(text);
  if (!respectively && (values.length === 0 || words.length === 0)) return undefined;
  const [vs, ws] = [values[0] ?? [], words[0] ?? []];
  if (values.length !== 1 || words.length !== 1 || vs.length !== ws.length) return 'unclear';
  const outside = (i: number): boolean => !vs.includes(i) && !ws.includes(i);
  if (toks.some((k, i) => outside(i) && (code(k) !== undefined || sexOf(k) !== undefined || (k.t === 'word' && SEX_LETTERS.has(k.s))))) return 'unclear';
  const pairs = vs.map((value, n) => ({ value, word: ws[n] as number }));
  const sexes = pairs.flatMap((p) => sexOf(toks[p.word]) ?? []);
  const uncoded = pairs.some((p) => sexOf(toks[p.word]) !== undefined && code(toks[p.value]) === undefined);
  if (uncoded || sexes.length !== 2 || new Set(sexes).size !== 2) return 'unclear';
  return codingOf(toks, pairs, sexOf) ?? 'unclear';
}

/**
 * "Female vs male: 1 vs 0" lists the words and the codes apart, in parallel: read pair by pair it
 * joined "male: 1" (1 = male where 1 is female); parallel lists are read only as slash lists.
 */
const listedApart = (description: string): boolean => /(^|[^\p{L}])(vs\.?|versus)(?![\p{L}])/iu.test(description);

const sameCoding = (a: SexCoding, b: SexCoding): boolean => a.size === b.size && [...a].every(([v, s]) => b.get(v) === s);

/** The coding the whole description writes (pairsOfDescription), where no code stands apart from its pairs. */
function wholeCoding(toks: readonly Tok[], sexOf: (k: Tok | undefined) => CodedSex | undefined, isOther: (k: Tok | undefined) => boolean): SexCoding | undefined {
  const pairs = pairsOfDescription(toks, sexOf, isOther);
  if (pairs === undefined || pairs.length === 0) return undefined;
  // a code no pair takes after the pairs begin: "Female: 0/1" (a flag's two values) read "female:
  // 0", 0 = female, and a FEMALE flag passed the calculators' check with every woman computed as a
  // man (a number before them is a header's: "Sex at visit 1: …")
  const paired = new Set(pairs.map((p) => p.value));
  const first = Math.min(...pairs.map((p) => Math.min(p.value, p.word)));
  if (toks.some((k, i) => i > first && code(k) !== undefined && !paired.has(i))) return undefined;
  return codingOf(toks, pairs, sexOf);
}

/**
 * The codings of the run of pairs that holds every sex word, with other text before or after it
 * ("Patient sex: 1 female, 0 male", "SEX (col 2): 1 Male - 0 Female", "Female 1 - Male 0, 9 =
 * unknown", "0, Male - 1, Female (CRF v2)"): the run opens with the value before the first sex word
 * or with that word, and is read as a bare list is, both sexes in it. Both openings are tried, and
 * the caller takes neither unless they agree ("Sex 2: male 0, female 1, unknown" is male 0, female
 * 1 or 2 = male, 0 = female). Undefined where an opening pairs as a list but no coding: a sex
 * valued otherwise than 0–2, or a value another category outside the run takes ("2 (men) 1
 * (female) 2 (U)" is no 1 = male, 2 = female for the "2 (U)" that leaves "2 (men)" a pair).
 */
function runCodings(toks: readonly Tok[], sexOf: (k: Tok | undefined) => CodedSex | undefined, isOther: (k: Tok | undefined) => boolean): SexCoding[] | undefined {
  const items = itemsOf(toks, sexOf, isOther);
  const sexAt = items.flatMap((it, i) => (it.kind === 'word' && it.sex !== undefined ? [i] : []));
  const out: SexCoding[] = [];
  for (const first of ['word', 'value'] as const) {
    const from = (sexAt[0] ?? 0) - (first === 'value' ? 1 : 0);
    const to = (sexAt[sexAt.length - 1] ?? -1) + (first === 'word' ? 1 : 0);
    const run = items.slice(Math.max(from, 0), to + 1);
    if (from < 0 || to >= items.length || orientationOf(run) !== first) continue;
    const offset = (run[0] as Item).at;
    const slice = toks.slice(offset, (run[run.length - 1] as Item).at + 1);
    if (crossesBracket(toks, offset, offset + slice.length)) continue;
    const pairs = pairList(slice, run.map((it) => ({ ...it, at: it.at - offset })), first, true);
    // one sex alone is left to the whole description ("Female: 0/1" is no run)
    if (pairs === undefined || new Set(pairs.flatMap((p) => sexOf(slice[p.word]) ?? [])).size < 2) continue;
    const coding = codingOf(slice, pairs, sexOf);
    const outside = (i: number): boolean => i < offset || i >= offset + slice.length;
    const valuedOther = (k: Tok, i: number): boolean => outside(i) && k.t === 'num' && coding?.has(k.v) === true && [neighbour(toks, i, -1), neighbour(toks, i, 1)].some(isOther);
    const uncoded = pairs.some((p) => sexOf(slice[p.word]) !== undefined && code(slice[p.value]) === undefined);
    // a sex valued 9 or -1 is no reading of this opening ("Sex: 1 male, 0 female, 9 unknown" is no
    // "female 9"), and leaves the other to stand; a contradiction in a reading leaves none
    if (uncoded) continue;
    if (coding === undefined || toks.some(valuedOther)) return undefined;
    out.push(coding);
  }
  return out;
}

/**
 * Whether tokens from…to (end excluded) close a bracket opened before them, or open one that does
 * not close right after them: "Sex [1: male, 0: female] - 2 categories" is no run "male, 0: female]
 * - 2", "SEX (col 2): Male 1, Female 0" no "2): Male 1, Female".
 */
function crossesBracket(toks: readonly Tok[], from: number, to: number): boolean {
  let depth = 0;
  for (let i = from; i < to; i++) {
    depth += isOp(toks[i], '(') || isOp(toks[i], '[') ? 1 : isOp(toks[i], ')') || isOp(toks[i], ']') ? -1 : 0;
    if (depth < 0) return true;
  }
  for (let i = to; depth > 0 && (isOp(toks[i], ')') || isOp(toks[i], ']')); i++) depth--;
  return depth > 0;
}

/** Value → sex of the pairs read, or undefined where they contradict each other ("1 = male, 1 = female", "0 = female, 2 = female", a category valued as a sex). */
function codingOf(toks: readonly Tok[], pairs: readonly Pair[], sexOf: (k: Tok | undefined) => CodedSex | undefined): SexCoding | undefined {
  const out = new Map<number, CodedSex>();
  const others = new Set<number>();
  for (const p of pairs) {
    const v = (toks[p.value] as { v: number }).v;
    const sex = sexOf(toks[p.word]);
    if (sex === undefined) others.add(v);
    else if ((out.get(v) ?? sex) !== sex) return undefined;
    else out.set(v, sex);
  }
  if (out.size === 0 || [...others].some((v) => out.has(v))) return undefined;
  const values = [...out.entries()];
  return values.some(([v, s]) => values.some(([w, t]) => w !== v && t === s)) ? undefined : out;
}

/**
 * Why a description that is no coding dosewise reads could contradict the coding the caller would
 * otherwise assume (`assumed`: the calculators' 1 = male, 0 = female for SEX, the flag's 1 = female
 * for FEMALE, or the model's own), naming the text; undefined where it cannot. It can wherever a
 * sex word (of any language the reader knows, or a single letter that names a sex in one) and a
 * code (a whole number: 0, 1, 2, -1, 9, …) both appear: what the text says of them is not known,
 * and guessing that it agrees ran "0 indicates male, 1 indicates female", "Female patients were
 * coded 1 and male patients 0" and "féminin = 1, masculin = 0" on SEX by its name, every woman as a
 * man, with exit 0. Text with no code ("Sex of the patient (male or female)") or no sex word keeps
 * the assumed coding.
 *
 * @example
 * unreadSexConflict('Female vs male: 1 vs 0'); // 'it lists the sexes and the codes apart ("vs"), …'
 * unreadSexConflict('0 indicates male, 1 indicates female'); // 'its sex words and codes stand in no form dosewise pairs …'
 * unreadSexConflict('Sex of the patient (male or female)'); // undefined: no code
 */
export function unreadSexConflict(description: string | undefined, assumed: SexCoding = CALCULATOR_SEX_CODING): string | undefined {
  if (description === undefined || describedSexCoding(description) !== undefined) return undefined;
  const toks = tokens(description);
  const sexOf = sexReader(toks);
  // whether the sex named is the one coded 1 cannot be told, whatever the name would read
  const one = oneSexOf(toks, sexOf);
  if (one?.form === 'unclear')
    return `it names ${one.sex} alone, with no code and no word saying it is an indicator of ${one.sex} ("${one.sex} indicator", "is ${one.sex}", "${one.sex}: yes/no"), so which value a ${one.sex} patient has cannot be told; write "${formatSexCoding(indicatorCoding(one.sex))}" or "${formatSexCoding(indicatorCoding(one.sex === 'female' ? 'male' : 'female'))}"`;
  const sexWord = (k: Tok): boolean => sexOf(k) !== undefined || (k.t === 'word' && (SEX_LETTERS.has(k.s) || own(SEX_WORDS, k.s) !== undefined || own(FOREIGN, k.s) != null));
  const codeOf = (k: Tok): boolean => k.t === 'num' && Number.isInteger(k.v) && Math.abs(k.v) < 100;
  if (!toks.some(sexWord)) return undefined;
  // "female vs male (reference)" says which sex is 0 in words: read by the name it ran 1 = male
  if (!toks.some(codeOf))
    return toks.some((k) => sexOf(k) !== undefined) && toks.some((k) => isWord(k, REFERENCE_WORDS))
      ? 'it names a sex as the reference or a contrast, with no code, so which value each sex has cannot be told; write "1 = female, 0 = male" or "1 = male, 0 = female"'
      : undefined;
  if (listedApart(description)) return 'it lists the sexes and the codes apart ("vs"), so which code goes with which sex cannot be told';
  return `its sex words and codes stand in no form dosewise pairs ("1 = male", "female: 0", "1 for female"), so whether it agrees with ${formatSexCoding(assumed)} cannot be told`;
}

/**
 * Whether a description that is no coding dosewise reads could contradict the coding the caller
 * would otherwise assume (unreadSexConflict says where).
 *
 * @example
 * unreadSexCoding('Female vs male: 1 vs 0'); // true
 * unreadSexCoding('Patient sex (1 = Male 0 = Female)'); // false: read, and agrees
 * unreadSexCoding('Sex of the patient (male or female)'); // false: no code
 */
export function unreadSexCoding(description: string | undefined, assumed: SexCoding = CALCULATOR_SEX_CODING): boolean {
  return unreadSexConflict(description, assumed) !== undefined;
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

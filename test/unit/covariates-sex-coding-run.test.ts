// Sex descriptions with other text around their pairs. After 481ec4e an unread description was
// refused only where "=" or another operator joined a value to a sex word, so ordinary forms coding
// 1 = female that the reader left unread ("Patient sex: 1 female, 0 male", REDCap's "1, Female | 0,
// Male | 2, Prefer not to say", "SEX: 1=F, 0=M (see Table S2)") ran SEX by its name, 1 = male: every
// woman computed as a man with exit 0 (a population: CrCl 77.78 for the woman's 66.11
// mL/min; 11,851 of 200,000 fuzzed descriptions). Now the run of pairs that holds both sexes is read
// with the text around it left aside, and an unread description is refused wherever a code stands
// beside a sex word otherwise than the assumed coding reads it.

import { describe, expect, it } from 'vitest';
import { describedSexCoding, unreadSexCoding, unreadSexConflict, type SexCoding } from '../../src/population/covariates/coding.js';
import { parseCovariateSpec } from '../../src/population/covariates/spec.js';
import { covariateSampler } from '../../src/population/covariates/sample.js';
import { refused } from './refused.js';

const read = (s: string): [number, string][] => [...(describedSexCoding(s) ?? new Map<number, string>())].sort((a, b) => a[0] - b[0]);
const WOMEN_ONE: [number, string][] = [[0, 'male'], [1, 'female']];
const MEN_ONE: [number, string][] = [[0, 'female'], [1, 'male']];

describe('a run of pairs among other text', () => {
  // the forms coding 1 = female that ran SEX as 1 = male, exit 0
  it.each([
    'Patient sex: 1 female, 0 male',
    '1, Female | 0, Male | 2, Prefer not to say',
    'SEX: 1=F, 0=M (see Table S2)',
    'Female 1 - Male 0, 9 = unknown',
    '0, Male - 1, Female (CRF v2)',
    'SEX=1 female; SEX=0 male',
    'Sex indicator: 1 female, 0 male',
    'Biological sex: female 1, male 0',
    'SEXN: 1 Female 0 Male',
    'Sex at birth: 1 (female), 0 (male)',
    'Sex code: 1 female; 0 male',
    '1 = female, 0 = male, 2 = Not reported',
    '0 = male, 1 = female, -1 = missing',
    '1 = female, 0 = male, 3 = Non-binary',
    'Sex 1=F 0=M, n = 2 missing',
    'Sex (1=F, 0=M), Appendix A1',
  ])('%j reads 1 = female, 0 = male', (d) => expect(read(d)).toEqual(WOMEN_ONE));

  it('reads "female if SEX == 1" as 1 = female', () => expect(read('female if SEX == 1')).toEqual([[1, 'female']]));

  // refused before as unread: the 1 = male forms of wrappers (34 of 216)
  it.each(['Sex [1 = male, 0 = female] - 2 categories', 'Sex at time 0: male = 1, female = 0', 'Sex: 1 = male, 0 = female - 2 levels', 'Sex (1 Male - 0 Female), visit 1', 'SEX (col 2): 1 Male - 0 Female', 'Sex, CRF page 2: male (1), female (0)', '1: male, 0: female (2 levels)'])(
    '%j reads 1 = male, 0 = female and is not refused',
    (d) => {
      expect(read(d)).toEqual(MEN_ONE);
      expect(unreadSexCoding(d)).toBe(false);
    },
  );

  // both openings of the run read, differently, or a category outside it takes a value of it: not read
  it.each([
    ['Sex 2: male 0, female 1, unknown', 'its sex words and codes stand in no form dosewise pairs'],
    ['Sex at visit 1: male 0, female 1', 'its sex words and codes stand in no form dosewise pairs'],
    ['2 (men) 1 (female) 2 (U)', 'its sex words and codes stand in no form dosewise pairs'],
    ['Gender: 2: female. 1: male. 2: other at day 1', 'its sex words and codes stand in no form dosewise pairs'],
    ['Género: 0 = H, 1 = M', 'its sex words and codes stand in no form dosewise pairs'],
  ])('%j is not read, and is refused on SEX claiming no pair (%s)', (d, why) => {
    expect(read(d)).toEqual([]);
    expect(unreadSexConflict(d)).toContain(why);
  });
});

describe('SEX described by a run among other text, as crcl_cg\'s sex', () => {
  const covariates = (description: string, sex: string): Record<string, unknown> => ({
    AGE: { dist: 'uniform', lower: 40, upper: 80, unit: 'years' },
    SEX: { dist: 'categorical', values: [0, 1], p: [0.5, 0.5], description },
    WT: { dist: 'uniform', lower: 50, upper: 90, unit: 'kg' },
    SCR: { dist: 'uniform', lower: 0.7, upper: 1.5, unit: 'mg/dL' },
    CRCL: { derived: `crcl_cg(SCR, AGE, WT, ${sex})` },
  });
  // Cockcroft–Gault by hand (python3): (140 − 60)·70 / (72·1.0) = 77.77777777777777, × 0.85 = 66.1111111111111
  const CG_MAN_60 = 77.77777777777777;
  const CG_WOMAN_60 = 66.1111111111111;
  /** CRCL of the subjects drawn SEX 1 and SEX 0 (AGE 60, WT 70, SCR 1.0: the uniforms' ½, ½ and ⅜). */
  function crcl(c: Record<string, unknown>): { one: number; zero: number } {
    const s = covariateSampler({ covariates: c });
    const out = s.names.map(() => new Float64Array(2));
    s.fill(2, new Float64Array(0), Float64Array.of(0.5, 0.75, 0.5, 0.375, 0.5, 0.25, 0.5, 0.375), out);
    const v = out[s.names.indexOf('CRCL')] as Float64Array;
    return { one: v[0] as number, zero: v[1] as number };
  }

  it('refuses "Patient sex: 1 female, 0 male" (it ran: the woman\'s CrCl 77.78 for 66.11), and computes 1 - SEX as written', () => {
    refused(() => parseCovariateSpec({ covariates: covariates('Patient sex: 1 female, 0 male', 'SEX') }), 'E_MODEL', /sex argument SEX is coded otherwise: covariates\.SEX\.description says "Patient sex: 1 female, 0 male", that is 1 = female, 0 = male;.*Write 1 - SEX/);
    const { one, zero } = crcl(covariates('Patient sex: 1 female, 0 male', '1 - SEX'));
    expect(one).toBeCloseTo(CG_WOMAN_60, 9);
    expect(zero).toBeCloseTo(CG_MAN_60, 9);
  });

  it('computes "Sex [1 = male, 0 = female] - 2 categories" as written (it was refused)', () => {
    const { one, zero } = crcl(covariates('Sex [1 = male, 0 = female] - 2 categories', 'SEX'));
    expect(one).toBeCloseTo(CG_MAN_60, 9);
    expect(zero).toBeCloseTo(CG_WOMAN_60, 9);
  });

  // another wording: "1 and 0 for male and female, respectively" was refused with "Write 1 - SEX",
  // and "1 and 2 for men and women" advised SEX == 2 ? 1 : 0, which flipped every subject
  it('computes "Sex: 1 and 0 for male and female, respectively" as written, and refuses "0 and 1 for male and female" advising 1 - SEX', () => {
    const { one, zero } = crcl(covariates('Sex: 1 and 0 for male and female, respectively', 'SEX'));
    expect(one).toBeCloseTo(CG_MAN_60, 9);
    expect(zero).toBeCloseTo(CG_WOMAN_60, 9);
    refused(() => parseCovariateSpec({ covariates: covariates('Sex (0 and 1 for male and female, respectively)', 'SEX') }), 'E_MODEL', /that is 0 = male, 1 = female;.*Write 1 - SEX/);
    const flipped = crcl(covariates('Sex (0 and 1 for male and female, respectively)', '1 - SEX'));
    expect(flipped.one).toBeCloseTo(CG_WOMAN_60, 9);
    expect(flipped.zero).toBeCloseTo(CG_MAN_60, 9);
  });

  it('refuses "0 indicates male, 1 indicates female" on SEX (it ran by the name, every woman as a man)', () => {
    refused(() => parseCovariateSpec({ covariates: covariates('0 indicates male, 1 indicates female', 'SEX') }), 'E_MODEL', /how its sex argument SEX is coded cannot be read: .*its sex words and codes stand in no form dosewise pairs/);
  });

  it('refuses an unread one naming the form to write, and no pair the text does not hold', () => {
    const e = refused(() => parseCovariateSpec({ covariates: covariates('Sex 2: male 0, female 1, unknown', 'SEX') }), 'E_MODEL', /how its sex argument SEX is coded cannot be read: covariates\.SEX\.description says "Sex 2: male 0, female 1, unknown", which is no coding dosewise reads: its sex words and codes stand in no form dosewise pairs \("1 = male", "female: 0", "1 for female"\), so whether it agrees with 1 = male, 0 = female cannot be told, where its name would read 1 = male, 0 = female/);
    expect(e.message).toContain('("1 = male, 0 = female" or "1 = female, 0 = male", as the values are coded)');
  });
});

describe('generated descriptions with other text around the pairs', () => {
  // Truth by construction: the pairs are written with the codes drawn. Headers, joins, separators,
  // third categories and trailing text after a fuzzer (a seeded 32-bit LCG).
  const heads = ['', 'Sex: ', 'Sex ', 'SEX; ', 'Gender: ', 'Sex (', "Patient's sex: ", 'Sex at baseline: ', 'Sex, coded ', 'SEXN: ', 'Biological sex (', 'Sex of subject: ', '; SEX ', 'Sex [CRF]: ', 'Patient sex: ', 'Sex indicator: ', 'Sex at birth: ', 'Sex code: '];
  const words = { male: ['male', 'Male', 'MALE', 'men', 'man', 'males'], female: ['female', 'Female', 'FEMALE', 'women', 'woman', 'females'] };
  const joins: ['v' | 'w', string][] = [['v', ' = '], ['v', '='], ['v', ': '], ['v', ' - '], ['v', ' '], ['v', ', '], ['v', ' → '], ['v', ' if '], ['v', ' for '], ['v', ' (paren)'], ['w', ' = '], ['w', '='], ['w', ': '], ['w', ' - '], ['w', ' '], ['w', ' ('], ['w', ' is ']];
  const seps = [', ', '; ', ' | ', ' / ', ' and ', ' or ', '\n', ' ', '. '];
  const thirds = [['2', 'unknown'], ['9', 'Unknown'], ['2', 'other'], ['99', 'not reported'], ['-1', 'missing'], ['3', 'Other'], ['2', 'U'], ['9', 'prefer not to say'], ['2', 'Prefer not to answer'], ['9', 'Declined'], ['3', 'Non-binary'], ['2', 'N/A']];
  const trails = ['', ')', ' (baseline)', ' per CRF v2', ' (Table 1)', ' at day 1', ' - study 2', ', 1 value per subject', ' [n = 2 missing]', ' (2 levels)', ' (0 = reference)', ' see note 1', '.', ' (see Table S2)', ' (CRF v2)', ' - 2 categories', ', visit 1'];

  it('reads none of 6000 the wrong way round, runs none coded 1 = female as 1 = male, and refuses few coded 1 = male', () => {
    let seed = 42;
    const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
    const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)] as T;
    const count = { n: 0, wrong: [] as string[], silent: [] as string[], falseRefused: 0, menOne: 0, readRight: 0 };
    for (let it = 0; it < 6000; it++) {
      const truth = pick(['MF', 'FM', '12', '21'] as const);
      const codes = { MF: { male: 1, female: 0 }, FM: { male: 0, female: 1 }, '12': { male: 1, female: 2 }, '21': { male: 2, female: 1 } }[truth];
      const [orient, j] = pick(joins);
      const sep = pick(seps);
      const letters = rnd() < 0.3;
      const fmt = (v: string | number, w: string): string => (j === ' (paren)' ? `${v} (${w})` : j === ' (' ? `${w} (${v})` : orient === 'v' ? `${v}${j}${w}` : `${w}${j}${v}`);
      const order = rnd() < 0.5 ? (['male', 'female'] as const) : (['female', 'male'] as const);
      const parts = order.map((s) => fmt(codes[s], letters ? (s === 'male' ? 'M' : 'F') : pick(words[s])));
      if (rnd() < 0.3) parts.push(fmt(...(pick(thirds) as [string, string])));
      const head = pick(heads);
      const d = `${head}${parts.join(sep)}${head.endsWith('(') ? ')' : ''}${pick(trails)}`;
      const got: SexCoding | undefined = describedSexCoding(d);
      count.n++;
      if (got !== undefined && [...got].some(([v, s]) => codes[s] !== v)) count.wrong.push(d);
      else if (got !== undefined) count.readRight++;
      const refusedOnSex = got !== undefined ? [...got].some(([v, s]) => (s === 'male' ? v !== 1 : v !== 0)) : unreadSexCoding(d);
      if (truth === 'FM' && !refusedOnSex) count.silent.push(d);
      if (truth === 'MF') count.menOne++;
      if (truth === 'MF' && refusedOnSex) count.falseRefused++;
    }
    expect(count.wrong).toEqual([]);
    expect(count.silent).toEqual([]);
    // measured: 5479 of 6000 (5998 distinct) read right, 34 of the 1507 coded 1 = male refused (2.3 %)
    expect(count.readRight).toBeGreaterThan(5200);
    expect(count.falseRefused / count.menOne).toBeLessThan(0.04);
  });
});

// Other forms. Parallel lists were paired by adjacency: "0 and 1 for male and female,
// respectively" read 1 = male (3,969 of 37,632 generated parallel lists read the wrong way round and
// ran, exit 0); verbs ("0 indicates male") left descriptions unread that then ran by the name rule;
// French, Dutch and Italian words and plurals were no sex words.
describe('parallel lists, verbs and other languages', () => {
  const WOMEN_ONE_ONLY: [number, string][] = [[0, 'male'], [1, 'female']];
  it.each([
    ['Sex (0 and 1 for male and female, respectively)', WOMEN_ONE_ONLY],
    ['sex coded as 1 and 0 for female and male, respectively', WOMEN_ONE_ONLY],
    ['0, 1: Male, Female', WOMEN_ONE_ONLY],
    ["factor(SEX, levels = c(0, 1), labels = c('male', 'female'))", WOMEN_ONE_ONLY],
    ['male and female (0 and 1, respectively)', WOMEN_ONE_ONLY],
    ['Sex: 1 and 0 for male and female, respectively', MEN_ONE],
    ['Sex (1 and 2 for men and women)', [[1, 'male'], [2, 'female']]],
    ['Sexe : féminin = 1, masculin = 0', WOMEN_ONE_ONLY],
    ['Geslacht: 1 = vrouw, 0 = man', WOMEN_ONE_ONLY],
    ['Sesso: 0 = maschio, 1 = femmina', WOMEN_ONE_ONLY],
    ['Männer = 0, Frauen = 1', WOMEN_ONE_ONLY],
  ] as [string, [number, string][]][])('reads %j by position or by its words', (d, want) => expect(read(d)).toEqual(want));

  // a refusal, never a reading: lists of unequal length, or codes and words beyond them
  it.each([
    '0 indicates male, 1 indicates female',
    'Female patients were coded 1 and male patients 0',
    'female if SEX.EQ.1',
    '1 stands for women and 0 for men',
    'Sex: 0, 1, 2 for male and female, respectively',
    'Sex 2: male, female = 1, 0',
    'hommes et femmes : 0 et 1',
  ])('does not read %j, and refuses it on SEX saying what it is', (d) => {
    expect(read(d)).toEqual([]);
    expect(unreadSexConflict(d)).toContain('its sex words and codes stand in no form dosewise pairs');
    expect(unreadSexConflict(d)).not.toContain('stands beside');
  });

  // a third category or a note no longer refuses a description that is 1 = male, 0 = female
  it.each(['Sex: 1 male, 0 female, 9 unknown', '1 - Male, 0 - Female, -1 - missing', '1, Male, 0, Female, 99, Unknown'])('reads %j as 1 = male, 0 = female', (d) => {
    expect(read(d)).toEqual(MEN_ONE);
    expect(unreadSexCoding(d)).toBe(false);
  });

  it('reads none of 4000 generated parallel lists and verb forms the wrong way round, and runs none against its truth', () => {
    let seed = 7;
    const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
    const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)] as T;
    const voc = [['male', 'female'], ['Male', 'Female'], ['men', 'women'], ['M', 'F'], ['males', 'females'], ['masculin', 'féminin'], ['Männer', 'Frauen'], ['maschio', 'femmina'], ['mannelijk', 'vrouwelijk']] as const;
    const conns = [' and ', ', ', ' or ', '/'];
    const parallel = [(v: string, w: string) => `${v} for ${w}`, (v: string, w: string) => `${v} for ${w}, respectively`, (v: string, w: string) => `${v}: ${w}`, (v: string, w: string) => `${w} coded ${v}`, (v: string, w: string) => `${w} (${v}, respectively)`, (v: string, w: string) => `${v} = ${w}`, (v: string, w: string) => `levels c(${v}), labels c(${w})`];
    const verbs = ['indicates', 'denotes', 'represents', 'corresponds to', 'stands for', 'signifies', 'codes', 'is used for', 'identifies'];
    const heads = ['', 'Sex: ', 'SEX (', 'Sex was coded ', 'Gender, '];
    const count = { wrong: [] as string[], silent: [] as string[], readRight: 0 };
    for (let n = 0; n < 4000; n++) {
      const [mw, fw] = pick(voc);
      const codes = pick([{ m: 1, f: 0 }, { m: 0, f: 1 }, { m: 1, f: 2 }, { m: 2, f: 1 }]);
      const pairs: [number, string][] = rnd() < 0.5 ? [[codes.m, mw], [codes.f, fw]] : [[codes.f, fw], [codes.m, mw]];
      const conn = pick(conns);
      const head = pick(heads);
      const body =
        rnd() < 0.7
          ? pick(parallel)(pairs.map((p) => p[0]).join(conn), pairs.map((p) => p[1]).join(conn))
          : pairs.map(([v, w]) => `${v} ${pick(verbs)} ${w}`).join(pick([', ', '; ', ' and ']));
      const d = `${head}${body}${head.endsWith('(') ? ')' : ''}`;
      const got = describedSexCoding(d);
      const truth = new Map([[codes.m, 'male'], [codes.f, 'female']]);
      if (got !== undefined && [...got].some(([v, s]) => truth.get(v) !== s)) count.wrong.push(d);
      else if (got !== undefined) count.readRight++;
      const refusedOnSex = got !== undefined ? [...got].some(([v, s]) => (s === 'male' ? v !== 1 : v !== 0)) : unreadSexCoding(d);
      if (!(codes.m === 1 && codes.f === 0) && !refusedOnSex) count.silent.push(d);
    }
    expect(count.wrong).toEqual([]);
    expect(count.silent).toEqual([]);
    // measured: 2824 of 4000 read right (the parallel lists; the verb forms are refused)
    expect(count.readRight).toBeGreaterThan(2600);
  });
});

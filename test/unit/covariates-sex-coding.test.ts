// Sex coding of population covariates. The clinical calculators of derived expressions take sex
// coded 1 = male, 0 = female. Before, a covariate FEMALE described "1 = female, 0 = male" passed as
// crcl_cg's sex argument ran with exit 0: a 50-year-old woman of 70 kg with SCr 1.1 mg/dL got the
// male CrCl 79.545 mL/min for 67.614 (× 1.176), a man the female 67.614 for 79.545 (× 0.85). And a
// covariate file describing SEX "0 = male, 1 = female" ran into busulfan_mccune_2014, whose SEX is
// "1 = male, 0 = female", without a word.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCovariateSpec } from '../../src/population/covariates/spec.js';
import { covariateSampler } from '../../src/population/covariates/sample.js';
import { refuseCovariateUnitMismatch } from '../../src/population/covariates/units.js';
import { describedSexCoding, femaleByName, unreadSexCoding } from '../../src/population/covariates/coding.js';
import { defineModel } from '../../src/model/model.js';
import { refused } from './refused.js';

const body = {
  AGE: { dist: 'uniform', lower: 40, upper: 80, unit: 'years' },
  FEMALE: { dist: 'categorical', values: [0, 1], p: [0.5, 0.5], unit: '0/1', description: '1 = female, 0 = male' },
  WT: { dist: 'uniform', lower: 50, upper: 90, unit: 'kg' },
  SCR: { dist: 'uniform', lower: 0.7, upper: 1.5, unit: 'mg/dL' },
};

// Cockcroft–Gault by hand (python3 at the time of writing): (140 − 50)·70 / (72·1.1), × 0.85 for a woman
const CG_WOMAN = 67.61363636363636;
const CG_MAN = 79.54545454545455;

/** CRCL of a woman and of a man (AGE 50, WT 70, SCR 1.1: the uniforms' ¼, ½ and ½). */
function crclOf(covariates: Record<string, unknown>): { woman: number; man: number } {
  const s = covariateSampler({ covariates });
  const out = s.names.map(() => new Float64Array(2));
  // uniforms in declaration order: AGE, FEMALE (≥ ½ draws 1), WT, SCR
  s.fill(2, new Float64Array(0), Float64Array.of(0.25, 0.75, 0.5, 0.5, 0.25, 0.25, 0.5, 0.5), out);
  const crcl = out[s.names.indexOf('CRCL')] as Float64Array;
  return { woman: crcl[0] as number, man: crcl[1] as number };
}

describe('a sex argument coded 1 = female', () => {
  it('refuses FEMALE described "1 = female, 0 = male" as crcl_cg\'s sex (it ran: a woman\'s CrCl 79.545 for 67.614)', () => {
    const e = refused(() => parseCovariateSpec({ covariates: { ...body, CRCL: { derived: 'crcl_cg(SCR, AGE, WT, FEMALE)' } } }), 'E_MODEL', /covariates\.CRCL\.derived: crcl_cg\(scr_mgdl, age_y, wt_kg, sex\) takes sex coded 1 = male, 0 = female, but its sex argument FEMALE is coded otherwise: covariates\.FEMALE\.description says "1 = female, 0 = male"/);
    expect(e.message).toMatch(/every man would be computed as a woman and every woman as a man\. Write 1 - FEMALE as the argument/);
    expect(e.message).toMatch(/\(got "crcl_cg\(SCR, AGE, WT, FEMALE\)"\)$/);
  });

  it('computes the right CrCl for both sexes when the argument is written 1 - FEMALE', () => {
    const { woman, man } = crclOf({ ...body, CRCL: { derived: 'crcl_cg(SCR, AGE, WT, 1 - FEMALE)' } });
    expect(woman).toBeCloseTo(CG_WOMAN, 10);
    expect(man).toBeCloseTo(CG_MAN, 10);
  });

  it('refuses by the name when no description says the coding (FEMALE, ISFEMALE, F_SEX, Woman), in every calculator that takes sex', () => {
    for (const name of ['FEMALE', 'ISFEMALE', 'F_SEX', 'SEX_F', 'Woman', 'FEM']) {
      const { FEMALE: _f, ...rest } = body;
      const covariates = { ...rest, [name]: { dist: 'categorical', values: [0, 1], p: [0.5, 0.5] }, HT: { dist: 'uniform', lower: 155, upper: 190, unit: 'cm' } };
      for (const call of [`crcl_cg(SCR, AGE, WT, ${name})`, `egfr_ckdepi2021(SCR, AGE, ${name})`, `lbw_janmahasatian(HT, WT, ${name})`, `ibw_devine(HT, ${name})`]) {
        const e = refused(() => parseCovariateSpec({ covariates: { ...covariates, X: { derived: call } } }), 'E_MODEL', new RegExp(`sex argument ${name} is coded otherwise: ${name} is named for women`));
        expect(e.message).toContain(`Write 1 - ${name} as the argument`);
      }
    }
  });

  it('refuses the description forms "1=F", "female: 1", "female = 1", "0 = male" on a covariate named SEX', () => {
    for (const description of ['1=F, 0=M', 'female: 1', 'female = 1, male = 0', '0 = male', 'sex (male (0), female (1))', '1 if female']) {
      const { FEMALE: _f, ...rest } = body;
      const covariates = { ...rest, SEX: { dist: 'categorical', values: [0, 1], p: [0.5, 0.5], description }, CRCL: { derived: 'crcl_cg(SCR, AGE, WT, SEX)' } };
      refused(() => parseCovariateSpec({ covariates }), 'E_MODEL', /sex argument SEX is coded otherwise: covariates\.SEX\.description says .*Write 1 - SEX as the argument/);
    }
  });

  it('refuses SEX described "1 = male, 2 = female" (every woman was refused at run time as sex 2), suggesting the recoding', () => {
    const { FEMALE: _f, ...rest } = body;
    const covariates = { ...rest, SEX: { dist: 'categorical', values: [1, 2], p: [0.5, 0.5], description: '1 = male, 2 = female' }, CRCL: { derived: 'crcl_cg(SCR, AGE, WT, SEX)' } };
    refused(() => parseCovariateSpec({ covariates }), 'E_MODEL', /that is 1 = male, 2 = female; the calculators refuse any other value.*Write SEX == 1 \? 1 : 0 as the argument/);
  });

  it('follows an alias or a clamped selection of FEMALE to FEMALE', () => {
    refused(() => parseCovariateSpec({ covariates: { ...body, S: { derived: 'FEMALE' }, CRCL: { derived: 'crcl_cg(SCR, AGE, WT, S)' } } }), 'E_MODEL', /sex argument S is coded otherwise: S = FEMALE carries FEMALE's values/);
    refused(() => parseCovariateSpec({ covariates: { ...body, CRCL: { derived: 'crcl_cg(SCR, AGE, WT, AGE > 45 ? FEMALE : 1)' } } }), 'E_MODEL', /sex argument "AGE > 45 \? FEMALE : 1" \(FEMALE\) is coded otherwise.*Write 1 - \(AGE > 45 \? FEMALE : 1\)/);
  });

  it('passes SEX and MALE, a description saying 1 = male, and every argument that computes', () => {
    const ok = (covariates: Record<string, unknown>): void => void expect(() => parseCovariateSpec({ covariates })).not.toThrow();
    const { FEMALE: _f, ...rest } = body;
    ok({ ...rest, SEX: { dist: 'categorical', values: [0, 1], p: [0.5, 0.5] }, CRCL: { derived: 'crcl_cg(SCR, AGE, WT, SEX)' } });
    ok({ ...rest, MALE: { dist: 'categorical', values: [0, 1], p: [0.5, 0.5] }, CRCL: { derived: 'crcl_cg(SCR, AGE, WT, MALE)' } });
    ok({ ...rest, SEX: { dist: 'categorical', values: [0, 1], p: [0.5, 0.5], description: '1 = male, 0 = female' }, CRCL: { derived: 'crcl_cg(SCR, AGE, WT, SEX)' } });
    // a name that says female, with a description that says otherwise: the description is the coding
    ok({ ...rest, FEMALE: { dist: 'categorical', values: [0, 1], p: [0.5, 0.5], description: '1 = male, 0 = female' }, CRCL: { derived: 'crcl_cg(SCR, AGE, WT, FEMALE)' } });
    ok({ ...body, CRCL: { derived: 'crcl_cg(SCR, AGE, WT, FEMALE == 0)' } });
    ok({ ...body, CRCL: { derived: 'crcl_cg(SCR, AGE, WT, FEMALE == 1 ? 0 : 1)' } });
    // FEMALE read elsewhere than as a sex argument is no sex coding
    ok({ ...body, WTF: { derived: 'WT * (FEMALE == 1 ? 0.9 : 1)' } });
  });

  it('reads codings from descriptions and names precisely', () => {
    expect(describedSexCoding('1 = female, 0 = male')).toEqual(new Map([[1, 'female'], [0, 'male']]));
    expect(describedSexCoding('SEX: 1 = male, 0 = female')).toEqual(new Map([[1, 'male'], [0, 'female']]));
    expect(describedSexCoding('height; 1 m = 100 cm')).toBeUndefined();
    expect(describedSexCoding('serum creatinine')).toBeUndefined();
    expect(describedSexCoding('1 = male, 1 = female')).toBeUndefined();
    for (const n of ['FEMALE', 'IS_FEMALE', 'fem', 'F_SEX', 'SEXF']) expect(femaleByName(n), n).toBe(true);
    for (const n of ['SEX', 'MALE', 'ISMALE', 'GENDER', 'F', 'FFM', 'FEMUR']) expect(femaleByName(n), n).toBe(false);
  });
});

describe("a covariate file's sex coding against the model's", () => {
  const busulfan = defineModel(JSON.parse(readFileSync('models/busulfan_mccune_2014.json', 'utf8')));
  const people = {
    AGE: { dist: 'uniform', lower: 20, upper: 60, unit: 'years' },
    WT: { dist: 'uniform', lower: 50, upper: 90, unit: 'kg' },
    HT: { dist: 'uniform', lower: 155, upper: 190, unit: 'cm' },
  };

  it('refuses SEX "0 = male, 1 = female" into busulfan_mccune_2014 (SEX "1 = male, 0 = female"), which ran without a word', () => {
    const spec = { covariates: { ...people, SEX: { dist: 'categorical', values: [0, 1], p: [0.5, 0.5], description: '0 = male, 1 = female' } } };
    const e = refused(() => refuseCovariateUnitMismatch(spec, busulfan, { covariatesFile: 'cov01.json', modelFile: 'models/busulfan_mccune_2014.json' }), 'E_MODEL', /^cov01\.json, covariates\.SEX\.description: SEX is described "0 = male, 1 = female" here \(0 = male, 1 = female\), but model busulfan_mccune_2014 \(models\/busulfan_mccune_2014\.json, covariates\.SEX\.description\) describes it "1 = male, 0 = female"/);
    expect(e.message).toMatch(/: 0 is male here and female in the model\. The sampled values are handed to the model as they are, so subjects would be computed as the other sex; sample SEX coded as the model reads it \(1 = male, 0 = female\)/);
  });

  it('refuses SEX "1 = male, 2 = female" into the same model, and passes the agreeing and the undescribed', () => {
    const as = (description?: string): unknown => ({ covariates: { ...people, SEX: { dist: 'categorical', values: [0, 1], p: [0.5, 0.5], ...(description ? { description } : {}) } } });
    refused(() => refuseCovariateUnitMismatch(as('1 = male, 2 = female'), busulfan), 'E_MODEL', /female is 2 here and 0 in the model.*a value the model does not read as their sex/);
    expect(() => refuseCovariateUnitMismatch(as('1 = male, 0 = female'), busulfan)).not.toThrow();
    expect(() => refuseCovariateUnitMismatch(as('M=1, F=0'), busulfan)).not.toThrow();
    expect(() => refuseCovariateUnitMismatch(as(), busulfan)).not.toThrow();
    // tacrolimus reads FEMALE "1 = female": the same coding in the file agrees
    const tac = defineModel(JSON.parse(readFileSync('models/tacrolimus_storset_2014.json', 'utf8')));
    expect(() => refuseCovariateUnitMismatch({ covariates: { FEMALE: { dist: 'categorical', values: [0, 1], p: [0.5, 0.5], description: '1 = female, 0 = male' } } }, tac)).not.toThrow();
  });
});

describe('a word then its value, with nothing between', () => {
  it('"Female 0 Male 1" is 0 = female, 1 = male (its "0 Male" was read as 0 = male and the run refused)', async () => {
    const { describedSexCoding } = await import('../../src/population/covariates/coding.js');
    const read = (s: string) => [...(describedSexCoding(s) ?? new Map())].sort((a, b) => a[0] - b[0]);
    for (const s of ['Female 0 Male 1', 'women 0 men 1', 'sex: female 0 male 1', 'Male 1 Female 0', '1 male / 0 female'])
      expect(read(s), s).toEqual([[0, 'female'], [1, 'male']]);
  });

  it('pairs written with "=" or ":" and no comma between read each pair ("Male=0 Female=1" read as no coding: every woman ran as a man)', async () => {
    const { describedSexCoding } = await import('../../src/population/covariates/coding.js');
    const read = (s: string) => [...(describedSexCoding(s) ?? new Map())].sort((a, b) => a[0] - b[0]);
    for (const s of ['Male=0 Female=1', 'female=1 male=0', 'male = 0 female = 1', 'Male: 0  Female: 1', 'female is 1 male is 0', 'male=0, female=1'])
      expect(read(s), s).toEqual([[0, 'male'], [1, 'female']]);
  });

  it('read without guessing: a value between two sex words is taken with the word its operator joins ("Female-1 Male-0" read 1 = male: every woman ran as a man); slash lists pair in order; M is not male beside Spanish words', async () => {
    const { describedSexCoding } = await import('../../src/population/covariates/coding.js');
    const read = (s: string) => [...(describedSexCoding(s) ?? new Map())].sort((a, b) => a[0] - b[0]);
    const womenOne = [[0, 'male'], [1, 'female']];
    const menOne = [[0, 'female'], [1, 'male']];
    for (const s of ['Female-1 Male-0', '1-Female 0-Male', '1 - female\n0 - male', 'female → 1 male → 0', 'female->1 male->0', '1 coded as female 0 coded as male', 'female/male = 1/0', 'F/M: 1/0', 'Sex (F/M = 1/0)', 'sexo (0 = hombre, 1 = mujer)', 'Geschlecht: 0=Mann, 1=Frau', 'sex, 1 (female) or 0 (male)', 'SEX: 0 (M), 1 (F)', '1.0 = female, 0.0 = male', 'M=0/F=1'])
      expect(read(s), s).toEqual(womenOne);
    // two lists in parallel pair by position ("male/female as 1/0" was left unread)
    for (const s of ['Male-1 Female-0', 'M/F: 1/0', 'M=1/F=0', 'male/female as 1/0']) expect(read(s), s).toEqual(menOne);
    // not read (no check, as before), never read the wrong way round
    for (const s of ['sexo: 1 = M (mujer), 0 = H (hombre)', 'sexo: H = 0, M = 1', 'female for 1 male for 0', 'ALB 4 for men', 'Dose group 1 male volunteers', 'age, y (females 1 y older)', 'creatinine, mg/dL (men 0.7–1.3)'])
      expect(read(s), s).toEqual([]);
  });
});

describe('each pair in the order the whole description keeps', () => {
  const read = (s: string) => [...(describedSexCoding(s) ?? new Map())].sort((a, b) => a[0] - b[0]);
  const womenOne = [[0, 'male'], [1, 'female']];
  const menOne = [[0, 'female'], [1, 'male']];
  // forms: the first six read their values with the next word, exit 0; the next three
  // refused correct data with advice that would flip it; the Spanish letters read M (mujer) as male
  it.each([
    ['Female 1 - Male 0', womenOne],
    ['1 Female - 0 Male', womenOne],
    ['Sex: F 1 - M 0', womenOne],
    ['Female 1 -> Male 0', womenOne],
    ['SEX; Male 0: Female 1', womenOne],
    ['gender: female 1 - male 0 - unknown 9', womenOne],
    ['Male 1 - Female 0', menOne],
    ['Sex: 1 Male - 2 Female', [[1, 'male'], [2, 'female']]],
    ['sex: 1 male: 0 female', menOne],
    ['Género: 0 = H, 1 = M', []],
    ['Gender 0=V, 1=M', []],
    ['Género: 0 = hombre, 1 = mujer', womenOne],
    ['sexo: 1 = varón, 0 = femenino', menOne],
    ['Gênero: 0 = masculino, 1 = feminino', womenOne],
    ['1, Female | 0, Male | 9, Unknown', womenOne],
    ['sex (0 male, 1 female)', womenOne],
    ['0/1 = male/female', womenOne],
    ['1 = male, 0 = female, missing = unknown', menOne],
    ['sex: male=1; female=0; other=2', menOne],
    // a third category after the run of pairs is no pair of it (it was left unread, and SEX so described ran by its name: every woman as a man)
    ['Female 1 - Male 0, 9 = unknown', womenOne],
    // both readings possible and the order does not show: not read rather than guessed
    ['1 male 0 female 2', []],
    // a bare letter beside a value may be a unit
    ['2 m', []],
    ['1 = male, 2 = unknown, 2 = female', []],
  ])('%j', (s, want) => expect(read(s)).toEqual(want));

  // Cockcroft–Gault by hand (python3): (140 − 60)·70 / (72·1.0) = 77.77777777777777, × 0.85 = 66.1111111111111
  const CG_MAN_60 = 77.77777777777777;
  const CG_WOMAN_60 = 66.1111111111111;
  /** CRCL of a man and a woman (AGE 60, WT 70, SCR 1.0: the uniforms' ½, ½ and ⅜), the sex covariate drawn 1 then 0. */
  function crcl(covariates: Record<string, unknown>): { one: number; zero: number } {
    const s = covariateSampler({ covariates });
    const out = s.names.map(() => new Float64Array(2));
    s.fill(2, new Float64Array(0), Float64Array.of(0.5, 0.75, 0.5, 0.375, 0.5, 0.25, 0.5, 0.375), out);
    const c = out[s.names.indexOf('CRCL')] as Float64Array;
    return { one: c[0] as number, zero: c[1] as number };
  }
  const sex = (name: string, description: string): Record<string, unknown> => ({
    AGE: body.AGE,
    [name]: { dist: 'categorical', values: [0, 1], p: [0.5, 0.5], description },
    WT: body.WT,
    SCR: body.SCR,
  });

  it('computes SEX "Male 1 - Female 0" as written (it was refused as 1 = female, the advice 1 - SEX making every man a woman)', () => {
    const { one, zero } = crcl({ ...sex('SEX', 'Male 1 - Female 0'), CRCL: { derived: 'crcl_cg(SCR, AGE, WT, SEX)' } });
    expect(one).toBeCloseTo(CG_MAN_60, 9);
    expect(zero).toBeCloseTo(CG_WOMAN_60, 9);
  });

  it('refuses FEMALE "Female 1 - Male 0" as crcl_cg\'s sex (it ran with exit 0: a woman\'s CrCl 77.78 for 66.11), and computes 1 - FEMALE', () => {
    refused(() => parseCovariateSpec({ covariates: { ...sex('FEMALE', 'Female 1 - Male 0'), CRCL: { derived: 'crcl_cg(SCR, AGE, WT, FEMALE)' } } }), 'E_MODEL', /sex argument FEMALE is coded otherwise: covariates\.FEMALE\.description says "Female 1 - Male 0", that is 1 = female, 0 = male; every man would be computed as a woman.*Write 1 - FEMALE/);
    const { one, zero } = crcl({ ...sex('FEMALE', 'Female 1 - Male 0'), CRCL: { derived: 'crcl_cg(SCR, AGE, WT, 1 - FEMALE)' } });
    expect(one).toBeCloseTo(CG_WOMAN_60, 9);
    expect(zero).toBeCloseTo(CG_MAN_60, 9);
  });
});

describe('a number before the pairs, a category without a value, a comma inside a pair', () => {
  const read = (s: string) => [...(describedSexCoding(s) ?? new Map())].sort((a, b) => a[0] - b[0]);
  const menOne = [[0, 'female'], [1, 'male']];
  // generators: each of these read a value with the wrong sex (exit 0); not read now
  it.each([
    // "visit 1" or "(unknown)" shifted the one pair order the description was read in
    ['Sex 2: male 0, female 1, unknown', '2 = male, 0 = female'],
    // "1, Female" is itself a pair: a comma does not part it
    ['1, Female - 0, Male (males are the reference)', '0 = female'],
    // V and H are no English letters whatever joining word stands beside them: M is mujer
    ['H is 0, M is 1', '1 = male'],
    ['0 is V, 1 is M', '1 = male'],
    ['0 for V or 1 for M', '1 = male'],
    ['V coded as 0, M coded as 1', '1 = male'],
  ])('%j is not read (it read %s)', (s) => expect(read(s)).toEqual([]));

  // the same, read as the run of pairs that holds both sexes with other text around it: "=" joins
  // each pair and parts none ("visit 1: male = 0" is no "1: male"), "1, Male" is a pair, a third
  // category after the run is none of it (these were left unread; the wrong readings are above them)
  it.each([
    ['Sex at visit 1: male = 0 - female = 1 (unknown)', [[0, 'male'], [1, 'female']]],
    ['Sex at visit 1: female = 0, male = 1, unknown', menOne],
    ['Sex at visit 1: woman=0 - man=1 (intersex excluded)', menOne],
    ['0, Male - 1, Female (CRF v2)', [[0, 'male'], [1, 'female']]],
    ['Male, 1 - Female, 0 - unknown', menOne],
    ['0, Male - 1, Female, unknown = 9', [[0, 'male'], [1, 'female']]],
    ['1, Male - 2, Female - Unknown', [[1, 'male'], [2, 'female']]],
  ])('%j reads as written', (s, want) => expect(read(s)).toEqual(want));

  it.each([
    ['1 = male, 0 = female, 9 = unknown', menOne],
    ['Sex: 1 = male, 0 = female (per protocol)', menOne],
    ['gender: female 1 - male 0 - unknown 9', [[0, 'male'], [1, 'female']]],
  ])('%j still reads', (s, want) => expect(read(s)).toEqual(want));

  // Truth is known by construction: the male word takes the first code. Pairs in either order,
  // joined by an operator, a joining word, a comma or nothing, apart by a separator, with a header
  // that holds a number and trailing text that holds a category or a sex word without a value.
  it('reads no generated description the wrong way round (12288 descriptions)', () => {
    const words = [['male', 'female'], ['Male', 'Female'], ['M', 'F'], ['man', 'woman'], ['hombre', 'mujer'], ['H', 'M'], ['V', 'M'], ['men', 'women']];
    const codes = [[1, 0], [0, 1], [1, 2], [2, 1]];
    const within = [['{w} = {v}', '{v} = {w}'], ['{w} - {v}', '{v} - {w}'], ['{w}, {v}', '{v}, {w}'], ['{w} is {v}', '{v} for {w}'], ['{w} {v}', '{v} {w}'], ['{w} ({v})', '{v} ({w})']];
    const seps = [', ', ' - ', ' | ', ' '];
    const frames = [['', ''], ['Sex at visit 1: ', ' (unknown)'], ['Sex; see section 2: ', ', unknown'], ['Sex (v2): ', ' (intersex excluded)'], ['', ' (CRF v2)'], ['Male sex indicator? ', ' (males are the reference)'], ['Sex: ', ', unknown = 9'], ['Sex 2: ', ' - unknown']];
    let ok = 0;
    const wrong: string[] = [];
    for (const [mw, fw] of words) for (const [cm, cf] of codes) for (const [wt, vt] of within) for (const sep of seps) for (const [pre, post] of frames) for (const maleFirst of [true, false]) for (const t of [wt, vt]) {
      const pm = (t as string).replace('{w}', mw as string).replace('{v}', String(cm));
      const pf = (t as string).replace('{w}', fw as string).replace('{v}', String(cf));
      const s = `${pre}${maleFirst ? pm + sep + pf : pf + sep + pm}${post}`;
      const got = describedSexCoding(s);
      if (got === undefined) continue;
      if ([...got].every(([v, sex]) => (sex === 'male' ? v === cm : v === cf))) ok++;
      else wrong.push(s);
    }
    expect(wrong).toEqual([]);
    // not everything left unread: the plain lists read
    expect(ok).toBeGreaterThan(500);
  });
});

describe('words and codes listed apart ("vs")', () => {
  // read pair by pair, "Female vs male: 1 vs 0" joined "male: 1": 1 = male where 1 is female, and
  // every woman ran as a man (CrCL 79.545 for 67.614) with exit 0
  it.each(['Female vs male: 1 vs 0', 'female versus male: 1 versus 0', '1 vs 0: female vs male', 'female 1 vs. male 0'])('%j is not read', (d) => {
    expect(describedSexCoding(d)).toBeUndefined();
  });
});

describe('a description that names a sex beside a code but is no coding dosewise reads', () => {
  // read by the name instead, "Female vs male: 1 vs 0" on SEX ran crcl_cg with 1 = male: every
  // woman got the male CrCl (79.545 for 67.614) with exit 0
  const { FEMALE: _f, ...rest } = body;
  const sex = (description: string): Record<string, unknown> => ({ ...rest, SEX: { dist: 'categorical', values: [0, 1], p: [0.5, 0.5], description }, CRCL: { derived: 'crcl_cg(SCR, AGE, WT, SEX)' } });

  it.each(['Female vs male: 1 vs 0', 'female 1 vs. male 0', 'Género: 0 = H, 1 = M', 'Sex at visit 1: male 0, female 1', 'Sex (male/female) from CRF page 2'])('refuses %j as the sex of crcl_cg, naming the description', (d) => {
    expect(unreadSexCoding(d)).toBe(true);
    const e = refused(() => parseCovariateSpec({ covariates: sex(d) }), 'E_MODEL', /covariates\.CRCL\.derived: crcl_cg\(scr_mgdl, age_y, wt_kg, sex\) takes sex coded 1 = male, 0 = female, but how its sex argument SEX is coded cannot be read: covariates\.SEX\.description says/);
    expect(e.message).toContain('Write covariates.SEX.description as a plain coding ("1 = male, 0 = female" or "1 = female, 0 = male", as the values are coded)');
  });

  it('passes descriptions with no code, or read ones, and computes them as written', () => {
    // read, and agreeing with SEX's 1 = male, 0 = female; "Sex: male, female = 1, 0" pairs its two
    // lists by position. An unread one with any code beside its sex words is refused, even where the
    // code is a page's ("Sex (male/female) from CRF page 2", above): what it says cannot be told
    for (const d of [
      'Sex of the patient (male or female)',
      'biological sex',
      '1 = male, 0 = female',
      'SEX: 1 = male, 0 = female (CKD-EPI 2021)',
      'Biological sex: 1=male 0=female',
      'Patient sex (1 = Male 0 = Female)',
      'Sex: 1 = Male, 0 = Female (Table 1)',
      'Sex at enrolment: male 1, female 0',
      'SEX: 1 = male, 0 = female, as in the 2 source studies',
      'Sex: male, female = 1, 0',
    ]) {
      expect(unreadSexCoding(d), d).toBe(false);
      expect(() => parseCovariateSpec({ covariates: sex(d) }), d).not.toThrow();
    }
    // an argument that computes is the user's recoding, unchecked, as with any description
    const { woman, man } = crclOf({ ...body, FEMALE: { ...body.FEMALE, description: 'Female vs male: 1 vs 0' }, CRCL: { derived: 'crcl_cg(SCR, AGE, WT, 1 - FEMALE)' } });
    expect(woman).toBeCloseTo(CG_WOMAN, 10);
    expect(man).toBeCloseTo(CG_MAN, 10);
  });

  it("refuses it against a model that describes the coding (busulfan_mccune_2014's SEX), and passes where the model describes none", () => {
    const busulfan = defineModel(JSON.parse(readFileSync('models/busulfan_mccune_2014.json', 'utf8')));
    const spec = { covariates: { AGE: { dist: 'uniform', lower: 20, upper: 60, unit: 'years' }, SEX: { dist: 'categorical', values: [0, 1], p: [0.5, 0.5], description: 'Female vs male: 1 vs 0' } } };
    refused(() => refuseCovariateUnitMismatch(spec, busulfan, { covariatesFile: 'cov.json' }), 'E_MODEL', /^cov\.json, covariates\.SEX\.description: SEX is described "Female vs male: 1 vs 0" here, which is no coding dosewise reads: it lists the sexes and the codes apart \("vs"\), so which code goes with which sex cannot be told, where model busulfan_mccune_2014 \(its covariates\.SEX\.description\) reads it "1 = male, 0 = female" \(1 = male, 0 = female\)/);
  });
});

describe('a third category valued 2 beside pairs joined by "="', () => {
  const read = (s: string) => [...(describedSexCoding(s) ?? new Map())].sort((a, b) => a[0] - b[0]);
  const womenOne = [[0, 'male'], [1, 'female']];
  const menOne = [[0, 'female'], [1, 'male']];
  // ordinary CRF codings read before 399196b's parent and refused as unread after it: "male, 1" was
  // taken for a pair shifted by one (the "2" of "Sex 2: male 0, female 1, unknown"), though a "="
  // joins every pair and parts none; "and" parted no pairs where a comma did
  it.each([
    ['Sex: 0 = male, 1 = female, 2 = unknown', womenOne],
    ['Sex: 0 = male, 1 = female, 2 = other', womenOne],
    ['0 = male, 1 = female, 2 = unspecified', womenOne],
    ['1=M, 0=F, 2=U', menOne],
    ['Sex 1=male 0=female 2=unknown', menOne],
    ['Sex: 1 = male and 0 = female (baseline)', menOne],
    ['Sex: 0 = male, 1 = female, 2 = unknown (baseline)', womenOne],
    ['Sex: 0 = male, 1 = female, 9 = unknown (baseline)', womenOne],
    ['Sex: unknown = 2, male = 1, female = 0', menOne],
  ])('%j reads', (s, want) => expect(read(s)).toEqual(want));

  it.each([
    // ":" and "-" part pairs too ("SEX; Male 0: Female 1"): read so, these were 2 = male
    ['Sex 2: male 0: female 1: unknown', '2 = male, 0 = female'],
    ['Sex 2: male 0 - female 1 - unknown', '2 = male, 0 = female'],
    // "0 - unknown" may be shifted by one as well ("U, 2" is a pair): only "=" pairs a category so
    ['U, 2 - hombre, 1 - mujer, 0 - unknown', '2 = male, 1 = female'],
    ['1 = male, 2 = female, 2 = unknown (baseline)', '2 = female and unknown'],
  ])('%j is not read (it would read %s)', (s) => expect(read(s)).toEqual([]));

  const { FEMALE: _f, ...rest } = body;
  const sex = (description: string): Record<string, unknown> => ({ AGE: rest.AGE, SEX: { dist: 'categorical', values: [0, 1], p: [0.5, 0.5], description }, WT: rest.WT, SCR: rest.SCR });

  it('computes SEX "Sex: 1 = male, 0 = female, 2 = unknown" as written (it was refused as a coding dosewise cannot read)', () => {
    // crclOf draws the second covariate 1 for the first subject: here a man
    const { woman: one, man: zero } = crclOf({ ...sex('Sex: 1 = male, 0 = female, 2 = unknown'), CRCL: { derived: 'crcl_cg(SCR, AGE, WT, SEX)' } });
    expect(one).toBeCloseTo(CG_MAN, 10);
    expect(zero).toBeCloseTo(CG_WOMAN, 10);
  });

  it('refuses SEX "Sex: 0 = male, 1 = female, 2 = unknown" as coded otherwise, and computes 1 - SEX', () => {
    refused(() => parseCovariateSpec({ covariates: { ...sex('Sex: 0 = male, 1 = female, 2 = unknown'), CRCL: { derived: 'crcl_cg(SCR, AGE, WT, SEX)' } } }), 'E_MODEL', /sex argument SEX is coded otherwise: covariates\.SEX\.description says "Sex: 0 = male, 1 = female, 2 = unknown", that is 0 = male, 1 = female;.*Write 1 - SEX/);
    const { woman: one, man: zero } = crclOf({ ...sex('Sex: 0 = male, 1 = female, 2 = unknown'), CRCL: { derived: 'crcl_cg(SCR, AGE, WT, 1 - SEX)' } });
    expect(one).toBeCloseTo(CG_WOMAN, 10);
    expect(zero).toBeCloseTo(CG_MAN, 10);
  });

  // Truth by construction, as above, with a third category valued 2 or 9 (or none, or no value),
  // pairs apart by "and" or "or", and trailing text
  it('reads no generated description with a third category the wrong way round (20608 descriptions)', () => {
    const words = [['male', 'female'], ['M', 'F'], ['hombre', 'mujer'], ['V', 'M']];
    const codes = [[1, 0], [0, 1], [1, 2]];
    const within = ['{v} = {w}', '{w} = {v}', '{v} - {w}', '{w}: {v}', '{v} {w}', '{v}, {w}', '{w}, {v}'];
    const seps = [', ', ' and ', ' or ', ' '];
    const thirds = ['', '2 = unknown', '9 = other', 'U = 2', 'unknown'];
    const frames = [['', ''], ['Sex: ', ' (baseline)'], ['Sex 2: ', ''], ['Sex at visit 1: ', ', per protocol']];
    let n = 0;
    let ok = 0;
    const wrong: string[] = [];
    for (const [mw, fw] of words) for (const [cm, cf] of codes) for (const t of within) for (const sep of seps) for (const third of thirds) for (const [pre, post] of frames) for (const maleFirst of [true, false]) for (const thirdFirst of [true, false]) {
      // a third category valued as a sex is a contradiction, no truth
      if ((third === '' && thirdFirst) || third.includes(String(cm)) || third.includes(String(cf))) continue;
      const pair = (w: string, v: number): string => t.replace('{w}', w).replace('{v}', String(v));
      const pairs = maleFirst ? [pair(mw as string, cm as number), pair(fw as string, cf as number)] : [pair(fw as string, cf as number), pair(mw as string, cm as number)];
      if (third) pairs.splice(thirdFirst ? 0 : 2, 0, third);
      const s = `${pre}${pairs.join(sep)}${post}`;
      const got = describedSexCoding(s);
      n++;
      if (got === undefined) continue;
      if ([...got].every(([v, sex]) => (sex === 'male' ? v === cm : v === cf))) ok++;
      else wrong.push(s);
    }
    expect(n).toBe(20608);
    expect(wrong).toEqual([]);
    // 5684 read (2400 before "=" kept a third category valued 2 from shifting the pairs)
    expect(ok).toBeGreaterThan(5000);
  });
});

describe('a flag named for women described by its two values ("Female: 0/1")', () => {
  // read "female: 0", 0 = female, it agreed with the calculators' coding: crcl_cg(…, FEMALE) ran
  // every woman as a man (CrCl 79.545 for 67.614) with exit 0, where no description was refused;
  // a flag's two values beside one sex are an indicator of it (oneSexOf)
  it.each(['Female: 0/1', 'Female: 0 or 1', 'Women: 0/1', 'Female: {0, 1}', 'Female: 0 (no) or 1 (yes)'])('%j is an indicator of female (1 = female), and FEMALE so described is refused as crcl_cg\'s sex', (d) => {
    expect(describedSexCoding(d)).toEqual(new Map([[1, 'female'], [0, 'male']]));
    refused(() => parseCovariateSpec({ covariates: { ...body, FEMALE: { ...body.FEMALE, description: d }, CRCL: { derived: 'crcl_cg(SCR, AGE, WT, FEMALE)' } } }), 'E_MODEL', /crcl_cg\(scr_mgdl, age_y, wt_kg, sex\) takes sex coded 1 = male, 0 = female, but/);
  });
});

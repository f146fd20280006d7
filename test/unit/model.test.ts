// Model files: validation errors that name the JSON path, the expression language, data items that
// override parameters, covariate defaults, and NOCB vs LOCF for a parameter that changes at a record
// (checked against closed forms computed here by hand).

import { describe, expect, it } from 'vitest';
import { DosewiseError } from '../../src/errors.js';
import { defineModel } from '../../src/model/model.js';
import { compileExpression, identifiers, parseExpression } from '../../src/model/expression.js';
import { readNmtran } from '../../src/regimen/nmtran.js';
import { simulate } from '../../src/engine/simulate.js';
import { caught, refused } from './refused.js';

const base = { dosewise: 1, name: 'm', structure: '1cmt-iv', parameters: { CL: 1, V: 10 } as Record<string, unknown> };

const modelError = (file: unknown): DosewiseError => caught(() => defineModel(file));

/** Evaluates an expression with the given variables. */
function ev(src: string, vars: Record<string, number> = {}): number {
  const names = Object.keys(vars);
  const f = compileExpression(parseExpression(src), (n) => {
    const i = names.indexOf(n);
    if (i < 0) throw new Error(`unbound ${n}`);
    return i;
  });
  return f(names.map((n) => vars[n] as number));
}

describe('model file validation names the JSON path', () => {
  it("NONMEM's F1, ALAG1, D1, R1 by name are refused with the way to wire them (F1 was shown and never applied)", () => {
    const oral = { dosewise: 2, name: 'o', structure: '1cmt-oral', theta: { TVF: 0.5 }, parameters: { CL: 5, V: 50, KA: 1, F1: 'TVF' } };
    const e = modelError(oral);
    expect(e.place.path).toBe('parameters.F1');
    expect(e.message).toMatch(/NONMEM's F1 is compartment 1's bioavailability, which a model file gives as "compartments": \{ "1": \{ "bioavailability": "F1" \} \}/);
    expect(modelError({ ...oral, parameters: { CL: 5, V: 50, KA: 1, ALAG1: '0.5' } }).message).toMatch(/compartment 1's lag/);
    // wired, it is taken
    expect(() => defineModel({ ...oral, compartments: { '1': { bioavailability: 'F1' } } })).not.toThrow();
  });

  it("S<n> of the observed compartment is its scale, as in NONMEM (S2 = V/1000 was ignored: levels 1000-fold off)", () => {
    const m = defineModel({ dosewise: 2, name: 'o', structure: '1cmt-oral', parameters: { CL: 5, V: 50, KA: 1, S2: 'V/1000' } });
    const s = simulate(m, readNmtran('ID,TIME,EVID,AMT,CMT,DV,MDV\n1,0,1,320,1,.,1\n1,2,0,.,2,.,0\n').records);
    const a2 = (s.amounts as Float64Array)[1 * 2 + 1] as number;
    expect(s.ipred[1]).toBeCloseTo(a2 / (50 / 1000), 9);
  });

  it('a parameter nothing reads is refused (HILL for GAMMA was taken while GAMMA took its default: E 71.1 for 85.9)', () => {
    const em = { dosewise: 2, name: 'em', structure: 'effect-emax', parameters: { CL: 5, V: 50, KE0: 0.7, E0: 10, EMAX: 80, EC50: 2, HILL: 2.5 } };
    const e = modelError(em);
    expect(e.place.path).toBe('parameters.HILL');
    expect(e.message).toMatch(/nothing reads it: structure effect-emax takes .*GAMMA/);
    const { HILL: _hill, ...others } = em.parameters;
    expect(modelError({ ...em, parameters: { ...others, gamma: 2.5 } }).message).toMatch(/did you mean GAMMA\?/);
    // read by another parameter, a dose modifier or a scale: taken; a derived value for the report too
    expect(() => defineModel({ ...em, parameters: { CL: 'TVCL', TVCL: 5, V: 50, KE0: 0.7, E0: 10, EMAX: 80, EC50: 2, GAMMA: 2.5, KEL: 'CL/V' } })).not.toThrow();
    // one that alone carries a random effect does nothing with it: refused
    const eta = { ...em, parameters: { ...others, GAMMA: 2.5, CLL: '5*exp(ETA_CL)' }, omega: { etas: ['ETA_CL'], diagonal: [0.1] } };
    expect(modelError(eta).message).toMatch(/parameters\.CLL: nothing reads it/);
  });

  it('a random effect nothing reads is refused (CL written without exp(ETA_CL): a population SD of 0.000 and every quantile alike)', () => {
    const m = { dosewise: 2, name: 'u', structure: { kind: 'linear', compartments: 1, depot: false }, theta: { TVCL: 2 }, parameters: { CL: 'TVCL', V: 10 }, omega: { etas: ['ETA_CL'], matrix: [[0.1]] } };
    const e = modelError(m);
    expect(e.place.path).toBe('omega');
    expect(e.message).toMatch(/random effect ETA_CL is read by no parameter, dose modifier or scale/);
    expect(() => defineModel({ ...m, parameters: { CL: 'TVCL*exp(ETA_CL)', V: 10 } })).not.toThrow();
    // an occasion's κ too
    const iov = { ...m, parameters: { CL: 'TVCL*exp(ETA_CL)', V: 10 }, iov: { etas: ['KAPPA_CL'], diagonal: [0.05], occasion: 'OCC' } };
    expect(modelError(iov).message).toMatch(/random effect KAPPA_CL is read by no parameter/);
    // one whose variance is fixed at 0 changes nothing, as published models carry it (posologyr's tobramycin, ETA_k12)
    expect(() => defineModel({ ...m, parameters: { CL: 'TVCL*exp(ETA_CL)', V: 10 }, omega: { etas: ['ETA_CL', 'ETA_K12'], diagonal: [0.1, 0] } })).not.toThrow();
  });

  it('parameters.CL.value of the wrong type → path parameters.CL.value', () => {
    // schema.ts declares a parameter as z.union([number, string, strictObject({value, expr, ...})]);
    // zod 4 reports a failed union as ONE issue (code invalid_union) at the union's own path with
    // the generic message "Invalid input", the branch issues hidden in issue.errors. parseModelFile
    // only reads issues[0].path, so the error says `parameters.CL: Invalid input` instead of
    // `parameters.CL.value: expected number` as its own header comment promises.
    const e = modelError({ ...base, parameters: { CL: { value: 'x' }, V: 10 } });
    expect(e.code).toBe('E_MODEL');
    expect(e.place.path).toBe('parameters.CL.value');
    expect(e.message).toMatch(/number/);
  });

  it('parameters.CL of the wrong type names at least the parameter', () => {
    for (const bad of [{ value: 'x' }, { value: true }, [1], null]) {
      const e = modelError({ ...base, parameters: { CL: bad, V: 10 } });
      expect(e.code).toBe('E_MODEL');
      expect(e.place.path).toMatch(/^parameters\.CL/);
      expect(e.message).toContain('parameters.CL');
    }
  });

  it('unknown keys are refused where they are', () => {
    const e = modelError({ ...base, parameters: { CL: { value: 1, units: 'L/h' }, V: 10 } });
    expect(e.place.path).toMatch(/^parameters\.CL/);
    expect(e.message).toContain('units');
    expect(modelError({ ...base, observe: { compartment: 1, colour: 'red' } }).place.path).toBe('observe');
    expect(modelError({ ...base, solver: { rtol: -1 } }).place.path).toBe('solver.rtol');
  });

  it('a missing required structural parameter', () => {
    const e = modelError({ ...base, parameters: { CL: 1 } });
    expect(e.code).toBe('E_MODEL');
    expect(e.place.path).toBe('parameters.V');
    expect(e.message).toMatch(/required by structure linear/);
    const tm = modelError({ ...base, structure: 'tmdd', parameters: { V: 3, KEL: 0.1, KON: 0.5, KOFF: 0.05, KINT: 0.2, KSYN: 1 } });
    expect(tm.place.path).toBe('parameters.KDEG');
  });

  it('an unknown structure', () => {
    const e = modelError({ ...base, structure: '4cmt-iv' });
    expect(e.code).toBe('E_MODEL');
    expect(e.place.path).toBe('structure');
    expect(e.place.value).toBe('4cmt-iv');
    expect(e.message).toContain('1cmt-iv'); // lists the known ones
    expect(modelError({ ...base, structure: { kind: 'pbpk' } }).place.path).toMatch(/^structure/);
    const c = modelError({ ...base, structure: { kind: 'tmdd', compartments: 2 } });
    expect(c.place.path).toBe('structure.compartments');
  });

  it('circular parameter definitions', () => {
    const e = modelError({ ...base, parameters: { CL: 'V * K', V: 'CL / K', K: 0.1 } });
    expect(e.code).toBe('E_MODEL');
    expect(e.place.path).toBe('parameters.CL');
    expect(e.message).toContain('CL → V → CL');
    // a longer cycle
    expect(modelError({ ...base, parameters: { CL: 'A', V: 10, A: 'B', B: 'CL' } }).message).toContain('CL → A → B → CL');
  });

  it('a parameter that names itself reads the data item of that name (not a cycle)', () => {
    const m = defineModel({ ...base, parameters: { CL: 'CL * 2', V: 10 } });
    expect(m.inputs).toEqual(['CL']);
  });

  it('a bad expression: path, source text and position', () => {
    const e = modelError({ ...base, parameters: { CL: '1 + * 2', V: 10 } });
    expect(e.code).toBe('E_EXPRESSION');
    expect(e.place.path).toBe('parameters.CL');
    expect(e.place.value).toBe('1 + * 2');
    expect(e.message).toContain('at 4');
    const f = modelError({ ...base, parameters: { CL: { expr: 'exp(WT' }, V: 10 } });
    expect(f.place.path).toBe('parameters.CL.expr');
    expect(f.message).toContain('at 6');
    expect(f.message).toContain('expected ")"');
    const g = modelError({ ...base, compartments: { '1': { lag: '2$3' } } });
    expect(g.place.path).toBe('compartments.1.lag');
    expect(g.message).toContain('at 1');
    expect(g.message).toContain('unexpected character "$"');
  });

  it('an unexpected character after a space is reported at its own position', () => {
    // expression.ts tokenize(): on a failed match it throws with `pos`, the index where the sticky
    // regex started, which still includes the whitespace the regex would have skipped; "2 $ 3"
    // says "at 1" (the space) instead of "at 2" (the "$"). Every other error uses the token's own
    // position (`at` after the skipped whitespace).
    const g = modelError({ ...base, compartments: { '1': { lag: '2 $ 3' } } });
    expect(g.message).toContain('at 2');
  });

  it('compartment modifiers and the observed compartment must exist', () => {
    expect(modelError({ ...base, compartments: { '3': { lag: 1 } } }).place.path).toBe('compartments.3');
    expect(modelError({ ...base, compartments: { '0': { lag: 1 } } }).place.path).toBe('compartments.0');
    expect(modelError({ ...base, observe: { compartment: 2 } }).place.path).toBe('observe.compartment');
  });

  it('value and expr together, or neither', () => {
    expect(modelError({ ...base, parameters: { CL: { value: 1, expr: '2' }, V: 10 } }).place.path).toBe('parameters.CL');
    expect(modelError({ ...base, parameters: { CL: { unit: 'L/h' }, V: 10 } }).place.path).toBe('parameters.CL');
  });

  it('analytic solver for a non-linear model', () => {
    const e = modelError({
      ...base,
      structure: 'mm-iv',
      parameters: { V: 10, VMAX: 1, KM: 1 },
      solver: { method: 'analytic' },
    });
    expect(e.place.path).toBe('solver.method');
  });

  it('not an object at all', () => {
    const e = modelError(42);
    expect(e.code).toBe('E_MODEL');
    expect(e.place.path).toBe('(root)');
  });
});

describe('expressions', () => {
  it('precedence and associativity', () => {
    expect(ev('-2^2')).toBe(-4);
    expect(ev('2^3^2')).toBe(512);
    expect(ev('2**3**2')).toBe(512);
    expect(ev('-2^-2')).toBe(-0.25);
    expect(ev('2^-1')).toBe(0.5);
    expect(ev('1 - 2 - 3')).toBe(-4);
    expect(ev('8 / 4 / 2')).toBe(1);
    expect(ev('1 + 2 * 3')).toBe(7);
    expect(ev('(1 + 2) * 3')).toBe(9);
    expect(ev('2 * -3')).toBe(-6);
    expect(ev('-x^2', { x: 3 })).toBe(-9);
    expect(ev('.5e1 + 1e-3')).toBe(5.001);
  });

  it('ternary (right-associative, lowest precedence) and if()', () => {
    expect(ev('1 ? 2 : 3')).toBe(2);
    expect(ev('0 ? 2 : 3')).toBe(3);
    expect(ev('0 ? 2 : 0 ? 3 : 4')).toBe(4);
    expect(ev('1 + 1 ? 5 : 6')).toBe(5);
    expect(ev('if(x > 1, 10, 20)', { x: 2 })).toBe(10);
    expect(ev('SEX == 1 ? 0.8 : 1', { SEX: 1 })).toBe(0.8);
  });

  it('comparisons and logic give 1 / 0', () => {
    expect(ev('2 < 3')).toBe(1);
    expect(ev('3 < 2')).toBe(0);
    expect(ev('2 <= 2 && 3 > 4')).toBe(0);
    expect(ev('2 >= 2 || 0')).toBe(1);
    expect(ev('1 != 1')).toBe(0);
    expect(ev('x == 1 || y', { x: 0, y: 0 })).toBe(0);
    expect(ev('!0')).toBe(1);
    expect(ev('!5')).toBe(0);
    expect(ev('1 + (2 < 3)')).toBe(2);
  });

  it('functions', () => {
    expect(ev('exp(0)')).toBe(1);
    expect(ev('log(exp(2))')).toBeCloseTo(2, 15);
    expect(ev('ln(1)')).toBe(0);
    expect(ev('log10(1000)')).toBeCloseTo(3, 15);
    expect(ev('sqrt(16)')).toBe(4);
    expect(ev('abs(-3)')).toBe(3);
    expect(ev('floor(2.7) + ceil(2.1)')).toBe(5);
    expect(ev('min(1, 2) + max(1, 2)')).toBe(3);
    expect(ev('pow(2, 10)')).toBe(1024);
    expect(ev('1.1 * (WT / 70)^0.75', { WT: 70 })).toBeCloseTo(1.1, 15);
  });

  it('unknown function, wrong arity, syntax errors: E_EXPRESSION with the position', () => {
    const e = caught(() => parseExpression('2 * foo(1)', 'parameters.CL'));
    expect(e.code).toBe('E_EXPRESSION');
    expect(e.place.path).toBe('parameters.CL');
    expect(e.message).toContain('unknown function foo');
    expect(e.message).toContain('at 4');
    expect(caught(() => parseExpression('min(1, 2, 3)')).message).toMatch(/min takes 2 argument/);
    expect(caught(() => parseExpression('3 +')).message).toContain('unexpected end');
    expect(caught(() => parseExpression('(1')).message).toContain('expected ")"');
    expect(caught(() => parseExpression('a b')).message).toContain('at 2');
    expect(caught(() => parseExpression('1 < 2 < 3')).message).toContain('at 6'); // comparisons do not chain
    expect(caught(() => parseExpression('')).code).toBe('E_EXPRESSION');
    expect(modelError({ ...base, parameters: { CL: 'foo(2)', V: 10 } }).place.path).toBe('parameters.CL');
  });

  it('identifiers lists the variables read', () => {
    expect([...identifiers(parseExpression('TVCL * (WT/70)^0.75 * exp(ETA1) + max(CRCL, 0)'))].sort()).toEqual(['CRCL', 'ETA1', 'TVCL', 'WT']);
  });
});

describe('data items, covariates and time-varying parameters', () => {
  const wtModel = {
    dosewise: 1,
    name: 'wt',
    structure: '1cmt-iv',
    parameters: { CL: '2 * (WT / 70)^0.75', V: 'CL * 10' },
    covariates: { WT: { unit: 'kg', default: 70 } },
  };

  it('covariate defaults fill missing data items (absent column or ".")', () => {
    const m = defineModel(wtModel);
    expect(m.inputs).toEqual(['WT']);
    expect(m.evaluate({}).values.CL).toBe(2);
    expect(m.evaluate({ WT: NaN }).values.CL).toBe(2);
    expect(m.evaluate({ WT: 35 }).values.CL).toBeCloseTo(2 * 0.5 ** 0.75, 14);
    expect(m.evaluate({ WT: 35 }).values.V).toBeCloseTo(20 * 0.5 ** 0.75, 14);
  });

  it('no default: a missing item is an E_PARAMETER naming the item and the row', () => {
    const m = defineModel({ ...wtModel, covariates: { WT: { unit: 'kg' } } });
    const e = caught(() => m.evaluate({ WT: NaN }, undefined, 4));
    expect(e.code).toBe('E_PARAMETER');
    expect(e.place.column).toBe('WT');
    expect(e.place.row).toBe(4);
    expect(e.message).toContain('row 4');
  });

  it('a data column named like a parameter overrides it (and what depends on it); "." falls back; overrides win over data', () => {
    const m = defineModel(wtModel);
    const r = m.evaluate({ WT: 35, CL: 5 });
    expect(r.values.CL).toBe(5);
    expect(r.values.V).toBe(50); // V = CL*10 sees the overridden CL
    expect(m.evaluate({ WT: 70, CL: NaN }).values.CL).toBe(2);
    expect(m.evaluate({ CL: 5 }, { CL: 7 }).values.CL).toBe(7);
  });

  it('an overriding data column changes the simulation (1-cmt IV bolus, closed form)', () => {
    const m = defineModel(wtModel);
    const data = readNmtran('ID,TIME,EVID,AMT,CL\n1,0,1,100,5\n1,3,0,0,5');
    const { ipred } = simulate(m, data.records, { method: 'analytic' });
    // CL = 5 → V = 50 → k = 0.1
    expect(ipred[1]).toBeCloseTo((100 / 50) * Math.exp(-0.1 * 3), 13);
  });

  it('invalid parameter values are refused with the row', () => {
    const m = defineModel({ ...base, parameters: { CL: 'WT - 80', V: 10 } });
    const e = caught(() => simulate(m, readNmtran('ID,TIME,EVID,AMT,WT\n1,0,1,100,90\n1,2,0,0,70').records));
    expect(e.code).toBe('E_PARAMETER');
    expect(e.place.column).toBe('CL');
    expect(e.place.row).toBe(2);
    expect(e.place.value).toBe(-10);
  });

  // CL changes from 1 to 3 at the record at t = 4 (V = 10, bolus 100 at t = 0, observations at 2, 4, 6).
  //   NOCB (NONMEM's default): a record's values hold over the interval that ENDS at it, so
  //     (0,2] CL 1 (row 2), (2,4] CL 3 (row 3), (4,6] CL 3 (row 4):
  //     A(2) = 100 e^{-0.2}, A(4) = A(2) e^{-0.6}, A(6) = A(4) e^{-0.6}.
  //   LOCF: a record's values hold from it until the next record, so
  //     (0,2] CL 1, (2,4] CL 1, (4,6] CL 3:
  //     A(2) = 100 e^{-0.2}, A(4) = 100 e^{-0.4}, A(6) = A(4) e^{-0.6}.
  const tvData = 'ID,TIME,EVID,AMT,CLX\n1,0,1,100,1\n1,2,0,0,1\n1,4,0,0,3\n1,6,0,0,3';
  const tvModel = { dosewise: 1, name: 'tv', structure: '1cmt-iv', parameters: { CL: 'CLX', V: 10 } };
  const nocb = [10, 10 * Math.exp(-0.2), 10 * Math.exp(-0.8), 10 * Math.exp(-1.4)];
  const locf = [10, 10 * Math.exp(-0.2), 10 * Math.exp(-0.4), 10 * Math.exp(-1.0)];

  for (const method of ['analytic', 'dopri5', 'rosenbrock'] as const) {
    it(`NOCB (default) vs LOCF, CL changing at a record: ${method}`, () => {
      const data = readNmtran(tvData);
      const tol = method === 'analytic' ? 1e-12 : 1e-7;
      const opts = { method, rtol: 1e-10, atol: 1e-12 };
      const check = (got: Float64Array, want: number[]): void =>
        want.forEach((w, i) => expect(Math.abs((got[i] as number) - w), `record ${i + 1}`).toBeLessThanOrEqual(tol * w));
      check(simulate(defineModel(tvModel), data.records, opts).ipred, nocb);
      check(simulate(defineModel({ ...tvModel, time_varying: 'locf' }), data.records, opts).ipred, locf);
      check(simulate(defineModel(tvModel), data.records, { ...opts, timeVarying: 'locf' }).ipred, locf);
      check(simulate(defineModel({ ...tvModel, time_varying: 'locf' }), data.records, { ...opts, timeVarying: 'nocb' }).ipred, nocb);
    });
  }

  it('NOCB vs LOCF when V changes at a record: the observation at the change uses that record\'s scale', () => {
    // V from 10 to 20 at t = 4 (CL = 0: the amount stays 100). Amount is continuous; the observed
    // concentration at a record is amount / V of that record (its own parameters), in both modes.
    const m = { dosewise: 1, name: 'v', structure: '1cmt-iv', parameters: { CL: 0, V: 'VX' } };
    const data = readNmtran('ID,TIME,EVID,AMT,VX\n1,0,1,100,10\n1,2,0,0,10\n1,4,0,0,20\n1,6,0,0,20');
    for (const tv of ['nocb', 'locf'] as const) {
      const { ipred } = simulate(defineModel({ ...m, time_varying: tv }), data.records, { method: 'analytic' });
      expect(Array.from(ipred)).toEqual([10, 10, 5, 5]);
    }
  });
});

describe('defineModel() of a string', () => {
  it('says what to give: the object of JSON text, or a model text as { dosewise: "text", text }', () => {
    expect(() => defineModel('{"dosewise": 2}')).toThrow(/defineModel\(\) takes the model as an object, not as JSON text: defineModel\(JSON\.parse\(text\)\)/);
    expect(() => defineModel('model "x"\ncompartment C\nd/dt(C) = -C\nobserve = C\n')).toThrow(/for a model text give \{ dosewise: 'text', text \}/);
    expect(() => defineModel('vancomycin_goti_2018')).toThrow(/not a name: for a built-in structure builtinModel\('vancomycin_goti_2018'\), for a model of the packaged library libraryModel\('vancomycin_goti_2018'\) from 'dosewise'/);
  });
});

describe('random effects and residual terms the model would not read as written', () => {
  const base = { dosewise: 2, name: 'm', structure: '1cmt-iv', parameters: { CL: '4*exp(ETA_CL)', V: '30*exp(ETA_V)' } } as const;
  it('a random effect named twice in omega, or in omega and iov, is refused naming it', () => {
    // the last entry's variance was taken (0.25 for 0.09); with iov the η vanished
    refused(() => defineModel({ ...base, omega: { etas: ['ETA_CL', 'ETA_V', 'ETA_CL'], diagonal: [0.09, 0.04, 0.25] } }), 'E_MODEL', /^model omega\.etas\.2: ETA_CL is given twice \(also omega\.etas\.0\)/);
    refused(
      () => defineModel({ ...base, omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.1, 0.04] }, iov: { etas: ['ETA_CL'], diagonal: [0.05], occasion: 'OCC' } }),
      'E_MODEL',
      /^model iov\.etas: ETA_CL is also in omega: a κ \(between occasions\) and an η \(between subjects\) need names of their own/,
    );
  });
  it('a proportional or log-scale SD above 2 is refused as a percentage ("proportional": 20 ran as an SD of 2000 %)', () => {
    refused(() => defineModel({ ...base, residual: { model: 'proportional', proportional: 20 } }), 'E_MODEL', /^model residual\.proportional: a proportional error is a standard deviation as a fraction \(0\.2 for 20 %\); 20 would be 2000 %: a percentage\? give 0\.2 \(got 20\)/);
    refused(() => defineModel({ ...base, residual: { model: 'exponential', exponential: 15 } }), 'E_MODEL', /residual\.exponential: an? exponential error/);
    refused(() => defineModel({ dosewise: 'text', text: 'model "m"\ncompartment A\ntheta CL = 4, V = 30\nd/dt(A) = -CL / V * A\nobserve = A / V\nresidual combined additive = 0.5, proportional = 25\n', file: 'm.model' }), 'E_MODEL', /residual\.proportional: a proportional error/);
    expect(defineModel({ ...base, residual: { model: 'combined', additive: 40, proportional: 2 } }).residual?.proportional).toBe(2);
  });
  it('a residual term the error model does not have is refused (a 0 passes), in model files and texts', () => {
    refused(() => defineModel({ ...base, residual: { model: 'additive', additive: 0.5, proportional: 0.2 } }), 'E_MODEL', /^model residual\.proportional: the additive error model has no proportional term \(additive only\): for both an additive and a proportional SD, give model combined \(got 0\.2\)/);
    refused(() => defineModel({ ...base, residual: { model: 'proportional', proportional: 0.2, exponential: 0.1 } }), 'E_MODEL', /residual\.exponential: the proportional error model has no exponential term/);
    expect(defineModel({ ...base, residual: { model: 'proportional', proportional: 0.2, additive: 0 } }).residual?.model).toBe('proportional');
    refused(() => defineModel({ dosewise: 'text', text: 'model "m"\ncompartment A\ntheta CL = 4, V = 30\nd/dt(A) = -CL / V * A\nobserve = A / V\nresidual additive additive = 0.5, proportional = 0.2\n', file: 'm.model' }), 'E_MODEL', /residual\.proportional: the additive error model has no proportional term/);
  });
});

// The registry of built-in models (scripts/gen-abi.mjs BUILTINS → src/model/builtins/): every
// kernel code has a descriptor and a kernel module, and every structure name runs as named.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Kind } from '../../src/abi.js';
import { BUILTINS } from '../../src/model/builtins/index.generated.js';
import { BUILTIN_KINDS, BUILTIN_STRUCTURES, KIND_CODE, builtinOf, defaultParameters, stateCount } from '../../src/model/structure.js';
import { builtinModel, defineModel } from '../../src/model/model.js';
import { simulate } from '../../src/engine/simulate.js';
import { regimen } from '../../src/regimen/builder.js';

const repo = resolve(import.meta.dirname, '../..');

describe('built-in model registry', () => {
  it('every kernel code but the model text has exactly one descriptor, in code order', () => {
    const codes = Object.values(Kind).filter((c) => c !== Kind.User);
    expect(BUILTINS.map((b) => b.code)).toEqual([...codes].sort((a, b) => a - b));
    expect(new Set(BUILTIN_KINDS).size).toBe(BUILTINS.length);
    expect(Object.values(KIND_CODE).sort()).toEqual(Object.values(Kind).sort());
  });

  it('every descriptor has its kernel module with the entry points the dispatch calls', () => {
    const dispatch = readFileSync(resolve(repo, 'assembly/models/dispatch.generated.ts'), 'utf8');
    for (const b of BUILTINS) {
      expect(existsSync(resolve(repo, 'src/model/builtins', `${b.module}.ts`)), b.module).toBe(true);
      const kernel = readFileSync(resolve(repo, 'assembly/models', `${b.module}.ts`), 'utf8');
      for (const fn of ['states', 'rhs', 'jac']) expect(kernel, `${b.module}.${fn}`).toMatch(new RegExp(`^export function ${fn}\\(`, 'm'));
      expect(dispatch).toContain(`case Kind.${Object.entries(Kind).find(([, c]) => c === b.code)?.[0]}:`);
    }
  });

  it('every structure name resolves to a registered kind and runs with its default parameters', () => {
    const names = Object.keys(BUILTIN_STRUCTURES);
    expect(names.length).toBe(BUILTINS.reduce((n, b) => n + Object.keys(b.structures).length, 0));
    for (const name of names) {
      const st = BUILTIN_STRUCTURES[name];
      expect(st && builtinOf(st.kind)?.structures[name], name).toBeDefined();
      const model = builtinModel(name);
      expect(model.nStates).toBe(stateCount(model.structure));
      // Claret's exposure is its DOSE item: a dose record into its one state (the tumour size) is refused
      const given = name === 'claret' ? regimen() : regimen().dose({ time: 0, amt: 100, cmt: 1 });
      const { ipred, amounts } = simulate(model, given.observe({ times: [1, 12] }).records());
      expect([...ipred].every(Number.isFinite), name).toBe(true);
      expect(amounts?.length).toBe(ipred.length * model.nStates);
    }
  });

  it('every kind is accepted by the model-file schema, in every layout it allows', () => {
    for (const b of BUILTINS) {
      for (const compartments of b.multiCompartment ? ([1, 2, 3] as const) : ([1] as const)) {
        const structure = { kind: b.kind, compartments, depot: false };
        const m = defineModel({ dosewise: 1, name: b.kind, structure, parameters: defaultParameters({ ...structure, parameterization: 'clearance' }) });
        expect(m.structure.kind).toBe(b.kind);
        expect(m.stateNames).toEqual(b.stateNames(m.structure));
      }
    }
  });

  it('keeps the illustrative defaults of the built-in models', () => {
    expect(builtinModel('tmdd').evaluate({}).values.V).toBe(3);
    expect(builtinModel('tmdd-qss').evaluate({}).values.V).toBe(3);
    expect(builtinModel('claret').evaluate({}).values.GAMMA).toBe(0.8);
    expect(builtinModel('effect-emax').evaluate({}).values.GAMMA).toBe(1);
    expect(builtinModel('mm-oral').evaluate({}).values.CL).toBe(0);
  });
});

describe('mm-iv / mm-oral: the linear CL is off unless given', () => {
  it('V, VMAX and KM given: a pure Michaelis–Menten steady state (a default CL 5 read 0.0017 for 1.7726)', async () => {
    const { simulate } = await import('../../src/engine/simulate.js');
    const { regimen } = await import('../../src/regimen/builder.js');
    const recs = regimen().dose({ time: 0, amt: 200, ii: 12, ss: 1 }).observe({ times: [3, 12] }).records();
    const { ipred } = simulate(builtinModel('mm-iv', { V: 20, VMAX: 21.4, KM: 1.5 }), recs, { rtol: 1e-10, atol: 1e-12 });
    // SciPy LSODA (rtol 1e-12), 400 cycles of dA/dt = −VMAX·C/(KM + C): 8.97036 at 3 h, 1.772588 at 12 h
    expect(Math.abs((ipred[1] as number) / 8.970359595948578 - 1)).toBeLessThan(1e-6);
    expect(Math.abs((ipred[2] as number) / 1.772587622781759 - 1)).toBeLessThan(1e-6);
  });
});

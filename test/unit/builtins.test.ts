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
      const { ipred, amounts } = simulate(model, regimen().dose({ time: 0, amt: 100, cmt: 1 }).observe({ times: [1, 12] }).records());
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
    expect(builtinModel('mm-oral').evaluate({}).values.CL).toBe(5);
  });
});

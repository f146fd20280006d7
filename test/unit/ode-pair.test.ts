// Subjects that share one event table are integrated together by the explicit methods, one f64x2
// lane each (assembly/ode/lanes.ts; pairs under DOP853, two pairs interleaved under Dormand–Prince): every subject's profile, amounts and status must be bitwise
// what it gets when it is simulated alone, whatever its partner does (rejects, hands over to
// another method, fails).

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinModel, type Model } from '../../src/model/model.js';
import { compileModel } from '../../src/engine/model-text.js';
import { readNmtran } from '../../src/regimen/nmtran.js';
import { compileForModel } from '../../src/engine/simulate.js';
import { concatTables } from '../../src/regimen/compile.js';
import { engine } from '../../src/engine/load.js';
import type { BatchInput } from '../../src/engine/wasm.js';
import { layoutGrouped } from '../../src/engine/problem.js';
import { KIND_CODE } from '../../src/model/structure.js';
import { Method, P, PAR_STRIDE, PMm, PTmdd, PEffect, userSlot } from '../../src/abi.js';

// boluses with ADDL, an infusion, observations at a dose time and in runs, a reset; `ss` adds a
// steady-state dose (such a table is walked one subject at a time)
const rows = (ss: boolean, infusionCmt = 2): string => `ID,TIME,EVID,AMT,CMT,RATE,ADDL,II,SS
1,0,1,100,1,0,3,12,${ss ? 1 : 0}
1,0,0,0,0,0,0,0,0
1,1,0,0,0,0,0,0,0
1,2,0,0,0,0,0,0,0
1,6,0,0,0,0,0,0,0
1,12,0,0,0,0,0,0,0
1,13,1,40,${infusionCmt},20,0,0,0
1,14,0,0,0,0,0,0,0
1,20,0,0,0,0,0,0,0
1,36,0,0,0,0,0,0,0
1,47.5,0,0,0,0,0,0,0
1,50,3,0,0,0,0,0,0
1,50,1,80,1,0,0,0,0
1,51,0,0,0,0,0,0,0
1,53,0,0,0,0,0,0,0
1,60,0,0,0,0,0,0,0
`;

interface Case {
  readonly name: string;
  /** A built-in structure, or a model text (its compiled kernel), from the package root. */
  readonly structure: string;
  readonly typical: Record<string, number>;
  /** Scales subject s's kernel parameters (its own copy of the typical sets). */
  readonly vary: (set: Float64Array, at: number, s: number) => void;
  /**
   * The 13-h infusion is compiled into CMT 1 and its events moved to CMT 2 in the table: the
   * compiler refuses a dose into a built-in TMDD's receptor or the effect compartment (no drug
   * compartment), the engine integrates any table, and these are the cases the pairs are tested on
   * (TMDD's stiff one; the effect state dosed directly, as before the refusal).
   */
  readonly infusionMoved?: boolean;
}

const CASES: readonly Case[] = [
  {
    name: 'Michaelis–Menten oral (two-lane right-hand side)',
    structure: 'mm-oral',
    typical: { V: 50, VMAX: 50, KM: 2, KA: 1.2, CL: 5 },
    vary: (p, at, s) => {
      p[at + PMm.VMAX] *= 0.4 + (s % 5) / 3;
      p[at + PMm.KM] *= 0.3 + (s % 7) / 2;
      p[at + P.ka] *= 0.5 + (s % 3);
    },
  },
  {
    // every third subject binds 2,000 times faster: stiff, so 'auto' hands it over mid-run while its partner stays
    name: 'TMDD (two-lane right-hand side), some subjects stiff',
    structure: 'tmdd',
    typical: { V: 3, KEL: 0.1, KON: 0.5, KOFF: 0.05, KINT: 0.2, KSYN: 1, KDEG: 0.25 },
    infusionMoved: true,
    vary: (p, at, s) => {
      p[at + P.k10] *= 0.6 + (s % 4) / 3;
      p[at + PTmdd.KINT] *= 0.5 + (s % 5) / 4;
      if (s % 3 === 1) p[at + PTmdd.KON] *= 2000;
    },
  },
  {
    name: 'two-compartment oral as an ODE (two-lane right-hand side)',
    structure: '2cmt-oral',
    typical: { CL: 5, V: 50, Q: 4, V2: 80, KA: 1.2 },
    vary: (p, at, s) => {
      p[at + P.k10] *= 0.6 + (s % 4) / 3;
      p[at + P.k12] *= 0.5 + (s % 5) / 4;
      p[at + P.ka] *= 0.5 + (s % 3);
    },
  },
  {
    name: 'TMDD model text (compiled kernel: its generated two-lane right-hand side)',
    structure: 'examples/user-models/tmdd.model',
    typical: {},
    vary: (p, at, s) => {
      // its 7 thetas (V, KEL, KON, KOFF, KINT, KSYN, KDEG), each a little apart
      for (let j = 0; j < 7; j++) p[at + userSlot(j)] *= 0.7 + ((s + j) % 5) / 8;
    },
  },
  {
    // every operator and function of model texts, with time: lanes through conditionals and the functions without a SIMD instruction
    name: 'model text with every function (compiled kernel)',
    structure: 'test/fixtures/every-function.model',
    typical: {},
    vary: (p, at, s) => {
      for (let j = 0; j < 5; j++) p[at + userSlot(j)] *= 0.6 + ((s + 2 * j) % 7) / 5;
    },
  },
  {
    name: 'effect compartment (one lane at a time through the scalar right-hand side)',
    structure: 'effect-emax',
    typical: {},
    infusionMoved: true,
    vary: (p, at, s) => {
      p[at + P.k10] *= 0.6 + (s % 4) / 3;
      p[at + PEffect.KE0] *= 0.5 + (s % 5) / 2;
    },
  },
];

const texts = new Map<string, Model>();
beforeAll(async () => {
  for (const c of CASES)
    if (c.structure.endsWith('.model'))
      texts.set(c.structure, await compileModel(readFileSync(new URL(`../../${c.structure}`, import.meta.url), 'utf8'), { file: c.structure }));
}, 120_000);

function setup(c: Case, nSubj: number, ss: boolean, broken?: number) {
  const model = texts.get(c.structure) ?? builtinModel(c.structure, c.typical);
  const recs = readNmtran(rows(ss, c.infusionMoved ? 1 : 2)).records;
  const compiled = compileForModel(model, recs, {});
  if (c.infusionMoved) {
    const e = compiled.events;
    let moved = 0;
    for (let i = 0; i < e.n; i++) if ((e.time[i] as number) >= 13 && (e.time[i] as number) <= 15 && e.cmt[i] === 0 && (e.rate[i] !== 0 || e.amt[i] === 40)) {
        e.cmt[i] = 1;
        moved++;
      }
    expect(moved).toBeGreaterThan(0);
  }
  const sets = compiled.params.length / PAR_STRIDE;
  const params = new Float64Array(nSubj * sets * PAR_STRIDE);
  for (let s = 0; s < nSubj; s++) {
    params.set(compiled.params, s * sets * PAR_STRIDE);
    for (let k = 0; k < sets; k++) c.vary(params, (s * sets + k) * PAR_STRIDE, s);
  }
  // a subject whose absorption is undefined fails (NonFinite), its partner does not
  if (broken !== undefined) for (let k = 0; k < sets; k++) params[(broken * sets + k) * PAR_STRIDE + P.k10] = Number.NaN;
  const nOut = compiled.nOut;
  const job = (method: number, first: number, m: number): BatchInput => ({
    kind: KIND_CODE[model.structure.kind],
    ncmt: model.structure.compartments,
    depot: model.structure.depot,
    method,
    nStates: model.nStates,
    ...layoutGrouped(compiled.events, params.subarray(first * sets * PAR_STRIDE, (first + m) * sets * PAR_STRIDE), { n: m, groups: sets, rows: nOut }),
    amounts: true,
    rtol: 1e-8,
    atol: 1e-10,
  });
  return { job, nOut, nStates: model.nStates };
}

function bits(a: Float64Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

describe('explicit ODE methods, subjects side by side', () => {
  const methods = [
    ['dopri5', Method.Dopri5],
    ['auto at rtol > 1e-8 (Dormand–Prince, RODAS4 once stiff)', Method.Auto],
    ['dop853', Method.Dop853],
    ['auto at rtol ≤ 1e-8 (AutoTight)', Method.AutoTight],
    ['the MAP objective’s AutoDop853', Method.AutoDop853],
  ] as const;
  for (const c of CASES)
    for (const [label, method] of methods)
      it(`${c.name}, ${label}: each of 9 subjects bitwise as alone`, () => {
        const n = 9;
        const { job, nOut, nStates } = setup(c, n, false);
        const eng = engine(texts.get(c.structure));
        const together = eng.run(job(method, 0, n));
        expect(together.obs.some((v) => v > 0)).toBe(true);
        // a pair with a failure is walked again one subject at a time: these must not fail, or the pair path goes untested
        expect(Array.from(together.status)).toEqual(new Array(n).fill(0));
        for (let s = 0; s < n; s++) {
          const alone = eng.run(job(method, s, 1));
          expect(together.status[s]).toBe(alone.status[0]);
          expect(bits(together.obs.subarray(s * nOut, (s + 1) * nOut)).equals(bits(alone.obs))).toBe(true);
          expect(bits((together.amounts as Float64Array).subarray(s * nOut * nStates, (s + 1) * nOut * nStates)).equals(bits(alone.amounts as Float64Array))).toBe(true);
        }
      });

  it('a subject that fails leaves its partner’s profile and status as they are alone', () => {
    const n = 4;
    const { job, nOut } = setup(CASES[0] as Case, n, false, 2);
    const together = engine().run(job(Method.Dop853, 0, n));
    expect(Array.from(together.status)).toEqual([0, 0, 3, 0]);
    expect(together.failed).toBe(1);
    for (let s = 0; s < n; s++) {
      const alone = engine().run(job(Method.Dop853, s, 1));
      expect(together.status[s]).toBe(alone.status[0]);
      expect(bits(together.obs.subarray(s * nOut, (s + 1) * nOut)).equals(bits(alone.obs))).toBe(true);
    }
  });

  it('a table with a steady-state dose: each subject as alone', () => {
    const n = 5;
    const { job, nOut } = setup(CASES[0] as Case, n, true);
    const together = engine().run(job(Method.AutoTight, 0, n));
    expect(together.failed).toBe(0);
    for (let s = 0; s < n; s++) {
      const alone = engine().run(job(Method.AutoTight, s, 1));
      expect(bits(together.obs.subarray(s * nOut, (s + 1) * nOut)).equals(bits(alone.obs))).toBe(true);
    }
  });

  it('steady states with warm starts (the batch’s first subject starts the later ones, as for MAP points): grouped as walked one by one', () => {
    const model = builtinModel('mm-oral', { V: 50, VMAX: 50, KM: 2, KA: 1.2, CL: 5 });
    const recs = readNmtran('ID,TIME,EVID,AMT,CMT,RATE,ADDL,II,SS\n1,0,1,100,1,0,3,12,1\n1,1,0,0,0,0,0,0,0\n1,13,0,0,0,0,0,0,0\n1,30,0,0,0,0,0,0,0\n').records;
    const c = compileForModel(model, recs, {});
    const n = 7;
    const sets = c.params.length / PAR_STRIDE;
    // parameters 1e-3 apart, as a finite-difference stencil's: close enough for the warm start to be used
    const params = new Float64Array(n * sets * PAR_STRIDE);
    for (let s = 0; s < n; s++) {
      params.set(c.params, s * sets * PAR_STRIDE);
      for (let k = 0; k < sets; k++) params[(s * sets + k) * PAR_STRIDE + PMm.VMAX] *= 1 + 1e-3 * s;
    }
    // the same subjects, each with its own copy of the table: walked one at a time, in the same order
    const evStart = new Int32Array(n);
    const evEnd = new Int32Array(n);
    const copies = concatTables(Array.from({ length: n }, () => c.events), evStart, evEnd);
    for (const method of [Method.AutoTight, Method.Dopri5]) {
      const shared: BatchInput = {
        kind: KIND_CODE[model.structure.kind], ncmt: 1, depot: true, method, nStates: model.nStates,
        events: c.events, evStart: new Int32Array(n), evEnd: new Int32Array(n).fill(c.events.n),
        params, parBase: Int32Array.from({ length: n }, (_, s) => s * sets), outBase: Int32Array.from({ length: n }, (_, s) => s * c.nOut),
        nOut: n * c.nOut, amounts: false, rtol: 1e-8, atol: 1e-10,
      };
      const grouped = engine().run({ ...shared, ssWarm: true });
      const single = engine().run({ ...shared, events: copies, evStart, evEnd, ssWarm: true });
      expect(grouped.failed).toBe(0);
      expect(Array.from(grouped.status)).toEqual(Array.from(single.status));
      expect(bits(grouped.obs).equals(bits(single.obs))).toBe(true);
      // the warm start is used: without it the later subjects' values differ in their last bits
      const cold = engine().run({ ...shared, ssWarm: false });
      expect(bits(cold.obs).equals(bits(grouped.obs))).toBe(false);
    }
  });
});

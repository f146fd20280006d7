// simulate() groups subjects by design (one compiled table per distinct dosing and sampling design,
// each subject its own parameter sets) and must give bitwise what the general path gives (a table
// per subject, every subject through the per-subject walker): predictions, amounts, IDs and errors,
// on the nmtests dosing scenarios (ADDL, lag, SS, infusions, EVID 3/4, F, modelled rate and
// duration from data items), time-varying covariates, named-compartment observations, outputs by
// DVID, ODE methods, and random mixes of designs.

import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineModel, type Model } from '../../src/model/model.js';
import { byId, readNmtran, recordFromItems } from '../../src/regimen/nmtran.js';
import { layoutByDesign, layoutRecords, resolveMethod, simulate, type SimulateOptions } from '../../src/engine/simulate.js';
import { engine } from '../../src/engine/load.js';
import { solve, solverSetup } from '../../src/engine/problem.js';
import type { DataRecord } from '../../src/regimen/record.js';
import { dosing, dosingData, tv, tvData } from './conformance-data.js';


const bytes = (a: Float64Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** The general path: every subject its own table (layoutRecords), one engine call. */
function general(model: Model, records: readonly DataRecord[], options: SimulateOptions): { ipred: Float64Array; amounts?: Float64Array; ids: readonly number[] } {
  const batch = layoutRecords(model, records, options);
  const solver = solverSetup(model, resolveMethod(model, options.method), options.rtol, options.atol);
  const out = solve({ solver, subjects: batch.subjects, amounts: options.amounts ?? true }, engine(model));
  expect(out.status.every((s) => s === 0)).toBe(true);
  return { ipred: out.obs, amounts: out.amounts, ids: batch.ids };
}

function expectSame(model: Model, records: readonly DataRecord[], options: SimulateOptions = {}): void {
  const want = general(model, records, options);
  const got = simulate(model, records, options);
  expect(got.ids).toEqual(want.ids);
  expect(bytes(got.ipred).equals(bytes(want.ipred))).toBe(true);
  if (want.amounts) expect(bytes(got.amounts as Float64Array).equals(bytes(want.amounts))).toBe(true);
  else expect(got.amounts).toBeUndefined();
}

/** A small deterministic generator of positive factors. */
function factors(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return 0.5 + s / 2 ** 32;
  };
}

/**
 * Each ID of `records` copied `copies` times under new IDs, copy c with its own CL, V, KA data
 * items on every record (the same design, other parameters); copies of one ID follow each other
 * (`interleave`: all first copies, then all second ones, so designs alternate).
 */
function replicate(records: readonly DataRecord[], copies: number, interleave = false, edit?: (items: Record<string, number>, copy: number) => void): DataRecord[] {
  const groups = [...byId(records).entries()];
  const next = factors(7);
  const out: DataRecord[] = [];
  const one = (id: number, recs: readonly DataRecord[], c: number): void => {
    const par = { CL: 1.1 * next(), V: 20 * next(), KA: 1.5 * next() };
    for (const r of recs) {
      const items: Record<string, number> = { ...r.items, ID: id * 100 + c, ...par };
      edit?.(items, c);
      out.push(recordFromItems(items, out.length + 1));
    }
  };
  if (interleave) for (let c = 0; c < copies; c++) for (const [id, recs] of groups) one(id, recs, c);
  else for (const [id, recs] of groups) for (let c = 0; c < copies; c++) one(id, recs, c);
  return out;
}

describe('simulate() by design', () => {
  it('one design for subjects that differ in parameters only, a design per distinct dosing design', () => {
    const records = replicate(dosingData, 4);
    const d = layoutByDesign(dosing, records);
    expect(d).toBeDefined();
    expect(d?.ids.length).toBe(4 * byId(dosingData).size);
    expect(d?.designs.length).toBeLessThanOrEqual(byId(dosingData).size);
    expect(d?.designs.every((g) => g.count % 4 === 0)).toBe(true);
  });

  for (const timeVarying of ['nocb', 'locf'] as const)
    for (const amounts of [true, false])
      it(`equals the general path on the nmtests dosing scenarios, replicated and interleaved (${timeVarying}, amounts ${amounts})`, () => {
        expectSame(dosing, dosingData, { timeVarying, amounts });
        expectSame(dosing, replicate(dosingData, 3), { timeVarying, amounts });
        expectSame(dosing, replicate(dosingData, 3, true), { timeVarying, amounts, method: 'analytic' });
      });

  it('equals the general path with dopri5 and with overrides', () => {
    const records = replicate(dosingData, 2);
    expectSame(dosing, records, { method: 'dopri5', amounts: false });
    expectSame(dosing, records, { method: 'dopri5', amounts: true });
    expectSame(dosing, records, { overrides: { KA: 0.8 }, amounts: false });
  });

  it('keeps subjects whose lag or F differ in designs of their own', () => {
    // odd copies scale the data items behind lag and F: their tables differ from the even copies'
    const records = replicate(dosingData, 6, false, (items, c) => {
      items.LAGT = (items.LAGT as number) * (1 + (c % 2) / 10);
      items.BIOAV = (items.BIOAV as number) * (1 - (c % 2) / 10);
    });
    const plain = layoutByDesign(dosing, replicate(dosingData, 6))?.designs.length as number;
    expect(layoutByDesign(dosing, records)?.designs.length).toBeGreaterThan(plain);
    expectSame(dosing, records, { amounts: false });
    expectSame(dosing, records, { amounts: true });
  });

  it('leaves data whose subjects nearly all differ in design to the general path', () => {
    const rows = ['ID,TIME,EVID,AMT,CMT,LAGT,MODE,DUR2,RAT2,BIOAV'];
    for (let id = 1; id <= 40; id++) rows.push(`${id},0,1,100,1,0,0,0,0,1`, `${id},${1 + id / 10},0,0,2,0,0,0,0,1`, `${id},24,0,0,2,0,0,0,0,1`);
    const records = readNmtran(rows.join('\n')).records;
    expect(layoutByDesign(dosing, records)).toBeUndefined();
    expectSame(dosing, records, { amounts: false });
  });

  it('equals the general path with time-varying covariates (NOCB and LOCF), constant and changing', () => {
    const scaled = replicate(tvData, 3, true, (items, c) => {
      items.WT = (items.WT as number) * (1 + c / 7);
    });
    const constant = replicate(tvData, 2, false, (items) => {
      items.WT = 70;
    });
    const records = [...scaled, ...constant.map((r, i) => recordFromItems({ ...r.items, ID: (r.items.ID as number) + 50_000 }, scaled.length + i + 1))];
    for (const timeVarying of ['nocb', 'locf'] as const) {
      expectSame(tv, records, { timeVarying, amounts: false });
      expectSame(tv, records, { timeVarying, amounts: true });
    }
  });

  it('reads S of a named compartment per subject (observations of the depot with S1 from the data)', () => {
    const model = defineModel({ dosewise: 1, name: 'oral', structure: 'advan2', parameters: { CL: 2, V: 20, KA: 0.7, S1: 4 } });
    const csv = ['ID,TIME,EVID,AMT,CMT,S1'];
    for (let id = 1; id <= 6; id++) {
      const s1 = id <= 3 ? 4 : id + 3;
      csv.push(`${id},0,1,100,1,${s1}`, `${id},2,0,0,1,${s1}`, `${id},2,0,0,2,${s1}`, `${id},3,0,0,0,${s1}`);
    }
    const records = readNmtran(csv.join('\n')).records;
    expect(layoutByDesign(model, records)?.designs.length).toBe(4);
    expectSame(model, records, { amounts: false });
    expectSame(model, records);
  });

  it('equals the general path for a model with outputs picked by DVID', () => {
    const model = defineModel(JSON.parse(readFileSync('examples/parent-metabolite/model.json', 'utf8')));
    const oracle = JSON.parse(readFileSync('test/oracle/parent-metabolite.json', 'utf8')) as { patients: { records: Record<string, number | null>[] }[] };
    const records: DataRecord[] = [];
    for (let copy = 0; copy < 3; copy++)
      oracle.patients.forEach((p, i) => {
        for (const r of p.records) records.push(recordFromItems({ ...(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v ?? NaN])) as Record<string, number>), ID: 1000 * copy + i + 1 }, records.length + 1));
      });
    expectSame(model, records, { amounts: false });
    expectSame(model, records);
  });

  it('refuses an ID that comes back after another (its predictions came back in the regrouped order, not on their records)', () => {
    const ids = [...byId(dosingData).keys()].slice(0, 4);
    const first = dosingData.filter((r) => r.ID === ids[0]);
    const rest = dosingData.filter((r) => ids.slice(1).includes(r.ID));
    const records = [...first.slice(0, 2), ...rest, ...first.slice(2)];
    expect(layoutByDesign(dosing, records)).toBeUndefined();
    expect(() => simulate(dosing, records)).toThrow(/the records of an ID must be contiguous/);
  });

  it('refuses what the general path refuses, with the same message naming the row', () => {
    const records = replicate(dosingData, 2).slice(0, 400);
    const bad = records.map((r, i) => (i === 250 ? recordFromItems({ ...r.items, CMT: 7 }, r.row) : r));
    expect(() => simulate(dosing, bad)).toThrow(/row 251/);
    expect(() => simulate(dosing, bad)).toThrow(messageOf(() => layoutRecords(dosing, bad)));
    const badRate = records.map((r, i) => (i === 300 && r.EVID === 1 ? recordFromItems({ ...r.items, RATE: -1, MODE: 0 }, r.row) : r));
    if (badRate.some((r, i) => r !== records[i])) expect(() => simulate(dosing, badRate)).toThrow(messageOf(() => layoutRecords(dosing, badRate)));
    const badParam = records.map((r, i) => (i === 320 ? recordFromItems({ ...r.items, V: -3 }, r.row) : r));
    expect(() => simulate(dosing, badParam)).toThrow(messageOf(() => layoutRecords(dosing, badParam)));
  });

  it('names a subject that does not solve as the general path does (a steady state without elimination, then a reset)', () => {
    const rows = ['ID,TIME,EVID,AMT,CMT,SS,II,CL,LAGT,MODE,DUR2,RAT2,BIOAV'];
    for (let id = 1; id <= 4; id++) {
      const cl = id === 3 ? 0 : 1;
      for (const [t, evid, amt, ss, ii] of [[0, 1, 100, 1, 12], [1, 0, 0, 0, 0], [2, 3, 0, 0, 0], [3, 0, 0, 0, 0]]) rows.push(`${id},${t},${evid},${amt},2,${ss},${ii},${cl},0,0,0,0,1`);
    }
    const records = readNmtran(rows.join('\n')).records;
    expect(layoutByDesign(dosing, records)?.designs.length).toBe(1);
    for (const amounts of [false, true]) expect(() => simulate(dosing, records, { amounts })).toThrow(/row 9 \(ID 3, TIME 0\), the SS = 1 dose: no steady state exists/);
  });

  it('random mixes of designs, parameters and covariate changes: bitwise the general path (property)', () => {
    const designs = [...byId(dosingData).values()].slice(0, 12);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            design: fc.integer({ min: 0, max: designs.length - 1 }),
            cl: fc.double({ min: 0.2, max: 5, noNaN: true }),
            v: fc.double({ min: 5, max: 80, noNaN: true }),
            ka: fc.double({ min: 0.3, max: 3, noNaN: true }),
            // a record from which CL changes (time-varying), or none
            changeAt: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
            lagScale: fc.constantFrom(1, 1, 1, 1.5),
          }),
          { minLength: 1, maxLength: 24 },
        ),
        fc.constantFrom<'nocb' | 'locf'>('nocb', 'locf'),
        fc.boolean(),
        (subjects, timeVarying, amounts) => {
          const records: DataRecord[] = [];
          subjects.forEach((s, id) => {
            const recs = designs[s.design] as DataRecord[];
            recs.forEach((r, i) => {
              const cl = s.changeAt !== undefined && i >= s.changeAt ? 1.7 * s.cl : s.cl;
              records.push(recordFromItems({ ...r.items, ID: id + 1, CL: cl, V: s.v, KA: s.ka, LAGT: (r.items.LAGT as number) * s.lagScale }, records.length + 1));
            });
          });
          expectSame(dosing, records, { timeVarying, amounts });
        },
      ),
      { numRuns: 40, seed: 20261203 },
    );
  });
});

function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

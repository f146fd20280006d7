// simulate()'s batch layout (records compiled straight into shared typed arrays) against the
// reference path it replaced (a table per subject, concatenated): bitwise the same events,
// parameter sets, subject bases and predictions, on the nmtests dosing scenarios (ADDL, lag, SS,
// infusions, EVID 3/4, F, modelled rate/duration) with NOCB and LOCF, and with IDs that come back.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../src/model/model.js';
import { byId, readNmtran } from '../../src/regimen/nmtran.js';
import { compileForModel, layoutRecords, resolveMethod, simulate, type SimulateOptions } from '../../src/engine/simulate.js';
import { engine } from '../../src/engine/load.js';
import { layoutSubjects, solve, solverSetup, type SubjectLayout } from '../../src/engine/problem.js';
import type { DataRecord } from '../../src/regimen/record.js';
import { compileSubject } from '../../src/regimen/compile.js';
import { ParamWriter, TableWriter } from '../../src/regimen/table-writer.js';
import { Ev } from '../../src/abi.js';
import { PRE_DOSE_ITEM } from '../../src/regimen/record.js';

const dir = new URL('../conformance/', import.meta.url);
const model = defineModel(JSON.parse(readFileSync(new URL('dosing-1001.model.json', dir), 'utf8')));
const data = readNmtran(readFileSync(new URL('nmtests/dosing-1001.csv', dir), 'utf8'));

const bytes = (a: Float64Array | Int32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

function reference(records: readonly DataRecord[], options: SimulateOptions): SubjectLayout {
  return layoutSubjects([...byId(records).values()].map((recs) => compileForModel(model, recs, options)));
}

function expectSameLayout(got: SubjectLayout, want: SubjectLayout): void {
  expect(got.events.n).toBe(want.events.n);
  for (const k of ['time', 'type', 'cmt', 'amt', 'rate', 'ii', 'dur', 'phase', 'count', 'par', 'out'] as const) expect(bytes(got.events[k]).equals(bytes(want.events[k])), k).toBe(true);
  for (const k of ['evStart', 'evEnd', 'parBase', 'outBase', 'params'] as const) expect(bytes(got[k]).equals(bytes(want[k])), k).toBe(true);
  expect(got.nOut).toBe(want.nOut);
}

describe('simulate() batch layout', () => {
  for (const timeVarying of ['nocb', 'locf'] as const) {
    it(`equals a table per subject, concatenated (dosing-1001, ${timeVarying})`, () => {
      const options = { timeVarying };
      const want = reference(data.records, options);
      expectSameLayout(layoutRecords(model, data.records, options).subjects, want);
      const viaReference = solve({ solver: solverSetup(model, resolveMethod(model, undefined)), subjects: want, amounts: true }, engine(model));
      const sim = simulate(model, data.records, options);
      expect(bytes(sim.ipred).equals(bytes(viaReference.obs))).toBe(true);
      expect(bytes(sim.amounts as Float64Array).equals(bytes(viaReference.amounts as Float64Array))).toBe(true);
    });
  }

  it('groups an ID that comes back after another, in byId order', () => {
    const ids = [...byId(data.records).keys()].slice(0, 6);
    const interleaved = data.records.filter((r) => ids.includes(r.ID)).sort((a, b) => (a.ID % 2) - (b.ID % 2) || a.row - b.row);
    // split the first ID's records around another ID's
    const first = interleaved.filter((r) => r.ID === ids[0]);
    const rest = interleaved.filter((r) => r.ID !== ids[0]);
    const records = [...first.slice(0, 2), ...rest, ...first.slice(2)];
    const got = layoutRecords(model, records, {});
    expectSameLayout(got.subjects, reference(records, {}));
    expect(got.ids).toEqual([...byId(records).keys()]);
    // simulate() itself refuses such records: its predictions are one per record in input order
    expect(() => simulate(model, records)).toThrow(/the records of an ID must be contiguous/);
  });

  it('with an ID that comes back, layoutRecords reports the error of its whole group (as byId grouped it)', () => {
    const m = defineModel({ dosewise: 1, name: 'x', structure: { kind: 'linear', compartments: 1, depot: false }, parameters: { CL: 1, V: 10 } });
    const rec = (id: number, time: number, cmt: number, items: Record<string, number>, row: number): DataRecord => ({ row, ID: id, TIME: time, EVID: 0, AMT: 0, CMT: cmt, RATE: 0, ADDL: 0, II: 0, SS: 0, DV: 0, MDV: 0, items });
    // ID 1's first run has a bad CMT (row 1); its later record (row 3) a refused CL, which the whole group reaches first
    const records = [rec(1, 0, 5, {}, 1), rec(2, 0, 0, {}, 2), rec(1, 1, 0, { CL: -1 }, 3)];
    let grouped: unknown;
    try {
      compileForModel(m, [...(byId(records).get(1) as DataRecord[])]);
    } catch (e) {
      grouped = e;
    }
    expect(grouped).toBeInstanceOf(Error);
    expect(() => layoutRecords(m, records, {})).toThrow((grouped as Error).message);
  });

  it('reuses its staging arrays: a second, smaller batch is laid out alone', () => {
    const one = data.records.filter((r) => r.ID === data.records[0]?.ID);
    layoutRecords(model, data.records, {});
    expectSameLayout(layoutRecords(model, one, {}).subjects, reference(one, {}));
  });
});

describe('record order', () => {
  it('a pre-dose record after another record at its time still reads first (heap order)', () => {
    const m = defineModel({ dosewise: 1, name: 'x', structure: { kind: 'linear', compartments: 1, depot: false }, parameters: { CL: 1, V: 10 } });
    const rec = (time: number, items: Record<string, number>, row: number): DataRecord => ({ row, ID: 1, TIME: time, EVID: 0, AMT: 0, CMT: 0, RATE: 0, ADDL: 0, II: 0, SS: 0, DV: 0, MDV: 0, items });
    const records = [rec(0, {}, 1), rec(0, { [PRE_DOSE_ITEM]: 1 }, 2), rec(1, {}, 3)];
    const ev = compileSubject(records, records.map(() => m.evaluate({})), { nStates: 1 }).events;
    expect(Array.from(ev.type)).toEqual([Ev.Obs, Ev.Obs, Ev.Obs]);
    expect(Array.from(ev.out)).toEqual([1, 0, 2]);
  });
});

describe('TableWriter / ParamWriter', () => {
  it('grows, slices exact copies, views without copying, and resets', () => {
    const w = new TableWriter(1);
    for (let i = 0; i < 5; i++) w.add(i, Ev.Bolus, i, 1, 10 * i, 0, 0, 0, 0, 0, -1);
    const s = w.slice(2);
    expect(s.n).toBe(3);
    expect(Array.from(s.time)).toEqual([2, 3, 4]);
    expect(s.time.buffer.byteLength).toBe(3 * 8);
    const v = w.view();
    expect(v.time.buffer).toBe(w.time.buffer);
    expect(Array.from(v.amt)).toEqual([0, 10, 20, 30, 40]);
    const cap = w.time.length;
    w.reset();
    expect(w.n).toBe(0);
    expect(w.time.length).toBe(cap);
  });

  it('shares consecutive equal kernel sets only: −0 equals 0, NaN equals nothing (the same array included)', () => {
    const k = (...v: number[]) => ({ kernel: Float64Array.from(v) });
    const a = k(1, 2);
    const nan = k(1, NaN);
    const p = new ParamWriter();
    const list = [a, a, k(1, 2), k(-0, 2), k(0, 2), k(0, 2), nan, nan, a];
    expect(p.append(list, list.length, 2)).toBe(5);
    expect(Array.from(p.index.subarray(0, list.length))).toEqual([0, 0, 0, 1, 1, 1, 2, 3, 4]);
    expect(Object.is(p.data[2], -0)).toBe(true); // a shared set keeps its first values
    expect(p.length).toBe(10);
  });
});

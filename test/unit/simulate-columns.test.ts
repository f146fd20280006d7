// simulate() of a table of columns must be simulate() of the records the table stands for
// (recordsFromColumns: each row read as readNmtran reads a data row): the same predictions and
// amounts bit for bit, IDs and warnings, or the same refusal (code, message, place). Random data
// sets with fast-check: shared and own designs, missing cells and columns, lower-case names,
// number[] and typed columns, and rows the column pass hands to the record path (infinite values,
// EVID 7, SS, a time going back, an ID coming back, a CMT beyond the model, DUR, text cells).

import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { builtinModel, defineModel, type Model } from '../../src/model/model.js';
import { simulate, type SimulateOptions } from '../../src/engine/simulate.js';
import { columnTable, type DataColumns, isDataColumns, recordsFromColumns } from '../../src/regimen/columns.js';
import { layoutColumns } from '../../src/engine/columns-layout.js';
import { TableWriter, ParamWriter } from '../../src/regimen/table-writer.js';
import { SubjectIndex } from '../../src/engine/design-groups.js';
import { tv } from './conformance-data.js';
import * as api from '../../src/index.js';

const bytes = (a: Float64Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');

type Outcome = { ipred: string; amounts?: string; ids: readonly number[]; warnings: readonly string[]; states: readonly string[] } | { error: string; code?: string; place?: unknown };

function outcome(f: () => ReturnType<typeof simulate>): Outcome {
  try {
    const s = f();
    return { ipred: bytes(s.ipred), ...(s.amounts ? { amounts: bytes(s.amounts) } : {}), ids: s.ids, warnings: s.warnings, states: s.stateNames };
  } catch (e) {
    const x = e as { message: string; code?: string; place?: unknown };
    return { error: x.message, code: x.code, place: x.place };
  }
}

function expectAsRecords(model: Model, columns: DataColumns, options: SimulateOptions = {}): Outcome {
  const want = outcome(() => simulate(model, recordsFromColumns(columns, options.file), options));
  const got = outcome(() => simulate(model, columns, options));
  expect(got).toEqual(want);
  return got;
}

const oral = builtinModel('1cmt-oral', { KA: 1.2, CL: 5, V: 50 });
const text = defineModel({ dosewise: 'text', text: 'model "two states"\ntheta CL = 4, V = 30, KA = 1\ncompartment DEPOT, CENTRAL\nd/dt(DEPOT) = -KA * DEPOT\nd/dt(CENTRAL) = KA * DEPOT - CL / V * CENTRAL\nobserve = CENTRAL / V\n' });

/** A table of W-gp's kind: `n` subjects of one design, own CL, V, KA on every row. */
function shared(n: number, doses = 3, obs = 12): Record<string, Float64Array> {
  const rows = n * (doses + obs);
  const c = (): Float64Array => new Float64Array(rows);
  const t = { ID: c(), TIME: c(), EVID: c(), AMT: c(), CMT: c(), DV: c(), MDV: c(), CL: c(), V: c(), KA: c() };
  let i = 0;
  for (let s = 0; s < n; s++) {
    const recs: [number, number][] = [];
    for (let d = 0; d < doses; d++) recs.push([d * 12, 1]);
    for (let o = 0; o < obs; o++) recs.push([o * 3 + 0.5, 0]);
    recs.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    for (const [time, evid] of recs) {
      t.ID[i] = s + 1;
      t.TIME[i] = time;
      t.EVID[i] = evid;
      t.AMT[i] = evid === 1 ? 100 : NaN;
      t.CMT[i] = evid === 1 ? 1 : 2;
      t.DV[i] = NaN;
      t.MDV[i] = evid;
      t.CL[i] = 4 + s / 10;
      t.V[i] = 40 + s;
      t.KA[i] = 1 + s / 20;
      i++;
    }
  }
  return t;
}

describe('simulate() of a table of columns', () => {
  it('is exported with its helpers and typed: simulate(model, columns)', () => {
    expect(typeof api.recordsFromColumns).toBe('function');
    const cols: api.DataColumns = shared(2);
    expect(isDataColumns(cols)).toBe(true);
    expect(isDataColumns([])).toBe(false);
    expect(api.simulate(oral, cols, { amounts: false }).ipred.length).toBe(30);
  });

  it('lays out usual data straight from the columns (one design), bitwise the records', () => {
    const cols = shared(40);
    const t = columnTable(cols);
    const staged = { w: new TableWriter(64), p: new ParamWriter(), index: new SubjectIndex() };
    const d = layoutColumns(oral, t, { nStates: 2, timeVarying: 'nocb', observedIndex: 1 }, staged);
    expect(d?.designs.length).toBe(1);
    expect(d?.ids.length).toBe(40);
    const got = expectAsRecords(oral, cols, { amounts: false });
    expect('ipred' in got).toBe(true);
    expectAsRecords(oral, cols);
    expectAsRecords(text, cols, { amounts: false });
    expectAsRecords(text, cols);
  });

  it('the same layout without Node\'s Buffer (a browser: the values compared in a loop), designs told apart by a zero\'s sign, kept by a missing cell', async () => {
    const cols = shared(12);
    // subject 3: a 0 for the missing AMT of its observations (the same records); subject 5: TIME −0 (another design)
    for (let i = 30; i < 45; i++) if ((cols.EVID as Float64Array)[i] === 0) (cols.AMT as Float64Array)[i] = 0;
    (cols.TIME as Float64Array)[60] = -0;
    const t = columnTable(cols);
    const co = { nStates: 2, timeVarying: 'nocb' as const, observedIndex: 1 };
    const snap = (d: ReturnType<typeof layoutColumns>) => d && { ids: [...d.ids], design: [...d.design], params: [...d.params], time: [...d.events.time], n: d.designs.length };
    const node = snap(layoutColumns(oral, t, co, { w: new TableWriter(64), p: new ParamWriter(), index: new SubjectIndex() }));
    expect(node?.n).toBe(2);
    expect(node?.design[4]).toBe(1);
    vi.resetModules();
    vi.stubGlobal('Buffer', undefined);
    try {
      const fresh = await import('../../src/engine/columns-layout.js');
      const tw = await import('../../src/regimen/table-writer.js');
      const dg = await import('../../src/engine/design-groups.js');
      expect(snap(fresh.layoutColumns(oral, t, co, { w: new tw.TableWriter(64), p: new tw.ParamWriter(), index: new dg.SubjectIndex() }))).toEqual(node);
    } finally {
      vi.unstubAllGlobals();
    }
    expectAsRecords(oral, cols);
  });

  it('number[] columns, missing standard columns and cells, lower-case names', () => {
    const t = shared(3);
    const plain = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, Array.from(v)]));
    expect('ipred' in expectAsRecords(oral, plain)).toBe(true);
    const { EVID: _e, MDV: _m, ...noEvid } = t;
    expect('ipred' in expectAsRecords(oral, noEvid)).toBe(true);
    const lower = Object.fromEntries(Object.entries(t).map(([k, v]) => [k === 'TIME' ? 'time' : k, v]));
    expect('ipred' in expectAsRecords(oral, lower)).toBe(true);
  });

  it('refuses as the records are refused: row, column and value', () => {
    const bad = (edit: (t: Record<string, Float64Array | unknown[]>) => void): Outcome => {
      const t: Record<string, Float64Array | unknown[]> = shared(3);
      edit(t);
      const o = expectAsRecords(oral, t as DataColumns);
      expect('error' in o).toBe(true);
      return o;
    };
    bad((t) => ((t.EVID as Float64Array)[4] = 7));
    bad((t) => ((t.CL as Float64Array)[20] = Infinity));
    bad((t) => ((t.TIME as Float64Array)[17] = 0));
    bad((t) => ((t.ID as Float64Array)[44] = 1));
    bad((t) => ((t.CMT as Float64Array)[3] = 3));
    bad((t) => ((t.MDV as Float64Array)[3] = 2));
    bad((t) => { (t.DV as Float64Array)[0] = 5; (t.MDV as Float64Array)[0] = 0; });
    bad((t) => (t.WT = [...Array(44).fill(70), 'M']));
    expect(isDataColumns({ records: [{ ID: 1 }] })).toBe(false);
    expect(isDataColumns({ columns: ['ID'], cells: [['1']], records: [] })).toBe(false);
    expect(() => simulate(oral, { ID: [1, 1], TIME: [0] })).toThrow(/one value per row/);
    // a covariate the model reads without a column, and a model that reads one
    expect('error' in expectAsRecords(tv, shared(2))).toBe(true);
    expect('ipred' in expectAsRecords(tv, { ...shared(2), WT: new Float64Array(30).fill(70) })).toBe(true);
  });

  it('random data sets: columns give what their records give (fast-check)', () => {
    const row = fc.record({
      dt: fc.oneof(fc.constant(0), fc.double({ min: 0.1, max: 12, noNaN: true })),
      kind: fc.constantFrom('obs', 'obs', 'obs', 'dose', 'other'),
      amt: fc.constantFrom(50, 100, 250),
      rate: fc.constantFrom(0, 0, 25),
      addl: fc.constantFrom(0, 0, 2),
      cmt: fc.constantFrom(0, 2),
      dv: fc.oneof(fc.constant(NaN), fc.double({ min: 0, max: 10, noNaN: true })),
    });
    const design = fc.array(row, { minLength: 1, maxLength: 8 });
    let fast = 0;
    let runs = 0;
    const oddity = fc.constantFrom('none', 'none', 'none', 'none', 'inf', 'evid7', 'ss', 'back', 'idBack', 'cmt3', 'cmt9', 'negZero', 'nanTime', 'dur', 'mdv0dose', 'clChange', 'wt', 'noMdv', 'noEvid', 'noCmt', 'lower', 'atDur', 'plain', 'cmt1', 'rateModel');
    fc.assert(
      fc.property(fc.array(design, { minLength: 1, maxLength: 3 }), fc.array(fc.nat(2), { minLength: 1, maxLength: 40 }), oddity, fc.nat(1000), fc.constantFrom(0, 1, 2, 3), (designs, subjects, odd, at, m) => {
        const cols: Record<string, number[]> = { ID: [], TIME: [], EVID: [], AMT: [], CMT: [], RATE: [], ADDL: [], II: [], DV: [], MDV: [], CL: [], V: [], KA: [] };
        const push = (k: string, v: number): void => void (cols[k] as number[]).push(v);
        subjects.forEach((d, s) => {
          const rows = designs[d % designs.length] ?? [];
          let time = 0;
          for (const r of rows) {
            time += r.dt;
            const dose = r.kind === 'dose';
            const evid = dose ? 1 : r.kind === 'other' ? 2 : 0;
            push('ID', s + 1);
            push('TIME', time);
            push('EVID', evid);
            push('AMT', dose ? r.amt : NaN);
            push('CMT', dose ? Math.max(1, Math.min(r.cmt, 1)) : r.cmt);
            push('RATE', dose ? r.rate : 0);
            push('ADDL', dose ? r.addl : 0);
            push('II', dose && r.addl > 0 ? 12 : 0);
            push('DV', evid === 0 ? r.dv : NaN);
            push('MDV', evid === 0 ? 0 : 1);
            push('CL', 3 + (s % 4));
            push('V', 30 + (s % 3));
            push('KA', 1 + (s % 2) / 2);
          }
        });
        const n = (cols.ID as number[]).length;
        const i = at % n;
        const table: Record<string, number[] | Float64Array | unknown[]> = cols;
        switch (odd) {
          case 'inf': (cols.KA as number[])[i] = -Infinity; break;
          case 'evid7': (cols.EVID as number[])[i] = 7; break;
          case 'ss': Object.assign(cols, { SS: Array.from({ length: n }, (_, j) => (j === i && (cols.EVID as number[])[j] === 1 ? 1 : 0)) }); (cols.II as number[])[i] = 12; break;
          case 'back': (cols.TIME as number[])[i] = -1; break;
          case 'idBack': (cols.ID as number[])[i] = 1; break;
          case 'cmt3': (cols.CMT as number[])[i] = 3; break;
          case 'cmt9': (cols.CMT as number[])[i] = 9; break;
          case 'negZero': (cols.TIME as number[])[0] = -0; (cols.RATE as number[])[i] = -0; (cols.CMT as number[])[i] = -0; break;
          case 'nanTime': (cols.TIME as number[])[i] = NaN; break;
          case 'dur': table.DUR = Array.from({ length: n }, () => 2); break;
          case 'mdv0dose': (cols.MDV as number[])[i] = 0; (cols.DV as number[])[i] = 3; break;
          case 'clChange': (cols.CL as number[])[i] = 9; break;
          case 'wt': table.WT = Array.from({ length: n }, (_, j) => (j === i ? NaN : 70)); break;
          case 'noMdv': delete table.MDV; break;
          case 'noEvid': delete table.EVID; break;
          case 'noCmt': delete table.CMT; break;
          case 'lower': table.amt = cols.AMT as number[]; delete table.AMT; break;
          case 'atDur': table['@dur'] = Array.from({ length: n }, () => 1); break;
          case 'cmt1': (cols.CMT as number[])[i] = 1; break;
          case 'rateModel': if ((cols.EVID as number[])[i] === 1) (cols.RATE as number[])[i] = -2; break;
          case 'plain': table.SEX = Array.from({ length: n }, (_, j) => (j === i ? 'M' : 1)); break;
        }
        const typed = at % 2 === 0 ? Object.fromEntries(Object.entries(table).map(([k, v]) => [k, Array.from(v as ArrayLike<unknown>).every((x) => typeof x === 'number') ? Float64Array.from(v as number[]) : v])) : table;
        const model = m === 3 ? tv : m === 2 ? text : oral;
        const options: SimulateOptions = m === 1 ? { amounts: false, file: 'data.csv' } : m === 2 ? { amounts: at % 3 === 0 } : { timeVarying: at % 5 === 0 ? 'locf' : undefined };
        expectAsRecords(model, typed as DataColumns, options);
        // how often the columns were laid out straight (not handed to the record path)
        runs++;
        if (odd !== 'plain') {
          const staged = { w: new TableWriter(64), p: new ParamWriter(), index: new SubjectIndex() };
          if (layoutColumns(oral, columnTable(typed as DataColumns), { nStates: 2, timeVarying: 'nocb', observedIndex: 1 }, staged) !== undefined) fast++;
        }
      }),
      { numRuns: 300, seed: 20261207 },
    );
    expect(fast).toBeGreaterThan(runs / 3);
  });
});

// readCsvColumns (cli/csv-columns.ts) reads a data set's CSV into typed columns only where
// readNmtran would read it without a word, and then reads it as readNmtran does: every column and
// value bit for bit (NaN for a missing cell, -0 kept), the records recordsFromColumns makes of the
// table equal to readNmtran's, no warning, no refusal. Random CSV texts with fast-check: numbers in
// every form the reader takes (signs, exponents, leading and trailing points, 16 and 17 digits,
// 1e400), missing cells ('.', blank, NA, NaN), lower-case names, CRLF and a BOM, blank lines,
// comment lines, quotes, blanks, text, dates, IDs coming back, times going back, doses 5 minutes
// apart, steady-state rows, 0800 times. writeNumberText writes what formatNumber writes.

import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatNumber, readNmtran, writeNmtran } from '../../../src/regimen/nmtran.js';
import * as csvColumns from '../../../src/cli/csv-columns.js';
import { readCsvColumns, writeCsvColumns, writeNumberText } from '../../../src/cli/csv-columns.js';
import { recordsFromColumns } from '../../../src/regimen/columns.js';
import type { DataRecord } from '../../../src/regimen/record.js';

const dir = mkdtempSync(join(tmpdir(), 'csv-columns-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let seq = 0;
const fileOf = (text: string): string => {
  const f = join(dir, `d${++seq}.csv`);
  writeFileSync(f, text);
  return f;
};

/** What readNmtran makes of the text: its columns, records and warnings, or its refusal. */
function asRecords(text: string, file: string): { columns: readonly string[]; records: readonly DataRecord[]; warnings?: readonly string[] } | { error: string } {
  try {
    return readNmtran(text, { file });
  } catch (e) {
    return { error: (e as Error).message };
  }
}

const same = (x: unknown, y: unknown): boolean => Object.is(x, y);

/** Checks the text: read as columns, it must be what readNmtran reads without a warning. Returns whether it was read as columns. */
function check(text: string): boolean {
  const file = fileOf(text);
  const got = readCsvColumns(file);
  if (got === undefined) return false;
  const want = asRecords(text, file);
  expect('error' in want ? want.error : undefined).toBeUndefined();
  if ('error' in want) return true;
  expect(want.warnings).toBeUndefined();
  expect(got.columns).toEqual(want.columns);
  expect(got.rows).toBe(want.records.length);
  expect(got.ids).toBe(new Set(want.records.map((r) => r.ID)).size);
  const mine = recordsFromColumns(got.table, file);
  want.records.forEach((r, i) => {
    const m = mine[i] as DataRecord;
    expect(r.text).toBeUndefined();
    for (const f of ['row', 'ID', 'TIME', 'EVID', 'AMT', 'CMT', 'RATE', 'ADDL', 'II', 'SS', 'DV', 'MDV'] as const) if (!same(m[f], r[f])) expect([i, f, m[f]]).toEqual([i, f, r[f]]);
    expect(Object.keys(m.items)).toEqual(Object.keys(r.items));
    for (const k of Object.keys(r.items)) if (!same(m.items[k], r.items[k])) expect([i, k, m.items[k]]).toEqual([i, k, r.items[k]]);
  });
  return true;
}

const numberText = fc.oneof(
  fc.integer({ min: -5, max: 3000 }).map(String),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.tuple(fc.constantFrom('', '+', '-'), fc.nat({ max: 99999 }), fc.constantFrom('', '.'), fc.stringMatching(/^[0-9]{0,19}$/), fc.constantFrom('', 'e', 'E'), fc.constantFrom('', '+', '-'), fc.nat({ max: 30 })).map(
    ([s, i, p, f, e, es, x]) => `${s}${i}${p}${p ? f : ''}${e ? `${e}${es}${x}` : ''}`,
  ),
  fc.constantFrom('.5', '5.', '-0', '+0.0', '0.1', '1e400', '-1e400', '1e-400', '12345678901234567890', '0.30000000000000004', '9007199254740993', '2.708743635583473', '43.642772476997806'),
);
const cell = fc.oneof({ weight: 60, arbitrary: numberText }, { weight: 8, arbitrary: fc.constantFrom('.', '', 'NA', 'NaN') }, { weight: 1, arbitrary: fc.constantFrom('abc', ' 1', '"2"', '1,5', '#N/A', 'C', '08:00', '2026-03-04', '0800', '1:30', 'nan', '<0.1') });

/** A data set of plain levels and doses, mostly the reader's usual rows, with the chosen oddities. */
const dataSet = fc
  .record({
    names: fc.shuffledSubarray(['EVID', 'AMT', 'CMT', 'RATE', 'ADDL', 'II', 'SS', 'DV', 'MDV', 'WT', 'CL', 'V', 'OCC'], { minLength: 0, maxLength: 9 }),
    oddName: fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom('DATE', 'DVUNIT', 'Wt kg', 'wt') }),
    lower: fc.boolean(),
    withAmt: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    ids: fc.array(fc.record({ id: fc.oneof({ weight: 30, arbitrary: fc.integer({ min: 1, max: 40 }).map(String) }, { weight: 1, arbitrary: fc.constantFrom('1.0', '01', '9007199254740993', '.', '2.5', '-3', '1e2') }), n: fc.integer({ min: 1, max: 6 }) }), { minLength: 1, maxLength: 5 }),
    times: fc.array(fc.oneof(fc.integer({ min: 0, max: 48 }), fc.double({ min: 0, max: 48, noNaN: true }), fc.constantFrom(0.05, 40000, 40000.5)), { minLength: 30, maxLength: 30 }),
    cells: fc.array(cell, { minLength: 200, maxLength: 200 }),
    odd: fc.oneof({ weight: 3, arbitrary: fc.constant([] as number[]) }, { weight: 1, arbitrary: fc.array(fc.nat({ max: 199 }), { maxLength: 3 }) }),
    eol: fc.constantFrom('\n', '\n', '\n', '\r\n', '\r\n', '\r'),
    bom: fc.boolean(),
    blank: fc.boolean(),
    comment: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    trailing: fc.boolean(),
    sorted: fc.oneof({ weight: 6, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  })
  .map(({ names, oddName, lower, withAmt, ids, times, cells, odd, eol, bom, blank, comment, trailing, sorted }) => {
    const header = ['ID', 'TIME', ...(withAmt && !names.includes('AMT') ? ['AMT'] : []), ...names, ...(oddName === undefined ? [] : [oddName])].map((c, i) => (lower && i % 2 === 0 ? c.toLowerCase() : c));
    const lines = [header.join(',')];
    let k = 0;
    let t = 0;
    for (const { id, n } of ids)
      for (let j = 0; j < n; j++) {
        const time = sorted ? (t += Math.abs(times[k % 30] as number)) : (times[k % 30] as number);
        const dose = k % 3 === 0;
        const row = header.map((c, i) => {
          const u = c.toUpperCase();
          const x = cells[(k * 7 + i) % 200] as string;
          const pick = odd.includes((k * 7 + i) % 200);
          if (u === 'ID') return id;
          if (u === 'TIME') return pick ? x : String(time);
          if (pick) return x;
          if (u === 'EVID') return dose ? '1' : '0';
          if (u === 'AMT') return dose ? '100' : '.';
          if (u === 'CMT') return dose ? '1' : '2';
          if (u === 'MDV') return dose ? '1' : '0';
          if (u === 'RATE' || u === 'ADDL' || u === 'II' || u === 'SS') return '0';
          if (u === 'DV') return dose ? '.' : k % 5 === 0 ? x : String(time / 3);
          if (u === 'DATE') return '.';
          return x;
        });
        lines.push(row.join(','));
        if (blank && k === 2) lines.push('');
        if (comment && k === 3) lines.push(`C${row.join(',')}`);
        k++;
      }
    return (bom ? '\uFEFF' : '') + lines.join(eol) + (trailing ? eol : '');
  });

describe('readCsvColumns', () => {
  it('reads W-gp-like rows as columns, bit for bit the records', () => {
    const text = 'ID,TIME,EVID,AMT,CMT,RATE,ADDL,II,SS,DV,MDV,CL,V,KA\n' + [1, 2, 3].flatMap((id) => [`${id},0,1,500,1,0,0,0,0,0,1,2.708743635583473,43.642772476997806,1.5180553672625074`, `${id},0,0,0,2,0,0,0,0,0,0,2.708743635583473,43.642772476997806,1.5180553672625074`, `${id},1.5,0,0,2,0,0,0,0,0,0,2.708743635583473,43.642772476997806,1.5180553672625074`]).join('\n') + '\n';
    expect(check(text)).toBe(true);
    expect(check(text.replaceAll('\n', '\r\n'))).toBe(true);
  });

  it('leaves to readNmtran what it warns of or refuses', () => {
    const head = 'ID,TIME,EVID,AMT,CMT,DV,MDV\n';
    const ok = `${head}1,0,1,100,1,.,1\n1,1,0,.,1,5,0\n`;
    expect(check(ok)).toBe(true);
    for (const text of [
      `${head}1,0,1,100,1,.,1\n1,0.1,1,100,1,.,1\n`, // W_DOSE_DUPLICATE
      `${head}1,0,1,100,1,.,1\nC1,1,0,.,1,5,0\n`, // a comment line
      `${head}1,0,1,100,1,.,1\n1,1,0,.,1,"5",0\n`, // quotes
      `${head}1,0,1,100,1,.,1\n1,1,0,.,1, 5,0\n`, // a blank
      `${head}1,0,1,100,1,.,1\n1.0,1,0,.,1,5,0\n`, // one ID written two ways
      `${head}1,0,1,100,1,.,1\n2,0,1,100,1,.,1\n1,1,0,.,1,5,0\n`, // an ID coming back
      `${head}1,2,1,100,1,.,1\n1,1,0,.,1,5,0\n`, // time going back
      `${head}1,0800,1,100,1,.,1\n`, // a clock time without its colon
      `${head}1,0,7,100,1,.,1\n`, // EVID 7
      `${head}1,0,1,1e400,1,.,1\n`, // infinite
      `${head}1,40000,1,100,1,.,1\n1,40001,0,.,1,5,0\n`, // serial date-times?
      `${head}1,0,0,.,1,5,0\n`, // no dose
      'ID,TIME,EVID,AMT,CMT,RATE,SS,DV,MDV\n1,0,1,0,1,10,1,.,1\n', // a steady-state infusion
      'ID,TIME,DATE,AMT\n1,0,.,100\n', // a date column
      'ID,Time,time,AMT\n1,0,0,100\n', // a name twice
    ])
      expect(check(text)).toBe(false);
  });

  it('reads random data sets as readNmtran reads them, or leaves them to it', () => {
    let read = 0;
    let left = 0;
    const reasons = new Map<string, number>();
    fc.assert(
      fc.property(dataSet, (text) => {
        if (check(text)) read++;
        else {
          left++;
          reasons.set(csvColumns.lastFallback, (reasons.get(csvColumns.lastFallback) ?? 0) + 1);
        }
      }),
      { numRuns: 400 },
    );
    // both kinds are drawn, for all the reasons to leave one to readNmtran
    expect(reasons.size).toBeGreaterThan(8);
    expect(read).toBeGreaterThan(60);
    expect(left).toBeGreaterThan(20);
  });

  it('writes the rows back as writeNmtran writes them', () => {
    fc.assert(
      fc.property(dataSet, fc.array(fc.double(), { minLength: 40, maxLength: 40 }), (text, values) => {
        const file = fileOf(text);
        const got = readCsvColumns(file);
        if (got === undefined) return;
        const data = readNmtran(text, { file });
        const ipred = Float64Array.from({ length: got.rows }, (_, i) => values[i % 40] as number);
        const chunks: Buffer[] = [];
        writeCsvColumns(got, [['IPRED', (i) => ipred[i] as number]], (c) => chunks.push(Buffer.from(c)), (v, out, at) => writeNumberText(v, out, at, formatNumber));
        expect(Buffer.concat(chunks).toString('latin1')).toBe(writeNmtranText(data, ipred));
      }),
      { numRuns: 200 },
    );
  });
});

const writeNmtranText = (data: ReturnType<typeof readNmtran>, ipred: Float64Array): string => writeNmtran(data, { IPRED: ipred });

describe('writeNumberText', () => {
  const text = (v: number): string => {
    const b = Buffer.alloc(64);
    return b.toString('latin1', 0, writeNumberText(v, b, 0, formatNumber));
  };
  it('writes what formatNumber writes', () => {
    for (const v of [0, -0, 1, -1, 0.1, 1e-7, 1.5e-7, 1e21, 1e-6, 1.234e-6, 1e-5, 123456789012.5, 9.9999999996, 99999999995, 2 ** 53, 2 ** 53 + 2, -(2 ** 60), Infinity, -Infinity, NaN, 5e-324, 1e-300, Number.MAX_VALUE, 0.5, 2.5, 1234567890.5, 0.30000000000000004, 4.27539936])
      expect(text(v)).toBe(formatNumber(v));
    fc.assert(fc.property(fc.double(), (v) => text(v) === formatNumber(v)), { numRuns: 20000 });
    // near the ties of the tenth digit
    fc.assert(
      fc.property(fc.integer({ min: 1e9, max: 1e10 - 1 }), fc.integer({ min: -20, max: 12 }), fc.double({ min: -1e-3, max: 1e-3, noNaN: true }), (n, e, d) => {
        const v = (n + 0.5 + d) * 10 ** (e - 9);
        return text(v) === formatNumber(v) && text(-v) === formatNumber(-v);
      }),
      { numRuns: 20000 },
    );
  });
});

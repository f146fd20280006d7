// The conformance check as a user runs it: `dosewise simulate --model test/conformance/<name>.model.json
// --data <nmtests csv> --out out.csv`, then every written row's IPRED against NONMEM's value.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { readNmtran } from '../../src/regimen/nmtran.js';
import { withinPrinted } from './printed.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const cases: [string, string][] = [
  ['dosing-1001', 'CP_NONMEM'],
  ['time-varying-2001', 'CP_NONMEM'],
  ['tumor-ode-c001', 'Y_NONMEM_ADVAN13'],
  ['tumor-ode-c003', 'Y_NONMEM_ADVAN13'],
];

describe('dosewise simulate (CLI) reproduces NONMEM', () => {
  for (const [name, col] of cases) {
    it(name, async () => {
      const out = join(tmp, `${name}.csv`);
      const code = await run(
        ['node', 'dosewise', 'simulate', '--model', `test/conformance/${name}.model.json`, '--data', `test/conformance/nmtests/${name}.csv`, '--out', out],
        () => undefined,
      );
      expect(code).toBe(0);
      const input = readNmtran(readFileSync(`test/conformance/nmtests/${name}.csv`, 'utf8'));
      const written = readNmtran(readFileSync(out, 'utf8'));
      expect(written.records.length).toBe(input.records.length);
      const bad = written.records.filter((r) => {
        const want = r.items[col] as number;
        return !withinPrinted(r.items.IPRED as number, want);
      });
      expect(bad.map((r) => `row ${r.row}: ${r.items.IPRED} vs ${r.items[col]}`)).toEqual([]);
      // the input columns are written back untouched
      expect(written.columns.slice(0, input.columns.length)).toEqual(input.columns);
    });
  }

  it('bad input exits 1 with the row and column named', async () => {
    const errs: string[] = [];
    const orig = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => (errs.push(s), true)) as typeof process.stderr.write;
    try {
      const bad = join(tmp, 'bad.csv');
      (await import('node:fs')).writeFileSync(bad, 'ID,TIME,EVID,AMT,CMT\n1,0,1,100,1\n1,1,9,0,2\n');
      const code = await run(['node', 'dosewise', 'simulate', '--model', 'advan2', '--data', bad], () => undefined);
      expect(code).toBe(1);
    } finally {
      process.stderr.write = orig;
    }
    expect(errs.join('')).toMatch(/row 2, column EVID.*got 9/);
  });
});

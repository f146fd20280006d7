// A time switch whose record-level quantities are not finite on a record. The kernel compares t
// through them: with K2 = 2, if(t / (K2 - 2) > 1, 5, 0) compared t / 0 = +∞ with 1, so the input
// was on from the start (31.80 at 12 h, where without it the level is 9.07), while the solver's
// switch time (1 − 0) / (1 / 0) = 0 looked finite and nothing was said. The same quantity named as
// a parameter, P = 1 / (K2 - 2), was refused ("must be a finite number"); inside the switch it now is too,
// naming the line, the comparison and the record's row. Closed forms throughout:
// A(t) = 100·e^(−0.2 t) + 25·(1 − e^(−0.2 (t − T))) after an input of 5 /h switched on at T.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileModelText } from '../../../src/model/text/index.js';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { simulate } from '../../../src/engine/simulate.js';
import { DosewiseError } from '../../../src/errors.js';
import { cli } from '../cli/run-cli.js';

const text = (k2: number, input: string): string => `theta K = 0.2, K2 = ${k2}\ncompartment A\nd/dt(A) = -K * A + ${input}\nobserve = A\n`;
const times = [2, 4, 8, 12];
const data = readNmtran(['ID,TIME,EVID,AMT,CMT,DV,MDV', '1,0,1,100,1,.,1', ...times.map((t) => `1,${t},0,.,.,.,0`)].join('\n'), { file: 'd.csv' }).records;
/** The level with the input switched on at `on` (never: Infinity). */
const exact = (on: number) => (t: number) => 100 * Math.exp(-0.2 * t) + (t > on ? 25 * (1 - Math.exp(-0.2 * (t - on))) : 0);
const maxRel = (ipred: Float64Array, f: (t: number) => number): number => Math.max(...times.map((t, i) => Math.abs((ipred[i + 1] as number) / f(t) - 1)));

const dir = mkdtempSync(join(tmpdir(), 'dosewise-switch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const refusal = (src: string): DosewiseError => {
  try {
    simulate(defineModel({ dosewise: 'text', text: src, file: 'z.model' }), data);
  } catch (e) {
    return e as DosewiseError;
  }
  throw new Error('not refused');
};

describe('a time switch through a quantity that is not finite on a record', () => {
  it('is refused naming the row, the line and the comparison (t / (K2 - 2) > 1 with K2 = 2 ran the input throughout: 31.80 at 12 h for 9.07)', () => {
    const e = refusal(text(2, 'if(t / (K2 - 2) > 1, 5, 0)'));
    expect(e.code).toBe('E_PARAMETER');
    expect(e.message).toBe(
      'row 1, parameter 1 / (K2 - 2) (z.model:3, the time switch t / (K2 - 2) > 1): t is compared through it there, so it must be a finite number, as a parameter must: a division by zero turns the switch on or off for good (got Infinity, from K2 = 2)',
    );
    // the same quantity as a parameter was refused already
    expect(() => simulate(defineModel({ dosewise: 'text', text: text(2, 'if(t * P > 1, 5, 0)').replace('compartment A', 'compartment A\nP = 1 / (K2 - 2)') }), data)).toThrow(/row 1, parameter P \(model:3:7\): must be a finite number \(got Infinity, from K2 = 2\)/);
    // on the other side of the comparison, in the constant term (NaN: 0 / 0), through an intermediate
    expect(refusal(text(2, 'if(t > 1 / (K2 - 2), 5, 0)')).message).toMatch(/^row 1, parameter 1 \/ \(K2 - 2\) \(z\.model:3, the time switch t > 1 \/ \(K2 - 2\)\): .*\(got Infinity, from K2 = 2\)$/);
    expect(refusal(text(2, 'if(t + (K2 - 2) / (K2 - 2) > 5, 5, 0)')).message).toMatch(/^row 1, parameter \(K2 - 2\) \/ \(K2 - 2\) \(z\.model:3, the time switch t \+ \(K2 - 2\) \/ \(K2 - 2\) > 5\): .*\(got NaN, from K2 = 2\)$/);
    expect(refusal(text(2, 'IN').replace('d/dt(A)', 'TT = (t - K2) / (K2 - 2)\nIN = if(TT > 1, 5, 0)\nd/dt(A)')).message).toMatch(/^row 1, parameter 1 \/ \(K2 - 2\) \(z\.model:4, the time switch TT > 1\): .*\(got Infinity, from K2 = 2\)$/);
  });

  it('the CLI exits 1 naming the data file, the row, the model line and the values (it exited 0)', async () => {
    writeFileSync(join(dir, 'z.model'), text(2, 'if(t / (K2 - 2) > 1, 5, 0)'));
    writeFileSync(join(dir, 'd.csv'), ['ID,TIME,EVID,AMT,CMT,DV,MDV', '1,0,1,100,1,.,1', ...times.map((t) => `1,${t},0,.,.,.,0`)].join('\n') + '\n');
    const r = await cli(['simulate', '--model', join(dir, 'z.model'), '--data', join(dir, 'd.csv')]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/d\.csv: row 1, parameter 1 \/ \(K2 - 2\) \(.*z\.model:3, the time switch t \/ \(K2 - 2\) > 1\): .*\(got Infinity, from K2 = 2\)/);
  });

  it('where finite, switches where the closed form does (K2 = 3: on at 1 h); a zero coefficient is no switch (t * K2 > 1 with K2 = 0: off throughout)', () => {
    expect(compileModelText(text(3, 'if(t / (K2 - 2) > 1, 5, 0)')).model.warnings).toEqual([]);
    const on = simulate(defineModel({ dosewise: 'text', text: text(3, 'if(t / (K2 - 2) > 1, 5, 0)') }), data, { method: 'dopri5' });
    expect(maxRel(on.ipred, exact(1))).toBeLessThan(1e-8); // measured 1.7e-9 (rtol 1e-8)
    // A = 0: the threshold 1 / 0 is not a time, and the kernel's 0 > 1 is never true
    const off = simulate(defineModel({ dosewise: 'text', text: text(0, 'if(t * K2 > 1, 5, 0)') }), data, { method: 'dopri5' });
    expect(maxRel(off.ipred, exact(Infinity))).toBeLessThan(1e-8); // measured 3.6e-9
  });
});

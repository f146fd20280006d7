// The stiff method of a model text: the one the built-in models take (Rodas5P at rtol <= 1e-8,
// assembly/ode/segment.ts: useRodas5p) where the text's right-hand side neither reads t nor switches
// on a state (KernelProgram.smooth), RODAS4 otherwise. With Rodas5P for the built-ins alone, the
// README's TMDD text (the built-in TMDD's equations) ran RODAS4 under `--method rosenbrock` and read
// 4.4e-7 relative off the built-in at the default tolerances; a text that switches on a state keeps
// RODAS4 (Rodas5P's step across the switch read 5.2e-8 off at rtol 1e-8 where RODAS4 read 4.2e-9).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileModelText } from '../../../src/model/text/index.js';
import { kernelCode } from '../../../src/model/text/bytecode.js';
import { builtinModel, defineModel } from '../../../src/model/model.js';
import { regimen } from '../../../src/regimen/builder.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { simulate } from '../../../src/engine/simulate.js';

const SMOOTH_FLAG = 1 << 30;
const tmddText = readFileSync('examples/user-models/tmdd.model', 'utf8');
const program = (text: string) => compileModelText(text, 'm.model').program;
const one = (body: string): string => `theta K = 0.2, V = 10, TH = 3\ncompartment A\ninit(A) = 10\n${body}\nobserve = A / V\n`;

function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let peak = 0;
  for (let i = 0; i < b.length; i++) peak = Math.max(peak, Math.abs(b[i] as number));
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)) / Math.max(Math.abs(b[i] as number), 1e-6 * peak));
  return m;
}

describe('which model texts take the built-in models\' stiff method', () => {
  it('smooth: no comparison, if, floor/ceil/abs/min/max on a state or t in the equations', () => {
    expect(program(tmddText).smooth).toBe(true);
    expect(program(one('d/dt(A) = -K * A * exp(-A / 100) / (1 + sqrt(A))')).smooth).toBe(true);
    // a switch on a parameter is constant within a segment
    expect(program(one('d/dt(A) = -K * A * if(TH > 2, 1, 2) * max(K, 0.1)')).smooth).toBe(true);
    for (const body of [
      'd/dt(A) = -K * A * (1 + 0.5 * (A - TH) / abs(A - TH))',
      'd/dt(A) = -K * A * if(A > TH, 1, 2)',
      'C = A / V\nHI = C > TH\nd/dt(A) = -K * A * (1 + HI)',
      'd/dt(A) = -K * min(A, TH)',
      'd/dt(A) = -K * floor(A)',
      'd/dt(A) = -K * A * if(t > 5, 1, 2)',
    ])
      expect(program(one(body)).smooth, body).toBe(false);
  });

  it('the flag reaches the interpreted kernel (bit 30 of its flags) as the compiled one prints it', () => {
    expect((kernelCode(program(tmddText))?.flags ?? 0) & SMOOTH_FLAG).toBe(SMOOTH_FLAG);
    expect((kernelCode(program(one('d/dt(A) = -K * A * if(A > TH, 1, 2)')))?.flags ?? SMOOTH_FLAG) & SMOOTH_FLAG).toBe(0);
  });

  it('the TMDD text interpreted = the built-in TMDD under rosenbrock at the default tolerances (Rodas5P both)', () => {
    const recs = regimen().dose({ time: 0, amt: 10, addl: 3, ii: 24, cmt: 1 }).dose({ time: 100, amt: 5, rate: 2.5, cmt: 1 }).observe({ grid: { from: 0, to: 160, step: 0.5 } }).records();
    const a = simulate(builtinModel('tmdd'), recs, { method: 'rosenbrock', amounts: true });
    const b = simulate(defineModel({ dosewise: 'text', text: tmddText }), recs, { method: 'rosenbrock', amounts: true });
    // 4.4e-7 with RODAS4 for the text and Rodas5P for the built-in
    expect(relDiff(b.ipred, a.ipred)).toBeLessThan(2e-13);
    expect(relDiff(b.amounts as Float64Array, a.amounts as Float64Array)).toBeLessThan(2e-13);
    // at rtol 1e-6 both take RODAS4
    const loose = { method: 'rosenbrock', rtol: 1e-6 } as const;
    expect(relDiff(simulate(defineModel({ dosewise: 'text', text: tmddText }), recs, loose).ipred, simulate(builtinModel('tmdd'), recs, loose).ipred)).toBeLessThan(2e-13);
  });

  it('a text with a switch on a state keeps RODAS4 and meets rtol across the switch (closed form)', () => {
    // A falls at rate 0.3 to TH = 3, then at 0.1: A(12) = 3·e^(−0.1·(12 − ln(10/3)/0.3))
    const exact = (3 * Math.exp(-0.1 * (12 - Math.log(10 / 3) / 0.3))) / 10;
    const records = readNmtran('ID,TIME,EVID,AMT,CMT,DV,MDV\n1,0,0,.,1,.,0\n1,12,0,.,1,.,0').records;
    const model = defineModel({ dosewise: 'text', text: one('d/dt(A) = -K * A * (1 + 0.5 * (A - TH) / abs(A - TH))') });
    // measured 0.42× rtol (RODAS4); Rodas5P read 5.2× rtol here (its step across the switch)
    expect(Math.abs((simulate(model, records, { method: 'rosenbrock', rtol: 1e-8 }).ipred[1] as number) / exact - 1)).toBeLessThan(2e-8);
  });
});

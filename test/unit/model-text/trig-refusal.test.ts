// sin and cos are not in the language (a circadian kin = KIN0 * (1 + AMP * cos(2 *
// 3.14159 * (t - PHI) / 24)) was refused as "unknown function cos (known: ...)"). Not done: they
// stay refused, and the refusal now says so and gives the exact workaround, an oscillator pair.

import { describe, expect, it } from 'vitest';
import { compileModelText } from '../../../src/model/text/index.js';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { simulate } from '../../../src/engine/simulate.js';

describe('cos/sin in a model text', () => {
  it('refused where written, with the oscillator pair to write instead', () => {
    const text = 'theta K = 0.1, V = 10, W = 0.2618\ncompartment A\nd/dt(A) = -K * A * (1 + 0.2 * cos(W * t))\nobserve = A / V\n';
    let m = '';
    try {
      compileModelText(text, 'm.model');
    } catch (e) {
      m = (e as Error).message;
    }
    expect(m).toContain('m.model:3:31: unknown function cos');
    expect(m).toContain('not in the language');
    expect(m).toContain('d/dt(OSC) = -W * OSS');
  });

  it('an ordinary unknown function keeps the plain words', () => {
    expect(() => compileModelText('theta K = 0.1, V = 10\ncompartment A\nd/dt(A) = -K * sine(A)\nobserve = A / V\n', 'm.model')).toThrow(/unknown function sine \(known: if, exp/);
  });

  it('the oscillator pair the refusal gives follows cos(W t) (closed form, W = 2 pi / 24)', () => {
    const W = (2 * Math.PI) / 24;
    const text = `theta W = ${W}\ncompartment OSC, OSS\ninit(OSC) = 1\nd/dt(OSC) = -W * OSS\nd/dt(OSS) = W * OSC\nobserve = OSC\n`;
    const times = [0, 3, 6, 12, 20, 48]; // the states start at the first record: one at TIME 0
    const recs = readNmtran(['ID,TIME,EVID,AMT,CMT,DV,MDV', ...times.map((t) => `1,${t},0,.,1,.,0`)].join('\n')).records;
    const r = simulate(defineModel({ dosewise: 'text', text, file: 'm.model' }), recs);
    times.forEach((t, i) => expect(Math.abs((r.ipred[i] as number) - Math.cos(W * t)), `t ${t}`).toBeLessThan(1e-6));
  });
});

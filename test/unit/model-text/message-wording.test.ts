// Refusals unclear for model texts: a RATE −1 / −2 dose without a rate(A) or
// duration(A) statement named the model file's JSON path compartments.1.rate; a NONMEM-style
// `; comment` gave `unknown statement "K"` with no hint; a no-break space was shown as a blank
// `unexpected character " "`. And `**`, accepted as a power, was missing from the README grammar.

import { describe, expect, it } from 'vitest';
import { compileModelText } from '../../../src/model/text/index.js';
import { defineModel } from '../../../src/model/model.js';
import { parseExpression } from '../../../src/model/expression.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { simulate } from '../../../src/engine/simulate.js';
import { refused } from '../refused.js';

// the model file nr.model and the charts nr1.csv and nr2.csv
const NR = 'theta CL = 2, V = 10\ncompartment A\nd/dt(A) = -CL / V * A\nobserve = A / V\n';
const dose = (rate: number): ReturnType<typeof readNmtran>['records'] => readNmtran(`ID,TIME,EVID,AMT,CMT,RATE,DV\n1,0,1,100,1,${rate},.\n1,1,0,0,1,0,.`).records;

describe('RATE −1 / −2 into a model text without the statement', () => {
  const text = defineModel({ dosewise: 'text', text: NR, file: 'nr.model' });

  it('RATE −1 names rate(A) = …, not compartments.1.rate', () => {
    const e = refused(() => simulate(text, dose(-1), { file: 'nr1.csv' }), 'E_RECORD', /RATE = -1 needs a modelled rate > 0 for compartment 1 \(A\)/);
    expect(e.message).toContain('(the model text has no rate(A) statement, or it reads 0 on this record: write rate(A) = expression)');
    expect(e.message).not.toContain('compartments.1');
  });

  it('RATE −2 names duration(A) = …', () => {
    const e = refused(() => simulate(text, dose(-2), { file: 'nr2.csv' }), 'E_RECORD', /RATE = -2 needs a modelled duration > 0 for compartment 1 \(A\)/);
    expect(e.message).toContain('(the model text has no duration(A) statement, or it reads 0 on this record: write duration(A) = expression)');
    expect(e.message).not.toContain('compartments.1');
  });

  it('a rate(A) that reads 0 is named as the statement', () => {
    const zero = defineModel({ dosewise: 'text', text: `${NR}R0 = 0 * CL\nrate(A) = R0\n`, file: 'nr.model' });
    refused(() => simulate(zero, dose(-1)), 'E_RECORD', /compartment 1 \(A\) \(the model text has no rate\(A\) statement, or it reads 0 on this record: write rate\(A\) = expression\)/);
  });

  it('a model file keeps its JSON path', () => {
    const file = defineModel({ dosewise: 1, name: 'nr', structure: '1cmt-iv', parameters: { CL: 2, V: 10 } });
    refused(() => simulate(file, dose(-1)), 'E_RECORD', /compartments\.1\.rate is 0 \(or not given in the model\)/);
    refused(() => simulate(file, dose(-2)), 'E_RECORD', /compartments\.1\.duration is 0 \(or not given in the model\)/);
  });
});

describe('a NONMEM-style ";" comment', () => {
  // the model file probe/c2.model
  const c2 = 'theta K = 0.1, V = 10\ncompartment A\nd/dt(A) = -K * A ; K fixed from literature\nobserve = A / V\n';

  it('says that ";" separates statements and "#" starts a comment', () => {
    const e = refused(() => compileModelText(c2, 'c2.model'), 'E_MODEL_TEXT', /^c2\.model:3:20: unknown statement "K"/);
    expect(e.message).toContain('(";" separates statements, as a new line does: "#" starts a comment)');
  });

  it('written with "#", compiles', () => {
    expect(compileModelText(c2.replace(';', '#'), 'c2.model').model.warnings).toEqual([]);
  });

  it('no hint where the line has no ";"', () => {
    const e = refused(() => compileModelText(c2.replace(' ; ', '\n'), 'c2.model'), 'E_MODEL_TEXT', /unknown statement "K"/);
    expect(e.message).not.toContain('"#" starts a comment');
  });
});

describe('an invisible character is named', () => {
  // the model file probe/u3.model: a no-break space after "*"
  const u3 = 'theta K = 0.1, V = 10\ncompartment A\nd/dt(A) = -K *\u00a0A\nobserve = A / V\n';

  it('a no-break space: U+00A0', () => {
    refused(() => compileModelText(u3, 'u3.model'), 'E_MODEL_TEXT', /^u3\.model:3:15: unexpected character U\+00A0 \(no-break space\): write a plain space\n/);
  });

  const cases: [string, string][] = [
    ['\u200b', 'U+200B (zero-width space): delete it'],
    ['\ufeff', 'U+FEFF (byte order mark, zero-width no-break space): delete it'],
    ['\u2009', 'U+2009 (thin space): write a plain space'],
    ['\u000b', 'U+000B (vertical tab): write a plain space'],
  ];
  for (const [c, named] of cases)
    it(named, () => {
      refused(() => compileModelText(u3.replace('\u00a0', c), 'u.model'), 'E_MODEL_TEXT', new RegExp(`unexpected character ${named.replace(/[+()]/g, '\\$&')}`));
    });

  it('a visible character is still shown as itself', () => {
    refused(() => compileModelText(u3.replace('\u00a0', '$'), 'u.model'), 'E_MODEL_TEXT', /unexpected character "\$"/);
  });

  it("in a model file's expression too", () => {
    expect(() => parseExpression('CL *\u200bV', 'parameters.X')).toThrow(/unexpected character U\+200B \(zero-width space\): delete it/);
  });
});

describe('"**" is a power, as "^" is', () => {
  it('-2**2 = -4 and 2**3**2 = 512 (right-associative), as with ^', () => {
    const m = defineModel({ dosewise: 'text', text: 'theta K = 0.1\ncompartment A\nP = -2**2\nQ = 2**3**2\nR = -2^2 + 2^3^2\nd/dt(A) = -K * A + P + Q + R\nobserve = A\n' });
    const v = m.evaluate({}).values;
    expect([v.P, v.Q, v.R]).toEqual([-4, 512, 508]);
  });
});

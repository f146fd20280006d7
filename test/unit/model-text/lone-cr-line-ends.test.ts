// A model text with lone-CR line ends (classic Mac) was read as one comment line and refused with
// "1:668: no compartments", naming nothing of the line ends, where the CSV readers take a lone CR as
// a line end. It is now read as the same text with LF (the same kernel), and its refusals give the
// line and column of the file.

import { describe, expect, it } from 'vitest';
import { compileModelText } from '../../../src/model/text/index.js';

const lf = [
  '# two-compartment oral',
  'model "cr test"',
  'theta TVCL = 5, TVV = 50, TVKA = 1.2',
  'eta ETA_CL ~ 0.09',
  'residual proportional 0.1',
  'compartment DEPOT, CENTRAL',
  'CL = TVCL * exp(ETA_CL)',
  'V = TVV',
  'd/dt(DEPOT) = -TVKA * DEPOT',
  'd/dt(CENTRAL) = TVKA * DEPOT - CL / V * CENTRAL',
  'observe = CENTRAL / V',
  '',
].join('\n');

describe('model text with lone-CR line ends', () => {
  it('compiles to the same kernel as with LF and CRLF', () => {
    const a = compileModelText(lf, 'lf.model');
    const b = compileModelText(lf.replaceAll('\n', '\r'), 'cr.model');
    const c = compileModelText(lf.replaceAll('\n', '\r\n'), 'crlf.model');
    expect(b.id).toBe(a.id);
    expect(c.id).toBe(a.id);
    expect(b.model.name).toBe('cr test');
  });

  it('a refusal names the line and column of the file', () => {
    const bad = lf.replace('V = TVV', 'V = TVV +').replaceAll('\n', '\r');
    expect(() => compileModelText(bad, 'cr.model')).toThrow(/cr\.model:8:\d+:/);
  });
});

// A text reading its occasion column (an occasion effect on CL) could not be written: reading OCC
// said "declare it as a covariate", and declaring it was refused as "also declared as a covariate".
// The model file form (covariates.OCC beside iov.occasion OCC) runs; the text now does too.

import { describe, expect, it } from 'vitest';
import { compileModelText } from '../../../src/model/text/index.js';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { simulate } from '../../../src/engine/simulate.js';

const text = `model "occasion effect"
theta TVCL = 4, TVV = 50
covariate OCC
eta ETA_CL ~ 0.1
iov KAPPA_CL ~ 0.04 by OCC
residual proportional 0.1
compartment CENT
FOCC = if(OCC == 1, 1.5, 1)
CL = TVCL * FOCC * exp(ETA_CL + KAPPA_CL)
V = TVV
d/dt(CENT) = -CL / V * CENT
observe = CENT / V
`;

describe('a model text reading its occasion column', () => {
  it('compiles with OCC declared as a covariate and reads it per record', () => {
    expect(compileModelText(text).model.iov?.occasion).toBe('OCC');
    const model = defineModel({ dosewise: 'text', text, file: 'occ.model' });
    const data = readNmtran(['ID,TIME,EVID,AMT,CMT,DV,MDV,OCC', '1,0,1,1000,1,.,1,1', '1,2,0,.,1,.,0,1', '2,0,1,1000,1,.,1,2', '2,2,0,.,1,.,0,2'].join('\n')).records;
    const ipred = simulate(model, data).ipred;
    // closed forms at η = κ = 0: 1000/50·exp(−CL/50·2), CL 6 on occasion 1, 4 on occasion 2
    expect(ipred[1]).toBeCloseTo(20 * Math.exp(-0.24), 9);
    expect(ipred[3]).toBeCloseTo(20 * Math.exp(-0.16), 9);
  });

  it('declared as a covariate and read only as the occasion column, it is not "declared but never used"', () => {
    const unread = text.replace('FOCC = if(OCC == 1, 1.5, 1)\n', '').replace('TVCL * FOCC *', 'TVCL *');
    const warnings = compileModelText(unread).model.warnings.join('\n');
    expect(warnings).not.toMatch(/OCC is declared but never used/);
    // another unread covariate still is
    expect(compileModelText(unread.replace('covariate OCC', 'covariate OCC, WT')).model.warnings.join('\n')).toMatch(/WT is declared but never used/);
  });

  it('still refuses the occasion column declared as anything else', () => {
    expect(() => compileModelText(text.replace('covariate OCC\n', '').replace('theta TVCL = 4, TVV = 50', 'theta TVCL = 4, TVV = 50, OCC = 1'))).toThrow(/the occasion column OCC is also declared as a theta/);
  });
});

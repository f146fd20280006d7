// MDV 0 on a dose (EVID 1) and an other-type record (EVID 2) with DV blank was taken without a word
// NONMEM's help (DV and MDV data items) requires MDV 1 on every
// EVID 1-4 record; dosewise reads only an observation record's level (EVID 0, MDV 0), so such a
// record is read as MDV 1: the same predictions, no level. The README states it; this pins it.

import { describe, expect, it } from 'vitest';
import { builtinModel } from '../../../src/model/model.js';
import { simulate } from '../../../src/engine/simulate.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';

const csv = (mdv: number): string => `ID,TIME,EVID,AMT,CMT,DV,MDV\n1,0,1,100,1,.,${mdv}\n1,0.5,2,.,2,.,${mdv}\n1,1,0,.,2,.,0\n`;

describe('MDV 0 on EVID 1 and 2 records with DV blank', () => {
  it('reads as MDV 1: the same predictions and warnings as the file written with MDV 1', () => {
    const m = builtinModel('1cmt-oral', {});
    const a = simulate(m, readNmtran(csv(0)).records);
    const b = simulate(m, readNmtran(csv(1)).records);
    expect([...a.ipred]).toEqual([...b.ipred]);
    expect(a.warnings).toEqual(b.warnings);
  });
});

// A record error of one patient of estimateCohort() / estimateFits() (AMT 0 on a dose of
// patients[3], ID 5; a TIME that goes back in patients[2]) is found by the record checks on the
// calling thread, before any worker starts. It read `row 5, column AMT: …`, naming no patient,
// while an error found in a worker (a parameter's) named it: `patients[3] (ID 5): …`, place.path
// `patients[3]`, as the README says of every error of one patient.

import { describe, expect, it } from 'vitest';
import { estimate } from '../../../src/bayes/estimate.js';
import { estimateFits } from '../../../src/bayes/fit-task.js';
import { estimateCohort } from '../../../src/bayes/task.js';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import type { DataRecord } from '../../../src/regimen/record.js';
import wmap from '../../../examples/map-wmap.model.json' with { type: 'json' };
import { caughtAsync } from '../refused.js';

// examples/map-patient.csv: the dose at TIME 24 is data row 5, the level at TIME 25 data row 6
const csv = `ID,TIME,EVID,AMT,RATE,DV,MDV
1,0,1,1000,1000,.,1
1,1.5,0,.,.,27.57698,0
1,11.5,0,.,.,3.437169,0
1,12,1,1000,1000,.,1
1,24,1,1000,1000,.,1
1,25,0,.,.,38.494925,0
1,36,1,1000,1000,.,1
1,47.5,0,.,.,7.016984,0`;
const { records } = readNmtran(csv);
const patient = (id: number, edit: (r: DataRecord) => DataRecord = (r) => r): DataRecord[] => records.map((r) => edit({ ...r, ID: id, items: { ...r.items, ID: id } }));
const zeroDose = patient(5, (r) => (r.EVID === 1 && r.TIME === 24 ? { ...r, AMT: 0 } : r));
const timeBack = patient(7, (r) => (r.TIME === 25 ? { ...r, TIME: 5 } : r));
const model = defineModel(wmap);

const cases = [
  { name: 'AMT 0 in patients[3] (ID 5)', patients: [patient(1), patient(2), patient(3), zeroDose], who: 'patients[3]', id: 5, bad: zeroDose, code: 'E_RECORD', row: 5, column: 'AMT' },
  { name: 'a decreasing TIME in patients[2] (ID 7)', patients: [patient(1), patient(2), timeBack], who: 'patients[2]', id: 7, bad: timeBack, code: 'E_RECORD_ORDER', row: 6, column: 'TIME' },
] as const;

describe('a record error of one patient names the patient, as an error found in a worker does', () => {
  for (const c of cases) {
    it(`${c.name}: estimate() on the patient alone names row ${c.row}, column ${c.column} (the reference)`, async () => {
      const alone = await caughtAsync(() => estimate(model, c.bad));
      expect([alone.code, alone.place.row, alone.place.column]).toEqual([c.code, c.row, c.column]);
    });
    for (const [call, run] of [
      ['estimateCohort', () => estimateCohort(model, c.patients, { workers: 0, chunkSize: 1 })],
      ['estimateFits', () => estimateFits(wmap, c.patients, { workers: 0 })],
    ] as const)
      it(`${c.name}: ${call}() leads with "${c.who} (ID ${c.id}): ", place.path ${c.who} (was "row ${c.row}, column ${c.column}: …", no path)`, async () => {
        const alone = await caughtAsync(() => estimate(model, c.bad));
        const e = await caughtAsync(run);
        expect(e.code).toBe(alone.code);
        expect(e.message).toBe(`${c.who} (ID ${c.id}): ${alone.message}`);
        expect(e.place).toEqual({ ...alone.place, path: c.who });
      });
  }

  it('a patient that is not a list of records is named once (its message already leads with it)', async () => {
    const e = await caughtAsync(() => estimateCohort(model, [patient(1), 'x' as unknown as DataRecord[]], { workers: 0 }));
    expect(e.code).toBe('E_OPTION');
    expect(e.place.path).toBe('patients[1]');
    expect(e.message).toMatch(/^patients\[1\]: must be an array/);
  });
});

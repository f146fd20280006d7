// An error of one patient of a cohort named the row of its record in the task's flattened table
// (every record of the chunk's patients, end to end) rather than in the caller's records, and not
// the patient: patient 3 (ID 5) with WT −80 from its 4th record was "row 4" in estimate() but
// "row 25" in estimateCohort with one task (three 7-record patients before it: 21 + 4), "row 11"
// with chunks of 2 (one 7-record patient before it in its task) and "row 4" with chunks of 1.
// The row a caller can look up is the record's own `row` (what estimate() on that patient names),
// whatever the chunking; and the patient's index and ID say which list of records it is in.

import { describe, expect, it } from 'vitest';
import { estimate } from '../../../src/bayes/estimate.js';
import { estimateCohort, handleEstimateTask, type EstimateTask } from '../../../src/bayes/task.js';
import { engine } from '../../../src/engine/load.js';
import { defineModel } from '../../../src/model/model.js';
import { fromWorker, workerError, type TaskPool } from '../../../src/pool/protocol.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import type { DataRecord } from '../../../src/regimen/record.js';
import goti from '../../../models/vancomycin_goti_2018.json' with { type: 'json' };
import { caughtAsync } from '../refused.js';

const csv = `ID,TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL
1,0,1,1000,1000,.,1,80,60
1,12,1,1000,1000,.,1,80,60
1,23.5,0,.,.,18.5,0,80,60
1,24,1,1000,1000,.,1,80,60
1,26,0,.,.,38.2,0,80,60
1,36,1,1000,1000,.,1,80,60
1,47.5,0,.,.,24.9,0,80,60`;
const good = readNmtran(csv).records;
// data rows 1..7 (the header is row 0): the 4th record is row 4
const bad: DataRecord[] = good.map((r, i) => ({ ...r, ID: 5, items: { ...r.items, ID: 5, WT: i >= 3 ? -80 : (r.items.WT as number) } }));
const patients = [good, good, good, bad, good];

/**
 * A pool of `size` slots whose tasks cross a thread boundary as on Piscina (structured clone in,
 * workerError → message → fromWorker out), without the built worker file.
 */
function crossingPool(size: number): TaskPool<EstimateTask> {
  return {
    size,
    async run(task) {
      await new Promise((r) => setImmediate(r));
      try {
        return handleEstimateTask(structuredClone(task), engine);
      } catch (e) {
        const sent = workerError(e) as Error;
        throw fromWorker(new Error(sent.message)) ?? sent;
      }
    },
    async close() {},
  };
}

describe('estimateCohort names a bad patient and its own row, whatever the chunking', () => {
  const model = defineModel(goti);
  it('estimate() on the patient alone: the reference (row 4, its 4th record, where WT turns −80)', async () => {
    const e = await caughtAsync(() => estimate(model, bad));
    expect(e.place.row).toBe(4);
    // refused as a body weight no patient has (0.2–700 kg), before V = 58.4 · (−80/70) is computed
    expect(e.place.column).toBe('WT');
    expect(e.place.value).toBe(-80);
  });

  const runs: [string, Parameters<typeof estimateCohort>[2]][] = [
    ['workers 0, one task (was row 25)', { workers: 0 }],
    ['workers 0, chunks of 2 (was row 11)', { workers: 0, chunkSize: 2 }],
    ['workers 0, chunks of 1', { workers: 0, chunkSize: 1 }],
    ['a two-slot pool across a thread boundary, chunks of 2 (was row 11)', { pool: crossingPool(2), chunkSize: 2 }],
    ['a two-slot pool across a thread boundary, chunks of 1', { pool: crossingPool(2), chunkSize: 1 }],
  ];
  for (const [name, o] of runs)
    it(name, async () => {
      const alone = await caughtAsync(() => estimate(model, bad));
      const e = await caughtAsync(() => estimateCohort(goti, patients, o));
      expect(e.code).toBe(alone.code);
      expect(e.place).toEqual({ ...alone.place, path: 'patients[3]' });
      expect(e.message).toBe(`patients[3] (ID 5): ${alone.message}`);
    });

  // record.ts: "for records built in code, their index + 1", as checkRecords numbers them; the
  // table's numbering made it 11 here (7 records of patient 0, then 4). estimate() itself names no
  // row for such records (a parameter error reads r.row, undefined), so it is no reference here.
  it('records built in code without a row: their position in the patient\'s list + 1 (was 11)', async () => {
    const unnumbered = bad.map((r) => ({ ...r, row: undefined as unknown as number }));
    const e = await caughtAsync(() => estimateCohort(goti, [good, unnumbered], { workers: 0 }));
    expect(e.place.row).toBe(4);
    expect(e.message).toMatch(/^patients\[1\] \(ID 5\): /);
  });
});

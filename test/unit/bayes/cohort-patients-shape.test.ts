// estimateCohort() and estimateFits() given patients of another shape. A string or nothing failed
// as a bare TypeError without a code ("patients.forEach is not a function", "Cannot read
// properties of undefined (reading 'forEach')"; in the browser build "t.forEach is not a
// function"), and byId()'s Map as "patients.some is not a function". Each is refused now with
// E_OPTION, path `patients`, naming the function and what it takes; one record list given for the
// patients is told to group it. The browser entry's estimateCohort() shares the check.

import { describe, expect, it } from 'vitest';
import { estimateFits } from '../../../src/bayes/fit-task.js';
import { estimateCohort } from '../../../src/bayes/task.js';
import { estimateCohort as estimateCohortWeb } from '../../../src/browser/index.js';
import { DosewiseError } from '../../../src/errors.js';
import { byId } from '../../../src/regimen/nmtran.js';
import { regimenRecords, wMapModel } from './wmap.js';

const entries = [
  ['estimateCohort()', (p: unknown) => estimateCohort(wMapModel, p as never, { workers: 0 })],
  ['estimateFits()', (p: unknown) => estimateFits(wMapModel, p as never, { workers: 0 })],
  ['estimateCohort() of dosewise/browser', (p: unknown) => estimateCohortWeb(wMapModel, p as never, { workers: 2 })],
] as const;

async function rejection(f: () => Promise<unknown>): Promise<DosewiseError> {
  const e = await f().then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(DosewiseError);
  return e as DosewiseError;
}

describe('patients of another shape', () => {
  for (const [name, run] of entries) {
    const fn = name.replace(/ of .*/, '');
    const head = `^patients: ${fn.replace(/[()]/g, '\\$&')}: patients must be an array of patients, each an array of its records`;
    it(`${name}: a string, nothing, a number, an object, byId()'s Map are E_OPTION naming patients (were TypeErrors)`, async () => {
      for (const [value, got] of [
        ['x', 'the string "x"'],
        [undefined, 'undefined'],
        [3, 'number 3'],
        [{ 1: regimenRecords() }, 'an object'],
        [byId(regimenRecords()), 'a Map of 1'],
      ] as const) {
        const e = await rejection(() => run(value));
        expect(e.code).toBe('E_OPTION');
        expect(e.place.path).toBe('patients');
        expect(e.message).toMatch(new RegExp(`${head}.*\\(got ${got}\\)$`));
      }
    });

    it(`${name}: a Map from byId() is told how to make the list`, async () => {
      expect((await rejection(() => run(byId(regimenRecords())))).message).toContain('[...byId(records).values()]');
    });

    it(`${name}: one patient's records given as the patients are told to wrap or group them`, async () => {
      const e = await rejection(() => run(regimenRecords()));
      expect(e.code).toBe('E_OPTION');
      expect(e.place.path).toBe('patients');
      expect(e.message).toMatch(new RegExp(`${head}.*this is one list of 8 records: \\[records\\] for one patient, \\[\\.\\.\\.byId\\(records\\)\\.values\\(\\)\\] for a data set's`));
    });
  }

  it('valid input as before: an empty list and one patient', async () => {
    expect((await estimateCohort(wMapModel, [], { workers: 0 })).count).toBe(0);
    expect((await estimateCohort(wMapModel, [regimenRecords()], { workers: 0 })).count).toBe(1);
    expect(await estimateFits(wMapModel, [regimenRecords()], { workers: 0 })).toHaveLength(1);
  });
});

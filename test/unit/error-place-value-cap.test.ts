// An error's place.value carried the caller's whole input: estimateCohort(model, records) given one
// list of records instead of a list of patients held every record, DV and items included, so an app
// forwarding errors to a log or an error tracker shipped patient data (and, for a cohort, a very
// large object). A value over 256 characters as JSON (a string over 256 characters, a Map or Set
// of more than 16) is now a summary of its type and size; the message still names the field and
// shows the start of the value, as before.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { estimateCohort } from '../../src/bayes/task.js';
import { DosewiseError, Errors } from '../../src/errors.js';
import { fromWorker, workerError } from '../../src/pool/protocol.js';
import { readNmtran } from '../../src/regimen/nmtran.js';
import wmap from '../../examples/map-wmap.model.json' with { type: 'json' };

const { records } = readNmtran(readFileSync(new URL('../../examples/map-patient.csv', import.meta.url), 'utf8'));

describe("an error's place.value", () => {
  it("estimateCohort() given one patient's records: no record in the error, the message names patients", async () => {
    const e = (await estimateCohort(wmap, records as never, { workers: 0 }).catch((x: unknown) => x)) as DosewiseError;
    expect(e).toBeInstanceOf(DosewiseError);
    expect(e.code).toBe('E_OPTION');
    expect(e.place.path).toBe('patients');
    expect(e.message).toContain(`this is one list of ${records.length} records: [records] for one patient`);
    const json = JSON.stringify(e.place.value);
    expect(json.length).toBeLessThan(120);
    expect(e.place.value).toMatch(new RegExp(`^an array of ${records.length} items \\(\\d+ characters as JSON\\), not kept in the error$`));
    // no level of the patient's (examples/map-patient.csv: 27.57698 at 1.5 h) anywhere in the error
    expect(JSON.stringify({ place: e.place, message: e.message })).not.toContain('27.57698');
  });

  it('a small value is kept as given; a large one of each kind is summarised', () => {
    expect(Errors.option('start', 'x', [0, 0, 0]).place.value).toEqual([0, 0, 0]);
    // a summary is marked, so that a caller tells it from a string given (valueNotKept)
    expect(Errors.option('start', 'x', [0, 0, 0]).place.valueNotKept).toBeUndefined();
    expect(Errors.option('o', 'x', 'a string of 300 characters').place.valueNotKept).toBeUndefined();
    expect(Errors.option('o', 'x', 'v'.repeat(300)).place).toMatchObject({ value: 'a string of 300 characters', valueNotKept: true });
    expect(Errors.option('o', 'x', new Map(Array.from({ length: 20 }, (_, i) => [i, i]))).place.valueNotKept).toBe(true);
    expect(Errors.option('o', 'x', NaN).place.valueNotKept).toBeUndefined();
    expect(Errors.option('o', 'x', { CL: 4, V: 30 }).place.value).toEqual({ CL: 4, V: 30 });
    expect(Errors.record(2, 'CRCL', '1,5,0,0,1,0,0,0,0', 'x').place.value).toBe('1,5,0,0,1,0,0,0,0');
    expect(Errors.option('o', 'x', NaN).place.value).toBeNaN();
    expect(Errors.option('o', 'x', 'v'.repeat(300)).place.value).toBe('a string of 300 characters');
    expect(Errors.option('o', 'x', new Float64Array(100)).place.value).toMatch(/^a Float64Array of 100 \(\d+ characters as JSON\), not kept in the error$/);
    expect(Errors.option('o', 'x', Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`K${i}`, i]))).place.value).toMatch(/^an object of 40 keys \(/);
    expect(Errors.option('o', 'x', new Map(Array.from({ length: 20 }, (_, i) => [i, i]))).place.value).toBe('a Map of 20');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(Errors.option('o', 'x', cyclic).place.value).toBe('an object of 1 key, not kept in the error');
    // the message is unchanged: it shows the value's start, cut at 64 characters
    expect(Errors.optionValue('o', Array.from({ length: 100 }, (_, i) => i), 'why').message).toMatch(/^o: why \(got \[0,1,2,.*…\)$/);
  });

  it('across a worker boundary the summary is carried as is', () => {
    const e = Errors.option('patients', 'x', Array.from({ length: 500 }, () => ({ DV: 12.5 })));
    const back = fromWorker(workerError(e)) as DosewiseError;
    expect(back.place.value).toBe(e.place.value);
    expect(String(back.place.value)).toMatch(/^an array of 500 items/);
    expect(back.place.valueNotKept).toBe(true);
  });
});

// startWorker(), cohortPool() and estimateCohort() of the browser entry where there is no Web Worker
// (Node: server-side rendering, unit tests without a DOM) threw a bare "ReferenceError: Worker is
// not defined", no code; init() from the same entry already named the main entry to use. They
// refuse now at the call with that DosewiseError (E_ENGINE); on this thread (workers: 0) the cohort
// needs no Worker.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cohortPool, estimateCohort, startWorker } from '../../../src/browser/index.js';
import { DosewiseError } from '../../../src/errors.js';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import wmap from '../../../examples/map-wmap.model.json' with { type: 'json' };

const { records } = readNmtran(readFileSync(new URL('../../../examples/map-patient.csv', import.meta.url), 'utf8'));
const model = defineModel(wmap);
const hint = "in Node, import the main entry 'dosewise' instead of 'dosewise/browser'";

const refusal = async (f: () => unknown): Promise<DosewiseError> => {
  try {
    await f();
  } catch (e) {
    return e as DosewiseError;
  }
  throw new Error('not refused');
};

describe('the browser entry\'s Web Worker calls in Node', () => {
  it('there is no Worker global here (the case under test)', () => {
    expect(typeof (globalThis as { Worker?: unknown }).Worker).toBe('undefined');
  });

  it.each([
    ['startWorker()', () => startWorker()],
    ['cohortPool()', () => cohortPool(2)],
    ['estimateCohort()', () => estimateCohort(model, [records], { workers: 2 })],
    ['estimateCohort()', () => estimateCohort(model, [records])],
  ])('%s: a DosewiseError E_ENGINE naming the call and the main entry, not a ReferenceError', async (call, f) => {
    const e = await refusal(f);
    expect(e).toBeInstanceOf(DosewiseError);
    expect(e.code).toBe('E_ENGINE');
    expect(e.message).toContain(`engine: ${call}: this environment has no Web Worker (Worker is not defined): ${hint}`);
    expect(e.message).not.toMatch(/--\w/);
  });

  it('estimateCohort() with workers: 0 is not refused for want of a Worker: it loads the engine on this thread', async () => {
    // Node's fetch reads no file: URL, so init() of the packaged engine fails here, with its own message
    const e = await refusal(() => estimateCohort(model, [records], { workers: 0 }));
    expect(e.message).toMatch(/the WASM engine file could not be fetched from file:/);
    expect(e.message).not.toContain('Web Worker');
  });
});

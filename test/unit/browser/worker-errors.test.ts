// Errors of the browser entry's worker calls (startWorker(): simulate, estimate, forecast), as an
// app sees them. A thread boundary keeps only an Error's name and message (Comlink's throw
// handler), so an error thrown in the worker reached the page as a plain Error: inline
// `{ code: 'E_OPTION', place: { path: 'gtol' } }`, through worker.estimate only `name:
// 'DosewiseError'`, no code, no place, not `instanceof DosewiseError`. estimateCohort()'s tasks
// kept them (workerError in the worker, fromWorker on the page); every worker call does now.
// And estimate() before init() said "await initEngine(url) first", a function the browser entry
// does not export.
//
// The stand-in of a Web Worker: the real worker module (src/browser/worker.ts) served by the real
// Comlink on one end of a MessageChannel in this thread, startWorker() wrapping the other end; the
// engine is the packaged build/dosewise.wasm, fetched from disk.

import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import type * as ComlinkModule from 'comlink';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { estimate } from '../../../src/bayes/estimate.js';
import { forecast } from '../../../src/bayes/forecast.js';
import { simulate } from '../../../src/engine/simulate.js';
import { DosewiseError } from '../../../src/errors.js';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import type { DataRecord } from '../../../src/regimen/record.js';
import type { DosewiseWorker } from '../../../src/browser/index.js';
import wmap from '../../../examples/map-wmap.model.json' with { type: 'json' };

/** What the worker module exposes on its global scope (Comlink.expose(api) with no endpoint). */
const served = vi.hoisted(() => ({ api: undefined as unknown }));
vi.mock('comlink', async (original) => {
  const real = await original<typeof ComlinkModule>();
  return { ...real, expose: (api: unknown, ep?: ComlinkModule.Endpoint) => (ep === undefined ? void (served.api = api) : real.expose(api, ep)) };
});

const WASM = pathToFileURL(fileURLToPath(new URL('../../../build/dosewise.wasm', import.meta.url)));
const csv = readFileSync(new URL('../../../examples/map-patient.csv', import.meta.url), 'utf8');
const { records } = readNmtran(csv);
const model = defineModel(wmap);
// examples/map-patient.csv: the dose at TIME 24 is data row 5
const zeroDose: DataRecord[] = records.map((r) => (r.EVID === 1 && r.TIME === 24 ? { ...r, AMT: 0 } : r));
const future: DataRecord[] = [...readNmtran('ID,TIME,EVID,AMT,RATE,DV,MDV\n1,48,1,1000,1000,.,1\n1,60,0,.,.,.,0').records];

/** The error a call throws or rejects with (whatever its class). */
async function caught(f: () => unknown): Promise<unknown> {
  try {
    await f();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

let worker: DosewiseWorker;
let start: typeof import('../../../src/browser/index.js').startWorker;
const ports: { close(): void }[] = [];

beforeAll(async () => {
  const real = await vi.importActual<typeof ComlinkModule>('comlink');
  await import('../../../src/browser/worker.js');
  vi.stubGlobal('fetch', async (url: string | URL) => new Response(readFileSync(fileURLToPath(url)), { headers: { 'content-type': 'application/octet-stream' } }));
  vi.stubGlobal(
    'Worker',
    class {
      constructor() {
        const { port1, port2 } = new MessageChannel();
        real.expose(served.api, port2 as unknown as ComlinkModule.Endpoint);
        ports.push(port1, port2);
        return Object.assign(port1, { terminate: () => (port1.close(), port2.close()) });
      }
    },
  );
  const { startWorker } = await import('../../../src/browser/index.js');
  start = startWorker;
  worker = startWorker({ wasm: WASM });
});

afterAll(() => {
  worker.terminate();
  for (const p of ports) p.close();
  vi.unstubAllGlobals();
});

describe('an error thrown in startWorker()\'s worker reaches the page as the same DosewiseError', () => {
  const cases: [string, () => unknown, () => Promise<unknown>][] = [
    ['estimate, gtol −1 (E_OPTION, path gtol)', () => estimate(model, records, { gtol: -1 }), () => worker.estimate(model, records, { gtol: -1 })],
    ['estimate, AMT 0 on a dose (E_RECORD, row 5, column AMT)', () => estimate(model, zeroDose), () => worker.estimate(model, zeroDose)],
    ['simulate, rtol 0 (E_OPTION, path rtol)', () => simulate(model, records, { rtol: 0 }), () => worker.simulate(model, records, { rtol: 0 })],
    ['forecast, draws −5 (E_OPTION, path draws)', () => forecast(model, records, estimate(model, records), future, { draws: -5 }), () => worker.forecast(model, records, future, { draws: -5 })],
  ];
  for (const [name, inline, inWorker] of cases)
    it(`${name}: code, place and message as inline, instanceof DosewiseError (was a plain Error)`, async () => {
      const here = (await caught(inline)) as DosewiseError;
      expect(here).toBeInstanceOf(DosewiseError);
      const there = await caught(inWorker);
      expect(there).toBeInstanceOf(DosewiseError);
      const e = there as DosewiseError;
      expect({ code: e.code, place: e.place, message: e.message, name: e.name }).toEqual({ code: here.code, place: here.place, message: here.message, name: 'DosewiseError' });
    });

  it('the places read: gtol; row 5, column AMT, value 0', async () => {
    expect(((await caught(() => worker.estimate(model, records, { gtol: -1 }))) as DosewiseError).place.path).toBe('gtol');
    expect(((await caught(() => worker.estimate(model, zeroDose))) as DosewiseError).place).toMatchObject({ row: 5, column: 'AMT', value: 0 });
  });

  it('a call that succeeds returns the inline result (the stand-in runs the engine)', async () => {
    const fit = await worker.estimate(model, records);
    expect(fit.eta).toEqual(estimate(model, records).eta);
  });
});

describe('estimate() before init() in the browser names the browser entry\'s init()', () => {
  it('engine() and shippedModule() of the browser loader say "await init() first", not initEngine(url)', async () => {
    vi.resetModules();
    const web = await import('../../../src/engine/load-web.js');
    for (const f of [() => web.engine(), () => web.shippedModule()]) {
      const e = (await caught(f)) as DosewiseError;
      expect(e.code).toBe('E_ENGINE');
      expect(e.message).toContain('init()');
      expect(e.message).not.toContain('initEngine');
    }
  });
});

// A call on a worker after terminate() rejected with Comlink's bare "Error: Proxy has been released
// and is not useable" (no code, not a DosewiseError), a call in flight at terminate() never settled,
// and a second terminate() threw that same bare Error.
describe('calls on a terminated worker', () => {
  const gone = (call: string) => new RegExp(`^worker\\.${call}\\(\\): this worker was terminated; start another with startWorker\\(\\)$`);
  const expectGone = async (p: Promise<unknown>, call: string) => {
    const e = await caught(() => p);
    expect(e).toBeInstanceOf(DosewiseError);
    expect((e as DosewiseError).code).toBe('E_ENGINE');
    expect((e as DosewiseError).message).toMatch(gone(call));
  };

  it('simulate, estimate and forecast after terminate() reject with a DosewiseError E_ENGINE saying so', async () => {
    const w = start({ wasm: WASM });
    expect((await w.estimate(model, records)).eta).toEqual(estimate(model, records).eta);
    w.terminate();
    await expectGone(w.estimate(model, records), 'estimate');
    await expectGone(w.simulate(model, records), 'simulate');
    await expectGone(w.forecast(model, records, future), 'forecast');
  });

  it('a call in flight when terminate() is called rejects the same way (it never settled)', async () => {
    const w = start({ wasm: WASM });
    const pending = w.estimate(model, records);
    w.terminate();
    await expectGone(pending, 'estimate');
  });

  it('terminate() twice is no error; another worker runs', async () => {
    const w = start({ wasm: WASM });
    w.terminate();
    expect(() => w.terminate()).not.toThrow();
    const other = start({ wasm: WASM });
    expect((await other.estimate(model, records)).eta).toEqual(estimate(model, records).eta);
    other.terminate();
  });
});

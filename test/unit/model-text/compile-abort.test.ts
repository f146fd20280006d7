// compileModel(text, { signal }): the kernel compiler sees the signal only before and after it
// runs, so an abort 300 ms into a compile rejected when the compile ended (13.7 s later in the
// report; ~8 s here), and with the bare reason: abort('user closed the page') rejected with that
// string, not an Error. The pools reject at once with the signal's reason where it is an Error,
// else an AbortError naming it (src/pool/run-chunks.ts); compileModel now does the same. A real
// compile aborted midway: compile-thread.test.ts.

import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { fileURLToPath } from 'node:url';

// compileKernel as the module has it, or (fake set) a stand-in that takes `fake` ms and, like the
// real one, looks at the signal only when it ends; every call's promise is kept, so a test can
// wait for a compile that was abandoned to end
const calls: Promise<unknown>[] = [];
let fake: number | undefined;
vi.mock('../../../src/engine/kernel-compiler.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/engine/kernel-compiler.js')>();
  return {
    ...real,
    compileKernel: (source: string, o: import('../../../src/engine/kernel-compiler.js').KernelCompileOptions = {}) => {
      const p =
        fake === undefined
          ? real.compileKernel(source, o)
          : (async () => {
              o.signal?.throwIfAborted();
              o.onCompileStart?.();
              await new Promise((r) => setTimeout(r, fake));
              o.signal?.throwIfAborted();
              throw new Error('the fake compiler has no module');
            })();
      calls.push(p.catch(() => undefined));
      return p;
    },
  };
});

const { compileModel } = await import('../../../src/engine/model-text.js');

const oral = readFileSync(fileURLToPath(new URL('../../../examples/user-models/two-cmt-oral.model', import.meta.url)), 'utf8');
/** A text no cache holds (another absorption rate each time): its kernel must be compiled. */
const fresh = (): string => oral.replace(/TVKA = [0-9.]+/, `TVKA = ${(1.3 + Math.random() / 10).toFixed(12)}`);

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('compileModel and an AbortSignal', () => {
  it('aborted before the start with a string: an AbortError naming the reason (was the bare string), nothing compiled', async () => {
    const ac = new AbortController();
    ac.abort('user closed the page');
    const before = calls.length;
    const e = await rejection(compileModel(fresh(), { cacheDir: false, signal: ac.signal }));
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).name).toBe('AbortError');
    expect((e as Error).message).toBe('compileModel() cancelled: user closed the page');
    expect((e as Error).cause).toBe('user closed the page');
    expect(calls.length).toBe(before);
  });

  it('aborted with no reason: the signal\'s own AbortError, as the pools reject', async () => {
    const ac = new AbortController();
    ac.abort();
    const e = await rejection(compileModel(fresh(), { cacheDir: false, signal: ac.signal }));
    expect(e).toBe(ac.signal.reason);
    expect((e as Error).name).toBe('AbortError');
  });

  it('aborted during a slow compile: rejects at once (was when the compile ended, 3 s here)', async () => {
    fake = 3000;
    try {
      const ac = new AbortController();
      let aborted = 0;
      const p = compileModel(fresh(), { cacheDir: false, signal: ac.signal, onCompileStart: () => void setTimeout(() => ((aborted = performance.now()), ac.abort('user closed the page')), 50) });
      const e = await rejection(p);
      const late = performance.now() - aborted;
      // measured 0.3 ms: the rejection is settled inside abort()
      expect(aborted).toBeGreaterThan(0);
      expect(late).toBeLessThan(100);
      expect((e as Error).name).toBe('AbortError');
      expect((e as Error).message).toBe('compileModel() cancelled: user closed the page');
      await calls.at(-1);
    } finally {
      fake = undefined;
    }
  });
});

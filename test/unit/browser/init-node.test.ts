// init() of the browser entry fetches the packaged engine by its URL; in Node that is a file: URL,
// which Node's fetch does not read, and init() rejected with a bare TypeError "fetch failed". It
// rejects now with a DosewiseError naming the URL and what to use in Node (the main entry), and a
// failed load is not kept: a later init(url) loads again.

import { describe, expect, it } from 'vitest';
import { init, startWorker } from '../../../src/browser/index.js';
import { DosewiseError } from '../../../src/errors.js';

describe('init() from the browser entry in Node', () => {
  it('rejects with a DosewiseError naming the engine URL and the main entry, not "fetch failed" alone', async () => {
    const e = (await init().catch((x: unknown) => x)) as DosewiseError;
    expect(e).toBeInstanceOf(DosewiseError);
    expect(e.message).toMatch(/the WASM engine file could not be fetched from file:\/\/\S+dosewise\.wasm \(fetch failed/);
    expect(e.message).toContain("in Node, import the main entry 'dosewise' instead of 'dosewise/browser'");
    expect(e.message).not.toMatch(/--\w/);
    // not kept: another URL is tried, and named
    const f = (await init('file:///nowhere/engine.wasm').catch((x: unknown) => x)) as DosewiseError;
    expect(f.message).toContain('fetched from file:///nowhere/engine.wasm');
  });
});

describe('the wasm argument of init() and startWorker()', () => {
  it('a value that is not a URL or a string is an option error naming wasm, not a fetch of its text', async () => {
    // init(123) rejected with E_ENGINE "could not be fetched from 123"
    const e = (await init(123 as never).catch((x: unknown) => x)) as DosewiseError;
    expect(e).toBeInstanceOf(DosewiseError);
    expect(e.code).toBe('E_OPTION');
    expect(e.place.path).toBe('wasm');
    expect(e.message).toBe("wasm: init(): wasm is the engine file's URL, a string or a URL (leave it out for the packaged engine) (got number 123)");
    expect(() => startWorker({ wasm: { href: 'x' } as never })).toThrow(/^wasm: startWorker\(\): wasm is the engine file's URL, a string or a URL .*\(got an object\)$/);
  });
});

// init() of the browser entry fetches the packaged engine by its URL; in Node that is a file: URL,
// which Node's fetch does not read, and init() rejected with a bare TypeError "fetch failed". It
// rejects now with a DosewiseError naming the URL and what to use in Node (the main entry), and a
// failed load is not kept: a later init(url) loads again.

import { describe, expect, it } from 'vitest';
import { init } from '../../../src/browser/index.js';
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

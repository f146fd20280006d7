// The kernel cache writes a compiled module under a temporary name registered with src/files.ts,
// so an exit on a signal while it is written (removeTempFiles, what the signal handler runs)
// leaves no *.tmp file in the cache folder, and no half module under the final name.

import * as fs from 'node:fs';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { removeTempFiles } from '../../../src/files.js';
import { compileKernel } from '../../../src/engine/kernel-compiler.js';
import { compileModelText } from '../../../src/model/text/index.js';

/** Paths of the files written while a "signal" arrived, and whether each survived it. */
const seen: { path: string; survived: boolean }[] = [];
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return {
    ...real,
    writeFileSync: (...args: Parameters<typeof real.writeFileSync>) => {
      real.writeFileSync(...args);
      const p = String(args[0]);
      if (p.includes('dosewise-kernel-temp-') && p.includes('.tmp')) {
        // the signal arrives right after the module was written, before the rename
        removeTempFiles();
        seen.push({ path: p, survived: real.existsSync(p) });
      }
    },
  };
});

const cache = mkdtempSync(join(tmpdir(), 'dosewise-kernel-temp-'));
afterAll(() => rmSync(cache, { recursive: true, force: true }));

describe('kernel cache temporary file', () => {
  it('is registered: a signal during the write removes it; nothing half-written stays', async () => {
    const text = `model "cache temp"\ntheta TVCL = 4, TVV = 30\ncompartment CENTRAL\nCL = TVCL\nV = TVV\nd/dt(CENTRAL) = -CL / V * CENTRAL\nobserve = CENTRAL / V\n`;
    const k = await compileKernel(compileModelText(text).source, { cacheDir: cache });
    expect(k.from).toBe('compiler');
    expect(WebAssembly.validate(k.wasm as Uint8Array<ArrayBuffer>)).toBe(true);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.survived).toBe(false);
    expect(readdirSync(cache)).toEqual([]);
    expect(fs.existsSync(join(cache, `${k.key}.wasm`))).toBe(false);
  }, 120_000);
});

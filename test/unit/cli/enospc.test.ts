// A full disk, for real: every temporary output file is opened on /dev/full (writes fail with
// ENOSPC). population and simulate exit 1 with the file named and "no space left on device";
// nothing is left under the final name, no temporary file stays.

import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { cli } from './run-cli.js';

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const full = (p: unknown): unknown => (typeof p === 'string' && p.includes('.tmp-') ? '/dev/full' : p);
  const createWriteStream = ((p: string, o?: object) => fs.createWriteStream(full(p) as string, o)) as typeof fs.createWriteStream;
  const writeFileSync = ((p: string, d: string, o?: object) => fs.writeFileSync(full(p) as string, d, o)) as typeof fs.writeFileSync;
  return { ...fs, default: { ...fs, createWriteStream, writeFileSync }, createWriteStream, writeFileSync };
});

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-full-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('no space left on device', () => {
  it('population: the subject table is named, exit 1, no internal error', async () => {
    const dir = join(tmp, 'pop');
    const r = await cli(['population', '--model', 'examples/wb-population.model.json', '--regimen', 'examples/wb-regimen.json', '--n', '3000',
      '--workers', '0', '--chunk-size', '500', '--no-progress', '--out', dir]);
    expect(r.err).toBe(`dosewise: ${join(dir, 'subjects.csv')}: cannot write (no space left on device, ENOSPC)\n`);
    expect(r.code).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('simulate: the output file is named', async () => {
    const out = join(tmp, 'sim.csv');
    const r = await cli(['simulate', '--model', 'test/conformance/dosing-1001.model.json', '--data', 'test/conformance/nmtests/dosing-1001.csv', '--out', out]);
    // the NONMEM test set's warning about its steady-state constant infusions comes first
    expect(r.err.replace(/^dosewise: warning: .*\n/gm, '')).toBe(`dosewise: ${out}: cannot write (no space left on device, ENOSPC)\n`);
    expect(r.code).toBe(1);
    expect(existsSync(out)).toBe(false);
  });
});

// population --out ro/r, ro a read-only mount, said "ro/r: cannot create the folder (no such file,
// ENOENT)": Node's recursive mkdir reports ENOENT when the nearest existing parent cannot be written.
// That parent and its own refusal are named now. The mount is imitated: mkdir under RO fails as
// Node's does there (ENOENT, recursive; EROFS, not), and access(RO, W_OK) says EROFS.

import { mkdirSync as realMkdir, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { cli } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-ro-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const RO = join(tmp, 'ro');
realMkdir(RO);

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const under = (p: unknown): boolean => typeof p === 'string' && p.startsWith(`${RO}/`);
  const mkdirSync = ((p: string, o?: { recursive?: boolean }) => {
    if (under(p)) throw Object.assign(new Error(`mkdir ${p}`), { code: o?.recursive ? 'ENOENT' : 'EROFS' });
    return fs.mkdirSync(p, o);
  }) as typeof fs.mkdirSync;
  const accessSync = ((p: string, m?: number) => {
    if (p === RO) throw Object.assign(new Error(`access ${p}`), { code: 'EROFS' });
    fs.accessSync(p, m);
  }) as typeof fs.accessSync;
  return { ...fs, default: { ...fs, mkdirSync, accessSync }, mkdirSync, accessSync };
});

describe('an output folder under a read-only folder', () => {
  it('population --out names the parent and the read-only file system (before: no such file, ENOENT)', async () => {
    const out = join(RO, 'r');
    const r = await cli(['population', '--model', 'examples/wb-population.model.json', '--regimen', 'examples/wb-regimen.json', '--n', '10', '--workers', '0', '--no-progress', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.err.replace(/^dosewise: warning: .*\n/gm, '')).toBe(`dosewise: ${out}: cannot create the folder: its parent folder ${RO} cannot be written (read-only file system, EROFS)\n`);
  });

  it('simulate --out DIR/FILE, DIR missing: the same', async () => {
    const out = join(RO, 'a', 'b', 'sim.csv');
    const r = await cli(['simulate', '--model', 'test/conformance/dosing-1001.model.json', '--data', 'test/conformance/nmtests/dosing-1001.csv', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.err.replace(/^dosewise: warning: .*\n/gm, '')).toBe(`dosewise: ${out}: cannot write: its parent folder ${RO} cannot be written (read-only file system, EROFS)\n`);
  });
});

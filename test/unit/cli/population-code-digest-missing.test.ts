// population read build/code-digest.json only after the run (d32eb85): without it 20,000 subjects
// were simulated, then 'engine: build/code-digest.json not found', exit 1, the --out folder left with
// subjects.csv and no summary.json, and without --out no table printed. It is now read before the
// run, and only where a summary is written or a shard's inputs recorded.

import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Errors } from '../../../src/errors.js';
import { cli } from './run-cli.js';

// a package without its build/code-digest.json (as the module finds none)
vi.mock('../../../src/cli/code-identity.js', () => ({
  codeIdentity: () => {
    throw Errors.engine('build/code-digest.json not found; run npm run build');
  },
  codeIdentityIfBuilt: () => undefined,
}));

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-nodigest-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const base = ['population', '--model', 'examples/wb-population.model.json', '--regimen', 'examples/wb-regimen.json', '--n', '50', '--seed', '1', '--metric', 'auc24', '--workers', '0', '--no-progress'];

describe('population without build/code-digest.json', () => {
  it('--out: refused before the run, nothing simulated and nothing written in the folder', async () => {
    const out = join(tmp, 'nodig');
    const r = await cli([...base, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('build/code-digest.json not found');
    expect(r.out).not.toMatch(/subjects in/);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });

  it('--shard without --out: refused (its inputs are what merge compares)', async () => {
    const r = await cli([...base, '--shard', '1/2']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('build/code-digest.json not found');
  });

  it('without --out: runs and prints the table; --json records no build (null)', async () => {
    const r = await cli(base);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/50 subjects in/);
    expect(r.out).toMatch(/auc24/);
    const j = JSON.parse((await cli([...base, '--json'])).out) as { inputs: { code: unknown; version: unknown } };
    expect(j.inputs).toMatchObject({ code: null, version: null });
  });
});

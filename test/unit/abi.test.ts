// The kernel contract has one description (scripts/gen-abi.mjs); the committed AssemblyScript and
// TypeScript constants, the model dispatch and the registry of built-in models must be exactly what
// it generates, or the two sides could disagree silently.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Kind, P, PAR_STRIDE, userSlot, userStride } from '../../src/abi.js';
import { KIND_CODE } from '../../src/model/structure.js';

const repo = resolve(import.meta.dirname, '../..');

describe('ABI description', () => {
  it('the committed abi.generated.ts files equal a fresh generation', () => {
    // exits 1 and names the stale file otherwise
    expect(() => execFileSync(process.execPath, ['scripts/gen-abi.mjs', '--check'], { cwd: repo, stdio: 'pipe' })).not.toThrow();
  });

  it('assembly/ reads parameters by name, never by a literal slot or byte offset', () => {
    const models = readdirSync(resolve(repo, 'assembly/models')).filter((f) => f.endsWith('.ts') && f !== 'user.ts');
    for (const f of ['driver.ts', 'analytic/linear.ts', ...models.map((m) => `models/${m}`)]) {
      const src = readFileSync(resolve(repo, 'assembly', f), 'utf8');
      expect(src, f).not.toMatch(/\bld\(p, *\d/);
      expect(src, f).not.toMatch(/load<f64>\(p, *\d/);
    }
  });

  it('user-model slots skip the shared observation fields', () => {
    const obs = [P.obsIndex, P.obsMode, P.scale];
    const slots = Array.from({ length: 20 }, (_, i) => userSlot(i));
    expect(new Set(slots).size).toBe(slots.length);
    for (const s of slots) expect(obs).not.toContain(s);
    expect(userStride(1)).toBe(PAR_STRIDE);
    expect(userStride(20)).toBe(userSlot(19) + 1);
  });

  it('every model kind of the model files has its kernel code', () => {
    expect(Object.values(KIND_CODE).sort()).toEqual(Object.values(Kind).sort());
  });
});

// Model-text kernel ids name the engine build: src/engine-digest.ts (written by npm run asbuild)
// must be the digest of the engine sources as they are, or modules compiled now would carry the
// name of another build. The id changes with the engine digest and the compiler version.

import { describe, expect, it } from 'vitest';
import { ENGINE_ASC, ENGINE_DIGEST } from '../../../src/engine-digest.js';
import { engineIdentity } from '../../../src/engine/kernel-compiler.js';
import { compileModelText, kernelId } from '../../../src/model/text/index.js';
import { generateKernelSource } from '../../../src/model/text/codegen.js';

const ORAL = `
model "one-compartment oral"
theta TVCL = 4, TVV = 30, TVKA = 1
compartment DEPOT, CENTRAL
CL = TVCL
V = TVV
KA = TVKA
d/dt(DEPOT) = -KA * DEPOT
d/dt(CENTRAL) = KA * DEPOT - CL / V * CENTRAL
observe = CENTRAL / V
`;

describe('engine digest', () => {
  it('src/engine-digest.ts is the digest of assembly/ and asconfig.json as they are (else: npm run asbuild)', () => {
    const id = engineIdentity();
    expect(ENGINE_DIGEST).toBe(id.digest);
    expect(ENGINE_ASC).toBe(id.asc);
  });

  it('the kernel id includes the engine digest and the compiler version', () => {
    const c = compileModelText(ORAL);
    const body = generateKernelSource(c.program, '');
    expect(kernelId(body)).toBe(c.id);
    expect(kernelId(body, { digest: ENGINE_DIGEST, asc: ENGINE_ASC })).toBe(c.id);
    expect(kernelId(body, { digest: ENGINE_DIGEST.replace(/^./, (d) => (d === '0' ? '1' : '0')), asc: ENGINE_ASC })).not.toBe(c.id);
    expect(kernelId(body, { digest: ENGINE_DIGEST, asc: `${ENGINE_ASC}-other` })).not.toBe(c.id);
  });
});

// The engine needs WebAssembly SIMD; a runtime without it gets a sentence naming it, not a
// validation error about byte offsets.

import { describe, expect, it } from 'vitest';
import { NO_SIMD, SIMD_PROBE, requireSimd } from '../../src/engine/simd.js';

describe('WebAssembly SIMD', () => {
  it('the probe is valid here, and only with SIMD', () => {
    expect(WebAssembly.validate(SIMD_PROBE)).toBe(true);
    expect(() => requireSimd()).not.toThrow();
    // 0xfd prefixes every SIMD opcode; the probe without it is not a module
    const probe = SIMD_PROBE.slice();
    probe[probe.indexOf(0xfd)] = 0xff;
    expect(WebAssembly.validate(probe)).toBe(false);
  });

  it('a runtime without SIMD is told so', () => {
    expect(() => requireSimd(() => false)).toThrow(NO_SIMD);
  });
});

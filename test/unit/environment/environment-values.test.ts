// The DOSEWISE_* choice variables took only their exact lower-case values and ignored any other
// without a word: DOSEWISE_MAP_WASM=OFF (or 0, false, a typo) left the engine's MAP path on
// (mapFastLevel() 'bfgs'), so a measurement of the JavaScript path measured the engine's, and
// DOSEWISE_MALLOC_PRIME=off or DOSEWISE_BACKGROUND_COMPILE=false left on what they turn off. Now a
// value is matched in any case and any other is refused (E_OPTION; the command line exits 2 before
// it starts), naming the variable, the value and the values it takes (src/environment.ts).

import { afterEach, describe, expect, it, vi } from 'vitest';
import { DosewiseError } from '../../../src/errors.js';
import { environmentSetting } from '../../../src/environment.js';
import { cli } from '../cli/run-cli.js';

const NAMES = ['DOSEWISE_MAP_WASM', 'DOSEWISE_MALLOC_PRIME', 'DOSEWISE_BACKGROUND_COMPILE', 'DOSEWISE_V8_INLINING'] as const;
const saved = Object.fromEntries(NAMES.map((n) => [n, process.env[n]]));
afterEach(() => {
  for (const n of NAMES) {
    if (saved[n] === undefined) delete process.env[n];
    else process.env[n] = saved[n];
  }
});

function refusal(f: () => unknown): DosewiseError {
  try {
    f();
  } catch (e) {
    if (e instanceof DosewiseError) return e;
    throw e;
  }
  throw new Error('not refused');
}

describe('DOSEWISE_MAP_WASM', () => {
  it('OFF in capitals turns the engine path off (it stayed on: bfgs)', async () => {
    process.env.DOSEWISE_MAP_WASM = 'OFF';
    vi.resetModules();
    const fresh = await import('../../../src/bayes/map-fast.js');
    expect(fresh.mapFastLevel()).toBe('off');
  });

  it('every level in any case and with blanks; unset or empty: bfgs', () => {
    for (const [given, level] of [['off', 'off'], [' Batch ', 'batch'], ['GRADIENT', 'gradient'], ['bfgs', 'bfgs'], ['', 'bfgs']] as const) {
      process.env.DOSEWISE_MAP_WASM = given;
      expect(environmentSetting('DOSEWISE_MAP_WASM')).toBe(level);
    }
    delete process.env.DOSEWISE_MAP_WASM;
    expect(environmentSetting('DOSEWISE_MAP_WASM')).toBe('bfgs');
  });

  it('0, false and a typo are refused, naming the variable, the value and the values', () => {
    for (const given of ['0', 'false', 'offf']) {
      process.env.DOSEWISE_MAP_WASM = given;
      const e = refusal(() => environmentSetting('DOSEWISE_MAP_WASM'));
      expect(e.code).toBe('E_OPTION');
      expect(e.message).toBe(`the environment variable DOSEWISE_MAP_WASM is "${given}", which is none of the values it takes: off, batch, gradient, bfgs (in any case), or unset (bfgs)`);
    }
  });

  it('the command line refuses it before it starts (exit 2; it ran with the engine path, exit 0)', async () => {
    process.env.DOSEWISE_MAP_WASM = 'offf';
    const r = await cli(['estimate', '--model', 'examples/map-wmap.model.json', '--data', 'examples/map-patient.csv']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain('dosewise: the environment variable DOSEWISE_MAP_WASM is "offf", which is none of the values it takes: off, batch, gradient, bfgs');
  });
});

describe('the switches and the inlining budget', () => {
  it('DOSEWISE_MALLOC_PRIME and DOSEWISE_BACKGROUND_COMPILE: 0/off/false/no and 1/on/true/yes in any case', () => {
    for (const name of ['DOSEWISE_MALLOC_PRIME', 'DOSEWISE_BACKGROUND_COMPILE'] as const) {
      for (const w of ['0', 'OFF', 'False', 'no']) {
        process.env[name] = w;
        expect(environmentSetting(name)).toBe(false);
      }
      for (const w of ['1', 'On', 'TRUE', 'yes', '']) {
        process.env[name] = w;
        expect(environmentSetting(name)).toBe(true);
      }
      process.env[name] = 'disabled';
      expect(refusal(() => environmentSetting(name)).message).toBe(`the environment variable ${name} is "disabled", which is none of the values it takes: 0, off, false, no; 1, on, true, yes (in any case), or unset (on)`);
    }
  });

  it('DOSEWISE_V8_INLINING: default or reduced; another value is refused', async () => {
    process.env.DOSEWISE_V8_INLINING = 'Default';
    expect(environmentSetting('DOSEWISE_V8_INLINING')).toBe('default');
    process.env.DOSEWISE_V8_INLINING = 'v8';
    expect(refusal(() => environmentSetting('DOSEWISE_V8_INLINING')).message).toContain('takes: reduced, default (in any case), or unset (reduced)');
    const r = await cli(['estimate', '--model', 'examples/map-wmap.model.json', '--data', 'examples/map-patient.csv']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('DOSEWISE_V8_INLINING is "v8"');
  });
});

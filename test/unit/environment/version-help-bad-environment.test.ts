// 105f01c refuses a DOSEWISE_* choice variable set to a value it does not take before the command
// line starts (exit 2). It refused `dosewise --version` and `--help` too
// DOSEWISE_MAP_WASM=xyz dosewise --version exited 2 with the environment error), which read no tuning
// variable. They now answer (exit 0); a command that runs is still refused before it starts.

import { afterEach, describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { packageFolder } from '../../../src/cli/package-folder.js';

const NAMES = ['DOSEWISE_MAP_WASM', 'DOSEWISE_V8_INLINING'] as const;
const saved = Object.fromEntries(NAMES.map((n) => [n, process.env[n]]));
afterEach(() => {
  for (const n of NAMES) {
    if (saved[n] === undefined) delete process.env[n];
    else process.env[n] = saved[n];
  }
});

describe('--version and --help with a DOSEWISE_* variable holding a bad value', () => {
  it('--version prints the version, exit 0 (it exited 2)', async () => {
    process.env.DOSEWISE_MAP_WASM = 'xyz';
    process.env.DOSEWISE_V8_INLINING = 'v8';
    const r = await cli(['--version']);
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe(packageFolder().version);
    expect(r.err).toBe('');
  });

  it('--help, and a command\'s --help, print the help, exit 0', async () => {
    process.env.DOSEWISE_MAP_WASM = 'xyz';
    for (const args of [['--help'], ['simulate', '--help'], ['help', 'estimate']]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.out).toMatch(/Usage: dosewise/);
      expect(r.err).toBe('');
    }
  });

  it('a command that runs is still refused before it starts (exit 2, nothing written)', async () => {
    process.env.DOSEWISE_MAP_WASM = 'xyz';
    const r = await cli(['simulate', '--model', '1cmt-iv', '--data', 'examples/map-patient.csv']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain('the environment variable DOSEWISE_MAP_WASM is "xyz"');
  });
});

// The pta and band commands in process (their register functions on a commander program), and
// the vancomycin inputs both command tests use.

import { Command, CommanderError } from 'commander';
import { registerPta } from '../../../src/cli/pta.js';
import { registerBand } from '../../../src/cli/band.js';

/** Runs `dosewise ARGS` with pta and band registered; stdout and stderr of commander together. */
export async function cli(args: string[]): Promise<string> {
  let out = '';
  const p = new Command('dosewise').exitOverride().configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (out += s) });
  registerPta(p, (s) => (out += s));
  registerBand(p, (s) => (out += s));
  try {
    await p.parseAsync(['node', 'dosewise', ...args]);
  } catch (e) {
    if (e instanceof CommanderError && e.exitCode === 0) return out;
    throw e;
  }
  return out;
}

export const vanco = ['--model', 'vancomycin_goti_2018', '--covariates', 'examples/design-vancomycin-covariates.json'];
export const regs = [500, 750, 1000, 1250].map((d) => `examples/design-vancomycin-q12h-${d}.json`);
export const quick = ['--n', '2000', '--seed', '1', '--workers', '0', '--no-progress'];

// Runs the dosewise command line in process (run(argv, stdout)), capturing stdout, stderr and the exit code.

import { run } from '../../../src/cli/main.js';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

export async function cli(args: string[]): Promise<CliResult> {
  let out = '';
  let err = '';
  const orig = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((s: string | Uint8Array) => ((err += String(s)), true)) as typeof process.stderr.write;
  try {
    const code = await run(['node', 'dosewise', ...args], (s) => void (out += s));
    return { code, out, err };
  } finally {
    process.stderr.write = orig;
  }
}

// The README's "Advice from now" output, shown "as printed", left out the header's "— 1 warning
// (stderr)" and the W_COVARIATE_DEFAULT (DIAL) warning the command gives; its block is not run by
// readme-examples (an output, not a command). Here the command above it runs and its stderr then
// stdout must be the block, line for line. The example lives in docs/dose-design.md since the
// README's reference moved to docs/ (2026-12-07).

import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerOptimize } from '../../../src/cli/optimize.js';

afterEach(() => vi.restoreAllMocks());

const MARK = '<!-- readme-test: not run: the output of the command above, as printed -->';

/** The documented advice command (continuation lines joined) and the output block after it. */
function example(): { args: string[]; shown: string } {
  const md = readFileSync('docs/dose-design.md', 'utf8');
  const at = md.indexOf(MARK);
  const sh = md.lastIndexOf('```sh\n', at);
  const command = md.slice(sh + 6, md.indexOf('```', sh + 6)).replace(/\\\n\s*/g, ' ').split('\n').filter((l) => l.trim().startsWith('dosewise'))[0] as string;
  const args = [...command.matchAll(/'([^']*)'|(\S+)/g)].map((m) => (m[1] ?? m[2]) as string).slice(1);
  const open = md.indexOf('```\n', at) + 4;
  return { args, shown: md.slice(open, md.indexOf('```', open)) };
}

describe('README: the advice example output is what the command prints', () => {
  it('stderr (W_COVARIATE_DEFAULT for DIAL) then stdout, with "— 1 warning (stderr)"', async () => {
    const { args, shown } = example();
    expect(args[0]).toBe('optimize');
    const err: string[] = [];
    let out = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
    const p = new Command('dosewise').exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
    registerOptimize(p, (s) => void (out += s));
    await p.parseAsync(['node', 'dosewise', ...args]);
    vi.restoreAllMocks();
    expect(shown).toMatch(/— 1 warning \(stderr\)/);
    expect(shown).toMatch(/W_COVARIATE_DEFAULT: .*DIAL/);
    expect(shown.trimEnd()).toBe((err.join('') + out).trimEnd());
  }, 120_000);
});

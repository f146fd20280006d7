// Degenerate targets ran without a word: auc24:400:400 (a window of one value: PTA 0 % for every
// regimen, "no feasible regimen"), tabove:8:0 and peak/mic:8:0 (a minimum of 0: 100 % whatever the
// dose), auc24:400:600,auc24:300:500 (two clauses on one metric, judged as their intersection
// 400–500). Each is now warned (W_TARGET_DEGENERATE) naming the clause, by optimize, pta and band.

import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseTarget, targetWarnings } from '../../../src/design/targets/targets.js';
import { registerPta } from '../../../src/cli/pta.js';

afterEach(() => vi.restoreAllMocks());

describe('W_TARGET_DEGENERATE', () => {
  it('names the point window, the minimum of 0 and the clauses on one metric', () => {
    expect(targetWarnings(parseTarget('auc24:400:400'))).toEqual([
      'W_TARGET_DEGENERATE: target auc24:400:400: a window of one value (400); no exposure falls in it but by chance, so every regimen reads 0 %: give a range (e.g. auc24:360:440)',
    ]);
    expect(targetWarnings(parseTarget('tabove:8:0'))[0]).toMatch(/^W_TARGET_DEGENERATE: target tabove:8:0: a minimum of 0 always holds: every regimen reads 100 %/);
    expect(targetWarnings(parseTarget('peak/mic:8:0'))[0]).toMatch(/target peak\/mic:8:0: a minimum of 0 always holds/);
    expect(targetWarnings(parseTarget('auc24:400:600,auc24:300:500'))).toEqual([
      'W_TARGET_DEGENERATE: target auc24:400:600 and auc24:300:500: two clauses on auc24, both judged: the target is their intersection, auc24:400:500',
    ]);
    expect(targetWarnings(parseTarget('trough:10:,trough::20'))[0]).toMatch(/intersection, trough:10:20$/);
    expect(targetWarnings(parseTarget('auc24:400:600,auc24:700:800'))[0]).toMatch(/no value is in both: every regimen reads 0 %$/);
  });
  it('realistic targets are silent (fu= clauses on a metric are another metric)', () => {
    for (const t of ['auc24:400:600', 'auc24:400:600,trough::20', 'tabove:8:0.5', 'peak/mic:1:8', 'fu=0.5/auc24:200:300,auc24:400:600', 'tabove:1:0.5,tabove:4:0.3'])
      expect(targetWarnings(parseTarget(t)), t).toEqual([]);
  });
  it('pta says it on standard error', async () => {
    const err: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
    const p = new Command('dosewise').exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
    registerPta(p, () => {});
    await p.parseAsync(['node', 'dosewise', 'pta', '--model', 'vancomycin_goti_2018', '--covariates', 'examples/design-vancomycin-covariates.json', '--regimens', 'examples/design-vancomycin-q12h-1000.json', '--target', 'auc24:400:400', '--n', '100', '--seed', '1', '--workers', '0', '--no-progress']);
    vi.restoreAllMocks();
    expect(err.join('')).toMatch(/dosewise: warning: W_TARGET_DEGENERATE: target auc24:400:400/);
  });
});

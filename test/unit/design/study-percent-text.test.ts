// study printed a fraction in the window of 0 or 100 % as "100.0%  0.0%" (± SE 0), as if certain,
// where pta, optimize and W_SMALL_BAND give the 95 % Wilson interval there: the table now writes it
// with pta's ptaCellText. The example patient's P(target) had no ±: it is now written as optimize
// writes a candidate's, over 10,000 posterior draws (1,000 before: SE ~1.6 percentage points; ~0.2 s more).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-study-pct-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// 95 % Wilson interval of n of n: [n / (n + z²), 1] (closed form)
const Z = 1.959963984540054;
const allOf = (n: number): string => `100.0% [${((100 * n) / (n + Z * Z)).toFixed(1)}, 100.0]`;

describe('study vancomycin --n 10 --seed 2', () => {
  it('a strategy at 100 % in the window reads its Wilson interval; others ± SE; P(target) ± SE over 10,000 draws', async () => {
    const r = await cli(['study', 'vancomycin', '--n', '10', '--seed', '2', '--workers', '0', '--no-progress', '--report', join(tmp, 'r')]);
    expect(r.code, r.err).toBe(0);
    const row = (label: string): string => r.out.split('\n').find((l) => l.startsWith(label)) ?? '';
    expect(allOf(10)).toBe('100.0% [72.2, 100.0]');
    // the individual optimum: all 10 in the window (read "100.0%   0.0%")
    expect(row('Individual optimum')).toContain(allOf(10));
    expect(r.out).not.toMatch(/ ± 0\.0\b/);
    // 8 of 10: SE √(0.8·0.2/10) = 12.6 percentage points
    expect(row('Fixed dose')).toContain('80.0% ± 12.6');
    expect(r.out).toMatch(/P\(target\) \d+\.\d% ± \d\.\d over 10,000 draws; true AUC24/);
  }, 60_000);
});

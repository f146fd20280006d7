// A parameter ratio written as a percentage (CL with an inhibitor "45" for 45 % of the reference) ran
// as a 45-fold clearance: AUC ratio 0.02 and "adjust ×45", exit 0 (dec92b4 then refused every ratio
// above 30). But strong inducers give CL/F ratios of about 20–50 (rifampicin on oral midazolam ~25,
// on oral S-verapamil ~30: the file rel.json ratio 32 was refused with no way to enter it). Now a ratio
// above 30 is read as stated and warned loudly, W_RATIO_PERCENT naming the effect and the fraction
// a percentage meant ("if you meant 45 %, write 0.45"); one above 10 carries a note in its row;
// only what cannot be a ratio (≤ 0) is refused.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { parseEffects, relevance } from '../../../src/design/relevance/relevance.js';
import { registerRelevance } from '../../../src/cli/relevance.js';

afterEach(() => vi.restoreAllMocks());

describe('relevance: a ratio written as a percentage', () => {
  it('ratio 45 (45 %) is read as stated and warned, naming the effect and 0.45', () => {
    const t = relevance([{ label: 'strong inhibitor', on: 'CL', ratio: 45, lo: 38, hi: 53 }]);
    expect(t.rows[0]!.ratio).toBeCloseTo(1 / 45, 12);
    expect(t.warnings).toHaveLength(1);
    expect(t.warnings![0]).toMatch(/^W_RATIO_PERCENT: effect 1 \(strong inhibitor\): ratio 45 is read as a 45-fold change of CL.*if you meant 45 %, write 0\.45 \(and lo, hi likewise\)/);
    expect(parseEffects([{ label: 'inh', on: 'CL', ratio: 45, lo: 38, hi: 53 }], 'eff.json')[0]!.ratio).toBe(45);
    // 150 (150 %) on F: warned, naming 1.5
    expect(relevance([{ label: 'food', on: 'F', ratio: 150 }]).warnings![0]).toMatch(/ratio 150 .*write 1\.5$/);
  });
  it('a strong real induction above 30 is not refused: rifampicin CL/F ×32 (t5 rel.json)', () => {
    const t = relevance([{ label: 'rifampicin on oral S-verapamil', on: 'CL/F', ratio: 32, lo: 24, hi: 43 }]);
    expect(t.rows[0]!.ratio).toBeCloseTo(1 / 32, 12);
    expect(t.rows[0]!.verdict).toBe('adjust');
    expect(t.warnings![0]).toMatch(/W_RATIO_PERCENT: effect 1 .*32-fold change of CL\/F/);
  });
  it('a strong but real ratio is read as stated: CL/F ×25 (rifampicin), with a note above 10 and no warning', () => {
    const t = relevance([{ label: 'rifampicin', on: 'CL/F', ratio: 25, lo: 20, hi: 32 }]);
    const r = t.rows[0]!;
    expect(r.ratio).toBeCloseTo(1 / 25, 12);
    expect(r.note).toMatch(/25-fold change of CL\/F; if 25 % was meant, write 0\.25/);
    expect(t.warnings).toBeUndefined();
    const ordinary = relevance([{ label: 'inducer', on: 'CL', ratio: 1.6, lo: 1.4, hi: 1.9 }]);
    expect(ordinary.rows[0]!.note ?? '').not.toMatch(/fold/);
    expect(ordinary.warnings).toBeUndefined();
  });
  it('what cannot be a ratio (≤ 0) is refused', () => {
    expect(() => relevance([{ label: 'x', on: 'CL', ratio: 0 }])).toThrow(/effect 1 \(x\): ratio must be a number > 0 \(got 0\)/);
    expect(() => relevance([{ label: 'x', on: 'CL', ratio: -2 }])).toThrow(/ratio must be a number > 0 \(got -2\)/);
  });
  it('the command says W_RATIO_PERCENT on standard error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dosewise-relevance-pct-'));
    try {
      const f = join(dir, 'eff.json');
      writeFileSync(f, JSON.stringify([{ label: 'strong inhibitor', on: 'CL', ratio: 45, lo: 38, hi: 53 }]));
      const err: string[] = [];
      const out: string[] = [];
      vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
      const p = new Command('dosewise').exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
      registerRelevance(p, (s) => out.push(s));
      await p.parseAsync(['node', 'dosewise', 'relevance', '--effects', f]);
      vi.restoreAllMocks();
      expect(err.join('')).toMatch(/dosewise: warning: W_RATIO_PERCENT: effect 1 \(strong inhibitor\): ratio 45 .*write 0\.45/);
      expect(out.join('')).toMatch(/strong inhibitor/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// The README's benchmark summary quotes "the latest" figure of each row of docs/benchmarks.md, so
// each row names one run as the latest: the W-e scaling row called both its 1.33× run (2026-12-04,
// second) and its 1.36× run (2026-12-04, first) "the latest full bench run", and the README's W-map
// warm cell gave the full runs' ×1.67–1.68 as the latest where the row ends with W-map alone at
// ×1.77 and ×1.78.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const docs = readFileSync('docs/benchmarks.md', 'utf8').split('\n');
const readme = readFileSync('README.md', 'utf8').split('\n');
const row = (lines: string[], start: string) => lines.find((l) => l.startsWith(start)) ?? '';

describe('benchmark figures: one latest per row', () => {
  it('the W-e scaling row calls one run "the latest full bench run"', () => {
    expect(row(docs, '| W-e | scaling 1 → 2 workers').match(/the latest full bench run/g)).toHaveLength(1);
    expect(row(docs, '| W-e | scaling 1 → 2 workers')).toContain('the full bench run before it (2026-12-04, first) 1.90 → 1.40 s, 1.36×');
  });

  it("the README's W-e scaling figure is the docs row's latest full run", () => {
    expect(row(docs, '| W-e | scaling 1 → 2 workers')).toContain('1.33× in the latest full bench run (2026-12-04, second');
    expect(row(readme, '| W-e scaling 1 → 2 workers')).toContain('1.33× (latest full run)');
  });

  it("the README's W-map warm cell gives the full runs and the latest runs of W-map alone, each as such", () => {
    const d = row(docs, '| W-map | the same 10,000 patients again');
    expect(d).toMatch(/W-map alone: ×1\.78 and ×1\.77/);
    const r = row(readme, '| W-map the same patients again, warm pool');
    expect(r).toContain('×1.67–1.68 in the full runs; ×1.77–1.78 in the latest runs of W-map alone');
  });
});

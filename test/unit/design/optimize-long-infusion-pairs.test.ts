// optimize refused the whole grid when one infusion was longer than one interval (--intervals 24,168
// --infusions 0.5,30: "an infusion longer than the interval (24 h) is not a maintenance regimen"),
// though 30 h at q168h is a regimen. Such pairs are left out and counted, as advice does.

import { describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';

const base = ['optimize', '--model', 'examples/map-wmap.model.json', '--data', 'examples/map-patient.csv', '--target', 'auc24:400:600', '--doses', '500:2000:500', '--draws', '50', '--no-sir'];

describe('optimize: an infusion longer than an interval', () => {
  it('leaves out the pair, counts it, and ranks the others', async () => {
    const r = await cli([...base, '--intervals', '24,168', '--infusions', '0.5,30', '--json']);
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out)[0] as { leftOut: number; evaluated: number; ranked: { interval: number; infusion: number }[] };
    expect(out.leftOut).toBe(1);
    expect(out.ranked.some((c) => c.interval === 24 && c.infusion === 30)).toBe(false);
    // 4 doses × the three other pairs (24/0.5, 168/0.5, 168/30)
    expect(out.evaluated).toBe(12);
    const t = await cli([...base, '--intervals', '24,168', '--infusions', '0.5,30']);
    expect(t.out).toMatch(/\(1 interval × infusion pair with the infusion longer than the interval left out\)/);
  });
  it('refuses a grid where every infusion is longer than every interval', async () => {
    const r = await cli([...base, '--intervals', '12,24', '--infusions', '30']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/every infusion is longer than every interval \(the longest 24 h\)/);
  });
});

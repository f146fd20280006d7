// dosewise optimize through the CLI: JSON result per ID, readable table, bad arguments refused.

import { describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/main.js';

const args = ['node', 'dosewise', 'optimize', '--model', 'examples/map-wmap.model.json', '--data', 'examples/map-patient.csv',
  '--target', 'auc24:400:600', '--doses', '250:3000:250', '--intervals', '12,24', '--infusions', '1', '--draws', '200'];

describe('dosewise optimize', () => {
  it('prints the ranked regimens as JSON', async () => {
    let out = '';
    expect(await run([...args, '--json'], (s) => void (out += s))).toBe(0);
    const res = JSON.parse(out);
    expect(res[0].id).toBe(1);
    expect(res[0].feasible).toBe(true);
    expect(res[0].ranked[0].pta).toBeGreaterThan(0.9);
  });

  it('refuses a malformed dose list', async () => {
    const orig = process.stderr.write.bind(process.stderr);
    let err = '';
    process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
    try {
      expect(await run([...args.slice(0, 10), 'a,b', ...args.slice(11)], () => undefined)).toBe(2);
    } finally {
      process.stderr.write = orig;
    }
    expect(err).toMatch(/--doses a,b/);
  });
});

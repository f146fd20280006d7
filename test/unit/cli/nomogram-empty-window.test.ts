// nomogram --trough-min 20 --trough-max 10 ran and every cell read "no interval meets the
// constraints". A min/max pair that leaves no value is refused, naming both options (CLI) or both
// fields (library); --min-dose above --max-dose already was.

import { describe, expect, it } from 'vitest';
import { loadModel } from '../../../src/cli/model-arg.js';
import { nomogram } from '../../../src/design/nomogram/nomogram.js';
import { cli } from './run-cli.js';

const base = ['nomogram', '--model', 'vancomycin_goti_2018', '--target', 'auc24=500', '--interval', '12', '--infusion', '1', '--grid', 'CRCL=30,90', '--set', 'WT=70'];

describe('nomogram: an empty concentration window', () => {
  it('--trough-min above --trough-max', async () => {
    const r = await cli([...base, '--trough-min', '20', '--trough-max', '10']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe('dosewise: --trough-min 20 is above --trough-max 10: no trough is allowed\n');
  });

  it('--trough-min above --peak-max', async () => {
    const r = await cli([...base, '--trough-min', '20', '--peak-max', '15']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('dosewise: --trough-min 20 is above --peak-max 15: a trough is never above its peak, so no regimen is allowed\n');
  });

  it('--min-dose above --max-dose (unchanged)', async () => {
    const r = await cli([...base, '--min-dose', '500', '--max-dose', '250']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('dosewise: --min-dose 500 is above --max-dose 250: no dose is allowed\n');
  });

  it('equal bounds still run (a window of one value)', async () => {
    const r = await cli([...base, '--trough-min', '10', '--trough-max', '10']);
    expect(r.code, r.err).toBe(0);
  });

  it('the library refuses them as E_OPTION troughMin, naming both fields', async () => {
    const model = await loadModel('vancomycin_goti_2018');
    const o = { target: { metric: 'auc24' as const, value: 500 }, intervals: [12], infusion: 1, grid: [{ name: 'CRCL', values: [30, 90] }], fixed: { WT: 70 } };
    expect(() => nomogram(model, { ...o, troughMin: 20, troughMax: 10 })).toThrow(expect.objectContaining({ code: 'E_OPTION', place: expect.objectContaining({ path: 'troughMin' }), message: 'nomogram: troughMin 20 is above troughMax 10: no trough is allowed' }));
    expect(() => nomogram(model, { ...o, troughMin: 20, peakMax: 15 })).toThrow('nomogram: troughMin 20 is above peakMax 15: a trough is never above its peak');
  });
});

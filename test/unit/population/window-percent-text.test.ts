// population's table printed window fractions at 0.1 %: 2 below and 1 above of 10,000 read
// "below 0.0% in 100.0% above 0.0%" (fracIn 0.9997 in JSON), where pta prints "99.97". It now
// writes them as pta does: one decimal, more where a fraction short of 1 or above 0 would read 100.0 or 0.0.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-pct-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const base = ['population', '--model', 'examples/wb-population.model.json', '--regimen', 'examples/wb-regimen.json', '--n', '10000', '--seed', '11', '--metric', 'auc24', '--workers', '0', '--no-progress'];

describe('population window fractions in text', () => {
  it('2 below and 1 above of 10,000 read 0.02%, 99.97%, 0.01%; a window holding all reads 0.0%, 100.0%, 0.0%', async () => {
    const first = await cli([...base, '--out', join(tmp, 't')]);
    expect(first.code).toBe(0);
    const lines = readFileSync(join(tmp, 't', 'subjects.csv'), 'utf8').trim().split('\n');
    const col = (lines[0] as string).split(',').indexOf('auc24');
    const v = lines.slice(1).map((l) => Number(l.split(',')[col])).sort((a, b) => a - b);
    expect(v.length).toBe(10000);
    // midway between subjects: 2 below the window, 1 above it
    const lo = ((v[1] as number) + (v[2] as number)) / 2;
    const hi = ((v[9998] as number) + (v[9999] as number)) / 2;
    const r = await cli([...base, '--window', `auc24=${lo}:${hi}`]);
    expect(r.code).toBe(0);
    const row = r.out.split('\n').find((l) => /^\s*auc24\s/.test(l)) as string;
    expect(row.trim().split(/\s+/).slice(-3)).toEqual(['0.02%', '99.97%', '0.01%']);
    const j = await cli([...base, '--window', `auc24=${lo}:${hi}`, '--json']);
    expect(JSON.parse(j.out).metrics[0].report.fracIn).toBe(0.9997);

    const all = await cli([...base, '--window', `auc24=${(v[0] as number) / 2}:${2 * (v[9999] as number)}`]);
    const row2 = all.out.split('\n').find((l) => /^\s*auc24\s/.test(l)) as string;
    expect(row2.trim().split(/\s+/).slice(-3)).toEqual(['0.0%', '100.0%', '0.0%']);
  }, 120_000);
});

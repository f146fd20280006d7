// simulate --json keeps a cell read as no number (a DATE) as its text, as the CSV keeps the file's
// cells: the chart's dates printed null. TIME stays in hours since the first record, as simulated.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dosewise-simjson-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('simulate --json on a chart with dates and clock times', () => {
  it('DATE as its text, TIME in hours, "." as null', async () => {
    const f = join(dir, 'chart.csv');
    writeFileSync(f, 'ID,DATE,TIME,EVID,AMT,DV,MDV\n1,03/28/2026,20:00,1,100,.,1\n1,03/29/2026,08:00,0,.,.,0\n');
    const r = await cli(['simulate', '--model', '1cmt-iv', '--data', f, '--json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.out) as Record<string, unknown>[];
    expect(rows.map((x) => x.DATE)).toEqual(['03/28/2026', '03/29/2026']);
    expect(rows.map((x) => x.TIME)).toEqual([0, 12]);
    expect(rows[0]?.DV).toBeNull();
    // 1cmt-iv's defaults, CL 5 and V 50: 100/50·e^(−0.1·12)
    expect(Math.abs((rows[1]?.IPRED as number) / (2 * Math.exp(-1.2)) - 1)).toBeLessThan(1e-12);
  });
});

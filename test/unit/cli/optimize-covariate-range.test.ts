// optimize without --from counted the estimate's W_COVARIATE_RANGE ("1 warning (stderr)") but never
// printed it: warnLevels leaves the range to its callers, and only estimate, forecast and --from
// advice said it. WT 300 under a range of 40–150 is now said once for the ID, and the count
// matches the lines printed for that ID.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-opt-range-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

const model = file('wt.json', JSON.stringify({
  dosewise: 2, name: 'wtmodel', structure: { kind: 'linear', compartments: 1, depot: false },
  parameters: { CL: '5*(WT/70)^0.75*exp(ETA_CL)', V: '50*(WT/70)*exp(ETA_V)' },
  covariates: { WT: { unit: 'kg', range: [40, 150], default: 70 } },
  omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.09, 0.04] },
  residual: { model: 'proportional', proportional: 0.15 },
}));
const data = file('wt300.csv', 'ID,TIME,EVID,AMT,RATE,SS,II,DV,MDV,WT\n1,0,1,1000,1000,0,0,.,1,300\n1,2,0,.,.,0,0,12,0,300\n');

describe('optimize without --from says the covariate range it counts', () => {
  it('WT 300 outside 40–150: the line is printed once and the count equals the lines for the ID', async () => {
    const r = await cli(['optimize', '--model', model, '--data', data, '--target', 'auc24:400:600', '--doses', '500,1000', '--intervals', '12', '--infusions', '1', '--draws', '200', '--no-progress']);
    expect(r.code, r.err).toBe(0);
    const lines = r.err.split('\n').filter((l) => l.includes('wt300.csv, ID 1'));
    expect(lines.filter((l) => /WT/.test(l) && /40/.test(l) && /150/.test(l))).toHaveLength(1);
    const counted = /ID 1: .* — (\d+) warnings? \(stderr\)/.exec(r.out);
    expect(counted, r.out).not.toBeNull();
    expect(lines).toHaveLength(Number(counted?.[1]));
  });
});

// pta with one candidate regimen failing for every subject: failures count as not attaining, so that
// regimen's PTA is 0 and the result is complete; the command printed the table and then exited 1
// ("every simulation of … failed … no PTA could be computed"). Only a run in which every regimen
// failed for every subject has no PTA to give.
//
// The model's VMAX is the same for everybody (100 mg/h): a dose above VMAX·τ = 1200 mg per 12 h has
// no periodic steady state in anyone, one below it has one in everyone.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { tempDir } from '../temp-files.js';

const dir = tempDir('dw-pta-allfailed-');
const model = join(dir, 'mm.json');
writeFileSync(
  model,
  JSON.stringify({
    dosewise: 2,
    name: 'mm',
    structure: { kind: 'michaelis-menten', compartments: 1, depot: false },
    parameters: { V: '40*exp(ETA_V)', VMAX: '100', KM: 10 },
    omega: { etas: ['ETA_V'], diagonal: [0.09] },
    residual: { model: 'proportional', proportional: 0.1 },
  }),
);
const reg = (amt: number): string => {
  const f = join(dir, `mm${amt}.json`);
  writeFileSync(f, JSON.stringify({ doses: [{ time: 0, amt, cmt: 1, dur: 1, ii: 12, ss: 1, addl: 1 }], observe: [{ grid: { from: 0, to: 24, step: 0.5 } }] }));
  return f;
};
const base = ['pta', '--model', model, '--target', 'auc24:100:2000', '--n', '200', '--workers', '0', '--no-progress'];

interface Row {
  name: string;
  failed: number;
  overall: { n: number; attained: number; pta: number; failed: number };
}

describe('pta: a regimen failing for every subject has PTA 0', () => {
  it('800 mg and 3000 mg q12h: exit 0, 3000 mg at 0 % with 200 failed, 800 mg as when run alone', async () => {
    const r = await cli([...base, '--regimen', reg(800), '--regimen', reg(3000), '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { regimens: Row[]; best: string; ranking: string[] };
    const [r800, r3000] = j.regimens as [Row, Row];
    // 3000 > 1200 = VMAX·τ for every subject; 800 < 1200
    expect(r3000).toMatchObject({ name: 'mm3000', failed: 200, overall: { n: 200, attained: 0, pta: 0, failed: 200 } });
    expect(r800.failed).toBe(0);
    const alone = JSON.parse((await cli([...base, '--regimen', reg(800), '--json'])).out) as { regimens: Row[] };
    expect(r800.overall).toEqual(alone.regimens[0]!.overall);
    expect(r800.overall.pta).toBeGreaterThan(0);
    expect(j.best).toBe('mm800');
    expect(j.ranking).toEqual(['mm800', 'mm3000']);
    expect(r.err).toContain('W_SIMULATION_FAILED: regimen mm3000: the simulation of 200 of 200 virtual subjects (100 %) failed');
    expect(r.err).not.toContain('no PTA could be computed');

    const text = await cli([...base, '--regimen', reg(800), '--regimen', reg(3000)]);
    expect(text.code).toBe(0);
    // 0 of 200 is shown with its 95 % Wilson interval (it read "0.0 ± 0.0", as if 0 % were certain)
    expect(text.out).toMatch(/^mm3000 +3000 q12h +6000 +0\.0 \[0\.0, 1\.9\] +200$/m);
    expect(text.out).toContain('best: mm800');
  }, 60_000);

  it('every regimen failing for every subject is still refused (exit 1)', async () => {
    const r = await cli([...base, '--regimen', reg(2000), '--regimen', reg(3000)]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('every simulation of mm2000, mm3000 failed (200 subjects each): no PTA could be computed');
  }, 60_000);
});

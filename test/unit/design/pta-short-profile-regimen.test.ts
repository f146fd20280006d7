// A regimen whose observation grid stops short of its last dosing interval (step 0.3 h up to 8:
// the last sample at 7.8) with a time-above-MIC target was refused as "metric cmax: window [0, 8]
// ends after the last simulated time 7.8": a metric the user never asked for, of no regimen among
// several. The refusal names the target clause as written and the regimen file, before any
// regimen is simulated.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, quick, vanco } from './design-cli.js';
import { compileTarget } from '../../../src/design/targets/targets.js';
import { regimenTarget } from '../../../src/design/pta/pta.js';
import { parseRegimenJson } from '../../../src/regimen/file.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-pta-short-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const regimen = (step: number) => ({ doses: [{ time: 0, amt: 1000, cmt: 1, dur: 1, ii: 8, ss: 1 }], observe: [{ grid: { from: 0, to: 8, step } }] });
const write = (name: string, step: number): string => {
  const p = join(tmp, name);
  writeFileSync(p, JSON.stringify(regimen(step)));
  return p;
};

describe('a regimen whose profile ends short of its last interval', () => {
  it('pta names the clause tabove:2:0.4 and the regimen file, not "metric cmax"', async () => {
    const ok = write('q8h-full.json', 0.25);
    const short = write('q8h-short.json', 0.3);
    const e = await cli(['pta', ...vanco, '--regimens', `${ok},${short}`, '--target', 'tabove:2:0.4', ...quick, '--n', '20']).then(
      () => undefined,
      (x: unknown) => x as Error,
    );
    expect(e?.message).toBe(`regimen ${short}: metric tabove:2:0.4: window [0, 8] ends after the last simulated time 7.8; observe up to 8 h or choose an earlier time`);
  }, 60_000);

  it('compileTarget names the clause that reads the interval; regimenTarget adds the regimen', () => {
    const records = parseRegimenJson(regimen(0.3));
    expect(() => compileTarget('auc24:1:1000,tabove:2:0.4', records)).toThrow(/^metric tabove:2:0\.4: window \[0, 8\] ends after the last simulated time 7\.8/);
    expect(() => regimenTarget({ clauses: [{ metric: 'tabove', mic: 2, min: 0.4 }] }, 'short', records)).toThrow(/^regimen short: metric tabove:2:0\.4: /);
  });
});

// A value written once on a regimen JSON's dose is carried to its observation records (a JSON has no
// blank cell), and a refusal of it named the carried copy: colin_reg.json's SCR 80 (µmol/L) on
// doses.0.items was refused as "colin_reg.json, observe.0.items.SCR", a place the file does not
// have. It is named where the user wrote it.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-carried-place-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

it('SCR 80 on doses.0.items is refused as doses.0.items.SCR, not observe.0.items.SCR', async () => {
  const reg = join(tmp, 'colin_reg.json');
  writeFileSync(reg, JSON.stringify({ doses: [{ time: 0, amt: 1000, cmt: 1, dur: 1, ii: 12, ss: 1, addl: 1, items: { SCR: 80, WT: 70, PMA: 2640 } }], observe: [{ grid: { from: 0, to: 24, step: 0.5 } }] }));
  const r = await cli(['population', '--model', 'vancomycin_colin_2019', '--regimen', reg, '--n', '5', '--seed', '1', '--metric', 'auc24', '--no-progress', '--workers', '0']);
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/colin_reg\.json, doses\.0\.items\.SCR: SCR of model vancomycin_colin_2019 is in mg\/dL: .*\(got 80\)/);
  expect(r.err).not.toMatch(/observe\.0/);
});

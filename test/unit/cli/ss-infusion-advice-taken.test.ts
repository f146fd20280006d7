// W_SS_INFUSION says a steady-state infusion (SS 1, AMT 0, RATE > 0) stops at its record and advises
// "for one that runs on, add an infusion from that time". Records that take that advice (an infusion
// at the same time, compartment and rate) still drew the warning, in simulate() and the CLI, though
// the level is right: it stays at RATE/CL. Closed form: CL 5 → 100/5 = 20 at 20 h.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';
import { defineModel, readNmtran, simulate } from '../../../src/index.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-ssinf-taken-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

const modelJson = { dosewise: 2, name: 'fixed', structure: '1cmt-iv', parameters: { CL: 5, V: 50 }, residual: { model: 'proportional', proportional: 0.1 } };
const modelFile = file('fixed.json', JSON.stringify(modelJson));
const taken = 'ID,TIME,EVID,AMT,RATE,SS,II,DV,MDV\n1,12,1,0,100,1,0,.,1\n1,12,1,1200,100,0,0,.,1\n1,20,0,.,.,0,0,5,0\n';
// the same, with the added infusion at another rate: the steady state still stops at its record
const otherRate = 'ID,TIME,EVID,AMT,RATE,SS,II,DV,MDV\n1,12,1,0,100,1,0,.,1\n1,12,1,1200,50,0,0,.,1\n1,20,0,.,.,0,0,5,0\n';

describe('a steady-state infusion with an infusion from that time at its rate (the warning\'s advice taken)', () => {
  it('simulate() gives 100/CL = 20 at 20 h and no W_SS_INFUSION', () => {
    const s = simulate(defineModel(modelJson), readNmtran(taken).records);
    expect(s.warnings.filter((w) => w.startsWith('W_SS_INFUSION'))).toEqual([]);
    expect(s.ipred[s.ipred.length - 1]).toBeCloseTo(20, 9);
  });
  it('simulate() still warns when the added infusion runs at another rate', () => {
    const s = simulate(defineModel(modelJson), readNmtran(otherRate).records);
    expect(s.warnings.filter((w) => w.startsWith('W_SS_INFUSION'))).toHaveLength(1);
  });
  it('the CLI says nothing of it', async () => {
    const r = await cli(['simulate', '--model', modelFile, '--data', file('ssfix.csv', taken), '--json']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).not.toMatch(/steady-state infusion/);
    const rows = JSON.parse(r.out) as { IPRED: number }[];
    expect(rows[rows.length - 1]?.IPRED).toBeCloseTo(20, 9);
  });
});

// A level recorded against a compartment with no scale predicts that compartment's amount
// (W_LEVEL_AMOUNT). estimate, forecast and simulate said so; shrinkage fitted the same levels
// with the fit's warnings turned off and said nothing (η-shrinkage of CMT 2's peripheral amounts
// read as concentrations, without a word), and vpc and simulate --replicates said it without the
// code, simulateReplicates() and vpc() returning warnings []. Every command that fits or replicates
// levels says it with the code, once per ID fitted (estimate, forecast, optimize --from) or once per
// data set (shrinkage, vpc, simulate --replicates).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { vpc } from '../../../src/vpc/vpc.js';
import { simulateReplicates } from '../../../src/replicate/run.js';
import { cli } from './run-cli.js';
import { tempFiles } from '../temp-files.js';

const { write } = tempFiles('dosewise-amount-level-commands-');
const model = 'examples/map-wmap.model.json';
// two IDs, each with two levels on CMT 2 (the peripheral compartment, no scale S2) and one on CMT 1
const rows = [1, 2].flatMap((id) => [`${id},0,1,1000,1000,1,.,1`, `${id},2,0,.,.,2,12,0`, `${id},6,0,.,.,2,8,0`, `${id},8,0,.,.,1,${5 + id},0`]);
const data = write('cmt2.csv', `ID,TIME,EVID,AMT,RATE,CMT,DV,MDV\n${rows.join('\n')}\n`);
const said = (err: string): number => (err.match(/W_LEVEL_AMOUNT: .*\d levels with CMT 2 \(\w+\) predict the amount in that compartment/g) ?? []).length;

describe('W_LEVEL_AMOUNT from every command that reads levels', () => {
  it.each([
    ['estimate', ['estimate', '--model', model, '--data', data], 2],
    ['shrinkage', ['shrinkage', '--model', model, '--data', data, '--no-progress'], 1],
    ['shrinkage --json', ['shrinkage', '--model', model, '--data', data, '--no-progress', '--json'], 1],
    ['forecast', ['forecast', '--model', model, '--data', data, '--regimen', 'examples/map-future.json', '--draws', '50'], 2],
    ['optimize --from', ['optimize', '--model', model, '--data', data, '--target', 'auc24:400:600', '--doses', '500,1000', '--intervals', '12', '--from', '24', '--draws', '50'], 2],
    ['vpc', ['vpc', '--model', model, '--data', data, '--replicates', '5', '--seed', '1', '--workers', '0', '--no-progress', '--out', write('vpc.csv', '')], 1],
    ['simulate --replicates', ['simulate', '--model', model, '--data', data, '--replicates', '2', '--seed', '1', '--out', write('rep.csv', '')], 1],
  ] as const)('%s', async (_name, args, times) => {
    const r = await cli([...args]);
    expect(r.code, r.err).toBe(0);
    expect(said(r.err), r.err).toBe(times);
  });

  it('shrinkage --json has it in warnings; a data set without such levels has none', async () => {
    const r = await cli(['shrinkage', '--model', model, '--data', data, '--no-progress', '--json']);
    const w = (JSON.parse(r.out) as { warnings: { code: string; message: string }[] }).warnings;
    expect(w).toHaveLength(1);
    expect(w[0]?.code).toBe('W_LEVEL_AMOUNT');
    expect(w[0]?.message).toMatch(/^row 2: 4 levels with CMT 2 \(PERIPH1\) predict the amount/);
    const plain = write('cmt1.csv', `ID,TIME,EVID,AMT,RATE,CMT,DV,MDV\n${rows.map((x) => x.replace(/,2,(\d+),0$/, ',1,$1,0')).join('\n')}\n`);
    const p = await cli(['shrinkage', '--model', model, '--data', plain, '--no-progress', '--json']);
    expect(p.code, p.err).toBe(0);
    expect((JSON.parse(p.out) as { warnings: unknown[] }).warnings).toEqual([]);
    expect(p.err).not.toMatch(/W_LEVEL_AMOUNT/);
  });

  it('vpc() and simulateReplicates() return it (they returned warnings [])', async () => {
    const m = defineModel(JSON.parse(readFileSync(model, 'utf8')) as unknown);
    const records = readNmtran(readFileSync(data, 'utf8')).records;
    const v = await vpc(m, records, { replicates: 5, seed: 1, workers: 0 });
    expect(v.warnings.filter((x) => x.startsWith('W_LEVEL_AMOUNT: row 2: 4 levels with CMT 2'))).toHaveLength(1);
    const s = await simulateReplicates(m, records, { replicates: 2, seed: 1, workers: 0 }, () => undefined);
    expect(s.warnings.filter((x) => x.startsWith('W_LEVEL_AMOUNT: row 2: 4 levels with CMT 2'))).toHaveLength(1);
  });
});

// `dosewise estimate` on a data set where one ID's MAP objective cannot be evaluated at the start
// point (ID 2: 1000 mg q12h at steady state into a Michaelis–Menten model with VMAX 30 mg/h has no
// steady state). Since 07b2d79 estimate() throws for that ID, and the command stopped there: exit 1
// with the solver's error and nothing printed for IDs 1 and 3 (before, it printed all three, ID 2
// with the prior's values, "NOT converged", OFV Infinity). Now every ID is estimated; ID 2 prints
// no numbers, only why it has no estimate (text "ID 2: no estimate: …", JSON {id, error}), and the
// command exits 1 naming it, on this thread and on 2 workers alike (the worker reports the patient
// rather than failing the cohort). The estimates of IDs 1 and 3 are each estimated alone (their
// own data file): the same output, number for number.

import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';
import { tempFiles } from '../temp-files.js';
import { MM_NO_SS_MODEL } from '../bayes/mm-no-steady-state.js';

const { write } = tempFiles('dosewise-estimate-start-');
const model = write('mm.json', MM_NO_SS_MODEL);
const header = 'ID,TIME,EVID,AMT,RATE,II,SS,DV,MDV\n';
const id1 = '1,0,1,100,0,0,0,.,1\n1,6,0,.,.,.,0,1.5,0\n';
const id2 = '2,0,1,1000,0,12,1,.,1\n2,6,0,.,.,.,0,1.0,0\n';
const id3 = '3,0,1,100,0,0,0,.,1\n3,6,0,.,.,.,0,1.2,0\n';
const data = write('three.csv', header + id1 + id2 + id3);
const alone1 = write('one.csv', header + id1);
const alone3 = write('three-only.csv', header + id3);
// the solver's cause, naming the record of the data file (row 3: ID 2's SS dose)
const cause = 'row 3 (ID 2, TIME 0), the SS = 1 dose: dose iteration did not reach a periodic steady state';
const summary = /no estimate for 1 of 3 IDs, whose objective is not finite: ID 2 \(.*row 3 \(ID 2, TIME 0\), the SS = 1 dose: dose iteration did not reach a periodic steady state/;

describe('estimate: an ID that cannot start does not stop the others', () => {
  for (const workers of ['0', '2']) {
    it(`text, --workers ${workers}: IDs 1 and 3 as estimated alone, "ID 2: no estimate: <cause>", exit 1 naming ID 2`, async () => {
      const r = await cli(['estimate', '--model', model, '--data', data, '--workers', workers]);
      expect(r.code, r.err).toBe(1);
      const one = await cli(['estimate', '--model', model, '--data', alone1]);
      const three = await cli(['estimate', '--model', model, '--data', alone3]);
      expect(one.code).toBe(0);
      const [before, after] = r.out.split(/^ID 2: .*\n/m);
      expect(before).toBe(one.out);
      expect(after).toBe(three.out);
      const line = r.out.split('\n').find((l) => l.startsWith('ID 2'));
      // the solver's message as the command says its errors (`solver: FILE, row …`)
      expect(line).toMatch(/^ID 2: no estimate: solver: /);
      expect(line).toContain(`${data}, ${cause}`);
      expect(line).toMatch(/the MAP objective cannot be evaluated at the start point \(ETA_V = 0\), so the search from there found no estimate \(one may exist farther from the prior mode, where the model can be evaluated\)$/);
      // no number that looks like an estimate, nor the prior's
      expect(r.out).not.toMatch(/NOT converged|Infinity|V 40\.0000/);
      expect(r.err).toMatch(summary);
      expect(r.err).not.toMatch(/the values printed for them are the prior's/);
      expect(r.err).not.toMatch(/W_MAP_AT_BOUND/);
    });

    it(`JSON, --workers ${workers}: {id, error: {code, message}} in ID 2's place, no eta or parameters`, async () => {
      const r = await cli(['estimate', '--model', model, '--data', data, '--json', '--workers', workers]);
      expect(r.code, r.err).toBe(1);
      const out = JSON.parse(r.out) as Record<string, unknown>[];
      expect(out.map((o) => o.id)).toEqual([1, 2, 3]);
      expect(Object.keys(out[1] as object).sort()).toEqual(['error', 'id']);
      const error = (out[1] as { error: { code: string; message: string } }).error;
      expect(Object.keys(error).sort()).toEqual(['code', 'message']);
      expect(error.code).toBe('E_SOLVER');
      expect(error.message).toContain(`${data}, ${cause}`);
      const one = JSON.parse((await cli(['estimate', '--model', model, '--data', alone1, '--json'])).out) as unknown[];
      const three = JSON.parse((await cli(['estimate', '--model', model, '--data', alone3, '--json'])).out) as unknown[];
      expect(out[0]).toEqual(one[0]);
      expect(out[2]).toEqual(three[0]);
      expect(r.err).toMatch(summary);
    });
  }

  it('the same bytes on this thread, 1 and 2 workers', async () => {
    const outs = await Promise.all(['0', '1', '2'].map(async (w) => (await cli(['estimate', '--model', model, '--data', data, '--json', '--workers', w])).out));
    expect(outs[1]).toBe(outs[0]);
    expect(outs[2]).toBe(outs[0]);
  });
});

// Problem → solve → Solution: return codes by name, per-subject views, and subject ranges that
// solve to bitwise the same rows as the whole problem (what a pool relies on).

import { describe, expect, it } from 'vitest';
import { builtinModel, defineModel } from '../../src/model/model.js';
import { regimen } from '../../src/regimen/builder.js';
import { readNmtran } from '../../src/regimen/nmtran.js';
import { byId } from '../../src/regimen/nmtran.js';
import { compileForModel, resolveMethod, simulate } from '../../src/engine/simulate.js';
import { engine } from '../../src/engine/load.js';
import { firstFailure, layoutSubjects, profile, retcode, solve, solverSetup, subjectRange, type Problem } from '../../src/engine/problem.js';

const csv = ['ID,TIME,EVID,AMT,CMT,CL', ...[1, 2, 3, 4, 5].flatMap((id) => [`${id},0,1,100,1,${id}`, ...[1, 2, 4, 8, 12, 24].slice(0, 3 + id % 4).map((t) => `${id},${t},0,0,0,${id}`)])].join('\n');

const model = defineModel({
  dosewise: 1,
  name: 'x',
  structure: { kind: 'linear', compartments: 1, depot: true },
  parameters: { CL: 3, V: 30, KA: 0.9 },
});

function problemOf(amounts: boolean): Problem {
  const records = readNmtran(csv).records;
  const compiled = [...byId(records).values()].map((recs) => compileForModel(model, recs));
  return { solver: solverSetup(model, resolveMethod(model, undefined)), subjects: layoutSubjects(compiled), amounts };
}

describe('Problem / solve / Solution', () => {
  it('solves like simulate(), with a return code and a profile per subject', () => {
    const sol = solve(problemOf(true), engine(model));
    const sim = simulate(model, readNmtran(csv).records);
    expect(Buffer.from(sol.obs.buffer).equals(Buffer.from(sim.ipred.buffer))).toBe(true);
    expect(firstFailure(sol)).toBe(-1);
    expect([0, 1, 2, 3, 4].map((s) => retcode(sol, s))).toEqual(['Ok', 'Ok', 'Ok', 'Ok', 'Ok']);
    expect([0, 1, 2, 3, 4].map((s) => profile(sol, s).length)).toEqual([4 + 1, 4 + 2, 4 + 3, 4, 4 + 1]);
  });

  it('a subject range solves to bitwise the same rows', () => {
    for (const amounts of [false, true]) {
      const p = problemOf(amounts);
      const whole = solve(p, engine(model));
      for (const [first, count] of [[0, 2], [2, 3], [4, 1]] as const) {
        const part = solve(subjectRange(p, first, count), engine(model));
        for (let s = 0; s < count; s++) {
          const a = profile(part, s);
          const b = profile(whole, first + s);
          expect(Buffer.from(a.slice().buffer).equals(Buffer.from(b.slice().buffer))).toBe(true);
        }
      }
    }
  });

  it('the solver setup carries the steady-state iteration limit to the engine', () => {
    const mm = builtinModel('mm-oral');
    const recs = regimen().dose({ time: 0, amt: 100, ii: 12, ss: 1 }).observe({ times: [6, 12] }).records();
    const base = solverSetup(mm, resolveMethod(mm, undefined));
    const problem = (ssMaxIter?: number): Problem => ({ solver: { ...base, ssMaxIter }, subjects: layoutSubjects([compileForModel(mm, recs)]), amounts: false });
    expect(retcode(solve(problem(), engine(mm)), 0)).toBe('Ok');
    expect(retcode(solve(problem(1), engine(mm)), 0)).toBe('SteadyStateNotReached');
  });
});

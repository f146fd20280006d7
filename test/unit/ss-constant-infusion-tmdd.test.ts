// The steady state of a constant infusion (SS = 1, AMT 0, RATE > 0, II 0) into a saturable model is
// the equilibrium 0 = f(x) + RATE that the infusion settles at. Newton's method from the initial
// state found a second root of the full TMDD system instead once the target saturated (KDEG = KSYN =
// 0.02, RATE 0.2: A −0.206, R −2.677, P 0.368), from which the integration failed with "step size
// fell below its floor" for every method, and 9 of 10 subjects of a population failed. The
// physical equilibrium is the only one with every amount ≥ 0: eliminating A and R, the binding
// flux b solves b·(1 + KOFF/KINT) = KON/V·A(b)·R(b), increasing on the left and decreasing on the
// right for 0 < b < min(KSYN, RATE/V). The reference values below are that root (scipy brentq,
// agreeing with fsolve from the same system to 1e-15), and the level 1 h after the infusion stops
// (at its record, as in NONMEM) from scipy solve_ivp (Radau, rtol 1e-13).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinModel, defineModel } from '../../src/model/model.js';
import { readNmtran } from '../../src/regimen/nmtran.js';
import { simulate } from '../../src/engine/simulate.js';
import { compileModel } from '../../src/engine/model-text.js';

const HEAD = 'ID,TIME,EVID,AMT,CMT,RATE,ADDL,II,SS,DV,MDV';
const infusion = (rate: number, id = 3) => [`${id},0,1,0,1,${rate},0,0,1,.,1`, `${id},1,0,0,1,0,0,0,0,.,1`];
const records = (...rows: string[][]) => readNmtran([HEAD, ...rows.flat()].join('\n')).records;
const rel = (got: number, want: number) => Math.abs(got / want - 1);
// states at the dose record (the steady state) and at 1 h, in the order A, R, P
const amounts = (a: Float64Array | undefined, row: number) => Array.from(a!.subarray(row * 3, row * 3 + 3));

const METHODS = ['auto', 'dopri5', 'dop853', 'rosenbrock'] as const;

describe('constant infusion at steady state into a saturated full TMDD model', () => {
  // V 3, KEL 0.1, KON 0.5, KOFF 0.05, KINT 0.2 (the built-in defaults), KDEG = KSYN = 0.02 (R0 = 1)
  const cases = [
    // unsaturated: Newton's first root was already this one (kept as it was)
    { rate: 0.1, ss: [0.5319705149024927, 0.21995085817082113, 0.07800491418291788], t1: [0.44157258761643164, 0.22158272772879353, 0.07646884804483127] },
    { rate: 0.2, ss: [1.4560385069297332, 0.09339751154955507, 0.09066024884504449], t1: [1.2696571641176215, 0.09474846325429094, 0.08938905716508444] },
    { rate: 1, ss: [9.409414802251158, 0.015691337085265572, 0.09843086629147343], t1: [8.460138016343626, 0.016497756486185546, 0.09767575498372119] },
  ];
  for (const c of cases)
    for (const method of METHODS)
      it(`RATE ${c.rate}, ${method}: the equilibrium with every amount ≥ 0 (was "step size fell below its floor" at 0.2 and 1)`, () => {
        const s = simulate(builtinModel('tmdd', { KDEG: 0.02, KSYN: 0.02 }), records(infusion(c.rate)), { method });
        // measured ≤ 2e-15: Newton polishes the root to rounding
        amounts(s.amounts, 0).forEach((v, i) => expect(rel(v, c.ss[i]!), `ss ${i}`).toBeLessThan(1e-14));
        // measured ≤ 5e-9 (the integrator's rtol 1e-8 over 1 h)
        amounts(s.amounts, 1).forEach((v, i) => expect(rel(v, c.t1[i]!), `1 h ${i}`).toBeLessThan(2e-8));
      });

  it('subjects of other volumes in one call (a population: 9 of 10 subjects failed)', () => {
    const want: Record<number, number[]> = {
      2: [1.623212459828649, 0.0580311495716225, 0.09419688504283774],
      4.5: [1.2383784239820672, 0.15375380442451922, 0.08462461955754808],
    };
    for (const V of [2, 4.5]) {
      const s = simulate(builtinModel('tmdd', { V, KDEG: 0.02, KSYN: 0.02 }), records(infusion(0.2, 1), infusion(0.2, 2)));
      for (const row of [0, 2]) amounts(s.amounts, row).forEach((v, i) => expect(rel(v, want[V]![i]!), `V ${V} ${i}`).toBeLessThan(1e-14));
    }
  });

  it('the shipped occupancy example at R0 = 1 (KEL 0.005, KINT 0.04): RATE 0.2 and 1', () => {
    const model = defineModel(JSON.parse(readFileSync('examples/occupancy-tmdd.model.json', 'utf8')));
    const want: Record<number, number[]> = {
      0.2: [28.11414822015688, 0.009512351679740079, 0.49524382416012996],
      1: [188.0172077542529, 0.0014339795210750045, 0.4992830102394625],
    };
    for (const rate of [0.2, 1]) {
      const s = simulate(model, records(infusion(rate)));
      // R is 0.0014–0.0095 of its baseline 1: any computation of it (KSYN − b)/KDEG loses ~1e-13 of
      // it to rounding (fsolve and brentq differ by 7e-14 at RATE 1); measured 4.8e-14
      amounts(s.amounts, 0).forEach((v, i) => expect(rel(v, want[rate]![i]!), `${rate} ${i}`).toBeLessThan(2e-13));
    }
  });

  it('the same system as a model text (its own kernel) at RATE 1', async () => {
    const model = await compileModel(
      'theta V = 3, KEL = 0.1, KON = 0.5, KOFF = 0.05, KINT = 0.2, KDEG = 0.02, KSYN = 0.02\ncompartment A, R, P\ninit(R) = KSYN/KDEG\nB = KON*(A/V)*R - KOFF*P\nd/dt(A) = -KEL*A - B*V\nd/dt(R) = KSYN - KDEG*R - B\nd/dt(P) = B - KINT*P\nobserve = A/V\n',
      { cacheDir: false, tier: 'auto' },
    );
    const s = simulate(model, records(infusion(1)));
    amounts(s.amounts, 0).forEach((v, i) => expect(rel(v, cases[2]!.ss[i]!), `${i}`).toBeLessThan(1e-14));
  });
});

describe('constant infusion at steady state with no equilibrium', () => {
  // one compartment, V 50, VMAX 50, KM 2, CL 0: below VMAX, C = KM·RATE/(VMAX − RATE)
  const mm = builtinModel('mm-iv', { CL: 0 });

  it('RATE 49 below VMAX 50: A = V·KM·RATE/(VMAX − RATE) = 4900', () => {
    const a = simulate(mm, records(infusion(49))).amounts![0] as number;
    // measured 3.7e-15 (the equilibrium is 98 KM deep in saturation)
    expect(rel(a, 4900)).toBeLessThan(1e-13);
  });

  for (const method of ['dopri5', 'rosenbrock'] as const)
    it(`RATE 50 (= VMAX) and 60 (> VMAX), ${method}: refused naming the record (RATE 50 printed A = 2.7e18 mg; RATE 60 was 'no steady state exists' without the record)`, () => {
      for (const rate of [50, 60]) {
        const run = () => simulate(mm, records(infusion(rate)), { method, file: 'inf.csv' });
        expect(run).toThrow(new RegExp(`inf\\.csv, row 1 \\(ID 3, TIME 0\\): no steady state reached for the constant infusion \\(SS 1, AMT 0, RATE ${rate} into CENTRAL, II 0\\)`));
        expect(run).not.toThrow(/NaN|step size/);
      }
    });

  it('KA 0 into the depot of a linear oral model (analytic): refused naming the record (it said only "a state became NaN or infinite")', () => {
    const run = () => simulate(builtinModel('1cmt-oral', { KA: 0 }), records(infusion(20)), { file: 'inf.csv' });
    expect(run).toThrow(/inf\.csv, row 1 \(ID 3, TIME 0\): no steady state reached for the constant infusion \(SS 1, AMT 0, RATE 20 into DEPOT, II 0\)/);
  });

  it('a model-text state that is not an amount (it starts at 0 and settles below it) is not refused', async () => {
    // dE/dt = −KE·E − C: E settles at −C/KE, C = RATE/(K·V); the infusion's own path takes E below 0
    const model = await compileModel('theta K = 0.1, V = 10, KE = 0.5\ncompartment CENTRAL, E\nd/dt(CENTRAL) = -K*CENTRAL\nd/dt(E) = -KE*E - CENTRAL/V\nobserve = E\n', { cacheDir: false, tier: 'auto' });
    const s = simulate(model, records(infusion(5)));
    expect(rel(s.amounts![0] as number, 50)).toBeLessThan(1e-14);
    expect(rel(s.amounts![1] as number, -10)).toBeLessThan(1e-14);
  });
});

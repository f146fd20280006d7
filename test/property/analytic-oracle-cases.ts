// The analytic 3-compartment oracle cases (test/oracle/analytic_*.py: mpmath expm at 45–60 digits)
// as the engine runs them: one dose list and observation times per case, amounts per state back.

import { defineModel } from '../../src/model/model.js';
import { simulate } from '../../src/engine/simulate.js';
import { regimen } from '../../src/regimen/builder.js';

export interface OracleDose {
  readonly time: number;
  readonly amt: number;
  readonly cmt: number;
  readonly rate: number;
  /** A lag on the dosed compartment (absent: none). */
  readonly lag?: number;
  readonly ii: number;
  readonly addl: number;
  readonly ss: 0 | 1 | 2;
}

export interface OracleCase {
  readonly name: string;
  readonly depot: boolean;
  readonly p: Readonly<Record<string, number>>;
  readonly doses: readonly OracleDose[];
  readonly times: readonly number[];
  readonly amounts: readonly (readonly number[])[];
}

/** Engine amounts (3-cmt micro model, analytic path) at the case's observation times; the first dose's lag as ALAG. */
export function engineAmounts(c: Omit<OracleCase, 'amounts'>, name: string): number[][] {
  const lag = c.doses[0]?.lag ?? 0;
  const parameters: Record<string, number> = { ...c.p };
  const compartments: Record<string, { lag: string }> = {};
  if (lag > 0) {
    parameters.ALAG = lag;
    compartments[String(c.doses[0]!.cmt)] = { lag: 'ALAG' };
  }
  const model = defineModel({
    dosewise: 1,
    name,
    structure: { kind: 'linear', compartments: 3, depot: c.depot, parameterization: 'micro' },
    parameters,
    compartments,
    solver: { method: 'analytic' },
  });
  let reg = regimen();
  for (const d of c.doses) {
    reg = reg.dose({
      time: d.time,
      amt: d.amt,
      cmt: d.cmt,
      ...(d.rate > 0 ? { rate: d.rate } : {}),
      ...(d.ii > 0 ? { ii: d.ii } : {}),
      ...(d.addl > 0 ? { addl: d.addl } : {}),
      ...(d.ss > 0 ? { ss: d.ss } : {}),
    });
  }
  const recs = reg.observe({ times: [...c.times] }).records();
  const sim = simulate(model, recs, { method: 'analytic' });
  const n = c.depot ? 4 : 3;
  const rows: number[][] = [];
  recs.forEach((r, k) => {
    if (r.EVID === 0) rows.push(Array.from(sim.amounts!.subarray(k * n, (k + 1) * n)));
  });
  return rows;
}

/** Per state: max_t |got − want| / max_t |want| (states that stay 0 give 0). */
export function stateErrors(got: readonly (readonly number[])[], want: readonly (readonly number[])[]): number[] {
  return want[0]!.map((_, i) => {
    let peak = 0;
    for (const row of want) peak = Math.max(peak, Math.abs(row[i]!));
    if (peak === 0) return 0;
    let worst = 0;
    got.forEach((row, t) => (worst = Math.max(worst, Math.abs(row[i]! - want[t]![i]!) / peak)));
    return worst;
  });
}

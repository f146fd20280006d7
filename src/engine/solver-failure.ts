// Where a subject's solve failed. The engine reports one status per subject, not the time it got
// to, so "ID 1: step budget exhausted within one segment" named neither a time nor a row, nor a way
// out. On the error path only, the subject's records are solved again in prefixes (by bisection:
// a few solves of one subject) to find the first record whose prefix fails: the steady-state dose
// that did not converge, or the end of the segment the solver could not cross.

import { Method, Status } from '../abi.js';
import type { DataRecord } from '../regimen/record.js';
import { statusText } from './wasm.js';

/** Index of the first record whose prefix fails, given that all of them fail; prefix 0 (no records) solves. */
function firstFailing(count: number, fails: (n: number) => boolean): number {
  let lo = 0;
  let hi = count;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (fails(mid)) hi = mid;
    else lo = mid;
  }
  return hi - 1;
}

/** What to try instead: an explicit method out of steps on a problem that is most likely stiff. */
function methodHint(status: number, method: number): string {
  if (status !== Status.MaxSteps || method === Method.Rosenbrock || method === Method.Analytic) return '';
  const auto = method === Method.Auto || method === Method.AutoTight || method === Method.AutoDop853;
  return auto ? ": try method: 'rosenbrock'" : ": try method: 'rosenbrock' or 'auto'";
}

/**
 * A singular steady-state system on the analytic path is also a compartment without exchange (Q =
 * 0, or 1e-300): its own periodic state exists, but the closed form divides by the exchange rate.
 * The message named "no elimination" where CL was 5 L/h; dopri5 solves it. Said only where dopri5
 * does solve the record (`solves`): with CL 0 no periodic state exists, and the hint sent the user
 * to a method that fails too.
 */
function steadyHint(status: number, method: number, solves: () => boolean): string {
  if (status !== Status.SingularSteadyState || method !== Method.Analytic || !solves()) return '';
  return "; or, on the analytic path, a compartment without exchange (Q = 0 or nearly): try method: 'dopri5', which solves it";
}

/**
 * The message of a subject's failed solve, naming the record (file, row, ID, TIME) it failed at;
 * undefined where the prefixes do not show it (the caller keeps the message without a place).
 * `fails` solves a prefix of the subject's records alone (with `method`, or the one that failed)
 * and says whether it failed.
 */
export function solverFailure(
  subject: readonly DataRecord[],
  status: number,
  method: number,
  file: string | undefined,
  fails: (prefix: readonly DataRecord[], method?: number) => boolean,
  /** The likely cause of a state not a number, where the model shows one (stateOutsideDomain), in place of "check the parameters"; also said beside an exhausted step budget. */
  nonFinite?: string,
  /**
   * The right-hand side term out of its domain by the record's values or the time alone (rhsTermCause),
   * given the failing record and the one the solver stood at: said in place of "check the parameters"
   * and of the method hint (a division by t at t = 0 is no stiffness).
   */
  termCause?: (rec: DataRecord, reached: DataRecord | undefined) => string | undefined,
): { message: string; row: number } | undefined {
  let k: number;
  try {
    k = firstFailing(subject.length, (n) => fails(subject.slice(0, n)));
  } catch {
    return undefined;
  }
  const rec = subject[k] as DataRecord;
  const where = `${file ? `${file}, ` : ''}row ${rec.row} (ID ${rec.ID}, TIME ${rec.TIME})`;
  const steady = status === Status.SteadyStateNotReached || status === Status.SingularSteadyState || status === Status.SteadyStateNoisy || status === Status.SteadyStateNegative;
  const solves = (): boolean => {
    try {
      return !fails(subject.slice(0, k + 1), Method.Dopri5);
    } catch {
      return false;
    }
  };
  if (steady && rec.SS > 0) return { message: `${where}, the SS = ${rec.SS} dose: ${statusText(status)}${steadyHint(status, method, solves)}`, row: rec.row };
  const prev = subject[k - 1];
  const reached = prev ? `the solver reached TIME ${prev.TIME} (row ${prev.row}), not this record: ` : '';
  // Dormand–Prince and DOP853 reject a trial whose right-hand side is not finite and retry it smaller,
  // so a sqrt of a negative there ends as an exhausted step budget, not as NaN: dopri5 said only
  // "step budget exhausted ... try rosenbrock or auto" where rosenbrock named sqrt(A − 80)
  const term = status === Status.NonFinite || status === Status.StepTooSmall || status === Status.MaxSteps ? termCause?.(rec, prev) : undefined;
  if (term) {
    const said = status === Status.MaxSteps ? `${statusText(status)} (${term})` : status === Status.NonFinite ? `a state became NaN or infinite (${term})` : `step size fell below its floor (${term})`;
    return { message: `${where}: ${reached}${said}`, row: rec.row };
  }
  const what =
    status === Status.NonFinite && nonFinite
      ? `a state became NaN or infinite (${nonFinite})`
      : status === Status.MaxSteps && nonFinite
        ? `${statusText(status)} (its steps may have been rejected where the right-hand side is not a number: ${nonFinite})`
        : statusText(status);
  return { message: `${where}: ${reached}${what}${methodHint(status, method)}`, row: rec.row };
}

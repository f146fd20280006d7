// Which level is implausible: judged against the fit without it, not at an estimate it pulled.
//
// |IWRES| > 4 at the estimate names the levels the estimate misses, and one wrong level can pull the
// estimate so far that it misses the right ones instead: meropenem by continuous infusion, Css 52, 21
// (an interrupted bag) and 48 mg/L and a level drawn from the infusion line, 950 mg/L: the MAP CL
// went to 0.32 L/h (η_CL −6.1 SD) and W_LEVEL_IMPLAUSIBLE named the three right levels (|IWRES|
// 5.6–6.4) and not the 950 (IWRES 3.43). So where the estimate misses some level by more than 4
// residual SDs, each level is judged against the fit to the other levels (a leave-one-out MAP): the
// level furthest from its fit without it, when more than 4 residual SDs, is set aside, and the rest
// are judged again without it, until every remaining level lies within 4 SDs of the fit without it.
// The levels set aside are the implausible ones (the 950 there: the three others fit within 1 SD
// once it is out). Done only where the estimate misses a level (no cost, and no new warning, for a
// chart whose levels all fit), with at least 3 levels (two levels that disagree say not which is
// wrong) and at most MAX_LEVELS (a refit per level and round); where no level lies 4 SDs from its
// fit without it, the levels missed at the estimate are named as before.

import type { DataRecord } from '../regimen/record.js';
import type { MapObjective } from './objective.js';
import { IMPLAUSIBLE_IWRES } from './warnings.js';

/** Above this many levels the leave-one-out refits (one per level and round) are not run. */
export const MAX_LEVELS = 20;

export interface SetAside {
  /** Record index of the level. */
  readonly record: number;
  /** Its residual (IWRES scale) at the fit to the levels not set aside before it, without it. */
  readonly z: number;
}

/**
 * The levels to name as implausible, in the order set aside, or undefined where the estimate's own
 * |IWRES| > 4 rule stands (nothing missed at the estimate, too few or too many levels, or no level
 * 4 SDs from its fit without it). `judged`: the levels that may be set aside (record indices: not
 * BLQ, not uninformative). `refit(masked)`: the MAP effects with those levels' records left out.
 */
export function implausibleByRefit(
  obj: Pick<MapObjective, 'predict' | 'records'>,
  iwres: ArrayLike<number>,
  judged: readonly number[],
  refit: (records: readonly DataRecord[]) => ArrayLike<number>,
): SetAside[] | undefined {
  if (!judged.some((r) => Math.abs(iwres[r] as number) > IMPLAUSIBLE_IWRES)) return undefined;
  if (judged.length < 3 || judged.length > MAX_LEVELS) return undefined;
  const out: SetAside[] = [];
  const aside = new Set<number>();
  const without = (extra: number): DataRecord[] => obj.records.map((rec, i) => (aside.has(i) || i === extra ? { ...rec, MDV: 1 } : rec));
  // two levels at least stay: each round's fit without a level then rests on other levels
  while (judged.length - aside.size > 2) {
    let worst: SetAside | undefined;
    for (const r of judged) {
      if (aside.has(r)) continue;
      const z = obj.predict(refit(without(r))).iwres[r] as number;
      if (Number.isFinite(z) && (!worst || Math.abs(z) > Math.abs(worst.z))) worst = { record: r, z };
    }
    if (!worst || !(Math.abs(worst.z) > IMPLAUSIBLE_IWRES)) break;
    aside.add(worst.record);
    out.push(worst);
  }
  return out.length > 0 ? out : undefined;
}

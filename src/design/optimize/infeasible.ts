// Kept apart from advice.ts so that the browser page's main thread can word an empty result
// without loading the engine.

import type { AdviceResult } from './advice.js';

/**
 * Why an advice run has no regimen. When constraints left every candidate out, "no candidate reaches
 * the target" blamed the target for what --max-daily or --max-rate did.
 */
export function infeasibleText(r: Pick<AdviceResult, 'evaluated' | 'excluded' | 'dailyFrom'>, at: (h: number) => string = (h) => `${Number(h.toFixed(4))} h`): string {
  if (r.evaluated > 0) return 'no feasible regimen: no candidate reaches the target for any draw';
  const parts: string[] = [];
  if (r.excluded.maxDaily) parts.push(`${r.excluded.maxDaily} over the maximum daily amount (history included)`);
  if (r.excluded.infusionLongerThanInterval) parts.push(`${r.excluded.infusionLongerThanInterval} infused longer than their interval`);
  const left = `no feasible regimen: every candidate was left out by a constraint (${parts.join(', ') || 'none evaluated'})`;
  // the doses given, not the constraint, stand in the way: the next dose has only to wait
  if (r.dailyFrom !== undefined)
    return `${left}: the doses given make every candidate exceed the maximum daily amount until ${at(r.dailyFrom)}: from then the smallest dose fits; plan the next dose from then`;
  return `${left}; relax the constraint or widen the doses/intervals`;
}

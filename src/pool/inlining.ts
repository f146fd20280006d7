// V8's optimizing compiler (TurboFan) inlines up to 920 bytes of bytecode into each function it
// optimizes. dosewise's estimation and population loops are deep call trees, so every worker isolate
// spends a long time compiling very large graphs: on a 4,000-patient MAP cohort the compiler's
// background threads used 0.9–1.0 s of CPU beside the worker's own 1.2 s, and 1.6 s beside two
// workers' 1.2 s, which on a machine with as many workers as cores is time taken from the workers.
// A budget of 300 bytes halves that compile time with no measurable loss in the optimized code
// (README: "Worker pool scaling"). The flag is process-wide and only steers the compiler, so it is
// set once, before the first worker starts; DOSEWISE_V8_INLINING=default keeps V8's own budget
// (reduced, or unset: this one).

import { setFlagsFromString } from 'node:v8';
import { environmentSetting } from '../environment.js';

export const INLINING_BUDGET = 300;
let set = false;

/** Lowers V8's cumulative inlining budget for this process (once; see above). */
export function limitInlining(): void {
  if (set || environmentSetting('DOSEWISE_V8_INLINING') === 'default') return;
  set = true;
  setFlagsFromString(`--max-inlined-bytecode-size-cumulative=${INLINING_BUDGET}`);
}

// One rule for a `workers` option wherever a run takes one (runStudy, estimateCohort, estimateFits,
// the browser's estimateCohort): −1 or 1.5 ran one worker without a word.

import { Errors } from '../errors.js';

/** Refuses a number of workers that is not an integer ≥ 0 (0: this thread). */
export function checkWorkers(workers: unknown): void {
  if (workers !== undefined && !(Number.isInteger(workers) && (workers as number) >= 0)) throw Errors.optionValue('workers', workers, 'must be an integer ≥ 0');
}

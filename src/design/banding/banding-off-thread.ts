// The banding optimizer where a run can be cancelled. It runs in the engine without returning to
// JavaScript (seconds at 10⁶ subjects, minutes for tens of bands of hundreds of doses), so on the
// calling thread neither Ctrl-C nor an AbortSignal's timer is heard until it ends: a check inside
// it could see only an abort made by itself. With a signal it runs on a worker thread instead, which
// an abort ends at once, and the call rejects as a cancelled population run does.

import { cancellation } from '../../errors.js';
import { compiledWorker } from '../../package-path.js';
import { nodePool } from '../../pool/node.js';
import { unpack } from '../../pool/protocol.js';
import { optimizeBandingIntervals, type BandingIntervals, type BandingResult } from './banding.js';

/**
 * optimizeBandingIntervals(o), on a worker thread when `signal` is given: an abort rejects at once
 * with the signal's reason (or an AbortError naming it). Without a signal, or with `thisThread`,
 * on the calling thread (which an abort cannot interrupt).
 */
export async function optimizeBandingCancellable(o: BandingIntervals, signal?: AbortSignal, thisThread = false): Promise<BandingResult> {
  if (!signal || thisThread) return optimizeBandingIntervals(o);
  signal.throwIfAborted();
  const pool = nodePool<BandingIntervals>(compiledWorker(import.meta.url, 'design/banding'), 1);
  const task: BandingIntervals = { ...o, by: Float64Array.from(o.by), doseLo: Float64Array.from(o.doseLo), doseHi: Float64Array.from(o.doseHi), doses: [...o.doses] };
  try {
    const buf = await pool.run(task, signal, [(task.by as Float64Array).buffer, (task.doseLo as Float64Array).buffer, (task.doseHi as Float64Array).buffer] as ArrayBuffer[]);
    return unpack<BandingResult>(buf).meta;
  } catch (e) {
    if (signal.aborted) throw cancellation(signal.reason);
    throw e;
  } finally {
    await pool.close();
  }
}

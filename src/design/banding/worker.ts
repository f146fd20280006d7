// Piscina worker entry (Node) for the banding optimizer: it runs in the engine without a pause for
// seconds to minutes, and on the calling thread nothing could stop it (Ctrl-C waited for it). Here a
// cancelled run ends the thread at once (see banding-off-thread.ts).

import { Piscina } from 'piscina';
import { optimizeBandingIntervals, type BandingIntervals } from './banding.js';
import { pack, workerError } from '../../pool/protocol.js';

export default function (task: BandingIntervals): unknown {
  try {
    return Piscina.move(pack(optimizeBandingIntervals(task), {}));
  } catch (e) {
    throw workerError(e);
  }
}

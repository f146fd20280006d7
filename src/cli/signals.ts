// A JavaScript signal handler replaces the kernel's default action, and runs only when the main
// thread returns to its event loop. optimize, forecast and estimate --workers 0 compute on the
// main thread without returning to it: an 11-minute optimize took SIGINT, SIGINT and SIGTERM, ran
// to its end, wrote its report and exited 0 (the handlers removed before the queued signal was
// delivered). So dosewise's handlers are installed only while a temporary file exists (a table
// being streamed, an output being written), which they remove on the way out; at any other moment
// the default action ends the process at once, with the status 128 + signal a shell reports (130,
// 143, 129). The outputs are written to temporary files and renamed after the work, so a process
// ended that way leaves nothing half-written under a final name.

import { watchTempFiles } from '../files.js';

type Handlers = Readonly<Partial<Record<NodeJS.Signals, () => void>>>;

let handlers: Handlers = {};
let installed = false;
let wanted = false;

function install(): void {
  if (installed) return;
  installed = true;
  for (const [sig, f] of Object.entries(handlers)) process.on(sig, f);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  for (const [sig, f] of Object.entries(handlers)) process.off(sig, f);
}

/**
 * Handles the signals of `h` while temporary files exist; the returned function stops, after one
 * turn of the event loop, so that a signal that came while the main thread was busy is delivered
 * rather than dropped with its handler.
 */
export function handleSignalsWhileWriting(h: Handlers): () => Promise<void> {
  uninstall();
  handlers = h;
  wanted = false;
  watchTempFiles((held) => {
    wanted = held;
    if (held) install();
    // not at once: a signal queued while the last temporary file was renamed runs its handler first
    else setImmediate(() => void (wanted || uninstall()));
  });
  return async () => {
    await new Promise<void>((r) => setImmediate(r));
    watchTempFiles();
    uninstall();
    handlers = {};
  };
}

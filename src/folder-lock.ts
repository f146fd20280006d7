// Two runs committing outputs into one folder at once interleaved their renames: one run's
// summary.json beside the other's subjects.csv, both exit 0 (each rename slowed to 3 s, as on a
// slow network filesystem). A commit of several files takes the folder's lock file, created
// exclusively with the process id in it, and removes it after. A run that finds it waits a little,
// then refuses naming the folder and the other process; a lock of a process no longer running
// (killed inside its commit) is taken over.

import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Errors } from './errors.js';
import { processRunning } from './stale-temps.js';

export const LOCK_FILE = '.dosewise-commit.lock';

/** How long a commit waits for another run's commit into the same folder (milliseconds). */
export const LOCK_WAIT_MS = 10_000;

const pause = (ms: number): void => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** A lock older than this was left by a process killed inside its commit, whatever holds its id now. */
const STALE_MS = 120_000;

function stale(path: string): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs > STALE_MS;
  } catch {
    return false;
  }
}

/** The process holding `path`, or undefined where it is gone (or died before writing its id long ago). */
function holder(path: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined; // removed meanwhile
  }
  const pid = Number(text.trim());
  // this process commits one folder at a time, so a lock naming it was left by an earlier process
  // of its id (a container's node is always the same pid), and a commit is a few renames: a lock
  // older than STALE_MS names a process that reused a killed holder's id
  if (pid === process.pid || stale(path)) return undefined;
  if (Number.isInteger(pid) && pid > 0) return processRunning(pid) ? pid : undefined;
  // created but its id not yet written: live unless that was long ago
  try {
    return Date.now() - statSync(path).mtimeMs < 5_000 ? -1 : undefined;
  } catch {
    return undefined;
  }
}

/** Takes `dir`'s commit lock; returns the function that releases it. */
export function lockFolder(dir: string, waitMs = LOCK_WAIT_MS): () => void {
  const path = join(dir, LOCK_FILE);
  const until = Date.now() + waitMs;
  for (;;) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: 'wx' });
      return () => rmSync(path, { force: true });
    } catch (e) {
      // the commit names the file and the cause
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const pid = holder(path);
    if (pid === undefined) {
      rmSync(path, { force: true });
      continue;
    }
    if (Date.now() >= until) {
      throw Errors.io(dir, `another dosewise run (${pid > 0 ? `process ${pid}` : 'starting'}) is putting its outputs into this folder (${path}); waited ${waitMs / 1000} s, not written: run again once it has finished, or give another folder`);
    }
    pause(50);
  }
}

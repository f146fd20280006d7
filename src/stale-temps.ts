// A run killed outright (SIGKILL, power loss, out of memory) leaves its temporary files behind
// (subjects.csv.tmp-PID-N, 35 MB), which later runs into the folder neither removed nor named. The
// first temporary file a process makes for an output removes that output's temporary files of
// processes no longer running. Only that name pattern: the earlier outputs a commit kept aside
// (….old-PID-N) are the user's files and stay. A process id is only known on this host: a folder
// shared with another host (or a container with its own process ids) can hold a live run's
// temporary file under an id that is free here.

import { readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const TEMP_NAME = /\.tmp-(\d+)-\d+$/;
const swept = new Set<string>();

/** Whether process `pid` exists (one of another user's, which cannot be signalled, does). */
export function processRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes, once per output and process, the temporary files of `target` (TARGET.tmp-PID-N) of
 * processes no longer running; returns their paths. Only the output being written: every file of
 * the folder named like one (notes.tmp-2024-1, protocol.docx.tmp-31337-2) was removed without a word.
 */
export function removeDeadTemps(target: string): string[] {
  if (swept.has(target)) return [];
  swept.add(target);
  const dir = dirname(target);
  const own = `${basename(target)}.tmp-`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return []; // not there yet: nothing left in it
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(own)) continue;
    const pid = Number(TEMP_NAME.exec(name)?.[1] ?? NaN);
    if (!(pid > 0) || pid === process.pid || processRunning(pid)) continue;
    try {
      rmSync(join(dir, name));
      removed.push(join(dir, name));
    } catch {
      // a folder by that name, or one another run removed first: not ours to force
    }
  }
  return removed;
}

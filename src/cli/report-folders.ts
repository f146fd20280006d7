// The folders a run created for its --report (checked, and created, before the work): a run that
// then fails removes those still empty, as it writes no report (a folder rep4 stayed, empty).

import { existsSync, rmdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** The folders this run created for its report, deepest first: a failed run leaves none of them empty behind. */
const createdFolders: string[] = [];

/** Notes the folders a --report check created (foldersToMake before it). */
export function madeReportFolders(made: readonly string[]): void {
  createdFolders.push(...made);
}

/** `dir` and its parents that do not exist yet, deepest first. */
export function foldersToMake(dir: string): string[] {
  const out: string[] = [];
  for (let p = resolve(dir); !existsSync(p) && dirname(p) !== p; p = dirname(p)) out.push(p);
  return out;
}

/**
 * At the end of a run: when it failed, removes the report folders it created that are still empty
 * (a failed run left an empty new folder behind, as if it had written there); forgets them either way.
 */
export function settleReportFolders(failed: boolean): void {
  const made = createdFolders.splice(0);
  if (!failed) return;
  for (const p of made) {
    try {
      rmdirSync(p); // an empty folder only: one that holds anything stays
    } catch {
      return;
    }
  }
}

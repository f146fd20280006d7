// A subject table in an output folder that this run did not write (--no-table, the other --format,
// shards merged without tables) was read beside the new summary.json as this run's. It is said, not
// removed: the folder's files are the user's, and an earlier study's table may be its only copy
// (its shard folders gone); the table this run writes replaces its own earlier self atomically.

import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The names a population run or a merge gives its subject table in its output folder. */
export const TABLE_FILES = ['subjects.csv', 'subjects.arrow'] as const;

/** W_STALE_TABLE for each subject table in `out` other than `written` (the one this run wrote, if any). */
export function staleTableWarnings(out: string, written: string | undefined): string[] {
  return TABLE_FILES.map((f) => join(out, f))
    .filter((p) => p !== written && existsSync(p))
    .map((p) => `W_STALE_TABLE: ${p} is an earlier run's subject table, not this run's (${written !== undefined ? `this one wrote ${written}` : '--no-table wrote none'}); summary.json is this run's`);
}

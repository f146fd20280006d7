// `population --n 1e9 --out DIR` started without a word, where its table needed ~142 GB (141.6 bytes
// a subject) and the disk had 72 GB free: it would stop on a full disk hours later. Once the first
// chunk is written, its size per subject gives the table's, compared with the free space of the
// folder's filesystem (what an unprivileged process may use).

import { statfsSync } from 'node:fs';

const gb = (bytes: number): string => `${(bytes / 1e9).toFixed(bytes < 1e10 ? 2 : 1)} GB`;

/**
 * W_TABLE_SPACE when a table of `rows` subjects, at the size per subject of the `written` bytes of
 * its first `writtenRows`, needs more than the free space left in `dir`'s filesystem; else undefined.
 */
export function tableSpaceWarning(file: string, dir: string, written: number, writtenRows: number, rows: number): string | undefined {
  if (writtenRows <= 0 || rows <= writtenRows) return undefined;
  let free: number;
  try {
    const s = statfsSync(dir);
    free = s.bavail * s.bsize;
  } catch {
    return undefined; // a filesystem that does not say: nothing to compare with
  }
  const perSubject = written / writtenRows;
  const needed = perSubject * rows;
  // what is written already may not have reached the disk's count yet: the rest is compared
  if (needed - written <= free) return undefined;
  return `W_TABLE_SPACE: ${file} will need about ${gb(needed)} (${perSubject.toFixed(1)} bytes a subject, ${rows.toLocaleString('en-US')} subjects), but its filesystem has ${gb(free)} free: the run will stop when the disk is full, with no table`;
}

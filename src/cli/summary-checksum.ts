// A population summary (summary.json) carries the SHA-256 of its own content, so that `merge` takes
// a shard's counts, sums and sketches only as that shard wrote them: its subject table is checked
// against the hash the summary records, and the summary against this one (a hand-edited window
// count or sum merged into wrong statistics with exit 0 before).

import { createHash } from 'node:crypto';

/** The summary with `checksum`: SHA-256 of its JSON without that field (as JSON.parse gives it back). */
export function withChecksum<T extends object>(summary: T): T & { checksum: string } {
  const { checksum: _old, ...rest } = summary as T & { checksum?: string };
  return { ...(rest as T), checksum: createHash('sha256').update(JSON.stringify(rest)).digest('hex') };
}

/** Whether a parsed summary's `checksum` matches its content (false when it has none). */
export function checksumHolds(summary: object): boolean {
  const { checksum, ...rest } = summary as { checksum?: unknown };
  return typeof checksum === 'string' && createHash('sha256').update(JSON.stringify(rest)).digest('hex') === checksum;
}

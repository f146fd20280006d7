// A replicate table (simulate with replicates: REP, the data columns, IPRED, DV_SIM, BLQ_SIM) given back
// as data holds every ID once per replicate. The order check refused it as "row 1284, column ID: the
// records of an ID must be contiguous", which sent the user to look for unsorted IDs; the README
// promises the REP/IPRED/DV_SIM columns named. Where an ID comes back under another REP, the refusal
// names REP, the two replicates and the table's columns instead.

import { Errors, type DosewiseError } from '../errors.js';
import type { DataRecord } from './record.js';

/** The columns a replicate table writes besides the data's own. */
const WRITTEN = ['REP', 'IPRED', 'DV_SIM', 'BLQ_SIM'];

const itemOf = (r: DataRecord, upper: string): string | undefined => Object.keys(r.items).find((k) => k.toUpperCase() === upper);

/**
 * The refusal of record `r`, whose ID came back after other IDs, when its REP differs from the REP
 * of that ID's earlier records (a replicate table); undefined otherwise (the usual refusal stands).
 * Called only on that error: it walks the records once.
 */
export function replicateTableRefusal(records: readonly DataRecord[], r: DataRecord, file: string | undefined): DosewiseError | undefined {
  const rep = itemOf(r, 'REP');
  if (rep === undefined) return undefined;
  let earlier: DataRecord | undefined;
  for (const x of records) {
    if (x === r) break;
    if (x.ID === r.ID) earlier = x;
  }
  const was = earlier?.items[rep];
  const now = r.items[rep];
  if (earlier === undefined || was === undefined || now === undefined || Object.is(was, now)) return undefined;
  const present = WRITTEN.filter((c) => itemOf(r, c) !== undefined);
  return Errors.record(
    r.row,
    rep,
    now,
    `ID ${r.ID} comes back under ${rep} ${now} (its ${rep} ${was} records end at row ${earlier.row}): this is a replicate table (columns ${present.join(', ')}, which a run of replicates writes), not a data set; ` +
      `give the data set it was simulated from, or one replicate's rows without the columns ${WRITTEN.join(', ')}`,
    file,
  );
}

// The occasion of each record of a population's regimen, for a model with inter-occasion
// variability (κ drawn per occasion from Ω_IOV).

import { Errors } from '../errors.js';
import type { Model } from '../model/model.js';
import type { DataRecord } from '../regimen/record.js';

const missing = (v: number | undefined): boolean => v === undefined || Number.isNaN(v);

/**
 * Refuses a regimen record without its occasion when others have one, as `simulate --replicates`
 * and estimation refuse it: it took the first occasion's κ, so a regimen JSON with OCC on its doses
 * and an observation grid without it ran every interval on κ of occasion 1 (auc:0:72 SD 98.2 for
 * the 86.4 of three occasions). Named by its JSON path (`observe.0.items.OCC`) where `placeOf`
 * gives one, else by its row. A regimen without any occasion is refused where the occasions are
 * numbered (preparePlan); one with a single occasion takes it on every record.
 */
export function refuseRecordsWithoutOccasion(
  model: Pick<Model, 'iov'>,
  records: readonly DataRecord[],
  file: string,
  placeOf: (r: DataRecord, i: number) => string | undefined = () => undefined,
): void {
  const iov = model.iov;
  if (iov === undefined || iov.names.length === 0) return;
  const col = iov.occasion as string;
  const given = [...new Set(records.map((r) => r.items[col]).filter((v): v is number => !missing(v)))].sort((a, b) => a - b);
  // one occasion: a record without it can be on no other (a dose with OCC 1 and a grid without items)
  if (given.length <= 1) return;
  const blank = records.findIndex((r) => missing(r.items[col]));
  if (blank < 0) return;
  const r = records[blank] as DataRecord;
  const place = placeOf(r, blank);
  const blanks = records.flatMap((x, i) => (missing(x.items[col]) ? [i] : []));
  const values = `${col} ${given.slice(0, 5).join(', ')}${given.length > 5 ? ', …' : ''}`;
  const why = `the model has IOV by ${col} (κ per occasion): every record needs its occasion`;
  if (place === undefined) {
    const more = blanks.length - 1;
    throw Errors.record(r.row, col, 'missing', `${why}, and this one has none${more > 0 ? ` (nor ${more} more record${more === 1 ? '' : 's'})` : ''} where others give ${values}; fill in ${col} on every row, a level's being that of the dose before it (NONMEM charts the occasion on every record)`, file);
  }
  const places = [...new Set(blanks.map((i) => placeOf(records[i] as DataRecord, i) ?? `row ${(records[i] as DataRecord).row}`))];
  const listed = places.length > 3 ? `${places.slice(0, 3).join(', ')} and ${places.length - 3} more` : places.join(', ');
  const how = place.startsWith('observe.')
    ? `give ${col} in the items of each observe entry, one entry per occasion (for a dose of ${col} 2 at 24 h and the next at 48 h: { "grid": { "from": 24.5, "to": 48, "step": 0.5 }, "items": { "${col}": 2 } })`
    : `give ${col} in the items of every dose and observe entry`;
  throw Errors.jsonField(file, `${place}.items.${col}`, `${why}, and ${listed} give${places.length === 1 ? 's' : ''} none where others give ${values}; ${how}`);
}

// A data set's columns of text that the run does not read (USUBJID, SEX as M/F) are carried as
// written (regimen/text-items.ts): said once per column on stderr, not once per row. One the model
// reads is refused here, naming the file, before anything is read from it.

import type { Model } from '../model/model.js';
import type { DataRecord } from '../regimen/record.js';
import { itemsReadBy, refuseTextItems, textColumns } from '../regimen/text-items.js';
import { readWarnings } from '../regimen/nmtran.js';
import { isLevelUnitColumn, refuseLevelUnits, uncomparedLevelUnits, unreadUnitColumns } from '../bayes/level-units.js';

/**
 * Writes a note per column of text the model does not read, after refusing one it reads and a level
 * whose unit column (DVUNIT, UNIT …) differs from the model's unit; and the
 * warnings of reading the records (W_DATE_ORDER), which every command that reads a data set says.
 */
export function noteTextColumns(model: Model, records: readonly DataRecord[], file: string): void {
  for (const w of readWarnings(records)) process.stderr.write(`dosewise: warning: ${w}\n`);
  const columns = textColumns(records);
  if (columns.length > 0) refuseTextItems(records, itemsReadBy(model), file);
  // a unit column of numbers (lab codes) holds no text and is judged too
  // a column of the levels' unit is read: compared with the model's, a level in another unit refused
  refuseLevelUnits(model, records, file);
  // a bare UNIT column holding no unit (a care unit: ICU, Ward 5B) is not the levels' unit
  for (const w of unreadUnitColumns(model, records)) process.stderr.write(`dosewise: warning: ${file}: ${w.code}: ${w.message}\n`);
  // a model that states no unit for its levels has nothing to compare the column with: said, as
  // the column was before it was read (it passed silently, µmol/L levels fitted as the model's)
  for (const [c, units] of uncomparedLevelUnits(model, records))
    process.stderr.write(`dosewise: note: ${file}: column ${c} gives the levels' unit (${units.join(', ')}), but model ${model.name} states no unit for its levels: not compared, the levels fitted as written (a unit in the model, observe.unit or the output's, would compare them)\n`);
  for (const c of columns) if (!isLevelUnitColumn(c)) process.stderr.write(`dosewise: note: ${file}: column ${c} holds text and is not read by the model: carried as written\n`);
}

/**
 * The reading warnings of one ID's records as the JSON's warnings hold them ({ code, message }):
 * W_DATE_ORDER was said on stderr only, and an app reading the JSON saw a fit of months-apart doses
 * without a word.
 */
export function readWarningItems(records: readonly DataRecord[]): { code: string; message: string }[] {
  return readWarnings(records).map((w) => ({ code: w.slice(0, w.indexOf(':')), message: w.slice(w.indexOf(':') + 2) }));
}

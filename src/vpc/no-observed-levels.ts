// vpc's refusal of a data set with no observed level to compare. It said "conc.csv, row 0, column
// DV: the data set has no observations (EVID 0, MDV 0) to check (got undefined)" alike for levels in
// a column CONC (no DV column), no DV column at all and no observation record: "row 0" and
// "undefined" were the code's, and the cause was unsaid. Now it says which of the three it is.

import { DosewiseError } from '../errors.js';
import { isDose, type DataRecord } from '../regimen/record.js';

/** Column names that usually hold measured levels under another name than DV (CONC, CP, LEVEL, …). */
const LEVEL_NAME = /^(?:CONC\w*|CP|COBS|CPLASMA|OBS|LEVEL\w*|ODV|LNDV|LOGDV|RESULT|AVAL|PCSTRESN|Y)$/i;

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/**
 * The refusal of a VPC with no observed level: `checked` tells an observation record that the VPC
 * compares (EVID 0, MDV 0, of the output chosen), `missing` the rows of those with DV missing,
 * `which` the output's words where one of several was chosen (" of DVID 2").
 */
export function noObservedLevels(records: readonly DataRecord[], checked: (r: DataRecord) => boolean, missing: readonly number[], file: string | undefined, which = ''): DosewiseError {
  const lead = file === undefined ? '' : `${file}: `;
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const r of records)
    for (const c of Object.keys(r.items))
      if (!seen.has(c)) {
        seen.add(c);
        columns.push(c);
      }
  if (!seen.has('DV')) {
    const named = columns.filter((c) => LEVEL_NAME.test(c));
    const fix = named.length === 1 ? `if ${named[0] as string} holds the levels, name it DV` : named.length > 1 ? `if one of ${named.join(', ')} holds the levels, name it DV` : 'give the levels in a column DV';
    return new DosewiseError('E_CSV_COLUMN_MISSING', `${lead}the data set has no DV column, and a VPC compares the observed levels (DV on the observation records, EVID 0 with MDV 0) with simulated ones; the columns are ${columns.join(', ')}: ${fix}`, { file, column: 'DV' });
  }
  const place = `${file === undefined ? '' : `${file}, `}column DV: `;
  const observations = records.filter(checked).length;
  if (observations > 0) {
    const rows = missing.slice(0, 5).join(', ') + (missing.length > 5 ? ` and ${missing.length - 5} more` : '');
    return new DosewiseError('E_RECORD', `${place}every observation record${which} (EVID 0 with MDV 0) has DV missing (rows ${rows}): no observed level to compare with simulated ones`, { file, column: 'DV' });
  }
  // what the records are instead
  const doses = records.filter(isDose).length;
  const unmeasured = records.filter((r) => r.EVID === 0 && r.MDV !== 0).length;
  const measured = records.filter((r) => r.EVID === 0 && r.MDV === 0).length;
  const other = records.length - doses - unmeasured - measured;
  const parts = [
    ...(doses ? [plural(doses, 'dose', 'doses')] : []),
    ...(unmeasured ? [`${plural(unmeasured, 'observation record', 'observation records')} with MDV 1 (not a measured level)`] : []),
    ...(measured ? [`${plural(measured, 'observation record', 'observation records')} of another output`] : []),
    ...(other ? [plural(other, 'other event (EVID 2 or 3)', 'other events (EVID 2 or 3)')] : []),
  ];
  const list = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1] as string}` : (parts[0] ?? '');
  return new DosewiseError('E_RECORD', `${place}the data set has no observation record${which} (EVID 0 with MDV 0) to compare with simulated ones: its ${records.length === 1 ? '1 record is' : `${records.length} records are`} ${list}`, { file, column: 'DV' });
}

// W_DOSE_DUPLICATE: a dose row copied twice in a chart (every cell equal) was given twice without a
// word, while a copied level was warned (W_LEVEL_DUPLICATE): dupdose.csv's 20:00 dose twice moved
// the W-map patient's MAP ETA_CL to 0.3676 from 0.3077. Both are still given, as NONMEM gives them:
// two bags of one dose at one time are charted so too.

import { isDose, type DataRecord } from './record.js';

/**
 * The warnings of dose records whose every cell equals another dose record's (of one ID, then),
 * each on the copy's row: `cells` the rows' cells in file order, `at` the written time of a row.
 */
export function duplicateDoseWarnings(columns: readonly string[], cells: readonly (readonly string[])[], records: readonly DataRecord[], at: (row: number) => string, file?: string): { row: number; text: string }[] {
  const first = new Map<string, number[]>();
  records.forEach((r, k) => {
    if (!isDose(r)) return;
    // a separator no cell holds (splitCsvLine trims, so no cell holds a NUL: readNmtran refuses them)
    const key = (cells[k] as readonly string[]).join('\u0000');
    const rows = first.get(key);
    if (rows) rows.push(k);
    else first.set(key, [k]);
  });
  const amt = columns.findIndex((c) => c.toUpperCase() === 'AMT');
  const out: { row: number; text: string }[] = [];
  for (const ks of first.values()) {
    if (ks.length < 2) continue;
    const r = records[ks[0] as number] as DataRecord;
    const rows = ks.map((k) => k + 1);
    const named = `rows ${rows.slice(0, -1).join(', ')} and ${rows[rows.length - 1]}`;
    const amount = amt >= 0 ? (cells[ks[0] as number] as readonly string[])[amt] : String(r.AMT);
    out.push({
      row: rows[rows.length - 1] as number,
      text:
        `W_DOSE_DUPLICATE: ${file === undefined ? '' : `${file}, `}${named} (ID ${r.ID}): dose records with every cell equal (AMT ${amount} at ${at(rows[0] as number)}), ` +
        `both given (${rows.length} doses at that time, as NONMEM gives them); if one is a copy of the other, remove it`,
    });
  }
  return out.sort((a, b) => a.row - b.row);
}

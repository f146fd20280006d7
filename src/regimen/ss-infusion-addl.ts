// A steady-state infusion (SS 1 or 2, RATE > 0, −1 or −2) with ADDL > 0. NONMEM's ADDL help: "For
// steady-state infusions, ADDL must be 0" (for a steady-state bolus ADDL continues the pattern
// with doses that are not steady state). dosewise reads it the way the bolus's ADDL is read — the
// copies every II after the record, without SS — which is the natural reading (an independent
// simulator agrees to 5e-10), but a data set written or checked with dosewise then fails in
// NONMEM, and nothing said so (t4's fuzzer: SS 1, RATE 10, ADDL 2, exit 0 without a word). Said
// by the commands that read a data set (--data: simulate, vpc, estimate, forecast, ...), as a
// warning of its own before the run; not of a regimen (JSON or builder), where dur, ii, addl and
// ss 1 together are dosewise's usual "q12h at steady state" and NONMEM never reads the file.

import { isDose, type DataRecord } from './record.js';
import { recordPlace } from './file.js';

const g = (x: number): string => String(Number(x.toPrecision(10)));

/** One warning (or none) for the steady-state infusion records with ADDL > 0; `at`: the positions to read (at least every dose with SS > 0), all where absent. */
export function steadyInfusionAddlWarnings(records: readonly DataRecord[], file: string | undefined, at?: Int32Array): string[] {
  let first: DataRecord | undefined;
  let n = 0;
  const m = at ? at.length : records.length;
  for (let j = 0; j < m; j++) {
    const r = records[at ? (at[j] as number) : j] as DataRecord;
    if (!(r.SS > 0) || !(r.ADDL > 0) || r.RATE === 0 || !isDose(r)) continue;
    first ??= r;
    n++;
  }
  if (!first) return [];
  const r = first;
  const rate = r.RATE > 0 ? `RATE ${g(r.RATE)}` : `RATE ${r.RATE}, ${r.RATE === -1 ? 'the modelled rate' : 'the modelled duration'}`;
  const more = n > 1 ? ` (and ${n - 1} more such record${n > 2 ? 's' : ''})` : '';
  return [
    `${file === undefined ? '' : `${file}, `}${recordPlace(r)} (ID ${r.ID}, TIME ${g(r.TIME)})${more}: a steady-state infusion (SS ${r.SS}, ${rate}) with ADDL ${r.ADDL}, which NONMEM refuses ("for steady-state infusions, ADDL must be 0"); dosewise gives its ${r.ADDL} cop${r.ADDL > 1 ? 'ies' : 'y'} every ${g(r.II)} h after it as doses without SS, as NONMEM continues a steady-state bolus's ADDL. For a file NONMEM reads too, give ADDL 0 here and the copies on a record of their own at TIME ${g(r.TIME + r.II)} (SS 0${r.ADDL > 1 ? `, ADDL ${r.ADDL - 1}, II ${g(r.II)}` : ''})`,
  ];
}

// An infusion that runs past its own next dose: a duration typed in minutes (`dur: 60` meant as
// 1 h, with ii 12) ran as 60-h infusions overlapping one another, 0.317 mg/L at 1 h for about 19,
// with `warnings: []` in simulate(), forecast() and estimate() and exit 0 on the command line, where
// the browser tool refuses it. NONMEM gives overlapping infusions together, and so does dosewise: it
// is allowed, but said (W_INFUSION_OVERLAP), naming the record, its duration and the interval. Bags
// back to back (one ending as the next starts, within 1 % of the gap) are a continuous infusion
// written in pieces, and a bolus given while a bag runs is a top-up or an extra dose (read as such
// by the interval metrics): neither is an overlap here.

import { fixedRateDuration, isDose, type DataRecord } from './record.js';
import { recordPlace } from './file.js';

/** The code of the warning. */
export const INFUSION_OVERLAP_CODE = 'W_INFUSION_OVERLAP' as const;

/** The hint the browser tool gives the same case (src/web/case.ts HOURS_HINT). */
const HOURS = 'durations are in hours (60 min = 1 h)';

/** An infusion ending within this share of the gap after the next one starts is back to back with it (24-h bags at RATE 83.33 run 24.0012 h). */
const BACK_TO_BACK_SHARE = 0.01;

const g = (v: number): string => String(Number(v.toPrecision(6)));

/** Whether an infusion started at `start` running `dur` h runs past a dose at `next` by more than the back-to-back share of the gap. */
const runsPast = (start: number, dur: number, next: number): boolean => start + dur - next > BACK_TO_BACK_SHARE * (next - start);

/** The infusion's duration in h, for a dose record given as an infusion at a rate or duration in the data (RATE > 0, AMT > 0); 0 otherwise (a bolus, RATE −1/−2 the model's, an SS infusion of AMT 0). */
function duration(r: DataRecord): number {
  return isDose(r) && r.RATE > 0 && r.AMT > 0 ? fixedRateDuration(r, r.AMT) : 0;
}

/**
 * The W_INFUSION_OVERLAP warnings of `records` (the code first; `file` names the place, and `where`
 * is put before the place, as forecast's "records: " / "future regimen: "): the first overlapping
 * infusion, with how many more. An infusion overlaps where it runs longer than its own II with
 * ADDL or SS (each dose of the series runs past the next), or past the start of the next infusion
 * record of the same subject and compartment (from the last of its ADDL copies before that record).
 */
export function infusionOverlapWarnings(records: readonly DataRecord[], file?: string, where = ''): string[] {
  const hits: string[] = [];
  // records of one subject are contiguous and in time order (the readers and the builder sort them)
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as DataRecord;
    const dur = duration(r);
    if (!(dur > 0)) continue;
    const series = r.II > 0 && (r.ADDL > 0 || r.SS > 0);
    const what = `${recordPlace(r)} (ID ${r.ID}, TIME ${g(r.TIME)}): the infusion of ${g(r.AMT)} over ${g(dur)} h`;
    if (series && runsPast(0, dur, r.II)) {
      hits.push(`${what} runs past its own next dose, every ${g(r.II)} h (II ${g(r.II)}, ${r.SS > 0 ? `SS ${r.SS}` : `ADDL ${r.ADDL}`}): each runs on into the next, ${g(dur - r.II)} h together (as NONMEM gives them)`);
      continue;
    }
    for (let j = i + 1; j < records.length; j++) {
      const n = records[j] as DataRecord;
      if (n.ID !== r.ID) break;
      if (n.EVID === 3 || n.EVID === 4) break;
      if (!(n.TIME > r.TIME) || n.CMT !== r.CMT || !(duration(n) > 0)) continue;
      // the last of r's copies that starts before n
      const k = r.II > 0 && r.ADDL > 0 ? Math.min(r.ADDL, Math.ceil((n.TIME - r.TIME) / r.II) - 1) : 0;
      const start = r.TIME + Math.max(0, k) * r.II;
      if (runsPast(start, dur, n.TIME)) hits.push(`${what}${k > 0 ? ` (its ADDL copy at TIME ${g(start)})` : ''} runs past the next infusion${r.CMT > 0 ? ` into compartment ${r.CMT}` : ''}, ${g(n.TIME - start)} h later (${recordPlace(n)}, TIME ${g(n.TIME)}), until TIME ${g(start + dur)}: both run together (as NONMEM gives them)`);
      break;
    }
  }
  const first = hits[0];
  if (first === undefined) return [];
  return [`${INFUSION_OVERLAP_CODE}: ${where}${file === undefined ? '' : `${file}, `}${first}${hits.length > 1 ? ` (and ${hits.length - 1} more infusion record${hits.length > 2 ? 's' : ''} like it)` : ''}; if that was not meant, ${HOURS}`];
}

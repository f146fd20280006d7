// A regimen file for population runs: the records every virtual subject receives. Either an
// NM-TRAN CSV (the first ID's records) or JSON: { "doses": [DoseSpec...], "observe": [ObserveSpec...] },
// e.g. { "doses": [{ "time": 0, "amt": 500, "addl": 27, "ii": 12 }], "observe": [{ "grid": { "from": 0, "to": 336, "step": 1 } }] }.

import { z } from 'zod';
import { Errors } from '../errors.js';
import { regimen } from './builder.js';
import { readNmtran } from './nmtran.js';
import type { DataRecord } from './record.js';

const dose = z.strictObject({
  time: z.number().nonnegative(),
  amt: z.number().nonnegative(),
  cmt: z.number().int().positive().optional(),
  rate: z.number().optional(),
  dur: z.number().positive().optional(),
  addl: z.number().int().nonnegative().optional(),
  ii: z.number().nonnegative().optional(),
  ss: z.union([z.literal(0), z.literal(1), z.literal(2)]).optional(),
  items: z.record(z.string(), z.number()).optional(),
});
const observe = z.strictObject({
  times: z.array(z.number().nonnegative()).optional(),
  grid: z.strictObject({ from: z.number().nonnegative(), to: z.number().nonnegative(), step: z.number().positive() }).optional(),
  cmt: z.number().int().positive().optional(),
  items: z.record(z.string(), z.number()).optional(),
});
const regimenFile = z.strictObject({ doses: z.array(dose).min(1), observe: z.array(observe).min(1), description: z.string().optional() });

export type RegimenFile = z.infer<typeof regimenFile>;

export function parseRegimenJson(json: unknown, file = 'regimen'): DataRecord[] {
  const r = regimenFile.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0] as z.core.$ZodIssue;
    throw Errors.io(file, `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`);
  }
  let reg = regimen();
  for (const d of r.data.doses) reg = reg.dose(d);
  for (const o of r.data.observe) reg = reg.observe(o);
  return reg.records();
}

/** Reads a regimen from CSV (NM-TRAN; first ID) or JSON text, by the file's extension. */
export function readRegimen(text: string, file: string): DataRecord[] {
  if (/\.json$/i.test(file)) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw Errors.io(file, `not valid JSON: ${(e as Error).message}`);
    }
    return parseRegimenJson(json, file);
  }
  const data = readNmtran(text, { file });
  const first = data.records[0]?.ID;
  return data.records.filter((r) => r.ID === first);
}

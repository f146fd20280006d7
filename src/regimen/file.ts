// A regimen file for population runs: the records every virtual subject receives. Either an
// NM-TRAN CSV (one ID's records) or JSON: { "doses": [DoseSpec...], "observe": [ObserveSpec...] },
// e.g. { "doses": [{ "time": 0, "amt": 500, "addl": 27, "ii": 12 }], "observe": [{ "grid": { "from": 0, "to": 336, "step": 1 } }] }.

import { duplicateJsonKey } from '../json-duplicate-keys.js';
import { z } from 'zod';
import { DosewiseError, Errors } from '../errors.js';
import { MAX_ADDL_COPIES, MAX_OBSERVATIONS, addlCopiesDue, addlLimitWhy, addlOverLimit, doseField, gridPoints, observeTimes, regimen } from './builder.js';
import { readNmtran } from './nmtran.js';
import { DURATION_ITEM, STANDARD_COLUMNS, isDose, recordWhy, type DataRecord } from './record.js';
import { blanksTakeNextBefore } from '../model/partly-missing-items.js';
import type { Model } from '../model/model.js';

/**
 * Why a regimen JSON dose's "ss" is refused. NONMEM's SS 3 (SS 1 with its steady-state search
 * started from the current state) is not taken here: a regimen's steady state is SS 1's, the same
 * in a model linear in its states (where a data set's SS 3 is read as SS 1), so the refusal says
 * to write 1 rather than reading 3 as 1 whatever the model.
 */
function ssWhy(given: unknown): string {
  const values = "must be 0, 1 or 2 (NONMEM's SS: 0 none, 1 a steady state that resets the compartments, 2 one added to what they hold)";
  if (given !== 3) return values;
  return `must be 0, 1 or 2; for NONMEM's SS 3 (SS 1 with its steady-state search started from the current state) give "ss": 1: a regimen's steady state is SS 1's, the same as SS 3's in a model linear in its states`;
}

// built on first use: a data set in CSV, the common case, never pays for it
function buildSchema() {
  const dose = z.strictObject({
    time: z.number().nonnegative(),
    amt: z.number().nonnegative(),
    cmt: z.number().int().positive().optional(),
    rate: z.number().optional(),
    dur: z.number().positive().optional(),
    addl: z.number().int().nonnegative().optional(),
    ii: z.number().nonnegative().optional(),
    // zod's own words were 'doses.0.ss: Invalid input (got 3)', neither the values nor what to write
    ss: z.union([z.literal(0), z.literal(1), z.literal(2)], { error: (issue) => ssWhy(issue.input) }).optional(),
    items: z.record(z.string(), z.number()).optional(),
  }).refine((d) => d.rate === undefined || d.dur === undefined, { message: 'give "rate" or "dur", not both', path: ['dur'] });
  const observe = z.strictObject({
    times: z.array(z.number().nonnegative()).optional(),
    grid: z
      .strictObject({ from: z.number().nonnegative(), to: z.number().nonnegative(), step: z.number().positive() })
      .refine((g) => g.to >= g.from, { message: '"to" must not be before "from"', path: ['to'] })
      .refine((g) => gridPoints(g) <= MAX_OBSERVATIONS, { message: `more than ${MAX_OBSERVATIONS.toLocaleString('en-US')} observation times from "from" to "to" by "step" (the most one subject may have)`, path: ['to'] })
      .optional(),
    cmt: z.number().int().positive().optional(),
    items: z.record(z.string(), z.number()).optional(),
  });
  // no doses is an observation-only regimen (Claret's exposure is its DOSE item), as a CSV regimen may be
  return z.strictObject({ doses: z.array(dose), observe: z.array(observe).min(1), description: z.string().optional() });
}
let schema: ReturnType<typeof buildSchema> | undefined;

export type RegimenFile = z.infer<ReturnType<typeof buildSchema>>;

/** The value at a path of a JSON document, or undefined. */
function valueAt(json: unknown, path: readonly PropertyKey[]): unknown {
  let v = json;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[String(k)];
  }
  return v;
}

/** The JSON key of an observe spec that became a record column; `grid` undefined: not known (the entry's place alone). */
function observeKey(column: string, grid: boolean | undefined): string | undefined {
  const keys: Record<string, string | undefined> = { TIME: grid === undefined ? undefined : grid ? 'grid' : 'times', CMT: 'cmt' };
  return column in keys ? keys[column] : `items.${column}`;
}


/**
 * Builds the records of one dose or observation spec on its own, so that a record the validation
 * refuses is named by its place in the JSON (`doses.1.ii`), not by a row of the sorted records.
 */
function checked(file: string, at: string, spec: unknown, key: (column: string) => string, build: () => DataRecord[]): void {
  try {
    build();
  } catch (e) {
    if (!(e instanceof DosewiseError)) throw e;
    // the builder's own refusal of a number no dose takes (dose.amt), named by its place in the JSON
    const own = e.code === 'E_OPTION' ? /^(?:dose|observe)\.(.+)$/.exec(e.place.path ?? '') : null;
    if (own) throw Errors.jsonField(file, `${at}.${own[1] as string}`, e.message.replace(/^[^:]+: (?:dose|observe)\(\): \S+ /, '').replace(/ \(got [^()]*\)$/, ''), valueAt(spec, (own[1] as string).split('.')) ?? e.place.value);
    if (e.code !== 'E_RECORD' || e.place.column === undefined) throw e;
    const k = key(e.place.column);
    throw Errors.jsonField(file, `${at}.${k}`, recordWhy(e), valueAt(spec, k.split('.')) ?? e.place.value);
  }
}

// A regimen JSON's records are numbered after sorting, a row the user cannot find in the file: a
// warning or refusal about a record names its place in the JSON (`doses.0`, `observe.1`).
const jsonPlaces = new WeakMap<DataRecord, string>();
// where an item carried to a record was written (carrySingleItems): SCR 80 written on doses.0 and
// carried to the observations was refused as "observe.0.items.SCR", a place the file does not have
const carriedPlaces = new WeakMap<DataRecord, Readonly<Record<string, string>>>();

/** Where a record is in its file: `doses.N` or `observe.N` for a record of a regimen JSON, `row N` otherwise. */
export function recordPlace(r: DataRecord): string {
  return jsonPlaces.get(r) ?? `row ${r.row}`;
}

/** The place of a record of a regimen JSON (`doses.N`, `observe.N`), or undefined for a record of a CSV or built in code. */
export function jsonPlace(r: DataRecord): string | undefined {
  return jsonPlaces.get(r);
}

/**
 * A refusal of a record of the regimen `file` made where the file is not known, named by the file
 * and, for a regimen JSON, by the entry and field the record came from: a population compiles the
 * regimen's records apart from its file, and rc3.json's `"cmt": 3` read "row 2, column CMT: the
 * model has 1 compartments", a row the JSON does not have. An error that is no record refusal, or
 * names another file, is returned as it is.
 */
export function inRegimenFile(e: unknown, records: readonly DataRecord[], file: string): unknown {
  if (!(e instanceof DosewiseError) || e.code !== 'E_RECORD' || e.place.row === undefined || e.place.column === undefined) return e;
  // 'regimen' is the population's name for a regimen whose file it does not know
  if (e.place.file !== undefined && e.place.file !== 'regimen' && e.place.file !== file) return e;
  const { row, column, value } = e.place;
  const r = records.find((x) => x.row === row);
  const place = r === undefined ? undefined : (carriedPlaces.get(r)?.[column] ?? jsonPlaces.get(r));
  if (r === undefined || place === undefined) return e.place.file === file ? e : Errors.record(row, column, value, recordWhy(e), file);
  const key = place.startsWith('doses.') ? doseField(column, r.items[DURATION_ITEM] !== undefined) : observeKey(column, undefined);
  // a duration is named as written, not as the RATE amt/dur made of it
  const given = key === 'dur' ? r.items[DURATION_ITEM] : value;
  return Errors.jsonField(file, key === undefined ? place : `${place}.${key}`, recordWhy(e), given);
}

export function parseRegimenJson(json: unknown, file = 'regimen'): DataRecord[] {
  const r = (schema ??= buildSchema()).safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0] as z.core.$ZodIssue;
    if (issue.path.length === 0) throw Errors.io(file, `(root): ${issue.message}`);
    throw Errors.jsonField(file, issue.path.map(String).join('.'), issue.message, valueAt(json, issue.path));
  }
  // the engine's own items begin with @ (a dose's kept duration): one given here would change how a
  // dose runs without its rate or duration saying so
  for (const [list, specs] of [['doses', r.data.doses], ['observe', r.data.observe]] as const)
    specs.forEach((x, i) => {
      const k = Object.keys(x.items ?? {}).find((n) => n.startsWith('@'));
      if (k !== undefined) throw Errors.jsonField(file, `${list}.${i}.items.${k}`, 'names beginning with @ are the engine\'s own items; give a dose\'s duration as "dur"', x.items?.[k]);
    });
  // "times": [] (and no grid) observed nothing: a PTA then read "window [0, 12] ends after the last
  // simulated time 0", naming no file or field
  r.data.observe.forEach((o, i) => {
    if (o.times !== undefined && o.times.length === 0 && o.grid === undefined)
      throw Errors.jsonField(file, `observe.${i}.times`, 'is an empty list: give at least one observation time (hours), or a grid { from, to, step }');
  });
  r.data.doses.forEach((d, i) => checked(file, `doses.${i}`, d, (c) => doseField(c, d.dur !== undefined), () => regimen().dose(d).records()));
  r.data.observe.forEach((o, i) => checked(file, `observe.${i}`, o, (c) => observeKey(c, o.grid !== undefined) as string, () => regimen().observe(o).records()));
  // the rows the builder makes, in its order (doses, then each spec's observation times), with the
  // place in the JSON each comes from
  const rows: { t: number; order: number; place: string }[] = r.data.doses.map((d, i) => ({ t: d.time, order: 1, place: `doses.${i}` }));
  r.data.observe.forEach((o, i) => {
    for (const t of observeTimes(o)) rows.push({ t, order: 0, place: `observe.${i}` });
  });
  // ADDL 1e9 q1h before levels at 1 and 2 h crashed a population run; more copies before the last
  // record than the engine takes are refused naming the dose, as a data set's are naming the row
  const over = addlOverLimit(r.data.doses, [rows.reduce((m, x) => Math.max(m, x.t), -Infinity)]);
  if (over) throw Errors.jsonField(file, `doses.${over.index}.addl`, addlLimitWhy(over.due, over.last), r.data.doses[over.index]?.addl);
  let reg = regimen();
  for (const d of r.data.doses) reg = reg.dose(d);
  for (const o of r.data.observe) reg = reg.observe(o);
  const records = reg.records();
  // the builder sorts its rows by time, observations before doses at one time, each kind in the
  // order given (a stable sort): the same sort of the places is the one of the records
  rows.sort((a, b) => a.t - b.t || a.order - b.order);
  records.forEach((x, k) => {
    const p = rows[k];
    if (p && p.t === x.TIME && (p.order === 1) === (x.EVID === 1)) jsonPlaces.set(x, p.place);
  });
  return records;
}

/**
 * The records of a regimen JSON with each data item carried to the records from the time it is
 * first given, where every entry giving it gives one value (a CSV's records or ones built in code
 * are returned as they are): a JSON has no blank cell (NONMEM's 0), and a value written once is the
 * subject's. {"items": {"DIAL": 1}} on the dose alone left its observation grid blank, which
 * `population` refused, naming rows 1, 3, 4 of no file, where `forecast` carried it to the records
 * after the dose (its future records continue the latest value; it does its own filling, with the
 * history's values). An item given two values is not carried: which holds over a record without it
 * is the model's NOCB or LOCF rule, and a blank read there is refused (refusePartlyMissingItems).
 * An observation before the first dose takes the value too where the model's prediction there is 0
 * whatever the item (blanksTakeNextBefore; Goti's CRCL, given on a dose at 24 h, was missing on the
 * grid from 0 h and refused). An item a dose modifier reads (F, lag, duration, rate) is the dose's
 * own: it is not carried to another dose ({"FRAC": 0.5} on the first of two doses halved both), whose
 * blank is then refused by its JSON path.
 */
export function carryRegimenItems(records: DataRecord[], model: Pick<Model, 'slots' | 'structure' | 'iov'>): DataRecord[] {
  return sampleOccasions(carrySingleItems(records, model), model.iov?.names.length ? model.iov.occasion : undefined);
}

/**
 * A regimen JSON's samples without the IOV occasion, where its doses give several: each on the
 * occasion of the dose (or reset) before it, a sample before every dose on the first dose's, as
 * forecast reads a future sample (the builder puts a sample before a dose at its time: a trough is
 * the earlier occasion's). An observation grid without OCC beside doses on occasions 1 and 2 was
 * refused ("every record needs its occasion") where forecast filled the same grid. A dose without
 * its occasion is still refused, and a CSV's blank cells too (NONMEM charts OCC on every row).
 */
function sampleOccasions(records: DataRecord[], col: string | undefined): DataRecord[] {
  const given = (v: number | undefined): v is number => v !== undefined && !Number.isNaN(v);
  if (col === undefined || !records.every((x) => jsonPlaces.has(x))) return records;
  const opens = (x: DataRecord): boolean => isDose(x) || x.EVID === 3;
  if (new Set(records.filter(opens).map((x) => x.items[col]).filter(given)).size < 2) return records;
  let occ = records.find((x) => opens(x) && given(x.items[col]))?.items[col] as number;
  return records.map((x) => {
    const own = x.items[col];
    if (opens(x)) {
      if (given(own)) occ = own;
      return x;
    }
    if (given(own)) return x;
    const y = { ...x, items: { ...x.items, [col]: occ } };
    jsonPlaces.set(y, jsonPlaces.get(x) as string);
    const carriedHere = carriedPlaces.get(x);
    if (carriedHere) carriedPlaces.set(y, carriedHere);
    return y;
  });
}

function carrySingleItems(records: DataRecord[], model: Pick<Model, 'slots' | 'structure'>): DataRecord[] {
  const single = new Map<string, number | null>();
  for (const x of records) {
    if (!jsonPlaces.has(x)) return records;
    for (const [k, v] of Object.entries(x.items))
      // the record's own fields and the engine's @ items describe that record alone
      if (!(STANDARD_COLUMNS as readonly string[]).includes(k) && !k.startsWith('@')) single.set(k, single.has(k) && single.get(k) !== v ? null : v);
  }
  const carried = [...single].filter((e): e is [string, number] => e[1] !== null);
  if (carried.length === 0) return records;
  // from the time it is first given: a level before the dose at that time reads the subject's value too
  const given = carried.map(([k]) => records.find((x) => x.items[k] !== undefined) as DataRecord);
  const since = given.map((x) => x.TIME);
  // an item a dose modifier reads is the dose's own, even where other parameters read it too: a
  // food flag in F and KA given on the first dose only was carried to the fasted doses (AUC 134.0
  // for 118.4), and a genotype cannot be told from it; a subject's value goes on every dose or in
  // the covariate file (the refusal says so)
  const perDose = carried.map(([k]) => model.slots.modifiersDependOn(new Set([k])));
  const before = blanksTakeNextBefore(model, records);
  return records.map((x, i) => {
    let fill: Record<string, number> | undefined;
    carried.forEach(([k, v], j) => {
      if (x.items[k] !== undefined || (perDose[j] && isDose(x))) return;
      if (x.TIME >= (since[j] as number) || (i < before && x.EVID === 0)) (fill ??= {})[k] = v;
    });
    if (!fill) return x;
    const y = { ...x, items: { ...x.items, ...fill } };
    jsonPlaces.set(y, jsonPlaces.get(x) as string);
    const from: Record<string, string> = { ...carriedPlaces.get(x) };
    carried.forEach(([k], j) => {
      if (fill?.[k] !== undefined) from[k] = jsonPlaces.get(given[j] as DataRecord) as string;
    });
    carriedPlaces.set(y, from);
    return y;
  });
}

/**
 * Refuses a dose record of a regimen CSV whose ADDL copies before the regimen's last record exceed
 * MAX_ADDL_COPIES (see addlCopiesDue), naming the row, as the engine does for a data set.
 */
function refuseAddlOverLimit(records: readonly DataRecord[], file: string): void {
  let last = -Infinity;
  for (const r of records) if (r.TIME > last) last = r.TIME;
  for (const r of records) {
    if (r.EVID !== 1 && r.EVID !== 4) continue;
    const due = addlCopiesDue(r.TIME, r.ADDL, r.II, last);
    if (due > MAX_ADDL_COPIES) throw Errors.record(r.row, 'ADDL', r.ADDL, addlLimitWhy(due, last), file);
  }
}

/** Reads a regimen from CSV (NM-TRAN, one ID) or JSON text, by the file's extension. */
export function readRegimen(text: string, file: string): DataRecord[] {
  if (/\.json$/i.test(file)) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw Errors.io(file, `not valid JSON: ${(e as Error).message}`);
    }
    // "amt": 1000, "amt": 500 in one dose ran 500 mg: JSON.parse keeps the last of a key given twice
    const dup = duplicateJsonKey(text);
    if (dup) throw Errors.io(file, `key ${JSON.stringify(dup.key)} is given twice in ${dup.path === '' ? 'the top-level object' : dup.path}: JSON keeps only the last, so one of the two values would be dropped without a word; keep one`);
    return parseRegimenJson(json, file);
  }
  const data = readNmtran(text, { file });
  // one regimen for every subject or patient: the rows of a second ID were dropped without a word
  // (a forecast of ID 2 ran on ID 1's future doses)
  const ids = [...new Set(data.records.map((r) => r.ID))];
  if (ids.length > 1) {
    const second = data.records.find((r) => r.ID !== ids[0]) as DataRecord;
    throw Errors.record(second.row, 'ID', second.ID, `a regimen file is one ID's records, which every subject or patient receives; this one holds IDs ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''}: keep the rows of one ID`, file);
  }
  refuseAddlOverLimit(data.records, file);
  return [...data.records];
}

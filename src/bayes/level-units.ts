// A column of the levels' unit beside DV (DVUNIT, UNIT, PCSTRESU …) was carried as text and never
// read: levels in µmol/L fitted as mg/L (ETA_CL 0.307, CL 3.51, where the same levels in mg/L give
// 2.881) with only a note that the column is not read. Each level's unit is compared with the unit
// of the output it measures (observe.unit, outputs.<DVID>.unit); a level in another unit is refused,
// as dosewise converts no units, and levels in the model's unit pass without a word.

import { Errors } from '../errors.js';
import { isTextModelFile, type Model } from '../model/model.js';
import { compareUnits, isCovariateUnit, parseCovariateUnit } from '../model/units.js';
import type { DataRecord } from '../regimen/record.js';
import { recordOutput } from '../engine/outputs.js';

/** Whether a column's name says it holds the levels' unit (DVUNIT, DV_UNIT, UNITS, CDISC's PCSTRESU). */
export function isLevelUnitColumn(column: string): boolean {
  return /^(DV_?UNITS?|DVU|UNITS?|CONC_?UNITS?|LEVEL_?UNITS?|PC(OR|ST)RESU|AVALU)$/i.test(column.trim());
}

/**
 * A bare UNIT or UNITS: hospital exports name a care-unit column so ('ICU', 'Ward 5B'), which
 * refused the chart as "a level in ICU"; read as the levels' unit only where it holds one.
 */
function isBareUnitColumn(column: string): boolean {
  return /^UNITS?$/i.test(column.trim());
}

/**
 * Whether record r is a level as estimation reads it (EVID 0 and MDV 0; a BLQ-flagged level too):
 * an MDV 1 row (a covariate update, DV '.') with 'mL/min' in UNIT was refused as "a level in mL/min".
 */
const isLevel = (r: DataRecord): boolean => r.EVID === 0 && r.MDV === 0;

/** A unit field's unit without a note ("ng/mL (plasma)": ng/mL). */
function unitOfField(text: string): string {
  if (isCovariateUnit(spelt(text))) return text;
  const head = text.replace(/\([^)]*\)/g, ' ').trim().split(/\s+/)[0] ?? text;
  return isCovariateUnit(spelt(head)) ? head : text;
}

/**
 * A unit as units.ts reads it: volumes as cubes of a length (mg/dm3, g/m3: mg/L, read as no unit
 * and refused as "a molar unit against a mass") in litres.
 */
function spelt(text: string): string {
  return text
    .replace(/(?<![A-Za-zµ])dm(\^?3|³)/g, 'L')
    .replace(/(?<![A-Za-zµ])cm(\^?3|³)|(?<![A-Za-z])cc(?![A-Za-z])/g, 'mL')
    .replace(/(?<![A-Za-zµ])m(\^?3|³)/g, '1000 L');
}

/** A lab's unit cell that gives no unit ('-', '.', 'NA'): not compared, as an empty cell. */
const NO_UNIT = /^(-+|\.|n\/?a|none|unknown)$/i;

/** Whether a unit is a concentration: a mass or an amount per volume (mg/L, µmol/L, g/m3). */
export function isConcentrationUnit(text: string): boolean {
  const u = parseCovariateUnit(spelt(unitOfField(text)));
  if (u === undefined) return false;
  const [mass, amount, volume, time, length] = u.dim as [number, number, number, number, number];
  return mass + amount === 1 && mass * amount === 0 && volume === -1 && time === 0 && length === 0;
}

/** The unit of the levels of record r's output, where the model gives one (observe.unit, an output's unit, a model text's output … unit "mg/L"). */
export function levelUnit(model: Model, r: DataRecord): string | undefined {
  // a model text states units on its outputs only; it was read as stating none, and a DVUNIT of
  // ng/mL passed silently beside unit "mg/L" (fitted 1000x)
  const observe = isTextModelFile(model.file) ? undefined : model.file.observe?.unit;
  let output: ReturnType<typeof recordOutput>;
  try {
    output = recordOutput(model, r);
  } catch {
    // a record naming no output of the model is refused where it is fitted, in those words
    return undefined;
  }
  const unit = output === undefined ? observe : (output.unit ?? (output.compartment === model.observeCompartment ? observe : undefined));
  return unit === undefined || unit.trim() === '' ? undefined : unitOfField(unit);
}

/**
 * The columns named like the levels' unit: every record holds every column of its data set among
 * its items (a text cell's item is null), so the first record's names and the text cells' give them.
 */
function unitColumns(records: readonly DataRecord[]): string[] {
  const names = new Set(Object.keys(records[0]?.items ?? {}));
  for (const r of records) if (r.text !== undefined) for (const c in r.text) names.add(c);
  return [...names].filter(isLevelUnitColumn);
}

/**
 * A level's cell of a unit column as written (trimmed): text, or a number. A column of numbers (a
 * lab's unit codes, 2 for ng/mL) is read as a data item, not as text: such levels were never judged,
 * and ng/mL coded 2 were fitted as mg/L.
 */
function rawCell(r: DataRecord, column: string): { raw: string; code: boolean } | undefined {
  const text = r.text?.[column];
  if (text !== undefined) return { raw: text.trim(), code: false };
  const v = r.items[column];
  return typeof v === 'number' && Number.isFinite(v) ? { raw: String(v), code: true } : undefined;
}

/** A level's unit cell (trimmed, its note dropped), or undefined where the cell gives none. */
function cellUnit(r: DataRecord, column: string): string | undefined {
  const given = rawCell(r, column)?.raw ?? '';
  return given === '' || NO_UNIT.test(given) ? undefined : unitOfField(given);
}

/**
 * A lab's unit dosewise may not read: a ratio or percent, or a word of a mass, amount or volume
 * (IU/L, mEq/L, ng•mL-1, a µ mangled by the export's code page). A column of them is judged (a unit
 * not read is refused), never taken for a care unit: micromoles/L so taken fitted vancomycin levels
 * as mg/L, CL +34 %.
 */
const LAB_RATIO = /[/%]|\bper\b/i;
const LAB_WORD = /^(?:[kmµμunp]?g|mcg|[mµμunp]?mol(?:e?s)?|(?:milli|micro|nano|pico)(?:mol(?:e?s)?|grams?)|grams?|moles?|[mdµμ]?l|m?iu|u|m?eq|lit(?:er|re)s?)$/i;
function looksLikeLabUnit(raw: string): boolean {
  return LAB_RATIO.test(raw) || raw.split(/[^A-Za-zµμ]+/).some((w) => LAB_WORD.test(w));
}

/**
 * Whether a level's unit cell is a unit: its output's unit as written (a PD output in bpm), one
 * dosewise reads with a dimension (a bare number, '5' of a ward '5 North', is none), or what looks
 * like a lab's unit.
 */
function isUnitCell(model: Model, r: DataRecord, given: string, raw: string): boolean {
  const unit = levelUnit(model, r);
  if (unit !== undefined && compareUnits(spelt(given), spelt(unit)).same) return true;
  const u = parseCovariateUnit(spelt(given));
  if (u !== undefined && u.dim.some((d) => d !== 0)) return true;
  return looksLikeLabUnit(raw);
}

/**
 * The bare UNIT/UNITS columns not read as the levels' unit, as no cell of a level there is a unit
 * (a care unit: 'ICU', 'Ward 5B'), each with its first level's cell and row.
 */
function unreadColumns(model: Model, records: readonly DataRecord[]): Map<string, { value: string; row: number }> {
  const first = new Map<string, { value: string; row: number }>();
  const read = new Set<string>();
  const bare = unitColumns(records).filter(isBareUnitColumn);
  if (bare.length === 0) return first;
  for (const r of records) {
    if (!isLevel(r)) continue;
    for (const column of bare) {
      if (read.has(column)) continue;
      const given = cellUnit(r, column);
      if (given === undefined) continue;
      const raw = (rawCell(r, column) as { raw: string }).raw;
      // a number is no unit: a bare UNIT of numbers is a care unit's code as often as a lab's
      if (isUnitCell(model, r, given, raw)) read.add(column);
      else if (!first.has(column)) first.set(column, { value: raw, row: r.row });
    }
  }
  for (const c of read) first.delete(c);
  return first;
}

/**
 * W_UNIT_COLUMN_UNREAD, once per column: a bare UNIT/UNITS column whose levels' cells hold no unit
 * dosewise reads, so not taken for the levels' unit (the levels fitted as written, unjudged).
 */
export function unreadUnitColumns(model: Model, records: readonly DataRecord[]): { code: 'W_UNIT_COLUMN_UNREAD'; message: string }[] {
  const unread = unreadColumns(model, records);
  // a DVUNIT read beside a care-unit UNIT: "a column of the levels' unit is named DVUNIT" read as if there were none
  const read = unitColumns(records).filter((c) => !unread.has(c));
  return [...unread].map(([column, { value, row }]) => ({
    code: 'W_UNIT_COLUMN_UNREAD',
    message:
      `column ${column} (${JSON.stringify(value)} on row ${row}) holds no unit dosewise reads on any level, so it is not read as the levels' unit (a care unit?)` +
      (read.length > 0
        ? `; the levels' unit is read from ${read.join(', ')}`
        : ": the levels are fitted as written, in the model's unit; a column of the levels' unit is named DVUNIT"),
  }));
}

/**
 * The columns of the levels' unit whose cells the model gives no unit to compare with (a model
 * without observe.unit), with the units given there: said, not passed as if compared.
 */
export function uncomparedLevelUnits(model: Model, records: readonly DataRecord[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const unread = unreadColumns(model, records);
  const columns = unitColumns(records).filter((c) => !unread.has(c));
  if (columns.length === 0) return out;
  for (const r of records) {
    if (!isLevel(r)) continue;
    for (const column of columns) {
      const given = cellUnit(r, column);
      if (given === undefined || levelUnit(model, r) !== undefined) continue;
      const seen = out.get(column) ?? [];
      if (!seen.includes(given)) seen.push(given);
      out.set(column, seen);
    }
  }
  return out;
}

/** Why two units have no factor: of other kinds, a molar unit against a mass, or one not read. */
function noFactorWhy(given: string, unit: string): string {
  const a = parseCovariateUnit(spelt(given));
  const b = parseCovariateUnit(spelt(unit));
  if (a === undefined || b === undefined) return `${JSON.stringify(a === undefined ? given : unit)} is no unit dosewise reads`;
  const molarVsMass = (x: number[], y: number[]): boolean => x[0] === 1 && x[1] === 0 && y[0] === 0 && y[1] === 1;
  if (molarVsMass(a.dim, b.dim) || molarVsMass(b.dim, a.dim)) return 'a molar unit against a mass: the factor is the molar mass';
  return 'a unit of another kind';
}

/**
 * Refuses a level (EVID 0, MDV 0) whose unit cell, in a column named like a level unit, is not its output's
 * unit, naming the row, the column, the value and the model's unit (and the factor where the two
 * are of one kind). Dose rows are not read: a UNIT column may give their amounts' unit.
 */
export function refuseLevelUnits(model: Model, records: readonly DataRecord[], file?: string): void {
  const unread = unreadColumns(model, records);
  const columns = unitColumns(records).filter((c) => !unread.has(c));
  if (columns.length === 0) return;
  for (const r of records) {
    if (!isLevel(r)) continue;
    for (const column of columns) {
      const given = cellUnit(r, column);
      if (given === undefined) continue;
      const unit = levelUnit(model, r);
      // a number (a lab's code for a unit) says no unit whatever the model's: refused as no unit
      if ((rawCell(r, column) as { code: boolean }).code)
        throw Errors.csvValue(r.row, column, given, `a level's unit is a number here (a lab's code for a unit?), which dosewise cannot read: write the unit itself, such as ${unit ?? 'mg/L'}, in ${column}`, file);
      if (unit === undefined) continue;
      // an output whose unit dosewise cannot read (a PD output in bpm, mmHg, a score) is not judged:
      // refusing "mm Hg" against "mmHg" refused valid data that ran before the check; a level in a
      // unit it cannot read against a concentration (IU/L against mg/L) still is
      if (parseCovariateUnit(spelt(unit)) === undefined) continue;
      const cmp = compareUnits(spelt(given), spelt(unit));
      if (cmp.same) continue;
      const output = model.outputs ? recordOutput(model, r) : undefined;
      const theirs = `model ${model.name} ${output ? `measures ${output.name} (DVID ${output.dvid})` : 'observes its levels'} in ${unit}`;
      const why =
        cmp.factor !== undefined
          ? `a level in ${given} where ${theirs} (1 ${given} = ${cmp.factor} ${unit}): dosewise converts no units; give the level in ${unit} (DV × ${cmp.factor}) with ${unit} in ${column}`
          : `a level in ${given} where ${theirs}, a unit dosewise has no factor for (${noFactorWhy(given, unit)}): dosewise converts no units; give the level in ${unit} with ${unit} in ${column}`;
      throw Errors.csvValue(r.row, column, (rawCell(r, column) as { raw: string }).raw, why, file);
    }
  }
}

// A column of the levels' unit beside DV (DVUNIT, UNIT, PCSTRESU …) was carried as text and never
// read: levels in µmol/L fitted as mg/L (ETA_CL 0.307, CL 3.51, where the same levels in mg/L give
// 2.881) with only a note that the column is not read. Each level's unit is compared with the unit
// of the output it measures (observe.unit, outputs.<DVID>.unit); a level in another unit is refused,
// as dosewise converts no units, and levels in the model's unit pass without a word.

import { Errors } from '../errors.js';
import { isTextModelFile, type Model } from '../model/model.js';
import { compareUnits, isCovariateUnit } from '../model/units.js';
import type { DataRecord } from '../regimen/record.js';
import { recordOutput } from '../engine/outputs.js';

/** Whether a column's name says it holds the levels' unit (DVUNIT, DV_UNIT, UNITS, CDISC's PCSTRESU). */
export function isLevelUnitColumn(column: string): boolean {
  return /^(DV_?UNITS?|DVU|UNITS?|CONC_?UNITS?|LEVEL_?UNITS?|PC(OR|ST)RESU|AVALU)$/i.test(column.trim());
}

/** A unit field's unit without a note ("ng/mL (plasma)": ng/mL). */
function unitOfField(text: string): string {
  if (isCovariateUnit(text)) return text;
  const head = text.replace(/\([^)]*\)/g, ' ').trim().split(/\s+/)[0] ?? text;
  return isCovariateUnit(head) ? head : text;
}

/** The unit of the levels of record r's output, where the model file gives one. */
function modelLevelUnit(model: Model, r: DataRecord): string | undefined {
  if (isTextModelFile(model.file)) return undefined;
  const observe = model.file.observe?.unit;
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
 * Refuses a level (EVID 0) whose unit cell, in a column named like a level unit, is not its output's
 * unit, naming the row, the column, the value and the model's unit (and the factor where the two
 * are of one kind). Dose rows are not read: a UNIT column may give their amounts' unit.
 */
export function refuseLevelUnits(model: Model, records: readonly DataRecord[], file?: string): void {
  for (const r of records) {
    if (r.text === undefined || r.EVID !== 0) continue;
    for (const column in r.text) {
      if (!isLevelUnitColumn(column)) continue;
      const given = (r.text[column] as string).trim();
      if (given === '') continue;
      const unit = modelLevelUnit(model, r);
      if (unit === undefined) continue;
      const cmp = compareUnits(given, unit);
      if (cmp.same) continue;
      const output = model.outputs ? recordOutput(model, r) : undefined;
      const theirs = `model ${model.name} ${output ? `measures ${output.name} (DVID ${output.dvid})` : 'observes its levels'} in ${unit}`;
      const why =
        cmp.factor !== undefined
          ? `a level in ${given} where ${theirs} (1 ${given} = ${cmp.factor} ${unit}): dosewise converts no units; give the level in ${unit} (DV × ${cmp.factor}) with ${unit} in ${column}`
          : `a level in ${given} where ${theirs}, a unit dosewise has no factor for (another kind, or a molar unit against a mass): dosewise converts no units; give the level in ${unit} with ${unit} in ${column}`;
      throw Errors.csvValue(r.row, column, r.text[column], why, file);
    }
  }
}

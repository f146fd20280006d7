// A model's height covariate in inches told by the patient's age (the age-aware half of
// W_HEIGHT_UNIT; the other half is the body-mass index, covariate-flags.ts): where the height is
// outside the growth charts for the age and the height read as inches is inside.

import { bodyEnvelope, bodyEnvelopeAtAge, VIABLE_PMA_WEEKS } from '../clinical/growth-standards.js';
import { heightOutsideAge } from '../clinical/height-for-age.js';
import { ageCovariates } from './age-body.js';
import type { Model } from './model.js';

const HOURS_PER_WEEK = 168;
const HOURS_PER_YEAR = 8766;

/**
 * W_HEIGHT_UNIT of height covariate `height` (in cm) in one patient's `items` beside the age the
 * items give, or undefined (no age, a PMA under the youngest live birth, or a height fitting the age
 * or fitting it in no unit: an age in another unit is age-body.ts's).
 */
export function heightForAgeUnitWarning(model: Pick<Model, 'file'>, items: Readonly<Record<string, number>>, height: string): string | undefined {
  const cm = items[height];
  if (cm === undefined || !(cm > 0)) return undefined;
  for (const a of ageCovariates(model)) {
    const v = items[a.name];
    if (v === undefined || !(v >= 0) || !Number.isFinite(v)) continue;
    const hours = v * a.hoursPerUnit;
    if (a.kind === 'pma' && hours < VIABLE_PMA_WEEKS * HOURS_PER_WEEK) continue;
    const envelope = a.kind === 'pma' ? bodyEnvelope(hours / HOURS_PER_WEEK) : bodyEnvelopeAtAge(hours / HOURS_PER_YEAR);
    const out = heightOutsideAge(cm, envelope.heightCm);
    if (out?.inchesCm === undefined) return undefined;
    return `W_HEIGHT_UNIT: ${height} ${cm} with ${a.name} ${v} ${a.unit}: outside the heights growth charts give for that age (${out.range}): a height in inches? ${cm} in is ${out.inchesCm} cm; give the height in its declared unit`;
  }
  return undefined;
}

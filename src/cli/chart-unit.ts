// The unit of the levels a report's concentration chart shows: the output's, or for a model of one
// output its observe.unit (passed for multi-output models only, a declared "mg/L" never showed).

import { isTextModelFile, type Model, type Output } from '../model/model.js';

export function chartUnit(model: Model, output: Output | undefined): string | undefined {
  if (output) return output.unit;
  const unit = isTextModelFile(model.file) ? undefined : model.file.observe?.unit;
  return unit !== undefined && unit.trim() !== '' ? unit : undefined;
}

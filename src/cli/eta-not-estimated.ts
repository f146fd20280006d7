// W_ETA_NOT_ESTIMATED depends on the model, --param and the data's columns, not on the patient, but
// the command line said it with each ID's fit: `estimate --param V=60` on 20 patients printed 20
// identical lines, and a TDM cohort of 500 would bury every patient's own warning under 500. It is
// said once for the data set here, with the IDs it concerns, as the data set's other warnings are
// (dataSetWarnings); warnLevels leaves it out (SAID_APART), and the JSON keeps it in each ID's warnings.

import type { Model } from '../model/model.js';
import type { DataRecord } from '../regimen/record.js';
import { ETA_NOT_ESTIMATED_CODE, overriddenEffectWarnings, overriddenEffects } from '../bayes/overridden-effects.js';
import { cliWords } from './api-words.js';

/**
 * One line per random effect not estimated (and the parameters given for it), naming the file and
 * the IDs: "all 20 IDs", or "3 of the 20 IDs (ID 1, 2, 5)"; one ID as the fit's warnings name it.
 * A data column's words name the first ID's rows, said so where the others' differ. `future`: a
 * forecast's future regimen (where it lacks a column, it takes the history's value: said).
 */
export function etaNotEstimatedOnce(model: Model, list: readonly (readonly [number, readonly DataRecord[]])[], file: string, overrides: Readonly<Record<string, number>> | undefined, future?: readonly DataRecord[]): string[] {
  return etaNotEstimatedGroups(model, list, overrides, future).map(({ who, message }) => `${file}, ${who}, ${ETA_NOT_ESTIMATED_CODE}: ${message}`);
}

/**
 * etaNotEstimatedOnce's lines apart: the IDs ("all 4 IDs") and the message. `dosewise shrinkage`
 * said --param's alone (overriddenEffectWarnings without the records): a CL column on every record
 * left ETA_CL's shrinkage '.' without a word.
 */
export function etaNotEstimatedGroups(model: Model, list: readonly (readonly [number, readonly DataRecord[]])[], overrides: Readonly<Record<string, number>> | undefined, future?: readonly DataRecord[]): { who: string; message: string }[] {
  const groups = new Map<string, { ids: number[]; messages: string[] }>();
  for (const [id, records] of list) {
    const effects = overriddenEffects(model, overrides, records);
    if (effects.length === 0) continue;
    // in overriddenEffects' order, one each
    const words = overriddenEffectWarnings(model, overrides, records, future);
    effects.forEach((e, k) => {
      const key = `${e.effect}:${e.parameters.join(',')}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { ids: [], messages: [] }));
      g.ids.push(id);
      g.messages.push(cliWords((words[k] as { message: string }).message));
    });
  }
  const total = list.length;
  return [...groups.values()].map(({ ids, messages }) => {
    const listed = ids.length > 5 ? `${ids.slice(0, 5).join(', ')} and ${ids.length - 5} more` : ids.join(', ');
    const who = total === 1 ? `ID ${ids[0]}` : ids.length === total ? `all ${total} IDs` : `${ids.length} of the ${total} IDs (ID ${listed})`;
    const same = messages.every((m) => m === messages[0]);
    return { who, message: `${messages[0]}${same ? '' : ` (ID ${ids[0]}'s rows; the others' differ)`}` };
  });
}

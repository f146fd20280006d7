// --model FILE_OR_NAME: a model file path (JSON, or a model text: FILE.model), a model of the
// shipped library (models/<name>.json), or a built-in structure name (e.g. 2cmt-iv, advan4) with
// default parameters. A model text's kernel is compiled here (or taken from the cache), once, so
// every worker receives a ready model.

import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DosewiseError, Errors } from '../errors.js';
import { isPlainObject } from '../plain-object.js';
import { BUILTIN_STRUCTURES } from '../model/structure.js';
import { builtinModel, defineModel, isTextModelFile, type Model } from '../model/model.js';
import { libraryFolder as libraryDir } from '../model/library.js';
import { parseJsonText, readText } from './io.js';
import { checkModelNames, parseSettings } from './args.js';
import type { DataRecord } from '../regimen/record.js';
import { replacedItems } from '../regimen/replaced-items.js';
import { patientUnitProblem } from '../model/covariate-flags.js';
import { approximationWarning } from '../model/approximation.js';
import { implausibleVarianceWarnings } from '../model/variance-plausible.js';

export async function loadModel(arg: string): Promise<Model> {
  return (await loadModelJson(arg)).model;
}

/** A model text rather than JSON: by extension, or by `text`'s content that does not start like JSON. */
function isModelText(file: string, text: string): boolean {
  if (/\.model$/i.test(file)) return true;
  if (/\.json$/i.test(file)) return false;
  return !/^\s*[{[]/.test(text);
}

/** The model and the JSON it came from (workers rebuild models from JSON). */
export async function loadModelJson(arg: string, signal?: AbortSignal): Promise<{ json: unknown; model: Model }> {
  const fromFile = async (f: string) => {
    // read once: told apart by its content and read again, a pipe (--model /dev/stdin) was empty
    const text = readText(f, 'the model');
    // the model-text compiler and kernel builder load only for a model text
    if (isModelText(f, text)) {
      const [{ compileModelText }, { compileModel }] = await Promise.all([import('../model/text/index.js'), import('../engine/model-text.js')]);
      for (const w of compileModelText(text, f).model.warnings) process.stderr.write(`dosewise: ${w}\n`);
      // the compiled kernel when cached; else the interpreted one at once (same numbers), and the
      // compiled one built in the background for the next run
      const model = await compileModel(text, {
        file: f,
        signal,
        tier: 'auto',
        onInterpreted: ({ background }) =>
          process.stderr.write(`dosewise: ${f} runs interpreted (same results; the compiled kernel is ${background ? 'being built in the background for the next run' : 'not cached: dosewise compile builds it'})\n`),
        onCompileStart: () => process.stderr.write(`dosewise: compiling the kernel of ${f} (first use with this engine; cached afterwards)\n`),
      });
      sayImplausibleVariances(model, f);
      return { json: model.file, model };
    }
    const json = parseJsonText(text, f);
    // a model text in JSON form whose module is missing or does not belong to its text is compiled here
    if (isTextModelFile(json)) {
      const { compileModel } = await import('../engine/model-text.js');
      const model = await compileModel(json, { file: f, signal, onRefused: (why) => process.stderr.write(`dosewise: ${why}; compiling the kernel again from the text\n`) });
      sayImplausibleVariances(model, f);
      return { json: model.file, model };
    }
    let model: Model;
    try {
      model = defineModel(json);
    } catch (e) {
      throw notAModelFile(e, json, f);
    }
    const approximation = approximationWarning(model, json);
    if (approximation !== undefined) process.stderr.write(`dosewise: warning: ${approximation}\n`);
    sayImplausibleVariances(model, f);
    return { json, model };
  };
  // standard input (readText), told a model text from JSON by its content
  if (arg === '-' || existsSync(arg)) return fromFile(arg);
  const lib = libraryDir();
  if (lib && existsSync(join(lib, `${arg}.json`))) return fromFile(join(lib, `${arg}.json`));
  // a path that is not there: a missing file (exit 1), named as such
  if (/[/\\]|\.json$/i.test(arg)) readText(arg);
  if (BUILTIN_STRUCTURES[arg.toLowerCase()]) {
    const model = builtinModel(arg);
    return { json: model.file, model };
  }
  throw Errors.cli(`--model ${arg}: no such file, library model or built-in structure (built-ins: ${Object.keys(BUILTIN_STRUCTURES).join(', ')})`);
}

/** W_OMEGA_IMPLAUSIBLE (a CV % typed as a variance), said once as the model is loaded, for every command. */
function sayImplausibleVariances(model: Model, file: string): void {
  for (const w of implausibleVarianceWarnings(model, file)) process.stderr.write(`dosewise: warning: ${w}\n`);
}

/**
 * A JSON without the format field (a published model's source description, as in a models folder
 * beside the package) is named with the packaged model of its id, name or file name, if any: the
 * user most likely meant that one.
 */
function notAModelFile(e: unknown, json: unknown, file: string): unknown {
  // a field of the file named by its path alone ("model parameters.V: Invalid input") named no file,
  // where a regimen's or covariates file's refusal names both
  if (e instanceof DosewiseError && (e.code === 'E_MODEL' || e.code === 'E_EXPRESSION') && !e.message.includes(file) && !(e.place.path === 'dosewise' && isPlainObject(json) && !Object.hasOwn(json, 'dosewise')))
    return new DosewiseError(e.code, `${file}: ${e.message}`, { ...e.place, file });
  if (!(e instanceof DosewiseError) || e.code !== 'E_MODEL' || e.place.path !== 'dosewise' || !isPlainObject(json) || Object.hasOwn(json, 'dosewise')) return e;
  const lib = libraryDir();
  const names = [json.id, json.name, basename(file).replace(/\.json$/i, '')].filter((x): x is string => typeof x === 'string' && /^[\w.-]+$/.test(x));
  const packaged = names.find((n) => (lib !== undefined && existsSync(join(lib, `${n}.json`))) || Object.hasOwn(BUILTIN_STRUCTURES, n.toLowerCase()));
  const hint = packaged === undefined ? '' : `; --model ${packaged} runs the packaged model of that name`;
  return new DosewiseError(e.code, `${file}: ${e.message}${hint}`, { ...e.place, file });
}

/**
 * Parses repeated --param NAME=VALUE options; with a model, every NAME must be one it reads, an η
 * only where the command sets it (`estimated`: a MAP estimate fits it).
 */
export function parseParams(list: readonly string[] | undefined, model?: Model, etas: 'set' | 'estimated' = 'set'): Record<string, number> {
  const out = parseSettings(list, 'param');
  if (model) checkModelNames(model, out, 'param', etas);
  return out;
}

/**
 * Refuses a --param of a data item whose value, on some record beside that record's other values,
 * is in another unit than the model declares: --param SCR=8 on rows of 30-week infants ran (CL
 * 5.1e-4 L/h) where the same SCR charted was refused, the child rule needing the row's age. The
 * library refuses it too (as overrides.NAME); here it is named by its option.
 */
export function checkParamsOnRecords(model: Model, overrides: Readonly<Record<string, number>> | undefined, records: readonly DataRecord[], file: string): void {
  const over = Object.fromEntries(Object.entries(overrides ?? {}).filter(([n]) => model.inputs.includes(n)));
  const names = Object.keys(over);
  if (names.length === 0) return;
  for (const r of records) {
    const p = patientUnitProblem(model, { ...r.items, ...over }, names);
    if (p !== undefined) throw Errors.cli(`--param ${p.name}=${p.value}: ${p.why} (it replaces ${file}, row ${r.row}'s ${p.name} ${r.items[p.name] ?? '(none)'})`);
  }
}

/**
 * W_PARAM_REPLACES_DATA: a --param of a data item the records chart replaces it on every record,
 * the history included: `forecast --param ClCr=30` on a patient charted at ClCr 60 refitted the
 * levels at 30 (CL 2.98 → 1.52, trough 7.62 where the future regimen's items give 7.94), silently.
 * One message per such item, counting the records whose own value differs; `after` says what to do.
 */
export function replacedItemWarnings(model: Pick<Model, 'inputs'>, overrides: Readonly<Record<string, number>> | undefined, records: readonly DataRecord[], file: string, after: string): { code: 'W_PARAM_REPLACES_DATA'; message: string }[] {
  return replacedItems(model, overrides, records).map(({ name, value, shown, count }) => ({
    code: 'W_PARAM_REPLACES_DATA' as const,
    message: `${name} ${shown} in ${file} replaced by ${value} (--param ${name}=${value}) on ${count} record${count === 1 ? '' : 's'}${after}`,
  }));
}

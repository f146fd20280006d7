// The functions of the API that take a Model refuse anything else at their entry: given the model
// FILE object (what defineModel() takes), undefined, or arguments in the wrong order, they failed
// deep inside as raw TypeErrors ("model.inputs is not iterable", "reading 'method'"), and
// posteriorSample() returned η draws of length 0 without a word.

import { Errors } from '../errors.js';
import type { Model } from './model.js';

/** How a value that is not a Model is named in the message, with what to pass instead. */
function describe(v: unknown): string {
  if (v === undefined || v === null) return `got ${String(v)}`;
  if (typeof v === 'string') return "got a string: for a built-in structure pass builtinModel(name), for a model file defineModel(JSON.parse(text))";
  if (Array.isArray(v)) return 'got an array (are the arguments in the right order?)';
  if (typeof v !== 'object') return `got ${typeof v} ${String(v)}`;
  const o = v as Record<string, unknown>;
  if (o.dosewise === 'text') return "got a model text object: pass defineModel({ dosewise: 'text', text }) or await compileModel(text)";
  if ('dosewise' in o || ('structure' in o && 'parameters' in o)) return 'got a model file object: pass defineModel(json)';
  return 'got an object that is not one (are the arguments in the right order?)';
}

/** Whether `v` has what every Model has (duck-typed: the command line spreads a Model into a copy). */
export function isModel(v: unknown): v is Model {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Partial<Record<keyof Model, unknown>>;
  return typeof m.evaluate === 'function' && Array.isArray(m.parameterNames) && Array.isArray(m.inputs) && typeof m.solver === 'object' && m.solver !== null && typeof m.file === 'object' && m.file !== null;
}

/**
 * Refuses (E_OPTION, naming the argument) a `model` that is not a Model from defineModel(),
 * builtinModel() or compileModel(). `what` names the call (`simulate()`).
 */
export function checkModel(model: unknown, what: string, name = 'model'): asserts model is Model {
  if (isModel(model)) return;
  throw Errors.option(name, `${what}: ${name} must be a Model (defineModel(json), builtinModel(name, parameters) or await compileModel(text)); ${describe(model)}`);
}

// The option objects of the API refuse what they do not know: a misspelt key (`methd`, `duration`
// for `dur`, `ADDL` for `addl`) was ignored, and the call ran with the default without a word. Each
// options interface lists its keys once, beside it, through optionKeys(), whose argument the
// compiler checks against the interface: a new option cannot be left out of the list.

import { Errors } from './errors.js';

/**
 * The keys of the options interface T, from an object naming each of them once (a key missing from
 * it, or one T does not have, fails to compile).
 *
 * @example const KEYS = optionKeys<{ a?: number; b: string }>({ a: true, b: true }); // ['a', 'b']
 */
export function optionKeys<T>(keys: { readonly [K in keyof Required<T>]: true }): readonly string[] {
  return Object.freeze(Object.keys(keys));
}

/** Edit distance of two short names (a suggestion for a misspelt key). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length] as number;
}

/**
 * Whole words for the NM-TRAN abbreviations the options take: too far from them by spelling
 * (duration is 5 edits from dur) and continuing them, so no rule below offers them.
 */
const ABBREVIATED: ReadonlyMap<string, string> = new Map([['duration', 'dur'], ['amount', 'amt'], ['interval', 'ii'], ['compartment', 'cmt'], ['additional', 'addl'], ['steadystate', 'ss']]);

/**
 * The known key a misspelt one most likely meant: the same but for case, the abbreviation of a
 * whole word, one it begins (time for times), or one or two letters off. (Not one it continues:
 * maxUnits is no misspelt max.)
 */
function meant(key: string, known: readonly string[]): string | undefined {
  const low = key.toLowerCase();
  const short = ABBREVIATED.get(low.replace(/[^a-z]/g, ''));
  return (
    known.find((k) => k.toLowerCase() === low) ??
    known.find((k) => k === short) ??
    known.find((k) => low.length >= 3 && k.toLowerCase().startsWith(low)) ??
    known.find((k) => distance(low, k.toLowerCase()) <= Math.min(2, Math.floor(k.length / 3)))
  );
}

/**
 * Refuses (E_OPTION, naming the key) a key of `options` that is not one of `known`, listing the
 * known ones. `what` names the call (`simulate()`, `dose()`); `path` prefixes a nested object's keys
 * (`rounding.`). A key set to undefined asks for nothing and passes: callers forward every option,
 * set or not. `forwarded` are keys of a caller's larger options object, which it passes on whole.
 */
export function refuseUnknownKeys(options: unknown, known: readonly string[], what: string, path = '', forwarded: readonly string[] = []): void {
  if (options === undefined) return;
  const field = path.replace(/\.$/, '');
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw Errors.option(field || 'options', `${what}: ${field ? `${field} must be` : 'the options must be'} an object with the keys ${known.join(', ')} (got ${shown(options)})`, options);
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || known.includes(key) || forwarded.includes(key)) continue;
    const guess = meant(key, known);
    throw Errors.option(`${path}${key}`, `${what}: unknown option ${JSON.stringify(`${path}${key}`)}${guess === undefined ? '' : ` (did you mean ${path}${guess}?)`}; the options${field ? ` of ${field}` : ''} are ${known.join(', ')}`, value);
  }
}

/** Refuses (E_OPTION, naming the field) a value that is not one of `choices` (given: undefined is the default). */
export function refuseChoice(name: string, value: unknown, choices: readonly unknown[]): void {
  if (value === undefined || choices.includes(value)) return;
  const list = choices.every((c) => typeof c === 'boolean') ? 'true or false' : `one of ${choices.map(String).join(', ')}`;
  throw Errors.optionValue(name, value, `must be ${list}`);
}

/** A value as a message shows it. */
function shown(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) ? 'an array' : String(v);
}

/** The entries of `options` under `keys` (a caller's larger options object, passed on to a call that refuses the rest). */
export function pickKeys<T extends object>(options: T, keys: readonly string[]): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (k in options) out[k] = (options as Record<string, unknown>)[k];
  return out as Partial<T>;
}

/**
 * Refuses callbacks that are not functions and a signal that is not an AbortSignal, before any
 * work starts: `onProgress: 5` failed as a bare TypeError after the first chunk had run.
 */
export function checkCallbacks(o: object, names: readonly string[]): void {
  const v = o as Record<string, unknown>;
  for (const n of names) if (v[n] !== undefined && typeof v[n] !== 'function') throw Errors.optionValue(n, v[n], 'expected a function');
  if (v.signal !== undefined && !(v.signal instanceof AbortSignal)) throw Errors.optionValue('signal', v.signal, 'expected an AbortSignal');
}

/**
 * How a value of the wrong shape is named after "got" (an argument given as a string where an array
 * is wanted, a Model where records are, nothing at all): the value itself would show a whole CSV
 * text or "[object Object]".
 */
export function shapeOf(v: unknown): string {
  if (v === undefined || v === null) return String(v);
  if (typeof v === 'string') return v.length > 40 ? `a string of ${v.length} characters` : `the string ${JSON.stringify(v)}`;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return `${typeof v} ${String(v)}`;
  if (typeof v === 'function') return 'a function';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  if (v instanceof Map || v instanceof Set) return `a ${v.constructor.name} of ${v.size}`;
  const o = v as Record<string, unknown>;
  if (typeof o.evaluate === 'function' && Array.isArray(o.parameterNames)) return 'a Model';
  if ('dosewise' in o || ('structure' in o && 'parameters' in o)) return 'a model file object';
  return 'an object';
}

/**
 * Refuses (E_OPTION, path `options`) an options object that was not given, for a call whose options
 * have required keys: `what` names the call (`runStudy()`), `required` the keys it needs. The rest
 * of the shape (null, an array, unknown keys) is refuseUnknownKeys'.
 */
export function refuseMissingOptions(options: unknown, what: string, required: string): void {
  if (options === undefined) throw Errors.option('options', `${what}: the options are required (${required})`);
}

/** Whether `v` is an array or a typed array of numbers (what an ArrayLike<number> argument takes). */
export function isNumberArray(v: unknown): v is ArrayLike<number> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView) && !(v instanceof BigInt64Array) && !(v instanceof BigUint64Array));
}

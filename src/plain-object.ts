// What an API option of NAME: value pairs takes: an object literal (or JSON.parse's). A Map was
// read through Object.entries as no entries at all: simulate(m, rec, { overrides: new Map([['CL',
// 4]]) }) ran at CL 5 without a word.

/** An object literal, JSON.parse's, or Object.create(null)'s: not a Map, an array, a class's instance. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

// What an API option of NAME: value pairs takes: an object literal (or JSON.parse's). A Map was
// read through Object.entries as no entries at all: simulate(m, rec, { overrides: new Map([['CL',
// 4]]) }) ran at CL 5 without a word.

/**
 * An object literal, JSON.parse's, or Object.create(null)'s: not a Map, an array, a class's instance.
 * Of any realm: an object made in an iframe, a vm context or a test environment has that realm's
 * Object.prototype (one whose own prototype is null), and was refused as "an object of class Object".
 */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto === Object.prototype || proto === null) return true;
  return Object.getPrototypeOf(proto) === null && Object.prototype.toString.call(v) === '[object Object]' && (proto as { constructor?: { name?: unknown } }).constructor?.name === 'Object';
}

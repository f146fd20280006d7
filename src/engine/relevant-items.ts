// Which data items decide a record's model evaluation, and whether two records agree on them: a
// record is evaluated again only where these values change from the previous record's.

import type { Model } from '../model/model.js';

/** Names whose values decide a record's evaluation: the model's inputs and parameters. */
export const relevantNames = (model: Model): readonly string[] => [...model.inputs, ...model.parameterNames];

export type Items = Readonly<Record<string, number>>;

/**
 * Whether two records' items hold the same relevant values: per name `===`, or both NaN (absent
 * values are equal only to absent ones). The first names are read at call sites of their own, so
 * each site always sees one name and V8 keeps it a fast monomorphic load (one site looping over
 * names goes megamorphic: most of the general path's time went there), and each pair is compared
 * in place: a helper taking the two values made V8 box every double it read (16 bytes per value,
 * ~70 MB per 730,000 records, and the scavenges to collect them).
 */
export function sameRelevant(a: Items, b: Items, names: readonly string[]): boolean {
  const n = names.length;
  if (n === 0) return true;
  const k0 = names[0] as string;
  const x0 = a[k0];
  const y0 = b[k0];
  if (x0 !== y0 && (x0 === x0 || y0 === y0)) return false;
  if (n === 1) return true;
  const k1 = names[1] as string;
  const x1 = a[k1];
  const y1 = b[k1];
  if (x1 !== y1 && (x1 === x1 || y1 === y1)) return false;
  if (n === 2) return true;
  const k2 = names[2] as string;
  const x2 = a[k2];
  const y2 = b[k2];
  if (x2 !== y2 && (x2 === x2 || y2 === y2)) return false;
  if (n === 3) return true;
  for (let i = 3; i < n; i++) {
    const k = names[i] as string;
    const x = a[k];
    const y = b[k];
    if (x !== y && (x === x || y === y)) return false;
  }
  return true;
}

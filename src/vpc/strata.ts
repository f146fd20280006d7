// The strata of a stratified VPC: the observations grouped by the values of one or more data
// columns (their combinations). A column constant within every subject stratifies subjects, by the
// value on their first record; one that changes within a subject (a period, a DVID whose dose rows
// hold 0) stratifies observations by their own record's value, as PsN's vpc does. A stratum is a
// subset of the one simulated data set: its replicates are the same.

import { Errors } from '../errors.js';
import type { DataRecord } from '../regimen/record.js';
import { editDistance } from '../edit-distance.js';

/** More strata than this are refused: a VPC of a few observations each checks nothing. */
export const MAX_STRATA = 20;

export interface Stratum {
  /** `SEX=1`, or `SEX=1 FORM=2` for several columns ('.' for a missing value). */
  readonly name: string;
  /** The column values (text for a text column, null where missing). */
  readonly values: Readonly<Record<string, number | string | null>>;
  /** Per column: whether subjects (constant within each) or observation records were stratified. */
  readonly by: Readonly<Record<string, 'subject' | 'record'>>;
  /** Positions in the checked observations' list, ascending. */
  readonly members: readonly number[];
}

/** A record's value of column `c` (its name as the data spell it): text, number, or null when missing. */
function cellOf(r: DataRecord, c: string): number | string | null {
  const t = r.text?.[c];
  if (t !== undefined) return t;
  const v = r.items[c];
  return v === undefined || Number.isNaN(v) ? null : v;
}

const shown = (v: number | string | null): string => (v === null ? '.' : String(v));

/** Numbers in order, then text, then missing. */
function compareValues(a: number | string | null, b: number | string | null): number {
  if (a === b) return 0;
  if (a === null || b === null) return a === null ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number' || typeof b === 'number') return typeof a === 'number' ? -1 : 1;
  return a < b ? -1 : 1;
}

/** The data set's column names, as spelt in it. */
function columnsOf(records: readonly DataRecord[]): string[] {
  const seen = new Set<string>();
  for (const r of records) {
    for (const k of Object.keys(r.items)) if (!k.startsWith('@')) seen.add(k);
    for (const k of Object.keys(r.text ?? {})) seen.add(k);
  }
  return [...seen];
}

/** The column `name` matches (case-insensitively), or a refusal naming it and the close names. */
function resolveColumn(name: string, columns: readonly string[]): string {
  const exact = columns.find((c) => c === name) ?? columns.find((c) => c.toUpperCase() === name.toUpperCase());
  if (exact !== undefined) return exact;
  const near = columns
    .map((c) => ({ c, d: editDistance(name, c) }))
    .filter((x) => x.d <= Math.max(1, Math.floor(name.length / 2)) || x.c.toUpperCase().includes(name.toUpperCase()) || name.toUpperCase().includes(x.c.toUpperCase()))
    .sort((x, y) => x.d - y.d)
    .map((x) => x.c);
  const hint = near.length > 0 ? `close names: ${near.slice(0, 5).join(', ')}` : `its columns: ${columns.join(', ')}`;
  throw Errors.option('stratify', `stratify: no column ${name} in the data set (${hint})`, name);
}

/**
 * Groups the checked observations (`obs`: indices into `records`) by `columns`. Strata are sorted by
 * value (numbers, then text, then missing), the first column first. A subject-level stratum whose
 * subjects have no checked observation is skipped with W_STRATUM_EMPTY; more than MAX_STRATA strata
 * are refused.
 */
export function vpcStrata(records: readonly DataRecord[], obs: readonly number[], columns: readonly string[]): { strata: Stratum[]; warnings: string[]; notes: string[] } {
  if (!Array.isArray(columns) || columns.length === 0 || columns.some((c) => typeof c !== 'string' || c.trim() === ''))
    throw Errors.option('stratify', 'stratify: expected one or more column names of the data set (SEX, or SEX and DVID for their combinations)', columns);
  const all = columnsOf(records);
  const cols = [...new Set(columns.map((c) => resolveColumn(c.trim(), all)))];
  // per column: constant within every subject (by ID) or not
  const by: Record<string, 'subject' | 'record'> = {};
  const notes: string[] = [];
  for (const c of cols) {
    const first = new Map<number, number | string | null>();
    let changes: DataRecord | undefined;
    for (const r of records) {
      const v = cellOf(r, c);
      if (!first.has(r.ID)) first.set(r.ID, v);
      else if (changes === undefined && first.get(r.ID) !== v) changes = r;
    }
    by[c] = changes ? 'record' : 'subject';
    if (changes)
      notes.push(
        `stratify: ${c} changes within subjects (ID ${changes.ID}, row ${changes.row}: ${shown(cellOf(changes, c))} after ${shown(first.get(changes.ID) ?? null)}): observations are stratified by observation, each by its own record's ${c}`,
      );
  }
  const keyOf = (values: readonly (number | string | null)[]): string => JSON.stringify(values);
  const groups = new Map<string, { values: (number | string | null)[]; members: number[] }>();
  obs.forEach((i, j) => {
    const r = records[i] as DataRecord;
    const values = cols.map((c) => cellOf(r, c));
    const k = keyOf(values);
    const g = groups.get(k);
    if (g) g.members.push(j);
    else groups.set(k, { values, members: [j] });
  });
  // subject-level strata named by the data but holding no checked observation: said, not drawn
  const warnings: string[] = [];
  if (cols.every((c) => by[c] === 'subject')) {
    const empty = new Map<string, { values: (number | string | null)[]; ids: number[] }>();
    for (const r of records) {
      const values = cols.map((c) => cellOf(r, c));
      const k = keyOf(values);
      if (groups.has(k)) continue;
      const e = empty.get(k) ?? { values, ids: [] };
      if (!e.ids.includes(r.ID)) e.ids.push(r.ID);
      empty.set(k, e);
    }
    for (const e of [...empty.values()].sort((a, b) => compareTuples(a.values, b.values))) {
      const n = e.ids.length;
      const ids = n > 5 ? `${e.ids.slice(0, 5).join(', ')} and ${n - 5} more` : e.ids.join(', ');
      warnings.push(`W_STRATUM_EMPTY: ${nameOf(cols, e.values)} (${n} subject${n === 1 ? '' : 's'}, ID ${ids}) has no observations to check: no VPC for it`);
    }
  }
  if (groups.size > MAX_STRATA)
    throw Errors.option('stratify', `stratify: ${cols.join(',')} gives ${groups.size} strata, more than ${MAX_STRATA}: stratify by a column of a few categories (group a continuous one into classes first)`, columns);
  const strata = [...groups.values()]
    .sort((a, b) => compareTuples(a.values, b.values))
    .map((g) => ({ name: nameOf(cols, g.values), values: Object.fromEntries(cols.map((c, x) => [c, g.values[x] ?? null])), by: { ...by }, members: g.members }));
  return { strata, warnings, notes };
}

function compareTuples(a: readonly (number | string | null)[], b: readonly (number | string | null)[]): number {
  for (let x = 0; x < a.length; x++) {
    const c = compareValues(a[x] ?? null, b[x] ?? null);
    if (c !== 0) return c;
  }
  return 0;
}

const nameOf = (cols: readonly string[], values: readonly (number | string | null)[]): string => cols.map((c, x) => `${c}=${shown(values[x] ?? null)}`).join(' ');

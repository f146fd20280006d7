// Individual η per ID for simulation, from what users have at hand: the JSON of
// `dosewise estimate --json` ([{ id, eta: [...] }]), or a table with an ID column and one column per
// η, named as the model names them (ETA_CL) or NONMEM's way by position (ETA1, ETA(1)), comma- or
// whitespace-separated; NONMEM's .phi files (a "TABLE NO." line first, ETC columns after) read as
// they are. R's write.csv and write.table quote names and may quote numbers ("ID","ETA1"): read
// without the quotes.

import { Errors } from '../errors.js';
import { duplicateJsonKey } from '../json-duplicate-keys.js';
import type { Model } from '../model/model.js';
import { idNumberProblem } from '../regimen/nmtran.js';

/** η per ID in model.omega order, read from `text` (the file `file`). */
export function readIndividualEtas(text: string, file: string, model: Model): Map<number, number[]> {
  const names = model.omega?.names ?? [];
  if (names.length === 0) throw Errors.model('omega', 'individual η were given, but the model has no random effects');
  const out = new Map<number, number[]>();
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw Errors.io(file, `not valid JSON (${(e as Error).message})`);
    }
    const dup = duplicateJsonKey(text);
    if (dup) throw Errors.io(file, `key ${JSON.stringify(dup.key)} is given twice in ${dup.path === '' ? 'the top-level object' : dup.path}: JSON keeps only the last; keep one`);
    const list = Array.isArray(json) ? json : [json];
    list.forEach((o, i) => {
      const x = o as { id?: unknown; ID?: unknown; eta?: unknown };
      const id = Number(x.id ?? x.ID);
      if (!Number.isFinite(id)) throw Errors.jsonField(file, `${i}.id`, 'expected the ID (a number)', x.id ?? x.ID);
      const unsafe = idNumberProblem(id);
      if (unsafe) throw Errors.jsonField(file, `${i}.id`, unsafe, x.id ?? x.ID);
      const eta = x.eta;
      // estimate --json's entry for an ID with no estimate ({ id, error }): no η to give; an ID of
      // the data set without one is refused where the η are read ("no individual η given"), the
      // other IDs' η are used (the whole file was refused as "1.eta: expected 1 finite numbers")
      if (eta === undefined && typeof (o as { error?: unknown }).error === 'object' && (o as { error?: unknown }).error !== null) return;
      if (!Array.isArray(eta) || eta.length !== names.length || eta.some((v) => typeof v !== 'number' || !Number.isFinite(v)))
        throw Errors.jsonField(file, `${i}.eta`, `expected ${names.length} finite numbers (${names.join(', ')})`, eta);
      keep(out, id, eta as number[], () => Errors.jsonField(file, `${i}.eta`, `ID ${id} is given twice with other η (${(out.get(id) ?? []).join(', ')} before): one η per ID`, eta));
    });
    return out;
  }
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .filter((l) => l.trim() !== '' && !/^\s*TABLE NO\./i.test(l));
  // comma-separated, or whitespace-separated as NONMEM tables are (whose ETC(1,1) names hold commas)
  const commas = /,(?![^(]*\))/.test(lines[0] ?? '');
  const split = (l: string): string[] => (commas ? splitCommas(l) : l.trim().split(/\s+/)).map(unquote);
  const header = split(lines[0] ?? '').map((h) => h.toUpperCase());
  const idCol = header.indexOf('ID');
  if (idCol < 0) throw Errors.csvColumnMissing('ID', file);
  let byPosition = false;
  const cols = names.map((n, i) => {
    const at = [n.toUpperCase(), `ETA${i + 1}`, `ETA(${i + 1})`].map((h) => header.indexOf(h)).find((j) => j >= 0);
    if (at === undefined) throw Errors.csvColumnMissing(`${n} (or ETA${i + 1}, ETA(${i + 1}))`, file);
    if (header[at] !== n.toUpperCase()) byPosition = true;
    return at;
  });
  // η by position from a file with more of them than the model has (a .phi of another model):
  // which of them is which was a guess, ETA(1) taken for the model's first
  const positional = header.filter((h) => /^ETA\(?\d+\)?$/.test(h));
  if (byPosition && positional.length !== names.length)
    throw Errors.csvValue(0, positional.join(' '), header.join(' '), `${positional.length} η by position (${positional.join(', ')}) for a model with ${names.length} (${names.join(', ')}): which is which would be a guess; name the columns as the model does`, file);
  lines.slice(1).forEach((l, i) => {
    const cells = split(l);
    // a spreadsheet's empty row (",,,"), like a blank line
    if (cells.every((c) => c === '')) return;
    const row = i + 1;
    const id = Number(cells[idCol]);
    if (cells[idCol] === '' || !Number.isFinite(id)) throw Errors.csvValue(row, 'ID', cells[idCol], 'not a number', file);
    const unsafe = idNumberProblem(id);
    if (unsafe) throw Errors.csvValue(row, 'ID', cells[idCol], unsafe, file);
    const eta = cols.map((c, j) => {
      const v = Number(cells[c]);
      if (cells[c] === undefined || cells[c] === '' || !Number.isFinite(v)) throw Errors.csvValue(row, names[j] as string, cells[c], 'not a number', file);
      return v;
    });
    keep(out, id, eta, () => Errors.csvValue(row, 'ID', cells[idCol], `given before with other η (${(out.get(id) ?? []).join(', ')}): one η per ID`, file));
  });
  return out;
}

/** The fields of a comma-separated line; a comma inside parentheses (ETC(1,1)) or quotes is no separator. */
function splitCommas(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  let depth = 0;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth = Math.max(0, depth - 1);
    else if (!quoted && depth === 0 && c === ',') {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  out.push(cur);
  return out;
}

/** A field without its surrounding quotes ("ETA1" → ETA1, "" inside → "), trimmed. */
function unquote(field: string): string {
  const f = field.trim();
  return f.length >= 2 && f.startsWith('"') && f.endsWith('"') ? f.slice(1, -1).replace(/""/g, '"').trim() : f;
}

/**
 * η of an ID, once. A table with one row per record (NONMEM's patab) repeats the same η on every
 * row of an ID, which is fine; other η for an ID already read replaced them, the last row winning.
 */
function keep(out: Map<number, number[]>, id: number, eta: number[], clash: () => Error): void {
  const had = out.get(id);
  if (had && had.some((v, j) => v !== eta[j])) throw clash();
  out.set(id, eta);
}

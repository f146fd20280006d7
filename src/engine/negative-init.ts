// A model text's init() below zero for a subject, on a compartment that holds an amount. A constant
// one on a compartment the text marks as an amount is refused where the text is compiled
// (src/model/text/held-amounts.ts: init(A) = −5 on compartment 1 with 100 mg at t = 0 read 95 from
// then on, exit 0 without a word); one that reads parameters, covariates or random effects takes
// its value per subject, and a compartment the text does not mark may still take a subject's doses
// (a dose record's CMT), so those are judged here, on the subject's records. A compartment that
// neither is marked nor takes a dose may start below zero by right (a change from baseline, an
// effect relaxing to a negative E0): it is left alone, and W_NEGATIVE_AMOUNT on it says that
// init() put it there rather than advising a tighter rtol (negative-amounts.ts).

import { Errors } from '../errors.js';
import { compileExpression, identifiers, type Ast } from '../model/expression.js';
import { isTextModelFile, type Model } from '../model/model.js';
import { heldAmounts, heldReason, initPlace, NEGATIVE_INIT_FIX } from '../model/text/held-amounts.js';
import { SourceText } from '../model/text/lexer.js';
import { parseModelText, type Stmt } from '../model/text/parser.js';
import { recordPlace } from '../regimen/file.js';
import { byId } from '../regimen/nmtran.js';
import type { DataRecord } from '../regimen/record.js';

export type InitModel = Pick<Model, 'file' | 'structure' | 'evaluate'>;

/** What the text says of its init() statements: where each is written and which compartments are amounts. */
interface InitText {
  readonly src: SourceText;
  readonly states: readonly string[];
  readonly init: readonly (Ast | undefined)[];
  /** Offset of each compartment's init() value in the text (undefined: none). */
  readonly places: readonly (number | undefined)[];
  readonly held: ReadonlySet<number>;
  readonly modifiers: readonly { readonly what: string; readonly cmt: number }[];
}

const texts = new WeakMap<object, InitText | null>();

/** The model text's init() statements, read once per model file; undefined where it has none. */
function initText(model: InitModel): InitText | undefined {
  const user = model.structure.user;
  const file = model.file;
  if (!user?.init?.some((a) => a !== undefined) || !isTextModelFile(file)) return undefined;
  let t = texts.get(file);
  if (t === undefined) {
    const src = new SourceText(file.text, file.file ?? 'model');
    let stmts: Stmt[] = [];
    try {
      stmts = parseModelText(src);
    } catch {
      // the text compiled once already (the model exists); no places rather than no check
    }
    const states = user.states;
    const modifiers = stmts.flatMap((s) => (s.k === 'modifier' ? [{ what: s.what as string, cmt: states.indexOf(s.state.name) + 1 }] : []));
    const places = states.map((st) => {
      const s = stmts.find((x): x is Extract<Stmt, { k: 'init' }> => x.k === 'init' && x.state.name === st);
      return s ? initPlace(s) : undefined;
    });
    t = { src, states, init: user.init, places, held: new Set(heldAmounts(states.length, modifiers)), modifiers };
    texts.set(file, t);
  }
  return t ?? undefined;
}

/** Compartment `i`'s init() for the record's values (its items at η as the record gives them), with the values it read; undefined where it has none or they cannot be evaluated. */
export function initialValue(model: InitModel, rec: DataRecord, i: number): { readonly value: number; readonly reads: string } | undefined {
  const a = initText(model)?.init[i];
  if (!a) return undefined;
  let values: Readonly<Record<string, number>>;
  try {
    values = model.evaluate(rec.items, {}, rec.row).values;
  } catch {
    // what the record lacks is refused where it is simulated
    return undefined;
  }
  const names = [...identifiers(a)].sort();
  const value = compileExpression(a, (n) => names.indexOf(n))(names.map((n) => values[n] ?? NaN));
  return { value, reads: names.map((n) => `${n} = ${values[n]}`).join(', ') };
}

/** `file:line:col` of compartment `i`'s init() (undefined: none). */
export function initWhere(model: InitModel, i: number): string | undefined {
  const t = initText(model);
  const at = t?.places[i];
  if (!t || at === undefined) return undefined;
  const { line, col } = t.src.position(at);
  return `${t.src.file}:${line}:${col}`;
}

/**
 * Refuses a subject whose init() puts an amount below zero: a compartment the text marks as one
 * (compartment 1, one given lag/F/rate/duration) or one the subject's records dose. The value is the
 * one the subject was simulated with, read off its first row (less a bolus given there into that
 * compartment): --param and overrides change it, and the text's own values alone refused a subject an
 * override had made positive. Names the init()'s place, the value, the ID and row and what it read.
 * `amounts`: nStates per record, row-major (simulate()'s); without them nothing is judged here.
 */
export function refuseNegativeInitialAmounts(model: InitModel, records: readonly DataRecord[], amounts: ArrayLike<number> | undefined, file?: string): void {
  const t = initText(model);
  if (!t || !amounts) return;
  const n = t.states.length;
  let from = 0;
  // each ID's records are contiguous and in input order (simulate() checks), as are byId's groups
  for (const group of byId(records).values()) {
    const r0 = from;
    from += group.length;
    const first = group[0];
    // a steady-state dose on the first record replaces the initial state
    if (!first || first.SS > 0) continue;
    const dosed = new Map<number, DataRecord>();
    for (const r of group) {
      if ((r.EVID !== 1 && r.EVID !== 4) || !(r.AMT > 0)) continue;
      const c = (r.CMT > 0 ? r.CMT : 1) - 1;
      if (!dosed.has(c)) dosed.set(c, r);
    }
    for (let i = 0; i < n; i++) {
      if (!t.init[i]) continue;
      const dose = dosed.get(i);
      const why = t.held.has(i) ? heldReason(i, t.states, t.modifiers) : dose ? `ID ${first.ID}'s dose at ${file ? `${file}, ` : ''}${recordPlace(dose)} (TIME ${dose.TIME}) goes into it` : undefined;
      if (why === undefined) continue;
      const given = firstDose(model, first, i);
      const value = (amounts[r0 * n + i] as number) - given;
      if (!(value < -1e-12 * given)) continue;
      const v = initialValue(model, first, i);
      const same = v !== undefined && Math.abs(v.value - value) <= 1e-9 * (Math.abs(v.value) + given);
      const shown = same ? (v as { value: number }).value : +value.toPrecision(12);
      const read = same ? (v as { reads: string }).reads : 'with the values given to it';
      const name = t.states[i] as string;
      const { line, col } = t.src.position(t.places[i] ?? 0);
      throw Errors.modelText(
        t.src.file,
        line,
        col,
        `init(${name}) is ${shown} for ID ${first.ID} (${file ? `${file}, ` : ''}${recordPlace(first)}${read ? `: ${read}` : ''}), below zero, but ${name} is an amount (${why}): ${NEGATIVE_INIT_FIX}`,
        t.src.lineText(line),
      );
    }
  }
}

/** What record `r` puts into compartment `i` at once: F·AMT of a bolus there without lag, else 0. */
function firstDose(model: InitModel, r: DataRecord, i: number): number {
  if ((r.EVID !== 1 && r.EVID !== 4) || !(r.AMT > 0) || r.RATE !== 0 || (r.CMT > 0 ? r.CMT : 1) - 1 !== i) return 0;
  try {
    const e = model.evaluate(r.items, {}, r.row);
    if ((e.lag[i] ?? 0) > 0) return 0;
    return (e.F[i] ?? 1) * r.AMT;
  } catch {
    return r.AMT;
  }
}

// Model.evaluate's kernel set and modifiers for a record, through the model's slot evaluator into
// arrays kept between calls: evaluate builds a slot vector, a kernel array, a named-values object
// and the result per call (most of a subject's evaluation time, and garbage that the scavenger
// then walks), and looks the data items up by a name that changes at one site (a megamorphic load).
// The arithmetic is evaluate's own, in its order, so the values are bitwise evaluate's. Where
// evaluate would throw, or its two passes could disagree with this one, the caller is told to
// take evaluate's path (undefined), which raises the same errors.

import type { Model, Modifiers, SlotEvaluator } from '../model/model.js';
import type { Items } from './relevant-items.js';

/** A record's kernel set (its own array) and modifiers. */
export interface SlotSet extends Modifiers {
  readonly kernel: Float64Array;
}

interface MutableSet {
  kernel: Float64Array;
  lag: Float64Array;
  F: Float64Array;
  R: Float64Array;
  D: Float64Array;
  S: Float64Array;
  switches?: Float64Array;
}

export class SlotRecords {
  private readonly ev: SlotEvaluator;
  private readonly inputs: readonly string[];
  private readonly inputSlots: Int32Array;
  private readonly defaults: Float64Array;
  private readonly params: readonly string[];
  private readonly paramSlots: Int32Array;
  private readonly stride: number;
  private readonly v: Float64Array;
  private readonly frozen: Float64Array;
  private readonly pins: number[] = [];
  private readonly sets: MutableSet[] = [];

  constructor(model: Model) {
    const ev = model.slots;
    this.ev = ev;
    this.inputs = ev.inputs;
    this.inputSlots = Int32Array.from(ev.inputs, (n) => ev.slot(n));
    this.defaults = ev.defaults;
    this.params = model.parameterNames;
    this.paramSlots = Int32Array.from(model.parameterNames, (n) => ev.slot(n));
    this.stride = model.parStride;
    this.v = new Float64Array(ev.nSlots);
    this.frozen = new Float64Array(ev.nSlots);
  }

  /**
   * The set of `items` (no overrides) as Model.evaluate computes it, in scratch `j` (valid until
   * the next call with the same j); undefined where evaluate's path must decide.
   */
  evaluate(items: Items, j: number): SlotSet | undefined {
    const { v, ev } = this;
    v.fill(0);
    const inputs = this.inputs;
    for (let i = 0; i < inputs.length; i++) {
      let x = items[inputs[i] as string];
      // not a number (text, null): evaluate refuses it (item-values.ts)
      if (x !== undefined && typeof x !== 'number') return undefined;
      if (x === undefined || x !== x) x = this.defaults[i] as number;
      if (x !== x) return undefined;
      v[this.inputSlots[i] as number] = x;
    }
    // data items named like a parameter replace its expression (evaluate's `replaced`)
    const pins = this.pins;
    pins.length = 0;
    const params = this.params;
    for (let i = 0; i < params.length; i++) {
      const x = items[params[i] as string];
      if (x !== undefined && typeof x !== 'number') return undefined;
      if (x !== undefined && x === x) {
        const s = this.paramSlots[i] as number;
        v[s] = x;
        pins.push(s);
      }
    }
    while (this.sets.length <= j) this.sets.push({ kernel: new Float64Array(this.stride), lag: v, F: v, R: v, D: v, S: v });
    const set = this.sets[j] as MutableSet;
    const kernel = set.kernel;
    kernel.fill(0);
    if (pins.length === 0) {
      if (ev.run(v, kernel, 0)) return undefined;
    } else {
      // evaluate computes the parameters once with the replaced values set (the vector its
      // modifiers read), then the kernel set from a copy with those values pinned: a parameter
      // reads only earlier ones (or its own data item, which the first pass overwrote, as it does
      // in evaluate), so both passes are runPinned's arithmetic; a refusal by either pass hands
      // the record to evaluate
      if (ev.runPinned(v, pins, kernel, 0)) return undefined;
      this.frozen.set(v);
      kernel.fill(0);
      if (ev.runPinned(this.frozen, pins, kernel, 0)) return undefined;
    }
    let mods: Modifiers;
    try {
      mods = ev.modifiers(v);
    } catch {
      return undefined;
    }
    set.lag = mods.lag;
    set.F = mods.F;
    set.R = mods.R;
    set.D = mods.D;
    set.S = mods.S;
    set.switches = mods.switches;
    return set;
  }
}

const cache = new WeakMap<Model, SlotRecords>();

/** The model's record evaluator over slots, made once per model. */
export function slotRecords(model: Model): SlotRecords {
  let s = cache.get(model);
  if (s === undefined) {
    s = new SlotRecords(model);
    cache.set(model, s);
  }
  return s;
}

// DOM helpers of the what-if page: elements by id, numbers from inputs, element building, display numbers.

import { numberTextProblem } from './number-text.js';

export function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`#${id} missing from the page`);
  return e as T;
}

export function input(id: string): HTMLInputElement {
  return $<HTMLInputElement>(id);
}

/** What unreadable() looks at: a field's text and validity (an <input>, or a stand-in in the Node tests). */
export interface NumberField {
  readonly value: string;
  readonly validity?: { readonly badInput: boolean };
}

/**
 * Whether a number field holds text that is not a number (`450-550`, `70,5`, a date in a field of
 * hours; see number-text.ts), or text a browser's number field could not read (its value is then
 * '', as a blank field's is): a field where blank means something (a bolus, the default next dose,
 * an open end of a window) must not take the mistake for it.
 */
export function unreadable(el: NumberField): boolean {
  return el.validity?.badInput === true || numberTextProblem(el.value) !== undefined;
}

/** Whether a field holds anything: text, or text a browser's number field could not read. */
export function filled(el: NumberField): boolean {
  return el.value.trim() !== '' || unreadable(el);
}

/** A number field's value: NaN when blank or unreadable (the checks refuse it either way). */
export function num(id: string): number {
  const el = input(id);
  const v = el.value.trim();
  return v === '' || unreadable(el) ? NaN : Number(v);
}

/** A number field that may be left blank: undefined when blank, NaN when it holds text that is not a number. */
export function optionalNum(id: string): number | undefined {
  const el = input(id);
  if (unreadable(el)) return NaN;
  const v = el.value.trim();
  return v === '' ? undefined : Number(v);
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

/** A number for display: 3 significant digits, integers above 100 as integers. */
export function fmt(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return '–';
  if (Math.abs(v) >= 100) return Math.round(v).toLocaleString('en-US');
  return Number(v.toPrecision(digits)).toString();
}

/**
 * Hours for display: whole hours as they are, others to 2 decimals (108.25 h, not "108 h"), so the
 * value shown can be typed back (a default "Next dose at" of 120.25 h was shown "auto (120)").
 */
export function fmtHours(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toFixed(2))) : '–';
}

/**
 * A lower bound of hours for display, rounded up to 2 decimals: the value shown may be typed back
 * (a last level at 49.3333 h shown "49.33" refused 49.33 as before it). Summed in binary first to
 * 12 digits, so 49.33 is not taken for 49.3300000001 and shown 49.34.
 */
export function fmtHoursUp(v: number): string {
  return Number.isFinite(v) ? String(Math.ceil(Number((v * 100).toPrecision(12))) / 100) : '–';
}

/** Hours in a message naming a bound: enough decimals (4) that a value typed to 2 is seen to differ. */
export function fmtHoursFine(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toFixed(4))) : '–';
}

/** The unit of an AUC of a concentration in `unit`: mg/L → mg·h/L, ng/mL → ng·h/mL, % → %·h. */
export function aucUnit(unit: string): string {
  const m = /^(.+?)\s*\/\s*(.+)$/.exec(unit.trim());
  return m ? `${m[1]}·h/${m[2]}` : `${unit.trim()}·h`;
}

// How the what-if page reads a number typed into a field, pure (no DOM). Its number fields are text
// fields read with the strict pattern of data files (isNumberCell): Chromium's type="number" dropped
// a decimal comma without a word (WT `70,5` was read as 705, an infusion of `1,5` h as 15 h), and
// gave text it could not read as '', the value of a blank field.

import { commaNumberWhy, isDecimalComma } from '../regimen/csv-dialect.js';
import { isNumberCell } from '../regimen/nmtran.js';

/** Whether `text` (trimmed) is a finite number the page takes: digits, an optional point and exponent (no comma, space or hex). */
export function isNumberText(text: string): boolean {
  const s = text.trim();
  return isNumberCell(s) && Number.isFinite(Number(s));
}

/**
 * Why text typed for a number is not one, or undefined for a number or a blank: a decimal comma
 * (`comma`) gets the point form to type instead (`70,5` → 70.5); `1,000`, which may be a thousands
 * separator, is said to be either (neither reading is guessed); other text is "not a number".
 */
export function numberTextProblem(text: string): { readonly message: string; readonly comma: boolean } | undefined {
  const s = text.trim();
  if (s === '' || isNumberText(s)) return undefined;
  const got = `(got ${JSON.stringify(s)})`;
  if (!isDecimalComma(s)) return { message: `not a number ${got}`, comma: false };
  if (/^[-+]?\d{1,3},\d{3}$/.test(s)) return { message: `${commaNumberWhy(s)} ${got}`, comma: true };
  return { message: `use a point for decimals: ${s.replace(',', '.')} ${got}`, comma: true };
}

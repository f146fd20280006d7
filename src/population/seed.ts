// User seeds (strings or numbers) → the root key of the counter-based RNG (assembly/rng.ts).

import seedrandom from 'seedrandom';
import { Errors } from '../errors.js';

/**
 * Turns a user seed (string or number) into the root key of the counter-based RNG. Anything else is
 * refused, as the command line refuses `--seed ''`: seedrandom reads String(seed), so every object
 * was the one seed "[object Object]", [] the same seed as '', and NaN or null a seed of their own.
 */
export function seedKey(seed: string | number): [number, number] {
  const s: unknown = seed;
  if (!((typeof s === 'string' && s.trim() !== '') || (typeof s === 'number' && Number.isFinite(s))))
    throw Errors.optionValue('seed', s, 'a seed must be a non-empty string or a finite number', Array.isArray(s) ? JSON.stringify(s) : typeof s === 'object' && s !== null ? safeJson(s) : undefined);
  const rng = seedrandom(seedText(seed));
  return [rng.int32() >>> 0, rng.int32() >>> 0];
}

/** A decimal number as text: sign, digits with an optional point, optional exponent. */
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;

/** Significant digits and the power of ten of the last one ("120" and "1.20e2": ["12", 1]); undefined for text that is not a decimal. */
function decimalParts(text: string): [string, string, number] | undefined {
  const m = DECIMAL.exec(text);
  if (!m || `${m[2] ?? ''}${m[3] ?? ''}` === '') return undefined;
  const digits = `${m[2] ?? ''}${m[3] ?? ''}`;
  const exponent = Number(m[4] ?? 0) - (m[3] ?? '').length;
  const lead = digits.replace(/^0+/, '');
  if (lead === '') return ['', '0', 0];
  const sig = lead.replace(/0+$/, '');
  return [m[1] === '-' ? '-' : '', sig, exponent + lead.length - sig.length];
}

/**
 * The seed a user seed stands for: a number, or text that reads as a decimal number (`01`, `1.0`,
 * ` 1`, `+1`, `1e0`), is that number, written as JavaScript writes it (`1`): `--seed 01`, `1.0`,
 * `1` and ` 1` gave four different streams. Digits a double does not hold (a 20-digit seed) are
 * kept as written, less leading and trailing zeros, so two such seeds stay two. Any other text is
 * the seed as it is. Every command's seed goes through here (seedKey), whatever reads it.
 */
export function seedText(seed: string | number): string {
  if (typeof seed === 'number') return String(seed === 0 ? 0 : seed);
  const t = seed.trim();
  const parts = decimalParts(t);
  if (parts === undefined) return seed;
  const x = Number(t);
  if (!Number.isFinite(x)) return seed;
  const [sign, sig, exp] = parts;
  if (sig === '0') return '0';
  // the shortest text of the double, when it is the same number as written
  const back = decimalParts(String(x));
  if (back && back[0] === sign && back[1] === sig && back[2] === exp) return String(x);
  if (exp >= 0) return `${sign}${sig}${'0'.repeat(exp)}`;
  const point = sig.length + exp;
  return `${sign}${point > 0 ? `${sig.slice(0, point)}.${sig.slice(point)}` : `0.${'0'.repeat(-point)}${sig}`}`;
}

function safeJson(v: object): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

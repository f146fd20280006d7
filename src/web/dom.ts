// DOM helpers of the what-if page: elements by id, numbers from inputs, element building, display numbers.

export function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`#${id} missing from the page`);
  return e as T;
}

export function input(id: string): HTMLInputElement {
  return $<HTMLInputElement>(id);
}

export function num(id: string): number {
  const v = input(id).value.trim();
  return v === '' ? NaN : Number(v);
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

/** The unit of an AUC of a concentration in `unit`: mg/L → mg·h/L, ng/mL → ng·h/mL, % → %·h. */
export function aucUnit(unit: string): string {
  const m = /^(.+?)\s*\/\s*(.+)$/.exec(unit.trim());
  return m ? `${m[1]}·h/${m[2]}` : `${unit.trim()}·h`;
}

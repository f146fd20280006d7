// A stand-in of the few DOM calls the what-if page's form code makes (src/web/state.ts, dom.ts,
// view.ts, worker-client.ts), so the Node tests run the page's own reading of its fields: inputs by
// id with a value and a validity, tables of rows and cells, and elements built by h().

import { vi } from 'vitest';

/** The stand-in of an element: an input (value, validity, type, class) or a container of rows and cells. */
export class El {
  value = '';
  checked = false;
  textContent = '';
  placeholder = '';
  hidden = false;
  readonly validity = { badInput: false };
  readonly attrs = new Map<string, string>();
  readonly children: El[] = [];
  readonly dataset: Record<string, string> = {};
  readonly #classes = new Set<string>();
  readonly classList = {
    toggle: (c: string, on?: boolean): boolean => {
      const add = on ?? !this.#classes.has(c);
      if (add) this.#classes.add(c);
      else this.#classes.delete(c);
      return add;
    },
    contains: (c: string): boolean => this.#classes.has(c),
    add: (c: string): void => void this.#classes.add(c),
    remove: (c: string): void => void this.#classes.delete(c),
  };
  constructor(
    readonly tag: string,
    public id = '',
    readonly cls = '',
    readonly type = 'text',
  ) {}
  /** Set by standInDocument: an element given an id by h() is found by getElementById, as in a page. */
  static onId?: (id: string, e: El) => void;
  setAttribute(k: string, v: string): void {
    this.attrs.set(k, v);
    // as a browser's input before it is edited: the attribute is its value
    if (k === 'value') this.value = v;
    if (k === 'placeholder') this.placeholder = v;
    if (k === 'id') {
      this.id = v;
      El.onId?.(v, this);
    }
  }
  getAttribute(k: string): string | null {
    return this.attrs.get(k) ?? null;
  }
  removeAttribute(k: string): void {
    this.attrs.delete(k);
  }
  insertAdjacentElement(): void {}
  toggleAttribute(): void {}
  addEventListener(): void {}
  remove(): void {}
  append(...xs: (El | string)[]): void {
    for (const x of xs) if (typeof x === 'string') this.textContent += x;
    else this.children.push(x);
  }
  replaceChildren(...xs: (El | string)[]): void {
    this.children.length = 0;
    this.textContent = '';
    this.append(...xs);
  }
  get childElementCount(): number {
    return this.children.length;
  }
  querySelectorAll(sel: string): El[] {
    if (sel === 'tbody tr') return this.children;
    if (sel === 'input') return this.children.flatMap((c) => (c.tag === 'input' ? [c] : c.querySelectorAll('input')));
    if (sel === 'input:not([type=checkbox])') return this.children.filter((c) => c.tag === 'input' && c.type !== 'checkbox');
    throw new Error(`stand-in: no selector ${sel}`);
  }
  querySelector(sel: string): El | null {
    return this.children.find((c) => `.${c.cls}` === sel) ?? null;
  }
}

/** What a browser's number field leaves of text it cannot read (the page's fields were type="number"). */
export function typeUnreadable(e: El): void {
  e.value = '';
  e.validity.badInput = true;
}

/** A table row of input cells: [class, value, type]. */
export function row(cells: readonly [string, string, string][]): El {
  const tr = new El('tr');
  for (const [cls, value, type] of cells) {
    const c = new El('input', '', cls, type);
    c.value = value;
    tr.children.push(c);
  }
  return tr;
}

/** The page's elements by id, and `document` / `window` stubs reading them (call vi.stubGlobal with these). */
export function standInDocument(byId: Map<string, El>): { document: unknown; window: unknown } {
  return {
    window: { addEventListener: () => undefined, dispatchEvent: () => true },
    document: {
      getElementById: (id: string) => byId.get(id) ?? null,
      createElement: (tag: string) => new El(tag),
      addEventListener: () => undefined,
      body: new El('body'),
      querySelectorAll: () => [],
    },
  };
}

/** The page's form modules, loaded on the stand-in document (stubbed globals) of `byId`. */
export interface PageModules {
  readonly state: typeof import('../../../src/web/state.js');
  readonly client: typeof import('../../../src/web/worker-client.js');
  readonly view: typeof import('../../../src/web/view.js');
  readonly dom: typeof import('../../../src/web/dom.js');
}

/** Stubs window, document, Worker and HTMLInputElement on `byId` and imports the page's form code (call in beforeAll). */
export async function loadPage(byId: Map<string, El>): Promise<PageModules> {
  const stub = standInDocument(byId);
  El.onId = (id, e) => void byId.set(id, e);
  vi.stubGlobal('window', stub.window);
  vi.stubGlobal('document', stub.document);
  vi.stubGlobal('Worker', class {});
  // clearFieldErrors tells a marked input from its message by this
  vi.stubGlobal('HTMLInputElement', class { static [Symbol.hasInstance](x: unknown): boolean { return x instanceof El && x.tag === 'input'; } });
  return {
    state: await import('../../../src/web/state.js'),
    client: await import('../../../src/web/worker-client.js'),
    view: await import('../../../src/web/view.js'),
    dom: await import('../../../src/web/dom.js'),
  };
}

/** The Goti model as the page lists it (GET models): three covariates, concentration in mg/L. */
export const GOTI_INFO = { key: 'vancomycin_goti_2018', name: 'Goti', covariates: [{ name: 'CRCL', unit: 'mL/min', value: 90, description: '' }, { name: 'WT', unit: 'kg', value: 70, description: '' }, { name: 'DIAL', unit: '0/1', value: 0, description: '' }], outputs: [], observeCompartment: 1, concUnit: 'mg/L' };

/** An input put on the page by id with a value (`field`), and the element of an id (`el`). */
export function pageFields(byId: Map<string, El>): { field: (id: string, value?: string) => El; el: (id: string) => El } {
  const field = (id: string, value = ''): El => {
    const e = new El('input', id);
    e.value = value;
    byId.set(id, e);
    return e;
  };
  return { field, el: (id: string) => byId.get(id) as El };
}

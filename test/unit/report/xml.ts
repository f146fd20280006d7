// A minimal well-formedness checker and tree builder for the report's SVG and HTML (DOMParser is
// not in Node). It checks: tags balance and nest, names are valid, attributes are quoted and not
// repeated, '<' never appears raw in text or attributes, '&' only starts an entity. In html mode
// void elements (meta, br, ...) need no end tag, <style>'s content is raw text, and a doctype is allowed.

export interface XNode {
  readonly name: string;
  readonly attrs: Record<string, string>;
  readonly children: XNode[];
  /** Text directly inside (entities decoded), concatenated. */
  text: string;
  readonly parent: XNode | null;
}

const NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*/;
const ENTITY = /^&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);/;
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

function decode(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);/g, (_, e: string) => {
    if (e === 'amp') return '&';
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });
}

function checkAmp(s: string, where: string): void {
  for (let i = s.indexOf('&'); i >= 0; i = s.indexOf('&', i + 1)) {
    if (!ENTITY.test(s.slice(i))) throw new Error(`bare '&' in ${where}: ${JSON.stringify(s.slice(i, i + 20))}`);
  }
}

/** Parses `src`; throws with a reason when it is not well-formed. Returns a synthetic root. */
export function parseXml(src: string, o: { html?: boolean } = {}): XNode {
  const root: XNode = { name: '#root', attrs: {}, children: [], text: '', parent: null };
  let cur = root;
  let i = 0;
  let elements = 0;
  while (i < src.length) {
    const lt = src.indexOf('<', i);
    const text = src.slice(i, lt < 0 ? src.length : lt);
    if (text) {
      checkAmp(text, `text of <${cur.name}>`);
      if (cur === root && text.trim()) throw new Error(`text outside the root element: ${JSON.stringify(text.slice(0, 30))}`);
      cur.text += decode(text);
    }
    if (lt < 0) break;
    i = lt;
    if (src.startsWith('<!--', i)) {
      const end = src.indexOf('-->', i + 4);
      if (end < 0) throw new Error('unterminated comment');
      i = end + 3;
      continue;
    }
    if (src.startsWith('<!DOCTYPE', i) || src.startsWith('<!doctype', i)) {
      if (!o.html || elements > 0) throw new Error('unexpected doctype');
      i = src.indexOf('>', i) + 1;
      continue;
    }
    if (src.startsWith('<?', i)) {
      const end = src.indexOf('?>', i);
      if (end < 0) throw new Error('unterminated processing instruction');
      i = end + 2;
      continue;
    }
    if (src.startsWith('</', i)) {
      const m = NAME.exec(src.slice(i + 2));
      if (!m) throw new Error(`bad end tag at ${i}`);
      const after = i + 2 + m[0].length;
      const close = src.indexOf('>', after);
      if (close < 0 || src.slice(after, close).trim()) throw new Error(`bad end tag </${m[0]}`);
      if (m[0] !== cur.name) throw new Error(`</${m[0]}> closes <${cur.name}>`);
      cur = cur.parent as XNode;
      i = close + 1;
      continue;
    }
    // Start tag.
    const m = NAME.exec(src.slice(i + 1));
    if (!m) throw new Error(`raw '<' at ${i}: ${JSON.stringify(src.slice(i, i + 20))}`);
    const name = m[0];
    if (cur === root && root.children.length > 0 && !o.html) throw new Error('more than one root element');
    let j = i + 1 + name.length;
    const attrs: Record<string, string> = {};
    let selfClosing = false;
    for (;;) {
      const ws = /^\s*/.exec(src.slice(j))?.[0] ?? '';
      j += ws.length;
      if (src.startsWith('/>', j)) {
        selfClosing = true;
        j += 2;
        break;
      }
      if (src[j] === '>') {
        j += 1;
        break;
      }
      if (j >= src.length) throw new Error(`unterminated tag <${name}`);
      if (!ws) throw new Error(`missing space before attribute in <${name}`);
      const an = NAME.exec(src.slice(j));
      if (!an) throw new Error(`bad attribute in <${name}: ${JSON.stringify(src.slice(j, j + 20))}`);
      j += an[0].length;
      if (src[j] !== '=') throw new Error(`attribute ${an[0]} of <${name}> has no value`);
      const q = src[j + 1];
      if (q !== '"' && q !== "'") throw new Error(`attribute ${an[0]} of <${name}> is not quoted`);
      const end = src.indexOf(q, j + 2);
      if (end < 0) throw new Error(`unterminated attribute ${an[0]} of <${name}>`);
      const v = src.slice(j + 2, end);
      if (v.includes('<')) throw new Error(`raw '<' in attribute ${an[0]} of <${name}>`);
      checkAmp(v, `attribute ${an[0]} of <${name}>`);
      if (an[0] in attrs) throw new Error(`duplicate attribute ${an[0]} in <${name}>`);
      attrs[an[0]] = decode(v);
      j = end + 1;
    }
    const node: XNode = { name, attrs, children: [], text: '', parent: cur };
    cur.children.push(node);
    elements++;
    i = j;
    if (selfClosing || (o.html && VOID.has(name.toLowerCase()))) continue;
    if (o.html && (name === 'style' || name === 'script')) {
      const end = src.indexOf(`</${name}>`, i);
      if (end < 0) throw new Error(`unterminated <${name}>`);
      node.text = src.slice(i, end);
      i = end + name.length + 3;
      continue;
    }
    cur = node;
  }
  if (cur !== root) throw new Error(`<${cur.name}> is not closed`);
  if (root.children.length === 0) throw new Error('no element');
  return root;
}

/** All descendants named `name` (document order). */
export function findAll(n: XNode, name: string, pred: (x: XNode) => boolean = () => true): XNode[] {
  const out: XNode[] = [];
  const walk = (x: XNode) => {
    for (const c of x.children) {
      if (c.name === name && pred(c)) out.push(c);
      walk(c);
    }
  };
  walk(n);
  return out;
}

export function hasClass(n: XNode, cls: string): boolean {
  return (n.attrs.class ?? '').split(/\s+/).includes(cls);
}

/** All descendants with class `cls`. */
export function byClass(n: XNode, cls: string): XNode[] {
  const out: XNode[] = [];
  const walk = (x: XNode) => {
    for (const c of x.children) {
      if (hasClass(c, cls)) out.push(c);
      walk(c);
    }
  };
  walk(n);
  return out;
}

/** All text under `n` (decoded). */
export function textOf(n: XNode): string {
  return n.text + n.children.map(textOf).join('');
}

/** Parsed "x,y x,y ..." */
export function pointsOf(n: XNode): [number, number][] {
  return (n.attrs.points ?? '')
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((p) => p.split(',').map(Number) as [number, number]);
}

/** Pixel mapping of an axis recovered from its ticks (linear or log in data space). */
export function axisMap(svgRoot: XNode, axis: 'x' | 'y', log = false): (v: number) => number {
  const ticks = byClass(svgRoot, 'dw-tick').filter((t) => t.attrs['data-axis'] === axis);
  if (ticks.length < 2) throw new Error(`axis ${axis}: fewer than 2 ticks`);
  const a = ticks[0] as XNode;
  const b = ticks[ticks.length - 1] as XNode;
  const f = log ? Math.log : (v: number) => v;
  const [v0, v1] = [f(Number(a.attrs['data-value'])), f(Number(b.attrs['data-value']))];
  const [p0, p1] = [Number(a.attrs['data-pos']), Number(b.attrs['data-pos'])];
  return (v) => p0 + ((f(v) - v0) / (v1 - v0)) * (p1 - p0);
}

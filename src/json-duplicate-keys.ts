// JSON.parse keeps the last of a key written twice in one object, so `"amt": 1000, "amt": 500` ran
// 500 mg and a covariate declared twice took its second distribution, without a word. Every JSON
// file dosewise reads is scanned for such a key after it parsed; the first one is refused with its
// place. Keys are compared after their escapes are decoded, as JSON.parse compares them.

/** The first key written twice in one object of a valid JSON text: its decoded name, its object's path and its offset; else undefined. */
export function duplicateJsonKey(text: string): { key: string; path: string; offset: number } | undefined {
  const stack: { keys: Set<string> | undefined; path: string; index: number }[] = [];
  let i = 0;
  let expectKey = false;
  let lastKey = '';
  const n = text.length;
  const childPath = (): string => {
    const top = stack[stack.length - 1];
    if (!top) return '';
    const seg = top.keys ? lastKey : String(top.index);
    return top.path === '' ? seg : `${top.path}.${seg}`;
  };
  while (i < n) {
    const c = text[i] as string;
    if (c === '"') {
      const start = i;
      i++;
      while (i < n && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      const raw = text.slice(start, i + 1);
      i++;
      const top = stack[stack.length - 1];
      if (expectKey && top?.keys) {
        const key = JSON.parse(raw) as string;
        if (top.keys.has(key)) return { key, path: top.path, offset: start };
        top.keys.add(key);
        lastKey = key;
        expectKey = false;
      }
      continue;
    }
    if (c === '{' || c === '[') {
      const path = childPath();
      stack.push({ keys: c === '{' ? new Set() : undefined, path, index: 0 });
      expectKey = c === '{';
    } else if (c === '}' || c === ']') stack.pop();
    else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top?.keys) expectKey = true;
      else if (top) top.index++;
    }
    i++;
  }
  return undefined;
}

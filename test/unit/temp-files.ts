// A test file's scratch folder: `write(name, text or JSON)` puts a file there and returns its path;
// the folder goes when the file's tests are done.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

export function tempFiles(prefix: string): { readonly dir: string; readonly write: (name: string, x: string | object) => string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, x: string | object): string => {
    const f = join(dir, name);
    writeFileSync(f, typeof x === 'string' ? x : JSON.stringify(x));
    return f;
  };
  return { dir, write };
}

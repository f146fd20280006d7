// Scratch folders under the system temp folder that remove themselves, so test runs leave nothing
// behind in /tmp. `tempDir(prefix)` inside a test goes when that test ends, passed or failed: an
// afterAll registered there never runs (the suite's hooks were collected before the test began),
// which left a folder per run. Anywhere else (a file's or describe block's body) it goes when those
// tests are done. Not for beforeAll/beforeEach bodies: pair mkdtempSync with afterAll there.
// `tempFiles(prefix)`: such a folder and `write(name, text or JSON)`, which puts a file there and
// returns its path.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, onTestFinished, TestRunner } from 'vitest';

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  if (TestRunner.getCurrentTest()) onTestFinished(remove);
  else afterAll(remove);
  return dir;
}

export function tempFiles(prefix: string): { readonly dir: string; readonly write: (name: string, x: string | object) => string } {
  const dir = tempDir(prefix);
  const write = (name: string, x: string | object): string => {
    const f = join(dir, name);
    writeFileSync(f, typeof x === 'string' ? x : JSON.stringify(x));
    return f;
  };
  return { dir, write };
}

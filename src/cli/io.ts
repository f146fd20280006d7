// File I/O for the CLI: inputs read with errors that name the file; outputs written atomically
// (temporary file in the same folder, then rename), so a crash never leaves a half-written file and
// an existing file is replaced only by a complete one.

import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Errors } from '../errors.js';

export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw Errors.io(file, `cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}

export function readJson(file: string): unknown {
  const text = readText(file);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw Errors.io(file, `not valid JSON: ${(e as Error).message}`);
  }
}

export function writeAtomic(file: string, content: string | Uint8Array): void {
  const target = resolve(file);
  mkdirSync(dirname(target), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}-${Date.now()}`;
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, target);
  } catch (e) {
    if (existsSync(tmp)) rmSync(tmp, { force: true });
    throw Errors.io(file, `cannot write (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}

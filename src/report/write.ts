// Writes a report file atomically: the HTML goes to a temporary file in the same folder, which is
// then renamed over the target, so a reader never sees a half-written report (output path rules in
// src/files.ts). The only file of src/report that uses Node APIs (the charts and the HTML run in
// browsers too).

import { join } from 'node:path';
import { Errors } from '../errors.js';
import { outputFolder, writeFileAtomic } from '../files.js';

/** A plain file name (no folders, no leading dot); ".html" is added when it has no .html/.htm ending. */
export function reportFileName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) || name.includes('..')) {
    throw Errors.io(name, 'report name must be a plain file name (letters, digits, ".", "_", "-"; no folders)');
  }
  return /\.html?$/i.test(name) ? name : `${name}.html`;
}

/** Writes `html` to `dir/name` (creating `dir`), atomically; returns the absolute path. */
export function writeReport(dir: string, name: string, html: string): string {
  const file = reportFileName(name);
  return writeFileAtomic(join(outputFolder(dir), file), html);
}

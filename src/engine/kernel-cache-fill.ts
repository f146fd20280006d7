// The detached process of kernel-background.ts: compiles one kernel source into the disk cache,
// then removes its source file and lock. Usage: node kernel-cache-fill.js SOURCE_FILE CACHE_DIR LOCK

import { readFileSync, rmSync } from 'node:fs';
import { compileKernel } from './kernel-compiler.js';

const [sourceFile, cacheDir, lock] = process.argv.slice(2) as [string, string, string];
try {
  await compileKernel(readFileSync(sourceFile, 'utf8'), { cacheDir });
} finally {
  rmSync(sourceFile, { force: true });
  rmSync(lock, { force: true });
}

// Filling the kernel cache in the background (Node): while a model text runs interpreted, a detached
// process compiles its kernel into the disk cache, so the next run starts with the compiled tier.
// It outlives the command that started it (a compile takes seconds; a small command ends sooner),
// writes the cache as compileKernel always does (atomically), and runs at most once per kernel at a
// time (a lock file, stale after ten minutes). DOSEWISE_BACKGROUND_COMPILE=0 (or off, false, no) turns it off.

import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findUpFile, moduleDir } from '../package-path.js';
import { defaultCacheDir, kernelKey } from './kernel-compiler.js';
import { environmentSetting } from '../environment.js';

const STALE_MS = 10 * 60 * 1000;

/** The lock of kernel `key` in `dir`: taken (true) unless another process holds a fresh one. */
function takeLock(lock: string): boolean {
  try {
    closeSync(openSync(lock, 'wx'));
    return true;
  } catch {
    try {
      if (Date.now() - statSync(lock).mtimeMs < STALE_MS) return false;
      unlinkSync(lock);
      closeSync(openSync(lock, 'wx'));
      return true;
    } catch {
      return false;
    }
  }
}

/**
 * Starts compiling `source` into the disk cache in a detached process; returns whether one was
 * started (not when turned off, without a disk cache, or while another is compiling this kernel).
 */
export function compileInBackground(source: string, cacheDir: string | false | undefined): boolean {
  if (cacheDir === false || !environmentSetting('DOSEWISE_BACKGROUND_COMPILE')) return false;
  const script = findUpFile(moduleDir(import.meta.url), join('dist', 'src', 'engine', 'kernel-cache-fill.js'));
  if (script === undefined) return false;
  const dir = cacheDir ?? defaultCacheDir();
  const key = kernelKey(source);
  try {
    mkdirSync(dir, { recursive: true });
  } catch {
    return false;
  }
  const lock = join(dir, `${key}.compiling`);
  if (!takeLock(lock)) return false;
  const sourceFile = join(dir, `${key}.source`);
  try {
    writeFileSync(sourceFile, source);
    const child = spawn(process.execPath, [script, sourceFile, dir, lock], { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
    return true;
  } catch {
    try {
      unlinkSync(lock);
    } catch {
      // nothing to release
    }
    return false;
  }
}


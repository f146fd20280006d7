// Output files on the local disk (Node only). Every output is written to a temporary file next to
// its target and renamed over it, so it must be a regular file: a device, a named pipe, a socket or
// a folder at the output path is refused (a rename would replace /dev/null itself). A symbolic link
// at the output path is followed: the file it points to is replaced, the link stays. A path ending
// in "/" names a folder and is refused where the output is one file. Temporary files are registered
// before they are created, and created synchronously, so that an exit on a signal or a closed pipe
// removes them; once removed, no new one is created. I/O errors name the file and the cause in
// words ("no space left on device"), never only an errno code. An output is refused when it leads
// to a file this command has read (rememberInput): `simulate --data d.csv --out d.csv` replaced its
// data set with its result, exit 0.

import type { Stats } from 'node:fs';
import { accessSync, closeSync, constants, existsSync, lstatSync, mkdirSync, openSync, readlinkSync, realpathSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { DosewiseError, Errors } from './errors.js';
import { removeDeadTemps } from './stale-temps.js';
import { lockFolder, LOCK_WAIT_MS } from './folder-lock.js';

const CAUSE: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a folder, not a file',
  ENOTDIR: 'a parent is not a folder',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EIO: 'input/output error',
  EFBIG: 'file too large',
  ENAMETOOLONG: 'file name too long',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EEXIST: 'already exists',
  EBUSY: 'device or resource busy',
  ELOOP: 'too many symbolic links',
  EXDEV: 'on another device',
  EPIPE: 'the reader closed the pipe',
};

/** The cause of an I/O error in words with its code, e.g. "no space left on device, ENOSPC". */
export function ioCause(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code && CAUSE[code]) return `${CAUSE[code]}, ${code}`;
  return code ?? (e instanceof Error ? e.message : String(e));
}

/** An E_IO error naming the file, what failed and why; dosewise errors pass through unchanged. */
export function ioError(file: string, action: string, e: unknown): DosewiseError {
  if (e instanceof DosewiseError) return e;
  return Errors.io(file, `cannot ${action} (${ioCause(e)})`);
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** The folder holding `p` with its own links resolved (a link's relative target starts there). */
function realFolder(p: string): string {
  try {
    return realpathSync.native(dirname(p));
  } catch {
    return dirname(p);
  }
}

// the files read by the command running (real path → the path as given, and what it was read as);
// inputs are read before outputs are written, so every output can be checked against them
const inputs = new Map<string, { readonly file: string; readonly as?: string }>();

/** Remembers a file this command has read (`as`: "the data set"), so no output replaces it. */
export function rememberInput(file: string, as?: string): void {
  let real: string;
  try {
    real = realpathSync.native(file);
  } catch {
    return; // not a file on disk (nothing an output could replace)
  }
  const had = inputs.get(real);
  if (!had || (had.as === undefined && as !== undefined)) inputs.set(real, { file, as });
}

// what this command read from standard input (`-`), which one input alone can: a second reader
// finds it spent (empty, or waits on a terminal)
let stdinReader: string | undefined;

/** Claims standard input for `as` ("the data set"); what claimed it before, if anything. */
export function claimStdin(as: string): string | undefined {
  const before = stdinReader;
  stdinReader ??= as;
  return before;
}

/** Forgets the remembered inputs (and standard input's reader): each command run starts with none. */
export function forgetInputs(): void {
  inputs.clear();
  stdinReader = undefined;
}

/** The real path `p` leads to, also when it does not exist yet (its nearest existing parent, resolved). */
export function realOrPlanned(p: string): string {
  const abs = resolve(p);
  try {
    return realpathSync.native(abs);
  } catch {
    const up = dirname(abs);
    return up === abs ? abs : join(realOrPlanned(up), basename(abs));
  }
}

/** The input an output path leads to, or undefined. */
function inputAt(target: string): { readonly file: string; readonly as?: string } | undefined {
  return inputs.size === 0 ? undefined : inputs.get(realOrPlanned(target));
}

const readAs = (input: { readonly file: string; readonly as?: string }): string => `the input file ${input.file}${input.as ? ` (read as ${input.as})` : ''}`;

/** Refuses an output path (`file` as given, `target` resolved) that leads to an input of this command. */
function refuseInput(target: string, file: string, option?: string): void {
  const input = inputAt(target);
  if (input) throw new DosewiseError('E_IO', `${option ? `${option} ` : ''}${file}: is ${readAs(input)}: writing would overwrite it; give another path`, { file });
}

/**
 * Refuses an output folder (`option` DIR) whose files `names` would replace an input of this command,
 * before any work: `population --regimen out/subjects.csv --out out` replaced its regimen with the
 * subject table.
 */
export function refuseInputsIn(dir: string, names: readonly string[], option: string): void {
  for (const name of names) {
    const input = inputAt(join(dir, name));
    if (input) throw new DosewiseError('E_IO', `${option} ${dir}: its ${name} is ${readAs(input)}: writing it would overwrite that input; give another folder`, { file: join(dir, name) });
  }
}

/**
 * How a path ends when its last part is empty, "." or "..": then it names a folder (POSIX), whether
 * or not one is there; else undefined. resolve() drops that part, so "results/" became a file named
 * results.
 */
function folderEnding(file: string): string | undefined {
  const parts = file.split(sep === '\\' ? /[\\/]/ : '/');
  const last = parts[parts.length - 1] as string;
  if (last === '') return parts.length > 1 ? file.slice(-1) : undefined;
  return last === '.' || last === '..' ? last : undefined;
}

/**
 * The absolute path an output file is really written to: symbolic links at the path are followed;
 * anything but a regular file (or nothing) there is refused with a message naming the path (and
 * `option`, e.g. --out, when given). A path ending in "/" is refused: it names a folder.
 */
export function outputFile(file: string, stdoutHint = false, option?: string): string {
  const end = folderEnding(file);
  if (end !== undefined) {
    throw new DosewiseError('E_IO', `${option ? `${option} ` : ''}${file}: ends in "${end}", so it names a folder, but this output is one file: give a file path${stdoutHint ? ', or - for standard output' : ''}`, { file });
  }
  // an input of this command at the path: refused as soon as the path is checked, before any work
  const refused = (target: string): string => {
    refuseInput(target, file, option);
    return target;
  };
  let p = resolve(file);
  for (let hops = 0; hops <= 40; hops++) {
    let st: Stats;
    try {
      st = lstatSync(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return refused(p);
      throw ioError(file, 'write', e);
    }
    let via = p === resolve(file) ? '' : ` (the link leads to ${p})`;
    if (st.isSymbolicLink()) {
      // what the whole chain leads to (also a /proc/self/fd link to a pipe); a dangling link is
      // followed one step: the file it names is created
      let to: Stats | undefined;
      try {
        to = statSync(p);
      } catch {
        p = resolve(realFolder(p), readlinkSync(p));
        continue;
      }
      if (to.isFile()) return refused(realpathSync.native(p));
      st = to;
      try {
        via = ` (the link leads to ${realpathSync.native(p)})`;
      } catch {
        via = ' (through a symbolic link)';
      }
    }
    if (st.isFile()) return refused(p);
    throw Errors.io(
      file,
      `is ${kindOf(st)}${via}, not a regular file: outputs are written to a temporary file and renamed into place; give a file path${stdoutHint ? ', or - for standard output' : ''}`,
    );
  }
  throw Errors.io(file, 'cannot write (too many symbolic links, ELOOP)');
}

/** An output folder: created when missing; refused when something else than a folder is there. */
export function outputFolder(dir: string): string {
  if (dir === '-') throw Errors.io(dir, 'standard output cannot take a folder of outputs; give a folder path');
  const p = resolve(dir);
  let st: Stats | undefined;
  try {
    st = statSync(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw ioError(dir, 'write', e);
  }
  if (st && !st.isDirectory()) throw Errors.io(dir, `is ${st.isFile() ? 'a file' : kindOf(st)}, not a folder: give a folder for the outputs`);
  makeFolder(p, dir, 'create the folder');
  return p;
}

/**
 * Creates folder `p` with its parents; a failure names `file` and `action`. Node's recursive mkdir
 * reports ENOENT when the nearest existing parent cannot be written ("ro/r: cannot create the
 * folder (no such file, ENOENT)" on a read-only mount, ro being there): that parent and its own
 * refusal (read-only file system, permission denied) are named instead.
 */
export function makeFolder(p: string, file: string, action: string): void {
  try {
    mkdirSync(p, { recursive: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      let parent = dirname(resolve(p));
      while (!existsSync(parent) && dirname(parent) !== parent) parent = dirname(parent);
      try {
        accessSync(parent, constants.W_OK | constants.X_OK);
      } catch (w) {
        throw Errors.io(file, `cannot ${action}: its parent folder ${parent} cannot be written (${ioCause(w)})`);
      }
    }
    throw ioError(file, action, e);
  }
}

const temps = new Set<string>();
let seq = 0;
// told when the first temporary file is registered (true) and the last one goes (false): the
// command line listens for signals only while there are files to remove on the way out
let onTempsHeld: ((held: boolean) => void) | undefined;

/** Sets (or, without an argument, clears) the function told whether any temporary file is registered. */
export function watchTempFiles(listener?: (held: boolean) => void): void {
  onTempsHeld = listener;
  listener?.(temps.size > 0);
}

const forgetTemp = (tmp: string): void => {
  if (temps.delete(tmp) && temps.size === 0) onTempsHeld?.(false);
};
let exitHook = false;
// set by removeTempFiles() (the way out on a signal, a closed pipe or exit): a temporary file
// created after it would stay, so none is
let stopping = false;

/**
 * A fresh temporary path next to `target`, removed by removeTempFiles() until released. Refused once
 * removeTempFiles() has run. Create the file synchronously right after (createTemp): a file created
 * by an asynchronous open could appear after the cleanup (a signal in between) and stay.
 */
export function tempFor(target: string): string {
  if (stopping) throw Errors.io(target, 'not written: dosewise is stopping and has removed its temporary files');
  if (!exitHook) {
    exitHook = true;
    process.once('exit', removeTempFiles);
  }
  removeDeadTemps(target);
  const tmp = `${target}.tmp-${process.pid}-${++seq}`;
  temps.add(tmp);
  if (temps.size === 1) onTempsHeld?.(true);
  return tmp;
}

/**
 * Registers a temporary path next to `target`, then creates it (synchronously, so no signal handler
 * runs in between: the cleanup either finds it or came before and refused it). A stream that
 * writes it must open it without creating it (flags 'r+'): an open still pending when the cleanup
 * removes the file then fails instead of creating it again. Errors name `file`.
 */
export function createTemp(target: string, file: string): string {
  const tmp = tempFor(target);
  try {
    closeSync(openSync(tmp, 'w'));
  } catch (e) {
    releaseTemp(tmp, true);
    throw ioError(file, 'write', e);
  }
  return tmp;
}

/** Forgets a temporary path (renamed into place, or removed); removes it when asked. */
export function releaseTemp(tmp: string, remove = false): void {
  forgetTemp(tmp);
  if (remove) rmSync(tmp, { force: true });
}

/** Removes every registered temporary file (synchronously: safe in exit and signal handlers). */
export function removeTempFiles(): void {
  stopping = true;
  for (const t of temps) {
    try {
      rmSync(t, { force: true });
    } catch {
      // nothing more can be done on the way out
    }
  }
  temps.clear();
  onTempsHeld?.(false);
}

/**
 * Renames a finished temporary file over its target; on failure removes it and names the target
 * (and `option`). The last guard: a target that leads to an input of this command is refused here,
 * whatever was checked before.
 */
export function commitTemp(tmp: string, target: string, file: string, option?: string): void {
  try {
    refuseInput(target, file, option);
    renameSync(tmp, target);
    releaseTemp(tmp);
  } catch (e) {
    releaseTemp(tmp, true);
    throw ioError(file, 'write', e);
  }
}

/** A finished temporary file and the output it is to replace (see commitTemps). */
export interface PendingFile {
  readonly tmp: string;
  readonly target: string;
  /** The path as given, named in errors (with `option`). */
  readonly file: string;
  readonly option?: string;
}

/** Writes `content` to a temporary file next to `file`'s target; commitTemps() puts it in place. */
export function writeTemp(file: string, content: string | Uint8Array, stdoutHint = false, option?: string): PendingFile {
  const target = outputFile(file, stdoutHint, option);
  makeFolder(dirname(target), file, 'write');
  const tmp = tempFor(target);
  try {
    writeFileSync(tmp, content);
  } catch (e) {
    releaseTemp(tmp, true);
    throw ioError(file, 'write', e);
  }
  return { tmp, target, file, ...(option !== undefined ? { option } : {}) };
}

/**
 * writeTemp with the content given in chunks: `produce` calls `write` with each (a large output is
 * never one string). An error of `produce` removes the temporary file and is raised as it is.
 */
export function writeTempChunks(file: string, produce: (write: (chunk: Uint8Array) => void) => void, stdoutHint = false, option?: string): PendingFile {
  const target = outputFile(file, stdoutHint, option);
  makeFolder(dirname(target), file, 'write');
  const tmp = tempFor(target);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w');
    const to = fd;
    produce((chunk) => {
      for (let at = 0; at < chunk.length; ) at += writeSync(to, chunk, at, chunk.length - at);
    });
    closeSync(fd);
    fd = undefined;
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    releaseTemp(tmp, true);
    throw ioError(file, 'write', e);
  }
  return { tmp, target, file, ...(option !== undefined ? { option } : {}) };
}

let asideSeq = 0;

/**
 * Renames finished temporary files over their targets as one output: a subject table, then the
 * summary.json that records its checksum (the record comes last). Written in full before the first
 * rename, so a full disk leaves the earlier outputs as they were (a table renamed before its summary
 * was written left a new subjects.csv beside the previous run's summary.json). The earlier targets
 * are first moved aside (the record first) and put back if a rename fails: a failure leaves the
 * earlier files or the new ones, never a mix. A rename of two files is not atomic, and the sequence
 * is synchronous, so no signal handler runs inside it; a process killed inside it (SIGKILL, power
 * loss) leaves the earlier table without a summary, no table and no summary, or the new table
 * without its summary (the earlier files then stay beside them as TARGET.old-PID-N), never a table
 * beside another run's summary. Several files are put in place holding the folder's lock (another
 * run's commit waits up to `lockWaitMs`, then is refused). On failure, every temporary file is removed.
 */
export function commitTemps(pending: readonly PendingFile[], lockWaitMs = LOCK_WAIT_MS): void {
  const aside = new Map<string, string>();
  const placed: PendingFile[] = [];
  let at: PendingFile | undefined;
  let unlock: (() => void) | undefined;
  try {
    for (const p of pending) {
      at = p;
      refuseInput(p.target, p.file, p.option);
    }
    // another run's renames into the folder, interleaved with these, made a mix (folder-lock.ts)
    at = pending[0];
    if (pending.length > 1) unlock = lockFolder(dirname((pending[0] as PendingFile).target), lockWaitMs);
    // one file: its rename replaces the earlier one atomically
    for (const p of pending.length > 1 ? [...pending].reverse() : []) {
      at = p;
      if (!existsSync(p.target)) continue;
      const old = `${p.target}.old-${process.pid}-${++asideSeq}`;
      renameSync(p.target, old);
      aside.set(p.target, old);
    }
    for (const p of pending) {
      at = p;
      renameSync(p.tmp, p.target);
      releaseTemp(p.tmp);
      placed.push(p);
    }
  } catch (e) {
    for (const [target, old] of aside) {
      try {
        renameSync(old, target);
      } catch {
        // left under its .old name: still there for the user, who is told the write failed
      }
    }
    // a new file with no earlier one under its name goes too (the earlier ones are back over theirs)
    for (const p of placed)
      if (!aside.has(p.target))
        try {
          rmSync(p.target, { force: true });
        } catch {
          // nothing more to take back
        }
    aside.clear();
    for (const p of pending) releaseTemp(p.tmp, true);
    throw ioError((at as PendingFile).file, 'write', e);
  } finally {
    for (const old of aside.values()) rmSync(old, { force: true });
    unlock?.();
  }
}

/** writeFileAtomic with the content given in chunks (writeTempChunks). */
export function writeFileAtomicChunks(file: string, produce: (write: (chunk: Uint8Array) => void) => void, stdoutHint = false, option?: string): string {
  const pending = writeTempChunks(file, produce, stdoutHint, option);
  commitTemps([pending]);
  return pending.target;
}

/** Writes `content` to `file` atomically (temporary file, then rename); returns the path written. */
export function writeFileAtomic(file: string, content: string | Uint8Array, stdoutHint = false, option?: string): string {
  const pending = writeTemp(file, content, stdoutHint, option);
  commitTemps([pending]);
  return pending.target;
}

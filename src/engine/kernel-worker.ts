// The AssemblyScript compiler on a worker thread (Node). Its optimise phase is synchronous: on the
// calling thread it held the event loop for 11–16 s at a stretch (42 s on a loaded machine), so no
// timer, I/O or abort of the embedding app ran meanwhile. Here the worker runs asc.main(); the
// compiler's file callbacks come back to this thread as messages (asc awaits them), so
// buildKernelModule serves them exactly as in-thread, and an abort terminates the worker at once.
//
// The worker's code is a string (an eval worker): Node 20 cannot start a worker from the .ts
// sources that vitest runs, and a string needs no file to be found in src/ and dist/ alike. It
// knows nothing of dosewise: the compiler's URL and arguments come in, file calls and the result
// go out.

import { Worker } from 'node:worker_threads';
import { Errors } from '../errors.js';
import type { Asc, AscOptions, MemoryStream } from './kernel-build.js';

const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const waiting = new Map();
let next = 0;
const ask = (call, args) => new Promise((resolve) => {
  const id = next++;
  waiting.set(id, resolve);
  parentPort.postMessage({ call, id, args });
});
parentPort.on('message', ({ id, value }) => {
  waiting.get(id)(value);
  waiting.delete(id);
});
import(workerData.asc).then(async (asc) => {
  const stdout = asc.createMemoryStream();
  const stderr = asc.createMemoryStream();
  const { error } = await asc.main(workerData.argv, {
    stdout,
    stderr,
    readFile: (name, baseDir) => ask('readFile', [name, baseDir]),
    listFiles: (name, baseDir) => ask('listFiles', [name, baseDir]),
    writeFile: (name, contents, baseDir) => ask('writeFile', [name, contents, baseDir]),
  });
  parentPort.postMessage({ done: { error: error ? String(error.message) : null, stdout: stdout.toString(), stderr: stderr.toString() } });
});
`;

type FileCall = { call: 'readFile' | 'listFiles' | 'writeFile'; id: number; args: [string, string] | [string, Uint8Array | string, string] };
type Done = { done: { error: string | null; stdout: string; stderr: string } };

function memoryStream(): MemoryStream {
  const parts: string[] = [];
  return {
    write: (chunk) => void parts.push(typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk)),
    toString: () => parts.join(''),
  };
}

/** Answers one file call of the worker's compiler with this thread's callback. */
function serve(options: AscOptions, m: FileCall): unknown {
  const a = m.args;
  if (m.call === 'writeFile') return options.writeFile(a[0], a[1], a[2] as string);
  return options[m.call](a[0], a[1] as string);
}

function runOnWorker(ascUrl: string, argv: string[], options: AscOptions, signal: AbortSignal | undefined): Promise<{ error: Error | null }> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const worker = new Worker(WORKER_CODE, { eval: true, workerData: { asc: ascUrl, argv } });
    let settled = false;
    const end = (settle: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      settle();
    };
    // the compile is dropped, not left to run on: its module never reaches the caller or a cache
    const onAbort = (): void => end(() => reject(signal?.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: FileCall | Done) => {
      if ('done' in m) {
        options.stdout.write(m.done.stdout);
        options.stderr.write(m.done.stderr);
        end(() => resolve({ error: m.done.error === null ? null : new Error(m.done.error) }));
        return;
      }
      try {
        worker.postMessage({ id: m.id, value: serve(options, m) });
      } catch (e) {
        end(() => reject(e));
      }
    });
    worker.on('error', (e) => end(() => reject(Errors.engine(`the kernel compiler's worker thread failed: ${e.message}`))));
    worker.on('exit', (code) => end(() => reject(Errors.engine(`the kernel compiler's worker thread ended (exit code ${code}) before the compiler did`))));
  });
}

/**
 * The compiler at `ascUrl` (the resolved assemblyscript/asc) run on a worker thread per call of
 * main(); an abort of `signal` terminates the worker and rejects with the signal's reason.
 */
export function workerAsc(ascUrl: string, signal?: AbortSignal): Asc {
  return { createMemoryStream: memoryStream, main: (argv, options) => runOnWorker(ascUrl, argv, options, signal) };
}

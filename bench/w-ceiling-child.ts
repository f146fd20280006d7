// Entry of one W-ceiling executor: a worker thread (parentPort) or a child process started by
// fork() (process.send). It only answers bench/w-ceiling-kernels.ts's requests.

import { parentPort } from 'node:worker_threads';
import { limitInlining } from '../src/pool/inlining.js';
import { type ExecReply, type ExecRequest, serve } from './w-ceiling-kernels.js';

if (parentPort) {
  const port = parentPort;
  serve(
    (m) => port.postMessage(m),
    (h) => port.on('message', h),
    () => port.close(),
  );
} else if (process.send) {
  // the same V8 inlining budget as the bench process and its worker threads
  limitInlining();
  const send = process.send.bind(process);
  serve(
    (m: ExecReply) => send(m),
    (h) => process.on('message', (m) => h(m as ExecRequest)),
    () => process.disconnect(),
  );
} else {
  throw new Error('w-ceiling-child runs as a worker thread or a forked process (bench/w-ceiling.ts starts it)');
}

// The file Piscina starts every worker with. Piscina loads a worker file with require() first, and
// Node 20.19+ can require() an ES module; but a thread terminated during that load (a task
// cancelled while its worker is still starting) then ends the whole process ("FATAL ERROR:
// v8::Module::IsGraphAsync …" or "Assertion failed: facade->InstantiateModule", exit 134). This
// CommonJS entry loads the ES worker module (workerData.entry, a file URL) with import(), which a
// terminated thread abandons cleanly.

import { workerData } from 'node:worker_threads';

type Handler = (task: unknown) => unknown;
let handler: Promise<Handler> | undefined;

export = function run(task: unknown): Promise<unknown> {
  handler ??= import((workerData as { entry: string }).entry).then((m: { default: Handler }) => m.default);
  return handler.then((h) => h(task));
};

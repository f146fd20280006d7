// Engines for model texts: one WebAssembly instance per compiled kernel, shared by every model
// with that kernel in this thread (Node or browser). The module bytes travel with the model
// (Model.kernel.wasm), so workers need no compiler and no file system.

import { Errors } from '../errors.js';
import type { Model } from '../model/model.js';
import { Engine } from './wasm.js';

const engines = new Map<string, Engine>();

/** The engine running `model`'s own kernel: its compiled module, or the shipped engine (`shippedModule`) interpreting it. */
export function kernelEngine(model: Pick<Model, 'name' | 'kernel'>, shippedModule: () => WebAssembly.Module): Engine {
  const k = model.kernel;
  if (!k) throw Errors.engine(`model ${model.name} has no kernel of its own`);
  // a refused module is reported even when this thread holds a good engine for the kernel: the
  // model's JSON is wrong, and saying so does not depend on what ran here before
  if (k.refused)
    throw Errors.engine(
      `model ${model.name}: the compiled module in its JSON was refused (${k.refused}); nothing was run. Compile the text again: await compileModel(json)`,
    );
  // the compiled tier and the interpreted one are different instances: both may run in one thread
  const key = k.wasm ? k.id : `${k.id}:interpreted`;
  let e = engines.get(key);
  if (!e) {
    if (k.wasm) e = Engine.fromModule(new WebAssembly.Module(k.wasm as Uint8Array<ArrayBuffer>));
    else if (k.code) {
      e = Engine.fromModule(shippedModule());
      e.loadProgram(k.code);
    } else
      throw Errors.engine(
        `model ${model.name} is a model text whose kernel is too large to interpret and is not compiled yet: compile it with await compileModel(text)`,
      );
    engines.set(key, e);
  }
  return e;
}

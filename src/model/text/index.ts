// Model text → checked model description + kernel source. Pure and synchronous: compiling the
// kernel source to WebAssembly is the engine's job (src/engine/kernel-compiler.ts).

import { ABI_VERSION } from '../../abi.js';
import { ENGINE_ASC, ENGINE_DIGEST } from '../../engine-digest.js';
import { SourceText } from './lexer.js';
import { parseModelText } from './parser.js';
import { analyseModelText, type TextModel } from './analyse.js';
import { buildKernel, type KernelProgram } from './kernel.js';
import { generateKernelSource } from './codegen.js';
import { refuseNegativeHeldInit } from './held-amounts.js';

export type { TextModel } from './analyse.js';
export type { KernelProgram } from './kernel.js';

export interface CompiledText {
  readonly model: TextModel;
  readonly program: KernelProgram;
  /** AssemblyScript source of assembly/models/user.ts for this model. */
  readonly source: string;
  /** Identity of the kernel: a hash of `source` (equal sources share one compiled module). */
  readonly id: string;
}

/** 64-bit FNV-1a as 16 hex digits: a stable name for a kernel source (not a security measure). */
export function fnv1a64(s: string): string {
  let h = 0xcbf29ce484222325n;
  const p = 0x100000001b3n;
  const m = (1n << 64n) - 1n;
  for (let i = 0; i < s.length; i++) h = ((h ^ BigInt(s.charCodeAt(i))) * p) & m;
  return h.toString(16).padStart(16, '0');
}

export function compileModelText(text: string, file = 'model'): CompiledText {
  const src = new SourceText(text, file);
  const stmts = parseModelText(src);
  const model = analyseModelText(src, stmts);
  refuseNegativeHeldInit(src, stmts, model.kernel, model.modifiers);
  const program = buildKernel(model.kernel);
  if (model.solver.method === 'analytic' && !program.linear)
    src.fail(model.solver.at ?? 0, 'solver analytic needs a model linear in its compartments with no t on the right-hand side (the Jacobian depends on the state or time here): use auto, dopri5 or rosenbrock');
  const body = generateKernelSource(program, '');
  const id = kernelId(body);
  return { model, program, source: generateKernelSource(program, id), id };
}

/**
 * The kernel id of a kernel source (generated without its id) for an engine build: the ABI version
 * and the engine's identity (digest of its AssemblyScript sources, compiler version) are part of it,
 * so a module embedded by another engine build, even one with the same ABI, is not reused.
 */
export function kernelId(body: string, engine: { readonly digest: string; readonly asc: string } = { digest: ENGINE_DIGEST, asc: ENGINE_ASC }): string {
  return fnv1a64(`abi ${ABI_VERSION}\nengine ${engine.digest}\nasc ${engine.asc}\n${body}`);
}

// The WASM module's whole export list. Memory is one linear arena managed from JavaScript:
// src/engine lays out typed arrays with alloc() and releases them all with reset().

export { ABI_VERSION } from "./abi";
export { simulateBatch, simulateShared } from "./driver";

let top: usize = 0;

/** Releases every allocation. */
export function reset(): void {
  top = (__heap_base + 15) & ~(<usize>15);
}

/** Bump-allocates `bytes` (16-byte aligned), growing memory as needed; 0 if memory cannot grow. */
export function alloc(bytes: usize): usize {
  if (top == 0) reset();
  const p = top;
  const end = (p + bytes + 15) & ~(<usize>15);
  const have = <usize>memory.size() << 16;
  if (end > have) {
    const pages = <i32>((end - have + 0xffff) >> 16);
    if (memory.grow(pages) < 0) return 0;
  }
  top = end;
  return p;
}

export { fillRandom, normalQuantile } from "./rng";
export { metricsBatch } from "./metrics";
// the exact dose-banding optimizer's sort and dynamic programme (src/design/banding)
export { bandPack, bandSort, bandOptimize, bandWorkBytes } from "./banding";
// work counters of the ODE integrators over a batch (benchmarks)
export { odeWork, resetOdeWork } from "./ode/segment";
// a model text's kernel interpreted by this module (models/program.ts)
export { programCode, programConstants, programLoad } from "./models/program";
// one patient's MAP objective, its gradient and its BFGS run (src/bayes/map-fast.ts)
export { mapLoad, mapWorkBytes, mapWork, mapBatch, mapGradient, mapBfgs, mapExp, mapLog } from "./map";

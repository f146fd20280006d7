// Stand-alone WASM entry for unit tests of the ODE kernels and model right-hand sides:
//   npx asc assembly/testing.ts -o build/testing.wasm --runtime stub -O3 --noAssert
// The host allocates argument buffers with alloc() (a bump allocator above the static data,
// which holds the kernels' scratch buffers) and reads/writes them through the exported memory.
export { odeSegment, odeStat, resetStiffness, setStiffChoice } from "./ode/segment";
export { setTaylorOrder } from "./ode/taylor";
export { nStates, rhs, jac, initState, observe } from "./models/rhs";
export { luDecomp, luSolve } from "./ode/lu";
import { odeSegment as segment } from "./ode/segment";
import { STATS } from "./ode/control";
import { Status } from "./abi";

let top: usize = (__heap_base + 15) & ~(<usize>15);

/** Reserve `bytes` of 16-byte-aligned memory, growing the memory as needed; 0 on failure. */
export function alloc(bytes: i32): usize {
  const ptr = top;
  const end = (ptr + <usize>bytes + 15) & ~(<usize>15);
  const have = <usize>memory.size() << 16;
  if (end > have) {
    const pages = <i32>((end - have + 0xffff) >> 16);
    if (memory.grow(pages) < 0) return 0;
  }
  top = end;
  return ptr;
}

/** Release everything allocated so far. */
export function reset(): void {
  top = (__heap_base + 15) & ~(<usize>15);
}

const H_CELL: usize = memory.data(8, 8);

/**
 * Fixed-step integration for convergence-order tests: nSteps equal steps from t0 to t1, each one
 * call of the production integrator over exactly one step (the warm-start step is the whole
 * segment and the tolerances are so loose that the step is always accepted), so the error seen is
 * the method's own truncation error at that step, free of step-size control. y is updated in place.
 * Returns a Status, or -1 if any segment took other than one accepted step.
 */
export function odeFixed(
  method: i32, kind: i32, ncmt: i32, depot: i32, y: usize, t0: f64, t1: f64, nSteps: i32, p: usize, rate: usize,
): i32 {
  if (nSteps < 1) return -1;
  const span = t1 - t0;
  for (let k = 0; k < nSteps; k++) {
    const ta = t0 + span * (<f64>k / <f64>nSteps);
    const tb = k + 1 == nSteps ? t1 : t0 + span * (<f64>(k + 1) / <f64>nSteps);
    store<f64>(H_CELL, tb - ta);
    const status = segment(method, kind, ncmt, depot, y, ta, tb, p, rate, 0, 0, 0, 1.0, 1e300, H_CELL);
    if (status != Status.Ok) return status;
    if (load<i32>(STATS) != 1 || load<i32>(STATS, 4) != 0) return -1;
  }
  return Status.Ok;
}

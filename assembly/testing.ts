// Stand-alone WASM entry for unit tests of the ODE kernels and model right-hand sides:
//   npx asc assembly/testing.ts -o build/testing.wasm --runtime stub -O3 --noAssert
// The host allocates argument buffers with alloc() (a bump allocator above the static data,
// which holds the kernels' scratch buffers) and reads/writes them through the exported memory.
export { odeSegment, odeStat } from "./ode/segment";
export { nStates, rhs, jac, initState, observe } from "./models/rhs";
export { luDecomp, luSolve } from "./ode/lu";

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

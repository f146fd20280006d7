// The engine uses WebAssembly SIMD (two subjects per f64x2 lane pair in the population fast path).
// A runtime without it (Safari before 16.4, old Chromium) refuses the whole module with a
// validation error that names neither SIMD nor dosewise; checking first lets the page say why.

import { Errors } from '../errors.js';

/** (module (func (result v128) (f64x2.splat (f64.const 0)))): valid wherever SIMD is. */
export const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 15, 1, 13, 0, 68, 0, 0, 0, 0, 0, 0, 0, 0, 253, 20, 11]);

export const NO_SIMD =
  'this browser cannot run the dosewise engine: it lacks WebAssembly SIMD (supported since Chrome and Edge 91, Firefox 89, Safari 16.4)';

/** Throws a clear engine error where the runtime lacks WebAssembly SIMD. */
export function requireSimd(validate: (bytes: Uint8Array<ArrayBuffer>) => boolean = (b) => WebAssembly.validate(b)): void {
  if (!validate(SIMD_PROBE)) throw Errors.engine(NO_SIMD);
}

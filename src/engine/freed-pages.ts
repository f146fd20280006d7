// Large results (a data set's predictions: 5.8 MB for 2,000 W-b subjects; a 10,000-subject chunk
// of profiles: 27 MB) are fresh ArrayBuffers, which Node takes from the C library's malloc. glibc
// serves them from the top of its heap and gives that memory back to the kernel as soon as more
// than twice the largest freed mmap()ed block lies free at the top (its dynamic trim threshold),
// so every few calls, once the collector frees the last results, the heap shrinks and the next
// results fault in fresh pages. A fresh page cost ~10 µs on the virtual machines dosewise is
// measured on: 1,420 faults, 14.5 of 40 ms per simulate() of 2,000 W-b subjects (README: "Fresh
// pages"). glibc raises both thresholds by itself when an mmap()ed block of up to 32 MiB is freed;
// one such block, allocated (untouched, so it costs no page) and dropped when the engine loads,
// makes that happen at the first collection: blocks up to 32 MiB then come from the heap, and up
// to 64 MiB of freed memory stays mapped for the next results. On other C libraries it is a
// 32 MiB allocation that is never touched. DOSEWISE_MALLOC_PRIME=0 (or off, false, no) leaves malloc as it is.

/** Just under glibc's largest dynamic mmap threshold (32 MiB, the freed block's header included). */
import { environmentSetting } from '../environment.js';

export const PRIME_BYTES = 32 * 1024 * 1024 - 64 * 1024;

let primed = false;

/** Lets the C library keep freed result memory mapped (once per thread; see above). */
export function keepFreedPages(): void {
  if (primed || !environmentSetting('DOSEWISE_MALLOC_PRIME')) return;
  primed = true;
  // dropped at once: glibc adjusts its thresholds when the collector frees it
  void new ArrayBuffer(PRIME_BYTES);
}

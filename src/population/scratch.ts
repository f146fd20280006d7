// Per-thread scratch for the arrays a population chunk reads once and drops: covariate columns, η,
// κ and their normal draws, kernel parameter sets. handleChunkTask packs what it returns into the
// result buffer (a copy), so none of these outlives its chunk. A 25,000-subject chunk made 6.3 MB
// of fresh typed arrays: calloc zeroes them (its memset alone was 10 % of a worker thread's samples
// in a perf profile of W-band on two workers), the kernel faults in pages the C library maps anew
// (about 10 µs per 4 KB on the virtual machines measured), and V8's helper threads free them
// (README, "Typed arrays outside V8's heap").

/** Arrays handed out in turn from buffers kept between chunks; reset() at the start of each chunk. */
export class ScratchArena {
  #buffers: Float64Array[] = [];
  #next = 0;

  reset(): void {
    this.#next = 0;
  }

  /**
   * The next array of n doubles (a view): zeroed, or left with old values for a caller that
   * writes every element (`zero` false). Valid until the next reset().
   */
  take(n: number, zero = true): Float64Array {
    const i = this.#next++;
    let b = this.#buffers[i];
    if (b === undefined || b.length < n) {
      b = new Float64Array(Math.max(n, Math.ceil(1.25 * (b?.length ?? 0))));
      this.#buffers[i] = b;
      return b.subarray(0, n);
    }
    const a = b.subarray(0, n);
    if (zero) a.fill(0);
    return a;
  }
}

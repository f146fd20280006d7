// A candidate list given with a value twice (--doses 500,500,1000) ranked that candidate twice,
// using a --top slot ("3 regimens", `500 12 h` listed twice), and a nomogram's header read "sums of
// 500 + 500 + 1000": each value is used once, and a note names the option and the values repeated.

/** The values in their first order, each once; a note on standard error where one was given more than once. */
export function uniqueOption(name: string, text: string, values: readonly number[], what = 'candidate'): number[] {
  const out = [...new Set(values)];
  if (out.length < values.length) {
    const twice = [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];
    process.stderr.write(`dosewise: note: --${name} ${text}: ${twice.join(', ')} given more than once; each ${what} is used once (${out.length} of ${values.length})\n`);
  }
  return out;
}

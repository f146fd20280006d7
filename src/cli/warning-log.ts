// The warnings a run prints ("dosewise: warning: ..." on stderr), kept for its --report: a clinician
// reads the report, not stderr, and reports said "No warnings" beside an overdue dose or uneven SIR
// weights. The commands print them from many places (their own checks, the data readers, the
// library's results); taking them where they reach stderr keeps the report's list the printed one.

// "dosewise: warning: TEXT", or with a place before it ("dosewise: sw.model:7:16: warning: TEXT",
// a model text's W_STATE_SWITCH), kept as "PLACE: TEXT"
const WARNING = /^dosewise: (?:(.*?): )?warning: (.*)$/;

let kept: string[] = [];

/** Starts keeping this run's printed warnings (the earlier run's forgotten); returns the undo. */
export function keepPrintedWarnings(): () => void {
  kept = [];
  const stream = process.stderr;
  const write = stream.write;
  let partial = '';
  stream.write = function (this: unknown, chunk: unknown, ...rest: unknown[]): boolean {
    partial += typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : '';
    const lines = partial.split('\n');
    partial = lines.pop() as string;
    for (const l of lines) {
      const m = WARNING.exec(l);
      if (m) kept.push(m[1] ? `${m[1]}: ${m[2] as string}` : (m[2] as string));
    }
    return (write as (...a: unknown[]) => boolean).call(stream, chunk, ...rest);
  } as typeof stream.write;
  return () => {
    stream.write = write;
    kept = []; // a report made outside a run says none of the last run's
  };
}

/** The warnings printed so far in this run, in their order, each once. */
export function printedWarnings(): readonly string[] {
  return [...new Set(kept)];
}

/** A warning printed in words of its own (without "warning:"), kept for the report as printed. */
export function keepWarning(text: string): void {
  kept.push(text);
}

// A progress bar on stderr: redrawn in place on a terminal, a line every 10 % otherwise (CI logs).

export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr): (done: number, total: number) => void {
  const t0 = performance.now();
  let lastTenth = -1;
  return (done, total) => {
    const f = total > 0 ? done / total : 1;
    const secs = (performance.now() - t0) / 1000;
    const rate = secs > 0 ? done / secs : 0;
    const text = `${label} ${(100 * f).toFixed(0).padStart(3)}% ${done}/${total} (${Math.round(rate).toLocaleString('en-US')}/s)`;
    if (stream.isTTY) {
      const width = 30;
      const bar = '█'.repeat(Math.round(f * width)).padEnd(width, '░');
      stream.write(`\r${bar} ${text}${done >= total ? '\n' : ''}`);
    } else {
      const tenth = Math.floor(f * 10);
      if (tenth !== lastTenth) {
        lastTenth = tenth;
        stream.write(`${text}\n`);
      }
    }
  };
}

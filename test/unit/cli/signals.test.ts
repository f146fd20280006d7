// The dosewise process (bin/dosewise.js, dist/) on signals and closed pipes: SIGTERM and SIGHUP
// during a population run exit 128 + signal and leave no temporary file; a signal during work on
// the main thread (optimize, forecast, estimate --workers 0) ends the process at once; a reader that closes
// standard output early (`| head -1`) ends dosewise quietly with 141 (as SIGPIPE), no stack trace.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-sig-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Starts a population run writing to `dir`; sends `sig` once the first progress line is out. */
function killDuringRun(dir: string, sig: NodeJS.Signals): Promise<Ended & { sawTemp: boolean }> {
  const child = spawn(process.execPath, ['bin/dosewise.js', 'population', '--model', 'examples/wb-population.model.json', '--regimen', 'examples/wb-regimen.json',
    '--n', '5000000', '--workers', '1', '--chunk-size', '2000', '--out', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let sent = false;
  let sawTemp = false;
  return new Promise((done) => {
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => {
      stderr += s;
      if (!sent && /\d+\/5000000/.test(stderr)) {
        sent = true;
        sawTemp = readdirSync(dir).some((f) => f.includes('.tmp-'));
        child.kill(sig);
      }
    });
    child.on('exit', (code, signal) => done({ code, signal, stderr, sawTemp }));
  });
}

describe('signals', () => {
  for (const [sig, code] of [
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    it(`${sig} during a population run: exit ${code}, no .tmp- file left`, async () => {
      const dir = join(tmp, sig);
      const r = await killDuringRun(dir, sig);
      expect(r.sawTemp).toBe(true); // the table was being written when the signal came
      expect([r.code, r.signal]).toEqual([code, null]);
      expect(readdirSync(dir)).toEqual([]);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    }, 60_000);
  }

  // work on the main thread that never returns to the event loop: a JavaScript handler never ran, the
  // signal was lost, and the run went on to write its outputs and exit 0 (optimize: 11 minutes
  // through SIGINT, SIGINT and SIGTERM)
  const W = ['--model', 'examples/map-wmap.model.json', '--data', 'examples/map-patient.csv'];
  for (const [sig, cmd, args] of [
    ['SIGINT', 'optimize', [...W, '--target', 'auc24:400:600', '--doses', '250:3000:250', '--intervals', '8,12,24', '--infusions', '1,2', '--draws', '100000']],
    ['SIGTERM', 'optimize', [...W, '--target', 'auc24:400:600', '--doses', '250:3000:250', '--intervals', '8,12,24', '--infusions', '1,2', '--draws', '100000']],
    ['SIGTERM', 'forecast', [...W, '--regimen', 'examples/map-future.json', '--draws', '1000000', '--metric', 'auc24']],
    ['SIGHUP', 'estimate', ['--workers', '0', '--model', 'examples/map-wmap.model.json', '--data', 'MANY']],
  ] as const) {
    it(`${sig} during ${cmd} ${cmd === 'estimate' ? '--workers 0 ' : ''}(computing on the main thread): ended within seconds, nothing written`, async () => {
      const dir = join(tmp, `${cmd}-${sig}`);
      let data: readonly string[] = args;
      if (cmd === 'estimate') {
        // 30,000 patients, under a millisecond each on a quiet machine (3,000 were done before the signal)
        const one = readFileSync('examples/map-patient.csv', 'utf8').trim().split('\n');
        const rows = Array.from({ length: 30_000 }, (_, i) => one.slice(1).map((l) => l.replace(/^[^,]*/, String(i + 1)))).flat();
        writeFileSync(join(tmp, 'many.csv'), [one[0], ...rows].join('\n') + '\n');
        data = args.map((x) => (x === 'MANY' ? join(tmp, 'many.csv') : x));
      }
      // estimate writes no file (its fits go to standard output)
      const out = cmd === 'estimate' ? [] : ['--report', dir];
      const child = spawn(process.execPath, ['bin/dosewise.js', cmd, ...data, ...out, '--no-progress'], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (x: string) => (stderr += x));
      const ended = new Promise<Ended>((done) => child.on('exit', (code, signal) => done({ code, signal, stderr })));
      // well into the work (the command line's own start takes under a second)
      await new Promise((r) => setTimeout(r, 2500));
      expect(child.exitCode).toBe(null);
      const t0 = Date.now();
      child.kill(sig);
      const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const r = await ended;
      clearTimeout(guard);
      // ended by the signal itself (a shell's status 128 + signal), or exiting with that code
      expect(r.signal === sig || r.code === { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 }[sig]).toBe(true);
      expect(Date.now() - t0).toBeLessThan(5000);
      // nothing written: no report, no temporary file
      expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    }, 60_000);
  }

  it('a reader that closes the pipe early: exit 141, nothing on stderr', async () => {
    const child = spawn(process.execPath, ['bin/dosewise.js', 'simulate', '--model', 'test/conformance/dosing-1001.model.json', '--data', 'test/conformance/nmtests/dosing-1001.csv',
      '--out', '-'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => (stderr += s));
    // like `| head -1`: read the first line, then close the pipe (the output is far larger than a pipe buffer)
    let first = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (s: string) => {
      first += s;
      if (first.includes('\n')) child.stdout.destroy();
    });
    const r = await new Promise<Ended>((done) => child.on('exit', (code, signal) => done({ code, signal, stderr })));
    expect(first.split('\n')[0]).toMatch(/^ID,TIME,/);
    // the NONMEM test set has steady-state constant infusions, warned about before any output
    expect({ ...r, stderr: r.stderr.replace(/^dosewise: warning: .*\n/gm, '') }).toEqual({ code: 141, signal: null, stderr: '' });
  }, 60_000);
});

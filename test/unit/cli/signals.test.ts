// The dosewise process (bin/dosewise.js, dist/) on signals and closed pipes: SIGTERM and SIGHUP
// during a population run exit 128 + signal and leave no temporary file; a reader that closes
// standard output early (`| head -1`) ends dosewise quietly with 141 (as SIGPIPE), no stack trace.

import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
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

// Output paths: a regular file is replaced atomically; a symbolic link is followed (its target is
// replaced, the link stays); a device, a FIFO or a folder where a file belongs is refused with the
// path named; "-" is standard output where the output is a CSV; a folder output refuses a file.
// I/O errors name the file and the cause in words.

import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DosewiseError } from '../../../src/errors.js';
import { ioCause, ioError, outputFile } from '../../../src/files.js';
import { cli } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-out-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const SIM = ['simulate', '--model', 'test/conformance/dosing-1001.model.json', '--data', 'test/conformance/nmtests/dosing-1001.csv'];
const POP = ['population', '--model', 'examples/wb-population.model.json', '--regimen', 'examples/wb-regimen.json', '--n', '20', '--workers', '0', '--no-progress'];

describe('--out rules', () => {
  it('/dev/null (a character device) is refused, not replaced; "-" is standard output', async () => {
    const before = statSync('/dev/null');
    const r = await cli([...SIM, '--out', '/dev/null']);
    expect(r.code).toBe(1);
    expect(r.err.replace(/^dosewise: warning: .*\n/gm, '')).toMatch(/^dosewise: \/dev\/null: is a character device, not a regular file: .*or - for standard output/);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    expect(statSync('/dev/null').rdev).toBe(before.rdev);
    expect(readdirSync('/dev').filter((f) => f.startsWith('null.tmp-'))).toEqual([]);
    const full = await cli([...SIM, '--out', '/dev/full']);
    expect(full.code).toBe(1);
    expect(full.err.replace(/^dosewise: warning: .*\n/gm, '')).toMatch(/^dosewise: \/dev\/full: is a character device/);
    expect(statSync('/dev/full').isCharacterDevice()).toBe(true);
    const dash = await cli([...SIM, '--out', '-']);
    const plain = await cli(SIM);
    expect(dash.code).toBe(0);
    expect(dash.out).toBe(plain.out);
    expect(dash.out.split('\n')[0]).toMatch(/^ID,TIME,.*,IPRED,A1/);
  });

  it('a FIFO and a folder are refused where a file belongs', async () => {
    const fifo = join(tmp, 'pipe');
    execFileSync('mkfifo', [fifo]);
    let r = await cli([...SIM, '--out', fifo]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${fifo}: is a named pipe (FIFO), not a regular file`);
    mkdirSync(join(tmp, 'folder'));
    r = await cli([...SIM, '--out', join(tmp, 'folder')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${join(tmp, 'folder')}: is a folder, not a regular file`);
  });

  it('a symbolic link is followed: its target is replaced, the link stays', async () => {
    const target = join(tmp, 'real.csv');
    const link = join(tmp, 'link.csv');
    writeFileSync(target, 'old\n');
    symlinkSync('real.csv', link);
    const r = await cli([...SIM, '--out', link]);
    expect(r.code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe((await cli(SIM)).out);
    // a link to a device is refused, naming where it leads
    symlinkSync('/dev/null', join(tmp, 'to-null.csv'));
    const bad = await cli([...SIM, '--out', join(tmp, 'to-null.csv')]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('is a character device (the link leads to /dev/null)');
    // a dangling link: the file it names is created
    symlinkSync('made.csv', join(tmp, 'dangling.csv'));
    expect(outputFile(join(tmp, 'dangling.csv'))).toBe(join(tmp, 'made.csv'));
    // a chain of links to a FIFO is refused, naming where it leads
    symlinkSync('pipe', join(tmp, 'to-pipe'));
    symlinkSync('to-pipe', join(tmp, 'to-to-pipe'));
    const viaPipe = await cli([...SIM, '--out', join(tmp, 'to-to-pipe')]);
    expect(viaPipe.code).toBe(1);
    expect(viaPipe.err).toContain(`is a named pipe (FIFO) (the link leads to ${join(tmp, 'pipe')})`);
  });

  it('population --out and --report: a file where a folder belongs, or "-", is refused', async () => {
    writeFileSync(join(tmp, 'afile'), 'x');
    let r = await cli([...POP, '--out', join(tmp, 'afile')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${join(tmp, 'afile')}: is a file, not a folder`);
    r = await cli([...POP, '--out', '-']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/-: standard output cannot take a folder of outputs/);
    r = await cli([...POP, '--report', '/dev/null']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('/dev/null: is a character device, not a folder');
  });

  it('population: summary.json as a device inside the output folder is refused; no temporary file is left', async () => {
    const dir = join(tmp, 'pop');
    mkdirSync(dir);
    symlinkSync('/dev/null', join(dir, 'summary.json'));
    const r = await cli([...POP, '--out', dir]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${join(dir, 'summary.json')}: is a character device`);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});

describe('I/O error messages', () => {
  it('name the file and the cause in words', () => {
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28 });
    expect(ioCause(enospc)).toBe('no space left on device, ENOSPC');
    const e = ioError('out/wb/subjects.csv', 'write', enospc);
    expect(e).toBeInstanceOf(DosewiseError);
    expect(e.code).toBe('E_IO');
    expect(e.message).toBe('out/wb/subjects.csv: cannot write (no space left on device, ENOSPC)');
    expect(ioCause(Object.assign(new Error('x'), { code: 'EROFS' }))).toBe('read-only file system, EROFS');
    expect(ioCause(Object.assign(new Error('x'), { code: 'EDQUOT' }))).toBe('disk quota exceeded, EDQUOT');
    // an already named dosewise error passes through unchanged
    expect(ioError('other', 'write', e)).toBe(e);
  });
});

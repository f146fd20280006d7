// Outputs of runs sharing a folder: two commits into one --out DIR at once (one run's summary.json
// was left beside the other's subjects.csv, both exit 0), temporary files of a killed run (a 35 MB
// subjects.csv.tmp-PID-N that later runs never removed) and a table larger than the free space.

import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statfsSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commitTemps, writeTemp } from '../../../src/files.js';
import { LOCK_FILE } from '../../../src/folder-lock.js';
import { tableSpaceWarning } from '../../../src/cli/table-space.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-folder-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A process id that no process has now (a child that has exited). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

const pair = (dir: string, run: string) => [writeTemp(join(dir, 'subjects.csv'), `ID,auc24\n1,${run}\n`), writeTemp(join(dir, 'summary.json'), `{"run":"${run}"}\n`)];

describe('commitTemps: one run at a time into a folder', () => {
  it("a commit while another process holds the folder's lock waits, then is refused naming the folder and the process; the earlier pair stays", async () => {
    const dir = join(tmp, 'held');
    mkdirSync(dir);
    commitTemps(pair(dir, 'A'));
    // another run inside its commit (its renames slowed, as on a network filesystem)
    const other = spawn('sleep', ['30']);
    await new Promise((r) => other.once('spawn', r));
    writeFileSync(join(dir, LOCK_FILE), `${other.pid}\n`);
    const t0 = Date.now();
    try {
      expect(() => commitTemps(pair(dir, 'B'), 300)).toThrow(new RegExp(`${dir}: another dosewise run \\(process ${other.pid}\\) is putting its outputs into this folder`));
    } finally {
      other.kill();
    }
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(readFileSync(join(dir, 'subjects.csv'), 'utf8')).toContain('1,A');
    expect(readFileSync(join(dir, 'summary.json'), 'utf8')).toContain('"A"');
    // its temporary files removed; the lock is the other run's
    expect(readdirSync(dir).sort()).toEqual([LOCK_FILE, 'subjects.csv', 'summary.json']);
  });

  it('the lock of a process no longer running is taken over, and released after the commit', () => {
    const dir = join(tmp, 'stale');
    mkdirSync(dir);
    writeFileSync(join(dir, LOCK_FILE), `${deadPid()}\n`);
    commitTemps(pair(dir, 'C'));
    expect(readdirSync(dir).sort()).toEqual(['subjects.csv', 'summary.json']);
    expect(readFileSync(join(dir, 'summary.json'), 'utf8')).toContain('"C"');
  });

  it("a lock naming this very process (a container's node, always one pid) or older than two minutes is taken over", () => {
    const own = join(tmp, 'own');
    mkdirSync(own);
    writeFileSync(join(own, LOCK_FILE), `${process.pid}\n`);
    commitTemps(pair(own, 'D'), 200);
    expect(readFileSync(join(own, 'summary.json'), 'utf8')).toContain('"D"');
    const old = join(tmp, 'old-lock');
    mkdirSync(old);
    writeFileSync(join(old, LOCK_FILE), `${process.ppid}\n`);
    const then = new Date(Date.now() - 180_000);
    utimesSync(join(old, LOCK_FILE), then, then);
    commitTemps(pair(old, 'E'), 200);
    expect(readdirSync(old).sort()).toEqual(['subjects.csv', 'summary.json']);
  });

  it('a lock released while a commit waits lets it through: the pair is the second run’s, whole', async () => {
    const dir = join(tmp, 'wait');
    mkdirSync(dir);
    commitTemps(pair(dir, 'A'));
    writeFileSync(join(dir, LOCK_FILE), `${process.ppid}\n`);
    // another process removes the lock 200 ms on (this thread sleeps inside the commit)
    const rm = spawn(process.execPath, ['-e', `setTimeout(() => require('fs').rmSync(${JSON.stringify(join(dir, LOCK_FILE))}), 200)`]);
    await new Promise((r) => rm.once('spawn', r));
    commitTemps(pair(dir, 'B'), 5_000);
    expect(readFileSync(join(dir, 'subjects.csv'), 'utf8')).toContain('1,B');
    expect(readFileSync(join(dir, 'summary.json'), 'utf8')).toContain('"B"');
    expect(readdirSync(dir).sort()).toEqual(['subjects.csv', 'summary.json']);
  });
});

describe('temporary files of processes no longer running', () => {
  it('are removed by the next output of that name; a live process’s, the kept-aside earlier files and other names stay', () => {
    const dir = join(tmp, 'killed');
    mkdirSync(dir);
    const dead = deadPid();
    // the user's own files named like temporary ones (notes.tmp-2024-1) were removed without a word
    const names = [`subjects.csv.tmp-${dead}-1`, `summary.json.tmp-${dead}-2`, `subjects.csv.tmp-${process.ppid}-1`, `subjects.csv.old-${dead}-1`, 'notes.tmp-x', `notes.tmp-${dead}-1`, `protocol.docx.tmp-${dead}-2`];
    for (const f of names) writeFileSync(join(dir, f), 'x');
    commitTemps(pair(dir, 'K'));
    expect(readdirSync(dir).sort()).toEqual(['notes.tmp-x', `notes.tmp-${dead}-1`, `protocol.docx.tmp-${dead}-2`, 'subjects.csv', `subjects.csv.old-${dead}-1`, `subjects.csv.tmp-${process.ppid}-1`, 'summary.json'].sort());
  });
});

describe('W_TABLE_SPACE', () => {
  const free = (() => {
    const s = statfsSync(tmp);
    return s.bavail * s.bsize;
  })();
  it('a table larger than the free space is warned with both figures', () => {
    // 141.6 bytes a subject, measured on a 10^9-subject run
    const rows = Math.ceil((free * 1.5) / 141.6);
    const w = tableSpaceWarning('big/subjects.csv', tmp, 141_600, 1000, rows) as string;
    expect(w).toMatch(/^W_TABLE_SPACE: big\/subjects\.csv will need about [\d.]+ GB \(141\.6 bytes a subject, [\d,]+ subjects\), but its filesystem has [\d.]+ GB free/);
    const [need, have] = [...w.matchAll(/([\d.]+) GB/g)].map((m) => Number(m[1]) * 1e9);
    expect(need / (rows * 141.6)).toBeCloseTo(1, 2);
    expect(Math.abs((have as number) - free) / free).toBeLessThan(0.05);
  });
  it('one that fits is not', () => {
    expect(tableSpaceWarning('t.csv', tmp, 141_600, 1000, Math.floor((free * 0.5) / 141.6))).toBeUndefined();
  });
});

// population --out DIR and merge --out DIR renamed the new subject table into place before the
// summary was written: on a full disk the folder held the new run's subjects.csv (3,000 rows, seed 2)
// beside the previous run's summary.json (10 rows, seed 1), exit 1. Both are now written in full
// before either is renamed, and a failed rename puts the earlier files back: a failure leaves the
// earlier pair, byte for byte. The failure is injected: writes of the summary's temporary file go
// to /dev/full (ENOSPC), or its rename fails (EIO).

import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { cli } from './run-cli.js';

const fail = { summaryWrite: false, summaryRename: false };

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const writeFileSync = ((p: string, d: string, o?: object) =>
    fs.writeFileSync(fail.summaryWrite && typeof p === 'string' && p.includes('summary.json.tmp-') ? '/dev/full' : p, d, o)) as typeof fs.writeFileSync;
  const renameSync = ((from: string, to: string) => {
    if (fail.summaryRename && String(to).endsWith('summary.json') && String(from).includes('.tmp-')) throw Object.assign(new Error('EIO: i/o error, rename'), { code: 'EIO' });
    fs.renameSync(from, to);
  }) as typeof fs.renameSync;
  return { ...fs, default: { ...fs, writeFileSync, renameSync }, writeFileSync, renameSync };
});

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-pair-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => {
  fail.summaryWrite = false;
  fail.summaryRename = false;
});
const at = (...p: string[]): string => join(tmp, ...p);
const pop = (n: number, seed: number, out: string, ...extra: string[]): string[] => ['population', '--model', 'examples/wb-population.model.json', '--regimen', 'examples/wb-regimen.json',
  '--metric', 'auc24', '--window', 'auc24=150:250', '--workers', '0', '--no-progress', '--n', String(n), '--seed', String(seed), ...extra, '--out', out];

/** Every file of `dir` with its bytes. */
function contents(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'latin1')]));
}

describe('population --out DIR: a summary not written leaves the earlier pair', () => {
  for (const [how, format] of [['summaryWrite', 'csv'], ['summaryRename', 'csv'], ['summaryWrite', 'arrow']] as const) {
    it(`${how === 'summaryWrite' ? 'a full disk while the summary is written' : 'a failed rename of the summary'} (${format})`, async () => {
      const dir = at(`pop-${how}-${format}`);
      expect((await cli(pop(10, 1, dir, '--format', format))).code).toBe(0);
      const before = contents(dir);
      expect(Object.keys(before)).toEqual([`subjects.${format}`, 'summary.json']);
      fail[how] = true;
      const r = await cli(pop(300, 2, dir, '--format', format));
      expect(r.code).toBe(1);
      expect(r.err).toContain(`dosewise: ${join(dir, 'summary.json')}: cannot write (${how === 'summaryWrite' ? 'no space left on device, ENOSPC' : 'input/output error, EIO'})\n`);
      // before: the new table (300 rows) beside the earlier summary (10 rows)
      expect(contents(dir)).toEqual(before);
      fail[how] = false;
      expect((await cli(pop(300, 2, dir, '--format', format))).code).toBe(0);
      const s = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { n: number; table: { rows: number } };
      expect([s.n, s.table.rows, readdirSync(dir).length]).toEqual([300, 300, 2]);
    });
  }

  it('a first run into a new folder leaves no table and no temporary file', async () => {
    const dir = at('pop-new');
    fail.summaryRename = true;
    expect((await cli(pop(50, 1, dir))).code).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('merge --out DIR: a summary not written leaves the earlier pair', () => {
  it('a full disk while the summary is written, then a failed rename', async () => {
    for (const i of [1, 2]) {
      expect((await cli(pop(10, 1, at('s10', String(i)), '--shard', `${i}/2`))).code).toBe(0);
      expect((await cli(pop(300, 2, at('s300', String(i)), '--shard', `${i}/2`))).code).toBe(0);
    }
    const m = at('merged');
    expect((await cli(['merge', at('s10', '1'), at('s10', '2'), '--out', m])).code).toBe(0);
    const before = contents(m);
    for (const how of ['summaryWrite', 'summaryRename'] as const) {
      fail[how] = true;
      const r = await cli(['merge', at('s300', '1'), at('s300', '2'), '--out', m]);
      fail[how] = false;
      expect(r.code).toBe(1);
      expect(r.err).toContain(`dosewise: ${join(m, 'summary.json')}: cannot write (`);
      expect(contents(m)).toEqual(before);
    }
    // a new --out folder is taken back
    fail.summaryWrite = true;
    expect((await cli(['merge', at('s300', '1'), at('s300', '2'), '--out', at('merged-new')])).code).toBe(1);
    expect(readdirSync(tmp)).not.toContain('merged-new');
  }, 60_000);
});

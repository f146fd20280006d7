// dosewise merge refuses anything but the complete, unchanged set of one run's shards, naming the
// shard folder and what is wrong; a complete set merges to exactly the single run's table.

import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';
import { withChecksum } from '../../../src/cli/summary-checksum.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-merge-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const at = (...p: string[]): string => join(tmp, ...p);
const base = ['population', '--model', 'examples/wb-population.model.json', '--regimen', 'examples/wb-regimen.json', '--n', '1000', '--seed', 'm',
  '--metric', 'auc24', '--window', '150:250', '--workers', '0', '--chunk-size', '300', '--no-progress'];
const merge = (dirs: string[], out = at('merged')) => cli(['merge', ...dirs, '--out', out]);
const S = (i: number): string => at(`s${i}`);

beforeAll(async () => {
  for (const i of [1, 2, 3]) expect((await cli([...base, '--shard', `${i}/3`, '--out', S(i)])).code).toBe(0);
  expect((await cli([...base, '--out', at('one')])).code).toBe(0);
}, 60_000);

/** A copy of shard folder i, changed by `edit`. */
function variant(i: number, name: string, edit: (dir: string) => void): string {
  const dir = at(name);
  cpSync(S(i), dir, { recursive: true });
  edit(dir);
  return dir;
}

describe('merge: the complete set of one run', () => {
  it('all shards, in any order: the single run\'s table, and a table record that describes it', async () => {
    const r = await merge([S(3), S(1), S(2)], at('ok'));
    expect(r.code).toBe(0);
    expect(readFileSync(at('ok', 'subjects.csv'), 'utf8')).toBe(readFileSync(at('one', 'subjects.csv'), 'utf8'));
    const m = JSON.parse(readFileSync(at('ok', 'summary.json'), 'utf8')) as { count: number; table: { rows: number; first_id: number; last_id: number; sha256: string } };
    const one = JSON.parse(readFileSync(at('one', 'summary.json'), 'utf8')) as { table: { sha256: string } };
    expect(m.count).toBe(1000);
    expect([m.table.rows, m.table.first_id, m.table.last_id]).toEqual([1000, 1, 1000]);
    expect(m.table.sha256).toBe(one.table.sha256);
    expect(readdirSync(at('ok')).sort()).toEqual(['subjects.csv', 'summary.json']);
  });

  it('refuses a missing last shard (exit 1, the shard and its subjects named)', async () => {
    const r = await merge([S(1), S(2)]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/shard 3\/3 \(subjects 667–1,000\) missing/);
    expect(existsSync(at('merged', 'summary.json'))).toBe(false);
  });

  it('refuses a file given for a shard folder, saying what merge takes (it read "a parent is not a folder, ENOTDIR")', async () => {
    const f = at('s1.arrow');
    writeFileSync(f, 'ARROW1');
    const r = await merge([f, S(2)]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${f}: a file, not a shard's output folder: merge takes the folders that population --shard writes`);
    expect(r.err).not.toMatch(/ENOTDIR/);
  });

  it('refuses a shard folder without summary.json as a shard that did not finish (it read "cannot read (no such file, ENOENT)")', async () => {
    mkdirSync(at('unfinished'), { recursive: true });
    let r = await merge([S(1), S(2), at('unfinished')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${at('unfinished')}: no summary.json in it: the shard did not finish or is not a dosewise shard`);
    expect(r.err).not.toMatch(/ENOENT/);
    r = await merge([S(1), S(2), at('nowhere')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${at('nowhere')}: no such folder`);
  });

  it('refuses a missing middle shard', async () => {
    const r = await merge([S(1), S(3)]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/shard 2\/3 \(subjects 334–666\) missing/);
  });

  it('refuses a truncated table, naming the file and both sizes', async () => {
    const t = variant(3, 'trunc', (d) => truncateSync(join(d, 'subjects.csv'), 5000));
    const r = await merge([S(1), S(2), t]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(join(t, 'subjects.csv'));
    expect(r.err).toMatch(/5,000 bytes, its summary\.json records [\d,]+ \(truncated/);
    expect(existsSync(at('merged', 'subjects.csv'))).toBe(false);
  });

  it('refuses an edited ID, naming the row', async () => {
    const e = variant(2, 'edited', (d) => {
      const f = join(d, 'subjects.csv');
      writeFileSync(f, readFileSync(f, 'utf8').replace(/^400,/m, '401,'));
    });
    const r = await merge([S(1), e, S(3)]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${join(e, 'subjects.csv')}, row 67: ID "401" where subject 400 belongs`);
    // nothing under the final name, no temporary file, and no empty --out folder left behind
    // (the merge created it before it found the edited row)
    expect(existsSync(at('merged'))).toBe(false);
  });

  it('a failed merge into a folder that existed before leaves that folder and its files as they were', async () => {
    const e = variant(2, 'edited2', (d) => {
      const f = join(d, 'subjects.csv');
      writeFileSync(f, readFileSync(f, 'utf8').replace(/^400,/m, '401,'));
    });
    mkdirSync(at('kept'));
    writeFileSync(at('kept', 'notes.txt'), 'mine');
    const r = await merge([S(1), e, S(3)], at('kept'));
    expect(r.code).toBe(1);
    expect(readdirSync(at('kept'))).toEqual(['notes.txt']);
  });

  it('refuses an edited value (same size): the SHA-256 differs', async () => {
    const e = variant(2, 'value', (d) => {
      const f = join(d, 'subjects.csv');
      const lines = readFileSync(f, 'utf8').split('\n');
      lines[5] = (lines[5] as string).replace(/,0$/, ',1');
      writeFileSync(f, lines.join('\n'));
    });
    const r = await merge([S(1), e, S(3)]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/value\/subjects\.csv: SHA-256 \w+… differs/);
  });

  it('refuses a shard whose table is missing, and a table its summary does not record', async () => {
    const gone = variant(1, 'gone', (d) => rmSync(join(d, 'subjects.csv')));
    let r = await merge([gone, S(2), S(3)]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${join(gone, 'subjects.csv')}: missing`);
    expect((await cli([...base, '--shard', '2/3', '--no-table', '--out', at('notable')])).code).toBe(0);
    r = await merge([S(1), at('notable'), S(3)]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/notable: subject table "no table" differs from "csv"/);
    cpSync(join(S(2), 'subjects.csv'), at('notable', 'subjects.csv'));
    const all = await Promise.all([1, 3].map((i) => cli([...base, '--shard', `${i}/3`, '--no-table', '--out', at(`notable${i}`)])));
    expect(all.map((x) => x.code)).toEqual([0, 0]);
    r = await merge([at('notable1'), at('notable'), at('notable3')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/notable\/subjects\.csv: present, but its summary\.json records no subject table/);
  });

  it('refuses a duplicate shard (the same folder twice, or a copy)', async () => {
    let r = await merge([S(1), S(2), S(3), S(2)]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/s2: given twice/);
    const copy = variant(2, 'copy', () => undefined);
    r = await merge([S(1), S(2), copy, S(3)]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/copy: shard 2\/3 again: .*s2 is shard 2\/3 too/);
  });

  it('refuses shards of different runs (seed, n) with the field named', async () => {
    expect((await cli([...base.slice(0, 7), '--seed', 'other', ...base.slice(9), '--shard', '3/3', '--out', at('seed')])).code).toBe(0);
    const r = await merge([S(1), S(2), at('seed')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/seed: seed "other" differs from "m"/);
  });

  it('refuses shards run with other solver settings (--rtol, --method), naming the option', async () => {
    expect((await cli([...base, '--rtol', '1e-6', '--shard', '3/3', '--out', at('rtol')])).code).toBe(0);
    let r = await merge([S(1), S(2), at('rtol')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/rtol: solver option rtol 0\.000001 differs from null in .*s1: the shards are not from one run/);
    expect(existsSync(at('merged', 'summary.json'))).toBe(false);
    expect((await cli([...base, '--method', 'dopri5', '--shard', '3/3', '--out', at('method')])).code).toBe(0);
    r = await merge([S(1), S(2), at('method')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/method: solver option method "dopri5" differs from null/);
  });

  it('refuses a shard of another engine build (the digest of the engine sources differs)', async () => {
    const e = variant(3, 'engine', (d) => {
      const f = join(d, 'summary.json');
      const s = JSON.parse(readFileSync(f, 'utf8')) as { inputs: { engine: string } };
      expect(s.inputs.engine).toMatch(/^[0-9a-f]{64}$/);
      s.inputs.engine = '0'.repeat(64);
      // as another build writes it: its checksum over its content
      writeFileSync(f, JSON.stringify(withChecksum(s)));
    });
    const r = await merge([S(1), S(2), e]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/engine: engine build \(SHA-256 of its sources\) "0{64}" differs from "[0-9a-f]{64}" in .*s1/);
  });

  it('refuses a summary edited after the shard wrote it (window counts, sums): its checksum no longer holds', async () => {
    for (const [what, edit] of [
      ['window counts', (m: { aggregate: { summary: { window: Record<string, number> } } }) => Object.assign(m.aggregate.summary.window, { within: 900, below: 0, above: 100 })],
      ['a sum', (m: { aggregate: { sum: number[] } }) => (m.aggregate.sum[2] = 2 * (m.aggregate.sum[2] as number))],
    ] as const) {
      const e = variant(3, `edited-${what.replace(' ', '-')}`, (d) => {
        const f = join(d, 'summary.json');
        const s = JSON.parse(readFileSync(f, 'utf8')) as { metrics: never[] };
        (edit as (m: never) => void)(s.metrics[0] as never);
        writeFileSync(f, JSON.stringify(s, null, 1));
      });
      const r = await merge([S(1), S(2), e]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/summary\.json: its content does not match its checksum \(edited or damaged since the shard wrote it\)/);
    }
  });

  it('refuses shards with another target window (a metric setting that changes the fractions)', async () => {
    const w = base.indexOf('150:250');
    const args = [...base.slice(0, w), '100:250', ...base.slice(w + 1)];
    expect((await cli([...args, '--shard', '3/3', '--out', at('window')])).code).toBe(0);
    const r = await merge([S(1), S(2), at('window')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/window: metric auc24: window 100:250 differs from 150:250 in .*s1: the shards are not from one run/);
  });

  it('compares the regimen by content: a copy elsewhere merges, another dose is refused', async () => {
    const regimen = readFileSync('examples/wb-regimen.json', 'utf8');
    writeFileSync(at('same.json'), regimen);
    writeFileSync(at('other.json'), regimen.replace('"amt": 500', '"amt": 750'));
    const shard3 = (file: string, dir: string) => cli([...base.slice(0, 4), file, ...base.slice(5), '--shard', '3/3', '--out', at(dir)]);
    expect((await shard3(at('same.json'), 'same')).code).toBe(0);
    expect((await merge([S(1), S(2), at('same')], at('same-merged'))).code).toBe(0);
    expect((await shard3(at('other.json'), 'other')).code).toBe(0);
    const r = await merge([S(1), S(2), at('other')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/other: regimen \(SHA-256 of its content\) "\w+" differs from "\w+" in .*s1: the shards are not from one run/);
  });

  it('refuses --out equal to an input, also through .. and through a symlink', async () => {
    for (const out of [S(1), join(S(2), '..', 's1'), at('link-to-s1')]) {
      if (out.endsWith('link-to-s1') && !existsSync(out)) symlinkSync(S(1), out);
      const before = readFileSync(join(S(1), 'summary.json'), 'utf8');
      const r = await merge([S(1), S(2), S(3)], out);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/is the shard folder .*s1: the merge would overwrite its outputs/);
      expect(readFileSync(join(S(1), 'summary.json'), 'utf8')).toBe(before);
    }
  });

  it('refuses an --out file that leads to an input file through a symbolic link (the folders differ)', async () => {
    const out = at('links-in');
    if (!existsSync(out)) {
      mkdirSync(out);
      symlinkSync(join(S(1), 'subjects.csv'), join(out, 'subjects.csv'));
    }
    const before = readFileSync(join(S(1), 'subjects.csv'), 'utf8');
    const r = await merge([S(1), S(2), S(3)], out);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/links-in\/subjects\.csv leads to the input .*s1\/subjects\.csv \(a symbolic link\): the merge would overwrite it/);
    expect(readFileSync(join(S(1), 'subjects.csv'), 'utf8')).toBe(before);
  });

  it('Arrow shards merge into one stream that apache-arrow reads: all rows, IDs in order', async () => {
    for (const i of [1, 2, 3]) expect((await cli([...base, '--format', 'arrow', '--shard', `${i}/3`, '--out', at(`a${i}`)])).code).toBe(0);
    const r = await merge([at('a2'), at('a3'), at('a1')], at('am'));
    expect(r.code).toBe(0);
    const t = tableFromIPC(readFileSync(at('am', 'subjects.arrow')));
    expect(t.numRows).toBe(1000);
    const id = t.getChild('ID')!.toArray() as Float64Array;
    expect(Array.from(id)).toEqual(Array.from({ length: 1000 }, (_, k) => k + 1));
    // the same values as the CSV of the single run
    const lines = readFileSync(at('one', 'subjects.csv'), 'utf8').split('\n');
    const header = (lines[0] as string).split(',');
    const row = (lines[501] as string).split(',').map(Number);
    header.forEach((h, c) => expect(Number(t.getChild(h)!.get(500))).toBe(row[c]));
    // an Arrow table cut short is refused
    const cut = variant(2, 'acut', () => undefined);
    rmSync(join(cut, 'subjects.csv'));
    cpSync(at('a2'), cut, { recursive: true });
    truncateSync(join(cut, 'subjects.arrow'), 4000);
    const bad = await merge([at('a1'), cut, at('a3')], at('am2'));
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/acut\/subjects\.arrow: 4,000 bytes/);
  });
});

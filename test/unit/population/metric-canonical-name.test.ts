// population named a metric's column as the user wrote it: --metric 'AUC: 0:24.0' wrote a CSV
// column "AUC: 0:24.0" (with its space), and shards run as auc:0:24 and AUC:00:24.0, the same
// metric, were refused by merge as two runs. The column and summary name are now the canonical
// spelling (metricName of the parsed metric: lower case, numbers as the shortest decimal, no
// spaces), so the same metric written two ways is one column and its shards merge. The canonical
// names of the ordinary spellings are the names they had.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { metricName, parseMetricSpec } from '../../../src/population/metrics.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-metric-name-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const at = (...p: string[]): string => join(tmp, ...p);
const base = ['population', '--model', 'examples/wb-population.model.json', '--regimen', 'examples/wb-regimen.json', '--n', '20', '--seed', '3',
  '--workers', '0', '--no-progress'];
const header = (dir: string): string => readFileSync(join(dir, 'subjects.csv'), 'utf8').split('\n')[0] as string;
const names = (dir: string): string[] => (JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { metrics: { name: string }[] }).metrics.map((m) => m.name);

/** Spellings whose names were already canonical: these columns are what they were. */
const ORDINARY = ['auc24', 'auctau', 'cmax', 'cmin', 'trough', 'cavg', 'tmax', 'auc:0:24', 'auc:12.5:24', 'cmax:12:24', 'trough:0:24', 'conc@12', 'conc@2.5',
  'tabove:15', 'tabove:0.5:0:24', 'fu=0.1/cmax', 'kd=2/trough', 'fu=0.1/kd=2/cmin', 'tabove:1e-300'];

describe('metric names: one canonical spelling', () => {
  it('keeps the names of the ordinary spellings', () => {
    for (const m of ORDINARY) expect(metricName(parseMetricSpec(m))).toBe(m);
  });

  it('writes the column and summary name of another spelling canonically', async () => {
    const r = await cli([...base, '--metric', 'AUC: 0:24.0', '--metric', 'CONC@12.50', '--metric', 'tabove:1.5e1', '--metric', 'FU=50%/Cmax',
      '--window', 'AUC: 0:24.0=100:200', '--out', at('odd')]);
    expect(r.code, r.err).toBe(0);
    expect(names(at('odd'))).toEqual(['auc:0:24', 'conc@12.5', 'tabove:15', 'fu=0.5/cmax']);
    expect(header(at('odd'))).toMatch(/,auc:0:24,conc@12\.5,tabove:15,fu=0\.5\/cmax(,|$)/);
    expect(r.out).toMatch(/^ *auc:0:24 /m);
    // the window given in the user's spelling is that metric's
    const s = JSON.parse(readFileSync(at('odd', 'summary.json'), 'utf8')) as { metrics: { window: unknown }[] };
    expect(s.metrics[0]?.window).toEqual({ lo: 100, hi: 200 });
  });

  it('merges shards of one metric written two ways into the table of one run', async () => {
    for (const [i, m] of [[1, 'auc:0:24'], [2, 'AUC:00:24.0']] as const)
      expect((await cli([...base, '--metric', m, '--shard', `${i}/2`, '--out', at(`s${i}`)])).code).toBe(0);
    const r = await cli(['merge', at('s1'), at('s2'), '--out', at('merged')]);
    expect(r.code, r.err).toBe(0);
    expect((await cli([...base, '--metric', 'auc:0:24', '--out', at('one')])).code).toBe(0);
    expect(readFileSync(at('merged', 'subjects.csv'), 'utf8')).toBe(readFileSync(at('one', 'subjects.csv'), 'utf8'));
    expect(names(at('merged'))).toEqual(['auc:0:24']);
  });

  it('still names a duplicate and a second window as written', async () => {
    const r = await cli([...base, '--metric', 'AUC:0:24', '--metric', 'auc:00:24']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--metric auc:00:24: given twice (as AUC:0:24 before; names are read in any case); give each metric once');
    const w = await cli([...base, '--metric', 'AUC:0:24', '--window', 'auc:0:24=1:2', '--window', 'AUC:0:24=3:4']);
    expect(w.code).toBe(2);
    expect(w.err).toContain('AUC:0:24 already has the window 1:2');
  });
});

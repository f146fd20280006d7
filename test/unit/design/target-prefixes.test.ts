// Metric and target texts read as written. A prefix given twice (fu=0.5/fu=0.25/cmax) ran as the
// last one under the name as written; fu=0x1 and kd=0o10 were read as 1 and 8 (numbers in these
// texts are decimal); CONC@5 was refused while AUC24 and Cmax were read; and forecast --target
// dropped tabove, peak/mic and occupancy clauses without a verdict or a word.

import { describe, expect, it } from 'vitest';
import { parseMetricSpec } from '../../../src/population/metrics.js';
import { parseTargetString } from '../../../src/design/targets/targets.js';
import { caught } from '../refused.js';
import { cli } from '../cli/run-cli.js';

describe('fu= and kd= prefixes', () => {
  it('are refused when given twice, in metrics and targets', () => {
    expect(caught(() => parseMetricSpec('fu=0.5/fu=0.25/cmax')).message).toMatch(/fu= is given twice: give one/);
    expect(caught(() => parseMetricSpec('kd=2/fu=0.5/kd=3/cmin')).message).toMatch(/kd= is given twice/);
    expect(caught(() => parseTargetString('fu=0.1/fu=1/auc24:300:600')).message).toMatch(/fu= is given twice: give one/);
    expect(caught(() => parseTargetString('kd=1000/kd=2/occupancy:0.5')).message).toMatch(/kd= is given twice/);
  });
  it('are decimal numbers (fu=0x1 read as 1, kd=0o10 as 8)', () => {
    for (const t of ['fu=0x1/auc24:300:600', 'fu=0b1/auc24:300:600', 'kd=0x2/occupancy:0.5', 'kd=0o10/occupancy:0.5', 'fu=/auc24:300:600'])
      expect(caught(() => parseTargetString(t)).message, t).toMatch(/must be a decimal number/);
    expect(parseTargetString('fu=0.25/auc24:300:600').clauses[0]).toMatchObject({ fu: 0.25 });
    expect(parseTargetString('FU=1e-1/auc24:300:600').clauses[0]).toMatchObject({ fu: 0.1 });
    expect(parseMetricSpec('FU=0.5/KD=2/cmin')).toMatchObject({ fu: 0.5, kd: 2 });
  });
  it('conc@T in any case, as the other names', () => {
    for (const t of ['conc@5', 'CONC@5', 'Conc@5']) expect(parseMetricSpec(t)).toMatchObject({ type: 'value', window: { at: 5 } });
  });
});

describe('forecast --target', () => {
  it('refuses the clauses it does not judge, naming them, and judges the others', async () => {
    const base = ['forecast', '--model', 'examples/map-wmap.model.json', '--data', 'examples/map-patient.csv', '--regimen', 'examples/map-future.json', '--draws', '50'];
    const r = await cli([...base, '--target', 'cavg:10:20,tabove:10:0.99,peak/mic:40:10,kd=5/occupancy:0.99']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--target tabove:10:0\.99, peak\/mic:40:10, kd=5\/occupancy:0\.99: forecast judges auc24, auctau, trough and cavg clauses only/);
    const ok = await cli([...base, '--target', 'trough:10:20', '--json']);
    expect(ok.code, ok.err).toBe(0);
  });
});

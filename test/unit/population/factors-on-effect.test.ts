// fu=F/ (unbound fu·C) and kd=K/ (occupancy fu·C/(KD + fu·C)) act on a concentration. A model whose
// metrics are on an effect (pk-emax: an Emax response in %) gave "fu=0.1/auc24" = 0.1 × the AUC of
// the response, exit 0. Refused on every path that computes metrics; the same metrics without a
// prefix still run, and the prefixes still run on a concentration.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { recordFromItems } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { forecast } from '../../../src/bayes/forecast.js';
import { regimen } from '../../../src/regimen/builder.js';
import { cli } from '../cli/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dosewise-effect-factors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pkEmax = defineModel(JSON.parse(readFileSync('examples/pk-emax/model.json', 'utf8')));
const refused = /metric fu=0\.1\/auc24: fu= acts on a concentration, but model PK \+ Emax \(illustrative\)'s metrics and targets are on output response \(DVID 2, compartment 2\), an effect/;

describe('fu= and kd= on a model whose metrics are on an effect', () => {
  const population = (metric: string, model = 'examples/pk-emax/model.json') =>
    cli(['population', '--model', model, '--regimen', 'examples/design-vancomycin-q12h-1000.json', '--n', '20', '--metric', metric, '--workers', '0', '--no-progress']);

  it('population: fu=0.1/auc24 and kd=2/cmax are refused, exit code 2, nothing on stdout', async () => {
    const fu = await population('fu=0.1/auc24');
    expect(fu.code).toBe(2);
    expect(fu.err).toMatch(refused);
    expect(fu.out).toBe('');
    expect((await population('kd=2/cmax')).err).toMatch(/metric kd=2\/cmax: kd= acts on a concentration/);
  });

  it('population: auc24 of the response still runs; fu= on a concentration model still runs', async () => {
    expect((await population('auc24')).code).toBe(0);
    expect((await population('fu=0.1/auc24', 'examples/wb-population.model.json')).code).toBe(0);
  });

  it('forecast() refuses the prefix on the response', () => {
    const history = [
      recordFromItems({ ID: 1, TIME: 0, EVID: 1, AMT: 500, CMT: 1, MDV: 1 }, 1),
      recordFromItems({ ID: 1, TIME: 2, EVID: 0, DV: 50, CMT: 2, DVID: 2, MDV: 0 }, 2),
    ];
    const fit = estimate(pkEmax, history);
    const future = regimen().dose({ time: 24, amt: 500 }).observe({ times: [30, 36, 48] }).records();
    expect(() => forecast(pkEmax, history, fit, future, { draws: 20, metrics: ['fu=0.1/auc24'] })).toThrow(refused);
    expect(() => forecast(pkEmax, history, fit, future, { draws: 20, metrics: ['auc24'] })).not.toThrow();
  });

  it('optimize: an occupancy target (kd=) on the response is refused', async () => {
    const data = join(dir, 'p.csv');
    writeFileSync(data, 'ID,TIME,EVID,AMT,CMT,DV,MDV,DVID\n1,0,1,500,1,.,1,.\n1,2,0,.,2,50,0,2\n');
    const r = await cli(['optimize', '--model', 'examples/pk-emax/model.json', '--data', data, '--target', 'kd=2/occupancy:0.5', '--doses', '250,500', '--intervals', '12,24', '--draws', '50']);
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(/kd= acts on a concentration/);
  });
});

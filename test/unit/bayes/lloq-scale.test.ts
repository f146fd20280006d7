// A BLQ limit given in concentration units under exponential (log-scale) error was read as a log
// without a word: the chart expblq.csv (2-cmt, exponential error 0.2, log DVs 3.317 and 1.235,
// one BLQ row with LLOQ 0.5 = the assay limit in mg/L) read 0.5 as a limit of e^0.5 = 1.65 mg/L.
// estimate() now warns (W_LLOQ_SCALE, naming row, time and value, and what to write: ln 0.5);
// valid log limits (ln 0.5 = −0.693, ln 2 written 0.69) are not warned about.
//
// Reference values: scipy MAP (test/oracle/generate_lloq_scale.py, run once; scipy.linalg.expm
// solution, BFGS + Nelder–Mead): LLOQ 0.5 read as a log: ETA_CL 0.2436436665, ETA_V1 −0.0747690865,
// OFV −4.542123219457798; LLOQ ln 0.5: ETA_CL 0.5711095861, ETA_V1 −0.0218177961, OFV 5.083789296381911.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { cli } from '../cli/run-cli.js';
import { tempFiles } from '../temp-files.js';

const { write } = tempFiles('dosewise-lloq-scale-');
const modelJson = {
  dosewise: 2,
  name: 'exp err',
  structure: { kind: 'linear', compartments: 2, depot: false },
  parameters: { CL: '4*exp(ETA_CL)', V: '30*exp(ETA_V1)', Q: 6, V2: 50 },
  omega: { etas: ['ETA_CL', 'ETA_V1'], matrix: [[0.1, 0.05], [0.05, 0.1]] },
  residual: { model: 'exponential', exponential: 0.2 },
};
const model = defineModel(modelJson);
const data = (limit: string, dvs = ['3.316981366732214', '1.2346481674473315']) =>
  `ID,TIME,EVID,AMT,RATE,DV,MDV,BLQ,LLOQ\n1,0,1,1000,1000,.,1,0,.\n1,1.5,0,.,.,${dvs[0]},0,0,.\n1,11.5,0,.,.,${dvs[1]},0,0,.\n1,36,0,.,.,${limit},0,1,${limit}\n`;
const fit = (limit: string, dvs?: string[]) => estimate(model, readNmtran(data(limit, dvs)).records);
const codes = (f: ReturnType<typeof fit>) => f.warnings.filter((w) => w.code === 'W_LLOQ_SCALE');

describe('W_LLOQ_SCALE: a BLQ limit in concentration units beside log-scale levels', () => {
  it('LLOQ 0.5 (the assay limit in mg/L): estimated as a log limit, as scipy does, and warned about by row, time and value', () => {
    const f = fit('0.5');
    // measured |Δη| 2.1e-9, |ΔOFV| 3e-15 against scipy's MAP
    expect(Math.abs((f.eta[0] as number) - 0.2436436665)).toBeLessThan(2e-8);
    expect(Math.abs(f.ofv - -4.542123219457798)).toBeLessThan(1e-11);
    const w = codes(f);
    expect(w).toHaveLength(1);
    expect(w[0]?.message).toMatch(/^row 4 \(TIME 36; BLQ\): the limit LLOQ 0\.5 looks like a concentration, not its logarithm.*read as a limit of e\^0\.5 = 1\.649.*write its logarithm, ln 0\.5 = -0\.6931, in LLOQ/);
    expect(w[0]?.message).not.toMatch(/--/);
  });

  it('a limit above every quantified log level (LLOQ 5 beside logs 3.317 and 1.235) is warned about as such', () => {
    const w = codes(fit('5', ['3.317', '1.235']));
    expect(w.map((x) => x.message)).toEqual([expect.stringMatching(/row 4 .*LLOQ 5 .*at or above every quantified level.*ln 5 = 1\.609/)]);
  });

  it('valid log limits are not warned about: ln 0.5 = −0.693 (scipy: ETA_CL 0.5711096, OFV 5.083789), ln 2 written 0.69, ln 2 in full', () => {
    const f = fit('-0.6931471805599453');
    // measured |Δη| 7.7e-9, |ΔOFV| 5e-14
    expect(Math.abs((f.eta[0] as number) - 0.5711095861)).toBeLessThan(3e-8);
    expect(Math.abs(f.ofv - 5.083789296381911)).toBeLessThan(1e-11);
    expect(codes(f)).toEqual([]);
    expect(codes(fit('0.69', ['3.317', '1.235']))).toEqual([]);
    expect(codes(fit('0.6931471805599453'))).toEqual([]);
    // DVs as concentrations (logDv false): the limit is a concentration too
    const conc = estimate(model, readNmtran(data('0.5', ['27.57698', '3.437169'])).records, { logDv: false });
    expect(codes(conc)).toEqual([]);
  });

  it('estimate prints it on stderr with the file, ID and code, and in the JSON warnings; exit 0', async () => {
    const m = write('exp.json', modelJson);
    const d = write('expblq.csv', data('0.5'));
    const r = await cli(['estimate', '--model', m, '--data', d, '--json']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/warning: .*expblq\.csv, ID 1, W_LLOQ_SCALE: row 4 \(TIME 36; BLQ\): the limit LLOQ 0\.5 looks like a concentration/);
    const out = JSON.parse(r.out) as { warnings: { code: string }[] }[];
    expect(out[0]?.warnings.map((w) => w.code)).toContain('W_LLOQ_SCALE');
  });
});

// vpc's reading of its input. A censoring flag column named BQL (BLOQ, BLQFLAG, ...) was not read:
// its BLQ rows (DV = LLOQ = 1) were ranked as measured levels of 1. `--pi 0.05,0.5,0.95` ran as the
// 0.05th, 0.5th and 0.95th percentiles. With prediction correction, observations outside the given
// bins got dv NaN (null in JSON): the correction looked up bin −1's median PRED. Data with an LLOQ
// column and levels below it but no BLQ column were refused with estimation's message ("it would be
// fitted as a measured level"), while a VPC censors them. `--log-y` failed the whole command after
// the run ("a log scale needs values > 0 (got -0.353855)") when additive error gave a value ≤ 0.

import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DosewiseError } from '../../../src/errors.js';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { vpc, type VpcResult } from '../../../src/vpc/vpc.js';
import { vpcChart, vpcLogOmitted } from '../../../src/report/vpc.js';
import { cli } from '../cli/run-cli.js';
import { tempDir } from '../temp-files.js';

const MODEL = 'examples/vpc/model.json';
const DATA = 'examples/vpc/data.csv';
const model = defineModel(JSON.parse(readFileSync(MODEL, 'utf8')));
const lines = readFileSync(DATA, 'utf8').trim().split('\n');
const header = (lines[0] as string).split(',');
const col = (name: string): number => header.indexOf(name);
const body = lines.slice(1).map((l) => l.split(','));
const BINS = [0, 0.6, 1.5, 3, 6, 10, 20, 50.5, 60];

async function rejected(p: Promise<unknown>): Promise<DosewiseError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(DosewiseError);
    return e as DosewiseError;
  }
  throw new Error('expected a DosewiseError, nothing was thrown');
}

describe('a censoring flag column of another usual name', () => {
  // examples/vpc/data.csv's first BLQ row: data row 2 (ID 1, t = 0.25, DV = 1)
  for (const name of ['BQL', 'BLOQ', 'BLQFLAG', 'BLQ_FLAG', 'bql_flag', 'BLOQ_FLAG']) {
    it(`${name} is refused, naming the column, row and value, and saying to name it BLQ`, async () => {
      const text = [[...header.slice(0, col('BLQ')), name, ...header.slice(col('BLQ') + 1)].join(','), ...lines.slice(1)].join('\n') + '\n';
      const e = await rejected(vpc(model, readNmtran(text, { file: 'd.csv' }).records, { replicates: 5, seed: 1, workers: 0, bins: BINS, file: 'd.csv' }));
      expect(e.place).toMatchObject({ file: 'd.csv', row: 2, column: name, value: 1 });
      expect(e.message).toMatch(new RegExp(`d\\.csv, row 2, column ${name}: censoring is read from a BLQ column .*${name} is not read, so its flagged rows would be read as measured levels; name the column BLQ`));
    });
  }

  it('is harmless when it flags nothing, or when the BLQ column is there too', async () => {
    const zero = [[...header, 'BQL'].join(','), ...body.map((c) => [...c, '0'].join(','))].join('\n') + '\n';
    await expect(vpc(model, readNmtran(zero).records, { replicates: 2, seed: 1, workers: 0, bins: BINS })).resolves.toBeDefined();
    const both = [[...header, 'BQL'].join(','), ...body.map((c) => [...c, c[col('BLQ')] as string].join(','))].join('\n') + '\n';
    const plain = await vpc(model, readNmtran(lines.join('\n') + '\n').records, { replicates: 5, seed: 1, workers: 0, bins: BINS });
    const withBql = await vpc(model, readNmtran(both).records, { replicates: 5, seed: 1, workers: 0, bins: BINS });
    expect(withBql.bins).toEqual(plain.bins);
  });
});

describe('--pi in %', () => {
  it('refuses fractions (they ran as the 0.05th, 0.5th and 0.95th percentiles), naming the option and values', async () => {
    const r = await cli(['vpc', '--model', MODEL, '--data', DATA, '--replicates', '2', '--workers', '0', '--no-progress', '--pi', '0.05,0.5,0.95']);
    expect(r.code).not.toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toContain('--pi 0.05,0.5,0.95: percentiles are given in % (5,50,95 for the 5th, 50th and 95th), and every value here is ≤ 1, which reads as 0.05 %, 0.5 %, 0.95 %: give them in % (5,50,95)');
    const quartiles = await cli(['vpc', '--model', MODEL, '--data', DATA, '--replicates', '2', '--workers', '0', '--no-progress', '--pi', '0.25,0.75']);
    expect(quartiles.err).toContain('give them in % (25,75)');
  });

  it('refuses a percentile given twice (its rows came out twice), in the CLI and the library', async () => {
    const r = await cli(['vpc', '--model', MODEL, '--data', DATA, '--replicates', '2', '--workers', '0', '--no-progress', '--pi', '5,5,50']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--pi 5,5,50: 5 is given twice; give each percentile once');
    await expect(vpc(model, readNmtran(readFileSync(DATA, 'utf8')).records, { replicates: 2, percentiles: [0.05, 0.5, 0.05] })).rejects.toThrow(/percentiles: 0\.05 is given twice/);
  });

  it('takes percentages, one of them ≤ 1 included', async () => {
    const dir = tempDir('dw-vpc-pi-');
    const r = await cli(['vpc', '--model', MODEL, '--data', DATA, '--replicates', '2', '--workers', '0', '--no-progress', '--pi', '1,50,99', '--out', join(dir, 'v.json')]);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'v.json'), 'utf8')).percentiles).toEqual([0.01, 0.5, 0.99]);
  });
});

describe('pcVPC with observations outside the given bins', () => {
  const records = readNmtran(lines.join('\n') + '\n').records;
  const edges = [0, 1, 2, 4, 8, 12];
  // by hand from the data: observations (EVID 0, MDV 0) after 12 h lie outside these bins
  const obsRows = body.filter((c) => c[col('EVID')] === '0' && c[col('MDV')] === '0');
  const beyond = obsRows.filter((c) => Number(c[col('TIME')]) > 12).length;

  it('leaves them out of the corrected observations (their dv was NaN) and counts them as outside', async () => {
    const r = await vpc(model, records, { replicates: 20, seed: 1, workers: 0, predictionCorrected: true, bins: edges });
    expect(beyond).toBeGreaterThan(0);
    expect(r.outside).toBe(beyond);
    expect(r.observations).toHaveLength(obsRows.length - beyond);
    expect(r.observations.every((o) => Number.isFinite(o.dv) && o.t <= 12)).toBe(true);
    // the bins themselves are those of the observations inside them: n adds up to the rest
    expect(r.bins.reduce((n, b) => n + b.n, 0)).toBe(obsRows.length - beyond);
    // uncorrected, the observations outside keep their own DV (nothing to correct by)
    const raw: VpcResult = await vpc(model, records, { replicates: 2, seed: 1, workers: 0, bins: edges });
    expect(raw.observations).toHaveLength(obsRows.length);
  });

  it('dosewise vpc --pc --out x.json writes no null dv', async () => {
    const dir = tempDir('dw-vpc-pcout-');
    const r = await cli(['vpc', '--model', MODEL, '--data', DATA, '--replicates', '5', '--workers', '0', '--no-progress', '--pc', '--bins', edges.join(','), '--out', join(dir, 'x.json')]);
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'x.json'), 'utf8'));
    expect(json.outside).toBe(beyond);
    expect(json.observations.filter((o: { dv: unknown }) => typeof o.dv !== 'number')).toEqual([]);
    expect(r.out).toContain(`${beyond} observation(s) outside every bin, not counted (nor in the prediction-corrected observations)`);
  });
});

describe('an LLOQ column without a BLQ column', () => {
  // as f2: the BLQ column dropped, its rows given DV 0.5 under an LLOQ of 1 on every observation
  const noBlq = (withLloq: boolean): string =>
    [
      [...header.filter((h) => h !== 'BLQ'), ...(withLloq ? ['LLOQ'] : [])].join(','),
      ...body.map((c) => {
        const cells = c.filter((_, j) => j !== col('BLQ'));
        if (c[col('BLQ')] === '1') cells[col('DV')] = '0.5';
        return [...cells, ...(withLloq ? [c[col('EVID')] === '0' ? '1' : '.'] : [])].join(',');
      }),
    ].join('\n') + '\n';

  it('censors the levels below it, as --lloq does (it was refused: "it would be fitted as a measured level")', async () => {
    const column = await vpc(model, readNmtran(noBlq(true)).records, { replicates: 30, seed: 1, workers: 0, bins: BINS });
    const option = await vpc(model, readNmtran(noBlq(false)).records, { replicates: 30, seed: 1, workers: 0, bins: BINS, lloq: 1 });
    expect(column.censored).toBe(true);
    expect(column.bins).toEqual(option.bins);
    // the observed fraction below the LLOQ per bin, counted from the data's own BLQ flags
    const obsRows = body.filter((c) => c[col('EVID')] === '0' && c[col('MDV')] === '0');
    BINS.slice(1).forEach((hi, b) => {
      const lo = BINS[b] as number;
      const inBin = obsRows.filter((c) => Number(c[col('TIME')]) >= lo && (Number(c[col('TIME')]) < hi || (b === BINS.length - 2 && Number(c[col('TIME')]) <= hi)));
      if (inBin.length === 0) return;
      const want = inBin.filter((c) => c[col('BLQ')] === '1').length / inBin.length;
      expect(column.bins[b]?.n).toBe(inBin.length);
      expect(column.bins[b]?.blq?.observed).toBe(want);
    });
    expect(column.bins[0]?.blq?.observed).toBeGreaterThan(0);
  });
});

describe('--log-y with values ≤ 0', () => {
  // additive error (SD 0.5) on levels that fall to about 0.3 mg/L: observed and simulated values ≤ 0
  const spec = {
    dosewise: 2,
    name: 'additive',
    structure: '1cmt-iv',
    theta: { TVCL: { value: 2, unit: 'L/h' }, TVV: { value: 20, unit: 'L' } },
    parameters: { CL: { expr: 'TVCL*exp(ETA_CL)', unit: 'L/h' }, V: { expr: 'TVV', unit: 'L' } },
    omega: { etas: ['ETA_CL'], matrix: [[0.09]] },
    residual: { model: 'additive', additive: 0.5 },
    observe: { compartment: 1, unit: 'mg/L' },
  };
  const rows = ['ID,TIME,EVID,AMT,CMT,DV,MDV'];
  let s = 3;
  const noise = (): number => ((s = (s * 16807) % 2147483647) / 2147483647 - 0.5) * 1.6;
  for (let id = 1; id <= 30; id++) {
    rows.push(`${id},0,1,100,1,.,1`);
    for (const t of [1, 2, 4, 8, 16, 24, 28]) rows.push(`${id},${t},0,.,1,${(5 * Math.exp(-0.1 * t) + noise()).toFixed(3)},0`);
  }
  const negatives = rows.slice(1).filter((l) => l.split(',')[2] === '0' && Number(l.split(',')[5]) <= 0).length;

  it('dosewise vpc --log-y --report: exit 0, the report written, the values left out counted in the chart note and on stderr', async () => {
    const dir = tempDir('dw-vpc-logy-');
    writeFileSync(join(dir, 'm.json'), JSON.stringify(spec));
    writeFileSync(join(dir, 'd.csv'), rows.join('\n') + '\n');
    const r = await cli(['vpc', '--model', join(dir, 'm.json'), '--data', join(dir, 'd.csv'), '--replicates', '30', '--workers', '0', '--no-progress', '--log-y', '--report', join(dir, 'rep'), '--out', join(dir, 'v.json')]);
    expect(r.code, r.err).toBe(0);
    expect(readdirSync(join(dir, 'rep'))).toContain('report.html');
    const v = JSON.parse(readFileSync(join(dir, 'v.json'), 'utf8')) as VpcResult;
    // counted from the result: observations, observed percentiles and lower interval ends ≤ 0
    const qs = v.bins.flatMap((b) => b.percentiles);
    const observed = qs.filter((q) => q.observed !== null && q.observed <= 0).length;
    const intervals = qs.filter((q) => q.lo !== null && q.hi !== null && q.lo <= 0).length;
    expect(negatives).toBeGreaterThan(0);
    expect(intervals).toBeGreaterThan(0);
    const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
    const parts = [plural(negatives, 'observation') + ' ≤ 0', ...(observed ? [plural(observed, 'observed percentile') + ' ≤ 0'] : []), plural(intervals, 'simulated interval') + ' reaching ≤ 0'];
    const list = `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1] as string}`;
    expect(r.err).toContain(`dosewise: warning: --log-y: the log axis leaves out ${list} (a log scale cannot place them)`);
    const html = readFileSync(join(dir, 'rep', 'report.html'), 'utf8');
    expect(html).toContain(`The log axis leaves out ${list}`);
    expect(html).not.toMatch(/NaN/);
  });

  it('keeps a linear axis for a log-scale DV (exponential error), saying so: its values below 0 are levels under 1, not impossible', async () => {
    const dir = tempDir('dw-vpc-logdv-');
    writeFileSync(join(dir, 'm.json'), JSON.stringify({ ...spec, name: 'exponential', residual: { model: 'exponential', exponential: 0.2 } }));
    const logRows = rows.map((l, i) => {
      const c = l.split(',');
      return i === 0 || c[2] !== '0' ? l : [...c.slice(0, 5), Math.log(Math.max(0.05, 5 * Math.exp(-0.1 * Number(c[1])))).toFixed(4), c[6]].join(',');
    });
    writeFileSync(join(dir, 'd.csv'), logRows.join('\n') + '\n');
    const r = await cli(['vpc', '--model', join(dir, 'm.json'), '--data', join(dir, 'd.csv'), '--replicates', '20', '--workers', '0', '--no-progress', '--log-y', '--report', join(dir, 'rep')]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('--log-y: the DV is log(concentration) here (exponential error), a log scale already: the chart keeps a linear axis of it');
    expect(r.err).not.toMatch(/the log axis leaves out/);
  });

  it('vpcChart on a log axis draws what is > 0 and counts the rest (it threw)', () => {
    const data = {
      ci: 0.95,
      bins: [
        { x: 1, percentiles: [{ p: 0.05, observed: 0.8, median: 0.9, lo: 0.5, hi: 1.2 }] },
        { x: 2, percentiles: [{ p: 0.05, observed: -0.2, median: 0.1, lo: -0.35, hi: 0.6 }] },
        { x: 4, percentiles: [{ p: 0.05, observed: 0.3, median: null, lo: null, hi: null }] },
      ],
      observations: [
        { t: 1, dv: 1 },
        { t: 2, dv: -0.353855 },
        { t: 2, dv: 0 },
      ],
    };
    expect(vpcLogOmitted(data)).toEqual({ observations: 2, observed: 1, intervals: 1 });
    const svg = vpcChart(data, { logY: true });
    expect(svg).toContain('the log axis leaves out 2 observations ≤ 0, 1 observed percentile ≤ 0 and 1 simulated interval reaching ≤ 0');
    expect(svg.match(/class="dw-point"/g)).toHaveLength(1);
    expect(svg).not.toMatch(/NaN/);
    // nothing > 0 at all: a chart saying so, not an error
    const none = { ci: 0.95, bins: [{ x: 1, percentiles: [{ p: 0.5, observed: -1, median: -1, lo: -2, hi: -0.5 }] }], observations: [{ t: 1, dv: -1 }] };
    expect(vpcChart(none, { logY: true })).toContain('No value &gt; 0 for a log axis');
    // linear axes are as before
    expect(vpcChart(data)).not.toContain('leaves out');
  });
});

// dosewise simulate --replicates and dosewise vpc from the command line: tables, reports, the same
// bytes with and without workers, individual η from estimate --json, and refused options.

import { existsSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import { cli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dosewise-replicates-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const vpcModel = 'examples/vpc/model.json';
const vpcData = 'examples/vpc/data.csv';
const nRecords = readFileSync(vpcData, 'utf8').trim().split('\n').length - 1;

describe('dosewise simulate --replicates', () => {
  it('writes REP, the input columns, IPRED and DV_SIM, the same bytes for any number of workers', async () => {
    const a = join(dir, 'a.csv');
    const r = await cli(['simulate', '--model', vpcModel, '--data', vpcData, '--replicates', '3', '--seed', '7', '--lloq', '1', '--workers', '0', '--no-progress', '--out', a]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/wrote \d+ rows \(3 replicates of \d+ records, seed 7\)/);
    const lines = readFileSync(a, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('REP,ID,TIME,EVID,AMT,CMT,DV,MDV,BLQ,WT,IPRED,DV_SIM,BLQ_SIM');
    expect(lines.length).toBe(1 + 3 * nRecords);
    expect(lines[1 + 2 * nRecords]?.startsWith('3,1,0,1,400,')).toBe(true);
    if (existsSync('dist/src/replicate/worker.js')) {
      const b = join(dir, 'b.csv');
      expect((await cli(['simulate', '--model', vpcModel, '--data', vpcData, '--replicates', '3', '--seed', '7', '--lloq', '1', '--workers', '2', '--chunk-size', '9', '--no-progress', '--out', b])).code).toBe(0);
      expect(readFileSync(b, 'utf8')).toBe(readFileSync(a, 'utf8'));
    }
  });

  it('prints the run\'s counts with --json (observations, censored, warnings), equal to the table\'s', async () => {
    // they were in the API's result only: the JSON gave model, data, out, replicates, seed and rows
    const c = join(dir, 'c.csv');
    const r = await cli(['simulate', '--model', vpcModel, '--data', vpcData, '--replicates', '3', '--seed', '7', '--lloq', '1', '--workers', '0', '--no-progress', '--out', c, '--json']);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out) as { rows: number; observations: number; censored: number; warnings: string[] };
    const [head, ...rows] = readFileSync(c, 'utf8').trim().split('\n');
    const h = (head as string).split(',');
    const cells = rows.map((x) => x.split(','));
    const observed = cells.filter((x) => x[h.indexOf('EVID')] === '0' && x[h.indexOf('MDV')] === '0');
    expect(j.rows).toBe(rows.length);
    expect(j.observations).toBe(observed.length);
    expect(j.censored).toBe(observed.filter((x) => x[h.indexOf('BLQ_SIM')] === '1').length);
    expect(j.censored).toBeGreaterThan(0);
    expect(Array.isArray(j.warnings)).toBe(true);
  });

  it('gives typical subjects without ε the IPRED of plain simulate, and writes Arrow', async () => {
    const plain = await cli(['simulate', '--model', vpcModel, '--data', vpcData]);
    const typical = await cli(['simulate', '--model', vpcModel, '--data', vpcData, '--effects', 'typical', '--no-epsilon', '--no-progress']);
    expect(typical.code, typical.err).toBe(0);
    const col = (text: string, name: string): string[] => {
      const [head, ...rows] = text.trim().split('\n');
      const j = (head as string).split(',').indexOf(name);
      return rows.map((l) => l.split(',')[j] as string);
    };
    expect(col(typical.out, 'IPRED')).toEqual(col(plain.out, 'IPRED'));
    expect(col(typical.out, 'DV_SIM').filter((v) => v !== '.')).toEqual(col(typical.out, 'IPRED').filter((_, i) => col(typical.out, 'EVID')[i] === '0'));
    const arrow = join(dir, 'r.arrow');
    expect((await cli(['simulate', '--model', vpcModel, '--data', vpcData, '--replicates', '2', '--no-progress', '--workers', '0', '--out', arrow])).code).toBe(0);
    const t = tableFromIPC(readFileSync(arrow));
    expect(t.numRows).toBe(2 * nRecords);
    expect(t.getChild('REP')?.get(nRecords)).toBe(2);
    expect(t.schema.fields.map((f) => f.name)).toEqual(['REP', 'ID', 'TIME', 'EVID', 'AMT', 'CMT', 'DV', 'MDV', 'BLQ', 'WT', 'IPRED', 'DV_SIM', 'BLQ_SIM']);
  });

  it('reads time-varying covariates as plain simulate does, NOCB or LOCF', async () => {
    // subject 1's weight changes from the third record on
    const lines = readFileSync(vpcData, 'utf8').trim().split('\n');
    const tv = [lines[0], ...lines.slice(1).map((l, i) => (l.startsWith('1,') && i >= 2 ? l.replace(/,[\d.]+$/, ',95') : l))].join('\n') + '\n';
    const data = join(dir, 'tv.csv');
    writeFileSync(data, tv);
    const seen: string[][] = [];
    for (const rule of [[], ['--locf']]) {
      const plain = await cli(['simulate', '--model', vpcModel, '--data', data, ...rule]);
      const rep = await cli(['simulate', '--model', vpcModel, '--data', data, '--effects', 'typical', '--no-epsilon', '--no-progress', ...rule]);
      expect(rep.code, rep.err).toBe(0);
      const ipredPlain = plain.out.trim().split('\n').slice(1).map((l) => l.split(',')[9]);
      const ipredRep = rep.out.trim().split('\n').slice(1).map((l) => l.split(',')[10]);
      expect(ipredRep).toEqual(ipredPlain);
      seen.push(ipredPlain);
    }
    expect(seen[0]).not.toEqual(seen[1]); // the two rules differ on this data set
  });

  it("keeps each ID's η from estimate --json (IPRED as estimate's, to the printed digits)", async () => {
    const est = await cli(['estimate', '--model', 'examples/map-wmap.model.json', '--data', 'examples/map-patient.csv', '--json']);
    expect(est.code, est.err).toBe(0);
    const etas = join(dir, 'etas.json');
    writeFileSync(etas, est.out);
    const fit = (JSON.parse(est.out) as { ipred: number[] }[])[0] as { ipred: number[] };
    const sim = await cli(['simulate', '--model', 'examples/map-wmap.model.json', '--data', 'examples/map-patient.csv', '--etas', etas, '--no-epsilon', '--no-progress']);
    expect(sim.code, sim.err).toBe(0);
    const rows = sim.out.trim().split('\n').slice(1);
    const ipred = rows.map((l) => Number(l.split(',').at(-2)));
    ipred.forEach((v, i) => expect(Math.abs(v - (fit.ipred[i] as number))).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(v))));
  });

  it('shards replicates: the shards, concatenated (header once), are the whole run', async () => {
    const whole = join(dir, 'whole.csv');
    const args = ['simulate', '--model', vpcModel, '--data', vpcData, '--replicates', '5', '--seed', 's', '--workers', '0', '--no-progress'];
    expect((await cli([...args, '--out', whole])).code).toBe(0);
    let joined = '';
    for (const i of [1, 2, 3]) {
      const f = join(dir, `shard-${i}.csv`);
      const r = await cli([...args, '--shard', `${i}/3`, '--out', f]);
      expect(r.code, r.err).toBe(0);
      expect(r.out).toMatch(new RegExp(`shard ${i}/3 of 5`));
      const text = readFileSync(f, 'utf8');
      joined += i === 1 ? text : text.slice(text.indexOf('\n') + 1);
    }
    expect(joined).toBe(readFileSync(whole, 'utf8'));
  });

  it('a shard with no replicate (more shards than replicates) writes the header, or the Arrow schema', async () => {
    const args = ['simulate', '--model', vpcModel, '--data', vpcData, '--replicates', '2', '--seed', 's', '--workers', '0', '--no-progress', '--shard', '1/3'];
    const csv = join(dir, 'empty-shard.csv');
    expect((await cli([...args, '--out', csv])).code).toBe(0);
    // the data's BLQ rows give every observation their limit (vpc's rule): BLQ_SIM is written
    expect(readFileSync(csv, 'utf8')).toBe('REP,ID,TIME,EVID,AMT,CMT,DV,MDV,BLQ,WT,IPRED,DV_SIM,BLQ_SIM\n');
    const arrow = join(dir, 'empty-shard.arrow');
    expect((await cli([...args, '--out', arrow])).code).toBe(0);
    const t = tableFromIPC(readFileSync(arrow));
    expect(t.numRows).toBe(0);
    expect(t.schema.fields.map((f) => f.name)).toEqual(['REP', 'ID', 'TIME', 'EVID', 'AMT', 'CMT', 'DV', 'MDV', 'BLQ', 'WT', 'IPRED', 'DV_SIM', 'BLQ_SIM']);
  });

  it('says on which scale an LLOQ censors, and when most simulated observations are censored', async () => {
    const model = JSON.parse(readFileSync(vpcModel, 'utf8')) as Record<string, unknown>;
    const expo = join(dir, 'expo.json');
    writeFileSync(expo, JSON.stringify({ ...model, residual: { model: 'exponential', exponential: 0.04 } }));
    const run = (m: string, lloq: string) => cli(['simulate', '--model', m, '--data', vpcData, '--replicates', '2', '--lloq', lloq, '--workers', '0', '--no-progress', '--out', join(dir, 'lloq.csv')]);
    const blq = (): string[] => readFileSync(join(dir, 'lloq.csv'), 'utf8').trim().split('\n').slice(1).filter((l) => l.split(',')[4] === '.').map((l) => l.split(',').at(-1) as string);
    // DV_SIM is log(concentration): --lloq 1 censors below e¹ = 2.718, said with the log-scale limit for 1
    const one = await run(expo, '1');
    expect(one.code, one.err).toBe(0);
    expect(one.err).toContain('--lloq 1 censors below a concentration of 2.718281828; for a limit of 1 in concentration units give --lloq 0.');
    const some = blq().filter((b) => b === '1').length;
    expect(some).toBeGreaterThan(0);
    expect(some).toBeLessThan(blq().length / 2);
    expect(one.err).not.toMatch(/fell below their LLOQ/);
    // a limit above every simulated value: censoring everything is said, with the count
    const all = await run(vpcModel, '100');
    expect(all.code).toBe(0);
    expect(blq().every((b) => b === '1')).toBe(true);
    expect(all.err).toMatch(new RegExp(`100 % of the simulated observations \\(${(blq().length).toLocaleString('en-US')} of ${(blq().length).toLocaleString('en-US')}\\) fell below their LLOQ`));
    // a limit ≤ 0 in concentration units is no limit of quantification
    const negative = await run(vpcModel, '-1');
    expect(negative.code).toBe(2);
    expect(negative.err).toMatch(/lloq: a limit of quantification in concentration units must be > 0/);
    // on the log scale it is one: a concentration of e^-1
    expect((await run(expo, '-1')).code).toBe(0);
    // a limit on the data's own scale, below most values: nothing to say
    const fine = await run(vpcModel, '0.05');
    expect(fine.code).toBe(0);
    expect(fine.err).not.toMatch(/warning/);
  });

  it('refuses options that do not fit, naming them', async () => {
    expect((await cli(['simulate', '--model', vpcModel, '--data', vpcData, '--replicates', '0'])).code).toBe(2);
    const p = await cli(['simulate', '--model', vpcModel, '--data', vpcData, '--replicates', '2', '--param', 'TVCL=3']);
    expect(p.code).toBe(2);
    expect(p.err).toMatch(/--param/);
    const e = await cli(['simulate', '--model', vpcModel, '--data', vpcData, '--effects', 'mean']);
    expect(e.code).toBe(2);
    expect(e.err).toMatch(/--effects mean/);
    // other formats' names got CSV text under them; --json without --out put CSV and JSON on stdout
    for (const name of ['r.arrows', 'r.feather', 'r.parquet', 'r.ipc', 'r.json', 'r.csv.gz', 'r.tsv']) {
      const f = await cli(['simulate', '--model', vpcModel, '--data', vpcData, '--replicates', '2', '--workers', '0', '--no-progress', '--out', join(dir, name)]);
      expect(f.code, name).toBe(2);
      expect(f.err).toMatch(/give a \.csv or \.arrow name/);
      expect(existsSync(join(dir, name))).toBe(false);
    }
    const j = await cli(['simulate', '--model', vpcModel, '--data', vpcData, '--replicates', '2', '--workers', '0', '--no-progress', '--json']);
    expect(j.code).toBe(2);
    expect(j.err).toMatch(/--json with --replicates: give --out FILE/);
    expect(j.out).toBe('');
  });

  it('refuses a data column named like a column it writes (an earlier replicate table as data)', async () => {
    const first = join(dir, 'first.csv');
    expect((await cli(['simulate', '--model', vpcModel, '--data', vpcData, '--replicates', '1', '--workers', '0', '--no-progress', '--out', first])).code).toBe(0);
    for (const out of [join(dir, 'again.csv'), join(dir, 'again.arrow')]) {
      const r = await cli(['simulate', '--model', vpcModel, '--data', first, '--replicates', '2', '--workers', '0', '--no-progress', '--out', out]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/column REP: the replicate table writes a column of that name/);
      expect(existsSync(out)).toBe(false);
    }
  });
});

describe('dosewise vpc', () => {
  it('writes the percentile table and a self-contained report with the VPC and BLQ charts', async () => {
    const out = join(dir, 'vpc.csv');
    const report = join(dir, 'vpc-report');
    const r = await cli(['vpc', '--model', vpcModel, '--data', vpcData, '--replicates', '20', '--seed', '3', '--workers', '0', '--no-progress', '--out', out, '--report', report]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/VPC of examples\/vpc\/data.csv, 20 replicates \(seed 3\), \d+ bins/);
    const csv = readFileSync(out, 'utf8').trim().split('\n');
    // with censored values, each bin's fractions below the LLOQ too (the file left them out), and
    // the numbers as doubles (6 digits before): the JSON's, read back exactly
    expect(csv[0]).toBe('bin,lo,hi,x,n,p,observed,sim_median,sim_lo,sim_hi,blq_observed,blq_sim_median,blq_sim_lo,blq_sim_hi');
    const json = join(dir, 'vpc.json');
    expect((await cli(['vpc', '--model', vpcModel, '--data', vpcData, '--replicates', '20', '--seed', '3', '--workers', '0', '--no-progress', '--out', json])).code).toBe(0);
    const bins = JSON.parse(readFileSync(json, 'utf8')).bins as { x: number; blq: { median: number }; percentiles: { median: number | null }[] }[];
    const back = (c: string | undefined): number | null => (c === '.' ? null : Number(c));
    let row = 1;
    bins.forEach((b) =>
      b.percentiles.forEach((q) => {
        const cells = (csv[row++] as string).split(',');
        expect(Number(cells[3])).toBe(b.x);
        expect(back(cells[7])).toBe(q.median);
        expect(Number(cells[11])).toBe(b.blq.median);
      }),
    );
    expect(row).toBe(csv.length);
    const html = readFileSync(join(report, 'report.html'), 'utf8');
    expect(html).toContain('class="dw-chart dw-vpc"');
    expect(html).toContain('class="dw-chart dw-vpc-blq"');
    expect(html).not.toMatch(/<script/);
    const bad = await cli(['vpc', '--model', vpcModel, '--data', vpcData, '--bins', '4,2']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/dosewise: --bins 4,2/);
    // the option named once, with two dashes (it read ----bins, ----pi)
    expect(bad.err).not.toMatch(/---/);
    const pi = await cli(['vpc', '--model', vpcModel, '--data', vpcData, '--pi', '5,50,100']);
    expect(pi.code).toBe(2);
    expect(pi.err).toMatch(/dosewise: --pi/);
    expect(pi.err).not.toMatch(/---/);
  });
});

// A VPC reads the data set as its replicates do. ETA columns (an estimation table fed back as data)
// made PRED the individual prediction (pcVPC bin 1's observed median 2.4307 for 2.32797); an LLOQ
// column filled on the BLQ rows alone left the quantified rows without a limit (simulated BLQ
// fraction 0.01 for 0.06); a CENS column's censored rows were ranked as measured levels; and the
// automatic bins split at an 11.1 % jump where "10 % later" was documented (the rule is now one of
// gaps against the spread of the times beside them: test/unit/vpc/vpc-auto-bins.test.ts).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { vpc } from '../../../src/vpc/vpc.js';
import { makeBins } from '../../../src/vpc/bins.js';

const model = defineModel(JSON.parse(readFileSync('examples/vpc/model.json', 'utf8')));
const lines = readFileSync('examples/vpc/data.csv', 'utf8').trim().split('\n');
const header = (lines[0] as string).split(',');
const col = (name: string): number => header.indexOf(name);
/** The example data with each line rewritten by f (cells in, cells out) and extra header names. */
const rewrite = (extra: string[], f: (cells: string[], i: number) => string[]): string =>
  [[...header, ...extra].join(','), ...lines.slice(1).map((l, i) => f(l.split(','), i).join(','))].join('\n') + '\n';
const BINS = [0, 0.6, 1.5, 3, 6, 10, 20, 50.5, 60];
const run = (text: string, pc = false) => vpc(model, readNmtran(text).records, { replicates: 40, seed: 11, bins: BINS, predictionCorrected: pc });

describe('vpc reads the data set as its replicates do', () => {
  it('pcVPC: PRED is the typical subject whatever ETA columns the data carry', async () => {
    const plain = await run(lines.join('\n') + '\n', true);
    const withEtas = await run(rewrite(['ETA_CL', 'ETA_V'], (c) => [...c, String(((Number(c[0]) * 37) % 11) / 20 - 0.25), String(((Number(c[0]) * 17) % 7) / 20 - 0.15)]), true);
    expect(withEtas.bins).toEqual(plain.bins);
  });

  it('an LLOQ column filled on the BLQ rows alone is the limit of every observation, as one in DV', async () => {
    const inDv = await run(lines.join('\n') + '\n');
    const blqOnly = await run(rewrite(['LLOQ'], (c) => [...c, c[col('BLQ')] === '1' ? (c[col('DV')] as string) : '.']));
    expect(blqOnly.bins.map((b) => b.blq)).toEqual(inDv.bins.map((b) => b.blq));
    expect(blqOnly.bins.map((b) => b.percentiles)).toEqual(inDv.bins.map((b) => b.percentiles));
  });

  it('a CENS column (Monolix, NONMEM) is refused, not read as measured levels', async () => {
    const cens = lines.join('\n').replace(/^(.*),BLQ,/, '$1,CENS,') + '\n';
    await expect(run(cens)).rejects.toThrow(/CENS is not read, so its censored rows would be/);
  });
});

describe('automatic bins', () => {
  it('keep tied sampling times apart, however close (1.0 and 1.09 h), and jittered ones within one bin', () => {
    // the 10 % rule split 1.0 from 1.105 and pooled 1.0 with 1.09; ties span 0, so any gap between
    // two tie groups of at least 5 observations separates them
    const times = [1, 1, 1, 1, 1, 1.105, 1.105, 1.105, 1.105, 1.105, 4, 4, 4, 4, 4, 4.42, 4.42, 4.42, 4.42, 4.42];
    expect(makeBins(times, 'auto').edges.length - 1).toBe(4);
    const close = [1, 1, 1, 1, 1, 1.09, 1.09, 1.09, 1.09, 1.09, 4, 4, 4, 4, 4, 4.36, 4.36, 4.36, 4.36, 4.36];
    expect(makeBins(close, 'auto').edges.length - 1).toBe(4);
    // scatter around 1 h and 4 h (one sample per subject each): two bins
    const jittered = [0.95, 0.97, 1, 1.02, 1.04, 1.06, 3.8, 3.9, 4, 4.1, 4.2, 4.3];
    expect(makeBins(jittered, 'auto', [1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6]).edges).toEqual([0.95, (1.06 + 3.8) / 2, 4.3]);
  });
});

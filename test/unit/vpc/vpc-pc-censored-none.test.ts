// W_PC_CENSORED is about censored levels ranking beside corrected ones: where a bin holds no censored
// level there is nothing to mis-rank. The fixture without its 53 BLQ rows (the LLOQ column kept, as
// lab exports fill it on every row: nocens.csv) was warned for bin 18.5–29.0 h; now
// only bins that hold a censored observation are named.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { vpc } from '../../../src/vpc/vpc.js';

const dir = 'test/fixtures/vpc-pc-censored';
const model = defineModel(JSON.parse(readFileSync(`${dir}/model.json`, 'utf8')));
const lines = readFileSync(`${dir}/data.csv`, 'utf8').trimEnd().split('\n');
const blq = (l: string): boolean => l.split(',')[7] === '1';
const pcWarnings = async (text: string, bins?: number[]): Promise<string[]> =>
  (await vpc(model, readNmtran(text).records, { replicates: 20, seed: 4, ...(bins ? { bins } : {}), predictionCorrected: true, workers: 0 })).warnings.filter((x) => x.startsWith('W_PC_CENSORED'));

describe('W_PC_CENSORED only where a level is censored', () => {
  it('no censored level (an LLOQ column on every row): no warning, with automatic bins and with set bins', async () => {
    const text = lines.filter((l) => !blq(l)).join('\n') + '\n';
    expect(text.split('\n').length - 1).toBe(lines.length - 53);
    expect(await pcWarnings(text)).toEqual([]);
    expect(await pcWarnings(text, [0, 0.75, 1.5, 3, 6, 10, 18, 30, 48])).toEqual([]);
  }, 60_000);
  it('the automatic bins of the fixture without its censored levels before 30 h: only bins that hold one of the late censored levels are named', async () => {
    const early = (l: string): boolean => Number(l.split(',')[1]) < 30;
    const text = lines.filter((l) => !(blq(l) && early(l))).join('\n') + '\n';
    const w = await pcWarnings(text);
    expect(w).toHaveLength(1);
    const named = [...(w[0] as string).matchAll(/(\d+(?:\.\d+)?)–(\d+(?:\.\d+)?)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(named.length).toBeGreaterThan(0);
    for (const [lo, hi] of named) expect(hi as number, `bin ${lo}–${hi}`).toBeGreaterThan(33.94);
  }, 60_000);
});

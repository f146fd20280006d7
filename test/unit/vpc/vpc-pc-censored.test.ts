// pcVPC beside censored levels: Bergstrand's correction scales quantified levels by PRED_bin/PRED
// while censored ones and their limits stay as they are and rank lowest. In the 30–48 h bin of this
// data set (LLOQ 0.2, a third of the IDs redosed at 24 h) the corrected observed median was 0.1198,
// below the limit, with nothing said (ronkeizer/vpc refuses the combination); now W_PC_CENSORED
// names the bins where a corrected level falls below its LLOQ.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { vpc } from '../../../src/vpc/vpc.js';

const dir = 'test/fixtures/vpc-pc-censored';
const model = defineModel(JSON.parse(readFileSync(`${dir}/model.json`, 'utf8')));
const records = readNmtran(readFileSync(`${dir}/data.csv`, 'utf8')).records;
const bins = [0, 0.75, 1.5, 3, 6, 10, 18, 30, 48];

describe('prediction-corrected VPC with censored levels', () => {
  it('names the bins where corrected levels fall below the LLOQ', async () => {
    const pc = await vpc(model, records, { replicates: 20, seed: 4, bins, predictionCorrected: true, workers: 0 });
    const w = pc.warnings.filter((x) => x.startsWith('W_PC_CENSORED'));
    expect(w).toHaveLength(1);
    expect(w[0]).toContain('30–48');
    const last = pc.bins[pc.bins.length - 1];
    expect(last?.percentiles[1]?.observed).toBeLessThan(0.2); // the corrected median below the limit
  }, 60_000);

  it('is silent without the correction', async () => {
    const plain = await vpc(model, records, { replicates: 20, seed: 4, bins, workers: 0 });
    expect(plain.warnings.filter((x) => x.startsWith('W_PC_CENSORED'))).toHaveLength(0);
  }, 60_000);
});

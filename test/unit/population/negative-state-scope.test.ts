// W_NEGATIVE_STATE (68bd92d) tallied every compartment's lowest amount on every row. (1) PD texts
// whose states are negative by right were warned for 200 of 200 subjects at any rtol ('tighten rtol
// to 1e-14'), though their observation CENTRAL/V reads none of those states: an Imax turnover written
// as change from baseline (DE, −64 at the typical subject), a disease-progression score from
// init(S) = −5, an effect from init(E) = −3. (2) chunkSizeFor counted every amount against the
// 512-MB budget and refused a run that had run: 6000 subjects × 3361 rows, --chunk-size 6000
// ('use a chunkSize ≤ 4990'). Only the compartments the first output is made of (directly or
// through their d/dt) that neither start nor run below zero by right are tallied, and only at rtol
// above STATE_CHECK_RTOL; a chunk size given leaves the amounts unchecked, with a warning, rather
// than refuse.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { regimen } from '../../../src/regimen/builder.js';
import { parseMetric, regimenTimesOf } from '../../../src/population/metrics.js';
import { runStudy, seedKey } from '../../../src/population/study.js';
import { populationPlan } from '../../../src/design/pta/pta-plan.js';
import { tallyableStates } from '../../../src/population/negative-metrics.js';
import type { DataRecord } from '../../../src/regimen/record.js';

const PK = `theta CL = 5, V = 50, KA = 1.2
eta ETA_CL ~ 0.09
`;
const CFB = `${PK}theta KOUT = 0.1, IMAX = 0.8, IC50 = 2, BASE = 100
eta ETA_IC50 ~ 0.09
compartment DEPOT, CENTRAL, DE
C = CENTRAL / (V)
d/dt(DEPOT) = -KA * DEPOT
d/dt(CENTRAL) = KA * DEPOT - CL * exp(ETA_CL) / V * CENTRAL
d/dt(DE) = -KOUT * BASE * IMAX * C / (IC50 * exp(ETA_IC50) + C) - KOUT * DE
observe = CENTRAL / V
`;
const DP = `${PK}theta SLOPE = 0.05, EMAX = 1, EC50 = 3, S0 = -5
compartment DEPOT, CENTRAL, S
init(S) = S0
C = CENTRAL / V
d/dt(DEPOT) = -KA * DEPOT
d/dt(CENTRAL) = KA * DEPOT - CL * exp(ETA_CL) / V * CENTRAL
d/dt(S) = SLOPE * (1 - EMAX * C / (EC50 + C))
observe = CENTRAL / V
`;
const EFF = `theta CL = 5, V = 50, KE0 = 0.5, EMAX = 10, EC50 = 2, E0 = -3
eta ETA_CL ~ 0.09
compartment CENTRAL, E
init(E) = E0
C = CENTRAL / V
d/dt(CENTRAL) = - CL * exp(ETA_CL) / V * CENTRAL
d/dt(E) = KE0 * (E0 + EMAX * C / (EC50 + C) - E)
observe = CENTRAL / V
`;
// the effect (init −3) is the first output, read through its d/dt: CENTRAL is tallied, E is not
const EFF2 = `theta CL = 5, V = 50, KE0 = 0.5, EMAX = 10, EC50 = 2, E0 = -3, VMAX = 2, KM = 1
eta ETA_CL ~ 0.09
compartment CENTRAL, E
init(E) = E0
C = CENTRAL / V
d/dt(CENTRAL) = - CL * exp(ETA_CL) / V * CENTRAL - VMAX * C / (KM + C)
d/dt(E) = KE0 * (E0 + EMAX * C / (EC50 + C) - E)
output 1 "response" unit "score" = E
residual(1) additive 0.5
output 2 "conc" unit "mg/L" = CENTRAL / V
residual(2) proportional 0.1
`;
const PM_UMOL = `theta CL = 5, V = 50, KA = 1.2, FM = 0.3, CLM = 20, VM = 30, VMAX = 50, KM = 2
eta ETA_CL ~ 0.09
eta ETA_CLM ~ 0.09
compartment DEPOT, CENTRAL, MET
C = CENTRAL / V
d/dt(DEPOT) = -KA * DEPOT
d/dt(CENTRAL) = KA * DEPOT - CL * exp(ETA_CL) / V * CENTRAL - VMAX * C / (KM + C)
d/dt(MET) = VMAX * C / (KM + C) * 1000 / 350 - CLM * exp(ETA_CLM) / VM * MET
output 1 "parent" unit "mg/L" = CENTRAL / V
residual(1) proportional 0.1
output 2 "metabolite" unit "umol/L" = MET / VM
residual(2) proportional 0.1
`;

const q12h = (step: number): DataRecord[] => regimen().dose({ time: 0, amt: 500, cmt: 1, addl: 13, ii: 12 }).observe({ grid: { from: 0, to: 168, step } }).records();
const coded = (w: readonly string[], code: string): string[] => w.filter((x) => x.startsWith(code));

async function study(text: string, records: DataRecord[], o: { rtol?: number; n?: number; chunkSize?: number; method?: 'dopri5' } = {}) {
  const { n = 200, chunkSize, ...plan } = o;
  const metrics = ['auc24', 'cmin'].map((m) => parseMetric(m, regimenTimesOf(records)));
  return runStudy(populationPlan({ model: { dosewise: 'text', text }, records, key: seedKey(1), metrics, table: false, ...plan }), { n, workers: 0, ...(chunkSize ? { chunkSize } : {}) });
}

describe('W_NEGATIVE_STATE: only the amounts the metrics read', () => {
  it('the compartments tallied: what the first output is made of, less those below zero by right', () => {
    const of = (text: string): string[] => {
      const m = defineModel({ dosewise: 'text', text });
      return tallyableStates(m, 1e-10).map((j) => m.stateNames[j] as string);
    };
    expect(of(CFB)).toEqual(['DEPOT', 'CENTRAL']);
    expect(of(DP)).toEqual(['DEPOT', 'CENTRAL']);
    expect(of(EFF)).toEqual(['CENTRAL']);
    expect(of(EFF2)).toEqual(['CENTRAL']);
    // the metabolite in µmol is not what the parent's levels are made of
    expect(of(PM_UMOL)).toEqual(['DEPOT', 'CENTRAL']);
    // an effect state read by the observation, its d/dt negative while empty (E0 −3): not tallied
    expect(of(EFF.replace('init(E) = E0\n', '').replace('observe = CENTRAL / V', 'observe = CENTRAL / V + E * 0.01'))).toEqual(['CENTRAL']);
  });

  for (const [name, text] of [['change from baseline (DE −64)', CFB], ['disease progression from −5', DP], ['effect from −3', EFF], ['effect from −3 as the first output', EFF2]] as const)
    for (const rtol of [1e-4, undefined])
      it(`${name}, rtol ${rtol ?? 'default'}: not warned (was 200 of 200)`, async () => {
        const res = await study(text, q12h(1), rtol ? { rtol, method: 'dopri5' } : {});
        expect(coded(res.warnings, 'W_NEGATIVE_STATE')).toEqual([]);
      }, 60_000);
});

describe('W_NEGATIVE_STATE never refuses a run', () => {
  it('6000 subjects × 3361 rows in one chunk of 6000 at the default tolerance runs (refused: chunkSize ≤ 4990)', async () => {
    const res = await study(PM_UMOL, q12h(0.05), { n: 6000, chunkSize: 6000 });
    expect(res.count).toBe(6000);
    expect(res.failed).toBe(0);
    expect(coded(res.warnings, 'W_NEGATIVE_STATE')).toEqual([]);
  }, 120_000);
});

describe('W_NEGATIVE_STATE where a chunk size given leaves no room for the amounts', () => {
  const TRANSIT = `theta KTR = 1.5, KE = 0.2, V = 10
eta ETA_KE ~ 0.09
compartment T1, T2, T3, CENTRAL
d/dt(T1) = -KTR * T1
d/dt(T2) = KTR * (T1 - T2)
d/dt(T3) = KTR * (T2 - T3)
d/dt(CENTRAL) = KTR * T3 - KE * exp(ETA_KE) * CENTRAL - 20 * CENTRAL / V / (2 + CENTRAL / V)
observe = CENTRAL / V
`;
  it('rtol 1e-4, 4000 subjects × 3362 records × 4 amounts in one chunk: runs, the amounts said to be unchecked', async () => {
    const res = await study(TRANSIT, q12h(0.05), { n: 4000, chunkSize: 4000, rtol: 1e-4, method: 'dopri5' });
    expect(res.count).toBe(4000);
    const w = coded(res.warnings, 'W_NEGATIVE_STATE');
    expect(w).toHaveLength(1);
    // 512 MiB / (8 × 3362 × 5) = 3992
    expect(w[0]).toMatch(/^W_NEGATIVE_STATE: the compartments' amounts \(T1, T2, T3, CENTRAL\) were not checked for a step through zero at rtol 1e-4: a chunk of 4000 subjects × 3362 records with 4 amounts each needs more than 512 MB of engine memory; a chunkSize ≤ 3992 checks them \(or tighten rtol to 1e-6 or below/);
  }, 120_000);
});

// The W-map workload (shared/BENCHMARKS.md) as a model file and records.

import { recordFromItems } from '../../../src/regimen/nmtran.js';
import type { DataRecord } from '../../../src/regimen/record.js';

export const wMapModel = {
  dosewise: 2,
  name: 'W-map',
  structure: { kind: 'linear', compartments: 2, depot: false },
  parameters: { CL: '4*exp(ETA_CL)', V: '30*exp(ETA_V1)', Q: 6, V2: 50 },
  omega: { etas: ['ETA_CL', 'ETA_V1'], diagonal: [0.1, 0.1] },
  residual: { model: 'proportional', proportional: 0.1 },
} as const;

export function regimenRecords(): DataRecord[] {
  const rows: Record<string, number>[] = [
    { TIME: 0, EVID: 1, AMT: 1000, RATE: 1000 },
    { TIME: 1.5, EVID: 0, DV: 27.57698 },
    { TIME: 11.5, EVID: 0, DV: 3.437169 },
    { TIME: 12, EVID: 1, AMT: 1000, RATE: 1000 },
    { TIME: 24, EVID: 1, AMT: 1000, RATE: 1000 },
    { TIME: 25, EVID: 0, DV: 38.494925 },
    { TIME: 36, EVID: 1, AMT: 1000, RATE: 1000 },
    { TIME: 47.5, EVID: 0, DV: 7.016984 },
  ];
  return rows.map((r, i) => recordFromItems({ ID: 1, ...r }, i + 1));
}

// A last-interval window whose end passes the profile's end by rounding alone: a dose at 49.5833 h
// with ADDL 1 and II 24 ends its interval at 49.5833 + 24 + 24 = 97.58330000000001, and a forecast
// whose grid ends at 97.5833 was refused ("window [73.58330000000001, 97.58330000000001] ends after
// the last simulated time 97.5833", exit 2).

import { describe, expect, it } from 'vitest';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { parseMetric, regimenTimesOf } from '../../../src/population/metrics.js';

describe('a window end one rounding past the profile', () => {
  const { records } = readNmtran('ID,TIME,EVID,AMT,II,ADDL,DV,MDV\n1,49.5833,1,1000,24,1,.,1\n1,97.5833,0,.,.,.,.,0\n');

  it('is read at the profile\'s end, not refused', () => {
    const times = regimenTimesOf(records, 97.5833);
    expect(49.5833 + 24 + 24).toBeGreaterThan(97.5833);
    const auc = parseMetric('auc24', times);
    expect(auc.t1).toBe(97.5833);
    expect(auc.t0).toBeCloseTo(73.5833, 12);
    expect(parseMetric('trough', times).t1).toBe(97.5833);
  });

  it('still refuses a window that truly ends after the profile', () => {
    const times = regimenTimesOf(records, 97.5833);
    expect(() => parseMetric('auc:80:97.6', times)).toThrow(/ends after the last simulated time 97\.5833/);
  });
});

// fu=F/ as a percentage: `fu=50%/trough:4:` was refused ("fu must be a decimal number (got 50%)")
// while `tabove:8:40%` and `kd=5/occupancy:50%` were read; 50% is 0.5 (closed form: 50/100), in a
// target and in a metric alike. fu ≤ 0 or above 100 % stays refused; a KD (a concentration) takes
// no percentage.

import { describe, expect, it } from 'vitest';
import { parseTargetString } from '../../../src/design/targets/targets.js';
import { parseMetricSpec } from '../../../src/population/metrics.js';

describe('fu=F/ as a percentage', () => {
  it('reads fu=50%/ as fu 0.5 in a target clause, as fu=0.5/', () => {
    expect(parseTargetString('fu=50%/trough:4:')).toEqual(parseTargetString('fu=0.5/trough:4:'));
    expect(parseTargetString('fu=50%/trough:4:').clauses[0]).toMatchObject({ metric: 'trough', lo: 4, fu: 0.5 });
    expect(parseTargetString('fu=12.5%/tabove:8:40%').clauses[0]).toMatchObject({ fu: 0.125, min: 0.4 });
    expect(parseTargetString('fu=100%/trough:4:').clauses[0]).toMatchObject({ fu: 1 });
  });

  it('refuses fu ≤ 0 % or above 100 %, and a KD in percent, in a target clause', () => {
    expect(() => parseTargetString('fu=0%/trough:4:')).toThrow(/fu \(unbound fraction\) must be in \(0, 1\]/);
    expect(() => parseTargetString('fu=150%/trough:4:')).toThrow(/fu \(unbound fraction\) must be in \(0, 1\] \(got 1\.5\)/);
    expect(() => parseTargetString('fu=%/trough:4:')).toThrow(/fu must be a decimal number or a percentage \(got %\)/);
    expect(() => parseTargetString('kd=5%/occupancy:50%')).toThrow(/kd must be a decimal number \(got 5%\)/);
  });

  it('reads fu=50%/ as fu 0.5 in a metric, as fu=0.5/', () => {
    expect(parseMetricSpec('fu=50%/cmax')).toEqual(parseMetricSpec('fu=0.5/cmax'));
    expect(parseMetricSpec('fu=50%/kd=2/trough')).toMatchObject({ type: 'trough', fu: 0.5, kd: 2 });
    expect(() => parseMetricSpec('fu=150%/cmax')).toThrow(/fu must be in \(0, 1\] \(got 150%\)/);
    expect(() => parseMetricSpec('fu=0%/cmax')).toThrow(/fu must be in \(0, 1\] \(got 0%\)/);
    expect(() => parseMetricSpec('kd=5%/cmax')).toThrow(/kd must be > 0 \(got 5%\)/);
  });
});

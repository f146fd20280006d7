// Dose-design targets: the compact string and JSON forms, validation messages, the metrics each
// clause needs, and the per-subject tests (attained, outcome, distance to the window's centre).

import { describe, expect, it } from 'vitest';
import { Outcome, clauseText, compileTarget, parseTarget, regimenTimes } from '../../../src/design/targets/targets.js';
import { regimen } from '../../../src/regimen/builder.js';

const q12 = regimen().dose({ time: 0, amt: 1000, dur: 1, ii: 12, addl: 1, ss: 1 }).observe({ grid: { from: 0, to: 24, step: 0.5 } }).records();

describe('target parsing', () => {
  it('compact forms round-trip through the canonical text', () => {
    const cases: [string, string][] = [
      ['auc24:400:600', 'auc24:400:600'],
      ['AUC24:400:600', 'auc24:400:600'],
      ['trough::20', 'trough::20'],
      ['css:15:25', 'cavg:15:25'],
      ['auctau:200:', 'auctau:200:'],
      ['cmax/mic:2:8', 'peak/mic:2:8'],
      ['tabove:1:50%', 'tabove:1:0.5'],
      ['fu=0.1/tabove:0.5:0.4', 'fu=0.1/tabove:0.5:0.4'],
      ['kd=2/occupancy:0.9', 'kd=2/occupancy:0.9'],
      ['fu=0.5/kd=2/occupancy:90%', 'fu=0.5/kd=2/occupancy:0.9'],
      ['auc24:400:600, trough::20', 'auc24:400:600,trough::20'],
    ];
    for (const [input, text] of cases) {
      const t = parseTarget(input);
      expect(t.clauses.map(clauseText).join(',')).toBe(text);
      expect(parseTarget(text)).toEqual(t);
    }
  });

  it('JSON forms: one clause, an array, {target: [...]}, or {target: "string"}', () => {
    const one = parseTarget({ metric: 'auc24', lo: 400, hi: 600 });
    expect(one.clauses).toEqual([{ metric: 'auc24', lo: 400, hi: 600 }]);
    expect(parseTarget([{ metric: 'auc24', lo: 400, hi: 600 }, { metric: 'trough', hi: 20 }]).clauses).toHaveLength(2);
    const wrapped = parseTarget({ target: [{ metric: 'peak/mic', mic: 1, min: 8, fu: 0.9 }], description: 'aminoglycoside' });
    expect(wrapped.description).toBe('aminoglycoside');
    expect(clauseText(wrapped.clauses[0]!)).toBe('fu=0.9/peak/mic:1:8');
    expect(parseTarget({ target: 'auc24:400:600' }).clauses[0]).toEqual({ metric: 'auc24', lo: 400, hi: 600 });
  });

  it('bad targets give clear errors', () => {
    const err = (t: unknown) => {
      try {
        parseTarget(t);
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(err('auc24:600:400')).toBe('target auc24: window [600, 400] is empty (lo > hi)');
    expect(err({ metric: 'auc24', lo: 600, hi: 400 })).toBe('target auc24: window [600, 400] is empty (lo > hi)');
    expect(err('auc24:-5:600')).toBe('target auc24: lo must be ≥ 0 (got -5)');
    expect(err('trough:5:-1')).toBe('target trough: hi must be ≥ 0 (got -1)');
    expect(err('trough::')).toMatch(/^target trough: give a lower bound, an upper bound, or both/);
    expect(err('auc24:400')).toMatch(/^target auc24:400: expected auc24:LO:HI/);
    expect(err('auc24:x:600')).toBe('target auc24:x:600: LO must be a decimal number (got x)');
    // Number() read hexadecimal: auc24:0x190:0x258 was 400–600
    expect(err('auc24:0x190:0x258')).toBe('target auc24:0x190:0x258: LO must be a decimal number (got 0x190)');
    expect(err('peak/mic:0:8')).toBe('target peak/mic: MIC must be > 0 (got 0)');
    expect(err('peak/mic:1:-2')).toBe('target peak/mic: the minimum must be ≥ 0 (got -2)');
    expect(err('tabove:1:1.5')).toMatch(/^target tabove: the minimum is a fraction of the dosing interval, in \[0, 1\] \(got 1.5/);
    expect(err('occupancy:0.9')).toMatch(/occupancy needs a dissociation constant: kd=K\/occupancy:X/);
    expect(err('kd=0/occupancy:0.9')).toBe('target occupancy: KD must be > 0 (got 0)');
    expect(err('kd=2/occupancy:1')).toBe('target occupancy: the minimum occupancy must be in (0, 1) (got 1)');
    expect(err('kd=2/auc24:1:2')).toMatch(/kd=K\/ applies to occupancy targets only/);
    expect(err('fu=1.5/auc24:400:600')).toBe('target auc24: fu (unbound fraction) must be in (0, 1] (got 1.5)');
    expect(err('mic:400')).toMatch(/^target mic:400: unknown \(known: auc24:LO:HI/);
    expect(err('auc24:400:600,')).toMatch(/empty clause/);
    expect(err({ metric: 'auc24', lo: 400, hi: 600, extra: 1 })).toMatch(/unknown field extra/);
    expect(err([])).toBe('target: the list of clauses is empty');
    // cmin was an alias of trough here, and the lowest level over the interval in the metric grammar
    expect(err('cmin:2.1:2.3')).toMatch(/^target cmin:2\.1:2\.3: cmin is not a target: write trough \(the pre-dose level/);
    expect(err({ metric: 'cmin', lo: 1 })).toMatch(/^target: cmin is not a target: write trough/);
  });
});

describe('compiled targets', () => {
  it('maps clauses to metrics over the last interval and scales peak/MIC and time above MIC', () => {
    const t = compileTarget('auc24:400:600,trough::20,peak/mic:2:8,fu=0.5/tabove:1:0.6,kd=3/occupancy:0.5', q12);
    expect(t.metrics.map((m) => m.name)).toEqual(['auc24', 'trough', 'cmax', 'fu=0.5/tabove:1:12:24', 'kd=3/trough']);
    expect(t.metrics[0]).toMatchObject({ type: 'auc', t0: 0, t1: 24 });
    expect(t.metrics[1]).toMatchObject({ type: 'trough', t0: 12, t1: 24 });
    expect(t.metrics[3]).toMatchObject({ type: 'timeabove', t0: 12, t1: 24, lo: 1, fu: 0.5 });
    expect(t.metrics[4]).toMatchObject({ type: 'trough', kd: 3 });
    expect(t.clauses.map((c) => c.scale)).toEqual([1, 1, 0.5, 1 / 12, 1]);
    expect(t.clauses.map((c) => c.linear)).toEqual([true, true, true, false, false]);
    expect(t.windows.auc24).toEqual({ lo: 400, hi: 600 });
    expect(t.windows.trough).toEqual({ lo: -Infinity, hi: 20 });
    expect(t.windows.cmax).toEqual({ lo: 16, hi: Infinity });
    expect(regimenTimes(q12)).toEqual({ end: 24, tau: 12, lastDose: 12 });
  });

  it('a metric shared by two clauses is computed once', () => {
    const t = compileTarget('trough:10:20,trough::15', q12);
    expect(t.metrics).toHaveLength(1);
    expect(t.attained([12])).toBe(true);
    expect(t.attained([17])).toBe(false);
    expect(t.windows.trough).toBeUndefined();
  });

  it('attained / outcome / distance: every clause must hold; a ceiling wins over a floor', () => {
    const t = compileTarget('auc24:400:600,trough::20', q12);
    expect(t.attained([500, 10])).toBe(true);
    expect(t.outcome([500, 10])).toBe(Outcome.in);
    expect(t.attained([500, 25])).toBe(false);
    expect(t.outcome([500, 25])).toBe(Outcome.above);
    expect(t.outcome([300, 25])).toBe(Outcome.above);
    expect(t.outcome([300, 10])).toBe(Outcome.below);
    expect(t.outcome([700, 10])).toBe(Outcome.above);
    expect(t.outcome([NaN, 10])).toBe(Outcome.failed);
    expect(t.attained([NaN, 10])).toBe(false);
    expect(t.attained([400, 20])).toBe(true); // closed window
    // distance: 0 at the centre, 1 at the edges, the worst clause counts
    expect(t.distance([500, 10])).toBe(0);
    expect(t.distance([550, 10])).toBe(0.5);
    expect(t.distance([600, 0])).toBe(1);
    expect(t.distance([500, 30])).toBe(1.5);
    expect(t.distance([NaN, 0])).toBe(Infinity);
    // rows with an offset (row-major count × m)
    expect(t.attained([0, 0, 500, 10], 2)).toBe(true);
  });

  it('auc24 needs 24 h of profile', () => {
    const short = regimen().dose({ time: 0, amt: 100 }).observe({ grid: { from: 0, to: 12, step: 1 } }).records();
    expect(() => compileTarget('auc24:1:2', short)).toThrow(/profile ends at 12 h, before 24 h/);
  });
});

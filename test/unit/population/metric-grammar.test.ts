// The one metric grammar: a metric as data (type, window rule, threshold, fu, kd), read from its
// string form, named canonically (the column name, which parses back to the same metric) and
// resolved against the regimen's times; target clauses build the same structured metrics.

import { describe, expect, it } from 'vitest';
import { dailyAucWindow, metricDef, metricName, parseMetric, parseMetricSpec, type MetricSpec } from '../../../src/population/metrics.js';
import { clauseMetric, compileTarget, parseTarget, windowClauseMetric } from '../../../src/design/targets/targets.js';

const t = { end: 48, tau: 12, lastDose: 36 };

describe('metric grammar', () => {
  it('canonical names parse back to the same metric and resolve as the string does', () => {
    const names = ['auc24', 'auctau', 'cmax', 'cmin', 'trough', 'cavg', 'tmax', 'auc:0:24', 'cmax:12:24', 'trough:24:36', 'conc@30', 'tabove:5', 'tabove:5:36:48', 'fu=0.1/auc24', 'kd=2/trough', 'fu=0.2/kd=1/cmin'];
    for (const name of names) {
      const spec = parseMetricSpec(name);
      expect(metricName(spec)).toBe(name);
      expect(metricDef(spec, t)).toEqual(parseMetric(name, t));
    }
  });

  it('reads the window rules', () => {
    expect(parseMetricSpec('auc24')).toEqual({ type: 'auc', window: 'last24' });
    expect(parseMetricSpec('fu=0.5/cmax')).toEqual({ type: 'cmax', window: 'interval', fu: 0.5 });
    expect(parseMetricSpec('tabove:2')).toEqual({ type: 'timeabove', window: 'profile', threshold: 2 });
    expect(parseMetricSpec('auc:1:2')).toEqual({ type: 'auc', window: { span: [1, 2] } });
    expect(parseMetricSpec('conc@5')).toEqual({ type: 'value', window: { at: 5 } });
    expect(metricDef({ type: 'auc', window: 'last24' }, t)).toMatchObject({ name: 'auc24', t0: 24, t1: 48 });
    expect(metricDef({ type: 'timeabove', window: 'profile', threshold: 3 }, t)).toMatchObject({ name: 'tabove:3', t0: 0, t1: 48, lo: 3 });
  });

  it('auc24 is the daily AUC: 24 h of whole intervals where τ divides 24, else AUCτ × 24/τ', () => {
    expect(dailyAucWindow({ end: 48, tau: 12, lastDose: 36 })).toEqual({ t0: 24, t1: 48, scale: 1 });
    // a profile running past its last whole interval: the daily AUC ends with that interval
    expect(dailyAucWindow({ end: 52, tau: 12, lastDose: 36 })).toEqual({ t0: 24, t1: 48, scale: 1 });
    expect(dailyAucWindow({ end: 96, tau: 48, lastDose: 48 })).toEqual({ t0: 48, t1: 96, scale: 0.5 });
    expect(dailyAucWindow({ end: 36, tau: 36, lastDose: 0 })).toEqual({ t0: 0, t1: 36, scale: 24 / 36 });
    expect(dailyAucWindow({ end: 30, tau: 0, lastDose: 0 })).toEqual({ t0: 6, t1: 30, scale: 1 });
    // one SS=1 dose of a q8h regimen, observed 0–24 h: its interval × 3 (24 h before 8 h is before time 0)
    expect(dailyAucWindow({ end: 24, tau: 8, lastDose: 0 })).toEqual({ t0: 0, t1: 8, scale: 3 });
    const q48 = { end: 96, tau: 48, lastDose: 48 };
    expect(parseMetric('auc24', q48)).toMatchObject({ t0: 48, t1: 96, fu: 0.5 });
    expect(parseMetric('fu=0.2/auc24', q48)).toMatchObject({ fu: 0.1 });
    expect(parseMetric('auc24', t).fu).toBeUndefined();
    expect(() => parseMetric('kd=2/auc24', q48)).toThrow(/daily occupancy AUC needs 24 h of whole dosing intervals.*auc:48:96/);
  });

  it('tabove takes a threshold and either no window or T0:T1, nothing in between or beyond', () => {
    expect(() => parseMetricSpec('tabove:10:6')).toThrow(/use tabove:C \(the whole profile\) or tabove:C:T0:T1/);
    expect(() => parseMetricSpec('tabove:10:0:12:99')).toThrow(/use tabove:C/);
    // Number() read an empty threshold as 0 (336 h above it for every subject) and hexadecimal times
    expect(() => parseMetricSpec('tabove:')).toThrow(/threshold must be a decimal number \(got nothing\)/);
    expect(() => parseMetricSpec('conc@0x30')).toThrow(/time must be a decimal number \(got 0x30\)/);
    expect(() => parseMetricSpec('auc:0x0:24')).toThrow(/T0 must be a decimal number \(got 0x0\)/);
    expect(parseMetricSpec('conc@1e1')).toEqual({ type: 'value', window: { at: 10 } });
  });

  it('a column keeps the name as written; a given name replaces the canonical one', () => {
    expect(parseMetric(' AUC24 ', t).name).toBe('AUC24');
    expect(metricDef({ type: 'auc', window: { span: [0, 48] } }, t, 'auc24ss').name).toBe('auc24ss');
  });

  it('refuses a window the grammar cannot name, and bad factors, in one place', () => {
    expect(() => metricName({ type: 'cmax', window: 'last24' })).toThrow(/no window/);
    expect(() => metricDef({ type: 'auc', window: 'interval', fu: 2 }, t)).toThrow(/metric fu=2\/auctau: fu must be in \(0, 1\]/);
    expect(() => parseMetric('kd=0/trough', t)).toThrow(/kd must be > 0/);
    expect(() => metricDef({ type: 'value', window: { at: 60 } }, t)).toThrow(/conc@60: time 60 is after the last simulated time 48/);
  });
});

describe('target clauses build structured metrics', () => {
  it('names the metrics as the grammar does', () => {
    const c = compileTarget('fu=0.5/auc24:400:600,trough::20,peak/mic:2:8,tabove:1:50%,kd=2/occupancy:0.9', t);
    expect(c.metrics.map((m) => m.name)).toEqual(['fu=0.5/auc24', 'trough', 'cmax', 'tabove:1:36:48', 'kd=2/trough']);
    c.metrics.forEach((m) => expect(parseMetric(m.name, t)).toEqual(m));
  });

  it('window clauses name the metric a forecast computes', () => {
    const spec = parseTarget('fu=0.2/auctau:1:2,cavg:3:');
    const names = spec.clauses.map((c) => (c.metric === 'auctau' || c.metric === 'cavg' ? windowClauseMetric(c) : ''));
    expect(names).toEqual(['fu=0.2/auctau', 'cavg']);
    const occupancy: MetricSpec = clauseMetric({ metric: 'occupancy', kd: 2, min: 0.5, fu: 0.1 }, [36, 48]);
    expect(metricName(occupancy)).toBe('fu=0.1/kd=2/trough');
  });
});

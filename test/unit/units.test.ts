// Declared units of structural parameters are checked when a model is loaded.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../src/model/model.js';
import { parseUnit } from '../../src/model/units.js';
import { DosewiseError } from '../../src/errors.js';

const base = (units: Record<string, string>) => ({
  dosewise: 1,
  name: 'u',
  structure: '1cmt-oral',
  parameters: {
    CL: { value: 5, unit: units.CL },
    V: { value: 50, unit: units.V },
    KA: { value: 1, unit: units.KA },
  },
});

describe('units', () => {
  it('parses common PK units', () => {
    expect(parseUnit('L/h')?.dim).toEqual([0, 0, 1, -1]);
    expect(parseUnit('1/h')?.dim).toEqual([0, 0, 0, -1]);
    expect(parseUnit('h^-1')?.dim).toEqual([0, 0, 0, -1]);
    expect(parseUnit('mg/L')?.dim).toEqual([1, 0, -1, 0]);
    expect(parseUnit('mL/min')?.time).toBeCloseTo(1 / 60);
    expect(parseUnit('furlongs')).toBeUndefined();
    // spellings of papers and NONMEM control streams: L/hour, l/h, L h-1, L.h-1, 1/hour
    for (const u of ['L/hour', 'l/h', 'L h-1', 'L.h-1', 'L·h-1', 'L/hours']) expect(parseUnit(u), u).toEqual({ dim: [0, 0, 1, -1], volume: 1, time: 1 });
    expect(parseUnit('1/hour')?.dim).toEqual([0, 0, 0, -1]);
    expect(parseUnit('ml/min')?.time).toBeCloseTo(1 / 60);
  });

  it('accepts consistent units', () => {
    expect(() => defineModel(base({ CL: 'L/h', V: 'L', KA: '1/h' }))).not.toThrow();
    expect(() => defineModel(base({ CL: 'mL/h', V: 'mL', KA: '1/h' }))).not.toThrow();
  });

  it('refuses a time unit other than the hour, saying how to convert (clock times, II and auc24 are hours: a model in days read 24 h as 24 days)', () => {
    expect(() => defineModel(base({ CL: 'L/day', V: 'L', KA: '1/day' }))).toThrow(/parameters\.CL\.unit: dosewise runs on hours .*give CL per hour: divide a clearance or a rate constant in it by 24, and the data's times in hours/);
    expect(() => defineModel(base({ CL: 'mL/min', V: 'mL', KA: '1/min' }))).toThrow(/give CL per hour: multiply a clearance or a rate constant in it by 60/);
  });

  it('refuses a wrong dimension, naming the field', () => {
    try {
      defineModel(base({ CL: 'mg/h', V: 'L', KA: '1/h' }));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DosewiseError);
      expect((e as DosewiseError).place.path).toBe('parameters.CL.unit');
      expect((e as Error).message).toMatch(/clearance/);
    }
  });

  it('refuses mixed time or volume units', () => {
    expect(() => defineModel(base({ CL: 'L/h', V: 'L', KA: '1/min' }))).toThrow(/time units disagree.*CL.*L\/h.*KA.*1\/min/);
    expect(() => defineModel(base({ CL: 'L/h', V: 'mL', KA: '1/h' }))).toThrow(/volume units disagree/);
  });
});

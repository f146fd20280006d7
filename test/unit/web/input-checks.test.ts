// The what-if tool's input checks (src/web/case.ts): every value it refuses names the field and
// why, before any work is sent to the worker; the page marks that field and greys out the results.

import { describe, expect, it } from 'vitest';
import { MAX_DOSES, covariateProblem, seriesProblem, type DoseSeries } from '../../../src/web/case.js';

const ok: DoseSeries = { amount: 1000, infusion: 1, interval: 12, count: 4, start: 0 };

describe('dose series', () => {
  it('a valid series passes; each bad field is named', () => {
    expect(seriesProblem(ok, 'What-if regimen')).toBeUndefined();
    expect(seriesProblem({ ...ok, interval: 0 }, 'What-if regimen')).toEqual({ field: 'interval', message: 'What-if regimen: the interval must be > 0' });
    expect(seriesProblem({ ...ok, amount: NaN }, 'Doses given')?.field).toBe('amount');
    expect(seriesProblem({ ...ok, count: 2.5 }, 'Doses given')?.field).toBe('count');
    expect(seriesProblem({ ...ok, start: -1 }, 'Doses given')?.field).toBe('start');
    expect(seriesProblem({ ...ok, infusion: 13 }, 'Doses given')?.field).toBe('infusion');
  });

  it(`at most ${MAX_DOSES} doses: 100,000 are refused with the limit in the message`, () => {
    expect(seriesProblem({ ...ok, count: MAX_DOSES }, 'x')).toBeUndefined();
    expect(seriesProblem({ ...ok, count: MAX_DOSES + 1 }, 'x')?.field).toBe('count');
    expect(seriesProblem({ ...ok, count: 100_000 }, 'What-if regimen')?.message).toBe('What-if regimen: at most 500 doses (got 100,000): longer regimens would stall the tool');
  });
});

describe('covariates, by unit', () => {
  it('physical quantities must be > 0; CRCL −10 and WT 0 are refused', () => {
    expect(covariateProblem('CRCL', 'mL/min', -10)).toBe('CRCL: must be > 0 mL/min (got -10)');
    expect(covariateProblem('WT', 'kg', 0)).toBe('WT: must be > 0 kg (got 0)');
    expect(covariateProblem('WT', 'kg', 70)).toBeUndefined();
  });
  it('flags are 0 or 1, occasions whole numbers ≥ 1, times ≥ 0, values without a unit any number', () => {
    expect(covariateProblem('DIAL', '0/1', 0.5)).toBe('DIAL: must be 0 or 1 (got 0.5)');
    expect(covariateProblem('DIAL', '0/1', 1)).toBeUndefined();
    expect(covariateProblem('OCC', '1..5', 0)).toMatch(/whole number ≥ 1/);
    expect(covariateProblem('OCC', '1, 2, ...', 2)).toBeUndefined();
    expect(covariateProblem('T_CL_EFF', 'h', 0)).toBeUndefined();
    expect(covariateProblem('T_CL_EFF', 'h', -1)).toMatch(/≥ 0 h/);
    expect(covariateProblem('X', '', -3)).toBeUndefined();
    expect(covariateProblem('X', '', NaN)).toBe('X: enter a number');
  });
});

import { describe, expect, it } from 'vitest';
import { chunkSizeFor } from '../../../src/population/study.js';
import type { PopulationPlan } from '../../../src/population/plan.js';

const plan = (records: number): PopulationPlan => ({ regimen: new Array(records).fill(null) }) as unknown as PopulationPlan;

describe('default chunk size', () => {
  it('splits a run into about four tasks per worker, so a second worker always has work', () => {
    expect(chunkSizeFor(plan(365), undefined, 10_000, 2)).toBe(1250);
    expect(chunkSizeFor(plan(365), undefined, 10_000, 1)).toBe(2500);
    expect(chunkSizeFor(plan(365), undefined, 100_000, 8)).toBe(3125);
  });
  it('stays between 100 and 10,000 subjects and within the engine memory of a chunk', () => {
    expect(chunkSizeFor(plan(365), undefined, 1_000_000, 2)).toBe(10_000);
    expect(chunkSizeFor(plan(365), undefined, 50, 2)).toBe(100);
    // 200,000 records per subject: 512 MB of output holds 335 subjects
    expect(chunkSizeFor(plan(200_000), undefined, 1_000_000, 2)).toBe(335);
  });
  it('keeps a chunk size the caller gives, and refuses one that does not fit', () => {
    expect(chunkSizeFor(plan(365), 777, 10_000, 2)).toBe(777);
    expect(() => chunkSizeFor(plan(200_000), 1000)).toThrow(/chunkSize/);
    // a chunk holds at most the study's subjects: a size beyond them is not refused for memory
    expect(chunkSizeFor(plan(200_000), 1000, 20)).toBe(20);
  });
});

// The scratch-folder helpers leave nothing in /tmp. tempFiles() and jsonFiles() called inside a test
// registered an afterAll there, which never runs: each run left its folder behind (42
// dosewise-dotted-clock-*, 55 coarse-grid-* and 32 coarse-grid-noise-* had piled up in /tmp).

import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jsonFiles } from './population/metric-run.js';
import { tempDir, tempFiles } from './temp-files.js';

describe('made inside a test, a folder goes when that test ends', () => {
  let made: string[] = [];
  it('makes them', () => {
    made = [tempDir('dosewise-temp-files-in-test-'), tempFiles('dosewise-temp-files-in-test-').dir, jsonFiles('dosewise-temp-files-in-test-').dir];
    for (const d of made) expect(existsSync(d)).toBe(true);
  });
  it('they are gone by the next test', () => {
    expect(made).toHaveLength(3);
    for (const d of made) expect(existsSync(d), d).toBe(false);
  });
});

let inBlock = '';
describe('made in a describe block, a folder stays for its tests', () => {
  inBlock = tempDir('dosewise-temp-files-in-block-');
  it('is there during them', () => expect(existsSync(inBlock)).toBe(true));
});
describe('and goes after them', () => {
  it('is gone', () => expect(existsSync(inBlock)).toBe(false));
});

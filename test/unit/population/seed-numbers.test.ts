// A seed that reads as a number is that number (seedKey, the one parser of every command's seed):
// `--seed 01`, `1.0`, `1` and ` 1` gave four different streams.

import { describe, expect, it } from 'vitest';
import { seedKey, seedText } from '../../../src/population/seed.js';
import { cli } from '../cli/run-cli.js';

describe('numeric seeds', () => {
  it('01, 1.0, " 1", +1, 1e0 and the number 1 are the seed 1 (before: five keys for one number)', () => {
    const one = seedKey(1);
    for (const s of ['01', '1.0', ' 1', '1 ', '+1', '1e0', '1.000', '0.1e1', '1']) {
      expect(seedText(s), s).toBe('1');
      expect(seedKey(s), s).toEqual(one);
    }
    expect(seedKey('2')).not.toEqual(one);
  });

  it('reads decimals and zeros as numbers, leaves other text as written', () => {
    expect(seedText('1.50')).toBe('1.5');
    expect(seedText('.5')).toBe('0.5');
    expect(seedText('-0')).toBe('0');
    expect(seedText('0.0')).toBe('0');
    expect(seedText(-0)).toBe('0');
    expect(seedText('007')).toBe('7');
    expect(seedText('1e3')).toBe('1000');
    for (const s of ['abc', '0x1', 'seed 1', '.', '-', 'e5', '1e400', 'Infinity', 'NaN']) expect(seedText(s), s).toBe(s);
  });

  it('keeps digits a double does not hold: two 20-digit seeds stay two', () => {
    expect(seedText('12345678901234567890')).toBe('12345678901234567890');
    expect(seedText('012345678901234567891.0')).toBe('12345678901234567891');
    expect(seedKey('12345678901234567890')).not.toEqual(seedKey('12345678901234567891'));
  });

  it('simulate --replicates gives the same table for --seed 01, 1.0 and 1', async () => {
    const base = ['simulate', '--model', 'examples/vpc/model.json', '--data', 'examples/vpc/data.csv', '--replicates', '1', '--workers', '0', '--no-progress'];
    const a = await cli([...base, '--seed', '1']);
    const b = await cli([...base, '--seed', '01']);
    const c = await cli([...base, '--seed', '1.0']);
    expect(a.code, a.err).toBe(0);
    expect(b.out).toBe(a.out);
    expect(c.out).toBe(a.out);
  });
});

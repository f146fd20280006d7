// Lists of numbers on the command line are read as decimals: Number() read an empty entry as 0
// (`--infusions 1,` added bolus candidates that ranked 2nd, 3rd and 5th for vancomycin, exit 0)
// and '0x3E8' as 1000 (`--doses 0x3E8`, `--strata CLCREAT4H:0x3C,0x78`).

import { describe, expect, it } from 'vitest';
import { decimalList } from '../../../src/comma-list.js';
import { parseStrata } from '../../../src/design/pta/attainment.js';
import { parseGridAxis } from '../../../src/design/nomogram/nomogram.js';
import { parseDoses } from '../../../src/cli/band.js';
import { parseBins } from '../../../src/vpc/bins.js';
import { cli } from './run-cli.js';

describe('decimal lists', () => {
  it('reads decimals and gives NaN for an empty, hex or binary entry', () => {
    expect(decimalList('0.5, 1,3e1')).toEqual([0.5, 1, 30]);
    expect(decimalList('1,').map(Number.isNaN)).toEqual([false, true]);
    expect(Number.isNaN(decimalList('0x3E8')[0])).toBe(true);
    expect(Number.isNaN(decimalList('0b11')[0])).toBe(true);
  });
  it('optimize refuses an empty entry in --infusions and a hex dose', async () => {
    const base = ['optimize', '--model', 'vancomycin_goti_2018', '--data', 'examples/map-patient.csv', '--target', 'auc24:400:600', '--draws', '50', '--intervals', '12'];
    const a = await cli([...base, '--doses', '1000', '--infusions', '1,']);
    expect(a.code).not.toBe(0);
    expect(a.err).toMatch(/--infusions 1,: expected comma-separated decimal numbers \(got an empty entry\)/);
    const b = await cli([...base, '--doses', '0x3E8']);
    expect(b.err).toMatch(/--doses 0x3E8: expected comma-separated decimal numbers \(got "0x3E8"\)/);
  });
  it('strata and nomogram grids refuse hex', () => {
    expect(() => parseStrata('CLCREAT4H:0x3C,0x78')).toThrow(/cut points must be numbers \(got "0x3C"\)/);
    expect(() => parseGridAxis('WT=0x10,70')).toThrow(/values must be numbers/);
    expect(() => parseGridAxis('WT=0x10:100:10')).toThrow(/FROM:TO:STEP/);
    expect(parseStrata('CRCL:30,60').cuts).toEqual([30, 60]);
    expect(parseGridAxis('WT=50:70:10').values).toEqual([50, 60, 70]);
  });
  it('band --doses and vpc --bins refuse hex and empty entries (they ran as 500,1000,1500 and an edge at 0)', () => {
    expect(() => parseDoses('0x1F4,0x3E8,0x5DC')).toThrow(/0x1F4 is not a number/);
    expect(() => parseDoses('0x1F4:0x5DC:0x1F4')).toThrow(/LO:HI:STEP/);
    expect(parseDoses('500:1500:500')).toEqual([500, 1000, 1500]);
    expect(() => parseBins(',2,4,8,24')).toThrow(/ascending edges/);
    expect(() => parseBins('0,0x2,4,8,0x18')).toThrow(/ascending edges/);
    expect(parseBins('0,2,4,8,24')).toEqual([0, 2, 4, 8, 24]);
  });
});

// dosewise band in-process: a commander program built with registerBand (and registerPta, as
// main.ts does; see design-cli.ts), the readable table and JSON, --help examples, dose lists, and argument errors.

import { describe, expect, it } from 'vitest';
import { cli, quick, regs, vanco } from './design-cli.js';
import { parseDoses } from '../../../src/cli/band.js';
import { DosewiseError } from '../../../src/errors.js';

describe('dosewise band', () => {
  it('prints the bands, the banded and the fixed-dose fractions, and the search', async () => {
    const out = await cli(['band', ...vanco, '--regimen', regs[2]!, '--target', 'auc24:400:600', '--by', 'CRCL', '--bands', '3', '--doses', '500:1500:250', '--cut-step', '5', ...quick]);
    const lines = out.trim().split('\n');
    expect(lines[0]).toBe('vancomycin_goti_2018: 3 bands by CRCL for auc24:400:600; 2,000 virtual subjects (seed 1) simulated at 1000 q12h');
    expect(lines[1]).toMatch(/^band\s+CRCL range\s+n\s+dose\s+in\s+below\s+above$/);
    expect(lines[2]).toMatch(/^1\s+< \d+\s+[\d,]+\s+\d+\s+\d+\.\d%/);
    expect(out).toMatch(/\nall\s+2,000\s+banded\s+\d+\.\d%/);
    expect(out).toMatch(/\nfixed\s+2,000\s+\d+\s+\d+\.\d%/);
    expect(out).toMatch(/optimizer \d+\.\d+ s \(exact over \d+ cuts at multiples of 5; doses rising with CRCL\)/);
  }, 60_000);

  it('--json and pred:CL', async () => {
    const out = await cli(['band', ...vanco, '--regimen', regs[2]!, '--target', 'auc24:400:600', '--by', 'pred:CL', '--bands', '4', '--doses', '500,750,1000,1250,1500', '--json', ...quick]);
    const j = JSON.parse(out);
    expect(j.dosewise).toBe('band');
    expect(j.by).toBe('pred:CL');
    expect(j.feasible).toBe(true);
    expect(j.bands[0].from).toBeNull();
    expect(j.bands[j.bands.length - 1].to).toBeNull();
    expect(j.overall.fracIn).toBeGreaterThanOrEqual(j.fixed.fracIn);
    expect(j.candidates.exhaustive).toBe(true);
  }, 60_000);

  it('--help shows examples; bad arguments give clear errors', async () => {
    const help = await cli(['band', '--help']);
    expect(help).toMatch(/Examples:\n {2}dosewise band --model vancomycin_goti_2018/);
    const args = ['band', ...vanco, '--regimen', regs[2]!, '--target', 'auc24:400:600', '--by', 'CRCL', ...quick];
    await expect(cli([...args, '--bands', '0', '--doses', '500'])).rejects.toThrow('--bands 0: expected a positive integer');
    await expect(cli([...args, '--bands', '2', '--doses', '500,-250'])).rejects.toThrow('doses: every dose must be a positive number (got -250)');
    await expect(cli([...args, '--bands', '2', '--doses', '500,abc'])).rejects.toThrow('--doses 500,abc: abc is not a number');
    const err = await cli([...args, '--bands', '2', '--doses', '1,2']).then(
      (s) => s,
      (e: DosewiseError) => e.message,
    );
    expect(err).toMatch(/no feasible regimen: none of the available doses \(1–2\) puts any subject within the target/);
  }, 60_000);

  it('dose lists: values and LO:HI:STEP ranges', () => {
    expect(parseDoses('500,750')).toEqual([500, 750]);
    expect(parseDoses('250:1000:250')).toEqual([250, 500, 750, 1000]);
    expect(parseDoses('0.1:0.3:0.1,1')).toEqual([0.1, 0.2, 0.3, 1]);
    expect(() => parseDoses('1000:250:250')).toThrow(/LO ≤ HI/);
  });
});

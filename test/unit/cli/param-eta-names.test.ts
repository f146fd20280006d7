// The refusal of a --param / --set name the model does not read lists what the command can set. 73de1f8
// listed the η's ('; η: ETA_CL, ETA_V1') for nomogram's what-if in every command through the shared
// checkModelNames, so estimate, forecast and shrinkage offered ETA_CL, which they then refused (the
// MAP estimate fits it). The η's are listed where they are set (simulate, nomogram, relevance,
// occupancy); where they are estimated a --param of one is refused up front, naming the option.

import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

const map = ['--model', 'examples/map-wmap.model.json', '--data', 'examples/map-patient.csv', '--no-progress'];
const estimated: Record<string, string[]> = {
  estimate: ['estimate', ...map],
  forecast: ['forecast', ...map, '--regimen', 'examples/map-future.json', '--draws', '50'],
  shrinkage: ['shrinkage', ...map, '--workers', '0'],
};

describe('--param names where the η are estimated (estimate, forecast, shrinkage)', () => {
  for (const [cmd, args] of Object.entries(estimated)) {
    it(`${cmd}: an unknown name's refusal lists parameters and data items, no η`, async () => {
      const r = await cli([...args, '--param', 'FOO=1']);
      expect(r.code).toBe(2);
      expect(r.err).toContain('--param FOO=1: model W-map has no parameter or data item FOO (parameters: CL, V, Q, V2; data items: none)\n');
      expect(r.err).not.toMatch(/η|ETA_/);
    });

    it(`${cmd}: --param ETA_CL is refused as an η the estimate fits, with the parameters to give instead`, async () => {
      const r = await cli([...args, '--param', 'ETA_CL=0.5']);
      expect(r.code).toBe(2);
      expect(r.err).toContain(
        '--param ETA_CL=0.5: ETA_CL is an η of model W-map, which the MAP estimate fits to the levels (a value would be overwritten); to fix an individual parameter, give it instead (parameters: CL, V, Q, V2)\n',
      );
    });
  }
});

describe('--param / --set names where the η are set', () => {
  it('simulate: lists the η, and --param ETA_CL=0.5 runs with it (IPRED at 1.5 h 24.317 -> 22.369)', async () => {
    const r = await cli(['simulate', ...map, '--param', 'FOO=1']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--param FOO=1: model W-map has no parameter or data item FOO (parameters: CL, V, Q, V2; data items: none; η: ETA_CL, ETA_V1)\n');
    const ipred = async (extra: string[]): Promise<number> => {
      const s = await cli(['simulate', ...map, ...extra, '--json']);
      expect(s.code).toBe(0);
      return (JSON.parse(s.out) as { TIME: number; IPRED: number }[]).find((x) => x.TIME === 1.5)?.IPRED as number;
    };
    expect(await ipred(['--param', 'ETA_CL=0.5'])).not.toBeCloseTo(await ipred([]), 2);
  });

  it('relevance --set (the engine\'s patient takes an η too): lists the η', async () => {
    const r = await cli(['relevance', '--effects', 'examples/relevance-effects.json', '--model', 'vancomycin_goti_2018', '--dose', '1000', '--interval', '12', '--set', 'WT=70', '--set', 'CRCL=90', '--set', 'FOO=1']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--set FOO=1: model vancomycin_goti_2018 has no parameter or data item FOO \(parameters: .*; data items: CRCL, DIAL, WT; η: ETA_CL, ETA_V, ETA_V2\)/);
  });
});

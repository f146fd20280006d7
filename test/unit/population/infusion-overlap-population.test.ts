// An infusion longer than its own dosing interval (a duration typed in minutes) was warned
// (W_INFUSION_OVERLAP) by simulate, estimate and forecast, but not by population, pta or band: the
// vancomycin design regimen (1000 mg q12h SS, examples/design-vancomycin-q12h-1000.json) with
// "dur": 60 gave a trough PTA (10–20 mg/L) of 34.5 % for 30.0 % at "dur": 1, both labelled
// "1000 q12h, per 24 h 2000", exit 0 and nothing on stderr. It is now said, by the regimen's file and
// entry, on every population path (the library's regimenWarnings / runStudy, and the command line's
// population, pta and band); the numbers are unchanged (NONMEM gives overlapping infusions together).

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinModel } from '../../../src/model/model.js';
import { parseRegimenJson } from '../../../src/regimen/file.js';
import { regimenTimesOf } from '../../../src/population/metrics.js';
import { regimenWarnings } from '../../../src/population/regimen-warnings.js';
import { cli } from '../cli/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dosewise-overlap-population-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const design = JSON.parse(readFileSync('examples/design-vancomycin-q12h-1000.json', 'utf8')) as { doses: Record<string, unknown>[] };
const minutes = join(dir, 'q12h-dur60.json');
writeFileSync(minutes, JSON.stringify({ ...design, doses: [{ ...design.doses[0], dur: 60 }] }));
const HINT = 'durations are in hours (60 min = 1 h)';
const overlap = (text: string) => text.split('\n').filter((l) => l.includes('W_INFUSION_OVERLAP'));
const vanco = ['--model', 'vancomycin_goti_2018', '--covariates', 'examples/design-vancomycin-covariates.json'];

describe('W_INFUSION_OVERLAP on the population paths', () => {
  it('regimenWarnings (pta(), bandPopulation(), runStudy()) names the file, the entry, 60 h and II 12; none at dur 1', () => {
    const model = builtinModel('1cmt-iv', { CL: 5, V: 50 });
    const records = parseRegimenJson({ doses: [{ time: 0, amt: 1000, dur: 60, ii: 12, ss: 1, addl: 1 }], observe: [{ grid: { from: 0, to: 24, step: 1 } }] });
    const w = regimenWarnings(model, records, 'q12h.json', regimenTimesOf(records), ['trough']).filter((x) => x.startsWith('W_INFUSION_OVERLAP'));
    expect(w).toEqual([`W_INFUSION_OVERLAP: q12h.json, doses.0 (ID 1, TIME 0): the infusion of 1000 over 60 h runs past its own next dose, every 12 h (II 12, SS 1): each runs on into the next, 48 h together (as NONMEM gives them); if that was not meant, ${HINT}`]);
    const hour = parseRegimenJson({ doses: [{ time: 0, amt: 1000, dur: 1, ii: 12, ss: 1, addl: 1 }], observe: [{ grid: { from: 0, to: 24, step: 1 } }] });
    expect(regimenWarnings(model, hour, 'q12h.json', regimenTimesOf(hour), ['trough']).filter((x) => x.startsWith('W_INFUSION_OVERLAP'))).toEqual([]);
  });

  it('pta: said once for the dur-60 regimen, by its file; not for the README’s own', async () => {
    const r = await cli(['pta', ...vanco, '--regimen', 'examples/design-vancomycin-q12h-1000.json', '--regimen', minutes, '--target', 'trough:10:20', '--n', '20', '--workers', '0', '--no-progress']);
    expect(r.code, r.err).toBe(0);
    const w = overlap(r.err);
    expect(w).toHaveLength(1);
    expect(w[0]).toContain(`W_INFUSION_OVERLAP: ${minutes}, doses.0 (ID 1, TIME 0): the infusion of 1000 over 60 h runs past its own next dose, every 12 h (II 12, SS 1)`);
  }, 120_000);

  it('population and band: said once, by the file', async () => {
    const p = await cli(['population', ...vanco, '--regimen', minutes, '--n', '20', '--workers', '0', '--no-progress']);
    expect(p.code, p.err).toBe(0);
    expect(overlap(p.err)).toHaveLength(1);
    expect(overlap(p.err)[0]).toContain(`${minutes}, doses.0 (ID 1, TIME 0): the infusion of 1000 over 60 h runs past its own next dose`);
    const b = await cli(['band', ...vanco, '--regimen', minutes, '--target', 'auc24:400:600', '--by', 'CRCL', '--bands', '2', '--doses', '500:2000:500', '--n', '40', '--seed', '1', '--workers', '0', '--no-progress']);
    expect(b.code, b.err).toBe(0);
    expect(overlap(b.err)).toHaveLength(1);
    expect(overlap(b.err)[0]).toContain(`${minutes}, doses.0 (ID 1, TIME 0): the infusion of 1000 over 60 h runs past its own next dose`);
    const clean = await cli(['population', ...vanco, '--regimen', 'examples/design-vancomycin-q12h-1000.json', '--n', '20', '--workers', '0', '--no-progress']);
    expect(overlap(clean.err)).toEqual([]);
  }, 180_000);
});

// W_OMEGA_IMPLAUSIBLE: Goti's vancomycin model with its Ω entered as CV % (diagonal [39.8, 81.6,
// 57.1] where the variances are ln(1 + CV²) = 0.147, 0.510, 0.282) ran every command with exit 0 and
// nothing said: η_CL spread over e^(±2·6.3). Now the model's load, and the library's results that
// carry the model's own warnings, name the effect, the value and the reading as a CV %.
// Reference numbers (closed form): ln(1 + 0.398²) = 0.1472, ln(1 + 0.30²) = 0.0862,
// e^(39.8/2) = 4.39e8, √39.8 = 6.31. Published models' largest variance: 1.69 (Thomson V2).

import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { libraryModel } from '../../../src/model/library.js';
import { regimen } from '../../../src/regimen/builder.js';
import { simulate } from '../../../src/engine/simulate.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { implausibleVarianceMessages, MAX_PLAUSIBLE_VARIANCE } from '../../../src/model/variance-plausible.js';
import { cli } from '../cli/run-cli.js';

const gotiFile = JSON.parse(readFileSync(join(__dirname, '../../../models/vancomycin_goti_2018.json'), 'utf8')) as Record<string, unknown>;
const cvTyped = { ...gotiFile, omega: { etas: ['ETA_CL', 'ETA_V', 'ETA_V2'], diagonal: [39.8, 81.6, 57.1] } };
const items = { WT: 70, CRCL: 100 };
const recs = regimen().dose({ time: 0, amt: 1000, dur: 1, items }).observe({ times: [11.5], items }).records().map((r) => (r.EVID === 0 ? { ...r, DV: 12, MDV: 0 } : r));

describe('W_OMEGA_IMPLAUSIBLE', () => {
  it('names each variance typed as a CV %, with its value and its variance as a CV %', () => {
    const m = implausibleVarianceMessages(defineModel(cvTyped));
    expect(m).toHaveLength(3);
    expect(m[0]).toContain('omega ETA_CL has the variance 39.8');
    expect(m[0]).toContain('if 39.8 is a CV %, the variance is ln(1 + 0.398²) = 0.147');
    expect(m[0]).toContain('e^(39.8/2) = 4.39e+8');
    expect(m[0]).toContain('e^(±2·6.31)');
    const thirty = implausibleVarianceMessages(defineModel({ ...gotiFile, omega: { etas: ['ETA_CL', 'ETA_V', 'ETA_V2'], diagonal: [30, 0.51, 0.282] } }));
    expect(thirty).toHaveLength(1);
    expect(thirty[0]).toContain('ln(1 + 0.3²) = 0.0862');
  });

  it('a proportional residual SD of 1.5 (150 %; above 2 the file is refused) is named too', () => {
    const m = implausibleVarianceMessages(defineModel({ ...gotiFile, residual: { model: 'combined1', additive: 3.4, proportional: 1.5, unit: 'mg/L' } }));
    expect(m).toEqual([expect.stringContaining('residual.proportional is 1.5, an SD of 150 % of the prediction')]);
    expect(m[0]).toContain('if 1.5 is a %, the SD is 0.015');
  });

  it('no packaged model warns (largest variance 1.69, below the threshold)', () => {
    expect(MAX_PLAUSIBLE_VARIANCE).toBeGreaterThan(1.69);
    const names = readdirSync(join(__dirname, '../../../models')).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));
    expect(names.length).toBeGreaterThanOrEqual(11);
    for (const n of names) expect(implausibleVarianceMessages(libraryModel(n)), n).toEqual([]);
  });

  it("simulate()'s and estimate()'s warnings carry it", () => {
    const model = defineModel(cvTyped);
    expect(simulate(model, recs).warnings.filter((w) => w.startsWith('W_OMEGA_IMPLAUSIBLE'))).toHaveLength(3);
    expect(estimate(model, recs).warnings.filter((w) => w.code === 'W_OMEGA_IMPLAUSIBLE')).toHaveLength(3);
    expect(simulate(libraryModel('vancomycin_goti_2018'), recs).warnings.filter((w) => w.startsWith('W_OMEGA_IMPLAUSIBLE'))).toEqual([]);
  });

  it('the command line says it once as the model is loaded, naming the file (simulate, estimate --json)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omega-cv-'));
    try {
      const file = join(dir, 'goti-cv.json');
      writeFileSync(file, JSON.stringify(cvTyped));
      const data = join(dir, 'p.csv');
      writeFileSync(data, 'ID,TIME,EVID,AMT,RATE,DV,MDV,WT,CRCL\n1,0,1,1000,1000,.,1,70,100\n1,11.5,0,0,0,12,0,70,100\n');
      for (const args of [['simulate', '--model', file, '--data', data], ['estimate', '--model', file, '--data', data, '--json']]) {
        const r = await cli(args);
        expect(r.code, r.err).toBe(0);
        const said = r.err.split('\n').filter((l) => l.includes('W_OMEGA_IMPLAUSIBLE'));
        expect(said).toHaveLength(3);
        expect(said[0]).toContain(`dosewise: warning: W_OMEGA_IMPLAUSIBLE: model vancomycin_goti_2018 (${file}): omega ETA_CL has the variance 39.8`);
        if (args[0] === 'estimate') {
          const json = JSON.parse(r.out) as unknown;
          const warnings = (Array.isArray(json) ? (json[0] as { warnings: unknown[] }).warnings : (json as { warnings: unknown[] }).warnings).map((w) => (typeof w === 'string' ? w : (w as { code: string }).code));
          expect(warnings.filter((w) => w.startsWith('W_OMEGA_IMPLAUSIBLE'))).toHaveLength(3);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

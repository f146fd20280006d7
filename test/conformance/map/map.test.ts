// MAP Bayesian estimation against NONMEM's POSTHOC modes (mapbayr validation study runs, 100
// patients each) and single published cases. Reference data: ../shared/conformance/map (README there).

import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { estimate } from '../../../src/bayes/estimate.js';
import { judge, loadModel, loadRun, referenceDir, toRecords, type Verdict } from './cases.js';

const dir = referenceDir();
const RUNS: readonly { run: string; ipredColumn?: 'ipred' | 'nipred'; skip?: string }[] = [
  { run: 'run001' },
  { run: 'run101' },
  { run: 'run201' },
  { run: 'run401' },
  { run: 'run403' },
  { run: 'run405' },
  { run: 'run407', ipredColumn: 'nipred' },
  { run: 'run901' },
];

const results = new Map<string, Verdict[]>();

describe.skipIf(!dir)('MAP conformance: NONMEM POSTHOC (mapbayr-CPTPSP-2021)', () => {
  for (const { run, ipredColumn, skip } of RUNS) {
    it.skipIf(skip !== undefined)(`${run}: 100 patients`, () => {
      const model = loadModel(run);
      const file = loadRun(dir as string, run);
      // η: largest difference measured where the references agree 1.3e-5 (NONMEM's tables print
      // about 6 significant digits)
      const verdicts = file.cases.map((c) => judge(model, file, c, { ipredColumn, etaTol: 5e-5 }));
      results.set(run, verdicts);
      const failed = verdicts.filter((v) => !v.pass);
      expect(failed.map((v) => `ID ${v.id} [${v.kind}]: ${v.detail}`)).toEqual([]);
      // posterior covariance: the expected-information form is NONMEM's ETC, checked on every case
      // (largest deviation measured over the 800: 1.7e-5)
      const etcOff = verdicts.filter((v) => !(v.etcDeviation <= 5e-5));
      expect(etcOff.map((v) => `ID ${v.id} (at ${v.etcAt}): ETC deviation ${v.etcDeviation.toExponential(2)}`)).toEqual([]);
    });
  }

  afterAll(() => {
    let pass = 0;
    let total = 0;
    const lines: string[] = [];
    for (const [run, v] of results) {
      const p = v.filter((x) => x.pass).length;
      pass += p;
      total += v.length;
      const kinds = ['agree', 'discordant', 'excluded'].map((k) => `${k} ${v.filter((x) => x.kind === k && x.pass).length}/${v.filter((x) => x.kind === k).length}`);
      const etc = Math.max(...v.map((x) => x.etcDeviation));
      const atNonmem = v.filter((x) => x.etcAt === 'nonmem-eta');
      const etcNm = atNonmem.length ? `, ${atNonmem.length} of them at NONMEM's η (max ${Math.max(...atNonmem.map((x) => x.etcDeviation)).toExponential(1)})` : '';
      const dEta = Math.max(...v.map((x) => x.etaDeviation ?? 0));
      const dIpred = Math.max(...v.map((x) => x.ipredDeviation ?? 0));
      lines.push(`  ${run}: ${p}/${v.length} pass (${kinds.join(', ')}); max |Δη| ${dEta.toExponential(1)}, IPRED ${dIpred.toExponential(1)} relative; max ETC deviation ${etc.toExponential(1)} over ${v.length} cases${etcNm}`);
    }
    for (const { run, skip } of RUNS) if (skip) lines.push(`  ${run}: skipped — ${skip}`);
    console.log(`MAP conformance: ${pass}/${total} patients pass (${total ? ((100 * pass) / total).toFixed(1) : '0'} %)\n${lines.join('\n')}`);
  });
});

interface SingleFile {
  data_columns?: string[];
  records?: (number | null)[][];
  nonmem?: { eta: number[]; etc: number[][]; ipred: number[]; CL: number };
  cases: { ID?: number; id?: string; records?: (number | null)[][]; expected_eta?: number[]; data?: { columns: string[]; rows: (number | null)[][] }; expected?: Record<string, number> }[];
}

const single = (name: string): SingleFile => JSON.parse(readFileSync(`${dir as string}/${name}.json`, 'utf8')) as SingleFile;

/** |got − want| within half a unit of the last printed digit of want (the references are rounded). */
function roundsTo(got: number, want: number): boolean {
  const s = String(want);
  const decimals = s.includes('.') ? (s.split('.')[1] as string).length : 0;
  return Math.abs(got - want) <= 0.5 * 10 ** -decimals * 1.0001;
}

describe.skipIf(!dir)('MAP conformance: single published cases', () => {
  it('Klose 2025 blog, ID 5 (NONMEM 7.6.0): η, CL, IPRED and ETC', () => {
    const f = single('klose-blog-2025-id5');
    const nm = f.nonmem as NonNullable<SingleFile['nonmem']>;
    const model = loadModel('klose-id5');
    const fit = estimate(model, toRecords(f.data_columns as string[], f.records as (number | null)[][]));
    expect(fit.converged).toBe(true);
    expect(Math.abs((fit.eta[0] as number) - (nm.eta[0] as number))).toBeLessThan(1e-5); // .phi has 6 significant digits
    expect(Math.abs((fit.parameters.CL as number) / nm.CL - 1)).toBeLessThan(1e-4);
    nm.ipred.forEach((w, i) => expect(Math.abs((fit.ipred[i] as number) / w - 1), `record ${i + 1}`).toBeLessThan(1e-4));
    // NONMEM's ETC is the expected-information covariance (0.0347208); the Laplace (observed
    // Hessian) variance is larger here, 0.0592, as the residuals at the mode are large
    const records = toRecords(f.data_columns as string[], f.records as (number | null)[][]);
    const expected = estimate(model, records, { covarianceMethod: 'expected' });
    const v = ((expected.covariance as number[][])[0] as number[])[0] as number;
    expect(Math.abs(v / ((nm.etc[0] as number[])[0] as number) - 1)).toBeLessThan(1e-5);
    const laplace = ((fit.covariance as number[][])[0] as number[])[0] as number;
    expect(fit.covarianceMethod).toBe('hessian');
    expect(laplace).toBeGreaterThan(0.05);
    expect(laplace).toBeLessThan(0.07);
    // delta method: se(CL) = CL·sd(η) for CL = θ·exp(η)
    expect((fit.se as Record<string, number>).CL).toBeCloseTo((fit.parameters.CL as number) * Math.sqrt(laplace), 8);
  });

  it('mapbayr BLQ test: M3 likelihood (patient 1) and the same sample quantified (patient 2)', () => {
    const f = single('mapbayr-blq-m3');
    const model = loadModel('mapbayr-blq');
    for (const c of f.cases) {
      const fit = estimate(model, toRecords(f.data_columns as string[], c.records as (number | null)[][]));
      expect(fit.converged).toBe(true);
      (c.expected_eta as number[]).forEach((e, i) => expect(Math.abs((fit.eta[i] as number) - e), `ID ${c.ID} η${i + 1}`).toBeLessThan(1e-4));
    }
  });

  it('posologyr tests (Monolix MAP, nlmixr posthoc): tobramycin, vancomycin, amikacin', () => {
    const f = single('posologyr-tests');
    const models: Record<string, string> = {
      tobramycin_fictional_patient01: 'posologyr-tobramycin',
      vancomycin_goti2018_patient02: 'posologyr-vancomycin',
      amikacin_burdet2015_patient03: 'posologyr-amikacin',
    };
    const names: Record<string, string> = { ke: 'K', V: 'V', Cl: 'CL', Vc: 'V', Vp: 'V2', Q: 'Q' };
    for (const c of f.cases) {
      const model = loadModel(models[c.id as string] as string);
      const data = c.data as NonNullable<(typeof c)['data']>;
      // AMT + DUR → RATE = AMT / DUR
      const columns = [...data.columns, 'RATE'];
      const rows = data.rows.map((r) => {
        const amt = r[data.columns.indexOf('AMT')] ?? 0;
        const dur = r[data.columns.indexOf('DUR')];
        return [...r, amt > 0 && dur ? amt / dur : 0];
      });
      const fit = estimate(model, toRecords(columns, rows));
      expect(fit.converged, c.id).toBe(true);
      for (const [k, want] of Object.entries(c.expected as Record<string, number>)) {
        const got = fit.parameters[names[k] as string] as number;
        expect(roundsTo(got, want), `${c.id} ${k}: ${got} vs ${want}`).toBe(true);
      }
    }
  });
});

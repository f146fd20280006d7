// Reading the MAP reference cases (copied from ../shared/conformance/map into ./reference) and judging an estimate
// against them, following the acceptance rules of that folder's README.

import { existsSync, readFileSync } from 'node:fs';
import { defineModel, type Model } from '../../../src/model/model.js';
import { recordFromItems } from '../../../src/regimen/nmtran.js';
import type { DataRecord } from '../../../src/regimen/record.js';
import { estimate, expectedCovarianceAt, type Estimate, type EstimateOptions } from '../../../src/bayes/estimate.js';
import { mapObjective } from '../../../src/bayes/objective.js';

const here = new URL('./', import.meta.url);

/** The reference folder: DOSEWISE_MAP_REFERENCE, else the copy in ./reference (see its SOURCE.md). */
export function referenceDir(): string | undefined {
  const candidates = [process.env.DOSEWISE_MAP_REFERENCE, new URL('reference', here).pathname];
  return candidates.find((d): d is string => d !== undefined && existsSync(`${d}/run001.json`));
}

export interface NonmemCase {
  ID: number;
  records: (number | null)[][];
  nonmem: {
    eta: number[];
    etc: number[][];
    ipred: number[];
    pred: number[];
    nipred?: number[];
    map_ofv_derived: number;
    ipred_zero_at_an_observation: boolean;
  };
  posologyr?: { eta: number[]; ofv: number };
  references_agree?: boolean;
}

export interface RunFile {
  case_set: string;
  data_columns: string[];
  cases: NonmemCase[];
}

export function loadRun(dir: string, run: string): RunFile {
  return JSON.parse(readFileSync(`${dir}/${run}.json`, 'utf8')) as RunFile;
}

export function loadModel(name: string): Model {
  return defineModel(JSON.parse(readFileSync(new URL(`${name}.model.json`, here), 'utf8')));
}

/** Rows (in `columns` order, null = missing) → validated DataRecords. */
export function toRecords(columns: readonly string[], rows: readonly (readonly (number | null)[])[]): DataRecord[] {
  return rows.map((row, i) => {
    const items: Record<string, number> = {};
    columns.forEach((c, j) => {
      const v = row[j];
      items[c] = v === null || v === undefined ? NaN : v;
    });
    return recordFromItems(items, i + 1);
  });
}

export interface Verdict {
  readonly id: number;
  readonly pass: boolean;
  readonly kind: 'agree' | 'discordant' | 'excluded';
  readonly detail: string;
  readonly fit: Estimate;
  /**
   * max |C − ETC|ᵢⱼ / √(ETCᵢᵢ·ETCⱼⱼ) of the expected-information covariance vs NONMEM's ETC, every
   * case: at dosewise's mode where the references agree; at NONMEM's η where they do not (NONMEM
   * stopped at another point than the optimum, and its ETC is the covariance at that point).
   */
  readonly etcDeviation: number;
  readonly etcAt: 'mode' | 'nonmem-eta';
  /** Agreeing cases: max |η − η_NONMEM|, and the largest relative IPRED difference at NONMEM's η. */
  readonly etaDeviation?: number;
  readonly ipredDeviation?: number;
}

/**
 * Judges one case. Agreeing references: η within etaTol of NONMEM's and IPRED at NONMEM's η within
 * 1e-6 relative of nonmem.ipred (or nipred for log-scale runs). Discordant references: OFV ≤
 * min(map_ofv_derived, posologyr.ofv) + 1e-3. Cases with IPRED = 0 at an observation are excluded
 * from the objective rule (the references' OFVs are not comparable there) and judged on the objective
 * only against posologyr's optimum.
 */
export function judge(model: Model, file: RunFile, c: NonmemCase, options: EstimateOptions & { etaTol?: number; ipredColumn?: 'ipred' | 'nipred' } = {}): Verdict {
  const records = toRecords(file.data_columns, c.records);
  const { etaTol: tol, ipredColumn: _column, ...estimateOptions } = options;
  const fit = estimate(model, records, { covarianceMethod: 'expected', ...estimateOptions });
  const agree = c.references_agree ?? true;
  const etaTol = tol ?? 1e-3;
  if (agree) {
    const dEta = Math.max(...c.nonmem.eta.map((e, i) => Math.abs(e - (fit.eta[i] as number))));
    // IPRED at NONMEM's own η: the engine's predictions, independent of the optimizer
    const obj = mapObjective(model, records, estimateOptions);
    const x = obj.labels.map((l) => c.nonmem.eta[(model.omega?.names ?? []).indexOf(l)] as number);
    const at = obj.predict(x).ipred;
    const want = options.ipredColumn === 'nipred' ? (c.nonmem.nipred as number[]) : c.nonmem.ipred;
    let worst = 0;
    records.forEach((r, i) => {
      const w = want[i] as number;
      const g = at[i] as number;
      // log-error runs: NONMEM's table has no untransformed prediction on dose records; compare observations
      if (options.ipredColumn === 'nipred' && !(r.EVID === 0 && r.MDV === 0)) return;
      const rel = Math.abs(g - w) / Math.max(Math.abs(w), 1e-9);
      if (Math.abs(g - w) > 1e-12) worst = Math.max(worst, rel);
    });
    const pass = dEta <= etaTol && worst <= 1e-6;
    const etcDeviation = etcDeviationOf(fit.covariance, c.nonmem.etc);
    return { id: c.ID, pass, kind: 'agree', detail: `max|Δη| ${dEta.toExponential(2)}, IPRED rel ${worst.toExponential(2)}, ofv ${fit.ofv.toFixed(6)} vs ${c.nonmem.map_ofv_derived.toFixed(6)} (${fit.message})`, fit, etcDeviation, etcAt: 'mode', etaDeviation: dEta, ipredDeviation: worst };
  }
  const obj = mapObjective(model, records, options);
  const atNonmem = obj.labels.map((l) => c.nonmem.eta[(model.omega?.names ?? []).indexOf(l)] as number);
  const etcDeviation = etcDeviationOf(expectedCovarianceAt(model, records, atNonmem, options), c.nonmem.etc);
  const refs = [c.posologyr?.ofv ?? Infinity];
  if (!c.nonmem.ipred_zero_at_an_observation) refs.push(c.nonmem.map_ofv_derived);
  const target = Math.min(...refs);
  const pass = fit.ofv <= target + 1e-3;
  return {
    id: c.ID,
    pass,
    kind: c.nonmem.ipred_zero_at_an_observation ? 'excluded' : 'discordant',
    detail: `ofv ${fit.ofv.toFixed(6)} vs min ref ${target.toFixed(6)} (NONMEM ${c.nonmem.map_ofv_derived.toFixed(6)}, posologyr ${c.posologyr?.ofv.toFixed(6)}); η ${fit.eta.map((e) => e.toFixed(5)).join(', ')} (${fit.message})`,
    fit,
    etcDeviation,
    etcAt: 'nonmem-eta',
  };
}

/** max |C − E|ᵢⱼ / √(EᵢᵢEⱼⱼ); Infinity when C is missing or not finite. */
function etcDeviationOf(C: readonly (readonly number[])[] | undefined, E: readonly (readonly number[])[]): number {
  if (!C) return Infinity;
  let dev = 0;
  E.forEach((row, i) => row.forEach((e, j) => {
    const d = Math.abs(((C[i] as number[])[j] as number) - e) / Math.sqrt(((E[i] as number[])[i] as number) * ((E[j] as number[])[j] as number));
    dev = Math.max(dev, Number.isNaN(d) ? Infinity : d);
  }));
  return dev;
}

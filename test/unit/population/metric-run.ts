// `dosewise population` on one regimen, its metrics read by name (shared by the interval tests).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { tempDir } from '../temp-files.js';

/** A temporary folder removed after the test (or the file's tests: tempDir), and a writer of JSON files into it (returns the path). */
export function jsonFiles(prefix: string): { dir: string; json: (name: string, v: unknown) => string } {
  const dir = tempDir(prefix);
  return {
    dir,
    json: (name, v) => {
      const p = join(dir, name);
      writeFileSync(p, JSON.stringify(v));
      return p;
    },
  };
}

/** 1-cmt IV, CL 10, V 20 (k 0.5/h), IIV negligible: every subject the typical one. */
export const IV_MODEL = {
  dosewise: 2,
  name: '1cmt IV',
  structure: '1cmt-iv',
  parameters: { CL: '10*exp(ETA_CL)', V: 20 },
  omega: { etas: ['ETA_CL'], diagonal: [1e-20] },
  residual: { model: 'proportional', proportional: 0.1 },
};

export interface Metric {
  name: string;
  t0: number;
  t1: number;
  report: { mean: number };
}

export const rel = (x: number, ref: number): number => Math.abs(x / ref - 1);

export async function populationMetrics(model: string, regimenFile: string, metrics: readonly string[]): Promise<{ m: Record<string, Metric>; err: string }> {
  const r = await cli(['population', '--model', model, '--regimen', regimenFile, '--n', '4', '--seed', '1', '--workers', '0', '--no-progress', ...metrics.flatMap((m) => ['--metric', m]), '--json']);
  expect(r.code, r.err).toBe(0);
  return { m: Object.fromEntries((JSON.parse(r.out) as { metrics: Metric[] }).metrics.map((x) => [x.name, x])) as Record<string, Metric>, err: r.err };
}

// `dosewise population` on one regimen, its metrics read by name (shared by the interval tests).
import { expect } from 'vitest';
import { cli } from '../cli/run-cli.js';

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

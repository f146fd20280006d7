// The flagship vancomycin study (what `npm start` runs), in process with a small population: the
// printed comparison, the example patient, the self-contained HTML report, and the `study` command.

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { vancomycinDemo, type VancomycinDemoResult } from '../../../src/cli/demo-vancomycin.js';
import { registerStudy } from '../../../src/cli/study.js';

const dir = mkdtempSync(join(tmpdir(), 'dosewise-study-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('dosewise study vancomycin', () => {
  let out = '';
  let res: VancomycinDemoResult;

  it('prints the % within AUC24 400–600 for each strategy and writes the report', async () => {
    res = await vancomycinDemo({ n: 2000, seed: 1, workers: 0, report: join(dir, 'v'), progress: false }, (s) => (out += s));
    const r = res.comparison;
    expect(r.model).toBe('vancomycin_goti_2018');
    expect(r.n).toBe(2000);
    expect(r.strategies.map((s) => s.key)).toEqual(['fixed', 'banded', 'apriori', 'map', 'optimum']);
    for (const s of r.strategies) {
      expect(out).toContain(s.label);
      expect(out).toContain(`${(100 * s.fracIn).toFixed(1)}%`);
    }
    expect(out).toMatch(/vancomycin study: 2,000 virtual adults \(seed 1\)/);
    expect(out).toContain(`report: ${res.reportPath}`);
    const fixed = r.strategies[0]!.fracIn;
    const banded = r.strategies[1]!.fracIn;
    const apriori = r.strategies[2]!.fracIn;
    const map = r.strategies[3]!.fracIn;
    // seed 1, n = 2000: fixed 27 %, CrCL bands 39 %, a priori 38 %, MAP after one trough 42 %, optimum 90 %
    expect(banded).toBeGreaterThan(fixed + 0.05);
    expect(apriori).toBeGreaterThan(fixed + 0.05);
    expect(map).toBeGreaterThan(apriori + 0.01);
    expect(r.strategies[4]!.fracIn).toBeGreaterThan(0.8);
    expect(r.banding.bands.length).toBeGreaterThan(1);
    expect(r.map[0]!.converged).toBeGreaterThan(1990);
  });

  it('shows one example patient: measured level, MAP estimate, recommended regimen with its AUC interval', () => {
    const ex = res.example;
    expect(ex).toBeDefined();
    if (!ex) return;
    expect(ex.level.time).toBe(36);
    expect(ex.level.value).toBeGreaterThan(res.comparison.lloq);
    const a = ex.aprioriAuc;
    expect(a < 400 || a > 600).toBe(true);
    expect(ex.map.parameters.CL).toBeGreaterThan(0);
    const rec = ex.recommended;
    expect([8, 12, 24]).toContain(rec.interval);
    expect(rec.auc24.lo).toBeLessThanOrEqual(rec.auc24.median);
    expect(rec.auc24.median).toBeLessThanOrEqual(rec.auc24.hi);
    expect(rec.pta).toBeGreaterThan(0);
    expect(out).toContain(`example: virtual patient ${ex.subject + 1}`);
    expect(out).toMatch(/measured trough \d+\.\d+ mg\/L at 36 h/);
    // the table's MAP-guided arm doses q12h; the example's free search says it is one over q8h/q12h/q24h
    expect(out).toContain(`MAP-guided arm of the table (q12h doses): ${ex.mapStrategyDose} mg q12h; true AUC24`);
    expect(out).toMatch(/best regimen with any interval \(q8h, q12h, q24h\): \d+ mg every \d+ h over 1 h: predicted AUC24 \d+ mg·h\/L \(90% CI \d+–\d+\)/);
  });

  it('writes a self-contained HTML report with the plots, and summary.json', () => {
    const path = res.reportPath as string;
    expect(path).toBe(join(dir, 'v', 'report.html'));
    const html = readFileSync(path, 'utf8');
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect((html.match(/<svg/g) ?? []).length).toBe(1 + 5 + 1); // comparison, 5 histograms, concentration
    expect((html.match(/class="dw-chart dw-strategies"/g) ?? []).length).toBe(1);
    expect((html.match(/class="dw-chart dw-histogram"/g) ?? []).length).toBe(5);
    expect((html.match(/class="dw-chart dw-concentration"/g) ?? []).length).toBe(1);
    expect(html).toContain('Dose bands by CRCL');
    expect(html).toContain('Example patient');
    const summary = JSON.parse(readFileSync(join(dir, 'v', 'summary.json'), 'utf8')) as { strategies: { fracIn: number }[]; example: { subject: number } };
    expect(summary.strategies.map((s) => s.fracIn)).toEqual(res.comparison.strategies.map((s) => s.fracIn));
    expect(summary.example.subject).toBe(res.example?.subject);
  });

  it('runs as the study command, with --json, --two-levels and --report', async () => {
    let text = '';
    const program = new Command('dosewise').exitOverride();
    registerStudy(program, (s) => (text += s));
    await program.parseAsync(['study', 'vancomycin', '--n', '300', '--seed', '5', '--workers', '0', '--two-levels', '--json', '--report', join(dir, 'j')], { from: 'user' });
    const j = JSON.parse(text) as { n: number; seed: string; strategies: { key: string }[]; report: string; subjects?: unknown };
    expect(j.n).toBe(300);
    expect(j.seed).toBe('5');
    expect(j.strategies.map((s) => s.key)).toEqual(['fixed', 'banded', 'apriori', 'map1', 'map2', 'optimum']);
    expect(j.subjects).toBeUndefined();
    expect(existsSync(j.report)).toBe(true);
  });

  it('says when fewer bands than asked came out (neighbours with one dose merge): 12 asked, 5 given', async () => {
    let text = '';
    const r = await vancomycinDemo({ n: 300, seed: 1, workers: 0, bands: 12, report: join(dir, 'b12'), progress: false }, (s) => (text += s));
    const banded = r.comparison.strategies[1]!;
    // doses rising with CrCL: 250 to 1250 mg, one band each (in any order, 10 bands alternated on 300 subjects)
    expect(r.comparison.banding.bands.map((b) => b.dose)).toEqual([250, 500, 750, 1000, 1250]);
    expect(banded.label).toBe('5 dose bands by CRCL (12 asked: 7 merged, same dose as a neighbour)');
    expect(text).toContain(banded.label);
  });

  it('refuses an unknown study and bad numbers', async () => {
    const program = new Command('dosewise').exitOverride();
    registerStudy(program, () => undefined);
    await expect(program.parseAsync(['study', 'gentamicin'], { from: 'user' })).rejects.toThrow(/study gentamicin: unknown \(known: vancomycin\)/);
    await expect(program.parseAsync(['study', 'vancomycin', '--n', '0'], { from: 'user' })).rejects.toThrow(/--n 0: expected a positive integer/);
  });
});

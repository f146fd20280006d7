// Every warning a run prints appears in its --report, in the section it concerns (per ID where it
// names one), and "No warnings" only where there were none at all: the reports showed the estimate's
// own and the covariate-range ones alone, and said "No warnings: every level is informative..."
// beside an overdue dose advised at the level's time (a double dose if it had been given), uneven
// SIR weights (Pareto k̂ 0.94, 1.10), a daylight-saving switch and a lone 'ii 8' dose ranked best.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-report-warnings-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const F = 'test/fixtures/report-warnings';

const unescape = (s: string): string =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d))).replace(/&amp;/g, '&');

/** The report's sections: heading and visible text (paragraphs), charts left out. */
function sections(file: string): { heading: string; text: string }[] {
  const html = readFileSync(file, 'utf8');
  return [...html.matchAll(/<section class="dw-section"[^>]*>([\s\S]*?)<\/section>/g)].map((m) => {
    const inner = (m[1] as string).replace(/<svg[\s\S]*?<\/svg>/g, '');
    const heading = unescape((/<h2[^>]*>([\s\S]*?)<\/h2>/.exec(inner)?.[1] ?? '').replace(/<[^>]+>/g, ''));
    const text = [...inner.matchAll(/<p>([\s\S]*?)<\/p>/g)].map((p) => unescape((p[1] as string).replace(/<br\/>/g, '\n').replace(/<[^>]+>/g, ''))).join('\n\n');
    return { heading, text };
  });
}

/** The printed warnings, "dosewise: warning: " taken off. */
const printed = (err: string): string[] => err.split('\n').filter((l) => l.startsWith('dosewise: warning: ')).map((l) => l.slice('dosewise: warning: '.length));

describe('--report says the warnings the run printed', () => {
  it('optimize --from next-dose: W_NEXT_DOSE_OVERDUE in the ID section, no "No warnings"', async () => {
    const dir = join(tmp, 'overdue');
    const r = await cli(['optimize', '--model', `${F}/m1.model.json`, '--data', `${F}/p11.csv`, '--from', 'next-dose', '--target', 'auc24:400:600,trough::15', '--doses', '500:3000:250', '--intervals', '12', '--infusions', '1', '--draws', '200', '--json', '--report', dir, '--no-progress']);
    expect(r.code).toBe(0);
    const ws = printed(r.err);
    expect(ws.some((w) => w.includes('W_NEXT_DOSE_OVERDUE'))).toBe(true);
    const s = sections(join(dir, 'report.html'));
    const id1 = s.find((x) => x.heading === 'ID 1') as { text: string };
    for (const w of ws) expect(id1.text).toContain(w);
    expect(id1.text.indexOf('W_NEXT_DOSE_OVERDUE')).toBeLessThan(id1.text.indexOf('next dose:'));
    expect(s.map((x) => x.text).join('\n')).not.toMatch(/No warnings/);
    const why = s.find((x) => x.heading === 'ID 1: why this estimate') as { text: string };
    expect(why.text).toContain('the run\'s warnings: 1 in section “ID 1”');
  });

  it('forecast --sir: the Pareto k̂ warning in the report and in the JSON warnings', async () => {
    const dir = join(tmp, 'sir-forecast');
    const r = await cli(['forecast', '--model', `${F}/m1.model.json`, '--data', `${F}/p4.csv`, '--regimen', `${F}/fut4.json`, '--sir', '--draws', '30', '--proposals', '1000', '--json', '--report', dir, '--no-progress']);
    expect(r.code).toBe(0);
    const sir = printed(r.err).filter((w) => w.includes('Pareto k̂'));
    expect(sir).toHaveLength(1);
    const json = JSON.parse(r.out) as { warnings: { code: string; message: string }[] }[];
    expect(json[0]?.warnings.some((w) => w.code === 'W_SIR_WEIGHTS' && w.message.includes('Pareto k̂'))).toBe(true);
    const s = sections(join(dir, 'report.html'));
    expect((s.find((x) => x.heading === 'ID 1') as { text: string }).text).toContain(sir[0] as string);
    expect(s.map((x) => x.text).join('\n')).not.toMatch(/No warnings/);
  });

  it('optimize --from 48 (SIR): the Pareto k̂ warning in the report and in the JSON warnings', async () => {
    const dir = join(tmp, 'sir-optimize');
    const r = await cli(['optimize', '--model', `${F}/m1.model.json`, '--data', `${F}/p4.csv`, '--target', 'auc24:400:600,trough::15', '--doses', '500:3000:250', '--intervals', '12', '--infusions', '1', '--from', '48', '--draws', '200', '--proposals', '200', '--json', '--report', dir, '--no-progress']);
    expect(r.code).toBe(0);
    const sir = printed(r.err).filter((w) => w.includes('Pareto k̂'));
    expect(sir).toHaveLength(1);
    const json = JSON.parse(r.out) as { warnings: { code: string; message: string }[] }[];
    expect(json[0]?.warnings.some((w) => w.code === 'W_SIR_WEIGHTS' && w.message.includes('Pareto k̂'))).toBe(true);
    const s = sections(join(dir, 'report.html'));
    expect((s.find((x) => x.heading === 'ID 1') as { text: string }).text).toContain(sir[0] as string);
    expect(s.map((x) => x.text).join('\n')).not.toMatch(/No warnings/);
  });

  it('optimize --from in the process’s zone (TZ=Europe/Paris; with --tz the chart is read on its clock, no warning): W_CLOCK_DST in the report', async () => {
    const dir = join(tmp, 'dst');
    const tz = process.env.TZ;
    process.env.TZ = 'Europe/Paris';
    const r = await cli(['optimize', '--model', `${F}/m1.model.json`, '--data', `${F}/p5.csv`, '--from', '2026-03-29T20:00', '--target', 'auc24:400:600,trough::15', '--doses', '500:3000:250', '--intervals', '8,12,24', '--infusions', '1', '--draws', '200', '--json', '--report', dir, '--no-progress']);
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
    expect(r.code).toBe(0);
    const dst = printed(r.err).filter((w) => w.includes('W_CLOCK_DST'));
    expect(dst).toHaveLength(1);
    const s = sections(join(dir, 'report.html'));
    expect((s.find((x) => x.heading === 'ID 1') as { text: string }).text).toContain(dst[0] as string);
    expect(s.map((x) => x.text).join('\n')).not.toMatch(/No warnings/);
  });

  it('population and pta: W_II_NOT_REPEATED in the section that names reg9 (pta: above "Best regimen: reg9")', async () => {
    const pop = join(tmp, 'pop');
    const p = await cli(['population', '--model', `${F}/m7.model.json`, '--regimen', `${F}/reg9.json`, '--n', '200', '--metric', 'auc24', '--metric', 'trough', '--window', 'auc24=100:200', '--json', '--report', pop, '--workers', '0', '--no-progress']);
    expect(p.code).toBe(0);
    const pta = join(tmp, 'pta');
    const q = await cli(['pta', '--model', `${F}/m7.model.json`, '--regimen', `${F}/reg9.json`, '--regimen', `${F}/reg8a.json`, '--target', 'auc24:100:200', '--n', '200', '--json', '--report', pta, '--workers', '0', '--no-progress']);
    expect(q.code).toBe(0);
    for (const [r, dir] of [[p, pop], [q, pta]] as const) {
      const ws = printed(r.err).filter((w) => w.includes('W_II_NOT_REPEATED'));
      expect(ws).toHaveLength(1);
      const s = sections(join(dir, 'report.html'));
      expect(s.some((x) => x.heading === 'Warnings')).toBe(false);
      expect(s[0]?.text).toMatch(/^Warnings \(1\):/);
      expect(s[0]?.text).toContain(ws[0] as string);
    }
    const best = sections(join(pta, 'report.html'))[0]?.text ?? '';
    expect(best.indexOf('W_II_NOT_REPEATED')).toBeLessThan(best.indexOf('Best regimen: reg9'));
  });

  it('study vancomycin: its printed warnings (W_SMALL_BAND) in the Warnings section', async () => {
    const dir = join(tmp, 'study');
    const r = await cli(['study', 'vancomycin', '--n', '200', '--workers', '0', '--no-progress', '--report', dir]);
    expect(r.code).toBe(0);
    const ws = printed(r.err);
    expect(ws.length).toBeGreaterThan(0);
    const s = sections(join(dir, 'report.html'));
    expect(s[0]?.heading).toBe('Warnings');
    for (const w of ws) expect(s[0]?.text).toContain(w);
  });

  it('a run without warnings keeps "No warnings" and adds no Warnings section', async () => {
    const dir = join(tmp, 'none');
    const r = await cli(['forecast', '--model', `${F}/m1.model.json`, '--data', `${F}/p1.csv`, '--regimen', `${F}/fut1.json`, '--draws', '30', '--json', '--report', dir, '--no-progress']);
    expect(r.code).toBe(0);
    expect(printed(r.err)).toEqual([]);
    const s = sections(join(dir, 'report.html'));
    expect(s.some((x) => x.heading === 'Warnings')).toBe(false);
    expect(s.map((x) => x.text).join('\n')).toMatch(/No warnings: every level/);
  });

  it('warnings printed with a place before "warning:" (a model text\'s W_STATE_SWITCH) or in words of their own (a future regimen\'s covariate out of range) are in the report too', async () => {
    const dir = join(tmp, 'switch');
    const r = await cli(['population', '--model', `${F}/sw.model`, '--regimen', `${F}/rsw.json`, '--n', '100', '--metric', 'auc24', '--report', dir, '--no-progress']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/sw\.model:\d+:\d+: warning: W_STATE_SWITCH/);
    expect(sections(join(dir, 'report.html')).map((x) => x.text).join('\n')).toContain('W_STATE_SWITCH');
    const dirF = join(tmp, 'future-range');
    const f = await cli(['forecast', '--model', `${F}/mwt.model.json`, '--data', `${F}/wt2.csv`, '--regimen', `${F}/futwt.json`, '--draws', '30', '--report', dirF, '--no-progress']);
    expect(f.code).toBe(0);
    expect(f.err).toMatch(/futwt\.json.*WT 300/);
    const text = sections(join(dirF, 'report.html')).map((x) => x.text).join('\n');
    expect(text).toMatch(/futwt\.json.*WT 300/);
    expect(text).not.toMatch(/No warnings/);
  });
});

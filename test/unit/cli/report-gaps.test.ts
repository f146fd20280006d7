// Smaller gaps of the HTML reports: optimize without --from on a one-dose history replaced its chart
// with "--from next-dose: ... give --from as a time" (an option not given); a model's declared units
// (observe.unit "mg/L", parameters' "L/h", "L") never showed; a failed run left its new, empty
// --report folder behind.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-report-gaps-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const F = 'test/fixtures/report-warnings';

const unescape = (s: string): string => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
/** The report's visible text: paragraphs, table cells and captions, SVG axis labels. */
const textOf = (html: string): string => unescape(html.replace(/<style[\s\S]*?<\/style>/g, '').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');

describe('report gaps', () => {
  it('optimize without --from, one dose: no word of --from, said in words', async () => {
    const dir = join(tmp, 'one-dose');
    const r = await cli(['optimize', '--model', `${F}/m1.model.json`, '--data', `${F}/p1.csv`, '--target', 'auc24:400:600,trough::15', '--doses', '500:3000:250', '--intervals', '8,12,24', '--infusions', '1', '--draws', '200', '--json', '--report', dir, '--no-progress']);
    expect(r.code).toBe(0);
    const text = textOf(readFileSync(join(dir, 'report.html'), 'utf8'));
    expect(text).not.toMatch(/--from/);
    expect(text).toMatch(/No forecast curve: the history's doses set no dosing interval/);
  });

  it("a model's declared units show: mg/L on the chart's axis and the levels table, L/h and L on the parameters", async () => {
    const dir = join(tmp, 'units');
    const r = await cli(['forecast', '--model', `${F}/m15.model.json`, '--data', `${F}/p1.csv`, '--regimen', `${F}/fut1.json`, '--draws', '30', '--json', '--report', dir, '--no-progress']);
    expect(r.code).toBe(0);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    const axis = [...html.matchAll(/class="dw-axis-label"[^>]*>([^<]*)</g)].map((m) => unescape(m[1] as string));
    expect(axis).toContain('Concentration (mg/L)');
    const cells = [...html.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => unescape(m[1] as string));
    expect(cells).toContain('CL (L/h)');
    expect(cells).toContain('V (L)');
    expect(textOf(html)).toMatch(/Measured against fitted levels \(mg\/L\)/);
  });

  it('a failed run removes the report folder it created, empty; an existing one stays', async () => {
    // refused after the --report folder is checked (and made)
    const failing = ['forecast', '--model', `${F}/m1.model.json`, '--data', `${F}/p1.csv`, '--regimen', `${F}/fut1.json`, '--metric', 'nonsense', '--report'];
    const dir = join(tmp, 'new', 'rep');
    const r = await cli([...failing, dir]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/metric nonsense: unknown/);
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(join(tmp, 'new'))).toBe(false);
    const kept = join(tmp, 'kept');
    mkdirSync(kept);
    const q = await cli([...failing, kept]);
    expect(q.code).toBe(2);
    expect(existsSync(kept)).toBe(true);
  });
});

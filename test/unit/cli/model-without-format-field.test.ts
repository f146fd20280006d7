// A JSON without the format field "dosewise" (a published model's source description: id, sources,
// typical_values, ...) given as --model was refused with "model dosewise: Invalid input", which did
// not say why. It now says the field is missing and, where the file's id, name or file name is a
// packaged model, that --model NAME runs it.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { cli } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-no-format-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function file(name: string, json: unknown): string {
  const p = join(tmp, name);
  writeFileSync(p, JSON.stringify(json));
  return p;
}

// the shape of a source description, written here (not copied)
const source = { drug: 'vancomycin', sources: [{ repository: 'github.com/example/tool' }], typical_values: { CL: 2.99 }, iiv: {} };
const args = ['--data', 'examples/map-patient.csv'];
const MISSING = 'model dosewise: missing: every dosewise model file has the format field "dosewise" (1 or 2), and this JSON has none, so it is not a dosewise model file';

describe('a model JSON without "dosewise"', () => {
  it('the library says the format field is missing (was "Invalid input")', () => {
    expect(() => defineModel({ ...source, name: 'x' })).toThrow(MISSING);
    expect(() => defineModel({ dosewise: 3, name: 'x' })).toThrow('model dosewise: the format field must be 1 or 2 (got 3)');
  });

  it('--model FILE whose id is a packaged model: names the file and --model NAME', async () => {
    const f = file('goti.json', { id: 'vancomycin_goti_2018', ...source });
    const r = await cli(['simulate', '--model', f, ...args]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`dosewise: ${f}: ${MISSING}; --model vancomycin_goti_2018 runs the packaged model of that name\n`);
  });

  it('by its name, or its file name, when the id is not one', async () => {
    const byName = file('mine.json', { id: 'someone_else', name: 'busulfan_mccune_2014', ...source });
    expect((await cli(['simulate', '--model', byName, ...args])).err).toContain('; --model busulfan_mccune_2014 runs the packaged model of that name\n');
    const byFile = file('busulfan_mccune_2014.json', { id: 'not_packaged', ...source });
    expect((await cli(['simulate', '--model', byFile, ...args])).err).toContain('; --model busulfan_mccune_2014 runs the packaged model of that name\n');
  });

  it('no packaged model of that id, name or file name: no hint', async () => {
    const f = file('other.json', { id: 'not_packaged', ...source });
    const r = await cli(['simulate', '--model', f, ...args]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`dosewise: ${f}: ${MISSING}\n`);
  });
});

// A model file's field refused by its JSON path alone named no file ("dosewise: model parameters.V:
// Invalid input (got "null")"), where a regimen's or covariates file's refusal names both the file
// and the path. Now the model file is named before the path.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dosewise-model-file-named-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a model file refused by a field names the file', () => {
  it('parameters.V null, and a bad expression: "FILE: model parameters.V: ..."', async () => {
    const json = JSON.parse(readFileSync('examples/map-wmap.model.json', 'utf8')) as { parameters: Record<string, unknown> };
    const nullV = join(dir, 'null-v.model.json');
    writeFileSync(nullV, JSON.stringify({ ...json, parameters: { ...json.parameters, V: null } }));
    const r = await cli(['simulate', '--model', nullV, '--data', 'examples/map-patient.csv']);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain(`dosewise: ${nullV}: model parameters.V: `);
    const badExpr = join(dir, 'bad-expr.model.json');
    const v = json.parameters.V as Record<string, unknown>;
    writeFileSync(badExpr, JSON.stringify({ ...json, parameters: { ...json.parameters, V: { ...v, expr: 'TVV * exp(ETA_V' } } }));
    const e = await cli(['simulate', '--model', badExpr, '--data', 'examples/map-patient.csv']);
    expect(e.code).not.toBe(0);
    expect(e.err).toContain(`dosewise: ${badExpr}: model parameters.V`);
    // named once
    expect(e.err.split(badExpr).length).toBe(2);
  });
});

// `dosewise compile` describes what 'auto' runs at the text's rtol, as the engine resolves it: it said
// "dopri5, rosenbrock for a subject once stiff" where at rtol <= 1e-8 (the default) every subject
// starts with DOP853 (outputs bit-identical to dop853 at 1e-8 and 1e-10).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileCommand } from '../../../src/cli/compile.js';

const dir = mkdtempSync(join(tmpdir(), 'dosewise-compile-auto-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const mm = 'theta VMAX = 10, KM = 1.2, V = 15\ncompartment CENT\nd/dt(CENT) = -VMAX * (CENT / V) / (KM + CENT / V)\nobserve = CENT / V\n';

async function solverLine(text: string): Promise<string> {
  const file = join(dir, `m${Math.random().toString(36).slice(2)}.model`);
  writeFileSync(file, text);
  let out = '';
  await compileCommand(file, {}, (s) => (out += s));
  return out.split('\n').find((l) => /solver/.test(l)) ?? '';
}

describe('compile: the auto solver as it runs at the text rtol', () => {
  it('DOP853 first at the default rtol 1e-8, Dormand–Prince above 1e-8', async () => {
    expect(await solverLine(mm)).toContain('auto at rtol 1e-8: dop853, dopri5 from where its steps are held by stability, rosenbrock for a subject once stiff');
    expect(await solverLine(`${mm}solver auto rtol = 1e-6\n`)).toContain('auto at rtol 1e-6: dopri5, rosenbrock for a subject once stiff');
  }, 120_000);
});

// The layer rule of eslint.config.js cannot be fooled: back-edges are caught in every import form
// and from nested folders, by resolved path rather than by the spelling of the specifier.
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '../../..');
const eslint = new ESLint({ cwd: repo });

async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(repo, file) });
  return result!.messages.filter((m) => m.ruleId === 'dosewise/boundaries').map((m) => m.message);
}

describe('layer rule', () => {
  const backEdges: [string, string][] = [
    ['src/model/x.ts', `import { optimize } from '../design/optimize.js';\nexport const y = optimize;\n`],
    ['src/population/covariates/x.ts', `import { optimize } from '../../design/optimize.js';\nexport const y = optimize;\n`],
    ['src/engine/x.ts', `export { runStudy } from '../population/study.js';\n`],
    ['src/engine/x.ts', `export * from '../bayes/estimate.js';\n`],
    ['src/regimen/x.ts', `export async function f() { return import('../cli/main.js'); }\n`],
    ['src/model/x.ts', `import type { Report } from '../report/html.js';\nexport type Y = Report;\n`],
    ['src/design/x.ts', `import { a } from './../engine/../report/html.js';\nexport const y = a;\n`],
    ['src/report/x.ts', `import { main } from '../cli/main.js';\nexport const y = main;\n`],
    ['src/errors.ts', `import { z } from './model/model.js';\nexport const y = z;\n`],
    ['src/engine/x.ts', `import { h } from '../../test/unit/helpers.js';\nexport const y = h;\n`],
  ];
  it.each(backEdges)('refuses a back-edge from %s', async (file, code) => {
    const errors = await layerErrors(file, code);
    expect(errors, code).toHaveLength(1);
  });

  const allowed: [string, string][] = [
    ['src/design/x.ts', `import { simulate } from '../engine/simulate.js';\nexport const y = simulate;\n`],
    ['src/population/covariates/x.ts', `import { Errors } from '../../errors.js';\nexport const y = Errors;\n`],
    ['src/cli/x.ts', `export async function f() { return import('../report/html.js'); }\n`],
    ['src/index.ts', `export * from './cli/main.js';\n`],
    ['src/model/x.ts', `import { z } from 'zod';\nexport const y = z;\n`],
  ];
  it.each(allowed)('allows a forward edge from %s', async (file, code) => {
    expect(await layerErrors(file, code)).toEqual([]);
  });

  it('a folder of src/ without a rank is an error of its own', async () => {
    const errors = await layerErrors('src/newthing/x.ts', `import { z } from '../model/model.js';\nexport const y = z;\n`);
    expect(errors[0]).toMatch(/no rank/);
  });
});

// The model text the README shows under a file's name is that file: the
// README's block headed `# examples/user-models/tmdd.model` had `eta ETA_KEL ~ 0.09`,
// `covariate WT = 70`, `residual proportional 0.1` and KELi, the shipped file none of them, so
// `dosewise estimate --model examples/user-models/tmdd.model` said "estimation needs a residual
// error model" to a user following the README. The README's block is now the shipped
// examples/user-models/tmdd-map.model (tmdd.model stays the built-in tmdd's twin), and its MAP
// estimate on examples/user-models/tmdd-patient.csv equals scipy's (test/oracle/tmdd_map_example.py).
// Since 2026-12-07 the model-text reference is docs/model-texts.md: the blocks of README.md and of
// every docs/*.md are checked.

import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const readme = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)]
  .map((f) => readFileSync(join(ROOT, f), 'utf8'))
  .join('\n');
const oracle = JSON.parse(readFileSync(join(ROOT, 'test/oracle/tmdd-map-example.json'), 'utf8')) as { eta: number; dv: number[]; ofv_no_const: number };

/** README and docs code blocks whose first line names a file of the project: `# examples/….model: …`. */
function namedBlocks(): { path: string; body: string }[] {
  const out: { path: string; body: string }[] = [];
  const re = /^```text\n(# (examples\/\S+?\.model)\b[\s\S]*?)^```/gm;
  for (let m = re.exec(readme); m; m = re.exec(readme)) out.push({ path: m[2] as string, body: m[1] as string });
  return out;
}

describe('README model texts named after a file', () => {
  it('each is that file, character for character', () => {
    const blocks = namedBlocks();
    expect(blocks.map((b) => b.path)).toContain('examples/user-models/tmdd-map.model');
    for (const b of blocks) expect(readFileSync(join(ROOT, b.path), 'utf8').trimEnd(), b.path).toBe(b.body.trimEnd());
  });

  it('tmdd-map.model estimates the README patient as scipy does (ETA_KEL 0.3047573)', () => {
    const text = readFileSync(join(ROOT, 'examples/user-models/tmdd-map.model'), 'utf8');
    const model = defineModel({ dosewise: 'text', text, file: 'tmdd-map.model' });
    const { records } = readNmtran(readFileSync(join(ROOT, 'examples/user-models/tmdd-patient.csv'), 'utf8'));
    expect(records.filter((r) => r.EVID === 0).map((r) => r.DV)).toEqual(oracle.dv);
    const fit = estimate(model, records);
    expect(fit.converged).toBe(true);
    const eta = fit.eta[0] as number;
    // measured |Δη| 8.7e-9 and the objective (scipy's, without constants) 7.8e-10 apart
    expect(Math.abs(eta - oracle.eta)).toBeLessThan(5e-8);
    expect(fit.ofv).toBeCloseTo(oracle.ofv_no_const, 7);
  });
});

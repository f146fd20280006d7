// Library messages name the API's options, not the command line's flags: simulateReplicates() and
// vpc() told an app given `lloq: 0.5` to "give --lloq -0.6931471806", vpc() with
// `predictionCorrected: true` to "leave out --pc", formatNomogram() to "see --json". The CLI
// prints the same messages with its flags (src/cli/api-words.ts).

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import type { ModelFile } from '../../../src/model/schema.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { simulateReplicates } from '../../../src/replicate/run.js';
import { vpc } from '../../../src/vpc/vpc.js';
import { formatNomogram, nomogram } from '../../../src/design/nomogram/nomogram.js';
import { DosewiseError } from '../../../src/errors.js';
import { cliWords } from '../../../src/cli/api-words.js';

const expo = { dosewise: 2, name: 'e', structure: '1cmt-iv', theta: {}, parameters: { CL: '5*exp(ETA_CL)', V: 50 }, omega: { etas: ['ETA_CL'], diagonal: [0.1] }, residual: { model: 'exponential', exponential: 0.1 } } as unknown as ModelFile;
// log-scale DVs (the model's exponential error)
const logData = readNmtran('ID,TIME,EVID,AMT,DV,MDV\n1,0,1,100,.,1\n1,1,0,.,0.5,0\n1,24,0,.,-2,0\n1,48,0,.,-3,0\n2,0,1,100,.,1\n2,2,0,.,0.4,0\n2,30,0,.,-2.5,0\n').records;
/** A CLI flag: a space, two dashes and a letter. */
const FLAG = / --[a-z]/;

describe('library messages name API options', () => {
  it('simulateReplicates(): lloq 0.5 on a log-scale DV censors below e^0.5 = 1.648721271; the concentration limit is lloq ln 0.5 = -0.6931471806', async () => {
    const r = await simulateReplicates(defineModel(expo), logData, { replicates: 5, seed: 1, lloq: 0.5, workers: 0 }, () => undefined);
    const w = r.warnings.find((x) => x.includes('censors below')) as string;
    expect(w).toContain(`lloq 0.5 censors below a concentration of ${Math.exp(0.5).toPrecision(10)}; for a limit of 0.5 in concentration units give lloq ${Math.log(0.5).toPrecision(10)}.`);
    expect(w).toContain('an LLOQ (the API option lloq, or the LLOQ column)');
    for (const x of r.warnings) expect(x).not.toMatch(FLAG);
    // the command line's wording of the same warning
    expect(cliWords(w)).toContain('--lloq 0.5 censors below a concentration of 1.648721271; for a limit of 0.5 in concentration units give --lloq -0.6931471806.');
    expect(cliWords(w)).toContain('an LLOQ (--lloq, or the LLOQ column)');
  });

  it('vpc(): the same warning, without CLI flags', async () => {
    const r = await vpc(defineModel(expo), logData, { replicates: 20, seed: 1, lloq: 0.5, workers: 0 });
    expect(r.warnings.some((x) => x.includes('lloq 0.5 censors below'))).toBe(true);
    for (const x of r.warnings) expect(x).not.toMatch(FLAG);
  });

  it('vpc() with predictionCorrected and a typical prediction of 0 (a level before the first dose) names predictionCorrected', async () => {
    const recs = readNmtran('ID,TIME,EVID,AMT,DV,MDV\n1,0,0,.,1,0\n1,0.5,1,100,.,1\n1,1,0,.,0.5,0\n2,0,1,100,.,1\n2,2,0,.,0.4,0\n').records;
    const lin = defineModel({ ...expo, residual: { model: 'proportional', proportional: 0.1 } } as unknown as ModelFile);
    const e = await vpc(lin, recs, { replicates: 20, seed: 1, predictionCorrected: true, workers: 0 }).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(DosewiseError);
    const m = (e as DosewiseError).message;
    expect(m).toContain('leave out the API option predictionCorrected');
    expect(m).not.toMatch(FLAG);
    expect(cliWords(m)).toContain('leave out --pc,');
  });

  it('a missing or differing BLQ limit is told as the option lloq, and as --lloq by the CLI', () => {
    expect(cliWords('give every observation its LLOQ or one limit for all (the API option lloq)')).toBe('give every observation its LLOQ or one limit for all (--lloq X)');
    expect(cliWords('give the API option epsilon: false')).toBe('give --no-epsilon');
    // a flag already written is left alone
    expect(cliWords('--lloq 1 censors')).toBe('--lloq 1 censors');
  });

  it('formatNomogram(): an infeasible cell points to the cells\' candidates (the CLI: --json)', () => {
    const goti = defineModel(JSON.parse(readFileSync('models/vancomycin_goti_2018.json', 'utf8')) as ModelFile);
    const n = nomogram(goti, { target: { metric: 'auc24', value: 500 }, intervals: [12, 24], infusion: 1, grid: [{ name: 'CRCL', values: [30, 120] }], fixed: { WT: 70 }, troughMax: 0.5 });
    const text = formatNomogram(n);
    expect(text).toContain("no interval meets the constraints (each interval is judged in the cell's candidates)");
    expect(text).not.toMatch(FLAG);
    expect(cliWords(text)).toContain('no interval meets the constraints (see --json for each interval)');
  });

  it('solver, kernel and optimize hints name the API options; the CLI words them as its flags', () => {
    expect(cliWords("step budget exhausted within one segment: try method: 'rosenbrock' or 'auto'")).toBe('step budget exhausted within one segment: try --method rosenbrock or auto');
    expect(cliWords("a compartment without exchange (Q = 0 or nearly): try method: 'dopri5', which solves it")).toBe('a compartment without exchange (Q = 0 or nearly): try --method dopri5, which solves it');
    expect(cliWords('tighten the option rtol, from rtol 0.0001 to 1e-6')).toBe('tighten --rtol, from rtol 0.0001 to 1e-6');
    expect(cliWords('To judge from the first maintenance interval, give the option window: [8, 48]')).toBe('To judge from the first maintenance interval, pass --window 8:48');
    expect(cliWords('nothing was run. Compile the text again: await compileModel(json)')).toBe('nothing was run. Compile the text again: dosewise compile FILE.model --out FILE.json');
  });

  it('no message of the library (src/ but the CLI and the what-if tool, which build commands) names a CLI flag', () => {
    // flags that are not the dosewise command's, or messages only the CLI makes
    const allowed: Record<string, RegExp> = {
      'package-path.ts': /esbuild --external:dosewise/,
      'kernel-build.ts': /'--target', 'release'|'--initialMemory'/, // the AssemblyScript compiler's arguments
      'inlining.ts': /--max-inlined-bytecode-size-cumulative/, // V8's flag
      'spec.ts': /--depth/, // a decrement
      'posterior.ts': /flag = '--proposals'/, // the CLI's default; forecast() passes 'proposals'
      'clock.ts': /'--tz'/, // clockNow(), called by the CLI alone
    };
    const found: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) {
          if (p !== join('src', 'cli') && p !== join('src', 'web')) walk(p);
        } else if (e.name.endsWith('.ts'))
          readFileSync(p, 'utf8').split('\n').forEach((line, i) => {
            if (/^\s*(\/\/|\*|\/\*)/.test(line) || !/[ (`'"]--[a-z]/.test(line)) return;
            if (allowed[e.name]?.test(line)) return;
            found.push(`${p}:${i + 1}: ${line.trim().slice(0, 120)}`);
          });
      }
    };
    walk('src');
    expect(found).toEqual([]);
  });
});

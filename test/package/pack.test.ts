// The package as an app builder gets it: `npm pack` (of the built tree), the tarball installed into
// a fresh project outside the repository (dependencies from the npm cache where it has them), then the
// package entry imported by name: MAP on the W-map patient gives the known η, the model-text entry
// loads, and the installed `dosewise` command runs. Nothing here reads the repository's sources.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { expectQuoted, readmeSizes } from './readme-sizes.js';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'dosewise-pack-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const npm = (args: string[], cwd: string): string => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function duBytes(dir: string): number {
  let n = 0;
  for (const f of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, f.name);
    n += f.isDirectory() ? duBytes(p) : statSync(p).size;
  }
  return n;
}

describe('the packed package in a fresh project', () => {
  it('installs from its tarball, imports by name, runs MAP and the command line', () => {
    // the tree is built by `npm test` before vitest runs; prepack would build it again
    const tarball = npm(['pack', '--ignore-scripts', '--silent', '--pack-destination', tmp], root).trim().split('\n').pop() as string;
    const app = join(tmp, 'app');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', type: 'module', private: true }));
    npm(['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', join(tmp, tarball)], app);
    writeFileSync(
      join(app, 'map.js'),
      `import { defineModel, estimate, readNmtran } from 'dosewise';
const model = defineModel({
  dosewise: 2, name: 'W-map', structure: { kind: 'linear', compartments: 2, depot: false },
  parameters: { CL: '4*exp(ETA_CL)', V: '30*exp(ETA_V1)', Q: 6, V2: 50 },
  omega: { etas: ['ETA_CL', 'ETA_V1'], diagonal: [0.1, 0.1] },
  residual: { model: 'proportional', proportional: 0.1 },
});
const csv = [
  'ID,TIME,EVID,AMT,RATE,DV,MDV',
  '1,0,1,1000,1000,.,1', '1,1.5,0,0,0,27.57698,0', '1,11.5,0,0,0,3.437169,0', '1,12,1,1000,1000,.,1',
  '1,24,1,1000,1000,.,1', '1,25,0,0,0,38.494925,0', '1,36,1,1000,1000,.,1', '1,47.5,0,0,0,7.016984,0',
].join('\\n');
const fit = estimate(model, readNmtran(csv).records);
console.log(JSON.stringify(fit.eta));
const api = await import('dosewise');
const names = ['simulate', 'runStudy', 'estimateFits', 'forecast', 'shrinkage', 'solve', 'pta', 'bandPopulation', 'nomogram', 'relevance', 'compareStrategies', 'optimizeRegimen', 'egfrCkdEpi2021Cr', 'crclCockcroftGault'];
console.log(JSON.stringify(names.filter((n) => typeof api[n] !== 'function')));
console.log(JSON.stringify(api.egfrCkdEpi2021Cr({ scrMgDl: 1.2, ageYears: 60, sex: 'male' })));
const text = await import('dosewise/model-text');
console.log(JSON.stringify(['compileModel', 'compileModelText', 'compileKernel'].filter((n) => typeof text[n] !== 'function')));
`,
    );
    const [etaLine, missingLine, egfrLine, textLine] = execFileSync(process.execPath, ['map.js'], { cwd: app, encoding: 'utf8' }).trim().split('\n');
    const eta = JSON.parse(etaLine as string) as number[];
    // the entry exports the public API: simulation, populations, MAP, design, calculators
    expect(JSON.parse(missingLine as string)).toEqual([]);
    // the model-text compiler is an entry of its own
    expect(JSON.parse(textLine as string)).toEqual([]);
    // CKD-EPI 2021 (creatinine): 142 × (1.2/0.9)^-1.2 × 0.9938^60 = 68.9… mL/min/1.73 m²
    expect(JSON.parse(egfrLine as string)).toBeCloseTo(142 * (1.2 / 0.9) ** -1.2 * 0.9938 ** 60, 6);
    // mapbayr's η for this patient (BENCHMARKS.md): the same as from the repository, to 3e-6
    expect(Math.abs((eta[0] as number) - 0.307654)).toBeLessThan(3e-6);
    expect(Math.abs((eta[1] as number) - -0.221371)).toBeLessThan(3e-6);
    // a Node-only TypeScript project (no DOM library) type-checks the package's declarations,
    // ModelFile included: they named WebAssembly.Module, which only the DOM library declared
    writeFileSync(join(app, 'check.ts'), "import { defineModel, type ModelFile } from 'dosewise';\nconst file = { dosewise: 2, name: 'x', structure: '1cmt-iv', parameters: { CL: 5, V: 50 } } as ModelFile;\nvoid defineModel(file);\n");
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, module: 'node16', moduleResolution: 'node16', target: 'es2022', lib: ['es2022'], types: ['node'], typeRoots: [join(root, 'node_modules', '@types')], noEmit: true, skipLibCheck: false }, files: ['check.ts'] }),
    );
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: app, encoding: 'utf8' });
    const bin = join(app, 'node_modules', '.bin', 'dosewise');
    expect(execFileSync(bin, ['--help'], { cwd: app, encoding: 'utf8' })).toMatch(/Usage: dosewise/);
    // a model text compiles its kernel from the shipped engine sources (assembly/, asconfig.json) and the installed compiler
    const pkg = join(app, 'node_modules', 'dosewise');
    const out = execFileSync(bin, ['simulate', '--model', join(pkg, 'examples/user-models/tmdd.model'), '--data', join(pkg, 'examples/map-patient.csv'), '--json'], {
      cwd: app,
      encoding: 'utf8',
      env: { ...process.env, DOSEWISE_CACHE_DIR: join(tmp, 'kernels') },
    });
    const rows = JSON.parse(out) as { IPRED: number }[];
    expect(rows.length).toBe(8);
    expect(rows[1]?.IPRED).toBeCloseTo(296.9652826914112, 9);
    const installed = duBytes(join(app, 'node_modules', 'dosewise'));
    console.log(`installed package: ${(installed / 2 ** 20).toFixed(1)} MiB (${tarball}: ${(statSync(join(tmp, tarball)).size / 2 ** 20).toFixed(2)} MiB)`);
    const quoted = readmeSizes(root);
    expectQuoted('the tarball (MiB)', quoted.tarballMiB, statSync(join(tmp, tarball)).size / 2 ** 20);
    expectQuoted('the installed package (MiB)', quoted.installedMiB, installed / 2 ** 20);
    expect(installed).toBeLessThan(20 * 2 ** 20);
  }, 180_000);
});

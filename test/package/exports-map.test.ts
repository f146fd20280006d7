// The package's `exports` map as an app resolves it by name: `require('dosewise')` failed with
// ERR_PACKAGE_PATH_NOT_EXPORTED ('No "exports" main defined', though "main" was), since each entry
// had only the `types` and `import` conditions, and the packaged models and examples could not be
// reached ('dosewise/models/vancomycin_goti_2018.json' was not exported, in Node or in Vite). The
// repository is linked as node_modules/dosewise of a scratch app whose path has a space and an é.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, unknown>; files: string[] };
const tmp = mkdtempSync(join(tmpdir(), 'dosewise-exports-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const app = join(tmp, 'app é x');
mkdirSync(join(app, 'node_modules'), { recursive: true });
symlinkSync(root, join(app, 'node_modules', 'dosewise'), 'dir');
writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));

const node = (file: string, text: string): string => {
  writeFileSync(join(app, file), text);
  return execFileSync(process.execPath, [file], { cwd: app, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
};

describe('the exports map', () => {
  it('each code entry has types, import and a default condition after them, the same file as import', () => {
    for (const entry of ['.', './browser', './model-text']) {
      const conditions = pkg.exports[entry] as Record<string, string>;
      expect(Object.keys(conditions), entry).toEqual(['types', 'import', 'default']);
      expect(conditions.default, entry).toBe(conditions.import);
    }
    // the model library and the examples, shipped in the tarball, are reachable by name
    expect(pkg.exports['./models/*']).toBe('./models/*');
    expect(pkg.exports['./examples/*']).toBe('./examples/*');
    expect(pkg.files).toEqual(expect.arrayContaining(['models/', 'examples/']));
  });

  it('resolves every entry, a model and an example for require and import', () => {
    const want = {
      '.': join(root, 'dist/src/index.js'),
      browser: join(root, 'dist/src/browser/index.js'),
      text: join(root, 'dist/src/engine/model-text.js'),
      model: join(root, 'models/vancomycin_goti_2018.json'),
      example: join(root, 'examples/map-wmap.model.json'),
    };
    const specifiers = "['dosewise', 'dosewise/browser', 'dosewise/model-text', 'dosewise/models/vancomycin_goti_2018.json', 'dosewise/examples/map-wmap.model.json']";
    const viaRequire = JSON.parse(node('resolve.cjs', `console.log(JSON.stringify(${specifiers}.map((s) => require('node:fs').realpathSync(require.resolve(s)))));`)) as string[];
    expect(viaRequire).toEqual(Object.values(want));
    const viaImport = JSON.parse(
      node('resolve.mjs', `import { realpathSync } from 'node:fs';\nimport { fileURLToPath } from 'node:url';\nconsole.log(JSON.stringify(${specifiers}.map((s) => realpathSync(fileURLToPath(import.meta.resolve(s))))));`),
    ) as string[];
    expect(viaImport).toEqual(Object.values(want));
  });

  it("require('dosewise') loads the ES module graph where Node can require() it (20.19+), else says it is ESM", () => {
    const out = node(
      'load.cjs',
      `try {
  const dw = require('dosewise');
  const r = dw.simulate(dw.builtinModel('1cmt-iv', { CL: 5, V: 50 }), dw.regimen().dose({ time: 0, amt: 100 }).observe({ times: [1, 2] }).records());
  console.log(JSON.stringify({ ipred: Array.from(r.ipred).slice(-2), library: dw.libraryModel('vancomycin_goti_2018').name, error: typeof dw.DosewiseError }));
} catch (e) { console.log(JSON.stringify({ code: e.code })); }`,
    );
    const got = JSON.parse(out) as { ipred?: number[]; library?: string; error?: string; code?: string };
    if ((process.features as { require_module?: boolean }).require_module !== true) {
      // Node before 20.19: the documented refusal, naming ES modules (not a missing "exports" main)
      expect(got.code).toBe('ERR_REQUIRE_ESM');
      return;
    }
    // 100 mg, CL 5, V 50: 2·e^(−0.1 t)
    expect(got.ipred?.[0]).toBeCloseTo(2 * Math.exp(-0.1), 12);
    expect(got.ipred?.[1]).toBeCloseTo(2 * Math.exp(-0.2), 12);
    // the packaged library by name, from the app's folder
    expect(got.library).toBe('vancomycin_goti_2018');
    expect(got.error).toBe('function');
  });
});

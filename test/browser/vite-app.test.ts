// dosewise/browser as an app builder meets it: the built tree is packed (`npm pack`), the tarball and
// Vite are installed into a fresh project outside the repository (from the npm cache where it has
// them), and docs/api.md's browser example (the README's until 2026-12-07) becomes that app's main.js,
// with no Vite configuration.
// `vite build` bundles it; the dist folder is served on 127.0.0.1 and opened in headless Chromium,
// where MAP on the W-map patient, inline, in a worker and over two workers, gives the known η. Then
// Vite's dev server serves the same app with docs/api.md's vite.config.js, with the same η. Reports
// the installed size and the bundle's bytes (JS + WASM) that docs/api.md quotes.

import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic, type StaticServer } from './server.js';
import { expectQuoted, readmeSizes } from '../package/readme-sizes.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** mapbayr's η for the W-map patient (BENCHMARKS.md), as in test/package/pack.test.ts. */
const ETA = [0.307654, -0.221371];

const npm = (args: string[], cwd: string): string => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((f) => (f.isDirectory() ? files(join(dir, f.name)) : [join(dir, f.name)]));
}
const bytes = (list: readonly string[]): number => list.reduce((s, f) => s + statSync(f).size, 0);
const gzBytes = (list: readonly string[]): number => list.reduce((s, f) => s + gzipSync(readFileSync(f), { level: 9 }).length, 0);
const kib = (n: number): string => `${(n / 1024).toFixed(0)} KiB`;

/** The ```js block that starts with `first` in docs/api.md ("For app builders", moved there from the README on 2026-12-07). */
function readmeBlock(first: string): string {
  const readme = readFileSync(join(ROOT, 'docs/api.md'), 'utf8');
  const blocks = [...readme.matchAll(/^```js\n([\s\S]*?)^```/gm)].map((m) => m[1] as string).filter((b) => b.startsWith(first));
  expect(blocks, `docs/api.md: one \`\`\`js block starting with ${first}`).toHaveLength(1);
  return blocks[0] as string;
}

/**
 * Appended to the app: a cohort of 12,000 patients over 2 workers in chunks of 4000, aborted 500 ms
 * in (each chunk runs for seconds), run when the test asks (its workers would count as the example's).
 */
const CANCEL = `
window.runCancel = async () => {
  const ac = new AbortController();
  let tAbort = 0;
  let progressAfter = 0;
  setTimeout(() => { tAbort = performance.now(); ac.abort(new Error('stop')); }, 500);
  try {
    await estimateCohort(model, Array.from({ length: 12000 }, () => records), { workers: 2, chunkSize: 4000, signal: ac.signal, onProgress: () => { if (tAbort) progressAfter++; } });
    return { message: 'resolved', ms: performance.now() - tAbort, progressAfter };
  } catch (e) {
    return { message: e.message, ms: performance.now() - tAbort, progressAfter };
  }
};
`;

interface AppResult {
  readonly eta: number[];
  readonly inWorker: number[];
  readonly cohort: number[];
  readonly auc24: { mode: number; lower: number; upper: number };
}

/** Opens the app at `url` and waits for the example's results; console errors and failed requests are collected. */
async function runApp(page: Page, url: string): Promise<{ result: AppResult; problems: string[]; workers: string[]; body: string | null }> {
  const problems: string[] = [];
  const workers: string[] = [];
  const onConsole = (m: { type(): string; text(): string }): void => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  };
  page.on('console', onConsole);
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // a request of the page before (the built app's workers, aborted as this one navigates) is not this app's
  const origin = new URL(url).origin;
  page.on('requestfailed', (r) => {
    if (new URL(r.url()).origin === origin) problems.push(`request failed: ${r.url()} (${r.failure()?.errorText ?? ''})`);
  });
  page.on('worker', (w) => workers.push(w.url()));
  await page.goto(url);
  await page.waitForFunction(() => 'result' in window, undefined, { timeout: 90_000 }).catch((e: unknown) => {
    throw new Error(`${String(e)}\n${problems.join('\n')}`);
  });
  const result = (await page.evaluate(() => (window as unknown as { result: unknown }).result)) as AppResult;
  const body = await page.textContent('body');
  page.removeAllListeners();
  return { result, problems, workers, body };
}

/** The published η inline; the same numbers in one worker and over two (same engine, same optimizer). */
function expectEta(result: AppResult): void {
  result.eta.forEach((e, i) => expect(Math.abs(e - (ETA[i] as number))).toBeLessThan(3e-6));
  expect(result.inWorker).toEqual(result.eta);
  expect(result.cohort).toEqual([...result.eta, ...result.eta]);
  expect(result.auc24.lower).toBeLessThan(result.auc24.mode);
  expect(result.auc24.mode).toBeLessThan(result.auc24.upper);
}

/** The newest modification time of the library's sources (the browser entry must be built after it). */
function newestSource(dir = join(ROOT, 'src')): number {
  return Math.max(...files(dir).filter((f) => !f.includes(`${join('src', 'web')}`)).map((f) => statSync(f).mtimeMs));
}

let tmp: string;
let app: string;
let page: Page;
let server: StaticServer | undefined;
let context: BrowserContext | undefined;
let userDataDir: string | undefined;

describe.skipIf(process.env.DOSEWISE_BROWSER_TESTS !== '1')('dosewise/browser in a Vite app, in chromium', () => {
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'dosewise-vite-app-'));
  });
  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
  });

  it('packs, installs with Vite, builds the README example and runs MAP in the page and in workers', async () => {
    const entry = join(ROOT, 'dist', 'src', 'browser', 'index.js');
    if (!existsSync(entry) || !existsSync(join(ROOT, 'build', 'dosewise.wasm'))) throw new Error('dist/ or build/ is missing: npm run build first');
    if (statSync(entry).mtimeMs < newestSource()) throw new Error('dist/src is older than src/: npm run build first');
    if (!existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);

    // the package and the Vite of this repository, into a project of their own
    const tarball = npm(['pack', '--ignore-scripts', '--silent', '--pack-destination', tmp], ROOT).trim().split('\n').pop() as string;
    app = join(tmp, 'app');
    mkdirSync(app);
    const vite = (JSON.parse(readFileSync(join(ROOT, 'node_modules', 'vite', 'package.json'), 'utf8')) as { version: string }).version;
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', type: 'module', private: true, scripts: { build: 'vite build' } }));
    const t0 = Date.now();
    npm(['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', join(tmp, tarball), `vite@${vite}`], app);
    const installMs = Date.now() - t0;
    const pkg = join(app, 'node_modules', 'dosewise');
    const installed = bytes(files(pkg));

    // the app: index.html, the README example as main.js, the example model and patient
    writeFileSync(join(app, 'index.html'), '<!doctype html>\n<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>dosewise app</title></head>\n<body><script type="module" src="./main.js"></script></body></html>\n');
    cpSync(join(pkg, 'examples', 'map-wmap.model.json'), join(app, 'map-wmap.model.json'));
    cpSync(join(pkg, 'examples', 'map-patient.csv'), join(app, 'map-patient.csv'));
    // what the test reads back: the example's own variables, on window
    const report = '\nwindow.result = { eta: fit.eta, inWorker: fitInWorker.eta, cohort: Array.from(cohort.eta), auc24: metrics.auc24 };\n' + CANCEL;
    writeFileSync(join(app, 'main.js'), readmeBlock('// main.js') + report);
    const t1 = Date.now();
    npm(['run', 'build', '--silent'], app);
    const buildMs = Date.now() - t1;

    const dist = join(app, 'dist');
    const out = files(dist);
    const js = out.filter((f) => f.endsWith('.js'));
    const wasm = out.filter((f) => f.endsWith('.wasm'));
    expect(wasm).toHaveLength(1);
    expect(js.some((f) => /worker/.test(f))).toBe(true);

    server = await serveStatic(dist);
    userDataDir = mkdtempSync(join(tmpdir(), 'dosewise-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = context.pages()[0] ?? (await context.newPage());
    const { result, problems, workers, body } = await runApp(page, server.url);
    expect(problems).toEqual([]);
    expectEta(result);
    expect(body).toBe(`η = ${result.eta.map((e) => e.toFixed(4)).join(', ')}`);
    // the engine came from the bundle, fetched by the page and by each worker; three workers ran
    const rel = (f: string): string => `/${relative(dist, f)}`;
    expect(server.requests.filter((r) => r === rel(wasm[0] as string)).length).toBeGreaterThanOrEqual(2);
    expect(workers.length).toBe(3);

    // a cancelled cohort rejects at once and reports no more progress: its workers ran their chunks to the end, and
    // the run rejected 2460 ms after the abort, reporting progress after it
    const cancel = (await page.evaluate(() => (window as unknown as { runCancel(): Promise<unknown> }).runCancel())) as { message: string; ms: number; progressAfter: number };
    expect(cancel.message).toBe('stop');
    expect(cancel.ms).toBeLessThan(250);
    expect(cancel.progressAfter).toBe(0);
    // and its workers are gone: Chromium ends a worker busy in a task 2 s after terminate() (its
    // forcible-termination delay; measured 2074 ms), where the chunk of 4000 ran on for seconds
    const since = Date.now();
    while (page.workers().length > 0 && Date.now() - since < 3000) await page.waitForTimeout(20);
    console.info(`a cohort cancelled in the page: rejected ${cancel.ms.toFixed(0)} ms after the abort, its workers gone ${Date.now() - since} ms later`);
    expect(page.workers()).toHaveLength(0);

    console.info(
      `dosewise/browser in a Vite app: installed package ${(installed / 2 ** 20).toFixed(1)} MiB (${tarball} ${(statSync(join(tmp, tarball)).size / 2 ** 20).toFixed(2)} MiB); ` +
        `bundle ${kib(bytes(js))} JS (page + worker) + ${kib(bytes(wasm))} WASM = ${kib(bytes(js) + bytes(wasm))} raw, ${kib(gzBytes(js) + gzBytes(wasm))} gzip; ` +
        `install ${(installMs / 1000).toFixed(1)} s, vite build ${(buildMs / 1000).toFixed(1)} s`,
    );
    for (const f of [...js, ...wasm]) console.info(`  ${rel(f)}: ${kib(statSync(f).size)} (${kib(gzBytes([f]))} gzip)`);
    const quoted = readmeSizes(ROOT);
    expectQuoted("the example app's page JS (kB)", quoted.pageKB, bytes(js.filter((f) => !/worker/.test(f))) / 1000);
    expectQuoted("the example app's worker JS (kB)", quoted.workerKB, bytes(js.filter((f) => /worker/.test(f))) / 1000);
    expectQuoted('the WASM (bytes)', quoted.wasmBytes, bytes(wasm));
  }, 240_000);

  it("Vite's dev server serves the same app with the README's vite.config.js", async () => {
    if (!page) throw new Error('the app was not built (the test above failed)');
    writeFileSync(join(app, 'vite.config.js'), readmeBlock('// vite.config.js'));
    // the app's own Vite, as `npx vite` would run it
    const vite = (await import(pathToFileURL(join(app, 'node_modules', 'vite', 'dist', 'node', 'index.js')).href)) as typeof import('vite');
    const dev = await vite.createServer({ root: app, logLevel: 'silent', server: { host: '127.0.0.1', port: 0, strictPort: false } });
    try {
      await dev.listen();
      const url = dev.resolvedUrls?.local[0];
      if (!url) throw new Error('the dev server gave no URL');
      const { result, problems } = await runApp(page, url);
      expect(problems).toEqual([]);
      expectEta(result);
    } finally {
      await dev.close();
    }
  }, 120_000);
});

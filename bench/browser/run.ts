// Browser benchmarks of the what-if tool (issue 6): WASM start-up, MAP per patient (target < 16 ms,
// one frame), what-if re-simulation (target < 2 ms of compute), the credible band, bundle size.
//
// Builds dist/web when it is missing or older than its sources (or always with --build), serves it
// on 127.0.0.1, drives Debian's chromium headless through playwright-core (the flags of
// test/browser), and measures in the page through window.dosewise (src/web/state.ts): compute times
// are taken inside the worker, round trips on the page's clock. Prints a table with PASS/MISS and
// writes bench/browser/results.json (tmp + rename). Without chromium it prints a note and exits 0.
//
// Usage: node dist/bench/browser/run.js [--build]    (CHROMIUM_PATH overrides /usr/bin/chromium)

import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { dirname, extname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The launch flags of test/browser/whatif.test.ts. */
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const VIEWPORT = { width: 1280, height: 1000 };

const RUNS = { startup: 7, map: 20, whatif: 50, mode: 50, band: 20, ping: 50 };
const BAND_DRAWS = 1000;

// ---------------------------------------------------------------------------------------------
// The page's hook (a structural subset of DosewiseHook in src/web/state.ts, which the Node build
// does not compile). Callbacks passed to page.evaluate run in the page: they reach it through
// `(window as unknown as PageWindow).dosewise` and use nothing from this module.

interface DoseSeries {
  readonly amount: number;
  readonly infusion: number;
  readonly interval: number;
  readonly count: number;
  readonly start: number;
}
interface PatientCase {
  readonly model: string;
  readonly covariates: Readonly<Record<string, number>>;
  readonly doses: DoseSeries;
  readonly levels: readonly { readonly time: number; readonly conc: number }[];
}
interface StepTiming {
  readonly gen: number;
  readonly computeMs: number;
  readonly roundTripMs: number;
  readonly redrawMs: number;
  readonly totalMs: number;
}
interface Timed<T> {
  readonly value: T;
  readonly roundTripMs: number;
}
interface PageHook {
  ready: Promise<void>;
  settled(): Promise<void>;
  init?: { wasmMs: number; wasmFetchMs: number; wasmBytes: number; modelsMs: number; wasmUrl: string };
  startedAt: number;
  initAt?: number;
  readyAt?: number;
  timings: { mode?: StepTiming; band?: StepTiming };
  bands: { requested: number; drawn: number; skipped: number; discarded: number };
  bench: {
    estimate(c: PatientCase): Promise<Timed<{ ms: number; eta: number[]; iterations: number; converged: boolean }>>;
    mode(w: DoseSeries): Promise<Timed<{ ms: number; times: Float64Array }>>;
    band(w: DoseSeries, draws: number): Promise<Timed<{ ms: number; draws: number; failed: number }>>;
    ping(): Promise<Timed<unknown>>;
  };
}
interface PageWindow {
  dosewise: PageHook;
}

/** The W-map patient (shared/BENCHMARKS.md; the case of test/browser/whatif.test.ts). */
const WMAP: PatientCase = {
  model: 'map-wmap',
  covariates: {},
  doses: { amount: 1000, infusion: 1, interval: 12, count: 4, start: 0 },
  levels: [
    { time: 1.5, conc: 27.57698 },
    { time: 11.5, conc: 3.437169 },
    { time: 25, conc: 38.494925 },
    { time: 47.5, conc: 7.016984 },
  ],
};
/** The what-if regimen of the form after the W-map case is entered (4 doses from 48 h). */
const WHATIF: DoseSeries = { amount: 1000, infusion: 1, interval: 12, count: 4, start: 48 };
/** mapbayr's η of the W-map patient (BENCHMARKS.md), a sanity check of what is timed. */
const WMAP_ETA = [0.307654, -0.221371];

// ---------------------------------------------------------------------------------------------
// Statistics and figures

interface Stats {
  readonly n: number;
  readonly median: number;
  readonly min: number;
  readonly p90: number;
  readonly max: number;
}

function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * p;
  const k = Math.floor(h);
  const a = sorted[k] as number;
  const b = sorted[Math.min(k + 1, sorted.length - 1)] as number;
  return a + (h - k) * (b - a);
}

function stats(xs: readonly number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  return { n: s.length, median: quantile(s, 0.5), min: s[0] ?? NaN, p90: quantile(s, 0.9), max: s[s.length - 1] ?? NaN };
}

interface Figure {
  readonly key: string;
  readonly label: string;
  readonly value: number;
  readonly unit: string;
  /** PASS when value ≤ max. */
  readonly target?: { readonly max: number; readonly text: string };
  readonly note?: string;
}

function verdict(f: Figure): '' | 'PASS' | 'MISS' {
  if (!f.target) return '';
  return f.value <= f.target.max ? 'PASS' : 'MISS';
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a >= 1000 ? Math.round(v).toLocaleString('en-US') : a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(2);
}

function printTable(figures: readonly Figure[]): void {
  const rows = [['figure', 'value', 'unit', 'target', ''], ...figures.map((f) => [f.label, fmt(f.value), f.unit, f.target?.text ?? '', verdict(f)])];
  const w = (rows[0] as string[]).map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: readonly string[]): string => r.map((cell, c) => (c === 1 ? cell.padStart(w[c] ?? 0) : cell.padEnd(w[c] ?? 0))).join('  ').trimEnd();
  console.log();
  console.log(line(rows[0] as string[]));
  console.log(w.map((n) => '-'.repeat(n)).join('  '));
  for (const r of rows.slice(1)) console.log(line(r));
  const notes = figures.filter((f) => f.note).map((f) => `  ${f.label}: ${f.note}`);
  if (notes.length) console.log(`\nnotes:\n${notes.join('\n')}`);
}

// ---------------------------------------------------------------------------------------------
// Build and serve

function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const p = join(dir, 'package.json');
    if (existsSync(p) && (JSON.parse(readFileSync(p, 'utf8')) as { name?: string }).name === 'dosewise') return dir;
    dir = dirname(dir);
  }
  throw new Error('bench/browser: the dosewise package root (package.json) was not found above this script');
}

/** Newest modification time (ms) of a file or of the files under a directory. */
function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = 0;
  for (const e of readdirSync(path)) m = Math.max(m, newest(join(path, e)));
  return m;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

async function ensureBuilt(root: string, force: boolean): Promise<string> {
  const dist = join(root, 'dist', 'web');
  const index = join(dist, 'index.html');
  const sources = ['src', 'models', join('examples', 'map-wmap.model.json'), join('build', 'dosewise.wasm'), 'vite.config.ts'].map((p) => newest(join(root, p)));
  const why = force ? '--build' : !existsSync(index) ? 'dist/web is missing' : Math.max(...sources) > statSync(index).mtimeMs ? 'dist/web is older than its sources' : undefined;
  if (why) {
    if (!existsSync(join(root, 'build', 'dosewise.wasm'))) throw new Error('build/dosewise.wasm is missing: run npm run asbuild (or npm run build) first');
    process.stdout.write(`building dist/web (${why}) ... `);
    const { build } = await import('vite');
    await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
    console.log('done');
  }
  return dist;
}

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
};
/** An empty page on the server's origin, for timing WebAssembly.compile on a fresh renderer. */
const BLANK = '/__bench_blank__.html';
/**
 * Cross-origin isolation (the page and its worker are same-origin, so nothing else changes): it
 * gives performance.now() 5 µs resolution instead of 100 µs, which sub-millisecond figures need.
 */
const ISOLATION = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

async function serve(root: string): Promise<{ url: string; close(): Promise<void> }> {
  const base = normalize(root + sep);
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path === BLANK) {
      res.writeHead(200, { 'content-type': MIME['.html'] as string, 'cache-control': 'no-store', ...ISOLATION }).end('<!doctype html><title>bench</title><link rel="icon" href="data:,">');
      return;
    }
    const file = normalize(join(base, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(base)) {
      res.writeHead(403).end();
      return;
    }
    // no-store, as test/browser/server.ts: every start-up downloads and compiles the WASM afresh
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store', ...ISOLATION }).end(body),
      () => res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${path}`),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))) };
}

// ---------------------------------------------------------------------------------------------
// Measurements

const problems: string[] = [];

async function openPage(browser: Browser, url: string): Promise<{ context: BrowserContext; page: Page }> {
  // a fresh context per start-up: its own renderer, so no compiled-module reuse between runs
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  await page.goto(url);
  return { context, page };
}

interface StartupRun {
  wasmMs: number;
  wasmFetchMs: number;
  wasmBytes: number;
  modelsMs: number;
  readyMs: number;
  /** Page load to the worker's engine and models ready. */
  initMs: number;
  isolated: boolean;
  wasmUrl: string;
}

async function startup(browser: Browser, url: string): Promise<StartupRun[]> {
  const runs: StartupRun[] = [];
  for (let i = 0; i < RUNS.startup; i++) {
    const { context, page } = await openPage(browser, url);
    runs.push(
      await page.evaluate(async () => {
        const h = (window as unknown as PageWindow).dosewise;
        await h.ready;
        const init = h.init;
        if (!init) throw new Error('window.dosewise.init is missing after ready');
        return {
          wasmMs: init.wasmMs,
          wasmFetchMs: init.wasmFetchMs,
          wasmBytes: init.wasmBytes,
          modelsMs: init.modelsMs,
          readyMs: h.readyAt ?? NaN,
          initMs: h.initAt ?? NaN,
          isolated: crossOriginIsolated,
          wasmUrl: init.wasmUrl,
        };
      }),
    );
    await context.close();
  }
  return runs;
}

/** WebAssembly.compile and instantiation of the engine's bytes, each on a fresh renderer (cold). */
async function compileSplit(browser: Browser, url: string, wasmUrl: string): Promise<{ compileMs: number; instantiateMs: number }[]> {
  const runs: { compileMs: number; instantiateMs: number }[] = [];
  for (let i = 0; i < RUNS.startup; i++) {
    const { context, page } = await openPage(browser, new URL(BLANK, url).href);
    runs.push(
      await page.evaluate(async (u) => {
        const bytes = await (await fetch(u)).arrayBuffer();
        const t0 = performance.now();
        const module = await WebAssembly.compile(bytes);
        const t1 = performance.now();
        new WebAssembly.Instance(module, { env: { abort: () => undefined, seed: () => 0 } });
        const t2 = performance.now();
        return { compileMs: t1 - t0, instantiateMs: t2 - t1 };
      }, wasmUrl),
    );
    await context.close();
  }
  return runs;
}

/** Enters the W-map case in the form (as the browser test does) and waits for its forecast. */
async function enterCase(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as PageWindow).dosewise.ready);
  await page.selectOption('#model', WMAP.model);
  const d = WMAP.doses;
  for (const [sel, v] of [['#given-amount', d.amount], ['#given-infusion', d.infusion], ['#given-interval', d.interval], ['#given-count', d.count], ['#given-start', d.start]] as const) await page.fill(sel, String(v));
  for (const [i, l] of WMAP.levels.entries()) {
    if ((await page.locator('#levels tbody tr').count()) <= i) await page.click('#add-level');
    const row = page.locator('#levels tbody tr').nth(i);
    await row.locator('.level-time').fill(String(l.time));
    await row.locator('.level-conc').fill(String(l.conc));
  }
  for (const [sel, v] of [['#dose', WHATIF.amount], ['#infusion', WHATIF.infusion], ['#interval', WHATIF.interval], ['#future-count', WHATIF.count]] as const) await page.fill(sel, String(v));
  await page.click('#estimate');
  await page.evaluate(() => (window as unknown as PageWindow).dosewise.settled());
}

/** `runs` MAP estimates of the W-map patient after one warm-up: worker compute and round trip. */
async function mapRuns(page: Page): Promise<{ first: { computeMs: number; roundTripMs: number }; runs: { computeMs: number; roundTripMs: number }[]; eta: number[]; iterations: number; converged: boolean }> {
  return page.evaluate(
    async ([c, n]) => {
      const h = (window as unknown as PageWindow).dosewise;
      const out: { computeMs: number; roundTripMs: number }[] = [];
      let last: Awaited<ReturnType<PageHook['bench']['estimate']>> | undefined;
      for (let i = 0; i <= n; i++) {
        last = await h.bench.estimate(c);
        out.push({ computeMs: last.value.ms, roundTripMs: last.roundTripMs });
      }
      const first = out.shift() as { computeMs: number; roundTripMs: number };
      return { first, runs: out, eta: last?.value.eta ?? [], iterations: last?.value.iterations ?? NaN, converged: last?.value.converged ?? false };
    },
    [WMAP, RUNS.map] as const,
  );
}

interface WhatIfRun {
  mode: StepTiming;
  band?: StepTiming;
  /** From dispatching the input event to the first animation frame after the plot changed. */
  frameMs: number;
}

/**
 * `n` what-if dose changes through the form (value + input event, as typing does), each left to
 * settle (mode curve, then band) before the next: the page's own timings of both steps.
 */
async function whatIfRuns(page: Page, n: number): Promise<{ runs: WhatIfRun[]; bands: PageHook['bands'] }> {
  const r = await page.evaluate(async (count) => {
    const h = (window as unknown as PageWindow).dosewise;
    const dose = document.querySelector('#dose') as HTMLInputElement;
    const plot = document.querySelector('#plot') as HTMLElement;
    const original = dose.value;
    const runs: WhatIfRun[] = [];
    // a human pace: the previous plot is painted (a frame, then a task) before the next change
    const painted = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    for (let i = 0; i < count; i++) {
      await painted();
      const before = h.timings.mode?.gen ?? -1;
      let frameAt = NaN;
      const framed = new Promise<void>((resolve) => {
        const obs = new MutationObserver(() => {
          obs.disconnect();
          requestAnimationFrame(() => {
            frameAt = performance.now();
            resolve();
          });
        });
        obs.observe(plot, { childList: true });
      });
      dose.value = String(1000 + 25 * (i + 1));
      const t0 = performance.now();
      dose.dispatchEvent(new Event('input', { bubbles: true }));
      await framed;
      await h.settled();
      const mode = h.timings.mode;
      if (!mode || mode.gen === before) throw new Error(`what-if change ${i + 1}: no new mode curve was drawn`);
      runs.push({ mode: { ...mode }, band: h.timings.band && h.timings.band.gen === mode.gen ? { ...h.timings.band } : undefined, frameMs: frameAt - t0 });
    }
    dose.value = original;
    dose.dispatchEvent(new Event('input', { bubbles: true }));
    await h.settled();
    return { runs, bands: { ...h.bands } };
  }, n);
  return r;
}

/** Direct worker calls (no form, no redraw): mode curve, band with `draws`, and an empty call. */
async function directRuns(page: Page): Promise<{ mode: Timed<number>[]; band: Timed<number>[]; bandFailed: number; ping: number[]; points: number }> {
  return page.evaluate(
    async ([w, runs, draws]) => {
      const h = (window as unknown as PageWindow).dosewise;
      const mode: Timed<number>[] = [];
      const band: Timed<number>[] = [];
      const ping: number[] = [];
      let points = 0;
      for (let i = 0; i < 5; i++) await h.bench.mode(w); // warm-up
      for (let i = 0; i < runs.mode; i++) {
        const r = await h.bench.mode({ ...w, amount: 1000 + 25 * (i + 1) });
        mode.push({ value: r.value.ms, roundTripMs: r.roundTripMs });
        points = r.value.times.length;
      }
      let failed = 0;
      await h.bench.band(w, draws); // warm-up
      for (let i = 0; i < runs.band; i++) {
        const r = await h.bench.band({ ...w, amount: 1000 + 25 * (i + 1) }, draws);
        band.push({ value: r.value.ms, roundTripMs: r.roundTripMs });
        failed += r.value.failed;
      }
      for (let i = 0; i < runs.ping; i++) ping.push((await h.bench.ping()).roundTripMs);
      return { mode, band, bandFailed: failed, ping, points };
    },
    [WHATIF, RUNS, BAND_DRAWS] as const,
  );
}

function bundleSize(dist: string): { files: { file: string; bytes: number; gzip: number }[]; raw: number; gzip: number } {
  const files = filesUnder(dist)
    .filter((f) => /\.(m?js|wasm)$/.test(f))
    .map((f) => {
      const body = readFileSync(f);
      return { file: relative(dist, f).split(sep).join('/'), bytes: body.length, gzip: gzipSync(body, { level: 9 }).length };
    })
    .sort((a, b) => a.file.localeCompare(b.file));
  return { files, raw: files.reduce((s, f) => s + f.bytes, 0), gzip: files.reduce((s, f) => s + f.gzip, 0) };
}

// ---------------------------------------------------------------------------------------------

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

async function main(): Promise<void> {
  const force = process.argv.includes('--build');
  if (!existsSync(CHROMIUM)) {
    console.log(`bench/browser: skipped, no chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
    return;
  }
  const root = packageRoot();
  const dist = await ensureBuilt(root, force);
  const server = await serve(dist);
  const loadStart = loadavg();
  const started = Date.now();
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
    const version = browser.version();

    process.stdout.write(`start-up: ${RUNS.startup} fresh page loads ... `);
    const starts = await startup(browser, server.url);
    const wasmUrl = starts[0]?.wasmUrl ?? '';
    const isolated = starts.every((r) => r.isolated);
    const split = await compileSplit(browser, server.url, wasmUrl);
    console.log('done');

    const { context, page } = await openPage(browser, server.url);
    await enterCase(page);
    process.stdout.write(`MAP: W-map patient, ${RUNS.map} runs ... `);
    const map = await mapRuns(page);
    console.log('done');
    const etaOk = WMAP_ETA.every((e, i) => Math.abs((map.eta[i] ?? NaN) - e) < 1e-4);
    if (!etaOk) throw new Error(`the W-map MAP estimate in the browser is η = ${map.eta.join(', ')}, expected ${WMAP_ETA.join(', ')} (mapbayr)`);

    process.stdout.write(`what-if: ${RUNS.whatif} dose changes through the form ... `);
    const whatif = await whatIfRuns(page, RUNS.whatif);
    console.log('done');
    process.stdout.write(`direct calls: ${RUNS.mode} mode curves, ${RUNS.band} bands of ${BAND_DRAWS} draws, ${RUNS.ping} pings ... `);
    const direct = await directRuns(page);
    console.log('done');
    await context.close();
    if (problems.length) throw new Error(`the page reported errors:\n  ${problems.join('\n  ')}`);

    const bundle = bundleSize(dist);

    const s = {
      wasm: stats(starts.map((r) => r.wasmMs)),
      wasmFetch: stats(starts.map((r) => r.wasmFetchMs)),
      compile: stats(split.map((r) => r.compileMs)),
      instantiate: stats(split.map((r) => r.instantiateMs)),
      ready: stats(starts.map((r) => r.readyMs)),
      init: stats(starts.map((r) => r.initMs)),
      models: stats(starts.map((r) => r.modelsMs)),
      mapCompute: stats(map.runs.map((r) => r.computeMs)),
      mapRoundTrip: stats(map.runs.map((r) => r.roundTripMs)),
      modeCompute: stats(whatif.runs.map((r) => r.mode.computeMs)),
      modeRoundTrip: stats(whatif.runs.map((r) => r.mode.roundTripMs)),
      modeRedraw: stats(whatif.runs.map((r) => r.mode.redrawMs)),
      modeTotal: stats(whatif.runs.map((r) => r.mode.totalMs)),
      modeFrame: stats(whatif.runs.map((r) => r.frameMs)),
      uiBandCompute: stats(whatif.runs.flatMap((r) => (r.band ? [r.band.computeMs] : []))),
      uiBandTotal: stats(whatif.runs.flatMap((r) => (r.band ? [r.band.totalMs] : []))),
      directModeCompute: stats(direct.mode.map((r) => r.value)),
      directModeRoundTrip: stats(direct.mode.map((r) => r.roundTripMs)),
      bandCompute: stats(direct.band.map((r) => r.value)),
      bandRoundTrip: stats(direct.band.map((r) => r.roundTripMs)),
      ping: stats(direct.ping),
    };
    const frame = { max: 16, text: '< 16 ms' };
    const figures: Figure[] = [
      { key: 'startup.wasm_ms', label: 'WASM start-up (fetch + compile + instantiate, worker)', value: s.wasm.median, unit: 'ms', note: `median of ${s.wasm.n} fresh page loads; download ${fmt(s.wasmFetch.median)} ms of it (local server)` },
      { key: 'startup.compile_ms', label: 'WASM compile (WebAssembly.compile, cold)', value: s.compile.median, unit: 'ms' },
      { key: 'startup.instantiate_ms', label: 'WASM instantiate', value: s.instantiate.median, unit: 'ms' },
      { key: 'startup.ready_ms', label: 'page load to first forecast drawn (a priori, with band)', value: s.ready.median, unit: 'ms', note: `engine and models ready in the worker at ${fmt(s.init.median)} ms; compiling the bundled models ${fmt(s.models.median)} ms of it` },
      { key: 'map.compute_ms', label: 'MAP per patient (W-map), worker compute', value: s.mapCompute.median, unit: 'ms', target: frame, note: `median of ${s.mapCompute.n} runs after a warm-up (first: ${fmt(map.first.computeMs)} ms); ${map.iterations} iterations` },
      { key: 'map.round_trip_ms', label: 'MAP per patient (W-map), page round trip', value: s.mapRoundTrip.median, unit: 'ms', target: frame },
      { key: 'whatif.compute_ms', label: 'what-if re-simulation (mode curve), worker compute', value: s.modeCompute.median, unit: 'ms', target: { max: 2, text: '< 2 ms' }, note: `median of ${s.modeCompute.n} dose changes through the form, ${direct.points} time points; direct calls: ${fmt(s.directModeCompute.median)} ms compute, ${fmt(s.directModeRoundTrip.median)} ms round trip` },
      { key: 'whatif.round_trip_ms', label: 'what-if: worker round trip (page)', value: s.modeRoundTrip.median, unit: 'ms' },
      { key: 'whatif.input_to_plot_ms', label: 'what-if: input event to curve in the DOM (incl. redraw)', value: s.modeTotal.median, unit: 'ms', note: `redraw (SVG + metrics) ${fmt(s.modeRedraw.median)} ms; to the next animation frame ${fmt(s.modeFrame.median)} ms` },
      { key: 'whatif.band_ms', label: 'what-if: band after the curve (500 draws), worker compute', value: s.uiBandCompute.median, unit: 'ms', note: `${s.uiBandCompute.n} bands drawn; start to plot ${fmt(s.uiBandTotal.median)} ms (after the page's 40 ms quiet time)` },
      { key: 'band.compute_ms', label: `band forecast (${BAND_DRAWS} draws), worker compute`, value: s.bandCompute.median, unit: 'ms', note: `median of ${s.bandCompute.n}; ${direct.bandFailed} failed draws in all` },
      { key: 'band.round_trip_ms', label: `band forecast (${BAND_DRAWS} draws), page round trip`, value: s.bandRoundTrip.median, unit: 'ms' },
      { key: 'worker.ping_ms', label: 'empty worker call, round trip', value: s.ping.median, unit: 'ms' },
      { key: 'bundle.raw_kb', label: 'bundle JS + WASM, raw', value: bundle.raw / 1024, unit: 'KiB', note: bundle.files.map((f) => `${f.file} ${(f.bytes / 1024).toFixed(1)}/${(f.gzip / 1024).toFixed(1)} KiB`).join(', ') },
      { key: 'bundle.gzip_kb', label: 'bundle JS + WASM, gzip -9', value: bundle.gzip / 1024, unit: 'KiB' },
    ];
    printTable(figures);

    const out = join(root, 'bench', 'browser', 'results.json');
    const doc = {
      generated: new Date().toISOString(),
      chromium: version,
      chromium_path: CHROMIUM,
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      cpu: cpus()[0]?.model ?? 'unknown',
      cpus: cpus().length,
      load_average_at_start: loadStart,
      load_average_at_end: loadavg(),
      wall_s: (Date.now() - started) / 1000,
      cross_origin_isolated: isolated,
      clocks: 'compute times are performance.now() inside the worker; round trips and redraws are performance.now() on the page; medians unless noted',
      runs: RUNS,
      figures: figures.map((f) => ({ ...f, verdict: verdict(f) || undefined })),
      details: {
        stats: s,
        startup: starts.map(({ wasmUrl: _u, ...r }) => r),
        compile_split: split,
        map: { first: map.first, eta: map.eta, reference_eta: WMAP_ETA, iterations: map.iterations, converged: map.converged },
        whatif_bands: whatif.bands,
        bundle,
      },
    };
    writeAtomic(out, `${JSON.stringify(doc, null, 2)}\n`);
    console.log(`\nwrote ${relative(process.cwd(), out) || out}`);
  } finally {
    await browser?.close();
    await server.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
